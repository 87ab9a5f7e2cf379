/* Over a thousand lines: one test program per area, as the others.
 *
 * The Command API client (core: SabanCommandClient, SabanCommandStore,
 * SabanOutbox, SabanCommandReplay) against the real saban-server and a real
 * mosquitto: a scenario run end to end, two clients seeing each other over
 * MQTT, catching up after the broker was away, nothing lost when the server
 * or the client is killed, conflicts, replay, and hostile input. */
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <mosquitto.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "saban-command-cache.h"
#include "saban-command-client.h"
#include "saban-command-replay.h"
#include "saban-error.h"
#include "server-fixture.h"

static TestServer *server;
static char *server_db;
static GSubprocess *broker;
static guint broker_port;
static char *broker_addr;
static char *mqtt_arg;
static char *token;
static guint rejected, not_fetched;

/* the client's messages: what it refused, and the items it could not fetch */
static void
count_messages (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  if (strstr (message, "rejected") != NULL)
    rejected++;
  if (strstr (message, " not fetched: ") != NULL)
    not_fetched++;
  g_log_default_handler (domain, level, message, data);
}

static void
restart_server (void)
{
  test_server_free (server);
  server = test_server_start (server_db, (const char *const[]) { "--rate-limit=0", mqtt_arg, NULL });
  g_free (token);
  token = test_login (server, "dieuphoi");
}

typedef struct
{
  SabanConnection    *connection;
  SabanLiveChannel   *channel;
  SabanCommandClient *client;
  SabanCommandStore  *store;
} Client;

/* the client's own live channel, as the session makes it; polling only
 * when the test asks (catching up must come from MQTT's reconnection) */
static SabanLiveChannel *
command_channel (const char *broker_address)
{
  SabanLiveChannel *channel = saban_live_channel_new (broker_address, (const char *const[]) { "ioc/v1/#", NULL });

  saban_live_channel_set_login (channel, TEST_MQTT_CLIENT_USER, TEST_MQTT_CLIENT_PASSWORD, NULL);
  saban_live_channel_set_poll_interval (channel, 3600);
  return channel;
}

static Client *
client_new (const char *user, const char *broker_address, const char *outbox)
{
  Client *c = g_new0 (Client, 1);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (outbox == NULL)
    {
      dir = test_tmpdir ();
      path = g_build_filename (dir, "outbox.db", NULL);
      outbox = path;
    }
  {
    g_autoptr(SabanApi) api = saban_api_new (server->base);

    c->connection = saban_connection_new (api, 3600);
  }
  saban_connection_set_account (c->connection, user, "saban-demo");
  saban_connection_check_now (c->connection);
  c->channel = command_channel (broker_address);
  c->client = saban_command_client_new (c->connection, c->channel, outbox, &error);
  g_assert_no_error (error);
  c->store = saban_command_client_get_store (c->client);
  saban_command_client_start (c->client);
  saban_live_channel_start (c->channel);
  TEST_WAIT_UNTIL (saban_command_client_get_loaded (c->client), 20);
  if (broker_address != NULL)
    TEST_WAIT_UNTIL (saban_command_client_get_state (c->client) == SABAN_FEED_STATE_LIVE, 20);
  return c;
}

