/* saban-scenario-area.c: the area a scenario covers, made from what the user
 * gave: a drawn polygon, a circle, a set of communes.
 *
 * Areas are GeoJSON in WGS 84 because that is what the Command API stores
 * and what every other client reads. Validity (a boundary that crosses
 * itself) and the union of communes are GEOS's, through OGR.
 */
#include "saban-scenario-area.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <ogr_api.h>
#include <cpl_conv.h>
#include <cpl_error.h>

#include "saban-error.h"
#include "saban-measure.h"

static JsonArray *
ring_array (const double *lonlat,
            guint         n_points)
{
  JsonArray *ring = json_array_sized_new (n_points);

  for (guint i = 0; i < n_points; i++)
    {
      JsonArray *point = json_array_sized_new (2);

      json_array_add_double_element (point, lonlat[2 * i]);
      json_array_add_double_element (point, lonlat[2 * i + 1]);
      json_array_add_array_element (ring, point);
    }
  return ring;
}

static JsonNode *
polygon_node (const double *closed_lonlat,
              guint         n_points)
{
  JsonObject *geometry = json_object_new ();
  JsonArray *rings = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_array_add_array_element (rings, ring_array (closed_lonlat, n_points));
  json_object_set_string_member (geometry, "type", "Polygon");
  json_object_set_array_member (geometry, "coordinates", rings);
  json_node_take_object (node, geometry);
  return node;
}

/**
 * saban_scenario_area_circle:
 * @radius_m: geodesic radius, metres
 * @n_vertices: corners of the polygon (64 is smooth at any zoom a scenario is seen at)
 *
 * Returns: (transfer full): a Polygon whose corners lie @radius_m from the centre
 */
JsonNode *
saban_scenario_area_circle (double lon,
                            double lat,
                            double radius_m,
                            guint  n_vertices)
{
  g_autofree double *lonlat = g_new (double, 2 * (gsize) (n_vertices + 1));

  saban_measure_circle (lon, lat, radius_m, n_vertices, lonlat);
  return polygon_node (lonlat, n_vertices + 1);
}

static OGRGeometryH
ogr_ring_polygon (const double *lonlat,
                  guint         n_points)
{
  OGRGeometryH polygon = OGR_G_CreateGeometry (wkbPolygon);
  OGRGeometryH ring = OGR_G_CreateGeometry (wkbLinearRing);

  for (guint i = 0; i < n_points; i++)
    OGR_G_AddPoint_2D (ring, lonlat[2 * i], lonlat[2 * i + 1]);
  OGR_G_CloseRings (ring);
  OGR_G_AddGeometryDirectly (polygon, ring);
  return polygon;
}

/**
 * saban_scenario_area_polygon:
 * @lonlat: (array): the corners as drawn, longitude, latitude pairs (a ring
 *   closed on its first corner, as a CAP polygon is, is taken too)
 *
 * Returns: (transfer full) (nullable): the Polygon, or %NULL with @error set
 *   (translated) when it has fewer than three corners or its boundary
 *   crosses itself
 */
JsonNode *
saban_scenario_area_polygon (const double  *lonlat,
                             guint          n_points,
                             GError       **error)
{
  g_autoptr(GArray) corners = g_array_new (FALSE, FALSE, sizeof (double));
  OGRGeometryH polygon;
  gboolean valid;
  double first[2];
  guint n;

  /* A double click may leave the last corner twice. */
  for (guint i = 0; i < n_points; i++)
    if (corners->len == 0 ||
        lonlat[2 * i] != g_array_index (corners, double, corners->len - 2) ||
        lonlat[2 * i + 1] != g_array_index (corners, double, corners->len - 1))
      g_array_append_vals (corners, lonlat + 2 * i, 2);
  n = corners->len / 2;
  if (n > 1 && g_array_index (corners, double, 0) == g_array_index (corners, double, 2 * n - 2) &&
      g_array_index (corners, double, 1) == g_array_index (corners, double, 2 * n - 1))
    g_array_set_size (corners, 2 * --n);
  if (n < 3)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("An area needs at least three corners"));
      return NULL;
    }
  polygon = ogr_ring_polygon ((const double *) corners->data, n);
  CPLPushErrorHandler (CPLQuietErrorHandler);
  valid = OGR_G_IsValid (polygon) && OGR_G_Area (polygon) > 0;
  CPLPopErrorHandler ();
  OGR_G_DestroyGeometry (polygon);
  if (!valid)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID,
                   _("The boundary you drew crosses itself: draw the area again"));
      return NULL;
    }
  first[0] = g_array_index (corners, double, 0);
  first[1] = g_array_index (corners, double, 1);
  g_array_append_vals (corners, first, 2);
  return polygon_node ((const double *) corners->data, n + 1);
}

