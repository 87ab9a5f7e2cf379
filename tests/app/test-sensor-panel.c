/* The sensor panel in Vietnamese against the real saban-server (simulator)
 * and a real mosquitto: a water-level gauge's chart has its readings and
 * its amber and red levels, follows the pointer, reloads for another
 * period, takes a live reading and exports its rows as CSV; a camera shows
 * its picture, and says in Vietnamese when its stream cannot play; a dead
 * server, malformed readings and a "picture" that is none are messages in
 * the panel. Last, the whole application: a gauge in danger is red on the
 * map and its chart is open beside it (screenshot-sensor-chart.png in the
 * build directory, to look at). */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "app-test.h"
#include "saban-application.h"
#include "saban-format.h"
#include "saban-map-view.h"
#include "saban-resources.h"
#include "saban-sensor-chart.h"
#include "saban-sensor-panel.h"

static AppTestBackend *backend;
static SabanApi *api;   /* the test server's */

static gboolean
not_busy (gpointer panel)
{
  return !saban_sensor_panel_get_busy (panel);
}

static void
load_done (GObject *source, GAsyncResult *result, gpointer data)
{
  *(int *) data = saban_sensor_things_client_load_finish (SABAN_SENSOR_THINGS_CLIENT (source), result, NULL) ? 1 : -1;
}

