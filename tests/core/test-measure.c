/* Geodesic measurements and hit tests against independent figures. */
#include <gdal.h>
#include <math.h>
#include <geodesic.h>
#include <glib/gstdio.h>
#include <ogr_api.h>

#include "saban-measure.h"
#include "saban-ogr-reader.h"
#include "saban-transform.h"
#include "saban-unit-store.h"

static GPtrArray *layers;

static SabanVectorLayer *
find_layer (const char *name)
{
  for (guint i = 0; i < layers->len; i++)
    if (g_str_equal (saban_vector_layer_get_name (g_ptr_array_index (layers, i)), name))
      return g_ptr_array_index (layers, i);
  g_assert_not_reached ();
}

static void
test_meridian_degree (void)
{
  double xy[4];

  saban_lonlat_to_mercator (105, 0, &xy[0], &xy[1]);
  saban_lonlat_to_mercator (105, 1, &xy[2], &xy[3]);
  /* One degree of latitude from the equator on WGS 84: 110 574 m. */
  g_assert_cmpfloat (fabs (saban_measure_length (xy, 2) - 110574.4), <, 1.0);
}

/* saban-datagen computed area_km2 in the TM-3 plane, where the scale error
 * stays under a few parts in ten thousand over the province. */
static void
test_commune_areas (void)
{
  SabanVectorLayer *communes = find_layer ("communes");
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (communes);
  int field = saban_attribute_table_find_field (t, "area_km2");

  g_assert_cmpint (field, >=, 0);
  for (guint32 f = 0; f < saban_vector_layer_get_n_features (communes); f++)
    {
      double area, length, expected = saban_attribute_table_get_real (t, field, f) * 1e6;

      saban_measure_feature (communes, f, &area, &length);
      g_assert_cmpfloat (fabs (area - expected) / expected, <, 0.002);
      g_assert_cmpfloat (length, >, 0);
    }
}

static void
test_hit_communes (void)
{
  SabanVectorLayer *communes = find_layer ("communes");
  const SabanFeatureArrays *a = saban_vector_layer_get_arrays (communes);
  GDALDatasetH ds = GDALOpenEx (g_getenv ("SABAN_DEMO_DATA"), GDAL_OF_VECTOR, NULL, NULL, NULL);
  OGRLayerH layer = GDALDatasetGetLayerByName (ds, "communes");
  g_autoptr(SabanTransform) t = saban_transform_new_epsg (9208, 3857, NULL);

  for (guint32 f = 0; f < a->n_features; f++)
    {
      OGRFeatureH feature = OGR_L_GetFeature (layer, a->fids[f]);
      OGRGeometryH inside = OGR_G_PointOnSurface (OGR_F_GetGeometryRef (feature));
      double xy[2] = { OGR_G_GetX (inside, 0), OGR_G_GetY (inside, 0) };

      g_assert_true (saban_transform_points (t, xy, 1));
      g_assert_cmpint (saban_vector_layer_hit_test (communes, xy[0], xy[1], 1), ==, f);
      OGR_G_DestroyGeometry (inside);
      OGR_F_Destroy (feature);
    }
  /* Far outside the province: nothing. */
  g_assert_cmpint (saban_vector_layer_hit_test (communes, 0, 0, 100), ==, -1);
  GDALClose (ds);
}

static void
test_hit_points (void)
{
  SabanVectorLayer *sensors = find_layer ("sensor_sites");
  const SabanFeatureArrays *a = saban_vector_layer_get_arrays (sensors);

  for (guint32 f = 0; f < a->n_features; f++)
    {
      const double *xy = a->xy + 2 * (gsize) a->point_starts[a->part_starts[f]];
      gint64 hit = saban_vector_layer_hit_test (sensors, xy[0] + 5, xy[1] - 5, 20);

      g_assert_cmpint (hit, >=, 0);
      g_assert_cmpfloat (hypot (a->xy[2 * a->point_starts[a->part_starts[hit]]] - xy[0],
                                a->xy[2 * a->point_starts[a->part_starts[hit]] + 1] - xy[1]), <, 15);
    }
}

/* The fast area of small rings agrees with Karney's on every demo parcel,
 * and on a 2 km square, and keeps the ring's orientation as its sign. */
static void
test_local_area (void)
{
  SabanVectorLayer *parcels = find_layer ("parcels");
  double square[8], reversed[8], area, length;

  for (guint32 f = 0; f < saban_vector_layer_get_n_features (parcels); f++)
    {
      saban_measure_feature (parcels, f, &area, &length);
      g_assert_cmpfloat (fabs (saban_measure_feature_local_area (parcels, f) - area), <=, 1e-6 * area);
    }

  saban_lonlat_to_mercator (104.00, 22.30, &square[0], &square[1]);
  saban_lonlat_to_mercator (104.02, 22.30, &square[2], &square[3]);
  saban_lonlat_to_mercator (104.02, 22.32, &square[4], &square[5]);
  saban_lonlat_to_mercator (104.00, 22.32, &square[6], &square[7]);
  for (int i = 0; i < 4; i++)
    {
      reversed[2 * i] = square[6 - 2 * i];
      reversed[2 * i + 1] = square[7 - 2 * i];
    }
  area = saban_measure_ring_area (square, 4);
  g_assert_cmpfloat (fabs (saban_measure_local_ring_area (square, 4) - area), <, 1e-6 * area);
  g_assert_cmpfloat (fabs (saban_measure_local_ring_area (reversed, 4) + area), <, 1e-6 * area);
}

