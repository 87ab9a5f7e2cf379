/* saban-command-store.c: the client's model of the Command API.
 *
 * Items are kept per collection by id. What the server says (HTTP pages,
 * MQTT messages, write answers) goes through apply_feature(), which checks
 * every member it relies on and refuses a bad Feature whole, with a
 * `saban-command` message naming the reason; an older version than the one
 * held changes nothing, so MQTT and catch-up may overlap in any order.
 *
 * The user's writes are shown before the server has them: a creation is an
 * item with a negative local id, a change a patch merged over the server's
 * version (SabanCommandItem). Each is known by its outbox key until settled:
 * delivered (the server's answer becomes the item; a local item takes the
 * server's id, and its tasks and sitreps the scenario's), refused (it goes)
 * or in conflict (it stays, marked). A patch to an item not loaded yet waits
 * in `orphans` until the item arrives.
 *
 * Over a thousand lines: pending, acknowledged, refused and conflicting
 * items and their orphans are one state machine over one table; split, the
 * rules that keep a kept change and a colleague's apart would be in two files.
 */
#include "saban-command-store.h"

#include "saban-command-item-private.h"
#include "saban-command-list.h"
#include "saban-command-schema.h"
#include "saban-json.h"

#include <string.h>

#define LOG_DOMAIN "saban-command"
#define MAX_STRING (64 * 1024)

typedef enum { T_STRING, T_STRING_OR_NULL, T_INT, T_INT_OR_NULL, T_TIME, T_OBJECT, T_ARRAY } FieldType;

typedef struct
{
  const char *name;
  FieldType   type;
  gboolean    required;
} Rule;

static const Rule playbook_rules[] = {
  { "code", T_STRING, TRUE }, { "title", T_STRING, TRUE }, { "kind", T_STRING }, { "category", T_STRING },
  { "tasks", T_ARRAY }, { "layers", T_ARRAY }, { "indicators", T_ARRAY }, { "version", T_INT },
  { "updated", T_TIME }, { NULL }
};
static const Rule scenario_rules[] = {
  { "title", T_STRING, TRUE }, { "status", T_STRING, TRUE }, { "version", T_INT, TRUE },
  { "updated", T_TIME, TRUE }, { "created", T_TIME }, { "playbook", T_STRING }, { "description", T_STRING },
  { "priority", T_INT }, { "activatedAt", T_TIME }, { "closedAt", T_TIME }, { "agencies", T_ARRAY }, { NULL }
};
static const Rule task_rules[] = {
  { "scenarioId", T_INT, TRUE }, { "title", T_STRING, TRUE }, { "status", T_STRING, TRUE },
  { "version", T_INT, TRUE }, { "updated", T_TIME, TRUE }, { "instructions", T_STRING }, { "kind", T_STRING },
  { "priority", T_INT }, { "progress", T_INT }, { "assignee", T_OBJECT }, { "dueAt", T_TIME },
  { "acceptedAt", T_TIME }, { "startedAt", T_TIME }, { "finishedAt", T_TIME }, { NULL }
};
static const Rule sitrep_rules[] = {
  { "scenarioId", T_INT, TRUE }, { "summary", T_STRING, TRUE }, { "version", T_INT, TRUE },
  { "created", T_TIME, TRUE }, { "reportNumber", T_INT }, { "reportVersion", T_STRING }, { NULL }
};
static const Rule log_rules[] = {
  { "scenarioId", T_INT_OR_NULL, TRUE }, { "taskId", T_INT_OR_NULL }, { "at", T_TIME, TRUE },
  { "actor", T_STRING_OR_NULL }, { "from", T_STRING_OR_NULL }, { "to", T_STRING_OR_NULL },
  { "note", T_STRING_OR_NULL }, { NULL }
};
/* what SabanAlarmList reads of them (saban_alarm_list_apply_acknowledgement) */
static const Rule acknowledgement_rules[] = {
  { "datastreamId", T_INT }, { "capIdentifier", T_STRING }, { "sensorName", T_STRING, TRUE },
  { "level", T_STRING, TRUE }, { "alarmLevel", T_STRING }, { "observedAt", T_TIME, TRUE },
  { "acknowledgedAt", T_TIME, TRUE }, { "acknowledgedBy", T_STRING, TRUE }, { "note", T_STRING },
  { "version", T_INT, TRUE }, { "updated", T_TIME, TRUE }, { NULL }
};
static const Rule *const rules[] = { playbook_rules, scenario_rules, task_rules, sitrep_rules, log_rules,
                                     acknowledgement_rules };
/* the property whose newest value is the catch-up watermark */
static const char *const time_field[] = { "updated", "updated", "updated", "created", "at", "updated" };