static SabanSensorThingsClient *
loaded_client (SabanApi *server_api, SabanSensorStore *store)
{
  SabanSensorThingsClient *client = saban_sensor_things_client_new (server_api, "/v1.1", store);
  int done = 0;

  saban_sensor_things_client_load_async (client, NULL, load_done, &done);
  while (done == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (done, ==, 1);
  return client;
}

static guint
find_kind (SabanSensorStore *store, SabanSensorKind kind)
{
  for (guint i = 0; i < saban_sensor_store_get_n_sensors (store); i++)
    if (saban_sensor_store_get_sensor (store, i)->kind == kind)
      return i;
  g_assert_not_reached ();
}

static GtkWidget *
panel_window (SabanSensorThingsClient *client, SabanSensorPanel **panel)
{
  GtkWidget *window = gtk_window_new ();

  *panel = SABAN_SENSOR_PANEL (saban_sensor_panel_new (client));
  gtk_window_set_default_size (GTK_WINDOW (window), 460, 900);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (*panel));
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
test_chart (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(SabanSensorThingsClient) client = loaded_client (api, store);
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *csv_path = g_build_filename (dir, "mực nước.csv", NULL);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *live = NULL;
  SabanSensorPanel *panel;
  GtkWidget *window = panel_window (client, &panel);
  SabanSensorChart *chart = app_test_find (GTK_WIDGET (panel), SABAN_TYPE_SENSOR_CHART, NULL);
  g_autoptr(GListModel) controllers = NULL;
  GtkEventController *motion = NULL;
  guint index = find_kind (store, SABAN_SENSOR_KIND_WATER_LEVEL), n24, n6;
  const SabanSensor *s = saban_sensor_store_get_sensor (store, index);

  saban_sensor_panel_show_sensor (panel, index);
  g_assert_true (saban_sensor_panel_get_busy (panel));
  g_assert_true (test_wait_for (not_busy, panel, 30000));
  n24 = saban_sensor_chart_get_n_points (chart);
  g_test_message ("24 h: %u readings", n24);
  g_assert_cmpuint (n24, >, 200);
  g_assert_true (app_test_shows_label_containing (GTK_WIDGET (panel), s->name));
  g_assert_true (app_test_shows_label_containing (GTK_WIDGET (panel), "Mực nước"));
  /* the provincial levels, the demo's three */
  g_assert_true (app_test_shows_label_containing (GTK_WIDGET (panel), "Báo động I: "));
  g_assert_true (app_test_shows_label_containing (GTK_WIDGET (panel), "Báo động II: "));
  g_assert_true (app_test_shows_label_containing (GTK_WIDGET (panel), "Báo động III: "));
  g_assert_true (app_test_shows_label_containing (GTK_WIDGET (panel), "số liệu"));

  /* the chart as users see it: the line, and the amber, orange and red levels */
  texture = app_test_render (window, "screenshot-sensor-panel.png");
  g_assert_cmpuint (app_test_count_colour (texture, NULL, 245, 158, 10, 24), >, 200);
  g_assert_cmpuint (app_test_count_colour (texture, NULL, 255, 120, 0, 12), >, 200);
  g_assert_cmpuint (app_test_count_colour (texture, NULL, 217, 28, 28, 24), >, 200);
  g_assert_cmpuint (app_test_count_colour (texture, NULL, 54, 133, 227, 24), >, 300);

  /* once drawn, the pointer over the middle of the chart reads the nearest value out */
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (chart));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && motion == NULL; i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);
      if (GTK_IS_EVENT_CONTROLLER_MOTION (c))
        motion = c;
    }
  g_assert_nonnull (motion);
  g_assert_null (saban_sensor_chart_get_readout (chart));
  g_signal_emit_by_name (motion, "motion", gtk_widget_get_width (GTK_WIDGET (chart)) / 2.0, 60.0);
  g_assert_nonnull (saban_sensor_chart_get_readout (chart));
  g_test_message ("read-out: %s", saban_sensor_chart_get_readout (chart));
  g_assert_true (g_str_has_suffix (saban_sensor_chart_get_readout (chart), " m"));
  g_assert_nonnull (strchr (saban_sensor_chart_get_readout (chart), ','));   /* 2,87 m */
  g_signal_emit_by_name (motion, "leave");
  g_assert_null (saban_sensor_chart_get_readout (chart));

  /* another period reloads */
  g_object_set (panel, "range-hours", 6, NULL);
  g_assert_true (saban_sensor_panel_get_busy (panel));
  g_assert_true (test_wait_for (not_busy, panel, 30000));
  n6 = saban_sensor_chart_get_n_points (chart);
  g_assert_cmpuint (n6, >, 50);
  g_assert_cmpuint (n6, <, n24 / 2);
  g_object_set (panel, "range-hours", 168, NULL);
  g_assert_true (test_wait_for (not_busy, panel, 30000));
  g_assert_cmpuint (saban_sensor_chart_get_n_points (chart), >=, n24);

  /* a live reading joins the chart */
  g_object_set (panel, "range-hours", 24, NULL);
  g_assert_true (test_wait_for (not_busy, panel, 30000));
  n24 = saban_sensor_chart_get_n_points (chart);
  g_assert_true (saban_sensor_store_observe (store, s->datastream_id, G_MAXINT32, g_get_real_time () + 60 * G_USEC_PER_SEC,
                                             s->danger_level + 0.5, NULL));
  saban_sensor_store_flush (store);
  /* it ends the chart (which slid by a minute: its oldest reading may have left) */
  g_assert_cmpuint (saban_sensor_chart_get_n_points (chart), >=, n24);
  g_assert_cmpuint (saban_sensor_chart_get_n_points (chart), <=, n24 + 1);
  g_signal_emit_by_name (motion, "motion", gtk_widget_get_width (GTK_WIDGET (chart)) - 8.0, 60.0);   /* the plot's right edge */
  live = saban_format_reading (s->danger_level + 0.5, "m");
  g_assert_true (g_str_has_suffix (saban_sensor_chart_get_readout (chart), live));
  g_signal_emit_by_name (motion, "leave");
  g_assert_true (app_test_shows_label_containing (GTK_WIDGET (panel), "Nguy hiểm"));

  /* CSV: a header and one row per reading */
  saban_sensor_panel_export_csv (panel, csv);
  TEST_WAIT_UNTIL (app_test_shows_label_containing (GTK_WIDGET (panel), "Đã xuất"), 10);
  g_assert_true (g_file_get_contents (csv_path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\r\n", -1);
  /* header, rows, "" after the last CRLF */
  g_assert_cmpuint (g_strv_length (lines), ==, saban_sensor_chart_get_n_points (chart) + 2);
  g_assert_true (g_str_has_prefix (lines[0], "\xEF\xBB\xBF" "Thời điểm"));
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?\\+07:00,-?[0-9.]+(e-?\\d+)?,m$",
                                       lines[1], 0, 0));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_picture (gpointer data)
{
  return gtk_picture_get_paintable (data) != NULL;
}

static gboolean
video_message (gpointer data)
{
  return app_test_shows_label_containing (data, "Không phát được luồng video");
}

