#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Two reports of one service this close in place and time are likely the
 * same matter seen by two citizens (issue 13). */
#define SABAN_FEEDBACK_DUPLICATE_RADIUS_M 50.0
#define SABAN_FEEDBACK_DUPLICATE_WINDOW_S (24 * 3600)

/* Where a citizen's report stands against its service's time limit. */
typedef enum
{
  SABAN_FEEDBACK_OPEN,            /* open, still within its time */
  SABAN_FEEDBACK_OVERDUE,         /* open past its due time */
  SABAN_FEEDBACK_CLOSED_ON_TIME,  /* closed by its due time */
  SABAN_FEEDBACK_CLOSED_LATE,     /* closed after it */
} SabanFeedbackTiming;

/* What saban_feedback_likely_duplicate compares of one report. */
typedef struct
{
  const char *service_code;
  double      lat;           /* WGS 84 degrees; NAN when not placed */
  double      lon;
  gint64      requested_us;
} SabanFeedbackPlace;

gint64              saban_feedback_due_us            (gint64                    requested_us,
                                                      double                    sla_hours);
SabanFeedbackTiming saban_feedback_timing            (gboolean                  closed,
                                                      gint64                    due_us,
                                                      gint64                    closed_us,
                                                      gint64                    now_us);
gboolean            saban_feedback_timing_is_late    (SabanFeedbackTiming       timing);
gboolean            saban_feedback_likely_duplicate  (const SabanFeedbackPlace *a,
                                                      const SabanFeedbackPlace *b);

G_END_DECLS
