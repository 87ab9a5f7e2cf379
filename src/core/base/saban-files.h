#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean saban_remove_tree (const char  *path,
                            GError     **error);

G_END_DECLS
