/* Class breaks on values whose answer is known. */
#include <math.h>

#include "saban-classify.h"

static void
check (GArray *breaks, const double *expected, guint n)
{
  g_assert_cmpuint (breaks->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat (fabs (g_array_index (breaks, double, i) - expected[i]), <, 1e-9);
}

static void
test_equal_interval (void)
{
  const double v[] = { 0, 10, 3, 7, 5, NAN };
  g_autoptr(GArray) b = saban_classify (v, G_N_ELEMENTS (v), 5, SABAN_CLASSIFY_EQUAL_INTERVAL);

  check (b, (const double[]) { 2, 4, 6, 8, 10 }, 5);
}

static void
test_quantile (void)
{
  const double v[] = { 8, 1, 2, 7, 3, 4, 6, 5 };
  g_autoptr(GArray) b = saban_classify (v, G_N_ELEMENTS (v), 4, SABAN_CLASSIFY_QUANTILE);

  check (b, (const double[]) { 2, 4, 6, 8 }, 4);
}

/* Three clear clusters: Jenks must find the gaps. */
static void
test_natural_breaks (void)
{
  const double v[] = { 1, 2, 3, 2, 1, 50, 52, 51, 49, 100, 101, 99, 102 };
  g_autoptr(GArray) b = saban_classify (v, G_N_ELEMENTS (v), 3, SABAN_CLASSIFY_NATURAL_BREAKS);

  check (b, (const double[]) { 3, 52, 102 }, 3);
}

static void
test_sampled_natural_breaks (void)
{
  g_autofree double *v = g_new (double, 200000);
  g_autoptr(GArray) b = NULL;

  /* Two populations far apart: 0–10 and 1000–1010. */
  for (int i = 0; i < 200000; i++)
    v[i] = (i % 2 == 0 ? 0 : 1000) + (i % 1000) / 100.0;
  b = saban_classify (v, 200000, 2, SABAN_CLASSIFY_NATURAL_BREAKS);
  g_assert_cmpuint (b->len, ==, 2);
  g_assert_cmpfloat (g_array_index (b, double, 0), <, 11);
  g_assert_cmpfloat (g_array_index (b, double, 1), ==, 1009.99);
}

static void
test_degenerate (void)
{
  const double same[] = { 5, 5, 5 };
  g_autoptr(GArray) none = saban_classify (NULL, 0, 5, SABAN_CLASSIFY_QUANTILE);
  g_autoptr(GArray) one = saban_classify (same, 3, 5, SABAN_CLASSIFY_QUANTILE);
  g_autoptr(GArray) jenks = saban_classify (same, 3, 5, SABAN_CLASSIFY_NATURAL_BREAKS);

  g_assert_cmpuint (none->len, ==, 0);
  check (one, (const double[]) { 5 }, 1);
  check (jenks, (const double[]) { 5 }, 1);
}

/* Natural breaks over values with many ties (indicators of 99 communes
 * where most share a figure): fewer classes than asked are fine, a read
 * before the values (found by AddressSanitizer in the desk's bench) is not.
 * Every break lies within the values and they increase. */
static void
test_ties (void)
{
  GRand *rand = g_rand_new_with_seed (15);

  for (guint round = 0; round < 2000; round++)
    {
      guint n = g_rand_int_range (rand, 2, 120), distinct = g_rand_int_range (rand, 1, 6);
      guint k = g_rand_int_range (rand, 2, 12);
      g_autofree double *values = g_new (double, n);
      g_autoptr(GArray) breaks = NULL;
      double lo = INFINITY, hi = -INFINITY;

      for (guint i = 0; i < n; i++)
        {
          values[i] = g_rand_int_range (rand, 0, distinct) * 2.5;
          lo = MIN (lo, values[i]);
          hi = MAX (hi, values[i]);
        }
      breaks = saban_classify (values, n, k, SABAN_CLASSIFY_NATURAL_BREAKS);
      g_assert_cmpuint (breaks->len, >=, 1);
      g_assert_cmpuint (breaks->len, <=, k);
      g_assert_cmpfloat (g_array_index (breaks, double, breaks->len - 1), ==, hi);
      for (guint b = 0; b < breaks->len; b++)
        {
          g_assert_cmpfloat (g_array_index (breaks, double, b), >=, lo);
          g_assert_true (b == 0 || g_array_index (breaks, double, b) > g_array_index (breaks, double, b - 1));
        }
    }
  g_rand_free (rand);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/classify/equal-interval", test_equal_interval);
  g_test_add_func ("/classify/quantile", test_quantile);
  g_test_add_func ("/classify/natural-breaks", test_natural_breaks);
  g_test_add_func ("/classify/sampled-natural-breaks", test_sampled_natural_breaks);
  g_test_add_func ("/classify/degenerate", test_degenerate);
  g_test_add_func ("/classify/ties", test_ties);
  return g_test_run ();
}
