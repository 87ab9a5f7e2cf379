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
  gint              stopping;   /* atomic */
};

G_DEFINE_FINAL_TYPE (SabanMqtt, saban_mqtt, G_TYPE_OBJECT)

static void
on_connect (struct mosquitto *mosq, void *data, int rc)
{
  SabanMqtt *self = data;

  g_atomic_int_set (&self->connected, rc == 0);
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

  while (!g_atomic_int_get (&self->stopping))
    {
      if (mosquitto_connect (self->mosq, self->host, self->port, 30) == MOSQ_ERR_SUCCESS)
        /* Returns only on a fatal error or after saban_mqtt_stop(); it
         * reconnects by itself when the broker goes away. */
        mosquitto_loop_forever (self->mosq, 500, 1);
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

/**
 * saban_mqtt_new:
 * Starts connecting to the broker in the background; returns at once.
 */
SabanMqtt *
saban_mqtt_new (const char *host, int port)
{
  SabanMqtt *self = g_object_new (SABAN_TYPE_MQTT, NULL);
  g_autofree char *id = g_strdup_printf ("saban-server-%d", (int) getpid ());

  self->host = g_strdup (host);
  self->port = port;
  self->mosq = mosquitto_new (id, TRUE, self);
  mosquitto_connect_callback_set (self->mosq, on_connect);
  mosquitto_disconnect_callback_set (self->mosq, on_disconnect);
  mosquitto_reconnect_delay_set (self->mosq, 1, 10, TRUE);
  mosquitto_threaded_set (self->mosq, TRUE);
  self->thread = g_thread_new ("saban-mqtt", mqtt_thread, self);
  return self;
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
