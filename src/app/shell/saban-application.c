/* saban-application.c: start-up, command line, application-wide actions.
 *
 * `saban [--screenshot FILE.png] [FILE …]`: files open as layers; with none,
 * the demo province opens. The screenshot option lets tests and the docs
 * capture the window once it is fully drawn, with no sleeping.
 */
#include "saban-application.h"
#include "saban-alert-client.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "saban-command-notifier.h"
#include "saban-format.h"
#include "saban-preferences-window.h"
#include "saban-resources.h"
#include "saban-scenario-window.h"
#include "saban-window.h"

struct _SabanApplication
{
  AdwApplication parent_instance;

  char *screenshot_path;

  GSettings       *settings;
  SabanConnection *connection;
  char            *mqtt_broker;
  char            *password;   /* memory only: the keyring is a later step */

  /* live IoT: loaded once the server answers, then fed by MQTT or polling */
  SabanSensorStore        *sensor_store;
  SabanSensorThingsClient *sensor_client;
  SabanUnitStore          *units;
  SabanAlertClient        *alert_client;
  guint                    alert_poll;
  SabanMqttFeed           *sensor_feed;
  SabanAlarmList          *alarms;
  GCancellable            *sensor_cancellable;
  gboolean                 sensors_loading;
  gboolean                 sensors_loaded;

  /* scenarios and tasks: started once the server answers */
  SabanCommandClient      *command_client;
  SabanCommandNotifier    *command_notifier;
};

G_DEFINE_FINAL_TYPE (SabanApplication, saban_application, ADW_TYPE_APPLICATION)

/* The demo GeoPackage: $SABAN_DEMO_DATA (set by `meson devenv`), the
 * demo-data-path setting, or the copy installed with the application. */
static GFile *
find_demo_data (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autofree char *configured = g_settings_get_string (settings, "demo-data-path");
  const char *env = g_getenv ("SABAN_DEMO_DATA");
  const char *candidates[] = { env, configured, DEMO_DATA_PATH };

  for (gsize i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (candidates[i] != NULL && *candidates[i] != '\0' && g_file_test (candidates[i], G_FILE_TEST_IS_REGULAR))
      return g_file_new_for_path (candidates[i]);
  return NULL;
}

/* Where the arrangement a user leaves is kept for the next start. */
static GFile *
workspace_file (void)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "saban", "workspace.json", NULL);

  return g_file_new_for_path (path);
}

static gboolean
on_close_request (SabanWindow *window,
                  gpointer     user_data)
{
  g_autoptr(SabanWorkspace) workspace = NULL;
  g_autoptr(GFile) file = workspace_file ();
  g_autoptr(GError) error = NULL;

  if (saban_window_get_loading (window))
    return FALSE;
  workspace = saban_window_dup_workspace (window);
  if (saban_workspace_get_n_layers (workspace) > 0 && !saban_workspace_save (workspace, file, &error))
    g_warning ("Could not save the workspace: %s", error->message);
  return FALSE;
}

static SabanWindow *
new_window (SabanApplication *self)
{
  SabanWindow *window = saban_window_new (GTK_APPLICATION (self));

  if (self->screenshot_path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (self->screenshot_path);
      saban_window_save_screenshot_when_drawn (window, file);
    }
  else
    g_signal_connect (window, "close-request", G_CALLBACK (on_close_request), NULL);
  return window;
}

/* The last workspace, if there is one and all its sources still exist;
 * otherwise the demo province. */
static void
open_start_data (SabanWindow *window)
{
  g_autoptr(GFile) demo = find_demo_data ();
  g_autoptr(GFile) file = workspace_file ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanWorkspace) workspace = NULL;
  g_autofree char *demo_path = demo != NULL ? g_file_get_path (demo) : NULL;

  if (g_file_query_exists (file, NULL))
    {
      workspace = saban_workspace_load (file, &error);
      if (workspace == NULL)
        g_warning ("%s", error->message);
    }
  if (workspace != NULL && saban_workspace_get_n_layers (workspace) > 0)
    {
      if (demo_path != NULL && saban_workspace_has_source (workspace, demo_path))
        saban_window_mark_demo (window);
      saban_window_restore_workspace (window, workspace);
      return;
    }
  if (demo != NULL)
    saban_window_open_demo (window, demo);
  else
    g_message ("No demo data found: run saban-datagen or pass files to open");
}

