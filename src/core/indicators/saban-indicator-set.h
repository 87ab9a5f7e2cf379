#pragma once

#include <json-glib/json-glib.h>

#include "saban-classify.h"
#include "saban-indicator.h"

G_BEGIN_DECLS

/* A commune (or the province) as the indicators know it. */
typedef struct
{
  char   *code;
  char   *name;
  double  population;   /* NAN when unknown */
} SabanAdminUnit;

/* One indicator's value for a place and period, with what it is compared to. */
typedef struct
{
  double              value;              /* NAN when none is held */
  double              previous;           /* the period before */
  double              year_ago;           /* the same period a year before */
  double              change;             /* value − previous */
  double              change_ratio;       /* change ÷ |previous| */
  double              change_year;        /* value − year_ago */
  double              change_year_ratio;  /* change_year ÷ |year_ago| */
  double              progress;           /* value ÷ target */
  SabanIndicatorState state;
} SabanIndicatorSummary;

#define SABAN_PROVINCE (-1)

#define SABAN_TYPE_INDICATOR_SET (saban_indicator_set_get_type ())
G_DECLARE_FINAL_TYPE (SabanIndicatorSet, saban_indicator_set, SABAN, INDICATOR_SET, GObject)

SabanIndicatorSet    *saban_indicator_set_new_from_json     (JsonNode              *catalogue,
                                                             JsonNode              *values,
                                                             GError               **error);
gint64                saban_indicator_set_get_taken_at      (SabanIndicatorSet     *self);
guint                 saban_indicator_set_get_n_indicators  (SabanIndicatorSet     *self);
const SabanIndicator *saban_indicator_set_get_indicator     (SabanIndicatorSet     *self,
                                                             guint                  index);
gboolean              saban_indicator_set_find              (SabanIndicatorSet     *self,
                                                             const char            *code,
                                                             guint                 *index);
guint                 saban_indicator_set_get_n_communes    (SabanIndicatorSet     *self);
const SabanAdminUnit *saban_indicator_set_get_commune       (SabanIndicatorSet     *self,
                                                             guint                  index);
const SabanAdminUnit *saban_indicator_set_get_province      (SabanIndicatorSet     *self);
gboolean              saban_indicator_set_find_commune      (SabanIndicatorSet     *self,
                                                             const char            *code,
                                                             guint                 *index);
gboolean              saban_indicator_set_get_span          (SabanIndicatorSet     *self,
                                                             guint                  indicator,
                                                             SabanPeriod           *first,
                                                             guint                 *n_periods);
double                saban_indicator_set_get_value         (SabanIndicatorSet     *self,
                                                             guint                  indicator,
                                                             int                    commune,
                                                             const SabanPeriod     *period);
double                saban_indicator_set_get_uploaded      (SabanIndicatorSet     *self,
                                                             guint                  indicator,
                                                             int                    commune,
                                                             const SabanPeriod     *period);
double                saban_indicator_set_get_aggregate     (SabanIndicatorSet     *self,
                                                             guint                  indicator,
                                                             const SabanPeriod     *period);
gboolean              saban_indicator_set_check_province    (SabanIndicatorSet     *self,
                                                             guint                  indicator,
                                                             const SabanPeriod     *period,
                                                             double                 tolerance,
                                                             double                *uploaded,
                                                             double                *aggregate);
const char           *saban_indicator_set_get_upload        (SabanIndicatorSet     *self,
                                                             guint                  indicator,
                                                             const SabanPeriod     *period,
                                                             gint64                *at_us);
void                  saban_indicator_set_summarise         (SabanIndicatorSet     *self,
                                                             guint                  indicator,
                                                             int                    commune,
                                                             const SabanPeriod     *period,
                                                             SabanIndicatorSummary *summary);
GArray               *saban_indicator_set_classify          (SabanIndicatorSet     *self,
                                                             guint                  indicator,
                                                             const SabanPeriod     *period,
                                                             guint                  n_classes,
                                                             SabanClassifyMethod    method,
                                                             guint8                *classes);
GArray               *saban_indicator_set_rank              (SabanIndicatorSet     *self,
                                                             guint                  indicator,
                                                             const SabanPeriod     *period);

#define SABAN_NO_CLASS 255

G_END_DECLS
