/* saban-tile-source.c: the map's layers drawn into 256 px tiles.
 *
 * One source draws one layer or, for the map, every visible layer at once,
 * bottom to top with their opacities: the map then composes one texture per
 * tile while panning, however many layers are shown. Vector layers are
 * rasterised here; a raster layer draws its own pixels into the tile
 * (saban_raster_layer_render(), through its overviews), and a map service's
 * tile is fetched through its SabanTileFetcher (core/net: this file never
 * talks HTTP) and decoded here, each composed like any other pass.
 *
 * libshumate asks for tiles; each is drawn with cairo in a worker thread from
 * the layer's compact Mercator arrays and its spatial index, then handed back
 * as a texture. The main thread never draws features and never waits.
 *
 * At small scales a feature narrower than a pixel becomes one pixel, and
 * consecutive vertices less than half a pixel apart are merged, so a tile
 * costs about the same whatever the layer's detail. Polygons a few pixels
 * across (parcels at district scale) skip cairo for a plain scanline filler
 * (saban-scanline.c), many times cheaper and, at that size, as legible.
 *
 * Over a thousand lines: vector passes, rasters and services are drawn by one
 * painter into one tile, with one label placement across layers.
 */
#include "saban-tile-source.h"
#include "saban-layer.h"
#include "saban-scanline.h"
#include "saban-tile-paintable.h"

#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>

#define WEB_MERCATOR_HALF 20037508.342789244
/* a print's square asks a map service for at most this many tiles */
#define MAX_SERVICE_TILES 64

typedef struct
{
  SabanVectorLayer *layer;   /* NULL for a raster */
  SabanRasterLayer *raster;  /* NULL for a vector layer */
  SabanRasterRender render;
  SabanTileFetcher *service; /* a map service's tiles: NULL otherwise */
  char *title;               /* a map service's, as the layer list shows it */
  SabanLayerStyle *style;
  double opacity;
} Pass;

struct _SabanTileSource
{
  ShumateMapSource parent_instance;

  GPtrArray *passes;   /* Pass, bottom to top */
  guint pending;
  gboolean ignore_min_zoom;
  gboolean cairo_tiles;   /* tiles as SabanTilePaintable, not textures */
};

static void
pass_free (gpointer data)
{
  Pass *pass = data;

  g_clear_object (&pass->layer);
  g_clear_object (&pass->raster);
  g_clear_object (&pass->service);
  g_free (pass->title);
  g_object_unref (pass->style);
  g_free (pass);
}

G_DEFINE_FINAL_TYPE (SabanTileSource, saban_tile_source, SHUMATE_TYPE_MAP_SOURCE)

enum {
  PROP_0,
  PROP_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  cairo_t *cr;
  SabanVectorLayer *layer;
  SabanLayerStyle *style;
  const SabanFeatureArrays *arrays;
  double min_x;
  double max_y;
  double pixel;   /* Mercator metres per pixel */
  GArray *small;  /* guint32: polygons left to the scanline filler; NULL: none */
} Painter;

/* A polygon at most this many pixels wide and high, of at most
 * SABAN_SCANLINE_MAX_POINTS points, outlined at most a pixel wide, is drawn
 * without cairo: aliasing shows on larger ones. */
#define SMALL_POLYGON_PX 16

static void
set_color (cairo_t       *cr,
           const GdkRGBA *rgba)
{
  cairo_set_source_rgba (cr, rgba->red, rgba->green, rgba->blue, rgba->alpha);
}

/* Consecutive vertices less than half a pixel apart merge; a part keeps its
 * first and last. */
static inline gboolean
vertex_merges (double x,
               double y,
               double previous_x,
               double previous_y)
{
  return fabs (x - previous_x) < 0.5 && fabs (y - previous_y) < 0.5;
}

/* Adds the feature's parts to the path, in pixels, merging close vertices. */
static void
trace_feature (Painter *p,
               guint32  f,
               gboolean close)
{
  const SabanFeatureArrays *a = p->arrays;

  for (guint32 part = a->part_starts[f]; part < a->part_starts[f + 1]; part++)
    {
      guint32 first = a->point_starts[part], last = a->point_starts[part + 1];
      double px = 0, py = 0;

      for (guint32 i = first; i < last; i++)
        {
          double x = (a->xy[2 * i] - p->min_x) / p->pixel;
          double y = (p->max_y - a->xy[2 * i + 1]) / p->pixel;

          if (i == first)
            cairo_move_to (p->cr, x, y);
          else if (i + 1 == last || !vertex_merges (x, y, px, py))
            cairo_line_to (p->cr, x, y);
          else
            continue;
          px = x;
          py = y;
        }
      if (close)
        cairo_close_path (p->cr);
    }
}

static gboolean
is_small_polygon (Painter      *p,
                  guint32       f,
                  const double *box)
{
  const SabanFeatureArrays *a = p->arrays;

  return box[2] - box[0] <= SMALL_POLYGON_PX * p->pixel && box[3] - box[1] <= SMALL_POLYGON_PX * p->pixel &&
         a->point_starts[a->part_starts[f + 1]] - a->point_starts[a->part_starts[f]] <= SABAN_SCANLINE_MAX_POINTS &&
         saban_layer_style_get_stroke_width (p->style) <= 1;
}

/* The feature's rings in pixels, close vertices merged as in
 * trace_feature(); returns the number of rings. */
