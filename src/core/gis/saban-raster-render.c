/* saban-raster-render.c: a raster drawn into one map tile.
 *
 * A tile is warped by hand rather than by GDAL's warper: the raster's pixel
 * position is computed exactly (PROJ) on a grid every 32 pixels of the tile
 * and interpolated in between — within a small fraction of a pixel for any
 * CRS over 32 pixels — and the pixels are then picked from one RasterIO of
 * the source window, from the overview nearest the tile's scale. So a tile
 * costs about the same at every zoom, and nothing but that window is read.
 */
#include "saban-raster-layer-private.h"
#include "saban-hillshade.h"

#include <math.h>
#include <string.h>

/* Grid step, in tile pixels, of exact PROJ positions. */
#define GRID_STEP 32

/* One tile being drawn: where each of its pixels falls in the raster. */
typedef struct
{
  guint n;              /* pixels per side, margin included */
  guint n_nodes;        /* grid nodes per side */
  double *nodes;        /* n_nodes² × (column, line) in the raster; NAN outside PROJ's reach */
  int level;            /* the overview read, -1 for the full resolution */
  int win[4];           /* the window read, in that level's pixels: x, y, width, height */
  guint buf_w, buf_h;   /* what it was read into */
  double ox, oy;        /* the buffer's origin, in full-resolution pixels */
  double fx, fy;        /* full-resolution pixels per buffer pixel */
} Warp;

static double
node_at (guint k,
         guint n)
{
  return MIN ((double) k * GRID_STEP, (double) n);
}

/* The coarsest overview still at least as fine as the tile (@scale raster
 * pixels a tile pixel), read pixel for pixel: GDAL copies decoded blocks
 * instead of resampling. Coarser than every overview, GDAL reduces the
 * coarsest one to about a raster pixel a tile pixel. */
static void
choose_level (SabanRasterLayer  *self,
              SabanRasterReader *r,
              Warp              *w,
              double             scale,
              double             lo_x,
              double             lo_y,
              double             hi_x,
              double             hi_y)
{
  GDALRasterBandH first = GDALGetRasterBand (r->ds, 1);
  double f = 1, fy = 1, rel;
  int level_w = (int) self->width, level_h = (int) self->height;

  w->level = -1;
  for (int k = 0; k < GDALGetOverviewCount (first); k++)
    {
      GDALRasterBandH ovr = GDALGetOverview (first, k);
      double kf = (double) self->width / GDALGetRasterBandXSize (ovr);

      if (kf <= scale && kf > f)
        {
          w->level = k;
          f = kf;
          fy = (double) self->height / GDALGetRasterBandYSize (ovr);
          level_w = GDALGetRasterBandXSize (ovr);
          level_h = GDALGetRasterBandYSize (ovr);
        }
    }
  w->win[0] = (int) floor (lo_x / f);
  w->win[1] = (int) floor (lo_y / fy);
  w->win[2] = MIN ((int) ceil (hi_x / f), level_w) - w->win[0];
  w->win[3] = MIN ((int) ceil (hi_y / fy), level_h) - w->win[1];
  rel = MAX (scale / f, 1);
  /* at most 2 level pixels a tile pixel read as they are */
  w->buf_w = (guint) MAX (1, rel < 2 ? w->win[2] : ceil (w->win[2] / rel));
  w->buf_h = (guint) MAX (1, rel < 2 ? w->win[3] : ceil (w->win[3] / rel));
  w->ox = w->win[0] * f;
  w->oy = w->win[1] * fy;
  w->fx = w->win[2] * f / w->buf_w;
  w->fy = w->win[3] * fy / w->buf_h;
}

/* Exact positions on the grid; the window they need; FALSE when the tile
 * misses the raster. */
