/* saban-impact-area.c: the area a scenario covers, ready for many questions.
 *
 * The area is given in longitude and latitude, its edges straight in those
 * degrees, as GEOS and WKT's writers see them. It is kept in Web Mercator like
 * the layers, each edge cut where needed so that its straight Mercator pieces
 * stay within millimetres of the straight lon/lat edge; outer rings turn
 * counter-clockwise and holes clockwise, so that the winding number is 1
 * inside and 0 outside.
 *
 * A grid of at most 512 × 512 cells over its bounds records whether each cell
 * is wholly inside, wholly outside, or may be crossed by the boundary: most
 * questions are answered from it, and only features on crossed cells need
 * geometry.
 */
#include "saban-impact-area.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <ogr_api.h>

#include "saban-error.h"
#include "saban-measure.h"

#define GRID_SIZE 512
/* Over 0.005° of latitude, a straight Mercator edge parts from the straight
 * lon/lat one by 2 mm at 22° N. */
#define MAX_EDGE_DLAT 0.005
#define MAX_RADIUS_M 500000.0
/* A circle's chords stray at most this far inside it. */
#define CIRCLE_SAGITTA_M 0.25

struct _SabanImpactArea
{
  gatomicrefcount ref_count;
  double *xy;             /* Mercator, every ring, without closing points */
  guint32 *ring_starts;   /* n_rings + 1 */
  double *ring_boxes;     /* 4 per ring */
  guint n_rings;
  double area_m2;
  double min_x, min_y, max_x, max_y;
  double cell;
  guint nx, ny;
  guint8 *cells;          /* a SabanImpactAreaPlace per cell, rows from min_y */
  OGRGeometryH geometry;  /* Mercator, for GEOS */
};

G_DEFINE_BOXED_TYPE (SabanImpactArea, saban_impact_area, saban_impact_area_ref, saban_impact_area_unref)

typedef struct
{
  GArray *xy;
  GArray *starts;
  OGRGeometryH polygon;   /* being filled */
  OGRGeometryH multi;
  double area;
} Builder;

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
shoelace (const double *xy,
          guint32       n)
{
  double twice = 0;

  for (guint32 i = 0, j = n - 1; i < n; j = i++)
    twice += (xy[2 * j] - xy[0]) * (xy[2 * i + 1] - xy[1]) - (xy[2 * i] - xy[0]) * (xy[2 * j + 1] - xy[1]);
  return twice / 2;
}

/* @lonlat is closed (its last point repeats its first). */
static void
builder_add_ring (Builder      *b,
                  const double *lonlat,
                  guint32       n,
                  gboolean      hole)
{
  guint32 start = b->xy->len / 2, count;
  double *ring;
  OGRGeometryH ogr_ring = OGR_G_CreateGeometry (wkbLinearRing);

  for (guint32 i = 0; i + 1 < n; i++)
    {
      double lon1 = lonlat[2 * i], lat1 = lonlat[2 * i + 1];
      double lon2 = lonlat[2 * i + 2], lat2 = lonlat[2 * i + 3];
      guint steps = MAX (1, (guint) ceil (fabs (lat2 - lat1) / MAX_EDGE_DLAT));

      for (guint k = 0; k < steps; k++)
        {
          double t = (double) k / steps, p[2];

          saban_lonlat_to_mercator (lon1 + t * (lon2 - lon1), lat1 + t * (lat2 - lat1), &p[0], &p[1]);
          g_array_append_vals (b->xy, p, 2);
        }
    }
  ring = &g_array_index (b->xy, double, 2 * start);
  count = b->xy->len / 2 - start;
  if ((shoelace (ring, count) < 0) != hole)
    for (guint32 i = 0; i < count / 2; i++)
      {
        double x = ring[2 * i], y = ring[2 * i + 1];

        ring[2 * i] = ring[2 * (count - 1 - i)];
        ring[2 * i + 1] = ring[2 * (count - 1 - i) + 1];
        ring[2 * (count - 1 - i)] = x;
        ring[2 * (count - 1 - i) + 1] = y;
      }
  for (guint32 i = 0; i <= count; i++)
    OGR_G_AddPoint_2D (ogr_ring, ring[2 * (i % count)], ring[2 * (i % count) + 1]);
  OGR_G_AddGeometryDirectly (b->polygon, ogr_ring);
  b->area += (hole ? -1 : 1) * saban_measure_ring_area (ring, count);
  count = b->xy->len / 2;
  g_array_append_val (b->starts, count);
}

