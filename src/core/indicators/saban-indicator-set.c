/* saban-indicator-set.c: the indicator catalogue and its values, as the
 * leaders' desk and the meeting report read them.
 *
 * Each indicator's values sit in one block: a row per period from the first
 * held to the last (so a period is found by subtraction), a column for the
 * province's uploaded value and one per commune, NAN where nothing is held.
 * 30 indicators × 24 months × 99 communes is 72 000 doubles; every question
 * the desk asks (a value, a change, classes, a ranking) reads one row.
 *
 * Everything comes from saban-server's JSON and is checked here: a bad
 * indicator or series is left out with a message, its siblings kept.
 */
#include "saban-indicator-set.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "saban-error.h"
#include "saban-json.h"

#define LOG_DOMAIN     "saban-indicators"
#define MAX_TEXT       1024
#define MAX_INDICATORS 1000
#define MAX_COMMUNES   10000
#define MAX_CELLS      (8 * 1024 * 1024)   /* 64 MB of values across all series */

typedef struct
{
  SabanIndicator  def;
  gint32          first;        /* ordinal of the first period in the block */
  guint           n;            /* periods in the block */
  double         *cells;        /* n × (1 + communes): province uploaded, then communes */
  gint64         *uploaded_at;  /* n, µs; 0 = unknown */
  const char    **uploaded_by;  /* n, in the set's string chunk */
} Series;

struct _SabanIndicatorSet
{
  GObject         parent_instance;
  GArray         *series;       /* Series */
  GArray         *communes;     /* SabanAdminUnit */
  SabanAdminUnit  province;
  double         *populations;  /* per commune, for weighting */
  GHashTable     *by_code;      /* indicator code → index + 1 */
  GHashTable     *commune_by_code;
  GStringChunk   *strings;
  gsize           cells;        /* allocated so far, against MAX_CELLS */
  gint64          taken_at_us;
};

G_DEFINE_FINAL_TYPE (SabanIndicatorSet, saban_indicator_set, G_TYPE_OBJECT)

static void
series_clear (gpointer data)
{
  Series *s = data;

  saban_indicator_clear (&s->def);
  g_free (s->cells);
  g_free (s->uploaded_at);
  g_free (s->uploaded_by);
}

static void
unit_clear (gpointer data)
{
  SabanAdminUnit *u = data;

  g_free (u->code);
  g_free (u->name);
}

static void
saban_indicator_set_finalize (GObject *object)
{
  SabanIndicatorSet *self = SABAN_INDICATOR_SET (object);

  g_clear_pointer (&self->series, g_array_unref);
  g_clear_pointer (&self->communes, g_array_unref);
  unit_clear (&self->province);
  g_free (self->populations);
  g_clear_pointer (&self->by_code, g_hash_table_unref);
  g_clear_pointer (&self->commune_by_code, g_hash_table_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  G_OBJECT_CLASS (saban_indicator_set_parent_class)->finalize (object);
}

static void
saban_indicator_set_class_init (SabanIndicatorSetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_indicator_set_finalize;
}

static void
saban_indicator_set_init (SabanIndicatorSet *self)
{
  self->series = g_array_new (FALSE, TRUE, sizeof (Series));
  g_array_set_clear_func (self->series, series_clear);
  self->communes = g_array_new (FALSE, TRUE, sizeof (SabanAdminUnit));
  g_array_set_clear_func (self->communes, unit_clear);
  self->province.population = NAN;
  self->by_code = g_hash_table_new (g_str_hash, g_str_equal);
  self->commune_by_code = g_hash_table_new (g_str_hash, g_str_equal);
  self->strings = g_string_chunk_new (4096);
}

/* ---- reading the server's JSON -------------------------------------------- */

static const char *
get_text (JsonObject *o,
          const char *name)
{
  return saban_json_get_string (o, name, MAX_TEXT);
}

static char *
text_or_empty (JsonObject *o,
               const char *name)
{
  const char *text = get_text (o, name);

  return g_strdup (text != NULL ? text : "");
}

static gpointer
lookup_code (GHashTable *table,
             const char *code)
{
  return code != NULL ? g_hash_table_lookup (table, code) : NULL;
}

static gboolean
read_unit (JsonNode       *node,
           SabanAdminUnit *unit)
{
  JsonObject *o;
  const char *code, *name;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  o = json_node_get_object (node);
  code = get_text (o, "code");
  name = get_text (o, "name");
  if (code == NULL || *code == '\0' || strlen (code) > 64)
    return FALSE;
  unit->code = g_strdup (code);
  unit->name = g_strdup (name != NULL ? name : code);
  unit->population = saban_json_get_number (o, "population");
  return TRUE;
}

static void
read_communes (SabanIndicatorSet *self,
               JsonArray         *list)
{
  for (guint i = 0; i < json_array_get_length (list) && self->communes->len < MAX_COMMUNES; i++)
    {
      SabanAdminUnit u = { 0 };

      if (!read_unit (json_array_get_element (list, i), &u) ||
          g_hash_table_contains (self->commune_by_code, u.code))
        {
          g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "indicators: commune %u left out: no code, or one seen before", i);
          unit_clear (&u);
          continue;
        }
      g_array_append_val (self->communes, u);
      g_hash_table_insert (self->commune_by_code, u.code, GUINT_TO_POINTER (self->communes->len));
    }
  self->populations = g_new (double, MAX (self->communes->len, 1));
  for (guint i = 0; i < self->communes->len; i++)
    self->populations[i] = g_array_index (self->communes, SabanAdminUnit, i).population;
}

