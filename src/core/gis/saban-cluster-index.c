/* saban-cluster-index.c: clusters of points for every zoom level, built once.
 *
 * Levels are built from the maximum zoom down. At zoom z the items of the
 * level above (points, or the clusters of zoom z + 1) are visited in grid
 * order and each unvisited one becomes a seed that absorbs every unvisited
 * item within the radius (radius × 2^-z world units) of it; the cluster sits
 * at its members' centroid, weighted by their sizes. The grid's cell is the
 * radius, and items are sorted by cell row-major (a radix sort), so the
 * neighbours of a seed lie in three contiguous runs of the sorted items, one
 * per row, whose starts only move forward as the seeds do: a level costs two
 * sorts and a linear scan, with no tree and no hash table.
 *
 * Each level is kept sorted by its own grid, so a viewport query is a search
 * per row of cells, each starting where the previous row's ended. What a
 * query reads is apart from the clusters' counts: the cells' keys in one
 * array (the searches touch a few cache lines, not a cluster each) and the
 * positions in another, and the output is sized once per row's run.
 *
 * Each cluster keeps its visible members' counts by class and the sums of
 * their positions and ids: a point changing class or being hidden by a
 * filter updates one cluster per level, the worst class is the highest
 * non-zero count, and a cluster left with one visible member knows which
 * point it is (the sum of one id).
 */
#include "saban-cluster-index.h"

#include <math.h>
#include <string.h>

typedef struct
{
  double  sx, sy;         /* sums over the visible members */
  guint64 sid;            /* sum of the visible members' ids */
  guint32 counts[SABAN_CLUSTER_INDEX_N_CLASSES];
  guint32 visible;        /* the sum of counts */
  guint32 classes;        /* bit k: counts[k] > 0, so the worst is the highest bit */
  guint32 total;          /* members, visible or not */
  guint32 parent;         /* its cluster one zoom level down */
} Node;

typedef struct
{
  Node    *nodes;         /* NULL for the points' level */
  guint64 *keys;          /* by node: its grid cell, row-major */
  double  *xy;            /* by node: where it was built */
  guint32  n;
  double  inv;            /* grid cells per world unit */
  guint64 n_cols;
} Level;

struct _SabanClusterIndex
{
  guint32  n_points;
  int      min_zoom, max_zoom;
  double  *xy;            /* by point */
  guint32 *order;         /* points sorted by the points' grid */
  guint32 *parent;        /* by point: its cluster at max zoom */
  guint8  *klass;         /* by point */
  Level    points;        /* the grid above max zoom */
  Level   *levels;        /* [zoom - min_zoom] */
};

/* Scratch arrays for the build, sized for the largest level. */
typedef struct
{
  guint64 *keys, *tmp_keys;
  guint32 *perm, *tmp_perm, *item_parent, *rank;
  guint8  *visited;
  Node    *nodes;
  double  *xy;            /* by node: sums of positions × sizes, then the centroid */
} Scratch;

static void
level_init (Level *level, int zoom, double radius, guint32 n)
{
  level->inv = ldexp (1.0, zoom) / radius;
  /* one spare column each side: the neighbours of an edge cell stay unsigned */
  level->n_cols = (guint64) ceil (level->inv) + 3;
  level->n = n;
}

static inline guint64
cell_of (const Level *level, double v)
{
  return (guint64) (CLAMP (v, 0.0, 1.0) * level->inv) + 1;
}

static inline guint64
cell_key (const Level *level, double x, double y)
{
  return cell_of (level, y) * level->n_cols + cell_of (level, x);
}

/* LSD radix sort by key, a byte at a time, carrying values; skips the bytes
 * every key shares. */
static void
radix_sort (guint64 *keys, guint32 *values, guint64 *tmp_keys, guint32 *tmp_values, guint32 n, guint64 max_key)
{
  guint64 *k = keys, *tk = tmp_keys;
  guint32 *v = values, *tv = tmp_values;

  for (int shift = 0; shift < 64 && (max_key >> shift) != 0; shift += 8)
    {
      guint32 count[256] = { 0 }, sum = 0;
      gboolean one_bucket = FALSE;

      for (guint32 i = 0; i < n; i++)
        count[(k[i] >> shift) & 0xFF]++;
      for (int b = 0; b < 256; b++)
        {
          guint32 c = count[b];
          one_bucket |= c == n;
          count[b] = sum;
          sum += c;
        }
      if (one_bucket)
        continue;
      for (guint32 i = 0; i < n; i++)
        {
          guint32 to = count[(k[i] >> shift) & 0xFF]++;
          tk[to] = k[i];
          tv[to] = v[i];
        }
      {
        guint64 *sk = k;
        guint32 *sv = v;
        k = tk;
        v = tv;
        tk = sk;
        tv = sv;
      }
    }
  if (k != keys)
    {
      memcpy (keys, k, sizeof (guint64) * n);
      memcpy (values, v, sizeof (guint32) * n);
    }
}

