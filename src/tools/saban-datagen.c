/* saban-datagen.c — synthetic demonstration data for Lào Cai
 *
 * Over a thousand lines, and on purpose: every layer is drawn from the same
 * fixed geography and one seeded generator, in an order the byte-identical
 * output depends on; the place names are saban-datagen-places.c.
 *
 * Writes one GeoPackage, all layers in EPSG:9208 (VN-2000 / TM-3 104-45), that
 * looks like what a provincial IOC holds: province and communes, rivers, roads,
 * zoning, cadastral parcels, public facilities and sensor sites, and an
 * offline base map as raster tiles (saban-datagen-basemap.c). The geography
 * is hand-drawn and fixed; everything statistical depends on --seed, and the
 * file is byte-identical for the same arguments so that benchmarks and tests can
 * compare runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "saban-datagen-basemap.h"
#include "saban-datagen-catalog.h"
#include "saban-datagen-indicators.h"
#include "saban-datagen-photos.h"
#include "saban-datagen-places.h"
#include "saban-datagen-planning.h"
#include "saban-datagen-rng.h"

#define SYNTHETIC_NOTE SABAN_DATAGEN_SYNTHETIC_NOTE
#define TARGET_EPSG 9208
/* GeoPackage stamps gpkg_contents.last_change with the current time unless told
 * otherwise; a fixed date is what makes two runs byte-identical. */
#define FIXED_DATE "2025-07-01T00:00:00Z"
/* Fixed stream for the geography, so that --seed changes statistics, not the map. */
#define GEOGRAPHY_SEED G_GUINT64_CONSTANT (0x5ABA4C0DE2025070)

#define HAMLET_RMAX 3500.0
#define DEFAULT_PARCELS 20000
#define MAX_PARCELS 10000000

G_DEFINE_QUARK (saban-datagen-error-quark, datagen_error)
#define DATAGEN_ERROR (datagen_error_quark ())

/* ------------------------------------------------------------------------ */
/* A small open-addressing map from non-zero 64-bit keys to 32-bit values;
 * GHashTable would need an allocation per key for a million parcels. */

typedef struct
{
  guint64 *keys;
  guint32 *values;
  gsize    mask;
  gsize    len;
} U64Map;

static void
u64map_init (U64Map *m, gsize capacity)
{
  gsize n = 1024;
  while (n < capacity * 2)
    n <<= 1;
  m->keys = g_new0 (guint64, n);
  m->values = g_new0 (guint32, n);
  m->mask = n - 1;
  m->len = 0;
}

static void
u64map_clear (U64Map *m)
{
  g_clear_pointer (&m->keys, g_free);
  g_clear_pointer (&m->values, g_free);
}

static guint32 *u64map_insert (U64Map *m, guint64 key, gboolean *inserted);

static void
u64map_grow (U64Map *m)
{
  U64Map bigger;
  u64map_init (&bigger, (m->mask + 1));
  for (gsize i = 0; i <= m->mask; i++)
    if (m->keys[i])
      *u64map_insert (&bigger, m->keys[i], NULL) = m->values[i];
  u64map_clear (m);
  *m = bigger;
}

/* Returns the slot for @key, creating it (value 0) if absent. */
static guint32 *
u64map_insert (U64Map *m, guint64 key, gboolean *inserted)
{
  if ((m->len + 1) * 2 > m->mask + 1)
    u64map_grow (m);
  gsize i = mix64 (key) & m->mask;
  while (m->keys[i] && m->keys[i] != key)
    i = (i + 1) & m->mask;
  if (!m->keys[i])
    {
      m->keys[i] = key;
      m->values[i] = 0;
      m->len++;
      if (inserted)
        *inserted = TRUE;
    }
  else if (inserted)
    *inserted = FALSE;
  return &m->values[i];
}

/* ------------------------------------------------------------------------ */
/* Plane geometry in EPSG:9208 metres. */

typedef struct
{
  double x;
  double y;
} Pt;

static inline double
dist2 (Pt a, Pt b)
{
  return (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y);
}

static double
seg_dist2 (Pt p, Pt a, Pt b)
{
  double dx = b.x - a.x, dy = b.y - a.y;
  double l2 = dx * dx + dy * dy;
  double t = l2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2 : 0;
  t = CLAMP (t, 0.0, 1.0);
  Pt q = { a.x + t * dx, a.y + t * dy };
  return dist2 (p, q);
}

static gboolean
ring_contains (const Pt *ring, guint n, Pt p)
{
  gboolean inside = FALSE;
  for (guint i = 0, j = n - 1; i < n; j = i++)
    {
      if ((ring[i].y > p.y) != (ring[j].y > p.y)
          && p.x < (ring[j].x - ring[i].x) * (p.y - ring[i].y) / (ring[j].y - ring[i].y) + ring[i].x)
        inside = !inside;
    }
  return inside;
}

static double
ring_boundary_dist2 (const Pt *ring, guint n, Pt p)
{
  double best = G_MAXDOUBLE;
  for (guint i = 0, j = n - 1; i < n; j = i++)
    best = MIN (best, seg_dist2 (p, ring[j], ring[i]));
  return best;
}

/* Keeps the part of the convex polygon @in that is closer to @keep than to
 * @other: one step of building a Voronoi cell, which GDAL 3.6 cannot do. */
static void
clip_halfplane (GArray *in, GArray *out, Pt keep, Pt other)
{
  Pt m = { (keep.x + other.x) / 2, (keep.y + other.y) / 2 };
  Pt nrm = { other.x - keep.x, other.y - keep.y };
  g_array_set_size (out, 0);
  guint n = in->len;
  for (guint i = 0; i < n; i++)
    {
      Pt a = g_array_index (in, Pt, i);
      Pt b = g_array_index (in, Pt, (i + 1) % n);
      double da = (a.x - m.x) * nrm.x + (a.y - m.y) * nrm.y;
      double db = (b.x - m.x) * nrm.x + (b.y - m.y) * nrm.y;
      if (da <= 0)
        g_array_append_val (out, a);
      if ((da < 0 && db > 0) || (da > 0 && db < 0))
        {
          double t = da / (da - db);
          Pt c = { a.x + t * (b.x - a.x), a.y + t * (b.y - a.y) };
          g_array_append_val (out, c);
        }
    }
}

static OGRGeometryH
polygon_from_pts (const Pt *pts, guint n)
{
  OGRGeometryH ring = OGR_G_CreateGeometry (wkbLinearRing);
  for (guint i = 0; i < n; i++)
    OGR_G_AddPoint_2D (ring, pts[i].x, pts[i].y);
  OGR_G_AddPoint_2D (ring, pts[0].x, pts[0].y);
  OGRGeometryH poly = OGR_G_CreateGeometry (wkbPolygon);
  OGR_G_AddGeometryDirectly (poly, ring);
  return poly;
}

/* The Voronoi cell of sites[self] within the rectangle @box (4 corners), as an
 * OGR polygon. */
static OGRGeometryH
voronoi_cell (const Pt *sites, guint n, guint self, const Pt *box)
{
  g_autoptr (GArray) a = g_array_new (FALSE, FALSE, sizeof (Pt));
  g_autoptr (GArray) b = g_array_new (FALSE, FALSE, sizeof (Pt));
  g_array_append_vals (a, box, 4);
  for (guint k = 0; k < n && a->len >= 3; k++)
    {
      if (k == self || dist2 (sites[k], sites[self]) < 1e-6)
        continue;
      clip_halfplane (a, b, sites[self], sites[k]);
      GArray *t = a;
      a = b;
      b = t;
    }
  if (a->len < 3)
    return NULL;
  return polygon_from_pts ((const Pt *) a->data, a->len);
}

static void
collect_polygons (OGRGeometryH g, OGRGeometryH multi, double min_area)
{
  if (g == NULL)
    return;
  OGRwkbGeometryType t = wkbFlatten (OGR_G_GetGeometryType (g));
  if (t == wkbPolygon)
    {
      if (OGR_G_Area (g) >= min_area)
        OGR_G_AddGeometry (multi, g);
    }
  else if (t == wkbMultiPolygon || t == wkbGeometryCollection)
    {
      for (int i = 0; i < OGR_G_GetGeometryCount (g); i++)
        collect_polygons (OGR_G_GetGeometryRef (g, i), multi, min_area);
    }
}

/* Keeps the areal parts of an overlay result (GEOS may return slivers, lines or
 * points along shared edges) as a valid MultiPolygon, or NULL if nothing is left. */
static OGRGeometryH
to_multipolygon (OGRGeometryH g)
{
  if (g == NULL)
    return NULL;
  OGRGeometryH multi = OGR_G_CreateGeometry (wkbMultiPolygon);
  collect_polygons (g, multi, 1.0);
  if (OGR_G_GetGeometryCount (multi) == 0)
    {
      OGR_G_DestroyGeometry (multi);
      return NULL;
    }
  if (!OGR_G_IsValid (multi))
    {
      OGRGeometryH valid = OGR_G_MakeValid (multi);
      OGR_G_DestroyGeometry (multi);
      multi = OGR_G_CreateGeometry (wkbMultiPolygon);
      collect_polygons (valid, multi, 1.0);
      OGR_G_DestroyGeometry (valid);
    }
  return multi;
}

static OGRGeometryH
take_multipolygon (OGRGeometryH g)
{
  OGRGeometryH m = to_multipolygon (g);
  if (g)
    OGR_G_DestroyGeometry (g);
  return m;
}

/* ------------------------------------------------------------------------ */
/* Land-use codes of Circular 08/2024/TT-BTNMT used here. */

enum
{
  LU_LUC, LU_LUK, LU_HNK, LU_CLN, LU_RSX, LU_RPH, LU_RDD, LU_NTS,
  LU_ONT, LU_ODT, LU_DGT, LU_SON, LU_SKK, LU_TMD, LU_MNC, N_LANDUSE
};

static const struct
{
  const char *code;
  const char *label;
} landuses[N_LANDUSE] = {
  { "LUC", "Đất chuyên trồng lúa" },
  { "LUK", "Đất trồng lúa còn lại" },
  { "HNK", "Đất trồng cây hằng năm khác" },
  { "CLN", "Đất trồng cây lâu năm" },
  { "RSX", "Đất rừng sản xuất" },
  { "RPH", "Đất rừng phòng hộ" },
  { "RDD", "Đất rừng đặc dụng" },
  { "NTS", "Đất nuôi trồng thủy sản" },
  { "ONT", "Đất ở tại nông thôn" },
  { "ODT", "Đất ở tại đô thị" },
  { "DGT", "Đất công trình giao thông" },
  { "SON", "Đất sông, ngòi, kênh, rạch, suối" },
  { "SKK", "Đất khu công nghiệp" },
  { "TMD", "Đất thương mại, dịch vụ" },
  { "MNC", "Đất có mặt nước chuyên dùng" },
};

