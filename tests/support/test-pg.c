/* test-pg.c: throw-away PostgreSQL clusters for the tests (the server-pg
 * suite, the failover test, the peers suite). Every server is a child the
 * kernel stops when the test dies (peer-process.c); a cluster's directory
 * goes with test_pg_free(). SQL is sent through libpq, not psql.
 */
#include "test-pg.h"
#include "peer-process.h"
#include "saban-files.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#define PG_BIN "/usr/lib/postgresql/15/bin/"

struct _TestPg
{
  char        *dir;
  char        *data;
  char        *name;     /* cluster_name: a standby's name for synchronous replication */
  TestPgFlags  flags;
  guint16      port;
  PeerProcess *postgres;
};

/* A fresh directory under @parent (created if needed) that `postgres` owns
 * when the test runs as root. */
static char *
make_dir (const char *parent)
{
  g_autofree char *tmpl = NULL;
  char *dir;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  tmpl = g_build_filename (parent, "pg-XXXXXX", NULL);
  dir = g_mkdtemp_full (g_steal_pointer (&tmpl), 0700);
  g_assert_nonnull (dir);
  if (geteuid () == 0)
    {
      struct passwd *pw = getpwnam ("postgres");

      g_assert_nonnull (pw);
      g_assert_cmpint (chown (dir, pw->pw_uid, pw->pw_gid), ==, 0);
    }
  return dir;
}

/* The eighth line of postmaster.pid says "ready" once connections are
 * accepted; an open port alone may still answer "starting up". */
static gboolean
wait_until_ready (TestPg *self, double timeout_s)
{
  g_autofree char *pid_file = g_build_filename (self->data, "postmaster.pid", NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < deadline && peer_process_is_running (self->postgres))
    {
      g_autofree char *contents = NULL;

      if (g_file_get_contents (pid_file, &contents, NULL, NULL))
        {
          g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

          if (g_strv_length (lines) > 7 && (g_str_has_prefix (lines[7], "ready") ||
                                             g_str_has_prefix (lines[7], "standby")))
            return TRUE;
        }
      g_usleep (50 * 1000);
    }
  return FALSE;
}

/**
 * test_pg_start:
 * Starts the cluster; another builder may take the free port before the
 * server binds it: then the server exits, and a new port is tried (the
 * first start only: a restart keeps its port, as clients know it).
 */
void
test_pg_start (TestPg *self)
{
  g_autofree char *log = g_build_filename (self->dir, "postgres.log", NULL);
  gboolean fixed_port = self->port != 0;

  for (int attempt = 1;; attempt++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *port = NULL;
      gboolean durable = (self->flags & TEST_PG_DURABLE) != 0;
      g_autofree char *cluster_name = g_strconcat ("cluster_name=", self->name, NULL);

      if (!fixed_port)
        self->port = peer_free_port ();
      port = g_strdup_printf ("%u", self->port);
      {
        const char *argv[] = { PG_BIN "postgres", "-D", self->data, "-p", port, "-k", self->dir,
                               "-c", "listen_addresses=127.0.0.1", "-c", cluster_name,
                               "-c", durable ? "fsync=on" : "fsync=off",
                               "-c", durable ? "synchronous_commit=on" : "synchronous_commit=off",
                               "-c", durable ? "full_page_writes=on" : "full_page_writes=off", NULL };

        /* SIGINT is PostgreSQL's "fast" shutdown. */
        self->postgres = peer_process_start ("postgres", argv, TRUE, SIGINT, log, &error);
        g_assert_no_error (error);
      }
      if (wait_until_ready (self, 60))
        return;
      {
        g_autofree char *text = peer_process_log (self->postgres);

        if (fixed_port || attempt == 3 || peer_process_is_running (self->postgres))
          g_error ("PostgreSQL did not become ready on port %u: %s", self->port, text);
        g_test_message ("PostgreSQL could not start on port %u, trying another: %s", self->port, text);
        g_clear_pointer (&self->postgres, peer_process_stop);
      }
    }
}

static TestPg *
test_pg_alloc (const char *parent_dir, TestPgFlags flags, const char *name)
{
  TestPg *self = g_new0 (TestPg, 1);

  self->dir = make_dir (parent_dir);
  self->data = g_build_filename (self->dir, "data", NULL);
  self->flags = flags;
  self->name = g_strdup (name);
  return self;
}

/**
 * test_pg_new:
 * @parent_dir: where the cluster's directory is made (under the build)
 *
 * initdb (trust on loopback, replication allowed, C locale, UTF-8) and a
 * started server with a `saban` database holding PostGIS.
 */
TestPg *
test_pg_new (const char *parent_dir, TestPgFlags flags)
{
  TestPg *self = test_pg_alloc (parent_dir, flags, "primary");
  g_autoptr(GError) error = NULL;

  {
    const char *argv[] = { PG_BIN "initdb", "-D", self->data, "-U", "postgres", "--auth=trust",
                           "--no-sync", "--no-locale", "-E", "UTF8", NULL };

    peer_run (argv, TRUE, &error);
    g_assert_no_error (error);
  }
  test_pg_start (self);
  test_pg_create_db (self, "saban");
  return self;
}

