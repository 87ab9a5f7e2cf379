/* saban-scenario-window.c: the scenario workspace — the scenarios by
 * status, and for the chosen one its board (tasks in a column per status),
 * its log and its situation reports; a closed scenario can be replayed.
 *
 * It is a window of its own, not a pane of the main window: eight columns
 * of cards need the width of a screen (8 × 200 px), and the map must stay
 * whole in the main window — in a control room the board goes to the
 * second screen or the video wall, the map stays on the first.
 *
 * The board reads SabanCommandStore's live lists (one per status), so a
 * change made here, by a colleague or through MQTT moves the card by
 * itself; writes go through SabanCommandClient and show as pending until
 * the server has them. In a replay the columns are filled from
 * SabanCommandReplay at the slider's time instead, and offer no actions;
 * every map shows the scenario at that time too (the session's replay
 * view), with the sensors' readings and the units' positions of that time
 * (SabanScenarioHistory, loaded when the replay starts) in place of the
 * live ones until the replay stops or the board closes.
 *
 * A task assigned to a responder unit shows how far the unit is from the
 * task's place, following the unit as it moves.
 *
 * Over a thousand lines: the board's columns, cards, detail pane and their moves share one
 * selection and one command store's signals; the dialogs it opens are
 * already files of their own, the columns could be next.
 */
#include "saban-scenario-window-private.h"

#include <glib/gi18n.h>
#include <math.h>

#include "saban-command-labels.h"
#include "saban-command-log.h"
#include "saban-command-replay.h"
#include "saban-permission.h"
#include "saban-scenario-history.h"
#include "saban-sitrep-dialog.h"
#include "saban-task-card.h"
#include "saban-task-dialog.h"

enum { PROP_0, PROP_SESSION, N_PROPS };

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SabanScenarioWindow, saban_scenario_window, ADW_TYPE_WINDOW)

static gboolean
is_finished_scenario (SabanCommandItem *scenario)
{
  return saban_command_schema_is_terminal ("scenarios", saban_command_item_get_status (scenario));
}

/**
 * saban_scenario_window_add_toast:
 *
 * Shows a short message over the board.
 */
void
saban_scenario_window_add_toast (SabanScenarioWindow *self, const char *message)
{
  AdwToast *toast;

  g_return_if_fail (SABAN_IS_SCENARIO_WINDOW (self));

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* win.toast(s): what the notifier has to tell the user in this window */
static void
toast_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  saban_scenario_window_add_toast (SABAN_SCENARIO_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* ---- the scenario list ------------------------------------------------------- */

static int
status_rank (const char *status)
{
  static const char *const order[] = { "active", "suspended", "draft", "closed", "cancelled" };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (g_strcmp0 (order[i], status) == 0)
      return i;
  return G_N_ELEMENTS (order);
}

/* by status (what needs attention first), then newest first */
static int
compare_scenarios (gconstpointer a, gconstpointer b, gpointer data)
{
  SabanCommandItem *x = (SabanCommandItem *) a, *y = (SabanCommandItem *) b;
  int rx = status_rank (saban_command_item_get_status (x)), ry = status_rank (saban_command_item_get_status (y));
  gint64 ix = saban_command_item_get_id (x), iy = saban_command_item_get_id (y);

  if (rx != ry)
    return rx < ry ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
  /* a local one (negative id) is the newest of all */
  ix = ix < 0 ? G_MAXINT64 + ix : ix;
  iy = iy < 0 ? G_MAXINT64 + iy : iy;
  return ix > iy ? GTK_ORDERING_SMALLER : ix < iy ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static char *
scenario_subtitle (SabanScenarioWindow *self, SabanCommandItem *scenario)
{
  const char *code = saban_command_item_get_string (scenario, "playbook");
  SabanCommandItem *playbook = code != NULL ? saban_command_store_find_playbook (self->store, code) : NULL;
  const char *severity = saban_command_item_get_string (scenario, "severity");
  gint64 activated = saban_command_item_get_time (scenario, "activatedAt");
  gint64 closed = saban_command_item_get_time (scenario, "closedAt");
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (playbook != NULL)
    g_ptr_array_add (parts, g_strdup (saban_command_item_get_title (playbook)));
  if (severity != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("severity: %s"), saban_command_label_severity (severity)));
  if (closed > 0)
    {
      g_autofree char *t = saban_command_label_time (closed);
      g_ptr_array_add (parts, g_strdup_printf (_("ended %s"), t));
    }
  else if (activated > 0)
    {
      g_autofree char *t = saban_command_label_time (activated);
      g_ptr_array_add (parts, g_strdup_printf (_("activated %s"), t));
    }
  else
    {
      g_autofree char *t = saban_command_label_time (saban_command_item_get_time (scenario, "created"));
      g_ptr_array_add (parts, g_strdup_printf (_("created %s"), t));
    }
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static GtkWidget *
create_scenario_row (gpointer item, gpointer data)
{
  SabanScenarioWindow *self = data;
  SabanCommandItem *scenario = item;
  g_autofree char *subtitle = scenario_subtitle (self, scenario);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), saban_command_item_get_title (scenario));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  if (saban_command_item_get_pending (scenario))
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("emblem-synchronizing-symbolic");
      gtk_widget_set_tooltip_text (icon, _("Not yet on the server: it will be sent when the connection allows"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
    }
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "scenario", g_object_ref (scenario), g_object_unref);
  return row;
}

static SabanCommandItem *
row_scenario (GtkListBoxRow *row)
{
  return row != NULL ? g_object_get_data (G_OBJECT (row), "scenario") : NULL;
}

/* a heading above the first scenario of each status */
static void
scenario_header (GtkListBoxRow *row, GtkListBoxRow *before, gpointer data)
{
  const char *status = saban_command_item_get_status (row_scenario (row));
  g_autofree char *heading = NULL;
  GtkWidget *label;

  if (before != NULL && g_strcmp0 (status, saban_command_item_get_status (row_scenario (before))) == 0)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  heading = saban_command_label_heading (SABAN_COMMAND_SCENARIOS, status);
  label = gtk_label_new (heading);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 4);
  gtk_list_box_row_set_header (row, label);
}

