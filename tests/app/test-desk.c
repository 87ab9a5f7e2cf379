/* The leaders' desk in the real application, in Vietnamese, against the
 * real saban-server --demo (30 indicators × 99 communes × 24 months) and a
 * real mosquitto: signing in as the demo's leader (lanhdao) opens it, with
 * the account and role in the header bar; every tile shows the server's own
 * figure for its period; a tile makes the map a choropleth whose classes are
 * the quantiles of the server's numbers, with a ranking in the server's
 * order; the slider steps the month; a commune clicked on the map shows all
 * its indicators and its line on the chart; the situation strip counts the
 * server's open reports; one click makes the meeting report (a PDF whose
 * text names the month). Screenshots at 1366×768 and 1920×1080 are left in
 * the build directory (screenshot-desk*.png). */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "app-test.h"
#include "saban-application.h"
#include "saban-classify.h"
#include "saban-desk-tile.h"
#include "saban-desk-window.h"
#include "saban-indicator-figures.h"
#include "saban-map-transform.h"
#include "saban-series-chart.h"
#include "saban-window.h"

static TestServer *server;
static char *token;

/* the server's answer for one indicator and period: the province's figure
 * (the department's, else the aggregate) and each commune's by code */
static double
server_figures (const char *code, const SabanPeriod *period, GHashTable *by_commune)
{
  g_autofree char *p = saban_period_to_string (period);
  g_autofree char *path = g_strdup_printf ("/indicators/values?indicator=%s&from=%s&to=%s", code, p, p);
  g_autoptr(Resp) r = test_request (server, "GET", path, token, NULL, NULL, NULL);
  JsonArray *communes = json_object_get_array_member (resp_object (r), "communes");
  JsonArray *series = json_object_get_array_member (resp_object (r), "series");
  JsonObject *s;
  JsonNode *province;

  g_assert_cmpuint (r->status, ==, 200);
  if (json_array_get_length (series) == 0)
    return NAN;
  s = json_array_get_object_element (series, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "periods")), ==, 1);
  if (by_commune != NULL)
    {
      JsonArray *row = json_array_get_array_element (json_object_get_array_member (s, "values"), 0);

      for (guint c = 0; c < json_array_get_length (communes); c++)
        if (!JSON_NODE_HOLDS_NULL (json_array_get_element (row, c)))
          {
            double *v = g_new (double, 1);

            *v = json_array_get_double_element (row, c);
            g_hash_table_insert (by_commune, g_strdup (json_array_get_string_element (communes, c)), v);
          }
    }
  province = json_array_get_element (json_object_get_array_member (s, "province"), 0);
  if (!JSON_NODE_HOLDS_NULL (province))
    return json_node_get_double (province);
  return json_array_get_double_element (json_object_get_array_member (s, "aggregate"), 0);
}

static SabanDeskTile *
find_tile (SabanDeskWindow *desk, guint indicator)
{
  g_autoptr(GPtrArray) tiles = g_ptr_array_new ();

  app_test_collect (GTK_WIDGET (desk), SABAN_TYPE_DESK_TILE, NULL, tiles);
  for (guint i = 0; i < tiles->len; i++)
    if (saban_desk_tile_get_indicator (g_ptr_array_index (tiles, i)) == indicator)
      return g_ptr_array_index (tiles, i);
  g_error ("no tile for indicator %u", indicator);
}

/* Each tile's value is the server's figure for the tile's period. */
static void
check_tiles (SabanDeskWindow *desk)
{
  SabanIndicatorSet *set = saban_desk_window_get_indicators (desk);
  GDate month;
  guint checked = 0;

  saban_period_get_start (saban_desk_window_get_month (desk), &month);
  g_assert_cmpuint (saban_indicator_set_get_n_indicators (set), ==, 30);
  for (guint i = 0; i < saban_indicator_set_get_n_indicators (set); i++)
    {
      const SabanIndicator *def = saban_indicator_set_get_indicator (set, i);
      gboolean earlier;
      SabanPeriod period = saban_indicator_figures_period (set, i, &month, &earlier);
      double expected = server_figures (def->code, &period, NULL);
      g_autofree char *text = saban_indicator_format_value (expected, def->unit);
      SabanDeskTile *tile = find_tile (desk, i);

      if (!app_test_has_label (GTK_WIDGET (tile), text))
        {
          g_autoptr(GPtrArray) labels = g_ptr_array_new ();

          app_test_collect (GTK_WIDGET (tile), GTK_TYPE_LABEL, NULL, labels);
          for (guint k = 0; k < labels->len; k++)
            g_test_message ("tile label: %s", gtk_label_get_text (g_ptr_array_index (labels, k)));
          g_error ("tile %s does not show the server's %s for %s", def->code, text, saban_period_to_string (&period));
        }
      g_assert_true (app_test_has_label (GTK_WIDGET (tile), def->name));
      checked += !isnan (expected);
    }
  /* the demo's late indicators still show their latest month */
  g_assert_cmpuint (checked, ==, 30);
}