/* The definition's members; FALSE (with the reason) when one it needs is missing or wrong. */
static gboolean
read_definition (JsonObject     *o,
                 SabanIndicator *def,
                 const char    **why)
{
  const char *code = get_text (o, "code"), *name = get_text (o, "name"), *unit = get_text (o, "unit");
  JsonNode *hib = json_object_get_member (o, "higherIsBetter");
  double due = saban_json_get_number (o, "dueDays");

  if (code == NULL || *code == '\0' || strlen (code) > 64 || name == NULL || unit == NULL)
    return (*why = "code, name or unit missing"), FALSE;
  if (!saban_period_kind_parse (get_text (o, "period"), &def->period_kind))
    return (*why = "period is not day, month, quarter or year"), FALSE;
  if (!saban_aggregate_parse (get_text (o, "aggregate"), &def->aggregate))
    return (*why = "aggregate is not sum, mean or weighted"), FALSE;
  if (hib == NULL || !JSON_NODE_HOLDS_VALUE (hib) || json_node_get_value_type (hib) != G_TYPE_BOOLEAN)
    return (*why = "higherIsBetter is not a boolean"), FALSE;
  def->code = g_strdup (code);
  def->name = g_strdup (name);
  def->unit = g_strdup (unit);
  def->sector = text_or_empty (o, "sector");
  def->agency = text_or_empty (o, "agency");
  def->source = text_or_empty (o, "source");
  def->updated_by = g_strdup (get_text (o, "updatedBy"));
  def->higher_is_better = json_node_get_boolean (hib);
  def->target = saban_json_get_number (o, "target");
  def->warning = saban_json_get_number (o, "warning");
  def->due_days = isnan (due) ? saban_indicator_default_due_days (def->period_kind) : (int) CLAMP (due, 0, 3660);
  def->last_update_us = saban_json_parse_time (get_text (o, "lastUpdate"));
  return TRUE;
}

static void
read_indicators (SabanIndicatorSet *self,
                 JsonArray         *list)
{
  for (guint i = 0; i < json_array_get_length (list) && self->series->len < MAX_INDICATORS; i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      Series s = { 0 };
      const char *why = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        why = "not an object";
      else if (read_definition (json_node_get_object (node), &s.def, &why) &&
               g_hash_table_contains (self->by_code, s.def.code))
        why = "a code seen before";
      if (why != NULL)
        {
          g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "indicators: indicator %u left out: %s", i, why);
          series_clear (&s);
          continue;
        }
      g_array_append_val (self->series, s);
      g_hash_table_insert (self->by_code, s.def.code, GUINT_TO_POINTER (self->series->len));
    }
}

