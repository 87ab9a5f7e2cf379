/* Numbers and coordinates, in the source language and in Vietnamese. */
#include <glib/gi18n-lib.h>
#include <locale.h>

#include "saban-format.h"

static void
test_number (void)
{
  g_autofree char *a = saban_format_number (1234.5, 1);
  g_autofree char *b = saban_format_number (-2487123.456, 2);
  g_autofree char *c = saban_format_number (999, 0);
  g_autofree char *d = saban_format_number (0.05, 1);

  g_assert_cmpstr (a, ==, "1,234.5");
  g_assert_cmpstr (b, ==, "-2,487,123.46");
  g_assert_cmpstr (c, ==, "999");
  g_assert_cmpstr (d, ==, "0.1");
}

/* Areas and lengths in the unit that fits their size (issue 15: a parcel's
 * area was shown as "1.966,9482 ha"). */
static void
test_area_length (void)
{
  static const struct { double value; const char *area, *length; } cases[] = {
    { 3.25, "3.2 m²", "3.2 m" },
    { 850, "850 m²", "850 m" },
    { 9999.4, "9,999 m²", "10.00 km" },
    { 19669482, "1,966.95 ha", "19,669.5 km" },
    { 6364030000, "6,364.03 km²", "6,364,030.0 km" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *area = saban_format_area (cases[i].value);
      g_autofree char *length = saban_format_length (cases[i].value);

      g_assert_cmpstr (area, ==, cases[i].area);
      g_assert_cmpstr (length, ==, cases[i].length);
    }
}

static void
test_dms (void)
{
  g_autofree char *a = saban_format_dms (22.5, 103.975);
  g_autofree char *b = saban_format_dms (21.99999999, 104.0);

  g_assert_cmpstr (a, ==, "22°30′00.0″ N, 103°58′30.0″ E");
  /* 59.99996″ rounds up into the next minute and degree. */
  g_assert_cmpstr (b, ==, "22°00′00.0″ N, 104°00′00.0″ E");
}

static void
test_vn2000 (void)
{
  g_autofree char *a = saban_format_vn2000 (419650.123, 2487540.987);

  g_assert_cmpstr (a, ==, "X: 2,487,540.99 m  Y: 419,650.12 m");
}

static void
test_vietnamese (void)
{
  g_autofree char *n = NULL;
  g_autofree char *d = NULL;

  if (setlocale (LC_ALL, "vi_VN.UTF-8") == NULL)
    {
      g_test_skip ("the vi_VN.UTF-8 locale is not generated");
      return;
    }
  g_setenv ("LANGUAGE", "vi", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SABAN_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  n = saban_format_number (1234.5, 1);
  d = saban_format_degrees (22.48123, 103.97512);
  g_assert_cmpstr (n, ==, "1.234,5");
  g_assert_cmpstr (d, ==, "22,48123° B, 103,97512° Đ");
  {
    g_autofree char *area = saban_format_area (19669482);
    g_autofree char *length = saban_format_length (12480);

    g_assert_cmpstr (area, ==, "1.966,95 ha");
    g_assert_cmpstr (length, ==, "12,48 km");
  }
  setlocale (LC_ALL, "C");
  g_unsetenv ("LANGUAGE");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/format/number", test_number);
  g_test_add_func ("/format/dms", test_dms);
  g_test_add_func ("/format/area-length", test_area_length);
  g_test_add_func ("/format/vn2000", test_vn2000);
  g_test_add_func ("/format/vietnamese", test_vietnamese);
  return g_test_run ();
}
