/* Tiles drawn from the demo province: coloured where the province is,
 * transparent where it is not, and the same whichever thread draws them. */
#include <math.h>
#include <string.h>

#include "saban-layer-style.h"
#include "saban-ogr-reader.h"
#include "saban-tile-source.h"

static GPtrArray *layers;

static SabanVectorLayer *
find_layer (const char *name)
{
  for (guint i = 0; i < layers->len; i++)
    if (g_str_equal (saban_vector_layer_get_name (g_ptr_array_index (layers, i)), name))
      return g_ptr_array_index (layers, i);
  g_assert_not_reached ();
}

/* The tile at @zoom holding WGS 84 @lon, @lat. */
static void
tile_at (double lon, double lat, guint zoom, guint *x, guint *y)
{
  double n = 1u << zoom, rad = lat * G_PI / 180;

  *x = (guint) ((lon + 180) / 360 * n);
  *y = (guint) ((1 - log (tan (rad) + 1 / cos (rad)) / G_PI) / 2 * n);
}

static guint8 *
download (GdkTexture *texture)
{
  guint8 *data = g_malloc (256 * 256 * 4);

  gdk_texture_download (texture, data, 256 * 4);
  return data;
}

static void
test_zoning_tile (void)
{
  SabanVectorLayer *zoning = find_layer ("zoning");
  g_autoptr(SabanLayerStyle) style = saban_layer_style_new_for_layer (zoning);
  g_autoptr(SabanTileSource) source = saban_tile_source_new (zoning, style);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GHashTable) colors = g_hash_table_new (NULL, NULL);
  g_autofree guint8 *pixels = NULL;
  guint x, y, opaque = 0;

  /* Văn Bàn, in the middle of the province. */
  tile_at (104.25, 22.05, 10, &x, &y);
  texture = saban_tile_source_render (source, x, y, 10, 256);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 256);
  pixels = download (texture);
  for (int i = 0; i < 256 * 256; i++)
    if (pixels[4 * i + 3] == 255)
      {
        guint32 rgb = pixels[4 * i] | pixels[4 * i + 1] << 8 | pixels[4 * i + 2] << 16;
        opaque++;
        g_hash_table_add (colors, GUINT_TO_POINTER (rgb));
      }
  /* Zoning covers the province: the tile is mostly filled, in several land-use colours. */
  g_assert_cmpuint (opaque, >, 256 * 256 * 3 / 4);
  g_assert_cmpuint (g_hash_table_size (colors), >=, 2);
}

static void
test_empty_tile (void)
{
  SabanVectorLayer *zoning = find_layer ("zoning");
  g_autoptr(SabanLayerStyle) style = saban_layer_style_new_for_layer (zoning);
  g_autoptr(SabanTileSource) source = saban_tile_source_new (zoning, style);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint8 *pixels = NULL;
  guint x, y;

  /* Hà Nội is outside the province. */
  tile_at (105.85, 21.03, 10, &x, &y);
  texture = saban_tile_source_render (source, x, y, 10, 256);
  pixels = download (texture);
  for (int i = 0; i < 256 * 256; i++)
    g_assert_cmpuint (pixels[4 * i + 3], ==, 0);
}

static void
test_min_zoom (void)
{
  SabanVectorLayer *parcels = find_layer ("parcels");
  g_autoptr(SabanLayerStyle) style = saban_layer_style_new_for_layer (parcels);
  g_autoptr(SabanTileSource) source = saban_tile_source_new (parcels, style);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint8 *pixels = NULL;
  guint x, y;

  /* Parcels are too dense to draw at province scale. */
  g_assert_cmpfloat (saban_layer_style_get_min_zoom (style), >, 8);
  tile_at (104.0, 22.0, 8, &x, &y);
  texture = saban_tile_source_render (source, x, y, 8, 256);
  pixels = download (texture);
  for (int i = 0; i < 256 * 256; i++)
    g_assert_cmpuint (pixels[4 * i + 3], ==, 0);
}

typedef struct
{
  GMainLoop *loop;
  gboolean ok;
} FillData;

static void
filled (GObject *object, GAsyncResult *result, gpointer user_data)
{
  FillData *data = user_data;
  g_autoptr(GError) error = NULL;

  data->ok = shumate_map_source_fill_tile_finish (SHUMATE_MAP_SOURCE (object), result, &error);
  g_assert_no_error (error);
  g_main_loop_quit (data->loop);
}

