/* saban-server.c: the HTTP front of saban-server.
 *
 * Connections come through SabanListener (connection limits). One early
 * handler refuses what can be refused from the headers (a body over the
 * limit, several byte ranges) and counts a body while it arrives; one
 * handler takes every request: rate limit, UTF-8, bearer token, then the
 * shared route table. Each finished request is logged as one JSON line on
 * stdout (method, path, status, duration, user).
 */
#include "saban-server.h"

struct _SabanServer
{
  GObject       parent_instance;
  SoupServer   *soup;
  SabanListener *listener;
  SabanStore   *store;
  SabanMqtt    *mqtt;
  SabanRouter  *router;
  GPtrArray    *collections;
  SabanServerLimits limits;
  GHashTable   *buckets;  /* client address → Bucket */
  char         *base_url; /* every link the server writes starts with it */
  SabanTokenLookup token_lookup;
  guint         drain_soon;   /* drains the MQTT outbox shortly after a write */
  guint         drain_sweep;  /* and every few seconds: what another server left */
};

typedef struct
{
  double tokens;
  gint64 last;
} Bucket;

G_DEFINE_FINAL_TYPE (SabanServer, saban_server, G_TYPE_OBJECT)

#define OUTBOX_SWEEP_S 2  /* see "MQTT after commit" */

static gboolean sweep_outbox (gpointer data);
static gboolean drain_outbox (gpointer data);

static void
collection_free (gpointer data)
{
  SabanCollection *c = data;

  g_free (c->id);
  g_free (c->title);
  g_free (c->description);
  if (c->free_data != NULL)
    c->free_data (c->data);
  g_free (c);
}

static void
saban_server_dispose (GObject *object)
{
  SabanServer *self = SABAN_SERVER (object);

  saban_server_disconnect (self);
  g_clear_handle_id (&self->drain_soon, g_source_remove);
  g_clear_handle_id (&self->drain_sweep, g_source_remove);
  g_clear_object (&self->listener);
  g_clear_object (&self->soup);
  g_clear_object (&self->router);
  g_clear_object (&self->mqtt);
  g_clear_object (&self->store);
  g_clear_pointer (&self->collections, g_ptr_array_unref);
  g_clear_pointer (&self->buckets, g_hash_table_unref);
  g_clear_pointer (&self->base_url, g_free);
  G_OBJECT_CLASS (saban_server_parent_class)->dispose (object);
}

static void
saban_server_class_init (SabanServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = saban_server_dispose;
}

static void
saban_server_init (SabanServer *self)
{
  self->collections = g_ptr_array_new_with_free_func (collection_free);
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  saban_server_limits_init (&self->limits);
}

static gboolean
rate_allows (SabanServer *self, const char *client)
{
  Bucket *b;
  gint64 now = g_get_monotonic_time ();

  if (self->limits.rate == 0)
    return TRUE;
  if (g_hash_table_size (self->buckets) > 10000)
    g_hash_table_remove_all (self->buckets);
  b = g_hash_table_lookup (self->buckets, client ? client : "");
  if (b == NULL)
    {
      b = g_new0 (Bucket, 1);
      b->tokens = 2.0 * self->limits.rate;
      b->last = now;
      g_hash_table_insert (self->buckets, g_strdup (client ? client : ""), b);
    }
  /* A token bucket: `rate` requests a second, bursts of twice that. */
  b->tokens = MIN (2.0 * self->limits.rate, b->tokens + (now - b->last) * (double) self->limits.rate / G_USEC_PER_SEC);
  b->last = now;
  if (b->tokens < 1.0)
    return FALSE;
  b->tokens -= 1.0;
  return TRUE;
}

static void log_request (SoupServerMessage *msg, const char *outcome);

/* After a refusal the rest of the body is read and dropped for a while, so
 * a client still sending it gets to read the answer (a close with unread
 * data would reset the connection under it); then the connection closes. */
#define LINGER_BYTES (16 * 1024 * 1024)
#define LINGER_US    (5 * G_USEC_PER_SEC)

typedef struct
{
  GIOStream *stream;
  char      *text;
  gsize      drained;
  gint64     until;
} Refusal;

