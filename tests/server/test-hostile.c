/* The hostile-input suite a release must pass (issue 11): requests a
 * stranger on the network could send to saban-server --demo, each answered
 * with a 4xx and a clear message, never a crash, a hang or a change; and the
 * limits that keep one caller from exhausting the server or speaking for
 * someone else, each shown to hold. After every group the server must still
 * answer /health, so a crash anywhere is a failure here even when the
 * request itself got no answer.
 *
 * Three servers: `server` with no rate limit, `tight` with small limits
 * (responses of 64 KiB, a public URL, 2-minute tokens, lockout after 5
 * failures) and `crowded` with few connections (40, 10 per address, idle
 * after 2 s). Callers from other addresses are 127.0.0.x sessions and
 * sockets: loopback answers on all of 127/8. */
#include "server-fixture.h"


#include "saban-json.h"

static TestServer *server, *tight, *crowded;

static void
assert_alive (const char *after)
{
  g_autoptr(Resp) r = test_request (server, "GET", "/health", NULL, NULL, NULL, NULL);

  if (r->status != 200)
    g_error ("saban-server no longer answers after %s (status %u)", after, r->status);
}

static void
expect_status (const char *method, const char *path, const char *token, const char *type, const char *body,
               guint wanted)
{
  g_autoptr(Resp) r = test_request (server, method, path, token, type, body, NULL);

  if (r->status != wanted)
    g_error ("%s %s: %u %s (wanted %u)", method, path, r->status, r->body ? r->body : "", wanted);
}

/* Each side of a comparison has a type (string, time, number, boolean, null,
 * geometry); comparing two that do not go together is the caller's mistake,
 * a 400 that names it. The first of these killed the server. */
static void
test_filter_types (void)
{
  static const char *refused[] = {
    "/v1.1/Things?$filter=name eq 2024-01-01T00:00:00Z",
    "/v1.1/Things?$filter=2024-01-01T00:00:00Z eq name",
    "/v1.1/Things?$filter=name gt 2024-01-01T00:00:00Z",
    "/v1.1/Things?$filter=name eq 5",
    "/v1.1/Things?$filter=5 eq name",
    "/v1.1/Things?$filter=name eq true",
    "/v1.1/Things?$filter=name gt null",
    "/v1.1/Things?$filter=name",
    "/v1.1/Things?$filter=name and name",
    "/v1.1/Things?$filter=name eq 'a' or 5",
    "/v1.1/Things?$filter=not name",
    "/v1.1/Things?$filter=not 2024-01-01T00:00:00Z",
    "/v1.1/Things?$filter=(name)",
    "/v1.1/Things?$filter=5",
    "/v1.1/Things?$filter='x'",
    "/v1.1/Things?$filter=null",
    "/v1.1/Things?$filter=true gt false",
    "/v1.1/Things?$filter=2024-01-01T00:00:00Z",
    "/v1.1/Things?$filter=2024-01-01T00:00:00Z eq 5",
    "/v1.1/Things?$filter=2024-01-01T00:00:00Z eq 'not a time'",
    "/v1.1/Observations?$filter=result eq 'abc'",
    "/v1.1/Observations?$filter=result eq true",
    "/v1.1/Observations?$filter=result eq phenomenonTime",
    "/v1.1/Observations?$filter=phenomenonTime eq 5",
    "/v1.1/Observations?$filter=phenomenonTime gt 'yesterday'",
    "/v1.1/Observations?$filter=phenomenonTime lt null",
    "/v1.1/Observations?$filter=Datastream/name eq phenomenonTime",
    "/v1.1/Locations?$filter=location eq 1",
    "/v1.1/Locations?$filter=location eq 'POINT(1 2)'",
    "/v1.1/Locations?$filter=name eq location",
    "/v1.1/Things?$filter=(name eq 'a') eq 5",
    "/v1.1/Things?$filter=geo.intersects(Locations/location, geography'POLYGON((1 1, 2 1, 2 2, 1 1))') eq 5",
  };
  static const char *accepted[] = {
    "/v1.1/Things?$filter=name eq null",
    "/v1.1/Things?$filter=null ne name",
    "/v1.1/Things?$filter=true",
    "/v1.1/Things?$filter=(name eq 'a') eq false",
    "/v1.1/Things?$filter=properties/kind eq 5 or properties/kind eq 'rain'",
    "/v1.1/Things?$filter=properties/active eq true",
    "/v1.1/Observations?$filter=phenomenonTime gt '2024-01-01T00:00:00Z'",
    "/v1.1/Observations?$filter='2024-01-01T00:00:00Z' lt phenomenonTime",
    "/v1.1/Observations?$filter=resultTime ge phenomenonTime",
    "/v1.1/Observations?$filter=(result gt 1) and not (result gt 2)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    expect_status ("GET", refused[i], NULL, NULL, NULL, 400);
  assert_alive ("$filter type mismatches");
  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    expect_status ("GET", accepted[i], NULL, NULL, NULL, 200);
}

/* Nesting counts depth, not the number of comparisons: a long flat chain is
 * fine, a deep one is refused before it can exhaust the stack. */
static void
test_filter_depth (void)
{
  g_autoptr(GString) flat = g_string_new ("/v1.1/Things?$filter=name eq 'a'");
  g_autoptr(GString) deep = g_string_new ("/v1.1/Things?$filter=");
  g_autoptr(GString) nots = g_string_new ("/v1.1/Things?$filter=");
  g_autoptr(GString) deepest = g_string_new ("/v1.1/Things?$filter=");

  for (guint i = 0; i < 200; i++)
    g_string_append (flat, " or name eq 'a'");
  expect_status ("GET", flat->str, NULL, NULL, NULL, 200);
  for (guint i = 0; i < 2000; i++)
    g_string_append_c (deep, '(');
  g_string_append (deep, "name eq 'a'");
  for (guint i = 0; i < 2000; i++)
    g_string_append_c (deep, ')');
  expect_status ("GET", deep->str, NULL, NULL, NULL, 400);
  for (guint i = 0; i < 1500; i++)
    g_string_append (nots, "not ");
  g_string_append (nots, "name eq 'a'");
  expect_status ("GET", nots->str, NULL, NULL, NULL, 400);
  /* as deep as is allowed, parentheses and negations mixed, still answers */
  for (guint i = 0; i < 31; i++)
    g_string_append (deepest, "(not ");
  g_string_append (deepest, "name eq 'a' or name ne 'b'");
  for (guint i = 0; i < 31; i++)
    g_string_append_c (deepest, ')');
  expect_status ("GET", deepest->str, NULL, NULL, NULL, 200);
  assert_alive ("deep $filter");
}

/* @depth levels of arrays, every @object_every'th an object instead */
static char *
nested (guint depth, guint object_every)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, i % object_every == object_every - 1 ? "{\"a\":" : "[");
  g_string_append (s, "1");
  for (guint i = depth; i > 0; i--)
    g_string_append (s, (i - 1) % object_every == object_every - 1 ? "}" : "]");
  return g_string_free (s, FALSE);
}