static void
test_camera (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(SabanSensorThingsClient) client = loaded_client (api, store);
  SabanSensorPanel *panel;
  GtkWidget *window = panel_window (client, &panel);
  GtkPicture *picture = app_test_find (GTK_WIDGET (panel), GTK_TYPE_PICTURE, NULL);
  guint index = find_kind (store, SABAN_SENSOR_KIND_CAMERA);
  SabanSensor meta = *saban_sensor_store_get_sensor (store, index);
  g_autofree char *name = NULL, *commune = NULL, *commune_name = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GdkPaintable *paintable;

  saban_sensor_panel_show_sensor (panel, index);
  g_assert_true (test_wait_for (has_picture, picture, 10000));
  paintable = gtk_picture_get_paintable (picture);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 640);
  g_assert_true (app_test_shows_label_containing (GTK_WIDGET (panel), "Camera"));
  g_assert_true (app_test_shows_label_containing (GTK_WIDGET (panel), "Ảnh nhận lúc"));
  g_assert_false (gtk_widget_is_drawable (app_test_find (GTK_WIDGET (panel), SABAN_TYPE_SENSOR_CHART, NULL)));
  texture = app_test_render (window, "screenshot-sensor-camera.png");

  /* a stream that cannot play here (no GStreamer module for GTK, or no
   * such stream) is said so, with its address */
  /* the store replaces the sensor's strings: give it copies of its own */
  name = g_strdup (meta.name);
  commune = g_strdup (meta.commune);
  commune_name = g_strdup (meta.commune_name);
  meta.name = name;
  meta.commune = commune;
  meta.commune_name = commune_name;
  meta.unit = NULL;
  meta.stream_url = (char *) "rtsp://127.0.0.1:1/khong-co-luong";
  saban_sensor_store_add (store, &meta);
  saban_sensor_panel_show_sensor (panel, index);
  g_assert_true (test_wait_for (video_message, panel, 20000));
  g_assert_true (app_test_shows_label_containing (GTK_WIDGET (panel), "rtsp://127.0.0.1:1/khong-co-luong"));
  g_assert_true (test_wait_for (not_busy, panel, 10000));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
serve_bad (SoupServer *srv, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  if (g_str_has_suffix (path, "snapshot.png"))
    soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_STATIC, "<html>not a picture</html>", 26);
  else
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{\"value\":7", 10);
  soup_server_message_set_status (msg, 200, NULL);
}

