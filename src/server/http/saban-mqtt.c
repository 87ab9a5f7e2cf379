/* saban-mqtt.c: best-effort MQTT publishing.
 *
 * Changes are published after they are committed; the broker is a
 * notification channel, not the record, so a broker that is down must never
 * make a write fail or wait. One background thread connects, runs
 * libmosquitto's network loop and reconnects with a back-off; publishing from
 * the main thread only queues the message in libmosquitto.
 */
#include "saban-mqtt.h"

#include <mosquitto.h>

struct _SabanMqtt
{
  GObject           parent_instance;
  struct mosquitto *mosq;
  char             *host;
  int               port;
  GThread          *thread;
  gint              connected;  /* atomic */
  gint              last_rc;    /* atomic: the last CONNACK, to log a refusal once */
  gint              stopping;   /* atomic */
};

G_DEFINE_FINAL_TYPE (SabanMqtt, saban_mqtt, G_TYPE_OBJECT)

static void
on_connect (struct mosquitto *mosq, void *data, int rc)
{
  SabanMqtt *self = data;

  g_atomic_int_set (&self->connected, rc == 0);
  if (g_atomic_int_exchange (&self->last_rc, rc) != rc && rc != 0)
    g_printerr ("saban-server: the MQTT broker refused the connection: %s\n", mosquitto_connack_string (rc));
}

static void
on_disconnect (struct mosquitto *mosq, void *data, int rc)
{
  SabanMqtt *self = data;

  g_atomic_int_set (&self->connected, FALSE);
}

static gpointer
mqtt_thread (gpointer data)
{
  SabanMqtt *self = data;
  int last = MOSQ_ERR_SUCCESS;

  while (!g_atomic_int_get (&self->stopping))
    {
      int rc = mosquitto_connect (self->mosq, self->host, self->port, 30);

      if (rc == MOSQ_ERR_SUCCESS)
        /* Returns only on a fatal error or after saban_mqtt_stop(); it
         * reconnects by itself when the broker goes away. */
        rc = mosquitto_loop_forever (self->mosq, 500, 1);
      /* once per change: a broker that stays away (or a certificate that
       * stays wrong) is not a line a second */
      if (rc != MOSQ_ERR_SUCCESS && rc != last && !g_atomic_int_get (&self->stopping))
        g_printerr ("saban-server: MQTT broker %s:%d: %s\n", self->host, self->port, mosquitto_strerror (rc));
      last = rc;
      for (int i = 0; i < 10 && !g_atomic_int_get (&self->stopping); i++)
        g_usleep (G_USEC_PER_SEC / 10);
    }
  return NULL;
}

static void
saban_mqtt_finalize (GObject *object)
{
  SabanMqtt *self = SABAN_MQTT (object);

  saban_mqtt_stop (self);
  mosquitto_destroy (self->mosq);
  g_free (self->host);
  G_OBJECT_CLASS (saban_mqtt_parent_class)->finalize (object);
}

static void
saban_mqtt_class_init (SabanMqttClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_mqtt_finalize;
  mosquitto_lib_init ();
}

static void
saban_mqtt_init (SabanMqtt *self)
{
}

static gboolean
mosquitto_failed (int rc, const char *what, GError **error)
{
  if (rc == MOSQ_ERR_SUCCESS)
    return FALSE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, mosquitto_strerror (rc));
  return TRUE;
}

/* The broker's account and TLS; libmosquitto checks that the authorities' file can be read. */
static gboolean
set_login (SabanMqtt *self, gboolean tls, const SabanMqttLogin *login, GError **error)
{
  if (login != NULL && login->user != NULL &&
      mosquitto_failed (mosquitto_username_pw_set (self->mosq, login->user, login->password), "MQTT account", error))
    return FALSE;
  if (!tls)
    return TRUE;
  /* without a file of its own, the system's authorities; the broker's name is checked */
  return !mosquitto_failed (mosquitto_tls_set (self->mosq, login ? login->ca_file : NULL,
                                               login && login->ca_file ? NULL : SABAN_MQTT_SYSTEM_CA_DIR,
                                               NULL, NULL, NULL),
                            login && login->ca_file ? login->ca_file : SABAN_MQTT_SYSTEM_CA_DIR, error);
}

/**
 * saban_mqtt_new:
 * @address: the broker (mqtts:// for TLS)
 * @login: (nullable): its account and certificate authorities
 *
 * Starts connecting to the broker in the background; returns at once.
 *
 * Returns: (nullable): the publisher, or NULL if @login cannot be used (an
 *   unreadable authorities' file)
 */
SabanMqtt *
saban_mqtt_new (const SabanBrokerAddress *address, const SabanMqttLogin *login, GError **error)
{
  g_autoptr(SabanMqtt) self = g_object_new (SABAN_TYPE_MQTT, NULL);
  g_autofree char *id = g_strdup_printf ("saban-server-%d", (int) getpid ());

  self->host = g_strdup (address->host);
  self->port = address->port;
  self->mosq = mosquitto_new (id, TRUE, self);
  if (!set_login (self, address->tls, login, error))
    return NULL;
  mosquitto_connect_callback_set (self->mosq, on_connect);
  mosquitto_disconnect_callback_set (self->mosq, on_disconnect);
  mosquitto_reconnect_delay_set (self->mosq, 1, 10, TRUE);
  mosquitto_threaded_set (self->mosq, TRUE);
  self->thread = g_thread_new ("saban-mqtt", mqtt_thread, self);
  return g_steal_pointer (&self);
}

gboolean
saban_mqtt_is_connected (SabanMqtt *self)
{
  return self != NULL && g_atomic_int_get (&self->connected);
}

/* Best effort: a message published while the broker is away is dropped. */
void
saban_mqtt_publish (SabanMqtt *self, const char *topic, const char *payload)
{
  if (self == NULL || !g_atomic_int_get (&self->connected))
    return;
  mosquitto_publish (self->mosq, NULL, topic, (int) strlen (payload), payload, 1, FALSE);
}

void
saban_mqtt_stop (SabanMqtt *self)
{
  if (self->thread == NULL)
    return;
  g_atomic_int_set (&self->stopping, TRUE);
  mosquitto_disconnect (self->mosq);
  g_thread_join (self->thread);
  self->thread = NULL;
}
