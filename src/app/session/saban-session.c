/* saban-session.c: one user's session with the IOC — everything the windows
 * share, passed to each as its "session" property (as GNOME Text Editor's
 * EditorSession is), never fetched from the application.
 *
 * It owns the server's one HTTP client (SabanApi: session, token, TLS,
 * timeouts, retries), the connection to it (is it there, the signed-in
 * account), the live channel (one MQTT connection, with polling when it
 * is down, that sensors, alerts and scenarios share), the live sensors
 * (store, SensorThings client, feed, alarms, CAP alerts, responder units),
 * the Command API client with its outbox and cache, and what the windows
 * show together: a scenario's
 * replay on every map, and a point asked of whichever window has the map.
 *
 * It holds the wiring between them, which is data logic, not the
 * application's or a window's: the sensors are loaded once the server
 * answers, an alarm in danger makes the alerts be read again, an
 * operator's acknowledgement goes to the server through the outbox, and
 * the server's acknowledgements (every workstation's) go to the alarms.
 *
 * And who the user is: the account (the environment's for this session,
 * else the setting), its password (the environment's, or the one the
 * Secret Service remembers, or asked for by a sign-in dialog), and the
 * role the server says it has ("role", which every window's actions
 * follow); signing in, out, or as someone else.
 *
 * A local session (saban_session_new_local) has no server at all: the
 * getters of the server's parts return NULL. Widget tests use it, and
 * windows show no live data then.
 *
 * Over a thousand lines: the session is the one place the server's parts are wired
 * to each other (sign-in, broker, sensors, alerts, commands, indicators);
 * each part is a few functions here, the parts themselves live in core/net.
 */
#include "saban-session.h"

#include <errno.h>

#include "saban-alert-client.h"
#include "saban-credentials.h"
#include "saban-indicator-reader.h"

/* what the one MQTT connection subscribes to: SensorThings (observations,
 * units' moves) and the IOC's own (scenarios, tasks, alerts) */
static const char *const live_topics[] = { "v1.1/#", "ioc/v1/#", NULL };

struct _SabanSession
{
  GObject          parent_instance;

  GSettings       *settings;
  SabanApi        *api;
  SabanConnection *connection;
  SabanLiveChannel *channel;
  char            *account;    /* the one this session signs in as */
  char            *broker;     /* the MQTT broker in use */
  gboolean         from_environment;  /* SABAN_SERVER_URL or SABAN_ACCOUNT override the settings */

  /* live IoT: loaded once the server answers, then fed by MQTT or polling */
  SabanSensorStore        *sensor_store;
  SabanSensorThingsClient *sensor_client;
  SabanUnitStore          *units;
  SabanAlertClient        *alert_client;
  SabanSensorFeed         *sensor_feed;
  SabanAlarmList          *alarms;
  GCancellable            *cancellable;
  gboolean                 sensors_loading;
  gboolean                 sensors_loaded;

  /* scenarios and tasks: started at once, it waits for the server itself */
  SabanCommandClient      *command_client;

  /* the indicator catalogue and its values: read at each sign-in */
  SabanIndicatorSet       *indicators;

  SabanLayerModel         *layers;
  SabanReplayView         *replay;
};

enum { PROP_0, PROP_REPLAY, PROP_ROLE, PROP_USER, PROP_INDICATORS, N_PROPS };
enum { SIGNAL_PICK_POINT, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanSession, saban_session, G_TYPE_OBJECT)

/* ---- the connection ------------------------------------------------------ */

/* the account: SABAN_ACCOUNT for this session (the README's run command signs
 * the demo in as its coordinator), else the setting */
static char *
dup_account (SabanSession *self)
{
  const char *env = g_getenv ("SABAN_ACCOUNT");

  return env != NULL && *env != '\0' ? g_strdup (env) : g_settings_get_string (self->settings, "account");
}

static void
on_server_url_changed (SabanSession *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "server-url");
  const char *env = g_getenv ("SABAN_SERVER_URL");

  /* the environment's server stays this session's */
  if (env == NULL || *env == '\0')
    saban_connection_set_server_url (self->connection, url);
}

/* another account in Preferences: its password is asked for */
static void
on_account_changed (SabanSession *self)
{
  g_autofree char *account = dup_account (self);

  if (g_strcmp0 (account, self->account) == 0)
    return;
  g_free (self->account);
  self->account = g_steal_pointer (&account);
  saban_connection_set_account (self->connection, self->account, NULL);
}

