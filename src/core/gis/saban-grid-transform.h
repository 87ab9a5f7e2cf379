#pragma once

#include <glib.h>

#include "saban-transform.h"

G_BEGIN_DECLS

typedef struct _SabanGridTransform SabanGridTransform;

/* Largest error the grid is allowed against exact PROJ, measured when built. */
#define SABAN_GRID_TRANSFORM_TOLERANCE 0.02

SabanGridTransform *saban_grid_transform_new            (SabanTransform     *exact,
                                                         double              min_x,
                                                         double              min_y,
                                                         double              max_x,
                                                         double              max_y);
gboolean            saban_grid_transform_points         (SabanGridTransform *self,
                                                         double             *xy,
                                                         gsize               n_points);
gboolean            saban_grid_transform_build          (SabanGridTransform *self);
guint               saban_grid_transform_get_size       (SabanGridTransform *self);
double              saban_grid_transform_get_max_error  (SabanGridTransform *self);
void                saban_grid_transform_free           (SabanGridTransform *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SabanGridTransform, saban_grid_transform_free)

G_END_DECLS
