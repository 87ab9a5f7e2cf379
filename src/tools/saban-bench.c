/* saban-bench: the performance benchmarks of issue 3, on the app's own code.
 *
 * Over a thousand lines, and on purpose: one executable whose subcommands
 * share the loading, timing and JSON helpers and run ours against the
 * baseline in one invocation; each subcommand is a section of its own.
 *
 * Every subcommand loads through saban_ogr_read() and draws through
 * saban_tile_source_render_into(), the paths the app uses (its tiles are
 * that function's pixels wrapped in a texture); there is no separate fast
 * path. Each runs ours and its baseline in one invocation, alternating,
 * a warm-up then --runs timed runs of each, and prints one JSON line with the
 * medians and the ratio (ours / baseline: below 1 is faster).
 *
 *   render     B3: a W×H image of a layer (baseline: QGIS, with --qgis)
 *   load       B1: open a GeoPackage until render-ready in EPSG:3857
 *              (baselines: ogr2ogr -f Memory; GetNextFeature + proj_trans)
 *   query      B2: features in 1 % and 10 % windows (baseline: OGR spatial filter)
 *   reproject  B7: EPSG:9208 → 3857 (baseline: exact proj_trans_generic)
 *   pan        B4: scripted panning of the app's map widget under a display
 *              (Xvfb): frame intervals, and how soon the view is sharp after
 *   markers    live sensors: --count of them in the app's sensor layer vs
 *              libshumate's ShumateMarkerLayer (bulk add, burst, panning, memory)
 *   cluster    SabanClusterIndex on --count points, every zoom, vs supercluster
 *              (npm) on Node (build, viewport queries); --no-baseline skips it
 *   latency    publish on a real mosquitto → the store (and the map's next
 *              frame) through SabanSensorFeed, at --rate a second for --seconds
 *   impact     issue 6: what an --area (WKT, EPSG:4326) holds, SabanImpact vs
 *              ogr2ogr -clipsrc then SQL sums of the clipped parcels' areas
 *   desk       issue 13: the leaders' desk's load (catalogue + 24 months of every
 *              commune), a switch's classes and ranking, last month's meeting
 *              report; against --server, or a saban-server --demo it starts
 *   desk-ui, feedback-scroll
 *              issue 13, with the windows: saban-bench-desk.c
 *   raster     issue 14: a 20 000² px orthophoto COG (saban-bench-raster.c)
 *   ui-idle, ui-session  issue 15: the app's CPU with no input, and its worst
 *              main-loop iteration in a scripted session (saban-bench-ui.c)
 */
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_conv.h>
#include <cpl_error.h>
#include <proj.h>
#include <cairo.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <malloc.h>
#include <math.h>
#include <mosquitto.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "saban-bench-desk.h"
#include "saban-bench-ui.h"
#include "saban-cluster-index.h"
#include "saban-files.h"
#include "saban-connection.h"
#include "saban-indicator-reader.h"
#include "saban-report-document.h"
#include "saban-report-fetch.h"
#include "saban-wait.h"
#include "saban-json.h"
#include "saban-local-server.h"
#include "saban-grid-transform.h"
#include "saban-impact.h"
#include "saban-landuse.h"
#include "saban-renderer.h"
#include "saban-layer-style.h"
#include "saban-map-view.h"
#include "saban-measure.h"
#include "saban-sensor-feed.h"
#include "saban-ogr-reader.h"
#include "saban-tile-source.h"
#include "saban-transform.h"
#include "saban-bench-private.h"

#define WEB_MERCATOR_HALF 20037508.342789244
#define DEFAULT_CRS "EPSG:9208"

char *opt_input;
static char *opt_layer;
static char *opt_size = (char *) "1920x1080";
static char *opt_extent = (char *) "full";
static char *opt_output;
static char *opt_qgis;
static char *opt_area;
static char *opt_field;
int opt_runs = 1;
int opt_warmup = 0;
static int opt_windows = 40;
static int opt_frames = 240;
static int opt_count = 20000;
static gint64 opt_points = 1000000;
static int opt_rate = 5000;
static int opt_seconds = 10;
static gboolean opt_no_baseline;
static char *opt_server;
static char *opt_user = (char *) "lanhdao";

static const GOptionEntry entries[] = {
  { "frames", 0, 0, G_OPTION_ARG_INT, &opt_frames, "Frames to pan (pan, markers)", "N" },
  { "count", 0, 0, G_OPTION_ARG_INT, &opt_count, "Live markers, points or sensors (markers, cluster, latency)", "N" },
  { "rate", 0, 0, G_OPTION_ARG_INT, &opt_rate, "Observations a second (latency)", "N" },
  { "seconds", 0, 0, G_OPTION_ARG_INT, &opt_seconds, "How long to publish (latency)", "S" },
  { "no-baseline", 0, 0, G_OPTION_ARG_NONE, &opt_no_baseline, "Skip the baseline: supercluster (cluster), ShumateMarkerLayer (markers)", NULL },
  { "input", 'i', 0, G_OPTION_ARG_FILENAME, &opt_input, "GeoPackage (or any GDAL source)", "FILE" },
  { "layer", 'l', 0, G_OPTION_ARG_STRING, &opt_layer, "Layer name", "NAME" },
  { "size", 's', 0, G_OPTION_ARG_STRING, &opt_size, "Image size (render)", "WxH" },
  { "extent", 'e', 0, G_OPTION_ARG_STRING, &opt_extent, "full, district (10 % of the width) or street (1 %)", "E" },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output, "PNG to write (render)", "FILE" },
  { "qgis", 0, 0, G_OPTION_ARG_FILENAME, &opt_qgis, "QGIS baseline script (render)", "SCRIPT" },
  { "runs", 'r', 0, G_OPTION_ARG_INT, &opt_runs, "Timed runs of each side (default 1 for render, 5 otherwise)", "N" },
  { "warmup", 'w', 0, G_OPTION_ARG_INT, &opt_warmup, "Untimed runs of each side first", "N" },
  { "windows", 0, 0, G_OPTION_ARG_INT, &opt_windows, "Random windows per size and run (query)", "N" },
  { "points", 0, 0, G_OPTION_ARG_INT64, &opt_points, "Sample size (reproject)", "N" },
  { "area", 0, 0, G_OPTION_ARG_STRING, &opt_area, "Polygon in WKT, longitude latitude (impact)", "WKT" },
  { "field", 0, 0, G_OPTION_ARG_STRING, &opt_field,
    "Land-use field (impact: default the field whose values are Circular 08/2024 codes; render: the layer "
    "coloured by it, categorized, as a user would choose it, default the layer's own style)", "NAME" },
  { "server", 0, 0, G_OPTION_ARG_STRING, &opt_server, "IOC server (desk; default: start saban-server --demo)", "URL" },
  { "user", 0, 0, G_OPTION_ARG_STRING, &opt_user, "Account (desk; password SABAN_PASSWORD)", "NAME" },
  { NULL }
};

double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

double
median (GArray *samples)
{
  g_autoptr(GArray) sorted = NULL;
  guint n = samples->len;

  if (n == 0)
    return NAN;
  sorted = g_array_copy (samples);
  g_array_sort (sorted, compare_double);
  if (n % 2 == 1)
    return g_array_index (sorted, double, n / 2);
  return (g_array_index (sorted, double, n / 2 - 1) + g_array_index (sorted, double, n / 2)) / 2;
}

static GArray *
samples_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (double));
}

static void
sample_add (GArray *samples,
            double  value)
{
  g_array_append_val (samples, value);
}

double
proc_status_mb (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return NAN;
  line = strstr (status, key);
  if (line == NULL)
    return NAN;
  return g_ascii_strtod (line + strlen (key), NULL) / 1024.0;
}

/* The 1-minute load average: frame intervals follow it on a shared machine. */
static double
load_average (void)
{
  double load[1];

  return getloadavg (load, 1) == 1 ? load[0] : NAN;
}

