/* saban-sensorthings.c: OGC SensorThings API 1.1 (a read subset plus
 * POST Observations) under /v1.1, and its MQTT extension topics.
 *
 * Paths, query options and SQL come from the entity model in
 * saban-sta-query.c; here entities are read (GETs in a worker thread, on a
 * read-only connection), written as JSON, and Observations created, with
 * the MQTT message and the CAP alert that follow a commit.
 */
#include "saban-sensorthings.h"
#include "saban-json.h"
#include "saban-cap.h"
#include "saban-ogc-features.h"
#include "saban-sta-query.h"
#include "saban-sqlite-store.h"

#include <math.h>

static SabanStaSnapshotFunc snapshot_func;

/* ---- reading entities -------------------------------------------------------- */

typedef struct
{
  SabanStore *store;  /* the main store, or a reader in a worker */
  const char *base;   /* the public URL */
} Ctx;

/* What one query returned. */
typedef struct
{
  JsonArray *rows;    /* the entities, or NULL: */
  GString   *text;    /* the entities as JSON text, comma-separated (the top query) */
  gsize      budget;  /* with text: stop adding once it is this long */
  guint      n;       /* entities returned */
  gboolean   more;    /* more match than were returned */
  gint64     count;   /* with $count, how many match; else -1 */
} Page;

static gboolean
selected (const Query *q, const char *name)
{
  return q == NULL || q->select == NULL || g_strv_contains ((const char *const *) q->select, name);
}

static char *
select_columns (int set)
{
  GString *cols = g_string_new ("e.id");

  for (const Prop *p = saban_sta_sets[set].props; p->name != NULL; p++)
    if (p->kind == K_POINT)
      g_string_append (cols, ", e.lon, e.lat");
    else if (p->kind != K_CONST)
      g_string_append_printf (cols, ", e.%s", p->column);
  return g_string_free (cols, FALSE);
}

static JsonNode *
json_from_text (const char *text)
{
  g_autoptr(JsonNode) parsed = NULL;

  if (text == NULL || (parsed = saban_json_parse (text, -1, NULL)) == NULL)
    return json_node_new (JSON_NODE_NULL);
  return json_node_copy (parsed);
}

static JsonObject *point_json (double lon, double lat);

static gboolean run_query (Ctx *ctx, const Query *q, const Nav *nav, gint64 parent, gint64 only_id,
                           Page *page, GError **error);

static JsonObject *
row_json (Ctx *ctx, SabanStmt *st, const Query *q, GError **error)
{
  int set = q->set;
  gint64 id = saban_stmt_column_int64 (st, 0);
  g_autofree char *self = g_strdup_printf ("%s/v1.1/%s(%" G_GINT64_FORMAT ")", ctx->base, saban_sta_sets[set].name, id);
  JsonObject *o = json_object_new ();
  int col = 1;

  if (selected (q, "id") || selected (q, "@iot.id"))
    json_object_set_int_member (o, "@iot.id", id);
  if (q->select == NULL || selected (q, "@iot.selfLink"))
    json_object_set_string_member (o, "@iot.selfLink", self);
  for (const Prop *p = saban_sta_sets[set].props; p->name != NULL; p++)
    {
      gboolean want = selected (q, p->name);

      switch (p->kind)
        {
        case K_CONST:
          if (want)
            json_object_set_string_member (o, p->name, p->column);
          break;
        case K_POINT:
          if (want)
            json_object_set_object_member (o, p->name, point_json (saban_stmt_column_double (st, col),
                                                                    saban_stmt_column_double (st, col + 1)));
          col += 2;
          break;
        case K_NUM:
          if (want)
            json_object_set_double_member (o, p->name, saban_stmt_column_double (st, col));
          col++;
          break;
        case K_JSON:
          if (want)
            json_object_set_member (o, p->name, json_from_text (saban_stmt_column_text (st, col)));
          col++;
          break;
        default:
          if (want)
            {
              const char *t = saban_stmt_column_text (st, col);
              if (t != NULL)
                json_object_set_string_member (o, p->name, t);
              else
                json_object_set_null_member (o, p->name);
            }
          col++;
          break;
        }
    }
  for (const Nav *n = saban_sta_sets[set].navs; n->name != NULL; n++)
    {
      g_autofree char *member = g_strdup_printf ("%s@iot.navigationLink", n->name);
      g_autofree char *href = g_strdup_printf ("%s/%s", self, n->name);
      Expand *e = NULL;

      for (guint i = 0; q->expand != NULL && i < q->expand->len; i++)
        if (((Expand *) g_ptr_array_index (q->expand, i))->nav == n)
          e = g_ptr_array_index (q->expand, i);
      if (e == NULL)
        {
          if (selected (q, n->name))
            json_object_set_string_member (o, member, href);
          continue;
        }
      {
        g_autoptr(JsonArray) arr = json_array_new ();
        Page page = { arr, NULL, 0, 0, FALSE, -1 };

        if (!run_query (ctx, e->q, n, id, 0, &page, error))
          {
            json_object_unref (o);
            return NULL;
          }
        if (n->single)
          {
            if (json_array_get_length (arr) > 0)
              json_object_set_member (o, n->name, json_node_copy (json_array_get_element (arr, 0)));
            else
              json_object_set_null_member (o, n->name);
          }
        else
          {
            if (page.count >= 0)
              {
                g_autofree char *cm = g_strdup_printf ("%s@iot.count", n->name);
                json_object_set_int_member (o, cm, page.count);
              }
            json_object_set_array_member (o, n->name, g_steal_pointer (&arr));
            if (page.more)
              {
                g_autofree char *nm = g_strdup_printf ("%s@iot.nextLink", n->name);
                g_autofree char *next = g_strdup_printf ("%s?$skip=%u&$top=%u", href, e->q->skip + page.n, e->q->top);
                json_object_set_string_member (o, nm, next);
              }
          }
      }
    }
  return o;
}

