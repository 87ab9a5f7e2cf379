/* saban-command-cache.c: the Command API's items as the server last sent
 * them, on disk.
 *
 * Tables: `items` (collection, id, version, the Feature as text) and `meta`
 * (the server the cache belongs to, when it last heard from it, and one
 * `since/{collection}` per collection read to the end). The file says what
 * it is with PRAGMA application_id and its format with user_version; one
 * that is not ours, of another format, or that SQLite finds damaged (at
 * open, by quick_check, or by any later read or write) is logged, deleted
 * and made anew. Nothing here is checked beyond the row's shape: the
 * client gives every cached Feature the checks a server's gets.
 *
 * WAL with synchronous=NORMAL: a cache losing its last batch in a power
 * cut only means an older picture and a longer catch-up.
 */
#include "saban-command-cache.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#define LOG_DOMAIN "saban-command"
#define APPLICATION_ID 0x53624363 /* "SbCc" */
#define FORMAT 1

struct _SabanCommandCache
{
  GObject  parent_instance;
  char    *path;
  sqlite3 *db;
  gboolean unusable;   /* could not even be made anew: saves fail, loads are empty */
};

G_DEFINE_FINAL_TYPE (SabanCommandCache, saban_command_cache, G_TYPE_OBJECT)

void
saban_cached_item_free (SabanCachedItem *item)
{
  g_free (item->feature);
  g_free (item);
}

static void
saban_command_cache_finalize (GObject *object)
{
  SabanCommandCache *self = SABAN_COMMAND_CACHE (object);

  g_clear_pointer (&self->db, sqlite3_close);
  g_free (self->path);
  G_OBJECT_CLASS (saban_command_cache_parent_class)->finalize (object);
}

static void
saban_command_cache_class_init (SabanCommandCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_command_cache_finalize;
}

static void
saban_command_cache_init (SabanCommandCache *self)
{
}

/**
 * saban_command_cache_new:
 * @path: the cache file; opened (or made) at the first load or save
 *
 * Returns: (transfer full): the cache
 */
SabanCommandCache *
saban_command_cache_new (const char *path)
{
  SabanCommandCache *self = g_object_new (SABAN_TYPE_COMMAND_CACHE, NULL);

  self->path = g_strdup (path);
  return self;
}

static gboolean
exec (SabanCommandCache *self, const char *sql, char **why)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) == SQLITE_OK)
    return TRUE;
  *why = g_strdup (message ? message : sqlite3_errmsg (self->db));
  sqlite3_free (message);
  return FALSE;
}

/* the first column of the first row of @sql, as an integer or as text */
static gboolean
query (SabanCommandCache *self, const char *sql, sqlite3_int64 *number, char **text, char **why)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (number != NULL)
        *number = sqlite3_column_int64 (stmt, 0);
      if (text != NULL)
        *text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    }
  else
    *why = g_strdup (sqlite3_errmsg (self->db));
  sqlite3_finalize (stmt);
  return rc == SQLITE_ROW;
}

/* opens the file and says what is wrong with it, if anything */
static gboolean
open_file (SabanCommandCache *self, char **why)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *check = NULL;
  sqlite3_int64 application = 0, format = 0, tables = 0;

  g_mkdir_with_parents (dir, 0700);
  if (sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      *why = g_strdup (sqlite3_errmsg (self->db));
      return FALSE;
    }
  sqlite3_busy_timeout (self->db, 5000);
  if (!query (self, "PRAGMA application_id", &application, NULL, why) ||
      !query (self, "PRAGMA user_version", &format, NULL, why) ||
      !query (self, "SELECT count(*) FROM sqlite_master", &tables, NULL, why))
    return FALSE;
  if (application == 0 && tables == 0)
    return exec (self, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                       "PRAGMA application_id=" G_STRINGIFY (APPLICATION_ID) ";"
                       "PRAGMA user_version=" G_STRINGIFY (FORMAT) ";"
                       "CREATE TABLE items (collection TEXT NOT NULL, id INTEGER NOT NULL,"
                       " version INTEGER NOT NULL, feature TEXT NOT NULL, PRIMARY KEY (collection, id));"
                       "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)", why);
  if (application != APPLICATION_ID)
    {
      *why = g_strdup_printf ("not a Sa Ban command cache (application_id %" G_GINT64_FORMAT ")",
                              (gint64) application);
      return FALSE;
    }
  if (format != FORMAT)
    {
      *why = g_strdup_printf ("format %" G_GINT64_FORMAT ", this version reads %d", (gint64) format, FORMAT);
      return FALSE;
    }
  if (!query (self, "SELECT group_concat (quick_check, ' ') FROM pragma_quick_check (3)", NULL, &check, why))
    return FALSE;
  if (g_strcmp0 (check, "ok") != 0)
    {
      *why = g_strdup_printf ("damaged: %s", g_strdelimit (check, "\n", ' '));
      return FALSE;
    }
  return exec (self, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", why);
}

