#pragma once

#include <adwaita.h>

#include "saban-layer-style.h"
#include "saban-vector-layer.h"

G_BEGIN_DECLS

#define SABAN_TYPE_ATTRIBUTE_TABLE_WINDOW (saban_attribute_table_window_get_type ())

G_DECLARE_FINAL_TYPE (SabanAttributeTableWindow, saban_attribute_table_window, SABAN, ATTRIBUTE_TABLE_WINDOW, AdwWindow)

GtkWidget *saban_attribute_table_window_new (GtkWindow        *parent,
                                             SabanVectorLayer *layer,
                                             SabanLayerStyle  *style);

G_END_DECLS
