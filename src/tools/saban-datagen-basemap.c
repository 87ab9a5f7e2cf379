/* saban-datagen-basemap.c: the demo's offline base map, as raster tiles in
 * the GeoPackage (table "basemap", GoogleMapsCompatible, JPEG).
 *
 * Terrain from a synthetic DEM, shaded and tinted by the app's own relief
 * code (saban-hillshade.c), with the demo's rivers and roads burnt in by
 * GDAL's rasterizer. Synthetic and labelled so in the table's description.
 * About 300 m a pixel (zoom 9): a base for the province and its
 * districts, not for a street; a province drops in its own (a setting).
 * Deterministic: the DEM is a closed formula (value noise from an integer
 * hash, no random numbers).
 */
#include "saban-datagen-basemap.h"

#include <math.h>

#include <cpl_string.h>
#include <gdal.h>
#include <gdal_alg.h>
#include <ogr_srs_api.h>

#include "saban-hillshade.h"

#define PIXEL_M 300.0
/* as every table of the demo says it */
#define NOTE "Dữ liệu minh họa tổng hợp — không phải số liệu chính thức"

/* The relief's grain runs north-west to south-east, as Hoàng Liên Sơn and
 * the Red River's valley do: 35° south of east. */
#define GRAIN_RAD (-35.0 * G_PI / 180.0)
#define OCTAVES 6

/* A repeatable value in [0, 1) for lattice point @i, @j of layer @seed (an
 * integer hash: the same on every machine, no random numbers). */
static double
lattice (int   i,
         int   j,
         guint seed)
{
  guint32 h = (guint32) i * 374761393u + (guint32) j * 668265263u + seed * 2246822519u;

  h = (h ^ (h >> 13)) * 1274126177u;
  h ^= h >> 16;
  return (h & 0xffffff) / 16777216.0;
}

/* quintic: the slope is continuous across lattice cells, so no seams or
 * rows show in the hillshade */
static double
fade (double t)
{
  return t * t * t * (t * (t * 6 - 15) + 10);
}

static double
value_noise (double x,
             double y,
             guint  seed)
{
  double i = floor (x), j = floor (y), fx = fade (x - i), fy = fade (y - j);
  double a = lattice ((int) i, (int) j, seed), b = lattice ((int) i + 1, (int) j, seed);
  double c = lattice ((int) i, (int) j + 1, seed), d = lattice ((int) i + 1, (int) j + 1, seed);

  return (a + (b - a) * fx) * (1 - fy) + (c + (d - c) * fx) * fy;
}

static double
smoothstep (double edge0,
            double edge1,
            double x)
{
  double t = CLAMP ((x - edge0) / (edge1 - edge0), 0, 1);

  return t * t * (3 - 2 * t);
}

/* Terrain at @along, @across km from the province's centre (along the
 * grain, and across it towards the north-east): ridged noise stretched
 * along the grain for the ranges, a few octaves of plain noise for the
 * slopes between them; the land rising to the south-west (Hoàng Liên Sơn,
 * near 3 000 m) and less to the north-east (the Bắc Hà plateau), with one
 * broad valley through the middle (the Red River's, under 100 m). */
static double
terrain (double along,
         double across)
{
  double ridges = 0, hills = 0, weight = 1, total = 0;
  /* the river runs some 6 km north-east of the province's middle line */
  double river = across - 6;
  double high = 500 + 2300 * smoothstep (0, -45, river) + 900 * smoothstep (5, 35, river);
  double valley = 1 - 0.85 * exp (-river * river / (2 * 7.0 * 7.0));

  for (guint o = 0; o < OCTAVES; o++)
    {
      double scale = (double) (1u << o);
      double n = value_noise (along * scale / 30.0, across * scale / 11.0, 2 * o + 1);
      double ridge = 1 - fabs (2 * n - 1);

      ridges += weight * ridge * ridge;
      hills += weight * value_noise (along * scale / 16.0, across * scale / 16.0, 2 * o + 2);
      total += weight;
      weight *= 0.5;
    }
  return 70 + valley * high * (0.2 + 0.5 * ridges / total + 0.3 * hills / total);
}

