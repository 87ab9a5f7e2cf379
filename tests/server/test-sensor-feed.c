/* The client side of live IoT against the real saban-server and a real
 * mosquitto: SabanSensorThingsClient loads every sensor into a
 * SabanSensorStore; SabanSensorFeed, on a SabanLiveChannel, turns a posted danger-level observation
 * into DANGER within a second; with the broker stopped polling takes over
 * and, once it is back, nothing posted meanwhile is missing (the store is
 * compared with the server). Hostile SensorThings JSON and MQTT payloads are
 * rejected per entity. A chart's range is read page by page, in order and
 * complete; a camera's snapshot is a PNG, anything else a clear error. */
#include "server-fixture.h"

#include <string.h>
#include <math.h>
#include <mosquitto.h>

#include "saban-sensor-feed.h"
#include "saban-sensor-things-client.h"

static TestServer *server;
static GSubprocess *broker;
static guint broker_port;
static char *service;
static SabanApi *api;   /* the test server's */
static char *token;
static char *mqtt_arg;

static void
load_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;

  *(int *) data = saban_sensor_things_client_load_finish (SABAN_SENSOR_THINGS_CLIENT (source), result, &error) ? 1 : -1;
  if (error)
    g_printerr ("load: %s\n", error->message);
}

static int
load (SabanSensorThingsClient *client)
{
  int done = 0;

  saban_sensor_things_client_load_async (client, NULL, load_done, &done);
  while (done == 0)
    g_main_context_iteration (NULL, TRUE);
  return done;
}

static gint64
find_datastream (SabanSensorStore *store, SabanSensorKind kind, guint *index)
{
  for (guint i = 0; i < saban_sensor_store_get_n_sensors (store); i++)
    {
      const SabanSensor *s = saban_sensor_store_get_sensor (store, i);
      if (s->kind == kind && s->datastream_id != 0)
        {
          *index = i;
          return s->datastream_id;
        }
    }
  g_assert_not_reached ();
}

static gint64
post_observation (gint64 ds, double value, gint64 time_us)
{
  g_autofree char *t = saban_sensor_things_format_time (time_us);

  return test_observation_post (server, token, ds, value, t);
}

static void
test_load (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(SabanSensorThingsClient) client = saban_sensor_things_client_new (api, "/v1.1", store);
  guint counts[SABAN_SENSOR_KIND_CAMERA + 1] = { 0 };
  guint n;

  g_assert_cmpint (load (client), ==, 1);
  n = saban_sensor_store_get_n_sensors (store);
  g_assert_cmpuint (n, >, 10);
  for (guint i = 0; i < n; i++)
    {
      const SabanSensor *s = saban_sensor_store_get_sensor (store, i);

      counts[s->kind]++;
      /* Lào Cai */
      g_assert_cmpfloat (s->lon, >, 103.3);
      g_assert_cmpfloat (s->lon, <, 105.5);
      g_assert_cmpfloat (s->lat, >, 21.3);
      g_assert_cmpfloat (s->lat, <, 23.0);
      g_assert_nonnull (s->name);
      g_assert_nonnull (s->commune);
      g_assert_true (g_utf8_validate (s->commune_name, -1, NULL) && strlen (s->commune_name) > 2);
      if (s->kind == SABAN_SENSOR_KIND_CAMERA)
        continue;
      g_assert_cmpint (s->datastream_id, >, 0);
      g_assert_false (isnan (s->alert_level));
      g_assert_cmpfloat (s->danger_level, >, s->alert_level);
      /* the demo's three provincial levels (properties.alarmLevels) */
      g_assert_cmpfloat (s->level_2, >, s->alert_level);
      g_assert_cmpfloat (s->level_2, <, s->danger_level);
      g_assert_cmpint (s->interval_s, >, 0);
      g_assert_nonnull (s->unit);
      /* the latest observation came with the $expand */
      g_assert_false (isnan (s->value));
      g_assert_cmpint (s->state, !=, SABAN_SENSOR_STATE_UNKNOWN);
    }
  g_assert_cmpuint (counts[SABAN_SENSOR_KIND_WATER_LEVEL], >, 0);
  g_assert_cmpuint (counts[SABAN_SENSOR_KIND_RAIN], >, 0);
  g_assert_cmpuint (counts[SABAN_SENSOR_KIND_AIR_QUALITY], >, 0);
  g_assert_cmpuint (counts[SABAN_SENSOR_KIND_CAMERA], >, 0);
  g_assert_cmpuint (counts[SABAN_SENSOR_KIND_OTHER], ==, 0);

  /* a reload updates, never duplicates */
  g_assert_cmpint (load (client), ==, 1);
  g_assert_cmpuint (saban_sensor_store_get_n_sensors (store), ==, n);
}

typedef struct
{
  SabanSensorStore *store;
  SabanSensorFeed  *feed;
  guint             index;
  SabanSensorState  state;
  SabanFeedState    feed_state;
  GArray           *ids;
} Watch;

