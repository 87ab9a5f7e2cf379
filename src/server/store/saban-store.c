/* saban-store.c: the server's SQLite store.
 *
 * One connection for writes, used only from the main thread: every write is
 * a short transaction, and a write is acknowledged only after COMMIT
 * returned, with WAL and synchronous=FULL so a committed write survives a
 * power cut. Reads too heavy for the main loop run in worker threads on
 * read-only connections of their own (WAL lets them read while the main
 * connection writes), lent from a pool.
 */
#include "saban-store.h"

#include <gio/gio.h>

typedef struct
{
  const char *name;
  int         n_args;
  void      (*func) (sqlite3_context *, int, sqlite3_value **);
} Function;

struct _SabanStore
{
  GObject      parent_instance;
  sqlite3     *db;
  int          schema_version;
  char        *path;
  gboolean     read_only;
  GArray      *functions;  /* of Function, set on every connection */
  GAsyncQueue *readers;    /* idle read-only stores */
};

G_DEFINE_FINAL_TYPE (SabanStore, saban_store, G_TYPE_OBJECT)

/* Migrations run in order, each in its own transaction; the index + 1 is the
 * schema version it brings the database to. Never edit a released step: add one. */
static const char *const migrations[] = {
  /* 1: accounts, tokens, the audit trail, the Command API items and log */
  "CREATE TABLE users (username TEXT PRIMARY KEY, role TEXT NOT NULL, "
  "  password TEXT NOT NULL, created TEXT NOT NULL);"
  "CREATE TABLE tokens (hash TEXT PRIMARY KEY, username TEXT NOT NULL REFERENCES users, "
  "  expires INTEGER NOT NULL);"
  "CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, "
  "  actor TEXT, action TEXT NOT NULL, target TEXT, detail TEXT);"
  "CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit "
  "  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"
  "CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit "
  "  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"
  "CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, collection TEXT NOT NULL, "
  "  version INTEGER NOT NULL DEFAULT 1, status TEXT, scenario_id INTEGER, assignee TEXT, "
  "  created TEXT NOT NULL, updated TEXT NOT NULL, "
  "  minx REAL, miny REAL, maxx REAL, maxy REAL, "
  "  properties TEXT NOT NULL, geometry TEXT);"
  "CREATE INDEX items_collection ON items (collection, id);"
  "CREATE INDEX items_updated ON items (collection, updated);"
  "CREATE INDEX items_scenario ON items (collection, scenario_id);"
  "CREATE TABLE scenario_log (id INTEGER PRIMARY KEY AUTOINCREMENT, scenario_id INTEGER, "
  "  task_id INTEGER, at TEXT NOT NULL, actor TEXT, from_status TEXT, to_status TEXT, note TEXT);"
  "CREATE INDEX scenario_log_scenario ON scenario_log (scenario_id);"
  "CREATE INDEX scenario_log_task ON scenario_log (task_id);"
  "CREATE TRIGGER scenario_log_append_only_u BEFORE UPDATE ON scenario_log "
  "  BEGIN SELECT RAISE(ABORT, 'scenario-log is append-only'); END;"
  "CREATE TRIGGER scenario_log_append_only_d BEFORE DELETE ON scenario_log "
  "  BEGIN SELECT RAISE(ABORT, 'scenario-log is append-only'); END;"
  /* The response of an idempotent write, stored in the write's transaction. */
  "CREATE TABLE idempotency (key TEXT PRIMARY KEY, username TEXT, method TEXT, path TEXT, "
  "  status INTEGER NOT NULL, location TEXT, etag TEXT, body TEXT, at TEXT NOT NULL);",
  /* 2: SensorThings entities, CAP alerts, Open311 requests and their notes.
   * Times are text in saban_store_now()'s form so they compare as text;
   * every geometry is a CRS84 point (lon, lat) except an alert's area. */
  "CREATE TABLE sta_things (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, "
  "  description TEXT NOT NULL DEFAULT '', properties TEXT);"
  "CREATE TABLE sta_locations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, "
  "  description TEXT NOT NULL DEFAULT '', lon REAL NOT NULL, lat REAL NOT NULL);"
  "CREATE TABLE sta_thing_locations (thing_id INTEGER NOT NULL, location_id INTEGER NOT NULL, "
  "  PRIMARY KEY (thing_id, location_id));"
  "CREATE INDEX sta_thing_locations_l ON sta_thing_locations (location_id);"
  "CREATE TABLE sta_historical_locations (id INTEGER PRIMARY KEY AUTOINCREMENT, "
  "  thing_id INTEGER NOT NULL, location_id INTEGER NOT NULL, time TEXT NOT NULL);"
  "CREATE INDEX sta_historical_locations_t ON sta_historical_locations (thing_id, time);"
  "CREATE TABLE sta_sensors (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, "
  "  description TEXT NOT NULL DEFAULT '', encoding_type TEXT NOT NULL, metadata TEXT NOT NULL);"
  "CREATE TABLE sta_observed_properties (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, "
  "  definition TEXT NOT NULL, description TEXT NOT NULL DEFAULT '');"
  "CREATE TABLE sta_features (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, "
  "  description TEXT NOT NULL DEFAULT '', lon REAL NOT NULL, lat REAL NOT NULL);"
  "CREATE TABLE sta_datastreams (id INTEGER PRIMARY KEY AUTOINCREMENT, thing_id INTEGER NOT NULL, "
  "  sensor_id INTEGER NOT NULL, observed_property_id INTEGER NOT NULL, foi_id INTEGER, "
  "  name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', observation_type TEXT NOT NULL, "
  "  unit TEXT NOT NULL, properties TEXT);"
  "CREATE INDEX sta_datastreams_t ON sta_datastreams (thing_id);"
  "CREATE TABLE sta_observations (id INTEGER PRIMARY KEY AUTOINCREMENT, datastream_id INTEGER NOT NULL, "
  "  phenomenon_time TEXT NOT NULL, result_time TEXT, result REAL NOT NULL, foi_id INTEGER);"
  "CREATE INDEX sta_observations_dt ON sta_observations (datastream_id, phenomenon_time);"
  "CREATE INDEX sta_observations_t ON sta_observations (phenomenon_time);"
  "CREATE TABLE cap_alerts (id INTEGER PRIMARY KEY AUTOINCREMENT, identifier TEXT UNIQUE NOT NULL, "
  "  sender TEXT NOT NULL, sent TEXT NOT NULL, status TEXT NOT NULL, msg_type TEXT NOT NULL, "
  "  scope TEXT NOT NULL, category TEXT NOT NULL, event TEXT NOT NULL, urgency TEXT NOT NULL, "
  "  severity TEXT NOT NULL, certainty TEXT NOT NULL, headline TEXT, description TEXT, instruction TEXT, "
  "  area_desc TEXT NOT NULL, polygon TEXT NOT NULL, expires TEXT, created_by TEXT, "
  "  minx REAL, miny REAL, maxx REAL, maxy REAL);"
  "CREATE TABLE o311_requests (id INTEGER PRIMARY KEY AUTOINCREMENT, service_code TEXT NOT NULL, "
  "  status TEXT NOT NULL DEFAULT 'open', status_notes TEXT, description TEXT, agency_responsible TEXT, "
  "  service_notice TEXT, requested TEXT NOT NULL, updated TEXT NOT NULL, expected TEXT, address TEXT, "
  "  lat REAL, lon REAL, media_url TEXT, first_name TEXT, last_name TEXT, phone TEXT, email TEXT, "
  "  demo INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX o311_requests_requested ON o311_requests (requested);"
  "CREATE TABLE o311_notes (id INTEGER PRIMARY KEY AUTOINCREMENT, request_id INTEGER NOT NULL, "
  "  at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, note TEXT);"
  "CREATE TRIGGER o311_notes_append_only_u BEFORE UPDATE ON o311_notes "
  "  BEGIN SELECT RAISE(ABORT, 'notes are append-only'); END;",
  /* 3: hardening — an account locked after failed sign-ins (when, NULL: not),
   * an idempotent write bound to its request (SHA-256 of method, path and
   * body), a user's tokens found to revoke them */
  "ALTER TABLE users ADD COLUMN locked TEXT;"
  "ALTER TABLE idempotency ADD COLUMN request_hash TEXT;"
  "CREATE INDEX tokens_username ON tokens (username);",
  /* 4: socio-economic indicators: the province and its communes (from the
   * served GeoPackage, with their populations), the catalogue, and values per
   * place and period with who uploaded them. Periods are text ("2026-11",
   * "2026-Q3", "2026", "2026-11-06") with their first day beside them for
   * ranges; an indicator's values are found through the key's prefix. The
   * Command API's old `indicators` items are superseded. */
  "CREATE TABLE admin_units (code TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, "
  "  population REAL, updated TEXT NOT NULL);"
  "CREATE TABLE indicators (code TEXT PRIMARY KEY, name TEXT NOT NULL, unit TEXT NOT NULL, "
  "  sector TEXT NOT NULL, agency TEXT NOT NULL, period TEXT NOT NULL, aggregate TEXT NOT NULL, "
  "  higher_is_better INTEGER NOT NULL, target REAL, warning REAL, due_days INTEGER NOT NULL, "
  "  source TEXT NOT NULL, updated TEXT NOT NULL, updated_by TEXT);"
  "CREATE TABLE indicator_values (indicator TEXT NOT NULL REFERENCES indicators, unit_code TEXT NOT NULL, "
  "  period TEXT NOT NULL, period_start TEXT NOT NULL, value REAL NOT NULL, uploaded TEXT NOT NULL, "
  "  uploaded_by TEXT, PRIMARY KEY (indicator, period, unit_code)) WITHOUT ROWID;"
  "DELETE FROM items WHERE collection = 'indicators';",
  /* 5: citizens' reports handled (issue 13): a likely duplicate merged into
   * another keeps the other's id */
  "ALTER TABLE o311_requests ADD COLUMN duplicate_of INTEGER;",
};

