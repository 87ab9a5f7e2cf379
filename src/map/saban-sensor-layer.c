/* saban-sensor-layer.c: live sensors, drawn in snapshot() as one layer.
 *
 * One widget per sensor (ShumateMarkerLayer) costs 5–6 KB and a layout each
 * and falls to 16 fps at 5 000 markers. Here the sensors are points of a
 * SabanClusterIndex (core), clustered once for every zoom level below
 * CLUSTER_ZOOM; a frame asks it for what is in the view at the current zoom
 * level — a few hundred clusters or sensors whatever the store's size — and
 * places textures drawn once: an icon per kind and state, a cluster per
 * state and count, a sensor with its value per sensor shown close up. A cluster shows its count in
 * the colour of its worst member, drawn above the quieter ones, so a gauge in
 * danger is never hidden by its neighbours. A sensor filtered out is hidden
 * in the index: neither drawn nor counted.
 *
 * The store announces changes in batches; a batch updates the changed
 * sensors' classes in the index (one cluster per zoom level each), and a
 * frame-clock tick queues a single redraw. Sensors appended rebuild the
 * index.
 *
 * Over a thousand lines: the layer's clustering, drawing, picking and its pulse
 * share the cluster index and one frame clock.
 */
#include "saban-sensor-layer.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "saban-cluster-index.h"
#include "saban-format.h"
#include "saban-measure.h"

#define CLUSTER_ZOOM 11
#define LABEL_ZOOM 12.0
#define CELL_PX 56.0
#define RADIUS 11.0
#define N_KINDS (SABAN_SENSOR_KIND_CAMERA + 1)
/* caches of cluster and label textures are dropped whole when they reach this */
#define CACHE_MAX 4096
#define WEB_MERCATOR_HALF 20037508.342789244

struct _SabanSensorLayer
{
  ShumateLayer       parent_instance;
  SabanSensorStore  *store;
  SabanClusterIndex *index;       /* over the store's first n sensors; NULL when empty */
  guint              tick;
  guint              n_draws;
  guint              n_drawn;
  guint              n_clusters;
  SabanAlarmList    *alarms;
  GByteArray        *alarm_of;    /* by sensor: its unacknowledged alarm's level, or UNKNOWN */
  GArray            *alarmed;     /* guint: the sensors with such an alarm */
  GPtrArray         *areas;       /* SabanAlarm: the alarms with an area (CAP), in the list's order */
  gboolean           alarms_dirty;
  guint              pulse_tick;
  guint              n_pulsing;
  gint64             pulse_until; /* monotonic µs: rings move until then, then stand */
  gint64             pulse_for;   /* µs rings move after the alarms change */
  SabanSensorFilter *filter;      /* NULL: all */
  GArray            *hits;        /* Hit: what the last frame drew, in drawing order */
  GArray            *found;       /* SabanCluster: the frame's query, kept between frames */
  GArray            *order;       /* guint: found, the worst last */
  GByteArray        *pulsing;     /* by cluster of pulse_level: the highest alarm level in it */
  int                pulse_level; /* the zoom level of pulsing; -1 when out of date */
  int                scale;       /* of the textures below */
  GdkTexture        *icons[SABAN_SENSOR_N_STATES][N_KINDS];
  GHashTable        *clusters;    /* worst << 24 | count → GdkTexture */
  GHashTable        *labels;      /* sensor index → GdkTexture: icon and value */
};

/* A disc drawn in the last frame, for picking: a sensor, or a cluster of
 * several (sensor = G_MAXUINT). */
typedef struct
{
  double x, y, r;
  guint  sensor;
  double lat, lon;
} Hit;

G_DEFINE_FINAL_TYPE (SabanSensorLayer, saban_sensor_layer, SHUMATE_TYPE_LAYER)

#define PULSE_PERIOD_US 1200000
/* While an alarm waits the layer animates, but at 10 fps from a timer at
 * idle priority, not every frame: a redraw per frame of the whole window
 * under a software renderer starves the idle callbacks that deliver tiles
 * (the map never stopped being "busy" in the app test). */
#define PULSE_INTERVAL_MS 100
/* where a ring that no longer moves is drawn */
#define PULSE_STANDING_PHASE 0.3

static void
set_state_colour (cairo_t *cr, SabanSensorState state)
{
  switch (state)
    {
    case SABAN_SENSOR_STATE_DANGER:
      cairo_set_source_rgb (cr, 0.85, 0.11, 0.11);
      break;
    case SABAN_SENSOR_STATE_ALERT:
      cairo_set_source_rgb (cr, 0.96, 0.62, 0.04);
      break;
    case SABAN_SENSOR_STATE_STALE:
      cairo_set_source_rgb (cr, 0.55, 0.55, 0.55);
      break;
    case SABAN_SENSOR_STATE_NORMAL:
      cairo_set_source_rgb (cr, 0.15, 0.62, 0.30);
      break;
    case SABAN_SENSOR_STATE_UNKNOWN:
    case SABAN_SENSOR_N_STATES:
    default:
      /* cameras and sensors not heard from yet: neutral blue */
      cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
      break;
    }
}

