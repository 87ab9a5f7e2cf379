/* saban-command-replay.c: the state of a scenario and its tasks at any time,
 * rebuilt from its scenario-log entries (each names the status an item went
 * to, and when). A snapshot: entries are copied and sorted once; each
 * question is a scan up to t. */
#include "saban-command-replay.h"

#include "saban-command-item.h"

typedef struct
{
  gint64  at;       /* µs since the epoch */
  gint64  id;
  gint64  task_id;  /* 0: the scenario itself */
  char   *to;
} Entry;

struct _SabanCommandReplay
{
  GObject  parent_instance;
  GArray  *entries;    /* Entry, by time then id */
  GArray  *task_ids;   /* gint64, in order of first appearance */
};

G_DEFINE_FINAL_TYPE (SabanCommandReplay, saban_command_replay, G_TYPE_OBJECT)

static void
entry_clear (gpointer data)
{
  g_free (((Entry *) data)->to);
}

static void
saban_command_replay_finalize (GObject *object)
{
  SabanCommandReplay *self = SABAN_COMMAND_REPLAY (object);

  g_array_unref (self->entries);
  g_array_unref (self->task_ids);
  G_OBJECT_CLASS (saban_command_replay_parent_class)->finalize (object);
}

static void
saban_command_replay_class_init (SabanCommandReplayClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_command_replay_finalize;
}

static void
saban_command_replay_init (SabanCommandReplay *self)
{
  self->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_array_set_clear_func (self->entries, entry_clear);
  self->task_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static int
by_time (gconstpointer a, gconstpointer b)
{
  const Entry *x = a, *y = b;

  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;
  return (x->id > y->id) - (x->id < y->id);
}

static gint64
usec (GDateTime *t)
{
  return g_date_time_to_unix (t) * G_USEC_PER_SEC + g_date_time_get_microsecond (t);
}

static GDateTime *
datetime (gint64 us)
{
  g_autoptr(GDateTime) epoch = g_date_time_new_from_unix_utc (0);

  return g_date_time_add (epoch, us);
}

/**
 * saban_command_replay_new:
 * @log: a GListModel of SabanCommandItem: one scenario's log entries, in any
 *   order
 *
 * Returns: (transfer full): the replay; entries without a time are skipped
 */
SabanCommandReplay *
saban_command_replay_new (GListModel *log)
{
  SabanCommandReplay *self = g_object_new (SABAN_TYPE_COMMAND_REPLAY, NULL);
  guint n = g_list_model_get_n_items (log);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SabanCommandItem) item = g_list_model_get_item (log, i);
      Entry e = { 0 };

      e.at = saban_command_item_get_time (item, "at");
      if (e.at == 0)
        continue;
      e.id = saban_command_item_get_id (item);
      e.task_id = saban_command_item_get_int (item, "taskId", 0);
      e.to = g_strdup (saban_command_item_get_string (item, "to"));
      g_array_append_val (self->entries, e);
    }
  g_array_sort (self->entries, by_time);
  for (guint i = 0; i < self->entries->len; i++)
    {
      gint64 task = g_array_index (self->entries, Entry, i).task_id;
      gboolean seen = FALSE;

      for (guint j = 0; task != 0 && j < self->task_ids->len && !seen; j++)
        seen = g_array_index (self->task_ids, gint64, j) == task;
      if (task != 0 && !seen)
        g_array_append_val (self->task_ids, task);
    }
  return self;
}

/**
 * saban_command_replay_get_range:
 * @start: (out) (optional) (transfer full): the first entry's time
 * @end: (out) (optional) (transfer full): the last entry's time
 *
 * Returns: %FALSE if the log is empty (and nothing is set)
 */
gboolean
saban_command_replay_get_range (SabanCommandReplay *self, GDateTime **start, GDateTime **end)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_REPLAY (self), FALSE);

  if (self->entries->len == 0)
    return FALSE;
  if (start != NULL)
    *start = datetime (g_array_index (self->entries, Entry, 0).at);
  if (end != NULL)
    *end = datetime (g_array_index (self->entries, Entry, self->entries->len - 1).at);
  return TRUE;
}

/* the status @task_id (0: the scenario) went to last, at or before @t */
static const char *
status_at (SabanCommandReplay *self, gint64 task_id, gint64 t)
{
  const char *status = NULL;

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *e = &g_array_index (self->entries, Entry, i);

      if (e->at > t)
        break;
      if (e->task_id == task_id && e->to != NULL)
        status = e->to;
    }
  return status;
}

/**
 * saban_command_replay_scenario_status_at:
 * Returns: (nullable): the scenario's status at @t; NULL before it existed
 */
const char *
saban_command_replay_scenario_status_at (SabanCommandReplay *self, GDateTime *t)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_REPLAY (self), NULL);
  return status_at (self, 0, usec (t));
}

/**
 * saban_command_replay_task_status_at:
 * Returns: (nullable): the task's status at @t; NULL before it existed
 */
const char *
saban_command_replay_task_status_at (SabanCommandReplay *self, gint64 task_id, GDateTime *t)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_REPLAY (self), NULL);
  g_return_val_if_fail (task_id > 0, NULL);
  return status_at (self, task_id, usec (t));
}

/**
 * saban_command_replay_tasks_at:
 * Returns: (transfer full) (element-type gint64 utf8): every task that
 *   existed at @t → its status then (strings owned by the replay)
 */
GHashTable *
saban_command_replay_tasks_at (SabanCommandReplay *self, GDateTime *t)
{
  GHashTable *tasks = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gint64 us = usec (t);

  g_return_val_if_fail (SABAN_IS_COMMAND_REPLAY (self), tasks);
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *e = &g_array_index (self->entries, Entry, i);

      if (e->at > us)
        break;
      if (e->task_id != 0 && e->to != NULL)
        g_hash_table_replace (tasks, g_memdup2 (&e->task_id, sizeof e->task_id), e->to);
    }
  return tasks;
}

/**
 * saban_command_replay_count_at:
 * Returns: how many tasks were in @status at @t
 */
guint
saban_command_replay_count_at (SabanCommandReplay *self, GDateTime *t, const char *status)
{
  g_autoptr(GHashTable) tasks = saban_command_replay_tasks_at (self, t);
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_hash_table_iter_init (&iter, tasks);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    n += g_strcmp0 (value, status) == 0;
  return n;
}

/**
 * saban_command_replay_get_task_ids:
 * Returns: (transfer full) (element-type gint64): the tasks in the log, in
 *   the order they first appear
 */
GArray *
saban_command_replay_get_task_ids (SabanCommandReplay *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_REPLAY (self), NULL);
  return g_array_ref (self->task_ids);
}

/**
 * saban_command_replay_get_n_entries_at:
 * Returns: how many log entries are at or before @t
 */
guint
saban_command_replay_get_n_entries_at (SabanCommandReplay *self, GDateTime *t)
{
  gint64 us = usec (t);
  guint n = 0;

  g_return_val_if_fail (SABAN_IS_COMMAND_REPLAY (self), 0);
  while (n < self->entries->len && g_array_index (self->entries, Entry, n).at <= us)
    n++;
  return n;
}
