/* saban-api.c: one HTTP client per server — the one SoupSession every
 * reader and writer of that server shares.
 *
 * The policy lives here once:
 * - bearer auth: the signed-in account's token goes with every request to
 *   this server (never to another: a URL off the server is refused), except
 *   anonymous reads;
 * - time: 20 s without progress ends any request, unless the call sets its
 *   own (saban_api_message_set_timeout: a backup the server answers once
 *   made and checked); "is the server there" probes give up after 5 s in all;
 * - retries: a read that finds the server away, timing out, busy (429, 503)
 *   or failing (5xx) is tried again twice, after 0.5 s and 1 s — or after
 *   the server's Retry-After, when it says one (up to 30 s; a longer wait
 *   is the caller's to make); writes are sent once (the outbox retries
 *   them with their idempotency key);
 * - a token refused: a 401 answering a request that carried the token in
 *   use is said once, on the main context, by "token-refused" (the
 *   connection then asks the user to sign in again);
 * - TLS: certificates are always verified, against the system's authorities
 *   or the one file of authorities the province's PKI gives
 *   (saban_api_set_ca_file); plain HTTP goes only to this machine (loopback)
 *   unless the user allowed it (saban_api_set_allow_plain_http, which the
 *   window then warns of): a token, a password or a citizen's phone never
 *   crosses the network in clear by mistake;
 * - errors: transport errors and HTTP statuses become SABAN_API_ERROR codes
 *   whose message is the raw detail for the log; saban_api_describe_error()
 *   turns one into a Vietnamese sentence that says what to do.
 *
 * Since libsoup 3.2 a session may send from any thread once it is set up:
 * the outbox's worker sends synchronously through the same session while
 * the main thread reads asynchronously. The base URL and the token are
 * read under a lock for that reason.
 *
 * Over a thousand lines: the one HTTP client of a server is its policy (bearer,
 * deadlines, retries, Retry-After, bounds, TLS, plain HTTP) and the error
 * wording in Vietnamese, which are meant to be in one place.
 */
#include "saban-api.h"
#include "saban-json.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "saban-json.h"

#define IO_TIMEOUT_S 20
#define IDLE_TIMEOUT_S 60
#define PROBE_DEADLINE_S 5
#define MAX_ATTEMPTS 3
#define RETRY_DELAY_MS 500
/* a read waits this long at most for the server's Retry-After */
#define MAX_RETRY_AFTER_S 30
/* a Retry-After beyond an hour is taken as an hour */
#define RETRY_AFTER_CAP_S 3600
/* the part of a server's error answer read for its code */
#define MAX_ERROR_CODE 64

struct _SabanApi
{
  GObject      parent_instance;
  SoupSession *session;
  GMutex       lock;          /* base_url and token, read from the outbox's worker */
  char        *base_url;
  char        *token;
  guint        retry_delay;   /* ms before the second attempt; doubled after */
  gboolean     allow_plain;   /* plain HTTP to a server on the network */
  GMainContext *context;      /* where "token-refused" is emitted */
};

enum { PROP_0, PROP_BASE_URL, PROP_TOKEN, PROP_PLAIN_HTTP, N_PROPS };
enum { SIGNAL_TOKEN_REFUSED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanApi, saban_api, G_TYPE_OBJECT)
G_DEFINE_QUARK (saban-api-error-quark, saban_api_error)

static void
saban_api_finalize (GObject *object)
{
  SabanApi *self = SABAN_API (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->lock);
  g_free (self->base_url);
  g_free (self->token);
  G_OBJECT_CLASS (saban_api_parent_class)->finalize (object);
}