/* white glyphs on the coloured disc, drawn around (0, 0) within ±6 px */
static void
draw_glyph (cairo_t *cr, SabanSensorKind kind)
{
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, 1.6);
  switch (kind)
    {
    case SABAN_SENSOR_KIND_WATER_LEVEL:
      /* two waves */
      for (int row = 0; row < 2; row++)
        {
          double y = -1.5 + 4.0 * row;
          cairo_move_to (cr, -6, y);
          cairo_curve_to (cr, -4, y - 3, -2, y - 3, 0, y);
          cairo_curve_to (cr, 2, y + 3, 4, y + 3, 6, y);
        }
      cairo_stroke (cr);
      break;
    case SABAN_SENSOR_KIND_RAIN:
      /* a drop */
      cairo_move_to (cr, 0, -6.5);
      cairo_curve_to (cr, 2, -3, 5, 0, 4.5, 2.5);
      cairo_arc (cr, 0, 2.5, 4.5, 0, G_PI);
      cairo_curve_to (cr, -5, 0, -2, -3, 0, -6.5);
      cairo_fill (cr);
      break;
    case SABAN_SENSOR_KIND_AIR_QUALITY:
      /* wind: three strokes ending in curls */
      cairo_move_to (cr, -6, -3);
      cairo_line_to (cr, 2, -3);
      cairo_arc_negative (cr, 2, -5, 2, G_PI / 2, -G_PI / 2 + 0.3);
      cairo_move_to (cr, -6, 0.5);
      cairo_line_to (cr, 5, 0.5);
      cairo_move_to (cr, -6, 4);
      cairo_line_to (cr, 1, 4);
      cairo_arc (cr, 1, 6, 2, -G_PI / 2, G_PI / 2 - 0.3);
      cairo_stroke (cr);
      break;
    case SABAN_SENSOR_KIND_CAMERA:
      /* a body and a lens */
      cairo_rectangle (cr, -6, -3.5, 8, 7);
      cairo_move_to (cr, 2.5, 0);
      cairo_line_to (cr, 6.5, -3.5);
      cairo_line_to (cr, 6.5, 3.5);
      cairo_close_path (cr);
      cairo_fill (cr);
      break;
    case SABAN_SENSOR_KIND_OTHER:
    default:
      cairo_arc (cr, 0, 0, 3, 0, 2 * G_PI);
      cairo_fill (cr);
      break;
    }
}

/* a disc of radius @r centred in a (2r + 3)² image, its shadow touching
 * the edges (no transparent frame: the renderer blends every pixel of an
 * image, every frame): shadow, state colour, white rim */
#define DISC_SIZE(r) (2 * (r) + 3)
static void
draw_disc (cairo_t *cr, double r, SabanSensorState state)
{
  double c = r + 1.5;

  cairo_arc (cr, c, c, r + 1.5, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.35);
  cairo_fill (cr);
  cairo_arc (cr, c, c, r, 0, 2 * G_PI);
  set_state_colour (cr, state);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, 2);
  cairo_stroke (cr);
}

static cairo_t *
begin_image (int width, int height, int scale)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
  cairo_t *cr = cairo_create (surface);

  cairo_surface_destroy (surface);
  cairo_scale (cr, scale, scale);
  return cr;
}

/* cairo's ARGB32 is GDK's default memory format */
static GdkTexture *
end_image (cairo_t *cr)
{
  cairo_surface_t *surface = cairo_get_target (cr);
  g_autoptr(GBytes) bytes = NULL;
  GdkTexture *texture;

  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * cairo_image_surface_get_height (surface));
  texture = gdk_memory_texture_new (cairo_image_surface_get_width (surface), cairo_image_surface_get_height (surface),
                                    GDK_MEMORY_DEFAULT, bytes, cairo_image_surface_get_stride (surface));
  cairo_destroy (cr);
  return texture;
}

static GdkTexture *
icon_texture (SabanSensorLayer *self, SabanSensorState state, SabanSensorKind kind)
{
  if (self->icons[state][kind] == NULL)
    {
      int size = (int) DISC_SIZE (RADIUS);
      cairo_t *cr = begin_image (size, size, self->scale);

      draw_disc (cr, RADIUS, state);
      cairo_translate (cr, size / 2.0, size / 2.0);
      draw_glyph (cr, kind);
      self->icons[state][kind] = end_image (cr);
    }
  return self->icons[state][kind];
}

static int
cluster_radius (guint count)
{
  return (int) round (RADIUS + 2 + MIN (8.0, 2.0 * log2 (count)));
}

static PangoLayout *
bold_layout (SabanSensorLayer *self, const char *text, int *w, int *h)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoFontDescription *font = pango_font_description_from_string ("Sans Bold 9");

  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_get_pixel_size (layout, w, h);
  return layout;
}

