/* The impact analysis against an independent computation on the same file:
 * OGR features reprojected to WGS 84 by SabanTransform, intersected with the
 * area by GEOS (OGR_G_Intersection) in longitude and latitude, measured with
 * Karney's geodesic area; points by OGR_G_Within; the nearest shelters by
 * brute force in a local equirectangular plane. */
#include <gdal.h>
#include <geodesic.h>
#include <math.h>
#include <ogr_api.h>
#include <string.h>

#include "saban-error.h"
#include "saban-impact.h"
#include "saban-measure.h"
#include "saban-ogr-reader.h"
#include "saban-transform.h"

static GPtrArray *layers;
static GDALDatasetH dataset;
static SabanTransform *to_wgs84;

/* Across several communes, concave (a notch in its top). */
#define AREA_CONCAVE "POLYGON ((104.80 21.66, 104.95 21.66, 104.95 21.78, 104.88 21.72, 104.80 21.78, 104.80 21.66))"
#define AREA_HOLE "POLYGON ((104.82 21.68, 104.93 21.68, 104.93 21.76, 104.82 21.76, 104.82 21.68), " \
                  "(104.86 21.70, 104.89 21.70, 104.89 21.73, 104.86 21.73, 104.86 21.70))"
#define AREA_MULTI "MULTIPOLYGON (((104.50 21.55, 104.55 21.55, 104.55 21.60, 104.50 21.60, 104.50 21.55)), " \
                   "((104.84 21.70, 104.87 21.70, 104.87 21.73, 104.84 21.73, 104.84 21.70)))"
#define CIRCLE_LON 104.875
#define CIRCLE_LAT 21.72
#define CIRCLE_RADIUS 4000.0

/* A copy of @g (in the layer's CRS) in longitude, latitude. */
static OGRGeometryH
to_lonlat (OGRGeometryH g)
{
  OGRGeometryH copy = OGR_G_Clone (g);

  g_assert_true (saban_transform_geometry (to_wgs84, copy));
  return copy;
}

/* Karney's area of a lon/lat (multi)polygon, by the project's helper. */
static double
geodesic_area (OGRGeometryH g)
{
  OGRwkbGeometryType type = wkbFlatten (OGR_G_GetGeometryType (g));
  double area = 0;

  if (type == wkbPolygon)
    for (int r = 0; r < OGR_G_GetGeometryCount (g); r++)
      {
        OGRGeometryH ring = OGR_G_GetGeometryRef (g, r);
        int n = OGR_G_GetPointCount (ring);
        g_autofree double *xy = g_new (double, 2 * MAX (n, 1));

        for (int i = 0; i < n; i++)
          saban_lonlat_to_mercator (OGR_G_GetX (ring, i), OGR_G_GetY (ring, i), &xy[2 * i], &xy[2 * i + 1]);
        area += (r == 0 ? 1 : -1) * saban_measure_ring_area (xy, n);
      }
  else
    for (int i = 0; i < OGR_G_GetGeometryCount (g); i++)
      area += geodesic_area (OGR_G_GetGeometryRef (g, i));
  return area;
}

static OGRGeometryH
geometry_from_wkt (const char *wkt)
{
  g_autofree char *copy = g_strdup (wkt);
  char *cursor = copy;
  OGRGeometryH g = NULL;

  g_assert_cmpint (OGR_G_CreateFromWkt (&cursor, NULL, &g), ==, OGRERR_NONE);
  return g;
}

static char *
circle_wkt (void)
{
  struct geod_geodesic geod;
  GString *wkt = g_string_new ("POLYGON ((");

  geod_init (&geod, 6378137, 1 / 298.257223563);
  for (int i = 0; i <= 720; i++)
    {
      double lat, lon;

      geod_direct (&geod, CIRCLE_LAT, CIRCLE_LON, (i % 720) * 0.5, CIRCLE_RADIUS, &lat, &lon, NULL);
      g_string_append_printf (wkt, "%s%.12f %.12f", i > 0 ? ", " : "", lon, lat);
    }
  g_string_append (wkt, "))");
  return g_string_free (wkt, FALSE);
}