static void
builder_begin_polygon (Builder *b)
{
  b->polygon = OGR_G_CreateGeometry (wkbPolygon);
}

static void
builder_end_polygon (Builder *b)
{
  OGR_G_AddGeometryDirectly (b->multi, b->polygon);
  b->polygon = NULL;
}

static void
build_grid (SabanImpactArea *self)
{
  g_autoptr(GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  double w = self->max_x - self->min_x, h = self->max_y - self->min_y;

  self->cell = MAX (MAX (w, h) / GRID_SIZE, 1.0);
  self->nx = CLAMP ((guint) ceil (w / self->cell), 1, GRID_SIZE);
  self->ny = CLAMP ((guint) ceil (h / self->cell), 1, GRID_SIZE);
  self->cells = g_malloc0 ((gsize) self->nx * self->ny);

  /* Cells whose centre is inside, row by row (even-odd). */
  for (guint j = 0; j < self->ny; j++)
    {
      double yc = self->min_y + (j + 0.5) * self->cell;

      g_array_set_size (xs, 0);
      for (guint r = 0; r < self->n_rings; r++)
        for (guint32 i = self->ring_starts[r], k = self->ring_starts[r + 1] - 1; i < self->ring_starts[r + 1]; k = i++)
          {
            double x1 = self->xy[2 * k], y1 = self->xy[2 * k + 1], x2 = self->xy[2 * i], y2 = self->xy[2 * i + 1];

            if ((y1 > yc) != (y2 > yc))
              {
                double x = x1 + (yc - y1) * (x2 - x1) / (y2 - y1);
                g_array_append_val (xs, x);
              }
          }
      g_array_sort (xs, compare_doubles);
      for (guint k = 0; k + 1 < xs->len; k += 2)
        {
          double from = ceil ((g_array_index (xs, double, k) - self->min_x) / self->cell - 0.5);
          double to = floor ((g_array_index (xs, double, k + 1) - self->min_x) / self->cell - 0.5);

          for (double i = MAX (from, 0); i <= MIN (to, self->nx - 1.0); i++)
            self->cells[j * self->nx + (guint) i] = SABAN_IMPACT_AREA_INSIDE;
        }
    }

  /* Cells the boundary may cross: each edge in steps of half a cell, and the
   * cells under each step's box. */
  for (guint r = 0; r < self->n_rings; r++)
    for (guint32 i = self->ring_starts[r], k = self->ring_starts[r + 1] - 1; i < self->ring_starts[r + 1]; k = i++)
      {
        double x1 = self->xy[2 * k], y1 = self->xy[2 * k + 1], x2 = self->xy[2 * i], y2 = self->xy[2 * i + 1];
        guint steps = MAX (1, (guint) ceil (hypot (x2 - x1, y2 - y1) / (self->cell / 2)));

        for (guint s = 0; s < steps; s++)
          {
            double ax = x1 + (x2 - x1) * s / steps, ay = y1 + (y2 - y1) * s / steps;
            double bx = x1 + (x2 - x1) * (s + 1) / steps, by = y1 + (y2 - y1) * (s + 1) / steps;
            guint i0 = CLAMP (floor ((MIN (ax, bx) - self->min_x) / self->cell), 0, self->nx - 1);
            guint i1 = CLAMP (floor ((MAX (ax, bx) - self->min_x) / self->cell), 0, self->nx - 1);
            guint j0 = CLAMP (floor ((MIN (ay, by) - self->min_y) / self->cell), 0, self->ny - 1);
            guint j1 = CLAMP (floor ((MAX (ay, by) - self->min_y) / self->cell), 0, self->ny - 1);

            for (guint j = j0; j <= j1; j++)
              for (guint c = i0; c <= i1; c++)
                self->cells[j * self->nx + c] = SABAN_IMPACT_AREA_BOUNDARY;
          }
      }
}

static SabanImpactArea *
builder_finish (Builder *b)
{
  SabanImpactArea *self = g_new0 (SabanImpactArea, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->n_rings = b->starts->len - 1;
  self->ring_starts = (guint32 *) g_array_free (b->starts, FALSE);
  self->xy = (double *) g_array_free (b->xy, FALSE);
  self->geometry = b->multi;
  self->area_m2 = b->area;
  self->ring_boxes = g_new (double, 4 * (gsize) self->n_rings);
  self->min_x = self->min_y = G_MAXDOUBLE;
  self->max_x = self->max_y = -G_MAXDOUBLE;
  for (guint r = 0; r < self->n_rings; r++)
    {
      double *box = &self->ring_boxes[4 * r];

      box[0] = box[1] = G_MAXDOUBLE;
      box[2] = box[3] = -G_MAXDOUBLE;
      for (guint32 i = self->ring_starts[r]; i < self->ring_starts[r + 1]; i++)
        {
          box[0] = MIN (box[0], self->xy[2 * i]);
          box[1] = MIN (box[1], self->xy[2 * i + 1]);
          box[2] = MAX (box[2], self->xy[2 * i]);
          box[3] = MAX (box[3], self->xy[2 * i + 1]);
        }
      self->min_x = MIN (self->min_x, box[0]);
      self->min_y = MIN (self->min_y, box[1]);
      self->max_x = MAX (self->max_x, box[2]);
      self->max_y = MAX (self->max_y, box[3]);
    }
  build_grid (self);
  return self;
}

static void
builder_init (Builder *b)
{
  guint32 zero = 0;

  b->xy = g_array_new (FALSE, FALSE, sizeof (double));
  b->starts = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_array_append_val (b->starts, zero);
  b->multi = OGR_G_CreateGeometry (wkbMultiPolygon);
  b->polygon = NULL;
  b->area = 0;
}

static gboolean
check_ring (OGRGeometryH   ring,
            GError       **error)
{
  int n = OGR_G_GetPointCount (ring);

  if (n < 4)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("A ring of the area has fewer than four points"));
      return FALSE;
    }
  if (OGR_G_GetX (ring, 0) != OGR_G_GetX (ring, n - 1) || OGR_G_GetY (ring, 0) != OGR_G_GetY (ring, n - 1))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID,
                   _("A ring of the area is not closed: its last point must repeat its first"));
      return FALSE;
    }
  for (int i = 0; i < n; i++)
    {
      double lon = OGR_G_GetX (ring, i), lat = OGR_G_GetY (ring, i);

      if (!(fabs (lon) <= 180 && fabs (lat) <= 85))
        {
          g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID,
                       _("The area’s coordinates must be longitudes and latitudes in degrees (WGS 84)"));
          return FALSE;
        }
    }
  return TRUE;
}

