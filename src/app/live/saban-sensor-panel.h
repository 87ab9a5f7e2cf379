#pragma once

#include <gtk/gtk.h>

#include "saban-sensor-things-client.h"

G_BEGIN_DECLS

#define SABAN_TYPE_SENSOR_PANEL (saban_sensor_panel_get_type ())
G_DECLARE_FINAL_TYPE (SabanSensorPanel, saban_sensor_panel, SABAN, SENSOR_PANEL, GtkWidget)

GtkWidget *saban_sensor_panel_new         (SabanSensorThingsClient *client);
void       saban_sensor_panel_show_sensor (SabanSensorPanel        *self,
                                           guint                    index);
gboolean   saban_sensor_panel_get_busy    (SabanSensorPanel        *self);
void       saban_sensor_panel_export_csv  (SabanSensorPanel        *self,
                                           GFile                   *file);

G_END_DECLS