/* libshumate's path: fill_tile_async in a worker, the same pixels. */
static void
test_fill_async (void)
{
  SabanVectorLayer *communes = find_layer ("communes");
  g_autoptr(SabanLayerStyle) style = saban_layer_style_new_for_layer (communes);
  g_autoptr(SabanTileSource) source = saban_tile_source_new (communes, style);
  g_autoptr(GdkTexture) direct = NULL;
  g_autoptr(ShumateTile) tile = NULL;
  g_autofree guint8 *a = NULL;
  g_autofree guint8 *b = NULL;
  FillData data = { g_main_loop_new (NULL, FALSE), FALSE };
  guint x, y;

  tile_at (103.97, 22.48, 11, &x, &y);
  tile = shumate_tile_new_full (x, y, 256, 11);
  shumate_map_source_fill_tile_async (SHUMATE_MAP_SOURCE (source), tile, NULL, filled, &data);
  g_assert_cmpuint (saban_tile_source_get_pending (source), ==, 1);
  g_main_loop_run (data.loop);
  g_assert_true (data.ok);
  g_assert_cmpuint (saban_tile_source_get_pending (source), ==, 0);
  g_assert_cmpint (shumate_tile_get_state (tile), ==, SHUMATE_STATE_DONE);

  direct = saban_tile_source_render (source, x, y, 11, 256);
  a = download (direct);
  b = download (GDK_TEXTURE (shumate_tile_get_paintable (tile)));
  g_assert_cmpmem (a, 256 * 256 * 4, b, 256 * 256 * 4);
  g_main_loop_unref (data.loop);
}

/* Layers drawn together: the composite equals drawing them in turn, and a
 * half-transparent layer lets the one below through. */
static void
test_composite (void)
{
  SabanVectorLayer *zoning = find_layer ("zoning");
  SabanVectorLayer *communes = find_layer ("communes");
  g_autoptr(SabanLayerStyle) zs = saban_layer_style_new_for_layer (zoning);
  g_autoptr(SabanLayerStyle) cs = saban_layer_style_new_for_layer (communes);
  SabanVectorLayer *layers[] = { zoning, communes };
  SabanLayerStyle *styles[] = { zs, cs };
  const double opaque[] = { 1, 1 }, faint[] = { 0.5, 1 };
  g_autoptr(SabanTileSource) both = saban_tile_source_new_composite (layers, styles, opaque, 2);
  g_autoptr(SabanTileSource) half = saban_tile_source_new_composite (layers, styles, faint, 2);
  g_autoptr(SabanTileSource) alone = saban_tile_source_new (zoning, zs);
  g_autoptr(GdkTexture) t_both = NULL, t_half = NULL, t_alone = NULL;
  g_autofree guint8 *p_both = NULL, *p_half = NULL, *p_alone = NULL;
  guint x, y, differ = 0, translucent = 0;

  g_assert_cmpstr (shumate_map_source_get_id (SHUMATE_MAP_SOURCE (both)), !=,
                   shumate_map_source_get_id (SHUMATE_MAP_SOURCE (half)));
  tile_at (104.25, 22.05, 10, &x, &y);
  t_both = saban_tile_source_render (both, x, y, 10, 256);
  t_half = saban_tile_source_render (half, x, y, 10, 256);
  t_alone = saban_tile_source_render (alone, x, y, 10, 256);
  p_both = download (t_both);
  p_half = download (t_half);
  p_alone = download (t_alone);
  for (int i = 0; i < 256 * 256; i++)
    {
      differ += memcmp (p_both + 4 * i, p_alone + 4 * i, 4) != 0;   /* commune boundaries */
      translucent += p_half[4 * i + 3] > 0 && p_half[4 * i + 3] < 255;
    }
  g_assert_cmpuint (differ, >, 500);
  g_assert_cmpuint (translucent, >, 256 * 256 / 2);
}

/* A tile far from every feature gets no texture: nothing to compose. */
static void
test_empty_tile_has_no_texture (void)
{
  SabanVectorLayer *zoning = find_layer ("zoning");
  g_autoptr(SabanLayerStyle) style = saban_layer_style_new_for_layer (zoning);
  g_autoptr(SabanTileSource) source = saban_tile_source_new (zoning, style);
  g_autoptr(ShumateTile) tile = NULL;
  FillData data = { g_main_loop_new (NULL, FALSE), FALSE };
  guint x, y;

  tile_at (105.85, 21.03, 10, &x, &y);
  tile = shumate_tile_new_full (x, y, 256, 10);
  shumate_map_source_fill_tile_async (SHUMATE_MAP_SOURCE (source), tile, NULL, filled, &data);
  g_main_loop_run (data.loop);
  g_assert_true (data.ok);
  g_assert_cmpint (shumate_tile_get_state (tile), ==, SHUMATE_STATE_DONE);
  g_assert_null (shumate_tile_get_paintable (tile));
  g_main_loop_unref (data.loop);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);
  layers = saban_ogr_read (g_getenv ("SABAN_DEMO_DATA"), "EPSG:9208", NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/tile-source/zoning", test_zoning_tile);
  g_test_add_func ("/tile-source/empty", test_empty_tile);
  g_test_add_func ("/tile-source/min-zoom", test_min_zoom);
  g_test_add_func ("/tile-source/fill-async", test_fill_async);
  g_test_add_func ("/tile-source/composite", test_composite);
  g_test_add_func ("/tile-source/empty-tile-no-texture", test_empty_tile_has_no_texture);
  result = g_test_run ();
  g_ptr_array_unref (layers);
  return result;
}
