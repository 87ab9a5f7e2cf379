/* saban-credentials.c: passwords live in the Secret Service, never in a
 * workspace file, a log or a message: a database's, a map service's (under
 * its server and user), and the IOC account's (kept at sign-in, so
 * `saban --report` finds it without SABAN_PASSWORD).
 *
 * A connection string is kept without its password; the password is stored
 * under that stripped string and put back when the source is opened again.
 * Where no Secret Service runs (a test machine, a bare session), storing and
 * looking up quietly do nothing: the user is asked for the password again.
 * These calls block on D-Bus: use them from worker threads only.
 */
#include "saban-credentials.h"

#include <libsecret/secret.h>
#include <string.h>

static const SecretSchema *
schema (void)
{
  static const SecretSchema the_schema = {
    "io.github.saban.Connection", SECRET_SCHEMA_NONE,
    {
      { "connection", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &the_schema;
}

/* libpq's keyword=value form: the value may be quoted with ' and \ escapes. */
static const char *
find_password (const char *source,
               const char **value_end)
{
  const char *p = source;

  while ((p = strstr (p, "password")) != NULL)
    {
      const char *v = p + strlen ("password");

      if (p > source && p[-1] != ' ' && p[-1] != ':')
        {
          p = v;
          continue;
        }
      while (*v == ' ')
        v++;
      if (*v != '=')
        {
          p = v;
          continue;
        }
      v++;
      while (*v == ' ')
        v++;
      if (*v == '\'')
        {
          const char *e = v + 1;
          while (*e != '\0' && *e != '\'')
            e += (*e == '\\' && e[1] != '\0') ? 2 : 1;
          *value_end = *e == '\'' ? e + 1 : e;
        }
      else
        *value_end = v + strcspn (v, " ");
      return p;
    }
  return NULL;
}

/**
 * saban_credentials_strip:
 * @password: (out) (optional) (nullable): the password it held, unquoted
 *
 * Returns: (transfer full): @source without its password
 */
char *
saban_credentials_strip (const char  *source,
                         char       **password)
{
  const char *end = NULL;
  const char *start = find_password (source, &end);
  g_autoptr(GString) out = NULL;

  if (password != NULL)
    *password = NULL;
  if (start == NULL)
    return g_strdup (source);

  if (password != NULL)
    {
      const char *v = strchr (start, '=') + 1;
      g_autoptr(GString) value = g_string_new (NULL);

      while (*v == ' ')
        v++;
      if (*v == '\'')
        {
          for (const char *c = v + 1; c < end && *c != '\''; c++)
            {
              if (*c == '\\' && c + 1 < end)
                c++;
              g_string_append_c (value, *c);
            }
        }
      else
        g_string_append_len (value, v, end - v);
      *password = g_string_free (g_steal_pointer (&value), FALSE);
    }

  out = g_string_new_len (source, start - source);
  g_string_append (out, end);
  /* No doubled space where the password was. */
  g_string_replace (out, "  ", " ", 0);
  g_strchomp (out->str);
  out->len = strlen (out->str);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * saban_credentials_keep:
 *
 * Stores the password of @source, if it holds one, under @source without it.
 */
void
saban_credentials_keep (const char *source)
{
  g_autofree char *password = NULL;
  g_autofree char *stripped = saban_credentials_strip (source, &password);
  g_autoptr(GError) error = NULL;

  if (password == NULL || !g_str_has_prefix (source, "PG:"))
    return;
  if (!secret_password_store_sync (schema (), SECRET_COLLECTION_DEFAULT, stripped, password, NULL, &error,
                                   "connection", stripped, NULL))
    g_debug ("No Secret Service to keep the password of %s: %s", stripped, error->message);
}

/**
 * saban_credentials_attach:
 *
 * Returns: (transfer full): @source with its stored password put back, or
 *   @source itself when it has one already or none is stored
 */
char *
saban_credentials_attach (const char *source)
{
  const char *end;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autoptr(GString) out = NULL;

  if (!g_str_has_prefix (source, "PG:") || find_password (source, &end) != NULL)
    return g_strdup (source);
  password = secret_password_lookup_sync (schema (), NULL, &error, "connection", source, NULL);
  if (password == NULL)
    return g_strdup (source);

  out = g_string_new (source);
  g_string_append (out, " password='");
  for (const char *c = password; *c != '\0'; c++)
    {
      if (*c == '\'' || *c == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *c);
    }
  g_string_append_c (out, '\'');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * saban_credentials_store:
 * @key: what the password is for, without it (a map service's source)
 *
 * Keeps @password for @key in the Secret Service, where one runs. Blocking.
 */
void
saban_credentials_store (const char *key,
                         const char *password)
{
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_sync (schema (), SECRET_COLLECTION_DEFAULT, key, password, NULL, &error,
                                   "connection", key, NULL))
    g_debug ("No Secret Service to keep the password of %s: %s", key, error->message);
}

/**
 * saban_credentials_lookup:
 * @key: as given to saban_credentials_store()
 *
 * Blocking.
 *
 * Returns: (transfer full) (nullable): the password kept for @key
 */
char *
saban_credentials_lookup (const char *key)
{
  g_autoptr(GError) error = NULL;
  char *password = secret_password_lookup_sync (schema (), NULL, &error, "connection", key, NULL);
  char *copy = g_strdup (password);

  secret_password_free (password);
  return copy;
}

static const SecretSchema *
account_schema (void)
{
  static const SecretSchema the_schema = {
    "io.github.saban.Account", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &the_schema;
}

/**
 * saban_credentials_keep_account:
 * @server: the IOC server's URL
 *
 * Stores the password @account signed in to @server with. Blocks on D-Bus.
 */
void
saban_credentials_keep_account (const char *server, const char *account, const char *password)
{
  g_autofree char *label = g_strdup_printf ("Sa Bàn: %s @ %s", account, server);
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_sync (account_schema (), SECRET_COLLECTION_DEFAULT, label, password, NULL, &error,
                                   "server", server, "account", account, NULL))
    g_debug ("No Secret Service to keep the password of %s: %s", account, error->message);
}

/**
 * saban_credentials_lookup_account:
 *
 * Returns: (transfer full) (nullable): the password kept for @account on
 *   @server, or %NULL (none kept, or no Secret Service). Blocks on D-Bus.
 */
char *
saban_credentials_lookup_account (const char *server, const char *account)
{
  g_autoptr(GError) error = NULL;
  char *password = secret_password_lookup_sync (account_schema (), NULL, &error, "server", server, "account", account,
                                                NULL);

  if (error != NULL)
    g_debug ("No Secret Service to look the password of %s up: %s", account, error->message);
  return password;
}
