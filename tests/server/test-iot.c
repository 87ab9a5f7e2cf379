/* SensorThings API, the simulator and CAP against the real saban-server with
 * a real mosquitto: queries, paging, $filter/$expand/$orderby/$select,
 * geo.intersects, POST Observations and the MQTT message a real subscriber
 * receives, the scripted flood crossing its danger level at a high
 * --sim-speed and the CAP alert it raises (validated with xmllint against a
 * CAP 1.2 schema), POST /demo/flood, alerts as a Features collection, camera
 * snapshots, and hostile input. */
#include "server-fixture.h"


static TestServer *server;
static GSubprocess *broker;
static guint broker_port;

static Resp *
get (const char *path)
{
  g_autofree char *url = g_str_has_prefix (path, "http") ? g_strdup (path) : g_strconcat (server->base, path, NULL);
  return test_http ("GET", url, NULL, NULL, NULL, NULL);
}

static Resp *
post (const char *path, const char *token, const char *type, const char *body)
{
  return test_request (server, "POST", path, token, type, body, NULL);
}

static JsonArray *
value_of (Resp *r)
{
  g_assert_cmpuint (r->status, ==, 200);
  return json_object_get_array_member (resp_object (r), "value");
}

static gint64
first_id (const char *path)
{
  g_autoptr(Resp) r = get (path);
  JsonArray *v = value_of (r);

  g_assert_cmpuint (json_array_get_length (v), >, 0);
  return json_object_get_int_member (json_array_get_object_element (v, 0), "@iot.id");
}

static void
test_entities (void)
{
  static const char *const sets[] = { "Things", "Locations", "HistoricalLocations", "Datastreams", "Sensors",
                                      "ObservedProperties", "Observations", "FeaturesOfInterest" };
  g_autoptr(Resp) index = get ("/v1.1");

  g_assert_cmpuint (json_array_get_length (value_of (index)), ==, G_N_ELEMENTS (sets));
  for (guint i = 0; i < G_N_ELEMENTS (sets); i++)
    {
      g_autofree char *path = g_strdup_printf ("/v1.1/%s?$top=2", sets[i]);
      g_autoptr(Resp) r = get (path);
      JsonObject *e = json_array_get_object_element (value_of (r), 0);
      g_autofree char *self = g_strdup_printf ("%s/v1.1/%s(%" G_GINT64_FORMAT ")", server->base, sets[i],
                                               json_object_get_int_member (e, "@iot.id"));

      g_assert_cmpstr (json_object_get_string_member (e, "@iot.selfLink"), ==, self);
      {
        g_autoptr(Resp) one = get (self);
        g_assert_cmpuint (one->status, ==, 200);
        g_assert_cmpint (json_object_get_int_member (resp_object (one), "@iot.id"), ==,
                         json_object_get_int_member (e, "@iot.id"));
      }
    }
  {
    g_autoptr(Resp) r = get ("/v1.1/Datastreams?$filter=properties/kind eq 'water_level'&$top=1");
    JsonObject *ds = json_array_get_object_element (value_of (r), 0);
    JsonObject *p = json_object_get_object_member (ds, "properties");
    JsonObject *unit = json_object_get_object_member (ds, "unitOfMeasurement");

    g_assert_cmpfloat (json_object_get_double_member (p, "dangerLevel"), >, json_object_get_double_member (p, "alertLevel"));
    g_assert_cmpint (json_object_get_int_member (p, "intervalSeconds"), ==, 300);
    g_assert_cmpstr (json_object_get_string_member (unit, "symbol"), ==, "m");
    g_assert_true (g_str_has_prefix (json_object_get_string_member (ds, "Thing@iot.navigationLink"), server->base));
    g_assert_true (g_str_has_suffix (json_object_get_string_member (ds, "Observations@iot.navigationLink"), "/Observations"));
  }
  /* sites come from sensor_sites, reprojected to WGS 84 inside the province */
  {
    g_autoptr(Resp) r = get ("/v1.1/Things?$filter=properties/code eq 'MN-001'&$expand=Locations");
    JsonObject *t = json_array_get_object_element (value_of (r), 0);
    JsonObject *loc = json_array_get_object_element (json_object_get_array_member (t, "Locations"), 0);
    JsonArray *c = json_object_get_array_member (json_object_get_object_member (loc, "location"), "coordinates");

    g_assert_cmpfloat (json_array_get_double_element (c, 0), >, 103.5);
    g_assert_cmpfloat (json_array_get_double_element (c, 0), <, 105.0);
    g_assert_cmpfloat (json_array_get_double_element (c, 1), >, 21.3);
    g_assert_cmpfloat (json_array_get_double_element (c, 1), <, 23.0);
  }
}