static void
saban_application_activate (GApplication *app)
{
  SabanApplication *self = SABAN_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (new_window (self));
      open_start_data (SABAN_WINDOW (window));
    }
  gtk_window_present (window);
}

static void
saban_application_open (GApplication  *app,
                        GFile        **files,
                        int            n_files,
                        const char    *hint)
{
  SabanApplication *self = SABAN_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (new_window (self));
  for (int i = 0; i < n_files; i++)
    saban_window_open_file (SABAN_WINDOW (window), files[i]);
  gtk_window_present (window);
}

static int
saban_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  SabanApplication *self = SABAN_APPLICATION (app);

  if (g_variant_dict_lookup (options, "screenshot", "^ay", &self->screenshot_path))
    /* A screenshot run is its own instance, never a remote call. */
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
  return -1;
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  const char *developers[] = { _("Sa Bàn developers"), NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Sa Bàn"),
                         "application-icon", APP_ID,
                         "developer-name", _("Sa Bàn developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("A map-based command client for the provincial Intelligent Operations Center"),
                         "developers", developers,
                         "copyright", "© 2026 Sa Bàn developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkApplication *app = user_data;

  gtk_window_present (GTK_WINDOW (saban_preferences_window_new (gtk_application_get_active_window (app))));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = user_data;
  GList *windows = gtk_application_get_windows (app);

  /* Closing lets each window save its size. */
  while (windows != NULL)
    {
      GList *next = windows->next;
      gtk_window_close (windows->data);
      windows = next;
    }
}

static void
on_server_url_changed (SabanApplication *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "server-url");

  saban_connection_set_server_url (self->connection, url);
}

/* the account: SABAN_ACCOUNT for this session (the README's run command signs
 * the demo in as its coordinator), else the setting */
static char *
dup_account (SabanApplication *self)
{
  const char *env = g_getenv ("SABAN_ACCOUNT");

  return env != NULL && *env != '\0' ? g_strdup (env) : g_settings_get_string (self->settings, "account");
}

static void
on_account_changed (SabanApplication *self)
{
  g_autofree char *account = dup_account (self);

  saban_connection_set_account (self->connection, account, self->password);
}

static void
on_mqtt_changed (SabanApplication *self)
{
  g_free (self->mqtt_broker);
  self->mqtt_broker = g_settings_get_string (self->settings, "mqtt-broker");
}

/* The server, broker and account: the environment (set by the README's run
 * command for the servers it starts) wins for this session, then settings. */
static void
setup_connection (SabanApplication *self)
{
  const char *env_url = g_getenv ("SABAN_SERVER_URL");
  const char *env_mqtt = g_getenv ("SABAN_MQTT_BROKER");
  const char *env_password = g_getenv ("SABAN_PASSWORD");
  g_autofree char *url = g_settings_get_string (self->settings, "server-url");
  g_autofree char *account = dup_account (self);

  self->mqtt_broker = env_mqtt && *env_mqtt ? g_strdup (env_mqtt) : g_settings_get_string (self->settings, "mqtt-broker");
  self->password = g_strdup (env_password);
  self->connection = saban_connection_new (env_url && *env_url ? env_url : url, 10);
  saban_connection_set_account (self->connection, account, self->password);
  g_signal_connect_swapped (self->settings, "changed::server-url", G_CALLBACK (on_server_url_changed), self);
  g_signal_connect_swapped (self->settings, "changed::account", G_CALLBACK (on_account_changed), self);
  g_signal_connect_swapped (self->settings, "changed::mqtt-broker", G_CALLBACK (on_mqtt_changed), self);
}

static void
sensors_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SabanApplication *self;
  g_autoptr(GError) error = NULL;
  gboolean ok = saban_sensor_things_client_load_finish (SABAN_SENSOR_THINGS_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_APPLICATION (user_data);
  self->sensors_loading = FALSE;
  if (!ok)
    {
      /* tried again the next time the connection comes up */
      g_message ("live sensors not loaded: %s", error->message);
      return;
    }
  self->sensors_loaded = TRUE;
  saban_mqtt_feed_start (self->sensor_feed);
}

