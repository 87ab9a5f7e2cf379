/* saban-assistant.c: the command palette's model — the first step of the
 * guidance's virtual assistant. Given what the IOC client holds (the
 * application's commands by their Vietnamese names, the map's layers, the
 * live sensors, the scenarios and tasks, the indicator catalogue), a query
 * typed without diacritics finds commands, places (communes, facilities,
 * any named feature of a small layer), sensors, scenarios, tasks,
 * indicators and layers; and a simple question about the IOC's own data
 * ("dân số xã Bảo Yên", "bao nhiêu cảm biến đang báo động", "kịch bản
 * đang chạy") is answered first, with the figure, where it comes from, when
 * it was true, and where it is on the map (saban-assistant-answers.c).
 *
 * No I/O: it reads the models it is given, on the caller's thread, at once.
 */
#include "saban-assistant-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "saban-measure.h"
#include "saban-ogr-reader.h"
#include "saban-text.h"

/* a layer bigger than this is not searched by name (parcels): a palette
 * answers as the user types */
#define MAX_SEARCHED_FEATURES 50000
/* results of one kind, at most: the list stays readable */
#define MAX_PER_KIND 6
/* a query longer than this is cut: typed by a person */
#define MAX_QUERY 256

typedef struct
{
  char *name;
  char *folded;     /* name and keywords */
  char *action;
} Command;

static void
command_free (gpointer data)
{
  Command *c = data;

  g_free (c->name);
  g_free (c->folded);
  g_free (c->action);
  g_free (c);
}

static void
place_free (gpointer data)
{
  SabanAssistantPlace *p = data;

  g_free (p->name);
  g_free (p->folded);
  g_free (p->code);
  g_clear_object (&p->layer);
  g_free (p);
}

G_DEFINE_FINAL_TYPE (SabanAssistant, saban_assistant, G_TYPE_OBJECT)

static void
forget_places (SabanAssistant *self)
{
  g_clear_pointer (&self->places, g_ptr_array_unref);
}

static void
saban_assistant_finalize (GObject *object)
{
  SabanAssistant *self = SABAN_ASSISTANT (object);

  g_ptr_array_unref (self->commands);
  g_clear_pointer (&self->layers, g_ptr_array_unref);
  g_strfreev (self->titles);
  g_clear_object (&self->sensors);
  g_clear_object (&self->store);
  g_clear_object (&self->indicators);
  g_free (self->server);
  forget_places (self);
  G_OBJECT_CLASS (saban_assistant_parent_class)->finalize (object);
}

static void
saban_assistant_class_init (SabanAssistantClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_assistant_finalize;
}

static void
saban_assistant_init (SabanAssistant *self)
{
  self->commands = g_ptr_array_new_with_free_func (command_free);
}

/**
 * saban_assistant_new:
 *
 * Returns: (transfer full): an assistant that knows nothing yet
 */
SabanAssistant *
saban_assistant_new (void)
{
  return g_object_new (SABAN_TYPE_ASSISTANT, NULL);
}

/**
 * saban_assistant_add_command:
 * @name: what the user reads, translated ("Kích hoạt kịch bản")
 * @detailed_action: what runs ("win.launch-scenario")
 * @keywords: (nullable): other words it is found by, translated
 */
void
saban_assistant_add_command (SabanAssistant *self, const char *name, const char *detailed_action,
                             const char *keywords)
{
  Command *c;
  g_autofree char *all = NULL;

  g_return_if_fail (SABAN_IS_ASSISTANT (self));

  c = g_new0 (Command, 1);
  c->name = g_strdup (name);
  c->action = g_strdup (detailed_action);
  all = g_strjoin (" ", name, keywords != NULL ? keywords : "", NULL);
  c->folded = saban_text_fold (all);
  g_ptr_array_add (self->commands, c);
}

/**
 * saban_assistant_set_layers:
 * @layers: (element-type SabanVectorLayer): the map's data layers
 * @titles: (array zero-terminated=1): their titles, as the layer list shows them
 */
void
saban_assistant_set_layers (SabanAssistant *self, GPtrArray *layers, const char *const *titles)
{
  g_return_if_fail (SABAN_IS_ASSISTANT (self));
  g_return_if_fail (layers != NULL && g_strv_length ((char **) titles) == layers->len);

  g_clear_pointer (&self->layers, g_ptr_array_unref);
  self->layers = g_ptr_array_ref (layers);
  g_strfreev (self->titles);
  self->titles = g_strdupv ((char **) titles);
  forget_places (self);
}

