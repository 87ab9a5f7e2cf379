/* saban-map-view.c: the map: a ShumateMap showing our layers.
 *
 * Just over a thousand lines: the widget that puts the data, live, scenario
 * and overlay layers of a map together; the tools are their own types.
 *
 * All visible layers (vector, raster, map service) are drawn together,
 * bottom to top, into one composite SabanTileSource shown through one
 * ShumateMapLayer: panning then composes one texture per tile however many
 * layers are on. Any change of what is shown (a layer on or off, its
 * opacity, style or place) makes a new composite; the old one stays on
 * screen until the new one has drawn, so nothing blinks. The base map sits
 * below: the offline one, and the online one over it when it is on. The
 * view reports the pointer position and whether any tile is still being
 * drawn ("busy").
 *
 * Tools — what a click does — are SabanMapTool objects the view hosts one
 * at a time, each holding its own state: identify (SabanIdentifyTool),
 * measure a distance or an area (SabanMeasureTool), draw an area corner by
 * corner (SabanPolygonTool) or as a circle (SabanCircleTool), pick a point
 * (SabanPickTool). The view forwards its input to the active tool; its
 * signals say the tools' results. Escape gives a sketching tool up.
 *
 * Dark (wall mode, a dark scheme), it draws every layer in its style's
 * dark variant (saban_layer_style_dup_dark), made once per style.
 *
 * The map takes the keyboard too: focused (a click, or Tab, with a visible
 * focus ring), the arrows pan by a quarter of the view and +/− zoom by a
 * level, unless a sketching tool wants the key.
 */
#include "saban-map-view.h"
#include "saban-circle-tool.h"
#include "saban-identify-tool.h"
#include "saban-measure.h"
#include "saban-measure-tool.h"
#include "saban-overlay-layer.h"
#include "saban-pick-tool.h"
#include "saban-polygon-tool.h"
#include "saban-swipe-layer.h"
#include "saban-scenario-area.h"
#include "saban-sensor-layer.h"
#include "saban-tile-paintable.h"
#include "saban-tile-source.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#define WEB_MERCATOR_HALF 20037508.342789244

struct _SabanMapView
{
  GtkWidget parent_instance;

  ShumateMap *map;
  ShumateViewport *viewport;
  ShumateMapLayer *base_layer;
  SabanChoroplethLayer *choropleth; /* filled areas: above the base map, below the data; NULL until set */
  SabanOverlayLayer *overlay;   /* always on top */
  SabanSwipeLayer *swipe;       /* a layer compared left of a divider, over the data; NULL when none */
  SabanSensorLayer *sensors;    /* live sensors: above the data, below the overlay; NULL until set */
  SabanScenarioLayer *scenarios; /* scenario areas and tasks: above the data, below the units; NULL until set */
  SabanUnitLayer   *units;      /* responder units: below the sensors; NULL until set */
  SabanLayerModel *layers;      /* the data layers, top first: drawn from the end */
  GPtrArray *watched;           /* SabanLayer whose changes redraw */
  SabanTileSource *data_source; /* the composite shown now */
  ShumateMapLayer *data_layer;
  ShumateMapLayer *old_layer;   /* the previous composite, until the new one is drawn */
  gboolean data_started;        /* the new composite has asked for tiles */
  guint rebuild_idle;
  SabanMapToolKind tool;
  SabanMapTool *tools[SABAN_MAP_TOOL_PROFILE + 1];   /* one of each; the one of @tool is active */
  gboolean busy;
  gboolean has_pending_extent;
  double pending_extent[4];
  guint extent_idle;
  guint snap_timeout;
  double settled_zoom;          /* the whole level last settled on */
  gboolean dark;
  GHashTable *dark_styles;      /* SabanLayerStyle → its dark variant */
  gboolean cairo_tiles;         /* the window draws with cairo: tiles as cairo surfaces */
};

G_DEFINE_FINAL_TYPE (SabanMapView, saban_map_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_DARK,
  N_PROPS
};

