/* saban-command-item.c: one Command API Feature as the client shows it — the
 * server's version with the user's pending changes merged over it.
 *
 * The server's properties and geometry are kept apart from the patches still
 * on their way, so a newer server version arriving (MQTT, catch-up) is
 * merged under the patches instead of erasing them, and a patch the server
 * refused or the user dropped simply goes.
 */
#include "saban-command-item-private.h"

#include <math.h>

#include "saban-json.h"


static const char *const collection_names[] = { "playbooks", "scenarios", "tasks", "sitreps", "scenario-log",
                                                "acknowledgements" };

const char *
saban_command_collection_to_string (SabanCommandCollection collection)
{
  g_return_val_if_fail (collection < SABAN_COMMAND_N_COLLECTIONS, NULL);
  return collection_names[collection];
}

gboolean
saban_command_collection_from_string (const char *name, SabanCommandCollection *collection)
{
  for (guint i = 0; i < SABAN_COMMAND_N_COLLECTIONS; i++)
    if (g_strcmp0 (name, collection_names[i]) == 0)
      {
        *collection = i;
        return TRUE;
      }
  return FALSE;
}

typedef struct
{
  char       *key;
  gint64      based_on;
  JsonObject *properties;
  JsonNode   *geometry;   /* NULL: unchanged */
  gboolean    conflict;
} Patch;

static void
patch_free (gpointer data)
{
  Patch *p = data;

  g_free (p->key);
  g_clear_pointer (&p->properties, json_object_unref);
  g_clear_pointer (&p->geometry, json_node_unref);
  g_free (p);
}

struct _SabanCommandItem
{
  GObject                parent_instance;
  SabanCommandCollection collection;
  gint64                 id;
  char                  *local_key;   /* while only the outbox has it */
  gint64                 version;
  JsonObject            *server;
  JsonNode              *server_geometry;
  GPtrArray             *patches;     /* Patch, oldest first */
  JsonObject            *merged;
  JsonNode              *merged_geometry;
};

enum { PROP_0, PROP_ID, PROP_VERSION, PROP_PENDING, PROP_CONFLICT, N_PROPS };
enum { SIGNAL_CHANGED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanCommandItem, saban_command_item, G_TYPE_OBJECT)

static void
saban_command_item_finalize (GObject *object)
{
  SabanCommandItem *self = SABAN_COMMAND_ITEM (object);

  g_free (self->local_key);
  g_clear_pointer (&self->server, json_object_unref);
  g_clear_pointer (&self->server_geometry, json_node_unref);
  g_clear_pointer (&self->patches, g_ptr_array_unref);
  g_clear_pointer (&self->merged, json_object_unref);
  g_clear_pointer (&self->merged_geometry, json_node_unref);
  G_OBJECT_CLASS (saban_command_item_parent_class)->finalize (object);
}

static void
saban_command_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SabanCommandItem *self = SABAN_COMMAND_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_VERSION:
      g_value_set_int64 (value, self->version);
      break;
    case PROP_PENDING:
      g_value_set_boolean (value, saban_command_item_get_pending (self));
      break;
    case PROP_CONFLICT:
      g_value_set_boolean (value, saban_command_item_get_conflict (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_command_item_class_init (SabanCommandItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = saban_command_item_finalize;
  object_class->get_property = saban_command_item_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_VERSION] = g_param_spec_int64 ("version", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PENDING] = g_param_spec_boolean ("pending", NULL, NULL, FALSE, flags);
  properties[PROP_CONFLICT] = g_param_spec_boolean ("conflict", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
saban_command_item_init (SabanCommandItem *self)
{
  self->server = json_object_new ();
  self->merged = json_object_new ();
  self->patches = g_ptr_array_new_with_free_func (patch_free);
}

static void
recompute (SabanCommandItem *self)
{
  g_autoptr(JsonNode) server = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) copy = NULL;

  json_node_set_object (server, self->server);
  copy = saban_json_deep_copy (server);
  g_clear_pointer (&self->merged, json_object_unref);
  self->merged = json_object_ref (json_node_get_object (copy));
  g_clear_pointer (&self->merged_geometry, json_node_unref);
  if (self->server_geometry != NULL)
    self->merged_geometry = json_node_copy (self->server_geometry);
  for (guint i = 0; i < self->patches->len; i++)
    {
      Patch *p = g_ptr_array_index (self->patches, i);

      saban_json_merge_patch (self->merged, p->properties);
      if (p->geometry != NULL)
        {
          g_clear_pointer (&self->merged_geometry, json_node_unref);
          self->merged_geometry = json_node_copy (p->geometry);
        }
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFLICT]);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

SabanCommandItem *
saban_command_item_new (SabanCommandCollection collection, gint64 id, const char *local_key)
{
  SabanCommandItem *self = g_object_new (SABAN_TYPE_COMMAND_ITEM, NULL);

  self->collection = collection;
  self->id = id;
  self->local_key = g_strdup (local_key);
  return self;
}

/* @properties and @geometry are taken as they are (not copied) */
void
saban_command_item_set_server (SabanCommandItem *self, gint64 version, JsonObject *props, JsonNode *geometry)
{
  json_object_ref (props);
  g_clear_pointer (&self->server, json_object_unref);
  self->server = props;
  g_clear_pointer (&self->server_geometry, json_node_unref);
  if (geometry != NULL && !JSON_NODE_HOLDS_NULL (geometry))
    self->server_geometry = json_node_ref (geometry);
  if (self->version != version)
    {
      self->version = version;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERSION]);
    }
  recompute (self);
}