static inline void
item_position (const SabanClusterIndex *self, const Level *from, guint32 i, double *x, double *y)
{
  if (from->nodes == NULL)
    {
      *x = self->xy[2 * i];
      *y = self->xy[2 * i + 1];
    }
  else
    {
      *x = from->xy[2 * i];
      *y = from->xy[2 * i + 1];
    }
}

/* Adds item @i of @from to @into, whose position sums (positions × sizes)
 * are @into_xy until the cluster is complete. */
static inline void
absorb (const SabanClusterIndex *self, const Level *from, guint32 i, Node *into, double *into_xy)
{
  if (from->nodes == NULL)
    {
      double x = self->xy[2 * i], y = self->xy[2 * i + 1];
      guint8 k = self->klass[i];

      into_xy[0] += x;
      into_xy[1] += y;
      into->total++;
      if (k != SABAN_CLUSTER_INDEX_HIDDEN)
        {
          into->counts[k]++;
          into->visible++;
          into->classes |= 1u << k;
          into->sx += x;
          into->sy += y;
          into->sid += i;
        }
    }
  else
    {
      const Node *c = &from->nodes[i];

      into_xy[0] += from->xy[2 * i] * c->total;
      into_xy[1] += from->xy[2 * i + 1] * c->total;
      into->total += c->total;
      into->sx += c->sx;
      into->sy += c->sy;
      into->sid += c->sid;
      into->visible += c->visible;
      into->classes |= c->classes;
      for (int k = 0; k < SABAN_CLUSTER_INDEX_N_CLASSES; k++)
        into->counts[k] += c->counts[k];
    }
}

/* Builds @level from the items of @from, and points those items at their
 * clusters. */
static void
cluster_level (SabanClusterIndex *self, Level *level, Level *from, Scratch *s)
{
  guint32 n_in = from->n, n_out = 0, lo[3] = { 0, 0, 0 };
  double r = 1.0 / level->inv, r2 = r * r;
  guint64 max_key = 0;

  for (guint32 i = 0; i < n_in; i++)
    {
      double x, y;

      item_position (self, from, i, &x, &y);
      s->keys[i] = cell_key (level, x, y);
      max_key = MAX (max_key, s->keys[i]);
      s->perm[i] = i;
    }
  radix_sort (s->keys, s->perm, s->tmp_keys, s->tmp_perm, n_in, max_key);
  memset (s->visited, 0, n_in);

  for (guint32 p = 0; p < n_in; p++)
    {
      guint32 seed = s->perm[p];
      Node *c = &s->nodes[n_out];
      double *cxy = &s->xy[2 * n_out];
      double x0, y0;

      if (s->visited[seed])
        continue;
      memset (c, 0, sizeof *c);
      cxy[0] = cxy[1] = 0;
      item_position (self, from, seed, &x0, &y0);
      for (int d = 0; d < 3; d++)
        {
          guint64 first = s->keys[p] + (d - 1) * level->n_cols - 1, last = first + 2;

          while (lo[d] < n_in && s->keys[lo[d]] < first)
            lo[d]++;
          for (guint32 q = lo[d]; q < n_in && s->keys[q] <= last; q++)
            {
              guint32 j = s->perm[q];
              double x, y;

              if (s->visited[j])
                continue;
              item_position (self, from, j, &x, &y);
              if ((x - x0) * (x - x0) + (y - y0) * (y - y0) > r2)
                continue;
              s->visited[j] = 1;
              s->item_parent[j] = n_out;
              absorb (self, from, j, c, cxy);
            }
        }
      cxy[0] /= c->total;
      cxy[1] /= c->total;
      c->parent = G_MAXUINT32;
      n_out++;
    }

  /* the level in its own grid's order, for the queries */
  max_key = 0;
  for (guint32 k = 0; k < n_out; k++)
    {
      s->keys[k] = cell_key (level, s->xy[2 * k], s->xy[2 * k + 1]);
      max_key = MAX (max_key, s->keys[k]);
      s->perm[k] = k;
    }
  radix_sort (s->keys, s->perm, s->tmp_keys, s->tmp_perm, n_out, max_key);
  level->nodes = g_new (Node, MAX (n_out, 1));
  level->keys = g_new (guint64, MAX (n_out, 1));
  level->xy = g_new (double, 2 * (gsize) MAX (n_out, 1));
  level->n = n_out;
  for (guint32 k = 0; k < n_out; k++)
    {
      guint32 from_k = s->perm[k];

      level->nodes[k] = s->nodes[from_k];
      level->keys[k] = s->keys[k];
      level->xy[2 * k] = s->xy[2 * from_k];
      level->xy[2 * k + 1] = s->xy[2 * from_k + 1];
      s->rank[from_k] = k;
    }
  for (guint32 i = 0; i < n_in; i++)
    {
      guint32 to = s->rank[s->item_parent[i]];

      if (from->nodes == NULL)
        self->parent[i] = to;
      else
        from->nodes[i].parent = to;
    }
}

