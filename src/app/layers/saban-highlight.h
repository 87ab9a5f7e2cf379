#pragma once

#include "saban-layer-model.h"
#include "saban-map-view.h"

G_BEGIN_DECLS

SabanLayer *saban_highlight_features (SabanLayerModel  *model,
                                      SabanMapView     *view,
                                      SabanVectorLayer *layer,
                                      GArray           *features,
                                      const char       *title);

G_END_DECLS
