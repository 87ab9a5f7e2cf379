/* saban-server's own leaks, in the sanitizer build.
 *
 * The other server tests run without LeakSanitizer: libsoup 3.2 leaks the
 * GSocket of every connection a client closes, and a suppression can only
 * recognise it with the slow unwinder, which makes the server's demo seeding
 * six times slower (tests/sanitizer/lsan.supp). So this one test seeds a
 * database first, then restarts saban-server on it with LeakSanitizer and the
 * slow unwinder ($SABAN_LEAK_ASAN_OPTIONS, set by tests/meson.build in a
 * sanitizer build), walks every API — reads and writes, good and refused —
 * and stops it: the fixture wants exit status 0, which LeakSanitizer turns
 * into 23 when anything leaked. In a plain build it is a plain smoke test. */
#include "server-fixture.h"

static TestServer *server;

static void
expect (const char *method, const char *path, const char *token, const char *type, const char *body, guint wanted)
{
  g_autoptr(Resp) r = test_request (server, method, path, token, type, body, NULL);

  if (r->status != wanted)
    g_error ("%s %s: %u %s (wanted %u)", method, path, r->status, r->body ? r->body : "", wanted);
}

static void
walk_every_api (void)
{
  g_autofree char *token = test_login (server, "dieuphoi");
  gint64 scenario = test_scenario_create (server, token, "Kịch bản kiểm tra rò rỉ");
  g_autofree char *tasks = g_strdup_printf ("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[103.97,22.48]},"
                                            "\"properties\":{\"scenarioId\":%" G_GINT64_FORMAT ",\"title\":\"Sơ tán\",\"kind\":\"evacuate\"}}",
                                            scenario);
  static const char cap[] =
    "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><status>Exercise</status><msgType>Alert</msgType><info>"
    "<category>Met</category><event>Lũ</event><urgency>Immediate</urgency><severity>Severe</severity>"
    "<certainty>Observed</certainty><area><areaDesc>Cốc Lếu</areaDesc>"
    "<polygon>22.48,103.95 22.48,103.99 22.51,103.99 22.48,103.95</polygon></area></info></alert>";

  expect ("GET", "/collections", NULL, NULL, NULL, 200);
  expect ("GET", "/collections/communes/items?limit=3&bbox=103.9,22.4,104.1,22.6", NULL, NULL, NULL, 200);
  expect ("GET", "/collections/communes/items?limit=unlimited", NULL, NULL, NULL, 400);
  expect ("GET", "/api", NULL, NULL, NULL, 200);
  expect ("POST", "/collections/tasks/items", token, "application/json", tasks, 201);
  expect ("POST", "/collections/tasks/items", token, "application/json", "2{\"a\":1}", 400);
  expect ("GET", "/collections/tasks/items?status=pending", token, NULL, NULL, 200);
  expect ("GET", "/v1.1/Things?$expand=Datastreams($top=2;$expand=Observations($top=1))&$filter=name ne null", NULL,
          NULL, NULL, 200);
  expect ("GET", "/v1.1/Datastreams?$orderby=Thing/", NULL, NULL, NULL, 400);
  expect ("GET", "/v1.1/Locations?$filter=geo.intersects(location, geography'POLYGON((103 22, 105 22, 105 23, 103 22))')",
          NULL, NULL, NULL, 200);
  test_observation_post (server, token, 1, 1.5, "2025-07-01T00:00:00Z");
  expect ("POST", "/open311/v2/requests.json", NULL, "application/x-www-form-urlencoded",
          "service_code=rac-thai&lat=22.48&long=103.97&description=R%C3%A1c&phone=0912345678", 200);
  expect ("GET", "/open311/v2/requests.json", token, NULL, NULL, 200);
  expect ("POST", "/cap/alerts", token, "application/cap+xml", cap, 201);
  expect ("GET", "/cap/alerts.xml", NULL, NULL, NULL, 200);
  expect ("POST", "/auth/token", NULL, "application/json", "{\"username\":\"dieuphoi\",\"password\":\"sai\"}", 401);
}

static void
test_leaks (void)
{
  const char *options = g_getenv ("SABAN_LEAK_ASAN_OPTIONS");

  /* the demo seeded already: the restart with the slow unwinder is quick */
  test_server_stop (server);
  if (options != NULL)
    g_setenv ("ASAN_OPTIONS", options, TRUE);
  test_server_restart (server, (const char *const[]) { "--rate-limit=0", NULL });
  walk_every_api ();
  test_server_stop (server);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL, *db = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  dir = test_tmpdir ();
  db = g_build_filename (dir, "leaks.db", NULL);
  server = test_server_start (db, (const char *const[]) { "--rate-limit=0", NULL });

  g_test_add_func ("/server/leaks", test_leaks);
  rc = g_test_run ();

  test_server_free (server);
  return rc;
}
