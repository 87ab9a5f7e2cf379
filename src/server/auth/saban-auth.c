/* saban-auth.c: accounts, password hashing, bearer tokens; POST /auth/token
 * (which also says the account's role, so a client offers only what it may
 * do), GET /auth/me, POST /auth/logout, and the admin's
 * /auth/users/{name}/revoke and /unlock.
 *
 * Passwords are stored as PBKDF2-HMAC-SHA256 (RFC 8018) with a random salt;
 * GLib has HMAC but no KDF, so PBKDF2 is written out here on GHmac. It runs
 * in a pool of its own, as few threads as half the cores, with a bounded
 * queue: a burst of sign-ins waits for the pool (or is told to come back)
 * and never takes the threads that read maps and features. Sign-ins are
 * throttled per account and per address (SabanLoginThrottle) before any
 * hashing. Tokens are 32 random bytes; only their SHA-256 is stored, so a
 * copy of the database (a backup) holds no usable token; a token ends when
 * it expires, when its holder signs out, or when an admin revokes its
 * user's tokens, and is refused from the next request on.
 */
#include "saban-auth.h"
#include "saban-login-throttle.h"
#include "saban-server.h"

#include <sys/random.h>

static const char *const roles[] = { "leader", "planner", "coordinator", "operator", "data_steward", "admin", NULL };

/* Who may upload the indicator catalogue and values (admin may do everything). */
const char *const saban_auth_can_import_indicators[] = { "data_steward", NULL };

gboolean
saban_auth_is_role (const char *role)
{
  return role != NULL && g_strv_contains (roles, role);
}

static void
random_bytes (guint8 *buf, gsize len)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = getrandom (buf + done, len - done, 0);

      if (n > 0)
        done += n;
    }
}

static void
pbkdf2_sha256 (const char *password, const guint8 *salt, gsize salt_len,
               guint iterations, guint8 out[32])
{
  g_autoptr(GHmac) keyed = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) password, strlen (password));
  guint8 u[32];
  gsize len = sizeof u;
  const guint8 block[4] = { 0, 0, 0, 1 };  /* one 32-byte block is all we need */
  GHmac *h = g_hmac_copy (keyed);

  g_hmac_update (h, salt, salt_len);
  g_hmac_update (h, block, 4);
  g_hmac_get_digest (h, u, &len);
  g_hmac_unref (h);
  memcpy (out, u, 32);
  for (guint i = 1; i < iterations; i++)
    {
      h = g_hmac_copy (keyed);
      g_hmac_update (h, u, 32);
      len = sizeof u;
      g_hmac_get_digest (h, u, &len);
      g_hmac_unref (h);
      for (int j = 0; j < 32; j++)
        out[j] ^= u[j];
    }
}

/**
 * saban_auth_hash_password:
 * Returns "pbkdf2-sha256$ITERATIONS$SALT$HASH" (base64 salt and hash).
 */
char *
saban_auth_hash_password (const char *password, guint iterations)
{
  guint8 salt[16], dk[32];
  g_autofree char *salt64 = NULL, *dk64 = NULL;

  random_bytes (salt, sizeof salt);
  pbkdf2_sha256 (password, salt, sizeof salt, iterations, dk);
  salt64 = g_base64_encode (salt, sizeof salt);
  dk64 = g_base64_encode (dk, sizeof dk);
  return g_strdup_printf ("pbkdf2-sha256$%u$%s$%s", iterations, salt64, dk64);
}

gboolean
saban_auth_verify_password (const char *stored, const char *password)
{
  g_auto(GStrv) parts = NULL;
  g_autofree guint8 *salt = NULL, *want = NULL;
  gsize salt_len = 0, want_len = 0;
  guint64 iterations;
  guint8 dk[32];
  guint8 diff = 0;

  if (stored == NULL || password == NULL)
    return FALSE;
  parts = g_strsplit (stored, "$", -1);
  if (g_strv_length (parts) != 4 || !g_str_equal (parts[0], "pbkdf2-sha256"))
    return FALSE;
  iterations = g_ascii_strtoull (parts[1], NULL, 10);
  if (iterations < 1 || iterations > 10000000)
    return FALSE;
  salt = g_base64_decode (parts[2], &salt_len);
  want = g_base64_decode (parts[3], &want_len);
  if (want_len != sizeof dk)
    return FALSE;
  pbkdf2_sha256 (password, salt, salt_len, (guint) iterations, dk);
  /* constant time: no early exit on the first differing byte */
  for (gsize i = 0; i < sizeof dk; i++)
    diff |= dk[i] ^ want[i];
  return diff == 0;
}

