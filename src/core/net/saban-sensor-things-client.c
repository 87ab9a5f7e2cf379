/* saban-sensor-things-client.c: an OGC SensorThings API 1.1 client for the
 * sensor store, on libsoup 3 + json-glib, fully asynchronous.
 *
 * "load" reads every Thing with its Location, Datastreams, their
 * ObservedProperty and latest Observation in one $expand, page by page
 * through @iot.nextLink. "backfill" reads the Observations after a time
 * ($filter=phenomenonTime gt …): polling when MQTT is down, and filling the
 * gap after it comes back. "fetch range" reads one Datastream's
 * Observations between two times into a series of its own (a chart's), not
 * into the store. "fetch history" reads every Datastream's Observations
 * between two times, and "fetch locations" a Thing's HistoricalLocations
 * (a responder's track): a scenario's replay, kept apart from the live
 * store too. Any SensorThings server works for these; only the camera
 * snapshot (`Things(id)/snapshot.png`) is saban-server's extension.
 *
 * Every request goes through the server's SabanApi (its session, token,
 * timeouts and retries); an @iot.nextLink off that server is not followed.
 *
 * The network is hostile: every entity is checked for types and sizes, and
 * a bad one is dropped with a logged reason while its siblings load.
 */
#include "saban-sensor-things-client.h"
#include "saban-json.h"
#include "saban-alarm-level.h"

#include <math.h>
#include <string.h>

#define LOG_DOMAIN "saban-iot"
#define MAX_PAGES 10000
#define MAX_BODY (64 * 1024 * 1024)
#define MAX_TEXT 1024
/* a week of one-minute readings, with room to spare */
#define MAX_SERIES 20000
#define MAX_SNAPSHOT (16 * 1024 * 1024)
/* a replay's observations, 32 bytes each: a day of ~1 700 five-minute datastreams */
#define MAX_HISTORY 500000
#define MAX_TIME_TEXT 64

struct _SabanSensorThingsClient
{
  GObject           parent_instance;
  SabanApi         *api;
  char             *service;   /* the service's path on the server: "/v1.1" */
  SabanSensorStore *store;
  SabanUnitStore   *units;     /* responders, when asked for */
};

typedef enum
{
  JOB_LOAD,
  JOB_BACKFILL,
  JOB_RANGE,
  JOB_HISTORY,
  JOB_LOCATIONS,
} JobKind;

typedef struct
{
  char     *next;
  guint     pages;
  guint     count;
  JobKind   kind;
  GArray   *series;     /* of SabanObservation, SabanDatastreamObservation or SabanUnitFix, by time */
  gint64    last_us;    /* the time of its last element */
  guint     max;        /* how long the series may grow */
  gboolean  truncated;  /* there was more than max */
} Job;

G_DEFINE_FINAL_TYPE (SabanSensorThingsClient, saban_sensor_things_client, G_TYPE_OBJECT)

static void
job_free (gpointer data)
{
  Job *job = data;

  g_free (job->next);
  g_clear_pointer (&job->series, g_array_unref);
  g_free (job);
}

static void
saban_sensor_things_client_finalize (GObject *object)
{
  SabanSensorThingsClient *self = SABAN_SENSOR_THINGS_CLIENT (object);

  g_clear_object (&self->api);
  g_clear_object (&self->store);
  g_clear_object (&self->units);
  g_free (self->service);
  G_OBJECT_CLASS (saban_sensor_things_client_parent_class)->finalize (object);
}

static void
saban_sensor_things_client_class_init (SabanSensorThingsClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_sensor_things_client_finalize;
}

static void
saban_sensor_things_client_init (SabanSensorThingsClient *self)
{
}

/**
 * saban_sensor_things_client_new:
 * @api: the server
 * @service: the service root's path on it, e.g. `/v1.1`
 * @store: the store to fill
 *
 * Returns: (transfer full): a client
 */
