/* Transport security (issue 11): saban-server serves HTTPS with a
 * certificate a throw-away authority signed; Sa Bàn's SabanApi verifies it
 * against that authority and refuses it against another, or the system's,
 * with a Vietnamese sentence; plain HTTP goes to this machine only, unless
 * the user allowed it, and then the API says so (the window's warning).
 * The broker's address, one form for server and client, is checked here
 * too. */
#include <glib/gi18n-lib.h>
#include <ifaddrs.h>
#include <locale.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "saban-api.h"
#include "saban-broker-address.h"
#include "saban-live-channel.h"
#include "server-fixture.h"

/* an IPv4 address of this machine that is not loopback, or NULL */
static char *
non_loopback_address (void)
{
  struct ifaddrs *list = NULL;
  char *found = NULL;

  if (getifaddrs (&list) != 0)
    return NULL;
  for (struct ifaddrs *i = list; i != NULL && found == NULL; i = i->ifa_next)
    {
      char text[INET_ADDRSTRLEN];

      if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET || (i->ifa_flags & IFF_LOOPBACK) ||
          !(i->ifa_flags & IFF_UP))
        continue;
      if (inet_ntop (AF_INET, &((struct sockaddr_in *) i->ifa_addr)->sin_addr, text, sizeof text) != NULL)
        found = g_strdup (text);
    }
  freeifaddrs (list);
  return found;
}

/* GET /health through @api: NULL on success, else the error */
static GError *
health (SabanApi *api)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;

  msg = saban_api_new_message (api, "GET", "/health", &error);
  if (msg == NULL)
    return error;
  body = saban_api_send (api, msg, 1 << 20, NULL, &error);
  return error;
}

static void
assert_vietnamese (const GError *error, const char *fragment)
{
  g_autofree char *text = saban_api_describe_error (error);

  g_assert_nonnull (strstr (text, fragment));
}

static void
test_https (void)
{
  g_autofree char *ip = non_loopback_address ();
  g_autoptr(TestTls) tls = test_tls_new (ip);
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "tls.db", NULL);
  g_autofree char *cert = g_strdup_printf ("--tls-cert=%s", tls->cert);
  g_autofree char *key = g_strdup_printf ("--tls-key=%s", tls->key);
  g_autofree char *listen = g_strdup_printf ("--listen=%s:%u", ip ? "0.0.0.0" : "127.0.0.1", test_free_port ());
  TestServer *server;
  g_autoptr(SabanApi) trusting = NULL;
  g_autoptr(SabanApi) wrong = NULL;
  g_autoptr(SabanApi) system = NULL;
  g_autoptr(Resp) r = NULL;
  GError *error;

  test_session_trust (tls->ca);
  server = test_server_start_plain (db, (const char *const[]) { cert, key, listen, NULL });
  g_assert_true (g_str_has_prefix (server->base, "https://"));

  /* served over HTTPS, links included */
  r = test_request (server, "GET", "/collections", NULL, NULL, NULL, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_nonnull (strstr (r->body, "\"href\":\"https://"));

  /* verified against the authority that signed it */
  trusting = saban_api_new (server->base);
  g_assert_true (saban_api_set_ca_file (trusting, tls->ca, NULL));
  g_assert_null (health (trusting));
  g_assert_false (saban_api_get_plain_http (trusting));

  /* refused against another authority, and against the system's, in Vietnamese */
  wrong = saban_api_new (server->base);
  g_assert_true (saban_api_set_ca_file (wrong, tls->wrong_ca, NULL));
  error = health (wrong);
  g_assert_error (error, SABAN_API_ERROR, SABAN_API_ERROR_TLS);
  assert_vietnamese (error, "Chứng thư số của máy chủ IOC không được tin cậy");
  g_clear_error (&error);
  system = saban_api_new (server->base);
  error = health (system);
  g_assert_error (error, SABAN_API_ERROR, SABAN_API_ERROR_TLS);
  g_clear_error (&error);

  /* HTTPS to an address on the network needs no permission */
  if (ip != NULL)
    {
      g_autofree char *url = g_strdup_printf ("https://%s:%u", ip, server->port);

      saban_api_set_base_url (trusting, url);
      g_assert_null (health (trusting));
    }
  test_server_free (server);
}

/* A TLS connection to @port, its handshake done (the test's authority
 * trusted), a GET sent; what it read back, up to 64 KB, or the error. */
static GIOStream *
tls_connect (guint port, const char *ca, GError **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) tcp = NULL;
  g_autoptr(GTlsDatabase) db = g_tls_file_database_new (ca, error);
  g_autoptr(GSocketConnectable) identity = g_network_address_new ("127.0.0.1", port);
  GIOStream *tls;

  if (db == NULL || (tcp = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, error)) == NULL ||
      (tls = g_tls_client_connection_new (G_IO_STREAM (tcp), identity, error)) == NULL)
    return NULL;
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), db);
  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, error))
    {
      g_object_unref (tls);
      return NULL;
    }
  return tls;
}