/**
 * saban_cluster_index_new:
 * @xy: (array): @n_points pairs of world coordinates in [0, 1] (x east,
 *   y south: Web Mercator divided by the world's width)
 * @classes: (array) (nullable): each point's class (or
 *   SABAN_CLUSTER_INDEX_HIDDEN); %NULL for class 0
 * @n_points: how many
 * @min_zoom: the lowest zoom level clustered
 * @max_zoom: the highest; above it every point stands alone
 * @radius: the clustering radius as a fraction of a tile's width (56 px on
 *   256 px tiles: 0.21875)
 *
 * Builds the clusters of every zoom level from @min_zoom to @max_zoom.
 *
 * Returns: (transfer full): the index
 */
SabanClusterIndex *
saban_cluster_index_new (const double *xy, const guint8 *classes, guint32 n_points, int min_zoom, int max_zoom,
                         double radius)
{
  SabanClusterIndex *self;
  Scratch s;
  guint32 n = MAX (n_points, 1);
  guint64 max_key = 0;

  g_return_val_if_fail (xy != NULL || n_points == 0, NULL);
  g_return_val_if_fail (0 <= min_zoom && min_zoom <= max_zoom && max_zoom <= 24, NULL);
  g_return_val_if_fail (radius > 1.0 / 1024 && radius < 16, NULL);

  self = g_new0 (SabanClusterIndex, 1);
  self->n_points = n_points;
  self->min_zoom = min_zoom;
  self->max_zoom = max_zoom;
  self->xy = g_new (double, 2 * (gsize) n);
  if (n_points > 0)
    memcpy (self->xy, xy, sizeof (double) * 2 * n_points);
  self->order = g_new (guint32, n);
  self->parent = g_new (guint32, n);
  self->klass = g_new0 (guint8, n);
  if (classes != NULL && n_points > 0)
    memcpy (self->klass, classes, n_points);
  self->levels = g_new0 (Level, max_zoom - min_zoom + 1);

  s.keys = g_new (guint64, n);
  s.tmp_keys = g_new (guint64, n);
  s.perm = g_new (guint32, n);
  s.tmp_perm = g_new (guint32, n);
  s.item_parent = g_new (guint32, n);
  s.rank = g_new (guint32, n);
  s.visited = g_new (guint8, n);
  s.nodes = g_new (Node, n);
  s.xy = g_new (double, 2 * (gsize) n);

  level_init (&self->points, max_zoom + 1, radius, n_points);
  for (guint32 i = 0; i < n_points; i++)
    {
      s.keys[i] = cell_key (&self->points, xy[2 * i], xy[2 * i + 1]);
      max_key = MAX (max_key, s.keys[i]);
      self->order[i] = i;
    }
  radix_sort (s.keys, self->order, s.tmp_keys, s.tmp_perm, n_points, max_key);

  for (int z = max_zoom; z >= min_zoom; z--)
    {
      Level *level = &self->levels[z - min_zoom];

      level_init (level, z, radius, 0);
      cluster_level (self, level, z == max_zoom ? &self->points : level + 1, &s);
    }

  g_free (s.keys);
  g_free (s.tmp_keys);
  g_free (s.perm);
  g_free (s.tmp_perm);
  g_free (s.item_parent);
  g_free (s.rank);
  g_free (s.visited);
  g_free (s.nodes);
  g_free (s.xy);
  return self;
}

