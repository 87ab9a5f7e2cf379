#pragma once

#include "saban-api.h"
#include "saban-feedback-store.h"

G_BEGIN_DECLS

/* what saban_feedback_act_async() does to a report */
typedef enum
{
  SABAN_FEEDBACK_ASSIGN,   /* to an agency */
  SABAN_FEEDBACK_REPLY,    /* a public reply; the report stays open */
  SABAN_FEEDBACK_CLOSE,    /* closed, with a public reply */
  SABAN_FEEDBACK_REOPEN,
} SabanFeedbackAction;

/* Open311 answers at most this many reports a page */
#define SABAN_FEEDBACK_PAGE 1000

void                saban_feedback_load_async         (SabanApi             *api,
                                                       SabanVectorLayer     *communes,
                                                       guint                 days,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
SabanFeedbackStore *saban_feedback_load_finish        (GAsyncResult         *result,
                                                       GError              **error);
void                saban_feedback_act_async          (SabanApi             *api,
                                                       gint64                id,
                                                       SabanFeedbackAction   action,
                                                       const char           *note,
                                                       const char           *agency,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
void                saban_feedback_merge_async        (SabanApi             *api,
                                                       gint64                kept,
                                                       GArray               *duplicates,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
void                saban_feedback_unmask_async       (SabanApi             *api,
                                                       gint64                id,
                                                       const char           *purpose,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
void                saban_feedback_read_async         (SabanApi             *api,
                                                       GArray               *ids,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
JsonNode           *saban_feedback_answer_finish      (GAsyncResult         *result,
                                                       GError              **error);
void                saban_feedback_photo_async        (SabanApi             *api,
                                                       const char           *url,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GBytes             *saban_feedback_photo_finish       (GAsyncResult         *result,
                                                       GError              **error);

G_END_DECLS
