#pragma once

#include <gtk/gtk.h>
#include <shumate/shumate.h>

#include "saban-session.h"

G_BEGIN_DECLS

#define SABAN_TYPE_STATUS_BAR (saban_status_bar_get_type ())

G_DECLARE_FINAL_TYPE (SabanStatusBar, saban_status_bar, SABAN, STATUS_BAR, GtkWidget)

void saban_status_bar_set_session  (SabanStatusBar  *self,
                                    SabanSession    *session);
void saban_status_bar_set_viewport (SabanStatusBar  *self,
                                    ShumateViewport *viewport);
void saban_status_bar_set_pointer  (SabanStatusBar  *self,
                                    double           latitude,
                                    double           longitude);
void saban_status_bar_clear_pointer (SabanStatusBar *self);
void saban_status_bar_set_elevation (SabanStatusBar *self,
                                     double          metres);

G_END_DECLS
