/* server-fixture.c: starts the real saban-server binary (and mosquitto) on
 * free loopback ports for the server tests, and a small synchronous libsoup
 * client. Tests never sleep on a guess: they poll /health or a port. */
#include "server-fixture.h"
#include "test-pg.h"
#include "saban-files.h"
#include "saban-local-server.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <mosquitto.h>
#include <signal.h>
#include <string.h>

guint
test_free_port (void)
{
  g_autoptr(GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (sock, any, TRUE, NULL));
  bound = g_socket_get_local_address (sock, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* ---- the database: SQLite, or PostgreSQL with SABAN_TEST_DB=postgresql ---------- */

static TestPg     *cluster;    /* one per test program, started on first use */
static GHashTable *databases;  /* SQLite path → PostgreSQL URI */

static void
stop_cluster (void)
{
  g_clear_pointer (&cluster, test_pg_free);
}

/**
 * test_db_is_postgres:
 * Whether this run's servers keep their data in PostgreSQL (the server-pg
 * suite sets SABAN_TEST_DB=postgresql) rather than SQLite.
 */
gboolean
test_db_is_postgres (void)
{
  return g_strcmp0 (g_getenv ("SABAN_TEST_DB"), "postgresql") == 0;
}

/**
 * test_db_location:
 * @path: the SQLite file a test names for a server's database (or a
 *   PostgreSQL URI of the test's own, used as it is)
 *
 * What `--db` gets: @path itself, or with PostgreSQL the URI of a database
 * made for @path in this program's throw-away cluster (under
 * $SABAN_TEST_PG_DIR, the build's), the same database each time @path is
 * named again (a restart on the same data).
 */
char *
test_db_location (const char *path)
{
  g_autofree char *sum = NULL;
  char *uri;

  if (!test_db_is_postgres () || g_str_has_prefix (path, "postgresql://"))
    return g_strdup (path);
  if (cluster == NULL)
    {
      const char *parent = g_getenv ("SABAN_TEST_PG_DIR");

      cluster = test_pg_new (parent != NULL ? parent : g_get_tmp_dir (), TEST_PG_FAST);
      databases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      atexit (stop_cluster);
    }
  if ((uri = g_hash_table_lookup (databases, path)) == NULL)
    {
      g_autofree char *name = NULL;

      sum = g_compute_checksum_for_string (G_CHECKSUM_SHA1, path, -1);
      name = g_strdup_printf ("t_%.16s", sum);
      test_pg_create_db (cluster, name);
      uri = test_pg_uri (cluster, name);
      g_hash_table_insert (databases, g_strdup (path), uri);
    }
  return g_strdup (uri);
}

/* The database name at the end of a test URI. */
static const char *
pg_dbname (const char *location)
{
  return strrchr (location, '/') + 1;
}

/* `?` → `$1` (one parameter at most) */
static char *
pg_sql (const char *sql)
{
  g_auto(GStrv) parts = g_strsplit (sql, "?", 2);

  return g_strjoinv ("$1", parts);
}

/**
 * test_db_query_text:
 * @location: a server's database (TestServer.location)
 * @sql: a query of one value, with at most one `?` bound to @arg
 *
 * Reads the server's database directly, as an auditor would: the first
 * row's value, or %NULL.
 */
char *
test_db_query_text (const char *location, const char *sql, const char *arg)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  char *value = NULL;

  if (g_str_has_prefix (location, "postgresql://"))
    {
      g_autofree char *translated = pg_sql (sql);

      return test_pg_query_text (cluster, pg_dbname (location), translated, arg);
    }
  g_assert_cmpint (sqlite3_open_v2 (location, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &st, NULL), ==, SQLITE_OK);
  if (arg != NULL)
    sqlite3_bind_text (st, 1, arg, -1, SQLITE_STATIC);
  if (sqlite3_step (st) == SQLITE_ROW && sqlite3_column_type (st, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (st, 0));
  sqlite3_finalize (st);
  sqlite3_close (db);
  return value;
}

/* test_db_query_text() of one integer (0 for none). */
gint64
test_db_query_int (const char *location, const char *sql, const char *arg)
{
  g_autofree char *value = test_db_query_text (location, sql, arg);

  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
}

/* Whether the server's database accepts @sql (a write the schema forbids, say). */
gboolean
test_db_try_sql (const char *location, const char *sql)
{
  sqlite3 *db = NULL;
  gboolean ok;

  if (g_str_has_prefix (location, "postgresql://"))
    return test_pg_try_sql (cluster, pg_dbname (location), sql, NULL);
  g_assert_cmpint (sqlite3_open_v2 (location, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  ok = sqlite3_exec (db, sql, NULL, NULL, NULL) == SQLITE_OK;
  sqlite3_close (db);
  return ok;
}

/**
 * test_db_load_layers:
 * @target: a GDAL `PG:` connection string
 * @layers: (nullable): the demo GeoPackage's layers to load; %NULL: all
 *
 * Loads the demo's layers ($SABAN_DEMO_DATA) into PostGIS with ogr2ogr,
 * FIDs kept, as a province keeps its layers (`--data PG:…` then serves them).
 */
void
test_db_load_layers (const char *target, const char *const *layers)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status;

  for (const char *const *a = (const char *const[]) { "ogr2ogr", "-f", "PostgreSQL", target,
                                                      g_getenv ("SABAN_DEMO_DATA"), NULL };
       *a != NULL; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  for (guint i = 0; layers != NULL && layers[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) layers[i]);
  for (const char *const *a = (const char *const[]) { "-lco", "GEOMETRY_NAME=geom", "-lco", "FID=fid",
                                                      "-preserve_fid", NULL };
       *a != NULL; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/**
 * test_db_restore:
 * @backup: what `saban-server backup` wrote
 * @path: a new SQLite file name to start a server on
 *
 * Restores @backup as the database of @path: a copy of the file, or
 * pg_restore into the PostgreSQL database made for @path.
 */
void
test_db_restore (const char *backup, const char *path)
{
  g_autoptr(GError) error = NULL;

  if (test_db_is_postgres ())
    {
      g_autofree char *location = test_db_location (path);
      const char *argv[] = { "/usr/lib/postgresql/15/bin/pg_restore", "--exit-on-error", "--no-owner",
                             "--dbname", location, backup, NULL };
      g_autoptr(GSubprocess) p = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);

      g_assert_no_error (error);
      g_assert_true (g_subprocess_wait_check (p, NULL, &error));
    }
  else
    {
      g_autoptr(GFile) from = g_file_new_for_path (backup);
      g_autoptr(GFile) to = g_file_new_for_path (path);

      g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
    }
  g_assert_no_error (error);
}

static GPtrArray *tmpdirs;

/* in-process: a child forked at exit can die in libproj's pthread_atfork
 * handler under the sanitizers, and the directories would stay in /tmp */
static void
remove_tmpdirs (void)
{
  for (guint i = 0; tmpdirs != NULL && i < tmpdirs->len; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!saban_remove_tree (g_ptr_array_index (tmpdirs, i), &error))
        g_printerr ("%s\n", error->message);
    }
}

/* A fresh directory, removed when the test program exits. */
char *
test_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("saban-server-test-XXXXXX", &error);

  g_assert_no_error (error);
  if (tmpdirs == NULL)
    {
      tmpdirs = g_ptr_array_new_with_free_func (g_free);
      atexit (remove_tmpdirs);
    }
  g_ptr_array_add (tmpdirs, g_strdup (dir));
  return dir;
}

const char *
test_program (const char *env, const char *name)
{
  const char *p = g_getenv (env);
  static char *found;

  if (p != NULL)
    return p;
  g_free (found);
  found = g_find_program_in_path (name);
  return found;
}

SoupSession *
test_session (void)
{
  static SoupSession *session;

  if (session == NULL)
    session = soup_session_new_with_options ("timeout", 30, "max-conns-per-host", 16, NULL);
  return session;
}

/**
 * test_session_trust:
 * @ca_file: a PEM file of authorities (test_tls_new()'s)
 *
 * The default session trusts them from now on: the fixture's own requests
 * (/health at start) reach a server that speaks HTTPS.
 */
void
test_session_trust (const char *ca_file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) db = g_tls_file_database_new (ca_file, &error);

  g_assert_no_error (error);
  soup_session_set_tls_database (test_session (), db);
}

/* test_http() on the default session */
Resp *
test_http (const char *method, const char *url, const char *token, const char *content_type,
           const char *body, const char *const *headers)
{
  return test_http_on (test_session (), method, url, token, content_type, body, headers);
}

/**
 * test_http_on:
 * @session: a session of the test's (one bound to another loopback address, say)
 *
 * A synchronous request; fails the test if no answer comes.
 */
Resp *
test_http_on (SoupSession *session, const char *method, const char *url, const char *token,
              const char *content_type, const char *body, const char *const *headers)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  Resp *r = g_new0 (Resp, 1);

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_replace (soup_message_get_request_headers (msg), headers[i], headers[i + 1]);
  if (body != NULL)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, content_type ? content_type : "application/json", b);
    }
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->body = g_bytes_get_size (bytes) ? g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes))
                                     : g_strdup ("");
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  {
    g_autoptr(JsonParser) p = json_parser_new ();
    if (r->body[0] != '\0' && json_parser_load_from_data (p, r->body, -1, NULL))
      r->json = json_node_copy (json_parser_get_root (p));
  }
  return r;
}