static gboolean
read_catalogue (SabanIndicatorSet *self,
                JsonNode          *catalogue)
{
  JsonObject *o;
  JsonNode *communes, *indicators;

  if (catalogue == NULL || !JSON_NODE_HOLDS_OBJECT (catalogue))
    return FALSE;
  o = json_node_get_object (catalogue);
  communes = json_object_get_member (o, "communes");
  indicators = json_object_get_member (o, "indicators");
  if (communes == NULL || !JSON_NODE_HOLDS_ARRAY (communes) || indicators == NULL ||
      !JSON_NODE_HOLDS_ARRAY (indicators))
    return FALSE;
  if (!read_unit (json_object_get_member (o, "province"), &self->province))
    {
      self->province.code = g_strdup ("");
      self->province.name = g_strdup ("");
    }
  self->taken_at_us = saban_json_parse_time (get_text (o, "generated"));
  read_communes (self, json_node_get_array (communes));
  read_indicators (self, json_node_get_array (indicators));
  return TRUE;
}

/* The periods of one series, parsed and of its indicator's kind; FALSE on any bad one. */
static gboolean
read_periods (JsonArray       *list,
              SabanPeriodKind  kind,
              SabanPeriod     *out,
              gint32          *lo,
              gint32          *hi)
{
  *lo = G_MAXINT32;
  *hi = G_MININT32;
  for (guint p = 0; p < json_array_get_length (list); p++)
    {
      JsonNode *node = json_array_get_element (list, p);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
          !saban_period_parse (json_node_get_string (node), &out[p]) || out[p].kind != kind)
        return FALSE;
      *lo = MIN (*lo, out[p].ordinal);
      *hi = MAX (*hi, out[p].ordinal);
    }
  return TRUE;
}

/* Where the values response's columns go in ours: a commune index, or -1. */
static gint *
map_columns (SabanIndicatorSet *self,
             JsonArray         *codes)
{
  guint n = json_array_get_length (codes);
  gint *map = g_new (gint, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (codes, i);
      gpointer found = NULL;

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        found = g_hash_table_lookup (self->commune_by_code, json_node_get_string (node));
      map[i] = found != NULL ? GPOINTER_TO_INT (found) - 1 : -1;
    }
  return map;
}

static const char *
array_text (JsonArray *list,
            guint      index)
{
  JsonNode *node = list != NULL && index < json_array_get_length (list) ? json_array_get_element (list, index) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      strlen (json_node_get_string (node)) > MAX_TEXT || !g_utf8_validate (json_node_get_string (node), -1, NULL))
    return NULL;
  return json_node_get_string (node);
}

