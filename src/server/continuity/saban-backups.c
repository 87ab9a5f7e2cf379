/* saban-backups.c: backups that are known to restore.
 *
 * With --backup-dir, a backup is made when the last one (by any server on
 * the database) is older than --backup-every: an online copy (SQLite's
 * backup API, or pg_dump on an exported snapshot) with its manifest, then
 * restored into a scratch database and checked table by table
 * (saban-backup.c) — in a worker thread, so the server keeps serving. Each
 * attempt is recorded in the `backups` table with its outcome and audited;
 * the newest --backup-keep good ones are kept, older files deleted. When
 * the last good backup is older than --backup-max-age (or none came within
 * that long of the start), a CAP alert says so, once per lapse: operators
 * see it with the other alarms, and GET /admin/backups tells the admin
 * what is there and how old it is.
 *
 * Routes (admin only): GET /admin/backups (policy, state, history),
 * POST /admin/backups (one now; answered when it is checked),
 * GET /admin/backups/{id}, POST /admin/backups/{id}/verify (restore and
 * check that one again: a file damaged on disk since is found).
 */
#include "saban-backups.h"
#include "saban-backup.h"
#include "saban-cap.h"
#include "saban-ogc-features.h"

#include <glib/gstdio.h>

#define ALARM_EVENT  "Sao lưu dữ liệu quá hạn"
#define HISTORY_MAX  50

struct _SabanBackups
{
  GObject           parent_instance;
  SabanServer      *server;
  char             *location;
  SabanBackupPolicy policy;
  char             *started;   /* when this scheduler started: the reference before any backup */
  guint             timer;
  gboolean          running;
  GPtrArray        *waiting;   /* SoupServerMessage: POSTs answered when the running backup ends */
};

G_DEFINE_FINAL_TYPE (SabanBackups, saban_backups, G_TYPE_OBJECT)

static const char *const admins[] = { NULL };  /* admin only: saban_request_require_role adds it */

/* ---- times ------------------------------------------------------------------ */

/* The time @seconds ago, as the store writes times. */
static char *
ago (guint seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, -(gdouble) seconds);

  return saban_store_format_time (then);
}

/* Seconds from @time (as the store writes it) to now. */
static gint64
age_of (const char *time)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) then = g_date_time_new_from_iso8601 (time, utc);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return then != NULL ? g_date_time_difference (now, then) / G_USEC_PER_SEC : -1;
}

static char *
query_text (SabanStore *store, const char *sql)
{
  g_autoptr(SabanStmt) st = saban_store_prepare (store, sql, NULL);

  return saban_stmt_step (st, NULL) ? g_strdup (saban_stmt_column_text (st, 0)) : NULL;
}

/* ---- the record ------------------------------------------------------------- */

#define RECORD_COLUMNS "id, started, finished, kind, file, bytes, ok, verified, detail, manifest, pruned"

static JsonObject *
record_json (SabanStmt *row)
{
  JsonObject *o = json_object_new ();
  static const char *const texts[] = { NULL, "started", "finished", "kind", "file", NULL, NULL, "verified",
                                       "detail", NULL, "pruned" };

  json_object_set_int_member (o, "id", saban_stmt_column_int64 (row, 0));
  for (int i = 1; i < (int) G_N_ELEMENTS (texts); i++)
    if (texts[i] != NULL)
      {
        if (saban_stmt_column_is_null (row, i))
          json_object_set_null_member (o, texts[i]);
        else
          json_object_set_string_member (o, texts[i], saban_stmt_column_text (row, i));
      }
  json_object_set_int_member (o, "bytes", saban_stmt_column_int64 (row, 5));
  json_object_set_boolean_member (o, "ok", saban_stmt_column_boolean (row, 6));
  if (saban_stmt_column_is_null (row, 9))
    json_object_set_null_member (o, "tables");
  else
    {
      g_autoptr(JsonNode) manifest = json_from_string (saban_stmt_column_text (row, 9), NULL);
      JsonObject *m = manifest != NULL && JSON_NODE_HOLDS_OBJECT (manifest) ? json_node_get_object (manifest) : NULL;

      if (m != NULL && json_object_has_member (m, "tables"))
        json_object_set_member (o, "tables", json_node_copy (json_object_get_member (m, "tables")));
      else
        json_object_set_null_member (o, "tables");
    }
  return o;
}

