/* saban-alarm-level.c: a sensor's alarm levels (cấp báo động I, II, III)
 * and its trend.
 *
 * Provincial staff read a river gauge by the levels of the flood warning
 * rules, not by "alert" and "danger". A datastream states them in its
 * properties as `alarmLevels: {"I": a, "II": b, "III": c}` (three finite,
 * ascending numbers); one that has only the two thresholds of before
 * (`alertLevel`, `dangerLevel`) keeps working, read as levels I and II.
 * Either way the sensor's ALERT state starts at level I and its DANGER
 * state at its top level (III, or II with two), so the map, the filters
 * and the server's CAP alerts, which know two states, stay as they were.
 */
#include "saban-alarm-level.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "saban-json.h"

#define LOG_DOMAIN "saban-iot"
/* no threshold we accept is larger than this (as the store's readings) */
#define LEVEL_LIMIT 1e9
/* the trend is read over this much time before the latest reading, or
 * three intervals of the datastream if that is longer */
#define TREND_WINDOW_US ((gint64) 30 * 60 * G_USEC_PER_SEC)

static gboolean
number (JsonObject *o, const char *name, double *out)
{
  double v = saban_json_get_number (o, name);

  *out = fabs (v) <= LEVEL_LIMIT ? v : NAN;
  return !isnan (*out);
}

/* the three levels of `alarmLevels`, when all are there and ascending */
static gboolean
three_levels (JsonObject *properties, double levels[3])
{
  JsonNode *n = json_object_has_member (properties, "alarmLevels")
                  ? json_object_get_member (properties, "alarmLevels") : NULL;
  JsonObject *o = n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;

  return o != NULL && number (o, "I", &levels[0]) && number (o, "II", &levels[1]) && number (o, "III", &levels[2]) &&
         levels[0] < levels[1] && levels[1] < levels[2];
}

/**
 * saban_sensor_read_levels:
 * @meta: the sensor being described
 * @properties: (nullable): its Datastream's properties
 *
 * Sets @meta's thresholds: `alert_level` (level I), `level_2` (level II of
 * a datastream with three) and `danger_level` (its top level) from
 * `alarmLevels`, or else from `alertLevel` and `dangerLevel` (levels I and
 * II). Unusable `alarmLevels` (missing a level, not numbers, not ascending)
 * are logged and the two thresholds of before used instead; a threshold
 * that is not a finite number is none.
 */
void
saban_sensor_read_levels (SabanSensor *meta, JsonObject *properties)
{
  double levels[3];

  meta->alert_level = meta->level_2 = meta->danger_level = NAN;
  if (properties == NULL)
    return;
  if (three_levels (properties, levels))
    {
      meta->alert_level = levels[0];
      meta->level_2 = levels[1];
      meta->danger_level = levels[2];
      return;
    }
  if (json_object_has_member (properties, "alarmLevels"))
    g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "%s: alarmLevels ignored: not three ascending numbers I, II, III",
           meta->name != NULL ? meta->name : "a datastream");
  number (properties, "alertLevel", &meta->alert_level);
  number (properties, "dangerLevel", &meta->danger_level);
}

/**
 * saban_sensor_grade:
 * @sensor: a sensor
 * @value: a reading of it
 *
 * Thresholds are inclusive, as the sensor's states are.
 *
 * Returns: the highest alarm level @value reaches
 */
SabanAlarmGrade
saban_sensor_grade (const SabanSensor *sensor, double value)
{
  if (isnan (value))
    return SABAN_ALARM_GRADE_NONE;
  if (!isnan (sensor->danger_level) && value >= sensor->danger_level)
    return isnan (sensor->level_2) ? SABAN_ALARM_GRADE_II : SABAN_ALARM_GRADE_III;
  if (!isnan (sensor->level_2) && value >= sensor->level_2)
    return SABAN_ALARM_GRADE_II;
  if (!isnan (sensor->alert_level) && value >= sensor->alert_level)
    return SABAN_ALARM_GRADE_I;
  return SABAN_ALARM_GRADE_NONE;
}

