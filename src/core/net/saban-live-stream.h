#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* why a stream is asked to catch up */
typedef enum
{
  SABAN_LIVE_CATCH_UP_CONNECTED,  /* MQTT is (again) subscribed: read what it missed */
  SABAN_LIVE_CATCH_UP_POLL,       /* MQTT is down: poll instead */
  SABAN_LIVE_CATCH_UP_JOINED,     /* the stream joined a channel already live */
} SabanLiveCatchUp;

#define SABAN_TYPE_LIVE_STREAM (saban_live_stream_get_type ())
G_DECLARE_INTERFACE (SabanLiveStream, saban_live_stream, SABAN, LIVE_STREAM, GObject)

/* One kind of live data a SabanLiveChannel carries (sensors, commands,
 * alerts): what to do with an MQTT message, and how to read over HTTP what
 * MQTT did not bring. */
struct _SabanLiveStreamInterface
{
  GTypeInterface parent_iface;

  void     (*message)         (SabanLiveStream     *self,
                               const char          *topic,
                               GBytes              *payload);
  void     (*catch_up_async)  (SabanLiveStream     *self,
                               SabanLiveCatchUp     reason,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
  gboolean (*catch_up_finish) (SabanLiveStream     *self,
                               GAsyncResult        *result,
                               GError             **error);
};

void     saban_live_stream_message         (SabanLiveStream     *self,
                                            const char          *topic,
                                            GBytes              *payload);
void     saban_live_stream_catch_up_async  (SabanLiveStream     *self,
                                            SabanLiveCatchUp     reason,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean saban_live_stream_catch_up_finish (SabanLiveStream     *self,
                                            GAsyncResult        *result,
                                            GError             **error);
JsonNode *saban_live_stream_parse_message  (const char          *topic,
                                            GBytes              *payload,
                                            const char          *log_domain);

G_END_DECLS
