/* saban-map-view.c: the map: a ShumateMap with our layers stacked by z-order.
 *
 * Each vector layer is one SabanTileSource shown through one ShumateMapLayer,
 * so switching a layer off only hides a widget and draws nothing again. The
 * optional online base map sits below them all. The view reports the pointer
 * position and whether any tile is still being drawn ("busy").
 */
#include "saban-map-view.h"
#include "saban-tile-source.h"

#include <math.h>

#define WEB_MERCATOR_HALF 20037508.342789244

struct _SabanMapView
{
  GtkWidget parent_instance;

  ShumateMap *map;
  ShumateViewport *viewport;
  ShumateMapLayer *base_layer;
  GPtrArray *entries;           /* Entry, bottom to top */
  gboolean busy;
  gboolean has_pending_extent;
  double pending_extent[4];
};

typedef struct
{
  SabanVectorLayer *layer;
  SabanTileSource *source;
  ShumateMapLayer *widget;
  int z_order;
} Entry;

G_DEFINE_FINAL_TYPE (SabanMapView, saban_map_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  POINTER_MOVED,
  POINTER_LEFT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_clear_object (&entry->layer);
  g_clear_object (&entry->source);
  g_free (entry);
}

static void
update_busy (SabanMapView *self)
{
  gboolean busy = FALSE;

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);
      busy |= saban_tile_source_get_pending (entry->source) > 0;
    }
  if (busy == self->busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
on_pending_changed (SabanMapView *self)
{
  update_busy (self);
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           SabanMapView             *self)
{
  double lat, lon;

  shumate_viewport_widget_coords_to_location (self->viewport, GTK_WIDGET (self->map), x, y, &lat, &lon);
  g_signal_emit (self, signals[POINTER_MOVED], 0, lat, lon);
}

static void
on_leave (GtkEventControllerMotion *controller,
          SabanMapView             *self)
{
  g_signal_emit (self, signals[POINTER_LEFT], 0);
}

static void
apply_extent (SabanMapView *self,
              int           width,
              int           height)
{
  double *e = self->pending_extent;
  double tile = shumate_map_source_get_tile_size (shumate_viewport_get_reference_map_source (self->viewport));
  double world = 2 * WEB_MERCATOR_HALF;
  double zoom_x = log2 (width * world / (tile * MAX (e[2] - e[0], 1)));
  double zoom_y = log2 (height * world / (tile * MAX (e[3] - e[1], 1)));
  double cx = (e[0] + e[2]) / 2, cy = (e[1] + e[3]) / 2;
  double lon = cx / WEB_MERCATOR_HALF * 180;
  double lat = atan (sinh (cy / WEB_MERCATOR_HALF * G_PI)) * 180 / G_PI;

  self->has_pending_extent = FALSE;
  /* A little margin so the boundary is not flush with the window edge. */
  shumate_viewport_set_zoom_level (self->viewport, MIN (zoom_x, zoom_y) - 0.15);
  shumate_map_center_on (self->map, lat, lon);
}

static void
saban_map_view_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  SabanMapView *self = SABAN_MAP_VIEW (widget);

  gtk_widget_allocate (GTK_WIDGET (self->map), width, height, baseline, NULL);
  if (self->has_pending_extent && width > 1 && height > 1)
    apply_extent (self, width, height);
}

static void
saban_map_view_dispose (GObject *object)
{
  SabanMapView *self = (SabanMapView *) object;

  if (self->map != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->map));
      self->map = NULL;
    }
  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (saban_map_view_parent_class)->dispose (object);
}

static void
saban_map_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SabanMapView *self = SABAN_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_map_view_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  SabanMapView *self = SABAN_MAP_VIEW (widget);

  gtk_widget_measure (GTK_WIDGET (self->map), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
saban_map_view_class_init (SabanMapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = saban_map_view_dispose;
  object_class->get_property = saban_map_view_get_property;
  widget_class->size_allocate = saban_map_view_size_allocate;
  widget_class->measure = saban_map_view_measure;

  /**
   * SabanMapView:busy:
   *
   * Whether any visible layer still has tiles being drawn.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SabanMapView::pointer-moved:
   * @latitude: WGS 84 latitude under the pointer
   * @longitude: WGS 84 longitude under the pointer
   */
  signals[POINTER_MOVED] =
    g_signal_new ("pointer-moved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  signals[POINTER_LEFT] =
    g_signal_new ("pointer-left", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "saban-map-view");
}

/* The viewport needs a reference source for its tile size and zoom range
 * before any data arrives; an empty layer's source gives it one, offline. */
static void
set_reference_source (SabanMapView *self)
{
  SabanFeatureArrays none = { 0 };
  g_autoptr(SabanVectorLayer) empty = saban_vector_layer_new ("reference", "", "EPSG:3857", "EPSG:3857",
                                                              SABAN_GEOMETRY_POLYGON, &none);
  g_autoptr(SabanLayerStyle) style = saban_layer_style_new_for_layer (empty);
  g_autoptr(SabanTileSource) source = saban_tile_source_new (empty, style);

  shumate_viewport_set_reference_map_source (self->viewport, SHUMATE_MAP_SOURCE (source));
}

static void
saban_map_view_init (SabanMapView *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->entries = g_ptr_array_new_with_free_func (entry_free);
  self->map = shumate_map_new ();
  self->viewport = shumate_map_get_viewport (self->map);
  set_reference_source (self);
  shumate_viewport_set_min_zoom_level (self->viewport, 5);
  shumate_viewport_set_max_zoom_level (self->viewport, 20);
  shumate_map_set_animate_zoom (self->map, TRUE);
  gtk_widget_set_parent (GTK_WIDGET (self->map), GTK_WIDGET (self));
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);

  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self->map), motion);
}

