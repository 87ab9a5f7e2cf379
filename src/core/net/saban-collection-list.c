/* saban-collection-list.c: the collections a server offers (OGC API –
 * Features /collections), for the data catalogue: id, title, description.
 * Bounded and checked like every answer: a bad entry is left out. */
#include "saban-collection-list.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "saban-error.h"
#include "saban-json.h"

#define MAX_BODY (4 * 1024 * 1024)
#define MAX_TEXT 4096
#define MAX_COLLECTIONS 1000

static void
collection_free (gpointer data)
{
  SabanServerCollection *c = data;

  g_free (c->id);
  g_free (c->title);
  g_free (c->description);
  g_free (c);
}

static char *
text_member (JsonObject *o,
             const char *name)
{
  JsonNode *node = json_object_get_member (o, name);
  const char *text;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  text = json_node_get_string (node);
  return strlen (text) <= MAX_TEXT && g_utf8_validate (text, -1, NULL) ? g_strdup (text) : NULL;
}

/* the collections of a parsed answer; @root NULL (not JSON) or of the
 * wrong shape: a translated error */
static GPtrArray *
collections_from_json (JsonNode *root, GError **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (collection_free);
  JsonNode *collections;
  JsonArray *items;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (collections = json_object_get_member (json_node_get_object (root), "collections")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (collections))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("The server’s list of collections is not readable"));
      return NULL;
    }
  items = json_node_get_array (collections);
  for (guint i = 0; i < json_array_get_length (items) && list->len < MAX_COLLECTIONS; i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      SabanServerCollection *c;
      char *id;

      if (!JSON_NODE_HOLDS_OBJECT (node) || (id = text_member (json_node_get_object (node), "id")) == NULL)
        continue;
      c = g_new0 (SabanServerCollection, 1);
      c->id = id;
      c->title = text_member (json_node_get_object (node), "title");
      c->description = text_member (json_node_get_object (node), "description");
      g_ptr_array_add (list, c);
    }
  return g_steal_pointer (&list);
}

/**
 * saban_collection_list_parse:
 * @body: a `/collections` answer
 *
 * Returns: (transfer full) (element-type SabanServerCollection) (nullable):
 *   the collections with an id, or %NULL with @error set (translated)
 */
GPtrArray *
saban_collection_list_parse (GBytes  *body,
                             GError **error)
{
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  g_autoptr(JsonNode) parsed = saban_json_parse (data, size, NULL);

  return collections_from_json (parsed, error);
}

static void
fetched (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = saban_api_get_json_finish (SABAN_API (source), result, &error);
  GError *unreadable = NULL;
  GPtrArray *list;

  if (root == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (root == NULL && error->domain == SABAN_API_ERROR)
    {
      g_autofree char *why = saban_api_describe_error (error);

      /* TRANSLATORS: %s says why, and what to do */
      g_task_return_new_error (task, SABAN_ERROR, SABAN_ERROR_OPEN, _("The server’s collections could not be listed. %s"),
                               why);
    }
  /* an answer that is not JSON is as unreadable as one of the wrong shape */
  else if ((list = collections_from_json (root, &unreadable)) == NULL)
    g_task_return_error (task, unreadable);
  else
    g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * saban_collection_list_fetch_async:
 * @api: the IOC server
 *
 * Reads `/collections`.
 */
void
saban_collection_list_fetch_async (SabanApi            *api,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, saban_collection_list_fetch_async);
  saban_api_get_json_async (api, "/collections", SABAN_API_READ, MAX_BODY, cancellable, fetched, task);
}

/**
 * saban_collection_list_fetch_finish:
 *
 * Returns: (transfer full) (element-type SabanServerCollection) (nullable):
 *   the collections, or %NULL with @error set (translated)
 */
GPtrArray *
saban_collection_list_fetch_finish (GAsyncResult  *result,
                                    GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
