#pragma once

#include <adwaita.h>

#include "saban-layer-style.h"
#include "saban-vector-layer.h"

G_BEGIN_DECLS

#define SABAN_TYPE_STYLE_DIALOG (saban_style_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SabanStyleDialog, saban_style_dialog, SABAN, STYLE_DIALOG, AdwWindow)

GtkWidget *saban_style_dialog_new (GtkWindow        *parent,
                                   SabanVectorLayer *layer,
                                   SabanLayerStyle  *style);
void       saban_style_dialog_get_choice (SabanStyleDialog *self,
                                          SabanStyleChoice *choice);

G_END_DECLS
