#pragma once

#include <json-glib/json-glib.h>

#include "saban-alarm-level.h"
#include "saban-sensor-store.h"

G_BEGIN_DECLS

#define SABAN_TYPE_ALARM (saban_alarm_get_type ())
G_DECLARE_FINAL_TYPE (SabanAlarm, saban_alarm, SABAN, ALARM, GObject)

SabanAlarm       *saban_alarm_new              (guint             index,
                                                const SabanSensor *sensor,
                                                SabanSensorState  level,
                                                double            value,
                                                gint64            time_us);
guint             saban_alarm_get_sensor       (SabanAlarm       *self);
SabanAlarm       *saban_alarm_new_cap          (const char       *identifier,
                                                const char       *headline,
                                                const char       *event,
                                                const char       *area_desc,
                                                SabanSensorState  level,
                                                SabanAlarmGrade   grade,
                                                gint64            sent_us,
                                                const double     *lonlat,
                                                guint             n_points);
const char       *saban_alarm_get_cap_identifier (SabanAlarm     *self);
const char       *saban_alarm_get_event        (SabanAlarm       *self);
const double     *saban_alarm_get_area         (SabanAlarm       *self,
                                                guint            *n_points);
void              saban_alarm_get_position     (SabanAlarm       *self,
                                                double           *lon,
                                                double           *lat);
const char       *saban_alarm_get_sensor_name  (SabanAlarm       *self);
const char       *saban_alarm_get_commune      (SabanAlarm       *self);
SabanSensorState  saban_alarm_get_level        (SabanAlarm       *self);
SabanAlarmGrade   saban_alarm_get_grade        (SabanAlarm       *self);
gint64            saban_alarm_get_datastream   (SabanAlarm       *self);
double            saban_alarm_get_value        (SabanAlarm       *self);
const char       *saban_alarm_get_unit         (SabanAlarm       *self);
gint64            saban_alarm_get_time         (SabanAlarm       *self);
gboolean          saban_alarm_escalate         (SabanAlarm       *self,
                                                SabanSensorState  level,
                                                SabanAlarmGrade   grade,
                                                double            value,
                                                gint64            time_us);
gboolean          saban_alarm_get_acknowledged (SabanAlarm       *self);
const char       *saban_alarm_get_ack_by       (SabanAlarm       *self);
const char       *saban_alarm_get_ack_note     (SabanAlarm       *self);
gint64            saban_alarm_get_ack_time     (SabanAlarm       *self);
void              saban_alarm_acknowledge      (SabanAlarm       *self,
                                                const char       *who,
                                                const char       *note,
                                                gint64            time_us);
JsonNode         *saban_alarm_new_acknowledgement (SabanAlarm     *self);

G_END_DECLS
