/* saban-command-client.c: the Command API kept live in a SabanCommandStore,
 * and the user's writes delivered through a SabanOutbox.
 *
 * Every request goes through the server's SabanApi (the connection's): its
 * session, token, timeouts and retries.
 *
 * Reading happens on the main context with the API's asynchronous reads: a
 * full load of each collection (following `next` links) once signed in, and
 * a catch-up (`updatedSince` = the newest time the store has seen in that
 * collection; the server's filter is ≥, the store drops what it has) each
 * time MQTT is subscribed again, and every poll interval while it is not —
 * the client is a stream of the SabanLiveChannel, which decides when. MQTT
 * (`ioc/v1/#`) brings every change as the full Feature.
 *
 * Writing: each write is shown at once in the store as pending, then handed
 * to one worker thread that owns the outbox. The worker runs its jobs in the
 * order given (store the write, flush, keep mine, take theirs), so a flush
 * always sends what was written before it, and the main loop never waits on
 * SQLite or HTTP. A flush that finds the server away is tried again with
 * exponential backoff (1 → 30 s), and at once when the server or the broker
 * comes back. What became of each write comes back to the main context:
 * delivered (the answer becomes the item), conflict (the server's current
 * Feature is fetched by the worker, and both sides become a
 * SabanCommandConflict) or refused (undone, reported by "write-refused",
 * then dropped from the outbox). Writes to an item the server has not
 * created yet refer to its creation's key (saban_outbox_reference), which
 * the outbox resolves when it sends them.
 *
 * The cache: every item the server sent is written, as the server sent it,
 * to a SabanCommandCache beside the outbox, by the same worker, in batches
 * (the items changed over a second, in one transaction). At start the
 * worker reads the cache and the outbox; the cached items are shown first
 * ("from-cache" until every collection has been read from the server once),
 * the outbox's writes over them, and only then does the first read go out,
 * a catch-up from the cached watermarks.
 */
#include "saban-command-client.h"
#include "saban-json.h"

#include "saban-command-cache.h"
#include "saban-error.h"
#include "saban-outbox.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#define LOG_DOMAIN "saban-command"
#define TOPIC "ioc/v1/#"
/* a Feature is a few kilobytes; anything this big is hostile */
#define MAX_PAYLOAD (256 * 1024)
#define MAX_PAGES 10000
#define MAX_BODY (64 * 1024 * 1024)
#define MAX_BACKOFF 30
/* changes to the cache are gathered this long, then written at once */
#define SAVE_DELAY_MS 1000
#define CACHE_FILE "command-cache.db"

struct _SabanCommandClient
{
  GObject              parent_instance;
  GMainContext        *context;
  SabanConnection     *connection;
  SabanCommandStore   *store;
  SabanOutbox         *outbox;
  SabanLiveChannel    *channel;
  GPtrArray           *catching_up;   /* GTask: catch-ups waiting for the reads */
  SabanApi            *api;
  GCancellable        *cancellable;
  GThreadPool         *worker;
  GListStore          *conflicts;
  GHashTable          *records;       /* keys of writes the model does not keep (acknowledgements) */
  SabanCommandCache   *cache;
  GHashTable          *cached;        /* "collection/id" → the version the cache holds (gint64 *) */
  GHashTable          *unsaved;       /* "collection/id" → SabanCommandItem the cache lacks */
  char                *since[SABAN_COMMAND_N_COLLECTIONS];  /* watermark when last read to the end */
  GDateTime           *cached_at;
  guint                save_timer;
  SabanFeedState       state;
  guint                retry_timer;
  guint                backoff;
  guint                reads;         /* collection reads in flight */
  gboolean             reads_ok;
  gboolean             loaded;
  gboolean             started;
  gboolean             flush_queued;  /* a flush job waits in the worker */
  gboolean             restored;      /* the cache and the outbox are shown */
  gboolean             from_cache;
};

enum { PROP_0, PROP_STATE, PROP_LOADED, PROP_PENDING, PROP_FROM_CACHE, PROP_CACHED_AT, N_PROPS };
enum { SIGNAL_WRITE_REFUSED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void saban_command_client_stream_init (SabanLiveStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SabanCommandClient, saban_command_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SABAN_TYPE_LIVE_STREAM, saban_command_client_stream_init))

static void flush (SabanCommandClient *self, GTask *task);
static void schedule_save (SabanCommandClient *self);

static const char *
base_url (SabanCommandClient *self)
{
  return saban_connection_get_server_url (self->connection);
}

/* ---- reading ----------------------------------------------------------------- */

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
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
      if (self->from_cache)
        {
          self->from_cache = FALSE;
          g_clear_pointer (&self->cached_at, g_date_time_unref);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FROM_CACHE]);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHED_AT]);
        }
    }
  /* the cache says when the server was last heard */
  if (self->reads_ok)
    schedule_save (self);
}

/* @collection has been read to the end: nothing older than the newest time
 * seen can be missing, so that is where the cache's next catch-up starts */
static void
read_to_end (SabanCommandClient *self, SabanCommandCollection collection)
{
  g_free (self->since[collection]);
  self->since[collection] = saban_command_store_get_watermark (self->store, collection);
  schedule_save (self);
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
static void
read_all (SabanCommandClient *self)
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

/* ---- MQTT ------------------------------------------------------------------ */

/* `ioc/v1/collections/{c}/items/{id}`, `ioc/v1/scenarios/{id}/tasks|log` */
static gboolean
parse_topic (const char *topic, SabanCommandCollection *collection, gint64 *id)
{
  g_auto(GStrv) parts = g_strsplit (topic, "/", 7);
  guint n = g_strv_length (parts);
  char *end = NULL;

  if (n == 6 && g_str_equal (parts[2], "collections") && g_str_equal (parts[4], "items") &&
      saban_command_collection_from_string (parts[3], collection))
    {
      *id = g_ascii_strtoll (parts[5], &end, 10);
      return *id > 0 && *end == '\0';
    }
  if (n == 5 && g_str_equal (parts[2], "scenarios") && g_str_equal (parts[4], "log"))
    {
      *collection = SABAN_COMMAND_LOG;
      *id = 0;
      return TRUE;
    }
  return FALSE;
}

static void
command_message (SabanLiveStream *stream, const char *topic, GBytes *payload)
{
  SabanCommandClient *self = SABAN_COMMAND_CLIENT (stream);
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) error = NULL;
  SabanCommandCollection collection;
  JsonNode *root, *id;
  gint64 topic_id;

  /* a task also comes on ioc/v1/scenarios/{id}/tasks: once is enough; other
   * collections (indicators, alerts) are not ours */
  if (!parse_topic (topic, &collection, &topic_id))
    return;
  if (payload == NULL)
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "MQTT message on %s rejected: payload too large or empty", topic);
      return;
    }
  if ((parsed = saban_json_parse (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), &error)) == NULL)
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "MQTT message on %s rejected: %s", topic, error->message);
      return;
    }
  root = parsed;
  if (topic_id > 0 && (!JSON_NODE_HOLDS_OBJECT (root) ||
                       (id = json_object_get_member (json_node_get_object (root), "id")) == NULL ||
                       json_node_get_value_type (id) != G_TYPE_INT64 || json_node_get_int (id) != topic_id))
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "MQTT message on %s rejected: not the item the topic names", topic);
      return;
    }
  saban_command_store_apply_feature (self->store, collection, root, NULL);
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
    flush (self, NULL);
  read_all (self);
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

