/* Planning dossiers made by saban-datagen, read back (a round trip), their
 * documents opened as the desktop would get them; and the conflict check
 * against an independent computation with GEOS (through OGR) in the data's
 * own projected CRS. */
#include <gdal.h>
#include <glib/gstdio.h>
#include <math.h>
#include <ogr_api.h>
#include <string.h>

#include "saban-error.h"
#include "saban-files.h"
#include "saban-landuse-conflict.h"
#include "saban-ogr-reader.h"
#include "saban-planning-dossier.h"

#define ZONING_2024 "QHPK-LAOCAI-2024"

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
run (const char * const *argv)
{
  g_autofree char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

/* A zone of the 1/2000 plan names its decision; the decision and its three
 * documents come back as the generator wrote them. */
static void
test_dossier_round_trip (void)
{
  SabanVectorLayer *zoning = demo_layer ("zoning");
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (zoning);
  int link = saban_planning_dossier_find_field (t);
  g_autoptr(SabanPlanningDossier) dossier = NULL;
  g_autoptr(GError) error = NULL;
  const char *decision = NULL;
  char date[16];

  g_assert_cmpint (link, >=, 0);
  for (guint32 f = 0; f < saban_vector_layer_get_n_features (zoning) && decision == NULL; f++)
    if (g_str_equal (saban_attribute_table_get_string (t, link, f), ZONING_2024))
      decision = saban_attribute_table_get_string (t, link, f);
  g_assert_nonnull (decision);

  dossier = saban_planning_dossier_read (saban_vector_layer_get_source (zoning), decision, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saban_planning_dossier_get_number (dossier), ==, "9003/QĐ-UBND");
  g_assert_cmpstr (saban_planning_dossier_get_authority (dossier), ==, "Ủy ban nhân dân tỉnh Lào Cai");
  g_assert_cmpint (saban_planning_dossier_get_level (dossier), ==, SABAN_PLANNING_LEVEL_ZONING);
  g_assert_cmpint (saban_planning_dossier_get_status (dossier), ==, SABAN_PLANNING_STATUS_UNDER_REVISION);
  g_assert_cmpstr (saban_planning_dossier_get_period (dossier), ==, "2024–2040");
  g_assert_cmpstr (saban_planning_dossier_get_layer (dossier), ==, "zoning");
  g_assert_nonnull (strstr (saban_planning_dossier_get_note (dossier), "minh họa"));
  g_date_strftime (date, sizeof date, "%d/%m/%Y", saban_planning_dossier_get_date (dossier));
  g_assert_cmpstr (date, ==, "20/09/2024");
  g_assert_cmpuint (saban_planning_dossier_get_n_documents (dossier), ==, 3);
  g_assert_cmpint (saban_planning_dossier_get_document (dossier, 0)->kind, ==, SABAN_PLANNING_DOCUMENT_DECISION);
  g_assert_cmpint (saban_planning_dossier_get_document (dossier, 2)->kind, ==, SABAN_PLANNING_DOCUMENT_DRAWING);
  g_assert_null (saban_planning_dossier_get_document (dossier, 3));
}

/* Opened: the PDF says what it is (pdftotext), the drawing is georeferenced
 * in VN-2000 where the plan is (gdalinfo reads its world file and CRS). */
static void
test_documents_open (void)
{
  SabanVectorLayer *zoning = demo_layer ("zoning");
  g_autoptr(SabanPlanningDossier) dossier = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("saban-dossier-XXXXXX", NULL);
  g_autofree char *pdf_uri = NULL;
  g_autofree char *png_uri = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *png = NULL;
  g_autofree char *text = NULL;
  g_autofree char *info = NULL;
  double min_x, min_y, max_x, max_y;

  dossier = saban_planning_dossier_read (saban_vector_layer_get_source (zoning), ZONING_2024, &error);
  g_assert_no_error (error);
  pdf_uri = saban_planning_dossier_open_document (dossier, 0, dir, &error);
  g_assert_no_error (error);
  pdf = g_filename_from_uri (pdf_uri, NULL, NULL);
  text = run ((const char *[]) { "pdftotext", pdf, "-", NULL });
  g_assert_nonnull (strstr (text, "9003/QĐ-UBND"));
  g_assert_nonnull (strstr (text, "QUYẾT ĐỊNH"));
  g_assert_nonnull (strstr (text, "Dữ liệu minh họa tổng hợp"));

  png_uri = saban_planning_dossier_open_document (dossier, 2, dir, &error);
  g_assert_no_error (error);
  png = g_filename_from_uri (png_uri, NULL, NULL);
  info = run ((const char *[]) { "gdalinfo", png, NULL });
  g_assert_nonnull (strstr (info, "VN-2000 / TM-3 104-45"));
  g_assert_nonnull (strstr (info, "Size is 1600, 1200"));
  /* the drawing covers the zones of its plan */
  {
    const char *origin = strstr (info, "Origin = (");
    double ox, oy;

    g_assert_nonnull (origin);
    g_assert_cmpint (sscanf (origin, "Origin = (%lf,%lf)", &ox, &oy), ==, 2);
    g_assert_cmpfloat (ox, >, 380000);
    g_assert_cmpfloat (ox, <, 430000);
    g_assert_cmpfloat (oy, >, 2460000);
    g_assert_cmpfloat (oy, <, 2520000);
  }
  g_assert_true (saban_vector_layer_get_extent (zoning, &min_x, &min_y, &max_x, &max_y));
  saban_remove_tree (dir, NULL);
}

/* Hostile or missing: a decision id with quotes, one not there, a source
 * without the tables, a link that leaves its folder. */
static void
test_refusals (void)
{
  SabanVectorLayer *zoning = demo_layer ("zoning");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("saban-dossier-XXXXXX", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.geojson", NULL);
  g_autofree char *long_id = g_strnfill (200, 'Q');

  g_assert_null (saban_planning_dossier_read (saban_vector_layer_get_source (zoning), "x' OR '1'='1", &error));
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_NO_DATA);
  g_clear_error (&error);
  g_assert_null (saban_planning_dossier_read (saban_vector_layer_get_source (zoning), long_id, &error));
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (saban_planning_dossier_read (saban_vector_layer_get_source (zoning), "", &error));
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (plain, "{\"type\":\"FeatureCollection\",\"features\":[]}", -1, NULL));
  g_assert_null (saban_planning_dossier_read (plain, ZONING_2024, &error));
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_NO_DATA);
  saban_remove_tree (dir, NULL);
}

