/* saban-identify-tool.c: a click on the map identifies what is under it —
 * a live sensor first (a cluster zooms in), else the feature the user most
 * likely aims at among the visible layers, which is selected. */
#include "saban-identify-tool.h"

#include <math.h>

struct _SabanIdentifyTool
{
  SabanMapTool      parent_instance;
  SabanLayerModel  *layers;
  SabanSensorLayer *sensors;   /* nullable */
};

enum { SIGNAL_FEATURE_ACTIVATED, SIGNAL_SENSOR_ACTIVATED, SIGNAL_RASTER_ACTIVATED, N_SIGNALS };

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanIdentifyTool, saban_identify_tool, SABAN_TYPE_MAP_TOOL)

/* What the user most likely aims at: a point over a line over a polygon, and
 * among polygons the smallest, so a click finds the parcel or zoning block
 * rather than the province around it. */
static double
pick_rank (SabanVectorLayer *layer,
           gint64            feature)
{
  const double *box = saban_vector_layer_get_arrays (layer)->boxes + 4 * feature;

  switch (saban_vector_layer_get_kind (layer))
    {
    case SABAN_GEOMETRY_POINT:
      return -2;
    case SABAN_GEOMETRY_LINE:
      return -1;
    case SABAN_GEOMETRY_POLYGON:
    default:
      return (box[2] - box[0]) * (box[3] - box[1]);
    }
}

/* a WMS layer answers for any point (GetFeatureInfo); a raster, on it */
static gboolean
answers_at (SabanLayer   *layer,
            const double *point)
{
  SabanTileFetcher *service = saban_layer_get_service (layer);
  double e[4];

  if (service != NULL)
    return saban_map_service_get_kind (saban_tile_fetcher_get_service (service)) == SABAN_SERVICE_WMS;
  return saban_layer_get_raster (layer) != NULL && saban_layer_get_extent (layer, &e[0], &e[1], &e[2], &e[3]) &&
         point[0] >= e[0] && point[0] <= e[2] && point[1] >= e[1] && point[1] <= e[3];
}

/* No feature there: the topmost raster or WMS layer shown under it. */
static void
pick_raster (SabanIdentifyTool *self,
             const double      *point)
{
  for (guint i = 0; self->layers != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (self->layers)); i++)
    {
      g_autoptr(SabanLayer) layer = g_list_model_get_item (G_LIST_MODEL (self->layers), i);

      if (!saban_layer_get_visible (layer) || !answers_at (layer, point))
        continue;
      g_signal_emit (self, signals[SIGNAL_RASTER_ACTIVATED], 0, layer, point[0], point[1]);
      return;
    }
}

static void
pick_feature (SabanIdentifyTool *self,
              const double      *point)
{
  SabanMapTool *tool = SABAN_MAP_TOOL (self);
  double zoom = shumate_viewport_get_zoom_level (saban_map_tool_get_viewport (tool));
  double tolerance = 5 * saban_map_tool_get_pixel_size (tool);
  SabanVectorLayer *best_layer = NULL;
  gint64 best = -1;
  double best_rank = INFINITY;

  /* Top layer first, so equal ranks go to the layer drawn above. */
  for (guint i = 0; self->layers != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (self->layers)); i++)
    {
      g_autoptr(SabanLayer) layer = g_list_model_get_item (G_LIST_MODEL (self->layers), i);
      SabanVectorLayer *vector = saban_layer_get_vector (layer);
      gint64 feature;
      double rank;

      if (vector == NULL || !saban_layer_get_visible (layer) ||
          zoom < saban_layer_style_get_min_zoom (saban_layer_get_style (layer)))
        continue;
      feature = saban_vector_layer_hit_test (vector, point[0], point[1], tolerance);
      if (feature < 0)
        continue;
      rank = pick_rank (vector, feature);
      if (rank < best_rank)
        {
          best_rank = rank;
          best = feature;
          best_layer = vector;
        }
    }
  saban_overlay_layer_set_selection (saban_map_tool_get_overlay (tool), best_layer, best);
  g_signal_emit (self, signals[SIGNAL_FEATURE_ACTIVATED], 0, best_layer, best);
  if (best < 0)
    pick_raster (self, point);
}

