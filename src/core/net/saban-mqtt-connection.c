/* saban-mqtt-connection.c: one MQTT connection and its subscriptions kept
 * alive, its events delivered on the main thread (the SabanLiveChannel's
 * link to the broker).
 *
 * libmosquitto runs its own network thread (mosquitto_loop_start), which also
 * reconnects with exponential backoff. Its callbacks touch nothing of ours:
 * each copies what it got into an Event and hands it, as an idle source, to
 * the context that made the connection, where it becomes a signal.
 * An Event holds a reference to the connection, so the connection outlives
 * every event in flight. "connected" is emitted once the broker acknowledged
 * the subscriptions (one SUBACK for all), so whatever a listener then
 * fetches over HTTP covers everything published before MQTT could deliver
 * it.
 *
 * The broker is not open: the client signs in with an account the ACL lets
 * only read, and speaks TLS when the address says mqtts:// (the broker's
 * certificate and name checked against the system's authorities or a file
 * the province gives). A sign-in the broker refuses (CONNACK 4 or 5: a wrong
 * password, an account it does not know or let in) is said as such
 * ("refusal"), and retried only every REFUSED_RETRY_S: the same password
 * every few seconds would only fill the broker's log and, where the
 * broker locks accounts out after failures, lock this one out.
 */
#include "saban-mqtt-connection.h"

#include <mosquitto.h>
#include <string.h>

#include "saban-broker-address.h"
#include "saban-net-enums.h"

/* Debian's system authorities, when no file of the province's is set */
#define SYSTEM_CA_DIR "/etc/ssl/certs"
/* after a refused sign-in: a password put right on the broker is taken
 * within minutes, without a restart of every workstation */
#define REFUSED_RETRY_S 300
/* CONNACK return codes of MQTT 3.1.1 (libmosquitto's on_connect rc) */
#define CONNACK_BAD_LOGIN      4
#define CONNACK_NOT_AUTHORISED 5

struct _SabanMqttConnection
{
  GObject           parent_instance;
  GMainContext     *context;
  GCancellable     *cancellable;
  struct mosquitto *mosq;
  char             *host;
  int               port;
  gboolean          tls;
  char             *user;
  char             *password;
  char             *ca_file;
  char            **topics;
  gsize             max_payload;
  gboolean          connected;
  gboolean          started;
  SabanMqttRefusal  refusal;
};

enum { PROP_0, PROP_CONNECTED, PROP_REFUSAL, N_PROPS };
enum { SIGNAL_CONNECTED, SIGNAL_DISCONNECTED, SIGNAL_MESSAGE, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanMqttConnection, saban_mqtt_connection, G_TYPE_OBJECT)

typedef enum { EV_CONNECT, EV_DISCONNECT, EV_REFUSED, EV_MESSAGE } EventKind;

typedef struct
{
  SabanMqttConnection *self;
  EventKind            kind;
  int                  rc;
  char                *topic;
  GBytes              *payload;
} Event;

static void
event_free (gpointer data)
{
  Event *ev = data;

  g_object_unref (ev->self);
  g_free (ev->topic);
  g_clear_pointer (&ev->payload, g_bytes_unref);
  g_free (ev);
}

static void
set_connected (SabanMqttConnection *self, gboolean connected)
{
  if (self->connected == connected)
    return;
  self->connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

static void
set_refusal (SabanMqttConnection *self, SabanMqttRefusal refusal)
{
  if (self->refusal == refusal)
    return;
  self->refusal = refusal;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFUSAL]);
}

static gboolean
dispatch (gpointer data)
{
  Event *ev = data;
  SabanMqttConnection *self = ev->self;

  if (g_cancellable_is_cancelled (self->cancellable))
    return G_SOURCE_REMOVE;
  switch (ev->kind)
    {
    case EV_CONNECT:
      set_refusal (self, SABAN_MQTT_REFUSAL_NONE);
      set_connected (self, TRUE);
      g_signal_emit (self, signals[SIGNAL_CONNECTED], 0);
      break;
    case EV_REFUSED:
      g_message ("MQTT: the broker refused the sign-in of %s (CONNACK %d); next try in %d s",
                 self->user ? self->user : "an anonymous client", ev->rc, REFUSED_RETRY_S);
      set_refusal (self, ev->rc == CONNACK_BAD_LOGIN ? SABAN_MQTT_REFUSAL_BAD_LOGIN
                                                     : SABAN_MQTT_REFUSAL_NOT_AUTHORISED);
      G_GNUC_FALLTHROUGH;
    case EV_DISCONNECT:
      set_connected (self, FALSE);
      g_signal_emit (self, signals[SIGNAL_DISCONNECTED], 0, ev->rc);
      break;
    case EV_MESSAGE:
      g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, ev->topic, ev->payload);
      break;
    }
  return G_SOURCE_REMOVE;
}

/* mosquitto's thread from here on: copy, hand over, touch nothing */

/* never g_main_context_invoke: it runs the callback in this thread when no
 * thread owns the context at that moment */
