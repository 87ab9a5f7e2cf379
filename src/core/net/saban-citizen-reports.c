/* saban-citizen-reports.c: the open citizen reports (Open311 GeoReport v2
 * service requests) with a place, for an impact analysis.
 *
 * Asked for anonymously: the analysis needs where and what, never who, so
 * no personal data is unmasked (and no read of it is logged).
 */
#include "saban-citizen-reports.h"
#include "saban-json.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "saban-error.h"

#define MAX_BODY (16 * 1024 * 1024)
#define MAX_TEXT 1024

static void
report_clear (gpointer data)
{
  SabanImpactReport *r = data;

  g_free (r->id);
  g_free (r->title);
}

static const char *
short_string (JsonObject *o,
              const char *name)
{
  JsonNode *node = json_object_get_member (o, name);
  const char *text;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  text = json_node_get_string (node);
  return strlen (text) <= MAX_TEXT && g_utf8_validate (text, -1, NULL) ? text : NULL;
}

static gboolean
get_coordinate (JsonObject *o,
                const char *name,
                double      limit,
                double     *value)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_DOUBLE && json_node_get_value_type (node) != G_TYPE_INT64))
    return FALSE;
  *value = json_node_get_double (node);
  return isfinite (*value) && fabs (*value) <= limit;
}

/* the reports of a parsed answer; @root NULL (not JSON) or no list: a
 * translated error */
static GArray *
reports_from_json (JsonNode *root, GError **error)
{
  g_autoptr(GArray) reports = g_array_new (FALSE, FALSE, sizeof (SabanImpactReport));
  JsonArray *list;

  g_array_set_clear_func (reports, report_clear);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("The server’s list of citizen reports is not readable"));
      return NULL;
    }
  list = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *o;
      SabanImpactReport r = { 0 };
      const char *id, *title;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      o = json_node_get_object (node);
      id = short_string (o, "service_request_id");
      title = short_string (o, "service_name");
      if (id == NULL || !get_coordinate (o, "long", 180, &r.lon) || !get_coordinate (o, "lat", 90, &r.lat))
        continue;
      r.id = g_strdup (id);
      r.title = g_strdup (title != NULL ? title : id);
      g_array_append_val (reports, r);
    }
  return g_steal_pointer (&reports);
}

/**
 * saban_citizen_reports_parse:
 * @body: a GeoReport v2 `requests.json` answer
 *
 * Requests without an id or a place, or with a malformed one, are left
 * out; their siblings are kept.
 *
 * Returns: (transfer full) (element-type SabanImpactReport) (nullable): the
 *   reports, or %NULL with @error set (translated) when @body is no list
 */
GArray *
saban_citizen_reports_parse (GBytes  *body,
                             GError **error)
{
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  g_autoptr(JsonNode) parsed = saban_json_parse (data, size, NULL);

  return reports_from_json (parsed, error);
}

static void
fetched (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = saban_api_get_json_finish (SABAN_API (source), result, &error);
  GError *unreadable = NULL;
  GArray *reports;

  if (root == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (root == NULL && error->domain == SABAN_API_ERROR)
    {
      g_autofree char *why = saban_api_describe_error (error);

      g_message ("citizen reports not fetched: %s", error->message);
      /* TRANSLATORS: %s says why, and what to do */
      g_task_return_new_error (task, SABAN_ERROR, SABAN_ERROR_OPEN, _("The citizen reports could not be fetched. %s"),
                               why);
    }
  /* an answer that is not JSON is as unreadable as one that is no list */
  else if ((reports = reports_from_json (root, &unreadable)) == NULL)
    g_task_return_error (task, unreadable);
  else
    g_task_return_pointer (task, reports, (GDestroyNotify) g_array_unref);
}

/**
 * saban_citizen_reports_fetch_async:
 * @api: the IOC server
 *
 * Asks for the open requests of the standard's default window (90 days),
 * anonymously: an impact analysis needs where and what, never who, so no
 * personal data is unmasked (nor its reading logged) for it.
 */
void
saban_citizen_reports_fetch_async (SabanApi            *api,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, saban_citizen_reports_fetch_async);
  saban_api_get_json_async (api, "/open311/v2/requests.json?status=open", SABAN_API_READ | SABAN_API_ANONYMOUS,
                            MAX_BODY, cancellable, fetched, task);
}

/**
 * saban_citizen_reports_fetch_finish:
 *
 * Returns: (transfer full) (element-type SabanImpactReport) (nullable): the
 *   open reports with a place, or %NULL with @error set (translated)
 */
GArray *
saban_citizen_reports_fetch_finish (GAsyncResult  *result,
                                    GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