static void
saban_command_client_stream_init (SabanLiveStreamInterface *iface)
{
  iface->message = command_message;
  iface->catch_up_async = command_catch_up_async;
  iface->catch_up_finish = command_catch_up_finish;
}

static void
on_state_changed (SabanCommandClient *self, SabanLiveStream *stream)
{
  if (stream == SABAN_LIVE_STREAM (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* ---- the worker ---------------------------------------------------------- */

typedef enum { JOB_RESTORE, JOB_ENQUEUE, JOB_FLUSH, JOB_RETRY, JOB_DROP, JOB_SAVE } JobKind;

typedef struct
{
  JobKind      kind;
  GWeakRef     client;
  SabanOutbox *outbox;
  SabanCommandCache *cache;
  GMainContext *context;
  GCancellable *cancellable;
  GTask       *task;        /* flush_async's, or NULL */
  char        *key, *method, *path, *body, *if_match;
  SabanApi    *api;
  char        *base;        /* the server the cache is kept for */
  /* the cache: what is written (SabanCachedItem), or what was read (Cached) */
  GPtrArray   *items;
  char        *since[SABAN_COMMAND_N_COLLECTIONS];
  GDateTime   *synced_at;
  gboolean     whole;
  gboolean     emptied;
  /* results */
  GPtrArray   *settled;     /* Settled */
  SabanOutboxReport report;
  GError      *error;
} Job;

typedef struct
{
  SabanOutboxEntry *entry;
  guint             status;
  char             *answer;
  JsonNode         *theirs;     /* a conflict's server Feature */
  gint64            theirs_version;
} Settled;

/* a cached item, parsed by the worker */
typedef struct
{
  SabanCommandCollection collection;
  gint64                 id;
  gint64                 version;
  JsonNode              *feature;
} Cached;

static void
cached_free (gpointer data)
{
  Cached *c = data;

  json_node_unref (c->feature);
  g_free (c);
}

static void
settled_free (gpointer data)
{
  Settled *s = data;

  saban_outbox_entry_free (s->entry);
  g_free (s->answer);
  g_clear_pointer (&s->theirs, json_node_unref);
  g_free (s);
}

static void
job_free (Job *job)
{
  g_weak_ref_clear (&job->client);
  g_object_unref (job->outbox);
  g_object_unref (job->cache);
  g_main_context_unref (job->context);
  g_object_unref (job->cancellable);
  g_clear_object (&job->task);
  g_free (job->key);
  g_free (job->method);
  g_free (job->path);
  g_free (job->body);
  g_free (job->if_match);
  g_object_unref (job->api);
  g_free (job->base);
  g_clear_pointer (&job->items, g_ptr_array_unref);
  for (guint c = 0; c < SABAN_COMMAND_N_COLLECTIONS; c++)
    g_free (job->since[c]);
  g_clear_pointer (&job->synced_at, g_date_time_unref);
  g_clear_pointer (&job->settled, g_ptr_array_unref);
  g_clear_error (&job->error);
  g_free (job);
}

static Job *
job_new (SabanCommandClient *self, JobKind kind)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  g_weak_ref_init (&job->client, self);
  job->outbox = g_object_ref (self->outbox);
  job->cache = g_object_ref (self->cache);
  job->context = g_main_context_ref (self->context);
  job->cancellable = g_object_ref (self->cancellable);
  job->api = g_object_ref (self->api);
  job->base = g_strdup (base_url (self));
  job->settled = g_ptr_array_new_with_free_func (settled_free);
  return job;
}

static void
on_settled (const SabanOutboxEntry *entry, guint status, const char *answer, gpointer data)
{
  Job *job = data;
  Settled *s = g_new0 (Settled, 1);

  s->entry = g_new0 (SabanOutboxEntry, 1);
  s->entry->seq = entry->seq;
  s->entry->key = g_strdup (entry->key);
  s->entry->method = g_strdup (entry->method);
  s->entry->path = g_strdup (entry->path);
  s->entry->body = g_strdup (entry->body);
  s->entry->if_match = g_strdup (entry->if_match);
  s->status = status;
  s->answer = g_strdup (answer);
  g_ptr_array_add (job->settled, s);
}

static gint64
version_of (const char *etag)
{
  if (etag == NULL)
    return 0;
  if (g_str_has_prefix (etag, "W/"))
    etag += 2;
  return g_str_has_prefix (etag, "\"v") ? g_ascii_strtoll (etag + 2, NULL, 10) : 0;
}

/* the worker thread: the server's side of a conflict */
static void
fetch_theirs (Job *job, Settled *s)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) parsed = NULL;

  if (g_str_has_prefix (s->entry->path, "{") ||
      (msg = saban_api_new_message (job->api, "GET", s->entry->path, NULL)) == NULL)
    return;
  bytes = saban_api_send (job->api, msg, MAX_BODY, job->cancellable, NULL);
  if (bytes == NULL || soup_message_get_status (msg) != SOUP_STATUS_OK ||
      (parsed = saban_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL)) == NULL)
    return;
  s->theirs = json_node_ref (parsed);
  s->theirs_version = version_of (soup_message_headers_get_one (soup_message_get_response_headers (msg), "ETag"));
}

static gboolean job_done (gpointer data);

/* the worker thread: the cache's items parsed; a collection with an item
 * that does not parse gets no watermark (it is read whole) */
static void
read_cache (Job *job)
{
  g_autoptr(GPtrArray) rows = saban_command_cache_load (job->cache, job->base, job->since, &job->synced_at);

  job->items = g_ptr_array_new_with_free_func (cached_free);
  for (guint i = 0; i < rows->len; i++)
    {
      SabanCachedItem *row = g_ptr_array_index (rows, i);
      g_autoptr(JsonNode) parsed = NULL;
      g_autoptr(GError) error = NULL;
      Cached *c;

      if ((parsed = saban_json_parse (row->feature, -1, &error)) == NULL)
        {
          g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "cached %s item %" G_GINT64_FORMAT " rejected: %s",
                 saban_command_collection_to_string (row->collection), row->id, error->message);
          g_clear_pointer (&job->since[row->collection], g_free);
          continue;
        }
      c = g_new0 (Cached, 1);
      c->collection = row->collection;
      c->id = row->id;
      c->version = row->version;
      c->feature = json_node_ref (parsed);
      g_ptr_array_add (job->items, c);
    }
}

