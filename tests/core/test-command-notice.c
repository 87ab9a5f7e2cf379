/* SabanCommandNotice: what the server writes the client reads back, on
 * each topic; and every way a notice can be wrong, refused with its reason
 * (a whole Feature, as the server once sent, included). */
#include "saban-command-notice.h"

static void
test_round_trip (void)
{
  static const char *const changed[] = { "status", "assignee", NULL };
  static const struct
  {
    const char            *topic;
    const char            *collection;
    SabanCommandCollection expected;
    gint64                 id, version, scenario;
  } cases[] = {
    { "ioc/v1/collections/tasks/items/12", "tasks", SABAN_COMMAND_TASKS, 12, 3, 7 },
    { "ioc/v1/scenarios/7/tasks", "tasks", SABAN_COMMAND_TASKS, 12, 3, 7 },
    { "ioc/v1/collections/scenarios/items/7", "scenarios", SABAN_COMMAND_SCENARIOS, 7, 1, 0 },
    { "ioc/v1/collections/acknowledgements/items/40", "acknowledgements", SABAN_COMMAND_ACKNOWLEDGEMENTS, 40, 1, 0 },
    { "ioc/v1/scenarios/7/log", "scenario-log", SABAN_COMMAND_LOG, 118, 0, 7 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = saban_command_notice_to_json (cases[i].collection, cases[i].id, cases[i].version,
                                                               "2026-12-07T03:00:00Z", cases[i].scenario, changed);
      g_autoptr(GError) error = NULL;
      SabanCommandNotice notice;
      gboolean ours = saban_command_notice_is_topic (cases[i].topic);
      gboolean tasks_topic = g_str_has_suffix (cases[i].topic, "/tasks");

      /* the tasks topic repeats an item's notice: not read */
      g_assert_cmpint (ours, ==, !tasks_topic);
      if (tasks_topic)
        continue;
      g_assert_true (saban_command_notice_parse (&notice, cases[i].topic, node, &error));
      g_assert_no_error (error);
      g_assert_cmpint (notice.collection, ==, cases[i].expected);
      g_assert_cmpint (notice.id, ==, cases[i].id);
      g_assert_cmpint (notice.version, ==, cases[i].version);
      g_assert_cmpint (notice.scenario_id, ==, cases[i].scenario);
    }
  g_assert_false (saban_command_notice_is_topic ("ioc/v1/collections/alerts/items/3"));
  g_assert_false (saban_command_notice_is_topic ("ioc/v1/open311/requests/3"));
  g_assert_false (saban_command_notice_is_topic ("v1.1/Datastreams(7)/Observations"));
}

static void
test_refused (void)
{
  static const struct { const char *topic, *payload; } bad[] = {
    { "ioc/v1/collections/tasks/items/12", "[1]" },
    { "ioc/v1/collections/tasks/items/12", "{\"id\":12}" },
    { "ioc/v1/collections/tasks/items/12", "{\"collection\":\"people\",\"id\":12}" },
    { "ioc/v1/collections/tasks/items/12", "{\"collection\":\"scenarios\",\"id\":12}" },
    { "ioc/v1/collections/tasks/items/12", "{\"collection\":\"tasks\",\"id\":13}" },
    { "ioc/v1/collections/tasks/items/12", "{\"collection\":\"tasks\",\"id\":\"12\"}" },
    { "ioc/v1/collections/tasks/items/12", "{\"collection\":\"tasks\",\"id\":12,\"version\":3}" },
    { "ioc/v1/collections/tasks/items/12", "{\"collection\":\"tasks\",\"id\":12,\"version\":\"v0\"}" },
    { "ioc/v1/collections/tasks/items/12", "{\"collection\":\"tasks\",\"id\":12,\"version\":\"3\"}" },
    { "ioc/v1/collections/tasks/items/12", "{\"collection\":\"tasks\",\"id\":12,\"scenarioId\":0}" },
    { "ioc/v1/collections/tasks/items/12", "{\"collection\":\"tasks\",\"id\":12,\"updated\":5}" },
    { "ioc/v1/collections/tasks/items/12", "{\"collection\":\"tasks\",\"id\":12,\"changed\":\"status\"}" },
    { "ioc/v1/collections/tasks/items/12", "{\"type\":\"Feature\",\"id\":12,\"geometry\":null,\"properties\":{}}" },
    { "ioc/v1/collections/tasks/items/x12", "{\"collection\":\"tasks\",\"id\":12}" },
    { "ioc/v1/collections/tasks/items/-12", "{\"collection\":\"tasks\",\"id\":-12}" },
    { "ioc/v1/scenarios/7/log", "{\"collection\":\"scenario-log\",\"id\":5,\"scenarioId\":8}" },
    { "ioc/v1/scenarios/7/log", "{\"collection\":\"scenario-log\",\"id\":5}" },
    { "ioc/v1/scenarios/7/log", "{\"collection\":\"tasks\",\"id\":5,\"scenarioId\":7}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (bad[i].payload, NULL);
      g_autoptr(GError) error = NULL;
      SabanCommandNotice notice;

      g_assert_nonnull (node);
      g_assert_true (saban_command_notice_is_topic (bad[i].topic));
      g_assert_false (saban_command_notice_parse (&notice, bad[i].topic, node, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/command-notice/round-trip", test_round_trip);
  g_test_add_func ("/command-notice/refused", test_refused);
  return g_test_run ();
}
