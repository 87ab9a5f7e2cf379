/* saban-mqtt-feed.c: live observations over the SensorThings MQTT extension,
 * with HTTP polling whenever the broker is out of reach.
 *
 * The broker connection (its thread, reconnection, and the hand-over of
 * every event to the main thread) is a SabanMqttConnection, shared with the
 * Command API client; only the main thread touches the store.
 *
 * While MQTT is not connected a timer polls the SensorThings server for
 * Observations after the latest one seen; on every (re)connection one
 * backfill runs after subscribing, so what was published while we were away
 * (or while subscribing) is read over HTTP. The store drops duplicates by
 * @iot.id, so the overlap costs nothing.
 */
#include "saban-mqtt-feed.h"
#include "saban-json.h"

#include <string.h>

#define LOG_DOMAIN "saban-iot"
/* "Datastreams(+)" is no valid MQTT filter ('+' must be a whole level):
 * subscribe to the whole service and keep the Datastreams' Observations
 * and the Things' Locations (responder units moving) */
#define TOPIC "v1.1/#"
/* an Observation is a few hundred bytes; anything this big is hostile */
#define MAX_PAYLOAD (64 * 1024)

struct _SabanMqttFeed
{
  GObject                  parent_instance;
  SabanMqttConnection     *mqtt;
  SabanSensorThingsClient *client;
  GCancellable            *cancellable;
  SabanFeedState           state;
  guint                    poll_interval;
  guint                    poll_timer;
  gboolean                 polling;       /* a backfill is in flight */
  gboolean                 poll_ok;
  gboolean                 mqtt_up;
  guint                    n_messages;
};

enum { PROP_0, PROP_STATE, N_PROPS };

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SabanMqttFeed, saban_mqtt_feed, G_TYPE_OBJECT)

static void
set_state (SabanMqttFeed *self, SabanFeedState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
update_state (SabanMqttFeed *self)
{
  if (self->mqtt_up)
    set_state (self, SABAN_FEED_STATE_LIVE);
  else if (self->poll_ok)
    set_state (self, SABAN_FEED_STATE_POLLING);
  else
    set_state (self, SABAN_FEED_STATE_OFFLINE);
}

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

/**
 * saban_mqtt_parse_topic:
 * @topic: an MQTT topic
 * @datastream_id: (out): the datastream it is about
 *
 * Returns: whether @topic is `v1.1/Datastreams(ID)/Observations`
 */
gboolean
saban_mqtt_parse_topic (const char *topic, gint64 *datastream_id)
{
  return parse_entity_topic (topic, "v1.1/Datastreams(", ")/Observations", datastream_id);
}

static void
backfill_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SabanMqttFeed *self;
  g_autoptr(GError) error = NULL;
  guint n = 0;
  gboolean ok = saban_sensor_things_client_backfill_finish (SABAN_SENSOR_THINGS_CLIENT (source), result, &n, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_MQTT_FEED (user_data);
  self->polling = FALSE;
  if (!ok)
    g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "polling failed: %s", error->message);
  else if (n > 0)
    g_log (LOG_DOMAIN, G_LOG_LEVEL_DEBUG, "backfill: %u observations", n);
  self->poll_ok = ok;
  update_state (self);
}

static void
backfill (SabanMqttFeed *self)
{
  SabanSensorStore *store;
  gint64 since;

  if (self->client == NULL || self->polling)
    return;
  store = saban_sensor_things_client_get_store (self->client);
  /* "gt latest − 1 ms" is "ge latest" at the API's millisecond resolution:
   * other datastreams may have observations at the very same instant */
  since = saban_sensor_store_get_latest_time (store) - 1000;
  if (since <= 0)
    /* nothing loaded yet: the last day is enough to start from */
    since = g_get_real_time () - (gint64) 24 * 3600 * G_USEC_PER_SEC;
  self->polling = TRUE;
  saban_sensor_things_client_backfill_async (self->client, since, self->cancellable, backfill_done, self);
}

static gboolean
poll_cb (gpointer data)
{
  SabanMqttFeed *self = data;

  if (!self->mqtt_up)
    backfill (self);
  return G_SOURCE_CONTINUE;
}

static void
on_message (SabanMqttFeed *self, const char *topic, GBytes *payload)
{
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) error = NULL;
  SabanUnitStore *units = saban_sensor_things_client_get_units (self->client);
  gint64 ds = 0, thing = 0;

  if (!saban_mqtt_parse_topic (topic, &ds) && (units == NULL || !parse_entity_topic (topic, "v1.1/Things(", ")/Locations", &thing)))
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_DEBUG, "MQTT message on %s ignored", topic);
      return;
    }
  if (payload == NULL)
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "MQTT message on %s rejected: payload too large or empty", topic);
      return;
    }
  if ((parsed = saban_json_parse (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), &error)) == NULL)
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "MQTT message on %s rejected: %s", topic, error->message);
      return;
    }
  self->n_messages++;
  if (thing != 0)
    saban_unit_store_move_json (units, thing, parsed, g_get_real_time (), NULL);
  else
    saban_sensor_store_observe_json (saban_sensor_things_client_get_store (self->client), ds,
                                     parsed, NULL);
}