SabanSensorThingsClient *
saban_sensor_things_client_new (SabanApi *api, const char *service, SabanSensorStore *store)
{
  SabanSensorThingsClient *self;

  g_return_val_if_fail (SABAN_IS_API (api), NULL);
  g_return_val_if_fail (service != NULL && service[0] == '/', NULL);
  g_return_val_if_fail (SABAN_IS_SENSOR_STORE (store), NULL);

  self = g_object_new (SABAN_TYPE_SENSOR_THINGS_CLIENT, NULL);
  self->api = g_object_ref (api);
  self->service = g_strdup (service);
  /* tolerate a trailing slash */
  if (g_str_has_suffix (self->service, "/"))
    self->service[strlen (self->service) - 1] = '\0';
  self->store = g_object_ref (store);
  return self;
}

/**
 * saban_sensor_things_client_set_units:
 * @self: a client
 * @units: (nullable): where responder units (Things of kind "responder")
 *   go when loading; without it they are skipped
 */
void
saban_sensor_things_client_set_units (SabanSensorThingsClient *self, SabanUnitStore *units)
{
  g_return_if_fail (SABAN_IS_SENSOR_THINGS_CLIENT (self));
  g_set_object (&self->units, units);
}

/**
 * saban_sensor_things_client_get_units:
 * @self: a client
 *
 * Returns: (transfer none) (nullable): its unit store
 */
SabanUnitStore *
saban_sensor_things_client_get_units (SabanSensorThingsClient *self)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_THINGS_CLIENT (self), NULL);
  return self->units;
}

/**
 * saban_sensor_things_client_get_store:
 * @self: a client
 *
 * Returns: (transfer none): the store it fills
 */
SabanSensorStore *
saban_sensor_things_client_get_store (SabanSensorThingsClient *self)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_THINGS_CLIENT (self), NULL);
  return self->store;
}

/**
 * saban_sensor_things_format_time:
 * @time_us: µs since the epoch
 *
 * Returns: (transfer full): the time as SensorThings $filter wants it
 *   (ISO 8601, UTC, milliseconds)
 */
char *
saban_sensor_things_format_time (gint64 time_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_autofree char *base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, (int) ((time_us % G_USEC_PER_SEC) / 1000));
}

/* ---- checked JSON access ---- */

static gboolean
get_int (JsonObject *o, const char *name, gint64 *out)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (n);
  return TRUE;
}

/* NULL when absent, not a string, or too long to be anything but garbage */
static const char *
get_string (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING ||
      strlen (json_node_get_string (n)) > MAX_TEXT)
    return NULL;
  return json_node_get_string (n);
}

