#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

/* Web Mercator metres to a map layer's widget pixels for one frame: the
 * viewport is asked twice (~0.5 µs a call), then each point costs two
 * multiplications. */
typedef struct
{
  double ox, oy;    /* widget position of Mercator (cx, cy) */
  double cx, cy;
  double sx, sy;    /* pixels per Mercator metre */
} SabanMapTransform;

gboolean saban_map_transform_init (SabanMapTransform *transform,
                                   ShumateViewport   *viewport,
                                   GtkWidget         *widget);

static inline void
saban_map_transform_apply (const SabanMapTransform *t,
                           double                   mx,
                           double                   my,
                           double                  *x,
                           double                  *y)
{
  *x = t->ox + (mx - t->cx) * t->sx;
  *y = t->oy + (my - t->cy) * t->sy;
}

G_END_DECLS
