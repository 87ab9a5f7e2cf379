/* Open311 GeoReport v2 against the real saban-server: payloads validated
 * against the standard's JSON schemas (python3-jsonschema), filters, anonymous
 * posts and their rate limit, personal data masked for every role (seeing
 * it takes a stated purpose: test-feedback.c), the operators' notes
 * extension, hostile input. */
#include "server-fixture.h"


static TestServer *server;

static Resp *
req (const char *method, const char *path, const char *token, const char *type, const char *body)
{
  return test_request (server, method, path, token, type, body, NULL);
}

static JsonArray *
array_of (Resp *r)
{
  g_assert_nonnull (r->json);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (r->json));
  return json_node_get_array (r->json);
}

static void
validate (const char *schema, const char *payload)
{
  const char *dir = g_getenv ("SABAN_OPEN311_SCHEMAS");
  const char *script = g_getenv ("SABAN_OPEN311_VALIDATE");
  g_autofree char *tmp = test_tmpdir ();
  g_autofree char *file = g_build_filename (tmp, "payload.json", NULL);
  g_autofree char *err = NULL;
  int status = 0;

  if (dir == NULL || script == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_message ("no Open311 schemas: not validated");
      return;
    }
  g_assert_true (g_file_set_contents (file, payload, -1, NULL));
  {
    const char *argv[] = { "python3", script, dir, schema, file, NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                                 NULL, NULL, NULL, &err, &status, NULL));
  }
  if (WIFEXITED (status) && WEXITSTATUS (status) == 77)
    {
      g_test_message ("python3-jsonschema missing: not validated");
      return;
    }
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s does not validate: %s\n%s", schema, err, payload);
}

static gint64
audit_rows (const char *actor, const char *action)
{
  /* the action is one of the test's own words */
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM audit WHERE actor = ? AND action = '%s'", action);

  return test_db_query_int (server->location, sql, actor);
}

static void
test_services (void)
{
  g_autoptr(Resp) r = req ("GET", "/open311/v2/services.json", NULL, NULL, NULL);
  JsonArray *a = array_of (r);
  gboolean flood = FALSE;

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (a), >=, 7);
  for (guint i = 0; i < json_array_get_length (a); i++)
    flood |= g_str_equal (json_object_get_string_member (json_array_get_object_element (a, i), "service_name"), "Ngập úng");
  g_assert_true (flood);
  validate ("services.json", r->body);
}

