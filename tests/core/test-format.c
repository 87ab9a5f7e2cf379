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
  setlocale (LC_ALL, "C");
  g_unsetenv ("LANGUAGE");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/format/number", test_number);
  g_test_add_func ("/format/dms", test_dms);
  g_test_add_func ("/format/vn2000", test_vn2000);
  g_test_add_func ("/format/vietnamese", test_vietnamese);
  return g_test_run ();
}