enum {
  POINTER_MOVED,
  POINTER_LEFT,
  FEATURE_ACTIVATED,
  RASTER_ACTIVATED,
  SENSOR_ACTIVATED,
  MEASURE_CHANGED,
  AREA_DRAWN,
  AREA_REFUSED,
  AREA_CANCELLED,
  POINT_PICKED,
  PICK_CANCELLED,
  PROFILE_DRAWN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void unwatch (SabanMapView *self);

static void
update_busy (SabanMapView *self)
{
  gboolean busy = FALSE;

  busy = self->rebuild_idle != 0 ||
         (self->data_source != NULL && saban_tile_source_get_pending (self->data_source) > 0);
  if (busy && self->rebuild_idle == 0)
    self->data_started = TRUE;
  /* The new composite has drawn: the old one can go. */
  if (!busy && self->data_started && self->old_layer != NULL)
    {
      shumate_map_remove_layer (self->map, SHUMATE_LAYER (self->old_layer));
      self->old_layer = NULL;
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

  double point[2];

  shumate_viewport_widget_coords_to_location (self->viewport, GTK_WIDGET (self->map), x, y, &lat, &lon);
  g_signal_emit (self, signals[POINTER_MOVED], 0, lat, lon);
  saban_lonlat_to_mercator (lon, lat, &point[0], &point[1]);
  saban_map_tool_motion (self->tools[self->tool], point);
}

/* the active tool's results, said as the view's */
static void
on_feature_activated (SabanMapView *self, SabanVectorLayer *layer, gint64 feature)
{
  g_signal_emit (self, signals[FEATURE_ACTIVATED], 0, layer, feature);
}

static void
on_raster_activated (SabanMapView *self, SabanLayer *layer, double x, double y)
{
  g_signal_emit (self, signals[RASTER_ACTIVATED], 0, layer, x, y);
}

static void
on_sensor_activated (SabanMapView *self, guint sensor)
{
  g_signal_emit (self, signals[SENSOR_ACTIVATED], 0, sensor);
}

static void
on_measure_changed (SabanMapView *self, double length, double area, guint n_points)
{
  g_signal_emit (self, signals[MEASURE_CHANGED], 0, length, area, n_points);
}

static void
on_area_drawn (SabanMapView *self, JsonNode *area)
{
  g_signal_emit (self, signals[AREA_DRAWN], 0, area);
}

static void
on_area_refused (SabanMapView *self, const char *message)
{
  g_signal_emit (self, signals[AREA_REFUSED], 0, message);
}

static void
on_profile_drawn (SabanMapView *self, GArray *xy)
{
  g_signal_emit (self, signals[PROFILE_DRAWN], 0, xy);
}

static void
on_point_picked (SabanMapView *self, double latitude, double longitude)
{
  g_signal_emit (self, signals[POINT_PICKED], 0, latitude, longitude);
}

/* one tool of each kind, on this view's map and overlay */
static void
make_tools (SabanMapView *self)
{
  SabanMapTool **t = self->tools;

  t[SABAN_MAP_TOOL_SELECT] = saban_identify_tool_new (self->map, self->overlay);
  t[SABAN_MAP_TOOL_MEASURE_LENGTH] = saban_measure_tool_new (self->map, self->overlay, FALSE);
  t[SABAN_MAP_TOOL_MEASURE_AREA] = saban_measure_tool_new (self->map, self->overlay, TRUE);
  t[SABAN_MAP_TOOL_DRAW_POLYGON] = saban_polygon_tool_new (self->map, self->overlay);
  t[SABAN_MAP_TOOL_DRAW_CIRCLE] = saban_circle_tool_new (self->map, self->overlay);
  t[SABAN_MAP_TOOL_PICK_POINT] = saban_pick_tool_new (self->map, self->overlay);
  /* a profile is a measured line whose end is drawn as a terrain profile */
  t[SABAN_MAP_TOOL_PROFILE] = saban_measure_tool_new (self->map, self->overlay, FALSE);
  g_signal_connect_swapped (t[SABAN_MAP_TOOL_PROFILE], "measure-changed", G_CALLBACK (on_measure_changed), self);
  g_signal_connect_swapped (t[SABAN_MAP_TOOL_PROFILE], "sketch-finished", G_CALLBACK (on_profile_drawn), self);
  g_signal_connect_swapped (t[SABAN_MAP_TOOL_SELECT], "feature-activated", G_CALLBACK (on_feature_activated), self);
  g_signal_connect_swapped (t[SABAN_MAP_TOOL_SELECT], "sensor-activated", G_CALLBACK (on_sensor_activated), self);
  g_signal_connect_swapped (t[SABAN_MAP_TOOL_SELECT], "raster-activated", G_CALLBACK (on_raster_activated), self);
  for (SabanMapToolKind k = SABAN_MAP_TOOL_MEASURE_LENGTH; k <= SABAN_MAP_TOOL_MEASURE_AREA; k++)
    g_signal_connect_swapped (t[k], "measure-changed", G_CALLBACK (on_measure_changed), self);
  for (SabanMapToolKind k = SABAN_MAP_TOOL_DRAW_POLYGON; k <= SABAN_MAP_TOOL_DRAW_CIRCLE; k++)
    g_signal_connect_swapped (t[k], "area-drawn", G_CALLBACK (on_area_drawn), self);
  g_signal_connect_swapped (t[SABAN_MAP_TOOL_DRAW_POLYGON], "area-refused", G_CALLBACK (on_area_refused), self);
  g_signal_connect_swapped (t[SABAN_MAP_TOOL_PICK_POINT], "point-picked", G_CALLBACK (on_point_picked), self);
}

/* A tool that takes drags (the circle) owns presses on the map: no panning
 * while it draws. */
static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               SabanMapView   *self)
{
  if (!saban_map_tool_drag_begin (self->tools[self->tool], x, y))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                SabanMapView   *self)
{
  saban_map_tool_drag_update (self->tools[self->tool], dx, dy);
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             SabanMapView   *self)
{
  saban_map_tool_drag_end (self->tools[self->tool], dx, dy);
}

/* Arrows pan a quarter of the view; +/− zoom a level (settling on whole
 * levels as the mouse wheel does). FALSE for any other key. */
static gboolean
navigate (SabanMapView *self, guint keyval, GdkModifierType state)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self)), height = gtk_widget_get_height (GTK_WIDGET (self));
  double x = width / 2, y = height / 2, lat, lon;
  double zoom = shumate_viewport_get_zoom_level (self->viewport);

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Left: case GDK_KEY_KP_Left: x -= width / 4; break;
    case GDK_KEY_Right: case GDK_KEY_KP_Right: x += width / 4; break;
    case GDK_KEY_Up: case GDK_KEY_KP_Up: y -= height / 4; break;
    case GDK_KEY_Down: case GDK_KEY_KP_Down: y += height / 4; break;
    case GDK_KEY_plus: case GDK_KEY_equal: case GDK_KEY_KP_Add:
      shumate_viewport_set_zoom_level (self->viewport, floor (zoom + 0.01) + 1);
      return TRUE;
    case GDK_KEY_minus: case GDK_KEY_KP_Subtract:
      shumate_viewport_set_zoom_level (self->viewport, ceil (zoom - 0.01) - 1);
      return TRUE;
    default:
      return FALSE;
    }
  shumate_viewport_widget_coords_to_location (self->viewport, GTK_WIDGET (self), x, y, &lat, &lon);
  shumate_map_center_on (self->map, lat, lon);
  return TRUE;
}