static void
set_sqlite_error (GError **error, sqlite3 *db, const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, sqlite3_errmsg (db));
}

static void
saban_store_finalize (GObject *object)
{
  SabanStore *self = SABAN_STORE (object);

  if (self->readers != NULL)
    {
      SabanStore *reader;

      while ((reader = g_async_queue_try_pop (self->readers)) != NULL)
        g_object_unref (reader);
      g_async_queue_unref (self->readers);
    }
  if (self->db != NULL)
    {
      /* Fold the WAL back so a copied database file is whole on its own. */
      if (!self->read_only)
        sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
      sqlite3_close_v2 (self->db);
    }
  g_free (self->path);
  g_array_unref (self->functions);
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
  self->functions = g_array_new (FALSE, FALSE, sizeof (Function));
  self->readers = g_async_queue_new ();
}

gboolean
saban_store_exec (SabanStore *self, const char *sql, GError **error)
{
  char *msg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", msg ? msg : "SQLite error");
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

sqlite3_stmt *
saban_store_prepare (SabanStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, "prepare");
      return NULL;
    }
  return stmt;
}

static gboolean
migrate (SabanStore *self, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!saban_store_exec (self, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, "
                         "applied TEXT NOT NULL)", error))
    return FALSE;
  stmt = saban_store_prepare (self, "SELECT COALESCE(MAX(version), 0) FROM schema_version", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    self->schema_version = sqlite3_column_int (stmt, 0);

  if (self->schema_version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "database schema version %d is newer than this server (%d)",
                   self->schema_version, (int) G_N_ELEMENTS (migrations));
      return FALSE;
    }

  for (int v = self->schema_version; v < (int) G_N_ELEMENTS (migrations); v++)
    {
      g_autoptr(sqlite3_stmt) ins = NULL;
      g_autofree char *now = saban_store_now ();

      if (!saban_store_begin (self, error))
        return FALSE;
      if (!saban_store_exec (self, migrations[v], error))
        {
          saban_store_rollback (self);
          return FALSE;
        }
      ins = saban_store_prepare (self, "INSERT INTO schema_version (version, applied) VALUES (?, ?)", error);
      if (ins == NULL)
        {
          saban_store_rollback (self);
          return FALSE;
        }
      sqlite3_bind_int (ins, 1, v + 1);
      sqlite3_bind_text (ins, 2, now, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (ins) != SQLITE_DONE)
        {
          set_sqlite_error (error, self->db, "schema_version");
          saban_store_rollback (self);
          return FALSE;
        }
      if (!saban_store_commit (self, error))
        return FALSE;
      self->schema_version = v + 1;
    }
  return TRUE;
}

