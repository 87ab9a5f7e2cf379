/* saban-sensor-store.c: the live state of every sensor, independent of how
 * observations arrive (SensorThings HTTP, MQTT, a test).
 *
 * Sensors are only ever appended, so an index is a stable id for the map and
 * the UI. A sensor's state is derived from its thresholds and the age of its
 * latest observation; staleness depends on the clock, so it is recomputed by
 * saban_sensor_store_refresh() (a timer every few seconds) as well as on every
 * observation. Bad observations are refused with a logged reason and never
 * touch the sensor: one broken feed must not blank a good one.
 */
#include "saban-sensor-store.h"

#include <math.h>
#include <string.h>

#define G_LOG_DOMAIN_IOT "saban-iot"
/* enough for 7 days of a 5-minute datastream */
#define HISTORY_MAX 4096
#define STALE_FACTOR 3
/* no thresholds we accept are larger than this: anything else is garbage */
#define VALUE_LIMIT 1e9

struct _SabanSensorStore
{
  GObject     parent_instance;
  GPtrArray  *sensors;       /* of SabanSensor* */
  GHashTable *by_datastream; /* gint64* → index + 1 */
  gint64      latest_us;
  guint       rejected;
  guint       timer;
};

enum { SENSOR_CHANGED, N_SIGNALS };

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanSensorStore, saban_sensor_store, G_TYPE_OBJECT)

static void
sensor_free (gpointer data)
{
  SabanSensor *s = data;

  g_free (s->name);
  g_free (s->commune);
  g_free (s->commune_name);
  g_free (s->stream_url);
  g_free (s->unit);
  g_clear_pointer (&s->history, g_array_unref);
  g_free (s);
}

/**
 * saban_sensor_kind_from_string:
 * @kind: (nullable): a kind as the simulator and the datagen name it
 *
 * Returns: the kind; OTHER for anything unknown.
 */
SabanSensorKind
saban_sensor_kind_from_string (const char *kind)
{
  if (kind == NULL)
    return SABAN_SENSOR_KIND_OTHER;
  if (g_str_equal (kind, "water_level") || g_str_equal (kind, "Water level"))
    return SABAN_SENSOR_KIND_WATER_LEVEL;
  if (g_str_equal (kind, "rain") || g_str_equal (kind, "rainfall") || g_str_equal (kind, "Rainfall"))
    return SABAN_SENSOR_KIND_RAIN;
  if (g_str_equal (kind, "air_quality") || g_str_equal (kind, "Air quality index"))
    return SABAN_SENSOR_KIND_AIR_QUALITY;
  if (g_str_equal (kind, "camera"))
    return SABAN_SENSOR_KIND_CAMERA;
  return SABAN_SENSOR_KIND_OTHER;
}

/**
 * saban_sensor_state_compute:
 * @sensor: a sensor
 * @now_us: the current time
 * @age_s: (out) (optional): seconds since the latest observation when stale
 *
 * Thresholds are inclusive ("at danger level" is danger). A sensor with no
 * observation for longer than 3 × its interval is STALE whatever its last
 * value was: an operator must not trust a dead gauge's last reading.
 *
 * Returns: the state
 */
SabanSensorState
saban_sensor_state_compute (const SabanSensor *sensor, gint64 now_us, gint64 *age_s)
{
  if (age_s)
    *age_s = 0;
  if (sensor->time_us == 0 || isnan (sensor->value))
    return SABAN_SENSOR_STATE_UNKNOWN;
  if (sensor->interval_s > 0 && now_us - sensor->time_us > STALE_FACTOR * sensor->interval_s * G_USEC_PER_SEC)
    {
      if (age_s)
        *age_s = (now_us - sensor->time_us) / G_USEC_PER_SEC;
      return SABAN_SENSOR_STATE_STALE;
    }
  if (!isnan (sensor->danger_level) && sensor->value >= sensor->danger_level)
    return SABAN_SENSOR_STATE_DANGER;
  if (!isnan (sensor->alert_level) && sensor->value >= sensor->alert_level)
    return SABAN_SENSOR_STATE_ALERT;
  return SABAN_SENSOR_STATE_NORMAL;
}

static gboolean
update_state (SabanSensorStore *self, SabanSensor *s, gint64 now_us)
{
  gint64 age;
  SabanSensorState state = saban_sensor_state_compute (s, now_us, &age);
  /* age text changes by the minute, not by the second: no redraw per second */
  gboolean changed = state != s->state || (state == SABAN_SENSOR_STATE_STALE && age / 60 != s->age_s / 60);

  s->state = state;
  s->age_s = age;
  return changed;
}

