/* saban-connection.c: whether the IOC server answers, checked in the
 * background, and the account signed in to it — who and in which role.
 *
 * Every few seconds it asks for the server's landing page (GET /, an OGC API
 * landing page with links) through the server's SabanApi, as a probe (one
 * attempt, a short deadline), so a dead server shows as disconnected within
 * one interval and the main loop never waits. With an account and a
 * password it also signs in (POST /auth/token) once the server answers,
 * and gives the token to the SabanApi, so every request after carries it;
 * losing the server forgets it. The answer names the account's role (a
 * server that does not is asked GET /auth/me), which the UI follows.
 *
 * A sign-in is never repeated blindly: a wrong password or a locked account
 * forgets the password and asks the user (needs-sign-in), since trying it
 * again every few seconds would lock the account; a busy server (429, 503)
 * is asked again after its Retry-After. A 401 to a request that carried the
 * token in use (expired, revoked) forgets the token and the password and
 * asks too. Signing out ends the token on the server (POST /auth/logout).
 */
#include "saban-connection.h"
#include "saban-json.h"
#include "saban-error.h"
#include "saban-wait.h"

#include <glib/gi18n-lib.h>

#include <json-glib/json-glib.h>
#include <string.h>

/* a landing page or a token is a few kilobytes */
#define MAX_ANSWER (1024 * 1024)

/* a role or a user name longer than this is not taken from an answer */
#define MAX_NAME 128
/* a busy server that says no Retry-After is asked again after this */
#define BUSY_RETRY_S 5

/* the roles the server's accounts have (its auth's list) */
static const char *const known_roles[] = {
  "leader", "planner", "coordinator", "operator", "data_steward", "admin", NULL
};

struct _SabanConnection
{
  GObject       parent_instance;
  SabanApi     *api;
  GCancellable *cancellable;
  char         *account;
  char         *password;
  char         *error;       /* the raw detail, for the log and the tooltip's end */
  GError       *failure;     /* what went wrong last, for the user's sentence */
  char         *user;        /* the account signed in, as the server says */
  char         *role;
  guint         interval;
  guint         timer;
  guint         sign_in_timer;  /* a busy server's Retry-After */
  gboolean      connected;
  gboolean      checked;
  gboolean      busy;
  gboolean      signing_in;
  gboolean      needs_sign_in;
};

enum {
  PROP_0,
  PROP_SERVER_URL,
  PROP_CONNECTED,
  PROP_CHECKED,
  PROP_SIGNED_IN,
  PROP_ERROR,
  PROP_USER,
  PROP_ROLE,
  PROP_NEEDS_SIGN_IN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SabanConnection, saban_connection, G_TYPE_OBJECT)

/* @failure: (transfer full) (nullable) */
static void
set_failure (SabanConnection *self, GError *failure)
{
  const char *error = failure != NULL ? failure->message : NULL;

  g_clear_error (&self->failure);
  self->failure = failure;
  if (g_strcmp0 (self->error, error) == 0)
    return;
  if (error != NULL)
    g_message ("IOC server %s: %s", saban_api_get_base_url (self->api), error);
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
set_needs_sign_in (SabanConnection *self, gboolean needs)
{
  if (self->needs_sign_in == needs)
    return;
  self->needs_sign_in = needs;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEEDS_SIGN_IN]);
}

static void
set_identity (SabanConnection *self, const char *user, const char *role)
{
  if (g_strcmp0 (self->user, user) != 0)
    {
      g_free (self->user);
      self->user = g_strdup (user);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
    }
  if (g_strcmp0 (self->role, role) != 0)
    {
      g_free (self->role);
      self->role = g_strdup (role);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
    }
}

static void
forget_token (SabanConnection *self)
{
  if (saban_api_get_token (self->api) == NULL)
    return;
  saban_api_set_token (self->api, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
}

/* the password is not tried again: the user is asked for one */
static void
forget_password (SabanConnection *self)
{
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
  g_clear_handle_id (&self->sign_in_timer, g_source_remove);
}

static void
set_state (SabanConnection *self, gboolean connected, GError *failure)
{
  gboolean was_checked = self->checked;

  self->checked = TRUE;
  set_failure (self, failure);
  if (!connected)
    forget_token (self);
  if (self->connected != connected)
    {
      self->connected = connected;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
    }
  if (!was_checked)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKED]);
}

static void sign_in (SabanConnection *self);

/* a name from the server: short, UTF-8, or nothing */
static const char *
answer_name (JsonObject *answer, const char *member)
{
  return saban_json_get_string (answer, member, MAX_NAME);
}