/* subscribed: what was published while we were away or subscribing */
static void
on_connected (SabanMqttFeed *self)
{
  self->mqtt_up = TRUE;
  update_state (self);
  backfill (self);
}

static void
on_disconnected (SabanMqttFeed *self, int rc)
{
  if (self->mqtt_up)
    g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "MQTT connection lost (%d): polling", rc);
  self->mqtt_up = FALSE;
  update_state (self);
  backfill (self);
}

static void
saban_mqtt_feed_dispose (GObject *object)
{
  SabanMqttFeed *self = SABAN_MQTT_FEED (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->poll_timer, g_source_remove);
  if (self->mqtt != NULL)
    g_signal_handlers_disconnect_by_data (self->mqtt, self);
  g_clear_object (&self->mqtt);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (saban_mqtt_feed_parent_class)->dispose (object);
}

static void
saban_mqtt_feed_finalize (GObject *object)
{
  SabanMqttFeed *self = SABAN_MQTT_FEED (object);

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (saban_mqtt_feed_parent_class)->finalize (object);
}

static void
saban_mqtt_feed_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SabanMqttFeed *self = SABAN_MQTT_FEED (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_uint (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_mqtt_feed_class_init (SabanMqttFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = saban_mqtt_feed_dispose;
  object_class->finalize = saban_mqtt_feed_finalize;
  object_class->get_property = saban_mqtt_feed_get_property;

  /* a SabanFeedState */
  properties[PROP_STATE] = g_param_spec_uint ("state", NULL, NULL, 0, SABAN_FEED_STATE_POLLING,
                                              SABAN_FEED_STATE_OFFLINE,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
saban_mqtt_feed_init (SabanMqttFeed *self)
{
  self->cancellable = g_cancellable_new ();
  self->poll_interval = 10;
}

/**
 * saban_mqtt_feed_new:
 * @broker: (nullable): `HOST:PORT` of the MQTT broker; NULL to poll only
 * @client: the SensorThings client whose store is fed, and that polls
 *
 * Returns: (transfer full): a feed; call saban_mqtt_feed_start()
 */
SabanMqttFeed *
saban_mqtt_feed_new (const char *broker, SabanSensorThingsClient *client)
{
  SabanMqttFeed *self;

  g_return_val_if_fail (SABAN_IS_SENSOR_THINGS_CLIENT (client), NULL);

  self = g_object_new (SABAN_TYPE_MQTT_FEED, NULL);
  self->client = g_object_ref (client);
  self->mqtt = saban_mqtt_connection_new (broker, TOPIC, MAX_PAYLOAD);
  g_signal_connect_swapped (self->mqtt, "connected", G_CALLBACK (on_connected), self);
  g_signal_connect_swapped (self->mqtt, "disconnected", G_CALLBACK (on_disconnected), self);
  g_signal_connect_swapped (self->mqtt, "message", G_CALLBACK (on_message), self);
  return self;
}

/**
 * saban_mqtt_feed_set_poll_interval:
 * @self: a feed
 * @seconds: how often to poll while MQTT is down
 */
void
saban_mqtt_feed_set_poll_interval (SabanMqttFeed *self, guint seconds)
{
  g_return_if_fail (SABAN_IS_MQTT_FEED (self));

  self->poll_interval = MAX (seconds, 1);
  if (self->poll_timer != 0)
    {
      g_source_remove (self->poll_timer);
      self->poll_timer = g_timeout_add_seconds (self->poll_interval, poll_cb, self);
    }
}

/**
 * saban_mqtt_feed_start:
 * @self: a feed
 *
 * Connects to the broker in the background (retrying with backoff for as
 * long as the feed lives) and polls until it is connected.
 */
void
saban_mqtt_feed_start (SabanMqttFeed *self)
{
  g_return_if_fail (SABAN_IS_MQTT_FEED (self));
  g_return_if_fail (self->poll_timer == 0);

  self->poll_timer = g_timeout_add_seconds (self->poll_interval, poll_cb, self);
  if (!saban_mqtt_connection_has_broker (self->mqtt))
    return;
  set_state (self, SABAN_FEED_STATE_CONNECTING);
  if (!saban_mqtt_connection_start (self->mqtt))
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "MQTT client could not be created");
      set_state (self, SABAN_FEED_STATE_OFFLINE);
    }
}

SabanFeedState
saban_mqtt_feed_get_state (SabanMqttFeed *self)
{
  g_return_val_if_fail (SABAN_IS_MQTT_FEED (self), SABAN_FEED_STATE_OFFLINE);
  return self->state;
}

/**
 * saban_mqtt_feed_get_n_messages:
 * @self: a feed
 *
 * Returns: how many well-formed MQTT messages arrived
 */
guint
saban_mqtt_feed_get_n_messages (SabanMqttFeed *self)
{
  g_return_val_if_fail (SABAN_IS_MQTT_FEED (self), 0);
  return self->n_messages;
}
