/* saban-command-api.c: the Command API of the shared design — playbooks,
 * scenarios, tasks, sitreps, acknowledgements and scenario-log as Features
 * collections, with OGC API – Features Part 4-style writes.
 *
 * A write is one SQLite transaction holding the item, its scenario-log entry,
 * its audit row and (with an Idempotency-Key) the response to replay; the
 * reply is sent and MQTT is told only after COMMIT returned.
 *
 * Over a thousand lines: the Command API's collections share one write
 * path (the command schema's checks, the transaction, idempotency, the log,
 * MQTT notices after commit) and one read path; reads and writes could be two files.
 */
#include "saban-command-api.h"
#include "saban-command-notice.h"
#include "saban-command-schema.h"
#include "saban-ogc-features.h"
#include "saban-json.h"

#include <math.h>

/* Who may write what, the state machines and the properties a client may
 * set are the shared schema's (saban-command-schema.h); the client offers
 * its users only what the schema allows. */

static gboolean
is_string (JsonNode *n)
{
  return JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING;
}

static gboolean
is_int (JsonNode *n)
{
  return JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64;
}

/* Checks one value against its field; sets *why on failure. */
static gboolean
check_value (const SabanCommandField *f, JsonNode *v, char **why)
{
  if (JSON_NODE_HOLDS_NULL (v))
    {
      /* an item always has a status: null would remove it */
      gboolean needed = f->required || f->type == SABAN_COMMAND_FIELD_STATUS;

      if (needed)
        *why = g_strdup_printf ("%s is required", f->name);
      return !needed;
    }
  switch (f->type)
    {
    case SABAN_COMMAND_FIELD_STRING:
      if (!is_string (v) || strlen (json_node_get_string (v)) > 10000)
        goto wrong;
      return TRUE;
    case SABAN_COMMAND_FIELD_INT:
      if (!is_int (v) || json_node_get_int (v) < f->min || json_node_get_int (v) > f->max)
        {
          *why = g_strdup_printf ("%s must be an integer from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                                  f->name, f->min, f->max);
          return FALSE;
        }
      return TRUE;
    case SABAN_COMMAND_FIELD_BOOL:
      if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_BOOLEAN)
        goto wrong;
      return TRUE;
    case SABAN_COMMAND_FIELD_ENUM:
      if (!is_string (v) || !g_strv_contains (f->values, json_node_get_string (v)))
        {
          g_autofree char *list = g_strjoinv (", ", (char **) f->values);
          *why = g_strdup_printf ("%s must be one of: %s", f->name, list);
          return FALSE;
        }
      return TRUE;
    case SABAN_COMMAND_FIELD_STRINGS:
      if (!JSON_NODE_HOLDS_ARRAY (v))
        goto wrong;
      for (guint i = 0; i < json_array_get_length (json_node_get_array (v)); i++)
        if (!is_string (json_array_get_element (json_node_get_array (v), i)))
          goto wrong;
      return TRUE;
    case SABAN_COMMAND_FIELD_ASSIGNEE:
      {
        JsonObject *o;
        JsonObjectIter iter;
        const char *name;
        JsonNode *m;

        if (!JSON_NODE_HOLDS_OBJECT (v))
          goto wrong;
        o = json_node_get_object (v);
        if (!json_object_has_member (o, "id") || !is_string (json_object_get_member (o, "id")))
          {
            *why = g_strdup ("assignee needs a string id (and type, name)");
            return FALSE;
          }
        json_object_iter_init (&iter, o);
        while (json_object_iter_next (&iter, &name, &m))
          if ((!g_str_equal (name, "type") && !g_str_equal (name, "id") && !g_str_equal (name, "name")) ||
              !is_string (m))
            {
              *why = g_strdup ("assignee is {type, id, name}, all strings");
              return FALSE;
            }
        return TRUE;
      }
    case SABAN_COMMAND_FIELD_TIME:
      {
        g_autofree char *t = is_string (v) ? saban_normalise_time (json_node_get_string (v), FALSE) : NULL;

        if (t == NULL)
          {
            *why = g_strdup_printf ("%s must be an RFC 3339 date-time", f->name);
            return FALSE;
          }
        return TRUE;
      }
    case SABAN_COMMAND_FIELD_STATUS:
      if (!is_string (v))
        goto wrong;
      return TRUE;
    case SABAN_COMMAND_FIELD_ANY:
      return TRUE;
    }
wrong:
  *why = g_strdup_printf ("%s has the wrong type", f->name);
  return FALSE;
}

/* Refuses (400) a property the request may not set: one the collection
 * does not have (so a typo does not vanish), one the server sets, one set
 * only when the item is created; and checks the type of the others. */
static gboolean
check_settable (SabanRequest *req, const char *collection, JsonObject *props, SabanCommandMethod method)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *v;
  g_autofree char *why = NULL;

  json_object_iter_init (&iter, props);
  while (json_object_iter_next (&iter, &name, &v))
    {
      const SabanCommandField *f = saban_command_schema_find_field (collection, name);

      if (f == NULL)
        {
          saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid-feature", "unknown property: %s", name);
          return FALSE;
        }
      if ((f->settable & method) == 0)
        {
          saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "read-only-property",
                               f->settable == 0 ? "%s is set by the server"
                                                : "%s is set when the item is created and cannot change", name);
          return FALSE;
        }
      if (!check_value (f, v, &why))
        {
          saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid-feature", "%s", why);
          return FALSE;
        }
    }
  return TRUE;
}

/* Whether @props, as the item will be, has every required property. */
static gboolean
check_required (const char *collection, JsonObject *props, char **why)
{
  for (const SabanCommandField *f = saban_command_schema_get_fields (collection); f->name != NULL; f++)
    if (f->required && (!json_object_has_member (props, f->name) ||
                        JSON_NODE_HOLDS_NULL (json_object_get_member (props, f->name))))
      {
        *why = g_strdup_printf ("%s is required", f->name);
        return FALSE;
      }
  return TRUE;
}

/* ---- geometry ------------------------------------------------------------ */

static gboolean
walk_coords (JsonNode *n, int depth, int want, double bbox[4], gboolean *any)
{
  JsonArray *a;
  guint len;

  if (!JSON_NODE_HOLDS_ARRAY (n) || depth > want)
    return FALSE;
  a = json_node_get_array (n);
  len = json_array_get_length (a);
  if (depth == want)
    {
      double x, y;
      JsonNode *nx, *ny;

      if (len < 2 || len > 3)
        return FALSE;
      nx = json_array_get_element (a, 0);
      ny = json_array_get_element (a, 1);
      if (!JSON_NODE_HOLDS_VALUE (nx) || !JSON_NODE_HOLDS_VALUE (ny) ||
          (json_node_get_value_type (nx) != G_TYPE_DOUBLE && json_node_get_value_type (nx) != G_TYPE_INT64) ||
          (json_node_get_value_type (ny) != G_TYPE_DOUBLE && json_node_get_value_type (ny) != G_TYPE_INT64))
        return FALSE;
      x = json_node_get_double (nx);
      y = json_node_get_double (ny);
      if (!isfinite (x) || !isfinite (y) || x < -180 || x > 180 || y < -90 || y > 90)
        return FALSE;
      if (!*any)
        {
          bbox[0] = bbox[2] = x;
          bbox[1] = bbox[3] = y;
          *any = TRUE;
        }
      bbox[0] = MIN (bbox[0], x);
      bbox[1] = MIN (bbox[1], y);
      bbox[2] = MAX (bbox[2], x);
      bbox[3] = MAX (bbox[3], y);
      return TRUE;
    }
  if (len == 0)
    return FALSE;
  for (guint i = 0; i < len; i++)
    if (!walk_coords (json_array_get_element (a, i), depth + 1, want, bbox, any))
      return FALSE;
  return TRUE;
}

