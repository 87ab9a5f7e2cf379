/* test-datagen.c — saban-datagen writes the dataset the app relies on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#define N_PARCELS 2000

static const char *datagen;
static char *tmpdir;
static char *path_a;  /* seed 7 */
static char *path_b;  /* seed 7 again */
static char *path_c;  /* seed 8 */

static const char *const landuse_codes[] = {
  "LUC", "LUK", "HNK", "CLN", "RSX", "RPH", "RDD", "NTS",
  "ONT", "ODT", "DGT", "SON", "SKK", "TMD", "MNC", NULL
};

/* Runs saban-datagen; returns its exit status, with its stderr in @err_out. */
static int
run_datagen (const char *const *args, char **err_out)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) datagen);
  for (const char *const *a = args; *a; a++)
    g_ptr_array_add (argv, (char *) *a);
  g_ptr_array_add (argv, NULL);

  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;
  gboolean spawned = g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                   &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (spawned);
  if (err_out)
    *err_out = g_steal_pointer (&err);
  g_autoptr (GError) exit_error = NULL;
  if (g_spawn_check_wait_status (status, &exit_error))
    return 0;
  if (exit_error->domain == G_SPAWN_EXIT_ERROR)
    return exit_error->code;
  return -1;  /* killed by a signal */
}

/* The three datasets every test reads, made once. */
static void
ensure_generated (void)
{
  static gboolean done = FALSE;
  if (done)
    return;
  done = TRUE;

  const struct
  {
    const char *path;
    const char *seed;
  } runs[] = { { path_a, "7" }, { path_b, "7" }, { path_c, "8" } };
  g_autofree char *n = g_strdup_printf ("%d", N_PARCELS);
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      const char *args[] = { "--out", runs[i].path, "--parcels", n, "--seed", runs[i].seed, NULL };
      g_autofree char *err = NULL;
      int status = run_datagen (args, &err);
      if (status != 0)
        g_printerr ("%s", err);
      g_assert_cmpint (status, ==, 0);
      g_assert_true (g_file_test (runs[i].path, G_FILE_TEST_IS_REGULAR));
    }
}

