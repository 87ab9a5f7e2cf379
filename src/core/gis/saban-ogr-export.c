/* saban-ogr-export.c: a layer, or some of its features, written out through
 * GDAL in the format and coordinate system the user chose.
 *
 * Features are read again from the layer's own source, not from the arrays
 * the map draws: those are in Web Mercator, at the reader's 2 cm, with a
 * polygon's parts flattened. The source gives the exact coordinates and
 * every field with its own type. Geometries go through SabanTransform, so
 * VN-2000 ↔ WGS 84 takes the pinned EPSG:6960 path, not whatever GDAL would
 * pick. The file is written beside its final name and renamed into place
 * (a Shapefile's files each), so a failed or cancelled export leaves
 * nothing half-written under that name.
 */
#include "saban-ogr-export.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "saban-error.h"
#include "saban-transform.h"

static const struct
{
  const char *driver;
  const char *extension;
  const char *name;
  gboolean geometry;
  gboolean any_crs;      /* KML is WGS 84 by definition */
} formats[] = {
  [SABAN_EXPORT_GEOPACKAGE] = { "GPKG", "gpkg", "GeoPackage", TRUE, TRUE },
  [SABAN_EXPORT_GEOJSON] = { "GeoJSON", "geojson", "GeoJSON", TRUE, TRUE },
  [SABAN_EXPORT_CSV] = { "CSV", "csv", "CSV", TRUE, TRUE },
  [SABAN_EXPORT_SHAPEFILE] = { "ESRI Shapefile", "shp", "Shapefile", TRUE, TRUE },
  [SABAN_EXPORT_KML] = { "KML", "kml", "KML", TRUE, FALSE },
  [SABAN_EXPORT_XLSX] = { "XLSX", "xlsx", "Excel (XLSX)", FALSE, TRUE },
};

/* A Shapefile is several files; they move together. */
static const char * const shapefile_parts[] = { "shp", "shx", "dbf", "prj", "cpg", NULL };

const char *
saban_export_format_get_extension (SabanExportFormat format)
{
  g_return_val_if_fail (format < G_N_ELEMENTS (formats), NULL);
  return formats[format].extension;
}

/**
 * saban_export_format_get_name:
 *
 * Returns: the format's name as users know it ("GeoPackage")
 */
const char *
saban_export_format_get_name (SabanExportFormat format)
{
  g_return_val_if_fail (format < G_N_ELEMENTS (formats), NULL);
  return formats[format].name;
}

/**
 * saban_export_format_has_crs:
 *
 * Returns: whether the user may choose the coordinate system: not for KML
 *   (always WGS 84)
 */
gboolean
saban_export_format_has_crs (SabanExportFormat format)
{
  g_return_val_if_fail (format < G_N_ELEMENTS (formats), FALSE);
  return formats[format].any_crs;
}

/**
 * saban_ogr_partial_path:
 * @extension: the format's extension, without the dot ("xlsx")
 *
 * The file GDAL writes before it is renamed onto @path: it ends in the
 * same extension, which GDAL's drivers (and a Shapefile's parts) go by,
 * and holds it only once (the XLSX driver writes through /vsizip/, which
 * takes the first ".xlsx" in the path for the archive's end).
 *
 * Returns: (transfer full): the side file's path
 */
char *
saban_ogr_partial_path (const char *path,
                        const char *extension)
{
  g_autofree char *stem = g_str_has_suffix (path, extension) ? g_strndup (path, strlen (path) - strlen (extension))
                                                             : g_strconcat (path, ".", NULL);

  return g_strconcat (stem, "partial.", extension, NULL);
}

static char *
with_extension (const char *path,
                const char *from,
                const char *to)
{
  g_autofree char *stem = g_strndup (path, strlen (path) - strlen (from));

  return g_strconcat (stem, to, NULL);
}

static void
remove_written (const char        *partial,
                SabanExportFormat  format)
{
  if (format != SABAN_EXPORT_SHAPEFILE)
    {
      g_unlink (partial);
      return;
    }
  for (guint i = 0; shapefile_parts[i] != NULL; i++)
    {
      g_autofree char *part = with_extension (partial, "shp", shapefile_parts[i]);

      g_unlink (part);
    }
}

