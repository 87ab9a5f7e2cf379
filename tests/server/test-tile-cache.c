/* SabanTileCache against a real HTTP server in the test (libsoup's, on
 * loopback): the server's caching headers decide what is kept and for how
 * long, a stale tile is asked again with its ETag, the disk serves when the
 * server is gone, and what is not a tile is refused and not kept. */
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "saban-api.h"
#include "saban-files.h"
#include "saban-tile-cache.h"

typedef struct
{
  SoupServer *server;
  char *base;            /* http://127.0.0.1:port */
  char *dir;             /* the cache's root */
  guint requests;
  char *cache_control;   /* sent with each tile; NULL: none */
  char *expires;
  char *etag;            /* a 304 when If-None-Match equals it */
  char *content_type;
  char *last_if_none_match;
  char *last_authorization;
  guint not_modified;
} Fixture;

static void
serve (SoupServer        *server,
       SoupServerMessage *msg,
       const char        *path,
       GHashTable        *query,
       gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *in = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *out = soup_server_message_get_response_headers (msg);
  const char *match = soup_message_headers_get_one (in, "If-None-Match");
  g_autofree char *body = g_strdup_printf ("tile %s", path);

  f->requests++;
  g_free (f->last_if_none_match);
  f->last_if_none_match = g_strdup (match);
  g_free (f->last_authorization);
  f->last_authorization = g_strdup (soup_message_headers_get_one (in, "Authorization"));
  if (f->cache_control != NULL)
    soup_message_headers_replace (out, "Cache-Control", f->cache_control);
  if (f->expires != NULL)
    soup_message_headers_replace (out, "Expires", f->expires);
  if (f->etag != NULL)
    soup_message_headers_replace (out, "ETag", f->etag);
  if (f->etag != NULL && g_strcmp0 (match, f->etag) == 0)
    {
      f->not_modified++;
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }
  soup_server_message_set_response (msg, f->content_type, SOUP_MEMORY_COPY, body, strlen (body));
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;

  f->server = soup_server_new (NULL, NULL);
  f->content_type = g_strdup ("image/png");
  soup_server_add_handler (f->server, "/tiles", serve, f, NULL);
  g_assert_true (soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  f->dir = g_dir_make_tmp ("saban-tiles-XXXXXX", NULL);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->server);
  saban_remove_tree (f->dir, NULL);
  g_free (f->dir);
  g_free (f->base);
  g_free (f->cache_control);
  g_free (f->expires);
  g_free (f->etag);
  g_free (f->content_type);
  g_free (f->last_if_none_match);
  g_free (f->last_authorization);
}

