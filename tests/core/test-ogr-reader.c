/* Reading the demo province, and bad input that must fail cleanly. */
#include <gdal.h>
#include <glib/gstdio.h>
#include <math.h>
#include <ogr_api.h>
#include <string.h>

#include "saban-credentials.h"
#include "saban-error.h"
#include "saban-ogr-reader.h"
#include "saban-transform.h"

static SabanVectorLayer *
find_layer (GPtrArray  *layers,
            const char *name)
{
  for (guint i = 0; i < layers->len; i++)
    if (g_str_equal (saban_vector_layer_get_name (g_ptr_array_index (layers, i)), name))
      return g_ptr_array_index (layers, i);
  return NULL;
}

static void
count_progress (double fraction, const char *layer_name, gpointer user_data)
{
  double *last = user_data;

  g_assert_cmpfloat (fraction, >=, *last - 1e-9);
  g_assert_cmpfloat (fraction, <=, 1 + 1e-9);
  *last = fraction;
}

static void
test_demo (void)
{
  const char *path = g_getenv ("SABAN_DEMO_DATA");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) layers = NULL;
  SabanVectorLayer *communes, *zoning, *province, *sensors;
  double min_x, min_y, max_x, max_y, last = 0;

  layers = saban_ogr_read (path, "EPSG:9208", NULL, count_progress, &last, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (last, >, 0.99);

  province = find_layer (layers, "province");
  communes = find_layer (layers, "communes");
  zoning = find_layer (layers, "zoning");
  sensors = find_layer (layers, "sensor_sites");
  g_assert_nonnull (province);
  g_assert_nonnull (communes);
  g_assert_nonnull (zoning);
  g_assert_nonnull (sensors);
  g_assert_nonnull (find_layer (layers, "parcels"));
  g_assert_nonnull (find_layer (layers, "rivers"));
  g_assert_nonnull (find_layer (layers, "roads"));

  g_assert_cmpuint (saban_vector_layer_get_n_features (communes), ==, 99);
  g_assert_cmpint (saban_vector_layer_get_kind (communes), ==, SABAN_GEOMETRY_POLYGON);
  g_assert_cmpint (saban_vector_layer_get_kind (find_layer (layers, "rivers")), ==, SABAN_GEOMETRY_LINE);
  g_assert_cmpint (saban_vector_layer_get_kind (sensors), ==, SABAN_GEOMETRY_POINT);
  g_assert_nonnull (strstr (saban_vector_layer_get_source_crs_name (communes), "VN-2000"));

  /* The province in Web Mercator: about 103.4–105.2° E, 21.3–22.9° N. */
  g_assert_true (saban_vector_layer_get_extent (province, &min_x, &min_y, &max_x, &max_y));
  g_assert_cmpfloat (min_x, >, 11510000);
  g_assert_cmpfloat (max_x, <, 11712000);
  g_assert_cmpfloat (min_y, >, 2426000);
  g_assert_cmpfloat (max_y, <, 2620000);

  {
    const SabanAttributeTable *t = saban_vector_layer_get_attributes (zoning);
    int landuse = saban_attribute_table_find_field (t, "landuse");

    g_assert_cmpint (landuse, >=, 0);
    g_assert_cmpint (saban_attribute_table_get_field_type (t, landuse), ==, SABAN_FIELD_STRING);
    g_assert_cmpuint (saban_attribute_table_get_n_rows (t), ==, saban_vector_layer_get_n_features (zoning));
    for (guint32 f = 0; f < saban_vector_layer_get_n_features (zoning); f++)
      g_assert_cmpuint (strlen (saban_attribute_table_get_string (t, landuse, f)), ==, 3);
  }
}

/* Every attribute of every commune, read through Arrow, equals what OGR's
 * feature API reads. */
