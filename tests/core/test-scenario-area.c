/* Scenario areas from a CAP alert: its closed ring taken as drawn, and the
 * playbook its event calls for. */
#include "saban-scenario-area.h"

static void
test_playbook_for_event (void)
{
  static const struct { const char *event; const char *code; } cases[] = {
    { "Lũ, ngập lụt", "ngap-lut" },
    { "NGẬP ÚNG ĐÔ THỊ", "ngap-lut" },
    { "Lũ quét", "lu-quet-sat-lo" },
    { "Sạt lở đất", "lu-quet-sat-lo" },
    { "Flash flood", "lu-quet-sat-lo" },
    { "Flood", "ngap-lut" },
    { "Cháy rừng", "chay-rung" },
    { "Forest fire", "chay-rung" },
    { "Bão số 3", "bao" },
    { "Typhoon", "bao" },
    /* "báo" (a report) is no storm */
    { "Cảnh báo chất lượng không khí", NULL },
    { "Dịch bệnh", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (saban_scenario_area_playbook_for_event (cases[i].event), ==, cases[i].code);
  g_assert_null (saban_scenario_area_playbook_for_event (NULL));
}

static void
test_closed_ring (void)
{
  const double closed[] = { 104.0, 22.4, 104.1, 22.4, 104.1, 22.5, 104.0, 22.5, 104.0, 22.4 };
  const double line[] = { 104.0, 22.4, 104.1, 22.4, 104.0, 22.4 };
  g_autoptr(JsonNode) area = saban_scenario_area_polygon (closed, 5, NULL);
  JsonArray *ring;

  g_assert_nonnull (area);
  ring = json_array_get_array_element (json_object_get_array_member (json_node_get_object (area), "coordinates"), 0);
  /* closed once, not twice */
  g_assert_cmpuint (json_array_get_length (ring), ==, 5);
  /* two corners closed are no area */
  g_assert_null (saban_scenario_area_polygon (line, 3, NULL));
}

static void
test_centre (void)
{
  const double square[] = { 104.0, 22.4, 104.2, 22.4, 104.2, 22.6, 104.0, 22.6, 104.0, 22.4 };
  g_autoptr(JsonNode) area = saban_scenario_area_polygon (square, 5, NULL);
  g_autoptr(JsonNode) circle = saban_scenario_area_circle (103.97, 22.48, 3000, 64);
  g_autoptr(JsonNode) bad = json_from_string ("{\"type\":\"Polygon\",\"coordinates\":\"here\"}", NULL);
  double lon = 0, lat = 0;

  g_assert_true (saban_scenario_area_centre (area, &lon, &lat));
  g_assert_cmpfloat_with_epsilon (lon, 104.1, 1e-9);
  g_assert_cmpfloat_with_epsilon (lat, 22.5, 1e-9);
  g_assert_true (saban_scenario_area_centre (circle, &lon, &lat));
  g_assert_cmpfloat_with_epsilon (lon, 103.97, 1e-4);
  g_assert_cmpfloat_with_epsilon (lat, 22.48, 1e-4);
  g_assert_false (saban_scenario_area_centre (bad, &lon, &lat));
  g_assert_false (saban_scenario_area_centre (NULL, &lon, &lat));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scenario-area/playbook-for-event", test_playbook_for_event);
  g_test_add_func ("/scenario-area/closed-ring", test_closed_ring);
  g_test_add_func ("/scenario-area/centre", test_centre);
  return g_test_run ();
}
