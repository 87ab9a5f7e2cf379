/* A print to scale: three points 2 km apart east and north on the WGS 84
 * ellipsoid, printed at 1:25 000, must lie 80 mm apart on paper within
 * 0.5 % — measured on the PDF rasterised by poppler (pdftoppm), and on the
 * PNG. Also the headless command line (saban --print) and its refusals,
 * and a map service at A4 and A0 (from a tile server in the test). */
#include <cairo.h>
#include <gdal.h>
#include <libsoup/soup.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "app-test.h"
#include "saban-layer-model.h"
#include "saban-measure.h"
#include "saban-ogr-reader.h"
#include "saban-print-layout.h"
#include "saban-tile-cache.h"

#define LON0 103.97
#define LAT0 22.48
#define DISTANCE_M 2000.0
#define SCALE 25000.0
#define EXPECTED_MM (DISTANCE_M / SCALE * 1000)

static char *dir;

/* Three points: the centre, 2 km east, 2 km north (geodesic, WGS 84). */
static char *
write_points (void)
{
  double east_lon, east_lat, north_lon, north_lat;
  g_autofree char *json = NULL;
  char *path = g_build_filename (dir, "moc.geojson", NULL);

  saban_measure_destination (LON0, LAT0, 90, DISTANCE_M, &east_lon, &east_lat);
  saban_measure_destination (LON0, LAT0, 0, DISTANCE_M, &north_lon, &north_lat);
  json = g_strdup_printf ("{\"type\":\"FeatureCollection\",\"features\":["
                          "{\"type\":\"Feature\",\"properties\":{\"name\":\"O\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.10f,%.10f]}},"
                          "{\"type\":\"Feature\",\"properties\":{\"name\":\"E\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.10f,%.10f]}},"
                          "{\"type\":\"Feature\",\"properties\":{\"name\":\"N\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.10f,%.10f]}}]}",
                          LON0, LAT0, east_lon, east_lat, north_lon, north_lat);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  return path;
}

static SabanLayerModel *
model_of (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) layers = saban_ogr_read (path, NULL, NULL, NULL, NULL, &error);
  SabanLayerModel *model = saban_layer_model_new ();
  SabanVectorLayer *vector;
  g_autoptr(SabanLayerStyle) style = NULL;
  g_autoptr(SabanLayer) layer = NULL;

  g_assert_no_error (error);
  vector = g_ptr_array_index (layers, 0);
  style = saban_layer_style_new_for_layer (vector);
  layer = saban_layer_new (vector, style);
  saban_layer_model_add (model, layer);
  return model;
}

typedef struct
{
  double sx, sy;
  guint n;
} Blob;

/* The centres of the red dots in the map frame (the renderer's default
 * point fill, #c01c28), in millimetres from the page's corner. */
static GArray *
find_dots (const char *png,
           double      px_per_mm,
           double      fx,
           double      fy,
           double      fw,
           double      fh)
{
  cairo_surface_t *image = cairo_image_surface_create_from_png (png);
  const guint8 *data = cairo_image_surface_get_data (image);
  int stride = cairo_image_surface_get_stride (image);
  GArray *blobs = g_array_new (FALSE, TRUE, sizeof (Blob));

  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  for (int y = (int) (fy * px_per_mm) + 2; y < (int) ((fy + fh) * px_per_mm) - 2; y++)
    for (int x = (int) (fx * px_per_mm) + 2; x < (int) ((fx + fw) * px_per_mm) - 2; x++)
      {
        guint32 p = *(const guint32 *) (data + y * stride + 4 * x);
        int r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
        guint i;

        if (!(r > 160 && g < 70 && b < 80))
          continue;
        /* a dot is about a millimetre across; the points are 80 mm apart */
        for (i = 0; i < blobs->len; i++)
          {
            Blob *blob = &g_array_index (blobs, Blob, i);

            if (hypot (blob->sx / blob->n - x, blob->sy / blob->n - y) < 4 * px_per_mm)
              break;
          }
        if (i == blobs->len)
          g_array_set_size (blobs, blobs->len + 1);
        g_array_index (blobs, Blob, i).sx += x + 0.5;
        g_array_index (blobs, Blob, i).sy += y + 0.5;
        g_array_index (blobs, Blob, i).n++;
      }
  cairo_surface_destroy (image);
  for (guint i = 0; i < blobs->len; i++)
    {
      Blob *blob = &g_array_index (blobs, Blob, i);

      blob->sx = blob->sx / blob->n / px_per_mm;
      blob->sy = blob->sy / blob->n / px_per_mm;
    }
  return blobs;
}

