/* saban-outbox.c: every write an operator makes, kept until the server has
 * it.
 *
 * A write is committed to a local SQLite file (WAL, synchronous=FULL) with a
 * client-made idempotency key before the caller is told it is queued; a
 * flush sends the queue in order, each with its Idempotency-Key, and removes
 * an entry only once the server answered 2xx. A connection failure stops the
 * flush and keeps the rest for the next one; the server applies a key once,
 * so a write sent again after a crash or a lost answer is not applied twice.
 * A 412 (someone else changed the object) is kept as a conflict for the user
 * to resolve, never overwritten, and so is every later write to the same
 * item (it was based on a version that did not come); a refused write did
 * not change the item's version, so the later writes to it are rebased.
 *
 * A write may change an item that an earlier write of the queue creates: its
 * path or body holds saban_outbox_reference (key of the creation), replaced
 * when it is sent by the id the server gave (kept in the `created` table
 * for a week, and for as long as something refers to it). Blocking (SQLite, HTTP): call it from a
 * worker thread.
 */
#include "saban-outbox.h"
#include "saban-json.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>

struct _SabanOutbox
{
  GObject parent_instance;

  sqlite3 *db;
  GMutex flushing;   /* one flush at a time keeps the order */
};

G_DEFINE_FINAL_TYPE (SabanOutbox, saban_outbox, G_TYPE_OBJECT)

static void
saban_outbox_finalize (GObject *object)
{
  SabanOutbox *self = SABAN_OUTBOX (object);

  g_clear_pointer (&self->db, sqlite3_close);
  g_mutex_clear (&self->flushing);
  G_OBJECT_CLASS (saban_outbox_parent_class)->finalize (object);
}

static void
saban_outbox_class_init (SabanOutboxClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_outbox_finalize;
}

static void
saban_outbox_init (SabanOutbox *self)
{
  g_mutex_init (&self->flushing);
}

static gboolean
exec (SabanOutbox  *self,
      const char   *sql,
      GError      **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "outbox: %s", message);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/**
 * saban_outbox_new:
 * @path: the outbox file, created if missing
 *
 * Returns: (transfer full) (nullable): the outbox, with what an earlier run
 *   left in it
 */
SabanOutbox *
saban_outbox_new (const char  *path,
                  GError     **error)
{
  g_autoptr(SabanOutbox) self = g_object_new (SABAN_TYPE_OUTBOX, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_mkdir_with_parents (dir, 0700);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "outbox %s: %s", path, sqlite3_errmsg (self->db));
      return NULL;
    }
  if (!exec (self, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                   "CREATE TABLE IF NOT EXISTS outbox ("
                   " seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE,"
                   " method TEXT NOT NULL, path TEXT NOT NULL, body TEXT, if_match TEXT,"
                   " status TEXT NOT NULL DEFAULT 'pending', answer TEXT, created TEXT NOT NULL);"
                   "CREATE TABLE IF NOT EXISTS created (key TEXT PRIMARY KEY, id INTEGER NOT NULL, at TEXT NOT NULL)", error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * saban_outbox_enqueue:
 * @path: the API path, e.g. "/collections/tasks/items"
 * @if_match: (nullable): the ETag the write is based on
 *
 * Returns: (transfer full) (nullable): the idempotency key, once the write
 *   is committed to disk
 */
char *
saban_outbox_enqueue (SabanOutbox  *self,
                      const char   *method,
                      const char   *path,
                      const char   *body,
                      const char   *if_match,
                      GError      **error)
{
  g_autofree char *key = g_uuid_string_random ();

  return saban_outbox_enqueue_with_key (self, key, method, path, body, if_match, error);
}

/**
 * saban_outbox_enqueue_with_key:
 * @key: the idempotency key, made by the caller (a random UUID)
 *
 * As saban_outbox_enqueue(), for a caller that shows the write before it
 * is stored and needs its key first.
 *
 * Returns: (transfer full) (nullable): a copy of @key once the write is
 *   committed to disk
 */
char *
saban_outbox_enqueue_with_key (SabanOutbox  *self,
                               const char   *key,
                               const char   *method,
                               const char   *path,
                               const char   *body,
                               const char   *if_match,
                               GError      **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);
  sqlite3_stmt *stmt = NULL;
  int rc;

  sqlite3_prepare_v2 (self->db, "INSERT INTO outbox (key, method, path, body, if_match, created) "
                                "VALUES (?, ?, ?, ?, ?, ?)", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, method, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, path, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, body, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, if_match, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, created, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "outbox: %s", sqlite3_errmsg (self->db));
      return NULL;
    }
  return g_strdup (key);
}

