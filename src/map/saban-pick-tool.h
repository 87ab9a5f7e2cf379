#pragma once

#include "saban-map-tool.h"

G_BEGIN_DECLS

#define SABAN_TYPE_PICK_TOOL (saban_pick_tool_get_type ())
G_DECLARE_FINAL_TYPE (SabanPickTool, saban_pick_tool, SABAN, PICK_TOOL, SabanMapTool)

SabanMapTool *saban_pick_tool_new (ShumateMap        *map,
                                   SabanOverlayLayer *overlay);

G_END_DECLS