/* Every body that is parsed as JSON, anonymous or signed in: 60 000 levels
 * deep crashed the server by recursion; not UTF-8 is refused too. */
static void
test_deep_and_invalid_bodies (void)
{
  g_autofree char *token = test_login (server, "dieuphoi");
  g_autofree char *deep = nested (60000, 2);
  g_autofree char *deeper = nested (400000, G_MAXUINT);
  g_autofree char *deep_object = g_strdup_printf ("{\"title\":\"x\",\"properties\":%s}", deep);
  g_autofree char *just_over = nested (SABAN_JSON_MAX_DEPTH + 1, 3);
  gint64 scenario = test_scenario_create (server, token, "Kịch bản thử");
  g_autofree char *item = g_strdup_printf ("/collections/scenarios/items/%" G_GINT64_FORMAT, scenario);
  static const char latin1[] = "{\"username\":\"L\xe0o Cai\",\"password\":\"x\"}";
  static const struct { const char *method, *path; gboolean auth; } paths[] = {
    { "POST", "/auth/token", FALSE },
    { "POST", "/open311/v2/requests.json", FALSE },
    { "POST", "/v1.1/Observations", TRUE },
    { "POST", "/collections/scenarios/items", TRUE },
    { "POST", "/collections/tasks/items", TRUE },
    { "POST", "/collections/sitreps/items", TRUE },
    { "POST", "/collections/acknowledgements/items", TRUE },
    { "POST", "/open311/v2/requests/1/notes.json", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      const char *t = paths[i].auth ? token : NULL;

      expect_status (paths[i].method, paths[i].path, t, "application/json", deep, 400);
      expect_status (paths[i].method, paths[i].path, t, "application/json", deeper, 400);
      expect_status (paths[i].method, paths[i].path, t, "application/json", deep_object, 400);
      expect_status (paths[i].method, paths[i].path, t, "application/json", just_over, 400);
      expect_status (paths[i].method, paths[i].path, t, "application/json", latin1, 400);
      assert_alive (paths[i].path);
    }
  {
    g_autoptr(Resp) current = test_request (server, "GET", item, token, NULL, NULL, NULL);
    const char *headers[] = { "If-Match", soup_message_headers_get_one (current->headers, "ETag"), NULL };
    g_autoptr(Resp) r = test_request (server, "PATCH", item, token, "application/merge-patch+json", deep, headers);

    g_assert_cmpuint (r->status, ==, 400);
  }
  assert_alive ("PATCH with a deep body");
}

/* ---- callers from other addresses, raw sockets ------------------------- */

/* A session whose connections (at most @conns) come from @ip, a 127.0.0.x of its own. */
static SoupSession *
session_from (const char *ip, guint conns)
{
  g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (ip);
  g_autoptr(GSocketAddress) local = g_inet_socket_address_new (addr, 0);

  return soup_session_new_with_options ("local-address", local, "timeout", 30, "max-conns", conns,
                                        "max-conns-per-host", conns, NULL);
}

static GSocketConnection *
raw_connect (const char *from, guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *conn;

  if (from != NULL)
    {
      g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (from);
      g_autoptr(GSocketAddress) local = g_inet_socket_address_new (addr, 0);

      g_socket_client_set_local_address (client, local);
    }
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  return conn;
}

static gboolean
raw_send (GSocketConnection *conn, const char *data, gsize len)
{
  return g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), data, len, NULL, NULL, NULL);
}

/* Whether @text holds a whole response: its headers and Content-Length bytes. */
static gboolean
response_complete (const char *text)
{
  const char *end = strstr (text, "\r\n\r\n");
  const char *length = strstr (text, "Content-Length: ");

  return end != NULL && length != NULL && length < end &&
         strlen (end + 4) >= (gsize) g_ascii_strtoull (length + strlen ("Content-Length: "), NULL, 10);
}

/* What the server sends within @timeout_ms: one whole response, or all it
 * sends before it closes or the time is up. */
static char *
raw_read (GSocketConnection *conn, guint timeout_ms)
{
  GSocket *sock = g_socket_connection_get_socket (conn);
  GString *out = g_string_new (NULL);
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (g_get_monotonic_time () < end && !response_complete (out->str))
    {
      char buf[65536];
      gssize n;

      if (!g_socket_condition_timed_wait (sock, G_IO_IN, end - g_get_monotonic_time (), NULL, NULL))
        break;
      n = g_socket_receive (sock, buf, sizeof buf, NULL, NULL);
      if (n <= 0)
        break;
      g_string_append_len (out, buf, n);
    }
  return g_string_free (out, FALSE);
}

/* The status of a raw answer ("HTTP/1.1 413 …"), 0 for none. */
static guint
raw_status (const char *response)
{
  return g_str_has_prefix (response, "HTTP/1.") && strlen (response) > 12 ? (guint) atoi (response + 9) : 0;
}

/* One request on a connection of its own, the whole answer. */
static char *
raw_exchange (TestServer *s, const char *request)
{
  g_autoptr(GSocketConnection) conn = raw_connect (NULL, s->port);

  g_assert_true (raw_send (conn, request, strlen (request)));
  return raw_read (conn, 10000);
}

static gint64
health_connections (TestServer *s)
{
  g_autoptr(SoupSession) other = session_from ("127.0.0.250", 4);
  g_autofree char *url = g_strconcat (s->base, "/health", NULL);
  g_autoptr(Resp) r = test_http_on (other, "GET", url, NULL, NULL, NULL, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return json_object_get_int_member (resp_object (r), "connections");
}

static gint64
sql_count (TestServer *s, const char *sql, const char *arg)
{
  return test_db_query_int (s->location, sql, arg);
}

static gint64
audit_count (TestServer *s, const char *action, const char *target)
{
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM audit WHERE action = '%s' AND target IS NOT DISTINCT FROM ?", action);

  return sql_count (s, sql, target);
}

static double
elapsed_ms (gint64 since)
{
  return (g_get_monotonic_time () - since) / 1000.0;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_double);
  return values->len ? g_array_index (values, double, values->len / 2) : 0;
}

