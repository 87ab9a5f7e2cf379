/* An operator's acknowledgement of a sensor alarm reaches the server through
 * the outbox, with who (from the token), when and the note; the server keeps
 * it read-only and refuses it from roles that may not acknowledge. The
 * server's CAP alerts become alarms too (once each, hostile ones refused),
 * and are acknowledged the same way. */
#include <math.h>

#include "saban-alarm-list.h"
#include "saban-alert-client.h"
#include "saban-outbox.h"
#include "server-fixture.h"

/* the outbox delivered to @server as @token's account, through a client of
 * that server as the application makes one */
static gboolean
flush_as (SabanOutbox *outbox, TestServer *server, const char *token, SabanOutboxReport *report, GError **error)
{
  g_autoptr(SabanApi) api = saban_api_new (server->base);

  saban_api_set_token (api, token);
  return saban_outbox_flush (outbox, api, NULL, report, error);
}

static SabanAlarm *
raise_alarm (SabanSensorStore *store, SabanAlarmList *alarms)
{
  SabanSensor meta = { .datastream_id = 41, .thing_id = 17, .name = (char *) "Trạm thủy văn Bảo Hà",
                       .commune = (char *) "02839", .commune_name = (char *) "Bảo Hà",
                       .kind = SABAN_SENSOR_KIND_WATER_LEVEL, .lon = 104.35, .lat = 22.17, .unit = (char *) "m",
                       .alert_level = 3, .danger_level = 5, .interval_s = 300 };
  g_autoptr(GError) error = NULL;

  saban_sensor_store_add (store, &meta);
  g_assert_true (saban_sensor_store_observe (store, 41, 1, g_get_real_time (), 5.42, &error));
  g_assert_no_error (error);
  saban_sensor_store_flush (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (alarms)), ==, 1);
  return g_list_model_get_item (G_LIST_MODEL (alarms), 0);
}

static void
test_acknowledgement (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  g_autofree char *file = g_build_filename (dir, "outbox.db", NULL);
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(SabanAlarmList) alarms = saban_alarm_list_new (store);
  g_autoptr(SabanAlarm) alarm = raise_alarm (store, alarms);
  g_autoptr(SabanOutbox) outbox = saban_outbox_new (file, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL, *key = NULL, *operator_token = NULL, *leader = NULL, *url = NULL;
  g_autoptr(JsonNode) feature = NULL;
  TestServer *server;
  SabanOutboxReport report;
  JsonObject *p;

  g_assert_cmpstr (saban_alarm_get_commune (alarm), ==, "Bảo Hà");
  g_assert_null (saban_alarm_new_acknowledgement (alarm));
  saban_alarm_list_acknowledge (alarms, alarm, "trucban", "Đã báo UBND xã Bảo Hà");
  feature = saban_alarm_new_acknowledgement (alarm);
  body = json_to_string (feature, FALSE);
  g_assert_nonnull (body);

  /* queued while the server is down, delivered when it is up */
  key = saban_outbox_enqueue (outbox, "POST", "/collections/acknowledgements/items", body, NULL, &error);
  g_assert_no_error (error);
  server = test_server_start (db, NULL);
  operator_token = test_login (server, "trucban");
  g_assert_true (flush_as (outbox, server, operator_token, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.delivered, ==, 1);
  g_assert_cmpuint (saban_outbox_count (outbox, "pending"), ==, 0);

  url = g_strdup_printf ("%s/collections/acknowledgements/items", server->base);
  {
    g_autoptr(Resp) r = test_http ("GET", url, operator_token, NULL, NULL, NULL);
    JsonArray *features = json_object_get_array_member (resp_object (r), "features");

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (features), ==, 1);
    p = json_object_get_object_member (json_array_get_object_element (features, 0), "properties");
    g_assert_cmpstr (json_object_get_string_member (p, "acknowledgedBy"), ==, "trucban");
    g_assert_cmpstr (json_object_get_string_member (p, "note"), ==, "Đã báo UBND xã Bảo Hà");
    g_assert_cmpstr (json_object_get_string_member (p, "level"), ==, "danger");
    g_assert_cmpstr (json_object_get_string_member (p, "communeCode"), ==, "02839");
    g_assert_cmpint (json_object_get_int_member (p, "datastreamId"), ==, 41);
    g_assert_cmpfloat (fabs (json_object_get_double_member (p, "value") - 5.42), <, 1e-9);
    g_assert_true (g_str_has_suffix (json_object_get_string_member (p, "acknowledgedAt"), "Z"));
  }

  /* a leader watches but does not acknowledge: refused, kept with the answer */
  leader = test_login (server, "lanhdao");
  g_free (saban_outbox_enqueue (outbox, "POST", "/collections/acknowledgements/items", body, NULL, &error));
  g_assert_true (flush_as (outbox, server, leader, &report, &error));
  g_assert_cmpuint (report.refused, ==, 1);

  /* an acknowledgement is a record: no PATCH; a malformed one is a 400 */
  {
    g_autofree char *item = g_strdup_printf ("%s/1", url);
    g_autoptr(Resp) r = test_http ("PATCH", item, operator_token, "application/merge-patch+json",
                                   "{\"properties\":{\"note\":\"sửa\"}}", NULL);
    g_autoptr(Resp) bad = test_http ("POST", url, operator_token, "application/geo+json",
                                     "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"datastreamId\":\"41\"}}",
                                     NULL);

    g_assert_cmpuint (r->status, ==, 405);
    g_assert_cmpuint (bad->status, ==, 400);
  }
  test_server_free (server);
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (saban_alert_client_load_finish (SABAN_ALERT_CLIENT (source), result, &error));
  g_assert_no_error (error);
  g_main_loop_quit (data);
}

static void
load (SabanAlertClient *client)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  saban_alert_client_load_async (client, NULL, loaded_cb, loop);
  g_main_loop_run (loop);
}