static void
on_scenario_activated (SabanScenarioWindow *self, GtkListBoxRow *row)
{
  saban_scenario_window_set_scenario (self, row_scenario (row));
}

/* ---- the board ------------------------------------------------------------------ */

static GPtrArray *
all_cards (SabanScenarioWindow *self)
{
  GPtrArray *cards = g_ptr_array_new ();

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      if (self->columns[c].list == NULL)
        continue;
      for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->columns[c].list)); row != NULL;
           row = gtk_widget_get_next_sibling (row))
        if (GTK_IS_LIST_BOX_ROW (row) && SABAN_IS_TASK_CARD (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row))))
          g_ptr_array_add (cards, gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)));
    }
  return cards;
}

/* how far the unit the task is assigned to is from its place: NAN when
 * it is no unit here or either position is unknown */
static double
unit_distance (SabanScenarioWindow *self, SabanCommandItem *task)
{
  JsonNode *assignee = json_object_get_member (saban_command_item_get_properties (task), "assignee");
  JsonObject *o;
  double lon, lat;

  if (self->units == NULL || assignee == NULL || !JSON_NODE_HOLDS_OBJECT (assignee) ||
      !saban_command_item_get_point (task, &lon, &lat))
    return NAN;
  o = json_node_get_object (assignee);
  if (g_strcmp0 (json_object_get_string_member_with_default (o, "type", NULL), "unit") != 0)
    return NAN;
  return saban_unit_store_distance_to (self->units, json_object_get_string_member_with_default (o, "id", NULL), lon, lat);
}

static void
on_unit_changed (SabanScenarioWindow *self)
{
  g_autoptr(GPtrArray) cards = NULL;

  if (self->replaying)
    return;
  cards = all_cards (self);
  for (guint i = 0; i < cards->len; i++)
    {
      SabanTaskCard *card = g_ptr_array_index (cards, i);

      saban_task_card_set_distance (card, unit_distance (self, saban_task_card_get_task (card)));
    }
}

static GtkWidget *
create_card (gpointer item, gpointer data)
{
  SabanScenarioWindow *self = data;
  gint64 id = saban_command_item_get_id (item);
  GtkWidget *card = saban_task_card_new (item, !self->replaying);
  GtkWidget *row = gtk_list_box_row_new ();

  if (!self->replaying)
    {
      saban_task_card_set_role (SABAN_TASK_CARD (card), saban_session_get_role (self->session));
      saban_task_card_set_overdue (SABAN_TASK_CARD (card), g_hash_table_contains (self->overdue, &id));
      saban_task_card_set_changed_by (SABAN_TASK_CARD (card), g_hash_table_lookup (self->changed_by, &id));
      saban_task_card_set_distance (SABAN_TASK_CARD (card), unit_distance (self, item));
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), card);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static void
update_column_title (Column *column)
{
  g_autofree char *heading = saban_command_label_heading (SABAN_COMMAND_TASKS, column->status);
  g_autofree char *text = NULL;

  text = g_strdup_printf ("%s (%u)", heading, column->shown ? g_list_model_get_n_items (column->shown) : 0);
  gtk_label_set_label (column->title, text);
}

static void
on_column_changed (GListModel *model, guint position, guint removed, guint added, Column *column)
{
  update_column_title (column);
}

void
saban_scenario_window_bind_column (SabanScenarioWindow *self, Column *column, GListModel *model)
{
  if (column->shown != NULL)
    g_signal_handlers_disconnect_by_func (column->shown, on_column_changed, column);
  column->shown = model;
  gtk_list_box_bind_model (column->list, model, model ? create_card : NULL, model ? self : NULL, NULL);
  if (model != NULL)
    g_signal_connect (model, "items-changed", G_CALLBACK (on_column_changed), column);
  update_column_title (column);
}

