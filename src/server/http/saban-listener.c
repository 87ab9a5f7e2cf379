/* saban-listener.c: where saban-server accepts connections.
 *
 * libsoup accepts every connection and has no limit of its own, so one
 * caller could hold every connection (or every file descriptor) and starve
 * the rest. Here the server makes the listening socket, with a listen
 * backlog sized for a burst of reconnecting clients, and libsoup accepts on
 * it (keeping keep-alive, and HTTPS when it is given a certificate). Each
 * new connection shows itself in libsoup's request-started, before its
 * first byte is read: it is counted, in total and per peer address, and
 * one over either limit is answered 503 and shut at once (over HTTPS shut
 * without an answer: see refuse()). A connection that
 * stays silent past the idle timeout (no request, or a request that stops
 * arriving) is closed by its socket's timeout.
 *
 * libsoup (3.2) stops watching a kept-alive connection between requests:
 * one its client closes then would stay open (CLOSE-WAIT) for good, and one
 * its client leaves open would never time out. So between requests the
 * listener watches the socket itself: the client's close, or a silence as
 * long as the idle timeout, closes it here; its next request is left to
 * libsoup. Connections libsoup closes are swept from the count each second.
 */
#include "saban-listener.h"

#include <sys/socket.h>

typedef struct
{
  char    *address;  /* of its peer */
  GSource *watch;    /* between requests */
} Conn;

struct _SabanListener
{
  GObject     parent_instance;
  SoupServer *soup;
  GPtrArray  *sockets;      /* listening */
  GHashTable *open;         /* counted GSocket (a ref) → Conn */
  GHashTable *per_address;  /* address text → open connections */
  guint       max_connections;
  guint       max_per_address;
  guint       idle_timeout;
  guint       sweep;
};

G_DEFINE_FINAL_TYPE (SabanListener, saban_listener, G_TYPE_OBJECT)

/* a socket refused and shut: not counted, and not counted again */
static const char refused_key[] = "saban-refused";

static void
conn_free (gpointer data)
{
  Conn *c = data;

  if (c->watch != NULL)
    {
      g_source_destroy (c->watch);
      g_source_unref (c->watch);
    }
  g_free (c->address);
  g_free (c);
}

static void
release (SabanListener *self, GSocket *sock)
{
  Conn *c = g_hash_table_lookup (self->open, sock);
  guint n;

  if (c == NULL)
    return;
  n = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, c->address));
  if (n <= 1)
    g_hash_table_remove (self->per_address, c->address);
  else
    g_hash_table_insert (self->per_address, g_strdup (c->address), GUINT_TO_POINTER (n - 1));
  g_hash_table_remove (self->open, sock);
}

static gboolean
sweep (gpointer data)
{
  SabanListener *self = data;
  g_autoptr(GPtrArray) closed = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer sock;

  g_hash_table_iter_init (&iter, self->open);
  while (g_hash_table_iter_next (&iter, &sock, NULL))
    if (g_socket_is_closed (sock))
      g_ptr_array_add (closed, sock);
  for (guint i = 0; i < closed->len; i++)
    release (self, g_ptr_array_index (closed, i));
  return G_SOURCE_CONTINUE;
}

static void
saban_listener_dispose (GObject *object)
{
  SabanListener *self = SABAN_LISTENER (object);

  saban_listener_stop (self);
  g_clear_pointer (&self->sockets, g_ptr_array_unref);
  if (self->soup != NULL)
    g_signal_handlers_disconnect_by_data (self->soup, self);
  g_clear_object (&self->soup);
  g_clear_pointer (&self->open, g_hash_table_unref);
  g_clear_pointer (&self->per_address, g_hash_table_unref);
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
  self->open = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, conn_free);
  self->per_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->max_connections = SABAN_MAX_CONNECTIONS;
  self->max_per_address = SABAN_MAX_CONNECTIONS_PER_PEER;
  self->idle_timeout = SABAN_IDLE_TIMEOUT_S;
}

/* A short answer, then the connection shut both ways: libsoup reads the end
 * of the stream and lets the connection go. Over HTTPS the connection is
 * shut without a word: request-started comes before libsoup's TLS
 * handshake, so the 503 would reach a client expecting a ServerHello as
 * plain text, garbage to it; a closed connection is a clean TLS failure
 * ("connection closed during the handshake") its retry logic knows. */
static void
refuse (GSocket *sock, const char *address, gboolean per_address, gboolean tls)
{
  static const char fmt[] = "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 5\r\n"
                            "Content-Type: application/json\r\nX-Content-Type-Options: nosniff\r\n"
                            "Content-Length: %zu\r\n\r\n%s";
  const char *body = per_address ? "{\"code\":\"too-many-connections\",\"description\":\"too many open connections "
                                   "from this address\"}"
                                 : "{\"code\":\"too-many-connections\",\"description\":\"the server has as many "
                                   "connections as it serves\"}";
  g_autofree char *text = g_strdup_printf (fmt, strlen (body), body);

  g_object_set_data (G_OBJECT (sock), refused_key, GINT_TO_POINTER (TRUE));
  if (!tls)
    g_socket_send_with_blocking (sock, text, strlen (text), FALSE, NULL, NULL);
  g_socket_shutdown (sock, TRUE, TRUE, NULL);
  g_printerr ("saban-server: refused a connection from %s: %s\n", address,
              per_address ? "per-address limit" : "connection limit");
}

