#pragma once

#include <adwaita.h>

#include "saban-indicator-set.h"
#include "saban-map-view.h"
#include "saban-session.h"

G_BEGIN_DECLS

#define SABAN_TYPE_DESK_WINDOW (saban_desk_window_get_type ())
G_DECLARE_FINAL_TYPE (SabanDeskWindow, saban_desk_window, SABAN, DESK_WINDOW, AdwApplicationWindow)

SabanDeskWindow   *saban_desk_window_new               (GtkApplication  *application,
                                                        SabanSession    *session);
SabanDeskWindow   *saban_desk_window_show              (GtkApplication  *application,
                                                        SabanSession    *session);
void               saban_desk_window_set_role          (SabanDeskWindow *self,
                                                        const char      *role);
gboolean           saban_desk_window_get_ready         (SabanDeskWindow *self);
SabanIndicatorSet *saban_desk_window_get_indicators    (SabanDeskWindow *self);
SabanMapView      *saban_desk_window_get_map_view      (SabanDeskWindow *self);
void               saban_desk_window_select_indicator  (SabanDeskWindow *self,
                                                        int              indicator);
int                saban_desk_window_get_indicator     (SabanDeskWindow *self);
void               saban_desk_window_select_commune    (SabanDeskWindow *self,
                                                        int              commune);
void               saban_desk_window_set_month         (SabanDeskWindow *self,
                                                        const SabanPeriod *month);
const SabanPeriod *saban_desk_window_get_month         (SabanDeskWindow *self);
void               saban_desk_window_make_report       (SabanDeskWindow *self,
                                                        GFile           *pdf);
gboolean           saban_desk_window_get_report_busy   (SabanDeskWindow *self);

G_END_DECLS