static void
add_ogr_ring (Builder      *b,
              OGRGeometryH  ring,
              gboolean      hole)
{
  int n = OGR_G_GetPointCount (ring);
  g_autofree double *lonlat = g_new (double, 2 * (gsize) n);

  OGR_G_GetPoints (ring, lonlat, 2 * sizeof (double), lonlat + 1, 2 * sizeof (double), NULL, 0);
  builder_add_ring (b, lonlat, n, hole);
}

/**
 * saban_impact_area_new_from_wkt:
 * @wkt: a POLYGON or MULTIPOLYGON in longitude, latitude (EPSG:4326 in
 *   GIS order), holes allowed
 *
 * Returns: (transfer full): the area, or %NULL with @error set (translated)
 *   when @wkt is not readable, empty, not a polygon, has an unclosed ring,
 *   coordinates that are not degrees, or a boundary that crosses itself
 */
SabanImpactArea *
saban_impact_area_new_from_wkt (const char  *wkt,
                                GError     **error)
{
  g_autofree char *copy = g_strdup (wkt);
  char *cursor = copy;
  OGRGeometryH g = NULL;
  OGRwkbGeometryType type;
  gboolean valid;
  Builder b;

  CPLPushErrorHandler (CPLQuietErrorHandler);
  if (wkt == NULL || OGR_G_CreateFromWkt (&cursor, NULL, &g) != OGRERR_NONE || g == NULL)
    {
      CPLPopErrorHandler ();
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("The area is not a polygon written as WKT"));
      return NULL;
    }
  type = wkbFlatten (OGR_G_GetGeometryType (g));
  if (type != wkbPolygon && type != wkbMultiPolygon)
    {
      CPLPopErrorHandler ();
      OGR_G_DestroyGeometry (g);
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("The area must be a polygon or a multipolygon"));
      return NULL;
    }
  if (OGR_G_IsEmpty (g))
    {
      CPLPopErrorHandler ();
      OGR_G_DestroyGeometry (g);
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("The area is empty"));
      return NULL;
    }
  for (int p = 0; p < (type == wkbPolygon ? 1 : OGR_G_GetGeometryCount (g)); p++)
    {
      OGRGeometryH polygon = type == wkbPolygon ? g : OGR_G_GetGeometryRef (g, p);

      for (int r = 0; r < OGR_G_GetGeometryCount (polygon); r++)
        if (!check_ring (OGR_G_GetGeometryRef (polygon, r), error))
          {
            CPLPopErrorHandler ();
            OGR_G_DestroyGeometry (g);
            return NULL;
          }
    }
  valid = OGR_G_IsValid (g);
  CPLPopErrorHandler ();
  if (!valid)
    {
      OGR_G_DestroyGeometry (g);
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID,
                   _("The area’s boundary crosses itself, or one of its holes is not inside it"));
      return NULL;
    }

  builder_init (&b);
  for (int p = 0; p < (type == wkbPolygon ? 1 : OGR_G_GetGeometryCount (g)); p++)
    {
      OGRGeometryH polygon = type == wkbPolygon ? g : OGR_G_GetGeometryRef (g, p);

      builder_begin_polygon (&b);
      for (int r = 0; r < OGR_G_GetGeometryCount (polygon); r++)
        add_ogr_ring (&b, OGR_G_GetGeometryRef (polygon, r), r > 0);
      builder_end_polygon (&b);
    }
  OGR_G_DestroyGeometry (g);
  return builder_finish (&b);
}

