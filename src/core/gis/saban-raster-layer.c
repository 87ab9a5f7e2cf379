/* saban-raster-layer.c: one raster GDAL opens — an orthophoto, a scanned
 * drawing, a DEM, tiles in a GeoPackage or MBTiles, a COG over HTTP.
 *
 * Nothing of the pixels is kept: every tile is read, through the overview
 * nearest its scale, from the window under it, so memory stays bounded
 * whatever the raster's size (GDAL's block cache is capped too). A GDAL
 * dataset is not thread-safe, so each drawing thread takes a reader of its
 * own — a dataset and a PROJ transform — from a pool, and gives it back.
 * Rasters georeferenced by GCPs are read through GDAL's warped VRT, which
 * turns the GCPs into a geotransform. Drawing is saban-raster-render.c;
 * identify, the elevation under the pointer, profiles and overviews are
 * saban-raster-query.c.
 */
#include "saban-raster-layer-private.h"
#include "saban-error.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include <cpl_string.h>
#include <gdal.h>
#include <gdal_alg.h>
#include <gdalwarper.h>

/* Larger than this on both sides without overviews, a raster is slow to
 * draw zoomed out: the user is offered to build them. */
#define OVERVIEW_THRESHOLD 4096
/* GDAL's block cache, unless the process set GDAL_CACHEMAX: its default (5 %
 * of memory) would let one large raster take over a gigabyte. */
#define CACHE_MAX_BYTES (64 * 1024 * 1024)

G_DEFINE_FINAL_TYPE (SabanRasterLayer, saban_raster_layer, G_TYPE_OBJECT)

static gpointer
set_cache (gpointer data)
{
  saban_ogr_register ();
  if (g_getenv ("GDAL_CACHEMAX") == NULL)
    GDALSetCacheMax64 (CACHE_MAX_BYTES);
  return NULL;
}

static void
gdal_init (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, set_cache, NULL);
}

static void
band_clear (gpointer data)
{
  SabanRasterBand *band = data;

  g_free (band->name);
  g_free (band->unit);
}

void
saban_raster_reader_free (SabanRasterReader *r)
{
  if (r->ds != r->source)
    GDALClose (r->ds);
  GDALClose (r->source);
  g_clear_pointer (&r->to_source, saban_transform_free);
  g_free (r->scratch);
  g_free (r);
}

static void
saban_raster_layer_finalize (GObject *object)
{
  SabanRasterLayer *self = SABAN_RASTER_LAYER (object);

  g_ptr_array_unref (self->idle);
  g_mutex_clear (&self->lock);
  g_array_unref (self->bands);
  g_free (self->source);
  g_free (self->name);
  g_free (self->crs);
  g_free (self->crs_name);
  G_OBJECT_CLASS (saban_raster_layer_parent_class)->finalize (object);
}

static void
saban_raster_layer_class_init (SabanRasterLayerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_raster_layer_finalize;
}

static void
saban_raster_layer_init (SabanRasterLayer *self)
{
  g_mutex_init (&self->lock);
  self->idle = g_ptr_array_new_with_free_func ((GDestroyNotify) saban_raster_reader_free);
  self->bands = g_array_new (FALSE, TRUE, sizeof (SabanRasterBand));
  g_array_set_clear_func (self->bands, band_clear);
}

/* The dataset to read: GCPs become a geotransform through a warped VRT. */
static GDALDatasetH
readable (GDALDatasetH source)
{
  double gt[6];

  if (GDALGetGeoTransform (source, gt) == CE_None || GDALGetGCPCount (source) == 0)
    return source;
  return GDALAutoCreateWarpedVRT (source, NULL, NULL, GRA_Bilinear, 0.125, NULL);
}

