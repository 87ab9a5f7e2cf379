/* The session: what windows share, and the two requests that go between
 * them through it — a point picked on the map for another window, and a
 * scenario's replay on every map. */
#include <adwaita.h>

#include "app-test.h"
#include "saban-resources.h"
#include "saban-session.h"
#include "saban-window.h"

/* a local session has no server, and says so through NULL parts */
static void
test_local (void)
{
  g_autoptr(SabanSession) session = saban_session_new_local ();

  g_assert_false (saban_session_get_has_server (session));
  g_assert_null (saban_session_get_connection (session));
  g_assert_null (saban_session_get_sensor_store (session));
  g_assert_null (saban_session_get_command_client (session));
  g_assert_false (saban_session_get_sensors_busy (session));
  g_assert_null (saban_session_get_replay (session));
}

static void
picked (GObject *source, GAsyncResult *result, gpointer data)
{
  GError **error = data;
  double lat = 0, lon = 0;

  if (saban_session_pick_point_finish (SABAN_SESSION (source), result, &lat, &lon, error))
    {
      g_assert_cmpfloat_with_epsilon (lat, 22.48, 1e-9);
      g_assert_cmpfloat_with_epsilon (lon, 103.97, 1e-9);
      *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "picked");
    }
}

/* no window with a map: the request fails at once, and says why */
static void
test_pick_without_map (void)
{
  g_autoptr(SabanSession) session = saban_session_new_local ();
  g_autoptr(GError) error = NULL;

  saban_session_pick_point_async (session, "hint", NULL, picked, &error);
  TEST_WAIT_UNTIL (error != NULL, 5);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* the session's window takes the request: its map waits for a click
 * (shown with the hint), the click is the answer; Escape gives up */
static void
test_pick_on_window (void)
{
  g_autoptr(SabanSession) session = saban_session_new_local ();
  SabanWindow *window = saban_window_new (NULL, session);
  SabanMapView *map = saban_window_get_map_view (window);
  g_autoptr(GError) error = NULL;

  g_assert_true (saban_window_get_session (window) == session);
  gtk_window_present (GTK_WINDOW (window));
  saban_session_pick_point_async (session, "Nhấp chọn vị trí", NULL, picked, &error);
  g_assert_cmpint (saban_map_view_get_tool (map), ==, SABAN_MAP_TOOL_PICK_POINT);
  g_assert_true (app_test_shows_label_containing (GTK_WIDGET (window), "Nhấp chọn vị trí"));
  g_signal_emit_by_name (map, "point-picked", 22.48, 103.97);
  TEST_WAIT_UNTIL (error != NULL, 5);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_cmpint (saban_map_view_get_tool (map), ==, SABAN_MAP_TOOL_SELECT);
  g_clear_error (&error);

  saban_session_pick_point_async (session, "Nhấp chọn vị trí", NULL, picked, &error);
  g_action_group_activate_action (G_ACTION_GROUP (window), "tool", g_variant_new_string ("select"));
  TEST_WAIT_UNTIL (error != NULL, 5);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Plain HTTP to a server on the network (issue 11): refused until the
 * allow-plain-http setting allows it; then the status bar warns, in
 * Vietnamese, for as long as it is on. */
static void
test_plain_http_warning (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(SabanSession) session = NULL;
  SabanWindow *window;

  g_setenv ("SABAN_SERVER_URL", "http://198.51.100.7:8080", TRUE);
  session = saban_session_new ();
  g_assert_false (saban_api_get_plain_http (saban_session_get_api (session)));
  window = saban_window_new (NULL, session);
  gtk_window_present (GTK_WINDOW (window));
  TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)), 10);
  g_assert_false (app_test_shows_label_containing (GTK_WIDGET (window), "Kết nối không mã hóa"));

  g_settings_set_boolean (settings, "allow-plain-http", TRUE);
  g_assert_true (saban_api_get_plain_http (saban_session_get_api (session)));
  TEST_WAIT_UNTIL (app_test_shows_label_containing (GTK_WIDGET (window), "Kết nối không mã hóa"), 5);

  g_settings_set_boolean (settings, "allow-plain-http", FALSE);
  TEST_WAIT_UNTIL (!app_test_shows_label_containing (GTK_WIDGET (window), "Kết nối không mã hóa"), 5);
  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("SABAN_SERVER_URL");
}

int
main (int argc, char *argv[])
{
  app_test_init (&argc, &argv);
  g_resources_register (saban_get_resource ());
  g_test_add_func ("/session/local", test_local);
  g_test_add_func ("/session/pick-without-map", test_pick_without_map);
  g_test_add_func ("/session/pick-on-window", test_pick_on_window);
  g_test_add_func ("/session/plain-http-warning", test_plain_http_warning);
  return g_test_run ();
}
