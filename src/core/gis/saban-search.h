#pragma once

#include <gio/gio.h>

#include "saban-vector-layer.h"

G_BEGIN_DECLS

typedef struct
{
  SabanVectorLayer *layer;
  guint32 feature;
  guint field;
  char *text;
} SabanSearchHit;

GPtrArray *saban_search           (GPtrArray           *layers,
                                   const char          *query,
                                   guint                max_hits,
                                   GCancellable        *cancellable);
void       saban_search_async     (GPtrArray           *layers,
                                   const char          *query,
                                   guint                max_hits,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
GPtrArray *saban_search_finish    (GAsyncResult        *result,
                                   GError             **error);

G_END_DECLS
