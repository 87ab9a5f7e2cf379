#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SABAN_TYPE_TILE_PAINTABLE (saban_tile_paintable_get_type ())

G_DECLARE_FINAL_TYPE (SabanTilePaintable, saban_tile_paintable, SABAN, TILE_PAINTABLE, GObject)

SabanTilePaintable *saban_tile_paintable_new    (cairo_surface_t *surface);
gboolean            saban_tile_paintable_wanted (GtkWidget       *widget);

G_END_DECLS