/**
 * saban_auth_ensure_user:
 * Creates the account unless it exists (an existing password is kept).
 */
gboolean
saban_auth_ensure_user (SabanStore *store, const char *username, const char *role,
                        const char *password, GError **error)
{
  g_autoptr(SabanStmt) find = NULL, ins = NULL;
  g_autofree char *hash = NULL, *now = saban_store_now ();

  find = saban_store_prepare (store, "SELECT 1 FROM users WHERE username = ?", error);
  if (find == NULL)
    return FALSE;
  saban_stmt_bind_text (find, 1, username);
  if (saban_stmt_step (find, NULL))
    return TRUE;
  hash = saban_auth_hash_password (password, SABAN_PBKDF2_ITERATIONS);
  ins = saban_store_prepare (store, "INSERT INTO users (username, role, password, created) VALUES (?, ?, ?, ?)",
                             error);
  if (ins == NULL)
    return FALSE;
  saban_stmt_bind_text (ins, 1, username);
  saban_stmt_bind_text (ins, 2, role);
  saban_stmt_bind_text (ins, 3, hash);
  saban_stmt_bind_text (ins, 4, now);
  if (!saban_stmt_run (ins, error))
    return FALSE;
  return saban_store_audit (store, NULL, "create-user", username, role, error);
}

gboolean
saban_auth_lookup_token (SabanStore *store, const char *token, char **username, char **role)
{
  g_autoptr(SabanStmt) stmt = NULL;
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);

  /* a locked account's tokens stop too */
  stmt = saban_store_prepare (store, "SELECT t.username, u.role FROM tokens t JOIN users u USING (username) "
                              "WHERE t.hash = ? AND t.expires > ? AND u.locked IS NULL", NULL);
  if (stmt == NULL)
    return FALSE;
  saban_stmt_bind_text (stmt, 1, hash);
  saban_stmt_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
  if (!saban_stmt_step (stmt, NULL))
    return FALSE;
  *username = g_strdup (saban_stmt_column_text (stmt, 0));
  *role = g_strdup (saban_stmt_column_text (stmt, 1));
  return TRUE;
}

/* The role of @username, or NULL. */
static char *
account_role (SabanStore *store, const char *username)
{
  g_autoptr(SabanStmt) stmt = saban_store_prepare (store, "SELECT role FROM users WHERE username = ?", NULL);

  if (stmt == NULL)
    return NULL;
  saban_stmt_bind_text (stmt, 1, username);
  if (!saban_stmt_step (stmt, NULL))
    return NULL;
  return g_strdup (saban_stmt_column_text (stmt, 0));
}

/* Requests waiting for the hashing pool beyond this are told to come back. */
#define LOGIN_QUEUE_MAX 64

typedef struct
{
  GThreadPool        *pool;
  SabanLoginThrottle *throttle;
  guint               token_lifetime;
  guint               lockout;
} Auth;

typedef struct
{
  Auth *auth;
  char *username;
  char *password;
  char *stored;
  char *address;
} Login;

static void
login_free (gpointer data)
{
  Login *l = data;

  g_free (l->username);
  if (l->password)
    memset (l->password, 0, strlen (l->password));
  g_free (l->password);
  g_free (l->stored);
  g_free (l->address);
  g_free (l);
}

/* In the hashing pool; the answer goes back to the main loop through the task. */
static void
login_hash (gpointer data, gpointer unused)
{
  g_autoptr(GTask) task = data;
  Login *l = g_task_get_task_data (task);

  /* An unknown user costs the same time as a wrong password. */
  if (l->stored == NULL)
    {
      g_autofree char *dummy = saban_auth_hash_password (l->password, SABAN_PBKDF2_ITERATIONS);
      g_task_return_boolean (task, FALSE);
      return;
    }
  g_task_return_boolean (task, saban_auth_verify_password (l->stored, l->password));
}

/* A failed sign-in: counted, and the account locked (on record) at the lockout. */
static void
login_failed (SabanStore *store, Login *l)
{
  gboolean locks = saban_login_throttle_failed (l->auth->throttle, l->username, l->address);

  saban_store_audit (store, l->username, "login-failed", NULL, l->address, NULL);
  if (locks && l->stored != NULL)
    {
      g_autoptr(SabanStmt) st = saban_store_prepare (store, "UPDATE users SET locked = ? WHERE username = ?",
                                                        NULL);
      g_autofree char *now = saban_store_now ();
      g_autofree char *detail = g_strdup_printf ("%u failed sign-ins in a row, the last from %s",
                                                 l->auth->lockout, l->address);

      saban_stmt_bind_text (st, 1, now);
      saban_stmt_bind_text (st, 2, l->username);
      saban_stmt_run (st, NULL);
      saban_store_audit (store, NULL, "account-locked", l->username, detail, NULL);
    }
}