static JsonObject *
point_json (double lon, double lat)
{
  JsonObject *g = json_object_new ();
  JsonArray *c = json_array_new ();

  json_object_set_string_member (g, "type", "Point");
  json_array_add_double_element (c, round (lon * 1e7) / 1e7);
  json_array_add_double_element (c, round (lat * 1e7) / 1e7);
  json_object_set_array_member (g, "coordinates", c);
  return g;
}

/* Adds one entity to @page; FALSE once the page is full (more follow). */
static gboolean
page_add (Page *page, JsonObject *o)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  if (page->text == NULL)
    {
      json_array_add_object_element (page->rows, o);
      page->n++;
      return TRUE;
    }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, o);
  text = json_to_string (node, FALSE);
  /* the first entity always, so a page is never empty when some match */
  if (page->n > 0 && page->text->len + strlen (text) > page->budget)
    return FALSE;
  if (page->n > 0)
    g_string_append_c (page->text, ',');
  g_string_append (page->text, text);
  page->n++;
  return TRUE;
}

/* Runs @q on its set, within the children of @parent through @nav when @nav is
 * given, or only the entity @only_id when it is > 0. */
static gboolean
run_query (Ctx *ctx, const Query *q, const Nav *nav, gint64 parent, gint64 only_id, Page *page, GError **error)
{
  g_autoptr(GPtrArray) binds = saban_sta_binds_new ();
  g_autoptr(GString) where = g_string_new ("TRUE");
  g_autofree char *cols = select_columns (q->set);
  g_autofree char *order = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(SabanStmt) st = NULL;

  if (nav != NULL)
    {
      g_autofree char *cond = g_strdup_printf (nav->where, "e", "?");

      g_string_append_printf (where, " AND %s", cond);
      saban_sta_bind_id (binds, parent);
    }
  if (only_id > 0)
    {
      g_string_append (where, " AND e.id = ?");
      saban_sta_bind_id (binds, only_id);
    }
  if (q->filter != NULL)
    {
      g_autofree char *f = saban_sta_compile_filter (q->set, "e", q->filter, saban_store_get_dialect (ctx->store),
                                                     binds, error);

      if (f == NULL)
        return FALSE;
      g_string_append_printf (where, " AND %s", f);
    }
  if ((order = saban_sta_compile_orderby (q, saban_store_get_dialect (ctx->store), error)) == NULL)
    return FALSE;

  if (q->count)
    {
      g_autofree char *csql = g_strdup_printf ("SELECT COUNT(*) FROM %s e WHERE %s", saban_sta_sets[q->set].table,
                                               where->str);
      g_autoptr(SabanStmt) cs = saban_store_prepare (ctx->store, csql, error);

      if (cs == NULL)
        return FALSE;
      saban_sta_bind_all (cs, binds);
      if (saban_stmt_step (cs, NULL))
        page->count = saban_stmt_column_int64 (cs, 0);
    }
  /* $top=0 asks for none (a count, say): no rows, and no next page of none */
  if (q->top == 0)
    return TRUE;
  sql = g_strdup_printf ("SELECT %s FROM %s e WHERE %s ORDER BY %s LIMIT %u OFFSET %u", cols,
                         saban_sta_sets[q->set].table, where->str, order, q->top + 1, q->skip);
  if ((st = saban_store_prepare (ctx->store, sql, error)) == NULL)
    return FALSE;
  saban_sta_bind_all (st, binds);
  while (saban_stmt_step (st, NULL))
    {
      JsonObject *o;

      if (page->n == q->top)
        {
          page->more = TRUE;
          break;
        }
      if ((o = row_json (ctx, st, q, error)) == NULL)
        return FALSE;
      if (!page_add (page, o))
        {
          page->more = TRUE;
          break;
        }
    }
  return TRUE;
}

