#pragma once

#include "saban-map-service.h"

G_BEGIN_DECLS

#define SABAN_TYPE_TILE_FETCHER (saban_tile_fetcher_get_type ())

G_DECLARE_INTERFACE (SabanTileFetcher, saban_tile_fetcher, SABAN, TILE_FETCHER, GObject)

/* Where a map service's tiles come from, for those who draw them (map) and
 * know nothing of the network: core/net implements it (SabanTileCache).
 * Both calls block: tile threads make them. */
struct _SabanTileFetcherInterface
{
  GTypeInterface parent_iface;

  SabanMapService *(*get_service) (SabanTileFetcher *self);
  GBytes          *(*fetch_tile)  (SabanTileFetcher *self,
                                   guint             zoom,
                                   guint             x,
                                   guint             y,
                                   GCancellable     *cancellable,
                                   GError          **error);
  char            *(*identify)    (SabanTileFetcher *self,
                                   double            x,
                                   double            y,
                                   double            pixel,
                                   GCancellable     *cancellable,
                                   GError          **error);
};

SabanMapService *saban_tile_fetcher_get_service (SabanTileFetcher *self);
GBytes          *saban_tile_fetcher_fetch_tile  (SabanTileFetcher *self,
                                                 guint             zoom,
                                                 guint             x,
                                                 guint             y,
                                                 GCancellable     *cancellable,
                                                 GError          **error);
char            *saban_tile_fetcher_identify    (SabanTileFetcher *self,
                                                 double            x,
                                                 double            y,
                                                 double            pixel,
                                                 GCancellable     *cancellable,
                                                 GError          **error);

G_END_DECLS