static void
make_columns (SabanScenarioWindow *self)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      Column *column = &self->columns[c];
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *scrolled = gtk_scrolled_window_new ();

      column->status = saban_command_schema_get_states ("tasks")[c];
      column->title = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (column->title, 0);
      gtk_widget_add_css_class (GTK_WIDGET (column->title), "heading");
      gtk_widget_set_margin_start (GTK_WIDGET (column->title), 4);
      column->list = GTK_LIST_BOX (gtk_list_box_new ());
      gtk_list_box_set_selection_mode (column->list, GTK_SELECTION_NONE);
      gtk_widget_add_css_class (GTK_WIDGET (column->list), "board-column");
      {
        GtkWidget *none = gtk_label_new (_("No tasks"));
        gtk_widget_add_css_class (none, "dim-label");
        gtk_widget_set_margin_top (none, 12);
        gtk_list_box_set_placeholder (column->list, none);
      }
      gtk_widget_set_valign (GTK_WIDGET (column->list), GTK_ALIGN_START);
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (column->list));
      gtk_widget_set_vexpand (scrolled, TRUE);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (column->title));
      gtk_box_append (GTK_BOX (box), scrolled);
      /* eight columns and their gaps fit 1 366 px: 8 × 150 + 7 × 8 + 16 */
      gtk_widget_set_size_request (box, 150, -1);
      gtk_widget_add_css_class (box, "board-column-box");
      gtk_box_append (self->board_box, box);
      update_column_title (column);
    }
}

static void
clear_columns (SabanScenarioWindow *self)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      saban_scenario_window_bind_column (self, &self->columns[c], NULL);
      g_clear_object (&self->columns[c].live);
      g_clear_object (&self->columns[c].replay);
    }
}

/**
 * saban_scenario_window_refresh_overdue:
 *
 * Marks the cards of the tasks past their due time (done each minute).
 */
void
saban_scenario_window_refresh_overdue (SabanScenarioWindow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GPtrArray) overdue = NULL;
  g_autoptr(GPtrArray) cards = NULL;

  g_return_if_fail (SABAN_IS_SCENARIO_WINDOW (self));

  g_hash_table_remove_all (self->overdue);
  if (self->scenario == NULL)
    return;
  overdue = saban_command_store_get_overdue_tasks (self->store, saban_command_item_get_id (self->scenario), now);
  for (guint i = 0; i < overdue->len; i++)
    {
      gint64 id = saban_command_item_get_id (g_ptr_array_index (overdue, i));
      g_hash_table_add (self->overdue, g_memdup2 (&id, sizeof id));
    }
  cards = all_cards (self);
  for (guint i = 0; i < cards->len; i++)
    {
      SabanTaskCard *card = g_ptr_array_index (cards, i);
      gint64 id = saban_command_item_get_id (saban_task_card_get_task (card));

      saban_task_card_set_overdue (card, !self->replaying && g_hash_table_contains (self->overdue, &id));
    }
}

static gboolean
overdue_cb (gpointer data)
{
  saban_scenario_window_refresh_overdue (data);
  return G_SOURCE_CONTINUE;
}

/* ---- the scenario's summary and actions ---------------------------------------- */

/* What the signed-in role may not do stays in sight, disabled, with who
 * may as the tooltip (the command schema says who). */
static void
apply_role (SabanScenarioWindow *self)
{
  const char *role = saban_session_get_role (self->session);
  const char *status = self->scenario != NULL ? saban_command_item_get_status (self->scenario) : NULL;
  g_autofree char *dispatch = NULL, *sitrep = NULL;
  gboolean may;

  for (GtkWidget *b = gtk_widget_get_first_child (GTK_WIDGET (self->scenario_actions)); b != NULL;
       b = gtk_widget_get_next_sibling (b))
    {
      g_autofree char *reason = NULL;

      may = saban_command_label_permission (role, "scenarios", status, g_object_get_data (G_OBJECT (b), "status"),
                                            &reason);
      saban_permission_apply (b, may, reason);
    }
  may = saban_command_label_permission (role, "tasks", NULL, NULL, &dispatch);
  saban_permission_apply (self->dispatch_button, may, dispatch);
  may = saban_command_label_permission (role, "sitreps", NULL, NULL, &sitrep);
  saban_permission_apply (self->sitrep_button, may, sitrep);
}


static void
on_scenario_action (GtkButton *button, SabanScenarioWindow *self)
{
  const char *status = g_object_get_data (G_OBJECT (button), "status");

  saban_scenario_window_move_scenario (self, status);
}

static void
update_summary (SabanScenarioWindow *self)
{
  SabanCommandItem *s = self->scenario;
  const char *status = saban_command_item_get_status (s);
  const char *const *next = saban_command_schema_get_next_states ("scenarios", status);
  g_autofree char *subtitle = scenario_subtitle (self, s);
  g_autofree char *heading = saban_command_label_heading (SABAN_COMMAND_SCENARIOS, status);
  g_autofree char *window_subtitle = g_strdup_printf ("%s · %s", heading, subtitle);
  const char *description = saban_command_item_get_string (s, "description");
  GtkWidget *child;
  gboolean open = !is_finished_scenario (s);

  adw_window_title_set_title (self->window_title, saban_command_item_get_title (s));
  adw_window_title_set_subtitle (self->window_title, window_subtitle);
  gtk_label_set_label (self->summary_label, description != NULL ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), description != NULL && *description != '\0');

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->scenario_actions))) != NULL)
    gtk_box_remove (self->scenario_actions, child);
  for (guint i = 0; next != NULL && next[i] != NULL; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (saban_command_label_transition (SABAN_COMMAND_SCENARIOS,
                                                                                     status, next[i]));

      g_object_set_data (G_OBJECT (button), "status", (gpointer) next[i]);
      if (g_str_equal (next[i], "cancelled"))
        gtk_widget_add_css_class (button, "destructive-action");
      g_signal_connect (button, "clicked", G_CALLBACK (on_scenario_action), self);
      gtk_box_append (self->scenario_actions, button);
    }
  gtk_widget_set_sensitive (self->dispatch_button, open);
  gtk_widget_set_sensitive (self->sitrep_button, open);
  apply_role (self);
}