static gboolean
entity_exists (SabanStore *store, int set, gint64 id, const Nav *nav, gint64 parent)
{
  g_autofree char *cond = nav ? g_strdup_printf (nav->where, "e", "?") : g_strdup ("TRUE");
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s e WHERE e.id = ? AND %s", saban_sta_sets[set].table, cond);
  g_autoptr(SabanStmt) st = saban_store_prepare (store, sql, NULL);

  if (st == NULL)
    return FALSE;
  saban_stmt_bind_int64 (st, 1, id);
  if (nav)
    saban_stmt_bind_int64 (st, 2, parent);
  return saban_stmt_step (st, NULL);
}

static gint64
single_target (SabanStore *store, const Nav *nav, gint64 parent)
{
  g_autofree char *cond = g_strdup_printf (nav->where, "e", "?");
  g_autofree char *sql = g_strdup_printf ("SELECT e.id FROM %s e WHERE %s", saban_sta_sets[nav->target].table, cond);
  g_autoptr(SabanStmt) st = saban_store_prepare (store, sql, NULL);

  if (st == NULL)
    return 0;
  saban_stmt_bind_int64 (st, 1, parent);
  return saban_stmt_step (st, NULL) ? saban_stmt_column_int64 (st, 0) : 0;
}

/* ---- paths ------------------------------------------------------------------------ */

typedef struct
{
  int        set;
  gint64     id;      /* > 0: one entity */
  const Nav *nav;     /* collection under a parent */
  gint64     parent;
  gboolean   single_nav;
} Target;

/* "Name" or "Name(123)" */
static gboolean
parse_segment (const char *seg, char **name, gint64 *id)
{
  const char *paren = strchr (seg, '(');

  *id = 0;
  if (paren == NULL)
    {
      *name = g_strdup (seg);
      return TRUE;
    }
  if (seg[strlen (seg) - 1] != ')')
    return FALSE;
  {
    g_autofree char *num = g_strndup (paren + 1, strlen (paren + 1) - 1);

    if (!saban_parse_fid (num, id))
      return FALSE;
  }
  *name = g_strndup (seg, paren - seg);
  return TRUE;
}

/* Resolves "Things(1)/Datastreams" and the like; replies 404 itself. */
static gboolean
resolve_path (SabanRequest *req, char **segs, Target *t)
{
  SabanStore *store = saban_server_get_store (req->server);
  g_autofree char *name = NULL;
  gint64 id;

  memset (t, 0, sizeof *t);
  if (segs[0] == NULL || !parse_segment (segs[0], &name, &id) || (t->set = saban_sta_find_set (name)) < 0)
    goto not_found;
  t->id = id;
  if (id > 0 && !entity_exists (store, t->set, id, NULL, 0))
    goto not_found;
  for (guint i = 1; segs[i] != NULL; i++)
    {
      const Nav *nav;
      g_autofree char *nname = NULL;
      gint64 nid;

      if (t->id == 0 || !parse_segment (segs[i], &nname, &nid) || (nav = saban_sta_find_nav (t->set, nname)) == NULL)
        goto not_found;
      if (nav->single)
        {
          if (nid != 0 || (t->id = single_target (store, nav, t->id)) == 0)
            goto not_found;
          t->set = nav->target;
          t->single_nav = TRUE;
        }
      else if (nid > 0)
        {
          if (!entity_exists (store, nav->target, nid, nav, t->id))
            goto not_found;
          t->set = nav->target;
          t->id = nid;
        }
      else
        {
          if (segs[i + 1] != NULL)
            goto not_found;
          t->nav = nav;
          t->parent = t->id;
          t->set = nav->target;
          t->id = 0;
        }
    }
  return TRUE;
not_found:
  saban_request_error (req, SOUP_STATUS_NOT_FOUND, "not-found", "no such SensorThings entity or set");
  return FALSE;
}

