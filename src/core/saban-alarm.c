/* saban-alarm.c: one threshold crossing, from the moment it is raised until
 * an operator acknowledges it. A second crossing of the same sensor before
 * that escalates this alarm instead of stacking another one. */
#include "saban-alarm.h"

struct _SabanAlarm
{
  GObject          parent_instance;
  guint            sensor;
  char            *sensor_name;
  SabanSensorState level;
  double           value;
  char            *unit;
  gint64           time_us;
  gboolean         acknowledged;
  char            *ack_by;
  char            *ack_note;
  gint64           ack_time_us;
};

enum { PROP_0, PROP_LEVEL, PROP_ACKNOWLEDGED, N_PROPS };

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SabanAlarm, saban_alarm, G_TYPE_OBJECT)

static void
saban_alarm_finalize (GObject *object)
{
  SabanAlarm *self = SABAN_ALARM (object);

  g_free (self->sensor_name);
  g_free (self->unit);
  g_free (self->ack_by);
  g_free (self->ack_note);
  G_OBJECT_CLASS (saban_alarm_parent_class)->finalize (object);
}

static void
saban_alarm_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SabanAlarm *self = SABAN_ALARM (object);

  switch (prop_id)
    {
    case PROP_LEVEL:
      g_value_set_uint (value, self->level);
      break;
    case PROP_ACKNOWLEDGED:
      g_value_set_boolean (value, self->acknowledged);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_alarm_class_init (SabanAlarmClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = saban_alarm_finalize;
  object_class->get_property = saban_alarm_get_property;

  /* a SabanSensorState: ALERT or DANGER */
  properties[PROP_LEVEL] = g_param_spec_uint ("level", NULL, NULL, 0, SABAN_SENSOR_N_STATES, SABAN_SENSOR_STATE_ALERT,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ACKNOWLEDGED] = g_param_spec_boolean ("acknowledged", NULL, NULL, FALSE,
                                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
saban_alarm_init (SabanAlarm *self)
{
}

/**
 * saban_alarm_new:
 * @sensor: the sensor's index in its store
 * @sensor_name: its name
 * @level: ALERT or DANGER
 * @value: the value that crossed
 * @unit: (nullable): its unit
 * @time_us: the observation's time
 *
 * Returns: (transfer full): an unacknowledged alarm
 */
SabanAlarm *
saban_alarm_new (guint sensor, const char *sensor_name, SabanSensorState level, double value,
                 const char *unit, gint64 time_us)
{
  SabanAlarm *self = g_object_new (SABAN_TYPE_ALARM, NULL);

  self->sensor = sensor;
  self->sensor_name = g_strdup (sensor_name);
  self->level = level;
  self->value = value;
  self->unit = g_strdup (unit);
  self->time_us = time_us;
  return self;
}

guint
saban_alarm_get_sensor (SabanAlarm *self)
{
  g_return_val_if_fail (SABAN_IS_ALARM (self), 0);
  return self->sensor;
}

const char *
saban_alarm_get_sensor_name (SabanAlarm *self)
{
  g_return_val_if_fail (SABAN_IS_ALARM (self), NULL);
  return self->sensor_name;
}

SabanSensorState
saban_alarm_get_level (SabanAlarm *self)
{
  g_return_val_if_fail (SABAN_IS_ALARM (self), SABAN_SENSOR_STATE_UNKNOWN);
  return self->level;
}

double
saban_alarm_get_value (SabanAlarm *self)
{
  g_return_val_if_fail (SABAN_IS_ALARM (self), 0);
  return self->value;
}

const char *
saban_alarm_get_unit (SabanAlarm *self)
{
  g_return_val_if_fail (SABAN_IS_ALARM (self), NULL);
  return self->unit;
}

gint64
saban_alarm_get_time (SabanAlarm *self)
{
  g_return_val_if_fail (SABAN_IS_ALARM (self), 0);
  return self->time_us;
}

/**
 * saban_alarm_escalate:
 * @self: an unacknowledged alarm
 * @level: the new level, if higher
 * @value: the value that crossed it
 * @time_us: the observation's time
 *
 * The sensor rose further (alert → danger) before anyone acknowledged.
 */
void
saban_alarm_escalate (SabanAlarm *self, SabanSensorState level, double value, gint64 time_us)
{
  g_return_if_fail (SABAN_IS_ALARM (self));

  if (level <= self->level)
    return;
  self->level = level;
  self->value = value;
  self->time_us = time_us;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);
}

gboolean
saban_alarm_get_acknowledged (SabanAlarm *self)
{
  g_return_val_if_fail (SABAN_IS_ALARM (self), FALSE);
  return self->acknowledged;
}

const char *
saban_alarm_get_ack_by (SabanAlarm *self)
{
  g_return_val_if_fail (SABAN_IS_ALARM (self), NULL);
  return self->ack_by;
}

const char *
saban_alarm_get_ack_note (SabanAlarm *self)
{
  g_return_val_if_fail (SABAN_IS_ALARM (self), NULL);
  return self->ack_note;
}

gint64
saban_alarm_get_ack_time (SabanAlarm *self)
{
  g_return_val_if_fail (SABAN_IS_ALARM (self), 0);
  return self->ack_time_us;
}

/**
 * saban_alarm_acknowledge:
 * @self: an alarm
 * @who: the operator's account
 * @note: (nullable): what they noted
 * @time_us: when
 *
 * Records the acknowledgement (once: a second one is ignored, the first
 * operator stays on record).
 */
void
saban_alarm_acknowledge (SabanAlarm *self, const char *who, const char *note, gint64 time_us)
{
  g_return_if_fail (SABAN_IS_ALARM (self));

  if (self->acknowledged)
    return;
  self->acknowledged = TRUE;
  self->ack_by = g_strdup (who);
  self->ack_note = g_strdup (note);
  self->ack_time_us = time_us;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACKNOWLEDGED]);
}