static gboolean
warp_plan (SabanRasterLayer *self,
           SabanRasterReader           *r,
           Warp             *w,
           double            min_x,
           double            max_y,
           double            pixel,
           guint             margin)
{
  double lo_x = G_MAXDOUBLE, lo_y = G_MAXDOUBLE, hi_x = -G_MAXDOUBLE, hi_y = -G_MAXDOUBLE;
  double scale = 0;
  guint nn;

  w->n_nodes = (w->n + GRID_STEP - 1) / GRID_STEP + 1;
  nn = w->n_nodes * w->n_nodes;
  w->nodes = g_new (double, 2 * nn);
  for (guint j = 0; j < w->n_nodes; j++)
    for (guint i = 0; i < w->n_nodes; i++)
      {
        w->nodes[2 * (j * w->n_nodes + i)] = min_x + (node_at (i, w->n) - margin) * pixel;
        w->nodes[2 * (j * w->n_nodes + i) + 1] = max_y - (node_at (j, w->n) - margin) * pixel;
      }
  saban_transform_points (r->to_source, w->nodes, nn);
  for (guint k = 0; k < nn; k++)
    {
      double x = w->nodes[2 * k], y = w->nodes[2 * k + 1];

      if (!isfinite (x) || !isfinite (y))
        {
          w->nodes[2 * k] = w->nodes[2 * k + 1] = NAN;
          continue;
        }
      GDALApplyGeoTransform (r->inverse, x, y, &w->nodes[2 * k], &w->nodes[2 * k + 1]);
      lo_x = MIN (lo_x, w->nodes[2 * k]);
      hi_x = MAX (hi_x, w->nodes[2 * k]);
      lo_y = MIN (lo_y, w->nodes[2 * k + 1]);
      hi_y = MAX (hi_y, w->nodes[2 * k + 1]);
    }
  /* Raster pixels per tile pixel, the largest between neighbouring nodes. */
  for (guint j = 0; j + 1 < w->n_nodes; j++)
    for (guint i = 0; i + 1 < w->n_nodes; i++)
      {
        const double *a = w->nodes + 2 * (j * w->n_nodes + i), *b = a + 2, *c = a + 2 * w->n_nodes;
        double span = node_at (i + 1, w->n) - node_at (i, w->n);

        if (!isnan (a[0]) && !isnan (b[0]))
          scale = MAX (scale, hypot (b[0] - a[0], b[1] - a[1]) / span);
        if (!isnan (a[0]) && !isnan (c[0]))
          scale = MAX (scale, hypot (c[0] - a[0], c[1] - a[1]) / (node_at (j + 1, w->n) - node_at (j, w->n)));
      }
  lo_x = MAX (floor (lo_x) - 1, 0);
  lo_y = MAX (floor (lo_y) - 1, 0);
  hi_x = MIN (ceil (hi_x) + 1, self->width);
  hi_y = MIN (ceil (hi_y) + 1, self->height);
  if (lo_x >= hi_x || lo_y >= hi_y)
    return FALSE;
  choose_level (self, r, w, scale, lo_x, lo_y, hi_x, hi_y);
  return TRUE;
}

/* The buffer sample under each pixel of row @j, -1 off the raster: the
 * positions at the row's crossing of each grid cell's sides, then steps
 * along the row — two additions a pixel. */
static void
warp_row (const Warp *w,
          guint       j,
          gssize     *samples)
{
  double v = j + 0.5;
  guint cj = MIN ((guint) (v / GRID_STEP), w->n_nodes - 2);
  double y0 = node_at (cj, w->n), t = (v - y0) / (node_at (cj + 1, w->n) - y0);
  double sx = 1 / w->fx, sy = 1 / w->fy;

  for (guint ci = 0; ci + 1 < w->n_nodes; ci++)
    {
      const double *a = w->nodes + 2 * (cj * w->n_nodes + ci), *b = a + 2, *c = a + 2 * w->n_nodes, *d = c + 2;
      double x0 = node_at (ci, w->n), x1 = node_at (ci + 1, w->n);
      double lx = ((1 - t) * a[0] + t * c[0] - w->ox) * sx, ly = ((1 - t) * a[1] + t * c[1] - w->oy) * sy;
      double rx = ((1 - t) * b[0] + t * d[0] - w->ox) * sx, ry = ((1 - t) * b[1] + t * d[1] - w->oy) * sy;
      double dx = (rx - lx) / (x1 - x0), dy = (ry - ly) / (x1 - x0);
      double bx = lx + dx * 0.5, by = ly + dy * 0.5;
      gboolean known = !isnan (lx) && !isnan (ly) && !isnan (rx) && !isnan (ry);

      for (guint i = (guint) x0; i < (guint) x1; i++, bx += dx, by += dy)
        samples[i] = known && bx >= 0 && by >= 0 && bx < w->buf_w && by < w->buf_h
                     ? (gssize) by * w->buf_w + (gssize) bx : -1;
    }
}