static void
test_paging (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *next = g_strdup ("/v1.1/Observations?$top=7&$count=true&$filter=id le 40");
  gint64 count = -1;
  guint pages = 0;

  while (next != NULL)
    {
      g_autoptr(Resp) r = get (next);
      JsonArray *v = value_of (r);
      JsonObject *o = resp_object (r);

      if (count < 0)
        count = json_object_get_int_member (o, "@iot.count");
      g_assert_cmpuint (json_array_get_length (v), <=, 7);
      for (guint i = 0; i < json_array_get_length (v); i++)
        {
          gint64 id = json_object_get_int_member (json_array_get_object_element (v, i), "@iot.id");
          g_array_append_val (ids, id);
        }
      g_free (next);
      next = json_object_has_member (o, "@iot.nextLink") ? g_strdup (json_object_get_string_member (o, "@iot.nextLink")) : NULL;
      if (next != NULL)
        g_assert_true (g_str_has_prefix (next, server->base));  /* absolute */
      g_assert_cmpuint (++pages, <, 20);
    }
  g_assert_cmpint (count, ==, 40);
  g_assert_cmpuint (ids->len, ==, 40);
  for (guint i = 0; i < ids->len; i++)
    {
      g_assert_false (g_hash_table_contains (seen, &g_array_index (ids, gint64, i)));
      g_hash_table_add (seen, &g_array_index (ids, gint64, i));
    }
  /* $skip past the end is an empty page */
  {
    g_autoptr(Resp) r = get ("/v1.1/Sensors?$skip=1000");
    g_assert_cmpuint (json_array_get_length (value_of (r)), ==, 0);
  }
}

static void
test_query_options (void)
{
  /* $filter with comparison, and/or, phenomenonTime in ISO 8601 */
  {
    g_autoptr(Resp) r = get ("/v1.1/Datastreams(1)/Observations?$top=1000&$orderby=phenomenonTime desc");
    JsonArray *v = value_of (r);
    const char *mid = json_object_get_string_member (json_array_get_object_element (v, json_array_get_length (v) / 2),
                                                     "phenomenonTime");
    g_autofree char *path = g_strdup_printf ("/v1.1/Datastreams(1)/Observations?$top=1000&$filter=phenomenonTime ge %s"
                                             "&$orderby=phenomenonTime asc", mid);
    g_autoptr(Resp) f = get (path);
    JsonArray *fv = value_of (f);
    const char *prev = "";

    g_assert_cmpuint (json_array_get_length (fv), >, 0);
    g_assert_cmpuint (json_array_get_length (fv), <, json_array_get_length (v));
    for (guint i = 0; i < json_array_get_length (fv); i++)
      {
        const char *t = json_object_get_string_member (json_array_get_object_element (fv, i), "phenomenonTime");
        g_assert_cmpstr (t, >=, mid);
        g_assert_cmpstr (t, >=, prev);
        prev = t;
      }
  }
  {
    g_autoptr(Resp) r = get ("/v1.1/Observations?$top=200&$filter=(result gt 30 and result le 80) or result eq 0");
    JsonArray *v = value_of (r);

    g_assert_cmpuint (json_array_get_length (v), >, 0);
    for (guint i = 0; i < json_array_get_length (v); i++)
      {
        double x = json_object_get_double_member (json_array_get_object_element (v, i), "result");
        g_assert_true ((x > 30 && x <= 80) || x == 0);
      }
  }
  /* $select */
  {
    g_autoptr(Resp) r = get ("/v1.1/Things?$select=id,name&$top=3");
    JsonObject *t = json_array_get_object_element (value_of (r), 0);

    g_assert_true (json_object_has_member (t, "@iot.id"));
    g_assert_true (json_object_has_member (t, "name"));
    g_assert_false (json_object_has_member (t, "description"));
    g_assert_false (json_object_has_member (t, "Datastreams@iot.navigationLink"));
  }
  /* the client's favourite: each Thing's datastreams with their latest observation */
  {
    g_autoptr(Resp) r = get ("/v1.1/Things?$filter=properties/kind eq 'water_level'&$expand=Locations,"
                             "Datastreams($expand=Observations($top=1;$orderby=phenomenonTime desc))");
    JsonArray *v = value_of (r);

    g_assert_cmpuint (json_array_get_length (v), ==, 12);
    for (guint i = 0; i < json_array_get_length (v); i++)
      {
        JsonObject *t = json_array_get_object_element (v, i);
        JsonArray *dss = json_object_get_array_member (t, "Datastreams");
        JsonObject *ds = json_array_get_object_element (dss, 0);
        JsonArray *obs = json_object_get_array_member (ds, "Observations");
        g_autofree char *path = g_strdup_printf ("/v1.1/Datastreams(%" G_GINT64_FORMAT ")/Observations?$top=1&$orderby=phenomenonTime desc",
                                                 json_object_get_int_member (ds, "@iot.id"));
        g_autoptr(Resp) latest = NULL;

        g_assert_cmpuint (json_array_get_length (json_object_get_array_member (t, "Locations")), ==, 1);
        g_assert_cmpuint (json_array_get_length (dss), ==, 1);
        g_assert_cmpuint (json_array_get_length (obs), ==, 1);
        latest = get (path);
        /* the simulator may have written one since: never older */
        g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (value_of (latest), 0), "phenomenonTime"),
                         >=, json_object_get_string_member (json_array_get_object_element (obs, 0), "phenomenonTime"));
      }
  }
  /* $count inside $expand; single navigation */
  {
    g_autoptr(Resp) r = get ("/v1.1/Observations(1)?$expand=Datastream($select=id,name),FeatureOfInterest");
    JsonObject *o = resp_object (r);

    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "Datastream"), "@iot.id"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "FeatureOfInterest"), "encodingType"),
                     ==, "application/geo+json");
  }
  {
    g_autoptr(Resp) r = get ("/v1.1/Datastreams(1)/Thing");
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpint (json_object_get_int_member (resp_object (r), "@iot.id"), ==, 1);
  }
}