static JsonObject *
get_object (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
get_array (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

/* what a player can be pointed at: RTSP, or HLS over HTTP(S); never a local file */
static gboolean
is_stream_url (const char *url)
{
  return url != NULL && (g_str_has_prefix (url, "rtsp://") || g_str_has_prefix (url, "rtsps://") ||
                         g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://"));
}

static gboolean
thing_position (JsonObject *thing, double *lon, double *lat)
{
  JsonArray *locations = get_array (thing, "Locations");

  for (guint i = 0; locations != NULL && i < json_array_get_length (locations); i++)
    {
      JsonNode *ln = json_array_get_element (locations, i);
      JsonObject *geo = JSON_NODE_HOLDS_OBJECT (ln) ? get_object (json_node_get_object (ln), "location") : NULL;
      JsonArray *c = get_array (geo, "coordinates");

      if (g_strcmp0 (get_string (geo, "type"), "Point") != 0 || c == NULL || json_array_get_length (c) < 2)
        continue;
      {
        JsonNode *x = json_array_get_element (c, 0), *y = json_array_get_element (c, 1);
        if (!JSON_NODE_HOLDS_VALUE (x) || !JSON_NODE_HOLDS_VALUE (y) ||
            json_node_get_value_type (x) == G_TYPE_STRING || json_node_get_value_type (y) == G_TYPE_STRING)
          continue;
        *lon = json_node_get_double (x);
        *lat = json_node_get_double (y);
        if (isfinite (*lon) && isfinite (*lat) && fabs (*lon) <= 180 && fabs (*lat) <= 85.06)
          return TRUE;
      }
    }
  return FALSE;
}

static void
load_datastream (SabanSensorThingsClient *self, gint64 thing_id, const char *thing_kind,
                 JsonObject *thing_props, double lon, double lat, JsonNode *node)
{
  JsonObject *ds = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonObject *props = get_object (ds, "properties");
  JsonObject *unit = get_object (ds, "unitOfMeasurement");
  JsonArray *obs = get_array (ds, "Observations");
  const char *kind = get_string (props, "kind");
  SabanSensor meta = { .thing_id = thing_id, .commune = (char *) get_string (thing_props, "communeCode"),
                       .commune_name = (char *) get_string (thing_props, "communeName"), .lon = lon, .lat = lat };

  if (ds == NULL || !get_int (ds, "@iot.id", &meta.datastream_id) || meta.datastream_id <= 0)
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "Thing %" G_GINT64_FORMAT ": Datastream rejected: no integer @iot.id", thing_id);
      return;
    }
  if ((meta.name = (char *) get_string (ds, "name")) == NULL)
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "Datastream %" G_GINT64_FORMAT " rejected: name missing, not a string or too long",
             meta.datastream_id);
      return;
    }
  if (kind == NULL)
    kind = thing_kind;
  if (kind == NULL)
    kind = get_string (get_object (ds, "ObservedProperty"), "name");
  meta.kind = saban_sensor_kind_from_string (kind);
  meta.unit = (char *) get_string (unit, "symbol");
  saban_sensor_read_levels (&meta, props);
  if (!get_int (props, "intervalSeconds", &meta.interval_s) || meta.interval_s < 0)
    meta.interval_s = 0;

  saban_sensor_store_add (self->store, &meta);
  if (obs != NULL && json_array_get_length (obs) > 0)
    saban_sensor_store_observe_json (self->store, meta.datastream_id, json_array_get_element (obs, 0), NULL);
}

static guint
load_things (SabanSensorThingsClient *self, JsonArray *value)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (value); i++)
    {
      JsonNode *node = json_array_get_element (value, i);
      JsonObject *thing = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonArray *datastreams = get_array (thing, "Datastreams");
      gint64 id;
      double lon, lat;
      const char *name = get_string (thing, "name");
      JsonObject *props = get_object (thing, "properties");
      const char *kind = get_string (props, "kind");
      const char *stream = get_string (props, "streamUrl");

      if (thing == NULL || !get_int (thing, "@iot.id", &id))
        {
          g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "Thing rejected: not an object or no integer @iot.id");
          continue;
        }
      if (name == NULL)
        {
          g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "Thing %" G_GINT64_FORMAT " rejected: name missing, not a string or too long", id);
          continue;
        }
      /* Things that measure nothing and are no camera are not sensors; responders
       * are units, when a unit store was given */
      if ((datastreams == NULL || json_array_get_length (datastreams) == 0) &&
          saban_sensor_kind_from_string (kind) != SABAN_SENSOR_KIND_CAMERA &&
          (self->units == NULL || g_strcmp0 (kind, "responder") != 0))
        continue;
      if (!thing_position (thing, &lon, &lat))
        {
          g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "Thing %" G_GINT64_FORMAT " rejected: no Location with a valid Point", id);
          continue;
        }
      if (g_strcmp0 (kind, "responder") == 0)
        {
          saban_unit_store_add (self->units, id, name, get_string (props, "code"), lon, lat, g_get_real_time ());
          n++;
          continue;
        }
      if (datastreams == NULL || json_array_get_length (datastreams) == 0)
        {
          /* a camera: a Thing on the map with no measurements */
          SabanSensor meta = { .thing_id = id, .name = (char *) name, .commune = (char *) get_string (props, "communeCode"),
                               .commune_name = (char *) get_string (props, "communeName"),
                               .stream_url = is_stream_url (stream) ? (char *) stream : NULL,
                               .kind = saban_sensor_kind_from_string (kind),
                               .lon = lon, .lat = lat, .alert_level = NAN, .danger_level = NAN };
          saban_sensor_store_add (self->store, &meta);
        }
      for (guint j = 0; datastreams != NULL && j < json_array_get_length (datastreams); j++)
        load_datastream (self, id, kind, props, lon, lat, json_array_get_element (datastreams, j));
      n++;
    }
  return n;
}