static gboolean
move_written (const char        *partial,
              const char        *path,
              SabanExportFormat  format,
              GError           **error)
{
  for (guint i = 0; format == SABAN_EXPORT_SHAPEFILE ? shapefile_parts[i] != NULL : i == 0; i++)
    {
      g_autofree char *from = format == SABAN_EXPORT_SHAPEFILE ? with_extension (partial, "shp", shapefile_parts[i])
                                                               : g_strdup (partial);
      g_autofree char *to = format == SABAN_EXPORT_SHAPEFILE ? with_extension (path, "shp", shapefile_parts[i])
                                                             : g_strdup (path);

      if (!g_file_test (from, G_FILE_TEST_EXISTS))
        continue;
      if (g_rename (from, to) != 0)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("Cannot write “%s”: %s"), to, g_strerror (saved));
          return FALSE;
        }
    }
  return TRUE;
}

typedef struct
{
  SabanExportFormat format;
  GDALDatasetH out;
  OGRLayerH layer;
  SabanTransform *transform;      /* NULL: no geometry, or the same CRS */
  int *field_map;                 /* source field → output field */
  int x_field, y_field;           /* XLSX points: their coordinates */
  gboolean points;
} Writer;

static void
writer_clear (Writer *w)
{
  g_clear_pointer (&w->transform, saban_transform_free);
  g_clear_pointer (&w->field_map, g_free);
  if (w->out != NULL)
    GDALClose (w->out);
  w->out = NULL;
}

static OGRSpatialReferenceH
srs_from (const char *crs)
{
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);

  if (OSRSetFromUserInput (srs, crs) != OGRERR_NONE)
    {
      OSRRelease (srs);
      return NULL;
    }
  OSRSetAxisMappingStrategy (srs, OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

static gboolean
add_fields (Writer        *w,
            OGRLayerH      source,
            GError       **error)
{
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn (source);
  int n = OGR_FD_GetFieldCount (defn);

  w->field_map = g_new (int, MAX (n, 1));
  for (int i = 0; i < n; i++)
    {
      /* Approximations allowed: a Shapefile shortens names to 10 bytes and
       * has no lists or times, a GeoPackage keeps lists as JSON text. */
      if (OGR_L_CreateField (w->layer, OGR_FD_GetFieldDefn (defn, i), TRUE) != OGRERR_NONE)
        {
          g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("Cannot write the field “%s”: %s"),
                       OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, i)), CPLGetLastErrorMsg ());
          return FALSE;
        }
      w->field_map[i] = OGR_FD_GetFieldCount (OGR_L_GetLayerDefn (w->layer)) - 1;
    }
  w->x_field = w->y_field = -1;
  if (!formats[w->format].geometry && w->points)
    {
      OGRFieldDefnH x = OGR_Fld_Create ("X", OFTReal), y = OGR_Fld_Create ("Y", OFTReal);

      if (OGR_L_CreateField (w->layer, x, TRUE) == OGRERR_NONE)
        w->x_field = OGR_FD_GetFieldCount (OGR_L_GetLayerDefn (w->layer)) - 1;
      if (OGR_L_CreateField (w->layer, y, TRUE) == OGRERR_NONE)
        w->y_field = OGR_FD_GetFieldCount (OGR_L_GetLayerDefn (w->layer)) - 1;
      OGR_Fld_Destroy (x);
      OGR_Fld_Destroy (y);
    }
  return TRUE;
}