/* A GeoJSON geometry of one of @types (CRS84), and its bbox. */
static gboolean
check_geometry (JsonNode *g, const char *const *types, double bbox[4], gboolean *has_bbox, char **why)
{
  JsonObject *o;
  const char *type;
  int depth;

  *has_bbox = FALSE;
  if (g == NULL || JSON_NODE_HOLDS_NULL (g))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (g))
    goto bad;
  o = json_node_get_object (g);
  type = json_object_get_string_member_with_default (o, "type", "");
  if (!g_strv_contains (types, type) || !json_object_has_member (o, "coordinates"))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) types);
      *why = g_strdup_printf ("geometry must be null or one of: %s", list);
      return FALSE;
    }
  depth = g_str_equal (type, "Point") ? 0 : g_str_equal (type, "LineString") ? 1
          : g_str_equal (type, "Polygon") ? 2 : 3;
  if (!walk_coords (json_object_get_member (o, "coordinates"), 0, depth, bbox, has_bbox))
    goto bad;
  return TRUE;
bad:
  *why = g_strdup ("geometry is not a valid GeoJSON geometry in CRS84 (lon, lat)");
  return FALSE;
}

static const char *const scenario_geometries[] = { "Polygon", "MultiPolygon", "Point", NULL };
static const char *const task_geometries[] = { "Point", "LineString", "Polygon", NULL };
static const char *const sitrep_geometries[] = { "Polygon", NULL };
static const char *const point_geometries[] = { "Point", NULL };

/* ---- reading items ------------------------------------------------------- */

/* a collection; one clients write has its rules in the shared schema */
typedef struct
{
  const char        *id;
  const char        *title;
  const char        *description;
  const char *const *geometries;      /* NULL: read-only */
  const char *const *extra_params;
  const char        *create_action;   /* for the 403 message */
} Kind;

static const char *const item_params[] = { "status", "scenarioId", "assignee", "updatedSince", NULL };
static const char *const log_params[] = { "scenarioId", "taskId", "updatedSince", NULL };

static const Kind kinds[] = {
  { "playbooks", "Playbooks (kịch bản mẫu)", "scenario templates: layers, indicators, task checklist",
    NULL, item_params },
  { "scenarios", "Scenarios (kịch bản điều hành)", "operating scenarios: draft → active ⇄ suspended → closed",
    scenario_geometries, item_params, "create items here" },
  { "tasks", "Tasks (nhiệm vụ)", "tasks dispatched to units within a scenario", task_geometries, item_params,
    "create items here" },
  { "sitreps", "Situation reports (báo cáo tình hình)", "EDXL-SitRep-style reports on a scenario",
    sitrep_geometries, item_params, "post sitreps" },
  { "acknowledgements", "Alarm acknowledgements (xác nhận cảnh báo)",
    "who acknowledged which sensor alarm, when, with what note", point_geometries, item_params,
    "acknowledge alarms" },
  { "scenario-log", "Scenario log (nhật ký điều hành)", "append-only record of every change", NULL, log_params },
};

static JsonNode *
parse_text (const char *text)
{
  g_autoptr(JsonNode) parsed = NULL;

  if (text == NULL || (parsed = saban_json_parse (text, -1, NULL)) == NULL)
    return json_node_new (JSON_NODE_NULL);
  return json_node_copy (parsed);
}

static void
add_links (JsonObject *feature, const char *base, const char *collection, gint64 id)
{
  JsonArray *links = json_array_new ();
  JsonObject *l;

  g_autofree char *self_href = g_strdup_printf ("%s/collections/%s/items/%" G_GINT64_FORMAT, base, collection, id);
  g_autofree char *coll_href = g_strdup_printf ("%s/collections/%s", base, collection);

  l = json_object_new ();
  json_object_set_string_member (l, "href", self_href);
  json_object_set_string_member (l, "rel", "self");
  json_object_set_string_member (l, "type", "application/geo+json");
  json_array_add_object_element (links, l);
  l = json_object_new ();
  json_object_set_string_member (l, "href", coll_href);
  json_object_set_string_member (l, "rel", "collection");
  json_object_set_string_member (l, "type", "application/json");
  json_array_add_object_element (links, l);
  json_object_set_array_member (feature, "links", links);
}

static JsonNode *
feature_node (gint64 id, const char *props, const char *geometry, const char *base, const char *collection)
{
  JsonObject *f = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (f, "type", "Feature");
  json_object_set_int_member (f, "id", id);
  json_object_set_member (f, "geometry", geometry ? parse_text (geometry) : json_node_new (JSON_NODE_NULL));
  json_object_set_member (f, "properties", parse_text (props));
  if (base != NULL)
    add_links (f, base, collection, id);
  json_node_take_object (node, f);
  return node;
}

static JsonNode *
log_feature_node (SabanStmt *s, const char *base)
{
  JsonObject *f = json_object_new ();
  JsonObject *p = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  gint64 id = saban_stmt_column_int64 (s, 0);

  json_object_set_string_member (f, "type", "Feature");
  json_object_set_int_member (f, "id", id);
  json_object_set_null_member (f, "geometry");
  if (saban_stmt_column_is_null (s, 1))
    json_object_set_null_member (p, "scenarioId");
  else
    json_object_set_int_member (p, "scenarioId", saban_stmt_column_int64 (s, 1));
  if (saban_stmt_column_is_null (s, 2))
    json_object_set_null_member (p, "taskId");
  else
    json_object_set_int_member (p, "taskId", saban_stmt_column_int64 (s, 2));
  json_object_set_string_member (p, "at", saban_stmt_column_text (s, 3));
  json_object_set_string_member (p, "actor", saban_stmt_column_text (s, 4));
  json_object_set_string_member (p, "from", saban_stmt_column_text (s, 5));
  json_object_set_string_member (p, "to", saban_stmt_column_text (s, 6));
  json_object_set_string_member (p, "note", saban_stmt_column_text (s, 7));
  json_object_set_object_member (f, "properties", p);
  if (base != NULL)
    add_links (f, base, "scenario-log", id);
  json_node_take_object (node, f);
  return node;
}

/* Bound parameters for a query built from fixed fragments. */
typedef struct
{
  GString   *sql;
  GPtrArray *args;  /* GVariant: int64, double or string */
} Query;

static void
q_add (Query *q, const char *fragment, GVariant *arg)
{
  g_string_append (q->sql, fragment);
  if (arg != NULL)
    g_ptr_array_add (q->args, g_variant_ref_sink (arg));
}

