#pragma once

/* What the raster layer's files share: the layer's fields and its pool of
 * readers (saban-raster-layer.c), used by the drawing (saban-raster-render.c)
 * and the queries (saban-raster-query.c). */

#include "saban-raster-layer.h"
#include "saban-transform.h"

#include <gdal.h>

#define WEB_MERCATOR_HALF 20037508.342789244
#define EARTH_RADIUS 6378137.0

typedef struct
{
  GDALDatasetH source;   /* what GDAL opened */
  GDALDatasetH ds;       /* what is read: the source, or a warped VRT of its GCPs */
  SabanTransform *to_source;   /* Web Mercator → the raster's CRS */
  double inverse[6];           /* the raster's CRS → pixel, line */
  guint generation;
  guint8 *scratch;             /* the last tile's pixels: reused, no page faults a tile */
  gsize scratch_size;
} SabanRasterReader;

struct _SabanRasterLayer
{
  GObject parent_instance;

  char *source;
  char *name;
  char *crs;
  char *crs_name;
  SabanRasterKind kind;
  guint width, height, n_overviews;
  GArray *bands;            /* SabanRasterBand */
  guint32 palette[256];     /* premultiplied ARGB, for PALETTE */
  double extent[4];         /* Web Mercator */
  gboolean all_valid;       /* no nodata, alpha or mask anywhere */

  GMutex lock;
  GPtrArray *idle;          /* SabanRasterReader, free to take */
  guint generation;         /* readers older than this are closed when given back */
};


/* A colour as cairo stores it: premultiplied ARGB32. */
static inline guint32
saban_premultiply (guint8 r,
             guint8 g,
             guint8 b,
             guint8 a)
{
  if (a == 255)
    return 0xff000000u | (guint32) r << 16 | (guint32) g << 8 | b;
  return (guint32) a << 24 | (guint32) (r * a / 255) << 16 | (guint32) (g * a / 255) << 8 | (guint32) (b * a / 255);
}

SabanRasterReader *saban_raster_layer_take_reader (SabanRasterLayer *self,
                                        GError          **error);
void    saban_raster_layer_give_back   (SabanRasterLayer *self,
                                        SabanRasterReader           *r);
void    saban_raster_reader_free       (SabanRasterReader           *r);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SabanRasterReader, saban_raster_reader_free)
