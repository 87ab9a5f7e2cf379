/* A CGI program (MapServer, MapCache) behind lighttpd on loopback, and what
 * the map-service peers share: reading capabilities, decoding tiles. */
#pragma once

#include <gio/gio.h>

#include "peer-process.h"
#include "saban-tile-cache.h"

G_BEGIN_DECLS

/* Writes what depends on the port lighttpd is about to listen on. */
typedef void (*PeerCgiPrepare) (guint16 port, gpointer data);

PeerProcess *peer_cgi_start             (const char      *dir,
                                         const char      *name,
                                         const char      *program,
                                         const char      *config_variable,
                                         const char      *config_path,
                                         PeerCgiPrepare   prepare,
                                         gpointer         data,
                                         guint16         *port);
void         peer_write_file            (const char      *dir,
                                         const char      *name,
                                         const char      *contents,
                                         int              mode);
void         peer_cgi_log_on_failure    (const char      *dir);
GPtrArray   *peer_read_capabilities     (SabanTileCache  *reader,
                                         char           **version);
guint8      *peer_decode_png            (GBytes          *png,
                                         int             *size);

G_END_DECLS