/**
 * saban_outbox_reference:
 * @key: the key of a queued creation (a POST)
 *
 * Returns: (transfer full): the text that stands, in a later write's path or
 *   body, for the id the server gives that creation; in a body it is a JSON
 *   string and becomes a number
 */
char *
saban_outbox_reference (const char *key)
{
  return g_strdup_printf ("{created:%s}", key);
}

void
saban_outbox_entry_free (SabanOutboxEntry *entry)
{
  g_free (entry->key);
  g_free (entry->method);
  g_free (entry->path);
  g_free (entry->body);
  g_free (entry->if_match);
  g_free (entry->status);
  g_free (entry->answer);
  g_free (entry);
}

#define ENTRY_COLUMNS "seq, key, method, path, body, if_match, status, answer"
/* a write's answer is one Feature or an error: anything larger is hostile */
#define MAX_ANSWER (16 * 1024 * 1024)

static SabanOutboxEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  SabanOutboxEntry *e = g_new0 (SabanOutboxEntry, 1);

  e->seq = sqlite3_column_int64 (stmt, 0);
  e->key = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  e->method = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  e->path = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  e->body = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  e->if_match = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  e->status = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  e->answer = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  return e;
}

/**
 * saban_outbox_list:
 * @status: (nullable): "pending", "conflict", "refused", or NULL for all
 *
 * Returns: (transfer full) (element-type SabanOutboxEntry): the entries,
 *   oldest first
 */
GPtrArray *
saban_outbox_list (SabanOutbox *self,
                   const char  *status)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) saban_outbox_entry_free);
  sqlite3_stmt *stmt = NULL;

  sqlite3_prepare_v2 (self->db, "SELECT " ENTRY_COLUMNS " FROM outbox WHERE ?1 IS NULL OR status = ?1 ORDER BY seq",
                      -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt));
  sqlite3_finalize (stmt);
  return entries;
}

static gboolean
run (SabanOutbox  *self,
     const char   *sql,
     const char   *a,
     const char   *b,
     GError      **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, a, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, b, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "outbox: %s", sqlite3_errmsg (self->db));
      return FALSE;
    }
  return TRUE;
}

/**
 * saban_outbox_retry:
 * @key: a conflict's key
 * @if_match: the version the write is now based on (the server's current
 *   one, which the user has seen)
 *
 * Sends the write again at the next flush, in its original place in the
 * queue: "keep mine".
 */
gboolean
saban_outbox_retry (SabanOutbox  *self,
                    const char   *key,
                    const char   *if_match,
                    GError      **error)
{
  return run (self, "UPDATE outbox SET status = 'pending', answer = NULL, if_match = ?2 "
                    "WHERE key = ?1 AND status = 'conflict'", key, if_match, error);
}

/**
 * saban_outbox_drop:
 * @key: an entry's key
 *
 * Forgets the write: "take theirs", or a refusal the user has read.
 */
gboolean
saban_outbox_drop (SabanOutbox  *self,
                   const char   *key,
                   GError      **error)
{
  return run (self, "DELETE FROM outbox WHERE key = ?1", key, NULL, error);
}

/**
 * saban_outbox_count:
 * @status: "pending", "conflict" or "refused"
 *
 * Returns: how many writes are in that state
 */