static GDALDatasetH
open_a (void)
{
  ensure_generated ();
  GDALDatasetH ds = GDALOpenEx (path_a, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  g_assert_nonnull (ds);
  return ds;
}

static OGRLayerH
layer (GDALDatasetH ds, const char *name)
{
  OGRLayerH l = GDALDatasetGetLayerByName (ds, name);
  if (l == NULL)
    g_error ("layer %s is missing", name);
  return l;
}

static gboolean
in_set (const char *const *set, const char *v)
{
  return v != NULL && g_strv_contains (set, v);
}

static void
test_deterministic (void)
{
  ensure_generated ();
  g_autofree char *a = NULL, *b = NULL, *c = NULL;
  gsize la, lb, lc;
  g_assert_true (g_file_get_contents (path_a, &a, &la, NULL));
  g_assert_true (g_file_get_contents (path_b, &b, &lb, NULL));
  g_assert_true (g_file_get_contents (path_c, &c, &lc, NULL));
  g_assert_cmpuint (la, ==, lb);
  g_assert_true (memcmp (a, b, la) == 0);
  g_assert_true (la != lc || memcmp (a, c, la) != 0);
}

static const struct
{
  const char        *table;
  OGRwkbGeometryType type;
  const char        *fields[6];
  OGRFieldType       types[6];
} schema[] = {
  { "province", wkbMultiPolygon, { "code", "name", "note" }, { OFTString, OFTString, OFTString } },
  { "communes", wkbMultiPolygon, { "code", "name", "kind", "population", "area_km2" },
    { OFTString, OFTString, OFTString, OFTInteger, OFTReal } },
  { "rivers", wkbLineString, { "name" }, { OFTString } },
  { "roads", wkbLineString, { "name", "class" }, { OFTString, OFTString } },
  { "zoning", wkbMultiPolygon, { "landuse", "name", "decision" }, { OFTString, OFTString, OFTString } },
  { "zoning_2012", wkbMultiPolygon, { "landuse", "name", "decision" }, { OFTString, OFTString, OFTString } },
  { "parcels", wkbPolygon, { "sheet", "parcel", "landuse", "area_m2", "commune_code" },
    { OFTInteger, OFTInteger, OFTString, OFTReal, OFTString } },
  { "health_facilities", wkbPoint, { "name", "kind", "beds", "commune_code" },
    { OFTString, OFTString, OFTInteger, OFTString } },
  { "schools", wkbPoint, { "name", "level", "commune_code" }, { OFTString, OFTString, OFTString } },
  { "police_stations", wkbPoint, { "name", "commune_code" }, { OFTString, OFTString } },
  { "fire_stations", wkbPoint, { "name", "commune_code" }, { OFTString, OFTString } },
  { "shelters", wkbPoint, { "name", "capacity", "commune_code" }, { OFTString, OFTInteger, OFTString } },
  { "sensor_sites", wkbPoint, { "code", "name", "kind", "commune_code" },
    { OFTString, OFTString, OFTString, OFTString } },
};

static void
test_schema (void)
{
  GDALDatasetH ds = open_a ();
  for (guint i = 0; i < G_N_ELEMENTS (schema); i++)
    {
      OGRLayerH l = layer (ds, schema[i].table);
      g_assert_cmpint (wkbFlatten (OGR_L_GetGeomType (l)), ==, schema[i].type);
      g_assert_cmpint (OGR_L_GetFeatureCount (l, TRUE), >, 0);

      OGRSpatialReferenceH srs = OGR_L_GetSpatialRef (l);
      g_assert_nonnull (srs);
      g_assert_cmpstr (OSRGetAuthorityName (srs, NULL), ==, "EPSG");
      g_assert_cmpstr (OSRGetAuthorityCode (srs, NULL), ==, "9208");

      OGRFeatureDefnH defn = OGR_L_GetLayerDefn (l);
      for (guint f = 0; f < G_N_ELEMENTS (schema[i].fields) && schema[i].fields[f]; f++)
        {
          int idx = OGR_FD_GetFieldIndex (defn, schema[i].fields[f]);
          if (idx < 0)
            g_error ("%s.%s is missing", schema[i].table, schema[i].fields[f]);
          OGRFieldType t = OGR_Fld_GetType (OGR_FD_GetFieldDefn (defn, idx));
          if (schema[i].types[f] == OFTInteger)
            g_assert_true (t == OFTInteger || t == OFTInteger64);
          else
            g_assert_cmpint (t, ==, schema[i].types[f]);
        }
    }

  /* Every label is UTF-8 NFC, or search and sorting go wrong. */
  for (guint i = 0; i < G_N_ELEMENTS (schema); i++)
    {
      if (g_str_equal (schema[i].table, "parcels"))
        continue;
      OGRLayerH l = layer (ds, schema[i].table);
      OGRFeatureH f;
      OGR_L_ResetReading (l);
      while ((f = OGR_L_GetNextFeature (l)) != NULL)
        {
          for (int k = 0; k < OGR_F_GetFieldCount (f); k++)
            {
              if (OGR_Fld_GetType (OGR_F_GetFieldDefnRef (f, k)) != OFTString)
                continue;
              const char *v = OGR_F_GetFieldAsString (f, k);
              g_assert_true (g_utf8_validate (v, -1, NULL));
              g_autofree char *nfc = g_utf8_normalize (v, -1, G_NORMALIZE_NFC);
              g_assert_cmpstr (nfc, ==, v);
            }
          OGR_F_Destroy (f);
        }
    }

  /* The data must say they are synthetic, wherever a user might look. */
  OGRLayerH prov = layer (ds, "province");
  OGR_L_ResetReading (prov);
  OGRFeatureH f = OGR_L_GetNextFeature (prov);
  g_assert_cmpstr (OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "code")), ==, "15");
  g_assert_cmpstr (OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "name")), ==, "Lào Cai");
  g_assert_cmpstr (OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "note")), ==,
                   "Dữ liệu minh họa tổng hợp — không phải số liệu chính thức");
  OGR_F_Destroy (f);

  OGRLayerH contents = GDALDatasetExecuteSQL (ds, "SELECT description FROM gpkg_contents", NULL, NULL);
  g_assert_nonnull (contents);
  guint n = 0;
  while ((f = OGR_L_GetNextFeature (contents)) != NULL)
    {
      g_assert_cmpstr (OGR_F_GetFieldAsString (f, 0), ==, "Dữ liệu minh họa tổng hợp — không phải số liệu chính thức");
      OGR_F_Destroy (f);
      n++;
    }
  /* the vector tables, the planning dossiers' two tables, the catalogue's
   * and the base map's tiles */
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (schema) + 4);
  GDALDatasetReleaseResultSet (ds, contents);
  GDALClose (ds);
}

