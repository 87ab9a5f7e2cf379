/* saban-hillshade.c: shaded relief and a hypsometric tint for DEMs.
 *
 * The shading is gdaldem hillshade's (Horn's slope, light from azimuth 315°
 * at 45°, grey 1–255, 0 where it cannot be computed), so a planner sees the
 * same relief here as in the files their surveyors make with GDAL; the test
 * compares the two on one DEM.
 */
#include "saban-hillshade.h"

#include <math.h>

/**
 * saban_hillshade:
 * @elevation: (array): @width × @height elevations, row by row, north first
 * @valid: (array) (nullable): per elevation, nonzero where it is data
 * @ew_resolution: metres (in the elevations' unit) from one column to the next
 * @ns_resolution: the same from one row to the next, positive
 * @z_factor: vertical exaggeration
 * @shade: (out caller-allocates) (array): @width × @height grey levels
 *
 * Shades every cell whose eight neighbours are data; the others, and the
 * border, get 0 (gdaldem's nodata).
 */
void
saban_hillshade (const float  *elevation,
                 const guint8 *valid,
                 guint         width,
                 guint         height,
                 double        ew_resolution,
                 double        ns_resolution,
                 double        z_factor,
                 guint8       *shade)
{
  double azimuth = SABAN_HILLSHADE_AZIMUTH * G_PI / 180, altitude = SABAN_HILLSHADE_ALTITUDE * G_PI / 180;
  double z = z_factor / 8;
  double sin_alt = sin (altitude), cos_alt_z = cos (altitude) * z;
  double cos_az = cos (azimuth) * cos_alt_z, sin_az = sin (azimuth) * cos_alt_z;
  double inv_ew = 1 / ew_resolution, inv_ns = -1 / ns_resolution;

  for (guint row = 0; row < height; row++)
    for (guint col = 0; col < width; col++)
      {
        const float *n = elevation + (gsize) (row - 1) * width + col - 1;
        double x, y, c;
        gboolean inside = row > 0 && col > 0 && row + 1 < height && col + 1 < width;

        shade[(gsize) row * width + col] = 0;
        if (!inside)
          continue;
        if (valid != NULL)
          {
            const guint8 *v = valid + (gsize) (row - 1) * width + col - 1;

            if (!(v[0] && v[1] && v[2] && v[width] && v[width + 1] && v[width + 2] &&
                  v[2 * width] && v[2 * width + 1] && v[2 * width + 2]))
              continue;
          }
        x = ((n[0] + 2.0 * n[width] + n[2 * width]) - (n[2] + 2.0 * n[width + 2] + n[2 * width + 2])) * inv_ew;
        y = ((n[2 * width] + 2.0 * n[2 * width + 1] + n[2 * width + 2]) - (n[0] + 2.0 * n[1] + n[2])) * inv_ns;
        c = (sin_alt - (y * cos_az - x * sin_az)) / sqrt (1 + z * z * (x * x + y * y));
        shade[(gsize) row * width + col] = c <= 0 ? 1 : (guint8) MIN (255, floor (1 + 254 * c + 0.5));
      }
}

typedef struct
{
  double at;
  guint8 rgb[3];
} Stop;

/* Green lowlands through yellow and brown hills to pale peaks: the tints of
 * Vietnamese topographic maps. */
static const Stop ramp[] = {
  { 0.00, { 0x5a, 0x9e, 0x5a } },
  { 0.20, { 0x9c, 0xc4, 0x74 } },
  { 0.40, { 0xe8, 0xd8, 0x8c } },
  { 0.60, { 0xc8, 0x9a, 0x5c } },
  { 0.80, { 0x9a, 0x6a, 0x48 } },
  { 1.00, { 0xf2, 0xee, 0xea } },
};

/**
 * saban_hypsometric_color:
 * @low: the elevation at the ramp's start
 * @high: the elevation at its end
 * @rgb: (out caller-allocates) (array fixed-size=3): the colour
 */
void
saban_hypsometric_color (double  elevation,
                         double  low,
                         double  high,
                         guint8 *rgb)
{
  double t = high > low ? CLAMP ((elevation - low) / (high - low), 0, 1) : 0;
  guint i = 1;

  while (i + 1 < G_N_ELEMENTS (ramp) && ramp[i].at < t)
    i++;
  for (guint k = 0; k < 3; k++)
    {
      double f = (t - ramp[i - 1].at) / (ramp[i].at - ramp[i - 1].at);

      rgb[k] = (guint8) (ramp[i - 1].rgb[k] + f * (ramp[i].rgb[k] - ramp[i - 1].rgb[k]) + 0.5);
    }
}
