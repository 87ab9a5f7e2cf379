/* saban-sensor-feed.c: the live sensors' stream on the SabanLiveChannel —
 * SensorThings observations over MQTT (`v1.1/Datastreams(id)/Observations`)
 * and the responder units' moves (`v1.1/Things(id)/Locations`) into the
 * stores, and the SensorThings backfill when MQTT did not bring them.
 *
 * When to poll and when to catch up is the channel's; a catch-up here reads
 * the Observations after the latest one the store has. The store drops
 * duplicates by @iot.id, so the overlap costs nothing. Only the main thread
 * touches the stores.
 */
#include "saban-sensor-feed.h"
#include "saban-json.h"
#include "saban-net-enums.h"

#include <string.h>

#define LOG_DOMAIN "saban-iot"
/* "Datastreams(+)" is no valid MQTT filter ('+' must be a whole level):
 * hear the whole service and keep the Datastreams' Observations and the
 * Things' Locations (responder units moving) */
#define TOPIC "v1.1/#"
/* an Observation is a few hundred bytes; anything this big is hostile */
#define MAX_PAYLOAD (64 * 1024)

struct _SabanSensorFeed
{
  GObject                  parent_instance;
  SabanLiveChannel        *channel;
  SabanSensorThingsClient *client;
  guint                    n_messages;
};

enum { PROP_0, PROP_STATE, N_PROPS };

static GParamSpec *properties[N_PROPS];

static void saban_sensor_feed_stream_init (SabanLiveStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SabanSensorFeed, saban_sensor_feed, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SABAN_TYPE_LIVE_STREAM, saban_sensor_feed_stream_init))

/* `{prefix}ID{suffix}`: the ID */
static gboolean
parse_entity_topic (const char *topic, const char *prefix, const char *suffix, gint64 *id)
{
  char *end = NULL;

  if (topic == NULL || !g_str_has_prefix (topic, prefix) || !g_ascii_isdigit (topic[strlen (prefix)]))
    return FALSE;
  *id = g_ascii_strtoll (topic + strlen (prefix), &end, 10);
  return *id > 0 && end != NULL && g_str_equal (end, suffix);
}

static void
feed_message (SabanLiveStream *stream, const char *topic, GBytes *payload)
{
  SabanSensorFeed *self = SABAN_SENSOR_FEED (stream);
  g_autoptr(JsonNode) parsed = NULL;
  SabanUnitStore *units = saban_sensor_things_client_get_units (self->client);
  gint64 ds = 0, thing = 0;

  if (!parse_entity_topic (topic, "v1.1/Datastreams(", ")/Observations", &ds) &&
      (units == NULL || !parse_entity_topic (topic, "v1.1/Things(", ")/Locations", &thing)))
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_DEBUG, "MQTT message on %s ignored", topic);
      return;
    }
  if ((parsed = saban_live_stream_parse_message (topic, payload, LOG_DOMAIN)) == NULL)
    return;
  self->n_messages++;
  if (thing != 0)
    saban_unit_store_move_json (units, thing, parsed, g_get_real_time (), NULL);
  else
    saban_sensor_store_observe_json (saban_sensor_things_client_get_store (self->client), ds, parsed, NULL);
}