static guint
feature_pixels (Painter *p,
                guint32  f,
                double  *xy,
                guint   *ring_ends)
{
  const SabanFeatureArrays *a = p->arrays;
  guint n = 0, n_rings = 0;

  for (guint32 part = a->part_starts[f]; part < a->part_starts[f + 1]; part++)
    {
      guint32 first = a->point_starts[part], last = a->point_starts[part + 1];

      for (guint32 i = first; i < last; i++)
        {
          double x = (a->xy[2 * i] - p->min_x) / p->pixel;
          double y = (p->max_y - a->xy[2 * i + 1]) / p->pixel;

          if (i != first && i + 1 != last && vertex_merges (x, y, xy[2 * n - 2], xy[2 * n - 1]))
            continue;
          xy[2 * n] = x;
          xy[2 * n + 1] = y;
          n++;
        }
      ring_ends[n_rings++] = n;
    }
  return n_rings;
}

/* The small polygons of one pass, fills first and outlines over them, so no
 * parcel's fill hides half of its neighbour's outline. */
static void
paint_small (Painter         *p,
             cairo_surface_t *target)
{
  const GdkRGBA *stroke = saban_layer_style_get_stroke (p->style);
  double width = saban_layer_style_get_stroke_width (p->style);
  guint32 outline = stroke->alpha > 0 && width > 0 ? saban_scanline_color (stroke, MIN (width, 1)) : 0;
  double xy[2 * SABAN_SCANLINE_MAX_POINTS];
  guint ends[SABAN_SCANLINE_MAX_POINTS];
  SabanScanline s;

  cairo_surface_flush (target);
  saban_scanline_init (&s, cairo_image_surface_get_data (target), cairo_image_surface_get_width (target),
                       cairo_image_surface_get_height (target), cairo_image_surface_get_stride (target));
  for (guint k = 0; k < p->small->len; k++)
    {
      guint32 f = g_array_index (p->small, guint32, k);
      const double *box = p->arrays->boxes + 4 * (gsize) f;
      const GdkRGBA *category = saban_layer_style_get_feature_color (p->style, p->layer, f);
      const GdkRGBA *fill = category != NULL ? category : saban_layer_style_get_fill (p->style);

      if ((box[2] - box[0]) < p->pixel && (box[3] - box[1]) < p->pixel)
        /* Keep sub-pixel features visible as one pixel. */
        saban_scanline_pixel (&s, (int) floor ((box[0] - p->min_x) / p->pixel),
                              (int) floor ((p->max_y - box[3]) / p->pixel),
                              saban_scanline_color (fill->alpha > 0 ? fill : stroke, 1));
      else if (fill->alpha > 0)
        saban_scanline_fill (&s, xy, ends, feature_pixels (p, f, xy, ends), saban_scanline_color (fill, 1));
    }
  for (guint k = 0; outline != 0 && k < p->small->len; k++)
    {
      guint32 f = g_array_index (p->small, guint32, k);
      const double *box = p->arrays->boxes + 4 * (gsize) f;
      guint n_rings, start = 0;

      if ((box[2] - box[0]) < p->pixel && (box[3] - box[1]) < p->pixel)
        continue;
      n_rings = feature_pixels (p, f, xy, ends);
      for (guint r = 0; r < n_rings; start = ends[r++])
        for (guint i = start; i < ends[r]; i++)
          {
            guint j = i + 1 < ends[r] ? i + 1 : start;

            saban_scanline_line (&s, xy[2 * i], xy[2 * i + 1], xy[2 * j], xy[2 * j + 1], outline);
          }
    }
  cairo_surface_mark_dirty (target);
}

static gboolean
paint_feature (guint32  f,
               gpointer user_data)
{
  Painter *p = user_data;
  const double *box = p->arrays->boxes + 4 * (gsize) f;
  const GdkRGBA *category = saban_layer_style_get_feature_color (p->style, p->layer, f);
  const GdkRGBA *stroke = saban_layer_style_get_stroke (p->style);
  const GdkRGBA *fill = category != NULL ? category : saban_layer_style_get_fill (p->style);
  double width = saban_layer_style_get_stroke_width (p->style);
  gboolean tiny = (box[2] - box[0]) < p->pixel && (box[3] - box[1]) < p->pixel;

  switch (saban_vector_layer_get_kind (p->layer))
    {
    case SABAN_GEOMETRY_POINT:
      {
        const double *xy = p->arrays->xy + 2 * (gsize) p->arrays->point_starts[p->arrays->part_starts[f]];
        double x = (xy[0] - p->min_x) / p->pixel, y = (p->max_y - xy[1]) / p->pixel;

        cairo_new_path (p->cr);
        cairo_arc (p->cr, x, y, saban_layer_style_get_point_radius (p->style), 0, 2 * G_PI);
        set_color (p->cr, fill);
        cairo_fill_preserve (p->cr);
        set_color (p->cr, stroke);
        cairo_set_line_width (p->cr, width);
        cairo_stroke (p->cr);
      }
      break;

    case SABAN_GEOMETRY_LINE:
      if (tiny)
        break;
      cairo_new_path (p->cr);
      trace_feature (p, f, FALSE);
      set_color (p->cr, category != NULL ? category : stroke);
      cairo_set_line_width (p->cr, width);
      cairo_stroke (p->cr);
      break;

    case SABAN_GEOMETRY_POLYGON:
    default:
      if (p->small != NULL && (tiny || is_small_polygon (p, f, box)))
        {
          g_array_append_val (p->small, f);
          break;
        }
      cairo_new_path (p->cr);
      if (tiny)
        {
          /* Keep sub-pixel features visible as one pixel. */
          cairo_rectangle (p->cr, floor ((box[0] - p->min_x) / p->pixel),
                           floor ((p->max_y - box[3]) / p->pixel), 1, 1);
          set_color (p->cr, fill->alpha > 0 ? fill : stroke);
          cairo_fill (p->cr);
          break;
        }
      trace_feature (p, f, TRUE);
      if (fill->alpha > 0)
        {
          set_color (p->cr, fill);
          cairo_fill_preserve (p->cr);
        }
      if (stroke->alpha > 0 && width > 0)
        {
          set_color (p->cr, stroke);
          cairo_set_line_width (p->cr, width);
          cairo_stroke (p->cr);
        }
      cairo_new_path (p->cr);
      break;
    }
  return TRUE;
}