static JsonObject *
load_record (SabanStore *store, gint64 id)
{
  g_autoptr(SabanStmt) st = saban_store_prepare (store, "SELECT " RECORD_COLUMNS " FROM backups WHERE id = ?", NULL);

  saban_stmt_bind_int64 (st, 1, id);
  return saban_stmt_step (st, NULL) ? record_json (st) : NULL;
}

/* ---- making one ------------------------------------------------------------- */

typedef struct
{
  char    *location;
  char    *file;
  char    *started;
  gint64   id;          /* verify: the record checked again; 0: a new backup */
  /* out */
  gboolean ok;
  char    *detail;
  char    *manifest;    /* JSON */
  gint64   bytes;
} Run;

static void
run_free (gpointer data)
{
  Run *r = data;

  g_free (r->location);
  g_free (r->file);
  g_free (r->started);
  g_free (r->detail);
  g_free (r->manifest);
  g_free (r);
}

static gboolean
write_manifest (Run *r, SabanManifest *manifest, GError **error)
{
  g_autoptr(JsonNode) node = saban_manifest_to_json (manifest);
  g_autofree char *path = saban_backup_manifest_path (r->file);

  r->manifest = json_to_string (node, TRUE);
  return g_file_set_contents (path, r->manifest, -1, error);
}

static SabanManifest *
read_manifest (Run *r, GError **error)
{
  g_autofree char *path = saban_backup_manifest_path (r->file);
  g_autoptr(JsonNode) node = NULL;

  if (!g_file_get_contents (path, &r->manifest, NULL, error) || (node = json_from_string (r->manifest, error)) == NULL)
    return NULL;
  return saban_manifest_from_json (node, error);
}

/* In a worker: the backup (or a known one again), restored and checked. */
static void
run_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Run *r = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanManifest) manifest = NULL;
  GStatBuf st;
  const char *slow = g_getenv ("SABAN_TEST_BACKUP_DELAY_S");

  /* tests only: a backup as slow as a large database's, for the client's deadline */
  if (slow != NULL)
    g_usleep ((gulong) MIN (g_ascii_strtoull (slow, NULL, 10), 600) * G_USEC_PER_SEC);
  if (r->id == 0)
    r->ok = saban_backup_make (r->location, r->file, &manifest, &error) && write_manifest (r, manifest, &error) &&
            saban_backup_verify (r->location, r->file, manifest, &error);
  else
    r->ok = (manifest = read_manifest (r, &error)) != NULL &&
            saban_backup_verify (r->location, r->file, manifest, &error);
  r->detail = g_strdup (r->ok ? "restored into a scratch database; every table's rows and checksum as made"
                              : error->message);
  if (g_stat (r->file, &st) == 0)
    r->bytes = st.st_size;
  g_task_return_boolean (task, TRUE);
}

/* Deletes the files of good backups beyond the newest @keep. */
static void
prune (SabanBackups *self)
{
  SabanStore *store = saban_server_get_store (self->server);
  g_autoptr(SabanStmt) old = saban_store_prepare (store, "SELECT id, file FROM backups WHERE ok = 1 AND pruned IS NULL "
                                                  "ORDER BY id DESC", NULL);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *now = saban_store_now ();
  guint kept = 0;

  while (saban_stmt_step (old, NULL))
    {
      gint64 id = saban_stmt_column_int64 (old, 0);

      if (kept++ < self->policy.keep)
        continue;
      g_autofree char *manifest = NULL;

      manifest = saban_backup_manifest_path (saban_stmt_column_text (old, 1));
      g_unlink (saban_stmt_column_text (old, 1));
      g_unlink (manifest);
      g_array_append_val (ids, id);
    }
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(SabanStmt) mark = saban_store_prepare (store, "UPDATE backups SET pruned = ? WHERE id = ?", NULL);

      saban_stmt_bind_text (mark, 1, now);
      saban_stmt_bind_int64 (mark, 2, g_array_index (ids, gint64, i));
      saban_stmt_run (mark, NULL);
    }
}