static const char *
known_role (const char *role)
{
  return role != NULL && g_strv_contains (known_roles, role) ? role : NULL;
}

static void
me_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SabanConnection *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = saban_api_get_finish (SABAN_API (source), result, NULL, &error);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *me;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_CONNECTION (user_data);
  if (bytes == NULL ||
      (root = saban_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      /* a server without roles: the UI offers everything, the server decides */
      g_message ("the server does not say the account's role: %s", error != NULL ? error->message : "not JSON");
      return;
    }
  me = json_node_get_object (root);
  set_identity (self, answer_name (me, "username") ? answer_name (me, "username") : self->account,
                known_role (answer_name (me, "role")));
}

static gboolean
sign_in_again (gpointer data)
{
  SabanConnection *self = data;

  self->sign_in_timer = 0;
  if (self->connected && saban_api_get_token (self->api) == NULL && self->password != NULL)
    sign_in (self);
  return G_SOURCE_REMOVE;
}

/* the sign-in refused: what the answer says decides whether to try again */
static void
sign_in_refused (SabanConnection *self, SoupMessage *msg, GError *failure)
{
  guint wait;

  switch (failure->code)
    {
    case SABAN_API_ERROR_BUSY:
      wait = saban_api_get_retry_after (msg);
      g_clear_handle_id (&self->sign_in_timer, g_source_remove);
      self->sign_in_timer = g_timeout_add_seconds (wait > 0 ? wait : BUSY_RETRY_S, sign_in_again, self);
      break;
    case SABAN_API_ERROR_BAD_CREDENTIALS:
    case SABAN_API_ERROR_UNAUTHORIZED:
    case SABAN_API_ERROR_ACCOUNT_LOCKED:
    case SABAN_API_ERROR_FORBIDDEN:
      /* tried again, a wrong password would lock the account */
      forget_password (self);
      set_identity (self, NULL, NULL);
      set_needs_sign_in (self, TRUE);
      break;
    default:
      /* the next check tries again */
      break;
    }
  set_failure (self, failure);
}

static void
token_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SoupMessage) msg = user_data;
  SabanConnection *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = saban_api_send_finish (SABAN_API (source), result, &error);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *answer;
  const char *token;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = g_object_get_data (G_OBJECT (msg), "connection");
  self->signing_in = FALSE;
  if (bytes == NULL)
    {
      set_failure (self, g_steal_pointer (&error));
      return;
    }
  if ((error = saban_api_answer_error (msg, bytes)) != NULL)
    {
      sign_in_refused (self, msg, g_steal_pointer (&error));
      return;
    }
  if ((root = saban_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root) ||
      (token = saban_json_get_string ((answer = json_node_get_object (root)), "access_token", 4096)) == NULL)
    {
      set_failure (self, g_error_new (SABAN_API_ERROR, SABAN_API_ERROR_SERVER, "POST /auth/token: no token in the answer"));
      return;
    }
  set_failure (self, NULL);
  set_needs_sign_in (self, FALSE);
  saban_api_set_token (self->api, token);
  set_identity (self, answer_name (answer, "username") ? answer_name (answer, "username") : self->account,
                known_role (answer_name (answer, "role")));
  if (self->role == NULL)
    saban_api_get_async (self->api, "/auth/me", "application/json", SABAN_API_READ, MAX_ANSWER, self->cancellable,
                         me_done, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
}

static void
sign_in (SabanConnection *self)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GBytes) bytes = NULL;

  /* without the old token: it may be what the server no longer takes */
  saban_api_set_token (self->api, NULL);
  msg = saban_api_new_message (self->api, "POST", "/auth/token", NULL);
  if (msg == NULL)
    return;
  self->signing_in = TRUE;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "username");
  json_builder_add_string_value (b, self->account);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, self->password);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  body = json_to_string (root, FALSE);
  bytes = g_bytes_new (body, strlen (body));
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  /* the message carries the connection: the callback never runs once it
   * is gone (its cancellable is cancelled on dispose) */
  g_object_set_data (G_OBJECT (msg), "connection", self);
  saban_api_send_async (self->api, msg, MAX_ANSWER, self->cancellable, token_done, g_object_ref (msg));
}

