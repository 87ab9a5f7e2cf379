/* Launching the flash-flood playbook on the demo province, in Vietnamese,
 * inside the real application against the real saban-server --demo and a
 * real mosquitto: the launch panel opened from the window's action; the
 * area set by picking communes (an empty choice refused), by a circle
 * drawn on the map (a crossing polygon refused), and from an alarming
 * gauge, and from the CAP alert the server issued for it (its polygon, a
 * playbook from its event, its headline as the title); the panel's impact
 * figures equal SabanImpact's for the same area;
 * the scenario activated with its checklist tasks is on the server and its
 * area on the map. Screenshots of the panel and of the map are kept in the
 * build directory (screenshot-launch.png, screenshot-launch-map.png). The
 * scenario is left active for the board. */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "app-test.h"
#include "saban-application.h"
#include "saban-citizen-reports.h"
#include "saban-format.h"
#include "saban-ogr-reader.h"
#include "saban-scenario-area.h"
#include "saban-scenario-launch.h"
#include "saban-scenario-window.h"
#include "saban-window.h"

/* every wait of this test allows a minute */
#define WAIT_SECONDS 60

static gboolean
launch_has_impact (SabanScenarioLaunch *launch)
{
  return !saban_scenario_launch_get_busy (launch) && saban_scenario_launch_get_impact (launch) != NULL;
}

/* the alarm of the gauge the test pushed over danger (datastream 1) */
static SabanAlarm *
gauge_alarm (SabanApplication *app)
{
  GListModel *alarms = G_LIST_MODEL (saban_session_get_alarms (saban_application_get_session (app)));
  SabanSensorStore *store = saban_session_get_sensor_store (saban_application_get_session (app));

  for (guint i = 0; i < g_list_model_get_n_items (alarms); i++)
    {
      g_autoptr(SabanAlarm) alarm = g_list_model_get_item (alarms, i);

      if (saban_alarm_get_cap_identifier (alarm) == NULL &&
          saban_sensor_store_get_sensor (store, saban_alarm_get_sensor (alarm))->datastream_id == 1)
        return alarm;
    }
  return NULL;
}

/* the CAP alert the server issued for it */
static SabanAlarm *
cap_alarm (SabanApplication *app)
{
  GListModel *alarms = G_LIST_MODEL (saban_session_get_alarms (saban_application_get_session (app)));

  for (guint i = 0; i < g_list_model_get_n_items (alarms); i++)
    {
      g_autoptr(SabanAlarm) alarm = g_list_model_get_item (alarms, i);

      if (saban_alarm_get_cap_identifier (alarm) != NULL)
        return alarm;
    }
  return NULL;
}

static void
click (GtkWidget *root, const char *name)
{
  g_signal_emit_by_name (app_test_find (root, GTK_TYPE_BUTTON, name), "clicked");
}

/* Frames, so that layout, tiles and the overlay catch up. */
static void
settle (SabanMapView *map, guint ms)
{
  test_spin_ms (ms);
  TEST_WAIT_UNTIL (!saban_map_view_get_busy (map), WAIT_SECONDS);
}