static SabanImpact *
compute (SabanImpactArea *area)
{
  g_autoptr(GError) error = NULL;
  SabanImpact *impact = saban_impact_new (area, layers);

  g_assert_true (saban_impact_compute (impact, NULL, &error));
  g_assert_no_error (error);
  return impact;
}

static void
check_land (SabanImpact  *impact,
            OGRGeometryH  area)
{
  OGRLayerH layer = GDALDatasetGetLayerByName (dataset, "parcels");
  int field = OGR_FD_GetFieldIndex (OGR_L_GetLayerDefn (layer), "landuse");
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  OGREnvelope box;
  OGRFeatureH feature;
  guint n_expected = 0, n_codes, checked = 0;
  const SabanImpactLanduse *land = saban_impact_get_landuse (impact, &n_codes);

  OGR_G_GetEnvelope (area, &box);
  OGR_L_ResetReading (layer);
  while ((feature = OGR_L_GetNextFeature (layer)) != NULL)
    {
      OGRGeometryH g = to_lonlat (OGR_F_GetGeometryRef (feature));
      OGREnvelope e;

      OGR_G_GetEnvelope (g, &e);
      if (e.MaxX >= box.MinX && e.MinX <= box.MaxX && e.MaxY >= box.MinY && e.MinY <= box.MaxY)
        {
          OGRGeometryH piece = OGR_G_Intersection (g, area);
          double a = piece != NULL ? geodesic_area (piece) : 0;

          if (a > 0)
            {
              const char *code = OGR_F_GetFieldAsString (feature, field);
              double *sum = g_hash_table_lookup (expected, code);

              if (sum == NULL)
                g_hash_table_insert (expected, g_strdup (code), sum = g_new0 (double, 1));
              *sum += a / 1e4;
              n_expected++;
            }
          OGR_G_DestroyGeometry (piece);
        }
      OGR_G_DestroyGeometry (g);
      OGR_F_Destroy (feature);
    }

  g_assert_cmpuint (n_expected, >, 300);
  g_assert_cmpuint (abs ((int) saban_impact_get_n_parcels (impact) - (int) n_expected), <=, MAX (2, n_expected / 500));
  for (guint i = 0; i < n_codes; i++)
    {
      double *want = g_hash_table_lookup (expected, land[i].code);

      g_test_message ("%s: %.4f ha, GEOS %.4f ha", land[i].code, land[i].area_ha, want != NULL ? *want : 0);
      if (want == NULL)
        {
          g_assert_cmpfloat (land[i].area_ha, <, 1e-4);
          continue;
        }
      if (*want > 1)
        {
          g_assert_cmpfloat (fabs (land[i].area_ha - *want), <=, 0.005 * *want);
          checked++;
        }
    }
  g_assert_cmpuint (n_codes, >=, g_hash_table_size (expected));
  g_assert_cmpuint (checked, >=, 3);
}