static JsonArray *
member_array (JsonObject *o,
              const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* One period's row: the province's uploaded value, then the columns in ours. */
static gboolean
fill_row (Series    *s,
          guint      stride,
          gint32     ordinal,
          JsonNode  *row,
          JsonNode  *province,
          const gint *map,
          guint      n_columns)
{
  double *cells = s->cells + (gsize) (ordinal - s->first) * stride;
  JsonArray *values;

  if (row == NULL || !JSON_NODE_HOLDS_ARRAY (row) || json_array_get_length (values = json_node_get_array (row)) != n_columns)
    return FALSE;
  cells[0] = saban_json_node_number (province);
  for (guint c = 0; c < n_columns; c++)
    if (map[c] >= 0)
      cells[1 + map[c]] = saban_json_node_number (json_array_get_element (values, c));
  return TRUE;
}

static gboolean
read_series (SabanIndicatorSet *self,
             JsonObject        *o,
             const gint        *map,
             guint              n_columns,
             const char       **why)
{
  gpointer found = lookup_code (self->by_code, get_text (o, "indicator"));
  JsonArray *periods = member_array (o, "periods"), *rows = member_array (o, "values");
  JsonArray *province = member_array (o, "province"), *at = member_array (o, "uploadedAt");
  JsonArray *by = member_array (o, "uploadedBy");
  guint stride = 1 + self->communes->len, n;
  g_autofree SabanPeriod *parsed = NULL;
  gint32 lo, hi;
  Series *s;

  if (found == NULL)
    return (*why = "no such indicator in the catalogue"), FALSE;
  s = &g_array_index (self->series, Series, GPOINTER_TO_UINT (found) - 1);
  if (s->cells != NULL)
    return (*why = "a second series for the indicator"), FALSE;
  if (periods == NULL || rows == NULL || (n = json_array_get_length (periods)) != json_array_get_length (rows) ||
      n == 0)
    return (*why = "periods and values missing or of different lengths"), FALSE;
  parsed = g_new (SabanPeriod, n);
  if (!read_periods (periods, s->def.period_kind, parsed, &lo, &hi))
    return (*why = "a period that is not of the indicator's kind"), FALSE;
  if ((gint64) hi - lo + 1 > (gint64) (MAX_CELLS - self->cells) / stride)
    return (*why = "too many periods"), FALSE;
  s->first = lo;
  s->n = (guint) (hi - lo + 1);
  self->cells += (gsize) s->n * stride;
  s->cells = g_new (double, (gsize) s->n * stride);
  for (gsize i = 0; i < (gsize) s->n * stride; i++)
    s->cells[i] = NAN;
  s->uploaded_at = g_new0 (gint64, s->n);
  s->uploaded_by = g_new0 (const char *, s->n);
  for (guint p = 0; p < n; p++)
    {
      const char *who = array_text (by, p);

      if (!fill_row (s, stride, parsed[p].ordinal, json_array_get_element (rows, p),
                     province != NULL && p < json_array_get_length (province)
                       ? json_array_get_element (province, p) : NULL, map, n_columns))
        return (*why = "a row of values that does not match the communes"), FALSE;
      s->uploaded_at[parsed[p].ordinal - lo] = saban_json_parse_time (array_text (at, p));
      s->uploaded_by[parsed[p].ordinal - lo] = who != NULL ? g_string_chunk_insert_const (self->strings, who) : NULL;
    }
  s->def.has_last_period = TRUE;
  s->def.last_period = (SabanPeriod) { s->def.period_kind, hi };
  return TRUE;
}

static void
forget_series (Series *s)
{
  g_clear_pointer (&s->cells, g_free);
  g_clear_pointer (&s->uploaded_at, g_free);
  g_clear_pointer (&s->uploaded_by, g_free);
  s->n = 0;
  s->def.has_last_period = FALSE;
}

static gboolean
read_values (SabanIndicatorSet *self,
             JsonNode          *values)
{
  JsonObject *o;
  JsonArray *codes, *list;
  g_autofree gint *map = NULL;

  if (values == NULL || !JSON_NODE_HOLDS_OBJECT (values))
    return FALSE;
  o = json_node_get_object (values);
  if ((codes = member_array (o, "communes")) == NULL || (list = member_array (o, "series")) == NULL)
    return FALSE;
  map = map_columns (self, codes);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      const char *why = "not an object";

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          read_series (self, json_node_get_object (node), map, json_array_get_length (codes), &why))
        continue;
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          gpointer found = lookup_code (self->by_code, get_text (json_node_get_object (node), "indicator"));

          if (found != NULL && g_strcmp0 (why, "a second series for the indicator") != 0)
            forget_series (&g_array_index (self->series, Series, GPOINTER_TO_UINT (found) - 1));
        }
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "indicators: series %u left out: %s", i, why);
    }
  return TRUE;
}

/**
 * saban_indicator_set_new_from_json:
 * @catalogue: saban-server's `GET /indicators` answer
 * @values: its `GET /indicators/values` answer
 *
 * An indicator, commune or series that is malformed is left out with a
 * `saban-indicators` message; the rest is kept.
 *
 * Returns: (transfer full) (nullable): the set, or %NULL with @error set
 *   (translated) when either answer is not the shape it should be
 */
