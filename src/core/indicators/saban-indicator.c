/* saban-indicator.c: what an indicator's definition decides on its own —
 * how communes add up to the province, whether a value meets the target,
 * when the next value is due.
 *
 * saban-server aggregates with the same function the desk checks with, so
 * the province figure is the same wherever it is read.
 */
#include "saban-indicator.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

static const struct
{
  SabanAggregate aggregate;
  const char    *name;
} aggregate_names[] = {
  { SABAN_AGGREGATE_SUM, "sum" },
  { SABAN_AGGREGATE_MEAN, "mean" },
  { SABAN_AGGREGATE_POPULATION_WEIGHTED, "weighted" },
  { SABAN_AGGREGATE_POPULATION_WEIGHTED, "population-weighted" },
  { SABAN_AGGREGATE_SUM, "tổng" },
  { SABAN_AGGREGATE_MEAN, "trung bình" },
  { SABAN_AGGREGATE_POPULATION_WEIGHTED, "gia quyền dân số" },
};

/**
 * saban_aggregate_parse:
 * @text: "sum", "mean" or "weighted" ("population-weighted"; Vietnamese
 *   "tổng", "trung bình", "gia quyền dân số"), any case
 *
 * Returns: %TRUE with @aggregate set when @text names a rule
 */
gboolean
saban_aggregate_parse (const char     *text,
                       SabanAggregate *aggregate)
{
  g_autofree char *lower = NULL;

  if (text == NULL || strlen (text) > 32 || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  lower = g_utf8_strdown (text, -1);
  g_strstrip (lower);
  for (guint i = 0; i < G_N_ELEMENTS (aggregate_names); i++)
    if (g_str_equal (lower, aggregate_names[i].name))
      {
        *aggregate = aggregate_names[i].aggregate;
        return TRUE;
      }
  return FALSE;
}

/**
 * saban_aggregate_to_string:
 *
 * Returns: "sum", "mean" or "weighted"
 */
const char *
saban_aggregate_to_string (SabanAggregate aggregate)
{
  for (guint i = 0; i < G_N_ELEMENTS (aggregate_names); i++)
    if (aggregate_names[i].aggregate == aggregate)
      return aggregate_names[i].name;
  return "sum";
}

/**
 * saban_aggregate_values:
 * @values: (array length=n): the communes' values, NAN where a commune has none
 * @populations: (array length=n) (nullable): their populations, for
 *   %SABAN_AGGREGATE_POPULATION_WEIGHTED
 *
 * Communes without a value are left out (and, when weighting, those
 * without a population).
 *
 * Returns: the province's value, or NAN when no commune counts
 */
double
saban_aggregate_values (SabanAggregate  aggregate,
                        const double   *values,
                        const double   *populations,
                        gsize           n)
{
  double sum = 0, weight = 0;

  for (gsize i = 0; i < n; i++)
    {
      double w = 1;

      if (isnan (values[i]))
        continue;
      if (aggregate == SABAN_AGGREGATE_POPULATION_WEIGHTED)
        {
          w = populations != NULL ? populations[i] : NAN;
          if (!(w > 0))
            continue;
        }
      sum += values[i] * w;
      weight += w;
    }
  if (weight == 0)
    return NAN;
  return aggregate == SABAN_AGGREGATE_SUM ? sum : sum / weight;
}

/**
 * saban_indicator_default_due_days:
 *
 * Returns: days after a period's end its value is due when the catalogue
 *   does not say: a day's the next day, a month's on the 12th of the next
 *   (the statistical reporting calendar's), a quarter's 15 days, a year's 45
 */
int
saban_indicator_default_due_days (SabanPeriodKind kind)
{
  static const int days[] = { 1, 12, 15, 45 };

  return days[CLAMP ((int) kind, 0, (int) G_N_ELEMENTS (days) - 1)];
}

/**
 * saban_indicator_default_warning:
 *
 * Returns: the warning threshold when the catalogue gives only a target:
 *   10 % short of it on the worse side, or NAN without a target
 */
double
saban_indicator_default_warning (gboolean higher_is_better,
                                 double   target)
{
  if (isnan (target))
    return NAN;
  return higher_is_better ? target - 0.1 * fabs (target) : target + 0.1 * fabs (target);
}

/**
 * saban_indicator_judge:
 *
 * Returns: how @value stands against @indicator's target and warning
 *   threshold, or %SABAN_INDICATOR_STATE_NONE without either
 */
SabanIndicatorState
saban_indicator_judge (const SabanIndicator *indicator,
                       double                value)
{
  double warning = isnan (indicator->warning)
                     ? saban_indicator_default_warning (indicator->higher_is_better, indicator->target)
                     : indicator->warning;
  double sign = indicator->higher_is_better ? 1 : -1;

  if (isnan (value) || isnan (indicator->target))
    return SABAN_INDICATOR_STATE_NONE;
  if (sign * value >= sign * indicator->target)
    return SABAN_INDICATOR_STATE_GOOD;
  if (sign * value >= sign * warning)
    return SABAN_INDICATOR_STATE_WARNING;
  return SABAN_INDICATOR_STATE_BAD;
}

/**
 * saban_indicator_next_due:
 * @due: (out caller-allocates): the day the next period's value is due
 *
 * The next period is the one after the latest held; its value is due
 * `due_days` after it ends.
 *
 * Returns: %FALSE when no value is held yet (nothing to count from)
 */
gboolean
saban_indicator_next_due (const SabanIndicator *indicator,
                          GDate                *due)
{
  SabanPeriod next;

  if (!indicator->has_last_period)
    return FALSE;
  next = saban_period_offset (&indicator->last_period, 1);
  saban_period_get_end (&next, due);
  g_date_add_days (due, MAX (indicator->due_days, 0));
  return TRUE;
}

/**
 * saban_indicator_overdue_days:
 *
 * Returns: days past the next value's due date on @today; 0 when not late
 *   or when nothing is held yet
 */
int
saban_indicator_overdue_days (const SabanIndicator *indicator,
                              const GDate          *today)
{
  GDate due;

  if (!saban_indicator_next_due (indicator, &due))
    return 0;
  return MAX (0, g_date_days_between (&due, today));
}

/**
 * saban_indicator_format_freshness:
 *
 * Returns: (transfer full): "quá hạn cập nhật 12 ngày", "hạn cập nhật tiếp
 *   theo 12/01/2027" or "chưa có số liệu"
 */
char *
saban_indicator_format_freshness (const SabanIndicator *indicator,
                                  const GDate          *today)
{
  GDate due;
  int late;

  if (!saban_indicator_next_due (indicator, &due))
    return g_strdup (_("no data yet"));
  late = saban_indicator_overdue_days (indicator, today);
  if (late > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "update overdue by %d day", "update overdue by %d days",
                                         late), late);
  return g_strdup_printf (_("next update due %02d/%02d/%04d"), g_date_get_day (&due), g_date_get_month (&due),
                          g_date_get_year (&due));
}

