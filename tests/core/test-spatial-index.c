/* The packed R-tree finds exactly what a brute-force scan finds. */
#include "saban-spatial-index.h"

typedef struct
{
  GArray *found;
  guint32 stop_after;
} Collect;

static gboolean
collect (guint32 item, gpointer user_data)
{
  Collect *c = user_data;

  g_array_append_val (c->found, item);
  return c->stop_after == 0 || c->found->len < c->stop_after;
}

static int
compare_u32 (gconstpointer a, gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;
  return x < y ? -1 : x > y;
}

static void
check_size (guint32 n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (n + 7);
  g_autofree double *boxes = g_new (double, 4 * (gsize) MAX (n, 1));
  g_autoptr(SabanSpatialIndex) index = NULL;

  for (guint32 i = 0; i < n; i++)
    {
      double x = g_rand_double_range (rand, -1000, 1000), y = g_rand_double_range (rand, -1000, 1000);
      boxes[4 * i] = x;
      boxes[4 * i + 1] = y;
      boxes[4 * i + 2] = x + g_rand_double_range (rand, 0, 30);
      boxes[4 * i + 3] = y + g_rand_double_range (rand, 0, 30);
    }
  index = saban_spatial_index_new (boxes, n);
  g_assert_cmpuint (saban_spatial_index_get_n_items (index), ==, n);

  for (int q = 0; q < 50; q++)
    {
      double x = g_rand_double_range (rand, -1100, 1000), y = g_rand_double_range (rand, -1100, 1000);
      double w = g_rand_double_range (rand, 0, 400), h = g_rand_double_range (rand, 0, 400);
      g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (guint32));
      Collect c = { g_array_new (FALSE, FALSE, sizeof (guint32)), 0 };

      for (guint32 i = 0; i < n; i++)
        if (boxes[4 * i] <= x + w && boxes[4 * i + 1] <= y + h && boxes[4 * i + 2] >= x && boxes[4 * i + 3] >= y)
          g_array_append_val (expected, i);
      saban_spatial_index_query (index, x, y, x + w, y + h, collect, &c);
      g_array_sort (c.found, compare_u32);
      g_assert_cmpuint (c.found->len, ==, expected->len);
      if (expected->len > 0)
        g_assert_cmpmem (c.found->data, c.found->len * 4, expected->data, expected->len * 4);
      g_array_unref (c.found);
    }
}

static void
test_sizes (void)
{
  const guint32 sizes[] = { 0, 1, 2, 15, 16, 17, 255, 256, 257, 5000, 70000 };

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    check_size (sizes[i]);
}

static void
test_early_stop (void)
{
  double boxes[4 * 100];
  g_autoptr(SabanSpatialIndex) index = NULL;
  Collect c = { g_array_new (FALSE, FALSE, sizeof (guint32)), 5 };

  for (int i = 0; i < 100; i++)
    {
      boxes[4 * i] = boxes[4 * i + 1] = i;
      boxes[4 * i + 2] = boxes[4 * i + 3] = i + 1;
    }
  index = saban_spatial_index_new (boxes, 100);
  saban_spatial_index_query (index, -1, -1, 200, 200, collect, &c);
  g_assert_cmpuint (c.found->len, ==, 5);
  g_array_unref (c.found);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spatial-index/matches-brute-force", test_sizes);
  g_test_add_func ("/spatial-index/early-stop", test_early_stop);
  return g_test_run ();
}