SabanIndicatorSet *
saban_indicator_set_new_from_json (JsonNode  *catalogue,
                                   JsonNode  *values,
                                   GError   **error)
{
  g_autoptr(SabanIndicatorSet) self = g_object_new (SABAN_TYPE_INDICATOR_SET, NULL);

  if (!read_catalogue (self, catalogue))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("The server’s indicator catalogue is not readable"));
      return NULL;
    }
  if (!read_values (self, values))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("The server’s indicator values are not readable"));
      return NULL;
    }
  return g_steal_pointer (&self);
}

/* ---- asking it ----------------------------------------------------------------- */

/**
 * saban_indicator_set_get_taken_at:
 *
 * Returns: when the server read the data, µs since the epoch (0 = unknown)
 */
gint64
saban_indicator_set_get_taken_at (SabanIndicatorSet *self)
{
  return self->taken_at_us;
}

guint
saban_indicator_set_get_n_indicators (SabanIndicatorSet *self)
{
  return self->series->len;
}

/**
 * saban_indicator_set_get_indicator:
 *
 * Returns: (transfer none): the indicator at @index
 */
const SabanIndicator *
saban_indicator_set_get_indicator (SabanIndicatorSet *self,
                                   guint              index)
{
  g_return_val_if_fail (index < self->series->len, NULL);
  return &g_array_index (self->series, Series, index).def;
}

/**
 * saban_indicator_set_find:
 *
 * Returns: %TRUE with @index set when the catalogue has @code
 */
gboolean
saban_indicator_set_find (SabanIndicatorSet *self,
                          const char        *code,
                          guint             *index)
{
  gpointer found = code != NULL ? g_hash_table_lookup (self->by_code, code) : NULL;

  if (found != NULL)
    *index = GPOINTER_TO_UINT (found) - 1;
  return found != NULL;
}

guint
saban_indicator_set_get_n_communes (SabanIndicatorSet *self)
{
  return self->communes->len;
}

/**
 * saban_indicator_set_get_commune:
 *
 * Returns: (transfer none): the commune at @index, in the server's order
 */
const SabanAdminUnit *
saban_indicator_set_get_commune (SabanIndicatorSet *self,
                                 guint              index)
{
  g_return_val_if_fail (index < self->communes->len, NULL);
  return &g_array_index (self->communes, SabanAdminUnit, index);
}

/**
 * saban_indicator_set_get_province:
 *
 * Returns: (transfer none): the province (its code empty when the server has none)
 */
const SabanAdminUnit *
saban_indicator_set_get_province (SabanIndicatorSet *self)
{
  return &self->province;
}

/**
 * saban_indicator_set_find_commune:
 *
 * Returns: %TRUE with @index set when @code is a commune's
 */
gboolean
saban_indicator_set_find_commune (SabanIndicatorSet *self,
                                  const char        *code,
                                  guint             *index)
{
  gpointer found = code != NULL ? g_hash_table_lookup (self->commune_by_code, code) : NULL;

  if (found != NULL)
    *index = GPOINTER_TO_UINT (found) - 1;
  return found != NULL;
}

/**
 * saban_indicator_set_get_span:
 * @first: (out): the first period any value is held for
 * @n_periods: (out): how many periods from it to the last held
 *
 * What a time slider steps through.
 *
 * Returns: %FALSE when the indicator has no values
 */
gboolean
saban_indicator_set_get_span (SabanIndicatorSet *self,
                              guint              indicator,
                              SabanPeriod       *first,
                              guint             *n_periods)
{
  const Series *s = &g_array_index (self->series, Series, indicator);

  if (s->cells == NULL)
    return FALSE;
  *first = (SabanPeriod) { s->def.period_kind, s->first };
  *n_periods = s->n;
  return TRUE;
}

/* The period's row (province uploaded, then communes), or NULL when not held. */
static const double *
row (SabanIndicatorSet *self,
     guint              indicator,
     const SabanPeriod *period)
{
  const Series *s;

  g_return_val_if_fail (indicator < self->series->len, NULL);
  s = &g_array_index (self->series, Series, indicator);
  if (s->cells == NULL || period->kind != s->def.period_kind || period->ordinal < s->first ||
      period->ordinal >= s->first + (gint32) s->n)
    return NULL;
  return s->cells + (gsize) (period->ordinal - s->first) * (1 + self->communes->len);
}