/* a new role: the summary's buttons and every card again */
static void
on_role_changed (SabanScenarioWindow *self)
{
  g_autoptr(GPtrArray) cards = all_cards (self);

  if (self->scenario != NULL)
    update_summary (self);
  for (guint i = 0; i < cards->len && !self->replaying; i++)
    saban_task_card_set_role (g_ptr_array_index (cards, i), saban_session_get_role (self->session));
}

/* ---- following the store -------------------------------------------------------- */

/* the server has the move asked here: say what happened */
static void
tell_scenario_moved (SabanScenarioWindow *self)
{
  g_autofree char *done = NULL;

  if (self->awaited_status == NULL || saban_command_item_get_pending (self->scenario) ||
      g_strcmp0 (saban_command_item_get_status (self->scenario), self->awaited_status) != 0)
    return;
  g_clear_pointer (&self->awaited_status, g_free);
  done = saban_command_label_scenario_done (saban_command_item_get_status (self->scenario),
                                            saban_command_item_get_title (self->scenario));
  saban_scenario_window_add_toast (self, done);
}

static void
on_scenario_changed (SabanScenarioWindow *self)
{
  gboolean finished = is_finished_scenario (self->scenario);

  tell_scenario_moved (self);
  update_summary (self);
  if (finished && !self->replaying)
    saban_scenario_window_start_replay (self);
  else if (!finished && self->replaying)
    saban_scenario_window_stop_replay (self);
  saban_scenario_window_refresh_overdue (self);
}

/* a colleague moved one of our tasks: mark its card */
static void
mark_changed_by (SabanScenarioWindow *self, SabanCommandItem *entry)
{
  const char *actor = saban_command_item_get_string (entry, "actor");
  gint64 task_id = saban_command_item_get_int (entry, "taskId", 0);
  g_autoptr(GPtrArray) cards = all_cards (self);

  g_hash_table_replace (self->changed_by, g_memdup2 (&task_id, sizeof task_id), g_strdup (actor));
  for (guint i = 0; i < cards->len; i++)
    if (saban_command_item_get_id (saban_task_card_get_task (g_ptr_array_index (cards, i))) == task_id)
      saban_task_card_set_changed_by (g_ptr_array_index (cards, i), actor);
}

/* a log entry of the scenario: a colleague's move is marked; a replay is
 * made (again) with it — entries are fetched after their notices, so the
 * last ones, or all of a scenario closed elsewhere, can come after the
 * status that closed it */
static void
on_item_changed (SabanScenarioWindow *self, SabanCommandItem *item)
{
  const char *account;

  if (self->scenario == NULL || saban_command_item_get_collection (item) != SABAN_COMMAND_LOG ||
      saban_command_item_get_scenario_id (item) != saban_command_item_get_id (self->scenario) ||
      !saban_command_client_get_loaded (self->client))
    return;
  account = saban_connection_get_account (saban_command_client_get_connection (self->client));
  if (saban_command_log_is_move_by_other (item, account))
    mark_changed_by (self, item);
  if (self->replaying || is_finished_scenario (self->scenario))
    saban_scenario_window_start_replay (self);
}

static void
on_item_removed (SabanScenarioWindow *self, SabanCommandItem *item)
{
  if (item == self->scenario)
    saban_scenario_window_set_scenario (self, NULL);
}

/**
 * saban_scenario_window_set_scenario:
 * @scenario: (nullable): the scenario to show, or NULL for none
 */