/* test_http() on @path of @s */
Resp *
test_request (TestServer *s, const char *method, const char *path, const char *token, const char *content_type,
              const char *body, const char *const *headers)
{
  g_autofree char *url = g_strconcat (s->base, path, NULL);

  return test_http (method, url, token, content_type, body, headers);
}

void
resp_free (Resp *r)
{
  g_free (r->body);
  g_clear_pointer (&r->json, json_node_unref);
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_free (r);
}

JsonObject *
resp_object (Resp *r)
{
  g_assert_nonnull (r->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (r->json));
  return json_node_get_object (r->json);
}

JsonObject *
resp_props (Resp *r)
{
  return json_object_get_object_member (resp_object (r), "properties");
}

gboolean
test_wait_port (guint port, int timeout_ms)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_autoptr(GSocketConnection) c = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
      if (c != NULL)
        return TRUE;
      g_usleep (20000);
    }
  return FALSE;
}

static gboolean
has_arg (const char *const *args, const char *prefix)
{
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    if (g_str_has_prefix (args[i], prefix))
      return TRUE;
  return FALSE;
}

/* A server given a broker signs in to it with the server's account, as
 * deployed, unless the test names an account of its own. */
static void
add_broker_login (GPtrArray *argv, const char *const *extra_args)
{
  if (!has_arg (extra_args, "--mqtt=") || has_arg (extra_args, "--mqtt-user"))
    return;
  g_ptr_array_add (argv, g_strdup ("--mqtt-user=" TEST_MQTT_SERVER_USER));
  g_ptr_array_add (argv, g_strdup_printf ("--mqtt-password-file=%s", test_mqtt_server_password_file ()));
}

