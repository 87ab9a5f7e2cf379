#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *saban_format_decimal_separator (void);
char *saban_format_number     (double value,
                               int    decimals);
char *saban_format_degrees    (double latitude,
                               double longitude);
char *saban_format_dms        (double latitude,
                               double longitude);
char *saban_format_vn2000     (double easting,
                               double northing);

G_END_DECLS
