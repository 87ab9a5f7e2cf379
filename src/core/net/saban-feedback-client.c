/* saban-feedback-client.c: citizens' reports through saban-server's Open311
 * (GeoReport v2 and its extensions): the services and every report of the
 * last days, page by page, made into a SabanFeedbackStore in a worker
 * thread (50 000 reports are fifty pages: parsed off the main thread);
 * the operators' writes (assign, reply, close, reopen, merge); the reporter
 * unmasked for a stated purpose; and a report's photo.
 *
 * Known limit: these writes go straight to the server, not through the
 * outbox (the server's Open311 writes honour no Idempotency-Key yet); a
 * write that fails is said so, and nothing is sent twice.
 */
#include "saban-feedback-client.h"

#include "saban-json.h"

#define MAX_SERVICES  (1024 * 1024)
#define MAX_PAGE      (16 * 1024 * 1024)
#define MAX_ANSWER    (1024 * 1024)
#define MAX_PHOTO     (4 * 1024 * 1024)

typedef struct
{
  SabanApi         *api;
  SabanVectorLayer *communes;
  guint             days;
} Load;

static void
load_free (gpointer data)
{
  Load *l = data;

  g_object_unref (l->api);
  g_clear_object (&l->communes);
  g_free (l);
}

/* GET @path in the calling (worker) thread; the answer's JSON */
static JsonNode *
get_json (SabanApi *api, const char *path, gsize max, GCancellable *cancellable, GError **error)
{
  g_autoptr(SoupMessage) msg = saban_api_new_message (api, "GET", path, error);
  g_autoptr(GBytes) bytes = NULL;

  if (msg == NULL || (bytes = saban_api_send (api, msg, max, cancellable, error)) == NULL ||
      !saban_api_check_status (msg, error))
    return NULL;
  return saban_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error);
}

static void
load_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Load *l = data;
  g_autoptr(SabanFeedbackStore) store = saban_feedback_store_new ();
  g_autoptr(JsonNode) services = get_json (l->api, "/open311/v2/services.json", MAX_SERVICES, cancellable, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) since = g_date_time_add_days (now, -(gint) l->days);
  g_autofree char *start = g_date_time_format (since, "%Y-%m-%dT%H:%M:%SZ");
  GError *error = NULL;

  if (services == NULL || !saban_feedback_store_set_services (store, services, &error))
    {
      /* without the services the reports still read, due by their own time */
      g_clear_error (&error);
    }
  for (guint offset = 0;; offset += SABAN_FEEDBACK_PAGE)
    {
      g_autofree char *path = g_strdup_printf ("/open311/v2/requests.json?status=open,closed&start_date=%s&limit=%d"
                                               "&offset=%u", start, SABAN_FEEDBACK_PAGE, offset);
      g_autoptr(JsonNode) page = get_json (l->api, path, MAX_PAGE, cancellable, &error);
      guint n;

      if (page == NULL || ((n = saban_feedback_store_add_page (store, page, &error)) == 0 && error != NULL))
        {
          g_task_return_error (task, error);
          return;
        }
      if (n < SABAN_FEEDBACK_PAGE)
        break;
    }
  if (l->communes != NULL)
    saban_feedback_store_set_communes (store, l->communes, "code", "name");
  g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
}

/**
 * saban_feedback_load_async:
 * @communes: (nullable): the communes' polygons (a `code` and a `name`
 *   field), to find each report's commune
 * @days: how far back: reports made in the last @days days
 *
 * Reads the services and the reports of the last @days days, newest first.
 */
void
saban_feedback_load_async (SabanApi *api, SabanVectorLayer *communes, guint days, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Load *l = g_new0 (Load, 1);

  l->api = g_object_ref (api);
  l->communes = communes != NULL ? g_object_ref (communes) : NULL;
  l->days = days;
  g_task_set_source_tag (task, saban_feedback_load_async);
  g_task_set_task_data (task, l, load_free);
  g_task_run_in_thread (task, load_thread);
  g_object_unref (task);
}

/**
 * saban_feedback_load_finish:
 *
 * Returns: (transfer full): the reports, or %NULL with @error set (a
 *   %SABAN_API_ERROR, or a translated %SABAN_ERROR for an unreadable answer)
 */
SabanFeedbackStore *
saban_feedback_load_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- writes --------------------------------------------------------------------- */

static void
write_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SoupMessage *msg = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) bytes = saban_api_send_finish (SABAN_API (source), result, &error);
  JsonNode *answer;

  if (bytes == NULL || !saban_api_check_status (msg, &error) ||
      (answer = saban_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, answer, (GDestroyNotify) json_node_unref);
}

/* POSTs @body (a JSON object, consumed) to @path; the answer comes to
 * saban_feedback_answer_finish(). */