/* The offline base map: RGB tiles in Web Mercator, with overviews, covering
 * the province, coloured (not blank). */
static void
test_basemap (void)
{
  g_autofree char *name = (ensure_generated (), g_strdup_printf ("GPKG:%s:basemap", path_a));
  GDALDatasetH ds = GDALOpenEx (name, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
  guint8 px[3 * 64 * 64];
  guint colours = 0;

  g_assert_nonnull (ds);
  g_assert_cmpint (GDALGetRasterCount (ds), >=, 3);
  g_assert_cmpint (GDALGetRasterXSize (ds), >, 300);
  g_assert_cmpint (GDALGetOverviewCount (GDALGetRasterBand (ds, 1)), >, 0);
  g_assert_true (strstr (GDALGetProjectionRef (ds), "Pseudo-Mercator") != NULL);
  g_assert_cmpint (GDALDatasetRasterIO (ds, GF_Read, 0, 0, GDALGetRasterXSize (ds), GDALGetRasterYSize (ds), px,
                                        64, 64, GDT_Byte, 3, NULL, 0, 0, 0), ==, CE_None);
  for (guint i = 1; i < 64 * 64; i++)
    colours += px[i] != px[i - 1];
  g_assert_cmpuint (colours, >, 1000);
  GDALClose (ds);
}

static void
test_communes (void)
{
  GDALDatasetH ds = open_a ();
  OGRLayerH l = layer (ds, "communes");
  g_assert_cmpint (OGR_L_GetFeatureCount (l, TRUE), ==, 99);

  g_autoptr (GHashTable) codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint wards = 0;
  double total_area = 0;
  OGRFeatureH f;
  OGR_L_ResetReading (l);
  while ((f = OGR_L_GetNextFeature (l)) != NULL)
    {
      const char *code = OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "code"));
      const char *name = OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "name"));
      const char *kind = OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "kind"));
      gint64 pop = OGR_F_GetFieldAsInteger64 (f, OGR_F_GetFieldIndex (f, "population"));
      double area = OGR_F_GetFieldAsDouble (f, OGR_F_GetFieldIndex (f, "area_km2"));

      g_assert_cmpuint (strlen (code), ==, 5);
      for (const char *p = code; *p; p++)
        g_assert_true (g_ascii_isdigit (*p));
      g_assert_false (g_hash_table_contains (codes, code));
      g_hash_table_add (codes, g_strdup (code));

      g_autofree char *nfc = g_utf8_normalize (name, -1, G_NORMALIZE_NFC);
      g_assert_cmpstr (nfc, ==, name);
      g_hash_table_add (names, g_strdup (name));

      if (g_str_equal (kind, "phường"))
        {
          wards++;
          g_assert_true (g_str_has_prefix (name, "Phường "));
          g_assert_cmpint (pop, >=, 20000);
          g_assert_cmpint (pop, <=, 80000);
        }
      else
        {
          g_assert_cmpstr (kind, ==, "xã");
          g_assert_true (g_str_has_prefix (name, "Xã "));
          g_assert_cmpint (pop, >=, 3000);
          g_assert_cmpint (pop, <=, 20000);
        }

      OGRGeometryH geom = OGR_F_GetGeometryRef (f);
      g_assert_true (OGR_G_IsValid (geom));
      g_assert_cmpfloat_with_epsilon (area, OGR_G_Area (geom) / 1e6, 0.01);
      total_area += area;
      OGR_F_Destroy (f);
    }
  g_assert_cmpuint (wards, >=, 8);
  g_assert_cmpuint (wards, <=, 12);
  /* The new province is about 13 000 km²; a drawn outline can miss by a few %. */
  g_assert_cmpfloat (total_area, >, 11000);
  g_assert_cmpfloat (total_area, <, 15500);

  const char *expected[] = {
    "Phường Lào Cai", "Phường Cam Đường", "Phường Sa Pa", "Phường Yên Bái", "Phường Nghĩa Lộ",
    "Xã Bát Xát", "Xã Mường Khương", "Xã Si Ma Cai", "Xã Bắc Hà", "Xã Y Tý", "Xã Mù Cang Chải",
    "Xã Trạm Tấu", "Xã Lục Yên", "Xã Tằng Loỏng", "Xã Thác Bà", "Xã Nghĩa Đô",
  };
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (!g_hash_table_contains (names, expected[i]))
      g_error ("commune %s is missing", expected[i]);
  GDALClose (ds);
}