/* Labels are drawn from anchors up to this many pixels outside the tile, so a
 * label across a tile edge is drawn, the same, in both tiles. */
#define LABEL_REACH 160
#define LABEL_MIN_ZOOM 9

typedef struct
{
  Painter *p;
  GArray *found;   /* guint32 */
} Collect;

static gboolean
collect_feature (guint32  f,
                 gpointer user_data)
{
  Collect *c = user_data;

  g_array_append_val (c->found, f);
  return TRUE;
}

/* Bigger features first, then by index: every tile decides collisions near
 * its edges in the same order. */
static int
compare_by_size (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const double *boxes = user_data;
  guint32 fa = *(const guint32 *) a, fb = *(const guint32 *) b;
  double sa = (boxes[4 * fa + 2] - boxes[4 * fa]) + (boxes[4 * fa + 3] - boxes[4 * fa + 1]);
  double sb = (boxes[4 * fb + 2] - boxes[4 * fb]) + (boxes[4 * fb + 3] - boxes[4 * fb + 1]);

  if (sa != sb)
    return sa > sb ? -1 : 1;
  return (fa > fb) - (fa < fb);
}

static void
label_anchor (Painter *p,
              guint32  f,
              double  *x,
              double  *y)
{
  const SabanFeatureArrays *a = p->arrays;
  const double *box = a->boxes + 4 * (gsize) f;

  switch (saban_vector_layer_get_kind (p->layer))
    {
    case SABAN_GEOMETRY_LINE:
      {
        /* The middle vertex of the feature's longest part. */
        guint32 best = a->part_starts[f], best_n = 0;

        for (guint32 part = a->part_starts[f]; part < a->part_starts[f + 1]; part++)
          if (a->point_starts[part + 1] - a->point_starts[part] > best_n)
            {
              best = part;
              best_n = a->point_starts[part + 1] - a->point_starts[part];
            }
        *x = a->xy[2 * (a->point_starts[best] + best_n / 2)];
        *y = a->xy[2 * (a->point_starts[best] + best_n / 2) + 1];
      }
      break;
    case SABAN_GEOMETRY_POINT:
    case SABAN_GEOMETRY_POLYGON:
    default:
      *x = (box[0] + box[2]) / 2;
      *y = (box[1] + box[3]) / 2;
      break;
    }
}

typedef struct
{
  double x0, y0, x1, y1;
} Rect;

static gboolean
rects_overlap (const Rect *a,
               const Rect *b)
{
  return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static void
paint_labels (Painter    *p,
              const char *field_name,
              double      extent,
              GArray     *placed)
{
  const SabanAttributeTable *table = saban_vector_layer_get_attributes (p->layer);
  int field = saban_attribute_table_find_field (table, field_name);
  double reach = LABEL_REACH * p->pixel;
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (guint32));
  Collect c = { p, found };
  PangoLayout *layout;
  PangoFontDescription *font;
  gboolean point = saban_vector_layer_get_kind (p->layer) == SABAN_GEOMETRY_POINT;

  if (field < 0)
    return;
  saban_spatial_index_query (saban_vector_layer_get_index (p->layer),
                             p->min_x - reach, p->max_y - extent - reach,
                             p->min_x + extent + reach, p->max_y + reach,
                             collect_feature, &c);
  g_array_sort_with_data (found, compare_by_size, (gpointer) p->arrays->boxes);

  layout = pango_cairo_create_layout (p->cr);
  font = pango_font_description_from_string ("Sans 9");
  pango_layout_set_font_description (layout, font);
  cairo_set_line_join (p->cr, CAIRO_LINE_JOIN_ROUND);

  for (guint i = 0; i < found->len; i++)
    {
      guint32 f = g_array_index (found, guint32, i);
      g_autofree char *text = saban_attribute_table_format (table, field, f);
      const double *box = p->arrays->boxes + 4 * (gsize) f;
      double ax, ay, x, y;
      Rect rect;
      int w, h;
      gboolean free_spot = TRUE;

      if (*text == '\0')
        continue;
      /* A polygon label must fit its polygon, roughly. */
      pango_layout_set_text (layout, text, -1);
      pango_layout_get_pixel_size (layout, &w, &h);
      if (saban_vector_layer_get_kind (p->layer) == SABAN_GEOMETRY_POLYGON &&
          (box[2] - box[0]) / p->pixel < w * 0.8)
        continue;

      label_anchor (p, f, &ax, &ay);
      x = (ax - p->min_x) / p->pixel + (point ? 8 : -w / 2.0);
      y = (p->max_y - ay) / p->pixel - h / 2.0;
      rect = (Rect) { x - 2, y - 1, x + w + 2, y + h + 1 };
      for (guint j = 0; j < placed->len && free_spot; j++)
        free_spot = !rects_overlap (&rect, &g_array_index (placed, Rect, j));
      if (!free_spot)
        continue;
      g_array_append_val (placed, rect);

      /* A light halo keeps the text readable over every fill. */
      cairo_move_to (p->cr, x, y);
      pango_cairo_layout_path (p->cr, layout);
      cairo_set_source_rgba (p->cr, 1, 1, 1, 0.9);
      cairo_set_line_width (p->cr, 3);
      cairo_stroke (p->cr);
      cairo_move_to (p->cr, x, y);
      cairo_set_source_rgb (p->cr, 0.14, 0.12, 0.19);
      pango_cairo_show_layout (p->cr, layout);
    }
  pango_font_description_free (font);
  g_object_unref (layout);
}