/* what counts as no change over the window: 2 % of the way from level I to
 * the top level, else 1 % of the value */
static double
steady_tolerance (const SabanSensor *sensor)
{
  if (!isnan (sensor->alert_level) && !isnan (sensor->danger_level) && sensor->danger_level > sensor->alert_level)
    return 0.02 * (sensor->danger_level - sensor->alert_level);
  return MAX (0.01 * fabs (sensor->value), 1e-9);
}

/**
 * saban_sensor_trend:
 * @sensor: a sensor
 *
 * Rising, falling or steady: the least-squares slope of its readings in the
 * last 30 minutes before the latest (or three intervals, if longer), as a
 * change over that time, against a tolerance.
 *
 * Returns: the trend; UNKNOWN with fewer than two readings in that time
 */
SabanSensorTrend
saban_sensor_trend (const SabanSensor *sensor)
{
  gint64 window = MAX (TREND_WINDOW_US, 3 * sensor->interval_s * G_USEC_PER_SEC);
  double n = 0, st = 0, sv = 0, stt = 0, stv = 0, slope, change;
  const SabanHistory *h = sensor->history;

  for (guint i = h != NULL ? h->len : 0; i > 0 && sensor->time_us - h->obs[i - 1].time_us <= window; i--)
    {
      /* minutes before the latest: small numbers, no loss of precision */
      double t = (h->obs[i - 1].time_us - sensor->time_us) / 60e6, v = h->obs[i - 1].value;

      n++;
      st += t;
      sv += v;
      stt += t * t;
      stv += t * v;
    }
  if (n < 2 || n * stt - st * st <= 0)
    return SABAN_SENSOR_TREND_UNKNOWN;
  slope = (n * stv - st * sv) / (n * stt - st * st);
  change = slope * window / 60e6;
  if (fabs (change) < steady_tolerance (sensor))
    return SABAN_SENSOR_TREND_STEADY;
  return change > 0 ? SABAN_SENSOR_TREND_RISING : SABAN_SENSOR_TREND_FALLING;
}

/**
 * saban_alarm_grade_to_string:
 *
 * Returns: "I", "II", "III", or %NULL for none (the acknowledgements'
 *   `alarmLevel`)
 */
const char *
saban_alarm_grade_to_string (SabanAlarmGrade grade)
{
  static const char *const names[] = { NULL, "I", "II", "III" };

  return grade <= SABAN_ALARM_GRADE_III ? names[grade] : NULL;
}

/**
 * saban_alarm_grade_from_string:
 * @text: (nullable): "I", "II" or "III"
 *
 * Returns: the level, NONE for anything else
 */
SabanAlarmGrade
saban_alarm_grade_from_string (const char *text)
{
  for (SabanAlarmGrade g = SABAN_ALARM_GRADE_I; g <= SABAN_ALARM_GRADE_III; g++)
    if (g_strcmp0 (text, saban_alarm_grade_to_string (g)) == 0)
      return g;
  return SABAN_ALARM_GRADE_NONE;
}

/**
 * saban_alarm_grade_label:
 *
 * Returns: "Báo động I" … in the user's language; "" for none
 */
const char *
saban_alarm_grade_label (SabanAlarmGrade grade)
{
  switch (grade)
    {
    case SABAN_ALARM_GRADE_I:
      return _("Alarm level I");
    case SABAN_ALARM_GRADE_II:
      return _("Alarm level II");
    case SABAN_ALARM_GRADE_III:
      return _("Alarm level III");
    case SABAN_ALARM_GRADE_NONE:
    default:
      return "";
    }
}

/**
 * saban_sensor_trend_label:
 *
 * Returns: the trend in the user's language; "—" when unknown
 */
const char *
saban_sensor_trend_label (SabanSensorTrend trend)
{
  switch (trend)
    {
    case SABAN_SENSOR_TREND_RISING:
      return _("Rising");
    case SABAN_SENSOR_TREND_FALLING:
      return _("Falling");
    case SABAN_SENSOR_TREND_STEADY:
      return _("Steady");
    case SABAN_SENSOR_TREND_UNKNOWN:
    default:
      return "—";
    }
}
