/* saban-scenario-history.c: what the sensors read and where the responder
 * units were while a scenario ran, for its replay.
 *
 * It reads, over SensorThings, every Datastream's Observations and each
 * responder's HistoricalLocations between the scenario's start (less a
 * look-back) and its end, and for any time t in between fills stores of its
 * own — never the live ones — that the map can show instead: each sensor
 * with its latest reading at t and its state against t (thresholds; STALE
 * past 3 × its interval), each unit at its last position at t with its
 * track up to then.
 *
 * All sensors, not only those in the scenario's area: a flood is seen
 * first at the gauges upstream and the rain gauges of the basin, far
 * outside the area drawn. The volume is bounded instead: the time range
 * (the scenario's log) and at most 500 000 observations (a day of ~1 700
 * five-minute datastreams; more is logged, and what was read is shown).
 * The look-back is 3 × the longest interval: a reading older than that
 * makes the sensor stale anyway, so it is all a state at the start needs.
 *
 * The replay's sensors are the live store's, in the same order, so an
 * index means the same sensor in both (a click on the map during a replay
 * opens the right one); the replay's units are the live units that have a
 * position in the range.
 */
#include "saban-scenario-history.h"

#include <math.h>
#include <string.h>

#define LOG_DOMAIN "saban-iot"
#define STALE_FACTOR 3
#define LOOKBACK_MIN_US (15 * 60 * G_USEC_PER_SEC)

struct _SabanScenarioHistory
{
  GObject                  parent_instance;
  SabanSensorThingsClient *client;
  SabanSensorStore        *sensors;   /* the replay's */
  SabanUnitStore          *units;     /* the replay's */
  GPtrArray               *series;    /* by sensor: GArray of SabanObservation by time, or NULL */
  GPtrArray               *tracks;    /* by replay unit: GArray of SabanUnitFix by time */
  gint64                   start_us, end_us;
  gboolean                 loaded;
};

typedef struct
{
  guint      pending;
  GError    *error;
  GArray    *observations;  /* of SabanDatastreamObservation */
  GPtrArray *fixes;         /* by live unit: GArray of SabanUnitFix, NULL until read */
} Load;

G_DEFINE_FINAL_TYPE (SabanScenarioHistory, saban_scenario_history, G_TYPE_OBJECT)

/* for arrays of series where a sensor or unit may have none */
static void
series_free (gpointer series)
{
  if (series != NULL)
    g_array_unref (series);
}

static void
load_free (gpointer data)
{
  Load *load = data;

  g_clear_error (&load->error);
  g_clear_pointer (&load->observations, g_array_unref);
  g_clear_pointer (&load->fixes, g_ptr_array_unref);
  g_free (load);
}

static void
saban_scenario_history_finalize (GObject *object)
{
  SabanScenarioHistory *self = SABAN_SCENARIO_HISTORY (object);

  g_clear_object (&self->client);
  g_clear_object (&self->sensors);
  g_clear_object (&self->units);
  g_clear_pointer (&self->series, g_ptr_array_unref);
  g_clear_pointer (&self->tracks, g_ptr_array_unref);
  G_OBJECT_CLASS (saban_scenario_history_parent_class)->finalize (object);
}

static void
saban_scenario_history_class_init (SabanScenarioHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_scenario_history_finalize;
}

static void
saban_scenario_history_init (SabanScenarioHistory *self)
{
  self->sensors = saban_sensor_store_new ();
  self->units = saban_unit_store_new ();
  self->series = g_ptr_array_new_with_free_func (series_free);
  self->tracks = g_ptr_array_new_with_free_func (series_free);
}

/**
 * saban_scenario_history_new:
 * @client: the SensorThings client of the live sensors and units (its
 *   stores say which there are; they are not touched)
 * @start_us: the scenario's first moment (its log's first entry)
 * @end_us: its last
 *
 * Returns: (transfer full): a history, empty until loaded
 */
SabanScenarioHistory *
saban_scenario_history_new (SabanSensorThingsClient *client, gint64 start_us, gint64 end_us)
{
  SabanScenarioHistory *self;

  g_return_val_if_fail (SABAN_IS_SENSOR_THINGS_CLIENT (client), NULL);
  g_return_val_if_fail (start_us <= end_us, NULL);

  self = g_object_new (SABAN_TYPE_SCENARIO_HISTORY, NULL);
  self->client = g_object_ref (client);
  self->start_us = start_us;
  self->end_us = end_us;
  return self;
}

