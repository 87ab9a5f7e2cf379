#pragma once

#include <gio/gio.h>

#include "saban-api.h"
#include "saban-sensor-store.h"
#include "saban-unit-store.h"

G_BEGIN_DECLS

/* an Observation of any Datastream, as a replay's history reads them */
typedef struct
{
  gint64           datastream_id;
  SabanObservation observation;
} SabanDatastreamObservation;

#define SABAN_TYPE_SENSOR_THINGS_CLIENT (saban_sensor_things_client_get_type ())
G_DECLARE_FINAL_TYPE (SabanSensorThingsClient, saban_sensor_things_client, SABAN, SENSOR_THINGS_CLIENT, GObject)

SabanSensorThingsClient *saban_sensor_things_client_new             (SabanApi                 *api,
                                                                     const char               *service,
                                                                     SabanSensorStore         *store);
SabanSensorStore        *saban_sensor_things_client_get_store       (SabanSensorThingsClient  *self);
void                     saban_sensor_things_client_set_units    (SabanSensorThingsClient *self,
                                                                  SabanUnitStore          *units);
SabanUnitStore          *saban_sensor_things_client_get_units    (SabanSensorThingsClient *self);
void                     saban_sensor_things_client_load_async      (SabanSensorThingsClient  *self,
                                                                     GCancellable             *cancellable,
                                                                     GAsyncReadyCallback       callback,
                                                                     gpointer                  user_data);
gboolean                 saban_sensor_things_client_load_finish     (SabanSensorThingsClient  *self,
                                                                     GAsyncResult             *result,
                                                                     GError                  **error);
void                     saban_sensor_things_client_backfill_async  (SabanSensorThingsClient  *self,
                                                                     gint64                    since_us,
                                                                     GCancellable             *cancellable,
                                                                     GAsyncReadyCallback       callback,
                                                                     gpointer                  user_data);
gboolean                 saban_sensor_things_client_backfill_finish (SabanSensorThingsClient  *self,
                                                                     GAsyncResult             *result,
                                                                     guint                    *n_observations,
                                                                     GError                  **error);
void                     saban_sensor_things_client_fetch_range_async    (SabanSensorThingsClient  *self,
                                                                          gint64                    datastream_id,
                                                                          gint64                    from_us,
                                                                          gint64                    to_us,
                                                                          GCancellable             *cancellable,
                                                                          GAsyncReadyCallback       callback,
                                                                          gpointer                  user_data);
GArray                  *saban_sensor_things_client_fetch_range_finish   (SabanSensorThingsClient  *self,
                                                                          GAsyncResult             *result,
                                                                          GError                  **error);
void                     saban_sensor_things_client_fetch_snapshot_async (SabanSensorThingsClient  *self,
                                                                          gint64                    thing_id,
                                                                          GCancellable             *cancellable,
                                                                          GAsyncReadyCallback       callback,
                                                                          gpointer                  user_data);
GBytes                  *saban_sensor_things_client_fetch_snapshot_finish (SabanSensorThingsClient *self,
                                                                          GAsyncResult             *result,
                                                                          GError                  **error);
void                     saban_sensor_things_client_fetch_history_async   (SabanSensorThingsClient  *self,
                                                                          gint64                    from_us,
                                                                          gint64                    to_us,
                                                                          GCancellable             *cancellable,
                                                                          GAsyncReadyCallback       callback,
                                                                          gpointer                  user_data);
GArray                  *saban_sensor_things_client_fetch_history_finish  (SabanSensorThingsClient  *self,
                                                                          GAsyncResult             *result,
                                                                          gboolean                 *truncated,
                                                                          GError                  **error);
void                     saban_sensor_things_client_fetch_locations_async (SabanSensorThingsClient  *self,
                                                                          gint64                    thing_id,
                                                                          gint64                    from_us,
                                                                          gint64                    to_us,
                                                                          GCancellable             *cancellable,
                                                                          GAsyncReadyCallback       callback,
                                                                          gpointer                  user_data);
GArray                  *saban_sensor_things_client_fetch_locations_finish (SabanSensorThingsClient *self,
                                                                          GAsyncResult             *result,
                                                                          GError                  **error);

char                    *saban_sensor_things_format_time            (gint64                    time_us);

G_END_DECLS
