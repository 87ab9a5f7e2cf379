/* The Command API against the real saban-server: every legal and illegal
 * transition, 409/412/422/428, idempotent replay, filters, the authorisation
 * matrix, the audit trail, hostile bodies, rate limiting, and MQTT
 * notifications received by a real subscriber through a real mosquitto. */
#include "saban-command-schema.h"
#include "server-fixture.h"


static TestServer *server;
static char *tokens[5];
static const char *const users[] = { "lanhdao", "quyhoach", "dieuphoi", "trucban", "quantri" };
static const char *const roles[] = { "leader", "planner", "coordinator", "operator", "admin" };
enum { LEADER, PLANNER, COORDINATOR, OPERATOR, ADMIN };
#define COORD tokens[COORDINATOR]

static const char *assignee = "\"assignee\":{\"type\":\"unit\",\"id\":\"doi-cuu-ho-1\",\"name\":\"Đội cứu hộ 1\"}";

static Resp *
req (const char *method, const char *path, const char *token, const char *body, const char *const *headers)
{
  return test_request (server, method, path, token, "application/json", body, headers);
}

static gint64
create (const char *collection, const char *token, const char *props, guint want)
{
  g_autofree char *path = g_strdup_printf ("/collections/%s/items", collection);
  g_autofree char *body = g_strdup_printf ("{\"type\":\"Feature\",\"geometry\":null,\"properties\":{%s}}", props);
  g_autoptr(Resp) r = req ("POST", path, token, body, NULL);

  if (r->status != want)
    g_error ("POST %s: %u %s (wanted %u)", path, r->status, r->body, want);
  if (want != 201)
    return 0;
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "ETag"), ==, "\"v1\"");
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (r->headers, "Location"), server->base));
  return json_object_get_int_member (resp_object (r), "id");
}

static gint64
new_scenario (void)
{
  return create ("scenarios", COORD, "\"title\":\"Lũ quét xã Bát Xát\",\"severity\":\"Severe\",\"priority\":8", 201);
}

static gint64
new_task (gint64 scenario)
{
  g_autofree char *props = g_strdup_printf ("\"scenarioId\":%" G_GINT64_FORMAT ",\"title\":\"Sơ tán thôn Tả Phìn\","
                                            "\"kind\":\"evacuate\"", scenario);
  return create ("tasks", COORD, props, 201);
}

