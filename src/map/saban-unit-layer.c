/* saban-unit-layer.c: responder units on the map, where they are now and
 * where they came from.
 *
 * A handful of units, so each frame simply projects them: a navy marker
 * with a white chevron, its recent track as a fading line, and its name or
 * code from close zoom. A burst of moves costs one redraw, at the next
 * frame, as for the sensors.
 */
#include "saban-unit-layer.h"

#include <pango/pangocairo.h>


#define LABEL_ZOOM 11.0
#define TRACK_ZOOM 10.0
#define SIZE 9.0

struct _SabanUnitLayer
{
  ShumateLayer    parent_instance;
  SabanUnitStore *store;
  guint           tick;
  guint           n_drawn;
};

G_DEFINE_FINAL_TYPE (SabanUnitLayer, saban_unit_layer, SHUMATE_TYPE_LAYER)

static void
to_widget (ShumateViewport *viewport, GtkWidget *widget, double lon, double lat, double *x, double *y)
{
  shumate_viewport_location_to_widget_coords (viewport, widget, lat, lon, x, y);
}

static void
draw_track (cairo_t *cr, ShumateViewport *viewport, GtkWidget *widget, const SabanUnit *u)
{
  guint n = u->track->len / 2;
  const double *p = (const double *) u->track->data;

  cairo_set_line_width (cr, 2.5);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint i = 1; i < n; i++)
    {
      double x0, y0, x1, y1;

      to_widget (viewport, widget, p[2 * i - 2], p[2 * i - 1], &x0, &y0);
      to_widget (viewport, widget, p[2 * i], p[2 * i + 1], &x1, &y1);
      /* older is fainter */
      cairo_set_source_rgba (cr, 0.11, 0.23, 0.45, 0.15 + 0.6 * i / n);
      cairo_move_to (cr, x0, y0);
      cairo_line_to (cr, x1, y1);
      cairo_stroke (cr);
    }
}

static void
draw_marker (cairo_t *cr, double x, double y)
{
  cairo_new_path (cr);
  cairo_rectangle (cr, x - SIZE - 1.5, y - SIZE - 1.5, 2 * SIZE + 3, 2 * SIZE + 3);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.35);
  cairo_fill (cr);
  cairo_rectangle (cr, x - SIZE, y - SIZE, 2 * SIZE, 2 * SIZE);
  cairo_set_source_rgb (cr, 0.11, 0.23, 0.45);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, 2);
  cairo_stroke (cr);
  /* a chevron: a unit on the move */
  cairo_move_to (cr, x - 5, y + 3);
  cairo_line_to (cr, x, y - 3);
  cairo_line_to (cr, x + 5, y + 3);
  cairo_set_line_width (cr, 2.2);
  cairo_stroke (cr);
}

static void
draw_label (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  x += SIZE + 4;
  y -= h / 2.0;
  cairo_move_to (cr, x, y);
  pango_cairo_layout_path (cr, layout);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
  cairo_set_line_width (cr, 3);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);
  cairo_move_to (cr, x, y);
  cairo_set_source_rgb (cr, 0.11, 0.23, 0.45);
  pango_cairo_show_layout (cr, layout);
}

static void
saban_unit_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  SabanUnitLayer *self = SABAN_UNIT_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  double zoom = shumate_viewport_get_zoom_level (viewport);
  g_autoptr(PangoLayout) layout = NULL;
  cairo_t *cr;
  guint n;

  self->n_drawn = 0;
  n = self->store != NULL ? saban_unit_store_get_n_units (self->store) : 0;
  if (n == 0 || width <= 0 || height <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  layout = pango_cairo_create_layout (cr);
  {
    PangoFontDescription *font = pango_font_description_from_string ("Sans Bold 9");
    pango_layout_set_font_description (layout, font);
    pango_font_description_free (font);
  }
  for (guint i = 0; i < n && zoom >= TRACK_ZOOM; i++)
    draw_track (cr, viewport, widget, saban_unit_store_get_unit (self->store, i));
  for (guint i = 0; i < n; i++)
    {
      const SabanUnit *u = saban_unit_store_get_unit (self->store, i);
      double x, y;

      to_widget (viewport, widget, u->lon, u->lat, &x, &y);
      if (x < -SIZE || y < -SIZE || x > width + SIZE || y > height + SIZE)
        continue;
      draw_marker (cr, x, y);
      if (zoom >= LABEL_ZOOM)
        draw_label (cr, layout, u->name, x, y);
      else if (u->code != NULL)
        draw_label (cr, layout, u->code, x, y);
      self->n_drawn++;
    }
  cairo_destroy (cr);
}

static gboolean
tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  SABAN_UNIT_LAYER (widget)->tick = 0;
  gtk_widget_queue_draw (widget);
  return G_SOURCE_REMOVE;
}

static void
on_unit_changed (SabanUnitLayer *self)
{
  if (self->tick == 0)
    self->tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
}

static void
saban_unit_layer_constructed (GObject *object)
{
  SabanUnitLayer *self = SABAN_UNIT_LAYER (object);

  G_OBJECT_CLASS (saban_unit_layer_parent_class)->constructed (object);
  g_signal_connect_object (shumate_layer_get_viewport (SHUMATE_LAYER (self)), "notify",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}

static void
saban_unit_layer_dispose (GObject *object)
{
  SabanUnitLayer *self = SABAN_UNIT_LAYER (object);

  if (self->tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick);
      self->tick = 0;
    }
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (saban_unit_layer_parent_class)->dispose (object);
}

static void
saban_unit_layer_class_init (SabanUnitLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = saban_unit_layer_constructed;
  object_class->dispose = saban_unit_layer_dispose;
  GTK_WIDGET_CLASS (klass)->snapshot = saban_unit_layer_snapshot;
}

static void
saban_unit_layer_init (SabanUnitLayer *self)
{
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

/**
 * saban_unit_layer_new:
 * @viewport: the map's viewport
 *
 * Returns: (transfer full): a layer showing no units until it has a store
 */
SabanUnitLayer *
saban_unit_layer_new (ShumateViewport *viewport)
{
  return g_object_new (SABAN_TYPE_UNIT_LAYER, "viewport", viewport, NULL);
}

/**
 * saban_unit_layer_set_store:
 * @self: a layer
 * @store: (nullable): the units to show
 */
void
saban_unit_layer_set_store (SabanUnitLayer *self, SabanUnitStore *store)
{
  g_return_if_fail (SABAN_IS_UNIT_LAYER (self));

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "unit-changed", G_CALLBACK (on_unit_changed), self, G_CONNECT_SWAPPED);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * saban_unit_layer_get_store:
 * @self: a layer
 *
 * Returns: (transfer none) (nullable): the units it shows
 */
SabanUnitStore *
saban_unit_layer_get_store (SabanUnitLayer *self)
{
  g_return_val_if_fail (SABAN_IS_UNIT_LAYER (self), NULL);
  return self->store;
}

/**
 * saban_unit_layer_get_n_drawn:
 * @self: a layer
 *
 * Returns: how many units the last frame showed
 */
guint
saban_unit_layer_get_n_drawn (SabanUnitLayer *self)
{
  g_return_val_if_fail (SABAN_IS_UNIT_LAYER (self), 0);
  return self->n_drawn;
}