/* What a parcel inside a zoning block of a given use is registered as: mostly
 * the block's use, with the mix one finds on the ground (houses and gardens in
 * the fields, hill fields in the forest). Weights in percent. */
static const struct
{
  guint8 code;
  guint8 weight;
} parcel_mix[N_LANDUSE][5] = {
  [LU_LUC] = { { LU_LUC, 72 }, { LU_LUK, 10 }, { LU_ONT, 10 }, { LU_NTS, 5 }, { LU_HNK, 3 } },
  [LU_LUK] = { { LU_LUK, 62 }, { LU_LUC, 10 }, { LU_HNK, 13 }, { LU_ONT, 13 }, { LU_CLN, 2 } },
  [LU_HNK] = { { LU_HNK, 60 }, { LU_CLN, 20 }, { LU_ONT, 14 }, { LU_LUK, 6 } },
  [LU_CLN] = { { LU_CLN, 60 }, { LU_HNK, 20 }, { LU_ONT, 15 }, { LU_RSX, 5 } },
  [LU_RSX] = { { LU_RSX, 62 }, { LU_CLN, 18 }, { LU_HNK, 14 }, { LU_ONT, 6 } },
  [LU_RPH] = { { LU_RPH, 70 }, { LU_RSX, 20 }, { LU_HNK, 10 } },
  [LU_RDD] = { { LU_RDD, 80 }, { LU_RSX, 10 }, { LU_HNK, 10 } },
  [LU_NTS] = { { LU_NTS, 60 }, { LU_LUC, 30 }, { LU_ONT, 10 } },
  [LU_ONT] = { { LU_ONT, 62 }, { LU_CLN, 16 }, { LU_HNK, 14 }, { LU_LUK, 6 }, { LU_DGT, 2 } },
  [LU_ODT] = { { LU_ODT, 75 }, { LU_TMD, 12 }, { LU_CLN, 6 }, { LU_DGT, 5 }, { LU_HNK, 2 } },
  [LU_DGT] = { { LU_DGT, 60 }, { LU_ODT, 20 }, { LU_TMD, 20 } },
  [LU_SON] = { { LU_SON, 100 } },
  [LU_SKK] = { { LU_SKK, 85 }, { LU_DGT, 8 }, { LU_TMD, 7 } },
  [LU_TMD] = { { LU_TMD, 62 }, { LU_ODT, 30 }, { LU_DGT, 8 } },
  [LU_MNC] = { { LU_MNC, 100 } },
};

static guint
pick_parcel_landuse (guint block_code, Rng *r)
{
  guint roll = rng_int (r, 100), acc = 0;
  for (guint k = 0; k < 5 && parcel_mix[block_code][k].weight; k++)
    {
      acc += parcel_mix[block_code][k].weight;
      if (roll < acc)
        return parcel_mix[block_code][k].code;
    }
  return block_code;
}

/* ------------------------------------------------------------------------ */

typedef struct
{
  const char  *name;
  const char  *klass;
  double       half_width;
  GArray      *pts;      /* Pt, smoothed, unclipped */
  OGRGeometryH clipped;  /* the part inside the province */
} Line;

typedef struct
{
  Pt     p;
  double angle;
} LinePt;

typedef struct
{
  const SabanPlaceCommune *place;
  const char  *short_name;
  Pt           seed;
  OGRGeometryH geom;
  double       area_km2;
  gint64       population;
  GArray      *subseeds;  /* Pt */
  GArray      *subcodes;  /* guint8 landuse per subseed */
  GArray      *line_pts;  /* LinePt: river and road vertices in this commune */
} Commune;

typedef struct
{
  Pt       c;
  double   cos_a, sin_a;
  double   bx, by;
  guint64  hseed;
  guint    commune;
  double   sigma;       /* spread of the settlement, in cells */
  double   weight;
  GArray  *cells;       /* gint32 i, j of each parcel laid */
  gboolean check_province;
  gboolean check_lake;
  GArray  *river_segs;  /* Pt pairs + half width packed as 5 doubles */
  GArray  *neighbours;  /* guint */
  double   wander;      /* how far grid lines stray, in cells */
} Hamlet;

typedef struct
{
  guint64  seed;
  gint64   n_parcels;
  gboolean irregular;   /* --parcel-shape irregular */

  OGRSpatialReferenceH         srs;
  OGRCoordinateTransformationH ct;

  Pt          *outline;
  guint        n_outline;
  OGRGeometryH province;
  Pt           box[4];

  Pt          *lake;
  guint        n_lake;
  double       lake_bbox[4];
  OGRGeometryH lake_geom;
  OGRGeometryH river_water;  /* buffered main rivers minus the lake */

  Commune      communes[128];
  guint        n_communes;
  Pt           seeds[128];

  GPtrArray   *rivers;  /* Line */
  GPtrArray   *roads;

  GArray      *hamlets;  /* Hamlet */

  GDALDatasetH ds;
} Gen;

static Pt
project (Gen *g, double lon, double lat)
{
  double x = lon, y = lat;
  if (!OCTTransform (g->ct, 1, &x, &y, NULL))
    g_error ("cannot project %f %f to EPSG:%d", lon, lat, TARGET_EPSG);
  return (Pt) { x, y };
}

static guint
nearest_commune (Gen *g, Pt p)
{
  guint best = 0;
  double bd = G_MAXDOUBLE;
  for (guint i = 0; i < g->n_communes; i++)
    {
      double d = dist2 (p, g->seeds[i]);
      if (d < bd)
        {
          bd = d;
          best = i;
        }
    }
  return best;
}

static gboolean
in_province (Gen *g, Pt p)
{
  return ring_contains (g->outline, g->n_outline, p);
}

static gboolean
in_lake (Gen *g, Pt p)
{
  if (p.x < g->lake_bbox[0] || p.x > g->lake_bbox[2] || p.y < g->lake_bbox[1] || p.y > g->lake_bbox[3])
    return FALSE;
  return ring_contains (g->lake, g->n_lake, p);
}

/* Distance to the nearest line of @lines, optionally only those with a riverbed. */
static double
lines_dist (GPtrArray *lines, Pt p, gboolean main_only, double *half_width)
{
  double best = G_MAXDOUBLE;
  for (guint i = 0; i < lines->len; i++)
    {
      Line *l = g_ptr_array_index (lines, i);
      if (main_only && l->half_width <= 0)
        continue;
      for (guint k = 1; k < l->pts->len; k++)
        {
          double d = seg_dist2 (p, g_array_index (l->pts, Pt, k - 1), g_array_index (l->pts, Pt, k));
          if (d < best)
            {
              best = d;
              if (half_width)
                *half_width = l->half_width;
            }
        }
    }
  return sqrt (best);
}

static gboolean
in_water (Gen *g, Pt p, double margin)
{
  if (in_lake (g, p))
    return TRUE;
  double hw = 0;
  double d = lines_dist (g->rivers, p, TRUE, &hw);
  return d < hw + margin;
}

/* ------------------------------------------------------------------------ */
/* Geography. */

/* Midpoint displacement, so the hand-drawn outline does not look like a
 * polygon of straight 5 km edges. */
static void
subdivide (GArray *out, Pt a, Pt b, int level, double amp, Rng *r)
{
  if (level == 0)
    {
      g_array_append_val (out, a);
      return;
    }
  double dx = b.x - a.x, dy = b.y - a.y;
  double off = rng_range (r, -amp, amp);
  Pt m = { (a.x + b.x) / 2 - dy * off, (a.y + b.y) / 2 + dx * off };
  subdivide (out, a, m, level - 1, amp, r);
  subdivide (out, m, b, level - 1, amp, r);
}

static Pt *
rough_ring (Gen *g, const SabanLonLat *ll, int levels, double amp, Rng *r, guint *n_out)
{
  g_autoptr (GArray) ctl = g_array_new (FALSE, FALSE, sizeof (Pt));
  for (const SabanLonLat *p = ll; p->lon != 0; p++)
    {
      Pt q = project (g, p->lon, p->lat);
      g_array_append_val (ctl, q);
    }
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Pt));
  for (guint i = 0; i < ctl->len; i++)
    subdivide (out, g_array_index (ctl, Pt, i), g_array_index (ctl, Pt, (i + 1) % ctl->len), levels, amp, r);
  *n_out = out->len;
  return (Pt *) g_array_free (out, FALSE);
}

/* Catmull-Rom through jittered control points, then a little vertex noise:
 * a river or road with tens of vertices that bends like one. */
static GArray *
smooth_line (Gen *g, const SabanLonLat *ll, double ctl_jitter, double vertex_jitter, int steps, Rng *r)
{
  g_autoptr (GArray) ctl = g_array_new (FALSE, FALSE, sizeof (Pt));
  guint n = 0;
  for (const SabanLonLat *p = ll; p->lon != 0; p++)
    n++;
  for (guint i = 0; i < n; i++)
    {
      Pt q = project (g, ll[i].lon, ll[i].lat);
      if (i > 0 && i + 1 < n)
        {
          Pt a = project (g, ll[i - 1].lon, ll[i - 1].lat);
          Pt b = project (g, ll[i + 1].lon, ll[i + 1].lat);
          double dx = b.x - a.x, dy = b.y - a.y, len = hypot (dx, dy);
          double off = rng_range (r, -ctl_jitter, ctl_jitter);
          q.x += -dy / len * off;
          q.y += dx / len * off;
        }
      g_array_append_val (ctl, q);
    }
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Pt));
  for (guint i = 0; i + 1 < n; i++)
    {
      Pt p0 = g_array_index (ctl, Pt, i > 0 ? i - 1 : i);
      Pt p1 = g_array_index (ctl, Pt, i);
      Pt p2 = g_array_index (ctl, Pt, i + 1);
      Pt p3 = g_array_index (ctl, Pt, i + 2 < n ? i + 2 : i + 1);
      for (int s = 0; s < steps; s++)
        {
          double t = (double) s / steps, t2 = t * t, t3 = t2 * t;
          Pt q = {
            0.5 * (2 * p1.x + (-p0.x + p2.x) * t + (2 * p0.x - 5 * p1.x + 4 * p2.x - p3.x) * t2
                   + (-p0.x + 3 * p1.x - 3 * p2.x + p3.x) * t3),
            0.5 * (2 * p1.y + (-p0.y + p2.y) * t + (2 * p0.y - 5 * p1.y + 4 * p2.y - p3.y) * t2
                   + (-p0.y + 3 * p1.y - 3 * p2.y + p3.y) * t3),
          };
          if (s > 0)
            {
              q.x += rng_range (r, -vertex_jitter, vertex_jitter);
              q.y += rng_range (r, -vertex_jitter, vertex_jitter);
            }
          g_array_append_val (out, q);
        }
    }
  Pt last = g_array_index (ctl, Pt, n - 1);
  g_array_append_val (out, last);
  return out;
}

