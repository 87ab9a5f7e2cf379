/* saban-polygon-tool.c: drawing an area corner by corner — click the
 * corners; a double click or Enter ends; Backspace takes the last corner
 * back. The area is GeoJSON in WGS 84; one the core refuses (it crosses
 * itself) stays on the map to be corrected. */
#include "saban-polygon-tool.h"

#include <json-glib/json-glib.h>

#include "saban-measure.h"
#include "saban-scenario-area.h"

struct _SabanPolygonTool
{
  SabanMapTool parent_instance;
  GArray      *sketch;   /* the corners, Mercator x, y */
  gboolean     done;
};

enum { SIGNAL_AREA_DRAWN, SIGNAL_AREA_REFUSED, N_SIGNALS };

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanPolygonTool, saban_polygon_tool, SABAN_TYPE_MAP_TOOL)

/* The corners drawn so far, and the pointer as the next one. */
static void
show_sketch (SabanPolygonTool *self,
             const double     *pointer)
{
  g_autoptr(GArray) xy = g_array_copy (self->sketch);

  if (pointer != NULL && !self->done)
    g_array_append_vals (xy, pointer, 2);
  saban_overlay_layer_set_sketch (saban_map_tool_get_overlay (SABAN_MAP_TOOL (self)), (const double *) xy->data,
                                  xy->len / 2, xy->len >= 6);
}

static void
finish (SabanPolygonTool *self)
{
  guint n = self->sketch->len / 2;
  g_autofree double *lonlat = g_new (double, 2 * (gsize) MAX (n, 1));
  g_autoptr(JsonNode) area = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    saban_mercator_to_lonlat (g_array_index (self->sketch, double, 2 * i), g_array_index (self->sketch, double, 2 * i + 1),
                              &lonlat[2 * i], &lonlat[2 * i + 1]);
  area = saban_scenario_area_polygon (lonlat, n, &error);
  if (area == NULL)
    {
      g_signal_emit (self, signals[SIGNAL_AREA_REFUSED], 0, error->message);
      return;
    }
  self->done = TRUE;
  show_sketch (self, NULL);
  g_signal_emit (self, signals[SIGNAL_AREA_DRAWN], 0, area);
}

static void
polygon_reset (SabanMapTool *tool)
{
  SabanPolygonTool *self = SABAN_POLYGON_TOOL (tool);

  g_array_set_size (self->sketch, 0);
  self->done = FALSE;
}

static gboolean
polygon_unfinished (SabanMapTool *tool)
{
  return !SABAN_POLYGON_TOOL (tool)->done;
}

static void
polygon_click (SabanMapTool *tool, int n_press, double x, double y)
{
  SabanPolygonTool *self = SABAN_POLYGON_TOOL (tool);
  double point[2];

  /* The second press of a double click finishes; its first press added the last corner. */
  if (n_press == 2)
    {
      finish (self);
      return;
    }
  if (self->done)
    polygon_reset (tool);
  saban_map_tool_to_mercator (tool, x, y, point);
  g_array_append_vals (self->sketch, point, 2);
  show_sketch (self, NULL);
}

static void
polygon_motion (SabanMapTool *tool, const double *point)
{
  SabanPolygonTool *self = SABAN_POLYGON_TOOL (tool);

  if (!self->done && self->sketch->len > 0)
    show_sketch (self, point);
}

static gboolean
polygon_key_pressed (SabanMapTool *tool, guint keyval)
{
  SabanPolygonTool *self = SABAN_POLYGON_TOOL (tool);

  switch (keyval)
    {
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      if (!self->done)
        finish (self);
      return TRUE;
    case GDK_KEY_BackSpace:
      if (!self->done && self->sketch->len > 0)
        {
          g_array_set_size (self->sketch, self->sketch->len - 2);
          show_sketch (self, NULL);
        }
      return TRUE;
    default:
      return FALSE;
    }
}

static void
saban_polygon_tool_finalize (GObject *object)
{
  g_array_unref (SABAN_POLYGON_TOOL (object)->sketch);
  G_OBJECT_CLASS (saban_polygon_tool_parent_class)->finalize (object);
}

static void
saban_polygon_tool_class_init (SabanPolygonToolClass *klass)
{
  SabanMapToolClass *tool_class = SABAN_MAP_TOOL_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = saban_polygon_tool_finalize;
  tool_class->escapes = TRUE;
  tool_class->reset = polygon_reset;
  tool_class->unfinished = polygon_unfinished;
  tool_class->click = polygon_click;
  tool_class->motion = polygon_motion;
  tool_class->key_pressed = polygon_key_pressed;

  /* (JsonNode *area): a GeoJSON Polygon in WGS 84 */
  signals[SIGNAL_AREA_DRAWN] = g_signal_new ("area-drawn", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                             NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_NODE);
  /* (const char *message): why the corners make no area; they stay to be corrected */
  signals[SIGNAL_AREA_REFUSED] = g_signal_new ("area-refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                               NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
saban_polygon_tool_init (SabanPolygonTool *self)
{
  self->sketch = g_array_new (FALSE, FALSE, sizeof (double));
}

/**
 * saban_polygon_tool_new:
 *
 * Returns: (transfer full): the tool that draws an area corner by corner
 */
SabanMapTool *
saban_polygon_tool_new (ShumateMap *map, SabanOverlayLayer *overlay)
{
  return g_object_new (SABAN_TYPE_POLYGON_TOOL, "map", map, "overlay", overlay, NULL);
}
