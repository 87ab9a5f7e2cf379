/* A closed scenario's replay on the main window's map, in the real
 * application, in Vietnamese, against saban-server --demo (60 simulated
 * seconds a second, so the live units are well ahead of the replay's) and
 * a real mosquitto: the board's replay loads the sensors' and units'
 * history and the map shows the replay's stores, with the replay's time
 * over it; the board closed, the map is live again. A screenshot of the map
 * during the replay is left in the build directory. */
#include <math.h>

#include "app-test.h"
#include "saban-application.h"
#include "saban-scenario-window.h"
#include "saban-window.h"

static SabanSensorStore *
map_sensors (SabanWindow *window)
{
  return saban_sensor_layer_get_store (saban_map_view_get_sensor_layer (saban_window_get_map_view (window)));
}

static SabanUnitStore *
map_units (SabanWindow *window)
{
  return saban_unit_layer_get_store (saban_map_view_get_unit_layer (saban_window_get_map_view (window)));
}

static void
test_replay_map (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "replay.db", NULL);
  g_autofree char *mqtt_arg = NULL, *broker_addr = NULL, *token = NULL, *url = NULL;
  g_autoptr(GSubprocess) broker = NULL;
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(SabanApplication) app = NULL;
  g_autoptr(GFile) demo = g_file_new_for_path (g_getenv ("SABAN_DEMO_DATA"));
  g_autoptr(Resp) closed = NULL;
  SabanCommandClient *client;
  SabanCommandItem *scenario;
  SabanSensorStore *live, *replay;
  SabanUnitStore *live_units;
  const SabanUnit *unit, *replayed;
  SabanScenarioWindow *board;
  SabanWindow *main_window;
  GtkAdjustment *adjustment;
  TestServer *server;
  guint broker_port, n_read = 0;
  gint64 id;

  broker = test_mosquitto_start (&broker_port);
  if (broker == NULL)
    {
      g_test_skip ("mosquitto is not installed");
      return;
    }
  mqtt_arg = g_strdup_printf ("--mqtt=127.0.0.1:%u", broker_port);
  broker_addr = g_strdup_printf ("127.0.0.1:%u", broker_port);
  server = test_server_start (db, (const char *const[]) { "--rate-limit=0", "--sim-speed=60", mqtt_arg, NULL });
  token = test_login (server, "dieuphoi");

  g_setenv ("SABAN_SERVER_URL", server->base, TRUE);
  g_setenv ("SABAN_MQTT_BROKER", broker_addr, TRUE);
  g_setenv ("SABAN_MQTT_USER", TEST_MQTT_CLIENT_USER, TRUE);
  g_setenv ("SABAN_MQTT_PASSWORD", TEST_MQTT_CLIENT_PASSWORD, TRUE);
  g_setenv ("SABAN_PASSWORD", "saban-demo", TRUE);
  g_settings_set_string (settings, "account", "dieuphoi");
  app = saban_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  client = saban_session_get_command_client (saban_application_get_session (app));
  live = saban_session_get_sensor_store (saban_application_get_session (app));
  live_units = saban_session_get_units (saban_application_get_session (app));

  main_window = saban_window_new (GTK_APPLICATION (app), saban_application_get_session (app));
  saban_window_open_demo (main_window, demo);
  gtk_window_set_default_size (GTK_WINDOW (main_window), 1280, 800);
  gtk_window_present (GTK_WINDOW (main_window));
  TEST_WAIT_UNTIL (!saban_window_get_loading (main_window) && saban_command_client_get_loaded (client) &&
              saban_unit_store_get_n_units (live_units) > 0 && !saban_session_get_sensors_busy (saban_application_get_session (app)) &&
              saban_sensor_store_get_n_sensors (live) > 0, 30);

  /* a scenario that ran for a few seconds, then closed */
  id = test_scenario_create (server, token, "Diễn tập lũ sông Hồng");
  g_usleep (3 * G_USEC_PER_SEC);
  url = g_strdup_printf ("%s/collections/scenarios/items/%" G_GINT64_FORMAT, server->base, id);
  closed = test_http ("PATCH", url, token, "application/json", "{\"properties\":{\"status\":\"closed\"}}",
                      (const char *const[]) { "If-Match", "\"v2\"", NULL });
  g_assert_cmpuint (closed->status, ==, 200);
  TEST_WAIT_UNTIL ((scenario = saban_command_store_lookup (saban_command_client_get_store (client), SABAN_COMMAND_SCENARIOS,
                                                      id)) != NULL &&
              g_strcmp0 (saban_command_item_get_status (scenario), "closed") == 0, 30);

  /* its replay: the map shows the sensors and units of then, and says so */
  g_assert_true (map_sensors (main_window) == live);
  board = saban_scenario_window_show (GTK_APPLICATION (app), saban_application_get_session (app), scenario);
  TEST_WAIT_UNTIL (saban_scenario_window_get_replaying (board) && map_sensors (main_window) != live, 30);
  replay = map_sensors (main_window);
  g_assert_true (map_units (main_window) != live_units);
  g_assert_cmpuint (saban_sensor_store_get_n_sensors (replay), ==, saban_sensor_store_get_n_sensors (live));
  for (guint i = 0; i < saban_sensor_store_get_n_sensors (replay); i++)
    n_read += !isnan (saban_sensor_store_get_sensor (replay, i)->value);
  g_assert_cmpuint (n_read, >, 10);
  TEST_WAIT_UNTIL (app_test_shows_label_containing (GTK_WIDGET (main_window), "Phát lại Diễn tập lũ sông Hồng"), 30);

  /* the units where they were then, not where they are now (the simulated
   * clock is well ahead) */
  unit = saban_unit_store_get_unit (live_units, 0);
  replayed = saban_unit_store_get_unit (map_units (main_window), 0);
  g_assert_cmpint (replayed->thing_id, ==, unit->thing_id);
  g_assert_cmpint (replayed->time_us, <, unit->time_us);

  /* the slider moves them; they stay the replay's */
  adjustment = saban_scenario_window_get_replay_adjustment (board);
  gtk_adjustment_set_value (adjustment, 0);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  g_assert_true (map_sensors (main_window) == replay);

  /* close to the unit, once the window has zoomed to the province */
  test_spin_ms (1000);
  saban_map_view_center_on (saban_window_get_map_view (main_window), replayed->lat - 0.01, replayed->lon + 0.01, 13);
  test_spin_ms (500);
  TEST_WAIT_UNTIL (!saban_map_view_get_busy (saban_window_get_map_view (main_window)), 30);
  test_spin_ms (1000);
  app_test_save_png (GTK_WIDGET (main_window), "screenshot-replay-map.png");

  /* the board closed: live again */
  gtk_window_destroy (GTK_WINDOW (board));
  g_assert_true (map_sensors (main_window) == live);
  g_assert_true (map_units (main_window) == live_units);
  g_assert_false (app_test_shows_label_containing (GTK_WIDGET (main_window), "Phát lại"));

  gtk_window_destroy (GTK_WINDOW (main_window));
  test_server_stop (server);
  test_server_free (server);
  g_subprocess_force_exit (broker);
}

int
main (int argc, char *argv[])
{
  app_test_init (&argc, &argv);
  /* the simulated flood's danger alarms find no notification service on
   * the test bus: GIO warns, which is not a failure here */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/app/replay-map", test_replay_map);
  return g_test_run ();
}