static void
password_recalled (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SabanSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = saban_credentials_lookup_account_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_debug ("No remembered password: %s", error->message);
  /* none remembered: the account waits for the user (needs-sign-in) */
  saban_connection_set_account (self->connection, self->account, password);
}

/* The password: the environment's for this session, else the one the
 * Secret Service remembers for this server and account, else asked for. */
static void
start_sign_in (SabanSession *self)
{
  const char *password = g_getenv ("SABAN_PASSWORD");

  if ((password != NULL && *password != '\0') || self->account == NULL || *self->account == '\0')
    {
      saban_connection_set_account (self->connection, self->account, password);
      return;
    }
  saban_credentials_lookup_account_async (saban_connection_get_server_url (self->connection), self->account,
                                          self->cancellable, password_recalled, g_object_ref (self));
}

static void
on_identity_changed (SabanSession *self, GParamSpec *pspec)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[g_str_equal (pspec->name, "role") ? PROP_ROLE : PROP_USER]);
}

/* plain HTTP to a server on the network: refused unless the user allowed it */
static void
on_allow_plain_http_changed (SabanSession *self)
{
  saban_api_set_allow_plain_http (self->api, g_settings_get_boolean (self->settings, "allow-plain-http"));
}

typedef struct
{
  char *server, *account, *password;
} Kept;

static void
kept_free (gpointer data)
{
  Kept *k = data;

  g_free (k->server);
  g_free (k->account);
  g_free (k->password);
  g_free (k);
}

static void
keep_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Kept *k = data;

  saban_credentials_keep_account (k->server, k->account, k->password);
}

/* @account's password on @server (the IOC server's URL, or the broker's
 * address) to the keyring: D-Bus, so in a worker */
static void
keep_password (const char *server, const char *account, const char *password)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  Kept *k = g_new0 (Kept, 1);

  k->server = g_strdup (server);
  k->account = g_strdup (account);
  k->password = g_strdup (password);
  g_task_set_task_data (task, k, kept_free);
  g_task_run_in_thread (task, keep_thread);
}

/* The server, broker and account: the environment (set by the README's run
 * command for the servers it starts) wins for this session, then settings.
 * The broker (and the certificate authorities) are read once: a change in
 * Preferences takes effect at the next start (known limit); the server's
 * URL and the account at once. */
