/* The main window in Vietnamese on the demo province, and a bad file that
 * changes nothing but a message. */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "app-test.h"
#include "saban-attribute-table-window.h"
#include "saban-layer-row.h"
#include "saban-map-view.h"
#include "saban-preferences-window.h"
#include "saban-resources.h"
#include "saban-style-dialog.h"
#include "saban-window.h"

/* what a row shows: its layer's data and style */
static SabanVectorLayer *
row_vector (gpointer row)
{
  return saban_layer_get_vector (saban_layer_row_get_layer (row));
}

static SabanLayerStyle *
row_style (gpointer row)
{
  return saban_layer_get_style (saban_layer_row_get_layer (row));
}

static void
wait_loaded (SabanWindow *window)
{
  TEST_WAIT_UNTIL (!saban_window_get_loading (window), 60);
}

/* A window with the demo province loaded, as users first see it. */
static SabanWindow *
demo_window (void)
{
  SabanWindow *window = saban_window_new (NULL, NULL);
  g_autoptr(GFile) demo = g_file_new_for_path (g_getenv ("SABAN_DEMO_DATA"));

  saban_window_open_demo (window, demo);
  gtk_window_present (GTK_WINDOW (window));
  wait_loaded (window);
  return window;
}

static GPtrArray *
row_titles (SabanWindow *window)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GPtrArray *titles = g_ptr_array_new ();

  app_test_collect (GTK_WIDGET (window), ADW_TYPE_PREFERENCES_ROW, NULL, rows);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (titles, (gpointer) adw_preferences_row_get_title (g_ptr_array_index (rows, i)));
  return titles;
}

static gboolean
contains (GPtrArray  *strings,
          const char *text)
{
  for (guint i = 0; i < strings->len; i++)
    if (g_strcmp0 (g_ptr_array_index (strings, i), text) == 0)
      return TRUE;
  return FALSE;
}