void
saban_command_item_set_id (SabanCommandItem *self, gint64 id)
{
  self->id = id;
  g_clear_pointer (&self->local_key, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

void
saban_command_item_set_scenario_id (SabanCommandItem *self, gint64 scenario_id)
{
  json_object_set_int_member (self->server, "scenarioId", scenario_id);
  recompute (self);
}

void
saban_command_item_add_patch (SabanCommandItem *self, const char *key, gint64 based_on,
                              JsonObject *props, JsonNode *geometry)
{
  Patch *p = g_new0 (Patch, 1);

  p->key = g_strdup (key);
  p->based_on = based_on;
  p->properties = props ? json_object_ref (props) : json_object_new ();
  p->geometry = geometry ? json_node_copy (geometry) : NULL;
  g_ptr_array_add (self->patches, p);
  recompute (self);
}

static Patch *
find_patch (SabanCommandItem *self, const char *key, guint *index)
{
  for (guint i = 0; i < self->patches->len; i++)
    {
      Patch *p = g_ptr_array_index (self->patches, i);

      if (g_str_equal (p->key, key))
        {
          if (index != NULL)
            *index = i;
          return p;
        }
    }
  return NULL;
}

gboolean
saban_command_item_remove_patch (SabanCommandItem *self, const char *key)
{
  guint i;

  if (find_patch (self, key, &i) == NULL)
    return FALSE;
  g_ptr_array_remove_index (self->patches, i);
  recompute (self);
  return TRUE;
}

gboolean
saban_command_item_set_patch_conflict (SabanCommandItem *self, const char *key, gboolean conflict)
{
  Patch *p = find_patch (self, key, NULL);

  if (p == NULL)
    return FALSE;
  p->conflict = conflict;
  recompute (self);
  return TRUE;
}

/* hands the pending patches to the item the server made of this local one */
GPtrArray *
saban_command_item_steal_patches (SabanCommandItem *self)
{
  GPtrArray *patches = g_steal_pointer (&self->patches);

  self->patches = g_ptr_array_new_with_free_func (patch_free);
  return patches;
}

void
saban_command_item_take_patches (SabanCommandItem *self, GPtrArray *patches)
{
  g_ptr_array_extend_and_steal (self->patches, patches);
  recompute (self);
}

JsonNode *
saban_command_item_get_server_geometry (SabanCommandItem *self)
{
  return self->server_geometry;
}

/* the version the next patch is based on: after the server's, and after
 * each patch still on its way */
gint64
saban_command_item_next_version (SabanCommandItem *self)
{
  gint64 v = self->local_key != NULL ? 1 : self->version;

  for (guint i = 0; i < self->patches->len; i++)
    v = MAX (v, ((Patch *) g_ptr_array_index (self->patches, i))->based_on + 1);
  return v;
}

/* ---- public ------------------------------------------------------------ */

SabanCommandCollection
saban_command_item_get_collection (SabanCommandItem *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_ITEM (self), 0);
  return self->collection;
}

/**
 * saban_command_item_get_id:
 * Returns: the server's id, or a negative local id while the item is only
 *   in the outbox
 */
gint64
saban_command_item_get_id (SabanCommandItem *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_ITEM (self), 0);
  return self->id;
}

/**
 * saban_command_item_get_local_key:
 * Returns: (nullable): the idempotency key of the item's creation while the
 *   server has not acknowledged it
 */
const char *
saban_command_item_get_local_key (SabanCommandItem *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_ITEM (self), NULL);
  return self->local_key;
}

/**
 * saban_command_item_get_version:
 * Returns: the server's version (0 for a local item)
 */
gint64
saban_command_item_get_version (SabanCommandItem *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_ITEM (self), 0);
  return self->version;
}

/**
 * saban_command_item_get_properties:
 * Returns: (transfer none): the properties shown: the server's with the
 *   pending changes merged in
 */
JsonObject *
saban_command_item_get_properties (SabanCommandItem *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_ITEM (self), NULL);
  return self->merged;
}

/**
 * saban_command_item_get_geometry:
 * Returns: (transfer none) (nullable): the geometry shown
 */
JsonNode *
saban_command_item_get_geometry (SabanCommandItem *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_ITEM (self), NULL);
  return self->merged_geometry;
}

/**
 * saban_command_item_get_server_properties:
 * Returns: (transfer none): the properties as the server last said
 */
JsonObject *
saban_command_item_get_server_properties (SabanCommandItem *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_ITEM (self), NULL);
  return self->server;
}

/**
 * saban_command_item_to_server_feature:
 *
 * Returns: (transfer full) (nullable): the item as the server last sent it,
 *   a GeoJSON Feature in text; NULL for an item the server does not have
 *   yet
 */