static gint64
version_of (const char *collection, gint64 id)
{
  g_autofree char *path = g_strdup_printf ("/collections/%s/items/%" G_GINT64_FORMAT, collection, id);
  g_autoptr(Resp) r = req ("GET", path, COORD, NULL, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return json_object_get_int_member (resp_props (r), "version");
}

/* PATCH with the current ETag; returns the response. */
static Resp *
patch (const char *collection, gint64 id, const char *token, const char *props)
{
  g_autofree char *path = g_strdup_printf ("/collections/%s/items/%" G_GINT64_FORMAT, collection, id);
  g_autofree char *etag = g_strdup_printf ("\"v%" G_GINT64_FORMAT "\"", version_of (collection, id));
  g_autofree char *body = g_strdup_printf ("{\"properties\":{%s}}", props);

  return req ("PATCH", path, token, body, (const char *const[]) { "If-Match", etag, NULL });
}

static void
set_status (const char *collection, gint64 id, const char *status, guint want)
{
  g_autofree char *props = g_strdup_printf ("\"status\":\"%s\",%s", status,
                                            g_str_equal (collection, "tasks") ? assignee : "\"priority\":9");
  g_autoptr(Resp) r = patch (collection, id, COORD, props);

  if (r->status != want)
    g_error ("%s %" G_GINT64_FORMAT " → %s: %u %s (wanted %u)", collection, id, status, r->status, r->body, want);
  if (want == 200)
    g_assert_cmpstr (json_object_get_string_member (resp_props (r), "status"), ==, status);
}

static void
setup_tokens (void)
{
  for (int i = 0; i < 5; i++)
    if (tokens[i] == NULL)
      tokens[i] = test_login (server, users[i]);
}

typedef struct
{
  const char *state;
  const char *path[5];
  const char *next[6];
} State;

static const State task_states[] = {
  { "pending", { NULL }, { "assigned", "cancelled", NULL } },
  { "assigned", { "assigned", NULL }, { "accepted", "pending", "cancelled", NULL } },
  { "accepted", { "assigned", "accepted", NULL }, { "in_progress", "cancelled", NULL } },
  { "in_progress", { "assigned", "accepted", "in_progress", NULL }, { "paused", "completed", "failed", "cancelled", NULL } },
  { "paused", { "assigned", "accepted", "in_progress", "paused", NULL }, { "in_progress", "completed", "failed", "cancelled", NULL } },
  { "completed", { "assigned", "accepted", "in_progress", "completed", NULL }, { NULL } },
  { "failed", { "assigned", "accepted", "in_progress", "failed", NULL }, { NULL } },
  { "cancelled", { "cancelled", NULL }, { NULL } },
};

static const State scenario_states[] = {
  { "draft", { NULL }, { "active", "cancelled", NULL } },
  { "active", { "active", NULL }, { "suspended", "closed", "cancelled", NULL } },
  { "suspended", { "active", "suspended", NULL }, { "active", "closed", "cancelled", NULL } },
  { "closed", { "active", "closed", NULL }, { NULL } },
  { "cancelled", { "cancelled", NULL }, { NULL } },
};

static guint
log_length (const char *collection, gint64 id)
{
  g_autofree char *path = g_strdup_printf ("/collections/scenario-log/items?%s=%" G_GINT64_FORMAT "&limit=1000",
                                           g_str_equal (collection, "tasks") ? "taskId" : "scenarioId", id);
  g_autoptr(Resp) r = req ("GET", path, COORD, NULL, NULL);

  return json_array_get_length (json_object_get_array_member (resp_object (r), "features"));
}

static void
assert_same_states (const char *const *got, const char *const *want)
{
  g_assert_nonnull (got);
  g_assert_cmpuint (g_strv_length ((char **) got), ==, g_strv_length ((char **) want));
  for (guint i = 0; want[i] != NULL; i++)
    g_assert_true (g_strv_contains (got, want[i]));
}

/* The state machine of the shared design (the tables above) is the
 * schema's, and the server's: every move from every state, the legal ones
 * done, the others refused with 409, the schema's allowed list, and
 * nothing changed — the item, its version, its log. */
static void
check_all_transitions (const char *collection, const State *states, guint n, gint64 scenario)
{
  g_assert_cmpstr (saban_command_schema_get_initial_state (collection), ==, states[0].state);
  g_assert_cmpuint (g_strv_length ((char **) saban_command_schema_get_states (collection)), ==, n);
  for (guint from = 0; from < n; from++)
    {
      assert_same_states (saban_command_schema_get_next_states (collection, states[from].state), states[from].next);
      g_assert_true (saban_command_schema_is_terminal (collection, states[from].state) ==
                     (states[from].next[0] == NULL));
    }

  for (guint from = 0; from < n; from++)
    for (guint to = 0; to < n; to++)
      {
        gint64 id, version;
        guint logged;
        gboolean legal;
        g_autofree char *props = NULL;
        g_autoptr(Resp) r = NULL;

        if (from == to)
          continue;
        id = scenario ? new_task (scenario) : new_scenario ();
        for (guint p = 0; states[from].path[p] != NULL; p++)
          set_status (collection, id, states[from].path[p], 200);
        legal = g_strv_contains (states[from].next, states[to].state);
        props = g_strdup_printf ("\"status\":\"%s\",%s", states[to].state,
                                 scenario ? assignee : "\"priority\":9");
        version = version_of (collection, id);
        logged = log_length (collection, id);
        r = patch (collection, id, COORD, props);
        if (legal)
          {
            g_assert_cmpuint (r->status, ==, 200);
            g_assert_cmpstr (json_object_get_string_member (resp_props (r), "status"), ==, states[to].state);
          }
        else
          {
            JsonObject *o;

            if (r->status != 409)
              g_error ("%s %s → %s: %u %s", collection, states[from].state, states[to].state, r->status, r->body);
            o = resp_object (r);
            g_assert_cmpstr (json_object_get_string_member (o, "code"), ==, "illegal-transition");
            g_assert_cmpstr (json_object_get_string_member (o, "current"), ==, states[from].state);
            g_assert_cmpstr (json_object_get_string_member (o, "requested"), ==, states[to].state);
            {
              JsonArray *allowed = json_object_get_array_member (o, "allowed");
              g_autofree const char **list = g_new0 (const char *, json_array_get_length (allowed) + 1);

              for (guint a = 0; a < json_array_get_length (allowed); a++)
                list[a] = json_array_get_string_element (allowed, a);
              assert_same_states (list, saban_command_schema_get_next_states (collection, states[from].state));
            }
            g_assert_cmpint (version_of (collection, id), ==, version);
            g_assert_cmpuint (log_length (collection, id), ==, logged);
            {
              g_autofree char *path = g_strdup_printf ("/collections/%s/items/%" G_GINT64_FORMAT, collection, id);
              g_autoptr(Resp) now = req ("GET", path, COORD, NULL, NULL);
              g_assert_cmpstr (json_object_get_string_member (resp_props (now), "status"), ==, states[from].state);
            }
          }
      }
}

static void
test_task_transitions (void)
{
  gint64 sc = new_scenario ();

  setup_tokens ();
  set_status ("scenarios", sc, "active", 200);
  check_all_transitions ("tasks", task_states, G_N_ELEMENTS (task_states), sc);
}

static void
test_scenario_transitions (void)
{
  setup_tokens ();
  check_all_transitions ("scenarios", scenario_states, G_N_ELEMENTS (scenario_states), 0);
}

static void
test_rules (void)
{
  gint64 sc = new_scenario (), t1, t2;

  setup_tokens ();
  set_status ("scenarios", sc, "active", 200);
  t1 = new_task (sc);
  t2 = new_task (sc);
  /* assigned needs an assignee */
  {
    g_autoptr(Resp) r = patch ("tasks", t1, COORD, "\"status\":\"assigned\"");
    g_assert_cmpuint (r->status, ==, 422);
  }
  /* closing needs every task terminal */
  {
    g_autoptr(Resp) r = patch ("scenarios", sc, COORD, "\"status\":\"closed\"");
    g_assert_cmpuint (r->status, ==, 409);
    g_assert_cmpstr (json_object_get_string_member (resp_object (r), "code"), ==, "open-tasks");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (resp_object (r), "openTasks")), ==, 2);
  }
  set_status ("tasks", t1, "cancelled", 200);
  set_status ("tasks", t2, "assigned", 200);
  set_status ("tasks", t2, "accepted", 200);
  set_status ("tasks", t2, "in_progress", 200);
  set_status ("tasks", t2, "completed", 200);
  {
    g_autofree char *path = g_strdup_printf ("/collections/tasks/items/%" G_GINT64_FORMAT, t2);
    g_autoptr(Resp) r = req ("GET", path, COORD, NULL, NULL);
    JsonObject *p = resp_props (r);
    g_assert_true (json_object_has_member (p, "acceptedAt"));
    g_assert_true (json_object_has_member (p, "startedAt"));
    g_assert_true (json_object_has_member (p, "finishedAt"));
    g_assert_cmpint (json_object_get_int_member (p, "progress"), ==, 100);
    g_assert_cmpint (json_object_get_int_member (p, "version"), ==, 5);
    g_assert_cmpstr (soup_message_headers_get_one (r->headers, "ETag"), ==, "\"v5\"");
  }
  set_status ("scenarios", sc, "closed", 200);
  /* 422: a task for, or in, a closed scenario */
  {
    g_autofree char *props = g_strdup_printf ("\"scenarioId\":%" G_GINT64_FORMAT ",\"title\":\"muộn\"", sc);
    create ("tasks", COORD, props, 422);
  }
  {
    g_autoptr(Resp) r = patch ("tasks", t2, COORD, "\"outcome\":\"xong\"");
    g_assert_cmpuint (r->status, ==, 422);
  }
  create ("tasks", COORD, "\"scenarioId\":999999,\"title\":\"không có\"", 422);
  /* new items start in their initial state */
  create ("scenarios", COORD, "\"title\":\"x\",\"status\":\"active\"", 409);
  /* bad properties */
  create ("scenarios", COORD, "\"title\":\"x\",\"priority\":11", 400);
  create ("scenarios", COORD, "\"title\":\"x\",\"severity\":\"Huge\"", 400);
  create ("scenarios", COORD, "\"description\":\"no title\"", 400);
  create ("scenarios", COORD, "\"title\":\"x\",\"colour\":\"red\"", 400);
  create ("tasks", COORD, "\"scenarioId\":\"1\",\"title\":\"x\"", 400);
}

static void
test_preconditions (void)
{
  gint64 sc = new_scenario ();
  g_autofree char *path = g_strdup_printf ("/collections/scenarios/items/%" G_GINT64_FORMAT, sc);

  setup_tokens ();
  {
    g_autoptr(Resp) r = req ("PATCH", path, COORD, "{\"properties\":{\"priority\":3}}", NULL);
    g_assert_cmpuint (r->status, ==, 428);
  }
  {
    g_autoptr(Resp) ok = req ("PATCH", path, COORD, "{\"properties\":{\"priority\":3}}",
                              (const char *const[]) { "If-Match", "\"v1\"", NULL });
    g_autoptr(Resp) stale = req ("PATCH", path, COORD, "{\"properties\":{\"priority\":4}}",
                                 (const char *const[]) { "If-Match", "\"v1\"", NULL });
    g_assert_cmpuint (ok->status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_one (ok->headers, "ETag"), ==, "\"v2\"");
    g_assert_cmpuint (stale->status, ==, 412);
    g_assert_cmpstr (soup_message_headers_get_one (stale->headers, "ETag"), ==, "\"v2\"");
  }
  g_assert_cmpint (version_of ("scenarios", sc), ==, 2);
  {
    g_autoptr(Resp) r = req ("PATCH", "/collections/scenarios/items/999999", COORD, "{}",
                             (const char *const[]) { "If-Match", "\"v1\"", NULL });
    g_assert_cmpuint (r->status, ==, 404);
  }
  {
    /* a merge patch: null removes, other members stay */
    g_autoptr(Resp) r = patch ("scenarios", sc, COORD, "\"priority\":null,\"commander\":\"Đ/c Phó Chủ tịch\"");
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_false (json_object_has_member (resp_props (r), "priority"));
    g_assert_cmpstr (json_object_get_string_member (resp_props (r), "title"), ==, "Lũ quét xã Bát Xát");
  }
}

