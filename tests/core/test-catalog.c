/* The data catalogue's quality checks on a GeoPackage made here with known
 * defects, each found where it was put; freshness against the promised
 * interval; the report written and read back. */
#include <gdal.h>
#include <glib/gstdio.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <string.h>

#include "saban-catalog-entry.h"
#include "saban-catalog-report.h"
#include "saban-ogr-reader.h"

#define X0 400000.0
#define Y0 2480000.0
#define SIDE 50.0
#define N_PARCELS 200   /* 20 × 10 */

static char *gpkg_dir;
static char *gpkg_path;
static GPtrArray *layers;

/* The defects, by parcel number (0–199; the fid is one more). */
static const guint empty_code[] = { 5, 17, 120 };
static const guint bad_code[] = { 33, 150 };
static const guint null_geometry[] = { 60 };
static const guint bowtie[] = { 61 };
static const guint far_away[] = { 90, 91, 92, 93 };
static const guint duplicate_of[][2] = { { 10, 110 }, { 70, 170 } };   /* the second takes the first's number */
static const guint bad_commune[] = { 44, 45 };

static gboolean
in (const guint *set,
    gsize        n,
    guint        value)
{
  for (gsize i = 0; i < n; i++)
    if (set[i] == value)
      return TRUE;
  return FALSE;
}

static OGRGeometryH
square (double x,
        double y,
        double side)
{
  OGRGeometryH ring = OGR_G_CreateGeometry (wkbLinearRing);
  OGRGeometryH polygon = OGR_G_CreateGeometry (wkbPolygon);

  OGR_G_AddPoint_2D (ring, x, y);
  OGR_G_AddPoint_2D (ring, x + side, y);
  OGR_G_AddPoint_2D (ring, x + side, y + side);
  OGR_G_AddPoint_2D (ring, x, y + side);
  OGR_G_AddPoint_2D (ring, x, y);
  OGR_G_AddGeometryDirectly (polygon, ring);
  return polygon;
}

static OGRLayerH
new_layer (GDALDatasetH        ds,
           const char         *name,
           OGRwkbGeometryType  type,
           const char * const *fields)
{
  OGRSpatialReferenceH srs = NULL;
  OGRLayerH layer;

  if (type != wkbNone)
    {
      srs = OSRNewSpatialReference (NULL);
      OSRImportFromEPSG (srs, 9208);
    }
  layer = GDALDatasetCreateLayer (ds, name, srs, type, NULL);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      OGRFieldDefnH fd = OGR_Fld_Create (fields[i], g_str_equal (fields[i], "last_update") ? OFTDate : OFTString);

      g_assert_cmpint (OGR_L_CreateField (layer, fd, TRUE), ==, OGRERR_NONE);
      OGR_Fld_Destroy (fd);
    }
  if (srs != NULL)
    OSRRelease (srs);
  return layer;
}

static void
put (OGRLayerH           layer,
     OGRGeometryH        geometry,
     const char * const *values)
{
  OGRFeatureH f = OGR_F_Create (OGR_L_GetLayerDefn (layer));

  for (guint i = 0; values[i] != NULL; i++)
    if (*values[i] != '\0')
      OGR_F_SetFieldString (f, (int) i, values[i]);
  if (geometry != NULL)
    OGR_F_SetGeometryDirectly (f, geometry);
  g_assert_cmpint (OGR_L_CreateFeature (layer, f), ==, OGRERR_NONE);
  OGR_F_Destroy (f);
}

static void
write_parcels (GDALDatasetH ds)
{
  OGRLayerH parcels = new_layer (ds, "thua_dat", wkbPolygon,
                                 (const char *[]) { "so_to", "so_thua", "ma_loai", "commune_code", NULL });

  for (guint i = 0; i < N_PARCELS; i++)
    {
      guint number = i;
      double x = X0 + (i % 20) * SIDE, y = Y0 + (i / 20) * SIDE;
      g_autofree char *sheet = NULL;
      g_autofree char *parcel = NULL;
      OGRGeometryH g;

      for (guint d = 0; d < G_N_ELEMENTS (duplicate_of); d++)
        if (duplicate_of[d][1] == i)
          number = duplicate_of[d][0];
      sheet = g_strdup_printf ("%u", 10 + number / 20);
      parcel = g_strdup_printf ("%u", number % 20 + 1);
      if (in (null_geometry, G_N_ELEMENTS (null_geometry), i))
        g = NULL;
      else if (in (bowtie, G_N_ELEMENTS (bowtie), i))
        {
          OGRGeometryH ring = OGR_G_CreateGeometry (wkbLinearRing);

          g = OGR_G_CreateGeometry (wkbPolygon);
          OGR_G_AddPoint_2D (ring, x, y);
          OGR_G_AddPoint_2D (ring, x + SIDE, y + SIDE);
          OGR_G_AddPoint_2D (ring, x + SIDE, y);
          OGR_G_AddPoint_2D (ring, x, y + SIDE);
          OGR_G_AddPoint_2D (ring, x, y);
          OGR_G_AddGeometryDirectly (g, ring);
        }
      else if (in (far_away, G_N_ELEMENTS (far_away), i))
        g = square (x + 60000, y, SIDE);
      else
        g = square (x, y, SIDE);
      put (parcels, g, (const char *[]) {
             sheet, parcel,
             in (empty_code, G_N_ELEMENTS (empty_code), i) ? "" : in (bad_code, G_N_ELEMENTS (bad_code), i) ? "XYZ"
                                                                                                          : "ONT",
             in (bad_commune, G_N_ELEMENTS (bad_commune), i) ? "99999" : i % 2 ? "02602" : "02605",
             NULL });
    }
}