static void
post_json (SabanApi *api, const char *path, JsonObject *body, gpointer tag, GCancellable *cancellable,
           GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  char *text;

  g_task_set_source_tag (task, tag);
  json_node_take_object (node, body);
  if ((msg = saban_api_new_message (api, "POST", path, &error)) == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  text = json_to_string (node, FALSE);
  bytes = g_bytes_new_take (text, strlen (text));
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  g_task_set_task_data (task, g_object_ref (msg), g_object_unref);
  saban_api_send_async (api, msg, MAX_ANSWER, cancellable, write_sent, task);
}

static const char *const action_names[] = { "assign", "reply", "close", "reopen" };

/**
 * saban_feedback_act_async:
 * @note: (nullable): the public reply (needed to reply and to close)
 * @agency: (nullable): the agency (needed to assign)
 *
 * Handles report @id (POST requests/{id}/notes.json); the answer is the
 * report as it now stands.
 */
void
saban_feedback_act_async (SabanApi *api, gint64 id, SabanFeedbackAction action, const char *note, const char *agency,
                          GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *path = g_strdup_printf ("/open311/v2/requests/%" G_GINT64_FORMAT "/notes.json", id);
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "action", action_names[action]);
  if (note != NULL)
    json_object_set_string_member (body, "note", note);
  if (agency != NULL)
    json_object_set_string_member (body, "agency", agency);
  post_json (api, path, body, saban_feedback_act_async, cancellable, callback, user_data);
}

/**
 * saban_feedback_merge_async:
 * @duplicates: (element-type gint64): the reports to merge into @kept
 *
 * Merges likely duplicates into @kept (POST requests/{id}/merge.json); the
 * answer is @kept as it now stands.
 */
void
saban_feedback_merge_async (SabanApi *api, gint64 kept, GArray *duplicates, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *path = g_strdup_printf ("/open311/v2/requests/%" G_GINT64_FORMAT "/merge.json", kept);
  g_autoptr(GString) ids = g_string_new (NULL);
  JsonObject *body = json_object_new ();

  for (guint i = 0; i < duplicates->len; i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i ? "," : "", g_array_index (duplicates, gint64, i));
  json_object_set_string_member (body, "duplicates", ids->str);
  post_json (api, path, body, saban_feedback_merge_async, cancellable, callback, user_data);
}

/**
 * saban_feedback_unmask_async:
 * @purpose: why the reporter's data is needed, as the user wrote it
 *
 * Asks for report @id with its reporter unmasked (POST
 * requests/{id}/personal.json): the server records @purpose with the read.
 * Keep the answer only while it is shown.
 */
void
saban_feedback_unmask_async (SabanApi *api, gint64 id, const char *purpose, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *path = g_strdup_printf ("/open311/v2/requests/%" G_GINT64_FORMAT "/personal.json", id);
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "purpose", purpose);
  post_json (api, path, body, saban_feedback_unmask_async, cancellable, callback, user_data);
}

/**
 * saban_feedback_answer_finish:
 *
 * Returns: (transfer full): the server's answer (an array of reports: the
 *   one written, or those read), or %NULL with @error set (a %SABAN_API_ERROR)
 */
JsonNode *
saban_feedback_answer_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- reads of one thing ---------------------------------------------------------- */

static void
json_got (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;
  JsonNode *node = saban_api_get_json_finish (SABAN_API (source), result, &error);

  if (node == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

/**
 * saban_feedback_read_async:
 * @ids: (element-type gint64): the reports, at most 100
 *
 * Reads these reports again (after a merge changed them); the answer comes
 * to saban_feedback_answer_finish().
 */
void
saban_feedback_read_async (SabanApi *api, GArray *ids, GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GString) path = g_string_new ("/open311/v2/requests.json?service_request_id=");

  g_task_set_source_tag (task, saban_feedback_read_async);
  for (guint i = 0; i < MIN (ids->len, 100); i++)
    g_string_append_printf (path, "%s%" G_GINT64_FORMAT, i ? "," : "", g_array_index (ids, gint64, i));
  saban_api_get_json_async (api, path->str, SABAN_API_READ, MAX_ANSWER, cancellable, json_got, task);
}

static void
bytes_got (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;
  GBytes *bytes = saban_api_get_finish (SABAN_API (source), result, NULL, &error);

  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

/**
 * saban_feedback_photo_async:
 * @url: a report's media_url: only a photo on this server is read
 *   (%SABAN_API_ERROR_INVALID_URL otherwise: the token never leaves it)
 */
void
saban_feedback_photo_async (SabanApi *api, const char *url, GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, saban_feedback_photo_async);
  saban_api_get_async (api, url, "image/png, image/jpeg", SABAN_API_READ, MAX_PHOTO, cancellable, bytes_got, task);
}

/**
 * saban_feedback_photo_finish:
 *
 * Returns: (transfer full): the photo's bytes (at most 4 MiB), or %NULL
 *   with @error set
 */
GBytes *
saban_feedback_photo_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