static void
test_idempotency (void)
{
  gint64 sc = new_scenario ();
  g_autofree char *body = g_strdup_printf ("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":"
                                           "[103.97,22.5]},\"properties\":{\"scenarioId\":%" G_GINT64_FORMAT
                                           ",\"title\":\"Tiếp tế nhu yếu phẩm\",\"kind\":\"supply\"}}", sc);
  const char *const key[] = { "Idempotency-Key", "outbox-7f3a-0001", NULL };
  g_autoptr(Resp) first = NULL, second = NULL;
  gint64 id;

  setup_tokens ();
  first = req ("POST", "/collections/tasks/items", COORD, body, key);
  second = req ("POST", "/collections/tasks/items", COORD, body, key);
  g_assert_cmpuint (first->status, ==, 201);
  g_assert_cmpuint (second->status, ==, 201);
  g_assert_cmpstr (first->body, ==, second->body);
  g_assert_cmpstr (soup_message_headers_get_one (second->headers, "Idempotent-Replayed"), ==, "true");
  g_assert_cmpstr (soup_message_headers_get_one (first->headers, "Location"), ==,
                   soup_message_headers_get_one (second->headers, "Location"));
  id = json_object_get_int_member (resp_object (first), "id");
  {
    g_autofree char *q = g_strdup_printf ("/collections/tasks/items?scenarioId=%" G_GINT64_FORMAT, sc);
    g_autoptr(Resp) r = req ("GET", q, COORD, NULL, NULL);
    g_assert_cmpint (json_object_get_int_member (resp_object (r), "numberMatched"), ==, 1);
  }
  /* a PATCH replayed applies once, even with a now-stale If-Match */
  {
    g_autofree char *path = g_strdup_printf ("/collections/tasks/items/%" G_GINT64_FORMAT, id);
    const char *const h[] = { "If-Match", "\"v1\"", "Idempotency-Key", "outbox-7f3a-0002", NULL };
    g_autofree char *pb = g_strdup_printf ("{\"properties\":{\"status\":\"assigned\",%s}}", assignee);
    g_autoptr(Resp) a = req ("PATCH", path, COORD, pb, h);
    g_autoptr(Resp) b = req ("PATCH", path, COORD, pb, h);
    g_assert_cmpuint (a->status, ==, 200);
    g_assert_cmpuint (b->status, ==, 200);
    g_assert_cmpstr (a->body, ==, b->body);
    g_assert_cmpint (version_of ("tasks", id), ==, 2);
  }
  /* the same key for another request is refused */
  {
    g_autoptr(Resp) r = req ("POST", "/collections/scenarios/items", COORD,
                             "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"title\":\"x\"}}", key);
    g_assert_cmpuint (r->status, ==, 422);
  }
  /* one log entry per applied change */
  {
    g_autofree char *q = g_strdup_printf ("/collections/scenario-log/items?taskId=%" G_GINT64_FORMAT, id);
    g_autoptr(Resp) r = req ("GET", q, COORD, NULL, NULL);
    JsonArray *f = json_object_get_array_member (resp_object (r), "features");
    g_assert_cmpuint (json_array_get_length (f), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                       json_array_get_object_element (f, 1), "properties"), "actor"), ==, "dieuphoi");
  }
}

static void
test_filters (void)
{
  gint64 sc = new_scenario (), a, b;
  g_autofree char *since = NULL;

  setup_tokens ();
  set_status ("scenarios", sc, "active", 200);
  a = new_task (sc);
  b = new_task (sc);
  set_status ("tasks", b, "assigned", 200);
  {
    g_autofree char *path = g_strdup_printf ("/collections/tasks/items/%" G_GINT64_FORMAT, b);
    g_autoptr(Resp) r = req ("GET", path, COORD, NULL, NULL);
    since = g_strdup (json_object_get_string_member (resp_props (r), "updated"));
  }
  {
    g_autofree char *q = g_strdup_printf ("/collections/tasks/items?scenarioId=%" G_GINT64_FORMAT "&status=assigned", sc);
    g_autoptr(Resp) r = req ("GET", q, COORD, NULL, NULL);
    JsonArray *f = json_object_get_array_member (resp_object (r), "features");
    g_assert_cmpuint (json_array_get_length (f), ==, 1);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (f, 0), "id"), ==, b);
  }
  {
    g_autofree char *q = g_strdup_printf ("/collections/tasks/items?scenarioId=%" G_GINT64_FORMAT
                                          "&status=pending,assigned&assignee=doi-cuu-ho-1", sc);
    g_autoptr(Resp) r = req ("GET", q, COORD, NULL, NULL);
    g_assert_cmpint (json_object_get_int_member (resp_object (r), "numberMatched"), ==, 1);
  }
  {
    g_autofree char *enc = g_uri_escape_string (since, NULL, FALSE);
    g_autofree char *q = g_strdup_printf ("/collections/tasks/items?scenarioId=%" G_GINT64_FORMAT "&updatedSince=%s",
                                          sc, enc);
    g_autoptr(Resp) r = req ("GET", q, COORD, NULL, NULL);
    g_assert_cmpint (json_object_get_int_member (resp_object (r), "numberMatched"), ==, 1);
  }
  {
    g_autoptr(Resp) r = req ("GET", "/collections/tasks/items?updatedSince=yesterday", COORD, NULL, NULL);
    g_assert_cmpuint (r->status, ==, 400);
  }
  {
    g_autofree char *q = g_strdup_printf ("/collections/tasks/items?scenarioId=%" G_GINT64_FORMAT "&limit=1", sc);
    g_autoptr(Resp) r = req ("GET", q, COORD, NULL, NULL);
    g_assert_cmpint (json_object_get_int_member (resp_object (r), "numberReturned"), ==, 1);
    g_assert_nonnull (strstr (r->body, "\"rel\":\"next\""));
  }
  (void) a;
  /* playbooks are seeded; the demo's indicators are the indicators API's (test-indicators.c) */
  {
    g_autoptr(Resp) r = req ("GET", "/collections/playbooks/items?limit=100", COORD, NULL, NULL);
    g_assert_cmpint (json_object_get_int_member (resp_object (r), "numberMatched"), ==, 13);
    g_assert_nonnull (strstr (r->body, "Lũ quét và sạt lở đất"));
    g_assert_nonnull (strstr (r->body, "targetMinutes"));
  }
  {
    g_autoptr(Resp) gone = req ("GET", "/collections/indicators/items", COORD, NULL, NULL);
    g_autoptr(Resp) r = req ("GET", "/indicators", COORD, NULL, NULL);
    JsonArray *list = json_object_get_array_member (resp_object (r), "indicators");

    g_assert_cmpuint (gone->status, ==, 404);
    g_assert_cmpuint (json_array_get_length (list), ==, 30);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (resp_object (r), "communes")), ==, 99);
    for (guint i = 0; i < json_array_get_length (list); i++)
      {
        JsonObject *o = json_array_get_object_element (list, i);

        /* 24 months of every commune (and some of the province), fewer for the ones kept late */
        g_assert_cmpint (json_object_get_int_member (o, "values"), <=, 24 * 100);
        g_assert_cmpint (json_object_get_int_member (o, "values"), >=, 20 * 99);
        g_assert_cmpstr (json_object_get_string_member (o, "source"), ==, "Dữ liệu minh họa tổng hợp");
      }
  }
}