static GDALDatasetH
open_dataset (const char *source)
{
  /* Over HTTP, looking for side files (.aux.xml, .ovr, .msk) costs a round
   * trip each, on every open: a COG has what it needs inside. */
  gboolean remote = g_str_has_prefix (source, "/vsicurl") || strstr (source, "://") != NULL;
  GDALDatasetH ds;

  gdal_init ();
  if (remote)
    CPLSetThreadLocalConfigOption ("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR");
  ds = GDALOpenEx (source, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
  if (remote)
    CPLSetThreadLocalConfigOption ("GDAL_DISABLE_READDIR_ON_OPEN", NULL);
  return ds;
}

static SabanRasterReader *
reader_new (SabanRasterLayer *self,
            GError          **error)
{
  g_autofree SabanRasterReader *r = g_new0 (SabanRasterReader, 1);
  double gt[6];

  CPLPushErrorHandler (CPLQuietErrorHandler);
  r->source = open_dataset (self->source);
  CPLPopErrorHandler ();
  if (r->source == NULL)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_OPEN, _("Cannot open “%s” again"), self->name);
      return NULL;
    }
  r->ds = readable (r->source);
  if (r->ds == NULL || GDALGetGeoTransform (r->ds, gt) != CE_None || !GDALInvGeoTransform (gt, r->inverse))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_OPEN, _("“%s” has no usable georeference"), self->name);
      if (r->ds != NULL && r->ds != r->source)
        GDALClose (r->ds);
      GDALClose (r->source);
      return NULL;
    }
  r->to_source = saban_transform_new ("EPSG:3857", self->crs, error);
  if (r->to_source == NULL)
    {
      SabanRasterReader *broken = g_steal_pointer (&r);

      saban_raster_reader_free (broken);
      return NULL;
    }
  r->generation = self->generation;
  return g_steal_pointer (&r);
}

SabanRasterReader *
saban_raster_layer_take_reader (SabanRasterLayer *self,
             GError          **error)
{
  SabanRasterReader *r = NULL;

  g_mutex_lock (&self->lock);
  if (self->idle->len > 0)
    r = g_ptr_array_steal_index_fast (self->idle, self->idle->len - 1);
  g_mutex_unlock (&self->lock);
  return r != NULL ? r : reader_new (self, error);
}

void
saban_raster_layer_give_back (SabanRasterLayer *self,
           SabanRasterReader           *r)
{
  g_mutex_lock (&self->lock);
  if (r->generation == self->generation)
    {
      g_ptr_array_add (self->idle, r);
      r = NULL;
    }
  g_mutex_unlock (&self->lock);
  if (r != NULL)
    saban_raster_reader_free (r);
}



static void
read_palette (SabanRasterLayer *self,
              GDALColorTableH   table)
{
  int n = MIN (GDALGetColorEntryCount (table), 256);

  for (int i = 0; i < n; i++)
    {
      const GDALColorEntry *e = GDALGetColorEntry (table, i);

      self->palette[i] = saban_premultiply (e->c1, e->c2, e->c3, (guint8) e->c4);
    }
}

static SabanRasterKind
kind_of (GDALDatasetH ds)
{
  GDALRasterBandH first = GDALGetRasterBand (ds, 1);

  if (GDALGetRasterCount (ds) >= 3 && GDALGetRasterDataType (first) == GDT_Byte)
    return SABAN_RASTER_KIND_RGB;
  if (GDALGetRasterColorTable (first) != NULL)
    return SABAN_RASTER_KIND_PALETTE;
  if (GDALGetRasterDataType (first) == GDT_Byte)
    return SABAN_RASTER_KIND_GRAY;
  return SABAN_RASTER_KIND_ELEVATION;
}

static void
read_bands (SabanRasterLayer *self,
            GDALDatasetH      ds)
{
  for (int i = 1; i <= GDALGetRasterCount (ds); i++)
    {
      GDALRasterBandH band = GDALGetRasterBand (ds, i);
      const char *description = GDALGetDescription (band);
      SabanRasterBand b = { 0 };
      double minmax[2] = { 0, 255 };
      int has_nodata = FALSE;

      b.name = g_strdup (description != NULL && *description != '\0' ? description :
                         GDALGetColorInterpretationName (GDALGetRasterColorInterpretation (band)));
      b.unit = g_strdup (GDALGetRasterUnitType (band));
      b.nodata = GDALGetRasterNoDataValue (band, &has_nodata);
      b.has_nodata = has_nodata;
      if (GDALGetRasterDataType (band) != GDT_Byte)
        /* approximate: from an overview or a sample of blocks */
        GDALComputeRasterMinMax (band, TRUE, minmax);
      b.min = minmax[0];
      b.max = minmax[1];
      g_array_append_val (self->bands, b);
      if (GDALGetMaskFlags (band) != GMF_ALL_VALID)
        self->all_valid = FALSE;
    }
}

