/* A WMS layer added through the window as a user adds it: the dialog from
 * the menu, the server's capabilities read, layers ticked, a style chosen;
 * its tiles drawn through the tile pipeline from a real HTTP server in the
 * test (libsoup's, on loopback), GetFeatureInfo shown on identify, and the
 * layer kept by the workspace; a WMTS layer (its REST template) and an XYZ
 * address the same way. In Vietnamese. */
#include <adwaita.h>
#include <libsoup/soup.h>
#include <string.h>

#include "app-test.h"
#include "saban-layer-row.h"
#include "saban-map-view.h"
#include "saban-resources.h"
#include "saban-service-dialog.h"
#include "saban-tile-cache.h"
#include "saban-tile-source.h"
#include "saban-window.h"

/* the account the address names, and the password typed in the dialog */
#define PASSWORD "mật-khẩu"
#define PAIR "quyhoach:" PASSWORD
#define INFO "Thửa 125, tờ 7: đất ở tại đô thị (ODT)"

static const char capabilities[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<WMS_Capabilities version=\"1.3.0\" xmlns=\"http://www.opengis.net/wms\">\n"
  "<Service><Name>WMS</Name><Title>Quy hoạch</Title></Service>\n"
  "<Capability><Request><GetMap><Format>image/jpeg</Format><Format>image/png</Format></GetMap></Request>\n"
  "<Layer><Title>Gốc</Title><CRS>EPSG:9208</CRS>\n"
  "  <Layer><Name>chi_vn2000</Name><Title>Chỉ VN-2000</Title></Layer>\n"
  "  <Layer queryable=\"1\"><Name>quy_hoach</Name><Title>Quy hoạch sử dụng đất</Title><CRS>EPSG:3857</CRS>\n"
  "    <Style><Name>mac_dinh</Name></Style><Style><Name>xam</Name></Style></Layer>\n"
  "  <Layer queryable=\"1\"><Name>ranh_gioi</Name><Title>Ranh giới</Title><CRS>EPSG:3857</CRS></Layer>\n"
  "</Layer></Capability></WMS_Capabilities>\n";

/* A set on the map's grid whose matrices are named L00…L12, not by zoom
 * numbers; a REST template on this server (@root, which names no user);
 * a layer only in EPSG:4326. */
static char *
make_wmts_capabilities (const char *root)
{
  GString *doc = g_string_new (NULL);

  g_string_append_printf (doc,
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Capabilities xmlns=\"http://www.opengis.net/wmts/1.0\" xmlns:ows=\"http://www.opengis.net/ows/1.1\" version=\"1.0.0\">\n"
    "<Contents>\n"
    "<Layer><ows:Title>Nền WGS 84</ows:Title><ows:Identifier>wgs</ows:Identifier>\n"
    "  <TileMatrixSetLink><TileMatrixSet>WGS84</TileMatrixSet></TileMatrixSetLink></Layer>\n"
    "<Layer><ows:Title>Nền địa hình</ows:Title><ows:Identifier>nen</ows:Identifier>\n"
    "  <Style isDefault=\"true\"><ows:Identifier>default</ows:Identifier></Style><Format>image/png</Format>\n"
    "  <TileMatrixSetLink><TileMatrixSet>g</TileMatrixSet></TileMatrixSetLink>\n"
    "  <ResourceURL format=\"image/png\" resourceType=\"tile\" template=\"%s/wmts/rest/nen/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png\"/>\n"
    "</Layer>\n"
    "<TileMatrixSet><ows:Identifier>WGS84</ows:Identifier><ows:SupportedCRS>urn:ogc:def:crs:EPSG::4326</ows:SupportedCRS>\n"
    "  <TileMatrix><ows:Identifier>0</ows:Identifier><ScaleDenominator>279541132.0143589</ScaleDenominator>"
    "<TopLeftCorner>90 -180</TopLeftCorner><TileWidth>256</TileWidth><TileHeight>256</TileHeight></TileMatrix></TileMatrixSet>\n"
    "<TileMatrixSet><ows:Identifier>g</ows:Identifier><ows:SupportedCRS>urn:ogc:def:crs:EPSG::3857</ows:SupportedCRS>\n",
    root);
  for (guint z = 0; z <= 12; z++)
    {
      char scale[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_dtostr (scale, sizeof scale, 559082264.0287178 / (double) (1u << z));
      g_string_append_printf (doc, "  <TileMatrix><ows:Identifier>L%02u</ows:Identifier><ScaleDenominator>%s</ScaleDenominator>"
                              "<TopLeftCorner>-20037508.3427892 20037508.3427892</TopLeftCorner>"
                              "<TileWidth>256</TileWidth><TileHeight>256</TileHeight></TileMatrix>\n", z, scale);
    }
  g_string_append (doc, "</TileMatrixSet>\n</Contents></Capabilities>\n");
  return g_string_free (doc, FALSE);
}

typedef struct
{
  SoupServer *server;
  char *root;             /* http://127.0.0.1:PORT */
  char *wmts_capabilities;
  char *last_tile;        /* the last WMTS or XYZ tile's path */
  char *url;              /* http://quyhoach@127.0.0.1:PORT/wms?map=qh */
  char *authorization;    /* what every request must carry */
  GBytes *png;            /* every GetMap's answer: one colour */
  GHashTable *last_map;   /* the last GetMap's query, keys upper-cased */
  GHashTable *last_info;  /* the last GetFeatureInfo's */
  guint maps;
} Wms;

static Wms wms;

static GHashTable *
upper_keys (GHashTable *query)
{
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer k, v;

  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, &k, &v))
    g_hash_table_insert (out, g_ascii_strup (k, -1), g_strdup (v));
  return out;
}

