/* saban-bench-raster.c: `saban-bench raster`, issue 14's figures for a large
 * orthophoto.
 *
 * A synthetic 20 000 × 20 000 px RGB orthophoto (0.5 m cells in VN-2000 /
 * TM-3 104-45 over Lào Cai city: fields, roads, a river, texture) is made
 * once with GDAL as a JPEG-compressed COG with overviews in the --input
 * directory. Then, in one run:
 *   open      saban_raster_layer_open(), what the app does before drawing
 *   views     three 1920×1080 views (the whole photo, a district, full
 *             resolution), every 256 px tile under each drawn through
 *             saban_tile_source_render_into() on one thread, against
 *             GDALWarp (gdalwarp's library) making the same view in EPSG:3857
 *             from the same file, alternating, median of --runs;
 *   pan       (under a display) the pan p95 of the map widget over the photo
 *             against the same pan over a vector layer instead (one filled
 *             square over the photo: every tile full in both);
 *   rss       peak RSS from just before opening to the end (VmHWM, reset
 *             through /proc/self/clear_refs).
 */
#include <cpl_string.h>
#include <gdal.h>
#include <gdal_utils.h>
#include <gtk/gtk.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "saban-bench-private.h"
#include "saban-layer.h"
#include "saban-raster-layer.h"
#include "saban-tile-source.h"
#include "saban-transform.h"

#define ORTHO_SIZE 20000
#define ORTHO_RES 0.5
#define ORTHO_X0 424000.0   /* Lào Cai city, EPSG:9208 */
#define ORTHO_Y0 2485000.0
#define STRIP 512
#define WEB_MERCATOR_HALF 20037508.342789244

static guint32
hash (guint32 x, guint32 y)
{
  guint32 h = x * 374761393u + y * 668265263u;

  h = (h ^ (h >> 13)) * 1274126177u;
  return h ^ (h >> 16);
}

/* One pixel of the synthetic photo. */
static void
ortho_pixel (guint32 col, guint32 row, guint8 *rgb)
{
  guint32 field = hash (col / 96, row / 64);
  double river = 10000 + 1800 * sin (row / 1900.0) - col;
  guint8 grain = (guint8) (hash (col, row) & 15);

  if (fabs (river) < 40)
    {
      rgb[0] = 70 + grain, rgb[1] = 110 + grain, rgb[2] = 130 + grain;
      return;
    }
  if (col % 1000 < 10 || row % 1400 < 10)
    {
      rgb[0] = rgb[1] = rgb[2] = 170 + grain;
      return;
    }
  switch (field % 4)
    {
    case 0: rgb[0] = 80, rgb[1] = 130, rgb[2] = 60; break;     /* rice */
    case 1: rgb[0] = 110, rgb[1] = 150, rgb[2] = 70; break;
    case 2: rgb[0] = 50, rgb[1] = 90, rgb[2] = 50; break;      /* forest */
    default: rgb[0] = 150, rgb[1] = 120, rgb[2] = 90; break;   /* bare, built */
    }
  rgb[0] += grain, rgb[1] += grain, rgb[2] += grain;
}

static gboolean
make_ortho (const char *path,
            GError    **error)
{
  g_autofree char *tmp = g_strconcat (path, ".tmp.tif", NULL);
  const char *tiled[] = { "TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512", "COMPRESS=JPEG", "PHOTOMETRIC=YCBCR",
                          "JPEG_QUALITY=90", "BIGTIFF=IF_SAFER", NULL };
  const char *cog[] = { "COMPRESS=JPEG", "QUALITY=85", "BLOCKSIZE=512", "OVERVIEWS=AUTO", "BIGTIFF=IF_SAFER", NULL };
  g_autofree guint8 *strip = g_new (guint8, (gsize) 3 * ORTHO_SIZE * STRIP);
  double gt[6] = { ORTHO_X0, ORTHO_RES, 0, ORTHO_Y0 + ORTHO_SIZE * ORTHO_RES, 0, -ORTHO_RES };
  GDALDatasetH ds, out;

  g_printerr ("saban-bench raster: making %s (once)…\n", path);
  ds = GDALCreate (GDALGetDriverByName ("GTiff"), tmp, ORTHO_SIZE, ORTHO_SIZE, 3, GDT_Byte, (char **) tiled);
  if (ds == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot create %s", tmp);
      return FALSE;
    }
  GDALSetGeoTransform (ds, gt);
  GDALSetProjection (ds, "EPSG:9208");
  for (guint32 y0 = 0; y0 < ORTHO_SIZE; y0 += STRIP)
    {
      guint32 rows = MIN (STRIP, ORTHO_SIZE - y0);

      for (guint32 r = 0; r < rows; r++)
        for (guint32 c = 0; c < ORTHO_SIZE; c++)
          ortho_pixel (c, y0 + r, strip + 3 * ((gsize) r * ORTHO_SIZE + c));
      if (GDALDatasetRasterIO (ds, GF_Write, 0, (int) y0, ORTHO_SIZE, (int) rows, strip, ORTHO_SIZE, (int) rows,
                               GDT_Byte, 3, NULL, 3, 3 * ORTHO_SIZE, 1) != CE_None)
        {
          GDALClose (ds);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write %s", tmp);
          return FALSE;
        }
    }
  out = GDALCreateCopy (GDALGetDriverByName ("COG"), path, ds, FALSE, (char **) cog, NULL, NULL);
  GDALClose (ds);
  GDALDeleteDataset (GDALGetDriverByName ("GTiff"), tmp);
  if (out == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write the COG %s", path);
      return FALSE;
    }
  GDALClose (out);
  return TRUE;
}

