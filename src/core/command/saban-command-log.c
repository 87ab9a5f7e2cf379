/* saban-command-log.c: readings of the scenario log.
 *
 * Each write the server applies appends one entry (scenarioId, taskId, at,
 * actor, from, to, note); a scenario's own entries have no taskId. */
#include "saban-command-log.h"

#include <stdlib.h>

/**
 * saban_command_log_last_change:
 * @item: a scenario or a task
 *
 * Returns: (transfer none) (nullable): the newest log entry about @item —
 *   who last changed it and when — or NULL if the log has none
 */
SabanCommandItem *
saban_command_log_last_change (SabanCommandStore *store, SabanCommandItem *item)
{
  SabanCommandCollection collection = saban_command_item_get_collection (item);
  gint64 id = saban_command_item_get_id (item);
  gint64 scenario = collection == SABAN_COMMAND_SCENARIOS ? id : saban_command_item_get_scenario_id (item);
  g_autoptr(GListModel) log = NULL;
  guint n;

  g_return_val_if_fail (SABAN_IS_COMMAND_STORE (store), NULL);

  if (scenario <= 0 || (collection != SABAN_COMMAND_SCENARIOS && collection != SABAN_COMMAND_TASKS))
    return NULL;
  log = saban_command_store_list_log (store, scenario);
  n = g_list_model_get_n_items (log);
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(SabanCommandItem) entry = g_list_model_get_item (log, i - 1);
      gint64 task = saban_command_item_get_int (entry, "taskId", 0);

      if ((collection == SABAN_COMMAND_TASKS && task == id) || (collection == SABAN_COMMAND_SCENARIOS && task <= 0))
        return saban_command_store_lookup (store, SABAN_COMMAND_LOG, saban_command_item_get_id (entry));
    }
  return NULL;
}

/**
 * saban_command_log_is_move_by_other:
 * @entry: a log entry
 * @account: (nullable): the user's account
 *
 * Returns: whether @entry records a task changing status (not its creation
 *   or a change of other fields) by someone other than @account — what a
 *   user is told of
 */
gboolean
saban_command_log_is_move_by_other (SabanCommandItem *entry, const char *account)
{
  const char *from, *to, *actor;

  g_return_val_if_fail (SABAN_IS_COMMAND_ITEM (entry), FALSE);

  from = saban_command_item_get_string (entry, "from");
  to = saban_command_item_get_string (entry, "to");
  actor = saban_command_item_get_string (entry, "actor");
  return saban_command_item_get_int (entry, "taskId", 0) > 0 && from != NULL && to != NULL &&
         g_strcmp0 (from, to) != 0 && actor != NULL && g_strcmp0 (actor, account) != 0;
}

/**
 * saban_command_log_get_created:
 * @entry: a log entry
 * @collection: (out) (optional): the collection of the item it created
 *
 * saban-server notes each creation as "COLLECTION ID created" (the only
 * entry a situation report leaves in the log); the note is for people, so
 * anything else — another server's wording — is simply not recognised.
 *
 * Returns: the id of the item @entry records the creation of, or 0
 */
gint64
saban_command_log_get_created (SabanCommandItem *entry, SabanCommandCollection *collection)
{
  const char *note;
  g_auto(GStrv) words = NULL;
  SabanCommandCollection c;
  char *end = NULL;
  gint64 id;

  g_return_val_if_fail (SABAN_IS_COMMAND_ITEM (entry), 0);

  note = saban_command_item_get_string (entry, "note");
  if (note == NULL || saban_command_item_get_string (entry, "from") != NULL)
    return 0;
  words = g_strsplit (note, " ", 4);
  if (g_strv_length (words) != 3 || !g_str_equal (words[2], "created") ||
      !saban_command_collection_from_string (words[0], &c))
    return 0;
  id = g_ascii_strtoll (words[1], &end, 10);
  if (end == words[1] || *end != '\0' || id <= 0)
    return 0;
  if (collection != NULL)
    *collection = c;
  return id;
}
