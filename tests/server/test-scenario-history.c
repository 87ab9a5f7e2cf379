/* A scenario's replay history (SabanScenarioHistory, core) against the real
 * saban-server --demo at 60 simulated seconds a second: every sensor's
 * observations and each unit's HistoricalLocations load; at chosen times
 * the replay's stores hold what the server itself answers for that time
 * (the latest reading at or before it, the state it makes, the latest
 * position and the track up to it), and the live stores stay untouched.
 * Against a fake server: hostile Observations and HistoricalLocations are
 * left out with a logged reason, and a gauge silent for more than three
 * intervals is stale at the replay's time. */
#include "server-fixture.h"

#include <math.h>
#include <string.h>

#include "saban-scenario-history.h"

#define MINUTE ((gint64) 60 * G_USEC_PER_SEC)

static TestServer *server;
static char *service;
static SabanApi *api;   /* the test server's */
static gint64 started_us;

static void
done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;

  if (SABAN_IS_SCENARIO_HISTORY (source))
    *(int *) data = saban_scenario_history_load_finish (SABAN_SCENARIO_HISTORY (source), result, &error) ? 1 : -1;
  else
    *(int *) data = saban_sensor_things_client_load_finish (SABAN_SENSOR_THINGS_CLIENT (source), result, &error) ? 1 : -1;
  if (error)
    g_printerr ("load: %s\n", error->message);
}

static gboolean
is_done (gpointer data)
{
  return *(int *) data != 0;
}

static SabanSensorThingsClient *
live_client (SabanApi *server_api)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(SabanUnitStore) units = saban_unit_store_new ();
  SabanSensorThingsClient *client = saban_sensor_things_client_new (server_api, "/v1.1", store);
  int done = 0;

  saban_sensor_things_client_set_units (client, units);
  saban_sensor_things_client_load_async (client, NULL, done_cb, &done);
  g_assert_true (test_wait_for (is_done, &done, 30000));
  g_assert_cmpint (done, ==, 1);
  return client;
}

static int
load_history (SabanScenarioHistory *history)
{
  int done = 0;

  saban_scenario_history_load_async (history, NULL, done_cb, &done);
  g_assert_true (test_wait_for (is_done, &done, 60000));
  return done;
}

static JsonObject *
first_value (Resp *r)
{
  JsonArray *value;

  g_assert_cmpuint (r->status, ==, 200);
  value = json_object_get_array_member (resp_object (r), "value");
  return json_array_get_length (value) > 0 ? json_array_get_object_element (value, 0) : NULL;
}

static gint64
parse_time (const char *text)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

/* the server's own answer: the datastream's latest reading at or before @t */
static gboolean
server_reading (gint64 ds, gint64 t, gint64 *time_us, double *value)
{
  g_autofree char *at = saban_sensor_things_format_time (t);
  g_autofree char *url = g_strdup_printf ("%s/Datastreams(%" G_GINT64_FORMAT ")/Observations?$top=1"
                                          "&$filter=phenomenonTime%%20le%%20%s&$orderby=phenomenonTime%%20desc",
                                          service, ds, at);
  g_autoptr(Resp) r = test_http ("GET", url, NULL, NULL, NULL, NULL);
  JsonObject *o = first_value (r);

  if (o == NULL)
    return FALSE;
  *time_us = parse_time (json_object_get_string_member (o, "phenomenonTime"));
  *value = json_object_get_double_member (o, "result");
  return TRUE;
}

/* the server's own answer: where the Thing was at @t, and how many fixes it
 * had from @from to @t */
