/* SabanSensorStore: thresholds, staleness, history, malformed observations. */
#include "saban-sensor-filter.h"
#include "saban-sensor-store.h"

#include <math.h>

#define NOW ((gint64) 1764316800 * G_USEC_PER_SEC)   /* 2025-11-28T08:00:00Z */

static guint
add_gauge (SabanSensorStore *store, gint64 ds)
{
  SabanSensor meta = { .datastream_id = ds, .thing_id = ds, .name = (char *) "Trạm Bảo Hà",
                       .kind = SABAN_SENSOR_KIND_WATER_LEVEL, .lon = 104.3, .lat = 22.2, .unit = (char *) "m",
                       .alert_level = 3.75, .danger_level = 5.25, .interval_s = 300 };
  return saban_sensor_store_add (store, &meta);
}

typedef struct
{
  guint batches, first, n;
  SabanSensorState rise;
} Changes;

static void
count_changes (SabanSensorStore *store, gpointer data)
{
  Changes *c = data;
  const guint *changed = saban_sensor_store_get_changed (store, &c->n);

  c->batches++;
  c->first = changed[0];
  c->rise = saban_sensor_store_get_rise (store, changed[0]);
  /* each once */
  for (guint k = 1; k < c->n; k++)
    g_assert_cmpuint (changed[k], !=, changed[k - 1]);
}

static void
test_thresholds (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  guint i = add_gauge (store, 7);
  Changes changes = { 0 };
  const SabanSensor *s = saban_sensor_store_get_sensor (store, i);
  gint64 now = g_get_real_time ();

  g_signal_connect (store, "sensors-changed", G_CALLBACK (count_changes), &changes);
  saban_sensor_store_flush (store);
  g_assert_cmpuint (changes.batches, ==, 1);
  g_assert_cmpint (s->state, ==, SABAN_SENSOR_STATE_UNKNOWN);
  g_assert_true (saban_sensor_store_observe (store, 7, 1, now - 1000, 2.0, NULL));
  g_assert_cmpint (s->state, ==, SABAN_SENSOR_STATE_NORMAL);
  g_assert_true (saban_sensor_store_observe (store, 7, 2, now - 900, 3.75, NULL));
  g_assert_cmpint (s->state, ==, SABAN_SENSOR_STATE_ALERT);
  g_assert_true (saban_sensor_store_observe (store, 7, 3, now - 800, 5.25, NULL));
  g_assert_cmpint (s->state, ==, SABAN_SENSOR_STATE_DANGER);
  g_assert_cmpfloat (s->value, ==, 5.25);
  /* three changes, one batch, and the rise to danger in it */
  saban_sensor_store_flush (store);
  g_assert_cmpuint (changes.batches, ==, 2);
  g_assert_cmpuint (changes.first, ==, i);
  g_assert_cmpuint (changes.n, ==, 1);
  g_assert_cmpint (changes.rise, ==, SABAN_SENSOR_STATE_DANGER);
  /* nothing new: no batch */
  saban_sensor_store_flush (store);
  g_assert_cmpuint (changes.batches, ==, 2);

  /* an older observation (backfill) joins the history, not the latest value */
  g_assert_true (saban_sensor_store_observe (store, 7, 0, now - 2000, 1.0, NULL));
  g_assert_cmpint (s->state, ==, SABAN_SENSOR_STATE_DANGER);
  g_assert_cmpuint (s->history->len, ==, 4);
  g_assert_cmpint (s->history->obs[0].id, ==, 0);
  /* a duplicate is accepted and not stored twice */
  g_assert_true (saban_sensor_store_observe (store, 7, 3, now - 800, 5.25, NULL));
  g_assert_cmpuint (s->history->len, ==, 4);
  g_assert_cmpint (saban_sensor_store_get_latest_time (store), ==, now - 800);

  {
    guint counts[SABAN_SENSOR_N_STATES];
    add_gauge (store, 8);
    saban_sensor_store_count_states (store, counts);
    g_assert_cmpuint (counts[SABAN_SENSOR_STATE_DANGER], ==, 1);
    g_assert_cmpuint (counts[SABAN_SENSOR_STATE_UNKNOWN], ==, 1);
  }
}