typedef struct
{
  gint64  scenario_id;   /* 0: any */
  GStrv   statuses;      /* NULL: any */
} ListFilter;

struct _SabanCommandStore
{
  GObject     parent_instance;
  GHashTable *items[SABAN_COMMAND_N_COLLECTIONS];  /* gint64 * → SabanCommandItem */
  GHashTable *by_key;      /* outbox key → SabanCommandItem it writes */
  GHashTable *conflicts;   /* keys in conflict */
  GHashTable *orphans;     /* "collection/id" → SabanCommandItem not loaded yet */
  GPtrArray  *lists;       /* SabanCommandList, weak */
  gint64      watermark[SABAN_COMMAND_N_COLLECTIONS];
  char       *watermark_text[SABAN_COMMAND_N_COLLECTIONS];
  gint64      next_local;
};

enum { PROP_0, PROP_N_PENDING, N_PROPS };
enum { SIGNAL_ITEM_CHANGED, SIGNAL_ITEM_REMOVED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanCommandStore, saban_command_store, G_TYPE_OBJECT)

static void
list_gone (gpointer data, GObject *where_the_list_was)
{
  g_ptr_array_remove (((SabanCommandStore *) data)->lists, where_the_list_was);
}

static void
saban_command_store_finalize (GObject *object)
{
  SabanCommandStore *self = SABAN_COMMAND_STORE (object);

  for (guint i = 0; i < self->lists->len; i++)
    g_object_weak_unref (g_ptr_array_index (self->lists, i), list_gone, self);
  g_ptr_array_unref (self->lists);
  for (guint c = 0; c < SABAN_COMMAND_N_COLLECTIONS; c++)
    {
      g_hash_table_unref (self->items[c]);
      g_free (self->watermark_text[c]);
    }
  g_hash_table_unref (self->by_key);
  g_hash_table_unref (self->conflicts);
  g_hash_table_unref (self->orphans);
  G_OBJECT_CLASS (saban_command_store_parent_class)->finalize (object);
}

