/* Rasters in the main window: files given as on the command line (a DEM),
 * their row, the view fitted to them, a pixel identified, the elevation
 * under the pointer, a terrain profile, and the workspace keeping how a
 * raster is drawn. In Vietnamese. */
#include <adwaita.h>
#include <gdal.h>
#include <glib/gstdio.h>
#include <math.h>

#include "app-test.h"
#include "saban-layer-row.h"
#include "saban-map-view.h"
#include "saban-preferences-window.h"
#include "saban-profile-chart.h"
#include "saban-resources.h"
#include "saban-transform.h"
#include "saban-window.h"

static char *dir;

#define DEM_X0 420000.0
#define DEM_Y0 2490000.0

/* 300 × 200 cells of 20 m in VN-2000 / TM-3 104-45: a slope rising east,
 * 100 m + 1 m a cell. */
static char *
make_dem (void)
{
  char *path = g_build_filename (dir, "dem.tif", NULL);
  GDALDatasetH ds;
  g_autofree float *z = g_new (float, 300 * 200);
  GDALRasterBandH band;

  GDALAllRegister ();
  ds = GDALCreate (GDALGetDriverByName ("GTiff"), path, 300, 200, 1, GDT_Float32, NULL);
  band = GDALGetRasterBand (ds, 1);
  for (int r = 0; r < 200; r++)
    for (int c = 0; c < 300; c++)
      z[r * 300 + c] = 100.0f + c;
  GDALSetGeoTransform (ds, (double[6]) { DEM_X0, 20, 0, DEM_Y0, 0, -20 });
  GDALSetProjection (ds, "EPSG:9208");
  GDALSetRasterUnitType (band, "m");
  GDALSetDescription (band, "elevation");
  g_assert_cmpint (GDALRasterIO (band, GF_Write, 0, 0, 300, 200, z, 300, 200, GDT_Float32, 0, 0), ==, CE_None);
  GDALClose (ds);
  return path;
}

/* Web Mercator of a point of the DEM, @col and @row in cells */
static void
dem_point (double col, double row, double *xy)
{
  g_autoptr(SabanTransform) t = saban_transform_new ("EPSG:9208", "EPSG:3857", NULL);

  xy[0] = DEM_X0 + col * 20;
  xy[1] = DEM_Y0 - row * 20;
  saban_transform_points (t, xy, 1);
}

static SabanLayer *
raster_row_layer (SabanWindow *window)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  app_test_collect (GTK_WIDGET (window), SABAN_TYPE_LAYER_ROW, NULL, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      SabanLayer *layer = saban_layer_row_get_layer (g_ptr_array_index (rows, i));

      if (saban_layer_get_raster (layer) != NULL)
        return layer;
    }
  return NULL;
}

static SabanWindow *
window_with_dem (void)
{
  SabanWindow *window = saban_window_new (NULL, NULL);
  g_autofree char *path = make_dem ();
  g_autoptr(GFile) file = g_file_new_for_path (path);

  gtk_window_present (GTK_WINDOW (window));
  saban_window_add_files (window, &file, 1);
  TEST_WAIT_UNTIL (!saban_window_get_loading (window) && raster_row_layer (window) != NULL, 60);
  return window;
}

static SabanMapView *
map_view (SabanWindow *window)
{
  return app_test_find (GTK_WIDGET (window), SABAN_TYPE_MAP_VIEW, NULL);
}

/* A DEM on the command line: a row with its size and CRS, drawn as tinted
 * relief, and the view fitted to it. */
