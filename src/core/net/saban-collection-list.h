#pragma once

#include "saban-api.h"

G_BEGIN_DECLS

/* A collection a server lists at /collections (OGC API – Features). */
typedef struct
{
  char *id;
  char *title;
  char *description;
} SabanServerCollection;

GPtrArray *saban_collection_list_parse        (GBytes              *body,
                                               GError             **error);
void       saban_collection_list_fetch_async  (SabanApi            *api,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GPtrArray *saban_collection_list_fetch_finish (GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
