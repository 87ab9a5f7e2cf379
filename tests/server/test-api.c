/* SabanApi, the one HTTP client of a server, against a real HTTP server on
 * loopback (libsoup's, in this process, so each answer can be chosen): the
 * bearer token and where it may go, retries with backoff, the probe's
 * deadline, bounds, HTTP and transport errors as codes and as Vietnamese
 * sentences, TLS verified against the system or a configured authority,
 * and a worker thread sending through the same session as the main loop. */
#include <glib/gi18n.h>
#include <locale.h>

#include "saban-api.h"
#include "server-fixture.h"

typedef struct
{
  SoupServer *server;
  char       *base;
  guint       requests;       /* how many reached /flaky */
  guint       failures;       /* how many /flaky answers 503 first */
  char       *authorization;  /* of the last request */
  GPtrArray  *held;           /* messages never answered */
} Fixture;

static void
handle (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  Fixture *f = data;
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  guint status = 200;
  const char *body = "{\"links\":[]}";

  g_free (f->authorization);
  f->authorization = g_strdup (auth);
  if (g_str_equal (path, "/flaky") && f->requests++ < f->failures)
    status = 503;
  else if (g_str_has_prefix (path, "/busy-for/") && f->requests++ < f->failures)
    {
      /* busy, and says for how long */
      status = 429;
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                    path + strlen ("/busy-for/"));
    }
  else if (g_str_has_prefix (path, "/status/"))
    status = (guint) g_ascii_strtoull (path + strlen ("/status/"), NULL, 10);
  else if (g_str_equal (path, "/large"))
    body = "{\"padding\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}";
  else if (g_str_equal (path, "/silent"))
    {
      /* never answered: the probe's deadline must end it */
      soup_server_message_pause (msg);
      g_ptr_array_add (f->held, g_object_ref (msg));
      return;
    }
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  guint port = test_free_port ();

  f->held = g_ptr_array_new_with_free_func (g_object_unref);
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, handle, f, NULL);
  g_assert_true (soup_server_listen_local (f->server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  f->base = g_strdup_printf ("http://127.0.0.1:%u", port);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_ptr_array_unref (f->held);
  soup_server_disconnect (f->server);
  g_object_unref (f->server);
  g_free (f->base);
  g_free (f->authorization);
}

typedef struct
{
  gboolean  done;
  GBytes   *bytes;
  GError   *error;
} Result;

static void
got (GObject *source, GAsyncResult *result, gpointer data)
{
  Result *r = data;

  r->bytes = saban_api_get_finish (SABAN_API (source), result, NULL, &r->error);
  r->done = TRUE;
}

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->bytes, g_bytes_unref);
  g_clear_error (&r->error);
  r->done = FALSE;
}

static void
get (SabanApi *api, const char *path, SabanApiFlags flags, gsize max_body, Result *r)
{
  result_clear (r);
  saban_api_get_async (api, path, "application/json", flags, max_body, NULL, got, r);
  TEST_WAIT_UNTIL (r->done, 30);
}

/* the token goes to this server only, and not with anonymous reads */
static void
test_bearer (Fixture *f, gconstpointer data)
{
  g_autoptr(SabanApi) api = saban_api_new (f->base);
  g_autofree char *other = g_strdup_printf ("http://localhost:%u/", test_free_port ());
  g_autofree char *sibling = g_strconcat (f->base, "0/x", NULL);
  Result r = { 0 };

  get (api, "/", SABAN_API_READ, 0, &r);
  g_assert_no_error (r.error);
  g_assert_null (f->authorization);

  saban_api_set_token (api, "t0k3n");
  get (api, "/", SABAN_API_READ, 0, &r);
  g_assert_no_error (r.error);
  g_assert_cmpstr (f->authorization, ==, "Bearer t0k3n");
  g_clear_pointer (&f->authorization, g_free);
  get (api, "/", SABAN_API_READ | SABAN_API_ANONYMOUS, 0, &r);
  g_assert_no_error (r.error);
  g_assert_null (f->authorization);

  /* a link off the server (another host, or a port that only starts like
   * ours) is never followed: the token would go with it */
  g_assert_false (saban_api_owns_url (api, other));
  g_assert_false (saban_api_owns_url (api, sibling));
  get (api, other, SABAN_API_READ, 0, &r);
  g_assert_error (r.error, SABAN_API_ERROR, SABAN_API_ERROR_INVALID_URL);
  result_clear (&r);
}

/* a read tries again while the server is busy; a probe does not */
static void
test_retry (Fixture *f, gconstpointer data)
{
  g_autoptr(SabanApi) api = saban_api_new (f->base);
  gint64 start;
  Result r = { 0 };

  f->failures = 2;
  start = g_get_monotonic_time ();
  get (api, "/flaky", SABAN_API_READ, 0, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (f->requests, ==, 3);
  /* backoff: 0.5 s, then 1 s */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1500 * 1000);

  f->requests = 0;
  f->failures = 5;
  saban_api_set_retry_delay (api, 10);
  get (api, "/flaky", SABAN_API_READ, 0, &r);
  g_assert_error (r.error, SABAN_API_ERROR, SABAN_API_ERROR_BUSY);
  g_assert_cmpuint (f->requests, ==, 3);

  f->requests = 0;
  get (api, "/flaky", SABAN_API_PROBE, 0, &r);
  g_assert_error (r.error, SABAN_API_ERROR, SABAN_API_ERROR_BUSY);
  g_assert_cmpuint (f->requests, ==, 1);
  result_clear (&r);
}

