/* Any province's parcels: the land-use field found by its values, whatever
 * its name, and the impact analysis reading it. */
#include <gdal.h>
#include <glib/gstdio.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <string.h>

#include "saban-error.h"
#include "saban-impact.h"
#include "saban-landuse.h"
#include "saban-measure.h"
#include "saban-ogr-reader.h"

/* A 10 × 10 grid of 100 m parcels in EPSG:9208 near Lào Cai ward, whose
 * land use is in `ma_loai` (codes in mixed case, a few blanks, one unknown
 * code) beside `chu_su_dung` (owners' names) and `so_to` (sheet numbers as
 * text): the shape of a cadastral export from another province. */
#define ORIGIN_X 415000.0
#define ORIGIN_Y 2488000.0
#define SIDE 100.0

static const char * const uses[] = { "ONT", "lua", "CLN", "ONT", "RSX", "ont", "NTS", "", "XYZ", "DGT" };

static char *
write_parcels (const char *dir)
{
  char *path = g_build_filename (dir, "thua-dat.gpkg", NULL);
  GDALDriverH driver = GDALGetDriverByName ("GPKG");
  GDALDatasetH ds = GDALCreate (driver, path, 0, 0, 0, GDT_Unknown, NULL);
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);
  OGRLayerH layer;
  const char *names[] = { "chu_su_dung", "so_to", "ma_loai" };

  g_assert_nonnull (ds);
  OSRImportFromEPSG (srs, 9208);
  layer = GDALDatasetCreateLayer (ds, "thua_dat", srs, wkbPolygon, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      OGRFieldDefnH fd = OGR_Fld_Create (names[i], OFTString);

      g_assert_cmpint (OGR_L_CreateField (layer, fd, TRUE), ==, OGRERR_NONE);
      OGR_Fld_Destroy (fd);
    }
  for (int row = 0; row < 10; row++)
    for (int col = 0; col < 10; col++)
      {
        OGRFeatureH f = OGR_F_Create (OGR_L_GetLayerDefn (layer));
        OGRGeometryH ring = OGR_G_CreateGeometry (wkbLinearRing);
        OGRGeometryH polygon = OGR_G_CreateGeometry (wkbPolygon);
        double x = ORIGIN_X + col * SIDE, y = ORIGIN_Y + row * SIDE;
        g_autofree char *owner = g_strdup_printf ("Nguyễn Văn %c", 'A' + col);
        g_autofree char *sheet = g_strdup_printf ("%d", 10 + row);

        OGR_G_AddPoint_2D (ring, x, y);
        OGR_G_AddPoint_2D (ring, x + SIDE, y);
        OGR_G_AddPoint_2D (ring, x + SIDE, y + SIDE);
        OGR_G_AddPoint_2D (ring, x, y + SIDE);
        OGR_G_AddPoint_2D (ring, x, y);
        OGR_G_AddGeometryDirectly (polygon, ring);
        OGR_F_SetGeometryDirectly (f, polygon);
        OGR_F_SetFieldString (f, 0, owner);
        OGR_F_SetFieldString (f, 1, sheet);
        OGR_F_SetFieldString (f, 2, uses[col]);
        g_assert_cmpint (OGR_L_CreateFeature (layer, f), ==, OGRERR_NONE);
        OGR_F_Destroy (f);
      }
  OSRRelease (srs);
  GDALClose (ds);
  return path;
}

static void
test_domain (void)
{
  guint n;

  g_assert_true (saban_landuse_is_code ("ONT"));
  g_assert_true (saban_landuse_is_code (" cln "));
  g_assert_true (saban_landuse_is_code ("TSC"));      /* a code without a colour of its own */
  g_assert_false (saban_landuse_is_code ("XYZ"));
  g_assert_false (saban_landuse_is_code (""));
  g_assert_false (saban_landuse_is_code (NULL));
  g_assert_cmpstr (saban_landuse_describe ("ONT"), ==, "Đất ở tại nông thôn");
  g_assert_null (saban_landuse_describe ("XYZ"));
  g_assert_cmpstr (saban_landuse_get_codes (&n)[0], ==, "LUC");
  g_assert_cmpuint (n, >, 50);
}

