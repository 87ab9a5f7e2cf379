#pragma once

#include <gio/gio.h>
#include <gdal.h>
#include <ogr_srs_api.h>

#include "saban-progress.h"
#include "saban-vector-layer.h"

G_BEGIN_DECLS

GPtrArray *saban_ogr_read         (const char          *path,
                                   const char          *default_crs,
                                   GCancellable        *cancellable,
                                   SabanProgressFunc    progress,
                                   gpointer             progress_data,
                                   GError             **error);
void       saban_ogr_read_async   (const char          *path,
                                   const char * const  *only,
                                   const char          *default_crs,
                                   GCancellable        *cancellable,
                                   SabanProgressFunc    progress,
                                   gpointer             progress_data,
                                   GDestroyNotify       progress_destroy,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
void       saban_ogr_list_layers_async  (const char          *path,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
char     **saban_ogr_list_layers_finish (GAsyncResult        *result,
                                         GError             **error);
char      *saban_ogr_redact       (const char          *source);
char      *saban_ogr_crs_definition (OGRSpatialReferenceH srs);
void       saban_ogr_register     (void);

/* A GDAL vector source opened the way the reader opens it. */
typedef struct _SabanOgrSource SabanOgrSource;

SabanOgrSource *saban_ogr_source_open        (const char      *path,
                                              GError         **error);
GDALDatasetH    saban_ogr_source_get_dataset (SabanOgrSource  *self);
const char     *saban_ogr_source_get_shown   (SabanOgrSource  *self);
void            saban_ogr_source_close       (SabanOgrSource  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SabanOgrSource, saban_ogr_source_close)
GPtrArray *saban_ogr_read_finish  (GAsyncResult        *result,
                                   GError             **error);

G_END_DECLS
