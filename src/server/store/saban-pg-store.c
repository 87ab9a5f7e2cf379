/* saban-pg-store.c: the store on PostgreSQL 15 + PostGIS 3, through libpq.
 *
 * Statements are prepared once per connection, the first time they run
 * (their parameters' types come from what is bound then: integers as
 * bigint, reals as double precision, text left for the server to infer
 * from where it goes), and run in text format. The connection string may
 * name several hosts: with target_session_attrs=read-write (the default
 * here) libpq takes the one that is the primary, so after a failover the
 * store finds the promoted standby. A connection that breaks is dropped at
 * once; the main one is made again in a worker thread, once a second,
 * while calls fail fast with SABAN_STORE_ERROR_UNAVAILABLE (the HTTP layer
 * answers 503, and clients' outboxes try again).
 */
#include "saban-pg-store.h"
#include "saban-stmt-private.h"

#include <gio/gio.h>
#include <libpq-fe.h>

/* Statements prepared per connection; dynamic SQL beyond this runs unprepared. */
#define MAX_PREPARED 256

#define INT8OID   20
#define FLOAT8OID 701

struct _SabanPgStore
{
  SabanStore  parent_instance;
  PGconn     *conn;
  char       *uri;
  gboolean    reader;
  GHashTable *prepared;      /* translated SQL → statement name */
  guint       next_name;
  gboolean    reconnecting;
};

G_DEFINE_FINAL_TYPE (SabanPgStore, saban_pg_store, SABAN_TYPE_STORE)

typedef struct
{
  SabanStmt     base;
  SabanPgStore *store;
  char         *sql;
  PGresult     *res;
  int           row;
} PgStmt;

static void schedule_reconnect (SabanPgStore *self);

/* ---- SQL and errors ---------------------------------------------------------- */

/**
 * saban_pg_sql:
 * @sql: SQL with `?` parameters, as SQLite takes it
 * @n_params: (out): how many it has
 *
 * The same SQL with `$1`, `$2` … (quoted text and identifiers left alone).
 */
char *
saban_pg_sql (const char *sql, int *n_params)
{
  GString *out = g_string_sized_new (strlen (sql) + 16);
  char quote = 0;
  int n = 0;

  for (const char *p = sql; *p != '\0'; p++)
    {
      if (quote != 0)
        {
          if (*p == quote)
            quote = 0;
          g_string_append_c (out, *p);
        }
      else if (*p == '\'' || *p == '"')
        {
          quote = *p;
          g_string_append_c (out, *p);
        }
      else if (*p == '?')
        g_string_append_printf (out, "$%d", ++n);
      else
        g_string_append_c (out, *p);
    }
  *n_params = n;
  return g_string_free (out, FALSE);
}

/* Whether the connection (or the server behind it) is gone or cannot take
 * writes: worth connecting again rather than reporting the statement. */
static gboolean
is_unavailable (PGconn *conn, const char *sqlstate)
{
  return PQstatus (conn) == CONNECTION_BAD || sqlstate == NULL ||
         g_str_has_prefix (sqlstate, "08") ||         /* connection exception */
         g_str_has_prefix (sqlstate, "57P") ||        /* admin shutdown, crash shutdown, cannot connect now */
         g_str_equal (sqlstate, "25006");             /* read-only transaction: a standby */
}

static void
drop_connection (SabanPgStore *self)
{
  if (self->conn == NULL)
    return;
  PQfinish (self->conn);
  self->conn = NULL;
  g_hash_table_remove_all (self->prepared);
  if (!self->reader)
    {
      g_printerr ("saban-server: lost the database connection; reconnecting\n");
      schedule_reconnect (self);
    }
}

/* The error of a failed result (or of the connection when @res is NULL). */
static void
set_result_error (SabanPgStore *self, PGresult *res, const char *what, GError **error)
{
  const char *sqlstate = res != NULL ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  const char *message = res != NULL ? PQresultErrorMessage (res) : PQerrorMessage (self->conn);
  g_autofree char *text = g_strstrip (g_strdup (message != NULL && *message ? message : "unknown error"));
  int code = SABAN_STORE_ERROR_FAILED;

  if (sqlstate != NULL && g_str_has_prefix (sqlstate, "23"))
    code = SABAN_STORE_ERROR_CONSTRAINT;
  else if (is_unavailable (self->conn, sqlstate))
    code = SABAN_STORE_ERROR_UNAVAILABLE;
  g_set_error (error, SABAN_STORE_ERROR, code, "%s: %s", what, text);
  if (code == SABAN_STORE_ERROR_UNAVAILABLE)
    {
      saban_store_note_unavailable (SABAN_STORE (self));
      drop_connection (self);
    }
}