static void
client_free (Client *c)
{
  g_clear_object (&c->client);
  g_clear_object (&c->channel);
  g_clear_object (&c->connection);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

static Resp *
get_item (const char *collection, gint64 id)
{
  g_autofree char *path = g_strdup_printf ("/collections/%s/items/%" G_GINT64_FORMAT, collection, id);

  return test_request (server, "GET", path, token, NULL, NULL, NULL);
}


/* the model holds what the server holds: version and properties */
static void
assert_matches_server (SabanCommandStore *store, SabanCommandCollection collection, gint64 id)
{
  g_autoptr(Resp) r = get_item (saban_command_collection_to_string (collection), id);
  SabanCommandItem *item = saban_command_store_lookup (store, collection, id);
  g_autoptr(JsonNode) mine = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *theirs_text = NULL, *mine_text = NULL;

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_nonnull (item);
  g_assert_false (saban_command_item_get_pending (item));
  g_assert_cmpint (saban_command_item_get_version (item), ==, json_object_get_int_member (resp_props (r), "version"));
  json_node_set_object (mine, saban_command_item_get_properties (item));
  g_assert_true (json_node_equal (mine, json_object_get_member (resp_object (r), "properties")));
}

static gboolean
task_done (SabanCommandItem *task)
{
  return g_strcmp0 (saban_command_item_get_status (task), "completed") == 0 && !saban_command_item_get_pending (task);
}

static gint64 e2e_scenario;

static void
test_end_to_end (void)
{
  g_autoptr(Client) a = client_new ("dieuphoi", broker_addr, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListModel) active = NULL, done = NULL;
  SabanCommandItem *playbook, *scenario, *sitrep;
  JsonArray *checklist;
  gint64 t0;

  playbook = saban_command_store_find_playbook (a->store, "lu-quet-sat-lo");
  g_assert_nonnull (playbook);
  checklist = json_object_get_array_member (saban_command_item_get_properties (playbook), "tasks");
  g_assert_cmpuint (json_array_get_length (checklist), ==, 5);

  /* launch from the playbook over an area of Bát Xát */
  g_assert_true (json_parser_load_from_data (parser, "{\"type\":\"Polygon\",\"coordinates\":[[[103.70,22.50],"
                                             "[103.95,22.50],[103.95,22.70],[103.70,22.70],[103.70,22.50]]]}", -1,
                                             NULL));
  t0 = g_get_monotonic_time ();
  scenario = saban_command_client_create_scenario (a->client, playbook, "Lũ quét Bát Xát (diễn tập)",
                                                   json_parser_get_root (parser), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (saban_command_item_get_id (scenario), <, 0);
  g_assert_true (saban_command_item_get_pending (scenario));
  g_assert_cmpstr (saban_command_item_get_string (scenario, "playbook"), ==, "lu-quet-sat-lo");
  g_assert_cmpuint (saban_command_client_get_pending (a->client), ==, 1);

  /* activate and dispatch the checklist before the server has even answered */
  g_assert_true (saban_command_client_set_status (a->client, scenario, "active", &error));
  for (guint i = 0; i < json_array_get_length (checklist); i++)
    {
      SabanCommandItem *task = saban_command_client_create_checklist_task (a->client, scenario, playbook, i, &error);

      g_assert_no_error (error);
      g_assert_cmpint (saban_command_item_get_scenario_id (task), ==, saban_command_item_get_id (scenario));
      g_ptr_array_add (tasks, g_object_ref (task));
    }
  active = saban_command_store_list (a->store, SABAN_COMMAND_TASKS, saban_command_item_get_id (scenario),
                                     (const char *[]) { "pending", NULL });
  g_assert_cmpuint (g_list_model_get_n_items (active), ==, 5);
  TEST_WAIT_UNTIL (saban_command_client_get_pending (a->client) == 0, 20);
  g_test_message ("launch, activate, 5 dispatches: %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  e2e_scenario = saban_command_item_get_id (scenario);
  g_assert_cmpint (e2e_scenario, >, 0);
  g_assert_cmpstr (saban_command_item_get_status (scenario), ==, "active");
  /* the board's list followed the scenario's new id */
  g_assert_cmpuint (g_list_model_get_n_items (active), ==, 5);

  /* each unit: assigned, accepted, started, half-way, completed */
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < tasks->len; i++)
    {
      SabanCommandItem *task = g_ptr_array_index (tasks, i);
      g_autofree char *unit = g_strdup_printf ("DV-%02u", i + 1);

      g_assert_cmpint (saban_command_item_get_id (task), >, 0);
      g_assert_cmpstr (saban_command_item_get_scenario_id (task) == e2e_scenario ? "ok" : "bad", ==, "ok");
      g_assert_true (saban_command_client_assign_task (a->client, task, "unit", unit, "Tổ công tác", &error));
      g_assert_true (saban_command_client_set_status (a->client, task, "accepted", &error));
      g_assert_true (saban_command_client_set_status (a->client, task, "in_progress", &error));
      g_assert_true (saban_command_client_set_progress (a->client, task, 50, &error));
      g_assert_true (saban_command_item_is_field_pending (task, "progress"));
      g_assert_cmpint (saban_command_item_get_int (task, "progress", -1), ==, 50);
      g_assert_true (saban_command_client_set_status (a->client, task, "completed", &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (saban_command_client_get_pending (a->client), ==, 25);
  TEST_WAIT_UNTIL (saban_command_client_get_pending (a->client) == 0, 30);
  g_test_message ("25 task changes delivered in %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  for (guint i = 0; i < tasks->len; i++)
    g_assert_true (task_done (g_ptr_array_index (tasks, i)));
  done = saban_command_store_list (a->store, SABAN_COMMAND_TASKS, e2e_scenario,
                                   (const char *[]) { "completed", NULL });
  g_assert_cmpuint (g_list_model_get_n_items (done), ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (active), ==, 0);

  sitrep = saban_command_client_create_sitrep (a->client, scenario, "Đã sơ tán 120 hộ, thông tuyến ĐT.158",
                                               "final", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (saban_command_client_set_status (a->client, scenario, "closed", &error));
  TEST_WAIT_UNTIL (saban_command_client_get_pending (a->client) == 0, 20);
  g_assert_cmpint (saban_command_item_get_id (sitrep), >, 0);
  g_assert_cmpint (saban_command_item_get_int (sitrep, "reportNumber", 0), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (saban_command_client_get_conflicts (a->client)), ==, 0);

  /* the model matches the server, MQTT echoes included */
  TEST_WAIT_UNTIL (g_strcmp0 (saban_command_item_get_status (scenario), "closed") == 0, 5);
  assert_matches_server (a->store, SABAN_COMMAND_SCENARIOS, e2e_scenario);
  for (guint i = 0; i < tasks->len; i++)
    assert_matches_server (a->store, SABAN_COMMAND_TASKS, saban_command_item_get_id (g_ptr_array_index (tasks, i)));
  {
    g_autoptr(JsonArray) on_server = test_scenario_tasks (server, token, e2e_scenario);
    g_assert_cmpuint (json_array_get_length (on_server), ==, 5);
  }
}

static void
test_replay (void)
{
  g_autoptr(Client) a = NULL;
  g_autoptr(GListModel) log = NULL;
  g_autoptr(SabanCommandReplay) replay = NULL;
  g_autoptr(GDateTime) start = NULL, end = NULL, before = NULL, middle = NULL;
  g_autoptr(GArray) task_ids = NULL;
  g_autofree char *url = NULL;
  g_autoptr(Resp) r = NULL;
  guint n_log;

  if (e2e_scenario == 0)
    {
      g_test_skip ("needs the end-to-end scenario");
      return;
    }
  /* a fresh client: the log as loaded over HTTP */
  a = client_new ("lanhdao", NULL, NULL);
  url = g_strdup_printf ("%s/collections/scenario-log/items?scenarioId=%" G_GINT64_FORMAT "&limit=1000", server->base,
                         e2e_scenario);
  r = test_http ("GET", url, token, NULL, NULL, NULL);
  n_log = json_array_get_length (json_object_get_array_member (resp_object (r), "features"));
  /* created, activated; 5 × (created, assigned, accepted, started, progress, completed); the sitrep; closed */
  g_assert_cmpuint (n_log, ==, 2 + 5 * 6 + 1 + 1);
  log = saban_command_store_list_log (a->store, e2e_scenario);
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, n_log);

  replay = saban_command_replay_new (log);
  g_assert_true (saban_command_replay_get_range (replay, &start, &end));
  g_assert_cmpint (g_date_time_compare (start, end), <, 0);
  before = g_date_time_add_seconds (start, -1);
  g_assert_null (saban_command_replay_scenario_status_at (replay, before));
  g_assert_cmpstr (saban_command_replay_scenario_status_at (replay, start), ==, "draft");
  g_assert_cmpstr (saban_command_replay_scenario_status_at (replay, end), ==, "closed");
  g_assert_cmpuint (saban_command_replay_get_n_entries_at (replay, end), ==, n_log);
  g_assert_cmpuint (saban_command_replay_get_n_entries_at (replay, before), ==, 0);
  task_ids = saban_command_replay_get_task_ids (replay);
  g_assert_cmpuint (task_ids->len, ==, 5);
  g_assert_cmpuint (saban_command_replay_count_at (replay, end, "completed"), ==, 5);
  g_assert_null (saban_command_replay_task_status_at (replay, g_array_index (task_ids, gint64, 0), start));

  /* every task's status at each of its own log times */
  for (guint i = 0; i < g_list_model_get_n_items (log); i++)
    {
      g_autoptr(SabanCommandItem) e = g_list_model_get_item (log, i);
      gint64 task = saban_command_item_get_int (e, "taskId", 0);
      g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (saban_command_item_get_string (e, "at"), NULL);

      if (task > 0 && i + 1 < g_list_model_get_n_items (log))
        {
          g_autoptr(SabanCommandItem) next = g_list_model_get_item (log, i + 1);

          /* entries sharing a millisecond: the last one of that time wins */
          if (g_strcmp0 (saban_command_item_get_string (next, "at"), saban_command_item_get_string (e, "at")) == 0)
            continue;
          g_assert_cmpstr (saban_command_replay_task_status_at (replay, task, at), ==,
                           saban_command_item_get_string (e, "to"));
        }
    }
  /* half-way through, the scenario was active and not every task was done */
  middle = g_date_time_add (start, g_date_time_difference (end, start) / 2);
  g_assert_cmpstr (saban_command_replay_scenario_status_at (replay, middle), ==, "active");
  {
    g_autoptr(GHashTable) tasks = saban_command_replay_tasks_at (replay, middle);
    g_assert_cmpuint (g_hash_table_size (tasks), ==, 5);
  }
}

static gboolean
has_title (SabanCommandStore *store, const char *title)
{
  g_autoptr(GListModel) all = saban_command_store_list (store, SABAN_COMMAND_TASKS, 0, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(SabanCommandItem) t = g_list_model_get_item (all, i);

      if (g_strcmp0 (saban_command_item_get_title (t), title) == 0 && saban_command_item_get_id (t) > 0)
        return TRUE;
    }
  return FALSE;
}

static SabanCommandItem *
scenario_in (Client *c, const char *title)
{
  gint64 id = test_scenario_create (server, token, title);

  TEST_WAIT_UNTIL (saban_command_store_lookup (c->store, SABAN_COMMAND_SCENARIOS, id) != NULL &&
                   g_strcmp0 (saban_command_item_get_status (saban_command_store_lookup (c->store,
                                                                                         SABAN_COMMAND_SCENARIOS, id)),
                              "active") == 0, 5);
  return saban_command_store_lookup (c->store, SABAN_COMMAND_SCENARIOS, id);
}

static void
test_two_clients (void)
{
  g_autoptr(Client) a = client_new ("dieuphoi", broker_addr, NULL);
  g_autoptr(Client) b = client_new ("trucban", broker_addr, NULL);
  g_autoptr(GError) error = NULL;
  SabanCommandItem *scenario = scenario_in (a, "Cháy rừng Văn Bàn (diễn tập)");
  SabanTaskSpec spec = { .title = "Xác minh điểm cháy tiểu khu 312", .kind = "inspect", .priority = 7,
                         .lon = 104.05, .lat = 22.05 };
  SabanCommandItem *task, *seen;
  gint64 t0, dt;

  /* a dispatch by the coordinator reaches the operator's board */
  t0 = g_get_monotonic_time ();
  task = saban_command_client_create_task (a->client, scenario, &spec, &error);
  g_assert_no_error (error);
  TEST_WAIT_UNTIL (has_title (b->store, spec.title), 5);
  dt = g_get_monotonic_time () - t0;
  g_test_message ("A's dispatch seen by B in %.0f ms", dt / 1000.0);
  g_assert_cmpint (dt, <, G_USEC_PER_SEC);

  /* the operator assigns it; the coordinator sees it */
  TEST_WAIT_UNTIL (saban_command_item_get_id (task) > 0, 5);
  seen = saban_command_store_lookup (b->store, SABAN_COMMAND_TASKS, saban_command_item_get_id (task));
  t0 = g_get_monotonic_time ();
  g_assert_true (saban_command_client_assign_task (b->client, seen, "unit", "KL-VB", "Hạt Kiểm lâm Văn Bàn", &error));
  TEST_WAIT_UNTIL (g_strcmp0 (saban_command_item_get_status (task), "assigned") == 0, 5);
  dt = g_get_monotonic_time () - t0;
  g_test_message ("B's assignment seen by A in %.0f ms", dt / 1000.0);
  g_assert_cmpint (dt, <, G_USEC_PER_SEC);
  g_assert_false (saban_command_item_get_pending (task));
}

static void
test_catch_up (void)
{
  g_autoptr(Client) a = client_new ("dieuphoi", broker_addr, NULL);
  g_autoptr(Client) b = client_new ("trucban", broker_addr, NULL);
  g_autoptr(GError) error = NULL;
  SabanCommandItem *scenario = scenario_in (a, "Ngập lụt TP Lào Cai (diễn tập)");
  SabanTaskSpec spec = { .title = "Sơ tán hộ dân phường Cốc Lếu", .kind = "evacuate", .priority = 9,
                         .lon = NAN, .lat = NAN };
  SabanCommandItem *task, *seen;
  guint log_before;

  task = saban_command_client_create_task (a->client, scenario, &spec, &error);
  TEST_WAIT_UNTIL (saban_command_item_get_id (task) > 0, 5);
  TEST_WAIT_UNTIL ((seen = saban_command_store_lookup (b->store, SABAN_COMMAND_TASKS, saban_command_item_get_id (task))),
                   5);

  /* the broker dies; the operator keeps working over HTTP */
  test_mosquitto_kill (&broker);
  /* polling once, at the loss (what came before it); not again in this test */
  TEST_WAIT_UNTIL (saban_command_client_get_state (a->client) == SABAN_FEED_STATE_POLLING, 10);
  log_before = saban_command_store_get_n_items (a->store, SABAN_COMMAND_LOG);
  g_assert_true (saban_command_client_assign_task (b->client, seen, "unit", "CA-LC", "Công an phường", &error));
  g_assert_true (saban_command_client_set_status (b->client, seen, "accepted", &error));
  TEST_WAIT_UNTIL (saban_command_client_get_pending (b->client) == 0, 10);
  g_assert_cmpstr (saban_command_item_get_status (task), ==, "pending");

  /* the broker is back: A catches up with updatedSince */
  broker = test_mosquitto_start_on (broker_port);
  TEST_WAIT_UNTIL (saban_command_client_get_state (a->client) == SABAN_FEED_STATE_LIVE, 30);
  TEST_WAIT_UNTIL (g_strcmp0 (saban_command_item_get_status (task), "accepted") == 0, 10);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     saban_command_item_get_properties (task), "assignee"), "id"), ==, "CA-LC");
  TEST_WAIT_UNTIL (saban_command_store_get_n_items (a->store, SABAN_COMMAND_LOG) == log_before + 2, 5);
  assert_matches_server (a->store, SABAN_COMMAND_TASKS, saban_command_item_get_id (task));
  TEST_WAIT_UNTIL (saban_command_client_get_state (b->client) == SABAN_FEED_STATE_LIVE, 30);
}

static void
assert_exactly_once (gint64 scenario, guint n)
{
  g_autoptr(JsonArray) tasks = test_scenario_tasks (server, token, scenario);
  g_autoptr(GHashTable) titles = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (json_array_get_length (tasks), ==, n);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *p = json_object_get_object_member (json_array_get_object_element (tasks, i), "properties");
      g_assert_true (g_hash_table_add (titles, (gpointer) json_object_get_string_member (p, "title")));
    }
}

static void
test_server_killed (void)
{
  g_autoptr(Client) a = client_new ("dieuphoi", broker_addr, NULL);
  g_autoptr(GError) error = NULL;
  SabanCommandItem *scenario = scenario_in (a, "Sạt lở Mường Khương (diễn tập)");
  gint64 scenario_id = saban_command_item_get_id (scenario);

  for (int i = 0; i < 100; i++)
    {
      g_autofree char *title = g_strdup_printf ("Điều động tổ cứu hộ %03d", i);
      SabanTaskSpec spec = { .title = title, .kind = "rescue", .priority = -1, .lon = NAN, .lat = NAN };

      g_assert_nonnull (saban_command_client_create_task (a->client, scenario, &spec, &error));
      /* let some go out before the crash */
      for (int k = 0; k < 3; k++)
        g_main_context_iteration (NULL, FALSE);
      if (i == 40)
        {
          g_test_message ("server killed with %u writes pending", saban_command_client_get_pending (a->client));
          test_server_kill (server);
        }
    }
  g_assert_cmpuint (saban_command_client_get_pending (a->client), >, 0);
  restart_server ();
  saban_connection_set_server_url (a->connection, server->base);
  TEST_WAIT_UNTIL (saban_command_client_get_pending (a->client) == 0, 60);
  assert_exactly_once (scenario_id, 100);
}

static void
test_client_killed (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *outbox = g_build_filename (dir, "outbox.db", NULL);
  g_autofree char *dead = g_strdup_printf ("http://127.0.0.1:%u", test_free_port ());
  gint64 scenario = test_scenario_create (server, token, "Bão số 3 (diễn tập)");
  g_autofree char *scenario_arg = g_strdup_printf ("%" G_GINT64_FORMAT, scenario);
  g_autoptr(GSubprocess) writer = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autoptr(Client) b = NULL;
  g_autoptr(JsonArray) tasks = NULL;
  const guint n = 50;
  g_autofree char *n_arg = g_strdup_printf ("%u", n);

  writer = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, test_program ("SABAN_OUTBOX_WRITER", "outbox-writer"),
                             outbox, dead, scenario_arg, n_arg, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (writer));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "stored 52");
  g_subprocess_force_exit (writer);  /* SIGKILL, outbox not empty */
  g_subprocess_wait (writer, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (writer));

  /* a new client on the same outbox, the server up: everything, once */
  b = client_new ("dieuphoi", broker_addr, outbox);
  TEST_WAIT_UNTIL (saban_command_client_get_pending (b->client) == 0, 60);
  assert_exactly_once (scenario, n + 1);
  tasks = test_scenario_tasks (server, token, scenario);
  for (guint i = 0; i < json_array_get_length (tasks); i++)
    {
      JsonObject *p = json_object_get_object_member (json_array_get_object_element (tasks, i), "properties");

      /* the task assigned before the server had ever seen it */
      if (g_str_equal (json_object_get_string_member (p, "title"), "Sơ tán bản Sàng Ma Sáo"))
        {
          g_assert_cmpstr (json_object_get_string_member (p, "status"), ==, "assigned");
          g_assert_cmpint (json_object_get_int_member (p, "version"), ==, 2);
        }
    }
}

