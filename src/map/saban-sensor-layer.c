/* saban-sensor-layer.c: live sensors, drawn in snapshot() as one layer.
 *
 * One widget per sensor (ShumateMarkerLayer) costs 5–6 KB and a layout each
 * and falls to 16 fps at 5 000 markers; here a sensor is its Mercator
 * position in an array, projected with one affine transform per frame and
 * culled to the view. Below CLUSTER_ZOOM sensors are merged in a screen-space
 * grid; a cluster shows its count in the colour of its worst member, so a
 * gauge in danger is never hidden by its quiet neighbours.
 *
 * The store emits one signal per changed sensor; a burst of them only marks
 * the layer dirty, and a frame-clock tick queues a single redraw.
 */
#include "saban-sensor-layer.h"

#include <math.h>
#include <pango/pangocairo.h>

#include "saban-format.h"
#include "saban-measure.h"

#define CLUSTER_ZOOM 11.0
#define LABEL_ZOOM 12.0
#define CELL_PX 56.0
#define RADIUS 11.0

struct _SabanSensorLayer
{
  ShumateLayer      parent_instance;
  SabanSensorStore *store;
  GArray           *xy;          /* double Mercator x, y per sensor */
  guint             tick;
  guint             n_draws;
  guint             n_drawn;
  guint             n_clusters;
  SabanAlarmList   *alarms;
  guint             pulse_tick;
  guint             n_pulsing;
  SabanSensorFilter *filter;     /* NULL: all */
  GArray           *hits;        /* Hit: what the last frame drew, in drawing order */
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

typedef struct
{
  double           x, y;        /* sum of member positions, in widget pixels */
  guint            count;
  guint            first;
  SabanSensorState worst;
  SabanSensorState alarm;       /* the highest unacknowledged alarm level, or UNKNOWN */
} Cluster;

#define PULSE_PERIOD_US 1200000

/* an expanding, fading ring around a sensor (or cluster) in alarm, until acknowledged */
static void
draw_pulse (cairo_t *cr, double x, double y, double r, SabanSensorState level, double phase)
{
  cairo_new_path (cr);
  cairo_arc (cr, x, y, r + 3 + 12 * phase, 0, 2 * G_PI);
  if (level == SABAN_SENSOR_STATE_DANGER)
    cairo_set_source_rgba (cr, 0.85, 0.11, 0.11, 0.9 * (1 - phase));
  else
    cairo_set_source_rgba (cr, 0.96, 0.62, 0.04, 0.9 * (1 - phase));
  cairo_set_line_width (cr, 3);
  cairo_stroke (cr);
}

static void
state_colour (cairo_t *cr, SabanSensorState state, SabanSensorKind kind)
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

static void
draw_disc (cairo_t *cr, double x, double y, double r, SabanSensorState state, SabanSensorKind kind)
{
  cairo_new_path (cr);
  cairo_arc (cr, x, y, r + 1.5, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.35);
  cairo_fill (cr);
  cairo_arc (cr, x, y, r, 0, 2 * G_PI);
  state_colour (cr, state, kind);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, 2);
  cairo_stroke (cr);
}

static void
draw_text (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y, gboolean centred)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  if (centred)
    x -= w / 2.0;
  y -= h / 2.0;
  /* a halo so the text reads on any land-use colour */
  cairo_move_to (cr, x, y);
  pango_cairo_layout_path (cr, layout);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
  cairo_set_line_width (cr, 3);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);
  cairo_move_to (cr, x, y);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  pango_cairo_show_layout (cr, layout);
}

/* CAP alerts' areas, under the sensors: red for danger, amber for alert,
 * fainter once acknowledged */