static SabanLayer *
desk_communes (SabanDeskWindow *desk)
{
  SabanLayerModel *model = saban_map_view_get_layers (saban_desk_window_get_map_view (desk));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  return g_list_model_get_item (G_LIST_MODEL (model), 0);
}

static gboolean
same_colour (const GdkRGBA *a, const GdkRGBA *b)
{
  return (a == NULL) == (b == NULL) && (a == NULL || gdk_rgba_equal (a, b));
}

/* Every ranking row on screen ("k.", a name, a value) names the k-th
 * commune of @order: a switch refills the rows in place, none stale.
 * Returns: the rows checked */
static guint
ranking_rows_follow (SabanDeskWindow *desk, GArray *order)
{
  SabanIndicatorSet *set = saban_desk_window_get_indicators (desk);
  g_autoptr(GPtrArray) views = g_ptr_array_new ();
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  guint rows = 0;

  /* the ranking's list, not the months' drop-down's */
  app_test_collect (GTK_WIDGET (desk), GTK_TYPE_LIST_VIEW, NULL, views);
  for (guint v = 0; v < views->len; v++)
    if (gtk_widget_has_css_class (g_ptr_array_index (views, v), "ranking"))
      app_test_collect (g_ptr_array_index (views, v), GTK_TYPE_LABEL, NULL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      const char *text = gtk_label_get_text (g_ptr_array_index (labels, i));
      GtkWidget *name = gtk_widget_get_next_sibling (g_ptr_array_index (labels, i));
      char *end;
      guint64 k = g_ascii_strtoull (text, &end, 10);

      if (k == 0 || g_strcmp0 (end, ".") != 0 || name == NULL || !gtk_widget_get_mapped (name))
        continue;
      g_assert_cmpuint (k, <=, order->len);
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (name)), ==,
                       saban_indicator_set_get_commune (set, g_array_index (order, guint, k - 1))->name);
      rows++;
    }
  return rows;
}

/* The choropleth's classes are the quantiles of the server's numbers: two
 * communes share a colour exactly when they share a class (as many colours
 * as classes); the ranking runs in the server's order. */
static void
check_choropleth (SabanDeskWindow *desk, guint indicator)
{
  SabanIndicatorSet *set = saban_desk_window_get_indicators (desk);
  const SabanIndicator *def = saban_indicator_set_get_indicator (set, indicator);
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(SabanLayer) layer = desk_communes (desk);
  SabanVectorLayer *vector = saban_layer_get_vector (layer);
  SabanChoroplethLayer *fill = saban_map_view_get_choropleth (saban_desk_window_get_map_view (desk));
  const SabanAttributeTable *table = saban_vector_layer_get_attributes (vector);
  int code = saban_attribute_table_find_field (table, "code");
  guint32 n = saban_vector_layer_get_n_features (vector);
  g_autofree double *v = g_new (double, n);
  g_autofree int *cls = g_new (int, n);
  g_autoptr(GArray) breaks = NULL;
  SabanPeriod period;
  GDate month;
  gboolean earlier;
  double best = def->higher_is_better ? -INFINITY : INFINITY;
  g_autofree char *best_code = NULL;

  saban_period_get_start (saban_desk_window_get_month (desk), &month);
  period = saban_indicator_figures_period (set, indicator, &month, &earlier);
  server_figures (def->code, &period, values);
  g_assert_cmpuint (g_hash_table_size (values), ==, 99);
  for (guint32 f = 0; f < n; f++)
    {
      g_autofree char *c = saban_attribute_table_format (table, code, f);
      double *x = g_hash_table_lookup (values, c);

      v[f] = x != NULL ? *x : NAN;
      if (x != NULL && (def->higher_is_better ? *x > best : *x < best))
        {
          best = *x;
          g_free (best_code);
          best_code = g_strdup (c);
        }
    }
  breaks = saban_classify (v, n, 5, SABAN_CLASSIFY_QUANTILE);
  g_assert_true (saban_choropleth_layer_get_areas (fill) == vector);
  for (guint32 f = 0; f < n; f++)
    {
      int k = 0;

      while (k + 1 < (int) breaks->len && v[f] > g_array_index (breaks, double, k))
        k++;
      cls[f] = isnan (v[f]) ? -1 : k;
    }
  for (guint32 a = 0; a < n; a++)
    for (guint32 b = a + 1; b < n; b++)
      {
        gboolean same = same_colour (saban_choropleth_layer_get_color (fill, a), saban_choropleth_layer_get_color (fill, b));

        if (same != (cls[a] == cls[b]))
          g_error ("features %u and %u: classes %d and %d, colours %s", a, b, cls[a], cls[b], same ? "same" : "differ");
      }
  /* the legend names the unit; the ranking starts with the best commune */
  {
    g_autofree char *unit = g_strdup_printf ("Đơn vị: %s", def->unit);
    guint commune;

    g_assert_true (app_test_has_label (GTK_WIDGET (desk), unit));
    g_assert_nonnull (best_code);
    g_assert_true (saban_indicator_set_find_commune (set, best_code, &commune));
    {
      g_autoptr(GArray) order = saban_indicator_set_rank (set, indicator, &period);

      g_assert_cmpuint (order->len, ==, 99);
      g_assert_cmpuint (g_array_index (order, guint, 0), ==, commune);
      g_assert_true (app_test_has_label (GTK_WIDGET (desk), saban_indicator_set_get_commune (set, commune)->name));
      TEST_WAIT_UNTIL (ranking_rows_follow (desk, order) >= 5, 10);
    }
  }
}

