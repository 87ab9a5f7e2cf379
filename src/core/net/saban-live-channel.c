/* saban-live-channel.c: live data from the IOC, written once — one MQTT
 * connection shared by every stream (sensors, commands, alerts), with HTTP
 * polling whenever the broker is out of reach and a catch-up after every
 * (re)connection.
 *
 * The state machine, per stream:
 * - MQTT subscribed (SUBACK): LIVE. Each stream catches up once over HTTP,
 *   since what was published while the broker was away, or before the
 *   subscription, never comes over MQTT.
 * - MQTT lost: each stream catches up at once, then every poll interval
 *   for as long as MQTT stays down; CONNECTING (libmosquitto reconnects)
 *   until that first catch-up ends, then POLLING while the last catch-up
 *   succeeded, OFFLINE when it failed.
 * - Before the first connection, CONNECTING until a catch-up ends.
 * - The broker refuses the sign-in: as MQTT lost (the streams poll), and
 *   the channel's mqtt-refusal says why, for the operator to have the
 *   account put right; the connection retries only every few minutes.
 * - A stream that joins a channel already live catches up at once: what
 *   arrived over MQTT before it joined was not for it.
 * A stream's catch-up never runs twice at once. Messages go to every stream
 * whose topic filter matches, with that stream's size bound.
 *
 * The topics the connection subscribes to are given when the channel is
 * made (the broad filters, "v1.1/#", "ioc/v1/#"): a stream joining later
 * subscribes to nothing new, it only starts hearing its part.
 */
#include "saban-live-channel.h"

#include <mosquitto.h>
#include <string.h>

#include "saban-net-enums.h"

#define LOG_DOMAIN "saban-live"
/* the largest message the connection takes; each stream has its own bound */
#define MAX_PAYLOAD (1024 * 1024)
#define POLL_INTERVAL_S 10

typedef struct
{
  SabanLiveChannel *channel;
  SabanLiveStream  *stream;       /* weak: removed when it goes */
  char             *filter;
  gsize             max_payload;
  SabanFeedState    state;
  gboolean          busy;         /* a catch-up in flight */
  gboolean          tried;        /* a catch-up has finished */
  gboolean          ok;           /* the last one succeeded */
} Stream;

struct _SabanLiveChannel
{
  GObject              parent_instance;
  SabanMqttConnection *mqtt;
  char               **topics;
  GPtrArray           *streams;       /* Stream */
  GCancellable        *cancellable;
  guint                poll_interval;
  guint                poll_timer;
  gboolean             started;
  gboolean             connected;     /* subscribed */
  gboolean             connecting;    /* started with a broker, not subscribed, nothing polled since */
};

enum { PROP_0, PROP_MQTT_REFUSAL, N_PROPS };
enum { SIGNAL_STATE_CHANGED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanLiveChannel, saban_live_channel, G_TYPE_OBJECT)

static void stream_gone (gpointer data, GObject *where_the_object_was);

static void
stream_free (gpointer data)
{
  Stream *s = data;

  if (s->stream != NULL)
    g_object_weak_unref (G_OBJECT (s->stream), stream_gone, s);
  g_free (s->filter);
  g_free (s);
}

static Stream *
find (SabanLiveChannel *self, SabanLiveStream *stream, guint *index)
{
  for (guint i = 0; i < self->streams->len; i++)
    {
      Stream *s = g_ptr_array_index (self->streams, i);

      if (s->stream == stream)
        {
          if (index != NULL)
            *index = i;
          return s;
        }
    }
  return NULL;
}

static void
stream_gone (gpointer data, GObject *where_the_object_was)
{
  Stream *s = data;

  s->stream = NULL;
  g_ptr_array_remove (s->channel->streams, s);
}

/* the streams now, for a walk during which a handler may remove one (the
 * copy frees nothing) */
static GPtrArray *
snapshot (SabanLiveChannel *self)
{
  GPtrArray *copy = g_ptr_array_sized_new (self->streams->len);

  for (guint i = 0; i < self->streams->len; i++)
    g_ptr_array_add (copy, g_ptr_array_index (self->streams, i));
  return copy;
}

/* a stream of a snapshot that no handler has removed since */
static gboolean
still_there (SabanLiveChannel *self, Stream *s)
{
  return g_ptr_array_find (self->streams, s, NULL);
}

/* ---- the state machine ------------------------------------------------------ */

