#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The light gdaldem hillshade uses by default: from the north-west, 45°
 * above the horizon. */
#define SABAN_HILLSHADE_AZIMUTH  315.0
#define SABAN_HILLSHADE_ALTITUDE 45.0

void  saban_hillshade            (const float *elevation,
                                  const guint8 *valid,
                                  guint         width,
                                  guint         height,
                                  double        ew_resolution,
                                  double        ns_resolution,
                                  double        z_factor,
                                  guint8       *shade);
void  saban_hypsometric_color    (double        elevation,
                                  double        low,
                                  double        high,
                                  guint8       *rgb);

G_END_DECLS