/* Keys belong to a sketching tool first: Escape gives it up, the others
 * are its if it wants them; then the map's own navigation. */
static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SabanMapView          *self)
{
  SabanMapTool *tool = self->tools[self->tool];

  if (saban_map_tool_get_escapes (tool))
    {
      if (keyval == GDK_KEY_Escape)
        {
          saban_map_view_set_tool (self, SABAN_MAP_TOOL_SELECT);
          return TRUE;
        }
      if (saban_map_tool_key_pressed (tool, keyval))
        return TRUE;
    }
  return navigate (self, keyval, state);
}

static void
on_click (GtkGestureClick *gesture,
          int              n_press,
          double           x,
          double           y,
          SabanMapView    *self)
{
  SabanMapTool *tool = self->tools[self->tool];

  /* then the keys are the map's */
  gtk_widget_grab_focus (GTK_WIDGET (self));
  saban_map_tool_click (tool, n_press, x, y);
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
  /* A whole zoom level, so tiles are drawn 1:1 and sharp (libshumate shows a
   * fractional zoom by scaling the level below), with a little margin. */
  shumate_viewport_set_zoom_level (self->viewport, floor (MIN (zoom_x, zoom_y) - 0.05));
  shumate_map_center_on (self->map, lat, lon);
}

/* After the allocation, not during it: a zoom changed inside size_allocate
 * leaves the map layers showing the old zoom's tiles, scaled. */
static gboolean
apply_extent_idle (gpointer user_data)
{
  SabanMapView *self = user_data;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  self->extent_idle = 0;
  if (self->has_pending_extent && width > 1 && height > 1)
    apply_extent (self, width, height);
  return G_SOURCE_REMOVE;
}

static void
saban_map_view_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  SabanMapView *self = SABAN_MAP_VIEW (widget);

  gtk_widget_allocate (GTK_WIDGET (self->map), width, height, baseline, NULL);
  if (self->has_pending_extent && width > 1 && height > 1 && self->extent_idle == 0)
    self->extent_idle = g_idle_add (apply_extent_idle, self);
}