static void
test_requests_and_filters (void)
{
  g_autoptr(Resp) all = req ("GET", "/open311/v2/requests.json", NULL, NULL, NULL);
  JsonArray *a = array_of (all);
  JsonObject *first;
  g_autofree char *one_path = NULL;

  g_assert_cmpuint (json_array_get_length (a), ==, 40);
  validate ("requests.json", all->body);
  first = json_array_get_object_element (a, 0);
  g_assert_true (json_object_get_boolean_member (first, "demo"));
  one_path = g_strdup_printf ("/open311/v2/requests/%s.json", json_object_get_string_member (first, "service_request_id"));
  {
    g_autoptr(Resp) one = req ("GET", one_path, NULL, NULL, NULL);
    g_assert_cmpuint (json_array_get_length (array_of (one)), ==, 1);
    validate ("requests.json", one->body);
  }
  {
    g_autoptr(Resp) open = req ("GET", "/open311/v2/requests.json?status=open", NULL, NULL, NULL);
    g_autoptr(Resp) closed = req ("GET", "/open311/v2/requests.json?status=closed", NULL, NULL, NULL);
    JsonArray *o = array_of (open);

    g_assert_cmpuint (json_array_get_length (o) + json_array_get_length (array_of (closed)), ==, 40);
    for (guint i = 0; i < json_array_get_length (o); i++)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (o, i), "status"), ==, "open");
  }
  {
    g_autofree char *path = g_strdup_printf ("/open311/v2/requests.json?service_code=%s",
                                             json_object_get_string_member (first, "service_code"));
    g_autoptr(Resp) r = req ("GET", path, NULL, NULL, NULL);
    JsonArray *v = array_of (r);

    g_assert_cmpuint (json_array_get_length (v), >=, 1);
    for (guint i = 0; i < json_array_get_length (v); i++)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (v, i), "service_code"), ==,
                       json_object_get_string_member (first, "service_code"));
  }
  {
    g_autoptr(Resp) future = req ("GET", "/open311/v2/requests.json?start_date=2999-01-01T00:00:00Z", NULL, NULL, NULL);
    g_autoptr(Resp) past = req ("GET", "/open311/v2/requests.json?start_date=2000-01-01T00:00:00Z&end_date=2999-01-01T00:00:00%2B07:00", NULL, NULL, NULL);
    g_autoptr(Resp) sea = req ("GET", "/open311/v2/requests.json?bbox=108,15,109,16", NULL, NULL, NULL);
    g_autoptr(Resp) province = req ("GET", "/open311/v2/requests.json?bbox=102.5,21,105.5,23.5", NULL, NULL, NULL);

    g_assert_cmpuint (json_array_get_length (array_of (future)), ==, 0);
    g_assert_cmpuint (json_array_get_length (array_of (past)), ==, 40);
    g_assert_cmpuint (json_array_get_length (array_of (sea)), ==, 0);
    g_assert_cmpuint (json_array_get_length (array_of (province)), ==, 40);
  }
}

/* Lists and single reads mask the reporter for every role: seeing one
 * takes a stated purpose (test-feedback.c), so no list is audited. */
static void
test_masking_and_audit (void)
{
  static const char *const users[] = { "lanhdao", "quyhoach", "dieuphoi", "trucban", "quantri" };

  for (guint u = 0; u < G_N_ELEMENTS (users); u++)
    {
      g_autofree char *token = test_login (server, users[u]);
      gint64 before = audit_rows (users[u], "read-personal-data");
      g_autoptr(Resp) r = req ("GET", "/open311/v2/requests.json?status=open,closed", token, NULL, NULL);
      JsonArray *a = array_of (r);
      JsonObject *o = json_array_get_object_element (a, 0);
      const char *phone = json_object_get_string_member (o, "phone");
      const char *email = json_object_get_string_member (o, "email");

      validate ("requests.json", r->body);
      g_assert_cmpstr (json_object_get_string_member (o, "personal_data"), ==, "masked");
      g_assert_true (g_regex_match_simple ("^\\*{7}[0-9]{3}$", phone, 0, 0));
      g_assert_nonnull (strstr (email, "***@example.vn"));
      g_assert_cmpint (audit_rows (users[u], "read-personal-data"), ==, before);
    }
  /* anonymous: masked, nothing to audit */
  {
    g_autoptr(Resp) r = req ("GET", "/open311/v2/requests.json", NULL, NULL, NULL);
    JsonObject *o = json_array_get_object_element (array_of (r), 0);
    g_assert_cmpstr (json_object_get_string_member (o, "personal_data"), ==, "masked");
  }
}

