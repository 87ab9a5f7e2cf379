/* SabanCommandStore: lists made for a scenario that exists only locally
 * follow it when the server gives it its id, with what arrived under that
 * id before (the scenario's first log entries, MQTT's copy of a task). */
#include "saban-command-store.h"

static JsonNode *
feature (gint64 id, const char *properties)
{
  g_autofree char *text = g_strdup_printf ("{\"type\":\"Feature\",\"id\":%" G_GINT64_FORMAT ",\"geometry\":null,"
                                           "\"properties\":%s}", id, properties);

  return json_from_string (text, NULL);
}

static void
apply (SabanCommandStore *store, SabanCommandCollection collection, gint64 id, const char *properties)
{
  g_autoptr(JsonNode) node = feature (id, properties);
  g_autoptr(GError) error = NULL;

  g_assert_true (saban_command_store_apply_feature (store, collection, node, &error));
  g_assert_no_error (error);
}

static void
count_changes (GListModel *model, guint position, guint removed, guint added, gpointer data)
{
  (*(guint *) data)++;
}

static void
test_local_scenario_lists_follow_its_id (void)
{
  g_autoptr(SabanCommandStore) store = saban_command_store_new ();
  g_autoptr(JsonObject) props = json_object_new ();
  g_autoptr(JsonObject) task_props = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GListModel) log = NULL;
  g_autoptr(GListModel) tasks = NULL;
  g_autoptr(GListModel) other_log = NULL;
  g_autoptr(GListModel) all_log = NULL;
  SabanCommandItem *scenario, *task, *other;
  gint64 local_id;
  guint log_changes = 0;

  json_object_set_string_member (props, "title", "Lũ quét Bát Xát");
  json_object_set_string_member (props, "status", "draft");
  scenario = saban_command_store_add_local (store, SABAN_COMMAND_SCENARIOS, "key-scenario", props, NULL);
  local_id = saban_command_item_get_id (scenario);
  g_assert_cmpint (local_id, <, 0);
  other = saban_command_store_add_local (store, SABAN_COMMAND_SCENARIOS, "key-other", props, NULL);

  json_object_set_int_member (task_props, "scenarioId", local_id);
  json_object_set_string_member (task_props, "title", "Sơ tán dân cư");
  json_object_set_string_member (task_props, "status", "pending");
  task = saban_command_store_add_local (store, SABAN_COMMAND_TASKS, "key-task", task_props, NULL);

  log = saban_command_store_list_log (store, local_id);
  tasks = saban_command_store_list (store, SABAN_COMMAND_TASKS, local_id, NULL);
  other_log = saban_command_store_list_log (store, saban_command_item_get_id (other));
  all_log = saban_command_store_list_log (store, 0);
  g_signal_connect (log, "items-changed", G_CALLBACK (count_changes), &log_changes);
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 1);

  /* MQTT brings the scenario's first log entries and a colleague's task
   * before the answer to the creation */
  apply (store, SABAN_COMMAND_LOG, 501,
         "{\"scenarioId\":42,\"taskId\":null,\"at\":\"2025-08-01T03:00:00Z\",\"from\":null,\"to\":\"draft\"}");
  apply (store, SABAN_COMMAND_LOG, 502,
         "{\"scenarioId\":42,\"taskId\":null,\"at\":\"2025-08-01T03:00:01Z\",\"from\":\"draft\",\"to\":\"active\"}");
  apply (store, SABAN_COMMAND_LOG, 503,
         "{\"scenarioId\":7,\"taskId\":null,\"at\":\"2025-08-01T02:00:00Z\",\"from\":null,\"to\":\"draft\"}");
  apply (store, SABAN_COMMAND_TASKS, 900,
         "{\"scenarioId\":42,\"title\":\"Trinh sát\",\"status\":\"pending\",\"version\":1,"
         "\"updated\":\"2025-08-01T03:00:02Z\"}");
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (all_log), ==, 3);
  g_assert_cmpuint (log_changes, ==, 0);

  answer = feature (42, "{\"title\":\"Lũ quét Bát Xát\",\"status\":\"draft\",\"version\":1,"
                        "\"updated\":\"2025-08-01T03:00:00Z\"}");
  saban_command_store_settle (store, "key-scenario", answer);
  g_assert_cmpint (saban_command_item_get_id (scenario), ==, 42);

  /* the same lists, now the scenario's under its server id: the entries in
   * time order, the local task and the colleague's */
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, 2);
  g_assert_cmpuint (log_changes, ==, 2);
  {
    g_autoptr(SabanCommandItem) first = g_list_model_get_item (log, 0);
    g_autoptr(SabanCommandItem) second = g_list_model_get_item (log, 1);

    g_assert_cmpint (saban_command_item_get_id (first), ==, 501);
    g_assert_cmpint (saban_command_item_get_id (second), ==, 502);
  }
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 2);
  g_assert_cmpint (saban_command_item_get_scenario_id (task), ==, 42);
  g_assert_nonnull (saban_command_store_lookup (store, SABAN_COMMAND_TASKS, 900));
  /* another local scenario's list is untouched */
  g_assert_cmpuint (g_list_model_get_n_items (other_log), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (all_log), ==, 3);

  /* and goes on following the scenario live */
  apply (store, SABAN_COMMAND_LOG, 504,
         "{\"scenarioId\":42,\"taskId\":900,\"at\":\"2025-08-01T03:00:03Z\",\"from\":null,\"to\":\"pending\"}");
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, 3);
}

/* A start from the cache: the items are there, the watermark not (the cache
 * was saved before a read had gone to the end with them). The whole read
 * that follows brings the same versions; the watermark is then the newest
 * of them, so the next start catches up from there rather than reading
 * every task again. */
static void
test_unchanged_items_set_the_watermark (void)
{
  g_autoptr(SabanCommandStore) store = saban_command_store_new ();
  static const char *const tasks[] = {
    "{\"scenarioId\":42,\"title\":\"Sơ tán\",\"status\":\"pending\",\"version\":3,\"updated\":\"2025-08-01T03:00:05Z\"}",
    "{\"scenarioId\":42,\"title\":\"Trinh sát\",\"status\":\"pending\",\"version\":1,\"updated\":\"2025-08-01T03:00:02Z\"}",
  };
  g_autofree char *mark = NULL;

  apply (store, SABAN_COMMAND_TASKS, 900, tasks[0]);
  apply (store, SABAN_COMMAND_TASKS, 901, tasks[1]);
  saban_command_store_set_watermark (store, SABAN_COMMAND_TASKS, NULL);
  apply (store, SABAN_COMMAND_TASKS, 901, tasks[1]);
  apply (store, SABAN_COMMAND_TASKS, 900, tasks[0]);
  mark = saban_command_store_get_watermark (store, SABAN_COMMAND_TASKS);
  g_assert_cmpstr (mark, ==, "2025-08-01T03:00:05Z");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/command-store/local-scenario-lists-follow-its-id", test_local_scenario_lists_follow_its_id);
  g_test_add_func ("/command-store/unchanged-items-set-the-watermark", test_unchanged_items_set_the_watermark);
  return g_test_run ();
}
