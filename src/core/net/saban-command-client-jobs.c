/* saban-command-client-jobs.c: the worker thread that owns the outbox and
 * the cache's file, and what became of each write.
 *
 * One thread (a GThreadPool of one) runs the jobs in the order given —
 * restore (read the cache and the outbox), store a write, flush, keep
 * mine, take theirs, save the cache — so a flush always sends what was
 * written before it and the main loop never waits on SQLite or HTTP.
 * Results come back to the main context as idle sources: delivered (the
 * answer becomes the item), conflict (the server's side fetched by the
 * worker; a SabanCommandConflict), refused (undone, "write-refused", then
 * dropped). A flush that finds the server away is tried again after 1, 2,
 * 4 … 30 s.
 */
#include "saban-command-client-private.h"
#include "saban-command-schema.h"
#include "saban-json.h"

#include <glib/gi18n-lib.h>
#include <string.h>

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

Job *
saban_command_client_job_new (SabanCommandClient *self, JobKind kind)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  g_weak_ref_init (&job->client, self);
  job->outbox = g_object_ref (self->outbox);
  job->cache = g_object_ref (self->cache);
  job->context = g_main_context_ref (self->context);
  job->cancellable = g_object_ref (self->cancellable);
  job->api = g_object_ref (self->api);
  job->base = g_strdup (saban_api_get_base_url (self->api));
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

gint64
saban_command_client_version_of (const char *etag)
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
  s->theirs_version = saban_command_client_version_of (soup_message_headers_get_one (soup_message_get_response_headers (msg), "ETag"));
}

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

static gboolean job_done (gpointer data);

void
saban_command_client_run_job (gpointer data, gpointer pool_data)
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

void
saban_command_client_push (SabanCommandClient *self, Job *job)
{
  g_thread_pool_push (self->worker, job, NULL);
}

void
saban_command_client_record_add (SabanCommandClient *self, const char *key)
{
  if (g_hash_table_add (self->records, g_strdup (key)))
    g_object_notify (G_OBJECT (self), "pending");
}

static void
record_remove (SabanCommandClient *self, const char *key)
{
  if (g_hash_table_remove (self->records, key))
    g_object_notify (G_OBJECT (self), "pending");
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

/* a POST of record (an acknowledgement): the model has no local item for
 * it, only the server's once delivered */
static gboolean
is_record (Settled *s)
{
  g_autofree char *id_text = NULL;
  SabanCommandCollection collection;

  return g_str_equal (s->entry->method, "POST") &&
         (!parse_path (s->entry->path, &collection, &id_text) || collection == SABAN_COMMAND_ACKNOWLEDGEMENTS);
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
                                         saban_command_client_version_of (s->entry->if_match), s->theirs, s->theirs_version);
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
  Job *job = saban_command_client_job_new (self, JOB_DROP);

  job->key = g_strdup (key);
  saban_command_client_push (self, job);
}

/* What the user reads of a refusal, in their words; the server's own
 * (English) text is for the log. The answer is the server's: a state it
 * names is shown only if the schema knows it. */
static char *
refusal_text (Settled *s, SabanCommandItem *item, JsonObject *answer)
{
  g_autoptr(JsonNode) body = parse_json (s->entry->body);
  JsonNode *props = body != NULL ? json_object_get_member (json_node_get_object (body), "properties") : NULL;
  const char *code = saban_json_get_string (answer, "code", 4096);
  const char *current = saban_json_get_string (answer, "current", 4096);
  const char *requested = props != NULL && JSON_NODE_HOLDS_OBJECT (props)
                          ? saban_json_get_string (json_node_get_object (props), "status", 4096) : NULL;
  const char *title = item != NULL ? saban_command_item_get_title (item) : NULL;

  if (g_strcmp0 (code, "illegal-transition") == 0 && title != NULL && requested != NULL && current != NULL)
    {
      const char *const *states =
        saban_command_schema_get_states (saban_command_collection_to_string (saban_command_item_get_collection (item)));

      if (states != NULL && g_strv_contains (states, current))
        return saban_command_client_transition_refusal (item, current, requested);
    }
  if (g_strcmp0 (code, "open-tasks") == 0 && title != NULL)
    return g_strdup_printf (_("Scenario “%s” cannot be closed while some of its tasks are not finished; the change "
                              "was undone"), title);
  if (s->status == SOUP_STATUS_FORBIDDEN)
    return g_strdup (_("Your account may not make this change; it was undone. Ask the administrator for the role "
                       "it needs"));
  if (title == NULL)
    return g_strdup (_("The server refused a change; it was undone. Check what was entered and try again"));
  switch (s->status)
    {
    case SOUP_STATUS_NOT_FOUND:
      return g_strdup_printf (_("“%s” is no longer on the server (it may have been removed); the change was undone"),
                              title);
    case 422:
      return g_strdup_printf (_("The change to “%s” does not fit the scenario as it stands now (it may be closed); "
                                "it was undone. Look at the scenario again before trying"), title);
    case 424:
      /* the outbox's own answer: the creation it depended on was refused */
      return g_strdup_printf (_("The change to “%s” was not sent: the item it changes was never created on the "
                                "server; it was undone"), title);
    default:
      return g_strdup_printf (_("The server refused the change to “%s”; it was undone. Check what was entered and "
                                "try again"), title);
    }
}

