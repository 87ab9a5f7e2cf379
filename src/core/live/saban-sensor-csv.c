/* saban-sensor-csv.c: a sensor's series as CSV (RFC 4180), for the
 * spreadsheet a report is built in.
 *
 * The header is in the interface language; the data are for machines: the
 * time in ISO 8601 with Vietnam's fixed offset (+07:00, no daylight saving),
 * so a reader sees the hour on the control-room clock and a program still
 * gets an unambiguous instant; the value with a full stop and as many
 * digits as it takes to read back the same double. A UTF-8 byte-order mark
 * leads, or the spreadsheets offices use read "µg/m³" as mojibake.
 */
#include "saban-sensor-csv.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "saban-sensor-store.h"

#define VIETNAM_OFFSET_S (7 * 3600)

static void
append_field (GString *out, const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* the shortest text that reads back as the same double */
static void
append_value (GString *out, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}

static void
append_time (GString *out, GTimeZone *tz, gint64 time_us)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);
  g_autofree char *text = g_date_time_format (local, "%Y-%m-%dT%H:%M:%S");
  int ms = (int) ((time_us % G_USEC_PER_SEC) / 1000);

  g_string_append (out, text);
  if (ms != 0)
    g_string_append_printf (out, ".%03d", ms);
  g_string_append (out, "+07:00");
}

/**
 * saban_sensor_csv_format:
 * @series: (element-type SabanObservation): observations, by time
 * @unit: (nullable): their unit symbol
 *
 * One row per observation: time (ISO 8601, +07:00), value, unit; CRLF line
 * ends, fields quoted where RFC 4180 says.
 *
 * Returns: (transfer full): the file's bytes
 */
GBytes *
saban_sensor_csv_format (GArray *series, const char *unit)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (VIETNAM_OFFSET_S);
  GString *out = g_string_new ("\xEF\xBB\xBF");

  g_return_val_if_fail (series != NULL, NULL);

  /* TRANSLATORS: a CSV column: when the value was measured */
  append_field (out, _("Time (ISO 8601)"));
  g_string_append_c (out, ',');
  /* TRANSLATORS: a CSV column: the measured value */
  append_field (out, _("Value"));
  g_string_append_c (out, ',');
  /* TRANSLATORS: a CSV column: the unit of measurement */
  append_field (out, _("Unit"));
  g_string_append (out, "\r\n");
  for (guint i = 0; i < series->len; i++)
    {
      const SabanObservation *o = &g_array_index (series, SabanObservation, i);

      append_time (out, tz, o->time_us);
      g_string_append_c (out, ',');
      append_value (out, o->value);
      g_string_append_c (out, ',');
      append_field (out, unit != NULL ? unit : "");
      g_string_append (out, "\r\n");
    }
  return g_string_free_to_bytes (out);
}
