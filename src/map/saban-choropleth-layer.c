/* saban-choropleth-layer.c: polygons filled by class — the desk's
 * indicator by commune, the workspace's reports by commune — drawn in
 * snapshot() under the tiled layers (which keep the communes' outlines and
 * names), so a new indicator or month costs one frame, not a new drawing
 * of every tile. A province's hundred communes are a few thousand vertices:
 * one affine transform and one fill per commune a frame.
 */
#include "saban-choropleth-layer.h"

#include "saban-layer-style.h"
#include "saban-map-transform.h"

struct _SabanChoroplethLayer
{
  ShumateLayer      parent_instance;
  SabanVectorLayer *areas;      /* NULL: nothing drawn */
  guint8           *classes;    /* per feature, or SABAN_STYLE_NO_CLASS */
  GArray           *colors;     /* GdkRGBA per class */
  guint             n_drawn;
};

G_DEFINE_FINAL_TYPE (SabanChoroplethLayer, saban_choropleth_layer, SHUMATE_TYPE_LAYER)

/* a feature's rings, the exterior first: even-odd leaves the holes open */
static void
trace (cairo_t *cr, const SabanFeatureArrays *a, guint32 f, const SabanMapTransform *t)
{
  for (guint32 p = a->part_starts[f]; p < a->part_starts[f + 1]; p++)
    for (guint32 k = a->point_starts[p]; k < a->point_starts[p + 1]; k++)
      {
        double x, y;

        saban_map_transform_apply (t, a->xy[2 * (gsize) k], a->xy[2 * (gsize) k + 1], &x, &y);
        if (k == a->point_starts[p])
          cairo_move_to (cr, x, y);
        else
          cairo_line_to (cr, x, y);
      }
  cairo_close_path (cr);
}

static gboolean
visible (const double *box, const SabanMapTransform *t, int width, int height)
{
  double x0, y0, x1, y1;

  saban_map_transform_apply (t, box[0], box[1], &x0, &y0);
  saban_map_transform_apply (t, box[2], box[3], &x1, &y1);
  return MAX (x0, x1) >= 0 && MIN (x0, x1) <= width && MAX (y0, y1) >= 0 && MIN (y0, y1) <= height;
}

static void
saban_choropleth_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  SabanChoroplethLayer *self = SABAN_CHOROPLETH_LAYER (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  const SabanFeatureArrays *a;
  SabanMapTransform t;
  cairo_t *cr;

  self->n_drawn = 0;
  if (self->areas == NULL || width <= 0 || height <= 0 ||
      !saban_map_transform_init (&t, shumate_layer_get_viewport (SHUMATE_LAYER (self)), widget))
    return;
  a = saban_vector_layer_get_arrays (self->areas);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  for (guint32 f = 0; f < a->n_features; f++)
    {
      if (self->classes[f] >= self->colors->len || !visible (a->boxes + 4 * (gsize) f, &t, width, height))
        continue;
      cairo_new_path (cr);
      trace (cr, a, f, &t);
      gdk_cairo_set_source_rgba (cr, &g_array_index (self->colors, GdkRGBA, self->classes[f]));
      cairo_fill (cr);
      self->n_drawn++;
    }
  cairo_destroy (cr);
}

static void
saban_choropleth_layer_constructed (GObject *object)
{
  G_OBJECT_CLASS (saban_choropleth_layer_parent_class)->constructed (object);
  g_signal_connect_object (shumate_layer_get_viewport (SHUMATE_LAYER (object)), "notify",
                           G_CALLBACK (gtk_widget_queue_draw), object, G_CONNECT_SWAPPED);
}

static void
saban_choropleth_layer_finalize (GObject *object)
{
  SabanChoroplethLayer *self = SABAN_CHOROPLETH_LAYER (object);

  g_clear_object (&self->areas);
  g_free (self->classes);
  g_array_unref (self->colors);
  G_OBJECT_CLASS (saban_choropleth_layer_parent_class)->finalize (object);
}

static void
saban_choropleth_layer_class_init (SabanChoroplethLayerClass *klass)
{
  G_OBJECT_CLASS (klass)->constructed = saban_choropleth_layer_constructed;
  G_OBJECT_CLASS (klass)->finalize = saban_choropleth_layer_finalize;
  GTK_WIDGET_CLASS (klass)->snapshot = saban_choropleth_layer_snapshot;
}

static void
saban_choropleth_layer_init (SabanChoroplethLayer *self)
{
  self->colors = g_array_new (FALSE, FALSE, sizeof (GdkRGBA));
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

SabanChoroplethLayer *
saban_choropleth_layer_new (ShumateViewport *viewport)
{
  return g_object_new (SABAN_TYPE_CHOROPLETH_LAYER, "viewport", viewport, NULL);
}

/**
 * saban_choropleth_layer_set:
 * @areas: (nullable): the polygons (a commune layer); %NULL draws nothing
 * @classes: (array): each feature's class, or %SABAN_STYLE_NO_CLASS (not filled)
 * @colors: (array length=n_colors): each class's fill
 *
 * What the layer fills from its next frame on.
 */
void
saban_choropleth_layer_set (SabanChoroplethLayer *self, SabanVectorLayer *areas, const guint8 *classes,
                            const GdkRGBA *colors, guint n_colors)
{
  g_set_object (&self->areas, areas);
  g_clear_pointer (&self->classes, g_free);
  g_array_set_size (self->colors, 0);
  if (areas != NULL)
    {
      self->classes = g_memdup2 (classes, MAX (saban_vector_layer_get_n_features (areas), 1));
      g_array_append_vals (self->colors, colors, n_colors);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * saban_choropleth_layer_get_areas:
 *
 * Returns: (transfer none) (nullable): the polygons filled
 */
SabanVectorLayer *
saban_choropleth_layer_get_areas (SabanChoroplethLayer *self)
{
  return self->areas;
}

/**
 * saban_choropleth_layer_get_color:
 *
 * Returns: (nullable): the fill of @feature, %NULL when it is in no class
 */
const GdkRGBA *
saban_choropleth_layer_get_color (SabanChoroplethLayer *self, guint32 feature)
{
  if (self->areas == NULL || feature >= saban_vector_layer_get_n_features (self->areas) ||
      self->classes[feature] >= self->colors->len)
    return NULL;
  return &g_array_index (self->colors, GdkRGBA, self->classes[feature]);
}

/**
 * saban_choropleth_layer_get_n_drawn:
 *
 * Returns: the polygons filled in the last frame
 */
guint
saban_choropleth_layer_get_n_drawn (SabanChoroplethLayer *self)
{
  return self->n_drawn;
}