/* Linux resets VmHWM to the current RSS on "5" (since 4.0). */
static void
reset_peak_rss (void)
{
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

static gboolean
parse_size (const char *spec,
            int        *w,
            int        *h)
{
  return sscanf (spec, "%dx%d", w, h) == 2 && *w > 0 && *h > 0 && *w <= 16384 && *h <= 16384;
}

static GPtrArray *
load (GError **error)
{
  return saban_ogr_read (opt_input, DEFAULT_CRS, NULL, NULL, NULL, error);
}

static SabanVectorLayer *
find_layer (GPtrArray *layers)
{
  for (guint i = 0; i < layers->len; i++)
    if (g_strcmp0 (saban_vector_layer_get_name (g_ptr_array_index (layers, i)), opt_layer) == 0)
      return g_ptr_array_index (layers, i);
  return NULL;
}

/* A loopback port nobody listens on (0 with @error set when none is found). */
static guint
free_port (GError **error)
{
  g_autoptr(GSocket) probe = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint port;

  if (probe == NULL || !g_socket_bind (probe, any, TRUE, error) ||
      (bound = g_socket_get_local_address (probe, error)) == NULL)
    return 0;
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (probe, NULL);
  return port;
}

static void
print_json (JsonBuilder *b)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = NULL;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  /* Raw UTF-8: g_print() would transliterate in a C locale. */
  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

static void
add_double (JsonBuilder *b,
            const char  *key,
            double       value)
{
  json_builder_set_member_name (b, key);
  if (isfinite (value))
    json_builder_add_double_value (b, round (value * 1e6) / 1e6);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b,
         const char  *key,
         gint64       value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_int_value (b, value);
}

static void
add_string (JsonBuilder *b,
            const char  *key,
            const char  *value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_string_value (b, value);
}

static void
add_bool (JsonBuilder *b,
          const char  *key,
          gboolean     value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_boolean_value (b, value);
}

/* ---------------------------------------------------------------- render */

typedef struct
{
  SabanTileSource *source;
  guint zoom, size;            /* tiles of @size px at @zoom */
  gint64 origin_x, origin_y;   /* the image's top-left in global pixels */
  int width, height;
  guint32 *image;              /* ARGB32, premultiplied, stride width */
} Canvas;

typedef struct
{
  Canvas *canvas;
  guint x, y;
} TileJob;

/* A worker draws one tile, as the app's GTask workers do, straight into a
 * buffer of its own, and copies the part inside the image; tiles never
 * overlap, so workers need no lock. */
static void
tile_worker (gpointer data,
             gpointer user_data)
{
  TileJob *job = data;
  Canvas *c = job->canvas;
  g_autofree guint32 *pixels = g_new0 (guint32, (gsize) c->size * c->size);
  gint64 left = (gint64) job->x * c->size - c->origin_x;
  gint64 top = (gint64) job->y * c->size - c->origin_y;

  if (!saban_tile_source_render_into (c->source, job->x, job->y, c->zoom, c->size, (guint8 *) pixels, c->size * 4))
    {
      g_free (job);
      return;
    }
  for (guint row = 0; row < c->size; row++)
    {
      gint64 iy = top + row, x0 = MAX (left, 0), x1 = MIN (left + c->size, c->width);

      if (iy < 0 || iy >= c->height || x1 <= x0)
        continue;
      memcpy (c->image + iy * c->width + x0, pixels + (gsize) row * c->size + (x0 - left),
              (x1 - x0) * 4);
    }
  g_free (job);
}

typedef struct
{
  double min_x, max_y, res;   /* the image's top-left corner and metres per pixel */
  guint zoom, tile_size;
} View;

/* The view for @extent_name around the layer. Tiles are drawn at the integer
 * zoom just below the wanted scale, with the tile size stretched (256 to 511
 * px) so one tile pixel is one image pixel: every feature is drawn at the
 * image's own resolution, with no resampling. libshumate shows fractional
 * zooms by scaling 256 px tiles instead; this is the sharper, costlier way. */
static gboolean
make_view (SabanVectorLayer *layer,
           int               width,
           int               height,
           View             *v)
{
  double x0, y0, x1, y1, cx, cy, w, h, res, zf;

  if (!saban_vector_layer_get_extent (layer, &x0, &y0, &x1, &y1))
    return FALSE;
  cx = (x0 + x1) / 2;
  cy = (y0 + y1) / 2;
  w = x1 - x0;
  h = y1 - y0;
  if (g_str_equal (opt_extent, "full"))
    res = MAX (w / width, h / height);
  else if (g_str_equal (opt_extent, "district"))
    res = 0.1 * w / width;
  else if (g_str_equal (opt_extent, "street"))
    res = 0.01 * w / width;
  else
    return FALSE;
  res = MAX (res, 0.01);

  zf = log2 (2 * WEB_MERCATOR_HALF / (256 * res));
  v->zoom = (guint) CLAMP (floor (zf), 0, 24);
  v->tile_size = (guint) CLAMP (lround (256 * exp2 (zf - v->zoom)), 256, 511);
  v->res = 2 * WEB_MERCATOR_HALF / (exp2 (v->zoom) * v->tile_size);
  v->min_x = cx - v->res * width / 2;
  v->max_y = cy + v->res * height / 2;
  return TRUE;
}

/* Returns the seconds to draw and compose the image into @image. */
static double
render_once (SabanTileSource *source,
             const View      *v,
             int              width,
             int              height,
             guint32         *image)
{
  Canvas c = {
    .source = source, .zoom = v->zoom, .size = v->tile_size,
    .width = width, .height = height, .image = image,
  };
  gint64 n_tiles = (gint64) 1 << v->zoom;
  GThreadPool *pool;
  double start = now ();

  c.origin_x = llround ((v->min_x + WEB_MERCATOR_HALF) / v->res);
  c.origin_y = llround ((WEB_MERCATOR_HALF - v->max_y) / v->res);
  memset (image, 0, (gsize) width * height * 4);

  pool = g_thread_pool_new (tile_worker, NULL, (int) g_get_num_processors (), FALSE, NULL);
  for (gint64 ty = MAX (0, c.origin_y / v->tile_size);
       ty <= MIN (n_tiles - 1, (c.origin_y + height - 1) / v->tile_size); ty++)
    for (gint64 tx = MAX (0, c.origin_x / v->tile_size);
         tx <= MIN (n_tiles - 1, (c.origin_x + width - 1) / v->tile_size); tx++)
      {
        TileJob *job = g_new0 (TileJob, 1);

        job->canvas = &c;
        job->x = tx;
        job->y = ty;
        g_thread_pool_push (pool, job, NULL);
      }
  g_thread_pool_free (pool, FALSE, TRUE);
  return now () - start;
}

static gboolean
write_png (const guint32  *image,
           int             width,
           int             height,
           const char     *path,
           guint          *painted,
           GError        **error)
{
  cairo_surface_t *layer = cairo_image_surface_create_for_data ((guchar *) image, CAIRO_FORMAT_ARGB32,
                                                                width, height, width * 4);
  cairo_surface_t *out = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (out);
  cairo_status_t status;

  *painted = 0;
  for (gsize i = 0; i < (gsize) width * height; i++)
    if (image[i] >> 24 != 0)
      (*painted)++;
  /* On white, as QGIS draws its map. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_surface (cr, layer, 0, 0);
  cairo_paint (cr);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png (out, path);
  cairo_surface_destroy (out);
  cairo_surface_destroy (layer);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot write %s: %s", path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/* The colour our style gives each value of its field, in the palette format
 * qgis-render.py reads, so QGIS draws the same categories in the same colours
 * whatever the layer. */
static char *
write_qgis_palette (SabanLayerStyle  *style,
                    SabanVectorLayer *layer,
                    GError          **error)
{
  const SabanAttributeTable *table = saban_vector_layer_get_attributes (layer);
  int field = saban_attribute_table_find_field (table, saban_layer_style_get_category_field (style));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  char *path = g_build_filename (g_get_tmp_dir (), "saban-bench-palette.json", NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "codes");
  json_builder_begin_object (b);
  for (guint32 f = 0; field >= 0 && f < saban_vector_layer_get_n_features (layer); f++)
    {
      char *value = saban_attribute_table_format (table, field, f);
      const GdkRGBA *color = saban_layer_style_get_feature_color (style, layer, f);
      g_autofree char *spec = NULL;

      if (color == NULL || g_hash_table_contains (seen, value))
        {
          g_free (value);
          continue;
        }
      g_hash_table_add (seen, value);
      spec = g_strdup_printf ("#%02x%02x%02x", (int) lround (color->red * 255), (int) lround (color->green * 255),
                              (int) lround (color->blue * 255));
      json_builder_set_member_name (b, value);
      json_builder_begin_object (b);
      add_string (b, "color", spec);
      add_string (b, "label", value);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  if (!g_file_set_contents (path, text, -1, error))
    g_clear_pointer (&path, g_free);
  return path;
}

/* One QGIS render in a fresh process; its own JSON says how long it took. */
static gboolean
run_qgis (const View       *v,
          SabanLayerStyle  *style,
          SabanVectorLayer *layer,
          int          width,
          int          height,
          double      *render_s,
          double      *total_s,
          GError     **error)
{
  g_autofree char *size = g_strdup_printf ("%dx%d", width, height);
  g_autofree char *bbox = g_strdup_printf ("%.6f,%.6f,%.6f,%.6f", v->min_x, v->max_y - v->res * height,
                                           v->min_x + v->res * width, v->max_y);
  g_autofree char *png = g_strdup_printf ("%s.qgis.png", opt_output != NULL ? opt_output : "/tmp/saban-bench");
  const GdkRGBA *stroke = saban_layer_style_get_stroke (style);
  g_autofree char *stroke_spec = g_strdup_printf ("%d,%d,%d,%d", (int) lround (stroke->red * 255), (int) lround (stroke->green * 255),
                                                  (int) lround (stroke->blue * 255), (int) lround (stroke->alpha * 255));
  char width_spec[G_ASCII_DTOSTR_BUF_SIZE];
  /* QGIS's bindings are Debian's: its python, not whatever is first on PATH. */
  const char *python = g_getenv ("SABAN_BENCH_PYTHON") != NULL ? g_getenv ("SABAN_BENCH_PYTHON")
                       : g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE) ? "/usr/bin/python3" : "python3";
  const char *field = saban_layer_style_get_category_field (style);
  g_autofree char *palette = write_qgis_palette (style, layer, error);
  const char *argv[] = { python, opt_qgis, "--input", opt_input, "--layer", opt_layer,
                         "--size", size, "--bbox", bbox, "--output", png,
                         "--stroke", stroke_spec, "--stroke-width",
                         g_ascii_dtostr (width_spec, sizeof width_spec, saban_layer_style_get_stroke_width (style)),
                         "--field", field != NULL ? field : "", "--palette", palette, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_auto(GStrv) env = g_get_environ ();
  const char *last;
  int status;
  double start;
  JsonObject *o;

  if (palette == NULL)
    return FALSE;
  start = now ();
  env = g_environ_setenv (env, "QT_QPA_PLATFORM", "offscreen", TRUE);
  if (!g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, error))
    return FALSE;
  *total_s = now () - start;
  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "QGIS: %s: ", err);
      return FALSE;
    }
  g_strchomp (out);
  last = strrchr (out, '\n');
  last = last != NULL ? last + 1 : out;
  if ((parsed = saban_json_parse (last, -1, error)) == NULL)
    return FALSE;
  o = json_node_get_object (parsed);
  *render_s = json_object_get_double_member (o, "render_s");
  return TRUE;
}

static int
cmd_render (GError **error)
{
  g_autoptr(GPtrArray) layers = NULL;
  g_autoptr(SabanLayerStyle) style = NULL;
  g_autoptr(SabanTileSource) source = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GArray) ours = samples_new ();
  g_autoptr(GArray) qgis = samples_new ();
  g_autoptr(GArray) qgis_total = samples_new ();
  g_autofree guint32 *image = NULL;
  SabanVectorLayer *layer;
  int width, height;
  double load_s, start;
  guint painted = 0;
  View v;

  if (!parse_size (opt_size, &width, &height))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--size must be WxH, not %s", opt_size);
      return 2;
    }
  start = now ();
  layers = load (error);
  load_s = now () - start;
  if (layers == NULL)
    return 1;
  layer = find_layer (layers);
  if (layer == NULL || !make_view (layer, width, height, &v))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "no layer “%s” with an extent, or an unknown --extent %s", opt_layer, opt_extent);
      return 2;
    }
  style = saban_layer_style_new_for_layer (layer);
  if (opt_field != NULL)
    {
      /* Another province's layer: categorized by the field the user picks,
       * as the style dialog makes it (land-use codes keep their colours). */
      g_auto(SabanStyleChoice) choice = { .kind = SABAN_STYLE_CATEGORIZED, .field = g_strdup (opt_field) };
      g_autoptr(SabanLayerStyle) base = g_steal_pointer (&style);

      if (saban_attribute_table_find_field (saban_vector_layer_get_attributes (layer), opt_field) < 0)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "layer “%s” has no field “%s”", opt_layer, opt_field);
          return 2;
        }
      style = saban_layer_style_new_from_choice (base, layer, &choice);
    }
  source = saban_tile_source_new (layer, style);
  /* Every feature at every scale, as QGIS draws it. */
  saban_tile_source_set_ignore_min_zoom (source, TRUE);
  image = g_new (guint32, (gsize) width * height);

  for (int run = 0; run < opt_warmup + opt_runs; run++)
    {
      double seconds = render_once (source, &v, width, height, image);

      if (run >= opt_warmup)
        sample_add (ours, seconds);
      if (opt_qgis != NULL)
        {
          double r, t;

          if (!run_qgis (&v, style, layer, width, height, &r, &t, error))
            return 1;
          if (run >= opt_warmup)
            {
              sample_add (qgis, r);
              sample_add (qgis_total, t);
            }
        }
    }
  if (opt_output != NULL && !write_png (image, width, height, opt_output, &painted, error))
    return 1;

  json_builder_begin_object (b);
  add_string (b, "bench", "render");
  add_string (b, "input", opt_input);
  add_string (b, "layer", opt_layer);
  add_string (b, "extent", opt_extent);
  add_string (b, "size", opt_size);
  if (saban_layer_style_get_category_field (style) != NULL)
    add_string (b, "field", saban_layer_style_get_category_field (style));
  add_int (b, "features", saban_vector_layer_get_n_features (layer));
  add_int (b, "points", saban_vector_layer_get_arrays (layer)->n_points);
  add_double (b, "load_s", load_s);
  add_double (b, "render_s", median (ours));
  add_int (b, "runs", opt_runs);
  add_int (b, "zoom", v.zoom);
  add_int (b, "tile_size", v.tile_size);
  add_double (b, "metres_per_pixel", v.res);
  add_int (b, "threads", g_get_num_processors ());
  if (opt_output != NULL)
    add_int (b, "painted_pixels", painted);
  add_double (b, "peak_rss_mb", proc_status_mb ("VmHWM:"));
  if (opt_qgis != NULL)
    {
      add_double (b, "qgis_render_s", median (qgis));
      add_double (b, "qgis_process_s", median (qgis_total));
      add_double (b, "ratio", median (ours) / median (qgis));
      add_double (b, "ratio_with_load", (load_s + median (ours)) / median (qgis));
    }
  json_builder_end_object (b);
  print_json (b);
  return 0;
}

/* ------------------------------------------------------------------ load */

typedef struct
{
  GArray *xy;
  GArray *starts;
} Naive;

static void
naive_geometry (OGRGeometryH  g,
                PJ           *pj,
                Naive        *out)
{
  int n_sub = OGR_G_GetGeometryCount (g);

  if (n_sub > 0)
    {
      for (int i = 0; i < n_sub; i++)
        naive_geometry (OGR_G_GetGeometryRef (g, i), pj, out);
      return;
    }
  {
    guint32 start = out->xy->len / 2;
    g_array_append_val (out->starts, start);
  }
  for (int i = 0; i < OGR_G_GetPointCount (g); i++)
    {
      PJ_COORD c = proj_coord (OGR_G_GetX (g, i), OGR_G_GetY (g, i), 0, 0);
      double xy[2];

      c = proj_trans (pj, PJ_FWD, c);
      xy[0] = c.xy.x;
      xy[1] = c.xy.y;
      g_array_append_vals (out->xy, xy, 2);
    }
}

/* The way one would write it first: every feature, every point, one PROJ
 * call each, into arrays as render-ready as ours. Returns the points read. */
