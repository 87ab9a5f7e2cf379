/* saban-tile-cache.c: a map service's tiles over HTTP, kept on disk as the
 * server allows, and served from disk when the server cannot be reached.
 *
 * One SabanApi per service (its origin: timeouts, TLS verified, requests
 * only to that server), one directory per service under
 * $XDG_CACHE_HOME/saban/tiles/<hash of the service>/z/x/y, each tile with a
 * small `.meta` beside it: when it expires, its ETag and Last-Modified.
 * A fresh tile is read from disk with no request; a stale one is asked
 * again with If-None-Match / If-Modified-Since (304 keeps it); Cache-Control
 * max-age wins over Expires, no-cache makes every use ask, no-store is never
 * written; with none of them a tile keeps a day. When the server does not
 * answer (offline, 5xx) a tile on disk is served whatever its age: a
 * control room keeps its base map through a broken link.
 *
 * Everything the server sends is bounded (a tile ≤ 4 MB and an image, a
 * GetFeatureInfo ≤ 64 KB of text, capabilities ≤ 8 MB) and checked; a
 * password for the service (HTTP Basic) is the user's
 * (saban_tile_cache_set_password) or the Secret Service's, kept under the
 * server's scheme, user, host and port; the URL's user is the account. Blocking calls run in the tile threads (libsoup ≥ 3.2 sends
 * from any thread); capabilities are read in a worker.
 */
#include "saban-tile-cache.h"
#include "saban-api.h"
#include "saban-credentials.h"
#include "saban-error.h"
#include "saban-service-capabilities.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#define MAX_TILE (4 * 1024 * 1024)
#define MAX_INFO (64 * 1024)
#define MAX_CAPABILITIES (8 * 1024 * 1024)
#define DEFAULT_LIFETIME_S (24 * 3600)

struct _SabanTileCache
{
  GObject parent_instance;

  SabanMapService *service;
  SabanApi *api;
  char *dir;
  GOnce auth_once;        /* the Basic credentials, looked up once, by a worker */
  char *password;         /* given by the user (saban_tile_cache_set_password) */
  gint offline;           /* the last request found no server */
};

static void saban_tile_cache_fetcher_init (SabanTileFetcherInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SabanTileCache, saban_tile_cache, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SABAN_TYPE_TILE_FETCHER, saban_tile_cache_fetcher_init))

static void
saban_tile_cache_finalize (GObject *object)
{
  SabanTileCache *self = SABAN_TILE_CACHE (object);

  g_clear_object (&self->service);
  g_clear_object (&self->api);
  g_free (self->dir);
  g_free (self->password);
  g_free (self->auth_once.retval);
  G_OBJECT_CLASS (saban_tile_cache_parent_class)->finalize (object);
}

static void
saban_tile_cache_class_init (SabanTileCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_tile_cache_finalize;
}

static void
saban_tile_cache_init (SabanTileCache *self)
{
  self->auth_once = (GOnce) G_ONCE_INIT;
}

/* "scheme://host:port" of @url */
static char *
origin_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_PARSE_RELAXED, NULL);

  if (uri == NULL)
    return g_strdup ("");
  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri), g_uri_get_port (uri),
                     "", NULL, NULL);
}

/**
 * saban_tile_cache_new:
 * @cache_dir: (nullable): where to keep tiles; %NULL for
 *   $XDG_CACHE_HOME/saban/tiles
 *
 * Returns: (transfer full): the fetcher of @service's tiles
 */
SabanTileCache *
saban_tile_cache_new (SabanMapService *service,
                      const char      *cache_dir)
{
  SabanTileCache *self = g_object_new (SABAN_TYPE_TILE_CACHE, NULL);
  g_autofree char *origin = origin_of (saban_map_service_get_url (service));
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA1, saban_map_service_get_source (service), -1);

  self->service = g_object_ref (service);
  self->api = saban_api_new (origin);
  self->dir = cache_dir != NULL ? g_build_filename (cache_dir, hash, NULL)
                                : g_build_filename (g_get_user_cache_dir (), "saban", "tiles", hash, NULL);
  return self;
}

/**
 * saban_tile_cache_get_directory:
 * Returns: where this service's tiles are kept
 */
const char *
saban_tile_cache_get_directory (SabanTileCache *self)
{
  g_return_val_if_fail (SABAN_IS_TILE_CACHE (self), NULL);
  return self->dir;
}

/**
 * saban_tile_cache_get_offline:
 * Returns: whether the last request found no server (tiles then come from
 *   the disk)
 */
gboolean
saban_tile_cache_get_offline (SabanTileCache *self)
{
  g_return_val_if_fail (SABAN_IS_TILE_CACHE (self), FALSE);
  return g_atomic_int_get (&self->offline);
}

