/* saban-scanline.c: a plain scanline filler for small polygons.
 *
 * At district and province scale a tile holds thousands of parcels a few
 * pixels across; cairo builds, tessellates and anti-aliases a path for each,
 * at 0.3–0.6 M segments a second here. Filling each pixel whose centre lies
 * inside (even-odd, so holes and multi-part features need no orientation)
 * and drawing outlines one pixel wide, at the stroke's coverage, is many
 * times cheaper and, at a few pixels a feature, looks the same: what matters
 * there is that every parcel has its colour. Larger features stay with cairo.
 */
#include "saban-scanline.h"

#include <math.h>

/**
 * saban_scanline_init:
 * @data: the first pixel of an ARGB32 image, flushed if cairo draws it too
 * @stride: bytes from one row to the next, a multiple of 4
 */
void
saban_scanline_init (SabanScanline *self,
                     guint8        *data,
                     int            width,
                     int            height,
                     gsize          stride)
{
  self->pixels = (guint32 *) data;
  self->width = width;
  self->height = height;
  self->stride = (int) (stride / 4);
}

/**
 * saban_scanline_color:
 * @coverage: the share of a pixel the paint covers, 0–1
 *
 * Returns: @rgba as a premultiplied ARGB32 pixel
 */
guint32
saban_scanline_color (const GdkRGBA *rgba,
                      double         coverage)
{
  double a = CLAMP (rgba->alpha * coverage, 0, 1);

  return (guint32) lround (a * 255) << 24 |
         (guint32) lround (CLAMP (rgba->red, 0, 1) * a * 255) << 16 |
         (guint32) lround (CLAMP (rgba->green, 0, 1) * a * 255) << 8 |
         (guint32) lround (CLAMP (rgba->blue, 0, 1) * a * 255);
}

/* @src over @dst, both premultiplied: two channels at a time, each product
 * divided by 255 exactly rounded. */
static inline guint32
over (guint32 src,
      guint32 dst)
{
  guint32 ia = 255 - (src >> 24);
  guint32 rb = (dst & 0x00ff00ff) * ia + 0x00800080;
  guint32 ag = ((dst >> 8) & 0x00ff00ff) * ia + 0x00800080;

  rb = ((rb + ((rb >> 8) & 0x00ff00ff)) >> 8) & 0x00ff00ff;
  ag = ((ag + ((ag >> 8) & 0x00ff00ff)) >> 8) & 0x00ff00ff;
  return src + (rb | ag << 8);
}

static inline void
span (const SabanScanline *self,
      int                  y,
      int                  x0,
      int                  x1,
      guint32              color)
{
  guint32 *row = self->pixels + (gsize) y * self->stride;

  x0 = MAX (x0, 0);
  x1 = MIN (x1, self->width);
  if (color >> 24 == 255)
    for (int x = x0; x < x1; x++)
      row[x] = color;
  else
    for (int x = x0; x < x1; x++)
      row[x] = over (color, row[x]);
}

/**
 * saban_scanline_pixel:
 *
 * Paints pixel (@x, @y) with @color over what it holds; outside the image,
 * nothing.
 */
void
saban_scanline_pixel (const SabanScanline *self,
                      int                  x,
                      int                  y,
                      guint32              color)
{
  if (x >= 0 && y >= 0 && x < self->width && y < self->height)
    span (self, y, x, x + 1, color);
}

/**
 * saban_scanline_fill:
 * @xy: (array): the rings' points in pixels, x and y interleaved, at most
 *   %SABAN_SCANLINE_MAX_POINTS; a ring may or may not repeat its first point
 * @ring_ends: (array length=n_rings): the index of the point after each ring
 *
 * Paints every pixel whose centre is inside the rings (even-odd).
 */
void
saban_scanline_fill (const SabanScanline *self,
                     const double        *xy,
                     const guint         *ring_ends,
                     guint                n_rings,
                     guint32              color)
{
  guint n = n_rings > 0 ? ring_ends[n_rings - 1] : 0;
  double min_y = G_MAXDOUBLE, max_y = -G_MAXDOUBLE;
  int row0, row1;

  g_return_if_fail (n <= SABAN_SCANLINE_MAX_POINTS);
  for (guint i = 0; i < n; i++)
    {
      min_y = MIN (min_y, xy[2 * i + 1]);
      max_y = MAX (max_y, xy[2 * i + 1]);
    }
  row0 = (int) MAX (ceil (min_y - 0.5), 0);
  row1 = (int) MIN (floor (max_y - 0.5), self->height - 1);

  for (int row = row0; row <= row1; row++)
    {
      double yc = row + 0.5;
      double xs[SABAN_SCANLINE_MAX_POINTS];
      guint n_xs = 0, start = 0;

      for (guint r = 0; r < n_rings; start = ring_ends[r++])
        for (guint i = start; i < ring_ends[r]; i++)
          {
            guint j = i + 1 < ring_ends[r] ? i + 1 : start;
            double ya = xy[2 * i + 1], yb = xy[2 * j + 1];

            if ((ya <= yc) != (yb <= yc))
              {
                double x = xy[2 * i] + (yc - ya) * (xy[2 * j] - xy[2 * i]) / (yb - ya);
                guint k = n_xs++;

                /* Insertion: a row of a small polygon crosses a few edges. */
                for (; k > 0 && xs[k - 1] > x; k--)
                  xs[k] = xs[k - 1];
                xs[k] = x;
              }
          }
      for (guint k = 0; k + 1 < n_xs; k += 2)
        span (self, row, (int) ceil (xs[k] - 0.5), (int) ceil (xs[k + 1] - 0.5), color);
    }
}

/**
 * saban_scanline_line:
 *
 * A line one pixel wide from (@x0, @y0) up to, not including, (@x1, @y1):
 * the rings of a polygon paint each vertex once.
 */
void
saban_scanline_line (const SabanScanline *self,
                     double               x0,
                     double               y0,
                     double               x1,
                     double               y1,
                     guint32              color)
{
  double dx = x1 - x0, dy = y1 - y0;
  int steps = (int) ceil (MAX (fabs (dx), fabs (dy)));

  for (int i = 0; i < steps; i++)
    saban_scanline_pixel (self, (int) floor (x0 + dx * i / steps), (int) floor (y0 + dy * i / steps), color);
}