static gint64
naive_load (GError **error)
{
  GDALDatasetH ds = GDALOpenEx (opt_input, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  PJ_CONTEXT *ctx = proj_context_create ();
  gint64 points = 0;

  if (ds == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot open %s", opt_input);
      proj_context_destroy (ctx);
      return -1;
    }
  for (int l = 0; l < GDALDatasetGetLayerCount (ds); l++)
    {
      OGRLayerH layer = GDALDatasetGetLayer (ds, l);
      OGRSpatialReferenceH srs = OGR_L_GetSpatialRef (layer);
      g_autofree char *crs = NULL;
      Naive out = { g_array_new (FALSE, FALSE, sizeof (double)), g_array_new (FALSE, FALSE, sizeof (guint32)) };
      OGRFeatureH f;
      PJ *pj, *norm;

      if (OGR_L_GetGeomType (layer) == wkbNone)
        continue;
      crs = srs != NULL && OSRGetAuthorityCode (srs, NULL) != NULL
            ? g_strdup_printf ("%s:%s", OSRGetAuthorityName (srs, NULL), OSRGetAuthorityCode (srs, NULL))
            : g_strdup (DEFAULT_CRS);
      pj = proj_create_crs_to_crs (ctx, crs, "EPSG:3857", NULL);
      norm = proj_normalize_for_visualization (ctx, pj);
      proj_destroy (pj);
      OGR_L_ResetReading (layer);
      while ((f = OGR_L_GetNextFeature (layer)) != NULL)
        {
          OGRGeometryH g = OGR_F_GetGeometryRef (f);

          if (g != NULL)
            naive_geometry (g, norm, &out);
          OGR_F_Destroy (f);
        }
      points += out.xy->len / 2;
      proj_destroy (norm);
      g_array_unref (out.xy);
      g_array_unref (out.starts);
    }
  GDALClose (ds);
  proj_context_destroy (ctx);
  return points;
}

/* Runs @argv from PATH, its output dropped. */
static gboolean
spawn_quiet (const char * const  *argv,
             GError             **error)
{
  int status;

  return g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                       NULL, NULL, NULL, NULL, &status, error) &&
         g_spawn_check_wait_status (status, error);
}

static double
run_ogr2ogr (GError **error)
{
  const char *argv[] = { "ogr2ogr", "-f", "Memory", "-t_srs", "EPSG:3857", "/vsimem/bench", opt_input, NULL };
  double start = now ();

  if (!spawn_quiet (argv, error))
    return NAN;
  return now () - start;
}

static int
cmd_load (GError **error)
{
  g_autoptr(GArray) ours = samples_new ();
  g_autoptr(GArray) ogr2ogr = samples_new ();
  g_autoptr(GArray) naive = samples_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  double peak = 0, layer_peak = 0;
  guint32 features = 0, points = 0;

  for (int run = 0; run < opt_warmup + opt_runs; run++)
    {
      g_autoptr(GPtrArray) layers = NULL;
      double base_rss, start, t_ours, t_ogr, t_naive;

      reset_peak_rss ();
      base_rss = proc_status_mb ("VmRSS:");
      start = now ();
      layers = load (error);
      t_ours = now () - start;
      if (layers == NULL)
        return 1;
      if (run >= opt_warmup)
        {
          SabanVectorLayer *layer = find_layer (layers);

          peak = MAX (peak, proc_status_mb ("VmHWM:"));
          layer_peak = MAX (layer_peak, proc_status_mb ("VmHWM:") - base_rss);
          if (layer != NULL)
            {
              features = saban_vector_layer_get_n_features (layer);
              points = saban_vector_layer_get_arrays (layer)->n_points;
            }
        }
      g_clear_pointer (&layers, g_ptr_array_unref);

      t_ogr = run_ogr2ogr (error);
      if (isnan (t_ogr))
        return 1;
      start = now ();
      if (naive_load (error) < 0)
        return 1;
      t_naive = now () - start;
      if (run >= opt_warmup)
        {
          sample_add (ours, t_ours);
          sample_add (ogr2ogr, t_ogr);
          sample_add (naive, t_naive);
        }
    }

  json_builder_begin_object (b);
  add_string (b, "bench", "load");
  add_string (b, "input", opt_input);
  add_string (b, "layer", opt_layer);
  add_int (b, "features", features);
  add_int (b, "points", points);
  add_int (b, "runs", opt_runs);
  add_double (b, "load_s", median (ours));
  add_double (b, "ogr2ogr_s", median (ogr2ogr));
  add_double (b, "naive_s", median (naive));
  add_double (b, "ratio", median (ours) / median (ogr2ogr));
  add_double (b, "ratio_naive", median (ours) / median (naive));
  add_double (b, "peak_rss_mb", peak);
  add_double (b, "load_rss_mb", layer_peak);
  json_builder_end_object (b);
  print_json (b);
  return 0;
}

/* ----------------------------------------------------------------- query */

typedef struct
{
  const SabanFeatureArrays *a;
  double min_x, min_y, max_x, max_y;
  guint32 count;
} Window;

static gboolean
segment_meets_box (double x0, double y0, double x1, double y1, const Window *w)
{
  /* Liang–Barsky clipping: does any part of the segment lie in the box? */
  double t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { x0 - w->min_x, w->max_x - x0, y0 - w->min_y, w->max_y - y0 };

  for (int i = 0; i < 4; i++)
    {
      if (p[i] == 0)
        {
          if (q[i] < 0)
            return FALSE;
          continue;
        }
      double t = q[i] / p[i];
      if (p[i] < 0)
        t0 = MAX (t0, t);
      else
        t1 = MIN (t1, t);
      if (t0 > t1)
        return FALSE;
    }
  return TRUE;
}

/* Whether polygon or line @f really meets the window, not just its box:
 * the same question OGR's spatial filter answers. */
static gboolean
feature_meets_window (const SabanFeatureArrays *a,
                      guint32                   f,
                      const Window             *w)
{
  const double *box = a->boxes + 4 * (gsize) f;
  gboolean inside = FALSE;
  double cx = w->min_x, cy = w->min_y;

  if (box[0] >= w->min_x && box[2] <= w->max_x && box[1] >= w->min_y && box[3] <= w->max_y)
    return TRUE;
  for (guint32 part = a->part_starts[f]; part < a->part_starts[f + 1]; part++)
    {
      guint32 first = a->point_starts[part], last = a->point_starts[part + 1];

      for (guint32 i = first; i < last; i++)
        {
          const double *p = a->xy + 2 * (gsize) i;
          const double *q = a->xy + 2 * (gsize) (i + 1 < last ? i + 1 : first);

          if (segment_meets_box (p[0], p[1], q[0], q[1], w))
            return TRUE;
          /* Even-odd test of the window's corner in the polygon. */
          if ((p[1] > cy) != (q[1] > cy) && cx < (q[0] - p[0]) * (cy - p[1]) / (q[1] - p[1]) + p[0])
            inside = !inside;
        }
    }
  return inside;
}

static gboolean
count_in_window (guint32  f,
                 gpointer user_data)
{
  Window *w = user_data;

  if (feature_meets_window (w->a, f, w))
    w->count++;
  return TRUE;
}

static int
cmd_query (GError **error)
{
  g_autoptr(GPtrArray) layers = load (error);
  g_autoptr(SabanTransform) to_source = NULL;
  g_autoptr(SabanTransform) to_mercator = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (2025);
  const double fractions[] = { 0.01, 0.10 };
  const char *names[] = { "1pct", "10pct" };
  SabanVectorLayer *layer;
  GDALDatasetH ds;
  OGRLayerH ogr;
  double x0, y0, x1, y1;
  guint mismatches = 0, checked = 0;

  if (layers == NULL)
    return 1;
  layer = find_layer (layers);
  if (layer == NULL || !saban_vector_layer_get_extent (layer, &x0, &y0, &x1, &y1))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "no layer “%s”", opt_layer);
      return 2;
    }
  ds = GDALOpenEx (opt_input, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  ogr = ds != NULL ? GDALDatasetGetLayerByName (ds, opt_layer) : NULL;
  if (ogr == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot open layer %s of %s", opt_layer, opt_input);
      return 1;
    }
  to_source = saban_transform_new ("EPSG:3857", DEFAULT_CRS, error);
  to_mercator = saban_transform_new (DEFAULT_CRS, "EPSG:3857", error);
  if (to_source == NULL || to_mercator == NULL)
    return 1;

  json_builder_begin_object (b);
  add_string (b, "bench", "query");
  add_string (b, "input", opt_input);
  add_string (b, "layer", opt_layer);
  add_int (b, "features", saban_vector_layer_get_n_features (layer));
  add_int (b, "runs", opt_runs);
  add_int (b, "windows", opt_windows);

  for (gsize s = 0; s < G_N_ELEMENTS (fractions); s++)
    {
      g_autoptr(GArray) ours = samples_new ();
      g_autoptr(GArray) theirs = samples_new ();
      gint64 total = 0;

      for (int run = 0; run < opt_warmup + opt_runs; run++)
        {
          g_autofree Window *windows = g_new0 (Window, opt_windows);
          g_autofree double *rects = g_new (double, 4 * opt_windows);
          g_autofree guint32 *ogr_counts = g_new0 (guint32, opt_windows);
          double start, t_ours, t_ogr;

          /* Windows in Mercator, as the map asks; OGR gets the box around each
           * one's preimage in the layer's CRS, a slight superset. */
          for (int k = 0; k < opt_windows; k++)
            {
              Window *w = &windows[k];
              double ww = fractions[s] * (x1 - x0), wh = fractions[s] * (y1 - y0);
              double cx = g_rand_double_range (rand, x0 + ww / 2, x1 - ww / 2);
              double cy = g_rand_double_range (rand, y0 + wh / 2, y1 - wh / 2);
              double corners[8];

              w->a = saban_vector_layer_get_arrays (layer);
              w->min_x = cx - ww / 2;
              w->max_x = cx + ww / 2;
              w->min_y = cy - wh / 2;
              w->max_y = cy + wh / 2;
              corners[0] = corners[2] = w->min_x;
              corners[4] = corners[6] = w->max_x;
              corners[1] = corners[5] = w->min_y;
              corners[3] = corners[7] = w->max_y;
              saban_transform_points (to_source, corners, 4);
              rects[4 * k] = MIN (MIN (corners[0], corners[2]), MIN (corners[4], corners[6])) - 1;
              rects[4 * k + 1] = MIN (MIN (corners[1], corners[3]), MIN (corners[5], corners[7])) - 1;
              rects[4 * k + 2] = MAX (MAX (corners[0], corners[2]), MAX (corners[4], corners[6])) + 1;
              rects[4 * k + 3] = MAX (MAX (corners[1], corners[3]), MAX (corners[5], corners[7])) + 1;
            }

          start = now ();
          for (int k = 0; k < opt_windows; k++)
            saban_spatial_index_query (saban_vector_layer_get_index (layer), windows[k].min_x, windows[k].min_y,
                                       windows[k].max_x, windows[k].max_y, count_in_window, &windows[k]);
          t_ours = now () - start;

          start = now ();
          for (int k = 0; k < opt_windows; k++)
            {
              OGRFeatureH f;

              OGR_L_SetSpatialFilterRect (ogr, rects[4 * k], rects[4 * k + 1], rects[4 * k + 2], rects[4 * k + 3]);
              OGR_L_ResetReading (ogr);
              while ((f = OGR_L_GetNextFeature (ogr)) != NULL)
                {
                  ogr_counts[k]++;
                  OGR_F_Destroy (f);
                }
            }
          t_ogr = now () - start;

          /* Untimed: OGR's answer reduced to the Mercator window must be ours. */
          if (run == opt_warmup)
            for (int k = 0; k < MIN (opt_windows, 10); k++)
              {
                OGRFeatureH f;
                guint32 agree = 0;

                OGR_L_SetSpatialFilterRect (ogr, rects[4 * k], rects[4 * k + 1], rects[4 * k + 2], rects[4 * k + 3]);
                OGR_L_ResetReading (ogr);
                while ((f = OGR_L_GetNextFeature (ogr)) != NULL)
                  {
                    OGRGeometryH g = OGR_F_GetGeometryRef (f);
                    OGREnvelope env;
                    double c[8];

                    OGR_G_GetEnvelope (g, &env);
                    c[0] = c[2] = env.MinX;
                    c[4] = c[6] = env.MaxX;
                    c[1] = c[5] = env.MinY;
                    c[3] = c[7] = env.MaxY;
                    saban_transform_points (to_mercator, c, 4);
                    /* Cheap reject by box, then the exact test on the OGR geometry in Mercator. */
                    if (MAX (MAX (c[0], c[2]), MAX (c[4], c[6])) >= windows[k].min_x - 1 &&
                        MIN (MIN (c[0], c[2]), MIN (c[4], c[6])) <= windows[k].max_x + 1 &&
                        MAX (MAX (c[1], c[3]), MAX (c[5], c[7])) >= windows[k].min_y - 1 &&
                        MIN (MIN (c[1], c[3]), MIN (c[5], c[7])) <= windows[k].max_y + 1)
                      {
                        OGRGeometryH merc = OGR_G_Clone (g);
                        OGRGeometryH rect = OGR_G_CreateGeometry (wkbPolygon);
                        OGRGeometryH ring = OGR_G_CreateGeometry (wkbLinearRing);
                        g_autofree double *pts = NULL;
                        int n;

                        /* Every ring of the clone to Mercator with our exact transform. */
                        for (int r = 0; r < OGR_G_GetGeometryCount (merc); r++)
                          {
                            OGRGeometryH rg = OGR_G_GetGeometryRef (merc, r);

                            n = OGR_G_GetPointCount (rg);
                            pts = g_renew (double, pts, 2 * (gsize) n);
                            for (int i = 0; i < n; i++)
                              {
                                pts[2 * i] = OGR_G_GetX (rg, i);
                                pts[2 * i + 1] = OGR_G_GetY (rg, i);
                              }
                            saban_transform_points (to_mercator, pts, n);
                            for (int i = 0; i < n; i++)
                              OGR_G_SetPoint_2D (rg, i, pts[2 * i], pts[2 * i + 1]);
                          }
                        OGR_G_AddPoint_2D (ring, windows[k].min_x, windows[k].min_y);
                        OGR_G_AddPoint_2D (ring, windows[k].max_x, windows[k].min_y);
                        OGR_G_AddPoint_2D (ring, windows[k].max_x, windows[k].max_y);
                        OGR_G_AddPoint_2D (ring, windows[k].min_x, windows[k].max_y);
                        OGR_G_AddPoint_2D (ring, windows[k].min_x, windows[k].min_y);
                        OGR_G_AddGeometryDirectly (rect, ring);
                        if (OGR_G_Intersects (merc, rect))
                          agree++;
                        OGR_G_DestroyGeometry (rect);
                        OGR_G_DestroyGeometry (merc);
                      }
                    OGR_F_Destroy (f);
                  }
                checked++;
                if (agree != windows[k].count)
                  {
                    mismatches++;
                    g_printerr ("window %d: ours %u, OGR %u\n", k, windows[k].count, agree);
                  }
              }

          if (run >= opt_warmup)
            {
              sample_add (ours, t_ours / opt_windows);
              sample_add (theirs, t_ogr / opt_windows);
              for (int k = 0; k < opt_windows; k++)
                total += windows[k].count;
            }
        }
      {
        g_autofree char *k_ours = g_strdup_printf ("%s_ours_ms", names[s]);
        g_autofree char *k_ogr = g_strdup_printf ("%s_ogr_ms", names[s]);
        g_autofree char *k_ratio = g_strdup_printf ("%s_ratio", names[s]);
        g_autofree char *k_mean = g_strdup_printf ("%s_mean_features", names[s]);

        add_double (b, k_ours, 1000 * median (ours));
        add_double (b, k_ogr, 1000 * median (theirs));
        add_double (b, k_ratio, median (ours) / median (theirs));
        add_double (b, k_mean, (double) total / (opt_runs * opt_windows));
      }
    }
  add_int (b, "windows_checked", checked);
  add_int (b, "windows_disagreeing", mismatches);
  add_bool (b, "counts_agree", mismatches == 0);
  add_double (b, "peak_rss_mb", proc_status_mb ("VmHWM:"));
  json_builder_end_object (b);
  print_json (b);
  GDALClose (ds);
  return 0;
}

