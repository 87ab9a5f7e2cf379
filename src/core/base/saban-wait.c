/* saban-wait.c: waiting for asynchronous work where nothing else runs — a
 * command-line tool (`saban --report`, saban-bench) has no main loop of its
 * own, so it turns the default one until its callback says it is done.
 */
#include "saban-wait.h"

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/**
 * saban_wait_for:
 * @done: set by a callback when the work is over
 * @seconds: how long to wait at the most
 *
 * Runs the default main context until *@done (a tick wakes it to read the clock).
 *
 * Returns: *@done
 */
gboolean
saban_wait_for (const gboolean *done,
                guint           seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  guint timer = g_timeout_add (50, tick, NULL);

  while (!*done && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timer);
  return *done;
}
