/* saban-alarm.c: one threshold crossing, from the moment it is raised until
 * an operator acknowledges it. A second crossing of the same sensor before
 * that escalates this alarm instead of stacking another one. */
#include "saban-alarm.h"

#include <math.h>

struct _SabanAlarm
{
  GObject          parent_instance;
  guint            sensor;
  gint64           datastream_id;
  gint64           thing_id;
  char            *sensor_name;
  char            *commune;        /* code */
  char            *commune_name;   /* for a CAP alert: its areaDesc */
  double           lon, lat;
  char            *cap_identifier; /* a CAP alert's; NULL for a sensor's alarm */
  char            *event;
  GArray          *area;           /* a CAP alert's polygon: lon, lat pairs */
  SabanSensorState level;
  SabanAlarmGrade  grade;
  double           value;
  char            *unit;
  gint64           time_us;
  gboolean         acknowledged;
  char            *ack_by;
  char            *ack_note;
  gint64           ack_time_us;
};

enum { PROP_0, PROP_LEVEL, PROP_GRADE, PROP_ACKNOWLEDGED, N_PROPS };

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SabanAlarm, saban_alarm, G_TYPE_OBJECT)

static void
saban_alarm_finalize (GObject *object)
{
  SabanAlarm *self = SABAN_ALARM (object);

  g_free (self->sensor_name);
  g_free (self->commune);
  g_free (self->commune_name);
  g_free (self->cap_identifier);
  g_free (self->event);
  g_clear_pointer (&self->area, g_array_unref);
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
    case PROP_GRADE:
      g_value_set_uint (value, self->grade);
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
  /* a SabanAlarmGrade: the provincial level, I to III */
  properties[PROP_GRADE] = g_param_spec_uint ("grade", NULL, NULL, 0, SABAN_ALARM_GRADE_III, SABAN_ALARM_GRADE_I,
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
 * @index: the sensor's index in its store
 * @sensor: the sensor (name, datastream, commune, position, unit)
 * @level: ALERT or DANGER, the state it rose into
 * @value: the reading that crossed
 * @time_us: that reading's time
 *
 * Its alarm level (I to III) is the one @value reaches on @sensor, and at
 * least I.
 *
 * Returns: (transfer full): an unacknowledged alarm
 */
SabanAlarm *
saban_alarm_new (guint index, const SabanSensor *sensor, SabanSensorState level, double value, gint64 time_us)
{
  SabanAlarm *self = g_object_new (SABAN_TYPE_ALARM, NULL);

  self->sensor = index;
  self->datastream_id = sensor->datastream_id;
  self->thing_id = sensor->thing_id;
  self->sensor_name = g_strdup (sensor->name);
  self->commune = g_strdup (sensor->commune);
  self->commune_name = g_strdup (sensor->commune_name);
  self->lon = sensor->lon;
  self->lat = sensor->lat;
  self->level = level;
  self->grade = MAX (saban_sensor_grade (sensor, value), SABAN_ALARM_GRADE_I);
  self->value = value;
  self->unit = g_strdup (sensor->unit);
  self->time_us = time_us;
  return self;
}

/**
 * saban_alarm_new_cap:
 * @identifier: the CAP alert's identifier
 * @headline: its headline
 * @event: (nullable): its event ("Lũ, ngập lụt")
 * @area_desc: (nullable): its areaDesc
 * @level: ALERT or DANGER, from its severity
 * @grade: its alarm level, from its severity
 * @sent_us: when it was sent
 * @lonlat: its area's ring, lon/lat pairs
 * @n_points: how many
 *
 * An alarm that came as a CAP alert from the IOC's server rather than from a
 * sensor: saban_alarm_get_sensor() is G_MAXUINT.
 *
 * Returns: (transfer full): an unacknowledged alarm
 */
SabanAlarm *
saban_alarm_new_cap (const char *identifier, const char *headline, const char *event, const char *area_desc,
                     SabanSensorState level, SabanAlarmGrade grade, gint64 sent_us, const double *lonlat, guint n_points)
{
  SabanAlarm *self = g_object_new (SABAN_TYPE_ALARM, NULL);

  self->sensor = G_MAXUINT;
  self->cap_identifier = g_strdup (identifier);
  self->sensor_name = g_strdup (headline);
  self->event = g_strdup (event);
  self->commune_name = g_strdup (area_desc);
  self->level = level;
  self->grade = grade;
  self->value = NAN;
  self->time_us = sent_us;
  self->area = g_array_sized_new (FALSE, FALSE, sizeof (double), 2 * n_points);
  g_array_append_vals (self->area, lonlat, 2 * n_points);
  for (guint i = 0; i < n_points; i++)
    {
      self->lon += lonlat[2 * i] / n_points;
      self->lat += lonlat[2 * i + 1] / n_points;
    }
  return self;
}

/**
 * saban_alarm_get_cap_identifier:
 * @self: an alarm
 *
 * Returns: (nullable): the CAP alert's identifier; %NULL for a sensor's alarm
 */
const char *
saban_alarm_get_cap_identifier (SabanAlarm *self)
{
  g_return_val_if_fail (SABAN_IS_ALARM (self), NULL);
  return self->cap_identifier;
}

/**
 * saban_alarm_get_event:
 * @self: an alarm
 *
 * Returns: (nullable): a CAP alert's event
 */
const char *
saban_alarm_get_event (SabanAlarm *self)
{
  g_return_val_if_fail (SABAN_IS_ALARM (self), NULL);
  return self->event;
}

/**
 * saban_alarm_get_area:
 * @self: an alarm
 * @n_points: (out): how many lon/lat pairs
 *
 * Returns: (nullable): a CAP alert's area ring; %NULL for a sensor's alarm
 */
const double *
saban_alarm_get_area (SabanAlarm *self, guint *n_points)
{
  g_return_val_if_fail (SABAN_IS_ALARM (self), NULL);
  *n_points = self->area ? self->area->len / 2 : 0;
  return self->area ? (const double *) self->area->data : NULL;
}

/**
 * saban_alarm_get_position:
 * @self: an alarm
 * @lon: (out): the sensor's longitude, or the centre of the alert's area
 * @lat: (out): idem
 */
void
saban_alarm_get_position (SabanAlarm *self, double *lon, double *lat)
{
  g_return_if_fail (SABAN_IS_ALARM (self));
  *lon = self->lon;
  *lat = self->lat;
}

/**
 * saban_alarm_get_commune:
 * @self: an alarm
 *
 * Returns: (nullable): the sensor's commune, by name where the server gave
 *   one, else by code; for a CAP alert, its areaDesc
 */
const char *
saban_alarm_get_commune (SabanAlarm *self)
{
  g_return_val_if_fail (SABAN_IS_ALARM (self), NULL);
  return self->commune_name != NULL ? self->commune_name : self->commune;
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

/**
 * saban_alarm_get_grade:
 * @self: an alarm
 *
 * Returns: its alarm level, I to III
 */
SabanAlarmGrade
saban_alarm_get_grade (SabanAlarm *self)
{
  g_return_val_if_fail (SABAN_IS_ALARM (self), SABAN_ALARM_GRADE_NONE);
  return self->grade;
}

/**
 * saban_alarm_get_datastream:
 * @self: an alarm
 *
 * Returns: its sensor's Datastream id; 0 for a CAP alert or a camera
 */
gint64
saban_alarm_get_datastream (SabanAlarm *self)
{
  g_return_val_if_fail (SABAN_IS_ALARM (self), 0);
  return self->datastream_id;
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
 * @level: the new state, if higher
 * @grade: the new alarm level, if higher
 * @value: the value that reached them
 * @time_us: the observation's time
 *
 * The sensor rose further (alert → danger, level I → II) before anyone
 * acknowledged.
 *
 * Returns: whether it rose
 */
gboolean
saban_alarm_escalate (SabanAlarm *self, SabanSensorState level, SabanAlarmGrade grade, double value, gint64 time_us)
{
  g_return_val_if_fail (SABAN_IS_ALARM (self), FALSE);

  if (level <= self->level && grade <= self->grade)
    return FALSE;
  g_object_freeze_notify (G_OBJECT (self));
  if (level > self->level)
    {
      self->level = level;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);
    }
  if (grade > self->grade)
    {
      self->grade = grade;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRADE]);
    }
  self->value = value;
  self->time_us = time_us;
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
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

static char *
iso_time (gint64 time_us)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) exact = t ? g_date_time_add (t, time_us % G_USEC_PER_SEC) : NULL;

  return exact ? g_date_time_format (exact, "%Y-%m-%dT%H:%M:%S.%fZ") : NULL;
}