/* The polygons of what GEOS made valid (a collection may hold lines where
 * a ring touched itself), as one multipolygon; NULL when none. */
static OGRGeometryH
polygons_of (OGRGeometryH g)
{
  OGRwkbGeometryType type = wkbFlatten (OGR_G_GetGeometryType (g));
  OGRGeometryH multi;

  if (type == wkbPolygon || type == wkbMultiPolygon)
    return OGR_G_Clone (g);
  if (type != wkbGeometryCollection)
    return NULL;
  multi = OGR_G_CreateGeometry (wkbMultiPolygon);
  for (int i = 0; i < OGR_G_GetGeometryCount (g); i++)
    {
      OGRGeometryH part = polygons_of (OGR_G_GetGeometryRef (g, i));

      if (part == NULL)
        continue;
      if (wkbFlatten (OGR_G_GetGeometryType (part)) == wkbPolygon)
        OGR_G_AddGeometryDirectly (multi, part);
      else
        {
          for (int k = 0; k < OGR_G_GetGeometryCount (part); k++)
            OGR_G_AddGeometry (multi, OGR_G_GetGeometryRef (part, k));
          OGR_G_DestroyGeometry (part);
        }
    }
  if (OGR_G_GetGeometryCount (multi) == 0)
    {
      OGR_G_DestroyGeometry (multi);
      return NULL;
    }
  return multi;
}

static SabanImpactArea *
new_from_exact_wkt (OGRGeometryH   g,
                    GError       **error)
{
  SabanImpactArea *area = NULL;
  char *wkt = NULL;

  /* every digit: a geometry GEOS made valid must stay valid when read again */
  CPLSetThreadLocalConfigOption ("OGR_WKT_PRECISION", "17");
  if (OGR_G_ExportToWkt (g, &wkt) == OGRERR_NONE)
    area = saban_impact_area_new_from_wkt (wkt, error);
  else
    g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("The area is not a polygon written as WKT"));
  CPLSetThreadLocalConfigOption ("OGR_WKT_PRECISION", NULL);
  CPLFree (wkt);
  return area;
}

/**
 * saban_impact_area_new_from_geometry:
 * @geometry: a polygon or multipolygon in its source's CRS (not changed)
 * @to_wgs84: from that CRS to longitude and latitude (EPSG:4326)
 *
 * A polygon read from data (a planning zone, a province): transformed, and
 * made valid first where the transformation or the data left it crossing
 * itself, keeping its polygons.
 *
 * Returns: (transfer full): the area, or %NULL with @error set (translated)
 */
