/* Real servers for the peers suite, started and stopped by the tests.
 *
 * Every server is a direct child that the kernel signals when the test
 * process dies (PR_SET_PDEATHSIG): a failed assertion aborts without running
 * the fixture's teardown, and a server left behind would hold its port and
 * its files. PostgreSQL refuses to run as root, so when the test is root its
 * processes switch to the `postgres` user between fork and exec.
 */
#include "peer-process.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct
{
  gboolean drop;
  uid_t uid;
  gid_t gid;
  int death_signal;
} ChildSetup;

/* Runs in the child between fork and exec: async-signal-safe calls only. */
static void
child_setup (gpointer user_data)
{
  const ChildSetup *setup = user_data;

  if (setup->drop &&
      (setgroups (1, &setup->gid) != 0 || setgid (setup->gid) != 0 || setuid (setup->uid) != 0))
    _exit (127);
  /* After the credential change, which would clear it. */
  if (setup->death_signal != 0)
    prctl (PR_SET_PDEATHSIG, setup->death_signal);
}

static void
child_setup_init (ChildSetup *setup,
                  gboolean    as_postgres,
                  int         death_signal)
{
  setup->drop = FALSE;
  setup->death_signal = death_signal;
  if (as_postgres && geteuid () == 0)
    {
      struct passwd *pw = getpwnam ("postgres");

      g_assert_nonnull (pw);  /* the postgresql-15 package creates it */
      setup->drop = TRUE;
      setup->uid = pw->pw_uid;
      setup->gid = pw->pw_gid;
    }
}

/**
 * peer_free_port:
 *
 * A TCP port on 127.0.0.1 that was free a moment ago. The kernel does not
 * hand the same ephemeral port out again at once, so the race with other
 * builders on the machine is narrow.
 */
guint16
peer_free_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* A fresh private directory; PostgreSQL's must belong to the user it runs as. */
char *
peer_make_tmp_dir (const char *tmpl,
                   gboolean    for_postgres)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp (tmpl, &error);
  ChildSetup setup;

  g_assert_no_error (error);
  child_setup_init (&setup, for_postgres, 0);
  if (setup.drop)
    g_assert_cmpint (chown (dir, setup.uid, setup.gid), ==, 0);
  return g_steal_pointer (&dir);
}

/* Runs a command to its end; its stderr becomes the error message. */
gboolean
peer_run (const char * const *argv,
          gboolean            as_postgres,
          GError            **error)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *command = g_strjoinv (" ", (char **) argv);
  int status;
  ChildSetup setup;

  child_setup_init (&setup, as_postgres, SIGKILL);
  if (!g_spawn_sync (as_postgres ? "/" : NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH,
                     child_setup, &setup, &out, &err, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "%s failed: %s%s", command, err, out);
      return FALSE;
    }
  return TRUE;
}

PeerProcess *
peer_process_start (const char          *name,
                    const char * const  *argv,
                    gboolean             as_postgres,
                    int                  stop_signal,
                    const char          *log_path,
                    GError             **error)
{
  PeerProcess *process;
  ChildSetup setup;
  GPid pid;
  int log_fd;
  gboolean ok;

  log_fd = g_open (log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "%s: %s", log_path, g_strerror (errno));
      return NULL;
    }
  /* The kernel stops the server if the test dies before its teardown. */
  child_setup_init (&setup, as_postgres, stop_signal);
  ok = g_spawn_async_with_fds (as_postgres ? "/" : NULL, (char **) argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                               child_setup, &setup, &pid, -1, log_fd, log_fd, error);
  close (log_fd);
  if (!ok)
    return NULL;

  process = g_new0 (PeerProcess, 1);
  process->name = g_strdup (name);
  process->pid = pid;
  process->stop_signal = stop_signal;
  process->log_path = g_strdup (log_path);
  return process;
}

gboolean
peer_process_is_running (PeerProcess *process)
{
  int status;

  if (process->pid == 0)
    return FALSE;
  if (waitpid (process->pid, &status, WNOHANG) == 0)
    return TRUE;
  process->pid = 0;
  return FALSE;
}

char *
peer_process_log (PeerProcess *process)
{
  char *contents = NULL;

  if (!g_file_get_contents (process->log_path, &contents, NULL, NULL))
    return g_strdup ("(no log)");
  return contents;
}

/* Asks for a clean shutdown, then insists: a teardown must not hang. */
void
peer_process_stop (PeerProcess *process)
{
  gint64 deadline;

  if (process == NULL)
    return;
  if (peer_process_is_running (process))
    {
      kill (process->pid, process->stop_signal);
      deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
      while (peer_process_is_running (process) && g_get_monotonic_time () < deadline)
        g_usleep (20 * 1000);
      if (peer_process_is_running (process))
        {
          g_test_message ("%s ignored signal %d; killing it", process->name, process->stop_signal);
          kill (process->pid, SIGKILL);
          waitpid (process->pid, NULL, 0);
        }
    }
  g_free (process->name);
  g_free (process->log_path);
  g_free (process);
}

/* Polls until the server accepts TCP connections on 127.0.0.1:port. */
gboolean
peer_wait_for_port (PeerProcess  *process,
                    guint16       port,
                    double        timeout_s,
                    GError      **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);

  g_socket_client_set_timeout (client, 1);
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GSocketConnection) connection = NULL;

      if (!peer_process_is_running (process))
        {
          g_autofree char *log = peer_process_log (process);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s exited: %s", process->name, log);
          return FALSE;
        }
      connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
      if (connection != NULL)
        return TRUE;
      g_usleep (50 * 1000);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s did not listen on port %u within %.0f s",
               process->name, port, timeout_s);
  return FALSE;
}
