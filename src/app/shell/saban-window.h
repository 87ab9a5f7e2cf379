#pragma once

#include <adwaita.h>

#include "saban-map-view.h"
#include "saban-workspace.h"

G_BEGIN_DECLS

#define SABAN_TYPE_WINDOW (saban_window_get_type ())

G_DECLARE_FINAL_TYPE (SabanWindow, saban_window, SABAN, WINDOW, AdwApplicationWindow)

SabanWindow *saban_window_new                (GtkApplication *application);
void         saban_window_open_file          (SabanWindow    *self,
                                              GFile          *file);
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
void         saban_window_add_toast          (SabanWindow    *self,
                                              const char     *message);
SabanMapView *saban_window_get_map_view      (SabanWindow    *self);
SabanWindow *saban_window_find               (GtkApplication *application);
void         saban_window_show_replay        (SabanWindow      *self,
                                              SabanSensorStore *sensors,
                                              SabanUnitStore   *units,
                                              const char       *label);
void         saban_window_pick_point_async   (SabanWindow         *self,
                                              const char          *hint,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean     saban_window_pick_point_finish  (SabanWindow   *self,
                                              GAsyncResult  *result,
                                              double        *latitude,
                                              double        *longitude,
                                              GError       **error);

G_END_DECLS
