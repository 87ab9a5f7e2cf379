/* saban-feedback.c: the rules of citizens' reports that saban-server and the
 * client both apply: a service's time limit and where a report stands
 * against it, and what makes two reports likely one matter. */
#include "saban-feedback.h"

#include <math.h>

#include "saban-measure.h"

/**
 * saban_feedback_due_us:
 * @sla_hours: the service's time limit, in hours of the clock (not working
 *   hours: a flooded street is as urgent on a Sunday)
 *
 * Returns: when a report made at @requested_us is due; 0 without a limit
 */
gint64
saban_feedback_due_us (gint64 requested_us, double sla_hours)
{
  if (!(sla_hours > 0) || requested_us <= 0)
    return 0;
  return requested_us + (gint64) llround (sla_hours * 3600.0) * G_USEC_PER_SEC;
}

/**
 * saban_feedback_timing:
 * @due_us: the report's due time; 0 for none (never late)
 * @closed_us: when it was closed (its last update, for a closed report)
 *
 * Returns: where the report stands at @now_us
 */
SabanFeedbackTiming
saban_feedback_timing (gboolean closed, gint64 due_us, gint64 closed_us, gint64 now_us)
{
  if (closed)
    return due_us > 0 && closed_us > due_us ? SABAN_FEEDBACK_CLOSED_LATE : SABAN_FEEDBACK_CLOSED_ON_TIME;
  return due_us > 0 && now_us > due_us ? SABAN_FEEDBACK_OVERDUE : SABAN_FEEDBACK_OPEN;
}

/**
 * saban_feedback_timing_is_late:
 *
 * Returns: whether @timing missed the time limit (overdue or closed late)
 */
gboolean
saban_feedback_timing_is_late (SabanFeedbackTiming timing)
{
  return timing == SABAN_FEEDBACK_OVERDUE || timing == SABAN_FEEDBACK_CLOSED_LATE;
}

/**
 * saban_feedback_likely_duplicate:
 *
 * Returns: whether @a and @b are of the same service, placed within
 *   %SABAN_FEEDBACK_DUPLICATE_RADIUS_M of each other (geodesic) and made
 *   within %SABAN_FEEDBACK_DUPLICATE_WINDOW_S; a report without a place is
 *   nobody's duplicate
 */
gboolean
saban_feedback_likely_duplicate (const SabanFeedbackPlace *a, const SabanFeedbackPlace *b)
{
  gint64 dt = a->requested_us - b->requested_us;

  if (g_strcmp0 (a->service_code, b->service_code) != 0 || a->service_code == NULL)
    return FALSE;
  if (isnan (a->lat) || isnan (b->lat) || isnan (a->lon) || isnan (b->lon))
    return FALSE;
  if (ABS (dt) > (gint64) SABAN_FEEDBACK_DUPLICATE_WINDOW_S * G_USEC_PER_SEC)
    return FALSE;
  /* a cheap refusal first: 50 m is under 0.0005° of latitude */
  if (fabs (a->lat - b->lat) > 0.001 || fabs (a->lon - b->lon) > 0.002)
    return FALSE;
  return saban_measure_distance (a->lon, a->lat, b->lon, b->lat) <= SABAN_FEEDBACK_DUPLICATE_RADIUS_M;
}