static void
check_communes (SabanImpact  *impact,
                OGRGeometryH  area)
{
  OGRLayerH layer = GDALDatasetGetLayerByName (dataset, "communes");
  int code_field = OGR_FD_GetFieldIndex (OGR_L_GetLayerDefn (layer), "code");
  guint n, touched = 0;
  const SabanImpactCommune *communes = saban_impact_get_communes (impact, &n);
  OGRFeatureH feature;
  double total = 0;

  OGR_L_ResetReading (layer);
  while ((feature = OGR_L_GetNextFeature (layer)) != NULL)
    {
      OGRGeometryH g = to_lonlat (OGR_F_GetGeometryRef (feature));
      OGRGeometryH piece = OGR_G_Intersection (g, area);
      double fraction = piece != NULL ? geodesic_area (piece) / geodesic_area (g) : 0;
      const SabanImpactCommune *ours = NULL;

      for (guint i = 0; i < n; i++)
        if (g_str_equal (communes[i].code, OGR_F_GetFieldAsString (feature, code_field)))
          ours = &communes[i];
      if (fraction > 1e-4)
        {
          g_assert_nonnull (ours);
          g_assert_cmpfloat (fabs (ours->fraction - fraction), <, 1e-3);
          g_assert_cmpfloat (fabs (ours->population_affected - ours->population * ours->fraction), <, 1e-6);
          touched++;
        }
      else if (ours != NULL)
        g_assert_cmpfloat (ours->fraction, <, 1e-3);
      OGR_G_DestroyGeometry (piece);
      OGR_G_DestroyGeometry (g);
      OGR_F_Destroy (feature);
    }
  for (guint i = 0; i < n; i++)
    total += communes[i].population_affected;
  g_assert_cmpfloat (fabs (total - saban_impact_get_population_affected (impact)), <, 1e-6);
  g_assert_cmpuint (touched, >=, 2);
}

static void
check_points (SabanImpact  *impact,
              OGRGeometryH  area)
{
  for (SabanImpactLayer l = SABAN_IMPACT_SHELTERS; l < SABAN_IMPACT_N_LAYERS; l++)
    {
      OGRLayerH layer = GDALDatasetGetLayerByName (dataset, saban_impact_layer_default_name (l));
      OGRFeatureH feature;
      guint expected = 0, n;
      gint64 capacity = 0;

      saban_impact_get_places (impact, l, &n);
      OGR_L_ResetReading (layer);
      while ((feature = OGR_L_GetNextFeature (layer)) != NULL)
        {
          OGRGeometryH g = to_lonlat (OGR_F_GetGeometryRef (feature));

          if (OGR_G_Within (g, area))
            {
              expected++;
              if (l == SABAN_IMPACT_SHELTERS)
                capacity += OGR_F_GetFieldAsInteger64 (feature, OGR_F_GetFieldIndex (feature, "capacity"));
            }
          OGR_G_DestroyGeometry (g);
          OGR_F_Destroy (feature);
        }
      g_assert_cmpuint (n, ==, expected);
      if (l == SABAN_IMPACT_SHELTERS)
        g_assert_cmpint (saban_impact_get_shelter_capacity (impact), ==, capacity);
    }
}

/* Distance from (lon, lat) to the nearest point of @area's boundary, found in
 * an equirectangular plane at that latitude, measured along the ellipsoid. */
static double
boundary_distance (OGRGeometryH area,
                   double       lon,
                   double       lat)
{
  OGRGeometryH boundary = OGR_G_Boundary (area);
  GPtrArray *stack = g_ptr_array_new ();
  double k = cos (lat * G_PI / 180), best = G_MAXDOUBLE, pair[4] = { 0 };

  saban_lonlat_to_mercator (lon, lat, &pair[0], &pair[1]);
  g_ptr_array_add (stack, boundary);
  while (stack->len > 0)
    {
      OGRGeometryH part = g_ptr_array_steal_index (stack, stack->len - 1);

      for (int i = 0; i < OGR_G_GetGeometryCount (part); i++)
        g_ptr_array_add (stack, OGR_G_GetGeometryRef (part, i));
      for (int i = 0; i + 1 < OGR_G_GetPointCount (part); i++)
        {
          double ax = (OGR_G_GetX (part, i) - lon) * k, ay = OGR_G_GetY (part, i) - lat;
          double bx = (OGR_G_GetX (part, i + 1) - lon) * k, by = OGR_G_GetY (part, i + 1) - lat;
          double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
          double t = len2 > 0 ? CLAMP (-(ax * dx + ay * dy) / len2, 0, 1) : 0;
          double qx = ax + t * dx, qy = ay + t * dy;

          if (qx * qx + qy * qy < best)
            {
              best = qx * qx + qy * qy;
              saban_lonlat_to_mercator (lon + qx / k, lat + qy, &pair[2], &pair[3]);
            }
        }
    }
  g_ptr_array_unref (stack);
  OGR_G_DestroyGeometry (boundary);
  return saban_measure_length (pair, 2);
}