static double
array_max (GArray *values)
{
  double m = 0;

  for (guint i = 0; i < values->len; i++)
    m = MAX (m, g_array_index (values, double, i));
  return m;
}

/* ---- $expand: depth, cost, and the main loop ----------------------------- */

/* Depth counts navigation steps however they are written: a path inside a
 * nested $expand used to count as one level. */
static void
test_expand_depth (void)
{
  expect_status ("GET", "/v1.1/Datastreams?$expand=Observations/Datastream($expand=Thing/Locations($expand=Things))",
                 NULL, NULL, NULL, 400);
  expect_status ("GET", "/v1.1/Things?$expand=Datastreams/Observations/Datastream/Thing/Locations", NULL, NULL, NULL,
                 400);
  /* four steps, as deep as is allowed */
  expect_status ("GET", "/v1.1/Datastreams?$top=1&$expand=Observations($top=1;$expand=Datastream/Thing($expand="
                 "Locations($top=1)))", NULL, NULL, NULL, 200);
  assert_alive ("deep $expand");
}

/* The cost is counted from the $tops before anything runs. */
static void
test_expand_cost (void)
{
  g_autoptr(Resp) r = test_request (server, "GET", "/v1.1/Things?$top=10000&$expand=Datastreams($top=10000;"
                                    "$expand=Observations($top=10000))", NULL, NULL, NULL, NULL);

  g_assert_cmpuint (r->status, ==, 400);
  g_assert_nonnull (strstr (json_object_get_string_member (resp_object (r), "description"), "entities"));
  /* what Sa Bàn itself asks, and one entity with a large expansion, still answer */
  expect_status ("GET", "/v1.1/Things?$top=200&$expand=Locations,Datastreams($expand=ObservedProperty,"
                 "Observations($orderby=phenomenonTime%20desc;$top=1))", NULL, NULL, NULL, 200);
  expect_status ("GET", "/v1.1/Things(1)?$expand=Datastreams($top=1000;$expand=Observations($top=150))", NULL, NULL,
                 NULL, 200);
  assert_alive ("costly $expand");
}

typedef struct
{
  gboolean done;
  guint    status;
  gsize    length;
} Pending;

static void
pending_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Pending *p = data;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  p->status = soup_message_get_status (soup_session_get_async_result_message (SOUP_SESSION (source), result));
  p->length = bytes ? g_bytes_get_size (bytes) : 0;
  p->done = TRUE;
}

static void
send_async (SoupSession *session, SoupMessage *msg, GCancellable *cancellable, Pending *p)
{
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, cancellable, pending_done, p);
}

/* A request near the cost limit is read in a worker: while it runs, the
 * main loop answers everyone else within the 100 ms an operator's map may
 * wait. */
static void
test_main_loop (void)
{
  g_autoptr(SoupSession) heavy_session = soup_session_new ();
  g_autofree char *url = g_strconcat (server->base, "/v1.1/Observations?$top=10000&$expand=Datastream($expand="
                                      "Thing($expand=Locations($top=1)),Sensor,ObservedProperty)", NULL);
  g_autoptr(SoupMessage) heavy = soup_message_new ("GET", url);
  g_autoptr(GArray) light = g_array_new (FALSE, FALSE, sizeof (double));
  Pending p = { 0 };
  gint64 start = g_get_monotonic_time ();
  double heavy_ms;

  send_async (heavy_session, heavy, NULL, &p);
  while (!p.done)
    {
      gint64 t = g_get_monotonic_time ();
      g_autoptr(Resp) r = test_request (server, "GET", "/health", NULL, NULL, NULL, NULL);
      double ms = elapsed_ms (t);

      g_assert_cmpuint (r->status, ==, 200);
      if (!p.done)
        g_array_append_val (light, ms);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  heavy_ms = elapsed_ms (start);
  g_assert_cmpuint (p.status, ==, 200);
  g_test_message ("heavy request %.0f ms; %u light ones meanwhile, median %.1f ms, longest %.1f ms", heavy_ms,
                  light->len, median (light), array_max (light));
  /* the heavy one must be heavy for this to show anything */
  g_assert_cmpfloat (heavy_ms, >, 300);
  g_assert_cmpuint (light->len, >=, 5);
  g_assert_cmpfloat (median (light), <, 100);
  g_assert_cmpfloat (array_max (light), <, heavy_ms / 2);
}

/* ---- paging: $top=0, bad counts, the response limit, public links -------- */

static void
test_counts (void)
{
  g_autofree char *token = test_login (server, "dieuphoi");
  static const char *refused[] = {
    "/v1.1/Things?$top=-1", "/v1.1/Things?$skip=-5", "/v1.1/Things?$top=abc", "/v1.1/Things?$top=99999999999999",
    "/v1.1/Things?$expand=Datastreams($top=-1)",
    "/collections/schools/items?limit=0", "/collections/schools/items?limit=-5", "/collections/schools/items?offset=-1",
    "/collections/schools/items?limit=abc",
    "/open311/v2/requests.json?limit=0", "/open311/v2/requests.json?limit=-1", "/open311/v2/requests.json?offset=-1",
    "/open311/v2/requests.json?limit=ten",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    expect_status ("GET", refused[i], NULL, NULL, NULL, 400);
  expect_status ("GET", "/collections/tasks/items?limit=-1", token, NULL, NULL, 400);
  expect_status ("GET", "/collections/tasks/items?offset=-1", token, NULL, NULL, 400);
  /* absurd but well-formed: clamped */
  expect_status ("GET", "/v1.1/Things?$top=20000", NULL, NULL, NULL, 200);
  expect_status ("GET", "/collections/schools/items?limit=999999999999999999999", NULL, NULL, NULL, 200);
  expect_status ("GET", "/open311/v2/requests.json?limit=99999999999999", NULL, NULL, NULL, 200);
  {
    g_autoptr(Resp) r = test_request (server, "GET", "/open311/v2/requests.json?limit=3", NULL, NULL, NULL, NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (r->json)), <=, 3);
  }
  /* $top=0 asks for none: a count, never a next page of none */
  {
    g_autoptr(Resp) r = test_request (server, "GET", "/v1.1/Things?$top=0&$count=true", NULL, NULL, NULL, NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_false (json_object_has_member (resp_object (r), "@iot.nextLink"));
    g_assert_cmpint (json_object_get_int_member (resp_object (r), "@iot.count"), >, 0);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (resp_object (r), "value")), ==, 0);
  }
  {
    g_autoptr(Resp) r = test_request (server, "GET", "/v1.1/Things?$top=1&$expand=Datastreams($top=0)", NULL, NULL,
                                      NULL, NULL);
    JsonObject *thing;

    g_assert_cmpuint (r->status, ==, 200);
    thing = json_array_get_object_element (json_object_get_array_member (resp_object (r), "value"), 0);
    g_assert_false (json_object_has_member (thing, "Datastreams@iot.nextLink"));
  }
  assert_alive ("bad counts");
}

