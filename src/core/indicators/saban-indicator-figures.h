#pragma once

#include "saban-indicator-set.h"

G_BEGIN_DECLS

/* What the leaders' desk shows of one indicator for a place and a month: a
 * tile's figures and words, worked out here so every screen and test reads
 * the same. */
typedef struct
{
  guint                 indicator;
  int                   commune;        /* %SABAN_PROVINCE or a commune's index */
  SabanPeriod           period;         /* the period shown: the latest held up to the month asked */
  gboolean              latest_earlier; /* the month asked has no value yet: an earlier one is shown */
  SabanIndicatorSummary summary;
  char                 *period_text;    /* "tháng 11/2026", "quý III/2026" */
  char                 *value_text;     /* "1.234,5 tỷ đồng"; "–" for none */
  char                 *change_text;    /* against the period before: "+2,3 %" or "+1,2 điểm" */
  char                 *year_text;      /* against the same period a year before */
  char                 *target_text;    /* "Mục tiêu ≥ 95 %"; NULL without a target */
  double                progress;       /* value ÷ target, 0–1 for a bar (worse side mirrored); NAN: none */
  char                 *freshness;      /* saban_indicator_format_freshness() */
  int                   overdue_days;
  GArray               *series;         /* double: the values of the last periods, oldest first, up to @period */
} SabanIndicatorFigures;

SabanIndicatorFigures *saban_indicator_figures_new      (SabanIndicatorSet       *set,
                                                         guint                    indicator,
                                                         int                      commune,
                                                         const GDate             *month,
                                                         guint                    n_series,
                                                         const GDate             *today);
void                   saban_indicator_figures_free     (SabanIndicatorFigures   *figures);
char                  *saban_indicator_format_value     (double                   value,
                                                         const char              *unit);
char                  *saban_indicator_format_change    (double                   change,
                                                         double                   ratio,
                                                         const char              *unit);
SabanPeriod            saban_indicator_figures_period   (SabanIndicatorSet       *set,
                                                         guint                    indicator,
                                                         const GDate             *month,
                                                         gboolean                *earlier);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SabanIndicatorFigures, saban_indicator_figures_free)

G_END_DECLS
