/* Rasters through GDAL: every format the issue names, made here with GDAL
 * (GeoTIFF, COG served over HTTP with range reads, JPEG 2000, GeoPackage
 * tiles, MBTiles, a scan with a world file, one with GCPs), drawn into
 * tiles and checked pixel by pixel; the hillshade against gdaldem's. */
#include <cpl_conv.h>
#include <gdal.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <string.h>

#include "saban-error.h"
#include "saban-hillshade.h"
#include "saban-raster-layer.h"
#include "saban-transform.h"

#define WEB_MERCATOR_HALF 20037508.342789244

static char *dir;

/* VN-2000 / TM-3 104-45 (Lào Cai's zone), 30 m cells. */
#define DEM_X0 420000.0
#define DEM_Y0 2490000.0
#define DEM_RES 30.0
#define DEM_W 200
#define DEM_H 150

static double
dem_height (int col, int row)
{
  return 400 + 300 * sin (col / 17.0) * cos (row / 23.0) + 2.5 * row;
}

static char *
make_dem (void)
{
  char *path = g_build_filename (dir, "dem.tif", NULL);
  GDALDatasetH ds = GDALCreate (GDALGetDriverByName ("GTiff"), path, DEM_W, DEM_H, 1, GDT_Float32, NULL);
  double gt[6] = { DEM_X0, DEM_RES, 0, DEM_Y0, 0, -DEM_RES };
  g_autofree float *z = g_new (float, DEM_W * DEM_H);
  GDALRasterBandH band = GDALGetRasterBand (ds, 1);

  for (int row = 0; row < DEM_H; row++)
    for (int col = 0; col < DEM_W; col++)
      z[row * DEM_W + col] = col < 10 && row < 10 ? -9999 : (float) dem_height (col, row);
  GDALSetGeoTransform (ds, gt);
  GDALSetProjection (ds, "EPSG:9208");
  GDALSetRasterNoDataValue (band, -9999);
  GDALSetRasterUnitType (band, "m");
  GDALSetDescription (band, "elevation");
  g_assert_cmpint (GDALRasterIO (band, GF_Write, 0, 0, DEM_W, DEM_H, z, DEM_W, DEM_H, GDT_Float32, 0, 0), ==, CE_None);
  GDALClose (ds);
  return path;
}

/* WGS 84, 0.001° cells, west half red, east half blue, a black (nodata)
 * square in the north-west corner. */
#define RGB_LON0 103.90
#define RGB_LAT0 22.50
#define RGB_W 256
#define RGB_H 256

static GDALDatasetH
make_rgb_mem (void)
{
  GDALDatasetH ds = GDALCreate (GDALGetDriverByName ("MEM"), "", RGB_W, RGB_H, 3, GDT_Byte, NULL);
  double gt[6] = { RGB_LON0, 0.001, 0, RGB_LAT0, 0, -0.001 };
  g_autofree guint8 *px = g_new0 (guint8, 3 * RGB_W * RGB_H);

  for (int row = 0; row < RGB_H; row++)
    for (int col = 0; col < RGB_W; col++)
      {
        gsize k = (gsize) row * RGB_W + col;

        if (col < 32 && row < 32)
          continue;
        px[k] = col < RGB_W / 2 ? 220 : 20;
        px[RGB_W * RGB_H + k] = 30;
        px[2 * RGB_W * RGB_H + k] = col < RGB_W / 2 ? 20 : 220;
      }
  GDALSetGeoTransform (ds, gt);
  GDALSetProjection (ds, SRS_WKT_WGS84_LAT_LONG);
  for (int b = 1; b <= 3; b++)
    GDALSetRasterNoDataValue (GDALGetRasterBand (ds, b), 0);
  g_assert_cmpint (GDALDatasetRasterIO (ds, GF_Write, 0, 0, RGB_W, RGB_H, px, RGB_W, RGB_H, GDT_Byte, 3, NULL, 0, 0, 0),
                   ==, CE_None);
  return ds;
}