/* a cluster: its disc in its worst state's colour, its count in white */
static GdkTexture *
cluster_texture (SabanSensorLayer *self, SabanSensorState worst, guint count)
{
  guint key = (guint) worst << 24 | MIN (count, 0xFFFFFF);
  GdkTexture *texture = g_hash_table_lookup (self->clusters, GUINT_TO_POINTER (key));

  if (texture == NULL)
    {
      char text[16];
      int r = cluster_radius (count), w, h;
      g_autoptr(PangoLayout) layout = NULL;
      cairo_t *cr = begin_image (DISC_SIZE (r), DISC_SIZE (r), self->scale);

      g_snprintf (text, sizeof text, "%u", count);
      layout = bold_layout (self, text, &w, &h);
      draw_disc (cr, r, worst);
      cairo_move_to (cr, r + 1.5 - w / 2.0, r + 1.5 - h / 2.0);
      cairo_set_source_rgb (cr, 1, 1, 1);
      pango_cairo_show_layout (cr, layout);
      texture = end_image (cr);
      if (g_hash_table_size (self->clusters) >= CACHE_MAX)
        g_hash_table_remove_all (self->clusters);
      g_hash_table_insert (self->clusters, GUINT_TO_POINTER (key), texture);
    }
  return texture;
}

/* a sensor close up: its icon, and its value (or age) beside it in dark
 * text with a white halo, so it reads on any land-use colour */
static GdkTexture *
labelled_texture (SabanSensorLayer *self, guint index, const SabanSensor *s, const char *label)
{
  GdkTexture *texture = g_hash_table_lookup (self->labels, GUINT_TO_POINTER (index));

  if (texture == NULL)
    {
      int icon = (int) DISC_SIZE (RADIUS), w, h;
      g_autoptr(PangoLayout) layout = bold_layout (self, label, &w, &h);
      int height = MAX (icon, h + 4);
      cairo_t *cr = begin_image (icon + w + 6, height, self->scale);

      cairo_save (cr);
      cairo_translate (cr, 0, (height - icon) / 2.0);
      draw_disc (cr, RADIUS, s->state);
      cairo_translate (cr, icon / 2.0, icon / 2.0);
      draw_glyph (cr, s->kind);
      cairo_restore (cr);
      cairo_move_to (cr, icon + 2, (height - h) / 2.0);
      pango_cairo_layout_path (cr, layout);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
      cairo_set_line_width (cr, 3);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_stroke (cr);
      cairo_move_to (cr, icon + 2, (height - h) / 2.0);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      pango_cairo_show_layout (cr, layout);
      texture = end_image (cr);
      if (g_hash_table_size (self->labels) >= CACHE_MAX)
        g_hash_table_remove_all (self->labels);
      g_hash_table_insert (self->labels, GUINT_TO_POINTER (index), texture);
    }
  return texture;
}

static void
drop_textures (SabanSensorLayer *self)
{
  for (int s = 0; s < SABAN_SENSOR_N_STATES; s++)
    for (int k = 0; k < N_KINDS; k++)
      g_clear_object (&self->icons[s][k]);
  g_hash_table_remove_all (self->clusters);
  g_hash_table_remove_all (self->labels);
}

/* with the point @ox px from its left edge at (x, y), vertically centred,
 * on whole pixels so it stays sharp */
static void
place (GtkSnapshot *snapshot, GdkTexture *texture, int scale, double x, double y, double ox)
{
  double w = gdk_texture_get_width (texture) / (double) scale, h = gdk_texture_get_height (texture) / (double) scale;

  gtk_snapshot_append_texture (snapshot, texture, &GRAPHENE_RECT_INIT (round (x - ox), round (y - h / 2), w, h));
}

static void start_pulse (SabanSensorLayer *self);

/* an expanding, fading ring around a sensor (or cluster) in alarm, until acknowledged */
static void
append_pulse (GtkSnapshot *snapshot, double x, double y, double r, SabanSensorState level, double phase)
{
  double outer = r + 4.5 + 12 * phase, alpha = 0.9 * (1 - phase);
  GdkRGBA colour = level == SABAN_SENSOR_STATE_DANGER ? (GdkRGBA) { 0.85, 0.11, 0.11, alpha }
                                                      : (GdkRGBA) { 0.96, 0.62, 0.04, alpha };
  GskRoundedRect ring;

  gsk_rounded_rect_init_from_rect (&ring, &GRAPHENE_RECT_INIT (x - outer, y - outer, 2 * outer, 2 * outer), outer);
  gtk_snapshot_append_border (snapshot, &ring, (const float[4]) { 3, 3, 3, 3 },
                              (const GdkRGBA[4]) { colour, colour, colour, colour });
}

static char *
sensor_label (const SabanSensor *s)
{
  if (s->state == SABAN_SENSOR_STATE_STALE)
    return saban_format_age (s->age_s);
  if (isnan (s->value))
    return NULL;
  return saban_format_reading (s->value, s->unit);
}

