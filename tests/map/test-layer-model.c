/* The layer model, the one place layer state lives: the sidebar's order
 * (by group, topmost first) kept whatever changes; a drag within a group
 * and never across; the workspace written from it and its order restored
 * into it; the map drawing what it says. */
#include <gtk/gtk.h>
#include <math.h>

#include "saban-layer-model.h"
#include "saban-map-view.h"
#include "saban-ogr-reader.h"
#include "saban-tile-source.h"
#include "server-fixture.h"

static GPtrArray *vectors;

static SabanVectorLayer *
vector_named (const char *name)
{
  for (guint i = 0; i < vectors->len; i++)
    if (g_str_equal (saban_vector_layer_get_name (g_ptr_array_index (vectors, i)), name))
      return g_ptr_array_index (vectors, i);
  g_assert_not_reached ();
}

static SabanLayer *
layer_named (SabanLayerModel *model, const char *name)
{
  SabanLayer *layer = saban_layer_model_find (model, vector_named (name));

  g_assert_nonnull (layer);
  return layer;
}

/* every demo layer, each with its default style */
static SabanLayerModel *
demo_model (void)
{
  SabanLayerModel *model = saban_layer_model_new ();

  for (guint i = 0; i < vectors->len; i++)
    {
      g_autoptr(SabanLayerStyle) style = saban_layer_style_new_for_layer (g_ptr_array_index (vectors, i));
      g_autoptr(SabanLayer) layer = saban_layer_new (g_ptr_array_index (vectors, i), style);

      saban_layer_model_add (model, layer);
    }
  return model;
}

static void
assert_in_order (SabanLayerModel *model)
{
  for (guint i = 1; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(SabanLayer) a = g_list_model_get_item (G_LIST_MODEL (model), i - 1);
      g_autoptr(SabanLayer) b = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_cmpint (saban_layer_get_group (a), <=, saban_layer_get_group (b));
      if (saban_layer_get_group (a) == saban_layer_get_group (b))
        g_assert_cmpint (saban_layer_get_z_order (a), >=, saban_layer_get_z_order (b));
    }
}

static guint
position_of (SabanLayerModel *model, const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(SabanLayer) layer = g_list_model_get_item (G_LIST_MODEL (model), i);

      if (g_str_equal (saban_vector_layer_get_name (saban_layer_get_vector (layer)), name))
        return i;
    }
  g_assert_not_reached ();
}

static void
count_changes (GListModel *model, guint position, guint removed, guint added, gpointer data)
{
  (*(guint *) data)++;
}

static void
test_order (void)
{
  g_autoptr(SabanLayerModel) model = demo_model ();
  guint changes = 0;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, vectors->len);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == SABAN_TYPE_LAYER);
  assert_in_order (model);

  /* dragged within its group: just above the target, and said */
  g_signal_connect (model, "items-changed", G_CALLBACK (count_changes), &changes);
  g_assert_cmpuint (position_of (model, "rivers"), >, position_of (model, "fire_stations"));
  g_assert_true (saban_layer_model_move_above (model, layer_named (model, "rivers"), layer_named (model, "fire_stations")));
  g_assert_cmpuint (position_of (model, "rivers") + 1, ==, position_of (model, "fire_stations"));
  g_assert_cmpuint (changes, >, 0);
  assert_in_order (model);

  /* across groups: nothing */
  changes = 0;
  g_assert_false (saban_layer_model_move_above (model, layer_named (model, "sensor_sites"), layer_named (model, "zoning")));
  g_assert_cmpuint (changes, ==, 0);

  /* a z-order set by hand moves the item at once */
  saban_layer_set_z_order (layer_named (model, "fire_stations"), 10000);
  assert_in_order (model);

  /* removed: gone, and said */
  changes = 0;
  saban_layer_model_remove (model, layer_named (model, "rivers"));
  g_assert_null (saban_layer_model_find (model, vector_named ("rivers")));
  g_assert_cmpuint (changes, ==, 1);
}

