/* Tiles drawn from the demo province: coloured where the province is,
 * transparent where it is not, and the same whichever thread draws them. */
#include <math.h>
#include <string.h>

#include <cairo.h>

#include "saban-layer-style.h"
#include "saban-ogr-reader.h"
#include "saban-raster-layer.h"
#include "saban-scanline.h"
#include "saban-tile-paintable.h"
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

/* IHDR's colour type of the texture saved as PNG: 2 RGB, 6 RGBA */
static guint8
png_colour_type (GdkTexture *texture)
{
  g_autoptr(GBytes) png = gdk_texture_save_to_png_bytes (texture);

  g_assert_cmpuint (g_bytes_get_size (png), >, 25);
  return ((const guint8 *) g_bytes_get_data (png, NULL))[25];
}

/* median µs of downloading @texture, as GTK's cairo renderer does each
 * time it repaints part of it */
static double
download_us (GdkTexture *texture)
{
  g_autofree guint8 *into = g_malloc (256 * 256 * 4);
  double times[9];

  for (guint k = 0; k < G_N_ELEMENTS (times); k++)
    {
      gint64 start = g_get_monotonic_time ();

      gdk_texture_download (texture, into, 256 * 4);
      times[k] = g_get_monotonic_time () - start;
    }
  for (guint i = 1; i < G_N_ELEMENTS (times); i++)
    for (guint j = i; j > 0 && times[j - 1] > times[j]; j--)
      {
        double t = times[j];

        times[j] = times[j - 1];
        times[j - 1] = t;
      }
  return times[G_N_ELEMENTS (times) / 2];
}

/* A tile's texture is in the format GTK 4.8 downloads fastest: R8G8B8
 * when opaque (the base map), straight R8G8B8A8 otherwise, with the pixels
 * drawn (issue 15: under the cairo renderer every repaint of part of a tile
 * downloads it whole, ~0.5–0.9 ms from premultiplied BGRA). */