static void
server_position (gint64 thing, gint64 from, gint64 t, double *lon, double *lat, gint64 *count)
{
  g_autofree char *a = saban_sensor_things_format_time (from);
  g_autofree char *b = saban_sensor_things_format_time (t);
  g_autofree char *url = g_strdup_printf ("%s/Things(%" G_GINT64_FORMAT ")/HistoricalLocations?$top=1&$count=true"
                                          "&$filter=time%%20ge%%20%s%%20and%%20time%%20le%%20%s"
                                          "&$orderby=time%%20desc&$expand=Locations",
                                          service, thing, a, b);
  g_autoptr(Resp) r = test_http ("GET", url, NULL, NULL, NULL, NULL);
  JsonObject *h = first_value (r);
  JsonArray *c;

  g_assert_nonnull (h);
  c = json_object_get_array_member (json_object_get_object_member (
        json_array_get_object_element (json_object_get_array_member (h, "Locations"), 0), "location"), "coordinates");
  *lon = json_array_get_double_element (c, 0);
  *lat = json_array_get_double_element (c, 1);
  *count = json_object_get_int_member (resp_object (r), "@iot.count");
}

static void
test_demo (void)
{
  g_autoptr(SabanSensorThingsClient) client = NULL;
  g_autoptr(SabanScenarioHistory) history = NULL;
  SabanSensorStore *live, *replay;
  SabanUnitStore *live_units, *replay_units;
  /* a scenario of the last three hours; the simulated clock runs ahead, so
   * units have positions from 8 minutes before the server started */
  gint64 start = started_us - 180 * MINUTE, end = g_get_real_time ();
  gint64 sensor_times[] = { start + 7 * MINUTE + 3 * G_USEC_PER_SEC, end - 61 * MINUTE, end };
  gint64 unit_times[] = { started_us - 5 * MINUTE - 1, end };
  gint64 lookback = 15 * MINUTE;
  guint compared = 0;

  client = live_client (api);
  live = saban_sensor_things_client_get_store (client);
  live_units = saban_sensor_things_client_get_units (client);
  g_assert_cmpuint (saban_unit_store_get_n_units (live_units), >, 0);
  history = saban_scenario_history_new (client, start, end);
  g_assert_false (saban_scenario_history_get_loaded (history));
  g_assert_cmpint (load_history (history), ==, 1);
  g_assert_true (saban_scenario_history_get_loaded (history));
  replay = saban_scenario_history_get_sensors (history);
  replay_units = saban_scenario_history_get_units (history);
  g_assert_true (replay != live);
  g_assert_true (replay_units != live_units);
  /* the same sensors in the same order: an index means the same sensor */
  g_assert_cmpuint (saban_sensor_store_get_n_sensors (replay), ==, saban_sensor_store_get_n_sensors (live));
  for (guint i = 0; i < saban_sensor_store_get_n_sensors (live); i++)
    {
      g_assert_cmpint (saban_sensor_store_get_sensor (replay, i)->datastream_id, ==,
                       saban_sensor_store_get_sensor (live, i)->datastream_id);
      lookback = MAX (lookback, 3 * saban_sensor_store_get_sensor (live, i)->interval_s * G_USEC_PER_SEC);
    }

  for (guint k = 0; k < G_N_ELEMENTS (sensor_times); k++)
    {
      gint64 t = sensor_times[k];

      saban_scenario_history_show_at (history, t);
      saban_sensor_store_flush (replay);
      for (guint i = 0; i < saban_sensor_store_get_n_sensors (replay); i++)
        {
          const SabanSensor *s = saban_sensor_store_get_sensor (replay, i);
          SabanSensor expected = *s;
          gint64 time_us = 0;
          double value = NAN;

          if (s->datastream_id == 0)
            {
              g_assert_cmpint (s->state, ==, SABAN_SENSOR_STATE_UNKNOWN);
              continue;
            }
          g_assert_true (server_reading (s->datastream_id, t, &time_us, &value));
          if (time_us < start - lookback)
            {
              g_assert_cmpint (s->state, ==, SABAN_SENSOR_STATE_UNKNOWN);
              continue;
            }
          g_assert_cmpint (s->time_us, ==, time_us);
          g_assert_cmpfloat_with_epsilon (s->value, value, 1e-9);
          expected.value = value;
          expected.time_us = time_us;
          g_assert_cmpint (s->state, ==, saban_sensor_state_compute (&expected, t, NULL));
          g_assert_cmpint (s->state, !=, SABAN_SENSOR_STATE_UNKNOWN);
          compared++;
        }
    }
  g_test_message ("%u readings compared with the server's", compared);
  g_assert_cmpuint (compared, >, 60);

  g_assert_cmpuint (saban_unit_store_get_n_units (replay_units), ==, saban_unit_store_get_n_units (live_units));
  for (guint k = 0; k < G_N_ELEMENTS (unit_times); k++)
    {
      saban_scenario_history_show_at (history, unit_times[k]);
      for (guint i = 0; i < saban_unit_store_get_n_units (replay_units); i++)
        {
          const SabanUnit *u = saban_unit_store_get_unit (replay_units, i);
          double lon, lat;
          gint64 count;

          server_position (u->thing_id, start - lookback, unit_times[k], &lon, &lat, &count);
          g_assert_cmpfloat_with_epsilon (u->lon, lon, 1e-9);
          g_assert_cmpfloat_with_epsilon (u->lat, lat, 1e-9);
          g_assert_cmpint (u->time_us, <=, unit_times[k]);
          g_assert_cmpuint (u->track->len, ==, 2 * MIN (count, SABAN_UNIT_TRACK_MAX));
          g_assert_cmpfloat (g_array_index (u->track, double, u->track->len - 2), ==, u->lon);
          g_assert_cmpfloat (g_array_index (u->track, double, u->track->len - 1), ==, u->lat);
        }
    }
  /* back in time: the track shrinks again */
  saban_scenario_history_show_at (history, unit_times[0]);
  g_assert_cmpuint (saban_unit_store_get_unit (replay_units, 0)->track->len, <=, 2 * 3);

  /* the live stores are the live view: their latest readings, no history grown */
  for (guint i = 0; i < saban_sensor_store_get_n_sensors (live); i++)
    {
      const SabanSensor *s = saban_sensor_store_get_sensor (live, i);

      g_assert_true (s->history == NULL || s->history->len <= 1);
    }
  g_assert_cmpuint (saban_unit_store_get_unit (live_units, 0)->track->len, ==, 2);
}

