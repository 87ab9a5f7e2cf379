/* saban-map-tool.c: what a click on the map does — the base of the tools a
 * SabanMapView hosts one at a time (identify, measure, draw a polygon or a
 * circle, pick a point).
 *
 * A tool holds its own state (the sketch, the circle's centre, the drag);
 * the view only forwards its input to the active tool and says the tool's
 * results as its own signals. A tool knows the map (its viewport, to turn
 * widget positions into Web Mercator) and the overlay it sketches on, never
 * the view: the view includes the tools, not the other way round.
 */
#include "saban-map-tool.h"

#include <math.h>

#include "saban-measure.h"

#define WEB_MERCATOR_HALF 20037508.342789244

typedef struct
{
  ShumateMap        *map;       /* not owned: the view's, which owns the tool */
  SabanOverlayLayer *overlay;
} SabanMapToolPrivate;

enum { PROP_0, PROP_MAP, PROP_OVERLAY, N_PROPS };

static GParamSpec *properties[N_PROPS];

G_DEFINE_TYPE_WITH_PRIVATE (SabanMapTool, saban_map_tool, G_TYPE_OBJECT)

static void
saban_map_tool_finalize (GObject *object)
{
  SabanMapToolPrivate *priv = saban_map_tool_get_instance_private (SABAN_MAP_TOOL (object));

  g_clear_object (&priv->overlay);
  G_OBJECT_CLASS (saban_map_tool_parent_class)->finalize (object);
}