/* the live sensors, copied in order (same index, same sensor), and how far
 * back a state at the start needs readings */
static gint64
copy_sensors (SabanScenarioHistory *self)
{
  SabanSensorStore *live = saban_sensor_things_client_get_store (self->client);
  gint64 lookback = LOOKBACK_MIN_US;

  for (guint i = saban_sensor_store_get_n_sensors (self->sensors); i < saban_sensor_store_get_n_sensors (live); i++)
    {
      SabanSensor meta = *saban_sensor_store_get_sensor (live, i);

      meta.value = NAN;
      meta.time_us = 0;
      meta.history = NULL;
      saban_sensor_store_add (self->sensors, &meta);
      lookback = MAX (lookback, STALE_FACTOR * meta.interval_s * G_USEC_PER_SEC);
    }
  return lookback;
}

static void
build (SabanScenarioHistory *self, Load *load)
{
  SabanUnitStore *live_units = saban_sensor_things_client_get_units (self->client);
  guint unknown = 0;

  g_ptr_array_set_size (self->series, saban_sensor_store_get_n_sensors (self->sensors));
  for (guint i = 0; i < load->observations->len; i++)
    {
      SabanDatastreamObservation *d = &g_array_index (load->observations, SabanDatastreamObservation, i);
      guint index;

      if (!saban_sensor_store_lookup (self->sensors, d->datastream_id, &index))
        {
          unknown++;
          continue;
        }
      if (self->series->pdata[index] == NULL)
        self->series->pdata[index] = g_array_new (FALSE, FALSE, sizeof (SabanObservation));
      g_array_append_val ((GArray *) self->series->pdata[index], d->observation);
    }
  if (unknown > 0)
    g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "replay: %u observations of datastreams not known live left out", unknown);

  for (guint i = 0; i < load->fixes->len; i++)
    {
      GArray *fixes = g_ptr_array_index (load->fixes, i);
      const SabanUnit *u = saban_unit_store_get_unit (live_units, i);
      SabanUnitFix *first;

      if (fixes == NULL || fixes->len == 0)
        continue;
      first = &g_array_index (fixes, SabanUnitFix, 0);
      saban_unit_store_add (self->units, u->thing_id, u->name, u->code, first->lon, first->lat, first->time_us);
      g_ptr_array_add (self->tracks, g_array_ref (fixes));
    }
  self->loaded = TRUE;
}

static void
part_done (GTask *task)
{
  Load *load = g_task_get_task_data (task);

  if (--load->pending > 0)
    return;
  if (g_task_return_error_if_cancelled (task))
    return;
  if (load->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&load->error));
      return;
    }
  build (g_task_get_source_object (task), load);
  g_task_return_boolean (task, TRUE);
}

static void
history_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Load *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean truncated = FALSE;

  load->observations = saban_sensor_things_client_fetch_history_finish (SABAN_SENSOR_THINGS_CLIENT (source), result,
                                                                        &truncated, &error);
  if (load->observations == NULL && load->error == NULL)
    load->error = g_steal_pointer (&error);
  if (truncated)
    g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "replay: more observations than can be kept; the later ones are left out");
  part_done (task);
}

typedef struct
{
  GTask *task;
  guint  unit;
} UnitPart;

static void
locations_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  UnitPart *part = user_data;
  g_autoptr(GTask) task = part->task;
  Load *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GArray *fixes = saban_sensor_things_client_fetch_locations_finish (SABAN_SENSOR_THINGS_CLIENT (source), result, &error);

  if (fixes != NULL)
    load->fixes->pdata[part->unit] = fixes;
  else if (load->error == NULL)
    load->error = g_steal_pointer (&error);
  g_free (part);
  part_done (task);
}

/**
 * saban_scenario_history_load_async:
 * @self: a history, not yet loaded
 * @cancellable: (nullable): cancels the load
 * @callback: called when everything is read
 * @user_data: for @callback
 *
 * Reads the observations of every sensor the live store knows and the
 * HistoricalLocations of every live unit, from the start (less the
 * look-back) to the end. Each part is checked as the client checks
 * everything: a hostile entity is left out with a logged reason, a page
 * that is no SensorThings collection fails the load.
 */
