#pragma once

#include "saban-feedback-store.h"

G_BEGIN_DECLS

#define SABAN_TYPE_FEEDBACK_ITEM (saban_feedback_item_get_type ())
G_DECLARE_FINAL_TYPE (SabanFeedbackItem, saban_feedback_item, SABAN, FEEDBACK_ITEM, GObject)

SabanFeedbackItem          *saban_feedback_item_new         (SabanFeedbackStore *store,
                                                             guint               index);
SabanFeedbackStore         *saban_feedback_item_get_store   (SabanFeedbackItem  *self);
guint                       saban_feedback_item_get_index   (SabanFeedbackItem  *self);
const SabanFeedbackRequest *saban_feedback_item_get_request (SabanFeedbackItem  *self);

G_END_DECLS
