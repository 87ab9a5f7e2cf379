/* saban-sqlite-store.c: the store in one SQLite file, the embedded default.
 *
 * WAL and synchronous=FULL: a committed write survives a power cut, and
 * readers in worker threads (read-only connections of their own) read
 * while the main connection writes.
 */
#include "saban-sqlite-store.h"
#include "saban-stmt-private.h"

#include <gio/gio.h>

typedef struct
{
  const char *name;
  int         n_args;
  void      (*func) (sqlite3_context *, int, sqlite3_value **);
} Function;

struct _SabanSqliteStore
{
  SabanStore  parent_instance;
  sqlite3    *db;
  char       *path;
  gboolean    read_only;
  GArray     *functions;  /* of Function, set on every connection */
};

G_DEFINE_FINAL_TYPE (SabanSqliteStore, saban_sqlite_store, SABAN_TYPE_STORE)

typedef struct
{
  SabanStmt     base;
  sqlite3_stmt *st;
  sqlite3      *db;
} SqliteStmt;

static void
set_error (GError **error, sqlite3 *db, const char *what)
{
  int code = sqlite3_errcode (db);

  g_set_error (error, SABAN_STORE_ERROR,
               code == SQLITE_CONSTRAINT ? SABAN_STORE_ERROR_CONSTRAINT : SABAN_STORE_ERROR_FAILED,
               "%s: %s", what, sqlite3_errmsg (db));
}

/* ---- statements ------------------------------------------------------------- */

static gboolean
sqlite_execute (SabanStmt *base, GError **error)
{
  SqliteStmt *self = (SqliteStmt *) base;

  for (guint i = 0; i < base->params->len; i++)
    {
      SabanParam *p = &g_array_index (base->params, SabanParam, i);

      switch (p->kind)
        {
        case SABAN_VALUE_INT:
          sqlite3_bind_int64 (self->st, (int) i + 1, p->i);
          break;
        case SABAN_VALUE_REAL:
          sqlite3_bind_double (self->st, (int) i + 1, p->d);
          break;
        case SABAN_VALUE_TEXT:
          sqlite3_bind_text (self->st, (int) i + 1, p->text, -1, SQLITE_TRANSIENT);
          break;
        case SABAN_VALUE_NULL:
          sqlite3_bind_null (self->st, (int) i + 1);
          break;
        }
    }
  return TRUE;
}

static gboolean
sqlite_next (SabanStmt *base, GError **error)
{
  SqliteStmt *self = (SqliteStmt *) base;
  int rc = sqlite3_step (self->st);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    {
      base->changes = sqlite3_changes (self->db);
      return FALSE;
    }
  set_error (error, self->db, "step");
  return FALSE;
}

static int
sqlite_n_columns (SabanStmt *base)
{
  return sqlite3_column_count (((SqliteStmt *) base)->st);
}

static const char *
sqlite_column_name (SabanStmt *base, int column)
{
  return sqlite3_column_name (((SqliteStmt *) base)->st, column);
}

static SabanValueKind
sqlite_column_kind (SabanStmt *base, int column)
{
  switch (sqlite3_column_type (((SqliteStmt *) base)->st, column))
    {
    case SQLITE_INTEGER:
      return SABAN_VALUE_INT;
    case SQLITE_FLOAT:
      return SABAN_VALUE_REAL;
    case SQLITE_NULL:
      return SABAN_VALUE_NULL;
    default:
      return SABAN_VALUE_TEXT;
    }
}

static const char *
sqlite_column_text (SabanStmt *base, int column)
{
  return (const char *) sqlite3_column_text (((SqliteStmt *) base)->st, column);
}

static gint64
sqlite_column_int64 (SabanStmt *base, int column)
{
  return sqlite3_column_int64 (((SqliteStmt *) base)->st, column);
}

static double
sqlite_column_double (SabanStmt *base, int column)
{
  return sqlite3_column_double (((SqliteStmt *) base)->st, column);
}

static void
sqlite_reset (SabanStmt *base)
{
  sqlite3_reset (((SqliteStmt *) base)->st);
}

static void
sqlite_free (SabanStmt *base)
{
  sqlite3_finalize (((SqliteStmt *) base)->st);
  g_free (base);
}

static const SabanStmtClass sqlite_stmt_class = {
  sqlite_execute, sqlite_next, sqlite_n_columns, sqlite_column_name, sqlite_column_kind, sqlite_column_text,
  sqlite_column_int64, sqlite_column_double, sqlite_reset, sqlite_free,
};

/* ---- the store ---------------------------------------------------------------- */

static SabanStmt *
saban_sqlite_store_prepare (SabanStore *store, const char *sql, GError **error)
{
  SabanSqliteStore *self = SABAN_SQLITE_STORE (store);
  sqlite3_stmt *st = NULL;
  SqliteStmt *stmt;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &st, NULL) != SQLITE_OK)
    {
      set_error (error, self->db, "prepare");
      return NULL;
    }
  stmt = g_new0 (SqliteStmt, 1);
  saban_stmt_init (&stmt->base, &sqlite_stmt_class, sqlite3_bind_parameter_count (st));
  stmt->st = st;
  stmt->db = self->db;
  return &stmt->base;
}

static gboolean
saban_sqlite_store_exec (SabanStore *store, const char *sql, GError **error)
{
  SabanSqliteStore *self = SABAN_SQLITE_STORE (store);
  char *msg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, SABAN_STORE_ERROR,
                   sqlite3_errcode (self->db) == SQLITE_CONSTRAINT ? SABAN_STORE_ERROR_CONSTRAINT
                                                                   : SABAN_STORE_ERROR_FAILED,
                   "%s", msg ? msg : "SQLite error");
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