typedef struct
{
  double area_ha;
  guint parcels;
} Expected;

static double
boundary_length (OGRGeometryH g)
{
  OGRGeometryH boundary = OGR_G_Boundary (g);
  double length = OGR_G_Length (boundary);

  OGR_G_DestroyGeometry (boundary);
  return length;
}

/* Independent: GEOS intersections in EPSG:9208 (planar; TM-3 is within
 * 0.01 % of the ellipsoid's areas near the central meridian). */
static GHashTable *
geos_conflicts (const char *path,
                const char *plan_layer,
                const char *current_layer,
                double     *total_ha)
{
  GDALDatasetH ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  OGRLayerH plan = GDALDatasetGetLayerByName (ds, plan_layer);
  OGRLayerH current = GDALDatasetGetLayerByName (ds, current_layer);
  GHashTable *sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  OGRFeatureH zone, parcel;

  *total_ha = 0;
  OGR_L_SetAttributeFilter (plan, "decision = '" ZONING_2024 "'");
  while ((zone = OGR_L_GetNextFeature (plan)) != NULL)
    {
      OGRGeometryH zg = OGR_F_GetGeometryRef (zone);
      const char *planned = OGR_F_GetFieldAsString (zone, OGR_F_GetFieldIndex (zone, "landuse"));

      OGR_L_SetSpatialFilter (current, zg);
      OGR_L_ResetReading (current);
      while ((parcel = OGR_L_GetNextFeature (current)) != NULL)
        {
          const char *code = OGR_F_GetFieldAsString (parcel, OGR_F_GetFieldIndex (parcel, "landuse"));
          OGRGeometryH cut;
          double ha;

          if (!g_str_equal (code, planned) && (cut = OGR_G_Intersection (OGR_F_GetGeometryRef (parcel), zg)) != NULL)
            {
              g_autofree char *key = g_strdup_printf ("%s\t%s", code, planned);
              Expected *e = g_hash_table_lookup (sums, key);

              ha = OGR_G_Area (cut) / 1e4;
              OGR_G_DestroyGeometry (cut);
              /* the check's rule: slivers thinner than 5 cm are rounding */
              if (ha * 1e4 >= 0.05 * boundary_length (OGR_F_GetGeometryRef (parcel)))
                {
                  if (e == NULL)
                    g_hash_table_insert (sums, g_strdup (key), (e = g_new0 (Expected, 1)));
                  e->area_ha += ha;
                  e->parcels++;
                  *total_ha += ha;
                }
            }
          OGR_F_Destroy (parcel);
        }
      OGR_F_Destroy (zone);
    }
  GDALClose (ds);
  return sums;
}

