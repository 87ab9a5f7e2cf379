#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SABAN_TYPE_PROFILE_CHART (saban_profile_chart_get_type ())

G_DECLARE_FINAL_TYPE (SabanProfileChart, saban_profile_chart, SABAN, PROFILE_CHART, GtkWidget)

GtkWidget *saban_profile_chart_new         (void);
void       saban_profile_chart_set_profile (SabanProfileChart *self,
                                            GArray            *points);

G_END_DECLS
