#pragma once

#include <adwaita.h>

#include "saban-map-view.h"
#include "saban-session.h"
#include "saban-workspace.h"

G_BEGIN_DECLS

#define SABAN_TYPE_WINDOW (saban_window_get_type ())

G_DECLARE_FINAL_TYPE (SabanWindow, saban_window, SABAN, WINDOW, AdwApplicationWindow)

SabanWindow *saban_window_new                (GtkApplication *application,
                                              SabanSession   *session);
SabanSession *saban_window_get_session       (SabanWindow    *self);
void         saban_window_open_file          (SabanWindow    *self,
                                              GFile          *file);
void         saban_window_set_demo_base_map  (SabanWindow    *self,
                                              const char     *path);
void         saban_window_add_service        (SabanWindow    *self,
                                              const char     *source,
                                              const char     *password,
                                              const char     *title);
void         saban_window_add_files          (SabanWindow    *self,
                                              GFile         **files,
                                              int             n_files);
void         saban_window_open_source        (SabanWindow    *self,
                                              const char     *source);
void         saban_window_mark_demo          (SabanWindow    *self);
void         saban_window_open_demo          (SabanWindow    *self,
                                              GFile          *file);
void         saban_window_save_screenshot_when_drawn (SabanWindow *self,
                                              GFile          *file);
void         saban_window_restore_workspace  (SabanWindow    *self,
                                              SabanWorkspace *workspace);
SabanWorkspace *saban_window_dup_workspace   (SabanWindow    *self);
gboolean     saban_window_get_loading        (SabanWindow    *self);
SabanMapView *saban_window_get_map_view      (SabanWindow    *self);

G_END_DECLS
