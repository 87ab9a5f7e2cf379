#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void saban_permission_apply (GtkWidget  *widget,
                             gboolean    allowed,
                             const char *reason);

G_END_DECLS
