/* saban-assistant-answers.c: the simple questions the palette answers from
 * the IOC's own data — how many sensors are in alarm, which scenarios run,
 * how many tasks are overdue, an indicator (population first of all) for a
 * commune or the province, how many schools, clinics or shelters a commune
 * has, a commune's area. Each answer carries its figure, its source as
 * people name it, the time it was true, and where it is on the map.
 *
 * Understanding is by words, after folding diacritics: a place is a
 * commune's (or the province's) name in the query, whole words, the
 * longest one; what is asked is found by the words around it.
 */
#include "saban-assistant-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "saban-format.h"
#include "saban-text.h"

/* words that carry no meaning for which figure is asked */
static const char *const filler_phrases[] = {
  "bao nhieu", "la bao nhieu", "hien nay", "hien tai", "bay gio", "thang nay", "nam nay", "moi nhat", NULL
};
static const char *const filler_words[] = {
  "cua", "o", "tai", "la", "tinh", "toan", "xa", "phuong", "gi", "the", "nao", "chi", "cho", "biet", "hay", NULL
};

/* facilities a commune has, by the words people ask with */
static const struct
{
  const char *layer;
  const char *words[5];
} facilities[] = {
  { "schools", { "truong hoc", "truong", NULL } },
  { "health_facilities", { "co so y te", "benh vien", "tram y te", "y te", NULL } },
  { "shelters", { "diem so tan", "noi so tan", "so tan", "tru an", NULL } },
  { "police_stations", { "cong an", NULL } },
  { "fire_stations", { "phong chay", "chua chay", "cuu hoa", NULL } },
};

static gboolean
has_any (const SabanAssistantQuery *query, const char *const *phrases)
{
  for (guint i = 0; phrases[i] != NULL; i++)
    if (saban_assistant_has_phrase (query, phrases[i]))
      return TRUE;
  return FALSE;
}

/* the place asked about: a full name with its kind ("xa bao yen") before a
 * bare one ("bao yen"), the longest; the province when the query says
 * "tỉnh" and names no commune in full */
static SabanAssistantPlace *
find_place (SabanAssistant *self, const SabanAssistantQuery *query)
{
  GPtrArray *places = saban_assistant_get_places (self);
  SabanAssistantPlace *best = NULL, *province = NULL;
  gsize best_score = 0;

  for (guint i = 0; i < places->len; i++)
    {
      SabanAssistantPlace *p = g_ptr_array_index (places, i);
      g_autofree char *full = saban_text_fold (p->name);
      gsize score = 0;

      if (p->indicators == SABAN_PROVINCE)
        province = p;
      if (saban_assistant_has_phrase (query, full))
        score = 1000 + strlen (full);
      else if (*p->folded != '\0' && saban_assistant_has_phrase (query, p->folded))
        score = strlen (p->folded);
      if (score > best_score)
        {
          best = p;
          best_score = score;
        }
    }
  if (province != NULL && best_score < 1000 &&
      (saban_assistant_has_phrase (query, "tinh") || saban_assistant_has_phrase (query, "toan tinh")))
    return province;
  return best;
}

static void
extent_add (double *extent, gboolean *any, double lon, double lat)
{
  if (!*any)
    {
      extent[0] = extent[2] = lon;
      extent[1] = extent[3] = lat;
      *any = TRUE;
      return;
    }
  extent[0] = MIN (extent[0], lon);
  extent[1] = MIN (extent[1], lat);
  extent[2] = MAX (extent[2], lon);
  extent[3] = MAX (extent[3], lat);
}

static void
place_extent (SabanAssistantResult *r, SabanAssistantPlace *place)
{
  double extent[4];

  if (place->layer == NULL)
    return;
  saban_assistant_result_set_feature (r, place->layer, place->feature);
  if (saban_assistant_feature_extent (place->layer, place->feature, extent))
    saban_assistant_result_set_extent (r, extent);
}

/* "của máy chủ IOC http://…", or nothing before a server is known */
static const char *
server_name (SabanAssistant *self)
{
  return self->server != NULL ? self->server : _("(not connected)");
}

static char *
format_figure (double value, const char *unit)
{
  /* whole numbers as such; rates with one decimal */
  int decimals = fabs (value - round (value)) < 1e-9 ? 0 : g_strcmp0 (unit, "%") == 0 ? 1 : 2;
  g_autofree char *number = saban_format_number (value, decimals);

  return unit != NULL && *unit != '\0' ? g_strdup_printf ("%s %s", number, unit) : g_steal_pointer (&number);
}

/* ---- sensors in alarm ------------------------------------------------------------ */