static void
refusal_close (Refusal *r)
{
  g_io_stream_close_async (r->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_object_unref (r->stream);
  g_free (r->text);
  g_free (r);
}

static void
refusal_drained (GObject *source, GAsyncResult *result, gpointer data)
{
  Refusal *r = data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0 || (r->drained += g_bytes_get_size (bytes)) > LINGER_BYTES ||
      g_get_monotonic_time () > r->until)
    {
      refusal_close (r);
      return;
    }
  g_input_stream_read_bytes_async (G_INPUT_STREAM (source), 65536, G_PRIORITY_DEFAULT, NULL, refusal_drained, r);
}

static void
refusal_written (GObject *source, GAsyncResult *result, gpointer data)
{
  Refusal *r = data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      refusal_close (r);
      return;
    }
  r->until = g_get_monotonic_time () + LINGER_US;
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (r->stream), 65536, G_PRIORITY_DEFAULT, NULL,
                                   refusal_drained, r);
}

/* Answers @msg with an error at once and closes its connection, without
 * keeping the rest of its body: libsoup would otherwise read (and keep) the
 * whole body before a handler could answer. */
static void
refuse_now (SoupServerMessage *msg, guint status, const char *code, const char *description)
{
  g_autofree char *body = saban_error_json (code, description, NULL);
  GIOStream *stream;
  Refusal *r;

  soup_server_message_set_status (msg, status, NULL);
  log_request (msg, "refused");
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  r = g_new0 (Refusal, 1);
  r->stream = stream;
  r->text = g_strdup_printf ("HTTP/1.1 %u %s\r\nConnection: close\r\nContent-Type: application/json\r\n"
                             "X-Content-Type-Options: nosniff\r\nContent-Length: %zu\r\n\r\n%s",
                             status, soup_status_get_phrase (status), strlen (body), body);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), r->text, strlen (r->text),
                                   G_PRIORITY_DEFAULT, NULL, refusal_written, r);
}

static char *
too_large (SabanServer *self)
{
  return g_strdup_printf ("the body is larger than %" G_GSIZE_FORMAT " bytes", self->limits.max_body);
}

/* A body without a length (chunked) is counted as it arrives. */
static void
got_chunk (SoupServerMessage *msg, GBytes *chunk, gpointer data)
{
  SabanServer *self = data;
  gsize *received = g_object_get_data (G_OBJECT (msg), "saban-received");

  if (received == NULL)
    {
      received = g_new0 (gsize, 1);
      g_object_set_data_full (G_OBJECT (msg), "saban-received", received, g_free);
    }
  *received += g_bytes_get_size (chunk);
  if (*received > self->limits.max_body)
    {
      g_autofree char *d = too_large (self);

      g_signal_handlers_disconnect_by_func (msg, got_chunk, data);
      refuse_now (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", d);
    }
}

static void
early_handler (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  SabanServer *self = data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *range = soup_message_headers_get_one (headers, "Range");

  /* Refuse an oversized body from its headers, before reading it. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) self->limits.max_body)
    {
      g_autofree char *d = too_large (self);

      refuse_now (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", d);
      return;
    }
  /* libsoup answers several ranges with a multipart body of all of them:
   * overlapping ranges would multiply a response. One range is enough. */
  if (range != NULL && strchr (range, ',') != NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
      saban_message_error (msg, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE, "bad-range",
                           "one byte range at most", NULL);
      return;
    }
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk), self);
}

/* libsoup hands headers over already made valid, with U+FFFD where the
 * bytes were not UTF-8: that stand-in is refused as the bytes would be. */
static gboolean
header_utf8 (SoupMessageHeaders *headers)
{
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (!g_utf8_validate (name, -1, NULL) || !g_utf8_validate (value, -1, NULL) ||
        strstr (value, "\xef\xbf\xbd") != NULL)
      return FALSE;
  return TRUE;
}

/* The path, the query and the headers are text: bytes that are not UTF-8
 * (or an escaped NUL) are refused before anything reads them. */
static gboolean
request_is_utf8 (SabanRequest *req)
{
  g_autofree char *path = g_uri_unescape_string (req->path, NULL);
  GHashTableIter iter;
  gpointer k, v;

  if (path == NULL || !g_utf8_validate (path, -1, NULL))
    return FALSE;
  g_hash_table_iter_init (&iter, req->query);
  while (g_hash_table_iter_next (&iter, &k, &v))
    if (!g_utf8_validate (k, -1, NULL) || !g_utf8_validate (v, -1, NULL))
      return FALSE;
  return header_utf8 (soup_server_message_get_request_headers (req->msg));
}

