/* saban-overlay-layer.c: what the user is pointing at, drawn above the data:
 * the selected feature's outline, the measuring or drawing sketch, and the
 * area a scenario being launched would cover.
 *
 * Both are small (one feature, a few clicked points), so they are drawn each
 * frame in snapshot() rather than through tiles, and follow the map exactly
 * while it pans and zooms.
 */
#include "saban-overlay-layer.h"

#include "saban-measure.h"

struct _SabanOverlayLayer
{
  ShumateLayer parent_instance;

  SabanVectorLayer *layer;
  gint64 feature;
  GArray *sketch;        /* double x, y in Mercator */
  gboolean sketch_closed;
  GArray *area;          /* double x, y in Mercator */
  GArray *area_starts;   /* guint32: each ring's first point */
};

G_DEFINE_FINAL_TYPE (SabanOverlayLayer, saban_overlay_layer, SHUMATE_TYPE_LAYER)

static void
to_widget (SabanOverlayLayer *self,
           double             mx,
           double             my,
           double            *x,
           double            *y)
{
  double lon, lat;

  saban_mercator_to_lonlat (mx, my, &lon, &lat);
  shumate_viewport_location_to_widget_coords (shumate_layer_get_viewport (SHUMATE_LAYER (self)),
                                              GTK_WIDGET (self), lat, lon, x, y);
}