static void
hand_over (SabanMqttConnection *self, Event *ev)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  ev->self = g_object_ref (self);
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, dispatch, ev, event_free);
  g_source_attach (source, self->context);
}

static void
post (SabanMqttConnection *self, EventKind kind, int rc)
{
  Event *ev = g_new0 (Event, 1);

  ev->kind = kind;
  ev->rc = rc;
  hand_over (self, ev);
}

/* 1, 2, 4 … 16 s: back soon after a broker restart, gentle on a dead one */
static void
retry_soon (struct mosquitto *mosq)
{
  mosquitto_reconnect_delay_set (mosq, 1, 16, true);
}

/* the delay is read by this thread's reconnect loop right after this callback */
static void
on_connect (struct mosquitto *mosq, void *data, int rc)
{
  SabanMqttConnection *self = data;

  if (rc == 0)
    {
      retry_soon (mosq);
      mosquitto_subscribe_multiple (mosq, NULL, (int) g_strv_length (self->topics), self->topics, 1, 0, NULL);
    }
  else if (rc == CONNACK_BAD_LOGIN || rc == CONNACK_NOT_AUTHORISED)
    {
      mosquitto_reconnect_delay_set (mosq, REFUSED_RETRY_S, REFUSED_RETRY_S, false);
      post (self, EV_REFUSED, rc);
    }
  else
    post (self, EV_DISCONNECT, rc);
}

static void
on_subscribe (struct mosquitto *mosq, void *data, int mid, int n, const int *qos)
{
  post (data, EV_CONNECT, 0);
}

static void
on_disconnect (struct mosquitto *mosq, void *data, int rc)
{
  post (data, EV_DISCONNECT, rc);
}

static void
on_message (struct mosquitto *mosq, void *data, const struct mosquitto_message *msg)
{
  SabanMqttConnection *self = data;
  Event *ev = g_new0 (Event, 1);

  ev->kind = EV_MESSAGE;
  ev->topic = g_strndup (msg->topic, 512);
  if (msg->payloadlen > 0 && (gsize) msg->payloadlen <= self->max_payload)
    ev->payload = g_bytes_new (msg->payload, msg->payloadlen);
  hand_over (self, ev);
}

/* back on the main thread */

static void
saban_mqtt_connection_dispose (GObject *object)
{
  SabanMqttConnection *self = SABAN_MQTT_CONNECTION (object);

  g_cancellable_cancel (self->cancellable);
  if (self->mosq != NULL)
    {
      mosquitto_disconnect (self->mosq);
      /* joins the network thread: no callback runs after this */
      mosquitto_loop_stop (self->mosq, self->started ? FALSE : TRUE);
      mosquitto_destroy (self->mosq);
      self->mosq = NULL;
    }
  G_OBJECT_CLASS (saban_mqtt_connection_parent_class)->dispose (object);
}

static void
saban_mqtt_connection_finalize (GObject *object)
{
  SabanMqttConnection *self = SABAN_MQTT_CONNECTION (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->host);
  g_free (self->user);
  g_free (self->password);
  g_free (self->ca_file);
  g_strfreev (self->topics);
  G_OBJECT_CLASS (saban_mqtt_connection_parent_class)->finalize (object);
}