static gboolean
asks_alarms (const SabanAssistantQuery *query)
{
  return has_any (query, (const char *const[]) { "bao dong", "canh bao", "nguy hiem", "vuot nguong", NULL }) &&
         has_any (query, (const char *const[]) { "cam bien", "tram", "bao nhieu", "dang", NULL });
}

static void
answer_alarms (SabanAssistant *self, SabanAssistantPlace *place, GListStore *out)
{
  g_autoptr(SabanAssistantResult) r = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *title = NULL, *subtitle = NULL, *source = NULL;
  guint danger = 0, alert = 0, listed = 0;
  gint64 latest = 0;
  double extent[4];
  gboolean any = FALSE;

  if (self->sensors == NULL)
    return;
  for (guint i = 0; i < saban_sensor_store_get_n_sensors (self->sensors); i++)
    {
      const SabanSensor *s = saban_sensor_store_get_sensor (self->sensors, i);

      if (s->state < SABAN_SENSOR_STATE_ALERT ||
          (place != NULL && place->indicators != SABAN_PROVINCE && g_strcmp0 (s->commune, place->code) != 0))
        continue;
      if (s->state == SABAN_SENSOR_STATE_DANGER)
        danger++;
      else
        alert++;
      latest = MAX (latest, s->time_us);
      extent_add (extent, &any, s->lon, s->lat);
      if (listed++ < 3)
        g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", s->name);
    }
  if (place != NULL && place->indicators != SABAN_PROVINCE)
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u station in %s is in alarm",
                                          "%u stations in %s are in alarm", danger + alert),
                             danger + alert, place->name);
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u station is in alarm", "%u stations are in alarm",
                                          danger + alert), danger + alert);
  subtitle = danger + alert > 0 ? g_strdup_printf (_("%u in danger, %u on alert: %s%s"), danger, alert, names->str,
                                                  listed > 3 ? "…" : "")
                                : g_strdup (_("Every station reads below its alert level"));
  source = g_strdup_printf (_("Live stations, SensorThings API of the IOC server %s"), server_name (self));
  r = saban_assistant_result_new (SABAN_ASSISTANT_ANSWER, title, subtitle);
  saban_assistant_result_set_figure (r, danger + alert, source,
                                     latest > 0 ? latest : saban_sensor_store_get_latest_time (self->sensors));
  if (any)
    saban_assistant_result_set_extent (r, extent);
  g_list_store_append (out, r);
}

/* ---- scenarios running, tasks overdue --------------------------------------------- */

static void
geometry_extent (JsonNode *node, double *extent, gboolean *any)
{
  if (node == NULL)
    return;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      geometry_extent (json_object_get_member (json_node_get_object (node), "coordinates"), extent, any);
      return;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return;
  {
    JsonArray *a = json_node_get_array (node);
    guint n = json_array_get_length (a);

    /* a position: [lon, lat]; anything else nests positions */
    if (n >= 2 && JSON_NODE_HOLDS_VALUE (json_array_get_element (a, 0)) &&
        JSON_NODE_HOLDS_VALUE (json_array_get_element (a, 1)))
      {
        extent_add (extent, any, json_array_get_double_element (a, 0), json_array_get_double_element (a, 1));
        return;
      }
    for (guint i = 0; i < n; i++)
      geometry_extent (json_array_get_element (a, i), extent, any);
  }
}

static gboolean
asks_running_scenarios (const SabanAssistantQuery *query)
{
  return saban_assistant_has_phrase (query, "kich ban") &&
         has_any (query, (const char *const[]) { "dang chay", "dang hoat dong", "dang kich hoat", "dang dien ra",
                                                 "dang thuc hien", "hoat dong", NULL });
}