static void
run_job (gpointer data, gpointer pool_data)
{
  Job *job = data;

  switch (job->kind)
    {
    case JOB_RESTORE:
      {
        g_autoptr(GPtrArray) entries = saban_outbox_list (job->outbox, NULL);

        read_cache (job);

        /* each entry moves into a Settled */
        g_ptr_array_set_free_func (entries, NULL);
        for (guint i = 0; i < entries->len; i++)
          {
            SabanOutboxEntry *e = g_ptr_array_index (entries, i);
            Settled *s = g_new0 (Settled, 1);

            s->entry = e;
            s->status = g_str_equal (e->status, "conflict") ? 412 : g_str_equal (e->status, "refused") ? 400 : 0;
            if (s->status == 412)
              fetch_theirs (job, s);
            g_ptr_array_add (job->settled, s);
          }
        break;
      }
    case JOB_ENQUEUE:
      {
        g_autofree char *key = saban_outbox_enqueue_with_key (job->outbox, job->key, job->method, job->path,
                                                              job->body, job->if_match, &job->error);
        if (key == NULL)
          g_log (LOG_DOMAIN, G_LOG_LEVEL_WARNING, "a write could not be stored: %s", job->error->message);
        break;
      }
    case JOB_FLUSH:
      if (saban_outbox_flush_full (job->outbox, job->api, job->cancellable, on_settled, job, &job->report,
                                   &job->error))
        for (guint i = 0; i < job->settled->len; i++)
          {
            Settled *s = g_ptr_array_index (job->settled, i);

            if (s->status == 412)
              fetch_theirs (job, s);
          }
      break;
    case JOB_RETRY:
      saban_outbox_retry (job->outbox, job->key, job->if_match, &job->error);
      break;
    case JOB_DROP:
      saban_outbox_drop (job->outbox, job->key, &job->error);
      break;
    case JOB_SAVE:
      if (!saban_command_cache_save (job->cache, job->base, job->items, (const char *const *) job->since,
                                     job->synced_at, job->whole, &job->emptied, &job->error))
        g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "the cache could not be written: %s", job->error->message);
      break;
    }
  {
    /* never g_main_context_invoke: it would run job_done here when no
     * thread owns the context */
    g_autoptr(GSource) source = g_idle_source_new ();

    g_source_set_priority (source, G_PRIORITY_DEFAULT);
    g_source_set_callback (source, job_done, job, NULL);
    g_source_attach (source, job->context);
  }
}

static void
push (SabanCommandClient *self, Job *job)
{
  g_thread_pool_push (self->worker, job, NULL);
}

/* ---- back on the main thread: what became of the writes ------------------- */

static void
record_add (SabanCommandClient *self, const char *key)
{
  if (g_hash_table_add (self->records, g_strdup (key)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

static void
record_remove (SabanCommandClient *self, const char *key)
{
  if (g_hash_table_remove (self->records, key))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}


/* "/collections/{c}/items[/{id}]": the collection and the id part, if any */
static gboolean
parse_path (const char *path, SabanCommandCollection *collection, char **id)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", 6);
  guint n = g_strv_length (parts);

  if ((n != 4 && n != 5) || !g_str_equal (parts[1], "collections") || !g_str_equal (parts[3], "items") ||
      !saban_command_collection_from_string (parts[2], collection))
    return FALSE;
  *id = n == 5 ? g_strdup (parts[4]) : NULL;
  return TRUE;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonNode) parsed = NULL;

  if (text == NULL || (parsed = saban_json_parse (text, -1, NULL)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (parsed))
    return NULL;
  return json_node_ref (parsed);
}

/* an id part of a path: a number, or a reference to a local item's creation */
static gint64
resolve_id (SabanCommandClient *self, const char *text)
{
  SabanCommandItem *local;

  if (text == NULL)
    return 0;
  if (g_str_has_prefix (text, "{created:") && g_str_has_suffix (text, "}"))
    {
      g_autofree char *key = g_strndup (text + strlen ("{created:"), strlen (text) - strlen ("{created:") - 1);

      local = saban_command_store_lookup_local (self->store, key);
      return local != NULL ? saban_command_item_get_id (local) : 0;
    }
  return g_ascii_strtoll (text, NULL, 10);
}

static void
add_conflict (SabanCommandClient *self, Settled *s)
{
  g_autoptr(JsonNode) mine = parse_json (s->entry->body);
  g_autoptr(SabanCommandConflict) conflict = NULL;
  g_autofree char *id_text = NULL;
  SabanCommandCollection collection;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->conflicts));

  if (mine == NULL || !parse_path (s->entry->path, &collection, &id_text))
    return;
  saban_command_store_set_conflict (self->store, s->entry->key, TRUE);
  conflict = saban_command_conflict_new (s->entry->key, collection, resolve_id (self, id_text), mine,
                                         version_of (s->entry->if_match), s->theirs, s->theirs_version);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SabanCommandConflict) old = g_list_model_get_item (G_LIST_MODEL (self->conflicts), i);

      if (g_str_equal (saban_command_conflict_get_key (old), s->entry->key))
        {
          g_list_store_splice (self->conflicts, i, 1, (gpointer *) &conflict, 1);
          return;
        }
    }
  g_list_store_append (self->conflicts, conflict);
}

static void
drop (SabanCommandClient *self, const char *key)
{
  Job *job = job_new (self, JOB_DROP);

  job->key = g_strdup (key);
  push (self, job);
}

static void
refused (SabanCommandClient *self, Settled *s)
{
  g_autoptr(JsonNode) answer = parse_json (s->answer);
  SabanCommandItem *item = saban_command_store_lookup_local (self->store, s->entry->key);
  g_autoptr(SabanCommandItem) keep = item ? g_object_ref (item) : NULL;
  const char *why = answer ? json_object_get_string_member_with_default (json_node_get_object (answer),
                                                                          "description", NULL) : NULL;
  g_autofree char *message = g_strdup_printf ("%s %s: %u %s", s->entry->method, s->entry->path, s->status,
                                              why ? why : s->answer ? s->answer : "");

  g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "write refused: %s", message);
  saban_command_store_settle (self->store, s->entry->key, NULL);
  g_signal_emit (self, signals[SIGNAL_WRITE_REFUSED], 0, keep, message);
  /* the user has been told; the outbox need not keep it */
  drop (self, s->entry->key);
}

static void
settled (SabanCommandClient *self, Settled *s)
{
  record_remove (self, s->entry->key);
  if (s->status >= 200 && s->status < 300)
    {
      g_autoptr(JsonNode) feature = parse_json (s->answer);

      saban_command_store_settle (self->store, s->entry->key, feature);
    }
  else if (s->status == 412)
    add_conflict (self, s);
  else
    refused (self, s);
}