/* The outcome in the `backups` table and the audit trail; its id. */
static gint64
record (SabanBackups *self, Run *r, GError **error)
{
  SabanStore *store = saban_server_get_store (self->server);
  g_autoptr(SabanStmt) st = NULL;
  g_autofree char *now = saban_store_now ();
  gint64 id = r->id;

  if (!saban_store_begin (store, error))
    return 0;
  if (r->id == 0)
    {
      st = saban_store_prepare (store, "INSERT INTO backups (started, finished, kind, file, bytes, ok, verified, detail, "
                                "manifest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", error);
      saban_stmt_bind_text (st, 1, r->started);
      saban_stmt_bind_text (st, 2, now);
      saban_stmt_bind_text (st, 3, saban_store_is_postgres_uri (r->location) ? "postgresql" : "sqlite");
      saban_stmt_bind_text (st, 4, r->file);
      saban_stmt_bind_int64 (st, 5, r->bytes);
      saban_stmt_bind_int64 (st, 6, r->ok);
      saban_stmt_bind_text (st, 7, r->ok ? now : NULL);
      saban_stmt_bind_text (st, 8, r->detail);
      saban_stmt_bind_text (st, 9, r->manifest);
      id = saban_stmt_insert (st, error);
    }
  else
    {
      /* a check again: the record says what the latest check found */
      st = saban_store_prepare (store, "UPDATE backups SET ok = ?, verified = ?, detail = ? WHERE id = ?", error);
      saban_stmt_bind_int64 (st, 1, r->ok);
      saban_stmt_bind_text (st, 2, now);
      saban_stmt_bind_text (st, 3, r->detail);
      saban_stmt_bind_int64 (st, 4, r->id);
      if (!saban_stmt_run (st, error))
        id = 0;
    }
  if (id == 0 ||
      !saban_store_audit (store, NULL, r->id == 0 ? "backup" : "backup-verify", r->file,
                          r->ok ? "restored and checked" : r->detail, error) ||
      !saban_store_commit (store, error))
    {
      saban_store_rollback (store);
      return 0;
    }
  return id;
}

static void
run_done (GObject *source, GAsyncResult *result, gpointer data)
{
  SabanBackups *self = SABAN_BACKUPS (source);
  Run *r = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);
  g_autoptr(JsonObject) record_obj = NULL;
  gint64 id;

  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->running = FALSE;
  if (!r->ok && r->id == 0)
    {
      /* a backup that did not restore is no backup */
      g_autofree char *manifest = saban_backup_manifest_path (r->file);

      g_unlink (r->file);
      g_unlink (manifest);
    }
  g_printerr ("saban-server: backup %s: %s\n", r->file, r->ok ? "restored and checked" : r->detail);
  id = record (self, r, &error);
  if (id != 0 && r->ok && r->id == 0)
    prune (self);
  if (id != 0)
    record_obj = load_record (saban_server_get_store (self->server), id);
  for (guint i = 0; i < waiting->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (waiting, i);

      if (record_obj != NULL)
        saban_message_reply_private (msg, r->id == 0 ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, record_obj);
      else
        saban_message_storage_error (msg, error);
      soup_server_message_unpause (msg);
    }
}

/* Starts a backup (@id 0) or a check of backup @id in a worker; FALSE if
 * one is running already. */
static gboolean
start_run (SabanBackups *self, gint64 id, const char *file)
{
  g_autoptr(GTask) task = NULL;
  Run *r;

  if (self->running)
    return FALSE;
  r = g_new0 (Run, 1);
  r->location = g_strdup (self->location);
  r->started = saban_store_now ();
  r->id = id;
  if (file != NULL)
    r->file = g_strdup (file);
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
      g_autofree char *name = g_strdup_printf ("saban-%s-%06d.%s", stamp, g_date_time_get_microsecond (now),
                                               saban_store_is_postgres_uri (self->location) ? "dump" : "db");

      r->file = g_build_filename (self->policy.directory, name, NULL);
    }
  self->running = TRUE;
  task = g_task_new (self, NULL, run_done, NULL);
  g_task_set_task_data (task, r, run_free);
  g_task_run_in_thread (task, run_thread);
  return TRUE;
}

