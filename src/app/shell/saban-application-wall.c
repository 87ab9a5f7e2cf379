/* saban-application-wall.c: wall mode and the panels' arrangement.
 *
 * Wall mode (the wall-mode setting, win.wall-mode, F11) is for a dim
 * control room and its video wall: the main window full screen, libadwaita's
 * dark scheme (every map follows it with its dark styles), large type on
 * every window. It is this workstation's, kept in its settings.
 *
 * Panels can each go to a window of their own (app.detach: the map, the
 * alarm centre — any panel SabanPanelWindow knows —, the scenario board,
 * the leaders' desk), to be put
 * on another monitor. Which are open, on which monitor, their sizes and
 * whether full screen are kept in the wall-panels setting as they change,
 * and opened again at start. A panel the user closes leaves it; panels
 * that close because the application does keep their place.
 */
#include "saban-application-private.h"

#include "saban-desk-window.h"
#include "saban-panel-window.h"
#include "saban-scenario-window.h"
#include "saban-window.h"

#define BOARD "board"
#define DESK "desk"
/* a window's size from settings: anything else is not a size */
#define MIN_SIZE 200
#define MAX_SIZE 16384

/* ---- wall mode ------------------------------------------------------------ */

static void
apply_wall (SabanApplication *self)
{
  gboolean wall = g_settings_get_boolean (self->settings, "wall-mode");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      wall ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_DEFAULT);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (wall)
        gtk_widget_add_css_class (l->data, "wall");
      else
        gtk_widget_remove_css_class (l->data, "wall");
      /* the main window goes full screen; panels keep their own */
      if (SABAN_IS_WINDOW (l->data) && wall)
        gtk_window_fullscreen (l->data);
      else if (SABAN_IS_WINDOW (l->data))
        gtk_window_unfullscreen (l->data);
    }
}

/* ---- the arrangement -------------------------------------------------------- */

static const char *
panel_of (GtkWindow *window)
{
  if (SABAN_IS_PANEL_WINDOW (window))
    return saban_panel_window_get_panel (SABAN_PANEL_WINDOW (window));
  if (SABAN_IS_SCENARIO_WINDOW (window))
    return BOARD;
  if (SABAN_IS_DESK_WINDOW (window))
    return DESK;
  return NULL;
}

/* every panel window as (panel, monitor, width, height, full screen) */
static void
save_arrangement (SabanApplication *self)
{
  g_auto(GVariantBuilder) b = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a(ssiib)"));

  if (self->quitting || self->screenshot_path != NULL)
    return;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      const char *panel = panel_of (l->data);
      g_autofree char *monitor = NULL;
      int width, height;

      if (panel == NULL)
        continue;
      monitor = saban_panel_window_dup_monitor (l->data);
      gtk_window_get_default_size (l->data, &width, &height);
      g_variant_builder_add (&b, "(ssiib)", panel, monitor != NULL ? monitor : "", width, height,
                             gtk_window_is_fullscreen (l->data));
    }
  g_settings_set_value (self->settings, "wall-panels", g_variant_builder_end (&b));
}

static void
on_window_added (SabanApplication *self, GtkWindow *window)
{
  if (g_settings_get_boolean (self->settings, "wall-mode"))
    gtk_widget_add_css_class (GTK_WIDGET (window), "wall");
  if (panel_of (window) == NULL)
    return;
  g_signal_connect_object (window, "notify::default-width", G_CALLBACK (save_arrangement), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (window, "notify::default-height", G_CALLBACK (save_arrangement), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (window, "notify::fullscreened", G_CALLBACK (save_arrangement), self, G_CONNECT_SWAPPED);
  save_arrangement (self);
}

static void
on_window_removed (SabanApplication *self, GtkWindow *window)
{
  if (panel_of (window) != NULL)
    save_arrangement (self);
}

/* a panel in its window: the one open, else a new one */
static GtkWindow *
open_panel (SabanApplication *self, const char *panel)
{
  GtkWidget *window;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (g_strcmp0 (panel_of (l->data), panel) == 0)
      return l->data;
  if (g_str_equal (panel, BOARD))
    return saban_session_get_command_client (self->session) != NULL
           ? GTK_WINDOW (saban_scenario_window_show (GTK_APPLICATION (self), self->session, NULL)) : NULL;
  if (g_str_equal (panel, DESK))
    {
      SabanDeskWindow *desk = saban_desk_window_show (GTK_APPLICATION (self), self->session);

      saban_desk_window_set_role (desk, saban_session_get_role (self->session));
      return GTK_WINDOW (desk);
    }
  if (!saban_panel_window_is_panel (panel))
    return NULL;
  window = saban_panel_window_new (GTK_APPLICATION (self), self->session, panel);
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

/* app.detach(s): the map, the alarms, the board or the desk in a window of its own */
static void
detach_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkWindow *window = open_panel (SABAN_APPLICATION (user_data), g_variant_get_string (parameter, NULL));

  if (window != NULL)
    gtk_window_present (window);
}

/**
 * saban_application_restore_wall:
 *
 * Opens the panels the arrangement names, at their sizes, full screen on
 * their monitors where they were; and wall mode, if it was on.
 */
void
saban_application_restore_wall (SabanApplication *self)
{
  g_autoptr(GVariant) saved = g_settings_get_value (self->settings, "wall-panels");
  GVariantIter iter;
  const char *panel, *monitor;
  int width, height;
  gboolean fullscreen;

  if (self->screenshot_path != NULL)
    return;
  g_variant_iter_init (&iter, saved);
  while (g_variant_iter_next (&iter, "(&s&siib)", &panel, &monitor, &width, &height, &fullscreen))
    {
      GtkWindow *window = open_panel (self, panel);

      if (window == NULL)
        continue;
      if (width >= MIN_SIZE && width <= MAX_SIZE && height >= MIN_SIZE && height <= MAX_SIZE)
        gtk_window_set_default_size (window, width, height);
      if (fullscreen)
        saban_panel_window_fullscreen_on (window, *monitor != '\0' ? monitor : NULL);
    }
  apply_wall (self);
}

/**
 * saban_application_close_all:
 * @closing: (nullable): a window closing already (the main one)
 *
 * Closes every window, each saving what it keeps; the panels keep their
 * place in the arrangement for the next start.
 */
void
saban_application_close_all (SabanApplication *self, GtkWindow *closing)
{
  GList *windows;

  if (self->quitting)
    return;
  self->quitting = TRUE;
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    if (l->data != closing)
      gtk_window_close (l->data);
  g_list_free (windows);
}

/**
 * saban_application_init_wall:
 *
 * The settings, app.detach, and wall mode following its setting.
 */
void
saban_application_init_wall (SabanApplication *self)
{
  const GActionEntry entries[] = {
    { "detach", detach_action, "s" },
  };

  self->settings = g_settings_new (SCHEMA_ID);
  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  g_signal_connect_object (self->settings, "changed::wall-mode", G_CALLBACK (apply_wall), self, G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self, "window-added", G_CALLBACK (on_window_added), self);
  g_signal_connect_swapped (self, "window-removed", G_CALLBACK (on_window_removed), self);
}