void
saban_cluster_index_free (SabanClusterIndex *self)
{
  if (self == NULL)
    return;
  for (int z = self->min_zoom; z <= self->max_zoom; z++)
    {
      g_free (self->levels[z - self->min_zoom].nodes);
      g_free (self->levels[z - self->min_zoom].keys);
      g_free (self->levels[z - self->min_zoom].xy);
    }
  g_free (self->levels);
  g_free (self->xy);
  g_free (self->order);
  g_free (self->parent);
  g_free (self->klass);
  g_free (self);
}

guint32
saban_cluster_index_get_n_points (const SabanClusterIndex *self)
{
  return self->n_points;
}

/**
 * saban_cluster_index_set_class:
 * @self: an index
 * @point: a point
 * @klass: its class, below SABAN_CLUSTER_INDEX_N_CLASSES, or
 *   SABAN_CLUSTER_INDEX_HIDDEN to leave it out of every cluster
 *
 * Costs one cluster per zoom level.
 */
void
saban_cluster_index_set_class (SabanClusterIndex *self, guint32 point, guint8 klass)
{
  guint8 old;
  double x, y;
  guint32 slot;

  g_return_if_fail (point < self->n_points);
  g_return_if_fail (klass < SABAN_CLUSTER_INDEX_N_CLASSES || klass == SABAN_CLUSTER_INDEX_HIDDEN);

  old = self->klass[point];
  if (old == klass)
    return;
  self->klass[point] = klass;
  x = self->xy[2 * point];
  y = self->xy[2 * point + 1];
  slot = self->parent[point];
  for (int z = self->max_zoom; z >= self->min_zoom; z--)
    {
      Node *c = &self->levels[z - self->min_zoom].nodes[slot];

      if (old == SABAN_CLUSTER_INDEX_HIDDEN)
        {
          c->sx += x;
          c->sy += y;
          c->sid += point;
          c->visible++;
        }
      else if (--c->counts[old] == 0)
        c->classes &= ~(1u << old);
      if (klass == SABAN_CLUSTER_INDEX_HIDDEN)
        {
          c->sx -= x;
          c->sy -= y;
          c->sid -= point;
          c->visible--;
        }
      else if (c->counts[klass]++ == 0)
        c->classes |= 1u << klass;
      slot = c->parent;
    }
}

guint8
saban_cluster_index_get_class (const SabanClusterIndex *self, guint32 point)
{
  g_return_val_if_fail (point < self->n_points, SABAN_CLUSTER_INDEX_HIDDEN);
  return self->klass[point];
}

/**
 * saban_cluster_index_get_cluster:
 * @self: an index
 * @point: a point
 * @zoom: a zoom level
 *
 * Returns: the id of the cluster holding @point at @zoom (as
 *   SabanCluster.cluster), G_MAXUINT32 above the maximum zoom
 */
guint32
saban_cluster_index_get_cluster (const SabanClusterIndex *self, guint32 point, int zoom)
{
  guint32 slot;

  g_return_val_if_fail (point < self->n_points, G_MAXUINT32);

  if (zoom > self->max_zoom)
    return G_MAXUINT32;
  zoom = MAX (zoom, self->min_zoom);
  slot = self->parent[point];
  for (int z = self->max_zoom; z > zoom; z--)
    slot = self->levels[z - self->min_zoom].nodes[slot].parent;
  return slot;
}

/**
 * saban_cluster_index_get_n_clusters:
 * @self: an index
 * @zoom: a zoom level
 *
 * Returns: how many clusters (single points included) @zoom has, visible
 *   or not
 */
guint32
saban_cluster_index_get_n_clusters (const SabanClusterIndex *self, int zoom)
{
  if (zoom > self->max_zoom)
    return self->n_points;
  return self->levels[MAX (zoom, self->min_zoom) - self->min_zoom].n;
}

static inline guint64
key_at (const SabanClusterIndex *self, const Level *level, guint32 k)
{
  if (level->nodes == NULL)
    {
      guint32 p = self->order[k];
      return cell_key (level, self->xy[2 * p], self->xy[2 * p + 1]);
    }
  return level->keys[k];
}

/* The first item from @from on with a key ≥ @key: rows are searched in
 * order, so each starts near where the previous one ended (galloping). */
