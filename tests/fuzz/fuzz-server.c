/* fuzz-server.c: saban-server's request paths under libFuzzer.
 *
 * The whole server — store, router, every API, the demo province, the
 * SensorThings entities and Open311 requests the demo seeds — runs in this
 * process on a loopback port, as `saban-server --demo` does, and each input
 * is sent to it as one HTTP request over a socket; the main loop runs until
 * the answer is complete. So the fuzzer reaches the parsers through the same
 * code a caller does (libsoup, limits, bearer token, route, handler, SQL),
 * and what the handler does with what it parsed is exercised too.
 *
 * An input is a request in short form, after the target's FUZZ_PREFIX:
 *
 *   METHOD /path?query        (bytes a request-target may not hold are %-encoded)
 *   Header: value             (any number, up to an empty line)
 *
 *   body
 *
 * The harness adds Host, Content-Length, Connection: close and an admin's
 * bearer token (unless the input has its own Authorization). A 5xx answer is
 * a finding: hostile input must get a 4xx that names what is wrong.
 */
#include <gdal.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz-support.h"
#include "saban-auth.h"
#include "saban-cap.h"
#include "saban-command-api.h"
#include "saban-demo.h"
#include "saban-indicators.h"
#include "saban-json.h"
#include "saban-ogc-features.h"
#include "saban-open311.h"
#include "saban-sensorthings.h"
#include "saban-store-open.h"
#include "saban-server.h"
#include "saban-simulator.h"

#ifndef FUZZ_PREFIX
#define FUZZ_PREFIX ""
#endif

static SabanServer *server;
static guint port;
static char *token;
static char *tmp_dir;

