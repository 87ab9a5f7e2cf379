#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include <shumate/shumate.h>

#include "saban-choropleth-layer.h"
#include "saban-command-store.h"
#include "saban-layer-model.h"
#include "saban-layer-style.h"
#include "saban-map-tool.h"
#include "saban-scenario-layer.h"
#include "saban-sensor-layer.h"
#include "saban-sensor-store.h"
#include "saban-swipe-layer.h"
#include "saban-unit-layer.h"
#include "saban-vector-layer.h"

G_BEGIN_DECLS

/* the tools a map view hosts, one at a time (SabanMapTool objects) */
typedef enum
{
  SABAN_MAP_TOOL_SELECT,
  SABAN_MAP_TOOL_MEASURE_LENGTH,
  SABAN_MAP_TOOL_MEASURE_AREA,
  SABAN_MAP_TOOL_DRAW_POLYGON,
  SABAN_MAP_TOOL_DRAW_CIRCLE,
  SABAN_MAP_TOOL_PICK_POINT,
  SABAN_MAP_TOOL_PROFILE,
} SabanMapToolKind;

#define SABAN_TYPE_MAP_VIEW (saban_map_view_get_type ())

G_DECLARE_FINAL_TYPE (SabanMapView, saban_map_view, SABAN, MAP_VIEW, GtkWidget)

GtkWidget       *saban_map_view_new               (void);
ShumateViewport *saban_map_view_get_viewport      (SabanMapView     *self);
void             saban_map_view_set_layers        (SabanMapView     *self,
                                                   SabanLayerModel  *layers);
SabanLayerModel *saban_map_view_get_layers        (SabanMapView     *self);
void             saban_map_view_set_base          (SabanMapView     *self,
                                                   SabanLayer      **layers,
                                                   guint             n,
                                                   const char       *attribution);
void             saban_map_view_zoom_to_extent    (SabanMapView     *self,
                                                   double            min_x,
                                                   double            min_y,
                                                   double            max_x,
                                                   double            max_y);
gboolean         saban_map_view_get_busy          (SabanMapView     *self);
void             saban_map_view_set_tool          (SabanMapView     *self,
                                                   SabanMapToolKind  tool);
SabanMapToolKind saban_map_view_get_tool          (SabanMapView     *self);
SabanMapTool    *saban_map_view_get_active_tool   (SabanMapView     *self);
void             saban_map_view_select            (SabanMapView     *self,
                                                   SabanVectorLayer *layer,
                                                   gint64            feature);
void             saban_map_view_show_pin          (SabanMapView     *self,
                                                   double            latitude,
                                                   double            longitude);
void             saban_map_view_center_on        (SabanMapView     *self,
                                                   double            latitude,
                                                   double            longitude,
                                                   double            zoom);

void             saban_map_view_show_area         (SabanMapView     *self,
                                                   JsonNode         *area);
SabanSwipeLayer *saban_map_view_set_swipe         (SabanMapView     *self,
                                                   SabanLayer       *layer);

void              saban_map_view_set_sensor_store (SabanMapView     *self,
                                                   SabanSensorStore *store);
SabanSensorLayer *saban_map_view_get_sensor_layer (SabanMapView     *self);
void              saban_map_view_set_unit_store   (SabanMapView     *self,
                                                   SabanUnitStore   *store);
SabanUnitLayer   *saban_map_view_get_unit_layer   (SabanMapView     *self);

void                  saban_map_view_set_choropleth (SabanMapView     *self,
                                                     SabanVectorLayer *areas,
                                                     const guint8     *classes,
                                                     const GdkRGBA    *colors,
                                                     guint             n_colors);
SabanChoroplethLayer *saban_map_view_get_choropleth (SabanMapView     *self);

void                saban_map_view_set_command_store  (SabanMapView      *self,
                                                       SabanCommandStore *store);
SabanScenarioLayer *saban_map_view_get_scenario_layer (SabanMapView      *self);

G_END_DECLS