static void
saban_map_tool_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SabanMapToolPrivate *priv = saban_map_tool_get_instance_private (SABAN_MAP_TOOL (object));

  switch (prop_id)
    {
    case PROP_MAP:
      priv->map = g_value_get_object (value);
      break;
    case PROP_OVERLAY:
      priv->overlay = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_map_tool_class_init (SabanMapToolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = saban_map_tool_finalize;
  object_class->set_property = saban_map_tool_set_property;

  /* the map it works on (not a reference: the map's view owns the tool) */
  properties[PROP_MAP] = g_param_spec_object ("map", NULL, NULL, SHUMATE_TYPE_MAP,
                                              G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* where it draws its sketch */
  properties[PROP_OVERLAY] = g_param_spec_object ("overlay", NULL, NULL, SABAN_TYPE_OVERLAY_LAYER,
                                                  G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
saban_map_tool_init (SabanMapTool *self)
{
}

/**
 * saban_map_tool_get_map:
 * Returns: (transfer none): the map the tool works on
 */
ShumateMap *
saban_map_tool_get_map (SabanMapTool *self)
{
  SabanMapToolPrivate *priv = saban_map_tool_get_instance_private (self);

  return priv->map;
}

/**
 * saban_map_tool_get_viewport:
 * Returns: (transfer none): the map's viewport
 */
ShumateViewport *
saban_map_tool_get_viewport (SabanMapTool *self)
{
  return shumate_map_get_viewport (saban_map_tool_get_map (self));
}

/**
 * saban_map_tool_get_overlay:
 * Returns: (transfer none): the layer the tool sketches on
 */
SabanOverlayLayer *
saban_map_tool_get_overlay (SabanMapTool *self)
{
  SabanMapToolPrivate *priv = saban_map_tool_get_instance_private (self);

  return priv->overlay;
}

/**
 * saban_map_tool_to_mercator:
 * @point: (out caller-allocates) (array fixed-size=2): Web Mercator x, y
 *
 * Where the map's widget position @x, @y is.
 */
void
saban_map_tool_to_mercator (SabanMapTool *self, double x, double y, double *point)
{
  double lat, lon;

  shumate_viewport_widget_coords_to_location (saban_map_tool_get_viewport (self),
                                              GTK_WIDGET (saban_map_tool_get_map (self)), x, y, &lat, &lon);
  saban_lonlat_to_mercator (lon, lat, &point[0], &point[1]);
}

/**
 * saban_map_tool_get_pixel_size:
 * Returns: the size of a screen pixel at the current zoom, in Web Mercator
 *   metres
 */
double
saban_map_tool_get_pixel_size (SabanMapTool *self)
{
  return 2 * WEB_MERCATOR_HALF / (256.0 * pow (2, shumate_viewport_get_zoom_level (saban_map_tool_get_viewport (self))));
}

/**
 * saban_map_tool_get_escapes:
 * Returns: whether Escape gives the tool up (a sketching tool)
 */
gboolean
saban_map_tool_get_escapes (SabanMapTool *self)
{
  g_return_val_if_fail (SABAN_IS_MAP_TOOL (self), FALSE);
  return SABAN_MAP_TOOL_GET_CLASS (self)->escapes;
}

static void
reset (SabanMapTool *self)
{
  if (SABAN_MAP_TOOL_GET_CLASS (self)->reset != NULL)
    SABAN_MAP_TOOL_GET_CLASS (self)->reset (self);
  saban_overlay_layer_set_sketch (saban_map_tool_get_overlay (self), NULL, 0, FALSE);
}

/**
 * saban_map_tool_activate:
 *
 * The view hosts the tool from now on: it starts with no sketch.
 */
void
saban_map_tool_activate (SabanMapTool *self)
{
  g_return_if_fail (SABAN_IS_MAP_TOOL (self));
  reset (self);
}

/**
 * saban_map_tool_deactivate:
 *
 * The view leaves the tool: its sketch goes.
 *
 * Returns: whether the tool was given up with its work unfinished (an area
 *   not drawn, a point not picked): the view says so once it has switched
 */
gboolean
saban_map_tool_deactivate (SabanMapTool *self)
{
  SabanMapToolClass *klass;
  gboolean unfinished;

  g_return_val_if_fail (SABAN_IS_MAP_TOOL (self), FALSE);

  klass = SABAN_MAP_TOOL_GET_CLASS (self);
  unfinished = klass->escapes && klass->unfinished != NULL && klass->unfinished (self);
  reset (self);
  return unfinished;
}

/**
 * saban_map_tool_click:
 * @n_press: 1, or 2 for a double click's second press
 * @x: widget position on the map
 */
void
saban_map_tool_click (SabanMapTool *self, int n_press, double x, double y)
{
  g_return_if_fail (SABAN_IS_MAP_TOOL (self));
  if (SABAN_MAP_TOOL_GET_CLASS (self)->click != NULL)
    SABAN_MAP_TOOL_GET_CLASS (self)->click (self, n_press, x, y);
}

/**
 * saban_map_tool_motion:
 * @point: (array fixed-size=2): the pointer, in Web Mercator
 */
void
saban_map_tool_motion (SabanMapTool *self, const double *point)
{
  g_return_if_fail (SABAN_IS_MAP_TOOL (self));
  if (SABAN_MAP_TOOL_GET_CLASS (self)->motion != NULL)
    SABAN_MAP_TOOL_GET_CLASS (self)->motion (self, point);
}

/**
 * saban_map_tool_key_pressed:
 * Returns: whether the tool used the key
 */
gboolean
saban_map_tool_key_pressed (SabanMapTool *self, guint keyval)
{
  g_return_val_if_fail (SABAN_IS_MAP_TOOL (self), FALSE);
  return SABAN_MAP_TOOL_GET_CLASS (self)->key_pressed != NULL &&
         SABAN_MAP_TOOL_GET_CLASS (self)->key_pressed (self, keyval);
}

/**
 * saban_map_tool_drag_begin:
 * Returns: whether the tool takes the drag (the map then does not pan)
 */
gboolean
saban_map_tool_drag_begin (SabanMapTool *self, double x, double y)
{
  g_return_val_if_fail (SABAN_IS_MAP_TOOL (self), FALSE);
  return SABAN_MAP_TOOL_GET_CLASS (self)->drag_begin != NULL &&
         SABAN_MAP_TOOL_GET_CLASS (self)->drag_begin (self, x, y);
}

void
saban_map_tool_drag_update (SabanMapTool *self, double dx, double dy)
{
  g_return_if_fail (SABAN_IS_MAP_TOOL (self));
  if (SABAN_MAP_TOOL_GET_CLASS (self)->drag_update != NULL)
    SABAN_MAP_TOOL_GET_CLASS (self)->drag_update (self, dx, dy);
}

void
saban_map_tool_drag_end (SabanMapTool *self, double dx, double dy)
{
  g_return_if_fail (SABAN_IS_MAP_TOOL (self));
  if (SABAN_MAP_TOOL_GET_CLASS (self)->drag_end != NULL)
    SABAN_MAP_TOOL_GET_CLASS (self)->drag_end (self, dx, dy);
}