/**
 * saban_indicator_set_get_uploaded:
 * @commune: a commune's index, or %SABAN_PROVINCE
 *
 * Returns: the value uploaded for the place and period, or NAN
 */
double
saban_indicator_set_get_uploaded (SabanIndicatorSet *self,
                                  guint              indicator,
                                  int                commune,
                                  const SabanPeriod *period)
{
  const double *r = row (self, indicator, period);

  g_return_val_if_fail (commune >= SABAN_PROVINCE && commune < (int) self->communes->len, NAN);
  return r != NULL ? r[1 + commune] : NAN;
}

/**
 * saban_indicator_set_get_aggregate:
 *
 * Returns: the communes' values for @period made into the province's by
 *   the indicator's rule, or NAN when no commune has one
 */
double
saban_indicator_set_get_aggregate (SabanIndicatorSet *self,
                                   guint              indicator,
                                   const SabanPeriod *period)
{
  const double *r = row (self, indicator, period);

  if (r == NULL)
    return NAN;
  return saban_aggregate_values (g_array_index (self->series, Series, indicator).def.aggregate, r + 1,
                                 self->populations, self->communes->len);
}

/**
 * saban_indicator_set_get_value:
 * @commune: a commune's index, or %SABAN_PROVINCE
 *
 * The province's value is the one uploaded for it, else the aggregate.
 *
 * Returns: the value, or NAN when none is held
 */
double
saban_indicator_set_get_value (SabanIndicatorSet *self,
                               guint              indicator,
                               int                commune,
                               const SabanPeriod *period)
{
  double v = saban_indicator_set_get_uploaded (self, indicator, commune, period);

  if (commune == SABAN_PROVINCE && isnan (v))
    return saban_indicator_set_get_aggregate (self, indicator, period);
  return v;
}

/**
 * saban_indicator_set_check_province:
 * @tolerance: the relative difference allowed, e.g. 0.005
 * @uploaded: (out) (optional): the province's uploaded value
 * @aggregate: (out) (optional): the communes' aggregate
 *
 * Whether the department's province figure agrees with its communes'.
 *
 * Returns: %TRUE when both are held and differ by more than @tolerance
 */
gboolean
saban_indicator_set_check_province (SabanIndicatorSet *self,
                                    guint              indicator,
                                    const SabanPeriod *period,
                                    double             tolerance,
                                    double            *uploaded,
                                    double            *aggregate)
{
  double u = saban_indicator_set_get_uploaded (self, indicator, SABAN_PROVINCE, period);
  double a = saban_indicator_set_get_aggregate (self, indicator, period);

  if (uploaded != NULL)
    *uploaded = u;
  if (aggregate != NULL)
    *aggregate = a;
  if (isnan (u) || isnan (a))
    return FALSE;
  return fabs (u - a) > tolerance * MAX (fabs (a), 1e-9);
}

/**
 * saban_indicator_set_get_upload:
 * @at_us: (out) (optional): when the period's values were uploaded, µs (0 = unknown)
 *
 * Returns: (nullable): who uploaded them
 */
const char *
saban_indicator_set_get_upload (SabanIndicatorSet *self,
                                guint              indicator,
                                const SabanPeriod *period,
                                gint64            *at_us)
{
  const Series *s = &g_array_index (self->series, Series, indicator);
  guint i;

  if (at_us != NULL)
    *at_us = 0;
  if (row (self, indicator, period) == NULL)
    return NULL;
  i = (guint) (period->ordinal - s->first);
  if (at_us != NULL)
    *at_us = s->uploaded_at[i];
  return s->uploaded_by[i];
}

static double
ratio (double change,
       double base)
{
  return isnan (change) || isnan (base) || base == 0 ? NAN : change / fabs (base);
}

