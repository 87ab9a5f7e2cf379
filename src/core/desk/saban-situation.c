/* saban-situation.c: the counts of the leaders' desk's situation strip,
 * from the session's models: active scenarios and their tasks, alarms
 * waiting by level, sensors gone silent, citizens' reports open and
 * overdue. Any model may be missing (a session without a server): its
 * counts stay 0. */
#include "saban-situation.h"

#include <math.h>

#include "saban-command-schema.h"

static void
count_scenarios (SabanSituation *s, SabanCommandStore *commands, gint64 now_us)
{
  static const char *const active[] = { "active", NULL };
  g_autoptr(GListModel) scenarios = saban_command_store_list (commands, SABAN_COMMAND_SCENARIOS, 0, active);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (now_us / G_USEC_PER_SEC);

  s->active_scenarios = g_list_model_get_n_items (scenarios);
  for (guint i = 0; i < s->active_scenarios; i++)
    {
      g_autoptr(SabanCommandItem) scenario = g_list_model_get_item (scenarios, i);
      gint64 id = saban_command_item_get_id (scenario);
      g_autoptr(GListModel) tasks = saban_command_store_list (commands, SABAN_COMMAND_TASKS, id, NULL);
      g_autoptr(GPtrArray) overdue = saban_command_store_get_overdue_tasks (commands, id, now);

      for (guint t = 0; t < g_list_model_get_n_items (tasks); t++)
        {
          g_autoptr(SabanCommandItem) task = g_list_model_get_item (tasks, t);
          const char *status = saban_command_item_get_status (task);

          if (g_strcmp0 (status, "cancelled") == 0)
            continue;
          s->tasks++;
          s->tasks_done += g_strcmp0 (status, "completed") == 0;
        }
      s->tasks_overdue += overdue->len;
    }
  s->progress = s->tasks > 0 ? (double) s->tasks_done / s->tasks : NAN;
}

static void
count_alarms (SabanSituation *s, SabanAlarmList *alarms)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (alarms)); i++)
    {
      g_autoptr(SabanAlarm) alarm = g_list_model_get_item (G_LIST_MODEL (alarms), i);

      if (saban_alarm_get_acknowledged (alarm))
        continue;
      if (saban_alarm_get_level (alarm) == SABAN_SENSOR_STATE_DANGER)
        s->alarms_danger++;
      else
        s->alarms_alert++;
    }
}

/**
 * saban_situation_count:
 * @commands: (nullable): the scenarios and tasks
 * @alarms: (nullable): the alarm list
 * @sensors: (nullable): the live sensors
 * @reports: (nullable): the citizens' reports, once read
 * @situation: (out caller-allocates): the counts at @now_us
 */
void
saban_situation_count (SabanSituation *situation, SabanCommandStore *commands, SabanAlarmList *alarms,
                       SabanSensorStore *sensors, SabanFeedbackStore *reports, gint64 now_us)
{
  memset (situation, 0, sizeof *situation);
  situation->progress = NAN;
  if (commands != NULL)
    count_scenarios (situation, commands, now_us);
  if (alarms != NULL)
    count_alarms (situation, alarms);
  if (sensors != NULL)
    {
      guint states[SABAN_SENSOR_N_STATES];

      saban_sensor_store_count_states (sensors, states);
      situation->sensors = saban_sensor_store_get_n_sensors (sensors);
      situation->sensors_offline = states[SABAN_SENSOR_STATE_STALE];
    }
  if (reports != NULL)
    {
      SabanFeedbackCounts counts;

      saban_feedback_store_count (reports, now_us, &counts);
      situation->reports_known = TRUE;
      situation->reports_open = counts.open;
      situation->reports_overdue = counts.overdue;
    }
}
