/* Nothing lost, nothing twice: the client's outbox against the real server,
 * with the server killed and the client "crashing" in between. */
#include <glib/gstdio.h>

#include "saban-outbox.h"
#include "server-fixture.h"

static TestServer *server;
static char *token;

/* the outbox delivered to @server as @token's account, through a client of
 * that server as the application makes one */
static gboolean
flush_as (SabanOutbox *outbox, TestServer *server, const char *token, SabanOutboxReport *report, GError **error)
{
  g_autoptr(SabanApi) api = saban_api_new (server->base);

  saban_api_set_token (api, token);
  return saban_outbox_flush (outbox, api, NULL, report, error);
}

static guint
task_count (gint64 scenario)
{
  g_autoptr(JsonArray) tasks = test_scenario_tasks (server, token, scenario);

  return json_array_get_length (tasks);
}

static char *
task_body (gint64 scenario,
           int    n)
{
  return g_strdup_printf ("{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"scenarioId\":%" G_GINT64_FORMAT
                          ",\"title\":\"Sơ tán cụm dân cư %d\",\"kind\":\"evacuate\"}}", scenario, n);
}

static void
test_outbox (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  g_autofree char *file = g_build_filename (dir, "client", "outbox.db", NULL);
  g_autoptr(SabanOutbox) outbox = NULL;
  g_autoptr(GError) error = NULL;
  SabanOutboxReport report;
  gint64 scenario;

  server = test_server_start (db, (const char *const[]) { "--rate-limit=0", NULL });
  token = test_login (server, "dieuphoi");
  scenario = test_scenario_create (server, token, "Lũ quét Bát Xát (diễn tập)");

  outbox = saban_outbox_new (file, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 10; i++)
    {
      g_autofree char *body = task_body (scenario, i);
      g_autofree char *key = saban_outbox_enqueue (outbox, "POST", "/collections/tasks/items", body, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (key);
    }
  g_assert_cmpuint (saban_outbox_count (outbox, "pending"), ==, 10);
  g_assert_true (flush_as (outbox, server, token, &report, &error));
  g_assert_cmpuint (report.delivered, ==, 10);
  g_assert_false (report.offline);
  g_assert_cmpuint (task_count (scenario), ==, 10);

  /* The server dies; the operator keeps dispatching. */
  test_server_kill (server);
  for (int i = 10; i < 30; i++)
    {
      g_autofree char *body = task_body (scenario, i);
      g_autofree char *key = saban_outbox_enqueue (outbox, "POST", "/collections/tasks/items", body, NULL, &error);
      g_assert_no_error (error);
    }
  g_assert_true (flush_as (outbox, server, token, &report, &error));
  g_assert_true (report.offline);
  g_assert_cmpuint (report.delivered, ==, 0);

  /* The client dies too: what it queued is on disk. */
  g_clear_object (&outbox);
  outbox = saban_outbox_new (file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (saban_outbox_count (outbox, "pending"), ==, 20);

  /* Both come back: everything arrives, once. */
  test_server_free (server);
  server = test_server_start (db, (const char *const[]) { "--rate-limit=0", NULL });
  g_free (token);
  token = test_login (server, "dieuphoi");
  g_assert_true (flush_as (outbox, server, token, &report, &error));
  g_assert_cmpuint (report.delivered, ==, 20);
  g_assert_cmpuint (saban_outbox_count (outbox, "pending"), ==, 0);
  g_assert_cmpuint (task_count (scenario), ==, 30);

  /* A write that did arrive but whose answer was lost is sent again: the
   * server answers with the first result and applies it once. */
  {
    g_autofree char *body = task_body (scenario, 30);
    g_autofree char *key = saban_outbox_enqueue (outbox, "POST", "/collections/tasks/items", body, NULL, &error);
    g_autofree char *url = g_strconcat (server->base, "/collections/tasks/items", NULL);
    g_autoptr(Resp) first = test_http ("POST", url, token, "application/json", body,
                                       (const char *const[]) { "Idempotency-Key", key, NULL });

    g_assert_cmpuint (first->status, ==, 201);
    g_assert_true (flush_as (outbox, server, token, &report, &error));
    g_assert_cmpuint (report.delivered, ==, 1);
    g_assert_cmpuint (task_count (scenario), ==, 31);
  }

  /* Someone else changed the scenario: a write based on the old version is
   * kept as a conflict for the operator, not forced through. */
  {
    g_autofree char *path = g_strdup_printf ("/collections/scenarios/items/%" G_GINT64_FORMAT, scenario);
    g_autofree char *key = saban_outbox_enqueue (outbox, "PATCH", path,
                                                 "{\"properties\":{\"status\":\"suspended\"}}", "\"v1\"", &error);

    g_assert_true (flush_as (outbox, server, token, &report, &error));
    g_assert_cmpuint (report.conflicts, ==, 1);
    g_assert_cmpuint (saban_outbox_count (outbox, "conflict"), ==, 1);
    g_assert_cmpuint (saban_outbox_count (outbox, "pending"), ==, 0);
  }

  test_server_free (server);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/outbox/nothing-lost-nothing-twice", test_outbox);
  return g_test_run ();
}
