/* Starting and stopping the real servers the peers suite talks to. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *name;      /* for messages: "postgres", "lighttpd" */
  GPid pid;
  int stop_signal; /* what asks it to shut down cleanly */
  char *log_path;  /* its stdout and stderr */
} PeerProcess;

guint16      peer_free_port          (void);
char        *peer_make_tmp_dir       (const char   *tmpl,
                                      gboolean      for_postgres);

gboolean     peer_run                (const char * const *argv,
                                      gboolean      as_postgres,
                                      GError      **error);
PeerProcess *peer_process_start      (const char   *name,
                                      const char * const *argv,
                                      gboolean      as_postgres,
                                      int           stop_signal,
                                      const char   *log_path,
                                      GError      **error);
gboolean     peer_process_is_running (PeerProcess  *process);
void         peer_process_stop       (PeerProcess  *process);
char        *peer_process_log        (PeerProcess  *process);

gboolean     peer_wait_for_port      (PeerProcess  *process,
                                      guint16       port,
                                      double        timeout_s,
                                      GError      **error);

G_END_DECLS
