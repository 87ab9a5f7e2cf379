/* SabanClusterIndex: every point in exactly one cluster per zoom, within the
 * radius of its cluster's seed chain, queries that agree with a scan, and
 * classes (states, filters) kept up to date cheaply. */
#include "saban-cluster-index.h"

#include <math.h>

#define RADIUS (56.0 / 256)

static double *
random_points (guint32 n, guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  double *xy = g_new (double, 2 * (gsize) MAX (n, 1));

  /* a province-sized patch, denser in one corner */
  for (guint32 i = 0; i < n; i++)
    {
      double t = g_rand_double (rand);
      xy[2 * i] = 0.7880 + 0.0045 * t * t + 0.0001 * g_rand_double (rand);
      xy[2 * i + 1] = 0.4310 + 0.0045 * g_rand_double (rand);
    }
  return xy;
}

static GArray *
query_all (SabanClusterIndex *index, int zoom)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (SabanCluster));

  saban_cluster_index_query (index, zoom, 0, 0, 1, 1, out);
  return out;
}

static void
test_partition (void)
{
  guint32 n = 5000;
  g_autofree double *xy = random_points (n, 3);
  g_autoptr(SabanClusterIndex) index = saban_cluster_index_new (xy, NULL, n, 0, 10, RADIUS);
  guint32 previous = 0;

  g_assert_cmpuint (saban_cluster_index_get_n_points (index), ==, n);
  for (int z = 0; z <= 11; z++)
    {
      g_autoptr(GArray) all = query_all (index, z);
      g_autofree guint32 *members = g_new0 (guint32, all->len + n);
      guint64 total = 0;

      /* every point counted once; coarser zooms have fewer clusters */
      for (guint k = 0; k < all->len; k++)
        total += g_array_index (all, SabanCluster, k).count;
      g_assert_cmpuint (total, ==, n);
      g_assert_cmpuint (all->len, ==, saban_cluster_index_get_n_clusters (index, z));
      g_assert_cmpuint (all->len, >=, previous);
      previous = all->len;
      if (z == 11)
        {
          g_assert_cmpuint (all->len, ==, n);
          continue;
        }

      /* a point's cluster is the one that counts it, and it is near */
      for (guint32 p = 0; p < n; p++)
        members[saban_cluster_index_get_cluster (index, p, z)]++;
      for (guint k = 0; k < all->len; k++)
        {
          const SabanCluster *c = &g_array_index (all, SabanCluster, k);
          g_assert_cmpuint (members[c->cluster], ==, c->count);
        }
      for (guint32 p = 0; p < n; p += 37)
        {
          guint32 id = saban_cluster_index_get_cluster (index, p, z);
          for (guint k = 0; k < all->len; k++)
            {
              const SabanCluster *c = &g_array_index (all, SabanCluster, k);
              /* within a radius of each seed down the chain: 2 radii, twice */
              if (c->cluster == id)
                g_assert_cmpfloat (hypot (c->x - xy[2 * p], c->y - xy[2 * p + 1]), <=, 4 * RADIUS * ldexp (1, -z));
            }
        }
    }
  g_assert_cmpuint (saban_cluster_index_get_n_clusters (index, 0), <, 5);
}

static void
test_query_window (void)
{
  guint32 n = 20000;
  g_autofree double *xy = random_points (n, 9);
  g_autoptr(SabanClusterIndex) index = saban_cluster_index_new (xy, NULL, n, 0, 10, RADIUS);
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (SabanCluster));

  for (int z = 3; z <= 16; z++)
    {
      g_autoptr(GArray) all = query_all (index, z);

      for (int q = 0; q < 20; q++)
        {
          /* a 1920×1080 window somewhere over the points */
          double w = 1920 / (256 * ldexp (1, z)), h = 1080 / (256 * ldexp (1, z));
          double x0 = 0.788 + g_rand_double (rand) * 0.005 - w / 2, y0 = 0.431 + g_rand_double (rand) * 0.005 - h / 2;
          double eps = 1e-12;
          guint expected_inner = 0, expected_outer = 0;

          saban_cluster_index_query (index, z, x0, y0, x0 + w, y0 + h, found);
          for (guint k = 0; k < all->len; k++)
            {
              const SabanCluster *c = &g_array_index (all, SabanCluster, k);
              if (c->x > x0 + eps && c->x < x0 + w - eps && c->y > y0 + eps && c->y < y0 + h - eps)
                expected_inner++;
              if (c->x >= x0 - eps && c->x <= x0 + w + eps && c->y >= y0 - eps && c->y <= y0 + h + eps)
                expected_outer++;
            }
          g_assert_cmpuint (found->len, >=, expected_inner);
          g_assert_cmpuint (found->len, <=, expected_outer);
        }
    }
}

