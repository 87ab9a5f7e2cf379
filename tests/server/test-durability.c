/* Durability against the real saban-server: 1 000 concurrent task writes,
 * `kill -9` in the middle, restart on the same database; every write that was
 * acknowledged is there and nothing is half-applied. Then an online backup
 * taken while serving starts a server of its own. */
#include "server-fixture.h"

#define N_POSTS     600
#define N_CHAINS    100
#define CHAIN_LEN   4   /* 600 POSTs + 100 × 4 PATCHes: 1 000 writes planned */
#define KILL_AFTER  400

static TestServer *server;
static char *token;
static SoupSession *async_session;
static GMainLoop *loop;
static guint issued, finished;
static gboolean killed;
static GArray *acked_posts;                 /* task ids */
static gint64 chain_task[N_CHAINS];
static gint64 chain_acked[N_CHAINS];        /* highest acknowledged version */

static void send_patch (int chain, gint64 version);

static void
one_finished (void)
{
  finished++;
  if (!killed && finished >= KILL_AFTER)
    {
      killed = TRUE;
      test_server_kill (server);  /* SIGKILL: no shutdown, no checkpoint */
    }
  if (finished == issued)
    g_main_loop_quit (loop);
}

static SoupMessage *
new_message (const char *method, const char *path, const char *body)
{
  g_autofree char *url = g_strconcat (server->base, path, NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));
  SoupMessage *msg = soup_message_new (method, url);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", b);
  return msg;
}

static void
post_done (GObject *source, GAsyncResult *result, gpointer data)
{
  SoupMessage *msg = data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  if (body != NULL && soup_message_get_status (msg) == 201)
    {
      g_autoptr(JsonParser) p = json_parser_new ();
      gint64 id;

      g_assert_true (json_parser_load_from_data (p, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL));
      id = json_object_get_int_member (json_node_get_object (json_parser_get_root (p)), "id");
      g_array_append_val (acked_posts, id);
    }
  else if (body != NULL && soup_message_get_status (msg) != 0)
    g_assert_cmpuint (soup_message_get_status (msg), <, 300);  /* only the kill may fail a write */
  g_object_unref (msg);
  one_finished ();
}

static void
patch_done (GObject *source, GAsyncResult *result, gpointer data)
{
  SoupMessage *msg = data;
  int chain = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (msg), "chain"));
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  if (body != NULL && soup_message_get_status (msg) == 200)
    {
      const char *etag = soup_message_headers_get_one (soup_message_get_response_headers (msg), "ETag");
      gint64 v = g_ascii_strtoll (etag + 2, NULL, 10);

      chain_acked[chain] = MAX (chain_acked[chain], v);
    }
  else if (body != NULL && soup_message_get_status (msg) != 0)
    /* a PATCH that lost the race for its version is refused, never applied */
    g_assert_true (soup_message_get_status (msg) < 300 || soup_message_get_status (msg) == 412);
  g_object_unref (msg);
  one_finished ();
}

static void
send_patch (int chain, gint64 version)
{
  g_autofree char *path = g_strdup_printf ("/collections/tasks/items/%" G_GINT64_FORMAT, chain_task[chain]);
  g_autofree char *body = g_strdup_printf ("{\"properties\":{\"progress\":%d}}", (int) version * 9);
  g_autofree char *etag = g_strdup_printf ("\"v%" G_GINT64_FORMAT "\"", version);
  SoupMessage *msg = new_message ("PATCH", path, body);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "If-Match", etag);
  g_object_set_data (G_OBJECT (msg), "chain", GINT_TO_POINTER (chain));
  issued++;
  soup_session_send_and_read_async (async_session, msg, G_PRIORITY_DEFAULT, NULL, patch_done, msg);
}

static Resp *
get (TestServer *s, const char *path)
{
  return test_request (s, "GET", path, token, NULL, NULL, NULL);
}

/* task id → version, and task id → number of log entries */
static void
read_state (TestServer *s, gint64 scenario, GHashTable *versions, GHashTable *log_counts)
{
  g_autofree char *tp = g_strdup_printf ("/collections/tasks/items?scenarioId=%" G_GINT64_FORMAT "&limit=10000",
                                         scenario);
  g_autofree char *lp = g_strdup_printf ("/collections/scenario-log/items?scenarioId=%" G_GINT64_FORMAT "&limit=10000",
                                         scenario);
  g_autoptr(Resp) tasks = get (s, tp);
  g_autoptr(Resp) log = get (s, lp);
  JsonArray *f;

  g_assert_cmpuint (tasks->status, ==, 200);
  g_assert_cmpuint (log->status, ==, 200);
  f = json_object_get_array_member (resp_object (tasks), "features");
  for (guint i = 0; i < json_array_get_length (f); i++)
    {
      JsonObject *o = json_array_get_object_element (f, i);
      g_hash_table_insert (versions, GINT_TO_POINTER (json_object_get_int_member (o, "id")),
                           GINT_TO_POINTER (json_object_get_int_member (json_object_get_object_member (o, "properties"),
                                                                        "version")));
    }
  f = json_object_get_array_member (resp_object (log), "features");
  for (guint i = 0; i < json_array_get_length (f); i++)
    {
      JsonObject *p = json_object_get_object_member (json_array_get_object_element (f, i), "properties");
      gpointer task;

      if (json_object_get_null_member (p, "taskId"))
        continue;
      task = GINT_TO_POINTER (json_object_get_int_member (p, "taskId"));
      g_hash_table_insert (log_counts, task, GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (log_counts, task)) + 1));
    }
}

