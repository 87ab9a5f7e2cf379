/* saban-spatial-index.c: a packed, static R-tree.
 *
 * Items are sorted along a Hilbert curve through their box centres and packed
 * into nodes of NODE_SIZE, level by level; the tree is a flat array of boxes
 * and never changes after it is built. Queries for a 256 px tile touch a few
 * hundred boxes whatever the size of the layer.
 */
#include "saban-spatial-index.h"

#include <math.h>
#include <string.h>

#define NODE_SIZE 16

struct _SabanSpatialIndex
{
  guint32 n_items;
  guint32 n_nodes;       /* boxes in all levels, leaves first */
  double *boxes;         /* 4 per node: min_x, min_y, max_x, max_y */
  guint32 *indices;      /* leaf: item id; inner node: first child's position */
  guint32 *level_ends;   /* end position of each level */
  guint n_levels;
};

/* Position on a Hilbert curve of order 16 (Warren, Hacker's Delight §16). */
static guint32
hilbert (guint32 x,
         guint32 y)
{
  guint32 a = x ^ y, b = 0xFFFF ^ a, c = 0xFFFF ^ (x | y), d = x & (y ^ 0xFFFF);
  guint32 A = a | (b >> 1), B = (a >> 1) ^ a;
  guint32 C = ((c >> 1) ^ (b & (d >> 1))) ^ c, D = ((a & (c >> 1)) ^ (d >> 1)) ^ d;
  guint32 i0, i1;

  a = A; b = B; c = C; d = D;
  A = (a & (a >> 2)) ^ (b & (b >> 2));
  B = (a & (b >> 2)) ^ (b & ((a ^ b) >> 2));
  C ^= (a & (c >> 2)) ^ (b & (d >> 2));
  D ^= (b & (c >> 2)) ^ ((a ^ b) & (d >> 2));

  a = A; b = B; c = C; d = D;
  A = (a & (a >> 4)) ^ (b & (b >> 4));
  B = (a & (b >> 4)) ^ (b & ((a ^ b) >> 4));
  C ^= (a & (c >> 4)) ^ (b & (d >> 4));
  D ^= (b & (c >> 4)) ^ ((a ^ b) & (d >> 4));

  a = A; b = B; c = C; d = D;
  C ^= (a & (c >> 8)) ^ (b & (d >> 8));
  D ^= (b & (c >> 8)) ^ ((a ^ b) & (d >> 8));

  a = C ^ (C >> 1);
  b = D ^ (D >> 1);
  i0 = x ^ y;
  i1 = b | (0xFFFF ^ (i0 | a));

  i0 = (i0 | (i0 << 8)) & 0x00FF00FF;
  i0 = (i0 | (i0 << 4)) & 0x0F0F0F0F;
  i0 = (i0 | (i0 << 2)) & 0x33333333;
  i0 = (i0 | (i0 << 1)) & 0x55555555;
  i1 = (i1 | (i1 << 8)) & 0x00FF00FF;
  i1 = (i1 | (i1 << 4)) & 0x0F0F0F0F;
  i1 = (i1 | (i1 << 2)) & 0x33333333;
  i1 = (i1 | (i1 << 1)) & 0x55555555;
  return (i1 << 1) | i0;
}

typedef struct
{
  guint32 key;
  guint32 item;
} Keyed;

static int
compare_keyed (gconstpointer a,
               gconstpointer b)
{
  const Keyed *ka = a, *kb = b;

  if (ka->key != kb->key)
    return ka->key < kb->key ? -1 : 1;
  return ka->item < kb->item ? -1 : ka->item > kb->item;
}

/**
 * saban_spatial_index_new:
 * @boxes: (array): 4 doubles per item: min_x, min_y, max_x, max_y
 *
 * Returns: (transfer full): an index over the items 0 … @n_items - 1
 */