static void
landing_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SabanConnection *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = saban_api_get_finish (SABAN_API (source), result, NULL, &error);
  g_autoptr(JsonNode) parsed = NULL;
  JsonNode *root;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_CONNECTION (user_data);
  self->busy = FALSE;
  /* a 401 is a server that answers and refuses the token (revoked or
   * expired): SabanApi::token-refused asks the user for a sign-in. Taken
   * for a lost server, the token would be dropped first, the refusal would
   * name a token no longer in use, and the next check would sign in again
   * with the password kept, behind the admin's revocation. */
  if (g_error_matches (error, SABAN_API_ERROR, SABAN_API_ERROR_UNAUTHORIZED))
    {
      set_state (self, TRUE, self->needs_sign_in && self->failure != NULL ? g_error_copy (self->failure) : NULL);
      return;
    }
  if (bytes == NULL)
    {
      set_state (self, FALSE, g_steal_pointer (&error));
      return;
    }
  if ((parsed = saban_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT ((root = parsed)) ||
      !json_object_has_member (json_node_get_object (root), "links"))
    {
      /* something answers, but it is not an IOC server's landing page */
      set_state (self, FALSE, g_error_new (SABAN_API_ERROR, SABAN_API_ERROR_INVALID_URL,
                                           "GET %s/: not an OGC API landing page", saban_api_get_base_url (self->api)));
      return;
    }
  /* a sign-in's refusal stays said until the user signs in again */
  set_state (self, TRUE, self->needs_sign_in && self->failure != NULL ? g_error_copy (self->failure) : NULL);
  if (saban_api_get_token (self->api) == NULL && !self->signing_in && self->sign_in_timer == 0 &&
      self->account != NULL && *self->account != '\0' && self->password != NULL && *self->password != '\0')
    sign_in (self);
}

/**
 * saban_connection_check_now:
 * Asks the server at once (it is asked every interval anyway).
 */