/**
 * saban_assistant_set_sensors:
 * @sensors: (nullable): the live sensors
 */
void
saban_assistant_set_sensors (SabanAssistant *self, SabanSensorStore *sensors)
{
  g_return_if_fail (SABAN_IS_ASSISTANT (self));
  g_set_object (&self->sensors, sensors);
}

/**
 * saban_assistant_set_commands:
 * @store: (nullable): the scenarios and tasks
 */
void
saban_assistant_set_commands (SabanAssistant *self, SabanCommandStore *store)
{
  g_return_if_fail (SABAN_IS_ASSISTANT (self));
  g_set_object (&self->store, store);
}

/**
 * saban_assistant_set_indicators:
 * @indicators: (nullable): the indicator catalogue and its values
 */
void
saban_assistant_set_indicators (SabanAssistant *self, SabanIndicatorSet *indicators)
{
  g_return_if_fail (SABAN_IS_ASSISTANT (self));

  if (g_set_object (&self->indicators, indicators))
    forget_places (self);
}

/**
 * saban_assistant_set_server:
 * @server: (nullable): the IOC server's address, for the answers' sources
 */
void
saban_assistant_set_server (SabanAssistant *self, const char *server)
{
  g_return_if_fail (SABAN_IS_ASSISTANT (self));

  g_free (self->server);
  self->server = g_strdup (server);
}

/* ---- what the questions share ---------------------------------------------- */

/**
 * saban_assistant_has_words:
 * @haystack: folded text
 * @words: folded words
 *
 * Returns: whether every word is in @haystack, each at the start of one of
 *   its words ("bao yen" finds "xa bao yen"; "yen" does not find "bay")
 */
gboolean
saban_assistant_has_words (const char *haystack, const char *const *words)
{
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *p = haystack;
      gboolean found = FALSE;

      while (!found && (p = strstr (p, words[i])) != NULL)
        {
          found = p == haystack || !g_ascii_isalnum (p[-1]);
          p++;
        }
      if (!found)
        return FALSE;
    }
  return TRUE;
}

/**
 * saban_assistant_has_phrase:
 * @phrase: folded words, in order
 *
 * Returns: whether the query holds @phrase as whole words
 */
gboolean
saban_assistant_has_phrase (const SabanAssistantQuery *query, const char *phrase)
{
  gsize n = strlen (phrase);

  for (const char *p = strstr (query->folded, phrase); p != NULL; p = strstr (p + 1, phrase))
    if ((p == query->folded || !g_ascii_isalnum (p[-1])) && !g_ascii_isalnum (p[n]))
      return TRUE;
  return FALSE;
}

/**
 * saban_assistant_find_layer:
 * @name: its name in its source ("communes")
 * @title: (out) (optional): its title
 *
 * Returns: (transfer none) (nullable): the map's layer of that name
 */
SabanVectorLayer *
saban_assistant_find_layer (SabanAssistant *self, const char *name, const char **title)
{
  for (guint i = 0; self->layers != NULL && i < self->layers->len; i++)
    if (g_strcmp0 (saban_vector_layer_get_name (g_ptr_array_index (self->layers, i)), name) == 0)
      {
        if (title != NULL)
          *title = self->titles[i];
        return g_ptr_array_index (self->layers, i);
      }
  return NULL;
}

/**
 * saban_assistant_layer_source:
 *
 * Returns: (transfer full): "Lớp Trường học — Tệp GeoPackage “…”": a
 *   layer's figures' source, as people name it
 */
char *
saban_assistant_layer_source (SabanAssistant *self, SabanVectorLayer *layer, const char *title)
{
  g_autofree char *where = saban_ogr_describe_source (saban_vector_layer_get_source (layer));

  /* TRANSLATORS: a layer's title and where its data comes from */
  return g_strdup_printf (_("Layer %s — %s"), title, where);
}

/**
 * saban_assistant_feature_extent:
 * @extent: (out caller-allocates) (array fixed-size=4): west, south, east,
 *   north in degrees
 *
 * Returns: whether @feature of @layer has a box
 */
gboolean
saban_assistant_feature_extent (SabanVectorLayer *layer, gint64 feature, double *extent)
{
  const SabanFeatureArrays *a = saban_vector_layer_get_arrays (layer);
  const double *box;

  if (feature < 0 || (guint64) feature >= saban_vector_layer_get_n_features (layer) || a->boxes == NULL)
    return FALSE;
  box = a->boxes + 4 * (gsize) feature;
  saban_mercator_to_lonlat (box[0], box[1], &extent[0], &extent[1]);
  saban_mercator_to_lonlat (box[2], box[3], &extent[2], &extent[3]);
  return TRUE;
}

