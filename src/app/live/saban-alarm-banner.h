#pragma once

#include <adwaita.h>

#include "saban-session.h"

G_BEGIN_DECLS

#define SABAN_TYPE_ALARM_BANNER (saban_alarm_banner_get_type ())
G_DECLARE_FINAL_TYPE (SabanAlarmBanner, saban_alarm_banner, SABAN, ALARM_BANNER, GtkWidget)

GtkWidget  *saban_alarm_banner_new         (SabanSession     *session);
SabanAlarm *saban_alarm_banner_get_alarm   (SabanAlarmBanner *self);
void        saban_alarm_banner_acknowledge (SabanAlarmBanner *self);

G_END_DECLS