static void
serve (SoupServer        *server,
       SoupServerMessage *msg,
       const char        *path,
       GHashTable        *query,
       gpointer           user_data)
{
  g_autoptr(GHashTable) q = query != NULL ? upper_keys (query) : g_hash_table_new (g_str_hash, g_str_equal);
  const char *request = g_hash_table_lookup (q, "REQUEST");
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                            "Authorization");

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  if (g_strcmp0 (authorization, wms.authorization) != 0)
    soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
  else if (g_strcmp0 (g_hash_table_lookup (q, "MAP"), "qh") != 0)
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  else if (g_strcmp0 (request, "GetCapabilities") == 0)
    soup_server_message_set_response (msg, "text/xml", SOUP_MEMORY_STATIC, capabilities, strlen (capabilities));
  else if (g_strcmp0 (request, "GetMap") == 0)
    {
      g_clear_pointer (&wms.last_map, g_hash_table_unref);
      wms.last_map = g_hash_table_ref (q);
      wms.maps++;
      soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY, g_bytes_get_data (wms.png, NULL),
                                        g_bytes_get_size (wms.png));
    }
  else if (g_strcmp0 (request, "GetFeatureInfo") == 0)
    {
      g_clear_pointer (&wms.last_info, g_hash_table_unref);
      wms.last_info = g_hash_table_ref (q);
      soup_server_message_set_response (msg, "text/plain; charset=UTF-8", SOUP_MEMORY_STATIC, INFO, strlen (INFO));
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
}

/* WMTS (KVP capabilities, REST tiles), with the WMS's password; XYZ
 * tiles, with none */
static void
serve_tiles (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                            "Authorization");

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  if (g_str_has_prefix (path, "/wmts") && g_strcmp0 (authorization, wms.authorization) != 0)
    soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
  else if (g_str_equal (path, "/wmts") && query != NULL &&
      g_strcmp0 (g_hash_table_lookup (query, "REQUEST"), "GetCapabilities") == 0)
    soup_server_message_set_response (msg, "text/xml", SOUP_MEMORY_COPY, wms.wmts_capabilities,
                                      strlen (wms.wmts_capabilities));
  else if (g_str_has_suffix (path, ".png"))
    {
      g_free (wms.last_tile);
      wms.last_tile = g_strdup (path);
      soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY, g_bytes_get_data (wms.png, NULL),
                                        g_bytes_get_size (wms.png));
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
start_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *encoded = NULL;

  wms.server = soup_server_new (NULL, NULL);
  soup_server_add_handler (wms.server, "/wms", serve, NULL, NULL);
  soup_server_add_handler (wms.server, "/wmts", serve_tiles, NULL, NULL);
  soup_server_add_handler (wms.server, "/xyz", serve_tiles, NULL, NULL);
  g_assert_true (soup_server_listen_local (wms.server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (wms.server);
  wms.url = g_strdup_printf ("http://quyhoach@127.0.0.1:%d/wms?map=qh", g_uri_get_port (uris->data));
  wms.root = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  wms.wmts_capabilities = make_wmts_capabilities (wms.root);
  encoded = g_base64_encode ((const guchar *) PAIR, strlen (PAIR));
  wms.authorization = g_strconcat ("Basic ", encoded, NULL);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  wms.png = app_test_solid_png (200, 60, 40);
}

static SabanLayer *
service_row_layer (SabanWindow *window)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  app_test_collect (GTK_WIDGET (window), SABAN_TYPE_LAYER_ROW, NULL, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      SabanLayer *layer = saban_layer_row_get_layer (g_ptr_array_index (rows, i));

      if (saban_layer_get_service (layer) != NULL)
        return layer;
    }
  return NULL;
}