/* The same analysis, made here from the same area, layers, sensors and reports. */
static void
assert_same_impact (SabanScenarioLaunch *launch, GPtrArray *layers, SabanSensorStore *sensors, GArray *reports)
{
  SabanImpact *shown = saban_scenario_launch_get_impact (launch);
  g_autofree char *wkt = saban_scenario_area_to_wkt (saban_scenario_launch_get_area (launch), NULL);
  g_autoptr(SabanImpactArea) area = saban_impact_area_new_from_wkt (wkt, NULL);
  g_autoptr(SabanImpact) expected = saban_impact_new (area, layers);
  g_autoptr(GError) error = NULL;
  guint n1, n2;
  const SabanImpactCommune *c1, *c2;
  const SabanImpactPlace *p1, *p2;
  const SabanImpactLanduse *l1, *l2;
  g_autofree char *population = NULL;
  g_autofree char *people = NULL;
  GtkWidget *row, *value;

  gint64 t0;
  double ms;

  saban_impact_set_sensors (expected, sensors);
  saban_impact_set_reports (expected, (const SabanImpactReport *) reports->data, reports->len);
  /* the analysis alone, under a second (the panel's figure, which includes
   * waiting for a busy main loop, is only reported) */
  t0 = g_get_monotonic_time ();
  g_assert_true (saban_impact_compute (expected, NULL, &error));
  ms = (g_get_monotonic_time () - t0) / 1000.0;
  g_assert_no_error (error);
  g_test_message ("impact computed in %.0f ms", ms);
  g_assert_cmpfloat (ms, <, 1000);

  g_assert_cmpfloat (saban_impact_get_population_affected (shown), ==, saban_impact_get_population_affected (expected));
  g_assert_cmpfloat (saban_impact_get_population_affected (shown), >, 0);
  c1 = saban_impact_get_communes (shown, &n1);
  c2 = saban_impact_get_communes (expected, &n2);
  g_assert_cmpuint (n1, ==, n2);
  for (guint i = 0; i < n1; i++)
    g_assert_cmpstr (c1[i].code, ==, c2[i].code);
  for (SabanImpactLayer layer = SABAN_IMPACT_SHELTERS; layer < SABAN_IMPACT_N_LAYERS; layer++)
    {
      saban_impact_get_places (shown, layer, &n1);
      saban_impact_get_places (expected, layer, &n2);
      g_assert_cmpuint (n1, ==, n2);
    }
  g_assert_cmpint (saban_impact_get_shelter_capacity (shown), ==, saban_impact_get_shelter_capacity (expected));
  p1 = saban_impact_get_nearest_shelters (shown, &n1);
  p2 = saban_impact_get_nearest_shelters (expected, &n2);
  g_assert_cmpuint (n1, ==, n2);
  for (guint i = 0; i < n1; i++)
    g_assert_cmpstr (p1[i].name, ==, p2[i].name);
  l1 = saban_impact_get_landuse (shown, &n1);
  l2 = saban_impact_get_landuse (expected, &n2);
  g_assert_cmpuint (n1, ==, n2);
  for (guint i = 0; i < n1; i++)
    g_assert_cmpfloat_with_epsilon (l1[i].area_ha, l2[i].area_ha, 1e-6);
  saban_impact_get_sensors (shown, &n1);
  saban_impact_get_sensors (expected, &n2);
  g_assert_cmpuint (n1, ==, n2);
  saban_impact_get_reports (shown, &n1);
  saban_impact_get_reports (expected, &n2);
  g_assert_cmpuint (n1, ==, n2);

  /* and the panel says so, in Vietnamese numbers */
  population = saban_format_number (saban_impact_get_population_affected (expected), 0);
  people = g_strdup_printf ("%s người", population);
  row = app_test_find (GTK_WIDGET (launch), ADW_TYPE_ACTION_ROW, "impact-population");
  value = app_test_find (row, GTK_TYPE_LABEL, "value");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (value)), ==, people);
  c2 = saban_impact_get_communes (expected, &n2);
  {
    guint affected = 0;
    g_autofree char *subtitle = NULL;

    for (guint i = 0; i < n2; i++)
      affected += c2[i].fraction >= 0.0005;
    subtitle = g_strdup_printf ("%u xã, phường", affected);
    row = app_test_find (GTK_WIDGET (launch), ADW_TYPE_EXPANDER_ROW, "impact-communes");
    g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, subtitle);
  }
}

static GtkWidget *
commune_check (SabanScenarioLaunch *launch, const char *code)
{
  g_autofree char *name = g_strconcat ("commune-", code, NULL);

  return app_test_find (app_test_find (GTK_WIDGET (launch), GTK_TYPE_LIST_BOX_ROW, name), GTK_TYPE_CHECK_BUTTON, NULL);
}

