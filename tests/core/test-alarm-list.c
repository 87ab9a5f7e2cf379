/* SabanAlarmList: raised on a rise into alert/danger, escalated, not stacked,
 * kept until acknowledged, nothing for staleness; the provincial levels I,
 * II, III from a datastream's properties; the trend; acknowledgements made
 * elsewhere (another workstation, before a restart) taken for the right
 * alarm only. */
#include "saban-alarm-list.h"

#include <math.h>

#include "saban-json.h"

static void
add_gauge (SabanSensorStore *store, gint64 ds)
{
  SabanSensor meta = { .datastream_id = ds, .thing_id = ds, .name = (char *) "Trạm Bảo Hà",
                       .kind = SABAN_SENSOR_KIND_WATER_LEVEL, .unit = (char *) "m",
                       .alert_level = 3.75, .danger_level = 5.25, .interval_s = 300 };
  saban_sensor_store_add (store, &meta);
}

static void
count_emissions (SabanAlarmList *list, SabanAlarm *alarm, gpointer data)
{
  (*(guint *) data)++;
}

static void
test_alarms (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(SabanAlarmList) list = NULL;
  g_autoptr(SabanAlarm) first = NULL;
  gint64 now = g_get_real_time ();
  guint raised = 0, acknowledged = 0;

  add_gauge (store, 1);
  add_gauge (store, 2);
  /* already in danger before the list exists: raised at once */
  saban_sensor_store_observe (store, 2, 1, now - 100, 6.0, NULL);
  list = saban_alarm_list_new (store);
  g_signal_connect (list, "alarm-raised", G_CALLBACK (count_emissions), &raised);
  g_signal_connect (list, "alarm-acknowledged", G_CALLBACK (count_emissions), &acknowledged);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_cmpuint (saban_alarm_list_get_n_active (list), ==, 1);

  /* normal: nothing; alert: an alarm; danger: the same alarm escalates */
  saban_sensor_store_observe (store, 1, 1, now - 90, 2.0, NULL);
  saban_sensor_store_flush (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  saban_sensor_store_observe (store, 1, 2, now - 80, 4.0, NULL);
  saban_sensor_store_flush (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpuint (saban_alarm_get_sensor (first), ==, 0);
  g_assert_cmpint (saban_alarm_get_level (first), ==, SABAN_SENSOR_STATE_ALERT);
  saban_sensor_store_observe (store, 1, 3, now - 70, 5.5, NULL);
  saban_sensor_store_flush (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  g_assert_cmpint (saban_alarm_get_level (first), ==, SABAN_SENSOR_STATE_DANGER);
  g_assert_cmpfloat (saban_alarm_get_value (first), ==, 5.5);
  g_assert_cmpuint (raised, ==, 2);

  /* back to normal: still waiting for an operator */
  saban_sensor_store_observe (store, 1, 4, now - 60, 1.0, NULL);
  saban_sensor_store_flush (store);
  g_assert_cmpuint (saban_alarm_list_get_n_active (list), ==, 2);
  g_assert_true (saban_alarm_list_acknowledge (list, first, "trucban", "đã gọi trạm"));
  g_assert_false (saban_alarm_list_acknowledge (list, first, "other", NULL));
  g_assert_cmpuint (acknowledged, ==, 1);
  g_assert_cmpstr (saban_alarm_get_ack_by (first), ==, "trucban");
  g_assert_cmpstr (saban_alarm_get_ack_note (first), ==, "đã gọi trạm");
  g_assert_cmpuint (saban_alarm_list_get_n_active (list), ==, 1);
  g_assert_null (saban_alarm_list_find_active (list, 0));

  /* a new rise after the acknowledgement: a new alarm */
  saban_sensor_store_observe (store, 1, 5, now - 50, 4.0, NULL);
  saban_sensor_store_flush (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  g_assert_nonnull (saban_alarm_list_find_active (list, 0));

  /* into danger and back within one batch: still an alarm, with the reading
   * that rose */
  add_gauge (store, 3);
  saban_sensor_store_observe (store, 3, 1, now - 45, 6.5, NULL);
  saban_sensor_store_observe (store, 3, 2, now - 44, 1.0, NULL);
  saban_sensor_store_flush (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);
  {
    SabanAlarm *a = saban_alarm_list_find_active (list, 2);
    g_assert_nonnull (a);
    g_assert_cmpint (saban_alarm_get_level (a), ==, SABAN_SENSOR_STATE_DANGER);
    g_assert_cmpfloat (saban_alarm_get_value (a), ==, 6.5);
  }

  /* staleness raises nothing */
  saban_sensor_store_refresh (store, now + (gint64) 3600 * G_USEC_PER_SEC);
  saban_sensor_store_flush (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);
}

typedef struct
{
  guint emissions, added, position;
} ItemsChanged;

static void
count_items_changed (GListModel *model, guint position, guint removed, guint added, gpointer data)
{
  ItemsChanged *c = data;

  c->emissions++;
  c->added += added;
  c->position = position;
}

/* A flood: thousands of gauges rise in one batch. One ::items-changed, the
 * newest first, each sensor's alarm found at once; CAP alerts once each. */
static void
test_flood (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(SabanAlarmList) list = NULL;
  g_autoptr(SabanAlarm) newest = NULL, oldest = NULL, cap = NULL, again = NULL;
  ItemsChanged changes = { 0 };
  gint64 now = g_get_real_time ();
  guint raised = 0, n = 20000;

  for (guint i = 1; i <= n; i++)
    add_gauge (store, i);
  list = saban_alarm_list_new (store);
  g_signal_connect (list, "items-changed", G_CALLBACK (count_items_changed), &changes);
  g_signal_connect (list, "alarm-raised", G_CALLBACK (count_emissions), &raised);
  for (guint i = 1; i <= n; i++)
    saban_sensor_store_observe (store, i, 1, now - 100, 4.0, NULL);
  saban_sensor_store_flush (store);
  g_assert_cmpuint (changes.emissions, ==, 1);
  g_assert_cmpuint (changes.added, ==, n);
  g_assert_cmpuint (raised, ==, n);
  g_assert_cmpuint (saban_alarm_list_get_n_active (list), ==, n);
  /* in the order the store changed: the last one on top */
  newest = g_list_model_get_item (G_LIST_MODEL (list), 0);
  oldest = g_list_model_get_item (G_LIST_MODEL (list), n - 1);
  g_assert_cmpuint (saban_alarm_get_sensor (newest), ==, n - 1);
  g_assert_cmpuint (saban_alarm_get_sensor (oldest), ==, 0);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (saban_alarm_get_sensor (saban_alarm_list_find_active (list, i)), ==, i);

  /* all of them into danger: escalated, nothing added */
  for (guint i = 1; i <= n; i++)
    saban_sensor_store_observe (store, i, 2, now - 90, 6.0, NULL);
  saban_sensor_store_flush (store);
  g_assert_cmpuint (changes.emissions, ==, 1);
  g_assert_cmpuint (raised, ==, 2 * n);
  g_assert_cmpint (saban_alarm_get_level (oldest), ==, SABAN_SENSOR_STATE_DANGER);

  /* the oldest, at the bottom, acknowledged: its row changes */
  g_assert_true (saban_alarm_list_acknowledge (list, oldest, "trucban", NULL));
  g_assert_cmpuint (changes.emissions, ==, 2);
  g_assert_cmpuint (changes.position, ==, n - 1);
  g_assert_null (saban_alarm_list_find_active (list, 0));
  g_assert_cmpuint (saban_alarm_list_get_n_active (list), ==, n - 1);

  cap = saban_alarm_new_cap ("vn-lc-2025-1", "Lũ quét", "Flash flood", "Bảo Yên", SABAN_SENSOR_STATE_DANGER,
                             SABAN_ALARM_GRADE_III, now, NULL, 0);
  again = saban_alarm_new_cap ("vn-lc-2025-1", "Lũ quét", "Flash flood", "Bảo Yên", SABAN_SENSOR_STATE_DANGER,
                               SABAN_ALARM_GRADE_III, now, NULL, 0);
  g_assert_true (saban_alarm_list_add_cap (list, cap));
  g_assert_false (saban_alarm_list_add_cap (list, again));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n + 1);
  g_assert_cmpuint (changes.position, ==, 0);
  g_clear_object (&newest);
  newest = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_true (newest == cap);
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonNode) node = saban_json_parse (json, -1, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

/* a gauge described as SensorThings serves it */
static guint
add_described (SabanSensorStore *store, gint64 ds, const char *properties)
{
  g_autoptr(JsonObject) props = parse_object (properties);
  SabanSensor meta = { .datastream_id = ds, .thing_id = ds, .name = (char *) "Trạm Lào Cai",
                       .kind = SABAN_SENSOR_KIND_WATER_LEVEL, .unit = (char *) "m", .interval_s = 300 };

  saban_sensor_read_levels (&meta, props);
  return saban_sensor_store_add (store, &meta);
}

static void
test_levels (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  const SabanSensor *three, *two, *bad;

  three = saban_sensor_store_get_sensor (store, add_described (store, 1,
    "{\"alertLevel\":80.5,\"dangerLevel\":82,\"alarmLevels\":{\"I\":80.5,\"II\":81.2,\"III\":82}}"));
  g_assert_cmpfloat (three->alert_level, ==, 80.5);
  g_assert_cmpfloat (three->level_2, ==, 81.2);
  g_assert_cmpfloat (three->danger_level, ==, 82);
  g_assert_cmpint (saban_sensor_grade (three, 80.4), ==, SABAN_ALARM_GRADE_NONE);
  g_assert_cmpint (saban_sensor_grade (three, 80.5), ==, SABAN_ALARM_GRADE_I);
  g_assert_cmpint (saban_sensor_grade (three, 81.2), ==, SABAN_ALARM_GRADE_II);
  g_assert_cmpint (saban_sensor_grade (three, 82.0), ==, SABAN_ALARM_GRADE_III);
  g_assert_cmpint (saban_sensor_grade (three, NAN), ==, SABAN_ALARM_GRADE_NONE);

  /* the two thresholds of before are levels I and II */
  two = saban_sensor_store_get_sensor (store, add_described (store, 2, "{\"alertLevel\":3,\"dangerLevel\":5}"));
  g_assert_true (isnan (two->level_2));
  g_assert_cmpint (saban_sensor_grade (two, 4), ==, SABAN_ALARM_GRADE_I);
  g_assert_cmpint (saban_sensor_grade (two, 5), ==, SABAN_ALARM_GRADE_II);
  g_assert_cmpint (saban_sensor_grade (two, 50), ==, SABAN_ALARM_GRADE_II);

  /* levels out of order are refused whole, said in the log */
  g_test_expect_message ("saban-iot", G_LOG_LEVEL_MESSAGE, "*alarmLevels ignored*");
  bad = saban_sensor_store_get_sensor (store, add_described (store, 3,
    "{\"alertLevel\":3,\"dangerLevel\":5,\"alarmLevels\":{\"I\":4,\"II\":3,\"III\":\"6\"}}"));
  g_test_assert_expected_messages ();
  g_assert_cmpfloat (bad->alert_level, ==, 3);
  g_assert_cmpfloat (bad->danger_level, ==, 5);
  g_assert_true (isnan (bad->level_2));
  /* a threshold no gauge has is none */
  bad = saban_sensor_store_get_sensor (store, add_described (store, 4, "{\"alertLevel\":1e300,\"dangerLevel\":null}"));
  g_assert_true (isnan (bad->alert_level));
  g_assert_true (isnan (bad->danger_level));

  g_assert_cmpstr (saban_alarm_grade_to_string (SABAN_ALARM_GRADE_II), ==, "II");
  g_assert_cmpint (saban_alarm_grade_from_string ("III"), ==, SABAN_ALARM_GRADE_III);
  g_assert_cmpint (saban_alarm_grade_from_string ("IV"), ==, SABAN_ALARM_GRADE_NONE);
  g_assert_cmpint (saban_alarm_grade_from_string (NULL), ==, SABAN_ALARM_GRADE_NONE);
}

static void
test_trend (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  gint64 t0 = g_get_real_time () - (gint64) 3600 * G_USEC_PER_SEC, minute = 60 * G_USEC_PER_SEC;
  const double rising[] = { 80.0, 80.1, 80.25, 80.4 }, steady[] = { 80.0, 80.01, 79.99, 80.0 };
  const double falling[] = { 81.0, 80.8, 80.7, 80.5 };
  const double *series[] = { rising, steady, falling };
  const SabanSensorTrend expected[] = { SABAN_SENSOR_TREND_RISING, SABAN_SENSOR_TREND_STEADY,
                                        SABAN_SENSOR_TREND_FALLING };

  for (guint k = 0; k < G_N_ELEMENTS (series); k++)
    {
      guint index = add_described (store, k + 1, "{\"alertLevel\":80.5,\"dangerLevel\":82}");

      g_assert_cmpint (saban_sensor_trend (saban_sensor_store_get_sensor (store, index)), ==,
                       SABAN_SENSOR_TREND_UNKNOWN);
      saban_sensor_store_observe (store, k + 1, 1, t0, series[k][0], NULL);
      /* one reading: no trend yet */
      g_assert_cmpint (saban_sensor_trend (saban_sensor_store_get_sensor (store, index)), ==,
                       SABAN_SENSOR_TREND_UNKNOWN);
      for (guint i = 1; i < 4; i++)
        saban_sensor_store_observe (store, k + 1, i + 1, t0 + i * 5 * minute, series[k][i], NULL);
      g_assert_cmpint (saban_sensor_trend (saban_sensor_store_get_sensor (store, index)), ==, expected[k]);
      g_assert_cmpstr (saban_sensor_trend_label (expected[k]), !=, "—");
    }
  /* readings older than the window do not count: the last two are flat */
  saban_sensor_store_observe (store, 1, 9, t0 + 60 * minute, 80.4, NULL);
  saban_sensor_store_observe (store, 1, 10, t0 + 65 * minute, 80.4, NULL);
  g_assert_cmpint (saban_sensor_trend (saban_sensor_store_get_sensor (store, 0)), ==, SABAN_SENSOR_TREND_STEADY);
}

/* Within one state (ALERT spans levels I and II on a three-level gauge), a
 * higher level escalates the waiting alarm, or raises a new one once the
 * last was acknowledged. */
static void
test_grades (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(SabanAlarmList) list = saban_alarm_list_new (store);
  gint64 now = g_get_real_time ();
  SabanAlarm *alarm, *second;
  guint raised = 0;

  g_signal_connect (list, "alarm-raised", G_CALLBACK (count_emissions), &raised);
  add_described (store, 7, "{\"alarmLevels\":{\"I\":2.5,\"II\":3,\"III\":3.5}}");
  saban_sensor_store_observe (store, 7, 1, now - 100, 2.6, NULL);
  saban_sensor_store_flush (store);
  alarm = saban_alarm_list_find_active (list, 0);
  g_assert_nonnull (alarm);
  g_assert_cmpint (saban_alarm_get_grade (alarm), ==, SABAN_ALARM_GRADE_I);
  saban_sensor_store_observe (store, 7, 2, now - 90, 3.1, NULL);
  saban_sensor_store_flush (store);
  g_assert_true (saban_alarm_list_find_active (list, 0) == alarm);
  g_assert_cmpint (saban_alarm_get_grade (alarm), ==, SABAN_ALARM_GRADE_II);
  g_assert_cmpint (saban_alarm_get_level (alarm), ==, SABAN_SENSOR_STATE_ALERT);
  g_assert_cmpuint (raised, ==, 2);
  /* the same level again: nothing */
  saban_sensor_store_observe (store, 7, 3, now - 85, 3.2, NULL);
  saban_sensor_store_flush (store);
  g_assert_cmpuint (raised, ==, 2);

  g_assert_true (saban_alarm_list_acknowledge (list, alarm, "trucban", NULL));
  saban_sensor_store_observe (store, 7, 4, now - 80, 3.05, NULL);
  saban_sensor_store_flush (store);
  g_assert_null (saban_alarm_list_find_active (list, 0));
  /* level III after the acknowledgement of level II: a new alarm */
  saban_sensor_store_observe (store, 7, 5, now - 70, 3.6, NULL);
  saban_sensor_store_flush (store);
  second = saban_alarm_list_find_active (list, 0);
  g_assert_nonnull (second);
  g_assert_true (second != alarm);
  g_assert_cmpint (saban_alarm_get_grade (second), ==, SABAN_ALARM_GRADE_III);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  {
    g_autoptr(JsonNode) ack = NULL;
    JsonObject *p;

    saban_alarm_list_acknowledge (list, second, "trucban", "đã báo");
    ack = saban_alarm_new_acknowledgement (second);
    p = json_object_get_object_member (json_node_get_object (ack), "properties");
    g_assert_cmpstr (json_object_get_string_member (p, "alarmLevel"), ==, "III");
    g_assert_cmpstr (json_object_get_string_member (p, "level"), ==, "danger");
  }
}

static char *
iso (gint64 us)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);

  return g_date_time_format_iso8601 (t);
}

static JsonObject *
acknowledgement (gint64 ds, const char *grade, gint64 observed, gint64 at, const char *by, const char *note)
{
  g_autofree char *o = iso (observed), *a = iso (at);
  g_autofree char *json = g_strdup_printf ("{\"datastreamId\":%" G_GINT64_FORMAT ",\"sensorName\":\"Trạm\","
                                           "\"level\":\"danger\",\"alarmLevel\":\"%s\",\"observedAt\":\"%s\","
                                           "\"acknowledgedAt\":\"%s\",\"acknowledgedBy\":\"%s\",\"note\":\"%s\"}",
                                           ds, grade, o, a, by, note);

  return parse_object (json);
}

/* applies and drops @ack */
static gboolean
apply (SabanAlarmList *list, JsonObject *ack, GError **error)
{
  gboolean ok = saban_alarm_list_apply_acknowledgement (list, ack, error);

  json_object_unref (ack);
  return ok;
}

static void
test_shared_acknowledgements (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(SabanAlarmList) list = NULL;
  gint64 now = g_get_real_time (), minute = 60 * G_USEC_PER_SEC;
  guint raised = 0, acknowledged = 0;
  ItemsChanged changes = { 0 };
  SabanAlarm *alarm;
  g_autoptr(GError) error = NULL;

  for (gint64 ds = 1; ds <= 3; ds++)
    add_described (store, ds, "{\"alarmLevels\":{\"I\":2.5,\"II\":3,\"III\":3.5}}");
  list = saban_alarm_list_new (store);
  g_signal_connect (list, "alarm-raised", G_CALLBACK (count_emissions), &raised);
  g_signal_connect (list, "alarm-acknowledged", G_CALLBACK (count_emissions), &acknowledged);
  g_signal_connect (list, "items-changed", G_CALLBACK (count_items_changed), &changes);

  /* as after a restart: the acknowledgement is known before the alarm */
  g_assert_true (apply (list, acknowledgement (1, "III", now - 20 * minute,
                                                                               now - 15 * minute, "trucban",
                                                                               "Đã báo xã"), &error));
  saban_sensor_store_observe (store, 1, 1, now - minute, 3.7, NULL);
  saban_sensor_store_flush (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  alarm = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_object_unref (alarm);
  g_assert_true (saban_alarm_get_acknowledged (alarm));
  g_assert_cmpstr (saban_alarm_get_ack_by (alarm), ==, "trucban");
  g_assert_cmpstr (saban_alarm_get_ack_note (alarm), ==, "Đã báo xã");
  g_assert_cmpint (saban_alarm_get_ack_time (alarm) / G_USEC_PER_SEC, ==, (now - 15 * minute) / G_USEC_PER_SEC);
  /* listed, not announced, nothing sent */
  g_assert_cmpuint (raised, ==, 0);
  g_assert_cmpuint (acknowledged, ==, 0);
  g_assert_cmpuint (saban_alarm_list_get_n_active (list), ==, 0);

  /* while it waits: another workstation acknowledges, the row changes */
  saban_sensor_store_observe (store, 2, 1, now - 5 * minute, 3.1, NULL);
  saban_sensor_store_flush (store);
  alarm = saban_alarm_list_find_active (list, 1);
  g_assert_nonnull (alarm);
  changes.emissions = 0;
  /* an acknowledgement of level I does not cover level II */
  g_assert_true (apply (list, acknowledgement (2, "I", now - 5 * minute,
                                                                               now - 4 * minute, "a", ""), NULL));
  g_assert_false (saban_alarm_get_acknowledged (alarm));
  g_assert_true (apply (list, acknowledgement (2, "II", now - 5 * minute,
                                                                               now - 3 * minute, "khanh", ""), NULL));
  g_assert_true (saban_alarm_get_acknowledged (alarm));
  g_assert_cmpstr (saban_alarm_get_ack_by (alarm), ==, "khanh");
  g_assert_cmpuint (changes.emissions, ==, 1);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (acknowledged, ==, 0);
  g_assert_cmpuint (saban_alarm_list_get_n_active (list), ==, 0);
  /* an older one than the newest known changes nothing */
  g_assert_true (apply (list, acknowledgement (2, "III", now - 5 * minute,
                                                                               now - 4 * minute, "b", ""), NULL));
  g_assert_cmpstr (saban_alarm_get_ack_by (alarm), ==, "khanh");

  /* back to normal, then a rise again: a new alarm, not covered */
  saban_sensor_store_observe (store, 2, 2, now - 2 * minute, 1.0, NULL);
  saban_sensor_store_observe (store, 2, 3, now - minute, 2.9, NULL);
  saban_sensor_store_flush (store);
  g_assert_nonnull (saban_alarm_list_find_active (list, 1));
  g_assert_true (saban_alarm_list_find_active (list, 1) != alarm);

  /* an acknowledgement older than a shift does not silence a sensor */
  g_assert_true (apply (list, acknowledgement (3, "III", now - 14 * 60 * minute,
                                                                               now - 13 * 60 * minute, "c", ""), NULL));
  saban_sensor_store_observe (store, 3, 1, now - minute, 3.7, NULL);
  saban_sensor_store_flush (store);
  g_assert_nonnull (saban_alarm_list_find_active (list, 2));

  /* refused: neither id or both, no one, a bad time, an id as text */
  {
    const char *bad[] = {
      "{\"acknowledgedBy\":\"a\",\"observedAt\":\"2025-07-01T00:00:00Z\",\"acknowledgedAt\":\"2025-07-01T00:00:00Z\"}",
      "{\"datastreamId\":1,\"capIdentifier\":\"x\",\"acknowledgedBy\":\"a\",\"observedAt\":\"2025-07-01T00:00:00Z\","
      "\"acknowledgedAt\":\"2025-07-01T00:00:00Z\"}",
      "{\"datastreamId\":1,\"observedAt\":\"2025-07-01T00:00:00Z\",\"acknowledgedAt\":\"2025-07-01T00:00:00Z\"}",
      "{\"datastreamId\":1,\"acknowledgedBy\":\"a\",\"observedAt\":\"hôm qua\",\"acknowledgedAt\":\"2025-07-01T00:00:00Z\"}",
      "{\"datastreamId\":\"1\",\"acknowledgedBy\":\"a\",\"observedAt\":\"2025-07-01T00:00:00Z\","
      "\"acknowledgedAt\":\"2025-07-01T00:00:00Z\"}",
      "{\"datastreamId\":1,\"acknowledgedBy\":[\"a\"],\"observedAt\":\"2025-07-01T00:00:00Z\","
      "\"acknowledgedAt\":\"2025-07-01T00:00:00Z\"}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(JsonObject) o = parse_object (bad[i]);
        g_autoptr(GError) e = NULL;

        g_assert_false (saban_alarm_list_apply_acknowledgement (list, o, &e));
        g_assert_error (e, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      }
  }

  /* a CAP alert's, by its identifier */
  {
    g_autoptr(SabanAlarm) cap = saban_alarm_new_cap ("vn-lc-2025-7", "Lũ quét", "Flash flood", "Bảo Yên",
                                                     SABAN_SENSOR_STATE_DANGER, SABAN_ALARM_GRADE_III, now, NULL, 0);
    g_autofree char *at = iso (now);
    g_autofree char *json = g_strdup_printf ("{\"capIdentifier\":\"vn-lc-2025-7\",\"level\":\"danger\","
                                             "\"observedAt\":\"%s\",\"acknowledgedAt\":\"%s\","
                                             "\"acknowledgedBy\":\"dieuphoi\"}", at, at);
    g_autoptr(JsonObject) o = parse_object (json);

    g_assert_true (saban_alarm_list_add_cap (list, cap));
    g_assert_true (saban_alarm_list_apply_acknowledgement (list, o, NULL));
    g_assert_true (saban_alarm_get_acknowledged (cap));
    g_assert_cmpstr (saban_alarm_get_ack_by (cap), ==, "dieuphoi");
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/alarm-list/levels", test_levels);
  g_test_add_func ("/alarm-list/trend", test_trend);
  g_test_add_func ("/alarm-list/grades", test_grades);
  g_test_add_func ("/alarm-list/shared-acknowledgements", test_shared_acknowledgements);
  g_test_add_func ("/alarm-list/raise-escalate-acknowledge", test_alarms);
  g_test_add_func ("/alarm-list/flood", test_flood);
  return g_test_run ();
}
