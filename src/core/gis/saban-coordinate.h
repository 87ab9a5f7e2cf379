#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean saban_coordinate_parse  (const char  *text,
                                  double      *latitude,
                                  double      *longitude,
                                  GError     **error);
char    *saban_coordinate_format (double       latitude,
                                  double       longitude);

G_END_DECLS
