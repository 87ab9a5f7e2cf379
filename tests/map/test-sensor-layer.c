/* SabanSensorLayer in a real SabanMapView under Xvfb: sensors drawn,
 * clustered at low zoom with the worst member's state, alone at close zoom,
 * and a burst of updates coalesced into one redraw per frame. */
#include <math.h>

#include "app-test.h"
#include "saban-map-view.h"

#define N 400

static void
wait_draws (SabanSensorLayer *layer, guint min)
{
  TEST_WAIT_UNTIL (saban_sensor_layer_get_n_draws (layer) >= min, 10);
}

static SabanSensorStore *
make_store (void)
{
  SabanSensorStore *store = saban_sensor_store_new ();
  GRand *rand = g_rand_new_with_seed (5);
  gint64 now = g_get_real_time ();

  for (guint i = 0; i < N; i++)
    {
      SabanSensor meta = { .datastream_id = i + 1, .thing_id = i + 1, .name = (char *) "Trạm",
                           .kind = 1 + i % 4, .lon = 103.8 + g_rand_double (rand) * 0.8,
                           .lat = 22.0 + g_rand_double (rand) * 0.6, .unit = (char *) "m",
                           .alert_level = 3, .danger_level = 5, .interval_s = 300 };
      saban_sensor_store_add (store, &meta);
      /* one sensor in danger, the rest normal */
      g_assert_true (saban_sensor_store_observe (store, i + 1, 1, now, i == 7 ? 6.0 : 1.0, NULL));
    }
  /* neighbours of sensor 8 for the close-up: an alert, a stale gauge, a camera */
  for (guint k = 0; k < 3; k++)
    {
      const SabanSensor *d = saban_sensor_store_get_sensor (store, 7);
      SabanSensor meta = { .datastream_id = k == 2 ? 0 : N + 1 + k, .thing_id = N + 1 + k, .name = (char *) "Gần",
                           .kind = k == 2 ? SABAN_SENSOR_KIND_CAMERA : SABAN_SENSOR_KIND_RAIN,
                           .lon = d->lon + 0.004 * (k + 1), .lat = d->lat - 0.003 * (k + 1), .unit = (char *) "mm",
                           .alert_level = 10, .danger_level = 20, .interval_s = 300 };
      saban_sensor_store_add (store, &meta);
      if (k == 0)
        g_assert_true (saban_sensor_store_observe (store, N + 1, 1, now, 12.5, NULL));
      else if (k == 1)
        g_assert_true (saban_sensor_store_observe (store, N + 2, 1, now - (gint64) 7200 * G_USEC_PER_SEC, 3, NULL));
    }
  g_rand_free (rand);
  return store;
}