static void
setup_connection (SabanSession *self)
{
  const char *env_url = g_getenv ("SABAN_SERVER_URL");
  const char *env_mqtt = g_getenv ("SABAN_MQTT_BROKER");
  const char *env_account = g_getenv ("SABAN_ACCOUNT");
  g_autofree char *url = g_settings_get_string (self->settings, "server-url");
  g_autofree char *ca_file = g_settings_get_string (self->settings, "server-ca-file");
  g_autoptr(GError) error = NULL;

  self->from_environment = (env_url != NULL && *env_url != '\0') || (env_account != NULL && *env_account != '\0') ||
                           (env_mqtt != NULL && *env_mqtt != '\0');
  self->account = dup_account (self);
  self->broker = env_mqtt && *env_mqtt ? g_strdup (env_mqtt) : g_settings_get_string (self->settings, "mqtt-broker");
  self->api = saban_api_new (env_url && *env_url ? env_url : url);
  /* a province's own certificate authority; read once, before any request */
  if (*ca_file != '\0' && !saban_api_set_ca_file (self->api, ca_file, &error))
    g_warning ("The certificate authorities in %s are not used: %s", ca_file, error->message);
  on_allow_plain_http_changed (self);
  self->connection = saban_connection_new (self->api, 10);
  g_signal_connect_object (self->connection, "notify::role", G_CALLBACK (on_identity_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connection, "notify::user", G_CALLBACK (on_identity_changed), self,
                           G_CONNECT_SWAPPED);
  self->channel = saban_live_channel_new (self->broker, live_topics);
  start_sign_in (self);
  g_signal_connect_object (self->settings, "changed::server-url", G_CALLBACK (on_server_url_changed), self,
                           G_CONNECT_SWAPPED);
  if (env_account == NULL || *env_account == '\0')
    g_signal_connect_object (self->settings, "changed::account", G_CALLBACK (on_account_changed), self,
                             G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::allow-plain-http", G_CALLBACK (on_allow_plain_http_changed),
                           self, G_CONNECT_SWAPPED);
}

/* ---- the broker's account -------------------------------------------------- */

static void
start_channel_as (SabanSession *self, const char *user, const char *password)
{
  g_autofree char *ca_file = g_settings_get_string (self->settings, "mqtt-ca-file");

  saban_live_channel_set_login (self->channel, user, password, ca_file);
  saban_live_channel_start (self->channel);
}

static void
lookup_broker_password (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  char **broker_user = data;

  g_task_return_pointer (task, saban_credentials_lookup_account (broker_user[0], broker_user[1]), g_free);
}

static void
broker_password_found (GObject *source, GAsyncResult *result, gpointer data)
{
  SabanSession *self = SABAN_SESSION (source);
  char **broker_user = g_task_get_task_data (G_TASK (result));
  g_autofree char *password = g_task_propagate_pointer (G_TASK (result), NULL);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (password == NULL)
    g_message ("No password of the broker account %s in the Secret Service: signing in without it",
               broker_user[1]);
  start_channel_as (self, broker_user[1], password);
}

/* The broker's account: SABAN_MQTT_USER and SABAN_MQTT_PASSWORD for this
 * session (the README's run command), else the mqtt-user setting with its
 * password from the Secret Service, looked up off the main thread (it
 * blocks on D-Bus); the channel starts once it is known. */
static void
start_channel (SabanSession *self)
{
  const char *env_user = g_getenv ("SABAN_MQTT_USER");
  g_autofree char *user = env_user && *env_user ? g_strdup (env_user)
                                                : g_settings_get_string (self->settings, "mqtt-user");
  g_autoptr(GTask) task = NULL;

  if (*user == '\0' || (env_user && *env_user))
    {
      start_channel_as (self, *user ? user : NULL, g_getenv ("SABAN_MQTT_PASSWORD"));
      return;
    }
  task = g_task_new (self, self->cancellable, broker_password_found, NULL);
  g_task_set_task_data (task, g_strdupv ((char *[]) { self->broker, user, NULL }), (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, lookup_broker_password);
}

/**
 * saban_session_keep_broker_password:
 * @password: the broker account's password, typed in Preferences
 *
 * Keeps it in the Secret Service, under the broker's address and the
 * mqtt-user account, for the next start: the broker's account is read
 * once, at start.
 */
void
saban_session_keep_broker_password (SabanSession *self, const char *password)
{
  g_autofree char *user = NULL;

  g_return_if_fail (SABAN_IS_SESSION (self));

  user = g_settings_get_string (self->settings, "mqtt-user");
  if (*user != '\0' && password != NULL && *password != '\0')
    keep_password (self->broker, user, password);
}

/* ---- live sensors and alerts --------------------------------------------- */

static void
sensors_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SabanSession *self;
  g_autoptr(GError) error = NULL;
  gboolean ok = saban_sensor_things_client_load_finish (SABAN_SENSOR_THINGS_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_SESSION (user_data);
  self->sensors_loading = FALSE;
  if (!ok)
    {
      /* tried again the next time the connection comes up */
      g_message ("live sensors not loaded: %s", error->message);
      return;
    }
  self->sensors_loaded = TRUE;
  saban_sensor_feed_start (self->sensor_feed);
}

static void
alerts_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!saban_alert_client_load_finish (SABAN_ALERT_CLIENT (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("CAP alerts not loaded: %s", error->message);
}

static void
load_alerts (SabanSession *self)
{
  saban_alert_client_load_async (self->alert_client, self->cancellable, alerts_loaded, NULL);
}

static gboolean
nudge_alerts (gpointer data)
{
  g_autoptr(SabanSession) self = g_weak_ref_get (data);

  if (self != NULL)
    load_alerts (self);
  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* A sensor in danger makes the server issue a CAP alert: read it soon. */
static void
on_alarm_raised (SabanSession *self, SabanAlarm *alarm)
{
  GWeakRef *ref;

  if (saban_alarm_get_level (alarm) != SABAN_SENSOR_STATE_DANGER || saban_alarm_get_cap_identifier (alarm) != NULL)
    return;
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, 2, nudge_alerts, ref, weak_ref_free);
}

/* The sensors are read once the server answers: a server that is down at
 * start-up is simply waited for, through the connection's own checks. */
static void
on_connected_changed (SabanSession *self)
{
  if (!saban_connection_get_connected (self->connection))
    return;
  load_alerts (self);
  if (self->sensors_loaded || self->sensors_loading)
    return;
  self->sensors_loading = TRUE;
  saban_sensor_things_client_load_async (self->sensor_client, self->cancellable, sensors_loaded, self);
}

/* SensorThings lives at {server}/v1.1 on saban-server. The CAP alerts are
 * read when the server answers, when the server announces one, whenever
 * the live channel catches up, and soon after a sensor crosses its danger
 * level (the server issues one then). */
static void
setup_sensors (SabanSession *self)
{
  self->sensor_store = saban_sensor_store_new ();
  self->sensor_client = saban_sensor_things_client_new (self->api, "/v1.1", self->sensor_store);
  self->units = saban_unit_store_new ();
  saban_sensor_things_client_set_units (self->sensor_client, self->units);
  self->sensor_feed = saban_sensor_feed_new (self->channel, self->sensor_client);
  g_signal_connect_object (self->connection, "notify::connected", G_CALLBACK (on_connected_changed),
                           self, G_CONNECT_SWAPPED);
  self->alarms = saban_alarm_list_new (self->sensor_store);
  g_signal_connect_object (self->alarms, "alarm-raised", G_CALLBACK (on_alarm_raised), self, G_CONNECT_SWAPPED);
  self->alert_client = saban_alert_client_new (self->api, self->alarms);
  saban_alert_client_listen (self->alert_client, self->channel);
}

/* ---- indicators ------------------------------------------------------------- */

static void
indicators_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanIndicatorSet) set = saban_indicator_reader_fetch_finish (result, &error);
  SabanSession *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_SESSION (user_data);
  if (set == NULL)
    {
      g_message ("indicators not read: %s", error->message);
      return;
    }
  if (g_set_object (&self->indicators, set))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INDICATORS]);
}

