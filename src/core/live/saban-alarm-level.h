#pragma once

#include <json-glib/json-glib.h>

#include "saban-sensor-store.h"

G_BEGIN_DECLS

/* The provincial alarm levels (cấp báo động I, II, III), as the flood
 * warning rules number them. */
typedef enum
{
  SABAN_ALARM_GRADE_NONE,
  SABAN_ALARM_GRADE_I,
  SABAN_ALARM_GRADE_II,
  SABAN_ALARM_GRADE_III,
} SabanAlarmGrade;

typedef enum
{
  SABAN_SENSOR_TREND_UNKNOWN,   /* fewer than two recent readings */
  SABAN_SENSOR_TREND_STEADY,
  SABAN_SENSOR_TREND_RISING,
  SABAN_SENSOR_TREND_FALLING,
} SabanSensorTrend;

void             saban_sensor_read_levels         (SabanSensor       *meta,
                                                   JsonObject        *properties);
SabanAlarmGrade  saban_sensor_grade               (const SabanSensor *sensor,
                                                   double             value);
SabanSensorTrend saban_sensor_trend               (const SabanSensor *sensor);
const char      *saban_alarm_grade_to_string      (SabanAlarmGrade    grade);
SabanAlarmGrade  saban_alarm_grade_from_string    (const char        *text);
const char      *saban_alarm_grade_label          (SabanAlarmGrade    grade);
const char      *saban_sensor_trend_label         (SabanSensorTrend   trend);

G_END_DECLS