static SabanStmt *
q_prepare (SabanStore *store, Query *q)
{
  SabanStmt *s = saban_store_prepare (store, q->sql->str, NULL);

  for (guint i = 0; s != NULL && i < q->args->len; i++)
    {
      GVariant *v = g_ptr_array_index (q->args, i);

      if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT64))
        saban_stmt_bind_int64 (s, i + 1, g_variant_get_int64 (v));
      else if (g_variant_is_of_type (v, G_VARIANT_TYPE_DOUBLE))
        saban_stmt_bind_double (s, i + 1, g_variant_get_double (v));
      else
        saban_stmt_bind_text (s, i + 1, g_variant_get_string (v, NULL));
    }
  return s;
}

static void
q_clear (Query *q)
{
  g_string_free (q->sql, TRUE);
  g_ptr_array_unref (q->args);
}

static gboolean
int_param (SabanRequest *req, const char *name, gint64 *out)
{
  const char *v = g_hash_table_lookup (req->query, name);

  if (v == NULL)
    return FALSE;
  if (!saban_parse_fid (v, out))
    *out = -1;  /* matches nothing: ids are positive */
  return TRUE;
}

static void
items_list (SabanRequest *req, SabanCollection *c)
{
  const Kind *k = c->data;
  gboolean is_log = g_str_equal (k->id, "scenario-log");
  const char *time_col = is_log ? "at" : g_str_equal (k->id, "sitreps") ? "created" : "updated";
  SabanItemsQuery iq;
  Query q = { g_string_new (NULL), g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref) };
  g_autoptr(SabanStmt) s = NULL;
  g_autofree char *base = NULL, *links = NULL, *since = NULL;
  g_autoptr(GString) sql_where = NULL;
  g_autoptr(JsonArray) features = json_array_new ();
  g_autoptr(JsonObject) fc = json_object_new ();
  SabanStore *store = saban_server_get_store (req->server);
  gint64 matched = 0, n;
  const char *v;

  if (!saban_items_query_parse (req, k->extra_params, &iq))
    {
      q_clear (&q);
      return;
    }
  if ((v = g_hash_table_lookup (req->query, "updatedSince")) != NULL &&
      (since = saban_normalise_time (v, FALSE)) == NULL)
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid-parameter",
                           "updatedSince must be an RFC 3339 date-time");
      saban_items_query_clear (&iq);
      q_clear (&q);
      return;
    }

  if (is_log)
    q_add (&q, " FROM scenario_log WHERE TRUE", NULL);
  else
    q_add (&q, " FROM items WHERE collection = ?", g_variant_new_string (k->id));
  if (int_param (req, "scenarioId", &n))
    q_add (&q, " AND scenario_id = ?", g_variant_new_int64 (n));
  if (is_log && int_param (req, "taskId", &n))
    q_add (&q, " AND task_id = ?", g_variant_new_int64 (n));
  if (!is_log && (v = g_hash_table_lookup (req->query, "status")) != NULL)
    {
      g_auto(GStrv) states = g_strsplit (v, ",", 32);

      q_add (&q, " AND status IN (", NULL);
      for (guint i = 0; states[i] != NULL; i++)
        q_add (&q, i ? ", ?" : "?", g_variant_new_string (states[i]));
      q_add (&q, ")", NULL);
    }
  if (!is_log && (v = g_hash_table_lookup (req->query, "assignee")) != NULL)
    q_add (&q, " AND assignee = ?", g_variant_new_string (v));
  if (since != NULL)
    {
      g_string_append_printf (q.sql, " AND %s >= ?", time_col);
      g_ptr_array_add (q.args, g_variant_ref_sink (g_variant_new_string (since)));
    }
  if (iq.start != NULL)
    {
      g_string_append_printf (q.sql, " AND %s >= ?", time_col);
      g_ptr_array_add (q.args, g_variant_ref_sink (g_variant_new_string (iq.start)));
    }
  if (iq.end != NULL)
    {
      g_string_append_printf (q.sql, " AND %s <= ?", time_col);
      g_ptr_array_add (q.args, g_variant_ref_sink (g_variant_new_string (iq.end)));
    }
  if (iq.has_bbox)
    {
      if (is_log)
        q_add (&q, " AND FALSE", NULL);
      else
        {
          q_add (&q, " AND maxx >= ?", g_variant_new_double (iq.bbox[0]));
          q_add (&q, " AND minx <= ?", g_variant_new_double (iq.bbox[2]));
          q_add (&q, " AND maxy >= ?", g_variant_new_double (iq.bbox[1]));
          q_add (&q, " AND miny <= ?", g_variant_new_double (iq.bbox[3]));
        }
    }
  sql_where = g_string_new (q.sql->str);

  /* count, then the page */
  g_string_prepend (q.sql, "SELECT COUNT(*)");
  s = q_prepare (store, &q);
  if (s != NULL && saban_stmt_step (s, NULL))
    matched = saban_stmt_column_int64 (s, 0);
  g_clear_pointer (&s, saban_stmt_free);

  g_string_assign (q.sql, is_log ? "SELECT id, scenario_id, task_id, at, actor, from_status, to_status, note"
                                 : "SELECT id, properties, geometry");
  g_string_append (q.sql, sql_where->str);
  q_add (&q, " ORDER BY id LIMIT ?", g_variant_new_int64 (iq.limit));
  q_add (&q, " OFFSET ?", g_variant_new_int64 (iq.offset));
  s = q_prepare (store, &q);
  base = saban_request_base_url (req);
  while (s != NULL && saban_stmt_step (s, NULL))
    json_array_add_element (features,
                            is_log ? log_feature_node (s, base)
                                   : feature_node (saban_stmt_column_int64 (s, 0),
                                                   saban_stmt_column_text (s, 1),
                                                   saban_stmt_column_text (s, 2), base, k->id));

  links = saban_items_links_json (base, req->path, req->query, &iq, json_array_get_length (features), matched);
  json_object_set_string_member (fc, "type", "FeatureCollection");
  {
    g_autofree char *now = saban_store_now ();
    json_object_set_string_member (fc, "timeStamp", now);
  }
  json_object_set_int_member (fc, "numberMatched", matched);
  json_object_set_int_member (fc, "numberReturned", json_array_get_length (features));
  json_object_set_member (fc, "links", parse_text (links));
  json_object_set_array_member (fc, "features", json_array_ref (features));
  saban_request_reply_object (req, SOUP_STATUS_OK, "application/geo+json", fc);
  saban_items_query_clear (&iq);
  q_clear (&q);
}

typedef struct
{
  gint64  id;
  gint64  version;
  gint64  scenario_id;
  char   *status;
  JsonObject *props;
  JsonNode   *geometry;
} Item;

static void
item_clear (Item *it)
{
  g_free (it->status);
  g_clear_pointer (&it->props, json_object_unref);
  g_clear_pointer (&it->geometry, json_node_unref);
}

static gboolean
load_item (SabanStore *store, const char *collection, gint64 id, Item *it)
{
  g_autoptr(SabanStmt) s = saban_store_prepare (store, "SELECT version, status, scenario_id, properties, geometry "
                                                   "FROM items WHERE collection = ? AND id = ?", NULL);
  g_autoptr(JsonNode) props = NULL;

  memset (it, 0, sizeof *it);
  if (s == NULL)
    return FALSE;
  saban_stmt_bind_text (s, 1, collection);
  saban_stmt_bind_int64 (s, 2, id);
  if (!saban_stmt_step (s, NULL))
    return FALSE;
  it->id = id;
  it->version = saban_stmt_column_int64 (s, 0);
  it->status = g_strdup (saban_stmt_column_text (s, 1));
  it->scenario_id = saban_stmt_column_int64 (s, 2);
  props = parse_text (saban_stmt_column_text (s, 3));
  it->props = JSON_NODE_HOLDS_OBJECT (props) ? json_object_ref (json_node_get_object (props)) : json_object_new ();
  it->geometry = parse_text (saban_stmt_column_text (s, 4));
  return TRUE;
}

