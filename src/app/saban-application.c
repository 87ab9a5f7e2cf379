/* saban-application.c: start-up, command line, application-wide actions.
 *
 * `saban [--screenshot FILE.png] [FILE …]`: files open as layers; with none,
 * the demo province opens. The screenshot option lets tests and the docs
 * capture the window once it is fully drawn, with no sleeping.
 */
#include "saban-application.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "saban-format.h"
#include "saban-preferences-window.h"
#include "saban-resources.h"
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
  SabanMqttFeed           *sensor_feed;
  SabanAlarmList          *alarms;
  GCancellable            *sensor_cancellable;
  gboolean                 sensors_loading;
  gboolean                 sensors_loaded;

  /* the Command API: scenarios, tasks; writes kept in an outbox */
  SabanCommandClient      *command_client;
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

static void
on_account_changed (SabanApplication *self)
{
  g_autofree char *account = g_settings_get_string (self->settings, "account");

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
  g_autofree char *account = g_settings_get_string (self->settings, "account");

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

/* The sensors are read once the server answers: a server that is down at
 * start-up is simply waited for, through the connection's own checks. */
static void
on_connected_changed (SabanApplication *self)
{
  if (!saban_connection_get_connected (self->connection) || self->sensors_loaded || self->sensors_loading)
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
  g_autofree char *title = g_strdup_printf (danger ? _("Danger: %s") : _("Alert: %s"), saban_alarm_get_sensor_name (alarm));
  g_autofree char *value = saban_format_number (saban_alarm_get_value (alarm), 2);
  g_autofree char *body = g_strdup_printf ("%s %s", value, saban_alarm_get_unit (alarm) ? saban_alarm_get_unit (alarm) : "");
  g_autofree char *id = g_strdup_printf ("alarm-%u", saban_alarm_get_sensor (alarm));
  g_autoptr(GNotification) n = g_notification_new (title);

  g_notification_set_body (n, body);
  g_notification_set_priority (n, danger ? G_NOTIFICATION_PRIORITY_URGENT : G_NOTIFICATION_PRIORITY_HIGH);
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
  self->sensor_feed = saban_mqtt_feed_new (self->mqtt_broker, self->sensor_client);
  g_signal_connect_object (self->connection, "notify::connected", G_CALLBACK (on_connected_changed),
                           self, G_CONNECT_SWAPPED);
  self->alarms = saban_alarm_list_new (self->sensor_store);
  g_signal_connect_object (self->alarms, "alarm-raised", G_CALLBACK (on_alarm_raised), self, G_CONNECT_SWAPPED);
}

static void
start_command_client (SabanApplication *self)
{
  if (saban_connection_get_connected (self->connection))
    {
      g_signal_handlers_disconnect_by_func (self->connection, start_command_client, self);
      saban_command_client_start (self->command_client);
    }
}

/* Made at start-up, so writes reach the outbox even while the server is
 * away; started once the server first answers. */
static void
setup_command_client (SabanApplication *self)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "saban", NULL);
  g_autofree char *outbox = g_build_filename (dir, "outbox.db", NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0700);
  self->command_client = saban_command_client_new (self->connection, self->mqtt_broker, outbox, &error);
  if (self->command_client == NULL)
    {
      g_warning ("No scenarios: the outbox %s could not be opened: %s", outbox, error->message);
      return;
    }
  g_signal_connect_swapped (self->connection, "notify::connected", G_CALLBACK (start_command_client), self);
  start_command_client (self);
}

/**
 * saban_application_get_command_client:
 * @self: the application
 *
 * Returns: (transfer none) (nullable): the Command API client, or %NULL
 *   until it is made (or when its outbox cannot be opened)
 */
SabanCommandClient *
saban_application_get_command_client (SabanApplication *self)
{
  g_return_val_if_fail (SABAN_IS_APPLICATION (self), NULL);
  return self->command_client;
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
  account = g_settings_get_string (self->settings, "account");
  saban_connection_set_account (self->connection, account, self->password);
}

static const GActionEntry app_actions[] = {
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
  setup_command_client (SABAN_APPLICATION (app));
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
  g_clear_object (&self->sensor_store);
  g_clear_object (&self->sensor_cancellable);
  if (self->command_client != NULL)
    g_signal_handlers_disconnect_by_func (self->connection, start_command_client, self);
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