static char *
make_copy (const char  *driver,
           const char  *name,
           const char **options)
{
  char *path = g_build_filename (dir, name, NULL);
  GDALDatasetH mem = make_rgb_mem ();
  GDALDatasetH out = GDALCreateCopy (GDALGetDriverByName (driver), path, mem, FALSE, (char **) options, NULL, NULL);

  g_assert_nonnull (out);
  GDALClose (out);
  GDALClose (mem);
  return path;
}

static void
lonlat_to_mercator (double lon, double lat, double *x, double *y)
{
  *x = lon * G_PI / 180 * 6378137.0;
  *y = log (tan (G_PI / 4 + lat * G_PI / 360)) * 6378137.0;
}

/* A 256 px tile, 8 × 8 km, centred on the RGB raster's middle. */
static guint32 *
render_rgb_tile (SabanRasterLayer *layer, gboolean *drawn)
{
  double cx, cy;
  guint32 *px = g_new0 (guint32, 256 * 256);

  lonlat_to_mercator (RGB_LON0 + 0.128, RGB_LAT0 - 0.128, &cx, &cy);
  *drawn = saban_raster_layer_render (layer, SABAN_RASTER_RENDER_IMAGE, cx - 16000, cy + 16000, 32000, 256,
                                      (guint8 *) px, 256 * 4);
  return px;
}

/* The tile's pixel over (lon, lat). */
static guint32
tile_pixel (const guint32 *px, double lon, double lat)
{
  double cx, cy, x, y;

  lonlat_to_mercator (RGB_LON0 + 0.128, RGB_LAT0 - 0.128, &cx, &cy);
  lonlat_to_mercator (lon, lat, &x, &y);
  return px[(int) ((cy + 16000 - y) / 125) * 256 + (int) ((x - cx + 16000) / 125)];
}

static void
assert_red_blue (SabanRasterLayer *layer, int tolerance, gboolean nodata_clear)
{
  gboolean drawn = FALSE;
  g_autofree guint32 *px = render_rgb_tile (layer, &drawn);
  guint32 west = tile_pixel (px, RGB_LON0 + 0.06, RGB_LAT0 - 0.15);
  guint32 east = tile_pixel (px, RGB_LON0 + 0.20, RGB_LAT0 - 0.15);
  guint32 corner = tile_pixel (px, RGB_LON0 + 0.010, RGB_LAT0 - 0.010);
  guint32 outside = tile_pixel (px, RGB_LON0 - 0.02, RGB_LAT0 - 0.15);

  g_assert_true (drawn);
  g_assert_cmpuint (west >> 24, ==, 255);
  g_assert_cmpint (abs ((int) ((west >> 16) & 0xff) - 220), <=, tolerance);
  g_assert_cmpint (abs ((int) (west & 0xff) - 20), <=, tolerance);
  g_assert_cmpint (abs ((int) ((east >> 16) & 0xff) - 20), <=, tolerance);
  g_assert_cmpint (abs ((int) (east & 0xff) - 220), <=, tolerance);
  g_assert_cmpuint (outside, ==, 0);
  if (nodata_clear)
    g_assert_cmpuint (corner >> 24, ==, 0);
}

static SabanRasterLayer *
open_ok (const char *path, const char *crs)
{
  g_autoptr(GError) error = NULL;
  SabanRasterLayer *layer = saban_raster_layer_open (path, crs, &error);

  g_assert_no_error (error);
  g_assert_nonnull (layer);
  return layer;
}

static void
test_geotiff (void)
{
  g_autofree char *path = make_copy ("GTiff", "rgb.tif", NULL);
  g_autoptr(SabanRasterLayer) layer = open_ok (path, NULL);
  double min_x, min_y, max_x, max_y, x, y;

  g_assert_true (saban_raster_layer_probe (path));
  g_assert_cmpint (saban_raster_layer_get_kind (layer), ==, SABAN_RASTER_KIND_RGB);
  g_assert_cmpuint (saban_raster_layer_get_n_bands (layer), ==, 3);
  g_assert_cmpstr (saban_raster_layer_get_source_crs (layer), ==, "EPSG:4326");
  saban_raster_layer_get_extent (layer, &min_x, &min_y, &max_x, &max_y);
  lonlat_to_mercator (RGB_LON0, RGB_LAT0, &x, &y);
  g_assert_cmpfloat (fabs (min_x - x), <, 1);
  g_assert_cmpfloat (fabs (max_y - y), <, 1);
  assert_red_blue (layer, 0, TRUE);
}