static OGRGeometryH
province_geometry (GDALDatasetH ds)
{
  OGRLayerH prov = layer (ds, "province");
  OGR_L_ResetReading (prov);
  OGRFeatureH f = OGR_L_GetNextFeature (prov);
  g_assert_nonnull (f);
  OGRGeometryH g = OGR_G_Clone (OGR_F_GetGeometryRef (f));
  OGR_F_Destroy (f);
  g_assert_true (OGR_G_IsValid (g));
  return g;
}

static GHashTable *
commune_codes (GDALDatasetH ds)
{
  GHashTable *codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  OGRLayerH l = layer (ds, "communes");
  OGR_L_ResetReading (l);
  OGRFeatureH f;
  while ((f = OGR_L_GetNextFeature (l)) != NULL)
    {
      g_hash_table_add (codes, g_strdup (OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "code"))));
      OGR_F_Destroy (f);
    }
  return codes;
}

static void
test_parcels (void)
{
  GDALDatasetH ds = open_a ();
  OGRGeometryH province = province_geometry (ds);
  g_autoptr (GHashTable) codes = commune_codes (ds);
  g_autoptr (GHashTable) numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  OGRLayerH l = layer (ds, "parcels");
  g_assert_cmpint (OGR_L_GetFeatureCount (l, TRUE), ==, N_PARCELS);

  OGRFeatureH f;
  OGR_L_ResetReading (l);
  while ((f = OGR_L_GetNextFeature (l)) != NULL)
    {
      OGRGeometryH geom = OGR_F_GetGeometryRef (f);
      OGRGeometryH centroid = OGR_G_CreateGeometry (wkbPoint);
      g_assert_cmpint (OGR_G_Centroid (geom, centroid), ==, OGRERR_NONE);
      g_assert_true (OGR_G_Within (centroid, province));
      OGR_G_DestroyGeometry (centroid);

      double area = OGR_F_GetFieldAsDouble (f, OGR_F_GetFieldIndex (f, "area_m2"));
      g_assert_cmpfloat_with_epsilon (area, OGR_G_Area (geom), 0.1);
      g_assert_cmpfloat (area, >=, 50);
      g_assert_cmpfloat (area, <=, 3600);

      const char *use = OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "landuse"));
      g_assert_true (in_set (landuse_codes, use));
      const char *code = OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "commune_code"));
      g_assert_true (g_hash_table_contains (codes, code));

      /* Tờ and thửa identify a parcel within its commune. */
      int sheet = OGR_F_GetFieldAsInteger (f, OGR_F_GetFieldIndex (f, "sheet"));
      int parcel = OGR_F_GetFieldAsInteger (f, OGR_F_GetFieldIndex (f, "parcel"));
      g_assert_cmpint (sheet, >, 0);
      g_assert_cmpint (parcel, >, 0);
      char *key = g_strdup_printf ("%s/%d/%d", code, sheet, parcel);
      g_assert_false (g_hash_table_contains (numbers, key));
      g_hash_table_add (numbers, key);
      OGR_F_Destroy (f);
    }
  OGR_G_DestroyGeometry (province);
  GDALClose (ds);
}

