/* saban-manifest.c: row counts and checksums of the server's tables.
 *
 * A row's checksum is SHA-256 over its values in a canonical form (the
 * kind of each value, integers in decimal, reals as the 17 significant
 * digits that read back the same double, text as its bytes); a table's is
 * the sum of its rows' (two 64-bit halves, modulo 2⁶⁴ each), so it is the
 * same whatever order rows come in, however each database writes its
 * numbers. Compute it inside a transaction to check one state.
 */
#include "saban-manifest.h"
#include "saban-schema.h"

typedef struct
{
  gint64  rows;
  guint64 sum[2];
} TableSum;

struct _SabanManifest
{
  int         schema_version;
  GHashTable *tables;  /* name → TableSum */
};

static SabanManifest *
manifest_new (void)
{
  SabanManifest *self = g_new0 (SabanManifest, 1);

  self->tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
saban_manifest_free (SabanManifest *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->tables);
  g_free (self);
}

/* Rows of @table in batches: PostgreSQL through a cursor (a table may not
 * fit in memory), SQLite as it steps. Inside the caller's transaction. */
gboolean
saban_store_for_each_row (SabanStore *store, const char *table, SabanRowFunc func, gpointer data, GError **error)
{
  g_autofree char *select = g_strdup_printf ("SELECT * FROM %s", table);
  GError *local = NULL;

  if (saban_store_get_dialect (store) == SABAN_DIALECT_SQLITE)
    {
      g_autoptr(SabanStmt) st = saban_store_prepare (store, select, error);

      if (st == NULL)
        return FALSE;
      while (saban_stmt_step (st, &local))
        if (!func (st, data, error))
          return FALSE;
    }
  else
    {
      g_autofree char *declare = g_strdup_printf ("DECLARE saban_rows NO SCROLL CURSOR FOR %s", select);
      gboolean more = TRUE;

      if (!saban_store_exec (store, declare, error))
        return FALSE;
      while (more && local == NULL)
        {
          g_autoptr(SabanStmt) st = saban_store_prepare (store, "FETCH 5000 FROM saban_rows", error);

          if (st == NULL)
            return FALSE;
          more = FALSE;
          while (saban_stmt_step (st, &local))
            {
              more = TRUE;
              if (!func (st, data, error))
                return FALSE;
            }
        }
      if (local == NULL)
        saban_store_exec (store, "CLOSE saban_rows", &local);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

static void
add_value (GChecksum *sum, SabanStmt *row, int column)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  const char *text;

  switch (saban_stmt_column_kind (row, column))
    {
    case SABAN_VALUE_NULL:
      g_checksum_update (sum, (const guchar *) "N", 1);
      break;
    case SABAN_VALUE_INT:
      g_snprintf (buf, sizeof buf, "I%" G_GINT64_FORMAT ";", saban_stmt_column_int64 (row, column));
      g_checksum_update (sum, (const guchar *) buf, -1);
      break;
    case SABAN_VALUE_REAL:
      g_checksum_update (sum, (const guchar *) "R", 1);
      text = g_ascii_formatd (buf, sizeof buf, "%.17g", saban_stmt_column_double (row, column));
      g_checksum_update (sum, (const guchar *) text, -1);
      g_checksum_update (sum, (const guchar *) ";", 1);
      break;
    case SABAN_VALUE_TEXT:
      text = saban_stmt_column_text (row, column);
      g_snprintf (buf, sizeof buf, "T%zu:", strlen (text));
      g_checksum_update (sum, (const guchar *) buf, -1);
      g_checksum_update (sum, (const guchar *) text, -1);
      break;
    }
}

static gboolean
sum_row (SabanStmt *row, gpointer data, GError **error)
{
  TableSum *t = data;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;

  for (int i = 0; i < saban_stmt_column_count (row); i++)
    add_value (sum, row, i);
  g_checksum_get_digest (sum, digest, &len);
  for (int half = 0; half < 2; half++)
    {
      guint64 v = 0;

      for (int b = 0; b < 8; b++)
        v |= (guint64) digest[half * 8 + b] << (8 * b);
      t->sum[half] += v;
    }
  t->rows++;
  return TRUE;
}

/**
 * saban_manifest_compute:
 * Counts and checksums every table of saban_schema_tables in @store, as
 * the current transaction sees them (begin one to check one state).
 */
SabanManifest *
saban_manifest_compute (SabanStore *store, GError **error)
{
  g_autoptr(SabanManifest) self = manifest_new ();

  self->schema_version = saban_store_get_schema_version (store);
  for (const SabanSchemaTable *t = saban_schema_tables; t->name != NULL; t++)
    {
      TableSum *sum = g_new0 (TableSum, 1);

      g_hash_table_insert (self->tables, g_strdup (t->name), sum);
      if (!saban_store_for_each_row (store, t->name, sum_row, sum, error))
        {
          g_prefix_error (error, "%s: ", t->name);
          return NULL;
        }
    }
  return g_steal_pointer (&self);
}

static char *
checksum_text (const TableSum *t)
{
  return g_strdup_printf ("%016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER "x", t->sum[0], t->sum[1]);
}

/* {"schemaVersion": N, "tables": {"items": {"rows": N, "checksum": "…"}, …}} */
JsonNode *
saban_manifest_to_json (const SabanManifest *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "schemaVersion");
  json_builder_add_int_value (b, self->schema_version);
  json_builder_set_member_name (b, "tables");
  json_builder_begin_object (b);
  for (const SabanSchemaTable *t = saban_schema_tables; t->name != NULL; t++)
    {
      TableSum *sum = g_hash_table_lookup (self->tables, t->name);
      g_autofree char *text = NULL;

      if (sum == NULL)
        continue;
      text = checksum_text (sum);
      json_builder_set_member_name (b, t->name);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "rows");
      json_builder_add_int_value (b, sum->rows);
      json_builder_set_member_name (b, "checksum");
      json_builder_add_string_value (b, text);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

SabanManifest *
saban_manifest_from_json (JsonNode *node, GError **error)
{
  g_autoptr(SabanManifest) self = manifest_new ();
  JsonObject *tables;
  JsonObjectIter iter;
  const char *name;
  JsonNode *v;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      !json_object_has_member (json_node_get_object (node), "tables") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (node), "tables")))
    goto bad;
  self->schema_version = json_object_get_int_member_with_default (json_node_get_object (node), "schemaVersion", 0);
  tables = json_object_get_object_member (json_node_get_object (node), "tables");
  json_object_iter_init (&iter, tables);
  while (json_object_iter_next (&iter, &name, &v))
    {
      TableSum *sum = g_new0 (TableSum, 1);
      const char *text;

      g_hash_table_insert (self->tables, g_strdup (name), sum);
      if (!JSON_NODE_HOLDS_OBJECT (v))
        goto bad;
      sum->rows = json_object_get_int_member_with_default (json_node_get_object (v), "rows", -1);
      text = json_object_get_string_member_with_default (json_node_get_object (v), "checksum", "");
      if (strlen (text) != 32 || sum->rows < 0)
        goto bad;
      {
        g_autofree char *hi = g_strndup (text, 16);

        sum->sum[0] = g_ascii_strtoull (hi, NULL, 16);
        sum->sum[1] = g_ascii_strtoull (text + 16, NULL, 16);
      }
    }
  return g_steal_pointer (&self);
