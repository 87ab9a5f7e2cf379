#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SABAN_TYPE_SOURCE_DIALOG (saban_source_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SabanSourceDialog, saban_source_dialog, SABAN, SOURCE_DIALOG, AdwWindow)

GtkWidget *saban_source_dialog_new (GtkWindow *parent);

G_END_DECLS
