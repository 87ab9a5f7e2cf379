#pragma once

#include <gio/gio.h>

#include "saban-live-stream.h"
#include "saban-mqtt-connection.h"

G_BEGIN_DECLS

/* how a live stream gets its data */
typedef enum
{
  SABAN_FEED_STATE_OFFLINE,     /* neither MQTT nor polling works */
  SABAN_FEED_STATE_CONNECTING,  /* MQTT not yet subscribed, nothing polled yet */
  SABAN_FEED_STATE_LIVE,        /* MQTT connected and subscribed */
  SABAN_FEED_STATE_POLLING,     /* MQTT down, HTTP polling answers */
} SabanFeedState;

#define SABAN_TYPE_LIVE_CHANNEL (saban_live_channel_get_type ())
G_DECLARE_FINAL_TYPE (SabanLiveChannel, saban_live_channel, SABAN, LIVE_CHANNEL, GObject)

SabanLiveChannel *saban_live_channel_new               (const char         *broker,
                                                        const char * const *topics);
void              saban_live_channel_set_login         (SabanLiveChannel   *self,
                                                        const char         *user,
                                                        const char         *password,
                                                        const char         *ca_file);
void              saban_live_channel_start             (SabanLiveChannel   *self);
void              saban_live_channel_set_poll_interval (SabanLiveChannel   *self,
                                                        guint               seconds);
gboolean          saban_live_channel_get_connected     (SabanLiveChannel   *self);
SabanMqttRefusal  saban_live_channel_get_mqtt_refusal  (SabanLiveChannel   *self);
void              saban_live_channel_add_stream        (SabanLiveChannel   *self,
                                                        SabanLiveStream    *stream,
                                                        const char         *filter,
                                                        gsize               max_payload);
void              saban_live_channel_remove_stream     (SabanLiveChannel   *self,
                                                        SabanLiveStream    *stream);
gboolean          saban_live_channel_has_stream        (SabanLiveChannel   *self,
                                                        SabanLiveStream    *stream);
SabanFeedState    saban_live_channel_get_state         (SabanLiveChannel   *self,
                                                        SabanLiveStream    *stream);

G_END_DECLS