static JsonNode *
ogr_to_json (OGRGeometryH geometry,
             GError     **error)
{
  char *options[] = { (char *) "COORDINATE_PRECISION=7", NULL };
  char *text = OGR_G_ExportToJsonEx (geometry, options);
  JsonNode *node = text != NULL ? json_from_string (text, error) : NULL;

  CPLFree (text);
  return node;
}

/**
 * saban_scenario_area_union:
 * @layer: a polygon layer (the communes)
 * @features: (array length=n_features): the features whose union is the area
 *
 * Returns: (transfer full) (nullable): a Polygon or MultiPolygon, or %NULL
 *   with @error set (translated) when nothing is chosen
 */
JsonNode *
saban_scenario_area_union (SabanVectorLayer *layer,
                           const guint32    *features,
                           guint             n_features,
                           GError          **error)
{
  const SabanFeatureArrays *a = saban_vector_layer_get_arrays (layer);
  OGRGeometryH outers = OGR_G_CreateGeometry (wkbMultiPolygon);
  OGRGeometryH holes = OGR_G_CreateGeometry (wkbMultiPolygon);
  OGRGeometryH area = NULL;
  JsonNode *node = NULL;

  if (n_features == 0 || saban_vector_layer_get_kind (layer) != SABAN_GEOMETRY_POLYGON)
    {
      OGR_G_DestroyGeometry (outers);
      OGR_G_DestroyGeometry (holes);
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("Choose at least one commune"));
      return NULL;
    }
  for (guint i = 0; i < n_features; i++)
    for (guint32 part = a->part_starts[features[i]]; part < a->part_starts[features[i] + 1]; part++)
      {
        guint32 n = a->point_starts[part + 1] - a->point_starts[part];
        const double *xy = a->xy + 2 * (gsize) a->point_starts[part];
        g_autofree double *lonlat = g_new (double, 2 * (gsize) n);

        if (n < 3)
          continue;
        for (guint32 p = 0; p < n; p++)
          saban_mercator_to_lonlat (xy[2 * p], xy[2 * p + 1], &lonlat[2 * p], &lonlat[2 * p + 1]);
        OGR_G_AddGeometryDirectly (saban_measure_ring_sign (a, features[i], part) > 0 ? outers : holes,
                                   ogr_ring_polygon (lonlat, n));
      }

  CPLPushErrorHandler (CPLQuietErrorHandler);
  area = OGR_G_UnionCascaded (outers);
  if (area != NULL && OGR_G_GetGeometryCount (holes) > 0)
    {
      OGRGeometryH hole_union = OGR_G_UnionCascaded (holes);
      OGRGeometryH difference = hole_union != NULL ? OGR_G_Difference (area, hole_union) : NULL;

      if (hole_union != NULL)
        OGR_G_DestroyGeometry (hole_union);
      OGR_G_DestroyGeometry (area);
      area = difference;
    }
  CPLPopErrorHandler ();
  OGR_G_DestroyGeometry (outers);
  OGR_G_DestroyGeometry (holes);
  if (area == NULL || OGR_G_IsEmpty (area))
    g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("The chosen communes have no area"));
  else
    node = ogr_to_json (area, error);
  if (area != NULL)
    OGR_G_DestroyGeometry (area);
  return node;
}


typedef struct
{
  SabanVectorLayer *layer;
  GArray           *features;
} UnionJob;

static void
union_job_free (gpointer data)
{
  UnionJob *job = data;

  g_object_unref (job->layer);
  g_array_unref (job->features);
  g_free (job);
}

static void
union_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  UnionJob *job = data;
  GError *error = NULL;
  JsonNode *area = saban_scenario_area_union (job->layer, (const guint32 *) job->features->data, job->features->len,
                                              &error);

  if (area == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, area, (GDestroyNotify) json_node_unref);
}

/**
 * saban_scenario_area_union_async:
 * @layer: a polygon layer (the communes)
 * @features: (array length=n_features): the features whose union is the area
 * @cancellable: (nullable): cancels it
 * @callback: called with the result
 * @user_data: for @callback
 *
 * saban_scenario_area_union() in a worker thread: GEOS may take a while
 * over detailed communes.
 */
void
saban_scenario_area_union_async (SabanVectorLayer   *layer,
                                 const guint32      *features,
                                 guint               n_features,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  UnionJob *job = g_new0 (UnionJob, 1);

  job->layer = g_object_ref (layer);
  job->features = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n_features);
  g_array_append_vals (job->features, features, n_features);
  g_task_set_source_tag (task, saban_scenario_area_union_async);
  g_task_set_task_data (task, job, union_job_free);
  g_task_run_in_thread (task, union_thread);
}

/**
 * saban_scenario_area_union_finish:
 *
 * Returns: (transfer full) (nullable): the area, or %NULL with @error set
 */
