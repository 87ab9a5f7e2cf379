/* Issue 15: every frequent action has a key, and the shortcuts window says
 * them all, in Vietnamese: each entry of resources/gtk/help-overlay.ui has
 * keys (its own, or its action's, which the application sets), the main
 * window's actions have keys, and the keys the issue names (Ctrl+Home,
 * Ctrl+K, F11) are those of the right actions. */
#include <adwaita.h>
#include <glib/gi18n.h>

#include "app-test.h"
#include "saban-application.h"
#include "saban-window.h"

static gboolean
has_non_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return TRUE;
  return FALSE;
}

static void
assert_key (GtkApplication *app, const char *accel, const char *action)
{
  g_auto(GStrv) actions = gtk_application_get_actions_for_accel (app, accel);

  g_assert_nonnull (actions);
  g_assert_true (g_strv_contains ((const char *const *) actions, action));
}

static void
test_shortcuts (void)
{
  g_autoptr(SabanApplication) app = saban_application_new ();
  g_autoptr(GPtrArray) shortcuts = g_ptr_array_new ();
  const char *must[] = { "win.open", "win.find", "win.palette", "win.zoom-home", "win.zoom-in", "win.zoom-out",
                         "win.go-to", "win.launch-scenario", "win.wall-mode", "app.scenarios", "app.preferences",
                         "win.toggle-sidebar", "win.show-help-overlay", "app.quit" };
  GtkShortcutsWindow *overlay;
  SabanWindow *window;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  window = saban_window_new (GTK_APPLICATION (app), saban_application_get_session (app));
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (overlay)), ==, "Phím tắt");

  app_test_collect (GTK_WIDGET (overlay), GTK_TYPE_SHORTCUTS_SHORTCUT, NULL, shortcuts);
  g_assert_cmpuint (shortcuts->len, >=, 20);
  for (guint i = 0; i < shortcuts->len; i++)
    {
      g_autofree char *title = NULL, *accelerator = NULL, *action = NULL;
      g_auto(GStrv) accels = NULL;

      g_object_get (g_ptr_array_index (shortcuts, i), "title", &title, "accelerator", &accelerator, "action-name",
                    &action, NULL);
      if (action != NULL)
        accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);
      g_test_message ("%s: %s", title, action != NULL ? action : accelerator);
      g_assert_true (has_non_ascii (title));
      g_assert_true ((accelerator != NULL && *accelerator != '\0') || (accels != NULL && accels[0] != NULL));
    }

  /* every frequent action has a key */
  for (guint i = 0; i < G_N_ELEMENTS (must); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), must[i]);

      g_test_message ("%s: %s", must[i], accels && accels[0] ? accels[0] : "none");
      g_assert_true (accels != NULL && accels[0] != NULL);
    }
  assert_key (GTK_APPLICATION (app), "<Control>Home", "win.zoom-home");
  assert_key (GTK_APPLICATION (app), "<Control>k", "win.palette");
  assert_key (GTK_APPLICATION (app), "F11", "win.wall-mode");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  app_test_init (&argc, &argv);
  g_test_add_func ("/app/keys/shortcuts", test_shortcuts);
  return g_test_run ();
}