void
saban_scenario_window_set_scenario (SabanScenarioWindow *self, SabanCommandItem *scenario)
{
  gint64 id;

  g_return_if_fail (SABAN_IS_SCENARIO_WINDOW (self));

  if (self->scenario != NULL)
    g_signal_handlers_disconnect_by_func (self->scenario, on_scenario_changed, self);
  if (self->replaying)
    saban_scenario_window_stop_replay (self);
  clear_columns (self);
  gtk_list_box_bind_model (self->log_list, NULL, NULL, NULL, NULL);
  gtk_list_box_bind_model (self->sitrep_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->log);
  g_clear_object (&self->sitreps);
  g_hash_table_remove_all (self->changed_by);
  g_clear_pointer (&self->awaited_status, g_free);
  g_set_object (&self->scenario, scenario);
  if (scenario == NULL)
    {
      adw_window_title_set_title (self->window_title, _("Operating Scenarios"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
      gtk_widget_set_sensitive (self->dispatch_button, FALSE);
      gtk_widget_set_sensitive (self->sitrep_button, FALSE);
      return;
    }

  id = saban_command_item_get_id (scenario);
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      const char *statuses[] = { self->columns[c].status, NULL };

      self->columns[c].live = saban_command_store_list (self->store, SABAN_COMMAND_TASKS, id, statuses);
      saban_scenario_window_bind_column (self, &self->columns[c], self->columns[c].live);
    }
  self->log = saban_command_store_list_log (self->store, id);
  {
    GtkSortListModel *sorted = gtk_sort_list_model_new (g_object_ref (self->log),
                                                        GTK_SORTER (gtk_custom_sorter_new (saban_scenario_window_newest_first, "at", NULL)));
    GtkFilterListModel *filtered = gtk_filter_list_model_new (G_LIST_MODEL (sorted), g_object_ref (self->log_filter));

    gtk_list_box_bind_model (self->log_list, G_LIST_MODEL (filtered), saban_scenario_window_create_log_row, self, NULL);
    g_object_unref (filtered);
  }
  self->sitreps = saban_command_store_list (self->store, SABAN_COMMAND_SITREPS, id, NULL);
  {
    GtkSortListModel *sorted = gtk_sort_list_model_new (g_object_ref (self->sitreps),
                                                        GTK_SORTER (gtk_custom_sorter_new (saban_scenario_window_newest_first, "created",
                                                                                           NULL)));

    gtk_list_box_bind_model (self->sitrep_list, G_LIST_MODEL (sorted), saban_scenario_window_create_sitrep_row, self, NULL);
    g_object_unref (sorted);
  }
  g_signal_connect_object (scenario, "changed", G_CALLBACK (on_scenario_changed), self, G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (self->content_stack, "board");
  /* the board needs the width; the list is one click away */
  adw_flap_set_reveal_flap (self->flap, FALSE);
  on_scenario_changed (self);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->scenario_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && row_scenario (GTK_LIST_BOX_ROW (row)) == scenario)
      gtk_list_box_select_row (self->scenario_list, GTK_LIST_BOX_ROW (row));
}

/**
 * saban_scenario_window_get_scenario:
 * Returns: (transfer none) (nullable): the scenario shown
 */
SabanCommandItem *
saban_scenario_window_get_scenario (SabanScenarioWindow *self)
{
  g_return_val_if_fail (SABAN_IS_SCENARIO_WINDOW (self), NULL);
  return self->scenario;
}

/* ---- user commands --------------------------------------------------------------- */

/* the scenario's move the server has not confirmed yet: said once it has */
static void
await_scenario_move (SabanScenarioWindow *self, const char *status)
{
  g_free (self->awaited_status);
  self->awaited_status = g_strdup (status);
}

/* which moves are asked first: those that cannot be taken back once the
 * server has them (a scenario cancelled or closed, a task cancelled) and
 * taking a task back from its assignee */
static gboolean
needs_confirmation (SabanCommandItem *item, const char *status)
{
  if (saban_command_item_get_collection (item) == SABAN_COMMAND_SCENARIOS)
    return g_strcmp0 (status, "cancelled") == 0 || g_strcmp0 (status, "closed") == 0;
  return g_strcmp0 (status, "cancelled") == 0 ||
         (g_strcmp0 (status, "pending") == 0 && g_strcmp0 (saban_command_item_get_status (item), "assigned") == 0);
}

static const char *
assignee_name (SabanCommandItem *task)
{
  JsonNode *assignee = json_object_get_member (saban_command_item_get_properties (task), "assignee");

  return assignee != NULL && JSON_NODE_HOLDS_OBJECT (assignee)
           ? json_object_get_string_member_with_default (json_node_get_object (assignee), "name", NULL) : NULL;
}

/* the question, naming the object, and the word for yes */
static void
confirmation_text (SabanCommandItem *item, const char *status, char **heading, char **body, const char **yes)
{
  const char *title = saban_command_item_get_title (item);
  const char *who = saban_command_item_get_collection (item) == SABAN_COMMAND_TASKS ? assignee_name (item) : NULL;

  if (saban_command_item_get_collection (item) == SABAN_COMMAND_SCENARIOS && g_str_equal (status, "cancelled"))
    {
      *heading = g_strdup_printf (_("Cancel scenario “%s”?"), title);
      *body = g_strdup (_("The scenario stops for every workstation. Once the IOC server has the cancellation it "
                          "cannot be undone: the scenario can then only be replayed."));
      *yes = _("_Cancel Scenario");
    }
  else if (saban_command_item_get_collection (item) == SABAN_COMMAND_SCENARIOS)
    {
      *heading = g_strdup_printf (_("Close scenario “%s”?"), title);
      *body = g_strdup (_("The scenario ends for every workstation and cannot be reopened; it can then only be "
                          "replayed."));
      *yes = _("C_lose Scenario");
    }
  else if (g_str_equal (status, "cancelled"))
    {
      *heading = g_strdup_printf (_("Cancel task “%s”?"), title);
      *body = who != NULL ? g_strdup_printf (_("The task is withdrawn from %s for every workstation. This cannot be "
                                               "undone."), who)
                          : g_strdup (_("The task ends for every workstation. This cannot be undone."));
      *yes = _("Cancel _Task");
    }
  else
    {
      *heading = who != NULL ? g_strdup_printf (_("Take task “%s” back from %s?"), title, who)
                             : g_strdup_printf (_("Take task “%s” back?"), title);
      *body = g_strdup (_("It goes back to Waiting, to be assigned again."));
      *yes = _("_Take Back");
    }
}

static gboolean send_move (SabanScenarioWindow *self, SabanCommandItem *item, const char *status);

static void
on_confirmation (AdwMessageDialog *dialog, const char *response, SabanScenarioWindow *self)
{
  SabanCommandItem *item = g_object_get_data (G_OBJECT (dialog), "item");

  if (g_strcmp0 (response, "confirm") == 0)
    send_move (self, item, g_object_get_data (G_OBJECT (dialog), "status"));
}

static void
ask_confirmation (SabanScenarioWindow *self, SabanCommandItem *item, const char *status)
{
  g_autofree char *heading = NULL, *body = NULL;
  const char *yes;
  GtkWidget *dialog;

  confirmation_text (item, status, &heading, &body, &yes);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "keep", _("_Do Nothing"), "confirm", yes, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_object_set_data_full (G_OBJECT (dialog), "item", g_object_ref (item), g_object_unref);
  /* a state of the schema: a static string */
  g_object_set_data (G_OBJECT (dialog), "status", (gpointer) g_intern_string (status));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirmation), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
has_assignee (SabanCommandItem *task)
{
  JsonNode *assignee = json_object_get_member (saban_command_item_get_properties (task), "assignee");

  return assignee != NULL && JSON_NODE_HOLDS_OBJECT (assignee) &&
         json_object_get_string_member_with_default (json_node_get_object (assignee), "name", NULL) != NULL;
}

/**
 * saban_scenario_window_move_task:
 * @task: a task of the scenario shown
 * @status: where it goes (one of saban_command_schema_get_next_states())
 *
 * What a card's button does. A task given without anyone to do it opens
 * the task dialog to choose the assignee first; cancelling a task or
 * taking it back from its assignee asks first, naming them.
 *
 * Returns: whether the change was made (it is pending until the server
 *   has it); %FALSE when a dialog asks first
 */
gboolean
saban_scenario_window_move_task (SabanScenarioWindow *self, SabanCommandItem *task, const char *status)
{
  g_return_val_if_fail (SABAN_IS_SCENARIO_WINDOW (self), FALSE);

  if (g_strcmp0 (status, "assigned") == 0 && !has_assignee (task))
    {
      gtk_window_present (GTK_WINDOW (saban_task_dialog_new_assign (GTK_WINDOW (self), self->session, task)));
      return FALSE;
    }
  if (needs_confirmation (task, status))
    {
      ask_confirmation (self, task, status);
      return FALSE;
    }
  return send_move (self, task, status);
}

/* the move itself, asked for and confirmed */
static gboolean
send_move (SabanScenarioWindow *self, SabanCommandItem *item, const char *status)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (!saban_command_client_set_status (self->client, item, status, &error))
    {
      saban_scenario_window_add_toast (self, error->message);
      return FALSE;
    }
  if (saban_command_item_get_collection (item) == SABAN_COMMAND_SCENARIOS)
    {
      await_scenario_move (self, status);
      return TRUE;
    }
  id = saban_command_item_get_id (item);
  g_hash_table_remove (self->changed_by, &id);
  return TRUE;
}

