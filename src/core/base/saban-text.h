#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *saban_text_fold (const char *text);

G_END_DECLS