typedef struct
{
  const char *name;
  guint zoom;
  double cx, cy;   /* Web Mercator */
} View;

/* Every tile under a 1920×1080 view, as the map asks for them. */
static double
draw_ours (SabanTileSource *source,
           const View      *v,
           guint8          *buffer)
{
  double extent = 2 * WEB_MERCATOR_HALF / (1u << v->zoom);
  double px = extent / 256, t0 = now ();
  int x0 = (int) floor ((v->cx - 960 * px + WEB_MERCATOR_HALF) / extent);
  int x1 = (int) floor ((v->cx + 960 * px + WEB_MERCATOR_HALF) / extent);
  int y0 = (int) floor ((WEB_MERCATOR_HALF - (v->cy + 540 * px)) / extent);
  int y1 = (int) floor ((WEB_MERCATOR_HALF - (v->cy - 540 * px)) / extent);

  for (int y = y0; y <= y1; y++)
    for (int x = x0; x <= x1; x++)
      {
        memset (buffer, 0, 256 * 256 * 4);
        saban_tile_source_render_into (source, x, y, v->zoom, 256, buffer, 256 * 4);
      }
  return (now () - t0) * 1000;
}

/* gdalwarp -t_srs EPSG:3857 -te … -ts 1920 1080 -of MEM: the same view. */
static double
draw_gdalwarp (const char *path,
               const View *v)
{
  double px = 2 * WEB_MERCATOR_HALF / (1u << v->zoom) / 256, t0 = now ();
  g_autofree char *te = g_strdup_printf ("%.3f %.3f %.3f %.3f", v->cx - 960 * px, v->cy - 540 * px,
                                         v->cx + 960 * px, v->cy + 540 * px);
  g_auto(GStrv) te_parts = g_strsplit (te, " ", 4);
  const char *argv[] = { "-of", "MEM", "-t_srs", "EPSG:3857", "-te", te_parts[0], te_parts[1], te_parts[2],
                         te_parts[3], "-ts", "1920", "1080", "-r", "near", NULL };
  GDALWarpAppOptions *options = GDALWarpAppOptionsNew ((char **) argv, NULL);
  GDALDatasetH src = GDALOpen (path, GA_ReadOnly);
  GDALDatasetH out = GDALWarp ("", NULL, 1, &src, options, NULL);

  GDALClose (out);
  GDALClose (src);
  GDALWarpAppOptionsFree (options);
  return (now () - t0) * 1000;
}