/**
 * saban_indicator_set_summarise:
 * @commune: a commune's index, or %SABAN_PROVINCE
 * @summary: (out caller-allocates): the value and what it compares to
 *
 * The state is judged for the province, and for a commune only when the
 * indicator is a mean or a rate (a sum's target is the province's total).
 */
void
saban_indicator_set_summarise (SabanIndicatorSet     *self,
                               guint                  indicator,
                               int                    commune,
                               const SabanPeriod     *period,
                               SabanIndicatorSummary *summary)
{
  const SabanIndicator *def = saban_indicator_set_get_indicator (self, indicator);
  SabanPeriod before = saban_period_offset (period, -1), year = saban_period_year_before (period);

  summary->value = saban_indicator_set_get_value (self, indicator, commune, period);
  summary->previous = saban_indicator_set_get_value (self, indicator, commune, &before);
  summary->year_ago = saban_indicator_set_get_value (self, indicator, commune, &year);
  summary->change = summary->value - summary->previous;
  summary->change_ratio = ratio (summary->change, summary->previous);
  summary->change_year = summary->value - summary->year_ago;
  summary->change_year_ratio = ratio (summary->change_year, summary->year_ago);
  summary->progress = isnan (def->target) || def->target == 0 ? NAN : summary->value / def->target;
  summary->state = commune != SABAN_PROVINCE && def->aggregate == SABAN_AGGREGATE_SUM
                     ? SABAN_INDICATOR_STATE_NONE
                     : saban_indicator_judge (def, summary->value);
}

/**
 * saban_indicator_set_classify:
 * @classes: (out caller-allocates) (array) (nullable): one per commune: its
 *   class, 0 = lowest, or %SABAN_NO_CLASS without a value
 *
 * Choropleth classes of the communes' values for @period.
 *
 * Returns: (transfer full) (element-type double): the classes' upper bounds
 *   (see saban_classify()); empty when no commune has a value
 */
GArray *
saban_indicator_set_classify (SabanIndicatorSet   *self,
                              guint                indicator,
                              const SabanPeriod   *period,
                              guint                n_classes,
                              SabanClassifyMethod  method,
                              guint8              *classes)
{
  const double *r = row (self, indicator, period);
  guint n = self->communes->len;
  GArray *breaks;

  if (r == NULL)
    {
      if (classes != NULL)
        memset (classes, SABAN_NO_CLASS, n);
      return g_array_new (FALSE, FALSE, sizeof (double));
    }
  breaks = saban_classify (r + 1, n, n_classes, method);
  for (guint c = 0; classes != NULL && c < n; c++)
    classes[c] = isnan (r[1 + c]) ? SABAN_NO_CLASS : (guint8) saban_classify_class_of (breaks, r[1 + c]);
  return breaks;
}

typedef struct
{
  const double *values;
  double        sign;
} RankOrder;

static int
compare_rank (gconstpointer a,
              gconstpointer b,
              gpointer      data)
{
  const RankOrder *o = data;
  guint i = *(const guint *) a, j = *(const guint *) b;
  double x = o->sign * o->values[i], y = o->sign * o->values[j];

  if (x != y)
    return x > y ? -1 : 1;
  return (i > j) - (i < j);
}

/**
 * saban_indicator_set_rank:
 *
 * Returns: (transfer full) (element-type guint): the indices of the
 *   communes with a value for @period, best first (highest when higher is
 *   better), ties in the server's order
 */
GArray *
saban_indicator_set_rank (SabanIndicatorSet *self,
                          guint              indicator,
                          const SabanPeriod *period)
{
  const double *r = row (self, indicator, period);
  GArray *order = g_array_new (FALSE, FALSE, sizeof (guint));
  RankOrder o;

  if (r == NULL)
    return order;
  for (guint c = 0; c < self->communes->len; c++)
    if (!isnan (r[1 + c]))
      g_array_append_val (order, c);
  o.values = r + 1;
  o.sign = saban_indicator_set_get_indicator (self, indicator)->higher_is_better ? 1 : -1;
  g_array_sort_with_data (order, compare_rank, &o);
  return order;
}