/* the workspace holds the arrangement; a model ordered as it reads the same */
static void
test_workspace (void)
{
  g_autoptr(SabanLayerModel) model = demo_model ();
  g_autoptr(SabanLayerModel) again = demo_model ();
  g_autoptr(SabanWorkspace) saved = NULL;
  g_autoptr(SabanWorkspace) restored = NULL;
  SabanLayer *communes = layer_named (model, "communes");

  saban_layer_set_visible (communes, FALSE);
  saban_layer_set_opacity (communes, 0.4);
  saban_layer_set_custom_title (communes, "Ranh giới xã 2025");
  g_assert_cmpstr (saban_layer_get_title (communes), ==, "Ranh giới xã 2025");
  saban_layer_model_move_above (model, layer_named (model, "rivers"), layer_named (model, "fire_stations"));
  saved = saban_layer_model_dup_workspace (model);
  g_assert_cmpuint (saban_workspace_get_n_layers (saved), ==, vectors->len);
  {
    const SabanWorkspaceLayer *entry = saban_workspace_find_layer (saved, g_getenv ("SABAN_DEMO_DATA"), "communes");

    g_assert_nonnull (entry);
    g_assert_false (entry->visible);
    g_assert_cmpfloat (entry->opacity, ==, 0.4);
    g_assert_cmpstr (entry->title, ==, "Ranh giới xã 2025");
  }

  /* bottom to top as the map draws: the workspace lists the model backwards */
  saban_layer_model_order_as (again, saved);
  restored = saban_layer_model_dup_workspace (again);
  for (guint i = 0; i < saban_workspace_get_n_layers (saved); i++)
    g_assert_cmpstr (saban_workspace_get_layer (saved, i)->layer, ==, saban_workspace_get_layer (restored, i)->layer);
}

/* the map draws what the model says: a layer hidden there is redrawn */
static void
test_map_follows (void)
{
  g_autoptr(SabanLayerModel) model = demo_model ();
  GtkWidget *window = gtk_window_new ();
  SabanMapView *view = SABAN_MAP_VIEW (saban_map_view_new ());

  gtk_window_set_default_size (GTK_WINDOW (window), 400, 300);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  saban_map_view_set_layers (view, model);
  g_assert_true (saban_map_view_get_layers (view) == model);
  gtk_window_present (GTK_WINDOW (window));
  saban_map_view_center_on (view, 22.48, 103.97, 12);
  TEST_WAIT_UNTIL (!saban_map_view_get_busy (view), 30);

  saban_layer_set_visible (layer_named (model, "communes"), FALSE);
  g_assert_true (saban_map_view_get_busy (view));
  TEST_WAIT_UNTIL (!saban_map_view_get_busy (view), 30);
  saban_layer_model_remove (model, layer_named (model, "zoning"));
  g_assert_true (saban_map_view_get_busy (view));
  TEST_WAIT_UNTIL (!saban_map_view_get_busy (view), 30);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* the window's image as its renderer draws it, premultiplied ARGB, and
 * where @widget's (@x, @y) is in it; NULL before the first frame */
static guint32 *
screen_image (GtkWidget *window,
              GtkWidget *widget,
              double     x,
              double     y,
              int       *at_x,
              int       *at_y)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  graphene_rect_t bounds;
  graphene_point_t at;
  int width = gtk_widget_get_width (window), height = gtk_widget_get_height (window);
  guint32 *pixels;

  g_assert_true (gtk_widget_compute_bounds (window, window, &bounds));
  g_assert_true (gtk_widget_compute_point (widget, window, &GRAPHENE_POINT_INIT (x, y), &at));
  gdk_paintable_snapshot (paintable, snapshot, bounds.size.width, bounds.size.height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return NULL;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (-bounds.origin.x, -bounds.origin.y, width, height));
  pixels = g_new (guint32, width * height);
  gdk_texture_download (texture, (guchar *) pixels, width * 4);
  *at_x = at.x;
  *at_y = at.y;
  return pixels;
}

/* whether the middle of @view shows the 32 × 32 pixels of @tile around
 * (@x, @y), exactly, wherever @tile is opaque; the middle may fall between
 * two pixels, so one pixel either way is allowed */
