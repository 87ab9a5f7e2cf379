#pragma once

#include <adwaita.h>

#include "saban-session.h"

G_BEGIN_DECLS

#define SABAN_TYPE_PANEL_WINDOW (saban_panel_window_get_type ())
G_DECLARE_FINAL_TYPE (SabanPanelWindow, saban_panel_window, SABAN, PANEL_WINDOW, AdwWindow)

gboolean    saban_panel_window_is_panel      (const char       *panel);
GtkWidget  *saban_panel_window_new           (GtkApplication   *application,
                                              SabanSession     *session,
                                              const char       *panel);
const char *saban_panel_window_get_panel     (SabanPanelWindow *self);
GtkWidget  *saban_panel_window_get_child     (SabanPanelWindow *self);
char       *saban_panel_window_dup_monitor   (GtkWindow        *window);
void        saban_panel_window_fullscreen_on (GtkWindow        *window,
                                              const char       *connector);

G_END_DECLS