SabanImpactArea *
saban_impact_area_new_from_geometry (OGRGeometryH     geometry,
                                     SabanTransform  *to_wgs84,
                                     GError         **error)
{
  OGRGeometryH g = OGR_G_Clone (geometry);
  OGRGeometryH valid, polygons;
  SabanImpactArea *area;
  GError *first = NULL;

  if (!saban_transform_geometry (to_wgs84, g))
    {
      OGR_G_DestroyGeometry (g);
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_CRS, _("The area does not fit its coordinate system"));
      return NULL;
    }
  if ((area = new_from_exact_wkt (g, &first)) != NULL)
    {
      OGR_G_DestroyGeometry (g);
      return area;
    }
  CPLPushErrorHandler (CPLQuietErrorHandler);
  valid = OGR_G_MakeValid (g);
  CPLPopErrorHandler ();
  polygons = valid != NULL ? polygons_of (valid) : NULL;
  if (polygons != NULL)
    area = new_from_exact_wkt (polygons, NULL);
  if (area == NULL)
    g_propagate_error (error, g_steal_pointer (&first));
  g_clear_error (&first);
  g_clear_pointer (&polygons, OGR_G_DestroyGeometry);
  g_clear_pointer (&valid, OGR_G_DestroyGeometry);
  OGR_G_DestroyGeometry (g);
  return area;
}

/**
 * saban_impact_area_new_circle:
 * @radius_m: geodesic radius, metres; 0 < @radius_m ≤ 500 km
 *
 * The points within @radius_m of (@lon, @lat) along the ellipsoid, as a
 * polygon whose vertices are at exactly that distance, close enough that its
 * chords stray at most 25 cm inside the circle.
 *
 * Returns: (transfer full): the area, or %NULL with @error set (translated)
 */
SabanImpactArea *
saban_impact_area_new_circle (double   lon,
                              double   lat,
                              double   radius_m,
                              GError **error)
{
  g_autofree double *lonlat = NULL;
  guint n;
  Builder b;

  if (!(fabs (lon) <= 180 && fabs (lat) <= 85))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID,
                   _("The circle’s centre must be a longitude and a latitude in degrees (WGS 84)"));
      return NULL;
    }
  if (!(radius_m > 0 && radius_m <= MAX_RADIUS_M))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID,
                   _("The circle’s radius must be more than 0 and at most 500 km"));
      return NULL;
    }
  n = radius_m <= CIRCLE_SAGITTA_M ? 64 : CLAMP ((guint) ceil (G_PI / acos (1 - CIRCLE_SAGITTA_M / radius_m)), 64, 4096);
  lonlat = g_new (double, 2 * (gsize) (n + 1));
  for (guint i = 0; i < n; i++)
    saban_measure_destination (lon, lat, 360.0 * i / n, radius_m, &lonlat[2 * i], &lonlat[2 * i + 1]);
  lonlat[2 * n] = lonlat[0];
  lonlat[2 * n + 1] = lonlat[1];

  builder_init (&b);
  builder_begin_polygon (&b);
  builder_add_ring (&b, lonlat, n + 1, FALSE);
  builder_end_polygon (&b);
  return builder_finish (&b);
}

SabanImpactArea *
saban_impact_area_ref (SabanImpactArea *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
saban_impact_area_unref (SabanImpactArea *self)
{
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->xy);
  g_free (self->ring_starts);
  g_free (self->ring_boxes);
  g_free (self->cells);
  OGR_G_DestroyGeometry (self->geometry);
  g_free (self);
}

/**
 * saban_impact_area_get_area_m2:
 *
 * Returns: the area's geodesic area (holes subtracted), square metres
 */
double
saban_impact_area_get_area_m2 (const SabanImpactArea *self)
{
  return self->area_m2;
}

/**
 * saban_impact_area_get_bounds:
 *
 * The area's bounds in Web Mercator metres, the layers' coordinates.
 */
void
saban_impact_area_get_bounds (const SabanImpactArea *self,
                              double                *min_x,
                              double                *min_y,
                              double                *max_x,
                              double                *max_y)
{
  *min_x = self->min_x;
  *min_y = self->min_y;
  *max_x = self->max_x;
  *max_y = self->max_y;
}

/**
 * saban_impact_area_place_box:
 *
 * Where a Web Mercator box lies, from the grid alone: %SABAN_IMPACT_AREA_BOUNDARY
 * means the boundary passes near it, not that it crosses it.
 */
