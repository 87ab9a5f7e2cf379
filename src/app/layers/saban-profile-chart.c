/* saban-profile-chart.c: a terrain profile — elevation along a drawn line,
 * the ground under the line filled, axes in Vietnamese notation (distance
 * in km, elevation in m), drawn as the sensor chart draws its readings.
 *
 * Samples off the DEM or on nodata break the line: a planner must not read
 * a slope into ground nobody measured. The points belong to the caller.
 */
#include "saban-profile-chart.h"

#include <glib/gi18n.h>
#include <math.h>

#include "saban-format.h"
#include "saban-raster-layer.h"

#define PAD 8
#define GAP 6

struct _SabanProfileChart
{
  GtkWidget  parent_instance;
  GArray    *points;   /* SabanProfilePoint; NULL = none */
};

G_DEFINE_FINAL_TYPE (SabanProfileChart, saban_profile_chart, GTK_TYPE_WIDGET)

static const GdkRGBA ground = { 0.55, 0.45, 0.33, 0.35 };
static const GdkRGBA line = { 0.45, 0.32, 0.2, 1 };

static PangoLayout *
small_layout (SabanProfileChart *self,
              const char        *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (0.85));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

/* the axis's range, widened to whole steps */
static void
elevation_range (SabanProfileChart *self,
                 double            *lo,
                 double            *hi,
                 double            *step)
{
  double min = INFINITY, max = -INFINITY;

  for (guint i = 0; i < self->points->len; i++)
    {
      double v = g_array_index (self->points, SabanProfilePoint, i).value;

      if (isnan (v))
        continue;
      min = MIN (min, v);
      max = MAX (max, v);
    }
  if (max - min < 1)
    {
      min -= 1;
      max += 1;
    }
  *step = saban_nice_step (max - min, 4);
  *lo = floor (min / *step) * *step;
  *hi = ceil (max / *step) * *step;
}

static void
label (SabanProfileChart *self,
       cairo_t           *cr,
       const GdkRGBA     *fg,
       const char        *text,
       double             x,
       double             y,
       double             align)
{
  g_autoptr(PangoLayout) layout = small_layout (self, text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.7);
  cairo_move_to (cr, x - align * w, y - h / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static void
draw (SabanProfileChart *self,
      cairo_t           *cr,
      double             width,
      double             height,
      const GdkRGBA     *fg)
{
  double lo, hi, step, length = g_array_index (self->points, SabanProfilePoint, self->points->len - 1).distance;
  double dstep = saban_nice_step (MAX (length, 1), 6), plot_x = PAD + 56, plot_y = PAD + 6;
  double plot_w = MAX (width - plot_x - PAD, 1), plot_h = MAX (height - plot_y - PAD - 24, 1);
  gboolean pen_down = FALSE;
  guint first = 0;

  elevation_range (self, &lo, &hi, &step);
#define X(d) (plot_x + (d) / MAX (length, 1) * plot_w)
#define Y(v) (plot_y + (hi - (v)) / (hi - lo) * plot_h)
  cairo_set_line_width (cr, 1);
  for (double v = lo; v <= hi + step / 2; v += step)
    {
      g_autofree char *number = saban_format_number (v, 0);
      g_autofree char *text = g_strdup_printf (_("%s m"), number);

      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.12);
      cairo_move_to (cr, plot_x, round (Y (v)) + 0.5);
      cairo_line_to (cr, plot_x + plot_w, round (Y (v)) + 0.5);
      cairo_stroke (cr);
      label (self, cr, fg, text, plot_x - GAP, Y (v), 1);
    }
  for (double d = 0; d <= length + dstep / 2; d += dstep)
    {
      g_autofree char *number = saban_format_number (d / 1000, dstep < 1000 ? 1 : 0);
      g_autofree char *text = g_strdup_printf (_("%s km"), number);

      label (self, cr, fg, text, X (d), plot_y + plot_h + 12, 0.5);
    }
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.4);
  cairo_rectangle (cr, plot_x + 0.5, plot_y + 0.5, plot_w - 1, plot_h - 1);
  cairo_stroke (cr);

  /* each run of samples with data: the ground filled, then its line */
  cairo_save (cr);
  cairo_rectangle (cr, plot_x, plot_y, plot_w, plot_h);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i <= self->points->len; i++)
    {
      const SabanProfilePoint *p = i < self->points->len ? &g_array_index (self->points, SabanProfilePoint, i) : NULL;

      if (p != NULL && !isnan (p->value))
        {
          if (!pen_down)
            first = i;
          pen_down = TRUE;
          continue;
        }
      if (pen_down)
        {
          cairo_new_path (cr);
          for (guint k = first; k < i; k++)
            {
              const SabanProfilePoint *q = &g_array_index (self->points, SabanProfilePoint, k);

              cairo_line_to (cr, X (q->distance), Y (q->value));
            }
          cairo_line_to (cr, X (g_array_index (self->points, SabanProfilePoint, i - 1).distance), plot_y + plot_h);
          cairo_line_to (cr, X (g_array_index (self->points, SabanProfilePoint, first).distance), plot_y + plot_h);
          cairo_close_path (cr);
          gdk_cairo_set_source_rgba (cr, &ground);
          cairo_fill (cr);
          for (guint k = first; k < i; k++)
            {
              const SabanProfilePoint *q = &g_array_index (self->points, SabanProfilePoint, k);

              cairo_line_to (cr, X (q->distance), Y (q->value));
            }
          gdk_cairo_set_source_rgba (cr, &line);
          cairo_set_line_width (cr, 2);
          cairo_stroke (cr);
        }
      pen_down = FALSE;
    }
  cairo_restore (cr);
#undef X
#undef Y
}

static gboolean
has_data (SabanProfileChart *self)
{
  for (guint i = 0; self->points != NULL && i < self->points->len; i++)
    if (!isnan (g_array_index (self->points, SabanProfilePoint, i).value))
      return TRUE;
  return FALSE;
}

static void
saban_profile_chart_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  SabanProfileChart *self = SABAN_PROFILE_CHART (widget);
  double width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  GdkRGBA fg;
  cairo_t *cr;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (has_data (self))
    draw (self, cr, width, height, &fg);
  else
    label (self, cr, &fg, _("No elevation data along this line"), width / 2, height / 2, 0.5);
  cairo_destroy (cr);
}

static void
saban_profile_chart_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 320 : 160;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 720 : 280;
}

static void
saban_profile_chart_finalize (GObject *object)
{
  g_clear_pointer (&SABAN_PROFILE_CHART (object)->points, g_array_unref);
  G_OBJECT_CLASS (saban_profile_chart_parent_class)->finalize (object);
}

static void
saban_profile_chart_class_init (SabanProfileChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = saban_profile_chart_finalize;
  widget_class->snapshot = saban_profile_chart_snapshot;
  widget_class->measure = saban_profile_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "saban-profile-chart");
}

static void
saban_profile_chart_init (SabanProfileChart *self)
{
}

GtkWidget *
saban_profile_chart_new (void)
{
  return g_object_new (SABAN_TYPE_PROFILE_CHART, NULL);
}

/**
 * saban_profile_chart_set_profile:
 * @points: (element-type SabanProfilePoint): the samples along the line
 */
void
saban_profile_chart_set_profile (SabanProfileChart *self,
                                 GArray            *points)
{
  g_return_if_fail (SABAN_IS_PROFILE_CHART (self));

  g_clear_pointer (&self->points, g_array_unref);
  self->points = points != NULL ? g_array_ref (points) : NULL;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
