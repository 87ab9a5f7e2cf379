/* saban-sensor-chart.c: one sensor's readings over a time range: the line
 * of values, the alert and danger levels as labelled amber and red lines,
 * axes in Vietnamese notation (1.234,5; HH:MM; dd/MM) and, under the
 * pointer, the reading nearest in time.
 *
 * A gap longer than three intervals (a gauge that fell silent) breaks the
 * line instead of bridging it: an operator must not read a straight line
 * into hours nobody measured. The series belongs to the caller (the panel);
 * the chart only draws it.
 */
#include "saban-sensor-chart.h"

#include <glib/gi18n.h>
#include <math.h>

#include "saban-format.h"
#include "saban-sensor-store.h"

#define PAD 8
#define TICK_LABEL_GAP 6
#define MIN_TICK_SPACING 64
#define DAY_US ((gint64) 24 * 3600 * G_USEC_PER_SEC)

struct _SabanSensorChart
{
  GtkWidget  parent_instance;
  GArray    *series;         /* of SabanObservation, by time; NULL = none */
  gint64     from_us, to_us;
  char      *unit;
  double     levels[3];      /* alarm levels I, II, III; NAN for none */
  gint64     interval_s;
  char      *empty_text;
  /* the plot area of the last frame, for the pointer */
  double     plot_x, plot_w;
  double     pointer_x, pointer_y;
  int        hover;          /* index in series, -1 = none */
  char      *readout;
};

G_DEFINE_FINAL_TYPE (SabanSensorChart, saban_sensor_chart, GTK_TYPE_WIDGET)

static const GdkRGBA line_colour = { 0.21, 0.52, 0.89, 1 };
static const GdkRGBA alert_colour = { 0.96, 0.62, 0.04, 1 };
static const GdkRGBA level_2_colour = { 1.0, 0.47, 0.0, 1 };
static const GdkRGBA danger_colour = { 0.85, 0.11, 0.11, 1 };

static void
value_range (SabanSensorChart *self, double *lo, double *hi, double *step)
{
  double min = INFINITY, max = -INFINITY;

  for (guint i = 0; i < self->series->len; i++)
    {
      double v = g_array_index (self->series, SabanObservation, i).value;
      min = MIN (min, v);
      max = MAX (max, v);
    }
  /* the levels stay in view: how far the river is from them is the point */
  for (guint k = 0; k < G_N_ELEMENTS (self->levels); k++)
    if (!isnan (self->levels[k]))
      {
        min = MIN (min, self->levels[k]);
        max = MAX (max, self->levels[k]);
      }
  if (max - min < 1e-9)
    {
      min -= 1;
      max += 1;
    }
  *step = saban_nice_step (max - min, 5);
  *lo = floor (min / *step) * *step;
  *hi = ceil (max / *step) * *step;
}

static PangoLayout *
small_layout (SabanSensorChart *self, const char *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (0.85));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

static void
show_text (cairo_t *cr, PangoLayout *layout, double x, double y)
{
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static gint64
time_step_us (gint64 span_us, double width)
{
  static const gint64 steps_min[] = { 15, 30, 60, 120, 180, 360, 720, 1440, 2880 };
  int max_ticks = MAX (1, (int) (width / MIN_TICK_SPACING));

  for (gsize i = 0; i < G_N_ELEMENTS (steps_min); i++)
    if (span_us / (steps_min[i] * 60 * G_USEC_PER_SEC) <= max_ticks)
      return steps_min[i] * 60 * G_USEC_PER_SEC;
  return steps_min[G_N_ELEMENTS (steps_min) - 1] * 60 * G_USEC_PER_SEC;
}

static void
draw_level (SabanSensorChart *self, cairo_t *cr, double level, const GdkRGBA *colour, const char *name,
            double x, double w, double y)
{
  g_autofree char *value = saban_format_reading (level, self->unit);
  g_autofree char *text = g_strdup_printf ("%s %s", name, value);
  g_autoptr(PangoLayout) layout = small_layout (self, text);
  int tw, th;

  gdk_cairo_set_source_rgba (cr, colour);
  cairo_set_line_width (cr, 2);
  cairo_move_to (cr, x, round (y) + 0.5);
  cairo_line_to (cr, x + w, round (y) + 0.5);
  cairo_stroke (cr);
  pango_layout_get_pixel_size (layout, &tw, &th);
  show_text (cr, layout, x + w - tw - 4, y - th - 1);
}

static void
draw_readout (SabanSensorChart *self, cairo_t *cr, double px, double py, double top, double width)
{
  g_autoptr(PangoLayout) layout = small_layout (self, self->readout);
  int tw, th;
  double bx, by;

  pango_layout_get_pixel_size (layout, &tw, &th);
  cairo_set_source_rgba (cr, 0.5, 0.5, 0.5, 0.6);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, round (px) + 0.5, top);
  cairo_line_to (cr, round (px) + 0.5, top + 10000);
  cairo_stroke (cr);
  gdk_cairo_set_source_rgba (cr, &line_colour);
  cairo_arc (cr, px, py, 4, 0, 2 * G_PI);
  cairo_fill (cr);

  /* beside the pointer, flipped to stay inside the chart */
  bx = self->pointer_x + 12;
  if (bx + tw + 12 > width)
    bx = self->pointer_x - tw - 24;
  by = MAX (top, self->pointer_y - th - 16);
  cairo_set_source_rgba (cr, 0.1, 0.1, 0.1, 0.85);
  cairo_rectangle (cr, bx, by, tw + 12, th + 8);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  show_text (cr, layout, bx + 6, by + 4);
}