static void
make_geopackage (void)
{
  GDALDatasetH ds = GDALCreate (GDALGetDriverByName ("GPKG"), gpkg_path, 0, 0, 0, GDT_Unknown, NULL);
  OGRLayerH province = new_layer (ds, "province", wkbPolygon, (const char *[]) { "name", NULL });
  OGRLayerH communes = new_layer (ds, "communes", wkbPolygon, (const char *[]) { "code", "name", NULL });
  OGRLayerH catalog = new_layer (ds, "saban_catalog", wkbNone,
                                 (const char *[]) { "layer", "title", "owner", "update_frequency", "last_update",
                                                    "lineage", "required_fields", "id_fields", "domains", NULL });

  put (province, square (X0 - 5000, Y0 - 5000, 20000), (const char *[]) { "Tỉnh thử", NULL });
  put (communes, square (X0 - 5000, Y0 - 5000, 10000), (const char *[]) { "02602", "Phường Lào Cai", NULL });
  put (communes, square (X0 + 5000, Y0 - 5000, 10000), (const char *[]) { "02605", "Phường Cam Đường", NULL });
  write_parcels (ds);
  put (catalog, NULL, (const char *[]) { "thua_dat", "Thửa đất (thử)", "Sở Nông nghiệp và Môi trường", "P1M",
                                         "2026/01/01", "Đo đạc địa chính 2025", "so_to,so_thua,ma_loai",
                                         "so_to,so_thua", "ma_loai=landuse;commune_code=commune", NULL });
  GDALClose (ds);
}

static SabanVectorLayer *
layer_named (const char *name)
{
  for (guint i = 0; i < layers->len; i++)
    if (g_str_equal (saban_vector_layer_get_name (g_ptr_array_index (layers, i)), name))
      return g_ptr_array_index (layers, i);
  g_assert_not_reached ();
}

/* The parcel numbers (fid − 1) of a finding's features. */
static GArray *
numbers_of (SabanVectorLayer          *layer,
            const SabanQualityFinding *finding)
{
  GArray *numbers = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < finding->features->len; i++)
    {
      guint n = saban_vector_layer_get_arrays (layer)->fids[g_array_index (finding->features, guint32, i)] - 1;

      g_array_append_val (numbers, n);
    }
  return numbers;
}

static void
assert_numbers (SabanVectorLayer          *layer,
                const SabanQualityFinding *finding,
                const guint               *expected,
                gsize                      n_expected)
{
  g_autoptr(GArray) numbers = NULL;

  g_assert_nonnull (finding);
  numbers = numbers_of (layer, finding);
  g_assert_cmpuint (numbers->len, ==, n_expected);
  for (guint i = 0; i < numbers->len; i++)
    g_assert_true (in (expected, n_expected, g_array_index (numbers, guint, i)));
}