static gint64
task_create_sync (gint64 scenario, int n)
{
  g_autofree char *url = g_strconcat (server->base, "/collections/tasks/items", NULL);
  g_autofree char *body = g_strdup_printf ("{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"scenarioId\":%"
                                           G_GINT64_FORMAT ",\"title\":\"Chốt chặn %d\",\"kind\":\"patrol\"}}",
                                           scenario, n);
  g_autoptr(Resp) r = test_http ("POST", url, token, "application/json", body, NULL);

  g_assert_cmpuint (r->status, ==, 201);
  return json_object_get_int_member (resp_object (r), "id");
}

static void
task_create_sync_on (TestServer *s, gint64 scenario)
{
  TestServer *saved = server;

  server = s;
  task_create_sync (scenario, 9999);
  server = saved;
}

static void
test_kill_during_writes (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "durable.db", NULL);
  g_autoptr(GHashTable) versions = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) logs = g_hash_table_new (NULL, NULL);
  gint64 scenario;
  TestServer *again;

  server = test_server_start (db, (const char *const[]) { "--rate-limit=0", NULL });
  token = test_login (server, "dieuphoi");
  scenario = test_scenario_create (server, token, "Ngập lụt TP Lào Cai");
  for (int c = 0; c < N_CHAINS; c++)
    {
      chain_task[c] = task_create_sync (scenario, c);
      chain_acked[c] = 1;
    }

  acked_posts = g_array_new (FALSE, FALSE, sizeof (gint64));
  async_session = soup_session_new_with_options ("max-conns", 8, "max-conns-per-host", 8, "timeout", 30, NULL);
  loop = g_main_loop_new (NULL, FALSE);
  for (int i = 0; i < N_POSTS; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":"
                                               "[103.9,22.4]},\"properties\":{\"scenarioId\":%" G_GINT64_FORMAT
                                               ",\"title\":\"Nhiệm vụ %d\",\"kind\":\"inspect\"}}", scenario, i);
      SoupMessage *msg = new_message ("POST", "/collections/tasks/items", body);

      issued++;
      soup_session_send_and_read_async (async_session, msg, G_PRIORITY_DEFAULT, NULL, post_done, msg);
      /* every write is in flight at once: a task's 4 PATCHes (If-Match v1…v4)
       * race each other over 8 connections, as a reconnecting client's would */
      if (i % 6 == 0 && i / 6 < N_CHAINS)
        for (int k = 1; k <= CHAIN_LEN; k++)
          send_patch (i / 6, k);
    }
  g_main_loop_run (loop);
  g_assert_true (killed);
  g_assert_cmpuint (issued, ==, N_POSTS + N_CHAINS * CHAIN_LEN);
  {
    int patched = 0;
    for (int c = 0; c < N_CHAINS; c++)
      patched += chain_acked[c] - 1;
    g_test_message ("%u writes issued; acknowledged before the kill: %u POSTs, %d PATCHes", issued,
                    acked_posts->len, patched);
  }
  g_assert_cmpuint (acked_posts->len, >, 0);

  /* restart on the same database */
  again = test_server_start (db, (const char *const[]) { "--rate-limit=0", NULL });
  read_state (again, scenario, versions, logs);
  for (guint i = 0; i < acked_posts->len; i++)
    g_assert_true (g_hash_table_contains (versions, GINT_TO_POINTER (g_array_index (acked_posts, gint64, i))));
  for (int c = 0; c < N_CHAINS; c++)
    g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (versions, GINT_TO_POINTER (chain_task[c]))), >=,
                     chain_acked[c]);
  {
    /* nothing half-applied: each task's version is the number of its log entries */
    GHashTableIter iter;
    gpointer id, version;

    g_hash_table_iter_init (&iter, versions);
    while (g_hash_table_iter_next (&iter, &id, &version))
      g_assert_cmpint (GPOINTER_TO_INT (version), ==, GPOINTER_TO_INT (g_hash_table_lookup (logs, id)));
  }

  /* an online backup while serving, started as a server of its own */
  {
    g_autofree char *out = g_build_filename (dir, "backup.db", NULL);
    g_autofree char *restored_db = g_build_filename (dir, "restored.db", NULL);
    const char *argv[] = { test_program ("SABAN_SERVER", "saban-server"), "backup", "--db", server->location, out,
                           NULL };
    g_autoptr(GError) error = NULL;
    g_autoptr(GSubprocess) p = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
    g_autoptr(GHashTable) v2 = g_hash_table_new (NULL, NULL);
    g_autoptr(GHashTable) l2 = g_hash_table_new (NULL, NULL);
    TestServer *restored;
    g_autofree char *old_token = token;

    g_assert_no_error (error);
    /* the live server keeps writing while the backup runs */
    task_create_sync_on (again, scenario);
    g_assert_true (g_subprocess_wait_check (p, NULL, &error));
    g_assert_no_error (error);
    test_db_restore (out, restored_db);
    restored = test_server_start (restored_db, (const char *const[]) { "--rate-limit=0", NULL });
    token = test_login (restored, "dieuphoi");  /* tokens survive too, but log in as a new client would */
    read_state (restored, scenario, v2, l2);
    g_assert_cmpuint (g_hash_table_size (v2), >=, g_hash_table_size (versions));
    test_server_free (restored);
  }
  test_server_free (again);
  g_free (server->base);
  g_free (server->db);
  g_free (server->location);
  g_free (server);
  g_array_unref (acked_posts);
  g_main_loop_unref (loop);
  g_object_unref (async_session);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/durability/kill-9-during-writes", test_kill_during_writes);
  return g_test_run ();
}