/* The plan's zones of one decision, as a layer of their own. */
static SabanVectorLayer *
plan_of_decision (void)
{
  SabanVectorLayer *zoning = demo_layer ("zoning");
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (zoning);
  int link = saban_planning_dossier_find_field (t);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint32 f = 0; f < saban_vector_layer_get_n_features (zoning); f++)
    if (g_str_equal (saban_attribute_table_get_string (t, link, f), ZONING_2024))
      g_array_append_val (rows, f);
  return saban_vector_layer_new_subset (zoning, (const guint32 *) rows->data, rows->len);
}

static void
check_against_geos (SabanLanduseConflict *conflict,
                    const char           *current_layer)
{
  double total_ha;
  g_autoptr(GHashTable) expected = geos_conflicts (g_getenv ("SABAN_DEMO_DATA"), "zoning", current_layer, &total_ha);
  const SabanLanduseConflictPair *pairs;
  guint n;

  pairs = saban_landuse_conflict_get_pairs (conflict, &n);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (n, ==, g_hash_table_size (expected));
  g_assert_cmpfloat (total_ha, >, 1);
  g_assert_cmpfloat (fabs (saban_landuse_conflict_get_area_ha (conflict) / total_ha - 1), <, 0.005);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *key = g_strdup_printf ("%s\t%s", pairs[i].current, pairs[i].planned);
      const Expected *e = g_hash_table_lookup (expected, key);

      g_assert_nonnull (e);
      g_assert_cmpuint (pairs[i].n_parcels, ==, e->parcels);
      /* each pair within 0.5 %, or 10 m² for the smallest */
      g_assert_cmpfloat (fabs (pairs[i].area_ha - e->area_ha), <=, MAX (0.005 * e->area_ha, 0.001));
      if (i > 0)
        g_assert_cmpfloat (pairs[i].area_ha, <=, pairs[i - 1].area_ha);
    }
}

static void
count_calls (double fraction, const char *what, gpointer user_data)
{
  (*(guint *) user_data)++;
}

/* Plan against current land use: the parcels of another use, the area of
 * each pair of codes, as GEOS finds them. */
