#pragma once

#include <adwaita.h>

#include "saban-layer-style.h"
#include "saban-vector-layer.h"

G_BEGIN_DECLS

#define SABAN_TYPE_LAYER_ROW (saban_layer_row_get_type ())

G_DECLARE_FINAL_TYPE (SabanLayerRow, saban_layer_row, SABAN, LAYER_ROW, AdwExpanderRow)

GtkWidget        *saban_layer_row_new         (SabanVectorLayer *layer,
                                               SabanLayerStyle  *style);
SabanVectorLayer *saban_layer_row_get_layer   (SabanLayerRow    *self);
int               saban_layer_row_get_z_order (SabanLayerRow    *self);
void              saban_layer_row_set_z_order (SabanLayerRow    *self,
                                               int               z_order);
SabanLayerStyle  *saban_layer_row_get_style   (SabanLayerRow    *self);
void              saban_layer_row_set_style   (SabanLayerRow    *self,
                                               SabanLayerStyle  *style);
void              saban_layer_row_set_custom_title (SabanLayerRow *self,
                                                    const char    *title);
const char       *saban_layer_row_get_custom_title (SabanLayerRow *self);
void              saban_layer_row_set_opacity (SabanLayerRow    *self,
                                               double            opacity);
void              saban_layer_row_set_zoom    (SabanLayerRow    *self,
                                               double            zoom);

G_END_DECLS
