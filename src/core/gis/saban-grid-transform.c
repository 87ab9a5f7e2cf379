/* saban-grid-transform.c: a fast approximation of a SabanTransform over a
 * known extent.
 *
 * Exact PROJ runs at 1–2 M points/s here (VN-2000 TM-3 → Web Mercator is
 * three steps: inverse TM, a Helmert shift through geocentric coordinates,
 * Mercator). Over a province-sized extent the mapping is so smooth that
 * bilinear interpolation in a grid of exact results is centimetre-true and
 * a hundred times faster. The grid's nodes come from a 4× coarser grid of
 * exact results by cubic interpolation, so building it costs a few thousand
 * PROJ calls. It is built lazily, on the first batch large enough to pay for
 * it, and refined until the error measured against exact PROJ at scattered
 * points and at probes in a sample of cells (edge middles, where bilinear
 * interpolation errs most here) is within SABAN_GRID_TRANSFORM_TOLERANCE. Points outside the grid, and every point
 * when no grid meets the tolerance, go through exact PROJ.
 */
#include "saban-grid-transform.h"

#include <math.h>
#include <string.h>

/* Below this many points in all a layer is cheaper exact than a grid is to
 * build; counted over every call, so small batches of a large layer (the
 * reader's batches of point features) still get the grid. */
#define MIN_POINTS_FOR_GRID 32768
#define FIRST_CELLS 128
#define MAX_CELLS 1024
#define COARSE_DIVISOR 4
/* Cells sampled per side when checking, and scattered check points. */
#define CHECK_CELLS 16
#define CHECK_RANDOM 4096

typedef enum
{
  GRID_UNBUILT,
  GRID_READY,
  GRID_EXACT_ONLY,
} GridState;

struct _SabanGridTransform
{
  SabanTransform *exact;   /* borrowed: outlives the grid */
  double min_x, min_y, max_x, max_y;
  GridState state;
  gsize points_seen;       /* over every call, until the grid is built */
  guint cells;             /* per side; nodes are (cells + 1)² */
  double inv_dx, inv_dy;
  double *nodes;           /* (x, y) after the transform, row-major from min_y */
  double max_error;
};

/**
 * saban_grid_transform_new:
 * @exact: (transfer none): the transform to approximate; must outlive the grid
 *
 * Covers the box (@min_x, @min_y)–(@max_x, @max_y) in source coordinates,
 * padded by 1 % so points on the edge of a layer's stored extent fall in.
 *
 * Returns: (transfer full): the grid transform (not built yet)
 */
SabanGridTransform *
saban_grid_transform_new (SabanTransform *exact,
                          double          min_x,
                          double          min_y,
                          double          max_x,
                          double          max_y)
{
  SabanGridTransform *self = g_new0 (SabanGridTransform, 1);
  double pad_x = MAX ((max_x - min_x) * 0.01, 1.0);
  double pad_y = MAX ((max_y - min_y) * 0.01, 1.0);

  self->exact = exact;
  self->state = GRID_UNBUILT;
  if (!isfinite (min_x) || !isfinite (min_y) || !isfinite (max_x) || !isfinite (max_y) ||
      max_x < min_x || max_y < min_y)
    {
      self->state = GRID_EXACT_ONLY;
      return self;
    }
  self->min_x = min_x - pad_x;
  self->min_y = min_y - pad_y;
  self->max_x = max_x + pad_x;
  self->max_y = max_y + pad_y;
  return self;
}

static inline void
interpolate (const SabanGridTransform *self,
             double                   *p)
{
  double fx = (p[0] - self->min_x) * self->inv_dx;
  double fy = (p[1] - self->min_y) * self->inv_dy;
  guint ix = MIN ((guint) fx, self->cells - 1);
  guint iy = MIN ((guint) fy, self->cells - 1);
  double tx = fx - ix, ty = fy - iy;
  const double *a = self->nodes + 2 * ((gsize) iy * (self->cells + 1) + ix);
  const double *b = a + 2 * (self->cells + 1);

  for (int k = 0; k < 2; k++)
    {
      double lo = a[k] + tx * (a[2 + k] - a[k]);
      double hi = b[k] + tx * (b[2 + k] - b[k]);
      p[k] = lo + ty * (hi - lo);
    }
}

