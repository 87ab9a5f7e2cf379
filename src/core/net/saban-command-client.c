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
 * (`ioc/v1/#`) brings a notice of every change (the item's id and version,
 * no values): the item is then fetched over HTTP, masked for the account's
 * role, unless the store has that version already.
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
 *
 * This file is the object; the parts are files of their own along those
 * seams (saban-command-client-private.h is what they share): -read.c the
 * reads and the live stream, -writes.c the writes, -jobs.c the worker
 * and what became of each write, -cache.c the cache kept in step.
 */
#include "saban-command-client-private.h"
#include "saban-net-enums.h"

enum { PROP_0, PROP_STATE, PROP_LOADED, PROP_PENDING, PROP_FROM_CACHE, PROP_CACHED_AT, N_PROPS };
enum { SIGNAL_WRITE_REFUSED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE_WITH_CODE (SabanCommandClient, saban_command_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SABAN_TYPE_LIVE_STREAM, saban_command_client_stream_init))

static void
on_signed_in (SabanCommandClient *self)
{
  if (!saban_connection_get_signed_in (self->connection) || !self->started)
    return;
  saban_command_client_read_all (self);
  saban_command_client_flush_outbox (self, NULL);
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
    saban_command_client_save_cache (self);
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
  g_clear_pointer (&self->fetches, g_hash_table_unref);
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
      g_value_set_enum (value, saban_command_client_get_state (self));
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

  /* how the scenarios get their data now (the live channel's) */
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, SABAN_TYPE_FEED_STATE, SABAN_FEED_STATE_OFFLINE, flags);
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, flags);
  properties[PROP_PENDING] = g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0, flags);
  /* the model shows the cache of an earlier run: the server has not been
   * read to the end since start */
  properties[PROP_FROM_CACHE] = g_param_spec_boolean ("from-cache", NULL, NULL, FALSE, flags);
  /* while from-cache: when that run last heard from the server, or NULL */
  properties[PROP_CACHED_AT] = g_param_spec_boxed ("cached-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (item or NULL, message for the user): the server refused a write; it was undone */
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
  self->fetches = g_hash_table_new (g_str_hash, g_str_equal);
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
  self->worker = g_thread_pool_new (saban_command_client_run_job, NULL, 1, FALSE, error);
  if (self->worker == NULL)
    return NULL;
  self->channel = g_object_ref (channel);
  g_signal_connect_swapped (channel, "state-changed", G_CALLBACK (saban_command_client_on_state_changed), self);
  g_signal_connect_swapped (self->connection, "notify::signed-in", G_CALLBACK (on_signed_in), self);
  g_signal_connect_swapped (self->store, "notify::n-pending", G_CALLBACK (on_pending), self);
  g_signal_connect_swapped (self->store, "item-changed", G_CALLBACK (saban_command_client_on_item_changed), self);
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
  job = saban_command_client_job_new (self, JOB_RESTORE);
  saban_command_client_push (self, job);
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
  saban_command_client_flush_outbox (self, g_task_new (self, cancellable, callback, user_data));
}

gboolean
saban_command_client_flush_finish (SabanCommandClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
