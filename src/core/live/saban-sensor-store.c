/* saban-sensor-store.c: the live state of every sensor, independent of how
 * observations arrive (SensorThings HTTP, MQTT, a test).
 *
 * Sensors are only ever appended, so an index is a stable id for the map and
 * the UI. A sensor's state is derived from its thresholds and the age of its
 * latest observation; staleness depends on the clock, so it is recomputed by
 * saban_sensor_store_refresh() (a timer every few seconds) as well as on every
 * observation. Bad observations are refused with a logged reason and never
 * touch the sensor: one broken feed must not blank a good one.
 *
 * Changes are announced once per main-loop turn (::sensors-changed, then
 * saban_sensor_store_get_changed() lists each sensor touched once): at
 * 20 000 sensors a signal per sensor cost more than the observations, and a
 * range would make every listener scan the whole store when two sensors far
 * apart change. What a batch would hide — a sensor rising into
 * danger and falling back within the turn — is kept as its "rise".
 *
 * Memory, a few hundred thousand sensors being the aim: sensors live in
 * fixed blocks (stable pointers, no allocation each), strings in one chunk
 * (units and communes shared), the datastream lookup is an open-addressing
 * table of indices, and a history is created with its first observation.
 *
 * Speed, every sensor reporting in the same turn being the worst case: the
 * clock is read once per batch (staleness is a matter of minutes), and a
 * first observation's history (room for one) comes from blocks of the store,
 * not from malloc; a history that outgrows it moves to the heap, doubling,
 * and leaves its first slot behind (32 bytes a sensor at most).
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
#define BLOCK_BITS 10
#define BLOCK_SIZE (1u << BLOCK_BITS)
#define PENDING 0x80
/* a history of one observation, as the first slots are carved */
#define FIRST_SLOT (sizeof (SabanHistory) + sizeof (SabanObservation))

struct _SabanSensorStore
{
  GObject       parent_instance;
  GPtrArray    *blocks;        /* of SabanSensor[BLOCK_SIZE] */
  GPtrArray    *first_slots;   /* of BLOCK_SIZE first histories each (size 1) */
  guint         n_first_slots; /* carved so far */
  guint         n_sensors;
  GStringChunk *strings;
  guint32      *slots;         /* by datastream id hash: index + 1, 0 = free */
  guint         n_slots;       /* a power of two */
  GByteArray   *rises;         /* by sensor: the highest state risen into this turn, | PENDING */
  GArray       *changed;       /* of guint: sensors touched this turn, once each */
  guint         emit_source;
  gint64        now_us;        /* the clock for this batch; 0 = not read yet */
  gint64        latest_us;
  guint         rejected;
  guint         timer;
};

enum { SENSORS_CHANGED, N_SIGNALS };

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanSensorStore, saban_sensor_store, G_TYPE_OBJECT)

static inline SabanSensor *
sensor_at (SabanSensorStore *self, guint index)
{
  return &((SabanSensor *) g_ptr_array_index (self->blocks, index >> BLOCK_BITS))[index & (BLOCK_SIZE - 1)];
}

static void
block_free (gpointer data)
{
  SabanSensor *block = data;

  /* the first slots (size 1) belong to the store's blocks */
  for (guint i = 0; i < BLOCK_SIZE; i++)
    if (block[i].history != NULL && block[i].history->size > 1)
      g_free (block[i].history);
  g_free (block);
}

static inline guint
slot_of (gint64 datastream_id, guint n_slots)
{
  /* Fibonacci hashing: ids are usually consecutive */
  return (guint) (((guint64) datastream_id * G_GUINT64_CONSTANT (11400714819323198485)) >> 32) & (n_slots - 1);
}

static void
lookup_insert (SabanSensorStore *self, gint64 datastream_id, guint index)
{
  guint k = slot_of (datastream_id, self->n_slots);

  while (self->slots[k] != 0)
    k = (k + 1) & (self->n_slots - 1);
  self->slots[k] = index + 1;
}

/* keeps the table at most 3/4 full */
static void
lookup_grow (SabanSensorStore *self)
{
  guint32 *old = self->slots;
  guint n_old = self->n_slots;

  if (4 * (self->n_sensors + 1) <= 3 * self->n_slots)
    return;
  self->n_slots = MAX (64, 2 * n_old);
  self->slots = g_new0 (guint32, self->n_slots);
  for (guint k = 0; k < n_old; k++)
    if (old[k] != 0)
      lookup_insert (self, sensor_at (self, old[k] - 1)->datastream_id, old[k] - 1);
  g_free (old);
}