/* "Xã Bảo Yên" → "bao yen": a commune is asked about by its name alone */
static char *
fold_place_name (const char *name)
{
  static const char *const kinds[] = { "xa ", "phuong ", "thi tran ", "tinh ", NULL };
  g_autofree char *folded = saban_text_fold (name);

  for (guint i = 0; kinds[i] != NULL; i++)
    if (g_str_has_prefix (folded, kinds[i]))
      return g_strdup (folded + strlen (kinds[i]));
  return g_steal_pointer (&folded);
}

static SabanAssistantPlace *
add_place (GPtrArray *places, const char *name, const char *code)
{
  SabanAssistantPlace *p = g_new0 (SabanAssistantPlace, 1);

  p->name = g_strdup (name);
  p->folded = fold_place_name (name);
  p->code = g_strdup (code);
  p->population = NAN;
  p->indicators = -2;
  p->feature = -1;
  g_ptr_array_add (places, p);
  return p;
}

static SabanAssistantPlace *
find_place_by_code (GPtrArray *places, const char *code)
{
  for (guint i = 0; code != NULL && i < places->len; i++)
    if (g_strcmp0 (((SabanAssistantPlace *) g_ptr_array_index (places, i))->code, code) == 0)
      return g_ptr_array_index (places, i);
  return NULL;
}

/* the communes of the communes layer: their features, and their names and
 * populations where the indicators have none */
static void
add_layer_places (SabanAssistant *self, GPtrArray *places)
{
  SabanVectorLayer *layer = saban_assistant_find_layer (self, "communes", NULL);
  const SabanAttributeTable *t;
  int code_field, name_field, population_field;

  if (layer == NULL)
    return;
  t = saban_vector_layer_get_attributes (layer);
  code_field = saban_attribute_table_find_field (t, "code");
  name_field = saban_attribute_table_find_field (t, "name");
  population_field = saban_attribute_table_find_field (t, "population");
  if (name_field < 0)
    return;
  for (guint32 row = 0; row < saban_vector_layer_get_n_features (layer); row++)
    {
      const char *code = code_field >= 0 ? saban_attribute_table_get_string (t, code_field, row) : NULL;
      SabanAssistantPlace *p = find_place_by_code (places, code);

      if (saban_attribute_table_is_null (t, name_field, row))
        continue;
      if (p == NULL)
        p = add_place (places, saban_attribute_table_get_string (t, name_field, row), code);
      if (isnan (p->population) && population_field >= 0 && !saban_attribute_table_is_null (t, population_field, row))
        p->population = saban_attribute_table_get_real (t, population_field, row);
      g_set_object (&p->layer, layer);
      p->feature = row;
    }
}

/**
 * saban_assistant_get_places:
 *
 * Returns: (transfer none) (element-type SabanAssistantPlace): the province
 *   and its communes, from the indicators (the server's) and the communes
 *   layer, made once per change of either
 */
GPtrArray *
saban_assistant_get_places (SabanAssistant *self)
{
  SabanVectorLayer *province_layer = saban_assistant_find_layer (self, "province", NULL);

  if (self->places != NULL)
    return self->places;
  self->places = g_ptr_array_new_with_free_func (place_free);
  if (self->indicators != NULL)
    {
      const SabanAdminUnit *province = saban_indicator_set_get_province (self->indicators);
      SabanAssistantPlace *p;

      if (province != NULL)
        {
          p = add_place (self->places, province->name, province->code);
          p->population = province->population;
          p->indicators = SABAN_PROVINCE;
        }
      for (guint i = 0; i < saban_indicator_set_get_n_communes (self->indicators); i++)
        {
          const SabanAdminUnit *u = saban_indicator_set_get_commune (self->indicators, i);

          p = add_place (self->places, u->name, u->code);
          p->population = u->population;
          p->indicators = i;
        }
    }
  add_layer_places (self, self->places);
  /* the province's shape, for its answers' extent */
  if (province_layer != NULL && self->places->len > 0 &&
      ((SabanAssistantPlace *) g_ptr_array_index (self->places, 0))->indicators == SABAN_PROVINCE)
    {
      SabanAssistantPlace *p = g_ptr_array_index (self->places, 0);

      g_set_object (&p->layer, province_layer);
      p->feature = 0;
    }
  return self->places;
}

/* ---- finding things by name ---------------------------------------------------- */

