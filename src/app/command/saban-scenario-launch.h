#pragma once

#include <adwaita.h>

#include "saban-alarm.h"
#include "saban-impact.h"
#include "saban-map-view.h"
#include "saban-session.h"

G_BEGIN_DECLS

#define SABAN_TYPE_SCENARIO_LAUNCH (saban_scenario_launch_get_type ())

G_DECLARE_FINAL_TYPE (SabanScenarioLaunch, saban_scenario_launch, SABAN, SCENARIO_LAUNCH, GtkBox)

GtkWidget        *saban_scenario_launch_new            (SabanSession        *session,
                                                        SabanMapView        *map);
void              saban_scenario_launch_reset          (SabanScenarioLaunch *self,
                                                        GPtrArray           *layers);
void              saban_scenario_launch_prefill_sensor (SabanScenarioLaunch *self,
                                                        guint                sensor);
void              saban_scenario_launch_prefill_alert  (SabanScenarioLaunch *self,
                                                        SabanAlarm          *alarm);
void              saban_scenario_launch_prefill_report (SabanScenarioLaunch *self,
                                                        double               latitude,
                                                        double               longitude,
                                                        const char          *service,
                                                        const char          *title);
const char       *saban_scenario_launch_get_playbook   (SabanScenarioLaunch *self);
gboolean          saban_scenario_launch_get_drawing    (SabanScenarioLaunch *self);
const char       *saban_scenario_launch_get_hint       (SabanScenarioLaunch *self);
gboolean          saban_scenario_launch_get_busy       (SabanScenarioLaunch *self);
JsonNode         *saban_scenario_launch_get_area       (SabanScenarioLaunch *self);
SabanImpact      *saban_scenario_launch_get_impact     (SabanScenarioLaunch *self);
SabanCommandItem *saban_scenario_launch_get_scenario   (SabanScenarioLaunch *self);

G_END_DECLS
