#pragma once

#include <gio/gio.h>

#include "saban-broker-address.h"

G_BEGIN_DECLS

#define SABAN_TYPE_MQTT (saban_mqtt_get_type ())
G_DECLARE_FINAL_TYPE (SabanMqtt, saban_mqtt, SABAN, MQTT, GObject)

/* Where TLS looks for certificate authorities when none is given (Debian's). */
#define SABAN_MQTT_SYSTEM_CA_DIR "/etc/ssl/certs"

/* How the server signs in to its broker. */
typedef struct
{
  const char *user;      /* NULL: anonymous (a broker that is open) */
  const char *password;
  const char *ca_file;   /* with mqtts://: the authorities to trust; NULL for the system's */
} SabanMqttLogin;

SabanMqtt *saban_mqtt_new           (const SabanBrokerAddress *address,
                                     const SabanMqttLogin     *login,
                                     GError                  **error);
gboolean   saban_mqtt_is_connected  (SabanMqtt  *self);
void       saban_mqtt_publish       (SabanMqtt  *self,
                                     const char *topic,
                                     const char *payload);
void       saban_mqtt_stop          (SabanMqtt  *self);

G_END_DECLS