/* ------------------------------------------------------------- reproject */

static int
cmd_reproject (GError **error)
{
  /* The province in EPSG:9208 (the demo parcels' extent), unless a layer says otherwise. */
  double x0 = 376000, y0 = 2360000, x1 = 538000, y1 = 2525000;
  gsize n = (gsize) MAX (opt_points, 1);
  g_autoptr(SabanTransform) exact = saban_transform_new (DEFAULT_CRS, "EPSG:3857", error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (9208);
  g_autoptr(GArray) ours = samples_new ();
  g_autoptr(GArray) theirs = samples_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree double *sample = g_new (double, 2 * n);
  g_autofree double *fast = g_new (double, 2 * n);
  g_autofree double *slow = g_new (double, 2 * n);
  double worst = 0;
  guint cells = 0;

  if (exact == NULL)
    return 1;
  for (gsize i = 0; i < n; i++)
    {
      sample[2 * i] = g_rand_double_range (rand, x0, x1);
      sample[2 * i + 1] = g_rand_double_range (rand, y0, y1);
    }

  for (int run = 0; run < opt_warmup + opt_runs; run++)
    {
      double start;
      g_autoptr(SabanGridTransform) grid = NULL;
      double t_ours, t_exact;

      /* Ours includes building the grid, as each layer read pays it. */
      memcpy (fast, sample, 2 * n * sizeof (double));
      start = now ();
      grid = saban_grid_transform_new (exact, x0, y0, x1, y1);
      saban_grid_transform_points (grid, fast, n);
      t_ours = now () - start;
      cells = saban_grid_transform_get_size (grid);

      memcpy (slow, sample, 2 * n * sizeof (double));
      start = now ();
      saban_transform_points (exact, slow, n);
      t_exact = now () - start;
      if (run >= opt_warmup)
        {
          sample_add (ours, t_ours);
          sample_add (theirs, t_exact);
        }
    }
  for (gsize i = 0; i < n; i++)
    worst = MAX (worst, hypot (fast[2 * i] - slow[2 * i], fast[2 * i + 1] - slow[2 * i + 1]));

  json_builder_begin_object (b);
  add_string (b, "bench", "reproject");
  add_string (b, "from", DEFAULT_CRS);
  add_string (b, "to", "EPSG:3857");
  add_string (b, "exact", saban_transform_describe (exact));
  add_int (b, "points", n);
  add_int (b, "runs", opt_runs);
  add_int (b, "grid_cells", cells);
  add_double (b, "ours_s", median (ours));
  add_double (b, "exact_s", median (theirs));
  add_double (b, "ours_mpts_per_s", n / median (ours) / 1e6);
  add_double (b, "exact_mpts_per_s", n / median (theirs) / 1e6);
  add_double (b, "speedup", median (theirs) / median (ours));
  add_double (b, "ratio", median (ours) / median (theirs));
  add_double (b, "max_error_m", worst);
  json_builder_end_object (b);
  print_json (b);
  return 0;
}

typedef struct
{
  SabanMapView *view;
  GArray *intervals;     /* double, ms */
  gint64 last;
  int frames;
  double step_lon;
  double lat, lon;
  gint64 pan_end;
  double sharp_ms;
  gboolean done;
} Pan;

/* Each frame moves the view by a fixed step, as a dragging hand would. */
static gboolean
pan_tick (GtkWidget     *widget,
          GdkFrameClock *clock,
          gpointer       user_data)
{
  Pan *pan = user_data;
  gint64 now = g_get_monotonic_time ();

  if (pan->frames < opt_frames)
    {
      if (pan->last != 0)
        {
          double ms = (now - pan->last) / 1000.0;
          g_array_append_val (pan->intervals, ms);
        }
      pan->last = now;
      pan->lon += pan->step_lon;
      saban_map_view_center_on (pan->view, pan->lat, pan->lon, -1);
      pan->frames++;
      if (pan->frames == opt_frames)
        pan->pan_end = now;
      return G_SOURCE_CONTINUE;
    }
  if (saban_map_view_get_busy (pan->view))
    return G_SOURCE_CONTINUE;
  pan->sharp_ms = (now - pan->pan_end) / 1000.0;
  pan->done = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
keep_awake (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}


static double cpu_ms (void);

/* Zoom 14 around @lat, @lon, everything drawn first, then --frames steps of
 * 8 px, a brisk drag. */
void
pan_measure (SabanMapView *view,
             double        lat,
             double        lon,
             PanFigures   *out)
{
  Pan pan = { .view = view, .lat = lat, .lon = lon };
  double cpu;

  saban_map_view_center_on (view, lat, lon, 14);
  for (int settled = 0; settled < 30; )
    {
      g_main_context_iteration (NULL, TRUE);
      settled = saban_map_view_get_busy (view) ? 0 : settled + 1;
    }
  pan.step_lon = 8 * 360.0 / (256.0 * (1 << 14));
  pan.intervals = g_array_new (FALSE, FALSE, sizeof (double));
  gtk_widget_add_tick_callback (GTK_WIDGET (view), pan_tick, &pan, NULL);
  cpu = cpu_ms ();
  while (!pan.done)
    g_main_context_iteration (NULL, TRUE);
  out->cpu_per_frame = (cpu_ms () - cpu) / pan.frames;
  out->sharp_ms = pan.sharp_ms;
  g_array_sort (pan.intervals, compare_double);
  out->p50 = g_array_index (pan.intervals, double, pan.intervals->len / 2);
  out->p95 = g_array_index (pan.intervals, double, (guint) (pan.intervals->len * 0.95));
  out->max = g_array_index (pan.intervals, double, pan.intervals->len - 1);
  out->missed = 0;
  for (guint i = 0; i < pan.intervals->len; i++)
    out->missed += g_array_index (pan.intervals, double, i) > 1.5 * 1000 / 60;
  g_array_unref (pan.intervals);
}

static int
cmd_pan (GError **error)
{
  g_autoptr(GPtrArray) layers = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  GtkWidget *window;
  SabanMapView *view;
  SabanVectorLayer *focus;
  PanFigures full, empty;
  double e[4], lat, lon;
  int width = 1920, height = 1080;

  if (!gtk_init_check ())
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "pan needs a display: run it under xvfb-run");
      return 1;
    }
  layers = load (error);
  if (layers == NULL)
    return 1;
  focus = find_layer (layers);
  if (focus == NULL || !saban_vector_layer_get_extent (focus, &e[0], &e[1], &e[2], &e[3]))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no layer %s with features", opt_layer);
      return 1;
    }
  sscanf (opt_size, "%dx%d", &width, &height);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  view = SABAN_MAP_VIEW (saban_map_view_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  for (guint i = 0; i < layers->len; i++)
    {
      g_autoptr(SabanLayerStyle) style = saban_layer_style_new_for_layer (g_ptr_array_index (layers, i));
      g_autoptr(SabanLayer) layer = saban_layer_new (g_ptr_array_index (layers, i), style);

      saban_layer_model_add (saban_map_view_get_layers (view), layer);
    }
  gtk_window_present (GTK_WINDOW (window));
  /* Wakes the loop every frame while waiting for tiles. */
  g_timeout_add (16, keep_awake, NULL);

  /* District scale over the middle of the layer; then the same pan with
   * every layer hidden: the floor of this map widget and display. */
  lon = (e[0] + e[2]) / 2 / WEB_MERCATOR_HALF * 180;
  lat = atan (sinh ((e[1] + e[3]) / 2 / WEB_MERCATOR_HALF * G_PI)) * 180 / G_PI;
  pan_measure (view, lat, lon, &full);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (saban_map_view_get_layers (view))); i++)
    {
      g_autoptr(SabanLayer) layer = g_list_model_get_item (G_LIST_MODEL (saban_map_view_get_layers (view)), i);

      saban_layer_set_visible (layer, FALSE);
    }
  pan_measure (view, lat, lon, &empty);

  json_builder_begin_object (b);
  add_string (b, "bench", "pan");
  add_string (b, "input", opt_input);
  add_string (b, "layer", opt_layer);
  add_string (b, "size", opt_size);
  add_int (b, "frames", opt_frames);
  add_int (b, "layers", layers->len);
  add_double (b, "p50_frame_ms", full.p50);
  add_double (b, "p95_frame_ms", full.p95);
  add_double (b, "max_frame_ms", full.max);
  add_double (b, "sharp_after_ms", full.sharp_ms);
  add_double (b, "cpu_ms_per_frame", full.cpu_per_frame);
  add_int (b, "frames_late", full.missed);
  add_double (b, "p50_frame_ms_empty_map", empty.p50);
  add_double (b, "p95_frame_ms_empty_map", empty.p95);
  add_double (b, "max_frame_ms_empty_map", empty.max);
  add_double (b, "cpu_ms_per_frame_empty_map", empty.cpu_per_frame);
  add_int (b, "frames_late_empty_map", empty.missed);
  /* the display's own pace: on Xvfb an empty window's p95 is ~17.4 ms */
  add_double (b, "p95_ratio_to_empty_map", full.p95 / empty.p95);
  add_double (b, "load_average", load_average ());
  add_string (b, "renderer", g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "gtk-default");
  add_bool (b, "p95_met", full.p95 <= 16.7);
  add_bool (b, "p95_at_display_floor", full.p95 <= 1.05 * empty.p95);
  add_bool (b, "max_met", full.max <= 50);
  add_bool (b, "sharp_met", full.sharp_ms <= 100);
  json_builder_end_object (b);
  print_json (b);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

