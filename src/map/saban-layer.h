#pragma once

#include <gio/gio.h>

#include "saban-layer-style.h"
#include "saban-raster-layer.h"
#include "saban-tile-fetcher.h"
#include "saban-vector-layer.h"

G_BEGIN_DECLS

#define SABAN_TYPE_LAYER (saban_layer_get_type ())
G_DECLARE_FINAL_TYPE (SabanLayer, saban_layer, SABAN, LAYER, GObject)

SabanLayer       *saban_layer_new              (SabanVectorLayer *vector,
                                                SabanLayerStyle  *style);
SabanLayer       *saban_layer_new_raster       (SabanRasterLayer *raster);
SabanLayer       *saban_layer_new_service      (SabanTileFetcher *service);
SabanTileFetcher *saban_layer_get_service      (SabanLayer       *self);
SabanVectorLayer *saban_layer_get_vector       (SabanLayer       *self);
SabanRasterLayer *saban_layer_get_raster       (SabanLayer       *self);
SabanRasterRender saban_layer_get_raster_render (SabanLayer      *self);
void              saban_layer_set_raster_render (SabanLayer      *self,
                                                 SabanRasterRender render);
const char       *saban_layer_get_source       (SabanLayer       *self);
const char       *saban_layer_get_name         (SabanLayer       *self);
const char       *saban_layer_get_source_crs   (SabanLayer       *self);
gboolean          saban_layer_get_extent       (SabanLayer       *self,
                                                double           *min_x,
                                                double           *min_y,
                                                double           *max_x,
                                                double           *max_y);
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
