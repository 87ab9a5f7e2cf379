/* SabanMapView's drawing tools under Xvfb, driven through the view's own
 * event handlers: a polygon (corners, Backspace, double click, Enter), a
 * circle (press and drag, or two clicks), a boundary that crosses itself
 * refused, Escape cancelling; a point picked, or given up with Escape. The
 * GeoJSON emitted is checked against the clicked positions; a circle's
 * geodesic area against πr². */
#include <gtk/gtk.h>
#include <math.h>

#include "saban-circle-tool.h"
#include "saban-identify-tool.h"
#include "saban-map-view.h"
#include "saban-measure.h"
#include "saban-measure-tool.h"
#include "saban-pick-tool.h"
#include "saban-polygon-tool.h"

typedef struct
{
  GtkWidget    *window;
  SabanMapView *view;
  GtkWidget    *map;
  JsonNode     *drawn;
  char         *refused;
  guint         n_cancelled;
  guint         n_picked;
  guint         n_pick_cancelled;
  double        picked[2];   /* lat, lon */
} Fixture;

static void
on_picked (SabanMapView *view, double lat, double lon, Fixture *f)
{
  f->n_picked++;
  f->picked[0] = lat;
  f->picked[1] = lon;
}

static void
on_pick_cancelled (SabanMapView *view, Fixture *f)
{
  f->n_pick_cancelled++;
}

static void
on_drawn (SabanMapView *view, JsonNode *area, Fixture *f)
{
  g_clear_pointer (&f->drawn, json_node_unref);
  f->drawn = json_node_copy (area);
}

static void
on_refused (SabanMapView *view, const char *message, Fixture *f)
{
  g_free (f->refused);
  f->refused = g_strdup (message);
}

static void
on_cancelled (SabanMapView *view, Fixture *f)
{
  f->n_cancelled++;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  f->window = gtk_window_new ();
  f->view = SABAN_MAP_VIEW (saban_map_view_new ());
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 600);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));
  f->map = gtk_widget_get_first_child (GTK_WIDGET (f->view));
  while (gtk_widget_get_width (f->map) < 100 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  saban_map_view_center_on (f->view, 22.4, 104.0, 12);
  g_signal_connect (f->view, "area-drawn", G_CALLBACK (on_drawn), f);
  g_signal_connect (f->view, "area-refused", G_CALLBACK (on_refused), f);
  g_signal_connect (f->view, "area-cancelled", G_CALLBACK (on_cancelled), f);
  g_signal_connect (f->view, "point-picked", G_CALLBACK (on_picked), f);
  g_signal_connect (f->view, "pick-cancelled", G_CALLBACK (on_pick_cancelled), f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->drawn, json_node_unref);
  g_free (f->refused);
  gtk_window_destroy (GTK_WINDOW (f->window));
}

/* The view's own controller of @type, on @widget (not libshumate's). */
static GtkEventController *
controller (Fixture *f, GtkWidget *widget, GType type, const char *signal)
{
  g_autoptr(GListModel) list = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (list, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type) &&
          g_signal_handler_find (c, G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_DATA,
                                 g_signal_lookup (signal, G_OBJECT_TYPE (c)), 0, NULL, NULL, f->view) != 0)
        return c;
    }
  g_assert_not_reached ();
}

static void
click (Fixture *f, int n_press, double x, double y)
{
  g_signal_emit_by_name (controller (f, f->map, GTK_TYPE_GESTURE_CLICK, "released"), "released", n_press, x, y);
}

static void
key (Fixture *f, guint keyval)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (controller (f, GTK_WIDGET (f->view), GTK_TYPE_EVENT_CONTROLLER_KEY, "key-pressed"),
                         "key-pressed", keyval, 0, 0, &handled);
  g_assert_true (handled);
}

/* a key the map may or may not take */
static gboolean
key_with (Fixture *f, guint keyval, GdkModifierType state)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (controller (f, GTK_WIDGET (f->view), GTK_TYPE_EVENT_CONTROLLER_KEY, "key-pressed"),
                         "key-pressed", keyval, 0, state, &handled);
  return handled;
}

static void
drag (Fixture *f, double x, double y, double dx, double dy)
{
  GtkEventController *c = controller (f, GTK_WIDGET (f->view), GTK_TYPE_GESTURE_DRAG, "drag-begin");

  g_signal_emit_by_name (c, "drag-begin", x, y);
  g_signal_emit_by_name (c, "drag-update", dx / 2, dy / 2);
  g_signal_emit_by_name (c, "drag-update", dx, dy);
  g_signal_emit_by_name (c, "drag-end", dx, dy);
}