/* the clock, read once per batch */
static gint64
batch_now (SabanSensorStore *self)
{
  if (self->now_us == 0)
    self->now_us = g_get_real_time ();
  return self->now_us;
}

/* Room for one more observation in @s's history. */
static SabanHistory *
history_reserve (SabanSensorStore *self, SabanSensor *s)
{
  SabanHistory *h = s->history;

  if (h == NULL)
    {
      if ((self->n_first_slots & (BLOCK_SIZE - 1)) == 0)
        g_ptr_array_add (self->first_slots, g_malloc (FIRST_SLOT * BLOCK_SIZE));
      h = (SabanHistory *) ((char *) g_ptr_array_index (self->first_slots, self->n_first_slots >> BLOCK_BITS) +
                            FIRST_SLOT * (self->n_first_slots & (BLOCK_SIZE - 1)));
      self->n_first_slots++;
      h->len = 0;
      h->size = 1;
      s->history = h;
    }
  else if (h->len == h->size)
    {
      guint32 size = MIN (2 * h->size, HISTORY_MAX + 1);
      SabanHistory *bigger;

      if (h->size == 1)
        {
          bigger = g_malloc (sizeof (SabanHistory) + size * sizeof (SabanObservation));
          memcpy (bigger, h, FIRST_SLOT);
        }
      else
        bigger = g_realloc (h, sizeof (SabanHistory) + size * sizeof (SabanObservation));
      bigger->size = size;
      s->history = h = bigger;
    }
  return h;
}

static gboolean
emit_cb (gpointer data)
{
  SabanSensorStore *self = data;

  self->emit_source = 0;
  saban_sensor_store_flush (self);
  return G_SOURCE_REMOVE;
}

/* Records that @index changed, and how its state moved: one emission per
 * main-loop turn covers every change. */