static void
saban_command_store_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_N_PENDING:
      g_value_set_uint (value, saban_command_store_get_n_pending (SABAN_COMMAND_STORE (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_command_store_class_init (SabanCommandStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = saban_command_store_finalize;
  object_class->get_property = saban_command_store_get_property;

  /* writes on their way to the server, conflicts not counted */
  properties[PROP_N_PENDING] = g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                  G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_ITEM_CHANGED] = g_signal_new ("item-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                               NULL, NULL, NULL, G_TYPE_NONE, 1, SABAN_TYPE_COMMAND_ITEM);
  signals[SIGNAL_ITEM_REMOVED] = g_signal_new ("item-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                               NULL, NULL, NULL, G_TYPE_NONE, 1, SABAN_TYPE_COMMAND_ITEM);
}

static void
saban_command_store_init (SabanCommandStore *self)
{
  for (guint c = 0; c < SABAN_COMMAND_N_COLLECTIONS; c++)
    self->items[c] = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->conflicts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->orphans = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->lists = g_ptr_array_new ();
  self->next_local = -1;
}

SabanCommandStore *
saban_command_store_new (void)
{
  return g_object_new (SABAN_TYPE_COMMAND_STORE, NULL);
}

static void
changed (SabanCommandStore *self, SabanCommandItem *item)
{
  for (guint i = 0; i < self->lists->len; i++)
    saban_command_list_update (g_ptr_array_index (self->lists, i), item);
  g_signal_emit (self, signals[SIGNAL_ITEM_CHANGED], 0, item);
}

static void
insert (SabanCommandStore *self, SabanCommandItem *item)
{
  gint64 *id = g_new (gint64, 1);

  *id = saban_command_item_get_id (item);
  g_hash_table_replace (self->items[saban_command_item_get_collection (item)], id, item);
}

/* ---- what the server says ------------------------------------------------ */

static gboolean
check_member (const Rule *r, JsonNode *v, char **why)
{
  GType t = JSON_NODE_HOLDS_VALUE (v) ? json_node_get_value_type (v) : G_TYPE_INVALID;

  switch (r->type)
    {
    case T_STRING_OR_NULL:
      if (JSON_NODE_HOLDS_NULL (v))
        return TRUE;
      G_GNUC_FALLTHROUGH;
    case T_STRING:
      if (t == G_TYPE_STRING && strlen (json_node_get_string (v)) <= MAX_STRING)
        return TRUE;
      *why = g_strdup_printf ("%s is not a string", r->name);
      return FALSE;
    case T_INT_OR_NULL:
      if (JSON_NODE_HOLDS_NULL (v))
        return TRUE;
      G_GNUC_FALLTHROUGH;
    case T_INT:
      if (t == G_TYPE_INT64 && json_node_get_int (v) >= 0)
        return TRUE;
      *why = g_strdup_printf ("%s is not a non-negative integer", r->name);
      return FALSE;
    case T_TIME:
      {
        g_autoptr(GDateTime) dt = NULL;

        if (t == G_TYPE_STRING && strlen (json_node_get_string (v)) <= 64)
          dt = g_date_time_new_from_iso8601 (json_node_get_string (v), NULL);
        if (dt != NULL)
          return TRUE;
        *why = g_strdup_printf ("%s is not an RFC 3339 date-time", r->name);
        return FALSE;
      }
    case T_OBJECT:
      if (JSON_NODE_HOLDS_OBJECT (v))
        return TRUE;
      *why = g_strdup_printf ("%s is not an object", r->name);
      return FALSE;
    case T_ARRAY:
      if (JSON_NODE_HOLDS_ARRAY (v))
        return TRUE;
      *why = g_strdup_printf ("%s is not an array", r->name);
      return FALSE;
    }
  return FALSE;
}

static gboolean
check_feature (SabanCommandCollection collection, JsonNode *feature, gint64 *id, char **why)
{
  JsonObject *f, *props;
  JsonNode *n;

  if (feature == NULL || !JSON_NODE_HOLDS_OBJECT (feature))
    {
      *why = g_strdup ("not a JSON object");
      return FALSE;
    }
  f = json_node_get_object (feature);
  if (g_strcmp0 (saban_json_get_string (f, "type", 64), "Feature") != 0)
    {
      *why = g_strdup ("not a GeoJSON Feature");
      return FALSE;
    }
  n = json_object_get_member (f, "id");
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64 ||
      json_node_get_int (n) <= 0)
    {
      *why = g_strdup ("id is not a positive integer");
      return FALSE;
    }
  *id = json_node_get_int (n);
  n = json_object_get_member (f, "geometry");
  if (n != NULL && !JSON_NODE_HOLDS_NULL (n) &&
      (!JSON_NODE_HOLDS_OBJECT (n) ||
       saban_json_get_string (json_node_get_object (n), "type", 64) == NULL))
    {
      *why = g_strdup ("geometry is not a GeoJSON geometry");
      return FALSE;
    }
  n = json_object_get_member (f, "properties");
  if (n == NULL || !JSON_NODE_HOLDS_OBJECT (n))
    {
      *why = g_strdup ("properties is not an object");
      return FALSE;
    }
  props = json_node_get_object (n);
  for (const Rule *r = rules[collection]; r->name != NULL; r++)
    {
      JsonNode *v = json_object_get_member (props, r->name);

      if (v == NULL)
        {
          if (!r->required)
            continue;
          *why = g_strdup_printf ("%s is missing", r->name);
          return FALSE;
        }
      if (!check_member (r, v, why))
        return FALSE;
    }
  return TRUE;
}

static void
advance_watermark (SabanCommandStore *self, SabanCommandCollection collection, SabanCommandItem *item)
{
  gint64 t = saban_command_item_get_time (item, time_field[collection]);

  if (t <= self->watermark[collection])
    return;
  self->watermark[collection] = t;
  g_free (self->watermark_text[collection]);
  self->watermark_text[collection] =
    g_strdup (json_object_get_string_member (saban_command_item_get_server_properties (item), time_field[collection]));
}

/* the Feature, known good, as @item's server state */
static void
take_server (SabanCommandStore *self, SabanCommandCollection collection, SabanCommandItem *item, JsonNode *feature)
{
  JsonObject *f = json_node_get_object (feature);
  JsonObject *props = json_object_get_object_member (f, "properties");

  saban_command_item_set_server (item, json_object_get_int_member_with_default (props, "version", 0), props,
                                 json_object_get_member (f, "geometry"));
  advance_watermark (self, collection, item);
}

/**
 * saban_command_store_apply_feature:
 * @feature: a GeoJSON Feature of @collection, as the server sent it
 *
 * Takes the server's version of an item, unless it is older than the one
 * held. A Feature lacking a member the client relies on, or with one of the
 * wrong type, is refused: logged in the `saban-command` domain and reported
 * in @error, and nothing changes.
 */
gboolean
saban_command_store_apply_feature (SabanCommandStore *self, SabanCommandCollection collection, JsonNode *feature,
                                   GError **error)
{
  g_autofree char *why = NULL;
  SabanCommandItem *item;
  gint64 id;

  g_return_val_if_fail (SABAN_IS_COMMAND_STORE (self), FALSE);
  g_return_val_if_fail (collection < SABAN_COMMAND_N_COLLECTIONS, FALSE);

  if (!check_feature (collection, feature, &id, &why))
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "%s item rejected: %s", saban_command_collection_to_string (collection),
             why);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s item rejected: %s",
                   saban_command_collection_to_string (collection), why);
      return FALSE;
    }
  item = saban_command_store_lookup (self, collection, id);
  if (item != NULL)
    {
      JsonObject *props = json_object_get_object_member (json_node_get_object (feature), "properties");

      /* the log is append-only; others change only forwards. What is held
       * is still what the server has at least: the watermark counts it (a
       * start from the cache reads again what it holds) */
      if (collection == SABAN_COMMAND_LOG ||
          json_object_get_int_member_with_default (props, "version", 0) <= saban_command_item_get_version (item))
        {
          advance_watermark (self, collection, item);
          return TRUE;
        }
    }
  else
    {
      g_autofree char *orphan_key = g_strdup_printf ("%u/%" G_GINT64_FORMAT, collection, id);
      gpointer orphan = NULL;

      if (g_hash_table_steal_extended (self->orphans, orphan_key, NULL, &orphan))
        item = orphan;
      else
        item = saban_command_item_new (collection, id, NULL);
      insert (self, item);
    }
  take_server (self, collection, item, feature);
  changed (self, item);
  return TRUE;
}

