#pragma once

#include <gio/gio.h>

#include "saban-vector-layer.h"

G_BEGIN_DECLS

/* Called on the thread-default main context of the caller. */
typedef void (*SabanProgressFunc) (double fraction, const char *layer_name, gpointer user_data);

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
char      *saban_ogr_describe_source (const char       *source);
GPtrArray *saban_ogr_read_finish  (GAsyncResult        *result,
                                   GError             **error);

G_END_DECLS