static void
login_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SoupServerMessage) msg = user_data;
  SabanServer *server = SABAN_SERVER (source);
  SabanStore *store = saban_server_get_store (server);
  Login *l = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  guint8 raw[32];
  g_autofree char *token = NULL, *hash = NULL, *role = NULL;
  g_autoptr(SabanStmt) ins = NULL;
  g_autoptr(JsonObject) reply = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    {
      login_failed (store, l);
      saban_message_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid-credentials",
                           "unknown user or wrong password", NULL);
      soup_server_message_unpause (msg);
      return;
    }
  saban_login_throttle_clear (l->auth->throttle, l->username);

  random_bytes (raw, sizeof raw);
  token = g_base64_encode (raw, sizeof raw);
  g_strdelimit (token, "+", '-');
  g_strdelimit (token, "/", '_');
  g_strdelimit (token, "=", '\0');
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);

  if (!saban_store_begin (store, &error))
    goto fail;
  /* Expired tokens are dropped as new ones are made. */
  ins = saban_store_prepare (store, "DELETE FROM tokens WHERE expires <= ?", &error);
  if (ins == NULL)
    goto fail;
  saban_stmt_bind_int64 (ins, 1, now);
  saban_stmt_run (ins, NULL);
  g_clear_pointer (&ins, saban_stmt_free);
  ins = saban_store_prepare (store, "INSERT INTO tokens (hash, username, expires) VALUES (?, ?, ?)", &error);
  if (ins == NULL)
    goto fail;
  saban_stmt_bind_text (ins, 1, hash);
  saban_stmt_bind_text (ins, 2, l->username);
  saban_stmt_bind_int64 (ins, 3, now + l->auth->token_lifetime);
  if (!saban_stmt_run (ins, &error))
    goto fail;
  if (!saban_store_audit (store, l->username, "login", NULL, l->address, &error) ||
      !saban_store_commit (store, &error))
    goto fail;

  reply = json_object_new ();
  json_object_set_string_member (reply, "access_token", token);
  json_object_set_string_member (reply, "token_type", "Bearer");
  json_object_set_int_member (reply, "expires_in", l->auth->token_lifetime);
  /* not OAuth's, ours: who signed in and as what, so the client need not ask */
  json_object_set_string_member (reply, "username", l->username);
  role = account_role (store, l->username);
  json_object_set_string_member (reply, "role", role);
  saban_message_reply_private (msg, SOUP_STATUS_OK, reply);
  soup_server_message_unpause (msg);
  return;

fail:
  saban_store_rollback (store);
  g_printerr ("saban-server: storage error: %s\n", error->message);
  saban_message_storage_error (msg, error);
  soup_server_message_unpause (msg);
}

/* The username and password of a form or JSON body; replies 400 itself. */
static gboolean
read_credentials (SabanRequest *req, char **username, char **password)
{
  const char *ctype = saban_request_header (req, "Content-Type");

  if (ctype != NULL && g_str_has_prefix (ctype, "application/x-www-form-urlencoded"))
    {
      g_autoptr(GHashTable) form = saban_request_parse_form (req);

      if (form != NULL)
        {
          *username = g_strdup (g_hash_table_lookup (form, "username"));
          *password = g_strdup (g_hash_table_lookup (form, "password"));
        }
    }
  else
    {
      g_autoptr(JsonNode) root = saban_request_parse_json (req);
      JsonObject *obj;

      if (root == NULL)
        return FALSE;
      if (!JSON_NODE_HOLDS_OBJECT (root))
        {
          saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-request", "expected a JSON object");
          return FALSE;
        }
      obj = json_node_get_object (root);
      if (json_object_has_member (obj, "username") && JSON_NODE_HOLDS_VALUE (json_object_get_member (obj, "username")))
        *username = g_strdup (json_object_get_string_member_with_default (obj, "username", NULL));
      if (json_object_has_member (obj, "password") && JSON_NODE_HOLDS_VALUE (json_object_get_member (obj, "password")))
        *password = g_strdup (json_object_get_string_member_with_default (obj, "password", NULL));
    }
  if (*username == NULL || *password == NULL || strlen (*username) > 128 || strlen (*password) > 1024)
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-request",
                           "username (≤ 128 bytes) and password (≤ 1024 bytes) are required, in UTF-8");
      return FALSE;
    }
  return TRUE;
}

