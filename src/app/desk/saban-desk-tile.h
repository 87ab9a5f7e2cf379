#pragma once

#include <gtk/gtk.h>

#include "saban-indicator-figures.h"

G_BEGIN_DECLS

#define SABAN_TYPE_DESK_TILE (saban_desk_tile_get_type ())
G_DECLARE_FINAL_TYPE (SabanDeskTile, saban_desk_tile, SABAN, DESK_TILE, GtkBox)

SabanDeskTile *saban_desk_tile_new           (guint                        indicator);
guint          saban_desk_tile_get_indicator (SabanDeskTile               *self);
void           saban_desk_tile_set_figures   (SabanDeskTile               *self,
                                              const SabanIndicator        *definition,
                                              const SabanIndicatorFigures *figures);

G_END_DECLS
