#pragma once

#include <shumate/shumate.h>

#include "saban-layer.h"
#include "saban-layer-style.h"
#include "saban-vector-layer.h"

G_BEGIN_DECLS

#define SABAN_TYPE_TILE_SOURCE (saban_tile_source_get_type ())

G_DECLARE_FINAL_TYPE (SabanTileSource, saban_tile_source, SABAN, TILE_SOURCE, ShumateMapSource)

SabanTileSource  *saban_tile_source_new         (SabanVectorLayer *layer,
                                                 SabanLayerStyle  *style);
SabanTileSource  *saban_tile_source_new_composite (SabanLayer      **layers,
                                                   guint             n);
guint             saban_tile_source_get_pending (SabanTileSource  *self);
GdkTexture       *saban_tile_source_render      (SabanTileSource  *self,
                                                 guint             x,
                                                 guint             y,
                                                 guint             zoom,
                                                 guint             size);
gboolean          saban_tile_source_render_into (SabanTileSource  *self,
                                                 guint             x,
                                                 guint             y,
                                                 guint             zoom,
                                                 guint             size,
                                                 guint8           *data,
                                                 gsize             stride);
void              saban_tile_source_draw        (SabanTileSource  *self,
                                                 cairo_t          *cr,
                                                 double            min_x,
                                                 double            max_y,
                                                 double            extent,
                                                 guint             zoom,
                                                 guint             size,
                                                 GPtrArray        *coarse);
void              saban_tile_source_set_ignore_min_zoom (SabanTileSource *self,
                                                         gboolean         ignore);
void              saban_tile_source_set_cairo_tiles (SabanTileSource *self,
                                                     gboolean         cairo_tiles);
void              saban_tile_source_suit_window (ShumateMapLayer *layer,
                                                 GtkWidget       *widget);

G_END_DECLS