/* role × write: who may do what (docs/architecture.md has the table) */
static void
test_authorisation (void)
{
  gint64 sc = new_scenario ();
  enum { POST_SCENARIO, PATCH_SCENARIO, POST_TASK, PATCH_TASK, POST_SITREP, N_WRITES };
  const gboolean allowed[5][N_WRITES] = {
    [LEADER] = { FALSE, FALSE, FALSE, FALSE, FALSE },
    [PLANNER] = { FALSE, FALSE, FALSE, FALSE, FALSE },
    [COORDINATOR] = { TRUE, TRUE, TRUE, TRUE, TRUE },
    [OPERATOR] = { FALSE, FALSE, FALSE, TRUE, TRUE },
    [ADMIN] = { TRUE, TRUE, TRUE, TRUE, TRUE },
  };
  gint64 task;
  g_autofree char *task_props = g_strdup_printf ("\"scenarioId\":%" G_GINT64_FORMAT ",\"title\":\"Tuần tra đê\"", sc);
  g_autofree char *sitrep_props = g_strdup_printf ("\"scenarioId\":%" G_GINT64_FORMAT ",\"summary\":\"Mưa lớn, "
                                                   "chưa có thiệt hại về người\",\"reportVersion\":\"initial\"", sc);

  setup_tokens ();
  set_status ("scenarios", sc, "active", 200);
  task = new_task (sc);
  /* the table is the schema's */
  for (int role = 0; role < 5; role++)
    {
      const struct { const char *collection; SabanCommandMethod method; } writes[N_WRITES] = {
        [POST_SCENARIO] = { "scenarios", SABAN_COMMAND_POST }, [PATCH_SCENARIO] = { "scenarios", SABAN_COMMAND_PATCH },
        [POST_TASK] = { "tasks", SABAN_COMMAND_POST }, [PATCH_TASK] = { "tasks", SABAN_COMMAND_PATCH },
        [POST_SITREP] = { "sitreps", SABAN_COMMAND_POST },
      };

      for (int w = 0; w < N_WRITES; w++)
        g_assert_true (allowed[role][w] == saban_command_schema_may_write (writes[w].collection, writes[w].method,
                                                                          roles[role]));
    }
  for (int role = 0; role < 5; role++)
    for (int w = 0; w < N_WRITES; w++)
      {
        const char *token = tokens[role];
        guint want_ok = (w == PATCH_SCENARIO || w == PATCH_TASK) ? 200 : 201;
        guint status;

        switch (w)
          {
          case POST_SCENARIO:
            create ("scenarios", token, "\"title\":\"Diễn tập\",\"exercise\":true", allowed[role][w] ? 201 : 403);
            continue;
          case POST_TASK:
            create ("tasks", token, task_props, allowed[role][w] ? 201 : 403);
            continue;
          case POST_SITREP:
            create ("sitreps", token, sitrep_props, allowed[role][w] ? 201 : 403);
            continue;
          case PATCH_SCENARIO:
            {
              /* a value of its own: a PATCH that changes nothing is not a write */
              g_autofree char *props = g_strdup_printf ("\"priority\":%d", role);
              g_autoptr(Resp) r = patch ("scenarios", sc, token, props);
              status = r->status;
            }
            break;
          default:
            {
              g_autofree char *props = g_strdup_printf ("\"progress\":%d", 10 + role);
              g_autoptr(Resp) r = patch ("tasks", task, token, props);
              status = r->status;
            }
            break;
          }
        if (status != (allowed[role][w] ? want_ok : 403))
          g_error ("%s write %d: %u", users[role], w, status);
      }
  /* anonymous: no Command API reads or writes; a bad token is a 401 everywhere */
  {
    g_autoptr(Resp) r1 = req ("GET", "/collections/tasks/items", NULL, NULL, NULL);
    g_autoptr(Resp) r2 = req ("POST", "/collections/scenarios/items", NULL,
                              "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"title\":\"x\"}}", NULL);
    g_autoptr(Resp) r3 = req ("GET", "/collections/communes/items", "not-a-token", NULL, NULL);
    g_autoptr(Resp) r4 = req ("GET", "/collections/tasks/items", tokens[PLANNER], NULL, NULL);
    g_assert_cmpuint (r1->status, ==, 401);
    g_assert_cmpuint (r2->status, ==, 401);
    g_assert_cmpuint (r3->status, ==, 401);
    g_assert_cmpuint (r4->status, ==, 200);
  }
  /* read-only collections */
  {
    g_autoptr(Resp) r1 = req ("POST", "/collections/playbooks/items", tokens[ADMIN], "{}", NULL);
    g_autoptr(Resp) r2 = req ("PATCH", "/collections/sitreps/items/1", tokens[ADMIN], "{}", NULL);
    g_autoptr(Resp) r3 = req ("POST", "/collections/parcels/items", tokens[ADMIN], "{}", NULL);
    g_autoptr(Resp) r4 = req ("DELETE", "/collections/tasks/items/1", tokens[ADMIN], NULL, NULL);
    g_assert_cmpuint (r1->status, ==, 405);
    g_assert_cmpuint (r2->status, ==, 405);
    g_assert_cmpuint (r3->status, ==, 405);
    g_assert_cmpuint (r4->status, ==, 405);
  }
  /* wrong passwords */
  {
    g_autoptr(Resp) r = req ("POST", "/auth/token", NULL, "{\"username\":\"quantri\",\"password\":\"x\"}", NULL);
    g_autoptr(Resp) f = NULL;
    g_autofree char *url = g_strconcat (server->base, "/auth/token", NULL);
    g_assert_cmpuint (r->status, ==, 401);
    f = test_http ("POST", url, NULL, "application/x-www-form-urlencoded",
                   "grant_type=password&username=trucban&password=saban-demo", NULL);
    g_assert_cmpuint (f->status, ==, 200);
  }
  /* the audit trail has every write with its actor, and cannot be rewritten */
  g_assert_cmpint (test_db_query_int (server->location, "SELECT COUNT(*) FROM audit WHERE actor = 'trucban' "
                                      "AND action = 'update'", NULL), >=, 1);
  g_assert_cmpint (test_db_query_int (server->location, "SELECT COUNT(*) FROM audit WHERE action = 'login-failed' "
                                      "AND actor = 'quantri'", NULL), >=, 1);
  g_assert_false (test_db_try_sql (server->location, "DELETE FROM audit"));
  g_assert_false (test_db_try_sql (server->location, "UPDATE scenario_log SET actor = 'x'"));
  /* passwords are PBKDF2, tokens only as hashes */
  g_assert_cmpint (test_db_query_int (server->location, "SELECT COUNT(*) FROM users WHERE username = 'quantri' "
                                      "AND password LIKE 'pbkdf2-sha256$120000$%'", NULL), ==, 1);
  g_assert_cmpint (test_db_query_int (server->location, "SELECT COUNT(*) FROM tokens WHERE hash = ?",
                                      tokens[ADMIN]), ==, 0);
}

/* ---- issue 17: what a write may ask, and what a refusal leaves ---------- */

static char *
item_path (const char *collection, gint64 id)
{
  return g_strdup_printf ("/collections/%s/items/%" G_GINT64_FORMAT, collection, id);
}

/* PATCH @body as it is, with If-Match "v@version" */
static Resp *
patch_body (const char *collection, gint64 id, const char *body, gint64 version)
{
  g_autofree char *path = item_path (collection, id);
  g_autofree char *etag = g_strdup_printf ("\"v%" G_GINT64_FORMAT "\"", version);

  return req ("PATCH", path, COORD, body, (const char *const[]) { "If-Match", etag, NULL });
}

static const char *
error_code (Resp *r)
{
  return json_object_get_string_member_with_default (resp_object (r), "code", "");
}

/* The call of issue 17: a draft scenario asked to close. Refused whichever
 * way it is written, and the ETag the caller holds still works after. */
