/* saban-store.c: the server's store, one interface over two databases.
 *
 * A SabanStore is a connection with prepared statements (`?` parameters,
 * typed binds and columns), transactions, and a pool of connections for
 * reads in worker threads. SabanSqliteStore (a file: the embedded default)
 * and SabanPgStore (PostgreSQL 15 + PostGIS 3 through libpq: production)
 * implement it. Every module writes its SQL once for both; where the two
 * differ, the schema gives both the same names (saban-schema.c: SQL
 * functions of the same name, json columns that `->>` reads in either) and
 * the rare module that must differ asks saban_store_get_dialect().
 *
 * One connection serves the main thread: every write is a short
 * transaction, acknowledged only after COMMIT returned. Heavy reads run in
 * worker threads on connections lent from the pool.
 */
#include "saban-store.h"

typedef struct
{
  int          schema_version;
  GAsyncQueue *readers;      /* idle reader stores */
  guint        unavailable;  /* calls that found the database away */
} SabanStorePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (SabanStore, saban_store, G_TYPE_OBJECT)

static void
saban_store_finalize (GObject *object)
{
  SabanStorePrivate *priv = saban_store_get_instance_private (SABAN_STORE (object));
  SabanStore *reader;

  while ((reader = g_async_queue_try_pop (priv->readers)) != NULL)
    g_object_unref (reader);
  g_async_queue_unref (priv->readers);
  G_OBJECT_CLASS (saban_store_parent_class)->finalize (object);
}

static void
saban_store_class_init (SabanStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_store_finalize;
}

static void
saban_store_init (SabanStore *self)
{
  SabanStorePrivate *priv = saban_store_get_instance_private (self);

  priv->readers = g_async_queue_new ();
}

/**
 * saban_store_is_postgres_uri:
 * Whether @location names a PostgreSQL database ("postgresql://…").
 */
gboolean
saban_store_is_postgres_uri (const char *location)
{
  return g_str_has_prefix (location, "postgresql://") || g_str_has_prefix (location, "postgres://");
}

/**
 * saban_store_describe:
 * @location as it may be logged: a password in it is replaced by "***".
 */
char *
saban_store_describe (const char *location)
{
  g_autoptr(GRegex) userinfo = NULL, param = NULL;
  g_autofree char *first = NULL;

  if (!saban_store_is_postgres_uri (location))
    return g_strdup (location);
  userinfo = g_regex_new ("^(postgres(?:ql)?://[^:@/]*:)[^@/]*@", 0, 0, NULL);
  param = g_regex_new ("([?&]password=)[^&]*", 0, 0, NULL);
  first = g_regex_replace (userinfo, location, -1, 0, "\\1***@", 0, NULL);
  return g_regex_replace (param, first, -1, 0, "\\1***", 0, NULL);
}

SabanDialect
saban_store_get_dialect (SabanStore *self)
{
  return SABAN_STORE_GET_CLASS (self)->dialect;
}

int
saban_store_get_schema_version (SabanStore *self)
{
  SabanStorePrivate *priv = saban_store_get_instance_private (self);

  return priv->schema_version;
}

void
saban_store_set_schema_version (SabanStore *self, int version)
{
  SabanStorePrivate *priv = saban_store_get_instance_private (self);

  priv->schema_version = version;
}

/**
 * saban_store_prepare:
 * A statement on this store's connection; use it on the thread that owns
 * the store. %NULL with @error set when the SQL is wrong or the database is
 * away.
 */
SabanStmt *
saban_store_prepare (SabanStore *self, const char *sql, GError **error)
{
  return SABAN_STORE_GET_CLASS (self)->prepare (self, sql, error);
}

/* Runs @sql, which may hold several statements and no parameters. */
gboolean
saban_store_exec (SabanStore *self, const char *sql, GError **error)
{
  return SABAN_STORE_GET_CLASS (self)->exec (self, sql, error);
}