static void
test_draw_and_cluster (void)
{
  g_autoptr(SabanSensorStore) store = make_store ();
  g_autoptr(SabanAlarmList) alarms = saban_alarm_list_new (store);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *map = saban_map_view_new ();
  SabanSensorLayer *layer;
  guint clusters, drawn, draws;
  const SabanSensor *danger = saban_sensor_store_get_sensor (store, 7);

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_set_child (GTK_WINDOW (window), map);
  saban_map_view_set_sensor_store (SABAN_MAP_VIEW (map), store);
  layer = saban_map_view_get_sensor_layer (SABAN_MAP_VIEW (map));
  g_assert_nonnull (layer);
  saban_map_view_center_on (SABAN_MAP_VIEW (map), 22.3, 104.2, 8);
  gtk_window_present (GTK_WINDOW (window));
  wait_draws (layer, 1);
  test_spin_ms (300);

  /* the province at zoom 8: everything is on screen, in clusters */
  drawn = saban_sensor_layer_get_n_drawn (layer, &clusters);
  g_assert_cmpuint (drawn, ==, N + 3);
  g_assert_cmpuint (clusters, >, 0);
  g_assert_cmpuint (clusters, <, N / 4);
  app_test_save_png (window, "sensor-layer-clusters.png");

  /* a burst: every sensor changes at once → one redraw */
  draws = saban_sensor_layer_get_n_draws (layer);
  for (guint i = 0; i < N; i++)
    if (i != 7)
      saban_sensor_store_observe (store, i + 1, 2, g_get_real_time (), 1.5, NULL);
  wait_draws (layer, draws + 1);
  test_spin_ms (200);
  g_assert_cmpuint (saban_sensor_layer_get_n_draws (layer) - draws, <=, 2);

  /* the danger gauge and the alert gauge pulse, in or out of their clusters */
  saban_sensor_layer_set_alarms (layer, alarms);
  g_assert_cmpuint (saban_alarm_list_get_n_active (alarms), ==, 2);
  draws = saban_sensor_layer_get_n_draws (layer);
  wait_draws (layer, draws + 3);
  g_assert_cmpuint (saban_sensor_layer_get_n_pulsing (layer), >=, 1);

  /* close to one sensor: no clusters, only what is on screen */
  saban_map_view_center_on (SABAN_MAP_VIEW (map), danger->lat, danger->lon, 13);
  draws = saban_sensor_layer_get_n_draws (layer);
  wait_draws (layer, draws + 1);
  test_spin_ms (200);
  drawn = saban_sensor_layer_get_n_drawn (layer, &clusters);
  g_assert_cmpuint (clusters, ==, 0);
  g_assert_cmpuint (drawn, >=, 1);
  g_assert_cmpuint (drawn, <, N);
  g_assert_cmpuint (saban_sensor_layer_get_n_pulsing (layer), ==, 2);
  app_test_save_png (window, "sensor-layer-close.png");

  /* quiet (issue 15): away from the alarms the rings out of view stop
   * moving and nothing is redrawn; back over them they move again */
  saban_map_view_center_on (SABAN_MAP_VIEW (map), 21.6, 105.0, 13);
  test_spin_ms (400);
  g_assert_cmpuint (saban_sensor_layer_get_n_pulsing (layer), ==, 0);
  draws = saban_sensor_layer_get_n_draws (layer);
  test_spin_ms (500);
  g_assert_cmpuint (saban_sensor_layer_get_n_draws (layer), ==, draws);
  saban_map_view_center_on (SABAN_MAP_VIEW (map), danger->lat, danger->lon, 13);
  draws = saban_sensor_layer_get_n_draws (layer);
  wait_draws (layer, draws + 4);
  g_assert_cmpuint (saban_sensor_layer_get_n_pulsing (layer), ==, 2);
  /* and once the alarms have waited their pulse time, the rings stand */
  saban_sensor_layer_set_pulse_seconds (layer, 0.5);
  test_spin_ms (900);
  draws = saban_sensor_layer_get_n_draws (layer);
  test_spin_ms (500);
  g_assert_cmpuint (saban_sensor_layer_get_n_draws (layer), ==, draws);
  g_assert_cmpuint (saban_sensor_layer_get_n_pulsing (layer), ==, 2);

  /* acknowledged: no more pulsing, and no more redraws every frame */
  for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (alarms)); k++)
    {
      g_autoptr(SabanAlarm) a = g_list_model_get_item (G_LIST_MODEL (alarms), k);
      saban_alarm_list_acknowledge (alarms, a, "trucban", NULL);
    }
  test_spin_ms (200);
  g_assert_cmpuint (saban_sensor_layer_get_n_pulsing (layer), ==, 0);
  draws = saban_sensor_layer_get_n_draws (layer);
  test_spin_ms (300);
  g_assert_cmpuint (saban_sensor_layer_get_n_draws (layer), ==, draws);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_filter_and_pick (void)
{
  g_autoptr(SabanSensorStore) store = make_store ();
  g_autoptr(SabanSensorFilter) filter = saban_sensor_filter_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *map = saban_map_view_new ();
  ShumateViewport *viewport = saban_map_view_get_viewport (SABAN_MAP_VIEW (map));
  const SabanSensor *danger = saban_sensor_store_get_sensor (store, 7);
  SabanSensorLayer *layer;
  guint sensor = 0, draws;
  double x, y, lat, lon;

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_set_child (GTK_WINDOW (window), map);
  saban_map_view_set_sensor_store (SABAN_MAP_VIEW (map), store);
  layer = saban_map_view_get_sensor_layer (SABAN_MAP_VIEW (map));
  saban_map_view_center_on (SABAN_MAP_VIEW (map), danger->lat, danger->lon, 13);
  gtk_window_present (GTK_WINDOW (window));
  wait_draws (layer, 1);
  test_spin_ms (300);

  /* the disc under the pointer is the danger gauge; beside it, nothing */
  shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (layer), danger->lat, danger->lon, &x, &y);
  g_assert_true (saban_sensor_layer_pick (layer, x + 3, y - 3, &sensor, &lat, &lon));
  g_assert_cmpuint (sensor, ==, 7);
  g_assert_cmpfloat (fabs (lat - danger->lat), <, 1e-6);
  g_assert_false (saban_sensor_layer_pick (layer, x - 40, y - 40, &sensor, &lat, &lon));

  /* only sensors in danger: one; by name without diacritics: the three "Gần" */
  saban_sensor_filter_set_state (filter, SABAN_SENSOR_STATE_NORMAL, FALSE);
  saban_sensor_filter_set_state (filter, SABAN_SENSOR_STATE_ALERT, FALSE);
  saban_sensor_filter_set_state (filter, SABAN_SENSOR_STATE_STALE, FALSE);
  saban_sensor_filter_set_state (filter, SABAN_SENSOR_STATE_UNKNOWN, FALSE);
  draws = saban_sensor_layer_get_n_draws (layer);
  saban_sensor_layer_set_filter (layer, filter);
  wait_draws (layer, draws + 1);
  g_assert_cmpuint (saban_sensor_layer_get_n_drawn (layer, NULL), ==, 1);

  g_clear_pointer (&filter, saban_sensor_filter_free);
  filter = saban_sensor_filter_new ();
  saban_sensor_filter_set_query (filter, "  GAN ");
  draws = saban_sensor_layer_get_n_draws (layer);
  saban_sensor_layer_set_filter (layer, filter);
  wait_draws (layer, draws + 1);
  g_assert_cmpuint (saban_sensor_layer_get_n_drawn (layer, NULL), ==, 3);
  g_assert_false (saban_sensor_layer_pick (layer, x, y, &sensor, &lat, &lon));

  /* no filter: at the province scale a click on a cluster finds the cluster */
  saban_sensor_layer_set_filter (layer, NULL);
  saban_map_view_center_on (SABAN_MAP_VIEW (map), danger->lat, danger->lon, 8);
  draws = saban_sensor_layer_get_n_draws (layer);
  wait_draws (layer, draws + 1);
  test_spin_ms (200);
  sensor = 0;
  for (int py = 0; py < 600 && sensor != G_MAXUINT; py += 4)
    for (int px = 0; px < 800 && sensor != G_MAXUINT; px += 4)
      if (!saban_sensor_layer_pick (layer, px, py, &sensor, &lat, &lon))
        sensor = 0;
  g_assert_cmpuint (sensor, ==, G_MAXUINT);
  g_assert_cmpfloat (fabs (lat - 22.3), <, 0.5);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* responder units: drawn where they are, moved by their Locations, one
 * redraw for a burst of moves */
