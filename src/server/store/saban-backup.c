/* saban-backup.c: online backups of either store, and their check.
 *
 * A backup is one consistent state of the database, with a manifest (row
 * counts and checksums, saban-manifest.c) of that same state: SQLite's
 * online backup API copies the snapshot of a read transaction in which the
 * manifest was computed; PostgreSQL's pg_dump runs on the snapshot a
 * repeatable-read transaction exported after computing it. Checking a
 * backup restores it into a scratch database (a copy of the file; a new
 * database made with pg_restore) and compares the manifest there with the
 * one made with it: a backup is good only once it has been restored.
 */
#include "saban-backup.h"
#include "saban-pg-store.h"
#include "saban-sqlite-store.h"
#include "saban-store-open.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

/* Runs a PostgreSQL program to its end; its stderr is the message. */
static gboolean
run_program (const char *const *argv, GError **error)
{
  g_autofree char *err = NULL;
  int status;

  if (argv[0] == NULL)
    {
      g_set_error (error, SABAN_STORE_ERROR, SABAN_STORE_ERROR_FAILED,
                   "PostgreSQL's programs are not installed (postgresql-client-15)");
      return FALSE;
    }
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status,
                     error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_autofree char *name = g_path_get_basename (argv[0]);

      g_set_error (error, SABAN_STORE_ERROR, SABAN_STORE_ERROR_FAILED, "%s failed: %s", name, g_strstrip (err));
      return FALSE;
    }
  return TRUE;
}

/* The text of the one value @sql returns. */
static char *
query_text (SabanStore *store, const char *sql, GError **error)
{
  g_autoptr(SabanStmt) st = saban_store_prepare (store, sql, error);
  GError *local = NULL;

  if (st == NULL)
    return NULL;
  if (!saban_stmt_step (st, &local))
    {
      if (local == NULL)
        g_set_error (&local, SABAN_STORE_ERROR, SABAN_STORE_ERROR_FAILED, "%s returned nothing", sql);
      g_propagate_error (error, local);
      return NULL;
    }
  return g_strdup (saban_stmt_column_text (st, 0));
}

static gboolean
make_sqlite (SabanStore *store, const char *out_path, SabanManifest **manifest, GError **error)
{
  /* a read transaction: the manifest's reads and the copy see one snapshot */
  if (!saban_store_exec (store, "BEGIN", error) || (*manifest = saban_manifest_compute (store, error)) == NULL ||
      !saban_sqlite_store_backup (SABAN_SQLITE_STORE (store), out_path, error))
    {
      saban_store_rollback (store);
      return FALSE;
    }
  saban_store_rollback (store);
  return TRUE;
}