static double
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return 0;
  return g_ascii_strtod (line + strlen ("VmRSS:"), NULL);
}

/* bytes the process's allocator holds for live allocations (the heap's and
 * those it mapped on its own): unlike RSS, not what freed scratch leaves */
static double
heap_in_use (void)
{
  struct mallinfo2 m = mallinfo2 ();

  return (double) m.uordblks + (double) m.hblkhd;
}

/* CPU time of the whole process (the renderer's threads included), ms */
static double
cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

/* Pans @widget's map for opt_frames frames; returns the p95 frame interval
 * and sets @cpu_per_frame to the CPU time a frame, ms: the frame clock's
 * period hides a layer's cost in the intervals, not in the CPU time. */
static double
pan_frames (SabanMapView *view,
            double        lat,
            double        lon,
            double        zoom,
            double       *cpu_per_frame)
{
  Pan pan = { view, g_array_new (FALSE, FALSE, sizeof (double)), 0, 0, 0, lat, lon, 0, 0, FALSE };
  double p95, cpu;

  saban_map_view_center_on (view, lat, lon, zoom);
  for (int i = 0; i < 30; i++)
    g_main_context_iteration (NULL, TRUE);
  pan.step_lon = 8 * 360.0 / (256.0 * pow (2, zoom));
  gtk_widget_add_tick_callback (GTK_WIDGET (view), pan_tick, &pan, NULL);
  cpu = cpu_ms ();
  while (!pan.done)
    g_main_context_iteration (NULL, TRUE);
  *cpu_per_frame = (cpu_ms () - cpu) / pan.frames;
  g_array_sort (pan.intervals, compare_double);
  p95 = g_array_index (pan.intervals, double, (guint) (pan.intervals->len * 0.95));
  g_array_unref (pan.intervals);
  return p95;
}

/* The baseline: one widget per marker, @count of them (its bulk add is
 * quadratic); its bulk add and its panning p95, ms. */
static void
markers_baseline (GRand *rand, int count, double *bulk_ms, double *p95)
{
  GtkWidget *bwindow = gtk_window_new ();
  ShumateMap *map = shumate_map_new ();
  ShumateViewport *viewport = shumate_map_get_viewport (map);
  ShumateMarkerLayer *markers = shumate_marker_layer_new (viewport);
  g_autoptr(ShumateMapSource) reference = NULL;
  SabanMapView *dummy = SABAN_MAP_VIEW (saban_map_view_new ());
  Pan bpan = { 0 };
  double t;

  gtk_window_set_default_size (GTK_WINDOW (bwindow), 1920, 1080);
  shumate_viewport_set_reference_map_source (viewport, shumate_viewport_get_reference_map_source (saban_map_view_get_viewport (dummy)));
  g_object_ref_sink (dummy);
  g_object_unref (dummy);
  shumate_map_add_layer (map, SHUMATE_LAYER (markers));
  gtk_window_set_child (GTK_WINDOW (bwindow), GTK_WIDGET (map));
  gtk_window_present (GTK_WINDOW (bwindow));
  t = now ();
  for (int i = 0; i < count; i++)
    {
      ShumateMarker *marker = shumate_marker_new ();
      shumate_marker_set_child (marker, gtk_image_new_from_icon_name ("mark-location-symbolic"));
      shumate_location_set_location (SHUMATE_LOCATION (marker), g_rand_double_range (rand, 21.3, 22.85),
                                     g_rand_double_range (rand, 103.5, 105.1));
      shumate_marker_layer_add_marker (markers, marker);
    }
  *bulk_ms = (now () - t) * 1000;
  shumate_viewport_set_zoom_level (viewport, 10);
  shumate_map_center_on (map, 22.1, 104.3);
  for (int i = 0; i < 30; i++)
    g_main_context_iteration (NULL, TRUE);
  bpan.intervals = g_array_new (FALSE, FALSE, sizeof (double));
  bpan.lat = 22.1;
  bpan.lon = 104.3;
  bpan.step_lon = 8 * 360.0 / (256.0 * 1024);
  bpan.view = NULL;
  {
    gint64 last = 0;
    for (int f = 0; f < opt_frames; f++)
      {
        gint64 t0 = g_get_monotonic_time ();
        bpan.lon += bpan.step_lon;
        shumate_map_center_on (map, bpan.lat, bpan.lon);
        while (g_main_context_iteration (NULL, FALSE))
          ;
        g_main_context_iteration (NULL, TRUE);
        if (last != 0)
          {
            double ms = (t0 - last) / 1000.0;
            g_array_append_val (bpan.intervals, ms);
          }
        last = t0;
      }
  }
  g_array_sort (bpan.intervals, compare_double);
  *p95 = g_array_index (bpan.intervals, double, (guint) (bpan.intervals->len * 0.95));
  g_array_unref (bpan.intervals);
  gtk_window_destroy (GTK_WINDOW (bwindow));
}

static int
cmd_markers (GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(SabanSensorStore) store = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  GtkWidget *window;
  SabanMapView *view;
  int baseline_count = MIN (opt_count, 5000);
  double rss_before, rss_after, rss_observed, heap_before, heap_after, heap_observed;
  double t, bulk_ms, burst_ms, p95, p95_empty, p95_labels;
  double cpu, cpu_empty, cpu_labels;
  double base_bulk_ms = NAN, base_p95 = NAN;
  gint64 now_us = g_get_real_time ();

  if (!gtk_init_check ())
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "markers needs a display: run it under xvfb-run");
      return 1;
    }
  g_timeout_add (16, keep_awake, NULL);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1920, 1080);
  view = SABAN_MAP_VIEW (saban_map_view_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));

  /* Bulk add: the store with the layer attached, as the app has it. */
  store = saban_sensor_store_new ();
  saban_map_view_set_sensor_store (view, store);
  rss_before = rss_kb ();
  heap_before = heap_in_use ();
  t = now ();
  for (int i = 0; i < opt_count; i++)
    {
      g_autofree char *name = g_strdup_printf ("Trạm %d", i);
      SabanSensor meta = {
        .datastream_id = i + 1, .thing_id = i + 1, .name = name,
        .kind = 1 + i % 4, .lon = g_rand_double_range (rand, 103.5, 105.1),
        .lat = g_rand_double_range (rand, 21.3, 22.85), .unit = (char *) "m",
        .alert_level = 5, .danger_level = 8, .interval_s = 300, .value = NAN,
      };
      saban_sensor_store_add (store, &meta);
    }
  /* until the layer has them in its index */
  saban_sensor_store_flush (store);
  bulk_ms = (now () - t) * 1000;
  rss_after = rss_kb ();
  heap_after = heap_in_use ();

  /* Burst: every sensor reports in one frame, and the layer has taken it in. */
  t = now ();
  for (int i = 0; i < opt_count; i++)
    saban_sensor_store_observe (store, i + 1, i + 1, now_us, g_rand_double_range (rand, 0, 10), NULL);
  saban_sensor_store_flush (store);
  burst_ms = (now () - t) * 1000;
  rss_observed = rss_kb ();
  heap_observed = heap_in_use ();

  p95 = pan_frames (view, 22.1, 104.3, 10, &cpu);
  /* the floor: the same map and layer with no sensors */
  saban_map_view_set_sensor_store (view, NULL);
  p95_empty = pan_frames (view, 22.1, 104.3, 10, &cpu_empty);
  saban_map_view_set_sensor_store (view, store);
  /* close up: sensors alone, with their values */
  p95_labels = pan_frames (view, 22.1, 104.3, 13, &cpu_labels);
  gtk_window_destroy (GTK_WINDOW (window));

  if (!opt_no_baseline)
    markers_baseline (rand, baseline_count, &base_bulk_ms, &base_p95);

  json_builder_begin_object (b);
  add_string (b, "bench", "markers");
  add_int (b, "count", opt_count);
  add_double (b, "bulk_add_ms", bulk_ms);
  add_double (b, "burst_update_ms", burst_ms);
  add_double (b, "p95_frame_ms", p95);
  add_double (b, "p95_frame_ms_empty_layer", p95_empty);
  add_double (b, "p95_frame_ms_zoom13", p95_labels);
  add_double (b, "cpu_ms_per_frame", cpu);
  add_double (b, "cpu_ms_per_frame_empty_layer", cpu_empty);
  add_double (b, "cpu_ms_per_frame_zoom13", cpu_labels);
  add_double (b, "bytes_per_marker", (heap_after - heap_before) / opt_count);
  add_double (b, "bytes_per_marker_observed", (heap_observed - heap_before) / opt_count);
  add_double (b, "rss_bytes_per_marker", (rss_after - rss_before) * 1024 / opt_count);
  add_double (b, "rss_bytes_per_marker_observed", (rss_observed - rss_before) * 1024 / opt_count);
  add_int (b, "baseline_count", baseline_count);
  add_double (b, "baseline_bulk_add_ms", base_bulk_ms);
  add_double (b, "baseline_p95_frame_ms", base_p95);
  json_builder_end_object (b);
  print_json (b);
  return 0;
}

/* ---------------------------------------------------------------- impact */

/* The parcels: --layer, else the first polygon layer named parcels, else the
 * first polygon layer. */
static SabanVectorLayer *
impact_parcels (GPtrArray *layers)
{
  SabanVectorLayer *first = NULL;

  for (guint i = 0; i < layers->len; i++)
    {
      SabanVectorLayer *layer = g_ptr_array_index (layers, i);
      const char *name = saban_vector_layer_get_name (layer);

      if (opt_layer != NULL)
        {
          if (g_str_equal (name, opt_layer))
            return layer;
          continue;
        }
      if (saban_vector_layer_get_kind (layer) != SABAN_GEOMETRY_POLYGON)
        continue;
      if (g_str_equal (name, "parcels"))
        return layer;
      if (first == NULL)
        first = layer;
    }
  return first;
}

/* --area in the layer's CRS, through SabanTransform (VN-2000's pinned
 * path), its edges cut as SabanImpactArea cuts them. */
static char *
area_in_layer_crs (SabanVectorLayer  *layer,
                   GError           **error)
{
  g_autoptr(SabanTransform) t = saban_transform_new ("EPSG:4326", saban_vector_layer_get_source_crs (layer), error);
  g_autofree char *copy = g_strdup (opt_area);
  char *cursor = copy, *wkt = NULL, *result;
  OGRGeometryH g = NULL;

  if (t == NULL)
    return NULL;
  if (OGR_G_CreateFromWkt (&cursor, NULL, &g) != OGRERR_NONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "--area is not WKT");
      return NULL;
    }
  OGR_G_Segmentize (g, 0.005);
  saban_transform_geometry (t, g);
  OGR_G_ExportToWkt (g, &wkt);
  OGR_G_DestroyGeometry (g);
  result = g_strdup (wkt);
  CPLFree (wkt);
  return result;
}

/* ogr2ogr -clipsrc into a temporary GeoPackage, then the clipped areas
 * summed by land use with SQLite's ST_Area (planar, in the layer's CRS).
 * Returns the seconds taken, or NAN. */