/* The centre dot is at the frame's centre; east and north are 80 mm away,
 * each within 0.5 %. */
static void
check_scale (GArray *dots,
             double  fx,
             double  fy,
             double  fw,
             double  fh)
{
  const Blob *centre = NULL, *east = NULL, *north = NULL;

  g_assert_cmpuint (dots->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const Blob *b = &g_array_index (dots, Blob, i);

      if (b->sx > fx + fw / 2 + 10)
        east = b;
      else if (b->sy < fy + fh / 2 - 10)
        north = b;
      else
        centre = b;
    }
  g_assert_nonnull (centre);
  g_assert_nonnull (east);
  g_assert_nonnull (north);
  g_assert_cmpfloat (fabs (centre->sx - (fx + fw / 2)), <, 0.2);
  g_assert_cmpfloat (fabs (centre->sy - (fy + fh / 2)), <, 0.2);
  g_assert_cmpfloat (fabs (hypot (east->sx - centre->sx, east->sy - centre->sy) / EXPECTED_MM - 1), <, 0.005);
  g_assert_cmpfloat (fabs (hypot (north->sx - centre->sx, north->sy - centre->sy) / EXPECTED_MM - 1), <, 0.005);
}

static SabanPrintLayout *
layout_at_centre (SabanLayerModel *model,
                  SabanPaperSize   paper)
{
  SabanPrintLayout *layout = saban_print_layout_new (model);
  double x, y;

  saban_lonlat_to_mercator (LON0, LAT0, &x, &y);
  saban_print_layout_set_center (layout, x, y);
  saban_print_layout_set_scale (layout, SCALE);
  saban_print_layout_set_paper (layout, paper, TRUE);
  saban_print_layout_set_title (layout, "Bản đồ thử tỷ lệ");
  return layout;
}

