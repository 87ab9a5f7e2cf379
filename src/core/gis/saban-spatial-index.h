#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SabanSpatialIndex SabanSpatialIndex;

/* Receives each item whose box meets the query; return FALSE to stop. */
typedef gboolean (*SabanSpatialIndexFunc) (guint32 item, gpointer user_data);

SabanSpatialIndex *saban_spatial_index_new    (const double          *boxes,
                                               guint32                n_items);
void               saban_spatial_index_query  (const SabanSpatialIndex *self,
                                               double                 min_x,
                                               double                 min_y,
                                               double                 max_x,
                                               double                 max_y,
                                               SabanSpatialIndexFunc  func,
                                               gpointer               user_data);
guint32            saban_spatial_index_get_n_items (const SabanSpatialIndex *self);
void               saban_spatial_index_free   (SabanSpatialIndex     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SabanSpatialIndex, saban_spatial_index_free)

G_END_DECLS