/* A sensor under the pointer wins over the data below it; a cluster zooms in */
static gboolean
pick_sensor (SabanIdentifyTool *self,
             double             x,
             double             y)
{
  ShumateViewport *viewport = saban_map_tool_get_viewport (SABAN_MAP_TOOL (self));
  guint sensor;
  double lat, lon;

  if (self->sensors == NULL || !saban_sensor_layer_pick (self->sensors, x, y, &sensor, &lat, &lon))
    return FALSE;
  if (sensor == G_MAXUINT)
    {
      shumate_viewport_set_zoom_level (viewport, MIN (shumate_viewport_get_zoom_level (viewport) + 2, 18));
      shumate_map_center_on (saban_map_tool_get_map (SABAN_MAP_TOOL (self)), lat, lon);
    }
  else
    g_signal_emit (self, signals[SIGNAL_SENSOR_ACTIVATED], 0, sensor);
  return TRUE;
}

static void
identify_click (SabanMapTool *tool, int n_press, double x, double y)
{
  SabanIdentifyTool *self = SABAN_IDENTIFY_TOOL (tool);
  double point[2];

  if (n_press != 1 || pick_sensor (self, x, y))
    return;
  saban_map_tool_to_mercator (tool, x, y, point);
  pick_feature (self, point);
}

static void
saban_identify_tool_dispose (GObject *object)
{
  SabanIdentifyTool *self = SABAN_IDENTIFY_TOOL (object);

  g_clear_object (&self->layers);
  g_clear_object (&self->sensors);
  G_OBJECT_CLASS (saban_identify_tool_parent_class)->dispose (object);
}

static void
saban_identify_tool_class_init (SabanIdentifyToolClass *klass)
{
  SabanMapToolClass *tool_class = SABAN_MAP_TOOL_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = saban_identify_tool_dispose;
  tool_class->click = identify_click;

  /* (SabanVectorLayer *layer, gint64 feature): what was clicked, or NULL, -1 */
  signals[SIGNAL_FEATURE_ACTIVATED] = g_signal_new ("feature-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                    0, NULL, NULL, NULL, G_TYPE_NONE, 2, SABAN_TYPE_VECTOR_LAYER,
                                                    G_TYPE_INT64);
  /* (SabanLayer *layer, double x, double y): no feature was clicked, but this
   * raster (or WMS layer) is under the point (Web Mercator metres) */
  signals[SIGNAL_RASTER_ACTIVATED] = g_signal_new ("raster-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                   0, NULL, NULL, NULL, G_TYPE_NONE, 3, SABAN_TYPE_LAYER,
                                                   G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  /* (guint sensor): a live sensor was clicked (its index in the store) */
  signals[SIGNAL_SENSOR_ACTIVATED] = g_signal_new ("sensor-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
saban_identify_tool_init (SabanIdentifyTool *self)
{
}

/**
 * saban_identify_tool_new:
 *
 * Returns: (transfer full): the tool that identifies features and sensors
 */
SabanMapTool *
saban_identify_tool_new (ShumateMap *map, SabanOverlayLayer *overlay)
{
  return g_object_new (SABAN_TYPE_IDENTIFY_TOOL, "map", map, "overlay", overlay, NULL);
}

/**
 * saban_identify_tool_set_layers:
 * @layers: the layers searched, top first
 */
void
saban_identify_tool_set_layers (SabanIdentifyTool *self, SabanLayerModel *layers)
{
  g_return_if_fail (SABAN_IS_IDENTIFY_TOOL (self));
  g_set_object (&self->layers, layers);
}

/**
 * saban_identify_tool_set_sensors:
 * @sensors: (nullable): the live sensors, looked at first
 */
void
saban_identify_tool_set_sensors (SabanIdentifyTool *self, SabanSensorLayer *sensors)
{
  g_return_if_fail (SABAN_IS_IDENTIFY_TOOL (self));
  g_set_object (&self->sensors, sensors);
}