static void
run (const char * const *argv)
{
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                               G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
test_pdf_scale (void)
{
  g_autofree char *points = write_points ();
  g_autoptr(SabanLayerModel) model = model_of (points);
  g_autoptr(SabanPrintLayout) layout = layout_at_centre (model, SABAN_PAPER_A3);
  g_autofree char *pdf = g_build_filename (dir, "in.pdf", NULL);
  g_autofree char *stem = g_build_filename (dir, "page", NULL);
  g_autofree char *png = g_build_filename (dir, "page-1.png", NULL);
  g_autoptr(GArray) dots = NULL;
  g_autoptr(GError) error = NULL;
  double w, h, fx, fy, fw, fh;

  g_assert_true (saban_print_layout_write (layout, pdf, NULL, &error));
  g_assert_no_error (error);
  saban_print_layout_get_page_mm (layout, &w, &h);
  g_assert_cmpfloat (w, ==, 420);
  g_assert_cmpfloat (h, ==, 297);
  /* 600 dpi: 80 mm is 1 890 pixels */
  run ((const char *[]) { "pdftoppm", "-r", "600", "-png", pdf, stem, NULL });
  saban_print_layout_get_map_frame (layout, &fx, &fy, &fw, &fh);
  dots = find_dots (png, 600 / 25.4, fx, fy, fw, fh);
  check_scale (dots, fx, fy, fw, fh);
  g_unlink (png);
  g_unlink (pdf);
  g_unlink (points);
}

/* A raster under the points is printed too (through its own surface, not
 * the tile's pixels): the frame is its colour away from the dots, and the
 * page names its file; the dots still lie at scale over it. */
static void
test_raster_print (void)
{
  g_autofree char *points = write_points ();
  g_autofree char *tif = g_build_filename (dir, "nen-xanh.tif", NULL);
  g_autofree char *png = g_build_filename (dir, "raster.png", NULL);
  g_autoptr(SabanLayerModel) model = model_of (points);
  g_autoptr(SabanRasterLayer) raster = NULL;
  g_autoptr(SabanLayer) layer = NULL;
  g_autoptr(SabanPrintLayout) layout = NULL;
  g_autoptr(GArray) dots = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *band = g_malloc (100 * 100);
  const guint8 rgb[3] = { 30, 120, 200 };
  cairo_surface_t *image;
  GDALDatasetH ds;
  double fx, fy, fw, fh, px_per_mm = 100 / 25.4;
  guint32 p;

  GDALAllRegister ();
  ds = GDALCreate (GDALGetDriverByName ("GTiff"), tif, 100, 100, 3, GDT_Byte, NULL);
  GDALSetGeoTransform (ds, (double[6]) { LON0 - 0.1, 0.002, 0, LAT0 + 0.1, 0, -0.002 });
  GDALSetProjection (ds, "EPSG:4326");
  for (int b = 0; b < 3; b++)
    {
      memset (band, rgb[b], 100 * 100);
      g_assert_cmpint (GDALRasterIO (GDALGetRasterBand (ds, b + 1), GF_Write, 0, 0, 100, 100, band, 100, 100,
                                     GDT_Byte, 0, 0), ==, CE_None);
    }
  GDALClose (ds);
  raster = saban_raster_layer_open (tif, NULL, &error);
  g_assert_no_error (error);
  layer = saban_layer_new_raster (raster);
  saban_layer_model_add (model, layer);

  layout = layout_at_centre (model, SABAN_PAPER_A3);
  saban_print_layout_set_dpi (layout, 100);
  g_assert_true (saban_print_layout_write (layout, png, NULL, &error));
  g_assert_no_error (error);
  saban_print_layout_get_map_frame (layout, &fx, &fy, &fw, &fh);
  image = cairo_image_surface_create_from_png (png);
  /* 30 mm south-west of the centre dot: nothing but the raster */
  p = *(const guint32 *) (cairo_image_surface_get_data (image) +
                          (int) ((fy + fh / 2 + 30) * px_per_mm) * cairo_image_surface_get_stride (image) +
                          4 * (int) ((fx + fw / 2 - 30) * px_per_mm));
  cairo_surface_destroy (image);
  g_assert_cmphex (p & 0xffffff, ==, 0x1e78c8);
  dots = find_dots (png, px_per_mm, fx, fy, fw, fh);
  check_scale (dots, fx, fy, fw, fh);
  g_unlink (png);
  g_unlink (tif);
  g_unlink (points);
}

static void
test_png_scale (void)
{
  g_autofree char *points = write_points ();
  g_autoptr(SabanLayerModel) model = model_of (points);
  g_autoptr(SabanPrintLayout) layout = layout_at_centre (model, SABAN_PAPER_A3);
  g_autofree char *png = g_build_filename (dir, "in.png", NULL);
  g_autoptr(GArray) dots = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *image;
  double fx, fy, fw, fh;

  saban_print_layout_set_dpi (layout, 200);
  g_assert_true (saban_print_layout_write (layout, png, NULL, &error));
  g_assert_no_error (error);
  image = cairo_image_surface_create_from_png (png);
  /* A3 landscape at 200 dpi */
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, (int) ceil (420 * 200 / 25.4));
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, (int) ceil (297 * 200 / 25.4));
  cairo_surface_destroy (image);
  saban_print_layout_get_map_frame (layout, &fx, &fy, &fw, &fh);
  dots = find_dots (png, 200 / 25.4, fx, fy, fw, fh);
  check_scale (dots, fx, fy, fw, fh);
  g_unlink (png);
  g_unlink (points);
}

/* The PDF's text, its lines joined by spaces */
static char *
pdf_text (const char *pdf)
{
  const char *argv[] = { "pdftotext", pdf, "-", NULL };
  g_autofree char *out = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_strdelimit (out, "\n", ' ');
  return g_steal_pointer (&out);
}

