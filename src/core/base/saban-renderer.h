#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *saban_renderer_choose (const char *user_choice,
                                   const char *setting,
                                   const char *dri_dir,
                                   const char *gl_always_software);

gboolean    saban_renderer_has_render_node (const char *dri_dir);

const char *saban_renderer_apply          (const char *setting);

G_END_DECLS