/* Links name the public URL, never the Host the caller sent. */
static void
test_public_url (void)
{
  static const char *paths[] = { "/", "/collections", "/v1.1", "/v1.1/Things?$top=2", "/cap/alerts.xml",
                                 "/collections/schools/items?limit=2" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
                                                  paths[i]);
      g_autofree char *response = raw_exchange (tight, request);

      g_assert_cmpuint (raw_status (response), ==, 200);
      if (strstr (response, "evil.example") != NULL)
        g_error ("%s names the caller's Host: %s", paths[i], response);
      g_assert_nonnull (strstr (response, "https://ioc.example.vn/gis/"));
    }
}

/* Paging by size: no response over --max-response (64 KiB on `tight`). */
static void
test_response_limit (void)
{
  gsize max = 65536;

  {
    g_autoptr(Resp) r = test_request (tight, "GET", "/v1.1/Observations?$top=10000", NULL, NULL, NULL, NULL);
    JsonObject *o = resp_object (r);
    guint n = json_array_get_length (json_object_get_array_member (o, "value"));
    const char *next = json_object_get_string_member (o, "@iot.nextLink");
    g_autofree char *skip = g_strdup_printf ("%%24skip=%u", n);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpuint (strlen (r->body), <=, max);
    g_assert_cmpuint (n, >, 10);
    g_assert_cmpuint (n, <, 10000);
    g_assert_true (g_str_has_prefix (next, "https://ioc.example.vn/gis/v1.1/Observations?"));
    g_assert_nonnull (strstr (next, skip));
  }
  {
    g_autoptr(Resp) r = test_request (tight, "GET", "/collections/parcels/items?limit=10000", NULL, NULL, NULL, NULL);
    JsonObject *o = resp_object (r);
    gint64 n = json_object_get_int_member (o, "numberReturned");
    g_autofree char *offset = g_strdup_printf ("offset=%" G_GINT64_FORMAT, n);
    JsonArray *links = json_object_get_array_member (o, "links");
    gboolean next = FALSE;

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpuint (strlen (r->body), <=, max);
    g_assert_cmpint (n, <, 10000);
    for (guint i = 0; i < json_array_get_length (links); i++)
      {
        JsonObject *l = json_array_get_object_element (links, i);

        if (g_str_equal (json_object_get_string_member (l, "rel"), "next"))
          next = strstr (json_object_get_string_member (l, "href"), offset) != NULL;
      }
    g_assert_true (next);
  }
  /* one entity with its expansions cannot be paged: refused, with the way out */
  {
    g_autoptr(Resp) r = test_request (tight, "GET", "/v1.1/Datastreams?$top=1&$expand=Observations($top=10000;"
                                      "$expand=Datastream)", NULL, NULL, NULL, NULL);

    g_assert_cmpuint (r->status, ==, 400);
    g_assert_cmpstr (json_object_get_string_member (resp_object (r), "code"), ==, "response-too-large");
  }
}

/* ---- bodies and ranges ---------------------------------------------------- */

static gint64
peak_rss_kb (TestServer *s)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (s->proc));
  g_autofree char *text = NULL;
  const char *hwm;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  hwm = strstr (text, "VmHWM:");
  g_assert_nonnull (hwm);
  return g_ascii_strtoll (hwm + strlen ("VmHWM:"), NULL, 10);
}

/* A chunked body of @chunks × 64 KiB, not ended: the answer must come while
 * it arrives. Returns the status read (0: none within 5 s). */
static guint
send_chunked (const char *path, const char *token, guint chunks)
{
  g_autoptr(GSocketConnection) conn = raw_connect (NULL, server->port);
  g_autofree char *head = g_strdup_printf ("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                           "%s%s%sTransfer-Encoding: chunked\r\n\r\n", path,
                                           token ? "Authorization: Bearer " : "", token ? token : "",
                                           token ? "\r\n" : "");
  g_autofree char *block = g_strnfill (65536, ' ');
  g_autofree char *response = NULL;

  g_assert_true (raw_send (conn, head, strlen (head)));
  for (guint i = 0; i < chunks; i++)
    {
      /* an answer while the body arrives: stop sending and read it */
      if (g_socket_condition_check (g_socket_connection_get_socket (conn), G_IO_IN) != 0)
        break;
      if (!raw_send (conn, "10000\r\n", 7) || !raw_send (conn, block, 65536) || !raw_send (conn, "\r\n", 2))
        break;
    }
  response = raw_read (conn, 5000);
  return raw_status (response);
}

/* A body is counted while it arrives and refused at --max-body (1 MiB here),
 * on every path that takes one, and never kept whole. */
static void
test_body_limits (void)
{
  g_autofree char *token = test_login (server, "dieuphoi");
  static const char *paths[] = { "/auth/token", "/open311/v2/requests.json", "/collections/scenarios/items",
                                 "/v1.1/Observations", "/cap/alerts", "/open311/v2/requests/1/notes.json" };
  gint64 connections = health_connections (server);
  gint64 rss;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    if (send_chunked (paths[i], token, 24) != 413)
      g_error ("a 1.5 MiB chunked body to %s was not refused with 413 while it arrived", paths[i]);
  /* 200 MiB sent: the server keeps none of it */
  rss = peak_rss_kb (server);
  g_assert_cmpuint (send_chunked ("/collections/scenarios/items", token, 3200), ==, 413);
  g_assert_cmpint (peak_rss_kb (server) - rss, <, 32 * 1024);
  /* a length over the limit is refused from the headers, before any body */
  {
    g_autoptr(GSocketConnection) conn = raw_connect (NULL, server->port);
    const char *head = "POST /auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Content-Length: 10000000000\r\n\r\n";
    g_autofree char *response = NULL;

    g_assert_true (raw_send (conn, head, strlen (head)));
    response = raw_read (conn, 5000);
    g_assert_cmpuint (raw_status (response), ==, 413);
  }
  assert_alive ("large bodies");
  g_usleep (1500 * 1000);
  g_assert_cmpint (health_connections (server), <=, connections + 1);
}

/* Several ranges would make libsoup send each one: overlapping ones
 * multiply a response. One range is enough. */
