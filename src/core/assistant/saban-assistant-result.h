#pragma once

#include <glib-object.h>

#include "saban-vector-layer.h"

G_BEGIN_DECLS

/* what a palette row is: an answer to a question, or something found */
typedef enum
{
  SABAN_ASSISTANT_ANSWER,     /* a figure from the IOC's data, with its source and time */
  SABAN_ASSISTANT_COMMAND,    /* one of the application's actions */
  SABAN_ASSISTANT_PLACE,      /* a commune, a facility, an address: a feature of a layer */
  SABAN_ASSISTANT_SENSOR,
  SABAN_ASSISTANT_SCENARIO,
  SABAN_ASSISTANT_TASK,
  SABAN_ASSISTANT_INDICATOR,
  SABAN_ASSISTANT_LAYER,
} SabanAssistantKind;

#define SABAN_TYPE_ASSISTANT_RESULT (saban_assistant_result_get_type ())
G_DECLARE_FINAL_TYPE (SabanAssistantResult, saban_assistant_result, SABAN, ASSISTANT_RESULT, GObject)

SabanAssistantResult *saban_assistant_result_new          (SabanAssistantKind    kind,
                                                          const char           *title,
                                                          const char           *subtitle);
SabanAssistantKind    saban_assistant_result_get_kind     (SabanAssistantResult *self);
const char           *saban_assistant_result_get_title    (SabanAssistantResult *self);
const char           *saban_assistant_result_get_subtitle (SabanAssistantResult *self);
double                saban_assistant_result_get_figure   (SabanAssistantResult *self);
const char           *saban_assistant_result_get_source   (SabanAssistantResult *self);
gint64                saban_assistant_result_get_time     (SabanAssistantResult *self);
gboolean              saban_assistant_result_get_extent   (SabanAssistantResult *self,
                                                          double               *extent);
const char           *saban_assistant_result_get_action   (SabanAssistantResult *self);
SabanVectorLayer     *saban_assistant_result_get_layer    (SabanAssistantResult *self);
gint64                saban_assistant_result_get_feature  (SabanAssistantResult *self);
int                   saban_assistant_result_get_sensor   (SabanAssistantResult *self);
gint64                saban_assistant_result_get_item     (SabanAssistantResult *self);

void                  saban_assistant_result_set_figure   (SabanAssistantResult *self,
                                                          double                figure,
                                                          const char           *source,
                                                          gint64                time_us);
void                  saban_assistant_result_set_extent   (SabanAssistantResult *self,
                                                          const double         *extent);
void                  saban_assistant_result_set_action   (SabanAssistantResult *self,
                                                          const char           *detailed_action);
void                  saban_assistant_result_set_feature  (SabanAssistantResult *self,
                                                          SabanVectorLayer     *layer,
                                                          gint64                feature);
void                  saban_assistant_result_set_sensor   (SabanAssistantResult *self,
                                                          int                   sensor);
void                  saban_assistant_result_set_item     (SabanAssistantResult *self,
                                                          gint64                id);

G_END_DECLS