void
saban_connection_check_now (SabanConnection *self)
{
  g_autoptr(GUri) uri = NULL;

  g_return_if_fail (SABAN_IS_CONNECTION (self));

  if (self->busy)
    return;
  uri = g_uri_parse (saban_api_get_base_url (self->api), G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    {
      set_state (self, FALSE, g_error_new (SABAN_API_ERROR, SABAN_API_ERROR_INVALID_URL, "not a valid server URL: %s",
                                           saban_api_get_base_url (self->api)));
      return;
    }
  self->busy = TRUE;
  saban_api_get_async (self->api, "/", "application/json", SABAN_API_PROBE, MAX_ANSWER, self->cancellable,
                       landing_done, self);
}

static gboolean
on_timer (gpointer data)
{
  saban_connection_check_now (data);
  return G_SOURCE_CONTINUE;
}

static void
saban_connection_dispose (GObject *object)
{
  SabanConnection *self = SABAN_CONNECTION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_handle_id (&self->sign_in_timer, g_source_remove);
  if (self->api != NULL)
    g_signal_handlers_disconnect_by_data (self->api, self);
  g_clear_object (&self->api);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (saban_connection_parent_class)->dispose (object);
}

static void
saban_connection_finalize (GObject *object)
{
  SabanConnection *self = SABAN_CONNECTION (object);

  g_free (self->account);
  forget_password (self);
  g_free (self->error);
  g_clear_error (&self->failure);
  g_free (self->user);
  g_free (self->role);
  G_OBJECT_CLASS (saban_connection_parent_class)->finalize (object);
}

static void
saban_connection_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SabanConnection *self = SABAN_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      g_value_set_string (value, saban_api_get_base_url (self->api));
      break;
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;
    case PROP_CHECKED:
      g_value_set_boolean (value, self->checked);
      break;
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, saban_api_get_token (self->api) != NULL);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_ROLE:
      g_value_set_string (value, self->role);
      break;
    case PROP_NEEDS_SIGN_IN:
      g_value_set_boolean (value, self->needs_sign_in);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_connection_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SERVER_URL:
      saban_connection_set_server_url (SABAN_CONNECTION (object), g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_connection_class_init (SabanConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = saban_connection_dispose;
  object_class->finalize = saban_connection_finalize;
  object_class->get_property = saban_connection_get_property;
  object_class->set_property = saban_connection_set_property;

  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHECKED] =
    g_param_spec_boolean ("checked", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIGNED_IN] =
    g_param_spec_boolean ("signed-in", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* the account signed in (or last signed in, while the server is away) */
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* its role, as the server's accounts have them ("coordinator"); NULL
   * while unknown (not signed in, or a server that does not say) */
  properties[PROP_ROLE] =
    g_param_spec_string ("role", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* the user must give a password: none was given, or the server refused
   * it, or refused the token it gave */
  properties[PROP_NEEDS_SIGN_IN] =
    g_param_spec_boolean ("needs-sign-in", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
saban_connection_init (SabanConnection *self)
{
  self->cancellable = g_cancellable_new ();
}

/* A 401 to the token in use: it expired or was revoked. The user is asked
 * again (not signed in again behind their back: an admin's revocation
 * would mean nothing). */
static void
on_token_refused (SabanConnection *self, const char *token)
{
  if (g_strcmp0 (token, saban_api_get_token (self->api)) != 0)
    return;
  forget_token (self);
  forget_password (self);
  set_failure (self, g_error_new (SABAN_API_ERROR, SABAN_API_ERROR_UNAUTHORIZED, "the server refused the token of %s",
                                  self->user != NULL ? self->user : "the account"));
  set_needs_sign_in (self, TRUE);
}

/**
 * saban_connection_new:
 * @api: the server's client: its URL is the server checked, and the token
 *   of the account signed in is given to it
 * @interval_seconds: how often to ask; 0 only when asked
 */
SabanConnection *
saban_connection_new (SabanApi *api, guint interval_seconds)
{
  SabanConnection *self;

  g_return_val_if_fail (SABAN_IS_API (api), NULL);

  self = g_object_new (SABAN_TYPE_CONNECTION, NULL);
  self->api = g_object_ref (api);
  g_signal_connect_object (api, "token-refused", G_CALLBACK (on_token_refused), self, G_CONNECT_SWAPPED);
  self->interval = interval_seconds;
  saban_connection_check_now (self);
  if (interval_seconds > 0)
    self->timer = g_timeout_add_seconds (interval_seconds, on_timer, self);
  return self;
}

/**
 * saban_connection_get_api:
 * Returns: (transfer none): the server's client
 */
SabanApi *
saban_connection_get_api (SabanConnection *self)
{
  g_return_val_if_fail (SABAN_IS_CONNECTION (self), NULL);
  return self->api;
}

/**
 * saban_connection_set_server_url:
 *
 * Points the connection, and its SabanApi, at another server: the old
 * one's answers and token are forgotten and the new one is asked at once.
 */
void
saban_connection_set_server_url (SabanConnection *self, const char *server_url)
{
  g_autofree char *before = NULL;

  g_return_if_fail (SABAN_IS_CONNECTION (self));

  before = g_strdup (saban_api_get_base_url (self->api));
  saban_api_set_base_url (self->api, server_url);
  if (g_str_equal (before, saban_api_get_base_url (self->api)))
    return;
  /* a new server: forget the old one's answers and ask again */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy = FALSE;
  self->signing_in = FALSE;
  g_clear_handle_id (&self->sign_in_timer, g_source_remove);
  forget_token (self);
  set_identity (self, NULL, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
  saban_connection_check_now (self);
}

const char *
saban_connection_get_server_url (SabanConnection *self)
{
  g_return_val_if_fail (SABAN_IS_CONNECTION (self), NULL);
  return saban_api_get_base_url (self->api);
}

/**
 * saban_connection_set_account:
 * @password: (nullable): kept in memory only, never written anywhere
 */
void
saban_connection_set_account (SabanConnection *self, const char *account, const char *password)
{
  g_return_if_fail (SABAN_IS_CONNECTION (self));

  if (g_strcmp0 (self->account, account) != 0)
    set_identity (self, NULL, NULL);
  g_free (self->account);
  self->account = g_strdup (account);
  forget_password (self);
  self->password = g_strdup (password);
  forget_token (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
  set_needs_sign_in (self, account != NULL && *account != '\0' && (password == NULL || *password == '\0'));
  if (!self->needs_sign_in)
    set_failure (self, NULL);
  if (self->connected && !self->needs_sign_in && account != NULL && *account != '\0')
    sign_in (self);
}

/**
 * saban_connection_get_account:
 *
 * Returns: (nullable): the account it signs in as
 */
const char *
saban_connection_get_account (SabanConnection *self)
{
  g_return_val_if_fail (SABAN_IS_CONNECTION (self), NULL);
  return self->account;
}

gboolean
saban_connection_get_connected (SabanConnection *self)
{
  g_return_val_if_fail (SABAN_IS_CONNECTION (self), FALSE);
  return self->connected;
}

gboolean
saban_connection_get_checked (SabanConnection *self)
{
  g_return_val_if_fail (SABAN_IS_CONNECTION (self), FALSE);
  return self->checked;
}

gboolean
saban_connection_get_signed_in (SabanConnection *self)
{
  g_return_val_if_fail (SABAN_IS_CONNECTION (self), FALSE);
  return saban_api_get_token (self->api) != NULL;
}

const char *
saban_connection_get_error (SabanConnection *self)
{
  g_return_val_if_fail (SABAN_IS_CONNECTION (self), NULL);
  return self->error;
}

const char *
saban_connection_get_token (SabanConnection *self)
{
  g_return_val_if_fail (SABAN_IS_CONNECTION (self), NULL);
  return saban_api_get_token (self->api);
}

/**
 * saban_connection_get_user:
 * Returns: (nullable): the account signed in, as the server names it
 */
const char *
saban_connection_get_user (SabanConnection *self)
{
  g_return_val_if_fail (SABAN_IS_CONNECTION (self), NULL);
  return self->user;
}

/**
 * saban_connection_get_role:
 * Returns: (nullable): the signed-in account's role ("coordinator"…), NULL
 *   while unknown
 */
const char *
saban_connection_get_role (SabanConnection *self)
{
  g_return_val_if_fail (SABAN_IS_CONNECTION (self), NULL);
  return self->role;
}

/**
 * saban_connection_get_needs_sign_in:
 * Returns: whether the user must give a password (the server refused the
 *   one given, or the token; or none was given)
 */
gboolean
saban_connection_get_needs_sign_in (SabanConnection *self)
{
  g_return_val_if_fail (SABAN_IS_CONNECTION (self), FALSE);
  return self->needs_sign_in;
}

/**
 * saban_connection_describe_error:
 * Returns: (transfer full) (nullable): what went wrong last, as a sentence
 *   for the user saying what to do; the raw detail is #SabanConnection:error
 */
char *
saban_connection_describe_error (SabanConnection *self)
{
  g_return_val_if_fail (SABAN_IS_CONNECTION (self), NULL);
  return self->failure != NULL ? saban_api_describe_error (self->failure) : NULL;
}

static void
logout_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = saban_api_send_finish (SABAN_API (source), result, &error);

  if (bytes != NULL)
    error = saban_api_answer_error (msg, bytes);
  if (error != NULL)
    {
      /* forgotten here all the same; it ends when it expires */
      g_message ("the server did not end the token: %s", error->message);
      g_task_return_boolean (task, FALSE);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * saban_connection_sign_out_async:
 *
 * Signs out: the token is ended on the server (POST /auth/logout) and, at
 * once, forgotten here with the password and the role; the connection then
 * waits for the user to sign in (#SabanConnection:needs-sign-in). The
 * result says whether the server confirmed (a server away cannot: the
 * token then ends when it expires).
 */
void
saban_connection_sign_out_async (SabanConnection     *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (SABAN_IS_CONNECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, saban_connection_sign_out_async);
  if (saban_api_get_token (self->api) != NULL)
    msg = saban_api_new_message (self->api, "POST", "/auth/logout", NULL);
  forget_token (self);
  forget_password (self);
  set_identity (self, NULL, NULL);
  set_failure (self, NULL);
  set_needs_sign_in (self, TRUE);
  if (msg == NULL)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
  g_task_set_task_data (task, g_object_ref (msg), g_object_unref);
  saban_api_send_async (self->api, msg, MAX_ANSWER, cancellable, logout_done, g_steal_pointer (&task));
}

/**
 * saban_connection_sign_out_finish:
 * Returns: whether the server ended the token
 */
gboolean
saban_connection_sign_out_finish (SabanConnection *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  gboolean done;
} SignIn;

static void
sign_in_changed (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  SabanConnection *self = SABAN_CONNECTION (object);
  SignIn *s = user_data;

  s->done = saban_api_get_token (self->api) != NULL || (self->checked && !self->connected) || self->needs_sign_in;
}

/**
 * saban_connection_sign_in_sync:
 * @seconds: how long to wait at the most
 *
 * Signs in for a command-line tool: runs the default main context until the
 * server answers (saban_wait_for()).
 *
 * Returns: (transfer full) (nullable): the bearer token, or %NULL with
 *   @error set (translated)
 */
char *
saban_connection_sign_in_sync (const char  *server_url,
                               const char  *account,
                               const char  *password,
                               guint        seconds,
                               GError     **error)
{
  g_autoptr(SabanApi) api = saban_api_new (server_url);
  g_autoptr(SabanConnection) self = saban_connection_new (api, 5);
  SignIn s = { FALSE };
  gulong handler = g_signal_connect (self, "notify", G_CALLBACK (sign_in_changed), &s);

  saban_connection_set_account (self, account, password);
  saban_connection_check_now (self);
  saban_wait_for (&s.done, seconds);
  g_signal_handler_disconnect (self, handler);
  if (saban_api_get_token (api) == NULL)
    {
      g_autofree char *why = saban_connection_describe_error (self);

      g_set_error (error, SABAN_ERROR, SABAN_ERROR_OPEN, _("Cannot sign in to %s as %s: %s"), server_url, account,
                   why != NULL ? why : _("no answer"));
      return NULL;
    }
  return g_strdup (saban_api_get_token (api));
}