static void
alerts_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!saban_alert_client_load_finish (SABAN_ALERT_CLIENT (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("CAP alerts not loaded: %s", error->message);
}

/* The server's CAP alerts: read while it answers, every ALERT_POLL_S and
 * whenever a sensor crosses its danger level (the server issues one then). */
#define ALERT_POLL_S 30

static gboolean
poll_alerts (gpointer data)
{
  SabanApplication *self = data;

  if (saban_connection_get_connected (self->connection))
    saban_alert_client_load_async (self->alert_client, self->sensor_cancellable, alerts_loaded, NULL);
  return G_SOURCE_CONTINUE;
}

static gboolean
nudge_alerts (gpointer data)
{
  poll_alerts (data);
  return G_SOURCE_REMOVE;
}

/* The sensors are read once the server answers: a server that is down at
 * start-up is simply waited for, through the connection's own checks. */
static void
on_connected_changed (SabanApplication *self)
{
  if (!saban_connection_get_connected (self->connection))
    return;
  poll_alerts (self);
  if (self->sensors_loaded || self->sensors_loading)
    return;
  self->sensors_loading = TRUE;
  saban_sensor_things_client_load_async (self->sensor_client, self->sensor_cancellable, sensors_loaded, self);
}

/* A desktop notification per alarm, one per sensor (a later one replaces
 * it): an operator looking at another window still hears of it. */
static void
on_alarm_raised (SabanApplication *self, SabanAlarm *alarm)
{
  gboolean danger = saban_alarm_get_level (alarm) == SABAN_SENSOR_STATE_DANGER;
  const char *cap = saban_alarm_get_cap_identifier (alarm);
  g_autofree char *title = g_strdup_printf (danger ? _("Danger: %s") : _("Alert: %s"), saban_alarm_get_sensor_name (alarm));
  g_autofree char *value = saban_format_number (saban_alarm_get_value (alarm), 2);
  g_autofree char *body = cap != NULL ? g_strdup (saban_alarm_get_commune (alarm))
                                      : g_strdup_printf ("%s %s", value, saban_alarm_get_unit (alarm) ? saban_alarm_get_unit (alarm) : "");
  g_autofree char *id = cap != NULL ? g_strdup_printf ("cap-%s", cap) : g_strdup_printf ("alarm-%u", saban_alarm_get_sensor (alarm));
  g_autoptr(GNotification) n = g_notification_new (title);

  if (danger && cap == NULL)
    g_timeout_add_seconds (2, nudge_alerts, self);

  g_notification_set_body (n, body);
  g_notification_set_priority (n, danger ? G_NOTIFICATION_PRIORITY_URGENT : G_NOTIFICATION_PRIORITY_HIGH);
  /* an alarm can arrive while a screenshot run is already shutting down */
  if (g_application_get_is_registered (G_APPLICATION (self)))
    g_application_send_notification (G_APPLICATION (self), id, n);
}

/* SensorThings lives at {server}/v1.1 on saban-server. Changing the server
 * or broker in Preferences takes effect at the next start (known limit). */
static void
setup_sensors (SabanApplication *self)
{
  g_autofree char *service = g_strconcat (saban_connection_get_server_url (self->connection), "/v1.1", NULL);

  self->sensor_store = saban_sensor_store_new ();
  self->sensor_cancellable = g_cancellable_new ();
  self->sensor_client = saban_sensor_things_client_new (service, self->sensor_store);
  self->units = saban_unit_store_new ();
  saban_sensor_things_client_set_units (self->sensor_client, self->units);
  self->sensor_feed = saban_mqtt_feed_new (self->mqtt_broker, self->sensor_client);
  g_signal_connect_object (self->connection, "notify::connected", G_CALLBACK (on_connected_changed),
                           self, G_CONNECT_SWAPPED);
  self->alarms = saban_alarm_list_new (self->sensor_store);
  g_signal_connect_object (self->alarms, "alarm-raised", G_CALLBACK (on_alarm_raised), self, G_CONNECT_SWAPPED);
  {
    g_autofree char *alerts = g_strconcat (saban_connection_get_server_url (self->connection), "/collections/alerts", NULL);

    self->alert_client = saban_alert_client_new (alerts, self->alarms);
    saban_alert_client_listen (self->alert_client, self->mqtt_broker);
    self->alert_poll = g_timeout_add_seconds (ALERT_POLL_S, poll_alerts, self);
  }
}

/* An operator's acknowledgement goes to the server through the outbox: it
 * survives a dead server and a closed app, and the server records who. */
static void
on_alarm_acknowledged (SabanApplication *self, SabanAlarm *alarm)
{
  g_autoptr(JsonNode) feature = saban_alarm_new_acknowledgement (alarm);

  if (feature != NULL)
    saban_command_client_post_record (self->command_client, "acknowledgements", feature);
}

/* The Command API client: its outbox and its cache live with the user's
 * data, so writes made offline survive a restart and are delivered at the
 * next one, and a start while the server is away shows the scenarios as
 * last known. Started at once: it waits for the server by itself. */
static void
setup_command (SabanApplication *self)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "saban", NULL);
  g_autofree char *outbox = g_build_filename (dir, "outbox.db", NULL);
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_warning ("Cannot create %s: %s", dir, g_strerror (errno));
  self->command_client = saban_command_client_new (self->connection, self->mqtt_broker, outbox, &error);
  if (self->command_client == NULL)
    {
      g_warning ("Scenarios unavailable: %s", error->message);
      return;
    }
  self->command_notifier = saban_command_notifier_new (G_APPLICATION (self), self->command_client);
  saban_command_client_start (self->command_client);
  g_signal_connect_object (self->alarms, "alarm-acknowledged", G_CALLBACK (on_alarm_acknowledged), self,
                           G_CONNECT_SWAPPED);
}

