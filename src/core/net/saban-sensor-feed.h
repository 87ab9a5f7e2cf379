#pragma once

#include <gio/gio.h>

#include "saban-live-channel.h"
#include "saban-sensor-things-client.h"

G_BEGIN_DECLS

#define SABAN_TYPE_SENSOR_FEED (saban_sensor_feed_get_type ())
G_DECLARE_FINAL_TYPE (SabanSensorFeed, saban_sensor_feed, SABAN, SENSOR_FEED, GObject)

SabanSensorFeed *saban_sensor_feed_new            (SabanLiveChannel        *channel,
                                                   SabanSensorThingsClient *client);
void             saban_sensor_feed_start          (SabanSensorFeed         *self);
SabanFeedState   saban_sensor_feed_get_state      (SabanSensorFeed         *self);
guint            saban_sensor_feed_get_n_messages (SabanSensorFeed         *self);
SabanLiveChannel *saban_sensor_feed_get_channel   (SabanSensorFeed         *self);

G_END_DECLS