SabanImpactAreaPlace
saban_impact_area_place_box (const SabanImpactArea *self,
                             double                 min_x,
                             double                 min_y,
                             double                 max_x,
                             double                 max_y)
{
  guint seen = 0, i0, i1, j0, j1;

  if (max_x < self->min_x || min_x > self->max_x || max_y < self->min_y || min_y > self->max_y)
    return SABAN_IMPACT_AREA_OUTSIDE;
  if (min_x < self->min_x || min_y < self->min_y || max_x > self->max_x || max_y > self->max_y)
    seen |= 1 << SABAN_IMPACT_AREA_OUTSIDE;
  i0 = CLAMP (floor ((min_x - self->min_x) / self->cell), 0, self->nx - 1);
  i1 = CLAMP (floor ((max_x - self->min_x) / self->cell), 0, self->nx - 1);
  j0 = CLAMP (floor ((min_y - self->min_y) / self->cell), 0, self->ny - 1);
  j1 = CLAMP (floor ((max_y - self->min_y) / self->cell), 0, self->ny - 1);
  for (guint j = j0; j <= j1; j++)
    for (guint i = i0; i <= i1; i++)
      {
        seen |= 1 << self->cells[j * self->nx + i];
        if (seen != 1 << SABAN_IMPACT_AREA_INSIDE && seen != 1 << SABAN_IMPACT_AREA_OUTSIDE)
          return SABAN_IMPACT_AREA_BOUNDARY;
      }
  return seen == 1 << SABAN_IMPACT_AREA_INSIDE ? SABAN_IMPACT_AREA_INSIDE : SABAN_IMPACT_AREA_OUTSIDE;
}

/**
 * saban_impact_area_contains:
 *
 * Whether the Web Mercator point (@x, @y) is inside the area (even-odd).
 */
gboolean
saban_impact_area_contains (const SabanImpactArea *self,
                            double                 x,
                            double                 y)
{
  gboolean inside = FALSE;

  switch (saban_impact_area_place_box (self, x, y, x, y))
    {
    case SABAN_IMPACT_AREA_OUTSIDE:
      return FALSE;
    case SABAN_IMPACT_AREA_INSIDE:
      return TRUE;
    case SABAN_IMPACT_AREA_BOUNDARY:
    default:
      break;
    }
  for (guint r = 0; r < self->n_rings; r++)
    for (guint32 i = self->ring_starts[r], k = self->ring_starts[r + 1] - 1; i < self->ring_starts[r + 1]; k = i++)
      {
        double x1 = self->xy[2 * k], y1 = self->xy[2 * k + 1], x2 = self->xy[2 * i], y2 = self->xy[2 * i + 1];

        if ((y1 > y) != (y2 > y) && x < x1 + (y - y1) * (x2 - x1) / (y2 - y1))
          inside = !inside;
      }
  return inside;
}

/* +1 or -1 for a convex ring turning counter-clockwise or clockwise; 0 when
 * it is not convex (a turn the other way, or a star winding twice). */
static int
convex_orientation (const double *xy,
                    guint32       n)
{
  int turn = 0, last_dx = 0, dx_changes = 0;

  for (guint32 i = 0; i < n; i++)
    {
      const double *a = &xy[2 * i], *b = &xy[2 * ((i + 1) % n)], *c = &xy[2 * ((i + 2) % n)];
      double cross = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]);
      int dx = (b[0] > a[0]) - (b[0] < a[0]);

      if (cross != 0)
        {
          if (turn == 0)
            turn = cross > 0 ? 1 : -1;
          else if ((cross > 0) != (turn > 0))
            return 0;
        }
      if (dx != 0)
        {
          if (last_dx != 0 && dx != last_dx)
            dx_changes++;
          last_dx = dx;
        }
    }
  /* Cyclically: the first direction against the last. */
  for (guint32 i = 0; i < n; i++)
    {
      int dx = (xy[2 * ((i + 1) % n)] > xy[2 * i]) - (xy[2 * ((i + 1) % n)] < xy[2 * i]);

      if (dx != 0)
        {
          if (dx != last_dx)
            dx_changes++;
          break;
        }
    }
  return dx_changes <= 2 ? turn : 0;
}

