#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* how a legend writes a class's bound */
typedef char *(*SabanLegendFormat) (double   value,
                                    gpointer user_data);

#define SABAN_TYPE_MAP_LEGEND (saban_map_legend_get_type ())
G_DECLARE_FINAL_TYPE (SabanMapLegend, saban_map_legend, SABAN, MAP_LEGEND, GtkBox)

GtkWidget     *saban_map_legend_new         (void);
void           saban_map_legend_set_classes (SabanMapLegend    *self,
                                             const char        *title,
                                             GArray            *breaks,
                                             const GdkRGBA     *colors,
                                             SabanLegendFormat  format,
                                             gpointer           user_data);
const GdkRGBA *saban_map_legend_get_ramp    (guint             *n_colors);

G_END_DECLS