/* ---- a hostile server ---- */

static const char *hostile_things =
  "{\"value\":["
  "{\"@iot.id\":1,\"name\":\"Gauge\",\"properties\":{\"kind\":\"water_level\"},"
  " \"Locations\":[{\"location\":{\"type\":\"Point\",\"coordinates\":[104.0,22.3]}}],"
  " \"Datastreams\":[{\"@iot.id\":11,\"name\":\"Level\",\"unitOfMeasurement\":{\"symbol\":\"m\"},"
  "   \"properties\":{\"alertLevel\":10,\"dangerLevel\":20,\"intervalSeconds\":300}}]},"
  "{\"@iot.id\":50,\"name\":\"Team\",\"properties\":{\"kind\":\"responder\",\"code\":\"DV-050\"},"
  " \"Locations\":[{\"location\":{\"type\":\"Point\",\"coordinates\":[104.1,22.4]}}]}"
  "]}";

static const char *hostile_observations =
  "{\"value\":["
  "{\"@iot.id\":1,\"phenomenonTime\":\"2025-11-28T08:00:00Z\",\"result\":5,\"Datastream\":{\"@iot.id\":11}},"
  "{\"@iot.id\":2,\"phenomenonTime\":\"2025-11-28T08:05:00Z\",\"result\":\"12\",\"Datastream\":{\"@iot.id\":11}},"
  "{\"@iot.id\":3,\"phenomenonTime\":\"yesterday\",\"result\":12,\"Datastream\":{\"@iot.id\":11}},"
  "{\"@iot.id\":4,\"phenomenonTime\":\"2025-11-28T08:05:00Z\",\"result\":12},"
  "{\"@iot.id\":5,\"phenomenonTime\":\"2025-11-28T08:05:00Z\",\"result\":12,\"Datastream\":{\"@iot.id\":\"11\"}},"
  "{\"@iot.id\":6,\"phenomenonTime\":\"2025-11-28T08:05:00Z\",\"result\":1e300,\"Datastream\":{\"@iot.id\":11}},"
  "{\"@iot.id\":7,\"phenomenonTime\":\"2025-11-28T08:10:00Z\",\"result\":25,\"Datastream\":{\"@iot.id\":11}},"
  "{\"@iot.id\":8,\"phenomenonTime\":\"2025-11-28T08:01:00Z\",\"result\":99,\"Datastream\":{\"@iot.id\":11}},"
  "{\"@iot.id\":9,\"phenomenonTime\":\"2025-11-28T08:11:00Z\",\"result\":1,\"Datastream\":{\"@iot.id\":99}},"
  "17"
  "]}";

