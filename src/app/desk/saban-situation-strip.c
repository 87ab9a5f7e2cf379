/* saban-situation-strip.c: the desk's line of what is happening now —
 * active scenarios with their progress and overdue tasks, alarms waiting by
 * level, sensors gone silent, citizens' reports open and overdue. Each is a
 * button to its detail: the scenario board (app.scenarios), the operations
 * map with its alarm panel and sensors (app.operations), the feedback
 * workspace filtered (app.feedback). The counts are core's (SabanSituation).
 */
#include "saban-situation-strip.h"

#include <glib/gi18n.h>
#include <math.h>

#include "saban-format.h"

struct _SabanSituationStrip
{
  GtkBox     parent_instance;

  GtkButton *scenarios_button;
  GtkLabel  *scenarios_label;
  GtkButton *alarms_button;
  GtkLabel  *alarms_label;
  GtkButton *sensors_button;
  GtkLabel  *sensors_label;
  GtkButton *reports_button;
  GtkLabel  *reports_label;
  GtkButton *overdue_button;
  GtkLabel  *overdue_label;
};

G_DEFINE_FINAL_TYPE (SabanSituationStrip, saban_situation_strip, GTK_TYPE_BOX)

static void
saban_situation_strip_class_init (SabanSituationStripClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-situation-strip.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanSituationStrip, scenarios_button);
  gtk_widget_class_bind_template_child (widget_class, SabanSituationStrip, scenarios_label);
  gtk_widget_class_bind_template_child (widget_class, SabanSituationStrip, alarms_button);
  gtk_widget_class_bind_template_child (widget_class, SabanSituationStrip, alarms_label);
  gtk_widget_class_bind_template_child (widget_class, SabanSituationStrip, sensors_button);
  gtk_widget_class_bind_template_child (widget_class, SabanSituationStrip, sensors_label);
  gtk_widget_class_bind_template_child (widget_class, SabanSituationStrip, reports_button);
  gtk_widget_class_bind_template_child (widget_class, SabanSituationStrip, reports_label);
  gtk_widget_class_bind_template_child (widget_class, SabanSituationStrip, overdue_button);
  gtk_widget_class_bind_template_child (widget_class, SabanSituationStrip, overdue_label);
}

static void
saban_situation_strip_init (SabanSituationStrip *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
saban_situation_strip_new (void)
{
  return g_object_new (SABAN_TYPE_SITUATION_STRIP, NULL);
}

static void
mark (GtkButton *button, const char *css_class, gboolean on)
{
  if (on)
    gtk_widget_add_css_class (GTK_WIDGET (button), css_class);
  else
    gtk_widget_remove_css_class (GTK_WIDGET (button), css_class);
}

static char *
scenarios_text (const SabanSituation *s)
{
  g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u active scenario", "%u active scenarios",
                                                         s->active_scenarios), s->active_scenarios);
  g_autofree char *percent = NULL;

  if (isnan (s->progress))
    return g_steal_pointer (&count);
  percent = saban_format_number (100 * s->progress, 0);
  /* TRANSLATORS: "2 active scenarios · 45 % of tasks done · 3 overdue" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %s %% of tasks done · %u overdue",
                                       "%s · %s %% of tasks done · %u overdue", s->tasks_overdue),
                          count, percent, s->tasks_overdue);
}

/**
 * saban_situation_strip_set:
 *
 * Shows @situation's counts; what needs attention is marked (a danger
 * alarm, an overdue task or report, a silent sensor).
 */
void
saban_situation_strip_set (SabanSituationStrip *self, const SabanSituation *situation)
{
  g_autofree char *scenarios = scenarios_text (situation);
  g_autofree char *alarms = g_strdup_printf (_("Alarms: %u danger, %u alert"), situation->alarms_danger,
                                             situation->alarms_alert);
  g_autofree char *sensors = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u sensor offline",
                                                           "%u of %u sensors offline", situation->sensors),
                                              situation->sensors_offline, situation->sensors);
  g_autofree char *reports = situation->reports_known
                               ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u citizen report open",
                                                               "%u citizen reports open", situation->reports_open),
                                                  situation->reports_open)
                               : g_strdup (_("Citizen reports: reading…"));
  g_autofree char *overdue = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u overdue", "%u overdue",
                                                           situation->reports_overdue), situation->reports_overdue);

  gtk_label_set_text (self->scenarios_label, scenarios);
  gtk_label_set_text (self->alarms_label, alarms);
  gtk_label_set_text (self->sensors_label, sensors);
  gtk_label_set_text (self->reports_label, reports);
  gtk_label_set_text (self->overdue_label, overdue);
  gtk_widget_set_visible (GTK_WIDGET (self->overdue_button), situation->reports_known);
  mark (self->scenarios_button, "warning", situation->tasks_overdue > 0);
  mark (self->alarms_button, "error", situation->alarms_danger > 0);
  mark (self->alarms_button, "warning", situation->alarms_danger == 0 && situation->alarms_alert > 0);
  mark (self->sensors_button, "warning", situation->sensors_offline > 0);
  mark (self->overdue_button, "error", situation->reports_overdue > 0);
}