static gboolean
make_postgres (SabanStore *store, const char *out_path, SabanManifest **manifest, GError **error)
{
  g_autofree char *snapshot = NULL, *uri = NULL, *pg_dump = saban_pg_program ("pg_dump");
  g_autofree char *snapshot_arg = NULL, *file_arg = NULL;
  gboolean ok;

  if (!saban_store_exec (store, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", error) ||
      (snapshot = query_text (store, "SELECT pg_export_snapshot()", error)) == NULL ||
      (*manifest = saban_manifest_compute (store, error)) == NULL)
    {
      saban_store_rollback (store);
      return FALSE;
    }
  uri = saban_pg_store_uri_for (SABAN_PG_STORE (store), NULL);
  snapshot_arg = g_strconcat ("--snapshot=", snapshot, NULL);
  file_arg = g_strconcat ("--file=", out_path, NULL);
  {
    const char *argv[] = { pg_dump, "--format=custom", "--no-password", snapshot_arg, file_arg, uri, NULL };

    /* the transaction stays open while pg_dump reads its snapshot */
    ok = run_program (argv, error);
  }
  saban_store_rollback (store);
  return ok;
}

/**
 * saban_backup_make:
 * @location: the database (as for saban_store_open())
 * @out_path: the backup file to write; it must not exist yet
 * @manifest: (out): what the backup holds, table by table
 *
 * Makes an online backup while servers keep writing: a SQLite database
 * file, or a pg_dump archive (custom format) of the whole PostgreSQL
 * database.
 */
gboolean
saban_backup_make (const char *location, const char *out_path, SabanManifest **manifest, GError **error)
{
  g_autoptr(SabanStore) store = NULL;
  gboolean ok;

  *manifest = NULL;
  if (g_file_test (out_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SABAN_STORE_ERROR, SABAN_STORE_ERROR_FAILED, "%s exists; refusing to overwrite it",
                   out_path);
      return FALSE;
    }
  if (!saban_store_is_postgres_uri (location) && !g_file_test (location, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, SABAN_STORE_ERROR, SABAN_STORE_ERROR_FAILED, "no database at %s", location);
      return FALSE;
    }
  if ((store = saban_store_connect (location, error)) == NULL)
    return FALSE;
  if (saban_store_get_dialect (store) == SABAN_DIALECT_SQLITE)
    ok = make_sqlite (store, out_path, manifest, error);
  else
    ok = make_postgres (store, out_path, manifest, error);
  if (!ok)
    {
      g_clear_pointer (manifest, saban_manifest_free);
      g_unlink (out_path);
    }
  return ok;
}

/* Compares @expected with the tables of @scratch. */
static gboolean
check_scratch (SabanStore *scratch, const SabanManifest *expected, GError **error)
{
  g_autoptr(SabanManifest) actual = NULL;
  g_autofree char *differences = NULL;

  if (!saban_store_exec (scratch, "BEGIN", error) || (actual = saban_manifest_compute (scratch, error)) == NULL)
    return FALSE;
  saban_store_rollback (scratch);
  if ((differences = saban_manifest_compare (expected, actual)) != NULL)
    {
      g_set_error (error, SABAN_STORE_ERROR, SABAN_STORE_ERROR_FAILED, "the restored copy differs: %s",
                   differences);
      return FALSE;
    }
  return TRUE;
}

static gboolean
verify_sqlite (const char *file, const SabanManifest *expected, GError **error)
{
  g_autofree char *scratch_path = g_strconcat (file, ".verify", NULL);
  g_autoptr(GFile) from = g_file_new_for_path (file);
  g_autoptr(GFile) to = g_file_new_for_path (scratch_path);
  g_autoptr(SabanStore) scratch = NULL;
  g_autofree char *integrity = NULL;
  gboolean ok = FALSE;

  /* restored as a server would start from it: a copy of the file */
  if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error) ||
      (scratch = saban_store_connect (scratch_path, error)) == NULL ||
      (integrity = query_text (scratch, "PRAGMA integrity_check", error)) == NULL)
    goto out;
  if (!g_str_equal (integrity, "ok"))
    {
      g_set_error (error, SABAN_STORE_ERROR, SABAN_STORE_ERROR_FAILED, "the restored copy is damaged: %s",
                   integrity);
      goto out;
    }
  ok = check_scratch (scratch, expected, error);
out:
  g_clear_object (&scratch);
  g_unlink (scratch_path);
  {
    g_autofree char *wal = g_strconcat (scratch_path, "-wal", NULL), *shm = g_strconcat (scratch_path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  return ok;
}

static gboolean
verify_postgres (const char *location, const char *file, const SabanManifest *expected, GError **error)
{
  g_autoptr(SabanStore) server = saban_store_connect (location, error);
  g_autoptr(SabanStore) scratch = NULL;
  g_autofree char *name = g_strdup_printf ("saban_verify_%d_%08x", (int) getpid (), g_random_int ());
  g_autofree char *create = NULL, *drop = NULL, *uri = NULL, *pg_restore = saban_pg_program ("pg_restore");
  gboolean ok = FALSE;

  if (server == NULL)
    return FALSE;
  create = g_strdup_printf ("CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8'", name);
  drop = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
  if (!saban_store_exec (server, create, error))
    {
      g_prefix_error (error, "a scratch database to restore into: ");
      return FALSE;
    }
  uri = saban_pg_store_uri_for (SABAN_PG_STORE (server), name);
  {
    const char *argv[] = { pg_restore, "--exit-on-error", "--no-owner", "--no-privileges", "--no-password",
                           "--dbname", uri, file, NULL };

    if (!run_program (argv, error))
      goto out;
  }
  if ((scratch = saban_store_connect (uri, error)) == NULL)
    goto out;
  ok = check_scratch (scratch, expected, error);
out:
  g_clear_object (&scratch);
  saban_store_exec (server, drop, NULL);
  return ok;
}

/**
 * saban_backup_verify:
 * @location: the database the backup was made of (PostgreSQL: its server
 *   holds the scratch database, so the user needs CREATEDB there)
 * @file: the backup
 * @expected: the manifest made with it
 *
 * Restores @file into a scratch database and checks every table against
 * @expected; the error says what differs or what failed.
 */
gboolean
saban_backup_verify (const char *location, const char *file, const SabanManifest *expected, GError **error)
{
  if (saban_store_is_postgres_uri (location))
    return verify_postgres (location, file, expected, error);
  return verify_sqlite (file, expected, error);
}

/* Where the manifest of backup @file is kept: beside it. */
char *
saban_backup_manifest_path (const char *file)
{
  return g_strconcat (file, ".manifest.json", NULL);
}