static void
test_attributes_match_ogr (void)
{
  const char *path = g_getenv ("SABAN_DEMO_DATA");
  g_autoptr(GPtrArray) layers = saban_ogr_read (path, "EPSG:9208", NULL, NULL, NULL, NULL);
  SabanVectorLayer *communes = find_layer (layers, "communes");
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (communes);
  const SabanFeatureArrays *a = saban_vector_layer_get_arrays (communes);
  GDALDatasetH ds = GDALOpenEx (path, GDAL_OF_VECTOR, NULL, NULL, NULL);
  OGRLayerH layer = GDALDatasetGetLayerByName (ds, "communes");
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn (layer);

  g_assert_cmpuint (saban_attribute_table_get_n_fields (t), ==, OGR_FD_GetFieldCount (defn));
  for (guint32 f = 0; f < a->n_features; f++)
    {
      OGRFeatureH feature = OGR_L_GetFeature (layer, a->fids[f]);

      for (int i = 0; i < OGR_FD_GetFieldCount (defn); i++)
        {
          OGRFieldDefnH fd = OGR_FD_GetFieldDefn (defn, i);
          int field = saban_attribute_table_find_field (t, OGR_Fld_GetNameRef (fd));

          g_assert_cmpint (field, >=, 0);
          switch (OGR_Fld_GetType (fd))
            {
            case OFTString:
              g_assert_cmpstr (saban_attribute_table_get_string (t, field, f), ==, OGR_F_GetFieldAsString (feature, i));
              break;
            case OFTInteger: case OFTInteger64:
              g_assert_cmpint (saban_attribute_table_get_integer (t, field, f), ==, OGR_F_GetFieldAsInteger64 (feature, i));
              break;
            default:
              g_assert_cmpfloat (saban_attribute_table_get_real (t, field, f), ==, OGR_F_GetFieldAsDouble (feature, i));
              break;
            }
        }
      OGR_F_Destroy (feature);
    }
  GDALClose (ds);
}

/* Each sensor site read through Arrow and WKB lands where OGR's own feature
 * API and the same transform put it. */
static void
test_points_match_ogr (void)
{
  const char *path = g_getenv ("SABAN_DEMO_DATA");
  g_autoptr(GPtrArray) layers = saban_ogr_read (path, "EPSG:9208", NULL, NULL, NULL, NULL);
  SabanVectorLayer *sensors = find_layer (layers, "sensor_sites");
  const SabanFeatureArrays *a = saban_vector_layer_get_arrays (sensors);
  g_autoptr(SabanTransform) t = saban_transform_new_epsg (9208, 3857, NULL);
  GDALDatasetH ds = GDALOpenEx (path, GDAL_OF_VECTOR, NULL, NULL, NULL);
  OGRLayerH layer = GDALDatasetGetLayerByName (ds, "sensor_sites");
  guint32 checked = 0;

  for (guint32 f = 0; f < a->n_features; f++)
    {
      OGRFeatureH feature = OGR_L_GetFeature (layer, a->fids[f]);
      OGRGeometryH geom = OGR_F_GetGeometryRef (feature);
      double xy[2] = { OGR_G_GetX (geom, 0), OGR_G_GetY (geom, 0) };
      const double *got = a->xy + 2 * (gsize) a->point_starts[a->part_starts[f]];

      g_assert_true (saban_transform_points (t, xy, 1));
      g_assert_cmpfloat (fabs (got[0] - xy[0]), <, 1e-6);
      g_assert_cmpfloat (fabs (got[1] - xy[1]), <, 1e-6);
      OGR_F_Destroy (feature);
      checked++;
    }
  g_assert_cmpuint (checked, >, 20);
  GDALClose (ds);
}

static char *
write_temp (const char *name,
            const void *data,
            gsize       len)
{
  g_autofree char *dir = g_dir_make_tmp ("saban-test-XXXXXX", NULL);
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, data, len, NULL));
  return path;
}

static void
expect_failure (const char *path,
                int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) layers = saban_ogr_read (path, "EPSG:9208", NULL, NULL, NULL, &error);
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *folder = g_path_get_dirname (path);

  g_assert_null (layers);
  g_assert_error (error, SABAN_ERROR, code);
  /* Every message names the file it is about, by its name: its folder says
   * nothing to the user. */
  g_assert_nonnull (strstr (error->message, name));
  g_assert_null (strstr (error->message, folder));
}