/* One password per account on a server, whichever of its layers: the
 * key is the address's scheme, user, host and port; NULL: no user named. */
static char *
credentials_key (SabanMapService *service)
{
  g_autoptr(GUri) uri = g_uri_parse (saban_map_service_get_url (service), G_URI_FLAGS_PARSE_RELAXED, NULL);

  if (uri == NULL || g_uri_get_user (uri) == NULL)
    return NULL;
  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), g_uri_get_user (uri), g_uri_get_host (uri),
                     g_uri_get_port (uri), "", NULL, NULL);
}

static gpointer
look_up_authorization (gpointer data)
{
  SabanTileCache *self = data;
  g_autoptr(GUri) uri = g_uri_parse (saban_map_service_get_url (self->service), G_URI_FLAGS_PARSE_RELAXED, NULL);
  g_autofree char *key = credentials_key (self->service);
  g_autofree char *password = NULL;
  g_autofree char *pair = NULL;
  g_autofree char *encoded = NULL;

  if (key == NULL)
    return NULL;
  password = self->password != NULL ? g_strdup (self->password) : saban_credentials_lookup (key);
  pair = g_strconcat (g_uri_get_user (uri), ":", password != NULL ? password : "", NULL);
  encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  return g_strconcat ("Basic ", encoded, NULL);
}

static void
store_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  const char *const *key_password = data;

  saban_credentials_store (key_password[0], key_password[1]);
  g_task_return_boolean (task, TRUE);
}

/**
 * saban_tile_cache_set_password:
 * @password: the password of the user the service's address names
 *
 * Used for every request of this cache (call it before the first) and kept
 * in the Secret Service, in a worker, for the next time the service is
 * opened; never in the workspace.
 */
void
saban_tile_cache_set_password (SabanTileCache *self,
                               const char     *password)
{
  g_autoptr(GTask) task = NULL;
  char *key;

  g_return_if_fail (SABAN_IS_TILE_CACHE (self));
  g_return_if_fail (password != NULL);

  g_free (self->password);
  self->password = g_strdup (password);
  key = credentials_key (self->service);
  if (key == NULL)
    return;
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_task_data (task, g_strdupv ((char *[]) { key, self->password, NULL }), (GDestroyNotify) g_strfreev);
  g_free (key);
  g_task_run_in_thread (task, store_thread);
}

/* A request to the service: its user goes in the credentials, not the URL. */
static SoupMessage *
new_request (SabanTileCache *self,
             const char     *url,
             GError        **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED, NULL);
  g_autofree char *bare = uri != NULL ? g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO) : g_strdup (url);
  SoupMessage *msg = saban_api_new_message (self->api, "GET", bare, error);
  const char *authorization = g_once (&self->auth_once, look_up_authorization, self);

  if (msg != NULL && authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  return msg;
}

/* What the disk holds of one tile. */
typedef struct
{
  gint64 expires;
  char *etag;
  char *last_modified;
} Meta;

static void
meta_clear (Meta *m)
{
  g_clear_pointer (&m->etag, g_free);
  g_clear_pointer (&m->last_modified, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Meta, meta_clear)

static gboolean
read_meta (const char *path,
           Meta       *m)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, NULL))
    return FALSE;
  m->expires = g_key_file_get_int64 (kf, "tile", "expires", NULL);
  m->etag = g_key_file_get_string (kf, "tile", "etag", NULL);
  m->last_modified = g_key_file_get_string (kf, "tile", "last-modified", NULL);
  return TRUE;
}

/* How long the answer may be kept, and whether at all, as its headers say. */
static gboolean
lifetime (SoupMessageHeaders *headers,
          gint64              now,
          gint64             *expires)
{
  const char *control = soup_message_headers_get_one (headers, "Cache-Control");
  const char *expires_header = soup_message_headers_get_one (headers, "Expires");
  g_autoptr(GHashTable) params = control != NULL ? soup_header_parse_param_list (control) : NULL;
  const char *max_age = params != NULL ? g_hash_table_lookup (params, "max-age") : NULL;

  if (params != NULL && g_hash_table_contains (params, "no-store"))
    return FALSE;
  if (params != NULL && g_hash_table_contains (params, "no-cache"))
    *expires = now;
  else if (max_age != NULL)
    *expires = now + CLAMP (g_ascii_strtoll (max_age, NULL, 10), 0, G_MAXINT32);
  else if (expires_header != NULL)
    {
      g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (expires_header);

      /* an unreadable Expires means already expired (RFC 9111) */
      *expires = when != NULL ? g_date_time_to_unix (when) : now;
    }
  else
    *expires = now + DEFAULT_LIFETIME_S;
  return TRUE;
}