static SabanFeedState
state_of (SabanLiveChannel *self, Stream *s)
{
  if (self->connected)
    return SABAN_FEED_STATE_LIVE;
  if (s->tried)
    return s->ok ? SABAN_FEED_STATE_POLLING : SABAN_FEED_STATE_OFFLINE;
  return self->connecting ? SABAN_FEED_STATE_CONNECTING : SABAN_FEED_STATE_OFFLINE;
}

static void
update_states (SabanLiveChannel *self)
{
  g_autoptr(GPtrArray) streams = snapshot (self);

  for (guint i = 0; i < streams->len; i++)
    {
      Stream *s = g_ptr_array_index (streams, i);
      SabanFeedState state;

      if (!still_there (self, s) || s->state == (state = state_of (self, s)))
        continue;
      s->state = state;
      g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0, s->stream);
    }
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GWeakRef, weak_ref_free)

static void
caught_up (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GWeakRef) ref = data;
  g_autoptr(SabanLiveChannel) self = g_weak_ref_get (ref);
  g_autoptr(GError) error = NULL;
  gboolean ok = saban_live_stream_catch_up_finish (SABAN_LIVE_STREAM (source), result, &error);
  Stream *s;

  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      (s = find (self, SABAN_LIVE_STREAM (source), NULL)) == NULL)
    return;
  s->busy = FALSE;
  s->tried = TRUE;
  s->ok = ok;
  if (!ok)
    g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "%s did not catch up: %s", G_OBJECT_TYPE_NAME (source), error->message);
  update_states (self);
}

static void
catch_up (SabanLiveChannel *self, Stream *s, SabanLiveCatchUp reason)
{
  GWeakRef *ref;

  if (s->busy)
    return;
  s->busy = TRUE;
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  saban_live_stream_catch_up_async (s->stream, reason, self->cancellable, caught_up, ref);
}

static void
catch_up_all (SabanLiveChannel *self, SabanLiveCatchUp reason)
{
  g_autoptr(GPtrArray) streams = snapshot (self);

  for (guint i = 0; i < streams->len; i++)
    if (still_there (self, g_ptr_array_index (streams, i)))
      catch_up (self, g_ptr_array_index (streams, i), reason);
}

static gboolean
poll_cb (gpointer data)
{
  SabanLiveChannel *self = data;

  if (!self->connected)
    catch_up_all (self, SABAN_LIVE_CATCH_UP_POLL);
  return G_SOURCE_CONTINUE;
}

/* subscribed: what was published while we were away or subscribing */
static void
on_connected (SabanLiveChannel *self)
{
  self->connected = TRUE;
  self->connecting = FALSE;
  update_states (self);
  catch_up_all (self, SABAN_LIVE_CATCH_UP_CONNECTED);
}

static void
on_disconnected (SabanLiveChannel *self, int rc)
{
  if (self->connected)
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "MQTT connection lost (%d): polling", rc);
      /* what the streams knew over MQTT says nothing of the HTTP path */
      self->connecting = TRUE;
      for (guint i = 0; i < self->streams->len; i++)
        ((Stream *) g_ptr_array_index (self->streams, i))->tried = FALSE;
    }
  self->connected = FALSE;
  update_states (self);
  catch_up_all (self, SABAN_LIVE_CATCH_UP_POLL);
}

static void
on_refusal_changed (SabanLiveChannel *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MQTT_REFUSAL]);
}

static void
on_message (SabanLiveChannel *self, const char *topic, GBytes *payload)
{
  g_autoptr(GPtrArray) streams = snapshot (self);
  gboolean heard = FALSE;

  for (guint i = 0; i < streams->len; i++)
    {
      Stream *s = g_ptr_array_index (streams, i);
      bool matches = FALSE;

      if (!still_there (self, s) || mosquitto_topic_matches_sub (s->filter, topic, &matches) != 0 ||
          !matches)
        continue;
      heard = TRUE;
      saban_live_stream_message (s->stream, topic,
                                 payload != NULL && g_bytes_get_size (payload) <= s->max_payload ? payload : NULL);
    }
  if (!heard)
    g_log (LOG_DOMAIN, G_LOG_LEVEL_DEBUG, "MQTT message on %s: no stream for it", topic);
}

/* ---- the object --------------------------------------------------------------- */

static void
saban_live_channel_dispose (GObject *object)
{
  SabanLiveChannel *self = SABAN_LIVE_CHANNEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->poll_timer, g_source_remove);
  if (self->mqtt != NULL)
    g_signal_handlers_disconnect_by_data (self->mqtt, self);
  /* joins the network thread */
  g_clear_object (&self->mqtt);
  g_ptr_array_set_size (self->streams, 0);
  G_OBJECT_CLASS (saban_live_channel_parent_class)->dispose (object);
}

