/* saban-period.c: the reporting periods of indicators — a day, a month, a
 * quarter, a year — written "2026-11-06", "2026-11", "2026-Q3", "2026".
 *
 * The server's importer and the client's model both read periods here, so a
 * file the server accepts is one the desk understands.
 */
#include "saban-period.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define MIN_YEAR 1900
#define MAX_YEAR 2200

static const char *const kind_names[] = { "day", "month", "quarter", "year" };

/**
 * saban_period_kind_parse:
 * @text: "day", "month", "quarter" or "year" (or the Vietnamese "ngày",
 *   "tháng", "quý", "năm"), any case
 *
 * Returns: %TRUE with @kind set when @text names a kind
 */
gboolean
saban_period_kind_parse (const char      *text,
                         SabanPeriodKind *kind)
{
  static const char *const vietnamese[] = { "ngày", "tháng", "quý", "năm" };
  g_autofree char *lower = NULL;

  if (text == NULL || strlen (text) > 16 || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  lower = g_utf8_strdown (text, -1);
  g_strstrip (lower);
  for (guint k = 0; k < G_N_ELEMENTS (kind_names); k++)
    if (g_str_equal (lower, kind_names[k]) || g_str_equal (lower, vietnamese[k]))
      {
        *kind = (SabanPeriodKind) k;
        return TRUE;
      }
  return FALSE;
}

/**
 * saban_period_kind_to_string:
 *
 * Returns: "day", "month", "quarter" or "year"
 */
const char *
saban_period_kind_to_string (SabanPeriodKind kind)
{
  return kind_names[CLAMP ((int) kind, 0, (int) G_N_ELEMENTS (kind_names) - 1)];
}

/* Exactly @n ASCII digits at @p. */
static gboolean
read_digits (const char *p,
             int         n,
             int        *value)
{
  *value = 0;
  for (int i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (p[i]))
        return FALSE;
      *value = *value * 10 + (p[i] - '0');
    }
  return TRUE;
}

/**
 * saban_period_parse:
 * @text: "2026" (a year), "2026-Q3" (a quarter), "2026-11" (a month) or
 *   "2026-11-06" (a day); years 1900–2200
 *
 * Returns: %TRUE with @period set when @text is one of these exactly
 */
gboolean
saban_period_parse (const char  *text,
                    SabanPeriod *period)
{
  gsize len = text != NULL ? strlen (text) : 0;
  int year, n, day;

  if ((len != 4 && len != 7 && len != 10) || !read_digits (text, 4, &year) || year < MIN_YEAR || year > MAX_YEAR)
    return FALSE;
  if (len == 4)
    {
      *period = (SabanPeriod) { SABAN_PERIOD_YEAR, year };
      return TRUE;
    }
  if (text[4] != '-')
    return FALSE;
  if (len == 7 && (text[5] == 'Q' || text[5] == 'q'))
    {
      if (!read_digits (text + 6, 1, &n) || n < 1 || n > 4)
        return FALSE;
      *period = (SabanPeriod) { SABAN_PERIOD_QUARTER, year * 4 + n - 1 };
      return TRUE;
    }
  if (!read_digits (text + 5, 2, &n) || n < 1 || n > 12)
    return FALSE;
  if (len == 7)
    {
      *period = (SabanPeriod) { SABAN_PERIOD_MONTH, year * 12 + n - 1 };
      return TRUE;
    }
  if (text[7] != '-' || !read_digits (text + 8, 2, &day) || !g_date_valid_dmy (day, n, year))
    return FALSE;
  {
    GDate d;

    g_date_clear (&d, 1);
    g_date_set_dmy (&d, day, n, year);
    *period = (SabanPeriod) { SABAN_PERIOD_DAY, (gint32) g_date_get_julian (&d) };
  }
  return TRUE;
}

/**
 * saban_period_to_string:
 *
 * Returns: (transfer full): the period as saban_period_parse() reads it
 */
char *
saban_period_to_string (const SabanPeriod *period)
{
  GDate d;

  switch (period->kind)
    {
    case SABAN_PERIOD_YEAR:
      return g_strdup_printf ("%04d", period->ordinal);
    case SABAN_PERIOD_QUARTER:
      return g_strdup_printf ("%04d-Q%d", period->ordinal / 4, period->ordinal % 4 + 1);
    case SABAN_PERIOD_MONTH:
      return g_strdup_printf ("%04d-%02d", period->ordinal / 12, period->ordinal % 12 + 1);
    case SABAN_PERIOD_DAY:
    default:
      saban_period_get_start (period, &d);
      return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&d), g_date_get_month (&d),
                              g_date_get_day (&d));
    }
}