/* The desk's picture at each commune's centre (of its box, through the
 * choropleth's own transform), G_MAXUINT64 where it is off the map. */
static void
pixels_at_centres (SabanDeskWindow *desk, guint64 *out)
{
  GtkWidget *fill = GTK_WIDGET (saban_map_view_get_choropleth (saban_desk_window_get_map_view (desk)));
  g_autoptr(SabanLayer) layer = desk_communes (desk);
  const SabanFeatureArrays *a = saban_vector_layer_get_arrays (saban_layer_get_vector (layer));
  g_autoptr(GdkTexture) picture = app_test_render (GTK_WIDGET (desk), NULL);
  int width = gdk_texture_get_width (picture), height = gdk_texture_get_height (picture);
  g_autofree guint32 *pixels = g_new (guint32, (gsize) width * height);
  SabanMapTransform t;

  gdk_texture_download (picture, (guchar *) pixels, (gsize) width * 4);
  g_assert_true (saban_map_transform_init (&t, shumate_layer_get_viewport (SHUMATE_LAYER (fill)), fill));
  for (guint32 f = 0; f < a->n_features; f++)
    {
      const double *box = a->boxes + 4 * (gsize) f;
      graphene_point_t at;
      double x, y;

      out[f] = G_MAXUINT64;
      saban_map_transform_apply (&t, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2, &x, &y);
      if (x < 0 || y < 0 || x >= gtk_widget_get_width (fill) || y >= gtk_widget_get_height (fill) ||
          !gtk_widget_compute_point (fill, GTK_WIDGET (desk), &GRAPHENE_POINT_INIT (x, y), &at) ||
          at.x < 0 || at.y < 0 || at.x >= width || at.y >= height)
        continue;
      out[f] = pixels[(gsize) at.y * width + (gsize) at.x];
    }
}

/* each commune's fill, alpha -1 where it has none */
static void
fills (SabanDeskWindow *desk, guint32 n, GdkRGBA *out)
{
  SabanChoroplethLayer *fill = saban_map_view_get_choropleth (saban_desk_window_get_map_view (desk));

  for (guint32 f = 0; f < n; f++)
    {
      const GdkRGBA *c = saban_choropleth_layer_get_color (fill, f);

      out[f] = c != NULL ? *c : (GdkRGBA) { 0, 0, 0, -1 };
    }
}

static void
show_indicator (SabanDeskWindow *desk, guint indicator)
{
  saban_desk_window_select_indicator (desk, (int) indicator);
  TEST_WAIT_UNTIL (!saban_map_view_get_busy (saban_desk_window_get_map_view (desk)), 30);
}

/* A switch repaints the map in the new colours, not the last frame's: at
 * the communes whose class it changes the window's pixels change, where it
 * keeps the class they stay, and switching back brings the first picture
 * back. (A centre can fall on a name or outside a concave commune: most,
 * not all.) */