/**
 * saban_application_get_command_client:
 * @self: the application
 *
 * Returns: (transfer none) (nullable): the Command API client (scenarios,
 *   tasks, sitreps, the log), started at start-up; NULL only if its outbox
 *   could not be opened
 */
SabanCommandClient *
saban_application_get_command_client (SabanApplication *self)
{
  g_return_val_if_fail (SABAN_IS_APPLICATION (self), NULL);
  return self->command_client;
}

/**
 * saban_application_get_command_notifier:
 *
 * Returns: (transfer none) (nullable): what tells the user of overdue
 *   tasks, others' changes, refusals and conflicts
 */
SabanCommandNotifier *
saban_application_get_command_notifier (SabanApplication *self)
{
  g_return_val_if_fail (SABAN_IS_APPLICATION (self), NULL);
  return self->command_notifier;
}

/**
 * saban_application_get_units:
 * @self: the application
 *
 * Returns: (transfer none): the responder units, live
 */
SabanUnitStore *
saban_application_get_units (SabanApplication *self)
{
  g_return_val_if_fail (SABAN_IS_APPLICATION (self), NULL);
  return self->units;
}

/**
 * saban_application_get_alarms:
 * @self: the application
 *
 * Returns: (transfer none): the alarms raised by the live sensors
 */
SabanAlarmList *
saban_application_get_alarms (SabanApplication *self)
{
  g_return_val_if_fail (SABAN_IS_APPLICATION (self), NULL);
  return self->alarms;
}

/**
 * saban_application_get_sensor_store:
 * @self: the application
 *
 * Returns: (transfer none): the live sensors, empty until the server answers
 */
SabanSensorStore *
saban_application_get_sensor_store (SabanApplication *self)
{
  g_return_val_if_fail (SABAN_IS_APPLICATION (self), NULL);
  return self->sensor_store;
}

/**
 * saban_application_get_sensor_feed:
 * @self: the application
 *
 * Returns: (transfer none): the live feed (its state: MQTT, polling, offline)
 */
SabanMqttFeed *
saban_application_get_sensor_feed (SabanApplication *self)
{
  g_return_val_if_fail (SABAN_IS_APPLICATION (self), NULL);
  return self->sensor_feed;
}

/**
 * saban_application_get_sensor_client:
 * @self: the application
 *
 * Returns: (transfer none): the SensorThings client: readings and pictures
 *   on demand (a chart, a camera)
 */
SabanSensorThingsClient *
saban_application_get_sensor_client (SabanApplication *self)
{
  g_return_val_if_fail (SABAN_IS_APPLICATION (self), NULL);
  return self->sensor_client;
}

/**
 * saban_application_get_sensors_busy:
 * @self: the application
 *
 * Returns: whether the sensors may still arrive soon: the server was not
 *   checked yet, or they are being loaded (a screenshot waits for them)
 */