/**
 * saban_command_store_apply_collection:
 * @feature_collection: a GeoJSON FeatureCollection (one page)
 *
 * Applies each Feature; a bad one is refused (and logged) while its siblings
 * load.
 *
 * Returns: %FALSE if @feature_collection is no FeatureCollection at all
 */
gboolean
saban_command_store_apply_collection (SabanCommandStore *self, SabanCommandCollection collection,
                                      JsonNode *feature_collection, GError **error)
{
  JsonNode *features;
  JsonArray *a;

  g_return_val_if_fail (SABAN_IS_COMMAND_STORE (self), FALSE);

  if (feature_collection == NULL || !JSON_NODE_HOLDS_OBJECT (feature_collection) ||
      (features = json_object_get_member (json_node_get_object (feature_collection), "features")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (features))
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "%s page rejected: not a FeatureCollection",
             saban_command_collection_to_string (collection));
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s page rejected: not a FeatureCollection",
                   saban_command_collection_to_string (collection));
      return FALSE;
    }
  a = json_node_get_array (features);
  for (guint i = 0; i < json_array_get_length (a); i++)
    saban_command_store_apply_feature (self, collection, json_array_get_element (a, i), NULL);
  return TRUE;
}

/**
 * saban_command_store_get_watermark:
 * Returns: (transfer full) (nullable): the newest `updated` (sitreps:
 *   `created`, the log: `at`) seen in @collection, as the server wrote it:
 *   the `updatedSince` of the next catch-up
 */
char *
saban_command_store_get_watermark (SabanCommandStore *self, SabanCommandCollection collection)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_STORE (self), NULL);
  return g_strdup (self->watermark_text[collection]);
}

/**
 * saban_command_store_set_watermark:
 * @since: (nullable): an RFC 3339 time, or NULL (anything else counts as
 *   NULL): read the whole collection
 *
 * Sets the `updatedSince` of @collection's next catch-up, as a cache kept
 * it; Features applied later move it on as usual.
 */
void
saban_command_store_set_watermark (SabanCommandStore *self, SabanCommandCollection collection, const char *since)
{
  g_autoptr(GDateTime) t = NULL;

  g_return_if_fail (SABAN_IS_COMMAND_STORE (self));
  g_return_if_fail (collection < SABAN_COMMAND_N_COLLECTIONS);

  t = since != NULL && strlen (since) <= 64 ? g_date_time_new_from_iso8601 (since, NULL) : NULL;
  g_free (self->watermark_text[collection]);
  self->watermark_text[collection] = t != NULL ? g_strdup (since) : NULL;
  self->watermark[collection] = t != NULL ? g_date_time_to_unix (t) * G_USEC_PER_SEC + g_date_time_get_microsecond (t)
                                          : 0;
}

/* ---- reading --------------------------------------------------------------- */

/**
 * saban_command_store_lookup:
 * Returns: (transfer none) (nullable): the item
 */
SabanCommandItem *
saban_command_store_lookup (SabanCommandStore *self, SabanCommandCollection collection, gint64 id)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_STORE (self), NULL);
  g_return_val_if_fail (collection < SABAN_COMMAND_N_COLLECTIONS, NULL);
  return g_hash_table_lookup (self->items[collection], &id);
}

/**
 * saban_command_store_lookup_local:
 * @key: the outbox key of a write
 *
 * Returns: (transfer none) (nullable): the item the write is about
 */