/* The scanline filler writes an image's pixels straight: only into a tile,
 * an image surface drawn one user unit a pixel with nothing clipped (a
 * print's page is none of these; its small polygons go through cairo). */
static gboolean
writes_pixels (cairo_t *cr,
               guint    size)
{
  cairo_surface_t *target = cairo_get_target (cr);
  cairo_matrix_t m;
  double x1, y1, x2, y2;

  if (cairo_surface_get_type (target) != CAIRO_SURFACE_TYPE_IMAGE)
    return FALSE;
  cairo_get_matrix (cr, &m);
  cairo_clip_extents (cr, &x1, &y1, &x2, &y2);
  return m.xx == 1 && m.yy == 1 && m.xy == 0 && m.yx == 0 && m.x0 == 0 && m.y0 == 0 &&
         x1 <= 0 && y1 <= 0 && x2 >= size && y2 >= size;
}

/* The raster into a square of its own, composed over the passes below; an
 * opaque raster at the bottom of a tile (an orthophoto) straight into it. */
static void
paint_raster (const Pass *pass,
              gboolean    bottom,
              cairo_t    *cr,
              double      min_x,
              double      max_y,
              double      extent,
              guint       size)
{
  cairo_surface_t *own;

  if (bottom && pass->opacity >= 1 && writes_pixels (cr, size))
    {
      cairo_surface_t *target = cairo_get_target (cr);

      cairo_surface_flush (target);
      saban_raster_layer_render (pass->raster, pass->render, min_x, max_y, extent, size,
                                 cairo_image_surface_get_data (target), cairo_image_surface_get_stride (target));
      cairo_surface_mark_dirty (target);
      return;
    }
  own = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);

  if (saban_raster_layer_render (pass->raster, pass->render, min_x, max_y, extent, size,
                                 cairo_image_surface_get_data (own), cairo_image_surface_get_stride (own)))
    {
      cairo_surface_mark_dirty (own);
      cairo_set_source_surface (cr, own, 0, 0);
      cairo_paint_with_alpha (cr, pass->opacity);
    }
  cairo_surface_destroy (own);
}

/* One tile of a map service, fetched (core/net: its disk cache, its
 * server) and decoded here in the drawing thread, put at @x, @y (user
 * units) @side wide with the layer's opacity. */
static void
paint_service_tile (const Pass *pass,
                    cairo_t    *cr,
                    guint       zoom,
                    guint       tx,
                    guint       ty,
                    double      x,
                    double      y,
                    double      side)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = saban_tile_fetcher_fetch_tile (pass->service, zoom, tx, ty, NULL, &error);
  g_autoptr(GdkTexture) texture = bytes != NULL ? gdk_texture_new_from_bytes (bytes, &error) : NULL;
  g_autofree guint8 *pixels = NULL;
  cairo_surface_t *image;
  int w, h;

  if (texture == NULL)
    {
      g_debug ("map service tile %u/%u/%u: %s", zoom, tx, ty, error->message);
      return;
    }
  w = gdk_texture_get_width (texture);
  h = gdk_texture_get_height (texture);
  pixels = g_malloc ((gsize) w * h * 4);
  /* GDK's default memory format is cairo's ARGB32, premultiplied */
  gdk_texture_download (texture, pixels, (gsize) w * 4);
  image = cairo_image_surface_create_for_data (pixels, CAIRO_FORMAT_ARGB32, w, h, w * 4);
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, side / w, side / h);
  cairo_set_source_surface (cr, image, 0, 0);
  cairo_paint_with_alpha (cr, pass->opacity);
  cairo_restore (cr);
  cairo_surface_destroy (image);
}

/* The service tiles at @zoom under the square drawn, as a range of
 * columns and rows; returns how many. */
static double
service_tiles (double  min_x,
               double  max_y,
               double  extent,
               guint   zoom,
               double *x0,
               double *x1,
               double *y0,
               double *y1)
{
  double tile = 2 * WEB_MERCATOR_HALF / (double) (1u << MIN (zoom, 30));
  double last = (double) (1u << MIN (zoom, 30)) - 1;

  /* a hair inside the square's edges, so a map tile covers just itself */
  *x0 = CLAMP (floor ((min_x + WEB_MERCATOR_HALF) / tile + 1e-6), 0, last);
  *x1 = CLAMP (ceil ((min_x + extent + WEB_MERCATOR_HALF) / tile - 1e-6) - 1, 0, last);
  *y0 = CLAMP (floor ((WEB_MERCATOR_HALF - max_y) / tile + 1e-6), 0, last);
  *y1 = CLAMP (ceil ((WEB_MERCATOR_HALF - max_y + extent) / tile - 1e-6) - 1, 0, last);
  return (*x1 - *x0 + 1) * (*y1 - *y0 + 1);
}