static void
set_etag (SabanRequest *req, gint64 version)
{
  g_autofree char *etag = g_strdup_printf ("\"v%" G_GINT64_FORMAT "\"", version);

  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "ETag", etag);
}

static void
item_get (SabanRequest *req, SabanCollection *c, gint64 fid)
{
  const Kind *k = c->data;
  SabanStore *store = saban_server_get_store (req->server);
  g_autofree char *base = saban_request_base_url (req);

  if (g_str_equal (k->id, "scenario-log"))
    {
      g_autoptr(SabanStmt) s = saban_store_prepare (store, "SELECT id, scenario_id, task_id, at, actor, "
                                                       "from_status, to_status, note FROM scenario_log WHERE id = ?",
                                                       NULL);
      g_autoptr(JsonNode) node = NULL;

      saban_stmt_bind_int64 (s, 1, fid);
      if (!saban_stmt_step (s, NULL))
        {
          saban_request_error (req, SOUP_STATUS_NOT_FOUND, "not-found", "no such feature");
          return;
        }
      node = log_feature_node (s, base);
      saban_request_reply_json (req, SOUP_STATUS_OK, "application/geo+json", node);
      return;
    }
  {
    g_autoptr(SabanStmt) s = saban_store_prepare (store, "SELECT version, properties, geometry FROM items "
                                                     "WHERE collection = ? AND id = ?", NULL);
    g_autoptr(JsonNode) node = NULL;

    saban_stmt_bind_text (s, 1, k->id);
    saban_stmt_bind_int64 (s, 2, fid);
    if (!saban_stmt_step (s, NULL))
      {
        saban_request_error (req, SOUP_STATUS_NOT_FOUND, "not-found", "no such feature");
        return;
      }
    node = feature_node (fid, saban_stmt_column_text (s, 1), saban_stmt_column_text (s, 2),
                         base, k->id);
    set_etag (req, saban_stmt_column_int64 (s, 0));
    saban_request_reply_json (req, SOUP_STATUS_OK, "application/geo+json", node);
  }
}

/* ---- writing ------------------------------------------------------------- */

/* What an Idempotency-Key is bound to: SHA-256 of method, path and body. */
static char *
request_hash (SabanRequest *req)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len = 0;
  const guchar *body = req->body ? g_bytes_get_data (req->body, &len) : NULL;

  g_checksum_update (sum, (const guchar *) req->method, -1);
  g_checksum_update (sum, (const guchar *) "\n", 1);
  g_checksum_update (sum, (const guchar *) req->path, -1);
  g_checksum_update (sum, (const guchar *) "\n", 1);
  if (body != NULL)
    g_checksum_update (sum, body, len);
  return g_strdup (g_checksum_get_string (sum));
}

/* Replays the stored response of a repeated Idempotency-Key; TRUE if it
 * did. The same key with another request (a different body, say) is a 422,
 * never the first request's answer. */
static gboolean
idempotent_replay (SabanRequest *req, const char *key)
{
  g_autoptr(SabanStmt) s = NULL;
  SoupMessageHeaders *h = soup_server_message_get_response_headers (req->msg);
  g_autofree char *hash = request_hash (req);
  const char *body;

  s = saban_store_prepare (saban_server_get_store (req->server),
                           "SELECT username, method, path, status, location, etag, body, request_hash "
                           "FROM idempotency WHERE key = ?", NULL);
  saban_stmt_bind_text (s, 1, key);
  if (!saban_stmt_step (s, NULL))
    return FALSE;
  /* rows stored before the hash was kept (NULL) are bound to method and path only */
  if (g_strcmp0 (saban_stmt_column_text (s, 0), req->user) != 0 ||
      g_strcmp0 (saban_stmt_column_text (s, 1), req->method) != 0 ||
      g_strcmp0 (saban_stmt_column_text (s, 2), req->path) != 0 ||
      (!saban_stmt_column_is_null (s, 7) && g_strcmp0 (saban_stmt_column_text (s, 7), hash) != 0))
    {
      saban_request_error (req, 422, "idempotency-key-reused",
                           "this Idempotency-Key was used for a different request");
      return TRUE;
    }
  if (!saban_stmt_column_is_null (s, 4))
    soup_message_headers_replace (h, "Location", saban_stmt_column_text (s, 4));
  if (!saban_stmt_column_is_null (s, 5))
    soup_message_headers_replace (h, "ETag", saban_stmt_column_text (s, 5));
  soup_message_headers_replace (h, "Idempotent-Replayed", "true");
  body = saban_stmt_column_text (s, 6);
  saban_request_reply_bytes (req, saban_stmt_column_int64 (s, 3), "application/geo+json", body ? body : "",
                             body ? strlen (body) : 0);
  return TRUE;
}

static gboolean
idempotency_key (SabanRequest *req, const char **key)
{
  *key = saban_request_header (req, "Idempotency-Key");
  if (*key == NULL)
    return TRUE;
  if (strlen (*key) == 0 || strlen (*key) > 200 || !g_str_is_ascii (*key))
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-idempotency-key",
                           "Idempotency-Key must be 1–200 ASCII characters");
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  SabanRequest *req;
  SabanStore   *store;
  GError       *error;
  GPtrArray    *published;  /* pairs: topic, JsonNode */
} Write;

static gboolean
append_log (Write *w, gint64 scenario_id, gint64 task_id, const char *from, const char *to, const char *note)
{
  g_autoptr(SabanStmt) s = NULL;
  g_autofree char *now = saban_store_now ();

  if (w->error)
    return FALSE;
  s = saban_store_prepare (w->store, "INSERT INTO scenario_log (scenario_id, task_id, at, actor, from_status, "
                           "to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?) "
                           "RETURNING id, scenario_id, task_id, at, actor, from_status, to_status, note", &w->error);
  if (s == NULL)
    return FALSE;
  if (scenario_id > 0)
    saban_stmt_bind_int64 (s, 1, scenario_id);
  if (task_id > 0)
    saban_stmt_bind_int64 (s, 2, task_id);
  saban_stmt_bind_text (s, 3, now);
  saban_stmt_bind_text (s, 4, w->req->user);
  saban_stmt_bind_text (s, 5, from);
  saban_stmt_bind_text (s, 6, to);
  saban_stmt_bind_text (s, 7, note);
  if (!saban_stmt_step (s, &w->error))
    {
      if (w->error == NULL)
        g_set_error (&w->error, SABAN_STORE_ERROR, SABAN_STORE_ERROR_FAILED, "the log entry was not written");
      return FALSE;
    }
  if (scenario_id > 0)
    {
      g_ptr_array_add (w->published, g_strdup_printf ("ioc/v1/scenarios/%" G_GINT64_FORMAT "/log", scenario_id));
      g_ptr_array_add (w->published, saban_command_notice_to_json ("scenario-log", saban_stmt_column_int64 (s, 0), 0,
                                                                   now, scenario_id, NULL));
    }
  return saban_stmt_run (s, &w->error);
}