static const char *hostile_locations =
  "{\"value\":["
  "{\"time\":\"2025-11-28T08:00:00Z\",\"Locations\":[{\"location\":{\"type\":\"Point\",\"coordinates\":[104.0,22.0]}}]},"
  "{\"Locations\":[{\"location\":{\"type\":\"Point\",\"coordinates\":[104.0,22.1]}}]},"
  "{\"time\":\"2025-11-28T08:02:00Z\",\"Locations\":[{\"location\":{\"type\":\"Point\",\"coordinates\":[500,99]}}]},"
  "{\"time\":\"2025-11-28T08:03:00Z\"},"
  "{\"time\":\"2025-11-28T08:04:00Z\",\"Locations\":[{\"location\":{\"type\":\"Polygon\",\"coordinates\":[104,22]}}]},"
  "{\"time\":\"2025-11-28T08:10:00Z\",\"Locations\":[{\"location\":{\"type\":\"Point\",\"coordinates\":[104.2,22.2]}}]},"
  "{\"time\":\"2025-11-28T08:05:00Z\",\"Locations\":[{\"location\":{\"type\":\"Point\",\"coordinates\":[104.9,22.9]}}]},"
  "\"x\""
  "]}";

static void
serve_hostile (SoupServer *srv, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  const char *body = g_str_has_suffix (path, "/HistoricalLocations") ? hostile_locations
                     : g_str_has_suffix (path, "/Observations") ? hostile_observations
                     : g_str_has_suffix (path, "/Things") ? hostile_things : "{\"value\":7}";

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

/* the two parts of a load log in any order: collected, not expected in turn */
static GPtrArray *collected;

static GLogWriterOutput
collect (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  if (collected == NULL || level != G_LOG_LEVEL_MESSAGE)
    return g_log_writer_default (level, fields, n_fields, data);
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      g_ptr_array_add (collected, g_strdup (fields[i].value));
  return G_LOG_WRITER_HANDLED;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static gboolean
logged (GPtrArray *messages, const char *pattern)
{
  for (guint i = 0; i < messages->len; i++)
    if (g_pattern_match_simple (pattern, g_ptr_array_index (messages, i)))
      return TRUE;
  return FALSE;
}

static gint64
at (const char *text)
{
  return parse_time (text);
}

static void
test_hostile (void)
{
  g_autoptr(SoupServer) srv = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanSensorThingsClient) client = NULL;
  g_autoptr(SabanScenarioHistory) history = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *url = NULL;
  g_autoptr(SabanApi) hostile = NULL;
  const SabanSensor *s;
  const SabanUnit *u;
  guint port = test_free_port ();

  soup_server_add_handler (srv, NULL, serve_hostile, NULL, NULL);
  g_assert_true (soup_server_listen_local (srv, port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  hostile = saban_api_new (url);
  client = live_client (hostile);
  history = saban_scenario_history_new (client, at ("2025-11-28T08:00:00Z"), at ("2025-11-28T09:00:00Z"));

  collected = messages;
  g_assert_cmpint (load_history (history), ==, 1);
  collected = NULL;
  for (guint i = 0; i < messages->len; i++)
    g_test_message ("logged: %s", (char *) g_ptr_array_index (messages, i));
  g_assert_true (logged (messages, "observation rejected: result missing or not a number"));
  g_assert_true (logged (messages, "observation rejected: phenomenonTime is not ISO 8601"));
  g_assert_true (logged (messages, "observation rejected: no Datastream with an integer @iot.id"));
  g_assert_true (logged (messages, "observation rejected: result out of range"));
  g_assert_true (logged (messages, "observation rejected: out of time order"));
  g_assert_true (logged (messages, "observation rejected: observation is not an object"));
  g_assert_true (logged (messages, "replay: 1 observations of datastreams not known live left out"));
  g_assert_true (logged (messages, "HistoricalLocation rejected: not an object or no ISO 8601 time"));
  g_assert_true (logged (messages, "HistoricalLocation rejected: no Location with a valid Point"));
  g_assert_true (logged (messages, "HistoricalLocation rejected: out of time order"));

  s = saban_sensor_store_get_sensor (saban_scenario_history_get_sensors (history), 0);
  u = saban_unit_store_get_unit (saban_scenario_history_get_units (history), 0);
  /* before any reading: no data; the unit at its first position */
  saban_scenario_history_show_at (history, at ("2025-11-28T07:59:00Z"));
  g_assert_cmpint (s->state, ==, SABAN_SENSOR_STATE_UNKNOWN);
  g_assert_cmpfloat (u->lat, ==, 22.0);
  g_assert_cmpuint (u->track->len, ==, 2);
  /* only the good readings count */
  saban_scenario_history_show_at (history, at ("2025-11-28T08:07:00Z"));
  g_assert_cmpfloat (s->value, ==, 5);
  g_assert_cmpint (s->state, ==, SABAN_SENSOR_STATE_NORMAL);
  g_assert_cmpfloat (u->lat, ==, 22.0);
  saban_scenario_history_show_at (history, at ("2025-11-28T08:10:00Z"));
  g_assert_cmpfloat (s->value, ==, 25);
  g_assert_cmpint (s->state, ==, SABAN_SENSOR_STATE_DANGER);
  g_assert_cmpfloat (u->lat, ==, 22.2);
  g_assert_cmpuint (u->track->len, ==, 4);
  /* silent for more than three intervals: stale at the replay's time, with its age */
  saban_scenario_history_show_at (history, at ("2025-11-28T08:25:01Z"));
  g_assert_cmpint (s->state, ==, SABAN_SENSOR_STATE_STALE);
  g_assert_cmpint (s->age_s, ==, 15 * 60 + 1);
  /* and the store stays on the replay's clock: its refresh by the real one (every 5 s) is off */
  saban_scenario_history_show_at (history, at ("2025-11-28T08:12:00Z"));
  g_assert_false (test_wait_for (never, NULL, 6000));
  g_assert_cmpint (s->state, ==, SABAN_SENSOR_STATE_DANGER);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (collect, NULL, NULL);
  dir = test_tmpdir ();
  db = g_build_filename (dir, "history.db", NULL);
  started_us = g_get_real_time ();
  server = test_server_start (db, (const char *const[]) { "--rate-limit=0", "--sim-speed=60", NULL });
  service = g_strconcat (server->base, "/v1.1", NULL);
  api = saban_api_new (server->base);
  /* a few simulated minutes of unit moves */
  g_usleep (5 * G_USEC_PER_SEC);

  g_test_add_func ("/scenario-history/demo", test_demo);
  g_test_add_func ("/scenario-history/hostile", test_hostile);
  ret = g_test_run ();

  test_server_stop (server);
  test_server_free (server);
  g_free (service);
  g_clear_object (&api);
  return ret;
}
