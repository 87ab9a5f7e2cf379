#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SABAN_TYPE_SERVICE_DIALOG (saban_service_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SabanServiceDialog, saban_service_dialog, SABAN, SERVICE_DIALOG, AdwWindow)

GtkWidget *saban_service_dialog_new (GtkWindow *parent);

G_END_DECLS