static gboolean
unavailable (SabanPgStore *self, GError **error)
{
  if (self->conn != NULL)
    return FALSE;
  saban_store_note_unavailable (SABAN_STORE (self));
  schedule_reconnect (self);
  g_set_error (error, SABAN_STORE_ERROR, SABAN_STORE_ERROR_UNAVAILABLE, "the database is unavailable");
  return TRUE;
}

/* ---- statements ---------------------------------------------------------------- */

static gboolean
pg_execute (SabanStmt *base, GError **error)
{
  PgStmt *self = (PgStmt *) base;
  SabanPgStore *store = self->store;
  guint n = base->params->len;
  g_autofree const char **values = g_new0 (const char *, n + 1);
  g_autofree Oid *types = g_new0 (Oid, n + 1);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  ExecStatusType status;

  if (unavailable (store, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      SabanParam *p = &g_array_index (base->params, SabanParam, i);

      if (p->kind == SABAN_VALUE_INT)
        {
          types[i] = INT8OID;
          g_ptr_array_add (texts, g_strdup_printf ("%" G_GINT64_FORMAT, p->i));
          values[i] = g_ptr_array_index (texts, texts->len - 1);
        }
      else if (p->kind == SABAN_VALUE_REAL)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          types[i] = FLOAT8OID;
          g_ptr_array_add (texts, g_strdup (g_ascii_dtostr (buf, sizeof buf, p->d)));
          values[i] = g_ptr_array_index (texts, texts->len - 1);
        }
      else
        values[i] = p->text;
    }

  name = g_hash_table_lookup (store->prepared, self->sql);
  if (name == NULL && g_hash_table_size (store->prepared) < MAX_PREPARED)
    {
      g_autofree char *new_name = g_strdup_printf ("s%u", store->next_name++);
      PGresult *res = PQprepare (store->conn, new_name, self->sql, (int) n, types);

      if (PQresultStatus (res) != PGRES_COMMAND_OK)
        {
          set_result_error (store, res, "prepare", error);
          PQclear (res);
          return FALSE;
        }
      PQclear (res);
      g_hash_table_insert (store->prepared, g_strdup (self->sql), g_strdup (new_name));
      name = g_hash_table_lookup (store->prepared, self->sql);
    }
  if (name != NULL)
    self->res = PQexecPrepared (store->conn, name, (int) n, values, NULL, NULL, 0);
  else
    self->res = PQexecParams (store->conn, self->sql, (int) n, types, values, NULL, NULL, 0);
  status = PQresultStatus (self->res);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    {
      set_result_error (store, self->res, "statement", error);
      g_clear_pointer (&self->res, PQclear);
      return FALSE;
    }
  base->changes = g_ascii_strtoll (PQcmdTuples (self->res), NULL, 10);
  self->row = -1;
  return TRUE;
}

static gboolean
pg_next (SabanStmt *base, GError **error)
{
  PgStmt *self = (PgStmt *) base;

  if (self->res == NULL || self->row + 1 >= PQntuples (self->res))
    return FALSE;
  self->row++;
  return TRUE;
}

static int
pg_n_columns (SabanStmt *base)
{
  return PQnfields (((PgStmt *) base)->res);
}

static const char *
pg_column_name (SabanStmt *base, int column)
{
  return PQfname (((PgStmt *) base)->res, column);
}

static SabanValueKind
pg_column_kind (SabanStmt *base, int column)
{
  PgStmt *self = (PgStmt *) base;

  if (PQgetisnull (self->res, self->row, column))
    return SABAN_VALUE_NULL;
  switch (PQftype (self->res, column))
    {
    case 16:   /* bool */
    case 20:   /* int8 */
    case 21:   /* int2 */
    case 23:   /* int4 */
      return SABAN_VALUE_INT;
    case 700:  /* float4 */
    case 701:  /* float8 */
    case 1700: /* numeric */
      return SABAN_VALUE_REAL;
    default:
      return SABAN_VALUE_TEXT;
    }
}

static const char *
pg_column_text (SabanStmt *base, int column)
{
  PgStmt *self = (PgStmt *) base;

  return PQgetvalue (self->res, self->row, column);
}

static gint64
pg_column_int64 (SabanStmt *base, int column)
{
  const char *v = pg_column_text (base, column);

  if (g_str_equal (v, "t") || g_str_equal (v, "true"))
    return 1;
  if (pg_column_kind (base, column) == SABAN_VALUE_REAL)
    return (gint64) g_ascii_strtod (v, NULL);
  return g_ascii_strtoll (v, NULL, 10);
}

