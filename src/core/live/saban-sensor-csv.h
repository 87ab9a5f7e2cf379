#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *saban_sensor_csv_format (GArray     *series,
                                 const char *unit);

G_END_DECLS
