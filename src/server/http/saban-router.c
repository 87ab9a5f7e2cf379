/* saban-router.c: the server's shared route table.
 *
 * Each API (OGC API – Features, the Command API, auth, and later SensorThings,
 * Open311, CAP) lives in its own file and registers its routes here, so adding
 * an API means adding a file, not editing a central switch.
 */
#include "saban-router.h"
#include "saban-json.h"

typedef struct
{
  char          *method;
  char         **segments;  /* "{...}" matches one segment, a final "**" the rest */
  SabanRouteFunc func;
  gpointer       user_data;
} Route;

struct _SabanRouter
{
  GObject    parent_instance;
  GPtrArray *routes;
};

G_DEFINE_FINAL_TYPE (SabanRouter, saban_router, G_TYPE_OBJECT)

static void
route_free (gpointer data)
{
  Route *r = data;

  g_free (r->method);
  g_strfreev (r->segments);
  g_free (r);
}

static void
saban_router_finalize (GObject *object)
{
  g_ptr_array_unref (SABAN_ROUTER (object)->routes);
  G_OBJECT_CLASS (saban_router_parent_class)->finalize (object);
}

static void
saban_router_class_init (SabanRouterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_router_finalize;
}

static void
saban_router_init (SabanRouter *self)
{
  self->routes = g_ptr_array_new_with_free_func (route_free);
}

SabanRouter *
saban_router_new (void)
{
  return g_object_new (SABAN_TYPE_ROUTER, NULL);
}

/* "/a/b/" and "/a/b" are one path; "/" has no segments. */
static char **
split_path (const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_ptr_array_add (out, g_strdup (parts[i]));
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

/**
 * saban_router_add:
 * @pattern: a path such as "/collections/{id}/items"; a final "**" segment
 *   matches any rest (for an API under /v1.1 that parses its own paths)
 */
void
saban_router_add (SabanRouter *self, const char *method, const char *pattern,
                  SabanRouteFunc func, gpointer user_data)
{
  Route *r = g_new0 (Route, 1);

  r->method = g_strdup (method);
  r->segments = split_path (pattern);
  r->func = func;
  r->user_data = user_data;
  g_ptr_array_add (self->routes, r);
}

static gboolean
match (Route *r, char **segs, char ***params)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  guint i;

  for (i = 0; r->segments[i] != NULL; i++)
    {
      const char *p = r->segments[i];

      if (g_str_equal (p, "**") && r->segments[i + 1] == NULL)
        {
          g_autofree char *rest = g_strjoinv ("/", segs + i);

          /* the rest stays encoded: its API parses it */
          g_ptr_array_add (out, g_steal_pointer (&rest));
          break;
        }
      if (segs[i] == NULL)
        return FALSE;
      if (p[0] == '{')
        {
          char *decoded = g_uri_unescape_string (segs[i], NULL);

          /* undecodable or NUL-containing segments match nothing */
          if (decoded == NULL)
            return FALSE;
          g_ptr_array_add (out, decoded);
        }
      else if (!g_str_equal (p, segs[i]))
        return FALSE;
    }
  if (r->segments[i] == NULL && segs[i] != NULL)
    return FALSE;
  g_ptr_array_add (out, NULL);
  *params = (char **) g_ptr_array_steal (out, NULL);
  return TRUE;
}

/**
 * saban_router_lookup:
 * Finds the route for @method and @path. When the path matches only under
 * other methods, returns %NULL and sets @allow to them (for a 405).
 */