gboolean
saban_application_get_sensors_busy (SabanApplication *self)
{
  g_return_val_if_fail (SABAN_IS_APPLICATION (self), FALSE);
  return !saban_connection_get_checked (self->connection) || self->sensors_loading ||
         (saban_connection_get_connected (self->connection) && !self->sensors_loaded);
}

/**
 * saban_application_get_connection:
 * The IOC server connection the status bar shows.
 */
SabanConnection *
saban_application_get_connection (SabanApplication *self)
{
  g_return_val_if_fail (SABAN_IS_APPLICATION (self), NULL);
  return self->connection;
}

const char *
saban_application_get_mqtt_broker (SabanApplication *self)
{
  g_return_val_if_fail (SABAN_IS_APPLICATION (self), NULL);
  return self->mqtt_broker;
}

/**
 * saban_application_set_password:
 * The account's password for this session; it is never written to disk.
 */
void
saban_application_set_password (SabanApplication *self, const char *password)
{
  g_autofree char *account = NULL;

  g_return_if_fail (SABAN_IS_APPLICATION (self));
  g_free (self->password);
  self->password = g_strdup (password);
  account = dup_account (self);
  saban_connection_set_account (self->connection, account, self->password);
}

/* the scenario window, on the scenario given (an id; 0: as it was) */
static void
scenarios_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  SabanApplication *self = SABAN_APPLICATION (user_data);
  gint64 id = parameter != NULL ? g_variant_get_int64 (parameter) : 0;
  SabanCommandItem *scenario = NULL;

  if (self->command_client == NULL)
    return;
  if (id != 0)
    scenario = saban_command_store_lookup (saban_command_client_get_store (self->command_client),
                                           SABAN_COMMAND_SCENARIOS, id);
  saban_scenario_window_show (GTK_APPLICATION (self), self->command_client, scenario);
}

static const GActionEntry app_actions[] = {
  { "scenarios", scenarios_action },
  { "scenario", scenarios_action, "x" },
  { "about", about_action },
  { "preferences", preferences_action },
  { "quit", quit_action },
};

static void
saban_application_startup (GApplication *app)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  G_APPLICATION_CLASS (saban_application_parent_class)->startup (app);

  g_resources_register (saban_get_resource ());
  gtk_css_provider_load_from_resource (css, "/io/github/saban/SaBan/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  SABAN_APPLICATION (app)->settings = g_settings_new (SCHEMA_ID);
  setup_connection (SABAN_APPLICATION (app));
  setup_sensors (SABAN_APPLICATION (app));
  setup_command (SABAN_APPLICATION (app));
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.scenarios", (const char *[]) { "<Control><Shift>k", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", (const char *[]) { "<Control>comma", NULL });
}

static void
saban_application_finalize (GObject *object)
{
  SabanApplication *self = (SabanApplication *) object;

  g_free (self->screenshot_path);
  if (self->sensor_cancellable)
    g_cancellable_cancel (self->sensor_cancellable);
  /* the feed first: it joins its network thread */
  g_clear_object (&self->sensor_feed);
  g_clear_object (&self->alarms);
  g_clear_object (&self->sensor_client);
  g_clear_object (&self->units);
  g_clear_handle_id (&self->alert_poll, g_source_remove);
  g_clear_object (&self->alert_client);
  g_clear_object (&self->sensor_store);
  g_clear_object (&self->sensor_cancellable);
  g_clear_object (&self->command_notifier);
  g_clear_object (&self->command_client);
  g_clear_object (&self->connection);
  g_clear_object (&self->settings);
  g_free (self->mqtt_broker);
  g_free (self->password);

  G_OBJECT_CLASS (saban_application_parent_class)->finalize (object);
}

static void
saban_application_class_init (SabanApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = saban_application_finalize;
  app_class->activate = saban_application_activate;
  app_class->open = saban_application_open;
  app_class->startup = saban_application_startup;
  app_class->handle_local_options = saban_application_handle_local_options;
}

static void
saban_application_init (SabanApplication *self)
{
  const GOptionEntry entries[] = {
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Save the window as a PNG image once the map is drawn, then quit"), N_("FILE") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), N_("[FILE…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            N_("Open the demo province, or the given files as map layers."));
}

SabanApplication *
saban_application_new (void)
{
  return g_object_new (SABAN_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/saban/SaBan",
                       NULL);
}
