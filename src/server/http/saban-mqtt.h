#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SABAN_TYPE_MQTT (saban_mqtt_get_type ())
G_DECLARE_FINAL_TYPE (SabanMqtt, saban_mqtt, SABAN, MQTT, GObject)

SabanMqtt *saban_mqtt_new           (const char *host,
                                     int         port);
gboolean   saban_mqtt_is_connected  (SabanMqtt  *self);
void       saban_mqtt_publish       (SabanMqtt  *self,
                                     const char *topic,
                                     const char *payload);
void       saban_mqtt_stop          (SabanMqtt  *self);

G_END_DECLS