static gboolean
has_alarm (gpointer alarms)
{
  return g_list_model_get_n_items (G_LIST_MODEL (alarms)) > 0;
}

static void
test_cap_alerts (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  g_autofree char *file = g_build_filename (dir, "outbox.db", NULL);
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(SabanAlarmList) alarms = saban_alarm_list_new (store);
  g_autoptr(SabanOutbox) outbox = saban_outbox_new (file, NULL);
  g_autoptr(SabanApi) api = NULL;
  g_autoptr(SabanLiveChannel) channel = NULL;
  g_autoptr(SabanAlertClient) client = NULL;
  g_autoptr(SabanAlarm) alarm = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *coord = NULL, *operator_token = NULL, *url = NULL, *body = NULL;
  g_autoptr(JsonNode) feature = NULL;
  guint broker_port;
  g_autoptr(GSubprocess) broker = test_mosquitto_start (&broker_port);
  g_autofree char *broker_addr = g_strdup_printf ("127.0.0.1:%u", broker_port);
  g_autofree char *mqtt_arg = g_strdup_printf ("--mqtt=%s", broker_addr);
  TestServer *server = test_server_start (db, (const char *const[]) { mqtt_arg, NULL });
  const char *json = "{\"event\":\"Sạt lở đất\",\"category\":\"Geo\",\"urgency\":\"Expected\",\"severity\":\"Severe\","
                     "\"certainty\":\"Likely\",\"headline\":\"Nguy cơ sạt lở tại xã Bát Xát\","
                     "\"areaDesc\":\"Xã Bát Xát\",\"expires\":\"2030-01-01T00:00:00Z\","
                     "\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[103.80,22.50],[103.90,22.50],[103.90,22.60],[103.80,22.50]]]}}";
  const double *ring;
  guint n;

  coord = test_login (server, "dieuphoi");
  operator_token = test_login (server, "trucban");

  api = saban_api_new (server->base);
  client = saban_alert_client_new (api, alarms);
  channel = saban_live_channel_new (broker_addr, (const char *const[]) { "ioc/v1/#", NULL });
  saban_live_channel_set_login (channel, TEST_MQTT_CLIENT_USER, TEST_MQTT_CLIENT_PASSWORD, NULL);
  /* only the server's nudge reads them: no polling in this test */
  saban_live_channel_set_poll_interval (channel, 3600);
  saban_alert_client_listen (client, channel);
  saban_live_channel_start (channel);
  load (client);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (alarms)), ==, 0);

  /* issued: the server's MQTT nudge makes the client read it, no polling */
  {
    g_autofree char *cap = g_strdup_printf ("%s/cap/alerts", server->base);
    g_autoptr(Resp) r = NULL;

    /* the client subscribes in the background */
    g_assert_true (test_wait_for ((gboolean (*) (gpointer)) saban_alert_client_get_listening, client, 10000));
    r = test_http ("POST", cap, coord, "application/json", json, NULL);
    g_assert_cmpuint (r->status, ==, 201);
  }
  g_assert_true (test_wait_for (has_alarm, alarms, 10000));

  /* one danger alarm with its area; loading again adds nothing */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (alarms)), ==, 1);
  load (client);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (alarms)), ==, 1);
  alarm = g_list_model_get_item (G_LIST_MODEL (alarms), 0);
  g_assert_nonnull (saban_alarm_get_cap_identifier (alarm));
  g_assert_cmpuint (saban_alarm_get_sensor (alarm), ==, G_MAXUINT);
  g_assert_cmpint (saban_alarm_get_level (alarm), ==, SABAN_SENSOR_STATE_DANGER);
  g_assert_cmpstr (saban_alarm_get_sensor_name (alarm), ==, "Nguy cơ sạt lở tại xã Bát Xát");
  g_assert_cmpstr (saban_alarm_get_commune (alarm), ==, "Xã Bát Xát");
  ring = saban_alarm_get_area (alarm, &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpfloat (fabs (ring[2] - 103.90), <, 1e-6);

  /* hostile Features are refused one by one; the good one among them passes */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) hour_ago = g_date_time_add_hours (now, -1);
    g_autoptr(GDateTime) half_hour_ago = g_date_time_add_minutes (now, -30);
    g_autofree char *sent = g_date_time_format (hour_ago, "%Y-%m-%dT%H:%M:%SZ");
    g_autofree char *expired = g_date_time_format (half_hour_ago, "%Y-%m-%dT%H:%M:%SZ");
    g_autofree char *hostile = g_strdup_printf (
      "{\"type\":\"FeatureCollection\",\"features\":["
      "{\"type\":\"Feature\",\"properties\":{\"identifier\":7,\"headline\":\"x\",\"sent\":\"%1$s\"}},"
      "{\"type\":\"Feature\",\"properties\":{\"identifier\":\"a\",\"headline\":\"x\",\"sent\":\"hôm qua\"}},"
      "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[\"103\",22],[104,22],[104,23],[103,22]]]},"
      " \"properties\":{\"identifier\":\"b\",\"headline\":\"x\",\"sent\":\"%1$s\"}},"
      "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[103,22],[104,22],[104,23],[103,22]]]},"
      " \"properties\":{\"identifier\":\"c\",\"headline\":\"Cảnh báo mưa lớn\",\"severity\":\"Moderate\",\"sent\":\"%1$s\"}},"
      "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[103,22],[104,22],[104,23],[103,22]]]},"
      " \"properties\":{\"identifier\":\"d\",\"headline\":\"hết hạn\",\"sent\":\"%1$s\",\"expires\":\"%2$s\"}},"
      "\"không phải đối tượng\"]}", sent, expired);

    g_assert_true (json_parser_load_from_data (parser, hostile, -1, &error));
    g_assert_cmpuint (saban_alert_client_apply (client, json_parser_get_root (parser), g_get_real_time ()), ==, 1);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (alarms)), ==, 2);

  /* acknowledged through the outbox, naming the alert */
  saban_alarm_list_acknowledge (alarms, alarm, "trucban", NULL);
  feature = saban_alarm_new_acknowledgement (alarm);
  body = json_to_string (feature, FALSE);
  g_free (saban_outbox_enqueue (outbox, "POST", "/collections/acknowledgements/items", body, NULL, &error));
  g_assert_no_error (error);
  {
    SabanOutboxReport report;
    g_autofree char *acks = g_strdup_printf ("%s/collections/acknowledgements/items", server->base);
    g_autoptr(Resp) r = NULL;
    JsonObject *p;

    g_assert_true (flush_as (outbox, server, operator_token, &report, &error));
    g_assert_cmpuint (report.delivered, ==, 1);
    r = test_http ("GET", acks, operator_token, NULL, NULL, NULL);
    p = json_object_get_object_member (json_array_get_object_element (
          json_object_get_array_member (resp_object (r), "features"), 0), "properties");
    g_assert_cmpstr (json_object_get_string_member (p, "capIdentifier"), ==, saban_alarm_get_cap_identifier (alarm));
    g_assert_false (json_object_has_member (p, "datastreamId"));
  }
  test_server_free (server);
  g_subprocess_force_exit (broker);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/acknowledgement/through-the-outbox", test_acknowledgement);
  g_test_add_func ("/acknowledgement/cap-alerts", test_cap_alerts);
  return g_test_run ();
}