/* Only now is the renderer known; no tile is drawn before. */
static void
saban_map_view_realize (GtkWidget *widget)
{
  SabanMapView *self = SABAN_MAP_VIEW (widget);

  GTK_WIDGET_CLASS (saban_map_view_parent_class)->realize (widget);
  self->cairo_tiles = saban_tile_paintable_wanted (widget);
  saban_tile_source_suit_window (self->base_layer, widget);
  saban_tile_source_suit_window (self->data_layer, widget);
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
  g_clear_handle_id (&self->extent_idle, g_source_remove);
  g_clear_handle_id (&self->snap_timeout, g_source_remove);
  g_clear_handle_id (&self->rebuild_idle, g_source_remove);
  g_clear_object (&self->data_source);
  g_clear_object (&self->swipe);
  unwatch (self);
  g_clear_pointer (&self->watched, g_ptr_array_unref);
  g_clear_pointer (&self->dark_styles, g_hash_table_unref);
  if (self->layers != NULL)
    g_signal_handlers_disconnect_by_data (self->layers, self);
  g_clear_object (&self->layers);
  for (guint i = 0; i < G_N_ELEMENTS (self->tools); i++)
    g_clear_object (&self->tools[i]);

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
    case PROP_DARK:
      g_value_set_boolean (value, self->dark);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_map_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_DARK:
      saban_map_view_set_dark (SABAN_MAP_VIEW (object), g_value_get_boolean (value));
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
  object_class->set_property = saban_map_view_set_property;
  widget_class->size_allocate = saban_map_view_size_allocate;
  widget_class->realize = saban_map_view_realize;
  widget_class->measure = saban_map_view_measure;

  /**
   * SabanMapView:busy:
   *
   * Whether any visible layer still has tiles being drawn.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * SabanMapView:dark:
   *
   * Whether the layers are drawn for a dark room (their styles' dark variants).
   */
  properties[PROP_DARK] =
    g_param_spec_boolean ("dark", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
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

  /**
   * SabanMapView::feature-activated:
   * @layer: (nullable): the clicked feature's layer, or %NULL for a miss
   * @feature: its index in the layer, or -1
   */
  signals[FEATURE_ACTIVATED] =
    g_signal_new ("feature-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, SABAN_TYPE_VECTOR_LAYER, G_TYPE_INT64);

  /**
   * SabanMapView::raster-activated:
   * @layer: the raster layer under the click, where no feature was
   * @x: the point, Web Mercator metres
   * @y: likewise
   */
  signals[RASTER_ACTIVATED] =
    g_signal_new ("raster-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, SABAN_TYPE_LAYER, G_TYPE_DOUBLE, G_TYPE_DOUBLE);

  /**
   * SabanMapView::sensor-activated:
   * @sensor: the clicked sensor's index in the sensor store
   */
  signals[SENSOR_ACTIVATED] =
    g_signal_new ("sensor-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * SabanMapView::measure-changed:
   * @length: geodesic length (perimeter when measuring an area), metres
   * @area: geodesic area, square metres (0 when measuring a length)
   * @n_points: points clicked so far
   */
  signals[MEASURE_CHANGED] =
    g_signal_new ("measure-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_UINT);

  /**
   * SabanMapView::area-drawn:
   * @area: a GeoJSON Polygon in WGS 84 (longitude, latitude)
   *
   * The polygon or circle tool has finished an area.
   */
  signals[AREA_DRAWN] =
    g_signal_new ("area-drawn", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_NODE);

  /**
   * SabanMapView::area-refused:
   * @message: why, translated (the boundary crosses itself…)
   *
   * The polygon could not be finished; it stays to be corrected.
   */
  signals[AREA_REFUSED] =
    g_signal_new ("area-refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * SabanMapView::area-cancelled:
   *
   * A drawing tool was left (Escape, another tool) before an area was drawn.
   */
  signals[AREA_CANCELLED] =
    g_signal_new ("area-cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * SabanMapView::point-picked:
   * @latitude: WGS 84 latitude of the click
   * @longitude: WGS 84 longitude of the click
   *
   * The point tool has its point; it stays marked until the next tool.
   */
  signals[POINT_PICKED] =
    g_signal_new ("point-picked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);

  /**
   * SabanMapView::profile-drawn:
   * @xy: (element-type double): the line the profile tool drew, Web
   *   Mercator x, y pairs
   */
  signals[PROFILE_DRAWN] =
    g_signal_new ("profile-drawn", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ARRAY);

  /**
   * SabanMapView::pick-cancelled:
   *
   * The point tool was left (Escape, another tool) before a point was picked.
   */
  signals[PICK_CANCELLED] =
    g_signal_new ("pick-cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
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

/* libshumate 1.0 shows a fractional zoom by scaling the tiles of a whole
 * level, which blurs labels and lines: once the user stops zooming, the view
 * settles on the next whole level in the direction they zoomed. */
static gboolean
snap_zoom (gpointer user_data)
{
  SabanMapView *self = user_data;
  double zoom = shumate_viewport_get_zoom_level (self->viewport);
  double whole = zoom > self->settled_zoom ? ceil (zoom - 0.01) : floor (zoom + 0.01);

  self->snap_timeout = 0;
  self->settled_zoom = whole;
  if (fabs (zoom - whole) > 0.01)
    shumate_viewport_set_zoom_level (self->viewport, whole);
  return G_SOURCE_REMOVE;
}

static void
on_zoom_changed (SabanMapView *self)
{
  g_clear_handle_id (&self->snap_timeout, g_source_remove);
  self->snap_timeout = g_timeout_add (400, snap_zoom, self);
}

static void
saban_map_view_init (SabanMapView *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *drag = gtk_gesture_drag_new ();

  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
  self->dark_styles = g_hash_table_new_full (NULL, NULL, g_object_unref, g_object_unref);
  self->map = shumate_map_new ();
  self->viewport = shumate_map_get_viewport (self->map);
  set_reference_source (self);
  shumate_viewport_set_min_zoom_level (self->viewport, 5);
  shumate_viewport_set_max_zoom_level (self->viewport, 20);
  shumate_map_set_animate_zoom (self->map, TRUE);
  gtk_widget_set_parent (GTK_WIDGET (self->map), GTK_WIDGET (self));
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);

  self->overlay = saban_overlay_layer_new (self->viewport);
  shumate_map_add_layer (self->map, SHUMATE_LAYER (self->overlay));
  make_tools (self);
  {
    g_autoptr(SabanLayerModel) layers = saban_layer_model_new ();

    saban_map_view_set_layers (self, layers);
  }

  g_signal_connect_swapped (self->viewport, "notify::zoom-level", G_CALLBACK (on_zoom_changed), self);
  g_signal_connect (click, "released", G_CALLBACK (on_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self->map), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self->map), motion);

  /* On the view, in the capture phase: before the map's own panning. */
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drag), GTK_PHASE_CAPTURE);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  /* the view holds the focus, not libshumate's widgets inside it */
  gtk_widget_set_focusable (GTK_WIDGET (self->map), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Map: the arrow keys pan, plus and minus zoom"), -1);
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

/* the layer scenarios go below: the units, the sensors or the overlay */
static ShumateLayer *
live_ceiling (SabanMapView *self)
{
  if (self->units != NULL)
    return SHUMATE_LAYER (self->units);
  return self->sensors != NULL ? SHUMATE_LAYER (self->sensors) : SHUMATE_LAYER (self->overlay);
}

/* the layer the data composites go below: the lowest of the scenarios, the
 * units, the sensors and the overlay that is shown */
static ShumateLayer *
data_ceiling (SabanMapView *self)
{
  /* a layer compared over the data stays over it when the data is redrawn */
  if (self->swipe != NULL)
    return SHUMATE_LAYER (self->swipe);
  if (self->scenarios != NULL)
    return SHUMATE_LAYER (self->scenarios);
  return live_ceiling (self);
}

static gboolean
rebuild_now (gpointer user_data)
{
  SabanMapView *self = user_data;
  ShumateMapLayer *layer;

  self->rebuild_idle = 0;
  if (self->data_source != NULL)
    g_signal_handlers_disconnect_by_data (self->data_source, self);
  g_clear_object (&self->data_source);
  self->data_source = saban_layer_model_new_composite (self->layers, self->dark ? self->dark_styles : NULL);
  saban_tile_source_set_cairo_tiles (self->data_source, self->cairo_tiles);
  g_signal_connect_object (self->data_source, "notify::pending", G_CALLBACK (on_pending_changed),
                           self, G_CONNECT_SWAPPED);
  layer = shumate_map_layer_new (SHUMATE_MAP_SOURCE (self->data_source), self->viewport);

  /* Only one old composite is kept: one that never finished drawing goes now. */
  if (self->old_layer != NULL)
    shumate_map_remove_layer (self->map, SHUMATE_LAYER (self->old_layer));
  self->old_layer = self->data_layer;
  self->data_layer = layer;
  self->data_started = FALSE;
  shumate_map_insert_layer_behind (self->map, SHUMATE_LAYER (layer), data_ceiling (self));
  update_busy (self);
  return G_SOURCE_REMOVE;
}

/* Coalesced: a dozen layers added in a row make one composite. */
static void
rebuild (SabanMapView *self)
{
  if (self->rebuild_idle == 0)
    self->rebuild_idle = g_idle_add (rebuild_now, self);
  update_busy (self);
}

/* a layer shown, hidden, restyled or made more or less opaque: a new
 * composite (a new style has its own source id, so no stale tile shows) */
static void
on_layer_changed (SabanMapView *self, GParamSpec *pspec)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "visible") || g_str_equal (name, "opacity") || g_str_equal (name, "style") ||
      g_str_equal (name, "raster-render"))
    rebuild (self);
}

static void
unwatch (SabanMapView *self)
{
  for (guint i = 0; i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->watched, i), self);
  g_ptr_array_set_size (self->watched, 0);
}

/* layers added, removed or restacked: watch the ones there are now */
static void
on_layers_changed (SabanMapView *self, guint position, guint removed, guint added)
{
  unwatch (self);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->layers)); i++)
    {
      SabanLayer *layer = g_list_model_get_item (G_LIST_MODEL (self->layers), i);

      g_signal_connect_swapped (layer, "notify", G_CALLBACK (on_layer_changed), self);
      g_ptr_array_add (self->watched, layer);
    }
  /* a selected feature of a layer gone must not stay highlighted */
  if (removed > 0)
    saban_overlay_layer_set_selection (self->overlay, NULL, -1);
  rebuild (self);
}

/**
 * saban_map_view_set_layers:
 * @layers: the data layers to draw, top first (the session's)
 *
 * The map draws @layers and follows them: layers added, removed,
 * restacked, shown, hidden, restyled or made more or less opaque.
 */
void
saban_map_view_set_layers (SabanMapView    *self,
                           SabanLayerModel *layers)
{
  g_return_if_fail (SABAN_IS_MAP_VIEW (self));
  g_return_if_fail (SABAN_IS_LAYER_MODEL (layers));

  if (self->layers != NULL)
    g_signal_handlers_disconnect_by_data (self->layers, self);
  g_set_object (&self->layers, layers);
  saban_identify_tool_set_layers (SABAN_IDENTIFY_TOOL (self->tools[SABAN_MAP_TOOL_SELECT]), layers);
  g_signal_connect_swapped (layers, "items-changed", G_CALLBACK (on_layers_changed), self);
  on_layers_changed (self, 0, 0, 0);
}

/**
 * saban_map_view_get_layers:
 * Returns: (transfer none): the data layers drawn
 */
SabanLayerModel *
saban_map_view_get_layers (SabanMapView *self)
{
  g_return_val_if_fail (SABAN_IS_MAP_VIEW (self), NULL);
  return self->layers;
}

static void
put_base (SabanMapView     *self,
          ShumateMapSource *source)
{
  if (self->base_layer != NULL)
    {
      shumate_map_remove_layer (self->map, SHUMATE_LAYER (self->base_layer));
      self->base_layer = NULL;
    }
  if (source == NULL)
    return;
  self->base_layer = shumate_map_layer_new (source, self->viewport);
  shumate_map_insert_layer_behind (self->map, SHUMATE_LAYER (self->base_layer),
                                   self->choropleth != NULL ? SHUMATE_LAYER (self->choropleth) :
                                   self->old_layer != NULL ? SHUMATE_LAYER (self->old_layer) :
                                   self->data_layer != NULL ? SHUMATE_LAYER (self->data_layer) :
                                   data_ceiling (self));
}

/**
 * saban_map_view_set_base:
 * @layers: (array length=n): the base map's layers, bottom to top: the
 *   offline one, and the online one over it when it is on
 * @attribution: (nullable): whom the map must credit for them
 *
 * The base map is drawn below every layer through the same tile pipeline
 * (off the main thread, cached): where the online service gives no tile
 * (no network, nothing cached), the offline map below it shows.
 */
void
saban_map_view_set_base (SabanMapView  *self,
                         SabanLayer   **layers,
                         guint          n,
                         const char    *attribution)
{
  g_autoptr(SabanTileSource) source = NULL;

  g_return_if_fail (SABAN_IS_MAP_VIEW (self));

  if (n == 0)
    {
      put_base (self, NULL);
      return;
    }
  source = saban_tile_source_new_composite (layers, n);
  saban_tile_source_set_cairo_tiles (source, self->cairo_tiles);
  shumate_map_source_set_license (SHUMATE_MAP_SOURCE (source), attribution);
  put_base (self, SHUMATE_MAP_SOURCE (source));
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

/**
 * saban_map_view_set_tool:
 *
 * What a click on the map does: select a feature, add a measuring point,
 * draw an area, or pick a point. Leaving a drawing tool before its area is
 * done emits "area-cancelled"; leaving the point tool before its point,
 * "pick-cancelled".
 */
void
saban_map_view_set_tool (SabanMapView *self,
                         SabanMapToolKind tool)
{
  guint cancelled = 0;

  g_return_if_fail (SABAN_IS_MAP_VIEW (self));
  g_return_if_fail (tool < G_N_ELEMENTS (self->tools));

  /* said once the switch is done: a handler may pick another tool */
  if (saban_map_tool_deactivate (self->tools[self->tool]))
    cancelled = self->tool == SABAN_MAP_TOOL_PICK_POINT ? signals[PICK_CANCELLED] : signals[AREA_CANCELLED];
  self->tool = tool;
  saban_map_tool_activate (self->tools[tool]);
  /* A double click ends a measurement; it must not also zoom. */
  shumate_map_set_zoom_on_double_click (self->map, tool == SABAN_MAP_TOOL_SELECT);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->map), tool == SABAN_MAP_TOOL_SELECT ? NULL : "crosshair");
  if (saban_map_tool_get_escapes (self->tools[tool]))
    gtk_widget_grab_focus (GTK_WIDGET (self));
  if (cancelled != 0)
    g_signal_emit (self, cancelled, 0);
}