JsonNode *
saban_scenario_area_union_finish (GAsyncResult *result,
                                  GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * saban_scenario_area_to_wkt:
 *
 * Returns: (transfer full) (nullable): @area as WKT (for SabanImpactArea),
 *   or %NULL with @error set (translated) when it is no GeoJSON geometry
 */
char *
saban_scenario_area_to_wkt (JsonNode  *area,
                            GError   **error)
{
  g_autofree char *json = area != NULL ? json_to_string (area, FALSE) : NULL;
  OGRGeometryH geometry;
  char *wkt = NULL;
  char *copy;

  CPLPushErrorHandler (CPLQuietErrorHandler);
  geometry = json != NULL ? OGR_G_CreateGeometryFromJson (json) : NULL;
  CPLPopErrorHandler ();
  if (geometry == NULL || OGR_G_ExportToWkt (geometry, &wkt) != OGRERR_NONE)
    {
      if (geometry != NULL)
        OGR_G_DestroyGeometry (geometry);
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("The area is not a GeoJSON geometry"));
      return NULL;
    }
  OGR_G_DestroyGeometry (geometry);
  copy = g_strdup (wkt);
  CPLFree (wkt);
  return copy;
}

/**
 * saban_scenario_area_centre:
 * @area: (nullable): a GeoJSON geometry in WGS 84
 * @lon: (out): its centroid's longitude (a point's own)
 * @lat: (out): its latitude
 *
 * Where "nearest" is measured from for a scenario (units to send).
 *
 * Returns: whether @area was a geometry with a centre
 */
gboolean
saban_scenario_area_centre (JsonNode *area, double *lon, double *lat)
{
  g_autofree char *json = area != NULL && JSON_NODE_HOLDS_OBJECT (area) ? json_to_string (area, FALSE) : NULL;
  OGRGeometryH geometry, centre;
  gboolean ok;

  CPLPushErrorHandler (CPLQuietErrorHandler);
  geometry = json != NULL ? OGR_G_CreateGeometryFromJson (json) : NULL;
  centre = geometry != NULL ? OGR_G_CreateGeometry (wkbPoint) : NULL;
  ok = centre != NULL && OGR_G_Centroid (geometry, centre) == OGRERR_NONE && !OGR_G_IsEmpty (centre);
  CPLPopErrorHandler ();
  if (ok)
    {
      *lon = OGR_G_GetX (centre, 0);
      *lat = OGR_G_GetY (centre, 0);
    }
  if (centre != NULL)
    OGR_G_DestroyGeometry (centre);
  if (geometry != NULL)
    OGR_G_DestroyGeometry (geometry);
  return ok;
}

static gboolean
add_rings (JsonArray *rings,
           GArray    *xy,
           GArray    *ring_starts)
{
  for (guint r = 0; r < json_array_get_length (rings); r++)
    {
      JsonNode *ring_node = json_array_get_element (rings, r);
      JsonArray *ring;
      guint32 start = xy->len / 2;

      if (!JSON_NODE_HOLDS_ARRAY (ring_node))
        return FALSE;
      ring = json_node_get_array (ring_node);
      for (guint p = 0; p < json_array_get_length (ring); p++)
        {
          JsonNode *point_node = json_array_get_element (ring, p);
          JsonArray *point;
          double m[2];

          if (!JSON_NODE_HOLDS_ARRAY (point_node) || json_array_get_length (point = json_node_get_array (point_node)) < 2)
            return FALSE;
          saban_lonlat_to_mercator (json_array_get_double_element (point, 0),
                                    json_array_get_double_element (point, 1), &m[0], &m[1]);
          if (!isfinite (m[0]) || !isfinite (m[1]))
            return FALSE;
          g_array_append_vals (xy, m, 2);
        }
      g_array_append_val (ring_starts, start);
    }
  return TRUE;
}

/**
 * saban_scenario_area_to_mercator:
 * @xy: (element-type double): receives Web Mercator x, y pairs
 * @ring_starts: (element-type guint32): receives each ring's first point
 *   (the last ring ends at the end of @xy)
 *
 * Every ring of a Polygon or MultiPolygon, for drawing; a Point gives none.
 *
 * Returns: %FALSE when @area is malformed (then nothing is appended)
 */