typedef struct
{
  char *name;
  double distance;
} Shelter;

static int
compare_shelters (gconstpointer a,
                  gconstpointer b)
{
  double x = ((const Shelter *) a)->distance, y = ((const Shelter *) b)->distance;

  return x < y ? -1 : x > y;
}

static void
check_nearest_shelters (SabanImpact  *impact,
                        OGRGeometryH  area)
{
  OGRLayerH layer = GDALDatasetGetLayerByName (dataset, "shelters");
  g_autoptr(GArray) outside = g_array_new (FALSE, FALSE, sizeof (Shelter));
  OGRFeatureH feature;
  guint n;
  const SabanImpactPlace *nearest = saban_impact_get_nearest_shelters (impact, &n);

  OGR_L_ResetReading (layer);
  while ((feature = OGR_L_GetNextFeature (layer)) != NULL)
    {
      OGRGeometryH g = to_lonlat (OGR_F_GetGeometryRef (feature));

      if (!OGR_G_Within (g, area))
        {
          Shelter s = { g_strdup (OGR_F_GetFieldAsString (feature, OGR_F_GetFieldIndex (feature, "name"))),
                        boundary_distance (area, OGR_G_GetX (g, 0), OGR_G_GetY (g, 0)) };
          g_array_append_val (outside, s);
        }
      OGR_G_DestroyGeometry (g);
      OGR_F_Destroy (feature);
    }
  g_array_sort (outside, compare_shelters);
  g_assert_cmpuint (n, ==, 3);
  for (guint i = 0; i < n; i++)
    {
      const Shelter *want = &g_array_index (outside, Shelter, i);

      g_assert_cmpstr (nearest[i].name, ==, want->name);
      g_assert_cmpfloat (fabs (nearest[i].distance_m - want->distance), <, MAX (1, 1e-3 * want->distance));
    }
  for (guint i = 0; i < outside->len; i++)
    g_free (g_array_index (outside, Shelter, i).name);
}

static void
check_all (SabanImpactArea *ours,
           const char      *wkt)
{
  g_autoptr(SabanImpact) impact = compute (ours);
  OGRGeometryH area = geometry_from_wkt (wkt);

  g_assert_cmpfloat (fabs (saban_impact_area_get_area_m2 (ours) - geodesic_area (area)), <, 1e-4 * geodesic_area (area));
  check_land (impact, area);
  check_communes (impact, area);
  check_points (impact, area);
  check_nearest_shelters (impact, area);
  OGR_G_DestroyGeometry (area);
}

static void
test_concave (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanImpactArea) area = saban_impact_area_new_from_wkt (AREA_CONCAVE, &error);

  g_assert_no_error (error);
  check_all (area, AREA_CONCAVE);
}

static void
test_hole (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanImpactArea) area = saban_impact_area_new_from_wkt (AREA_HOLE, &error);

  g_assert_no_error (error);
  check_all (area, AREA_HOLE);
}

static void
test_multipolygon (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanImpactArea) area = saban_impact_area_new_from_wkt (AREA_MULTI, &error);

  g_assert_no_error (error);
  check_all (area, AREA_MULTI);
}

static void
test_circle (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanImpactArea) area = saban_impact_area_new_circle (CIRCLE_LON, CIRCLE_LAT, CIRCLE_RADIUS, &error);
  g_autofree char *wkt = circle_wkt ();

  g_assert_no_error (error);
  /* π r² on the ellipsoid, near enough at 4 km. */
  g_assert_cmpfloat (fabs (saban_impact_area_get_area_m2 (area) / (G_PI * CIRCLE_RADIUS * CIRCLE_RADIUS) - 1), <, 1e-4);
  check_all (area, wkt);
}

