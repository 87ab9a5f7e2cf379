/* peer-cgi.c: a CGI program behind lighttpd on loopback, each test its own
 * in a temporary directory; and the helpers the map-service peers share. */
#include "peer-cgi.h"

#include <gdal.h>
#include <cpl_vsi.h>
#include <glib/gstdio.h>
#include <signal.h>

#define LIGHTTPD "/usr/sbin/lighttpd"

/**
 * peer_write_file:
 * @mode: its permissions (0755 for a script)
 *
 * Writes @contents to @dir/@name; the test fails if it cannot.
 */
void
peer_write_file (const char *dir,
                 const char *name,
                 const char *contents,
                 int         mode)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

/**
 * peer_cgi_start:
 * @name: the CGI's name: it answers at http://127.0.0.1:PORT/cgi-bin/NAME
 * @program: the CGI executable
 * @config_variable: the environment variable that names its configuration
 * @prepare: called with the port before lighttpd is started on it
 * @port: (out): where it listens
 *
 * Returns: lighttpd, listening (its log: DIR/lighttpd.log)
 */
PeerProcess *
peer_cgi_start (const char     *dir,
                const char     *name,
                const char     *program,
                const char     *config_variable,
                const char     *config_path,
                PeerCgiPrepare  prepare,
                gpointer        data,
                guint16        *port)
{
  g_autofree char *www = g_build_filename (dir, "www", NULL);
  g_autofree char *cgi_bin = g_build_filename (www, "cgi-bin", NULL);
  g_autofree char *conf_path = g_build_filename (dir, "lighttpd.conf", NULL);
  g_autofree char *log = g_build_filename (dir, "lighttpd.log", NULL);
  g_autofree char *wrapper = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (cgi_bin, 0755), ==, 0);
  /* lighttpd hands a CGI only the request's variables: the configuration
   * file's location comes through a wrapper. */
  wrapper = g_strdup_printf ("#!/bin/sh\n%s='%s' exec %s\n", config_variable, config_path, program);
  peer_write_file (cgi_bin, name, wrapper, 0755);

  /* Another builder on the machine may take the free port before lighttpd
   * binds it: then lighttpd exits, and a new port is tried. */
  for (int attempt = 1; ; attempt++)
    {
      g_autofree char *conf = NULL;
      g_autofree char *stdio_log = g_build_filename (dir, "lighttpd.out", NULL);
      const char *argv[] = { LIGHTTPD, "-D", "-f", conf_path, NULL };
      PeerProcess *lighttpd;

      *port = peer_free_port ();
      if (prepare != NULL)
        prepare (*port, data);
      conf = g_strdup_printf ("server.modules = ( \"mod_cgi\" )\n"
                              "server.document-root = \"%s\"\n"
                              "server.bind = \"127.0.0.1\"\n"
                              "server.port = %u\n"
                              "server.errorlog = \"%s\"\n"
                              "cgi.assign = ( \"\" => \"\" )\n",
                              www, *port, log);
      peer_write_file (dir, "lighttpd.conf", conf, 0644);
      lighttpd = peer_process_start ("lighttpd", argv, FALSE, SIGTERM, stdio_log, &error);
      g_assert_no_error (error);
      if (peer_wait_for_port (lighttpd, *port, 30, &error))
        return lighttpd;
      if (attempt == 3 || peer_process_is_running (lighttpd))
        g_assert_no_error (error);
      g_test_message ("lighttpd could not start on port %u, trying another: %s", *port, error->message);
      g_clear_error (&error);
      peer_process_stop (lighttpd);
    }
}

/**
 * peer_cgi_log_on_failure:
 *
 * When the test failed, shows what lighttpd and the CGI wrote in @dir.
 */
void
peer_cgi_log_on_failure (const char *dir)
{
  g_autofree char *log_path = g_build_filename (dir, "lighttpd.log", NULL);
  g_autofree char *log = NULL;

  if (g_test_failed () && g_file_get_contents (log_path, &log, NULL, NULL))
    g_test_message ("lighttpd and the CGI said:\n%s", log);
}

static void
capabilities_read (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/**
 * peer_read_capabilities:
 *
 * Returns: (transfer full): the layers @reader's server offers, read as
 *   the service dialog reads them; the test fails if it cannot
 */
GPtrArray *
peer_read_capabilities (SabanTileCache  *reader,
                        char           **version)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *layers;

  saban_tile_cache_read_capabilities_async (reader, NULL, capabilities_read, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  layers = saban_tile_cache_read_capabilities_finish (reader, result, version, &error);
  g_assert_no_error (error);
  return layers;
}

/**
 * peer_decode_png:
 *
 * Returns: (transfer full): a square PNG tile's pixels as RGB (a peer's
 *   PNG may be RGB, RGBA or paletted), through GDAL's PNG driver
 */
guint8 *
peer_decode_png (GBytes *png,
                 int    *size)
{
  g_autofree char *path = g_strdup_printf ("/vsimem/tile-%p.png", (void *) png);
  gsize n;
  const guint8 *data = g_bytes_get_data (png, &n);
  GDALDatasetH ds;
  GDALRasterBandH band;
  GDALColorTableH table;
  guint8 *rgb;
  g_autofree guint8 *first = NULL;

  VSIFCloseL (VSIFileFromMemBuffer (path, (GByte *) data, n, FALSE));
  ds = GDALOpen (path, GA_ReadOnly);
  g_assert_nonnull (ds);
  *size = GDALGetRasterXSize (ds);
  g_assert_cmpint (GDALGetRasterYSize (ds), ==, *size);
  rgb = g_malloc ((gsize) *size * *size * 3);
  first = g_malloc ((gsize) *size * *size);
  band = GDALGetRasterBand (ds, 1);
  table = GDALGetRasterColorTable (band);
  g_assert_cmpint (GDALRasterIO (band, GF_Read, 0, 0, *size, *size, first, *size, *size, GDT_Byte, 0, 0), ==, CE_None);
  for (int i = 0; i < *size * *size; i++)
    {
      if (table != NULL)
        {
          const GDALColorEntry *e = GDALGetColorEntry (table, first[i]);

          rgb[i * 3] = e->c1, rgb[i * 3 + 1] = e->c2, rgb[i * 3 + 2] = e->c3;
        }
      else
        rgb[i * 3] = first[i];
    }
  for (int b = 2; table == NULL && b <= 3; b++)
    g_assert_cmpint (GDALRasterIO (GDALGetRasterBand (ds, b), GF_Read, 0, 0, *size, *size, rgb + b - 1, *size, *size,
                                   GDT_Byte, 3, *size * 3), ==, CE_None);
  GDALClose (ds);
  VSIUnlink (path);
  return rgb;
}