static void
world_of (double lon, double lat, double *x, double *y)
{
  double mx, my;

  saban_lonlat_to_mercator (lon, lat, &mx, &my);
  *x = 0.5 + mx / (2 * WEB_MERCATOR_HALF);
  *y = 0.5 - my / (2 * WEB_MERCATOR_HALF);
}

static guint8
class_of (SabanSensorLayer *self, guint i)
{
  const SabanSensor *s = saban_sensor_store_get_sensor (self->store, i);
  gboolean in_alarm = i < self->alarm_of->len && self->alarm_of->data[i] != SABAN_SENSOR_STATE_UNKNOWN;

  if (self->filter != NULL && !saban_sensor_filter_matches (self->filter, s, in_alarm))
    return SABAN_CLUSTER_INDEX_HIDDEN;
  return s->state;
}

/* the index over every sensor in the store, as they are now */
static void
rebuild_index (SabanSensorLayer *self)
{
  guint n = self->store != NULL ? saban_sensor_store_get_n_sensors (self->store) : 0;
  g_autofree double *xy = g_new (double, 2 * (gsize) MAX (n, 1));
  g_autofree guint8 *classes = g_new (guint8, MAX (n, 1));

  g_clear_pointer (&self->index, saban_cluster_index_free);
  g_hash_table_remove_all (self->labels);
  self->pulse_level = -1;
  if (n == 0)
    return;
  for (guint i = 0; i < n; i++)
    {
      const SabanSensor *s = saban_sensor_store_get_sensor (self->store, i);

      world_of (s->lon, s->lat, &xy[2 * i], &xy[2 * i + 1]);
      classes[i] = class_of (self, i);
    }
  self->index = saban_cluster_index_new (xy, classes, n, 0, CLUSTER_ZOOM - 1, CELL_PX / 256);
}

static void
update_classes (SabanSensorLayer *self)
{
  guint n = self->index != NULL ? saban_cluster_index_get_n_points (self->index) : 0;

  self->pulse_level = -1;
  for (guint i = 0; i < n; i++)
    saban_cluster_index_set_class (self->index, i, class_of (self, i));
}

/* The alarms as the frames need them, read once per change of the list:
 * each sensor's waiting level, the sensors with one, the CAP areas. */
static void
update_alarms (SabanSensorLayer *self)
{
  guint n = self->store != NULL ? saban_sensor_store_get_n_sensors (self->store) : 0;

  self->alarms_dirty = FALSE;
  self->pulse_level = -1;
  g_byte_array_set_size (self->alarm_of, n);
  if (n > 0)  /* an empty array has no data to set */
    memset (self->alarm_of->data, SABAN_SENSOR_STATE_UNKNOWN, n);
  g_array_set_size (self->alarmed, 0);
  g_ptr_array_set_size (self->areas, 0);
  for (guint k = 0; self->alarms != NULL && k < g_list_model_get_n_items (G_LIST_MODEL (self->alarms)); k++)
    {
      g_autoptr(SabanAlarm) a = g_list_model_get_item (G_LIST_MODEL (self->alarms), k);
      guint si = saban_alarm_get_sensor (a), n_points;

      if (saban_alarm_get_area (a, &n_points) != NULL)
        g_ptr_array_add (self->areas, g_object_ref (a));
      if (saban_alarm_get_acknowledged (a) || si >= n)
        continue;
      if (self->alarm_of->data[si] == SABAN_SENSOR_STATE_UNKNOWN)
        g_array_append_val (self->alarmed, si);
      self->alarm_of->data[si] = MAX (self->alarm_of->data[si], saban_alarm_get_level (a));
    }
}

/* Which clusters of @zoom hold a visible sensor with an unacknowledged
 * alarm, and its level: kept while the zoom level, the alarms and the
 * classes stay the same. */
static void
find_pulsing (SabanSensorLayer *self, int zoom)
{
  if (self->alarmed->len == 0 || zoom >= CLUSTER_ZOOM || zoom == self->pulse_level)
    return;
  self->pulse_level = zoom;
  g_byte_array_set_size (self->pulsing, saban_cluster_index_get_n_clusters (self->index, zoom));
  memset (self->pulsing->data, SABAN_SENSOR_STATE_UNKNOWN, self->pulsing->len);
  for (guint k = 0; k < self->alarmed->len; k++)
    {
      guint si = g_array_index (self->alarmed, guint, k);
      guint8 *level;

      if (si >= saban_cluster_index_get_n_points (self->index) ||
          saban_cluster_index_get_class (self->index, si) == SABAN_CLUSTER_INDEX_HIDDEN)
        continue;
      level = &self->pulsing->data[saban_cluster_index_get_cluster (self->index, si, zoom)];
      *level = MAX (*level, self->alarm_of->data[si]);
    }
}

