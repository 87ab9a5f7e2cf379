#pragma once

#include <gtk/gtk.h>

#include "saban-layer-style.h"
#include "saban-raster-layer.h"
#include "saban-vector-layer.h"

G_BEGIN_DECLS

#define SABAN_TYPE_INSPECTOR (saban_inspector_get_type ())

G_DECLARE_FINAL_TYPE (SabanInspector, saban_inspector, SABAN, INSPECTOR, GtkWidget)

const char *saban_inspector_field_alias (const char *field);

void saban_inspector_show_feature (SabanInspector   *self,
                                   SabanVectorLayer *layer,
                                   SabanLayerStyle  *style,
                                   guint32           feature);

void saban_inspector_show_pixel   (SabanInspector   *self,
                                   SabanRasterLayer *raster,
                                   const char       *title,
                                   double            x,
                                   double            y,
                                   const double     *values);

void saban_inspector_show_info    (SabanInspector   *self,
                                   const char       *title,
                                   const char       *text);

G_END_DECLS