static void
reply_unavailable (SoupServerMessage *msg)
{
  g_autoptr(GError) error = g_error_new_literal (SABAN_STORE_ERROR, SABAN_STORE_ERROR_UNAVAILABLE,
                                                 "the database is unavailable");

  saban_message_storage_error (msg, error);
}

static void
handler (SoupServer *soup, SoupServerMessage *msg, const char *unused_path, GHashTable *query, gpointer data)
{
  SabanServer *self = data;
  SabanRequest req = { 0 };
  g_autoptr(GHashTable) empty = NULL;
  g_autoptr(GBytes) body = NULL;
  g_auto(GStrv) params = NULL;
  g_autofree char *allow = NULL, *user = NULL, *role = NULL;
  const char *auth;
  gpointer route_data = NULL;
  SabanRouteFunc func;
  SoupMessageBody *request_body;
  guint failures;

  if (soup_server_message_get_status (msg) != 0)
    return;  /* refused by the early handler */

  req.server = self;
  req.base_url = saban_server_get_base_url (self);
  req.max_response = saban_server_get_limits (self)->max_response;
  req.msg = msg;
  req.method = soup_server_message_get_method (msg);
  req.path = g_uri_get_path (soup_server_message_get_uri (msg));
  if (query == NULL)
    query = empty = g_hash_table_new (g_str_hash, g_str_equal);
  req.query = query;

  if (!rate_allows (self, soup_server_message_get_remote_host (msg)))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      saban_request_error (&req, 429, "rate-limited",
                           "more than %u requests a second from this client", self->limits.rate);
      return;
    }
  if (!request_is_utf8 (&req))
    {
      saban_request_error (&req, SOUP_STATUS_BAD_REQUEST, "bad-encoding",
                           "the path, the query and the headers must be UTF-8");
      return;
    }

  failures = saban_store_get_unavailable_count (self->store);

  request_body = soup_server_message_get_request_body (msg);
  body = soup_message_body_flatten (request_body);
  req.body = body;

  auth = saban_request_header (&req, "Authorization");
  if (auth != NULL)
    {
      if (g_ascii_strncasecmp (auth, "Bearer ", 7) != 0 || self->token_lookup == NULL ||
          !self->token_lookup (self->store, auth + 7, &user, &role))
        {
          if (saban_store_get_unavailable_count (self->store) != failures)
            {
              reply_unavailable (msg);
              return;
            }
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "WWW-Authenticate", "Bearer realm=\"saban\", error=\"invalid_token\"");
          saban_request_error (&req, SOUP_STATUS_UNAUTHORIZED, "invalid-token",
                               "the bearer token is unknown or expired");
          return;
        }
      req.user = user;
      req.role = role;
      g_object_set_data_full (G_OBJECT (msg), "saban-user", g_strdup (user), g_free);
    }

  func = saban_router_lookup (self->router, req.method, req.path, &params, &route_data, &allow);
  if (func == NULL)
    {
      if (allow != NULL)
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
          saban_request_error (&req, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
                               "%s is not allowed here; allowed: %s", req.method, allow);
        }
      else
        saban_request_error (&req, SOUP_STATUS_NOT_FOUND, "not-found", "no resource at this path");
      return;
    }
  req.params = params;
  func (&req, route_data);
  /* a write's messages leave before its answer does, as clients expect */
  if (self->drain_soon != 0)
    {
      g_clear_handle_id (&self->drain_soon, g_source_remove);
      drain_outbox (self);
    }
  /* the database went away while the handler ran: what it answered from a
   * failed read ("no such item", say) is not the truth, and a client's
   * outbox must keep the write for later */
  if (saban_store_get_unavailable_count (self->store) != failures &&
      soup_server_message_get_status (msg) != SOUP_STATUS_NONE)
    reply_unavailable (msg);
}

static void
request_started (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  gint64 *start = g_new (gint64, 1);

  *start = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), "saban-start", start, g_free);
  /* every response, even libsoup's own 400 for a malformed request */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-Content-Type-Options", "nosniff");
}

