/* saban-command-client-cache.c: the cache of the server's items kept in
 * step with the store — the items whose server version moved are
 * gathered for a second, then handed to the worker as one batch; at start
 * the cache read by the worker is shown before the outbox's writes go over
 * it ("from-cache" until every collection has been read again).
 */
#include "saban-command-client-private.h"
#include "saban-json.h"

#include <glib/gi18n-lib.h>
#include <string.h>

static char *
cache_key (SabanCommandCollection collection, gint64 id)
{
  return g_strdup_printf ("%u/%" G_GINT64_FORMAT, collection, id);
}

void
saban_command_client_set_cached (SabanCommandClient *self, SabanCommandCollection collection, gint64 id, gint64 version)
{
  gint64 *v = g_new (gint64, 1);

  *v = version;
  g_hash_table_replace (self->cached, cache_key (collection, id), v);
}

/* the server's side of an item changed: the cache is to follow */
void
saban_command_client_on_item_changed (SabanCommandClient *self, SabanCommandItem *item)
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
  saban_command_client_schedule_save (self);
}

/* every item the server sent, to be written again */
void
saban_command_client_unsave_all (SabanCommandClient *self)
{
  g_hash_table_remove_all (self->cached);
  for (guint c = 0; c < SABAN_COMMAND_N_COLLECTIONS; c++)
    {
      g_autoptr(GListModel) all = saban_command_store_list (self->store, c, 0, NULL);

      for (guint i = 0; i < g_list_model_get_n_items (all); i++)
        {
          g_autoptr(SabanCommandItem) item = g_list_model_get_item (all, i);

          saban_command_client_on_item_changed (self, item);
        }
    }
}

/* what changed since the last batch, to the worker as text */
void
saban_command_client_save_cache (SabanCommandClient *self)
{
  Job *job = saban_command_client_job_new (self, JOB_SAVE);
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
      saban_command_client_set_cached (self, row->collection, row->id, row->version);
      g_ptr_array_add (job->items, row);
    }
  g_hash_table_remove_all (self->unsaved);
  for (guint c = 0; c < SABAN_COMMAND_N_COLLECTIONS; c++)
    job->since[c] = g_strdup (self->since[c]);
  job->synced_at = g_date_time_new_now_utc ();
  saban_command_client_push (self, job);
}

static gboolean
save_cb (gpointer data)
{
  SabanCommandClient *self = data;

  self->save_timer = 0;
  saban_command_client_save_cache (self);
  return G_SOURCE_REMOVE;
}

void
saban_command_client_schedule_save (SabanCommandClient *self)
{
  if (self->save_timer == 0 && self->worker != NULL)
    self->save_timer = g_timeout_add (SAVE_DELAY_MS, save_cb, self);
}

/* the cache read at start, shown before the outbox's writes go over it */
void
saban_command_client_show_cached (SabanCommandClient *self, Job *job)
{
  gboolean bad[SABAN_COMMAND_N_COLLECTIONS] = { FALSE };
  guint shown = 0;

  for (guint i = 0; i < job->items->len; i++)
    {
      Cached *c = g_ptr_array_index (job->items, i);

      /* it is on disk already: the item-changed it makes writes nothing */
      saban_command_client_set_cached (self, c->collection, c->id, c->version);
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
      g_object_notify (G_OBJECT (self), "from-cache");
      g_object_notify (G_OBJECT (self), "cached-at");
    }
}
