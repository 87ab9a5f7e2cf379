#pragma once

#include <shumate/shumate.h>

#include "saban-layer.h"

G_BEGIN_DECLS

#define SABAN_TYPE_SWIPE_LAYER (saban_swipe_layer_get_type ())

G_DECLARE_FINAL_TYPE (SabanSwipeLayer, saban_swipe_layer, SABAN, SWIPE_LAYER, ShumateLayer)

SabanSwipeLayer *saban_swipe_layer_new          (ShumateViewport *viewport,
                                                 SabanLayer      *layer);
SabanLayer      *saban_swipe_layer_get_layer    (SabanSwipeLayer *self);
double           saban_swipe_layer_get_position (SabanSwipeLayer *self);
void             saban_swipe_layer_set_position (SabanSwipeLayer *self,
                                                 double           position);

G_END_DECLS