static void
log_request (SoupServerMessage *msg, const char *outcome)
{
  gint64 *start = g_object_get_data (G_OBJECT (msg), "saban-start");
  const char *user = g_object_get_data (G_OBJECT (msg), "saban-user");
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL, *now = saban_store_now ();
  GUri *uri = soup_server_message_get_uri (msg);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ts");
  json_builder_add_string_value (b, now);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, soup_server_message_get_method (msg));
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, uri ? g_uri_get_path (uri) : "");
  json_builder_set_member_name (b, "status");
  json_builder_add_int_value (b, soup_server_message_get_status (msg));
  json_builder_set_member_name (b, "ms");
  json_builder_add_double_value (b, start ? (g_get_monotonic_time () - *start) / 1000.0 : 0.0);
  json_builder_set_member_name (b, "user");
  if (user != NULL)
    json_builder_add_string_value (b, user);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "client");
  json_builder_add_string_value (b, soup_server_message_get_remote_host (msg));
  if (outcome != NULL)
    {
      json_builder_set_member_name (b, "outcome");
      json_builder_add_string_value (b, outcome);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  line = json_to_string (root, FALSE);
  g_print ("%s\n", line);
}

static void
request_finished (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  log_request (msg, NULL);
}

static void
request_aborted (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  log_request (msg, "aborted");
}

/* GET /health: for a load balancer too, so a server that cannot reach its
 * database says 503 (the landing page and other routes that need no
 * database keep answering). */
static void
health (SabanRequest *req, gpointer data)
{
  SabanServer *self = req->server;
  g_autoptr(JsonObject) obj = json_object_new ();
  gboolean database = saban_store_exec (self->store, "SELECT 1", NULL);

  json_object_set_string_member (obj, "status", database ? "ok" : "database-unavailable");
  json_object_set_int_member (obj, "schemaVersion", saban_store_get_schema_version (self->store));
  json_object_set_string_member (obj, "database", database ? "available" : "unavailable");
  json_object_set_string_member (obj, "mqtt", self->mqtt == NULL ? "off"
                                 : saban_mqtt_is_connected (self->mqtt) ? "connected" : "disconnected");
  json_object_set_int_member (obj, "connections", saban_listener_get_n_connections (self->listener));
  saban_request_reply_object (req, database ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE, NULL, obj);
}

/**
 * saban_server_new:
 * @mqtt: (nullable): where changes are published
 */
SabanServer *
saban_server_new (SabanStore *store, SabanMqtt *mqtt)
{
  SabanServer *self = g_object_new (SABAN_TYPE_SERVER, NULL);

  self->store = g_object_ref (store);
  self->mqtt = mqtt ? g_object_ref (mqtt) : NULL;
  if (self->mqtt != NULL)
    self->drain_sweep = g_timeout_add_seconds (OUTBOX_SWEEP_S, sweep_outbox, self);
  self->router = saban_router_new ();
  self->soup = soup_server_new ("server-header", "saban-server/" PACKAGE_VERSION, NULL);
  self->listener = saban_listener_new (self->soup);
  soup_server_add_early_handler (self->soup, NULL, early_handler, self, NULL);
  soup_server_add_handler (self->soup, NULL, handler, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (request_finished), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (request_aborted), self);
  saban_router_add (self->router, "GET", "/health", health, NULL);
  return self;
}

/**
 * saban_server_limits_init:
 * Fills @limits with the defaults.
 */
void
saban_server_limits_init (SabanServerLimits *limits)
{
  limits->max_body = SABAN_MAX_BODY;
  limits->max_response = SABAN_MAX_RESPONSE;
  limits->rate = SABAN_RATE_LIMIT;
  limits->max_connections = SABAN_MAX_CONNECTIONS;
  limits->max_per_address = SABAN_MAX_CONNECTIONS_PER_PEER;
  limits->idle_timeout = SABAN_IDLE_TIMEOUT_S;
}

/**
 * saban_server_set_limits:
 * Takes a copy of @limits; call before saban_server_listen().
 */
void
saban_server_set_limits (SabanServer *self, const SabanServerLimits *limits)
{
  self->limits = *limits;
  saban_listener_set_limits (self->listener, limits->max_connections, limits->max_per_address,
                             limits->idle_timeout);
}

const SabanServerLimits *
saban_server_get_limits (SabanServer *self)
{
  return &self->limits;
}