static void
find_commands (SabanAssistant *self, const char *const *words, GListStore *out)
{
  guint n = 0;

  for (guint i = 0; i < self->commands->len && n < MAX_PER_KIND; i++)
    {
      Command *c = g_ptr_array_index (self->commands, i);
      g_autoptr(SabanAssistantResult) r = NULL;

      if (!saban_assistant_has_words (c->folded, words))
        continue;
      r = saban_assistant_result_new (SABAN_ASSISTANT_COMMAND, c->name, _("Command"));
      saban_assistant_result_set_action (r, c->action);
      g_list_store_append (out, r);
      n++;
    }
}

/* named features of the small layers: communes, facilities, shelters… */
static void
find_places (SabanAssistant *self, const char *const *words, GListStore *out)
{
  guint n = 0;

  for (guint l = 0; self->layers != NULL && l < self->layers->len && n < MAX_PER_KIND; l++)
    {
      SabanVectorLayer *layer = g_ptr_array_index (self->layers, l);
      const SabanAttributeTable *t = saban_vector_layer_get_attributes (layer);
      int name_field = saban_attribute_table_find_field (t, "name");

      if (name_field < 0 || saban_vector_layer_get_n_features (layer) > MAX_SEARCHED_FEATURES)
        continue;
      for (guint32 row = 0; row < saban_vector_layer_get_n_features (layer) && n < MAX_PER_KIND; row++)
        {
          g_autofree char *folded = NULL;
          g_autoptr(SabanAssistantResult) r = NULL;
          double extent[4];

          if (saban_attribute_table_is_null (t, name_field, row))
            continue;
          folded = saban_text_fold (saban_attribute_table_get_string (t, name_field, row));
          if (!saban_assistant_has_words (folded, words))
            continue;
          r = saban_assistant_result_new (SABAN_ASSISTANT_PLACE, saban_attribute_table_get_string (t, name_field, row),
                                          self->titles[l]);
          saban_assistant_result_set_feature (r, layer, row);
          if (saban_assistant_feature_extent (layer, row, extent))
            saban_assistant_result_set_extent (r, extent);
          g_list_store_append (out, r);
          n++;
        }
    }
}

static void
find_sensors (SabanAssistant *self, const char *const *words, GListStore *out)
{
  guint n = 0;

  for (guint i = 0; self->sensors != NULL && i < saban_sensor_store_get_n_sensors (self->sensors) && n < MAX_PER_KIND;
       i++)
    {
      const SabanSensor *s = saban_sensor_store_get_sensor (self->sensors, i);
      g_autofree char *all = g_strjoin (" ", s->name, s->commune_name ? s->commune_name : "", NULL);
      g_autofree char *folded = saban_text_fold (all);
      g_autoptr(SabanAssistantResult) r = NULL;

      if (!saban_assistant_has_words (folded, words))
        continue;
      r = saban_assistant_result_new (SABAN_ASSISTANT_SENSOR, s->name,
                                      s->commune_name != NULL ? s->commune_name : _("Live station"));
      saban_assistant_result_set_sensor (r, (int) i);
      saban_assistant_result_set_extent (r, (const double[]) { s->lon, s->lat, s->lon, s->lat });
      g_list_store_append (out, r);
      n++;
    }
}

/* scenarios open a board; tasks their scenario's */
static void
find_items (SabanAssistant *self, SabanCommandCollection collection, const char *const *words, GListStore *out)
{
  g_autoptr(GListModel) items = NULL;
  guint n = 0;

  if (self->store == NULL)
    return;
  items = saban_command_store_list (self->store, collection, 0, NULL);
  for (guint i = 0; i < g_list_model_get_n_items (items) && n < MAX_PER_KIND; i++)
    {
      g_autoptr(SabanCommandItem) item = g_list_model_get_item (items, i);
      g_autofree char *folded = saban_text_fold (saban_command_item_get_title (item));
      gint64 scenario = collection == SABAN_COMMAND_SCENARIOS ? saban_command_item_get_id (item)
                                                              : saban_command_item_get_scenario_id (item);
      g_autoptr(SabanAssistantResult) r = NULL;
      g_autofree char *action = NULL;

      if (!saban_assistant_has_words (folded, words) || scenario <= 0)
        continue;
      r = saban_assistant_result_new (collection == SABAN_COMMAND_SCENARIOS ? SABAN_ASSISTANT_SCENARIO
                                                                            : SABAN_ASSISTANT_TASK,
                                      saban_command_item_get_title (item),
                                      collection == SABAN_COMMAND_SCENARIOS ? _("Scenario") : _("Task"));
      action = g_strdup_printf ("app.scenario(int64 %" G_GINT64_FORMAT ")", scenario);
      saban_assistant_result_set_action (r, action);
      saban_assistant_result_set_item (r, saban_command_item_get_id (item));
      g_list_store_append (out, r);
      n++;
    }
}

