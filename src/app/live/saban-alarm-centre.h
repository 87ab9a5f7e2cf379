#pragma once

#include <adwaita.h>

#include "saban-session.h"

G_BEGIN_DECLS

#define SABAN_TYPE_ALARM_CENTRE (saban_alarm_centre_get_type ())
G_DECLARE_FINAL_TYPE (SabanAlarmCentre, saban_alarm_centre, SABAN, ALARM_CENTRE, GtkWidget)

GtkWidget  *saban_alarm_centre_new            (SabanSession     *session);
GListModel *saban_alarm_centre_get_shown      (SabanAlarmCentre *self);
void        saban_alarm_centre_set_search     (SabanAlarmCentre *self,
                                               const char       *text);
void        saban_alarm_centre_set_min_grade  (SabanAlarmCentre *self,
                                               SabanAlarmGrade   grade);
void        saban_alarm_centre_set_waiting_only (SabanAlarmCentre *self,
                                               gboolean          waiting_only);
void        saban_alarm_centre_sort_by        (SabanAlarmCentre *self,
                                               const char       *column,
                                               GtkSortType       order);
void        saban_alarm_centre_refresh        (SabanAlarmCentre *self);

G_END_DECLS