/**
 * saban_store_open:
 * Opens (or creates) the database and brings its schema up to date.
 */
SabanStore *
saban_store_open (const char *path, GError **error)
{
  g_autoptr(SabanStore) self = g_object_new (SABAN_TYPE_STORE, NULL);

  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, path);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);
  if (!saban_store_exec (self, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                         "PRAGMA foreign_keys=ON;", error))
    return NULL;
  if (!migrate (self, error))
    return NULL;
  self->path = g_strdup (path);
  return g_steal_pointer (&self);
}

/**
 * saban_store_add_function:
 * An SQL function for this store's statements, on its connection and on
 * every reader's. Call before the first reader is taken.
 */
void
saban_store_add_function (SabanStore *self, const char *name, int n_args,
                          void (*func) (sqlite3_context *, int, sqlite3_value **))
{
  Function f = { name, n_args, func };

  g_array_append_val (self->functions, f);
  sqlite3_create_function_v2 (self->db, name, n_args, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, func,
                              NULL, NULL, NULL);
}

static SabanStore *
open_reader (SabanStore *self, GError **error)
{
  g_autoptr(SabanStore) reader = g_object_new (SABAN_TYPE_STORE, NULL);

  if (sqlite3_open_v2 (self->path, &reader->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, reader->db, self->path);
      return NULL;
    }
  reader->read_only = TRUE;
  reader->schema_version = self->schema_version;
  sqlite3_busy_timeout (reader->db, 5000);
  for (guint i = 0; i < self->functions->len; i++)
    {
      Function *f = &g_array_index (self->functions, Function, i);

      sqlite3_create_function_v2 (reader->db, f->name, f->n_args, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                  f->func, NULL, NULL, NULL);
    }
  return g_steal_pointer (&reader);
}

