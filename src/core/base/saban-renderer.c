/* saban-renderer.c: which of GTK's renderers Sa Bàn draws with
 *
 * GTK's default renderer is GL. With no GPU driver (common on control-room and
 * wall PCs) Mesa runs GL in software (llvmpipe), and every frame repaints the
 * whole window on the CPU: a 1 Hz chart cost 13.7 % of a core, a full-HD
 * frame 120–140 ms. GTK's cairo renderer repaints only what changed (1.7 %;
 * docs/benchmarks.md, issue 15). So where GL would be software, Sa Bàn asks
 * for cairo. The decision is pure here; the application applies it through
 * GSK_RENDERER before GTK makes its first renderer.
 */
#include "saban-renderer.h"

/* the DRM render nodes a GPU driver offers; none means Mesa's software GL */
#define RENDER_NODE_PREFIX "renderD"

/**
 * saban_renderer_has_render_node:
 * @dri_dir: the DRM device folder, normally `/dev/dri`
 *
 * Returns: whether @dri_dir holds a render node (`renderD*`)
 */
gboolean
saban_renderer_has_render_node (const char *dri_dir)
{
  g_autoptr(GDir) dir = g_dir_open (dri_dir, 0, NULL);
  const char *name;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, RENDER_NODE_PREFIX))
      return TRUE;
  return FALSE;
}

/* Mesa's own reading of LIBGL_ALWAYS_SOFTWARE: set and not "0" or "false" */
static gboolean
forced_software (const char *gl_always_software)
{
  return gl_always_software != NULL && *gl_always_software != '\0' && g_strcmp0 (gl_always_software, "0") != 0 &&
         g_ascii_strcasecmp (gl_always_software, "false") != 0;
}

/**
 * saban_renderer_choose:
 * @user_choice: (nullable): `GSK_RENDERER` as the user set it
 * @setting: (nullable): the `renderer` setting: `auto`, `gl` or `cairo`
 * @dri_dir: the DRM device folder, normally `/dev/dri`
 * @gl_always_software: (nullable): `LIBGL_ALWAYS_SOFTWARE`
 *
 * Decides the renderer: the user's `GSK_RENDERER` stands; `gl` or `cairo`
 * in the setting is taken as it is; `auto` (and anything unknown) picks
 * cairo where GL would run in software — no render node in @dri_dir, or
 * Mesa told to render in software — and GTK's own default otherwise.
 *
 * Returns: (nullable): the value to give `GSK_RENDERER`, or %NULL to leave
 *   it as it is
 */
const char *
saban_renderer_choose (const char *user_choice,
                       const char *setting,
                       const char *dri_dir,
                       const char *gl_always_software)
{
  if (user_choice != NULL && *user_choice != '\0')
    return NULL;
  if (g_strcmp0 (setting, "gl") == 0)
    return "gl";
  if (g_strcmp0 (setting, "cairo") == 0)
    return "cairo";
  if (forced_software (gl_always_software) || !saban_renderer_has_render_node (dri_dir))
    return "cairo";
  return NULL;
}

/**
 * saban_renderer_apply:
 * @setting: (nullable): the `renderer` setting
 *
 * Sets `GSK_RENDERER` as saban_renderer_choose() decides for this machine
 * (`/dev/dri`, the environment). Call it before GTK makes its first
 * renderer and while the process has no other thread: setenv() is unsafe
 * beside a getenv() in another thread.
 *
 * Returns: (nullable): what it set, or %NULL where it left GTK's choice
 */
const char *
saban_renderer_apply (const char *setting)
{
  const char *choice = saban_renderer_choose (g_getenv ("GSK_RENDERER"), setting, "/dev/dri",
                                              g_getenv ("LIBGL_ALWAYS_SOFTWARE"));

  if (choice != NULL)
    g_setenv ("GSK_RENDERER", choice, TRUE);
  return choice;
}
