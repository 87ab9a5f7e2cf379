#pragma once

#include <shumate/shumate.h>

#include "saban-overlay-layer.h"

G_BEGIN_DECLS

#define SABAN_TYPE_MAP_TOOL (saban_map_tool_get_type ())
G_DECLARE_DERIVABLE_TYPE (SabanMapTool, saban_map_tool, SABAN, MAP_TOOL, GObject)

/* What a click, a drag, the pointer and keys do on the map while the tool
 * is the one the view hosts. Every vfunc is optional. */
struct _SabanMapToolClass
{
  GObjectClass parent_class;

  /* Escape gives the tool up (it sketches something unfinished until done) */
  gboolean escapes;

  void     (*reset)       (SabanMapTool *self);
  gboolean (*unfinished)  (SabanMapTool *self);
  void     (*click)       (SabanMapTool *self,
                           int           n_press,
                           double        x,
                           double        y);
  void     (*motion)      (SabanMapTool *self,
                           const double *point);
  gboolean (*key_pressed) (SabanMapTool *self,
                           guint         keyval);
  gboolean (*drag_begin)  (SabanMapTool *self,
                           double        x,
                           double        y);
  void     (*drag_update) (SabanMapTool *self,
                           double        dx,
                           double        dy);
  void     (*drag_end)    (SabanMapTool *self,
                           double        dx,
                           double        dy);
};

ShumateMap        *saban_map_tool_get_map            (SabanMapTool *self);
ShumateViewport   *saban_map_tool_get_viewport       (SabanMapTool *self);
SabanOverlayLayer *saban_map_tool_get_overlay        (SabanMapTool *self);
void               saban_map_tool_to_mercator        (SabanMapTool *self,
                                                      double        x,
                                                      double        y,
                                                      double       *point);
double             saban_map_tool_get_pixel_size     (SabanMapTool *self);
gboolean           saban_map_tool_get_escapes        (SabanMapTool *self);

void               saban_map_tool_activate           (SabanMapTool *self);
gboolean           saban_map_tool_deactivate         (SabanMapTool *self);
void               saban_map_tool_click              (SabanMapTool *self,
                                                      int           n_press,
                                                      double        x,
                                                      double        y);
void               saban_map_tool_motion             (SabanMapTool *self,
                                                      const double *point);
gboolean           saban_map_tool_key_pressed        (SabanMapTool *self,
                                                      guint         keyval);
gboolean           saban_map_tool_drag_begin         (SabanMapTool *self,
                                                      double        x,
                                                      double        y);
void               saban_map_tool_drag_update        (SabanMapTool *self,
                                                      double        dx,
                                                      double        dy);
void               saban_map_tool_drag_end           (SabanMapTool *self,
                                                      double        dx,
                                                      double        dy);

G_END_DECLS