static void
location (Fixture *f, double x, double y, double *lon, double *lat)
{
  shumate_viewport_widget_coords_to_location (saban_map_view_get_viewport (f->view), f->map, x, y, lat, lon);
}

static JsonArray *
outer_ring (JsonNode *area)
{
  JsonObject *o = json_node_get_object (area);

  g_assert_cmpstr (json_object_get_string_member (o, "type"), ==, "Polygon");
  return json_array_get_array_element (json_object_get_array_member (o, "coordinates"), 0);
}

static void
assert_corner (Fixture *f, JsonArray *ring, guint i, double x, double y)
{
  JsonArray *p = json_array_get_array_element (ring, i);
  double lon, lat;

  location (f, x, y, &lon, &lat);
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (p, 0), lon, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (p, 1), lat, 1e-9);
}

static void
test_polygon (Fixture *f, gconstpointer data)
{
  JsonArray *ring;

  saban_map_view_set_tool (f->view, SABAN_MAP_TOOL_DRAW_POLYGON);
  click (f, 1, 200, 150);
  click (f, 1, 600, 150);
  click (f, 1, 700, 700);     /* a slip: taken back */
  key (f, GDK_KEY_BackSpace);
  click (f, 1, 600, 450);
  click (f, 1, 200, 450);
  g_assert_null (f->drawn);
  click (f, 2, 200, 450);     /* the double click's second press */
  g_assert_nonnull (f->drawn);
  g_assert_null (f->refused);

  ring = outer_ring (f->drawn);
  g_assert_cmpuint (json_array_get_length (ring), ==, 5);
  assert_corner (f, ring, 0, 200, 150);
  assert_corner (f, ring, 1, 600, 150);
  assert_corner (f, ring, 2, 600, 450);
  assert_corner (f, ring, 3, 200, 450);
  assert_corner (f, ring, 4, 200, 150);

  /* Enter finishes too; the next click starts a new area */
  g_clear_pointer (&f->drawn, json_node_unref);
  click (f, 1, 100, 100);
  click (f, 1, 300, 100);
  click (f, 1, 200, 300);
  key (f, GDK_KEY_Return);
  ring = outer_ring (f->drawn);
  g_assert_cmpuint (json_array_get_length (ring), ==, 4);
  assert_corner (f, ring, 2, 200, 300);
  g_assert_cmpuint (f->n_cancelled, ==, 0);
}

static void
on_measured (SabanMapView *view, double length, double area, guint n, double *out)
{
  out[0] = length;
  out[1] = area;
  out[2] = n;
}

/* the view hosts one tool object per kind, the active one holding its own
 * state: a measurement left for another tool starts afresh */
static void
test_tools (Fixture *f, gconstpointer data)
{
  const struct { SabanMapToolKind kind; GType type; } tools[] = {
    { SABAN_MAP_TOOL_SELECT, SABAN_TYPE_IDENTIFY_TOOL }, { SABAN_MAP_TOOL_MEASURE_LENGTH, SABAN_TYPE_MEASURE_TOOL },
    { SABAN_MAP_TOOL_MEASURE_AREA, SABAN_TYPE_MEASURE_TOOL }, { SABAN_MAP_TOOL_DRAW_POLYGON, SABAN_TYPE_POLYGON_TOOL },
    { SABAN_MAP_TOOL_DRAW_CIRCLE, SABAN_TYPE_CIRCLE_TOOL }, { SABAN_MAP_TOOL_PICK_POINT, SABAN_TYPE_PICK_TOOL },
  };
  double measured[3] = { 0 };
  SabanMapTool *area_tool;

  g_assert_cmpint (saban_map_view_get_tool (f->view), ==, SABAN_MAP_TOOL_SELECT);
  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      saban_map_view_set_tool (f->view, tools[i].kind);
      g_assert_cmpint (saban_map_view_get_tool (f->view), ==, tools[i].kind);
      g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (saban_map_view_get_active_tool (f->view), tools[i].type));
      g_assert_cmpint (saban_map_tool_get_escapes (saban_map_view_get_active_tool (f->view)), ==,
                       tools[i].kind >= SABAN_MAP_TOOL_DRAW_POLYGON);
    }
  /* leaving the point tool unpicked gave it up */
  saban_map_view_set_tool (f->view, SABAN_MAP_TOOL_SELECT);
  g_assert_cmpuint (f->n_pick_cancelled, ==, 1);

  g_signal_connect (f->view, "measure-changed", G_CALLBACK (on_measured), measured);
  saban_map_view_set_tool (f->view, SABAN_MAP_TOOL_MEASURE_AREA);
  area_tool = saban_map_view_get_active_tool (f->view);
  click (f, 1, 200, 150);
  click (f, 1, 600, 150);
  click (f, 1, 600, 450);
  g_assert_cmpfloat (measured[2], ==, 3);
  g_assert_cmpfloat (measured[0], >, 0);
  g_assert_cmpfloat (measured[1], >, 0);
  saban_map_view_set_tool (f->view, SABAN_MAP_TOOL_SELECT);
  saban_map_view_set_tool (f->view, SABAN_MAP_TOOL_MEASURE_AREA);
  g_assert_true (saban_map_view_get_active_tool (f->view) == area_tool);
  click (f, 1, 200, 150);
  g_assert_cmpfloat (measured[2], ==, 1);
  g_assert_cmpfloat (measured[1], ==, 0);
}

