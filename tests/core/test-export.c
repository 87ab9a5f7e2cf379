/* Exports read back by ogrinfo (GDAL's own tool, not our reader): the same
 * features, in the CRS chosen; a selection; failures leave nothing behind. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "saban-files.h"
#include "saban-ogr-export.h"
#include "saban-ogr-reader.h"

static GPtrArray *demo_layers;

static SabanVectorLayer *
demo_layer (const char *name)
{
  for (guint i = 0; i < demo_layers->len; i++)
    if (g_str_equal (saban_vector_layer_get_name (g_ptr_array_index (demo_layers, i)), name))
      return g_ptr_array_index (demo_layers, i);
  g_assert_not_reached ();
}

static char *
ogrinfo (const char *path,
         const char *what)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  const char *argv[] = { "ogrinfo", "-ro", "-al", what, path, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

static guint
feature_count (const char *summary)
{
  const char *line = strstr (summary, "Feature Count: ");

  g_assert_nonnull (line);
  return (guint) g_ascii_strtoull (line + strlen ("Feature Count: "), NULL, 10);
}

static void
assert_epsg (const char *summary,
             int         epsg)
{
  g_autofree char *id = g_strdup_printf ("ID[\"EPSG\",%d]]", epsg);

  g_assert_nonnull (strstr (summary, id));
}

typedef struct
{
  SabanExportFormat format;
  const char *crs;
  int epsg;           /* the CRS ogrinfo must report; 0: none (CSV, XLSX) */
} Case;

