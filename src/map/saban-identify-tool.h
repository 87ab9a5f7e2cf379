#pragma once

#include "saban-layer-model.h"
#include "saban-map-tool.h"
#include "saban-sensor-layer.h"

G_BEGIN_DECLS

#define SABAN_TYPE_IDENTIFY_TOOL (saban_identify_tool_get_type ())
G_DECLARE_FINAL_TYPE (SabanIdentifyTool, saban_identify_tool, SABAN, IDENTIFY_TOOL, SabanMapTool)

SabanMapTool *saban_identify_tool_new         (ShumateMap        *map,
                                               SabanOverlayLayer *overlay);
void          saban_identify_tool_set_layers  (SabanIdentifyTool *self,
                                               SabanLayerModel   *layers);
void          saban_identify_tool_set_sensors (SabanIdentifyTool *self,
                                               SabanSensorLayer  *sensors);

G_END_DECLS