static gboolean
saban_sqlite_store_in_transaction (SabanStore *store)
{
  return !sqlite3_get_autocommit (SABAN_SQLITE_STORE (store)->db);
}

static gboolean
saban_sqlite_store_is_usable (SabanStore *store)
{
  return TRUE;
}

static void
register_functions (SabanSqliteStore *self, sqlite3 *db)
{
  for (guint i = 0; i < self->functions->len; i++)
    {
      Function *f = &g_array_index (self->functions, Function, i);

      sqlite3_create_function_v2 (db, f->name, f->n_args, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, f->func,
                                  NULL, NULL, NULL);
    }
}

static SabanStore *
saban_sqlite_store_open_reader (SabanStore *store, GError **error)
{
  SabanSqliteStore *self = SABAN_SQLITE_STORE (store);
  g_autoptr(SabanSqliteStore) reader = g_object_new (SABAN_TYPE_SQLITE_STORE, NULL);

  if (sqlite3_open_v2 (self->path, &reader->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      set_error (error, reader->db, self->path);
      return NULL;
    }
  reader->read_only = TRUE;
  reader->path = g_strdup (self->path);
  sqlite3_busy_timeout (reader->db, 5000);
  g_array_append_vals (reader->functions, self->functions->data, self->functions->len);
  register_functions (reader, reader->db);
  return SABAN_STORE (g_steal_pointer (&reader));
}

static void
saban_sqlite_store_finalize (GObject *object)
{
  SabanSqliteStore *self = SABAN_SQLITE_STORE (object);

  if (self->db != NULL)
    {
      /* Fold the WAL back so a copied database file is whole on its own. */
      if (!self->read_only)
        sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
      sqlite3_close_v2 (self->db);
    }
  g_free (self->path);
  g_array_unref (self->functions);
  G_OBJECT_CLASS (saban_sqlite_store_parent_class)->finalize (object);
}

static void
saban_sqlite_store_class_init (SabanSqliteStoreClass *klass)
{
  SabanStoreClass *store_class = SABAN_STORE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = saban_sqlite_store_finalize;
  store_class->dialect = SABAN_DIALECT_SQLITE;
  store_class->prepare = saban_sqlite_store_prepare;
  store_class->exec = saban_sqlite_store_exec;
  store_class->in_transaction = saban_sqlite_store_in_transaction;
  store_class->open_reader = saban_sqlite_store_open_reader;
  store_class->is_usable = saban_sqlite_store_is_usable;
}

static void
saban_sqlite_store_init (SabanSqliteStore *self)
{
  self->functions = g_array_new (FALSE, FALSE, sizeof (Function));
}

/**
 * saban_sqlite_store_open:
 * Opens (or creates) the database file, in WAL mode with synchronous=FULL;
 * its schema is not migrated yet (saban_store_open() does both).
 */
SabanStore *
saban_sqlite_store_open (const char *path, GError **error)
{
  g_autoptr(SabanSqliteStore) self = g_object_new (SABAN_TYPE_SQLITE_STORE, NULL);

  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      set_error (error, self->db, path);
      return NULL;
    }
  self->path = g_strdup (path);
  sqlite3_busy_timeout (self->db, 5000);
  if (!saban_sqlite_store_exec (SABAN_STORE (self), "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                                "PRAGMA foreign_keys=ON;", error))
    return NULL;
  return SABAN_STORE (g_steal_pointer (&self));
}

/**
 * saban_sqlite_store_add_function:
 * An SQL function for this store's statements, on its connection and on
 * every reader's. Call before the first reader is taken.
 */
void
saban_sqlite_store_add_function (SabanSqliteStore *self, const char *name, int n_args,
                                 void (*func) (sqlite3_context *, int, sqlite3_value **))
{
  Function f = { name, n_args, func };

  g_array_append_val (self->functions, f);
  sqlite3_create_function_v2 (self->db, name, n_args, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, func,
                              NULL, NULL, NULL);
}

const char *
saban_sqlite_store_get_path (SabanSqliteStore *self)
{
  return self->path;
}

/**
 * saban_sqlite_store_backup:
 * @self: a connection to the database; inside a read transaction the copy
 *   is that transaction's snapshot (what its reads see)
 * @out_path: a file that does not exist yet
 *
 * Copies the database with SQLite's online backup API in one step, so the
 * copy is one consistent state while the server keeps writing (WAL). The
 * copy is a standalone database (journal mode DELETE) that `--db` can start
 * from.
 */
gboolean
saban_sqlite_store_backup (SabanSqliteStore *self, const char *out_path, GError **error)
{
  sqlite3 *dst = NULL;
  sqlite3_backup *backup;
  gboolean ok = FALSE;
  int rc;

  if (g_file_test (out_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SABAN_STORE_ERROR, SABAN_STORE_ERROR_FAILED, "%s exists; refusing to overwrite it",
                   out_path);
      return FALSE;
    }
  if (sqlite3_open_v2 (out_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      set_error (error, dst, out_path);
      goto out;
    }
  backup = sqlite3_backup_init (dst, "main", self->db, "main");
  if (backup == NULL)
    {
      set_error (error, dst, "backup");
      goto out;
    }
  do
    {
      rc = sqlite3_backup_step (backup, -1);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep (20);
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      set_error (error, dst, "backup");
      goto out;
    }
  /* The copy is a standalone file: no WAL beside it. */
  if (sqlite3_exec (dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_error (error, dst, out_path);
      goto out;
    }
  ok = TRUE;
out:
  sqlite3_close_v2 (dst);
  return ok;
}