static void
test_conflict (void)
{
  g_autoptr(Client) a = client_new ("dieuphoi", broker_addr, NULL);
  /* B hears nothing: whatever it changes is based on what it loaded */
  g_autoptr(Client) b = client_new ("trucban", NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) mine = json_object_new ();
  g_autoptr(JsonObject) theirs = json_object_new ();
  SabanCommandItem *scenario = scenario_in (a, "Dịch bệnh Bắc Hà (diễn tập)");
  SabanTaskSpec spec = { .title = "Khoanh vùng ổ dịch thôn Na Hối", .kind = "inspect", .priority = 5,
                         .lon = NAN, .lat = NAN };
  SabanCommandItem *task, *at_b;
  SabanCommandConflict *conflict;
  GListModel *conflicts = saban_command_client_get_conflicts (b->client);
  gint64 id, v;

  task = saban_command_client_create_task (a->client, scenario, &spec, &error);
  TEST_WAIT_UNTIL (saban_command_item_get_id (task) > 0, 5);
  id = saban_command_item_get_id (task);
  /* B loads it once (a fresh load: B has no broker) */
  saban_live_channel_set_poll_interval (b->channel, 1);
  TEST_WAIT_UNTIL ((at_b = saban_command_store_lookup (b->store, SABAN_COMMAND_TASKS, id)) != NULL, 5);
  saban_live_channel_set_poll_interval (b->channel, 3600);
  v = saban_command_item_get_version (at_b);

  /* A changes the instructions; B, not knowing, changes them too */
  json_object_set_string_member (theirs, "instructions", "Phun khử khuẩn toàn thôn");
  g_assert_true (saban_command_client_update (a->client, task, theirs, NULL, &error));
  TEST_WAIT_UNTIL (saban_command_client_get_pending (a->client) == 0, 5);
  json_object_set_string_member (mine, "instructions", "Lấy mẫu xét nghiệm 40 hộ");
  g_assert_true (saban_command_client_update (b->client, at_b, mine, NULL, &error));
  TEST_WAIT_UNTIL (g_list_model_get_n_items (conflicts) == 1, 5);
  conflict = g_list_model_get_item (conflicts, 0);
  g_object_unref (conflict);
  g_assert_true (saban_command_item_get_conflict (at_b));
  g_assert_cmpint (saban_command_conflict_get_id (conflict), ==, id);
  g_assert_cmpint (saban_command_conflict_get_mine_version (conflict), ==, v);
  g_assert_cmpint (saban_command_conflict_get_theirs_version (conflict), ==, v + 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (
                     saban_command_conflict_get_mine (conflict)), "properties"), "instructions"), ==,
                   "Lấy mẫu xét nghiệm 40 hộ");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (
                     saban_command_conflict_get_theirs (conflict)), "properties"), "instructions"), ==,
                   "Phun khử khuẩn toàn thôn");
  {
    /* not overwritten */
    g_autoptr(Resp) r = get_item ("tasks", id);
    g_assert_cmpstr (json_object_get_string_member (resp_props (r), "instructions"), ==, "Phun khử khuẩn toàn thôn");
  }

  /* take theirs: B's change is dropped, B shows A's */
  saban_command_client_take_theirs (b->client, conflict);
  g_assert_cmpuint (g_list_model_get_n_items (conflicts), ==, 0);
  g_assert_false (saban_command_item_get_conflict (at_b));
  g_assert_false (saban_command_item_get_pending (at_b));
  g_assert_cmpstr (saban_command_item_get_string (at_b, "instructions"), ==, "Phun khử khuẩn toàn thôn");
  g_assert_cmpint (saban_command_item_get_version (at_b), ==, v + 1);

  /* again, and this time keep mine */
  json_object_set_string_member (theirs, "instructions", "Cách ly 3 hộ có ca bệnh");
  g_assert_true (saban_command_client_update (a->client, task, theirs, NULL, &error));
  TEST_WAIT_UNTIL (saban_command_client_get_pending (a->client) == 0, 5);
  g_assert_true (saban_command_client_update (b->client, at_b, mine, NULL, &error));
  TEST_WAIT_UNTIL (g_list_model_get_n_items (conflicts) == 1, 5);
  conflict = g_list_model_get_item (conflicts, 0);
  g_object_unref (conflict);
  g_assert_cmpint (saban_command_conflict_get_theirs_version (conflict), ==, v + 2);
  saban_command_client_keep_mine (b->client, conflict);
  TEST_WAIT_UNTIL (saban_command_client_get_pending (b->client) == 0, 5);
  g_assert_cmpuint (g_list_model_get_n_items (conflicts), ==, 0);
  {
    g_autoptr(Resp) r = get_item ("tasks", id);
    g_assert_cmpstr (json_object_get_string_member (resp_props (r), "instructions"), ==, "Lấy mẫu xét nghiệm 40 hộ");
    g_assert_cmpint (json_object_get_int_member (resp_props (r), "version"), ==, v + 3);
  }
  TEST_WAIT_UNTIL (g_strcmp0 (saban_command_item_get_string (task, "instructions"), "Lấy mẫu xét nghiệm 40 hộ") == 0, 5);
}