static void
test_ranges (void)
{
  g_autoptr(GString) many = g_string_new ("bytes=0-");

  for (guint i = 0; i < 200; i++)
    g_string_append (many, ",0-");
  {
    g_autoptr(Resp) r = test_request (server, "GET", "/api", NULL, NULL, NULL,
                                      (const char *const[]) { "Range", many->str, NULL });

    g_assert_cmpuint (r->status, ==, 416);
    g_assert_cmpuint (strlen (r->body), <, 1000);
  }
  expect_status ("GET", "/api", NULL, NULL, NULL, 200);
  {
    g_autoptr(Resp) r = test_request (server, "GET", "/api", NULL, NULL, NULL,
                                      (const char *const[]) { "Range", "bytes=0-9", NULL });

    g_assert_cmpuint (r->status, ==, 206);
    g_assert_cmpuint (strlen (r->body), ==, 10);
  }
}

/* ---- connections ------------------------------------------------------------ */

/* `crowded`: 40 connections, 10 per address, idle after 2 s. */
static void
test_connections (void)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  guint refused = 0, waiting = 0;

  /* one caller opens 30 and says nothing */
  for (guint i = 0; i < 30; i++)
    g_ptr_array_add (held, raw_connect ("127.0.0.2", crowded->port));
  for (guint i = 0; i < held->len; i++)
    {
      g_autofree char *answer = raw_read (g_ptr_array_index (held, i), 300);

      if (raw_status (answer) == 503)
        refused++;
      else if (*answer == '\0')
        waiting++;
    }
  g_assert_cmpuint (waiting, ==, 10);
  g_assert_cmpuint (refused, ==, 20);
  /* the others are served meanwhile */
  {
    g_autoptr(SoupSession) other = session_from ("127.0.0.3", 4);
    g_autofree char *url = g_strconcat (crowded->base, "/health", NULL);
    gint64 t = g_get_monotonic_time ();
    g_autoptr(Resp) r = test_http_on (other, "GET", url, NULL, NULL, NULL, NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpfloat (elapsed_ms (t), <, 1000);
  }
  /* silent connections end after the idle timeout */
  {
    g_autofree char *answer = raw_read (g_ptr_array_index (held, 0), 4000);

    g_assert_cmpstr (answer, ==, "");
    g_assert_true (g_socket_condition_check (g_socket_connection_get_socket (g_ptr_array_index (held, 0)),
                                             G_IO_IN) != 0);
  }
  g_ptr_array_set_size (held, 0);
  /* kept-alive connections their clients closed are let go at once (libsoup
   * 3.2 alone keeps them open, and this caller would be refused by the 11th) */
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GSocketConnection) conn = raw_connect ("127.0.0.4", crowded->port);
      const char *request = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
      g_autofree char *answer = NULL;

      g_assert_true (raw_send (conn, request, strlen (request)));
      answer = raw_read (conn, 300);
      if (raw_status (answer) != 200)
        g_error ("request %u of a caller that closes each connection: %s", i, answer);
      g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
      g_usleep (20 * 1000);
    }
  g_usleep (500 * 1000);
  g_assert_cmpint (health_connections (crowded), <=, 2);
  /* the limit in all: four callers of ten each fill it */
  for (guint a = 5; a < 9; a++)
    for (guint i = 0; i < 10; i++)
      {
        g_autofree char *ip = g_strdup_printf ("127.0.0.%u", a);
        g_ptr_array_add (held, raw_connect (ip, crowded->port));
      }
  g_usleep (300 * 1000);
  {
    g_autoptr(GSocketConnection) late = raw_connect ("127.0.0.9", crowded->port);
    g_autofree char *answer = raw_read (late, 1000);

    g_assert_cmpuint (raw_status (answer), ==, 503);
    g_assert_nonnull (strstr (answer, "too-many-connections"));
  }
}

/* The defaults hold a control room and its integrations: 300 clients at
 * once, 50 from each of six addresses, all answered. */
static void
test_many_clients (void)
{
  g_autoptr(GPtrArray) conns = g_ptr_array_new_with_free_func (g_object_unref);
  const char *request = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
  guint answered = 0;

  for (guint a = 0; a < 6; a++)
    for (guint i = 0; i < 50; i++)
      {
        g_autofree char *ip = g_strdup_printf ("127.0.1.%u", 1 + a);
        g_ptr_array_add (conns, raw_connect (ip, server->port));
      }
  for (guint i = 0; i < conns->len; i++)
    g_assert_true (raw_send (g_ptr_array_index (conns, i), request, strlen (request)));
  for (guint i = 0; i < conns->len; i++)
    {
      g_autofree char *answer = raw_read (g_ptr_array_index (conns, i), 10000);

      answered += raw_status (answer) == 200;
    }
  g_assert_cmpuint (answered, ==, 300);
}

/* ---- signing in ---------------------------------------------------------------- */

static Resp *
login_from (SoupSession *session, TestServer *s, const char *user, const char *password)
{
  g_autofree char *url = g_strconcat (s->base, "/auth/token", NULL);
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", user, password);

  return test_http_on (session, "POST", url, NULL, "application/json", body, NULL);
}

static Resp *
admin_post (TestServer *s, const char *token, const char *path)
{
  return test_request (s, "POST", path, token, "application/json", "{}", NULL);
}

