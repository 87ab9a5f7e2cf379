#pragma once

#include <adwaita.h>

#include "saban-map-view.h"
#include "saban-session.h"

G_BEGIN_DECLS

#define SABAN_TYPE_CATALOG_WINDOW (saban_catalog_window_get_type ())

G_DECLARE_FINAL_TYPE (SabanCatalogWindow, saban_catalog_window, SABAN, CATALOG_WINDOW, AdwWindow)

GtkWidget  *saban_catalog_window_new         (GtkWindow          *parent,
                                              SabanSession       *session,
                                              SabanMapView       *view);
GListModel *saban_catalog_window_get_entries (SabanCatalogWindow *self);
gboolean    saban_catalog_window_get_busy    (SabanCatalogWindow *self);
void        saban_catalog_window_select      (SabanCatalogWindow *self,
                                              guint               position);
void        saban_catalog_window_show_finding (SabanCatalogWindow *self,
                                               guint               finding);

G_END_DECLS
