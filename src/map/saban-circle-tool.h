#pragma once

#include "saban-map-tool.h"

G_BEGIN_DECLS

#define SABAN_TYPE_CIRCLE_TOOL (saban_circle_tool_get_type ())
G_DECLARE_FINAL_TYPE (SabanCircleTool, saban_circle_tool, SABAN, CIRCLE_TOOL, SabanMapTool)

SabanMapTool *saban_circle_tool_new (ShumateMap        *map,
                                     SabanOverlayLayer *overlay);

G_END_DECLS