static void
test_vietnamese_demo (void)
{
  SabanWindow *window = demo_window ();
  g_autoptr(GPtrArray) titles = NULL;
  g_autoptr(GPtrArray) window_titles = g_ptr_array_new ();


  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Sa Bàn");
  app_test_collect (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE, NULL, window_titles);
  g_assert_cmpuint (window_titles->len, ==, 1);
  g_assert_cmpstr (adw_window_title_get_subtitle (g_ptr_array_index (window_titles, 0)), ==,
                   "Lào Cai (dữ liệu minh họa)");
  g_assert_true (app_test_has_label (GTK_WIDGET (window), "Lớp bản đồ"));

  titles = row_titles (window);
  g_assert_cmpuint (titles->len, >=, 12);
  g_assert_true (contains (titles, "Ranh giới tỉnh"));
  g_assert_true (contains (titles, "Xã, phường"));
  g_assert_true (contains (titles, "Quy hoạch sử dụng đất"));
  g_assert_true (contains (titles, "Trạm quan trắc IoT"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A feature picked on the map opens the inspector, in Vietnamese, with the
 * commune's attributes and its area. */
static void
test_inspector (void)
{
  SabanWindow *window = demo_window ();
  g_autoptr(GPtrArray) views = g_ptr_array_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) revealers = g_ptr_array_new ();
  SabanVectorLayer *communes = NULL;


  app_test_collect (GTK_WIDGET (window), SABAN_TYPE_MAP_VIEW, NULL, views);
  app_test_collect (GTK_WIDGET (window), SABAN_TYPE_LAYER_ROW, NULL, rows);
  app_test_collect (GTK_WIDGET (window), GTK_TYPE_REVEALER, NULL, revealers);
  g_assert_cmpuint (views->len, ==, 1);
  for (guint i = 0; i < rows->len; i++)
    {
      SabanVectorLayer *layer = row_vector (g_ptr_array_index (rows, i));
      if (g_str_equal (saban_vector_layer_get_name (layer), "communes"))
        communes = layer;
    }
  g_assert_nonnull (communes);

  g_signal_emit_by_name (g_ptr_array_index (views, 0), "feature-activated", communes, (gint64) 0);
  g_assert_true (gtk_revealer_get_reveal_child (g_ptr_array_index (revealers, 0)));
  g_assert_true (app_test_has_label (GTK_WIDGET (window), "Thuộc tính"));
  g_assert_true (app_test_has_label (GTK_WIDGET (window), "Dân số"));
  g_assert_true (app_test_has_label (GTK_WIDGET (window), "Diện tích"));
  g_assert_true (app_test_has_label_containing (GTK_WIDGET (window), " ha ("));
  g_assert_true (app_test_has_label_containing (GTK_WIDGET (window), "VN-2000 / TM-3"));
  /* its source by the names people use (issue 15): the layer's title and
   * the file's name, never a folder or the table's internal name */
  g_assert_true (app_test_has_label (GTK_WIDGET (window), "Tệp GeoPackage “lao-cai-demo.gpkg”"));
  g_assert_true (app_test_has_label (GTK_WIDGET (window), "Xã, phường"));
  g_assert_false (app_test_has_label_containing (GTK_WIDGET (window), "/lao-cai-demo.gpkg"));
  g_assert_false (app_test_has_label (GTK_WIDGET (window), "communes"));

  /* A miss closes it. */
  g_signal_emit_by_name (g_ptr_array_index (views, 0), "feature-activated", NULL, (gint64) -1);
  g_assert_false (gtk_revealer_get_reveal_child (g_ptr_array_index (revealers, 0)));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The communes' attribute table lists all 99, and filters without
 * diacritics. */
static void
test_attribute_table (void)
{
  SabanWindow *window = demo_window ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  GtkWidget *table = NULL;


  app_test_collect (GTK_WIDGET (window), SABAN_TYPE_LAYER_ROW, NULL, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (saban_vector_layer_get_name (row_vector (g_ptr_array_index (rows, i))), "communes"))
      g_signal_emit_by_name (g_ptr_array_index (rows, i), "action", "attributes");

  table = app_test_find_toplevel (SABAN_TYPE_ATTRIBUTE_TABLE_WINDOW);
  g_assert_nonnull (table);
  TEST_WAIT_UNTIL (app_test_has_label (table, "99 / 99 dòng"), 20);

  app_test_collect (table, GTK_TYPE_SEARCH_ENTRY, NULL, entries);
  /* The first is the filter; the sort drop-down holds one of its own. */
  g_assert_cmpuint (entries->len, >=, 1);
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 0)), "bat xat");
  TEST_WAIT_UNTIL (app_test_has_label (table, "1 / 99 dòng"), 20);

  gtk_window_destroy (GTK_WINDOW (table));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A saved arrangement comes back: only its layers, as shown or hidden and as
 * opaque as they were, and the view. */
static void
test_workspace (void)
{
  SabanWindow *window = saban_window_new (NULL, NULL);
  const char *demo = g_getenv ("SABAN_DEMO_DATA");
  g_autoptr(SabanWorkspace) saved = saban_workspace_new ();
  g_autoptr(SabanWorkspace) again = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  double lat, lon, zoom;

  saban_workspace_add_layer (saved, demo, "zoning", TRUE, 0.5);
  saban_workspace_add_layer (saved, demo, "communes", FALSE, 1);
  saban_workspace_add_layer (saved, demo, "province", TRUE, 1);
  saban_workspace_set_view (saved, 22.3, 104.0, 11);

  saban_window_restore_workspace (window, saved);
  gtk_window_present (GTK_WINDOW (window));
  wait_loaded (window);

  app_test_collect (GTK_WIDGET (window), SABAN_TYPE_LAYER_ROW, NULL, rows);
  g_assert_cmpuint (rows->len, ==, 3);
  for (guint i = 0; i < rows->len; i++)
    {
      SabanVectorLayer *layer = row_vector (g_ptr_array_index (rows, i));
      SabanLayer *item = saban_layer_row_get_layer (g_ptr_array_index (rows, i));
      gboolean visible = saban_layer_get_visible (item);
      double opacity = saban_layer_get_opacity (item);

      g_assert_cmpint (visible, ==, !g_str_equal (saban_vector_layer_get_name (layer), "communes"));
      g_assert_cmpfloat (opacity, ==, g_str_equal (saban_vector_layer_get_name (layer), "zoning") ? 0.5 : 1);
    }

  again = saban_window_dup_workspace (window);
  g_assert_cmpuint (saban_workspace_get_n_layers (again), ==, 3);
  g_assert_cmpstr (saban_workspace_get_layer (again, 0)->layer, ==, "zoning");
  g_assert_true (saban_workspace_get_view (again, &lat, &lon, &zoom));
  g_assert_cmpfloat (fabs (lat - 22.3), <, 1e-3);
  g_assert_cmpfloat (fabs (lon - 104.0), <, 1e-3);
  g_assert_cmpfloat (fabs (zoom - 11), <, 1e-3);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The style dialog turns the communes into a choropleth of population with a
 * five-class legend, off the main thread. */
static void
test_style_dialog (void)
{
  SabanWindow *window = demo_window ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  SabanLayerRow *communes = NULL;
  SabanStyleDialog *dialog = NULL;
  g_autoptr(GPtrArray) combos = g_ptr_array_new ();
  SabanLayerStyle *before;


  app_test_collect (GTK_WIDGET (window), SABAN_TYPE_LAYER_ROW, NULL, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (saban_vector_layer_get_name (row_vector (g_ptr_array_index (rows, i))), "communes"))
      communes = g_ptr_array_index (rows, i);
  g_assert_nonnull (communes);
  before = row_style (communes);
  g_signal_emit_by_name (communes, "action", "style");

  dialog = SABAN_STYLE_DIALOG (app_test_find_toplevel (SABAN_TYPE_STYLE_DIALOG));
  g_assert_nonnull (dialog);

  /* Kind, field, classification, label: in the dialog's order. */
  app_test_collect (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW, NULL, combos);
  g_assert_cmpuint (combos->len, ==, 4);
  adw_combo_row_set_selected (g_ptr_array_index (combos, 0), SABAN_STYLE_GRADUATED);
  for (guint i = 0; i < g_list_model_get_n_items (adw_combo_row_get_model (g_ptr_array_index (combos, 1))); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (adw_combo_row_get_model (g_ptr_array_index (combos, 1)), i);
      if (g_str_equal (gtk_string_object_get_string (item), "Dân số"))
        adw_combo_row_set_selected (g_ptr_array_index (combos, 1), i);
    }
  adw_combo_row_set_selected (g_ptr_array_index (combos, 2), SABAN_CLASSIFY_NATURAL_BREAKS);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "style.apply", NULL);

  TEST_WAIT_UNTIL (row_style (communes) != before, 20);
  g_assert_true (row_style (communes) != before);
  g_assert_cmpint (saban_layer_style_get_kind (row_style (communes)), ==, SABAN_STYLE_GRADUATED);
  g_assert_cmpuint (saban_layer_style_get_n_legend_items (row_style (communes)), ==, 5);
  g_assert_true (saban_layer_style_is_custom (row_style (communes)));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Colour by category with a label field (issue 11: a hash-table key was
 * freed twice here): the zoning layer by land use, labelled by its code,
 * drawn with its labels, then styled again. */
static void
test_style_categorized_labels (void)
{
  SabanWindow *window = demo_window ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  SabanLayerRow *zoning = NULL;

  app_test_collect (GTK_WIDGET (window), SABAN_TYPE_LAYER_ROW, NULL, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (saban_vector_layer_get_name (row_vector (g_ptr_array_index (rows, i))), "zoning"))
      zoning = g_ptr_array_index (rows, i);
  g_assert_nonnull (zoning);
  for (guint round = 0; round < 2; round++)
    {
      SabanLayerStyle *before = row_style (zoning);
      g_autoptr(GPtrArray) combos = g_ptr_array_new ();
      SabanStyleDialog *dialog;
      GListModel *labels;

      g_signal_emit_by_name (zoning, "action", "style");
      dialog = SABAN_STYLE_DIALOG (app_test_find_toplevel (SABAN_TYPE_STYLE_DIALOG));
      g_assert_nonnull (dialog);
      app_test_collect (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW, NULL, combos);
      adw_combo_row_set_selected (g_ptr_array_index (combos, 0), SABAN_STYLE_CATEGORIZED);
      labels = adw_combo_row_get_model (g_ptr_array_index (combos, 3));
      g_assert_cmpuint (g_list_model_get_n_items (labels), >, 1);
      adw_combo_row_set_selected (g_ptr_array_index (combos, 3), 1 + round % (g_list_model_get_n_items (labels) - 1));
      gtk_widget_activate_action (GTK_WIDGET (dialog), "style.apply", NULL);
      TEST_WAIT_UNTIL (row_style (zoning) != before, 20);
      g_assert_cmpint (saban_layer_style_get_kind (row_style (zoning)), ==, SABAN_STYLE_CATEGORIZED);
      g_assert_nonnull (saban_layer_style_get_label_field (row_style (zoning)));
      g_assert_cmpuint (saban_layer_style_get_n_legend_items (row_style (zoning)), >, 1);
      test_spin_ms (500);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A CSV without a CRS asks which; answering opens it in that CRS. */
static void
test_asks_crs (void)
{
  SabanWindow *window = saban_window_new (NULL, NULL);
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "tram.csv", NULL);
  g_autoptr(GFile) csv = g_file_new_for_path (path);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  AdwMessageDialog *dialog = NULL;

  g_assert_true (g_file_set_contents (path, "ten,lon,lat\nTrạm Lào Cai,103.97512,22.48123\n", -1, NULL));
  gtk_window_present (GTK_WINDOW (window));
  saban_window_open_file (window, csv);
  wait_loaded (window);

  dialog = ADW_MESSAGE_DIALOG (app_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Hệ tọa độ nào?");
  /* WGS 84 is the catalogue's last entry. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (adw_message_dialog_get_extra_child (dialog)),
                              g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (adw_message_dialog_get_extra_child (dialog)))) - 1);
  adw_message_dialog_response (dialog, "open");
  wait_loaded (window);

  app_test_collect (GTK_WIDGET (window), SABAN_TYPE_LAYER_ROW, NULL, rows);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (saban_vector_layer_get_source_crs (row_vector (g_ptr_array_index (rows, 0))), ==, "EPSG:4326");

  /* the answer is remembered: the workspace opens the file again without asking */
  {
    g_autoptr(SabanWorkspace) ws = saban_window_dup_workspace (window);
    SabanWindow *again = saban_window_new (NULL, NULL);
    g_autoptr(GPtrArray) again_rows = g_ptr_array_new ();

    gtk_window_destroy (GTK_WINDOW (window));
    g_assert_cmpstr (saban_workspace_get_source_crs (ws, path), ==, "EPSG:4326");
    gtk_window_present (GTK_WINDOW (again));
    saban_window_restore_workspace (again, ws);
    wait_loaded (again);
    g_assert_null (app_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
    app_test_collect (GTK_WIDGET (again), SABAN_TYPE_LAYER_ROW, NULL, again_rows);
    g_assert_cmpuint (again_rows->len, ==, 1);
    g_assert_cmpstr (saban_vector_layer_get_source_crs (row_vector (g_ptr_array_index (again_rows, 0))),
                     ==, "EPSG:4326");
    gtk_window_destroy (GTK_WINDOW (again));
  }
}

static SabanLayerRow *
find_row (SabanWindow *window,
          const char  *name)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  app_test_collect (GTK_WIDGET (window), SABAN_TYPE_LAYER_ROW, NULL, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (saban_vector_layer_get_name (row_vector (g_ptr_array_index (rows, i))), name))
      return g_ptr_array_index (rows, i);
  return NULL;
}

/* Reloading a source brings its layers back as they were shown. */
static void
test_reload_keeps_arrangement (void)
{
  SabanWindow *window = demo_window ();
  g_autoptr(GPtrArray) before = g_ptr_array_new ();
  g_autoptr(GPtrArray) after = g_ptr_array_new ();
  SabanLayerRow *row;
  SabanVectorLayer *old_layer;
  gboolean visible;

  app_test_collect (GTK_WIDGET (window), SABAN_TYPE_LAYER_ROW, NULL, before);

  row = find_row (window, "communes");
  old_layer = row_vector (row);
  /* the user unticks the row: the layer it shows follows */
  gtk_check_button_set_active (app_test_find (GTK_WIDGET (row), GTK_TYPE_CHECK_BUTTON, NULL), FALSE);
  g_assert_false (saban_layer_get_visible (saban_layer_row_get_layer (row)));
  saban_layer_set_custom_title (saban_layer_row_get_layer (row), "Ranh giới xã 2025");
  g_signal_emit_by_name (row, "action", "refresh");
  wait_loaded (window);

  app_test_collect (GTK_WIDGET (window), SABAN_TYPE_LAYER_ROW, NULL, after);
  g_assert_cmpuint (after->len, ==, before->len);
  row = find_row (window, "communes");
  g_assert_true (row_vector (row) != old_layer);
  visible = gtk_check_button_get_active (app_test_find (GTK_WIDGET (row), GTK_TYPE_CHECK_BUTTON, NULL));
  g_assert_false (visible);
  g_assert_false (saban_layer_get_visible (saban_layer_row_get_layer (row)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Ranh giới xã 2025");
  gtk_window_destroy (GTK_WINDOW (window));
}


/* A GeoPackage of many layers asks which to add; only those are added. */
static void
test_pick_layers (void)
{
  SabanWindow *window = saban_window_new (NULL, NULL);
  g_autoptr(GFile) demo = g_file_new_for_path (g_getenv ("SABAN_DEMO_DATA"));
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  AdwMessageDialog *dialog;

  gtk_window_present (GTK_WINDOW (window));
  saban_window_open_file (window, demo);
  wait_loaded (window);
  dialog = ADW_MESSAGE_DIALOG (app_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Chọn lớp");

  app_test_collect (adw_message_dialog_get_extra_child (dialog), GTK_TYPE_CHECK_BUTTON, NULL, checks);
  /* every layer with geometry: the planning tables have none */
  g_assert_cmpuint (checks->len, ==, 13);
  for (guint i = 0; i < checks->len; i++)
    {
      const char *name = gtk_check_button_get_label (g_ptr_array_index (checks, i));
      gtk_check_button_set_active (g_ptr_array_index (checks, i),
                                   g_str_equal (name, "communes") || g_str_equal (name, "rivers"));
    }
  adw_message_dialog_response (dialog, "open");
  wait_loaded (window);

  app_test_collect (GTK_WIDGET (window), SABAN_TYPE_LAYER_ROW, NULL, rows);
  g_assert_cmpuint (rows->len, ==, 2);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Stopping a read leaves the map as it was and says so. */
static void
test_cancel_loading (void)
{
  SabanWindow *window = saban_window_new (NULL, NULL);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  gtk_window_present (GTK_WINDOW (window));
  saban_window_open_source (window, g_getenv ("SABAN_DEMO_DATA"));
  g_assert_true (saban_window_get_loading (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-loading", NULL);
  wait_loaded (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  app_test_collect (GTK_WIDGET (window), SABAN_TYPE_LAYER_ROW, NULL, rows);
  g_assert_cmpuint (rows->len, ==, 0);
  g_assert_true (app_test_has_label (GTK_WIDGET (window), "Đã dừng tải dữ liệu"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static int
workspace_index (SabanWorkspace *workspace,
                 const char     *name)
{
  for (guint i = 0; i < saban_workspace_get_n_layers (workspace); i++)
    if (g_str_equal (saban_workspace_get_layer (workspace, i)->layer, name))
      return (int) i;
  return -1;
}

/* Dragging rivers onto the fire stations puts rivers above them, in the list,
 * on the map and in the saved workspace. */
static void
test_reorder (void)
{
  SabanWindow *window = demo_window ();
  g_autoptr(SabanWorkspace) before = NULL;
  g_autoptr(SabanWorkspace) after = NULL;

  before = saban_window_dup_workspace (window);
  g_assert_cmpint (workspace_index (before, "rivers"), <, workspace_index (before, "fire_stations"));

  g_signal_emit_by_name (find_row (window, "fire_stations"), "dropped", find_row (window, "rivers"));
  after = saban_window_dup_workspace (window);
  g_assert_cmpint (workspace_index (after, "rivers"), >, workspace_index (after, "fire_stations"));
  g_assert_cmpuint (saban_workspace_get_n_layers (after), ==, saban_workspace_get_n_layers (before));

  /* Across groups it does nothing. */
  g_signal_emit_by_name (find_row (window, "sensor_sites"), "dropped", find_row (window, "zoning"));
  g_clear_object (&after);
  after = saban_window_dup_workspace (window);
  g_assert_cmpint (workspace_index (after, "zoning"), ==, workspace_index (before, "zoning"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The reload interval of server layers is a preference, both ways. */
static void
test_refresh_preference (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  GtkWidget *prefs = saban_preferences_window_new (NULL, NULL);
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();
  GtkSpinButton *refresh = NULL;

  g_settings_set_uint (settings, "refresh-minutes", 15);
  app_test_collect (prefs, GTK_TYPE_SPIN_BUTTON, NULL, spins);
  for (guint i = 0; i < spins->len; i++)
    if (gtk_spin_button_get_value (g_ptr_array_index (spins, i)) == 15)
      refresh = g_ptr_array_index (spins, i);
  g_assert_nonnull (refresh);
  gtk_spin_button_set_value (refresh, 30);
  g_assert_cmpuint (g_settings_get_uint (settings, "refresh-minutes"), ==, 30);
  g_settings_reset (settings, "refresh-minutes");
  gtk_window_destroy (GTK_WINDOW (prefs));
}

/* The renderer is a preference, both ways, and Preferences names the one
 * this run draws with (chosen at start: saban-renderer.c). */
static void
test_renderer_preference (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  GtkWidget *prefs = saban_preferences_window_new (NULL, NULL);
  AdwComboRow *row = app_test_find (prefs, ADW_TYPE_COMBO_ROW, NULL);
  g_autofree char *chosen = NULL;
  const char *in_use;

  g_assert_nonnull (row);
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);
  g_settings_set_string (settings, "renderer", "cairo");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 2);
  adw_combo_row_set_selected (row, 1);
  chosen = g_settings_get_string (settings, "renderer");
  g_assert_cmpstr (chosen, ==, "gl");
  gtk_window_present (GTK_WINDOW (prefs));
  TEST_WAIT_UNTIL (gtk_native_get_renderer (GTK_NATIVE (prefs)) != NULL, 10);
  in_use = GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (GTK_NATIVE (prefs))) ? "Đang dùng: bộ xử lý (cairo)"
                                                                              : "Đang dùng: card đồ họa (OpenGL)";
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, in_use);
  g_settings_reset (settings, "renderer");
  gtk_window_destroy (GTK_WINDOW (prefs));
}

static void
test_bad_file_changes_nothing (void)
{
  SabanWindow *window = saban_window_new (NULL, NULL);
  g_autoptr(GFile) demo = g_file_new_for_path (g_getenv ("SABAN_DEMO_DATA"));
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *bad_path = g_build_filename (dir, "hỏng.gpkg", NULL);
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;

  g_assert_true (g_file_set_contents (bad_path, "SQLite format 3\0garbage", 24, NULL));
  saban_window_open_demo (window, demo);
  gtk_window_present (GTK_WINDOW (window));
  wait_loaded (window);
  before = row_titles (window);

  /* The failure is logged as a warning too: not fatal here. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  saban_window_open_file (window, bad);
  wait_loaded (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (app_test_has_label_containing (GTK_WIDGET (window), "Không mở được"));
  g_assert_true (app_test_has_label_containing (GTK_WIDGET (window), "hỏng.gpkg"));

  after = row_titles (window);
  g_assert_cmpuint (after->len, ==, before->len);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  app_test_init (&argc, &argv);
  g_resources_register (saban_get_resource ());
  g_test_add_func ("/window/vietnamese-demo", test_vietnamese_demo);
  g_test_add_func ("/window/inspector", test_inspector);
  g_test_add_func ("/window/attribute-table", test_attribute_table);
  g_test_add_func ("/window/workspace", test_workspace);
  g_test_add_func ("/window/style-dialog", test_style_dialog);
  g_test_add_func ("/window/style-categorized-labels", test_style_categorized_labels);
  g_test_add_func ("/window/asks-crs", test_asks_crs);
  g_test_add_func ("/window/reload-keeps-arrangement", test_reload_keeps_arrangement);
  g_test_add_func ("/window/pick-layers", test_pick_layers);
  g_test_add_func ("/window/cancel-loading", test_cancel_loading);
  g_test_add_func ("/window/reorder", test_reorder);
  g_test_add_func ("/window/refresh-preference", test_refresh_preference);
  g_test_add_func ("/window/renderer-preference", test_renderer_preference);
  g_test_add_func ("/window/bad-file-changes-nothing", test_bad_file_changes_nothing);
  return g_test_run ();
}