/* A map service's tiles at @zoom under the square drawn: the one tile of
 * a map's tile; those a print's square covers, fetched one by one on the
 * print's thread, at most MAX_SERVICE_TILES: a larger print takes them a
 * zoom lower (each a quarter as many), enlarged. A WMS-T set that stops
 * short of @zoom gives its deepest tiles, enlarged. Either way the layer's
 * title goes to @coarse (nullable), so that a print says so. */
static void
paint_service (const Pass *pass,
               cairo_t    *cr,
               double      min_x,
               double      max_y,
               double      extent,
               guint       zoom,
               guint       size,
               GPtrArray  *coarse)
{
  double x0, x1, y0, y1, tile, scale = size / extent;
  guint asked = zoom;
  int offered = saban_map_service_offered_zoom (saban_tile_fetcher_get_service (pass->service), zoom);

  if (offered < 0)
    return;
  zoom = (guint) offered;
  while (service_tiles (min_x, max_y, extent, zoom, &x0, &x1, &y0, &y1) > MAX_SERVICE_TILES && zoom > 0)
    zoom--;
  if (zoom < asked)
    {
      g_debug ("map service %s: drawn from zoom %u, not %u", pass->title, zoom, asked);
      if (coarse != NULL && !g_ptr_array_find_with_equal_func (coarse, pass->title, g_str_equal, NULL))
        g_ptr_array_add (coarse, g_strdup (pass->title));
    }
  tile = 2 * WEB_MERCATOR_HALF / (double) (1u << MIN (zoom, 30));
  for (double ty = y0; ty <= y1; ty++)
    for (double tx = x0; tx <= x1; tx++)
      paint_service_tile (pass, cr, zoom, (guint) tx, (guint) ty, (tx * tile - WEB_MERCATOR_HALF - min_x) * scale,
                          (max_y - (WEB_MERCATOR_HALF - ty * tile)) * scale, tile * scale);
}

static void
paint_pass (SabanTileSource *self,
            const Pass      *pass,
            GArray          *placed,
            cairo_t         *cr,
            double           min_x,
            double           max_y,
            double           extent,
            guint            zoom,
            guint            size,
            GPtrArray       *coarse)
{
  Painter p = {
    .cr = cr,
    .layer = pass->layer,
    .style = pass->style,
    .arrays = pass->layer != NULL ? saban_vector_layer_get_arrays (pass->layer) : NULL,
    .min_x = min_x,
    .max_y = max_y,
    .pixel = extent / size,
  };
  const char *label_field = saban_layer_style_get_label_field (pass->style);
  g_autoptr(GArray) small = NULL;
  double margin;

  if (pass->service != NULL)
    {
      paint_service (pass, cr, min_x, max_y, extent, zoom, size, coarse);
      return;
    }
  if (pass->raster != NULL)
    {
      paint_raster (pass, pass == g_ptr_array_index (self->passes, 0), cr, min_x, max_y, extent, size);
      return;
    }
  if (!self->ignore_min_zoom && zoom < saban_layer_style_get_min_zoom (pass->style))
    return;
  if (pass->opacity < 1)
    cairo_push_group (cr);
  else if (writes_pixels (cr, size))
    /* The filler writes the tile's own pixels, not a group's. */
    p.small = small = g_array_new (FALSE, FALSE, sizeof (guint32));
  /* Strokes and point symbols reach past the tile edge. */
  margin = p.pixel * (saban_layer_style_get_point_radius (pass->style) +
                      saban_layer_style_get_stroke_width (pass->style) + 1);
  saban_spatial_index_query (saban_vector_layer_get_index (pass->layer),
                             min_x - margin, max_y - extent - margin,
                             min_x + extent + margin, max_y + margin,
                             paint_feature, &p);
  if (small != NULL && small->len > 0)
    paint_small (&p, cairo_get_target (cr));
  if (label_field != NULL && zoom >= LABEL_MIN_ZOOM)
    paint_labels (&p, label_field, extent, placed);
  if (pass->opacity < 1)
    {
      cairo_pop_group_to_source (cr);
      cairo_paint_with_alpha (cr, pass->opacity);
    }
}

/**
 * saban_tile_source_draw:
 * @cr: where to draw (a PDF page, an image): one user unit is one pixel
 * @min_x: the left edge, Web Mercator metres
 * @max_y: the top edge, Web Mercator metres
 * @extent: the side of the square drawn, Web Mercator metres
 * @zoom: the zoom the drawing stands for (the styles' minimum zooms, labels)
 * @size: the side of the square in user units of @cr
 * @coarse: (nullable) (element-type utf8): gets the titles of the map
 *   services drawn from a lower zoom than @zoom (too many tiles to fetch)
 *
 * Draws what saban_tile_source_render() draws into a tile, into any cairo
 * context: a print is drawn by the renderer the map's tiles are. Clip @cr
 * to the part wanted. Safe from any thread.
 */
void
saban_tile_source_draw (SabanTileSource *self,
                        cairo_t         *cr,
                        double           min_x,
                        double           max_y,
                        double           extent,
                        guint            zoom,
                        guint            size,
                        GPtrArray       *coarse)
{
  g_autoptr(GArray) placed = g_array_new (FALSE, FALSE, sizeof (Rect));

  cairo_save (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint i = 0; i < self->passes->len; i++)
    paint_pass (self, g_ptr_array_index (self->passes, i), placed, cr, min_x, max_y, extent, zoom, size, coarse);
  cairo_restore (cr);
}

