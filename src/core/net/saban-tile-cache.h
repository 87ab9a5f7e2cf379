#pragma once

#include <gio/gio.h>

#include "saban-map-service.h"
#include "saban-tile-fetcher.h"

G_BEGIN_DECLS

#define SABAN_TYPE_TILE_CACHE (saban_tile_cache_get_type ())

G_DECLARE_FINAL_TYPE (SabanTileCache, saban_tile_cache, SABAN, TILE_CACHE, GObject)

SabanTileCache *saban_tile_cache_new                     (SabanMapService     *service,
                                                          const char          *cache_dir);
const char     *saban_tile_cache_get_directory           (SabanTileCache      *self);
gboolean        saban_tile_cache_get_offline             (SabanTileCache      *self);
void            saban_tile_cache_set_password            (SabanTileCache      *self,
                                                          const char          *password);
void            saban_tile_cache_read_capabilities_async (SabanTileCache      *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
GPtrArray      *saban_tile_cache_read_capabilities_finish (SabanTileCache     *self,
                                                           GAsyncResult       *result,
                                                           char              **version,
                                                           GError            **error);

G_END_DECLS