static char **
split_rest (const char *rest)
{
  g_autofree char *decoded = g_uri_unescape_string (rest ? rest : "", NULL);
  g_auto(GStrv) parts = NULL;
  GPtrArray *out = g_ptr_array_new ();

  if (decoded == NULL)
    decoded = g_strdup ("\x01");  /* matches nothing */
  parts = g_strsplit (decoded, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_ptr_array_add (out, g_strdup (parts[i]));
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

/* The next page: the same request from where this page ended. */
static char *
next_link (const char *base, const char *path, GHashTable *query, const Query *q, guint returned)
{
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *encoded = NULL;
  GHashTableIter iter;
  gpointer k, v;

  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, &k, &v))
    g_hash_table_insert (params, k, g_strdup (v));
  g_hash_table_insert (params, "$skip", g_strdup_printf ("%u", q->skip + returned));
  g_hash_table_insert (params, "$top", g_strdup_printf ("%u", q->top));
  encoded = soup_form_encode_hash (params);
  return g_strdup_printf ("%s%s?%s", base, path, encoded);
}

/* ---- handlers ----------------------------------------------------------------------- */

static void
sta_index (SabanRequest *req, gpointer data)
{
  g_autofree char *base = saban_request_base_url (req);
  g_autoptr(JsonObject) root = json_object_new ();
  JsonArray *value = json_array_new ();
  JsonObject *settings = json_object_new ();
  JsonArray *conf = json_array_new ();

  for (int i = 0; i < N_SETS; i++)
    {
      JsonObject *o = json_object_new ();
      g_autofree char *url = g_strdup_printf ("%s/v1.1/%s", base, saban_sta_sets[i].name);

      json_object_set_string_member (o, "name", saban_sta_sets[i].name);
      json_object_set_string_member (o, "url", url);
      json_array_add_object_element (value, o);
    }
  json_object_set_array_member (root, "value", value);
  json_array_add_string_element (conf, "http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel");
  json_array_add_string_element (conf, "http://www.opengis.net/spec/iot_sensing/1.1/req/request-data");
  json_array_add_string_element (conf, "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete/create-entity");
  json_array_add_string_element (conf, "http://www.opengis.net/spec/iot_sensing/1.1/req/create-observations-via-mqtt/observations-creation");
  json_object_set_array_member (settings, "conformance", conf);
  {
    JsonObject *mqtt = json_object_new ();
    json_object_set_string_member (mqtt, "note", "observations are published on v1.1/Datastreams(id)/Observations "
                                                 "at the broker given to saban-server --mqtt");
    json_object_set_object_member (settings, "http://www.opengis.net/spec/iot_sensing/1.1/req/create-observations-via-mqtt/observations-creation", mqtt);
  }
  json_object_set_object_member (root, "serverSettings", settings);
  saban_request_reply_object (req, SOUP_STATUS_OK, NULL, root);
}

/* A GET of entities, read in a worker thread on a reader of its own: an
 * $expand near the cost limit takes seconds, and the main loop must keep
 * answering everyone else meanwhile. */
typedef struct
{
  SabanStore *store;
  Query      *q;
  Target      t;
  char       *base;
  char       *path;
  GHashTable *query;
  gsize       max_response;
  /* out */
  guint       status;
  GString    *body;
} StaRead;

static void
sta_read_free (gpointer data)
{
  StaRead *r = data;

  saban_sta_query_free (r->q);
  g_object_unref (r->store);
  g_free (r->base);
  g_free (r->path);
  g_hash_table_unref (r->query);
  if (r->body != NULL)
    g_string_free (r->body, TRUE);
  g_free (r);
}

static void
sta_read_error (StaRead *r, guint status, const char *code, const char *description)
{
  g_autofree char *text = saban_error_json (code, description, NULL);

  r->status = status;
  g_string_assign (r->body, text);
}

/* One entity: Things(1), with its expansions. */
static gboolean
read_one (StaRead *r, Ctx *ctx, GError **error)
{
  g_autoptr(JsonArray) arr = json_array_new ();
  Page page = { arr, NULL, 0, 0, FALSE, -1 };
  Query one = *r->q;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  one.top = 1;
  one.skip = 0;
  one.count = FALSE;
  one.filter = NULL;
  if (!run_query (ctx, &one, NULL, 0, r->t.id, &page, error))
    return FALSE;
  if (json_array_get_length (arr) == 0)
    {
      sta_read_error (r, SOUP_STATUS_NOT_FOUND, "not-found", "no such entity");
      return TRUE;
    }
  node = json_node_copy (json_array_get_element (arr, 0));
  text = json_to_string (node, FALSE);
  g_string_assign (r->body, text);
  r->status = SOUP_STATUS_OK;
  return TRUE;
}

/* A collection page: {"@iot.count", "@iot.nextLink", "value"}, its entities
 * written as they are read and the page ended at half the response limit. */
