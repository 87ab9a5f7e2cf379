#pragma once

/* saban-assistant-private.h: what the assistant's search (saban-assistant.c)
 * and its questions (saban-assistant-answers.c) share. */

#include "saban-assistant.h"

G_BEGIN_DECLS

/* a commune (or the province) the questions may be about */
typedef struct
{
  char             *name;       /* "Xã Bảo Yên" */
  char             *folded;     /* without its kind, folded: "bao yen" */
  char             *code;
  double            population; /* NAN when unknown */
  int               indicators; /* its index in the indicator set, SABAN_PROVINCE, or -2 */
  SabanVectorLayer *layer;      /* the communes layer (or province layer) holding it, or NULL */
  gint64            feature;
} SabanAssistantPlace;

struct _SabanAssistant
{
  GObject            parent_instance;
  GPtrArray         *commands;    /* Command */
  GPtrArray         *layers;      /* SabanVectorLayer */
  GStrv              titles;      /* the layers' titles, in the same order */
  SabanSensorStore  *sensors;
  SabanCommandStore *store;
  SabanIndicatorSet *indicators;
  char              *server;
  GPtrArray         *places;      /* SabanAssistantPlace, made when first needed */
};

/* the query, folded, and its words */
typedef struct
{
  char  *folded;
  GStrv  words;
} SabanAssistantQuery;

gboolean          saban_assistant_has_words       (const char                *haystack,
                                                   const char *const         *words);
gboolean          saban_assistant_has_phrase      (const SabanAssistantQuery *query,
                                                   const char                *phrase);
SabanVectorLayer *saban_assistant_find_layer      (SabanAssistant            *self,
                                                   const char                *name,
                                                   const char               **title);
char             *saban_assistant_layer_source    (SabanAssistant            *self,
                                                   SabanVectorLayer          *layer,
                                                   const char                *title);
gboolean          saban_assistant_feature_extent  (SabanVectorLayer          *layer,
                                                   gint64                     feature,
                                                   double                    *extent);
GPtrArray        *saban_assistant_get_places      (SabanAssistant            *self);
void              saban_assistant_answer          (SabanAssistant            *self,
                                                   const SabanAssistantQuery *query,
                                                   GListStore                *out);

G_END_DECLS