static void
test_geo (void)
{
  /* a box around Lào Cai city (MN-001) and one over the sea: all, then nothing */
  g_autoptr(Resp) city = get ("/v1.1/Locations?$top=1000&$filter=geo.intersects(location, "
                              "geography'POLYGON((103.90 22.40, 104.05 22.40, 104.05 22.56, 103.90 22.56, 103.90 22.40))')");
  g_autoptr(Resp) sea = get ("/v1.1/Locations?$filter=geo.intersects(location, "
                             "geography'POLYGON((108 15, 109 15, 109 16, 108 16, 108 15))')");
  g_autoptr(Resp) things = get ("/v1.1/Things?$top=1000&$filter=geo.intersects(Locations/location, "
                                "geography'POLYGON((103.90 22.40, 104.05 22.40, 104.05 22.56, 103.90 22.56, 103.90 22.40))') "
                                "and properties/kind eq 'water_level'&$select=id,name");
  JsonArray *v = value_of (city);

  g_assert_cmpuint (json_array_get_length (v), >, 0);
  for (guint i = 0; i < json_array_get_length (v); i++)
    {
      JsonArray *c = json_object_get_array_member (json_object_get_object_member (json_array_get_object_element (v, i),
                                                                                  "location"), "coordinates");
      g_assert_cmpfloat (json_array_get_double_element (c, 0), >=, 103.90);
      g_assert_cmpfloat (json_array_get_double_element (c, 0), <=, 104.05);
      g_assert_cmpfloat (json_array_get_double_element (c, 1), >=, 22.40);
      g_assert_cmpfloat (json_array_get_double_element (c, 1), <=, 22.56);
    }
  g_assert_cmpuint (json_array_get_length (value_of (sea)), ==, 0);
  g_assert_cmpuint (json_array_get_length (value_of (things)), >=, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (value_of (things), 0), "name"), ==,
                   "Trạm thủy văn Lào Cai");
}

/* ---- MQTT ------------------------------------------------------------------- */