static void
test_post_and_notes (void)
{
  g_autofree char *op = test_login (server, "trucban");
  g_autofree char *leader = test_login (server, "lanhdao");
  const char *form = "service_code=ngap-ung&lat=22.4856&long=103.9707&description=Ng%E1%BA%ADp+s%C3%A2u+50+cm"
                     "&first_name=V%C4%83n+An&last_name=Nguy%E1%BB%85n&phone=0912345123&email=an%40example.vn&api_key=x";
  g_autoptr(Resp) r = req ("POST", "/open311/v2/requests.json", NULL, "application/x-www-form-urlencoded", form);
  g_autofree char *path = NULL, *notes = NULL;
  const char *id;

  g_assert_cmpuint (r->status, ==, 200);
  id = json_object_get_string_member (json_array_get_object_element (array_of (r), 0), "service_request_id");
  path = g_strdup_printf ("/open311/v2/requests/%s.json", id);
  notes = g_strdup_printf ("/open311/v2/requests/%s/notes.json", id);
  {
    g_autoptr(Resp) masked = req ("GET", path, leader, NULL, NULL);
    JsonObject *o = json_array_get_object_element (array_of (masked), 0);

    validate ("requests.json", masked->body);
    g_assert_cmpstr (json_object_get_string_member (o, "last_name"), ==, "Ng***");
    g_assert_cmpstr (json_object_get_string_member (o, "first_name"), ==, "V*** A");
    g_assert_cmpstr (json_object_get_string_member (o, "phone"), ==, "*******123");
    g_assert_cmpstr (json_object_get_string_member (o, "email"), ==, "a***@example.vn");
    g_assert_cmpstr (json_object_get_string_member (o, "description"), ==, "Ngập sâu 50 cm");
  }
  /* the operators' extension: assign, reply, close; a leader may not */
  {
    g_autoptr(Resp) denied = req ("POST", notes, leader, "application/x-www-form-urlencoded", "action=close&note=x");
    g_autoptr(Resp) anon = req ("POST", notes, NULL, "application/x-www-form-urlencoded", "action=close&note=x");
    g_autoptr(Resp) a1 = req ("POST", notes, op, "application/x-www-form-urlencoded",
                              "action=assign&agency=UBND+ph%C6%B0%E1%BB%9Dng+L%C3%A0o+Cai");
    g_autoptr(Resp) a2 = req ("POST", notes, op, "application/json", "{\"action\":\"reply\",\"note\":\"Đã cử cán bộ kiểm tra.\"}");
    g_autoptr(Resp) a3 = req ("POST", notes, op, "application/x-www-form-urlencoded", "action=close&note=%C4%90%C3%A3+x%E1%BB%AD+l%C3%BD");
    g_autoptr(Resp) list = req ("GET", notes, op, NULL, NULL);
    JsonObject *o;

    g_assert_cmpuint (denied->status, ==, 403);
    g_assert_cmpuint (anon->status, ==, 401);
    validate ("requests.json", a1->body);
    g_assert_cmpuint (a1->status, ==, 200);
    g_assert_cmpuint (a2->status, ==, 200);
    g_assert_cmpuint (a3->status, ==, 200);
    o = json_array_get_object_element (array_of (a3), 0);
    g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "closed");
    g_assert_cmpstr (json_object_get_string_member (o, "status_notes"), ==, "Đã xử lý");
    g_assert_cmpstr (json_object_get_string_member (o, "agency_responsible"), ==, "UBND phường Lào Cai");
    g_assert_cmpuint (json_array_get_length (array_of (list)), ==, 3);
    g_assert_cmpint (audit_rows ("trucban", "close"), ==, 1);
  }
}

