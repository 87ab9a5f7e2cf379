/* saban_sensor_csv_format: RFC 4180 quoting, CRLF, ISO 8601 times at
 * +07:00, values that read back exactly. */
#include "saban-sensor-csv.h"
#include "saban-sensor-store.h"

#include <string.h>

#define NOW ((gint64) 1764316800 * G_USEC_PER_SEC)   /* 2025-11-28T08:00:00Z */

static char *
format (GArray *series, const char *unit)
{
  g_autoptr(GBytes) bytes = saban_sensor_csv_format (series, unit);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  return g_strndup (data, size);
}

static void
test_rows (void)
{
  g_autoptr(GArray) series = g_array_new (FALSE, FALSE, sizeof (SabanObservation));
  SabanObservation obs[] = {
    { 1, NOW, 3.75 },
    { 2, NOW + 300 * G_USEC_PER_SEC + 250000, 0.1 },
    { 3, NOW + (gint64) 17 * 3600 * G_USEC_PER_SEC, -1234.5678 },
  };
  g_autofree char *csv = NULL;

  g_array_append_vals (series, obs, G_N_ELEMENTS (obs));
  csv = format (series, "m");
  g_assert_cmpstr (csv, ==,
                   "\xEF\xBB\xBF" "Time (ISO 8601),Value,Unit\r\n"
                   "2025-11-28T15:00:00+07:00,3.75,m\r\n"
                   "2025-11-28T15:05:00.250+07:00,0.1,m\r\n"
                   /* the next day on Vietnam's clock */
                   "2025-11-29T08:00:00+07:00,-1234.5678,m\r\n");
}

static void
test_quoting (void)
{
  g_autoptr(GArray) series = g_array_new (FALSE, FALSE, sizeof (SabanObservation));
  SabanObservation o = { 1, NOW, 1.0 / 3 };
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) fields = NULL;

  g_array_append_val (series, o);
  csv = format (series, "µg/m³, \"PM2.5\"\nx");
  /* the embedded line break stays inside the quoted field */
  g_assert_nonnull (strstr (csv, ",\"µg/m³, \"\"PM2.5\"\"\nx\"\r\n"));
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  fields = g_strsplit (lines[1], ",", 3);
  g_assert_cmpfloat (g_ascii_strtod (fields[1], NULL), ==, 1.0 / 3);
}

static void
test_empty (void)
{
  g_autoptr(GArray) series = g_array_new (FALSE, FALSE, sizeof (SabanObservation));
  g_autofree char *csv = format (series, NULL);

  g_assert_cmpstr (csv, ==, "\xEF\xBB\xBF" "Time (ISO 8601),Value,Unit\r\n");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sensor-csv/rows", test_rows);
  g_test_add_func ("/sensor-csv/quoting", test_quoting);
  g_test_add_func ("/sensor-csv/empty", test_empty);
  return g_test_run ();
}