/**
 * saban_map_view_get_active_tool:
 * Returns: (transfer none): the tool that handles clicks now
 */
SabanMapTool *
saban_map_view_get_active_tool (SabanMapView *self)
{
  g_return_val_if_fail (SABAN_IS_MAP_VIEW (self), NULL);
  return self->tools[self->tool];
}

/**
 * saban_map_view_get_tool:
 * Returns: what a click on the map does now
 */
SabanMapToolKind
saban_map_view_get_tool (SabanMapView *self)
{
  g_return_val_if_fail (SABAN_IS_MAP_VIEW (self), SABAN_MAP_TOOL_SELECT);
  return self->tool;
}

/**
 * saban_map_view_show_area:
 * @area: (nullable): a GeoJSON Polygon or MultiPolygon in WGS 84, or %NULL for none
 *
 * Shows the area a scenario being prepared would cover, until replaced.
 */
void
saban_map_view_show_area (SabanMapView *self,
                          JsonNode     *area)
{
  g_autoptr(GArray) xy = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (guint32));

  g_return_if_fail (SABAN_IS_MAP_VIEW (self));

  if (area != NULL && saban_scenario_area_to_mercator (area, xy, starts))
    saban_overlay_layer_set_area (self->overlay, xy, starts);
  else
    saban_overlay_layer_set_area (self->overlay, NULL, NULL);
}

