#pragma once

#include <adwaita.h>

#include "saban-connection.h"
#include "saban-alarm-list.h"
#include "saban-command-client.h"
#include "saban-command-notifier.h"
#include "saban-mqtt-feed.h"
#include "saban-sensor-store.h"
#include "saban-sensor-things-client.h"

G_BEGIN_DECLS

#define SABAN_TYPE_APPLICATION (saban_application_get_type ())

G_DECLARE_FINAL_TYPE (SabanApplication, saban_application, SABAN, APPLICATION, AdwApplication)

SabanApplication *saban_application_new            (void);
SabanConnection  *saban_application_get_connection (SabanApplication *self);
SabanSensorStore *saban_application_get_sensor_store (SabanApplication *self);
SabanMqttFeed    *saban_application_get_sensor_feed  (SabanApplication *self);
SabanSensorThingsClient *saban_application_get_sensor_client (SabanApplication *self);
gboolean          saban_application_get_sensors_busy (SabanApplication *self);
SabanAlarmList   *saban_application_get_alarms       (SabanApplication *self);
SabanUnitStore   *saban_application_get_units        (SabanApplication *self);
const char       *saban_application_get_mqtt_broker (SabanApplication *self);
SabanCommandClient *saban_application_get_command_client (SabanApplication *self);
SabanCommandNotifier *saban_application_get_command_notifier (SabanApplication *self);
void              saban_application_set_password   (SabanApplication *self,
                                                    const char       *password);

G_END_DECLS
