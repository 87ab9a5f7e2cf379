/* SabanConnection (core) against the real saban-server: it sees the server
 * answer, signs in with a demo account, and sees it go away; the server's
 * token answer and /auth/me name the role; a wrong password or a locked
 * account is not tried again, a token refused (revoked) asks for a sign-in,
 * signing out ends the token on the server; a layer on a server that
 * answers 404 or cannot be reached is refused in the user's words. */
#include "server-fixture.h"
#include "saban-connection.h"
#include "saban-ogr-reader.h"

#include <string.h>

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

static gboolean
spin_until_done (gpointer data)
{
  return *(gboolean *) data;
}

static void
signed_out (GObject *source, GAsyncResult *result, gpointer data)
{
  gboolean *ended = data;

  ended[0] = TRUE;
  ended[1] = saban_connection_sign_out_finish (SABAN_CONNECTION (source), result, NULL);
}

static gboolean
is_locked_answer (Resp *r)
{
  return r->status == 403 && g_strcmp0 (json_object_get_string_member (resp_object (r), "code"), "account-locked") == 0;
}

/* the server's token answer and GET /auth/me say who and in what role */
static void
test_role_answers (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "role.db", NULL);
  TestServer *s = test_server_start (db, (const char *const[]) { "--rate-limit=0", NULL });
  g_autoptr(Resp) token = test_request (s, "POST", "/auth/token", NULL, "application/json",
                                        "{\"username\":\"lanhdao\",\"password\":\"saban-demo\"}", NULL);
  const char *bearer = json_object_get_string_member (resp_object (token), "access_token");
  g_autoptr(Resp) me = test_request (s, "GET", "/auth/me", bearer, NULL, NULL, NULL);
  g_autoptr(Resp) nobody = test_request (s, "GET", "/auth/me", NULL, NULL, NULL, NULL);

  g_assert_cmpuint (token->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (resp_object (token), "role"), ==, "leader");
  g_assert_cmpstr (json_object_get_string_member (resp_object (token), "username"), ==, "lanhdao");
  g_assert_cmpuint (me->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (resp_object (me), "username"), ==, "lanhdao");
  g_assert_cmpstr (json_object_get_string_member (resp_object (me), "role"), ==, "leader");
  g_assert_cmpstr (soup_message_headers_get_one (me->headers, "Cache-Control"), ==, "no-store");
  g_assert_cmpuint (nobody->status, ==, 401);
  test_server_free (s);
}

/* the connection knows the role; a wrong password is tried once only (a
 * retry every check would lock the account: lockout 4 here); a token the
 * server revokes asks for a sign-in; signing out ends the token there */
static void
test_identity (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "identity.db", NULL);
  TestServer *s = test_server_start (db, (const char *const[]) { "--rate-limit=0", "--login-lockout=4", NULL });
  g_autoptr(SabanApi) api = saban_api_new (s->base);
  g_autoptr(SabanConnection) c = saban_connection_new (api, 1);
  g_autofree char *admin = test_login (s, "quantri");
  g_autofree char *token = NULL;
  g_autofree char *why = NULL;
  gboolean ended[2] = { FALSE, FALSE };

  g_assert_true (wait_for (c, "connected", TRUE, 20));

  /* wrong: refused once, then the user is asked; no second try */
  saban_connection_set_account (c, "trucban", "wrong");
  g_assert_true (wait_for (c, "needs-sign-in", TRUE, 20));
  g_assert_false (saban_connection_get_signed_in (c));
  g_assert_null (saban_connection_get_role (c));
  why = saban_connection_describe_error (c);
  g_assert_nonnull (why);
  g_assert_false (wait_for (c, "signed-in", TRUE, 6));

  /* right: not locked, so it was not tried again meanwhile */
  saban_connection_set_account (c, "trucban", "saban-demo");
  g_assert_false (saban_connection_get_needs_sign_in (c));
  g_assert_true (wait_for (c, "signed-in", TRUE, 20));
  g_assert_cmpstr (saban_connection_get_role (c), ==, "operator");
  g_assert_cmpstr (saban_connection_get_user (c), ==, "trucban");
  g_assert_null (saban_connection_describe_error (c));

  /* the admin revokes its tokens: the next request's 401 asks again */
  {
    g_autoptr(Resp) r = test_request (s, "POST", "/auth/users/trucban/revoke", admin, NULL, NULL, NULL);
    g_assert_cmpuint (r->status, ==, 200);
  }
  saban_api_get_async (api, "/auth/me", "application/json", SABAN_API_READ, 0, NULL, NULL, NULL);
  g_assert_true (wait_for (c, "needs-sign-in", TRUE, 20));
  g_assert_false (saban_connection_get_signed_in (c));
  g_assert_null (saban_api_get_token (api));
  g_assert_false (wait_for (c, "signed-in", TRUE, 3));

  /* signed in again, then out: the token ends on the server too */
  saban_connection_set_account (c, "dieuphoi", "saban-demo");
  g_assert_true (wait_for (c, "signed-in", TRUE, 20));
  g_assert_cmpstr (saban_connection_get_role (c), ==, "coordinator");
  token = g_strdup (saban_connection_get_token (c));
  saban_connection_sign_out_async (c, NULL, signed_out, ended);
  g_assert_false (saban_connection_get_signed_in (c));
  g_assert_true (saban_connection_get_needs_sign_in (c));
  g_assert_null (saban_connection_get_role (c));
  g_assert_null (saban_connection_get_user (c));
  g_assert_true (test_wait_for (spin_until_done, ended, 20000));
  g_assert_true (ended[1]);
  {
    g_autoptr(Resp) r = test_request (s, "GET", "/auth/me", token, NULL, NULL, NULL);
    g_assert_cmpuint (r->status, ==, 401);
  }
  /* and no sign-in follows by itself */
  g_assert_false (wait_for (c, "signed-in", TRUE, 3));
  test_server_free (s);
}