/* The indicators need a token: read when signed in (again at each sign-in:
 * another account, or a day later, may see newer figures). */
static void
on_signed_in_changed (SabanSession *self)
{
  if (!saban_connection_get_signed_in (self->connection))
    return;
  saban_indicator_reader_fetch_async (self->api, NULL, NULL, self->cancellable, indicators_read, self);
}

/* ---- scenarios and tasks -------------------------------------------------- */

/* An operator's acknowledgement goes to the server through the outbox: it
 * survives a dead server and a closed app, and the server records who. */
static void
on_alarm_acknowledged (SabanSession *self, SabanAlarm *alarm)
{
  g_autoptr(JsonNode) feature = saban_alarm_new_acknowledgement (alarm);

  if (feature != NULL)
    saban_command_client_post_record (self->command_client, "acknowledgements", feature);
}

/* An acknowledgement on the server, made here or on another workstation
 * (read at start, from the cache, then live): the alarm it was for shows
 * acknowledged, after a restart too. */
static void
on_command_item_changed (SabanSession *self, SabanCommandItem *item)
{
  g_autoptr(GError) error = NULL;

  if (saban_command_item_get_collection (item) != SABAN_COMMAND_ACKNOWLEDGEMENTS || saban_command_item_get_id (item) <= 0)
    return;
  if (!saban_alarm_list_apply_acknowledgement (self->alarms, saban_command_item_get_properties (item), &error))
    g_log ("saban-iot", G_LOG_LEVEL_MESSAGE, "acknowledgement %" G_GINT64_FORMAT " ignored: %s",
           saban_command_item_get_id (item), error->message);
}

/* The Command API client: its outbox and its cache live with the user's
 * data, so writes made offline survive a restart and are delivered at the
 * next one, and a start while the server is away shows the scenarios as
 * last known. Started at once: it waits for the server by itself. */
static void
setup_command (SabanSession *self)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "saban", NULL);
  g_autofree char *outbox = g_build_filename (dir, "outbox.db", NULL);
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_warning ("Cannot create %s: %s", dir, g_strerror (errno));
  self->command_client = saban_command_client_new (self->connection, self->channel, outbox, &error);
  if (self->command_client == NULL)
    {
      g_warning ("Scenarios unavailable: %s", error->message);
      return;
    }
  g_signal_connect_object (saban_command_client_get_store (self->command_client), "item-changed",
                           G_CALLBACK (on_command_item_changed), self, G_CONNECT_SWAPPED);
  saban_command_client_start (self->command_client);
  g_signal_connect_object (self->alarms, "alarm-acknowledged", G_CALLBACK (on_alarm_acknowledged), self,
                           G_CONNECT_SWAPPED);
}

