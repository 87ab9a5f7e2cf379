/* saban-tile-fetcher.c: the interface between a map service's tiles and
 * whoever draws them, so that map never talks HTTP (core/net answers). */
#include "saban-tile-fetcher.h"

G_DEFINE_INTERFACE (SabanTileFetcher, saban_tile_fetcher, G_TYPE_OBJECT)

static void
saban_tile_fetcher_default_init (SabanTileFetcherInterface *iface)
{
}

/**
 * saban_tile_fetcher_get_service:
 * Returns: (transfer none): the service fetched from
 */
SabanMapService *
saban_tile_fetcher_get_service (SabanTileFetcher *self)
{
  g_return_val_if_fail (SABAN_IS_TILE_FETCHER (self), NULL);
  return SABAN_TILE_FETCHER_GET_IFACE (self)->get_service (self);
}

/**
 * saban_tile_fetcher_fetch_tile:
 *
 * Blocking; from any thread.
 *
 * Returns: (transfer full) (nullable): the tile's encoded image (PNG, JPEG),
 *   or %NULL with @error
 */
GBytes *
saban_tile_fetcher_fetch_tile (SabanTileFetcher *self,
                               guint             zoom,
                               guint             x,
                               guint             y,
                               GCancellable     *cancellable,
                               GError          **error)
{
  g_return_val_if_fail (SABAN_IS_TILE_FETCHER (self), NULL);
  return SABAN_TILE_FETCHER_GET_IFACE (self)->fetch_tile (self, zoom, x, y, cancellable, error);
}

/**
 * saban_tile_fetcher_identify:
 * @x: the point, Web Mercator metres
 * @y: likewise
 * @pixel: metres a screen pixel
 *
 * Blocking; from any thread.
 *
 * Returns: (transfer full) (nullable): what the service says is there (WMS
 *   GetFeatureInfo), as text; %NULL with @error
 */
char *
saban_tile_fetcher_identify (SabanTileFetcher *self,
                             double            x,
                             double            y,
                             double            pixel,
                             GCancellable     *cancellable,
                             GError          **error)
{
  g_return_val_if_fail (SABAN_IS_TILE_FETCHER (self), NULL);
  return SABAN_TILE_FETCHER_GET_IFACE (self)->identify (self, x, y, pixel, cancellable, error);
}
