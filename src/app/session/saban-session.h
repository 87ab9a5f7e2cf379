#pragma once

#include <gio/gio.h>

#include "saban-alarm-list.h"
#include "saban-command-client.h"
#include "saban-connection.h"
#include "saban-layer-model.h"
#include "saban-live-channel.h"
#include "saban-replay-view.h"
#include "saban-sensor-feed.h"
#include "saban-sensor-store.h"
#include "saban-sensor-things-client.h"
#include "saban-unit-store.h"

G_BEGIN_DECLS

#define SABAN_TYPE_SESSION (saban_session_get_type ())
G_DECLARE_FINAL_TYPE (SabanSession, saban_session, SABAN, SESSION, GObject)

SabanSession            *saban_session_new                 (void);
SabanSession            *saban_session_new_local           (void);
gboolean                 saban_session_get_has_server      (SabanSession        *self);
SabanApi                *saban_session_get_api             (SabanSession        *self);
SabanConnection         *saban_session_get_connection      (SabanSession        *self);
SabanLiveChannel        *saban_session_get_live_channel    (SabanSession        *self);
void                     saban_session_keep_broker_password (SabanSession       *self,
                                                            const char         *password);
void                     saban_session_set_password        (SabanSession        *self,
                                                            const char          *password);
SabanSensorStore        *saban_session_get_sensor_store    (SabanSession        *self);
SabanSensorThingsClient *saban_session_get_sensor_client   (SabanSession        *self);
SabanSensorFeed         *saban_session_get_sensor_feed     (SabanSession        *self);
gboolean                 saban_session_get_sensors_busy    (SabanSession        *self);
SabanUnitStore          *saban_session_get_units           (SabanSession        *self);
SabanAlarmList          *saban_session_get_alarms          (SabanSession        *self);
gboolean                 saban_session_acknowledge_alarm   (SabanSession        *self,
                                                            SabanAlarm          *alarm,
                                                            const char          *note);
SabanCommandClient      *saban_session_get_command_client  (SabanSession        *self);

SabanLayerModel         *saban_session_get_layers          (SabanSession        *self);
SabanWorkspace          *saban_session_load_workspace      (SabanSession        *self,
                                                            GError             **error);
gboolean                 saban_session_save_workspace      (SabanSession        *self,
                                                            SabanWorkspace      *workspace,
                                                            GError             **error);
SabanReplayView         *saban_session_get_replay          (SabanSession        *self);
void                     saban_session_set_replay          (SabanSession        *self,
                                                            SabanReplayView     *replay);

void                     saban_session_pick_point_async    (SabanSession        *self,
                                                            const char          *hint,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean                 saban_session_pick_point_finish   (SabanSession        *self,
                                                            GAsyncResult        *result,
                                                            double              *latitude,
                                                            double              *longitude,
                                                            GError             **error);

G_END_DECLS
