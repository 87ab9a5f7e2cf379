/* saban-backup-status.c: saban-server's backups as an admin sees them
 * (GET /admin/backups): the policy, the state, the last good backup and
 * the newest attempts, newest first.
 *
 * Read from outside: the state must be one the API names, numbers whole
 * and not negative, strings bounded, and no more than MAX_BACKUPS attempts
 * are taken (the server sends 50).
 */
#include "saban-backup-status.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "saban-error.h"
#include "saban-json.h"

#define MAX_BACKUPS 500
#define MAX_PATH    4096

struct _SabanBackupStatus
{
  GObject          parent_instance;
  SabanBackupState state;
  gboolean         running;
  char            *directory;
  gint64           every, keep, max_age;      /* seconds, count, seconds; -1: not said */
  gint64           last_good;                 /* µs since the epoch; 0: none */
  gint64           last_good_age;             /* seconds; -1: none */
  GListStore      *backups;                   /* SabanBackupRecord, newest first */
};

G_DEFINE_FINAL_TYPE (SabanBackupStatus, saban_backup_status, G_TYPE_OBJECT)

static void
saban_backup_status_finalize (GObject *object)
{
  SabanBackupStatus *self = SABAN_BACKUP_STATUS (object);

  g_free (self->directory);
  g_object_unref (self->backups);
  G_OBJECT_CLASS (saban_backup_status_parent_class)->finalize (object);
}

static void
saban_backup_status_class_init (SabanBackupStatusClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_backup_status_finalize;
}

static void
saban_backup_status_init (SabanBackupStatus *self)
{
  self->backups = g_list_store_new (SABAN_TYPE_BACKUP_RECORD);
}

static gint64
whole (JsonObject *object, const char *name)
{
  double v = object != NULL ? saban_json_get_number (object, name) : NAN;

  return !isnan (v) && v >= 0 && v <= (double) G_MAXINT32 * 1000 && v == floor (v) ? (gint64) v : -1;
}

static gboolean
read_state (const char *text, SabanBackupState *state)
{
  static const char *const names[] = { "off", "none", "ok", "overdue" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (text, names[i]) == 0)
      {
        *state = (SabanBackupState) i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
read_backups (SabanBackupStatus *self, JsonObject *root, GError **error)
{
  JsonNode *node = json_object_get_member (root, "backups");
  JsonArray *list = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  if (list == NULL)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("The server’s answer lists no backups"));
      return FALSE;
    }
  for (guint i = 0; i < MIN (json_array_get_length (list), MAX_BACKUPS); i++)
    {
      JsonNode *entry = json_array_get_element (list, i);
      g_autoptr(SabanBackupRecord) backup = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (entry))
        {
          g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("The server listed a backup with no number or time"));
          return FALSE;
        }
      if ((backup = saban_backup_record_new_from_json (json_node_get_object (entry), error)) == NULL)
        return FALSE;
      g_list_store_append (self->backups, backup);
    }
  return TRUE;
}

/**
 * saban_backup_status_new_from_json:
 * @node: the answer of GET /admin/backups
 *
 * Returns: (transfer full) (nullable): the backups, or %NULL with @error set
 *   (%SABAN_ERROR_PARSE, translated) when the answer is not one
 */
SabanBackupStatus *
saban_backup_status_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr(SabanBackupStatus) self = g_object_new (SABAN_TYPE_BACKUP_STATUS, NULL);
  JsonObject *root = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode *policy = root != NULL ? json_object_get_member (root, "policy") : NULL;
  JsonObject *p = policy != NULL && JSON_NODE_HOLDS_OBJECT (policy) ? json_node_get_object (policy) : NULL;
  JsonNode *running = root != NULL ? json_object_get_member (root, "running") : NULL;

  if (root == NULL || !read_state (saban_json_get_string (root, "state", 16), &self->state))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("The server’s answer does not say how its backups stand"));
      return NULL;
    }
  self->directory = g_strdup (saban_json_get_string (p, "directory", MAX_PATH));
  self->every = whole (p, "everySeconds");
  self->keep = whole (p, "keep");
  self->max_age = whole (p, "maxAgeSeconds");
  self->running = running != NULL && JSON_NODE_HOLDS_VALUE (running) &&
                  json_node_get_value_type (running) == G_TYPE_BOOLEAN && json_node_get_boolean (running);
  self->last_good = saban_json_parse_time (saban_json_get_string (root, "lastGood", 64));
  self->last_good_age = self->last_good != 0 ? whole (root, "lastGoodAgeSeconds") : -1;
  if (!read_backups (self, root, error))
    return NULL;
  return g_steal_pointer (&self);
}

SabanBackupState
saban_backup_status_get_state (SabanBackupStatus *self)
{
  return self->state;
}

/**
 * saban_backup_status_get_running:
 *
 * Returns: whether a backup or a check is being made on the server now
 */
gboolean
saban_backup_status_get_running (SabanBackupStatus *self)
{
  return self->running;
}

/**
 * saban_backup_status_get_directory:
 *
 * Returns: (nullable): where the server keeps its backups; %NULL when off
 */
const char *
saban_backup_status_get_directory (SabanBackupStatus *self)
{
  return self->directory;
}

/**
 * saban_backup_status_get_every:
 *
 * Returns: seconds between scheduled backups (0: on request only; -1: not said)
 */
gint64
saban_backup_status_get_every (SabanBackupStatus *self)
{
  return self->every;
}

/**
 * saban_backup_status_get_keep:
 *
 * Returns: how many backups are kept before the oldest is deleted (-1: not said)
 */
gint64
saban_backup_status_get_keep (SabanBackupStatus *self)
{
  return self->keep;
}

/**
 * saban_backup_status_get_max_age:
 *
 * Returns: the age in seconds past which the last good backup is overdue
 *   (-1: not said)
 */
gint64
saban_backup_status_get_max_age (SabanBackupStatus *self)
{
  return self->max_age;
}

/**
 * saban_backup_status_get_last_good:
 *
 * Returns: when the last good backup was made (µs since the epoch), or 0
 */
gint64
saban_backup_status_get_last_good (SabanBackupStatus *self)
{
  return self->last_good;
}

/**
 * saban_backup_status_get_last_good_age:
 *
 * Returns: its age in seconds when the server answered, or -1 for none
 */
gint64
saban_backup_status_get_last_good_age (SabanBackupStatus *self)
{
  return self->last_good_age;
}

/**
 * saban_backup_status_get_backups:
 *
 * Returns: (transfer none): the attempts (#SabanBackupRecord), newest first
 */
GListModel *
saban_backup_status_get_backups (SabanBackupStatus *self)
{
  return G_LIST_MODEL (self->backups);
}
