/* test-keyring.c: a real Secret Service for the credentials' tests.
 *
 * Every test program gets its own session bus (a dbus-daemon on a socket in
 * its temporary folder), not the one `dbus-run-session` gives the whole run:
 * test programs run in parallel, and two gnome-keyring-daemons cannot both
 * own org.freedesktop.secrets on one bus. The daemon keeps its keyrings
 * under a private HOME and XDG_DATA_HOME, never the tester's; the password
 * on its stdin makes and unlocks the "login" keyring, which is the default
 * collection. Both children die with the test (saban_child_launcher_new). */
#include "test-keyring.h"

#include <glib/gstdio.h>
#include <signal.h>

#include "saban-credentials.h"
#include "saban-local-server.h"
#include "server-fixture.h"

#define START_TIMEOUT_US (10 * G_USEC_PER_SEC)

struct _TestKeyring
{
  GSubprocess *bus;
  GSubprocess *daemon;
};

static char *
make_dir (const char *parent, const char *name)
{
  char *path = g_build_filename (parent, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  return path;
}

static GDBusConnection *
connect_bus (const char *address)
{
  gint64 end = g_get_monotonic_time () + START_TIMEOUT_US;

  while (g_get_monotonic_time () < end)
    {
      GDBusConnection *bus = g_dbus_connection_new_for_address_sync (
        address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
        NULL, NULL, NULL);

      if (bus != NULL)
        return bus;
      g_usleep (20 * 1000);
    }
  g_error ("The test's session bus did not start at %s", address);
}

static gboolean
name_has_owner (GDBusConnection *bus, const char *name)
{
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                           "org.freedesktop.DBus", "NameHasOwner",
                                                           g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                                           G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  gboolean owned = FALSE;

  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

static GSubprocess *
start_daemon (const char *dir)
{
  g_autoptr(GSubprocessLauncher) launcher = saban_child_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autofree char *home = make_dir (dir, "home");
  g_autofree char *data = make_dir (dir, "data");
  g_autofree char *runtime = make_dir (dir, "runtime");
  g_autoptr(GError) error = NULL;
  GSubprocess *daemon;
  GOutputStream *in;

  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
  daemon = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon", "--foreground",
                                        "--components=secrets", "--unlock", NULL);
  g_assert_no_error (error);
  /* the login keyring's password: read to the end of stdin */
  in = g_subprocess_get_stdin_pipe (daemon);
  g_output_stream_write_all (in, "test-keyring", 12, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (in, NULL, &error);
  g_assert_no_error (error);
  return daemon;
}

static char *
default_collection (GDBusConnection *bus)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                                           "org.freedesktop.Secret.Service", "ReadAlias",
                                                           g_variant_new ("(s)", "default"), G_VARIANT_TYPE ("(o)"),
                                                           G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  char *path = NULL;

  g_assert_no_error (error);
  g_variant_get (reply, "(o)", &path);
  return path;
}

/**
 * test_keyring_start:
 *
 * Starts the test's session bus and a Secret Service on it, and points this
 * process (and libsecret) at them. Call it first in main(): it sets
 * DBUS_SESSION_BUS_ADDRESS and SECRET_SERVICE_BUS_NAME, which is only safe
 * before any thread exists.
 *
 * Returns: (transfer full): the keyring, unlocked, with a default collection
 */
TestKeyring *
test_keyring_start (void)
{
  g_autoptr(GError) error = NULL;
  TestKeyring *k = g_new0 (TestKeyring, 1);
  g_autofree char *socket = NULL;
  g_autofree char *address = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *collection = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GSubprocessLauncher) launcher = saban_child_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *dir = test_tmpdir ();  /* removed at exit, with the keyrings */
  gint64 end;

  socket = g_build_filename (dir, "bus", NULL);
  address = g_strdup_printf ("unix:path=%s", socket);
  listen = g_strdup_printf ("--address=%s", address);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  /* tests/meson.build hides the Secret Service from the other tests */
  g_setenv ("SECRET_SERVICE_BUS_NAME", "org.freedesktop.secrets", TRUE);

  k->bus = g_subprocess_launcher_spawn (launcher, &error, "dbus-daemon", "--session", "--nofork", "--nopidfile",
                                        "--nosyslog", listen, NULL);
  g_assert_no_error (error);
  bus = connect_bus (address);

  k->daemon = start_daemon (dir);
  end = g_get_monotonic_time () + START_TIMEOUT_US;
  while (!name_has_owner (bus, "org.freedesktop.secrets"))
    {
      if (g_get_monotonic_time () > end || g_subprocess_get_identifier (k->daemon) == NULL)
        g_error ("gnome-keyring-daemon did not take org.freedesktop.secrets on the test's bus");
      g_usleep (20 * 1000);
    }
  collection = default_collection (bus);
  g_assert_cmpstr (collection, ==, "/org/freedesktop/secrets/collection/login");
  return k;
}

static void
stop (GSubprocess *proc)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
}

/**
 * test_keyring_stop:
 *
 * Stops the Secret Service and the test's bus.
 */
void
test_keyring_stop (TestKeyring *keyring)
{
  g_autoptr(GDBusConnection) shared = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  /* libsecret's connection to the bus: by default its closing ends the process */
  if (shared != NULL)
    g_dbus_connection_set_exit_on_close (shared, FALSE);
  stop (keyring->daemon);
  stop (keyring->bus);
  g_object_unref (keyring->daemon);
  g_object_unref (keyring->bus);
  g_free (keyring);
}

/**
 * test_keyring_wait_account:
 * @expected: (nullable): the password; NULL: none kept
 *
 * The account's calls do not wait: runs the main loop until the keyring
 * holds @expected for @account on @server.
 *
 * Returns: whether it did within @seconds
 */
gboolean
test_keyring_wait_account (const char *server, const char *account, const char *expected, guint seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      g_autofree char *kept = saban_credentials_lookup_account (server, account);

      if (g_strcmp0 (kept, expected) == 0)
        return TRUE;
      test_spin_ms (20);
    }
  return FALSE;
}