/* the connection's own check is the first request to meet a revoked
 * token: the user is asked, and no later check signs in again with the
 * password it kept (the check used to take the 401 for a lost server and
 * drop the token first, so the refusal named a token no longer in use) */
static void
test_revoked_seen_by_check (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "revoked.db", NULL);
  TestServer *s = test_server_start (db, (const char *const[]) { "--rate-limit=0", NULL });
  g_autoptr(SabanApi) api = saban_api_new (s->base);
  g_autoptr(SabanConnection) c = saban_connection_new (api, 0);
  g_autofree char *admin = test_login (s, "quantri");

  g_assert_true (wait_for (c, "connected", TRUE, 20));
  saban_connection_set_account (c, "trucban", "saban-demo");
  g_assert_true (wait_for (c, "signed-in", TRUE, 20));
  {
    g_autoptr(Resp) r = test_request (s, "POST", "/auth/users/trucban/revoke", admin, NULL, NULL, NULL);
    g_assert_cmpuint (r->status, ==, 200);
  }
  saban_connection_check_now (c);
  g_assert_true (wait_for (c, "needs-sign-in", TRUE, 20));
  g_assert_false (saban_connection_get_signed_in (c));
  g_assert_null (saban_api_get_token (api));
  for (guint i = 0; i < 3; i++)
    {
      saban_connection_check_now (c);
      g_assert_false (wait_for (c, "signed-in", TRUE, 1));
    }
  g_assert_true (saban_connection_get_connected (c));
  g_assert_true (saban_connection_get_needs_sign_in (c));
  test_server_free (s);
}

/* a locked account: the server's 403 account-locked is said, not retried */
static void
test_locked (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "locked.db", NULL);
  TestServer *s = test_server_start (db, (const char *const[]) { "--rate-limit=0", "--login-lockout=4", NULL });
  g_autoptr(SabanApi) api = saban_api_new (s->base);
  g_autoptr(SabanConnection) c = saban_connection_new (api, 1);
  g_autoptr(GError) locked = g_error_new_literal (SABAN_API_ERROR, SABAN_API_ERROR_ACCOUNT_LOCKED, "");
  g_autofree char *want = saban_api_describe_error (locked);
  g_autofree char *why = NULL;
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  /* wrong passwords until the server locks the account (it asks to wait
   * between them after three) */
  for (;;)
    {
      g_autoptr(Resp) r = test_request (s, "POST", "/auth/token", NULL, "application/json",
                                        "{\"username\":\"quyhoach\",\"password\":\"wrong\"}", NULL);

      if (is_locked_answer (r))
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      if (r->status == 429)
        test_spin_ms (200);
    }
  g_assert_true (wait_for (c, "connected", TRUE, 20));
  saban_connection_set_account (c, "quyhoach", "saban-demo");
  g_assert_true (wait_for (c, "needs-sign-in", TRUE, 20));
  why = saban_connection_describe_error (c);
  g_assert_cmpstr (why, ==, want);
  g_assert_false (wait_for (c, "signed-in", TRUE, 3));
  test_server_free (s);
}

/* a layer read from a server: its HTTP trouble is said in the user's words,
 * never GDAL's "HTTP error code : 404" or the server's English body */
static void
test_layer_errors (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "layers.db", NULL);
  TestServer *s = test_server_start (db, (const char *const[]) { "--rate-limit=0", NULL });
  g_autofree char *missing = g_strdup_printf ("OAPIF:%s/no-such-service", s->base);
  const char *closed = "OAPIF:http://127.0.0.1:1/";
  struct { const char *source; const char *want; } cases[] = {
    { missing, "the server has nothing at this address" },
    { closed, "the server cannot be reached" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) layers = saban_ogr_read (cases[i].source, NULL, NULL, NULL, NULL, &error);

      g_assert_null (layers);
      g_assert_nonnull (error);
      g_test_message ("%s: %s", cases[i].source, error->message);
      g_assert_nonnull (strstr (error->message, cases[i].want));
      g_assert_null (strstr (error->message, "HTTP"));
      g_assert_null (strstr (error->message, "Couldn't"));
    }
  test_server_free (s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/connection/landing-page-and-sign-in", test_connection);
  g_test_add_func ("/connection/role-answers", test_role_answers);
  g_test_add_func ("/connection/identity", test_identity);
  g_test_add_func ("/connection/revoked-seen-by-check", test_revoked_seen_by_check);
  g_test_add_func ("/connection/locked", test_locked);
  g_test_add_func ("/connection/layer-errors", test_layer_errors);
  return g_test_run ();
}