static void
test_issue_17 (void)
{
  gint64 sc = new_scenario ();

  {
    /* status beside properties: not a member of a Feature, and said so */
    g_autoptr(Resp) r = patch_body ("scenarios", sc, "{\"status\":\"closed\"}", 1);
    g_assert_cmpuint (r->status, ==, 400);
    g_assert_nonnull (strstr (json_object_get_string_member (resp_object (r), "description"), "properties"));
  }
  {
    g_autoptr(Resp) r = patch_body ("scenarios", sc, "{\"properties\":{\"status\":\"closed\"}}", 1);
    const char *const allowed[] = { "active", "cancelled", NULL };
    JsonArray *list;

    g_assert_cmpuint (r->status, ==, 409);
    g_assert_cmpstr (error_code (r), ==, "illegal-transition");
    g_assert_cmpstr (json_object_get_string_member (resp_object (r), "current"), ==, "draft");
    list = json_object_get_array_member (resp_object (r), "allowed");
    g_assert_cmpuint (json_array_get_length (list), ==, 2);
    for (guint i = 0; i < 2; i++)
      g_assert_true (g_strv_contains (allowed, json_array_get_string_element (list, i)));
  }
  g_assert_cmpint (version_of ("scenarios", sc), ==, 1);
  g_assert_cmpuint (log_length ("scenarios", sc), ==, 1);
  {
    g_autoptr(Resp) r = patch_body ("scenarios", sc, "{\"properties\":{\"status\":\"active\"}}", 1);
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_one (r->headers, "ETag"), ==, "\"v2\"");
  }
}

/* A PATCH that changes nothing keeps the version, the time of the last
 * change and the log as they were; it answers 200 with the item. */
static void
test_unchanged (void)
{
  gint64 sc = new_scenario (), sc2, task;
  g_autofree char *updated = NULL;
  const char *const same[] = {
    "{\"properties\":{\"priority\":8}}",
    "{\"properties\":{\"priority\":8,\"severity\":\"Severe\",\"title\":\"Lũ quét xã Bát Xát\"}}",
    "{\"properties\":{\"status\":\"draft\"}}",
    "{\"properties\":{\"commander\":null}}",
    "{\"properties\":{}}",
    "{\"geometry\":null}",
    "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"priority\":8}}",
  };

  {
    g_autofree char *path = item_path ("scenarios", sc);
    g_autoptr(Resp) r = req ("GET", path, COORD, NULL, NULL);
    updated = g_strdup (json_object_get_string_member (resp_props (r), "updated"));
  }
  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_autoptr(Resp) r = patch_body ("scenarios", sc, same[i], 1);

      if (r->status != 200)
        g_error ("%s: %u %s", same[i], r->status, r->body);
      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "ETag"), ==, "\"v1\"");
      g_assert_cmpint (json_object_get_int_member (resp_props (r), "version"), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (resp_props (r), "updated"), ==, updated);
    }
  g_assert_cmpint (version_of ("scenarios", sc), ==, 1);
  g_assert_cmpuint (log_length ("scenarios", sc), ==, 1);

  /* with an Idempotency-Key, replayed as any write */
  {
    g_autofree char *path = item_path ("scenarios", sc);
    const char *const h[] = { "If-Match", "\"v1\"", "Idempotency-Key", "unchanged-0001", NULL };
    g_autoptr(Resp) a = req ("PATCH", path, COORD, same[0], h);
    g_autoptr(Resp) b = req ("PATCH", path, COORD, same[0], h);

    g_assert_cmpuint (a->status, ==, 200);
    g_assert_cmpuint (b->status, ==, 200);
    g_assert_cmpstr (a->body, ==, b->body);
    g_assert_cmpstr (soup_message_headers_get_one (b->headers, "Idempotent-Replayed"), ==, "true");
  }

  /* a change is still one */
  {
    g_autoptr(Resp) r = patch_body ("scenarios", sc, "{\"properties\":{\"priority\":7}}", 1);
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_one (r->headers, "ETag"), ==, "\"v2\"");
  }

  /* the same area again */
  sc2 = create ("scenarios", COORD, "\"title\":\"Sạt lở Y Tý\"", 201);
  {
    const char *area = "{\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[103.6,22.6],[103.7,22.6],"
                       "[103.7,22.7],[103.6,22.6]]]}}";
    g_autoptr(Resp) first = patch_body ("scenarios", sc2, area, 1);
    g_autoptr(Resp) again = patch_body ("scenarios", sc2, area, 2);

    g_assert_cmpuint (first->status, ==, 200);
    g_assert_cmpuint (again->status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_one (again->headers, "ETag"), ==, "\"v2\"");
  }

  /* a finished task told again that it is finished */
  set_status ("scenarios", sc2, "active", 200);
  task = new_task (sc2);
  set_status ("tasks", task, "cancelled", 200);
  {
    g_autoptr(Resp) r = patch_body ("tasks", task, "{\"properties\":{\"status\":\"cancelled\"}}", 2);
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpint (version_of ("tasks", task), ==, 2);
  }
}

static gint64
count_items (const char *collection)
{
  g_autofree char *path = g_strdup_printf ("/collections/%s/items?limit=1", collection);
  g_autoptr(Resp) r = req ("GET", path, COORD, NULL, NULL);

  return json_object_get_int_member (resp_object (r), "numberMatched");
}

typedef struct
{
  const char *collection;
  const char *body;
  guint       status;
  const char *code;
} Refused;

/* What a client may not set is refused, never dropped: members beside
 * properties, the id, properties the server sets, a task's scenario after
 * its creation, a state other than the first on creation, unknown names.
 * Nothing is created or changed. */