static char *
tls_get (GIOStream *tls, GError **error)
{
  static const char request[] = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  char buf[65536];
  gssize n;

  if (!g_output_stream_write_all (g_io_stream_get_output_stream (tls), request, strlen (request), NULL, NULL, error))
    return NULL;
  n = g_input_stream_read (g_io_stream_get_input_stream (tls), buf, sizeof buf - 1, NULL, error);
  if (n < 0)
    return NULL;
  return g_strndup (buf, n);
}

/* Over the connection limit on HTTPS: a clean TLS failure (the connection
 * closed without a word) or a 503 inside TLS, never a plain-text answer
 * written under the client's TLS (a "not TLS" or "bad record" error). */
static void
test_tls_over_limit (void)
{
  g_autoptr(TestTls) tls = test_tls_new (NULL);
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "limit.db", NULL);
  g_autofree char *cert = g_strdup_printf ("--tls-cert=%s", tls->cert);
  g_autofree char *key = g_strdup_printf ("--tls-key=%s", tls->key);
  g_autoptr(GPtrArray) open = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  TestServer *server;

  test_session_trust (tls->ca);
  server = test_server_start_plain (db, (const char *const[]) { cert, key, "--max-connections=3",
                                                                "--rate-limit=0", NULL });
  /* connections kept open, each counted by its first request, until one
   * is over the limit (the fixture's own may still hold one) */
  while (open->len < 10)
    {
      GIOStream *conn = tls_connect (server->port, tls->ca, &error);

      g_clear_pointer (&answer, g_free);
      if (conn != NULL)
        {
          g_ptr_array_add (open, conn);
          answer = tls_get (conn, &error);
        }
      if (error != NULL || !g_str_has_prefix (answer, "HTTP/1.1 200"))
        break;
    }
  g_assert_cmpuint (open->len, >=, 2);
  g_assert_cmpuint (open->len, <, 10);
  if (error != NULL)
    {
      g_test_message ("over the limit: %s (%s %d)", error->message, g_quark_to_string (error->domain), error->code);
      /* the handshake met the end of the stream, not a record it could not read */
      g_assert_true (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS) ||
                     g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_EOF) ||
                     g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
                     g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE));
    }
  else
    g_assert_true (answer[0] == '\0' || g_str_has_prefix (answer, "HTTP/1.1 503"));

  /* Sa Bàn reads that as a busy server (retried), not a certificate to distrust */
  {
    g_autoptr(SabanApi) api = saban_api_new (server->base);
    g_autoptr(GError) refused = NULL;

    g_assert_true (saban_api_set_ca_file (api, tls->ca, NULL));
    refused = health (api);
    g_assert_error (refused, SABAN_API_ERROR, SABAN_API_ERROR_BUSY);
  }

  /* what the server writes to a connection over the limit, as raw bytes:
   * nothing (a TLS client reads no plain text where records belong) */
  g_clear_error (&error);
  {
    g_autoptr(GSocketClient) client = g_socket_client_new ();
    g_autoptr(GSocketConnection) raw = g_socket_client_connect_to_host (client, "127.0.0.1", server->port, NULL,
                                                                        &error);
    char buf[256];

    g_assert_no_error (error);
    g_socket_set_timeout (g_socket_connection_get_socket (raw), 10);
    g_assert_cmpint (g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (raw)), buf, sizeof buf, NULL,
                                          &error), ==, 0);
    g_assert_no_error (error);
  }
  test_server_free (server);
}

static void
on_plain_http (GObject *api, GParamSpec *pspec, gpointer data)
{
  (*(guint *) data)++;
}

