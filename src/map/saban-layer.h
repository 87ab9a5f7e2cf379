#pragma once

#include <gio/gio.h>

#include "saban-layer-style.h"
#include "saban-vector-layer.h"

G_BEGIN_DECLS

#define SABAN_TYPE_LAYER (saban_layer_get_type ())
G_DECLARE_FINAL_TYPE (SabanLayer, saban_layer, SABAN, LAYER, GObject)

SabanLayer       *saban_layer_new              (SabanVectorLayer *vector,
                                                SabanLayerStyle  *style);
SabanVectorLayer *saban_layer_get_vector       (SabanLayer       *self);
SabanLayerStyle  *saban_layer_get_style        (SabanLayer       *self);
void              saban_layer_set_style        (SabanLayer       *self,
                                                SabanLayerStyle  *style);
gboolean          saban_layer_get_visible      (SabanLayer       *self);
void              saban_layer_set_visible      (SabanLayer       *self,
                                                gboolean          visible);
double            saban_layer_get_opacity      (SabanLayer       *self);
void              saban_layer_set_opacity      (SabanLayer       *self,
                                                double            opacity);
const char       *saban_layer_get_custom_title (SabanLayer       *self);
void              saban_layer_set_custom_title (SabanLayer       *self,
                                                const char       *title);
const char       *saban_layer_get_title        (SabanLayer       *self);
int               saban_layer_get_z_order      (SabanLayer       *self);
void              saban_layer_set_z_order      (SabanLayer       *self,
                                                int               z_order);
SabanLayerGroup   saban_layer_get_group        (SabanLayer       *self);
const char       *saban_layer_get_landuse_field (SabanLayer      *self);
void              saban_layer_set_landuse_field (SabanLayer      *self,
                                                 const char      *field);

G_END_DECLS
