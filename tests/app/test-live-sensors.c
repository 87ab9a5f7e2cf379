/* The real `saban` under Xvfb, in Vietnamese, against the real saban-server
 * (simulator) and a real mosquitto: a water-level gauge pushed above its
 * danger level must show red on the map, the others green. The screenshot
 * is kept in the build directory to look at (screenshot-live-sensors.png). */
#include <gtk/gtk.h>
#include <glib/gstdio.h>

#include "../server/server-fixture.h"

static gboolean
near (const guint8 *p, int r, int g, int b)
{
  return ABS (p[0] - r) < 20 && ABS (p[1] - g) < 20 && ABS (p[2] - b) < 20;
}

static void
test_live_sensors (void)
{
  g_autofree char *png = g_test_build_filename (G_TEST_BUILT, "screenshot-live-sensors.png", NULL);
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "live.db", NULL);
  g_autofree char *mqtt_arg = NULL, *broker_addr = NULL, *token = NULL, *url = NULL, *body = NULL;
  g_autoptr(GSubprocess) broker = NULL;
  g_autoptr(GSubprocess) saban = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint8 *pixels = NULL;
  /* A little ahead of the clock: the simulator's own readings for this gauge,
   * seeded up to now, must not be newer than the test's. */
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) ahead = g_date_time_add_minutes (now, 10);
  g_autofree char *now_text = g_date_time_format_iso8601 (ahead);
  TestServer *server;
  guint broker_port;
  int width, height, red = 0, green = 0;

  broker = test_mosquitto_start (&broker_port);
  if (broker == NULL)
    {
      g_test_skip ("mosquitto is not installed");
      return;
    }
  mqtt_arg = g_strdup_printf ("--mqtt=127.0.0.1:%u", broker_port);
  broker_addr = g_strdup_printf ("127.0.0.1:%u", broker_port);
  server = test_server_start (db, (const char *const[]) { "--rate-limit=0", mqtt_arg, NULL });
  token = test_login (server, "trucban");

  /* Datastream 1 is the Lào Cai gauge: far above any danger level, now */
  url = g_strconcat (server->base, "/v1.1/Observations", NULL);
  body = g_strdup_printf ("{\"result\":12.5,\"phenomenonTime\":\"%s\",\"Datastream\":{\"@iot.id\":1}}", now_text);
  {
    g_autoptr(Resp) r = test_http ("POST", url, token, "application/json", body, NULL);
    g_assert_cmpuint (r->status, ==, 201);
  }

  g_remove (png);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (launcher, "SABAN_SERVER_URL", server->base, TRUE);
  g_subprocess_launcher_setenv (launcher, "SABAN_MQTT_BROKER", broker_addr, TRUE);
  saban = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("SABAN_BIN"), "--screenshot", png, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (saban, NULL, &error);
  g_assert_no_error (error);

  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, width * 4);
  /* the sensor layer's colours (GDK_MEMORY_DEFAULT is BGRA premultiplied) */
  for (int y = 0; y < height; y++)
    for (int x = width / 5; x < width; x++)
      {
        const guint8 *p = pixels + (gsize) y * width * 4 + x * 4;
        guint8 rgb[3] = { p[2], p[1], p[0] };
        if (near (rgb, 217, 28, 28))
          red++;
        else if (near (rgb, 38, 158, 77))
          green++;
      }
  g_test_message ("danger pixels %d, normal pixels %d", red, green);
  g_assert_cmpint (red, >, 200);
  g_assert_cmpint (green, >, 1000);

  test_server_stop (server);
  test_server_free (server);
  g_subprocess_force_exit (broker);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/live-sensors", test_live_sensors);
  return g_test_run ();
}
