/* saban-measure.c: lengths and areas on the WGS 84 ellipsoid.
 *
 * Features are kept in Web Mercator, where a hectare near Lào Cai is drawn
 * about 1.17 times too large; users need true figures, so measurements go
 * back to longitude and latitude and use PROJ's geodesic routines (Karney).
 */
#include "saban-measure.h"

#include <geodesic.h>
#include <math.h>

#define WEB_MERCATOR_RADIUS 6378137.0

void
saban_mercator_to_lonlat (double  x,
                          double  y,
                          double *lon,
                          double *lat)
{
  *lon = x / WEB_MERCATOR_RADIUS * 180 / G_PI;
  *lat = atan (sinh (y / WEB_MERCATOR_RADIUS)) * 180 / G_PI;
}

void
saban_lonlat_to_mercator (double  lon,
                          double  lat,
                          double *x,
                          double *y)
{
  *x = lon * G_PI / 180 * WEB_MERCATOR_RADIUS;
  *y = log (tan (G_PI / 4 + lat * G_PI / 360)) * WEB_MERCATOR_RADIUS;
}

static const struct geod_geodesic *
wgs84 (void)
{
  static struct geod_geodesic g;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      geod_init (&g, 6378137.0, 1 / 298.257223563);
      g_once_init_leave (&initialized, 1);
    }
  return &g;
}

/**
 * saban_measure_length:
 * @xy: (array): Web Mercator x, y pairs
 *
 * Returns: the geodesic length of the polyline, in metres
 */
double
saban_measure_length (const double *xy,
                      guint32       n_points)
{
  double total = 0;

  for (guint32 i = 0; i + 1 < n_points; i++)
    {
      double lon1, lat1, lon2, lat2, s12;

      saban_mercator_to_lonlat (xy[2 * i], xy[2 * i + 1], &lon1, &lat1);
      saban_mercator_to_lonlat (xy[2 * i + 2], xy[2 * i + 3], &lon2, &lat2);
      geod_inverse (wgs84 (), lat1, lon1, lat2, lon2, &s12, NULL, NULL);
      total += s12;
    }
  return total;
}

/**
 * saban_measure_ring_area:
 * @xy: (array): Web Mercator x, y pairs; closed or not
 *
 * Returns: the geodesic area enclosed, in square metres, always positive
 */
double
saban_measure_ring_area (const double *xy,
                         guint32       n_points)
{
  struct geod_polygon polygon;
  double area = 0, perimeter = 0;

  geod_polygon_init (&polygon, 0);
  for (guint32 i = 0; i < n_points; i++)
    {
      double lon, lat;

      saban_mercator_to_lonlat (xy[2 * i], xy[2 * i + 1], &lon, &lat);
      geod_polygon_addpoint (wgs84 (), &polygon, lat, lon);
    }
  geod_polygon_compute (wgs84 (), &polygon, FALSE, TRUE, &area, &perimeter);
  return fabs (area);
}

static gboolean
ring_contains (const double *xy,
               guint32       n,
               double        x,
               double        y)
{
  gboolean inside = FALSE;

  for (guint32 i = 0, j = n - 1; i < n; j = i++)
    if ((xy[2 * i + 1] > y) != (xy[2 * j + 1] > y) &&
        x < (xy[2 * j] - xy[2 * i]) * (y - xy[2 * i + 1]) / (xy[2 * j + 1] - xy[2 * i + 1]) + xy[2 * i])
      inside = !inside;
  return inside;
}

/**
 * saban_measure_distance:
 *
 * Returns: the geodesic distance between two WGS 84 points, in metres
 *   (the inverse problem)
 */
double
saban_measure_distance (double lon1,
                        double lat1,
                        double lon2,
                        double lat2)
{
  double s12 = 0;

  geod_inverse (wgs84 (), lat1, lon1, lat2, lon2, &s12, NULL, NULL);
  return s12;
}

/**
 * saban_measure_destination:
 * @azimuth: degrees clockwise from north
 * @distance: metres along the geodesic
 *
 * Where the geodesic from (@lon, @lat) leads (the direct problem).
 */
void
saban_measure_destination (double  lon,
                           double  lat,
                           double  azimuth,
                           double  distance,
                           double *lon2,
                           double *lat2)
{
  geod_direct (wgs84 (), lat, lon, azimuth, distance, lat2, lon2, NULL);
}