static void
find_indicators (SabanAssistant *self, const char *const *words, GListStore *out)
{
  guint n = 0;

  for (guint i = 0; self->indicators != NULL && i < saban_indicator_set_get_n_indicators (self->indicators) &&
                    n < MAX_PER_KIND; i++)
    {
      const SabanIndicator *ind = saban_indicator_set_get_indicator (self->indicators, i);
      g_autofree char *folded = saban_text_fold (ind->name);
      g_autoptr(SabanAssistantResult) r = NULL;

      if (!saban_assistant_has_words (folded, words))
        continue;
      r = saban_assistant_result_new (SABAN_ASSISTANT_INDICATOR, ind->name, ind->agency);
      g_list_store_append (out, r);
      n++;
    }
}

static void
find_layers (SabanAssistant *self, const char *const *words, GListStore *out)
{
  for (guint i = 0; self->layers != NULL && i < self->layers->len; i++)
    {
      g_autofree char *folded = saban_text_fold (self->titles[i]);
      g_autoptr(SabanAssistantResult) r = NULL;
      g_autofree char *where = NULL;
      double box[4];

      if (!saban_assistant_has_words (folded, words))
        continue;
      where = saban_ogr_describe_source (saban_vector_layer_get_source (g_ptr_array_index (self->layers, i)));
      r = saban_assistant_result_new (SABAN_ASSISTANT_LAYER, self->titles[i], where);
      if (saban_vector_layer_get_extent (g_ptr_array_index (self->layers, i), &box[0], &box[1], &box[2], &box[3]))
        {
          double extent[4];

          saban_mercator_to_lonlat (box[0], box[1], &extent[0], &extent[1]);
          saban_mercator_to_lonlat (box[2], box[3], &extent[2], &extent[3]);
          saban_assistant_result_set_extent (r, extent);
        }
      g_list_store_append (out, r);
    }
}

/**
 * saban_assistant_query:
 * @text: what the user typed, with or without diacritics
 * @max_results: the most rows returned
 *
 * Returns: (transfer full): #SabanAssistantResult rows — answers first,
 *   then commands, places, sensors, scenarios, tasks, indicators, layers
 */
GListModel *
saban_assistant_query (SabanAssistant *self, const char *text, guint max_results)
{
  GListStore *out = g_list_store_new (SABAN_TYPE_ASSISTANT_RESULT);
  g_autofree char *bounded = NULL;
  SabanAssistantQuery query = { 0 };

  g_return_val_if_fail (SABAN_IS_ASSISTANT (self), G_LIST_MODEL (out));
  g_return_val_if_fail (text != NULL, G_LIST_MODEL (out));

  /* typed text, bounded, valid: a pasted megabyte is not searched */
  bounded = g_utf8_make_valid (text, MIN (strlen (text), MAX_QUERY));
  query.folded = saban_text_fold (g_strstrip (bounded));
  query.words = g_regex_split_simple ("[^[:alnum:]]+", query.folded, G_REGEX_OPTIMIZE, 0);
  {
    /* empty pieces at either end are not words */
    g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

    for (guint i = 0; query.words[i] != NULL; i++)
      if (*query.words[i] != '\0')
        g_strv_builder_add (b, query.words[i]);
    g_strfreev (query.words);
    query.words = g_strv_builder_end (b);
  }
  if (query.words[0] != NULL)
    {
      const char *const *words = (const char *const *) query.words;

      saban_assistant_answer (self, &query, out);
      find_commands (self, words, out);
      find_places (self, words, out);
      find_sensors (self, words, out);
      find_items (self, SABAN_COMMAND_SCENARIOS, words, out);
      find_items (self, SABAN_COMMAND_TASKS, words, out);
      find_indicators (self, words, out);
      find_layers (self, words, out);
    }
  if (g_list_model_get_n_items (G_LIST_MODEL (out)) > max_results)
    g_list_store_splice (out, max_results, g_list_model_get_n_items (G_LIST_MODEL (out)) - max_results, NULL, 0);
  g_free (query.folded);
  g_strfreev (query.words);
  return G_LIST_MODEL (out);
}
