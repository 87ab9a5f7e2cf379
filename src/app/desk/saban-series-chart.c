/* saban-series-chart.c: an indicator over its periods — a sparkline on a
 * desk tile (compact: the line and its last point), or the desk's chart of
 * the province and a chosen commune (two lines, a legend, the first and
 * last periods, the range of values in Vietnamese notation).
 *
 * A period without a value breaks the line: a leader must not read a trend
 * into months nobody reported. The values are copied in; the chart only
 * draws them.
 */
#include "saban-series-chart.h"

#include <math.h>

#include "saban-format.h"

#define PAD 8

struct _SabanSeriesChart
{
  GtkWidget  parent_instance;
  gboolean   compact;
  GArray    *values[SABAN_SERIES_CHART_MAX];   /* double, oldest first; NULL: none */
  char      *names[SABAN_SERIES_CHART_MAX];
  char      *first, *last, *unit;
};

G_DEFINE_FINAL_TYPE (SabanSeriesChart, saban_series_chart, GTK_TYPE_WIDGET)

static const GdkRGBA colours[SABAN_SERIES_CHART_MAX] = {
  { 0.11, 0.44, 0.85, 1 },   /* the province */
  { 0.90, 0.38, 0.00, 1 },   /* a commune */
};

static gboolean
range_of (SabanSeriesChart *self, double *lo, double *hi, guint *n)
{
  *lo = INFINITY;
  *hi = -INFINITY;
  *n = 0;
  for (guint s = 0; s < SABAN_SERIES_CHART_MAX; s++)
    for (guint i = 0; self->values[s] != NULL && i < self->values[s]->len; i++)
      {
        double v = g_array_index (self->values[s], double, i);

        *n = MAX (*n, self->values[s]->len);
        if (isnan (v))
          continue;
        *lo = MIN (*lo, v);
        *hi = MAX (*hi, v);
      }
  if (!isfinite (*lo))
    return FALSE;
  if (*hi - *lo < 1e-9)
    {
      *lo -= fabs (*lo) * 0.1 + 1;
      *hi += fabs (*hi) * 0.1 + 1;
    }
  return TRUE;
}

static void
draw_line (cairo_t *cr, GArray *values, guint n, double x0, double w, double y0, double h, double lo, double hi,
           const GdkRGBA *c, double width)
{
  gboolean pen = FALSE;
  double last_x = NAN, last_y = NAN;

  gdk_cairo_set_source_rgba (cr, c);
  cairo_set_line_width (cr, width);
  for (guint i = 0; i < values->len; i++)
    {
      double v = g_array_index (values, double, i);
      double x = x0 + (n > 1 ? w * i / (n - 1) : w / 2), y = y0 + h - h * (v - lo) / (hi - lo);

      if (isnan (v))
        {
          pen = FALSE;
          continue;
        }
      if (pen)
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y);
      pen = TRUE;
      last_x = x;
      last_y = y;
    }
  cairo_stroke (cr);
  if (!isnan (last_x))
    {
      cairo_arc (cr, last_x, last_y, width + 1.5, 0, 2 * G_PI);
      cairo_fill (cr);
    }
}

static void
draw_text (GtkWidget *widget, cairo_t *cr, const char *text, double x, double y, double align, gboolean small)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  GdkRGBA fg;
  int w, h;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  if (small)
    {
      PangoFontDescription *font = pango_font_description_copy (pango_context_get_font_description (
        pango_layout_get_context (layout)));

      pango_font_description_set_size (font, pango_font_description_get_size (font) * 8 / 10);
      pango_layout_set_font_description (layout, font);
      pango_font_description_free (font);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  fg.alpha *= 0.75;
  gdk_cairo_set_source_rgba (cr, &fg);
  cairo_move_to (cr, x - align * w, y);
  pango_cairo_show_layout (cr, layout);
}

static double
text_height (GtkWidget *widget)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, "0");
  int h;

  pango_layout_get_pixel_size (layout, NULL, &h);
  return h;
}