SabanCommandItem *
saban_command_store_lookup_local (SabanCommandStore *self, const char *key)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_STORE (self), NULL);
  return g_hash_table_lookup (self->by_key, key);
}

/**
 * saban_command_store_find_playbook:
 * @code: a playbook's `code`, as a scenario's `playbook` names it
 *
 * Returns: (transfer none) (nullable): the playbook
 */
SabanCommandItem *
saban_command_store_find_playbook (SabanCommandStore *self, const char *code)
{
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (SABAN_IS_COMMAND_STORE (self), NULL);
  g_hash_table_iter_init (&iter, self->items[SABAN_COMMAND_PLAYBOOKS]);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_strcmp0 (saban_command_item_get_string (value, "code"), code) == 0)
      return value;
  return NULL;
}

guint
saban_command_store_get_n_items (SabanCommandStore *self, SabanCommandCollection collection)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_STORE (self), 0);
  return g_hash_table_size (self->items[collection]);
}

static void
list_filter_free (gpointer data)
{
  ListFilter *f = data;

  g_strfreev (f->statuses);
  g_free (f);
}

static gboolean
list_filter (SabanCommandItem *item, gpointer data)
{
  ListFilter *f = data;

  return (f->scenario_id == 0 || saban_command_item_get_scenario_id (item) == f->scenario_id) &&
         (f->statuses == NULL || g_strv_contains ((const char *const *) f->statuses,
                                                  saban_command_item_get_status (item) ?: ""));
}

static int
by_id (gconstpointer a, gconstpointer b)
{
  gint64 x = saban_command_item_get_id ((SabanCommandItem *) a);
  gint64 y = saban_command_item_get_id ((SabanCommandItem *) b);

  /* local items (negative ids) after the server's, in the order made */
  if ((x < 0) != (y < 0))
    return x < 0 ? 1 : -1;
  if (x < 0)
    return (x < y) - (x > y);
  return (x > y) - (x < y);
}

static int
by_time (gconstpointer a, gconstpointer b)
{
  gint64 x = saban_command_item_get_time ((SabanCommandItem *) a, "at");
  gint64 y = saban_command_item_get_time ((SabanCommandItem *) b, "at");

  if (x != y)
    return x < y ? -1 : 1;
  return by_id (a, b);
}

static GListModel *
make_list (SabanCommandStore *self, SabanCommandCollection collection, ListFilter *filter, GCompareFunc sort)
{
  SabanCommandList *list = saban_command_list_new (collection, list_filter, filter, list_filter_free, sort);
  GHashTableIter iter;
  gpointer value;

  g_object_set_data (G_OBJECT (list), "saban-filter", filter);
  g_hash_table_iter_init (&iter, self->items[collection]);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    saban_command_list_update (list, value);
  g_ptr_array_add (self->lists, list);
  g_object_weak_ref (G_OBJECT (list), list_gone, self);
  return G_LIST_MODEL (list);
}

/**
 * saban_command_store_list:
 * @scenario_id: only the items of this scenario (tasks, sitreps, the log);
 *   0 for all
 * @statuses: (nullable) (array zero-terminated=1): only items in one of
 *   these statuses; NULL for any
 *
 * Returns: (transfer full): a live GListModel of SabanCommandItem, by id
 *   (local items last, in the order made)
 */
GListModel *
saban_command_store_list (SabanCommandStore *self, SabanCommandCollection collection, gint64 scenario_id,
                          const char *const *statuses)
{
  ListFilter *f = g_new0 (ListFilter, 1);

  g_return_val_if_fail (SABAN_IS_COMMAND_STORE (self), NULL);
  f->scenario_id = scenario_id;
  f->statuses = statuses ? g_strdupv ((char **) statuses) : NULL;
  return make_list (self, collection, f, by_id);
}

/**
 * saban_command_store_list_log:
 * Returns: (transfer full): a live GListModel of the scenario's log entries,
 *   in time order
 */
GListModel *
saban_command_store_list_log (SabanCommandStore *self, gint64 scenario_id)
{
  ListFilter *f = g_new0 (ListFilter, 1);

  g_return_val_if_fail (SABAN_IS_COMMAND_STORE (self), NULL);
  f->scenario_id = scenario_id;
  return make_list (self, SABAN_COMMAND_LOG, f, by_time);
}

static int
by_due (gconstpointer a, gconstpointer b)
{
  gint64 x = saban_command_item_get_time (*(SabanCommandItem **) a, "dueAt");
  gint64 y = saban_command_item_get_time (*(SabanCommandItem **) b, "dueAt");

  return (x > y) - (x < y);
}