static guint
load_observations (SabanSensorThingsClient *self, JsonArray *value)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (value); i++)
    {
      JsonNode *node = json_array_get_element (value, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      gint64 ds;

      if (!get_int (get_object (o, "Datastream"), "@iot.id", &ds))
        {
          g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "observation rejected: no Datastream with an integer @iot.id");
          continue;
        }
      if (saban_sensor_store_observe_json (self->store, ds, node, NULL))
        n++;
    }
  return n;
}

/* the server was asked for time order, but a series must be in order
 * whatever it sent */
static gboolean
series_append (Job *job, gint64 time_us, gconstpointer element)
{
  if (job->series->len > 0 && job->last_us > time_us)
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "%s rejected: out of time order",
             job->kind == JOB_LOCATIONS ? "HistoricalLocation" : "observation");
      return FALSE;
    }
  g_array_append_vals (job->series, element, 1);
  job->last_us = time_us;
  return TRUE;
}

/* a chart's series, or (with its Datastream) a replay's: checked like any
 * observation */
static guint
load_series (Job *job, JsonArray *value)
{
  guint n = 0, i;

  for (i = 0; i < json_array_get_length (value) && job->series->len < job->max; i++)
    {
      JsonNode *node = json_array_get_element (value, i);
      SabanDatastreamObservation d;
      g_autoptr(GError) error = NULL;

      if (!saban_observation_parse (node, &d.observation, &error))
        {
          g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "observation rejected: %s", error->message);
          continue;
        }
      if (job->kind == JOB_HISTORY &&
          (!get_int (get_object (json_node_get_object (node), "Datastream"), "@iot.id", &d.datastream_id) ||
           d.datastream_id <= 0))
        {
          g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "observation rejected: no Datastream with an integer @iot.id");
          continue;
        }
      if (job->kind == JOB_HISTORY ? series_append (job, d.observation.time_us, &d)
                                   : series_append (job, d.observation.time_us, &d.observation))
        n++;
    }
  job->truncated |= i < json_array_get_length (value);
  return n;
}

static gboolean
parse_time (const char *text, gint64 *time_us)
{
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || strlen (text) > MAX_TIME_TEXT || (dt = g_date_time_new_from_iso8601 (text, NULL)) == NULL)
    return FALSE;
  *time_us = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return *time_us > 0;
}

/* a responder's track: each HistoricalLocation with a time and a Point */
static guint
load_locations (Job *job, JsonArray *value)
{
  guint n = 0, i;

  for (i = 0; i < json_array_get_length (value) && job->series->len < job->max; i++)
    {
      JsonNode *node = json_array_get_element (value, i);
      JsonObject *h = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      SabanUnitFix fix;

      if (!parse_time (get_string (h, "time"), &fix.time_us))
        {
          g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "HistoricalLocation rejected: not an object or no ISO 8601 time");
          continue;
        }
      if (!thing_position (h, &fix.lon, &fix.lat))
        {
          g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "HistoricalLocation rejected: no Location with a valid Point");
          continue;
        }
      if (series_append (job, fix.time_us, &fix))
        n++;
    }
  job->truncated |= i < json_array_get_length (value);
  return n;
}

static void fetch_page (GTask *task);