static void
test_field_found (void)
{
  g_autofree char *dir = g_dir_make_tmp ("saban-landuse-XXXXXX", NULL);
  g_autofree char *path = write_parcels (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) layers = saban_ogr_read (path, NULL, NULL, NULL, NULL, &error);
  const SabanAttributeTable *t;
  double share;
  int field;

  g_assert_no_error (error);
  t = saban_vector_layer_get_attributes (g_ptr_array_index (layers, 0));
  field = saban_landuse_find_field (t, &share);
  g_assert_cmpint (field, >=, 0);
  g_assert_cmpstr (saban_attribute_table_get_field_name (t, field), ==, "ma_loai");
  /* 8 of the 9 filled values are codes (case ignored), the blank not counted */
  g_assert_cmpfloat (fabs (share - 8.0 / 9.0), <, 1e-9);

  {
    g_autoptr(SabanAttributeTable) none = saban_attribute_table_new ();
    guint owner = saban_attribute_table_add_field (none, "chu_su_dung", SABAN_FIELD_STRING);

    saban_attribute_table_append_string (none, owner, "ONT", 3);
    saban_attribute_table_append_string (none, owner, "Lò Văn Sáng", strlen ("Lò Văn Sáng"));
    saban_attribute_table_append_string (none, owner, "Giàng A Pao", strlen ("Giàng A Pao"));
    /* one value in three is a code: not the land-use field */
    g_assert_cmpint (saban_landuse_find_field (none, &share), ==, -1);
  }
  g_unlink (path);
  g_rmdir (dir);
}

/* The impact analysis reads `ma_loai` with nothing said, or the field it is
 * told; a field that is not there is a clear error. */
static void
test_impact_any_field (void)
{
  g_autofree char *dir = g_dir_make_tmp ("saban-landuse-XXXXXX", NULL);
  g_autofree char *path = write_parcels (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) layers = saban_ogr_read (path, NULL, NULL, NULL, NULL, &error);
  g_autoptr(SabanImpactArea) area = NULL;
  g_autoptr(SabanImpact) impact = NULL;
  const SabanImpactLanduse *land;
  double min_x, min_y, max_x, max_y, lon0, lat0, lon1, lat1;
  g_autofree char *wkt = NULL;
  guint n;
  double ont_ha = 0;

  g_assert_no_error (error);
  /* an area around the whole grid */
  g_assert_true (saban_vector_layer_get_extent (g_ptr_array_index (layers, 0), &min_x, &min_y, &max_x, &max_y));
  saban_mercator_to_lonlat (min_x - 50, min_y - 50, &lon0, &lat0);
  saban_mercator_to_lonlat (max_x + 50, max_y + 50, &lon1, &lat1);
  wkt = g_strdup_printf ("POLYGON((%.8f %.8f,%.8f %.8f,%.8f %.8f,%.8f %.8f,%.8f %.8f))",
                         lon0, lat0, lon1, lat0, lon1, lat1, lon0, lat1, lon0, lat0);
  area = saban_impact_area_new_from_wkt (wkt, &error);
  g_assert_no_error (error);
  impact = saban_impact_new (area, layers);
  saban_impact_set_layer_name (impact, SABAN_IMPACT_PARCELS, "thua_dat");
  g_assert_true (saban_impact_compute (impact, NULL, &error));
  g_assert_no_error (error);
  land = saban_impact_get_landuse (impact, &n);
  for (guint i = 0; i < n; i++)
    if (g_str_equal (land[i].code, "ONT"))
      ont_ha = land[i].area_ha;
  /* three columns of ten 1 ha parcels, "ont" among them (TM-3 is within
   * 0.1 % of the ellipsoid here) */
  g_assert_cmpfloat (fabs (ont_ha - 30.0), <, 0.05);
  g_assert_cmpuint (saban_impact_get_n_parcels (impact), ==, 100);

  saban_impact_set_landuse_field (impact, "so_to");
  g_assert_true (saban_impact_compute (impact, NULL, &error));
  land = saban_impact_get_landuse (impact, &n);
  g_assert_cmpuint (n, ==, 10);     /* ten sheets */
  saban_impact_set_landuse_field (impact, "landuse");
  g_assert_false (saban_impact_compute (impact, NULL, &error));
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_INVALID);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();
  g_test_add_func ("/landuse/domain", test_domain);
  g_test_add_func ("/landuse/field-found", test_field_found);
  g_test_add_func ("/landuse/impact-any-field", test_impact_any_field);
  return g_test_run ();
}