/**
 * saban_indicator_value_decimals:
 * @unit: (nullable): the indicator's unit
 *
 * How an indicator's value is written (the desk and the report alike):
 * rates ("%") with one decimal, whole numbers and large ones without, the
 * rest with one (two below one).
 *
 * Returns: the digits after the decimal separator
 */
int
saban_indicator_value_decimals (double value, const char *unit)
{
  if (g_strcmp0 (unit, "%") == 0)
    return 1;
  /* a sum of many values is whole give or take its rounding error: 4 503,999 999 999 is 4 504 */
  if (fabs (value) >= 10000 || fabs (value - round (value)) <= 1e-9 * MAX (1, fabs (value)))
    return 0;
  return fabs (value) < 1 ? 2 : 1;
}

/**
 * saban_indicator_change_in_points:
 *
 * Returns: whether a change of an indicator in @unit is told in points (a
 *   rate: 85 % → 87 % is +2 points) rather than as a ratio (+2,4 %)
 */
gboolean
saban_indicator_change_in_points (const char *unit)
{
  return g_strcmp0 (unit, "%") == 0;
}

/**
 * saban_indicator_clear:
 *
 * Frees the strings of an indicator the caller filled.
 */
void
saban_indicator_clear (SabanIndicator *indicator)
{
  g_clear_pointer (&indicator->code, g_free);
  g_clear_pointer (&indicator->name, g_free);
  g_clear_pointer (&indicator->unit, g_free);
  g_clear_pointer (&indicator->sector, g_free);
  g_clear_pointer (&indicator->agency, g_free);
  g_clear_pointer (&indicator->source, g_free);
  g_clear_pointer (&indicator->updated_by, g_free);
}
