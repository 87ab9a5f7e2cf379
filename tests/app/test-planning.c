/* The planners' windows on the demo province, in Vietnamese: a zone's
 * dossier in the inspector and its documents opened; plans compared (the
 * swipe divider, the conflict check, its parcels on the map); the data
 * catalogue checked, a finding shown on the map. Pictures of the compare
 * window and the catalogue are kept in the build directory. */
#include <adwaita.h>
#include <glib/gstdio.h>

#include "app-test.h"
#include "saban-catalog-entry.h"
#include "saban-catalog-window.h"
#include "saban-dossier-view.h"
#include "saban-inspector.h"
#include "saban-map-view.h"
#include "saban-plan-compare-window.h"
#include "saban-resources.h"
#include "saban-window.h"

static SabanWindow *
demo_window (void)
{
  SabanWindow *window = saban_window_new (NULL, NULL);
  g_autoptr(GFile) demo = g_file_new_for_path (g_getenv ("SABAN_DEMO_DATA"));

  saban_window_open_demo (window, demo);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 860);
  gtk_window_present (GTK_WINDOW (window));
  TEST_WAIT_UNTIL (!saban_window_get_loading (window), 60);
  return window;
}

static SabanLayerModel *
layers_of (SabanWindow *window)
{
  return saban_session_get_layers (saban_window_get_session (window));
}

static SabanVectorLayer *
vector_named (SabanWindow *window,
              const char  *name)
{
  SabanLayerModel *model = layers_of (window);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(SabanLayer) layer = g_list_model_get_item (G_LIST_MODEL (model), i);

      if (g_str_equal (saban_vector_layer_get_name (saban_layer_get_vector (layer)), name))
        return saban_layer_get_vector (layer);
    }
  g_assert_not_reached ();
}

static SabanMapView *
map_of (SabanWindow *window)
{
  return app_test_find (GTK_WIDGET (window), SABAN_TYPE_MAP_VIEW, NULL);
}

static void
on_document_opened (SabanDossierView *view,
                    const char       *uri,
                    char            **out)
{
  *out = g_strdup (uri);
  /* not the desktop's viewer: there is none under test */
  g_signal_stop_emission_by_name (view, "document-opened");
}

/* A zone of the 1/2000 plan: its decision in the inspector, in Vietnamese;
 * its drawing opened as a PNG with its world file beside it. */