static void
answer_scenarios (SabanAssistant *self, GListStore *out)
{
  static const char *const active[] = { "active", NULL };
  g_autoptr(GListModel) running = NULL;
  g_autoptr(SabanAssistantResult) r = NULL;
  g_autoptr(GString) titles = g_string_new (NULL);
  g_autofree char *title = NULL, *source = NULL;
  gint64 latest = 0;
  double extent[4];
  gboolean any = FALSE;
  guint n;

  if (self->store == NULL)
    return;
  running = saban_command_store_list (self->store, SABAN_COMMAND_SCENARIOS, 0, active);
  n = g_list_model_get_n_items (running);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SabanCommandItem) s = g_list_model_get_item (running, i);

      latest = MAX (latest, saban_command_item_get_time (s, "updated"));
      geometry_extent (saban_command_item_get_geometry (s), extent, &any);
      if (i < 3)
        g_string_append_printf (titles, "%s%s", titles->len > 0 ? "; " : "", saban_command_item_get_title (s));
    }
  if (n > 3)
    g_string_append (titles, "…");
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u scenario is running", "%u scenarios are running", n), n);
  source = g_strdup_printf (_("Operating scenarios, Command API of the IOC server %s"), server_name (self));
  r = saban_assistant_result_new (SABAN_ASSISTANT_ANSWER, title,
                                  n > 0 ? titles->str : _("No scenario is active"));
  saban_assistant_result_set_figure (r, n, source, latest > 0 ? latest : g_get_real_time ());
  if (any)
    saban_assistant_result_set_extent (r, extent);
  if (n == 1)
    {
      g_autoptr(SabanCommandItem) s = g_list_model_get_item (running, 0);
      g_autofree char *action = g_strdup_printf ("app.scenario(int64 %" G_GINT64_FORMAT ")",
                                                 saban_command_item_get_id (s));

      saban_assistant_result_set_action (r, action);
      saban_assistant_result_set_item (r, saban_command_item_get_id (s));
    }
  else
    saban_assistant_result_set_action (r, "app.scenarios");
  g_list_store_append (out, r);
}

static void
answer_overdue (SabanAssistant *self, GListStore *out)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GPtrArray) overdue = NULL;
  g_autoptr(SabanAssistantResult) r = NULL;
  g_autoptr(GString) titles = g_string_new (NULL);
  g_autofree char *title = NULL, *source = NULL;

  if (self->store == NULL)
    return;
  overdue = saban_command_store_get_overdue_tasks (self->store, 0, now);
  for (guint i = 0; i < overdue->len && i < 3; i++)
    g_string_append_printf (titles, "%s%s", titles->len > 0 ? "; " : "",
                            saban_command_item_get_title (g_ptr_array_index (overdue, i)));
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u task is overdue", "%u tasks are overdue", overdue->len),
                           overdue->len);
  source = g_strdup_printf (_("Tasks, Command API of the IOC server %s"), server_name (self));
  r = saban_assistant_result_new (SABAN_ASSISTANT_ANSWER, title,
                                  overdue->len > 0 ? titles->str : _("Every open task is within its time"));
  saban_assistant_result_set_figure (r, overdue->len, source, g_date_time_to_unix (now) * G_USEC_PER_SEC);
  saban_assistant_result_set_action (r, "app.scenarios");
  g_list_store_append (out, r);
}

/* ---- facilities, area ---------------------------------------------------------------- */

static int
asks_facility (const SabanAssistantQuery *query)
{
  for (guint i = 0; i < G_N_ELEMENTS (facilities); i++)
    if (has_any (query, facilities[i].words))
      return (int) i;
  return -1;
}

static gint64
loaded_at (SabanVectorLayer *layer)
{
  GDateTime *at = saban_vector_layer_get_loaded_at (layer);

  return at != NULL ? g_date_time_to_unix (at) * G_USEC_PER_SEC + g_date_time_get_microsecond (at) : 0;
}

static void
answer_facilities (SabanAssistant *self, guint kind, SabanAssistantPlace *place, GListStore *out)
{
  const char *layer_title = NULL;
  SabanVectorLayer *layer = saban_assistant_find_layer (self, facilities[kind].layer, &layer_title);
  const SabanAttributeTable *t;
  int commune_field, name_field;
  gboolean all = place == NULL || place->indicators == SABAN_PROVINCE;
  g_autoptr(SabanAssistantResult) r = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *title = NULL, *source = NULL;
  gint64 only = -1;
  guint n = 0;
  double extent[4];
  gboolean any = FALSE;

  if (layer == NULL)
    return;
  t = saban_vector_layer_get_attributes (layer);
  commune_field = saban_attribute_table_find_field (t, "commune_code");
  name_field = saban_attribute_table_find_field (t, "name");
  if (!all && commune_field < 0)
    return;
  for (guint32 row = 0; row < saban_vector_layer_get_n_features (layer); row++)
    {
      double box[4];

      if (!all && g_strcmp0 (saban_attribute_table_get_string (t, commune_field, row), place->code) != 0)
        continue;
      if (n++ == 0)
        only = row;
      if (saban_assistant_feature_extent (layer, row, box))
        {
          extent_add (extent, &any, box[0], box[1]);
          extent_add (extent, &any, box[2], box[3]);
        }
      if (n <= 3 && name_field >= 0 && !saban_attribute_table_is_null (t, name_field, row))
        g_string_append_printf (names, "%s%s", names->len > 0 ? "; " : "",
                                saban_attribute_table_get_string (t, name_field, row));
    }
  if (n > 3)
    g_string_append (names, "…");
  /* TRANSLATORS: a layer's title (Schools), a place, how many */
  title = g_strdup_printf (_("%s in %s: %u"), layer_title, all ? _("the province") : place->name, n);
  source = saban_assistant_layer_source (self, layer, layer_title);
  r = saban_assistant_result_new (SABAN_ASSISTANT_ANSWER, title, n > 0 ? names->str : _("None on record"));
  saban_assistant_result_set_figure (r, n, source, loaded_at (layer));
  if (n == 1)
    saban_assistant_result_set_feature (r, layer, only);
  if (any)
    saban_assistant_result_set_extent (r, extent);
  else if (!all)
    place_extent (r, place);
  g_list_store_append (out, r);
}