static void
test_missing_file (void)
{
  expect_failure ("/nonexistent/lao-cai.gpkg", SABAN_ERROR_OPEN);
}

static void
test_corrupt_geopackage (void)
{
  static const char junk[] = "SQLite format 3\0this is not a database, just bytes that start like one";
  g_autofree char *path = write_temp ("corrupt.gpkg", junk, sizeof junk);

  expect_failure (path, SABAN_ERROR_OPEN);
}

static void
test_truncated_geopackage (void)
{
  g_autofree char *data = NULL;
  gsize len;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) layers = NULL;

  g_assert_true (g_file_get_contents (g_getenv ("SABAN_DEMO_DATA"), &data, &len, NULL));
  path = write_temp ("truncated.gpkg", data, len / 3);
  layers = saban_ogr_read (path, "EPSG:9208", NULL, NULL, NULL, &error);
  /* SQLite may still read the first pages: either an error or fewer layers,
   * never a crash. */
  if (layers == NULL)
    g_assert_nonnull (strstr (error->message, "“truncated.gpkg”"));
  else
    g_assert_cmpuint (layers->len, <, 12);
}

static void
test_malformed_geojson (void)
{
  static const char text[] = "{\"type\": \"FeatureCollection\", \"features\": [ {\"type\": ";
  g_autofree char *path = write_temp ("broken.geojson", text, sizeof text - 1);

  expect_failure (path, SABAN_ERROR_OPEN);
}

static void
test_wrong_crs (void)
{
  /* Projected metres declared as WGS 84 degrees. */
  static const char text[] =
    "{\"type\": \"FeatureCollection\", \"features\": [ {\"type\": \"Feature\", \"properties\": {\"name\": \"x\"},"
    " \"geometry\": {\"type\": \"Point\", \"coordinates\": [419650.0, 2487540.0]}} ]}";
  g_autofree char *path = write_temp ("wrong-crs.geojson", text, sizeof text - 1);

  expect_failure (path, SABAN_ERROR_CRS);
}

static void
test_no_geometry (void)
{
  static const char text[] = "code,name\n10,Lào Cai\n";
  g_autofree char *path = write_temp ("table.csv", text, sizeof text - 1);

  expect_failure (path, SABAN_ERROR_NO_DATA);
}

static void
test_password_never_shown (void)
{
  g_autofree char *a = saban_ogr_redact ("PG:host=127.0.0.1 dbname=ioc user=gis password='s3cr\\'et' port=5432");
  g_autofree char *b = saban_ogr_redact ("PG:host=127.0.0.1 password=hunter2 dbname=ioc");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) layers = NULL;

  g_assert_null (strstr (a, "s3cr"));
  g_assert_nonnull (strstr (a, "port=5432"));
  g_assert_null (strstr (b, "hunter2"));
  g_assert_nonnull (strstr (b, "dbname=ioc"));

  /* Nothing listens on port 1: a quick, clear refusal without the password. */
  layers = saban_ogr_read ("PG:host=127.0.0.1 port=1 dbname=ioc user=gis password=hunter2", "EPSG:9208",
                           NULL, NULL, NULL, &error);
  g_assert_null (layers);
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_OPEN);
  g_assert_null (strstr (error->message, "hunter2"));
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
}

/* Issue 15: a source is named as a person names it — the file's kind and
 * name without its folder, a server's kind and host, a database on its host —
 * never a path or a password. */