static void
line_free (gpointer data)
{
  Line *l = data;
  g_clear_pointer (&l->pts, g_array_unref);
  g_clear_pointer (&l->clipped, OGR_G_DestroyGeometry);
  g_free (l);
}

static GPtrArray *
build_lines (Gen *g, const SabanPlaceLine *places, gboolean river, Rng *r)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (line_free);
  for (const SabanPlaceLine *pl = places; pl->name; pl++)
    {
      Line *l = g_new0 (Line, 1);
      l->name = pl->name;
      l->klass = pl->klass;
      l->half_width = pl->half_width;
      l->pts = smooth_line (g, pl->points, river ? 350 : 120, river ? 45 : 12, river ? 6 : 4, r);
      OGRGeometryH ls = OGR_G_CreateGeometry (wkbLineString);
      for (guint k = 0; k < l->pts->len; k++)
        {
          Pt p = g_array_index (l->pts, Pt, k);
          OGR_G_AddPoint_2D (ls, p.x, p.y);
        }
      l->clipped = OGR_G_Intersection (ls, g->province);
      OGR_G_DestroyGeometry (ls);
      g_ptr_array_add (lines, l);
    }
  return lines;
}

static gboolean
build_geography (Gen *g, GError **error)
{
  Rng r = rng_stream (GEOGRAPHY_SEED, 1);

  g->outline = rough_ring (g, saban_place_province_outline, 3, 0.07, &r, &g->n_outline);
  g->province = polygon_from_pts (g->outline, g->n_outline);
  if (!OGR_G_IsValid (g->province))
    {
      g_set_error (error, DATAGEN_ERROR, 1, "internal error: the province outline is not a valid polygon");
      return FALSE;
    }
  OGREnvelope env;
  OGR_G_GetEnvelope (g->province, &env);
  g->box[0] = (Pt) { env.MinX - 20000, env.MinY - 20000 };
  g->box[1] = (Pt) { env.MaxX + 20000, env.MinY - 20000 };
  g->box[2] = (Pt) { env.MaxX + 20000, env.MaxY + 20000 };
  g->box[3] = (Pt) { env.MinX - 20000, env.MaxY + 20000 };

  g->lake = rough_ring (g, saban_place_thac_ba_lake, 2, 0.08, &r, &g->n_lake);
  g->lake_bbox[0] = g->lake_bbox[1] = G_MAXDOUBLE;
  g->lake_bbox[2] = g->lake_bbox[3] = -G_MAXDOUBLE;
  for (guint i = 0; i < g->n_lake; i++)
    {
      g->lake_bbox[0] = MIN (g->lake_bbox[0], g->lake[i].x);
      g->lake_bbox[1] = MIN (g->lake_bbox[1], g->lake[i].y);
      g->lake_bbox[2] = MAX (g->lake_bbox[2], g->lake[i].x);
      g->lake_bbox[3] = MAX (g->lake_bbox[3], g->lake[i].y);
    }
  OGRGeometryH lake = polygon_from_pts (g->lake, g->n_lake);
  g->lake_geom = take_multipolygon (OGR_G_Intersection (lake, g->province));
  OGR_G_DestroyGeometry (lake);

  g->rivers = build_lines (g, saban_place_rivers, TRUE, &r);
  g->roads = build_lines (g, saban_place_roads, FALSE, &r);

  OGRGeometryH beds = OGR_G_CreateGeometry (wkbMultiPolygon);
  for (guint i = 0; i < g->rivers->len; i++)
    {
      Line *l = g_ptr_array_index (g->rivers, i);
      if (l->half_width <= 0)
        continue;
      OGRGeometryH b = OGR_G_Buffer (l->clipped, l->half_width, 4);
      collect_polygons (b, beds, 1.0);
      OGR_G_DestroyGeometry (b);
    }
  OGRGeometryH beds_union = OGR_G_UnionCascaded (beds);
  OGR_G_DestroyGeometry (beds);
  OGRGeometryH beds_in = OGR_G_Intersection (beds_union, g->province);
  OGR_G_DestroyGeometry (beds_union);
  g->river_water = take_multipolygon (OGR_G_Difference (beds_in, g->lake_geom));
  OGR_G_DestroyGeometry (beds_in);

  /* Communes: Voronoi cells of the seats, clipped to the province. */
  g->n_communes = saban_place_n_communes;
  g_assert (g->n_communes <= G_N_ELEMENTS (g->communes));
  for (guint i = 0; i < g->n_communes; i++)
    {
      Commune *c = &g->communes[i];
      c->place = &saban_place_communes[i];
      c->short_name = strchr (c->place->name, ' ') + 1;
      c->seed = g->seeds[i] = project (g, c->place->lon, c->place->lat);
      if (!in_province (g, c->seed))
        {
          g_set_error (error, DATAGEN_ERROR, 1, "internal error: the seat of %s lies outside the province", c->place->name);
          return FALSE;
        }
    }
  for (guint i = 0; i < g->n_communes; i++)
    {
      Commune *c = &g->communes[i];
      OGRGeometryH cell = voronoi_cell (g->seeds, g->n_communes, i, g->box);
      c->geom = take_multipolygon (cell ? OGR_G_Intersection (cell, g->province) : NULL);
      if (cell)
        OGR_G_DestroyGeometry (cell);
      if (c->geom == NULL)
        {
          g_set_error (error, DATAGEN_ERROR, 1, "internal error: %s has an empty area", c->place->name);
          return FALSE;
        }
      c->area_km2 = OGR_G_Area (c->geom) / 1e6;
      c->line_pts = g_array_new (FALSE, FALSE, sizeof (LinePt));
    }

  /* River and road vertices per commune, where hamlets string along valleys. */
  GPtrArray *sets[2] = { g->rivers, g->roads };
  for (guint s = 0; s < 2; s++)
    for (guint i = 0; i < sets[s]->len; i++)
      {
        Line *l = g_ptr_array_index (sets[s], i);
        for (guint k = 1; k + 1 < l->pts->len; k++)
          {
            Pt a = g_array_index (l->pts, Pt, k - 1), b = g_array_index (l->pts, Pt, k + 1);
            LinePt lp = { g_array_index (l->pts, Pt, k), atan2 (b.y - a.y, b.x - a.x) };
            if (!in_province (g, lp.p))
              continue;
            g_array_append_val (g->communes[nearest_commune (g, lp.p)].line_pts, lp);
          }
      }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Zoning: each commune split into blocks, water first, then Voronoi blocks of
 * sub-seeds whose use follows simple terrain rules. */

static gboolean
in_zone (Gen *g, const SabanPlaceZone *zones, Pt p)
{
  for (const SabanPlaceZone *z = zones; z->radius_km > 0; z++)
    if (dist2 (p, project (g, z->lon, z->lat)) < z->radius_km * z->radius_km * 1e6)
      return TRUE;
  return FALSE;
}

static guint8
choose_block_use (Gen *g, Commune *c, guint idx, Pt p, Rng *r)
{
  if (idx == 0)
    return c->place->ward ? LU_ODT : LU_ONT;
  double dc = sqrt (dist2 (p, c->seed));
  double dr = lines_dist (g->rivers, p, FALSE, NULL);
  gboolean high = in_zone (g, saban_place_highlands, p);
  double u = rng_uniform (r);

  if (dc > 2500 && in_zone (g, saban_place_special_use_forest, p))
    return LU_RDD;
  if (c->place->ward && dc < 2500)
    return u < 0.6 ? LU_ODT : u < 0.75 ? LU_TMD : u < 0.9 ? LU_DGT : LU_CLN;
  if (dr < 1200)
    {
      if (high)
        return u < 0.7 ? LU_LUK : u < 0.9 ? LU_HNK : LU_ONT;
      return u < 0.6 ? LU_LUC : u < 0.8 ? LU_LUK : u < 0.9 ? LU_NTS : LU_ONT;
    }
  if (dc < 2500)
  return u < 0.2 ? LU_ONT : u < 0.5 ? LU_HNK : u < 0.8 ? LU_CLN : LU_LUK;
  if (high)
    return u < 0.5 ? LU_RPH : u < 0.85 ? LU_RSX : LU_HNK;
  return u < 0.6 ? LU_RSX : u < 0.75 ? LU_RPH : u < 0.9 ? LU_CLN : LU_HNK;
}

static void
place_subseeds (Gen *g, guint ci, Rng *r)
{
  Commune *c = &g->communes[ci];
  guint n = (guint) CLAMP (c->area_km2 / 8.0, 5, 24);
  double spacing = 0.5 * sqrt (c->area_km2 * 1e6 / n);
  OGREnvelope env;
  OGR_G_GetEnvelope (c->geom, &env);

  c->subseeds = g_array_new (FALSE, FALSE, sizeof (Pt));
  c->subcodes = g_array_new (FALSE, FALSE, sizeof (guint8));
  g_array_append_val (c->subseeds, c->seed);
  /* A ring around the seat keeps the village or town core to a square
   * kilometre or two instead of a whole Voronoi block. */
  double ring_r = c->place->ward ? 1400 : 900, phase = rng_range (r, 0, G_PI);
  for (guint k = 0; k < 6; k++)
    {
      Pt p = { c->seed.x + ring_r * cos (phase + k * G_PI / 3), c->seed.y + ring_r * sin (phase + k * G_PI / 3) };
      if (in_province (g, p) && nearest_commune (g, p) == ci)
        g_array_append_val (c->subseeds, p);
    }
  n += c->subseeds->len - 1;
  for (guint tries = 0; c->subseeds->len < n && tries < 2000; tries++)
    {
      Pt p = { rng_range (r, env.MinX, env.MaxX), rng_range (r, env.MinY, env.MaxY) };
      if (!in_province (g, p) || nearest_commune (g, p) != ci)
        continue;
      gboolean crowded = FALSE;
      for (guint k = 0; k < c->subseeds->len && !crowded; k++)
        crowded = dist2 (p, g_array_index (c->subseeds, Pt, k)) < spacing * spacing;
      if (!crowded)
        g_array_append_val (c->subseeds, p);
    }
  for (guint k = 0; k < c->subseeds->len; k++)
    {
      guint8 code = choose_block_use (g, c, k, g_array_index (c->subseeds, Pt, k), r);
      g_array_append_val (c->subcodes, code);
    }
  /* Industrial parks and commercial areas take the block they sit in. */
  const SabanPlacePoint *special[2] = { saban_place_industrial, saban_place_commercial };
  const guint8 special_code[2] = { LU_SKK, LU_TMD };
  for (guint s = 0; s < 2; s++)
    for (const SabanPlacePoint *sp = special[s]; sp->name; sp++)
      {
        Pt p = project (g, sp->lon, sp->lat);
        if (nearest_commune (g, p) != ci)
          continue;
        guint best = 0;
        double bd = G_MAXDOUBLE;
        for (guint k = 0; k < c->subseeds->len; k++)
          if (dist2 (p, g_array_index (c->subseeds, Pt, k)) < bd)
            {
              bd = dist2 (p, g_array_index (c->subseeds, Pt, k));
              best = k;
            }
        /* Keep the seat itself residential: split off a new block instead. */
        if (best == 0)
          {
            g_array_append_val (c->subseeds, p);
            g_array_append_val (c->subcodes, special_code[s]);
          }
        else
          g_array_index (c->subcodes, guint8, best) = special_code[s];
      }
}

static guint
nearest_subseed (Commune *c, Pt p)
{
  guint best = 0;
  double bd = G_MAXDOUBLE;
  const Pt *s = (const Pt *) c->subseeds->data;
  for (guint k = 0; k < c->subseeds->len; k++)
    {
      double d = dist2 (p, s[k]);
      if (d < bd)
        {
          bd = d;
          best = k;
        }
    }
  return best;
}

/* ------------------------------------------------------------------------ */
/* Output helpers. */

typedef struct
{
  const char  *name;
  OGRFieldType type;
} FieldSpec;

static OGRLayerH
create_layer (Gen *g, const char *name, OGRwkbGeometryType type, const FieldSpec *fields, GError **error)
{
  g_autofree char *desc = g_strdup_printf ("DESCRIPTION=%s", SYNTHETIC_NOTE);
  char *options[] = { desc, (char *) "SPATIAL_INDEX=YES", NULL };
  OGRLayerH layer = GDALDatasetCreateLayer (g->ds, name, g->srs, type, options);
  if (layer == NULL)
    {
      g_set_error (error, DATAGEN_ERROR, 1, "cannot create layer %s: %s", name, CPLGetLastErrorMsg ());
      return NULL;
    }
  for (const FieldSpec *f = fields; f->name; f++)
    {
      OGRFieldDefnH fd = OGR_Fld_Create (f->name, f->type);
      OGRErr err = OGR_L_CreateField (layer, fd, TRUE);
      OGR_Fld_Destroy (fd);
      if (err != OGRERR_NONE)
        {
          g_set_error (error, DATAGEN_ERROR, 1, "cannot create field %s.%s: %s", name, f->name, CPLGetLastErrorMsg ());
          return NULL;
        }
    }
  return layer;
}

typedef struct
{
  Gen        *g;
  const char *name;
  OGRLayerH   layer;
  OGRFeatureH feature;
  guint64     count;
} Writer;

static gboolean
writer_begin (Writer *w, Gen *g, const char *name, OGRwkbGeometryType type, const FieldSpec *fields, GError **error)
{
  memset (w, 0, sizeof *w);
  w->g = g;
  w->name = name;
  w->layer = create_layer (g, name, type, fields, error);
  if (w->layer == NULL)
    return FALSE;
  w->feature = OGR_F_Create (OGR_L_GetLayerDefn (w->layer));
  if (GDALDatasetStartTransaction (g->ds, FALSE) != OGRERR_NONE)
    {
      g_set_error (error, DATAGEN_ERROR, 1, "cannot start a transaction: %s", CPLGetLastErrorMsg ());
      return FALSE;
    }
  return TRUE;
}

/* Writes the reused feature; the geometry is copied, the caller keeps it. */
static gboolean
writer_put (Writer *w, OGRGeometryH geom, GError **error)
{
  OGR_F_SetGeometry (w->feature, geom);
  OGR_F_SetFID (w->feature, OGRNullFID);
  if (OGR_L_CreateFeature (w->layer, w->feature) != OGRERR_NONE)
    {
      g_set_error (error, DATAGEN_ERROR, 1, "cannot write to layer %s: %s", w->name, CPLGetLastErrorMsg ());
      return FALSE;
    }
  w->count++;
  return TRUE;
}

static gboolean
writer_put_point (Writer *w, Pt p, GError **error)
{
  OGRGeometryH pt = OGR_G_CreateGeometry (wkbPoint);
  OGR_G_SetPoint_2D (pt, 0, p.x, p.y);
  gboolean ok = writer_put (w, pt, error);
  OGR_G_DestroyGeometry (pt);
  return ok;
}

static gboolean
writer_end (Writer *w, const char *what, GError **error)
{
  g_clear_pointer (&w->feature, OGR_F_Destroy);
  if (GDALDatasetCommitTransaction (w->g->ds) != OGRERR_NONE)
    {
      g_set_error (error, DATAGEN_ERROR, 1, "cannot commit layer %s: %s", w->name, CPLGetLastErrorMsg ());
      return FALSE;
    }
  g_print ("%-18s %9" G_GUINT64_FORMAT " %s\n", w->name, w->count, what);
  return TRUE;
}

#define SET_S(w, f, v) OGR_F_SetFieldString ((w)->feature, (f), (v))
#define SET_I(w, f, v) OGR_F_SetFieldInteger ((w)->feature, (f), (v))
#define SET_I64(w, f, v) OGR_F_SetFieldInteger64 ((w)->feature, (f), (v))
#define SET_D(w, f, v) OGR_F_SetFieldDouble ((w)->feature, (f), (v))

/* ------------------------------------------------------------------------ */
/* Layers. */

static gboolean
write_province (Gen *g, GError **error)
{
  static const FieldSpec fields[] = {
    { "code", OFTString }, { "name", OFTString }, { "note", OFTString }, { NULL, 0 }
  };
  Writer w;
  if (!writer_begin (&w, g, "province", wkbMultiPolygon, fields, error))
    return FALSE;
  SET_S (&w, 0, SABAN_PLACE_PROVINCE_CODE);
  SET_S (&w, 1, "Lào Cai");
  SET_S (&w, 2, SYNTHETIC_NOTE);
  OGRGeometryH m = to_multipolygon (g->province);
  gboolean ok = writer_put (&w, m, error);
  OGR_G_DestroyGeometry (m);
  return ok && writer_end (&w, "MultiPolygon", error);
}

/* The communes' populations for a seed, in the places' order: the communes
 * layer and the demo indicators (which need no geometry) both take them here. */
static void
commune_populations (guint64 seed, gint64 *populations)
{
  Rng r = rng_stream (seed, 2);
  for (guint i = 0; i < saban_place_n_communes; i++)
    populations[i] = saban_place_communes[i].ward ? (gint64) rng_range (&r, 20000, 80000)
                                                  : (gint64) rng_range (&r, 3000, 20000);
}

static gboolean
write_communes (Gen *g, GError **error)
{
  static const FieldSpec fields[] = {
    { "code", OFTString }, { "name", OFTString }, { "kind", OFTString },
    { "population", OFTInteger }, { "area_km2", OFTReal }, { NULL, 0 }
  };
  g_autofree gint64 *populations = g_new (gint64, saban_place_n_communes);
  Writer w;
  commune_populations (g->seed, populations);
  if (!writer_begin (&w, g, "communes", wkbMultiPolygon, fields, error))
    return FALSE;
  for (guint i = 0; i < g->n_communes; i++)
    {
      Commune *c = &g->communes[i];
      c->population = populations[i];
      SET_S (&w, 0, c->place->code);
      SET_S (&w, 1, c->place->name);
      SET_S (&w, 2, c->place->ward ? "phường" : "xã");
      SET_I64 (&w, 3, c->population);
      SET_D (&w, 4, round (c->area_km2 * 1000) / 1000);
      if (!writer_put (&w, c->geom, error))
        return FALSE;
    }
  return writer_end (&w, "MultiPolygon", error);
}

static gboolean
write_lines (Gen *g, GPtrArray *lines, const char *table, gboolean with_class, GError **error)
{
  static const FieldSpec river_fields[] = { { "name", OFTString }, { NULL, 0 } };
  static const FieldSpec road_fields[] = { { "name", OFTString }, { "class", OFTString }, { NULL, 0 } };
  Writer w;
  if (!writer_begin (&w, g, table, wkbLineString, with_class ? road_fields : river_fields, error))
    return FALSE;
  for (guint i = 0; i < lines->len; i++)
    {
      Line *l = g_ptr_array_index (lines, i);
      SET_S (&w, 0, l->name);
      if (with_class)
        SET_S (&w, 1, l->klass);
      /* Clipping at a wavy border can cut a line in pieces; each is a feature. */
      OGRwkbGeometryType t = wkbFlatten (OGR_G_GetGeometryType (l->clipped));
      if (t == wkbLineString)
        {
          if (!writer_put (&w, l->clipped, error))
            return FALSE;
        }
      else
        for (int k = 0; k < OGR_G_GetGeometryCount (l->clipped); k++)
          {
            OGRGeometryH part = OGR_G_GetGeometryRef (l->clipped, k);
            if (wkbFlatten (OGR_G_GetGeometryType (part)) == wkbLineString && OGR_G_Length (part) > 50
                && !writer_put (&w, part, error))
              return FALSE;
          }
    }
  return writer_end (&w, "LineString", error);
}

static gboolean
write_zoning (Gen *g, GError **error)
{
  static const FieldSpec fields[] = { { "landuse", OFTString }, { "name", OFTString }, { "decision", OFTString },
                                      { NULL, 0 } };
  Rng r = rng_stream (g->seed, 3);
  Writer w;
  if (!writer_begin (&w, g, "zoning", wkbMultiPolygon, fields, error))
    return FALSE;

  OGRGeometryH water = OGR_G_Union (g->lake_geom, g->river_water);
  for (guint i = 0; i < g->n_communes; i++)
    {
      Commune *c = &g->communes[i];
      place_subseeds (g, i, &r);

      OGRGeometryH parts[N_LANDUSE] = { NULL };
      parts[LU_MNC] = take_multipolygon (OGR_G_Intersection (c->geom, g->lake_geom));
      parts[LU_SON] = take_multipolygon (OGR_G_Intersection (c->geom, g->river_water));
      OGRGeometryH land = take_multipolygon (OGR_G_Difference (c->geom, water));

      OGRGeometryH per_use[N_LANDUSE] = { NULL };
      OGREnvelope env;
      OGR_G_GetEnvelope (c->geom, &env);
      Pt box[4] = { { env.MinX - 1000, env.MinY - 1000 }, { env.MaxX + 1000, env.MinY - 1000 },
                    { env.MaxX + 1000, env.MaxY + 1000 }, { env.MinX - 1000, env.MaxY + 1000 } };
      for (guint k = 0; land && k < c->subseeds->len; k++)
        {
          OGRGeometryH cell = voronoi_cell ((const Pt *) c->subseeds->data, c->subseeds->len, k, box);
          if (cell == NULL)
            continue;
          OGRGeometryH block = OGR_G_Intersection (cell, land);
          OGR_G_DestroyGeometry (cell);
          guint8 code = g_array_index (c->subcodes, guint8, k);
          if (per_use[code] == NULL)
            per_use[code] = OGR_G_CreateGeometry (wkbMultiPolygon);
          collect_polygons (block, per_use[code], 1.0);
          if (block)
            OGR_G_DestroyGeometry (block);
        }
      if (land)
        OGR_G_DestroyGeometry (land);

      for (guint u = 0; u < N_LANDUSE; u++)
        {
          OGRGeometryH geom = parts[u];
          if (per_use[u])
            {
              geom = OGR_G_GetGeometryCount (per_use[u]) > 1 ? take_multipolygon (OGR_G_UnionCascaded (per_use[u]))
                                                               : to_multipolygon (per_use[u]);
              OGR_G_DestroyGeometry (per_use[u]);
            }
          if (geom == NULL)
            continue;
          g_autofree char *name = g_strdup_printf ("%s – %s", landuses[u].label, c->place->name);
          SET_S (&w, 0, landuses[u].code);
          SET_S (&w, 1, name);
          SET_S (&w, 2, saban_datagen_planning_decision_for (c->place->code));
          gboolean ok = writer_put (&w, geom, error);
          OGR_G_DestroyGeometry (geom);
          if (!ok)
            {
              OGR_G_DestroyGeometry (water);
              return FALSE;
            }
        }
    }
  OGR_G_DestroyGeometry (water);
  return writer_end (&w, "MultiPolygon", error);
}

/* ------------------------------------------------------------------------ */
/* Parcels: each hamlet lays a slightly irregular cadastral grid along its own
 * axis; neighbouring parcels share corners, so they tile without overlaps, and
 * a cell is only used if it lies wholly in the hamlet's Voronoi region, so two
 * hamlets never overlap either. */

static gboolean
hamlet_site_ok (Gen *g, guint ci, Pt p, double min_gap)
{
  if (!in_province (g, p) || nearest_commune (g, p) != ci || in_water (g, p, 150))
    return FALSE;
  for (guint k = 0; k < g->hamlets->len; k++)
    {
      Hamlet *h = &g_array_index (g->hamlets, Hamlet, k);
      if (dist2 (h->c, p) < min_gap * min_gap)
        return FALSE;
    }
  return TRUE;
}

static void
add_hamlet (Gen *g, guint ci, Pt p, double angle, double weight, double base, Rng *r)
{
  Hamlet h = { 0 };
  h.c = p;
  h.cos_a = cos (angle);
  h.sin_a = sin (angle);
  h.bx = base;
  h.by = MIN (base * rng_range (r, 1.2, 1.8), 42.0);
  h.hseed = rng_next (r);
  h.commune = ci;
  h.weight = weight;
  h.cells = g_array_new (FALSE, FALSE, sizeof (gint32));
  /* Irregular parcels vary more in width: a side from 0.4 to 1.6 cells. */
  h.wander = g->irregular ? 0.3 : 0.15;
  g_array_append_val (g->hamlets, h);
}

static void
place_hamlets (Gen *g, Rng *r)
{
  g->hamlets = g_array_new (FALSE, FALSE, sizeof (Hamlet));
  for (guint ci = 0; ci < g->n_communes; ci++)
    {
      Commune *c = &g->communes[ci];
      gboolean ward = c->place->ward;
      guint n = ward ? 4 + rng_int (r, 3) : (guint) CLAMP (3 + c->area_km2 / 12, 3, 16);
      double spread = sqrt (c->area_km2 * 1e6) / 3;

      /* The seat: the densest settlement, its grid along the nearest road or river. */
      Pt p = c->seed;
      for (guint t = 0; t < 200 && !hamlet_site_ok (g, ci, p, 0); t++)
        p = (Pt) { c->seed.x + rng_normal (r) * 400, c->seed.y + rng_normal (r) * 400 };
      double angle = rng_range (r, 0, G_PI);
      double best = G_MAXDOUBLE;
      for (guint k = 0; k < c->line_pts->len; k++)
        {
          LinePt *lp = &g_array_index (c->line_pts, LinePt, k);
          if (dist2 (lp->p, p) < best)
            {
              best = dist2 (lp->p, p);
              angle = lp->angle;
            }
        }
      add_hamlet (g, ci, p, angle, ward ? 6.0 : 3.0, ward ? rng_range (r, 17.5, 20) : rng_range (r, 20, 26), r);

      for (guint k = 1; k < n; k++)
        for (guint t = 0; t < 300; t++)
          {
            double a;
            if (c->line_pts->len > 0 && rng_uniform (r) < 0.6)
              {
                /* Villages string along valleys and roads, a little off the line. */
                LinePt *lp = &g_array_index (c->line_pts, LinePt, rng_int (r, c->line_pts->len));
                double off = rng_range (r, 250, 800) * (rng_uniform (r) < 0.5 ? -1 : 1);
                p = (Pt) { lp->p.x - sin (lp->angle) * off, lp->p.y + cos (lp->angle) * off };
                a = lp->angle + rng_range (r, -0.2, 0.2);
              }
            else
              {
                p = (Pt) { c->seed.x + rng_normal (r) * spread, c->seed.y + rng_normal (r) * spread };
                a = rng_range (r, 0, G_PI);
              }
            if (dist2 (p, c->seed) > 2500.0 * 2500.0 && in_zone (g, saban_place_special_use_forest, p))
              continue;
            if (!hamlet_site_ok (g, ci, p, ward ? 900 : 1300))
              continue;
            add_hamlet (g, ci, p, a, ward ? 2.0 : rng_range (r, 0.5, 1.5),
                        ward ? rng_range (r, 17.5, 24) : rng_range (r, 22, 32), r);
            break;
          }
    }

  /* What each hamlet must check per parcel, decided once. */
  for (guint k = 0; k < g->hamlets->len; k++)
    {
      Hamlet *h = &g_array_index (g->hamlets, Hamlet, k);
      double reach = HAMLET_RMAX + 100;
      h->check_province = ring_boundary_dist2 (g->outline, g->n_outline, h->c) < reach * reach;
      h->check_lake = !(h->c.x + reach < g->lake_bbox[0] || h->c.x - reach > g->lake_bbox[2]
                        || h->c.y + reach < g->lake_bbox[1] || h->c.y - reach > g->lake_bbox[3]);
      h->neighbours = g_array_new (FALSE, FALSE, sizeof (guint));
      for (guint m = 0; m < g->hamlets->len; m++)
        if (m != k && dist2 (h->c, g_array_index (g->hamlets, Hamlet, m).c) < 4 * reach * reach)
          g_array_append_val (h->neighbours, m);
      h->river_segs = g_array_new (FALSE, FALSE, sizeof (double));
      for (guint i = 0; i < g->rivers->len; i++)
        {
          Line *l = g_ptr_array_index (g->rivers, i);
          if (l->half_width <= 0)
            continue;
          double near = reach + l->half_width + 200;
          for (guint s = 1; s < l->pts->len; s++)
            {
              Pt a = g_array_index (l->pts, Pt, s - 1), b = g_array_index (l->pts, Pt, s);
              if (seg_dist2 (h->c, a, b) < near * near)
                {
                  double v[5] = { a.x, a.y, b.x, b.y, l->half_width };
                  g_array_append_vals (h->river_segs, v, 5);
                }
            }
        }
    }
}

typedef struct
{
  Gen      *g;
  Writer   *w;
  OGRGeometryH poly;
  OGRGeometryH ring;
  U64Map    cells;
  U64Map    sheets;      /* (commune, 1 km square) -> sheet number << 20 | last parcel */
  guint32   next_sheet[128];
  Rng       r;
} ParcelCtx;

enum
{
  CELL_PARCEL = 1,
  CELL_BLOCKED = 2
};
#define CELL_KEY(h, i, j) (((guint64) (h) << 40) | ((guint64) ((i) + (1 << 19)) << 20) | (guint64) ((j) + (1 << 19)))

static inline Pt
hamlet_corner (Hamlet *h, gint64 i, gint64 j)
{
  /* Grid lines wander ±15 % of a cell (±30 % for irregular parcels), corners
   * a further ±6 %: irregular, but the cells of a row stay in order, so they
   * never cross, and a side stays within 0.58–1.42 (0.28–1.72) times the
   * nominal size. */
  double u = (i + h->wander * hash_unit (h->hseed, i, G_MININT32)) * h->bx + 0.06 * h->bx * hash_unit (h->hseed ^ 1, i, j);
  double v = (j + h->wander * hash_unit (h->hseed, G_MININT32, j)) * h->by + 0.06 * h->by * hash_unit (h->hseed ^ 2, i, j);
  return (Pt) { h->c.x + u * h->cos_a - v * h->sin_a, h->c.y + u * h->sin_a + v * h->cos_a };
}

/* The bend in the side of cell corners @a → @b, if it has one: a side along
 * a row (@kind 0) always bends, one across (@kind 1) every other time. It is
 * decided by the side's own grid position (@i, @j), so the parcel on the
 * other side has the same bend: neighbours still share their whole edge.
 * Offsets stay within ±8 % of the narrower nominal side, less than any cell
 * is wide, so a bent parcel never crosses its neighbour. */
static gboolean
side_bend (Hamlet *h, gint64 i, gint64 j, guint kind, Pt a, Pt b, Pt *bend)
{
  double len, along, off;

  if (kind == 1 && hash_unit (h->hseed ^ 3, i, j) < 0)
    return FALSE;
  len = sqrt (dist2 (a, b));
  along = 0.5 + 0.15 * hash_unit (h->hseed ^ (4 + kind), i, j);
  off = 0.08 * MIN (h->bx, h->by) * hash_unit (h->hseed ^ (6 + kind), i, j) / MAX (len, 1e-9);
  *bend = (Pt) { a.x + along * (b.x - a.x) - off * (b.y - a.y), a.y + along * (b.y - a.y) + off * (b.x - a.x) };
  return TRUE;
}

/* The ring of cell (@i, @j) from its corners @q: the corners alone, or with
 * the bends of an irregular parcel (6 to 8 vertices). Returns its length. */
static guint
parcel_ring (Gen *g, Hamlet *h, gint64 i, gint64 j, const Pt q[4], Pt out[8])
{
  /* Each side's grid position and direction, in ring order. */
  const gint64 side_i[4] = { i, i + 1, i, i }, side_j[4] = { j, j, j + 1, j };
  const guint kind[4] = { 0, 1, 0, 1 };
  guint n = 0;

  for (guint k = 0; k < 4; k++)
    {
      Pt a = q[k], b = q[(k + 1) % 4], bend;

      out[n++] = a;
      /* The ring runs the last two sides backwards; bends are made forwards. */
      if (g->irregular && k < 2 && side_bend (h, side_i[k], side_j[k], kind[k], a, b, &bend))
        out[n++] = bend;
      else if (g->irregular && k >= 2 && side_bend (h, side_i[k], side_j[k], kind[k], b, a, &bend))
        out[n++] = bend;
    }
  return n;
}

static gboolean
parcel_ok (Gen *g, Hamlet *h, const Pt q[4])
{
  for (guint k = 0; k < 4; k++)
    {
      double own = dist2 (q[k], h->c);
      if (own > HAMLET_RMAX * HAMLET_RMAX)
        return FALSE;
      for (guint m = 0; m < h->neighbours->len; m++)
        {
          Hamlet *o = &g_array_index (g->hamlets, Hamlet, g_array_index (h->neighbours, guint, m));
          if (dist2 (q[k], o->c) <= own)
            return FALSE;
        }
      if (h->check_province && !in_province (g, q[k]))
        return FALSE;
      if (h->check_lake && in_lake (g, q[k]))
        return FALSE;
      const double *s = (const double *) h->river_segs->data;
      for (guint m = 0; m + 4 < h->river_segs->len; m += 5)
        {
          double lim = s[m + 4] + 5;
          if (seg_dist2 (q[k], (Pt) { s[m], s[m + 1] }, (Pt) { s[m + 2], s[m + 3] }) < lim * lim)
            return FALSE;
        }
    }
  return TRUE;
}

/* Lays up to @want parcels for hamlet @hi; returns how many it managed. */
static gint64
grow_hamlet (ParcelCtx *pc, guint hi, gint64 want, GError **error)
{
  Gen *g = pc->g;
  Hamlet *h = &g_array_index (g->hamlets, Hamlet, hi);
  gint64 made = 0;
  guint misses = 0;

  /* Spread, in cells across, of a settlement of @want parcels filling about
   * 60 % of its disc. */
  if (h->sigma == 0)
    h->sigma = 1.0 + 0.6 * sqrt ((double) want * h->by / h->bx);

  while (made < want)
    {
      gint64 i, j;
      if (h->cells->len == 0)
        {
          double spread = 0.5 + misses / 20.0;
          i = (gint64) llround (rng_normal (&pc->r) * spread);
          j = (gint64) llround (rng_normal (&pc->r) * spread * h->bx / h->by);
        }
      else
        {
          /* Settlements grow outwards parcel by parcel, next to a parcel already
           * there, more readily near the centre: compact, with a ragged edge. */
          const gint32 *from = &g_array_index (h->cells, gint32, 2 * rng_int (&pc->r, h->cells->len / 2));
          guint dir = rng_int (&pc->r, 4);
          i = from[0] + (dir == 0) - (dir == 1);
          j = from[1] + (dir == 2) - (dir == 3);
        }
      double r2 = (double) i * i + (double) j * j * (h->by / h->bx) * (h->by / h->bx);
      gboolean fresh = FALSE;
      guint32 *slot = NULL;
      if (llabs (i) < (1 << 18) && llabs (j) < (1 << 18)
          && rng_uniform (&pc->r) < exp (-r2 / (2 * h->sigma * h->sigma)))
        slot = u64map_insert (&pc->cells, CELL_KEY (hi, i, j), &fresh);
      Pt q[4];
      if (fresh)
        {
          q[0] = hamlet_corner (h, i, j);
          q[1] = hamlet_corner (h, i + 1, j);
          q[2] = hamlet_corner (h, i + 1, j + 1);
          q[3] = hamlet_corner (h, i, j + 1);
          fresh = parcel_ok (g, h, q);
          *slot = fresh ? CELL_PARCEL : CELL_BLOCKED;
        }
      if (!fresh)
        {
          /* Crowded or blocked: spread the settlement out, give up at its edge. */
          if (++misses > 400)
            {
              misses = 0;
              h->sigma *= 1.25;
              if (h->sigma * h->bx > 2 * HAMLET_RMAX)
                break;
            }
          continue;
        }
      misses = 0;
      gint32 ij[2] = { (gint32) i, (gint32) j };
      g_array_append_vals (h->cells, ij, 2);

      /* Millimetre coordinates keep the file free of float noise digits. */
      Pt ring[8], cen = { 0, 0 };
      guint n = parcel_ring (g, h, i, j, q, ring);
      double area = 0;
      OGR_G_SetPointCount (pc->ring, (int) n + 1);
      for (guint k = 0; k < n; k++)
        {
          ring[k].x = round (ring[k].x * 1000) / 1000;
          ring[k].y = round (ring[k].y * 1000) / 1000;
          OGR_G_SetPoint_2D (pc->ring, (int) k, ring[k].x, ring[k].y);
        }
      OGR_G_SetPoint_2D (pc->ring, (int) n, ring[0].x, ring[0].y);
      for (guint k = 0; k < 4; k++)
        {
          cen.x += round (q[k].x * 1000) / 1000 / 4;
          cen.y += round (q[k].y * 1000) / 1000 / 4;
        }
      if (n == 4)
        area = 0.5 * fabs ((ring[0].x - ring[2].x) * (ring[1].y - ring[3].y) - (ring[1].x - ring[3].x) * (ring[0].y - ring[2].y));
      else
        {
          for (guint k = 0; k < n; k++)
            area += ring[k].x * ring[(k + 1) % n].y - ring[(k + 1) % n].x * ring[k].y;
          area = fabs (area) / 2;
        }

      guint ci = nearest_commune (g, cen);
      Commune *c = &g->communes[ci];
      guint use = pick_parcel_landuse (g_array_index (c->subcodes, guint8, nearest_subseed (c, cen)), &pc->r);

      gint64 gx = (gint64) floor (cen.x / 1000), gy = (gint64) floor (cen.y / 1000);
      guint64 skey = ((guint64) (ci + 1) << 40) | ((guint64) (gx & 0xFFFFF) << 20) | (guint64) (gy & 0xFFFFF);
      gboolean new_sheet = FALSE;
      guint32 *sheet = u64map_insert (&pc->sheets, skey, &new_sheet);
      if (new_sheet)
        *sheet = ++pc->next_sheet[ci] << 20;
      *sheet += 1;

      Writer *w = pc->w;
      SET_I (w, 0, (int) (*sheet >> 20));
      SET_I (w, 1, (int) (*sheet & 0xFFFFF));
      SET_S (w, 2, landuses[use].code);
      SET_D (w, 3, round (area * 10) / 10);
      SET_S (w, 4, c->place->code);
      if (!writer_put (w, pc->poly, error))
        return -1;
      made++;
    }
  return made;
}

static gboolean
write_parcels (Gen *g, GError **error)
{
  static const FieldSpec fields[] = {
    { "sheet", OFTInteger }, { "parcel", OFTInteger }, { "landuse", OFTString },
    { "area_m2", OFTReal }, { "commune_code", OFTString }, { NULL, 0 }
  };
  /* Irregular parcels come as another province's cadastre might: its own
   * layer and field names (số tờ, số thửa, mã loại đất, diện tích, mã xã),
   * the same meanings in the same order. */
  static const FieldSpec cadastre_fields[] = {
    { "so_to", OFTInteger }, { "so_thua", OFTInteger }, { "ma_loai", OFTString },
    { "dien_tich", OFTReal }, { "ma_xa", OFTString }, { NULL, 0 }
  };
  Rng hr = rng_stream (g->seed, 4);
  place_hamlets (g, &hr);

  Writer w;
  if (!writer_begin (&w, g, g->irregular ? "thua_dat" : "parcels", wkbPolygon,
                     g->irregular ? cadastre_fields : fields, error))
    return FALSE;

  ParcelCtx pc = { 0 };
  pc.g = g;
  pc.w = &w;
  pc.r = rng_stream (g->seed, 5);
  pc.poly = OGR_G_CreateGeometry (wkbPolygon);
  pc.ring = OGR_G_CreateGeometry (wkbLinearRing);
  for (int k = 0; k < 5; k++)
    OGR_G_AddPoint_2D (pc.ring, 0, 0);
  OGR_G_AddGeometryDirectly (pc.poly, pc.ring);
  pc.ring = OGR_G_GetGeometryRef (pc.poly, 0);
  u64map_init (&pc.cells, (gsize) g->n_parcels * 2 + 1024);
  u64map_init (&pc.sheets, 4096);

  double total_w = 0;
  for (guint k = 0; k < g->hamlets->len; k++)
    total_w += g_array_index (g->hamlets, Hamlet, k).weight;

  /* Shares by weight, rounded so they add up to exactly --parcels; whatever a
   * full hamlet cannot take is carried on to the next. */
  gint64 remaining = g->n_parcels;
  double acc = 0;
  gboolean ok = TRUE;
  for (guint k = 0; k < g->hamlets->len && ok; k++)
    {
      acc += g_array_index (g->hamlets, Hamlet, k).weight;
      gint64 upto = k + 1 == g->hamlets->len ? g->n_parcels : (gint64) llround (g->n_parcels * acc / total_w);
      gint64 want = upto - (g->n_parcels - remaining);
      gint64 made = want > 0 ? grow_hamlet (&pc, k, want, error) : 0;
      if (made < 0)
        ok = FALSE;
      else
        remaining -= made;
    }
  for (guint pass = 0; ok && remaining > 0 && pass < 4; pass++)
    for (guint k = 0; k < g->hamlets->len && ok && remaining > 0; k++)
      {
        g_array_index (g->hamlets, Hamlet, k).sigma *= 1.5;
        gint64 made = grow_hamlet (&pc, k, remaining, error);
        if (made < 0)
          ok = FALSE;
        else
          remaining -= made;
      }
  if (ok && remaining > 0)
    {
      g_set_error (error, DATAGEN_ERROR, 1, "the province has no room for %" G_GINT64_FORMAT " parcels", g->n_parcels);
      ok = FALSE;
    }

  OGR_G_DestroyGeometry (pc.poly);
  u64map_clear (&pc.cells);
  u64map_clear (&pc.sheets);
  if (!ok)
    return FALSE;
  return writer_end (&w, "Polygon", error);
}

/* ------------------------------------------------------------------------ */
/* Points. */

static Pt
point_in_commune (Gen *g, guint ci, double sigma, Rng *r)
{
  Commune *c = &g->communes[ci];
  for (guint t = 0; t < 500; t++)
    {
      Pt p = { c->seed.x + rng_normal (r) * sigma, c->seed.y + rng_normal (r) * sigma };
      if (in_province (g, p) && nearest_commune (g, p) == ci && !in_water (g, p, 30))
        return (Pt) { round (p.x * 100) / 100, round (p.y * 100) / 100 };
    }
  return c->seed;
}

static guint
commune_by_name (const char *name)
{
  for (guint i = 0; i < saban_place_n_communes; i++)
    if (g_str_equal (saban_place_communes[i].name, name))
      return i;
  g_error ("unknown commune %s", name);
}

static gboolean
write_health (Gen *g, GError **error)
{
  static const FieldSpec fields[] = {
    { "name", OFTString }, { "kind", OFTString }, { "beds", OFTInteger }, { "commune_code", OFTString }, { NULL, 0 }
  };
  Rng r = rng_stream (g->seed, 6);
  Writer w;
  if (!writer_begin (&w, g, "health_facilities", wkbPoint, fields, error))
    return FALSE;
  for (const SabanPlacePoint *sp = saban_place_hospitals; sp->name; sp++)
    {
      Pt p = project (g, sp->lon, sp->lat);
      SET_S (&w, 0, sp->name);
      SET_S (&w, 1, sp->kind);
      SET_I (&w, 2, sp->size);
      SET_S (&w, 3, g->communes[nearest_commune (g, p)].place->code);
      if (!writer_put_point (&w, p, error))
        return FALSE;
    }
  for (guint i = 0; i < g->n_communes; i++)
    {
      Commune *c = &g->communes[i];
      g_autofree char *name = g_strdup_printf ("Trạm y tế %s %s", c->place->ward ? "phường" : "xã", c->short_name);
      SET_S (&w, 0, name);
      SET_S (&w, 1, "Trạm y tế");
      SET_I (&w, 2, 3 + (int) rng_int (&r, 8));
      SET_S (&w, 3, c->place->code);
      if (!writer_put_point (&w, point_in_commune (g, i, 500, &r), error))
        return FALSE;
    }
  return writer_end (&w, "Point", error);
}

static gboolean
write_schools_and_shelters (Gen *g, GError **error)
{
  static const FieldSpec school_fields[] = {
    { "name", OFTString }, { "level", OFTString }, { "commune_code", OFTString }, { NULL, 0 }
  };
  static const FieldSpec shelter_fields[] = {
    { "name", OFTString }, { "capacity", OFTInteger }, { "commune_code", OFTString }, { NULL, 0 }
  };
  static const char *const levels[] = { "Mầm non", "Tiểu học", "THCS", "THPT" };
  Rng r = rng_stream (g->seed, 7);
  g_autofree Pt *thcs = g_new0 (Pt, g->n_communes);
  g_autofree Pt *tieu_hoc = g_new0 (Pt, g->n_communes);

  Writer w;
  if (!writer_begin (&w, g, "schools", wkbPoint, school_fields, error))
    return FALSE;
  for (guint i = 0; i < g->n_communes; i++)
    {
      Commune *c = &g->communes[i];
      gboolean ward = c->place->ward;
      guint counts[4] = {
        ward ? 2 + rng_int (&r, 3) : 1 + rng_int (&r, 2),
        ward ? 2 + rng_int (&r, 2) : 1 + rng_int (&r, 2),
        ward ? 1 + rng_int (&r, 2) : 1,
        ward ? 1 + rng_int (&r, 2) : 0,
      };
      for (const char *const *t = saban_place_thpt_communes; *t; t++)
        if (g_str_equal (*t, c->place->name))
          counts[3] = 1;
      for (guint lv = 0; lv < 4; lv++)
        for (guint k = 0; k < counts[lv]; k++)
          {
            g_autofree char *name = k == 0 ? g_strdup_printf ("Trường %s %s", levels[lv], c->short_name)
                                           : g_strdup_printf ("Trường %s số %u %s", levels[lv], k + 1, c->short_name);
            Pt p = point_in_commune (g, i, k == 0 ? 700 : 1500, &r);
            if (k == 0 && lv == 1)
              tieu_hoc[i] = p;
            if (k == 0 && lv == 2)
              thcs[i] = p;
            SET_S (&w, 0, name);
            SET_S (&w, 1, levels[lv]);
            SET_S (&w, 2, c->place->code);
            if (!writer_put_point (&w, p, error))
              return FALSE;
          }
    }
  if (!writer_end (&w, "Point", error))
    return FALSE;

  /* Schools are the usual evacuation points, then cultural houses. */
  if (!writer_begin (&w, g, "shelters", wkbPoint, shelter_fields, error))
    return FALSE;
  for (guint i = 0; i < g->n_communes; i++)
    {
      Commune *c = &g->communes[i];
      guint n = 2 + rng_int (&r, 3);
      for (guint k = 0; k < n; k++)
        {
          g_autofree char *name = NULL;
          Pt p;
          int capacity;
          if (k == 0)
            {
              name = g_strdup_printf ("Điểm sơ tán Trường THCS %s", c->short_name);
              p = thcs[i];
              capacity = 300 + (int) rng_int (&r, 500);
            }
          else if (k == 1)
            {
              name = g_strdup_printf ("Điểm sơ tán Trường Tiểu học %s", c->short_name);
              p = tieu_hoc[i];
              capacity = 200 + (int) rng_int (&r, 400);
            }
          else
            {
              name = g_strdup_printf ("Nhà văn hóa %s %u, %s", c->place->ward ? "tổ dân phố" : "thôn",
                                      1 + rng_int (&r, 12), c->place->name);
              p = point_in_commune (g, i, 2000, &r);
              capacity = 80 + (int) rng_int (&r, 170);
            }
          SET_S (&w, 0, name);
          SET_I (&w, 1, capacity);
          SET_S (&w, 2, c->place->code);
          if (!writer_put_point (&w, p, error))
            return FALSE;
        }
    }
  return writer_end (&w, "Point", error);
}

static gboolean
write_police_and_fire (Gen *g, GError **error)
{
  static const FieldSpec fields[] = { { "name", OFTString }, { "commune_code", OFTString }, { NULL, 0 } };
  Rng r = rng_stream (g->seed, 8);
  Writer w;
  if (!writer_begin (&w, g, "police_stations", wkbPoint, fields, error))
    return FALSE;
  /* The merged province is governed from the former Yên Bái city. */
  guint yb = commune_by_name ("Phường Yên Bái");
  SET_S (&w, 0, "Công an tỉnh Lào Cai");
  SET_S (&w, 1, g->communes[yb].place->code);
  if (!writer_put_point (&w, point_in_commune (g, yb, 400, &r), error))
    return FALSE;
  for (guint i = 0; i < g->n_communes; i++)
    {
      Commune *c = &g->communes[i];
      g_autofree char *name = g_strdup_printf ("Công an %s %s", c->place->ward ? "phường" : "xã", c->short_name);
      SET_S (&w, 0, name);
      SET_S (&w, 1, c->place->code);
      if (!writer_put_point (&w, point_in_commune (g, i, 400, &r), error))
        return FALSE;
    }
  if (!writer_end (&w, "Point", error))
    return FALSE;

  if (!writer_begin (&w, g, "fire_stations", wkbPoint, fields, error))
    return FALSE;
  for (const SabanPlacePoint *sp = saban_place_fire_stations; sp->name; sp++)
    {
      Pt p = project (g, sp->lon, sp->lat);
      SET_S (&w, 0, sp->name);
      SET_S (&w, 1, g->communes[nearest_commune (g, p)].place->code);
      if (!writer_put_point (&w, p, error))
        return FALSE;
    }
  return writer_end (&w, "Point", error);
}

static gboolean
write_sensors (Gen *g, GError **error)
{
  static const FieldSpec fields[] = {
    { "code", OFTString }, { "name", OFTString }, { "kind", OFTString }, { "commune_code", OFTString }, { NULL, 0 }
  };
  Rng r = rng_stream (g->seed, 9);
  Writer w;
  if (!writer_begin (&w, g, "sensor_sites", wkbPoint, fields, error))
    return FALSE;

#define PUT_SENSOR(prefix, n, nm, kind, p)                                     \
  G_STMT_START                                                                 \
  {                                                                            \
    g_autofree char *code_ = g_strdup_printf ("%s-%03u", prefix, n);           \
    SET_S (&w, 0, code_);                                                      \
    SET_S (&w, 1, nm);                                                         \
    SET_S (&w, 2, kind);                                                       \
    SET_S (&w, 3, g->communes[nearest_commune (g, p)].place->code);            \
    if (!writer_put_point (&w, p, error))                                      \
      return FALSE;                                                            \
  }                                                                            \
  G_STMT_END

  guint n = 0;
  for (const SabanPlacePoint *sp = saban_place_water_gauges; sp->name; sp++)
    {
      /* A gauge stands on its river: snap to the nearest vertex of that line. */
      Pt want = project (g, sp->lon, sp->lat), p = want;
      double best = G_MAXDOUBLE;
      for (guint i = 0; i < g->rivers->len; i++)
        {
          Line *l = g_ptr_array_index (g->rivers, i);
          if (!g_str_equal (l->name, sp->kind))
            continue;
          for (guint k = 0; k < l->pts->len; k++)
            {
              Pt v = g_array_index (l->pts, Pt, k);
              if (dist2 (v, want) < best && in_province (g, v))
                {
                  best = dist2 (v, want);
                  p = v;
                }
            }
        }
      PUT_SENSOR ("MN", ++n, sp->name, "water_level", p);
    }
  n = 0;
  for (const char *const *cn = saban_place_rain_communes; *cn; cn++)
    {
      guint ci = commune_by_name (*cn);
      g_autofree char *name = g_strdup_printf ("Trạm đo mưa %s", g->communes[ci].short_name);
      Pt p = point_in_commune (g, ci, 2500, &r);
      PUT_SENSOR ("MUA", ++n, name, "rain", p);
    }
  n = 0;
  for (const SabanPlacePoint *sp = saban_place_air_stations; sp->name; sp++)
    {
      Pt p = project (g, sp->lon, sp->lat);
      PUT_SENSOR ("KK", ++n, sp->name, "air_quality", p);
    }
  n = 0;
  for (const SabanPlacePoint *sp = saban_place_cameras; sp->name; sp++)
    {
      Pt p = project (g, sp->lon, sp->lat);
      PUT_SENSOR ("CAM", ++n, sp->name, "camera", p);
    }
#undef PUT_SENSOR
  return writer_end (&w, "Point", error);
}

/* ------------------------------------------------------------------------ */

static void
gen_clear (Gen *g)
{
  for (guint i = 0; i < g->n_communes; i++)
    {
      Commune *c = &g->communes[i];
      g_clear_pointer (&c->geom, OGR_G_DestroyGeometry);
      g_clear_pointer (&c->subseeds, g_array_unref);
      g_clear_pointer (&c->subcodes, g_array_unref);
      g_clear_pointer (&c->line_pts, g_array_unref);
    }
  if (g->hamlets)
    {
      for (guint k = 0; k < g->hamlets->len; k++)
        {
          Hamlet *h = &g_array_index (g->hamlets, Hamlet, k);
          g_clear_pointer (&h->neighbours, g_array_unref);
          g_clear_pointer (&h->river_segs, g_array_unref);
          g_clear_pointer (&h->cells, g_array_unref);
        }
      g_clear_pointer (&g->hamlets, g_array_unref);
    }
  g_clear_pointer (&g->rivers, g_ptr_array_unref);
  g_clear_pointer (&g->roads, g_ptr_array_unref);
  g_clear_pointer (&g->province, OGR_G_DestroyGeometry);
  g_clear_pointer (&g->lake_geom, OGR_G_DestroyGeometry);
  g_clear_pointer (&g->river_water, OGR_G_DestroyGeometry);
  g_clear_pointer (&g->outline, g_free);
  g_clear_pointer (&g->lake, g_free);
  g_clear_pointer (&g->ct, OCTDestroyCoordinateTransformation);
  g_clear_pointer (&g->srs, OSRRelease);
}

static gboolean
generate (Gen *g, const char *path, GError **error)
{
  OGRSpatialReferenceH wgs84 = OSRNewSpatialReference (NULL);
  g->srs = OSRNewSpatialReference (NULL);
  OSRSetFromUserInput (wgs84, "EPSG:4326");
  OSRSetFromUserInput (g->srs, "EPSG:9208");
  OSRSetAxisMappingStrategy (wgs84, OAMS_TRADITIONAL_GIS_ORDER);
  OSRSetAxisMappingStrategy (g->srs, OAMS_TRADITIONAL_GIS_ORDER);
  g->ct = OCTNewCoordinateTransformation (wgs84, g->srs);
  OSRRelease (wgs84);
  if (g->ct == NULL)
    {
      g_set_error (error, DATAGEN_ERROR, 1, "cannot transform EPSG:4326 to EPSG:%d: %s", TARGET_EPSG,
                   CPLGetLastErrorMsg ());
      return FALSE;
    }
  if (!build_geography (g, error))
    return FALSE;

  GDALDriverH drv = GDALGetDriverByName ("GPKG");
  if (drv == NULL)
    {
      g_set_error (error, DATAGEN_ERROR, 1, "this GDAL has no GeoPackage driver");
      return FALSE;
    }
  g->ds = GDALCreate (drv, path, 0, 0, 0, GDT_Unknown, NULL);
  if (g->ds == NULL)
    {
      g_set_error (error, DATAGEN_ERROR, 1, "cannot create “%s”: %s", path, CPLGetLastErrorMsg ());
      return FALSE;
    }
  gboolean ok = write_province (g, error)
                && write_communes (g, error)
                && write_lines (g, g->rivers, "rivers", FALSE, error)
                && write_lines (g, g->roads, "roads", TRUE, error)
                && write_zoning (g, error)
                && saban_datagen_planning (g->ds, g->srs, error)
                && write_parcels (g, error)
                && write_health (g, error)
                && write_schools_and_shelters (g, error)
                && write_police_and_fire (g, error)
                && write_sensors (g, error)
                && saban_datagen_catalog (g->ds, error);
  CPLErrorReset ();
  GDALClose (g->ds);
  g->ds = NULL;
  if (ok && CPLGetLastErrorType () >= CE_Failure)
    {
      g_set_error (error, DATAGEN_ERROR, 1, "cannot finish “%s”: %s", path, CPLGetLastErrorMsg ());
      ok = FALSE;
    }
  /* the offline base map, from the layers just written */
  return ok && saban_datagen_basemap (path, (const double[4]) { g->box[0].x, g->box[0].y, g->box[2].x, g->box[2].y },
                                      error);
}

/* --indicators: the demo's indicators up to @month ("2026-11"; NULL = this
 * month in Vietnam, UTC+7). */
static int
write_indicators (const char *dir, guint64 seed, const char *month)
{
  g_autofree gint64 *populations = g_new (gint64, saban_place_n_communes);
  g_autoptr (GError) error = NULL;
  int y, m;

  if (month != NULL)
    {
      if (strlen (month) != 7 || sscanf (month, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12 || y < 1900 || y > 2200)
        {
          g_printerr ("saban-datagen: --indicators-month wants YYYY-MM, not “%s”\n", month);
          return 1;
        }
    }
  else
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr (GDateTime) vietnam = g_date_time_add_hours (now, 7);
      y = g_date_time_get_year (vietnam);
      m = g_date_time_get_month (vietnam);
    }
  commune_populations (seed, populations);
  if (!saban_datagen_indicators (dir, seed, populations, y, m, &error))
    {
      g_printerr ("saban-datagen: %s\n", error->message);
      return 1;
    }
  g_print ("wrote the indicators to %s (%d months up to %04d-%02d)\n", dir, SABAN_DATAGEN_INDICATOR_MONTHS, y, m);
  return 0;
}

static int
write_geopackage (const char *out, guint64 seed, gint64 parcels, const char *shape)
{
  g_autoptr (GError) error = NULL;

  if (parcels < 0 || parcels > MAX_PARCELS)
    {
      g_printerr ("saban-datagen: --parcels must be between 0 and %d, not %" G_GINT64_FORMAT "\n", MAX_PARCELS,
                  parcels);
      return 1;
    }
  if (shape != NULL && !g_str_equal (shape, "grid") && !g_str_equal (shape, "irregular"))
    {
      g_printerr ("saban-datagen: --parcel-shape must be grid or irregular, not “%s”\n", shape);
      return 1;
    }
  if (g_file_test (out, G_FILE_TEST_IS_DIR))
    {
      g_printerr ("saban-datagen: “%s” is a directory\n", out);
      return 1;
    }
  g_autofree char *dir = g_path_get_dirname (out);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_printerr ("saban-datagen: cannot write “%s”: there is no directory “%s”\n", out, dir);
      return 1;
    }

  CPLSetConfigOption ("OGR_CURRENT_DATE", FIXED_DATE);
  /* The output is written to a side file and renamed into place, so a crash
   * leaves the old file intact; durability of the side file does not matter. */
  CPLSetConfigOption ("OGR_SQLITE_SYNCHRONOUS", "OFF");
  CPLSetConfigOption ("OGR_SQLITE_CACHE", "256");
  CPLPushErrorHandler (CPLQuietErrorHandler);
  GDALAllRegister ();

  g_autofree char *partial = g_strconcat (out, ".partial.gpkg", NULL);
  g_unlink (partial);

  Gen g = { 0 };
  g.seed = seed;
  g.n_parcels = parcels;
  g.irregular = g_strcmp0 (shape, "irregular") == 0;
  gint64 t0 = g_get_monotonic_time ();
  gboolean ok = generate (&g, partial, &error);
  gen_clear (&g);
  if (ok && g_rename (partial, out) != 0)
    {
      int saved = errno;
      g_set_error (&error, DATAGEN_ERROR, 1, "cannot move the result to “%s”: %s", out, g_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    {
      g_unlink (partial);
      g_printerr ("saban-datagen: %s\n", error->message);
      return 1;
    }
  g_print ("wrote %s in %.1f s\n", out, (g_get_monotonic_time () - t0) / 1e6);
  return 0;
}

int
main (int argc, char **argv)
{
  g_autofree char *out = NULL, *indicators = NULL, *indicators_month = NULL, *shape = NULL, *photos = NULL;
  gint64 parcels = DEFAULT_PARCELS;
  gint64 seed = 1;
  GOptionEntry entries[] = {
    { "parcel-shape", 0, 0, G_OPTION_ARG_STRING, &shape,
      "grid: 4-corner parcels, layer “parcels” (default); irregular: 6–8 vertices, "
      "layer “thua_dat”, land use in “ma_loai”", "SHAPE" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "GeoPackage to write (overwritten)", "FILE.gpkg" },
    { "parcels", 'n', 0, G_OPTION_ARG_INT64, &parcels, "Number of cadastral parcels (default 20000)", "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, "Random seed (default 1)", "S" },
    { "indicators", 0, 0, G_OPTION_ARG_FILENAME, &indicators,
      "Also (or only) write the demo indicators as indicator-definitions.csv and indicator-values.csv", "DIR" },
    { "indicators-month", 0, 0, G_OPTION_ARG_STRING, &indicators_month,
      "The last month of the indicators (default: this month)", "YYYY-MM" },
    { "photos", 0, 0, G_OPTION_ARG_FILENAME, &photos,
      "Also (or only) draw the demo citizen reports' photos (PNG) into this folder", "DIR" },
    G_OPTION_ENTRY_NULL
  };
  setlocale (LC_ALL, "");
  g_autoptr (GOptionContext) ctx = g_option_context_new ("— synthetic demonstration data for Lào Cai");
  g_option_context_set_summary (ctx,
                                "Writes a GeoPackage in EPSG:9208 (VN-2000 / TM-3 104-45) with the province,\n"
                                "its 99 communes, rivers, roads, zoning, cadastral parcels, public facilities\n"
                                "and sensor sites, and (--indicators) 24 months of 30 socio-economic indicators\n"
                                "per commune. The data are synthetic, for demonstrations and benchmarks;\n"
                                "the same arguments always give the same bytes.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("saban-datagen: %s\nTry “saban-datagen --help”.\n", error->message);
      return 1;
    }
  if (argc > 1)
    {
      g_printerr ("saban-datagen: unexpected argument “%s”\n", argv[1]);
      return 1;
    }
  if ((out == NULL || *out == '\0') && indicators == NULL && photos == NULL)
    {
      g_printerr ("saban-datagen: --out FILE.gpkg (or --indicators DIR, --photos DIR) is required\n");
      return 1;
    }
  if (photos != NULL && !saban_datagen_photos (photos, (guint64) seed, &error))
    {
      g_printerr ("saban-datagen: %s\n", error->message);
      return 1;
    }
  if (indicators != NULL && write_indicators (indicators, (guint64) seed, indicators_month) != 0)
    return 1;
  return out != NULL && *out != '\0' ? write_geopackage (out, (guint64) seed, parcels, shape) : 0;
}