static void
answer_area (SabanAssistant *self, SabanAssistantPlace *place, GListStore *out)
{
  const char *layer_title = NULL;
  SabanVectorLayer *layer = saban_assistant_find_layer (self, "communes", &layer_title);
  const SabanAttributeTable *t;
  int field;
  double km2;
  g_autoptr(SabanAssistantResult) r = NULL;
  g_autofree char *area = NULL, *title = NULL, *source = NULL;

  if (layer == NULL || place->layer != layer || place->feature < 0)
    return;
  t = saban_vector_layer_get_attributes (layer);
  field = saban_attribute_table_find_field (t, "area_km2");
  if (field < 0 || saban_attribute_table_is_null (t, field, place->feature))
    return;
  km2 = saban_attribute_table_get_real (t, field, place->feature);
  area = saban_format_area (km2 * 1e6);
  title = g_strdup_printf (_("Area of %s: %s"), place->name, area);
  source = saban_assistant_layer_source (self, layer, layer_title);
  r = saban_assistant_result_new (SABAN_ASSISTANT_ANSWER, title, NULL);
  saban_assistant_result_set_figure (r, km2, source, loaded_at (layer));
  place_extent (r, place);
  g_list_store_append (out, r);
}

/* ---- indicators, and population ------------------------------------------------------ */

/* the query's words that say which figure, without the place and fillers */
static GStrv
asked_words (const SabanAssistantQuery *query, SabanAssistantPlace *place)
{
  g_autofree char *rest = g_strdup (query->folded);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) words = NULL;

  if (place != NULL)
    {
      g_autofree char *full = saban_text_fold (place->name);
      const char *phrase = strstr (rest, full) != NULL ? full : place->folded;
      char *at = strstr (rest, phrase);

      if (at != NULL)
        memset (at, ' ', strlen (phrase));
    }
  for (guint i = 0; filler_phrases[i] != NULL; i++)
    for (char *at = strstr (rest, filler_phrases[i]); at != NULL; at = strstr (at, filler_phrases[i]))
      memset (at, ' ', strlen (filler_phrases[i]));
  words = g_regex_split_simple ("[^[:alnum:]]+", rest, 0, 0);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0' && !g_strv_contains (filler_words, words[i]))
      g_strv_builder_add (b, words[i]);
  return g_strv_builder_end (b);
}

/* the indicator all of @words name, the most specific (fewest other
 * words); one word alone is a search, not a question */
static gboolean
find_indicator (SabanAssistant *self, const char *const *words, guint *index)
{
  gsize best = G_MAXSIZE;

  for (guint i = 0; self->indicators != NULL && g_strv_length ((char **) words) >= 2 &&
                    i < saban_indicator_set_get_n_indicators (self->indicators); i++)
    {
      g_autofree char *name = saban_text_fold (saban_indicator_set_get_indicator (self->indicators, i)->name);

      if (saban_assistant_has_words (name, words) && strlen (name) < best)
        {
          best = strlen (name);
          *index = i;
        }
    }
  return best != G_MAXSIZE;
}

/* the latest period @place has a value for, going back at most a year's worth */
static gboolean
latest_value (SabanAssistant *self, guint indicator, int place, SabanPeriod *period, double *value)
{
  const SabanIndicator *ind = saban_indicator_set_get_indicator (self->indicators, indicator);

  if (!ind->has_last_period)
    return FALSE;
  *period = ind->last_period;
  for (int back = 0; back < 12; back++)
    {
      *value = saban_indicator_set_get_value (self->indicators, indicator, place, period);
      if (!isnan (*value))
        return TRUE;
      *period = saban_period_offset (period, -1);
    }
  return FALSE;
}

