/* saban-command-client-read.c: the Command API client's reads — each
 * collection read over HTTP through the server's SabanApi (`limit=1000`,
 * following absolute `next` links to the same server; a catch-up is the
 * same with `updatedSince` = the watermark, the overlap dropped by
 * version), and its part of the live channel: MQTT `ioc/v1/#` brings a
 * notice of each change (SabanCommandNotice: no values, no names), the item
 * is then fetched over HTTP with the account's role; the channel's
 * catch-ups read what MQTT did not bring.
 */
#include "saban-command-client-private.h"
#include "saban-command-notice.h"
#include "saban-json.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* a page being read */
typedef struct
{
  SabanCommandClient    *self;
  SabanCommandCollection collection;
  guint                  page;
} Read;

static void read_page (SabanCommandClient *self, SabanCommandCollection collection, const char *url, guint page);

static void
read_finished (SabanCommandClient *self, gboolean ok)
{
  self->reads_ok &= ok;
  if (--self->reads > 0)
    return;
  /* the channel's catch-ups end with the reads */
  for (guint i = 0; i < self->catching_up->len; i++)
    {
      GTask *task = g_ptr_array_index (self->catching_up, i);

      if (self->reads_ok)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "the server's collections were not read");
    }
  g_ptr_array_set_size (self->catching_up, 0);
  if (self->reads_ok && !self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify (G_OBJECT (self), "loaded");
      if (self->from_cache)
        {
          self->from_cache = FALSE;
          g_clear_pointer (&self->cached_at, g_date_time_unref);
          g_object_notify (G_OBJECT (self), "from-cache");
          g_object_notify (G_OBJECT (self), "cached-at");
        }
    }
  /* the cache says when the server was last heard */
  if (self->reads_ok)
    saban_command_client_schedule_save (self);
}

/* @collection has been read to the end: nothing older than the newest time
 * seen can be missing, so that is where the cache's next catch-up starts */
static void
read_to_end (SabanCommandClient *self, SabanCommandCollection collection)
{
  g_free (self->since[collection]);
  self->since[collection] = saban_command_store_get_watermark (self->store, collection);
  saban_command_client_schedule_save (self);
}

/* the `next` link of a page, if it is an absolute link to our server */
static const char *
next_link (SabanCommandClient *self, JsonNode *root)
{
  JsonNode *links = json_object_get_member (json_node_get_object (root), "links");

  if (links == NULL || !JSON_NODE_HOLDS_ARRAY (links))
    return NULL;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (links)); i++)
    {
      JsonNode *l = json_array_get_element (json_node_get_array (links), i);
      const char *rel, *href;

      if (!JSON_NODE_HOLDS_OBJECT (l))
        continue;
      rel = json_object_get_string_member_with_default (json_node_get_object (l), "rel", NULL);
      href = json_object_get_string_member_with_default (json_node_get_object (l), "href", NULL);
      if (g_strcmp0 (rel, "next") == 0 && href != NULL && saban_api_owns_url (self->api, href))
        return href;
    }
  return NULL;
}

static void
page_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Read *r = data;
  SabanCommandClient *self = r->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = saban_api_get_finish (SABAN_API (source), result, NULL, &error);
  g_autoptr(JsonNode) parsed = NULL;
  const char *name = saban_command_collection_to_string (r->collection);
  const char *next;
  gboolean ok = FALSE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      g_free (r);
      return;
    }
  if (bytes == NULL)
    g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "%s: %s", name, error->message);
  else if ((parsed = saban_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error)) == NULL)
    g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "%s page rejected: %s", name, error->message);
  else if (saban_command_store_apply_collection (self->store, r->collection, parsed, NULL))
    {
      ok = TRUE;
      next = next_link (self, parsed);
      if (next != NULL && r->page + 1 < MAX_PAGES)
        {
          read_page (self, r->collection, next, r->page + 1);
          g_object_unref (self);
          g_free (r);
          return;
        }
      if (next == NULL)
        read_to_end (self, r->collection);
    }
  read_finished (self, ok);
  g_object_unref (self);
  g_free (r);
}

