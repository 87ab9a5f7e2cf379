/* The desk's situation strip counted from models filled by hand: active
 * scenarios and the progress and lateness of their tasks (cancelled ones
 * left out, other scenarios' ignored), citizens' reports open and overdue;
 * and the playbook a citizen's report of each service calls for. */
#include <math.h>
#include <string.h>

#include "saban-json.h"
#include "saban-scenario-area.h"
#include "saban-situation.h"

#define NOW ((gint64) 1780000000 * G_USEC_PER_SEC)

static void
apply (SabanCommandStore *store, SabanCommandCollection collection, gint64 id, const char *properties)
{
  g_autofree char *props = g_strndup (properties, strlen (properties) - 1);
  g_autofree char *text = g_strdup_printf ("{\"type\":\"Feature\",\"id\":%" G_GINT64_FORMAT ",\"geometry\":null,"
                                           "\"properties\":%s,\"created\":\"2026-05-27T00:00:00Z\","
                                           "\"updated\":\"2026-05-27T00:00:00Z\"}}", id, props);
  g_autoptr(JsonNode) node = json_from_string (text, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (saban_command_store_apply_feature (store, collection, node, &error));
  g_assert_no_error (error);
}

static void
test_situation (void)
{
  g_autoptr(SabanCommandStore) commands = saban_command_store_new ();
  g_autoptr(SabanFeedbackStore) reports = saban_feedback_store_new ();
  g_autoptr(JsonNode) page = saban_json_parse (
    "[{\"service_request_id\":\"1\",\"service_code\":\"x\",\"status\":\"open\","
    "\"requested_datetime\":\"2026-05-28T00:00:00Z\",\"expected_datetime\":\"2026-05-28T12:00:00Z\"},"
    " {\"service_request_id\":\"2\",\"service_code\":\"x\",\"status\":\"open\","
    "\"requested_datetime\":\"2026-05-28T00:00:00Z\",\"expected_datetime\":\"2099-01-01T00:00:00Z\"},"
    " {\"service_request_id\":\"3\",\"service_code\":\"x\",\"status\":\"closed\","
    "\"requested_datetime\":\"2026-05-28T00:00:00Z\",\"updated_datetime\":\"2026-05-28T01:00:00Z\"}]", -1, NULL);
  SabanSituation s;

  /* the scenario under way: one task done, one late, one cancelled; a draft's task ignored */
  apply (commands, SABAN_COMMAND_SCENARIOS, 1, "{\"title\":\"Lũ quét\",\"status\":\"active\",\"version\":1}");
  apply (commands, SABAN_COMMAND_SCENARIOS, 2, "{\"title\":\"Diễn tập\",\"status\":\"draft\",\"version\":1}");
  apply (commands, SABAN_COMMAND_TASKS, 10, "{\"scenarioId\":1,\"title\":\"a\",\"status\":\"completed\",\"version\":1}");
  apply (commands, SABAN_COMMAND_TASKS, 11, "{\"scenarioId\":1,\"title\":\"b\",\"status\":\"in_progress\",\"version\":1,"
                                            "\"dueAt\":\"2026-05-28T00:00:00Z\"}");
  apply (commands, SABAN_COMMAND_TASKS, 12, "{\"scenarioId\":1,\"title\":\"c\",\"status\":\"cancelled\",\"version\":1}");
  apply (commands, SABAN_COMMAND_TASKS, 13, "{\"scenarioId\":2,\"title\":\"d\",\"status\":\"pending\",\"version\":1,"
                                            "\"dueAt\":\"2026-05-28T00:00:00Z\"}");
  g_assert_cmpuint (saban_feedback_store_add_page (reports, page, NULL), ==, 3);

  saban_situation_count (&s, NULL, NULL, NULL, NULL, NOW);
  g_assert_cmpuint (s.active_scenarios, ==, 0);
  g_assert_true (isnan (s.progress));
  g_assert_false (s.reports_known);

  saban_situation_count (&s, commands, NULL, NULL, reports, NOW);
  g_assert_cmpuint (s.active_scenarios, ==, 1);
  g_assert_cmpuint (s.tasks, ==, 2);
  g_assert_cmpuint (s.tasks_done, ==, 1);
  g_assert_cmpfloat (s.progress, ==, 0.5);
  g_assert_cmpuint (s.tasks_overdue, ==, 1);
  g_assert_true (s.reports_known);
  g_assert_cmpuint (s.reports_open, ==, 2);
  g_assert_cmpuint (s.reports_overdue, ==, 1);
}

static void
test_playbook_for_service (void)
{
  g_assert_cmpstr (saban_scenario_area_playbook_for_service ("ngap-ung"), ==, "ngap-lut");
  g_assert_cmpstr (saban_scenario_area_playbook_for_service ("sat-lo"), ==, "lu-quet-sat-lo");
  g_assert_cmpstr (saban_scenario_area_playbook_for_service ("rac-thai"), ==, "moi-truong");
  g_assert_cmpstr (saban_scenario_area_playbook_for_service ("den-chieu-sang"), ==, "chieu-sang");
  g_assert_null (saban_scenario_area_playbook_for_service ("khac"));
  g_assert_null (saban_scenario_area_playbook_for_service (NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/situation/count", test_situation);
  g_test_add_func ("/situation/playbook-for-service", test_playbook_for_service);
  return g_test_run ();
}
