/* The fixture's own teardown: every directory test_tmpdir() made (the
 * broker's accounts, a test's database) is gone once the test program has
 * exited — in the sanitizer build too, where the `rm -rf` the fixture used
 * to spawn at exit died in the forked child, in libproj's pthread_atfork
 * handler (an ASan SEGV in __run_postfork_handlers), and left them in /tmp.
 * A program that uses the fixture as the others do — a server, a broker,
 * PROJ in the process — runs as a subprocess whose TMPDIR is a folder of this
 * test's; once it has exited, that folder must be empty. */
#include "saban-files.h"
#include "saban-transform.h"
#include "server-fixture.h"

/* in the subprocess: what a server test leaves for the fixture to remove */
static void
use_the_fixture (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *nested = g_build_filename (dir, "a", "b", NULL);
  g_autofree char *db = g_build_filename (dir, "fixture.db", NULL);
  g_autoptr(SabanTransform) to_vn2000 = saban_transform_new_epsg (SABAN_EPSG_WGS84, SABAN_EPSG_VN2000_TM3_10445,
                                                                  &error);
  double xy[2] = { 103.97, 22.48 };
  guint port;
  GSubprocess *broker = test_mosquitto_start (&port);
  TestServer *server;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (dir, g_getenv ("TMPDIR")));
  g_assert_cmpint (g_mkdir_with_parents (nested, 0700), ==, 0);
  /* PROJ used in the process, as a test that checks coordinates does */
  g_assert_true (saban_transform_points (to_vn2000, xy, 1));
  server = test_server_start (db, NULL);
  test_server_free (server);
  if (broker != NULL)
    test_mosquitto_kill (&broker);
}

static void
test_tmpdirs_removed (void)
{
  g_autofree char *tmp = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(GDir) left = NULL;
  const char *name;

  if (g_test_subprocess ())
    {
      use_the_fixture ();
      return;
    }
  tmp = g_dir_make_tmp ("saban-fixture-XXXXXX", NULL);
  g_assert_nonnull (tmp);
  saved = g_strdup (g_getenv ("TMPDIR"));
  g_setenv ("TMPDIR", tmp, TRUE);
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (saved != NULL)
    g_setenv ("TMPDIR", saved, TRUE);
  else
    g_unsetenv ("TMPDIR");
  g_test_trap_assert_passed ();

  left = g_dir_open (tmp, 0, NULL);
  g_assert_nonnull (left);
  name = g_dir_read_name (left);
  if (name != NULL)
    g_test_message ("left behind: %s/%s", tmp, name);
  g_assert_null (name);
  g_clear_pointer (&left, g_dir_close);
  g_assert_true (saban_remove_tree (tmp, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fixture/tmpdirs-removed", test_tmpdirs_removed);
  return g_test_run ();
}
