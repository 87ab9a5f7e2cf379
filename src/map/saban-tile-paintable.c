/* saban-tile-paintable.c: a map tile for a window GTK draws with cairo.
 *
 * GTK 4.8's cairo renderer draws a GdkTexture by downloading it whole into
 * a new cairo surface every frame, converting each pixel on the way (see
 * docs/benchmarks.md, "B4"). During a pan that is every tile of the view,
 * every frame: about half of a frame's CPU. This paintable keeps the tile
 * as the cairo image surface it was drawn into (premultiplied ARGB32,
 * cairo's own format) and paints it straight from there, so a frame only
 * composes. Under GL a texture stays the better choice (uploaded once,
 * kept on the GPU); saban_tile_paintable_wanted() says which a widget's
 * window wants.
 */
#include "saban-tile-paintable.h"

#include <math.h>

struct _SabanTilePaintable
{
  GObject parent_instance;

  cairo_surface_t *surface;
  int size;
};

static void saban_tile_paintable_iface_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SabanTilePaintable, saban_tile_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE, saban_tile_paintable_iface_init))

static void
saban_tile_paintable_snapshot (GdkPaintable *paintable,
                               GdkSnapshot  *snapshot,
                               double        width,
                               double        height)
{
  SabanTilePaintable *self = SABAN_TILE_PAINTABLE (paintable);
  /* a pixel of margin: the node's bounds clip, and must not cut into the
   * whole pixels the tile is moved onto below */
  cairo_t *cr = gtk_snapshot_append_cairo (GTK_SNAPSHOT (snapshot),
                                           &GRAPHENE_RECT_INIT (-1, -1, width + 2, height + 2));

  if (width == self->size && height == self->size)
    {
      /* At its own size, on whole device pixels: a plain copy, not a
       * filtered resampling of every pixel, and no seam where two tiles
       * meet (their places differ by whole tiles, so round alike). */
      double x = 0, y = 0;

      cairo_user_to_device (cr, &x, &y);
      x = round (x) - x;
      y = round (y) - y;
      cairo_device_to_user_distance (cr, &x, &y);
      cairo_translate (cr, x, y);
    }
  else
    cairo_scale (cr, width / self->size, height / self->size);
  cairo_rectangle (cr, 0, 0, self->size, self->size);
  cairo_clip (cr);
  cairo_set_source_surface (cr, self->surface, 0, 0);
  cairo_paint (cr);
  cairo_destroy (cr);
}

static int
saban_tile_paintable_get_intrinsic_size (GdkPaintable *paintable)
{
  return SABAN_TILE_PAINTABLE (paintable)->size;
}

static GdkPaintableFlags
saban_tile_paintable_get_flags (GdkPaintable *paintable)
{
  return GDK_PAINTABLE_STATIC_SIZE | GDK_PAINTABLE_STATIC_CONTENTS;
}

static void
saban_tile_paintable_iface_init (GdkPaintableInterface *iface)
{
  iface->snapshot = saban_tile_paintable_snapshot;
  iface->get_intrinsic_width = saban_tile_paintable_get_intrinsic_size;
  iface->get_intrinsic_height = saban_tile_paintable_get_intrinsic_size;
  iface->get_flags = saban_tile_paintable_get_flags;
}

static void
saban_tile_paintable_finalize (GObject *object)
{
  SabanTilePaintable *self = SABAN_TILE_PAINTABLE (object);

  cairo_surface_destroy (self->surface);
  G_OBJECT_CLASS (saban_tile_paintable_parent_class)->finalize (object);
}

static void
saban_tile_paintable_class_init (SabanTilePaintableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_tile_paintable_finalize;
}

static void
saban_tile_paintable_init (SabanTilePaintable *self)
{
}

/**
 * saban_tile_paintable_new:
 * @surface: a square ARGB32 image surface holding the tile; not changed
 *   afterwards
 *
 * Returns: (transfer full): a paintable drawing @surface
 */
SabanTilePaintable *
saban_tile_paintable_new (cairo_surface_t *surface)
{
  SabanTilePaintable *self = g_object_new (SABAN_TYPE_TILE_PAINTABLE, NULL);

  self->surface = cairo_surface_reference (surface);
  self->size = cairo_image_surface_get_width (surface);
  return self;
}

/**
 * saban_tile_paintable_wanted:
 * @widget: a realized widget showing tiles
 *
 * Returns: whether @widget's window draws with cairo, so that its tiles are
 *   best given as #SabanTilePaintable rather than as textures
 */
gboolean
saban_tile_paintable_wanted (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;

  return renderer != NULL && GSK_IS_CAIRO_RENDERER (renderer);
}
