#pragma once

#include "saban-map-tool.h"

G_BEGIN_DECLS

#define SABAN_TYPE_MEASURE_TOOL (saban_measure_tool_get_type ())
G_DECLARE_FINAL_TYPE (SabanMeasureTool, saban_measure_tool, SABAN, MEASURE_TOOL, SabanMapTool)

SabanMapTool *saban_measure_tool_new (ShumateMap        *map,
                                      SabanOverlayLayer *overlay,
                                      gboolean           area);

G_END_DECLS
