#pragma once

#include <adwaita.h>

#include "saban-layer.h"

G_BEGIN_DECLS

#define SABAN_TYPE_LAYER_ROW (saban_layer_row_get_type ())

G_DECLARE_FINAL_TYPE (SabanLayerRow, saban_layer_row, SABAN, LAYER_ROW, AdwExpanderRow)

GtkWidget  *saban_layer_row_new       (SabanLayer    *layer);
SabanLayer *saban_layer_row_get_layer (SabanLayerRow *self);
void        saban_layer_row_set_zoom  (SabanLayerRow *self,
                                       double         zoom);

G_END_DECLS
