/* saban-store-open.c: a store opened on its database, of either kind, and
 * its schema brought up to date. Apart from saban-store.c, which both kinds
 * implement, so that the interface never includes its implementations.
 */
#include <string.h>

#include "saban-store-open.h"
#include "saban-schema.h"
#include "saban-pg-store.h"
#include "saban-sqlite-store.h"

static int read_version (SabanStore *self, GError **error);

/**
 * saban_store_open:
 * @location: a SQLite file ("FILE" or "sqlite:FILE", created if missing) or
 *   a PostgreSQL URI ("postgresql://user@host1,host2/db?…")
 *
 * Opens the database and brings its schema up to date.
 */
SabanStore *
saban_store_open (const char *location, GError **error)
{
  g_autoptr(SabanStore) self = saban_store_connect (location, error);

  if (self == NULL || !saban_store_migrate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * saban_store_connect:
 * Opens the database as it is, its schema left alone (a backup of a
 * stopped older server's database, say); its schema version is read.
 */
SabanStore *
saban_store_connect (const char *location, GError **error)
{
  g_autoptr(SabanStore) self = NULL;

  if (saban_store_is_postgres_uri (location))
    self = saban_pg_store_open (location, error);
  else
    self = saban_sqlite_store_open (g_str_has_prefix (location, "sqlite:") ? location + strlen ("sqlite:")
                                                                          : location, error);
  if (self == NULL)
    return NULL;
  /* no schema_version table: a database no server has used yet */
  if (saban_store_exec (self, "SELECT version FROM schema_version LIMIT 1", NULL))
    {
      int version = read_version (self, error);

      if (version < 0)
        return NULL;
      saban_store_set_schema_version (self, version);
    }
  return g_steal_pointer (&self);
}

/* The schema version this server brings a database to. */
int
saban_store_get_latest_version (void)
{
  return (int) saban_schema_n_migrations;
}

static int
read_version (SabanStore *self, GError **error)
{
  g_autoptr(SabanStmt) st = saban_store_prepare (self, "SELECT COALESCE(MAX(version), 0) FROM schema_version",
                                                 error);
  GError *local = NULL;

  if (st == NULL)
    return -1;
  if (!saban_stmt_step (st, &local))
    {
      if (local == NULL)
        return 0;
      g_propagate_error (error, local);
      return -1;
    }
  return (int) saban_stmt_column_int64 (st, 0);
}

static gboolean
apply_migration (SabanStore *self, int version, GError **error)
{
  const SabanMigration *m = &saban_schema_migrations[version - 1];
  g_autoptr(SabanStmt) ins = NULL;
  g_autofree char *now = saban_store_now ();

  if (!saban_store_exec (self, saban_store_get_dialect (self) == SABAN_DIALECT_SQLITE ? m->sqlite : m->postgres,
                         error))
    return FALSE;
  ins = saban_store_prepare (self, "INSERT INTO schema_version (version, applied) VALUES (?, ?)", error);
  saban_stmt_bind_int64 (ins, 1, version);
  saban_stmt_bind_text (ins, 2, now);
  return saban_stmt_run (ins, error);
}

/**
 * saban_store_migrate:
 * Applies the migrations the database lacks, in order, each in its own
 * transaction (saban_store_open() does it). Several servers starting at
 * once on one PostgreSQL database take turns: each step reads the version
 * again under a lock.
 */
gboolean
saban_store_migrate (SabanStore *self, GError **error)
{
  gboolean postgres = saban_store_get_dialect (self) == SABAN_DIALECT_POSTGRES;
  int latest = saban_store_get_latest_version ();
  int version = 0;

  if (!saban_store_exec (self, postgres ? "SELECT pg_advisory_lock(7272016)" : "SELECT 1", error))
    return FALSE;
  if (!saban_store_exec (self, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, "
                         "applied TEXT NOT NULL)", error))
    goto fail;
  for (;;)
    {
      if (!saban_store_begin (self, error) || (version = read_version (self, error)) < 0)
        goto fail;
      if (version > latest)
        {
          g_set_error (error, SABAN_STORE_ERROR, SABAN_STORE_ERROR_FAILED,
                       "database schema version %d is newer than this server (%d)", version, latest);
          goto fail;
        }
      if (version == latest)
        break;
      if (!apply_migration (self, version + 1, error) || !saban_store_commit (self, error))
        goto fail;
    }
  saban_store_rollback (self);
  saban_store_set_schema_version (self, version);
  if (postgres)
    saban_store_exec (self, "SELECT pg_advisory_unlock(7272016)", NULL);
  return TRUE;
fail:
  saban_store_rollback (self);
  if (postgres)
    saban_store_exec (self, "SELECT pg_advisory_unlock(7272016)", NULL);
  return FALSE;
}

