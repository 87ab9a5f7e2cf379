/* saban-application.c: start-up, command line, application-wide actions.
 *
 * `saban [--screenshot FILE.png] [FILE …]`: files, raster or vector, open as
 * layers over the last workspace (or the demo province) and the view fits
 * them; with none, the workspace or the demo opens. The screenshot option lets tests and the docs
 * capture the window once it is fully drawn, with no sleeping.
 */
#include "saban-application.h"

#include <glib/gi18n.h>

#include "saban-backups-window.h"
#include "saban-command-notifier.h"
#include "saban-desk-window.h"
#include "saban-feedback-client.h"
#include "saban-feedback-window.h"
#include "saban-format.h"
#include "saban-preferences-window.h"
#include "saban-resources.h"
#include "saban-alarm-sound.h"
#include "saban-scenario-window.h"
#include "saban-window.h"

struct _SabanApplication
{
  AdwApplication parent_instance;

  char *screenshot_path;

  SabanSession         *session;
  SabanCommandNotifier *command_notifier;
  SabanAlarmSound      *alarm_sound;   /* one per application: windows do not sound twice */
  char                 *role;          /* the signed-in account's, once the server said */
  gboolean              desk_shown;    /* a leader's desk opens once, at the first sign-in */
};

G_DEFINE_FINAL_TYPE (SabanApplication, saban_application, ADW_TYPE_APPLICATION)

/**
 * saban_application_find_demo_data:
 *
 * The demo GeoPackage: $SABAN_DEMO_DATA (set by `meson devenv`), the
 * demo-data-path setting, or the copy installed with the application.
 *
 * Returns: (transfer full) (nullable): the file, or %NULL when there is none
 */
GFile *
saban_application_find_demo_data (void)
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

/* the arrangement the user leaves is the session's, for the next start */
static gboolean
on_close_request (SabanWindow *window,
                  gpointer     user_data)
{
  g_autoptr(SabanWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;

  if (saban_window_get_loading (window))
    return FALSE;
  workspace = saban_window_dup_workspace (window);
  if (saban_workspace_get_n_layers (workspace) > 0 &&
      !saban_session_save_workspace (saban_window_get_session (window), workspace, &error))
    g_warning ("Could not save the workspace: %s", error->message);
  return FALSE;
}

static SabanWindow *
new_window (SabanApplication *self)
{
  SabanWindow *window = saban_window_new (GTK_APPLICATION (self), self->session);
  g_autoptr(GFile) demo = saban_application_find_demo_data ();
  g_autofree char *demo_path = demo != NULL ? g_file_get_path (demo) : NULL;

  saban_window_set_demo_base_map (window, demo_path);
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
  g_autoptr(GFile) demo = saban_application_find_demo_data ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanWorkspace) workspace = saban_session_load_workspace (saban_window_get_session (window), &error);
  g_autofree char *demo_path = demo != NULL ? g_file_get_path (demo) : NULL;

  if (error != NULL)
    g_warning ("%s", error->message);
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

  /* on top of the workspace (or the demo) a new window opens with */
  if (window == NULL)
    {
      window = GTK_WINDOW (new_window (self));
      open_start_data (SABAN_WINDOW (window));
    }
  saban_window_add_files (SABAN_WINDOW (window), files, n_files);
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
  SabanApplication *self = SABAN_APPLICATION (user_data);
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (saban_preferences_window_new (active, self->session)));
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

/* A desktop notification per alarm, one per sensor (a later one replaces
 * it): an operator looking at another window still hears of it. */
static void
on_alarm_raised (SabanApplication *self, SabanAlarm *alarm)
{
  gboolean danger = saban_alarm_get_level (alarm) == SABAN_SENSOR_STATE_DANGER;
  const char *cap = saban_alarm_get_cap_identifier (alarm);
  /* the provincial level: "Báo động III: Trạm thủy văn Lào Cai" */
  g_autofree char *title = g_strdup_printf ("%s: %s", saban_alarm_grade_label (saban_alarm_get_grade (alarm)),
                                            saban_alarm_get_sensor_name (alarm));
  g_autofree char *value = saban_format_number (saban_alarm_get_value (alarm), 2);
  g_autofree char *body = cap != NULL ? g_strdup (saban_alarm_get_commune (alarm))
                                      : g_strdup_printf ("%s %s", value, saban_alarm_get_unit (alarm) ? saban_alarm_get_unit (alarm) : "");
  g_autofree char *id = cap != NULL ? g_strdup_printf ("cap-%s", cap) : g_strdup_printf ("alarm-%u", saban_alarm_get_sensor (alarm));
  g_autoptr(GNotification) n = g_notification_new (title);

  g_notification_set_body (n, body);
  g_notification_set_priority (n, danger ? G_NOTIFICATION_PRIORITY_URGENT : G_NOTIFICATION_PRIORITY_HIGH);
  /* an alarm can arrive while a screenshot run is already shutting down */
  if (g_application_get_is_registered (G_APPLICATION (self)))
    g_application_send_notification (G_APPLICATION (self), id, n);
}

/**
 * saban_application_get_session:
 * @self: the application
 *
 * Returns: (transfer none): the session its windows show (made at start-up)
 */
SabanSession *
saban_application_get_session (SabanApplication *self)
{
  g_return_val_if_fail (SABAN_IS_APPLICATION (self), NULL);
  return self->session;
}

/**
 * saban_application_get_role:
 *
 * Returns: (nullable): the signed-in account's role once the server said it
 *   ("admin", "operator", …)
 */