static gboolean
read_page (StaRead *r, Ctx *ctx, GError **error)
{
  g_autoptr(GString) rows = g_string_new (NULL);
  Page page = { NULL, rows, r->max_response / 2, 0, FALSE, -1 };

  if (!run_query (ctx, r->q, r->t.nav, r->t.parent, 0, &page, error))
    return FALSE;
  g_string_append_c (r->body, '{');
  if (page.count >= 0)
    g_string_append_printf (r->body, "\"@iot.count\":%" G_GINT64_FORMAT ",", page.count);
  if (page.more)
    {
      g_autofree char *next = next_link (r->base, r->path, r->query, r->q, page.n);
      g_autoptr(JsonNode) link = json_node_new (JSON_NODE_VALUE);
      g_autofree char *quoted = NULL;

      json_node_set_string (link, next);
      quoted = json_to_string (link, FALSE);
      g_string_append_printf (r->body, "\"@iot.nextLink\":%s,", quoted);
    }
  g_string_append_printf (r->body, "\"value\":[%s]}", rows->str);
  r->status = SOUP_STATUS_OK;
  return TRUE;
}

static void
sta_read_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  StaRead *r = data;
  g_autoptr(GError) error = NULL;
  SabanStore *reader = saban_store_acquire_reader (r->store, &error);
  Ctx ctx = { reader, r->base };
  gboolean ok;

  r->body = g_string_new (NULL);
  if (reader == NULL)
    {
      sta_read_error (r, SOUP_STATUS_INTERNAL_SERVER_ERROR, "storage", error->message);
      g_task_return_boolean (task, TRUE);
      return;
    }
  ok = r->t.id > 0 ? read_one (r, &ctx, &error) : read_page (r, &ctx, &error);
  saban_store_release_reader (r->store, reader);
  if (!ok)
    sta_read_error (r, SOUP_STATUS_BAD_REQUEST, "invalid-parameter", error->message);
  else if (r->body->len > r->max_response)
    sta_read_error (r, SOUP_STATUS_BAD_REQUEST, "response-too-large",
                    "the entity with its expansions is larger than the response limit; lower $top in $expand");
  g_task_return_boolean (task, TRUE);
}

static void
sta_read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SoupServerMessage) msg = user_data;
  StaRead *r = g_task_get_task_data (G_TASK (result));
  gsize len = r->body->len;

  saban_message_set_body (msg, r->max_response, r->status, "application/json",
                          g_string_free (g_steal_pointer (&r->body), FALSE), len);
  soup_server_message_unpause (msg);
}

static void
sta_get (SabanRequest *req, gpointer data)
{
  g_auto(GStrv) segs = split_rest (req->params[0]);
  g_autoptr(GError) error = NULL;
  StaRead *r;
  GTask *task;
  Target t;
  Query *q;
  guint n_segs;

  if (segs[0] == NULL)
    {
      sta_index (req, data);
      return;
    }
  n_segs = g_strv_length (segs);
  if (n_segs >= 2 && g_str_equal (segs[n_segs - 1], "snapshot.png"))
    {
      /* a demo camera's picture: an extension, not a SensorThings entity */
      g_free (segs[n_segs - 1]);
      segs[n_segs - 1] = NULL;
      if (!resolve_path (req, segs, &t))
        return;
      if (t.set != THINGS || t.id == 0 || snapshot_func == NULL || !snapshot_func (req, t.id))
        saban_request_error (req, SOUP_STATUS_NOT_FOUND, "not-found", "only demo cameras have snapshots");
      return;
    }
  if (!resolve_path (req, segs, &t))
    return;
  if ((q = saban_sta_query_from_params (t.set, req->query, t.id > 0, &error)) == NULL)
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid-parameter", "%s", error->message);
      return;
    }

  r = g_new0 (StaRead, 1);
  r->store = g_object_ref (saban_server_get_store (req->server));
  r->q = q;
  r->t = t;
  r->base = saban_request_base_url (req);
  r->path = g_strdup (req->path);
  r->max_response = saban_server_get_limits (req->server)->max_response;
  r->query = saban_request_copy_query (req);

  soup_server_message_pause (req->msg);
  task = g_task_new (NULL, NULL, sta_read_done, g_object_ref (req->msg));
  g_task_set_task_data (task, r, sta_read_free);
  g_task_run_in_thread (task, sta_read_thread);
  g_object_unref (task);
}

/* ---- observations: insert, publish, thresholds ---------------------------------- */