static void
reset_peak_rss (void)
{
  /* "5" resets VmHWM to the current RSS (Linux ≥ 4.0) */
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

/* One filled square over the photo: a vector layer whose every tile is
 * full, as the photo's are, so both pans compose the same textures. */
static SabanLayer *
vector_cover (SabanRasterLayer *raster)
{
  SabanFeatureArrays a = { .n_features = 1, .n_parts = 1, .n_points = 5 };
  double e[4];
  g_autoptr(SabanVectorLayer) vector = NULL;
  g_autoptr(SabanLayerStyle) style = NULL;

  saban_raster_layer_get_extent (raster, &e[0], &e[1], &e[2], &e[3]);
  a.part_starts = g_new0 (guint32, 2);
  a.point_starts = g_new0 (guint32, 2);
  a.part_starts[1] = 1;
  a.point_starts[1] = 5;
  a.xy = g_memdup2 ((double[]) { e[0], e[1], e[2], e[1], e[2], e[3], e[0], e[3], e[0], e[1] }, 10 * sizeof (double));
  a.boxes = g_memdup2 (e, sizeof e);
  a.fids = g_new0 (gint64, 1);
  vector = saban_vector_layer_new ("cover", "", "EPSG:3857", "EPSG:3857", SABAN_GEOMETRY_POLYGON, &a);
  style = saban_layer_style_new_for_layer (vector);
  return saban_layer_new (vector, style);
}

static void
measure_pan (SabanRasterLayer *raster,
             const View       *v,
             PanFigures       *with,
             PanFigures       *without)
{
  GtkWidget *window = gtk_window_new ();
  SabanMapView *view = SABAN_MAP_VIEW (saban_map_view_new ());
  g_autoptr(SabanLayer) layer = saban_layer_new_raster (raster);
  g_autoptr(SabanLayer) cover = vector_cover (raster);
  double lon = v->cx / WEB_MERCATOR_HALF * 180;
  double lat = atan (sinh (v->cy / WEB_MERCATOR_HALF * G_PI)) * 180 / G_PI;

  gtk_window_set_default_size (GTK_WINDOW (window), 1920, 1080);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  saban_layer_model_add (saban_map_view_get_layers (view), layer);
  gtk_window_present (GTK_WINDOW (window));
  g_timeout_add (16, keep_awake, NULL);
  pan_measure (view, lat, lon, with);
  saban_layer_set_visible (layer, FALSE);
  saban_layer_model_add (saban_map_view_get_layers (view), cover);
  pan_measure (view, lat, lon, without);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
cmd_raster (GError **error)
{
  g_autofree char *dir = g_strdup (opt_input != NULL ? opt_input : "bench-data");
  g_autofree char *path = g_build_filename (dir, "ortho-20000.tif", NULL);
  g_autoptr(SabanRasterLayer) raster = NULL;
  g_autoptr(SabanLayer) layer = NULL;
  g_autoptr(SabanTileSource) source = NULL;
  g_autoptr(SabanTransform) to_mercator = saban_transform_new ("EPSG:9208", "EPSG:3857", NULL);
  g_autofree guint8 *buffer = g_new (guint8, 256 * 256 * 4);
  double centre[2] = { ORTHO_X0 + ORTHO_SIZE * ORTHO_RES / 2, ORTHO_Y0 + ORTHO_SIZE * ORTHO_RES / 2 };
  View views[] = { { "whole", 13 }, { "district", 15 }, { "full-resolution", 18 } };
  double open_s, worst_ratio = 0;
  PanFigures with = { 0 }, without = { 0 };
  gboolean pan = FALSE;

  g_mkdir_with_parents (dir, 0755);
  if (!g_file_test (path, G_FILE_TEST_EXISTS) && !make_ortho (path, error))
    return 1;
  saban_transform_points (to_mercator, centre, 1);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      views[i].cx = centre[0] + i * 700;   /* not all on one tile corner */
      views[i].cy = centre[1] - i * 400;
    }

  reset_peak_rss ();
  open_s = now ();
  raster = saban_raster_layer_open (path, NULL, error);
  open_s = now () - open_s;
  if (raster == NULL)
    return 1;
  layer = saban_layer_new_raster (raster);
  source = saban_tile_source_new_composite (&layer, 1);

  g_print ("{\"bench\":\"raster\",\"input\":\"%s\",\"size\":\"%ux%u\",\"overviews\":%u,\"open_s\":%.3f,\"views\":[",
           path, saban_raster_layer_get_width (raster), saban_raster_layer_get_height (raster),
           saban_raster_layer_get_n_overviews (raster), open_s);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      g_autoptr(GArray) ours = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) theirs = g_array_new (FALSE, FALSE, sizeof (double));
      double ratio;

      for (int run = 0; run < opt_warmup + opt_runs; run++)
        {
          double a = draw_ours (source, &views[i], buffer), b = draw_gdalwarp (path, &views[i]);

          if (run < opt_warmup)
            continue;
          g_array_append_val (ours, a);
          g_array_append_val (theirs, b);
        }
      ratio = median (ours) / median (theirs);
      worst_ratio = MAX (worst_ratio, ratio);
      g_print ("%s{\"view\":\"%s\",\"zoom\":%u,\"ours_ms\":%.1f,\"gdalwarp_ms\":%.1f,\"ratio\":%.3f}",
               i > 0 ? "," : "", views[i].name, views[i].zoom, median (ours), median (theirs), ratio);
    }
  if (gtk_init_check ())
    {
      measure_pan (raster, &views[1], &with, &without);
      pan = TRUE;
    }
  g_print ("],\"worst_view_ratio\":%.3f", worst_ratio);
  if (pan)
    g_print (",\"pan_p95_ms\":%.2f,\"pan_p95_ms_vector_only\":%.2f,\"pan_p95_difference_ms\":%.2f",
             with.p95, without.p95, with.p95 - without.p95);
  g_print (",\"peak_rss_mb\":%.1f}\n", proc_status_mb ("VmHWM:"));
  return 0;
}