SabanRouteFunc
saban_router_lookup (SabanRouter *self, const char *method, const char *path,
                     char ***params, gpointer *user_data, char **allow)
{
  g_auto(GStrv) segs = split_path (path);
  g_autoptr(GString) allowed = NULL;

  *params = NULL;
  *allow = NULL;
  for (guint i = 0; i < self->routes->len; i++)
    {
      Route *r = g_ptr_array_index (self->routes, i);
      char **p = NULL;

      if (!match (r, segs, &p))
        continue;
      if (g_str_equal (r->method, method) ||
          (g_str_equal (method, "HEAD") && g_str_equal (r->method, "GET")))
        {
          *params = p;
          *user_data = r->user_data;
          return r->func;
        }
      g_strfreev (p);
      if (allowed == NULL)
        allowed = g_string_new (r->method);
      else if (strstr (allowed->str, r->method) == NULL)
        g_string_append_printf (allowed, ", %s", r->method);
    }
  if (allowed != NULL)
    *allow = g_string_free (g_steal_pointer (&allowed), FALSE);
  return NULL;
}

/**
 * saban_message_set_body:
 * Sets @msg's response, taking @data (g_malloc'd); a body over
 * @max_response is replaced by an error, the last guard behind each API's
 * own paging.
 */
void
saban_message_set_body (SoupServerMessage *msg, gsize max_response, guint status, const char *content_type,
                        char *data, gsize length)
{
  if (length > max_response)
    {
      g_autofree char *d = g_strdup_printf ("the response would be larger than %" G_GSIZE_FORMAT " bytes; "
                                            "ask for fewer items", max_response);

      g_free (data);
      saban_message_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "response-too-large", d, NULL);
      return;
    }
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, data, length);
}

void
saban_request_reply_bytes (SabanRequest *req, guint status, const char *content_type,
                           const char *data, gsize length)
{
  saban_message_set_body (req->msg, req->max_response, status, content_type,
                          g_memdup2 (data, length), length);
}

void
saban_request_reply_json (SabanRequest *req, guint status, const char *content_type, JsonNode *node)
{
  char *text = json_to_string (node, FALSE);

  saban_message_set_body (req->msg, req->max_response, status,
                          content_type ? content_type : "application/json", text, strlen (text));
}

void
saban_request_reply_object (SabanRequest *req, guint status, const char *content_type, JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  saban_request_reply_json (req, status, content_type, node);
}

/**
 * saban_message_reply_private:
 * Answers @msg (a paused one, say) with @object, which no cache may keep: a
 * token, a backup's record.
 */
void
saban_message_reply_private (SoupServerMessage *msg, guint status, JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  char *text;

  json_node_set_object (node, object);
  text = json_to_string (node, FALSE);
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, strlen (text));
}

/**
 * saban_message_error:
 * The one error shape of the server: {"code", "description", …@extra}.
 * Whatever the caller sent and an error repeats is in a JSON string, escaped.
 */
void
saban_message_error (SoupServerMessage *msg, guint status, const char *code,
                     const char *description, JsonObject *extra)
{
  g_autofree char *text = saban_error_json (code, description, extra);
  gsize len = strlen (text);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, g_steal_pointer (&text), len);
}

/**
 * saban_error_json:
 * @extra: (nullable): more members
 *
 * The text of the server's one error shape, {"code", "description", …},
 * for answers that do not go through saban_message_error().
 */
char *
saban_error_json (const char *code, const char *description, JsonObject *extra)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (obj, "code", code);
  json_object_set_string_member (obj, "description", description);
  if (extra != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, extra);
      while (json_object_iter_next (&iter, &name, &value))
        json_object_set_member (obj, name, json_node_copy (value));
    }
  json_node_set_object (node, obj);
  return json_to_string (node, FALSE);
}

void
saban_request_error (SabanRequest *req, guint status, const char *code, const char *format, ...)
{
  g_autofree char *description = NULL;
  va_list args;

  va_start (args, format);
  description = g_strdup_vprintf (format, args);
  va_end (args);
  saban_message_error (req->msg, status, code, description, NULL);
}

/**
 * saban_request_storage_error:
 * Answers a request whose database work failed: 503 with Retry-After when
 * the database is away (a failover, say: the caller's outbox tries again),
 * else 500. The database's words go to the log, not to the caller.
 */