static double
run_baseline (const char  *layer_name,
              const char  *field,
              const char  *clip_wkt,
              const char  *dir,
              JsonBuilder *sums,
              GError     **error)
{
  g_autofree char *out = g_build_filename (dir, "clipped.gpkg", NULL);
  const char *argv[] = { "ogr2ogr", "-f", "GPKG", "-overwrite", "-clipsrc", clip_wkt, out, opt_input, layer_name, NULL };
  g_autofree char *sql = g_strdup_printf ("SELECT \"%s\", SUM(ST_Area(geom)) FROM \"%s\" GROUP BY \"%s\"",
                                          field, layer_name, field);
  double start = now (), total = 0;
  GDALDatasetH ds;
  OGRLayerH result;
  OGRFeatureH f;

  if (!spawn_quiet (argv, error))
    return NAN;
  ds = GDALOpenEx (out, GDAL_OF_VECTOR, NULL, NULL, NULL);
  result = ds != NULL ? GDALDatasetExecuteSQL (ds, sql, NULL, "SQLite") : NULL;
  if (result == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot sum %s: %s", out, CPLGetLastErrorMsg ());
      if (ds != NULL)
        GDALClose (ds);
      return NAN;
    }
  json_builder_begin_object (sums);
  while ((f = OGR_L_GetNextFeature (result)) != NULL)
    {
      double ha = OGR_F_GetFieldAsDouble (f, 1) / 1e4;

      add_double (sums, OGR_F_GetFieldAsString (f, 0), ha);
      total += ha;
      OGR_F_Destroy (f);
    }
  json_builder_end_object (sums);
  add_double (sums, "baseline_area_ha", total);
  GDALDatasetReleaseResultSet (ds, result);
  GDALClose (ds);
  g_unlink (out);
  return now () - start;
}

static int
cmd_impact (GError **error)
{
  g_autoptr(GArray) ours = samples_new ();
  g_autoptr(GArray) baseline = samples_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GPtrArray) layers = NULL;
  g_autoptr(SabanImpact) impact = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *clip = NULL;
  SabanVectorLayer *parcels;
  JsonObject *land;
  double start, load_s;
  const char *field;
  int field_index;

  if (opt_area == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--area is required");
      return 2;
    }
  start = now ();
  layers = load (error);
  load_s = now () - start;
  if (layers == NULL)
    return 1;
  parcels = impact_parcels (layers);
  if (parcels == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no polygon layer to use as parcels");
      return 1;
    }
  field_index = opt_field != NULL ? saban_attribute_table_find_field (saban_vector_layer_get_attributes (parcels), opt_field)
                                   : saban_landuse_find_field (saban_vector_layer_get_attributes (parcels), NULL);
  if (field_index < 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   opt_field != NULL ? "layer “%s” has no field “%s”" : "no field of layer “%s” holds land-use codes: name it with --field",
                   saban_vector_layer_get_name (parcels), opt_field);
      return 2;
    }
  field = saban_attribute_table_get_field_name (saban_vector_layer_get_attributes (parcels), field_index);
  clip = area_in_layer_crs (parcels, error);
  dir = g_dir_make_tmp ("saban-bench-impact-XXXXXX", error);
  if (clip == NULL || dir == NULL)
    return 1;

  json_builder_begin_object (b);
  add_string (b, "bench", "impact");
  add_string (b, "input", opt_input);
  add_string (b, "layer", saban_vector_layer_get_name (parcels));
  add_string (b, "field", field);
  add_int (b, "runs", opt_runs);
  for (int run = 0; run < opt_warmup + opt_runs; run++)
    {
      g_autoptr(SabanImpactArea) area = NULL;
      g_autoptr(JsonBuilder) sums = json_builder_new ();
      double t_ours, t_base;

      g_clear_object (&impact);
      start = now ();
      area = saban_impact_area_new_from_wkt (opt_area, error);
      if (area == NULL)
        return 1;
      impact = saban_impact_new (area, layers);
      saban_impact_set_layer_name (impact, SABAN_IMPACT_PARCELS, saban_vector_layer_get_name (parcels));
      saban_impact_set_landuse_field (impact, field);
      if (!saban_impact_compute (impact, NULL, error))
        return 1;
      t_ours = now () - start;

      /* The baseline's sums go into the output once, from the last run. */
      json_builder_begin_object (sums);
      json_builder_set_member_name (sums, "baseline_area_ha_by_code");
      t_base = run_baseline (saban_vector_layer_get_name (parcels), field, clip, dir, sums, error);
      if (isnan (t_base))
        return 1;
      json_builder_end_object (sums);
      if (run >= opt_warmup)
        {
          sample_add (ours, t_ours);
          sample_add (baseline, t_base);
        }
      if (run == opt_warmup + opt_runs - 1)
        {
          g_autoptr(JsonNode) node = json_builder_get_root (sums);
          JsonObject *o = json_node_get_object (node);

          json_builder_set_member_name (b, "baseline_area_ha_by_code");
          json_builder_add_value (b, json_node_copy (json_object_get_member (o, "baseline_area_ha_by_code")));
          add_double (b, "baseline_area_ha", json_object_get_double_member (o, "baseline_area_ha"));
        }
    }
  g_rmdir (dir);

  result = saban_impact_to_json (impact);
  land = json_object_get_object_member (json_node_get_object (result), "land");
  add_int (b, "features", saban_vector_layer_get_n_features (parcels));
  add_int (b, "parcels", json_object_get_int_member (land, "parcels"));
  add_double (b, "area_ha", json_object_get_double_member (land, "area_ha"));
  json_builder_set_member_name (b, "area_ha_by_code");
  json_builder_add_value (b, json_node_copy (json_object_get_member (land, "area_ha_by_code")));
  add_int (b, "communes", json_array_get_length (json_object_get_array_member (json_node_get_object (result), "communes")));
  add_double (b, "population_affected",
              json_object_get_double_member (json_node_get_object (result), "population_affected"));
  add_double (b, "load_s", load_s);
  add_double (b, "impact_s", median (ours));
  add_double (b, "baseline_s", median (baseline));
  add_double (b, "ratio", median (ours) / median (baseline));
  json_builder_end_object (b);
  print_json (b);
  return 0;
}

/* --------------------------------------------------------------- cluster */

/* supercluster's defaults: 40 px on 512 px tiles, zooms 0–16 */
#define CLUSTER_MAX_ZOOM 16
#define CLUSTER_RADIUS 40
#define CLUSTER_EXTENT 512

static double
now_ns_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
percentile (GArray *samples, double p)
{
  g_autoptr(GArray) sorted = NULL;

  if (samples->len == 0)
    return NAN;
  sorted = g_array_copy (samples);
  g_array_sort (sorted, compare_double);
  return g_array_index (sorted, double, MIN (sorted->len - 1, (guint) (sorted->len * p)));
}

static gboolean
write_doubles (const char *path, GArray *values, GError **error)
{
  return g_file_set_contents (path, values->data, (gssize) values->len * sizeof (double), error);
}

/* supercluster from npm, installed once into the user's cache */
static char *
supercluster_module (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "saban-bench", "node", NULL);
  char *module = g_build_filename (dir, "node_modules", "supercluster", "index.js", NULL);
  g_autofree char *npm = g_find_program_in_path ("npm");
  g_autofree char *out = NULL, *err = NULL;
  int status;

  if (g_file_test (module, G_FILE_TEST_EXISTS))
    return module;
  if (npm == NULL)
    {
      g_printerr ("saban-bench cluster: npm is not installed (build-aux/sa-ban bench installs it): no baseline\n");
      g_free (module);
      return NULL;
    }
  g_mkdir_with_parents (dir, 0755);
  g_printerr ("saban-bench cluster: npm install supercluster into %s\n", dir);
  if (!g_spawn_sync (NULL, (char *[]) { npm, (char *) "install", (char *) "--prefix", dir, (char *) "--no-audit",
                                        (char *) "--no-fund", (char *) "--loglevel=error", (char *) "supercluster@8",
                                        NULL },
                     NULL, 0, NULL, NULL, &out, &err, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL) || !g_file_test (module, G_FILE_TEST_EXISTS))
    {
      g_printerr ("saban-bench cluster: npm install supercluster failed: no baseline\n%s", err != NULL ? err : "");
      g_free (module);
      return NULL;
    }
  return module;
}

/* The baseline's JSON line, or NULL (missing node, failed install, …). */
static JsonObject *
run_supercluster (GArray *lonlat, GArray *viewports)
{
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *module = NULL, *dir = NULL, *points = NULL, *views = NULL, *out = NULL, *err = NULL;
  g_autofree char *runs = g_strdup_printf ("%d", opt_runs), *warmup = g_strdup_printf ("%d", opt_warmup);
  g_autofree char *max_zoom = g_strdup_printf ("%d", CLUSTER_MAX_ZOOM), *radius = g_strdup_printf ("%d", CLUSTER_RADIUS);
  g_autofree char *extent = g_strdup_printf ("%d", CLUSTER_EXTENT);
  g_autofree char *script = g_build_filename (SABAN_BENCH_DIR, "supercluster-baseline.mjs", NULL);
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *result = NULL;
  int status;

  if (node == NULL)
    {
      g_printerr ("saban-bench cluster: node is not installed (build-aux/sa-ban bench installs it): no baseline\n");
      return NULL;
    }
  if ((module = supercluster_module ()) == NULL)
    return NULL;
  dir = g_dir_make_tmp ("saban-cluster-XXXXXX", NULL);
  points = g_build_filename (dir, "points", NULL);
  views = g_build_filename (dir, "viewports", NULL);
  if (write_doubles (points, lonlat, &error) && write_doubles (views, viewports, &error) &&
      g_spawn_sync (NULL, (char *[]) { node, script, module, points, views, runs, warmup, max_zoom, radius, extent, NULL },
                    NULL, 0, NULL, NULL, &out, &err, &status, &error) &&
      g_spawn_check_wait_status (status, &error) && (parsed = saban_json_parse (out, -1, &error)) != NULL &&
      JSON_NODE_HOLDS_OBJECT (parsed))
    result = json_object_ref (json_node_get_object (parsed));
  else
    g_printerr ("saban-bench cluster: the baseline failed: %s\n%s", error != NULL ? error->message : "no JSON",
                err != NULL ? err : "");
  g_unlink (points);
  g_unlink (views);
  g_rmdir (dir);
  return result;
}

static double
object_double (JsonObject *o, const char *key)
{
  return o != NULL && json_object_has_member (o, key) ? json_object_get_double_member (o, key) : NAN;
}

static int
cmd_cluster (GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GArray) lonlat = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) xy = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) viewports = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) builds = samples_new ();
  g_autoptr(GArray) queries = samples_new ();
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (SabanCluster));
  g_autoptr(SabanClusterIndex) index = NULL;
  g_autoptr(JsonObject) base = NULL;
  double radius = (double) CLUSTER_RADIUS / CLUSTER_EXTENT, build_ms, base_build_ms;

  if (opt_count <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "--count must be positive");
      return 1;
    }
  /* points spread over the province, as its sensors are */
  for (int i = 0; i < opt_count; i++)
    {
      double lon = g_rand_double_range (rand, 103.5, 105.1), lat = g_rand_double_range (rand, 21.3, 22.85), mx, my;
      double w[2];

      g_array_append_vals (lonlat, ((double[2]) { lon, lat }), 2);
      saban_lonlat_to_mercator (lon, lat, &mx, &my);
      w[0] = 0.5 + mx / (2 * WEB_MERCATOR_HALF);
      w[1] = 0.5 - my / (2 * WEB_MERCATOR_HALF);
      g_array_append_vals (xy, w, 2);
    }
  for (int r = 0; r < opt_warmup + opt_runs; r++)
    {
      double t = now_ns_ms ();

      g_clear_pointer (&index, saban_cluster_index_free);
      index = saban_cluster_index_new ((const double *) xy->data, NULL, opt_count, 0, CLUSTER_MAX_ZOOM, radius);
      if (r >= opt_warmup)
        sample_add (builds, now_ns_ms () - t);
    }
  build_ms = median (builds);

  /* 1920×1080 viewports over the province at every zoom, the points' own
   * zoom (max + 1) included */
  for (int z = 0; z <= CLUSTER_MAX_ZOOM + 1; z++)
    for (int q = 0; q < opt_windows; q++)
      {
        double span = 256 * ldexp (1, z), cx, cy, mx, my, w, n, e, s, t;

        saban_lonlat_to_mercator (g_rand_double_range (rand, 103.5, 105.1), g_rand_double_range (rand, 21.3, 22.85), &mx, &my);
        cx = 0.5 + mx / (2 * WEB_MERCATOR_HALF);
        cy = 0.5 - my / (2 * WEB_MERCATOR_HALF);
        t = now_ns_ms ();
        saban_cluster_index_query (index, z, cx - 960 / span, cy - 540 / span, cx + 960 / span, cy + 540 / span, found);
        sample_add (queries, now_ns_ms () - t);
        w = (cx - 960 / span) * 360 - 180;
        e = (cx + 960 / span) * 360 - 180;
        n = atan (sinh (G_PI * (1 - 2 * MAX (cy - 540 / span, 0)))) * 180 / G_PI;
        s = atan (sinh (G_PI * (1 - 2 * MIN (cy + 540 / span, 1)))) * 180 / G_PI;
        g_array_append_vals (viewports, ((double[5]) { z, w, s, e, n }), 5);
      }

  if (!opt_no_baseline)
    base = run_supercluster (lonlat, viewports);
  base_build_ms = object_double (base, "build_ms");

  json_builder_begin_object (b);
  add_string (b, "bench", "cluster");
  add_int (b, "count", opt_count);
  add_int (b, "max_zoom", CLUSTER_MAX_ZOOM);
  add_int (b, "runs", opt_runs);
  add_double (b, "build_ms", build_ms);
  add_double (b, "baseline_build_ms", base_build_ms);
  add_double (b, "ratio", build_ms / base_build_ms);
  add_int (b, "queries", queries->len);
  add_double (b, "query_ms_p50", percentile (queries, 0.5));
  add_double (b, "query_ms_p95", percentile (queries, 0.95));
  add_double (b, "baseline_query_ms_p50", object_double (base, "query_ms_p50"));
  add_double (b, "baseline_query_ms_p95", object_double (base, "query_ms_p95"));
  json_builder_set_member_name (b, "clusters_per_zoom");
  json_builder_begin_array (b);
  for (int z = 0; z <= CLUSTER_MAX_ZOOM + 1; z++)
    json_builder_add_int_value (b, saban_cluster_index_get_n_clusters (index, z));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "baseline_clusters_per_zoom");
  if (base != NULL && json_object_has_member (base, "clusters_per_zoom"))
    json_builder_add_value (b, json_node_copy (json_object_get_member (base, "clusters_per_zoom")));
  else
    json_builder_add_null_value (b);
  add_bool (b, "build_met", build_ms * 3 <= base_build_ms);
  add_bool (b, "query_met", percentile (queries, 0.95) <= 0.1);
  json_builder_end_object (b);
  print_json (b);
  return 0;
}