/* Opacity is the tile source's; here: nothing is drawn for a tile far away. */
static void
test_far_tile (void)
{
  g_autofree char *path = make_copy ("GTiff", "rgb.tif", NULL);
  g_autoptr(SabanRasterLayer) layer = open_ok (path, NULL);
  g_autofree guint32 *px = g_new0 (guint32, 256 * 256);

  g_assert_false (saban_raster_layer_render (layer, SABAN_RASTER_RENDER_IMAGE, 0, 100000, 10000, 256,
                                             (guint8 *) px, 256 * 4));
  for (guint i = 0; i < 256 * 256; i++)
    g_assert_cmpuint (px[i], ==, 0);
}

static void
test_jpeg2000 (void)
{
  g_autofree char *path = NULL;
  g_autoptr(SabanRasterLayer) layer = NULL;

  if (GDALGetDriverByName ("JP2OpenJPEG") == NULL)
    {
      g_test_skip ("GDAL has no JPEG 2000 driver");
      return;
    }
  path = make_copy ("JP2OpenJPEG", "rgb.jp2", (const char *[]) { "QUALITY=100", "REVERSIBLE=YES", NULL });
  layer = open_ok (path, NULL);
  assert_red_blue (layer, 2, FALSE);
}

static void
test_ecw_mrsid (void)
{
  /* Debian's GDAL has neither (proprietary SDKs): read where GDAL has them. */
  if (GDALGetDriverByName ("ECW") == NULL && GDALGetDriverByName ("MrSID") == NULL)
    g_test_skip ("GDAL has no ECW or MrSID driver");
}

static void
test_geopackage_tiles (void)
{
  g_autofree char *path = make_copy ("GPKG", "tiles.gpkg", (const char *[]) { "RASTER_TABLE=ortho", NULL });
  g_autoptr(SabanRasterLayer) layer = open_ok (path, NULL);

  g_assert_true (saban_raster_layer_probe (path));
  assert_red_blue (layer, 3, FALSE);
}

static void
test_mbtiles (void)
{
  g_autofree char *path = make_copy ("MBTiles", "tiles.mbtiles", (const char *[]) { "TILE_FORMAT=PNG", NULL });
  g_autoptr(SabanRasterLayer) layer = open_ok (path, NULL);

  g_assert_cmpstr (saban_raster_layer_get_source_crs (layer), ==, "EPSG:3857");
  assert_red_blue (layer, 3, FALSE);
}

/* A scanned drawing: a PNG, its world file, no CRS: the user is asked. */
static void
test_world_file (void)
{
  g_autofree char *path = g_build_filename (dir, "scan.png", NULL);
  g_autofree char *world = g_build_filename (dir, "scan.pgw", NULL);
  g_autofree char *text = g_strdup_printf ("0.001\n0\n0\n-0.001\n%.4f\n%.4f\n", RGB_LON0 + 0.0005, RGB_LAT0 - 0.0005);
  GDALDatasetH mem = make_rgb_mem ();
  const char *no_world[] = { "WORLDFILE=NO", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanRasterLayer) refused = NULL;
  g_autoptr(SabanRasterLayer) layer = NULL;

  GDALSetProjection (mem, "");
  GDALClose (GDALCreateCopy (GDALGetDriverByName ("PNG"), path, mem, FALSE, (char **) no_world, NULL, NULL));
  GDALClose (mem);
  g_assert_true (g_file_set_contents (world, text, -1, NULL));
  {
    g_autofree char *aux = g_strconcat (path, ".aux.xml", NULL);

    g_remove (aux);
  }
  refused = saban_raster_layer_open (path, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_NEEDS_CRS);
  layer = open_ok (path, "EPSG:4326");
  g_assert_cmpint (saban_raster_layer_get_kind (layer), ==, SABAN_RASTER_KIND_RGB);
  assert_red_blue (layer, 0, FALSE);
}

