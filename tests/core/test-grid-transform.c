/* The gridded VN-2000 TM-3 → Web Mercator transform: within 2 cm of exact
 * PROJ everywhere in its extent, exact outside it. */
#include <math.h>
#include <string.h>

#include "saban-grid-transform.h"

/* Lào Cai's extent in EPSG:9208, as the demo parcels layer stores it. */
#define MIN_X 376000.0
#define MIN_Y 2360000.0
#define MAX_X 538000.0
#define MAX_Y 2525000.0

static SabanTransform *
tm3_to_mercator (void)
{
  g_autoptr(GError) error = NULL;
  SabanTransform *t = saban_transform_new_epsg (SABAN_EPSG_VN2000_TM3_10445, 3857, &error);

  g_assert_no_error (error);
  return t;
}

static double
max_error (const double *a, const double *b, gsize n)
{
  double worst = 0;

  for (gsize i = 0; i < n; i++)
    worst = MAX (worst, hypot (a[2 * i] - b[2 * i], a[2 * i + 1] - b[2 * i + 1]));
  return worst;
}

static void
test_error_bound (void)
{
  g_autoptr(SabanTransform) exact = tm3_to_mercator ();
  g_autoptr(SabanGridTransform) grid = saban_grid_transform_new (exact, MIN_X, MIN_Y, MAX_X, MAX_Y);
  g_autoptr(GRand) rand = g_rand_new_with_seed (3857);
  gsize n = 200000;
  g_autofree double *fast = g_new (double, 2 * n);
  g_autofree double *slow = NULL;

  for (gsize i = 0; i < n; i++)
    {
      fast[2 * i] = g_rand_double_range (rand, MIN_X, MAX_X);
      fast[2 * i + 1] = g_rand_double_range (rand, MIN_Y, MAX_Y);
    }
  slow = g_memdup2 (fast, 2 * n * sizeof (double));

  g_assert_true (saban_grid_transform_points (grid, fast, n));
  g_assert_true (saban_transform_points (exact, slow, n));
  g_assert_cmpuint (saban_grid_transform_get_size (grid), >, 0);
  g_assert_cmpfloat (saban_grid_transform_get_max_error (grid), <=, SABAN_GRID_TRANSFORM_TOLERANCE);
  g_assert_cmpfloat (max_error (fast, slow, n), <=, SABAN_GRID_TRANSFORM_TOLERANCE);
}

static void
test_outside_is_exact (void)
{
  g_autoptr(SabanTransform) exact = tm3_to_mercator ();
  g_autoptr(SabanGridTransform) grid = saban_grid_transform_new (exact, MIN_X, MIN_Y, MAX_X, MAX_Y);
  /* Far outside the padded extent: Hà Nội, Cà Mau-ish eastings and northings. */
  double fast[] = { 600000.0, 2330000.0, 300000.0, 2600000.0, 450000.0, 2450000.0 };
  double slow[G_N_ELEMENTS (fast)];

  g_assert_true (saban_grid_transform_build (grid));
  memcpy (slow, fast, sizeof fast);
  g_assert_true (saban_grid_transform_points (grid, fast, 3));
  g_assert_true (saban_transform_points (exact, slow, 3));
  /* The two outside points are bit-for-bit exact; the inside one is close. */
  g_assert_cmpfloat (fast[0], ==, slow[0]);
  g_assert_cmpfloat (fast[1], ==, slow[1]);
  g_assert_cmpfloat (fast[2], ==, slow[2]);
  g_assert_cmpfloat (fast[3], ==, slow[3]);
  g_assert_cmpfloat (hypot (fast[4] - slow[4], fast[5] - slow[5]), <=, SABAN_GRID_TRANSFORM_TOLERANCE);
}

static void
test_small_batch_is_exact (void)
{
  g_autoptr(SabanTransform) exact = tm3_to_mercator ();
  g_autoptr(SabanGridTransform) grid = saban_grid_transform_new (exact, MIN_X, MIN_Y, MAX_X, MAX_Y);
  double fast[] = { 419650.0, 2487540.0 };
  double slow[] = { 419650.0, 2487540.0 };

  /* Too few points to pay for a grid: no grid, exact results. */
  g_assert_true (saban_grid_transform_points (grid, fast, 1));
  g_assert_cmpuint (saban_grid_transform_get_size (grid), ==, 0);
  g_assert_true (saban_transform_points (exact, slow, 1));
  g_assert_cmpfloat (fast[0], ==, slow[0]);
  g_assert_cmpfloat (fast[1], ==, slow[1]);
}

/* Many small batches add up: once they hold enough points in all, the grid
 * is built (the reader hands over a batch of 8 192 features at a time, one
 * point each for a point layer). */
static void
test_small_batches_add_up (void)
{
  g_autoptr(SabanTransform) exact = tm3_to_mercator ();
  g_autoptr(SabanGridTransform) grid = saban_grid_transform_new (exact, MIN_X, MIN_Y, MAX_X, MAX_Y);
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  double xy[2 * 8192];
  guint batches = 0;

  while (saban_grid_transform_get_size (grid) == 0 && batches < 10)
    {
      for (guint i = 0; i < G_N_ELEMENTS (xy) / 2; i++)
        {
          xy[2 * i] = g_rand_double_range (rand, MIN_X, MAX_X);
          xy[2 * i + 1] = g_rand_double_range (rand, MIN_Y, MAX_Y);
        }
      g_assert_true (saban_grid_transform_points (grid, xy, G_N_ELEMENTS (xy) / 2));
      batches++;
    }
  /* 32 768 points: the fourth batch of 8 192 builds it. */
  g_assert_cmpuint (batches, ==, 4);
  g_assert_cmpuint (saban_grid_transform_get_size (grid), >, 0);
}

static void
test_no_extent (void)
{
  g_autoptr(SabanTransform) exact = tm3_to_mercator ();
  g_autoptr(SabanGridTransform) grid = saban_grid_transform_new (exact, NAN, NAN, NAN, NAN);

  g_assert_false (saban_grid_transform_build (grid));
  g_assert_cmpuint (saban_grid_transform_get_size (grid), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/grid-transform/error-bound", test_error_bound);
  g_test_add_func ("/grid-transform/outside-is-exact", test_outside_is_exact);
  g_test_add_func ("/grid-transform/small-batch-is-exact", test_small_batch_is_exact);
  g_test_add_func ("/grid-transform/small-batches-add-up", test_small_batches_add_up);
  g_test_add_func ("/grid-transform/no-extent", test_no_extent);
  return g_test_run ();
}