static gboolean
datastream_thresholds (SabanStore *store, gint64 ds, double *alert, double *danger, gint64 *foi)
{
  g_autoptr(SabanStmt) st = saban_store_prepare (store,
      "SELECT (properties ->> 'alertLevel'), (properties ->> 'dangerLevel'), foi_id "
      "FROM sta_datastreams WHERE id = ?", NULL);

  if (st == NULL)
    return FALSE;
  saban_stmt_bind_int64 (st, 1, ds);
  if (!saban_stmt_step (st, NULL))
    return FALSE;
  *alert = saban_stmt_column_is_null (st, 0) ? NAN : saban_stmt_column_double (st, 0);
  *danger = saban_stmt_column_is_null (st, 1) ? NAN : saban_stmt_column_double (st, 1);
  *foi = saban_stmt_column_int64 (st, 2);
  return TRUE;
}

/**
 * saban_sta_insert_observation:
 * Inserts one observation inside the caller's transaction and says which
 * threshold, if any, it crossed upwards from the Datastream's latest value.
 */
gboolean
saban_sta_insert_observation (SabanStore *store, gint64 ds, const char *phenomenon_time, double result,
                              gint64 *id, SabanStaCrossing *crossing, GError **error)
{
  g_autoptr(SabanStmt) prev = NULL, ins = NULL;
  g_autofree char *now = saban_store_now ();
  double alert, danger, last = NAN;
  gint64 foi = 0;

  *crossing = SABAN_STA_CROSSED_NONE;
  if (!datastream_thresholds (store, ds, &alert, &danger, &foi))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no Datastream %" G_GINT64_FORMAT, ds);
      return FALSE;
    }
  /* the reading just before this one in time: one stamped later (a clock
   * gone wrong) says nothing of whether this one crosses a level */
  prev = saban_store_prepare (store, "SELECT result FROM sta_observations WHERE datastream_id = ? "
                              "AND phenomenon_time <= ? ORDER BY phenomenon_time DESC, id DESC LIMIT 1", error);
  if (prev == NULL)
    return FALSE;
  saban_stmt_bind_int64 (prev, 1, ds);
  saban_stmt_bind_text (prev, 2, phenomenon_time ? phenomenon_time : now);
  if (saban_stmt_step (prev, NULL))
    last = saban_stmt_column_double (prev, 0);
  if (!isnan (danger) && result >= danger && !(last >= danger))
    *crossing = SABAN_STA_CROSSED_DANGER;
  else if (!isnan (alert) && result >= alert && !(last >= alert))
    *crossing = SABAN_STA_CROSSED_ALERT;

  ins = saban_store_prepare (store, "INSERT INTO sta_observations (datastream_id, phenomenon_time, result_time, "
                             "result, foi_id) VALUES (?, ?, ?, ?, ?) RETURNING id", error);
  if (ins == NULL)
    return FALSE;
  saban_stmt_bind_int64 (ins, 1, ds);
  saban_stmt_bind_text (ins, 2, phenomenon_time ? phenomenon_time : now);
  saban_stmt_bind_text (ins, 3, now);
  saban_stmt_bind_double (ins, 4, result);
  if (foi > 0)
    saban_stmt_bind_int64 (ins, 5, foi);
  return (*id = saban_stmt_insert (ins, error)) != 0;
}

static JsonNode *
entity_node (SabanServer *server, int set, gint64 id, const char *base)
{
  Query q = { 0 };
  Ctx ctx = { saban_server_get_store (server), base };
  g_autoptr(JsonArray) arr = json_array_new ();
  Page page = { arr, NULL, 0, 0, FALSE, -1 };

  q.set = set;
  q.top = 1;
  if (!run_query (&ctx, &q, NULL, 0, id, &page, NULL) || json_array_get_length (arr) == 0)
    return NULL;
  return json_node_copy (json_array_get_element (arr, 0));
}

/**
 * saban_sta_publish_entity:
 * Announces the full JSON of one entity on @topic (in the transaction that
 * wrote it).
 */
void
saban_sta_publish_entity (SabanServer *server, const char *set, gint64 id, const char *topic)
{
  int s = saban_sta_find_set (set);
  g_autoptr(JsonNode) node = s >= 0 ? entity_node (server, s, id, saban_server_get_base_url (server)) : NULL;

  if (node != NULL)
    saban_server_publish (server, topic, node);
}