/* the sensors' channel, as the session makes it: the broker, polling while
 * it is down */
static SabanLiveChannel *
sensors_channel (const char *addr)
{
  SabanLiveChannel *channel = saban_live_channel_new (addr, (const char *const[]) { "v1.1/#", NULL });

  saban_live_channel_set_login (channel, TEST_MQTT_CLIENT_USER, TEST_MQTT_CLIENT_PASSWORD, NULL);
  return channel;
}

static gboolean
is_state (gpointer data)
{
  Watch *w = data;
  return saban_sensor_store_get_sensor (w->store, w->index)->state == w->state;
}

static gboolean
is_feed_state (gpointer data)
{
  Watch *w = data;
  return saban_sensor_feed_get_state (w->feed) == w->feed_state;
}

static gboolean
has_ids (gpointer data)
{
  Watch *w = data;
  const SabanHistory *h = saban_sensor_store_get_sensor (w->store, w->index)->history;

  if (h == NULL)
    return w->ids->len == 0;
  for (guint i = 0; i < w->ids->len; i++)
    {
      gboolean found = FALSE;
      for (guint j = 0; j < h->len && !found; j++)
        found = h->obs[j].id == g_array_index (w->ids, gint64, i);
      if (!found)
        return FALSE;
    }
  return TRUE;
}

static gboolean
has_messages (gpointer data)
{
  return saban_sensor_feed_get_n_messages (data) > 0;
}

