#pragma once

#include <gio/gio.h>

#include "saban-sensor-store.h"
#include "saban-sensor-things-client.h"
#include "saban-unit-store.h"

G_BEGIN_DECLS

#define SABAN_TYPE_SCENARIO_HISTORY (saban_scenario_history_get_type ())
G_DECLARE_FINAL_TYPE (SabanScenarioHistory, saban_scenario_history, SABAN, SCENARIO_HISTORY, GObject)

SabanScenarioHistory *saban_scenario_history_new         (SabanSensorThingsClient *client,
                                                          gint64                   start_us,
                                                          gint64                   end_us);
void                  saban_scenario_history_load_async  (SabanScenarioHistory    *self,
                                                          GCancellable            *cancellable,
                                                          GAsyncReadyCallback      callback,
                                                          gpointer                 user_data);
gboolean              saban_scenario_history_load_finish (SabanScenarioHistory    *self,
                                                          GAsyncResult            *result,
                                                          GError                 **error);
gboolean              saban_scenario_history_get_loaded  (SabanScenarioHistory    *self);
void                  saban_scenario_history_show_at     (SabanScenarioHistory    *self,
                                                          gint64                   time_us);
SabanSensorStore     *saban_scenario_history_get_sensors (SabanScenarioHistory    *self);
SabanUnitStore       *saban_scenario_history_get_units   (SabanScenarioHistory    *self);

G_END_DECLS