/**
 * saban_map_view_select:
 * @layer: (nullable): the layer of the feature to highlight, or %NULL for none
 */
void
saban_map_view_select (SabanMapView     *self,
                       SabanVectorLayer *layer,
                       gint64            feature)
{
  g_return_if_fail (SABAN_IS_MAP_VIEW (self));
  saban_overlay_layer_set_selection (self->overlay, layer, feature);
}

/**
 * saban_map_view_center_on:
 * @zoom: the zoom level to show, or a negative number to keep the current one
 */
void
saban_map_view_center_on (SabanMapView *self,
                          double        latitude,
                          double        longitude,
                          double        zoom)
{
  g_return_if_fail (SABAN_IS_MAP_VIEW (self));

  if (zoom >= 0)
    shumate_viewport_set_zoom_level (self->viewport, zoom);
  shumate_map_center_on (self->map, latitude, longitude);
}

/**
 * saban_map_view_show_pin:
 *
 * Marks a position the user asked to go to, until the next tool change.
 */
void
saban_map_view_show_pin (SabanMapView *self,
                         double        latitude,
                         double        longitude)
{
  double xy[2];

  g_return_if_fail (SABAN_IS_MAP_VIEW (self));

  saban_lonlat_to_mercator (longitude, latitude, &xy[0], &xy[1]);
  saban_overlay_layer_set_sketch (self->overlay, xy, 1, FALSE);
}

