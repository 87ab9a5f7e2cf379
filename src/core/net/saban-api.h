#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define SABAN_API_ERROR (saban_api_error_quark ())

/* what went wrong talking to a server; the message is the raw detail (for
 * the log), saban_api_describe_error() the sentence for the user */
typedef enum
{
  SABAN_API_ERROR_INVALID_URL,   /* not a URL of this server */
  SABAN_API_ERROR_UNREACHABLE,   /* no connection: refused, no route, no such host */
  SABAN_API_ERROR_TIMEOUT,       /* no answer in time */
  SABAN_API_ERROR_TLS,           /* the server's certificate is not trusted */
  SABAN_API_ERROR_UNAUTHORIZED,  /* 401: not signed in, or the token expired */
  SABAN_API_ERROR_FORBIDDEN,     /* 403: the account's role may not */
  SABAN_API_ERROR_NOT_FOUND,     /* 404 */
  SABAN_API_ERROR_REFUSED,       /* any other 4xx */
  SABAN_API_ERROR_BUSY,          /* 429, 503: come back later */
  SABAN_API_ERROR_SERVER,        /* any other 5xx */
  SABAN_API_ERROR_TOO_LARGE,     /* the answer is over the caller's bound */
  SABAN_API_ERROR_PLAIN_HTTP,    /* plain HTTP to a server on the network, not allowed */
  SABAN_API_ERROR_BAD_CREDENTIALS, /* a sign-in refused: no such account or a wrong password */
  SABAN_API_ERROR_ACCOUNT_LOCKED,  /* a sign-in refused: the account is locked (403 account-locked) */
} SabanApiError;

/* how a GET is sent: one policy for every reader */
typedef enum
{
  SABAN_API_READ      = 0,        /* retried with backoff while the server is away or busy */
  SABAN_API_PROBE     = 1 << 0,   /* is the server there: one attempt, a short deadline */
  SABAN_API_ANONYMOUS = 1 << 1,   /* without the account's token: what anyone may read */
} SabanApiFlags;

#define SABAN_TYPE_API (saban_api_get_type ())
G_DECLARE_FINAL_TYPE (SabanApi, saban_api, SABAN, API, GObject)

GQuark       saban_api_error_quark    (void);

SabanApi    *saban_api_new            (const char          *base_url);
const char  *saban_api_get_base_url   (SabanApi            *self);
void         saban_api_set_base_url   (SabanApi            *self,
                                       const char          *base_url);
const char  *saban_api_get_token      (SabanApi            *self);
void         saban_api_set_token      (SabanApi            *self,
                                       const char          *token);
gboolean     saban_api_set_ca_file    (SabanApi            *self,
                                       const char          *path,
                                       GError             **error);
gboolean     saban_api_url_is_plain_remote (const char     *url);
void         saban_api_set_allow_plain_http (SabanApi       *self,
                                       gboolean             allow);
gboolean     saban_api_get_plain_http (SabanApi            *self);
void         saban_api_set_retry_delay (SabanApi           *self,
                                       guint                milliseconds);
char        *saban_api_url            (SabanApi            *self,
                                       const char          *path);
gboolean     saban_api_owns_url       (SabanApi            *self,
                                       const char          *url);
SoupMessage *saban_api_new_message    (SabanApi            *self,
                                       const char          *method,
                                       const char          *url_or_path,
                                       GError             **error);
void         saban_api_message_set_timeout (SoupMessage    *message,
                                       guint                seconds);

void         saban_api_get_async      (SabanApi            *self,
                                       const char          *url_or_path,
                                       const char          *accept,
                                       SabanApiFlags        flags,
                                       gsize                max_body,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
GBytes      *saban_api_get_finish     (SabanApi            *self,
                                       GAsyncResult        *result,
                                       SoupMessage        **message,
                                       GError             **error);
void         saban_api_get_json_async (SabanApi            *self,
                                       const char          *url_or_path,
                                       SabanApiFlags        flags,
                                       gsize                max_body,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
JsonNode    *saban_api_get_json_finish (SabanApi           *self,
                                       GAsyncResult        *result,
                                       GError             **error);
void         saban_api_send_async     (SabanApi            *self,
                                       SoupMessage         *message,
                                       gsize                max_body,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
GBytes      *saban_api_send_finish    (SabanApi            *self,
                                       GAsyncResult        *result,
                                       GError             **error);
GBytes      *saban_api_send           (SabanApi            *self,
                                       SoupMessage         *message,
                                       gsize                max_body,
                                       GCancellable        *cancellable,
                                       GError             **error);

GError      *saban_api_answer_error   (SoupMessage         *message,
                                       GBytes              *body);
guint        saban_api_get_retry_after (SoupMessage        *message);
gboolean     saban_api_check_status   (SoupMessage         *message,
                                       GError             **error);
char        *saban_api_describe_error (const GError        *error);
GError      *saban_api_status_error   (SoupMessage         *msg);

G_END_DECLS