static void
remove_tmp_dir (void)
{
  g_autoptr(GDir) d = g_dir_open (tmp_dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (tmp_dir);
}

typedef struct
{
  int      fd;
  GString *answer;
  gboolean done;
} Exchange;

static gboolean
on_readable (int fd, GIOCondition condition, gpointer data)
{
  Exchange *x = data;
  char buf[16384];
  ssize_t n = recv (fd, buf, sizeof buf, MSG_DONTWAIT);

  if (n > 0)
    {
      g_string_append_len (x->answer, buf, n);
      return G_SOURCE_CONTINUE;
    }
  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return G_SOURCE_CONTINUE;
  x->done = TRUE;
  return G_SOURCE_REMOVE;
}

/* A connection to the server, from its own loopback address (127.0.0.0/8
 * is all ours): the server closes first, so every connection leaves a
 * TIME_WAIT for its address and port pair, and one client address runs out
 * of ports within a minute at this rate. A refusal is tried again from the
 * next address a few times (one was seen once, two fuzzers running side by
 * side); a server that stopped listening fails the run. */
static int
connect_to_server (void)
{
  static guint32 n;
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  struct sockaddr_storage sa;
  int error = 0;

  g_assert_true (g_socket_address_to_native (addr, &sa, sizeof sa, NULL));
  for (int attempt = 0; attempt < 5; attempt++)
    {
      struct sockaddr_in client = { .sin_family = AF_INET };
      int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

      g_assert_cmpint (fd, >=, 0);
      client.sin_addr.s_addr = htonl (0x7f000000u | (1 + n++ % 0xfffffd));
      if (bind (fd, (struct sockaddr *) &client, sizeof client) == 0 &&
          connect (fd, (struct sockaddr *) &sa, g_socket_address_get_native_size (addr)) == 0)
        return fd;
      error = errno;
      close (fd);
    }
  g_error ("fuzz-server: cannot connect to the server: %s", g_strerror (error));
}

/* Sends @request and runs the main loop (the server's) until the server has
 * answered and closed the connection. */
static GString *
exchange (const GString *request)
{
  Exchange x = { connect_to_server (), g_string_new (NULL), FALSE };
  gsize sent = 0;

  /* the server reads on this thread: write what the socket takes, let it read, repeat */
  while (sent < request->len)
    {
      ssize_t n = send (x.fd, request->str + sent, request->len - sent, MSG_DONTWAIT | MSG_NOSIGNAL);

      if (n > 0)
        sent += n;
      else if (n < 0 && errno != EAGAIN && errno != EINTR)
        break;  /* the server closed early (413, a bad request line) */
      g_main_context_iteration (NULL, FALSE);
    }
  g_unix_fd_add (x.fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_readable, &x);
  while (!x.done)
    g_main_context_iteration (NULL, TRUE);  /* the watch removes itself at the end */
  close (x.fd);
  return x.answer;
}

/* Bytes a request-target cannot carry are %-encoded; '%' is left alone so
 * inputs can make their own escapes, valid or not. */
static void
append_target (GString *out, const char *s, gsize len)
{
  for (gsize i = 0; i < len; i++)
    {
      guchar c = s[i];

      if (c <= 0x20 || c >= 0x7f || strchr ("\"<>\\^`{|}#", c) != NULL)
        g_string_append_printf (out, "%%%02X", c);
      else
        g_string_append_c (out, c);
    }
}

static gboolean
header_line_ok (const char *s, gsize len)
{
  const char *colon = memchr (s, ':', len);

  if (colon == NULL || colon == s)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if ((guchar) s[i] < 0x20 || (guchar) s[i] == 0x7f)
      return FALSE;
  return TRUE;
}

/* The short form above into a real HTTP/1.1 request. */
static GString *
build_request (const char *data, gsize len)
{
  GString *req = g_string_new (NULL);
  const char *end = data + len;
  const char *eol = memchr (data, '\n', len);
  const char *line_end = eol ? eol : end;
  const char *space = memchr (data, ' ', line_end - data);
  const char *method = "GET";
  g_autofree char *method_copy = NULL;
  gboolean has_auth = FALSE;
  GString *headers = g_string_new (NULL);
  const char *p, *body;

  if (space != NULL && space > data)
    {
      method_copy = g_strndup (data, space - data);
      for (char *m = method_copy; *m; m++)
        if (!g_ascii_isupper (*m))
          *m = 'X';
      method = method_copy;
      p = space + 1;
    }
  else
    p = data;
  g_string_append_printf (req, "%s ", method);
  if (p >= line_end || *p != '/')
    g_string_append_c (req, '/');
  append_target (req, p, line_end - p);
  g_string_append (req, " HTTP/1.1\r\n");

  body = end;
  for (p = eol ? eol + 1 : end; p < end;)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *e = nl ? nl : end;

      if (e == p)
        {
          body = e + 1 <= end ? e + 1 : end;
          break;
        }
      if (header_line_ok (p, e - p))
        {
          has_auth |= g_ascii_strncasecmp (p, "authorization:", 14) == 0;
          if (g_ascii_strncasecmp (p, "content-length:", 15) != 0 && g_ascii_strncasecmp (p, "connection:", 11) != 0 &&
              g_ascii_strncasecmp (p, "transfer-encoding:", 18) != 0 && g_ascii_strncasecmp (p, "host:", 5) != 0)
            {
              g_string_append_len (headers, p, e - p);
              g_string_append (headers, "\r\n");
            }
        }
      p = nl ? nl + 1 : end;
      body = p;
    }
  g_string_append_printf (req, "Host: 127.0.0.1:%u\r\nConnection: close\r\nContent-Length: %zu\r\n", port,
                          (size_t) (end - body));
  if (!has_auth && token != NULL)
    g_string_append_printf (req, "Authorization: Bearer %s\r\n", token);
  g_string_append_len (req, headers->str, headers->len);
  g_string_free (headers, TRUE);
  g_string_append (req, "\r\n");
  g_string_append_len (req, body, end - body);
  return req;
}

static guint
status_of (const GString *answer)
{
  char code[4] = { 0 };
  guint64 status = 0;

  if (answer->len >= 12 && g_str_has_prefix (answer->str, "HTTP/1.1 "))
    {
      memcpy (code, answer->str + 9, 3);
      g_ascii_string_to_unsigned (code, 10, 100, 599, &status, NULL);
    }
  return (guint) status;
}

