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
 * to resolve, never overwritten. Blocking (SQLite, HTTP): call it from a
 * worker thread.
 */
#include "saban-outbox.h"

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
                   " status TEXT NOT NULL DEFAULT 'pending', answer TEXT, created TEXT NOT NULL)", error))
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
  return g_steal_pointer (&key);
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

/**
 * saban_outbox_flush:
 * @report: (out caller-allocates): what happened to the queue
 *
 * Sends the pending writes in the order they were made.
 *
 * Returns: %FALSE only if the outbox itself failed; an unreachable server
 *   is reported in @report, not as an error
 */
gboolean
saban_outbox_flush (SabanOutbox        *self,
                    const char         *base_url,
                    const char         *token,
                    GCancellable       *cancellable,
                    SabanOutboxReport  *report,
                    GError            **error)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 30, NULL);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->flushing);
  sqlite3_stmt *next = NULL;

  *report = (SabanOutboxReport) { 0 };
  sqlite3_prepare_v2 (self->db, "SELECT seq, key, method, path, body, if_match FROM outbox "
                                "WHERE status = 'pending' ORDER BY seq LIMIT 1", -1, &next, NULL);
  for (;;)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *url = NULL;
      g_autofree char *answer_text = NULL;
      gint64 seq;
      guint status;

      sqlite3_reset (next);
      if (sqlite3_step (next) != SQLITE_ROW || g_cancellable_is_cancelled (cancellable))
        break;
      seq = sqlite3_column_int64 (next, 0);
      url = g_strconcat (base_url, (const char *) sqlite3_column_text (next, 3), NULL);
      msg = soup_message_new ((const char *) sqlite3_column_text (next, 2), url);
      if (msg == NULL)
        {
          settle (self, seq, "refused", "not a valid address");
          report->refused++;
          continue;
        }
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key",
                                    (const char *) sqlite3_column_text (next, 1));
      if (sqlite3_column_text (next, 5) != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (msg), "If-Match",
                                      (const char *) sqlite3_column_text (next, 5));
      if (token != NULL)
        {
          g_autofree char *bearer = g_strdup_printf ("Bearer %s", token);
          soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
        }
      if (sqlite3_column_text (next, 4) != NULL)
        {
          const char *body = (const char *) sqlite3_column_text (next, 4);
          g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
          soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
        }

      answer = soup_session_send_and_read (session, msg, cancellable, &local_error);
      if (answer == NULL)
        {
          /* No answer: the write may or may not have arrived; the key makes
           * sending it again safe. */
          report->offline = TRUE;
          break;
        }
      status = soup_message_get_status (msg);
      answer_text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
      if (status >= 200 && status < 300)
        {
          settle (self, seq, NULL, NULL);
          report->delivered++;
        }
      else if (status == 412)
        {
          settle (self, seq, "conflict", answer_text);
          report->conflicts++;
        }
      else if (status >= 500 || status == 429 || status == 401)
        {
          /* The server is unwell or we must sign in again: try later. */
          report->offline = TRUE;
          break;
        }
      else
        {
          settle (self, seq, "refused", answer_text);
          report->refused++;
        }
    }
  sqlite3_finalize (next);
  return TRUE;
}