/* starts s->proc on s->port and s->location, and waits for /health; a
 * crashed test takes it along (it must not hold its output pipe open) */
static void
spawn (TestServer *s, const char *const *extra_args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *health = g_strconcat (s->base, "/health", NULL);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, g_strdup (test_program ("SABAN_SERVER", "saban-server")));
  if (!has_arg (extra_args, "--listen="))
    g_ptr_array_add (argv, g_strdup_printf ("--listen=127.0.0.1:%u", s->port));
  g_ptr_array_add (argv, g_strdup_printf ("--db=%s", s->location));
  if (s->demo)
    g_ptr_array_add (argv, g_strdup ("--demo"));
  if (g_getenv ("SABAN_DEMO_DATA"))
    g_ptr_array_add (argv, g_strdup_printf ("--data=%s", g_getenv ("SABAN_DEMO_DATA")));
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra_args[i]));
  add_broker_login (argv, extra_args);
  g_ptr_array_add (argv, NULL);
  s->proc = saban_local_server_start ((const char *const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, health,
                                      test_session (), 60, &error);
  if (s->proc == NULL)
    g_error ("saban-server on %s: %s", s->location, error->message);
}

static TestServer *
server_start (const char *db, gboolean demo, const char *const *extra_args)
{
  TestServer *s = g_new0 (TestServer, 1);

  s->port = test_free_port ();
  /* a test's own --listen (every address, say) names the port: reached on loopback still */
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    if (g_str_has_prefix (extra_args[i], "--listen="))
      s->port = (guint) g_ascii_strtoull (strrchr (extra_args[i], ':') + 1, NULL, 10);
  s->base = g_strdup_printf ("%s://127.0.0.1:%u", has_arg (extra_args, "--tls-cert") ? "https" : "http", s->port);
  s->db = g_strdup (db);
  s->location = test_db_location (db);
  s->demo = demo;
  spawn (s, extra_args);
  return s;
}