void
saban_scenario_history_load_async (SabanScenarioHistory *self, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  Load *load;
  SabanUnitStore *live_units;
  guint n_units;
  gint64 from;

  g_return_if_fail (SABAN_IS_SCENARIO_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, saban_scenario_history_load_async);
  if (self->loaded)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  from = self->start_us - copy_sensors (self);
  live_units = saban_sensor_things_client_get_units (self->client);
  n_units = live_units != NULL ? saban_unit_store_get_n_units (live_units) : 0;
  load = g_new0 (Load, 1);
  load->pending = 1 + n_units;
  load->fixes = g_ptr_array_new_with_free_func (series_free);
  g_ptr_array_set_size (load->fixes, n_units);
  g_task_set_task_data (task, load, load_free);

  saban_sensor_things_client_fetch_history_async (self->client, from, self->end_us, cancellable, history_done,
                                                  g_object_ref (task));
  for (guint i = 0; i < n_units; i++)
    {
      UnitPart *part = g_new (UnitPart, 1);

      part->task = g_object_ref (task);
      part->unit = i;
      saban_sensor_things_client_fetch_locations_async (self->client, saban_unit_store_get_unit (live_units, i)->thing_id,
                                                        from, self->end_us, cancellable, locations_done, part);
    }
  g_object_unref (task);
}

/**
 * saban_scenario_history_load_finish:
 * @self: a history
 * @result: the result
 * @error: why it failed
 *
 * Returns: whether everything was read
 */
gboolean
saban_scenario_history_load_finish (SabanScenarioHistory *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
saban_scenario_history_get_loaded (SabanScenarioHistory *self)
{
  g_return_val_if_fail (SABAN_IS_SCENARIO_HISTORY (self), FALSE);
  return self->loaded;
}

/* how many elements of @series (in time order; each with a gint64 time at
 * @time_offset) are at or before @t */
static guint
count_until (GArray *series, gsize time_offset, gint64 t)
{
  gsize size = g_array_get_element_size (series);
  guint lo = 0, hi = series->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      gint64 time_us;

      memcpy (&time_us, series->data + mid * size + time_offset, sizeof time_us);
      if (time_us <= t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/**
 * saban_scenario_history_show_at:
 * @self: a loaded history
 * @time_us: a time in the scenario
 *
 * Fills the replay's stores as things stood at @time_us: each sensor with
 * its last reading at or before it and its state against it (no reading in
 * the look-back: no data), each unit at its last position with its track
 * up to then (before its first known position: at that one, without a
 * track). The stores announce the change as they always do.
 */
void
saban_scenario_history_show_at (SabanScenarioHistory *self, gint64 time_us)
{
  g_return_if_fail (SABAN_IS_SCENARIO_HISTORY (self));

  for (guint i = 0; i < self->series->len; i++)
    {
      GArray *series = g_ptr_array_index (self->series, i);
      guint n = series != NULL ? count_until (series, G_STRUCT_OFFSET (SabanObservation, time_us), time_us) : 0;
      const SabanObservation *o = n > 0 ? &g_array_index (series, SabanObservation, n - 1) : NULL;

      if (saban_sensor_store_get_sensor (self->sensors, i)->datastream_id != 0)
        saban_sensor_store_set_reading (self->sensors, i, o != NULL ? o->time_us : 0, o != NULL ? o->value : NAN, time_us);
    }
  for (guint i = 0; i < self->tracks->len; i++)
    {
      GArray *fixes = g_ptr_array_index (self->tracks, i);
      guint n = count_until (fixes, G_STRUCT_OFFSET (SabanUnitFix, time_us), time_us);

      saban_unit_store_set_track (self->units, i, (const SabanUnitFix *) fixes->data, MAX (n, 1));
    }
}

/**
 * saban_scenario_history_get_sensors:
 * @self: a history
 *
 * Returns: (transfer none): the replay's sensors (the live store's, in its
 *   order), as at the last saban_scenario_history_show_at()
 */
SabanSensorStore *
saban_scenario_history_get_sensors (SabanScenarioHistory *self)
{
  g_return_val_if_fail (SABAN_IS_SCENARIO_HISTORY (self), NULL);
  return self->sensors;
}

/**
 * saban_scenario_history_get_units:
 * @self: a history
 *
 * Returns: (transfer none): the replay's units (those with a position in
 *   the range), as at the last saban_scenario_history_show_at()
 */
SabanUnitStore *
saban_scenario_history_get_units (SabanScenarioHistory *self)
{
  g_return_val_if_fail (SABAN_IS_SCENARIO_HISTORY (self), NULL);
  return self->units;
}
