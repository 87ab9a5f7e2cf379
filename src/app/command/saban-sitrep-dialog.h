#pragma once

#include <adwaita.h>

#include "saban-command-client.h"

G_BEGIN_DECLS

#define SABAN_TYPE_SITREP_DIALOG (saban_sitrep_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SabanSitrepDialog, saban_sitrep_dialog, SABAN, SITREP_DIALOG, AdwMessageDialog)

GtkWidget *saban_sitrep_dialog_new         (GtkWindow          *parent,
                                            SabanCommandClient *client,
                                            SabanCommandItem   *scenario);
void       saban_sitrep_dialog_set_summary (SabanSitrepDialog  *self,
                                            const char         *summary);
void       saban_sitrep_dialog_set_version (SabanSitrepDialog  *self,
                                            const char         *report_version);

G_END_DECLS