/* a write left in the outbox by an earlier run, shown again as pending */
static void
restore (SabanCommandClient *self, Settled *s)
{
  g_autoptr(JsonNode) body = parse_json (s->entry->body);
  g_autofree char *id_text = NULL;
  SabanCommandCollection collection;
  JsonObject *props;
  JsonNode *geometry, *scenario;

  if (s->status == 400)
    {
      drop (self, s->entry->key);
      return;
    }
  if (g_str_equal (s->entry->method, "POST") && !parse_path (s->entry->path, &collection, &id_text))
    {
      record_add (self, s->entry->key);
      return;
    }
  if (body == NULL || !parse_path (s->entry->path, &collection, &id_text) ||
      !json_object_has_member (json_node_get_object (body), "properties") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (body), "properties")))
    return;
  props = json_object_get_object_member (json_node_get_object (body), "properties");
  geometry = json_object_get_member (json_node_get_object (body), "geometry");
  scenario = json_object_get_member (props, "scenarioId");
  if (scenario != NULL && json_node_get_value_type (scenario) == G_TYPE_STRING)
    json_object_set_int_member (props, "scenarioId", resolve_id (self, json_node_get_string (scenario)));
  if (g_str_equal (s->entry->method, "POST"))
    saban_command_store_add_local (self->store, collection, s->entry->key, props, geometry);
  else
    {
      saban_command_store_add_patch (self->store, collection, resolve_id (self, id_text), s->entry->key,
                                     version_of (s->entry->if_match), props, geometry);
      if (s->status == 412)
        add_conflict (self, s);
    }
}

/* ---- the cache ------------------------------------------------------------- */

static char *
cache_key (SabanCommandCollection collection, gint64 id)
{
  return g_strdup_printf ("%u/%" G_GINT64_FORMAT, collection, id);
}

static void
set_cached (SabanCommandClient *self, SabanCommandCollection collection, gint64 id, gint64 version)
{
  gint64 *v = g_new (gint64, 1);

  *v = version;
  g_hash_table_replace (self->cached, cache_key (collection, id), v);
}

/* the server's side of an item changed: the cache is to follow */
static void
on_item_changed (SabanCommandClient *self, SabanCommandItem *item)
{
  gint64 id = saban_command_item_get_id (item);
  g_autofree char *key = NULL;
  gint64 *have;

  if (id <= 0)
    return;
  key = cache_key (saban_command_item_get_collection (item), id);
  have = g_hash_table_lookup (self->cached, key);
  if (have != NULL && *have >= saban_command_item_get_version (item))
    return;
  g_hash_table_replace (self->unsaved, g_steal_pointer (&key), g_object_ref (item));
  schedule_save (self);
}

/* every item the server sent, to be written again */
static void
unsave_all (SabanCommandClient *self)
{
  g_hash_table_remove_all (self->cached);
  for (guint c = 0; c < SABAN_COMMAND_N_COLLECTIONS; c++)
    {
      g_autoptr(GListModel) all = saban_command_store_list (self->store, c, 0, NULL);

      for (guint i = 0; i < g_list_model_get_n_items (all); i++)
        {
          g_autoptr(SabanCommandItem) item = g_list_model_get_item (all, i);

          on_item_changed (self, item);
        }
    }
}

/* what changed since the last batch, to the worker as text */
static void
save_cache (SabanCommandClient *self)
{
  Job *job = job_new (self, JOB_SAVE);
  GHashTableIter iter;
  gpointer value;

  g_clear_handle_id (&self->save_timer, g_source_remove);
  /* nothing saved yet: every item the server sent is in this batch */
  job->whole = g_hash_table_size (self->cached) == 0;
  job->items = g_ptr_array_new_with_free_func ((GDestroyNotify) saban_cached_item_free);
  g_hash_table_iter_init (&iter, self->unsaved);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SabanCachedItem *row = g_new0 (SabanCachedItem, 1);

      row->collection = saban_command_item_get_collection (value);
      row->id = saban_command_item_get_id (value);
      row->version = saban_command_item_get_version (value);
      row->feature = saban_command_item_to_server_feature (value);
      set_cached (self, row->collection, row->id, row->version);
      g_ptr_array_add (job->items, row);
    }
  g_hash_table_remove_all (self->unsaved);
  for (guint c = 0; c < SABAN_COMMAND_N_COLLECTIONS; c++)
    job->since[c] = g_strdup (self->since[c]);
  job->synced_at = g_date_time_new_now_utc ();
  push (self, job);
}

static gboolean
save_cb (gpointer data)
{
  SabanCommandClient *self = data;

  self->save_timer = 0;
  save_cache (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_save (SabanCommandClient *self)
{
  if (self->save_timer == 0 && self->worker != NULL)
    self->save_timer = g_timeout_add (SAVE_DELAY_MS, save_cb, self);
}

/* the cache read at start, shown before the outbox's writes go over it */
static void
show_cached (SabanCommandClient *self, Job *job)
{
  gboolean bad[SABAN_COMMAND_N_COLLECTIONS] = { FALSE };
  guint shown = 0;

  for (guint i = 0; i < job->items->len; i++)
    {
      Cached *c = g_ptr_array_index (job->items, i);

      /* it is on disk already: the item-changed it makes writes nothing */
      set_cached (self, c->collection, c->id, c->version);
      if (saban_command_store_apply_feature (self->store, c->collection, c->feature, NULL))
        shown++;
      else
        {
          g_autofree char *key = cache_key (c->collection, c->id);

          g_hash_table_remove (self->cached, key);
          bad[c->collection] = TRUE;
        }
    }
  for (guint c = 0; c < SABAN_COMMAND_N_COLLECTIONS; c++)
    {
      g_free (self->since[c]);
      self->since[c] = bad[c] ? NULL : g_strdup (job->since[c]);
      saban_command_store_set_watermark (self->store, c, self->since[c]);
    }
  if (shown > 0 && !self->loaded)
    {
      self->from_cache = TRUE;
      self->cached_at = job->synced_at ? g_date_time_ref (job->synced_at) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FROM_CACHE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHED_AT]);
    }
}

