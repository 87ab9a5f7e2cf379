/* SabanConnection (core) against the real saban-server: it sees the server
 * answer, signs in with a demo account, and sees it go away. */
#include "server-fixture.h"
#include "saban-connection.h"

static gboolean
wait_for (SabanConnection *c, const char *property, gboolean want, int seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      gboolean value;

      g_object_get (c, property, &value, NULL);
      if (value == want)
        return TRUE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  return FALSE;
}

static void
test_connection (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "conn.db", NULL);
  TestServer *s = test_server_start (db, (const char *const[]) { "--rate-limit=0", NULL });
  g_autofree char *url = g_strconcat (s->base, "/", NULL);
  g_autoptr(SabanApi) api = saban_api_new (url);
  g_autoptr(SabanConnection) c = saban_connection_new (api, 1);

  g_assert_cmpstr (saban_connection_get_server_url (c), ==, s->base);
  g_assert_true (wait_for (c, "connected", TRUE, 20));
  g_assert_false (saban_connection_get_signed_in (c));
  saban_connection_set_account (c, "trucban", "wrong");
  g_assert_false (wait_for (c, "signed-in", TRUE, 2));
  saban_connection_set_account (c, "trucban", "saban-demo");
  g_assert_true (wait_for (c, "signed-in", TRUE, 20));
  g_assert_nonnull (saban_connection_get_token (c));
  /* the token goes with every request of the server's client */
  g_assert_cmpstr (saban_api_get_token (api), ==, saban_connection_get_token (c));

  test_server_stop (s);
  g_assert_true (wait_for (c, "connected", FALSE, 20));
  g_assert_false (saban_connection_get_signed_in (c));
  g_assert_null (saban_api_get_token (api));
  g_assert_nonnull (saban_connection_get_error (c));
  test_server_free (s);

  /* nothing listening, and not a URL at all */
  saban_connection_set_server_url (c, "http://127.0.0.1:1");
  g_assert_true (wait_for (c, "checked", TRUE, 10));
  g_assert_false (saban_connection_get_connected (c));
  saban_connection_set_server_url (c, "not a url");
  g_assert_false (saban_connection_get_connected (c));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/connection/landing-page-and-sign-in", test_connection);
  return g_test_run ();
}
