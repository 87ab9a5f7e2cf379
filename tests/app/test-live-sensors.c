/* The real `saban` under Xvfb, in Vietnamese, against the real saban-server
 * (simulator) and a real mosquitto: a water-level gauge pushed above its
 * danger level must show red on the map, the others green. The screenshot
 * is kept in the build directory to look at (screenshot-live-sensors.png). */
#include "app-test.h"

static void
test_live_sensors (void)
{
  g_autofree char *token = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  AppTestBackend *backend;
  GdkRectangle map;
  guint red, green;

  backend = app_test_backend_start ("live.db");
  if (backend == NULL)
    {
      g_test_skip ("mosquitto is not installed");
      return;
    }
  token = test_login (backend->server, "trucban");

  /* the Lào Cai gauge: far above any danger level, now */
  app_test_push_gauge (backend->server, token, 12.5);

  texture = app_test_run_screenshot ("screenshot-live-sensors.png", backend);
  /* the sensor layer's colours, right of the sidebar */
  map.x = gdk_texture_get_width (texture) / 5;
  map.y = 0;
  map.width = gdk_texture_get_width (texture) - map.x;
  map.height = gdk_texture_get_height (texture);
  red = app_test_count_colour (texture, &map, 217, 28, 28, 20);
  green = app_test_count_colour (texture, &map, 38, 158, 77, 20);
  g_test_message ("danger pixels %u, normal pixels %u", red, green);
  g_assert_cmpuint (red, >, 200);
  g_assert_cmpuint (green, >, 1000);

  app_test_backend_free (backend);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/live-sensors", test_live_sensors);
  return g_test_run ();
}