static void
answer_indicator (SabanAssistant *self, guint indicator, SabanAssistantPlace *place, GListStore *out)
{
  const SabanIndicator *ind = saban_indicator_set_get_indicator (self->indicators, indicator);
  int where = place != NULL && place->indicators >= SABAN_PROVINCE ? place->indicators : SABAN_PROVINCE;
  const SabanAdminUnit *unit = where == SABAN_PROVINCE ? saban_indicator_set_get_province (self->indicators)
                                                       : saban_indicator_set_get_commune (self->indicators, where);
  g_autoptr(SabanAssistantResult) r = NULL;
  g_autofree char *title = NULL, *when = NULL, *figure = NULL, *source = NULL, *catalogue = NULL;
  SabanPeriod period;
  double value;
  gint64 at = 0;

  if (!latest_value (self, indicator, where, &period, &value))
    return;
  when = saban_period_format (&period);
  figure = format_figure (value, ind->unit);
  /* TRANSLATORS: an indicator, a place, a period ("tháng 11/2026"), the figure with its unit */
  title = g_strdup_printf (_("%s — %s, %s: %s"), ind->name, unit != NULL ? unit->name : _("the province"), when,
                           figure);
  catalogue = g_strdup_printf (_("indicator catalogue of the IOC server %s"), server_name (self));
  source = g_strjoinv ("; ", (char **) (const char *const[]) {
                         ind->agency != NULL && *ind->agency != '\0' ? ind->agency : catalogue,
                         ind->source != NULL && *ind->source != '\0' ? ind->source : catalogue,
                         catalogue, NULL });
  /* when the figure came: its upload, else the catalogue's, else when it was read */
  saban_indicator_set_get_upload (self->indicators, indicator, &period, &at);
  if (at <= 0)
    at = ind->last_update_us > 0 ? ind->last_update_us : saban_indicator_set_get_taken_at (self->indicators);
  r = saban_assistant_result_new (SABAN_ASSISTANT_ANSWER, title, ind->sector);
  saban_assistant_result_set_figure (r, value, source, at);
  if (place != NULL)
    place_extent (r, place);
  g_list_store_append (out, r);
}

/* without indicators: the population the place list holds (the server's
 * administrative units, or the communes layer) */
static void
answer_population (SabanAssistant *self, SabanAssistantPlace *place, GListStore *out)
{
  const char *layer_title = NULL;
  SabanVectorLayer *layer = saban_assistant_find_layer (self, "communes", &layer_title);
  g_autoptr(SabanAssistantResult) r = NULL;
  g_autofree char *figure = NULL, *title = NULL, *source = NULL;

  if (isnan (place->population))
    return;
  figure = saban_format_number (place->population, 0);
  title = g_strdup_printf (_("Population of %s: %s people"), place->name, figure);
  source = place->indicators >= SABAN_PROVINCE || layer == NULL
           ? g_strdup_printf (_("Administrative units of the IOC server %s"), server_name (self))
           : saban_assistant_layer_source (self, layer, layer_title);
  r = saban_assistant_result_new (SABAN_ASSISTANT_ANSWER, title, NULL);
  saban_assistant_result_set_figure (r, place->population, source,
                                     place->indicators >= SABAN_PROVINCE && self->indicators != NULL
                                     ? saban_indicator_set_get_taken_at (self->indicators)
                                     : layer != NULL ? loaded_at (layer) : 0);
  place_extent (r, place);
  g_list_store_append (out, r);
}

/**
 * saban_assistant_answer:
 *
 * Appends to @out the answer to @query, if it is a question the IOC's data
 * answers.
 */
void
saban_assistant_answer (SabanAssistant *self, const SabanAssistantQuery *query, GListStore *out)
{
  SabanAssistantPlace *place = find_place (self, query);
  g_auto(GStrv) words = NULL;
  int facility;
  guint indicator;

  if (asks_alarms (query))
    {
      answer_alarms (self, place, out);
      return;
    }
  if (asks_running_scenarios (query))
    {
      answer_scenarios (self, out);
      return;
    }
  if (saban_assistant_has_phrase (query, "nhiem vu") && saban_assistant_has_phrase (query, "qua han"))
    {
      answer_overdue (self, out);
      return;
    }
  words = asked_words (query, place);
  if (words[0] == NULL)
    return;
  /* "diện tích" alone is the commune's area, not an indicator's */
  if (place != NULL && g_strv_length (words) == 2 && saban_assistant_has_phrase (query, "dien tich"))
    answer_area (self, place, out);
  /* an indicator named in full before a facility ("bảo hiểm y tế" is no clinic) */
  else if (find_indicator (self, (const char *const *) words, &indicator))
    answer_indicator (self, indicator, place, out);
  else if ((facility = asks_facility (query)) >= 0)
    answer_facilities (self, facility, place, out);
  else if (place != NULL && saban_assistant_has_phrase (query, "dan so"))
    answer_population (self, place, out);
}
