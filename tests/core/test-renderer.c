/* The choice of GTK's renderer at start (issue 15): cairo where GL would run
 * in software, the user's GSK_RENDERER and the setting respected. */
#include <glib/gstdio.h>

#include "saban-renderer.h"

typedef struct {
  char *with_gpu;    /* a folder like /dev/dri on a PC with a GPU driver */
  char *without_gpu; /* like /dev/dri with only a display's card node */
  char *missing;     /* no /dev/dri at all, as on this machine */
} Fixture;

static void
touch (const char *dir,
       const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *root = g_dir_make_tmp ("saban-renderer-XXXXXX", NULL);

  g_assert_nonnull (root);
  f->with_gpu = g_build_filename (root, "gpu", NULL);
  f->without_gpu = g_build_filename (root, "nogpu", NULL);
  f->missing = g_build_filename (root, "missing", NULL);
  g_assert_cmpint (g_mkdir (f->with_gpu, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (f->without_gpu, 0700), ==, 0);
  touch (f->with_gpu, "card0");
  touch (f->with_gpu, "renderD128");
  touch (f->without_gpu, "card0");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *root = g_path_get_dirname (f->with_gpu);
  g_autofree char *gpu_card = g_build_filename (f->with_gpu, "card0", NULL);
  g_autofree char *gpu_node = g_build_filename (f->with_gpu, "renderD128", NULL);
  g_autofree char *card = g_build_filename (f->without_gpu, "card0", NULL);

  g_remove (gpu_card);
  g_remove (gpu_node);
  g_remove (card);
  g_rmdir (f->with_gpu);
  g_rmdir (f->without_gpu);
  g_rmdir (root);
  g_free (f->with_gpu);
  g_free (f->without_gpu);
  g_free (f->missing);
}

static void
test_render_node (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_true (saban_renderer_has_render_node (f->with_gpu));
  g_assert_false (saban_renderer_has_render_node (f->without_gpu));
  g_assert_false (saban_renderer_has_render_node (f->missing));
}

/* auto: cairo exactly where GL would be llvmpipe */
static void
test_auto (Fixture       *f,
           gconstpointer  data)
{
  g_assert_null (saban_renderer_choose (NULL, "auto", f->with_gpu, NULL));
  g_assert_cmpstr (saban_renderer_choose (NULL, "auto", f->without_gpu, NULL), ==, "cairo");
  g_assert_cmpstr (saban_renderer_choose (NULL, "auto", f->missing, NULL), ==, "cairo");
  g_assert_cmpstr (saban_renderer_choose (NULL, "auto", f->with_gpu, "1"), ==, "cairo");
  g_assert_cmpstr (saban_renderer_choose (NULL, "auto", f->with_gpu, "true"), ==, "cairo");
  g_assert_null (saban_renderer_choose (NULL, "auto", f->with_gpu, "0"));
  g_assert_null (saban_renderer_choose (NULL, "auto", f->with_gpu, "false"));
  g_assert_null (saban_renderer_choose (NULL, "auto", f->with_gpu, ""));
  /* a setting that cannot be read, or a value from a newer version */
  g_assert_cmpstr (saban_renderer_choose (NULL, NULL, f->missing, NULL), ==, "cairo");
  g_assert_null (saban_renderer_choose (NULL, "vulkan", f->with_gpu, NULL));
  g_assert_cmpstr (saban_renderer_choose ("", "auto", f->missing, NULL), ==, "cairo");
}

/* the setting overrides the hardware test, both ways */
static void
test_setting (Fixture       *f,
              gconstpointer  data)
{
  g_assert_cmpstr (saban_renderer_choose (NULL, "gl", f->missing, "1"), ==, "gl");
  g_assert_cmpstr (saban_renderer_choose (NULL, "cairo", f->with_gpu, NULL), ==, "cairo");
}

/* the user's GSK_RENDERER stands over the setting and the hardware */
static void
test_user (Fixture       *f,
           gconstpointer  data)
{
  g_assert_null (saban_renderer_choose ("gl", "cairo", f->missing, NULL));
  g_assert_null (saban_renderer_choose ("ngl", "auto", f->missing, "1"));
  g_assert_null (saban_renderer_choose ("cairo", "gl", f->with_gpu, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/renderer/render-node", Fixture, NULL, fixture_set_up, test_render_node, fixture_tear_down);
  g_test_add ("/renderer/auto", Fixture, NULL, fixture_set_up, test_auto, fixture_tear_down);
  g_test_add ("/renderer/setting", Fixture, NULL, fixture_set_up, test_setting, fixture_tear_down);
  g_test_add ("/renderer/user", Fixture, NULL, fixture_set_up, test_user, fixture_tear_down);
  return g_test_run ();
}