/* `tight` locks an account after 5 failures in a row. */
static void
test_login_throttle (void)
{
  g_autoptr(SoupSession) guesser = session_from ("127.0.0.3", 4);
  g_autoptr(SoupSession) sprayer = session_from ("127.0.0.4", 4);
  g_autoptr(SoupSession) colleague = session_from ("127.0.0.5", 4);
  g_autofree char *admin = test_login (tight, "quantri");
  g_autofree char *planner = test_login (tight, "quyhoach");
  guint retry;

  /* an account: three failures free, then each try waits longer */
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(Resp) r = login_from (guesser, tight, "quyhoach", "wrong");
      g_assert_cmpuint (r->status, ==, 401);
    }
  {
    g_autoptr(Resp) r = login_from (guesser, tight, "quyhoach", "wrong");

    g_assert_cmpuint (r->status, ==, 429);
    g_assert_cmpstr (json_object_get_string_member (resp_object (r), "code"), ==, "login-throttled");
    retry = atoi (soup_message_headers_get_one (r->headers, "Retry-After"));
    g_assert_cmpuint (retry, >=, 1);
  }
  /* the wait holds for every address: the account is what is guessed */
  {
    g_autoptr(Resp) r = login_from (colleague, tight, "quyhoach", "saban-demo");
    g_assert_cmpuint (r->status, ==, 429);
  }
  g_usleep ((retry + 0.2) * G_USEC_PER_SEC);
  {
    g_autoptr(Resp) r = login_from (guesser, tight, "quyhoach", "wrong");
    g_assert_cmpuint (r->status, ==, 401);
  }
  /* the fifth locks it, on record; its tokens stop, the right password does not open it */
  g_assert_cmpint (audit_count (tight, "account-locked", "quyhoach"), ==, 1);
  g_assert_cmpint (sql_count (tight, "SELECT COUNT(*) FROM users WHERE username = ? AND locked IS NOT NULL",
                              "quyhoach"), ==, 1);
  {
    g_autoptr(Resp) r = login_from (colleague, tight, "quyhoach", "saban-demo");

    g_assert_cmpuint (r->status, ==, 403);
    g_assert_cmpstr (json_object_get_string_member (resp_object (r), "code"), ==, "account-locked");
  }
  {
    g_autoptr(Resp) r = test_request (tight, "GET", "/collections/tasks/items", planner, NULL, NULL, NULL);
    g_assert_cmpuint (r->status, ==, 401);
  }
  /* only an admin unlocks */
  {
    g_autoptr(Resp) mine = admin_post (tight, planner, "/auth/users/quyhoach/unlock");
    g_autoptr(Resp) nobody = admin_post (tight, admin, "/auth/users/nobody/unlock");
    g_autofree char *operator = test_login (tight, "trucban");
    g_autoptr(Resp) denied = admin_post (tight, operator, "/auth/users/quyhoach/unlock");
    g_autoptr(Resp) r = admin_post (tight, admin, "/auth/users/quyhoach/unlock");

    g_assert_cmpuint (mine->status, ==, 401);
    g_assert_cmpuint (nobody->status, ==, 404);
    g_assert_cmpuint (denied->status, ==, 403);
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpint (audit_count (tight, "unlock", "quyhoach"), ==, 1);
  }
  {
    g_autoptr(Resp) r = login_from (colleague, tight, "quyhoach", "saban-demo");
    g_assert_cmpuint (r->status, ==, 200);
  }
  /* an address: ten failures free, whatever the accounts, then each waits */
  for (guint i = 0; i < 11; i++)
    {
      g_autofree char *user = g_strdup_printf ("khong-co-%u", i);
      g_autoptr(Resp) r = login_from (sprayer, tight, user, "wrong");

      g_assert_cmpuint (r->status, ==, 401);
    }
  {
    g_autoptr(Resp) r = login_from (sprayer, tight, "khong-co-khac", "wrong");
    g_assert_cmpuint (r->status, ==, 429);
  }
  {
    g_autoptr(Resp) r = login_from (colleague, tight, "trucban", "saban-demo");
    g_assert_cmpuint (r->status, ==, 200);
  }
}

typedef struct
{
  guint done, ok, busy;
} Burst;

static void
burst_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Burst *b = data;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  guint status = soup_message_get_status (soup_session_get_async_result_message (SOUP_SESSION (source), result));
  g_autofree char *body = bytes ? g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)) : NULL;

  b->done++;
  b->ok += status == 200;
  b->busy += status == 503 && body != NULL && strstr (body, "\"busy\"") != NULL;
}

static void
login_async (SoupSession *session, TestServer *s, GCancellable *cancellable, Burst *b)
{
  g_autofree char *url = g_strconcat (s->base, "/auth/token", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  static const char body[] = "{\"username\":\"trucban\",\"password\":\"saban-demo\"}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, cancellable, burst_done, b);
}

static double
feature_ms (void)
{
  gint64 t = g_get_monotonic_time ();
  g_autoptr(Resp) r = test_request (server, "GET", "/collections/schools/items?limit=10", NULL, NULL, NULL, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return elapsed_ms (t);
}

/* Password hashing has its own pool: a burst of sign-ins waits for it and
 * the map's feature requests go on being answered (when hashing shared the
 * threads that read features, each waited for a round of hashes, seconds). */
static void
test_login_burst (void)
{
  g_autoptr(SoupSession) crowd = soup_session_new_with_options ("max-conns", 32, "max-conns-per-host", 32, NULL);
  g_autoptr(GArray) before = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) during = g_array_new (FALSE, FALSE, sizeof (double));
  Burst b = { 0 };
  guint n = 12;
  double limit;

  for (guint i = 0; i < 5; i++)
    {
      double ms = feature_ms ();
      g_array_append_val (before, ms);
    }
  for (guint i = 0; i < n; i++)
    login_async (crowd, server, NULL, &b);
  while (b.done < n)
    {
      double ms = feature_ms ();

      if (b.done < n)
        g_array_append_val (during, ms);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  limit = MAX (1000, 10 * median (before));
  g_test_message ("features: %.1f ms before; during %u sign-ins %.1f ms median, %.1f ms longest (limit %.0f)",
                  median (before), n, median (during), array_max (during), limit);
  g_assert_cmpuint (b.ok, ==, n);
  g_assert_cmpuint (during->len, >=, 3);
  g_assert_cmpfloat (array_max (during), <, limit);
}

/* The pool's queue is bounded: beyond it, sign-ins are told to come back. */
static void
test_login_queue (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) crowd = g_ptr_array_new_with_free_func (g_object_unref);
  Burst b = { 0 };

  /* 90 at once, from three addresses (each within its connection limit) */
  for (guint a = 0; a < 3; a++)
    {
      g_autofree char *ip = g_strdup_printf ("127.0.0.%u", 11 + a);
      SoupSession *session = session_from (ip, 40);

      g_ptr_array_add (crowd, session);
      for (guint i = 0; i < 30; i++)
        login_async (session, server, cancellable, &b);
    }
  TEST_WAIT_UNTIL (b.busy > 0, 20);
  g_cancellable_cancel (cancellable);
  TEST_WAIT_UNTIL (b.done == 90, 20);
}

/* ---- tokens -------------------------------------------------------------------- */

static void
test_tokens (void)
{
  g_autofree char *admin = test_login (tight, "quantri");
  g_autofree char *mine = NULL, *first = test_login (tight, "dieuphoi"), *second = test_login (tight, "dieuphoi");

  /* --token-lifetime=120 on `tight` */
  {
    g_autoptr(Resp) r = test_request (tight, "POST", "/auth/token", NULL, "application/json",
                                      "{\"username\":\"trucban\",\"password\":\"saban-demo\"}", NULL);

    g_assert_cmpint (json_object_get_int_member (resp_object (r), "expires_in"), ==, 120);
    g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Cache-Control"), ==, "no-store");
    mine = g_strdup (json_object_get_string_member (resp_object (r), "access_token"));
  }
  /* signing out ends the token at once */
  {
    g_autoptr(Resp) out = admin_post (tight, mine, "/auth/logout");
    g_autoptr(Resp) after = test_request (tight, "GET", "/collections/tasks/items", mine, NULL, NULL, NULL);
    g_autoptr(Resp) again = admin_post (tight, mine, "/auth/logout");

    g_assert_cmpuint (out->status, ==, 204);
    g_assert_cmpuint (after->status, ==, 401);
    g_assert_cmpuint (again->status, ==, 401);
    g_assert_cmpint (audit_count (tight, "logout", NULL), >=, 1);
  }
  /* an admin revokes every token of an account; nobody else may */
  {
    g_autoptr(Resp) denied = admin_post (tight, first, "/auth/users/dieuphoi/revoke");
    g_autoptr(Resp) r = admin_post (tight, admin, "/auth/users/dieuphoi/revoke");
    g_autoptr(Resp) a = test_request (tight, "GET", "/collections/tasks/items", first, NULL, NULL, NULL);
    g_autoptr(Resp) b = test_request (tight, "GET", "/collections/tasks/items", second, NULL, NULL, NULL);

    g_assert_cmpuint (denied->status, ==, 403);
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpint (json_object_get_int_member (resp_object (r), "revoked"), >=, 2);
    g_assert_cmpuint (a->status, ==, 401);
    g_assert_cmpuint (b->status, ==, 401);
    g_assert_cmpint (audit_count (tight, "revoke-tokens", "dieuphoi"), ==, 1);
  }
}

/* ---- observations from the future ------------------------------------------------ */

static char *
time_from_now (int seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) t = g_date_time_add_seconds (now, seconds);

  return g_date_time_format_iso8601 (t);
}