static void
test_post_and_mqtt (void)
{
  g_autofree char *op = test_login (server, "trucban");
  g_autofree char *planner = test_login (server, "quyhoach");
  gint64 ds = first_id ("/v1.1/Datastreams?$filter=properties/kind eq 'rain'&$top=1");
  g_autofree char *topic = g_strdup_printf ("v1.1/Datastreams(%" G_GINT64_FORMAT ")/Observations", ds);
  g_autofree char *body = g_strdup_printf ("{\"result\":7.25,\"phenomenonTime\":\"2025-07-01T08:00:00+07:00\","
                                           "\"Datastream\":{\"@iot.id\":%" G_GINT64_FORMAT "}}", ds);
  g_autofree char *nav = g_strdup_printf ("/v1.1/Datastreams(%" G_GINT64_FORMAT ")/Observations", ds);
  TestSubscriber *sub;
  gint64 end, id;
  gboolean got = FALSE;

  if (broker == NULL)
    {
      g_test_skip ("mosquitto is not installed");
      return;
    }
  sub = test_mqtt_subscribe (broker_port, "saban-test-sta", "v1.1/#");

  {
    g_autoptr(Resp) anon = post ("/v1.1/Observations", NULL, "application/json", body);
    g_autoptr(Resp) denied = post ("/v1.1/Observations", planner, "application/json", body);
    g_autoptr(Resp) r = post ("/v1.1/Observations", op, "application/json", body);
    g_autoptr(Resp) r2 = post (nav, op, "application/json", "{\"result\":3}");

    g_assert_cmpuint (anon->status, ==, 401);
    g_assert_cmpuint (denied->status, ==, 403);
    g_assert_cmpuint (r->status, ==, 201);
    g_assert_cmpuint (r2->status, ==, 201);
    id = json_object_get_int_member (resp_object (r), "@iot.id");
    g_assert_true (g_str_has_prefix (soup_message_headers_get_one (r->headers, "Location"), server->base));
    g_assert_cmpstr (json_object_get_string_member (resp_object (r), "phenomenonTime"), ==, "2025-07-01T01:00:00.000Z");
  }
  /* a subscriber we did not write receives the full entity */
  end = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (!got && g_get_monotonic_time () < end)
    {
      g_autofree char *msg = test_subscriber_pop (sub, 200);
      g_autoptr(JsonParser) p = json_parser_new ();
      JsonObject *o;

      if (msg == NULL || !g_str_has_prefix (msg, topic) || msg[strlen (topic)] != '\n')
        continue;
      g_assert_true (json_parser_load_from_data (p, msg + strlen (topic) + 1, -1, NULL));
      o = json_node_get_object (json_parser_get_root (p));
      if (json_object_get_int_member (o, "@iot.id") != id)
        continue;
      g_assert_cmpfloat (json_object_get_double_member (o, "result"), ==, 7.25);
      g_assert_true (g_str_has_prefix (json_object_get_string_member (o, "@iot.selfLink"), "http://127.0.0.1:"));
      g_assert_true (json_object_has_member (o, "Datastream@iot.navigationLink"));
      got = TRUE;
    }
  g_assert_true (got);
  test_subscriber_free (sub);

  /* hostile bodies */
  {
    static const char *const bad[] = { "", "[]", "{\"result\":\"high\",\"Datastream\":{\"@iot.id\":1}}",
                                       "{\"result\":1}", "{\"result\":1,\"Datastream\":{\"@iot.id\":999999}}",
                                       "{\"result\":1,\"Datastream\":{\"@iot.id\":\"1; DROP TABLE sta_observations\"}}",
                                       "{\"result\":1,\"phenomenonTime\":\"yesterday\",\"Datastream\":{\"@iot.id\":1}}",
                                       "{\"result\":1e999,\"Datastream\":{\"@iot.id\":1}}", "{\"result\":", NULL };
    for (guint i = 0; bad[i] != NULL; i++)
      {
        g_autoptr(Resp) r = post ("/v1.1/Observations", op, "application/json", bad[i]);
        if (r->status != 400)
          g_error ("POST %s: %u %s", bad[i], r->status, r->body);
      }
  }
  {
    g_autoptr(Resp) r = post ("/v1.1/Things", op, "application/json", "{\"name\":\"x\"}");
    g_assert_cmpuint (r->status, ==, 405);
  }
}

/* ---- the simulator and CAP ------------------------------------------------------- */

static void
validate_cap (const char *xml)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *file = g_build_filename (dir, "alert.xml", NULL);
  g_autofree char *xsd = g_test_build_filename (G_TEST_DIST, "server", "cap-1.2.xsd", NULL);
  g_autofree char *err = NULL;
  const char *xmllint = test_program ("XMLLINT", "xmllint");
  int status = 0;

  if (xmllint == NULL)
    {
      g_test_message ("xmllint is not installed: CAP checked structurally only");
      g_assert_nonnull (strstr (xml, "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">"));
      return;
    }
  g_assert_true (g_file_set_contents (file, xml, -1, NULL));
  {
    const char *argv[] = { xmllint, "--noout", "--schema", xsd, file, NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, NULL));
  }
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("CAP alert does not validate: %s\n%s", err, xml);
}

