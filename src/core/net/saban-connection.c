/* saban-connection.c: whether the IOC server answers, checked in the
 * background, and the account signed in to it.
 *
 * Every few seconds it asks for the server's landing page (GET /, an OGC API
 * landing page with links) through the server's SabanApi, as a probe (one
 * attempt, a short deadline), so a dead server shows as disconnected within
 * one interval and the main loop never waits. With an account and a
 * password it also signs in (POST /auth/token) once the server answers,
 * and gives the token to the SabanApi, so every request after carries it;
 * losing the server forgets it.
 */
#include "saban-connection.h"
#include "saban-json.h"
#include "saban-error.h"
#include "saban-wait.h"

#include <glib/gi18n-lib.h>

#include <json-glib/json-glib.h>

/* a landing page or a token is a few kilobytes */
#define MAX_ANSWER (1024 * 1024)

struct _SabanConnection
{
  GObject       parent_instance;
  SabanApi     *api;
  GCancellable *cancellable;
  char         *account;
  char         *password;
  char         *error;
  guint         interval;
  guint         timer;
  gboolean      connected;
  gboolean      checked;
  gboolean      busy;
};

enum { PROP_0, PROP_SERVER_URL, PROP_CONNECTED, PROP_CHECKED, PROP_SIGNED_IN, PROP_ERROR, N_PROPS };

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SabanConnection, saban_connection, G_TYPE_OBJECT)

static void
set_state (SabanConnection *self, gboolean connected, const char *error)
{
  gboolean was_checked = self->checked;

  self->checked = TRUE;
  if (g_strcmp0 (self->error, error) != 0)
    {
      g_free (self->error);
      self->error = g_strdup (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  if (!connected && saban_api_get_token (self->api) != NULL)
    {
      saban_api_set_token (self->api, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
    }
  if (self->connected != connected)
    {
      self->connected = connected;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
    }
  if (!was_checked)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKED]);
}

static void
token_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SoupMessage) msg = user_data;
  SabanConnection *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = saban_api_send_finish (SABAN_API (source), result, &error);
  g_autoptr(JsonNode) parsed = NULL;
  JsonNode *root;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = g_object_get_data (G_OBJECT (msg), "connection");
  if (bytes == NULL || soup_message_get_status (msg) != SOUP_STATUS_OK ||
      (parsed = saban_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT ((root = parsed)) ||
      json_object_get_string_member_with_default (json_node_get_object (root), "access_token", NULL) == NULL)
    {
      /* a wrong password is not a dead server: stay connected, say why */
      g_free (self->error);
      self->error = g_strdup (bytes == NULL ? error->message : "sign-in refused");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
      return;
    }
  saban_api_set_token (self->api, json_object_get_string_member (json_node_get_object (root), "access_token"));
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
  if (bytes == NULL)
    {
      set_state (self, FALSE, error->message);
      return;
    }
  if ((parsed = saban_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT ((root = parsed)) ||
      !json_object_has_member (json_node_get_object (root), "links"))
    {
      /* something answers, but it is not an IOC server's landing page */
      set_state (self, FALSE, "not an OGC API landing page");
      return;
    }
  set_state (self, TRUE, NULL);
  if (saban_api_get_token (self->api) == NULL && self->account != NULL && *self->account != '\0' &&
      self->password != NULL && *self->password != '\0')
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
      set_state (self, FALSE, "not a valid server URL");
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
  g_clear_object (&self->api);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (saban_connection_parent_class)->dispose (object);
}

static void
saban_connection_finalize (GObject *object)
{
  SabanConnection *self = SABAN_CONNECTION (object);

  g_free (self->account);
  g_free (self->password);
  g_free (self->error);
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
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
saban_connection_init (SabanConnection *self)
{
  self->cancellable = g_cancellable_new ();
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
  saban_api_set_token (self->api, NULL);
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

  g_free (self->account);
  self->account = g_strdup (account);
  g_free (self->password);
  self->password = g_strdup (password);
  saban_api_set_token (self->api, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
  if (self->connected && password != NULL && *password != '\0')
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

  s->done = saban_api_get_token (self->api) != NULL || (self->checked && !self->connected) ||
            g_strcmp0 (self->error, "sign-in refused") == 0;
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
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_OPEN, _("Cannot sign in to %s as %s: %s"), server_url, account,
                   self->error != NULL ? self->error : _("no answer"));
      return NULL;
    }
  return g_strdup (saban_api_get_token (api));
}