/* the rows of the layers read */
static guint
n_titles (GtkWidget *dialog)
{
  g_autoptr(GPtrArray) ticks = g_ptr_array_new ();

  app_test_collect (app_test_find (dialog, ADW_TYPE_PREFERENCES_GROUP, "layers"), GTK_TYPE_CHECK_BUTTON, NULL, ticks);
  return ticks->len;
}

static GtkCheckButton *
layer_tick (GtkWidget  *dialog,
            const char *name)
{
  return app_test_find (app_test_find (dialog, ADW_TYPE_ACTION_ROW, name), GTK_TYPE_CHECK_BUTTON, NULL);
}

static void
tick (GtkWidget  *dialog,
      const char *name,
      gboolean    on)
{
  gtk_check_button_set_active (layer_tick (dialog, name), on);
}

/* what the dialog says above the layers */
static const char *
status (GtkWidget *dialog)
{
  return adw_preferences_group_get_description (app_test_find (dialog, ADW_TYPE_PREFERENCES_GROUP, "layers"));
}

/* The menu's dialog over @window: the service's kind (its index in the
 * list: WMS, WMTS, XYZ, TMS), its address, the password of its user. */
static GtkWidget *
open_dialog (SabanWindow *window,
             guint        kind,
             const char  *url,
             const char  *password)
{
  GtkWidget *dialog;

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-service", NULL);
  TEST_WAIT_UNTIL ((dialog = app_test_find_toplevel (SABAN_TYPE_SERVICE_DIALOG)) != NULL, 10);
  adw_combo_row_set_selected (app_test_find (dialog, ADW_TYPE_COMBO_ROW, "kind"), kind);
  gtk_editable_set_text (GTK_EDITABLE (app_test_find (dialog, ADW_TYPE_ENTRY_ROW, "url")), url);
  if (password != NULL)
    gtk_editable_set_text (GTK_EDITABLE (app_test_find (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW, "password")), password);
  return dialog;
}

static void
read_layers (GtkWidget *dialog)
{
  gtk_widget_activate_action (dialog, "service.read", NULL);
  TEST_WAIT_UNTIL (n_titles (dialog) > 0, 20);
}

static void
add_service (SabanWindow *window,
             GtkWidget   *dialog)
{
  gtk_widget_activate_action (dialog, "service.add", NULL);
  TEST_WAIT_UNTIL (service_row_layer (window) != NULL, 10);
}

/* The WMS: the layers must be read before one is added; the one not in
 * Web Mercator is listed, not ticked first, and refused with the reason;
 * none ticked is refused too; two layers ticked, the first in its second
 * style: one map layer. */
static SabanWindow *
window_with_wms (void)
{
  SabanWindow *window = saban_window_new (NULL, NULL);
  GtkWidget *dialog = open_dialog (window, 0, wms.url, PASSWORD);
  const char *refusal = "Lớp “Chỉ VN-2000” không được cung cấp ở hệ Web Mercator (EPSG:3857) mà bản đồ cần";

  gtk_widget_activate_action (dialog, "service.add", NULL);
  g_assert_cmpstr (status (dialog), ==, "Hãy đọc danh sách lớp của dịch vụ trước, rồi chọn một lớp");
  read_layers (dialog);
  g_assert_cmpuint (n_titles (dialog), ==, 3);
  g_assert_false (gtk_check_button_get_active (layer_tick (dialog, "chi_vn2000")));
  g_assert_true (gtk_check_button_get_active (layer_tick (dialog, "quy_hoach")));
  g_assert_cmpstr (status (dialog), ==, "1 lớp không vẽ được trên bản đồ: chọn lớp đó để xem lý do");
  tick (dialog, "chi_vn2000", TRUE);
  g_assert_cmpstr (status (dialog), ==, refusal);
  tick (dialog, "quy_hoach", FALSE);
  gtk_widget_activate_action (dialog, "service.add", NULL);
  g_assert_cmpstr (status (dialog), ==, refusal);
  g_assert_null (service_row_layer (window));
  tick (dialog, "chi_vn2000", FALSE);
  gtk_widget_activate_action (dialog, "service.add", NULL);
  g_assert_cmpstr (status (dialog), ==, "Hãy đánh dấu các lớp cần thêm");
  tick (dialog, "quy_hoach", TRUE);
  tick (dialog, "ranh_gioi", TRUE);
  gtk_drop_down_set_selected (app_test_find (app_test_find (dialog, ADW_TYPE_ACTION_ROW, "quy_hoach"), GTK_TYPE_DROP_DOWN,
                                             NULL), 1);
  app_test_save_png (dialog, "screenshot-service-dialog.png");
  add_service (window, dialog);
  return window;
}

