#pragma once

#include <glib.h>

gboolean saban_datagen_basemap (const char   *path,
                                const double *box,
                                GError      **error);
