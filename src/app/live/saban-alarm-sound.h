#pragma once

#include <gtk/gtk.h>

#include "saban-alarm-list.h"

G_BEGIN_DECLS

#define SABAN_TYPE_ALARM_SOUND (saban_alarm_sound_get_type ())
G_DECLARE_FINAL_TYPE (SabanAlarmSound, saban_alarm_sound, SABAN, ALARM_SOUND, GObject)

SabanAlarmSound *saban_alarm_sound_new      (SabanAlarmList  *alarms,
                                             GSettings       *settings);
gboolean         saban_alarm_sound_get_beeps (SabanAlarmSound *self);
GBytes          *saban_alarm_sound_make_wav (SabanAlarmGrade  grade);

G_END_DECLS
