#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *saban_format_decimal_separator (void);
double saban_nice_step        (double span,
                              int    n_ticks);
char *saban_format_number     (double value,
                               int    decimals);
char *saban_format_number_with (double      value,
                                int         decimals,
                                const char *decimal_sep,
                                const char *group_sep);
char *saban_format_degrees    (double latitude,
                               double longitude);
char *saban_format_dms        (double latitude,
                               double longitude);
char *saban_format_vn2000     (double easting,
                               double northing);
char *saban_format_reading    (double      value,
                               const char *unit);
char *saban_format_area       (double      m2);
char *saban_format_length     (double      m);
char *saban_format_age        (gint64      age_s);
char *saban_format_local_time (gint64      time_us,
                               const char *format);

G_END_DECLS
