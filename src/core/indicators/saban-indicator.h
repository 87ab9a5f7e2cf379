#pragma once

#include <glib.h>

#include "saban-period.h"

G_BEGIN_DECLS

/* How the communes' values make the province's. */
typedef enum
{
  SABAN_AGGREGATE_SUM,
  SABAN_AGGREGATE_MEAN,
  SABAN_AGGREGATE_POPULATION_WEIGHTED,
} SabanAggregate;

/* A value against its indicator's thresholds. */
typedef enum
{
  SABAN_INDICATOR_STATE_NONE,      /* no value, or no target to judge it by */
  SABAN_INDICATOR_STATE_GOOD,      /* the target is met */
  SABAN_INDICATOR_STATE_WARNING,   /* between the warning threshold and the target */
  SABAN_INDICATOR_STATE_BAD,       /* beyond the warning threshold */
} SabanIndicatorState;

/* One indicator of the catalogue. */
typedef struct
{
  char            *code;
  char            *name;             /* Vietnamese */
  char            *unit;
  char            *sector;
  char            *agency;           /* the department that owns it */
  char            *source;
  char            *updated_by;       /* who uploaded the latest values, or NULL */
  SabanPeriodKind  period_kind;
  SabanAggregate   aggregate;
  gboolean         higher_is_better;
  double           target;           /* NAN when none */
  double           warning;          /* NAN when none */
  int              due_days;         /* a period's value is due this many days after it ends */
  gboolean         has_last_period;
  SabanPeriod      last_period;      /* the latest period any value is held for */
  gint64           last_update_us;   /* when values were last uploaded; 0 = never */
} SabanIndicator;

gboolean            saban_aggregate_parse            (const char           *text,
                                                      SabanAggregate       *aggregate);
const char         *saban_aggregate_to_string        (SabanAggregate        aggregate);
double              saban_aggregate_values           (SabanAggregate        aggregate,
                                                      const double         *values,
                                                      const double         *populations,
                                                      gsize                 n);
int                 saban_indicator_default_due_days (SabanPeriodKind       kind);
double              saban_indicator_default_warning  (gboolean              higher_is_better,
                                                      double                target);
SabanIndicatorState saban_indicator_judge            (const SabanIndicator *indicator,
                                                      double                value);
gboolean            saban_indicator_next_due         (const SabanIndicator *indicator,
                                                      GDate                *due);
int                 saban_indicator_overdue_days     (const SabanIndicator *indicator,
                                                      const GDate          *today);
char               *saban_indicator_format_freshness (const SabanIndicator *indicator,
                                                      const GDate          *today);
int                 saban_indicator_value_decimals   (double                value,
                                                      const char           *unit);
gboolean            saban_indicator_change_in_points (const char           *unit);
void                saban_indicator_clear            (SabanIndicator       *indicator);

G_END_DECLS