static void
test_bad_input (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(SabanSensorThingsClient) good = loaded_client (api, store);
  g_autoptr(SabanSensorThingsClient) dead = NULL, bad = NULL;
  g_autoptr(SoupServer) srv = soup_server_new (NULL, NULL);
  g_autofree char *dead_url = g_strdup_printf ("http://127.0.0.1:%u", test_free_port ());
  g_autofree char *bad_url = NULL;
  g_autoptr(SabanApi) dead_api = saban_api_new (dead_url);
  g_autoptr(SabanApi) bad_api = NULL;
  g_autoptr(GError) error = NULL;
  guint port = test_free_port (), gauge = find_kind (store, SABAN_SENSOR_KIND_WATER_LEVEL);
  guint camera = find_kind (store, SABAN_SENSOR_KIND_CAMERA);
  SabanSensorPanel *panel;
  GtkWidget *window;
  SabanSensorChart *chart;
  double value = saban_sensor_store_get_sensor (store, gauge)->value;

  soup_server_add_handler (srv, NULL, serve_bad, NULL, NULL);
  g_assert_true (soup_server_listen_local (srv, port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  bad_url = g_strdup_printf ("http://127.0.0.1:%u", port);
  bad_api = saban_api_new (bad_url);

  /* the server is down */
  dead = saban_sensor_things_client_new (dead_api, "/v1.1", store);
  window = panel_window (dead, &panel);
  chart = app_test_find (GTK_WIDGET (panel), SABAN_TYPE_SENSOR_CHART, NULL);
  saban_sensor_panel_show_sensor (panel, gauge);
  g_assert_true (test_wait_for (not_busy, panel, 30000));
  g_assert_true (app_test_shows_label_containing (GTK_WIDGET (panel), "Không tải được số liệu"));
  g_assert_cmpuint (saban_sensor_chart_get_n_points (chart), ==, 0);
  /* the latest reading, from the store, is still shown */
  g_assert_cmpfloat (saban_sensor_store_get_sensor (store, gauge)->value, ==, value);
  g_assert_true (app_test_shows_label_containing (GTK_WIDGET (panel), "Báo động I: "));
  gtk_window_destroy (GTK_WINDOW (window));

  /* malformed readings; a "picture" that is none */
  bad = saban_sensor_things_client_new (bad_api, "/v1.1", store);
  window = panel_window (bad, &panel);
  chart = app_test_find (GTK_WIDGET (panel), SABAN_TYPE_SENSOR_CHART, NULL);
  g_test_expect_message ("saban-iot", G_LOG_LEVEL_MESSAGE, "page rejected*");
  saban_sensor_panel_show_sensor (panel, gauge);
  g_assert_true (test_wait_for (not_busy, panel, 30000));
  g_test_assert_expected_messages ();
  g_assert_true (app_test_shows_label_containing (GTK_WIDGET (panel), "không đọc được"));
  g_assert_cmpuint (saban_sensor_chart_get_n_points (chart), ==, 0);

  saban_sensor_panel_show_sensor (panel, camera);
  TEST_WAIT_UNTIL (app_test_shows_label_containing (GTK_WIDGET (panel), "không phải là ảnh"), 10);
  g_assert_null (gtk_picture_get_paintable (app_test_find (GTK_WIDGET (panel), GTK_TYPE_PICTURE, NULL)));
  g_assert_true (test_wait_for (not_busy, panel, 10000));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- the whole application ---- */

static gboolean activated;

static void
on_store_changed (SabanSensorStore *store, GtkWidget *window)
{
  guint gauge;

  /* datastream 1 is the Lào Cai gauge, pushed into danger below; opened
   * while the sensors still load, so the screenshot waits for its chart */
  if (activated || !saban_sensor_store_lookup (store, 1, &gauge))
    return;
  activated = TRUE;
  g_signal_emit_by_name (app_test_find (window, SABAN_TYPE_MAP_VIEW, NULL), "sensor-activated", gauge);
}

static void
on_window_added (GtkApplication *app, GtkWindow *window)
{
  g_signal_connect_object (saban_session_get_sensor_store (saban_application_get_session (SABAN_APPLICATION (app))), "sensors-changed",
                           G_CALLBACK (on_store_changed), window, 0);
}

static void
test_window (void)
{
  g_autofree char *png = g_test_build_filename (G_TEST_BUILT, "screenshot-sensor-chart.png", NULL);
  g_autofree char *token = test_login (backend->server, "trucban");
  g_autoptr(SabanApplication) app = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  char *argv[] = { (char *) "saban", (char *) "--screenshot", png, NULL };
  int width;

  app_test_push_gauge (backend->server, token, 9.5);
  /* the danger alarm's desktop notification finds no notification
   * service on the test bus: GIO warns, which is not a failure here */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  app_test_backend_setenv (backend, FALSE, NULL);
  g_remove (png);
  app = saban_application_new ();
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 3, argv), ==, 0);
  g_assert_true (activated);

  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  width = gdk_texture_get_width (texture);
  g_test_message ("window: %s (%d px wide)", png, width);
  /* the gauge red on the map and in the chart, the alert level amber, the readings blue */
  g_assert_cmpuint (app_test_count_colour (texture, NULL, 217, 28, 28, 24), >, 400);
  g_assert_cmpuint (app_test_count_colour (texture, NULL, 245, 158, 10, 24), >, 200);
  g_assert_cmpuint (app_test_count_colour (texture, NULL, 54, 133, 227, 24), >, 300);
}

int
main (int argc, char *argv[])
{
  int ret;

  app_test_init (&argc, &argv);
  g_resources_register (saban_get_resource ());

  backend = app_test_backend_start ("panel.db");
  if (backend == NULL)
    {
      g_printerr ("mosquitto is not installed\n");
      return 77;
    }
  api = saban_api_new (backend->server->base);

  g_test_add_func ("/sensor-panel/chart", test_chart);
  g_test_add_func ("/sensor-panel/camera", test_camera);
  g_test_add_func ("/sensor-panel/bad-input", test_bad_input);
  g_test_add_func ("/sensor-panel/window", test_window);
  ret = g_test_run ();

  app_test_backend_free (backend);
  g_clear_object (&api);
  return ret;
}