/**
 * saban_map_view_set_sensor_store:
 * @self: a map view
 * @store: (nullable): live sensors to show above the data layers
 */
void
saban_map_view_set_sensor_store (SabanMapView     *self,
                                 SabanSensorStore *store)
{
  g_return_if_fail (SABAN_IS_MAP_VIEW (self));

  if (self->sensors == NULL)
    {
      if (store == NULL)
        return;
      self->sensors = saban_sensor_layer_new (self->viewport);
      shumate_map_insert_layer_behind (self->map, SHUMATE_LAYER (self->sensors), SHUMATE_LAYER (self->overlay));
      saban_identify_tool_set_sensors (SABAN_IDENTIFY_TOOL (self->tools[SABAN_MAP_TOOL_SELECT]), self->sensors);
    }
  saban_sensor_layer_set_store (self->sensors, store);
}

/**
 * saban_map_view_set_unit_store:
 * @self: a map view
 * @store: (nullable): responder units to show, with their tracks
 */
void
saban_map_view_set_unit_store (SabanMapView   *self,
                               SabanUnitStore *store)
{
  g_return_if_fail (SABAN_IS_MAP_VIEW (self));

  if (self->units == NULL)
    {
      if (store == NULL)
        return;
      self->units = saban_unit_layer_new (self->viewport);
      shumate_map_insert_layer_behind (self->map, SHUMATE_LAYER (self->units),
                                       self->sensors != NULL ? SHUMATE_LAYER (self->sensors) : SHUMATE_LAYER (self->overlay));
    }
  saban_unit_layer_set_store (self->units, store);
}

/**
 * saban_map_view_get_unit_layer:
 * @self: a map view
 *
 * Returns: (transfer none) (nullable): the unit layer, once a store was set
 */
SabanUnitLayer *
saban_map_view_get_unit_layer (SabanMapView *self)
{
  g_return_val_if_fail (SABAN_IS_MAP_VIEW (self), NULL);
  return self->units;
}

/**
 * saban_map_view_get_sensor_layer:
 * @self: a map view
 *
 * Returns: (transfer none) (nullable): the live sensor layer, once a store was set
 */