static void
delete_files (SabanCommandCache *self)
{
  g_autofree char *wal = g_strconcat (self->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (self->path, "-shm", NULL);

  g_clear_pointer (&self->db, sqlite3_close);
  g_unlink (self->path);
  g_unlink (wal);
  g_unlink (shm);
}

/* a cache that is not fit to read goes, and an empty one takes its place */
static void
discard (SabanCommandCache *self, const char *why)
{
  g_autofree char *again = NULL;

  g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "command cache %s ignored: %s; made anew", self->path, why);
  delete_files (self);
  if (!open_file (self, &again))
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "command cache %s unusable: %s", self->path, again);
      g_clear_pointer (&self->db, sqlite3_close);
      self->unusable = TRUE;
    }
}

static gboolean
ensure_open (SabanCommandCache *self)
{
  g_autofree char *why = NULL;

  if (self->db == NULL && !self->unusable && !open_file (self, &why))
    discard (self, why);
  return self->db != NULL;
}

static gboolean
damaged (SabanCommandCache *self)
{
  int rc = sqlite3_errcode (self->db);

  return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

static gboolean
meta_get (SabanCommandCache *self, const char *key, char **value)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  *value = NULL;
  if (sqlite3_prepare_v2 (self->db, "SELECT value FROM meta WHERE key = ?", -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

static gboolean
meta_set (SabanCommandCache *self, const char *key, const char *value)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (value == NULL)
    rc = sqlite3_prepare_v2 (self->db, "DELETE FROM meta WHERE key = ?1", -1, &stmt, NULL);
  else
    rc = sqlite3_prepare_v2 (self->db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

static char *
since_key (SabanCommandCollection collection)
{
  return g_strconcat ("since/", saban_command_collection_to_string (collection), NULL);
}

static gboolean
read_items (SabanCommandCache *self, GPtrArray *items)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT collection, id, version, feature FROM items", -1, &stmt, NULL) !=
      SQLITE_OK)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      SabanCommandCollection collection;
      SabanCachedItem *item;

      if (name == NULL || !saban_command_collection_from_string (name, &collection) ||
          sqlite3_column_type (stmt, 3) != SQLITE_TEXT)
        {
          g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "cached item rejected: no collection %s or no Feature",
                 name ? name : "(null)");
          continue;
        }
      item = g_new0 (SabanCachedItem, 1);
      item->collection = collection;
      item->id = sqlite3_column_int64 (stmt, 1);
      item->version = sqlite3_column_int64 (stmt, 2);
      item->feature = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_ptr_array_add (items, item);
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

/**
 * saban_command_cache_load:
 * @server: the server the client works with; a cache kept for another is
 *   ignored (and emptied)
 * @watermarks: (out caller-allocates) (array fixed-size=6): per collection,
 *   the `updatedSince` of its next catch-up, or NULL to read it whole
 * @synced_at: (out) (transfer full) (nullable): when the client last heard
 *   from the server, NULL for an empty cache
 *
 * Opens the file (a damaged or foreign one is logged and made anew).
 *
 * Returns: (transfer full) (element-type SabanCachedItem): what the cache
 *   holds; empty if nothing usable
 */
GPtrArray *
saban_command_cache_load (SabanCommandCache *self, const char *server, char **watermarks, GDateTime **synced_at)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) saban_cached_item_free);
  g_autofree char *kept_for = NULL;
  g_autofree char *at = NULL;
  gboolean ok;

  g_return_val_if_fail (SABAN_IS_COMMAND_CACHE (self), items);

  memset (watermarks, 0, SABAN_COMMAND_N_COLLECTIONS * sizeof (char *));
  *synced_at = NULL;
  if (!ensure_open (self))
    return items;
  if (!meta_get (self, "server", &kept_for))
    {
      discard (self, sqlite3_errmsg (self->db));
      return items;
    }
  if (kept_for == NULL)
    return items;
  if (g_strcmp0 (kept_for, server) != 0)
    {
      g_autofree char *why = NULL;

      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "command cache %s ignored: kept for %s, not %s", self->path, kept_for,
             server);
      if (!exec (self, "DELETE FROM items; DELETE FROM meta", &why))
        discard (self, why);
      return items;
    }
  ok = read_items (self, items) && meta_get (self, "synced-at", &at);
  for (guint c = 0; ok && c < SABAN_COMMAND_N_COLLECTIONS; c++)
    {
      g_autofree char *key = since_key (c);

      ok = meta_get (self, key, &watermarks[c]);
    }
  if (!ok)
    {
      for (guint c = 0; c < SABAN_COMMAND_N_COLLECTIONS; c++)
        g_clear_pointer (&watermarks[c], g_free);
      g_ptr_array_set_size (items, 0);
      discard (self, sqlite3_errmsg (self->db));
      return items;
    }
  *synced_at = at ? g_date_time_new_from_iso8601 (at, NULL) : NULL;
  return items;
}