static gboolean
refresh_cb (gpointer data)
{
  saban_sensor_store_refresh (SABAN_SENSOR_STORE (data), g_get_real_time ());
  return G_SOURCE_CONTINUE;
}

static void
saban_sensor_store_finalize (GObject *object)
{
  SabanSensorStore *self = SABAN_SENSOR_STORE (object);

  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_pointer (&self->sensors, g_ptr_array_unref);
  g_clear_pointer (&self->by_datastream, g_hash_table_unref);
  G_OBJECT_CLASS (saban_sensor_store_parent_class)->finalize (object);
}

static void
saban_sensor_store_class_init (SabanSensorStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_sensor_store_finalize;

  /**
   * SabanSensorStore::sensor-changed:
   * @index: the sensor's index
   *
   * A sensor was added, observed, or changed state. Emitted per sensor: a
   * listener that draws should coalesce (one redraw per frame).
   */
  signals[SENSOR_CHANGED] = g_signal_new ("sensor-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
saban_sensor_store_init (SabanSensorStore *self)
{
  self->sensors = g_ptr_array_new_with_free_func (sensor_free);
  self->by_datastream = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->timer = g_timeout_add_seconds_full (G_PRIORITY_LOW, 5, refresh_cb, self, NULL);
}

/**
 * saban_sensor_store_new:
 *
 * Returns: (transfer full): an empty store
 */
SabanSensorStore *
saban_sensor_store_new (void)
{
  return g_object_new (SABAN_TYPE_SENSOR_STORE, NULL);
}

guint
saban_sensor_store_get_n_sensors (SabanSensorStore *self)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_STORE (self), 0);
  return self->sensors->len;
}

/**
 * saban_sensor_store_get_sensor:
 * @self: a store
 * @index: below saban_sensor_store_get_n_sensors()
 *
 * Returns: (transfer none): the sensor, valid as long as the store
 */
const SabanSensor *
saban_sensor_store_get_sensor (SabanSensorStore *self, guint index)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_STORE (self), NULL);
  g_return_val_if_fail (index < self->sensors->len, NULL);
  return g_ptr_array_index (self->sensors, index);
}

/**
 * saban_sensor_store_lookup:
 * @self: a store
 * @datastream_id: a Datastream's @iot.id
 * @index: (out) (optional): its sensor's index
 *
 * Returns: whether the store knows that datastream
 */
gboolean
saban_sensor_store_lookup (SabanSensorStore *self, gint64 datastream_id, guint *index)
{
  gpointer v = g_hash_table_lookup (self->by_datastream, &datastream_id);

  if (v == NULL)
    return FALSE;
  if (index)
    *index = GPOINTER_TO_UINT (v) - 1;
  return TRUE;
}

/**
 * saban_sensor_store_add:
 * @self: a store
 * @meta: the sensor's metadata (name, kind, position, thresholds…); its
 *   value, time and history are taken too when set
 *
 * Adds a sensor, or updates the metadata of the one with the same datastream
 * (a reload keeps the history already received).
 *
 * Returns: the sensor's index
 */
guint
saban_sensor_store_add (SabanSensorStore *self, const SabanSensor *meta)
{
  SabanSensor *s;
  guint index;

  g_return_val_if_fail (SABAN_IS_SENSOR_STORE (self), 0);

  s = NULL;
  if (meta->datastream_id != 0 && saban_sensor_store_lookup (self, meta->datastream_id, &index))
    s = g_ptr_array_index (self->sensors, index);
  else if (meta->datastream_id == 0)
    /* a Thing without a Datastream (a camera): few, so a scan will do */
    for (index = 0; index < self->sensors->len && s == NULL; index++)
      {
        SabanSensor *c = g_ptr_array_index (self->sensors, index);
        if (c->datastream_id == 0 && c->thing_id == meta->thing_id)
          s = c;
      }
  if (s != NULL && meta->datastream_id == 0)
    index--;
  if (s == NULL)
    {
      s = g_new0 (SabanSensor, 1);
      s->datastream_id = meta->datastream_id;
      s->value = NAN;
      s->history = g_array_new (FALSE, FALSE, sizeof (SabanObservation));
      index = self->sensors->len;
      g_ptr_array_add (self->sensors, s);
      if (meta->datastream_id != 0)
        g_hash_table_insert (self->by_datastream, g_memdup2 (&meta->datastream_id, sizeof (gint64)),
                             GUINT_TO_POINTER (index + 1));
    }
  s->thing_id = meta->thing_id;
  g_free (s->name);
  s->name = g_strdup (meta->name);
  g_free (s->commune);
  s->commune = g_strdup (meta->commune);
  g_free (s->commune_name);
  s->commune_name = g_strdup (meta->commune_name);
  g_free (s->stream_url);
  s->stream_url = g_strdup (meta->stream_url);
  g_free (s->unit);
  s->unit = g_strdup (meta->unit);
  s->kind = meta->kind;
  s->lon = meta->lon;
  s->lat = meta->lat;
  s->alert_level = meta->alert_level;
  s->danger_level = meta->danger_level;
  s->interval_s = meta->interval_s;
  update_state (self, s, g_get_real_time ());
  g_signal_emit (self, signals[SENSOR_CHANGED], 0, index);
  return index;
}