char *
saban_command_item_to_server_feature (SabanCommandItem *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (SABAN_IS_COMMAND_ITEM (self), NULL);

  if (self->id <= 0 || self->server == NULL)
    return NULL;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "Feature");
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, self->id);
  json_builder_set_member_name (builder, "geometry");
  if (self->server_geometry != NULL)
    json_builder_add_value (builder, json_node_copy (self->server_geometry));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "properties");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), self->server));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

gboolean
saban_command_item_get_pending (SabanCommandItem *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_ITEM (self), FALSE);
  return self->local_key != NULL || self->patches->len > 0;
}

/**
 * saban_command_item_is_field_pending:
 * Returns: whether a write on its way changes property @name (every
 *   property of an item not yet created on the server)
 */
gboolean
saban_command_item_is_field_pending (SabanCommandItem *self, const char *name)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_ITEM (self), FALSE);

  if (self->local_key != NULL)
    return TRUE;
  for (guint i = 0; i < self->patches->len; i++)
    if (json_object_has_member (((Patch *) g_ptr_array_index (self->patches, i))->properties, name))
      return TRUE;
  return FALSE;
}

gboolean
saban_command_item_get_conflict (SabanCommandItem *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_ITEM (self), FALSE);

  for (guint i = 0; i < self->patches->len; i++)
    if (((Patch *) g_ptr_array_index (self->patches, i))->conflict)
      return TRUE;
  return FALSE;
}

/**
 * saban_command_item_get_string:
 * Returns: (nullable): property @name if it is a string
 */
const char *
saban_command_item_get_string (SabanCommandItem *self, const char *name)
{
  JsonNode *n;

  g_return_val_if_fail (SABAN_IS_COMMAND_ITEM (self), NULL);
  n = json_object_get_member (self->merged, name);
  return n != NULL && json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n) : NULL;
}

/**
 * saban_command_item_get_int:
 * Returns: property @name if it is an integer, else @fallback
 */
gint64
saban_command_item_get_int (SabanCommandItem *self, const char *name, gint64 fallback)
{
  JsonNode *n;

  g_return_val_if_fail (SABAN_IS_COMMAND_ITEM (self), fallback);
  n = json_object_get_member (self->merged, name);
  return n != NULL && json_node_get_value_type (n) == G_TYPE_INT64 ? json_node_get_int (n) : fallback;
}

/**
 * saban_command_item_get_time:
 * Returns: property @name, an RFC 3339 date-time, in µs since the epoch; 0
 *   if absent or not a date-time
 */
gint64
saban_command_item_get_time (SabanCommandItem *self, const char *name)
{
  const char *text = saban_command_item_get_string (self, name);
  g_autoptr(GDateTime) t = text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  if (t == NULL)
    return 0;
  return g_date_time_to_unix (t) * G_USEC_PER_SEC + g_date_time_get_microsecond (t);
}

const char *
saban_command_item_get_status (SabanCommandItem *self)
{
  return saban_command_item_get_string (self, "status");
}

const char *
saban_command_item_get_title (SabanCommandItem *self)
{
  return saban_command_item_get_string (self, "title");
}

/**
 * saban_command_item_get_scenario_id:
 * Returns: the scenario a task, sitrep or log entry belongs to (a scenario's
 *   own id for a scenario), 0 if none
 */
gint64
saban_command_item_get_scenario_id (SabanCommandItem *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_ITEM (self), 0);
  if (self->collection == SABAN_COMMAND_SCENARIOS)
    return self->id;
  return saban_command_item_get_int (self, "scenarioId", 0);
}

/**
 * saban_command_item_get_point:
 * @lon: (out): longitude, WGS 84
 * @lat: (out): latitude, WGS 84
 *
 * Returns: whether the item's geometry is a Point with finite coordinates
 *   (a task's place)
 */
gboolean
saban_command_item_get_point (SabanCommandItem *self, double *lon, double *lat)
{
  JsonNode *geometry;
  JsonObject *o;
  JsonNode *coordinates;
  JsonArray *c;
  JsonNode *x, *y;

  g_return_val_if_fail (SABAN_IS_COMMAND_ITEM (self), FALSE);

  geometry = self->merged_geometry;
  if (geometry == NULL || !JSON_NODE_HOLDS_OBJECT (geometry))
    return FALSE;
  o = json_node_get_object (geometry);
  coordinates = json_object_get_member (o, "coordinates");
  if (g_strcmp0 (saban_json_get_string (o, "type", 64), "Point") != 0 || coordinates == NULL ||
      !JSON_NODE_HOLDS_ARRAY (coordinates) || json_array_get_length (c = json_node_get_array (coordinates)) < 2)
    return FALSE;
  x = json_array_get_element (c, 0);
  y = json_array_get_element (c, 1);
  if (!JSON_NODE_HOLDS_VALUE (x) || !JSON_NODE_HOLDS_VALUE (y))
    return FALSE;
  *lon = json_node_get_double (x);
  *lat = json_node_get_double (y);
  return isfinite (*lon) && isfinite (*lat);
}