static double
pg_column_double (SabanStmt *base, int column)
{
  return g_ascii_strtod (pg_column_text (base, column), NULL);
}

static void
pg_reset (SabanStmt *base)
{
  PgStmt *self = (PgStmt *) base;

  g_clear_pointer (&self->res, PQclear);
  self->row = -1;
}

static void
pg_free (SabanStmt *base)
{
  PgStmt *self = (PgStmt *) base;

  g_clear_pointer (&self->res, PQclear);
  g_free (self->sql);
  g_object_unref (self->store);
  g_free (self);
}

static const SabanStmtClass pg_stmt_class = {
  pg_execute, pg_next, pg_n_columns, pg_column_name, pg_column_kind, pg_column_text, pg_column_int64,
  pg_column_double, pg_reset, pg_free,
};

/* ---- connections -------------------------------------------------------------- */

static void
ignore_notice (void *arg, const char *message)
{
}

/* Connects to @uri; our defaults come first, so the URI's own settings win. */
static PGconn *
connect_to (const char *uri, gboolean reader, GError **error)
{
  const char *const keywords[] = { "connect_timeout", "target_session_attrs", "application_name",
                                   "keepalives_idle", "keepalives_interval", "keepalives_count",
                                   "tcp_user_timeout", "dbname", NULL };
  const char *const values[] = { "5", "read-write", reader ? "saban-server-reader" : "saban-server",
                                 "10", "5", "3", "15000", uri, NULL };
  PGconn *conn = PQconnectdbParams (keywords, values, 1);

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *message = g_strstrip (g_strdup (PQerrorMessage (conn)));

      g_set_error (error, SABAN_STORE_ERROR, SABAN_STORE_ERROR_UNAVAILABLE, "cannot connect to PostgreSQL: %s",
                   message);
      PQfinish (conn);
      return NULL;
    }
  PQsetNoticeProcessor (conn, ignore_notice, NULL);
  if (reader)
    PQclear (PQexec (conn, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"));
  return conn;
}

static void
reconnect_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;
  PGconn *conn = connect_to (data, FALSE, &error);

  if (conn == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, conn, (GDestroyNotify) PQfinish);
}

static gboolean
retry_reconnect (gpointer data)
{
  SabanPgStore *self = data;

  self->reconnecting = FALSE;
  schedule_reconnect (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
reconnected (GObject *source, GAsyncResult *result, gpointer data)
{
  SabanPgStore *self = SABAN_PG_STORE (source);
  g_autoptr(GError) error = NULL;
  PGconn *conn = g_task_propagate_pointer (G_TASK (result), &error);

  if (conn == NULL)
    {
      /* still away: try again in a second */
      g_timeout_add_seconds (1, retry_reconnect, g_object_ref (self));
      return;
    }
  g_clear_pointer (&self->conn, PQfinish);
  g_hash_table_remove_all (self->prepared);
  self->conn = conn;
  self->reconnecting = FALSE;
  g_printerr ("saban-server: connected to the database again (%s:%s)\n", PQhost (conn), PQport (conn));
}

/* The main connection is made again off the main thread; meanwhile every
 * call fails fast. */
static void
schedule_reconnect (SabanPgStore *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->reader || self->reconnecting || self->conn != NULL)
    return;
  self->reconnecting = TRUE;
  task = g_task_new (self, NULL, reconnected, NULL);
  g_task_set_task_data (task, g_strdup (self->uri), g_free);
  g_task_run_in_thread (task, reconnect_thread);
}

/* ---- the store ---------------------------------------------------------------- */

static SabanStmt *
saban_pg_store_prepare (SabanStore *store, const char *sql, GError **error)
{
  SabanPgStore *self = SABAN_PG_STORE (store);
  PgStmt *stmt;
  int n_params;
  char *translated;

  if (unavailable (self, error))
    return NULL;
  translated = saban_pg_sql (sql, &n_params);
  stmt = g_new0 (PgStmt, 1);
  saban_stmt_init (&stmt->base, &pg_stmt_class, n_params);
  stmt->store = g_object_ref (self);
  stmt->sql = translated;
  stmt->row = -1;
  return &stmt->base;
}

static gboolean
saban_pg_store_exec (SabanStore *store, const char *sql, GError **error)
{
  SabanPgStore *self = SABAN_PG_STORE (store);
  PGresult *res;
  ExecStatusType status;

  if (unavailable (self, error))
    return FALSE;
  res = PQexec (self->conn, sql);
  status = PQresultStatus (res);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      set_result_error (self, res, "exec", error);
      PQclear (res);
      return FALSE;
    }
  PQclear (res);
  return TRUE;
}