/* Where a cell's bilinear error is checked, as fractions of the cell. The
 * centre alone is not enough: a conformal mapping's coordinates are harmonic
 * (f_xx + f_yy = 0), so the error there nearly cancels, while it peaks at the
 * middle of the edges. */
static const double probes[][2] = {
  { 0.5, 0.0 }, { 0.0, 0.5 }, { 0.5, 0.5 }, { 0.25, 0.75 }, { 0.75, 0.25 },
};

static inline void
catmull_rom (double t,
             double w[4])
{
  double t2 = t * t, t3 = t2 * t;

  w[0] = (-t3 + 2 * t2 - t) / 2;
  w[1] = (3 * t3 - 5 * t2 + 2) / 2;
  w[2] = (-3 * t3 + 4 * t2 + t) / 2;
  w[3] = (t3 - t2) / 2;
}

/* The nodes of a fine grid of @cells per side, without calling PROJ for
 * each: exact results on a grid COARSE_DIVISOR times coarser (plus a ring of
 * cells outside, for the cubic's neighbours), Catmull-Rom interpolated. The
 * cubic's error at this spacing is millimetres; PROJ calls drop 16-fold. */
static double *
fine_nodes (SabanGridTransform *self,
            guint               cells)
{
  guint coarse = cells / COARSE_DIVISOR, m = coarse + 3, n = cells + 1;
  double cdx = (self->max_x - self->min_x) / coarse, cdy = (self->max_y - self->min_y) / coarse;
  g_autofree double *exact = g_new (double, 2 * (gsize) m * m);
  double *nodes = g_new (double, 2 * (gsize) n * n);

  for (guint j = 0; j < m; j++)
    for (guint i = 0; i < m; i++)
      {
        exact[2 * ((gsize) j * m + i)] = self->min_x + ((double) i - 1) * cdx;
        exact[2 * ((gsize) j * m + i) + 1] = self->min_y + ((double) j - 1) * cdy;
      }
  if (!saban_transform_points (self->exact, exact, (gsize) m * m))
    {
      g_free (nodes);
      return NULL;
    }
  for (guint j = 0; j < n; j++)
    for (guint i = 0; i < n; i++)
      {
        guint ci = MIN (i / COARSE_DIVISOR, coarse - 1), cj = MIN (j / COARSE_DIVISOR, coarse - 1);
        double wx[4], wy[4];
        double *out = nodes + 2 * ((gsize) j * n + i);

        catmull_rom ((double) i / COARSE_DIVISOR - ci, wx);
        catmull_rom ((double) j / COARSE_DIVISOR - cj, wy);
        out[0] = out[1] = 0;
        for (guint b = 0; b < 4; b++)
          for (guint a = 0; a < 4; a++)
            {
              const double *e = exact + 2 * ((gsize) (cj + b) * m + ci + a);
              out[0] += wy[b] * wx[a] * e[0];
              out[1] += wy[b] * wx[a] * e[1];
            }
      }
  return nodes;
}

/* A grid of @cells per side, then its worst error against exact PROJ at the
 * probes of every CHECK_STRIDE-th cell each way and at CHECK_RANDOM
 * scattered points. FALSE when PROJ fails anywhere in the extent. */
static gboolean
try_grid (SabanGridTransform *self,
          guint               cells)
{
  guint stride = MAX (1, cells / CHECK_CELLS);
  guint sampled = (cells + stride - 1) / stride;
  gsize n_check = (gsize) sampled * sampled * G_N_ELEMENTS (probes) + CHECK_RANDOM;
  g_autofree double *nodes = fine_nodes (self, cells);
  g_autofree double *check = g_new (double, 2 * n_check);
  g_autofree double *approx = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (cells);
  double dx = (self->max_x - self->min_x) / cells, dy = (self->max_y - self->min_y) / cells;
  double worst = 0;
  gsize k = 0;

  if (nodes == NULL)
    return FALSE;
  for (guint j = 0; j < cells; j += stride)
    for (guint i = 0; i < cells; i += stride)
      for (gsize q = 0; q < G_N_ELEMENTS (probes); q++, k++)
        {
          check[2 * k] = self->min_x + (i + probes[q][0]) * dx;
          check[2 * k + 1] = self->min_y + (j + probes[q][1]) * dy;
        }
  for (; k < n_check; k++)
    {
      check[2 * k] = g_rand_double_range (rand, self->min_x, self->max_x);
      check[2 * k + 1] = g_rand_double_range (rand, self->min_y, self->max_y);
    }
  approx = g_memdup2 (check, 2 * sizeof (double) * n_check);
  if (!saban_transform_points (self->exact, check, n_check))
    return FALSE;

  g_free (self->nodes);
  self->nodes = g_steal_pointer (&nodes);
  self->cells = cells;
  self->inv_dx = 1 / dx;
  self->inv_dy = 1 / dy;
  for (k = 0; k < n_check; k++)
    {
      interpolate (self, approx + 2 * k);
      worst = MAX (worst, hypot (approx[2 * k] - check[2 * k], approx[2 * k + 1] - check[2 * k + 1]));
    }
  self->max_error = worst;
  return isfinite (worst);
}

