#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SABAN_PERIOD_DAY,
  SABAN_PERIOD_MONTH,
  SABAN_PERIOD_QUARTER,
  SABAN_PERIOD_YEAR,
} SabanPeriodKind;

/* One reporting period. @ordinal counts periods of its kind: a day is its
 * Julian day number, a month year × 12 + month − 1, a quarter year × 4 +
 * quarter − 1, a year the year; so the next period is @ordinal + 1 and two
 * periods of one kind compare by their ordinals. */
typedef struct
{
  SabanPeriodKind kind;
  gint32          ordinal;
} SabanPeriod;

gboolean    saban_period_kind_parse     (const char        *text,
                                         SabanPeriodKind   *kind);
const char *saban_period_kind_to_string (SabanPeriodKind    kind);
gboolean    saban_period_parse          (const char        *text,
                                         SabanPeriod       *period);
char       *saban_period_to_string      (const SabanPeriod *period);
char       *saban_period_format         (const SabanPeriod *period);
SabanPeriod saban_period_offset         (const SabanPeriod *period,
                                         int                n);
SabanPeriod saban_period_year_before    (const SabanPeriod *period);
void        saban_period_get_start      (const SabanPeriod *period,
                                         GDate             *date);
void        saban_period_get_end        (const SabanPeriod *period,
                                         GDate             *date);
SabanPeriod saban_period_containing     (SabanPeriodKind    kind,
                                         const GDate       *date);

G_END_DECLS