/**
 * saban_command_store_get_overdue_tasks:
 * @scenario_id: one scenario's tasks, or 0 for all
 * @now: the time to compare `dueAt` with
 *
 * Returns: (transfer container) (element-type SabanCommandItem): the tasks
 *   past their `dueAt` and neither finished nor cancelled, most overdue first
 */
GPtrArray *
saban_command_store_get_overdue_tasks (SabanCommandStore *self, gint64 scenario_id, GDateTime *now)
{
  GPtrArray *overdue = g_ptr_array_new ();
  gint64 t = g_date_time_to_unix (now) * G_USEC_PER_SEC + g_date_time_get_microsecond (now);
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (SABAN_IS_COMMAND_STORE (self), overdue);
  g_hash_table_iter_init (&iter, self->items[SABAN_COMMAND_TASKS]);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      gint64 due = saban_command_item_get_time (value, "dueAt");

      if (due > 0 && due < t && !saban_command_schema_is_terminal ("tasks", saban_command_item_get_status (value)) &&
          (scenario_id == 0 || saban_command_item_get_scenario_id (value) == scenario_id))
        g_ptr_array_add (overdue, value);
    }
  g_ptr_array_sort (overdue, by_due);
  return overdue;
}

static int
by_name (gconstpointer a, gconstpointer b)
{
  return g_utf8_collate (*(const char *const *) a, *(const char *const *) b);
}

/* the scenario's tasks, in no order */
static GPtrArray *
scenario_tasks (SabanCommandStore *self, gint64 scenario_id)
{
  GPtrArray *tasks = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->items[SABAN_COMMAND_TASKS]);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (saban_command_item_get_scenario_id (value) == scenario_id)
      g_ptr_array_add (tasks, value);
  return tasks;
}

/**
 * saban_command_store_count_tasks:
 * @now: the time to judge overdue by
 * @figures: (out): the counts
 *
 * A scenario's tasks as a situation report gives them: done, failed, open,
 * overdue, of how many (cancelled ones are not counted).
 */
void
saban_command_store_count_tasks (SabanCommandStore *self, gint64 scenario_id, GDateTime *now,
                                 SabanTaskFigures *figures)
{
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GPtrArray) overdue = NULL;

  g_return_if_fail (SABAN_IS_COMMAND_STORE (self));

  *figures = (SabanTaskFigures) { 0 };
  tasks = scenario_tasks (self, scenario_id);
  for (guint i = 0; i < tasks->len; i++)
    {
      const char *status = saban_command_item_get_status (g_ptr_array_index (tasks, i));

      if (g_strcmp0 (status, "cancelled") == 0)
        continue;
      figures->total++;
      figures->completed += g_strcmp0 (status, "completed") == 0;
      figures->failed += g_strcmp0 (status, "failed") == 0;
      figures->open += !saban_command_schema_is_terminal ("tasks", status);
    }
  overdue = saban_command_store_get_overdue_tasks (self, scenario_id, now);
  figures->overdue = overdue->len;
}

/**
 * saban_command_store_dup_assignees:
 *
 * Returns: (transfer full): the names of the agencies and units the
 *   scenario's open tasks are assigned to (the resources committed), each
 *   once, sorted
 */
