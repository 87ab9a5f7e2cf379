/* saban-backup-client.c: saban-server's backups for an admin, through the
 * server's SabanApi: the policy, state and history (GET /admin/backups),
 * one attempt (GET /admin/backups/{id}), a backup now (POST /admin/backups,
 * answered once it is restored and checked) and a check again of one
 * (POST /admin/backups/{id}/verify). Those two wait up to an hour for the
 * answer (BACKUP_TIMEOUT_S), not the 20 s of every other call.
 *
 * The server refuses these to any role but admin (403). Its refusals that
 * mean something to an admin (backups off, one already running, a backup
 * the retention policy deleted) come back as translated SABAN_ERRORs;
 * anything else as the SABAN_API_ERROR it is.
 */
#include "saban-backup-client.h"

#include <glib/gi18n-lib.h>

#include "saban-error.h"
#include "saban-json.h"

#define MAX_LIST   (4 * 1024 * 1024)
#define MAX_ONE    (256 * 1024)
/* A backup is answered once made, restored and checked: minutes for a
 * province's database (pg_dump, pg_restore, a checksum of every table),
 * beyond the 20 s any other call may wait. An hour bounds a server that
 * hangs. */
#define BACKUP_TIMEOUT_S (60 * 60)

static void
status_read (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;
  g_autoptr(JsonNode) node = saban_api_get_json_finish (SABAN_API (source), result, &error);
  SabanBackupStatus *status;

  if (node == NULL || (status = saban_backup_status_new_from_json (node, &error)) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, status, g_object_unref);
}

/**
 * saban_backups_read_async:
 * @api: the server's client, signed in as an admin
 *
 * Reads the server's backup policy, state and newest attempts.
 */
void
saban_backups_read_async (SabanApi *api, GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, saban_backups_read_async);
  saban_api_get_json_async (api, "/admin/backups", SABAN_API_READ, MAX_LIST, cancellable, status_read, task);
}

/**
 * saban_backups_read_finish:
 *
 * Returns: (transfer full): the backups, or %NULL with @error set
 */
SabanBackupStatus *
saban_backups_read_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
return_backup (GTask *task, JsonNode *node)
{
  GError *error = NULL;
  SabanBackupRecord *backup = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    g_set_error (&error, SABAN_ERROR, SABAN_ERROR_PARSE, _("The server listed a backup with no number or time"));
  else
    backup = saban_backup_record_new_from_json (json_node_get_object (node), &error);
  if (backup == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, backup, g_object_unref);
}

static void
backup_read (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;
  g_autoptr(JsonNode) node = saban_api_get_json_finish (SABAN_API (source), result, &error);

  if (node == NULL)
    g_task_return_error (task, error);
  else
    return_backup (task, node);
}

/**
 * saban_backup_read_async:
 * @id: the attempt's number
 *
 * Reads one attempt again, with what it holds table by table; the answer
 * comes to saban_backup_finish().
 */
void
saban_backup_read_async (SabanApi *api, gint64 id, GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *path = g_strdup_printf ("/admin/backups/%" G_GINT64_FORMAT, id);

  g_task_set_source_tag (task, saban_backup_read_async);
  saban_api_get_json_async (api, path, SABAN_API_READ, MAX_ONE, cancellable, backup_read, task);
}

/* The refusals an admin can act on, in words; else the status's own error. */
static gboolean
check_answer (SoupMessage *msg, JsonNode *node, GError **error)
{
  JsonObject *o = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *code = saban_json_get_string (o, "code", 64);
  guint status = soup_message_get_status (msg);

  if (status == SOUP_STATUS_CONFLICT && g_strcmp0 (code, "backups-off") == 0)
    g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID,
                 _("The server makes no backups: it was started without a backup directory (--backup-dir)."));
  else if (status == SOUP_STATUS_CONFLICT && g_strcmp0 (code, "backup-running") == 0)
    g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID,
                 _("The server is making or checking a backup now. Try again when it has finished."));
  else if (status == SOUP_STATUS_GONE)
    g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID,
                 _("This backup was deleted under the retention policy and can no longer be checked."));
  else
    return saban_api_check_status (msg, error);
  return FALSE;
}

static void
posted (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SoupMessage *msg = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) bytes = saban_api_send_finish (SABAN_API (source), result, &error);
  g_autoptr(JsonNode) node = NULL;

  if (bytes != NULL)
    node = saban_json_parse (g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), NULL);
  if (bytes == NULL || !check_answer (msg, node, &error))
    g_task_return_error (task, error);
  else
    return_backup (task, node);
}

static void
post (SabanApi *api, const char *path, gpointer tag, GCancellable *cancellable, GAsyncReadyCallback callback,
      gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(SoupMessage) msg = NULL;
  GError *error = NULL;

  g_task_set_source_tag (task, tag);
  if ((msg = saban_api_new_message (api, "POST", path, &error)) == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  saban_api_message_set_timeout (msg, BACKUP_TIMEOUT_S);
  g_task_set_task_data (task, g_object_ref (msg), g_object_unref);
  saban_api_send_async (api, msg, MAX_ONE, cancellable, posted, task);
}

/**
 * saban_backup_make_async:
 *
 * Asks the server for a backup now. The server answers once the backup is
 * made, restored into a scratch database and checked; the attempt (good or
 * not) comes to saban_backup_finish().
 */
void
saban_backup_make_async (SabanApi *api, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  post (api, "/admin/backups", saban_backup_make_async, cancellable, callback, user_data);
}

/**
 * saban_backup_verify_async:
 * @id: the attempt to check again
 *
 * Has the server restore that backup into a scratch database again and
 * check it against what it held when made (a file damaged on disk since is
 * found); the attempt as the check left it comes to saban_backup_finish().
 */
void
saban_backup_verify_async (SabanApi *api, gint64 id, GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autofree char *path = g_strdup_printf ("/admin/backups/%" G_GINT64_FORMAT "/verify", id);

  post (api, path, saban_backup_verify_async, cancellable, callback, user_data);
}

/**
 * saban_backup_finish:
 *
 * Returns: (transfer full): the attempt, or %NULL with @error set
 */
SabanBackupRecord *
saban_backup_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