/* Sutherland–Hodgman: each area ring, clipped by each half-plane of the
 * convex window, keeps the ring's winding number at every point of the
 * window, so the signed areas of the clipped rings add up to the area of
 * (area ∩ window) even where clipping leaves zero-width bridges. */
static double
clip_by_convex (const SabanImpactArea *self,
                const double          *window,
                guint32                n,
                const double          *box)
{
  g_autoptr(GArray) in = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (double));
  double total = 0;

  for (guint r = 0; r < self->n_rings; r++)
    {
      const double *rb = &self->ring_boxes[4 * r];

      if (rb[2] < box[0] || rb[0] > box[2] || rb[3] < box[1] || rb[1] > box[3])
        continue;
      g_array_set_size (in, 0);
      g_array_append_vals (in, self->xy + 2 * (gsize) self->ring_starts[r],
                           2 * (self->ring_starts[r + 1] - self->ring_starts[r]));
      for (guint32 e = 0; e < n && in->len > 0; e++)
        {
          const double *a = &window[2 * e], *b = &window[2 * ((e + 1) % n)];
          guint m = in->len / 2;
          const double *p = (const double *) in->data;
          GArray *swap;

          g_array_set_size (out, 0);
          for (guint i = 0, k = m - 1; i < m; k = i++)
            {
              double dk = (b[0] - a[0]) * (p[2 * k + 1] - a[1]) - (b[1] - a[1]) * (p[2 * k] - a[0]);
              double di = (b[0] - a[0]) * (p[2 * i + 1] - a[1]) - (b[1] - a[1]) * (p[2 * i] - a[0]);

              if ((di >= 0) != (dk >= 0))
                {
                  double t = dk / (dk - di);
                  double q[2] = { p[2 * k] + t * (p[2 * i] - p[2 * k]), p[2 * k + 1] + t * (p[2 * i + 1] - p[2 * k + 1]) };

                  g_array_append_vals (out, q, 2);
                }
              if (di >= 0)
                g_array_append_vals (out, &p[2 * i], 2);
            }
          swap = in;
          in = out;
          out = swap;
        }
      total += saban_measure_local_ring_area ((const double *) in->data, in->len / 2);
    }
  return total;
}

static double
geometry_area (OGRGeometryH g)
{
  OGRwkbGeometryType type = wkbFlatten (OGR_G_GetGeometryType (g));
  double area = 0;

  if (type == wkbPolygon)
    for (int r = 0; r < OGR_G_GetGeometryCount (g); r++)
      {
        OGRGeometryH ring = OGR_G_GetGeometryRef (g, r);
        int n = OGR_G_GetPointCount (ring);
        g_autofree double *xy = g_new (double, 2 * (gsize) MAX (n, 1));

        OGR_G_GetPoints (ring, xy, 2 * sizeof (double), xy + 1, 2 * sizeof (double), NULL, 0);
        area += (r == 0 ? 1 : -1) * fabs (saban_measure_local_ring_area (xy, n));
      }
  else if (type == wkbMultiPolygon || type == wkbGeometryCollection)
    for (int i = 0; i < OGR_G_GetGeometryCount (g); i++)
      area += geometry_area (OGR_G_GetGeometryRef (g, i));
  return area;
}

/* Any simple ring, by GEOS; a ring GEOS finds invalid is made valid first. */
static double
clip_by_geos (const SabanImpactArea *self,
              const double          *xy,
              guint32                n)
{
  OGRGeometryH ring = OGR_G_CreateGeometry (wkbLinearRing);
  OGRGeometryH polygon = OGR_G_CreateGeometry (wkbPolygon);
  OGRGeometryH piece;
  double area = 0;

  for (guint32 i = 0; i <= n; i++)
    OGR_G_AddPoint_2D (ring, xy[2 * (i % n)], xy[2 * (i % n) + 1]);
  OGR_G_AddGeometryDirectly (polygon, ring);
  CPLPushErrorHandler (CPLQuietErrorHandler);
  piece = OGR_G_Intersection (polygon, self->geometry);
  if (piece == NULL)
    {
      OGRGeometryH valid = OGR_G_MakeValid (polygon);

      if (valid != NULL)
        {
          piece = OGR_G_Intersection (valid, self->geometry);
          OGR_G_DestroyGeometry (valid);
        }
    }
  CPLPopErrorHandler ();
  if (piece != NULL)
    {
      area = geometry_area (piece);
      OGR_G_DestroyGeometry (piece);
    }
  OGR_G_DestroyGeometry (polygon);
  return area;
}