GStrv
saban_command_store_dup_assignees (SabanCommandStore *self, gint64 scenario_id)
{
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (SABAN_IS_COMMAND_STORE (self), NULL);

  tasks = scenario_tasks (self, scenario_id);
  for (guint i = 0; i < tasks->len; i++)
    {
      SabanCommandItem *task = g_ptr_array_index (tasks, i);
      JsonNode *assignee = json_object_get_member (saban_command_item_get_properties (task), "assignee");
      const char *name = assignee != NULL && JSON_NODE_HOLDS_OBJECT (assignee)
                           ? saban_json_get_string (json_node_get_object (assignee), "name", MAX_STRING) : NULL;

      if (name != NULL && !saban_command_schema_is_terminal ("tasks", saban_command_item_get_status (task)) &&
          !g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, by_name);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/**
 * saban_command_store_find_task:
 * @title: a task's title (a checklist item's)
 *
 * Returns: (transfer none) (nullable): a task of the scenario with that
 *   title that is not cancelled: a checklist item already dispatched
 */
SabanCommandItem *
saban_command_store_find_task (SabanCommandStore *self, gint64 scenario_id, const char *title)
{
  g_autoptr(GPtrArray) tasks = NULL;

  g_return_val_if_fail (SABAN_IS_COMMAND_STORE (self), NULL);

  tasks = scenario_tasks (self, scenario_id);
  for (guint i = 0; i < tasks->len; i++)
    if (g_strcmp0 (saban_command_item_get_title (g_ptr_array_index (tasks, i)), title) == 0 &&
        g_strcmp0 (saban_command_item_get_status (g_ptr_array_index (tasks, i)), "cancelled") != 0)
      return g_ptr_array_index (tasks, i);
  return NULL;
}

/* ---- the user's writes ----------------------------------------------------- */

static void
pending_changed (SabanCommandStore *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
}

guint
saban_command_store_get_n_pending (SabanCommandStore *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_STORE (self), 0);
  return g_hash_table_size (self->by_key) - g_hash_table_size (self->conflicts);
}

/**
 * saban_command_store_add_local:
 * @key: the outbox key of the creation
 * @properties: (transfer none): what the creation says
 * @geometry: (nullable): its geometry
 *
 * Returns: (transfer none): the new item, with a negative id until the
 *   server acknowledges it
 */
SabanCommandItem *
saban_command_store_add_local (SabanCommandStore *self, SabanCommandCollection collection, const char *key,
                               JsonObject *props, JsonNode *geometry)
{
  SabanCommandItem *item;

  g_return_val_if_fail (SABAN_IS_COMMAND_STORE (self), NULL);

  item = saban_command_item_new (collection, self->next_local--, key);
  saban_command_item_set_server (item, 0, props, geometry);
  insert (self, item);
  g_hash_table_replace (self->by_key, g_strdup (key), item);
  changed (self, item);
  pending_changed (self);
  return item;
}

/**
 * saban_command_store_add_patch:
 * @id: the item changed (negative: a local one)
 * @key: the outbox key of the change
 * @based_on: the version it is based on (saban_command_store_next_version())
 * @properties: (transfer none): the changed properties (a merge patch)
 * @geometry: (nullable): the new geometry, NULL if unchanged
 */
void
saban_command_store_add_patch (SabanCommandStore *self, SabanCommandCollection collection, gint64 id,
                               const char *key, gint64 based_on, JsonObject *props, JsonNode *geometry)
{
  SabanCommandItem *item;

  g_return_if_fail (SABAN_IS_COMMAND_STORE (self));

  item = saban_command_store_lookup (self, collection, id);
  if (item == NULL)
    {
      g_autofree char *orphan_key = g_strdup_printf ("%u/%" G_GINT64_FORMAT, collection, id);

      item = g_hash_table_lookup (self->orphans, orphan_key);
      if (item == NULL)
        {
          item = saban_command_item_new (collection, id, NULL);
          g_hash_table_insert (self->orphans, g_steal_pointer (&orphan_key), item);
        }
    }
  saban_command_item_add_patch (item, key, based_on, props, geometry);
  g_hash_table_replace (self->by_key, g_strdup (key), item);
  if (saban_command_store_lookup (self, collection, id) == item)
    changed (self, item);
  pending_changed (self);
}

/**
 * saban_command_store_next_version:
 * Returns: the version a new change to @item is based on: the server's,
 *   after the changes still on their way
 */
gint64
saban_command_store_next_version (SabanCommandStore *self, SabanCommandItem *item)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_STORE (self), 0);
  return saban_command_item_next_version (item);
}

static void
forget_keys_of (SabanCommandStore *self, SabanCommandItem *item)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->by_key);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (value == item)
      {
        g_hash_table_remove (self->conflicts, key);
        g_hash_table_iter_remove (&iter);
      }
}

static void
remove_item (SabanCommandStore *self, SabanCommandItem *item)
{
  gint64 id = saban_command_item_get_id (item);

  /* the table may hold the last reference: keep @item until the signal is out */
  g_object_ref (item);
  forget_keys_of (self, item);
  g_hash_table_remove (self->items[saban_command_item_get_collection (item)], &id);
  for (guint i = 0; i < self->lists->len; i++)
    saban_command_list_remove (g_ptr_array_index (self->lists, i), item);
  g_signal_emit (self, signals[SIGNAL_ITEM_REMOVED], 0, item);
  g_object_unref (item);
}

/* A local scenario got its server id: so do its tasks and sitreps, and the
 * lists made for it follow — taking in what arrived under the server id
 * before the id switched (its first log entries, MQTT's copies). */
