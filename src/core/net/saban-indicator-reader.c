/* saban-indicator-reader.c: the indicator catalogue and values from
 * saban-server (GET /indicators and /indicators/values, asked at once),
 * made into a SabanIndicatorSet in a worker thread.
 */
#include "saban-indicator-reader.h"

#define MAX_CATALOGUE (16 * 1024 * 1024)
#define MAX_VALUES    (256 * 1024 * 1024)

typedef struct
{
  JsonNode *catalogue;
  JsonNode *values;
  GError   *error;     /* the first failure */
  guint     waiting;
} Fetch;

static void
fetch_free (gpointer data)
{
  Fetch *f = data;

  g_clear_pointer (&f->catalogue, json_node_unref);
  g_clear_pointer (&f->values, json_node_unref);
  g_clear_error (&f->error);
  g_free (f);
}

static void
build_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  Fetch *f = data;
  GError *error = NULL;
  SabanIndicatorSet *set = saban_indicator_set_new_from_json (f->catalogue, f->values, &error);

  if (set == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, set, g_object_unref);
}

static void
part_done (GTask         *task,
           GObject       *api,
           GAsyncResult  *result,
           JsonNode     **slot)
{
  Fetch *f = g_task_get_task_data (task);
  GError *error = NULL;

  *slot = saban_api_get_json_finish (SABAN_API (api), result, &error);
  if (error != NULL && f->error == NULL)
    f->error = error;
  else
    g_clear_error (&error);
  if (--f->waiting > 0)
    return;
  if (f->error != NULL)
    g_task_return_error (task, g_steal_pointer (&f->error));
  else
    g_task_run_in_thread (task, build_thread);
}

static void
catalogue_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  part_done (task, source, result, &((Fetch *) g_task_get_task_data (task))->catalogue);
}

static void
values_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  part_done (task, source, result, &((Fetch *) g_task_get_task_data (task))->values);
}

static char *
values_path (const SabanPeriod *from,
             const SabanPeriod *to)
{
  g_autofree char *a = from != NULL ? saban_period_to_string (from) : NULL;
  g_autofree char *b = to != NULL ? saban_period_to_string (to) : NULL;

  return g_strdup_printf ("/indicators/values%s%s%s%s%s", a || b ? "?" : "", a ? "from=" : "", a ? a : "",
                          a && b ? "&to=" : b ? "to=" : "", b ? b : "");
}

/**
 * saban_indicator_reader_fetch_async:
 * @api: the IOC server's client (its token goes with the requests)
 * @from: (nullable): the first period wanted (all when %NULL)
 * @to: (nullable): the last
 *
 * Reads the catalogue and the values of every indicator for the periods
 * that start within @from … @to.
 */
void
saban_indicator_reader_fetch_async (SabanApi            *api,
                                    const SabanPeriod   *from,
                                    const SabanPeriod   *to,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Fetch *f = g_new0 (Fetch, 1);
  g_autofree char *values = values_path (from, to);

  g_task_set_source_tag (task, saban_indicator_reader_fetch_async);
  f->waiting = 2;
  g_task_set_task_data (task, f, fetch_free);
  saban_api_get_json_async (api, "/indicators", SABAN_API_READ, MAX_CATALOGUE, cancellable, catalogue_done,
                            g_object_ref (task));
  saban_api_get_json_async (api, values, SABAN_API_READ, MAX_VALUES, cancellable, values_done, task);
}

/**
 * saban_indicator_reader_fetch_finish:
 *
 * Returns: (transfer full) (nullable): the indicators, or %NULL with @error
 *   set (a %SABAN_API_ERROR for the transport; translated for the content)
 */
SabanIndicatorSet *
saban_indicator_reader_fetch_finish (GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