static gboolean
found_one (guint32  f,
           gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return FALSE;
}

/* Nothing of any layer near the tile: nothing to draw, and in the map no
 * texture at all, so there is nothing to compose there while panning. */
static gboolean
tile_is_empty (SabanTileSource *self,
               double           min_x,
               double           max_y,
               double           extent,
               guint            zoom,
               guint            size)
{
  double pixel = extent / size;
  gboolean any = FALSE;

  for (guint i = 0; i < self->passes->len && !any; i++)
    {
      const Pass *pass = g_ptr_array_index (self->passes, i);
      double reach = pixel * (saban_layer_style_get_label_field (pass->style) != NULL ? LABEL_REACH :
                              saban_layer_style_get_point_radius (pass->style) +
                              saban_layer_style_get_stroke_width (pass->style) + 1);

      if (pass->service != NULL)
        {
          any = TRUE;
          continue;
        }
      if (pass->raster != NULL)
        {
          double e[4];

          saban_raster_layer_get_extent (pass->raster, &e[0], &e[1], &e[2], &e[3]);
          any = min_x < e[2] && min_x + extent > e[0] && max_y > e[1] && max_y - extent < e[3];
          continue;
        }
      if (!self->ignore_min_zoom && zoom < saban_layer_style_get_min_zoom (pass->style))
        continue;
      saban_spatial_index_query (saban_vector_layer_get_index (pass->layer),
                                 min_x - reach, max_y - extent - reach, min_x + extent + reach, max_y + reach,
                                 found_one, &any);
    }
  return !any;
}

/**
 * saban_tile_source_render_into:
 * @size: the tile's width and height in pixels
 * @data: (array): @size rows of @size premultiplied ARGB32 pixels (cairo's
 *   %CAIRO_FORMAT_ARGB32), cleared by the caller for a tile of its own
 * @stride: bytes from one row of @data to the next
 *
 * Draws one tile over what @data holds, with no allocation of its own for
 * the pixels. Safe to call from any thread.
 *
 * Returns: %FALSE, leaving @data untouched, when nothing of any layer is near
 *   the tile
 */
gboolean
saban_tile_source_render_into (SabanTileSource *self,
                               guint            x,
                               guint            y,
                               guint            zoom,
                               guint            size,
                               guint8          *data,
                               gsize            stride)
{
  double extent = 2 * WEB_MERCATOR_HALF / (double) (1u << zoom);
  double min_x = -WEB_MERCATOR_HALF + x * extent;
  double max_y = WEB_MERCATOR_HALF - y * extent;
  cairo_surface_t *surface;
  cairo_t *cr;
  /* Labels of every layer avoid each other. */
  g_autoptr(GArray) placed = NULL;

  if (tile_is_empty (self, min_x, max_y, extent, zoom, size))
    return FALSE;
  placed = g_array_new (FALSE, FALSE, sizeof (Rect));
  surface = cairo_image_surface_create_for_data (data, CAIRO_FORMAT_ARGB32, size, size, stride);
  cr = cairo_create (surface);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint i = 0; i < self->passes->len; i++)
    paint_pass (self, g_ptr_array_index (self->passes, i), placed, cr, min_x, max_y, extent, zoom, size, NULL);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  return TRUE;
}

/* whether every pixel of a drawn tile is fully opaque */
static gboolean
is_opaque (const guint8 *data,
           gsize         stride,
           guint         size)
{
  for (guint row = 0; row < size; row++)
    for (const guint32 *px = (const guint32 *) (data + row * stride), *end = px + size; px < end; px++)
      if ((*px >> 24) != 0xff)
        return FALSE;
  return TRUE;
}

/* GTK 4.8's cairo renderer downloads a texture again each time it
 * repaints any part of it, and from its own premultiplied BGRA it converts
 * every pixel through floats: ~0.5–0.9 ms a 256 px tile, against ~0.04 ms
 * from R8G8B8 and ~0.3 ms from straight R8G8B8A8 (measured here; issue 15:
 * rings pulsing over the map, the pan). A window drawn with cairo gets no
 * texture at all (render_paintable()); for the others a tile is handed
 * over as R8G8B8 when opaque (the base map's; GL takes it as it is), else
 * as straight R8G8B8A8 (GL premultiplies it once, at upload). The pixels are cairo's
 * ARGB32, premultiplied, native-endian, and are repacked in place: a pixel
 * is read before anything is written over it. Returns the format. */
static GdkMemoryFormat
repack_for_gtk (guint8 *data,
                gsize   stride,
                guint   size)
{
  gboolean opaque = is_opaque (data, stride, size);
  guint8 *out = data;

  for (guint row = 0; row < size; row++)
    for (const guint32 *px = (const guint32 *) (data + row * stride), *end = px + size; px < end; px++)
      {
        guint32 argb = *px;
        guint a = argb >> 24, r = (argb >> 16) & 0xff, g = (argb >> 8) & 0xff, b = argb & 0xff;

        if (a != 0xff && a != 0)
          {
            r = (r * 255 + a / 2) / a;
            g = (g * 255 + a / 2) / a;
            b = (b * 255 + a / 2) / a;
          }
        *out++ = r;
        *out++ = g;
        *out++ = b;
        if (!opaque)
          *out++ = a;
      }
  return opaque ? GDK_MEMORY_R8G8B8 : GDK_MEMORY_R8G8B8A8;
}