/**
 * test_server_start:
 * Starts saban-server --demo on @db; returns once /health answers.
 */
TestServer *
test_server_start (const char *db, const char *const *extra_args)
{
  return server_start (db, TRUE, extra_args);
}

/**
 * test_server_start_plain:
 * As test_server_start() without --demo: a second server on a database a
 * demo server made (no second simulator), say.
 */
TestServer *
test_server_start_plain (const char *db, const char *const *extra_args)
{
  return server_start (db, FALSE, extra_args);
}

/**
 * test_server_restart:
 * @s: a server that was stopped or killed
 * @extra_args: (nullable): as for test_server_start()
 *
 * Starts it again on the same port and database, as a service manager would.
 */
void
test_server_restart (TestServer *s, const char *const *extra_args)
{
  g_assert_null (s->proc);
  spawn (s, extra_args);
}

void
test_server_stop (TestServer *s)
{
  if (s->proc == NULL)
    return;
  g_subprocess_send_signal (s->proc, SIGTERM);
  g_subprocess_wait (s->proc, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (s->proc));
  g_assert_cmpint (g_subprocess_get_exit_status (s->proc), ==, 0);
  g_clear_object (&s->proc);
}

void
test_server_kill (TestServer *s)
{
  g_subprocess_force_exit (s->proc);  /* SIGKILL */
  g_subprocess_wait (s->proc, NULL, NULL);
  g_clear_object (&s->proc);
}

void
test_server_free (TestServer *s)
{
  if (s->proc != NULL)
    test_server_stop (s);
  g_free (s->base);
  g_free (s->db);
  g_free (s->location);
  g_free (s);
}

/* ---- TLS: throw-away authorities and certificates --------------------------- */

static void
openssl (const char *dir, const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status;

  g_ptr_array_add (argv, (gpointer) "openssl");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("openssl %s failed: %s", args[0], err);
}

/* an authority (ca.pem, ca.key) named @name in @dir */
static char *
make_ca (const char *dir, const char *name)
{
  g_autofree char *subject = g_strdup_printf ("/CN=%s", name);
  g_autofree char *key = g_strdup_printf ("%s.key", name);
  g_autofree char *pem = g_strdup_printf ("%s.pem", name);

  openssl (dir, (const char *const[]) { "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                                        "-nodes", "-keyout", key, "-out", pem, "-days", "2", "-subj", subject,
                                        NULL });
  return g_build_filename (dir, pem, NULL);
}

/**
 * test_tls_new:
 * @extra_ip: (nullable): an address the certificate names besides
 *   127.0.0.1 and localhost
 *
 * A fresh certificate authority, a server certificate it signed, and
 * another authority that signed nothing (the wrong one), made with openssl
 * in a directory removed at exit.
 */
TestTls *
test_tls_new (const char *extra_ip)
{
  TestTls *tls = g_new0 (TestTls, 1);
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *ext = g_strdup_printf ("subjectAltName=IP:127.0.0.1,DNS:localhost%s%s\n"
                                          "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
                                          extra_ip ? ",IP:" : "", extra_ip ? extra_ip : "");
  g_autofree char *ext_path = g_build_filename (dir, "server.ext", NULL);

  g_assert_true (g_file_set_contents (ext_path, ext, -1, NULL));
  tls->ca = make_ca (dir, "test-ca");
  tls->wrong_ca = make_ca (dir, "wrong-ca");
  openssl (dir, (const char *const[]) { "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                        "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1",
                                        NULL });
  openssl (dir, (const char *const[]) { "x509", "-req", "-in", "server.csr", "-CA", "test-ca.pem", "-CAkey",
                                        "test-ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2",
                                        "-extfile", "server.ext", NULL });
  tls->cert = g_build_filename (dir, "server.pem", NULL);
  tls->key = g_build_filename (dir, "server.key", NULL);
  return tls;
}