static void
test_live_and_outage (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(SabanSensorThingsClient) client = saban_sensor_things_client_new (api, "/v1.1", store);
  g_autofree char *addr = g_strdup_printf ("127.0.0.1:%u", broker_port);
  g_autoptr(SabanLiveChannel) channel = sensors_channel (addr);
  g_autoptr(SabanSensorFeed) feed = saban_sensor_feed_new (channel, client);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  Watch w = { store, feed, 0, 0, 0, ids };
  gint64 ds, start, t0;
  const SabanSensor *s;

  g_assert_cmpint (load (client), ==, 1);
  ds = find_datastream (store, SABAN_SENSOR_KIND_WATER_LEVEL, &w.index);
  s = saban_sensor_store_get_sensor (store, w.index);
  saban_live_channel_set_poll_interval (channel, 1);
  saban_sensor_feed_start (feed);
  saban_live_channel_start (channel);
  w.feed_state = SABAN_FEED_STATE_LIVE;
  g_assert_true (test_wait_for (is_feed_state, &w, 10000));

  /* a rise above the danger level: DANGER within a second of the publish */
  t0 = g_get_real_time ();
  post_observation (ds, s->danger_level + 1.0, t0);
  start = g_get_monotonic_time ();
  w.state = SABAN_SENSOR_STATE_DANGER;
  g_assert_true (test_wait_for (is_state, &w, 1000));
  g_test_message ("publish → DANGER: %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  /* and it did come over MQTT (the connection's backfill may have raced it) */
  g_assert_true (test_wait_for (has_messages, feed, 2000));

  /* the broker dies: polling takes over */
  test_mosquitto_kill (&broker);
  w.feed_state = SABAN_FEED_STATE_POLLING;
  g_assert_true (test_wait_for (is_feed_state, &w, 10000));
  for (int k = 1; k <= 3; k++)
    {
      gint64 id = post_observation (ds, 1.0 + k * 0.1, t0 + k * G_USEC_PER_SEC);
      g_array_append_val (ids, id);
    }
  g_assert_true (test_wait_for (has_ids, &w, 5000));
  w.state = SABAN_SENSOR_STATE_NORMAL;
  g_assert_true (is_state (&w));

  /* no more polling: what is posted now only reaches us by the backfill
   * that follows the reconnection */
  saban_live_channel_set_poll_interval (channel, 3600);
  for (int k = 4; k <= 6; k++)
    {
      gint64 id = post_observation (ds, 1.0 + k * 0.1, t0 + k * G_USEC_PER_SEC);
      g_array_append_val (ids, id);
    }
  broker = test_mosquitto_start_on (broker_port);
  w.feed_state = SABAN_FEED_STATE_LIVE;
  g_assert_true (test_wait_for (is_feed_state, &w, 30000));
  g_assert_true (test_wait_for (has_ids, &w, 5000));
  g_assert_cmpfloat (s->value, ==, 1.6);
  g_assert_true (is_state (&w));

  /* the store holds exactly what the server holds since t0 */
  {
    g_autofree char *since = saban_sensor_things_format_time (t0 - 1000);
    g_autofree char *url = g_strdup_printf ("%s/Datastreams(%" G_GINT64_FORMAT ")/Observations?$top=1000"
                                            "&$filter=phenomenonTime%%20gt%%20%s", service, ds, since);
    g_autoptr(Resp) r = test_http ("GET", url, NULL, NULL, NULL, NULL);
    JsonArray *v = json_object_get_array_member (resp_object (r), "value");
    guint in_store = 0;

    for (guint j = 0; j < s->history->len; j++)
      if (s->history->obs[j].time_us > t0 - 1000)
        in_store++;
    g_assert_cmpuint (json_array_get_length (v), ==, 7);
    g_assert_cmpuint (in_store, ==, 7);
  }
}

/* ---- hostile input ---- */

static const char *hostile_things =
  "{\"value\":["
  /* good */
  "{\"@iot.id\":1,\"name\":\"Good\",\"properties\":{\"kind\":\"rain\"},"
  " \"Locations\":[{\"location\":{\"type\":\"Point\",\"coordinates\":[104.0,22.3]}}],"
  " \"Datastreams\":[{\"@iot.id\":11,\"name\":\"Rain\",\"unitOfMeasurement\":{\"symbol\":\"mm\"},"
  "   \"properties\":{\"alertLevel\":10,\"dangerLevel\":20,\"intervalSeconds\":300},"
  "   \"Observations\":[{\"@iot.id\":5,\"phenomenonTime\":\"2025-11-28T08:00:00Z\",\"result\":25}]},"
  /* a bad datastream beside a good one */
  "  {\"@iot.id\":\"12\",\"name\":\"Bad id\"},"
  "  {\"@iot.id\":13,\"name\":\"Bad observation\",\"Observations\":[{\"@iot.id\":6,\"phenomenonTime\":\"x\",\"result\":\"y\"}]}]},"
  /* bad things */
  "{\"@iot.id\":2,\"name\":42,\"Locations\":[]},"
  "{\"@iot.id\":3,\"name\":\"No location\",\"properties\":{\"kind\":\"camera\"}},"
  "{\"@iot.id\":4,\"name\":\"Bad point\",\"properties\":{\"kind\":\"camera\"},\"Locations\":[{\"location\":{\"type\":\"Point\",\"coordinates\":[\"a\",\"b\"]}}]},"
  "{\"@iot.id\":5,\"name\":\"Off the Earth\",\"properties\":{\"kind\":\"camera\"},\"Locations\":[{\"location\":{\"type\":\"Point\",\"coordinates\":[500,99]}}]},"
  "{\"name\":\"No id\"},"
  "17,"
  "{\"@iot.id\":6,\"name\":\"%s\",\"Locations\":[{\"location\":{\"type\":\"Point\",\"coordinates\":[104,22]}}]}"
  "]}";

static void
backfill_done (GObject *source, GAsyncResult *result, gpointer data)
{
  *(int *) data = saban_sensor_things_client_backfill_finish (SABAN_SENSOR_THINGS_CLIENT (source), result, NULL, NULL) ? 1 : -1;
}

static void
serve_hostile (SoupServer *srv, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  g_autofree char *huge = g_strnfill (200000, 'x');
  g_autofree char *body = NULL;

  if (g_str_has_suffix (path, "/Things"))
    body = g_strdup_printf (hostile_things, huge);
  else
    body = g_strdup ("{\"value\":7}");
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
test_hostile_json (void)
{
  g_autoptr(SoupServer) srv = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(SabanSensorThingsClient) client = NULL;
  g_autofree char *url = NULL;
  g_autoptr(SabanApi) hostile = NULL;
  guint port = test_free_port ();
  const SabanSensor *s;

  soup_server_add_handler (srv, NULL, serve_hostile, NULL, NULL);
  g_assert_true (soup_server_listen_local (srv, port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  hostile = saban_api_new (url);
  client = saban_sensor_things_client_new (hostile, "/v1.1", store);

  g_test_expect_message ("saban-iot", G_LOG_LEVEL_MESSAGE, "*Datastream rejected: no integer @iot.id*");
  g_test_expect_message ("saban-iot", G_LOG_LEVEL_MESSAGE, "observation rejected: datastream 13: *");
  g_test_expect_message ("saban-iot", G_LOG_LEVEL_MESSAGE, "Thing 2 rejected: name*");
  g_test_expect_message ("saban-iot", G_LOG_LEVEL_MESSAGE, "Thing 3 rejected: no Location*");
  g_test_expect_message ("saban-iot", G_LOG_LEVEL_MESSAGE, "Thing 4 rejected: no Location*");
  g_test_expect_message ("saban-iot", G_LOG_LEVEL_MESSAGE, "Thing 5 rejected: no Location*");
  g_test_expect_message ("saban-iot", G_LOG_LEVEL_MESSAGE, "Thing rejected: *");
  g_test_expect_message ("saban-iot", G_LOG_LEVEL_MESSAGE, "Thing rejected: *");
  g_test_expect_message ("saban-iot", G_LOG_LEVEL_MESSAGE, "Thing 6 rejected: name*");
  g_assert_cmpint (load (client), ==, 1);
  g_test_assert_expected_messages ();

  /* the good sensors are whole: the datastream, and the one beside the bad observation */
  g_assert_cmpuint (saban_sensor_store_get_n_sensors (store), ==, 2);
  s = saban_sensor_store_get_sensor (store, 0);
  g_assert_cmpint (s->datastream_id, ==, 11);
  g_assert_cmpint (s->kind, ==, SABAN_SENSOR_KIND_RAIN);
  g_assert_cmpfloat (s->value, ==, 25.0);
  g_assert_cmpint (saban_sensor_state_compute (s, s->time_us, NULL), ==, SABAN_SENSOR_STATE_DANGER);
  g_assert_true (isnan (saban_sensor_store_get_sensor (store, 1)->value));

  /* a page that is not a collection fails, loudly */
  g_test_expect_message ("saban-iot", G_LOG_LEVEL_MESSAGE, "page rejected*");
  {
    int done = 0;
    saban_sensor_things_client_backfill_async (client, 1, NULL, backfill_done, &done);
    while (done == 0)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpint (done, ==, -1);
  }
  g_test_assert_expected_messages ();
}

typedef struct
{
  SabanSensorStore *store;
  guint             rejected;
} Rejected;

static gboolean
rejected_reached (gpointer data)
{
  Rejected *r = data;
  return saban_sensor_store_get_rejected (r->store) >= r->rejected;
}

static void
test_hostile_mqtt (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(SabanSensorThingsClient) client = saban_sensor_things_client_new (api, "/v1.1", store);
  g_autofree char *addr = g_strdup_printf ("127.0.0.1:%u", broker_port);
  g_autoptr(SabanLiveChannel) channel = sensors_channel (addr);
  g_autoptr(SabanSensorFeed) feed = saban_sensor_feed_new (channel, client);
  g_autofree char *huge = g_strnfill (100000, '9');
  g_autofree char *huge_payload = g_strdup_printf ("{\"@iot.id\":1,\"phenomenonTime\":\"2025-11-28T08:00:00Z\",\"result\":%s}", huge);
  Watch w = { store, feed, 0, 0, SABAN_FEED_STATE_LIVE, NULL };
  Rejected r = { store, 3 };
  gint64 ds;
  double before;
  g_autofree char *topic = NULL;

  g_assert_cmpint (load (client), ==, 1);
  ds = find_datastream (store, SABAN_SENSOR_KIND_RAIN, &w.index);
  before = saban_sensor_store_get_sensor (store, w.index)->value;
  topic = g_strdup_printf ("v1.1/Datastreams(%" G_GINT64_FORMAT ")/Observations", ds);
  saban_sensor_feed_start (feed);
  saban_live_channel_start (channel);
  g_assert_true (test_wait_for (is_feed_state, &w, 10000));

  g_test_expect_message ("saban-iot", G_LOG_LEVEL_MESSAGE, "*rejected*");
  g_test_expect_message ("saban-iot", G_LOG_LEVEL_MESSAGE, "*rejected*");
  g_test_expect_message ("saban-iot", G_LOG_LEVEL_MESSAGE, "*rejected*");
  g_test_expect_message ("saban-iot", G_LOG_LEVEL_MESSAGE, "*rejected*");
  g_test_expect_message ("saban-iot", G_LOG_LEVEL_MESSAGE, "*rejected*");
  test_mqtt_publish (broker_port, topic, "{\"@iot.id\":1,\"phenomenonTime\":\"2025-11-28T08:00:00Z\",\"result\":\"much\"}", -1);
  test_mqtt_publish (broker_port, topic, "not json", -1);
  test_mqtt_publish (broker_port, topic, huge_payload, -1);
  test_mqtt_publish (broker_port, "v1.1/Datastreams(999999)/Observations", "{\"@iot.id\":1,\"phenomenonTime\":\"2025-11-28T08:00:00Z\",\"result\":1}", -1);
  test_mqtt_publish (broker_port, topic, "[]", -1);
  /* result wrong type, unknown datastream, not an object: counted by the store */
  g_assert_true (test_wait_for (rejected_reached, &r, 5000));
  g_test_assert_expected_messages ();
  g_assert_cmpfloat (saban_sensor_store_get_sensor (store, w.index)->value, ==, before);
}

/* The broker is not open (issue 11): a reading forged by an anonymous caller
 * (refused at sign-in) or by a client's account (signed in, but the ACL
 * lets it only read) reaches neither the client's store nor the server;
 * the server's own publish still arrives, and so does the same forgery
 * under the server's account — what would have happened without the ACL. */
static void
test_broker_acl (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(SabanSensorThingsClient) client = saban_sensor_things_client_new (api, "/v1.1", store);
  g_autofree char *addr = g_strdup_printf ("127.0.0.1:%u", broker_port);
  g_autoptr(SabanLiveChannel) channel = sensors_channel (addr);
  g_autoptr(SabanSensorFeed) feed = saban_sensor_feed_new (channel, client);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  Watch w = { store, feed, 0, 0, SABAN_FEED_STATE_LIVE, ids };
  g_autofree char *topic = NULL, *forged = NULL, *count_path = NULL, *when = NULL;
  g_autoptr(Resp) before = NULL;
  g_autoptr(Resp) after = NULL;
  const SabanSensor *s;
  gint64 ds, t0, id;
  double value;
  guint rejected;

  g_assert_cmpint (load (client), ==, 1);
  ds = find_datastream (store, SABAN_SENSOR_KIND_RAIN, &w.index);
  s = saban_sensor_store_get_sensor (store, w.index);
  saban_sensor_feed_start (feed);
  saban_live_channel_start (channel);
  g_assert_true (test_wait_for (is_feed_state, &w, 10000));

  /* dated ahead, so no other reading is newer; a value no sensor reads */
  t0 = g_get_real_time () + 90 * G_USEC_PER_SEC;
  when = saban_sensor_things_format_time (t0);
  topic = g_strdup_printf ("v1.1/Datastreams(%" G_GINT64_FORMAT ")/Observations", ds);
  forged = g_strdup_printf ("{\"@iot.id\":999999999,\"phenomenonTime\":\"%s\",\"result\":777}", when);
  count_path = g_strdup_printf ("/v1.1/Datastreams(%" G_GINT64_FORMAT ")/Observations?$count=true&$top=0", ds);
  before = test_request (server, "GET", count_path, token, NULL, NULL, NULL);
  value = s->value;
  rejected = saban_sensor_store_get_rejected (store);

  /* anonymous: refused at sign-in (CONNACK 5, not authorised); a wrong password too */
  g_assert_cmpint (test_mqtt_publish_as (broker_port, NULL, NULL, topic, forged, -1), ==, 5);
  g_assert_cmpint (test_mqtt_publish_as (broker_port, TEST_MQTT_SERVER_USER, "guess", topic, forged, -1), !=, 0);
  /* the client's account signs in, and its publish goes nowhere */
  g_assert_cmpint (test_mqtt_publish_as (broker_port, TEST_MQTT_CLIENT_USER, TEST_MQTT_CLIENT_PASSWORD, topic,
                                         forged, -1), ==, 0);
  test_spin_ms (1500);
  g_assert_cmpfloat (s->value, ==, value);
  g_assert_cmpuint (saban_sensor_store_get_rejected (store), ==, rejected);
  after = test_request (server, "GET", count_path, token, NULL, NULL, NULL);
  g_assert_cmpint (json_object_get_int_member (resp_object (after), "@iot.count"), ==,
                   json_object_get_int_member (resp_object (before), "@iot.count"));

  /* the server's own publish arrives */
  id = post_observation (ds, 12.5, t0 + G_USEC_PER_SEC);
  g_array_append_val (ids, id);
  g_assert_true (test_wait_for (has_ids, &w, 5000));
  g_assert_cmpfloat (s->value, ==, 12.5);

  /* without the ACL's word, the forgery would have landed */
  g_free (when);
  g_free (forged);
  when = saban_sensor_things_format_time (t0 + 2 * G_USEC_PER_SEC);
  forged = g_strdup_printf ("{\"@iot.id\":999999999,\"phenomenonTime\":\"%s\",\"result\":777}", when);
  test_mqtt_publish (broker_port, topic, forged, -1);
  TEST_WAIT_UNTIL (s->value == 777, 5);
}

/* A wrong broker password: the broker refuses the sign-in, the feed says so
 * and polls the server, and what is posted meanwhile still arrives — by
 * polling, none of it over MQTT. */
static void
test_refused_login (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(SabanSensorThingsClient) client = saban_sensor_things_client_new (api, "/v1.1", store);
  g_autofree char *addr = g_strdup_printf ("127.0.0.1:%u", broker_port);
  g_autoptr(SabanLiveChannel) channel = saban_live_channel_new (addr, (const char *const[]) { "v1.1/#", NULL });
  g_autoptr(SabanSensorFeed) feed = saban_sensor_feed_new (channel, client);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  Watch w = { store, feed, 0, 0, SABAN_FEED_STATE_POLLING, ids };
  gint64 ds, id;

  g_assert_cmpint (load (client), ==, 1);
  ds = find_datastream (store, SABAN_SENSOR_KIND_RAIN, &w.index);
  saban_live_channel_set_login (channel, TEST_MQTT_CLIENT_USER, "guess", NULL);
  saban_live_channel_set_poll_interval (channel, 1);
  saban_sensor_feed_start (feed);
  saban_live_channel_start (channel);
  TEST_WAIT_UNTIL (saban_live_channel_get_mqtt_refusal (channel) == SABAN_MQTT_REFUSAL_NOT_AUTHORISED, 10);
  g_assert_true (saban_sensor_feed_get_channel (feed) == channel);
  g_assert_true (test_wait_for (is_feed_state, &w, 10000));

  id = post_observation (ds, 3.5, g_get_real_time () + 120 * G_USEC_PER_SEC);
  g_array_append_val (ids, id);
  g_assert_true (test_wait_for (has_ids, &w, 10000));
  g_assert_cmpfloat (saban_sensor_store_get_sensor (store, w.index)->value, ==, 3.5);
  g_assert_cmpuint (saban_sensor_feed_get_n_messages (feed), ==, 0);
  g_assert_cmpint (saban_sensor_feed_get_state (feed), ==, SABAN_FEED_STATE_POLLING);
}

/* responder units: loaded with their positions, moved by their Locations
 * over MQTT, a bad Location refused without moving anything */
static gboolean
unit_moved (gpointer data)
{
  const SabanUnit *u = data;
  return fabs (u->lon - 104.0) < 1e-9;
}

static void
test_units (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(SabanUnitStore) units = saban_unit_store_new ();
  g_autoptr(SabanSensorThingsClient) client = saban_sensor_things_client_new (api, "/v1.1", store);
  g_autofree char *addr = g_strdup_printf ("127.0.0.1:%u", broker_port);
  g_autoptr(SabanLiveChannel) channel = sensors_channel (addr);
  g_autoptr(SabanSensorFeed) feed = NULL;
  g_autofree char *topic = NULL;
  Watch w = { store, NULL, 0, 0, SABAN_FEED_STATE_LIVE, NULL };
  const SabanUnit *u;
  guint n_track;

  saban_sensor_things_client_set_units (client, units);
  g_assert_cmpint (load (client), ==, 1);
  g_assert_cmpuint (saban_unit_store_get_n_units (units), >, 0);
  u = saban_unit_store_get_unit (units, 0);
  g_assert_nonnull (u->name);
  g_assert_nonnull (u->code);
  g_assert_cmpfloat (u->lon, >, 103.3);
  g_assert_cmpfloat (u->lat, >, 21.3);
  /* units are no sensors */
  for (guint i = 0; i < saban_sensor_store_get_n_sensors (store); i++)
    g_assert_cmpint (saban_sensor_store_get_sensor (store, i)->thing_id, !=, u->thing_id);

  feed = saban_sensor_feed_new (channel, client);
  w.feed = feed;
  saban_sensor_feed_start (feed);
  saban_live_channel_start (channel);
  g_assert_true (test_wait_for (is_feed_state, &w, 10000));
  topic = g_strdup_printf ("v1.1/Things(%" G_GINT64_FORMAT ")/Locations", u->thing_id);
  test_mqtt_publish (broker_port, topic, "{\"@iot.id\":1,\"location\":{\"type\":\"Point\",\"coordinates\":[\"104\",22.4]}}", -1);
  test_mqtt_publish (broker_port, topic, "{\"@iot.id\":2,\"location\":{\"type\":\"Point\",\"coordinates\":[104.0,122.4]}}", -1);
  n_track = u->track->len;
  test_mqtt_publish (broker_port, topic, "{\"@iot.id\":3,\"location\":{\"type\":\"Point\",\"coordinates\":[104.0,22.4]}}", -1);
  g_assert_true (test_wait_for (unit_moved, (gpointer) u, 5000));
  g_assert_cmpfloat (u->lat, ==, 22.4);
  /* the simulator may move the unit meanwhile (seen under the sanitizers):
   * the good fix is the track's last point, the refused ones are nowhere */
  g_assert_cmpuint (u->track->len, >=, n_track + 2);
  g_assert_cmpfloat (g_array_index (u->track, double, u->track->len - 1), ==, 22.4);
  for (guint i = 1; i < u->track->len; i += 2)
    g_assert_cmpfloat (g_array_index (u->track, double, i), !=, 122.4);
}

/* The server dies (the broker stays): nothing arrives and nothing breaks;
 * once no reading came for three intervals every sensor is stale with its
 * age; the server back on the same port, its readings revive the sensors
 * without anyone doing anything. */
static void
test_server_outage (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(SabanSensorThingsClient) client = saban_sensor_things_client_new (api, "/v1.1", store);
  g_autofree char *addr = g_strdup_printf ("127.0.0.1:%u", broker_port);
  g_autoptr(SabanLiveChannel) channel = sensors_channel (addr);
  g_autoptr(SabanSensorFeed) feed = saban_sensor_feed_new (channel, client);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  Watch w = { store, feed, 0, 0, 0, ids };
  guint counts[SABAN_SENSOR_N_STATES], measuring = 0;
  const SabanSensor *s;
  gint64 ds, t0, id, longest = 0;

  g_assert_cmpint (load (client), ==, 1);
  ds = find_datastream (store, SABAN_SENSOR_KIND_WATER_LEVEL, &w.index);
  s = saban_sensor_store_get_sensor (store, w.index);
  saban_live_channel_set_poll_interval (channel, 1);
  saban_sensor_feed_start (feed);
  saban_live_channel_start (channel);
  w.feed_state = SABAN_FEED_STATE_LIVE;
  g_assert_true (test_wait_for (is_feed_state, &w, 10000));
  /* dated ahead, so neither the simulator's readings nor the last test's are newer */
  t0 = g_get_real_time () + 60 * G_USEC_PER_SEC;
  id = post_observation (ds, 1.0, t0);
  g_array_append_val (ids, id);
  g_assert_true (test_wait_for (has_ids, &w, 5000));

  test_server_kill (server);
  test_spin_ms (1500);
  g_assert_cmpint (s->state, ==, SABAN_SENSOR_STATE_NORMAL);

  /* more than three intervals of the slowest sensor later, still nothing:
   * all grey, with their ages */
  for (guint i = 0; i < saban_sensor_store_get_n_sensors (store); i++)
    {
      const SabanSensor *m = saban_sensor_store_get_sensor (store, i);

      measuring += m->datastream_id != 0;
      longest = MAX (longest, m->interval_s);
    }
  saban_sensor_store_refresh (store, t0 + 4 * longest * G_USEC_PER_SEC);
  g_assert_cmpint (s->state, ==, SABAN_SENSOR_STATE_STALE);
  g_assert_cmpint (s->age_s, >, 3 * s->interval_s);
  saban_sensor_store_count_states (store, counts);
  g_assert_cmpuint (counts[SABAN_SENSOR_STATE_STALE], ==, measuring);

  /* back on the same port: a new reading arrives by itself and the gauge lives again */
  test_server_restart (server, (const char *const[]) { "--rate-limit=0", mqtt_arg, NULL });
  g_free (token);
  token = test_login (server, "trucban");
  id = post_observation (ds, 1.2, t0 + G_USEC_PER_SEC);
  g_array_append_val (ids, id);
  g_assert_true (test_wait_for (has_ids, &w, 5000));
  saban_sensor_store_refresh (store, t0 + 2 * G_USEC_PER_SEC);
  g_assert_cmpint (s->state, ==, SABAN_SENSOR_STATE_NORMAL);
  g_assert_cmpfloat (s->value, ==, 1.2);
}

typedef struct
{
  GArray *series;
  GBytes *bytes;
  GError *error;
  gboolean done;
} Fetch;

static void
range_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Fetch *f = data;

  f->series = saban_sensor_things_client_fetch_range_finish (SABAN_SENSOR_THINGS_CLIENT (source), result, &f->error);
  f->done = TRUE;
}

static void
snapshot_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Fetch *f = data;

  f->bytes = saban_sensor_things_client_fetch_snapshot_finish (SABAN_SENSOR_THINGS_CLIENT (source), result, &f->error);
  f->done = TRUE;
}

static gboolean
fetched (gpointer data)
{
  return ((Fetch *) data)->done;
}

static void
fetch_clear (Fetch *f)
{
  g_clear_pointer (&f->series, g_array_unref);
  g_clear_pointer (&f->bytes, g_bytes_unref);
  g_clear_error (&f->error);
  f->done = FALSE;
}

static GArray *
fetch_range (SabanSensorThingsClient *client, gint64 ds, gint64 from, gint64 to, Fetch *f)
{
  fetch_clear (f);
  saban_sensor_things_client_fetch_range_async (client, ds, from, to, NULL, range_done, f);
  g_assert_true (test_wait_for (fetched, f, 30000));
  return f->series;
}

/* what the server holds for the range, counted by the server */
static gint64
server_count (gint64 ds, gint64 from, gint64 to)
{
  g_autofree char *a = saban_sensor_things_format_time (from);
  g_autofree char *b = saban_sensor_things_format_time (to);
  g_autofree char *url = g_strdup_printf ("%s/Datastreams(%" G_GINT64_FORMAT ")/Observations?$count=true&$top=1"
                                          "&$filter=phenomenonTime%%20ge%%20%s%%20and%%20phenomenonTime%%20le%%20%s",
                                          service, ds, a, b);
  g_autoptr(Resp) r = test_http ("GET", url, NULL, NULL, NULL, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return json_object_get_int_member (resp_object (r), "@iot.count");
}

static void
test_fetch_range (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(SabanSensorThingsClient) client = saban_sensor_things_client_new (api, "/v1.1", store);
  g_autoptr(SabanSensorThingsClient) dead = NULL;
  g_autofree char *dead_url = g_strdup_printf ("http://127.0.0.1:%u", test_free_port ());
  g_autoptr(SabanApi) dead_api = saban_api_new (dead_url);
  Fetch f = { 0 };
  gint64 now = g_get_real_time (), ds, from24 = now - (gint64) 24 * 3600 * G_USEC_PER_SEC, from6 = now - (gint64) 6 * 3600 * G_USEC_PER_SEC;
  guint index, n24;
  GArray *series;

  g_assert_cmpint (load (client), ==, 1);
  ds = find_datastream (store, SABAN_SENSOR_KIND_WATER_LEVEL, &index);

  /* a day of 5-minute readings: more than one page, all of them, in order */
  series = fetch_range (client, ds, from24, now, &f);
  g_assert_no_error (f.error);
  n24 = series->len;
  g_test_message ("24 h: %u observations", n24);
  g_assert_cmpuint (n24, >, 200);
  g_assert_cmpint (n24, ==, server_count (ds, from24, now));
  for (guint i = 0; i < n24; i++)
    {
      const SabanObservation *o = &g_array_index (series, SabanObservation, i);
      g_assert_cmpint (o->time_us, >=, from24 - 1000);
      g_assert_cmpint (o->time_us, <=, now + 1000);
      if (i > 0)
        g_assert_cmpint (o->time_us, >, g_array_index (series, SabanObservation, i - 1).time_us);
    }
  /* the store is the live view, not the chart's: untouched */
  g_assert_cmpuint (saban_sensor_store_get_sensor (store, index)->history->len, <=, 1);

  series = fetch_range (client, ds, from6, now, &f);
  g_assert_no_error (f.error);
  g_assert_cmpuint (series->len, >, 50);
  g_assert_cmpuint (series->len, <, n24);

  /* nothing there is an empty series, not an error */
  series = fetch_range (client, ds, from24 - (gint64) 30 * 86400 * G_USEC_PER_SEC, from24 - (gint64) 29 * 86400 * G_USEC_PER_SEC, &f);
  g_assert_no_error (f.error);
  g_assert_cmpuint (series->len, ==, 0);

  /* a server that is down is an error */
  dead = saban_sensor_things_client_new (dead_api, "/v1.1", store);
  g_assert_null (fetch_range (dead, ds, from6, now, &f));
  g_assert_nonnull (f.error);
  fetch_clear (&f);
}

static void
test_snapshot (void)
{
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(SabanSensorThingsClient) client = saban_sensor_things_client_new (api, "/v1.1", store);
  Fetch f = { 0 };
  gint64 camera = 0, gauge = 0;

  g_assert_cmpint (load (client), ==, 1);
  for (guint i = 0; i < saban_sensor_store_get_n_sensors (store); i++)
    {
      const SabanSensor *s = saban_sensor_store_get_sensor (store, i);
      if (s->kind == SABAN_SENSOR_KIND_CAMERA && camera == 0)
        camera = s->thing_id;
      else if (s->kind == SABAN_SENSOR_KIND_WATER_LEVEL && gauge == 0)
        gauge = s->thing_id;
    }
  g_assert_cmpint (camera, >, 0);

  saban_sensor_things_client_fetch_snapshot_async (client, camera, NULL, snapshot_done, &f);
  g_assert_true (test_wait_for (fetched, &f, 10000));
  g_assert_no_error (f.error);
  g_assert_cmpuint (g_bytes_get_size (f.bytes), >, 1000);
  g_assert_cmpmem (g_bytes_get_data (f.bytes, NULL), 8, "\x89PNG\r\n\x1a\n", 8);

  /* a gauge has no snapshot: an error, not a picture */
  fetch_clear (&f);
  saban_sensor_things_client_fetch_snapshot_async (client, gauge, NULL, snapshot_done, &f);
  g_assert_true (test_wait_for (fetched, &f, 10000));
  g_assert_null (f.bytes);
  g_assert_nonnull (f.error);
  fetch_clear (&f);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  mosquitto_lib_init ();
  dir = test_tmpdir ();
  db = g_build_filename (dir, "feed.db", NULL);
  broker = test_mosquitto_start (&broker_port);
  mqtt_arg = g_strdup_printf ("--mqtt=127.0.0.1:%u", broker_port);
  server = test_server_start (db, (const char *const[]) { "--rate-limit=0", mqtt_arg, NULL });
  service = g_strconcat (server->base, "/v1.1", NULL);
  api = saban_api_new (server->base);
  token = test_login (server, "trucban");

  g_test_add_func ("/sensor-feed/load", test_load);
  g_test_add_func ("/sensor-feed/hostile-json", test_hostile_json);
  g_test_add_func ("/sensor-feed/hostile-mqtt", test_hostile_mqtt);
  g_test_add_func ("/sensor-feed/live-and-outage", test_live_and_outage);
  g_test_add_func ("/sensor-feed/units", test_units);
  g_test_add_func ("/sensor-feed/broker-acl", test_broker_acl);
  g_test_add_func ("/sensor-feed/refused-login", test_refused_login);
  g_test_add_func ("/sensor-feed/server-outage", test_server_outage);
  g_test_add_func ("/sensor-feed/fetch-range", test_fetch_range);
  g_test_add_func ("/sensor-feed/snapshot", test_snapshot);
  ret = g_test_run ();

  test_server_stop (server);
  test_server_free (server);
  if (broker)
    test_mosquitto_kill (&broker);
  g_free (service);
  g_clear_object (&api);
  g_free (token);
  g_free (mqtt_arg);
  return ret;
}