static gboolean
invalid (GError **error, const char *reason)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, reason);
  return FALSE;
}

static gboolean
reject (SabanSensorStore *self, GError **error, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
reject (SabanSensorStore *self, GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  self->rejected++;
  /* a message, not a warning: hostile input is expected, not a bug */
  g_log (G_LOG_DOMAIN_IOT, G_LOG_LEVEL_MESSAGE, "observation rejected: %s", msg);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, msg);
  return FALSE;
}

/**
 * saban_sensor_store_observe:
 * @self: a store
 * @datastream_id: the datastream observed
 * @observation_id: the observation's @iot.id (duplicates are ignored)
 * @time_us: its phenomenonTime
 * @value: its result
 * @error: why it was rejected
 *
 * Records one observation. An observation older than the latest only joins
 * the history (backfill arrives out of order); it never overrides the
 * latest value.
 *
 * Returns: whether it was accepted (a duplicate counts as accepted)
 */
gboolean
saban_sensor_store_observe (SabanSensorStore *self, gint64 datastream_id, gint64 observation_id,
                            gint64 time_us, double value, GError **error)
{
  guint index, pos;
  SabanSensor *s;
  SabanObservation o = { observation_id, time_us, value };

  g_return_val_if_fail (SABAN_IS_SENSOR_STORE (self), FALSE);

  if (!saban_sensor_store_lookup (self, datastream_id, &index))
    return reject (self, error, "unknown datastream %" G_GINT64_FORMAT, datastream_id);
  if (!isfinite (value) || fabs (value) > VALUE_LIMIT)
    return reject (self, error, "datastream %" G_GINT64_FORMAT ": result out of range", datastream_id);
  if (time_us <= 0)
    return reject (self, error, "datastream %" G_GINT64_FORMAT ": no valid phenomenonTime", datastream_id);
  s = g_ptr_array_index (self->sensors, index);

  /* binary search for the insertion point; equal time + id is a duplicate */
  {
    guint lo = 0, hi = s->history->len;
    while (lo < hi)
      {
        guint mid = (lo + hi) / 2;
        if (g_array_index (s->history, SabanObservation, mid).time_us <= time_us)
          lo = mid + 1;
        else
          hi = mid;
      }
    pos = lo;
    for (guint i = pos; i > 0; i--)
      {
        SabanObservation *h = &g_array_index (s->history, SabanObservation, i - 1);
        if (h->time_us != time_us)
          break;
        if (h->id == observation_id)
          return TRUE;
      }
  }
  g_array_insert_val (s->history, pos, o);
  if (s->history->len > HISTORY_MAX)
    g_array_remove_range (s->history, 0, s->history->len - HISTORY_MAX);

  if (time_us >= s->time_us)
    {
      s->time_us = time_us;
      s->value = value;
    }
  self->latest_us = MAX (self->latest_us, time_us);
  update_state (self, s, g_get_real_time ());
  g_signal_emit (self, signals[SENSOR_CHANGED], 0, index);
  return TRUE;
}

/**
 * saban_observation_parse:
 * @observation: a SensorThings Observation entity, as it came from the network
 * @out: (out caller-allocates): the observation
 * @error: why it is not one
 *
 * Validates an Observation from the network (HTTP or MQTT): an object with
 * an integer @iot.id, an ISO 8601 phenomenonTime (an instant, or the end of
 * an interval) and a finite numeric result no larger than any gauge reads.
 *
 * Returns: whether @out holds it
 */
