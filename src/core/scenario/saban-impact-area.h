#pragma once

#include <glib-object.h>

#include <ogr_api.h>

#include "saban-transform.h"
#include "saban-vector-layer.h"

G_BEGIN_DECLS

typedef enum
{
  SABAN_IMPACT_AREA_OUTSIDE,
  SABAN_IMPACT_AREA_INSIDE,
  SABAN_IMPACT_AREA_BOUNDARY,   /* the boundary may cross it */
} SabanImpactAreaPlace;

/* An area of interest on WGS 84: immutable once made, so any thread may use it. */
typedef struct _SabanImpactArea SabanImpactArea;

#define SABAN_TYPE_IMPACT_AREA (saban_impact_area_get_type ())

GType                saban_impact_area_get_type       (void) G_GNUC_CONST;
SabanImpactArea     *saban_impact_area_new_from_wkt   (const char            *wkt,
                                                       GError               **error);
SabanImpactArea     *saban_impact_area_new_from_geometry (OGRGeometryH        geometry,
                                                          SabanTransform     *to_wgs84,
                                                          GError            **error);
SabanImpactArea     *saban_impact_area_new_circle     (double                 lon,
                                                       double                 lat,
                                                       double                 radius_m,
                                                       GError               **error);
SabanImpactArea     *saban_impact_area_ref            (SabanImpactArea       *self);
void                 saban_impact_area_unref          (SabanImpactArea       *self);

double               saban_impact_area_get_area_m2    (const SabanImpactArea *self);
void                 saban_impact_area_get_bounds     (const SabanImpactArea *self,
                                                       double                *min_x,
                                                       double                *min_y,
                                                       double                *max_x,
                                                       double                *max_y);
gboolean             saban_impact_area_contains       (const SabanImpactArea *self,
                                                       double                 x,
                                                       double                 y);
SabanImpactAreaPlace saban_impact_area_place_box      (const SabanImpactArea *self,
                                                       double                 min_x,
                                                       double                 min_y,
                                                       double                 max_x,
                                                       double                 max_y);
double               saban_impact_area_clip_feature   (const SabanImpactArea *self,
                                                       const SabanFeatureArrays *arrays,
                                                       guint32                feature);
double               saban_impact_area_distance       (const SabanImpactArea *self,
                                                       double                 x,
                                                       double                 y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SabanImpactArea, saban_impact_area_unref)

G_END_DECLS
