/* An operator's acknowledgement of a sensor alarm reaches the server through
 * the outbox, with who (from the token), when and the note; the server keeps
 * it read-only and refuses it from roles that may not acknowledge. */
#include <math.h>

#include "saban-alarm-list.h"
#include "saban-outbox.h"
#include "server-fixture.h"

static SabanAlarm *
raise_alarm (SabanSensorStore *store, SabanAlarmList *alarms)
{
  SabanSensor meta = { .datastream_id = 41, .thing_id = 17, .name = (char *) "Trạm thuỷ văn Bảo Hà",
                       .commune = (char *) "02839", .commune_name = (char *) "Bảo Hà",
                       .kind = SABAN_SENSOR_KIND_WATER_LEVEL, .lon = 104.35, .lat = 22.17, .unit = (char *) "m",
                       .alert_level = 3, .danger_level = 5, .interval_s = 300 };
  g_autoptr(GError) error = NULL;

  saban_sensor_store_add (store, &meta);
  g_assert_true (saban_sensor_store_observe (store, 41, 1, g_get_real_time (), 5.42, &error));
  g_assert_no_error (error);
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
  TestServer *server;
  SabanOutboxReport report;
  JsonObject *p;

  g_assert_cmpstr (saban_alarm_get_commune (alarm), ==, "Bảo Hà");
  g_assert_null (saban_alarm_dup_acknowledgement (alarm));
  saban_alarm_list_acknowledge (alarms, alarm, "trucban", "Đã báo UBND xã Bảo Hà");
  body = saban_alarm_dup_acknowledgement (alarm);
  g_assert_nonnull (body);

  /* queued while the server is down, delivered when it is up */
  key = saban_outbox_enqueue (outbox, "POST", "/collections/acknowledgements/items", body, NULL, &error);
  g_assert_no_error (error);
  server = test_server_start (db, NULL);
  operator_token = test_login (server, "trucban");
  g_assert_true (saban_outbox_flush (outbox, server->base, operator_token, NULL, &report, &error));
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
  g_assert_true (saban_outbox_flush (outbox, server->base, leader, NULL, &report, &error));
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

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/acknowledgement/through-the-outbox", test_acknowledgement);
  return g_test_run ();
}