static SabanSensorState
pulse_of (SabanSensorLayer *self, const SabanCluster *c)
{
  if (c->count == 1)
    return c->point < self->alarm_of->len ? self->alarm_of->data[c->point] : SABAN_SENSOR_STATE_UNKNOWN;
  if (self->alarmed->len == 0 || self->pulse_level < 0 || c->cluster >= self->pulsing->len)
    return SABAN_SENSOR_STATE_UNKNOWN;
  return self->pulsing->data[c->cluster];
}

/* CAP alerts' areas, under the sensors: red for danger, amber for alert,
 * fainter once acknowledged; (x0, y0) is the widget point of world (cx, cy),
 * (sx, sy) the world → widget scale */
static void
append_alert_areas (SabanSensorLayer *self, GtkSnapshot *snapshot, int width, int height, double x0, double y0,
                    double cx, double cy, double sx, double sy)
{
  double left = width, top = height, right = 0, bottom = 0;
  cairo_t *cr;

  if (self->areas->len == 0)
    return;
  /* the image cairo draws, and the renderer uploads every frame, is the
   * areas' extent in the view, not the whole view */
  for (guint k = 0; k < self->areas->len; k++)
    {
      guint n;
      const double *ring = saban_alarm_get_area (g_ptr_array_index (self->areas, k), &n);

      for (guint i = 0; i < n; i++)
        {
          double wx, wy, x, y;

          world_of (ring[2 * i], ring[2 * i + 1], &wx, &wy);
          x = x0 + (wx - cx) * sx;
          y = y0 + (wy - cy) * sy;
          left = MIN (left, x);
          right = MAX (right, x);
          top = MIN (top, y);
          bottom = MAX (bottom, y);
        }
    }
  /* the dashed outline's width and its antialiasing */
  left = floor (MAX (left - 3, 0));
  top = floor (MAX (top - 3, 0));
  right = ceil (MIN (right + 3, width));
  bottom = ceil (MIN (bottom + 3, height));
  if (left >= right || top >= bottom)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (left, top, right - left, bottom - top));
  for (guint k = 0; k < self->areas->len; k++)
    {
      SabanAlarm *a = g_ptr_array_index (self->areas, k);
      gboolean danger = saban_alarm_get_level (a) == SABAN_SENSOR_STATE_DANGER;
      double alpha = saban_alarm_get_acknowledged (a) ? 0.5 : 1.0;
      guint n;
      const double *ring = saban_alarm_get_area (a, &n);

      cairo_new_path (cr);
      for (guint i = 0; i < n; i++)
        {
          double wx, wy;

          world_of (ring[2 * i], ring[2 * i + 1], &wx, &wy);
          cairo_line_to (cr, x0 + (wx - cx) * sx, y0 + (wy - cy) * sy);
        }
      cairo_close_path (cr);
      if (danger)
        cairo_set_source_rgba (cr, 0.85, 0.11, 0.11, 0.18 * alpha);
      else
        cairo_set_source_rgba (cr, 0.96, 0.62, 0.04, 0.18 * alpha);
      cairo_fill_preserve (cr);
      if (danger)
        cairo_set_source_rgba (cr, 0.85, 0.11, 0.11, 0.9 * alpha);
      else
        cairo_set_source_rgba (cr, 0.96, 0.62, 0.04, 0.9 * alpha);
      cairo_set_line_width (cr, 2.5);
      cairo_set_dash (cr, (const double[]) { 8, 4 }, 2, 0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
  cairo_destroy (cr);
}

static void
saban_sensor_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  SabanSensorLayer *self = SABAN_SENSOR_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double clat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  double clon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  double cx, cy, x0, y0, x1, y1, sx, sy, lon, lat, phase;
  guint by_state[SABAN_SENSOR_N_STATES + 1] = { 0 };
  int level = (int) floor (zoom), scale = gtk_widget_get_scale_factor (widget);
  gboolean labels = zoom >= LABEL_ZOOM;

  self->n_draws++;
  self->n_drawn = self->n_clusters = self->n_pulsing = 0;
  g_array_set_size (self->hits, 0);
  if (self->index == NULL || width <= 0 || height <= 0)
    return;
  if (scale != self->scale)
    {
      drop_textures (self);
      self->scale = scale;
    }
  if (self->alarms_dirty)
    {
      update_alarms (self);
      /* "only in alarm" filters by them */
      if (self->filter != NULL)
        update_classes (self);
    }

  /* one affine transform per frame, world → widget, from two projected
   * points near the centre */
  world_of (clon, clat, &cx, &cy);
  shumate_viewport_location_to_widget_coords (viewport, widget, clat, clon, &x0, &y0);
  lon = clon + 0.01;
  lat = clat + 0.01;
  shumate_viewport_location_to_widget_coords (viewport, widget, lat, lon, &x1, &y1);
  world_of (lon, lat, &sx, &sy);
  sx = (x1 - x0) / (sx - cx);
  sy = (y1 - y0) / (sy - cy);
  if (!isfinite (sx) || !isfinite (sy) || sx == 0 || sy == 0)
    return;

  append_alert_areas (self, snapshot, width, height, x0, y0, cx, cy, sx, sy);

  /* the view and a cell around it, in world coordinates */
  x1 = cx + (-CELL_PX - x0) / sx;
  y1 = cy + (-CELL_PX - y0) / sy;
  lon = cx + (width + CELL_PX - x0) / sx;
  lat = cy + (height + CELL_PX - y0) / sy;
  saban_cluster_index_query (self->index, level, MIN (x1, lon), MIN (y1, lat), MAX (x1, lon), MAX (y1, lat),
                             self->found);
  find_pulsing (self, level);
  /* a standing ring once the animation has stopped */
  phase = self->pulse_tick != 0 ? (g_get_monotonic_time () % PULSE_PERIOD_US) / (double) PULSE_PERIOD_US
                                : PULSE_STANDING_PHASE;

  /* worst on top: a counting sort by state */
  for (guint k = 0; k < self->found->len; k++)
    by_state[g_array_index (self->found, SabanCluster, k).worst + 1]++;
  for (int s = 1; s <= SABAN_SENSOR_N_STATES; s++)
    by_state[s] += by_state[s - 1];
  g_array_set_size (self->order, self->found->len);
  for (guint k = 0; k < self->found->len; k++)
    g_array_index (self->order, guint, by_state[g_array_index (self->found, SabanCluster, k).worst]++) = k;

  for (guint o = 0; o < self->order->len; o++)
    {
      const SabanCluster *c = &g_array_index (self->found, SabanCluster, g_array_index (self->order, guint, o));
      double x = x0 + (c->x - cx) * sx, y = y0 + (c->y - cy) * sy;
      SabanSensorState alarm = pulse_of (self, c);

      if (c->count == 1)
        {
          const SabanSensor *s = saban_sensor_store_get_sensor (self->store, c->point);

          if (alarm != SABAN_SENSOR_STATE_UNKNOWN)
            {
              append_pulse (snapshot, x, y, RADIUS, alarm, phase);
              self->n_pulsing++;
            }
          if (labels && x > -CELL_PX && x < width && y > -CELL_PX && y < height + CELL_PX)
            {
              GdkTexture *texture = g_hash_table_lookup (self->labels, GUINT_TO_POINTER (c->point));
              g_autofree char *label = NULL;

              if (texture == NULL && (label = sensor_label (s)) != NULL)
                texture = labelled_texture (self, c->point, s, label);
              if (texture == NULL)
                texture = icon_texture (self, s->state, s->kind);
              place (snapshot, texture, scale, x, y, RADIUS + 1.5);
            }
          else
            place (snapshot, icon_texture (self, s->state, s->kind), scale, x, y, RADIUS + 1.5);
          g_array_append_val (self->hits, ((Hit) { x, y, RADIUS, c->point, s->lat, s->lon }));
          self->n_drawn++;
        }
      else
        {
          int r = cluster_radius (c->count);

          if (alarm != SABAN_SENSOR_STATE_UNKNOWN)
            {
              append_pulse (snapshot, x, y, r, alarm, phase);
              self->n_pulsing++;
            }
          place (snapshot, cluster_texture (self, c->worst, c->count), scale, x, y, r + 1.5);
          lon = c->x * 360 - 180;
          lat = atan (sinh (G_PI * (1 - 2 * c->y))) * 180 / G_PI;
          g_array_append_val (self->hits, ((Hit) { x, y, r, G_MAXUINT, lat, lon }));
          self->n_drawn += c->count;
          self->n_clusters++;
        }
    }
  start_pulse (self);
}