/* a busy server's Retry-After is waited for, not the backoff; a wait
 * longer than a read should take is left to the caller */
static void
test_retry_after (Fixture *f, gconstpointer data)
{
  g_autoptr(SabanApi) api = saban_api_new (f->base);
  gint64 start = g_get_monotonic_time ();
  Result r = { 0 };

  saban_api_set_retry_delay (api, 10);
  f->failures = 1;
  get (api, "/busy-for/1", SABAN_API_READ, 0, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (f->requests, ==, 2);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 950 * 1000);
  result_clear (&r);

  f->requests = 0;
  start = g_get_monotonic_time ();
  get (api, "/busy-for/120", SABAN_API_READ, 0, &r);
  g_assert_error (r.error, SABAN_API_ERROR, SABAN_API_ERROR_BUSY);
  g_assert_cmpuint (f->requests, ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
  result_clear (&r);
}

static void
on_token_refused (SabanApi *api, const char *token, gpointer data)
{
  g_ptr_array_add (data, g_strdup (token));
}

/* a 401 to a request that carried a token says which token, on the main
 * context; one without a token says nothing */
static void
test_token_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(SabanApi) api = saban_api_new (f->base);
  g_autoptr(GPtrArray) refused = g_ptr_array_new_with_free_func (g_free);
  Result r = { 0 };

  g_signal_connect (api, "token-refused", G_CALLBACK (on_token_refused), refused);
  get (api, "/status/401", SABAN_API_PROBE, 0, &r);
  g_assert_error (r.error, SABAN_API_ERROR, SABAN_API_ERROR_UNAUTHORIZED);
  result_clear (&r);
  test_spin_ms (100);
  g_assert_cmpuint (refused->len, ==, 0);

  saban_api_set_token (api, "old-token");
  get (api, "/status/401", SABAN_API_PROBE, 0, &r);
  result_clear (&r);
  TEST_WAIT_UNTIL (refused->len == 1, 10);
  g_assert_cmpstr (g_ptr_array_index (refused, 0), ==, "old-token");
}

/* every HTTP answer but 2xx is an error with its code; a dead server is
 * unreachable; an answer over the bound is refused */
static void
test_errors (Fixture *f, gconstpointer data)
{
  g_autoptr(SabanApi) api = saban_api_new (f->base);
  g_autofree char *dead_url = g_strdup_printf ("http://127.0.0.1:%u", test_free_port ());
  g_autoptr(SabanApi) dead = saban_api_new (dead_url);
  const struct { const char *path; SabanApiError code; } cases[] = {
    { "/status/401", SABAN_API_ERROR_UNAUTHORIZED }, { "/status/403", SABAN_API_ERROR_FORBIDDEN },
    { "/status/404", SABAN_API_ERROR_NOT_FOUND }, { "/status/409", SABAN_API_ERROR_REFUSED },
    { "/status/429", SABAN_API_ERROR_BUSY }, { "/status/500", SABAN_API_ERROR_SERVER },
  };
  Result r = { 0 };

  saban_api_set_retry_delay (api, 10);
  saban_api_set_retry_delay (dead, 10);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      get (api, cases[i].path, SABAN_API_READ, 0, &r);
      g_assert_error (r.error, SABAN_API_ERROR, (int) cases[i].code);
      /* the raw detail, for the log */
      g_assert_nonnull (strstr (r.error->message, cases[i].path));
    }
  get (dead, "/", SABAN_API_READ, 0, &r);
  g_assert_error (r.error, SABAN_API_ERROR, SABAN_API_ERROR_UNREACHABLE);
  get (api, "/large", SABAN_API_READ, 64, &r);
  g_assert_error (r.error, SABAN_API_ERROR, SABAN_API_ERROR_TOO_LARGE);
  get (api, "/large", SABAN_API_READ, 4096, &r);
  g_assert_no_error (r.error);
  result_clear (&r);
}

/* a probe of a server that never answers gives up after 5 s */
static void
test_probe_deadline (Fixture *f, gconstpointer data)
{
  g_autoptr(SabanApi) api = saban_api_new (f->base);
  gint64 start = g_get_monotonic_time ();
  Result r = { 0 };

  get (api, "/silent", SABAN_API_PROBE, 0, &r);
  g_assert_error (r.error, SABAN_API_ERROR, SABAN_API_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 4900 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 15 * G_USEC_PER_SEC);
  result_clear (&r);
}

