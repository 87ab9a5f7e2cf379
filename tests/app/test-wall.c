/* Issue 15's wall mode and panels in their own windows, in the real
 * application on the demo province: the arrangement this workstation saved
 * (the map and the alarms in windows of their own, at their sizes) is
 * opened again at start; wall mode turns libadwaita's dark scheme on, large
 * type on every window and the dark styles on every map (the map's land
 * is dark, its pixels say so), and off again; the arrangement follows the
 * user — a panel closed leaves it, the board detached joins it. */
#include <adwaita.h>
#include <glib/gi18n.h>

#include "app-test.h"
#include "saban-alarm-centre.h"
#include "saban-application.h"
#include "saban-map-panel.h"
#include "saban-panel-window.h"
#include "saban-status-bar.h"
#include "saban-window.h"

static SabanPanelWindow *
find_panel (const char *panel)
{
  for (GList *l = gtk_window_list_toplevels (); l != NULL; l = g_list_delete_link (l, l))
    if (SABAN_IS_PANEL_WINDOW (l->data) && g_str_equal (saban_panel_window_get_panel (l->data), panel))
      {
        SabanPanelWindow *found = l->data;

        g_list_free (l);
        return found;
      }
  return NULL;
}

/* the mean brightness (0–255) of the middle of @widget's picture */
static double
mean_luma (GtkWidget *widget, const char *png)
{
  g_autoptr(GdkTexture) texture = app_test_render (widget, png);
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  g_autofree guint8 *pixels = g_malloc ((gsize) width * height * 4);
  double sum = 0;
  guint n = 0;

  gdk_texture_download (texture, pixels, width * 4);
  for (int y = height / 4; y < height * 3 / 4; y += 3)
    for (int x = width / 4; x < width * 3 / 4; x += 3)
      {
        const guint8 *p = pixels + 4 * ((gsize) y * width + x);

        sum += 0.2126 * p[2] + 0.7152 * p[1] + 0.0722 * p[0];
        n++;
      }
  return sum / n;
}

static guint
n_saved (GSettings *settings, const char *panel)
{
  g_autoptr(GVariant) saved = g_settings_get_value (settings, "wall-panels");
  GVariantIter iter;
  const char *p;
  guint n = 0;

  g_variant_iter_init (&iter, saved);
  while (g_variant_iter_next (&iter, "(&ssiib)", &p, NULL, NULL, NULL, NULL))
    n += g_str_equal (p, panel);
  return n;
}

