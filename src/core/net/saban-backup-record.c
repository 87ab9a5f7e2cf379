/* saban-backup-record.c: one backup attempt as saban-server reports it
 * (GET /admin/backups, docs/openapi.yaml's Backup): when it was made and
 * last checked, how large, whether it restored and checked good, and what
 * it holds table by table.
 *
 * The answer comes from outside: every string is bounded, every number
 * checked, and an attempt that names no id or start is refused whole.
 */
#include "saban-backup-record.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "saban-error.h"
#include "saban-json.h"

#define MAX_TEXT    4096
#define MAX_NAME    128
#define MAX_TABLES  1000

struct _SabanBackupRecord
{
  GObject  parent_instance;
  gint64   id;
  gint64   started, finished, verified, pruned;   /* µs since the epoch; 0: none */
  char    *kind;
  char    *file;
  gint64   bytes;
  gboolean ok;
  char    *detail;
  GArray  *tables;                                /* SabanBackupTable, by name */
};

G_DEFINE_FINAL_TYPE (SabanBackupRecord, saban_backup_record, G_TYPE_OBJECT)

static void
table_clear (gpointer data)
{
  SabanBackupTable *t = data;

  g_free (t->name);
  g_free (t->checksum);
}

static void
saban_backup_record_finalize (GObject *object)
{
  SabanBackupRecord *self = SABAN_BACKUP_RECORD (object);

  g_free (self->kind);
  g_free (self->file);
  g_free (self->detail);
  g_array_unref (self->tables);
  G_OBJECT_CLASS (saban_backup_record_parent_class)->finalize (object);
}

static void
saban_backup_record_class_init (SabanBackupRecordClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_backup_record_finalize;
}

static void
saban_backup_record_init (SabanBackupRecord *self)
{
  self->tables = g_array_new (FALSE, TRUE, sizeof (SabanBackupTable));
  g_array_set_clear_func (self->tables, table_clear);
}

/* a whole, non-negative number, or -1 */
static gint64
count (JsonObject *object, const char *name)
{
  double v = saban_json_get_number (object, name);

  return !isnan (v) && v >= 0 && v <= (double) G_MAXINT64 / 2 && v == floor (v) ? (gint64) v : -1;
}

static gint
by_name (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (((const SabanBackupTable *) a)->name, ((const SabanBackupTable *) b)->name);
}

static void
read_tables (SabanBackupRecord *self, JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "tables");
  JsonObject *tables = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  g_autoptr(GList) names = tables != NULL ? json_object_get_members (tables) : NULL;

  for (GList *l = names; l != NULL && self->tables->len < MAX_TABLES; l = l->next)
    {
      JsonNode *entry = json_object_get_member (tables, l->data);
      JsonObject *t = JSON_NODE_HOLDS_OBJECT (entry) ? json_node_get_object (entry) : NULL;
      const char *checksum = saban_json_get_string (t, "checksum", 64);
      SabanBackupTable table;

      if (t == NULL || strlen (l->data) > MAX_NAME || !g_utf8_validate (l->data, -1, NULL))
        continue;
      table.name = g_strdup (l->data);
      table.rows = count (t, "rows");
      table.checksum = g_strdup (checksum != NULL ? checksum : "");
      g_array_append_val (self->tables, table);
    }
  g_array_sort (self->tables, by_name);
}

/**
 * saban_backup_record_new_from_json:
 * @object: one of the server's backup attempts
 *
 * Returns: (transfer full) (nullable): the attempt, or %NULL with @error set
 *   (%SABAN_ERROR_PARSE, translated) when it names no id or start
 */
SabanBackupRecord *
saban_backup_record_new_from_json (JsonObject *object, GError **error)
{
  g_autoptr(SabanBackupRecord) self = g_object_new (SABAN_TYPE_BACKUP_RECORD, NULL);
  JsonNode *ok = json_object_get_member (object, "ok");

  self->id = count (object, "id");
  self->started = saban_json_parse_time (saban_json_get_string (object, "started", 64));
  if (self->id <= 0 || self->started == 0)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("The server listed a backup with no number or time"));
      return NULL;
    }
  self->finished = saban_json_parse_time (saban_json_get_string (object, "finished", 64));
  self->verified = saban_json_parse_time (saban_json_get_string (object, "verified", 64));
  self->pruned = saban_json_parse_time (saban_json_get_string (object, "pruned", 64));
  self->kind = g_strdup (saban_json_get_string (object, "kind", MAX_NAME));
  self->file = g_strdup (saban_json_get_string (object, "file", MAX_TEXT));
  self->detail = g_strdup (saban_json_get_string (object, "detail", MAX_TEXT));
  self->bytes = count (object, "bytes");
  self->ok = ok != NULL && JSON_NODE_HOLDS_VALUE (ok) && json_node_get_value_type (ok) == G_TYPE_BOOLEAN &&
             json_node_get_boolean (ok);
  read_tables (self, object);
  return g_steal_pointer (&self);
}

gint64
saban_backup_record_get_id (SabanBackupRecord *self)
{
  return self->id;
}

/**
 * saban_backup_record_get_started:
 *
 * Returns: when the backup began, in µs since the epoch
 */
gint64
saban_backup_record_get_started (SabanBackupRecord *self)
{
  return self->started;
}

/**
 * saban_backup_record_get_finished:
 *
 * Returns: when it was made and first checked (µs), or 0 while it runs
 */
gint64
saban_backup_record_get_finished (SabanBackupRecord *self)
{
  return self->finished;
}

/**
 * saban_backup_record_get_verified:
 *
 * Returns: when it was last restored and checked (µs), or 0 for never
 */
gint64
saban_backup_record_get_verified (SabanBackupRecord *self)
{
  return self->verified;
}

/**
 * saban_backup_record_get_pruned:
 *
 * Returns: when the retention policy deleted its file (µs), or 0
 */
gint64
saban_backup_record_get_pruned (SabanBackupRecord *self)
{
  return self->pruned;
}

/**
 * saban_backup_record_get_kind:
 *
 * Returns: (nullable): "sqlite" or "postgresql"
 */
const char *
saban_backup_record_get_kind (SabanBackupRecord *self)
{
  return self->kind;
}

/**
 * saban_backup_record_get_file:
 *
 * Returns: (nullable): where the file is on the server
 */
const char *
saban_backup_record_get_file (SabanBackupRecord *self)
{
  return self->file;
}

/**
 * saban_backup_record_get_bytes:
 *
 * Returns: the file's size, or -1 when the server did not say
 */
gint64
saban_backup_record_get_bytes (SabanBackupRecord *self)
{
  return self->bytes;
}

/**
 * saban_backup_record_get_ok:
 *
 * Returns: whether it was restored into a scratch database and every table
 *   found as made
 */
gboolean
saban_backup_record_get_ok (SabanBackupRecord *self)
{
  return self->ok;
}

/**
 * saban_backup_record_get_detail:
 *
 * Returns: (nullable): what the last check found, in the server's words
 */
const char *
saban_backup_record_get_detail (SabanBackupRecord *self)
{
  return self->detail;
}

guint
saban_backup_record_get_n_tables (SabanBackupRecord *self)
{
  return self->tables->len;
}

/**
 * saban_backup_record_get_table:
 * @index: below saban_backup_record_get_n_tables(); the tables are by name
 *
 * Returns: (transfer none): what the backup holds of that table (rows -1:
 *   not said)
 */
const SabanBackupTable *
saban_backup_record_get_table (SabanBackupRecord *self, guint index)
{
  g_return_val_if_fail (index < self->tables->len, NULL);
  return &g_array_index (self->tables, SabanBackupTable, index);
}