/* The stored hash of @username, and whether the account is locked. */
static char *
stored_password (SabanStore *store, const char *username, gboolean *locked)
{
  g_autoptr(SabanStmt) stmt = saban_store_prepare (store, "SELECT password, locked FROM users WHERE username = ?",
                                                      NULL);

  *locked = FALSE;
  if (stmt == NULL)
    return NULL;
  saban_stmt_bind_text (stmt, 1, username);
  if (!saban_stmt_step (stmt, NULL))
    return NULL;
  *locked = !saban_stmt_column_is_null (stmt, 1);
  return g_strdup (saban_stmt_column_text (stmt, 0));
}

/* POST /auth/token: OAuth 2 password grant shape, form or JSON body. */
static void
token_post (SabanRequest *req, gpointer user_data)
{
  Auth *auth = user_data;
  SoupMessageHeaders *out = soup_server_message_get_response_headers (req->msg);
  g_autofree char *username = NULL, *password = NULL;
  const char *address = soup_server_message_get_remote_host (req->msg);
  gboolean locked;
  guint wait;
  Login *l;
  GTask *task;

  if (!read_credentials (req, &username, &password))
    return;
  l = g_new0 (Login, 1);
  l->auth = auth;
  l->username = g_steal_pointer (&username);
  l->password = g_steal_pointer (&password);
  l->address = g_strdup (address);
  l->stored = stored_password (saban_server_get_store (req->server), l->username, &locked);
  if (locked || saban_login_throttle_is_locked (auth->throttle, l->username))
    {
      saban_request_error (req, SOUP_STATUS_FORBIDDEN, "account-locked",
                           "this account is locked after repeated failed sign-ins; an administrator can unlock it");
      login_free (l);
      return;
    }
  if ((wait = saban_login_throttle_wait (auth->throttle, l->username, address)) > 0)
    {
      g_autofree char *after = g_strdup_printf ("%u", wait);

      soup_message_headers_replace (out, "Retry-After", after);
      saban_request_error (req, 429, "login-throttled",
                           "too many failed sign-ins for this account or from this address; try again in %u s",
                           wait);
      login_free (l);
      return;
    }
  if (g_thread_pool_unprocessed (auth->pool) >= LOGIN_QUEUE_MAX)
    {
      soup_message_headers_replace (out, "Retry-After", "1");
      saban_request_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy", "too many sign-ins at once; try again");
      login_free (l);
      return;
    }

  /* The KDF is deliberately slow: keep it off the main loop, in its own pool. */
  soup_server_message_pause (req->msg);
  task = g_task_new (req->server, NULL, login_done, g_object_ref (req->msg));
  g_task_set_task_data (task, l, login_free);
  g_thread_pool_push (auth->pool, task, NULL);
}

/* Deletes tokens matching @where (bound to @value) with an audit row; the number deleted, -1 on error. */
static int
delete_tokens (SabanRequest *req, const char *where, const char *value, const char *action, const char *target)
{
  SabanStore *store = saban_server_get_store (req->server);
  g_autofree char *sql = g_strdup_printf ("DELETE FROM tokens WHERE %s = ?", where);
  g_autoptr(SabanStmt) st = NULL;
  g_autoptr(GError) error = NULL;
  int n;

  if (!saban_store_begin (store, &error) || (st = saban_store_prepare (store, sql, &error)) == NULL)
    goto fail;
  saban_stmt_bind_text (st, 1, value);
  if (!saban_stmt_run (st, &error))
    goto fail;
  n = (int) saban_stmt_changes (st);
  if (!saban_store_audit (store, req->user, action, target, NULL, &error) || !saban_store_commit (store, &error))
    goto fail;
  return n;
fail:
  saban_store_rollback (store);
  saban_request_storage_error (req, error);
  return -1;
}

