/* saban-scenario-window-log.c: the board's right column — the scenario's
 * log ("Diễn biến", newest first: time, who, what moved from what to what)
 * and its situation reports.
 */
#include "saban-scenario-window-private.h"

#include <glib/gi18n.h>

#include "saban-command-labels.h"
#include "saban-command-log.h"

int
saban_scenario_window_newest_first (gconstpointer a, gconstpointer b, gpointer field)
{
  gint64 x = saban_command_item_get_time ((SabanCommandItem *) a, field);
  gint64 y = saban_command_item_get_time ((SabanCommandItem *) b, field);
  gint64 ix = saban_command_item_get_id ((SabanCommandItem *) a), iy = saban_command_item_get_id ((SabanCommandItem *) b);

  if (x != y)
    return x > y ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
  return ix > iy ? GTK_ORDERING_SMALLER : ix < iy ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

gboolean
saban_scenario_window_log_visible (gpointer item, gpointer data)
{
  SabanScenarioWindow *self = data;

  return !self->replaying || saban_command_item_get_time (item, "at") <= self->replay_time;
}

/* what a log entry records, in the user's words (the server's own note is
 * English and for its operators: not shown) */
static char *
describe_entry (SabanScenarioWindow *self, SabanCommandItem *entry)
{
  gint64 task_id = saban_command_item_get_int (entry, "taskId", 0);
  const char *from = saban_command_item_get_string (entry, "from");
  const char *to = saban_command_item_get_string (entry, "to");
  SabanCommandCollection collection = task_id > 0 ? SABAN_COMMAND_TASKS : SABAN_COMMAND_SCENARIOS;
  SabanCommandCollection created;
  gint64 created_id = saban_command_log_get_created (entry, &created);
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, task_id);

  if (created_id > 0 && created == SABAN_COMMAND_SITREPS)
    {
      SabanCommandItem *sitrep = saban_command_store_lookup (self->store, SABAN_COMMAND_SITREPS, created_id);
      gint64 report = sitrep != NULL ? saban_command_item_get_int (sitrep, "reportNumber", 0) : 0;
      g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, report);

      return report > 0 ? g_strdup_printf (_("Situation report no. %s sent"), n)
                        : g_strdup (_("Situation report sent"));
    }
  if (from != NULL && to != NULL && g_strcmp0 (from, to) != 0)
    return task_id > 0
           ? g_strdup_printf (_("Task %s: %s → %s"), number, saban_command_label_status (collection, from),
                              saban_command_label_status (collection, to))
           : g_strdup_printf (_("Scenario: %s → %s"), saban_command_label_status (collection, from),
                              saban_command_label_status (collection, to));
  if (from == NULL && to != NULL)
    return task_id > 0 ? g_strdup_printf (_("Task %s created (%s)"), number, saban_command_label_status (collection, to))
                       : g_strdup_printf (_("Scenario created (%s)"), saban_command_label_status (collection, to));
  return task_id > 0 ? g_strdup_printf (_("Task %s updated"), number) : g_strdup (_("Scenario updated"));
}

static void
append_label (GtkWidget *box, const char *text, const char *css_class, const char *css_class2)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  if (css_class2 != NULL)
    gtk_widget_add_css_class (label, css_class2);
  gtk_box_append (GTK_BOX (box), label);
}

GtkWidget *
saban_scenario_window_create_log_row (gpointer item, gpointer data)
{
  SabanScenarioWindow *self = data;
  SabanCommandItem *entry = item;
  gint64 task_id = saban_command_item_get_int (entry, "taskId", 0);
  SabanCommandItem *task = task_id > 0 ? saban_command_store_lookup (self->store, SABAN_COMMAND_TASKS, task_id) : NULL;
  const char *actor = saban_command_item_get_string (entry, "actor");
  g_autofree char *when = saban_command_label_time (saban_command_item_get_time (entry, "at"));
  g_autofree char *head = g_strdup_printf ("%s · %s", when, actor != NULL ? actor : "—");
  g_autofree char *what = describe_entry (self, entry);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  append_label (box, head, "caption", "dim-label");
  append_label (box, what, NULL, NULL);
  if (task != NULL)
    append_label (box, saban_command_item_get_title (task), "caption", NULL);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  return box;
}

GtkWidget *
saban_scenario_window_create_sitrep_row (gpointer item, gpointer data)
{
  SabanCommandItem *sitrep = item;
  gint64 number = saban_command_item_get_int (sitrep, "reportNumber", 0);
  const char *version = saban_command_item_get_string (sitrep, "reportVersion");
  const char *by = saban_command_item_get_string (sitrep, "preparedBy");
  g_autofree char *when = saban_command_label_time (saban_command_item_get_time (sitrep, "created"));
  g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, number);
  g_autofree char *title = number > 0 ? g_strdup_printf (_("Report no. %s"), n) : g_strdup (_("New report"));
  g_autoptr(GString) head = g_string_new (title);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  if (version != NULL)
    g_string_append_printf (head, " · %s", saban_command_label_report_version (version));
  g_string_append_printf (head, " · %s", when);
  if (by != NULL)
    g_string_append_printf (head, " · %s", by);
  append_label (box, head->str, "heading", NULL);
  if (saban_command_item_get_pending (sitrep))
    append_label (box, _("Not yet on the server: it will be sent when the connection allows"), "caption", "warning");
  append_label (box, saban_command_item_get_string (sitrep, "summary"), NULL, NULL);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  return box;
}