/* A CAP alert for a river gauge that reached its danger level. */
static void
raise_danger_alert (SabanServer *server, gint64 obs)
{
  SabanStore *store = saban_server_get_store (server);
  g_autoptr(SabanStmt) st = saban_store_prepare (store,
      "SELECT o.result, d.name, (d.properties ->> 'dangerLevel'), t.name, "
      "  (t.properties ->> 'communeCode'), l.lon, l.lat, d.id, (d.properties ->> 'demo') "
      "FROM sta_observations o JOIN sta_datastreams d ON d.id = o.datastream_id "
      "JOIN sta_things t ON t.id = d.thing_id "
      "LEFT JOIN sta_thing_locations tl ON tl.thing_id = t.id LEFT JOIN sta_locations l ON l.id = tl.location_id "
      "WHERE o.id = ? LIMIT 1", NULL);
  g_autoptr(GError) error = NULL;
  SabanCapAlert a = { 0 };
  g_autofree char *headline = NULL, *description = NULL, *area = NULL;

  if (st == NULL)
    return;
  saban_stmt_bind_int64 (st, 1, obs);
  if (!saban_stmt_step (st, NULL) || saban_stmt_column_is_null (st, 5))
    return;
  headline = g_strdup_printf ("Mực nước vượt mức nguy hiểm tại %s", saban_stmt_column_text (st, 3));
  description = g_strdup_printf ("%s: %.2f m, vượt mức nguy hiểm %.2f m (dữ liệu minh họa). Datastream %"
                                 G_GINT64_FORMAT ".", saban_stmt_column_text (st, 1),
                                 saban_stmt_column_double (st, 0), saban_stmt_column_double (st, 2),
                                 saban_stmt_column_int64 (st, 7));
  area = g_strdup_printf ("Vùng ven sông quanh %s (mã xã %s)", saban_stmt_column_text (st, 3),
                          saban_stmt_column_text (st, 4) ? saban_stmt_column_text (st, 4) : "?");
  /* a simulated gauge raises an exercise, never an actual alert */
  a.status = saban_stmt_column_boolean (st, 8) ? "Exercise" : "Actual";
  a.category = "Met";
  a.event = "Lũ, ngập lụt";
  a.urgency = "Immediate";
  a.severity = "Severe";
  a.certainty = "Observed";
  a.headline = headline;
  a.description = description;
  a.instruction = "Sơ tán người dân khỏi vùng trũng thấp ven sông; không qua ngầm, tràn.";
  a.area_desc = area;
  saban_cap_circle (a.polygon, saban_stmt_column_double (st, 5), saban_stmt_column_double (st, 6), 3000);
  a.n_points = SABAN_CAP_CIRCLE_POINTS;
  if (saban_cap_create (server, &a, "simulator", NULL, &error) == 0)
    g_warning ("CAP alert for observation %" G_GINT64_FORMAT ": %s", obs, error->message);
}

/**
 * saban_sta_observation_announce:
 * The MQTT message of a new observation, in its transaction (it goes out
 * once that commits): the full entity on v1.1/Datastreams(id)/Observations.
 */
void
saban_sta_observation_announce (SabanServer *server, gint64 id)
{
  g_autoptr(SabanStmt) st = saban_store_prepare (saban_server_get_store (server),
                                                 "SELECT datastream_id FROM sta_observations WHERE id = ?", NULL);

  saban_stmt_bind_int64 (st, 1, id);
  if (saban_stmt_step (st, NULL))
    {
      g_autofree char *topic = g_strdup_printf ("v1.1/Datastreams(%" G_GINT64_FORMAT ")/Observations",
                                                saban_stmt_column_int64 (st, 0));
      saban_sta_publish_entity (server, "Observations", id, topic);
    }
}

/**
 * saban_sta_observation_committed:
 * What follows an observation's COMMIT: a CAP alert when it crossed a
 * danger level.
 */
void
saban_sta_observation_committed (SabanServer *server, gint64 id, SabanStaCrossing crossing)
{
  if (crossing == SABAN_STA_CROSSED_DANGER)
    raise_danger_alert (server, id);
}

static gint64
member_id (JsonObject *o, const char *name)
{
  JsonObject *ref;

  if (!json_object_has_member (o, name) || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, name)))
    return -1;
  ref = json_object_get_object_member (o, name);
  if (!json_object_has_member (ref, "@iot.id"))
    return -1;
  {
    JsonNode *n = json_object_get_member (ref, "@iot.id");
    if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64)
      return json_node_get_int (n);
  }
  return -1;
}

/* A reading from the future is a sensor's clock gone wrong (or a caller's
 * trick): kept, it would stand as the latest reading, and every real one
 * after it would look like no change. */
static gboolean
is_future (const char *normalised)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) limit = g_date_time_add_seconds (now, SABAN_STA_MAX_CLOCK_SKEW_S);
  g_autofree char *iso = g_date_time_format_iso8601 (limit);
  g_autofree char *latest = saban_normalise_time (iso, FALSE);

  return strcmp (normalised, latest) > 0;
}