static void
refused (SabanCommandClient *self, Settled *s)
{
  g_autoptr(JsonNode) answer = parse_json (s->answer);
  SabanCommandItem *item = saban_command_store_lookup_local (self->store, s->entry->key);
  g_autoptr(SabanCommandItem) keep = item ? g_object_ref (item) : NULL;
  JsonObject *o = answer != NULL ? json_node_get_object (answer) : NULL;
  const char *why = saban_json_get_string (o, "description", 4096);
  g_autofree char *text = refusal_text (s, item, o);

  g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "write refused: %s %s: %u %s", s->entry->method, s->entry->path, s->status,
         why ? why : s->answer ? s->answer : "");
  saban_command_store_settle (self->store, s->entry->key, NULL);
  g_signal_emit_by_name (self, "write-refused", keep, text);
  /* the user has been told; the outbox need not keep it */
  drop (self, s->entry->key);
  /* refused for the state it is in: the model was behind the server */
  if (s->status == SOUP_STATUS_CONFLICT || s->status == 422)
    saban_command_client_read_all (self);
}

static void
settled (SabanCommandClient *self, Settled *s)
{
  g_autofree char *id_text = NULL;
  SabanCommandCollection collection;

  record_remove (self, s->entry->key);
  if (s->status >= 200 && s->status < 300)
    {
      g_autoptr(JsonNode) feature = parse_json (s->answer);

      saban_command_store_settle (self->store, s->entry->key, feature);
      /* a record the model keeps: the server's answer is the item, before MQTT brings it */
      if (feature != NULL && is_record (s) && parse_path (s->entry->path, &collection, &id_text))
        saban_command_store_apply_feature (self->store, collection, feature, NULL);
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
  if (is_record (s))
    {
      saban_command_client_record_add (self, s->entry->key);
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
                                     saban_command_client_version_of (s->entry->if_match), props, geometry);
      if (s->status == 412)
        add_conflict (self, s);
    }
}

static gboolean
retry_cb (gpointer data)
{
  SabanCommandClient *self = data;

  self->retry_timer = 0;
  saban_command_client_flush_outbox (self, NULL);
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
      saban_command_client_show_cached (self, job);
      for (guint i = 0; i < job->settled->len; i++)
        restore (self, g_ptr_array_index (job->settled, i));
      self->restored = TRUE;
      saban_command_client_read_all (self);
      saban_command_client_flush_outbox (self, NULL);
      break;
    case JOB_SAVE:
      if (job->emptied)
        saban_command_client_unsave_all (self);
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

void
saban_command_client_flush_outbox (SabanCommandClient *self, GTask *task)
{
  Job *job;

  if (task == NULL && (self->flush_queued || !self->started))
    return;
  job = saban_command_client_job_new (self, JOB_FLUSH);
  job->task = task;
  if (task == NULL)
    self->flush_queued = TRUE;
  saban_command_client_push (self, job);
}

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

  job = saban_command_client_job_new (self, JOB_RETRY);
  job->key = g_strdup (saban_command_conflict_get_key (conflict));
  job->if_match = g_strdup_printf ("\"v%" G_GINT64_FORMAT "\"", saban_command_conflict_get_theirs_version (conflict));
  saban_command_client_push (self, job);
  saban_command_store_set_conflict (self->store, saban_command_conflict_get_key (conflict), FALSE);
  forget_conflict (self, conflict);
  self->flush_queued = FALSE;
  saban_command_client_flush_outbox (self, NULL);
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