static void
unwatch (Conn *c)
{
  if (c->watch == NULL)
    return;
  g_source_destroy (c->watch);
  g_clear_pointer (&c->watch, g_source_unref);
}

/* The socket woke between requests: the next request (libsoup reads it),
 * the client's close, or the socket's timeout (the connection was idle too
 * long). */
static gboolean
idle_socket_ready (GSocket *sock, GIOCondition condition, gpointer data)
{
  SabanListener *self = data;
  Conn *c = g_hash_table_lookup (self->open, sock);
  char byte;

  if (c == NULL)
    return G_SOURCE_REMOVE;
  if (recv (g_socket_get_fd (sock), &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0)
    {
      g_clear_pointer (&c->watch, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  g_clear_pointer (&c->watch, g_source_unref);
  g_socket_close (sock, NULL);
  release (self, sock);
  return G_SOURCE_REMOVE;
}

static void
request_ended (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  SabanListener *self = data;
  GSocket *sock = g_object_get_data (G_OBJECT (msg), "saban-socket");
  Conn *c = sock != NULL ? g_hash_table_lookup (self->open, sock) : NULL;

  if (c == NULL || c->watch != NULL || g_socket_is_closed (sock))
    return;
  c->watch = g_socket_create_source (sock, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (c->watch, G_SOURCE_FUNC (idle_socket_ready), self, NULL);
  g_source_attach (c->watch, NULL);
}

/* @msg's connection closed, or the server took it back to refuse it. */
static void
disconnected (SoupServerMessage *msg, gpointer data)
{
  SabanListener *self = data;
  GSocket *sock = g_object_get_data (G_OBJECT (msg), "saban-socket");

  if (sock != NULL)
    release (self, sock);
}

/* Every request starts here, the first of a connection as soon as it is
 * accepted: a socket not seen before is a new connection to count. */
static void
request_started (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  SabanListener *self = data;
  GSocket *sock = soup_server_message_get_socket (msg);
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  g_autofree char *address = NULL;
  Conn *c;
  guint n;

  if (sock == NULL || g_object_get_data (G_OBJECT (sock), refused_key) != NULL)
    return;
  g_object_set_data_full (G_OBJECT (msg), "saban-socket", g_object_ref (sock), g_object_unref);
  g_signal_connect_object (msg, "disconnected", G_CALLBACK (disconnected), self, 0);
  if ((c = g_hash_table_lookup (self->open, sock)) != NULL)
    {
      unwatch (c);
      return;
    }
  if (remote == NULL || !G_IS_INET_SOCKET_ADDRESS (remote))
    {
      g_socket_shutdown (sock, TRUE, TRUE, NULL);
      return;
    }
  address = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
  n = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, address));
  if (g_hash_table_size (self->open) >= self->max_connections || n >= self->max_per_address)
    {
      refuse (sock, address, n >= self->max_per_address, soup_server_is_https (self->soup));
      return;
    }
  g_hash_table_insert (self->per_address, g_strdup (address), GUINT_TO_POINTER (n + 1));
  c = g_new0 (Conn, 1);
  c->address = g_steal_pointer (&address);
  g_hash_table_insert (self->open, g_object_ref (sock), c);
  /* while libsoup waits on the socket, a silence this long ends it */
  g_socket_set_timeout (sock, self->idle_timeout);
}

/**
 * saban_listener_new:
 * Counts and limits the connections @soup accepts on the sockets this
 * listener gives it.
 */
SabanListener *
saban_listener_new (SoupServer *soup)
{
  SabanListener *self = g_object_new (SABAN_TYPE_LISTENER, NULL);

  self->soup = g_object_ref (soup);
  self->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  /* before any other handler, so a refused connection is refused first */
  g_signal_connect (soup, "request-started", G_CALLBACK (request_started), self);
  g_signal_connect (soup, "request-finished", G_CALLBACK (request_ended), self);
  g_signal_connect (soup, "request-aborted", G_CALLBACK (request_ended), self);
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
  g_autoptr(GSocket) sock = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                                          G_SOCKET_PROTOCOL_TCP, error);

  if (sock == NULL)
    return FALSE;
  g_socket_set_listen_backlog (sock, SABAN_LISTEN_BACKLOG);
  if (!g_socket_bind (sock, address, TRUE, error) || !g_socket_listen (sock, error) ||
      !soup_server_listen_socket (self->soup, sock,
                                  soup_server_is_https (self->soup) ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    return FALSE;
  g_ptr_array_add (self->sockets, g_steal_pointer (&sock));
  if (self->sweep == 0)
    self->sweep = g_timeout_add_seconds (1, sweep, self);
  return TRUE;
}

void
saban_listener_stop (SabanListener *self)
{
  g_clear_handle_id (&self->sweep, g_source_remove);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  for (guint i = 0; self->sockets != NULL && i < self->sockets->len; i++)
    g_socket_close (g_ptr_array_index (self->sockets, i), NULL);
}

/**
 * saban_listener_get_n_connections:
 * Connections open now (for /health).
 */
guint
saban_listener_get_n_connections (SabanListener *self)
{
  return g_hash_table_size (self->open);
}
