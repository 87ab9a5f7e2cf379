/* A pilot's SQLite database moved into production PostgreSQL with
 * `saban-server migrate` (issue 16): every table copied and checked (rows,
 * checksum), a target holding data refused unless --replace, a difference
 * found by --verify-only, and a server on the target serving the pilot's
 * items, accounts and reports, its new ids after the old.
 */
#include <string.h>

#include "server-fixture.h"
#include "test-pg.h"

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
migrate (Run *r, const char *from, const char *to, const char *option)
{
  g_autofree char *from_arg = g_strconcat ("--from=sqlite:", from, NULL);
  g_autofree char *to_arg = g_strconcat ("--to=", to, NULL);
  const char *argv[] = { test_program ("SABAN_SERVER", "saban-server"), "migrate", from_arg, to_arg, option, NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r->out, &r->err, &status,
                               &error));
  g_assert_no_error (error);
  r->status = g_spawn_check_wait_status (status, NULL) ? 0 : 1;
  g_test_message ("migrate %s: %d\n%s%s", option ? option : "", r->status, r->out, r->err);
}

/* Whether two FeatureCollections hold the same Features' properties, in order. */
static gboolean
same_properties (const char *a, const char *b)
{
  g_autoptr(JsonNode) x = json_from_string (a, NULL);
  g_autoptr(JsonNode) y = json_from_string (b, NULL);
  JsonArray *fx = json_object_get_array_member (json_node_get_object (x), "features");
  JsonArray *fy = json_object_get_array_member (json_node_get_object (y), "features");

  if (json_array_get_length (fx) != json_array_get_length (fy) || json_array_get_length (fx) == 0)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (fx); i++)
    if (!json_node_equal (json_object_get_member (json_array_get_object_element (fx, i), "properties"),
                          json_object_get_member (json_array_get_object_element (fy, i), "properties")))
      return FALSE;
  return TRUE;
}

/* Whether two Features have the same @member (links name the server, which moved). */
static gboolean
same_member (const char *a, const char *b, const char *member)
{
  g_autoptr(JsonNode) x = json_from_string (a, NULL);
  g_autoptr(JsonNode) y = json_from_string (b, NULL);

  return json_node_equal (json_object_get_member (json_node_get_object (x), member),
                          json_object_get_member (json_node_get_object (y), member));
}