/* a batch per main-loop turn; a rise survives a fall within it; sensors
 * stay where they are as the store grows */
static void
test_batches (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  const SabanSensor *first;
  Changes changes = { 0 };
  gint64 now = g_get_real_time ();
  guint index;

  for (gint64 ds = 1; ds <= 3000; ds++)
    add_gauge (store, ds * 7919);
  first = saban_sensor_store_get_sensor (store, 0);
  g_signal_connect (store, "sensors-changed", G_CALLBACK (count_changes), &changes);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (changes.batches, ==, 1);
  g_assert_cmpuint (changes.first, ==, 0);
  g_assert_cmpuint (changes.n, ==, 3000);

  g_assert_true (saban_sensor_store_lookup (store, 2500 * 7919, &index));
  g_assert_cmpuint (index, ==, 2499);
  g_assert_false (saban_sensor_store_lookup (store, 7918, NULL));
  g_assert_true (saban_sensor_store_get_sensor (store, 0) == first);
  g_assert_true (saban_sensor_store_get_sensor (store, 2999)->unit == first->unit);

  /* danger, then normal again, in one turn */
  g_assert_true (saban_sensor_store_observe (store, 1000 * 7919, 1, now - 20, 6.0, NULL));
  g_assert_true (saban_sensor_store_observe (store, 1000 * 7919, 2, now - 10, 1.0, NULL));
  g_assert_cmpint (saban_sensor_store_get_sensor (store, 999)->state, ==, SABAN_SENSOR_STATE_NORMAL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (changes.batches, ==, 2);
  g_assert_cmpuint (changes.first, ==, 999);
  g_assert_cmpint (changes.rise, ==, SABAN_SENSOR_STATE_DANGER);
  g_assert_cmpint (saban_sensor_store_get_rise (store, 999), ==, SABAN_SENSOR_STATE_UNKNOWN);
}

static void
test_stale (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  guint i = add_gauge (store, 7);
  const SabanSensor *s = saban_sensor_store_get_sensor (store, i);
  gint64 age;

  g_assert_true (saban_sensor_store_observe (store, 7, 1, NOW, 6.0, NULL));
  /* exactly 3 × interval is still live; one second more is stale */
  g_assert_cmpint (saban_sensor_state_compute (s, NOW + (gint64) 900 * G_USEC_PER_SEC, &age), ==, SABAN_SENSOR_STATE_DANGER);
  g_assert_cmpint (saban_sensor_state_compute (s, NOW + (gint64) 901 * G_USEC_PER_SEC, &age), ==, SABAN_SENSOR_STATE_STALE);
  g_assert_cmpint (age, ==, 901);
  saban_sensor_store_refresh (store, NOW + (gint64) 3600 * G_USEC_PER_SEC);
  g_assert_cmpint (s->state, ==, SABAN_SENSOR_STATE_STALE);
  g_assert_cmpint (s->age_s, ==, 3600);
  /* a fresh observation revives it */
  g_assert_true (saban_sensor_store_observe (store, 7, 2, g_get_real_time (), 1.0, NULL));
  g_assert_cmpint (s->state, ==, SABAN_SENSOR_STATE_NORMAL);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) p = json_parser_new ();
  g_assert_true (json_parser_load_from_data (p, text, -1, NULL));
  return json_node_copy (json_parser_get_root (p));
}

