#pragma once

#include <gtk/gtk.h>

#include "saban-alarm-level.h"

G_BEGIN_DECLS

#define SABAN_TYPE_SENSOR_CHART (saban_sensor_chart_get_type ())
G_DECLARE_FINAL_TYPE (SabanSensorChart, saban_sensor_chart, SABAN, SENSOR_CHART, GtkWidget)

GtkWidget  *saban_sensor_chart_new            (void);
void        saban_sensor_chart_set_series     (SabanSensorChart *self,
                                               GArray           *series,
                                               gint64            from_us,
                                               gint64            to_us);
guint       saban_sensor_chart_get_n_points   (SabanSensorChart *self);
void        saban_sensor_chart_set_levels     (SabanSensorChart *self,
                                               const SabanSensor *sensor);
void        saban_sensor_chart_set_empty_text (SabanSensorChart *self,
                                               const char       *text);
const char *saban_sensor_chart_get_readout    (SabanSensorChart *self);

G_END_DECLS