static guint
count_open_tasks (SabanScenarioWindow *self)
{
  g_autoptr(GListModel) tasks = saban_command_store_list (self->store, SABAN_COMMAND_TASKS,
                                                          saban_command_item_get_id (self->scenario), NULL);
  guint open = 0;

  for (guint i = 0; i < g_list_model_get_n_items (tasks); i++)
    {
      g_autoptr(SabanCommandItem) task = g_list_model_get_item (tasks, i);
      open += !saban_command_schema_is_terminal ("tasks", saban_command_item_get_status (task));
    }
  return open;
}

/**
 * saban_scenario_window_move_scenario:
 * @status: active, suspended, closed or cancelled
 *
 * Closing needs every task finished or cancelled: if one is not, a dialog
 * says so and nothing is sent. Closing and cancelling, which cannot be
 * undone once sent, ask first, naming the scenario; once the server has
 * the change a toast says exactly what happened.
 *
 * Returns: whether the change was made; %FALSE when a dialog asks first
 */
gboolean
saban_scenario_window_move_scenario (SabanScenarioWindow *self, const char *status)
{
  guint open;

  g_return_val_if_fail (SABAN_IS_SCENARIO_WINDOW (self), FALSE);
  g_return_val_if_fail (self->scenario != NULL, FALSE);

  if (g_strcmp0 (status, "closed") == 0 && (open = count_open_tasks (self)) > 0)
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("The scenario cannot be closed yet"), NULL);

      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                      g_dngettext (NULL,
                                                   "%u task is not finished. Every task must be completed, reported "
                                                   "failed or cancelled before the scenario is closed.",
                                                   "%u tasks are not finished. Every task must be completed, reported "
                                                   "failed or cancelled before the scenario is closed.", open),
                                      open);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return FALSE;
    }
  if (needs_confirmation (self->scenario, status))
    {
      ask_confirmation (self, self->scenario, status);
      return FALSE;
    }
  return send_move (self, self->scenario, status);
}