static void
draw_full (SabanSeriesChart *self, cairo_t *cr, double width, double height, double lo, double hi, guint n)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double th = text_height (widget);
  g_autofree char *lo_text = saban_format_number (lo, fabs (hi - lo) < 10 ? 1 : 0);
  g_autofree char *hi_text = saban_format_number (hi, fabs (hi - lo) < 10 ? 1 : 0);
  double plot_x = PAD + 8 * th / 2 + 24, plot_y = PAD + th + 4, plot_w = width - plot_x - PAD;
  double plot_h = height - plot_y - th - 2 * PAD;
  double legend_x = plot_x;

  if (plot_w < 20 || plot_h < 20)
    return;
  cairo_set_source_rgba (cr, 0.5, 0.5, 0.5, 0.35);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, plot_x + 0.5, plot_y + 0.5, plot_w, plot_h);
  cairo_stroke (cr);
  draw_text (widget, cr, hi_text, plot_x - 4, plot_y - th / 2, 1, TRUE);
  draw_text (widget, cr, lo_text, plot_x - 4, plot_y + plot_h - th / 2, 1, TRUE);
  if (self->first != NULL)
    draw_text (widget, cr, self->first, plot_x, plot_y + plot_h + 2, 0, TRUE);
  if (self->last != NULL)
    draw_text (widget, cr, self->last, plot_x + plot_w, plot_y + plot_h + 2, 1, TRUE);
  for (guint s = 0; s < SABAN_SERIES_CHART_MAX; s++)
    {
      g_autoptr(PangoLayout) layout = NULL;
      int w;

      if (self->values[s] == NULL)
        continue;
      draw_line (cr, self->values[s], n, plot_x, plot_w, plot_y, plot_h, lo, hi, &colours[s], 2);
      gdk_cairo_set_source_rgba (cr, &colours[s]);
      cairo_rectangle (cr, legend_x, PAD + th / 2 - 2, 12, 4);
      cairo_fill (cr);
      draw_text (widget, cr, self->names[s], legend_x + 16, PAD, 0, FALSE);
      layout = gtk_widget_create_pango_layout (widget, self->names[s]);
      pango_layout_get_pixel_size (layout, &w, NULL);
      legend_x += 16 + w + 16;
    }
  if (self->unit != NULL)
    draw_text (widget, cr, self->unit, width - PAD, PAD, 1, TRUE);
}

static void
saban_series_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  SabanSeriesChart *self = SABAN_SERIES_CHART (widget);
  double width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  double lo, hi;
  guint n;
  cairo_t *cr;

  if (!range_of (self, &lo, &hi, &n))
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->compact)
    draw_line (cr, self->values[0], n, 3, width - 6, 3, height - 6, lo, hi, &colours[0], 1.5);
  else
    draw_full (self, cr, width, height, lo, hi, n);
  cairo_destroy (cr);
}

static void
saban_series_chart_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
                            int *minimum_baseline, int *natural_baseline)
{
  gboolean compact = SABAN_SERIES_CHART (widget)->compact;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = compact ? 80 : 240;
  else
    *minimum = *natural = compact ? 28 : 160;
}

static void
saban_series_chart_finalize (GObject *object)
{
  SabanSeriesChart *self = SABAN_SERIES_CHART (object);

  for (guint s = 0; s < SABAN_SERIES_CHART_MAX; s++)
    {
      g_clear_pointer (&self->values[s], g_array_unref);
      g_free (self->names[s]);
    }
  g_free (self->first);
  g_free (self->last);
  g_free (self->unit);
  G_OBJECT_CLASS (saban_series_chart_parent_class)->finalize (object);
}

static void
saban_series_chart_class_init (SabanSeriesChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = saban_series_chart_finalize;
  widget_class->snapshot = saban_series_chart_snapshot;
  widget_class->measure = saban_series_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "saban-series-chart");
}

static void
saban_series_chart_init (SabanSeriesChart *self)
{
}

/**
 * saban_series_chart_new:
 * @compact: a sparkline (one line, nothing else) rather than a chart
 */
GtkWidget *
saban_series_chart_new (gboolean compact)
{
  SabanSeriesChart *self = g_object_new (SABAN_TYPE_SERIES_CHART, NULL);

  self->compact = compact;
  return GTK_WIDGET (self);
}

/**
 * saban_series_chart_set_series:
 * @slot: 0 (the province's line) or 1 (a commune's)
 * @name: (nullable): what the legend calls it
 * @values: (nullable) (element-type double): oldest first, NAN for a period
 *   without a value; %NULL takes the line away
 */
void
saban_series_chart_set_series (SabanSeriesChart *self, guint slot, const char *name, GArray *values)
{
  g_return_if_fail (slot < SABAN_SERIES_CHART_MAX);

  g_clear_pointer (&self->values[slot], g_array_unref);
  if (values != NULL)
    {
      self->values[slot] = g_array_sized_new (FALSE, FALSE, sizeof (double), values->len);
      g_array_append_vals (self->values[slot], values->data, values->len);
    }
  g_free (self->names[slot]);
  self->names[slot] = g_strdup (name);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * saban_series_chart_set_axis:
 * @first: (nullable): the first period's name
 * @last: (nullable): the last period's
 * @unit: (nullable): the values' unit
 */
void
saban_series_chart_set_axis (SabanSeriesChart *self, const char *first, const char *last, const char *unit)
{
  g_free (self->first);
  g_free (self->last);
  g_free (self->unit);
  self->first = g_strdup (first);
  self->last = g_strdup (last);
  self->unit = g_strdup (unit);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * saban_series_chart_get_n_points:
 *
 * Returns: how many periods of line @slot hold a value (0 without a line)
 */
guint
saban_series_chart_get_n_points (SabanSeriesChart *self, guint slot)
{
  guint n = 0;

  g_return_val_if_fail (slot < SABAN_SERIES_CHART_MAX, 0);
  for (guint i = 0; self->values[slot] != NULL && i < self->values[slot]->len; i++)
    n += !isnan (g_array_index (self->values[slot], double, i));
  return n;
}
