#pragma once

#include <gio/gio.h>

#include "saban-alarm.h"
#include "saban-sensor-store.h"

G_BEGIN_DECLS

#define SABAN_TYPE_ALARM_LIST (saban_alarm_list_get_type ())
G_DECLARE_FINAL_TYPE (SabanAlarmList, saban_alarm_list, SABAN, ALARM_LIST, GObject)

SabanAlarmList *saban_alarm_list_new          (SabanSensorStore *store);
guint           saban_alarm_list_get_n_active (SabanAlarmList   *self);
SabanAlarm     *saban_alarm_list_find_active  (SabanAlarmList   *self,
                                               guint             sensor);
gboolean        saban_alarm_list_add_cap      (SabanAlarmList   *self,
                                               SabanAlarm       *alarm);
gboolean        saban_alarm_list_acknowledge  (SabanAlarmList   *self,
                                               SabanAlarm       *alarm,
                                               const char       *who,
                                               const char       *note);
gboolean        saban_alarm_list_apply_acknowledgement (SabanAlarmList *self,
                                               JsonObject       *properties,
                                               GError          **error);

G_END_DECLS