static guint32
seek (const SabanClusterIndex *self, const Level *level, guint32 from, guint64 key)
{
  guint32 lo = from, hi, bound = 1;

  if (from >= level->n || key_at (self, level, from) >= key)
    return from;
  while (from + bound < level->n && key_at (self, level, from + bound) < key)
    {
      lo = from + bound;
      bound *= 2;
    }
  hi = MIN (from + bound, level->n);
  /* key_at (lo) < key ≤ key_at (hi) */
  while (hi - lo > 1)
    {
      guint32 mid = lo + (hi - lo) / 2;

      if (key_at (self, level, mid) < key)
        lo = mid;
      else
        hi = mid;
    }
  return hi;
}

/* Item @k of @level as a cluster, if it has a visible member and its grid
 * position is in the window; returns whether @c was written. */
static inline gboolean
item_cluster (const SabanClusterIndex *self, const Level *level, guint32 k, double min_x, double min_y,
              double max_x, double max_y, SabanCluster *c)
{
  double x, y;

  if (level->nodes == NULL)
    {
      guint32 p = self->order[k];

      x = self->xy[2 * p];
      y = self->xy[2 * p + 1];
      if (x < min_x || x > max_x || y < min_y || y > max_y || self->klass[p] == SABAN_CLUSTER_INDEX_HIDDEN)
        return FALSE;
      *c = (SabanCluster) { x, y, 1, p, G_MAXUINT32, self->klass[p] };
      return TRUE;
    }
  x = level->xy[2 * k];
  y = level->xy[2 * k + 1];
  if (x < min_x || x > max_x || y < min_y || y > max_y)
    return FALSE;
  {
    const Node *n = &level->nodes[k];
    guint32 count = n->visible;
    int worst;

    if (count == 0)
      return FALSE;
    worst = g_bit_storage (n->classes) - 1;
    if (count == 1)
      *c = (SabanCluster) { self->xy[2 * n->sid], self->xy[2 * n->sid + 1], 1, n->sid, k, worst };
    else
      *c = (SabanCluster) { n->sx / count, n->sy / count, count, G_MAXUINT32, k, worst };
  }
  return TRUE;
}

/* Appends the clusters of items @first to @end (excluded) in the window:
 * the array grows once for them all. */
static void
append_run (const SabanClusterIndex *self, const Level *level, guint32 first, guint32 end, double min_x,
            double min_y, double max_x, double max_y, GArray *clusters)
{
  guint len = clusters->len;
  SabanCluster *out;

  if (first >= end)
    return;
  g_array_set_size (clusters, len + (end - first));
  out = &g_array_index (clusters, SabanCluster, len);
  for (guint32 k = first; k < end; k++)
    out += item_cluster (self, level, k, min_x, min_y, max_x, max_y, out);
  g_array_set_size (clusters, out - (SabanCluster *) (void *) clusters->data);
}

/**
 * saban_cluster_index_query:
 * @self: an index
 * @zoom: a zoom level: below the minimum counts as the minimum, above the
 *   maximum gives single points
 * @min_x: the window, in world coordinates
 * @min_y: idem
 * @max_x: idem
 * @max_y: idem
 * @clusters: (element-type SabanCluster): emptied, then receives the clusters
 *   and points with a visible member whose grid position is in the window
 */
void
saban_cluster_index_query (const SabanClusterIndex *self, int zoom, double min_x, double min_y, double max_x,
                           double max_y, GArray *clusters)
{
  const Level *level;
  guint64 c0, c1, r0, r1;

  g_return_if_fail (g_array_get_element_size (clusters) == sizeof (SabanCluster));

  g_array_set_size (clusters, 0);
  zoom = CLAMP (zoom, self->min_zoom, self->max_zoom + 1);
  level = zoom > self->max_zoom ? &self->points : &self->levels[zoom - self->min_zoom];
  if (level->n == 0 || min_x > max_x || min_y > max_y)
    return;
  c0 = cell_of (level, min_x);
  c1 = cell_of (level, max_x);
  r0 = cell_of (level, min_y);
  r1 = cell_of (level, max_y);

  /* a window of more rows than items: a scan is cheaper than a search per row */
  if (r1 - r0 + 1 > level->n)
    {
      append_run (self, level, 0, level->n, min_x, min_y, max_x, max_y, clusters);
      return;
    }

  for (guint64 row = r0, k = 0; row <= r1 && k < level->n; row++)
    {
      guint64 last = row * level->n_cols + c1;
      guint32 first = seek (self, level, k, row * level->n_cols + c0);

      for (k = first; k < level->n && key_at (self, level, k) <= last; k++)
        ;
      append_run (self, level, first, k, min_x, min_y, max_x, max_y, clusters);
    }
}