void
saban_request_storage_error (SabanRequest *req, const GError *error)
{
  g_printerr ("saban-server: storage error: %s\n", error != NULL ? error->message : "unknown");
  saban_message_storage_error (req->msg, error);
}

/* saban_request_storage_error() for a message answered after its handler returned. */
void
saban_message_storage_error (SoupServerMessage *msg, const GError *error)
{
  if (g_error_matches (error, SABAN_STORE_ERROR, SABAN_STORE_ERROR_UNAVAILABLE))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      saban_message_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "storage-unavailable",
                           "the database is unavailable for a moment; try again", NULL);
    }
  else
    saban_message_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "storage", "the change could not be stored", NULL);
}

/**
 * saban_request_base_url:
 * The server's public URL, for absolute links (GDAL's OAPIF client needs
 * absolute `next` links). Never the request's Host header, which the
 * caller chooses.
 */
char *
saban_request_base_url (SabanRequest *req)
{
  return g_strdup (req->base_url);
}

gboolean
saban_request_require_user (SabanRequest *req)
{
  if (req->user != NULL)
    return TRUE;
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "WWW-Authenticate", "Bearer realm=\"saban\"");
  saban_request_error (req, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                       "a bearer token from POST /auth/token is required");
  return FALSE;
}

/**
 * saban_request_require_role:
 * Checks the caller's role against the roles allowed @action; admin may do
 * everything. Replies 401 or 403 and returns %FALSE when not allowed.
 */
gboolean
saban_request_require_role (SabanRequest *req, const char *action, const char *const *roles)
{
  if (!saban_request_require_user (req))
    return FALSE;
  if (g_str_equal (req->role, "admin") || g_strv_contains (roles, req->role))
    return TRUE;
  saban_request_error (req, SOUP_STATUS_FORBIDDEN, "forbidden",
                       "the role %s may not %s", req->role, action);
  return FALSE;
}

/* Replies 400 and returns NULL for a body that is not one JSON value. */
JsonNode *
saban_request_parse_json (SabanRequest *req)
{
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data = req->body ? g_bytes_get_data (req->body, &len) : NULL;

  if (data == NULL || len == 0)
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-json", "the request has no JSON body");
      return NULL;
    }
  if ((parsed = saban_json_parse (data, len, &error)) == NULL)
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-json", "the body is not valid JSON: %s",
                           error->message);
      return NULL;
    }
  return json_node_copy (parsed);
}

const char *
saban_request_header (SabanRequest *req, const char *name)
{
  return soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg), name);
}

/**
 * saban_request_copy_query:
 * The decoded query parameters, copied: for a worker that outlives @req.
 */
GHashTable *
saban_request_copy_query (SabanRequest *req)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer k, v;

  g_hash_table_iter_init (&iter, req->query);
  while (g_hash_table_iter_next (&iter, &k, &v))
    g_hash_table_insert (copy, g_strdup (k), g_strdup (v));
  return copy;
}

/**
 * saban_request_parse_form:
 * The body as an application/x-www-form-urlencoded form (name → value), or
 * %NULL when it is empty, holds a NUL, or any name or value, once decoded,
 * is not UTF-8.
 */
GHashTable *
saban_request_parse_form (SabanRequest *req)
{
  gsize len = 0;
  const char *data = req->body ? g_bytes_get_data (req->body, &len) : NULL;
  g_autofree char *text = NULL;
  g_autoptr(GHashTable) form = NULL;
  GHashTableIter iter;
  gpointer k, v;

  if (data == NULL || len == 0 || memchr (data, '\0', len) != NULL)
    return NULL;
  text = g_strndup (data, len);
  form = soup_form_decode (text);
  g_hash_table_iter_init (&iter, form);
  while (g_hash_table_iter_next (&iter, &k, &v))
    if (!g_utf8_validate (k, -1, NULL) || !g_utf8_validate (v, -1, NULL))
      return NULL;
  return g_steal_pointer (&form);
}