/**
 * saban_period_format:
 *
 * Returns: (transfer full): the period for people: "tháng 11/2026",
 *   "quý III/2026", "năm 2026", "06/11/2026"
 */
char *
saban_period_format (const SabanPeriod *period)
{
  static const char *const roman[] = { "I", "II", "III", "IV" };
  GDate d;

  switch (period->kind)
    {
    case SABAN_PERIOD_YEAR:
      return g_strdup_printf (_("year %d"), period->ordinal);
    case SABAN_PERIOD_QUARTER:
      return g_strdup_printf (_("quarter %s/%d"), roman[period->ordinal % 4], period->ordinal / 4);
    case SABAN_PERIOD_MONTH:
      return g_strdup_printf (_("month %d/%d"), period->ordinal % 12 + 1, period->ordinal / 12);
    case SABAN_PERIOD_DAY:
    default:
      saban_period_get_start (period, &d);
      return g_strdup_printf ("%02d/%02d/%04d", g_date_get_day (&d), g_date_get_month (&d), g_date_get_year (&d));
    }
}

/**
 * saban_period_offset:
 * @n: periods to move, negative to go back
 *
 * Returns: the period @n periods of the same kind after @period
 */
SabanPeriod
saban_period_offset (const SabanPeriod *period,
                     int                n)
{
  return (SabanPeriod) { period->kind, period->ordinal + n };
}

/**
 * saban_period_year_before:
 *
 * Returns: the same period a year earlier (29 February → 28 February)
 */
SabanPeriod
saban_period_year_before (const SabanPeriod *period)
{
  GDate d;

  switch (period->kind)
    {
    case SABAN_PERIOD_YEAR:
      return saban_period_offset (period, -1);
    case SABAN_PERIOD_QUARTER:
      return saban_period_offset (period, -4);
    case SABAN_PERIOD_MONTH:
      return saban_period_offset (period, -12);
    case SABAN_PERIOD_DAY:
    default:
      saban_period_get_start (period, &d);
      g_date_subtract_years (&d, 1);
      return (SabanPeriod) { SABAN_PERIOD_DAY, (gint32) g_date_get_julian (&d) };
    }
}

/**
 * saban_period_get_start:
 * @date: (out caller-allocates): the period's first day
 */
void
saban_period_get_start (const SabanPeriod *period,
                        GDate             *date)
{
  g_date_clear (date, 1);
  switch (period->kind)
    {
    case SABAN_PERIOD_YEAR:
      g_date_set_dmy (date, 1, G_DATE_JANUARY, period->ordinal);
      break;
    case SABAN_PERIOD_QUARTER:
      g_date_set_dmy (date, 1, period->ordinal % 4 * 3 + 1, period->ordinal / 4);
      break;
    case SABAN_PERIOD_MONTH:
      g_date_set_dmy (date, 1, period->ordinal % 12 + 1, period->ordinal / 12);
      break;
    case SABAN_PERIOD_DAY:
    default:
      g_date_set_julian (date, (guint32) period->ordinal);
      break;
    }
}

/**
 * saban_period_get_end:
 * @date: (out caller-allocates): the period's last day
 */
void
saban_period_get_end (const SabanPeriod *period,
                      GDate             *date)
{
  SabanPeriod next = saban_period_offset (period, 1);

  saban_period_get_start (&next, date);
  g_date_subtract_days (date, 1);
}

/**
 * saban_period_containing:
 *
 * Returns: the period of @kind that holds @date
 */
SabanPeriod
saban_period_containing (SabanPeriodKind  kind,
                         const GDate     *date)
{
  int year = g_date_get_year (date), month = g_date_get_month (date);

  switch (kind)
    {
    case SABAN_PERIOD_YEAR:
      return (SabanPeriod) { kind, year };
    case SABAN_PERIOD_QUARTER:
      return (SabanPeriod) { kind, year * 4 + (month - 1) / 3 };
    case SABAN_PERIOD_MONTH:
      return (SabanPeriod) { kind, year * 12 + month - 1 };
    case SABAN_PERIOD_DAY:
    default:
      return (SabanPeriod) { kind, (gint32) g_date_get_julian (date) };
    }
}