/* The broker is not open (issue 11): a task change forged anonymously or
 * under the workstations' read-only account reaches neither this client's
 * store nor the server. Under the server's own account (the ACL bypassed,
 * say), a whole Feature is no notice and is refused, and a notice naming a
 * newer version only makes the client read the server's truth. */
static void
test_broker_forgery (void)
{
  g_autoptr(Client) a = client_new ("dieuphoi", broker_addr, NULL);
  g_autoptr(GError) error = NULL;
  SabanCommandItem *scenario = scenario_in (a, "Phòng cháy rừng Bát Xát");
  SabanTaskSpec spec = { .title = "Tuần tra bìa rừng", .kind = "patrol", .priority = 3, .lon = NAN, .lat = NAN };
  SabanCommandItem *task = saban_command_client_create_task (a->client, scenario, &spec, &error);
  g_autofree char *topic = NULL, *forged = NULL, *notice = NULL;
  g_autoptr(Resp) item = NULL;
  g_autoptr(Resp) after = NULL;
  JsonObject *props;
  gint64 id, version;

  TEST_WAIT_UNTIL (saban_command_item_get_id (task) > 0 && !saban_command_item_get_pending (task), 5);
  id = saban_command_item_get_id (task);
  version = saban_command_item_get_version (task);
  topic = g_strdup_printf ("ioc/v1/collections/tasks/items/%" G_GINT64_FORMAT, id);
  item = get_item ("tasks", id);
  props = resp_props (item);
  json_object_set_string_member (props, "title", "Lệnh giả mạo");
  json_object_set_int_member (props, "version", version + 5);
  forged = json_to_string (item->json, FALSE);
  notice = g_strdup_printf ("{\"collection\":\"tasks\",\"id\":%" G_GINT64_FORMAT ",\"version\":\"v%" G_GINT64_FORMAT
                            "\",\"updated\":\"2030-01-01T00:00:00Z\",\"changed\":[\"title\"]}", id, version + 5);

  g_assert_cmpint (test_mqtt_publish_as (broker_port, NULL, NULL, topic, forged, -1), ==, 5);
  g_assert_cmpint (test_mqtt_publish_as (broker_port, TEST_MQTT_CLIENT_USER, TEST_MQTT_CLIENT_PASSWORD, topic, forged,
                                         -1), ==, 0);
  g_assert_cmpint (test_mqtt_publish_as (broker_port, TEST_MQTT_CLIENT_USER, TEST_MQTT_CLIENT_PASSWORD, topic, notice,
                                         -1), ==, 0);
  test_spin_ms (1500);
  g_assert_cmpstr (saban_command_item_get_string (task, "title"), ==, "Tuần tra bìa rừng");
  after = get_item ("tasks", id);
  g_assert_cmpstr (json_object_get_string_member (resp_props (after), "title"), ==, "Tuần tra bìa rừng");

  /* under the server's account */
  rejected = 0;
  g_log_set_handler ("saban-command", G_LOG_LEVEL_MESSAGE, count_messages, NULL);
  test_mqtt_publish (broker_port, topic, forged, -1);
  TEST_WAIT_UNTIL (rejected == 1, 5);
  g_log_set_handler ("saban-command", G_LOG_LEVEL_MESSAGE, g_log_default_handler, NULL);
  test_mqtt_publish (broker_port, topic, notice, -1);
  test_spin_ms (1500);
  g_assert_cmpstr (saban_command_item_get_string (task, "title"), ==, "Tuần tra bìa rừng");
  g_assert_cmpint (saban_command_item_get_version (task), ==, version);
  assert_matches_server (a->store, SABAN_COMMAND_TASKS, id);
}

/* A change another workstation writes reaches this client as a notice with
 * no value in it, and the item is read over HTTP: the store has the new
 * status and the commander the notice did not carry. */