static SabanCommandItem *
find_task (SabanScenarioWindow *self, gint64 id)
{
  return saban_command_store_lookup (self->store, SABAN_COMMAND_TASKS, id);
}

static void
task_transition_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  SabanScenarioWindow *self = SABAN_SCENARIO_WINDOW (widget);
  const char *status;
  gint64 id;
  SabanCommandItem *task;

  g_variant_get (parameter, "(x&s)", &id, &status);
  task = find_task (self, id);
  if (task != NULL)
    saban_scenario_window_move_task (self, task, status);
}

static void
dispatch_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  SabanScenarioWindow *self = SABAN_SCENARIO_WINDOW (widget);

  if (self->scenario != NULL)
    gtk_window_present (GTK_WINDOW (saban_task_dialog_new (GTK_WINDOW (self), self->session, self->scenario)));
}

static void
sitrep_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  SabanScenarioWindow *self = SABAN_SCENARIO_WINDOW (widget);

  if (self->scenario != NULL)
    gtk_window_present (GTK_WINDOW (saban_sitrep_dialog_new (GTK_WINDOW (self), self->session, self->scenario)));
}

/* ---- for tests ------------------------------------------------------------------- */

/**
 * saban_scenario_window_get_column:
 * @status: a task status
 *
 * Returns: (transfer none) (nullable): the tasks the board shows in that
 *   column (live, or at the replay's time)
 */
GListModel *
saban_scenario_window_get_column (SabanScenarioWindow *self, const char *status)
{
  g_return_val_if_fail (SABAN_IS_SCENARIO_WINDOW (self), NULL);

  for (guint c = 0; c < N_COLUMNS; c++)
    if (g_strcmp0 (self->columns[c].status, status) == 0)
      return self->columns[c].shown;
  return NULL;
}

guint
saban_scenario_window_get_n_log_rows (SabanScenarioWindow *self)
{
  guint n = 0;

  g_return_val_if_fail (SABAN_IS_SCENARIO_WINDOW (self), 0);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->log_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    n += GTK_IS_LIST_BOX_ROW (row);
  return n;
}

/**
 * saban_scenario_window_get_replay_adjustment:
 * Returns: (transfer none): the replay slider's adjustment, in seconds
 *   from the first log entry
 */
GtkAdjustment *
saban_scenario_window_get_replay_adjustment (SabanScenarioWindow *self)
{
  g_return_val_if_fail (SABAN_IS_SCENARIO_WINDOW (self), NULL);
  return self->replay_adjustment;
}

gboolean
saban_scenario_window_get_replaying (SabanScenarioWindow *self)
{
  g_return_val_if_fail (SABAN_IS_SCENARIO_WINDOW (self), FALSE);
  return self->replaying;
}

/* ---- life ------------------------------------------------------------------------ */

static void
saban_scenario_window_dispose (GObject *object)
{
  SabanScenarioWindow *self = SABAN_SCENARIO_WINDOW (object);

  g_clear_handle_id (&self->overdue_timer, g_source_remove);
  if (self->replaying)
    saban_scenario_window_stop_replay (self);
  saban_scenario_window_stop_history (self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->scenario != NULL)
    g_signal_handlers_disconnect_by_func (self->scenario, on_scenario_changed, self);
  if (self->columns[0].list != NULL)
    clear_columns (self);
  g_clear_object (&self->replay);
  g_clear_object (&self->scenario);
  g_clear_object (&self->log);
  g_clear_object (&self->sitreps);
  g_clear_object (&self->scenarios);
  g_clear_object (&self->log_filter);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_object (&self->units);
  g_clear_object (&self->replay_view);
  g_clear_object (&self->session);
  g_clear_pointer (&self->overdue, g_hash_table_unref);
  g_clear_pointer (&self->changed_by, g_hash_table_unref);
  g_clear_pointer (&self->awaited_status, g_free);
  G_OBJECT_CLASS (saban_scenario_window_parent_class)->dispose (object);
}

/* Until a scenario is chosen, the board shows the one that needs it most:
 * the list is sorted active first, newest first. */
static void
show_first_scenario (SabanScenarioWindow *self)
{
  g_autoptr(SabanCommandItem) first = NULL;

  if (self->scenario != NULL || g_list_model_get_n_items (self->scenarios) == 0)
    return;
  first = g_list_model_get_item (self->scenarios, 0);
  saban_scenario_window_set_scenario (self, first);
}

