/* saban-task-card.c: one task on the board — title, kind, assignee (and
 * how far a unit assigned is from the task's place), priority, due time (red, "quá hạn", when overdue), whether it is still on
 * its way to the server or in conflict, who else last moved it, and a
 * button per status the task may go to next.
 *
 * The buttons activate `board.task-transition((id, status))`, which the
 * scenario window provides. A card shows its item as it is when made: the
 * board's lists make a new card whenever the item changes.
 */
#include "saban-task-card.h"

#include <glib/gi18n.h>
#include <math.h>

#include "saban-command-labels.h"
#include "saban-command-store.h"
#include "saban-format.h"
#include "saban-permission.h"

struct _SabanTaskCard
{
  GtkWidget parent_instance;

  GtkWidget  *box;
  GtkLabel   *title_label;
  GtkLabel   *meta_label;
  GtkLabel   *assignee_label;
  GtkLabel   *distance_label;
  GtkLabel   *due_label;
  GtkLabel   *changed_label;
  GtkWidget  *pending_icon;
  GtkWidget  *conflict_icon;
  GtkFlowBox *actions_box;

  SabanCommandItem *task;
  gboolean          overdue;
};

G_DEFINE_FINAL_TYPE (SabanTaskCard, saban_task_card, GTK_TYPE_WIDGET)

static void
show_due (SabanTaskCard *self)
{
  gint64 due = saban_command_item_get_time (self->task, "dueAt");
  g_autofree char *when = saban_command_label_time (due);
  g_autofree char *text = NULL;

  if (due <= 0)
    text = g_strdup (_("No due time"));
  else if (self->overdue)
    text = g_strdup_printf (_("Due %s — overdue"), when);
  else
    text = g_strdup_printf (_("Due %s"), when);
  gtk_label_set_label (self->due_label, text);
  if (self->overdue)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "overdue");
      gtk_widget_add_css_class (GTK_WIDGET (self->due_label), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "overdue");
      gtk_widget_remove_css_class (GTK_WIDGET (self->due_label), "error");
    }
}

static void
add_actions (SabanTaskCard *self)
{
  const char *status = saban_command_item_get_status (self->task);
  const char *const *next = saban_command_schema_get_next_states ("tasks", status);

  for (guint i = 0; next != NULL && next[i] != NULL; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (saban_command_label_transition (SABAN_COMMAND_TASKS, status,
                                                                                     next[i]));

      gtk_widget_add_css_class (button, "pill");
      gtk_widget_add_css_class (button, "small");
      if (g_str_equal (next[i], "cancelled") || g_str_equal (next[i], "failed"))
        gtk_widget_add_css_class (button, "danger");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "board.task-transition");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(xs)", saban_command_item_get_id (self->task),
                                        next[i]);
      gtk_flow_box_append (self->actions_box, button);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->actions_box), next != NULL && next[0] != NULL);
}

static void
show_task (SabanTaskCard *self, gboolean with_actions)
{
  JsonObject *props = saban_command_item_get_properties (self->task);
  gint64 id = saban_command_item_get_id (self->task);
  gint64 priority = saban_command_item_get_int (self->task, "priority", -1);
  const char *kind = saban_command_item_get_string (self->task, "kind");
  JsonNode *assignee = json_object_get_member (props, "assignee");
  const char *name = NULL;
  g_autoptr(GString) meta = g_string_new (NULL);
  g_autofree char *who = NULL;

  gtk_label_set_label (self->title_label, saban_command_item_get_title (self->task));
  if (id > 0)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      g_string_append_printf (meta, _("Task %s"), number);
    }
  else
    g_string_append (meta, _("New task"));
  if (kind != NULL)
    g_string_append_printf (meta, " · %s", saban_command_label_kind (kind));
  if (priority >= 0)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, priority);
      g_string_append (meta, " · ");
      g_string_append_printf (meta, _("priority %s"), number);
    }
  gtk_label_set_label (self->meta_label, meta->str);

  if (assignee != NULL && JSON_NODE_HOLDS_OBJECT (assignee))
    name = json_object_get_string_member_with_default (json_node_get_object (assignee), "name", NULL);
  who = name != NULL ? g_strdup_printf (_("Assigned to %s"), name) : g_strdup (_("No one assigned yet"));
  gtk_label_set_label (self->assignee_label, who);
  if (name == NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->assignee_label), "dim-label");

  gtk_widget_set_visible (self->pending_icon, saban_command_item_get_pending (self->task));
  gtk_widget_set_visible (self->conflict_icon, saban_command_item_get_conflict (self->task));
  if (saban_command_item_get_pending (self->task))
    gtk_widget_add_css_class (GTK_WIDGET (self), "pending");
  show_due (self);
  if (with_actions)
    add_actions (self);
  else
    gtk_widget_set_visible (GTK_WIDGET (self->actions_box), FALSE);
}