void
test_tls_free (TestTls *tls)
{
  g_free (tls->ca);
  g_free (tls->wrong_ca);
  g_free (tls->cert);
  g_free (tls->key);
  g_free (tls);
}

/* ---- the broker: mosquitto with accounts and an ACL, as deployed ---------- */

static char *broker_dir;  /* the password file, the ACL, the server's password file */

static void
run_tool (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* The accounts (mosquitto_passwd, hashed) and the ACL of docs/security.md,
 * made once per test program: only the server's account may publish on the
 * topics clients trust; the client's reads them. */
static const char *
broker_files (void)
{
  static const char acl[] =
    "user " TEST_MQTT_SERVER_USER "\n"
    "topic readwrite v1.1/#\n"
    "topic readwrite ioc/v1/#\n"
    "\n"
    "user " TEST_MQTT_CLIENT_USER "\n"
    "topic read v1.1/#\n"
    "topic read ioc/v1/#\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *passwd = NULL, *server_secret = NULL, *acl_path = NULL;
  const char *tool = test_program ("MOSQUITTO_PASSWD", "mosquitto_passwd");

  if (broker_dir != NULL)
    return broker_dir;
  g_assert_nonnull (tool);
  broker_dir = test_tmpdir ();
  passwd = g_build_filename (broker_dir, "passwd", NULL);
  run_tool ((const char *const[]) { tool, "-c", "-b", passwd, TEST_MQTT_SERVER_USER, TEST_MQTT_SERVER_PASSWORD, NULL });
  run_tool ((const char *const[]) { tool, "-b", passwd, TEST_MQTT_CLIENT_USER, TEST_MQTT_CLIENT_PASSWORD, NULL });
  g_assert_cmpint (g_chmod (passwd, 0600), ==, 0);
  server_secret = g_build_filename (broker_dir, "server-password", NULL);
  acl_path = g_build_filename (broker_dir, "acl", NULL);
  g_file_set_contents_full (acl_path, acl, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
  g_file_set_contents_full (server_secret, TEST_MQTT_SERVER_PASSWORD "\n", -1, G_FILE_SET_CONTENTS_NONE, 0600,
                            &error);
  g_assert_no_error (error);
  return broker_dir;
}

/**
 * test_mqtt_server_password_file:
 * The file `--mqtt-password-file` names: the server account's password.
 */
const char *
test_mqtt_server_password_file (void)
{
  static char *path;

  if (path == NULL)
    path = g_build_filename (broker_files (), "server-password", NULL);
  return path;
}

/* mosquitto on @port, no one let in without an account, over TLS with
 * @tls's certificate when given — and then, with @cert_accounts, the
 * account is the client's certificate; NULL if mosquitto is not installed */
static GSubprocess *
start_broker (guint port, const TestTls *tls, gboolean cert_accounts)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *conf = NULL, *conf_path = NULL, *tls_conf = NULL;
  GSubprocess *proc;
  const char *dir = broker_files ();  /* first: test_program() reuses its buffer */
  const char *mosquitto = test_program ("MOSQUITTO", "mosquitto");

  if (mosquitto == NULL && g_file_test ("/usr/sbin/mosquitto", G_FILE_TEST_IS_EXECUTABLE))
    mosquitto = "/usr/sbin/mosquitto";
  if (mosquitto == NULL)
    return NULL;
  tls_conf = tls ? g_strdup_printf ("cafile %s\ncertfile %s\nkeyfile %s\n%s", tls->ca, tls->cert, tls->key,
                                    cert_accounts ? "use_identity_as_username true\nrequire_certificate false\n" : "")
                 : g_strdup ("");
  /* "user": as root mosquitto would drop to an account that cannot read the
   * files; the log tells a test each connection made (test_mosquitto_count_log) */
  conf = g_strdup_printf ("user %s\nlistener %u 127.0.0.1\n%sallow_anonymous false\n"
                          "password_file %s/passwd\nacl_file %s/acl\n"
                          "log_dest file %s/mosquitto-%u.log\nlog_type notice\n",
                          g_get_user_name (), port, tls_conf, dir, dir, dir, port);
  conf_path = g_strdup_printf ("%s/mosquitto-%u.conf", dir, port);
  g_file_set_contents (conf_path, conf, -1, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GSubprocessLauncher) l = saban_child_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                 G_SUBPROCESS_FLAGS_STDERR_SILENCE);
    proc = g_subprocess_launcher_spawn (l, &error, mosquitto, "-c", conf_path, NULL);
  }
  g_assert_no_error (error);
  g_assert_true (test_wait_port (port, 10000));
  return proc;
}