static void
page_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = saban_api_get_finish (SABAN_API (source), result, NULL, &error);
  g_autoptr(JsonNode) parsed = NULL;
  SabanSensorThingsClient *self;
  Job *job = g_task_get_task_data (task);
  JsonObject *root;
  JsonArray *value;
  const char *next;

  if (g_task_return_error_if_cancelled (task))
    return;
  self = g_task_get_source_object (task);
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if ((parsed = saban_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (parsed) ||
      (value = get_array ((root = json_node_get_object (parsed)), "value")) == NULL)
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "page rejected: not a SensorThings collection (%s)",
             error ? error->message : "no value array");
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not a SensorThings collection");
      return;
    }
  switch (job->kind)
    {
    case JOB_LOAD:
      job->count += load_things (self, value);
      break;
    case JOB_BACKFILL:
      job->count += load_observations (self, value);
      break;
    case JOB_LOCATIONS:
      job->count += load_locations (job, value);
      break;
    case JOB_RANGE:
    case JOB_HISTORY:
    default:
      job->count += load_series (job, value);
      break;
    }

  next = get_string (root, "@iot.nextLink");
  g_clear_pointer (&job->next, g_free);
  /* a server that pages forever must not keep us busy forever */
  if (next != NULL && job->series != NULL && job->series->len >= job->max)
    job->truncated = TRUE;
  else if (next != NULL && ++job->pages < MAX_PAGES && saban_api_owns_url (self->api, next))
    {
      job->next = g_strdup (next);
      fetch_page (g_steal_pointer (&task));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* takes @task */
static void
fetch_page (GTask *task)
{
  SabanSensorThingsClient *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);

  saban_api_get_async (self->api, job->next, "application/json", SABAN_API_READ, MAX_BODY,
                       g_task_get_cancellable (task), page_done, task);
}

/**
 * saban_sensor_things_client_load_async:
 * @self: a client
 * @cancellable: (nullable): cancels the load
 * @callback: called when every page is read
 * @user_data: for @callback
 *
 * Loads every Thing (with Location, Datastreams and their latest
 * Observation) into the store.
 */
void
saban_sensor_things_client_load_async (SabanSensorThingsClient *self, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  Job *job = g_new0 (Job, 1);

  g_return_if_fail (SABAN_IS_SENSOR_THINGS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, saban_sensor_things_client_load_async);
  job->next = g_strconcat (self->service,
                           "/Things?$top=200&$expand=Locations,Datastreams($expand=ObservedProperty,"
                           "Observations($orderby=phenomenonTime%20desc;$top=1))", NULL);
  g_task_set_task_data (task, job, job_free);
  fetch_page (task);
}

/**
 * saban_sensor_things_client_load_finish:
 * @self: a client
 * @result: the result
 * @error: why it failed
 *
 * Returns: whether every page was read
 */