const char *
saban_application_get_role (SabanApplication *self)
{
  return self->role;
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

/* the scenario window, on the scenario given (an id; 0: as it was) */
static void
scenarios_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  SabanApplication *self = SABAN_APPLICATION (user_data);
  gint64 id = parameter != NULL ? g_variant_get_int64 (parameter) : 0;
  SabanCommandClient *client = saban_session_get_command_client (self->session);
  SabanCommandItem *scenario = NULL;

  if (client == NULL)
    return;
  if (id != 0)
    scenario = saban_command_store_lookup (saban_command_client_get_store (client), SABAN_COMMAND_SCENARIOS, id);
  saban_scenario_window_show (GTK_APPLICATION (self), self->session, scenario);
}

/* the leaders' desk (a leader's first screen; any role's on asking) */
static void
desk_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SabanApplication *self = SABAN_APPLICATION (user_data);

  saban_desk_window_set_role (saban_desk_window_show (GTK_APPLICATION (self), self->session), self->role);
}

/* the citizen-feedback workspace; the parameter filters it: "open", "overdue" or "" */
static void
feedback_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SabanApplication *self = SABAN_APPLICATION (user_data);
  const char *preset = parameter != NULL ? g_variant_get_string (parameter, NULL) : NULL;

  saban_feedback_window_set_role (saban_feedback_window_show (GTK_APPLICATION (self), self->session, preset),
                                  self->role);
}

/* the server's backups: enabled for an admin only (see role_read) */
static void
backups_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SabanApplication *self = SABAN_APPLICATION (user_data);

  saban_backups_window_show (GTK_APPLICATION (self), self->session);
}

/* Only an admin may see or make backups (the server says so too): the
 * menu's entry is hidden for every other role, and before anyone signs in. */
static void
allow_admin (SabanApplication *self, const char *role)
{
  GAction *backups = g_action_map_lookup_action (G_ACTION_MAP (self), "backups");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (backups), g_strcmp0 (role, "admin") == 0);
}

/* a scenario from a citizen's report: the operations map's launch panel */
static void
launch_for_report_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SabanApplication *self = SABAN_APPLICATION (user_data);

  g_action_group_activate_action (G_ACTION_GROUP (self), "operations", NULL);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (SABAN_IS_WINDOW (l->data))
      {
        gtk_widget_activate_action_variant (l->data, "win.launch-scenario-for-report", parameter);
        return;
      }
}

/* the operations map (the main window): alarms, sensors, layers */
static void
operations_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SabanApplication *self = SABAN_APPLICATION (user_data);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (SABAN_IS_WINDOW (l->data))
      {
        gtk_window_present (l->data);
        return;
      }
  saban_application_activate (G_APPLICATION (self));
}

/* Until the session carries the role from sign-in (branch cr2), the
 * application asks the server (GET /auth/me): a leader's desk opens. */
static void
role_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SabanApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  char *role = saban_account_role_finish (result, &error);

  if (role == NULL)
    {
      g_message ("the account's role is not known: %s", error->message);
      return;
    }
  g_free (self->role);
  self->role = role;
  allow_admin (self, role);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (SABAN_IS_DESK_WINDOW (l->data))
      saban_desk_window_set_role (l->data, role);
    else if (SABAN_IS_FEEDBACK_WINDOW (l->data))
      saban_feedback_window_set_role (l->data, role);
  if (g_str_equal (role, "leader") && !self->desk_shown && self->screenshot_path == NULL)
    {
      self->desk_shown = TRUE;
      g_action_group_activate_action (G_ACTION_GROUP (self), "desk", NULL);
    }
}

static void
on_signed_in (SabanApplication *self)
{
  SabanConnection *connection = saban_session_get_connection (self->session);

  if (!saban_connection_get_signed_in (connection))
    allow_admin (self, NULL);
  else
    saban_account_role_async (saban_session_get_api (self->session), NULL, role_read, g_object_ref (self));
}

static const GActionEntry app_actions[] = {
  { "desk", desk_action },
  { "operations", operations_action },
  { "feedback", feedback_action, "s" },
  { "backups", backups_action },
  { "launch-for-report", launch_for_report_action, "(ddss)" },
  { "scenarios", scenarios_action },
  { "scenario", scenarios_action, "x" },
  { "about", about_action },
  { "preferences", preferences_action },
  { "quit", quit_action },
};

/* The session starts here: the server is checked, the sensors and the
 * scenarios come as they can. The application only tells the user of
 * them (desktop notifications, toasts, conflict dialogs). */
static void
start_session (SabanApplication *self)
{
  SabanCommandClient *client;

  self->session = saban_session_new ();
  client = saban_session_get_command_client (self->session);
  if (client != NULL)
    self->command_notifier = saban_command_notifier_new (G_APPLICATION (self), client);
  g_signal_connect_object (saban_session_get_alarms (self->session), "alarm-raised", G_CALLBACK (on_alarm_raised),
                           self, G_CONNECT_SWAPPED);
  {
    g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);

    self->alarm_sound = saban_alarm_sound_new (saban_session_get_alarms (self->session), settings);
  }

  g_signal_connect_object (saban_session_get_connection (self->session), "notify::signed-in",
                           G_CALLBACK (on_signed_in), self, G_CONNECT_SWAPPED);
}

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
  allow_admin (SABAN_APPLICATION (app), NULL);
  start_session (SABAN_APPLICATION (app));
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.scenarios", (const char *[]) { "<Control><Shift>k", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.desk", (const char *[]) { "<Control><Shift>d", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.feedback('')", (const char *[]) { "<Control><Shift>r", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", (const char *[]) { "<Control>comma", NULL });
}

static void
saban_application_finalize (GObject *object)
{
  SabanApplication *self = (SabanApplication *) object;

  g_free (self->screenshot_path);
  g_free (self->role);
  g_clear_object (&self->command_notifier);
  g_clear_object (&self->alarm_sound);
  g_clear_object (&self->session);

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