static double
clip_ring (const SabanImpactArea *self,
           const double          *xy,
           guint32                n)
{
  double box[4] = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
  int orientation;

  if (n > 1 && xy[0] == xy[2 * (n - 1)] && xy[1] == xy[2 * (n - 1) + 1])
    n--;
  if (n < 3)
    return 0;
  for (guint32 i = 0; i < n; i++)
    {
      box[0] = MIN (box[0], xy[2 * i]);
      box[1] = MIN (box[1], xy[2 * i + 1]);
      box[2] = MAX (box[2], xy[2 * i]);
      box[3] = MAX (box[3], xy[2 * i + 1]);
    }
  switch (saban_impact_area_place_box (self, box[0], box[1], box[2], box[3]))
    {
    case SABAN_IMPACT_AREA_OUTSIDE:
      return 0;
    case SABAN_IMPACT_AREA_INSIDE:
      return fabs (saban_measure_local_ring_area (xy, n));
    case SABAN_IMPACT_AREA_BOUNDARY:
    default:
      break;
    }
  orientation = convex_orientation (xy, n);
  if (orientation > 0)
    return clip_by_convex (self, xy, n, box);
  if (orientation < 0)
    {
      g_autofree double *ccw = g_new (double, 2 * (gsize) n);

      for (guint32 i = 0; i < n; i++)
        {
          ccw[2 * i] = xy[2 * (n - 1 - i)];
          ccw[2 * i + 1] = xy[2 * (n - 1 - i) + 1];
        }
      return clip_by_convex (self, ccw, n, box);
    }
  return clip_by_geos (self, xy, n);
}

/**
 * saban_impact_area_clip_feature:
 * @arrays: a polygon layer's arrays
 *
 * The geodesic area of the part of @feature inside the area: wholly inside
 * or outside from the grid; a convex ring across the boundary is clipped
 * here (Sutherland–Hodgman, the area's rings clipped by it), any other by
 * GEOS. Areas by saban_measure_local_ring_area().
 *
 * Returns: square metres
 */
double
saban_impact_area_clip_feature (const SabanImpactArea    *self,
                                const SabanFeatureArrays *arrays,
                                guint32                   feature)
{
  guint32 first = arrays->part_starts[feature], end = arrays->part_starts[feature + 1];
  double total = 0;

  for (guint32 part = first; part < end; part++)
    {
      double area = clip_ring (self, arrays->xy + 2 * (gsize) arrays->point_starts[part],
                               arrays->point_starts[part + 1] - arrays->point_starts[part]);

      total += end - first == 1 ? area : saban_measure_ring_sign (arrays, feature, part) * area;
    }
  return MAX (total, 0);
}

/**
 * saban_impact_area_distance:
 *
 * The geodesic distance from the Web Mercator point (@x, @y) to the nearest
 * point of the area's boundary, found in Web Mercator (conformal, so the
 * nearest point there is the nearest on the ground to well under a metre at
 * the distances that matter).
 *
 * Returns: metres
 */
double
saban_impact_area_distance (const SabanImpactArea *self,
                            double                 x,
                            double                 y)
{
  double best = G_MAXDOUBLE, pair[4] = { x, y, x, y };

  for (guint r = 0; r < self->n_rings; r++)
    for (guint32 i = self->ring_starts[r], k = self->ring_starts[r + 1] - 1; i < self->ring_starts[r + 1]; k = i++)
      {
        double x1 = self->xy[2 * k], y1 = self->xy[2 * k + 1], dx = self->xy[2 * i] - x1, dy = self->xy[2 * i + 1] - y1;
        double len2 = dx * dx + dy * dy;
        double t = len2 > 0 ? CLAMP (((x - x1) * dx + (y - y1) * dy) / len2, 0, 1) : 0;
        double qx = x1 + t * dx, qy = y1 + t * dy, d2 = (qx - x) * (qx - x) + (qy - y) * (qy - y);

        if (d2 < best)
          {
            best = d2;
            pair[2] = qx;
            pair[3] = qy;
          }
      }
  return saban_measure_length (pair, 2);
}