static void
check_switch_repaints (SabanDeskWindow *desk, guint from, guint to)
{
  g_autoptr(SabanLayer) layer = desk_communes (desk);
  guint32 n = saban_vector_layer_get_n_features (saban_layer_get_vector (layer));
  g_autofree guint64 *before = g_new (guint64, n), *after = g_new (guint64, n), *back = g_new (guint64, n);
  g_autofree GdkRGBA *fill_before = g_new (GdkRGBA, n), *fill_after = g_new (GdkRGBA, n);
  guint changed = 0, repainted = 0, kept = 0, kept_same = 0, seen = 0, restored = 0;

  show_indicator (desk, from);
  fills (desk, n, fill_before);
  pixels_at_centres (desk, before);
  show_indicator (desk, to);
  fills (desk, n, fill_after);
  pixels_at_centres (desk, after);
  show_indicator (desk, from);
  pixels_at_centres (desk, back);
  for (guint32 f = 0; f < n; f++)
    {
      if (before[f] == G_MAXUINT64 || after[f] == G_MAXUINT64)
        continue;
      seen++;
      restored += back[f] == before[f];
      if (gdk_rgba_equal (&fill_before[f], &fill_after[f]))
        {
          kept++;
          kept_same += after[f] == before[f];
        }
      else
        {
          changed++;
          repainted += after[f] != before[f];
        }
    }
  g_test_message ("switch %u → %u: %u of %u communes changed class, %u repainted; %u of %u kept theirs; "
                  "%u of %u back", from, to, changed, seen, repainted, kept_same, kept, restored, seen);
  g_assert_cmpuint (seen, >=, 90);
  g_assert_cmpuint (changed, >=, 20);
  g_assert_cmpuint (repainted * 10, >=, changed * 8);
  g_assert_cmpuint (kept_same * 10, >=, kept * 8);
  g_assert_cmpuint (restored * 10, >=, seen * 9);
}

/* a click on the map's feature, through the view's own signal */
static void
click_commune (SabanDeskWindow *desk, guint32 feature)
{
  g_autoptr(SabanLayer) layer = desk_communes (desk);

  g_signal_emit_by_name (saban_desk_window_get_map_view (desk), "feature-activated", saban_layer_get_vector (layer),
                         (gint64) feature);
}

static guint
server_open_reports (void)
{
  g_autoptr(Resp) r = test_request (server, "GET", "/open311/v2/requests.json?status=open", NULL, NULL, NULL, NULL);

  return json_array_get_length (json_node_get_array (r->json));
}

static void
check_report (SabanDeskWindow *desk)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "bao-cao.pdf", NULL);
  g_autoptr(GFile) pdf = g_file_new_for_path (path);
  g_autofree char *bytes = NULL;
  gsize length;

  saban_desk_window_make_report (desk, pdf);
  g_assert_true (saban_desk_window_get_report_busy (desk));
  TEST_WAIT_UNTIL (!saban_desk_window_get_report_busy (desk), 60);
  g_assert_true (g_file_get_contents (path, &bytes, &length, NULL));
  g_assert_true (g_str_has_prefix (bytes, "%PDF"));
  TEST_WAIT_UNTIL (app_test_has_label_containing (GTK_WIDGET (desk), "bao-cao.pdf"), 10);
  {
    const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };
    g_autofree char *text = NULL;
    const SabanPeriod *month = saban_desk_window_get_month (desk);
    g_autofree char *expected = g_strdup_printf ("tháng %d năm %d", month->ordinal % 12 + 1, month->ordinal / 12);

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                       &text, NULL, NULL, NULL))
      {
        g_test_message ("pdftotext is not installed: the report's text is not read");
        return;
      }
    g_assert_nonnull (strstr (text, "BÁO CÁO"));
    g_assert_nonnull (strstr (text, expected));
  }
}

