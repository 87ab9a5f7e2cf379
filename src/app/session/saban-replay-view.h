#pragma once

#include <gio/gio.h>

#include "saban-command-item.h"
#include "saban-command-replay.h"
#include "saban-sensor-store.h"
#include "saban-unit-store.h"

G_BEGIN_DECLS

#define SABAN_TYPE_REPLAY_VIEW (saban_replay_view_get_type ())
G_DECLARE_FINAL_TYPE (SabanReplayView, saban_replay_view, SABAN, REPLAY_VIEW, GObject)

SabanReplayView    *saban_replay_view_new          (SabanCommandItem   *scenario,
                                                    SabanCommandReplay *replay);
SabanCommandItem   *saban_replay_view_get_scenario (SabanReplayView    *self);
SabanCommandReplay *saban_replay_view_get_replay   (SabanReplayView    *self);
GDateTime          *saban_replay_view_get_time     (SabanReplayView    *self);
SabanSensorStore   *saban_replay_view_get_sensors  (SabanReplayView    *self);
SabanUnitStore     *saban_replay_view_get_units    (SabanReplayView    *self);
const char         *saban_replay_view_get_label    (SabanReplayView    *self);
void                saban_replay_view_show_at      (SabanReplayView    *self,
                                                    GDateTime          *time,
                                                    SabanSensorStore   *sensors,
                                                    SabanUnitStore     *units,
                                                    const char         *label);

G_END_DECLS
