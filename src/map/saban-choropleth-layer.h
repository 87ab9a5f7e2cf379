#pragma once

#include <shumate/shumate.h>

#include "saban-vector-layer.h"

G_BEGIN_DECLS

#define SABAN_TYPE_CHOROPLETH_LAYER (saban_choropleth_layer_get_type ())
G_DECLARE_FINAL_TYPE (SabanChoroplethLayer, saban_choropleth_layer, SABAN, CHOROPLETH_LAYER, ShumateLayer)

SabanChoroplethLayer *saban_choropleth_layer_new         (ShumateViewport      *viewport);
void                  saban_choropleth_layer_set         (SabanChoroplethLayer *self,
                                                          SabanVectorLayer     *areas,
                                                          const guint8         *classes,
                                                          const GdkRGBA        *colors,
                                                          guint                 n_colors);
SabanVectorLayer     *saban_choropleth_layer_get_areas   (SabanChoroplethLayer *self);
const GdkRGBA        *saban_choropleth_layer_get_color   (SabanChoroplethLayer *self,
                                                          guint32               feature);
guint                 saban_choropleth_layer_get_n_drawn (SabanChoroplethLayer *self);

G_END_DECLS