/* ---- the object ------------------------------------------------------------ */

static void
saban_session_dispose (GObject *object)
{
  SabanSession *self = SABAN_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->sensor_feed);
  g_clear_object (&self->alert_client);
  g_clear_object (&self->command_client);
  g_clear_object (&self->layers);
  /* joins its network thread */
  g_clear_object (&self->channel);
  g_clear_object (&self->replay);
  G_OBJECT_CLASS (saban_session_parent_class)->dispose (object);
}

static void
saban_session_finalize (GObject *object)
{
  SabanSession *self = SABAN_SESSION (object);

  g_clear_object (&self->alarms);
  g_clear_object (&self->indicators);
  g_clear_object (&self->sensor_client);
  g_clear_object (&self->units);
  g_clear_object (&self->sensor_store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->connection);
  g_clear_object (&self->api);
  g_clear_object (&self->settings);
  g_free (self->account);
  g_free (self->broker);
  G_OBJECT_CLASS (saban_session_parent_class)->finalize (object);
}

static void
saban_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SabanSession *self = SABAN_SESSION (object);

  switch (prop_id)
    {
    case PROP_REPLAY:
      g_value_set_object (value, self->replay);
      break;
    case PROP_ROLE:
      g_value_set_string (value, saban_session_get_role (self));
      break;
    case PROP_USER:
      g_value_set_string (value, self->connection != NULL ? saban_connection_get_user (self->connection) : NULL);
      break;
    case PROP_INDICATORS:
      g_value_set_object (value, self->indicators);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_session_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_REPLAY:
      saban_session_set_replay (SABAN_SESSION (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_session_class_init (SabanSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = saban_session_dispose;
  object_class->finalize = saban_session_finalize;
  object_class->get_property = saban_session_get_property;
  object_class->set_property = saban_session_set_property;

  /* the scenario replayed on every map, or NULL: the live picture */
  properties[PROP_REPLAY] = g_param_spec_object ("replay", NULL, NULL, SABAN_TYPE_REPLAY_VIEW,
                                                 G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                                                 G_PARAM_EXPLICIT_NOTIFY);
  /* the signed-in account's role, NULL while unknown (and in a local
   * session): what a window offers follows it */
  properties[PROP_ROLE] = g_param_spec_string ("role", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* the account signed in, NULL when none */
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* the indicator catalogue and its values as last read, or NULL */
  properties[PROP_INDICATORS] = g_param_spec_object ("indicators", NULL, NULL, SABAN_TYPE_INDICATOR_SET,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                     G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (GTask *task) → handled: a window with a map takes the request and
   * returns a point (two doubles, latitude and longitude) through @task,
   * or an error when the user gives up */
  signals[SIGNAL_PICK_POINT] = g_signal_new ("pick-point", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                             g_signal_accumulator_true_handled, NULL, NULL,
                                             G_TYPE_BOOLEAN, 2, G_TYPE_TASK, G_TYPE_STRING);
}

static void
saban_session_init (SabanSession *self)
{
  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (SCHEMA_ID);
  self->layers = saban_layer_model_new ();
}

/**
 * saban_session_new:
 *
 * The session with the IOC server that the environment (SABAN_SERVER_URL,
 * SABAN_MQTT_BROKER, SABAN_MQTT_USER, SABAN_MQTT_PASSWORD, SABAN_ACCOUNT,
 * SABAN_PASSWORD, as the README's run
 * command sets them) or else the settings name. It starts at once: the
 * connection checks the server, the sensors load when it answers, the
 * Command API client shows what it cached and delivers its outbox.
 *
 * Returns: (transfer full): the session
 */
SabanSession *
saban_session_new (void)
{
  SabanSession *self = g_object_new (SABAN_TYPE_SESSION, NULL);

  setup_connection (self);
  setup_sensors (self);
  setup_command (self);
  g_signal_connect_object (self->connection, "notify::signed-in", G_CALLBACK (on_signed_in_changed), self,
                           G_CONNECT_SWAPPED);
  start_channel (self);
  return self;
}

/**
 * saban_session_new_local:
 *
 * Returns: (transfer full): a session without a server: local layers only
 */
SabanSession *
saban_session_new_local (void)
{
  return g_object_new (SABAN_TYPE_SESSION, NULL);
}

/**
 * saban_session_get_has_server:
 * Returns: whether the session talks to an IOC server (not a local one)
 */
gboolean
saban_session_get_has_server (SabanSession *self)
{
  g_return_val_if_fail (SABAN_IS_SESSION (self), FALSE);
  return self->connection != NULL;
}

/**
 * saban_session_get_connection:
 * Returns: (transfer none) (nullable): the IOC server and the account
 *   signed in to it
 */
SabanConnection *
saban_session_get_connection (SabanSession *self)
{
  g_return_val_if_fail (SABAN_IS_SESSION (self), NULL);
  return self->connection;
}

/**
 * saban_session_get_api:
 * Returns: (transfer none) (nullable): the IOC server's HTTP client, which
 *   every reader and writer of it shares
 */
SabanApi *
saban_session_get_api (SabanSession *self)
{
  g_return_val_if_fail (SABAN_IS_SESSION (self), NULL);
  return self->api;
}

/**
 * saban_session_get_live_channel:
 * Returns: (transfer none) (nullable): the one MQTT connection (with
 *   polling while it is down) the live streams share
 */
SabanLiveChannel *
saban_session_get_live_channel (SabanSession *self)
{
  g_return_val_if_fail (SABAN_IS_SESSION (self), NULL);
  return self->channel;
}

/**
 * saban_session_get_role:
 * Returns: (nullable): the signed-in account's role ("coordinator"…), NULL
 *   while unknown or without a server
 */
const char *
saban_session_get_role (SabanSession *self)
{
  g_return_val_if_fail (SABAN_IS_SESSION (self), NULL);
  return self->connection != NULL ? saban_connection_get_role (self->connection) : NULL;
}

/**
 * saban_session_get_account:
 * Returns: (nullable): the account this session signs in as (which a
 *   sign-in dialog offers)
 */
const char *
saban_session_get_account (SabanSession *self)
{
  g_return_val_if_fail (SABAN_IS_SESSION (self), NULL);
  return self->account;
}

/**
 * saban_session_get_broker:
 * Returns: (nullable): the MQTT broker in use, HOST:PORT
 */
const char *
saban_session_get_broker (SabanSession *self)
{
  g_return_val_if_fail (SABAN_IS_SESSION (self), NULL);
  return self->broker;
}

/**
 * saban_session_get_from_environment:
 * Returns: whether the environment (SABAN_SERVER_URL, SABAN_MQTT_BROKER,
 *   SABAN_ACCOUNT) chose the server or the account instead of the settings
 */
gboolean
saban_session_get_from_environment (SabanSession *self)
{
  g_return_val_if_fail (SABAN_IS_SESSION (self), FALSE);
  return self->from_environment;
}

/**
 * saban_session_sign_in:
 * @password: kept in memory, and in the Secret Service if @remember
 * @remember: whether the Secret Service keeps the password for the next
 *   start (on this server, for this account)
 *
 * Signs in as @account from now on. Outside an environment that names the
 * account, @account also becomes the setting (the next start offers it).
 */
void
saban_session_sign_in (SabanSession *self, const char *account, const char *password, gboolean remember)
{
  const char *env = g_getenv ("SABAN_ACCOUNT");

  g_return_if_fail (SABAN_IS_SESSION (self));
  g_return_if_fail (account != NULL && password != NULL);

  if (self->connection == NULL)
    return;
  g_free (self->account);
  self->account = g_strdup (account);
  if (env == NULL || *env == '\0')
    g_settings_set_string (self->settings, "account", account);
  if (remember)
    keep_password (saban_connection_get_server_url (self->connection), account, password);
  saban_connection_set_account (self->connection, account, password);
}

static void
signed_out (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ended = saban_connection_sign_out_finish (SABAN_CONNECTION (source), result, &error);

  g_task_return_boolean (task, ended);
}

/**
 * saban_session_sign_out_async:
 *
 * Signs out: the server ends the token (saban_connection_sign_out_async()),
 * and the token, the password and any password the Secret Service remembers
 * for this account are forgotten. The session then waits for someone to
 * sign in. The result says whether the server confirmed.
 */
void
saban_session_sign_out_async (SabanSession        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SABAN_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, saban_session_sign_out_async);
  if (self->connection == NULL)
    {
      g_task_return_boolean (task, FALSE);
      g_object_unref (task);
      return;
    }
  if (self->account != NULL && *self->account != '\0')
    saban_credentials_forget_account (saban_connection_get_server_url (self->connection), self->account);
  saban_connection_sign_out_async (self->connection, cancellable, signed_out, task);
}

/**
 * saban_session_sign_out_finish:
 * Returns: whether the server ended the token
 */
gboolean
saban_session_sign_out_finish (SabanSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * saban_session_get_sensor_store:
 * Returns: (transfer none) (nullable): the live sensors, empty until the
 *   server answers
 */
SabanSensorStore *
saban_session_get_sensor_store (SabanSession *self)
{
  g_return_val_if_fail (SABAN_IS_SESSION (self), NULL);
  return self->sensor_store;
}

/**
 * saban_session_get_sensor_client:
 * Returns: (transfer none) (nullable): the SensorThings client: readings
 *   and pictures on demand (a chart, a camera, a replay's history)
 */
SabanSensorThingsClient *
saban_session_get_sensor_client (SabanSession *self)
{
  g_return_val_if_fail (SABAN_IS_SESSION (self), NULL);
  return self->sensor_client;
}

/**
 * saban_session_get_sensor_feed:
 * Returns: (transfer none) (nullable): the live feed (its state: MQTT,
 *   polling, offline)
 */
SabanSensorFeed *
saban_session_get_sensor_feed (SabanSession *self)
{
  g_return_val_if_fail (SABAN_IS_SESSION (self), NULL);
  return self->sensor_feed;
}

/**
 * saban_session_get_sensors_busy:
 * Returns: whether the sensors may still arrive soon: the server was not
 *   checked yet, or they are being loaded (a screenshot waits for them)
 */
gboolean
saban_session_get_sensors_busy (SabanSession *self)
{
  g_return_val_if_fail (SABAN_IS_SESSION (self), FALSE);

  if (self->connection == NULL)
    return FALSE;
  return !saban_connection_get_checked (self->connection) || self->sensors_loading ||
         (saban_connection_get_connected (self->connection) && !self->sensors_loaded);
}

/**
 * saban_session_show_on_map:
 * @map: a map any window or panel shows
 *
 * Puts the session's layers and its live picture — scenarios and tasks,
 * sensors and their alarms, responder units — on @map. (The main window
 * swaps the live stores for a replay's; other maps stay live.)
 */
void
saban_session_show_on_map (SabanSession *self, SabanMapView *map)
{
  g_return_if_fail (SABAN_IS_SESSION (self));
  g_return_if_fail (SABAN_IS_MAP_VIEW (map));

  saban_map_view_set_layers (map, self->layers);
  if (self->command_client != NULL)
    saban_map_view_set_command_store (map, saban_command_client_get_store (self->command_client));
  if (self->sensor_store == NULL)
    return;
  saban_map_view_set_sensor_store (map, self->sensor_store);
  saban_map_view_set_unit_store (map, self->units);
  saban_sensor_layer_set_alarms (saban_map_view_get_sensor_layer (map), self->alarms);
}

/**
 * saban_session_get_indicators:
 * Returns: (transfer none) (nullable): the indicator catalogue and its
 *   values, as read at the last sign-in; NULL until then
 */
SabanIndicatorSet *
saban_session_get_indicators (SabanSession *self)
{
  g_return_val_if_fail (SABAN_IS_SESSION (self), NULL);
  return self->indicators;
}

/**
 * saban_session_get_units:
 * Returns: (transfer none) (nullable): the responder units, live
 */
SabanUnitStore *
saban_session_get_units (SabanSession *self)
{
  g_return_val_if_fail (SABAN_IS_SESSION (self), NULL);
  return self->units;
}

/**
 * saban_session_get_alarms:
 * Returns: (transfer none) (nullable): the alarms of the live sensors and
 *   the server's CAP alerts
 */
SabanAlarmList *
saban_session_get_alarms (SabanSession *self)
{
  g_return_val_if_fail (SABAN_IS_SESSION (self), NULL);
  return self->alarms;
}

/**
 * saban_session_acknowledge_alarm:
 * @alarm: one of saban_session_get_alarms()
 * @note: (nullable): the operator's note
 *
 * Acknowledges @alarm as the account of this session; it goes to the
 * server through the outbox, and so to every workstation.
 *
 * Returns: whether it was waiting for one
 */
gboolean
saban_session_acknowledge_alarm (SabanSession *self, SabanAlarm *alarm, const char *note)
{
  g_autofree char *account = NULL;

  g_return_val_if_fail (SABAN_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->alarms != NULL, FALSE);

  account = self->connection != NULL ? g_strdup (saban_connection_get_account (self->connection)) : NULL;
  /* an acknowledgement must name someone even before sign-in is set up */
  if (account == NULL || *account == '\0')
    {
      g_free (account);
      account = g_strdup ("operator");
    }
  return saban_alarm_list_acknowledge (self->alarms, alarm, account, note != NULL && *note != '\0' ? note : NULL);
}

/**
 * saban_session_get_command_client:
 * Returns: (transfer none) (nullable): the Command API client (scenarios,
 *   tasks, sitreps, the log); NULL without a server, or if its outbox
 *   could not be opened
 */
SabanCommandClient *
saban_session_get_command_client (SabanSession *self)
{
  g_return_val_if_fail (SABAN_IS_SESSION (self), NULL);
  return self->command_client;
}

/**
 * saban_session_get_layers:
 * Returns: (transfer none): the map's layers as the user arranged them,
 *   which the layer list, the map and the workspace file follow
 */
SabanLayerModel *
saban_session_get_layers (SabanSession *self)
{
  g_return_val_if_fail (SABAN_IS_SESSION (self), NULL);
  return self->layers;
}

/* Where the arrangement a user leaves is kept for the next start. */
static GFile *
workspace_file (void)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "saban", "workspace.json", NULL);

  return g_file_new_for_path (path);
}

/**
 * saban_session_load_workspace:
 *
 * Returns: (transfer full) (nullable): the arrangement the user left last
 *   time, or NULL when there is none (or it cannot be read: @error says why)
 */
SabanWorkspace *
saban_session_load_workspace (SabanSession *self, GError **error)
{
  g_autoptr(GFile) file = workspace_file ();

  g_return_val_if_fail (SABAN_IS_SESSION (self), NULL);

  if (!g_file_query_exists (file, NULL))
    return NULL;
  return saban_workspace_load (file, error);
}

/**
 * saban_session_save_workspace:
 * @workspace: the layers and the view, as the window holds them
 *
 * Keeps @workspace for the next start (written atomically).
 */
gboolean
saban_session_save_workspace (SabanSession *self, SabanWorkspace *workspace, GError **error)
{
  g_autoptr(GFile) file = workspace_file ();

  g_return_val_if_fail (SABAN_IS_SESSION (self), FALSE);

  return saban_workspace_save (workspace, file, error);
}

/**
 * saban_session_get_replay:
 * Returns: (transfer none) (nullable): the replay every map shows, NULL
 *   when they show the live picture
 */
SabanReplayView *
saban_session_get_replay (SabanSession *self)
{
  g_return_val_if_fail (SABAN_IS_SESSION (self), NULL);
  return self->replay;
}

/**
 * saban_session_set_replay:
 * @replay: (nullable): a scenario's replay, or NULL for the live picture
 */
void
saban_session_set_replay (SabanSession *self, SabanReplayView *replay)
{
  g_return_if_fail (SABAN_IS_SESSION (self));

  if (g_set_object (&self->replay, replay))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPLAY]);
}

/**
 * saban_session_pick_point_async:
 * @hint: what to pick, shown over the map
 *
 * Asks a window with a map for one point: it comes forward with its map
 * waiting for a click. Fails with %G_IO_ERROR_NOT_FOUND when no window has
 * a map, %G_IO_ERROR_CANCELLED when the user gives up.
 */
void
saban_session_pick_point_async (SabanSession        *self,
                                const char          *hint,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  gboolean handled = FALSE;

  g_return_if_fail (SABAN_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, saban_session_pick_point_async);
  g_signal_emit (self, signals[SIGNAL_PICK_POINT], 0, task, hint, &handled);
  if (!handled)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no window shows a map");
}

/**
 * saban_session_pick_point_finish:
 * @latitude: (out): WGS 84
 * @longitude: (out): WGS 84
 *
 * Returns: whether a point was picked
 */
gboolean
saban_session_pick_point_finish (SabanSession  *self,
                                 GAsyncResult  *result,
                                 double        *latitude,
                                 double        *longitude,
                                 GError       **error)
{
  g_autofree double *point = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  point = g_task_propagate_pointer (G_TASK (result), error);
  if (point == NULL)
    return FALSE;
  *latitude = point[0];
  *longitude = point[1];
  return TRUE;
}