static void
test_units (void)
{
  g_autoptr(SabanUnitStore) units = saban_unit_store_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *map = saban_map_view_new ();
  SabanUnitLayer *layer;
  const SabanUnit *u;
  gint64 now = g_get_real_time ();

  for (int k = 0; k < 3; k++)
    saban_unit_store_add (units, 100 + k, "Đội cứu hộ cứu nạn", "DV-001", 104.0 + 0.01 * k, 22.4, now);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_set_child (GTK_WINDOW (window), map);
  saban_map_view_set_unit_store (SABAN_MAP_VIEW (map), units);
  layer = saban_map_view_get_unit_layer (SABAN_MAP_VIEW (map));
  saban_map_view_center_on (SABAN_MAP_VIEW (map), 22.4, 104.01, 12);
  gtk_window_present (GTK_WINDOW (window));
  test_spin_ms (500);
  g_assert_cmpuint (saban_unit_layer_get_n_drawn (layer), ==, 3);

  /* a Location moves the unit off screen; a bad one moves nothing */
  g_assert_true (json_parser_load_from_data (parser,
    "{\"location\":{\"type\":\"Point\",\"coordinates\":[105.5,21.0]}}", -1, NULL));
  g_assert_true (saban_unit_store_move_json (units, 100, json_parser_get_root (parser), now + 1, &error));
  g_assert_true (json_parser_load_from_data (parser, "{\"location\":{\"type\":\"LineString\"}}", -1, NULL));
  g_assert_false (saban_unit_store_move_json (units, 101, json_parser_get_root (parser), now + 2, NULL));
  u = saban_unit_store_get_unit (units, 0);
  g_assert_cmpfloat (u->lon, ==, 105.5);
  g_assert_cmpuint (u->track->len, ==, 4);
  test_spin_ms (300);
  g_assert_cmpuint (saban_unit_layer_get_n_drawn (layer), ==, 2);
  app_test_save_png (window, "unit-layer.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sensor-layer/draw-and-cluster", test_draw_and_cluster);
  g_test_add_func ("/sensor-layer/filter-and-pick", test_filter_and_pick);
  g_test_add_func ("/sensor-layer/units", test_units);
  return g_test_run ();
}
