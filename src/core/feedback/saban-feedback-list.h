#pragma once

#include <gio/gio.h>

#include "saban-feedback-item.h"

G_BEGIN_DECLS

#define SABAN_TYPE_FEEDBACK_LIST (saban_feedback_list_get_type ())
G_DECLARE_FINAL_TYPE (SabanFeedbackList, saban_feedback_list, SABAN, FEEDBACK_LIST, GObject)

SabanFeedbackList  *saban_feedback_list_new         (void);
void                saban_feedback_list_set_store   (SabanFeedbackList         *self,
                                                     SabanFeedbackStore        *store);
SabanFeedbackStore *saban_feedback_list_get_store   (SabanFeedbackList         *self);
void                saban_feedback_list_set_filter  (SabanFeedbackList         *self,
                                                     const SabanFeedbackFilter *filter,
                                                     gint64                     now_us);
GArray             *saban_feedback_list_get_indices (SabanFeedbackList         *self);
void                saban_feedback_list_changed     (SabanFeedbackList         *self,
                                                     guint                      index);

G_END_DECLS
