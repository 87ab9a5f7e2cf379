/* saban-command-notifier.c: what the Command API client has to tell the
 * user wherever they are looking — never silently.
 *
 * - Overdue tasks (checked each minute) and task status changes made by
 *   someone else become desktop notifications (GNotification, one per task:
 *   a later one replaces it), as the sensors' alarms do.
 * - A write the server refused (it has been undone) is a toast in the
 *   active window.
 * - Each conflict (412: someone changed the item first) opens a
 *   SabanConflictDialog over the active window, where the user chooses.
 *
 * Changes by others are told only once the first load is done: the history
 * loaded at start-up is not news.
 */
#include "saban-command-notifier.h"

#include <glib/gi18n.h>

#include "saban-command-labels.h"
#include "saban-command-log.h"
#include "saban-conflict-dialog.h"

#define OVERDUE_INTERVAL 60

struct _SabanCommandNotifier
{
  GObject             parent_instance;
  GApplication       *application;   /* weak: it owns us */
  SabanCommandClient *client;
  GHashTable         *overdue_told;  /* task ids told about */
  guint               overdue_timer;
};

G_DEFINE_FINAL_TYPE (SabanCommandNotifier, saban_command_notifier, G_TYPE_OBJECT)

/* the window the user is in: the focused one, else the newest */
static GtkWindow *
active_window (SabanCommandNotifier *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self->application));
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self->application));

  return window != NULL ? window : windows != NULL ? windows->data : NULL;
}

static void
toast (SabanCommandNotifier *self, const char *message)
{
  GtkWindow *window = active_window (self);

  /* the main window and the board both show toasts (win.toast) */
  if (window == NULL || !gtk_widget_activate_action (GTK_WIDGET (window), "win.toast", "s", message))
    {
      g_autoptr(GNotification) n = g_notification_new (message);
      g_application_send_notification (self->application, NULL, n);
    }
}

static const char *
scenario_title (SabanCommandNotifier *self, SabanCommandItem *item)
{
  SabanCommandStore *store = saban_command_client_get_store (self->client);
  SabanCommandItem *scenario = saban_command_store_lookup (store, SABAN_COMMAND_SCENARIOS,
                                                           saban_command_item_get_scenario_id (item));

  return scenario != NULL ? saban_command_item_get_title (scenario) : "";
}

/**
 * saban_command_notifier_check_overdue:
 *
 * Tells of each task that became overdue since the last check (done each
 * minute; tests call it).
 */
void
saban_command_notifier_check_overdue (SabanCommandNotifier *self)
{
  SabanCommandStore *store = saban_command_client_get_store (self->client);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GPtrArray) overdue = saban_command_store_get_overdue_tasks (store, 0, now);
  g_autoptr(GHashTable) still = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  g_return_if_fail (SABAN_IS_COMMAND_NOTIFIER (self));

  for (guint i = 0; i < overdue->len; i++)
    {
      SabanCommandItem *task = g_ptr_array_index (overdue, i);
      gint64 id = saban_command_item_get_id (task);
      g_autofree char *due = saban_command_label_time (saban_command_item_get_time (task, "dueAt"));

      g_hash_table_add (still, g_memdup2 (&id, sizeof id));
      if (id > 0 && !g_hash_table_contains (self->overdue_told, &id))
        {
          g_autofree char *title = g_strdup_printf (_("Task overdue: %s"), saban_command_item_get_title (task));
          g_autofree char *body = g_strdup_printf (_("Scenario “%s”, due %s"), scenario_title (self, task), due);
          g_autofree char *nid = g_strdup_printf ("task-%" G_GINT64_FORMAT, id);
          g_autoptr(GNotification) n = g_notification_new (title);

          g_notification_set_body (n, body);
          g_notification_set_priority (n, G_NOTIFICATION_PRIORITY_HIGH);
          g_application_send_notification (self->application, nid, n);
        }
    }
  /* a task no longer overdue (finished, or given more time) may be told again */
  g_hash_table_unref (self->overdue_told);
  self->overdue_told = g_steal_pointer (&still);
}

