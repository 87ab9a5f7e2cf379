/* saban-swipe-layer.c: one layer shown over the map left of a divider, the
 * map as it is on the right — two plans, or a plan and the land as it is,
 * compared by sliding the divider.
 *
 * The layer is drawn by its own ShumateMapLayer (the tiles' renderer, its
 * own source id), a child of this layer, clipped in snapshot() to the part
 * left of the divider; the divider is drawn over it.
 */
#include "saban-swipe-layer.h"

#include "saban-tile-source.h"

struct _SabanSwipeLayer
{
  ShumateLayer parent_instance;

  SabanLayer *layer;
  ShumateMapLayer *tiles;
  double position;   /* the divider, as a share of the width */
};

G_DEFINE_FINAL_TYPE (SabanSwipeLayer, saban_swipe_layer, SHUMATE_TYPE_LAYER)

enum {
  PROP_0,
  PROP_POSITION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
saban_swipe_layer_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  *minimum = *natural = 0;
  *minimum_baseline = *natural_baseline = -1;
}

static void
saban_swipe_layer_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  SabanSwipeLayer *self = SABAN_SWIPE_LAYER (widget);

  gtk_widget_allocate (GTK_WIDGET (self->tiles), width, height, baseline, NULL);
}

static void
saban_swipe_layer_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  SabanSwipeLayer *self = SABAN_SWIPE_LAYER (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  float x = (float) (width * self->position);
  GdkRGBA halo = { 0.1, 0.1, 0.1, 0.55 }, line = { 1, 1, 1, 1 };

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, x, height));
  gtk_widget_snapshot_child (widget, GTK_WIDGET (self->tiles), snapshot);
  gtk_snapshot_pop (snapshot);
  /* the divider: a white line on a dark halo reads on every colour */
  gtk_snapshot_append_color (snapshot, &halo, &GRAPHENE_RECT_INIT (x - 2.5f, 0, 5, height));
  gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (x - 1, 0, 2, height));
}

static void
saban_swipe_layer_dispose (GObject *object)
{
  SabanSwipeLayer *self = SABAN_SWIPE_LAYER (object);

  if (self->tiles != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->tiles));
  self->tiles = NULL;
  g_clear_object (&self->layer);
  G_OBJECT_CLASS (saban_swipe_layer_parent_class)->dispose (object);
}

static void
saban_swipe_layer_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SabanSwipeLayer *self = SABAN_SWIPE_LAYER (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      g_value_set_double (value, self->position);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_swipe_layer_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SabanSwipeLayer *self = SABAN_SWIPE_LAYER (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      saban_swipe_layer_set_position (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Only now is the renderer known; no tile is drawn before. */
static void
saban_swipe_layer_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (saban_swipe_layer_parent_class)->realize (widget);
  saban_tile_source_suit_window (SABAN_SWIPE_LAYER (widget)->tiles, widget);
}

static void
saban_swipe_layer_class_init (SabanSwipeLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = saban_swipe_layer_dispose;
  object_class->get_property = saban_swipe_layer_get_property;
  object_class->set_property = saban_swipe_layer_set_property;
  widget_class->measure = saban_swipe_layer_measure;
  widget_class->size_allocate = saban_swipe_layer_size_allocate;
  widget_class->snapshot = saban_swipe_layer_snapshot;
  widget_class->realize = saban_swipe_layer_realize;

  /**
   * SabanSwipeLayer:position:
   *
   * Where the divider is: 0 at the left edge, 1 at the right.
   */
  properties[PROP_POSITION] =
    g_param_spec_double ("position", NULL, NULL, 0, 1, 0.5,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
saban_swipe_layer_init (SabanSwipeLayer *self)
{
  self->position = 0.5;
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

/**
 * saban_swipe_layer_new:
 * @layer: the layer shown left of the divider, as it is styled now
 *
 * Returns: (transfer full): the swipe layer, its divider in the middle
 */
SabanSwipeLayer *
saban_swipe_layer_new (ShumateViewport *viewport,
                       SabanLayer      *layer)
{
  SabanSwipeLayer *self = g_object_new (SABAN_TYPE_SWIPE_LAYER, "viewport", viewport, NULL);
  g_autoptr(SabanTileSource) source = saban_tile_source_new_composite (&layer, 1);

  self->layer = g_object_ref (layer);
  self->tiles = shumate_map_layer_new (SHUMATE_MAP_SOURCE (source), viewport);
  gtk_widget_set_parent (GTK_WIDGET (self->tiles), GTK_WIDGET (self));
  return self;
}

/**
 * saban_swipe_layer_get_layer:
 *
 * Returns: (transfer none): the layer shown left of the divider
 */
SabanLayer *
saban_swipe_layer_get_layer (SabanSwipeLayer *self)
{
  return self->layer;
}

double
saban_swipe_layer_get_position (SabanSwipeLayer *self)
{
  return self->position;
}

void
saban_swipe_layer_set_position (SabanSwipeLayer *self,
                                double           position)
{
  position = CLAMP (position, 0, 1);
  if (position == self->position)
    return;
  self->position = position;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}
