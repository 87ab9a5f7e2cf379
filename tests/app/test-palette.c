/* Issue 15's command palette in the real application, in Vietnamese,
 * against the real saban-server --demo and mosquitto, on the demo
 * province: Ctrl+K's window answers "dân số xã Bảo Yên", "bao nhiêu cảm
 * biến đang báo động", "kịch bản đang chạy", "tỷ lệ hộ nghèo xã Bảo Yên"
 * and "bao nhiêu trường học ở xã Bảo Yên" with the figures the server
 * itself gives (its indicator values, its SensorThings readings against
 * their levels, its Command API, its OGC API collection), each with a
 * source and a time; choosing the population's answer takes the map to
 * Bảo Yên; a command found by name runs. */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "app-test.h"
#include "saban-application.h"
#include "saban-command-palette.h"
#include "saban-measure.h"
#include "saban-window.h"

#define BAO_YEN "02965"

/* the server's latest value of @indicator for @commune */
static double
server_indicator (TestServer *server, const char *token, const char *indicator, const char *commune)
{
  g_autofree char *path = g_strdup_printf ("/indicators/values?indicator=%s&commune=%s", indicator, commune);
  g_autoptr(Resp) r = test_request (server, "GET", path, token, NULL, NULL, NULL);
  JsonArray *communes, *series, *periods, *values;
  const char *latest = NULL;
  double value = NAN;
  guint column = G_MAXUINT;

  g_assert_cmpuint (r->status, ==, 200);
  communes = json_object_get_array_member (resp_object (r), "communes");
  for (guint i = 0; i < json_array_get_length (communes); i++)
    if (g_str_equal (json_array_get_string_element (communes, i), commune))
      column = i;
  g_assert_cmpuint (column, !=, G_MAXUINT);
  series = json_object_get_array_member (resp_object (r), "series");
  g_assert_cmpuint (json_array_get_length (series), ==, 1);
  periods = json_object_get_array_member (json_array_get_object_element (series, 0), "periods");
  values = json_object_get_array_member (json_array_get_object_element (series, 0), "values");
  for (guint p = 0; p < json_array_get_length (periods); p++)
    {
      JsonNode *v = json_array_get_element (json_array_get_array_element (values, p), column);

      if (!JSON_NODE_HOLDS_NULL (v) &&
          (latest == NULL || strcmp (json_array_get_string_element (periods, p), latest) > 0))
        {
          latest = json_array_get_string_element (periods, p);
          value = json_node_get_double (v);
        }
    }
  return value;
}

/* the server's datastreams whose latest reading is at or over their alert level */
static guint
server_alarms (TestServer *server, const char *token)
{
  g_autoptr(Resp) r = test_request (server, "GET",
                                    "/v1.1/Datastreams?$top=1000&$expand=Observations($orderby=phenomenonTime%20desc;$top=1)",
                                    token, NULL, NULL, NULL);
  JsonArray *streams;
  guint n = 0;

  g_assert_cmpuint (r->status, ==, 200);
  streams = json_object_get_array_member (resp_object (r), "value");
  for (guint i = 0; i < json_array_get_length (streams); i++)
    {
      JsonObject *d = json_array_get_object_element (streams, i);
      JsonObject *props = json_object_get_object_member (d, "properties");
      JsonArray *obs = json_object_get_array_member (d, "Observations");

      if (props == NULL || !json_object_has_member (props, "alertLevel") || json_array_get_length (obs) == 0)
        continue;
      n += json_object_get_double_member (json_array_get_object_element (obs, 0), "result") >=
           json_object_get_double_member (props, "alertLevel");
    }
  return n;
}

