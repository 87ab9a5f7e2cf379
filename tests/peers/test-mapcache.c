/* A real MapCache 1.14 (Debian's mapcache-cgi) behind lighttpd on loopback,
 * making its tiles from a GeoTIFF of the demo's offline base map, read as a
 * WMTS server the way the map reads it: its capabilities parsed; a layer on
 * the GoogleMapsCompatible set asked by KVP, and one on a set of the
 * province's zooms 7–11 (whose matrices MapCache names 0–4, not by zoom)
 * asked through its REST template; at two zooms each, the tile the map gets
 * is pixel for pixel the one MapCache gives for that matrix, and not empty;
 * a layer tiled only in EPSG:4326 is refused, saying so.
 */
#include <gdal.h>
#include <libsoup/soup.h>
#include <string.h>

#include "peer-cgi.h"
#include "saban-files.h"
#include "saban-service-capabilities.h"
#include "saban-tile-cache.h"

#define MAPCACHE "/usr/lib/cgi-bin/mapcache"
#define WORLD (2 * 20037508.342789244)
/* the province's set: the map's zooms 7 to 11 */
#define FIRST_ZOOM 7

typedef struct
{
  char *dir;
  guint16 port;
  PeerProcess *lighttpd;
  char *wmts;        /* http://127.0.0.1:PORT/cgi-bin/mapcache/wmts */
  double centre[2];  /* of the base map, Web Mercator */
} McFixture;

static const char config[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<mapcache>\n"
  "  <grid name=\"laocai\">\n"
  "    <metadata><title>Lào Cai, zooms 7-11</title></metadata>\n"
  "    <srs>EPSG:3857</srs>\n"
  "    <units>m</units>\n"
  "    <extent>-20037508.3427892480 -20037508.3427892480 20037508.3427892480 20037508.3427892480</extent>\n"
  "    <resolutions>1222.99245256282 611.49622628141 305.748113140705 152.874056570353 76.4370282851763</resolutions>\n"
  "    <size>256 256</size>\n"
  "    <origin>top-left</origin>\n"
  "  </grid>\n"
  "  <source name=\"nen\" type=\"gdal\"><data>%s/nen.tif</data></source>\n"
  "  <cache name=\"disk\" type=\"disk\"><base>%s/cache</base></cache>\n"
  "  <tileset name=\"nen\"><source>nen</source><cache>disk</cache><grid>GoogleMapsCompatible</grid><format>PNG</format></tileset>\n"
  "  <tileset name=\"nen_tinh\"><source>nen</source><cache>disk</cache><grid>laocai</grid><format>PNG</format></tileset>\n"
  "  <tileset name=\"wgs\"><source>nen</source><cache>disk</cache><grid>WGS84</grid><format>PNG</format></tileset>\n"
  "  <service type=\"wmts\" enabled=\"true\"/>\n"
  "</mapcache>\n";

static void
mc_setup (McFixture     *fixture,
          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *source = g_strdup_printf ("GPKG:%s:basemap", g_getenv ("SABAN_DEMO_DATA"));
  g_autofree char *tif = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *text = NULL;
  GDALDatasetH ds;
  double gt[6];

  fixture->dir = peer_make_tmp_dir ("saban-mc-XXXXXX", FALSE);
  tif = g_build_filename (fixture->dir, "nen.tif", NULL);
  cache = g_build_filename (fixture->dir, "cache", NULL);
  config_path = g_build_filename (fixture->dir, "mapcache.xml", NULL);
  {
    const char *argv[] = { "gdal_translate", "-q", "-of", "GTiff", source, tif, NULL };

    peer_run (argv, FALSE, &error);
    g_assert_no_error (error);
  }
  ds = GDALOpen (tif, GA_ReadOnly);
  g_assert_nonnull (ds);
  g_assert_cmpint (GDALGetGeoTransform (ds, gt), ==, CE_None);
  fixture->centre[0] = gt[0] + gt[1] * GDALGetRasterXSize (ds) / 2;
  fixture->centre[1] = gt[3] + gt[5] * GDALGetRasterYSize (ds) / 2;
  GDALClose (ds);
  g_assert_cmpint (g_mkdir_with_parents (cache, 0755), ==, 0);
  text = g_strdup_printf (config, fixture->dir, fixture->dir);
  peer_write_file (fixture->dir, "mapcache.xml", text, 0644);

  fixture->lighttpd = peer_cgi_start (fixture->dir, "mapcache", MAPCACHE, "MAPCACHE_CONFIG_FILE", config_path,
                                      NULL, NULL, &fixture->port);
  fixture->wmts = g_strdup_printf ("http://127.0.0.1:%u/cgi-bin/mapcache/wmts", fixture->port);
}

static void
mc_teardown (McFixture     *fixture,
             gconstpointer  user_data)
{
  peer_cgi_log_on_failure (fixture->dir);
  g_clear_pointer (&fixture->lighttpd, peer_process_stop);
  saban_remove_tree (fixture->dir, NULL);
  g_free (fixture->dir);
  g_free (fixture->wmts);
}

static SabanServiceLayer *
find (GPtrArray  *layers,
      const char *name)
{
  for (guint i = 0; i < layers->len; i++)
    {
      SabanServiceLayer *layer = g_ptr_array_index (layers, i);

      if (g_strcmp0 (layer->name, name) == 0)
        return layer;
    }
  g_assert_not_reached ();
}

/* MapCache's own tile, asked by its REST address with the matrix named as
 * the test knows MapCache names it */
static GBytes *
their_tile (McFixture  *fixture,
            const char *layer,
            const char *set,
            guint       matrix,
            guint       x,
            guint       y)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%s/1.0.0/%s/default/%s/%u/%u/%u.png", fixture->wmts, layer, set, matrix, y, x);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  GBytes *body = soup_session_send_and_read (session, msg, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  return body;
}

