/* The hostile-input suite a release must pass (issue 11): requests a
 * stranger on the network could send to saban-server --demo, each answered
 * with a 4xx and a clear message, never a crash, a hang or a change. After
 * every group the server must still answer /health, so a crash anywhere is a
 * failure here even when the request itself got no answer. */
#include "server-fixture.h"

#include "saban-json.h"

static TestServer *server;

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
  g_autofree char *dir = NULL, *db = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  dir = test_tmpdir ();
  db = g_build_filename (dir, "hostile.db", NULL);
  server = test_server_start (db, (const char *const[]) { "--rate-limit=0", NULL });

  g_test_add_func ("/hostile/filter-types", test_filter_types);
  g_test_add_func ("/hostile/filter-depth", test_filter_depth);
  g_test_add_func ("/hostile/deep-and-invalid-bodies", test_deep_and_invalid_bodies);
  g_test_add_func ("/hostile/fuzz-findings", test_fuzz_findings);
  rc = g_test_run ();

  test_server_free (server);
  return rc;
}