static void
saban_task_card_dispose (GObject *object)
{
  SabanTaskCard *self = SABAN_TASK_CARD (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_TASK_CARD);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->task);
  G_OBJECT_CLASS (saban_task_card_parent_class)->dispose (object);
}

static void
saban_task_card_class_init (SabanTaskCardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = saban_task_card_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-task-card.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanTaskCard, box);
  gtk_widget_class_bind_template_child (widget_class, SabanTaskCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, SabanTaskCard, meta_label);
  gtk_widget_class_bind_template_child (widget_class, SabanTaskCard, assignee_label);
  gtk_widget_class_bind_template_child (widget_class, SabanTaskCard, distance_label);
  gtk_widget_class_bind_template_child (widget_class, SabanTaskCard, due_label);
  gtk_widget_class_bind_template_child (widget_class, SabanTaskCard, changed_label);
  gtk_widget_class_bind_template_child (widget_class, SabanTaskCard, pending_icon);
  gtk_widget_class_bind_template_child (widget_class, SabanTaskCard, conflict_icon);
  gtk_widget_class_bind_template_child (widget_class, SabanTaskCard, actions_box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
saban_task_card_init (SabanTaskCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * saban_task_card_new:
 * @task: the task shown
 * @with_actions: whether to offer its next statuses (not in a replay)
 */
GtkWidget *
saban_task_card_new (SabanCommandItem *task, gboolean with_actions)
{
  SabanTaskCard *self = g_object_new (SABAN_TYPE_TASK_CARD, NULL);

  self->task = g_object_ref (task);
  show_task (self, with_actions);
  return GTK_WIDGET (self);
}

/**
 * saban_task_card_get_task:
 * Returns: (transfer none): the task shown
 */
SabanCommandItem *
saban_task_card_get_task (SabanTaskCard *self)
{
  g_return_val_if_fail (SABAN_IS_TASK_CARD (self), NULL);
  return self->task;
}

void
saban_task_card_set_overdue (SabanTaskCard *self, gboolean overdue)
{
  g_return_if_fail (SABAN_IS_TASK_CARD (self));

  if (self->overdue == overdue)
    return;
  self->overdue = overdue;
  show_due (self);
}

gboolean
saban_task_card_get_overdue (SabanTaskCard *self)
{
  g_return_val_if_fail (SABAN_IS_TASK_CARD (self), FALSE);
  return self->overdue;
}

/**
 * saban_task_card_set_distance:
 * @metres: how far the unit assigned is from the task's place now, or NAN
 *   when either is not known (hidden)
 */
void
saban_task_card_set_distance (SabanTaskCard *self, double metres)
{
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (SABAN_IS_TASK_CARD (self));

  gtk_widget_set_visible (GTK_WIDGET (self->distance_label), isfinite (metres));
  if (!isfinite (metres))
    return;
  number = metres < 1000 ? saban_format_number (metres, 0) : saban_format_number (metres / 1000, 1);
  text = metres < 1000 ? g_strdup_printf (_("%s m from the task's place"), number)
                       : g_strdup_printf (_("%s km from the task's place"), number);
  gtk_label_set_label (self->distance_label, text);
}

/**
 * saban_task_card_get_distance_text:
 * Returns: (nullable): the distance shown, or NULL if none (for tests)
 */
const char *
saban_task_card_get_distance_text (SabanTaskCard *self)
{
  g_return_val_if_fail (SABAN_IS_TASK_CARD (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->distance_label)) ? gtk_label_get_label (self->distance_label) : NULL;
}

/**
 * saban_task_card_set_changed_by:
 * @actor: (nullable): who else last moved the task, or NULL
 */
void
saban_task_card_set_changed_by (SabanTaskCard *self, const char *actor)
{
  g_autofree char *text = actor != NULL ? g_strdup_printf (_("Just moved by %s"), actor) : NULL;

  g_return_if_fail (SABAN_IS_TASK_CARD (self));

  gtk_label_set_label (self->changed_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->changed_label), actor != NULL);
}

/**
 * saban_task_card_set_role:
 * @role: (nullable): the signed-in account's role; NULL while unknown
 *
 * The moves the role may not make stay shown, disabled, with who may as
 * their tooltip.
 */
void
saban_task_card_set_role (SabanTaskCard *self, const char *role)
{
  const char *status;

  g_return_if_fail (SABAN_IS_TASK_CARD (self));

  status = saban_command_item_get_status (self->task);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->actions_box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));
      g_autofree char *reason = NULL;
      const char *to;
      gboolean may;

      g_variant_get (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button)), "(x&s)", NULL, &to);
      may = saban_command_label_permission (role, "tasks", status, to, &reason);

      gtk_widget_set_sensitive (button, TRUE);
      saban_permission_apply (button, may, reason);
    }
}