static void
test_zoning (void)
{
  GDALDatasetH ds = open_a ();
  OGRGeometryH province = province_geometry (ds);
  OGRLayerH l = layer (ds, "zoning");
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  double total = 0;
  OGRFeatureH f;
  OGR_L_ResetReading (l);
  while ((f = OGR_L_GetNextFeature (l)) != NULL)
    {
      const char *use = OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "landuse"));
      g_assert_true (in_set (landuse_codes, use));
      for (const char *const *c = landuse_codes; *c; c++)
        if (g_str_equal (*c, use))
          g_hash_table_add (seen, (gpointer) *c);
      g_assert_cmpstr (OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "name")), !=, "");
      total += OGR_G_Area (OGR_F_GetGeometryRef (f));
      OGR_F_Destroy (f);
    }
  /* Zoning covers the province, without gaps or double cover. */
  g_assert_cmpfloat (ABS (total / OGR_G_Area (province) - 1.0), <, 0.001);
  g_assert_true (g_hash_table_contains (seen, "RDD"));
  g_assert_true (g_hash_table_contains (seen, "MNC"));
  g_assert_true (g_hash_table_contains (seen, "ODT"));
  g_assert_true (g_hash_table_contains (seen, "LUC"));
  g_assert_true (g_hash_table_contains (seen, "RSX"));
  OGR_G_DestroyGeometry (province);
  GDALClose (ds);
}

static void
test_lines_and_points (void)
{
  GDALDatasetH ds = open_a ();
  g_autoptr (GHashTable) codes = commune_codes (ds);
  OGRFeatureH f;

  gboolean hong = FALSE, chay = FALSE, ct05 = FALSE;
  OGRLayerH rivers = layer (ds, "rivers");
  OGR_L_ResetReading (rivers);
  while ((f = OGR_L_GetNextFeature (rivers)) != NULL)
    {
      const char *name = OGR_F_GetFieldAsString (f, 0);
      hong |= g_str_equal (name, "Sông Hồng");
      chay |= g_str_equal (name, "Sông Chảy");
      OGR_F_Destroy (f);
    }
  g_assert_true (hong && chay);

  const char *const classes[] = { "expressway", "national", "provincial", NULL };
  OGRLayerH roads = layer (ds, "roads");
  OGR_L_ResetReading (roads);
  while ((f = OGR_L_GetNextFeature (roads)) != NULL)
    {
      g_assert_true (in_set (classes, OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "class"))));
      ct05 |= strstr (OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "name")), "CT.05") != NULL;
      OGR_F_Destroy (f);
    }
  g_assert_true (ct05);

  const char *point_layers[] = { "health_facilities", "schools", "police_stations", "fire_stations", "shelters",
                                 "sensor_sites" };
  for (guint i = 0; i < G_N_ELEMENTS (point_layers); i++)
    {
      OGRLayerH l = layer (ds, point_layers[i]);
      OGR_L_ResetReading (l);
      while ((f = OGR_L_GetNextFeature (l)) != NULL)
        {
          const char *code = OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "commune_code"));
          if (!g_hash_table_contains (codes, code))
            g_error ("%s: unknown commune_code %s", point_layers[i], code);
          OGR_F_Destroy (f);
        }
    }
  /* One health station and one police post per commune, at least. */
  g_assert_cmpint (OGR_L_GetFeatureCount (layer (ds, "health_facilities"), TRUE), >=, 99 + 3);
  g_assert_cmpint (OGR_L_GetFeatureCount (layer (ds, "police_stations"), TRUE), >=, 99);
  g_assert_cmpint (OGR_L_GetFeatureCount (layer (ds, "shelters"), TRUE), >=, 2 * 99);

  const char *const kinds[] = { "water_level", "rain", "air_quality", "camera", NULL };
  guint per_kind[4] = { 0 };
  OGRLayerH sensors = layer (ds, "sensor_sites");
  OGR_L_ResetReading (sensors);
  while ((f = OGR_L_GetNextFeature (sensors)) != NULL)
    {
      const char *kind = OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "kind"));
      g_assert_true (in_set (kinds, kind));
      for (guint k = 0; k < 4; k++)
        per_kind[k] += g_str_equal (kind, kinds[k]);
      OGR_F_Destroy (f);
    }
  for (guint k = 0; k < 4; k++)
    g_assert_cmpuint (per_kind[k], >=, 5);
  GDALClose (ds);
}
/* --parcel-shape irregular: another province's cadastre, as far as the map
 * and the benchmarks can tell: its own layer and field names, parcels of 6 to
 * 8 vertices that still tile (neighbours share their edges, none overlap),
 * the same bytes for the same seed. */