static void
backfilled (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;
  guint n = 0;

  if (!saban_sensor_things_client_backfill_finish (SABAN_SENSOR_THINGS_CLIENT (source), result, &n, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (n > 0)
    g_log (LOG_DOMAIN, G_LOG_LEVEL_DEBUG, "backfill: %u observations", n);
  g_task_return_boolean (task, TRUE);
}

static void
feed_catch_up_async (SabanLiveStream *stream, SabanLiveCatchUp reason, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data)
{
  SabanSensorFeed *self = SABAN_SENSOR_FEED (stream);
  SabanSensorStore *store = saban_sensor_things_client_get_store (self->client);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  /* "gt latest − 1 ms" is "ge latest" at the API's millisecond resolution:
   * other datastreams may have observations at the very same instant */
  gint64 since = saban_sensor_store_get_latest_time (store) - 1000;

  if (since <= 0)
    /* nothing loaded yet: the last day is enough to start from */
    since = g_get_real_time () - (gint64) 24 * 3600 * G_USEC_PER_SEC;
  saban_sensor_things_client_backfill_async (self->client, since, cancellable, backfilled, task);
}

static gboolean
feed_catch_up_finish (SabanLiveStream *stream, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
saban_sensor_feed_stream_init (SabanLiveStreamInterface *iface)
{
  iface->message = feed_message;
  iface->catch_up_async = feed_catch_up_async;
  iface->catch_up_finish = feed_catch_up_finish;
}

static void
on_state_changed (SabanSensorFeed *self, SabanLiveStream *stream)
{
  if (stream == SABAN_LIVE_STREAM (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
saban_sensor_feed_dispose (GObject *object)
{
  SabanSensorFeed *self = SABAN_SENSOR_FEED (object);

  if (self->channel != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->channel, self);
      saban_live_channel_remove_stream (self->channel, SABAN_LIVE_STREAM (self));
    }
  g_clear_object (&self->channel);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (saban_sensor_feed_parent_class)->dispose (object);
}

static void
saban_sensor_feed_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, saban_sensor_feed_get_state (SABAN_SENSOR_FEED (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_sensor_feed_class_init (SabanSensorFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = saban_sensor_feed_dispose;
  object_class->get_property = saban_sensor_feed_get_property;

  /* how the sensors get their data now */
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, SABAN_TYPE_FEED_STATE, SABAN_FEED_STATE_OFFLINE,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
saban_sensor_feed_init (SabanSensorFeed *self)
{
}

/**
 * saban_sensor_feed_new:
 * @channel: the live channel it is a stream of (topic `v1.1/#`)
 * @client: the SensorThings client whose stores are fed, and that backfills
 *
 * Returns: (transfer full): a feed; call saban_sensor_feed_start() once the
 *   sensors are loaded
 */
SabanSensorFeed *
saban_sensor_feed_new (SabanLiveChannel *channel, SabanSensorThingsClient *client)
{
  SabanSensorFeed *self;

  g_return_val_if_fail (SABAN_IS_LIVE_CHANNEL (channel), NULL);
  g_return_val_if_fail (SABAN_IS_SENSOR_THINGS_CLIENT (client), NULL);

  self = g_object_new (SABAN_TYPE_SENSOR_FEED, NULL);
  self->channel = g_object_ref (channel);
  self->client = g_object_ref (client);
  g_signal_connect_object (channel, "state-changed", G_CALLBACK (on_state_changed), self, G_CONNECT_SWAPPED);
  return self;
}

/**
 * saban_sensor_feed_start:
 *
 * Joins the channel: observations flow in over MQTT, or by polling while it
 * is down.
 */
void
saban_sensor_feed_start (SabanSensorFeed *self)
{
  g_return_if_fail (SABAN_IS_SENSOR_FEED (self));
  g_return_if_fail (!saban_live_channel_has_stream (self->channel, SABAN_LIVE_STREAM (self)));

  saban_live_channel_add_stream (self->channel, SABAN_LIVE_STREAM (self), TOPIC, MAX_PAYLOAD);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/**
 * saban_sensor_feed_get_state:
 * Returns: how the sensors get their data now; OFFLINE before the start
 */
SabanFeedState
saban_sensor_feed_get_state (SabanSensorFeed *self)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_FEED (self), SABAN_FEED_STATE_OFFLINE);
  return saban_live_channel_get_state (self->channel, SABAN_LIVE_STREAM (self));
}

/**
 * saban_sensor_feed_get_n_messages:
 * Returns: how many well-formed MQTT messages arrived
 */
guint
saban_sensor_feed_get_n_messages (SabanSensorFeed *self)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_FEED (self), 0);
  return self->n_messages;
}

/**
 * saban_sensor_feed_get_channel:
 * Returns: (transfer none): the live channel it is a stream of
 */
SabanLiveChannel *
saban_sensor_feed_get_channel (SabanSensorFeed *self)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_FEED (self), NULL);
  return self->channel;
}
