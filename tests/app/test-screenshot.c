/* The real `saban` under Xvfb, in Vietnamese, on the demo province: it must
 * draw a styled province, not a blank or grey window. The screenshot is
 * kept in the build directory to look at. Run straight from the build tree
 * with none of `meson devenv`'s variables, it still finds its schema, demo
 * and translations; a copy elsewhere says how to run it. */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "app-test.h"

static GPtrArray *
palette (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "resources", "palettes", "landuse.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *codes;
  GPtrArray *colors = g_ptr_array_new_with_free_func ((GDestroyNotify) gdk_rgba_free);
  g_autoptr(GList) members = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  codes = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "codes");
  members = json_object_get_members (codes);
  for (GList *l = members; l != NULL; l = l->next)
    {
      GdkRGBA rgba;
      g_assert_true (gdk_rgba_parse (&rgba, json_object_get_string_member (json_object_get_object_member (codes, l->data), "color")));
      g_ptr_array_add (colors, gdk_rgba_copy (&rgba));
    }
  return colors;
}

static void
test_screenshot (void)
{
  g_autoptr(GdkTexture) texture = app_test_run_screenshot ("screenshot-vi.png", NULL);
  g_autoptr(GPtrArray) colors = palette ();
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autofree guint8 *pixels = NULL;
  int width, height, palette_pixels = 0, total = 0;

  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  g_assert_cmpint (width, >=, 800);
  g_assert_cmpint (height, >=, 500);
  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, width * 4);

  /* The middle of the map area (right of the sidebar): land-use colours. */
  for (int y = height * 3 / 10; y < height * 7 / 10; y += 2)
    for (int x = width * 45 / 100; x < width * 75 / 100; x += 2)
      {
        const guint8 *p = pixels + 4 * ((gsize) y * width + x);
        int r = p[2], g = p[1], b = p[0];

        total++;
        g_hash_table_add (seen, GINT_TO_POINTER (r << 16 | g << 8 | b));
        for (guint i = 0; i < colors->len; i++)
          {
            const GdkRGBA *c = g_ptr_array_index (colors, i);
            if (abs (r - (int) (c->red * 255 + 0.5)) <= 3 && abs (g - (int) (c->green * 255 + 0.5)) <= 3 &&
                abs (b - (int) (c->blue * 255 + 0.5)) <= 3)
              {
                palette_pixels++;
                break;
              }
          }
      }
  g_test_message ("%d of %d central pixels in the land-use palette, %u colours", palette_pixels, total,
                  g_hash_table_size (seen));
  /* Boundaries, rivers, roads and symbols cover the rest. */
  g_assert_cmpint (palette_pixels, >, total / 3);
  g_assert_cmpuint (g_hash_table_size (seen), >=, 5);
}

/* a launcher without what `meson devenv` (or the test's environment) sets */
static GSubprocessLauncher *
bare_launcher (void)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);

  for (const char *const *v = (const char *const[]) { "GSETTINGS_SCHEMA_DIR", "SABAN_DEMO_DATA", "SABAN_LOCALEDIR",
                                                      "SABAN_REPORT_TEMPLATE", NULL }; *v != NULL; v++)
    g_subprocess_launcher_unsetenv (launcher, *v);
  return launcher;
}

/* issue 15: `build/src/app/saban` run as it is works */
static void
test_from_build_tree (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "screenshot-build-tree.png", NULL);
  g_autoptr(GSubprocessLauncher) launcher = bare_launcher ();
  g_autoptr(GSubprocess) saban = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  g_remove (path);
  saban = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("SABAN_BIN"), "--screenshot", path, NULL);
  g_assert_no_error (error);
  /* read as it comes: a full pipe would stop it */
  g_subprocess_communicate (saban, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (saban));
  texture = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), >=, 800);
}

/* a copy away from its build tree and never installed: a message naming
 * `meson devenv`, not an abort */
static void
test_elsewhere (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *copy = g_build_filename (dir, "saban", NULL);
  g_autoptr(GFile) from = g_file_new_for_path (g_getenv ("SABAN_BIN"));
  g_autoptr(GFile) to = g_file_new_for_path (copy);
  g_autoptr(GSubprocessLauncher) launcher = bare_launcher ();
  g_autoptr(GSubprocess) saban = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_chmod (copy, 0755);
  /* nor a schema installed where GLib looks */
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_DIRS", dir, TRUE);
  saban = g_subprocess_launcher_spawn (launcher, &error, copy, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (saban, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (saban));
  g_assert_cmpint (g_subprocess_get_exit_status (saban), ==, 1);
  g_test_message ("%s", err);
  g_assert_nonnull (strstr (err, "meson devenv -C build saban"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/screenshot", test_screenshot);
  g_test_add_func ("/app/screenshot/from-build-tree", test_from_build_tree);
  g_test_add_func ("/app/screenshot/elsewhere", test_elsewhere);
  return g_test_run ();
}