static gboolean
retry_cb (gpointer data)
{
  SabanCommandClient *self = data;

  self->retry_timer = 0;
  flush (self, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
job_done (gpointer data)
{
  Job *job = data;
  g_autoptr(SabanCommandClient) self = g_weak_ref_get (&job->client);

  if (self == NULL || g_cancellable_is_cancelled (job->cancellable))
    {
      if (job->task != NULL)
        g_task_return_new_error (job->task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "the client is gone");
      job_free (job);
      return G_SOURCE_REMOVE;
    }
  switch (job->kind)
    {
    case JOB_RESTORE:
      show_cached (self, job);
      for (guint i = 0; i < job->settled->len; i++)
        restore (self, g_ptr_array_index (job->settled, i));
      self->restored = TRUE;
      read_all (self);
      flush (self, NULL);
      break;
    case JOB_SAVE:
      if (job->emptied)
        unsave_all (self);
      break;
    case JOB_FLUSH:
      for (guint i = 0; i < job->settled->len; i++)
        settled (self, g_ptr_array_index (job->settled, i));
      if (job->kind == JOB_FLUSH && job->task == NULL)
        self->flush_queued = FALSE;
      g_clear_handle_id (&self->retry_timer, g_source_remove);
      if (job->report.offline)
        {
          /* 1, 2, 4 … 30 s */
          self->backoff = self->backoff ? MIN (self->backoff * 2, MAX_BACKOFF) : 1;
          self->retry_timer = g_timeout_add_seconds (self->backoff, retry_cb, self);
        }
      else
        self->backoff = 0;
      break;
    case JOB_ENQUEUE:
    case JOB_RETRY:
    case JOB_DROP:
      break;
    }
  if (job->task != NULL)
    {
      if (job->error != NULL)
        g_task_return_error (job->task, g_steal_pointer (&job->error));
      else
        g_task_return_boolean (job->task, TRUE);
    }
  job_free (job);
  return G_SOURCE_REMOVE;
}

static void
flush (SabanCommandClient *self, GTask *task)
{
  Job *job;

  if (task == NULL && (self->flush_queued || !self->started))
    return;
  job = job_new (self, JOB_FLUSH);
  job->task = task;
  if (task == NULL)
    self->flush_queued = TRUE;
  push (self, job);
}

/* ---- the object ------------------------------------------------------------ */

static void
on_signed_in (SabanCommandClient *self)
{
  if (!saban_connection_get_signed_in (self->connection) || !self->started)
    return;
  read_all (self);
  flush (self, NULL);
}

static void
on_pending (SabanCommandClient *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

static void
saban_command_client_dispose (GObject *object)
{
  SabanCommandClient *self = SABAN_COMMAND_CLIENT (object);

  for (guint i = 0; i < self->catching_up->len; i++)
    g_task_return_new_error (g_ptr_array_index (self->catching_up, i), G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "the client is gone");
  g_ptr_array_set_size (self->catching_up, 0);
  /* what the cache lacks goes with the last jobs */
  if (self->worker != NULL && (self->save_timer != 0 || g_hash_table_size (self->unsaved) > 0))
    save_cache (self);
  g_cancellable_cancel (self->cancellable);
  if (self->worker != NULL)
    {
      /* stores every write already handed over and the cache; flushes stop at once */
      g_thread_pool_free (self->worker, FALSE, TRUE);
      self->worker = NULL;
    }
  g_clear_handle_id (&self->retry_timer, g_source_remove);
  g_clear_handle_id (&self->save_timer, g_source_remove);
  if (self->channel != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->channel, self);
      saban_live_channel_remove_stream (self->channel, SABAN_LIVE_STREAM (self));
    }
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->channel);
  g_clear_object (&self->connection);
  g_clear_object (&self->outbox);
  g_clear_object (&self->cache);
  g_hash_table_remove_all (self->unsaved);
  G_OBJECT_CLASS (saban_command_client_parent_class)->dispose (object);
}

static void
saban_command_client_finalize (GObject *object)
{
  SabanCommandClient *self = SABAN_COMMAND_CLIENT (object);

  g_clear_object (&self->api);
  g_clear_pointer (&self->catching_up, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->conflicts);
  g_clear_pointer (&self->records, g_hash_table_unref);
  g_clear_pointer (&self->cached, g_hash_table_unref);
  g_clear_pointer (&self->unsaved, g_hash_table_unref);
  for (guint c = 0; c < SABAN_COMMAND_N_COLLECTIONS; c++)
    g_free (self->since[c]);
  g_clear_pointer (&self->cached_at, g_date_time_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (saban_command_client_parent_class)->finalize (object);
}

static void
saban_command_client_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SabanCommandClient *self = SABAN_COMMAND_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_uint (value, saban_command_client_get_state (self));
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_PENDING:
      g_value_set_uint (value, saban_command_client_get_pending (self));
      break;
    case PROP_FROM_CACHE:
      g_value_set_boolean (value, self->from_cache);
      break;
    case PROP_CACHED_AT:
      g_value_set_boxed (value, self->cached_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_command_client_class_init (SabanCommandClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = saban_command_client_dispose;
  object_class->finalize = saban_command_client_finalize;
  object_class->get_property = saban_command_client_get_property;

  /* a SabanFeedState */
  properties[PROP_STATE] = g_param_spec_uint ("state", NULL, NULL, 0, SABAN_FEED_STATE_POLLING,
                                              SABAN_FEED_STATE_OFFLINE, flags);
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, flags);
  properties[PROP_PENDING] = g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0, flags);
  /* the model shows the cache of an earlier run: the server has not been
   * read to the end since start */
  properties[PROP_FROM_CACHE] = g_param_spec_boolean ("from-cache", NULL, NULL, FALSE, flags);
  /* while from-cache: when that run last heard from the server, or NULL */
  properties[PROP_CACHED_AT] = g_param_spec_boxed ("cached-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (item or NULL, message): the server refused a write; it was undone */
  signals[SIGNAL_WRITE_REFUSED] = g_signal_new ("write-refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                NULL, NULL, NULL, G_TYPE_NONE, 2, SABAN_TYPE_COMMAND_ITEM,
                                                G_TYPE_STRING);
}

static void
saban_command_client_init (SabanCommandClient *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->cancellable = g_cancellable_new ();
  self->store = saban_command_store_new ();
  self->conflicts = g_list_store_new (SABAN_TYPE_COMMAND_CONFLICT);
  self->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cached = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->unsaved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->catching_up = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * saban_command_client_new:
 * @connection: the server (its URL) and the signed-in account (its token)
 * @channel: the live channel it joins on start (topic `ioc/v1/#`)
 * @outbox_path: the outbox file; writes an earlier run left there are
 *   delivered. The cache of the server's items is kept beside it
 *   (`command-cache.db`)
 *
 * Returns: (transfer full) (nullable): the client; call
 *   saban_command_client_start()
 */
SabanCommandClient *
saban_command_client_new (SabanConnection *connection, SabanLiveChannel *channel, const char *outbox_path,
                          GError **error)
{
  g_autoptr(SabanCommandClient) self = NULL;
  g_autoptr(SabanOutbox) outbox = NULL;
  g_autofree char *dir = g_path_get_dirname (outbox_path);
  g_autofree char *cache = g_build_filename (dir, CACHE_FILE, NULL);

  g_return_val_if_fail (SABAN_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (SABAN_IS_LIVE_CHANNEL (channel), NULL);

  outbox = saban_outbox_new (outbox_path, error);
  if (outbox == NULL)
    return NULL;
  self = g_object_new (SABAN_TYPE_COMMAND_CLIENT, NULL);
  self->outbox = g_steal_pointer (&outbox);
  self->cache = saban_command_cache_new (cache);
  self->connection = g_object_ref (connection);
  self->api = g_object_ref (saban_connection_get_api (connection));
  /* one thread: the outbox's jobs run in the order given */
  self->worker = g_thread_pool_new (run_job, NULL, 1, FALSE, error);
  if (self->worker == NULL)
    return NULL;
  self->channel = g_object_ref (channel);
  g_signal_connect_swapped (channel, "state-changed", G_CALLBACK (on_state_changed), self);
  g_signal_connect_swapped (self->connection, "notify::signed-in", G_CALLBACK (on_signed_in), self);
  g_signal_connect_swapped (self->store, "notify::n-pending", G_CALLBACK (on_pending), self);
  g_signal_connect_swapped (self->store, "item-changed", G_CALLBACK (on_item_changed), self);
  return g_steal_pointer (&self);
}

/**
 * saban_command_client_start:
 *
 * Shows what the cache holds and, over it, the writes an earlier run left in
 * the outbox; then catches up once signed in, connects to the broker
 * (retrying for as long as the client lives) and delivers the outbox. The
 * server need not be up.
 */
void
saban_command_client_start (SabanCommandClient *self)
{
  Job *job;

  g_return_if_fail (SABAN_IS_COMMAND_CLIENT (self));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  job = job_new (self, JOB_RESTORE);
  push (self, job);
  saban_live_channel_add_stream (self->channel, SABAN_LIVE_STREAM (self), TOPIC, MAX_PAYLOAD);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/**
 * saban_command_client_get_store:
 * Returns: (transfer none): the model the client keeps
 */
SabanCommandStore *
saban_command_client_get_store (SabanCommandClient *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_CLIENT (self), NULL);
  return self->store;
}

SabanFeedState
saban_command_client_get_state (SabanCommandClient *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_CLIENT (self), SABAN_FEED_STATE_OFFLINE);
  return saban_live_channel_get_state (self->channel, SABAN_LIVE_STREAM (self));
}

/**
 * saban_command_client_get_loaded:
 * Returns: whether every collection has been loaded once
 */
gboolean
saban_command_client_get_loaded (SabanCommandClient *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_CLIENT (self), FALSE);
  return self->loaded;
}

/**
 * saban_command_client_get_from_cache:
 * Returns: whether the model shows what an earlier run cached, the server
 *   not having been read to the end since start
 */
gboolean
saban_command_client_get_from_cache (SabanCommandClient *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_CLIENT (self), FALSE);
  return self->from_cache;
}

/**
 * saban_command_client_get_cached_at:
 * Returns: (transfer none) (nullable): while the model shows the cache, when
 *   the run that cached it last heard from the server
 */
GDateTime *
saban_command_client_get_cached_at (SabanCommandClient *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_CLIENT (self), NULL);
  return self->cached_at;
}