/* Geodesic distances: one degree of longitude on the equator, and the
 * inverse of saban_measure_destination() near Lào Cai. */
static void
test_distance (void)
{
  double lon, lat;

  g_assert_cmpfloat_with_epsilon (saban_measure_distance (104.0, 0.0, 105.0, 0.0), 111319.49, 0.01);
  g_assert_cmpfloat (saban_measure_distance (103.97, 22.49, 103.97, 22.49), ==, 0);
  saban_measure_destination (103.97, 22.49, 37, 2345.6, &lon, &lat);
  g_assert_cmpfloat_with_epsilon (saban_measure_distance (103.97, 22.49, lon, lat), 2345.6, 1e-6);
}

/* A unit named by its code or its Thing id, and how far it is. */
static void
test_unit_distance (void)
{
  g_autoptr(SabanUnitStore) units = saban_unit_store_new ();
  guint index;
  double lon, lat;

  saban_unit_store_add (units, 41, "Đội cứu hộ cứu nạn số 1", "DV-001", 103.97, 22.49, g_get_real_time ());
  saban_unit_store_add (units, 42, "Xe chữa cháy", NULL, 104.0, 22.4, g_get_real_time ());
  g_assert_true (saban_unit_store_find (units, "DV-001", &index));
  g_assert_cmpuint (index, ==, 0);
  g_assert_true (saban_unit_store_find (units, "42", &index));
  g_assert_cmpuint (index, ==, 1);
  g_assert_false (saban_unit_store_find (units, "DV-009", &index));
  g_assert_false (saban_unit_store_find (units, "", &index));
  g_assert_false (saban_unit_store_find (units, "41x", &index));
  saban_measure_destination (103.97, 22.49, 90, 1500, &lon, &lat);
  g_assert_cmpfloat_with_epsilon (saban_unit_store_distance_to (units, "DV-001", lon, lat), 1500, 1e-6);
  g_assert_true (isnan (saban_unit_store_distance_to (units, "DV-009", lon, lat)));
}

/* The geodesic area of one ring given in lon/lat, by GeographicLib (PROJ's
 * geodesic.h), as an independent figure. */
static double
ring_area (const double *lonlat, guint n)
{
  struct geod_geodesic g;
  double area, perimeter;
  g_autofree double *lats = g_new (double, n), *lons = g_new (double, n);

  geod_init (&g, 6378137.0, 1 / 298.257223563);
  for (guint i = 0; i < n; i++)
    {
      lons[i] = lonlat[2 * i];
      lats[i] = lonlat[2 * i + 1];
    }
  geod_polygonarea (&g, lats, lons, (int) n, &area, &perimeter);
  return fabs (area);
}

/* The area of an OGR polygon (shell minus holes), rings by their role in
 * the geometry, each transformed from TM-3 to lon/lat and measured by
 * GeographicLib. */
static double
ogr_polygon_area (OGRGeometryH polygon, SabanTransform *to_lonlat)
{
  double total = 0;

  for (int r = 0; r < OGR_G_GetGeometryCount (polygon); r++)
    {
      OGRGeometryH ring = OGR_G_GetGeometryRef (polygon, r);
      int n = OGR_G_GetPointCount (ring);
      g_autofree double *xy = g_new (double, 2 * n);

      for (int i = 0; i < n; i++)
        {
          xy[2 * i] = OGR_G_GetX (ring, i);
          xy[2 * i + 1] = OGR_G_GetY (ring, i);
        }
      g_assert_true (saban_transform_points (to_lonlat, xy, n));
      total += (r == 0 ? 1 : -1) * ring_area (xy, n);
    }
  return total;
}

/* Every zoning block of the demo (multi-polygons clipped by the province,
 * their parts touching) against the same figure made from the geometry's
 * own structure: five were negative before issue 15's fix, more were wrong. */
static void
test_zoning_areas (void)
{
  SabanVectorLayer *zoning = find_layer ("zoning");
  const SabanFeatureArrays *a = saban_vector_layer_get_arrays (zoning);
  GDALDatasetH ds = GDALOpenEx (g_getenv ("SABAN_DEMO_DATA"), GDAL_OF_VECTOR, NULL, NULL, NULL);
  OGRLayerH layer = GDALDatasetGetLayerByName (ds, "zoning");
  g_autoptr(SabanTransform) t = saban_transform_new_epsg (9208, 4326, NULL);
  guint multi = 0;

  for (guint32 f = 0; f < a->n_features; f++)
    {
      OGRFeatureH feature = OGR_L_GetFeature (layer, a->fids[f]);
      OGRGeometryH g = OGR_F_GetGeometryRef (feature);
      double expected = 0, area, length;

      if (wkbFlatten (OGR_G_GetGeometryType (g)) == wkbMultiPolygon)
        {
          multi++;
          for (int p = 0; p < OGR_G_GetGeometryCount (g); p++)
            expected += ogr_polygon_area (OGR_G_GetGeometryRef (g, p), t);
        }
      else
        expected = ogr_polygon_area (g, t);
      saban_measure_feature (zoning, f, &area, &length);
      g_assert_cmpfloat (area, >, 0);
      g_assert_cmpfloat (fabs (area - expected), <, 1e-4 * expected);
      OGR_F_Destroy (feature);
    }
  g_assert_cmpuint (multi, >, 10);
  GDALClose (ds);
}