static gboolean
shows_tile (GtkWidget     *window,
            SabanMapView  *view,
            const guint32 *tile,
            int            x,
            int            y)
{
  int width = gtk_widget_get_width (window), at_x, at_y;
  g_autofree guint32 *shown = screen_image (window, GTK_WIDGET (view), gtk_widget_get_width (GTK_WIDGET (view)) / 2.0,
                                            gtk_widget_get_height (GTK_WIDGET (view)) / 2.0, &at_x, &at_y);

  if (shown == NULL)
    return FALSE;
  for (int oy = -1; oy <= 1; oy++)
    for (int ox = -1; ox <= 1; ox++)
      {
        gboolean same = TRUE;

        for (int dy = -16; dy < 16 && same; dy++)
          for (int dx = -16; dx < 16 && same; dx++)
            {
              guint32 drawn = tile[(y + dy) * 256 + x + dx];

              same = drawn >> 24 != 0xff || drawn == shown[(at_y + dy + oy) * width + at_x + dx + ox];
            }
        if (same)
          return TRUE;
      }
  return FALSE;
}

/* The map on screen shows exactly the pixels the tiles were drawn with,
 * where they were drawn, when the window draws with cairo (a control room
 * without a GPU): there tiles are cairo surfaces (SabanTilePaintable), not
 * textures. Run under GSK_RENDERER=cairo (test layer-model-cairo). */
static void
test_map_on_screen (void)
{
  g_autoptr(SabanLayerModel) model = demo_model ();
  g_autoptr(SabanTileSource) source = saban_layer_model_new_composite (model, NULL);
  GtkWidget *window = gtk_window_new ();
  SabanMapView *view = SABAN_MAP_VIEW (saban_map_view_new ());
  g_autofree guint32 *tile = g_new0 (guint32, 256 * 256);
  double lat = 22.48, lon = 103.931, n = 1 << 12, rad = lat * G_PI / 180;
  double gx = (lon + 180) / 360 * n * 256;
  double gy = (1 - log (tan (rad) + 1 / cos (rad)) / G_PI) / 2 * n * 256;
  g_autoptr(GHashTable) colours = g_hash_table_new (NULL, NULL);
  int x, y;

  gtk_window_set_default_size (GTK_WINDOW (window), 400, 300);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  saban_map_view_set_layers (view, model);
  gtk_window_present (GTK_WINDOW (window));
  saban_map_view_center_on (view, lat, lon, 12);
  TEST_WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (view)) > 100, 30);
  if (!GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (GTK_NATIVE (window))))
    {
      /* GL filters textures as it samples them: exact pixels are cairo's */
      g_test_skip ("exact pixels are checked under GSK_RENDERER=cairo (test layer-model-cairo)");
      gtk_window_destroy (GTK_WINDOW (window));
      return;
    }

  /* the view's middle is (lat, lon): the tile's pixels around it, with
   * several colours there (a place a shifted tile would not match) */
  g_assert_true (saban_tile_source_render_into (source, (guint) (gx / 256), (guint) (gy / 256), 12, 256,
                                                (guint8 *) tile, 256 * 4));
  x = fmod (gx, 256);
  y = fmod (gy, 256);
  g_assert_cmpint (x, >=, 17);
  g_assert_cmpint (x, <, 256 - 17);
  g_assert_cmpint (y, >=, 17);
  g_assert_cmpint (y, <, 256 - 17);
  for (int dy = -16; dy < 16; dy++)
    for (int dx = -16; dx < 16; dx++)
      g_hash_table_add (colours, GUINT_TO_POINTER (tile[(y + dy) * 256 + x + dx]));
  g_assert_cmpuint (g_hash_table_size (colours), >=, 3);
  TEST_WAIT_UNTIL (shows_tile (window, view, tile, x, y), 20);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  gtk_test_init (&argc, &argv, NULL);
  vectors = saban_ogr_read (g_getenv ("SABAN_DEMO_DATA"), "EPSG:9208", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_add_func ("/layer-model/order", test_order);
  g_test_add_func ("/layer-model/workspace", test_workspace);
  g_test_add_func ("/layer-model/map-follows", test_map_follows);
  g_test_add_func ("/layer-model/map-on-screen", test_map_on_screen);
  ret = g_test_run ();
  g_ptr_array_unref (vectors);
  return ret;
}
