/* saban-pick-tool.c: one click picks a place (a task's, for another
 * window); the place stays marked. Leaving the tool before is giving up. */
#include "saban-pick-tool.h"

struct _SabanPickTool
{
  SabanMapTool parent_instance;
  gboolean     done;
};

enum { SIGNAL_POINT_PICKED, N_SIGNALS };

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanPickTool, saban_pick_tool, SABAN_TYPE_MAP_TOOL)

static void
pick_click (SabanMapTool *tool, int n_press, double x, double y)
{
  SabanPickTool *self = SABAN_PICK_TOOL (tool);
  double lat, lon, point[2];

  if (n_press != 1 || self->done)
    return;
  shumate_viewport_widget_coords_to_location (saban_map_tool_get_viewport (tool), GTK_WIDGET (saban_map_tool_get_map (tool)),
                                              x, y, &lat, &lon);
  saban_map_tool_to_mercator (tool, x, y, point);
  self->done = TRUE;
  saban_overlay_layer_set_sketch (saban_map_tool_get_overlay (tool), point, 1, FALSE);
  g_signal_emit (self, signals[SIGNAL_POINT_PICKED], 0, lat, lon);
}

static void
pick_reset (SabanMapTool *tool)
{
  SABAN_PICK_TOOL (tool)->done = FALSE;
}

static gboolean
pick_unfinished (SabanMapTool *tool)
{
  return !SABAN_PICK_TOOL (tool)->done;
}

/* Enter and Backspace mean nothing here, but belong to the tool */
static gboolean
pick_key_pressed (SabanMapTool *tool, guint keyval)
{
  return keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_BackSpace;
}

static void
saban_pick_tool_class_init (SabanPickToolClass *klass)
{
  SabanMapToolClass *tool_class = SABAN_MAP_TOOL_CLASS (klass);

  tool_class->escapes = TRUE;
  tool_class->reset = pick_reset;
  tool_class->unfinished = pick_unfinished;
  tool_class->click = pick_click;
  tool_class->key_pressed = pick_key_pressed;

  /* (double latitude, double longitude): WGS 84 */
  signals[SIGNAL_POINT_PICKED] = g_signal_new ("point-picked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                               NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
}

static void
saban_pick_tool_init (SabanPickTool *self)
{
}

/**
 * saban_pick_tool_new:
 *
 * Returns: (transfer full): the tool that picks one place
 */
SabanMapTool *
saban_pick_tool_new (ShumateMap *map, SabanOverlayLayer *overlay)
{
  return g_object_new (SABAN_TYPE_PICK_TOOL, "map", map, "overlay", overlay, NULL);
}
