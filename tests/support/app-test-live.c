/* app-test-live.c: what the application's tests set up around it: its
 * process (translations, GTK, libadwaita, fresh XDG homes), and the real
 * mosquitto and saban-server it talks to. */
#include "app-test.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

/**
 * app_test_init:
 *
 * What an application test's main() does first: a fresh XDG data, config
 * and cache home, never the tester's own (the outbox, the workspace and the
 * cache live there, and GLib reads these once: set before anything asks);
 * the translations from the build; GTK and libadwaita.
 */
void
app_test_init (int *argc, char ***argv)
{
  g_autofree char *data_home = test_tmpdir ();
  g_autofree char *config_home = test_tmpdir ();
  g_autofree char *cache_home = test_tmpdir ();

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SABAN_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_test_init (argc, argv, NULL);
  adw_init ();
}

/**
 * app_test_backend_start:
 * @db_name: the server's database file, in a fresh directory
 *
 * A mosquitto on a free port, and saban-server --demo (no rate limit)
 * publishing to it.
 *
 * Returns: (nullable): the backend, or NULL when mosquitto is not installed
 */
AppTestBackend *
app_test_backend_start (const char *db_name)
{
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  AppTestBackend *b = g_new0 (AppTestBackend, 1);

  b->broker = test_mosquitto_start (&b->broker_port);
  if (b->broker == NULL)
    {
      g_free (b);
      return NULL;
    }
  b->broker_addr = g_strdup_printf ("127.0.0.1:%u", b->broker_port);
  b->mqtt_arg = g_strdup_printf ("--mqtt=%s", b->broker_addr);
  b->server_args[0] = "--rate-limit=0";
  b->server_args[1] = b->mqtt_arg;
  dir = test_tmpdir ();
  db = g_build_filename (dir, db_name, NULL);
  b->server = test_server_start (db, b->server_args);
  return b;
}

/**
 * app_test_backend_setenv:
 * @sign_in: whether the application signs in, with the demo password
 * @account: (nullable): as whom; NULL: the account setting
 *
 * The environment the application reads its server and broker from, as the
 * README's run command sets it.
 */
void
app_test_backend_setenv (AppTestBackend *backend, gboolean sign_in, const char *account)
{
  g_setenv ("SABAN_SERVER_URL", backend->server->base, TRUE);
  g_setenv ("SABAN_MQTT_BROKER", backend->broker_addr, TRUE);
  g_setenv ("SABAN_MQTT_USER", TEST_MQTT_CLIENT_USER, TRUE);
  g_setenv ("SABAN_MQTT_PASSWORD", TEST_MQTT_CLIENT_PASSWORD, TRUE);
  if (sign_in)
    g_setenv ("SABAN_PASSWORD", "saban-demo", TRUE);
  if (account != NULL)
    g_setenv ("SABAN_ACCOUNT", account, TRUE);
}

/**
 * app_test_push_gauge:
 *
 * Datastream 1, the Lào Cai gauge, reads @metres: a little ahead of the
 * clock, so that the simulator's own readings, seeded up to now, are not
 * newer than the test's (and within the 5 minutes ahead the server takes).
 */
void
app_test_push_gauge (TestServer *server, const char *token, double metres)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) ahead = g_date_time_add_minutes (now, 4);
  g_autofree char *when = g_date_time_format_iso8601 (ahead);

  test_observation_post (server, token, 1, metres, when);
}

/* Stops the server (which must exit cleanly, unless it was killed) and the broker. */
void
app_test_backend_free (AppTestBackend *backend)
{
  test_server_free (backend->server);
  g_subprocess_force_exit (backend->broker);
  g_object_unref (backend->broker);
  g_free (backend->broker_addr);
  g_free (backend->mqtt_arg);
  g_free (backend);
}

/**
 * app_test_run_screenshot:
 * @png: a file name in the build directory
 * @backend: (nullable): the backend the application talks to
 *
 * Runs the real application (SABAN_BIN) with --screenshot to its end, and
 * reads the picture it left in @png.
 *
 * Returns: (transfer full): the picture
 */
GdkTexture *
app_test_run_screenshot (const char *png, AppTestBackend *backend)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, png, NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) saban = NULL;
  g_autoptr(GError) error = NULL;
  GdkTexture *texture;

  g_remove (path);
  if (backend != NULL)
    {
      g_subprocess_launcher_setenv (launcher, "SABAN_SERVER_URL", backend->server->base, TRUE);
      g_subprocess_launcher_setenv (launcher, "SABAN_MQTT_BROKER", backend->broker_addr, TRUE);
    }
  saban = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("SABAN_BIN"), "--screenshot", path, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (saban, NULL, &error);
  g_assert_no_error (error);
  texture = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_test_message ("screenshot: %s", path);
  return texture;
}
