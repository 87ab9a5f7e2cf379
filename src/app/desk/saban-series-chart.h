#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SABAN_SERIES_CHART_MAX 2

#define SABAN_TYPE_SERIES_CHART (saban_series_chart_get_type ())
G_DECLARE_FINAL_TYPE (SabanSeriesChart, saban_series_chart, SABAN, SERIES_CHART, GtkWidget)

GtkWidget *saban_series_chart_new        (gboolean          compact);
void       saban_series_chart_set_series (SabanSeriesChart *self,
                                          guint             slot,
                                          const char       *name,
                                          GArray           *values);
void       saban_series_chart_set_axis   (SabanSeriesChart *self,
                                          const char       *first,
                                          const char       *last,
                                          const char       *unit);
guint      saban_series_chart_get_n_points (SabanSeriesChart *self,
                                          guint             slot);

G_END_DECLS