/* Multi-part and holed features (issue 15: two adjacent parts showed a
 * negative area, the second part counted as a hole of the first because its
 * first vertex lay on the first's edge). Each expected area is the sum of
 * the shells' minus the holes' areas by GeographicLib. */
static void
test_multipart_areas (void)
{
  /* ~110 m squares near Lào Cai city */
  static const double a[] = { 103.970, 22.480, 103.971, 22.480, 103.971, 22.481, 103.970, 22.481 };
  static const double b[] = { 103.971, 22.4805, 103.973, 22.4805, 103.973, 22.482, 103.971, 22.482 };
  static const double shell[] = { 103.980, 22.490, 103.990, 22.490, 103.990, 22.500, 103.980, 22.500 };
  static const double hole[] = { 103.982, 22.492, 103.988, 22.492, 103.988, 22.498, 103.982, 22.498 };
  static const double island[] = { 103.984, 22.494, 103.986, 22.494, 103.986, 22.496, 103.984, 22.496 };
  static const double touching_hole[] = { 103.980, 22.495, 103.985, 22.493, 103.985, 22.497 };
  static const char *geojson =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"adjacent\"},\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":["
    "[[[103.970,22.480],[103.971,22.480],[103.971,22.481],[103.970,22.481],[103.970,22.480]]],"
    "[[[103.971,22.4805],[103.973,22.4805],[103.973,22.482],[103.971,22.482],[103.971,22.4805]]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"holed\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["
    "[[103.980,22.490],[103.990,22.490],[103.990,22.500],[103.980,22.500],[103.980,22.490]],"
    "[[103.982,22.492],[103.982,22.498],[103.988,22.498],[103.988,22.492],[103.982,22.492]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"island\"},\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":["
    "[[[103.980,22.490],[103.990,22.490],[103.990,22.500],[103.980,22.500],[103.980,22.490]],"
    "[[103.982,22.492],[103.982,22.498],[103.988,22.498],[103.988,22.492],[103.982,22.492]]],"
    "[[[103.984,22.494],[103.986,22.494],[103.986,22.496],[103.984,22.496],[103.984,22.494]]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"touching hole\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["
    "[[103.980,22.490],[103.990,22.490],[103.990,22.500],[103.980,22.500],[103.980,22.490]],"
    "[[103.980,22.495],[103.985,22.497],[103.985,22.493],[103.980,22.495]]]}}"
    "]}";
  double expected[] = {
    ring_area (a, 4) + ring_area (b, 4),
    ring_area (shell, 4) - ring_area (hole, 4),
    ring_area (shell, 4) - ring_area (hole, 4) + ring_area (island, 4),
    ring_area (shell, 4) - ring_area (touching_hole, 3),
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("saban-measure-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "multipart.geojson", NULL);
  g_autoptr(GPtrArray) read = NULL;
  SabanVectorLayer *layer;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, geojson, -1, &error));
  read = saban_ogr_read (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  layer = g_ptr_array_index (read, 0);
  g_assert_cmpuint (saban_vector_layer_get_n_features (layer), ==, G_N_ELEMENTS (expected));
  for (guint32 f = 0; f < G_N_ELEMENTS (expected); f++)
    {
      double area, length;

      saban_measure_feature (layer, f, &area, &length);
      g_assert_cmpfloat (area, >, 0);
      /* Mercator vertices back to lon/lat: well under a square metre */
      g_assert_cmpfloat (fabs (area - expected[f]), <, 1e-6 * expected[f] + 0.5);
      g_assert_cmpfloat (fabs (saban_measure_feature_local_area (layer, f) - expected[f]), <, 1e-5 * expected[f]);
    }
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();
  layers = saban_ogr_read (g_getenv ("SABAN_DEMO_DATA"), "EPSG:9208", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_add_func ("/measure/meridian-degree", test_meridian_degree);
  g_test_add_func ("/measure/commune-areas", test_commune_areas);
  g_test_add_func ("/measure/hit-communes", test_hit_communes);
  g_test_add_func ("/measure/hit-points", test_hit_points);
  g_test_add_func ("/measure/local-area", test_local_area);
  g_test_add_func ("/measure/distance", test_distance);
  g_test_add_func ("/measure/unit-distance", test_unit_distance);
  g_test_add_func ("/measure/multipart-areas", test_multipart_areas);
  g_test_add_func ("/measure/zoning-areas", test_zoning_areas);
  result = g_test_run ();
  g_ptr_array_unref (layers);
  return result;
}