GtkWidget *
saban_map_view_new (void)
{
  return g_object_new (SABAN_TYPE_MAP_VIEW, NULL);
}

/**
 * saban_map_view_get_viewport:
 *
 * Returns: (transfer none): the viewport
 */
ShumateViewport *
saban_map_view_get_viewport (SabanMapView *self)
{
  g_return_val_if_fail (SABAN_IS_MAP_VIEW (self), NULL);
  return self->viewport;
}

/**
 * saban_map_view_add_layer:
 *
 * Shows @layer drawn with @style, stacked by the style's z-order.
 */
void
saban_map_view_add_layer (SabanMapView     *self,
                          SabanVectorLayer *layer,
                          SabanLayerStyle  *style)
{
  Entry *entry = g_new0 (Entry, 1);
  Entry *above = NULL;
  guint pos;

  g_return_if_fail (SABAN_IS_MAP_VIEW (self));

  entry->layer = g_object_ref (layer);
  entry->source = saban_tile_source_new (layer, style);
  entry->z_order = saban_layer_style_get_z_order (style);
  g_signal_connect_object (entry->source, "notify::pending", G_CALLBACK (on_pending_changed),
                           self, G_CONNECT_SWAPPED);

  entry->widget = shumate_map_layer_new (SHUMATE_MAP_SOURCE (entry->source), self->viewport);
  for (pos = 0; pos < self->entries->len; pos++)
    {
      Entry *other = g_ptr_array_index (self->entries, pos);
      if (other->z_order > entry->z_order)
        {
          above = other;
          break;
        }
    }
  if (above != NULL)
    shumate_map_insert_layer_behind (self->map, SHUMATE_LAYER (entry->widget), SHUMATE_LAYER (above->widget));
  else
    shumate_map_add_layer (self->map, SHUMATE_LAYER (entry->widget));
  g_ptr_array_insert (self->entries, pos, entry);
}

/**
 * saban_map_view_set_layer_visible:
 */
void
saban_map_view_set_layer_visible (SabanMapView     *self,
                                  SabanVectorLayer *layer,
                                  gboolean          visible)
{
  g_return_if_fail (SABAN_IS_MAP_VIEW (self));

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);
      if (entry->layer == layer)
        gtk_widget_set_visible (GTK_WIDGET (entry->widget), visible);
    }
}

/**
 * saban_map_view_set_base_map:
 * @url_template: (nullable): an XYZ template such as
 *   "https://tile.example/{z}/{x}/{y}.png", or %NULL for none
 *
 * The base map is drawn below every layer. It is the only part of the map
 * that needs the network, and it is off unless the user turns it on.
 */
void
saban_map_view_set_base_map (SabanMapView *self,
                             const char   *url_template,
                             const char   *attribution)
{
  g_autoptr(ShumateRasterRenderer) renderer = NULL;
  g_autofree char *id = NULL;
  Entry *bottom;

  g_return_if_fail (SABAN_IS_MAP_VIEW (self));

  if (self->base_layer != NULL)
    {
      shumate_map_remove_layer (self->map, SHUMATE_LAYER (self->base_layer));
      self->base_layer = NULL;
    }
  if (url_template == NULL || *url_template == '\0')
    return;

  id = g_compute_checksum_for_string (G_CHECKSUM_SHA1, url_template, -1);
  renderer = shumate_raster_renderer_new_full_from_url (id, "base", attribution, NULL, 0, 19, 256,
                                                        SHUMATE_MAP_PROJECTION_MERCATOR, url_template);
  self->base_layer = shumate_map_layer_new (SHUMATE_MAP_SOURCE (renderer), self->viewport);
  bottom = self->entries->len > 0 ? g_ptr_array_index (self->entries, 0) : NULL;
  if (bottom != NULL)
    shumate_map_insert_layer_behind (self->map, SHUMATE_LAYER (self->base_layer), SHUMATE_LAYER (bottom->widget));
  else
    shumate_map_add_layer (self->map, SHUMATE_LAYER (self->base_layer));
}

/**
 * saban_map_view_zoom_to_extent:
 *
 * Fits the box (Web Mercator metres) in the view, now or once the view has a size.
 */
void
saban_map_view_zoom_to_extent (SabanMapView *self,
                               double        min_x,
                               double        min_y,
                               double        max_x,
                               double        max_y)
{
  int width, height;

  g_return_if_fail (SABAN_IS_MAP_VIEW (self));

  self->pending_extent[0] = min_x;
  self->pending_extent[1] = min_y;
  self->pending_extent[2] = max_x;
  self->pending_extent[3] = max_y;
  self->has_pending_extent = TRUE;

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  if (width > 1 && height > 1)
    apply_extent (self, width, height);
  else
    gtk_widget_queue_allocate (GTK_WIDGET (self));
}

gboolean
saban_map_view_get_busy (SabanMapView *self)
{
  g_return_val_if_fail (SABAN_IS_MAP_VIEW (self), FALSE);
  return self->busy;
}