/**
 * saban_measure_circle:
 * @radius: metres along the ellipsoid
 * @lonlat: (out caller-allocates) (array): room for @n_vertices + 1 longitude, latitude pairs
 *
 * A geodesic circle as a closed ring: @n_vertices points at exactly @radius
 * from the centre, clockwise from north, then the first again.
 */
void
saban_measure_circle (double  lon,
                      double  lat,
                      double  radius,
                      guint   n_vertices,
                      double *lonlat)
{
  for (guint i = 0; i < n_vertices; i++)
    saban_measure_destination (lon, lat, 360.0 * i / n_vertices, radius, &lonlat[2 * i], &lonlat[2 * i + 1]);
  lonlat[2 * n_vertices] = lonlat[0];
  lonlat[2 * n_vertices + 1] = lonlat[1];
}

/* Whether (@x, @y) lies on an edge of ring @xy, to a millimetre. */
static gboolean
ring_touches (const double *xy,
              guint32       n,
              double        x,
              double        y)
{
  for (guint32 i = 0, j = n - 1; i < n; j = i++)
    {
      double ax = xy[2 * j], ay = xy[2 * j + 1], dx = xy[2 * i] - ax, dy = xy[2 * i + 1] - ay;
      double len2 = dx * dx + dy * dy;
      double t = len2 > 0 ? CLAMP (((x - ax) * dx + (y - ay) * dy) / len2, 0, 1) : 0;
      double ex = ax + t * dx - x, ey = ay + t * dy - y;

      if (ex * ex + ey * ey < 1e-6)
        return TRUE;
    }
  return FALSE;
}

/* Whether ring @inner lies inside ring @outer. Testing one vertex is not
 * enough: the parts of a multi-polygon often share edges and vertices
 * (adjacent parcels merged into one feature), and a vertex on the other
 * ring's boundary is "inside" or not by rounding. Vertices on the boundary
 * are left out; the others decide, and a hole has them all inside. */
static gboolean
ring_inside (const double *inner,
             guint32       n_inner,
             const double *outer,
             guint32       n_outer)
{
  guint32 inside = 0, outside = 0;

  for (guint32 i = 0; i < n_inner; i++)
    {
      double x = inner[2 * i], y = inner[2 * i + 1];

      if (ring_touches (outer, n_outer, x, y))
        continue;
      if (ring_contains (outer, n_outer, x, y))
        inside++;
      else
        outside++;
    }
  return inside > outside;
}

/**
 * saban_measure_ring_sign:
 * @part: one of @feature's parts
 *
 * A ring inside an odd number of the feature's other rings is a hole,
 * whatever its winding: sources do not all orient rings the same way.
 *
 * Returns: 1 for an outer ring, -1 for a hole
 */
double
saban_measure_ring_sign (const SabanFeatureArrays *a,
                         guint32                   feature,
                         guint32                   part)
{
  guint32 first_part = a->part_starts[feature], end_part = a->part_starts[feature + 1];
  const double *xy = a->xy + 2 * (gsize) a->point_starts[part];
  guint32 n = a->point_starts[part + 1] - a->point_starts[part];
  guint depth = 0;

  for (guint32 other = first_part; other < end_part; other++)
    if (other != part &&
        ring_inside (xy, n, a->xy + 2 * (gsize) a->point_starts[other],
                     a->point_starts[other + 1] - a->point_starts[other]))
      depth++;
  return depth % 2 == 0 ? 1 : -1;
}

/**
 * saban_measure_feature:
 * @area_m2: (out): the polygon's area, holes subtracted; 0 for others
 * @length_m: (out): a line's length, or a polygon's perimeter
 */
void
saban_measure_feature (SabanVectorLayer *layer,
                       guint32           feature,
                       double           *area_m2,
                       double           *length_m)
{
  const SabanFeatureArrays *a = saban_vector_layer_get_arrays (layer);
  gboolean polygon = saban_vector_layer_get_kind (layer) == SABAN_GEOMETRY_POLYGON;
  guint32 first_part = a->part_starts[feature], end_part = a->part_starts[feature + 1];

  *area_m2 = 0;
  *length_m = 0;
  for (guint32 part = first_part; part < end_part; part++)
    {
      const double *xy = a->xy + 2 * (gsize) a->point_starts[part];
      guint32 n = a->point_starts[part + 1] - a->point_starts[part];

      *length_m += saban_measure_length (xy, n);
      if (polygon && n >= 3)
        *area_m2 += saban_measure_ring_sign (a, feature, part) * saban_measure_ring_area (xy, n);
    }
}