static void
test_dossier (void)
{
  SabanWindow *window = demo_window ();
  SabanVectorLayer *zoning = vector_named (window, "zoning");
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (zoning);
  int link = saban_attribute_table_find_field (t, "decision");
  SabanDossierView *view;
  g_autofree char *uri = NULL;
  g_autofree char *path = NULL;
  g_autofree char *world = NULL;
  gint64 feature = -1;

  for (guint32 f = 0; f < saban_vector_layer_get_n_features (zoning) && feature < 0; f++)
    if (g_str_equal (saban_attribute_table_get_string (t, link, f), "QHPK-LAOCAI-2024"))
      feature = f;
  g_assert_cmpint (feature, >=, 0);
  g_signal_emit_by_name (map_of (window), "feature-activated", zoning, feature);
  view = app_test_find (GTK_WIDGET (window), SABAN_TYPE_DOSSIER_VIEW, NULL);
  g_assert_nonnull (view);
  TEST_WAIT_UNTIL (saban_dossier_view_get_dossier (view) != NULL, 20);
  g_assert_true (app_test_has_label (GTK_WIDGET (view), "Hồ sơ quy hoạch"));
  g_assert_true (app_test_has_label (GTK_WIDGET (view), "9003/QĐ-UBND"));
  g_assert_true (app_test_has_label (GTK_WIDGET (view), "20/09/2024"));
  g_assert_true (app_test_has_label (GTK_WIDGET (view), "Quy hoạch phân khu (1/2000)"));
  g_assert_true (app_test_has_label (GTK_WIDGET (view), "Đang điều chỉnh"));
  g_assert_true (app_test_has_label (GTK_WIDGET (view), "Mở bản vẽ"));

  g_signal_connect (view, "document-opened", G_CALLBACK (on_document_opened), &uri);
  saban_dossier_view_open (view, 2);
  TEST_WAIT_UNTIL (uri != NULL, 20);
  path = g_filename_from_uri (uri, NULL, NULL);
  g_assert_true (g_str_has_suffix (path, ".png"));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  world = g_strdup (path);
  strcpy (world + strlen (world) - 4, ".pgw");
  g_assert_true (g_file_test (world, G_FILE_TEST_EXISTS));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_highlight (SabanLayerModel *model,
               const char      *title)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(SabanLayer) layer = g_list_model_get_item (G_LIST_MODEL (model), i);

      if (saban_vector_layer_is_subset (saban_layer_get_vector (layer)) &&
          g_strcmp0 (saban_layer_get_title (layer), title) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The 2012 plan against the plan in force: the swipe divider over the map,
 * the conflict check's pairs, the parcels shown. */
static void
test_compare (void)
{
  SabanWindow *window = demo_window ();
  GtkWidget *compare;
  g_autoptr(GPtrArray) combos = g_ptr_array_new ();
  g_autoptr(GPtrArray) switches = g_ptr_array_new ();
  g_autoptr(GPtrArray) swipes = g_ptr_array_new ();
  guint old_plan = G_MAXUINT;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compare-plans", NULL));
  compare = app_test_find_toplevel (SABAN_TYPE_PLAN_COMPARE_WINDOW);
  g_assert_nonnull (compare);
  app_test_collect (compare, ADW_TYPE_COMBO_ROW, NULL, combos);
  g_assert_cmpuint (combos->len, ==, 4);
  /* "so với": the superseded plan */
  for (guint i = 0; i < g_list_model_get_n_items (adw_combo_row_get_model (g_ptr_array_index (combos, 2))); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (adw_combo_row_get_model (g_ptr_array_index (combos, 2)), i);

      if (g_str_equal (gtk_string_object_get_string (item), "Quy hoạch sử dụng đất 2012 (hết hiệu lực)"))
        old_plan = i;
    }
  g_assert_cmpuint (old_plan, !=, G_MAXUINT);
  adw_combo_row_set_selected (g_ptr_array_index (combos, 2), old_plan);
  app_test_collect (compare, GTK_TYPE_SWITCH, NULL, switches);
  gtk_switch_set_active (g_ptr_array_index (switches, 0), TRUE);
  app_test_collect (GTK_WIDGET (window), SABAN_TYPE_SWIPE_LAYER, NULL, swipes);
  g_assert_cmpuint (swipes->len, ==, 1);

  saban_plan_compare_window_check (SABAN_PLAN_COMPARE_WINDOW (compare));
  TEST_WAIT_UNTIL (saban_plan_compare_window_get_result (SABAN_PLAN_COMPARE_WINDOW (compare)) != NULL, 120);
  g_assert_true (app_test_has_label_containing (compare, "đang sử dụng khác quy hoạch"));
  /* the 2012 plan gave the urban land other uses */
  g_assert_true (app_test_has_label (compare, "ONT → ODT"));
  g_assert_true (app_test_has_label (compare, "Đất ở tại nông thôn → Đất ở tại đô thị"));
  app_test_save_png (compare, "screenshot-compare.png");

  g_assert_true (gtk_widget_activate_action (compare, "compare.show", NULL));
  g_assert_true (has_highlight (layers_of (window), "Đất sử dụng khác quy hoạch"));
  /* the picture, once the new composite has asked for its tiles and drawn them */
  test_spin_ms (500);
  TEST_WAIT_UNTIL (!saban_map_view_get_busy (map_of (window)), 60);
  app_test_save_png (GTK_WIDGET (window), "screenshot-compare-map.png");

  gtk_window_destroy (GTK_WINDOW (compare));
  g_ptr_array_set_size (swipes, 0);
  app_test_collect (GTK_WIDGET (window), SABAN_TYPE_SWIPE_LAYER, NULL, swipes);
  g_assert_cmpuint (swipes->len, ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

static SabanCatalogEntry *
entry_named (GListModel *entries,
             const char *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(SabanCatalogEntry) entry = g_list_model_get_item (entries, i);

      if (g_str_equal (saban_catalog_entry_get_id (entry), id))
        return entry;
    }
  g_assert_not_reached ();
}

static guint
position_of (GListModel *entries,
             const char *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(SabanCatalogEntry) entry = g_list_model_get_item (entries, i);

      if (g_str_equal (saban_catalog_entry_get_id (entry), id))
        return i;
    }
  g_assert_not_reached ();
}

/* A file of sites with two sharing a code, one outside the province. */
static char *
write_sites (void)
{
  g_autofree char *dir = g_dir_make_tmp ("saban-catalogue-XXXXXX", NULL);
  char *path = g_build_filename (dir, "diem.geojson", NULL);
  const char *json =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"A1\",\"name\":\"Điểm 1\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[103.97,22.48]}},"
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"A1\",\"name\":\"Điểm 2\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[103.98,22.47]}},"
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"A3\",\"name\":\"Điểm 3\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[105.9,21.0]}}]}";

  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  return path;
}

/* Every layer listed with its keeper's words and checked; a file with
 * seeded defects, its finding shown on the map in one click. */
static void
test_catalogue (void)
{
  SabanWindow *window = demo_window ();
  g_autofree char *sites = write_sites ();
  g_autoptr(GFile) sites_file = g_file_new_for_path (sites);
  SabanCatalogEntry *diem;
  const SabanQualityFinding *duplicates;
  guint finding = G_MAXUINT;
  SabanCatalogWindow *catalogue;
  GListModel *entries;
  SabanCatalogEntry *parcels;
  const SabanQualityFinding *extent;

  saban_window_open_file (window, sites_file);
  TEST_WAIT_UNTIL (!saban_window_get_loading (window), 30);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.catalogue", NULL));
  catalogue = SABAN_CATALOG_WINDOW (app_test_find_toplevel (SABAN_TYPE_CATALOG_WINDOW));
  g_assert_nonnull (catalogue);
  TEST_WAIT_UNTIL (!saban_catalog_window_get_busy (catalogue), 180);
  entries = saban_catalog_window_get_entries (catalogue);
  g_assert_cmpuint (g_list_model_get_n_items (entries), >=, 13);

  parcels = entry_named (entries, "parcels");
  g_assert_true (saban_catalog_entry_is_checked (parcels));
  g_assert_cmpstr (saban_catalog_entry_get_title (parcels), ==, "Thửa đất");
  g_assert_cmpstr (saban_catalog_entry_get_metadata (parcels)->owner, ==, "Văn phòng Đăng ký đất đai");
  g_assert_cmpint (saban_catalog_entry_get_n_features (parcels), ==, 20000);
  /* the demo data are clean: no feature outside the province, no duplicate parcel */
  extent = saban_catalog_entry_find_check (parcels, SABAN_QUALITY_CHECK_EXTENT);
  g_assert_nonnull (extent);
  g_assert_cmpint (extent->state, ==, SABAN_QUALITY_GREEN);
  g_assert_cmpint (saban_catalog_entry_find_check (parcels, SABAN_QUALITY_CHECK_DUPLICATE_IDS)->state, ==,
                   SABAN_QUALITY_GREEN);
  /* promised monthly, last updated 30/06/2025 */
  g_assert_cmpint (saban_catalog_entry_find_check (parcels, SABAN_QUALITY_CHECK_FRESHNESS)->state, ==, SABAN_QUALITY_RED);
  g_assert_cmpint (saban_catalog_entry_get_state (parcels), ==, SABAN_QUALITY_RED);

  saban_catalog_window_select (catalogue, position_of (entries, "parcels"));
  g_assert_true (app_test_has_label_containing (GTK_WIDGET (catalogue), "Thửa đất: kết quả kiểm tra"));
  g_assert_true (app_test_has_label_containing (GTK_WIDGET (catalogue), "Chưa đạt"));
  app_test_save_png (GTK_WIDGET (catalogue), "screenshot-catalogue.png");

  /* the seeded file: both holders of A1, the site in Hà Nội */
  diem = entry_named (entries, "diem");
  duplicates = saban_catalog_entry_find_check (diem, SABAN_QUALITY_CHECK_DUPLICATE_IDS);
  g_assert_cmpuint (duplicates->features->len, ==, 2);
  g_assert_cmpuint (saban_catalog_entry_find_check (diem, SABAN_QUALITY_CHECK_EXTENT)->features->len, ==, 1);
  g_assert_cmpint (saban_catalog_entry_get_state (diem), ==, SABAN_QUALITY_RED);
  saban_catalog_window_select (catalogue, position_of (entries, "diem"));
  for (guint i = 0; i < saban_catalog_entry_get_n_findings (diem); i++)
    if (saban_catalog_entry_get_finding (diem, i) == duplicates)
      finding = i;
  saban_catalog_window_show_finding (catalogue, finding);
  g_assert_true (has_highlight (layers_of (window), "Mã định danh không trùng · diem"));

  /* the 2012 plan has no promised frequency: freshness not judged */
  g_assert_cmpint (saban_catalog_entry_find_check (entry_named (entries, "zoning_2012"), SABAN_QUALITY_CHECK_FRESHNESS)->state,
                   ==, SABAN_QUALITY_UNKNOWN);
  gtk_window_destroy (GTK_WINDOW (catalogue));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  app_test_init (&argc, &argv);
  g_resources_register (saban_get_resource ());
  {
    /* the application's colours (the catalogue's states), for the pictures */
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/io/github/saban/SaBan/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  g_test_add_func ("/planning/dossier", test_dossier);
  g_test_add_func ("/planning/compare", test_compare);
  g_test_add_func ("/planning/catalogue", test_catalogue);
  return g_test_run ();
}
