/* Positions as users type and paste them. */
#include <math.h>

#include "saban-coordinate.h"
#include "saban-error.h"
#include "saban-transform.h"

static void
check (const char *text, double lat, double lon, double tolerance)
{
  double got_lat, got_lon;
  g_autoptr(GError) error = NULL;

  g_test_message ("%s", text);
  g_assert_true (saban_coordinate_parse (text, &got_lat, &got_lon, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (fabs (got_lat - lat), <, tolerance);
  g_assert_cmpfloat (fabs (got_lon - lon), <, tolerance);
}

static void
test_degrees (void)
{
  check ("22.48123, 103.97512", 22.48123, 103.97512, 1e-9);
  check ("22,48123; 103,97512", 22.48123, 103.97512, 1e-9);
  check ("22,48123 103,97512", 22.48123, 103.97512, 1e-9);
  check ("22.48123,103.97512", 22.48123, 103.97512, 1e-9);
  check ("  22.48123\t103.97512 ", 22.48123, 103.97512, 1e-9);
  check ("103.97512, 22.48123", 22.48123, 103.97512, 1e-9);
  check ("-33.8688, 151.2093", -33.8688, 151.2093, 1e-9);
  /* Our own status bar, pasted back. */
  check ("22,48123° B, 103,97512° Đ", 22.48123, 103.97512, 1e-9);
}

static void
test_dms (void)
{
  double lat = 22 + 28 / 60.0 + 52.4 / 3600, lon = 103 + 58 / 60.0 + 30.4 / 3600;

  check ("22°28′52,4″ B, 103°58′30,4″ Đ", lat, lon, 1e-9);
  check ("22°28'52.4\"N 103°58'30.4\"E", lat, lon, 1e-9);
  check ("22° 28' 52.4\" N, 103° 58' 30.4\" E", lat, lon, 1e-9);
  check ("33°52′0″ S, 151°12′0″ E", -(33 + 52 / 60.0), 151.2, 1e-9);
  check ("10°46′ N, 106°42′ E", 10 + 46 / 60.0, 106.7, 1e-9);
}

static void
test_vn2000 (void)
{
  g_autoptr(SabanTransform) t = saban_transform_new_epsg (9208, 4326, NULL);
  double xy[2] = { 419650.12, 2487540.99 };

  g_assert_true (saban_transform_points (t, xy, 1));
  check ("X: 2.487.540,99  Y: 419.650,12", xy[1], xy[0], 1e-9);
  check ("2487540.99 419650.12", xy[1], xy[0], 1e-9);
  check ("VN-2000 · X: 2.487.540,99 m  Y: 419.650,12 m", xy[1], xy[0], 1e-9);
}

static void
test_invalid (void)
{
  /* the last is not UTF-8, a lead byte at the end: the scan stepped past it
   * (found by the coordinate fuzz target; AddressSanitizer saw the read) */
  const char *bad[] = { "", "hello", "22.5", "95, 200", "1, 2, 3", "Lào Cai", "22°28'503 T58'30.\xee" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      double lat, lon;

      g_assert_false (saban_coordinate_parse (bad[i], &lat, &lon, &error));
      g_assert_error (error, SABAN_ERROR, SABAN_ERROR_PARSE);
    }
}

static void
test_format (void)
{
  g_autofree char *text = saban_coordinate_format (22.4812346, 103.9751249);
  double lat, lon;

  g_assert_cmpstr (text, ==, "22.481235, 103.975125");
  g_assert_true (saban_coordinate_parse (text, &lat, &lon, NULL));
  g_assert_cmpfloat_with_epsilon (lat, 22.481235, 1e-9);
  g_assert_cmpfloat_with_epsilon (lon, 103.975125, 1e-9);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/coordinate/degrees", test_degrees);
  g_test_add_func ("/coordinate/dms", test_dms);
  g_test_add_func ("/coordinate/vn2000", test_vn2000);
  g_test_add_func ("/coordinate/invalid", test_invalid);
  g_test_add_func ("/coordinate/format", test_format);
  return g_test_run ();
}