gboolean
saban_sensor_things_client_load_finish (SabanSensorThingsClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * saban_sensor_things_client_backfill_async:
 * @self: a client
 * @since_us: read observations with a phenomenonTime after this
 * @cancellable: (nullable): cancels it
 * @callback: called when done
 * @user_data: for @callback
 *
 * Reads every Observation after @since_us, oldest first, into the store.
 */
void
saban_sensor_things_client_backfill_async (SabanSensorThingsClient *self, gint64 since_us,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data)
{
  GTask *task;
  Job *job = g_new0 (Job, 1);
  g_autofree char *since = saban_sensor_things_format_time (since_us);

  g_return_if_fail (SABAN_IS_SENSOR_THINGS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, saban_sensor_things_client_backfill_async);
  job->kind = JOB_BACKFILL;
  job->next = g_strdup_printf ("%s/Observations?$top=1000&$filter=phenomenonTime%%20gt%%20%s"
                               "&$orderby=phenomenonTime%%20asc&$expand=Datastream($select=id)",
                               self->service, since);
  g_task_set_task_data (task, job, job_free);
  fetch_page (task);
}

/**
 * saban_sensor_things_client_backfill_finish:
 * @self: a client
 * @result: the result
 * @n_observations: (out) (optional): how many observations were accepted
 * @error: why it failed
 *
 * Returns: whether every page was read
 */
gboolean
saban_sensor_things_client_backfill_finish (SabanSensorThingsClient *self, GAsyncResult *result,
                                            guint *n_observations, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  if (n_observations)
    *n_observations = ((Job *) g_task_get_task_data (G_TASK (result)))->count;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* reads a series (a chart's, a replay's) page by page from @url (taken) */
static void
start_series (SabanSensorThingsClient *self, JobKind kind, guint element_size, guint max, char *url,
              gpointer source_tag, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  g_task_set_source_tag (task, source_tag);
  job->kind = kind;
  job->series = g_array_new (FALSE, FALSE, element_size);
  job->max = max;
  job->next = url;
  g_task_set_task_data (task, job, job_free);
  fetch_page (task);
}

static GArray *
series_finish (SabanSensorThingsClient *self, GAsyncResult *result, gboolean *truncated, GError **error)
{
  Job *job;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  job = g_task_get_task_data (G_TASK (result));
  if (truncated)
    *truncated = job->truncated;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return g_array_ref (job->series);
}

/**
 * saban_sensor_things_client_fetch_range_async:
 * @self: a client
 * @datastream_id: the Datastream
 * @from_us: the first phenomenonTime wanted (inclusive)
 * @to_us: the last (inclusive)
 * @cancellable: (nullable): cancels it
 * @callback: called when done
 * @user_data: for @callback
 *
 * Reads the Datastream's Observations between two times, oldest first,
 * following @iot.nextLink up to 20 000 observations. The store is not
 * touched: the series belongs to the caller (a chart).
 */
void
saban_sensor_things_client_fetch_range_async (SabanSensorThingsClient *self, gint64 datastream_id,
                                              gint64 from_us, gint64 to_us, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *from = saban_sensor_things_format_time (from_us);
  g_autofree char *to = saban_sensor_things_format_time (to_us);

  g_return_if_fail (SABAN_IS_SENSOR_THINGS_CLIENT (self));

  start_series (self, JOB_RANGE, sizeof (SabanObservation), MAX_SERIES,
                g_strdup_printf ("%s/Datastreams(%" G_GINT64_FORMAT ")/Observations?$top=200"
                                 "&$filter=phenomenonTime%%20ge%%20%s%%20and%%20phenomenonTime%%20le%%20%s"
                                 "&$orderby=phenomenonTime%%20asc&$select=id,phenomenonTime,result",
                                 self->service, datastream_id, from, to),
                saban_sensor_things_client_fetch_range_async, cancellable, callback, user_data);
}

/**
 * saban_sensor_things_client_fetch_range_finish:
 * @self: a client
 * @result: the result
 * @error: why it failed
 *
 * Returns: (transfer full) (element-type SabanObservation): the series, by
 *   time; %NULL on error
 */
GArray *
saban_sensor_things_client_fetch_range_finish (SabanSensorThingsClient *self, GAsyncResult *result, GError **error)
{
  return series_finish (self, result, NULL, error);
}

/**
 * saban_sensor_things_client_fetch_history_async:
 * @self: a client
 * @from_us: the first phenomenonTime wanted (inclusive)
 * @to_us: the last (inclusive)
 * @cancellable: (nullable): cancels it
 * @callback: called when done
 * @user_data: for @callback
 *
 * Reads every Datastream's Observations between two times, oldest first,
 * following @iot.nextLink up to 500 000 observations (a replay's history).
 * The store is not touched.
 */
void
saban_sensor_things_client_fetch_history_async (SabanSensorThingsClient *self, gint64 from_us, gint64 to_us,
                                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                                gpointer user_data)
{
  g_autofree char *from = saban_sensor_things_format_time (from_us);
  g_autofree char *to = saban_sensor_things_format_time (to_us);

  g_return_if_fail (SABAN_IS_SENSOR_THINGS_CLIENT (self));

  start_series (self, JOB_HISTORY, sizeof (SabanDatastreamObservation), MAX_HISTORY,
                g_strdup_printf ("%s/Observations?$top=1000"
                                 "&$filter=phenomenonTime%%20ge%%20%s%%20and%%20phenomenonTime%%20le%%20%s"
                                 "&$orderby=phenomenonTime%%20asc&$select=id,phenomenonTime,result"
                                 "&$expand=Datastream($select=id)",
                                 self->service, from, to),
                saban_sensor_things_client_fetch_history_async, cancellable, callback, user_data);
}

/**
 * saban_sensor_things_client_fetch_history_finish:
 * @self: a client
 * @result: the result
 * @truncated: (out) (optional): whether the server had more than could be kept
 * @error: why it failed
 *
 * Returns: (transfer full) (element-type SabanDatastreamObservation): the
 *   observations, by time; %NULL on error
 */
GArray *
saban_sensor_things_client_fetch_history_finish (SabanSensorThingsClient *self, GAsyncResult *result,
                                                 gboolean *truncated, GError **error)
{
  return series_finish (self, result, truncated, error);
}

/**
 * saban_sensor_things_client_fetch_locations_async:
 * @self: a client
 * @thing_id: a Thing (a responder unit)
 * @from_us: the first time wanted (inclusive)
 * @to_us: the last (inclusive)
 * @cancellable: (nullable): cancels it
 * @callback: called when done
 * @user_data: for @callback
 *
 * Reads where the Thing was between two times — its HistoricalLocations
 * with their Locations, oldest first, up to 20 000 —, each checked: an
 * ISO 8601 time and a GeoJSON Point on Earth.
 */
void
saban_sensor_things_client_fetch_locations_async (SabanSensorThingsClient *self, gint64 thing_id, gint64 from_us,
                                                  gint64 to_us, GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *from = saban_sensor_things_format_time (from_us);
  g_autofree char *to = saban_sensor_things_format_time (to_us);

  g_return_if_fail (SABAN_IS_SENSOR_THINGS_CLIENT (self));

  start_series (self, JOB_LOCATIONS, sizeof (SabanUnitFix), MAX_SERIES,
                g_strdup_printf ("%s/Things(%" G_GINT64_FORMAT ")/HistoricalLocations?$top=1000"
                                 "&$filter=time%%20ge%%20%s%%20and%%20time%%20le%%20%s"
                                 "&$orderby=time%%20asc&$expand=Locations",
                                 self->service, thing_id, from, to),
                saban_sensor_things_client_fetch_locations_async, cancellable, callback, user_data);
}

/**
 * saban_sensor_things_client_fetch_locations_finish:
 * @self: a client
 * @result: the result
 * @error: why it failed
 *
 * Returns: (transfer full) (element-type SabanUnitFix): the fixes, by time;
 *   %NULL on error
 */
GArray *
saban_sensor_things_client_fetch_locations_finish (SabanSensorThingsClient *self, GAsyncResult *result,
                                                   GError **error)
{
  return series_finish (self, result, NULL, error);
}

static void
snapshot_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = saban_api_get_finish (SABAN_API (source), result, &msg, &error);
  const char *type;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  if (type == NULL || !g_str_has_prefix (type, "image/") || g_bytes_get_size (bytes) == 0 ||
      g_bytes_get_size (bytes) > MAX_SNAPSHOT)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not an image (%s, %" G_GSIZE_FORMAT " bytes)",
                               type ? type : "no type", g_bytes_get_size (bytes));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

/**
 * saban_sensor_things_client_fetch_snapshot_async:
 * @self: a client
 * @thing_id: a camera's Thing
 * @cancellable: (nullable): cancels it
 * @callback: called when done
 * @user_data: for @callback
 *
 * Reads a camera's latest picture, `Things(id)/snapshot.png` (saban-server's
 * extension to SensorThings). Only a 200 answer with an image/… type and at
 * most 16 MB counts; decoding it is the caller's.
 */
void
saban_sensor_things_client_fetch_snapshot_async (SabanSensorThingsClient *self, gint64 thing_id,
                                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                                 gpointer user_data)
{
  GTask *task;
  g_autofree char *path = NULL;

  g_return_if_fail (SABAN_IS_SENSOR_THINGS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, saban_sensor_things_client_fetch_snapshot_async);
  path = g_strdup_printf ("%s/Things(%" G_GINT64_FORMAT ")/snapshot.png", self->service, thing_id);
  saban_api_get_async (self->api, path, "image/*", SABAN_API_READ, MAX_SNAPSHOT, cancellable, snapshot_done,
                       task);
}

/**
 * saban_sensor_things_client_fetch_snapshot_finish:
 * @self: a client
 * @result: the result
 * @error: why it failed
 *
 * Returns: (transfer full): the picture's bytes, %NULL on error
 */
GBytes *
saban_sensor_things_client_fetch_snapshot_finish (SabanSensorThingsClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