static GDALRasterBandH
level_band (SabanRasterReader *r,
            const Warp        *w,
            int                band)
{
  GDALRasterBandH full = GDALGetRasterBand (r->ds, band);

  return w->level < 0 ? full : GDALGetOverview (full, w->level);
}

static gboolean
read_window (SabanRasterReader      *r,
             const Warp  *w,
             GDALDataType type,
             int          n_bands,
             int         *band_map,
             gpointer     buffer)
{
  int size = GDALGetDataTypeSizeBytes (type);

  /* pixel-interleaved, as orthophotos are stored: a block decoded for one
   * band is in GDAL's cache for the others */
  for (int b = 0; b < n_bands; b++)
    if (GDALRasterIOEx (level_band (r, w, band_map[b]), GF_Read, w->win[0], w->win[1], w->win[2], w->win[3],
                        (guint8 *) buffer + b * size, (int) w->buf_w, (int) w->buf_h, type,
                        (GSpacing) size * n_bands, (GSpacing) size * n_bands * w->buf_w, NULL) != CE_None)
      return FALSE;
  return TRUE;
}

/* The mask GDAL derives from nodata, alpha or a mask band; NULL: all valid. */
static guint8 *
read_mask (SabanRasterLayer *self,
           SabanRasterReader           *r,
           const Warp       *w)
{
  GDALRasterBandH mask = GDALGetMaskBand (level_band (r, w, 1));
  guint8 *valid;

  if (self->all_valid && r->ds == r->source)
    return NULL;
  valid = g_malloc ((gsize) w->buf_w * w->buf_h);
  if (GDALRasterIO (mask, GF_Read, w->win[0], w->win[1], w->win[2], w->win[3], valid,
                    (int) w->buf_w, (int) w->buf_h, GDT_Byte, 0, 0) != CE_None)
    memset (valid, 255, (gsize) w->buf_w * w->buf_h);
  return valid;
}

static void
paint_image (SabanRasterLayer *self,
             const Warp       *w,
             const guint8     *pixels,
             const guint8     *valid,
             guint             n_bands,
             guint8           *data,
             gsize             stride,
             gboolean         *drawn)
{
  g_autofree gssize *samples = g_new (gssize, w->n);
  const SabanRasterBand *band = &g_array_index (self->bands, SabanRasterBand, 0);

  for (guint j = 0; j < w->n; j++)
    {
      guint32 *row = (guint32 *) (data + j * stride);

      warp_row (w, j, samples);
      for (guint i = 0; i < w->n; i++)
        {
          gssize s = samples[i];
          guint8 a;

          if (s < 0 || (a = valid != NULL ? valid[s] : 255) == 0)
            continue;
          *drawn = TRUE;
          if (n_bands >= 3)
            row[i] = saban_premultiply (pixels[3 * s], pixels[3 * s + 1], pixels[3 * s + 2], a);
          else if (self->kind == SABAN_RASTER_KIND_PALETTE)
            row[i] = self->palette[pixels[s]];
          else if (self->kind == SABAN_RASTER_KIND_GRAY)
            row[i] = saban_premultiply (pixels[s], pixels[s], pixels[s], a);
          else
            {
              float v = ((const float *) pixels)[s];
              guint8 g = (guint8) CLAMP ((v - band->min) / MAX (band->max - band->min, 1e-9) * 255, 0, 255);

              row[i] = saban_premultiply (g, g, g, a);
            }
        }
    }
}

/* Elevations sampled at the tile's pixels, margin included; then the relief
 * shaded at the tile's ground resolution and, for the tint, coloured. */
