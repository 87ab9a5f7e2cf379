/* saban-local-server.c: a saban-server (or a broker) that a tool or a test
 * starts on this machine for itself, and that must not outlive it.
 *
 * A bench killed with SIGKILL, or a test that aborts on a failed assertion,
 * runs no teardown: a server left behind keeps its port, its scratch
 * database and a CPU busy with its simulator. The kernel ends these
 * children instead (PR_SET_PDEATHSIG). The signal follows the *thread*
 * that forked, not the process: start them from a thread that lives as
 * long as the caller — the main thread — never from a worker.
 */
#include "saban-local-server.h"

#include <signal.h>
#include <sys/prctl.h>

#define PROBE_TIMEOUT_S 2
#define POLL_US         (100 * 1000)

/* between fork and exec: async-signal-safe calls only */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/**
 * saban_child_launcher_new:
 * @flags: what becomes of the children's stdin, stdout and stderr
 *
 * Returns: (transfer full): a launcher whose children the kernel kills when
 *   the thread that spawned them ends (the process's death included)
 */
GSubprocessLauncher *
saban_child_launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  return launcher;
}

static gboolean
healthy (SoupSession *session, const char *url)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);

  return body != NULL && soup_message_get_status (msg) == SOUP_STATUS_OK;
}

static void
set_exited (GSubprocess *proc, const char *name, GError **error)
{
  gboolean signaled = g_subprocess_get_if_signaled (proc);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s exited at start: %s %d", name,
               signaled ? "signal" : "status",
               signaled ? g_subprocess_get_term_sig (proc) : g_subprocess_get_exit_status (proc));
}

/**
 * saban_local_server_start:
 * @argv: the server's command line (argv[0] a path)
 * @flags: its stdout and stderr (silenced, or the caller's)
 * @health_url: what answers 200 once it serves (`…/health`)
 * @probe: (nullable): the session that asks (one that trusts the server's
 *   certificate); %NULL for a plain one
 * @timeout_s: how long it may take to start
 *
 * Starts a server that dies with the calling thread (start it from the main
 * thread) and waits, blocking, until @health_url answers.
 *
 * Returns: (transfer full): the running server, or %NULL with @error set
 *   (it exited, or did not answer in time: then it is killed)
 */
GSubprocess *
saban_local_server_start (const char *const *argv, GSubprocessFlags flags, const char *health_url,
                          SoupSession *probe, guint timeout_s, GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = saban_child_launcher_new (flags);
  g_autoptr(SoupSession) own = probe == NULL ? soup_session_new_with_options ("timeout", PROBE_TIMEOUT_S, NULL) : NULL;
  g_autoptr(GSubprocess) proc = NULL;
  gint64 end = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL && health_url != NULL, NULL);

  if ((proc = g_subprocess_launcher_spawnv (launcher, argv, error)) == NULL)
    return NULL;
  while (g_get_monotonic_time () < end)
    {
      if (healthy (probe != NULL ? probe : own, health_url))
        return g_steal_pointer (&proc);
      /* GSubprocess reaps on GLib's worker thread: no main loop needed here */
      if (g_subprocess_get_identifier (proc) == NULL)
        {
          set_exited (proc, argv[0], error);
          return NULL;
        }
      g_usleep (POLL_US);
    }
  g_subprocess_force_exit (proc);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s did not answer %s within %u s", argv[0], health_url,
               timeout_s);
  return NULL;
}