static void
draw (SabanSensorChart *self, cairo_t *cr, double width, double height, const GdkRGBA *fg)
{
  double lo, hi, step, plot_y, plot_h, plot_x, plot_w, label_w = 0;
  gint64 span = MAX (self->to_us - self->from_us, 1), tstep, offset, gap;
  int decimals, th = 0;
  g_autoptr(GDateTime) local = NULL;
  gboolean pen_down = FALSE;

  value_range (self, &lo, &hi, &step);
  decimals = MAX (0, (int) -floor (log10 (step) + 1e-9));

  /* the widest value label sets the left margin */
  for (double v = lo; v <= hi + step / 2; v += step)
    {
      g_autofree char *text = saban_format_number (v, decimals);
      g_autoptr(PangoLayout) layout = small_layout (self, text);
      int w;

      pango_layout_get_pixel_size (layout, &w, &th);
      label_w = MAX (label_w, w);
    }
  plot_x = PAD + label_w + TICK_LABEL_GAP;
  plot_w = MAX (width - plot_x - PAD, 1);
  plot_y = PAD + th / 2.0;
  plot_h = MAX (height - plot_y - PAD - th - TICK_LABEL_GAP, 1);
  self->plot_x = plot_x;
  self->plot_w = plot_w;

#define X(t) (plot_x + (double) ((t) - self->from_us) / span * plot_w)
#define Y(v) (plot_y + (hi - (v)) / (hi - lo) * plot_h)

  /* value grid and labels */
  cairo_set_line_width (cr, 1);
  for (double v = lo; v <= hi + step / 2; v += step)
    {
      g_autofree char *text = saban_format_number (v, decimals);
      g_autoptr(PangoLayout) layout = small_layout (self, text);
      int w, h;

      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.12);
      cairo_move_to (cr, plot_x, round (Y (v)) + 0.5);
      cairo_line_to (cr, plot_x + plot_w, round (Y (v)) + 0.5);
      cairo_stroke (cr);
      pango_layout_get_pixel_size (layout, &w, &h);
      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.7);
      show_text (cr, layout, plot_x - TICK_LABEL_GAP - w, Y (v) - h / 2.0);
    }

  /* time ticks on whole local hours or days: HH:MM, a new day as dd/MM */
  tstep = time_step_us (span, plot_w);
  local = g_date_time_new_from_unix_local (self->from_us / G_USEC_PER_SEC);
  offset = g_date_time_get_utc_offset (local);
  for (gint64 t = ((self->from_us + offset) / tstep + 1) * tstep - offset; t <= self->to_us; t += tstep)
    {
      gboolean midnight = (t + offset) % DAY_US == 0;
      g_autofree char *text = saban_format_local_time (t, midnight || tstep >= DAY_US ? "%d/%m" : "%H:%M");
      g_autoptr(PangoLayout) layout = small_layout (self, text);
      int w, h;

      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, midnight ? 0.3 : 0.12);
      cairo_move_to (cr, round (X (t)) + 0.5, plot_y);
      cairo_line_to (cr, round (X (t)) + 0.5, plot_y + plot_h);
      cairo_stroke (cr);
      pango_layout_get_pixel_size (layout, &w, &h);
      if (X (t) - w / 2.0 < plot_x - label_w || X (t) + w / 2.0 > width)
        continue;
      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.7);
      show_text (cr, layout, X (t) - w / 2.0, plot_y + plot_h + TICK_LABEL_GAP / 2.0);
    }
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.4);
  cairo_rectangle (cr, plot_x + 0.5, plot_y + 0.5, plot_w - 1, plot_h - 1);
  cairo_stroke (cr);

  /* level I amber, II orange, the top one (III, or II of two) red */
  for (guint k = 0; k < G_N_ELEMENTS (self->levels); k++)
    if (!isnan (self->levels[k]))
      draw_level (self, cr, self->levels[k],
                  k == 0 ? &alert_colour : k == 2 || isnan (self->levels[2]) ? &danger_colour : &level_2_colour,
                  saban_alarm_grade_label (k + 1), plot_x, plot_w, Y (self->levels[k]));

  /* the readings, clipped to the plot */
  cairo_save (cr);
  cairo_rectangle (cr, plot_x, plot_y, plot_w, plot_h);
  cairo_clip (cr);
  gdk_cairo_set_source_rgba (cr, &line_colour);
  cairo_set_line_width (cr, 2);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  gap = self->interval_s > 0 ? 3 * self->interval_s * G_USEC_PER_SEC : G_MAXINT64;
  for (guint i = 0; i < self->series->len; i++)
    {
      const SabanObservation *o = &g_array_index (self->series, SabanObservation, i);

      if (pen_down && o->time_us - g_array_index (self->series, SabanObservation, i - 1).time_us > gap)
        pen_down = FALSE;
      if (pen_down)
        cairo_line_to (cr, X (o->time_us), Y (o->value));
      else
        {
          /* a lone reading between gaps still shows, as a dot */
          cairo_move_to (cr, X (o->time_us), Y (o->value));
          cairo_rel_line_to (cr, 0, 0);
        }
      pen_down = TRUE;
    }
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_stroke (cr);
  cairo_restore (cr);

  if (self->hover >= 0 && self->readout != NULL)
    {
      const SabanObservation *o = &g_array_index (self->series, SabanObservation, self->hover);
      draw_readout (self, cr, X (o->time_us), Y (o->value), plot_y, width);
    }