static void
test_refused_fields (void)
{
  gint64 sc = new_scenario (), task;
  g_autofree char *with_scenario = NULL;
  const char *const collections[] = { "scenarios", "tasks", "sitreps", "acknowledgements" };
  gint64 before[G_N_ELEMENTS (collections)];
  const Refused posts[] = {
    { "scenarios", "{\"type\":\"Feature\",\"id\":5,\"geometry\":null,\"properties\":{\"title\":\"x\"}}", 400,
      "read-only-property" },
    { "scenarios", "{\"type\":\"Feature\",\"geometry\":null,\"status\":\"draft\",\"properties\":{\"title\":\"x\"}}",
      400, "bad-request" },
    { "scenarios", "{\"type\":\"Feature\",\"geometry\":null,\"links\":[],\"properties\":{\"title\":\"x\"}}", 400,
      "bad-request" },
    { "scenarios", "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"title\":\"x\",\"version\":3}}", 400,
      "read-only-property" },
    { "scenarios", "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"title\":\"x\","
      "\"created\":\"2025-07-01T00:00:00Z\"}}", 400, "read-only-property" },
    { "scenarios", "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"title\":\"x\","
      "\"updated\":\"2025-07-01T00:00:00Z\"}}", 400, "read-only-property" },
    { "scenarios", "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"title\":\"x\","
      "\"activatedAt\":\"2025-07-01T00:00:00Z\"}}", 400, "read-only-property" },
    { "scenarios", "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"title\":\"x\",\"status\":\"active\"}}",
      409, "illegal-transition" },
    { "scenarios", "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"title\":\"x\",\"colour\":\"red\"}}",
      400, "invalid-feature" },
    { "tasks", "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{%s,\"acceptedAt\":\"2025-07-01T00:00:00Z\"}}",
      400, "read-only-property" },
    { "tasks", "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{%s,\"status\":\"completed\"}}", 409,
      "illegal-transition" },
    { "sitreps", "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{%s,\"reportNumber\":7}}", 400,
      "read-only-property" },
    { "sitreps", "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{%s,\"status\":\"final\"}}", 400,
      "invalid-feature" },
    { "tasks", "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{%s,\"status\":null}}", 400,
      "invalid-feature" },
    { "acknowledgements", "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"datastreamId\":1,"
      "\"sensorName\":\"x\",\"level\":\"danger\",\"observedAt\":\"2025-07-01T00:00:00Z\","
      "\"acknowledgedAt\":\"2025-07-01T00:01:00Z\",\"acknowledgedBy\":\"lanhdao\"}}", 400, "read-only-property" },
  };
  const Refused patches[] = {
    { "scenarios", "{\"id\":99}", 400, "read-only-property" },
    { "scenarios", "{\"title\":\"y\"}", 400, "bad-request" },
    { "scenarios", "{\"type\":\"FeatureCollection\",\"properties\":{\"title\":\"y\"}}", 400, "bad-request" },
    { "scenarios", "{\"type\":{\"Feature\":1},\"properties\":{\"title\":\"y\"}}", 400, "bad-request" },
    { "scenarios", "{\"properties\":{\"version\":9}}", 400, "read-only-property" },
    { "scenarios", "{\"properties\":{\"created\":\"2025-07-01T00:00:00Z\"}}", 400, "read-only-property" },
    { "scenarios", "{\"properties\":{\"updated\":\"2030-07-01T00:00:00Z\"}}", 400, "read-only-property" },
    { "scenarios", "{\"properties\":{\"closedAt\":\"2030-07-01T00:00:00Z\"}}", 400, "read-only-property" },
    { "scenarios", "{\"properties\":{\"colour\":\"red\"}}", 400, "invalid-feature" },
    { "scenarios", "{\"properties\":{\"status\":7}}", 400, "invalid-feature" },
    { "scenarios", "{\"properties\":{\"status\":null}}", 400, "invalid-feature" },
    { "scenarios", "{\"properties\":{\"status\":\"archived\"}}", 409, "illegal-transition" },
    { "tasks", "{\"properties\":{\"scenarioId\":%s}}", 400, "read-only-property" },
    { "tasks", "{\"properties\":{\"finishedAt\":\"2030-07-01T00:00:00Z\"}}", 400, "read-only-property" },
    { "tasks", "{\"properties\":{\"progress\":101}}", 400, "invalid-feature" },
  };

  set_status ("scenarios", sc, "active", 200);
  task = new_task (sc);
  with_scenario = g_strdup_printf ("\"scenarioId\":%" G_GINT64_FORMAT ",\"title\":\"x\",\"summary\":\"y\"", sc);
  for (guint c = 0; c < G_N_ELEMENTS (collections); c++)
    before[c] = count_items (collections[c]);
  for (guint i = 0; i < G_N_ELEMENTS (posts); i++)
    {
      g_autofree char *path = g_strdup_printf ("/collections/%s/items", posts[i].collection);
      g_autoptr(GString) body = g_string_new (posts[i].body);
      g_autoptr(Resp) r = NULL;

      /* tasks need a title and no summary; sitreps the reverse */
      g_string_replace (body, "%s", with_scenario, 0);
      if (g_str_equal (posts[i].collection, "tasks"))
        g_string_replace (body, ",\"summary\":\"y\"", "", 0);
      else
        g_string_replace (body, "\"title\":\"x\",\"summary\"", "\"summary\"", 0);
      r = req ("POST", path, COORD, body->str, NULL);
      if (r->status != posts[i].status || !g_str_equal (error_code (r), posts[i].code))
        g_error ("POST %s: %u %s (wanted %u %s)", body->str, r->status, r->body, posts[i].status, posts[i].code);
    }
  for (guint c = 0; c < G_N_ELEMENTS (collections); c++)
    g_assert_cmpint (count_items (collections[c]), ==, before[c]);
  /* the first state may be named */
  create ("scenarios", COORD, "\"title\":\"Diễn tập PCCC\",\"status\":\"draft\"", 201);

  for (guint i = 0; i < G_N_ELEMENTS (patches); i++)
    {
      gint64 id = g_str_equal (patches[i].collection, "tasks") ? task : sc;
      gint64 version = version_of (patches[i].collection, id);
      g_autofree char *scenario_text = g_strdup_printf ("%" G_GINT64_FORMAT, sc);
      g_autoptr(GString) body = g_string_new (patches[i].body);
      g_autoptr(Resp) r = NULL;

      g_string_replace (body, "%s", scenario_text, 0);
      r = patch_body (patches[i].collection, id, body->str, version);
      if (r->status != patches[i].status || !g_str_equal (error_code (r), patches[i].code))
        g_error ("PATCH %s: %u %s (wanted %u %s)", body->str, r->status, r->body, patches[i].status,
                 patches[i].code);
      g_assert_cmpint (version_of (patches[i].collection, id), ==, version);
    }
}

/* Every transition of both machines, tried by every role: the server lets
 * exactly the roles the schema names take it, and a refusal (403) leaves
 * the item as it was. */
static void
check_transition_roles (const char *collection, const State *states, guint n, gint64 scenario)
{
  for (guint from = 0; from < n; from++)
    for (guint t = 0; states[from].next[t] != NULL; t++)
      {
        const char *to = states[from].next[t];
        g_autofree char *props = g_strdup_printf ("\"status\":\"%s\",%s", to, scenario ? assignee : "\"priority\":9");

        for (int role = 0; role < 5; role++)
          {
            gboolean may = saban_command_schema_may_transition (collection, states[from].state, to, roles[role]);
            gint64 id = scenario ? new_task (scenario) : new_scenario ();
            g_autoptr(Resp) r = NULL;

            for (guint p = 0; states[from].path[p] != NULL; p++)
              set_status (collection, id, states[from].path[p], 200);
            r = patch (collection, id, tokens[role], props);
            if (r->status != (may ? 200 : 403))
              g_error ("%s %s → %s by %s: %u %s", collection, states[from].state, to, roles[role], r->status,
                       r->body);
            if (!may)
              g_assert_cmpint (version_of (collection, id), ==,
                               (gint64) g_strv_length ((char **) states[from].path) + 1);
          }
      }
}

static void
test_transition_roles (void)
{
  gint64 sc = new_scenario ();

  set_status ("scenarios", sc, "active", 200);
  check_transition_roles ("scenarios", scenario_states, G_N_ELEMENTS (scenario_states), 0);
  check_transition_roles ("tasks", task_states, G_N_ELEMENTS (task_states), sc);
}

/* docs/openapi.yaml, served as /api, says what the schema says: each
 * collection's properties, which the server sets (readOnly), which are set
 * only on creation (x-create-only), the required ones and the values. */
static void
check_openapi_schema (JsonObject *schemas, const char *name, const char *collection)
{
  JsonObject *s = json_object_get_object_member (schemas, name);
  JsonObject *props = json_object_get_object_member (s, "properties");
  JsonArray *required = json_object_get_array_member (s, "required");
  gboolean changes = saban_command_schema_get_writers (collection, SABAN_COMMAND_PATCH)[0] != NULL;
  guint n_fields = 0, n_required = 0;

  for (const SabanCommandField *f = saban_command_schema_get_fields (collection); f->name != NULL; f++, n_fields++)
    {
      JsonObject *p = json_object_get_object_member (props, f->name);
      gboolean required_here = FALSE;

      if (p == NULL)
        g_error ("%s.%s is not in docs/openapi.yaml", name, f->name);
      if (json_object_get_boolean_member_with_default (p, "readOnly", FALSE) != (f->settable == 0))
        g_error ("%s.%s: readOnly is wrong", name, f->name);
      if (json_object_get_boolean_member_with_default (p, "x-create-only", FALSE) !=
          (changes && f->settable == SABAN_COMMAND_POST))
        g_error ("%s.%s: x-create-only is wrong", name, f->name);
      for (guint i = 0; i < json_array_get_length (required); i++)
        required_here |= g_str_equal (json_array_get_string_element (required, i), f->name);
      if (required_here != f->required)
        g_error ("%s.%s: required is wrong", name, f->name);
      n_required += f->required;
      if (f->values != NULL)
        {
          JsonArray *values = json_object_get_array_member (p, "enum");
          g_autofree const char **list = g_new0 (const char *, json_array_get_length (values) + 1);

          for (guint i = 0; i < json_array_get_length (values); i++)
            list[i] = json_array_get_string_element (values, i);
          assert_same_states (list, f->values);
        }
    }
  g_assert_cmpuint (json_object_get_size (props), ==, n_fields);
  g_assert_cmpuint (json_array_get_length (required), ==, n_required);
}