bad:
  g_set_error (error, SABAN_STORE_ERROR, SABAN_STORE_ERROR_FAILED, "not a manifest of saban-server tables");
  return NULL;
}

/**
 * saban_manifest_compare:
 * %NULL when @actual holds what @expected says, table by table; else what
 * differs, for people ("items: 12 rows, expected 13; …").
 */
char *
saban_manifest_compare (const SabanManifest *expected, const SabanManifest *actual)
{
  g_autoptr(GString) out = g_string_new (NULL);
  GHashTableIter iter;
  gpointer name, value;

  g_hash_table_iter_init (&iter, expected->tables);
  while (g_hash_table_iter_next (&iter, &name, &value))
    {
      const TableSum *want = value;
      const TableSum *got = g_hash_table_lookup (actual->tables, name);

      if (got == NULL)
        g_string_append_printf (out, "%s%s: missing", out->len ? "; " : "", (const char *) name);
      else if (got->rows != want->rows)
        g_string_append_printf (out, "%s%s: %" G_GINT64_FORMAT " rows, expected %" G_GINT64_FORMAT,
                                out->len ? "; " : "", (const char *) name, got->rows, want->rows);
      else if (got->sum[0] != want->sum[0] || got->sum[1] != want->sum[1])
        g_string_append_printf (out, "%s%s: the checksum differs", out->len ? "; " : "", (const char *) name);
    }
  return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

/* Rows of @table; -1 when the manifest does not cover it. */
gint64
saban_manifest_get_rows (const SabanManifest *self, const char *table)
{
  TableSum *t = g_hash_table_lookup (self->tables, table);

  return t != NULL ? t->rows : -1;
}

/* The table's checksum as 32 hex digits; NULL when not covered. */
char *
saban_manifest_get_checksum (const SabanManifest *self, const char *table)
{
  TableSum *t = g_hash_table_lookup (self->tables, table);

  return t != NULL ? checksum_text (t) : NULL;
}
