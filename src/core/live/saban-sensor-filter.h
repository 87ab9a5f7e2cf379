#pragma once

#include "saban-sensor-store.h"

G_BEGIN_DECLS

/* Which sensors the operator wants to see: by kind, state and commune, only
 * those in alarm, and a name search that ignores diacritics and case. An
 * empty filter matches everything. */
typedef struct _SabanSensorFilter SabanSensorFilter;

#define SABAN_TYPE_SENSOR_FILTER (saban_sensor_filter_get_type ())

GType              saban_sensor_filter_get_type     (void) G_GNUC_CONST;
SabanSensorFilter *saban_sensor_filter_new          (void);
SabanSensorFilter *saban_sensor_filter_copy         (const SabanSensorFilter *self);
void               saban_sensor_filter_free         (SabanSensorFilter       *self);
void               saban_sensor_filter_set_kind     (SabanSensorFilter       *self,
                                                     SabanSensorKind          kind,
                                                     gboolean                 shown);
void               saban_sensor_filter_set_state    (SabanSensorFilter       *self,
                                                     SabanSensorState         state,
                                                     gboolean                 shown);
void               saban_sensor_filter_set_commune  (SabanSensorFilter       *self,
                                                     const char              *commune);
void               saban_sensor_filter_set_only_alarms (SabanSensorFilter    *self,
                                                     gboolean                 only_alarms);
void               saban_sensor_filter_set_query    (SabanSensorFilter       *self,
                                                     const char              *query);
gboolean           saban_sensor_filter_is_empty     (const SabanSensorFilter *self);
gboolean           saban_sensor_filter_matches      (const SabanSensorFilter *self,
                                                     const SabanSensor       *sensor,
                                                     gboolean                 in_alarm);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SabanSensorFilter, saban_sensor_filter_free)

G_END_DECLS
