#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Defaults sized for a control room (a few dozen workstations, the video
 * wall) plus its integrations (GIS servers, dashboards, gateways): hundreds
 * of clients at once, none of which may hold more than its share. */
#define SABAN_LISTEN_BACKLOG            1024
#define SABAN_MAX_CONNECTIONS           1024
#define SABAN_MAX_CONNECTIONS_PER_PEER  64
#define SABAN_IDLE_TIMEOUT_S            30

#define SABAN_TYPE_LISTENER (saban_listener_get_type ())
G_DECLARE_FINAL_TYPE (SabanListener, saban_listener, SABAN, LISTENER, GObject)

SabanListener *saban_listener_new             (SoupServer     *soup);
void           saban_listener_set_limits      (SabanListener  *self,
                                               guint           max_connections,
                                               guint           max_per_address,
                                               guint           idle_timeout_s);
gboolean       saban_listener_listen          (SabanListener  *self,
                                               GSocketAddress *address,
                                               GError        **error);
void           saban_listener_stop            (SabanListener  *self);
guint          saban_listener_get_n_connections (SabanListener *self);

G_END_DECLS