static void
test_desk (void)
{
  g_autoptr(SabanApplication) app = NULL;
  AppTestBackend *backend = app_test_backend_start ("desk.db");
  SabanDeskWindow *desk;
  SabanIndicatorSet *set;
  guint indicator = 0;

  if (backend == NULL)
    {
      g_test_skip ("mosquitto is not installed");
      return;
    }
  server = backend->server;
  token = test_login (server, "lanhdao");

  /* the application as the leader starts it: the desk opens by itself */
  app_test_backend_setenv (backend, TRUE, "lanhdao");
  app = saban_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_activate (G_APPLICATION (app));
  TEST_WAIT_UNTIL (app_test_find_toplevel (SABAN_TYPE_DESK_WINDOW) != NULL, 60);
  desk = SABAN_DESK_WINDOW (app_test_find_toplevel (SABAN_TYPE_DESK_WINDOW));
  TEST_WAIT_UNTIL (saban_desk_window_get_ready (desk), 60);
  TEST_WAIT_UNTIL (app_test_has_label (GTK_WIDGET (desk), "lanhdao · Lãnh đạo"), 30);
  set = saban_desk_window_get_indicators (desk);
  check_tiles (desk);

  /* a tile: the map by commune, once the operations map has the communes */
  TEST_WAIT_UNTIL (saban_map_view_get_layers (saban_desk_window_get_map_view (desk)) != NULL &&
                   g_list_model_get_n_items (G_LIST_MODEL (saban_map_view_get_layers (
                     saban_desk_window_get_map_view (desk)))) == 1, 60);
  while (saban_indicator_set_get_indicator (set, indicator)->aggregate == SABAN_AGGREGATE_SUM ||
         g_strcmp0 (saban_indicator_set_get_indicator (set, indicator)->unit, "%") != 0)
    indicator++;
  /* no empty white box where the ranking will be: a line that says what to do */
  g_assert_true (app_test_shows_label_containing (GTK_WIDGET (desk), "Chọn một chỉ tiêu để xếp hạng"));
  saban_desk_window_select_indicator (desk, (int) indicator);
  g_assert_false (app_test_shows_label_containing (GTK_WIDGET (desk), "Chọn một chỉ tiêu để xếp hạng"));
  check_choropleth (desk, indicator);
  gtk_window_set_default_size (GTK_WINDOW (desk), 1920, 1080);
  TEST_WAIT_UNTIL (!saban_map_view_get_busy (saban_desk_window_get_map_view (desk)), 30);
  app_test_save_png (GTK_WIDGET (desk), "screenshot-desk.png");
  check_switch_repaints (desk, indicator, (indicator + 1) % saban_indicator_set_get_n_indicators (set));

  /* the slider: a month back, every figure with it */
  {
    SabanPeriod before = saban_period_offset (saban_desk_window_get_month (desk), -1);
    GtkAdjustment *adjustment = gtk_range_get_adjustment (GTK_RANGE (app_test_find (GTK_WIDGET (desk), GTK_TYPE_SCALE,
                                                                                  NULL)));
    g_autofree char *name = saban_period_format (&before);

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) - 1);
    g_assert_cmpint (saban_desk_window_get_month (desk)->ordinal, ==, before.ordinal);
    g_assert_true (app_test_has_label (GTK_WIDGET (desk), name));
    check_tiles (desk);
    check_choropleth (desk, indicator);
  }

  /* a commune on the map: its indicators, its line on the chart */
  {
    SabanSeriesChart *chart = app_test_find (GTK_WIDGET (desk), SABAN_TYPE_SERIES_CHART, "chart");

    g_assert_cmpuint (saban_series_chart_get_n_points (chart, 1), ==, 0);
    click_commune (desk, 5);
    g_assert_cmpuint (saban_series_chart_get_n_points (chart, 0), >=, 12);
    g_assert_cmpuint (saban_series_chart_get_n_points (chart, 1), >=, 12);
    g_assert_true (app_test_has_label_containing (GTK_WIDGET (desk), "tất cả chỉ tiêu"));
  }

  /* the strip: the server's open reports */
  {
    g_autofree char *open = g_strdup_printf ("%u phản ánh chưa xử lý xong", server_open_reports ());

    TEST_WAIT_UNTIL (app_test_has_label (GTK_WIDGET (desk), open), 60);
  }

  gtk_window_set_default_size (GTK_WINDOW (desk), 1366, 768);
  test_spin_ms (300);
  TEST_WAIT_UNTIL (!saban_map_view_get_busy (saban_desk_window_get_map_view (desk)), 30);
  app_test_save_png (GTK_WIDGET (desk), "screenshot-desk-1366.png");

  check_report (desk);

  gtk_window_destroy (GTK_WINDOW (desk));
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = gtk_application_get_windows (
         GTK_APPLICATION (app)))
    gtk_window_destroy (l->data);
  app_test_backend_free (backend);
  g_free (token);
}

int
main (int argc, char *argv[])
{
  app_test_init (&argc, &argv);
  /* the simulator's alarms' desktop notifications find no notification
   * service on the test bus: GIO warns, which is not a failure here */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/app/desk", test_desk);
  return g_test_run ();
}
