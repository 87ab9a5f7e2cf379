#pragma once

#include <gdk/gdk.h>

#include "saban-vector-layer.h"

G_BEGIN_DECLS

#define SABAN_TYPE_LAYER_STYLE (saban_layer_style_get_type ())

G_DECLARE_FINAL_TYPE (SabanLayerStyle, saban_layer_style, SABAN, LAYER_STYLE, GObject)

SabanLayerStyle *saban_layer_style_new_for_layer    (SabanVectorLayer  *layer);
const char      *saban_layer_style_get_title        (SabanLayerStyle   *self);
int              saban_layer_style_get_z_order      (SabanLayerStyle   *self);
double           saban_layer_style_get_min_zoom     (SabanLayerStyle   *self);
double           saban_layer_style_get_stroke_width (SabanLayerStyle   *self);
double           saban_layer_style_get_point_radius (SabanLayerStyle   *self);
const GdkRGBA   *saban_layer_style_get_stroke       (SabanLayerStyle   *self);
const GdkRGBA   *saban_layer_style_get_fill         (SabanLayerStyle   *self);
const GdkRGBA   *saban_layer_style_get_feature_color (SabanLayerStyle *self,
                                                     SabanVectorLayer  *layer,
                                                     guint32            f);
const GdkRGBA   *saban_layer_style_get_legend_color (SabanLayerStyle *self);
const char      *saban_layer_style_get_category_field (SabanLayerStyle *self);
const char      *saban_layer_style_describe_category (SabanLayerStyle *self,
                                                      const char      *value);
const char      *saban_layer_style_get_id           (SabanLayerStyle   *self);

G_END_DECLS