static void
test_texture_format (void)
{
  g_autofree char *name = g_strdup_printf ("GPKG:%s:basemap", g_getenv ("SABAN_DEMO_DATA"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanRasterLayer) raster = saban_raster_layer_open (name, NULL, &error);
  g_autoptr(SabanLayer) base = NULL;
  g_autoptr(SabanTileSource) source = NULL;
  SabanVectorLayer *zoning = find_layer ("zoning");
  g_autoptr(SabanLayerStyle) style = saban_layer_style_new_for_layer (zoning);
  g_autoptr(SabanTileSource) translucent = saban_tile_source_new (zoning, style);
  g_autofree guint8 *drawn = g_malloc0 (256 * 256 * 4);
  g_autofree guint8 *pixels = NULL;
  g_autoptr(GdkTexture) opaque = NULL, edge = NULL, premultiplied = NULL;
  g_autoptr(GBytes) copy = NULL;
  guint x, y, off = 0;

  g_assert_no_error (error);
  base = saban_layer_new_raster (raster);
  source = saban_tile_source_new_composite (&base, 1);
  tile_at (104.0, 22.3, 9, &x, &y);
  g_assert_true (saban_tile_source_render_into (source, x, y, 9, 256, drawn, 256 * 4));
  opaque = saban_tile_source_render (source, x, y, 9, 256);
  g_assert_cmpuint (png_colour_type (opaque), ==, 2);
  pixels = download (opaque);
  g_assert_cmpmem (pixels, 256 * 256 * 4, drawn, 256 * 256 * 4);
  g_clear_pointer (&pixels, g_free);

  /* the province's northern border: transparent outside, translucent edges */
  tile_at (103.9, 22.8, 10, &x, &y);
  memset (drawn, 0, 256 * 256 * 4);
  g_assert_true (saban_tile_source_render_into (translucent, x, y, 10, 256, drawn, 256 * 4));
  edge = saban_tile_source_render (translucent, x, y, 10, 256);
  g_assert_cmpuint (png_colour_type (edge), ==, 6);
  pixels = download (edge);
  for (guint i = 0; i < 256 * 256 * 4; i++)
    off += abs ((int) pixels[i] - drawn[i]) > 1;
  g_assert_cmpuint (off, ==, 0);
  /* the same pixels as GTK's own premultiplied BGRA: ours download faster */
  copy = g_bytes_new (drawn, 256 * 256 * 4);
  premultiplied = gdk_memory_texture_new (256, 256, GDK_MEMORY_DEFAULT, copy, 256 * 4);
  g_assert_cmpfloat (download_us (opaque), <, 0.5 * download_us (premultiplied));
  g_assert_cmpfloat (download_us (edge), <, 0.7 * download_us (premultiplied));
}

static void
test_empty_tile (void)
{
  SabanVectorLayer *zoning = find_layer ("zoning");
  g_autoptr(SabanLayerStyle) style = saban_layer_style_new_for_layer (zoning);
  g_autoptr(SabanTileSource) source = saban_tile_source_new (zoning, style);
  g_autofree guint8 *pixels = g_malloc (256 * 256 * 4);
  guint x, y;

  /* Hà Nội is outside the province: no texture, and a caller's buffer untouched. */
  tile_at (105.85, 21.03, 10, &x, &y);
  g_assert_null (saban_tile_source_render (source, x, y, 10, 256));
  memset (pixels, 0x5a, 256 * 256 * 4);
  g_assert_false (saban_tile_source_render_into (source, x, y, 10, 256, pixels, 256 * 4));
  for (int i = 0; i < 256 * 256 * 4; i++)
    g_assert_cmpuint (pixels[i], ==, 0x5a);
}

static void
test_min_zoom (void)
{
  SabanVectorLayer *parcels = find_layer ("parcels");
  g_autoptr(SabanLayerStyle) style = saban_layer_style_new_for_layer (parcels);
  g_autoptr(SabanTileSource) source = saban_tile_source_new (parcels, style);
  guint x, y;

  /* Parcels are too dense to draw at province scale: nothing is drawn. */
  g_assert_cmpfloat (saban_layer_style_get_min_zoom (style), >, 8);
  tile_at (104.0, 22.0, 8, &x, &y);
  g_assert_null (saban_tile_source_render (source, x, y, 8, 256));
  saban_tile_source_set_ignore_min_zoom (source, TRUE);
  g_assert_nonnull (saban_tile_source_render (source, x, y, 8, 256));
}

/* The scanline filler paints each pixel whose centre is inside: exact areas,
 * holes left out, and polygons sharing an edge paint every pixel once. */
static void
test_scanline_fill (void)
{
  g_autofree guint32 *pixels = g_new0 (guint32, 64 * 64);
  const GdkRGBA half = { 1, 0, 0, 0.5 };
  guint32 color = saban_scanline_color (&half, 1);
  /* A 20 × 20 square with a 4 × 6 hole, then two triangles halving a 30 × 10
   * rectangle along its diagonal, off whole pixels. */
  const double square[] = { 2, 2, 22, 2, 22, 22, 2, 22, 10, 10, 14, 10, 14, 16, 10, 16 };
  const guint square_ends[] = { 4, 8 };
  const double lower[] = { 30.3, 40.2, 60.3, 40.2, 60.3, 50.2 };
  const double upper[] = { 30.3, 40.2, 60.3, 50.2, 30.3, 50.2 };
  const guint triangle_ends[] = { 3 };
  SabanScanline s;
  guint in_square = 0, in_rect = 0, twice = 0;

  g_assert_cmpuint (color, ==, 0x80800000);
  saban_scanline_init (&s, (guint8 *) pixels, 64, 64, 64 * 4);
  saban_scanline_fill (&s, square, square_ends, 2, color);
  saban_scanline_fill (&s, lower, triangle_ends, 1, color);
  saban_scanline_fill (&s, upper, triangle_ends, 1, color);
  for (int y = 0; y < 64; y++)
    for (int x = 0; x < 64; x++)
      {
        guint32 v = pixels[y * 64 + x];

        in_square += y < 30 && v != 0;
        in_rect += y >= 30 && v != 0;
        twice += v != 0 && v != color;
      }
  g_assert_cmpuint (in_square, ==, 20 * 20 - 4 * 6);
  g_assert_cmpuint (in_rect, ==, 30 * 10);
  g_assert_cmpuint (twice, ==, 0);
  g_assert_cmpuint (pixels[12 * 64 + 12], ==, 0);   /* the hole */
  /* A second coat blends: 50 % over 50 % is 75 %. */
  saban_scanline_pixel (&s, 5, 5, color);
  g_assert_cmpuint (pixels[5 * 64 + 5] >> 24, ==, 0xc0);
  /* Outside the image: nothing, and no crash. */
  saban_scanline_pixel (&s, -1, 70, color);
  saban_scanline_line (&s, -10, -10, 100, 100, color);
}

/* At district scale the parcels go through the scanline filler: each whole
 * parcel of a few pixels shows its land-use colour at its middle, as cairo
 * drew it; render_into() draws what render() does, into any stride. */
static void
test_small_parcels (void)
{
  SabanVectorLayer *parcels = find_layer ("parcels");
  g_autoptr(SabanLayerStyle) style = saban_layer_style_new_for_layer (parcels);
  g_autoptr(SabanTileSource) source = saban_tile_source_new (parcels, style);
  const SabanFeatureArrays *a = saban_vector_layer_get_arrays (parcels);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint8 *pixels = NULL;
  g_autofree guint8 *wide = g_malloc0 (256 * 300 * 4);
  double extent = 2 * 20037508.342789244 / (1 << 16), min_x, max_y, pixel = extent / 256;
  guint x, y, checked = 0, right = 0;

  /* Zoom 16, 2.4 m a pixel, parcels 5–15 px across: the tile of the
   * busiest hamlet's first parcel. */
  x = (guint) ((a->boxes[0] + 20037508.342789244) / extent);
  y = (guint) ((20037508.342789244 - a->boxes[1]) / extent);
  texture = saban_tile_source_render (source, x, y, 16, 256);
  g_assert_nonnull (texture);
  pixels = download (texture);
  min_x = -20037508.342789244 + x * extent;
  max_y = 20037508.342789244 - y * extent;
  for (guint32 f = 0; f < a->n_features; f++)
    {
      const double *box = a->boxes + 4 * f;
      double px0 = (box[0] - min_x) / pixel, px1 = (box[2] - min_x) / pixel;
      double py0 = (max_y - box[3]) / pixel, py1 = (max_y - box[1]) / pixel;
      const GdkRGBA *fill = saban_layer_style_get_feature_color (style, parcels, f);
      guint32 want, got;
      int cx = (int) floor ((px0 + px1) / 2), cy = (int) floor ((py0 + py1) / 2);

      /* Whole, a few pixels across and under the filler's 16 px limit. */
      if (px0 < 1 || py0 < 1 || px1 > 255 || py1 > 255 || px1 - px0 < 3 || py1 - py0 < 3 ||
          px1 - px0 > 16 || py1 - py0 > 16 || fill == NULL)
        continue;
      want = saban_scanline_color (fill, 1);
      got = *(const guint32 *) (pixels + 4 * (cy * 256 + cx));
      checked++;
      right += got == want;
    }
  g_test_message ("%u of %u parcels show their colour at their middle", right, checked);
  g_assert_cmpuint (checked, >, 30);
  g_assert_cmpuint (right, >=, checked * 95 / 100);

  /* The same pixels into a caller's buffer with a wider stride. */
  g_assert_true (saban_tile_source_render_into (source, x, y, 16, 256, wide, 300 * 4));
  for (int row = 0; row < 256; row++)
    g_assert_cmpmem (wide + row * 300 * 4, 256 * 4, pixels + row * 256 * 4, 256 * 4);
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

/* @paintable as GTK's cairo renderer draws it, at (@dx, @dy), over opaque
 * red: the window's background */
static guint8 *
draw_over_red (GdkPaintable *paintable,
               double        dx,
               double        dy)
{
  guint8 *data = g_malloc0 (256 * 256 * 4);
  cairo_surface_t *surface = cairo_image_surface_create_for_data (data, CAIRO_FORMAT_ARGB32, 256, 256, 256 * 4);
  cairo_t *cr = cairo_create (surface);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;

  cairo_set_source_rgb (cr, 1, 0, 0);
  cairo_paint (cr);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (dx, dy));
  gdk_paintable_snapshot (paintable, snapshot, 256, 256);
  node = gtk_snapshot_free_to_node (snapshot);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return data;
}

/* the pixels saban_tile_source_render_into() drew, over opaque red */
static guint8 *
drawn_over_red (SabanTileSource *source,
                guint            x,
                guint            y,
                guint            zoom)
{
  guint8 *tile = g_malloc0 (256 * 256 * 4);
  guint8 *data = g_malloc0 (256 * 256 * 4);
  cairo_surface_t *surface = cairo_image_surface_create_for_data (data, CAIRO_FORMAT_ARGB32, 256, 256, 256 * 4);
  cairo_surface_t *drawn;
  cairo_t *cr = cairo_create (surface);

  g_assert_true (saban_tile_source_render_into (source, x, y, zoom, 256, tile, 256 * 4));
  drawn = cairo_image_surface_create_for_data (tile, CAIRO_FORMAT_ARGB32, 256, 256, 256 * 4);
  cairo_set_source_rgb (cr, 1, 0, 0);
  cairo_paint (cr);
  cairo_set_source_surface (cr, drawn, 0, 0);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_destroy (drawn);
  cairo_surface_destroy (surface);
  g_free (tile);
  return data;
}

static GdkPaintable *
fill (SabanTileSource *source,
      guint            x,
      guint            y,
      guint            zoom)
{
  g_autoptr(ShumateTile) tile = shumate_tile_new_full (x, y, 256, zoom);
  FillData data = { g_main_loop_new (NULL, FALSE), FALSE };

  shumate_map_source_fill_tile_async (SHUMATE_MAP_SOURCE (source), tile, NULL, filled, &data);
  g_main_loop_run (data.loop);
  g_main_loop_unref (data.loop);
  g_assert_true (data.ok);
  return g_object_ref (shumate_tile_get_paintable (tile));
}

/* the tile of @source at (@lon, @lat) painted as a cairo window paints it */
static void
check_cairo_tile (SabanTileSource *source,
                  double           lon,
                  double           lat,
                  guint            zoom)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autofree guint8 *expected = NULL, *painted = NULL, *shifted = NULL;
  guint x, y;

  saban_tile_source_set_cairo_tiles (source, TRUE);
  tile_at (lon, lat, zoom, &x, &y);
  paintable = fill (source, x, y, zoom);
  g_assert_true (SABAN_IS_TILE_PAINTABLE (paintable));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 256);
  expected = drawn_over_red (source, x, y, zoom);
  painted = draw_over_red (paintable, 0, 0);
  g_assert_cmpmem (painted, 256 * 256 * 4, expected, 256 * 256 * 4);
  /* a pan's fractional place: snapped, not resampled */
  shifted = draw_over_red (paintable, 0.3, -0.4);
  g_assert_cmpmem (shifted, 256 * 256 * 4, expected, 256 * 256 * 4);
}