/* ---- schedule and alarm ------------------------------------------------------ */

/* Whether no backup (by any server on this database) started within the period. */
static gboolean
due (SabanBackups *self)
{
  g_autofree char *last = query_text (saban_server_get_store (self->server), "SELECT MAX(started) FROM backups");
  g_autofree char *since = ago (self->policy.every);

  return last == NULL || strcmp (last, since) < 0;
}

/* When the last good backup finished; NULL for none. */
static char *
last_good (SabanBackups *self)
{
  return query_text (saban_server_get_store (self->server), "SELECT MAX(finished) FROM backups WHERE ok = 1");
}

/* The age the alarm measures: since the last good backup, else since the start. */
static gint64
lapse (SabanBackups *self, char **reference)
{
  g_autofree char *good = last_good (self);

  *reference = g_strdup (good != NULL ? good : self->started);
  return age_of (*reference);
}

/* The area the alarm covers: the extent of the data the server serves. */
static gboolean
alarm_area (SabanBackups *self, SabanCapAlert *a)
{
  GPtrArray *collections = saban_server_get_collections (self->server);
  double box[4] = { 180, 90, -180, -90 };

  for (guint i = 0; i < collections->len; i++)
    {
      SabanCollection *c = g_ptr_array_index (collections, i);

      if (!c->has_extent)
        continue;
      box[0] = MIN (box[0], c->extent[0]), box[1] = MIN (box[1], c->extent[1]);
      box[2] = MAX (box[2], c->extent[2]), box[3] = MAX (box[3], c->extent[3]);
    }
  if (box[0] > box[2])
    return FALSE;
  {
    const double ring[] = { box[0], box[1], box[2], box[1], box[2], box[3], box[0], box[3], box[0], box[1] };

    memcpy (a->polygon, ring, sizeof ring);
    a->n_points = 5;
  }
  return TRUE;
}

/* A CAP alert when the last good backup is older than the policy, once per
 * lapse (an alert already sent since it began is enough, from any server). */
static void
check_alarm (SabanBackups *self)
{
  SabanStore *store = saban_server_get_store (self->server);
  g_autofree char *reference = NULL, *description = NULL;
  g_autoptr(SabanStmt) sent = NULL;
  g_autoptr(GError) error = NULL;
  SabanCapAlert a = { 0 };
  gint64 age = lapse (self, &reference);

  if (age < (gint64) self->policy.max_age)
    return;
  sent = saban_store_prepare (store, "SELECT 1 FROM cap_alerts WHERE event = ? AND sent >= ?", NULL);
  saban_stmt_bind_text (sent, 1, ALARM_EVENT);
  saban_stmt_bind_text (sent, 2, reference);
  if (saban_stmt_step (sent, NULL) || !alarm_area (self, &a))
    return;
  description = g_strdup_printf ("Bản sao lưu đã khôi phục và kiểm tra được gần nhất: %s. Đã quá %u giờ "
                                 "theo quy định sao lưu (%" G_GINT64_FORMAT " giờ không có bản sao lưu tốt).",
                                 g_strcmp0 (reference, self->started) == 0 ? "chưa có" : reference,
                                 self->policy.max_age / 3600, age / 3600);
  a.category = "Infra";
  a.event = ALARM_EVENT;
  a.urgency = "Expected";
  a.severity = "Moderate";
  a.certainty = "Observed";
  a.headline = "Dữ liệu của Trung tâm chưa được sao lưu đúng hạn";
  a.description = description;
  a.instruction = "Quản trị viên kiểm tra dịch vụ sao lưu của máy chủ (GET /admin/backups) và tạo bản sao lưu mới.";
  a.area_desc = "Trung tâm Giám sát, Điều hành thông minh — máy chủ dữ liệu";
  if (saban_cap_create (self->server, &a, "saban-server", NULL, &error) == 0)
    g_printerr ("saban-server: backup alarm: %s\n", error->message);
  else
    g_printerr ("saban-server: backup alarm raised: no good backup since %s\n", reference);
}