static gboolean
overdue_cb (gpointer data)
{
  saban_command_notifier_check_overdue (data);
  return G_SOURCE_CONTINUE;
}

/* a new scenario-log entry: a task someone else moved is news */
static void
on_item_changed (SabanCommandNotifier *self, SabanCommandItem *item)
{
  SabanCommandStore *store = saban_command_client_get_store (self->client);
  const char *account;
  const char *actor, *from, *to;
  gint64 task_id;
  SabanCommandItem *task;

  if (saban_command_item_get_collection (item) != SABAN_COMMAND_LOG || !saban_command_client_get_loaded (self->client))
    return;
  account = saban_connection_get_account (saban_command_client_get_connection (self->client));
  if (!saban_command_log_is_move_by_other (item, account))
    return;
  task_id = saban_command_item_get_int (item, "taskId", 0);
  actor = saban_command_item_get_string (item, "actor");
  from = saban_command_item_get_string (item, "from");
  to = saban_command_item_get_string (item, "to");
  task = saban_command_store_lookup (store, SABAN_COMMAND_TASKS, task_id);
  {
    g_autofree char *title = g_strdup_printf (_("Task %s: %s → %s"),
                                              task != NULL ? saban_command_item_get_title (task) : "",
                                              saban_command_label_status (SABAN_COMMAND_TASKS, from),
                                              saban_command_label_status (SABAN_COMMAND_TASKS, to));
    g_autofree char *when = saban_command_label_time (saban_command_item_get_time (item, "at"));
    g_autofree char *body = g_strdup_printf (_("By %s at %s"), actor, when);
    g_autofree char *nid = g_strdup_printf ("task-%" G_GINT64_FORMAT, task_id);
    g_autoptr(GNotification) n = g_notification_new (title);

    g_notification_set_body (n, body);
    g_application_send_notification (self->application, nid, n);
  }
}

/* the client words it for the user (the server's words are in its log) */
static void
on_write_refused (SabanCommandNotifier *self, SabanCommandItem *item, const char *message)
{
  toast (self, message);
}

static void
on_conflicts_changed (SabanCommandNotifier *self, guint position, guint removed, guint added, GListModel *conflicts)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(SabanCommandConflict) conflict = g_list_model_get_item (conflicts, i);
      GtkWidget *dialog = saban_conflict_dialog_new (active_window (self), self->client, conflict);

      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
saban_command_notifier_dispose (GObject *object)
{
  SabanCommandNotifier *self = SABAN_COMMAND_NOTIFIER (object);

  g_clear_handle_id (&self->overdue_timer, g_source_remove);
  if (self->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      g_signal_handlers_disconnect_by_data (saban_command_client_get_store (self->client), self);
      g_signal_handlers_disconnect_by_data (saban_command_client_get_conflicts (self->client), self);
    }
  g_clear_object (&self->client);
  g_clear_pointer (&self->overdue_told, g_hash_table_unref);
  G_OBJECT_CLASS (saban_command_notifier_parent_class)->dispose (object);
}

static void
saban_command_notifier_class_init (SabanCommandNotifierClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = saban_command_notifier_dispose;
}

static void
saban_command_notifier_init (SabanCommandNotifier *self)
{
  self->overdue_told = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

/**
 * saban_command_notifier_new:
 * @application: (transfer none): where notifications and windows are
 * @client: the Command API client to follow
 */
SabanCommandNotifier *
saban_command_notifier_new (GApplication *application, SabanCommandClient *client)
{
  SabanCommandNotifier *self = g_object_new (SABAN_TYPE_COMMAND_NOTIFIER, NULL);

  self->application = application;
  self->client = g_object_ref (client);
  g_signal_connect_swapped (client, "write-refused", G_CALLBACK (on_write_refused), self);
  g_signal_connect_swapped (saban_command_client_get_store (client), "item-changed", G_CALLBACK (on_item_changed), self);
  g_signal_connect_swapped (saban_command_client_get_conflicts (client), "items-changed",
                            G_CALLBACK (on_conflicts_changed), self);
  self->overdue_timer = g_timeout_add_seconds (OVERDUE_INTERVAL, overdue_cb, self);
  return self;
}