static void
test_describe_source (void)
{
  const struct { const char *source, *want; } cases[] = {
    { "/home/trucban/du-lieu/lao-cai-demo.gpkg", "GeoPackage file “lao-cai-demo.gpkg”" },
    { "/tmp/x/Ranh Gioi.SHP", "Shapefile file “Ranh Gioi.SHP”" },
    { "C-drive-less/thua-dat.fgb", "FlatGeobuf file “thua-dat.fgb”" },
    { "/srv/notes.txt", "File “notes.txt”" },
    { "OAPIF:https://ioc.laocai.gov.vn/collections/zoning", "OGC API – Features server ioc.laocai.gov.vn" },
    { "OAPIF:http://127.0.0.1:8080", "OGC API – Features server 127.0.0.1:8080" },
    { "WFS:https://gis.example.vn/wfs?SERVICE=WFS", "WFS server gis.example.vn" },
    { "PG:host=10.0.0.5 dbname='ioc data' user=gis password=hunter2", "PostGIS database “ioc data” on 10.0.0.5" },
    { "PG:dbname=ioc password='s3cr\\'et'", "PostGIS database “ioc” on this computer" },
    { "/vsicurl/https://data.example.vn/parcels.gpkg", "Online data on data.example.vn" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = saban_ogr_describe_source (cases[i].source);

      g_assert_cmpstr (shown, ==, cases[i].want);
      g_assert_null (strstr (shown, "/"));
      g_assert_null (strstr (shown, "hunter2"));
    }
}

/* A CSV of lon/lat has no CRS of its own: the caller must ask, then it reads. */
static void
test_csv_needs_crs (void)
{
  static const char text[] = "name,lon,lat\nTrạm Lào Cai,103.97512,22.48123\nSa Pa,103.84,22.34\n";
  g_autofree char *path = write_temp ("tram.csv", text, sizeof text - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) unknown = saban_ogr_read (path, NULL, NULL, NULL, NULL, &error);
  g_autoptr(GPtrArray) layers = NULL;
  const SabanFeatureArrays *a;

  g_assert_null (unknown);
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_NEEDS_CRS);
  layers = saban_ogr_read (path, "EPSG:4326", NULL, NULL, NULL, NULL);
  g_assert_nonnull (layers);
  a = saban_vector_layer_get_arrays (g_ptr_array_index (layers, 0));
  g_assert_cmpuint (a->n_features, ==, 2);
  g_assert_cmpint (saban_vector_layer_get_kind (g_ptr_array_index (layers, 0)), ==, SABAN_GEOMETRY_POINT);
  /* 103.97512° E in Web Mercator. */
  g_assert_cmpfloat (fabs (a->xy[0] - 103.97512 * G_PI / 180 * 6378137.0), <, 0.01);
  g_assert_cmpstr (saban_attribute_table_get_string (saban_vector_layer_get_attributes (g_ptr_array_index (layers, 0)),
                                                     0, 0), ==, "Trạm Lào Cai");
}

/* A CSV with WKT geometry in VN-2000 TM-3 coordinates. */
static void
test_csv_wkt (void)
{
  static const char text[] = "WKT,ten\n\"POINT (419650 2487540)\",Lào Cai\n";
  g_autofree char *path = write_temp ("wkt.csv", text, sizeof text - 1);
  g_autoptr(GPtrArray) layers = saban_ogr_read (path, "EPSG:9208", NULL, NULL, NULL, NULL);

  g_assert_nonnull (layers);
  g_assert_cmpuint (saban_vector_layer_get_n_features (g_ptr_array_index (layers, 0)), ==, 1);
}

/* Position columns in a CSV are found in any case, longitude and latitude
 * as a pair, one of each taken: told every name it might take, GDAL 3.6
 * read past its own field list on "x,x,y" and "x,kinh_do,vi_do" (found by
 * fuzz-ogr-csv). A position's name given to two columns is refused, saying
 * which (and the file by its name); an attribute's repeated name is read as
 * before. */