static void
test_crossing (Fixture *f, gconstpointer data)
{
  saban_map_view_set_tool (f->view, SABAN_MAP_TOOL_DRAW_POLYGON);
  /* a bow tie */
  click (f, 1, 200, 150);
  click (f, 1, 600, 450);
  click (f, 1, 600, 150);
  click (f, 1, 200, 450);
  key (f, GDK_KEY_Return);
  g_assert_null (f->drawn);
  g_assert_nonnull (f->refused);
  g_test_message ("refused: %s", f->refused);

  /* two corners are no area either */
  g_clear_pointer (&f->refused, g_free);
  key (f, GDK_KEY_BackSpace);
  key (f, GDK_KEY_BackSpace);
  key (f, GDK_KEY_Return);
  g_assert_null (f->drawn);
  g_assert_nonnull (f->refused);

  /* Escape gives up */
  key (f, GDK_KEY_Escape);
  g_assert_cmpuint (f->n_cancelled, ==, 1);
  g_assert_null (f->drawn);
}

static double
geodesic_area (JsonArray *ring)
{
  guint n = json_array_get_length (ring);
  g_autofree double *xy = g_new (double, 2 * n);

  for (guint i = 0; i < n; i++)
    {
      JsonArray *p = json_array_get_array_element (ring, i);
      saban_lonlat_to_mercator (json_array_get_double_element (p, 0), json_array_get_double_element (p, 1),
                                &xy[2 * i], &xy[2 * i + 1]);
    }
  return saban_measure_ring_area (xy, n);
}

static double
radius_of (Fixture *f, double x0, double y0, double x1, double y1)
{
  double xy[4], lon, lat;

  location (f, x0, y0, &lon, &lat);
  saban_lonlat_to_mercator (lon, lat, &xy[0], &xy[1]);
  location (f, x1, y1, &lon, &lat);
  saban_lonlat_to_mercator (lon, lat, &xy[2], &xy[3]);
  return saban_measure_length (xy, 2);
}

static void
test_circle (Fixture *f, gconstpointer data)
{
  JsonArray *ring;
  double r, area;

  saban_map_view_set_tool (f->view, SABAN_MAP_TOOL_DRAW_CIRCLE);
  drag (f, 400, 300, 150, 80);
  g_assert_nonnull (f->drawn);
  ring = outer_ring (f->drawn);
  g_assert_cmpuint (json_array_get_length (ring), ==, 65);
  r = radius_of (f, 400, 300, 550, 380);
  area = geodesic_area (ring);
  g_test_message ("radius %.1f m, area %.0f m², πr² %.0f m²", r, area, G_PI * r * r);
  g_assert_cmpfloat (fabs (area / (G_PI * r * r) - 1), <, 0.005);

  /* two clicks: the centre, then a point on the edge */
  g_clear_pointer (&f->drawn, json_node_unref);
  drag (f, 300, 300, 1, 0);
  g_assert_null (f->drawn);
  drag (f, 300, 500, 0, 0);
  g_assert_nonnull (f->drawn);
  r = radius_of (f, 300, 300, 300, 500);
  area = geodesic_area (outer_ring (f->drawn));
  g_assert_cmpfloat (fabs (area / (G_PI * r * r) - 1), <, 0.005);

  /* leaving the tool half way is a cancel */
  g_clear_pointer (&f->drawn, json_node_unref);
  drag (f, 300, 300, 0, 0);
  saban_map_view_set_tool (f->view, SABAN_MAP_TOOL_SELECT);
  g_assert_cmpuint (f->n_cancelled, ==, 1);
  g_assert_null (f->drawn);
}