static void
test_wall (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.saban");
  g_autoptr(SabanApplication) app = saban_application_new ();
  AdwStyleManager *style = adw_style_manager_get_default ();
  SabanPanelWindow *map, *alarms;
  SabanMapView *wall_map;
  SabanWindow *window;
  int width, height;
  double light, dark;

  /* what this workstation left: the map and the alarms on their own, and a
   * panel name no build knows (left out) */
  g_settings_set_value (settings, "wall-panels",
                        g_variant_new_parsed ("[('map', '', 900, 640, false), ('alarms', '', 760, 700, false), "
                                              "('no-such-panel', '', 300, 300, false)]"));
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_activate (G_APPLICATION (app));
  window = SABAN_WINDOW (app_test_find_toplevel (SABAN_TYPE_WINDOW));
  g_assert_nonnull (window);
  TEST_WAIT_UNTIL (!saban_window_get_loading (window), 60);

  map = find_panel ("map");
  alarms = find_panel ("alarms");
  g_assert_nonnull (map);
  g_assert_nonnull (alarms);
  g_assert_true (SABAN_IS_MAP_PANEL (saban_panel_window_get_child (map)));
  g_assert_true (SABAN_IS_ALARM_CENTRE (saban_panel_window_get_child (alarms)));
  gtk_window_get_default_size (GTK_WINDOW (map), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);
  gtk_window_get_default_size (GTK_WINDOW (alarms), &width, &height);
  g_assert_cmpint (width, ==, 760);
  wall_map = saban_map_panel_get_map_view (SABAN_MAP_PANEL (saban_panel_window_get_child (map)));
  TEST_WAIT_UNTIL (!saban_map_view_get_busy (wall_map), 60);
  g_assert_false (adw_style_manager_get_dark (style));
  light = mean_luma (GTK_WIDGET (wall_map), "wall-map-light.png");

  /* wall mode: dark, large type, dark maps */
  g_action_group_activate_action (G_ACTION_GROUP (window), "wall-mode", NULL);
  g_assert_true (g_settings_get_boolean (settings, "wall-mode"));
  g_assert_true (adw_style_manager_get_dark (style));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), "wall"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (map), "wall"));
  g_assert_true (saban_map_view_get_dark (saban_window_get_map_view (window)));
  g_assert_true (saban_map_view_get_dark (wall_map));
  test_spin_ms (200);
  TEST_WAIT_UNTIL (!saban_map_view_get_busy (wall_map), 60);
  dark = mean_luma (GTK_WIDGET (wall_map), "wall-map-dark.png");
  g_test_message ("map brightness: %.0f light, %.0f dark", light, dark);
  g_assert_cmpfloat (dark, <, light * 0.6);
  g_assert_cmpfloat (dark, <, 90);
  /* large type still fits a 1366 px screen: nothing clipped in full screen */
  {
    SabanStatusBar *bar = app_test_find (GTK_WIDGET (window), SABAN_TYPE_STATUS_BAR, NULL);
    int min, header, status;

    /* the status bar at its widest: the pointer over the map, on a summit */
    saban_status_bar_set_pointer (bar, 22.3364, 103.8438);
    saban_status_bar_set_elevation (bar, 3143.2);
    gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
    gtk_widget_measure (app_test_find (GTK_WIDGET (window), ADW_TYPE_HEADER_BAR, NULL), GTK_ORIENTATION_HORIZONTAL,
                        -1, &header, NULL, NULL, NULL);
    gtk_widget_measure (GTK_WIDGET (bar), GTK_ORIENTATION_HORIZONTAL, -1, &status, NULL, NULL, NULL);
    g_test_message ("wall mode's narrowest: window %d, header %d, status bar %d px", min, header, status);
    g_assert_cmpint (min, <=, 1366);
    g_assert_true (app_test_shows_label_containing (GTK_WIDGET (bar), "22,33640° B"));
    g_assert_false (app_test_shows_label_containing (GTK_WIDGET (bar), "22°20′"));
  }

  g_action_group_activate_action (G_ACTION_GROUP (window), "wall-mode", NULL);
  g_assert_false (adw_style_manager_get_dark (style));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "wall"));
  g_assert_false (saban_map_view_get_dark (wall_map));
  g_assert_true (app_test_shows_label_containing (app_test_find (GTK_WIDGET (window), SABAN_TYPE_STATUS_BAR, NULL),
                                                  "22°20′"));

  /* the user closes the alarms: they leave the arrangement; the leaders'
   * desk (a window of its own, not a panel) joins it */
  g_assert_cmpuint (n_saved (settings, "alarms"), ==, 1);
  gtk_window_close (GTK_WINDOW (alarms));
  TEST_WAIT_UNTIL (n_saved (settings, "alarms") == 0, 10);
  g_action_group_activate_action (G_ACTION_GROUP (app), "detach", g_variant_new_string ("desk"));
  TEST_WAIT_UNTIL (n_saved (settings, "desk") == 1, 10);
  g_assert_cmpuint (n_saved (settings, "map"), ==, 1);
  g_assert_cmpuint (n_saved (settings, "no-such-panel"), ==, 0);

  /* quitting keeps the panels where they are for the next start */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  test_spin_ms (300);
  g_assert_cmpuint (n_saved (settings, "map"), ==, 1);
}

int
main (int argc, char *argv[])
{
  app_test_init (&argc, &argv);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/app/wall", test_wall);
  return g_test_run ();
}