/* Plain HTTP to this machine's own network address: refused until allowed. */
static void
test_plain_http_remote (void)
{
  g_autofree char *ip = non_loopback_address ();
  g_autofree char *dir = NULL, *db = NULL, *listen = NULL, *url = NULL;
  g_autoptr(SabanApi) api = NULL;
  TestServer *server;
  GError *error;
  guint notified = 0;

  if (ip == NULL)
    {
      g_test_skip ("no address here but loopback: /tls/plain-http-decision covers the rule");
      return;
    }
  dir = test_tmpdir ();
  db = g_build_filename (dir, "plain.db", NULL);
  listen = g_strdup_printf ("--listen=0.0.0.0:%u", test_free_port ());
  server = test_server_start_plain (db, (const char *const[]) { listen, NULL });
  url = g_strdup_printf ("http://%s:%u", ip, server->port);

  api = saban_api_new (url);
  g_signal_connect (api, "notify::plain-http", G_CALLBACK (on_plain_http), &notified);
  error = health (api);
  g_assert_error (error, SABAN_API_ERROR, SABAN_API_ERROR_PLAIN_HTTP);
  assert_vietnamese (error, "không mã hóa");
  g_clear_error (&error);
  g_assert_false (saban_api_get_plain_http (api));

  /* allowed: it goes, and the API says it goes in clear (the window warns) */
  saban_api_set_allow_plain_http (api, TRUE);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (saban_api_get_plain_http (api));
  g_assert_null (health (api));

  /* loopback needs no permission */
  saban_api_set_allow_plain_http (api, FALSE);
  saban_api_set_base_url (api, server->base);
  g_assert_false (saban_api_get_plain_http (api));
  g_assert_null (health (api));
  test_server_free (server);
}

static gboolean
channel_connected (gpointer channel)
{
  return saban_live_channel_get_connected (channel);
}

static gboolean
server_on_broker (gpointer server)
{
  g_autoptr(Resp) h = test_request (server, "GET", "/health", NULL, NULL, NULL, NULL);

  return strstr (h->body, "\"mqtt\":\"connected\"") != NULL;
}

/* a client's channel to @broker, trusting @ca; whether it got subscribed within @ms */
static gboolean
client_connects (const char *broker, const char *ca, guint ms)
{
  g_autoptr(SabanLiveChannel) channel = saban_live_channel_new (broker, (const char *const[]) { "ioc/v1/#", NULL });

  saban_live_channel_set_login (channel, TEST_MQTT_CLIENT_USER, TEST_MQTT_CLIENT_PASSWORD, ca);
  saban_live_channel_set_poll_interval (channel, 3600);
  saban_live_channel_start (channel);
  return test_wait_for (channel_connected, channel, ms);
}

/* The broker link over TLS (mqtts://): the server and the client verify the
 * broker's certificate against the authority given, and do not connect
 * with another one (nor, for the server, anywhere in clear). */
static void
test_broker_tls (void)
{
  g_autoptr(TestTls) tls = test_tls_new (NULL);
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "broker.db", NULL);
  g_autofree char *mqtt = NULL, *broker = NULL, *ca = NULL, *wrong = NULL;
  GSubprocess *proc;
  guint port;
  TestServer *server;

  proc = test_mosquitto_start_tls (&port, tls);
  if (proc == NULL)
    {
      g_test_skip ("mosquitto is not installed");
      return;
    }
  broker = g_strdup_printf ("mqtts://127.0.0.1:%u", port);
  mqtt = g_strdup_printf ("--mqtt=%s", broker);
  ca = g_strdup_printf ("--mqtt-cafile=%s", tls->ca);
  wrong = g_strdup_printf ("--mqtt-cafile=%s", tls->wrong_ca);

  server = test_server_start (db, (const char *const[]) { mqtt, ca, NULL });
  g_assert_true (test_wait_for (server_on_broker, server, 10000));
  g_assert_true (client_connects (broker, tls->ca, 10000));
  /* the system's authorities, or another's, do not vouch for this broker */
  g_assert_false (client_connects (broker, tls->wrong_ca, 3000));
  g_assert_false (client_connects (broker, NULL, 2000));
  test_server_stop (server);
  test_server_restart (server, (const char *const[]) { mqtt, wrong, NULL });
  test_spin_ms (3000);
  g_assert_false (server_on_broker (server));
  test_server_free (server);
  test_mosquitto_kill (&proc);
}

/* saban-server with options that do not go together, or a password it
 * cannot read: it stops at once (status 2) and says which */