static GDALDatasetH
shaded_terrain (const double *mercator, int width, int height)
{
  GDALDatasetH ds = GDALCreate (GDALGetDriverByName ("MEM"), "", width, height, 3, GDT_Byte, NULL);
  double gt[6] = { mercator[0], PIXEL_M, 0, mercator[3], 0, -PIXEL_M };
  g_autofree float *z = g_new (float, (gsize) width * height);
  g_autofree guint8 *shade = g_new (guint8, (gsize) width * height);
  g_autofree guint8 *rgb = g_new (guint8, (gsize) 3 * width * height);
  /* ground metres per Mercator metre at the province's latitude */
  double ground = PIXEL_M / cosh ((mercator[1] + mercator[3]) / 2 / 6378137.0);
  double low = G_MAXDOUBLE, high = -G_MAXDOUBLE;

  for (int r = 0; r < height; r++)
    for (int c = 0; c < width; c++)
      {
        /* ground km from the centre, turned to the grain */
        double e = (c - width / 2.0) * ground / 1000, n = (height / 2.0 - r) * ground / 1000;
        double h = terrain (e * cos (GRAIN_RAD) + n * sin (GRAIN_RAD), -e * sin (GRAIN_RAD) + n * cos (GRAIN_RAD));

        z[(gsize) r * width + c] = (float) h;
        low = MIN (low, h);
        high = MAX (high, h);
      }
  saban_hillshade (z, NULL, width, height, ground, ground, 1, shade);
  for (gsize k = 0; k < (gsize) width * height; k++)
    {
      guint8 tint[3];
      double light = shade[k] != 0 ? 0.5 + 0.5 * shade[k] / 255.0 : 1;

      saban_hypsometric_color (z[k], low, high, tint);
      for (int b = 0; b < 3; b++)
        rgb[(gsize) b * width * height + k] = (guint8) (tint[b] * light);
    }
  GDALSetGeoTransform (ds, gt);
  GDALSetProjection (ds, "EPSG:3857");
  if (GDALDatasetRasterIO (ds, GF_Write, 0, 0, width, height, rgb, width, height, GDT_Byte, 3, NULL, 0, 0, 0) != CE_None)
    {
      GDALClose (ds);
      return NULL;
    }
  return ds;
}

/* The GeoPackage's @layer burnt in @rgb. */
static gboolean
burn (GDALDatasetH  target,
      GDALDatasetH  source,
      const char   *layer,
      const double *rgb)
{
  OGRLayerH l = GDALDatasetGetLayerByName (source, layer);
  int bands[3] = { 1, 2, 3 };
  const char *options[] = { "ALL_TOUCHED=TRUE", NULL };

  return l != NULL && GDALRasterizeLayers (target, 3, bands, 1, &l, NULL, NULL, (double *) rgb,
                                           (char **) options, NULL, NULL) == CE_None;
}

/**
 * saban_datagen_basemap:
 * @path: the GeoPackage just written, closed
 * @box: (array fixed-size=4): the area, EPSG:9208: min x, min y, max x, max y
 *
 * Adds the "basemap" tile table to @path.
 */
gboolean
saban_datagen_basemap (const char   *path,
                       const double *box,
                       GError      **error)
{
  OGRSpatialReferenceH vn = OSRNewSpatialReference (NULL), merc = OSRNewSpatialReference (NULL);
  OGRCoordinateTransformationH ct;
  double x[4] = { box[0], box[2], box[2], box[0] }, y[4] = { box[1], box[1], box[3], box[3] }, m[4];
  const double river[3] = { 70, 130, 190 }, road[3] = { 235, 150, 60 };
  const char *tiles[] = { "APPEND_SUBDATASET=YES", "RASTER_TABLE=basemap", "RASTER_IDENTIFIER=Nền địa hình (minh họa)",
                          "RASTER_DESCRIPTION=" NOTE, "TILING_SCHEME=GoogleMapsCompatible", "TILE_FORMAT=JPEG",
                          "ZOOM_LEVEL_STRATEGY=LOWER", "RESAMPLING=BILINEAR", NULL };
  const int levels[] = { 2, 4, 8 };
  GDALDatasetH vectors, terrain_ds = NULL, out = NULL;
  gboolean ok = FALSE;

  OSRSetFromUserInput (vn, "EPSG:9208");
  OSRSetFromUserInput (merc, "EPSG:3857");
  OSRSetAxisMappingStrategy (vn, OAMS_TRADITIONAL_GIS_ORDER);
  OSRSetAxisMappingStrategy (merc, OAMS_TRADITIONAL_GIS_ORDER);
  ct = OCTNewCoordinateTransformation (vn, merc);
  OCTTransform (ct, 4, x, y, NULL);
  m[0] = MIN (x[0], x[3]);
  m[1] = MIN (y[0], y[1]);
  m[2] = MAX (x[1], x[2]);
  m[3] = MAX (y[2], y[3]);
  OCTDestroyCoordinateTransformation (ct);
  OSRRelease (vn);
  OSRRelease (merc);

  vectors = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  if (vectors != NULL)
    terrain_ds = shaded_terrain (m, (int) ((m[2] - m[0]) / PIXEL_M), (int) ((m[3] - m[1]) / PIXEL_M));
  if (terrain_ds != NULL && burn (terrain_ds, vectors, "rivers", river) && burn (terrain_ds, vectors, "roads", road))
    out = GDALCreateCopy (GDALGetDriverByName ("GPKG"), path, terrain_ds, FALSE, (char **) tiles, NULL, NULL);
  if (vectors != NULL)
    GDALClose (vectors);
  if (out != NULL)
    {
      /* zoomed out, the province still has its base */
      ok = GDALBuildOverviews (out, "AVERAGE", G_N_ELEMENTS (levels), (int *) levels, 0, NULL, NULL, NULL) == CE_None;
      GDALClose (out);
    }
  if (terrain_ds != NULL)
    GDALClose (terrain_ds);
  if (!ok)
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot write the base map into “%s”: %s", path,
                 CPLGetLastErrorMsg ());
  return ok;
}
