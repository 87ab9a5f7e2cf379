/* saban-circle-tool.c: drawing a circle — press at the centre and drag to
 * the radius, or click the centre then the edge. The tool takes the drag
 * (the map does not pan while it draws); Backspace starts again. The
 * circle is a geodesic one (64 corners, core's saban_scenario_area_circle),
 * GeoJSON in WGS 84. */
#include "saban-circle-tool.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "saban-measure.h"
#include "saban-scenario-area.h"

#define CIRCLE_VERTICES 64
/* a press that moves less than this is a click, not a drag */
#define CLICK_SLOP 5

struct _SabanCircleTool
{
  SabanMapTool parent_instance;
  gboolean     has_centre;
  double       centre[2];       /* Mercator */
  double       drag_start[2];   /* widget position of the press */
  gboolean     dragging;
  gboolean     done;
};

enum { SIGNAL_AREA_DRAWN, N_SIGNALS };

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanCircleTool, saban_circle_tool, SABAN_TYPE_MAP_TOOL)

static JsonNode *
circle_to (SabanCircleTool *self,
           const double    *edge)
{
  double lon, lat, radius = saban_measure_length ((const double[]) { self->centre[0], self->centre[1], edge[0], edge[1] }, 2);

  if (radius <= 0)
    return NULL;
  saban_mercator_to_lonlat (self->centre[0], self->centre[1], &lon, &lat);
  return saban_scenario_area_circle (lon, lat, radius, CIRCLE_VERTICES);
}

/* The circle through @edge, drawn as the sketch. */
static void
show_sketch (SabanCircleTool *self,
             const double    *edge)
{
  SabanOverlayLayer *overlay = saban_map_tool_get_overlay (SABAN_MAP_TOOL (self));
  g_autoptr(JsonNode) circle = circle_to (self, edge);
  g_autoptr(GArray) xy = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (guint32));

  if (circle == NULL || !saban_scenario_area_to_mercator (circle, xy, starts))
    {
      saban_overlay_layer_set_sketch (overlay, self->centre, 1, FALSE);
      return;
    }
  saban_overlay_layer_set_sketch (overlay, (const double *) xy->data, xy->len / 2, TRUE);
}

static void
finish (SabanCircleTool *self,
        const double    *edge)
{
  g_autoptr(JsonNode) area = circle_to (self, edge);

  if (area == NULL)
    return;
  self->done = TRUE;
  show_sketch (self, edge);
  g_signal_emit (self, signals[SIGNAL_AREA_DRAWN], 0, area);
}

static void
circle_reset (SabanMapTool *tool)
{
  SabanCircleTool *self = SABAN_CIRCLE_TOOL (tool);

  self->has_centre = FALSE;
  self->dragging = FALSE;
  self->done = FALSE;
}

static gboolean
circle_unfinished (SabanMapTool *tool)
{
  return !SABAN_CIRCLE_TOOL (tool)->done;
}

static gboolean
circle_drag_begin (SabanMapTool *tool, double x, double y)
{
  SabanCircleTool *self = SABAN_CIRCLE_TOOL (tool);

  self->drag_start[0] = x;
  self->drag_start[1] = y;
  if (self->done)
    circle_reset (tool);
  if (!self->has_centre)
    {
      saban_map_tool_to_mercator (tool, x, y, self->centre);
      self->has_centre = TRUE;
      self->dragging = TRUE;
      saban_overlay_layer_set_sketch (saban_map_tool_get_overlay (tool), self->centre, 1, FALSE);
    }
  return TRUE;
}

static void
circle_drag_update (SabanMapTool *tool, double dx, double dy)
{
  SabanCircleTool *self = SABAN_CIRCLE_TOOL (tool);
  double edge[2];

  if (!self->dragging || hypot (dx, dy) < CLICK_SLOP)
    return;
  saban_map_tool_to_mercator (tool, self->drag_start[0] + dx, self->drag_start[1] + dy, edge);
  show_sketch (self, edge);
}

static void
circle_drag_end (SabanMapTool *tool, double dx, double dy)
{
  SabanCircleTool *self = SABAN_CIRCLE_TOOL (tool);
  gboolean was_dragging = self->dragging;
  double edge[2];

  if (!self->has_centre)
    return;
  self->dragging = FALSE;
  /* A click at the centre: the radius comes with the next click. */
  if (was_dragging && hypot (dx, dy) < CLICK_SLOP)
    return;
  saban_map_tool_to_mercator (tool, self->drag_start[0] + dx, self->drag_start[1] + dy, edge);
  finish (self, edge);
}

static void
circle_motion (SabanMapTool *tool, const double *point)
{
  SabanCircleTool *self = SABAN_CIRCLE_TOOL (tool);

  if (self->has_centre && !self->done)
    show_sketch (self, point);
}

static gboolean
circle_key_pressed (SabanMapTool *tool, guint keyval)
{
  SabanCircleTool *self = SABAN_CIRCLE_TOOL (tool);

  switch (keyval)
    {
    case GDK_KEY_BackSpace:
      if (!self->done)
        {
          circle_reset (tool);
          saban_overlay_layer_set_sketch (saban_map_tool_get_overlay (tool), NULL, 0, FALSE);
        }
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
saban_circle_tool_class_init (SabanCircleToolClass *klass)
{
  SabanMapToolClass *tool_class = SABAN_MAP_TOOL_CLASS (klass);

  tool_class->escapes = TRUE;
  tool_class->reset = circle_reset;
  tool_class->unfinished = circle_unfinished;
  tool_class->motion = circle_motion;
  tool_class->key_pressed = circle_key_pressed;
  tool_class->drag_begin = circle_drag_begin;
  tool_class->drag_update = circle_drag_update;
  tool_class->drag_end = circle_drag_end;

  /* (JsonNode *area): a GeoJSON Polygon in WGS 84 */
  signals[SIGNAL_AREA_DRAWN] = g_signal_new ("area-drawn", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                             NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_NODE);
}

static void
saban_circle_tool_init (SabanCircleTool *self)
{
}

/**
 * saban_circle_tool_new:
 *
 * Returns: (transfer full): the tool that draws a circle
 */
SabanMapTool *
saban_circle_tool_new (ShumateMap *map, SabanOverlayLayer *overlay)
{
  return g_object_new (SABAN_TYPE_CIRCLE_TOOL, "map", map, "overlay", overlay, NULL);
}