static gboolean
tick (gpointer data)
{
  SabanBackups *self = data;

  if (!self->running && due (self))
    start_run (self, 0, NULL);
  check_alarm (self);
  return G_SOURCE_CONTINUE;
}

/**
 * saban_backups_get_state:
 * "off" (no --backup-dir), "ok" (a good backup within the policy),
 * "overdue" (none, or too old), or "none" (none yet, and the server
 * started within the policy).
 */
const char *
saban_backups_get_state (SabanBackups *self)
{
  g_autofree char *good = NULL;
  g_autofree char *reference = NULL;

  if (self->policy.directory == NULL)
    return "off";
  good = last_good (self);
  if (lapse (self, &reference) >= (gint64) self->policy.max_age)
    return "overdue";
  return good != NULL ? "ok" : "none";
}

/* ---- routes ---------------------------------------------------------------- */

/* GET /admin/backups */
static void
backups_get (SabanRequest *req, gpointer data)
{
  SabanBackups *self = data;
  g_autoptr(JsonObject) o = json_object_new ();
  JsonObject *policy = json_object_new ();
  JsonArray *list = json_array_new ();
  g_autoptr(SabanStmt) st = NULL;
  g_autofree char *good = NULL, *reference = NULL;
  gint64 age;

  if (!saban_request_require_role (req, "see backups", admins))
    {
      json_object_unref (policy);
      json_array_unref (list);
      return;
    }
  json_object_set_string_member (policy, "directory", self->policy.directory);
  json_object_set_int_member (policy, "everySeconds", self->policy.every);
  json_object_set_int_member (policy, "keep", self->policy.keep);
  json_object_set_int_member (policy, "maxAgeSeconds", self->policy.max_age);
  json_object_set_object_member (o, "policy", policy);
  json_object_set_string_member (o, "state", saban_backups_get_state (self));
  json_object_set_boolean_member (o, "running", self->running);
  good = last_good (self);
  age = lapse (self, &reference);
  if (good != NULL)
    {
      json_object_set_string_member (o, "lastGood", good);
      json_object_set_int_member (o, "lastGoodAgeSeconds", age);
    }
  else
    {
      json_object_set_null_member (o, "lastGood");
      json_object_set_null_member (o, "lastGoodAgeSeconds");
    }
  st = saban_store_prepare (saban_server_get_store (req->server), "SELECT " RECORD_COLUMNS " FROM backups "
                            "ORDER BY id DESC LIMIT ?", NULL);
  saban_stmt_bind_int64 (st, 1, HISTORY_MAX);
  while (saban_stmt_step (st, NULL))
    json_array_add_object_element (list, record_json (st));
  json_object_set_array_member (o, "backups", list);
  saban_request_reply_object (req, SOUP_STATUS_OK, NULL, o);
}

/* Waits for the run this request started (or joined). */
static void
wait_for_run (SabanBackups *self, SabanRequest *req)
{
  soup_server_message_pause (req->msg);
  g_ptr_array_add (self->waiting, g_object_ref (req->msg));
}

/* Backups are made only where the server was given a directory; 409 otherwise. */
static gboolean
configured (SabanBackups *self, SabanRequest *req)
{
  if (self->policy.directory != NULL)
    return TRUE;
  saban_request_error (req, SOUP_STATUS_CONFLICT, "backups-off",
                       "this server makes no backups: start it with --backup-dir");
  return FALSE;
}

