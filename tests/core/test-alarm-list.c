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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/alarm-list/raise-escalate-acknowledge", test_alarms);
  return g_test_run ();
}