static void
test_irregular_parcels (void)
{
  g_autofree char *a = g_build_filename (tmpdir, "irregular-a.gpkg", NULL);
  g_autofree char *b = g_build_filename (tmpdir, "irregular-b.gpkg", NULL);
  g_autofree char *n = g_strdup_printf ("%d", N_PARCELS);
  const char *paths[] = { a, b };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      const char *args[] = { "--out", paths[i], "--parcels", n, "--seed", "7", "--parcel-shape", "irregular", NULL };
      g_assert_cmpint (run_datagen (args, NULL), ==, 0);
    }
  {
    g_autofree char *bytes_a = NULL, *bytes_b = NULL;
    gsize la, lb;

    g_assert_true (g_file_get_contents (a, &bytes_a, &la, NULL));
    g_assert_true (g_file_get_contents (b, &bytes_b, &lb, NULL));
    g_assert_cmpuint (la, ==, lb);
    g_assert_true (memcmp (bytes_a, bytes_b, la) == 0);
  }

  GDALDatasetH ds = GDALOpenEx (a, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  g_assert_nonnull (ds);
  g_assert_null (GDALDatasetGetLayerByName (ds, "parcels"));
  OGRLayerH l = layer (ds, "thua_dat");
  g_assert_cmpint (OGR_L_GetFeatureCount (l, TRUE), ==, N_PARCELS);
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn (l);
  int use_field = OGR_FD_GetFieldIndex (defn, "ma_loai"), area_field = OGR_FD_GetFieldIndex (defn, "dien_tich");
  g_assert_cmpint (use_field, >=, 0);
  g_assert_cmpint (area_field, >=, 0);
  g_assert_cmpint (OGR_FD_GetFieldIndex (defn, "landuse"), <, 0);

  /* Each side, both ways round the same key, and how many parcels have it. */
  g_autoptr (GHashTable) sides = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  OGRGeometryH all = OGR_G_CreateGeometry (wkbMultiPolygon);
  double sum = 0;
  guint total = 0, by_count[9] = { 0 };
  OGRFeatureH f;
  OGR_L_ResetReading (l);
  while ((f = OGR_L_GetNextFeature (l)) != NULL)
    {
      OGRGeometryH geom = OGR_F_GetGeometryRef (f);
      OGRGeometryH ring = OGR_G_GetGeometryRef (geom, 0);
      int unique = OGR_G_GetPointCount (ring) - 1;

      g_assert_true (OGR_G_IsValid (geom));
      g_assert_cmpint (unique, >=, 6);
      g_assert_cmpint (unique, <=, 8);
      by_count[unique]++;
      for (int k = 0; k < unique; k++)
        {
          g_autofree char *from = g_strdup_printf ("%.3f %.3f", OGR_G_GetX (ring, k), OGR_G_GetY (ring, k));
          g_autofree char *to = g_strdup_printf ("%.3f %.3f", OGR_G_GetX (ring, k + 1), OGR_G_GetY (ring, k + 1));
          char *key = strcmp (from, to) < 0 ? g_strconcat (from, "|", to, NULL) : g_strconcat (to, "|", from, NULL);
          guint seen = GPOINTER_TO_UINT (g_hash_table_lookup (sides, key));

          g_hash_table_insert (sides, key, GUINT_TO_POINTER (seen + 1));
        }
      total += unique;
      g_assert_cmpfloat_with_epsilon (OGR_F_GetFieldAsDouble (f, area_field), OGR_G_Area (geom), 0.1);
      g_assert_true (in_set (landuse_codes, OGR_F_GetFieldAsString (f, use_field)));
      sum += OGR_G_Area (geom);
      OGR_G_AddGeometry (all, geom);
      OGR_F_Destroy (f);
    }
  /* Every vertex count occurs. A side between two parcels is the same side,
   * bend and all, in both. At 2 000 parcels the hamlets are small and only
   * ~20 % of sides lie between two parcels (as with grid parcels: 19.6 % for
   * this seed); were bends not shared, only the unbent ones would match, ~6 %. */
  g_assert_cmpuint (by_count[6], >, 0);
  g_assert_cmpuint (by_count[7], >, 0);
  g_assert_cmpuint (by_count[8], >, 0);
  {
    GHashTableIter iter;
    gpointer count;
    guint shared = 0;

    g_hash_table_iter_init (&iter, sides);
    while (g_hash_table_iter_next (&iter, NULL, &count))
      {
        g_assert_cmpuint (GPOINTER_TO_UINT (count), <=, 2);
        shared += GPOINTER_TO_UINT (count) == 2;
      }
    g_test_message ("%u of %u sides shared", 2 * shared, total);
    g_assert_cmpuint (2 * shared, >, total / 8);
  }
  /* They tile: the union covers exactly the sum of the areas. */
  {
    OGRGeometryH u = OGR_G_UnionCascaded (all);

    g_assert_nonnull (u);
    g_assert_cmpfloat (fabs (OGR_G_Area (u) - sum), <, 1e-6 * sum);
    OGR_G_DestroyGeometry (u);
  }
  OGR_G_DestroyGeometry (all);
  GDALClose (ds);
  g_unlink (a);
  g_unlink (b);
}