static char *
sign_in (void)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"quantri\",\"password\":\"%s\"}", SABAN_DEMO_PASSWORD);
  g_autofree char *text = g_strdup_printf ("POST /auth/token\nContent-Type: application/json\n\n%s", body);
  g_autoptr(GString) req = build_request (text, strlen (text));
  g_autoptr(GString) answer = exchange (req);
  const char *json = strstr (answer->str, "\r\n\r\n");
  g_autoptr(JsonNode) root = json ? saban_json_parse (json + 4, -1, NULL) : NULL;

  if (status_of (answer) != 200 || root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    g_error ("fuzz-server: the demo admin could not sign in:\n%s", answer->str);
  return g_strdup (json_object_get_string_member (json_node_get_object (root), "access_token"));
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  const char *gpkg = g_getenv ("SABAN_DEMO_DATA");
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autoptr(SabanStore) store = NULL;
  SabanServerLimits limits;
  g_autoptr(GSocket) probe = NULL;
  g_autoptr(GSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  static SabanSimulator *simulator;  /* serves the cameras' snapshots for the process's life */

  setlocale (LC_ALL, "C.UTF-8");
  fuzz_quiet_logs ();
  /* the server logs one JSON line per request on stdout */
  if (freopen ("/dev/null", "w", stdout) == NULL)
    g_error ("fuzz-server: cannot silence stdout");
  GDALAllRegister ();
  if (gpkg == NULL)
    g_error ("fuzz-server: SABAN_DEMO_DATA must name the demo GeoPackage (meson test sets it)");

  /* tmpfs where there is one: every write is an fsync (synchronous=FULL) */
  tmp_dir = g_build_filename (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir (),
                              "saban-fuzz-XXXXXX", NULL);
  if (g_mkdtemp (tmp_dir) == NULL)
    g_error ("fuzz-server: no temporary directory");
  atexit (remove_tmp_dir);
  db = g_build_filename (tmp_dir, "fuzz.db", NULL);
  if ((store = saban_store_open (db, &error)) == NULL || !saban_indicators_sync_units (store, gpkg, &error) ||
      !saban_demo_seed (store, &error))
    g_error ("fuzz-server: %s", error->message);
  server = saban_server_new (store, NULL);
  saban_server_limits_init (&limits);
  limits.rate = 0;
  saban_server_set_limits (server, &limits);
  saban_auth_register (server, SABAN_TOKEN_LIFETIME_S, 10);
  if (!saban_ogc_register (server, gpkg, &error))
    g_error ("fuzz-server: %s", error->message);
  saban_command_api_register (server);
  saban_indicators_register (server);
  saban_sta_register (server);
  saban_open311_register (server);
  saban_cap_register (server);
  if (!saban_open311_seed_demo (store, gpkg, SABAN_OPEN311_DEMO_REQUESTS, &error) ||
      (simulator = saban_simulator_new (server, gpkg, 20250701, 1.0, &error)) == NULL)
    g_error ("fuzz-server: demo seed: %s", error->message);
  saban_sta_set_snapshot_func (saban_simulator_snapshot);

  /* a free port: bind 0, read it back, close, listen there */
  probe = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  if (probe == NULL || !g_socket_bind (probe, any, FALSE, &error) ||
      (bound = g_socket_get_local_address (probe, &error)) == NULL)
    g_error ("fuzz-server: %s", error->message);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (probe, NULL);
  if (!saban_server_listen (server, "127.0.0.1", port, &error))
    g_error ("fuzz-server: %s", error->message);
  token = sign_in ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr(GString) input = g_string_new (FUZZ_PREFIX);
  g_autoptr(GString) req = NULL;
  g_autoptr(GString) answer = NULL;
  guint status;

  g_string_append_len (input, (const char *) data, size);
  req = build_request (input->str, input->len);
  answer = exchange (req);
  status = status_of (answer);
  /* nothing at all is a connection the server dropped; a 5xx is a failure
   * hostile input must not cause */
  if (status == 0 || status >= 500)
    {
      fprintf (stderr, "fuzz-server: answer %u to\n%s\n---\n%.*s\n", status, req->str,
               (int) MIN (answer->len, 4096), answer->str);
      abort ();
    }
  return 0;
}