static void
test_openapi (void)
{
  g_autoptr(Resp) r = req ("GET", "/api", NULL, NULL, NULL);
  JsonObject *schemas;

  g_assert_cmpuint (r->status, ==, 200);
  schemas = json_object_get_object_member (json_object_get_object_member (resp_object (r), "components"), "schemas");
  check_openapi_schema (schemas, "Scenario", "scenarios");
  check_openapi_schema (schemas, "Task", "tasks");
  check_openapi_schema (schemas, "Sitrep", "sitreps");
  check_openapi_schema (schemas, "Acknowledgement", "acknowledgements");
}

static void
test_hostile_bodies (void)
{
  g_autofree char *big = NULL;
  const char *evil = "'; DROP TABLE items; -- \\\" OR 1=1 /* Robert'); DELETE FROM audit;--";
  g_autofree char *escaped = NULL;

  setup_tokens ();
  big = g_strnfill (2 * 1024 * 1024, 'x');
  {
    g_autoptr(Resp) r = req ("POST", "/collections/scenarios/items", COORD, big, NULL);
    g_assert_cmpuint (r->status, ==, 413);
    g_assert_cmpstr (json_object_get_string_member (resp_object (r), "code"), ==, "too-large");
  }
  {
    const char *bad[] = { "{", "[1,2]", "null", "{\"type\":\"Feature\"", "\xff\xfe", "{\"type\":\"Feature\","
                          "\"properties\":[]}", "{\"type\":\"Feature\",\"properties\":{\"title\":\"x\"},"
                          "\"geometry\":{\"type\":\"Point\",\"coordinates\":[999,1]}}",
                          "{\"type\":\"Feature\",\"properties\":{\"title\":\"x\"},"
                          "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[1,2]]}}" };
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(Resp) r = req ("POST", "/collections/scenarios/items", COORD, bad[i], NULL);
        if (r->status != 400)
          g_error ("body %u: %u %s", i, r->status, r->body);
        g_assert_true (json_object_has_member (resp_object (r), "code"));
      }
  }
  /* SQL metacharacters are data, in bodies and in parameters */
  {
    g_autoptr(JsonNode) s = json_node_new (JSON_NODE_VALUE);
    g_autofree char *props = NULL;
    gint64 id;

    json_node_set_string (s, evil);
    escaped = json_to_string (s, FALSE);
    props = g_strdup_printf ("\"title\":%s", escaped);
    id = create ("scenarios", COORD, props, 201);
    {
      g_autofree char *path = g_strdup_printf ("/collections/scenarios/items/%" G_GINT64_FORMAT, id);
      g_autoptr(Resp) r = req ("GET", path, COORD, NULL, NULL);
      g_assert_cmpstr (json_object_get_string_member (resp_props (r), "title"), ==, evil);
    }
  }
  {
    const char *params[] = { "status=%27%20OR%201%3D1%20--", "scenarioId=1%20OR%201%3D1", "assignee=%27%3B%20DROP%20TABLE%20items%3B--",
                             "updatedSince=2020-01-01T00:00:00Z%27--" };
    for (guint i = 0; i < G_N_ELEMENTS (params); i++)
      {
        g_autofree char *path = g_strdup_printf ("/collections/tasks/items?%s", params[i]);
        g_autoptr(Resp) r = req ("GET", path, COORD, NULL, NULL);
        g_assert_true (r->status == 200 || r->status == 400);
        if (r->status == 200)
          g_assert_cmpint (json_object_get_int_member (resp_object (r), "numberMatched"), ==, 0);
      }
  }
  {
    g_autoptr(Resp) r = req ("GET", "/collections/scenarios/items?limit=1", COORD, NULL, NULL);
    g_assert_cmpuint (r->status, ==, 200);  /* the table is still there */
  }
}

/* ---- MQTT -------------------------------------------------------------- */