static GtkEventController *
drag_gesture (SabanMapView *map)
{
  g_autoptr(GListModel) list = gtk_widget_observe_controllers (GTK_WIDGET (map));

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (list, i);
      if (GTK_IS_GESTURE_DRAG (c))
        return c;
    }
  g_assert_not_reached ();
}

static GtkEventController *
click_gesture (SabanMapView *map)
{
  GtkWidget *shumate = gtk_widget_get_first_child (GTK_WIDGET (map));
  g_autoptr(GListModel) list = gtk_widget_observe_controllers (shumate);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (list, i);
      if (GTK_IS_GESTURE_CLICK (c) &&
          g_signal_handler_find (c, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, map) != 0)
        return c;
    }
  g_assert_not_reached ();
}

static void
own_notification_name (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GVariant) reply = NULL;

  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "RequestName", g_variant_new ("(su)", "org.gtk.Notifications", 0),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

static void
test_launch (void)
{
  g_autofree char *token = NULL, *path = NULL;
  g_autoptr(SabanApplication) app = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GPtrArray) layers = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) reports = NULL;
  SabanCommandClient *client;
  SabanWindow *window;
  SabanScenarioLaunch *launch;
  SabanMapView *map;
  SabanCommandItem *scenario;
  GtkEventController *drag, *clicks;
  JsonNode *area;
  AppTestBackend *backend;
  TestServer *server;
  guint n_tasks = 0, alarm_sensor;
  gint64 started;
  double elapsed_ms;

  backend = app_test_backend_start ("launch.db");
  if (backend == NULL)
    {
      g_test_skip ("mosquitto is not installed");
      return;
    }
  server = backend->server;
  token = test_login (server, "dieuphoi");
  app_test_backend_setenv (backend, TRUE, NULL);
  settings = g_settings_new ("io.github.saban");
  g_settings_set_string (settings, "account", "dieuphoi");
  g_settings_set_int (settings, "window-width", 1600);
  g_settings_set_int (settings, "window-height", 1000);

  /* the layers, sensors and reports the test computes the impact from */
  layers = saban_ogr_read (g_getenv ("SABAN_DEMO_DATA"), NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  own_notification_name ();
  app = saban_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_application_activate (G_APPLICATION (app));
  window = SABAN_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  TEST_WAIT_UNTIL (!saban_window_get_loading (window), WAIT_SECONDS);
  client = saban_session_get_command_client (saban_application_get_session (app));
  g_assert_nonnull (client);
  TEST_WAIT_UNTIL (saban_command_client_get_loaded (client) &&
                   saban_command_store_get_n_items (saban_command_client_get_store (client), SABAN_COMMAND_PLAYBOOKS) > 0,
                   WAIT_SECONDS);
  map = SABAN_MAP_VIEW (app_test_find (GTK_WIDGET (window), SABAN_TYPE_MAP_VIEW, NULL));

  /* the launch panel, from the window's action */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.launch-scenario", NULL));
  launch = SABAN_SCENARIO_LAUNCH (app_test_find (GTK_WIDGET (window), SABAN_TYPE_SCENARIO_LAUNCH, NULL));
  TEST_WAIT_UNTIL (!saban_scenario_launch_get_busy (launch), WAIT_SECONDS);   /* the citizen reports */
  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autofree char *reports_url = g_strconcat (server->base, "/open311/v2/requests.json?status=open", NULL);
    g_autoptr(SoupMessage) message = soup_message_new ("GET", reports_url);
    g_autoptr(GBytes) bytes = soup_session_send_and_read (session, message, NULL, &error);
    g_assert_no_error (error);
    reports = saban_citizen_reports_parse (bytes, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (reports->len, >, 0);
  }

  {
    GtkWidget *row = app_test_find (GTK_WIDGET (launch), GTK_TYPE_LIST_BOX_ROW, "lu-quet-sat-lo");
    gtk_list_box_select_row (GTK_LIST_BOX (gtk_widget_get_parent (row)), GTK_LIST_BOX_ROW (row));
  }

  /* no commune chosen: a message, nothing else */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (app_test_find (GTK_WIDGET (launch), GTK_TYPE_TOGGLE_BUTTON, "pick-communes")), TRUE);
  click (GTK_WIDGET (launch), "apply-communes");
  TEST_WAIT_UNTIL (!saban_scenario_launch_get_busy (launch), WAIT_SECONDS);
  g_assert_null (saban_scenario_launch_get_area (launch));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (app_test_find (GTK_WIDGET (launch), GTK_TYPE_LABEL, "message"))), ==,
                   "Hãy chọn ít nhất một xã, phường");

  /* a circle dragged on the map, the panel out of the way meanwhile */
  click (GTK_WIDGET (launch), "draw-circle");
  g_assert_true (saban_scenario_launch_get_drawing (launch));
  settle (map, 300);
  drag = drag_gesture (map);
  started = g_get_monotonic_time ();
  g_signal_emit_by_name (drag, "drag-begin", gtk_widget_get_width (GTK_WIDGET (map)) / 2.0,
                         gtk_widget_get_height (GTK_WIDGET (map)) / 2.0);
  g_signal_emit_by_name (drag, "drag-update", 60.0, 0.0);
  g_signal_emit_by_name (drag, "drag-end", 90.0, 0.0);
  g_assert_false (saban_scenario_launch_get_drawing (launch));
  area = saban_scenario_launch_get_area (launch);
  g_assert_nonnull (area);
  TEST_WAIT_UNTIL (launch_has_impact (launch), WAIT_SECONDS);
  elapsed_ms = (g_get_monotonic_time () - started) / 1000.0;
  g_test_message ("circle: impact shown in %.0f ms", elapsed_ms);
  assert_same_impact (launch, layers, saban_session_get_sensor_store (saban_application_get_session (app)), reports);

  /* a polygon that crosses itself: refused, the circle stays */
  click (GTK_WIDGET (launch), "draw-polygon");
  clicks = click_gesture (map);
  g_signal_emit_by_name (clicks, "released", 1, 300.0, 200.0);
  g_signal_emit_by_name (clicks, "released", 1, 700.0, 600.0);
  g_signal_emit_by_name (clicks, "released", 1, 700.0, 200.0);
  g_signal_emit_by_name (clicks, "released", 1, 300.0, 600.0);
  g_signal_emit_by_name (clicks, "released", 2, 300.0, 600.0);
  g_assert_true (saban_scenario_launch_get_drawing (launch));
  g_assert_nonnull (strstr (saban_scenario_launch_get_hint (launch), "tự cắt"));
  {
    gboolean handled = FALSE;
    g_autoptr(GListModel) list = gtk_widget_observe_controllers (GTK_WIDGET (map));
    for (guint i = 0; i < g_list_model_get_n_items (list); i++)
      {
        g_autoptr(GtkEventController) c = g_list_model_get_item (list, i);
        if (GTK_IS_EVENT_CONTROLLER_KEY (c))
          g_signal_emit_by_name (c, "key-pressed", GDK_KEY_Escape, 0, 0, &handled);
      }
    g_assert_true (handled);
  }
  g_assert_false (saban_scenario_launch_get_drawing (launch));
  g_assert_true (saban_scenario_launch_get_area (launch) == area);

  /* two communes: their union */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (app_test_find (GTK_WIDGET (launch), GTK_TYPE_TOGGLE_BUTTON, "pick-communes")), TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (commune_check (launch, "02611")), TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (commune_check (launch, "02608")), TRUE);
  started = g_get_monotonic_time ();
  click (GTK_WIDGET (launch), "apply-communes");
  /* the union is made in a worker: the panel stays responsive */
  g_assert_true (saban_scenario_launch_get_busy (launch));
  TEST_WAIT_UNTIL (saban_scenario_launch_get_area (launch) != area && launch_has_impact (launch), WAIT_SECONDS);
  elapsed_ms = (g_get_monotonic_time () - started) / 1000.0;
  g_test_message ("communes: impact shown in %.0f ms", elapsed_ms);
  assert_same_impact (launch, layers, saban_session_get_sensor_store (saban_application_get_session (app)), reports);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (app_test_find (GTK_WIDGET (launch), ADW_TYPE_ENTRY_ROW, NULL))), ==,
                   "Lũ quét và sạt lở đất — xã Cốc San, xã Hợp Thành");
  settle (map, 1500);
  app_test_save_png (GTK_WIDGET (window), "screenshot-launch.png");

  /* activate, with the checklist */
  click (GTK_WIDGET (launch), "activate");
  scenario = saban_scenario_launch_get_scenario (launch);
  g_assert_nonnull (scenario);
  TEST_WAIT_UNTIL (!saban_command_item_get_pending (scenario) && saban_command_item_get_id (scenario) > 0, WAIT_SECONDS);
  g_assert_cmpstr (saban_command_item_get_status (scenario), ==, "active");
  path = g_strdup_printf ("/collections/scenarios/items/%" G_GINT64_FORMAT, saban_command_item_get_id (scenario));
  {
    g_autoptr(Resp) r = test_request (server, "GET", path, token, NULL, NULL, NULL);
    JsonObject *geometry;

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (resp_props (r), "status"), ==, "active");
    g_assert_cmpstr (json_object_get_string_member (resp_props (r), "playbook"), ==, "lu-quet-sat-lo");
    g_assert_cmpstr (json_object_get_string_member (resp_props (r), "title"), ==, "Lũ quét và sạt lở đất — xã Cốc San, xã Hợp Thành");
    g_assert_cmpstr (json_object_get_string_member (resp_props (r), "severity"), ==, "Severe");
    geometry = json_object_get_object_member (resp_object (r), "geometry");
    g_assert_nonnull (strstr (json_object_get_string_member (geometry, "type"), "Polygon"));
  }
  {
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (n_tasks < 5 && g_get_monotonic_time () < deadline)
      {
        g_autoptr(JsonArray) tasks = test_scenario_tasks (server, token, saban_command_item_get_id (scenario));

        n_tasks = json_array_get_length (tasks);
        settle (map, 100);
      }
    g_assert_cmpuint (n_tasks, ==, 5);
  }

  /* its area on the map */
  click (GTK_WIDGET (launch), "close");
  settle (map, 1500);
  g_assert_cmpuint (saban_scenario_layer_get_n_drawn (saban_map_view_get_scenario_layer (map), NULL), ==, 1);
  app_test_save_png (GTK_WIDGET (window), "screenshot-launch-map.png");

  /* the board for it (the scenario workspace), as the coordinator goes on */
  g_action_group_activate_action (G_ACTION_GROUP (app), "scenario",
                                  g_variant_new_int64 (saban_command_item_get_id (scenario)));
  {
    SabanScenarioWindow *board = NULL;
    GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

    for (GList *w = windows; w != NULL; w = w->next)
      if (SABAN_IS_SCENARIO_WINDOW (w->data))
        board = w->data;
    g_assert_nonnull (board);
    g_assert_true (saban_scenario_window_get_scenario (board) == scenario);
    settle (map, 1500);
    app_test_save_png (GTK_WIDGET (board), "screenshot-launch-board.png");
    gtk_window_destroy (GTK_WINDOW (board));
  }

  /* from an alarm: a gauge in danger prefills a 5 km circle and the playbook */
  app_test_push_gauge (server, token, 12.5);
  TEST_WAIT_UNTIL (gauge_alarm (app) != NULL, WAIT_SECONDS);
  alarm_sensor = saban_alarm_get_sensor (gauge_alarm (app));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.launch-scenario-for-sensor", "u", alarm_sensor));
  TEST_WAIT_UNTIL (launch_has_impact (launch), WAIT_SECONDS);
  g_test_message ("from the alarm: %s", gtk_editable_get_text (GTK_EDITABLE (app_test_find (GTK_WIDGET (launch), ADW_TYPE_ENTRY_ROW, NULL))));
  g_assert_true (g_str_has_prefix (gtk_editable_get_text (GTK_EDITABLE (app_test_find (GTK_WIDGET (launch), ADW_TYPE_ENTRY_ROW, NULL))),
                                   "Lũ quét và sạt lở đất — "));
  g_assert_cmpuint (json_array_get_length (json_array_get_array_element (
                      json_object_get_array_member (json_node_get_object (saban_scenario_launch_get_area (launch)), "coordinates"), 0)),
                    ==, 65);

  /* from the CAP alert the server issued for that gauge: its row has the
   * same button, and the panel takes the alert's polygon, a playbook from
   * its event ("Lũ, ngập lụt": the flood one) and its headline */
  TEST_WAIT_UNTIL (cap_alarm (app) != NULL, WAIT_SECONDS);
  {
    SabanAlarm *alert = cap_alarm (app);
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
    GtkWidget *button = NULL;
    guint n = 0;
    const double *ring = saban_alarm_get_area (alert, &n);
    JsonArray *coordinates;

    app_test_collect (GTK_WIDGET (window), GTK_TYPE_BUTTON, NULL, buttons);
    for (guint i = 0; i < buttons->len; i++)
      if (g_strcmp0 (gtk_actionable_get_action_name (g_ptr_array_index (buttons, i)),
                     "win.launch-scenario-for-alert") == 0)
        button = g_ptr_array_index (buttons, i);
    g_assert_nonnull (button);
    g_assert_cmpstr (g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button)), NULL), ==,
                     saban_alarm_get_cap_identifier (alert));
    g_signal_emit_by_name (button, "clicked");
    TEST_WAIT_UNTIL (launch_has_impact (launch), WAIT_SECONDS);
    g_test_message ("from the alert (%s): %s", saban_alarm_get_event (alert),
                    gtk_editable_get_text (GTK_EDITABLE (app_test_find (GTK_WIDGET (launch), ADW_TYPE_ENTRY_ROW, NULL))));
    g_assert_cmpstr (saban_scenario_launch_get_playbook (launch), ==, "ngap-lut");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (app_test_find (GTK_WIDGET (launch), ADW_TYPE_ENTRY_ROW, NULL))), ==,
                     saban_alarm_get_sensor_name (alert));
    coordinates = json_array_get_array_element (
      json_object_get_array_member (json_node_get_object (saban_scenario_launch_get_area (launch)), "coordinates"), 0);
    g_assert_cmpuint (n, >=, 4);
    g_assert_cmpfloat (json_array_get_double_element (json_array_get_array_element (coordinates, 0), 0), ==, ring[0]);
    g_assert_cmpfloat (json_array_get_double_element (json_array_get_array_element (coordinates, 1), 1), ==, ring[3]);
    g_assert_cmpuint (json_array_get_length (coordinates), ==,
                      ring[0] == ring[2 * n - 2] && ring[1] == ring[2 * n - 1] ? n : n + 1);
  }

  /* the server gone while creating: kept in the outbox, said so */
  test_server_kill (server);
  click (GTK_WIDGET (launch), "create");
  scenario = saban_scenario_launch_get_scenario (launch);
  g_assert_nonnull (scenario);
  g_assert_true (saban_command_item_get_pending (scenario));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (app_test_find (GTK_WIDGET (launch), GTK_TYPE_LABEL, "message"))),
                            "không mất"));

  gtk_window_destroy (GTK_WINDOW (window));
  app_test_backend_free (backend);
}

int
main (int argc, char *argv[])
{
  /* No notification daemon runs on the test's session bus: the freedesktop
   * backend would warn (fatally, in a test) at each alarm. GTK's backend
   * sends without asking for an answer, once someone owns its name. */
  g_setenv ("GNOTIFICATION_BACKEND", "gtk", TRUE);
  app_test_init (&argc, &argv);
  g_test_add_func ("/app/scenario-launch", test_launch);
  return g_test_run ();
}