static gboolean
writer_open (Writer            *w,
             SabanVectorLayer  *layer,
             OGRLayerH          source,
             SabanExportFormat  format,
             const char        *target_crs,
             const char        *partial,
             GError           **error)
{
  GDALDriverH driver = GDALGetDriverByName (formats[format].driver);
  OGRSpatialReferenceH srs = NULL;
  OGRwkbGeometryType type = formats[format].geometry ? OGR_L_GetGeomType (source) : wkbNone;
  /* with a byte-order mark, so that spreadsheets read Vietnamese as UTF-8 */
  const char *point_csv[] = { "GEOMETRY=AS_XY", "WRITE_BOM=YES", NULL };
  const char *wkt_csv[] = { "GEOMETRY=AS_WKT", "WRITE_BOM=YES", NULL };
  /* a DBF is Latin-1 unless told: Vietnamese would be lost */
  const char *shapefile[] = { "ENCODING=UTF-8", NULL };
  const char *const *options = NULL;

  w->format = format;
  w->points = saban_vector_layer_get_kind (layer) == SABAN_GEOMETRY_POINT;
  if (driver == NULL)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("This GDAL cannot write %s"), formats[format].name);
      return FALSE;
    }
  if (!formats[format].any_crs)
    target_crs = "EPSG:4326";
  if (target_crs == NULL)
    target_crs = saban_vector_layer_get_source_crs (layer);
  if ((srs = srs_from (target_crs)) == NULL)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_CRS, _("Unknown coordinate reference system: %s"), target_crs);
      return FALSE;
    }
  if (g_strcmp0 (target_crs, saban_vector_layer_get_source_crs (layer)) != 0 &&
      (w->transform = saban_transform_new (saban_vector_layer_get_source_crs (layer), target_crs, error)) == NULL)
    {
      OSRRelease (srs);
      return FALSE;
    }
  if (format == SABAN_EXPORT_CSV)
    options = w->points ? point_csv : wkt_csv;
  else if (format == SABAN_EXPORT_SHAPEFILE)
    options = shapefile;

  w->out = GDALCreate (driver, partial, 0, 0, 0, GDT_Unknown, NULL);
  if (w->out != NULL)
    w->layer = GDALDatasetCreateLayer (w->out, saban_vector_layer_get_name (layer),
                                       formats[format].geometry ? srs : NULL, type, (char **) options);
  OSRRelease (srs);
  if (w->out == NULL || w->layer == NULL)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("Cannot create the file: %s"), CPLGetLastErrorMsg ());
      return FALSE;
    }
  return add_fields (w, source, error);
}

static gboolean
write_feature (Writer       *w,
               OGRFeatureH   feature,
               GError      **error)
{
  OGRFeatureH out = OGR_F_Create (OGR_L_GetLayerDefn (w->layer));
  OGRGeometryH geometry = OGR_F_StealGeometry (feature);
  g_autofree char *fid = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) OGR_F_GetFID (feature));
  gboolean ok = TRUE;

  OGR_F_SetFromWithMap (out, feature, TRUE, w->field_map);
  if (geometry != NULL && w->transform != NULL && !saban_transform_geometry (w->transform, geometry))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_CRS, _("Feature %s does not fit the chosen coordinate system"), fid);
      ok = FALSE;
    }
  if (ok && geometry != NULL && w->x_field >= 0 && wkbFlatten (OGR_G_GetGeometryType (geometry)) == wkbPoint)
    {
      OGR_F_SetFieldDouble (out, w->x_field, OGR_G_GetX (geometry, 0));
      OGR_F_SetFieldDouble (out, w->y_field, OGR_G_GetY (geometry, 0));
    }
  if (ok && formats[w->format].geometry)
    OGR_F_SetGeometryDirectly (out, g_steal_pointer (&geometry));
  if (ok && OGR_L_CreateFeature (w->layer, out) != OGRERR_NONE)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("Cannot write feature %s: %s"), fid,
                   CPLGetLastErrorMsg ());
      ok = FALSE;
    }
  if (geometry != NULL)
    OGR_G_DestroyGeometry (geometry);
  OGR_F_Destroy (out);
  return ok;
}

/* The features to write, one after another: every feature of @source in
 * its order; or those of @fids, in that order, fetched one by one where the
 * driver reads at random (GeoPackage, Shapefile…), else picked out of a
 * pass over the source. */
typedef struct
{
  OGRLayerH source;
  GArray *fids;          /* gint64, or NULL for all */
  GHashTable *wanted;    /* the same ids, for a pass; NULL when fetched one by one */
  guint next;
} Features;