static void
trace (SabanOverlayLayer *self,
       cairo_t           *cr,
       const double      *xy,
       guint              n,
       gboolean           closed)
{
  for (guint i = 0; i < n; i++)
    {
      double x, y;

      to_widget (self, xy[2 * i], xy[2 * i + 1], &x, &y);
      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  if (closed)
    cairo_close_path (cr);
}

/* A dark halo under a bright line reads on every land-use colour. */
static void
stroke_with_halo (cairo_t *cr,
                  double   red,
                  double   green,
                  double   blue,
                  double   halo_alpha)
{
  cairo_set_source_rgba (cr, 0.1, 0.1, 0.1, halo_alpha);
  cairo_set_line_width (cr, 5);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgb (cr, red, green, blue);
  cairo_set_line_width (cr, 2.5);
  cairo_stroke (cr);
}

static void
draw_selection (SabanOverlayLayer *self,
                cairo_t           *cr)
{
  const SabanFeatureArrays *a = saban_vector_layer_get_arrays (self->layer);
  SabanGeometryKind kind = saban_vector_layer_get_kind (self->layer);

  for (guint32 part = a->part_starts[self->feature]; part < a->part_starts[self->feature + 1]; part++)
    {
      const double *xy = a->xy + 2 * (gsize) a->point_starts[part];
      guint n = a->point_starts[part + 1] - a->point_starts[part];

      if (kind == SABAN_GEOMETRY_POINT)
        {
          double x, y;
          to_widget (self, xy[0], xy[1], &x, &y);
          cairo_new_sub_path (cr);
          cairo_arc (cr, x, y, 9, 0, 2 * G_PI);
        }
      else
        trace (self, cr, xy, n, kind == SABAN_GEOMETRY_POLYGON);
    }
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  if (kind != SABAN_GEOMETRY_LINE)
    {
      cairo_set_source_rgba (cr, 1.0, 0.85, 0.0, 0.30);
      cairo_fill_preserve (cr);
    }
  stroke_with_halo (cr, 1.0, 0.85, 0.0, 0.8);
}

static void
draw_sketch (SabanOverlayLayer *self,
             cairo_t           *cr)
{
  const double *xy = (const double *) self->sketch->data;
  guint n = self->sketch->len / 2;

  trace (self, cr, xy, n, self->sketch_closed);
  if (self->sketch_closed)
    {
      cairo_set_source_rgba (cr, 0.11, 0.44, 0.85, 0.18);
      cairo_fill_preserve (cr);
    }
  cairo_set_source_rgb (cr, 0.11, 0.44, 0.85);
  cairo_set_line_width (cr, 2.5);
  cairo_set_dash (cr, (const double[]) { 8, 4 }, 2, 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  for (guint i = 0; i < n; i++)
    {
      double x, y;

      to_widget (self, xy[2 * i], xy[2 * i + 1], &x, &y);
      cairo_arc (cr, x, y, 4, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 0.11, 0.44, 0.85);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
    }
}

/* Warm orange, apart from the blue of the sketch and the yellow of the
 * selection: this is what would become the scenario's area. */
static void
draw_area (SabanOverlayLayer *self,
           cairo_t           *cr)
{
  const double *xy = (const double *) self->area->data;

  for (guint r = 0; r < self->area_starts->len; r++)
    {
      guint32 start = g_array_index (self->area_starts, guint32, r);
      guint32 end = r + 1 < self->area_starts->len ? g_array_index (self->area_starts, guint32, r + 1) : self->area->len / 2;

      trace (self, cr, xy + 2 * (gsize) start, end - start, TRUE);
    }
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_set_source_rgba (cr, 0.90, 0.38, 0.0, 0.20);
  cairo_fill_preserve (cr);
  stroke_with_halo (cr, 0.90, 0.38, 0.0, 0.6);
}

static void
saban_overlay_layer_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  SabanOverlayLayer *self = SABAN_OVERLAY_LAYER (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if ((self->layer == NULL || self->feature < 0) && self->sketch->len == 0 && self->area_starts->len == 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (self->area_starts->len > 0)
    draw_area (self, cr);
  if (self->layer != NULL && self->feature >= 0)
    draw_selection (self, cr);
  if (self->sketch->len > 0)
    draw_sketch (self, cr);
  cairo_destroy (cr);
}

static void
saban_overlay_layer_constructed (GObject *object)
{
  SabanOverlayLayer *self = SABAN_OVERLAY_LAYER (object);
  ShumateViewport *viewport;

  G_OBJECT_CLASS (saban_overlay_layer_parent_class)->constructed (object);

  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  g_signal_connect_object (viewport, "notify", G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}

static void
saban_overlay_layer_dispose (GObject *object)
{
  SabanOverlayLayer *self = SABAN_OVERLAY_LAYER (object);

  g_clear_object (&self->layer);
  g_clear_pointer (&self->sketch, g_array_unref);
  g_clear_pointer (&self->area, g_array_unref);
  g_clear_pointer (&self->area_starts, g_array_unref);

  G_OBJECT_CLASS (saban_overlay_layer_parent_class)->dispose (object);
}

static void
saban_overlay_layer_class_init (SabanOverlayLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = saban_overlay_layer_constructed;
  object_class->dispose = saban_overlay_layer_dispose;
  widget_class->snapshot = saban_overlay_layer_snapshot;
}

static void
saban_overlay_layer_init (SabanOverlayLayer *self)
{
  self->feature = -1;
  self->sketch = g_array_new (FALSE, FALSE, sizeof (double));
  self->area = g_array_new (FALSE, FALSE, sizeof (double));
  self->area_starts = g_array_new (FALSE, FALSE, sizeof (guint32));
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

SabanOverlayLayer *
saban_overlay_layer_new (ShumateViewport *viewport)
{
  return g_object_new (SABAN_TYPE_OVERLAY_LAYER, "viewport", viewport, NULL);
}

/**
 * saban_overlay_layer_set_selection:
 * @layer: (nullable): the selected feature's layer, or %NULL for none
 */
void
saban_overlay_layer_set_selection (SabanOverlayLayer *self,
                                   SabanVectorLayer  *layer,
                                   gint64             feature)
{
  g_set_object (&self->layer, layer);
  self->feature = layer != NULL ? feature : -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * saban_overlay_layer_set_sketch:
 * @xy: (array) (nullable): Web Mercator x, y pairs
 * @closed: draw it as an area
 */
void
saban_overlay_layer_set_sketch (SabanOverlayLayer *self,
                                const double      *xy,
                                guint              n_points,
                                gboolean           closed)
{
  g_array_set_size (self->sketch, 0);
  if (xy != NULL)
    g_array_append_vals (self->sketch, xy, 2 * n_points);
  self->sketch_closed = closed;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * saban_overlay_layer_set_area:
 * @xy: (element-type double) (nullable): Web Mercator x, y pairs, or %NULL for none
 * @ring_starts: (element-type guint32) (nullable): each ring's first point
 *
 * The area a scenario being prepared would cover; copied.
 */
void
saban_overlay_layer_set_area (SabanOverlayLayer *self,
                              GArray            *xy,
                              GArray            *ring_starts)
{
  g_array_set_size (self->area, 0);
  g_array_set_size (self->area_starts, 0);
  if (xy != NULL && ring_starts != NULL)
    {
      g_array_append_vals (self->area, xy->data, xy->len);
      g_array_append_vals (self->area_starts, ring_starts->data, ring_starts->len);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