static void
test_malformed (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  guint i = add_gauge (store, 7);
  const SabanSensor *s = saban_sensor_store_get_sensor (store, i);
  g_autofree char *huge = g_strnfill (100000, 'x');
  g_autofree char *huge_json = g_strdup_printf ("{\"@iot.id\":9,\"phenomenonTime\":\"%s\",\"result\":1}", huge);
  const char *bad[] = {
    "[1,2]",
    "{\"phenomenonTime\":\"2025-11-28T08:00:00Z\",\"result\":1}",
    "{\"@iot.id\":\"9\",\"phenomenonTime\":\"2025-11-28T08:00:00Z\",\"result\":1}",
    "{\"@iot.id\":9,\"phenomenonTime\":12,\"result\":1}",
    "{\"@iot.id\":9,\"phenomenonTime\":\"yesterday\",\"result\":1}",
    "{\"@iot.id\":9,\"phenomenonTime\":\"2025-11-28T08:00:00Z\",\"result\":\"high\"}",
    "{\"@iot.id\":9,\"phenomenonTime\":\"2025-11-28T08:00:00Z\"}",
    "{\"@iot.id\":9,\"phenomenonTime\":\"2025-11-28T08:00:00Z\",\"result\":1e300}",
    "{\"@iot.id\":9,\"phenomenonTime\":\"2025-11-28T08:00:00Z\",\"result\":{\"v\":1}}",
    huge_json,
  };

  for (guint k = 0; k < G_N_ELEMENTS (bad); k++)
    {
      g_autoptr(JsonNode) n = parse (bad[k]);
      g_autoptr(GError) error = NULL;

      g_test_expect_message ("saban-iot", G_LOG_LEVEL_MESSAGE, "observation rejected:*");
      g_assert_false (saban_sensor_store_observe_json (store, 7, n, &error));
      g_test_assert_expected_messages ();
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }
  {
    g_autoptr(JsonNode) n = parse ("{\"@iot.id\":9,\"phenomenonTime\":\"2025-11-28T08:00:00Z\",\"result\":1}");
    g_test_expect_message ("saban-iot", G_LOG_LEVEL_MESSAGE, "*unknown datastream 99*");
    g_assert_false (saban_sensor_store_observe_json (store, 99, n, NULL));
    g_test_assert_expected_messages ();
  }
  g_assert_cmpuint (saban_sensor_store_get_rejected (store), ==, G_N_ELEMENTS (bad) + 1);
  g_assert_true (isnan (s->value));
  g_assert_null (s->history);

  {
    g_autoptr(JsonNode) ok = parse ("{\"@iot.id\":10,\"phenomenonTime\":\"2025-11-28T07:55:00Z/2025-11-28T08:00:00Z\",\"result\":4}");
    g_assert_true (saban_sensor_store_observe_json (store, 7, ok, NULL));
    g_assert_cmpint (s->time_us, ==, NOW);
    g_assert_cmpfloat (s->value, ==, 4.0);
  }
}