static void
test_server_options (void)
{
  g_autoptr(TestTls) tls = test_tls_new (NULL);
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_strdup_printf ("--db=%s/options.db", dir);
  g_autofree char *missing = g_strdup_printf ("--mqtt-password-file=%s/none", dir);
  g_autofree char *empty_path = g_build_filename (dir, "empty", NULL);
  g_autofree char *empty = g_strdup_printf ("--mqtt-password-file=%s", empty_path);
  g_autofree char *cafile = g_strdup_printf ("--mqtt-cafile=%s", tls->ca);
  g_autofree char *cert = g_strdup_printf ("--tls-cert=%s", tls->cert);
  g_autofree char *wrong_key = g_strdup_printf ("--tls-key=%s", tls->ca);
  const struct { const char *args[4]; const char *says; } cases[] = {
    { { "--mqtt=127.0.0.1:1", "--mqtt-user=saban-server", NULL }, "go together" },
    { { "--mqtt=127.0.0.1:1", cafile, NULL }, "mqtts://" },
    { { "--mqtt-user=saban-server", missing, NULL }, "need --mqtt" },
    { { "--mqtt=ssl://127.0.0.1:1", NULL }, "--mqtt wants" },
    { { "--mqtt=127.0.0.1:1", "--mqtt-user=saban-server", missing, NULL }, "--mqtt-password-file" },
    { { "--mqtt=127.0.0.1:1", "--mqtt-user=saban-server", empty, NULL }, "one line" },
    { { cert, NULL }, "go together" },
    { { cert, wrong_key, NULL }, "--tls-cert/--tls-key" },
  };

  g_assert_true (g_file_set_contents (empty_path, "\n", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autoptr(GSubprocess) p = NULL;
      g_autofree char *err = NULL;
      g_autoptr(GError) error = NULL;

      g_ptr_array_add (argv, (gpointer) test_program ("SABAN_SERVER", "saban-server"));
      g_ptr_array_add (argv, db);
      g_ptr_array_add (argv, (gpointer) "--listen=127.0.0.1:1");
      for (guint j = 0; cases[i].args[j] != NULL; j++)
        g_ptr_array_add (argv, (gpointer) cases[i].args[j]);
      g_ptr_array_add (argv, NULL);
      p = g_subprocess_newv ((const char *const *) argv->pdata,
                             G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate_utf8 (p, NULL, NULL, NULL, &err, &error));
      g_test_message ("%s", err);
      g_assert_true (g_subprocess_get_if_exited (p));
      g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 2);
      g_assert_nonnull (strstr (err, cases[i].says));
    }
}

static void
test_plain_http_decision (void)
{
  static const struct { const char *url; gboolean refused; } cases[] = {
    { "http://127.0.0.1:8080", FALSE },
    { "http://127.8.0.1", FALSE },
    { "http://localhost:8080/gis", FALSE },
    { "http://LOCALHOST", FALSE },
    { "http://[::1]:8080", FALSE },
    { "https://ioc.laocai.gov.vn", FALSE },
    { "https://10.0.0.5:8443", FALSE },
    { "http://10.0.0.5:8080", TRUE },
    { "HTTP://192.0.2.7", TRUE },
    { "http://ioc.laocai.gov.vn", TRUE },
    { "http://localhost.example.vn", TRUE },
    { "http://127.0.0.1.example.vn", TRUE },
    { "http://[fd00::2]:8080", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].url);
      g_assert_cmpint (saban_api_url_is_plain_remote (cases[i].url), ==, cases[i].refused);
    }
}

static void
test_broker_address (void)
{
  static const struct { const char *text; const char *host; int port; gboolean tls; } good[] = {
    { "127.0.0.1:1883", "127.0.0.1", 1883, FALSE },
    { "mqtt://broker.laocai.gov.vn", "broker.laocai.gov.vn", 1883, FALSE },
    { "mqtts://broker.laocai.gov.vn", "broker.laocai.gov.vn", 8883, TRUE },
    { "mqtts://10.1.2.3:18883", "10.1.2.3", 18883, TRUE },
    { "[::1]:1883", "::1", 1883, FALSE },
    { "mqtts://[fd00::2]", "fd00::2", 8883, TRUE },
  };
  static const char *const bad[] = {
    "", "broker", "broker:", "broker:0", "broker:65536", "broker:12x", "ssl://broker:8883",
    "tcp://broker:1883", "mqtts://", "mqtts://:8883", "mqtts://user@broker", "[::1", "[::1]x", "mqtt://a/b:1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_auto(SabanBrokerAddress) a = { 0 };

      g_test_message ("%s", good[i].text);
      g_assert_true (saban_broker_address_parse (good[i].text, &a, NULL));
      g_assert_cmpstr (a.host, ==, good[i].host);
      g_assert_cmpint (a.port, ==, good[i].port);
      g_assert_cmpint (a.tls, ==, good[i].tls);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(SabanBrokerAddress) a = { 0 };
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", bad[i]);
      g_assert_false (saban_broker_address_parse (bad[i], &a, &error));
      g_assert_null (a.host);
      /* a sentence for people, in Vietnamese */
      g_assert_nonnull (strstr (error->message, "không phải địa chỉ"));
    }
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SABAN_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tls/https", test_https);
  g_test_add_func ("/tls/over-limit", test_tls_over_limit);
  g_test_add_func ("/tls/plain-http-remote", test_plain_http_remote);
  g_test_add_func ("/tls/broker", test_broker_tls);
  g_test_add_func ("/tls/server-options", test_server_options);
  g_test_add_func ("/tls/plain-http-decision", test_plain_http_decision);
  g_test_add_func ("/tls/broker-address", test_broker_address);
  return g_test_run ();
}