#undef X
#undef Y
}

static void
saban_sensor_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  SabanSensorChart *self = SABAN_SENSOR_CHART (widget);
  double width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  GdkRGBA fg;
  cairo_t *cr;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->series == NULL || self->series->len == 0)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, self->empty_text);
      int w, h;

      pango_layout_set_width (layout, (int) (width - 2 * PAD) * PANGO_SCALE);
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
      pango_layout_get_pixel_size (layout, &w, &h);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.55);
      show_text (cr, layout, PAD, (height - h) / 2);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.2);
      cairo_set_line_width (cr, 1);
      cairo_rectangle (cr, 0.5, 0.5, width - 1, height - 1);
      cairo_stroke (cr);
    }
  else
    draw (self, cr, width, height, &fg);
  cairo_destroy (cr);
}

static void
update_hover (SabanSensorChart *self)
{
  int hover = -1;

  if (self->series != NULL && self->series->len > 0 && self->plot_w > 0 && self->pointer_x >= self->plot_x &&
      self->pointer_x <= self->plot_x + self->plot_w)
    {
      gint64 t = self->from_us + (gint64) ((self->pointer_x - self->plot_x) / self->plot_w * (self->to_us - self->from_us));
      guint lo = 0, hi = self->series->len;

      /* the first reading at or after t, then whichever neighbour is nearer */
      while (lo < hi)
        {
          guint mid = (lo + hi) / 2;
          if (g_array_index (self->series, SabanObservation, mid).time_us < t)
            lo = mid + 1;
          else
            hi = mid;
        }
      if (lo == self->series->len ||
          (lo > 0 && t - g_array_index (self->series, SabanObservation, lo - 1).time_us <
                     g_array_index (self->series, SabanObservation, lo).time_us - t))
        lo--;
      hover = (int) lo;
    }
  if (hover == self->hover)
    return;
  self->hover = hover;
  g_clear_pointer (&self->readout, g_free);
  if (hover >= 0)
    {
      const SabanObservation *o = &g_array_index (self->series, SabanObservation, hover);
      g_autofree char *when = saban_format_local_time (o->time_us, "%H:%M %d/%m");
      g_autofree char *value = saban_format_reading (o->value, self->unit);

      self->readout = g_strdup_printf ("%s · %s", when, value);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_motion (GtkEventControllerMotion *controller, double x, double y, SabanSensorChart *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
  update_hover (self);
  /* the box follows the pointer even over the same reading */
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_leave (GtkEventControllerMotion *controller, SabanSensorChart *self)
{
  self->pointer_x = -1;
  update_hover (self);
}

static void
saban_sensor_chart_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                            int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 280 : 180;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 380 : 260;
}

static void
saban_sensor_chart_finalize (GObject *object)
{
  SabanSensorChart *self = SABAN_SENSOR_CHART (object);

  g_clear_pointer (&self->series, g_array_unref);
  g_free (self->unit);
  g_free (self->empty_text);
  g_free (self->readout);
  G_OBJECT_CLASS (saban_sensor_chart_parent_class)->finalize (object);
}

static void
saban_sensor_chart_class_init (SabanSensorChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = saban_sensor_chart_finalize;
  widget_class->snapshot = saban_sensor_chart_snapshot;
  widget_class->measure = saban_sensor_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "saban-sensor-chart");
}

static void
saban_sensor_chart_init (SabanSensorChart *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  for (guint k = 0; k < G_N_ELEMENTS (self->levels); k++)
    self->levels[k] = NAN;
  self->hover = -1;
  self->pointer_x = -1;
  self->empty_text = g_strdup (_("No readings in this period"));
  g_signal_connect_object (motion, "motion", G_CALLBACK (on_motion), self, 0);
  g_signal_connect_object (motion, "leave", G_CALLBACK (on_leave), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}

/**
 * saban_sensor_chart_new:
 *
 * Returns: (transfer floating): an empty chart
 */
GtkWidget *
saban_sensor_chart_new (void)
{
  return g_object_new (SABAN_TYPE_SENSOR_CHART, NULL);
}

/**
 * saban_sensor_chart_set_series:
 * @self: a chart
 * @series: (nullable) (element-type SabanObservation): readings by time; the
 *   chart keeps a reference and redraws when set again after a change
 * @from_us: the start of the time axis
 * @to_us: its end
 */
void
saban_sensor_chart_set_series (SabanSensorChart *self, GArray *series, gint64 from_us, gint64 to_us)
{
  g_return_if_fail (SABAN_IS_SENSOR_CHART (self));

  if (series != self->series)
    {
      g_clear_pointer (&self->series, g_array_unref);
      self->series = series != NULL ? g_array_ref (series) : NULL;
    }
  self->from_us = from_us;
  self->to_us = MAX (to_us, from_us + 1);
  /* the reading under the pointer may have moved or gone */
  self->hover = -1;
  g_clear_pointer (&self->readout, g_free);
  update_hover (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
saban_sensor_chart_get_n_points (SabanSensorChart *self)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_CHART (self), 0);
  return self->series != NULL ? self->series->len : 0;
}

/**
 * saban_sensor_chart_set_levels:
 * @self: a chart
 * @sensor: the sensor charted: its unit, its alarm levels (I, II, III —
 *   or two), its expected interval between readings
 */
void
saban_sensor_chart_set_levels (SabanSensorChart *self, const SabanSensor *sensor)
{
  g_return_if_fail (SABAN_IS_SENSOR_CHART (self));

  g_free (self->unit);
  self->unit = g_strdup (sensor->unit);
  self->levels[0] = sensor->alert_level;
  self->levels[1] = isnan (sensor->level_2) ? sensor->danger_level : sensor->level_2;
  self->levels[2] = isnan (sensor->level_2) ? NAN : sensor->danger_level;
  self->interval_s = sensor->interval_s;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * saban_sensor_chart_set_empty_text:
 * @self: a chart
 * @text: what the chart says when it has no readings (loading, an error…)
 */
void
saban_sensor_chart_set_empty_text (SabanSensorChart *self, const char *text)
{
  g_return_if_fail (SABAN_IS_SENSOR_CHART (self));

  g_free (self->empty_text);
  self->empty_text = g_strdup (text);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * saban_sensor_chart_get_readout:
 * @self: a chart
 *
 * Returns: (nullable): the time, value and unit of the reading under the
 *   pointer, as shown; %NULL when the pointer is not over the plot
 */
const char *
saban_sensor_chart_get_readout (SabanSensorChart *self)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_CHART (self), NULL);
  return self->readout;
}