/* POST /auth/logout: the caller's own token ends now. */
static void
logout_post (SabanRequest *req, gpointer user_data)
{
  const char *auth = saban_request_header (req, "Authorization");
  g_autofree char *hash = NULL;

  if (!saban_request_require_user (req))
    return;
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, auth + strlen ("Bearer "), -1);
  if (delete_tokens (req, "hash", hash, "logout", NULL) < 0)
    return;
  soup_server_message_set_status (req->msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* The account named by the path, for an admin; replies itself otherwise. */
static const char *
admin_target (SabanRequest *req, const char *action)
{
  static const char *const none[] = { NULL };
  gboolean locked;
  g_autofree char *stored = NULL;

  if (!saban_request_require_role (req, action, none))
    return NULL;
  stored = stored_password (saban_server_get_store (req->server), req->params[0], &locked);
  if (stored == NULL)
    {
      saban_request_error (req, SOUP_STATUS_NOT_FOUND, "not-found", "no such account");
      return NULL;
    }
  return req->params[0];
}

/* POST /auth/users/{username}/revoke (admin): every token of that account ends now. */
static void
revoke_post (SabanRequest *req, gpointer user_data)
{
  const char *username = admin_target (req, "revoke tokens");
  g_autoptr(JsonObject) obj = NULL;
  int n;

  if (username == NULL || (n = delete_tokens (req, "username", username, "revoke-tokens", username)) < 0)
    return;
  obj = json_object_new ();
  json_object_set_string_member (obj, "username", username);
  json_object_set_int_member (obj, "revoked", n);
  saban_request_reply_object (req, SOUP_STATUS_OK, NULL, obj);
}

/* POST /auth/users/{username}/unlock (admin): lifts a lock after failed sign-ins. */
static void
unlock_post (SabanRequest *req, gpointer user_data)
{
  Auth *auth = user_data;
  SabanStore *store = saban_server_get_store (req->server);
  const char *username = admin_target (req, "unlock accounts");
  g_autoptr(SabanStmt) st = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) obj = NULL;

  if (username == NULL)
    return;
  if (!saban_store_begin (store, &error) ||
      (st = saban_store_prepare (store, "UPDATE users SET locked = NULL WHERE username = ?", &error)) == NULL)
    goto fail;
  saban_stmt_bind_text (st, 1, username);
  if (!saban_stmt_run (st, &error))
    goto fail;
  if (!saban_store_audit (store, req->user, "unlock", username, NULL, &error) || !saban_store_commit (store, &error))
    goto fail;
  saban_login_throttle_clear (auth->throttle, username);
  obj = json_object_new ();
  json_object_set_string_member (obj, "username", username);
  json_object_set_boolean_member (obj, "locked", FALSE);
  saban_request_reply_object (req, SOUP_STATUS_OK, NULL, obj);
  return;
fail:
  saban_store_rollback (store);
  saban_request_storage_error (req, error);
}

static void
auth_free (gpointer data)
{
  Auth *auth = data;

  g_thread_pool_free (auth->pool, TRUE, FALSE);
  g_object_unref (auth->throttle);
  g_free (auth);
}

/* GET /auth/me: who the token belongs to, and the role the client shapes
 * its screens by (the leader's desk opens first for a leader). */
static void
me_get (SabanRequest *req, gpointer user_data)
{
  g_autoptr(JsonObject) o = json_object_new ();

  if (!saban_request_require_user (req))
    return;
  json_object_set_string_member (o, "username", req->user);
  json_object_set_string_member (o, "role", req->role);
  /* who holds a token is not for a cache on the way */
  saban_message_reply_private (req->msg, SOUP_STATUS_OK, o);
}

/**
 * saban_auth_register:
 * @token_lifetime: seconds a token stays valid
 * @lockout: failed sign-ins in a row that lock an account
 *
 * Token lookup for the HTTP layer, and the /auth routes.
 */
void
saban_auth_register (SabanServer *server, guint token_lifetime, guint lockout)
{
  SabanRouter *router = saban_server_get_router (server);
  Auth *auth = g_new0 (Auth, 1);

  auth->pool = g_thread_pool_new (login_hash, NULL, MAX (1, (int) g_get_num_processors () / 2), FALSE, NULL);
  auth->throttle = saban_login_throttle_new (saban_server_get_store (server), lockout);
  auth->token_lifetime = token_lifetime;
  auth->lockout = lockout;
  g_object_set_data_full (G_OBJECT (server), "saban-auth", auth, auth_free);
  saban_server_set_token_lookup (server, saban_auth_lookup_token);
  saban_router_add (router, "POST", "/auth/token", token_post, auth);
  saban_router_add (router, "POST", "/auth/logout", logout_post, auth);
  saban_router_add (router, "GET", "/auth/me", me_get, auth);
  saban_router_add (router, "POST", "/auth/users/{username}/revoke", revoke_post, auth);
  saban_router_add (router, "POST", "/auth/users/{username}/unlock", unlock_post, auth);
}
