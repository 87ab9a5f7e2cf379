#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* how a live feed gets its data */
typedef enum
{
  SABAN_FEED_STATE_OFFLINE,   /* neither MQTT nor polling works */
  SABAN_FEED_STATE_CONNECTING,
  SABAN_FEED_STATE_LIVE,      /* MQTT connected and subscribed */
  SABAN_FEED_STATE_POLLING,   /* MQTT down, HTTP polling answers */
} SabanFeedState;

#define SABAN_TYPE_MQTT_CONNECTION (saban_mqtt_connection_get_type ())
G_DECLARE_FINAL_TYPE (SabanMqttConnection, saban_mqtt_connection, SABAN, MQTT_CONNECTION, GObject)

SabanMqttConnection *saban_mqtt_connection_new           (const char          *broker,
                                                          const char          *topic,
                                                          gsize                max_payload);
gboolean             saban_mqtt_connection_start         (SabanMqttConnection *self);
gboolean             saban_mqtt_connection_has_broker    (SabanMqttConnection *self);
gboolean             saban_mqtt_connection_get_connected (SabanMqttConnection *self);

G_END_DECLS
