#pragma once

#include <gtk/gtk.h>

#include "saban-alarm-list.h"

G_BEGIN_DECLS

#define SABAN_TYPE_ALARM_PANEL (saban_alarm_panel_get_type ())
G_DECLARE_FINAL_TYPE (SabanAlarmPanel, saban_alarm_panel, SABAN, ALARM_PANEL, GtkWidget)

GtkWidget *saban_alarm_panel_new (SabanAlarmList *alarms,
                                  const char     *account);

G_END_DECLS
