/* saban-assistant-result.c: one row of the command palette — an answer (a
 * figure with its source and time) or something found — and where it leads:
 * an action to run, a feature or sensor to show, a scenario to open, an
 * extent to zoom to (WGS 84 longitude and latitude). */
#include "saban-assistant-result.h"

#include <math.h>
#include <string.h>

struct _SabanAssistantResult
{
  GObject            parent_instance;
  SabanAssistantKind kind;
  char              *title;
  char              *subtitle;
  double             figure;     /* NAN for no figure */
  char              *source;
  gint64             time_us;
  gboolean           has_extent;
  double             extent[4];  /* west, south, east, north */
  char              *action;
  SabanVectorLayer  *layer;
  gint64             feature;
  int                sensor;
  gint64             item;
};

G_DEFINE_FINAL_TYPE (SabanAssistantResult, saban_assistant_result, G_TYPE_OBJECT)

static void
saban_assistant_result_finalize (GObject *object)
{
  SabanAssistantResult *self = SABAN_ASSISTANT_RESULT (object);

  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->source);
  g_free (self->action);
  g_clear_object (&self->layer);
  G_OBJECT_CLASS (saban_assistant_result_parent_class)->finalize (object);
}

static void
saban_assistant_result_class_init (SabanAssistantResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_assistant_result_finalize;
}

static void
saban_assistant_result_init (SabanAssistantResult *self)
{
  self->figure = NAN;
  self->feature = -1;
  self->sensor = -1;
}

/**
 * saban_assistant_result_new:
 * @subtitle: (nullable): what it is, where, or what the answer counts
 *
 * Returns: (transfer full): a row leading nowhere yet
 */
SabanAssistantResult *
saban_assistant_result_new (SabanAssistantKind kind, const char *title, const char *subtitle)
{
  SabanAssistantResult *self = g_object_new (SABAN_TYPE_ASSISTANT_RESULT, NULL);

  self->kind = kind;
  self->title = g_strdup (title);
  self->subtitle = g_strdup (subtitle);
  return self;
}

SabanAssistantKind
saban_assistant_result_get_kind (SabanAssistantResult *self)
{
  g_return_val_if_fail (SABAN_IS_ASSISTANT_RESULT (self), SABAN_ASSISTANT_COMMAND);
  return self->kind;
}

const char *
saban_assistant_result_get_title (SabanAssistantResult *self)
{
  g_return_val_if_fail (SABAN_IS_ASSISTANT_RESULT (self), NULL);
  return self->title;
}

const char *
saban_assistant_result_get_subtitle (SabanAssistantResult *self)
{
  g_return_val_if_fail (SABAN_IS_ASSISTANT_RESULT (self), NULL);
  return self->subtitle;
}

/**
 * saban_assistant_result_get_figure:
 * Returns: an answer's figure, NAN for anything else
 */
double
saban_assistant_result_get_figure (SabanAssistantResult *self)
{
  g_return_val_if_fail (SABAN_IS_ASSISTANT_RESULT (self), NAN);
  return self->figure;
}

/**
 * saban_assistant_result_get_source:
 * Returns: (nullable): where an answer's figure comes from, as people name it
 */
const char *
saban_assistant_result_get_source (SabanAssistantResult *self)
{
  g_return_val_if_fail (SABAN_IS_ASSISTANT_RESULT (self), NULL);
  return self->source;
}

/**
 * saban_assistant_result_get_time:
 * Returns: when an answer's figure was true (µs since the epoch), 0 if unknown
 */
gint64
saban_assistant_result_get_time (SabanAssistantResult *self)
{
  g_return_val_if_fail (SABAN_IS_ASSISTANT_RESULT (self), 0);
  return self->time_us;
}

/**
 * saban_assistant_result_get_extent:
 * @extent: (out caller-allocates) (array fixed-size=4): west, south, east,
 *   north in degrees (WGS 84)
 *
 * Returns: whether it has a place on the map to go to
 */
gboolean
saban_assistant_result_get_extent (SabanAssistantResult *self, double *extent)
{
  g_return_val_if_fail (SABAN_IS_ASSISTANT_RESULT (self), FALSE);

  if (self->has_extent)
    memcpy (extent, self->extent, sizeof self->extent);
  return self->has_extent;
}

/**
 * saban_assistant_result_get_action:
 * Returns: (nullable): the detailed action it runs ("win.open",
 *   "app.scenario(int64 5)")
 */
const char *
saban_assistant_result_get_action (SabanAssistantResult *self)
{
  g_return_val_if_fail (SABAN_IS_ASSISTANT_RESULT (self), NULL);
  return self->action;
}

/**
 * saban_assistant_result_get_layer:
 * Returns: (transfer none) (nullable): the layer of the feature it shows
 */
SabanVectorLayer *
saban_assistant_result_get_layer (SabanAssistantResult *self)
{
  g_return_val_if_fail (SABAN_IS_ASSISTANT_RESULT (self), NULL);
  return self->layer;
}

/**
 * saban_assistant_result_get_feature:
 * Returns: the feature it shows (an index in its layer), -1 for none
 */
gint64
saban_assistant_result_get_feature (SabanAssistantResult *self)
{
  g_return_val_if_fail (SABAN_IS_ASSISTANT_RESULT (self), -1);
  return self->feature;
}

/**
 * saban_assistant_result_get_sensor:
 * Returns: the sensor it shows (an index in the sensor store), -1 for none
 */
int
saban_assistant_result_get_sensor (SabanAssistantResult *self)
{
  g_return_val_if_fail (SABAN_IS_ASSISTANT_RESULT (self), -1);
  return self->sensor;
}

/**
 * saban_assistant_result_get_item:
 * Returns: the scenario or task it is (its id on the server), 0 for none
 */
gint64
saban_assistant_result_get_item (SabanAssistantResult *self)
{
  g_return_val_if_fail (SABAN_IS_ASSISTANT_RESULT (self), 0);
  return self->item;
}

/**
 * saban_assistant_result_set_figure:
 * @source: where it comes from, as people name it
 * @time_us: when it was true; 0 if unknown
 */
void
saban_assistant_result_set_figure (SabanAssistantResult *self, double figure, const char *source, gint64 time_us)
{
  g_return_if_fail (SABAN_IS_ASSISTANT_RESULT (self));

  self->figure = figure;
  g_free (self->source);
  self->source = g_strdup (source);
  self->time_us = time_us;
}

void
saban_assistant_result_set_extent (SabanAssistantResult *self, const double *extent)
{
  g_return_if_fail (SABAN_IS_ASSISTANT_RESULT (self));

  memcpy (self->extent, extent, sizeof self->extent);
  self->has_extent = TRUE;
}

void
saban_assistant_result_set_action (SabanAssistantResult *self, const char *detailed_action)
{
  g_return_if_fail (SABAN_IS_ASSISTANT_RESULT (self));

  g_free (self->action);
  self->action = g_strdup (detailed_action);
}

void
saban_assistant_result_set_feature (SabanAssistantResult *self, SabanVectorLayer *layer, gint64 feature)
{
  g_return_if_fail (SABAN_IS_ASSISTANT_RESULT (self));

  g_set_object (&self->layer, layer);
  self->feature = feature;
}

void
saban_assistant_result_set_sensor (SabanAssistantResult *self, int sensor)
{
  g_return_if_fail (SABAN_IS_ASSISTANT_RESULT (self));
  self->sensor = sensor;
}

void
saban_assistant_result_set_item (SabanAssistantResult *self, gint64 id)
{
  g_return_if_fail (SABAN_IS_ASSISTANT_RESULT (self));
  self->item = id;
}