static void
write_meta (const char         *path,
            SoupMessageHeaders *headers,
            gint64              expires,
            const Meta         *old)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  const char *etag = soup_message_headers_get_one (headers, "ETag");
  const char *modified = soup_message_headers_get_one (headers, "Last-Modified");

  g_key_file_set_int64 (kf, "tile", "expires", expires);
  if (etag != NULL || (old != NULL && old->etag != NULL))
    g_key_file_set_string (kf, "tile", "etag", etag != NULL ? etag : old->etag);
  if (modified != NULL || (old != NULL && old->last_modified != NULL))
    g_key_file_set_string (kf, "tile", "last-modified", modified != NULL ? modified : old->last_modified);
  g_key_file_save_to_file (kf, path, NULL);
}

static GBytes *
read_tile (const char *path)
{
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);

  if (file == NULL || g_mapped_file_get_length (file) == 0 || g_mapped_file_get_length (file) > MAX_TILE)
    return NULL;
  return g_mapped_file_get_bytes (file);
}

static gboolean
is_image (SoupMessage *msg)
{
  const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);

  return type != NULL && g_str_has_prefix (type, "image/");
}

/* The server's answer that is no tile (a WMS exception, a 404), as an error
 * whose message the log can show. */
static GError *
not_a_tile (SoupMessage *msg,
            GBytes      *body)
{
  GError *status = saban_api_status_error (msg);
  g_autofree char *uri = g_uri_to_string (soup_message_get_uri (msg));
  gsize n = 0;
  const char *text = body != NULL ? g_bytes_get_data (body, &n) : NULL;
  g_autofree char *shown = text != NULL && g_utf8_validate (text, (gssize) MIN (n, 300), NULL)
                           ? g_strndup (text, MIN (n, 300)) : g_strdup ("");

  if (status != NULL)
    return status;
  return g_error_new (SABAN_API_ERROR, SABAN_API_ERROR_REFUSED, "%s: not an image: %s", uri, shown);
}

static GBytes *
fetch_tile (SabanTileFetcher *fetcher,
            guint             zoom,
            guint             x,
            guint             y,
            GCancellable     *cancellable,
            GError          **error)
{
  SabanTileCache *self = SABAN_TILE_CACHE (fetcher);
  g_autofree char *folder = g_strdup_printf ("%s/%u/%u", self->dir, zoom, x);
  g_autofree char *path = g_strdup_printf ("%s/%u", folder, y);
  g_autofree char *meta_path = g_strconcat (path, ".meta", NULL);
  g_autofree char *url = saban_map_service_tile_url (self->service, zoom, x, y);
  g_autoptr(GBytes) cached = read_tile (path);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_auto(Meta) meta = { 0 };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC, expires;
  GError *local = NULL;
  guint status;

  if (cached != NULL && read_meta (meta_path, &meta) && now < meta.expires)
    return g_steal_pointer (&cached);
  msg = new_request (self, url, error);
  if (msg == NULL)
    return NULL;
  if (cached != NULL && meta.etag != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-None-Match", meta.etag);
  if (cached != NULL && meta.last_modified != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-Modified-Since", meta.last_modified);
  body = saban_api_send (self->api, msg, MAX_TILE, cancellable, &local);
  status = body != NULL ? soup_message_get_status (msg) : 0;
  g_atomic_int_set (&self->offline, body == NULL || status >= 500);
  if ((body == NULL || status >= 500) && cached != NULL &&
      !g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* the server is away: what the disk has, whatever its age */
      g_clear_error (&local);
      return g_steal_pointer (&cached);
    }
  if (body == NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  if (status == SOUP_STATUS_NOT_MODIFIED && cached != NULL)
    {
      if (lifetime (soup_message_get_response_headers (msg), now, &expires))
        write_meta (meta_path, soup_message_get_response_headers (msg), expires, &meta);
      return g_steal_pointer (&cached);
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status) || !is_image (msg) || g_bytes_get_size (body) == 0)
    {
      g_propagate_error (error, not_a_tile (msg, body));
      return NULL;
    }
  if (lifetime (soup_message_get_response_headers (msg), now, &expires) && g_mkdir_with_parents (folder, 0700) == 0 &&
      g_file_set_contents (path, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), NULL))
    write_meta (meta_path, soup_message_get_response_headers (msg), expires, NULL);
  return g_steal_pointer (&body);
}

static char *
identify (SabanTileFetcher *fetcher,
          double            x,
          double            y,
          double            pixel,
          GCancellable     *cancellable,
          GError          **error)
{
  SabanTileCache *self = SABAN_TILE_CACHE (fetcher);
  g_autofree char *url = saban_map_service_feature_info_url (self->service, x, y, pixel);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  GError *status;
  gsize n;
  const char *text;

  if (url == NULL)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_NO_DATA, _("This map service says nothing about a point"));
      return NULL;
    }
  msg = new_request (self, url, error);
  if (msg == NULL || (body = saban_api_send (self->api, msg, MAX_INFO, cancellable, error)) == NULL)
    return NULL;
  if ((status = saban_api_status_error (msg)) != NULL)
    {
      g_propagate_error (error, status);
      return NULL;
    }
  text = g_bytes_get_data (body, &n);
  return g_utf8_make_valid (text != NULL ? text : "", (gssize) n);
}

