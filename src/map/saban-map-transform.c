/* saban-map-transform.c: one affine transform a frame from Mercator to a
 * layer's pixels, from two points projected near the viewport's centre
 * (the map is conformal, and a frame spans a small part of the world). */
#include "saban-map-transform.h"

#include <math.h>

#include "saban-measure.h"

/**
 * saban_map_transform_init:
 * @widget: the layer drawing this frame
 *
 * Returns: %FALSE when the viewport gives no usable transform (no size yet)
 */
gboolean
saban_map_transform_init (SabanMapTransform *t, ShumateViewport *viewport, GtkWidget *widget)
{
  double clat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  double clon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  double x1, y1, lon, lat;

  saban_lonlat_to_mercator (clon, clat, &t->cx, &t->cy);
  shumate_viewport_location_to_widget_coords (viewport, widget, clat, clon, &t->ox, &t->oy);
  saban_mercator_to_lonlat (t->cx + 1000, t->cy + 1000, &lon, &lat);
  shumate_viewport_location_to_widget_coords (viewport, widget, lat, lon, &x1, &y1);
  t->sx = (x1 - t->ox) / 1000;
  t->sy = (y1 - t->oy) / 1000;
  return isfinite (t->sx) && isfinite (t->sy) && t->sx != 0 && t->sy != 0;
}
