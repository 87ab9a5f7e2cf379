/* saban-feedback-row.c: one citizen's report in the workspace's list — its
 * number and service, where, how long ago, where it stands against its time
 * limit (overdue in red), and a mark when a likely duplicate stands beside
 * it. Rows are made only for what is on screen (GtkListView) and bound to
 * whichever report scrolls in.
 */
#include "saban-feedback-row.h"

#include <glib/gi18n.h>

#include "saban-format.h"

struct _SabanFeedbackRow
{
  GtkBox    parent_instance;

  GtkLabel *title_label;
  GtkLabel *state_label;
  GtkLabel *place_label;
  GtkLabel *time_label;
  GtkLabel *duplicate_label;
};

G_DEFINE_FINAL_TYPE (SabanFeedbackRow, saban_feedback_row, GTK_TYPE_BOX)

static void
saban_feedback_row_class_init (SabanFeedbackRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-feedback-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackRow, place_label);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackRow, duplicate_label);
}

static void
saban_feedback_row_init (SabanFeedbackRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
saban_feedback_row_new (void)
{
  return g_object_new (SABAN_TYPE_FEEDBACK_ROW, NULL);
}

/**
 * saban_feedback_describe_timing:
 *
 * Returns: (transfer full): "Quá hạn 5 giờ (hạn 12:00 07/12/2026)",
 *   "Hạn xử lý 12:00 07/12/2026", "Đã xử lý đúng hạn"…
 */
char *
saban_feedback_describe_timing (const SabanFeedbackRequest *r, SabanFeedbackTiming timing, gint64 now_us)
{
  g_autofree char *due = r->due_us > 0 ? saban_format_local_time (r->due_us, "%H:%M %d/%m/%Y") : NULL;
  gint64 late_h = (now_us - r->due_us) / G_USEC_PER_SEC / 3600;

  switch (timing)
    {
    case SABAN_FEEDBACK_OVERDUE:
      if (late_h < 48)
        return g_strdup_printf (_("Overdue by %d h (due %s)"), (int) MAX (late_h, 1), due);
      return g_strdup_printf (_("Overdue by %d days (due %s)"), (int) (late_h / 24), due);
    case SABAN_FEEDBACK_CLOSED_ON_TIME:
      return g_strdup (_("Handled on time"));
    case SABAN_FEEDBACK_CLOSED_LATE:
      return g_strdup (_("Handled late"));
    case SABAN_FEEDBACK_OPEN:
    default:
      return due != NULL ? g_strdup_printf (_("Due %s"), due) : g_strdup (_("No time limit"));
    }
}

/**
 * saban_feedback_row_bind:
 * @now_us: the time its state is told at
 *
 * Shows @item's report.
 */
void
saban_feedback_row_bind (SabanFeedbackRow *self, SabanFeedbackItem *item, gint64 now_us)
{
  SabanFeedbackStore *store = saban_feedback_item_get_store (item);
  const SabanFeedbackRequest *r = saban_feedback_item_get_request (item);
  const SabanFeedbackService *service = saban_feedback_store_find_service (store, r->service_code);
  SabanFeedbackTiming timing = saban_feedback_store_get_timing (store, saban_feedback_item_get_index (item), now_us);
  g_autofree char *title = g_strdup_printf ("#%" G_GINT64_FORMAT " · %s", r->id,
                                            service != NULL ? service->name : r->service_code);
  g_autofree char *state = saban_feedback_describe_timing (r, timing, now_us);
  g_autofree char *age = saban_format_age ((now_us - r->requested_us) / G_USEC_PER_SEC);
  g_autofree char *when = g_strdup_printf (_("Received %s"), age);
  const char *commune = r->commune >= 0 ? saban_feedback_store_get_commune_name (store, r->commune) : NULL;
  g_autofree char *place = commune != NULL && r->address == NULL ? g_strdup (commune)
                           : g_strdup (r->address != NULL ? r->address : _("No address"));
  g_autoptr(GArray) dups = r->closed ? NULL : saban_feedback_store_get_duplicates (store,
                                                                                 saban_feedback_item_get_index (item));

  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->state_label, r->duplicate_of != 0 ? _("Merged") : state);
  gtk_label_set_text (self->place_label, place);
  gtk_label_set_text (self->time_label, when);
  gtk_widget_set_visible (GTK_WIDGET (self->duplicate_label), dups != NULL && dups->len > 0);
  if (saban_feedback_timing_is_late (timing))
    gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "error");
  if (r->closed)
    gtk_widget_add_css_class (GTK_WIDGET (self), "closed");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "closed");
}