static void
draw_alert_areas (SabanSensorLayer *self, cairo_t *cr, double x0, double y0, double cx, double cy, double sx,
                  double sy)
{
  for (guint k = 0; self->alarms != NULL && k < g_list_model_get_n_items (G_LIST_MODEL (self->alarms)); k++)
    {
      g_autoptr(SabanAlarm) a = g_list_model_get_item (G_LIST_MODEL (self->alarms), k);
      gboolean danger = saban_alarm_get_level (a) == SABAN_SENSOR_STATE_DANGER;
      double alpha = saban_alarm_get_acknowledged (a) ? 0.5 : 1.0;
      guint n;
      const double *ring = saban_alarm_get_area (a, &n);

      if (ring == NULL)
        continue;
      cairo_new_path (cr);
      for (guint i = 0; i < n; i++)
        {
          double mx, my;

          saban_lonlat_to_mercator (ring[2 * i], ring[2 * i + 1], &mx, &my);
          cairo_line_to (cr, x0 + (mx - cx) * sx, y0 + (my - cy) * sy);
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
sync_positions (SabanSensorLayer *self)
{
  guint n = self->store ? saban_sensor_store_get_n_sensors (self->store) : 0;

  for (guint i = self->xy->len / 2; i < n; i++)
    {
      const SabanSensor *s = saban_sensor_store_get_sensor (self->store, i);
      double xy[2];

      saban_lonlat_to_mercator (s->lon, s->lat, &xy[0], &xy[1]);
      g_array_append_vals (self->xy, xy, 2);
    }
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
  double cx, cy, x0, y0, x1, y1, sx, sy, lon, lat;
  const double *xy;
  guint n;
  cairo_t *cr;
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(GHashTable) cells = NULL;
  g_autoptr(GArray) clusters = NULL;
  g_autoptr(GArray) alarm_of = NULL;
  double phase;
  gboolean cluster = zoom < CLUSTER_ZOOM, labels = zoom >= LABEL_ZOOM;

  self->n_draws++;
  self->n_drawn = self->n_clusters = self->n_pulsing = 0;
  g_array_set_size (self->hits, 0);
  if (self->store == NULL || width <= 0 || height <= 0)
    return;
  sync_positions (self);
  n = self->xy->len / 2;
  if (n == 0)
    return;
  xy = (const double *) self->xy->data;

  /* one affine transform per frame, from two projected points near the centre */
  saban_lonlat_to_mercator (clon, clat, &cx, &cy);
  shumate_viewport_location_to_widget_coords (viewport, widget, clat, clon, &x0, &y0);
  saban_mercator_to_lonlat (cx + 1000, cy + 1000, &lon, &lat);
  shumate_viewport_location_to_widget_coords (viewport, widget, lat, lon, &x1, &y1);
  sx = (x1 - x0) / 1000;
  sy = (y1 - y0) / 1000;
  if (!isfinite (sx) || !isfinite (sy) || sx == 0 || sy == 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  layout = pango_cairo_create_layout (cr);
  {
    PangoFontDescription *font = pango_font_description_from_string ("Sans Bold 9");
    pango_layout_set_font_description (layout, font);
    pango_font_description_free (font);
  }

  draw_alert_areas (self, cr, x0, y0, cx, cy, sx, sy);

  /* unacknowledged alarms by sensor, once per frame */
  alarm_of = g_array_new (FALSE, TRUE, sizeof (guint8));
  g_array_set_size (alarm_of, n);
  for (guint k = 0; self->alarms != NULL && k < g_list_model_get_n_items (G_LIST_MODEL (self->alarms)); k++)
    {
      g_autoptr(SabanAlarm) a = g_list_model_get_item (G_LIST_MODEL (self->alarms), k);
      guint si = saban_alarm_get_sensor (a);

      if (!saban_alarm_get_acknowledged (a) && si < n)
        g_array_index (alarm_of, guint8, si) = MAX (g_array_index (alarm_of, guint8, si), saban_alarm_get_level (a));
    }
  phase = (g_get_monotonic_time () % PULSE_PERIOD_US) / (double) PULSE_PERIOD_US;

  clusters = g_array_new (FALSE, FALSE, sizeof (Cluster));
  cells = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < n; i++)
    {
      double x = x0 + (xy[2 * i] - cx) * sx, y = y0 + (xy[2 * i + 1] - cy) * sy;
      const SabanSensor *s;
      Cluster *c = NULL;

      if (x < -CELL_PX || y < -CELL_PX || x > width + CELL_PX || y > height + CELL_PX)
        continue;
      s = saban_sensor_store_get_sensor (self->store, i);
      if (self->filter != NULL &&
          !saban_sensor_filter_matches (self->filter, s, g_array_index (alarm_of, guint8, i) != 0))
        continue;
      if (cluster)
        {
          gint64 key = ((gint64) floor (x / CELL_PX) << 32) ^ (gint64) (guint32) floor (y / CELL_PX);
          gpointer v;

          if (g_hash_table_lookup_extended (cells, &key, NULL, &v))
            c = &g_array_index (clusters, Cluster, GPOINTER_TO_UINT (v));
          else
            {
              Cluster nc = { 0, 0, 0, i, SABAN_SENSOR_STATE_UNKNOWN, SABAN_SENSOR_STATE_UNKNOWN };
              gint64 *k = g_new (gint64, 1);
              *k = key;
              g_array_append_val (clusters, nc);
              c = &g_array_index (clusters, Cluster, clusters->len - 1);
              g_hash_table_insert (cells, k, GUINT_TO_POINTER (clusters->len - 1));
            }
        }
      else
        {
          Cluster nc = { 0, 0, 0, i, SABAN_SENSOR_STATE_UNKNOWN, SABAN_SENSOR_STATE_UNKNOWN };
          g_array_append_val (clusters, nc);
          c = &g_array_index (clusters, Cluster, clusters->len - 1);
        }
      c->x += x;
      c->y += y;
      c->count++;
      c->worst = MAX (c->worst, s->state);
      c->alarm = MAX (c->alarm, (SabanSensorState) g_array_index (alarm_of, guint8, i));
    }

  /* worst on top */
  for (int pass = 0; pass < SABAN_SENSOR_N_STATES; pass++)
    for (guint k = 0; k < clusters->len; k++)
      {
        Cluster *c = &g_array_index (clusters, Cluster, k);
        double x = c->x / c->count, y = c->y / c->count;

        if ((int) c->worst != pass)
          continue;
        if (c->count == 1)
          {
            const SabanSensor *s = saban_sensor_store_get_sensor (self->store, c->first);
            g_autofree char *label = labels ? sensor_label (s) : NULL;

            x = c->x;
            y = c->y;
            if (c->alarm != SABAN_SENSOR_STATE_UNKNOWN)
              {
                draw_pulse (cr, x, y, RADIUS, c->alarm, phase);
                self->n_pulsing++;
              }
            draw_disc (cr, x, y, RADIUS, s->state, s->kind);
            cairo_save (cr);
            cairo_translate (cr, x, y);
            draw_glyph (cr, s->kind);
            cairo_restore (cr);
            if (label != NULL)
              draw_text (cr, layout, label, x + RADIUS + 4, y, FALSE);
            g_array_append_val (self->hits, ((Hit) { x, y, RADIUS, c->first, s->lat, s->lon }));
            self->n_drawn++;
          }
        else
          {
            g_autofree char *count = g_strdup_printf ("%u", c->count);
            double r = RADIUS + 2 + MIN (8.0, 2.0 * log2 (c->count));

            if (c->alarm != SABAN_SENSOR_STATE_UNKNOWN)
              {
                draw_pulse (cr, x, y, r, c->alarm, phase);
                self->n_pulsing++;
              }
            draw_disc (cr, x, y, r, c->worst, SABAN_SENSOR_KIND_OTHER);
            pango_layout_set_text (layout, count, -1);
            {
              int w, h;
              pango_layout_get_pixel_size (layout, &w, &h);
              cairo_move_to (cr, x - w / 2.0, y - h / 2.0);
              cairo_set_source_rgb (cr, 1, 1, 1);
              pango_cairo_show_layout (cr, layout);
            }
            shumate_viewport_widget_coords_to_location (viewport, widget, x, y, &lat, &lon);
            g_array_append_val (self->hits, ((Hit) { x, y, r, G_MAXUINT, lat, lon }));
            self->n_drawn += c->count;
            self->n_clusters++;
          }
      }
  cairo_destroy (cr);
}

static gboolean
tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  SabanSensorLayer *self = SABAN_SENSOR_LAYER (widget);

  self->tick = 0;
  gtk_widget_queue_draw (widget);
  return G_SOURCE_REMOVE;
}

/* While an alarm waits the layer animates, but at ~12 fps from a timer at
 * idle priority, not every frame: a redraw per frame of the whole window
 * under a software renderer starves the idle callbacks that deliver tiles
 * (the map never stopped being "busy" in the app test). */
#define PULSE_INTERVAL_MS 80

static gboolean
pulse_cb (gpointer data)
{
  SabanSensorLayer *self = SABAN_SENSOR_LAYER (data);

  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (self->alarms == NULL || saban_alarm_list_get_n_active (self->alarms) == 0)
    {
      self->pulse_tick = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
on_alarms_changed (SabanSensorLayer *self)
{
  if (self->pulse_tick == 0 && self->alarms != NULL && saban_alarm_list_get_n_active (self->alarms) > 0)
    self->pulse_tick = g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE, PULSE_INTERVAL_MS, pulse_cb, self, NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_sensor_changed (SabanSensorLayer *self, guint index)
{
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
  G_OBJECT_CLASS (saban_sensor_layer_parent_class)->dispose (object);
}

static void
saban_sensor_layer_finalize (GObject *object)
{
  SabanSensorLayer *self = SABAN_SENSOR_LAYER (object);

  g_clear_pointer (&self->xy, g_array_unref);
  g_clear_pointer (&self->hits, g_array_unref);
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
  self->xy = g_array_new (FALSE, FALSE, sizeof (double));
  self->hits = g_array_new (FALSE, FALSE, sizeof (Hit));
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
  g_array_set_size (self->xy, 0);
  if (store != NULL)
    g_signal_connect_object (store, "sensor-changed", G_CALLBACK (on_sensor_changed), self, G_CONNECT_SWAPPED);
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