static gboolean
saban_pg_store_in_transaction (SabanStore *store)
{
  SabanPgStore *self = SABAN_PG_STORE (store);

  return self->conn != NULL && PQtransactionStatus (self->conn) != PQTRANS_IDLE &&
         PQtransactionStatus (self->conn) != PQTRANS_UNKNOWN;
}

static gboolean
saban_pg_store_is_usable (SabanStore *store)
{
  SabanPgStore *self = SABAN_PG_STORE (store);

  return self->conn != NULL && PQstatus (self->conn) == CONNECTION_OK;
}

static SabanStore *
saban_pg_store_open_reader (SabanStore *store, GError **error)
{
  SabanPgStore *self = SABAN_PG_STORE (store);
  SabanPgStore *reader;
  PGconn *conn = connect_to (self->uri, TRUE, error);

  if (conn == NULL)
    return NULL;
  reader = g_object_new (SABAN_TYPE_PG_STORE, NULL);
  reader->conn = conn;
  reader->uri = g_strdup (self->uri);
  reader->reader = TRUE;
  return SABAN_STORE (reader);
}

static void
saban_pg_store_finalize (GObject *object)
{
  SabanPgStore *self = SABAN_PG_STORE (object);

  g_clear_pointer (&self->conn, PQfinish);
  g_hash_table_unref (self->prepared);
  g_free (self->uri);
  G_OBJECT_CLASS (saban_pg_store_parent_class)->finalize (object);
}

static void
saban_pg_store_class_init (SabanPgStoreClass *klass)
{
  SabanStoreClass *store_class = SABAN_STORE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = saban_pg_store_finalize;
  store_class->dialect = SABAN_DIALECT_POSTGRES;
  store_class->prepare = saban_pg_store_prepare;
  store_class->exec = saban_pg_store_exec;
  store_class->in_transaction = saban_pg_store_in_transaction;
  store_class->open_reader = saban_pg_store_open_reader;
  store_class->is_usable = saban_pg_store_is_usable;
}

static void
saban_pg_store_init (SabanPgStore *self)
{
  self->prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * saban_pg_store_open:
 * @uri: "postgresql://user@host1:port1,host2:port2/db?…"; with several hosts
 *   the primary is the one used (target_session_attrs=read-write unless the
 *   URI says otherwise)
 *
 * Connects; the schema is not migrated yet (saban_store_open() does both).
 */
SabanStore *
saban_pg_store_open (const char *uri, GError **error)
{
  PGconn *conn = connect_to (uri, FALSE, error);
  SabanPgStore *self;

  if (conn == NULL)
    return NULL;
  self = g_object_new (SABAN_TYPE_PG_STORE, NULL);
  self->conn = conn;
  self->uri = g_strdup (uri);
  return SABAN_STORE (self);
}

const char *
saban_pg_store_get_uri (SabanPgStore *self)
{
  return self->uri;
}

static char *
escape (const char *text)
{
  return g_uri_escape_string (text != NULL ? text : "", NULL, FALSE);
}

/**
 * saban_pg_store_uri_for:
 * @dbname: (nullable): another database on the same server, or %NULL
 *
 * A URI to the very server this store is connected to (the primary it
 * found among several hosts), as the same user: for the programs a backup
 * runs (pg_dump, pg_restore), which must meet the same server.
 */
char *
saban_pg_store_uri_for (SabanPgStore *self, const char *dbname)
{
  g_autofree char *user = NULL, *password = NULL, *host = NULL, *db = NULL;

  g_return_val_if_fail (self->conn != NULL, NULL);
  user = escape (PQuser (self->conn));
  password = PQpass (self->conn) != NULL && *PQpass (self->conn) ? escape (PQpass (self->conn)) : NULL;
  host = escape (PQhost (self->conn));
  db = escape (dbname != NULL ? dbname : PQdb (self->conn));
  return g_strdup_printf ("postgresql://%s%s%s@%s:%s/%s", user, password ? ":" : "", password ? password : "", host,
                          PQport (self->conn), db);
}

/**
 * saban_pg_program:
 * The path of a PostgreSQL program (pg_dump, pg_restore): in
 * $SABAN_PG_BINDIR, else PostgreSQL 15's, else on the PATH.
 */
char *
saban_pg_program (const char *name)
{
  const char *dir = g_getenv ("SABAN_PG_BINDIR");
  g_autofree char *path = g_build_filename (dir != NULL ? dir : "/usr/lib/postgresql/15/bin", name, NULL);

  if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&path);
  return g_find_program_in_path (name);
}