/**
 * saban_grid_transform_build:
 *
 * Builds the grid now rather than on the first large batch.
 *
 * Returns: %TRUE if a grid within the tolerance exists; %FALSE if every
 *   point will go through exact PROJ
 */
gboolean
saban_grid_transform_build (SabanGridTransform *self)
{
  if (self->state != GRID_UNBUILT)
    return self->state == GRID_READY;

  self->state = GRID_EXACT_ONLY;
  for (guint cells = FIRST_CELLS; cells <= MAX_CELLS; cells *= 2)
    {
      if (!try_grid (self, cells))
        break;
      if (self->max_error <= SABAN_GRID_TRANSFORM_TOLERANCE)
        {
          self->state = GRID_READY;
          break;
        }
    }
  if (self->state != GRID_READY)
    g_clear_pointer (&self->nodes, g_free);
  return self->state == GRID_READY;
}

/**
 * saban_grid_transform_points:
 * @xy: (inout) (array): interleaved x, y in the source CRS
 *
 * Transforms in place like saban_transform_points(): through the grid inside
 * its extent, exactly outside it.
 *
 * Returns: %FALSE if any point could not be transformed
 */
gboolean
saban_grid_transform_points (SabanGridTransform *self,
                             double             *xy,
                             gsize               n_points)
{
  g_autoptr(GArray) outside = NULL;   /* indices of points the grid misses */
  g_autofree double *exact = NULL;
  gboolean ok = TRUE;

  self->points_seen += n_points;
  if (self->state == GRID_UNBUILT && self->points_seen >= MIN_POINTS_FOR_GRID)
    saban_grid_transform_build (self);
  if (self->state != GRID_READY)
    return saban_transform_points (self->exact, xy, n_points);

  outside = g_array_new (FALSE, FALSE, sizeof (gsize));
  for (gsize i = 0; i < n_points; i++)
    {
      double *p = xy + 2 * i;

      /* Written so NaN fails the test and goes to PROJ too. */
      if (p[0] >= self->min_x && p[0] <= self->max_x && p[1] >= self->min_y && p[1] <= self->max_y)
        interpolate (self, p);
      else
        g_array_append_val (outside, i);
    }
  if (outside->len == 0)
    return TRUE;

  exact = g_new (double, 2 * (gsize) outside->len);
  for (guint k = 0; k < outside->len; k++)
    {
      gsize i = g_array_index (outside, gsize, k);
      exact[2 * k] = xy[2 * i];
      exact[2 * k + 1] = xy[2 * i + 1];
    }
  ok = saban_transform_points (self->exact, exact, outside->len);
  for (guint k = 0; k < outside->len; k++)
    {
      gsize i = g_array_index (outside, gsize, k);
      xy[2 * i] = exact[2 * k];
      xy[2 * i + 1] = exact[2 * k + 1];
    }
  return ok;
}

/**
 * saban_grid_transform_get_size:
 *
 * Returns: cells per side of the grid in use, or 0 when there is none
 */
guint
saban_grid_transform_get_size (SabanGridTransform *self)
{
  return self->state == GRID_READY ? self->cells : 0;
}

/**
 * saban_grid_transform_get_max_error:
 *
 * Returns: the worst error found at the probes when built, in target units
 */
double
saban_grid_transform_get_max_error (SabanGridTransform *self)
{
  return self->state == GRID_READY ? self->max_error : 0;
}

void
saban_grid_transform_free (SabanGridTransform *self)
{
  g_free (self->nodes);
  g_free (self);
}