static SabanCatalogEntry *
checked_parcels (GDateTime *now)
{
  SabanCatalogContext context = { layer_named ("province"), layer_named ("communes") };
  SabanCatalogEntry *entry = saban_catalog_entry_new_for_layer (layer_named ("thua_dat"), NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (saban_catalog_entry_check (entry, &context, now, NULL, &error));
  g_assert_no_error (error);
  return entry;
}

static void
test_seeded_defects (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 1, 20, 0, 0, 0);
  g_autoptr(SabanCatalogEntry) entry = checked_parcels (now);
  SabanVectorLayer *parcels = layer_named ("thua_dat");
  const SabanCatalogMetadata *m = saban_catalog_entry_get_metadata (entry);
  const SabanQualityFinding *f;
  const guint duplicates[] = { 10, 110, 70, 170 };

  g_assert_true (saban_catalog_entry_is_checked (entry));
  g_assert_cmpstr (saban_catalog_entry_get_title (entry), ==, "Thửa đất (thử)");
  g_assert_cmpstr (m->owner, ==, "Sở Nông nghiệp và Môi trường");
  g_assert_cmpstr (m->lineage, ==, "Đo đạc địa chính 2025");
  g_assert_cmpint (saban_catalog_entry_get_n_features (entry), ==, N_PARCELS);
  g_assert_nonnull (strstr (saban_catalog_entry_get_crs_name (entry), "VN-2000"));

  /* đủ: the three without a land-use code (the null geometry is not on the map) */
  f = saban_catalog_entry_find_check (entry, SABAN_QUALITY_CHECK_COMPLETENESS);
  assert_numbers (parcels, f, empty_code, G_N_ELEMENTS (empty_code));
  g_assert_cmpint (f->state, ==, SABAN_QUALITY_RED);   /* 3 of 199: over 1 % */

  /* đúng: one empty geometry (not drawn: counted, not selectable), one bow-tie */
  f = saban_catalog_entry_find_check (entry, SABAN_QUALITY_CHECK_GEOMETRY);
  assert_numbers (parcels, f, bowtie, G_N_ELEMENTS (bowtie));
  g_assert_cmpuint (f->n_not_drawn, ==, 1);
  g_assert_cmpuint (f->n_checked, ==, N_PARCELS);
  g_assert_cmpint (f->state, ==, SABAN_QUALITY_AMBER);

  f = saban_catalog_entry_find_check (entry, SABAN_QUALITY_CHECK_EXTENT);
  assert_numbers (parcels, f, far_away, G_N_ELEMENTS (far_away));
  g_assert_cmpint (f->state, ==, SABAN_QUALITY_RED);

  /* sạch: both holders of each shared number */
  f = saban_catalog_entry_find_check (entry, SABAN_QUALITY_CHECK_DUPLICATE_IDS);
  assert_numbers (parcels, f, duplicates, G_N_ELEMENTS (duplicates));
  g_assert_cmpstr (f->field, ==, "so_to, so_thua");

  /* two domains declared: land use, then communes */
  f = saban_catalog_entry_get_finding (entry, 4);
  g_assert_cmpint (f->check, ==, SABAN_QUALITY_CHECK_DOMAIN);
  g_assert_cmpstr (f->field, ==, "ma_loai");
  assert_numbers (parcels, f, bad_code, G_N_ELEMENTS (bad_code));
  f = saban_catalog_entry_get_finding (entry, 5);
  g_assert_cmpint (f->check, ==, SABAN_QUALITY_CHECK_DOMAIN);
  g_assert_cmpstr (f->field, ==, "commune_code");
  assert_numbers (parcels, f, bad_commune, G_N_ELEMENTS (bad_commune));

  /* sống: updated 1 January, monthly: green on the 20th */
  f = saban_catalog_entry_find_check (entry, SABAN_QUALITY_CHECK_FRESHNESS);
  g_assert_cmpint (f->state, ==, SABAN_QUALITY_GREEN);
  g_assert_cmpint (saban_catalog_entry_get_state (entry), ==, SABAN_QUALITY_RED);
}

static void
test_freshness (void)
{
  g_autoptr(GDateTime) later = g_date_time_new_utc (2026, 2, 15, 0, 0, 0);
  g_autoptr(GDateTime) much_later = g_date_time_new_utc (2026, 3, 20, 0, 0, 0);
  g_autoptr(SabanCatalogEntry) amber = checked_parcels (later);
  g_autoptr(SabanCatalogEntry) red = checked_parcels (much_later);
  g_autofree char *monthly = saban_catalog_describe_frequency ("P1M");

  g_assert_cmpint (saban_catalog_entry_find_check (amber, SABAN_QUALITY_CHECK_FRESHNESS)->state, ==, SABAN_QUALITY_AMBER);
  g_assert_cmpint (saban_catalog_entry_find_check (red, SABAN_QUALITY_CHECK_FRESHNESS)->state, ==, SABAN_QUALITY_RED);
  g_assert_cmpfloat (saban_catalog_frequency_days ("P1M"), ==, 30);
  g_assert_cmpfloat (saban_catalog_frequency_days ("P2W"), ==, 14);
  g_assert_cmpfloat (saban_catalog_frequency_days ("PT12H"), ==, 0.5);
  g_assert_cmpfloat (saban_catalog_frequency_days ("P1Y2M"), ==, 0);   /* one unit only */
  g_assert_cmpfloat (saban_catalog_frequency_days ("monthly"), ==, 0);
  g_assert_cmpfloat (saban_catalog_frequency_days (NULL), ==, 0);
  g_assert_cmpstr (monthly, ==, "every month");
}