static SabanTileCache *
xyz_cache (Fixture *f, const char *user)
{
  g_autofree char *url = g_strdup_printf ("%s/tiles/{z}/{x}/{y}.png", f->base);
  g_autoptr(SabanMapService) service = NULL;
  g_autoptr(GError) error = NULL;

  if (user != NULL)
    {
      g_autofree char *with_user = g_strdup_printf ("http://%s@%s/tiles/{z}/{x}/{y}.png", user, f->base + strlen ("http://"));

      g_free (url);
      url = g_steal_pointer (&with_user);
    }
  service = saban_map_service_new (SABAN_SERVICE_XYZ, url, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return saban_tile_cache_new (service, f->dir);
}

typedef struct
{
  SabanTileCache *cache;
  guint z, x, y;
  GBytes *bytes;
  GError *error;
  gboolean done;
} Fetch;

static gpointer
fetch_thread (gpointer data)
{
  Fetch *fetch = data;

  fetch->bytes = saban_tile_fetcher_fetch_tile (SABAN_TILE_FETCHER (fetch->cache), fetch->z, fetch->x, fetch->y,
                                                NULL, &fetch->error);
  g_atomic_int_set (&fetch->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

/* A tile thread's fetch, while this thread serves. */
static GBytes *
fetch (SabanTileCache *cache, guint z, guint x, guint y, GError **error)
{
  Fetch f = { cache, z, x, y, NULL, NULL, FALSE };
  GThread *thread = g_thread_new ("fetch", fetch_thread, &f);

  while (!g_atomic_int_get (&f.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  if (f.error != NULL)
    g_propagate_error (error, f.error);
  return f.bytes;
}

static void
assert_body (GBytes *bytes, const char *expected)
{
  gsize n;
  const char *data = g_bytes_get_data (bytes, &n);

  g_assert_cmpmem (data, n, expected, strlen (expected));
}

/* max-age: the second use is from the disk, no request. */
static void
test_max_age (Fixture *f, gconstpointer data)
{
  g_autoptr(SabanTileCache) cache = xyz_cache (f, NULL);
  g_autoptr(GBytes) first = NULL, second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;

  f->cache_control = g_strdup ("public, max-age=3600");
  first = fetch (cache, 3, 5, 2, &error);
  g_assert_no_error (error);
  assert_body (first, "tile /tiles/3/5/2.png");
  second = fetch (cache, 3, 5, 2, &error);
  g_assert_no_error (error);
  assert_body (second, "tile /tiles/3/5/2.png");
  g_assert_cmpuint (f->requests, ==, 1);
  file = g_build_filename (saban_tile_cache_get_directory (cache), "3", "5", "2", NULL);
  g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));
  g_assert_true (g_str_has_prefix (saban_tile_cache_get_directory (cache), f->dir));
}

/* no-store: never written, asked each time. */
static void
test_no_store (Fixture *f, gconstpointer data)
{
  g_autoptr(SabanTileCache) cache = xyz_cache (f, NULL);
  g_autoptr(GBytes) first = NULL, second = NULL;
  g_autofree char *file = NULL;

  f->cache_control = g_strdup ("no-store");
  first = fetch (cache, 1, 0, 0, NULL);
  second = fetch (cache, 1, 0, 0, NULL);
  g_assert_nonnull (first);
  g_assert_nonnull (second);
  g_assert_cmpuint (f->requests, ==, 2);
  file = g_build_filename (saban_tile_cache_get_directory (cache), "1", "0", "0", NULL);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
}

/* no-cache with an ETag: every use asks; 304 keeps the tile. */
static void
test_etag (Fixture *f, gconstpointer data)
{
  g_autoptr(SabanTileCache) cache = xyz_cache (f, NULL);
  g_autoptr(GBytes) first = NULL, second = NULL;
  g_autoptr(GError) error = NULL;

  f->cache_control = g_strdup ("no-cache");
  f->etag = g_strdup ("\"v1\"");
  first = fetch (cache, 4, 1, 1, &error);
  g_assert_no_error (error);
  g_assert_null (f->last_if_none_match);
  second = fetch (cache, 4, 1, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (f->last_if_none_match, ==, "\"v1\"");
  g_assert_cmpuint (f->not_modified, ==, 1);
  assert_body (second, "tile /tiles/4/1/1.png");
}

/* An Expires in the past: kept, but asked again next time. */
static void
test_expires (Fixture *f, gconstpointer data)
{
  g_autoptr(SabanTileCache) cache = xyz_cache (f, NULL);
  g_autoptr(GBytes) first = NULL, second = NULL;

  f->expires = g_strdup ("Thu, 01 Jan 2015 00:00:00 GMT");
  first = fetch (cache, 2, 1, 1, NULL);
  second = fetch (cache, 2, 1, 1, NULL);
  g_assert_nonnull (second);
  g_assert_cmpuint (f->requests, ==, 2);
}

/* The server gone: a stale tile on disk is served; one never fetched is an
 * error that says the server cannot be reached. */
static void
test_offline (Fixture *f, gconstpointer data)
{
  g_autoptr(SabanTileCache) cache = xyz_cache (f, NULL);
  g_autoptr(GBytes) first = NULL, kept = NULL, missing = NULL;
  g_autoptr(GError) error = NULL;

  f->cache_control = g_strdup ("max-age=0");
  first = fetch (cache, 5, 3, 3, NULL);
  g_assert_nonnull (first);
  g_assert_false (saban_tile_cache_get_offline (cache));
  soup_server_disconnect (f->server);
  kept = fetch (cache, 5, 3, 3, &error);
  g_assert_no_error (error);
  assert_body (kept, "tile /tiles/5/3/3.png");
  g_assert_true (saban_tile_cache_get_offline (cache));
  missing = fetch (cache, 5, 3, 4, &error);
  g_assert_null (missing);
  g_assert_error (error, SABAN_API_ERROR, SABAN_API_ERROR_UNREACHABLE);
}

/* A WMS exception (XML, status 200) is no tile: refused, not kept. */
static void
test_not_an_image (Fixture *f, gconstpointer data)
{
  g_autoptr(SabanTileCache) cache = xyz_cache (f, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;

  g_free (f->content_type);
  f->content_type = g_strdup ("application/vnd.ogc.se_xml");
  bytes = fetch (cache, 2, 0, 0, &error);
  g_assert_null (bytes);
  g_assert_error (error, SABAN_API_ERROR, SABAN_API_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "not an image"));
  file = g_build_filename (saban_tile_cache_get_directory (cache), "2", "0", "0", NULL);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
}

/* The URL's user goes as HTTP Basic (the password from the Secret Service,
 * none here); a service's tiles never leave for another server. */
static void
test_user (Fixture *f, gconstpointer data)
{
  g_autoptr(SabanTileCache) cache = xyz_cache (f, "quyhoach");
  g_autoptr(GBytes) bytes = fetch (cache, 0, 0, 0, NULL);
  g_autofree char *expected = g_strconcat ("Basic ", "cXV5aG9hY2g6", NULL);   /* base64 "quyhoach:" */

  g_assert_nonnull (bytes);
  g_assert_cmpstr (f->last_authorization, ==, expected);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, fn) g_test_add (name, Fixture, NULL, setup, fn, teardown)
  ADD ("/tile-cache/max-age", test_max_age);
  ADD ("/tile-cache/no-store", test_no_store);
  ADD ("/tile-cache/etag", test_etag);
  ADD ("/tile-cache/expires", test_expires);
  ADD ("/tile-cache/offline", test_offline);
  ADD ("/tile-cache/not-an-image", test_not_an_image);
  ADD ("/tile-cache/user", test_user);
#undef ADD
  return g_test_run ();
}