/**
 * saban_tile_source_render:
 * @size: the tile's width and height in pixels
 *
 * Draws one tile. Safe to call from any thread; the app's tiles come from
 * here, the benchmark's images from saban_tile_source_render_into(), which
 * this wraps.
 *
 * Returns: (transfer full) (nullable): the tile, or %NULL when nothing of any
 *   layer is near it
 */
GdkTexture *
saban_tile_source_render (SabanTileSource *self,
                          guint            x,
                          guint            y,
                          guint            zoom,
                          guint            size)
{
  gsize stride = cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, size);
  guint8 *data = g_malloc0 (stride * size);
  g_autoptr(GBytes) bytes = NULL;
  GdkMemoryFormat format;
  gsize row;

  if (!saban_tile_source_render_into (self, x, y, zoom, size, data, stride))
    {
      g_free (data);
      return NULL;
    }
  format = repack_for_gtk (data, stride, size);
  row = (gsize) size * (format == GDK_MEMORY_R8G8B8 ? 3 : 4);
  bytes = g_bytes_new_take (g_realloc (data, row * size), row * size);
  return gdk_memory_texture_new (size, size, format, bytes, row);
}

typedef struct
{
  guint x, y, zoom, size;
} TileJob;

/* the tile as its window wants it: a texture, or for a window drawn with
 * cairo the cairo surface itself (see saban-tile-paintable.c) */
static GdkPaintable *
render_paintable (SabanTileSource *self,
                  const TileJob   *job)
{
  static const cairo_user_data_key_t data_key;
  gsize stride = cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, job->size);
  guint8 *data;
  cairo_surface_t *surface;
  GdkPaintable *paintable;

  if (!self->cairo_tiles)
    return GDK_PAINTABLE (saban_tile_source_render (self, job->x, job->y, job->zoom, job->size));
  data = g_malloc0 (stride * job->size);
  if (!saban_tile_source_render_into (self, job->x, job->y, job->zoom, job->size, data, stride))
    {
      g_free (data);
      return NULL;
    }
  /* An opaque tile (the base map's) said to be so is copied, not blended. */
  surface = cairo_image_surface_create_for_data (data, is_opaque (data, stride, job->size) ?
                                                 CAIRO_FORMAT_RGB24 : CAIRO_FORMAT_ARGB32,
                                                 job->size, job->size, stride);
  cairo_surface_set_user_data (surface, &data_key, data, g_free);
  paintable = GDK_PAINTABLE (saban_tile_paintable_new (surface));
  cairo_surface_destroy (surface);
  return paintable;
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GdkPaintable *paintable;

  if (g_task_return_error_if_cancelled (task))
    return;
  paintable = render_paintable (source_object, task_data);
  g_task_return_pointer (task, paintable, paintable != NULL ? g_object_unref : NULL);
}

static void
change_pending (SabanTileSource *self,
                int              delta)
{
  self->pending += delta;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

static void
render_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  SabanTileSource *self = SABAN_TILE_SOURCE (object);
  ShumateTile *tile = g_task_get_task_data (outer);
  g_autoptr(GdkPaintable) paintable = NULL;
  GError *error = NULL;

  change_pending (self, -1);
  paintable = g_task_propagate_pointer (G_TASK (result), &error);
  if (error != NULL)
    {
      shumate_tile_set_state (tile, SHUMATE_STATE_DONE);
      g_task_return_error (outer, error);
      return;
    }
  if (paintable == NULL)
    {
      shumate_tile_set_state (tile, SHUMATE_STATE_DONE);
      g_task_return_boolean (outer, TRUE);
      return;
    }
  shumate_tile_set_paintable (tile, paintable);
  shumate_tile_set_fade_in (tile, FALSE);
  shumate_tile_set_state (tile, SHUMATE_STATE_DONE);
  g_task_return_boolean (outer, TRUE);
}

static void
saban_tile_source_fill_tile_async (ShumateMapSource    *source,
                                   ShumateTile         *tile,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  SabanTileSource *self = SABAN_TILE_SOURCE (source);
  GTask *outer = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) inner = g_task_new (self, cancellable, render_done, outer);
  TileJob *job = g_new0 (TileJob, 1);

  g_task_set_source_tag (outer, saban_tile_source_fill_tile_async);
  g_task_set_task_data (outer, g_object_ref (tile), g_object_unref);

  job->x = shumate_tile_get_x (tile);
  job->y = shumate_tile_get_y (tile);
  job->zoom = shumate_tile_get_zoom_level (tile);
  job->size = shumate_tile_get_size (tile);
  if (job->size == 0)
    job->size = shumate_map_source_get_tile_size (source);

  shumate_tile_set_state (tile, SHUMATE_STATE_LOADING);
  change_pending (self, 1);
  g_task_set_task_data (inner, job, g_free);
  g_task_run_in_thread (inner, render_thread);
}