/* Georeferenced by control points only: GDAL fits the transform. */
static void
test_gcps (void)
{
  g_autofree char *path = g_build_filename (dir, "gcps.tif", NULL);
  GDALDatasetH mem = make_rgb_mem ();
  GDALDatasetH out = GDALCreateCopy (GDALGetDriverByName ("GTiff"), path, mem, FALSE, NULL, NULL, NULL);
  GDAL_GCP gcps[4];
  const double corners[4][2] = { { 0, 0 }, { RGB_W, 0 }, { 0, RGB_H }, { RGB_W, RGB_H } };
  g_autoptr(SabanRasterLayer) layer = NULL;

  GDALClose (mem);
  GDALInitGCPs (4, gcps);
  for (int i = 0; i < 4; i++)
    {
      gcps[i].dfGCPPixel = corners[i][0];
      gcps[i].dfGCPLine = corners[i][1];
      gcps[i].dfGCPX = RGB_LON0 + corners[i][0] * 0.001;
      gcps[i].dfGCPY = RGB_LAT0 - corners[i][1] * 0.001;
    }
  GDALSetGCPs (out, 4, gcps, SRS_WKT_WGS84_LAT_LONG);
  GDALDeinitGCPs (4, gcps);
  GDALClose (out);
  {
    /* only the GCPs: no geotransform */
    GDALDatasetH check = GDALOpen (path, GA_ReadOnly);

    g_assert_cmpint (GDALGetGCPCount (check), ==, 4);
    GDALClose (check);
  }
  layer = open_ok (path, NULL);
  assert_red_blue (layer, 0, FALSE);
}

/* A COG on a plain HTTP server that honours Range: GDAL's /vsicurl/ reads
 * the header and the tiles it needs, never the whole file. */
typedef struct
{
  GMappedFile *file;
  gsize served;
  guint ranges;
  guint others;   /* requests for any other file (sidecars) */
} Served;

/* SoupServer answers a Range itself (206 with the part) when the handler
 * sets the whole body: what is counted is what it sends. */
