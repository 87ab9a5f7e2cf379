#pragma once

#include <adwaita.h>

#include "saban-landuse-conflict.h"
#include "saban-layer-model.h"
#include "saban-map-view.h"

G_BEGIN_DECLS

#define SABAN_TYPE_PLAN_COMPARE_WINDOW (saban_plan_compare_window_get_type ())

G_DECLARE_FINAL_TYPE (SabanPlanCompareWindow, saban_plan_compare_window, SABAN, PLAN_COMPARE_WINDOW, AdwWindow)

GtkWidget *saban_plan_compare_window_new   (GtkWindow              *parent,
                                            SabanLayerModel        *layers,
                                            SabanMapView           *view);
void       saban_plan_compare_window_check (SabanPlanCompareWindow *self);
SabanLanduseConflict *saban_plan_compare_window_get_result (SabanPlanCompareWindow *self);

G_END_DECLS