/**
 * test_pg_new_standby:
 * A hot standby of @primary (pg_basebackup, streaming replication), named
 * @name for synchronous_standby_names, started; returns once it streams.
 */
TestPg *
test_pg_new_standby (TestPg *primary, const char *name)
{
  g_autofree char *parent = g_path_get_dirname (primary->dir);
  TestPg *self = test_pg_alloc (parent, primary->flags, name);
  g_autoptr(GError) error = NULL;
  g_autofree char *port = g_strdup_printf ("%u", primary->port);
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM pg_stat_replication WHERE application_name = '%s' "
                                          "AND state = 'streaming'", name);
  gint64 deadline;

  {
    const char *argv[] = { PG_BIN "pg_basebackup", "-D", self->data, "-h", "127.0.0.1", "-p", port,
                           "-U", "postgres", "-X", "stream", "-R", "--no-sync", "--checkpoint=fast", NULL };

    peer_run (argv, TRUE, &error);
    g_assert_no_error (error);
  }
  test_pg_start (self);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (test_pg_query_int (primary, "postgres", sql, NULL) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }
  return self;
}

/* The server dies as in a crash (immediate shutdown: no checkpoint, every
 * connection cut). */
void
test_pg_crash (TestPg *self)
{
  if (self->postgres == NULL)
    return;
  self->postgres->stop_signal = SIGQUIT;
  g_clear_pointer (&self->postgres, peer_process_stop);
}

/* Promotes a standby and returns once it takes writes. */
void
test_pg_promote (TestPg *self)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  test_pg_sql (self, "postgres", "SELECT pg_promote()");
  while (test_pg_query_int (self, "postgres", "SELECT CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END", NULL))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }
}

void
test_pg_free (TestPg *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->postgres, peer_process_stop);
  saban_remove_tree (self->dir, NULL);
  g_free (self->dir);
  g_free (self->data);
  g_free (self->name);
  g_free (self);
}

guint16
test_pg_get_port (TestPg *self)
{
  return self->port;
}

const char *
test_pg_get_dir (TestPg *self)
{
  return self->dir;
}

/* postgresql://postgres@127.0.0.1:PORT/DBNAME */
char *
test_pg_uri (TestPg *self, const char *dbname)
{
  return g_strdup_printf ("postgresql://postgres@127.0.0.1:%u/%s", self->port, dbname);
}

/* The same for GDAL: PG:host=… */
char *
test_pg_gdal (TestPg *self, const char *dbname)
{
  return g_strdup_printf ("PG:host=127.0.0.1 port=%u dbname=%s user=postgres", self->port, dbname);
}

static void
ignore_notice (void *data, const char *message)
{
}

static PGconn *
connect_db (TestPg *self, const char *dbname)
{
  g_autofree char *uri = test_pg_uri (self, dbname);
  PGconn *conn = PQconnectdb (uri);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to %s: %s", uri, PQerrorMessage (conn));
  PQsetNoticeProcessor (conn, ignore_notice, NULL);
  return conn;
}

/* Runs @sql; FALSE with the server's message when it fails. */
gboolean
test_pg_try_sql (TestPg *self, const char *dbname, const char *sql, char **message)
{
  PGconn *conn = connect_db (self, dbname);
  PGresult *res = PQexec (conn, sql);
  gboolean ok = PQresultStatus (res) == PGRES_COMMAND_OK || PQresultStatus (res) == PGRES_TUPLES_OK;

  if (!ok && message != NULL)
    *message = g_strdup (PQresultErrorMessage (res));
  PQclear (res);
  PQfinish (conn);
  return ok;
}

void
test_pg_sql (TestPg *self, const char *dbname, const char *sql)
{
  g_autofree char *message = NULL;

  if (!test_pg_try_sql (self, dbname, sql, &message))
    g_error ("%s: %s", sql, message);
}

/* The integer @sql returns (its one `$1` bound to @arg, NULL or not); 0 for no row. */
char *
test_pg_query_text (TestPg *self, const char *dbname, const char *sql, const char *arg)
{
  PGconn *conn = connect_db (self, dbname);
  const char *params[] = { arg };
  int n_params = g_regex_match_simple ("\\$1([^0-9]|$)", sql, 0, 0) ? 1 : 0;
  PGresult *res = PQexecParams (conn, sql, n_params, NULL, params, NULL, NULL, 0);
  char *value = NULL;

  if (PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (res));
  if (PQntuples (res) > 0 && !PQgetisnull (res, 0, 0))
    value = g_strdup (PQgetvalue (res, 0, 0));
  PQclear (res);
  PQfinish (conn);
  return value;
}

gint64
test_pg_query_int (TestPg *self, const char *dbname, const char *sql, const char *arg)
{
  g_autofree char *value = test_pg_query_text (self, dbname, sql, arg);

  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
}

/* A new database with PostGIS, as the server wants it: a copy of `saban`
 * (making the extension takes a second; copying a template does not). */
void
test_pg_create_db (TestPg *self, const char *dbname)
{
  g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s%s", dbname,
                                             g_str_equal (dbname, "saban") ? "" : " TEMPLATE saban");

  test_pg_sql (self, "postgres", create);
  test_pg_sql (self, dbname, "CREATE EXTENSION IF NOT EXISTS postgis");
}
