/* saban-sensor-filter.c: which live sensors to show.
 *
 * Kinds and states are bit sets (all bits set = no restriction); the name
 * query is folded once, when set, so matching a sensor folds only its name.
 */
#include "saban-sensor-filter.h"

#include <string.h>

#include "saban-text.h"

#define ALL_KINDS ((1u << (SABAN_SENSOR_KIND_CAMERA + 1)) - 1)
#define ALL_STATES ((1u << SABAN_SENSOR_N_STATES) - 1)

struct _SabanSensorFilter
{
  guint    kinds;
  guint    states;
  char    *commune;
  gboolean only_alarms;
  char    *query;    /* folded */
};

G_DEFINE_BOXED_TYPE (SabanSensorFilter, saban_sensor_filter, saban_sensor_filter_copy, saban_sensor_filter_free)

/**
 * saban_sensor_filter_new:
 *
 * Returns: (transfer full): a filter that matches every sensor
 */
SabanSensorFilter *
saban_sensor_filter_new (void)
{
  SabanSensorFilter *self = g_new0 (SabanSensorFilter, 1);

  self->kinds = ALL_KINDS;
  self->states = ALL_STATES;
  return self;
}

/**
 * saban_sensor_filter_copy:
 * @self: a filter
 *
 * Returns: (transfer full): a copy
 */
SabanSensorFilter *
saban_sensor_filter_copy (const SabanSensorFilter *self)
{
  SabanSensorFilter *copy = g_memdup2 (self, sizeof *self);

  copy->commune = g_strdup (self->commune);
  copy->query = g_strdup (self->query);
  return copy;
}

void
saban_sensor_filter_free (SabanSensorFilter *self)
{
  if (self == NULL)
    return;
  g_free (self->commune);
  g_free (self->query);
  g_free (self);
}

static void
set_bit (guint *bits, guint bit, gboolean on)
{
  if (on)
    *bits |= 1u << bit;
  else
    *bits &= ~(1u << bit);
}

/**
 * saban_sensor_filter_set_kind:
 * @self: a filter
 * @kind: a kind
 * @shown: whether sensors of @kind pass
 */
void
saban_sensor_filter_set_kind (SabanSensorFilter *self, SabanSensorKind kind, gboolean shown)
{
  set_bit (&self->kinds, kind, shown);
}

/**
 * saban_sensor_filter_set_state:
 * @self: a filter
 * @state: a state
 * @shown: whether sensors in @state pass
 */
void
saban_sensor_filter_set_state (SabanSensorFilter *self, SabanSensorState state, gboolean shown)
{
  set_bit (&self->states, state, shown);
}

/**
 * saban_sensor_filter_set_commune:
 * @self: a filter
 * @commune: (nullable): a commune code, or %NULL for all communes
 */
void
saban_sensor_filter_set_commune (SabanSensorFilter *self, const char *commune)
{
  g_free (self->commune);
  self->commune = commune != NULL && *commune != '\0' ? g_strdup (commune) : NULL;
}

/**
 * saban_sensor_filter_set_only_alarms:
 * @self: a filter
 * @only_alarms: pass only sensors in alarm
 */
void
saban_sensor_filter_set_only_alarms (SabanSensorFilter *self, gboolean only_alarms)
{
  self->only_alarms = only_alarms;
}

/**
 * saban_sensor_filter_set_query:
 * @self: a filter
 * @query: (nullable): text the sensor's name must contain, diacritics and
 *   case ignored ("lao cai" finds "Lào Cai"); empty or %NULL for any name
 */
void
saban_sensor_filter_set_query (SabanSensorFilter *self, const char *query)
{
  g_autofree char *folded = query != NULL ? saban_text_fold (query) : NULL;

  g_free (self->query);
  self->query = folded != NULL && *g_strstrip (folded) != '\0' ? g_steal_pointer (&folded) : NULL;
}

/**
 * saban_sensor_filter_is_empty:
 * @self: a filter
 *
 * Returns: whether it lets every sensor through
 */
gboolean
saban_sensor_filter_is_empty (const SabanSensorFilter *self)
{
  return self->kinds == ALL_KINDS && self->states == ALL_STATES && self->commune == NULL &&
         !self->only_alarms && self->query == NULL;
}

/**
 * saban_sensor_filter_matches:
 * @self: a filter
 * @sensor: a sensor
 * @in_alarm: whether the sensor has an alarm waiting for acknowledgement
 *
 * A sensor is "in alarm" for the filter when its state is alert or danger or
 * an alarm of it waits to be acknowledged.
 *
 * Returns: whether @sensor passes
 */
gboolean
saban_sensor_filter_matches (const SabanSensorFilter *self, const SabanSensor *sensor, gboolean in_alarm)
{
  g_autofree char *name = NULL;

  if (!(self->kinds & (1u << sensor->kind)) || !(self->states & (1u << sensor->state)))
    return FALSE;
  if (self->commune != NULL && g_strcmp0 (self->commune, sensor->commune) != 0)
    return FALSE;
  if (self->only_alarms && !in_alarm && sensor->state != SABAN_SENSOR_STATE_ALERT &&
      sensor->state != SABAN_SENSOR_STATE_DANGER)
    return FALSE;
  if (self->query == NULL)
    return TRUE;
  name = saban_text_fold (sensor->name);
  return name != NULL && strstr (name, self->query) != NULL;
}
