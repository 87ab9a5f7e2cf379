#pragma once

#include <gdk/gdk.h>

G_BEGIN_DECLS

/* A premultiplied ARGB32 image (cairo's CAIRO_FORMAT_ARGB32, native endian)
 * that small polygons are drawn into directly, without anti-aliasing. */
typedef struct
{
  guint32 *pixels;
  int width;
  int height;
  int stride;   /* in pixels */
} SabanScanline;

/* The most vertices saban_scanline_fill() takes from one feature. */
#define SABAN_SCANLINE_MAX_POINTS 64

void    saban_scanline_init     (SabanScanline       *self,
                                 guint8              *data,
                                 int                  width,
                                 int                  height,
                                 gsize                stride);
guint32 saban_scanline_color    (const GdkRGBA       *rgba,
                                 double               coverage);
void    saban_scanline_pixel    (const SabanScanline *self,
                                 int                  x,
                                 int                  y,
                                 guint32              color);
void    saban_scanline_fill     (const SabanScanline *self,
                                 const double        *xy,
                                 const guint         *ring_ends,
                                 guint                n_rings,
                                 guint32              color);
void    saban_scanline_line     (const SabanScanline *self,
                                 double               x0,
                                 double               y0,
                                 double               x1,
                                 double               y1,
                                 guint32              color);

G_END_DECLS
