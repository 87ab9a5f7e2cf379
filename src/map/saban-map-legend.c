/* saban-map-legend.c: the legend of a choropleth over a map — a title (the
 * unit), a swatch and the range of each class ("≤ 52,9", "52,9 – 59,9") in
 * the caller's number format, and "no data" for what no class holds; and
 * the sequential ramp the choropleths share (light to dark: more is darker).
 */
#include "saban-map-legend.h"

#include <glib/gi18n.h>
#include <math.h>

#define RAMP_SIZE 5

struct _SabanMapLegend
{
  GtkBox parent_instance;
};

G_DEFINE_FINAL_TYPE (SabanMapLegend, saban_map_legend, GTK_TYPE_BOX)

static void
saban_map_legend_class_init (SabanMapLegendClass *klass)
{
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "saban-map-legend");
}

static void
saban_map_legend_init (SabanMapLegend *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 2);
  gtk_widget_add_css_class (GTK_WIDGET (self), "osd");
  gtk_widget_add_css_class (GTK_WIDGET (self), "map-legend");
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
saban_map_legend_new (void)
{
  return g_object_new (SABAN_TYPE_MAP_LEGEND, NULL);
}

/**
 * saban_map_legend_get_ramp:
 * @n_colors: (out): how many
 *
 * Returns: (array length=n_colors): the choropleths' colours, lightest first
 */
const GdkRGBA *
saban_map_legend_get_ramp (guint *n_colors)
{
  static const char *const specs[RAMP_SIZE] = { "#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000" };
  static GdkRGBA ramp[RAMP_SIZE];
  static gsize done;

  if (g_once_init_enter (&done))
    {
      for (guint c = 0; c < RAMP_SIZE; c++)
        gdk_rgba_parse (&ramp[c], specs[c]);
      g_once_init_leave (&done, 1);
    }
  *n_colors = RAMP_SIZE;
  return ramp;
}

static void
append_label (SabanMapLegend *self, const char *markup, const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, css_class);
  gtk_box_append (GTK_BOX (self), label);
}

/**
 * saban_map_legend_set_classes:
 * @title: (nullable): what the values are ("Đơn vị: %")
 * @breaks: (element-type double): the classes' upper bounds
 * @colors: (array): one per class
 * @format: how a bound is written
 *
 * Shows the classes (the legend hides itself for none).
 */
void
saban_map_legend_set_classes (SabanMapLegend *self, const char *title, GArray *breaks, const GdkRGBA *colors,
                              SabanLegendFormat format, gpointer user_data)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_box_remove (GTK_BOX (self), child);
  if (title != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (title, -1);

      append_label (self, escaped, "heading");
    }
  for (guint c = 0; c < breaks->len; c++)
    {
      g_autofree char *to = format (g_array_index (breaks, double, c), user_data);
      g_autofree char *from = c > 0 ? format (g_array_index (breaks, double, c - 1), user_data) : NULL;
      g_autofree char *range = from == NULL ? g_strdup_printf ("≤ %s", to) : g_strdup_printf ("%s – %s", from, to);
      g_autofree char *hex = g_strdup_printf ("#%02x%02x%02x", (int) lround (colors[c].red * 255),
                                              (int) lround (colors[c].green * 255), (int) lround (colors[c].blue * 255));
      g_autofree char *markup = g_markup_printf_escaped ("<span foreground=\"%s\">■</span>  %s", hex, range);

      append_label (self, markup, "numeric");
    }
  append_label (self, _("□  no data"), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self), breaks->len > 0);
}