static SabanMapService *
get_service (SabanTileFetcher *fetcher)
{
  return SABAN_TILE_CACHE (fetcher)->service;
}

static void
saban_tile_cache_fetcher_init (SabanTileFetcherInterface *iface)
{
  iface->get_service = get_service;
  iface->fetch_tile = fetch_tile;
  iface->identify = identify;
}

typedef struct
{
  GPtrArray *layers;
  char *version;
} Capabilities;

static void
capabilities_free (Capabilities *c)
{
  g_clear_pointer (&c->layers, g_ptr_array_unref);
  g_free (c->version);
  g_free (c);
}

/* A WMS-T REST template names no user: on the server the capabilities
 * came from, it gets theirs, so its tiles are asked with the same
 * password; on another server (a CDN) none is lent. */
static void
lend_user (SabanMapService   *service,
           SabanServiceLayer *layer)
{
  g_autoptr(GUri) from = g_uri_parse (saban_map_service_get_url (service), G_URI_FLAGS_PARSE_RELAXED, NULL);
  g_autoptr(GUri) to = layer->tile_template != NULL ? g_uri_parse (layer->tile_template,
                                                                   G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED, NULL) : NULL;
  g_autoptr(GUri) lent = NULL;

  if (from == NULL || to == NULL || g_uri_get_user (from) == NULL || g_uri_get_user (to) != NULL ||
      g_ascii_strcasecmp (g_uri_get_scheme (from), g_uri_get_scheme (to)) != 0 ||
      g_ascii_strcasecmp (g_uri_get_host (from), g_uri_get_host (to)) != 0 || g_uri_get_port (from) != g_uri_get_port (to))
    return;
  lent = g_uri_build_with_user (g_uri_get_flags (to), g_uri_get_scheme (to), g_uri_get_user (from), NULL, NULL,
                                g_uri_get_host (to), g_uri_get_port (to), g_uri_get_path (to), g_uri_get_query (to),
                                g_uri_get_fragment (to));
  g_free (layer->tile_template);
  layer->tile_template = g_uri_to_string (lent);
}

static void
capabilities_thread (GTask        *task,
                     gpointer      source,
                     gpointer      data,
                     GCancellable *cancellable)
{
  SabanTileCache *self = source;
  g_autofree char *url = saban_map_service_capabilities_url (self->service);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  Capabilities *c;

  if (url == NULL)
    {
      g_task_return_new_error (task, SABAN_ERROR, SABAN_ERROR_INVALID, _("This map service has no description to read"));
      return;
    }
  msg = new_request (self, url, &error);
  if (msg != NULL)
    body = saban_api_send (self->api, msg, MAX_CAPABILITIES, cancellable, &error);
  if (body != NULL)
    error = saban_api_status_error (msg);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  c = g_new0 (Capabilities, 1);
  c->layers = saban_service_capabilities_parse (saban_map_service_get_kind (self->service),
                                                g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                                &c->version, &error);
  if (c->layers == NULL)
    {
      capabilities_free (c);
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < c->layers->len; i++)
    lend_user (self->service, g_ptr_array_index (c->layers, i));
  g_task_return_pointer (task, c, (GDestroyNotify) capabilities_free);
}

/**
 * saban_tile_cache_read_capabilities_async:
 *
 * Reads the WMS or WMS-T server's GetCapabilities in a worker.
 */
void
saban_tile_cache_read_capabilities_async (SabanTileCache      *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, saban_tile_cache_read_capabilities_async);
  g_task_run_in_thread (task, capabilities_thread);
}

/**
 * saban_tile_cache_read_capabilities_finish:
 * @version: (out) (optional) (transfer full): the version the server speaks
 *
 * Returns: (transfer full) (element-type SabanServiceLayer): its layers
 */
GPtrArray *
saban_tile_cache_read_capabilities_finish (SabanTileCache *self,
                                           GAsyncResult   *result,
                                           char          **version,
                                           GError        **error)
{
  Capabilities *c = g_task_propagate_pointer (G_TASK (result), error);
  GPtrArray *layers;

  if (c == NULL)
    return NULL;
  layers = g_steal_pointer (&c->layers);
  if (version != NULL)
    *version = g_steal_pointer (&c->version);
  capabilities_free (c);
  return layers;
}