/* Sensors in ALERT or DANGER and reports inside; normal sensors left out. */
static void
test_sensors_and_reports (void)
{
  g_autoptr(SabanImpactArea) area = saban_impact_area_new_circle (CIRCLE_LON, CIRCLE_LAT, CIRCLE_RADIUS, NULL);
  g_autoptr(SabanImpact) impact = saban_impact_new (area, layers);
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  const SabanImpactReport reports[] = {
    { (char *) "17", (char *) "Ngập đường", CIRCLE_LON + 0.01, CIRCLE_LAT },
    { (char *) "18", (char *) "Sạt lở", CIRCLE_LON, CIRCLE_LAT - 0.02 },
    { (char *) "19", (char *) "Cây đổ", CIRCLE_LON + 0.2, CIRCLE_LAT },
  };
  const struct { const char *name; double dlon; double value; } sensors[] = {
    { "MN-inside-danger", 0.0, 5 }, { "MN-inside-alert", 0.02, 3 }, { "MN-inside-normal", -0.02, 1 },
    { "MN-outside-danger", 0.1, 5 },
  };
  const SabanImpactSensor *found;
  const SabanImpactReport *inside;
  guint n;

  for (guint i = 0; i < G_N_ELEMENTS (sensors); i++)
    {
      SabanSensor meta = { .datastream_id = i + 1, .thing_id = i + 1, .name = (char *) sensors[i].name,
                           .lon = CIRCLE_LON + sensors[i].dlon, .lat = CIRCLE_LAT, .unit = (char *) "m",
                           .alert_level = 2, .danger_level = 4, .value = NAN };

      saban_sensor_store_add (store, &meta);
      g_assert_true (saban_sensor_store_observe (store, i + 1, i + 1, g_get_real_time (), sensors[i].value, NULL));
    }
  saban_impact_set_sensors (impact, store);
  saban_impact_set_reports (impact, reports, G_N_ELEMENTS (reports));
  g_assert_true (saban_impact_compute (impact, NULL, NULL));

  found = saban_impact_get_sensors (impact, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (found[0].name, ==, "MN-inside-danger");
  g_assert_cmpint (found[0].state, ==, SABAN_SENSOR_STATE_DANGER);
  g_assert_cmpstr (found[1].name, ==, "MN-inside-alert");
  g_assert_cmpint (found[1].state, ==, SABAN_SENSOR_STATE_ALERT);
  inside = saban_impact_get_reports (impact, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (inside[0].id, ==, "17");
  g_assert_cmpstr (inside[1].title, ==, "Sạt lở");
}

static void
computed (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (saban_impact_compute_finish (SABAN_IMPACT (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* The worker's answer is the blocking one, and its JSON says the same. */
static void
test_async_and_json (void)
{
  g_autoptr(SabanImpactArea) area = saban_impact_area_new_from_wkt (AREA_HOLE, NULL);
  g_autoptr(SabanImpact) sync = compute (area);
  g_autoptr(SabanImpact) async = saban_impact_new (area, layers);
  g_autoptr(JsonNode) a = NULL, b = NULL;
  gboolean done = FALSE;
  JsonObject *land;
  guint n;

  saban_impact_compute_async (async, NULL, computed, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  a = saban_impact_to_json (sync);
  b = saban_impact_to_json (async);
  g_assert_true (json_node_equal (a, b));

  land = json_object_get_object_member (json_node_get_object (a), "land");
  g_assert_cmpint (json_object_get_int_member (land, "parcels"), ==, saban_impact_get_n_parcels (sync));
  saban_impact_get_landuse (sync, &n);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (land, "area_ha_by_code")), ==, n);
  g_assert_true (json_object_has_member (json_object_get_object_member (json_node_get_object (a), "facilities"),
                                         "health_facilities"));
}

static void
test_bad_input (void)
{
  const char *bad[] = {
    "POLYGON EMPTY",
    "POLYGON ((104.8 21.6, 104.9 21.7, 104.9 21.6, 104.8 21.7, 104.8 21.6))",   /* a bow tie */
    "POLYGON ((104.8 21.6, 104.9 21.6, 104.9 21.7, 104.8 21.7))",               /* not closed */
    "POLYGON ((104.8 21.6, 104.9 21.6, 104.8 21.6))",
    "POLYGON ((500000 2400000, 510000 2400000, 510000 2410000, 500000 2400000))", /* metres */
    "POLYGON ((104.8 21.6, 104.9 21.6, 104.9 21.7, 104.8 21.6), (105 22, 105.1 22, 105.1 22.1, 105 22))",
    "LINESTRING (104.8 21.6, 104.9 21.6)",
    "POLYGON ((104.8 21.6,",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanImpactArea) area = NULL;
  g_autoptr(GPtrArray) without = g_ptr_array_new ();
  g_autoptr(SabanImpact) impact = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_null (saban_impact_area_new_from_wkt (bad[i], &error));
      g_assert_nonnull (error);
      g_test_message ("%s → %s", bad[i], error->message);
      g_clear_error (&error);
    }
  g_assert_null (saban_impact_area_new_circle (CIRCLE_LON, CIRCLE_LAT, 0, &error));
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (saban_impact_area_new_circle (CIRCLE_LON, CIRCLE_LAT, -5, &error));
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_INVALID);
  g_clear_error (&error);

  /* No parcels layer; then a layer named by the caller that is not there. */
  area = saban_impact_area_new_circle (CIRCLE_LON, CIRCLE_LAT, 1000, NULL);
  for (guint i = 0; i < layers->len; i++)
    if (!g_str_equal (saban_vector_layer_get_name (g_ptr_array_index (layers, i)), "parcels"))
      g_ptr_array_add (without, g_ptr_array_index (layers, i));
  impact = saban_impact_new (area, without);
  g_assert_false (saban_impact_compute (impact, NULL, &error));
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_NO_DATA);
  g_assert_nonnull (strstr (error->message, "parcels"));
  g_clear_error (&error);
  g_clear_object (&impact);

  impact = saban_impact_new (area, layers);
  saban_impact_set_layer_name (impact, SABAN_IMPACT_SCHOOLS, "truong_hoc");
  g_assert_false (saban_impact_compute (impact, NULL, &error));
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_NO_DATA);
  g_clear_error (&error);
  /* A layer of the wrong kind. */
  saban_impact_set_layer_name (impact, SABAN_IMPACT_SCHOOLS, "rivers");
  g_assert_false (saban_impact_compute (impact, NULL, &error));
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_INVALID);
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
  dataset = GDALOpenEx (g_getenv ("SABAN_DEMO_DATA"), GDAL_OF_VECTOR, NULL, NULL, NULL);
  g_assert_nonnull (dataset);
  to_wgs84 = saban_transform_new_epsg (SABAN_EPSG_VN2000_TM3_10445, SABAN_EPSG_WGS84, &error);
  g_assert_no_error (error);

  g_test_add_func ("/impact/concave", test_concave);
  g_test_add_func ("/impact/hole", test_hole);
  g_test_add_func ("/impact/multipolygon", test_multipolygon);
  g_test_add_func ("/impact/circle", test_circle);
  g_test_add_func ("/impact/sensors-and-reports", test_sensors_and_reports);
  g_test_add_func ("/impact/async-and-json", test_async_and_json);
  g_test_add_func ("/impact/bad-input", test_bad_input);
  result = g_test_run ();

  saban_transform_free (to_wgs84);
  GDALClose (dataset);
  g_ptr_array_unref (layers);
  return result;
}