static void
features_init (Features  *it,
               OGRLayerH  source,
               GArray    *fids)
{
  it->source = source;
  it->fids = fids;
  it->next = 0;
  it->wanted = NULL;
  OGR_L_SetSpatialFilter (source, NULL);
  OGR_L_SetAttributeFilter (source, NULL);
  OGR_L_ResetReading (source);
  if (fids != NULL && !OGR_L_TestCapability (source, OLCRandomRead))
    {
      it->wanted = g_hash_table_new (g_int64_hash, g_int64_equal);
      for (guint i = 0; i < fids->len; i++)
        g_hash_table_add (it->wanted, &g_array_index (fids, gint64, i));
    }
}

static OGRFeatureH
features_next (Features *it)
{
  OGRFeatureH feature;

  if (it->fids != NULL && it->wanted == NULL)
    {
      while (it->next < it->fids->len)
        if ((feature = OGR_L_GetFeature (it->source, g_array_index (it->fids, gint64, it->next++))) != NULL)
          return feature;
      return NULL;
    }
  while ((feature = OGR_L_GetNextFeature (it->source)) != NULL)
    {
      gint64 fid = OGR_F_GetFID (feature);

      if (it->wanted == NULL || g_hash_table_contains (it->wanted, &fid))
        return feature;
      OGR_F_Destroy (feature);
    }
  return NULL;
}

static gboolean
copy_features (Writer              *w,
               OGRLayerH            source,
               GArray              *fids,
               guint32              expected,
               GCancellable        *cancellable,
               const SabanProgress *progress,
               const char          *name,
               GError             **error)
{
  Features it;
  OGRFeatureH feature;
  guint32 written = 0;
  gboolean ok = TRUE, transaction;

  features_init (&it, source, fids);
  /* formats without transactions write as they go */
  transaction = GDALDatasetStartTransaction (w->out, FALSE) == OGRERR_NONE;
  CPLErrorReset ();
  while (ok && (feature = features_next (&it)) != NULL)
    {
      ok = write_feature (w, feature, error);
      written++;
      if ((written & 1023) == 0)
        {
          saban_progress_report (progress, MIN (1.0, (double) written / MAX (expected, 1)), name);
          ok = ok && !g_cancellable_set_error_if_cancelled (cancellable, error);
        }
      OGR_F_Destroy (feature);
    }
  g_clear_pointer (&it.wanted, g_hash_table_unref);
  if (ok && transaction && GDALDatasetCommitTransaction (w->out) != OGRERR_NONE)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("Cannot finish the file: %s"), CPLGetLastErrorMsg ());
      ok = FALSE;
    }
  if (ok && written < expected)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_READ,
                   _("The source now holds only %u of the %u features to export: it has changed since it was opened"),
                   written, expected);
      ok = FALSE;
    }
  return ok && !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static gboolean
export_internal (SabanVectorLayer     *layer,
                 const guint32        *features,
                 guint32               n_features,
                 SabanExportFormat     format,
                 const char           *target_crs,
                 const char           *path,
                 GCancellable         *cancellable,
                 const SabanProgress  *progress,
                 GError              **error)
{
  g_autoptr(SabanOgrSource) source = saban_ogr_source_open (saban_vector_layer_get_source (layer), error);
  g_autoptr(GArray) fids = NULL;
  g_autofree char *partial = NULL;
  const SabanFeatureArrays *arrays = saban_vector_layer_get_arrays (layer);
  Writer w = { 0 };
  OGRLayerH from;
  gboolean ok;

  g_return_val_if_fail (format < G_N_ELEMENTS (formats), FALSE);
  if (format == SABAN_EXPORT_SHAPEFILE && !g_str_has_suffix (path, ".shp"))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("A Shapefile’s name must end in .shp"));
      return FALSE;
    }
  if (source == NULL)
    return FALSE;
  from = GDALDatasetGetLayerByName (saban_ogr_source_get_dataset (source), saban_vector_layer_get_name (layer));
  if (from == NULL)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_NO_DATA, _("“%s” no longer holds the layer “%s”"),
                   saban_ogr_source_get_shown (source), saban_vector_layer_get_name (layer));
      return FALSE;
    }
  /* A subset layer holds the chosen features only: its features are the ones wanted. */
  if (features != NULL || saban_vector_layer_is_subset (layer))
    {
      guint32 n = features != NULL ? n_features : arrays->n_features;

      fids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
      for (guint32 i = 0; i < n; i++)
        {
          guint32 f = features != NULL ? features[i] : i;

          g_return_val_if_fail (f < arrays->n_features, FALSE);
          g_array_append_val (fids, arrays->fids[f]);
        }
    }

  partial = saban_ogr_partial_path (path, formats[format].extension);
  remove_written (partial, format);
  ok = writer_open (&w, layer, from, format, target_crs, partial, error) &&
       copy_features (&w, from, fids, fids != NULL ? fids->len : arrays->n_features,
                      cancellable, progress, saban_vector_layer_get_name (layer), error);
  writer_clear (&w);
  if (ok)
    ok = move_written (partial, path, format, error);
  if (!ok)
    remove_written (partial, format);
  else
    saban_progress_report (progress, 1, saban_vector_layer_get_name (layer));
  return ok;
}