static gboolean
tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  SabanSensorLayer *self = SABAN_SENSOR_LAYER (widget);

  self->tick = 0;
  gtk_widget_queue_draw (widget);
  return G_SOURCE_REMOVE;
}


static gboolean
is_seen (SabanSensorLayer *self)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  GdkSurface *surface = native != NULL ? gtk_native_get_surface (native) : NULL;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || surface == NULL)
    return FALSE;
  return !GDK_IS_TOPLEVEL (surface) || !(gdk_toplevel_get_state (GDK_TOPLEVEL (surface)) & GDK_TOPLEVEL_STATE_MINIMIZED);
}

/* Rings move only while someone can see them: the layer on screen, a ring
 * in or near the view at the last frame, and for a while (two minutes by
 * default, saban_sensor_layer_set_pulse_seconds()) after the
 * alarms last changed. Then they stand still, and the app is quiet (issue
 * 15: pulses kept a software-rendered full-HD window redrawing for ever). */
static gboolean
pulse_cb (gpointer data)
{
  SabanSensorLayer *self = SABAN_SENSOR_LAYER (data);
  gboolean go_on = self->alarms != NULL && saban_alarm_list_get_n_active (self->alarms) > 0 &&
                   self->n_pulsing > 0 && g_get_monotonic_time () < self->pulse_until && is_seen (self);

  if (!go_on)
    self->pulse_tick = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return go_on ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* from a frame that drew rings: moves them if they should move */
static void
start_pulse (SabanSensorLayer *self)
{
  if (self->pulse_tick == 0 && self->n_pulsing > 0 && g_get_monotonic_time () < self->pulse_until)
    self->pulse_tick = g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE, PULSE_INTERVAL_MS, pulse_cb, self, NULL);
}

