#pragma once

#include <adwaita.h>

#include "saban-feedback-list.h"
#include "saban-map-view.h"
#include "saban-session.h"

G_BEGIN_DECLS

#define SABAN_TYPE_FEEDBACK_WINDOW (saban_feedback_window_get_type ())
G_DECLARE_FINAL_TYPE (SabanFeedbackWindow, saban_feedback_window, SABAN, FEEDBACK_WINDOW, AdwApplicationWindow)

SabanFeedbackWindow *saban_feedback_window_new          (GtkApplication      *application,
                                                         SabanSession        *session);
SabanFeedbackWindow *saban_feedback_window_show         (GtkApplication      *application,
                                                         SabanSession        *session,
                                                         const char          *preset);
void                 saban_feedback_window_set_role     (SabanFeedbackWindow *self,
                                                         const char          *role);
void                 saban_feedback_window_apply_preset (SabanFeedbackWindow *self,
                                                         const char          *preset);
gboolean             saban_feedback_window_get_ready    (SabanFeedbackWindow *self);
gboolean             saban_feedback_window_get_busy     (SabanFeedbackWindow *self);
SabanFeedbackStore  *saban_feedback_window_get_store    (SabanFeedbackWindow *self);
SabanFeedbackList   *saban_feedback_window_get_list     (SabanFeedbackWindow *self);
GtkListView         *saban_feedback_window_get_list_view (SabanFeedbackWindow *self);
SabanMapView        *saban_feedback_window_get_map_view (SabanFeedbackWindow *self);
void                 saban_feedback_window_select       (SabanFeedbackWindow *self,
                                                         int                  index);
int                  saban_feedback_window_get_selected (SabanFeedbackWindow *self);
void                 saban_feedback_window_reload       (SabanFeedbackWindow *self);
void                 saban_feedback_window_unmask       (SabanFeedbackWindow *self,
                                                         const char          *purpose);

G_END_DECLS