/* the user reads what to do, in Vietnamese, for each kind of failure */
static void
test_describe (void)
{
  const struct { SabanApiError code; const char *part; } cases[] = {
    { SABAN_API_ERROR_UNREACHABLE, "Không kết nối được" }, { SABAN_API_ERROR_TIMEOUT, "không trả lời kịp" },
    { SABAN_API_ERROR_TLS, "chứng thư" }, { SABAN_API_ERROR_UNAUTHORIZED, "đăng nhập lại" },
    { SABAN_API_ERROR_FORBIDDEN, "không được phép" }, { SABAN_API_ERROR_BUSY, "đang bận" },
  };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (SABAN_API_ERROR, cases[i].code, "raw detail");
      g_autofree char *text = saban_api_describe_error (error);

      g_test_message ("%s", text);
      g_assert_nonnull (strstr (text, cases[i].part));
      g_assert_null (strstr (text, "raw detail"));
      g_assert_true (g_hash_table_add (seen, g_steal_pointer (&text)));
    }
}

typedef struct
{
  SabanApi *api;
  GBytes   *bytes;
  guint     status;
} Worker;

static gpointer
send_from_worker (gpointer data)
{
  Worker *w = data;
  g_autoptr(SoupMessage) msg = saban_api_new_message (w->api, "POST", "/status/201", NULL);

  w->bytes = saban_api_send (w->api, msg, 0, NULL, NULL);
  w->status = soup_message_get_status (msg);
  return NULL;
}

/* the outbox's worker sends through the same session as the main loop */
static void
test_threads (Fixture *f, gconstpointer data)
{
  g_autoptr(SabanApi) api = saban_api_new (f->base);
  Worker w = { api, NULL, 0 };
  Result r = { 0 };
  GThread *thread;

  saban_api_set_token (api, "t0k3n");
  saban_api_get_async (api, "/", "application/json", SABAN_API_READ, 0, NULL, got, &r);
  thread = g_thread_new ("worker", send_from_worker, &w);
  TEST_WAIT_UNTIL (r.done, 30);
  /* the server runs on this main loop: keep it turning until the worker is done */
  TEST_WAIT_UNTIL (g_atomic_pointer_get (&w.bytes) != NULL, 30);
  g_thread_join (thread);
  g_assert_no_error (r.error);
  g_assert_cmpuint (w.status, ==, 201);
  g_bytes_unref (w.bytes);
  result_clear (&r);
}

static gboolean
run (const char *const *argv)
{
  g_autoptr(GSubprocess) p = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                                NULL);

  return p != NULL && g_subprocess_wait_check (p, NULL, NULL);
}

/* HTTPS: a certificate no authority vouches for is refused; trusted once
 * its authority is the configured one */
static void
test_tls (void)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *cert = g_build_filename (dir, "server.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "server.key", NULL);
  g_autofree char *base = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(SabanApi) system = NULL;
  g_autoptr(SabanApi) province = NULL;
  g_autoptr(GError) error = NULL;
  guint port = test_free_port ();
  Fixture f = { 0 };
  Result r = { 0 };

  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed: no certificate to test with");
      return;
    }
  g_assert_true (run ((const char *const[]) { openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                              "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                                              "-keyout", key, "-out", cert, NULL }));
  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);
  f.held = g_ptr_array_new_with_free_func (g_object_unref);
  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (server, NULL, handle, &f, NULL);
  g_assert_true (soup_server_listen_local (server, port, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS,
                                          &error));
  g_assert_no_error (error);
  base = g_strdup_printf ("https://127.0.0.1:%u", port);

  system = saban_api_new (base);
  get (system, "/", SABAN_API_PROBE, 0, &r);
  g_assert_error (r.error, SABAN_API_ERROR, SABAN_API_ERROR_TLS);

  province = saban_api_new (base);
  g_assert_true (saban_api_set_ca_file (province, cert, &error));
  g_assert_no_error (error);
  get (province, "/", SABAN_API_PROBE, 0, &r);
  g_assert_no_error (r.error);

  g_assert_false (saban_api_set_ca_file (province, "/nonexistent.pem", &error));
  g_assert_nonnull (error);
  result_clear (&r);
  soup_server_disconnect (server);
  g_ptr_array_unref (f.held);
  g_free (f.authorization);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SABAN_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/api/bearer", Fixture, NULL, fixture_set_up, test_bearer, fixture_tear_down);
  g_test_add ("/api/retry", Fixture, NULL, fixture_set_up, test_retry, fixture_tear_down);
  g_test_add ("/api/retry-after", Fixture, NULL, fixture_set_up, test_retry_after, fixture_tear_down);
  g_test_add ("/api/token-refused", Fixture, NULL, fixture_set_up, test_token_refused, fixture_tear_down);
  g_test_add ("/api/errors", Fixture, NULL, fixture_set_up, test_errors, fixture_tear_down);
  g_test_add ("/api/probe-deadline", Fixture, NULL, fixture_set_up, test_probe_deadline, fixture_tear_down);
  g_test_add ("/api/threads", Fixture, NULL, fixture_set_up, test_threads, fixture_tear_down);
  g_test_add_func ("/api/describe", test_describe);
  g_test_add_func ("/api/tls", test_tls);
  return g_test_run ();
}