/* a burst of alarms (thousands of gauges rising at once) is read once, at
 * the next frame; a change of the alarms moves the rings again */
static void
on_alarms_changed (SabanSensorLayer *self)
{
  self->alarms_dirty = TRUE;
  self->pulse_until = g_get_monotonic_time () + self->pulse_for;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_sensors_changed (SabanSensorLayer *self)
{
  guint n;
  const guint *changed = saban_sensor_store_get_changed (self->store, &n);

  if (self->index == NULL || saban_sensor_store_get_n_sensors (self->store) > saban_cluster_index_get_n_points (self->index))
    {
      /* sensors were appended */
      update_alarms (self);
      rebuild_index (self);
    }
  else
    for (guint k = 0; k < n; k++)
      {
        guint8 was = saban_cluster_index_get_class (self->index, changed[k]), klass = class_of (self, changed[k]);

        /* which clusters pulse depends on which sensors are hidden */
        if ((was == SABAN_CLUSTER_INDEX_HIDDEN) != (klass == SABAN_CLUSTER_INDEX_HIDDEN))
          self->pulse_level = -1;
        saban_cluster_index_set_class (self->index, changed[k], klass);
        g_hash_table_remove (self->labels, GUINT_TO_POINTER (changed[k]));
      }
  /* a burst of changes costs one redraw, at the next frame */
  if (self->tick == 0)
    self->tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
}

static void
saban_sensor_layer_constructed (GObject *object)
{
  SabanSensorLayer *self = SABAN_SENSOR_LAYER (object);

  G_OBJECT_CLASS (saban_sensor_layer_parent_class)->constructed (object);
  g_signal_connect_object (shumate_layer_get_viewport (SHUMATE_LAYER (self)), "notify",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}

static void
saban_sensor_layer_dispose (GObject *object)
{
  SabanSensorLayer *self = SABAN_SENSOR_LAYER (object);

  if (self->tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick);
      self->tick = 0;
    }
  g_clear_handle_id (&self->pulse_tick, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  if (self->alarms != NULL)
    g_signal_handlers_disconnect_by_data (self->alarms, self);
  g_clear_object (&self->alarms);
  g_ptr_array_set_size (self->areas, 0);
  drop_textures (self);
  G_OBJECT_CLASS (saban_sensor_layer_parent_class)->dispose (object);
}

static void
saban_sensor_layer_finalize (GObject *object)
{
  SabanSensorLayer *self = SABAN_SENSOR_LAYER (object);

  g_clear_pointer (&self->index, saban_cluster_index_free);
  g_clear_pointer (&self->alarm_of, g_byte_array_unref);
  g_clear_pointer (&self->hits, g_array_unref);
  g_clear_pointer (&self->found, g_array_unref);
  g_clear_pointer (&self->order, g_array_unref);
  g_clear_pointer (&self->pulsing, g_byte_array_unref);
  g_clear_pointer (&self->alarmed, g_array_unref);
  g_clear_pointer (&self->areas, g_ptr_array_unref);
  g_clear_pointer (&self->clusters, g_hash_table_unref);
  g_clear_pointer (&self->labels, g_hash_table_unref);
  g_clear_pointer (&self->filter, saban_sensor_filter_free);
  G_OBJECT_CLASS (saban_sensor_layer_parent_class)->finalize (object);
}

static void
saban_sensor_layer_class_init (SabanSensorLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = saban_sensor_layer_constructed;
  object_class->dispose = saban_sensor_layer_dispose;
  object_class->finalize = saban_sensor_layer_finalize;
  GTK_WIDGET_CLASS (klass)->snapshot = saban_sensor_layer_snapshot;
}

static void
saban_sensor_layer_init (SabanSensorLayer *self)
{
  self->alarm_of = g_byte_array_new ();
  self->hits = g_array_new (FALSE, FALSE, sizeof (Hit));
  self->found = g_array_new (FALSE, FALSE, sizeof (SabanCluster));
  self->order = g_array_new (FALSE, FALSE, sizeof (guint));
  self->pulsing = g_byte_array_new ();
  self->pulse_level = -1;
  self->pulse_for = 120 * G_USEC_PER_SEC;
  self->alarmed = g_array_new (FALSE, FALSE, sizeof (guint));
  self->areas = g_ptr_array_new_with_free_func (g_object_unref);
  self->clusters = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->labels = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->scale = 1;
  /* clicks go to the map view, which hit-tests itself */
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

/**
 * saban_sensor_layer_new:
 * @viewport: the map's viewport
 *
 * Returns: (transfer full): a layer showing no sensors until it has a store
 */
SabanSensorLayer *
saban_sensor_layer_new (ShumateViewport *viewport)
{
  return g_object_new (SABAN_TYPE_SENSOR_LAYER, "viewport", viewport, NULL);
}

/**
 * saban_sensor_layer_set_store:
 * @self: a layer
 * @store: (nullable): the sensors to show
 */
void
saban_sensor_layer_set_store (SabanSensorLayer *self, SabanSensorStore *store)
{
  g_return_if_fail (SABAN_IS_SENSOR_LAYER (self));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  update_alarms (self);
  rebuild_index (self);
  if (store != NULL)
    g_signal_connect_object (store, "sensors-changed", G_CALLBACK (on_sensors_changed), self, G_CONNECT_SWAPPED);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * saban_sensor_layer_get_store:
 * @self: a layer
 *
 * Returns: (transfer none) (nullable): its store
 */
SabanSensorStore *
saban_sensor_layer_get_store (SabanSensorLayer *self)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_LAYER (self), NULL);
  return self->store;
}

/**
 * saban_sensor_layer_get_n_draws:
 * @self: a layer
 *
 * Returns: how many times it was drawn (tests check the coalescing)
 */
guint
saban_sensor_layer_get_n_draws (SabanSensorLayer *self)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_LAYER (self), 0);
  return self->n_draws;
}