static void
sta_post (SabanRequest *req, gpointer data)
{
  static const char *const roles[] = { "operator", "coordinator", NULL };
  g_auto(GStrv) segs = split_rest (req->params[0]);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *time = NULL, *base = NULL, *location = NULL;
  SabanStore *store = saban_server_get_store (req->server);
  JsonObject *o;
  JsonNode *result;
  gint64 ds = -1, id = 0;
  SabanStaCrossing crossing;
  Target t;

  if (segs[0] == NULL)
    {
      saban_request_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", "POST an Observation");
      return;
    }
  if (!resolve_path (req, segs, &t))
    return;
  if (t.set != OBSERVATIONS || t.id > 0 || (t.nav != NULL && t.nav->target != OBSERVATIONS))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Allow", "GET");
      saban_request_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
                           "only Observations can be created here");
      return;
    }
  if (!saban_request_require_role (req, "create observations", roles))
    return;
  if ((root = saban_request_parse_json (req)) == NULL)
    return;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-entity", "an Observation is a JSON object");
      return;
    }
  o = json_node_get_object (root);
  if (t.nav != NULL)
    ds = t.parent;
  else
    ds = member_id (o, "Datastream");
  if (ds <= 0 || !entity_exists (store, DATASTREAMS, ds, NULL, 0))
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-entity",
                           "an Observation needs an existing Datastream: {\"Datastream\":{\"@iot.id\":N}}");
      return;
    }
  result = json_object_has_member (o, "result") ? json_object_get_member (o, "result") : NULL;
  if (result == NULL || !JSON_NODE_HOLDS_VALUE (result) ||
      (json_node_get_value_type (result) != G_TYPE_DOUBLE && json_node_get_value_type (result) != G_TYPE_INT64) ||
      !isfinite (json_node_get_double (result)))
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-entity", "result must be a finite number");
      return;
    }
  if (json_object_has_member (o, "phenomenonTime"))
    {
      JsonNode *pt = json_object_get_member (o, "phenomenonTime");

      if (!JSON_NODE_HOLDS_VALUE (pt) || json_node_get_value_type (pt) != G_TYPE_STRING ||
          (time = saban_normalise_time (json_node_get_string (pt), FALSE)) == NULL)
        {
          saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-entity", "phenomenonTime must be an ISO 8601 time");
          return;
        }
      if (is_future (time))
        {
          saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "future-observation",
                               "phenomenonTime is more than %d minutes ahead of the server's clock",
                               SABAN_STA_MAX_CLOCK_SKEW_S / 60);
          return;
        }
    }
  if (!saban_store_begin (store, &error) ||
      !saban_sta_insert_observation (store, ds, time, json_node_get_double (result), &id, &crossing, &error))
    goto fail;
  {
    g_autofree char *target = g_strdup_printf ("v1.1/Observations(%" G_GINT64_FORMAT ")", id);
    if (!saban_store_audit (store, req->user, "create", target, NULL, &error))
      goto fail;
  }
  saban_sta_observation_announce (req->server, id);
  if (!saban_store_commit (store, &error))
    goto fail;
  saban_sta_observation_committed (req->server, id, crossing);

  base = saban_request_base_url (req);
  location = g_strdup_printf ("%s/v1.1/Observations(%" G_GINT64_FORMAT ")", base, id);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Location", location);
  {
    g_autoptr(JsonNode) node = entity_node (req->server, OBSERVATIONS, id, base);
    saban_request_reply_json (req, SOUP_STATUS_CREATED, NULL, node);
  }
  return;
fail:
  saban_store_rollback (store);
  saban_request_storage_error (req, error);
}

/**
 * saban_sta_register:
 * GET /v1.1/…, POST /v1.1/Observations and /v1.1/Datastreams(id)/Observations.
 */
/**
 * saban_sta_set_snapshot_func:
 * Who draws cameras' snapshot.png; none by default.
 */
void
saban_sta_set_snapshot_func (SabanStaSnapshotFunc func)
{
  snapshot_func = func;
}

void
saban_sta_register (SabanServer *server)
{
  SabanRouter *router = saban_server_get_router (server);

  /* PostgreSQL has it from the schema, through PostGIS */
  if (SABAN_IS_SQLITE_STORE (saban_server_get_store (server)))
    saban_sqlite_store_add_function (SABAN_SQLITE_STORE (saban_server_get_store (server)), "saban_in_polygon", 3,
                                     saban_sta_sql_in_polygon);
  saban_router_add (router, "GET", "/v1.1", sta_index, NULL);
  saban_router_add (router, "GET", "/v1.1/**", sta_get, NULL);
  saban_router_add (router, "POST", "/v1.1/**", sta_post, NULL);
}
