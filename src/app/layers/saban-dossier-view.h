#pragma once

#include <gtk/gtk.h>

#include "saban-planning-dossier.h"

G_BEGIN_DECLS

#define SABAN_TYPE_DOSSIER_VIEW (saban_dossier_view_get_type ())

G_DECLARE_FINAL_TYPE (SabanDossierView, saban_dossier_view, SABAN, DOSSIER_VIEW, GtkWidget)

GtkWidget            *saban_dossier_view_new         (const char       *source,
                                                      const char       *decision);
SabanPlanningDossier *saban_dossier_view_get_dossier (SabanDossierView *self);
void                  saban_dossier_view_open        (SabanDossierView *self,
                                                      guint             document);

G_END_DECLS
