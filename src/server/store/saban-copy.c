/* saban-copy.c: the server's data moved from one store to another (a
 * pilot's SQLite file into production PostgreSQL: `saban-server migrate`),
 * checked before it is committed.
 *
 * Both stores are at the same schema version (saban_store_open() brings
 * them there), so a table has the same columns in the same order in both.
 * The source is read in one transaction (one state); the target is written
 * in one transaction, its ids kept (identities then continue after them),
 * and committed only when every table's row count and checksum there equal
 * the source's.
 */
#include "saban-copy.h"
#include "saban-schema.h"

/**
 * saban_store_find_data:
 * @table: (out): the first table of the server's data that holds a row, or
 *   %NULL when none does
 */
gboolean
saban_store_find_data (SabanStore *store, char **table, GError **error)
{
  *table = NULL;
  for (const SabanSchemaTable *t = saban_schema_tables; t->name != NULL; t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s LIMIT 1", t->name);
      g_autoptr(SabanStmt) st = saban_store_prepare (store, sql, error);
      GError *local = NULL;

      if (st == NULL)
        return FALSE;
      if (saban_stmt_step (st, &local))
        {
          *table = g_strdup (t->name);
          return TRUE;
        }
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * saban_store_drop_schema:
 * Removes every table (and PostgreSQL function) of the server's schema, so
 * that saban_store_migrate() makes it anew; other tables (PostGIS layers in
 * the same database, say) are left alone.
 */
gboolean
saban_store_drop_schema (SabanStore *store, GError **error)
{
  gboolean postgres = saban_store_get_dialect (store) == SABAN_DIALECT_POSTGRES;
  g_autoptr(GString) sql = g_string_new (NULL);
  guint n = 0;

  while (saban_schema_tables[n].name != NULL)
    n++;
  /* children first */
  while (n-- > 0)
    g_string_append_printf (sql, "DROP TABLE IF EXISTS %s%s;", saban_schema_tables[n].name,
                            postgres ? " CASCADE" : "");
  for (const char *const *t = saban_schema_state_tables; *t != NULL; t++)
    g_string_append_printf (sql, "DROP TABLE IF EXISTS %s%s;", *t, postgres ? " CASCADE" : "");
  if (postgres)
    g_string_append (sql, "DROP FUNCTION IF EXISTS saban_append_only() CASCADE;"
                          "DROP FUNCTION IF EXISTS saban_in_polygon(DOUBLE PRECISION, DOUBLE PRECISION, TEXT);");
  return saban_store_exec (store, sql->str, error);
}

typedef struct
{
  SabanStore *to;
  const char *table;
  SabanStmt  *insert;
} Copy;

/* The INSERT for @row's columns, made from the first row. */
static SabanStmt *
prepare_insert (Copy *c, SabanStmt *row, GError **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  int n = saban_stmt_column_count (row);

  g_string_printf (sql, "INSERT INTO %s (", c->table);
  for (int i = 0; i < n; i++)
    g_string_append_printf (sql, "%s%s", i ? ", " : "", saban_stmt_column_name (row, i));
  g_string_append (sql, ") VALUES (");
  for (int i = 0; i < n; i++)
    g_string_append (sql, i ? ", ?" : "?");
  g_string_append_c (sql, ')');
  return saban_store_prepare (c->to, sql->str, error);
}

static gboolean
copy_row (SabanStmt *row, gpointer data, GError **error)
{
  Copy *c = data;

  if (c->insert == NULL && (c->insert = prepare_insert (c, row, error)) == NULL)
    return FALSE;
  for (int i = 0; i < saban_stmt_column_count (row); i++)
    switch (saban_stmt_column_kind (row, i))
      {
      case SABAN_VALUE_INT:
        saban_stmt_bind_int64 (c->insert, i + 1, saban_stmt_column_int64 (row, i));
        break;
      case SABAN_VALUE_REAL:
        saban_stmt_bind_double (c->insert, i + 1, saban_stmt_column_double (row, i));
        break;
      case SABAN_VALUE_TEXT:
        saban_stmt_bind_text (c->insert, i + 1, saban_stmt_column_text (row, i));
        break;
      case SABAN_VALUE_NULL:
        saban_stmt_bind_null (c->insert, i + 1);
        break;
      }
  if (!saban_stmt_run (c->insert, error))
    {
      g_prefix_error (error, "%s: ", c->table);
      return FALSE;
    }
  saban_stmt_reset (c->insert);
  return TRUE;
}

/* PostgreSQL's identities go on after the ids copied (SQLite keeps its
 * AUTOINCREMENT counter up to date by itself). */
static gboolean
continue_ids (SabanStore *to, GError **error)
{
  if (saban_store_get_dialect (to) != SABAN_DIALECT_POSTGRES)
    return TRUE;
  for (const SabanSchemaTable *t = saban_schema_tables; t->name != NULL; t++)
    {
      g_autofree char *sql = NULL;

      if (!t->has_id)
        continue;
      sql = g_strdup_printf ("SELECT setval(pg_get_serial_sequence('%s', 'id'), "
                             "(SELECT COALESCE(MAX(id), 0) + 1 FROM %s), false)", t->name, t->name);
      if (!saban_store_exec (to, sql, error))
        return FALSE;
    }
  return TRUE;
}

/* The manifests of both as they are now (each in a transaction of its own
 * when none is open); %NULL with @error naming what differs. */
static SabanManifest *
check_copy (SabanStore *from, SabanStore *to, GError **error)
{
  g_autoptr(SabanManifest) source = saban_manifest_compute (from, error);
  g_autoptr(SabanManifest) target = NULL;
  g_autofree char *differences = NULL;

  if (source == NULL || (target = saban_manifest_compute (to, error)) == NULL)
    return NULL;
  if ((differences = saban_manifest_compare (source, target)) != NULL)
    {
      g_set_error (error, SABAN_STORE_ERROR, SABAN_STORE_ERROR_FAILED, "the copy differs from the source: %s",
                   differences);
      return NULL;
    }
  return g_steal_pointer (&source);
}

static gboolean
same_version (SabanStore *from, SabanStore *to, GError **error)
{
  if (saban_store_get_schema_version (from) == saban_store_get_schema_version (to))
    return TRUE;
  g_set_error (error, SABAN_STORE_ERROR, SABAN_STORE_ERROR_FAILED,
               "the source has schema version %d, the target %d", saban_store_get_schema_version (from),
               saban_store_get_schema_version (to));
  return FALSE;
}

/**
 * saban_store_copy:
 * @to: a store holding none of the server's data (saban_store_find_data())
 * @manifest: (out): what was copied, table by table
 *
 * Copies every table of the server's data from @from to @to in one
 * transaction, committed only once the copy's counts and checksums equal
 * the source's.
 */
gboolean
saban_store_copy (SabanStore *from, SabanStore *to, SabanManifest **manifest, GError **error)
{
  *manifest = NULL;
  if (!same_version (from, to, error) || !saban_store_exec (from, "BEGIN", error))
    return FALSE;
  if (!saban_store_begin (to, error))
    goto fail;
  for (const SabanSchemaTable *t = saban_schema_tables; t->name != NULL; t++)
    {
      Copy c = { to, t->name, NULL };
      gboolean ok = saban_store_for_each_row (from, t->name, copy_row, &c, error);

      g_clear_pointer (&c.insert, saban_stmt_free);
      if (!ok)
        goto fail;
    }
  if (!continue_ids (to, error) || (*manifest = check_copy (from, to, error)) == NULL ||
      !saban_store_commit (to, error))
    goto fail;
  saban_store_rollback (from);
  return TRUE;
fail:
  g_clear_pointer (manifest, saban_manifest_free);
  saban_store_rollback (to);
  saban_store_rollback (from);
  return FALSE;
}

/**
 * saban_store_compare:
 * Checks that @to holds what @from holds, table by table (after a
 * migration, say); @error names what differs.
 */
gboolean
saban_store_compare (SabanStore *from, SabanStore *to, SabanManifest **manifest, GError **error)
{
  gboolean ok;

  if (!same_version (from, to, error) || !saban_store_exec (from, "BEGIN", error))
    return FALSE;
  if (!saban_store_exec (to, "BEGIN", error))
    {
      saban_store_rollback (from);
      return FALSE;
    }
  ok = (*manifest = check_copy (from, to, error)) != NULL;
  saban_store_rollback (to);
  saban_store_rollback (from);
  return ok;
}