static guint
server_count (TestServer *server, const char *token, const char *path)
{
  g_autoptr(Resp) r = test_request (server, "GET", path, token, NULL, NULL, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return json_array_get_length (json_object_get_array_member (resp_object (r), "features"));
}

static guint
server_schools (TestServer *server, const char *commune)
{
  g_autoptr(Resp) r = test_request (server, "GET", "/collections/schools/items?limit=10000", NULL, NULL, NULL, NULL);
  JsonArray *features;
  guint n = 0;

  g_assert_cmpuint (r->status, ==, 200);
  features = json_object_get_array_member (resp_object (r), "features");
  for (guint i = 0; i < json_array_get_length (features); i++)
    n += g_strcmp0 (json_object_get_string_member_with_default (
                      json_object_get_object_member (json_array_get_object_element (features, i), "properties"),
                      "commune_code", NULL), commune) == 0;
  return n;
}

/* the palette's first row for @question: an answer with a source and a time */
static SabanAssistantResult *
ask (SabanCommandPalette *palette, const char *question)
{
  GListModel *rows;
  SabanAssistantResult *r;

  saban_command_palette_set_text (palette, question);
  rows = saban_command_palette_get_results (palette);
  g_assert_cmpuint (g_list_model_get_n_items (rows), >, 0);
  r = g_list_model_get_item (rows, 0);
  g_test_message ("%s → %s · %s", question, saban_assistant_result_get_title (r),
                  saban_assistant_result_get_source (r) ? saban_assistant_result_get_source (r) : "");
  g_assert_cmpint (saban_assistant_result_get_kind (r), ==, SABAN_ASSISTANT_ANSWER);
  g_assert_nonnull (saban_assistant_result_get_source (r));
  g_assert_cmpint (saban_assistant_result_get_time (r), >, 0);
  /* shown as a row with its source */
  g_assert_true (app_test_has_label_containing (GTK_WIDGET (palette), "Nguồn: "));
  return r;
}

static SabanCommandPalette *
open_palette (SabanWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.palette", NULL));
  TEST_WAIT_UNTIL (app_test_find_toplevel (SABAN_TYPE_COMMAND_PALETTE) != NULL, 10);
  return SABAN_COMMAND_PALETTE (app_test_find_toplevel (SABAN_TYPE_COMMAND_PALETTE));
}

static void
test_palette (void)
{
  g_autoptr(SabanApplication) app = NULL;
  g_autoptr(GFile) demo = g_file_new_for_path (g_getenv ("SABAN_DEMO_DATA"));
  g_autofree char *token = NULL;
  AppTestBackend *backend;
  SabanSession *session;
  SabanCommandClient *client;
  SabanCommandPalette *palette;
  SabanWindow *window;
  ShumateViewport *viewport;
  g_autoptr(SabanAssistantResult) population = NULL;
  g_autoptr(SabanAssistantResult) alarms = NULL;
  g_autoptr(SabanAssistantResult) running = NULL;
  g_autoptr(SabanAssistantResult) poor = NULL;
  g_autoptr(SabanAssistantResult) schools = NULL;
  double e[4], x0, y0, x1, y1, cx, cy;
  guint gauge;

  backend = app_test_backend_start ("palette.db");
  if (backend == NULL)
    {
      g_test_skip ("mosquitto is not installed");
      return;
    }
  token = test_login (backend->server, "dieuphoi");
  test_scenario_create (backend->server, token, "Lũ quét xã Bảo Yên");

  app_test_backend_setenv (backend, TRUE, "dieuphoi");
  app = saban_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  session = saban_application_get_session (app);
  client = saban_session_get_command_client (session);
  window = saban_window_new (GTK_APPLICATION (app), session);
  saban_window_open_demo (window, demo);
  gtk_window_present (GTK_WINDOW (window));
  TEST_WAIT_UNTIL (!saban_window_get_loading (window) && saban_session_get_indicators (session) != NULL &&
                   saban_command_client_get_state (client) == SABAN_FEED_STATE_LIVE &&
                   saban_sensor_store_get_n_sensors (saban_session_get_sensor_store (session)) > 0 &&
                   saban_sensor_feed_get_state (saban_session_get_sensor_feed (session)) == SABAN_FEED_STATE_LIVE, 60);
  /* a gauge in danger, seen by the client */
  app_test_push_gauge (backend->server, token, 9.5);
  g_assert_true (saban_sensor_store_lookup (saban_session_get_sensor_store (session), 1, &gauge));
  TEST_WAIT_UNTIL (saban_sensor_store_get_sensor (saban_session_get_sensor_store (session), gauge)->state ==
                   SABAN_SENSOR_STATE_DANGER, 20);

  palette = open_palette (window);
  population = ask (palette, "dân số xã Bảo Yên");
  g_assert_cmpfloat (saban_assistant_result_get_figure (population), ==,
                     server_indicator (backend->server, token, "DAN_SO", BAO_YEN));
  g_assert_nonnull (strstr (saban_assistant_result_get_title (population), "Xã Bảo Yên"));
  poor = ask (palette, "ty le ho ngheo xa bao yen");
  g_assert_cmpfloat (saban_assistant_result_get_figure (poor), ==,
                     server_indicator (backend->server, token, "HO_NGHEO", BAO_YEN));
  alarms = ask (palette, "bao nhiêu cảm biến đang báo động");
  g_assert_cmpfloat (saban_assistant_result_get_figure (alarms), >=, 1);
  g_assert_cmpfloat (saban_assistant_result_get_figure (alarms), ==, server_alarms (backend->server, token));
  running = ask (palette, "kịch bản đang chạy");
  g_assert_cmpfloat (saban_assistant_result_get_figure (running), ==,
                     server_count (backend->server, token, "/collections/scenarios/items?status=active&limit=1000"));
  g_assert_cmpfloat (saban_assistant_result_get_figure (running), ==, 1);
  schools = ask (palette, "bao nhiêu trường học ở xã Bảo Yên");
  g_assert_cmpfloat (saban_assistant_result_get_figure (schools), ==, server_schools (backend->server, BAO_YEN));
  app_test_save_png (GTK_WIDGET (palette), "palette-answer.png");

  /* the population's answer, chosen: the map goes to Bảo Yên */
  saban_command_palette_set_text (palette, "dân số xã Bảo Yên");
  g_signal_emit_by_name (palette, "result-activated", population);
  g_assert_true (saban_assistant_result_get_extent (population, e));
  saban_lonlat_to_mercator (e[0], e[1], &x0, &y0);
  saban_lonlat_to_mercator (e[2], e[3], &x1, &y1);
  viewport = saban_map_view_get_viewport (saban_window_get_map_view (window));
  test_spin_ms (500);
  saban_lonlat_to_mercator (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                            shumate_location_get_latitude (SHUMATE_LOCATION (viewport)), &cx, &cy);
  g_assert_cmpfloat (cx, >=, x0 - 2000);
  g_assert_cmpfloat (cx, <=, x1 + 2000);
  g_assert_cmpfloat (cy, >=, y0 - 2000);
  g_assert_cmpfloat (cy, <=, y1 + 2000);
  gtk_window_destroy (GTK_WINDOW (palette));

  /* a command, found without diacritics, runs: the map tool changes */
  palette = open_palette (window);
  saban_command_palette_set_text (palette, "do dien tich");
  {
    g_autoptr(SabanAssistantResult) r = g_list_model_get_item (saban_command_palette_get_results (palette), 0);

    g_assert_cmpint (saban_assistant_result_get_kind (r), ==, SABAN_ASSISTANT_COMMAND);
    g_assert_cmpstr (saban_assistant_result_get_action (r), ==, "win.tool('area')");
    g_signal_emit_by_name (palette, "result-activated", r);
  }
  g_assert_cmpint (saban_map_view_get_tool (saban_window_get_map_view (window)), ==, SABAN_MAP_TOOL_MEASURE_AREA);
  gtk_window_destroy (GTK_WINDOW (palette));
  gtk_window_destroy (GTK_WINDOW (window));
  app_test_backend_free (backend);
}

int
main (int argc, char *argv[])
{
  app_test_init (&argc, &argv);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/app/palette", test_palette);
  return g_test_run ();
}
