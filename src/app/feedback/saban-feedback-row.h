#pragma once

#include <gtk/gtk.h>

#include "saban-feedback-item.h"

G_BEGIN_DECLS

#define SABAN_TYPE_FEEDBACK_ROW (saban_feedback_row_get_type ())
G_DECLARE_FINAL_TYPE (SabanFeedbackRow, saban_feedback_row, SABAN, FEEDBACK_ROW, GtkBox)

GtkWidget *saban_feedback_row_new  (void);
void       saban_feedback_row_bind (SabanFeedbackRow  *self,
                                    SabanFeedbackItem *item,
                                    gint64             now_us);
char      *saban_feedback_describe_timing (const SabanFeedbackRequest *request,
                                           SabanFeedbackTiming         timing,
                                           gint64                      now_us);

G_END_DECLS
