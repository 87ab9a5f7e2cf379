#pragma once

#include <gtk/gtk.h>

#include "saban-session.h"

G_BEGIN_DECLS

#define SABAN_TYPE_MAP_PANEL (saban_map_panel_get_type ())
G_DECLARE_FINAL_TYPE (SabanMapPanel, saban_map_panel, SABAN, MAP_PANEL, GtkWidget)

SabanMapView *saban_map_panel_get_map_view (SabanMapPanel *self);

G_END_DECLS