static gint64
alerts_count (void)
{
  g_autoptr(Resp) r = test_request (server, "GET", "/collections/alerts/items?limit=1", NULL, NULL, NULL, NULL);

  return json_object_get_int_member (resp_object (r), "numberMatched");
}

static Resp *
post_reading (const char *token, gint64 ds, double value, int seconds_from_now)
{
  g_autofree char *when = time_from_now (seconds_from_now);
  g_autofree char *body = g_strdup_printf ("{\"result\":%.2f,\"phenomenonTime\":\"%s\",\"Datastream\":{\"@iot.id\":%"
                                           G_GINT64_FORMAT "}}", value, when, ds);

  return test_request (server, "POST", "/v1.1/Observations", token, "application/json", body, NULL);
}

/* A reading stamped in the future would stand as the latest one and hide
 * every real crossing after it: refused beyond 5 minutes, and a crossing is
 * judged against the reading before it in time. */
static void
test_future_observation (void)
{
  g_autofree char *token = test_login (server, "trucban");
  g_autoptr(Resp) ds = test_request (server, "GET", "/v1.1/Datastreams?$filter=properties/dangerLevel%20gt%200"
                                     "&$top=1&$select=id,properties", NULL, NULL, NULL, NULL);
  JsonObject *d = json_array_get_object_element (json_object_get_array_member (resp_object (ds), "value"), 0);
  gint64 id = json_object_get_int_member (d, "@iot.id");
  double danger = json_object_get_double_member (json_object_get_object_member (d, "properties"), "dangerLevel");
  gint64 alerts = alerts_count ();

  {
    g_autoptr(Resp) r = post_reading (token, id, danger + 5, 3600);

    g_assert_cmpuint (r->status, ==, 400);
    g_assert_cmpstr (json_object_get_string_member (resp_object (r), "code"), ==, "future-observation");
  }
  {
    g_autoptr(Resp) low = post_reading (token, id, danger - 1, -120);
    g_autoptr(Resp) ahead = post_reading (token, id, danger + 2, 240);  /* a clock 4 minutes fast: taken */
    g_autoptr(Resp) now = post_reading (token, id, danger + 1, 0);

    g_assert_cmpuint (low->status, ==, 201);
    g_assert_cmpuint (ahead->status, ==, 201);
    g_assert_cmpuint (now->status, ==, 201);
  }
  /* both crossings raised their alert: the reading 4 minutes ahead did not hide the real one */
  g_assert_cmpint (alerts_count (), ==, alerts + 2);
}

/* ---- writes bound to their key, text that is not text, headers ------------------- */

static void
test_idempotency_body (void)
{
  g_autofree char *token = test_login (server, "dieuphoi");
  const char *key[] = { "Idempotency-Key", "0b6f5c1e-hostile-1", NULL };
  const char *first = "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"title\":\"Sơ tán bản Nậm Xé\"}}";
  const char *other = "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"title\":\"Kịch bản khác\"}}";
  g_autoptr(Resp) a = test_request (server, "POST", "/collections/scenarios/items", token, "application/json", first, key);
  g_autoptr(Resp) b = test_request (server, "POST", "/collections/scenarios/items", token, "application/json", other, key);
  g_autoptr(Resp) c = test_request (server, "POST", "/collections/scenarios/items", token, "application/json", first, key);

  g_assert_cmpuint (a->status, ==, 201);
  g_assert_cmpuint (b->status, ==, 422);
  g_assert_cmpstr (json_object_get_string_member (resp_object (b), "code"), ==, "idempotency-key-reused");
  g_assert_cmpuint (c->status, ==, 201);
  g_assert_cmpstr (soup_message_headers_get_one (c->headers, "Idempotent-Replayed"), ==, "true");
  g_assert_cmpint (json_object_get_int_member (resp_object (c), "id"), ==, json_object_get_int_member (resp_object (a), "id"));
}

/* Invalid UTF-8 anywhere the server reads: 400, with a JSON answer. */
static void
test_utf8 (void)
{
  static const char *requests[] = {
    "GET /health?x=%FF HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "GET /v1.1/Things%FF HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "GET /health HTTP/1.1\r\nHost: x\r\nX-Note: \xff\xfe\r\nConnection: close\r\n\r\n",
    "GET /v1.1/Things HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xc3\x28\r\nConnection: close\r\n\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_autofree char *response = raw_exchange (server, requests[i]);
      const char *body = strstr (response, "\r\n\r\n");
      g_autoptr(JsonNode) json = body ? saban_json_parse (body + 4, -1, NULL) : NULL;

      if (raw_status (response) != 400 || json == NULL)
        g_error ("request %u: %s", i, response);
    }
  /* form bodies are decoded, then checked */
  expect_status ("POST", "/open311/v2/requests.json", NULL, "application/x-www-form-urlencoded",
                 "service_code=khac&lat=22.4&long=104.0&description=%FF%FE", 400);
  expect_status ("POST", "/auth/token", NULL, "application/x-www-form-urlencoded", "username=%FF&password=x", 400);
  assert_alive ("invalid UTF-8");
}

