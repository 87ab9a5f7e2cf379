/* saban-live-stream.c: the interface of one kind of live data on a
 * SabanLiveChannel. The channel decides when (a message, a reconnection, a
 * poll); the stream only knows its data. */
#include "saban-live-stream.h"
#include "saban-json.h"

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

/**
 * saban_live_stream_parse_message:
 * @topic: the message's topic
 * @payload: (nullable): the message as the stream received it
 * @log_domain: the stream's log domain, for the reason a message is refused
 *
 * A message's JSON, bounded like everything read from outside
 * (saban_json_parse); one over the stream's size bound, empty or not JSON
 * is refused with a message naming its topic.
 *
 * Returns: (transfer full) (nullable): the parsed message, NULL if refused
 */
JsonNode *
saban_live_stream_parse_message (const char *topic, GBytes *payload, const char *log_domain)
{
  g_autoptr(GError) error = NULL;
  JsonNode *parsed;

  if (payload == NULL)
    {
      g_log (log_domain, G_LOG_LEVEL_MESSAGE, "MQTT message on %s rejected: payload too large or empty", topic);
      return NULL;
    }
  parsed = saban_json_parse (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), &error);
  if (parsed == NULL)
    g_log (log_domain, G_LOG_LEVEL_MESSAGE, "MQTT message on %s rejected: %s", topic, error->message);
  return parsed;
}