/**
 * saban_sensor_layer_get_n_drawn:
 * @self: a layer
 * @n_clusters: (out) (optional): how many clusters the last frame drew
 *
 * Returns: how many sensors the last frame showed (alone or in clusters)
 */
guint
saban_sensor_layer_get_n_drawn (SabanSensorLayer *self, guint *n_clusters)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_LAYER (self), 0);
  if (n_clusters)
    *n_clusters = self->n_clusters;
  return self->n_drawn;
}

/**
 * saban_sensor_layer_set_alarms:
 * @self: a layer
 * @alarms: (nullable): alarms whose sensors pulse until acknowledged
 *
 * The alarms must be about this layer's store (sensor indices).
 */
void
saban_sensor_layer_set_alarms (SabanSensorLayer *self, SabanAlarmList *alarms)
{
  g_return_if_fail (SABAN_IS_SENSOR_LAYER (self));

  if (self->alarms != NULL)
    g_signal_handlers_disconnect_by_data (self->alarms, self);
  g_set_object (&self->alarms, alarms);
  if (alarms != NULL)
    g_signal_connect_object (alarms, "items-changed", G_CALLBACK (on_alarms_changed), self, G_CONNECT_SWAPPED);
  on_alarms_changed (self);
}

/**
 * saban_sensor_layer_get_n_pulsing:
 * @self: a layer
 *
 * Returns: how many sensors or clusters the last frame drew pulsing
 */
guint
saban_sensor_layer_get_n_pulsing (SabanSensorLayer *self)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_LAYER (self), 0);
  return self->n_pulsing;
}

/**
 * saban_sensor_layer_set_filter:
 * @self: a layer
 * @filter: (nullable): which sensors to show; %NULL for all
 */
void
saban_sensor_layer_set_filter (SabanSensorLayer *self, const SabanSensorFilter *filter)
{
  g_return_if_fail (SABAN_IS_SENSOR_LAYER (self));

  g_clear_pointer (&self->filter, saban_sensor_filter_free);
  if (filter != NULL && !saban_sensor_filter_is_empty (filter))
    self->filter = saban_sensor_filter_copy (filter);
  update_classes (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * saban_sensor_layer_pick:
 * @self: a layer
 * @x: widget x
 * @y: widget y
 * @sensor: (out): the sensor's index, or G_MAXUINT for a cluster
 * @latitude: (out): where the sensor or cluster is drawn
 * @longitude: (out): idem
 *
 * Finds what the last frame drew under (@x, @y), the topmost first.
 *
 * Returns: whether a sensor or a cluster is there
 */
gboolean
saban_sensor_layer_pick (SabanSensorLayer *self, double x, double y, guint *sensor, double *latitude,
                         double *longitude)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_LAYER (self), FALSE);

  for (guint k = self->hits->len; k > 0; k--)
    {
      const Hit *h = &g_array_index (self->hits, Hit, k - 1);

      if ((x - h->x) * (x - h->x) + (y - h->y) * (y - h->y) <= (h->r + 2) * (h->r + 2))
        {
          *sensor = h->sensor;
          *latitude = h->lat;
          *longitude = h->lon;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * saban_sensor_layer_set_pulse_seconds:
 * @seconds: how long the rings of waiting alarms move after the alarms
 *   last changed (a new alarm, an escalation); then they stand still
 */
void
saban_sensor_layer_set_pulse_seconds (SabanSensorLayer *self,
                                      double            seconds)
{
  gint64 changed = self->pulse_until - self->pulse_for;

  self->pulse_for = (gint64) (MAX (seconds, 0) * G_USEC_PER_SEC);
  self->pulse_until = changed + self->pulse_for;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