/* --------------------------------------------------------------- latency */

typedef struct
{
  guint  port;
  int    n_sensors;
  gint   done;          /* atomic */
  guint  sent;
  char  *error;
} Publisher;

/* SensorThings observations on each datastream's MQTT topic at --rate a
 * second, for --seconds; the phenomenonTime is the send time (µs). */
static gpointer
publish_thread (gpointer data)
{
  Publisher *p = data;
  struct mosquitto *mosq = mosquitto_new (NULL, TRUE, NULL);
  guint total = (guint) opt_rate * opt_seconds;
  gint64 start;

  if (mosq == NULL || mosquitto_connect (mosq, "127.0.0.1", p->port, 30) != MOSQ_ERR_SUCCESS ||
      mosquitto_loop_start (mosq) != MOSQ_ERR_SUCCESS)
    {
      p->error = g_strdup ("the publisher could not connect to mosquitto");
      if (mosq != NULL)
        mosquitto_destroy (mosq);
      g_atomic_int_set (&p->done, 1);
      return NULL;
    }
  start = g_get_monotonic_time ();
  for (guint k = 0; k < total; k++)
    {
      gint64 wait = start + (gint64) k * G_USEC_PER_SEC / opt_rate - g_get_monotonic_time (), t;
      g_autoptr(GDateTime) second = NULL;
      g_autoptr(GDateTime) dt = NULL;
      g_autofree char *time = NULL, *topic = NULL, *payload = NULL;

      if (wait > 0)
        g_usleep (wait);
      t = g_get_real_time ();
      second = g_date_time_new_from_unix_utc (t / G_USEC_PER_SEC);
      dt = g_date_time_add (second, t % G_USEC_PER_SEC);
      time = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S.%fZ");
      topic = g_strdup_printf ("v1.1/Datastreams(%d)/Observations", 1 + (int) (k % p->n_sensors));
      payload = g_strdup_printf ("{\"@iot.id\":%u,\"phenomenonTime\":\"%s\",\"result\":%u.5}", k + 1, time, k % 7);
      if (mosquitto_publish (mosq, NULL, topic, strlen (payload), payload, 0, FALSE) == MOSQ_ERR_SUCCESS)
        p->sent++;
    }
  /* let the last messages leave */
  g_usleep (200000);
  mosquitto_disconnect (mosq);
  mosquitto_loop_stop (mosq, FALSE);
  mosquitto_destroy (mosq);
  g_atomic_int_set (&p->done, 1);
  return NULL;
}

/* the backfill the feed asks for on connecting: nothing missed */
static void
empty_observations (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{\"value\":[]}", 12);
}

typedef struct
{
  SabanSensorStore *store;
  GArray *seen;         /* gint64 per sensor: the latest time counted */
  GArray *to_store;     /* ms */
  GArray *pending;      /* gint64 send times not yet drawn */
  GArray *to_redraw;    /* ms */
  guint   received;
} Latency;

static void
latency_changed (SabanSensorStore *store, Latency *l)
{
  gint64 now = g_get_real_time ();
  guint n;
  const guint *changed = saban_sensor_store_get_changed (store, &n);

  for (guint k = 0; k < n; k++)
    {
      const SabanSensor *s = saban_sensor_store_get_sensor (store, changed[k]);
      gint64 *seen = &g_array_index (l->seen, gint64, changed[k]);

      if (s->time_us == *seen)
        continue;
      *seen = s->time_us;
      sample_add (l->to_store, (now - s->time_us) / 1000.0);
      g_array_append_val (l->pending, s->time_us);
      l->received++;
    }
}

/* the frame that shows them: painted, so drawn */
static void
latency_painted (GdkFrameClock *clock, Latency *l)
{
  gint64 now = g_get_real_time ();

  for (guint k = 0; k < l->pending->len; k++)
    sample_add (l->to_redraw, (now - g_array_index (l->pending, gint64, k)) / 1000.0);
  g_array_set_size (l->pending, 0);
}

static int
cmd_latency (GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) broker = NULL;
  g_autoptr(SoupServer) http = NULL;
  g_autoptr(SabanSensorThingsClient) client = NULL;
  g_autoptr(SabanLiveChannel) channel = NULL;
  g_autoptr(SabanSensorFeed) feed = NULL;
  g_autoptr(GSocket) probe = NULL;
  g_autoptr(GSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *mosquitto = g_find_program_in_path ("mosquitto");
  g_autofree char *port_text = NULL, *broker_url = NULL, *server = NULL;
  g_autoptr(SabanApi) api = NULL;
  g_autoptr(GSList) uris = NULL;
  Latency l = { 0 };
  Publisher p = { 0 };
  GtkWidget *window = NULL;
  GThread *thread;
  gboolean display = gtk_init_check ();
  gint64 deadline;
  int n_sensors = MAX (opt_count, 1);

  if (mosquitto == NULL && g_file_test ("/usr/sbin/mosquitto", G_FILE_TEST_IS_EXECUTABLE))
    mosquitto = g_strdup ("/usr/sbin/mosquitto");
  if (mosquitto == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "latency needs mosquitto (build-aux/sa-ban installs it)");
      return 1;
    }

  /* a free loopback port for the broker */
  if ((p.port = free_port (error)) == 0)
    return 1;
  port_text = g_strdup_printf ("%u", p.port);
  launcher = saban_child_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  broker = g_subprocess_launcher_spawn (launcher, error, mosquitto, "-p", port_text, NULL);
  if (broker == NULL)
    return 1;

  /* the SensorThings service the feed backfills from */
  http = soup_server_new (NULL, NULL);
  soup_server_add_handler (http, "/v1.1/Observations", empty_observations, NULL, NULL);
  if (!soup_server_listen_local (http, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return 1;
  uris = soup_server_get_uris (http);
  server = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  api = saban_api_new (server);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  l.store = saban_sensor_store_new ();
  for (int i = 0; i < n_sensors; i++)
    {
      SabanSensor meta = {
        .datastream_id = i + 1, .thing_id = i + 1, .name = "Trạm", .kind = SABAN_SENSOR_KIND_WATER_LEVEL,
        .lon = 103.5 + 1.6 * (i % 997) / 997.0, .lat = 21.3 + 1.55 * (i % 991) / 991.0, .unit = "m",
        .alert_level = 5, .danger_level = 8, .interval_s = 300, .value = NAN,
      };
      saban_sensor_store_add (l.store, &meta);
    }
  saban_sensor_store_flush (l.store);
  l.seen = g_array_new (FALSE, TRUE, sizeof (gint64));
  g_array_set_size (l.seen, n_sensors);
  l.to_store = samples_new ();
  l.to_redraw = samples_new ();
  l.pending = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_signal_connect (l.store, "sensors-changed", G_CALLBACK (latency_changed), &l);

  /* the app's map, showing them, when there is a display */
  if (display)
    {
      SabanMapView *view = SABAN_MAP_VIEW (saban_map_view_new ());

      window = gtk_window_new ();
      gtk_window_set_default_size (GTK_WINDOW (window), 1920, 1080);
      gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
      saban_map_view_set_sensor_store (view, l.store);
      saban_map_view_center_on (view, 22.1, 104.3, 10);
      gtk_window_present (GTK_WINDOW (window));
      g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (latency_painted), &l);
    }

  broker_url = g_strdup_printf ("127.0.0.1:%u", p.port);
  {
    g_autoptr(GSocketClient) sc = g_socket_client_new ();
    deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    for (;;)
      {
        g_autoptr(GSocketConnection) c = g_socket_client_connect_to_host (sc, "127.0.0.1", p.port, NULL, NULL);
        if (c != NULL)
          break;
        if (g_get_monotonic_time () > deadline)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "mosquitto did not start");
            g_subprocess_force_exit (broker);
            return 1;
          }
        g_usleep (20000);
      }
  }
  client = saban_sensor_things_client_new (api, "/v1.1", l.store);
  channel = saban_live_channel_new (broker_url, (const char *const[]) { "v1.1/#", NULL });
  feed = saban_sensor_feed_new (channel, client);
  saban_sensor_feed_start (feed);
  saban_live_channel_start (channel);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (saban_sensor_feed_get_state (feed) != SABAN_FEED_STATE_LIVE && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (saban_sensor_feed_get_state (feed) != SABAN_FEED_STATE_LIVE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "the feed did not go live");
      g_subprocess_force_exit (broker);
      return 1;
    }

  p.n_sensors = n_sensors;
  thread = g_thread_new ("publisher", publish_thread, &p);
  while (!g_atomic_int_get (&p.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  /* what is still on its way */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (l.received < p.sent && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  for (int i = 0; display && i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  g_subprocess_force_exit (broker);
  if (p.error != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, p.error);
      return 1;
    }

  json_builder_begin_object (b);
  add_string (b, "bench", "latency");
  add_int (b, "sensors", n_sensors);
  add_int (b, "rate", opt_rate);
  add_int (b, "seconds", opt_seconds);
  add_int (b, "sent", p.sent);
  add_int (b, "received", l.received);
  add_double (b, "store_ms_p50", percentile (l.to_store, 0.5));
  add_double (b, "store_ms_p95", percentile (l.to_store, 0.95));
  add_double (b, "store_ms_max", percentile (l.to_store, 1));
  add_double (b, "redraw_ms_p50", percentile (l.to_redraw, 0.5));
  add_double (b, "redraw_ms_p95", percentile (l.to_redraw, 0.95));
  add_double (b, "redraw_ms_max", percentile (l.to_redraw, 1));
  add_bool (b, "p95_met", percentile (l.to_store, 0.95) <= 250);
  json_builder_end_object (b);
  print_json (b);
  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (l.store);
  g_array_unref (l.seen);
  g_array_unref (l.to_store);
  g_array_unref (l.to_redraw);
  g_array_unref (l.pending);
  return 0;
}

/* ---- desk: the leaders' desk and the meeting report (issue 13) --------------- */

typedef struct
{
  SabanIndicatorSet *set;
  SabanReportData   *data;
  GError            *error;
  gboolean           done;
} DeskWait;

/**
 * saban_bench_start_server:
 * @extra: (nullable): more of saban-server's options
 *
 * saban-server --demo on a free loopback port with a fresh database in @dir.
 */
GSubprocess *
saban_bench_start_server (const char         *dir,
                          const char *const  *extra,
                          char              **url,
                          GError            **error)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *exe_dir = self != NULL ? g_path_get_dirname (self) : NULL;
  g_autofree char *built = exe_dir != NULL ? g_build_filename (exe_dir, "..", "server", "saban-server", NULL) : NULL;
  g_autofree char *found = g_find_program_in_path ("saban-server");
  const char *server = g_getenv ("SABAN_SERVER");
  g_autofree char *db = g_build_filename (dir, "desk.db", NULL), *db_arg = NULL, *listen = NULL, *health = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  guint port;

  if (server == NULL)
    server = built != NULL && g_file_test (built, G_FILE_TEST_IS_EXECUTABLE) ? built : found;
  if (server == NULL || (port = free_port (error)) == 0)
    {
      if (server == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "desk needs saban-server (or --server URL)");
      return NULL;
    }
  db_arg = g_strdup_printf ("--db=%s", db);
  listen = g_strdup_printf ("--listen=127.0.0.1:%u", port);
  g_ptr_array_add (argv, (gpointer) server);
  g_ptr_array_add (argv, "--demo");
  g_ptr_array_add (argv, db_arg);
  g_ptr_array_add (argv, listen);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  g_ptr_array_add (argv, NULL);
  *url = g_strdup_printf ("http://127.0.0.1:%u", port);
  health = g_strconcat (*url, "/health", NULL);
  /* from the main thread, which lives as long as the bench: killed, the bench takes it along */
  return saban_local_server_start ((const char *const *) argv->pdata,
                                   G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, health, NULL,
                                   120, error);
}

static void
desk_fetched (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  DeskWait *w = user_data;

  w->set = saban_indicator_reader_fetch_finish (result, &w->error);
  w->done = TRUE;
}

static void
desk_report_fetched (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  DeskWait *w = user_data;

  w->data = saban_report_fetch_finish (result, &w->error);
  w->done = TRUE;
}

/* Every indicator × period of @set: classes and ranking, as a switch on the desk recomputes them. */
static void
desk_switches (SabanIndicatorSet   *set,
               SabanClassifyMethod  method,
               GArray              *ms)
{
  g_autofree guint8 *classes = g_new (guint8, MAX (saban_indicator_set_get_n_communes (set), 1));

  for (guint i = 0; i < saban_indicator_set_get_n_indicators (set); i++)
    {
      SabanPeriod first;
      guint n;

      if (!saban_indicator_set_get_span (set, i, &first, &n))
        continue;
      for (guint k = 0; k < n; k++)
        {
          SabanPeriod p = saban_period_offset (&first, (int) k);
          double t0 = now ();
          g_autoptr(GArray) breaks = saban_indicator_set_classify (set, i, &p, 5, method, classes);
          g_autoptr(GArray) order = saban_indicator_set_rank (set, i, &p);

          sample_add (ms, 1000 * (now () - t0));
        }
    }
}

static double
sample_max (GArray *samples)
{
  double m = 0;

  for (guint i = 0; i < samples->len; i++)
    m = MAX (m, g_array_index (samples, double, i));
  return m;
}

/* One desk load from a signed-in token: the catalogue and 24 months of values, into the model. */
static SabanIndicatorSet *
desk_load (SabanApi     *api,
           double       *seconds,
           GError      **error)
{
  g_autoptr(GDateTime) utc = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) vn = g_date_time_add_hours (utc, 7);
  SabanPeriod last = { SABAN_PERIOD_MONTH, g_date_time_get_year (vn) * 12 + g_date_time_get_month (vn) - 1 };
  SabanPeriod first = saban_period_offset (&last, -23);
  DeskWait w = { 0 };
  double t0 = now ();

  saban_indicator_reader_fetch_async (api, &first, &last, NULL, desk_fetched, &w);
  if (!saban_wait_for (&w.done, 60) || w.set == NULL)
    {
      if (w.error != NULL)
        g_propagate_error (error, w.error);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "the indicators did not come");
      return NULL;
    }
  *seconds = now () - t0;
  return w.set;
}