/* The raster's footprint in Web Mercator: its edges, 32 points each. */
static gboolean
find_extent (SabanRasterLayer *self,
             GDALDatasetH      ds,
             GError          **error)
{
  g_autoptr(SabanTransform) to_mercator = saban_transform_new (self->crs, "EPSG:3857", error);
  double gt[6], xy[2 * 4 * 33];
  guint n = 0;

  if (to_mercator == NULL)
    return FALSE;
  GDALGetGeoTransform (ds, gt);
  for (guint side = 0; side < 4; side++)
    for (guint k = 0; k <= 32; k++)
      {
        double t = k / 32.0;
        double px = side == 0 ? t * self->width : side == 1 ? self->width : side == 2 ? (1 - t) * self->width : 0;
        double py = side == 0 ? 0 : side == 1 ? t * self->height : side == 2 ? self->height : (1 - t) * self->height;

        xy[2 * n] = gt[0] + px * gt[1] + py * gt[2];
        xy[2 * n + 1] = gt[3] + px * gt[4] + py * gt[5];
        n++;
      }
  saban_transform_points (to_mercator, xy, n);
  self->extent[0] = self->extent[1] = G_MAXDOUBLE;
  self->extent[2] = self->extent[3] = -G_MAXDOUBLE;
  for (guint i = 0; i < n; i++)
    {
      if (!isfinite (xy[2 * i]) || !isfinite (xy[2 * i + 1]))
        continue;
      self->extent[0] = MIN (self->extent[0], CLAMP (xy[2 * i], -WEB_MERCATOR_HALF, WEB_MERCATOR_HALF));
      self->extent[1] = MIN (self->extent[1], CLAMP (xy[2 * i + 1], -WEB_MERCATOR_HALF, WEB_MERCATOR_HALF));
      self->extent[2] = MAX (self->extent[2], CLAMP (xy[2 * i], -WEB_MERCATOR_HALF, WEB_MERCATOR_HALF));
      self->extent[3] = MAX (self->extent[3], CLAMP (xy[2 * i + 1], -WEB_MERCATOR_HALF, WEB_MERCATOR_HALF));
    }
  if (self->extent[0] >= self->extent[2] || self->extent[1] >= self->extent[3])
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_CRS,
                   _("“%s” lies outside the area a map can show"), self->name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
describe_crs (SabanRasterLayer *self,
              GDALDatasetH      ds,
              const char       *default_crs,
              GError          **error)
{
  OGRSpatialReferenceH srs = GDALGetSpatialRef (ds);

  if (srs == NULL && GDALGetGCPCount (ds) > 0)
    srs = (OGRSpatialReferenceH) GDALGetGCPSpatialRef (ds);
  if (srs != NULL)
    {
      self->crs = saban_ogr_crs_definition (srs);
      self->crs_name = g_strdup (OSRGetName (srs));
    }
  else if (default_crs != NULL)
    {
      self->crs = g_strdup (default_crs);
      self->crs_name = g_strdup (default_crs);
    }
  if (self->crs != NULL)
    return TRUE;
  /* A scan with a world file but no .prj: only the user knows. */
  g_set_error (error, SABAN_ERROR, SABAN_ERROR_NEEDS_CRS,
               _("“%s” does not say which coordinate system it uses"), self->name);
  return FALSE;
}

/* A GeoPackage with several tile sets, a NetCDF: the first raster in it. */
static char *
first_subdataset (GDALDatasetH ds)
{
  const char *name = CSLFetchNameValue (GDALGetMetadata (ds, "SUBDATASETS"), "SUBDATASET_1_NAME");

  return g_strdup (name);
}

/**
 * saban_raster_layer_probe:
 * @source: a file name, URL or GDAL connection string
 *
 * Blocking (GDAL opens it): call from a worker.
 *
 * Returns: whether GDAL reads @source as a raster
 */
gboolean
saban_raster_layer_probe (const char *source)
{
  g_autofree char *sub = NULL;
  GDALDatasetH ds;
  gboolean raster;

  CPLPushErrorHandler (CPLQuietErrorHandler);
  ds = open_dataset (source);
  CPLPopErrorHandler ();
  if (ds == NULL)
    return FALSE;
  raster = GDALGetRasterCount (ds) > 0 || (sub = first_subdataset (ds)) != NULL;
  GDALClose (ds);
  return raster;
}

static GDALDatasetH
open_first_raster (char **source)
{
  GDALDatasetH ds = open_dataset (*source);
  g_autofree char *sub = NULL;

  if (ds == NULL || GDALGetRasterCount (ds) > 0)
    return ds;
  sub = first_subdataset (ds);
  GDALClose (ds);
  if (sub == NULL)
    return NULL;
  g_free (*source);
  *source = g_steal_pointer (&sub);
  return open_dataset (*source);
}

static gboolean
describe (SabanRasterLayer *self,
          const char       *default_crs,
          GError          **error)
{
  g_autofree char *reason = NULL;
  GDALDatasetH source, ds;
  gboolean ok;

  CPLPushErrorHandler (CPLQuietErrorHandler);
  CPLErrorReset ();
  source = open_first_raster (&self->source);
  reason = g_strdup (CPLGetLastErrorMsg ());
  CPLPopErrorHandler ();
  if (source == NULL)
    {
      g_autofree char *shown = saban_ogr_redact (reason);

      g_set_error (error, SABAN_ERROR, SABAN_ERROR_OPEN, _("Cannot open “%s” as a raster: %s"),
                   self->name, shown);
      return FALSE;
    }
  self->all_valid = TRUE;
  self->kind = kind_of (source);
  if (self->kind == SABAN_RASTER_KIND_PALETTE)
    read_palette (self, GDALGetRasterColorTable (GDALGetRasterBand (source, 1)));
  ok = describe_crs (self, source, default_crs, error);
  ds = ok ? readable (source) : NULL;
  if (ok && (ds == NULL || GDALGetGeoTransform (ds, (double[6]) { 0 }) != CE_None))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_NEEDS_CRS,
                   _("“%s” has no georeference: no geotransform, world file or control points"), self->name);
      ok = FALSE;
    }
  if (ok)
    {
      self->width = GDALGetRasterXSize (ds);
      self->height = GDALGetRasterYSize (ds);
      self->n_overviews = GDALGetOverviewCount (GDALGetRasterBand (source, 1));
      read_bands (self, ds);
      ok = find_extent (self, ds, error);
    }
  if (ds != NULL && ds != source)
    GDALClose (ds);
  GDALClose (source);
  return ok;
}