/* A mosquitto on @port (again, after test_mosquitto_kill: a broker restart)
 * that lets no one in without an account; NULL if mosquitto is not installed. */
GSubprocess *
test_mosquitto_start_on (guint port)
{
  return start_broker (port, NULL, FALSE);
}

/**
 * test_mosquitto_start_tls:
 * A mosquitto that speaks only TLS (mqtts://), with @tls's certificate.
 */
GSubprocess *
test_mosquitto_start_tls (guint *port, const TestTls *tls)
{
  *port = test_free_port ();
  return start_broker (*port, tls, FALSE);
}

/**
 * test_mosquitto_start_cert_accounts:
 * A TLS mosquitto (@tls's certificate) whose accounts are the clients'
 * certificates (use_identity_as_username): a client that signs in with a
 * name and password and no certificate is refused with CONNACK 4, bad user
 * name or password.
 */
GSubprocess *
test_mosquitto_start_cert_accounts (guint *port, const TestTls *tls)
{
  *port = test_free_port ();
  return start_broker (*port, tls, TRUE);
}

GSubprocess *
test_mosquitto_start (guint *port)
{
  *port = test_free_port ();
  return test_mosquitto_start_on (*port);
}

/**
 * test_mosquitto_count_log:
 * @port: a broker test_mosquitto_start*() started
 * @text: what to look for, e.g. "disconnected, not authorised" (one a
 *   sign-in refused)
 *
 * Returns: how many lines of the broker's log on @port hold @text, over
 *   every broker started on that port
 */
guint
test_mosquitto_count_log (guint port, const char *text)
{
  g_autofree char *path = g_strdup_printf ("%s/mosquitto-%u.log", broker_files (), port);
  g_autofree char *log = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &log, NULL, NULL))
    return 0;
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    n += strstr (lines[i], text) != NULL;
  return n;
}

/* SIGKILL: the broker dies as in an outage */
void
test_mosquitto_kill (GSubprocess **proc)
{
  g_subprocess_force_exit (*proc);
  g_subprocess_wait (*proc, NULL, NULL);
  g_clear_object (proc);
}

char *
test_login (TestServer *s, const char *user)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"saban-demo\"}", user);
  g_autoptr(Resp) r = test_request (s, "POST", "/auth/token", NULL, "application/json", body, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (resp_object (r), "token_type"), ==, "Bearer");
  g_assert_cmpint (json_object_get_int_member (resp_object (r), "expires_in"), >, 0);
  return g_strdup (json_object_get_string_member (resp_object (r), "access_token"));
}

/* An active scenario, as a coordinator opens one; returns its id. */
gint64
test_scenario_create (TestServer *s,
                      const char *token,
                      const char *title)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autoptr(Resp) r = NULL;
  gint64 id;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "Feature");
  json_builder_set_member_name (b, "geometry");
  json_builder_add_null_value (b);
  json_builder_set_member_name (b, "properties");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, title);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  body = json_to_string (root, FALSE);

  r = test_request (s, "POST", "/collections/scenarios/items", token, "application/json", body, NULL);
  g_assert_cmpuint (r->status, ==, 201);
  id = json_object_get_int_member (resp_object (r), "id");
  {
    g_autofree char *path = g_strdup_printf ("/collections/scenarios/items/%" G_GINT64_FORMAT, id);
    g_autoptr(Resp) p = test_request (s, "PATCH", path, token, "application/json",
                                      "{\"properties\":{\"status\":\"active\"}}",
                                      (const char *const[]) { "If-Match", "\"v1\"", NULL });
    g_assert_cmpuint (p->status, ==, 200);
  }
  return id;
}

