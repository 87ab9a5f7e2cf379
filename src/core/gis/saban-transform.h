#pragma once

#include <glib.h>
#include <ogr_api.h>

G_BEGIN_DECLS

/* EPSG codes the province lives in. */
#define SABAN_EPSG_WGS84           4326
#define SABAN_EPSG_WEB_MERCATOR    3857
#define SABAN_EPSG_VN2000          4756
#define SABAN_EPSG_VN2000_TO_WGS84 6960
#define SABAN_EPSG_VN2000_TM3_10445 9208

typedef struct _SabanTransform SabanTransform;

SabanTransform *saban_transform_new       (const char      *source_crs,
                                           const char      *target_crs,
                                           GError         **error);
SabanTransform *saban_transform_new_epsg  (int              source_epsg,
                                           int              target_epsg,
                                           GError         **error);
gboolean        saban_transform_points    (SabanTransform  *self,
                                           double          *xy,
                                           gsize            n_points);
gboolean        saban_transform_geometry  (SabanTransform  *self,
                                           OGRGeometryH     geometry);
const char     *saban_transform_describe  (SabanTransform  *self);
void            saban_transform_free      (SabanTransform  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SabanTransform, saban_transform_free)

G_END_DECLS
