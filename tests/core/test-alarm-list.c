/* SabanAlarmList: raised on a rise into alert/danger, escalated, not stacked,
 * kept until acknowledged, nothing for staleness. */
#include "saban-alarm-list.h"

#include <math.h>

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

  cap = saban_alarm_new_cap ("vn-lc-2025-1", "Lũ quét", "Flash flood", "Bảo Yên", SABAN_SENSOR_STATE_DANGER, now,
                             NULL, 0);
  again = saban_alarm_new_cap ("vn-lc-2025-1", "Lũ quét", "Flash flood", "Bảo Yên", SABAN_SENSOR_STATE_DANGER, now,
                               NULL, 0);
  g_assert_true (saban_alarm_list_add_cap (list, cap));
  g_assert_false (saban_alarm_list_add_cap (list, again));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n + 1);
  g_assert_cmpuint (changes.position, ==, 0);
  g_clear_object (&newest);
  newest = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_true (newest == cap);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/alarm-list/raise-escalate-acknowledge", test_alarms);
  g_test_add_func ("/alarm-list/flood", test_flood);
  return g_test_run ();
}