static JsonArray *
alerts (void)
{
  Resp *r = get ("/collections/alerts/items?limit=100");
  JsonArray *f;

  g_assert_cmpuint (r->status, ==, 200);
  f = json_array_ref (json_object_get_array_member (resp_object (r), "features"));
  resp_free (r);
  return f;
}

static JsonObject *
wait_alert_for (const char *site_name, int seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      g_autoptr(JsonArray) f = alerts ();

      for (guint i = 0; i < json_array_get_length (f); i++)
        {
          JsonObject *feature = json_array_get_object_element (f, i);
          JsonObject *p = json_object_get_object_member (feature, "properties");

          if (strstr (json_object_get_string_member (p, "headline"), site_name) != NULL)
            return json_object_ref (feature);
        }
      g_usleep (200000);
    }
  return NULL;
}

static void
test_simulator_flood (void)
{
  /* at --sim-speed=600 the scripted flood (about an hour in) comes within seconds */
  g_autoptr(JsonObject) alert = wait_alert_for ("Trạm thủy văn Lào Cai", 60);
  JsonObject *p;
  g_autofree char *cap_path = NULL;
  g_autoptr(Resp) xml = NULL;
  g_autoptr(Resp) danger = get ("/v1.1/Datastreams?$filter=properties/siteCode eq 'MN-001'");
  JsonObject *ds = json_array_get_object_element (value_of (danger), 0);
  double level = json_object_get_double_member (json_object_get_object_member (ds, "properties"), "dangerLevel");
  g_autofree char *over = g_strdup_printf ("/v1.1/Datastreams(%" G_GINT64_FORMAT ")/Observations?$filter=result ge %.2f&$count=true",
                                           json_object_get_int_member (ds, "@iot.id"), level);
  g_autoptr(Resp) crossed = get (over);

  g_assert_nonnull (alert);
  g_assert_cmpint (json_object_get_int_member (resp_object (crossed), "@iot.count"), >, 0);
  p = json_object_get_object_member (alert, "properties");
  g_assert_cmpstr (json_object_get_string_member (p, "severity"), ==, "Severe");
  g_assert_cmpstr (json_object_get_string_member (p, "status"), ==, "Exercise");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (alert, "geometry"), "type"), ==, "Polygon");
  cap_path = g_strdup (json_object_get_string_member (p, "capUrl"));
  xml = get (cap_path);
  g_assert_cmpuint (xml->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (xml->headers, NULL), ==, "application/cap+xml");
  validate_cap (xml->body);
  /* CAP order: "lat,lon" — Lào Cai is near 22.5 N, 104 E */
  g_assert_nonnull (strstr (xml->body, "<polygon>22."));
}

static void
test_demo_flood (void)
{
  g_autofree char *op = test_login (server, "trucban");
  g_autoptr(Resp) anon = post ("/demo/flood?site=MN-002", NULL, NULL, NULL);
  g_autoptr(Resp) bad = post ("/demo/flood?site=NOPE'--", op, NULL, NULL);
  g_autoptr(Resp) r = post ("/demo/flood?site=MN-002", op, NULL, NULL);
  g_autoptr(JsonObject) alert = NULL;

  g_assert_cmpuint (anon->status, ==, 401);
  g_assert_cmpuint (bad->status, ==, 404);
  g_assert_cmpuint (r->status, ==, 202);
  alert = wait_alert_for ("Trạm thủy văn Phố Lu", 60);
  g_assert_nonnull (alert);
}

