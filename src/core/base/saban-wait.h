#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean saban_wait_for (const gboolean *done,
                         guint           seconds);

G_END_DECLS