static void
paint_relief (SabanRasterLayer *self,
              SabanRasterRender render,
              const Warp       *w,
              const float      *heights,
              const guint8     *valid,
              double            ground,
              guint8           *data,
              gsize             stride,
              gboolean         *drawn)
{
  const SabanRasterBand *band = &g_array_index (self->bands, SabanRasterBand, 0);
  gsize nn = (gsize) w->n * w->n;
  g_autofree float *z = g_new0 (float, nn);
  g_autofree guint8 *ok = g_new0 (guint8, nn);
  g_autofree guint8 *shade = g_new (guint8, nn);
  guint size = w->n - 2;
  g_autofree gssize *samples = g_new (gssize, w->n);

  for (guint j = 0; j < w->n; j++)
    {
      warp_row (w, j, samples);
      for (guint i = 0; i < w->n; i++)
        {
          gssize s = samples[i];

          if (s < 0 || (valid != NULL && valid[s] == 0))
            continue;
          z[j * w->n + i] = heights[s];
          ok[j * w->n + i] = 1;
        }
    }
  saban_hillshade (z, ok, w->n, w->n, ground, ground, 1, shade);
  for (guint j = 0; j < size; j++)
    {
      guint32 *row = (guint32 *) (data + j * stride);

      for (guint i = 0; i < size; i++)
        {
          gsize k = (gsize) (j + 1) * w->n + i + 1;
          guint8 rgb[3];
          double light;

          if (!ok[k])
            continue;
          *drawn = TRUE;
          if (render == SABAN_RASTER_RENDER_HILLSHADE)
            {
              guint8 g = shade[k] != 0 ? shade[k] : 181;   /* flat ground, lit at 45° */

              row[i] = saban_premultiply (g, g, g, 255);
              continue;
            }
          saban_hypsometric_color (z[k], band->min, band->max, rgb);
          /* Ambient light keeps shaded slopes' tints legible. */
          light = shade[k] != 0 ? 0.45 + 0.55 * shade[k] / 255.0 : 1;
          row[i] = saban_premultiply ((guint8) (rgb[0] * light), (guint8) (rgb[1] * light), (guint8) (rgb[2] * light), 255);
        }
    }
}

/**
 * saban_raster_layer_render:
 * @render: how to draw the pixels (a relief only for %SABAN_RASTER_KIND_ELEVATION)
 * @min_x: the tile's west edge, Web Mercator metres
 * @max_y: its north edge
 * @extent: its width and height in metres
 * @size: its width and height in pixels
 * @data: (array): @size rows of premultiplied ARGB32, overwritten where the
 *   raster has data
 * @stride: bytes from one row of @data to the next
 *
 * Draws the raster into one tile, reading only the window under it from
 * the overview nearest its scale. Safe to call from any thread.
 *
 * Returns: whether any pixel was drawn
 */
gboolean
saban_raster_layer_render (SabanRasterLayer *self,
                           SabanRasterRender render,
                           double            min_x,
                           double            max_y,
                           double            extent,
                           guint             size,
                           guint8           *data,
                           gsize             stride)
{
  gboolean relief = self->kind == SABAN_RASTER_KIND_ELEVATION && render != SABAN_RASTER_RENDER_IMAGE;
  guint margin = relief ? 1 : 0;
  g_autoptr(SabanRasterReader) r = NULL;
  g_autoptr(GError) error = NULL;
  guint8 *pixels;
  g_autofree guint8 *valid = NULL;
  Warp w = { .n = size + 2 * margin };
  int band_map[3] = { 1, 2, 3 };
  guint n_bands = self->kind == SABAN_RASTER_KIND_RGB ? 3 : 1;
  GDALDataType type = self->kind == SABAN_RASTER_KIND_ELEVATION ? GDT_Float32 : GDT_Byte;
  gboolean drawn = FALSE;

  g_return_val_if_fail (SABAN_IS_RASTER_LAYER (self), FALSE);

  if (min_x >= self->extent[2] || min_x + extent <= self->extent[0] ||
      max_y <= self->extent[1] || max_y - extent >= self->extent[3])
    return FALSE;
  r = saban_raster_layer_take_reader (self, &error);
  if (r == NULL)
    {
      g_debug ("raster %s: %s", self->name, error->message);
      return FALSE;
    }
  if (warp_plan (self, r, &w, min_x, max_y, extent / size, margin))
    {
      gsize bytes = (gsize) w.buf_w * w.buf_h * n_bands * GDALGetDataTypeSizeBytes (type);

      if (bytes > r->scratch_size)
        {
          g_free (r->scratch);
          r->scratch = g_malloc (bytes);
          r->scratch_size = bytes;
        }
      pixels = r->scratch;
      if (read_window (r, &w, type, (int) n_bands, band_map, pixels))
        {
          valid = read_mask (self, r, &w);
          if (relief)
            paint_relief (self, render, &w, (const float *) pixels, valid,
                          extent / size / cosh ((max_y - extent / 2) / EARTH_RADIUS), data, stride, &drawn);
          else
            paint_image (self, &w, pixels, valid, n_bands, data, stride, &drawn);
        }
    }
  g_free (w.nodes);
  saban_raster_layer_give_back (self, g_steal_pointer (&r));
  return drawn;
}