/* Rings taller than this go through Karney's algorithm. */
#define LOCAL_MAX_EXTENT 5000.0

/**
 * saban_measure_local_ring_area:
 * @xy: (array): Web Mercator x, y pairs; closed or not, degenerate edges allowed
 *
 * The ring's area on the WGS 84 ellipsoid, as the planar Mercator area times
 * the ellipsoid's area element at the ring's centroid: in Web Mercator
 * (a sphere's formulas on geodetic latitude, radius a) a square metre of the
 * map holds (1 − e²) cos²φ / (1 − e² sin²φ)² square metres of ellipsoid. The
 * element varies linearly to first order across the ring, so taking it at the
 * centroid errs by about (extent / a)², under 1e-8 for a cadastral parcel;
 * edges straight in Mercator rather than geodesics differ from
 * saban_measure_ring_area()'s by under 1e-6 for rings of a few hundred metres.
 * About a hundred times faster than saban_measure_ring_area(), which it calls
 * for rings more than 5 km tall.
 *
 * Returns: the area in square metres, positive when counter-clockwise
 * (x east, y north), negative otherwise
 */
double
saban_measure_local_ring_area (const double *xy,
                               guint32       n_points)
{
  const double e2 = (2 - 1 / 298.257223563) / 298.257223563;
  double twice_area = 0, moment = 0, min_y = G_MAXDOUBLE, max_y = -G_MAXDOUBLE;
  double x0, y0, t, s, c;

  if (n_points < 3)
    return 0;
  /* Relative to the first vertex, so that large coordinates cancel. */
  x0 = xy[0];
  y0 = xy[1];
  for (guint32 i = 0; i < n_points; i++)
    {
      guint32 j = i + 1 == n_points ? 0 : i + 1;
      double xi = xy[2 * i] - x0, yi = xy[2 * i + 1] - y0;
      double xj = xy[2 * j] - x0, yj = xy[2 * j + 1] - y0;
      double cross = xi * yj - xj * yi;

      twice_area += cross;
      moment += (yi + yj) * cross;
      min_y = MIN (min_y, xy[2 * i + 1]);
      max_y = MAX (max_y, xy[2 * i + 1]);
    }
  if (twice_area == 0)
    return 0;
  if (max_y - min_y > LOCAL_MAX_EXTENT)
    return copysign (saban_measure_ring_area (xy, n_points), twice_area);
  /* At the centroid, sin φ = tanh (y / a) and cos φ = 1 / cosh (y / a). */
  t = (y0 + moment / (3 * twice_area)) / WEB_MERCATOR_RADIUS;
  s = tanh (t);
  c = 1 / cosh (t);
  return twice_area / 2 * (1 - e2) * c * c / ((1 - e2 * s * s) * (1 - e2 * s * s));
}

/**
 * saban_measure_feature_local_area:
 *
 * A polygon feature's area (holes subtracted) with
 * saban_measure_local_ring_area(): for the many small polygons of a
 * cadastre, where saban_measure_feature() would take too long.
 *
 * Returns: square metres on the WGS 84 ellipsoid
 */
double
saban_measure_feature_local_area (SabanVectorLayer *layer,
                                  guint32           feature)
{
  const SabanFeatureArrays *a = saban_vector_layer_get_arrays (layer);
  guint32 first_part = a->part_starts[feature], end_part = a->part_starts[feature + 1];
  double area = 0;

  for (guint32 part = first_part; part < end_part; part++)
    {
      double ring = fabs (saban_measure_local_ring_area (a->xy + 2 * (gsize) a->point_starts[part],
                                                         a->point_starts[part + 1] - a->point_starts[part]));

      area += end_part - first_part == 1 ? ring : saban_measure_ring_sign (a, feature, part) * ring;
    }
  return area;
}