static void
test_bad_arguments (void)
{
  g_autofree char *out = g_build_filename (tmpdir, "bad.gpkg", NULL);
  g_autofree char *unwritable = g_build_filename (tmpdir, "no", "such", "dir", "x.gpkg", NULL);
  const char *negative[] = { "--out", out, "--parcels", "-5", NULL };
  const char *not_a_number[] = { "--out", out, "--parcels", "many", NULL };
  const char *no_out[] = { "--parcels", "10", NULL };
  const char *bad_path[] = { "--out", unwritable, "--parcels", "10", NULL };
  const char *bad_shape[] = { "--out", out, "--parcels", "10", "--parcel-shape", "round", NULL };
  const char *const *cases[] = { negative, not_a_number, no_out, bad_path, bad_shape };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;
      int status = run_datagen (cases[i], &err);
      g_assert_cmpint (status, !=, 0);
      g_assert_nonnull (err);
      g_assert_true (strstr (err, "saban-datagen: ") != NULL);
    }
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  const char *help[] = { "--help", NULL };
  g_assert_cmpint (run_datagen (help, NULL), ==, 0);
}

static void
remove_outputs (void)
{
  const char *paths[] = { path_a, path_b, path_c };
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    g_unlink (paths[i]);
  g_rmdir (tmpdir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  datagen = g_getenv ("SABAN_DATAGEN");
  if (datagen == NULL || *datagen == '\0')
    {
      g_test_message ("SABAN_DATAGEN is not set; nothing to test");
      return 77;  /* meson's "skipped" */
    }

  g_autoptr (GError) error = NULL;
  tmpdir = g_dir_make_tmp ("saban-datagen-XXXXXX", &error);
  g_assert_no_error (error);
  path_a = g_build_filename (tmpdir, "a.gpkg", NULL);
  path_b = g_build_filename (tmpdir, "b.gpkg", NULL);
  path_c = g_build_filename (tmpdir, "c.gpkg", NULL);

  GDALAllRegister ();

  g_test_add_func ("/datagen/deterministic", test_deterministic);
  g_test_add_func ("/datagen/schema", test_schema);
  g_test_add_func ("/datagen/basemap", test_basemap);
  g_test_add_func ("/datagen/communes", test_communes);
  g_test_add_func ("/datagen/parcels", test_parcels);
  g_test_add_func ("/datagen/irregular-parcels", test_irregular_parcels);
  g_test_add_func ("/datagen/zoning", test_zoning);
  g_test_add_func ("/datagen/lines-and-points", test_lines_and_points);
  g_test_add_func ("/datagen/bad-arguments", test_bad_arguments);

  int ret = g_test_run ();
  remove_outputs ();
  g_free (path_a);
  g_free (path_b);
  g_free (path_c);
  g_free (tmpdir);
  return ret;
}