SabanSpatialIndex *
saban_spatial_index_new (const double *boxes,
                         guint32       n_items)
{
  SabanSpatialIndex *self = g_new0 (SabanSpatialIndex, 1);
  double ext[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };
  g_autofree Keyed *keyed = NULL;
  GArray *ends = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint32 n_nodes = n_items, start = 0, end = n_items;

  for (guint32 n = n_items; n > 1; )
    {
      n = (n + NODE_SIZE - 1) / NODE_SIZE;
      n_nodes += n;
    }

  self->n_items = n_items;
  self->n_nodes = n_nodes;
  self->boxes = g_new (double, 4 * (gsize) MAX (n_nodes, 1));
  self->indices = g_new (guint32, MAX (n_nodes, 1));

  for (guint32 i = 0; i < n_items; i++)
    {
      const double *b = boxes + 4 * (gsize) i;
      ext[0] = MIN (ext[0], b[0]);
      ext[1] = MIN (ext[1], b[1]);
      ext[2] = MAX (ext[2], b[2]);
      ext[3] = MAX (ext[3], b[3]);
    }

  keyed = g_new (Keyed, MAX (n_items, 1));
  for (guint32 i = 0; i < n_items; i++)
    {
      const double *b = boxes + 4 * (gsize) i;
      double w = ext[2] - ext[0], h = ext[3] - ext[1];
      guint32 hx = w > 0 ? (guint32) (65535.0 * ((b[0] + b[2]) / 2 - ext[0]) / w) : 0;
      guint32 hy = h > 0 ? (guint32) (65535.0 * ((b[1] + b[3]) / 2 - ext[1]) / h) : 0;

      keyed[i].key = hilbert (hx, hy);
      keyed[i].item = i;
    }
  qsort (keyed, n_items, sizeof (Keyed), compare_keyed);

  for (guint32 i = 0; i < n_items; i++)
    {
      memcpy (self->boxes + 4 * (gsize) i, boxes + 4 * (gsize) keyed[i].item, 4 * sizeof (double));
      self->indices[i] = keyed[i].item;
    }

  /* Each level's nodes bound NODE_SIZE consecutive nodes of the level below;
   * an inner node's index is the position of its first child. */
  g_array_append_val (ends, end);
  while (end - start > 1)
    {
      guint32 pos = end;

      for (guint32 i = start; i < end; i += NODE_SIZE)
        {
          double nb[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };

          for (guint32 j = i; j < MIN (i + NODE_SIZE, end); j++)
            {
              const double *b = self->boxes + 4 * (gsize) j;
              nb[0] = MIN (nb[0], b[0]);
              nb[1] = MIN (nb[1], b[1]);
              nb[2] = MAX (nb[2], b[2]);
              nb[3] = MAX (nb[3], b[3]);
            }
          memcpy (self->boxes + 4 * (gsize) pos, nb, sizeof nb);
          self->indices[pos] = i;
          pos++;
        }
      start = end;
      end = pos;
      g_array_append_val (ends, end);
    }
  g_assert (end == n_nodes);

  self->n_levels = ends->len;
  self->level_ends = (guint32 *) g_array_free (ends, FALSE);
  return self;
}

static gboolean
overlaps (const double *b,
          double        min_x,
          double        min_y,
          double        max_x,
          double        max_y)
{
  return b[0] <= max_x && b[1] <= max_y && b[2] >= min_x && b[3] >= min_y;
}

/**
 * saban_spatial_index_query:
 *
 * Calls @func for every item whose box meets the query box, in no set order.
 */
void
saban_spatial_index_query (const SabanSpatialIndex *self,
                           double                   min_x,
                           double                   min_y,
                           double                   max_x,
                           double                   max_y,
                           SabanSpatialIndexFunc    func,
                           gpointer                 user_data)
{
  guint32 stack[64 * NODE_SIZE];
  guint depth = 0;

  if (self->n_items == 0)
    return;

  /* The stack holds (node position, level) pairs. */
  stack[depth++] = self->n_nodes - 1;
  stack[depth++] = self->n_levels - 1;

  while (depth > 0)
    {
      guint level = stack[--depth];
      guint32 node = stack[--depth];
      guint32 first, end;

      if (level == 0)
        {
          /* The root is a leaf only when the tree holds one item. */
          if (overlaps (self->boxes + 4 * (gsize) node, min_x, min_y, max_x, max_y) &&
              !func (self->indices[node], user_data))
            return;
          continue;
        }
      if (!overlaps (self->boxes + 4 * (gsize) node, min_x, min_y, max_x, max_y))
        continue;

      first = self->indices[node];
      end = MIN (first + NODE_SIZE, self->level_ends[level - 1]);
      for (guint32 child = first; child < end; child++)
        {
          if (level - 1 == 0)
            {
              if (overlaps (self->boxes + 4 * (gsize) child, min_x, min_y, max_x, max_y) &&
                  !func (self->indices[child], user_data))
                return;
            }
          else
            {
              stack[depth++] = child;
              stack[depth++] = level - 1;
            }
        }
    }
}

guint32
saban_spatial_index_get_n_items (const SabanSpatialIndex *self)
{
  return self->n_items;
}

void
saban_spatial_index_free (SabanSpatialIndex *self)
{
  g_free (self->boxes);
  g_free (self->indices);
  g_free (self->level_ends);
  g_free (self);
}