static gboolean
store_idempotency (Write *w, const char *key, guint status, const char *location, const char *etag,
                   const char *body)
{
  g_autoptr(SabanStmt) s = NULL;
  g_autofree char *now = saban_store_now (), *hash = NULL;

  if (key == NULL)
    return TRUE;
  hash = request_hash (w->req);
  s = saban_store_prepare (w->store, "INSERT INTO idempotency (key, username, method, path, status, location, "
                           "etag, body, at, request_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &w->error);
  if (s == NULL)
    return FALSE;
  saban_stmt_bind_text (s, 1, key);
  saban_stmt_bind_text (s, 2, w->req->user);
  saban_stmt_bind_text (s, 3, w->req->method);
  saban_stmt_bind_text (s, 4, w->req->path);
  saban_stmt_bind_int64 (s, 5, status);
  saban_stmt_bind_text (s, 6, location);
  saban_stmt_bind_text (s, 7, etag);
  saban_stmt_bind_text (s, 8, body);
  saban_stmt_bind_text (s, 9, now);
  saban_stmt_bind_text (s, 10, hash);
  if (!saban_stmt_run (s, &w->error))
    return FALSE;
  return TRUE;
}

static char *
node_text (JsonNode *n)
{
  return (n == NULL || JSON_NODE_HOLDS_NULL (n)) ? NULL : json_to_string (n, FALSE);
}

static char *
object_text (JsonObject *o)
{
  g_autoptr(JsonNode) n = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (n, o);
  return json_to_string (n, FALSE);
}

static const char *
assignee_id (JsonObject *props)
{
  JsonNode *a = json_object_get_member (props, "assignee");

  if (a == NULL || !JSON_NODE_HOLDS_OBJECT (a))
    return NULL;
  return json_object_get_string_member_with_default (json_node_get_object (a), "id", NULL);
}

/* The MQTT messages of a write, in its transaction: they go out once it
 * commits. Notices, not the item: every account of the broker reads them,
 * and what the item holds (names, phones, free text) is for HTTPS, the
 * role's masking and the audit (docs/security.md). */
static void
announce_write (Write *w, const char *collection, gint64 id, gint64 scenario_id, gint64 version,
                const char *updated, const char *const *changed)
{
  SabanServer *server = w->req->server;
  g_autofree char *topic = g_strdup_printf ("ioc/v1/collections/%s/items/%" G_GINT64_FORMAT, collection, id);
  g_autoptr(JsonNode) notice = saban_command_notice_to_json (collection, id, version, updated,
                                                             g_str_equal (collection, "scenarios") ? 0 : scenario_id,
                                                             changed);

  saban_server_publish (server, topic, notice);
  if (g_str_equal (collection, "tasks") && scenario_id > 0)
    {
      g_autofree char *t = g_strdup_printf ("ioc/v1/scenarios/%" G_GINT64_FORMAT "/tasks", scenario_id);
      saban_server_publish (server, t, notice);
    }
  for (guint i = 0; i + 1 < w->published->len; i += 2)
    saban_server_publish (server, g_ptr_array_index (w->published, i), g_ptr_array_index (w->published, i + 1));
}

/* The names of the properties a PATCH changed (the version and the time
 * of the change aside: the notice carries them), and "geometry". */
static GPtrArray *
changed_names (JsonObject *before, JsonObject *after, gboolean geometry_changed)
{
  GPtrArray *names = g_ptr_array_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *v, *old;

  json_object_iter_init (&iter, after);
  while (json_object_iter_next (&iter, &name, &v))
    if (!g_str_equal (name, "version") && !g_str_equal (name, "updated") &&
        ((old = json_object_get_member (before, name)) == NULL || !json_node_equal (old, v)))
      g_ptr_array_add (names, (gpointer) name);
  json_object_iter_init (&iter, before);
  while (json_object_iter_next (&iter, &name, &v))
    if (!json_object_has_member (after, name))
      g_ptr_array_add (names, (gpointer) name);
  if (geometry_changed)
    g_ptr_array_add (names, (gpointer) "geometry");
  g_ptr_array_add (names, NULL);
  return names;
}

static void
write_clear (Write *w)
{
  for (guint i = 0; i + 1 < w->published->len; i += 2)
    {
      g_free (g_ptr_array_index (w->published, i));
      json_node_unref (g_ptr_array_index (w->published, i + 1));
    }
  g_clear_error (&w->error);
  g_ptr_array_unref (w->published);
}


/* A written Feature has type, geometry and properties, nothing else: any
 * other member is refused rather than dropped, and one that is a property
 * of the collection gets a reply saying where it goes. */
static gboolean
check_members (SabanRequest *req, const char *collection, JsonObject *o)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *v;

  json_object_iter_init (&iter, o);
  while (json_object_iter_next (&iter, &name, &v))
    {
      if (g_str_equal (name, "type") || g_str_equal (name, "geometry") || g_str_equal (name, "properties"))
        continue;
      if (g_str_equal (name, "id"))
        saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "read-only-property", "id is set by the server");
      else if (saban_command_schema_find_field (collection, name) != NULL)
        saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-request",
                             "%s is a property: send it inside \"properties\"", name);
      else
        saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-request", "unknown member of a Feature: %s", name);
      return FALSE;
    }
  return TRUE;
}

static JsonObject *
parse_feature_body (SabanRequest *req, const char *collection, JsonNode **geometry, gboolean *has_geometry,
                    gboolean patch)
{
  g_autoptr(JsonNode) root = saban_request_parse_json (req);
  JsonObject *o, *props;
  JsonNode *type;

  *has_geometry = FALSE;
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-request", "the body must be a GeoJSON Feature");
      return NULL;
    }
  o = json_node_get_object (root);
  type = json_object_get_member (o, "type");
  if ((!patch || type != NULL) &&
      (type == NULL || !is_string (type) || !g_str_equal (json_node_get_string (type), "Feature")))
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-request", "the body must be a GeoJSON Feature");
      return NULL;
    }
  if (!check_members (req, collection, o))
    return NULL;
  if (json_object_has_member (o, "geometry"))
    {
      *has_geometry = TRUE;
      *geometry = json_node_copy (json_object_get_member (o, "geometry"));
    }
  if (!json_object_has_member (o, "properties"))
    {
      if (!patch)
        {
          saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-request", "the Feature has no properties");
          return NULL;
        }
      return json_object_new ();
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "properties")))
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-request", "properties must be an object");
      return NULL;
    }
  props = json_object_get_object_member (o, "properties");
  return json_object_ref (props);
}

/* Checks the scenario a task or sitrep belongs to; replies and returns FALSE if unusable. */
static gboolean
check_scenario (SabanRequest *req, SabanStore *store, gint64 scenario_id)
{
  Item sc;

  if (!load_item (store, "scenarios", scenario_id, &sc))
    {
      saban_request_error (req, 422, "unknown-scenario", "scenario %" G_GINT64_FORMAT " does not exist", scenario_id);
      return FALSE;
    }
  if (saban_command_schema_is_terminal ("scenarios", sc.status))
    {
      saban_request_error (req, 422, "scenario-closed", "scenario %" G_GINT64_FORMAT " is %s", scenario_id,
                           sc.status);
      item_clear (&sc);
      return FALSE;
    }
  item_clear (&sc);
  return TRUE;
}