static void
test_files_fit (void)
{
  SabanWindow *window = window_with_dem ();
  SabanLayer *layer = raster_row_layer (window);
  ShumateViewport *viewport = saban_map_view_get_viewport (map_view (window));
  double centre[2], e[4], x, y;

  g_assert_nonnull (layer);
  g_assert_cmpint (saban_layer_get_raster_render (layer), ==, SABAN_RASTER_RENDER_HYPSOMETRIC);
  g_assert_true (app_test_has_label_containing (GTK_WIDGET (window), "300 × 200"));
  g_assert_true (app_test_has_label_containing (GTK_WIDGET (window), "VN-2000 / TM-3 104-45"));
  dem_point (150, 100, centre);
  saban_layer_get_extent (layer, &e[0], &e[1], &e[2], &e[3]);
  TEST_WAIT_UNTIL (shumate_viewport_get_zoom_level (viewport) > 11, 20);
  x = shumate_location_get_longitude (SHUMATE_LOCATION (viewport)) * G_PI / 180 * 6378137.0;
  y = log (tan (G_PI / 4 + shumate_location_get_latitude (SHUMATE_LOCATION (viewport)) * G_PI / 360)) * 6378137.0;
  g_assert_cmpfloat (fabs (x - centre[0]), <, (e[2] - e[0]) / 4);
  g_assert_cmpfloat (fabs (y - centre[1]), <, (e[3] - e[1]) / 4);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A click on the DEM where no feature is: the pixel's value and unit in
 * the inspector, read in a worker. */
static void
test_identify_pixel (void)
{
  SabanWindow *window = window_with_dem ();
  double xy[2];

  dem_point (50.5, 20.5, xy);
  g_signal_emit_by_name (map_view (window), "raster-activated", raster_row_layer (window), xy[0], xy[1]);
  TEST_WAIT_UNTIL (app_test_has_label (GTK_WIDGET (window), "Giá trị điểm ảnh"), 20);
  g_assert_true (app_test_has_label (GTK_WIDGET (window), "elevation"));
  g_assert_true (app_test_has_label (GTK_WIDGET (window), "150 m"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* the window showing a profile chart, if one is open */
static GtkWidget *
find_profile_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);
      g_autoptr(GPtrArray) charts = g_ptr_array_new ();

      app_test_collect (w, SABAN_TYPE_PROFILE_CHART, NULL, charts);
      if (gtk_widget_get_visible (w) && charts->len > 0)
        return w;
    }
  return NULL;
}

/* The profile tool's line across the slope: a chart window. */
static void
test_profile (void)
{
  SabanWindow *window = window_with_dem ();
  g_autoptr(GArray) line = g_array_new (FALSE, FALSE, sizeof (double));
  double a[2], b[2];
  GtkWidget *profile = NULL;

  dem_point (10, 100, a);
  dem_point (290, 100, b);
  g_array_append_vals (line, a, 2);
  g_array_append_vals (line, b, 2);
  g_signal_emit_by_name (map_view (window), "profile-drawn", line);
  TEST_WAIT_UNTIL ((profile = find_profile_window ()) != NULL, 20);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (profile)), ==, "Mặt cắt địa hình — dem.tif");
  gtk_window_destroy (GTK_WINDOW (profile));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The province's own base map file is a preference; one that cannot be
 * opened is said in a toast, in Vietnamese, and the map keeps going. */
static void
test_base_map_file (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  GtkWidget *prefs = saban_preferences_window_new (NULL, NULL);
  GtkWidget *row = app_test_find (prefs, ADW_TYPE_ENTRY_ROW, "base-map-file");
  g_autofree char *bad = g_build_filename (dir, "nen-hong.mbtiles", NULL);
  g_autofree char *chosen = NULL;
  SabanWindow *window;

  g_assert_true (g_file_set_contents (bad, "không phải MBTiles", -1, NULL));
  gtk_editable_set_text (GTK_EDITABLE (row), bad);
  g_signal_emit_by_name (row, "apply");
  chosen = g_settings_get_string (settings, "base-map-file");
  g_assert_cmpstr (chosen, ==, bad);
  gtk_window_destroy (GTK_WINDOW (prefs));

  window = saban_window_new (NULL, NULL);
  gtk_window_present (GTK_WINDOW (window));
  TEST_WAIT_UNTIL (app_test_has_label_containing (GTK_WIDGET (window), "Không mở được bản đồ nền ngoại tuyến"), 20);
  g_settings_reset (settings, "base-map-file");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  int status;

  app_test_init (&argc, &argv);
  g_resources_register (saban_get_resource ());
  dir = g_dir_make_tmp ("saban-raster-window-XXXXXX", NULL);
  g_test_add_func ("/raster-window/files-fit", test_files_fit);
  g_test_add_func ("/raster-window/identify-pixel", test_identify_pixel);
  g_test_add_func ("/raster-window/profile", test_profile);
  g_test_add_func ("/raster-window/base-map-file", test_base_map_file);
  status = g_test_run ();
  {
    g_autofree char *dem = g_build_filename (dir, "dem.tif", NULL);

    g_remove (dem);
    g_rmdir (dir);
  }
  return status;
}