static void
mark_changed (SabanSensorStore *self, guint index, SabanSensorState was, SabanSensorState now)
{
  guint8 *r = &self->rises->data[index];

  if (now > was && now > (*r & ~PENDING))
    *r = (*r & PENDING) | now;
  if (!(*r & PENDING))
    {
      *r |= PENDING;
      g_array_append_val (self->changed, index);
    }
  if (self->emit_source == 0)
    self->emit_source = g_idle_add_full (G_PRIORITY_DEFAULT, emit_cb, self, NULL);
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
update_state (SabanSensorStore *self, guint index, gint64 now_us)
{
  SabanSensor *s = sensor_at (self, index);
  gint64 age;
  SabanSensorState was = s->state, state = saban_sensor_state_compute (s, now_us, &age);
  /* age text changes by the minute, not by the second: no redraw per second */
  gboolean changed = state != was || (state == SABAN_SENSOR_STATE_STALE && age / 60 != s->age_s / 60);

  s->state = state;
  s->age_s = age;
  if (changed)
    mark_changed (self, index, was, state);
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
  g_clear_handle_id (&self->emit_source, g_source_remove);
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_clear_pointer (&self->first_slots, g_ptr_array_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_clear_pointer (&self->slots, g_free);
  g_clear_pointer (&self->rises, g_byte_array_unref);
  g_clear_pointer (&self->changed, g_array_unref);
  G_OBJECT_CLASS (saban_sensor_store_parent_class)->finalize (object);
}

static void
saban_sensor_store_class_init (SabanSensorStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_sensor_store_finalize;

  /**
   * SabanSensorStore::sensors-changed:
   *
   * Sensors were added, observed, or changed state (or a stale age passed
   * another minute): saban_sensor_store_get_changed() says which, and
   * saban_sensor_store_get_rise() which rose into a higher state meanwhile.
   * Emitted once per main-loop turn, or by saban_sensor_store_flush().
   */
  signals[SENSORS_CHANGED] = g_signal_new ("sensors-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
saban_sensor_store_init (SabanSensorStore *self)
{
  self->blocks = g_ptr_array_new_with_free_func (block_free);
  self->first_slots = g_ptr_array_new_with_free_func (g_free);
  self->strings = g_string_chunk_new (64 * 1024);
  self->rises = g_byte_array_new ();
  self->changed = g_array_new (FALSE, FALSE, sizeof (guint));
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
  return self->n_sensors;
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
  g_return_val_if_fail (index < self->n_sensors, NULL);
  return sensor_at (self, index);
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
  if (self->n_slots == 0)
    return FALSE;
  for (guint k = slot_of (datastream_id, self->n_slots); self->slots[k] != 0; k = (k + 1) & (self->n_slots - 1))
    if (sensor_at (self, self->slots[k] - 1)->datastream_id == datastream_id)
      {
        if (index)
          *index = self->slots[k] - 1;
        return TRUE;
      }
  return FALSE;
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
    s = sensor_at (self, index);
  else if (meta->datastream_id == 0)
    /* a Thing without a Datastream (a camera): few, so a scan will do */
    for (index = 0; index < self->n_sensors && s == NULL; index++)
      {
        SabanSensor *c = sensor_at (self, index);
        if (c->datastream_id == 0 && c->thing_id == meta->thing_id)
          s = c;
      }
  if (s != NULL && meta->datastream_id == 0)
    index--;
  if (s == NULL)
    {
      index = self->n_sensors;
      if ((index & (BLOCK_SIZE - 1)) == 0)
        g_ptr_array_add (self->blocks, g_new0 (SabanSensor, BLOCK_SIZE));
      if (meta->datastream_id != 0)
        lookup_grow (self);
      self->n_sensors++;
      g_byte_array_set_size (self->rises, self->n_sensors);
      self->rises->data[index] = SABAN_SENSOR_STATE_UNKNOWN;
      s = sensor_at (self, index);
      s->datastream_id = meta->datastream_id;
      s->value = NAN;
      if (meta->datastream_id != 0)
        lookup_insert (self, meta->datastream_id, index);
    }
  s->thing_id = meta->thing_id;
  /* a reload with the same names adds nothing to the chunk */
  if (g_strcmp0 (s->name, meta->name) != 0)
    s->name = meta->name != NULL ? g_string_chunk_insert (self->strings, meta->name) : NULL;
  s->commune = meta->commune != NULL ? g_string_chunk_insert_const (self->strings, meta->commune) : NULL;
  s->unit = meta->unit != NULL ? g_string_chunk_insert_const (self->strings, meta->unit) : NULL;
  s->commune_name = meta->commune_name != NULL ? g_string_chunk_insert_const (self->strings, meta->commune_name) : NULL;
  s->stream_url = meta->stream_url != NULL ? g_string_chunk_insert_const (self->strings, meta->stream_url) : NULL;
  s->kind = meta->kind;
  s->lon = meta->lon;
  s->lat = meta->lat;
  s->alert_level = meta->alert_level;
  s->danger_level = meta->danger_level;
  /* a zeroed (two-level) description has level_2 0: not between them */
  s->level_2 = meta->level_2 > meta->alert_level && meta->level_2 < meta->danger_level ? meta->level_2 : NAN;
  s->interval_s = meta->interval_s;
  if (!update_state (self, index, batch_now (self)))
    mark_changed (self, index, s->state, s->state);
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
  guint index, lo, hi;
  SabanSensor *s;
  SabanHistory *h;

  g_return_val_if_fail (SABAN_IS_SENSOR_STORE (self), FALSE);

  if (!saban_sensor_store_lookup (self, datastream_id, &index))
    return reject (self, error, "unknown datastream %" G_GINT64_FORMAT, datastream_id);
  if (!isfinite (value) || fabs (value) > VALUE_LIMIT)
    return reject (self, error, "datastream %" G_GINT64_FORMAT ": result out of range", datastream_id);
  if (time_us <= 0)
    return reject (self, error, "datastream %" G_GINT64_FORMAT ": no valid phenomenonTime", datastream_id);
  s = sensor_at (self, index);

  /* binary search for the insertion point; equal time + id is a duplicate */
  lo = 0;
  hi = s->history != NULL ? s->history->len : 0;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      if (s->history->obs[mid].time_us <= time_us)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i > 0 && s->history->obs[i - 1].time_us == time_us; i--)
    if (s->history->obs[i - 1].id == observation_id)
      return TRUE;
  h = history_reserve (self, s);
  memmove (&h->obs[lo + 1], &h->obs[lo], (h->len - lo) * sizeof (SabanObservation));
  h->obs[lo] = (SabanObservation) { observation_id, time_us, value };
  h->len++;
  if (h->len > HISTORY_MAX)
    {
      memmove (&h->obs[0], &h->obs[h->len - HISTORY_MAX], HISTORY_MAX * sizeof (SabanObservation));
      h->len = HISTORY_MAX;
    }

  if (time_us >= s->time_us)
    {
      s->time_us = time_us;
      s->value = value;
    }
  self->latest_us = MAX (self->latest_us, time_us);
  if (!update_state (self, index, batch_now (self)))
    mark_changed (self, index, s->state, s->state);
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
 * Recomputes every sensor's state against the clock (staleness); those that
 * changed are in the next ::sensors-changed.
 */
void
saban_sensor_store_refresh (SabanSensorStore *self, gint64 now_us)
{
  g_return_if_fail (SABAN_IS_SENSOR_STORE (self));

  self->now_us = 0;
  for (guint i = 0; i < self->n_sensors; i++)
    update_state (self, i, now_us);
}

/**
 * saban_sensor_store_get_rise:
 * @self: a store
 * @index: a sensor
 *
 * Meaningful during ::sensors-changed: a batch shows a sensor's state now,
 * and this what it rose to in between (an alarm must not be missed because
 * the gauge fell back within the same turn).
 *
 * Returns: the highest state @index rose into since the previous
 *   ::sensors-changed, or UNKNOWN if it did not rise
 */
SabanSensorState
saban_sensor_store_get_rise (SabanSensorStore *self, guint index)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_STORE (self), SABAN_SENSOR_STATE_UNKNOWN);
  g_return_val_if_fail (index < self->n_sensors, SABAN_SENSOR_STATE_UNKNOWN);
  return self->rises->data[index] & ~PENDING;
}

/**
 * saban_sensor_store_get_changed:
 * @self: a store
 * @n: (out): how many
 *
 * Meaningful during ::sensors-changed.
 *
 * Returns: (array length=n) (transfer none): the sensors touched since the
 *   previous ::sensors-changed, each once, in the order they were first
 *   touched
 */
const guint *
saban_sensor_store_get_changed (SabanSensorStore *self, guint *n)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_STORE (self), NULL);
  *n = self->changed->len;
  return (const guint *) self->changed->data;
}