static void
test_formats (void)
{
  static const Case cases[] = {
    { SABAN_EXPORT_GEOPACKAGE, "EPSG:9209", 9209 },   /* another VN-2000 TM-3 zone */
    { SABAN_EXPORT_GEOJSON, "EPSG:4326", 4326 },
    { SABAN_EXPORT_SHAPEFILE, "EPSG:3405", 3405 },    /* VN-2000 / UTM 48N */
    { SABAN_EXPORT_KML, NULL, 4326 },
    { SABAN_EXPORT_CSV, "EPSG:9208", 0 },
    { SABAN_EXPORT_XLSX, "EPSG:9208", 0 },
  };
  SabanVectorLayer *communes = demo_layer ("communes");
  g_autofree char *dir = g_dir_make_tmp ("saban-export-XXXXXX", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("communes.%s", saban_export_format_get_extension (cases[i].format));
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *summary = NULL;
      g_autofree char *all = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (saban_ogr_export (communes, NULL, 0, cases[i].format, cases[i].crs, path, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      summary = ogrinfo (path, "-so");
      g_assert_cmpuint (feature_count (summary), ==, 99);
      if (cases[i].epsg != 0)
        assert_epsg (summary, cases[i].epsg);
      all = ogrinfo (path, "-q");
      g_assert_nonnull (strstr (all, "Phường Lào Cai"));
      g_assert_nonnull (strstr (all, "Xã Y Tý"));
    }
  saban_remove_tree (dir, NULL);
}

/* A selection: those features only, with their own attributes. */
static void
test_selection (void)
{
  SabanVectorLayer *communes = demo_layer ("communes");
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (communes);
  int name = saban_attribute_table_find_field (t, "name");
  const guint32 chosen[] = { 3, 17, 42 };
  g_autofree char *dir = g_dir_make_tmp ("saban-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "chosen.gpkg", NULL);
  g_autofree char *subset_path = g_build_filename (dir, "subset.geojson", NULL);
  g_autofree char *all = NULL;
  g_autofree char *subset_all = NULL;
  g_autoptr(SabanVectorLayer) subset = saban_vector_layer_new_subset (communes, chosen, G_N_ELEMENTS (chosen));
  g_autoptr(GError) error = NULL;

  g_assert_true (saban_ogr_export (communes, chosen, G_N_ELEMENTS (chosen), SABAN_EXPORT_GEOPACKAGE, NULL, path,
                                   NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  all = ogrinfo (path, "-q");
  /* A subset layer exports its own features. */
  g_assert_true (saban_vector_layer_is_subset (subset));
  g_assert_true (saban_ogr_export (subset, NULL, 0, SABAN_EXPORT_GEOJSON, NULL, subset_path, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  subset_all = ogrinfo (subset_path, "-so");
  g_assert_cmpuint (feature_count (subset_all), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (chosen); i++)
    {
      g_autofree char *line = g_strdup_printf ("name (String) = %s\n",
                                               saban_attribute_table_get_string (t, name, chosen[i]));

      g_assert_nonnull (strstr (all, line));
    }
  g_clear_pointer (&all, g_free);
  all = ogrinfo (path, "-so");
  g_assert_cmpuint (feature_count (all), ==, 3);

  /* in the order given (a sorted attribute table's), not the source's */
  {
    const guint32 reversed[] = { 42, 17, 3 };
    g_autofree char *ordered = g_build_filename (dir, "ordered.gpkg", NULL);
    g_autofree char *text = NULL;
    const char *previous = NULL;

    g_assert_true (saban_ogr_export (communes, reversed, 3, SABAN_EXPORT_GEOPACKAGE, NULL, ordered, NULL, NULL, NULL,
                                     &error));
    text = ogrinfo (ordered, "-q");
    for (guint i = 0; i < 3; i++)
      {
        g_autofree char *line = g_strdup_printf ("name (String) = %s\n",
                                                 saban_attribute_table_get_string (t, name, reversed[i]));
        const char *at = strstr (text, line);

        g_assert_nonnull (at);
        g_assert_true (previous == NULL || at > previous);
        previous = at;
      }
  }
  saban_remove_tree (dir, NULL);
}

/* Coordinates written in WGS 84 read back where the reader put the source's
 * (the pinned VN-2000 path both ways): within a few centimetres. */
static void
test_coordinates (void)
{
  SabanVectorLayer *sites = demo_layer ("sensor_sites");
  g_autofree char *dir = g_dir_make_tmp ("saban-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "sites.geojson", NULL);
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  const SabanFeatureArrays *a, *b;

  g_assert_true (saban_ogr_export (sites, NULL, 0, SABAN_EXPORT_GEOJSON, "EPSG:4326", path, NULL, NULL, NULL, &error));
  again = saban_ogr_read (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  a = saban_vector_layer_get_arrays (sites);
  b = saban_vector_layer_get_arrays (g_ptr_array_index (again, 0));
  g_assert_cmpuint (a->n_points, ==, b->n_points);
  for (guint32 i = 0; i < a->n_points; i++)
    g_assert_cmpfloat (hypot (a->xy[2 * i] - b->xy[2 * i], a->xy[2 * i + 1] - b->xy[2 * i + 1]), <, 0.05);
  saban_remove_tree (dir, NULL);
}

static void
cancel_at_once (double fraction, const char *what, gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_failures_leave_nothing (void)
{
  SabanVectorLayer *parcels = demo_layer ("parcels");
  g_autofree char *dir = g_dir_make_tmp ("saban-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "parcels.gpkg", NULL);
  g_autofree char *nowhere = g_build_filename (dir, "missing", "parcels.gpkg", NULL);
  g_autofree char *bad_shp = g_build_filename (dir, "parcels.dat", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;

  /* cancelled after the first thousand features */
  g_assert_false (saban_ogr_export (parcels, NULL, 0, SABAN_EXPORT_GEOPACKAGE, NULL, path, cancellable,
                                    cancel_at_once, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (saban_ogr_export (parcels, NULL, 0, SABAN_EXPORT_GEOPACKAGE, NULL, nowhere, NULL, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (saban_ogr_export (parcels, NULL, 0, SABAN_EXPORT_SHAPEFILE, NULL, bad_shp, NULL, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (saban_ogr_export (parcels, NULL, 0, SABAN_EXPORT_GEOPACKAGE, "EPSG:999999", path, NULL, NULL, NULL, &error));
  g_assert_nonnull (error);

  listing = g_dir_open (dir, 0, NULL);
  g_assert_null (g_dir_read_name (listing));
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  demo_layers = saban_ogr_read (g_getenv ("SABAN_DEMO_DATA"), NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_add_func ("/export/formats", test_formats);
  g_test_add_func ("/export/selection", test_selection);
  g_test_add_func ("/export/coordinates", test_coordinates);
  g_test_add_func ("/export/failures-leave-nothing", test_failures_leave_nothing);
  status = g_test_run ();
  g_ptr_array_unref (demo_layers);
  return status;
}