/**
 * saban_ogr_export:
 * @features: (array length=n_features) (nullable): the features to write,
 *   by index in @layer, in the order wanted; %NULL for all of @layer's
 * @target_crs: (nullable): the CRS to write in ("EPSG:9208"); %NULL for the
 *   layer's own. KML is always written in WGS 84; XLSX holds no geometry
 *   but a point's X and Y (columns X, Y); CSV has a point's X and Y or a
 *   geometry's WKT
 * @path: the file to write; replaced if it exists
 * @progress: (nullable) (scope call): called with the fraction written
 *
 * Reads the features from @layer's source again and writes them with every
 * field, each of its own type where the format has it. Blocks: call it
 * from a worker thread.
 *
 * Returns: %FALSE with @error set (translated) when the source, the CRS or
 *   the file fails, or when cancelled; nothing is left at @path then
 */
gboolean
saban_ogr_export (SabanVectorLayer   *layer,
                  const guint32      *features,
                  guint32             n_features,
                  SabanExportFormat   format,
                  const char         *target_crs,
                  const char         *path,
                  GCancellable       *cancellable,
                  SabanProgressFunc   progress,
                  gpointer            progress_data,
                  GError            **error)
{
  SabanProgress proto = { progress, progress_data, NULL };

  g_return_val_if_fail (SABAN_IS_VECTOR_LAYER (layer), FALSE);
  return export_internal (layer, features, n_features, format, target_crs, path, cancellable, &proto, error);
}

typedef struct
{
  SabanVectorLayer *layer;
  GArray *features;
  SabanExportFormat format;
  char *target_crs;
  char *path;
  SabanProgressFunc progress;
  gpointer progress_data;
  GDestroyNotify progress_destroy;
} ExportData;

static void
export_data_free (gpointer user_data)
{
  ExportData *data = user_data;

  g_object_unref (data->layer);
  g_clear_pointer (&data->features, g_array_unref);
  g_free (data->target_crs);
  g_free (data->path);
  if (data->progress_destroy != NULL)
    data->progress_destroy (data->progress_data);
  g_free (data);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  SabanProgress proto = { data->progress, data->progress_data, g_task_get_context (task) };
  GError *error = NULL;

  if (export_internal (data->layer, data->features != NULL ? (const guint32 *) data->features->data : NULL,
                       data->features != NULL ? data->features->len : 0, data->format, data->target_crs,
                       data->path, cancellable, &proto, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * saban_ogr_export_async:
 * @features: (element-type guint32) (nullable): as for saban_ogr_export()
 * @progress: (nullable): called on the caller's main context
 *
 * saban_ogr_export() in a worker thread.
 */
void
saban_ogr_export_async (SabanVectorLayer    *layer,
                        GArray              *features,
                        SabanExportFormat    format,
                        const char          *target_crs,
                        const char          *path,
                        GCancellable        *cancellable,
                        SabanProgressFunc    progress,
                        gpointer             progress_data,
                        GDestroyNotify       progress_destroy,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ExportData *data = g_new0 (ExportData, 1);

  data->layer = g_object_ref (layer);
  data->features = features != NULL ? g_array_ref (features) : NULL;
  data->format = format;
  data->target_crs = g_strdup (target_crs);
  data->path = g_strdup (path);
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_destroy = progress_destroy;
  g_task_set_source_tag (task, saban_ogr_export_async);
  g_task_set_task_data (task, data, export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
saban_ogr_export_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