typedef struct
{
  SabanTileSource *source;
  guint x, y, zoom;
  guint8 *pixels;
  gboolean drawn;
  gboolean done;
} Draw;

/* in a thread, as libshumate's workers do: the server answers on this
 * test's main loop */
static gpointer
draw_thread (gpointer data)
{
  Draw *d = data;

  d->drawn = saban_tile_source_render_into (d->source, d->x, d->y, d->zoom, 256, d->pixels, 256 * 4);
  g_atomic_int_set (&d->done, TRUE);
  return NULL;
}

/* a tile of @layers (bottom to top) drawn by the tile pipeline, ARGB32 */
static guint8 *
draw_tile (SabanLayer **layers,
           guint        n,
           guint        x,
           guint        y,
           guint        zoom)
{
  g_autoptr(SabanTileSource) source = saban_tile_source_new_composite (layers, n);
  Draw draw = { source, x, y, zoom, g_malloc0 (256 * 256 * 4), FALSE, FALSE };
  GThread *thread = g_thread_new ("draw", draw_thread, &draw);

  TEST_WAIT_UNTIL (g_atomic_int_get (&draw.done), 20);
  g_thread_join (thread);
  g_assert_true (draw.drawn);
  return draw.pixels;
}

/* tile 10/812/454 of @layer: its centre pixel */
static guint32
draw_centre (SabanLayer *layer)
{
  g_autofree guint8 *pixels = draw_tile (&layer, 1, 812, 454, 10);
  guint32 pixel;

  memcpy (&pixel, pixels + (128 * 256 + 128) * 4, 4);
  return pixel;
}

/* The layer's row, and its tiles from the server (layer, style, CRS, PNG
 * chosen from the capabilities) drawn by the tile pipeline. */