static gboolean
saban_tile_source_fill_tile_finish (ShumateMapSource  *source,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
saban_tile_source_dispose (GObject *object)
{
  SabanTileSource *self = (SabanTileSource *) object;

  g_clear_pointer (&self->passes, g_ptr_array_unref);

  G_OBJECT_CLASS (saban_tile_source_parent_class)->dispose (object);
}

static void
saban_tile_source_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SabanTileSource *self = SABAN_TILE_SOURCE (object);

  switch (prop_id)
    {
    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_tile_source_class_init (SabanTileSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateMapSourceClass *source_class = SHUMATE_MAP_SOURCE_CLASS (klass);

  object_class->dispose = saban_tile_source_dispose;
  object_class->get_property = saban_tile_source_get_property;

  /* Fontconfig and Pango are set up here, on the main thread, before any
   * tile thread lays out a label: their first initialisation is not safe to
   * race with GTK's (seen as GtkLabels without a layout). */
  {
    PangoContext *context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
    PangoLayout *layout = pango_layout_new (context);
    int w, h;

    pango_layout_set_text (layout, "Lào Cai", -1);
    pango_layout_get_pixel_size (layout, &w, &h);
    g_object_unref (layout);
    g_object_unref (context);
  }
  source_class->fill_tile_async = saban_tile_source_fill_tile_async;
  source_class->fill_tile_finish = saban_tile_source_fill_tile_finish;

  /**
   * SabanTileSource:pending:
   *
   * Tiles being drawn now; 0 when the layer is fully drawn.
   */
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
saban_tile_source_init (SabanTileSource *self)
{
  self->passes = g_ptr_array_new_with_free_func (pass_free);
}

static SabanTileSource *
new_source (const char *id,
            const char *name)
{
  return g_object_new (SABAN_TYPE_TILE_SOURCE,
                       "id", id,
                       "name", name,
                       "min-zoom-level", 0,
                       "max-zoom-level", 20,
                       "tile-size", 256,
                       "projection", SHUMATE_MAP_PROJECTION_MERCATOR,
                       NULL);
}

static void
add_pass (SabanTileSource  *self,
          SabanVectorLayer *layer,
          SabanLayerStyle  *style,
          double            opacity)
{
  Pass *pass = g_new0 (Pass, 1);

  pass->layer = layer != NULL ? g_object_ref (layer) : NULL;
  pass->style = g_object_ref (style);
  pass->opacity = CLAMP (opacity, 0, 1);
  g_ptr_array_add (self->passes, pass);
}

/**
 * saban_tile_source_new:
 *
 * Returns: (transfer full): a source drawing @layer with @style
 */
SabanTileSource *
saban_tile_source_new (SabanVectorLayer *layer,
                       SabanLayerStyle  *style)
{
  SabanTileSource *self = new_source (saban_layer_style_get_id (style), saban_layer_style_get_title (style));

  add_pass (self, layer, style, 1);
  return self;
}

/**
 * saban_tile_source_new_composite:
 * @layers: (array length=n): the layers, bottom to top, vector or raster
 *
 * Each is drawn as it is now (data, style or raster rendering, opacity);
 * every combination gets its own source id: libshumate caches tiles by id.
 *
 * Returns: (transfer full): a source drawing all of them into each tile
 */
SabanTileSource *
saban_tile_source_new_composite (SabanLayer **layers,
                                 guint        n)
{
  static gint serial;
  g_autofree char *id = g_strdup_printf ("saban-composite-%d", g_atomic_int_add (&serial, 1));
  SabanTileSource *self = new_source (id, id);

  for (guint i = 0; i < n; i++)
    {
      Pass *pass;

      add_pass (self, saban_layer_get_vector (layers[i]), saban_layer_get_style (layers[i]),
                saban_layer_get_opacity (layers[i]));
      pass = g_ptr_array_index (self->passes, self->passes->len - 1);
      if (saban_layer_get_raster (layers[i]) != NULL)
        {
          pass->raster = g_object_ref (saban_layer_get_raster (layers[i]));
          pass->render = saban_layer_get_raster_render (layers[i]);
        }
      if (saban_layer_get_service (layers[i]) != NULL)
        {
          pass->service = g_object_ref (saban_layer_get_service (layers[i]));
          pass->title = g_strdup (saban_layer_get_title (layers[i]));
        }
    }
  return self;
}

guint
saban_tile_source_get_pending (SabanTileSource *self)
{
  return self->pending;
}

/**
 * saban_tile_source_set_ignore_min_zoom:
 *
 * Draws the layer at every zoom, even below its style's minimum. The
 * benchmark uses it so that every feature is drawn, as other GIS do.
 */
void
saban_tile_source_set_ignore_min_zoom (SabanTileSource *self,
                                       gboolean         ignore)
{
  self->ignore_min_zoom = ignore;
}

/**
 * saban_tile_source_set_cairo_tiles:
 *
 * Hands tiles over as #SabanTilePaintable (the cairo surface they were
 * drawn into) instead of textures: what a window drawn with cairo paints
 * fastest (saban_tile_paintable_wanted()). Applies to tiles drawn from now.
 */
void
saban_tile_source_set_cairo_tiles (SabanTileSource *self,
                                   gboolean         cairo_tiles)
{
  self->cairo_tiles = cairo_tiles;
}

/**
 * saban_tile_source_suit_window:
 * @layer: (nullable): a map layer; one showing a #SabanTileSource draws its
 *   tiles from now on as @widget's window wants them (see
 *   saban_tile_source_set_cairo_tiles()); any other is left alone
 * @widget: the realized widget @layer is shown in
 */
void
saban_tile_source_suit_window (ShumateMapLayer *layer,
                               GtkWidget       *widget)
{
  g_autoptr(ShumateMapSource) source = NULL;

  if (layer == NULL)
    return;
  g_object_get (layer, "map-source", &source, NULL);
  if (SABAN_IS_TILE_SOURCE (source))
    saban_tile_source_set_cairo_tiles (SABAN_TILE_SOURCE (source), saban_tile_paintable_wanted (widget));
}
