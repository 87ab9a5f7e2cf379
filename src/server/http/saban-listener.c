/* saban-listener.c: where saban-server accepts connections.
 *
 * libsoup's own listener accepts everything and shows the server nothing of
 * it, so one caller could hold every connection (or every file descriptor)
 * and starve the rest. Here the server owns the listening socket, with a
 * listen backlog sized for a burst of reconnecting clients, counts open
 * connections in total and per peer address, and answers a connection over
 * either limit with a 503 before handing it to libsoup. A connection that
 * stays silent past the idle timeout (no request, or a request that stops
 * arriving) is closed by its socket's timeout.
 */
#include "saban-listener.h"


/* The counts outlive the listener: a connection may close after it. */
typedef struct
{
  GHashTable *per_address;  /* address text → count */
  guint       total;
} Counts;

typedef struct
{
  Counts *counts;
  char   *address;
} Peer;

struct _SabanListener
{
  GObject         parent_instance;
  SoupServer     *soup;
  GSocketService *service;
  Counts         *counts;
  guint           max_connections;
  guint           max_per_address;
  guint           idle_timeout;
};

G_DEFINE_FINAL_TYPE (SabanListener, saban_listener, G_TYPE_OBJECT)

static const char peer_key[] = "saban-peer";

static void
counts_clear (gpointer data)
{
  Counts *c = data;

  g_hash_table_unref (c->per_address);
}

static void
peer_free (gpointer data)
{
  Peer *p = data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (p->counts->per_address, p->address));

  if (n <= 1)
    g_hash_table_remove (p->counts->per_address, p->address);
  else
    g_hash_table_insert (p->counts->per_address, g_strdup (p->address), GUINT_TO_POINTER (n - 1));
  p->counts->total--;
  g_rc_box_release_full (p->counts, counts_clear);
  g_free (p->address);
  g_free (p);
}

static void
saban_listener_dispose (GObject *object)
{
  SabanListener *self = SABAN_LISTENER (object);

  saban_listener_stop (self);
  g_clear_object (&self->service);
  g_clear_object (&self->soup);
  if (self->counts != NULL)
    {
      g_rc_box_release_full (self->counts, counts_clear);
      self->counts = NULL;
    }
  G_OBJECT_CLASS (saban_listener_parent_class)->dispose (object);
}

static void
saban_listener_class_init (SabanListenerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = saban_listener_dispose;
}

static void
saban_listener_init (SabanListener *self)
{
  self->counts = g_rc_box_new0 (Counts);
  self->counts->per_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->max_connections = SABAN_MAX_CONNECTIONS;
  self->max_per_address = SABAN_MAX_CONNECTIONS_PER_PEER;
  self->idle_timeout = SABAN_IDLE_TIMEOUT_S;
}

/* A short answer on a connection libsoup never sees, then the close. */
static void
refuse (GSocketConnection *conn, const char *address, gboolean per_address)
{
  static const char fmt[] = "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 5\r\n"
                            "Content-Type: application/json\r\nX-Content-Type-Options: nosniff\r\n"
                            "Content-Length: %zu\r\n\r\n%s";
  const char *body = per_address ? "{\"code\":\"too-many-connections\",\"description\":\"too many open connections "
                                   "from this address\"}"
                                 : "{\"code\":\"too-many-connections\",\"description\":\"the server has as many "
                                   "connections as it serves\"}";
  g_autofree char *text = g_strdup_printf (fmt, strlen (body), body);
  GSocket *sock = g_socket_connection_get_socket (conn);

  g_socket_send_with_blocking (sock, text, strlen (text), FALSE, NULL, NULL);
  g_socket_shutdown (sock, FALSE, TRUE, NULL);
  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  g_printerr ("saban-server: refused a connection from %s: %s\n", address,
              per_address ? "per-address limit" : "connection limit");
}

static gboolean
incoming (GSocketService *service, GSocketConnection *conn, GObject *source, gpointer data)
{
  SabanListener *self = data;
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (conn, NULL);
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (conn, NULL);
  g_autofree char *address = NULL;
  g_autoptr(GError) error = NULL;
  guint n;
  Peer *peer;

  if (remote == NULL || local == NULL || !G_IS_INET_SOCKET_ADDRESS (remote))
    {
      g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
      return TRUE;
    }
  address = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
  n = GPOINTER_TO_UINT (g_hash_table_lookup (self->counts->per_address, address));
  if (self->counts->total >= self->max_connections || n >= self->max_per_address)
    {
      refuse (conn, address, n >= self->max_per_address);
      return TRUE;
    }

  peer = g_new0 (Peer, 1);
  peer->counts = g_rc_box_acquire (self->counts);
  peer->address = g_strdup (address);
  g_hash_table_insert (self->counts->per_address, g_steal_pointer (&address), GUINT_TO_POINTER (n + 1));
  self->counts->total++;
  /* released when the connection is finalized: libsoup closed it, or the
   * server took it back to refuse a request (saban-server.c) and closed it */
  g_object_set_data_full (G_OBJECT (conn), peer_key, peer, peer_free);

  g_socket_set_timeout (g_socket_connection_get_socket (conn), self->idle_timeout);
  if (!soup_server_accept_iostream (self->soup, G_IO_STREAM (conn), local, remote, &error))
    {
      g_warning ("saban-server: cannot serve a connection: %s", error->message);
      g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
    }
  return TRUE;
}

/**
 * saban_listener_new:
 * A listener that hands the connections it accepts to @soup.
 */
SabanListener *
saban_listener_new (SoupServer *soup)
{
  SabanListener *self = g_object_new (SABAN_TYPE_LISTENER, NULL);

  self->soup = g_object_ref (soup);
  self->service = g_socket_service_new ();
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (self->service), SABAN_LISTEN_BACKLOG);
  g_signal_connect (self->service, "incoming", G_CALLBACK (incoming), self);
  return self;
}

/**
 * saban_listener_set_limits:
 * @max_connections: open connections in all
 * @max_per_address: open connections from one peer address
 * @idle_timeout_s: seconds a connection may stay silent while the server waits for it
 */
void
saban_listener_set_limits (SabanListener *self, guint max_connections, guint max_per_address, guint idle_timeout_s)
{
  self->max_connections = max_connections;
  self->max_per_address = max_per_address;
  self->idle_timeout = idle_timeout_s;
}

gboolean
saban_listener_listen (SabanListener *self, GSocketAddress *address, GError **error)
{
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, NULL, error))
    return FALSE;
  g_socket_service_start (self->service);
  return TRUE;
}

void
saban_listener_stop (SabanListener *self)
{
  if (self->service == NULL)
    return;
  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
}

/**
 * saban_listener_get_n_connections:
 * Connections open now (for /health).
 */
guint
saban_listener_get_n_connections (SabanListener *self)
{
  return self->counts->total;
}