static void
test_mqtt (void)
{
  guint port = 0;
  g_autoptr(GSubprocess) broker = test_mosquitto_start (&port);
  g_autofree char *dir = NULL, *db = NULL, *mqtt_arg = NULL;
  TestServer *saved = server, *s2;
  TestSubscriber *sub;
  gint64 sc, task;
  char *tok;

  if (broker == NULL)
    {
      g_test_skip ("mosquitto is not installed");
      return;
    }
  dir = test_tmpdir ();
  db = g_build_filename (dir, "mqtt.db", NULL);
  mqtt_arg = g_strdup_printf ("--mqtt=127.0.0.1:%u", port);
  s2 = test_server_start (db, (const char *const[]) { mqtt_arg, "--rate-limit=0", NULL });
  server = s2;
  tok = test_login (server, "dieuphoi");
  test_server_wait_mqtt (server, 10);
  sub = test_mqtt_subscribe (port, "saban-test-sub", "ioc/v1/#");

  /* writes that name people and carry free text: a commander, an
   * assignee, an acknowledgement's note, the log's actor and its note */
  {
    g_autofree char *saved_coord = tokens[COORDINATOR];
    g_autofree char *task_props = NULL;
    g_autoptr(Resp) assigned = NULL, ack = NULL;

    tokens[COORDINATOR] = tok;
    sc = create ("scenarios", COORD, "\"title\":\"Sạt lở Ý Tý\",\"commander\":\"Hoàng Văn Chỉ\","
                 "\"description\":\"Liên hệ 0912345678\"", 201);
    set_status ("scenarios", sc, "active", 200);
    task = new_task (sc);
    task_props = g_strdup_printf ("\"status\":\"assigned\",\"assignee\":{\"type\":\"person\",\"id\":\"nv-017\","
                                  "\"name\":\"Trần Thị Mai\"},\"instructions\":\"Gọi ông Lý Seo Chản\"");
    assigned = patch ("tasks", task, COORD, task_props);
    g_assert_cmpuint (assigned->status, ==, 200);
    ack = req ("POST", "/collections/acknowledgements/items", COORD,
               "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[103.9,22.4]},"
               "\"properties\":{\"datastreamId\":7,\"sensorName\":\"MN-001\",\"level\":\"danger\","
               "\"observedAt\":\"2026-01-01T00:00:00Z\",\"acknowledgedAt\":\"2026-01-01T00:01:00Z\","
               "\"note\":\"Bà Sáu báo tin\"}}", NULL);
    g_assert_cmpuint (ack->status, ==, 201);
    tokens[COORDINATOR] = g_steal_pointer (&saved_coord);
  }
  {
    g_autofree char *t1 = g_strdup_printf ("ioc/v1/collections/tasks/items/%" G_GINT64_FORMAT, task);
    g_autofree char *t2 = g_strdup_printf ("ioc/v1/scenarios/%" G_GINT64_FORMAT "/tasks", sc);
    g_autofree char *t3 = g_strdup_printf ("ioc/v1/scenarios/%" G_GINT64_FORMAT "/log", sc);
    g_autofree char *task_id = g_strdup_printf ("\"id\":%" G_GINT64_FORMAT ",", task);
    g_autofree char *scenario_id = g_strdup_printf ("\"scenarioId\":%" G_GINT64_FORMAT, sc);
    static const char *const personal[] = { "Hoàng Văn Chỉ", "0912345678", "Trần Thị Mai", "nv-017", "Lý Seo Chản",
                                            "Bà Sáu", "dieuphoi", "Sạt lở", "Sơ tán", "MN-001", "→", "created" };
    static const char *const prefixes[] = { "ioc/v1/collections/scenarios/items/", "ioc/v1/collections/tasks/items/",
                                            "ioc/v1/collections/acknowledgements/items/", "ioc/v1/scenarios/" };
    gboolean seen[G_N_ELEMENTS (prefixes)] = { FALSE };
    guint task_notices = 0, log_notices = 0;
    char *m;

    /* scenario: create, activate; task: create, assign; acknowledgement:
     * create — each on its item's topic, a task's also on its scenario's,
     * and four log entries */
    while ((m = test_subscriber_pop (sub, 3000)) != NULL)
      {
        g_autofree char *msg = m;
        const char *payload = strchr (msg, '\n') + 1;

        g_test_message ("%s", msg);
        for (guint i = 0; i < G_N_ELEMENTS (personal); i++)
          g_assert_null (strstr (msg, personal[i]));
        g_assert_true (g_str_has_prefix (payload, "{\"collection\":\""));
        g_assert_nonnull (strstr (payload, "\"id\":"));
        g_assert_nonnull (strstr (payload, "\"updated\":\""));
        for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
          seen[i] |= g_str_has_prefix (msg, prefixes[i]);
        if (g_str_has_prefix (msg, t3))
          {
            log_notices++;
            g_assert_true (g_str_has_prefix (payload, "{\"collection\":\"scenario-log\""));
            g_assert_nonnull (strstr (payload, scenario_id));
            continue;
          }
        g_assert_nonnull (strstr (payload, "\"version\":\"v"));
        if (g_str_has_prefix (msg, t1) || g_str_has_prefix (msg, t2))
          {
            task_notices++;
            g_assert_nonnull (strstr (payload, task_id));
            g_assert_nonnull (strstr (payload, scenario_id));
          }
        if (g_str_has_prefix (msg, t1) && strstr (payload, "\"version\":\"v2\"") != NULL)
          {
            /* what the assignment changed, by name */
            g_assert_nonnull (strstr (payload, "\"changed\":["));
            g_assert_nonnull (strstr (payload, "\"status\""));
            g_assert_nonnull (strstr (payload, "\"assignee\""));
            g_assert_nonnull (strstr (payload, "\"instructions\""));
          }
      }
    for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
      g_assert_true (seen[i]);
    g_assert_cmpuint (task_notices, ==, 4);
    g_assert_cmpuint (log_notices, ==, 4);
  }

  /* refused writes and one that changes nothing publish nothing: the next
   * messages are those of the change that follows them (the broker keeps
   * one publisher's messages in order) */
  {
    g_autofree char *saved_coord = tokens[COORDINATOR];
    g_autofree char *t1 = g_strdup_printf ("ioc/v1/collections/tasks/items/%" G_GINT64_FORMAT, task);
    g_autofree char *m = NULL;
    char *drained;

    while ((drained = test_subscriber_pop (sub, 300)) != NULL)
      g_free (drained);
    tokens[COORDINATOR] = tok;
    {
      g_autoptr(Resp) illegal = patch ("tasks", task, COORD, "\"status\":\"completed\"");
      g_autoptr(Resp) readonly = patch ("tasks", task, COORD, "\"version\":1");
      g_autoptr(Resp) same = patch ("tasks", task, COORD, "\"status\":\"assigned\"");

      g_assert_cmpuint (illegal->status, ==, 409);
      g_assert_cmpuint (readonly->status, ==, 400);
      g_assert_cmpuint (same->status, ==, 200);
    }
    set_status ("tasks", task, "accepted", 200);
    tokens[COORDINATOR] = g_steal_pointer (&saved_coord);
    while ((m = test_subscriber_pop (sub, 10000)) != NULL && !g_str_has_prefix (m, t1))
      {
        /* the same write's notices on the scenario's topics */
        g_assert_true (g_str_has_prefix (m, "ioc/v1/scenarios/"));
        g_clear_pointer (&m, g_free);
      }
    g_assert_nonnull (m);
    g_assert_nonnull (strstr (m, "\"version\":\"v3\""));
    g_assert_nonnull (strstr (m, "\"changed\":["));
    g_assert_nonnull (strstr (m, "\"status\""));
    g_assert_nonnull (strstr (m, "\"acceptedAt\""));
  }

  /* the broker goes away: writes still succeed */
  test_subscriber_free (sub);
  g_subprocess_force_exit (broker);
  g_subprocess_wait (broker, NULL, NULL);
  {
    g_autofree char *saved_coord = tokens[COORDINATOR];
    tokens[COORDINATOR] = tok;
    set_status ("tasks", task, "in_progress", 200);
    tokens[COORDINATOR] = g_steal_pointer (&saved_coord);
  }
  g_free (tok);
  test_server_free (s2);
  server = saved;
}

static void
test_rate_limit (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "rate.db", NULL);
  TestServer *s = test_server_start (db, (const char *const[]) { "--rate-limit=5", NULL });
  g_autofree char *url = g_strconcat (s->base, "/collections", NULL);
  guint limited = 0;

  for (int i = 0; i < 40; i++)
    {
      g_autoptr(Resp) r = test_http ("GET", url, NULL, NULL, NULL, NULL);
      g_assert_true (r->status == 200 || r->status == 429);
      if (r->status == 429)
        {
          limited++;
          g_assert_nonnull (soup_message_headers_get_one (r->headers, "Retry-After"));
          g_assert_cmpstr (json_object_get_string_member (resp_object (r), "code"), ==, "rate-limited");
        }
    }
  g_assert_cmpuint (limited, >, 0);
  test_server_free (s);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL, *db = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  dir = test_tmpdir ();
  db = g_build_filename (dir, "server.db", NULL);
  server = test_server_start (db, (const char *const[]) { "--rate-limit=0", NULL });
  setup_tokens ();

  g_test_add_func ("/command/task-transitions", test_task_transitions);
  g_test_add_func ("/command/scenario-transitions", test_scenario_transitions);
  g_test_add_func ("/command/rules", test_rules);
  g_test_add_func ("/command/preconditions", test_preconditions);
  g_test_add_func ("/command/idempotency", test_idempotency);
  g_test_add_func ("/command/filters", test_filters);
  g_test_add_func ("/command/authorisation", test_authorisation);
  g_test_add_func ("/command/issue-17", test_issue_17);
  g_test_add_func ("/command/unchanged", test_unchanged);
  g_test_add_func ("/command/refused-fields", test_refused_fields);
  g_test_add_func ("/command/transition-roles", test_transition_roles);
  g_test_add_func ("/command/openapi", test_openapi);
  g_test_add_func ("/command/hostile-bodies", test_hostile_bodies);
  g_test_add_func ("/command/mqtt", test_mqtt);
  g_test_add_func ("/command/rate-limit", test_rate_limit);
  rc = g_test_run ();

  test_server_free (server);
  for (int i = 0; i < 5; i++)
    g_free (tokens[i]);
  return rc;
}
