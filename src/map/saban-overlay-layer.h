#pragma once

#include <shumate/shumate.h>

#include "saban-vector-layer.h"

G_BEGIN_DECLS

#define SABAN_TYPE_OVERLAY_LAYER (saban_overlay_layer_get_type ())

G_DECLARE_FINAL_TYPE (SabanOverlayLayer, saban_overlay_layer, SABAN, OVERLAY_LAYER, ShumateLayer)

SabanOverlayLayer *saban_overlay_layer_new           (ShumateViewport   *viewport);
void               saban_overlay_layer_set_selection (SabanOverlayLayer *self,
                                                      SabanVectorLayer  *layer,
                                                      gint64             feature);
void               saban_overlay_layer_set_sketch    (SabanOverlayLayer *self,
                                                      const double      *xy,
                                                      guint              n_points,
                                                      gboolean           closed);
void               saban_overlay_layer_set_area      (SabanOverlayLayer *self,
                                                      GArray            *xy,
                                                      GArray            *ring_starts);

G_END_DECLS