/* The map's tile at @zoom under the base map's centre, through @service's
 * cache (as the map draws it), against MapCache's own for @matrix. */
static void
check_tile (McFixture       *fixture,
            SabanMapService *service,
            const char      *set,
            guint            zoom,
            guint            matrix)
{
  g_autofree char *dir = g_build_filename (fixture->dir, "ours", NULL);
  g_autoptr(SabanTileCache) cache = saban_tile_cache_new (service, dir);
  g_autoptr(GError) error = NULL;
  double tile = WORLD / (1u << zoom);
  guint x = (guint) ((fixture->centre[0] + WORLD / 2) / tile);
  guint y = (guint) ((WORLD / 2 - fixture->centre[1]) / tile);
  g_autoptr(GBytes) ours = saban_tile_fetcher_fetch_tile (SABAN_TILE_FETCHER (cache), zoom, x, y, NULL, &error);
  g_autoptr(GBytes) theirs = NULL;
  g_autofree guint8 *a = NULL, *b = NULL;
  int size_a, size_b, coloured = 0;

  g_assert_no_error (error);
  theirs = their_tile (fixture, saban_map_service_get_layer (service), set, matrix, x, y);
  a = peer_decode_png (ours, &size_a);
  b = peer_decode_png (theirs, &size_b);
  g_assert_cmpint (size_a, ==, 256);
  g_assert_cmpint (size_b, ==, 256);
  g_assert_cmpmem (a, 256 * 256 * 3, b, 256 * 256 * 3);
  for (int i = 0; i < 256 * 256; i++)
    coloured += a[3 * i] != 0 || a[3 * i + 1] != 0 || a[3 * i + 2] != 0;
  g_test_message ("%s %u/%u/%u (matrix %s/%u): %d of 65536 pixels coloured", saban_map_service_get_layer (service),
                  zoom, x, y, set, matrix, coloured);
  g_assert_cmpint (coloured, >, 256 * 256 / 2);
}

static void
test_wmts (McFixture     *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanMapService) server = saban_map_service_new (SABAN_SERVICE_WMTS, fixture->wmts, NULL, NULL, NULL,
                                                             NULL, NULL, &error);
  g_autofree char *dir = g_build_filename (fixture->dir, "ours", NULL);
  g_autoptr(SabanTileCache) reader = NULL;
  g_autoptr(GPtrArray) layers = NULL;
  g_autoptr(SabanMapService) kvp = NULL;
  g_autoptr(SabanMapService) rest = NULL;
  SabanServiceLayer *nen, *tinh, *wgs;

  g_assert_no_error (error);
  reader = saban_tile_cache_new (server, dir);
  layers = peer_read_capabilities (reader, NULL);

  nen = find (layers, "nen");
  g_assert_null (nen->refusal);
  g_assert_cmpstr (nen->matrix_set, ==, "GoogleMapsCompatible");
  g_assert_cmpstr (nen->matrices[9], ==, "9");
  tinh = find (layers, "nen_tinh");
  g_assert_null (tinh->refusal);
  g_assert_cmpstr (tinh->matrix_set, ==, "laocai");
  g_assert_cmpuint (g_strv_length (tinh->matrices), ==, 12);
  g_assert_cmpstr (tinh->matrices[6], ==, "");
  g_assert_cmpstr (tinh->matrices[FIRST_ZOOM], ==, "0");
  g_assert_cmpstr (tinh->matrices[11], ==, "4");
  g_assert_nonnull (strstr (tinh->tile_template, "{TileMatrix}"));
  wgs = find (layers, "wgs");
  g_assert_null (wgs->matrix_set);
  g_assert_nonnull (strstr (wgs->refusal, "4326"));

  /* KVP at the server's address; REST through the template it names */
  kvp = saban_map_service_new_wmts (fixture->wmts, "nen", NULL, "image/png", nen->matrix_set,
                                    (const char * const *) nen->matrices, &error);
  g_assert_no_error (error);
  rest = saban_map_service_new_wmts (tinh->tile_template, "nen_tinh", NULL, "image/png", tinh->matrix_set,
                                     (const char * const *) tinh->matrices, &error);
  g_assert_no_error (error);
  check_tile (fixture, kvp, "GoogleMapsCompatible", 9, 9);
  check_tile (fixture, kvp, "GoogleMapsCompatible", 11, 11);
  check_tile (fixture, rest, "laocai", 9, 9 - FIRST_ZOOM);
  check_tile (fixture, rest, "laocai", 11, 11 - FIRST_ZOOM);
  /* a zoom the province's set has not: nothing asked */
  g_assert_null (saban_map_service_tile_url (rest, 12, 0, 0));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Loopback must never go through a proxy a developer's shell may set. */
  g_setenv ("NO_PROXY", "127.0.0.1,localhost", TRUE);
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);
  GDALAllRegister ();

  g_test_add ("/peers/mapcache/wmts", McFixture, NULL, mc_setup, test_wmts, mc_teardown);
  return g_test_run ();
}
