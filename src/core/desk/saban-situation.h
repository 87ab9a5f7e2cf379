#pragma once

#include "saban-alarm-list.h"
#include "saban-command-store.h"
#include "saban-feedback-store.h"
#include "saban-sensor-store.h"

G_BEGIN_DECLS

/* The leaders' desk's situation strip: what is going on now, counted from
 * the live models the session already holds. */
typedef struct
{
  guint    active_scenarios;
  guint    tasks;               /* of the active scenarios, not cancelled */
  guint    tasks_done;          /* of which completed */
  guint    tasks_overdue;       /* past their due time, unfinished */
  double   progress;            /* tasks_done ÷ tasks; NAN without tasks */
  guint    alarms_danger;       /* waiting for an acknowledgement */
  guint    alarms_alert;
  guint    sensors;
  guint    sensors_offline;     /* silent past three of their intervals */
  gboolean reports_known;       /* the citizens' reports were read */
  guint    reports_open;
  guint    reports_overdue;
} SabanSituation;

void saban_situation_count (SabanSituation     *situation,
                            SabanCommandStore  *commands,
                            SabanAlarmList     *alarms,
                            SabanSensorStore   *sensors,
                            SabanFeedbackStore *reports,
                            gint64              now_us);

G_END_DECLS