/**
 * saban_command_client_get_connection:
 *
 * Returns: (transfer none): the connection it signs in through (whose
 *   account is "me" in the log)
 */
SabanConnection *
saban_command_client_get_connection (SabanCommandClient *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_CLIENT (self), NULL);
  return self->connection;
}

/**
 * saban_command_client_get_pending:
 * Returns: how many writes the server has not acknowledged yet (conflicts
 *   not counted)
 */
guint
saban_command_client_get_pending (SabanCommandClient *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_CLIENT (self), 0);
  return saban_command_store_get_n_pending (self->store) + g_hash_table_size (self->records);
}

/**
 * saban_command_client_get_conflicts:
 * Returns: (transfer none): a GListModel of SabanCommandConflict
 */
GListModel *
saban_command_client_get_conflicts (SabanCommandClient *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_CLIENT (self), NULL);
  return G_LIST_MODEL (self->conflicts);
}

/**
 * saban_command_client_flush_async:
 *
 * Delivers the outbox now. Completes once every write made before the call
 * is stored on disk and one flush has run (whether or not the server
 * answered).
 */
void
saban_command_client_flush_async (SabanCommandClient *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_return_if_fail (SABAN_IS_COMMAND_CLIENT (self));
  flush (self, g_task_new (self, cancellable, callback, user_data));
}

gboolean
saban_command_client_flush_finish (SabanCommandClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- writes ---------------------------------------------------------------- */

static void
enqueue (SabanCommandClient *self, const char *key, const char *method, const char *path, JsonNode *body,
         gint64 based_on)
{
  Job *job = job_new (self, JOB_ENQUEUE);

  job->key = g_strdup (key);
  job->method = g_strdup (method);
  job->path = g_strdup (path);
  job->body = json_to_string (body, FALSE);
  job->if_match = based_on > 0 ? g_strdup_printf ("\"v%" G_GINT64_FORMAT "\"", based_on) : NULL;
  push (self, job);
  /* a flush queued before this write would not send it */
  self->flush_queued = FALSE;
  flush (self, NULL);
}

/* how the outbox names @item: its id, or its creation's */
static char *
item_ref (SabanCommandItem *item)
{
  if (saban_command_item_get_id (item) > 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, saban_command_item_get_id (item));
  return saban_outbox_reference (saban_command_item_get_local_key (item));
}

static JsonNode *
feature_body (JsonObject *props, JsonNode *geometry, gboolean creation)
{
  JsonObject *f = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  if (creation)
    {
      json_object_set_string_member (f, "type", "Feature");
      json_object_set_member (f, "geometry", geometry ? json_node_copy (geometry) : json_node_new (JSON_NODE_NULL));
    }
  else if (geometry != NULL)
    json_object_set_member (f, "geometry", json_node_copy (geometry));
  json_object_set_object_member (f, "properties", json_object_ref (props));
  json_node_take_object (node, f);
  return node;
}

static void
copy_members (JsonObject *to, JsonObject *from)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *v;

  json_object_iter_init (&iter, from);
  while (json_object_iter_next (&iter, &name, &v))
    json_object_set_member (to, name, json_node_copy (v));
}

static gboolean
check_item (SabanCommandItem *item, SabanCommandCollection want, GError **error)
{
  if (item == NULL || saban_command_item_get_collection (item) != want)
    {
      g_set_error_literal (error, SABAN_ERROR, SABAN_ERROR_PARSE,
                   want == SABAN_COMMAND_SCENARIOS ? _("This is not a scenario")
                   : want == SABAN_COMMAND_TASKS ? _("This is not a task") : _("This is not a playbook"));
      return FALSE;
    }
  return TRUE;
}

/* a creation: shown at once, then stored and sent */
static SabanCommandItem *
create (SabanCommandClient *self, SabanCommandCollection collection, JsonObject *props, JsonNode *geometry,
        SabanCommandItem *scenario)
{
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *path = g_strdup_printf ("/collections/%s/items", saban_command_collection_to_string (collection));
  g_autoptr(JsonObject) sent = json_object_new ();
  g_autoptr(JsonNode) body = NULL;

  copy_members (sent, props);
  if (scenario != NULL)
    {
      g_autofree char *ref = item_ref (scenario);

      json_object_set_int_member (props, "scenarioId", saban_command_item_get_id (scenario));
      if (saban_command_item_get_id (scenario) > 0)
        json_object_set_int_member (sent, "scenarioId", saban_command_item_get_id (scenario));
      else
        json_object_set_string_member (sent, "scenarioId", ref);
    }
  /* shown as the server will make it; not sent (the server decides) */
  if (collection == SABAN_COMMAND_SCENARIOS || collection == SABAN_COMMAND_TASKS)
    json_object_set_string_member (props, "status", collection == SABAN_COMMAND_SCENARIOS ? "draft" : "pending");
  body = feature_body (sent, geometry, TRUE);
  enqueue (self, key, "POST", path, body, 0);
  return saban_command_store_add_local (self->store, collection, key, props, geometry);
}