/**
 * saban_server_set_public_url:
 * @url: "http(s)://host[:port][/prefix]", where clients reach the server
 *   (through a reverse proxy, say)
 *
 * Every link the server writes starts with it; a request's Host header is
 * never used, so a caller cannot make the server write links elsewhere.
 */
gboolean
saban_server_set_public_url (SabanServer *self, const char *url, GError **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;
  g_autofree char *text = NULL;

  if (uri == NULL || (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' || g_uri_get_userinfo (uri) != NULL ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL || !g_utf8_validate (url, -1, NULL) ||
      strpbrk (url, "\"'<>\\ ") != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "the public URL must be http(s)://host[:port][/path], got %s", url);
      return FALSE;
    }
  text = g_uri_to_string (uri);
  while (g_str_has_suffix (text, "/"))
    text[strlen (text) - 1] = '\0';
  g_free (self->base_url);
  self->base_url = g_steal_pointer (&text);
  return TRUE;
}

/**
 * saban_server_set_tls_certificate:
 * @cert: the certificate (with its private key) to serve HTTPS with
 *
 * Call before saban_server_listen(): every socket then speaks HTTPS only.
 */
void
saban_server_set_tls_certificate (SabanServer *self, GTlsCertificate *cert)
{
  soup_server_set_tls_certificate (self->soup, cert);
}

gboolean
saban_server_listen (SabanServer *self, const char *host, guint port, GError **error)
{
  g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (host);
  g_autoptr(GSocketAddress) sa = NULL;

  if (addr == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "not an IP address: %s", host);
      return FALSE;
    }
  sa = g_inet_socket_address_new (addr, port);
  if (self->base_url == NULL)
    self->base_url = g_strdup_printf ("%s://%s%s%s:%u", soup_server_is_https (self->soup) ? "https" : "http",
                                      strchr (host, ':') ? "[" : "", host,
                                      strchr (host, ':') ? "]" : "", port);
  return saban_listener_listen (self->listener, sa, error);
}

/**
 * saban_server_get_base_url:
 * The public URL (saban_server_set_public_url()), else "http://host:port"
 * as the server listens: the start of every link in responses and in MQTT
 * payloads.
 */
const char *
saban_server_get_base_url (SabanServer *self)
{
  return self->base_url ? self->base_url : "http://127.0.0.1";
}

/**
 * saban_server_set_token_lookup:
 * How a bearer token is resolved; until one is set, every token is refused.
 */
void
saban_server_set_token_lookup (SabanServer *self, SabanTokenLookup lookup)
{
  self->token_lookup = lookup;
}

void
saban_server_disconnect (SabanServer *self)
{
  if (self->listener != NULL)
    saban_listener_stop (self->listener);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
}

SabanStore *
saban_server_get_store (SabanServer *self)
{
  return self->store;
}

SabanRouter *
saban_server_get_router (SabanServer *self)
{
  return self->router;
}

/* Takes ownership of @collection (g_new0'd, strings g_strdup'd). */
void
saban_server_add_collection (SabanServer *self, SabanCollection *collection)
{
  g_ptr_array_add (self->collections, collection);
}

SabanCollection *
saban_server_find_collection (SabanServer *self, const char *id)
{
  for (guint i = 0; i < self->collections->len; i++)
    {
      SabanCollection *c = g_ptr_array_index (self->collections, i);

      if (g_str_equal (c->id, id))
        return c;
    }
  return NULL;
}

GPtrArray *
saban_server_get_collections (SabanServer *self)
{
  return self->collections;
}

/* ---- MQTT after commit, through the database --------------------------------- */

/* Messages are written to the mqtt_outbox table in the transaction of the
 * change they announce, so a message exists exactly when its change was
 * committed; the server that wrote them drains them as the request ends
 * (before its answer goes out), and whichever server is connected to the
 * broker drains what is left every few seconds (what a server that died
 * after COMMIT left, or one away from the broker), with DELETE … RETURNING
 * skipping rows another server is taking: a change is published once
 * however many servers share the database. A message no server could send
 * within a few seconds is dropped, as a message to a broker that is away
 * always was: the database is the record, MQTT the nudge, and clients catch
 * up over HTTP when they reconnect. */
#define OUTBOX_STALE_US   (5 * G_USEC_PER_SEC)
#define OUTBOX_BATCH      500
#define OUTBOX_SOON_MS    20