static void
test_hostile (void)
{
  g_autofree char *op = test_login (server, "trucban");
  static const char *const bad_posts[] = {
    "", "service_code=nope&lat=22&long=104", "service_code=ngap-ung", "service_code=ngap-ung&lat=95&long=104",
    "service_code=ngap-ung&lat=22", "service_code=ngap-ung&lat=abc&long=104",
    "service_code=ngap-ung&lat=22&long=104&media_url=javascript:alert(1)",
    "service_code=ngap-ung'%3B+DROP+TABLE+o311_requests%3B--&lat=22&long=104", NULL };
  static const char *const bad_gets[] = {
    "/open311/v2/requests.json?status=pending", "/open311/v2/requests.json?start_date=yesterday",
    "/open311/v2/requests.json?bbox=1,2,3", "/open311/v2/requests.json?start_date=2025-02-01&end_date=2025-01-01",
    "/open311/v2/requests.json?bbox=104,22,103,21", NULL };

  for (guint i = 0; bad_posts[i] != NULL; i++)
    {
      g_autoptr(Resp) r = req ("POST", "/open311/v2/requests.json", op, "application/x-www-form-urlencoded", bad_posts[i]);
      JsonObject *e;

      if (r->status != 400)
        g_error ("POST %s: %u %s", bad_posts[i], r->status, r->body);
      /* the standard's error shape */
      e = json_array_get_object_element (array_of (r), 0);
      g_assert_cmpint (json_object_get_int_member (e, "code"), ==, 400);
      g_assert_true (json_object_has_member (e, "description"));
    }
  for (guint i = 0; bad_gets[i] != NULL; i++)
    {
      g_autoptr(Resp) r = req ("GET", bad_gets[i], NULL, NULL, NULL);
      if (r->status != 400)
        g_error ("GET %s: %u %s", bad_gets[i], r->status, r->body);
    }
  {
    g_autoptr(Resp) r1 = req ("GET", "/open311/v2/requests/abc.json", NULL, NULL, NULL);
    g_autoptr(Resp) r2 = req ("GET", "/open311/v2/requests/999999.json", NULL, NULL, NULL);
    g_autoptr(Resp) r3 = req ("GET", "/open311/v2/requests/..%2F..%2Fetc%2Fpasswd", NULL, NULL, NULL);
    g_autoptr(Resp) r4 = req ("POST", "/open311/v2/requests/999999/notes.json", op, "application/x-www-form-urlencoded", "action=reply&note=x");
    g_autoptr(Resp) r5 = req ("POST", "/open311/v2/requests/1/notes.json", op, "application/x-www-form-urlencoded", "action=delete");
    g_assert_cmpuint (r1->status, ==, 404);
    g_assert_cmpuint (r2->status, ==, 404);
    g_assert_cmpuint (json_object_get_int_member (json_array_get_object_element (array_of (r2), 0), "code"), ==, 404);
    g_assert_true (r3->status == 404 || r3->status == 400);
    g_assert_cmpuint (r4->status, ==, 404);
    g_assert_cmpuint (r5->status, ==, 400);
  }
  /* still 40 demo + 1 posted: nothing was dropped or added */
  {
    g_autoptr(Resp) r = req ("GET", "/open311/v2/requests.json", NULL, NULL, NULL);
    g_assert_cmpuint (json_array_get_length (array_of (r)), ==, 41);
  }
}

static void
test_anonymous_limit (void)
{
  guint ok = 0, limited = 0;

  for (int i = 0; i < 15; i++)
    {
      g_autoptr(Resp) r = req ("POST", "/open311/v2/requests.json", NULL, "application/x-www-form-urlencoded",
                               "service_code=rac-thai&address_string=T%E1%BB%95+3%2C+ph%C6%B0%E1%BB%9Dng+Cam+%C4%90%C6%B0%E1%BB%9Dng");
      if (r->status == 200)
        ok++;
      else
        {
          g_assert_cmpuint (r->status, ==, 429);
          limited++;
        }
    }
  /* the first post of the earlier test counts too */
  g_assert_cmpuint (ok, ==, 9);
  g_assert_cmpuint (limited, ==, 6);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL, *db = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  dir = test_tmpdir ();
  db = g_build_filename (dir, "open311.db", NULL);
  server = test_server_start (db, (const char *const[]) { "--rate-limit=0", NULL });

  g_test_add_func ("/open311/services", test_services);
  g_test_add_func ("/open311/requests-and-filters", test_requests_and_filters);
  g_test_add_func ("/open311/masking-and-audit", test_masking_and_audit);
  g_test_add_func ("/open311/post-and-notes", test_post_and_notes);
  g_test_add_func ("/open311/hostile", test_hostile);
  g_test_add_func ("/open311/anonymous-limit", test_anonymous_limit);
  rc = g_test_run ();
  test_server_free (server);
  return rc;
}