/**
 * saban_command_client_update:
 * @item: a scenario or a task (the others cannot change)
 * @properties: (transfer none): the properties to change (a JSON merge
 *   patch: null removes one)
 * @geometry: (nullable): a new geometry, or NULL to keep it
 *
 * The general change; the functions below are its common cases. Based on
 * the version the user sees (with their own pending changes), so a change
 * someone else made meanwhile becomes a conflict, never an overwrite.
 */
gboolean
saban_command_client_update (SabanCommandClient *self, SabanCommandItem *item, JsonObject *props,
                             JsonNode *geometry, GError **error)
{
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *ref = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) body = NULL;
  SabanCommandCollection collection;
  gint64 based_on;

  g_return_val_if_fail (SABAN_IS_COMMAND_CLIENT (self), FALSE);
  g_return_val_if_fail (SABAN_IS_COMMAND_ITEM (item), FALSE);

  collection = saban_command_item_get_collection (item);
  if (collection != SABAN_COMMAND_SCENARIOS && collection != SABAN_COMMAND_TASKS)
    {
      g_set_error_literal (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("Only scenarios and tasks can be changed"));
      return FALSE;
    }
  ref = item_ref (item);
  path = g_strdup_printf ("/collections/%s/items/%s", saban_command_collection_to_string (collection), ref);
  based_on = saban_command_store_next_version (self->store, item);
  body = feature_body (props, geometry, FALSE);
  enqueue (self, key, "PATCH", path, body, based_on);
  saban_command_store_add_patch (self->store, collection, saban_command_item_get_id (item), key, based_on, props,
                                 geometry);
  return TRUE;
}

/**
 * saban_command_client_set_status:
 * @item: a scenario (activate, suspend, close, cancel) or a task (accept,
 *   start, pause, complete, fail, cancel)
 * @status: the new status, e.g. "active"
 */
gboolean
saban_command_client_set_status (SabanCommandClient *self, SabanCommandItem *item, const char *status,
                                 GError **error)
{
  g_autoptr(JsonObject) props = json_object_new ();

  g_return_val_if_fail (status != NULL, FALSE);
  json_object_set_string_member (props, "status", status);
  return saban_command_client_update (self, item, props, NULL, error);
}

/**
 * saban_command_client_assign_task:
 * @type: e.g. "unit", "agency", "person"
 *
 * Sets the assignee; a pending task becomes assigned.
 */
gboolean
saban_command_client_assign_task (SabanCommandClient *self, SabanCommandItem *task, const char *type,
                                  const char *id, const char *name, GError **error)
{
  g_autoptr(JsonObject) props = json_object_new ();
  JsonObject *assignee = json_object_new ();

  if (!check_item (task, SABAN_COMMAND_TASKS, error))
    {
      json_object_unref (assignee);
      return FALSE;
    }
  json_object_set_string_member (assignee, "type", type);
  json_object_set_string_member (assignee, "id", id);
  json_object_set_string_member (assignee, "name", name);
  json_object_set_object_member (props, "assignee", assignee);
  if (g_strcmp0 (saban_command_item_get_status (task), "pending") == 0)
    json_object_set_string_member (props, "status", "assigned");
  return saban_command_client_update (self, task, props, NULL, error);
}

/**
 * saban_command_client_set_progress:
 * @progress: 0–100
 */
gboolean
saban_command_client_set_progress (SabanCommandClient *self, SabanCommandItem *task, int progress, GError **error)
{
  g_autoptr(JsonObject) props = json_object_new ();

  if (!check_item (task, SABAN_COMMAND_TASKS, error))
    return FALSE;
  json_object_set_int_member (props, "progress", CLAMP (progress, 0, 100));
  return saban_command_client_update (self, task, props, NULL, error);
}

/**
 * saban_command_client_create_scenario:
 * @playbook: (nullable): the playbook it follows (its code, category and
 *   kind are copied)
 * @title: the scenario's title
 * @area: (nullable): a Polygon, MultiPolygon or Point
 * @extra: (nullable): more properties (description, severity, commander…)
 *
 * Returns: (transfer none): the new scenario (draft), local until the
 *   server has it
 */
SabanCommandItem *
saban_command_client_create_scenario (SabanCommandClient *self, SabanCommandItem *playbook, const char *title,
                                      JsonNode *area, JsonObject *extra, GError **error)
{
  g_autoptr(JsonObject) props = json_object_new ();

  g_return_val_if_fail (SABAN_IS_COMMAND_CLIENT (self), NULL);

  if (title == NULL || *title == '\0')
    {
      g_set_error_literal (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("A scenario needs a title"));
      return NULL;
    }
  if (playbook != NULL && !check_item (playbook, SABAN_COMMAND_PLAYBOOKS, error))
    return NULL;
  json_object_set_string_member (props, "title", title);
  if (playbook != NULL)
    {
      json_object_set_string_member (props, "playbook", saban_command_item_get_string (playbook, "code"));
      if (saban_command_item_get_string (playbook, "category") != NULL)
        json_object_set_string_member (props, "category", saban_command_item_get_string (playbook, "category"));
    }
  if (extra != NULL)
    copy_members (props, extra);
  return create (self, SABAN_COMMAND_SCENARIOS, props, area, NULL);
}

static gboolean
check_open_scenario (SabanCommandItem *scenario, GError **error)
{
  const char *status;

  if (!check_item (scenario, SABAN_COMMAND_SCENARIOS, error))
    return FALSE;
  status = saban_command_item_get_status (scenario);
  if (g_strcmp0 (status, "closed") == 0 || g_strcmp0 (status, "cancelled") == 0)
    {
      g_set_error_literal (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("This scenario is already closed"));
      return FALSE;
    }
  return TRUE;
}

static void
set_due (JsonObject *props, GDateTime *due)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (due);
  g_autofree char *text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");

  json_object_set_string_member (props, "dueAt", text);
}

/**
 * saban_command_client_create_task:
 * @scenario: the scenario it is part of (may itself be local still)
 * @spec: what the task says
 *
 * Returns: (transfer none) (nullable): the new task (pending), local until
 *   the server has it
 */