guint
saban_outbox_count (SabanOutbox *self,
                    const char  *status)
{
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  sqlite3_prepare_v2 (self->db, "SELECT count(*) FROM outbox WHERE status = ?", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
settle (SabanOutbox *self,
        gint64       seq,
        const char  *status,
        const char  *answer)
{
  sqlite3_stmt *stmt = NULL;

  if (status == NULL)
    sqlite3_prepare_v2 (self->db, "DELETE FROM outbox WHERE seq = ?", -1, &stmt, NULL);
  else
    {
      sqlite3_prepare_v2 (self->db, "UPDATE outbox SET status = ?2, answer = ?3 WHERE seq = ?1", -1, &stmt, NULL);
      sqlite3_bind_text (stmt, 2, status, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, answer, -1, SQLITE_STATIC);
    }
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);
}

/* @text with every reference to a delivered creation replaced by its id (in
 * a body, a quoted reference becomes a JSON number); NULL if it refers to a
 * creation the server never acknowledged. */
static char *
resolve (SabanOutbox *self,
         const char  *text,
         gboolean     json)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = text;
  const char *hit;

  if (text == NULL)
    return NULL;
  while ((hit = strstr (p, "{created:")) != NULL)
    {
      const char *end = strchr (hit, '}');
      const char *start = hit, *stop;
      g_autofree char *key = NULL;
      sqlite3_stmt *stmt = NULL;
      gint64 id = 0;

      if (end == NULL)
        break;
      stop = end + 1;
      key = g_strndup (hit + strlen ("{created:"), end - hit - strlen ("{created:"));
      sqlite3_prepare_v2 (self->db, "SELECT id FROM created WHERE key = ?", -1, &stmt, NULL);
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        id = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      if (id == 0)
        return NULL;
      if (json && hit > p && hit[-1] == '"' && *stop == '"')
        {
          start--;
          stop++;
        }
      g_string_append_len (out, p, start - p);
      g_string_append_printf (out, "%" G_GINT64_FORMAT, id);
      p = stop;
    }
  g_string_append (out, p);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
remember_creation (SabanOutbox *self,
                   const char  *key,
                   const char  *answer)
{
  g_autoptr(JsonNode) parsed = NULL;
  JsonNode *root, *id;
  sqlite3_stmt *stmt = NULL;

  if ((parsed = saban_json_parse (answer, -1, NULL)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT ((root = parsed)) ||
      (id = json_object_get_member (json_node_get_object (root), "id")) == NULL ||
      json_node_get_value_type (id) != G_TYPE_INT64)
    return;
  sqlite3_prepare_v2 (self->db, "INSERT OR REPLACE INTO created (key, id, at) VALUES (?, ?, datetime('now'))", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, json_node_get_int (id));
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);
}

static gint64
version_of (const char *etag)
{
  if (etag == NULL || !g_str_has_prefix (etag, "\"v"))
    return 0;
  return g_ascii_strtoll (etag + 2, NULL, 10);
}

/* The later pending writes to the item @entry wrote: a conflict holds them
 * all (each was based on a version that did not come); a refusal rebases
 * them (the version they counted on it never came either). */
static void
follow_up (SabanOutbox            *self,
           const SabanOutboxEntry *entry,
           gboolean                conflict,
           SabanOutboxSettledFunc  settled,
           gpointer                user_data,
           SabanOutboxReport      *report)
{
  g_autoptr(GPtrArray) later = g_ptr_array_new_with_free_func ((GDestroyNotify) saban_outbox_entry_free);
  sqlite3_stmt *stmt = NULL;
  gint64 base = version_of (entry->if_match);

  if (!g_str_equal (entry->method, "PATCH"))
    return;
  sqlite3_prepare_v2 (self->db, "SELECT " ENTRY_COLUMNS " FROM outbox WHERE status = 'pending' AND seq > ? "
                                "ORDER BY seq", -1, &stmt, NULL);
  sqlite3_bind_int64 (stmt, 1, entry->seq);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (later, entry_from_row (stmt));
  sqlite3_finalize (stmt);

  for (guint i = 0; i < later->len; i++)
    {
      SabanOutboxEntry *e = g_ptr_array_index (later, i);
      g_autofree char *path = resolve (self, e->path, FALSE);
      g_autofree char *etag = NULL;

      if (g_strcmp0 (path, entry->path) != 0)
        continue;
      if (conflict)
        {
          const char *why = "{\"code\":\"stale\",\"description\":\"follows a change that met a newer version\"}";

          settle (self, e->seq, "conflict", why);
          report->conflicts++;
          if (settled != NULL)
            settled (e, 412, why, user_data);
        }
      else if (base > 0 && version_of (e->if_match) > base)
        {
          etag = g_strdup_printf ("\"v%" G_GINT64_FORMAT "\"", version_of (e->if_match) - 1);
          run (self, "UPDATE outbox SET if_match = ?2 WHERE key = ?1", e->key, etag, NULL);
        }
    }
}

/**
 * saban_outbox_flush:
 * @api: the server, and the account the writes are made as
 * @report: (out caller-allocates): what happened to the queue
 *
 * Sends the pending writes in the order they were made, each once (the
 * next flush sends again what found no answer: the idempotency key makes
 * that safe). Blocking: call it from a worker thread.
 *
 * Returns: %FALSE only if the outbox itself failed; an unreachable server
 *   is reported in @report, not as an error
 */
gboolean
saban_outbox_flush (SabanOutbox        *self,
                    SabanApi           *api,
                    GCancellable       *cancellable,
                    SabanOutboxReport  *report,
                    GError            **error)
{
  return saban_outbox_flush_full (self, api, cancellable, NULL, NULL, report, error);
}

/**
 * saban_outbox_flush_full:
 * @settled: (nullable): called, in this thread, for each entry settled
 * @report: (out caller-allocates): what happened to the queue
 *
 * saban_outbox_flush(), telling @settled what became of each write.
 */
gboolean
saban_outbox_flush_full (SabanOutbox            *self,
                         SabanApi               *api,
                         GCancellable           *cancellable,
                         SabanOutboxSettledFunc  settled,
                         gpointer                user_data,
                         SabanOutboxReport      *report,
                         GError                **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->flushing);
  sqlite3_stmt *next = NULL;

  *report = (SabanOutboxReport) { 0 };
  sqlite3_prepare_v2 (self->db, "SELECT " ENTRY_COLUMNS " FROM outbox "
                                "WHERE status = 'pending' ORDER BY seq LIMIT 1", -1, &next, NULL);
  for (;;)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(SabanOutboxEntry) entry = NULL;
      g_autofree char *answer_text = NULL;
      g_autofree char *path = NULL;
      g_autofree char *body = NULL;
      guint status;

      sqlite3_reset (next);
      if (sqlite3_step (next) != SQLITE_ROW || g_cancellable_is_cancelled (cancellable))
        break;
      entry = entry_from_row (next);
      path = resolve (self, entry->path, FALSE);
      body = resolve (self, entry->body, TRUE);
      if (path == NULL || (entry->body != NULL && body == NULL))
        {
          const char *why = "{\"code\":\"failed-dependency\",\"description\":\"the item it changes was never created\"}";

          settle (self, entry->seq, "refused", why);
          report->refused++;
          if (settled != NULL)
            settled (entry, 424, why, user_data);
          continue;
        }
      g_free (entry->path);
      entry->path = g_steal_pointer (&path);
      g_free (entry->body);
      entry->body = g_steal_pointer (&body);
      msg = saban_api_new_message (api, entry->method, entry->path, NULL);
      if (msg == NULL)
        {
          settle (self, entry->seq, "refused", "not a valid address");
          report->refused++;
          if (settled != NULL)
            settled (entry, 400, "not a valid address", user_data);
          continue;
        }
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", entry->key);
      if (entry->if_match != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (msg), "If-Match", entry->if_match);
      if (entry->body != NULL)
        {
          g_autoptr(GBytes) bytes = g_bytes_new (entry->body, strlen (entry->body));
          soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
        }

      answer = saban_api_send (api, msg, MAX_ANSWER, cancellable, &local_error);
      if (answer == NULL)
        {
          /* No answer: the write may or may not have arrived; the key makes
           * sending it again safe. */
          report->offline = TRUE;
          break;
        }
      status = soup_message_get_status (msg);
      answer_text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
      if (status >= 500 || status == 429 || status == 401)
        {
          /* The server is unwell or we must sign in again: try later. */
          report->offline = TRUE;
          break;
        }
      if (status >= 200 && status < 300)
        {
          if (g_str_equal (entry->method, "POST"))
            remember_creation (self, entry->key, answer_text);
          settle (self, entry->seq, NULL, NULL);
          report->delivered++;
        }
      else if (status == 412)
        {
          settle (self, entry->seq, "conflict", answer_text);
          report->conflicts++;
        }
      else
        {
          settle (self, entry->seq, "refused", answer_text);
          report->refused++;
        }
      if (settled != NULL)
        settled (entry, status, answer_text, user_data);
      if (status == 412 || status >= 300)
        follow_up (self, entry, status == 412, settled, user_data, report);
    }
  sqlite3_finalize (next);
  /* a write referring to a creation may still be on its way to the queue:
   * forget only old ones nothing refers to */
  exec (self, "DELETE FROM created WHERE at < datetime('now', '-7 days') AND NOT EXISTS (SELECT 1 FROM outbox "
              "WHERE instr(outbox.path || coalesce(outbox.body, ''), created.key) > 0)", NULL);
  return TRUE;
}