static void
test_csv_position_columns (void)
{
  static const char *const refused[] = { "x,x,y\n1,2,3\n", "ten;kinh_do;a;Kinh_Do;vi_do\nA;1;2;3;4\n",
                                         "WKT,wkt\n\"POINT (1 2)\",\"POINT (3 4)\"\n" };
  static const char *const refused_name[] = { "“x”", "“Kinh_Do”", "“wkt”" };
  static const char *const read[] = { "x,kinh_do,vi_do,dan_so\n7,103.97,22.48,5\n",
                                      "TEN;KINH_DO;VI_DO\nA;103.97;22.48\n",
                                      "ghi_chu,Lat,y,Lon,ghi_chu\na,22.48,1,103.97,b\n" };

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *path = write_temp ("lap.csv", refused[i], strlen (refused[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) layers = saban_ogr_read (path, "EPSG:4326", NULL, NULL, NULL, &error);

      g_assert_null (layers);
      g_assert_error (error, SABAN_ERROR, SABAN_ERROR_OPEN);
      /* the file by its name, not its folder */
      g_assert_nonnull (strstr (error->message, "“lap.csv”"));
      g_assert_null (strstr (error->message, "saban-test-"));
      g_assert_nonnull (strstr (error->message, refused_name[i]));
    }
  for (gsize i = 0; i < G_N_ELEMENTS (read); i++)
    {
      g_autofree char *path = write_temp ("tram.csv", read[i], strlen (read[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) layers = saban_ogr_read (path, "EPSG:4326", NULL, NULL, NULL, &error);
      const SabanFeatureArrays *a;

      g_assert_no_error (error);
      a = saban_vector_layer_get_arrays (g_ptr_array_index (layers, 0));
      g_assert_cmpuint (a->n_features, ==, 1);
      /* 103.97° E in Web Mercator: the longitude column, not x or y */
      g_assert_cmpfloat (fabs (a->xy[0] - 103.97 * G_PI / 180 * 6378137.0), <, 0.01);
    }
}

/* A file never makes Sa Bàn run another program: GDAL's GPSBabel driver
 * hands anything that looks like GPS data (a Garmin TrainingCenterDatabase,
 * whatever the file's name) to the gpsbabel program. It is not registered,
 * even when GDAL was registered before Sa Bàn's reader (as here, in main),
 * and such a file is refused like any other it cannot read. */
static void
test_no_outside_program (void)
{
  static const char text[] = "<?xml version=\"1.0\"?><TrainingCenterDatabase></TrainingCenterDatabase>\n";
  g_autofree char *path = write_temp ("chay.tcx", text, sizeof text - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) layers = NULL;

  saban_ogr_register ();
  g_assert_null (GDALGetDriverByName ("GPSBabel"));
  g_assert_nonnull (GDALGetDriverByName ("GPX"));
  layers = saban_ogr_read (path, "EPSG:4326", NULL, NULL, NULL, &error);
  g_assert_null (layers);
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_OPEN);
}

/* Passwords come out of connection strings whole, quoted or not, and
 * nothing else does. */
static void
test_credentials_strip (void)
{
  const struct { const char *in, *out, *password; } cases[] = {
    { "PG:host=127.0.0.1 dbname=ioc user=gis password=hunter2 port=5432",
      "PG:host=127.0.0.1 dbname=ioc user=gis port=5432", "hunter2" },
    { "PG:host=127.0.0.1 password='s3cr\\'et pass' dbname=ioc",
      "PG:host=127.0.0.1 dbname=ioc", "s3cr'et pass" },
    { "PG:dbname=ioc password=x", "PG:dbname=ioc", "x" },
    { "PG:host=h dbname=ioc", "PG:host=h dbname=ioc", NULL },
    { "/data/old_password=1.gpkg", "/data/old_password=1.gpkg", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *password = NULL;
      g_autofree char *out = saban_credentials_strip (cases[i].in, &password);

      g_assert_cmpstr (out, ==, cases[i].out);
      g_assert_cmpstr (password, ==, cases[i].password);
    }
}

/* A Shapefile cut short (a copy interrupted): a clear error or the features
 * that are whole, never a crash; the message names the file. */
static void
test_truncated_shapefile (void)
{
  g_autofree char *dir = g_dir_make_tmp ("saban-shp-XXXXXX", NULL);
  g_autofree char *shp = g_build_filename (dir, "xa.shp", NULL);
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) whole = NULL;
  g_autoptr(GPtrArray) cut = NULL;
  GDALDriverH driver = GDALGetDriverByName ("ESRI Shapefile");
  GDALDatasetH src = GDALOpenEx (g_getenv ("SABAN_DEMO_DATA"), GDAL_OF_VECTOR, NULL, NULL, NULL);
  GDALDatasetH dst = GDALCreate (driver, shp, 0, 0, 0, GDT_Unknown, NULL);

  /* The communes, copied into a Shapefile with its .prj. */
  GDALDatasetCopyLayer (dst, GDALDatasetGetLayerByName (src, "communes"), "xa", NULL);
  GDALClose (dst);
  GDALClose (src);
  whole = saban_ogr_read (shp, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (saban_vector_layer_get_n_features (g_ptr_array_index (whole, 0)), ==, 99);

  g_assert_true (g_file_get_contents (shp, &data, &len, NULL));
  g_assert_true (g_file_set_contents (shp, data, len / 2, NULL));
  cut = saban_ogr_read (shp, NULL, NULL, NULL, NULL, &error);
  if (cut == NULL)
    g_assert_nonnull (strstr (error->message, "xa.shp"));
  else
    g_assert_cmpuint (saban_vector_layer_get_n_features (g_ptr_array_index (cut, 0)), <, 99);
}

/* A feature with coordinates that are not numbers is left out; the others
 * are read. */
static void
test_invalid_geometry_skipped (void)
{
  static const char text[] =
    "{\"type\": \"FeatureCollection\", \"features\": ["
    " {\"type\": \"Feature\", \"properties\": {\"ten\": \"tốt\"},"
    "  \"geometry\": {\"type\": \"Point\", \"coordinates\": [103.97, 22.48]}},"
    " {\"type\": \"Feature\", \"properties\": {\"ten\": \"hỏng\"},"
    "  \"geometry\": {\"type\": \"Polygon\", \"coordinates\": \"không phải số\"}},"
    " {\"type\": \"Feature\", \"properties\": {\"ten\": \"tốt 2\"},"
    "  \"geometry\": {\"type\": \"Point\", \"coordinates\": [104.0, 22.0]}} ]}";
  g_autofree char *path = write_temp ("mixed.geojson", text, sizeof text - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) layers = saban_ogr_read (path, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (saban_vector_layer_get_n_features (g_ptr_array_index (layers, 0)), ==, 2);
}

static void
test_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) layers = NULL;

  g_cancellable_cancel (cancellable);
  layers = saban_ogr_read (g_getenv ("SABAN_DEMO_DATA"), "EPSG:9208", cancellable, NULL, NULL, &error);
  g_assert_null (layers);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();
  g_test_add_func ("/ogr-reader/demo", test_demo);
  g_test_add_func ("/ogr-reader/points-match-ogr", test_points_match_ogr);
  g_test_add_func ("/ogr-reader/attributes-match-ogr", test_attributes_match_ogr);
  g_test_add_func ("/ogr-reader/missing-file", test_missing_file);
  g_test_add_func ("/ogr-reader/corrupt-geopackage", test_corrupt_geopackage);
  g_test_add_func ("/ogr-reader/truncated-geopackage", test_truncated_geopackage);
  g_test_add_func ("/ogr-reader/malformed-geojson", test_malformed_geojson);
  g_test_add_func ("/ogr-reader/wrong-crs", test_wrong_crs);
  g_test_add_func ("/ogr-reader/no-geometry", test_no_geometry);
  g_test_add_func ("/ogr-reader/password-never-shown", test_password_never_shown);
  g_test_add_func ("/ogr-reader/describe-source", test_describe_source);
  g_test_add_func ("/ogr-reader/csv-needs-crs", test_csv_needs_crs);
  g_test_add_func ("/ogr-reader/csv-wkt", test_csv_wkt);
  g_test_add_func ("/ogr-reader/csv-position-columns", test_csv_position_columns);
  g_test_add_func ("/ogr-reader/no-outside-program", test_no_outside_program);
  g_test_add_func ("/ogr-reader/credentials-strip", test_credentials_strip);
  g_test_add_func ("/ogr-reader/truncated-shapefile", test_truncated_shapefile);
  g_test_add_func ("/ogr-reader/invalid-geometry-skipped", test_invalid_geometry_skipped);
  g_test_add_func ("/ogr-reader/cancelled", test_cancelled);
  return g_test_run ();
}