static void
saban_mqtt_connection_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SabanMqttConnection *self = SABAN_MQTT_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;
    case PROP_REFUSAL:
      g_value_set_enum (value, self->refusal);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_mqtt_connection_class_init (SabanMqttConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = saban_mqtt_connection_dispose;
  object_class->finalize = saban_mqtt_connection_finalize;
  object_class->get_property = saban_mqtt_connection_get_property;

  properties[PROP_CONNECTED] = g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                     G_PARAM_EXPLICIT_NOTIFY);
  /* the last sign-in refused, and how; NONE once subscribed again */
  properties[PROP_REFUSAL] = g_param_spec_enum ("refusal", NULL, NULL, SABAN_TYPE_MQTT_REFUSAL,
                                                SABAN_MQTT_REFUSAL_NONE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* subscribed: what was published before is the listener's to fetch */
  signals[SIGNAL_CONNECTED] = g_signal_new ("connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                            NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* (int rc): lost, or a connection attempt refused (rc its CONNACK code,
   * else libmosquitto's error); libmosquitto retries */
  signals[SIGNAL_DISCONNECTED] = g_signal_new ("disconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                               NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  /* (topic, payload): payload NULL when empty or over the size limit */
  signals[SIGNAL_MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BYTES);

  mosquitto_lib_init ();
}

static void
saban_mqtt_connection_init (SabanMqttConnection *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->cancellable = g_cancellable_new ();
}

/**
 * saban_mqtt_connection_new:
 * @broker: (nullable): the broker, `HOST:PORT`, `mqtt://HOST[:PORT]` or
 *   `mqtts://HOST[:PORT]` (TLS); NULL or empty for no broker (an address
 *   that is none of these is logged and means no broker too)
 * @topics: the topic filters to subscribe to
 * @max_payload: larger messages arrive with a NULL payload
 *
 * Returns: (transfer full): a connection; call saban_mqtt_connection_start()
 */
SabanMqttConnection *
saban_mqtt_connection_new (const char *broker, const char *const *topics, gsize max_payload)
{
  SabanMqttConnection *self = g_object_new (SABAN_TYPE_MQTT_CONNECTION, NULL);
  g_auto(SabanBrokerAddress) address = { 0 };
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (topics != NULL && topics[0] != NULL, self);

  self->topics = g_strdupv ((char **) topics);
  self->max_payload = max_payload;
  if (broker == NULL || *broker == '\0')
    return self;
  if (!saban_broker_address_parse (broker, &address, &error))
    {
      g_message ("No MQTT: %s", error->message);
      return self;
    }
  self->host = g_steal_pointer (&address.host);
  self->port = address.port;
  self->tls = address.tls;
  return self;
}

/**
 * saban_mqtt_connection_set_login:
 * @user: (nullable): the account on the broker; NULL to connect anonymously
 * @password: (nullable): its password
 * @ca_file: (nullable): with an mqtts:// broker, a PEM file of the
 *   authorities to trust instead of the system's
 *
 * Call before saban_mqtt_connection_start().
 */
void
saban_mqtt_connection_set_login (SabanMqttConnection *self, const char *user, const char *password,
                                 const char *ca_file)
{
  g_return_if_fail (SABAN_IS_MQTT_CONNECTION (self));
  g_return_if_fail (self->mosq == NULL);

  g_free (self->user);
  g_free (self->password);
  g_free (self->ca_file);
  self->user = user != NULL && *user != '\0' ? g_strdup (user) : NULL;
  self->password = g_strdup (password);
  self->ca_file = ca_file != NULL && *ca_file != '\0' ? g_strdup (ca_file) : NULL;
}

/**
 * saban_mqtt_connection_get_tls:
 * Returns: whether the broker link is TLS (an mqtts:// address)
 */
gboolean
saban_mqtt_connection_get_tls (SabanMqttConnection *self)
{
  g_return_val_if_fail (SABAN_IS_MQTT_CONNECTION (self), FALSE);
  return self->tls;
}

gboolean
saban_mqtt_connection_has_broker (SabanMqttConnection *self)
{
  g_return_val_if_fail (SABAN_IS_MQTT_CONNECTION (self), FALSE);
  return self->host != NULL;
}

/**
 * saban_mqtt_connection_start:
 * @self: a connection with a broker
 *
 * Connects in the background, retrying with backoff for as long as the
 * connection lives (every five minutes after the broker refused the sign-in).
 *
 * Returns: %FALSE if no MQTT client could be made (or its TLS set up)
 */
gboolean
saban_mqtt_connection_start (SabanMqttConnection *self)
{
  g_return_val_if_fail (SABAN_IS_MQTT_CONNECTION (self), FALSE);
  g_return_val_if_fail (self->host != NULL && self->mosq == NULL, FALSE);

  self->mosq = mosquitto_new (NULL, TRUE, self);
  if (self->mosq == NULL)
    return FALSE;
  if (self->user != NULL)
    mosquitto_username_pw_set (self->mosq, self->user, self->password);
  /* authorities that cannot be read: no connection at all, never one in clear */
  if (self->tls && mosquitto_tls_set (self->mosq, self->ca_file, self->ca_file ? NULL : SYSTEM_CA_DIR,
                                      NULL, NULL, NULL) != MOSQ_ERR_SUCCESS)
    {
      g_message ("MQTT: the certificate authorities in %s cannot be read",
                 self->ca_file ? self->ca_file : SYSTEM_CA_DIR);
      g_clear_pointer (&self->mosq, mosquitto_destroy);
      return FALSE;
    }
  mosquitto_connect_callback_set (self->mosq, on_connect);
  mosquitto_subscribe_callback_set (self->mosq, on_subscribe);
  mosquitto_disconnect_callback_set (self->mosq, on_disconnect);
  mosquitto_message_callback_set (self->mosq, on_message);
  retry_soon (self->mosq);
  /* a refused first attempt is fine: the network thread keeps retrying */
  mosquitto_connect_async (self->mosq, self->host, self->port, 20);
  if (mosquitto_loop_start (self->mosq) == MOSQ_ERR_SUCCESS)
    self->started = TRUE;
  return TRUE;
}

gboolean
saban_mqtt_connection_get_connected (SabanMqttConnection *self)
{
  g_return_val_if_fail (SABAN_IS_MQTT_CONNECTION (self), FALSE);
  return self->connected;
}

/**
 * saban_mqtt_connection_get_refusal:
 * Returns: why the broker refused the last sign-in; NONE when it did not,
 *   or once the connection is subscribed again
 */
SabanMqttRefusal
saban_mqtt_connection_get_refusal (SabanMqttConnection *self)
{
  g_return_val_if_fail (SABAN_IS_MQTT_CONNECTION (self), SABAN_MQTT_REFUSAL_NONE);
  return self->refusal;
}
