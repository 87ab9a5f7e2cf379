/* saban-report-fetch.c: what the meeting report needs, read from an IOC
 * server at once — the indicators (two years back, for the same period a year
 * before), the communes' boundaries, scenarios, tasks and situation reports,
 * the period's CAP alerts, Open311's services and the period's requests —
 * each noted with the time its answer came.
 *
 * Bounds: one page of 10 000 items per Features collection (the demo holds
 * far fewer), and Open311's own limit of 1 000 requests per query.
 */
#include "saban-report-fetch.h"

#include "saban-indicator-reader.h"
#include "saban-report-document.h"

#define MAX_ANSWER (64 * 1024 * 1024)

typedef enum
{
  PART_COMMUNES,
  PART_SCENARIOS,
  PART_TASKS,
  PART_SITREPS,
  PART_ALERTS,
  PART_SERVICES,
  PART_REQUESTS,
  N_PARTS,
} Part;

static const SabanReportSource part_sources[N_PARTS] = {
  SABAN_REPORT_COMMUNES, SABAN_REPORT_SCENARIOS, SABAN_REPORT_TASKS, SABAN_REPORT_SITREPS, SABAN_REPORT_ALERTS,
  SABAN_REPORT_REQUESTS, SABAN_REPORT_REQUESTS,
};

typedef struct
{
  SabanReportData   *data;
  SabanIndicatorSet *indicators;
  JsonNode          *answers[N_PARTS];
  gint64             taken_at[N_PARTS];
  GError            *error;
  guint              waiting;
} Fetch;

typedef struct
{
  GTask *task;
  Part   part;
} PartCall;

static void
fetch_free (gpointer data)
{
  Fetch *f = data;

  g_clear_object (&f->data);
  g_clear_object (&f->indicators);
  for (guint i = 0; i < N_PARTS; i++)
    g_clear_pointer (&f->answers[i], json_node_unref);
  g_clear_error (&f->error);
  g_free (f);
}

/* Every answer in: the services before the requests (their groups are the sectors). */
static void
assemble (GTask *task)
{
  Fetch *f = g_task_get_task_data (task);
  static const Part order[] = { PART_COMMUNES, PART_SCENARIOS, PART_TASKS, PART_SITREPS, PART_ALERTS, PART_REQUESTS };
  GError *error = NULL;

  saban_report_data_set_indicators (f->data, f->indicators);
  if (!saban_report_data_read_services (f->data, f->answers[PART_SERVICES], &error))
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      if (!saban_report_data_read (f->data, part_sources[order[i]], f->answers[order[i]], &error))
        {
          g_task_return_error (task, error);
          return;
        }
      saban_report_data_set_taken_at (f->data, part_sources[order[i]], f->taken_at[order[i]]);
    }
  g_task_return_pointer (task, g_object_ref (f->data), g_object_unref);
}

static void
one_done (GTask  *task,
          GError *error)
{
  Fetch *f = g_task_get_task_data (task);

  if (error != NULL && f->error == NULL)
    f->error = error;
  else
    g_clear_error (&error);
  if (--f->waiting > 0)
    return;
  if (f->error != NULL)
    g_task_return_error (task, g_steal_pointer (&f->error));
  else
    assemble (task);
}

static void
part_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PartCall *call = user_data;
  g_autoptr(GTask) task = call->task;
  Fetch *f = g_task_get_task_data (task);
  GError *error = NULL;

  f->answers[call->part] = saban_api_get_json_finish (SABAN_API (source), result, &error);
  f->taken_at[call->part] = g_get_real_time ();
  g_free (call);
  one_done (task, error);
}

static void
indicators_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *f = g_task_get_task_data (task);
  GError *error = NULL;

  f->indicators = saban_indicator_reader_fetch_finish (result, &error);
  one_done (task, error);
}

static void
get_part (SabanApi *api,
          GTask    *task,
          Part      part,
          char     *path)
{
  PartCall *call = g_new0 (PartCall, 1);

  call->task = g_object_ref (task);
  call->part = part;
  saban_api_get_json_async (api, path, SABAN_API_READ, MAX_ANSWER, g_task_get_cancellable (task), part_done, call);
  g_free (path);
}