static void
test_notice_fetch (void)
{
  g_autoptr(Client) a = client_new ("trucban", broker_addr, NULL);
  g_autoptr(Resp) created = NULL, changed = NULL;
  SabanCommandItem *seen;
  gint64 id;

  created = test_request (server, "POST", "/collections/scenarios/items", token, "application/json",
                          "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"title\":\"Lũ ống Mường Hum\"}}",
                          NULL);
  g_assert_cmpuint (created->status, ==, 201);
  id = json_object_get_int_member (resp_object (created), "id");
  TEST_WAIT_UNTIL ((seen = saban_command_store_lookup (a->store, SABAN_COMMAND_SCENARIOS, id)) != NULL, 5);
  {
    g_autofree char *path = g_strdup_printf ("/collections/scenarios/items/%" G_GINT64_FORMAT, id);

    changed = test_request (server, "PATCH", path, token, "application/json",
                            "{\"properties\":{\"status\":\"active\",\"commander\":\"Phó Chủ tịch Lò Văn Sử\"}}",
                            (const char *const[]) { "If-Match", "\"v1\"", NULL });
  }
  g_assert_cmpuint (changed->status, ==, 200);
  TEST_WAIT_UNTIL (saban_command_item_get_version (seen) == 2, 5);
  g_assert_cmpstr (saban_command_item_get_status (seen), ==, "active");
  g_assert_cmpstr (saban_command_item_get_string (seen, "commander"), ==, "Phó Chủ tịch Lò Văn Sử");
  assert_matches_server (a->store, SABAN_COMMAND_SCENARIOS, id);
}

/* Twenty notices for one item while its fetch is in flight (the server
 * stopped): one fetch, then one more after it, not twenty. The item is not
 * there (404: not this role's, or made up): the store is left as it was. */
static void
test_notice_coalesced (void)
{
  g_autoptr(Client) a = client_new ("trucban", broker_addr, NULL);
  const gint64 ghost = 987654;
  g_autofree char *topic = g_strdup_printf ("ioc/v1/collections/tasks/items/%" G_GINT64_FORMAT, ghost);
  guint n_tasks = saban_command_store_get_n_items (a->store, SABAN_COMMAND_TASKS);

  not_fetched = 0;
  g_log_set_handler ("saban-command", G_LOG_LEVEL_MESSAGE, count_messages, NULL);
  g_subprocess_send_signal (server->proc, SIGSTOP);
  for (int v = 1; v <= 20; v++)
    {
      g_autofree char *notice = g_strdup_printf ("{\"collection\":\"tasks\",\"id\":%" G_GINT64_FORMAT ",\"version\":\"v%d\"}",
                                                 ghost, v);

      test_mqtt_publish (broker_port, topic, notice, -1);
    }
  test_spin_ms (1000);
  g_assert_cmpuint (not_fetched, ==, 0);
  g_subprocess_send_signal (server->proc, SIGCONT);
  TEST_WAIT_UNTIL (not_fetched == 2, 10);
  test_spin_ms (1000);
  g_assert_cmpuint (not_fetched, ==, 2);
  g_assert_null (saban_command_store_lookup (a->store, SABAN_COMMAND_TASKS, ghost));
  g_assert_cmpuint (saban_command_store_get_n_items (a->store, SABAN_COMMAND_TASKS), ==, n_tasks);
  g_log_set_handler ("saban-command", G_LOG_LEVEL_MESSAGE, g_log_default_handler, NULL);
}

static void
test_bad_input (void)
{
  g_autoptr(Client) a = client_new ("dieuphoi", broker_addr, NULL);
  g_autoptr(GError) error = NULL;
  SabanCommandItem *scenario = scenario_in (a, "Trật tự đô thị Sa Pa");
  SabanTaskSpec spec = { .title = "Kiểm tra lấn chiếm vỉa hè", .kind = "inspect", .priority = 3, .lon = NAN,
                         .lat = NAN };
  SabanCommandItem *task = saban_command_client_create_task (a->client, scenario, &spec, &error);
  g_autofree char *topic = NULL, *before = NULL, *after = NULL;
  g_autoptr(JsonNode) snapshot = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *huge = g_strnfill (300 * 1024, ' ');
  guint n_tasks;
  static const char *const bad_pages[] = { "{\"type\":\"FeatureCollection\"}", "{\"features\":{}}", "\"x\"" };
  /* notices: each refused, with its reason */
  static const char *const bad_features[] = {
    "{\"collection\":\"tasks\",\"id\":%s,",                                        /* malformed */
    "[1,2,3]",
    "{\"collection\":\"tasks\",\"id\":\"%s\"}",
    "{\"collection\":\"people\",\"id\":%s}",
    "{\"collection\":\"scenarios\",\"id\":%s}",
    "{\"collection\":[\"tasks\"],\"id\":%s}",
    "{\"collection\":\"tasks\",\"id\":%s,\"version\":99}",
    "{\"collection\":\"tasks\",\"id\":%s,\"version\":\"v-1\"}",
    "{\"collection\":\"tasks\",\"id\":%s,\"version\":\"v99x\"}",
    "{\"collection\":\"tasks\",\"id\":%s,\"scenarioId\":-1}",
    "{\"collection\":\"tasks\",\"id\":%s,\"updated\":{}}",
    "{\"collection\":\"tasks\",\"id\":%s,\"changed\":[1]}",
    /* the whole Feature, as the server once sent it: no notice */
    "{\"type\":\"Feature\",\"id\":%s,\"geometry\":null,\"properties\":{\"scenarioId\":1,\"title\":\"x\","
      "\"status\":\"pending\",\"version\":99,\"updated\":\"2030-01-01T00:00:00Z\"}}",
  };

  TEST_WAIT_UNTIL (saban_command_item_get_id (task) > 0, 5);
  TEST_WAIT_UNTIL (!saban_command_item_get_pending (task), 5);
  g_log_set_handler ("saban-command", G_LOG_LEVEL_MESSAGE, count_messages, NULL);
  n_tasks = saban_command_store_get_n_items (a->store, SABAN_COMMAND_TASKS);
  json_node_set_object (snapshot, saban_command_item_get_properties (task));
  before = json_to_string (snapshot, FALSE);
  topic = g_strdup_printf ("ioc/v1/collections/tasks/items/%" G_GINT64_FORMAT, saban_command_item_get_id (task));

  /* over MQTT: each bad payload is refused with a reason */
  rejected = 0;
  for (guint i = 0; i < G_N_ELEMENTS (bad_features); i++)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, saban_command_item_get_id (task));
      g_autoptr(GString) payload = g_string_new (bad_features[i]);

      g_string_replace (payload, "%s", id, 0);
      test_mqtt_publish (broker_port, topic, payload->str, payload->len);
    }
  test_mqtt_publish (broker_port, topic, huge, -1);
  /* a good notice on the wrong item's topic */
  {
    g_autofree char *good = g_strdup_printf ("{\"collection\":\"tasks\",\"id\":%" G_GINT64_FORMAT ",\"version\":\"v99\"}",
                                             saban_command_item_get_id (task));
    g_autofree char *other = g_strdup_printf ("ioc/v1/collections/tasks/items/%" G_GINT64_FORMAT,
                                              saban_command_item_get_id (task) + 1000);
    test_mqtt_publish (broker_port, other, good, -1);
  }
  TEST_WAIT_UNTIL (rejected == G_N_ELEMENTS (bad_features) + 2, 5);

  /* over HTTP, as a page of a collection would come */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    for (guint i = 0; i < G_N_ELEMENTS (bad_pages); i++)
      {
        g_assert_true (json_parser_load_from_data (parser, bad_pages[i], -1, NULL));
        g_assert_false (saban_command_store_apply_collection (a->store, SABAN_COMMAND_TASKS,
                                                              json_parser_get_root (parser), &error));
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
        g_clear_error (&error);
      }
    g_assert_true (json_parser_load_from_data (parser, "{\"type\":\"FeatureCollection\",\"features\":[1,{}]}", -1,
                                               NULL));
    g_assert_true (saban_command_store_apply_collection (a->store, SABAN_COMMAND_TASKS,
                                                         json_parser_get_root (parser), NULL));
  }
  /* the pages, and the two bad Features of the last one */
  g_assert_cmpuint (rejected, ==, G_N_ELEMENTS (bad_features) + 2 + G_N_ELEMENTS (bad_pages) + 2);

  /* nothing changed */
  g_assert_cmpuint (saban_command_store_get_n_items (a->store, SABAN_COMMAND_TASKS), ==, n_tasks);
  json_node_set_object (snapshot, saban_command_item_get_properties (task));
  after = json_to_string (snapshot, FALSE);
  g_assert_cmpstr (before, ==, after);
  g_log_set_handler ("saban-command", G_LOG_LEVEL_MESSAGE, g_log_default_handler, NULL);
}