/* What the page says: title, scale, CRS, source, date (pdftotext). */
static void
test_page_text (void)
{
  g_autofree char *points = write_points ();
  g_autoptr(SabanLayerModel) model = model_of (points);
  g_autoptr(SabanPrintLayout) layout = layout_at_centre (model, SABAN_PAPER_A4);
  g_autoptr(GDateTime) when = g_date_time_new_local (2026, 3, 8, 14, 5, 0);
  g_autofree char *pdf = g_build_filename (dir, "text.pdf", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;

  saban_print_layout_set_time (layout, when);
  g_assert_true (saban_print_layout_write (layout, pdf, NULL, &error));
  out = pdf_text (pdf);
  g_assert_nonnull (strstr (out, "Bản đồ thử tỷ lệ"));
  g_assert_nonnull (strstr (out, "Scale 1:25,000"));
  g_assert_nonnull (strstr (out, "Web Mercator"));
  g_assert_nonnull (strstr (out, "WGS 84"));
  g_assert_nonnull (strstr (out, "moc.geojson"));
  g_assert_nonnull (strstr (out, "14:05 08/03/2026"));
  g_assert_nonnull (strstr (out, "Legend"));
  g_unlink (pdf);
  g_unlink (points);
}

/* A tile server on its own thread (the print fetches synchronously, from
 * the thread that writes it): every tile one colour; the zooms asked. */
typedef struct
{
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *server;
  GBytes *png;
  char *template;     /* http://127.0.0.1:PORT/{z}/{x}/{y}.png */
  GMutex lock;
  guint asked[24];    /* tiles asked per zoom */
  gboolean ready;
} TileServer;

static void
serve_tile (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  TileServer *t = user_data;
  guint z = (guint) g_ascii_strtoull (path + 1, NULL, 10);

  g_mutex_lock (&t->lock);
  t->asked[MIN (z, 23)]++;
  g_mutex_unlock (&t->lock);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY, g_bytes_get_data (t->png, NULL),
                                    g_bytes_get_size (t->png));
}

