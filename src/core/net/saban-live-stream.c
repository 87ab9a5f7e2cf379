/* saban-live-stream.c: the interface of one kind of live data on a
 * SabanLiveChannel. The channel decides when (a message, a reconnection, a
 * poll); the stream only knows its data. */
#include "saban-live-stream.h"

G_DEFINE_INTERFACE (SabanLiveStream, saban_live_stream, G_TYPE_OBJECT)

static void
saban_live_stream_default_init (SabanLiveStreamInterface *iface)
{
}

/**
 * saban_live_stream_message:
 * @topic: the MQTT topic, under the stream's filter
 * @payload: (nullable): the message, NULL when empty or over the stream's
 *   size bound
 *
 * A message from the broker, on the main thread.
 */
void
saban_live_stream_message (SabanLiveStream *self, const char *topic, GBytes *payload)
{
  g_return_if_fail (SABAN_IS_LIVE_STREAM (self));
  SABAN_LIVE_STREAM_GET_IFACE (self)->message (self, topic, payload);
}

/**
 * saban_live_stream_catch_up_async:
 * @reason: why: MQTT came back, MQTT is down, or the stream just joined
 *
 * Reads over HTTP what MQTT did not bring: what was published while the
 * broker was away or before the subscription, or everything new while it
 * is down.
 */
void
saban_live_stream_catch_up_async (SabanLiveStream     *self,
                                  SabanLiveCatchUp     reason,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (SABAN_IS_LIVE_STREAM (self));
  SABAN_LIVE_STREAM_GET_IFACE (self)->catch_up_async (self, reason, cancellable, callback, user_data);
}

/**
 * saban_live_stream_catch_up_finish:
 *
 * Returns: whether the server answered: the stream is current
 */
gboolean
saban_live_stream_catch_up_finish (SabanLiveStream *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (SABAN_IS_LIVE_STREAM (self), FALSE);
  return SABAN_LIVE_STREAM_GET_IFACE (self)->catch_up_finish (self, result, error);
}