/* For a window drawn with cairo a tile is the cairo surface it was drawn
 * into (no texture for GTK to convert every frame, issue 16's pan): it
 * paints the very pixels drawn, an opaque tile (the base map's) as well as
 * a translucent one over what is below, and on whole pixels however the
 * pan places it. */
static void
test_cairo_tiles (void)
{
  g_autofree char *name = g_strdup_printf ("GPKG:%s:basemap", g_getenv ("SABAN_DEMO_DATA"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanRasterLayer) raster = saban_raster_layer_open (name, NULL, &error);
  g_autoptr(SabanLayer) base = NULL;
  g_autoptr(SabanTileSource) opaque = NULL;
  SabanVectorLayer *zoning = find_layer ("zoning");
  g_autoptr(SabanLayerStyle) style = saban_layer_style_new_for_layer (zoning);
  g_autoptr(SabanTileSource) translucent = saban_tile_source_new (zoning, style);
  g_autoptr(GdkPaintable) texture = NULL;
  guint x, y;

  g_assert_no_error (error);
  base = saban_layer_new_raster (raster);
  opaque = saban_tile_source_new_composite (&base, 1);
  check_cairo_tile (opaque, 104.0, 22.3, 9);
  check_cairo_tile (translucent, 103.9, 22.8, 10);   /* the northern border */

  /* back to textures, as for a GL window */
  saban_tile_source_set_cairo_tiles (translucent, FALSE);
  tile_at (103.9, 22.8, 10, &x, &y);
  texture = fill (translucent, x, y, 10);
  g_assert_true (GDK_IS_TEXTURE (texture));
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
  g_autoptr(SabanLayer) bottom = saban_layer_new (zoning, zs);
  g_autoptr(SabanLayer) top = saban_layer_new (communes, cs);
  SabanLayer *layers[] = { bottom, top };
  g_autoptr(SabanTileSource) both = saban_tile_source_new_composite (layers, 2);
  g_autoptr(SabanTileSource) half = NULL;
  g_autoptr(SabanTileSource) alone = saban_tile_source_new (zoning, zs);
  g_autoptr(GdkTexture) t_both = NULL, t_half = NULL, t_alone = NULL;
  g_autofree guint8 *p_both = NULL, *p_half = NULL, *p_alone = NULL;
  guint x, y, differ = 0, translucent = 0;

  saban_layer_set_opacity (bottom, 0.5);
  half = saban_tile_source_new_composite (layers, 2);
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

/* A raster is a pass like any other: the demo's base map under the zoning,
 * opaque where it has pixels; at half opacity, half covered; nothing far
 * from it. */
static void
test_raster_pass (void)
{
  g_autofree char *name = g_strdup_printf ("GPKG:%s:basemap", g_getenv ("SABAN_DEMO_DATA"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanRasterLayer) raster = saban_raster_layer_open (name, NULL, &error);
  SabanVectorLayer *zoning = find_layer ("zoning");
  g_autoptr(SabanLayerStyle) zs = saban_layer_style_new_for_layer (zoning);
  g_autoptr(SabanLayer) base = NULL;
  g_autoptr(SabanLayer) top = saban_layer_new (zoning, zs);
  g_autoptr(SabanTileSource) both = NULL, faint = NULL;
  g_autoptr(GdkTexture) t_both = NULL, t_faint = NULL, t_far = NULL;
  g_autofree guint8 *p_both = NULL, *p_faint = NULL;
  guint x, y, opaque = 0, half = 0;

  g_assert_no_error (error);
  base = saban_layer_new_raster (raster);
  {
    SabanLayer *layers[] = { base, top };

    both = saban_tile_source_new_composite (layers, 2);
    saban_layer_set_opacity (base, 0.5);
    faint = saban_tile_source_new_composite (layers, 1);
  }
  tile_at (104.0, 22.3, 9, &x, &y);
  t_both = saban_tile_source_render (both, x, y, 9, 256);
  t_faint = saban_tile_source_render (faint, x, y, 9, 256);
  g_assert_nonnull (t_both);
  g_assert_nonnull (t_faint);
  p_both = download (t_both);
  p_faint = download (t_faint);
  for (guint i = 0; i < 256 * 256; i++)
    {
      opaque += p_both[4 * i + 3] == 255;
      half += abs ((int) p_faint[4 * i + 3] - 128) <= 2;
    }
  g_assert_cmpuint (opaque, ==, 256 * 256);
  g_assert_cmpuint (half, ==, 256 * 256);
  tile_at (-70, 40, 9, &x, &y);
  t_far = saban_tile_source_render (both, x, y, 9, 256);
  g_assert_null (t_far);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);
  /* render nodes without a display (gtk_init registers them otherwise) */
  g_type_ensure (GSK_TYPE_CAIRO_NODE);
  layers = saban_ogr_read (g_getenv ("SABAN_DEMO_DATA"), "EPSG:9208", NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/tile-source/zoning", test_zoning_tile);
  g_test_add_func ("/tile-source/empty", test_empty_tile);
  g_test_add_func ("/tile-source/texture-format", test_texture_format);
  g_test_add_func ("/tile-source/min-zoom", test_min_zoom);
  g_test_add_func ("/tile-source/scanline-fill", test_scanline_fill);
  g_test_add_func ("/tile-source/small-parcels", test_small_parcels);
  g_test_add_func ("/tile-source/fill-async", test_fill_async);
  g_test_add_func ("/tile-source/cairo-tiles", test_cairo_tiles);
  g_test_add_func ("/tile-source/composite", test_composite);
  g_test_add_func ("/tile-source/raster-pass", test_raster_pass);
  g_test_add_func ("/tile-source/empty-tile-no-texture", test_empty_tile_has_no_texture);
  result = g_test_run ();
  g_ptr_array_unref (layers);
  return result;
}
