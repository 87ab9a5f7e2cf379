#pragma once

#include <adwaita.h>

#include "saban-session.h"

G_BEGIN_DECLS

#define SABAN_TYPE_SCENARIO_WINDOW (saban_scenario_window_get_type ())
G_DECLARE_FINAL_TYPE (SabanScenarioWindow, saban_scenario_window, SABAN, SCENARIO_WINDOW, AdwWindow)

SabanScenarioWindow *saban_scenario_window_new                 (GtkApplication      *application,
                                                                SabanSession        *session);
SabanScenarioWindow *saban_scenario_window_show                (GtkApplication      *application,
                                                                SabanSession        *session,
                                                                SabanCommandItem    *scenario);
void                 saban_scenario_window_set_scenario        (SabanScenarioWindow *self,
                                                                SabanCommandItem    *scenario);
SabanCommandItem    *saban_scenario_window_get_scenario        (SabanScenarioWindow *self);
gboolean             saban_scenario_window_move_task           (SabanScenarioWindow *self,
                                                                SabanCommandItem    *task,
                                                                const char          *status);
gboolean             saban_scenario_window_move_scenario       (SabanScenarioWindow *self,
                                                                const char          *status);
GListModel          *saban_scenario_window_get_column          (SabanScenarioWindow *self,
                                                                const char          *status);
guint                saban_scenario_window_get_n_log_rows      (SabanScenarioWindow *self);
GtkAdjustment       *saban_scenario_window_get_replay_adjustment (SabanScenarioWindow *self);
gboolean             saban_scenario_window_get_replaying       (SabanScenarioWindow *self);
void                 saban_scenario_window_refresh_overdue     (SabanScenarioWindow *self);
void                 saban_scenario_window_add_toast           (SabanScenarioWindow *self,
                                                                const char          *message);

G_END_DECLS