SabanCommandItem *
saban_command_client_create_task (SabanCommandClient *self, SabanCommandItem *scenario, const SabanTaskSpec *spec,
                                  GError **error)
{
  g_autoptr(JsonObject) props = json_object_new ();
  g_autoptr(JsonNode) point = NULL;

  g_return_val_if_fail (SABAN_IS_COMMAND_CLIENT (self), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  if (!check_open_scenario (scenario, error))
    return NULL;
  if (spec->title == NULL || *spec->title == '\0')
    {
      g_set_error_literal (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("A task needs a title"));
      return NULL;
    }
  json_object_set_string_member (props, "title", spec->title);
  if (spec->instructions != NULL)
    json_object_set_string_member (props, "instructions", spec->instructions);
  if (spec->kind != NULL)
    json_object_set_string_member (props, "kind", spec->kind);
  if (spec->priority >= 0)
    json_object_set_int_member (props, "priority", spec->priority);
  if (spec->assignee_id != NULL)
    {
      JsonObject *assignee = json_object_new ();

      json_object_set_string_member (assignee, "type", spec->assignee_type ? spec->assignee_type : "unit");
      json_object_set_string_member (assignee, "id", spec->assignee_id);
      json_object_set_string_member (assignee, "name", spec->assignee_name ? spec->assignee_name : spec->assignee_id);
      json_object_set_object_member (props, "assignee", assignee);
    }
  if (spec->due_at != NULL)
    set_due (props, spec->due_at);
  if (!isnan (spec->lon) && !isnan (spec->lat))
    {
      JsonObject *g = json_object_new ();
      JsonArray *c = json_array_new ();

      json_array_add_double_element (c, spec->lon);
      json_array_add_double_element (c, spec->lat);
      json_object_set_string_member (g, "type", "Point");
      json_object_set_array_member (g, "coordinates", c);
      point = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (point, g);
    }
  return create (self, SABAN_COMMAND_TASKS, props, point, scenario);
}

/**
 * saban_command_client_create_checklist_task:
 * @playbook: the playbook whose checklist holds the task
 * @index: which item of its `tasks`
 *
 * Dispatches a checklist item: its title, its agency as the suggested
 * assignee (the task stays pending until assigned), due its target minutes
 * from now.
 *
 * Returns: (transfer none) (nullable): the new task
 */
SabanCommandItem *
saban_command_client_create_checklist_task (SabanCommandClient *self, SabanCommandItem *scenario,
                                            SabanCommandItem *playbook, guint index, GError **error)
{
  JsonNode *tasks, *entry;
  JsonObject *o;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) due = NULL;
  SabanTaskSpec spec = { .priority = -1, .lon = NAN, .lat = NAN };

  if (!check_item (playbook, SABAN_COMMAND_PLAYBOOKS, error))
    return NULL;
  tasks = json_object_get_member (saban_command_item_get_properties (playbook), "tasks");
  if (tasks == NULL || !JSON_NODE_HOLDS_ARRAY (tasks) || index >= json_array_get_length (json_node_get_array (tasks)) ||
      !JSON_NODE_HOLDS_OBJECT ((entry = json_array_get_element (json_node_get_array (tasks), index))))
    {
      g_set_error_literal (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("The playbook has no such checklist item"));
      return NULL;
    }
  o = json_node_get_object (entry);
  spec.title = json_object_get_string_member_with_default (o, "title", NULL);
  spec.assignee_id = json_object_get_string_member_with_default (o, "agency", NULL);
  spec.assignee_type = "agency";
  if (json_object_get_int_member_with_default (o, "targetMinutes", 0) > 0)
    spec.due_at = due = g_date_time_add_minutes (now, json_object_get_int_member (o, "targetMinutes"));
  return saban_command_client_create_task (self, scenario, &spec, error);
}

/**
 * saban_command_client_create_sitrep:
 * @summary: what the report says
 * @report_version: (nullable): "initial", "update" or "final"
 * @extra: (nullable): more properties (casualties, resourcesCommitted…)
 *
 * Returns: (transfer none) (nullable): the new sitrep
 */
SabanCommandItem *
saban_command_client_create_sitrep (SabanCommandClient *self, SabanCommandItem *scenario, const char *summary,
                                    const char *report_version, JsonObject *extra, GError **error)
{
  g_autoptr(JsonObject) props = json_object_new ();

  g_return_val_if_fail (SABAN_IS_COMMAND_CLIENT (self), NULL);

  if (!check_open_scenario (scenario, error))
    return NULL;
  if (summary == NULL || *summary == '\0')
    {
      g_set_error_literal (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("A situation report needs a summary"));
      return NULL;
    }
  if (extra != NULL)
    copy_members (props, extra);
  json_object_set_string_member (props, "summary", summary);
  if (report_version != NULL)
    json_object_set_string_member (props, "reportVersion", report_version);
  return create (self, SABAN_COMMAND_SITREPS, props, NULL, scenario);
}

/**
 * saban_command_client_post_record:
 * @collection: a server collection the model does not keep, e.g.
 *   "acknowledgements"
 * @feature: the GeoJSON Feature to create
 *
 * A write of record (an alarm acknowledgement): queued in the outbox and
 * delivered in order like the others, counted as pending until the server
 * has it; a refusal comes as "write-refused" with no item.
 */
void
saban_command_client_post_record (SabanCommandClient *self, const char *collection, JsonNode *feature)
{
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *path = g_strdup_printf ("/collections/%s/items", collection);

  g_return_if_fail (SABAN_IS_COMMAND_CLIENT (self));
  g_return_if_fail (JSON_NODE_HOLDS_OBJECT (feature));

  record_add (self, key);
  enqueue (self, key, "POST", path, feature, 0);
}

/* ---- conflicts --------------------------------------------------------------- */

static void
forget_conflict (SabanCommandClient *self, SabanCommandConflict *conflict)
{
  guint i;

  if (g_list_store_find (self->conflicts, conflict, &i))
    g_list_store_remove (self->conflicts, i);
}

/**
 * saban_command_client_keep_mine:
 *
 * Sends the user's change again, based on the server's version shown in the
 * conflict; if that changed once more, it comes back as a new conflict.
 */
void
saban_command_client_keep_mine (SabanCommandClient *self, SabanCommandConflict *conflict)
{
  g_autoptr(SabanCommandConflict) keep = g_object_ref (conflict);
  Job *job;

  g_return_if_fail (SABAN_IS_COMMAND_CLIENT (self));

  job = job_new (self, JOB_RETRY);
  job->key = g_strdup (saban_command_conflict_get_key (conflict));
  job->if_match = g_strdup_printf ("\"v%" G_GINT64_FORMAT "\"", saban_command_conflict_get_theirs_version (conflict));
  push (self, job);
  saban_command_store_set_conflict (self->store, saban_command_conflict_get_key (conflict), FALSE);
  forget_conflict (self, conflict);
  self->flush_queued = FALSE;
  flush (self, NULL);
}

/**
 * saban_command_client_take_theirs:
 *
 * Drops the user's change; the item shows the server's version.
 */
void
saban_command_client_take_theirs (SabanCommandClient *self, SabanCommandConflict *conflict)
{
  g_autoptr(SabanCommandConflict) keep = g_object_ref (conflict);

  g_return_if_fail (SABAN_IS_COMMAND_CLIENT (self));

  drop (self, saban_command_conflict_get_key (conflict));
  saban_command_store_settle (self->store, saban_command_conflict_get_key (conflict), NULL);
  if (saban_command_conflict_get_theirs (conflict) != NULL)
    saban_command_store_apply_feature (self->store, saban_command_conflict_get_collection (conflict),
                                       saban_command_conflict_get_theirs (conflict), NULL);
  forget_conflict (self, conflict);
}