static void
saban_live_channel_finalize (GObject *object)
{
  SabanLiveChannel *self = SABAN_LIVE_CHANNEL (object);

  g_ptr_array_unref (self->streams);
  g_strfreev (self->topics);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (saban_live_channel_parent_class)->finalize (object);
}

static void
saban_live_channel_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_MQTT_REFUSAL:
      g_value_set_enum (value, saban_live_channel_get_mqtt_refusal (SABAN_LIVE_CHANNEL (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_live_channel_class_init (SabanLiveChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = saban_live_channel_dispose;
  object_class->finalize = saban_live_channel_finalize;
  object_class->get_property = saban_live_channel_get_property;

  /* why the broker refused the last sign-in (saban_live_channel_get_mqtt_refusal) */
  properties[PROP_MQTT_REFUSAL] = g_param_spec_enum ("mqtt-refusal", NULL, NULL, SABAN_TYPE_MQTT_REFUSAL,
                                                     SABAN_MQTT_REFUSAL_NONE,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                     G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (SabanLiveStream *stream): its state changed (saban_live_channel_get_state) */
  signals[SIGNAL_STATE_CHANGED] = g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                NULL, NULL, NULL, G_TYPE_NONE, 1, SABAN_TYPE_LIVE_STREAM);
}

static void
saban_live_channel_init (SabanLiveChannel *self)
{
  self->streams = g_ptr_array_new_with_free_func (stream_free);
  self->cancellable = g_cancellable_new ();
  self->poll_interval = POLL_INTERVAL_S;
}

/**
 * saban_live_channel_new:
 * @broker: (nullable): `HOST:PORT` of the MQTT broker; NULL or empty to
 *   poll only
 * @topics: the topic filters the one connection subscribes to; every
 *   stream's filter lies under one of them
 *
 * Returns: (transfer full): a channel; add streams, then call
 *   saban_live_channel_start()
 */
SabanLiveChannel *
saban_live_channel_new (const char *broker, const char *const *topics)
{
  SabanLiveChannel *self;

  g_return_val_if_fail (topics != NULL && topics[0] != NULL, NULL);

  self = g_object_new (SABAN_TYPE_LIVE_CHANNEL, NULL);
  self->topics = g_strdupv ((char **) topics);
  self->mqtt = saban_mqtt_connection_new (broker, topics, MAX_PAYLOAD);
  g_signal_connect_swapped (self->mqtt, "connected", G_CALLBACK (on_connected), self);
  g_signal_connect_swapped (self->mqtt, "disconnected", G_CALLBACK (on_disconnected), self);
  g_signal_connect_swapped (self->mqtt, "message", G_CALLBACK (on_message), self);
  g_signal_connect_swapped (self->mqtt, "notify::refusal", G_CALLBACK (on_refusal_changed), self);
  return self;
}

/**
 * saban_live_channel_set_login:
 * @user: (nullable): the client's account on the broker (the ACL lets it
 *   read only); NULL to connect anonymously
 * @password: (nullable): its password (from the Secret Service)
 * @ca_file: (nullable): with an mqtts:// broker, the authorities to trust
 *   instead of the system's
 *
 * Call before saban_live_channel_start().
 */
void
saban_live_channel_set_login (SabanLiveChannel *self, const char *user, const char *password, const char *ca_file)
{
  g_return_if_fail (SABAN_IS_LIVE_CHANNEL (self));
  g_return_if_fail (!self->started);

  saban_mqtt_connection_set_login (self->mqtt, user, password, ca_file);
}

/**
 * saban_live_channel_start:
 *
 * Connects to the broker in the background (retrying with backoff for as
 * long as the channel lives) and polls until it is subscribed.
 */
void
saban_live_channel_start (SabanLiveChannel *self)
{
  g_return_if_fail (SABAN_IS_LIVE_CHANNEL (self));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  self->poll_timer = g_timeout_add_seconds (self->poll_interval, poll_cb, self);
  if (!saban_mqtt_connection_has_broker (self->mqtt))
    return;
  self->connecting = saban_mqtt_connection_start (self->mqtt);
  if (!self->connecting)
    g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "MQTT client could not be created");
  update_states (self);
}

/**
 * saban_live_channel_set_poll_interval:
 * @seconds: how often the streams poll while MQTT is down
 */
void
saban_live_channel_set_poll_interval (SabanLiveChannel *self, guint seconds)
{
  g_return_if_fail (SABAN_IS_LIVE_CHANNEL (self));

  self->poll_interval = MAX (seconds, 1);
  if (self->poll_timer != 0)
    {
      g_source_remove (self->poll_timer);
      self->poll_timer = g_timeout_add_seconds (self->poll_interval, poll_cb, self);
    }
}

/**
 * saban_live_channel_get_connected:
 * Returns: whether MQTT is connected and subscribed
 */
gboolean
saban_live_channel_get_connected (SabanLiveChannel *self)
{
  g_return_val_if_fail (SABAN_IS_LIVE_CHANNEL (self), FALSE);
  return self->connected;
}

/**
 * saban_live_channel_get_mqtt_refusal:
 * Returns: why the broker refused the last sign-in (a wrong account or
 *   password, an account not let in); NONE when it did not, or once live again
 */
SabanMqttRefusal
saban_live_channel_get_mqtt_refusal (SabanLiveChannel *self)
{
  g_return_val_if_fail (SABAN_IS_LIVE_CHANNEL (self), SABAN_MQTT_REFUSAL_NONE);
  return saban_mqtt_connection_get_refusal (self->mqtt);
}

static gboolean
covered (SabanLiveChannel *self, const char *filter)
{
  for (guint i = 0; self->topics[i] != NULL; i++)
    {
      const char *topic = self->topics[i];

      if (g_str_equal (topic, filter) ||
          (g_str_has_suffix (topic, "/#") && strncmp (filter, topic, strlen (topic) - 1) == 0))
        return TRUE;
    }
  return FALSE;
}

/**
 * saban_live_channel_add_stream:
 * @stream: what gets the messages under @filter, and catches up when told
 * @filter: an MQTT topic filter under one of the channel's topics
 * @max_payload: larger messages reach @stream with a NULL payload
 *
 * The stream hears its messages from now on, and catches up at once if the
 * channel is live. The channel does not keep @stream alive: it leaves the
 * channel when it is finalized.
 */
void
saban_live_channel_add_stream (SabanLiveChannel *self, SabanLiveStream *stream, const char *filter,
                               gsize max_payload)
{
  Stream *s;

  g_return_if_fail (SABAN_IS_LIVE_CHANNEL (self));
  g_return_if_fail (SABAN_IS_LIVE_STREAM (stream));
  g_return_if_fail (find (self, stream, NULL) == NULL);
  g_return_if_fail (covered (self, filter));

  s = g_new0 (Stream, 1);
  s->channel = self;
  s->stream = stream;
  s->filter = g_strdup (filter);
  s->max_payload = max_payload;
  s->state = state_of (self, s);
  g_object_weak_ref (G_OBJECT (stream), stream_gone, s);
  g_ptr_array_add (self->streams, s);
  if (self->connected)
    catch_up (self, s, SABAN_LIVE_CATCH_UP_JOINED);
}

/**
 * saban_live_channel_remove_stream:
 *
 * @stream hears nothing more (a catch-up in flight still finishes).
 */
void
saban_live_channel_remove_stream (SabanLiveChannel *self, SabanLiveStream *stream)
{
  guint index;

  g_return_if_fail (SABAN_IS_LIVE_CHANNEL (self));

  if (find (self, stream, &index) != NULL)
    g_ptr_array_remove_index (self->streams, index);
}

/**
 * saban_live_channel_has_stream:
 * Returns: whether @stream is on the channel
 */
gboolean
saban_live_channel_has_stream (SabanLiveChannel *self, SabanLiveStream *stream)
{
  g_return_val_if_fail (SABAN_IS_LIVE_CHANNEL (self), FALSE);
  return find (self, stream, NULL) != NULL;
}

/**
 * saban_live_channel_get_state:
 * @stream: a stream of the channel
 *
 * Returns: how @stream gets its data now; OFFLINE for a stream not on the
 *   channel
 */
SabanFeedState
saban_live_channel_get_state (SabanLiveChannel *self, SabanLiveStream *stream)
{
  Stream *s;

  g_return_val_if_fail (SABAN_IS_LIVE_CHANNEL (self), SABAN_FEED_STATE_OFFLINE);

  s = find (self, stream, NULL);
  return s != NULL ? s->state : SABAN_FEED_STATE_OFFLINE;
}
