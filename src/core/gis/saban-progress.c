/* saban-progress.c: a worker's progress, reported on its caller's main context. */
#include "saban-progress.h"

typedef struct
{
  SabanProgress progress;
  double fraction;
  char *what;
} Report;

static gboolean
report_dispatch (gpointer user_data)
{
  Report *r = user_data;

  r->progress.func (r->fraction, r->what, r->progress.data);
  return G_SOURCE_REMOVE;
}

static void
report_free (gpointer user_data)
{
  Report *r = user_data;

  g_free (r->what);
  g_free (r);
}

/**
 * saban_progress_report:
 * @progress: (nullable): where to report; %NULL or without a function: nowhere
 * @fraction: done so far, 0–1
 * @what: (nullable): what is being done (a layer's name)
 *
 * Safe from any thread.
 */
void
saban_progress_report (const SabanProgress *progress,
                       double               fraction,
                       const char          *what)
{
  Report *r;

  if (progress == NULL || progress->func == NULL)
    return;
  r = g_new0 (Report, 1);
  r->progress = *progress;
  r->fraction = fraction;
  r->what = g_strdup (what);
  if (progress->context == NULL)
    {
      report_dispatch (r);
      report_free (r);
    }
  else
    g_main_context_invoke_full (progress->context, G_PRIORITY_DEFAULT, report_dispatch, r, report_free);
}