/* the session's Command API client and units: what the board shows */
static void
saban_scenario_window_constructed (GObject *object)
{
  SabanScenarioWindow *self = SABAN_SCENARIO_WINDOW (object);
  GtkSortListModel *sorted;

  G_OBJECT_CLASS (saban_scenario_window_parent_class)->constructed (object);

  self->client = g_object_ref (saban_session_get_command_client (self->session));
  self->store = g_object_ref (saban_command_client_get_store (self->client));
  sorted = gtk_sort_list_model_new (saban_command_store_list (self->store, SABAN_COMMAND_SCENARIOS, 0, NULL),
                                    GTK_SORTER (gtk_custom_sorter_new (compare_scenarios, NULL, NULL)));
  self->scenarios = G_LIST_MODEL (sorted);
  gtk_list_box_bind_model (self->scenario_list, self->scenarios, create_scenario_row, self, NULL);
  g_signal_connect_object (self->scenarios, "items-changed", G_CALLBACK (show_first_scenario), self, G_CONNECT_SWAPPED);
  show_first_scenario (self);
  g_signal_connect_object (self->store, "item-changed", G_CALLBACK (on_item_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "item-removed", G_CALLBACK (on_item_removed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::role", G_CALLBACK (on_role_changed), self, G_CONNECT_SWAPPED);
  if (saban_session_get_units (self->session) != NULL)
    {
      self->units = g_object_ref (saban_session_get_units (self->session));
      g_signal_connect_object (self->units, "unit-changed", G_CALLBACK (on_unit_changed), self, G_CONNECT_SWAPPED);
    }
}

static void
saban_scenario_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SabanScenarioWindow *self = SABAN_SCENARIO_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_scenario_window_class_init (SabanScenarioWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = saban_scenario_window_dispose;
  G_OBJECT_CLASS (klass)->constructed = saban_scenario_window_constructed;
  G_OBJECT_CLASS (klass)->set_property = saban_scenario_window_set_property;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, SABAN_TYPE_SESSION,
                                                  G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (G_OBJECT_CLASS (klass), N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-scenario-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioWindow, scenario_actions);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioWindow, dispatch_button);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioWindow, sitrep_button);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioWindow, side_flap);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioWindow, scenario_list);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioWindow, replay_revealer);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioWindow, replay_scale);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioWindow, replay_adjustment);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioWindow, replay_label);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioWindow, board_box);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioWindow, log_list);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioWindow, sitrep_list);

  gtk_widget_class_install_action (widget_class, "board.task-transition", "(xs)", task_transition_action);
  gtk_widget_class_install_action (widget_class, "board.dispatch", NULL, dispatch_action);
  gtk_widget_class_install_action (widget_class, "board.sitrep", NULL, sitrep_action);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "board.dispatch", NULL);
}

/* Folded on a narrow screen, a side pane would cover the board's columns:
 * it starts hidden, one click away. */
static void
on_flap_folded (AdwFlap *flap)
{
  if (adw_flap_get_folded (flap))
    adw_flap_set_reveal_flap (flap, FALSE);
}

static void
saban_scenario_window_init (SabanScenarioWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->overdue = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->changed_by = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->log_filter = GTK_FILTER (gtk_custom_filter_new (saban_scenario_window_log_visible, self, NULL));
  make_columns (self);
  gtk_list_box_set_header_func (self->scenario_list, scenario_header, NULL, NULL);
  g_signal_connect (self->side_flap, "notify::folded", G_CALLBACK (on_flap_folded), NULL);
  g_signal_connect (self->flap, "notify::folded", G_CALLBACK (on_flap_folded), NULL);
  g_signal_connect_swapped (self->scenario_list, "row-activated", G_CALLBACK (on_scenario_activated), self);
  g_signal_connect_swapped (self->replay_adjustment, "value-changed", G_CALLBACK (saban_scenario_window_on_replay_moved), self);
  self->overdue_timer = g_timeout_add_seconds (OVERDUE_INTERVAL, overdue_cb, self);
  gtk_widget_set_sensitive (self->dispatch_button, FALSE);
  gtk_widget_set_sensitive (self->sitrep_button, FALSE);
}

/**
 * saban_scenario_window_new:
 * @application: (nullable): the application, if any
 * @session: the session whose scenarios it shows (it has a Command API
 *   client)
 */
SabanScenarioWindow *
saban_scenario_window_new (GtkApplication *application, SabanSession *session)
{
  g_return_val_if_fail (SABAN_IS_SESSION (session), NULL);
  g_return_val_if_fail (saban_session_get_command_client (session) != NULL, NULL);

  return g_object_new (SABAN_TYPE_SCENARIO_WINDOW, "application", application, "session", session, NULL);
}

/**
 * saban_scenario_window_show:
 * @scenario: (nullable): the scenario to show
 *
 * Presents the application's scenario window (made the first time) with
 * @scenario on its board. What the main window's button and the launch of
 * a new scenario call.
 *
 * Returns: (transfer none): the window
 */
SabanScenarioWindow *
saban_scenario_window_show (GtkApplication *application, SabanSession *session, SabanCommandItem *scenario)
{
  SabanScenarioWindow *self = NULL;

  for (GList *l = application != NULL ? gtk_application_get_windows (application) : NULL; l != NULL; l = l->next)
    if (SABAN_IS_SCENARIO_WINDOW (l->data) && SABAN_SCENARIO_WINDOW (l->data)->session == session)
      self = l->data;
  if (self == NULL)
    self = saban_scenario_window_new (application, session);
  if (scenario != NULL)
    saban_scenario_window_set_scenario (self, scenario);
  gtk_window_present (GTK_WINDOW (self));
  return self;
}