/**
 * saban_sensor_store_flush:
 * @self: a store
 *
 * Emits ::sensors-changed now if anything changed since the last time,
 * instead of at the end of the main-loop turn.
 */
void
saban_sensor_store_flush (SabanSensorStore *self)
{
  g_return_if_fail (SABAN_IS_SENSOR_STORE (self));

  g_clear_handle_id (&self->emit_source, g_source_remove);
  /* the next batch reads the clock again */
  self->now_us = 0;
  if (self->changed->len == 0)
    return;
  g_signal_emit (self, signals[SENSORS_CHANGED], 0);
  for (guint k = 0; k < self->changed->len; k++)
    self->rises->data[g_array_index (self->changed, guint, k)] = SABAN_SENSOR_STATE_UNKNOWN;
  g_array_set_size (self->changed, 0);
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
  for (guint i = 0; i < self->n_sensors; i++)
    counts[sensor_at (self, i)->state]++;
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

/**
 * saban_sensor_store_set_reading:
 * @self: a replay's store
 * @index: a sensor
 * @time_us: when its latest reading at @now_us was taken; 0 for none
 * @value: that reading; NAN for none
 * @now_us: the replay's time
 *
 * Shows a sensor as it stood at @now_us: its latest reading then and its
 * state against @now_us. Unlike saban_sensor_store_observe() it may go
 * back in time and keeps no history. A store given readings so runs on the
 * replay's clock: its refresh against the real clock stops for good (it
 * would turn every past reading stale).
 */
void
saban_sensor_store_set_reading (SabanSensorStore *self, guint index, gint64 time_us, double value, gint64 now_us)
{
  SabanSensor *s;
  gboolean moved;

  g_return_if_fail (SABAN_IS_SENSOR_STORE (self));
  g_return_if_fail (index < self->n_sensors);

  g_clear_handle_id (&self->timer, g_source_remove);
  s = sensor_at (self, index);
  moved = s->time_us != time_us || !(s->value == value || (isnan (s->value) && isnan (value)));
  s->time_us = time_us;
  s->value = value;
  if (!update_state (self, index, now_us) && moved)
    mark_changed (self, index, s->state, s->state);
}