static void
test_conflict_parcels (void)
{
  g_autoptr(SabanVectorLayer) plan = plan_of_decision ();
  g_autoptr(SabanLanduseConflict) conflict = saban_landuse_conflict_new (plan, NULL, demo_layer ("parcels"), NULL);
  g_autoptr(GError) error = NULL;
  GArray *parcels;
  guint calls = 0;

  g_assert_true (saban_landuse_conflict_compute (conflict, NULL, count_calls, &calls, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (calls, ==, saban_vector_layer_get_n_features (plan));
  check_against_geos (conflict, "parcels");
  parcels = saban_landuse_conflict_get_parcels (conflict);
  g_assert_cmpuint (parcels->len, >, 0);
  for (guint i = 1; i < parcels->len; i++)
    g_assert_cmpuint (g_array_index (parcels, guint32, i - 1), <, g_array_index (parcels, guint32, i));
  g_assert_cmpuint (saban_landuse_conflict_get_n_skipped (conflict), ==, 0);
  g_assert_cmpfloat (saban_landuse_conflict_get_checked_ha (conflict), >, saban_landuse_conflict_get_area_ha (conflict));
}

/* Two versions of the plan: 2012 against 2024, where the 2012 plan gave the
 * land now urban other uses (saban-datagen-planning.c). */
static void
test_conflict_versions (void)
{
  g_autoptr(SabanVectorLayer) plan = plan_of_decision ();
  g_autoptr(SabanLanduseConflict) conflict =
    saban_landuse_conflict_new (plan, "landuse", demo_layer ("zoning_2012"), "landuse");
  g_autoptr(GError) error = NULL;
  const SabanLanduseConflictPair *pairs;
  guint n;

  g_assert_true (saban_landuse_conflict_compute (conflict, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  check_against_geos (conflict, "zoning_2012");
  pairs = saban_landuse_conflict_get_pairs (conflict, &n);
  for (guint i = 0; i < n; i++)
    g_assert_true ((g_str_equal (pairs[i].current, "ONT") && g_str_equal (pairs[i].planned, "ODT")) ||
                   (g_str_equal (pairs[i].current, "HNK") && g_str_equal (pairs[i].planned, "TMD")) ||
                   (g_str_equal (pairs[i].current, "CLN") && g_str_equal (pairs[i].planned, "SKK")) ||
                   (g_str_equal (pairs[i].current, "LUC") && g_str_equal (pairs[i].planned, "ONT")));
}

/* The whole province: every zone against every parcel, timed (the figure
 * goes to the log; the bound is generous, the machine is shared). */
static void
test_conflict_province (void)
{
  g_autoptr(SabanLanduseConflict) conflict = saban_landuse_conflict_new (demo_layer ("zoning"), NULL,
                                                                         demo_layer ("parcels"), NULL);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  g_assert_true (saban_landuse_conflict_compute (conflict, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("the province: %u zones × %u parcels checked in %.2f s, %.1f ha of %.0f ha in conflict, %u parcels",
                  saban_vector_layer_get_n_features (demo_layer ("zoning")),
                  saban_vector_layer_get_n_features (demo_layer ("parcels")), seconds,
                  saban_landuse_conflict_get_area_ha (conflict), saban_landuse_conflict_get_checked_ha (conflict),
                  saban_landuse_conflict_get_parcels (conflict)->len);
  g_assert_cmpuint (saban_landuse_conflict_get_n_skipped (conflict), ==, 0);
  g_assert_cmpuint (saban_landuse_conflict_get_parcels (conflict)->len, >, 0);
  g_assert_cmpfloat (seconds, <, 120);
}

static void
cancel_now (double fraction, const char *what, gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_conflict_refusals (void)
{
  g_autoptr(SabanVectorLayer) plan = plan_of_decision ();
  g_autoptr(SabanLanduseConflict) no_field = saban_landuse_conflict_new (plan, "nothing", demo_layer ("parcels"), NULL);
  g_autoptr(SabanLanduseConflict) points = saban_landuse_conflict_new (plan, NULL, demo_layer ("schools"), NULL);
  g_autoptr(SabanLanduseConflict) cancelled = saban_landuse_conflict_new (plan, NULL, demo_layer ("parcels"), NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  guint n;

  g_assert_false (saban_landuse_conflict_compute (no_field, NULL, NULL, NULL, &error));
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (saban_landuse_conflict_compute (points, NULL, NULL, NULL, &error));
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (saban_landuse_conflict_compute (cancelled, cancellable, cancel_now, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  saban_landuse_conflict_get_pairs (cancelled, &n);
  g_assert_cmpuint (n, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();
  demo_layers = saban_ogr_read (g_getenv ("SABAN_DEMO_DATA"), NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_add_func ("/planning/dossier-round-trip", test_dossier_round_trip);
  g_test_add_func ("/planning/documents-open", test_documents_open);
  g_test_add_func ("/planning/refusals", test_refusals);
  g_test_add_func ("/planning/conflict-parcels", test_conflict_parcels);
  g_test_add_func ("/planning/conflict-versions", test_conflict_versions);
  g_test_add_func ("/planning/conflict-refusals", test_conflict_refusals);
  g_test_add_func ("/planning/conflict-province", test_conflict_province);
  status = g_test_run ();
  g_ptr_array_unref (demo_layers);
  return status;
}
