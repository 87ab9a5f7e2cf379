#pragma once

#include "saban-map-tool.h"

G_BEGIN_DECLS

#define SABAN_TYPE_POLYGON_TOOL (saban_polygon_tool_get_type ())
G_DECLARE_FINAL_TYPE (SabanPolygonTool, saban_polygon_tool, SABAN, POLYGON_TOOL, SabanMapTool)

SabanMapTool *saban_polygon_tool_new (ShumateMap        *map,
                                      SabanOverlayLayer *overlay);

G_END_DECLS