static void
test_filter (void)
{
  g_autoptr(SabanSensorFilter) filter = saban_sensor_filter_new ();
  SabanSensor gauge = { .name = (char *) "Trạm thủy văn Bảo Hà", .commune = (char *) "02839",
                        .kind = SABAN_SENSOR_KIND_WATER_LEVEL, .state = SABAN_SENSOR_STATE_NORMAL };
  SabanSensor camera = { .name = (char *) "Camera cầu Cốc Lếu", .commune = (char *) "02650",
                         .kind = SABAN_SENSOR_KIND_CAMERA, .state = SABAN_SENSOR_STATE_UNKNOWN };

  g_assert_true (saban_sensor_filter_is_empty (filter));
  g_assert_true (saban_sensor_filter_matches (filter, &gauge, FALSE));
  g_assert_true (saban_sensor_filter_matches (filter, &camera, FALSE));

  saban_sensor_filter_set_kind (filter, SABAN_SENSOR_KIND_CAMERA, FALSE);
  g_assert_false (saban_sensor_filter_is_empty (filter));
  g_assert_true (saban_sensor_filter_matches (filter, &gauge, FALSE));
  g_assert_false (saban_sensor_filter_matches (filter, &camera, FALSE));
  saban_sensor_filter_set_kind (filter, SABAN_SENSOR_KIND_CAMERA, TRUE);

  saban_sensor_filter_set_commune (filter, "02650");
  g_assert_false (saban_sensor_filter_matches (filter, &gauge, FALSE));
  g_assert_true (saban_sensor_filter_matches (filter, &camera, FALSE));
  saban_sensor_filter_set_commune (filter, "");

  /* in alarm: alert or danger, or an alarm still waiting after the level fell */
  saban_sensor_filter_set_only_alarms (filter, TRUE);
  g_assert_false (saban_sensor_filter_matches (filter, &gauge, FALSE));
  g_assert_true (saban_sensor_filter_matches (filter, &gauge, TRUE));
  gauge.state = SABAN_SENSOR_STATE_DANGER;
  g_assert_true (saban_sensor_filter_matches (filter, &gauge, FALSE));
  saban_sensor_filter_set_only_alarms (filter, FALSE);

  /* names: diacritics, đ and case ignored, surrounding blanks trimmed */
  saban_sensor_filter_set_query (filter, " bao ha ");
  g_assert_true (saban_sensor_filter_matches (filter, &gauge, FALSE));
  g_assert_false (saban_sensor_filter_matches (filter, &camera, FALSE));
  saban_sensor_filter_set_query (filter, "CÂU COC");
  g_assert_true (saban_sensor_filter_matches (filter, &camera, FALSE));
  saban_sensor_filter_set_query (filter, "   ");
  g_assert_true (saban_sensor_filter_is_empty (filter));
}

/* First histories come from the store's blocks and move to the heap as
 * they grow; each holds the newest 4 096, by time. */
static void
test_history (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  const SabanSensor *busy;

  for (gint64 ds = 1; ds <= 2500; ds++)
    add_gauge (store, ds);
  /* every sensor's first reading, across blocks of first slots */
  for (gint64 ds = 1; ds <= 2500; ds++)
    g_assert_true (saban_sensor_store_observe (store, ds, ds, NOW, ds / 1000.0, NULL));
  for (guint i = 0; i < 2500; i++)
    {
      const SabanSensor *s = saban_sensor_store_get_sensor (store, i);
      g_assert_cmpuint (s->history->len, ==, 1);
      g_assert_cmpfloat (s->history->obs[0].value, ==, (i + 1) / 1000.0);
    }
  /* one sensor grows past the limit, its readings arriving two by two in
   * reverse (backfill between live ones); its neighbours are untouched */
  for (gint64 k = 1; k <= 2500; k++)
    {
      g_assert_true (saban_sensor_store_observe (store, 1200, 10000 + 2 * k, NOW + 2 * k * G_USEC_PER_SEC, 1.0, NULL));
      g_assert_true (saban_sensor_store_observe (store, 1200, 10000 + 2 * k - 1, NOW + (2 * k - 1) * G_USEC_PER_SEC, 1.0, NULL));
    }
  busy = saban_sensor_store_get_sensor (store, 1199);
  g_assert_cmpuint (busy->history->len, ==, 4096);
  g_assert_cmpint (busy->history->obs[4095].id, ==, 15000);
  g_assert_cmpint (busy->history->obs[0].id, ==, 15000 - 4095);
  for (guint j = 1; j < busy->history->len; j++)
    g_assert_cmpint (busy->history->obs[j].time_us, >, busy->history->obs[j - 1].time_us);
  g_assert_cmpfloat (saban_sensor_store_get_sensor (store, 1198)->history->obs[0].value, ==, 1.199);
  g_assert_cmpfloat (saban_sensor_store_get_sensor (store, 1200)->history->obs[0].value, ==, 1.201);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sensor-store/thresholds", test_thresholds);
  g_test_add_func ("/sensor-store/batches", test_batches);
  g_test_add_func ("/sensor-store/stale", test_stale);
  g_test_add_func ("/sensor-store/history", test_history);
  g_test_add_func ("/sensor-store/malformed", test_malformed);
  g_test_add_func ("/sensor-store/filter", test_filter);
  return g_test_run ();
}