gboolean
saban_scenario_area_to_mercator (JsonNode *area,
                                 GArray   *xy,
                                 GArray   *ring_starts)
{
  guint xy_len = xy->len, starts_len = ring_starts->len;
  JsonObject *o;
  JsonNode *coordinates;
  const char *type;
  gboolean ok = TRUE;

  if (area == NULL || !JSON_NODE_HOLDS_OBJECT (area))
    return FALSE;
  o = json_node_get_object (area);
  type = json_object_get_string_member_with_default (o, "type", "");
  coordinates = json_object_get_member (o, "coordinates");
  if (g_str_equal (type, "Point"))
    return TRUE;
  if (coordinates == NULL || !JSON_NODE_HOLDS_ARRAY (coordinates))
    return FALSE;
  if (g_str_equal (type, "Polygon"))
    ok = add_rings (json_node_get_array (coordinates), xy, ring_starts);
  else if (g_str_equal (type, "MultiPolygon"))
    {
      JsonArray *polygons = json_node_get_array (coordinates);

      for (guint i = 0; ok && i < json_array_get_length (polygons); i++)
        {
          JsonNode *polygon = json_array_get_element (polygons, i);

          ok = JSON_NODE_HOLDS_ARRAY (polygon) && add_rings (json_node_get_array (polygon), xy, ring_starts);
        }
    }
  else
    ok = FALSE;
  if (!ok)
    {
      g_array_set_size (xy, xy_len);
      g_array_set_size (ring_starts, starts_len);
      return FALSE;
    }
  return TRUE;
}

/**
 * saban_scenario_area_playbook_for_sensor:
 *
 * The playbook an alarm of a sensor of @kind most likely calls for: a river
 * gauge or a rain gauge in the mountains means flash floods and landslides.
 *
 * Returns: (nullable): a playbook code
 */
const char *
saban_scenario_area_playbook_for_sensor (SabanSensorKind kind)
{
  switch (kind)
    {
    case SABAN_SENSOR_KIND_WATER_LEVEL:
    case SABAN_SENSOR_KIND_RAIN:
      return "lu-quet-sat-lo";
    case SABAN_SENSOR_KIND_AIR_QUALITY:
      return "moi-truong";
    case SABAN_SENSOR_KIND_CAMERA:
      return "trat-tu-do-thi";
    case SABAN_SENSOR_KIND_OTHER:
    default:
      return NULL;
    }
}

/**
 * saban_scenario_area_playbook_for_event:
 * @event: (nullable): a CAP alert's event, Vietnamese or English
 *   ("Lũ, ngập lụt", "Flash flood", "Cháy rừng"…)
 *
 * The playbook the alert most likely calls for: flash floods and
 * landslides, forest fire, storm, then any other flood or inundation.
 *
 * Returns: (nullable): a playbook code, NULL when the event says nothing
 *   we have a playbook for
 */
const char *
saban_scenario_area_playbook_for_event (const char *event)
{
  static const struct { const char *code; const char *words[6]; } rules[] = {
    { "lu-quet-sat-lo", { "lũ quét", "sạt lở", "flash flood", "landslide", "mudslide", NULL } },
    { "chay-rung", { "cháy rừng", "forest fire", "wildfire", "wildland fire", NULL } },
    { "bao", { "bão", "áp thấp nhiệt đới", "typhoon", "storm", "cyclone", NULL } },
    { "ngap-lut", { "lũ", "ngập", "flood", "inundation", NULL } },
  };
  g_autofree char *normal = event != NULL ? g_utf8_normalize (event, -1, G_NORMALIZE_NFC) : NULL;
  g_autofree char *text = normal != NULL ? g_utf8_strdown (normal, -1) : NULL;

  if (text == NULL)
    return NULL;
  for (guint r = 0; r < G_N_ELEMENTS (rules); r++)
    for (guint w = 0; rules[r].words[w] != NULL; w++)
      if (strstr (text, rules[r].words[w]) != NULL)
        return rules[r].code;
  return NULL;
}

/**
 * saban_scenario_area_playbook_for_service:
 * @service: (nullable): an Open311 service code of saban-server's
 *
 * The playbook a citizen's report of @service most likely calls for
 * (the guidance's citizen-interaction scenarios): a flooded street → floods,
 * a landslide → flash floods and landslides, rubbish or pollution → the
 * environment, a broken street light → public lighting, pavements taken or
 * public order → urban order.
 *
 * Returns: (nullable): a playbook code, NULL when none fits
 */
const char *
saban_scenario_area_playbook_for_service (const char *service)
{
  static const struct { const char *service, *playbook; } rules[] = {
    { "ngap-ung", "ngap-lut" }, { "sat-lo", "lu-quet-sat-lo" }, { "cay-do", "bao" },
    { "den-chieu-sang", "chieu-sang" }, { "rac-thai", "moi-truong" }, { "o-nhiem", "moi-truong" },
    { "lan-chiem-via-he", "trat-tu-do-thi" }, { "an-ninh-trat-tu", "trat-tu-do-thi" },
    { "hu-hong-duong", "trat-tu-do-thi" },
  };

  for (guint i = 0; service != NULL && i < G_N_ELEMENTS (rules); i++)
    if (g_str_equal (rules[i].service, service))
      return rules[i].playbook;
  return NULL;
}