/* an alarm acknowledgement: a write of record, counted as pending until the
 * server has it; one the server refuses is reported, not kept */
static void
on_refused (SabanCommandClient *client, SabanCommandItem *item, const char *message, gpointer data)
{
  g_assert_null (item);
  g_assert_cmpstr (message, ==, "Tài khoản của bạn không được thực hiện thay đổi này; thay đổi đã được hoàn tác. "
                                "Hãy đề nghị quản trị hệ thống cấp vai trò phù hợp");
  (*(guint *) data)++;
}

/* A status the state machine forbids: refused at once from what the
 * client knows, and by the server (409) when the client was behind — a
 * change kept over a colleague's that finished the task first. Either way
 * the user reads, in Vietnamese, the state the item is in; the server is
 * untouched and the model catches up. */
typedef struct
{
  guint             count;
  SabanCommandItem *item;
  char             *message;
} Refusal;

static void
on_refusal (SabanCommandClient *client, SabanCommandItem *item, const char *message, Refusal *r)
{
  r->count++;
  r->item = item;
  g_free (r->message);
  r->message = g_strdup (message);
}

static void
test_illegal_transition (void)
{
  g_autoptr(Client) a = client_new ("dieuphoi", broker_addr, NULL);
  g_autoptr(Client) b = client_new ("trucban", NULL, NULL);
  g_autoptr(GError) error = NULL;
  SabanCommandItem *draft, *scenario, *task, *at_b;
  SabanCommandConflict *conflict;
  SabanTaskSpec spec = { .title = "Gia cố kè suối Ngòi Đường", .kind = "repair", .priority = 6, .lon = NAN,
                         .lat = NAN };
  Refusal refusal = { 0 };
  gint64 id, version;

  draft = saban_command_client_create_scenario (a->client, NULL, "Sạt lở taluy Quốc lộ 4D", NULL, NULL, &error);
  g_assert_no_error (error);
  TEST_WAIT_UNTIL (saban_command_item_get_id (draft) > 0 && !saban_command_item_get_pending (draft), 5);
  g_assert_false (saban_command_client_set_status (a->client, draft, "closed", &error));
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Không thể chuyển kịch bản “Sạt lở taluy Quốc lộ 4D” sang trạng thái đã "
                                       "đóng: kịch bản đang ở trạng thái dự thảo");
  g_clear_error (&error);
  g_assert_false (saban_command_item_get_pending (draft));
  g_assert_cmpuint (saban_command_client_get_pending (a->client), ==, 0);

  scenario = scenario_in (a, "Lũ quét Mường Hum (diễn tập)");
  task = saban_command_client_create_task (a->client, scenario, &spec, &error);
  g_assert_no_error (error);
  g_assert_true (saban_command_client_assign_task (a->client, task, "unit", "doi-cong-binh", "Đội công binh", &error));
  g_assert_true (saban_command_client_set_status (a->client, task, "accepted", &error));
  g_assert_true (saban_command_client_set_status (a->client, task, "in_progress", &error));
  TEST_WAIT_UNTIL (saban_command_client_get_pending (a->client) == 0, 10);
  id = saban_command_item_get_id (task);
  /* B (no broker) reads it once, in progress */
  saban_live_channel_set_poll_interval (b->channel, 1);
  TEST_WAIT_UNTIL ((at_b = saban_command_store_lookup (b->store, SABAN_COMMAND_TASKS, id)) != NULL &&
                   g_strcmp0 (saban_command_item_get_status (at_b), "in_progress") == 0, 5);
  saban_live_channel_set_poll_interval (b->channel, 3600);

  /* A finishes it; B, not knowing, pauses it and keeps that over A's */
  g_assert_true (saban_command_client_set_status (a->client, task, "completed", &error));
  TEST_WAIT_UNTIL (saban_command_client_get_pending (a->client) == 0, 5);
  {
    g_autoptr(Resp) r = get_item ("tasks", id);
    version = json_object_get_int_member (resp_props (r), "version");
  }
  g_signal_connect (b->client, "write-refused", G_CALLBACK (on_refusal), &refusal);
  g_assert_true (saban_command_client_set_status (b->client, at_b, "paused", &error));
  TEST_WAIT_UNTIL (g_list_model_get_n_items (saban_command_client_get_conflicts (b->client)) == 1, 5);
  conflict = g_list_model_get_item (saban_command_client_get_conflicts (b->client), 0);
  g_object_unref (conflict);
  saban_command_client_keep_mine (b->client, conflict);
  TEST_WAIT_UNTIL (refusal.count == 1, 5);
  g_assert_true (refusal.item == at_b);
  g_assert_cmpstr (refusal.message, ==, "Không thể chuyển nhiệm vụ “Gia cố kè suối Ngòi Đường” sang trạng thái tạm "
                                        "dừng: nhiệm vụ đang ở trạng thái hoàn thành");
  {
    g_autoptr(Resp) r = get_item ("tasks", id);
    g_assert_cmpstr (json_object_get_string_member (resp_props (r), "status"), ==, "completed");
    g_assert_cmpint (json_object_get_int_member (resp_props (r), "version"), ==, version);
  }
  /* B read the server again */
  TEST_WAIT_UNTIL (g_strcmp0 (saban_command_item_get_status (at_b), "completed") == 0 &&
                   !saban_command_item_get_pending (at_b), 5);
  g_assert_cmpuint (saban_command_client_get_pending (b->client), ==, 0);
  g_signal_handlers_disconnect_by_data (b->client, &refusal);
  g_free (refusal.message);
}

static void
test_record (void)
{
  g_autoptr(Client) op = client_new ("trucban", NULL, NULL);
  g_autoptr(Client) leader = client_new ("lanhdao", NULL, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *url = g_strdup_printf ("%s/collections/acknowledgements/items?limit=1000", server->base);
  guint refused = 0, before;

  g_assert_true (json_parser_load_from_data (parser,
    "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[103.97,22.48]},"
    "\"properties\":{\"datastreamId\":1,\"sensorName\":\"Trạm thủy văn Lào Cai\",\"level\":\"danger\","
    "\"value\":7.2,\"observedAt\":\"2026-11-28T03:00:00Z\",\"acknowledgedAt\":\"2026-11-28T03:01:00Z\","
    "\"note\":\"Đã báo Ban Chỉ huy PCTT\"}}", -1, NULL));
  {
    g_autoptr(Resp) r = test_http ("GET", url, token, NULL, NULL, NULL);
    before = json_array_get_length (json_object_get_array_member (resp_object (r), "features"));
  }
  saban_command_client_post_record (op->client, "acknowledgements", json_parser_get_root (parser));
  g_assert_cmpuint (saban_command_client_get_pending (op->client), ==, 1);
  TEST_WAIT_UNTIL (saban_command_client_get_pending (op->client) == 0, 20);
  {
    g_autoptr(Resp) r = test_http ("GET", url, token, NULL, NULL, NULL);
    JsonArray *features = json_object_get_array_member (resp_object (r), "features");
    JsonObject *p = json_object_get_object_member (json_array_get_object_element (features, before), "properties");

    g_assert_cmpuint (json_array_get_length (features), ==, before + 1);
    g_assert_cmpstr (json_object_get_string_member (p, "acknowledgedBy"), ==, "trucban");
  }

  /* a leader may not acknowledge: refused, reported, dropped */
  g_signal_connect (leader->client, "write-refused", G_CALLBACK (on_refused), &refused);
  saban_command_client_post_record (leader->client, "acknowledgements", json_parser_get_root (parser));
  TEST_WAIT_UNTIL (refused == 1 && saban_command_client_get_pending (leader->client) == 0, 20);
}

/* a client that does not wait for the server: it checks for it each second */
static Client *
client_starting (const char *outbox)
{
  Client *c = g_new0 (Client, 1);
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(SabanApi) api = saban_api_new (server->base);

    c->connection = saban_connection_new (api, 1);
  }
  saban_connection_set_account (c->connection, "dieuphoi", "saban-demo");
  c->channel = command_channel (broker_addr);
  c->client = saban_command_client_new (c->connection, c->channel, outbox, &error);
  g_assert_no_error (error);
  c->store = saban_command_client_get_store (c->client);
  saban_command_client_start (c->client);
  saban_live_channel_start (c->channel);
  return c;
}