/* A layer nobody described: the checks that need no word from its keeper,
 * on the defaults (the province itself has no extent check). */
static void
test_defaults (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  SabanCatalogContext context = { layer_named ("province"), layer_named ("communes") };
  g_autoptr(SabanCatalogEntry) communes = saban_catalog_entry_new_for_layer (layer_named ("communes"), "Xã, phường");
  g_autoptr(SabanCatalogEntry) province = saban_catalog_entry_new_for_layer (layer_named ("province"), NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (saban_catalog_entry_check (communes, &context, now, NULL, &error));
  g_assert_true (saban_catalog_entry_check (province, &context, now, NULL, &error));
  g_assert_cmpstr (saban_catalog_entry_get_title (communes), ==, "Xã, phường");
  g_assert_cmpint (saban_catalog_entry_find_check (communes, SABAN_QUALITY_CHECK_DUPLICATE_IDS)->state, ==,
                   SABAN_QUALITY_GREEN);
  g_assert_null (saban_catalog_entry_find_check (province, SABAN_QUALITY_CHECK_EXTENT));
  /* the GeoPackage's own last change, no frequency promised */
  g_assert_cmpint (saban_catalog_entry_find_check (communes, SABAN_QUALITY_CHECK_FRESHNESS)->state, ==,
                   SABAN_QUALITY_UNKNOWN);
  g_assert_cmpint (saban_catalog_entry_get_state (communes), ==, SABAN_QUALITY_GREEN);
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

static void
test_report (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 2, 15, 0, 0, 0);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *csv = g_build_filename (gpkg_dir, "catalogue.csv", NULL);
  g_autofree char *xlsx = g_build_filename (gpkg_dir, "catalogue.xlsx", NULL);
  g_autofree char *pdf = g_build_filename (gpkg_dir, "catalogue.pdf", NULL);
  g_autofree char *csv_text = NULL;
  g_autofree char *xlsx_text = NULL;
  g_autofree char *pdf_text = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (entries, checked_parcels (now));
  g_ptr_array_add (entries, saban_catalog_entry_new_for_collection ("alerts", "Cảnh báo CAP", "Máy chủ IOC"));
  g_assert_true (saban_catalog_report_write (entries, SABAN_CATALOG_REPORT_CSV, now, csv, &error));
  g_assert_true (saban_catalog_report_write (entries, SABAN_CATALOG_REPORT_XLSX, now, xlsx, &error));
  g_assert_true (saban_catalog_report_write (entries, SABAN_CATALOG_REPORT_PDF, now, pdf, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (csv, &csv_text, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv_text, "\xEF\xBB\xBF"));
  g_assert_nonnull (strstr (csv_text, "Thửa đất (thử)"));
  g_assert_nonnull (strstr (csv_text, "Sở Nông nghiệp và Môi trường"));
  g_assert_nonnull (strstr (csv_text, "4 features lie wholly outside the province"));
  g_assert_nonnull (strstr (csv_text, "Cảnh báo CAP"));
  xlsx_text = run ((const char *[]) { "ogrinfo", "-ro", "-al", "-q", xlsx, NULL });
  g_assert_nonnull (strstr (xlsx_text, "Thửa đất (thử)"));
  /* both domains' findings in their column */
  g_assert_nonnull (strstr (xlsx_text, "2 values of commune_code are not commune codes"));
  g_assert_nonnull (strstr (xlsx_text, "Features (Integer) = 200"));
  pdf_text = run ((const char *[]) { "pdftotext", pdf, "-", NULL });
  g_assert_nonnull (strstr (pdf_text, "Data catalogue"));
  g_assert_nonnull (strstr (pdf_text, "Thửa đất (thử)"));
  g_assert_nonnull (strstr (pdf_text, "Poor"));
  g_unlink (csv);
  g_unlink (xlsx);
  g_unlink (pdf);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();
  gpkg_dir = g_dir_make_tmp ("saban-catalog-XXXXXX", NULL);
  gpkg_path = g_build_filename (gpkg_dir, "du-lieu.gpkg", NULL);
  make_geopackage ();
  layers = saban_ogr_read (gpkg_path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_add_func ("/catalog/seeded-defects", test_seeded_defects);
  g_test_add_func ("/catalog/freshness", test_freshness);
  g_test_add_func ("/catalog/defaults", test_defaults);
  g_test_add_func ("/catalog/report", test_report);
  status = g_test_run ();
  g_ptr_array_unref (layers);
  g_unlink (gpkg_path);
  g_rmdir (gpkg_dir);
  g_free (gpkg_path);
  g_free (gpkg_dir);
  return status;
}