static char *
get_body (TestServer *s, const char *token, const char *path, char **etag)
{
  g_autoptr(Resp) r = test_request (s, "GET", path, token, NULL, NULL, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  if (etag != NULL)
    *etag = g_strdup (soup_message_headers_get_one (r->headers, "ETag"));
  return g_strdup (r->body);
}

static void
test_pilot_to_production (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *pilot_db = g_build_filename (dir, "pilot.db", NULL);
  g_autofree char *token = NULL, *uri = NULL, *scenario_path = NULL, *task_path = NULL;
  g_autofree char *scenario = NULL, *task = NULL, *etag = NULL, *request = NULL, *log = NULL;
  TestPg *pg;
  TestServer *pilot, *production;
  gint64 scenario_id, task_id, max_id;

  /* the pilot: a scenario with a task, a citizen's report, the simulator's readings */
  /* both link to the one public address (the demo's photos), as behind one proxy */
  pilot = test_server_start (pilot_db, (const char *const[]) { "--rate-limit=0", "--public-url=https://ioc.example.vn",
                                                               NULL });
  token = test_login (pilot, "dieuphoi");
  scenario_id = test_scenario_create (pilot, token, "Lũ quét Mường Hum — thử nghiệm");
  {
    g_autofree char *body = g_strdup_printf ("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":"
                                             "[103.812345678912,22.4987654321]},\"properties\":{\"scenarioId\":%"
                                             G_GINT64_FORMAT ",\"title\":\"Sơ tán bản Nậm Pung\",\"kind\":"
                                             "\"evacuate\",\"priority\":8}}", scenario_id);
    g_autoptr(Resp) r = test_request (pilot, "POST", "/collections/tasks/items", token, "application/geo+json", body,
                                      NULL);

    g_assert_cmpuint (r->status, ==, 201);
    task_id = json_object_get_int_member (resp_object (r), "id");
  }
  {
    g_autoptr(Resp) r = test_request (pilot, "POST", "/open311/v2/requests.json", NULL,
                                      "application/x-www-form-urlencoded",
                                      "service_code=ngap-ung&lat=22.48&long=103.97&description=Ng%E1%BA%ADp%20s%C3%A2u"
                                      "&first_name=Th%E1%BB%8B&last_name=L%C3%B2&phone=0912345678", NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
  scenario_path = g_strdup_printf ("/collections/scenarios/items/%" G_GINT64_FORMAT, scenario_id);
  task_path = g_strdup_printf ("/collections/tasks/items/%" G_GINT64_FORMAT, task_id);
  scenario = get_body (pilot, token, scenario_path, &etag);
  task = get_body (pilot, token, task_path, NULL);
  log = get_body (pilot, token, "/collections/scenario-log/items?limit=1000", NULL);
  request = get_body (pilot, token, "/open311/v2/requests.json?limit=1000", NULL);
  test_server_stop (pilot);

  pg = test_pg_new (g_getenv ("SABAN_TEST_PG_DIR"), TEST_PG_FAST);
  uri = test_pg_uri (pg, "saban");
  {
    g_auto(Run) r = { 0 };

    migrate (&r, pilot_db, uri, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "đã kiểm tra từng bảng"));
    g_assert_nonnull (strstr (r.out, "sta_observations"));
    g_assert_nonnull (strstr (r.out, "indicator_values"));
  }
  g_assert_cmpint (test_pg_query_int (pg, "saban", "SELECT COUNT(*) FROM items WHERE collection = 'tasks'", NULL),
                   ==, 1);
  {
    g_auto(Run) again = { 0 };
    g_auto(Run) check = { 0 };

    migrate (&again, pilot_db, uri, NULL);
    g_assert_cmpint (again.status, ==, 1);
    g_assert_nonnull (strstr (again.err, "đã có dữ liệu (bảng users)"));
    migrate (&check, pilot_db, uri, "--verify-only");
    g_assert_cmpint (check.status, ==, 0);
  }
  /* one value changed in production is found */
  test_pg_sql (pg, "saban", "UPDATE o311_requests SET description = 'đã sửa' WHERE id = (SELECT MAX(id) FROM o311_requests)");
  {
    g_auto(Run) check = { 0 };
    g_auto(Run) replace = { 0 };
    g_auto(Run) again = { 0 };

    migrate (&check, pilot_db, uri, "--verify-only");
    g_assert_cmpint (check.status, ==, 1);
    g_assert_nonnull (strstr (check.err, "o311_requests: the checksum differs"));
    migrate (&replace, pilot_db, uri, "--replace");
    g_assert_cmpint (replace.status, ==, 0);
    migrate (&again, pilot_db, uri, "--verify-only");
    g_assert_cmpint (again.status, ==, 0);
  }

  /* production serves the pilot's data as the pilot did */
  max_id = test_pg_query_int (pg, "saban", "SELECT MAX(id) FROM items", NULL);
  production = test_server_start_plain (uri, (const char *const[]) { "--rate-limit=0",
                                                                     "--public-url=https://ioc.example.vn", NULL });
  g_free (token);
  token = test_login (production, "dieuphoi");  /* the pilot's password hashes */
  {
    g_autofree char *etag2 = NULL;
    g_autofree char *scenario2 = get_body (production, token, scenario_path, &etag2);
    g_autofree char *task2 = get_body (production, token, task_path, NULL);
    g_autofree char *log2 = get_body (production, token, "/collections/scenario-log/items?limit=1000", NULL);
    g_autofree char *request2 = get_body (production, token, "/open311/v2/requests.json?limit=1000", NULL);

    g_assert_cmpstr (etag2, ==, etag);
    g_assert_true (same_member (scenario2, scenario, "properties"));
    g_assert_true (same_member (task2, task, "properties"));
    g_assert_true (same_member (task2, task, "geometry"));
    g_assert_true (same_properties (log2, log));
    g_assert_cmpstr (request2, ==, request);
  }
  g_assert_cmpint (test_scenario_create (production, token, "Kịch bản đầu tiên trên PostgreSQL"), >, max_id);

  test_server_free (production);
  test_pg_free (pg);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/migrate/pilot-to-production", test_pilot_to_production);
  return g_test_run ();
}