/**
 * saban_raster_layer_open:
 * @source: a file name, `/vsicurl/` URL or GDAL connection string
 * @default_crs: (nullable): the CRS to assume when the raster names none
 *
 * Reads what the raster is (size, bands, CRS, footprint), not its pixels.
 * Blocking: call from a worker (saban_raster_layer_open_async()).
 *
 * Returns: (transfer full) (nullable): the layer, or %NULL with @error set
 *   (%SABAN_ERROR_NEEDS_CRS when only the user can say its CRS)
 */
SabanRasterLayer *
saban_raster_layer_open (const char  *source,
                         const char  *default_crs,
                         GError     **error)
{
  g_autoptr(SabanRasterLayer) self = g_object_new (SABAN_TYPE_RASTER_LAYER, NULL);
  g_autofree char *shown = saban_ogr_redact (source);

  g_return_val_if_fail (source != NULL, NULL);

  self->source = g_strdup (source);
  self->name = g_path_get_basename (shown);
  if (!describe (self, default_crs, error))
    return NULL;
  return g_steal_pointer (&self);
}

typedef struct
{
  char *source;
  char *default_crs;
} OpenJob;

static void
open_job_free (OpenJob *job)
{
  g_free (job->source);
  g_free (job->default_crs);
  g_free (job);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenJob *job = task_data;
  GError *error = NULL;
  SabanRasterLayer *layer = saban_raster_layer_open (job->source, job->default_crs, &error);

  if (layer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, layer, g_object_unref);
}

/**
 * saban_raster_layer_open_async:
 *
 * saban_raster_layer_open() in a worker thread.
 */