/* One meeting report of last month: fetched, laid out, printed and tabled. */
static gboolean
desk_report (SabanApi     *api,
             const char   *dir,
             double       *seconds,
             GError      **error)
{
  g_autoptr(SabanReportTemplate) tpl = saban_report_template_new_default (error);
  g_autoptr(SabanReportDocument) doc = NULL;
  g_autofree char *pdf = g_build_filename (dir, "report.pdf", NULL), *xlsx = g_build_filename (dir, "report.xlsx", NULL);
  g_autoptr(GDateTime) utc = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) vn = g_date_time_add_hours (utc, 7);
  DeskWait w = { 0 };
  GDate from, to;
  double t0 = now ();
  gboolean ok;

  if (tpl == NULL)
    return FALSE;
  g_date_clear (&to, 1);
  g_date_set_dmy (&to, 1, g_date_time_get_month (vn), g_date_time_get_year (vn));
  g_date_subtract_days (&to, 1);
  from = to;
  g_date_set_day (&from, 1);
  saban_report_fetch_async (api, &from, &to, NULL, desk_report_fetched, &w);
  if (!saban_wait_for (&w.done, 60) || w.data == NULL)
    {
      if (w.error != NULL)
        g_propagate_error (error, w.error);
      return FALSE;
    }
  doc = saban_report_document_build (w.data, tpl, &from, &to, g_get_real_time ());
  ok = saban_report_document_write_pdf (doc, w.data, tpl, pdf, error) &&
       saban_report_document_write_xlsx (doc, xlsx, error);
  g_object_unref (w.data);
  *seconds = now () - t0;
  return ok;
}

static char *
desk_sign_in (const char  *url,
              double      *seconds,
              GError     **error)
{
  const char *password = g_getenv ("SABAN_PASSWORD") != NULL ? g_getenv ("SABAN_PASSWORD") : "saban-demo";
  double t0 = now ();
  char *token = saban_connection_sign_in_sync (url, opt_user, password, 30, error);

  *seconds = now () - t0;
  return token;
}

static void
desk_print (SabanIndicatorSet *set,
            double             signin_s,
            GArray            *loads,
            GArray            *reports,
            gboolean           started)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GArray) quantile = samples_new (), jenks = samples_new ();
  gint64 cells = 0;

  desk_switches (set, SABAN_CLASSIFY_QUANTILE, quantile);
  desk_switches (set, SABAN_CLASSIFY_NATURAL_BREAKS, jenks);
  for (guint i = 0; i < saban_indicator_set_get_n_indicators (set); i++)
    {
      SabanPeriod first;
      guint n;

      if (saban_indicator_set_get_span (set, i, &first, &n))
        cells += (gint64) n * saban_indicator_set_get_n_communes (set);
    }
  json_builder_begin_object (b);
  add_string (b, "bench", "desk");
  add_string (b, "server", started ? "saban-server --demo (started by the bench)" : opt_server);
  add_int (b, "indicators", saban_indicator_set_get_n_indicators (set));
  add_int (b, "communes", saban_indicator_set_get_n_communes (set));
  add_int (b, "cells", cells);
  add_double (b, "signin_s", signin_s);
  add_double (b, "desk_load_s", median (loads));
  add_double (b, "desk_load_max_s", sample_max (loads));
  add_double (b, "switch_quantile_ms", median (quantile));
  add_double (b, "switch_quantile_max_ms", sample_max (quantile));
  add_double (b, "switch_jenks_ms", median (jenks));
  add_double (b, "switch_jenks_max_ms", sample_max (jenks));
  add_double (b, "report_s", median (reports));
  add_double (b, "report_max_s", sample_max (reports));
  add_int (b, "runs", opt_runs);
  json_builder_end_object (b);
  print_json (b);
}

/* issue 13: sign in, then the desk's load (catalogue + 24 months × every
 * commune, into SabanIndicatorSet), every indicator × period's classes and
 * ranking (what a switch recomputes), and last month's meeting report (fetch,
 * layout, PDF and XLSX), against --server or a saban-server --demo it starts. */
static int
cmd_desk (GError **error)
{
  g_autofree char *dir = g_dir_make_tmp ("saban-bench-desk-XXXXXX", error);
  g_autofree char *url = g_strdup (opt_server), *token = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(SabanApi) api = NULL;
  g_autoptr(SabanIndicatorSet) set = NULL;
  g_autoptr(GArray) loads = samples_new (), reports = samples_new ();
  double signin_s = 0, t;
  int status = 1;

  if (dir == NULL || (url == NULL && (server = saban_bench_start_server (dir, NULL, &url, error)) == NULL))
    return 1;
  if ((token = desk_sign_in (url, &signin_s, error)) == NULL)
    goto out;
  api = saban_api_new (url);
  saban_api_set_token (api, token);
  for (int r = 0; r < opt_warmup + opt_runs; r++)
    {
      g_clear_object (&set);
      if ((set = desk_load (api, &t, error)) == NULL)
        goto out;
      if (r >= opt_warmup)
        sample_add (loads, t);
      if (!desk_report (api, dir, &t, error))
        goto out;
      if (r >= opt_warmup)
        sample_add (reports, t);
    }
  desk_print (set, signin_s, loads, reports, server != NULL);
  status = 0;
out:
  if (server != NULL)
    {
      g_subprocess_force_exit (server);
      g_subprocess_wait (server, NULL, NULL);
    }
  saban_remove_tree (dir, NULL);
  return status;
}

static int
cmd_desk_ui (GError **error)
{
  return saban_bench_desk_ui (opt_server, opt_runs, error);
}

static int
cmd_feedback_scroll (GError **error)
{
  return saban_bench_feedback_scroll (opt_server, opt_frames, error);
}

static int
cmd_ui_idle (GError **error)
{
  return saban_bench_ui_idle (opt_seconds, error);
}

static const struct
{
  const char *name;
  int       (*run) (GError **error);
} commands[] = {
  { "render", cmd_render }, { "load", cmd_load }, { "query", cmd_query }, { "reproject", cmd_reproject },
  { "pan", cmd_pan }, { "markers", cmd_markers }, { "impact", cmd_impact }, { "cluster", cmd_cluster },
  { "latency", cmd_latency }, { "desk", cmd_desk }, { "desk-ui", cmd_desk_ui }, { "feedback-scroll", cmd_feedback_scroll },
  { "ui-idle", cmd_ui_idle }, { "ui-session", saban_bench_ui_session },
  { "raster", cmd_raster },
};

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new ("render|load|query|reproject|pan|markers|cluster|latency|impact|desk|desk-ui|feedback-scroll|raster|ui-idle|ui-session — Sa Bàn benchmarks");
  g_autoptr(GError) error = NULL;
  const char *cmd;
  gboolean runs_given = FALSE;
  int status;
  gsize k;

  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--runs") || g_str_equal (argv[i], "-r"))
      runs_given = TRUE;
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, saban_bench_desk_options ());
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("saban-bench: %s\n", error != NULL ? error->message : "name one subcommand: render, load, query, reproject, pan, markers or impact");
      return 2;
    }
  cmd = argv[1];
  if (!runs_given && !g_str_equal (cmd, "render") && !g_str_equal (cmd, "pan") && !g_str_equal (cmd, "markers") &&
      !g_str_equal (cmd, "latency"))
    opt_runs = 5;
  if (!runs_given && !g_str_equal (cmd, "render") && opt_warmup == 0)
    opt_warmup = 1;
  opt_runs = MAX (opt_runs, 1);
  opt_warmup = MAX (opt_warmup, 0);

  /* the renderer the application would choose here (its default setting,
   * auto), before any thread starts; GSK_RENDERER=gl measures GL beside it */
  saban_renderer_apply ("auto");
  GDALAllRegister ();
  CPLPushErrorHandler (CPLQuietErrorHandler);
  if (!g_str_equal (cmd, "reproject") && !g_str_equal (cmd, "markers") && !g_str_equal (cmd, "cluster") &&
      !g_str_equal (cmd, "latency") && !g_str_has_prefix (cmd, "desk") && !g_str_equal (cmd, "feedback-scroll") &&
      !g_str_equal (cmd, "raster") && !g_str_has_prefix (cmd, "ui-") &&
      (opt_input == NULL || (opt_layer == NULL && !g_str_equal (cmd, "impact"))))
    {
      g_printerr ("saban-bench %s: --input and --layer are required\n", cmd);
      return 2;
    }

  for (k = 0; k < G_N_ELEMENTS (commands) && !g_str_equal (cmd, commands[k].name); k++)
    ;
  if (k == G_N_ELEMENTS (commands))
    {
      g_printerr ("saban-bench: unknown subcommand %s\n", cmd);
      return 2;
    }
  status = commands[k].run (&error);
  if (status != 0)
    g_printerr ("saban-bench %s: %s\n", cmd, error != NULL ? error->message : "failed");
  return status;
}