static void
read_page (SabanCommandClient *self, SabanCommandCollection collection, const char *url, guint page)
{
  Read *r = g_new0 (Read, 1);

  r->self = g_object_ref (self);
  r->collection = collection;
  r->page = page;
  saban_api_get_async (self->api, url, "application/geo+json", SABAN_API_READ, MAX_BODY, self->cancellable,
                       page_done, r);
}

/* every collection, or what changed since the newest item seen */
void
saban_command_client_read_all (SabanCommandClient *self)
{
  if (self->reads > 0 || !self->restored || saban_connection_get_token (self->connection) == NULL)
    return;
  self->reads = SABAN_COMMAND_N_COLLECTIONS;
  self->reads_ok = TRUE;
  for (guint c = 0; c < SABAN_COMMAND_N_COLLECTIONS; c++)
    {
      g_autofree char *since = saban_command_store_get_watermark (self->store, c);
      g_autofree char *escaped = since ? g_uri_escape_string (since, NULL, FALSE) : NULL;
      g_autofree char *url = g_strdup_printf ("/collections/%s/items?limit=1000%s%s",
                                              saban_command_collection_to_string (c),
                                              escaped ? "&updatedSince=" : "", escaped ? escaped : "");

      read_page (self, c, url, 0);
    }
}

/* an item being fetched because a notice named it */
typedef struct
{
  SabanCommandClient    *self;
  SabanCommandCollection collection;
  gint64                 id;
  gint64                 wanted;  /* the newest version a notice named; 0: unknown */
  gboolean               again;   /* a newer notice came while it was in flight */
  char                  *key;     /* in self->fetches */
} Fetch;

static void fetch_start (Fetch *f);

static void
fetch_free (Fetch *f)
{
  g_object_unref (f->self);
  g_free (f->key);
  g_free (f);
}

/* the model has @version of the item, or newer (any version of a log entry: they never change) */
static gboolean
store_has (SabanCommandClient *self, SabanCommandCollection collection, gint64 id, gint64 version)
{
  SabanCommandItem *item = saban_command_store_lookup (self->store, collection, id);

  return item != NULL && (collection == SABAN_COMMAND_LOG ||
                          (version > 0 && saban_command_item_get_version (item) >= version));
}

static gboolean
feature_is (JsonNode *feature, gint64 id)
{
  JsonNode *n;

  return JSON_NODE_HOLDS_OBJECT (feature) &&
         (n = json_object_get_member (json_node_get_object (feature), "id")) != NULL && JSON_NODE_HOLDS_VALUE (n) &&
         json_node_get_value_type (n) == G_TYPE_INT64 && json_node_get_int (n) == id;
}

static void
fetch_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Fetch *f = data;
  SabanCommandClient *self = f->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = saban_api_get_finish (SABAN_API (source), result, NULL, &error);
  g_autoptr(JsonNode) parsed = NULL;
  const char *name = saban_command_collection_to_string (f->collection);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_hash_table_remove (self->fetches, f->key);
      fetch_free (f);
      return;
    }
  /* a 404 or 403 (an id the role may not read, or a forged one) removes
   * nothing: the model keeps what the collection reads gave it */
  if (bytes == NULL)
    g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "%s %" G_GINT64_FORMAT " not fetched: %s", name, f->id, error->message);
  else if ((parsed = saban_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error)) == NULL)
    g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "%s %" G_GINT64_FORMAT " rejected: %s", name, f->id, error->message);
  else if (!feature_is (parsed, f->id))
    g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "%s %" G_GINT64_FORMAT " rejected: another item came", name, f->id);
  else
    saban_command_store_apply_feature (self->store, f->collection, parsed, NULL);
  if (f->again && !store_has (self, f->collection, f->id, f->wanted))
    {
      f->again = FALSE;
      fetch_start (f);
      return;
    }
  g_hash_table_remove (self->fetches, f->key);
  fetch_free (f);
}

