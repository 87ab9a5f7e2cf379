#pragma once

#include <gtk/gtk.h>

#include "saban-sensor-feed.h"
#include "saban-sensor-finder.h"
#include "saban-sensor-store.h"

G_BEGIN_DECLS

#define SABAN_TYPE_SENSOR_STATUS (saban_sensor_status_get_type ())
G_DECLARE_FINAL_TYPE (SabanSensorStatus, saban_sensor_status, SABAN, SENSOR_STATUS, GtkWidget)

GtkWidget  *saban_sensor_status_new      (SabanSensorStore  *store,
                                          SabanSensorFeed   *feed,
                                          SabanAlarmList    *alarms);
SabanSensorFinder *saban_sensor_status_get_finder (SabanSensorStatus *self);
const char *saban_sensor_status_get_text (SabanSensorStatus *self);

G_END_DECLS
