#pragma once

#include <shumate/shumate.h>

#include "saban-command-replay.h"
#include "saban-command-store.h"

G_BEGIN_DECLS

#define SABAN_TYPE_SCENARIO_LAYER (saban_scenario_layer_get_type ())

G_DECLARE_FINAL_TYPE (SabanScenarioLayer, saban_scenario_layer, SABAN, SCENARIO_LAYER, ShumateLayer)

SabanScenarioLayer *saban_scenario_layer_new        (ShumateViewport    *viewport);
void                saban_scenario_layer_set_store  (SabanScenarioLayer *self,
                                                     SabanCommandStore  *store);
void                saban_scenario_layer_show_replay (SabanScenarioLayer *self,
                                                     SabanCommandItem   *scenario,
                                                     SabanCommandReplay *replay,
                                                     GDateTime          *t);
guint               saban_scenario_layer_get_n_drawn (SabanScenarioLayer *self,
                                                     guint              *n_tasks);

G_END_DECLS