/* The same Idempotency-Key may arrive twice at once (a client's retry at a
 * second server behind the load balancer): the later write then finds the
 * key taken when it stores it, and answers with the earlier one's response.
 * TRUE once it did. */
static gboolean
replayed_after_race (SabanRequest *req, SabanStore *store, const char *key, GError *error)
{
  if (key == NULL || !g_error_matches (error, SABAN_STORE_ERROR, SABAN_STORE_ERROR_CONSTRAINT))
    return FALSE;
  saban_store_rollback (store);
  return idempotent_replay (req, key);
}

static void
storage_error (SabanRequest *req, SabanStore *store, GError *error)
{
  saban_store_rollback (store);
  saban_request_storage_error (req, error);
}

/* 409: @requested is not a state the item may go to from @current (NULL
 * for a new item); the body names the states it may go to. */
static void
illegal_transition (SabanRequest *req, const char *current, const char *requested, const char *const *allowed,
                    const char *description)
{
  g_autoptr(JsonObject) extra = json_object_new ();
  JsonArray *list = json_array_new ();

  for (guint i = 0; allowed[i] != NULL; i++)
    json_array_add_string_element (list, allowed[i]);
  if (current != NULL)
    json_object_set_string_member (extra, "current", current);
  json_object_set_string_member (extra, "requested", requested);
  json_object_set_array_member (extra, "allowed", list);
  saban_message_error (req->msg, SOUP_STATUS_CONFLICT, "illegal-transition", description, extra);
}

/* A new scenario or task starts in its first state: a status is refused
 * (409) unless it is that one. */
static gboolean
check_initial_status (SabanRequest *req, const char *collection, JsonObject *props)
{
  const char *initial = saban_command_schema_get_initial_state (collection);
  const char *requested = json_object_get_string_member_with_default (props, "status", NULL);
  g_autofree char *description = NULL;

  if (requested == NULL || g_str_equal (requested, initial))
    return TRUE;
  description = g_strdup_printf ("new items start as %s; change the status with PATCH", initial);
  illegal_transition (req, NULL, requested, (const char *const[]) { initial, NULL }, description);
  return FALSE;
}

static void
item_create (SabanRequest *req, SabanCollection *c)
{
  const Kind *k = c->data;
  SabanStore *store = saban_server_get_store (req->server);
  g_autoptr(JsonObject) props = NULL;
  g_autoptr(JsonNode) geometry = NULL, feature = NULL;
  g_autofree char *why = NULL, *now = NULL, *props_text = NULL, *geom_text = NULL, *location = NULL;
  g_autofree char *etag = NULL, *body = NULL, *base = NULL, *target = NULL;
  g_autoptr(SabanStmt) s = NULL;
  Write w = { req, store, NULL, g_ptr_array_new () };
  const char *key, *status;
  gboolean has_geometry;
  double bbox[4] = { 0 };
  gboolean has_bbox = FALSE;
  gint64 scenario_id = 0, id;

  if (!saban_request_require_role (req, k->create_action,
                                   saban_command_schema_get_writers (k->id, SABAN_COMMAND_POST)) ||
      !idempotency_key (req, &key) || (key != NULL && idempotent_replay (req, key)))
    goto out;
  props = parse_feature_body (req, k->id, &geometry, &has_geometry, FALSE);
  if (props == NULL || !check_settable (req, k->id, props, SABAN_COMMAND_POST))
    goto out;
  if (!check_required (k->id, props, &why) || !check_geometry (geometry, k->geometries, bbox, &has_bbox, &why))
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid-feature", "%s", why);
      goto out;
    }
  if (!check_initial_status (req, k->id, props))
    goto out;
  if (g_str_equal (k->id, "acknowledgements") && !json_object_has_member (props, "datastreamId") &&
      !json_object_has_member (props, "capIdentifier"))
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid-feature",
                           "an acknowledgement names a datastreamId or a capIdentifier");
      goto out;
    }
  if (json_object_has_member (props, "scenarioId"))
    {
      scenario_id = json_object_get_int_member (props, "scenarioId");
      if (!check_scenario (req, store, scenario_id))
        goto out;
    }

  /* server-managed members */
  now = saban_store_now ();
  status = saban_command_schema_get_initial_state (k->id);
  if (status != NULL)
    json_object_set_string_member (props, "status", status);
  json_object_set_string_member (props, "created", now);
  if (!g_str_equal (k->id, "sitreps"))
    json_object_set_string_member (props, "updated", now);
  json_object_set_int_member (props, "version", 1);
  if (g_str_equal (k->id, "sitreps"))
    {
      g_autoptr(SabanStmt) n = saban_store_prepare (store, "SELECT COUNT(*) FROM items WHERE collection = "
                                                       "'sitreps' AND scenario_id = ?", NULL);
      saban_stmt_bind_int64 (n, 1, scenario_id);
      json_object_set_int_member (props, "reportNumber", saban_stmt_step (n, NULL) ? saban_stmt_column_int64 (n, 0) + 1 : 1);
      if (!json_object_has_member (props, "reportVersion"))
        json_object_set_string_member (props, "reportVersion", "update");
      if (!json_object_has_member (props, "preparedBy"))
        json_object_set_string_member (props, "preparedBy", req->user);
    }
  if (g_str_equal (k->id, "acknowledgements"))
    json_object_set_string_member (props, "acknowledgedBy", req->user);

  props_text = object_text (props);
  geom_text = node_text (geometry);
  if (!saban_store_begin (store, &w.error))
    goto fail;
  s = saban_store_prepare (store, "INSERT INTO items (collection, version, status, scenario_id, assignee, created, "
                           "updated, minx, miny, maxx, maxy, properties, geometry) "
                           "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", &w.error);
  if (s == NULL)
    goto fail;
  saban_stmt_bind_text (s, 1, k->id);
  saban_stmt_bind_text (s, 2, status);
  if (scenario_id > 0)
    saban_stmt_bind_int64 (s, 3, scenario_id);
  saban_stmt_bind_text (s, 4, assignee_id (props));
  saban_stmt_bind_text (s, 5, now);
  saban_stmt_bind_text (s, 6, now);
  if (has_bbox)
    for (int i = 0; i < 4; i++)
      saban_stmt_bind_double (s, 7 + i, bbox[i]);
  saban_stmt_bind_text (s, 11, props_text);
  saban_stmt_bind_text (s, 12, geom_text);
  if ((id = saban_stmt_insert (s, &w.error)) == 0)
    goto fail;
  if (g_str_equal (k->id, "scenarios"))
    scenario_id = id;

  {
    g_autofree char *note = g_strdup_printf ("%s %" G_GINT64_FORMAT " created", k->id, id);
    if (!append_log (&w, scenario_id, g_str_equal (k->id, "tasks") ? id : 0, NULL, status, note))
      goto fail;
  }
  base = saban_request_base_url (req);
  feature = feature_node (id, props_text, geom_text, base, k->id);
  body = json_to_string (feature, FALSE);
  location = g_strdup_printf ("%s/collections/%s/items/%" G_GINT64_FORMAT, base, k->id, id);
  etag = g_strdup ("\"v1\"");
  target = g_strdup_printf ("%s/%" G_GINT64_FORMAT, k->id, id);
  if (!store_idempotency (&w, key, SOUP_STATUS_CREATED, location, etag, body) ||
      !saban_store_audit (store, req->user, "create", target, status, &w.error))
    goto fail;
  announce_write (&w, k->id, id, scenario_id, 1, now, NULL);
  if (!saban_store_commit (store, &w.error))
    goto fail;

  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Location", location);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "ETag", etag);
  saban_request_reply_bytes (req, SOUP_STATUS_CREATED, "application/geo+json", body, strlen (body));
  goto out;

