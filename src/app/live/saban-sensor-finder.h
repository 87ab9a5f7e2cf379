#pragma once

#include <gtk/gtk.h>

#include "saban-alarm-list.h"
#include "saban-sensor-filter.h"

G_BEGIN_DECLS

#define SABAN_TYPE_SENSOR_FINDER (saban_sensor_finder_get_type ())

G_DECLARE_FINAL_TYPE (SabanSensorFinder, saban_sensor_finder, SABAN, SENSOR_FINDER, GtkPopover)

GtkWidget               *saban_sensor_finder_new        (SabanSensorStore  *store,
                                                         SabanAlarmList    *alarms);
const SabanSensorFilter *saban_sensor_finder_get_filter (SabanSensorFinder *self);
void                     saban_sensor_finder_set_query  (SabanSensorFinder *self,
                                                         const char        *query);
guint                    saban_sensor_finder_get_n_found (SabanSensorFinder *self);

G_END_DECLS
