/* saban-desk-tile.c: one indicator on the leaders' desk — its name, the
 * value for the month the desk is set to (or the latest before it, said
 * so), the change against the period before and the same period a year
 * before, progress to the target, a sparkline, the data's age, and a
 * state colour from the thresholds (the edge of the tile: good, warning,
 * bad). The figures are core's (SabanIndicatorFigures); the tile shows them.
 */
#include "saban-desk-tile.h"

#include <glib/gi18n.h>
#include <math.h>

#include "saban-series-chart.h"

struct _SabanDeskTile
{
  GtkBox       parent_instance;

  GtkLabel    *name_label;
  GtkLabel    *value_label;
  GtkLabel    *period_label;
  GtkLabel    *change_label;
  GtkLabel    *year_label;
  GtkLevelBar *progress_bar;
  GtkLabel    *target_label;
  GtkBox      *spark_box;
  GtkLabel    *freshness_label;
  GtkWidget   *sparkline;
  guint        indicator;
};

G_DEFINE_FINAL_TYPE (SabanDeskTile, saban_desk_tile, GTK_TYPE_BOX)

static const char *const state_classes[] = { "state-none", "state-good", "state-warning", "state-bad" };

static void
saban_desk_tile_class_init (SabanDeskTileClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-desk-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanDeskTile, name_label);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskTile, value_label);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskTile, period_label);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskTile, change_label);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskTile, year_label);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskTile, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskTile, target_label);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskTile, spark_box);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskTile, freshness_label);
}

static void
saban_desk_tile_init (SabanDeskTile *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->sparkline = saban_series_chart_new (TRUE);
  gtk_widget_set_hexpand (self->sparkline, TRUE);
  gtk_box_append (self->spark_box, self->sparkline);
}

/**
 * saban_desk_tile_new:
 * @indicator: the indicator's index in the desk's SabanIndicatorSet
 */
SabanDeskTile *
saban_desk_tile_new (guint indicator)
{
  SabanDeskTile *self = g_object_new (SABAN_TYPE_DESK_TILE, NULL);

  self->indicator = indicator;
  return self;
}

guint
saban_desk_tile_get_indicator (SabanDeskTile *self)
{
  return self->indicator;
}

/**
 * saban_desk_tile_set_figures:
 *
 * Shows @figures of the indicator @definition.
 */
void
saban_desk_tile_set_figures (SabanDeskTile *self, const SabanIndicator *definition,
                             const SabanIndicatorFigures *figures)
{
  g_autofree char *change = g_strdup_printf (_("vs. previous: %s"), figures->change_text);
  g_autofree char *year = g_strdup_printf (_("vs. a year before: %s"), figures->year_text);
  g_autofree char *period = figures->latest_earlier ? g_strdup_printf (_("%s (latest held)"), figures->period_text)
                                                    : g_strdup (figures->period_text);

  gtk_label_set_text (self->name_label, definition->name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), definition->agency);
  gtk_label_set_text (self->value_label, figures->value_text);
  gtk_label_set_text (self->period_label, period);
  gtk_label_set_text (self->change_label, change);
  gtk_label_set_text (self->year_label, year);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), !isnan (figures->progress));
  gtk_level_bar_set_value (self->progress_bar, isnan (figures->progress) ? 0 : figures->progress);
  gtk_label_set_text (self->target_label, figures->target_text != NULL ? figures->target_text : _("No target"));
  gtk_label_set_text (self->freshness_label, figures->freshness);
  if (figures->overdue_days > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->freshness_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->freshness_label), "error");
  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self), state_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self), state_classes[figures->summary.state]);
  saban_series_chart_set_series (SABAN_SERIES_CHART (self->sparkline), 0, NULL, figures->series);
}
