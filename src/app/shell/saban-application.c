/* saban-application.c: start-up, command line, application-wide actions.
 *
 * `saban [--screenshot FILE.png] [FILE …]`: files, raster or vector, open as
 * layers over the last workspace (or the demo province) and the view fits
 * them; with none, the workspace or the demo opens. The screenshot option lets tests and the docs
 * capture the window once it is fully drawn, with no sleeping.
 */
#include "saban-application-private.h"

#include <glib/gi18n.h>

#include "saban-backups-window.h"
#include "saban-command-notifier.h"
#include "saban-desk-window.h"
#include "saban-feedback-window.h"
#include "saban-format.h"
#include "saban-preferences-window.h"
#include "saban-resources.h"
#include "saban-alarm-sound.h"
#include "saban-scenario-window.h"
#include "saban-sign-in-dialog.h"
#include "saban-window.h"

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

  /* the main window closes the application: the panels keep their place */
  saban_application_close_all (SABAN_APPLICATION (gtk_window_get_application (GTK_WINDOW (window))),
                               GTK_WINDOW (window));
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

static void on_signed_in_changed (SabanApplication *self);

static void
saban_application_activate (GApplication *app)
{
  SabanApplication *self = SABAN_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (new_window (self));
      open_start_data (SABAN_WINDOW (window));
      gtk_window_present (window);
      saban_application_restore_wall (self);
    }
  gtk_window_present (window);
  /* a password needed before there was a window to ask over */
  on_signed_in_changed (self);
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
  GtkWindow *preferences = GTK_WINDOW (saban_preferences_window_new (active, self->session));

  /* its sign-in and sign-out buttons are the application's actions */
  gtk_window_set_application (preferences, GTK_APPLICATION (self));
  gtk_window_present (preferences);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  saban_application_close_all (SABAN_APPLICATION (user_data), NULL);
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

/* ---- signing in and out ------------------------------------------------------ */

static void
on_sign_in_dialog_destroyed (SabanApplication *self)
{
  self->sign_in_dialog = NULL;
}

/* one dialog at a time, over the window in front */
static void
ask_sign_in (SabanApplication *self, gboolean switching)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (self->sign_in_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->sign_in_dialog));
  self->sign_in_dialog = saban_sign_in_dialog_new (parent, self->session, switching);
  g_signal_connect_object (self->sign_in_dialog, "destroy", G_CALLBACK (on_sign_in_dialog_destroyed), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->sign_in_dialog));
}

/* After the main loop settles: switching accounts needs a password only
 * for an instant. A screenshot run asks nobody. */
static gboolean
ask_if_needed (gpointer data)
{
  SabanApplication *self = data;
  SabanConnection *c = saban_session_get_connection (self->session);

  self->ask_idle = 0;
  if (saban_connection_get_needs_sign_in (c) && self->sign_in_dialog == NULL && self->screenshot_path == NULL &&
      gtk_application_get_active_window (GTK_APPLICATION (self)) != NULL)
    ask_sign_in (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
on_signed_in_changed (SabanApplication *self)
{
  SabanConnection *c = saban_session_get_connection (self->session);
  GAction *sign_out = g_action_map_lookup_action (G_ACTION_MAP (self), "sign-out");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (sign_out), saban_connection_get_signed_in (c));
  if (saban_connection_get_needs_sign_in (c) && self->ask_idle == 0)
    self->ask_idle = g_idle_add (ask_if_needed, self);
}

static void
sign_in_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  ask_sign_in (SABAN_APPLICATION (user_data), FALSE);
}

static void
switch_account_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  ask_sign_in (SABAN_APPLICATION (user_data), TRUE);
}

static void
signed_out (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!saban_session_sign_out_finish (SABAN_SESSION (source), result, &error) && error != NULL)
    g_message ("sign-out: %s", error->message);
}

/* the sign-in dialog follows: the session then needs a password */
static void
sign_out_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SabanApplication *self = SABAN_APPLICATION (user_data);

  saban_session_sign_out_async (self->session, NULL, signed_out, NULL);
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

  saban_desk_window_set_role (saban_desk_window_show (GTK_APPLICATION (self), self->session),
                              saban_session_get_role (self->session));
}

/* the citizen-feedback workspace; the parameter filters it: "open", "overdue" or "" */
static void
feedback_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SabanApplication *self = SABAN_APPLICATION (user_data);
  const char *preset = parameter != NULL ? g_variant_get_string (parameter, NULL) : NULL;

  saban_feedback_window_set_role (saban_feedback_window_show (GTK_APPLICATION (self), self->session, preset),
                                  saban_session_get_role (self->session));
}

/* the server's backups: enabled for an admin only (see on_role_changed) */
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

/* The role the account signed in with (the token's answer): the desk and
 * the feedback workspace follow it, and a leader's desk opens, once. */
static void
on_role_changed (SabanApplication *self)
{
  const char *role = saban_session_get_role (self->session);

  allow_admin (self, role);
  if (role == NULL)
    return;
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

/* Every frequent action has a key (the shortcuts window lists them from
 * here); the map's own keys — arrows, +/−, Escape — are the map's and the
 * window's. */
static const struct
{
  const char *action;
  const char *accels[4];
} keys[] = {
  { "app.quit", { "<Control>q" } },
  { "app.preferences", { "<Control>comma" } },
  { "app.scenarios", { "<Control><Shift>k" } },
  { "app.desk", { "<Control><Shift>d" } },
  { "app.feedback('')", { "<Control><Shift>r" } },
  { "win.open", { "<Control>o" } },
  { "win.add-server", { "<Control><Shift>o" } },
  { "win.find", { "<Control>f" } },
  { "win.go-to", { "<Control>g" } },
  { "win.toggle-sidebar", { "F9" } },
  { "win.zoom-in", { "<Control>plus", "<Control>equal", "<Control>KP_Add" } },
  { "win.zoom-out", { "<Control>minus", "<Control>KP_Subtract" } },
  { "win.zoom-home", { "<Control>Home", "<Control>KP_Home" } },
  { "win.tool('length')", { "<Control>m" } },
  { "win.tool('area')", { "<Control><Shift>m" } },
  { "win.launch-scenario", { "<Control><Shift>n" } },
  { "win.palette", { "<Control>k" } },
  { "win.print", { "<Control>p" } },
  { "win.wall-mode", { "F11" } },
};

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
  { "sign-in", sign_in_action },
  { "switch-account", switch_account_action },
  { "sign-out", sign_out_action },
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
  g_signal_connect_object (saban_session_get_connection (self->session), "notify::signed-in",
                           G_CALLBACK (on_signed_in_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (saban_session_get_connection (self->session), "notify::needs-sign-in",
                           G_CALLBACK (on_signed_in_changed), self, G_CONNECT_SWAPPED);
  on_signed_in_changed (self);
  {
    g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);

    self->alarm_sound = saban_alarm_sound_new (saban_session_get_alarms (self->session), settings);
  }
  g_signal_connect_object (self->session, "notify::role", G_CALLBACK (on_role_changed), self, G_CONNECT_SWAPPED);
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
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), keys[i].action, keys[i].accels);
  saban_application_init_wall (SABAN_APPLICATION (app));
}

static void
saban_application_finalize (GObject *object)
{
  SabanApplication *self = (SabanApplication *) object;

  g_free (self->screenshot_path);
  g_clear_handle_id (&self->ask_idle, g_source_remove);
  g_clear_object (&self->settings);
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