/* RFC 3339 of a Vietnam day's start (or the next day's, for an end). */
static char *
day_time (const GDate *d,
          int          add_days)
{
  GDate t = *d;

  g_date_add_days (&t, add_days);
  return g_strdup_printf ("%04d-%02d-%02dT00:00:00+07:00", g_date_get_year (&t), g_date_get_month (&t),
                          g_date_get_day (&t));
}

/**
 * saban_report_fetch_async:
 * @api: the IOC server's client (its token goes with the requests)
 * @from: @to: the days the report covers
 *
 * Reads everything the report needs, all at once.
 */
void
saban_report_fetch_async (SabanApi            *api,
                          const GDate         *from,
                          const GDate         *to,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Fetch *f = g_new0 (Fetch, 1);
  g_autofree char *start = day_time (from, 0), *end = day_time (to, 1);
  g_autofree char *start_q = g_uri_escape_string (start, NULL, TRUE), *end_q = g_uri_escape_string (end, NULL, TRUE);
  GDate back = *from;
  SabanPeriod first, last;

  g_task_set_source_tag (task, saban_report_fetch_async);
  f->data = saban_report_data_new (saban_api_get_base_url (api));
  f->waiting = N_PARTS + 1;
  g_task_set_task_data (task, f, fetch_free);
  g_date_subtract_years (&back, 2);
  first = saban_period_containing (SABAN_PERIOD_DAY, &back);
  last = saban_period_containing (SABAN_PERIOD_DAY, to);
  saban_indicator_reader_fetch_async (api, &first, &last, cancellable, indicators_done, g_object_ref (task));
  get_part (api, task, PART_COMMUNES, g_strdup ("/collections/communes/items?limit=10000"));
  get_part (api, task, PART_SCENARIOS, g_strdup ("/collections/scenarios/items?limit=10000"));
  get_part (api, task, PART_TASKS, g_strdup ("/collections/tasks/items?limit=10000"));
  get_part (api, task, PART_SITREPS, g_strdup ("/collections/sitreps/items?limit=10000"));
  get_part (api, task, PART_ALERTS,
            g_strdup_printf ("/collections/alerts/items?limit=10000&datetime=%s%%2F%s", start_q, end_q));
  get_part (api, task, PART_SERVICES, g_strdup ("/open311/v2/services.json"));
  get_part (api, task, PART_REQUESTS,
            g_strdup_printf ("/open311/v2/requests.json?start_date=%s&end_date=%s", start_q, end_q));
}

/**
 * saban_report_fetch_finish:
 *
 * Returns: (transfer full) (nullable): the report's data, or %NULL with
 *   @error set (translated) when any part could not be read
 */
SabanReportData *
saban_report_fetch_finish (GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the whole report, for a window ---------------------------------------------------- */

typedef struct
{
  GDate            from, to;
  char            *pdf;
  SabanReportData *data;
} Make;

static void
make_free (gpointer data)
{
  Make *m = data;

  g_free (m->pdf);
  g_clear_object (&m->data);
  g_free (m);
}

static void
make_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Make *m = data;
  g_autoptr(SabanReportTemplate) tpl = NULL;
  GError *error = NULL;
  char *period = NULL;

  if ((tpl = saban_report_template_new_default (&error)) == NULL ||
      !saban_report_write_files (m->data, tpl, &m->from, &m->to, m->pdf, NULL, &period, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, period, g_free);
}

static void
make_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Make *m = g_task_get_task_data (task);
  GError *error = NULL;

  if ((m->data = saban_report_fetch_finish (result, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* laid out and written in a worker: cairo and Pango take a few tenths of a second */
  g_task_run_in_thread (task, make_thread);
}

/**
 * saban_report_make_async:
 * @pdf: the file to write (replaced)
 *
 * Reads everything for the days @from … @to (saban_report_fetch_async),
 * lays the report out with the office's template and writes it as PDF: the
 * desk's one click.
 */
void
saban_report_make_async (SabanApi *api, const GDate *from, const GDate *to, const char *pdf,
                         GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Make *m = g_new0 (Make, 1);

  m->from = *from;
  m->to = *to;
  m->pdf = g_strdup (pdf);
  g_task_set_source_tag (task, saban_report_make_async);
  g_task_set_task_data (task, m, make_free);
  saban_report_fetch_async (api, from, to, cancellable, make_fetched, task);
}

/**
 * saban_report_make_finish:
 *
 * Returns: (transfer full): the period the report covers, as it names it
 *   ("tháng 11 năm 2026"), or %NULL with @error set
 */
char *
saban_report_make_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