static void
fetch_start (Fetch *f)
{
  g_autofree char *path = g_strdup_printf ("/collections/%s/items/%" G_GINT64_FORMAT,
                                           saban_command_collection_to_string (f->collection), f->id);

  saban_api_get_async (f->self->api, path, "application/geo+json", SABAN_API_READ, MAX_PAYLOAD,
                       f->self->cancellable, fetch_done, f);
}

/* A notice: the item is read over HTTPS, as the account may see it,
 * unless the model has that version already; one fetch per item at a time,
 * a newer notice meanwhile fetches once more after it. Past MAX_FETCHES
 * items in flight (a burst, or a flood) the collections are read from the
 * watermark instead. */
static void
fetch_notice (SabanCommandClient *self, const SabanCommandNotice *notice)
{
  g_autofree char *key = NULL;
  Fetch *f;

  if (store_has (self, notice->collection, notice->id, notice->version) ||
      saban_connection_get_token (self->connection) == NULL)
    return;
  key = g_strdup_printf ("%u/%" G_GINT64_FORMAT, notice->collection, notice->id);
  if ((f = g_hash_table_lookup (self->fetches, key)) != NULL)
    {
      f->again = notice->collection != SABAN_COMMAND_LOG;
      f->wanted = notice->version > 0 ? MAX (f->wanted, notice->version) : 0;
      return;
    }
  if (g_hash_table_size (self->fetches) >= MAX_FETCHES)
    {
      saban_command_client_read_all (self);
      return;
    }
  f = g_new0 (Fetch, 1);
  f->self = g_object_ref (self);
  f->collection = notice->collection;
  f->id = notice->id;
  f->wanted = notice->version;
  f->key = g_steal_pointer (&key);
  g_hash_table_insert (self->fetches, f->key, f);
  fetch_start (f);
}

static void
command_message (SabanLiveStream *stream, const char *topic, GBytes *payload)
{
  SabanCommandClient *self = SABAN_COMMAND_CLIENT (stream);
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) error = NULL;
  SabanCommandNotice notice;

  /* a task's notice also comes on ioc/v1/scenarios/{id}/tasks: once is
   * enough; other collections (indicators, alerts) are not ours */
  if (!saban_command_notice_is_topic (topic))
    return;
  if ((parsed = saban_live_stream_parse_message (topic, payload, LOG_DOMAIN)) == NULL)
    return;
  if (!saban_command_notice_parse (&notice, topic, parsed, &error))
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "MQTT message on %s rejected: %s", topic, error->message);
      return;
    }
  fetch_notice (self, &notice);
}

/* what was published while MQTT was away or subscribing (polling while it
 * is down); and, once it is back, what we wrote meanwhile */
static void
command_catch_up_async (SabanLiveStream *stream, SabanLiveCatchUp reason, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  SabanCommandClient *self = SABAN_COMMAND_CLIENT (stream);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  if (reason == SABAN_LIVE_CATCH_UP_CONNECTED)
    saban_command_client_flush_outbox (self, NULL);
  saban_command_client_read_all (self);
  if (self->reads == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "not signed in yet");
      g_object_unref (task);
      return;
    }
  g_ptr_array_add (self->catching_up, task);
}

static gboolean
command_catch_up_finish (SabanLiveStream *stream, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
saban_command_client_stream_init (SabanLiveStreamInterface *iface)
{
  iface->message = command_message;
  iface->catch_up_async = command_catch_up_async;
  iface->catch_up_finish = command_catch_up_finish;
}

void
saban_command_client_on_state_changed (SabanCommandClient *self, SabanLiveStream *stream)
{
  if (stream == SABAN_LIVE_STREAM (self))
    g_object_notify (G_OBJECT (self), "state");
}
