#pragma once

#include <shumate/shumate.h>

#include "saban-alarm-list.h"
#include "saban-sensor-filter.h"
#include "saban-sensor-store.h"

G_BEGIN_DECLS

#define SABAN_TYPE_SENSOR_LAYER (saban_sensor_layer_get_type ())

G_DECLARE_FINAL_TYPE (SabanSensorLayer, saban_sensor_layer, SABAN, SENSOR_LAYER, ShumateLayer)

SabanSensorLayer *saban_sensor_layer_new          (ShumateViewport  *viewport);
void              saban_sensor_layer_set_store    (SabanSensorLayer *self,
                                                   SabanSensorStore *store);
SabanSensorStore *saban_sensor_layer_get_store    (SabanSensorLayer *self);
guint             saban_sensor_layer_get_n_draws  (SabanSensorLayer *self);
guint             saban_sensor_layer_get_n_drawn  (SabanSensorLayer *self,
                                                   guint            *n_clusters);

void              saban_sensor_layer_set_alarms   (SabanSensorLayer *self,
                                                   SabanAlarmList   *alarms);
guint             saban_sensor_layer_get_n_pulsing (SabanSensorLayer *self);
void              saban_sensor_layer_set_pulse_seconds (SabanSensorLayer *self,
                                                        double            seconds);
void              saban_sensor_layer_set_filter   (SabanSensorLayer *self,
                                                   const SabanSensorFilter *filter);
gboolean          saban_sensor_layer_pick         (SabanSensorLayer *self,
                                                   double            x,
                                                   double            y,
                                                   guint            *sensor,
                                                   double           *latitude,
                                                   double           *longitude);

G_END_DECLS
