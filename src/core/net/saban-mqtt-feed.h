#pragma once

#include <gio/gio.h>

#include "saban-mqtt-connection.h"
#include "saban-sensor-things-client.h"

G_BEGIN_DECLS

#define SABAN_TYPE_MQTT_FEED (saban_mqtt_feed_get_type ())
G_DECLARE_FINAL_TYPE (SabanMqttFeed, saban_mqtt_feed, SABAN, MQTT_FEED, GObject)

SabanMqttFeed  *saban_mqtt_feed_new               (const char              *broker,
                                                   SabanSensorThingsClient *client);
void            saban_mqtt_feed_start             (SabanMqttFeed           *self);
void            saban_mqtt_feed_set_poll_interval (SabanMqttFeed           *self,
                                                   guint                    seconds);
SabanFeedState  saban_mqtt_feed_get_state         (SabanMqttFeed           *self);
guint           saban_mqtt_feed_get_n_messages    (SabanMqttFeed           *self);
gboolean        saban_mqtt_parse_topic            (const char              *topic,
                                                   gint64                  *datastream_id);

G_END_DECLS
