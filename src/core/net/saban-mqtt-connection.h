#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* why the broker turned the client's sign-in away (its CONNACK code) */
typedef enum
{
  SABAN_MQTT_REFUSAL_NONE,
  SABAN_MQTT_REFUSAL_BAD_LOGIN,       /* 4: bad user name or password */
  SABAN_MQTT_REFUSAL_NOT_AUTHORISED,  /* 5: not authorised; mosquitto's answer to a wrong password too */
} SabanMqttRefusal;

#define SABAN_TYPE_MQTT_CONNECTION (saban_mqtt_connection_get_type ())
G_DECLARE_FINAL_TYPE (SabanMqttConnection, saban_mqtt_connection, SABAN, MQTT_CONNECTION, GObject)

SabanMqttConnection *saban_mqtt_connection_new           (const char          *broker,
                                                          const char * const  *topics,
                                                          gsize                max_payload);
void                 saban_mqtt_connection_set_login     (SabanMqttConnection *self,
                                                          const char          *user,
                                                          const char          *password,
                                                          const char          *ca_file);
gboolean             saban_mqtt_connection_get_tls       (SabanMqttConnection *self);
gboolean             saban_mqtt_connection_start         (SabanMqttConnection *self);
gboolean             saban_mqtt_connection_has_broker    (SabanMqttConnection *self);
gboolean             saban_mqtt_connection_get_connected (SabanMqttConnection *self);
SabanMqttRefusal     saban_mqtt_connection_get_refusal   (SabanMqttConnection *self);

G_END_DECLS