static gboolean
write_items (SabanCommandCache *self, GPtrArray *items)
{
  sqlite3_stmt *stmt = NULL;
  int rc = SQLITE_DONE;

  if (sqlite3_prepare_v2 (self->db, "INSERT INTO items (collection, id, version, feature) VALUES (?, ?, ?, ?) "
                                    "ON CONFLICT (collection, id) DO UPDATE SET version = excluded.version, "
                                    "feature = excluded.feature WHERE excluded.version >= items.version",
                          -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  for (guint i = 0; i < items->len && rc == SQLITE_DONE; i++)
    {
      SabanCachedItem *item = g_ptr_array_index (items, i);

      sqlite3_bind_text (stmt, 1, saban_command_collection_to_string (item->collection), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, item->id);
      sqlite3_bind_int64 (stmt, 3, item->version);
      sqlite3_bind_text (stmt, 4, item->feature, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

/**
 * saban_command_cache_save:
 * @server: the server the items come from; a cache kept for another is
 *   emptied first
 * @items: (element-type SabanCachedItem): items to keep (an older version
 *   than the one kept changes nothing)
 * @watermarks: (array fixed-size=6): per collection, the `updatedSince` of
 *   its next catch-up, or NULL
 * @synced_at: when the client last heard from the server
 * @whole: whether @items is every item the caller has
 * @emptied: (out): set when the cache held nothing for @server before this
 *   save (new, made anew, or kept for another server) and @items is not
 *   whole: what the caller saved earlier is not there, so the watermarks
 *   were not kept; save every item again
 *
 * Writes everything in one transaction.
 */
gboolean
saban_command_cache_save (SabanCommandCache *self, const char *server, GPtrArray *items,
                          const char *const *watermarks, GDateTime *synced_at, gboolean whole,
                          gboolean *emptied, GError **error)
{
  g_autofree char *kept_for = NULL;
  g_autofree char *at = g_date_time_format_iso8601 (synced_at);
  g_autofree char *why = NULL;
  gboolean ok;

  g_return_val_if_fail (SABAN_IS_COMMAND_CACHE (self), FALSE);

  *emptied = FALSE;
  if (!ensure_open (self))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "command cache %s unusable", self->path);
      return FALSE;
    }
  ok = exec (self, "BEGIN IMMEDIATE", &why) && meta_get (self, "server", &kept_for);
  if (ok && kept_for != NULL && g_strcmp0 (kept_for, server) != 0)
    ok = exec (self, "DELETE FROM items; DELETE FROM meta", &why);
  *emptied = ok && !whole && g_strcmp0 (kept_for, server) != 0;
  ok = ok && write_items (self, items) && meta_set (self, "server", server) && meta_set (self, "synced-at", at);
  for (guint c = 0; ok && c < SABAN_COMMAND_N_COLLECTIONS; c++)
    {
      g_autofree char *key = since_key (c);

      ok = meta_set (self, key, *emptied ? NULL : watermarks[c]);
    }
  ok = ok && exec (self, "COMMIT", &why);
  if (ok)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "command cache %s: %s", self->path,
               why ? why : sqlite3_errmsg (self->db));
  if (damaged (self))
    discard (self, sqlite3_errmsg (self->db));
  else
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}