fail:
  if (!replayed_after_race (req, store, key, w.error))
    storage_error (req, store, w.error);
out:
  write_clear (&w);
}

static gboolean
open_tasks (SabanRequest *req, gint64 scenario_id)
{
  g_autoptr(SabanStmt) s = saban_store_prepare (saban_server_get_store (req->server),
                                                   "SELECT id, status FROM items WHERE collection = 'tasks' "
                                                   "AND scenario_id = ? ORDER BY id", NULL);
  g_autoptr(JsonObject) extra = json_object_new ();
  JsonArray *ids = json_array_new ();

  saban_stmt_bind_int64 (s, 1, scenario_id);
  while (saban_stmt_step (s, NULL))
    if (!saban_command_schema_is_terminal ("tasks", saban_stmt_column_text (s, 1)))
      json_array_add_int_element (ids, saban_stmt_column_int64 (s, 0));
  if (json_array_get_length (ids) == 0)
    {
      json_array_unref (ids);
      return FALSE;
    }
  json_object_set_array_member (extra, "openTasks", ids);
  saban_message_error (req->msg, SOUP_STATUS_CONFLICT, "open-tasks",
                       "a scenario closes only when every task is completed, failed or cancelled", extra);
  return TRUE;
}

/* The status a PATCH moves the item to: its own if the PATCH asks for
 * none or for that one. NULL once it has replied 403 or 409. */
static char *
patch_status (SabanRequest *req, const char *collection, Item *it, JsonObject *patch)
{
  static const char *const none[] = { NULL };
  const char *to = json_object_get_string_member_with_default (patch, "status", it->status);
  const char *const *next = saban_command_schema_get_next_states (collection, it->status);

  if (g_str_equal (to, it->status))
    return g_strdup (to);
  if (!saban_command_schema_allows (collection, it->status, to))
    {
      g_autofree char *description = g_strdup_printf ("%s → %s is not allowed", it->status, to);

      illegal_transition (req, it->status, to, next != NULL ? next : none, description);
      return NULL;
    }
  if (!saban_command_schema_may_transition (collection, it->status, to, req->role))
    {
      saban_request_error (req, SOUP_STATUS_FORBIDDEN, "forbidden", "the role %s may not move %s from %s to %s",
                           req->role, collection, it->status, to);
      return NULL;
    }
  if (g_str_equal (collection, "scenarios") && g_str_equal (to, "closed") && open_tasks (req, it->id))
    return NULL;
  return g_strdup (to);
}

/* the times a transition records, and a completed task's progress */
static void
stamp_transition (JsonObject *props, const char *collection, const char *to, const char *now)
{
  const char *stamp = g_str_equal (to, "active") && !json_object_has_member (props, "activatedAt") ? "activatedAt"
                      : g_str_equal (to, "closed") ? "closedAt"
                      : g_str_equal (to, "accepted") ? "acceptedAt"
                      : g_str_equal (to, "in_progress") && !json_object_has_member (props, "startedAt") ? "startedAt"
                      : g_str_equal (collection, "tasks") && saban_command_schema_is_terminal (collection, to)
                        ? "finishedAt" : NULL;

  if (stamp != NULL)
    json_object_set_string_member (props, stamp, now);
  if (g_str_equal (to, "completed"))
    json_object_set_int_member (props, "progress", 100);
}

/* A PATCH that changes nothing: 200 with the item as it is, its version
 * kept, nothing logged or published; an Idempotency-Key still replays it. */
static void
reply_unchanged (SabanRequest *req, const Kind *k, Item *it, const char *key)
{
  SabanStore *store = saban_server_get_store (req->server);
  g_autofree char *base = saban_request_base_url (req);
  g_autofree char *props_text = object_text (it->props);
  g_autofree char *geom_text = node_text (it->geometry);
  g_autoptr(JsonNode) feature = feature_node (it->id, props_text, geom_text, base, k->id);
  g_autofree char *body = json_to_string (feature, FALSE);
  g_autofree char *etag = g_strdup_printf ("\"v%" G_GINT64_FORMAT "\"", it->version);
  Write w = { req, store, NULL, g_ptr_array_new () };

  if (key != NULL && (!saban_store_begin (store, &w.error) ||
                      !store_idempotency (&w, key, SOUP_STATUS_OK, NULL, etag, body) ||
                      !saban_store_commit (store, &w.error)))
    storage_error (req, store, w.error);
  else
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "ETag", etag);
      saban_request_reply_bytes (req, SOUP_STATUS_OK, "application/geo+json", body, strlen (body));
    }
  write_clear (&w);
}

/* The item after @patch (a merge patch of its properties, without status),
 * checked; NULL once it has replied 400 or 422. */
static JsonObject *
merge_properties (SabanRequest *req, const char *collection, Item *it, JsonObject *patch, const char *status)
{
  g_autoptr(JsonObject) merged = json_object_new ();
  g_autofree char *why = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *v;

  json_object_iter_init (&iter, it->props);
  while (json_object_iter_next (&iter, &name, &v))
    json_object_set_member (merged, name, json_node_copy (v));
  json_object_remove_member (patch, "status");
  saban_json_merge_patch (merged, patch);
  if (!check_required (collection, merged, &why))
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid-feature", "%s", why);
      return NULL;
    }
  if (g_str_equal (collection, "tasks") && g_str_equal (status, "assigned") && assignee_id (merged) == NULL)
    {
      saban_request_error (req, 422, "no-assignee", "a task is assigned to someone: set assignee");
      return NULL;
    }
  return g_steal_pointer (&merged);
}

