/* saban-http-get.c: one GET of a JSON document from the IOC server, bounded
 * and parsed off the main thread — what the indicator reader and the report
 * fetcher share. Small on purpose: the session, base URL and token come from
 * the caller, so a shared API client can take its place.
 */
#include "saban-http-get.h"

#include <glib/gi18n-lib.h>

#include "saban-error.h"
#include "saban-json.h"

static void
parse_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  GBytes *body = data;
  gsize size;
  const char *text = g_bytes_get_data (body, &size);
  g_autoptr(GError) error = NULL;
  JsonNode *node = saban_json_parse (text, (gssize) size, &error);

  if (node == NULL)
    g_task_return_new_error (task, SABAN_ERROR, SABAN_ERROR_PARSE, _("The server’s answer is not readable: %s"),
                             error->message);
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

static void
fetched (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  guint status;

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, SABAN_ERROR, SABAN_ERROR_OPEN, _("The server could not be reached: %s"),
                                 error->message);
      return;
    }
  status = soup_message_get_status (message);
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    g_task_return_new_error (task, SABAN_ERROR, SABAN_ERROR_OPEN,
                             _("The server refused the request (HTTP %u): sign in with an account that may read it"),
                             status);
  else if (status != SOUP_STATUS_OK)
    g_task_return_new_error (task, SABAN_ERROR, SABAN_ERROR_OPEN, _("The server answered HTTP %u"), status);
  else if (g_bytes_get_size (body) > GPOINTER_TO_SIZE (g_task_get_task_data (task)))
    g_task_return_new_error (task, SABAN_ERROR, SABAN_ERROR_READ, _("The server’s answer is too large"));
  else
    {
      g_task_set_task_data (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
      g_task_run_in_thread (task, parse_thread);
    }
}

/**
 * saban_http_get_json_async:
 * @session: the session to send with
 * @url: an absolute http(s) URL
 * @token: (nullable): a bearer token
 * @max_bytes: the largest answer accepted
 *
 * GETs @url and parses the answer (saban_json_parse(): UTF-8, depth bounded)
 * in a worker thread.
 */
void
saban_http_get_json_async (SoupSession         *session,
                           const char          *url,
                           const char          *token,
                           gsize                max_bytes,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (session, cancellable, callback, user_data);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);

  g_task_set_source_tag (task, saban_http_get_json_async);
  g_task_set_task_data (task, GSIZE_TO_POINTER (max_bytes), NULL);
  if (message == NULL)
    {
      g_task_return_new_error (task, SABAN_ERROR, SABAN_ERROR_OPEN, _("The server address is not a URL"));
      g_object_unref (task);
      return;
    }
  if (token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", bearer);
    }
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, cancellable, fetched, task);
}

/**
 * saban_http_get_json_finish:
 *
 * Returns: (transfer full) (nullable): the parsed answer, or %NULL with
 *   @error set (translated)
 */
JsonNode *
saban_http_get_json_finish (GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
