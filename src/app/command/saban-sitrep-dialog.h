#pragma once

#include <adwaita.h>

#include "saban-session.h"

G_BEGIN_DECLS

#define SABAN_TYPE_SITREP_DIALOG (saban_sitrep_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SabanSitrepDialog, saban_sitrep_dialog, SABAN, SITREP_DIALOG, AdwWindow)

GtkWidget        *saban_sitrep_dialog_new          (GtkWindow          *parent,
                                                    SabanSession       *session,
                                                    SabanCommandItem   *scenario);
void              saban_sitrep_dialog_fill_summary (SabanSitrepDialog  *self);
char             *saban_sitrep_dialog_get_summary  (SabanSitrepDialog  *self);
void              saban_sitrep_dialog_set_summary  (SabanSitrepDialog  *self,
                                                    const char         *summary);
void              saban_sitrep_dialog_set_version  (SabanSitrepDialog  *self,
                                                    const char         *report_version);
gboolean          saban_sitrep_dialog_get_busy     (SabanSitrepDialog  *self);
SabanCommandItem *saban_sitrep_dialog_send         (SabanSitrepDialog  *self);

G_END_DECLS
