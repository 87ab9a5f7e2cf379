/* saban-scenario-window-replay.c: replaying a closed or cancelled scenario
 * on its board — a slider over its log's time range; the columns show the
 * tasks in their status at that time (read-only cards), the log only the
 * entries up to it; every map shows the scenario then (the session's
 * replay view), with the sensors and units of then once their history
 * (SabanScenarioHistory) is loaded.
 */
#include "saban-scenario-window-private.h"

#include <glib/gi18n.h>

#include "saban-command-labels.h"
#include "saban-command-log.h"

/* every map shows the scenario as at @t (NULL: the live picture again),
 * through the session's replay view, with the sensors and units of then
 * once their history is loaded */
static void
show_on_map (SabanScenarioWindow *self, GDateTime *t)
{
  gboolean history = t != NULL && self->history != NULL && saban_scenario_history_get_loaded (self->history);
  g_autofree char *when = NULL, *label = NULL;

  if (t == NULL)
    {
      if (self->replay_view != NULL && saban_session_get_replay (self->session) == self->replay_view)
        saban_session_set_replay (self->session, NULL);
      g_clear_object (&self->replay_view);
      return;
    }
  if (self->replay_view == NULL)
    {
      self->replay_view = saban_replay_view_new (self->scenario, self->replay);
      saban_session_set_replay (self->session, self->replay_view);
    }
  if (!history)
    {
      saban_replay_view_show_at (self->replay_view, t, NULL, NULL, NULL);
      return;
    }
  saban_scenario_history_show_at (self->history, self->replay_time);
  when = saban_command_label_time (self->replay_time);
  label = g_strdup_printf (_("Replay of %s · %s — sensors and units as they were then"),
                           saban_command_item_get_string (self->scenario, "title"), when);
  saban_replay_view_show_at (self->replay_view, t, saban_scenario_history_get_sensors (self->history),
                             saban_scenario_history_get_units (self->history), label);
}

static void
update_replay (SabanScenarioWindow *self)
{
  g_autoptr(GDateTime) t = NULL;
  g_autoptr(GHashTable) tasks = NULL;
  g_autofree char *when = NULL, *text = NULL;
  const char *status;
  double value = gtk_adjustment_get_value (self->replay_adjustment);

  if (!self->replaying || self->replay == NULL)
    return;
  self->replay_time = value >= gtk_adjustment_get_upper (self->replay_adjustment)
                      ? self->replay_end : self->replay_start + (gint64) (value * G_USEC_PER_SEC);
  {
    g_autoptr(GDateTime) second = g_date_time_new_from_unix_utc (self->replay_time / G_USEC_PER_SEC);
    t = g_date_time_add (second, self->replay_time % G_USEC_PER_SEC);
  }
  tasks = saban_command_replay_tasks_at (self->replay, t);
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      Column *column = &self->columns[c];
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GArray) ids = saban_command_replay_get_task_ids (self->replay);

      for (guint i = 0; i < ids->len; i++)
        {
          gint64 id = g_array_index (ids, gint64, i);
          SabanCommandItem *task = saban_command_store_lookup (self->store, SABAN_COMMAND_TASKS, id);

          if (task != NULL && g_strcmp0 (g_hash_table_lookup (tasks, &id), column->status) == 0)
            g_ptr_array_add (items, g_object_ref (task));
        }
      g_list_store_splice (column->replay, 0, g_list_model_get_n_items (G_LIST_MODEL (column->replay)),
                           items->pdata, items->len);
    }
  gtk_filter_changed (self->log_filter, GTK_FILTER_CHANGE_DIFFERENT);
  show_on_map (self, t);
  status = saban_command_replay_scenario_status_at (self->replay, t);
  when = saban_command_label_time (self->replay_time);
  text = g_strdup_printf (_("%s — scenario %s"), when,
                          status != NULL ? saban_command_label_status (SABAN_COMMAND_SCENARIOS, status) : "—");
  gtk_label_set_label (self->replay_label, text);
}

static void
history_loaded (GObject *source, GAsyncResult *result, gpointer data)
{
  SabanScenarioWindow *self;
  g_autoptr(GError) error = NULL;

  if (!saban_scenario_history_load_finish (SABAN_SCENARIO_HISTORY (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = data;
  if (error != NULL)
    {
      g_message ("replay history: %s", error->message);
      saban_scenario_window_add_toast (self, _("The sensors' and units' history could not be loaded: the map shows them live"));
      return;
    }
  update_replay (self);
}

/* the sensors and units of the replay's time range, once per replay */
static void
load_history (SabanScenarioWindow *self)
{
  SabanSensorThingsClient *sensors = saban_session_get_sensor_client (self->session);

  if (self->history != NULL || sensors == NULL)
    return;
  self->history = saban_scenario_history_new (sensors,
                                              self->replay_start, self->replay_end);
  self->history_cancellable = g_cancellable_new ();
  saban_scenario_history_load_async (self->history, self->history_cancellable, history_loaded, self);
}

void
saban_scenario_window_stop_history (SabanScenarioWindow *self)
{
  g_cancellable_cancel (self->history_cancellable);
  g_clear_object (&self->history_cancellable);
  g_clear_object (&self->history);
}

void
saban_scenario_window_start_replay (SabanScenarioWindow *self)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  /* made again for a late log entry: where the user was stays, the end follows */
  double at = gtk_adjustment_get_value (self->replay_adjustment);
  gboolean at_end = !self->replaying || at >= gtk_adjustment_get_upper (self->replay_adjustment);
  double span;

  g_clear_object (&self->replay);
  self->replay = saban_command_replay_new (self->log);
  if (!saban_command_replay_get_range (self->replay, &start, &end))
    return;
  self->replay_start = g_date_time_to_unix (start) * G_USEC_PER_SEC + g_date_time_get_microsecond (start);
  self->replay_end = g_date_time_to_unix (end) * G_USEC_PER_SEC + g_date_time_get_microsecond (end);
  span = MAX ((double) (self->replay_end - self->replay_start) / G_USEC_PER_SEC, 1.0);
  self->replaying = TRUE;
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      if (self->columns[c].replay == NULL)
        self->columns[c].replay = g_list_store_new (SABAN_TYPE_COMMAND_ITEM);
      saban_scenario_window_bind_column (self, &self->columns[c], G_LIST_MODEL (self->columns[c].replay));
    }
  gtk_adjustment_configure (self->replay_adjustment, at_end ? span : MIN (at, span), 0, span, 1, MAX (span / 20, 1), 0);
  gtk_revealer_set_reveal_child (self->replay_revealer, TRUE);
  load_history (self);
  update_replay (self);
}

void
saban_scenario_window_stop_replay (SabanScenarioWindow *self)
{
  show_on_map (self, NULL);
  saban_scenario_window_stop_history (self);
  self->replaying = FALSE;
  g_clear_object (&self->replay);
  gtk_revealer_set_reveal_child (self->replay_revealer, FALSE);
  for (guint c = 0; c < N_COLUMNS; c++)
    saban_scenario_window_bind_column (self, &self->columns[c], self->columns[c].live);
  gtk_filter_changed (self->log_filter, GTK_FILTER_CHANGE_LESS_STRICT);
}

void
saban_scenario_window_on_replay_moved (SabanScenarioWindow *self)
{
  update_replay (self);
}