static void
serve_file (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Served *s = user_data;
  gsize size = g_mapped_file_get_length (s->file);
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = g_mapped_file_get_bytes (s->file);
  SoupRange *ranges = NULL;
  int n_ranges = 0;

  if (!g_str_equal (path, "/ortho.tif"))
    {
      s->others++;
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  if (soup_message_headers_get_ranges (request, size, &ranges, &n_ranges))
    {
      s->ranges++;
      for (int i = 0; i < n_ranges; i++)
        s->served += (gsize) (ranges[i].end - ranges[i].start + 1);
      soup_message_headers_free_ranges (request, ranges);
    }
  else if (soup_server_message_get_method (msg) == SOUP_METHOD_GET)
    s->served += size;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Accept-Ranges", "bytes");
  soup_server_message_set_response (msg, "image/tiff", SOUP_MEMORY_COPY, NULL, 0);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

typedef struct
{
  char *url;
  SabanRasterLayer *layer;
  GError *error;
  gboolean drawn;
  guint32 west;
  GMainLoop *loop;
} CogRun;

static gpointer
read_cog (gpointer user_data)
{
  CogRun *run = user_data;
  g_autofree guint32 *px = NULL;

  run->layer = saban_raster_layer_open (run->url, NULL, &run->error);
  if (run->layer != NULL)
    {
      px = render_rgb_tile (run->layer, &run->drawn);
      run->west = tile_pixel (px, RGB_LON0 + 0.06, RGB_LAT0 - 0.15);
    }
  g_main_loop_quit (run->loop);
  return NULL;
}

static void
test_cog_http (void)
{
  g_autofree char *path = NULL;
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GThread) thread = NULL;
  Served served = { 0 };
  CogRun run = { .loop = loop };
  int port;

  /* 12 MB, noise in green so it does not compress: a tile's read must be
   * a small part of it */
  {
    GDALDatasetH big = GDALCreate (GDALGetDriverByName ("MEM"), "", 2048, 2048, 3, GDT_Byte, NULL);
    g_autofree guint8 *px = g_new (guint8, 3 * 2048 * 2048);
    const char *cog_options[] = { "COMPRESS=NONE", "BLOCKSIZE=256", "OVERVIEWS=AUTO", NULL };

    for (gsize k = 0; k < 2048 * 2048; k++)
      {
        gboolean west = k % 2048 < 1024;

        px[k] = west ? 220 : 20;
        px[2048 * 2048 + k] = (guint8) g_test_rand_int_range (0, 256);
        px[2 * 2048 * 2048 + k] = west ? 20 : 220;
      }
    GDALSetGeoTransform (big, (double[6]) { RGB_LON0, 0.000125, 0, RGB_LAT0, 0, -0.000125 });
    GDALSetProjection (big, SRS_WKT_WGS84_LAT_LONG);
    g_assert_cmpint (GDALDatasetRasterIO (big, GF_Write, 0, 0, 2048, 2048, px, 2048, 2048, GDT_Byte, 3, NULL, 0, 0, 0),
                     ==, CE_None);
    path = g_build_filename (dir, "ortho.cog.tif", NULL);
    GDALClose (GDALCreateCopy (GDALGetDriverByName ("COG"), path, big, FALSE, (char **) cog_options, NULL, NULL));
    GDALClose (big);
  }
  served.file = g_mapped_file_new (path, FALSE, &error);
  g_assert_no_error (error);
  soup_server_add_handler (server, "/ortho.tif", serve_file, &served, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  run.url = g_strdup_printf ("/vsicurl/http://127.0.0.1:%d/ortho.tif", port);

  /* GDAL blocks: it runs in a thread while this one serves */
  thread = g_thread_new ("cog", read_cog, &run);
  g_main_loop_run (loop);
  g_thread_join (g_steal_pointer (&thread));
  g_assert_no_error (run.error);
  g_assert_true (run.drawn);
  g_assert_cmpint (abs ((int) ((run.west >> 16) & 0xff) - 220), <=, 3);
  g_assert_cmpuint (saban_raster_layer_get_n_overviews (run.layer), >, 0);
  g_assert_cmpuint (served.ranges, >, 0);
  /* no .aux.xml, .ovr or .msk asked for: a COG has them inside */
  g_assert_cmpuint (served.others, ==, 0);
  g_assert_cmpuint (served.served, <, g_mapped_file_get_length (served.file) / 2);
  g_clear_object (&run.layer);
  g_free (run.url);
  g_mapped_file_unref (served.file);
}

/* Within 1 grey level of gdaldem hillshade on the bulk of the pixels. */
static void
test_hillshade_vs_gdaldem (void)
{
  g_autofree char *dem = make_dem ();
  g_autofree char *out = g_build_filename (dir, "hs.tif", NULL);
  const char *argv[] = { "gdaldem", "hillshade", dem, out, "-q", NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;
  g_autofree float *z = g_new (float, DEM_W * DEM_H);
  g_autofree guint8 *valid = g_new (guint8, DEM_W * DEM_H);
  g_autofree guint8 *ours = g_new (guint8, DEM_W * DEM_H);
  g_autofree guint8 *theirs = g_new (guint8, DEM_W * DEM_H);
  GDALDatasetH ds;
  guint compared = 0, close_enough = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  ds = GDALOpen (out, GA_ReadOnly);
  g_assert_cmpint (GDALRasterIO (GDALGetRasterBand (ds, 1), GF_Read, 0, 0, DEM_W, DEM_H, theirs, DEM_W, DEM_H, GDT_Byte, 0, 0), ==, CE_None);
  GDALClose (ds);
  ds = GDALOpen (dem, GA_ReadOnly);
  g_assert_cmpint (GDALRasterIO (GDALGetRasterBand (ds, 1), GF_Read, 0, 0, DEM_W, DEM_H, z, DEM_W, DEM_H, GDT_Float32, 0, 0), ==, CE_None);
  GDALClose (ds);
  for (guint i = 0; i < DEM_W * DEM_H; i++)
    valid[i] = z[i] != -9999;

  saban_hillshade (z, valid, DEM_W, DEM_H, DEM_RES, DEM_RES, 1, ours);
  for (guint i = 0; i < DEM_W * DEM_H; i++)
    {
      if (theirs[i] == 0 || ours[i] == 0)
        {
          /* both leave the border and nodata's neighbours out */
          g_assert_cmpuint (theirs[i], ==, ours[i]);
          continue;
        }
      compared++;
      close_enough += abs ((int) ours[i] - (int) theirs[i]) <= 1;
    }
  g_assert_cmpuint (compared, >, DEM_W * DEM_H * 9 / 10);
  g_assert_cmpfloat ((double) close_enough / compared, >=, 0.99);
}

static void
test_dem (void)
{
  g_autofree char *path = make_dem ();
  g_autoptr(SabanRasterLayer) layer = NULL;
  g_autoptr(SabanTransform) to_mercator = saban_transform_new ("EPSG:9208", "EPSG:3857", NULL);
  const SabanRasterBand *band;
  double xy[2] = { DEM_X0 + 100.5 * DEM_RES, DEM_Y0 - 60.5 * DEM_RES }, value = 0, corner[2];
  double min_x, min_y, max_x, max_y;
  g_autofree guint32 *px = g_new0 (guint32, 256 * 256);
  g_autoptr(GArray) profile = NULL;
  guint opaque = 0;

  layer = open_ok (path, NULL);
  g_assert_cmpint (saban_raster_layer_get_kind (layer), ==, SABAN_RASTER_KIND_ELEVATION);
  g_assert_cmpstr (saban_raster_layer_get_source_crs (layer), ==, "EPSG:9208");
  band = saban_raster_layer_get_band (layer, 0);
  g_assert_cmpstr (band->name, ==, "elevation");
  g_assert_cmpstr (band->unit, ==, "m");
  g_assert_true (band->has_nodata);
  g_assert_cmpfloat (band->nodata, ==, -9999);
  g_assert_cmpfloat (band->min, >, 50);
  g_assert_cmpfloat (band->max, <, 1200);

  /* identify: the value of the pixel under the point */
  saban_transform_points (to_mercator, xy, 1);
  g_assert_true (saban_raster_layer_sample (layer, xy[0], xy[1], &value));
  g_assert_cmpfloat (fabs (value - dem_height (100, 60)), <, 0.01);
  corner[0] = DEM_X0 + 2 * DEM_RES;
  corner[1] = DEM_Y0 - 2 * DEM_RES;
  saban_transform_points (to_mercator, corner, 1);
  g_assert_false (saban_raster_layer_sample (layer, corner[0], corner[1], &value));

  /* a profile from the nodata corner across the DEM */
  {
    double line[4] = { corner[0], corner[1], xy[0], xy[1] };

    profile = saban_raster_layer_profile (layer, line, 2, 50);
    g_assert_cmpuint (profile->len, ==, 50);
    g_assert_true (isnan (g_array_index (profile, SabanProfilePoint, 0).value));
    g_assert_cmpfloat (fabs (g_array_index (profile, SabanProfilePoint, 49).value - dem_height (100, 60)), <, 0.01);
    /* ground distance: 98 × 58 cells of 30 m, within 0.5 % */
    g_assert_cmpfloat (fabs (g_array_index (profile, SabanProfilePoint, 49).distance - hypot (98.5, 58.5) * DEM_RES),
                       <, hypot (98.5, 58.5) * DEM_RES * 0.005);
  }

  /* the relief, drawn over the whole DEM in one tile */
  saban_raster_layer_get_extent (layer, &min_x, &min_y, &max_x, &max_y);
  g_assert_true (saban_raster_layer_render (layer, SABAN_RASTER_RENDER_HYPSOMETRIC, min_x - 100, max_y + 100,
                                            MAX (max_x - min_x, max_y - min_y) + 200, 256, (guint8 *) px, 256 * 4));
  for (guint i = 0; i < 256 * 256; i++)
    opaque += px[i] >> 24 == 255;
  g_assert_cmpuint (opaque, >, 256 * 256 / 3);
  g_assert_cmpuint (px[0] >> 24, ==, 0);
}

static void
on_overview_progress (double fraction, const char *name, gpointer user_data)
{
  double *last = user_data;

  g_assert_cmpfloat (fraction, >=, 0);
  *last = fraction;
}

static void
on_overviews_built (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (saban_raster_layer_build_overviews_finish (SABAN_RASTER_LAYER (object), result, &error));
  g_assert_no_error (error);
  g_main_loop_quit (user_data);
}

static void
test_overviews (void)
{
  g_autofree char *path = g_build_filename (dir, "wide.tif", NULL);
  g_autofree char *ovr = g_strconcat (path, ".ovr", NULL);
  GDALDatasetH ds = GDALCreate (GDALGetDriverByName ("GTiff"), path, 4200, 64, 1, GDT_Byte, NULL);
  g_autoptr(SabanRasterLayer) layer = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  double last = -1;

  GDALSetGeoTransform (ds, (double[6]) { 420000, 1, 0, 2490000, 0, -1 });
  GDALSetProjection (ds, "EPSG:9208");
  GDALClose (ds);
  layer = open_ok (path, NULL);
  g_assert_true (saban_raster_layer_needs_overviews (layer));
  saban_raster_layer_build_overviews_async (layer, NULL, on_overview_progress, &last, on_overviews_built, loop);
  g_main_loop_run (loop);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpfloat (last, >=, 0);
  g_assert_true (g_file_test (ovr, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (saban_raster_layer_get_n_overviews (layer), >, 0);
  g_assert_false (saban_raster_layer_needs_overviews (layer));
}

/* Hostile files: a clear message, nothing else. */
static void
test_bad_files (void)
{
  g_autofree char *text = g_build_filename (dir, "notes.tif", NULL);
  g_autofree char *cut = g_build_filename (dir, "cut.tif", NULL);
  g_autofree char *whole = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanRasterLayer) layer = NULL;
  g_autofree char *rgb = make_copy ("GTiff", "rgb.tif", NULL);

  g_assert_true (g_file_set_contents (text, "not a raster\n", -1, NULL));
  layer = saban_raster_layer_open (text, NULL, &error);
  g_assert_null (layer);
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_OPEN);
  g_assert_false (saban_raster_layer_probe (text));
  g_clear_error (&error);

  g_assert_true (g_file_get_contents (rgb, &whole, &length, NULL));
  g_assert_true (g_file_set_contents (cut, whole, 100, NULL));
  layer = saban_raster_layer_open (cut, NULL, &error);
  g_assert_null (layer);
  g_assert_nonnull (error);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();
  dir = g_dir_make_tmp ("saban-raster-XXXXXX", NULL);

  g_test_add_func ("/raster/geotiff", test_geotiff);
  g_test_add_func ("/raster/far-tile", test_far_tile);
  g_test_add_func ("/raster/jpeg2000", test_jpeg2000);
  g_test_add_func ("/raster/ecw-mrsid", test_ecw_mrsid);
  g_test_add_func ("/raster/geopackage-tiles", test_geopackage_tiles);
  g_test_add_func ("/raster/mbtiles", test_mbtiles);
  g_test_add_func ("/raster/world-file", test_world_file);
  g_test_add_func ("/raster/gcps", test_gcps);
  g_test_add_func ("/raster/cog-http", test_cog_http);
  g_test_add_func ("/raster/hillshade-vs-gdaldem", test_hillshade_vs_gdaldem);
  g_test_add_func ("/raster/dem", test_dem);
  g_test_add_func ("/raster/overviews", test_overviews);
  g_test_add_func ("/raster/bad-files", test_bad_files);
  status = g_test_run ();

  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);

        g_remove (p);
      }
    g_rmdir (dir);
  }
  g_free (dir);
  return status;
}