static guint
server_log_length (gint64 scenario)
{
  g_autofree char *url = g_strdup_printf ("%s/collections/scenario-log/items?scenarioId=%" G_GINT64_FORMAT "&limit=1000",
                                          server->base, scenario);
  g_autoptr(Resp) r = test_http ("GET", url, token, NULL, NULL, NULL);

  return json_array_get_length (json_object_get_array_member (resp_object (r), "features"));
}

/* A coordinator restarts Sa Bàn while the server is down: the scenario, its
 * tasks and its log are there from the cache, a change made meanwhile shows
 * as pending over them, and all is delivered and brought up to date when
 * the server is back on its port. */
static void
test_offline_start (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *outbox = g_build_filename (dir, "outbox.db", NULL);
  g_autoptr(GDateTime) started = g_date_time_new_now_utc ();
  g_autoptr(Client) a = client_new ("dieuphoi", broker_addr, outbox);
  g_autoptr(Client) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tasks = NULL, log = NULL;
  SabanCommandItem *scenario = scenario_in (a, "Lũ ống Bắc Hà (diễn tập)");
  gint64 scenario_id = saban_command_item_get_id (scenario), task_id, version;
  guint n_playbooks = saban_command_store_get_n_items (a->store, SABAN_COMMAND_PLAYBOOKS);
  SabanCommandItem *task;
  GDateTime *cached_at;
  gint64 t0;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *title = g_strdup_printf ("Sơ tán điểm sạt lở %u", i + 1);
      SabanTaskSpec spec = { .title = title, .kind = "evacuate", .priority = 8, .lon = 104.28, .lat = 22.54 };

      g_assert_nonnull (saban_command_client_create_task (a->client, scenario, &spec, &error));
    }
  TEST_WAIT_UNTIL (saban_command_client_get_pending (a->client) == 0, 20);
  log = saban_command_store_list_log (a->store, scenario_id);
  /* created, activated, three tasks created */
  TEST_WAIT_UNTIL (g_list_model_get_n_items (log) == 5, 5);
  g_clear_object (&log);
  g_clear_pointer (&a, client_free);
  /* Sa Bàn started once more while the server is up: its first read goes to
   * the end of every collection with the tasks in it, so the cache it
   * leaves knows where a catch-up starts (answers to writes alone do not
   * tell it: another's change may lie between them) */
  a = client_new ("dieuphoi", broker_addr, outbox);
  g_clear_pointer (&a, client_free);

  /* the network is gone: a new client on the same data directory */
  test_server_kill (server);
  t0 = g_get_monotonic_time ();
  b = client_starting (outbox);
  TEST_WAIT_UNTIL (saban_command_client_get_from_cache (b->client), 10);
  g_test_message ("cache shown %.0f ms after start", (g_get_monotonic_time () - t0) / 1000.0);
  g_assert_false (saban_command_client_get_loaded (b->client));
  cached_at = saban_command_client_get_cached_at (b->client);
  g_assert_nonnull (cached_at);
  g_assert_cmpint (g_date_time_to_unix (cached_at), >=, g_date_time_to_unix (started));
  scenario = saban_command_store_lookup (b->store, SABAN_COMMAND_SCENARIOS, scenario_id);
  g_assert_nonnull (scenario);
  g_assert_cmpstr (saban_command_item_get_title (scenario), ==, "Lũ ống Bắc Hà (diễn tập)");
  g_assert_cmpstr (saban_command_item_get_status (scenario), ==, "active");
  g_assert_cmpuint (saban_command_store_get_n_items (b->store, SABAN_COMMAND_PLAYBOOKS), ==, n_playbooks);
  g_assert_nonnull (saban_command_store_find_playbook (b->store, "lu-quet-sat-lo"));
  tasks = saban_command_store_list (b->store, SABAN_COMMAND_TASKS, scenario_id, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 3);
  log = saban_command_store_list_log (b->store, scenario_id);
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, 5);
  /* the first read will be a catch-up from where the cache stands */
  {
    g_autofree char *since = saban_command_store_get_watermark (b->store, SABAN_COMMAND_TASKS);
    g_assert_nonnull (since);
  }

  /* a change made offline, pending over the cached task */
  task = g_list_model_get_item (tasks, 0);
  g_object_unref (task);
  task_id = saban_command_item_get_id (task);
  version = saban_command_item_get_version (task);
  g_assert_true (saban_command_client_assign_task (b->client, task, "unit", "XK-BH", "Đội xung kích Bắc Hà", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (saban_command_item_get_status (task), ==, "assigned");
  g_assert_true (saban_command_item_get_pending (task));
  g_assert_cmpint (saban_command_item_get_version (task), ==, version);
  test_spin_ms (1500);
  g_assert_cmpuint (saban_command_client_get_pending (b->client), ==, 1);
  g_assert_true (saban_command_client_get_from_cache (b->client));

  /* the server is back on its port: delivered, and the model is the server's */
  test_server_restart (server, (const char *const[]) { "--rate-limit=0", mqtt_arg, NULL });
  g_free (token);
  token = test_login (server, "dieuphoi");
  TEST_WAIT_UNTIL (!saban_command_client_get_from_cache (b->client) &&
                   saban_command_client_get_pending (b->client) == 0, 30);
  g_assert_true (saban_command_client_get_loaded (b->client));
  g_assert_null (saban_command_client_get_cached_at (b->client));
  TEST_WAIT_UNTIL (saban_command_item_get_version (task) == version + 1, 5);
  g_assert_cmpint (saban_command_item_get_id (task), ==, task_id);
  g_assert_cmpstr (saban_command_item_get_status (task), ==, "assigned");
  assert_matches_server (b->store, SABAN_COMMAND_SCENARIOS, scenario_id);
  for (guint i = 0; i < g_list_model_get_n_items (tasks); i++)
    {
      g_autoptr(SabanCommandItem) t = g_list_model_get_item (tasks, i);

      assert_matches_server (b->store, SABAN_COMMAND_TASKS, saban_command_item_get_id (t));
    }
  TEST_WAIT_UNTIL (g_list_model_get_n_items (log) == server_log_length (scenario_id), 5);
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, 6);
}

/* A cache file that is no cache: logged, set aside, made anew; the client
 * loads from the server as if there had been none. */
static guint cache_complaints;

static void
count_cache_complaints (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  if (strstr (message, "command cache") != NULL && strstr (message, "ignored") != NULL)
    cache_complaints++;
  g_log_default_handler (domain, level, message, data);
}

static void
start_on_bad_cache (const char *contents, gsize length, const char *foreign_sql)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *outbox = g_build_filename (dir, "outbox.db", NULL);
  g_autofree char *path = g_build_filename (dir, "command-cache.db", NULL);
  g_autoptr(SabanCommandCache) cache = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GDateTime) synced_at = NULL;
  g_autoptr(GError) error = NULL;
  char *since[SABAN_COMMAND_N_COLLECTIONS];
  Client *c;

  if (foreign_sql != NULL)
    {
      sqlite3 *db = NULL;

      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, foreign_sql, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
    }
  else
    {
      g_file_set_contents (path, contents, length, &error);
      g_assert_no_error (error);
    }
  cache_complaints = 0;
  c = client_new ("dieuphoi", NULL, outbox);
  g_assert_cmpuint (cache_complaints, ==, 1);
  g_assert_false (saban_command_client_get_from_cache (c->client));
  g_assert_cmpuint (saban_command_store_get_n_items (c->store, SABAN_COMMAND_PLAYBOOKS), >, 0);
  client_free (c);

  /* made anew, it holds what the server sent */
  cache = saban_command_cache_new (path);
  items = saban_command_cache_load (cache, server->base, since, &synced_at);
  g_assert_cmpuint (cache_complaints, ==, 1);
  g_assert_cmpuint (items->len, >, 0);
  g_assert_nonnull (synced_at);
  for (guint i = 0; i < SABAN_COMMAND_N_COLLECTIONS; i++)
    g_free (since[i]);
}

