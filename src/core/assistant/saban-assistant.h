#pragma once

#include <gio/gio.h>

#include "saban-alarm-list.h"
#include "saban-assistant-result.h"
#include "saban-command-store.h"
#include "saban-indicator-set.h"
#include "saban-sensor-store.h"
#include "saban-vector-layer.h"

G_BEGIN_DECLS

#define SABAN_TYPE_ASSISTANT (saban_assistant_get_type ())
G_DECLARE_FINAL_TYPE (SabanAssistant, saban_assistant, SABAN, ASSISTANT, GObject)

SabanAssistant *saban_assistant_new            (void);
void            saban_assistant_add_command    (SabanAssistant    *self,
                                                const char        *name,
                                                const char        *detailed_action,
                                                const char        *keywords);
void            saban_assistant_set_layers     (SabanAssistant    *self,
                                                GPtrArray         *layers,
                                                const char *const *titles);
void            saban_assistant_set_sensors    (SabanAssistant    *self,
                                                SabanSensorStore  *sensors);
void            saban_assistant_set_commands   (SabanAssistant    *self,
                                                SabanCommandStore *store);
void            saban_assistant_set_indicators (SabanAssistant    *self,
                                                SabanIndicatorSet *indicators);
void            saban_assistant_set_server     (SabanAssistant    *self,
                                                const char        *server);
GListModel     *saban_assistant_query          (SabanAssistant    *self,
                                                const char        *text,
                                                guint              max_results);

G_END_DECLS
