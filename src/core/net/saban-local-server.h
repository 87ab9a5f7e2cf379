#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

GSubprocessLauncher *saban_child_launcher_new   (GSubprocessFlags     flags);
GSubprocess         *saban_local_server_start   (const char *const   *argv,
                                                 GSubprocessFlags     flags,
                                                 const char          *health_url,
                                                 SoupSession         *probe,
                                                 guint                timeout_s,
                                                 GError             **error);

G_END_DECLS