void
saban_raster_layer_open_async (const char          *source,
                               const char          *default_crs,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  OpenJob *job = g_new0 (OpenJob, 1);

  job->source = g_strdup (source);
  job->default_crs = g_strdup (default_crs);
  g_task_set_source_tag (task, saban_raster_layer_open_async);
  g_task_set_task_data (task, job, (GDestroyNotify) open_job_free);
  g_task_run_in_thread (task, open_thread);
}

/**
 * saban_raster_layer_open_finish:
 *
 * Returns: (transfer full) (nullable): the layer
 */
SabanRasterLayer *
saban_raster_layer_open_finish (GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
saban_raster_layer_get_source (SabanRasterLayer *self)
{
  g_return_val_if_fail (SABAN_IS_RASTER_LAYER (self), NULL);
  return self->source;
}

/**
 * saban_raster_layer_get_name:
 * Returns: the file's name, as the layer list first shows it
 */
const char *
saban_raster_layer_get_name (SabanRasterLayer *self)
{
  g_return_val_if_fail (SABAN_IS_RASTER_LAYER (self), NULL);
  return self->name;
}

/**
 * saban_raster_layer_get_source_crs:
 * Returns: the raster's CRS, as saban_transform_new() takes it
 */
const char *
saban_raster_layer_get_source_crs (SabanRasterLayer *self)
{
  g_return_val_if_fail (SABAN_IS_RASTER_LAYER (self), NULL);
  return self->crs;
}

const char *
saban_raster_layer_get_source_crs_name (SabanRasterLayer *self)
{
  g_return_val_if_fail (SABAN_IS_RASTER_LAYER (self), NULL);
  return self->crs_name;
}

SabanRasterKind
saban_raster_layer_get_kind (SabanRasterLayer *self)
{
  g_return_val_if_fail (SABAN_IS_RASTER_LAYER (self), SABAN_RASTER_KIND_RGB);
  return self->kind;
}

guint
saban_raster_layer_get_width (SabanRasterLayer *self)
{
  g_return_val_if_fail (SABAN_IS_RASTER_LAYER (self), 0);
  return self->width;
}

guint
saban_raster_layer_get_height (SabanRasterLayer *self)
{
  g_return_val_if_fail (SABAN_IS_RASTER_LAYER (self), 0);
  return self->height;
}

guint
saban_raster_layer_get_n_bands (SabanRasterLayer *self)
{
  g_return_val_if_fail (SABAN_IS_RASTER_LAYER (self), 0);
  return self->bands->len;
}

/**
 * saban_raster_layer_get_band:
 * @band: 0 for the first
 *
 * Returns: (transfer none): what the band holds
 */
const SabanRasterBand *
saban_raster_layer_get_band (SabanRasterLayer *self,
                             guint             band)
{
  g_return_val_if_fail (SABAN_IS_RASTER_LAYER (self), NULL);
  g_return_val_if_fail (band < self->bands->len, NULL);
  return &g_array_index (self->bands, SabanRasterBand, band);
}

guint
saban_raster_layer_get_n_overviews (SabanRasterLayer *self)
{
  g_return_val_if_fail (SABAN_IS_RASTER_LAYER (self), 0);
  return self->n_overviews;
}

/**
 * saban_raster_layer_needs_overviews:
 *
 * Returns: whether the raster is large and has no overviews, so that a
 *   zoomed-out view reads every pixel: worth building them
 */
gboolean
saban_raster_layer_needs_overviews (SabanRasterLayer *self)
{
  g_return_val_if_fail (SABAN_IS_RASTER_LAYER (self), FALSE);
  return self->n_overviews == 0 && MAX (self->width, self->height) > OVERVIEW_THRESHOLD;
}

/**
 * saban_raster_layer_get_extent:
 *
 * Returns: %TRUE; the footprint in Web Mercator metres
 */
gboolean
saban_raster_layer_get_extent (SabanRasterLayer *self,
                               double           *min_x,
                               double           *min_y,
                               double           *max_x,
                               double           *max_y)
{
  g_return_val_if_fail (SABAN_IS_RASTER_LAYER (self), FALSE);
  *min_x = self->extent[0];
  *min_y = self->extent[1];
  *max_x = self->extent[2];
  *max_y = self->extent[3];
  return TRUE;
}

