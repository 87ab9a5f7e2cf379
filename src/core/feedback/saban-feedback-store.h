#pragma once

#include <json-glib/json-glib.h>

#include "saban-feedback.h"
#include "saban-vector-layer.h"

G_BEGIN_DECLS

/* A service of services.json, with the extensions saban-server adds. */
typedef struct
{
  const char *code;
  const char *name;
  const char *group;       /* the sector, or NULL */
  const char *agency;      /* who handles it, or NULL */
  double      sla_hours;   /* the time limit; 0 when the server gives none */
} SabanFeedbackService;

/* One citizen's report as the client holds it; strings belong to the store.
 * The reporter's fields are as the server sent them: masked. */
typedef struct
{
  gint64      id;
  const char *service_code;
  gboolean    closed;
  const char *status_notes;   /* the public reply, or NULL */
  const char *description;
  const char *agency;
  const char *address;
  const char *media_url;
  const char *first_name;
  const char *last_name;
  const char *phone;
  const char *email;
  gint64      requested_us;
  gint64      updated_us;
  gint64      due_us;         /* expected_datetime, else the service's limit; 0: none */
  double      lat, lon;       /* NAN when not placed */
  gint64      duplicate_of;   /* the report it was merged into; 0: none */
  int         commune;        /* index of saban_feedback_store_get_commune(); -1: none */
} SabanFeedbackRequest;

/* What a list shows: every criterion left at its zero value lets all pass. */
typedef struct
{
  int         closed;         /* -1 any, 0 open, 1 closed */
  const char *service_code;   /* NULL: any */
  int         commune;        /* -1: any */
  int         max_age_days;   /* 0: any; else made within so many days */
  gboolean    overdue_only;   /* open past their due time, or closed late */
  gboolean    duplicates_only;/* open reports with a likely duplicate */
} SabanFeedbackFilter;

/* Per commune: what its reports came to. */
typedef struct
{
  guint received;
  guint open;
  guint overdue;
  guint closed;
  guint closed_on_time;
  double on_time_rate;        /* handled on time ÷ those due so far; NAN when none is due */
} SabanFeedbackCounts;

#define SABAN_FEEDBACK_MAX_REQUESTS 1000000

#define SABAN_TYPE_FEEDBACK_STORE (saban_feedback_store_get_type ())
G_DECLARE_FINAL_TYPE (SabanFeedbackStore, saban_feedback_store, SABAN, FEEDBACK_STORE, GObject)

SabanFeedbackStore         *saban_feedback_store_new                (void);
gboolean                    saban_feedback_store_set_services       (SabanFeedbackStore        *self,
                                                                     JsonNode                  *services,
                                                                     GError                   **error);
guint                       saban_feedback_store_get_n_services     (SabanFeedbackStore        *self);
const SabanFeedbackService *saban_feedback_store_get_service        (SabanFeedbackStore        *self,
                                                                     guint                      index);
const SabanFeedbackService *saban_feedback_store_find_service       (SabanFeedbackStore        *self,
                                                                     const char                *code);
guint                       saban_feedback_store_add_page           (SabanFeedbackStore        *self,
                                                                     JsonNode                  *page,
                                                                     GError                   **error);
gboolean                    saban_feedback_store_update             (SabanFeedbackStore        *self,
                                                                     JsonNode                  *answer,
                                                                     guint                     *index);
void                        saban_feedback_store_set_communes       (SabanFeedbackStore        *self,
                                                                     SabanVectorLayer          *communes,
                                                                     const char                *code_field,
                                                                     const char                *name_field);
guint                       saban_feedback_store_get_n_communes     (SabanFeedbackStore        *self);
const char                 *saban_feedback_store_get_commune_code   (SabanFeedbackStore        *self,
                                                                     guint                      commune);
const char                 *saban_feedback_store_get_commune_name   (SabanFeedbackStore        *self,
                                                                     guint                      commune);
guint                       saban_feedback_store_get_n_requests     (SabanFeedbackStore        *self);
const SabanFeedbackRequest *saban_feedback_store_get_request        (SabanFeedbackStore        *self,
                                                                     guint                      index);
gboolean                    saban_feedback_store_find               (SabanFeedbackStore        *self,
                                                                     gint64                     id,
                                                                     guint                     *index);
SabanFeedbackTiming         saban_feedback_store_get_timing         (SabanFeedbackStore        *self,
                                                                     guint                      index,
                                                                     gint64                     now_us);
GArray                     *saban_feedback_store_get_duplicates     (SabanFeedbackStore        *self,
                                                                     guint                      index);
GArray                     *saban_feedback_store_filter             (SabanFeedbackStore        *self,
                                                                     const SabanFeedbackFilter *filter,
                                                                     gint64                     now_us);
GArray                     *saban_feedback_store_count_by_commune   (SabanFeedbackStore        *self,
                                                                     gint64                     now_us);
void                        saban_feedback_store_count              (SabanFeedbackStore        *self,
                                                                     gint64                     now_us,
                                                                     SabanFeedbackCounts       *counts);
SabanVectorLayer           *saban_feedback_store_new_layer          (SabanFeedbackStore        *self,
                                                                     GArray                    *indices,
                                                                     gint64                     now_us);

void                        saban_feedback_filter_init              (SabanFeedbackFilter       *filter);

G_END_DECLS