static void
test_cap (void)
{
  g_autofree char *coord = test_login (server, "dieuphoi");
  g_autofree char *planner = test_login (server, "quyhoach");
  const char *json = "{\"event\":\"Sạt lở đất\",\"category\":\"Geo\",\"urgency\":\"Expected\",\"severity\":\"Moderate\","
                     "\"certainty\":\"Likely\",\"headline\":\"Nguy cơ sạt lở tại xã Bát Xát\","
                     "\"areaDesc\":\"Xã Bát Xát\",\"expires\":\"2030-01-01T00:00:00Z\","
                     "\"polygon\":{\"type\":\"Polygon\",\"coordinates\":[[[103.80,22.50],[103.90,22.50],[103.90,22.60],[103.80,22.50]]]}}";
  const char *xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">"
                    "<identifier>x</identifier><sender>s</sender><sent>2025-07-01T08:00:00+07:00</sent>"
                    "<status>Exercise</status><msgType>Alert</msgType><scope>Public</scope><info><category>Fire</category>"
                    "<event>Cháy rừng</event><urgency>Immediate</urgency><severity>Severe</severity>"
                    "<certainty>Observed</certainty><headline>Cháy rừng &amp; khói</headline><area><areaDesc>Xã Y Tý</areaDesc>"
                    "<polygon>22.60,103.60 22.70,103.60 22.70,103.70 22.60,103.60</polygon></area></info></alert>";
  g_autoptr(Resp) denied = post ("/cap/alerts", planner, "application/json", json);
  g_autoptr(Resp) anon = post ("/cap/alerts", NULL, "application/json", json);
  g_autoptr(Resp) r = post ("/cap/alerts", coord, "application/json", json);
  g_autoptr(Resp) rx = post ("/cap/alerts", coord, "application/cap+xml", xml);

  g_assert_cmpuint (denied->status, ==, 403);
  g_assert_cmpuint (anon->status, ==, 401);
  g_assert_cmpuint (r->status, ==, 201);
  g_assert_cmpuint (rx->status, ==, 201);
  for (int k = 0; k < 2; k++)
    {
      g_autoptr(Resp) a = get (json_object_get_string_member (resp_object (k ? rx : r), "href"));
      g_autofree char *fid = g_strdup_printf ("/collections/alerts/items/%" G_GINT64_FORMAT,
                                              json_object_get_int_member (resp_object (k ? rx : r), "id"));
      g_autoptr(Resp) f = get (fid);
      JsonArray *ring = json_array_get_array_element (json_object_get_array_member (
          json_object_get_object_member (resp_object (f), "geometry"), "coordinates"), 0);

      validate_cap (a->body);
      /* GeoJSON is lon,lat; the CAP text lat,lon */
      g_assert_cmpfloat (json_array_get_double_element (json_array_get_array_element (ring, 0), 0), >, 100);
      g_assert_nonnull (strstr (a->body, k ? "<polygon>22.60000,103.60000" : "<polygon>22.50000,103.80000"));
    }
  /* the feed: Atom, each entry an alert */
  {
    g_autoptr(Resp) feed = get ("/cap/alerts.xml");
    g_assert_cmpuint (feed->status, ==, 200);
    g_assert_nonnull (strstr (feed->body, "<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    g_assert_nonnull (strstr (feed->body, "Nguy cơ sạt lở tại xã Bát Xát"));
    g_assert_nonnull (strstr (feed->body, "Cháy rừng &amp; khói"));
  }
  /* the collection is listed with the others, and bbox filters */
  {
    g_autoptr(Resp) c = get ("/collections/alerts");
    g_autoptr(Resp) none = get ("/collections/alerts/items?bbox=108,15,109,16");
    g_autoptr(Resp) some = get ("/collections/alerts/items?bbox=103.79,22.49,103.91,22.61");

    g_assert_cmpuint (c->status, ==, 200);
    g_assert_cmpint (json_object_get_int_member (resp_object (none), "numberMatched"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (resp_object (some), "numberMatched"), >=, 1);
  }
  /* hostile alerts */
  {
    static const char *const bad_json[] = {
      "{\"event\":\"x\",\"category\":\"Weather\",\"urgency\":\"Expected\",\"severity\":\"Minor\",\"certainty\":\"Likely\",\"areaDesc\":\"a\",\"polygon\":\"22,103 22,104 23,104 22,103\"}",
      "{\"event\":\"x\",\"category\":\"Met\",\"urgency\":\"Expected\",\"severity\":\"Minor\",\"certainty\":\"Likely\",\"areaDesc\":\"a\",\"polygon\":\"22,103 22,104 23,104 23,103\"}",
      "{\"event\":\"x\",\"category\":\"Met\",\"urgency\":\"Expected\",\"severity\":\"Minor\",\"certainty\":\"Likely\",\"areaDesc\":\"a\",\"polygon\":\"103,22 104,22 104,230 103,22\"}",
      "{\"event\":\"x\",\"category\":\"Met\",\"urgency\":\"Expected\",\"severity\":\"Minor\",\"certainty\":\"Likely\",\"areaDesc\":\"a\"}",
      "{\"event\":1}", "not json", NULL };
    for (guint i = 0; bad_json[i] != NULL; i++)
      {
        g_autoptr(Resp) b = post ("/cap/alerts", coord, "application/json", bad_json[i]);
        if (b->status != 400)
          g_error ("POST %s: %u %s", bad_json[i], b->status, b->body);
      }
    {
      g_autoptr(Resp) b1 = post ("/cap/alerts", coord, "application/xml", "<alert><event>x</event></alert>");
      g_autoptr(Resp) b2 = post ("/cap/alerts", coord, "application/xml", "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">&a;</alert>");
      g_autoptr(Resp) b3 = get ("/cap/alerts/..%2f..%2fetc%2fpasswd");
      g_autoptr(Resp) b4 = get ("/cap/alerts/99999.xml");
      g_assert_cmpuint (b1->status, ==, 400);
      g_assert_cmpuint (b2->status, ==, 400);
      g_assert_true (b3->status == 404 || b3->status == 400);
      g_assert_cmpuint (b4->status, ==, 404);
    }
  }
}

static void
test_snapshot (void)
{
  gint64 camera = first_id ("/v1.1/Things?$filter=properties/kind eq 'camera'&$top=1");
  g_autofree char *path = g_strdup_printf ("/v1.1/Things(%" G_GINT64_FORMAT ")/snapshot.png", camera);
  g_autoptr(Resp) png = get (path);
  g_autoptr(Resp) not_camera = get ("/v1.1/Things(1)/snapshot.png");

  g_assert_cmpuint (png->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (png->headers, NULL), ==, "image/png");
  g_assert_cmpint (memcmp (png->body, "\x89PNG", 4), ==, 0);
  g_assert_cmpuint (not_camera->status, ==, 404);
}

static void
test_hostile (void)
{
  static const struct { const char *path; guint status; } cases[] = {
    { "/v1.1/Things?$filter=name eq", 400 },
    { "/v1.1/Things?$filter=((name eq 'a')", 400 },
    { "/v1.1/Things?$filter=name eq 'unterminated", 400 },
    { "/v1.1/Things?$filter=nosuch eq 1", 400 },
    { "/v1.1/Things?$filter=name; DROP TABLE sta_things", 400 },
    { "/v1.1/Things?$filter=properties/a'b eq 1", 400 },
    { "/v1.1/Things?$filter=geo.intersects(location, geography'POLYGON((1 2, 3 4))')", 400 },
    { "/v1.1/Locations?$filter=geo.intersects(location, geography'POINT(1 2)')", 400 },
    { "/v1.1/Observations?$filter=phenomenonTime gt 2024-13-45T99:00:00Z", 400 },
    { "/v1.1/Things?$top=-1", 400 },
    { "/v1.1/Things?$top=abc", 400 },
    { "/v1.1/Things?$orderby=name sideways", 400 },
    { "/v1.1/Things?$orderby=name;DELETE", 400 },
    { "/v1.1/Things?$select=password", 400 },
    { "/v1.1/Things?$expand=Nope", 400 },
    { "/v1.1/Things?$expand=Datastreams($expand=Thing($expand=Datastreams($expand=Thing($expand=Datastreams))))", 400 },
    { "/v1.1/Things?$count=maybe", 400 },
    { "/v1.1/Things?$frobnicate=1", 400 },
    { "/v1.1/Things(abc)", 404 },
    { "/v1.1/Things(0)", 404 },
    { "/v1.1/Things(99999999)", 404 },
    { "/v1.1/Things(1)/Nope", 404 },
    { "/v1.1/Nope", 404 },
    { "/v1.1/../../etc/passwd", 404 },
    { "/v1.1/Things(1)/Datastreams(999999)", 404 },
    { "/v1.1/Things?$top=99999999999", 400 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Resp) r = get (cases[i].path);
      if (r->status != cases[i].status)
        g_error ("%s: %u %s (wanted %u)", cases[i].path, r->status, r->body, cases[i].status);
    }
  /* a quote in a literal is data, not SQL */
  {
    g_autoptr(Resp) r = get ("/v1.1/Things?$filter=name eq 'x'' or 1 eq 1 or name eq ''y'");
    g_assert_cmpuint (json_array_get_length (value_of (r)), ==, 0);
  }
  /* a huge $top is clamped, not refused */
  {
    g_autoptr(Resp) r = get ("/v1.1/Things?$top=999999");
    g_assert_cmpuint (r->status, ==, 200);
  }
}

/* Observations of Datastream 2 (no scripted event) keyed by time, from the first day of history. */
static GHashTable *
series_of (TestServer *s)
{
  g_autofree char *url = g_strconcat (s->base, "/v1.1/Datastreams(2)/Observations?$top=200&$orderby=phenomenonTime asc"
                                      "&$select=phenomenonTime,result", NULL);
  g_autoptr(Resp) r = test_http ("GET", url, NULL, NULL, NULL, NULL);
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonArray *v = value_of (r);

  for (guint i = 0; i < json_array_get_length (v); i++)
    {
      JsonObject *o = json_array_get_object_element (v, i);
      g_hash_table_insert (out, g_strdup (json_object_get_string_member (o, "phenomenonTime")),
                           g_strdup_printf ("%.2f", json_object_get_double_member (o, "result")));
    }
  return out;
}

static guint
compare_series (GHashTable *a, GHashTable *b, guint *differ)
{
  GHashTableIter iter;
  gpointer k, v;
  guint common = 0;

  *differ = 0;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      const char *other = g_hash_table_lookup (b, k);
      if (other == NULL)
        continue;
      common++;
      if (!g_str_equal (other, v))
        (*differ)++;
    }
  return common;
}

static void
test_deterministic (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db1 = g_build_filename (dir, "seed-a.db", NULL);
  g_autofree char *db2 = g_build_filename (dir, "seed-b.db", NULL);
  TestServer *same = test_server_start (db1, (const char *const[]) { "--sim-seed=20250701", NULL });
  TestServer *other = test_server_start (db2, (const char *const[]) { "--sim-seed=7", NULL });
  g_autoptr(GHashTable) main_series = series_of (server);
  g_autoptr(GHashTable) same_series = series_of (same);
  g_autoptr(GHashTable) other_series = series_of (other);
  guint differ, common;

  /* the same seed gives the same value at the same simulated time */
  common = compare_series (main_series, same_series, &differ);
  g_assert_cmpuint (common, >, 100);
  g_assert_cmpuint (differ, ==, 0);
  common = compare_series (main_series, other_series, &differ);
  g_assert_cmpuint (common, >, 100);
  g_assert_cmpuint (differ, >, common / 2);
  test_server_free (same);
  test_server_free (other);
}

static void
test_units_move (void)
{
  gint64 unit = first_id ("/v1.1/Things?$filter=properties/kind eq 'responder'&$top=1");
  g_autofree char *path = g_strdup_printf ("/v1.1/Things(%" G_GINT64_FORMAT ")/HistoricalLocations?$count=true"
                                           "&$orderby=time desc&$expand=Locations&$top=2", unit);
  g_autoptr(Resp) r = get (path);
  JsonArray *v = value_of (r);
  JsonArray *a, *b;

  g_assert_cmpint (json_object_get_int_member (resp_object (r), "@iot.count"), >=, 2);
  a = json_object_get_array_member (json_object_get_object_member (
        json_array_get_object_element (json_object_get_array_member (json_array_get_object_element (v, 0), "Locations"), 0),
        "location"), "coordinates");
  b = json_object_get_array_member (json_object_get_object_member (
        json_array_get_object_element (json_object_get_array_member (json_array_get_object_element (v, 1), "Locations"), 0),
        "location"), "coordinates");
  g_assert_cmpfloat (json_array_get_double_element (a, 0), !=, json_array_get_double_element (b, 0));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (v, 0), "time"), >,
                   json_object_get_string_member (json_array_get_object_element (v, 1), "time"));
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL, *db = NULL, *mqtt_arg = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  dir = test_tmpdir ();
  db = g_build_filename (dir, "iot.db", NULL);
  broker = test_mosquitto_start (&broker_port);
  mqtt_arg = broker ? g_strdup_printf ("--mqtt=127.0.0.1:%u", broker_port) : g_strdup ("--rate-limit=0");
  server = test_server_start (db, (const char *const[]) { "--rate-limit=0", "--sim-speed=3600", mqtt_arg, NULL });
  if (broker != NULL)
    test_server_wait_mqtt (server, 10);

  g_test_add_func ("/sta/entities", test_entities);
  g_test_add_func ("/sta/paging", test_paging);
  g_test_add_func ("/sta/query-options", test_query_options);
  g_test_add_func ("/sta/geo-intersects", test_geo);
  g_test_add_func ("/sta/post-and-mqtt", test_post_and_mqtt);
  g_test_add_func ("/sta/hostile", test_hostile);
  g_test_add_func ("/sta/snapshot", test_snapshot);
  g_test_add_func ("/simulator/flood-crosses-danger", test_simulator_flood);
  g_test_add_func ("/simulator/demo-flood", test_demo_flood);
  g_test_add_func ("/simulator/units-move", test_units_move);
  g_test_add_func ("/simulator/deterministic", test_deterministic);
  g_test_add_func ("/cap/alerts", test_cap);
  rc = g_test_run ();

  test_server_free (server);
  if (broker != NULL)
    {
      g_subprocess_force_exit (broker);
      g_subprocess_wait (broker, NULL, NULL);
      g_object_unref (broker);
    }
  return rc;
}