static gpointer
tile_server_thread (gpointer data)
{
  TileServer *t = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;

  g_main_context_push_thread_default (t->context);
  t->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (t->server, NULL, serve_tile, t, NULL);
  g_assert_true (soup_server_listen_local (t->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (t->server);
  t->template = g_strdup_printf ("http://127.0.0.1:%d/{z}/{x}/{y}.png", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  g_atomic_int_set (&t->ready, TRUE);
  g_main_loop_run (t->loop);
  g_clear_object (&t->server);
  g_main_context_pop_thread_default (t->context);
  return NULL;
}

/* A map service printed: on A4 at 1:25 000 its tiles at the print's zoom
 * (a few) and nothing said; on A0 more than a print fetches, so a zoom
 * lower, and the page says which layer is at a lower resolution; a WMTS
 * whose set stops short of the print's zoom, from its deepest tiles, said
 * too. */
static void
test_service_print (void)
{
  TileServer t = { .context = g_main_context_new () };
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanMapService) service = NULL;
  g_autoptr(SabanTileCache) cache = NULL;
  g_autoptr(SabanLayer) layer = NULL;
  g_autoptr(SabanLayerModel) model = saban_layer_model_new ();
  g_autofree char *tiles = g_build_filename (dir, "tiles", NULL);
  g_autofree char *a4 = g_build_filename (dir, "service-a4.pdf", NULL);
  g_autofree char *a0 = g_build_filename (dir, "service-a0.pdf", NULL);
  g_autofree char *a4_text = NULL, *a0_text = NULL;
  GThread *thread;
  guint a4_zoom = 0, a0_zoom = 0;

  t.loop = g_main_loop_new (t.context, FALSE);
  t.png = app_test_solid_png (0x1c, 0x71, 0xd8);
  g_mutex_init (&t.lock);
  thread = g_thread_new ("tile-server", tile_server_thread, &t);
  while (!g_atomic_int_get (&t.ready))
    g_usleep (1000);

  service = saban_map_service_new (SABAN_SERVICE_XYZ, t.template, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  cache = saban_tile_cache_new (service, tiles);
  layer = saban_layer_new_service (SABAN_TILE_FETCHER (cache));
  saban_layer_set_custom_title (layer, "Ảnh nền dịch vụ");
  saban_layer_model_add (model, layer);

  {
    g_autoptr(SabanPrintLayout) layout = layout_at_centre (model, SABAN_PAPER_A4);
    g_auto(GStrv) coarse = NULL;

    g_assert_true (saban_print_layout_write (layout, a4, &coarse, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length (coarse), ==, 0);
  }
  for (guint z = 0; z < 24; z++)
    if (t.asked[z] > 0)
      a4_zoom = z;
  g_assert_cmpuint (a4_zoom, >, 0);
  a4_text = pdf_text (a4);
  g_assert_null (strstr (a4_text, "lower resolution"));

  memset (t.asked, 0, sizeof t.asked);
  {
    g_autoptr(SabanPrintLayout) layout = layout_at_centre (model, SABAN_PAPER_A0);
    g_auto(GStrv) coarse = NULL;

    /* the caller is told too: the app's toast, the command line's message */
    g_assert_true (saban_print_layout_write (layout, a0, &coarse, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length (coarse), ==, 1);
    g_assert_cmpstr (coarse[0], ==, "Ảnh nền dịch vụ");
  }
  for (guint z = 0; z < 24; z++)
    if (t.asked[z] > 0)
      a0_zoom = z;
  g_test_message ("A4 drew the service from zoom %u, A0 from zoom %u (%u tiles)", a4_zoom, a0_zoom, t.asked[a0_zoom]);
  /* the same scale, so the same zoom would do; A0 takes one lower, within the cap */
  g_assert_cmpuint (a0_zoom, ==, a4_zoom - 1);
  g_assert_cmpuint (t.asked[a0_zoom], <=, 64);
  a0_text = pdf_text (a0);
  g_assert_nonnull (strstr (a0_text, "Drawn at a lower resolution than this scale needs"));
  g_assert_nonnull (strstr (a0_text, "Ảnh nền dịch vụ"));

  /* a WMTS set that stops at zoom 12: A4 at 1:25 000 (zoom 14) takes its
   * zoom 12 tiles, enlarged, and says so */
  memset (t.asked, 0, sizeof t.asked);
  {
    g_autoptr(GString) template = g_string_new (t.template);
    g_autoptr(SabanMapService) wmts = NULL;
    g_autoptr(SabanTileCache) wmts_cache = NULL;
    g_autoptr(SabanLayer) wmts_layer = NULL;
    g_autoptr(SabanLayerModel) wmts_model = saban_layer_model_new ();
    g_autoptr(SabanPrintLayout) layout = NULL;
    g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
    g_auto(GStrv) matrices = NULL;
    g_auto(GStrv) coarse = NULL;
    guint deepest = 0;

    for (guint z = 0; z <= 12; z++)
      {
        g_autofree char *id = g_strdup_printf ("%u", z);

        g_strv_builder_add (ids, id);
      }
    matrices = g_strv_builder_end (ids);
    g_string_replace (template, "{z}/{x}/{y}", "{TileMatrix}/{TileCol}/{TileRow}", 0);
    wmts = saban_map_service_new_wmts (template->str, "nen", NULL, NULL, "g", (const char * const *) matrices, &error);
    g_assert_no_error (error);
    wmts_cache = saban_tile_cache_new (wmts, tiles);
    wmts_layer = saban_layer_new_service (SABAN_TILE_FETCHER (wmts_cache));
    saban_layer_set_custom_title (wmts_layer, "Nền WMTS");
    saban_layer_model_add (wmts_model, wmts_layer);
    layout = layout_at_centre (wmts_model, SABAN_PAPER_A4);
    g_assert_true (saban_print_layout_write (layout, a4, &coarse, &error));
    g_assert_no_error (error);
    for (guint z = 0; z < 24; z++)
      if (t.asked[z] > 0)
        deepest = z;
    g_assert_cmpuint (deepest, ==, 12);
    g_assert_cmpuint (g_strv_length (coarse), ==, 1);
    g_assert_cmpstr (coarse[0], ==, "Nền WMTS");
  }

  g_main_loop_quit (t.loop);
  g_thread_join (thread);
  g_main_loop_unref (t.loop);
  g_main_context_unref (t.context);
  g_bytes_unref (t.png);
  g_free (t.template);
  g_mutex_clear (&t.lock);
  g_unlink (a4);
  g_unlink (a0);
}

static void
test_parse (void)
{
  SabanPaperSize paper;
  double scale;

  g_assert_true (saban_print_scale_parse ("1:25000", &scale) && scale == 25000);
  g_assert_true (saban_print_scale_parse ("1:25.000", &scale) && scale == 25000);
  g_assert_true (saban_print_scale_parse ("500", &scale) && scale == 500);
  g_assert_false (saban_print_scale_parse ("1:50", &scale));
  g_assert_false (saban_print_scale_parse ("1:abc", &scale));
  g_assert_false (saban_print_scale_parse ("1:99999999999", &scale));
  g_assert_true (saban_paper_size_parse ("A3", &paper) && paper == SABAN_PAPER_A3);
  g_assert_true (saban_paper_size_parse ("a0", &paper) && paper == SABAN_PAPER_A0);
  g_assert_false (saban_paper_size_parse ("A5", &paper));
  g_assert_false (saban_paper_size_parse ("B4", &paper));
}

/* saban --print, headless: centred on the file, to scale; bad arguments refused. */
static void
test_command_line (void)
{
  g_autofree char *points = write_points ();
  g_autofree char *pdf = g_build_filename (dir, "cli.pdf", NULL);
  g_autofree char *print = g_strdup_printf ("--print=%s", pdf);
  g_autofree char *stem = g_build_filename (dir, "cli", NULL);
  g_autofree char *png = g_build_filename (dir, "cli-1.png", NULL);
  g_autoptr(SabanLayerModel) model = model_of (points);
  g_autoptr(SabanPrintLayout) same = layout_at_centre (model, SABAN_PAPER_A3);
  g_autoptr(GArray) dots = NULL;
  const char *saban = g_getenv ("SABAN_BINARY");
  double fx, fy, fw, fh, north_lon, north_lat, east_lon, east_lat;
  int status;

  run ((const char *[]) { saban, print, "--print-scale=1:25000", "--print-paper=A3", points, NULL });
  run ((const char *[]) { "pdftoppm", "-r", "300", "-png", pdf, stem, NULL });
  /* the command line centres on the points' extent: the layout's frame, same paper */
  saban_print_layout_get_map_frame (same, &fx, &fy, &fw, &fh);
  dots = find_dots (png, 300 / 25.4, fx, fy, fw, fh);
  g_assert_cmpuint (dots->len, ==, 3);
  saban_measure_destination (LON0, LAT0, 90, DISTANCE_M, &east_lon, &east_lat);
  saban_measure_destination (LON0, LAT0, 0, DISTANCE_M, &north_lon, &north_lat);
  {
    double d01 = hypot (g_array_index (dots, Blob, 0).sx - g_array_index (dots, Blob, 1).sx,
                        g_array_index (dots, Blob, 0).sy - g_array_index (dots, Blob, 1).sy);
    double d02 = hypot (g_array_index (dots, Blob, 0).sx - g_array_index (dots, Blob, 2).sx,
                        g_array_index (dots, Blob, 0).sy - g_array_index (dots, Blob, 2).sy);
    double d12 = hypot (g_array_index (dots, Blob, 1).sx - g_array_index (dots, Blob, 2).sx,
                        g_array_index (dots, Blob, 1).sy - g_array_index (dots, Blob, 2).sy);
    double sides[3] = { d01, d02, d12 };
    guint near = 0;

    /* two sides of 80 mm (east, north) and the diagonal, whichever dot is which */
    for (guint i = 0; i < 3; i++)
      near += fabs (sides[i] / EXPECTED_MM - 1) < 0.005;
    g_assert_cmpuint (near, ==, 2);
  }
  for (guint i = 0; i < 4; i++)
    {
      const char *bad[][3] = { { "--print-scale=1:10", "--print-paper=A3" }, { "--print-scale=1:25000", "--print-paper=A9" },
                               { "--print-scale=banana", NULL }, { "--print-dpi=5", "--print-scale=1:25000" } };
      const char *argv[] = { saban, print, bad[i][0], bad[i][1], NULL };

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                   NULL, NULL, NULL, NULL, &status, NULL));
      g_assert_cmpint (WEXITSTATUS (status), ==, 2);
    }
  {
    g_autofree char *missing = g_build_filename (dir, "missing.gpkg", NULL);
    const char *argv[] = { saban, print, "--print-scale=1:25000", missing, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, NULL));
    g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  }
  g_unlink (png);
  g_unlink (pdf);
  g_unlink (points);
}

int
main (int argc, char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("saban-print-XXXXXX", NULL);
  g_test_add_func ("/print/parse", test_parse);
  g_test_add_func ("/print/pdf-scale", test_pdf_scale);
  g_test_add_func ("/print/png-scale", test_png_scale);
  g_test_add_func ("/print/raster", test_raster_print);
  g_test_add_func ("/print/page-text", test_page_text);
  g_test_add_func ("/print/service", test_service_print);
  g_test_add_func ("/print/command-line", test_command_line);
  status = g_test_run ();
  g_rmdir (dir);
  g_free (dir);
  return status;
}