static void
saban_api_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SabanApi *self = SABAN_API (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, saban_api_get_base_url (self));
      break;
    case PROP_TOKEN:
      g_value_set_string (value, saban_api_get_token (self));
      break;
    case PROP_PLAIN_HTTP:
      g_value_set_boolean (value, saban_api_get_plain_http (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_api_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SabanApi *self = SABAN_API (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      saban_api_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_TOKEN:
      saban_api_set_token (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_api_class_init (SabanApiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = saban_api_finalize;
  object_class->get_property = saban_api_get_property;
  object_class->set_property = saban_api_set_property;

  /* the server, e.g. "https://ioc.laocai.gov.vn", without a trailing slash */
  properties[PROP_BASE_URL] = g_param_spec_string ("base-url", NULL, NULL, "", flags);
  /* the signed-in account's bearer token, or NULL */
  properties[PROP_TOKEN] = g_param_spec_string ("token", NULL, NULL, NULL, flags);
  /* requests go in clear to a server on the network, as the user allowed */
  properties[PROP_PLAIN_HTTP] = g_param_spec_boolean ("plain-http", NULL, NULL, FALSE,
                                                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                      G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (const char *token): the server answered 401 to a request that carried
   * @token (which may since have been replaced: compare it) */
  signals[SIGNAL_TOKEN_REFUSED] = g_signal_new ("token-refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
saban_api_init (SabanApi *self)
{
  g_mutex_init (&self->lock);
  self->base_url = g_strdup ("");
  self->retry_delay = RETRY_DELAY_MS;
  self->context = g_main_context_ref_thread_default ();
  self->session = soup_session_new_with_options ("timeout", IO_TIMEOUT_S, "idle-timeout", IDLE_TIMEOUT_S, NULL);
}

/**
 * saban_api_new:
 * @base_url: the server, e.g. "http://127.0.0.1:8080"; a trailing slash is
 *   dropped
 *
 * Returns: (transfer full): the server's client
 */
SabanApi *
saban_api_new (const char *base_url)
{
  return g_object_new (SABAN_TYPE_API, "base-url", base_url, NULL);
}

/**
 * saban_api_get_base_url:
 * Returns: the server's URL, without a trailing slash
 */
const char *
saban_api_get_base_url (SabanApi *self)
{
  g_return_val_if_fail (SABAN_IS_API (self), NULL);
  return self->base_url;
}

/**
 * saban_api_set_base_url:
 *
 * Points the client at another server (Preferences). The token stays
 * until whoever signs in sets another.
 */
void
saban_api_set_base_url (SabanApi *self, const char *base_url)
{
  g_autofree char *url = g_strdup (base_url != NULL ? base_url : "");
  g_autofree char *old = NULL;
  gboolean was_plain;

  g_return_if_fail (SABAN_IS_API (self));

  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  g_mutex_lock (&self->lock);
  if (g_str_equal (url, self->base_url))
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  /* getters are the main thread's, which is also the only setter */
  was_plain = self->allow_plain && saban_api_url_is_plain_remote (self->base_url);
  old = g_steal_pointer (&self->base_url);
  self->base_url = g_steal_pointer (&url);
  g_mutex_unlock (&self->lock);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
  if (was_plain != saban_api_get_plain_http (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAIN_HTTP]);
}

/**
 * saban_api_get_token:
 * Returns: (nullable): the bearer token requests carry
 */
const char *
saban_api_get_token (SabanApi *self)
{
  g_return_val_if_fail (SABAN_IS_API (self), NULL);
  return self->token;
}

/**
 * saban_api_set_token:
 * @token: (nullable): the signed-in account's bearer token, NULL for none
 */
void
saban_api_set_token (SabanApi *self, const char *token)
{
  g_autofree char *old = NULL;

  g_return_if_fail (SABAN_IS_API (self));

  g_mutex_lock (&self->lock);
  if (g_strcmp0 (token, self->token) == 0)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  old = g_steal_pointer (&self->token);
  self->token = g_strdup (token);
  g_mutex_unlock (&self->lock);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

/**
 * saban_api_set_ca_file:
 * @path: a PEM file of the certificate authorities to trust instead of the
 *   system's, e.g. the province's own
 *
 * Call before the first request: a session is set up once.
 *
 * Returns: whether the file was read
 */
gboolean
saban_api_set_ca_file (SabanApi *self, const char *path, GError **error)
{
  g_autoptr(GTlsDatabase) database = NULL;

  g_return_val_if_fail (SABAN_IS_API (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  database = g_tls_file_database_new (path, error);
  if (database == NULL)
    return FALSE;
  soup_session_set_tls_database (self->session, database);
  return TRUE;
}

/**
 * saban_api_url_is_plain_remote:
 * @url: a server's URL
 *
 * The one decision of what plain HTTP is refused: an `http://` URL whose
 * host is not this machine (127.0.0.0/8, ::1, "localhost"). A name is not
 * resolved to find out: it could resolve anywhere.
 *
 * Returns: whether @url would carry requests in clear across a network
 */
gboolean
saban_api_url_is_plain_remote (const char *url)
{
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *host;

  if (uri == NULL || g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0)
    return FALSE;
  host = g_uri_get_host (uri);
  if (host == NULL || g_ascii_strcasecmp (host, "localhost") == 0)
    return FALSE;
  address = g_inet_address_new_from_string (host);
  return address == NULL || !g_inet_address_get_is_loopback (address);
}

/**
 * saban_api_set_allow_plain_http:
 * @allow: whether plain HTTP to a server on the network is allowed (the
 *   allow-plain-http setting); refused by default
 */
void
saban_api_set_allow_plain_http (SabanApi *self, gboolean allow)
{
  gboolean was_plain;

  g_return_if_fail (SABAN_IS_API (self));

  was_plain = saban_api_get_plain_http (self);
  g_mutex_lock (&self->lock);
  self->allow_plain = allow;
  g_mutex_unlock (&self->lock);
  if (was_plain != saban_api_get_plain_http (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAIN_HTTP]);
}

/**
 * saban_api_get_plain_http:
 *
 * Returns: whether requests go in clear to a server on the network (allowed
 *   by the user): what the window warns of
 */
gboolean
saban_api_get_plain_http (SabanApi *self)
{
  gboolean plain;

  g_return_val_if_fail (SABAN_IS_API (self), FALSE);

  g_mutex_lock (&self->lock);
  plain = self->allow_plain && saban_api_url_is_plain_remote (self->base_url);
  g_mutex_unlock (&self->lock);
  return plain;
}

/**
 * saban_api_set_retry_delay:
 * @milliseconds: the wait before a read's second attempt (doubled for the
 *   third); tests shorten it
 */
void
saban_api_set_retry_delay (SabanApi *self, guint milliseconds)
{
  g_return_if_fail (SABAN_IS_API (self));
  self->retry_delay = milliseconds;
}

/**
 * saban_api_url:
 * @path: a path on the server, from its root: "/collections/tasks/items"
 *
 * Returns: (transfer full): the absolute URL
 */
char *
saban_api_url (SabanApi *self, const char *path)
{
  char *url;

  g_return_val_if_fail (SABAN_IS_API (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  g_mutex_lock (&self->lock);
  url = g_strconcat (self->base_url, path, NULL);
  g_mutex_unlock (&self->lock);
  return url;
}

/* holds the lock */
static gboolean
owns_url_locked (SabanApi *self, const char *url)
{
  gsize n = strlen (self->base_url);

  return n > 0 && strncmp (url, self->base_url, n) == 0 && (url[n] == '\0' || url[n] == '/' || url[n] == '?');
}

/**
 * saban_api_owns_url:
 * @url: an absolute URL, e.g. a `next` link a server sent
 *
 * Returns: whether @url is on this server (under its base URL): the only
 *   URLs requests are sent to, so the token never leaves the server
 */
gboolean
saban_api_owns_url (SabanApi *self, const char *url)
{
  gboolean owns;

  g_return_val_if_fail (SABAN_IS_API (self), FALSE);

  g_mutex_lock (&self->lock);
  owns = url != NULL && owns_url_locked (self, url);
  g_mutex_unlock (&self->lock);
  return owns;
}

static SoupMessage *
new_message (SabanApi *self, const char *method, const char *url_or_path, gboolean anonymous, GError **error)
{
  g_autofree char *url = NULL;
  g_autofree char *bearer = NULL;
  SoupMessage *msg = NULL;

  g_mutex_lock (&self->lock);
  url = url_or_path[0] == '/' ? g_strconcat (self->base_url, url_or_path, NULL) : g_strdup (url_or_path);
  if (!self->allow_plain && saban_api_url_is_plain_remote (url))
    {
      g_mutex_unlock (&self->lock);
      g_set_error (error, SABAN_API_ERROR, SABAN_API_ERROR_PLAIN_HTTP, "plain HTTP to a server on the network: %s",
                   url);
      return NULL;
    }
  if (owns_url_locked (self, url))
    {
      msg = soup_message_new (method, url);
      if (!anonymous && self->token != NULL)
        bearer = g_strconcat ("Bearer ", self->token, NULL);
    }
  g_mutex_unlock (&self->lock);
  if (msg == NULL)
    {
      g_set_error (error, SABAN_API_ERROR, SABAN_API_ERROR_INVALID_URL, "not a URL of this server: %s", url);
      return NULL;
    }
  if (bearer != NULL)
    {
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
      /* which token it carried, for a 401 to name */
      g_object_set_data_full (G_OBJECT (msg), "saban-token", g_strdup (bearer + strlen ("Bearer ")), g_free);
    }
  return msg;
}

typedef struct
{
  SabanApi *api;
  char     *token;
} Refused;

static gboolean
emit_token_refused (gpointer data)
{
  Refused *r = data;

  g_signal_emit (r->api, signals[SIGNAL_TOKEN_REFUSED], 0, r->token);
  return G_SOURCE_REMOVE;
}

static void
refused_free (gpointer data)
{
  Refused *r = data;

  g_object_unref (r->api);
  g_free (r->token);
  g_free (r);
}

/* Any thread: a 401 to a request that carried a token is said on the
 * API's own context (the outbox's worker sends too). */
static void
note_answer (SabanApi *self, SoupMessage *msg)
{
  const char *token = g_object_get_data (G_OBJECT (msg), "saban-token");
  g_autoptr(GSource) idle = NULL;
  Refused *r;

  if (token == NULL || soup_message_get_status (msg) != SOUP_STATUS_UNAUTHORIZED)
    return;
  r = g_new0 (Refused, 1);
  r->api = g_object_ref (self);
  r->token = g_strdup (token);
  idle = g_idle_source_new ();
  g_source_set_callback (idle, emit_token_refused, r, refused_free);
  g_source_attach (idle, self->context);
}

/**
 * saban_api_new_message:
 * @url_or_path: a path from the server's root ("/auth/token") or an
 *   absolute URL on the server
 *
 * Returns: (transfer full) (nullable): a request carrying the account's
 *   token, or NULL (%SABAN_API_ERROR_INVALID_URL) for a URL off the server
 */
SoupMessage *
saban_api_new_message (SabanApi *self, const char *method, const char *url_or_path, GError **error)
{
  g_return_val_if_fail (SABAN_IS_API (self), NULL);
  g_return_val_if_fail (method != NULL && url_or_path != NULL, NULL);

  return new_message (self, method, url_or_path, FALSE, error);
}

/* On the connection made for this message alone: libsoup sets the
 * session's I/O timeout on a socket once, when it connects, so a longer one
 * is set on the socket right after, before the request is written. */
static void
lengthen_timeout (SoupMessage *msg, GSocketClientEvent event, GIOStream *connection, gpointer data)
{
  GIOStream *base = connection;

  if (event != G_SOCKET_CLIENT_COMPLETE || connection == NULL)
    return;
  if (G_IS_TLS_CONNECTION (connection))
    g_object_get (connection, "base-io-stream", &base, NULL);
  else
    g_object_ref (base);
  if (G_IS_SOCKET_CONNECTION (base))
    g_socket_set_timeout (g_socket_connection_get_socket (G_SOCKET_CONNECTION (base)), GPOINTER_TO_UINT (data));
  g_object_unref (base);
}

/**
 * saban_api_message_set_timeout:
 * @message: a request made by saban_api_new_message(), not sent yet
 * @seconds: how long the server may be silent before the call fails
 *   (instead of the 20 s every other call has)
 *
 * Gives one call its own deadline, in the one session: the request goes on
 * a connection of its own, which closes after it (no other request
 * inherits the longer deadline).
 */
void
saban_api_message_set_timeout (SoupMessage *message, guint seconds)
{
  g_return_if_fail (SOUP_IS_MESSAGE (message));

  soup_message_add_flags (message, SOUP_MESSAGE_NEW_CONNECTION);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Connection", "close");
  g_signal_connect (message, "network-event", G_CALLBACK (lengthen_timeout), GUINT_TO_POINTER (seconds));
}

/* ---- errors ------------------------------------------------------------ */

static gboolean
is_retryable (const GError *error)
{
  return g_error_matches (error, SABAN_API_ERROR, SABAN_API_ERROR_UNREACHABLE) ||
         g_error_matches (error, SABAN_API_ERROR, SABAN_API_ERROR_TIMEOUT) ||
         g_error_matches (error, SABAN_API_ERROR, SABAN_API_ERROR_BUSY) ||
         g_error_matches (error, SABAN_API_ERROR, SABAN_API_ERROR_SERVER);
}

/* The server ended the TLS handshake before it showed a certificate: not
 * a certificate to distrust but a server over its connection limit (an
 * HTTPS saban-server closes those without a word), so busy, retried. */
static gboolean
closed_in_handshake (SoupMessage *msg, const GError *error)
{
  return (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS) ||
          g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_EOF)) &&
         soup_message_get_tls_peer_certificate (msg) == NULL;
}

/* a transport error as ours; cancellation stays what it is */
static GError *
transport_error (SoupMessage *msg, GError *error)
{
  g_autofree char *uri = g_uri_to_string (soup_message_get_uri (msg));
  SabanApiError code = SABAN_API_ERROR_UNREACHABLE;
  GError *mapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    code = SABAN_API_ERROR_TIMEOUT;
  else if (closed_in_handshake (msg, error))
    code = SABAN_API_ERROR_BUSY;
  else if (error->domain == G_TLS_ERROR || soup_message_get_tls_peer_certificate_errors (msg) != 0)
    code = SABAN_API_ERROR_TLS;
  mapped = g_error_new (SABAN_API_ERROR, code, "%s %s: %s", soup_message_get_method (msg), uri, error->message);
  g_error_free (error);
  return mapped;
}

/**
 * saban_api_status_error:
 * @msg: a message answered
 *
 * Returns: (transfer full) (nullable): %NULL for a 2xx answer, else the
 *   %SABAN_API_ERROR its status is
 */
GError *
saban_api_status_error (SoupMessage *msg)
{
  guint status = soup_message_get_status (msg);
  g_autofree char *uri = NULL;
  SabanApiError code;

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return NULL;
  if (status == 401)
    code = SABAN_API_ERROR_UNAUTHORIZED;
  else if (status == 403)
    code = SABAN_API_ERROR_FORBIDDEN;
  else if (status == 404)
    code = SABAN_API_ERROR_NOT_FOUND;
  else if (status == 429 || status == 503)
    code = SABAN_API_ERROR_BUSY;
  else if (status >= 500)
    code = SABAN_API_ERROR_SERVER;
  else
    code = SABAN_API_ERROR_REFUSED;
  uri = g_uri_to_string (soup_message_get_uri (msg));
  return g_error_new (SABAN_API_ERROR, code, "%s %s: HTTP %u %s", soup_message_get_method (msg), uri, status,
                      soup_message_get_reason_phrase (msg) ? soup_message_get_reason_phrase (msg) : "");
}

/* the "code" of a server's JSON error answer ({"code":…}), or NULL */
static char *
answer_code (GBytes *body)
{
  g_autoptr(JsonNode) root = NULL;

  /* an error answer is small: a large one is not read for its code */
  if (body == NULL || g_bytes_get_size (body) == 0 || g_bytes_get_size (body) > 64 * 1024 ||
      (root = saban_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return g_strdup (saban_json_get_string (json_node_get_object (root), "code", MAX_ERROR_CODE));
}

/**
 * saban_api_answer_error:
 * @message: a request the server answered
 * @body: (nullable): the answer's body
 *
 * Returns: (transfer full) (nullable): NULL for a 2xx answer, else the
 *   error the answer is — refined by the server's error code where it says
 *   more than the status (a sign-in refused, an account locked)
 */
GError *
saban_api_answer_error (SoupMessage *message, GBytes *body)
{
  GError *error = saban_api_status_error (message);
  g_autofree char *code = NULL;

  if (error == NULL || (error->code != SABAN_API_ERROR_UNAUTHORIZED && error->code != SABAN_API_ERROR_FORBIDDEN))
    return error;
  code = answer_code (body);
  if (g_strcmp0 (code, "account-locked") == 0)
    error->code = SABAN_API_ERROR_ACCOUNT_LOCKED;
  else if (g_strcmp0 (code, "invalid-credentials") == 0)
    error->code = SABAN_API_ERROR_BAD_CREDENTIALS;
  return error;
}

/**
 * saban_api_get_retry_after:
 * @message: a request the server answered
 *
 * Returns: the seconds the server's Retry-After asks to wait (a number or
 *   an HTTP date; at most an hour), 0 when it says none
 */
guint
saban_api_get_retry_after (SoupMessage *message)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (message), "Retry-After");
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  guint64 seconds;

  if (value == NULL)
    return 0;
  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &seconds, NULL))
    return (guint) MIN (seconds, RETRY_AFTER_CAP_S);
  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return 0;
  now = g_date_time_new_now_utc ();
  seconds = g_date_time_difference (when, now) > 0 ? (g_date_time_difference (when, now) + G_USEC_PER_SEC - 1) /
                                                      G_USEC_PER_SEC : 0;
  return (guint) MIN (seconds, RETRY_AFTER_CAP_S);
}

/**
 * saban_api_check_status:
 * @message: a request sent (saban_api_send and friends take any status)
 *
 * Returns: %TRUE for a 2xx answer, else %FALSE with @error set to the
 *   %SABAN_API_ERROR its status is
 */
gboolean
saban_api_check_status (SoupMessage *message, GError **error)
{
  GError *local = saban_api_status_error (message);

  if (local == NULL)
    return TRUE;
  g_propagate_error (error, local);
  return FALSE;
}

static gboolean
check_size (SoupMessage *msg, GBytes *bytes, gsize max_body, GError **error)
{
  g_autofree char *uri = NULL;

  if (max_body == 0 || g_bytes_get_size (bytes) <= max_body)
    return TRUE;
  uri = g_uri_to_string (soup_message_get_uri (msg));
  g_set_error (error, SABAN_API_ERROR, SABAN_API_ERROR_TOO_LARGE, "%s: %" G_GSIZE_FORMAT " bytes, over %" G_GSIZE_FORMAT,
               uri, g_bytes_get_size (bytes), max_body);
  return FALSE;
}

/**
 * saban_api_describe_error:
 * @error: what a request failed with
 *
 * Returns: (transfer full): a sentence for the user, in their language,
 *   saying what happened and what to do; the raw detail is for the log
 */
char *
saban_api_describe_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != SABAN_API_ERROR)
    return g_strdup (_("The server's answer could not be read. If this goes on, tell the administrator."));
  switch ((SabanApiError) error->code)
    {
    case SABAN_API_ERROR_UNREACHABLE:
      return g_strdup (_("The IOC server cannot be reached. Check the network, or the server address in Preferences."));
    case SABAN_API_ERROR_TIMEOUT:
      return g_strdup (_("The IOC server did not answer in time. It may be overloaded: try again in a moment."));
    case SABAN_API_ERROR_TLS:
      return g_strdup (_("The IOC server's certificate is not trusted. Ask the administrator which certificate authority to set in Preferences."));
    case SABAN_API_ERROR_UNAUTHORIZED:
      return g_strdup (_("The server asks you to sign in again. Check the account and password in Preferences."));
    case SABAN_API_ERROR_FORBIDDEN:
      return g_strdup (_("Your account may not do this. Ask the administrator for the role it needs."));
    case SABAN_API_ERROR_NOT_FOUND:
      return g_strdup (_("The server does not have what was asked for: it may have been removed."));
    case SABAN_API_ERROR_REFUSED:
      return g_strdup (_("The server refused the request. Check what was entered and try again."));
    case SABAN_API_ERROR_BUSY:
      return g_strdup (_("The IOC server is busy. Try again in a moment."));
    case SABAN_API_ERROR_SERVER:
      return g_strdup (_("The IOC server failed to answer. Try again later; if this goes on, tell the administrator."));
    case SABAN_API_ERROR_PLAIN_HTTP:
      return g_strdup (_("The IOC server's address starts with http://, without encryption: the password and "
                         "personal data would cross the network in clear. Ask the administrator for its https:// "
                         "address, or allow unencrypted connections in Preferences on a closed network only."));
    case SABAN_API_ERROR_BAD_CREDENTIALS:
      return g_strdup (_("The account name or the password is not right. Check them and sign in again."));
    case SABAN_API_ERROR_ACCOUNT_LOCKED:
      return g_strdup (_("This account is locked after too many failed sign-ins. Ask the administrator to unlock it; "
                         "signing in again will not help until then."));
    case SABAN_API_ERROR_INVALID_URL:
    case SABAN_API_ERROR_TOO_LARGE:
    default:
      return g_strdup (_("The server's answer could not be read. If this goes on, tell the administrator."));
    }
}

/* ---- reads --------------------------------------------------------------- */

typedef struct
{
  char         *url;
  char         *accept;
  SabanApiFlags flags;
  gsize         max_body;
  guint         attempt;
  SoupMessage  *msg;
  GCancellable *attempt_cancellable;  /* the caller's, or cut short by the deadline */
  gulong        cancelled_id;
  guint         deadline_id;
  gboolean      timed_out;
} Get;

static void
get_free (gpointer data)
{
  Get *get = data;

  g_free (get->url);
  g_free (get->accept);
  g_clear_object (&get->msg);
  g_clear_object (&get->attempt_cancellable);
  g_free (get);
}

static void get_attempt (GTask *task);

static void
end_attempt (GTask *task)
{
  Get *get = g_task_get_task_data (task);

  g_clear_handle_id (&get->deadline_id, g_source_remove);
  if (get->cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), get->cancelled_id);
  get->cancelled_id = 0;
}

static gboolean
retry_cb (gpointer data)
{
  GTask *task = data;

  if (!g_task_return_error_if_cancelled (task))
    get_attempt (g_object_ref (task));
  return G_SOURCE_REMOVE;
}

static void
got (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SabanApi *self = g_task_get_source_object (task);
  Get *get = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  end_attempt (task);
  if (bytes == NULL && get->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      error = g_error_new (SABAN_API_ERROR, SABAN_API_ERROR_TIMEOUT, "GET %s: no answer in %d s", get->url,
                           PROBE_DEADLINE_S);
    }
  else if (bytes == NULL)
    error = transport_error (get->msg, error);
  else if ((error = saban_api_answer_error (get->msg, bytes)) == NULL)
    check_size (get->msg, bytes, get->max_body, &error);
  if (bytes != NULL)
    note_answer (self, get->msg);
  if (error == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (!(get->flags & SABAN_API_PROBE) && get->attempt < MAX_ATTEMPTS && is_retryable (error) &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      guint delay = self->retry_delay << (get->attempt - 1);
      guint after = bytes != NULL ? saban_api_get_retry_after (get->msg) : 0;

      /* the server said when: a wait it asks for beyond ours is its caller's */
      if (after > MAX_RETRY_AFTER_S)
        {
          g_task_return_error (task, error);
          return;
        }
      if (after > 0)
        delay = after * 1000;
      g_debug ("%s: attempt %u of %u, again in %u ms", error->message, get->attempt, MAX_ATTEMPTS, delay);
      g_error_free (error);
      g_timeout_add_full (G_PRIORITY_DEFAULT, delay, retry_cb, g_steal_pointer (&task), g_object_unref);
      return;
    }
  g_task_return_error (task, error);
}

static void
cut_short (GCancellable *cancellable, gpointer data)
{
  g_cancellable_cancel (data);
}

static gboolean
deadline_cb (gpointer data)
{
  Get *get = data;

  get->deadline_id = 0;
  get->timed_out = TRUE;
  g_cancellable_cancel (get->attempt_cancellable);
  return G_SOURCE_REMOVE;
}

/* takes @task */
static void
get_attempt (GTask *task)
{
  SabanApi *self = g_task_get_source_object (task);
  Get *get = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  get->attempt++;
  g_clear_object (&get->msg);
  get->msg = new_message (self, "GET", get->url, get->flags & SABAN_API_ANONYMOUS, &error);
  if (get->msg == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (get->accept != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (get->msg), "Accept", get->accept);
  g_clear_object (&get->attempt_cancellable);
  get->attempt_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    get->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cut_short),
                                               g_object_ref (get->attempt_cancellable), g_object_unref);
  if (get->flags & SABAN_API_PROBE)
    get->deadline_id = g_timeout_add (PROBE_DEADLINE_S * 1000, deadline_cb, get);
  soup_session_send_and_read_async (self->session, get->msg, G_PRIORITY_DEFAULT, get->attempt_cancellable, got, task);
}

/**
 * saban_api_get_async:
 * @url_or_path: a path from the server's root, or an absolute URL on it
 *   (a `next` link); any other URL fails with %SABAN_API_ERROR_INVALID_URL
 * @accept: (nullable): the Accept header
 * @flags: the policy: a read retried with backoff, or a quick probe;
 *   anonymous or not
 * @max_body: the largest answer taken, in bytes (0: no bound)
 *
 * Reads a resource of the server. Only a 2xx answer within @max_body is a
 * result; anything else is a %SABAN_API_ERROR.
 */
void
saban_api_get_async (SabanApi            *self,
                     const char          *url_or_path,
                     const char          *accept,
                     SabanApiFlags        flags,
                     gsize                max_body,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task;
  Get *get;

  g_return_if_fail (SABAN_IS_API (self));
  g_return_if_fail (url_or_path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, saban_api_get_async);
  get = g_new0 (Get, 1);
  get->url = g_strdup (url_or_path);
  get->accept = g_strdup (accept);
  get->flags = flags;
  get->max_body = max_body;
  g_task_set_task_data (task, get, get_free);
  get_attempt (task);
}

/**
 * saban_api_get_finish:
 * @message: (out) (optional) (transfer full): the last request, for its
 *   response headers (ETag, Content-Type)
 *
 * Returns: (transfer full): the answer's body, or %NULL with @error set
 */
GBytes *
saban_api_get_finish (SabanApi *self, GAsyncResult *result, SoupMessage **message, GError **error)
{
  Get *get;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  get = g_task_get_task_data (G_TASK (result));
  if (message != NULL)
    *message = get->msg != NULL ? g_object_ref (get->msg) : NULL;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- reads of JSON ---------------------------------------------------------- */

static void
json_parse_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GBytes *body = data;
  GError *error = NULL;
  JsonNode *node = saban_json_parse (g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), &error);

  if (node == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

static void
json_got (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;
  GBytes *body = saban_api_get_finish (SABAN_API (source), result, NULL, &error);

  if (body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, body, (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, json_parse_thread);
}

/**
 * saban_api_get_json_async:
 * @url_or_path: as for saban_api_get_async()
 * @flags: as for saban_api_get_async(): %SABAN_API_READ (retried while the
 *   server is away), anonymous or not
 * @max_body: the largest answer taken, in bytes
 *
 * Reads a JSON resource of the server and parses it in a worker thread
 * (saban_json_parse(): UTF-8, depth bounded), so that answers of many
 * megabytes leave the main thread free.
 */
void
saban_api_get_json_async (SabanApi            *self,
                          const char          *url_or_path,
                          SabanApiFlags        flags,
                          gsize                max_body,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SABAN_IS_API (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, saban_api_get_json_async);
  saban_api_get_async (self, url_or_path, "application/json", flags, max_body, cancellable, json_got, task);
}

/**
 * saban_api_get_json_finish:
 *
 * Returns: (transfer full): the parsed answer, or %NULL with @error set (a
 *   %SABAN_API_ERROR, or a %JSON_PARSER_ERROR for an answer that is not JSON)
 */
JsonNode *
saban_api_get_json_finish (SabanApi *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- writes: once, any status ---------------------------------------------- */

static void
sent (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SoupMessage *msg = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (bytes != NULL)
    note_answer (g_task_get_source_object (task), msg);
  if (bytes == NULL)
    g_task_return_error (task, transport_error (msg, error));
  else if (check_size (msg, bytes, GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (task), "max-body")), &error))
    g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (task, error);
}

/**
 * saban_api_send_async:
 * @message: a request made by saban_api_new_message()
 * @max_body: the largest answer taken, in bytes (0: no bound)
 *
 * Sends @message once. Whatever the server answers is a result: the caller
 * reads its status from @message (a write's 409 or 412 says something).
 */
void
saban_api_send_async (SabanApi            *self,
                      SoupMessage         *message,
                      gsize                max_body,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SABAN_IS_API (self));
  g_return_if_fail (SOUP_IS_MESSAGE (message));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, saban_api_send_async);
  g_task_set_task_data (task, g_object_ref (message), g_object_unref);
  g_object_set_data (G_OBJECT (task), "max-body", GSIZE_TO_POINTER (max_body));
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, cancellable, sent, task);
}

/**
 * saban_api_send_finish:
 *
 * Returns: (transfer full): the answer's body, whatever its status; %NULL
 *   when no answer came (a transport %SABAN_API_ERROR) or it was too large
 */
GBytes *
saban_api_send_finish (SabanApi *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * saban_api_send:
 *
 * saban_api_send_async(), blocking: for a worker thread (the outbox's).
 *
 * Returns: (transfer full): the answer's body, whatever its status
 */
GBytes *
saban_api_send (SabanApi *self, SoupMessage *message, gsize max_body, GCancellable *cancellable, GError **error)
{
  GError *local = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (SABAN_IS_API (self), NULL);
  g_return_val_if_fail (SOUP_IS_MESSAGE (message), NULL);

  bytes = soup_session_send_and_read (self->session, message, cancellable, &local);
  if (bytes == NULL)
    {
      g_propagate_error (error, transport_error (message, local));
      return NULL;
    }
  note_answer (self, message);
  if (!check_size (message, bytes, max_body, error))
    return NULL;
  return g_steal_pointer (&bytes);
}