static void
test_pick (Fixture *f, gconstpointer data)
{
  double lon, lat;

  saban_map_view_set_tool (f->view, SABAN_MAP_TOOL_PICK_POINT);
  click (f, 1, 250, 200);
  g_assert_cmpuint (f->n_picked, ==, 1);
  location (f, 250, 200, &lon, &lat);
  g_assert_cmpfloat_with_epsilon (f->picked[0], lat, 1e-9);
  g_assert_cmpfloat_with_epsilon (f->picked[1], lon, 1e-9);
  /* one point: a second click before the tool changes picks nothing more */
  click (f, 1, 300, 300);
  g_assert_cmpuint (f->n_picked, ==, 1);
  saban_map_view_set_tool (f->view, SABAN_MAP_TOOL_SELECT);
  g_assert_cmpuint (f->n_pick_cancelled, ==, 0);

  /* Escape gives up, and is no area's cancel */
  saban_map_view_set_tool (f->view, SABAN_MAP_TOOL_PICK_POINT);
  key (f, GDK_KEY_Escape);
  g_assert_cmpuint (f->n_pick_cancelled, ==, 1);
  g_assert_cmpuint (f->n_cancelled, ==, 0);
  click (f, 1, 250, 200);
  g_assert_cmpuint (f->n_picked, ==, 1);
}

static void
assert_centred_on (Fixture *f, double lon, double lat)
{
  ShumateViewport *v = saban_map_view_get_viewport (f->view);

  g_assert_cmpfloat_with_epsilon (shumate_location_get_longitude (SHUMATE_LOCATION (v)), lon, 1e-6);
  g_assert_cmpfloat_with_epsilon (shumate_location_get_latitude (SHUMATE_LOCATION (v)), lat, 1e-6);
}

/* Issue 15: the map takes the keyboard — a click gives it the focus, the
 * arrows pan a quarter of the view, +/− zoom a level; keys with Ctrl are
 * left to the window (Ctrl+Home, Ctrl+plus are its) */
static void
test_keyboard (Fixture *f, gconstpointer data)
{
  ShumateViewport *v = saban_map_view_get_viewport (f->view);
  double w = gtk_widget_get_width (f->map), h = gtk_widget_get_height (f->map);
  double lon, lat;

  click (f, 1, w / 2, h / 2);
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (f->view)));

  location (f, w / 4, h / 2, &lon, &lat);
  g_assert_true (key_with (f, GDK_KEY_Left, 0));
  assert_centred_on (f, lon, lat);
  location (f, w / 2, h / 4, &lon, &lat);
  g_assert_true (key_with (f, GDK_KEY_Up, 0));
  assert_centred_on (f, lon, lat);
  location (f, w * 3 / 4, h / 2, &lon, &lat);
  g_assert_true (key_with (f, GDK_KEY_KP_Right, 0));
  assert_centred_on (f, lon, lat);
  location (f, w / 2, h * 3 / 4, &lon, &lat);
  g_assert_true (key_with (f, GDK_KEY_Down, 0));
  assert_centred_on (f, lon, lat);

  g_assert_true (key_with (f, GDK_KEY_plus, 0));
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (v), ==, 13);
  g_assert_true (key_with (f, GDK_KEY_KP_Subtract, 0));
  g_assert_true (key_with (f, GDK_KEY_minus, 0));
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (v), ==, 11);

  g_assert_false (key_with (f, GDK_KEY_Home, GDK_CONTROL_MASK));
  g_assert_false (key_with (f, GDK_KEY_plus, GDK_CONTROL_MASK));
  g_assert_false (key_with (f, GDK_KEY_a, 0));

  /* a sketching tool's keys stay its own: Backspace takes a corner back */
  saban_map_view_set_tool (f->view, SABAN_MAP_TOOL_DRAW_POLYGON);
  g_assert_true (key_with (f, GDK_KEY_Escape, 0));
  g_assert_cmpint (saban_map_view_get_tool (f->view), ==, SABAN_MAP_TOOL_SELECT);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add ("/map/draw/tools", Fixture, NULL, fixture_setup, test_tools, fixture_teardown);
  g_test_add ("/map/draw/polygon", Fixture, NULL, fixture_setup, test_polygon, fixture_teardown);
  g_test_add ("/map/draw/crossing", Fixture, NULL, fixture_setup, test_crossing, fixture_teardown);
  g_test_add ("/map/draw/circle", Fixture, NULL, fixture_setup, test_circle, fixture_teardown);
  g_test_add ("/map/draw/pick", Fixture, NULL, fixture_setup, test_pick, fixture_teardown);
  g_test_add ("/map/draw/keyboard", Fixture, NULL, fixture_setup, test_keyboard, fixture_teardown);
  return g_test_run ();
}
