/* fuzz-coordinate.c: saban_coordinate_parse, the position a user types or
 * pastes (decimal degrees, DMS with Vietnamese or English hemispheres,
 * VN-2000 X/Y). What it accepts must be a place on Earth, and what
 * saban_coordinate_format writes must read back to it. */
#include <math.h>

#include "fuzz-support.h"
#include "saban-coordinate.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_quiet_logs ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *formatted = NULL;
  double lat, lon, lat2, lon2;

  if (!saban_coordinate_parse (text, &lat, &lon, NULL))
    return 0;
  g_assert_true (isfinite (lat) && isfinite (lon));
  g_assert_cmpfloat (fabs (lat), <=, 90);
  g_assert_cmpfloat (fabs (lon), <=, 180);
  formatted = saban_coordinate_format (lat, lon);
  g_assert_true (saban_coordinate_parse (formatted, &lat2, &lon2, NULL));
  g_assert_cmpfloat (fabs (lat2 - lat), <=, 1e-6);
  g_assert_cmpfloat (fabs (lon2 - lon), <=, 1e-6);
  return 0;
}