/**
 * saban_store_acquire_reader:
 * A read-only store on the same database for the calling thread, until
 * saban_store_release_reader(); it sees every committed write. Any thread.
 */
SabanStore *
saban_store_acquire_reader (SabanStore *self, GError **error)
{
  SabanStore *reader = g_async_queue_try_pop (self->readers);

  return reader != NULL ? reader : open_reader (self, error);
}

/* Gives @reader back to the pool (a transaction left open is ended). */
void
saban_store_release_reader (SabanStore *self, SabanStore *reader)
{
  saban_store_rollback (reader);
  g_async_queue_push (self->readers, reader);
}

sqlite3 *
saban_store_get_db (SabanStore *self)
{
  return self->db;
}

int
saban_store_get_schema_version (SabanStore *self)
{
  return self->schema_version;
}

gboolean
saban_store_begin (SabanStore *self, GError **error)
{
  /* IMMEDIATE: take the write lock now, so a backup reader never makes a
   * commit fail half-way through a request. */
  return saban_store_exec (self, "BEGIN IMMEDIATE", error);
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

void
saban_store_rollback (SabanStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
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
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = saban_store_now ();

  stmt = saban_store_prepare (self, "INSERT INTO audit (at, actor, action, target, detail) "
                              "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, actor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, target, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, detail, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "audit");
      return FALSE;
    }
  return TRUE;
}

/**
 * saban_store_backup:
 * Copies a live database to @out_path with SQLite's online backup API, a few
 * pages at a time so the serving process keeps writing meanwhile. The copy
 * is a complete database that `--db` can start from.
 */
gboolean
saban_store_backup (const char *db_path, const char *out_path, GError **error)
{
  sqlite3 *src = NULL, *dst = NULL;
  sqlite3_backup *backup;
  int rc;
  gboolean ok = FALSE;

  if (!g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no database at %s", db_path);
      return FALSE;
    }
  if (sqlite3_open_v2 (db_path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, src, db_path);
      goto out;
    }
  sqlite3_busy_timeout (src, 5000);
  if (sqlite3_open_v2 (out_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, dst, out_path);
      goto out;
    }
  backup = sqlite3_backup_init (dst, "main", src, "main");
  if (backup == NULL)
    {
      set_sqlite_error (error, dst, "backup");
      goto out;
    }
  do
    {
      rc = sqlite3_backup_step (backup, 256);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep (20);
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, dst, "backup");
      goto out;
    }
  /* The copy is a standalone file: no WAL beside it. */
  sqlite3_exec (dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
  ok = TRUE;
out:
  sqlite3_close_v2 (src);
  sqlite3_close_v2 (dst);
  return ok;
}

/**
 * saban_store_now:
 * The current UTC time as RFC 3339 with milliseconds; the text sorts in time order.
 */
char *
saban_store_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *base = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (now) / 1000);
}
