/* saban-format.c: numbers and coordinates as the users write them.
 *
 * Separators follow the interface language, not the C locale: a Vietnamese
 * interface writes 1.234,5 whatever LC_NUMERIC the session was started with.
 */
#include "saban-format.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

/**
 * saban_format_decimal_separator:
 *
 * Returns: the decimal separator of the interface language
 */
const char *
saban_format_decimal_separator (void)
{
  /* TRANSLATORS: the decimal separator; Vietnamese uses a comma */
  return C_("number", ".");
}

/**
 * saban_format_number:
 * @decimals: digits after the decimal separator, 0–9
 *
 * Returns: (transfer full): @value with grouped thousands, in the interface
 *   language's separators
 */
char *
saban_format_number (double value,
                     int    decimals)
{
  /* TRANSLATORS: the thousands separator; Vietnamese uses a full stop */
  return saban_format_number_with (value, decimals, saban_format_decimal_separator (), C_("number", ","));
}

/**
 * saban_format_number_with:
 * @decimals: digits after the decimal separator, 0–9
 * @decimal_sep: the decimal separator
 * @group_sep: the thousands separator
 *
 * For text whose language is not the interface's (a Vietnamese report).
 *
 * Returns: (transfer full): @value with grouped thousands
 */
char *
saban_format_number_with (double      value,
                          int         decimals,
                          const char *decimal_sep,
                          const char *group_sep)
{
  char buf[64];
  char format[8];
  g_autoptr(GString) out = g_string_new (NULL);
  const char *dot, *digits;
  gsize int_len;

  decimals = CLAMP (decimals, 0, 9);
  if (!isfinite (value))
    return g_strdup ("—");
  g_snprintf (format, sizeof format, "%%.%df", decimals);
  g_ascii_formatd (buf, sizeof buf, format, value);

  digits = buf[0] == '-' ? buf + 1 : buf;
  if (buf[0] == '-')
    g_string_append_c (out, '-');
  dot = strchr (digits, '.');
  int_len = dot != NULL ? (gsize) (dot - digits) : strlen (digits);
  for (gsize i = 0; i < int_len; i++)
    {
      if (i > 0 && (int_len - i) % 3 == 0)
        g_string_append (out, group_sep);
      g_string_append_c (out, digits[i]);
    }
  if (dot != NULL)
    {
      g_string_append (out, decimal_sep);
      g_string_append (out, dot + 1);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * saban_format_degrees:
 *
 * Returns: (transfer full): "22,48123° N, 103,97512° E", hemisphere letters translated
 */
char *
saban_format_degrees (double latitude,
                      double longitude)
{
  g_autofree char *lat = saban_format_number (fabs (latitude), 5);
  g_autofree char *lon = saban_format_number (fabs (longitude), 5);

  return g_strdup_printf ("%s° %s, %s° %s", lat,
                          latitude >= 0 ? C_("hemisphere", "N") : C_("hemisphere", "S"),
                          lon,
                          longitude >= 0 ? C_("hemisphere", "E") : C_("hemisphere", "W"));
}

static char *
dms (double      value,
     const char *hemisphere)
{
  double a = fabs (value);
  int deg = (int) a;
  int min = (int) ((a - deg) * 60);
  double sec = ((a - deg) * 60 - min) * 60;
  g_autofree char *sec_text = NULL;

  /* 59.96″ must not print as 60,0″. */
  if (sec >= 59.95)
    {
      sec = 0;
      if (++min == 60)
        {
          min = 0;
          deg++;
        }
    }
  sec_text = saban_format_number (sec, 1);
  return g_strdup_printf ("%d°%02d′%s%s″ %s", deg, min, sec < 10 ? "0" : "", sec_text, hemisphere);
}

/**
 * saban_format_dms:
 *
 * Returns: (transfer full): degrees, minutes and seconds of both coordinates
 */
char *
saban_format_dms (double latitude,
                  double longitude)
{
  g_autofree char *lat = dms (latitude, latitude >= 0 ? C_("hemisphere", "N") : C_("hemisphere", "S"));
  g_autofree char *lon = dms (longitude, longitude >= 0 ? C_("hemisphere", "E") : C_("hemisphere", "W"));

  return g_strdup_printf ("%s, %s", lat, lon);
}

/**
 * saban_format_vn2000:
 *
 * Vietnamese surveying names the northing X and the easting Y.
 *
 * Returns: (transfer full): "X: 2.489.123,45 m  Y: 432.123,45 m"
 */
char *
saban_format_vn2000 (double easting,
                     double northing)
{
  g_autofree char *x = saban_format_number (northing, 2);
  g_autofree char *y = saban_format_number (easting, 2);

  /* TRANSLATORS: VN-2000 plane coordinates; X is the northing, Y the easting */
  return g_strdup_printf (_("X: %s m  Y: %s m"), x, y);
}

/**
 * saban_format_reading:
 * @value: a sensor's reading
 * @unit: (nullable): its unit symbol
 *
 * Returns: (transfer full): "3,25 m": two decimals below 100, none above
 */
char *
saban_format_reading (double      value,
                      const char *unit)
{
  g_autofree char *number = saban_format_number (value, fabs (value) < 100 ? 2 : 0);

  return unit != NULL && *unit != '\0' ? g_strdup_printf ("%s %s", number, unit) : g_steal_pointer (&number);
}

/**
 * saban_format_area:
 * @m2: an area in square metres
 *
 * In the unit a planner reads it in: m² under a hectare, ha under 100 km²,
 * km² above, with the decimals that matter at that size.
 *
 * Returns: (transfer full): "850 m²", "1.966,95 ha", "6.364,03 km²"
 */
char *
saban_format_area (double m2)
{
  g_autofree char *number = NULL;

  if (fabs (m2) < 1e4)
    {
      number = saban_format_number (m2, fabs (m2) < 10 ? 1 : 0);
      return g_strdup_printf (_("%s m²"), number);
    }
  if (fabs (m2) < 1e8)
    {
      number = saban_format_number (m2 / 1e4, 2);
      return g_strdup_printf (_("%s ha"), number);
    }
  number = saban_format_number (m2 / 1e6, 2);
  return g_strdup_printf (_("%s km²"), number);
}

/**
 * saban_format_length:
 * @m: a length in metres
 *
 * Returns: (transfer full): "350 m", "12,48 km", "186,3 km"
 */
char *
saban_format_length (double m)
{
  g_autofree char *number = NULL;

  if (fabs (m) < 1000)
    {
      number = saban_format_number (m, fabs (m) < 10 ? 1 : 0);
      return g_strdup_printf (_("%s m"), number);
    }
  number = saban_format_number (m / 1000, fabs (m) < 1e5 ? 2 : 1);
  return g_strdup_printf (_("%s km"), number);
}

/**
 * saban_format_age:
 * @age_s: seconds since something happened
 *
 * Returns: (transfer full): "just now", "25 min ago", "3 h ago", "4 days ago"
 */
char *
saban_format_age (gint64 age_s)
{
  if (age_s < 60)
    return g_strdup (_("just now"));
  if (age_s < 3600)
    return g_strdup_printf (_("%d min ago"), (int) (age_s / 60));
  if (age_s < 48 * 3600)
    return g_strdup_printf (_("%d h ago"), (int) (age_s / 3600));
  return g_strdup_printf (_("%d days ago"), (int) (age_s / 86400));
}

/**
 * saban_format_local_time:
 * @time_us: µs since the epoch
 * @format: a g_date_time_format() format, e.g. "%H:%M %d/%m/%Y"
 *
 * Returns: (transfer full): the time on the local clock
 */
char *
saban_format_local_time (gint64      time_us,
                         const char *format)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, format) : g_strdup ("?");
}

/**
 * saban_nice_step:
 * @span: the range an axis covers
 * @n_ticks: about how many ticks it should have
 *
 * Returns: a step of 1, 2 or 5 × 10ⁿ near @span / @n_ticks: steps people read
 *   at a glance (the charts' axes)
 */
double
saban_nice_step (double span,
                 int    n_ticks)
{
  double raw = span / MAX (n_ticks, 1);
  double magnitude = pow (10, floor (log10 (raw)));
  double r = raw / magnitude;

  return magnitude * (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10);
}
