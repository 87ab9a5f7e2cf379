#pragma once

#include <adwaita.h>

#include "saban-vector-layer.h"

G_BEGIN_DECLS

#define SABAN_TYPE_EXPORT_DIALOG (saban_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SabanExportDialog, saban_export_dialog, SABAN, EXPORT_DIALOG, AdwWindow)

GtkWidget *saban_export_dialog_new (GtkWindow        *parent,
                                    SabanVectorLayer *layer,
                                    const char       *title,
                                    GArray           *features);

G_END_DECLS