/* A reading of @datastream, at @time (ISO 8601), posted over SensorThings;
 * returns the Observation's id. */
gint64
test_observation_post (TestServer *s, const char *token, gint64 datastream, double result, const char *time)
{
  g_autofree char *body = g_strdup_printf ("{\"result\":%.3f,\"phenomenonTime\":\"%s\",\"Datastream\":{\"@iot.id\":%"
                                           G_GINT64_FORMAT "}}", result, time, datastream);
  g_autoptr(Resp) r = test_request (s, "POST", "/v1.1/Observations", token, "application/json", body, NULL);

  g_assert_cmpuint (r->status, ==, 201);
  return json_object_get_int_member (resp_object (r), "@iot.id");
}

/* The tasks of @scenario on the server, all of them. */
JsonArray *
test_scenario_tasks (TestServer *s, const char *token, gint64 scenario)
{
  g_autofree char *path = g_strdup_printf ("/collections/tasks/items?scenarioId=%" G_GINT64_FORMAT "&limit=10000",
                                           scenario);
  g_autoptr(Resp) r = test_request (s, "GET", path, token, NULL, NULL, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return json_array_ref (json_object_get_array_member (resp_object (r), "features"));
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the main loop until cond(data) or the timeout; never sleeps blind. */
gboolean
test_wait_for (gboolean (*cond) (gpointer), gpointer data, guint timeout_ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &expired);

  while (!cond (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return cond (data);
}

/* the main loop's wake-up for TEST_WAIT_UNTIL and test_spin_ms() */
gboolean
test_tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop for @ms: what arrives meanwhile is handled. */
void
test_spin_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  guint tick = g_timeout_add (20, test_tick, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

static char *(*timeout_note) (void);

/**
 * test_set_timeout_note:
 * @note: (nullable): returns what a failed TEST_WAIT_UNTIL adds to its message
 *
 * A test's own state worth seeing when a wait times out.
 */
void
test_set_timeout_note (char *(*note) (void))
{
  timeout_note = note;
}

void
test_timed_out (const char *what)
{
  g_autofree char *note = timeout_note != NULL ? timeout_note () : NULL;

  g_error ("timed out waiting for %s%s%s", what, note != NULL ? " " : "", note != NULL ? note : "");
}

/* The server connects to its broker in the background: waits (at most
 * @seconds) until /health says it did. */
void
test_server_wait_mqtt (TestServer *s, guint seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      g_autoptr(Resp) h = test_request (s, "GET", "/health", NULL, NULL, NULL, NULL);
      if (strstr (h->body, "\"mqtt\":\"connected\""))
        break;
      g_usleep (50000);
    }
}

struct _TestSubscriber
{
  struct mosquitto *m;
  GAsyncQueue      *messages;  /* "topic\npayload" */
  gint              subscribed;
};

static void
on_message (struct mosquitto *m, void *data, const struct mosquitto_message *msg)
{
  TestSubscriber *sub = data;

  g_async_queue_push (sub->messages, g_strdup_printf ("%s\n%.*s", msg->topic, msg->payloadlen, (char *) msg->payload));
}

static void
on_subscribe (struct mosquitto *m, void *data, int mid, int n, const int *qos)
{
  g_atomic_int_set (&((TestSubscriber *) data)->subscribed, 1);
}

/**
 * test_mqtt_subscribe:
 *
 * A subscriber to @filter on the broker at @port, in libmosquitto's own
 * thread; returns once the broker confirmed the subscription.
 */
TestSubscriber *
test_mqtt_subscribe (guint port, const char *client_id, const char *filter)
{
  TestSubscriber *sub = g_new0 (TestSubscriber, 1);
  gint64 end;

  mosquitto_lib_init ();
  sub->messages = g_async_queue_new_full (g_free);
  sub->m = mosquitto_new (client_id, TRUE, sub);
  mosquitto_message_callback_set (sub->m, on_message);
  mosquitto_subscribe_callback_set (sub->m, on_subscribe);
  mosquitto_username_pw_set (sub->m, TEST_MQTT_CLIENT_USER, TEST_MQTT_CLIENT_PASSWORD);
  g_assert_cmpint (mosquitto_connect (sub->m, "127.0.0.1", (int) port, 30), ==, MOSQ_ERR_SUCCESS);
  g_assert_cmpint (mosquitto_subscribe (sub->m, NULL, filter, 1), ==, MOSQ_ERR_SUCCESS);
  mosquitto_loop_start (sub->m);
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!g_atomic_int_get (&sub->subscribed) && g_get_monotonic_time () < end)
    g_usleep (10000);
  g_assert_true (g_atomic_int_get (&sub->subscribed));
  return sub;
}

/* the next message, or NULL after @timeout_ms */
char *
test_subscriber_pop (TestSubscriber *sub, guint timeout_ms)
{
  return g_async_queue_timeout_pop (sub->messages, (guint64) timeout_ms * 1000);
}

/* the next message on @topic (those on others are dropped), or NULL after @seconds */
char *
test_subscriber_wait (TestSubscriber *sub, const char *topic, guint seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      char *m = test_subscriber_pop (sub, 200);
      if (m != NULL && g_str_has_prefix (m, topic) && m[strlen (topic)] == '\n')
        return m;
      g_free (m);
    }
  return NULL;
}

void
test_subscriber_free (TestSubscriber *sub)
{
  /* disconnect, then let the loop thread end by itself: cancelling it
   * (force) can leave libmosquitto's mutex held and hang the disconnect */
  mosquitto_disconnect (sub->m);
  mosquitto_loop_stop (sub->m, FALSE);
  mosquitto_destroy (sub->m);
  g_async_queue_unref (sub->messages);
  g_free (sub);
}

static void
on_connack (struct mosquitto *m, void *data, int rc)
{
  g_atomic_int_set ((gint *) data, rc);
}

/**
 * test_mqtt_publish_as:
 * @user: (nullable): the account to sign in with; NULL: anonymous
 *
 * One message (@len -1: a string), QoS 1, from a client of its own that
 * stays until it is out (or until the broker answered its sign-in, when it
 * refused it).
 *
 * Returns: the broker's CONNACK code: 0 if it let the client in (and the
 *   message was sent; whether the ACL let it through is another matter)
 */
int
test_mqtt_publish_as (guint port, const char *user, const char *password, const char *topic, const char *payload,
                      gssize len)
{
  gint rc = -1;
  struct mosquitto *m = mosquitto_new (NULL, TRUE, &rc);

  if (len < 0)
    len = strlen (payload);
  mosquitto_connect_callback_set (m, on_connack);
  if (user != NULL)
    mosquitto_username_pw_set (m, user, password);
  g_assert_cmpint (mosquitto_connect (m, "127.0.0.1", (int) port, 30), ==, MOSQ_ERR_SUCCESS);
  for (int i = 0; i < 250 && g_atomic_int_get (&rc) < 0; i++)
    mosquitto_loop (m, 20, 1);
  if (g_atomic_int_get (&rc) == 0)
    {
      g_assert_cmpint (mosquitto_publish (m, NULL, topic, (int) len, payload, 1, false), ==, MOSQ_ERR_SUCCESS);
      for (int i = 0; i < 20; i++)
        mosquitto_loop (m, 20, 1);
      mosquitto_disconnect (m);
    }
  mosquitto_destroy (m);
  return g_atomic_int_get (&rc);
}

/* A message as the server's account would publish it: what a server that
 * misbehaves (or a hostile peer holding its account) could send. */
void
test_mqtt_publish (guint port, const char *topic, const char *payload, gssize len)
{
  g_assert_cmpint (test_mqtt_publish_as (port, TEST_MQTT_SERVER_USER, TEST_MQTT_SERVER_PASSWORD, topic, payload, len),
                   ==, 0);
}
