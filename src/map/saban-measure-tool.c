/* saban-measure-tool.c: measuring a distance or an area on the map, on the
 * WGS 84 ellipsoid: each click adds a point; a double click ends the
 * sketch (sketch-finished: the profile tool is this tool, its line drawn as
 * a terrain profile), and the next click starts a new one. */
#include "saban-measure-tool.h"

#include "saban-measure.h"

struct _SabanMeasureTool
{
  SabanMapTool parent_instance;
  gboolean     area;
  GArray      *sketch;   /* Mercator x, y */
  gboolean     done;
};

enum { PROP_0, PROP_AREA, N_PROPS };
enum { SIGNAL_MEASURE_CHANGED, SIGNAL_SKETCH_FINISHED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanMeasureTool, saban_measure_tool, SABAN_TYPE_MAP_TOOL)

static void
update_sketch (SabanMeasureTool *self)
{
  const double *xy = (const double *) self->sketch->data;
  guint n = self->sketch->len / 2;
  double length = saban_measure_length (xy, n);
  double square_metres = 0;

  if (self->area && n >= 3)
    {
      square_metres = saban_measure_ring_area (xy, n);
      /* The perimeter closes the ring. */
      length += saban_measure_length ((const double[]) { xy[2 * n - 2], xy[2 * n - 1], xy[0], xy[1] }, 2);
    }
  saban_overlay_layer_set_sketch (saban_map_tool_get_overlay (SABAN_MAP_TOOL (self)), xy, n, self->area && n >= 3);
  g_signal_emit (self, signals[SIGNAL_MEASURE_CHANGED], 0, length, square_metres, n);
}

static void
measure_click (SabanMapTool *tool, int n_press, double x, double y)
{
  SabanMeasureTool *self = SABAN_MEASURE_TOOL (tool);
  double point[2];

  if (n_press == 2)
    {
      if (!self->done && self->sketch->len >= 4)
        g_signal_emit (self, signals[SIGNAL_SKETCH_FINISHED], 0, self->sketch);
      self->done = TRUE;
      return;
    }
  if (self->done)
    {
      g_array_set_size (self->sketch, 0);
      self->done = FALSE;
    }
  saban_map_tool_to_mercator (tool, x, y, point);
  g_array_append_vals (self->sketch, point, 2);
  update_sketch (self);
}

static void
measure_reset (SabanMapTool *tool)
{
  SabanMeasureTool *self = SABAN_MEASURE_TOOL (tool);

  g_array_set_size (self->sketch, 0);
  self->done = FALSE;
}

static void
saban_measure_tool_finalize (GObject *object)
{
  g_array_unref (SABAN_MEASURE_TOOL (object)->sketch);
  G_OBJECT_CLASS (saban_measure_tool_parent_class)->finalize (object);
}

static void
saban_measure_tool_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_AREA:
      SABAN_MEASURE_TOOL (object)->area = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_measure_tool_class_init (SabanMeasureToolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SabanMapToolClass *tool_class = SABAN_MAP_TOOL_CLASS (klass);

  object_class->finalize = saban_measure_tool_finalize;
  object_class->set_property = saban_measure_tool_set_property;
  tool_class->click = measure_click;
  tool_class->reset = measure_reset;

  /* an area (a closed ring) rather than a distance */
  properties[PROP_AREA] = g_param_spec_boolean ("area", NULL, NULL, FALSE,
                                                G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (double length in metres, double area in m² or 0, guint points) */
  signals[SIGNAL_MEASURE_CHANGED] = g_signal_new ("measure-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_DOUBLE, G_TYPE_DOUBLE,
                                                  G_TYPE_UINT);
  /* (GArray *xy): the sketch a double click ended, Mercator x, y pairs */
  signals[SIGNAL_SKETCH_FINISHED] = g_signal_new ("sketch-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ARRAY);
}

static void
saban_measure_tool_init (SabanMeasureTool *self)
{
  self->sketch = g_array_new (FALSE, FALSE, sizeof (double));
}

/**
 * saban_measure_tool_new:
 * @area: measure an area rather than a distance
 *
 * Returns: (transfer full): a measuring tool
 */
SabanMapTool *
saban_measure_tool_new (ShumateMap *map, SabanOverlayLayer *overlay, gboolean area)
{
  return g_object_new (SABAN_TYPE_MEASURE_TOOL, "map", map, "overlay", overlay, "area", area, NULL);
}