static void
item_patch (SabanRequest *req, SabanCollection *c, gint64 fid)
{
  const Kind *k = c->data;
  gboolean is_scenario = g_str_equal (k->id, "scenarios");
  SabanStore *store = saban_server_get_store (req->server);
  g_autoptr(JsonObject) patch = NULL, merged = NULL;
  g_autoptr(JsonNode) geometry = NULL, feature = NULL;
  g_autofree char *why = NULL, *now = NULL, *props_text = NULL, *geom_text = NULL, *etag = NULL;
  g_autofree char *body = NULL, *base = NULL, *target = NULL, *current_etag = NULL, *note = NULL;
  g_autofree char *new_status = NULL;
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(SabanStmt) s = NULL;
  Write w = { req, store, NULL, g_ptr_array_new () };
  const char *key, *if_match;
  gboolean has_geometry;
  double bbox[4] = { 0 };
  gboolean has_bbox = FALSE;
  Item it = { 0 };

  if (!saban_request_require_role (req, is_scenario ? "change scenarios" : "change tasks",
                                   saban_command_schema_get_writers (k->id, SABAN_COMMAND_PATCH)) ||
      !idempotency_key (req, &key) || (key != NULL && idempotent_replay (req, key)))
    goto out;
  if_match = saban_request_header (req, "If-Match");
  if (if_match == NULL)
    {
      saban_request_error (req, 428, "precondition-required",
                           "PATCH needs If-Match with the ETag of the version you changed");
      goto out;
    }
  if (!load_item (store, k->id, fid, &it))
    {
      saban_request_error (req, SOUP_STATUS_NOT_FOUND, "not-found", "no such feature");
      goto out;
    }
  current_etag = g_strdup_printf ("\"v%" G_GINT64_FORMAT "\"", it.version);
  if (!g_str_equal (g_str_has_prefix (if_match, "W/") ? if_match + 2 : if_match, current_etag))
    {
      set_etag (req, it.version);
      saban_request_error (req, SOUP_STATUS_PRECONDITION_FAILED, "stale",
                           "the item changed since; its ETag is now %s", current_etag);
      goto out;
    }
  patch = parse_feature_body (req, k->id, &geometry, &has_geometry, TRUE);
  if (patch == NULL || !check_settable (req, k->id, patch, SABAN_COMMAND_PATCH) ||
      (!is_scenario && !check_scenario (req, store, it.scenario_id)) ||
      (new_status = patch_status (req, k->id, &it, patch)) == NULL ||
      (merged = merge_properties (req, k->id, &it, patch, new_status)) == NULL)
    goto out;
  if (has_geometry && !check_geometry (geometry, k->geometries, bbox, &has_bbox, &why))
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid-feature", "%s", why);
      goto out;
    }
  if (g_str_equal (new_status, it.status) && json_object_equal (merged, it.props) &&
      (!has_geometry || json_node_equal (geometry, it.geometry)))
    {
      reply_unchanged (req, k, &it, key);
      goto out;
    }

  now = saban_store_now ();
  json_object_set_string_member (merged, "status", new_status);
  json_object_set_string_member (merged, "updated", now);
  json_object_set_int_member (merged, "version", it.version + 1);
  if (!g_str_equal (new_status, it.status))
    stamp_transition (merged, k->id, new_status, now);
  props_text = object_text (merged);
  if (has_geometry)
    geom_text = node_text (geometry);
  else
    {
      geom_text = node_text (it.geometry);
      if (geom_text != NULL)
        check_geometry (it.geometry, k->geometries, bbox, &has_bbox, &why);
    }
  note = !g_str_equal (new_status, it.status) ? g_strdup_printf ("status %s → %s", it.status, new_status)
                                              : g_strdup ("updated");

  if (!saban_store_begin (store, &w.error))
    goto fail;
  s = saban_store_prepare (store, "UPDATE items SET version = version + 1, status = ?, assignee = ?, updated = ?, "
                           "minx = ?, miny = ?, maxx = ?, maxy = ?, properties = ?, geometry = ? "
                           "WHERE collection = ? AND id = ? AND version = ?", &w.error);
  if (s == NULL)
    goto fail;
  saban_stmt_bind_text (s, 1, new_status);
  saban_stmt_bind_text (s, 2, assignee_id (merged));
  saban_stmt_bind_text (s, 3, now);
  if (has_bbox)
    for (int i = 0; i < 4; i++)
      saban_stmt_bind_double (s, 4 + i, bbox[i]);
  saban_stmt_bind_text (s, 8, props_text);
  saban_stmt_bind_text (s, 9, geom_text);
  saban_stmt_bind_text (s, 10, k->id);
  saban_stmt_bind_int64 (s, 11, fid);
  saban_stmt_bind_int64 (s, 12, it.version);
  if (!saban_stmt_run (s, &w.error))
    goto fail;
  if (saban_stmt_changes (s) != 1)
    {
      /* another server on the database changed it since it was read */
      saban_store_rollback (store);
      saban_request_error (req, SOUP_STATUS_PRECONDITION_FAILED, "stale",
                           "the item changed while this request ran; read it again");
      goto out;
    }
  if (!append_log (&w, is_scenario ? fid : it.scenario_id, is_scenario ? 0 : fid, it.status, new_status, note))
    goto fail;
  base = saban_request_base_url (req);
  feature = feature_node (fid, props_text, geom_text, base, k->id);
  body = json_to_string (feature, FALSE);
  etag = g_strdup_printf ("\"v%" G_GINT64_FORMAT "\"", it.version + 1);
  target = g_strdup_printf ("%s/%" G_GINT64_FORMAT, k->id, fid);
  if (!store_idempotency (&w, key, SOUP_STATUS_OK, NULL, etag, body) ||
      !saban_store_audit (store, req->user, "update", target, note, &w.error))
    goto fail;
  changed = changed_names (it.props, merged, has_geometry && !json_node_equal (geometry, it.geometry));
  announce_write (&w, k->id, fid, is_scenario ? fid : it.scenario_id, it.version + 1, now,
                  (const char *const *) changed->pdata);
  if (!saban_store_commit (store, &w.error))
    goto fail;

  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "ETag", etag);
  saban_request_reply_bytes (req, SOUP_STATUS_OK, "application/geo+json", body, strlen (body));
  goto out;

fail:
  if (!replayed_after_race (req, store, key, w.error))
    storage_error (req, store, w.error);
out:
  item_clear (&it);
  write_clear (&w);
}

/* ---- seeding and registration ------------------------------------------ */

gboolean
saban_command_api_has_items (SabanStore *store, const char *collection)
{
  g_autoptr(SabanStmt) s = saban_store_prepare (store, "SELECT 1 FROM items WHERE collection = ? LIMIT 1", NULL);

  saban_stmt_bind_text (s, 1, collection);
  return saban_stmt_step (s, NULL);
}

/**
 * saban_command_api_insert_seed:
 * Inserts a read-only item (a playbook) for the demo.
 */
gboolean
saban_command_api_insert_seed (SabanStore *store, const char *collection, JsonObject *props, const char *time,
                               GError **error)
{
  g_autoptr(SabanStmt) s = NULL;
  g_autofree char *text = NULL;

  json_object_set_string_member (props, "updated", time);
  json_object_set_int_member (props, "version", 1);
  text = object_text (props);
  s = saban_store_prepare (store, "INSERT INTO items (collection, created, updated, properties) "
                           "VALUES (?, ?, ?, ?)", error);
  if (s == NULL)
    return FALSE;
  saban_stmt_bind_text (s, 1, collection);
  saban_stmt_bind_text (s, 2, time);
  saban_stmt_bind_text (s, 3, time);
  saban_stmt_bind_text (s, 4, text);
  if (!saban_stmt_run (s, error))
    return FALSE;
  return TRUE;
}

void
saban_command_api_register (SabanServer *server)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      SabanCollection *c = g_new0 (SabanCollection, 1);
      const Kind *k = &kinds[i];

      c->id = g_strdup (k->id);
      c->title = g_strdup (k->title);
      c->description = g_strdup (k->description);
      c->needs_token = TRUE;
      c->items = items_list;
      c->item = item_get;
      if (saban_command_schema_get_writers (k->id, SABAN_COMMAND_POST)[0] != NULL)
        c->create = item_create;
      if (saban_command_schema_get_writers (k->id, SABAN_COMMAND_PATCH)[0] != NULL)
        c->patch = item_patch;
      c->data = (gpointer) k;
      saban_server_add_collection (server, c);
    }
}