/* POST /admin/backups: one now, answered once it is restored and checked. */
static void
backups_post (SabanRequest *req, gpointer data)
{
  SabanBackups *self = data;

  if (!saban_request_require_role (req, "make backups", admins) || !configured (self, req))
    return;
  if (!start_run (self, 0, NULL))
    {
      saban_request_error (req, SOUP_STATUS_CONFLICT, "backup-running", "a backup is being made; try again after it");
      return;
    }
  wait_for_run (self, req);
}

/* The record named by the path; replies 404 itself. */
static JsonObject *
path_record (SabanRequest *req, gint64 *id)
{
  JsonObject *o;

  if (!saban_parse_fid (req->params[0], id) ||
      (o = load_record (saban_server_get_store (req->server), *id)) == NULL)
    {
      saban_request_error (req, SOUP_STATUS_NOT_FOUND, "not-found", "no such backup");
      return NULL;
    }
  return o;
}

/* GET /admin/backups/{id} */
static void
backup_get (SabanRequest *req, gpointer data)
{
  g_autoptr(JsonObject) o = NULL;
  gint64 id;

  if (!saban_request_require_role (req, "see backups", admins) || (o = path_record (req, &id)) == NULL)
    return;
  saban_request_reply_object (req, SOUP_STATUS_OK, NULL, o);
}

/* POST /admin/backups/{id}/verify: restore that backup again and check it. */
static void
backup_verify (SabanRequest *req, gpointer data)
{
  SabanBackups *self = data;
  g_autoptr(JsonObject) o = NULL;
  gint64 id;

  if (!saban_request_require_role (req, "check backups", admins) || !configured (self, req) ||
      (o = path_record (req, &id)) == NULL)
    return;
  if (!json_object_get_null_member (o, "pruned"))
    {
      saban_request_error (req, SOUP_STATUS_GONE, "pruned", "this backup was deleted by the retention policy");
      return;
    }
  if (!start_run (self, id, json_object_get_string_member (o, "file")))
    {
      saban_request_error (req, SOUP_STATUS_CONFLICT, "backup-running", "a backup is being made; try again after it");
      return;
    }
  wait_for_run (self, req);
}

/* ---- the object ------------------------------------------------------------- */

static void
saban_backups_finalize (GObject *object)
{
  SabanBackups *self = SABAN_BACKUPS (object);

  g_clear_handle_id (&self->timer, g_source_remove);
  g_ptr_array_unref (self->waiting);
  g_free (self->policy.directory);
  g_free (self->location);
  g_free (self->started);
  G_OBJECT_CLASS (saban_backups_parent_class)->finalize (object);
}

static void
saban_backups_class_init (SabanBackupsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_backups_finalize;
}

static void
saban_backups_init (SabanBackups *self)
{
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * saban_backups_new:
 * @location: the database, as --db gives it (a backup needs its own
 *   connection and, for PostgreSQL, pg_dump and pg_restore)
 * @policy: a copy is kept; its directory must exist
 *
 * The /admin/backups routes; the schedule begins with saban_backups_start().
 * The caller keeps the object as long as @server serves.
 */
SabanBackups *
saban_backups_new (SabanServer *server, const char *location, const SabanBackupPolicy *policy)
{
  SabanBackups *self = g_object_new (SABAN_TYPE_BACKUPS, NULL);
  SabanRouter *router = saban_server_get_router (server);

  self->server = server;
  self->location = g_strdup (location);
  self->policy = *policy;
  self->policy.directory = g_strdup (policy->directory);
  self->started = saban_store_now ();
  saban_router_add (router, "GET", "/admin/backups", backups_get, self);
  saban_router_add (router, "POST", "/admin/backups", backups_post, self);
  saban_router_add (router, "GET", "/admin/backups/{id}", backup_get, self);
  saban_router_add (router, "POST", "/admin/backups/{id}/verify", backup_verify, self);
  return self;
}

/* Backs up at once if one is due, then checks the schedule and the alarm
 * every few seconds (a quarter of the alarm's age, at most a minute). */
void
saban_backups_start (SabanBackups *self)
{
  guint period = CLAMP (self->policy.max_age / 4, 1, 60);

  tick (self);
  self->timer = g_timeout_add_seconds (period, tick, self);
}