SabanSensorLayer *
saban_map_view_get_sensor_layer (SabanMapView *self)
{
  g_return_val_if_fail (SABAN_IS_MAP_VIEW (self), NULL);
  return self->sensors;
}

/**
 * saban_map_view_set_command_store:
 * @self: a map view
 * @store: (nullable): the Command API model whose scenarios to show
 */
void
saban_map_view_set_command_store (SabanMapView      *self,
                                  SabanCommandStore *store)
{
  g_return_if_fail (SABAN_IS_MAP_VIEW (self));

  if (self->scenarios == NULL)
    {
      if (store == NULL)
        return;
      self->scenarios = saban_scenario_layer_new (self->viewport);
      shumate_map_insert_layer_behind (self->map, SHUMATE_LAYER (self->scenarios), live_ceiling (self));
    }
  saban_scenario_layer_set_store (self->scenarios, store);
}

/**
 * saban_map_view_set_choropleth:
 * @areas: (nullable): the polygons to fill by class (the communes); %NULL: none
 * @classes: (array): each feature's class, or %SABAN_STYLE_NO_CLASS
 * @colors: (array length=n_colors): each class's fill
 *
 * Fills @areas by class under the data layers (which keep their outlines
 * and names): the next frame shows it, with no tile drawn again.
 */
void
saban_map_view_set_choropleth (SabanMapView     *self,
                               SabanVectorLayer *areas,
                               const guint8     *classes,
                               const GdkRGBA    *colors,
                               guint             n_colors)
{
  g_return_if_fail (SABAN_IS_MAP_VIEW (self));

  if (self->choropleth == NULL)
    {
      self->choropleth = saban_choropleth_layer_new (self->viewport);
      shumate_map_insert_layer_behind (self->map, SHUMATE_LAYER (self->choropleth),
                                       self->old_layer != NULL ? SHUMATE_LAYER (self->old_layer) :
                                       self->data_layer != NULL ? SHUMATE_LAYER (self->data_layer) :
                                       data_ceiling (self));
    }
  saban_choropleth_layer_set (self->choropleth, areas, classes, colors, n_colors);
}

/**
 * saban_map_view_get_choropleth:
 *
 * Returns: (transfer none) (nullable): the filled areas, once set
 */
SabanChoroplethLayer *
saban_map_view_get_choropleth (SabanMapView *self)
{
  g_return_val_if_fail (SABAN_IS_MAP_VIEW (self), NULL);
  return self->choropleth;
}

/**
 * saban_map_view_get_scenario_layer:
 * @self: a map view
 *
 * Returns: (transfer none) (nullable): the scenario layer, once a store was set
 */
SabanScenarioLayer *
saban_map_view_get_scenario_layer (SabanMapView *self)
{
  g_return_val_if_fail (SABAN_IS_MAP_VIEW (self), NULL);
  return self->scenarios;
}

/**
 * saban_map_view_set_dark:
 *
 * Draws the layers for a dark room, or not; the map redraws at once (the
 * other look's tiles stay cached).
 */
void
saban_map_view_set_dark (SabanMapView *self,
                         gboolean      dark)
{
  g_return_if_fail (SABAN_IS_MAP_VIEW (self));

  dark = !!dark;
  if (self->dark == dark)
    return;
  self->dark = dark;
  /* styles no longer on the map need no dark twin */
  if (!dark)
    g_hash_table_remove_all (self->dark_styles);
  if (dark)
    gtk_widget_add_css_class (GTK_WIDGET (self), "dark");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "dark");
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DARK]);
}

gboolean
saban_map_view_get_dark (SabanMapView *self)
{
  g_return_val_if_fail (SABAN_IS_MAP_VIEW (self), FALSE);
  return self->dark;
}

/**
 * saban_map_view_set_swipe:
 * @layer: (nullable): the layer to show left of a divider over the map, as
 *   styled now; %NULL to stop comparing
 *
 * Returns: (transfer none) (nullable): the swipe layer (its position moves
 *   the divider), or %NULL
 */
SabanSwipeLayer *
saban_map_view_set_swipe (SabanMapView *self,
                          SabanLayer   *layer)
{
  ShumateLayer *ceiling;

  g_return_val_if_fail (SABAN_IS_MAP_VIEW (self), NULL);

  if (self->swipe != NULL)
    shumate_map_remove_layer (self->map, SHUMATE_LAYER (self->swipe));
  g_clear_object (&self->swipe);
  if (layer == NULL)
    return NULL;
  /* over the data, under scenarios, live layers and the overlay */
  ceiling = data_ceiling (self);
  self->swipe = g_object_ref_sink (saban_swipe_layer_new (self->viewport, layer));
  shumate_map_insert_layer_behind (self->map, SHUMATE_LAYER (self->swipe), ceiling);
  return self->swipe;
}