static void
test_classes (void)
{
  guint32 n = 2000;
  g_autofree double *xy = random_points (n, 4);
  g_autoptr(SabanClusterIndex) index = saban_cluster_index_new (xy, NULL, n, 0, 10, RADIUS);
  g_autoptr(GArray) all = NULL;
  const SabanCluster *c;
  guint32 keep = 1234;

  /* one point in the worst class: its cluster shows it at every zoom */
  saban_cluster_index_set_class (index, keep, 4);
  for (int z = 0; z <= 10; z++)
    {
      guint32 id = saban_cluster_index_get_cluster (index, keep, z);
      g_autoptr(GArray) clusters = query_all (index, z);
      guint worst = 0;

      for (guint k = 0; k < clusters->len; k++)
        {
          c = &g_array_index (clusters, SabanCluster, k);
          g_assert_cmpuint (c->worst, ==, c->cluster == id ? 4 : 0);
          worst += c->worst == 4;
        }
      g_assert_cmpuint (worst, ==, 1);
    }

  /* everything else hidden: a single point, where it is, and no empty cluster */
  for (guint32 p = 0; p < n; p++)
    if (p != keep)
      saban_cluster_index_set_class (index, p, SABAN_CLUSTER_INDEX_HIDDEN);
  g_assert_cmpuint (saban_cluster_index_get_class (index, 0), ==, SABAN_CLUSTER_INDEX_HIDDEN);
  for (int z = 0; z <= 12; z++)
    {
      g_autoptr(GArray) clusters = query_all (index, z);
      g_assert_cmpuint (clusters->len, ==, 1);
      c = &g_array_index (clusters, SabanCluster, 0);
      g_assert_cmpuint (c->count, ==, 1);
      g_assert_cmpuint (c->point, ==, keep);
      g_assert_cmpuint (c->worst, ==, 4);
      g_assert_cmpfloat (fabs (c->x - xy[2 * keep]), <, 1e-12);
      g_assert_cmpfloat (fabs (c->y - xy[2 * keep + 1]), <, 1e-12);
    }

  /* shown again: the same clusters as at the start */
  for (guint32 p = 0; p < n; p++)
    saban_cluster_index_set_class (index, p, p % 3);
  all = query_all (index, 6);
  {
    guint64 total = 0;
    for (guint k = 0; k < all->len; k++)
      {
        c = &g_array_index (all, SabanCluster, k);
        total += c->count;
        g_assert_cmpuint (c->worst, <=, 2);
        if (c->count > 2)
          g_assert_cmpuint (c->worst, ==, 2);
      }
    g_assert_cmpuint (total, ==, n);
  }
}

static void
test_empty (void)
{
  g_autoptr(SabanClusterIndex) index = saban_cluster_index_new (NULL, NULL, 0, 0, 16, RADIUS);
  g_autoptr(GArray) all = query_all (index, 5);
  g_autoptr(GArray) points = query_all (index, 17);

  g_assert_cmpuint (all->len, ==, 0);
  g_assert_cmpuint (points->len, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cluster-index/partition", test_partition);
  g_test_add_func ("/cluster-index/query-window", test_query_window);
  g_test_add_func ("/cluster-index/classes", test_classes);
  g_test_add_func ("/cluster-index/empty", test_empty);
  return g_test_run ();
}