/* a good cache of many pages, then one of its pages overwritten */
static char *
damaged_cache (gsize *length)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "command-cache.db", NULL);
  g_autoptr(SabanCommandCache) cache = saban_command_cache_new (path);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) saban_cached_item_free);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  const char *since[SABAN_COMMAND_N_COLLECTIONS] = { NULL };
  g_autofree char *padding = g_strnfill (2000, 'a');
  gboolean emptied;
  char *contents;

  for (guint i = 0; i < 100; i++)
    {
      SabanCachedItem *row = g_new0 (SabanCachedItem, 1);

      row->collection = SABAN_COMMAND_LOG;
      row->id = i + 1;
      row->feature = g_strdup_printf ("{\"type\":\"Feature\",\"id\":%u,\"geometry\":null,\"properties\":"
                                      "{\"scenarioId\":1,\"at\":\"2025-07-01T00:00:00Z\",\"note\":\"%s\"}}", i + 1,
                                      padding);
      g_ptr_array_add (items, row);
    }
  g_assert_true (saban_command_cache_save (cache, server->base, items, since, now, TRUE, &emptied, &error));
  g_assert_no_error (error);
  g_clear_object (&cache);
  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (*length, >, 16 * 4096);
  memset (contents + 8 * 4096, 0x7f, 4096);
  return contents;
}

static void
test_cache_damaged (void)
{
  g_autofree char *noise = g_strnfill (8192, 'x');
  g_autofree char *header = g_strdup ("SQLite format 3");
  g_autofree char *truncated = NULL;
  g_autofree char *damaged = NULL;
  gsize length;

  g_log_set_handler ("saban-command", G_LOG_LEVEL_MESSAGE, count_cache_complaints, NULL);
  /* not a database at all */
  start_on_bad_cache (noise, 8192, NULL);
  /* a database's header over garbage */
  truncated = g_strnfill (4096, '\x7f');
  memcpy (truncated, header, strlen (header) + 1);
  start_on_bad_cache (truncated, 4096, NULL);
  /* ours, with a page overwritten */
  damaged = damaged_cache (&length);
  start_on_bad_cache (damaged, length, NULL);
  /* another program's database, and one of ours in a later format */
  start_on_bad_cache (NULL, 0, "CREATE TABLE items (x); INSERT INTO items VALUES (1)");
  start_on_bad_cache (NULL, 0, "PRAGMA application_id=1398948707; PRAGMA user_version=9; CREATE TABLE items (x)");
  g_log_set_handler ("saban-command", G_LOG_LEVEL_MESSAGE, g_log_default_handler, NULL);
}

/* Cached Features get the checks a server's do: a bad one is refused, its
 * collection is read again whole, the rest is shown. */
static void
test_cache_bad_item (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *outbox = g_build_filename (dir, "outbox.db", NULL);
  g_autofree char *path = g_build_filename (dir, "command-cache.db", NULL);
  g_autoptr(SabanCommandCache) cache = saban_command_cache_new (path);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) saban_cached_item_free);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(Client) b = NULL;
  gint64 scenario = test_scenario_create (server, token, "Cháy rừng Sa Pa (diễn tập)");
  const char *since[SABAN_COMMAND_N_COLLECTIONS] = { NULL, "2099-01-01T00:00:00Z", "2099-01-01T00:00:00Z", NULL, NULL };
  static const struct { SabanCommandCollection c; gint64 id; const char *feature; } rows[] = {
    { SABAN_COMMAND_SCENARIOS, 900001, "{\"type\":\"Feature\",\"id\":900001,\"geometry\":null,\"properties\":"
      "{\"title\":\"Kịch bản cũ\",\"status\":\"closed\",\"version\":3,\"updated\":\"2025-07-01T00:00:00Z\"}}" },
    { SABAN_COMMAND_TASKS, 900002, "{\"type\":\"Feature\",\"id\":900002,\"geometry\":null,\"properties\":"
      "{\"title\":5,\"status\":\"pending\",\"version\":1,\"updated\":\"2025-07-01T00:00:00Z\"}}" },
    { SABAN_COMMAND_TASKS, 900003, "{\"type\":\"Feature\",\"id\":" },
  };
  gboolean emptied;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      SabanCachedItem *row = g_new0 (SabanCachedItem, 1);

      row->collection = rows[i].c;
      row->id = rows[i].id;
      row->version = 1;
      row->feature = g_strdup (rows[i].feature);
      g_ptr_array_add (items, row);
    }
  g_assert_true (saban_command_cache_save (cache, server->base, items, since, now, TRUE, &emptied, &error));
  g_assert_no_error (error);
  g_assert_false (emptied);
  g_clear_object (&cache);

  rejected = 0;
  g_log_set_handler ("saban-command", G_LOG_LEVEL_MESSAGE, count_messages, NULL);
  b = client_new ("dieuphoi", NULL, outbox);
  g_log_set_handler ("saban-command", G_LOG_LEVEL_MESSAGE, g_log_default_handler, NULL);
  g_assert_cmpuint (rejected, ==, 2);
  g_assert_nonnull (saban_command_store_lookup (b->store, SABAN_COMMAND_SCENARIOS, 900001));
  g_assert_null (saban_command_store_lookup (b->store, SABAN_COMMAND_TASKS, 900002));
  /* the scenarios' watermark held (far ahead, so today's scenario was not
   * read); the tasks' went with its bad rows, so they were read whole */
  g_assert_null (saban_command_store_lookup (b->store, SABAN_COMMAND_SCENARIOS, scenario));
  g_assert_cmpuint (saban_command_store_get_n_items (b->store, SABAN_COMMAND_TASKS), >, 0);
}

int
main (int argc, char *argv[])
{
  g_autofree char *dir = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  mosquitto_lib_init ();
  /* what the client tells its users is checked in their language */
  g_setenv ("LANGUAGE", "vi", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SABAN_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  dir = test_tmpdir ();
  server_db = g_build_filename (dir, "server.db", NULL);
  broker = test_mosquitto_start (&broker_port);
  g_assert_nonnull (broker);
  broker_addr = g_strdup_printf ("127.0.0.1:%u", broker_port);
  mqtt_arg = g_strdup_printf ("--mqtt=%s", broker_addr);
  server = test_server_start (server_db, (const char *const[]) { "--rate-limit=0", mqtt_arg, NULL });
  token = test_login (server, "dieuphoi");

  g_test_add_func ("/command-client/end-to-end", test_end_to_end);
  g_test_add_func ("/command-client/replay", test_replay);
  g_test_add_func ("/command-client/two-clients", test_two_clients);
  g_test_add_func ("/command-client/catch-up", test_catch_up);
  g_test_add_func ("/command-client/conflict", test_conflict);
  g_test_add_func ("/command-client/bad-input", test_bad_input);
  g_test_add_func ("/command-client/broker-forgery", test_broker_forgery);
  g_test_add_func ("/command-client/notice-fetch", test_notice_fetch);
  g_test_add_func ("/command-client/notice-coalesced", test_notice_coalesced);
  g_test_add_func ("/command-client/illegal-transition", test_illegal_transition);
  g_test_add_func ("/command-client/record", test_record);
  g_test_add_func ("/command-client/client-killed", test_client_killed);
  g_test_add_func ("/command-client/server-killed", test_server_killed);
  g_test_add_func ("/command-client/offline-start", test_offline_start);
  g_test_add_func ("/command-client/cache-damaged", test_cache_damaged);
  g_test_add_func ("/command-client/cache-bad-item", test_cache_bad_item);
  rc = g_test_run ();

  test_server_free (server);
  if (broker != NULL)
    test_mosquitto_kill (&broker);
  return rc;
}