static void
rekey_scenario (SabanCommandStore *self, gint64 local_id, gint64 id)
{
  static const SabanCommandCollection children[] = { SABAN_COMMAND_TASKS, SABAN_COMMAND_SITREPS };
  g_autoptr(GPtrArray) following = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->lists->len; i++)
    {
      SabanCommandList *list = g_ptr_array_index (self->lists, i);
      ListFilter *f = g_object_get_data (G_OBJECT (list), "saban-filter");

      if (f != NULL && f->scenario_id == local_id)
        {
          f->scenario_id = id;
          g_ptr_array_add (following, g_object_ref (list));
        }
    }
  for (guint c = 0; c < G_N_ELEMENTS (children); c++)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->items[children[c]]);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (json_object_get_int_member_with_default (saban_command_item_get_server_properties (value), "scenarioId",
                                                     0) == local_id)
          {
            saban_command_item_set_scenario_id (value, id);
            changed (self, value);
          }
    }
  for (guint i = 0; i < following->len; i++)
    {
      SabanCommandList *list = g_ptr_array_index (following, i);

      saban_command_list_refilter (list, self->items[saban_command_list_get_collection (list)]);
    }
}

/* the server acknowledged the creation of local @item as @feature */
static void
created (SabanCommandStore *self, SabanCommandItem *item, JsonNode *feature)
{
  SabanCommandCollection collection = saban_command_item_get_collection (item);
  gint64 local_id = saban_command_item_get_id (item);
  gint64 id = json_object_get_int_member (json_node_get_object (feature), "id");
  SabanCommandItem *known = saban_command_store_lookup (self, collection, id);

  g_autoptr(SabanCommandItem) echo = known ? g_object_ref (known) : NULL;

  if (echo != NULL)
    {
      /* MQTT was quicker and made an item of it: the local one, which the
       * UI may hold, stays; the echo goes */
      g_autoptr(GPtrArray) patches = saban_command_item_steal_patches (echo);
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->by_key);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (value == echo)
          g_hash_table_iter_replace (&iter, item);
      saban_command_item_take_patches (item, g_steal_pointer (&patches));
      remove_item (self, echo);
    }
  g_object_ref (item);
  g_hash_table_remove (self->items[collection], &local_id);
  saban_command_item_set_id (item, id);
  insert (self, item);
  take_server (self, collection, item, feature);
  if (echo != NULL && saban_command_item_get_version (echo) > saban_command_item_get_version (item))
    saban_command_item_set_server (item, saban_command_item_get_version (echo),
                                   saban_command_item_get_server_properties (echo),
                                   saban_command_item_get_server_geometry (echo));
  changed (self, item);
  if (collection == SABAN_COMMAND_SCENARIOS)
    rekey_scenario (self, local_id, id);
}

/**
 * saban_command_store_settle:
 * @key: the outbox key of a write
 * @feature: (nullable): the server's answer to it, or NULL if it was
 *   refused or dropped
 *
 * The write is no longer pending: a delivered one becomes the server's
 * version; a refused or dropped one goes, and with it a local item it was
 * creating.
 */
void
saban_command_store_settle (SabanCommandStore *self, const char *key, JsonNode *feature)
{
  SabanCommandItem *item;
  SabanCommandCollection collection;
  g_autofree char *why = NULL;
  gint64 id;

  g_return_if_fail (SABAN_IS_COMMAND_STORE (self));

  item = g_hash_table_lookup (self->by_key, key);
  if (item == NULL)
    return;
  collection = saban_command_item_get_collection (item);
  if (feature != NULL && !check_feature (collection, feature, &id, &why))
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "answer to a write rejected: %s", why);
      feature = NULL;
    }
  g_hash_table_remove (self->conflicts, key);
  if (g_strcmp0 (saban_command_item_get_local_key (item), key) == 0)
    {
      g_hash_table_remove (self->by_key, key);
      if (feature != NULL)
        created (self, item, feature);
      else
        remove_item (self, item);
    }
  else
    {
      g_hash_table_remove (self->by_key, key);
      saban_command_item_remove_patch (item, key);
      if (feature != NULL)
        saban_command_store_apply_feature (self, collection, feature, NULL);
      if (saban_command_store_lookup (self, collection, saban_command_item_get_id (item)) == item)
        changed (self, item);
    }
  pending_changed (self);
}

/**
 * saban_command_store_set_conflict:
 * @key: the outbox key of a change
 *
 * Marks (or unmarks) the change as having met a newer version.
 */
void
saban_command_store_set_conflict (SabanCommandStore *self, const char *key, gboolean conflict)
{
  SabanCommandItem *item;

  g_return_if_fail (SABAN_IS_COMMAND_STORE (self));

  item = g_hash_table_lookup (self->by_key, key);
  if (item == NULL || !saban_command_item_set_patch_conflict (item, key, conflict))
    return;
  if (conflict)
    g_hash_table_add (self->conflicts, g_strdup (key));
  else
    g_hash_table_remove (self->conflicts, key);
  if (saban_command_store_lookup (self, saban_command_item_get_collection (item),
                                  saban_command_item_get_id (item)) == item)
    changed (self, item);
  pending_changed (self);
}