static void
test_add_and_draw (void)
{
  SabanWindow *window = window_with_wms ();
  SabanLayer *layer = service_row_layer (window);

  g_assert_cmpstr (saban_layer_get_name (layer), ==, "quy_hoach,ranh_gioi");
  /* the layer list says what the capabilities call them */
  g_assert_cmpstr (saban_layer_get_title (layer), ==, "Quy hoạch sử dụng đất, Ranh giới");
  g_assert_true (app_test_has_label (GTK_WIDGET (window), "Quy hoạch sử dụng đất, Ranh giới"));
  g_assert_true (app_test_has_label_containing (GTK_WIDGET (window), "Dịch vụ bản đồ WMS · 127.0.0.1"));
  g_assert_cmphex (draw_centre (layer), ==, 0xffc83c28);
  g_assert_nonnull (wms.last_map);
  g_assert_cmpstr (g_hash_table_lookup (wms.last_map, "LAYERS"), ==, "quy_hoach,ranh_gioi");
  g_assert_cmpstr (g_hash_table_lookup (wms.last_map, "STYLES"), ==, "xam,");
  g_assert_cmpstr (g_hash_table_lookup (wms.last_map, "CRS"), ==, "EPSG:3857");
  g_assert_cmpstr (g_hash_table_lookup (wms.last_map, "FORMAT"), ==, "image/png");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A WMTS layer from its capabilities, behind a password: its tiles from
 * the REST template there (which names no user) with the same password,
 * in the set on the map's grid, the matrix named as the set names zoom 10,
 * row and column as the map's; the EPSG:4326 layer refused with why. The
 * workspace keeps the matrices: restored without reading the capabilities,
 * it is the same service, drawn from the tile it kept. */
static void
test_wmts (void)
{
  g_autofree char *url = g_strdup_printf ("http://quyhoach@%s/wmts", wms.root + strlen ("http://"));
  SabanWindow *window = saban_window_new (NULL, NULL);
  GtkWidget *dialog = open_dialog (window, 1, url, PASSWORD);
  g_autoptr(SabanWorkspace) saved = NULL;
  SabanLayer *restored;

  g_clear_pointer (&wms.last_tile, g_free);
  read_layers (dialog);
  g_assert_true (app_test_has_label (dialog, "Nền địa hình"));
  /* one WMTS layer at a time: ticking one unticks the other */
  g_assert_true (gtk_check_button_get_active (layer_tick (dialog, "nen")));
  tick (dialog, "wgs", TRUE);
  g_assert_false (gtk_check_button_get_active (layer_tick (dialog, "nen")));
  gtk_widget_activate_action (dialog, "service.add", NULL);
  g_assert_nonnull (strstr (status (dialog), "Lớp “Nền WGS 84” chỉ được chia ô theo WGS84 (urn:ogc:def:crs:EPSG::4326)"));
  tick (dialog, "nen", TRUE);
  add_service (window, dialog);
  g_assert_cmpstr (saban_layer_get_name (service_row_layer (window)), ==, "nen");
  g_assert_cmphex (draw_centre (service_row_layer (window)), ==, 0xffc83c28);
  g_assert_cmpstr (wms.last_tile, ==, "/wmts/rest/nen/g/L10/454/812.png");

  saved = saban_window_dup_workspace (window);
  gtk_window_destroy (GTK_WINDOW (window));
  window = saban_window_new (NULL, NULL);
  gtk_window_present (GTK_WINDOW (window));
  saban_window_restore_workspace (window, saved);
  TEST_WAIT_UNTIL ((restored = service_row_layer (window)) != NULL, 10);
  g_assert_null (strstr (saban_layer_get_source (restored), PASSWORD));
  g_assert_nonnull (strstr (saban_layer_get_source (restored), "matrices=L00%2CL01%2C"));
  /* the same service: the tile it keeps on disk */
  g_assert_cmphex (draw_centre (restored), ==, 0xffc83c28);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Layers read for one address are not added under another: editing the
 * address forgets them. */
static void
test_address_edited (void)
{
  SabanWindow *window = saban_window_new (NULL, NULL);
  GtkWidget *dialog = open_dialog (window, 0, wms.url, PASSWORD);
  g_autofree char *other = g_strconcat (wms.url, "&x=1", NULL);

  read_layers (dialog);
  gtk_editable_set_text (GTK_EDITABLE (app_test_find (dialog, ADW_TYPE_ENTRY_ROW, "url")), other);
  g_assert_cmpuint (n_titles (dialog), ==, 0);
  gtk_widget_activate_action (dialog, "service.add", NULL);
  g_assert_cmpstr (status (dialog), ==, "Hãy đọc danh sách lớp của dịch vụ trước, rồi chọn một lớp");
  g_assert_null (service_row_layer (window));
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* An XYZ address as typed: no capabilities to read; a bad one refused. */
static void
test_xyz (void)
{
  g_autofree char *url = g_strconcat (wms.root, "/xyz/{z}/{x}/{y}.png", NULL);
  SabanWindow *window = saban_window_new (NULL, NULL);
  GtkWidget *dialog = open_dialog (window, 2, "ftp://tiles.example.vn/{z}/{x}/{y}.png", NULL);

  gtk_widget_activate_action (dialog, "service.add", NULL);
  g_assert_true (app_test_has_label_containing (dialog, "http hoặc https"));
  gtk_editable_set_text (GTK_EDITABLE (app_test_find (dialog, ADW_TYPE_ENTRY_ROW, "url")), url);
  add_service (window, dialog);
  g_assert_cmphex (draw_centre (service_row_layer (window)), ==, 0xffc83c28);
  g_assert_cmpstr (wms.last_tile, ==, "/xyz/10/812/454.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The base map as the window composes it (saban_map_view_set_base): the
 * demo's offline map below, the online one over it. Where the online server
 * gives no tile — nobody on its port, nothing kept — the offline map shows
 * whole, as if alone; where it answers, its tile covers it. */
static void
test_base_map_fallback (void)
{
  g_autofree char *name = g_strdup_printf ("GPKG:%s:basemap", g_getenv ("SABAN_DEMO_DATA"));
  g_autofree char *live = g_strconcat (wms.root, "/xyz/{z}/{x}/{y}.png", NULL);
  g_autofree char *dead = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanRasterLayer) raster = saban_raster_layer_open (name, NULL, &error);
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(SabanLayer) offline = NULL;
  g_autoptr(SabanLayer) away = NULL;
  g_autoptr(SabanLayer) online = NULL;
  g_autofree guint8 *alone = NULL, *under_away = NULL, *under_online = NULL;
  guint opaque = 0;
  guint32 pixel;

  g_assert_no_error (error);
  /* a port nobody listens on: bound, then closed */
  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  dead = g_strdup_printf ("http://127.0.0.1:%u/{z}/{x}/{y}.png",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  offline = saban_layer_new_raster (raster);
  {
    g_autoptr(SabanMapService) a = saban_map_service_new (SABAN_SERVICE_XYZ, dead, NULL, NULL, NULL, NULL, NULL, NULL);
    g_autoptr(SabanMapService) b = saban_map_service_new (SABAN_SERVICE_XYZ, live, NULL, NULL, NULL, NULL, NULL, NULL);
    g_autoptr(SabanTileCache) ca = saban_tile_cache_new (a, NULL);
    g_autoptr(SabanTileCache) cb = saban_tile_cache_new (b, NULL);

    away = saban_layer_new_service (SABAN_TILE_FETCHER (ca));
    online = saban_layer_new_service (SABAN_TILE_FETCHER (cb));
  }
  /* over the province, where the offline map has pixels everywhere */
  alone = draw_tile (&offline, 1, 403, 223, 9);
  under_away = draw_tile ((SabanLayer *[]) { offline, away }, 2, 403, 223, 9);
  under_online = draw_tile ((SabanLayer *[]) { offline, online }, 2, 403, 223, 9);
  for (guint i = 0; i < 256 * 256; i++)
    opaque += alone[4 * i + 3] == 255;
  g_assert_cmpuint (opaque, ==, 256 * 256);
  g_assert_cmpmem (under_away, 256 * 256 * 4, alone, 256 * 256 * 4);
  memcpy (&pixel, under_online + (128 * 256 + 128) * 4, 4);
  g_assert_cmphex (pixel, ==, 0xffc83c28);
  g_assert_cmpstr (wms.last_tile, ==, "/xyz/9/403/223.png");
}

/* A click where no feature is: the server's GetFeatureInfo, as text. */
static void
test_identify (void)
{
  SabanWindow *window = window_with_wms ();

  g_signal_emit_by_name (saban_window_get_map_view (window), "raster-activated", service_row_layer (window),
                         11584000.0, 2530000.0);
  TEST_WAIT_UNTIL (app_test_has_label (GTK_WIDGET (window), INFO), 20);
  g_assert_true (app_test_has_label (GTK_WIDGET (window), "Dịch vụ bản đồ"));
  g_assert_cmpstr (g_hash_table_lookup (wms.last_info, "QUERY_LAYERS"), ==, "quy_hoach,ranh_gioi");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Saved with the workspace and restored as it was: the same service, its
 * password not in it. */
static void
test_workspace (void)
{
  SabanWindow *window = window_with_wms ();
  g_autoptr(SabanWorkspace) saved = NULL;
  g_autofree char *source = g_strdup (saban_layer_get_source (service_row_layer (window)));
  SabanWindow *again;
  SabanLayer *restored;

  saban_layer_set_opacity (service_row_layer (window), 0.5);
  saved = saban_window_dup_workspace (window);
  gtk_window_destroy (GTK_WINDOW (window));
  again = saban_window_new (NULL, NULL);
  gtk_window_present (GTK_WINDOW (again));
  saban_window_restore_workspace (again, saved);
  TEST_WAIT_UNTIL ((restored = service_row_layer (again)) != NULL, 10);
  g_assert_cmpstr (saban_layer_get_source (restored), ==, source);
  g_assert_null (strstr (source, PASSWORD));
  g_assert_cmpfloat_with_epsilon (saban_layer_get_opacity (restored), 0.5, 1e-9);
  g_assert_cmpstr (saban_layer_get_title (restored), ==, "Quy hoạch sử dụng đất, Ranh giới");
  gtk_window_destroy (GTK_WINDOW (again));
}

int
main (int argc, char *argv[])
{
  app_test_init (&argc, &argv);
  g_resources_register (saban_get_resource ());
  start_server ();
  g_test_add_func ("/service-window/add-and-draw", test_add_and_draw);
  g_test_add_func ("/service-window/identify", test_identify);
  g_test_add_func ("/service-window/address-edited", test_address_edited);
  g_test_add_func ("/service-window/wmts", test_wmts);
  g_test_add_func ("/service-window/xyz", test_xyz);
  g_test_add_func ("/service-window/base-map-fallback", test_base_map_fallback);
  g_test_add_func ("/service-window/workspace", test_workspace);
  return g_test_run ();
}