static void
test_headers (void)
{
  g_autofree char *operator = test_login (server, "trucban");
  g_autofree char *leader = test_login (server, "lanhdao");
  static const char *requests[] = {
    "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "POST /auth/token HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n",
    "GARBAGE\r\n\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_autofree char *response = raw_exchange (server, requests[i]);

      if (strstr (response, "X-Content-Type-Options: nosniff\r\n") == NULL)
        g_error ("no nosniff: %s", response);
    }
  /* unmasked personal data (one report's, for a stated purpose) is never
   * cached; lists, masked for every role, show at most three digits of a phone */
  {
    g_autoptr(Resp) masked = test_request (server, "GET", "/open311/v2/requests.json?limit=5", leader, NULL, NULL, NULL);
    g_autoptr(Resp) as_operator = test_request (server, "GET", "/open311/v2/requests.json?limit=5", operator, NULL, NULL,
                                                NULL);
    JsonArray *rows = json_node_get_array (masked->json);
    const char *id;
    g_autofree char *path = NULL;
    g_autoptr(Resp) full = NULL;

    g_assert_cmpuint (json_array_get_length (rows), >, 0);
    id = json_object_get_string_member (json_array_get_object_element (rows, 0), "service_request_id");
    path = g_strdup_printf ("/open311/v2/requests/%s/personal.json", id);
    full = test_request (server, "POST", path, operator, "application/json",
                         "{\"purpose\": \"Gọi lại người dân để xác minh vị trí\"}", NULL);
    g_assert_cmpuint (full->status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_one (full->headers, "Cache-Control"), ==, "no-store");
    g_assert_cmpuint (as_operator->status, ==, 200);
    for (guint r = 0; r < 2; r++)
      {
        JsonArray *list = json_node_get_array ((r == 0 ? masked : as_operator)->json);

        for (guint i = 0; i < json_array_get_length (list); i++)
          {
            JsonObject *o = json_array_get_object_element (list, i);
            const char *phone = json_object_get_string_member_with_default (o, "phone", NULL);
            guint digits = 0;

            for (const char *p = phone; p != NULL && *p; p++)
              digits += g_ascii_isdigit (*p);
            g_assert_cmpuint (digits, <=, 3);
          }
      }
  }
}

/* What the fuzz targets found (tests/fuzz/corpus keeps each input): an
 * $orderby path ending in "/" crashed the server (SIGSEGV); a query that
 * decodes to bytes that are not UTF-8 reached GLib as text; bodies that made
 * json-glib leak what it had read (core/json and server/leaks check, under
 * LeakSanitizer, that nothing leaks now). */
static void
test_fuzz_findings (void)
{
  g_autofree char *token = test_login (server, "dieuphoi");
  static const char *refused[] = {
    "/v1.1/Datastreams?$orderby=Thing/",
    "/v1.1/Observations?$orderby=Datastream/Thing/",
    "/v1.1/Datastreams?$filter=Thing/ eq 'a'",
    "/collections/scenarios/items?status=ac%D9tive",
    "/v1.1/Things?$filter=name%20eq%20'%FF'",
  };
  static const char *leaking_bodies[] = {
    "2{\"properties\":{\"title\":\"x\"}}",
    "[\"\\ud800\\u0041\"]",
    "[[[[[/[[/[[0]]]]]]]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    expect_status ("GET", refused[i], token, NULL, NULL, 400);
  assert_alive ("fuzzed queries");
  for (guint i = 0; i < G_N_ELEMENTS (leaking_bodies); i++)
    {
      expect_status ("POST", "/collections/scenarios/items", token, "application/json", leaking_bodies[i], 400);
      expect_status ("POST", "/auth/token", NULL, "application/json", leaking_bodies[i], 400);
    }
  assert_alive ("fuzzed bodies");
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL, *db = NULL, *tight_db = NULL, *crowded_db = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  dir = test_tmpdir ();
  db = g_build_filename (dir, "hostile.db", NULL);
  tight_db = g_build_filename (dir, "tight.db", NULL);
  crowded_db = g_build_filename (dir, "crowded.db", NULL);
  server = test_server_start (db, (const char *const[]) { "--rate-limit=0", NULL });
  tight = test_server_start (tight_db, (const char *const[]) { "--rate-limit=0", "--max-response=65536",
                                                                "--public-url=https://ioc.example.vn/gis/",
                                                                "--token-lifetime=120", "--login-lockout=5", NULL });
  crowded = test_server_start (crowded_db, (const char *const[]) { "--rate-limit=0", "--max-connections=40",
                                                                    "--max-connections-per-address=10",
                                                                    "--idle-timeout=2", NULL });

  g_test_add_func ("/hostile/filter-types", test_filter_types);
  g_test_add_func ("/hostile/filter-depth", test_filter_depth);
  g_test_add_func ("/hostile/deep-and-invalid-bodies", test_deep_and_invalid_bodies);
  g_test_add_func ("/hostile/expand-depth", test_expand_depth);
  g_test_add_func ("/hostile/expand-cost", test_expand_cost);
  g_test_add_func ("/hostile/main-loop", test_main_loop);
  g_test_add_func ("/hostile/counts", test_counts);
  g_test_add_func ("/hostile/public-url", test_public_url);
  g_test_add_func ("/hostile/response-limit", test_response_limit);
  g_test_add_func ("/hostile/body-limits", test_body_limits);
  g_test_add_func ("/hostile/ranges", test_ranges);
  g_test_add_func ("/hostile/connections", test_connections);
  g_test_add_func ("/hostile/many-clients", test_many_clients);
  g_test_add_func ("/hostile/login-throttle", test_login_throttle);
  g_test_add_func ("/hostile/tokens", test_tokens);
  g_test_add_func ("/hostile/future-observation", test_future_observation);
  g_test_add_func ("/hostile/idempotency-body", test_idempotency_body);
  g_test_add_func ("/hostile/utf8", test_utf8);
  g_test_add_func ("/hostile/headers", test_headers);
  g_test_add_func ("/hostile/login-burst", test_login_burst);
  g_test_add_func ("/hostile/fuzz-findings", test_fuzz_findings);
  /* last: it leaves the server hashing passwords for a while */
  g_test_add_func ("/hostile/login-queue", test_login_queue);
  rc = g_test_run ();

  test_server_free (crowded);
  test_server_free (tight);
  test_server_free (server);
  return rc;
}