typedef struct
{
  gint64  id;
  char   *topic;
  char   *payload;
} Message;

static void
message_clear (gpointer data)
{
  Message *m = data;

  g_free (m->topic);
  g_free (m->payload);
}

static int
message_compare (gconstpointer a, gconstpointer b)
{
  gint64 x = ((const Message *) a)->id, y = ((const Message *) b)->id;

  return x < y ? -1 : x > y;
}

/* Messages too old to announce go. */
static void
drop_stale (SabanServer *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) stale_time = g_date_time_add (now, -OUTBOX_STALE_US);
  g_autofree char *stale = saban_store_format_time (stale_time);
  g_autoptr(SabanStmt) drop = saban_store_prepare (self->store, "DELETE FROM mqtt_outbox WHERE created < ?", NULL);

  saban_stmt_bind_text (drop, 1, stale);
  saban_stmt_run (drop, NULL);
}

/* Takes up to a batch of messages out of the outbox, in the order written. */
static GArray *
take_messages (SabanServer *self)
{
  SabanStore *store = self->store;
  gboolean postgres = saban_store_get_dialect (store) == SABAN_DIALECT_POSTGRES;
  g_autoptr(SabanStmt) take = NULL;
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Message));

  g_array_set_clear_func (out, message_clear);
  take = saban_store_prepare (store, postgres
                              ? "DELETE FROM mqtt_outbox WHERE id IN (SELECT id FROM mqtt_outbox ORDER BY id "
                                "LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING id, topic, payload"
                              : "DELETE FROM mqtt_outbox WHERE id IN (SELECT id FROM mqtt_outbox ORDER BY id "
                                "LIMIT ?) RETURNING id, topic, payload", NULL);
  saban_stmt_bind_int64 (take, 1, OUTBOX_BATCH);
  while (saban_stmt_step (take, NULL))
    {
      Message m = { saban_stmt_column_int64 (take, 0), g_strdup (saban_stmt_column_text (take, 1)),
                    g_strdup (saban_stmt_column_text (take, 2)) };

      g_array_append_val (out, m);
    }
  /* RETURNING gives no order */
  g_array_sort (out, message_compare);
  return out;
}

static void
drain_later (SabanServer *self, guint ms)
{
  if (self->drain_soon == 0)
    self->drain_soon = g_timeout_add (ms, drain_outbox, self);
}

static gboolean
drain_outbox (gpointer data)
{
  SabanServer *self = data;
  g_autoptr(GArray) messages = NULL;

  self->drain_soon = 0;
  if (!saban_mqtt_is_connected (self->mqtt) || saban_store_in_transaction (self->store))
    return G_SOURCE_REMOVE;
  drop_stale (self);
  messages = take_messages (self);
  for (guint i = 0; i < messages->len; i++)
    {
      Message *m = &g_array_index (messages, Message, i);

      saban_mqtt_publish (self->mqtt, m->topic, m->payload);
    }
  if (messages->len == OUTBOX_BATCH)
    drain_later (self, 0);
  return G_SOURCE_REMOVE;
}

static gboolean
sweep_outbox (gpointer data)
{
  SabanServer *self = data;

  /* away from the broker: what is stale goes all the same, the table stays small */
  if (!saban_store_in_transaction (self->store))
    drop_stale (self);
  drain_outbox (self);
  return G_SOURCE_CONTINUE;
}

/**
 * saban_server_publish:
 * Announces @payload on @topic once the change it describes is committed:
 * call it inside the change's transaction (the message is written with
 * it; see "MQTT after commit" above). Nothing happens without --mqtt.
 */
void
saban_server_publish (SabanServer *self, const char *topic, JsonNode *payload)
{
  g_autofree char *text = NULL, *now = NULL;
  g_autoptr(SabanStmt) st = NULL;

  if (self->mqtt == NULL)
    return;
  text = json_to_string (payload, FALSE);
  now = saban_store_now ();
  st = saban_store_prepare (self->store, "INSERT INTO mqtt_outbox (topic, payload, created) VALUES (?, ?, ?)", NULL);
  saban_stmt_bind_text (st, 1, topic);
  saban_stmt_bind_text (st, 2, text);
  saban_stmt_bind_text (st, 3, now);
  if (saban_stmt_run (st, NULL))
    drain_later (self, OUTBOX_SOON_MS);
}