/**
 * saban_alarm_new_acknowledgement:
 * @self: an acknowledged alarm
 *
 * The acknowledgement as the server's `acknowledgements` collection takes it
 * (docs/openapi.yaml, Acknowledgement): a GeoJSON Feature at the sensor (or
 * the centre of a CAP alert's area, naming the alert). The
 * server records who from the token.
 *
 * Returns: (transfer full) (nullable): the Feature; %NULL while the alarm is
 *   not acknowledged
 */
JsonNode *
saban_alarm_new_acknowledgement (SabanAlarm *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *observed = NULL, *acknowledged = NULL;

  g_return_val_if_fail (SABAN_IS_ALARM (self), NULL);

  if (!self->acknowledged)
    return NULL;
  observed = iso_time (self->time_us);
  acknowledged = iso_time (self->ack_time_us);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "Feature");
  json_builder_set_member_name (b, "geometry");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "Point");
  json_builder_set_member_name (b, "coordinates");
  json_builder_begin_array (b);
  json_builder_add_double_value (b, self->lon);
  json_builder_add_double_value (b, self->lat);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "properties");
  json_builder_begin_object (b);
  if (self->cap_identifier != NULL)
    {
      json_builder_set_member_name (b, "capIdentifier");
      json_builder_add_string_value (b, self->cap_identifier);
    }
  else
    {
      json_builder_set_member_name (b, "datastreamId");
      json_builder_add_int_value (b, self->datastream_id);
      json_builder_set_member_name (b, "thingId");
      json_builder_add_int_value (b, self->thing_id);
    }
  json_builder_set_member_name (b, "sensorName");
  json_builder_add_string_value (b, self->sensor_name);
  if (self->commune != NULL)
    {
      json_builder_set_member_name (b, "communeCode");
      json_builder_add_string_value (b, self->commune);
    }
  json_builder_set_member_name (b, "level");
  json_builder_add_string_value (b, self->level == SABAN_SENSOR_STATE_DANGER ? "danger" : "alert");
  json_builder_set_member_name (b, "alarmLevel");
  json_builder_add_string_value (b, saban_alarm_grade_to_string (self->grade));
  if (!isnan (self->value))
    {
      json_builder_set_member_name (b, "value");
      json_builder_add_double_value (b, self->value);
    }
  if (self->unit != NULL)
    {
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, self->unit);
    }
  json_builder_set_member_name (b, "observedAt");
  json_builder_add_string_value (b, observed);
  json_builder_set_member_name (b, "acknowledgedAt");
  json_builder_add_string_value (b, acknowledged);
  if (self->ack_note != NULL && *self->ack_note != '\0')
    {
      json_builder_set_member_name (b, "note");
      json_builder_add_string_value (b, self->ack_note);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
