#pragma once

#include <gio/gio.h>

#include "saban-ogr-reader.h"
#include "saban-vector-layer.h"

G_BEGIN_DECLS

typedef enum
{
  SABAN_EXPORT_GEOPACKAGE,
  SABAN_EXPORT_GEOJSON,
  SABAN_EXPORT_CSV,
  SABAN_EXPORT_SHAPEFILE,
  SABAN_EXPORT_KML,
  SABAN_EXPORT_XLSX,
} SabanExportFormat;

const char *saban_export_format_get_extension (SabanExportFormat format);
const char *saban_export_format_get_name      (SabanExportFormat format);
gboolean    saban_export_format_has_crs       (SabanExportFormat format);
char       *saban_ogr_partial_path            (const char       *path,
                                               const char       *extension);

gboolean    saban_ogr_export                  (SabanVectorLayer   *layer,
                                               const guint32      *features,
                                               guint32             n_features,
                                               SabanExportFormat   format,
                                               const char         *target_crs,
                                               const char         *path,
                                               GCancellable       *cancellable,
                                               SabanProgressFunc   progress,
                                               gpointer            progress_data,
                                               GError            **error);
void        saban_ogr_export_async            (SabanVectorLayer   *layer,
                                               GArray             *features,
                                               SabanExportFormat   format,
                                               const char         *target_crs,
                                               const char         *path,
                                               GCancellable       *cancellable,
                                               SabanProgressFunc   progress,
                                               gpointer            progress_data,
                                               GDestroyNotify      progress_destroy,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
gboolean    saban_ogr_export_finish           (GAsyncResult       *result,
                                               GError            **error);

G_END_DECLS
