#pragma once

#include <shumate/shumate.h>

#include "saban-unit-store.h"

G_BEGIN_DECLS

#define SABAN_TYPE_UNIT_LAYER (saban_unit_layer_get_type ())

G_DECLARE_FINAL_TYPE (SabanUnitLayer, saban_unit_layer, SABAN, UNIT_LAYER, ShumateLayer)

SabanUnitLayer *saban_unit_layer_new        (ShumateViewport *viewport);
void            saban_unit_layer_set_store  (SabanUnitLayer  *self,
                                             SabanUnitStore  *store);
SabanUnitStore *saban_unit_layer_get_store  (SabanUnitLayer  *self);
guint           saban_unit_layer_get_n_drawn (SabanUnitLayer *self);

G_END_DECLS
