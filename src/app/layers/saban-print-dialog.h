#pragma once

#include <adwaita.h>

#include "saban-layer-model.h"
#include "saban-map-view.h"

G_BEGIN_DECLS

#define SABAN_TYPE_PRINT_DIALOG (saban_print_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SabanPrintDialog, saban_print_dialog, SABAN, PRINT_DIALOG, AdwWindow)

GtkWidget *saban_print_dialog_new (GtkWindow       *parent,
                                   SabanLayerModel *layers,
                                   SabanMapView    *view);

G_END_DECLS
