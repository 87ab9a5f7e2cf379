/* saban-indicator-figures.c: an indicator's figures as the leaders' desk
 * shows them (value, changes, target, progress, freshness, the series for
 * a sparkline), from a SabanIndicatorSet. The numbers are the model's;
 * this only chooses the period and words them (Vietnamese number format
 * through saban_format_number). */
#include "saban-indicator-figures.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "saban-format.h"

/**
 * saban_indicator_format_value:
 * @unit: (nullable): the indicator's unit
 *
 * Returns: (transfer full): "1.234,5 tỷ đồng", "87,5 %", or "–" for no value
 */
char *
saban_indicator_format_value (double value, const char *unit)
{
  g_autofree char *number = NULL;

  if (isnan (value))
    return g_strdup ("–");
  number = saban_format_number (value, saban_indicator_value_decimals (value, unit));
  if (unit == NULL || *unit == '\0')
    return g_steal_pointer (&number);
  return g_strdup_printf ("%s %s", number, unit);
}

/**
 * saban_indicator_format_change:
 * @change: the difference
 * @ratio: the difference over the value compared with
 *
 * Returns: (transfer full): "+2,3 %" (a ratio), "−1,2 điểm" (a rate's
 *   points), or "–" when there is nothing to compare with
 */
char *
saban_indicator_format_change (double change, double ratio, const char *unit)
{
  gboolean points = saban_indicator_change_in_points (unit);
  /* no sign on what prints as 0,0 */
  double v = round ((points ? change : 100 * ratio) * 10) / 10;
  g_autofree char *number = NULL;

  if (isnan (v) || isinf (v))
    return g_strdup ("–");
  number = saban_format_number (fabs (v), 1);
  /* TRANSLATORS: a change of a rate, in percentage points: "+1,2 points" */
  return g_strdup_printf (points ? _("%s%s points") : "%s%s %%", v > 0 ? "+" : v < 0 ? "−" : "", number);
}

/**
 * saban_indicator_figures_period:
 * @month: a day of the month the desk is set to
 * @earlier: (out): whether that period holds no value and an earlier one was taken
 *
 * Returns: the period of @indicator's own kind that contains @month, or the
 *   indicator's latest period before it when that one has no value yet
 */
SabanPeriod
saban_indicator_figures_period (SabanIndicatorSet *set, guint indicator, const GDate *month, gboolean *earlier)
{
  const SabanIndicator *def = saban_indicator_set_get_indicator (set, indicator);
  SabanPeriod p = saban_period_containing (def->period_kind, month);

  *earlier = FALSE;
  if (def->has_last_period && def->last_period.ordinal < p.ordinal)
    {
      p = def->last_period;
      *earlier = TRUE;
    }
  return p;
}

static char *
target_text (const SabanIndicator *def)
{
  g_autofree char *value = NULL;

  if (isnan (def->target))
    return NULL;
  value = saban_indicator_format_value (def->target, def->unit);
  return g_strdup_printf (def->higher_is_better ? _("Target ≥ %s") : _("Target ≤ %s"), value);
}

/* how far to the target, 0–1: for a lower-is-better indicator, at the
 * target or under it is full, twice the target empty */
static double
progress_of (const SabanIndicator *def, double value)
{
  if (isnan (value) || isnan (def->target) || def->target == 0)
    return NAN;
  if (def->higher_is_better)
    return CLAMP (value / def->target, 0, 1);
  return CLAMP (2 - value / def->target, 0, 1);
}

/**
 * saban_indicator_figures_new:
 * @commune: %SABAN_PROVINCE or a commune's index
 * @month: a day of the month asked for
 * @n_series: how many periods the sparkline shows (ending at the period shown)
 * @today: for the data's freshness
 *
 * Returns: (transfer full): the figures
 */
SabanIndicatorFigures *
saban_indicator_figures_new (SabanIndicatorSet *set, guint indicator, int commune, const GDate *month,
                             guint n_series, const GDate *today)
{
  const SabanIndicator *def = saban_indicator_set_get_indicator (set, indicator);
  SabanIndicatorFigures *f = g_new0 (SabanIndicatorFigures, 1);

  f->indicator = indicator;
  f->commune = commune;
  f->period = saban_indicator_figures_period (set, indicator, month, &f->latest_earlier);
  saban_indicator_set_summarise (set, indicator, commune, &f->period, &f->summary);
  f->period_text = saban_period_format (&f->period);
  f->value_text = saban_indicator_format_value (f->summary.value, def->unit);
  f->change_text = saban_indicator_format_change (f->summary.change, f->summary.change_ratio, def->unit);
  f->year_text = saban_indicator_format_change (f->summary.change_year, f->summary.change_year_ratio, def->unit);
  f->target_text = target_text (def);
  f->progress = progress_of (def, f->summary.value);
  f->freshness = saban_indicator_format_freshness (def, today);
  f->overdue_days = saban_indicator_overdue_days (def, today);
  f->series = g_array_sized_new (FALSE, FALSE, sizeof (double), n_series);
  for (guint k = 0; k < n_series; k++)
    {
      SabanPeriod p = saban_period_offset (&f->period, (int) k - (int) n_series + 1);
      double v = saban_indicator_set_get_value (set, indicator, commune, &p);

      g_array_append_val (f->series, v);
    }
  return f;
}

void
saban_indicator_figures_free (SabanIndicatorFigures *figures)
{
  g_free (figures->period_text);
  g_free (figures->value_text);
  g_free (figures->change_text);
  g_free (figures->year_text);
  g_free (figures->target_text);
  g_free (figures->freshness);
  g_array_unref (figures->series);
  g_free (figures);
}