gboolean
saban_observation_parse (JsonNode *observation, SabanObservation *out, GError **error)
{
  JsonObject *o;
  JsonNode *id, *t, *r;
  const char *time_text;
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *end = NULL;

  if (observation == NULL || !JSON_NODE_HOLDS_OBJECT (observation))
    return invalid (error, "observation is not an object");
  o = json_node_get_object (observation);
  id = json_object_get_member (o, "@iot.id");
  t = json_object_get_member (o, "phenomenonTime");
  r = json_object_get_member (o, "result");
  if (id == NULL || !JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_INT64)
    return invalid (error, "@iot.id missing or not an integer");
  if (t == NULL || !JSON_NODE_HOLDS_VALUE (t) || json_node_get_value_type (t) != G_TYPE_STRING)
    return invalid (error, "phenomenonTime missing or not a string");
  if (r == NULL || !JSON_NODE_HOLDS_VALUE (r) ||
      (json_node_get_value_type (r) != G_TYPE_INT64 && json_node_get_value_type (r) != G_TYPE_DOUBLE))
    return invalid (error, "result missing or not a number");

  time_text = json_node_get_string (t);
  if (strlen (time_text) > 64)
    return invalid (error, "phenomenonTime too long");
  /* an interval "start/end" counts at its end */
  if (strchr (time_text, '/') != NULL)
    time_text = end = g_strdup (strchr (time_text, '/') + 1);
  dt = g_date_time_new_from_iso8601 (time_text, NULL);
  if (dt == NULL)
    return invalid (error, "phenomenonTime is not ISO 8601");

  out->id = json_node_get_int (id);
  out->time_us = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  out->value = json_node_get_double (r);
  if (!isfinite (out->value) || fabs (out->value) > VALUE_LIMIT)
    return invalid (error, "result out of range");
  if (out->time_us <= 0)
    return invalid (error, "no valid phenomenonTime");
  return TRUE;
}

/**
 * saban_sensor_store_observe_json:
 * @self: a store
 * @datastream_id: the datastream observed
 * @observation: a SensorThings Observation entity
 * @error: why it was rejected
 *
 * Records an Observation as it comes from the network, checked by
 * saban_observation_parse().
 *
 * Returns: whether it was accepted
 */
gboolean
saban_sensor_store_observe_json (SabanSensorStore *self, gint64 datastream_id, JsonNode *observation,
                                 GError **error)
{
  SabanObservation o;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (SABAN_IS_SENSOR_STORE (self), FALSE);

  if (!saban_observation_parse (observation, &o, &local))
    return reject (self, error, "datastream %" G_GINT64_FORMAT ": %s", datastream_id, local->message);
  return saban_sensor_store_observe (self, datastream_id, o.id, o.time_us, o.value, error);
}

/**
 * saban_sensor_store_refresh:
 * @self: a store
 * @now_us: the current time
 *
 * Recomputes every sensor's state against the clock (staleness), emitting
 * ::sensor-changed for those that changed.
 */
void
saban_sensor_store_refresh (SabanSensorStore *self, gint64 now_us)
{
  g_return_if_fail (SABAN_IS_SENSOR_STORE (self));

  for (guint i = 0; i < self->sensors->len; i++)
    if (update_state (self, g_ptr_array_index (self->sensors, i), now_us))
      g_signal_emit (self, signals[SENSOR_CHANGED], 0, i);
}

/**
 * saban_sensor_store_get_latest_time:
 * @self: a store
 *
 * Returns: the latest phenomenonTime received from any sensor, 0 if none:
 *   where a backfill starts
 */
gint64
saban_sensor_store_get_latest_time (SabanSensorStore *self)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_STORE (self), 0);
  return self->latest_us;
}

/**
 * saban_sensor_store_count_states:
 * @self: a store
 * @counts: (out caller-allocates): sensors per state
 */
void
saban_sensor_store_count_states (SabanSensorStore *self, guint counts[SABAN_SENSOR_N_STATES])
{
  g_return_if_fail (SABAN_IS_SENSOR_STORE (self));

  memset (counts, 0, sizeof (guint) * SABAN_SENSOR_N_STATES);
  for (guint i = 0; i < self->sensors->len; i++)
    counts[((SabanSensor *) g_ptr_array_index (self->sensors, i))->state]++;
}

/**
 * saban_sensor_store_get_rejected:
 * @self: a store
 *
 * Returns: how many observations were rejected so far
 */
guint
saban_sensor_store_get_rejected (SabanSensorStore *self)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_STORE (self), 0);
  return self->rejected;
}
