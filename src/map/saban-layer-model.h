#pragma once

#include <gio/gio.h>

#include "saban-layer.h"
#include "saban-tile-source.h"
#include "saban-workspace.h"

G_BEGIN_DECLS

#define SABAN_TYPE_LAYER_MODEL (saban_layer_model_get_type ())
G_DECLARE_FINAL_TYPE (SabanLayerModel, saban_layer_model, SABAN, LAYER_MODEL, GObject)

SabanLayerModel *saban_layer_model_new            (void);
void             saban_layer_model_add            (SabanLayerModel  *self,
                                                   SabanLayer       *layer);
void             saban_layer_model_remove         (SabanLayerModel  *self,
                                                   SabanLayer       *layer);
SabanLayer      *saban_layer_model_find           (SabanLayerModel  *self,
                                                   SabanVectorLayer *vector);
SabanLayer      *saban_layer_model_find_raster    (SabanLayerModel  *self,
                                                   SabanRasterLayer *raster);
gboolean         saban_layer_model_move_above     (SabanLayerModel  *self,
                                                   SabanLayer       *layer,
                                                   SabanLayer       *target);
GPtrArray       *saban_layer_model_dup_vectors    (SabanLayerModel  *self);
SabanTileSource *saban_layer_model_new_composite  (SabanLayerModel  *self);
void             saban_layer_model_order_as       (SabanLayerModel  *self,
                                                   SabanWorkspace   *workspace);
SabanWorkspace  *saban_layer_model_dup_workspace  (SabanLayerModel  *self);

G_END_DECLS