gboolean
saban_store_begin (SabanStore *self, GError **error)
{
  /* SQLite: IMMEDIATE takes the write lock now, so a backup reader never
   * makes a commit fail half-way through a request. */
  return saban_store_exec (self, saban_store_get_dialect (self) == SABAN_DIALECT_SQLITE ? "BEGIN IMMEDIATE"
                                                                                        : "BEGIN", error);
}

gboolean
saban_store_commit (SabanStore *self, GError **error)
{
  if (!saban_store_exec (self, "COMMIT", error))
    {
      saban_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

/**
 * saban_store_is_available:
 * Whether the database can be reached now (FALSE while a lost connection
 * is being made again).
 */
gboolean
saban_store_is_available (SabanStore *self)
{
  return SABAN_STORE_GET_CLASS (self)->is_usable (self);
}

/* For the backends: a call found the database away. */
void
saban_store_note_unavailable (SabanStore *self)
{
  SabanStorePrivate *priv = saban_store_get_instance_private (self);

  priv->unavailable++;
}

/**
 * saban_store_get_unavailable_count:
 * How many calls found the database away so far: a request compares it
 * before and after, so an answer made from a failed read ("no such item",
 * "unknown token") becomes a 503 instead.
 */
guint
saban_store_get_unavailable_count (SabanStore *self)
{
  SabanStorePrivate *priv = saban_store_get_instance_private (self);

  return priv->unavailable;
}

/* Whether a transaction is open on this store's connection. */
gboolean
saban_store_in_transaction (SabanStore *self)
{
  return SABAN_STORE_GET_CLASS (self)->in_transaction (self);
}

/* Ends a transaction without its changes; nothing if none is open. */
void
saban_store_rollback (SabanStore *self)
{
  if (SABAN_STORE_GET_CLASS (self)->in_transaction (self))
    saban_store_exec (self, "ROLLBACK", NULL);
}

/**
 * saban_store_audit:
 * Appends one row to the audit trail. Call inside the transaction of the
 * write it records, so the write and its trace commit together.
 */
gboolean
saban_store_audit (SabanStore *self, const char *actor, const char *action,
                   const char *target, const char *detail, GError **error)
{
  g_autoptr(SabanStmt) st = NULL;
  g_autofree char *now = saban_store_now ();

  st = saban_store_prepare (self, "INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                            error);
  if (st == NULL)
    return FALSE;
  saban_stmt_bind_text (st, 1, now);
  saban_stmt_bind_text (st, 2, actor);
  saban_stmt_bind_text (st, 3, action);
  saban_stmt_bind_text (st, 4, target);
  saban_stmt_bind_text (st, 5, detail);
  return saban_stmt_run (st, error);
}

/**
 * saban_store_acquire_reader:
 * A connection to the same database for the calling thread, until
 * saban_store_release_reader(); it sees every committed write. Any thread.
 */
SabanStore *
saban_store_acquire_reader (SabanStore *self, GError **error)
{
  SabanStorePrivate *priv = saban_store_get_instance_private (self);
  SabanStore *reader = g_async_queue_try_pop (priv->readers);

  if (reader != NULL)
    return reader;
  reader = SABAN_STORE_GET_CLASS (self)->open_reader (self, error);
  if (reader != NULL)
    saban_store_set_schema_version (reader, saban_store_get_schema_version (self));
  return reader;
}

/* Gives @reader back to the pool (a transaction left open is ended); one
 * whose connection broke is closed instead. */
void
saban_store_release_reader (SabanStore *self, SabanStore *reader)
{
  SabanStorePrivate *priv = saban_store_get_instance_private (self);

  saban_store_rollback (reader);
  if (SABAN_STORE_GET_CLASS (reader)->is_usable (reader))
    g_async_queue_push (priv->readers, reader);
  else
    g_object_unref (reader);
}

/**
 * saban_store_now:
 * The current UTC time as RFC 3339 with milliseconds; the text sorts in
 * time order, in either database (times are text in both).
 */
char *
saban_store_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return saban_store_format_time (now);
}

/* @time (UTC) as saban_store_now() writes times. */
char *
saban_store_format_time (GDateTime *time)
{
  g_autofree char *base = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (time) / 1000);
}
