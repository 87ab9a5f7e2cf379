#pragma once

#include "saban-vector-layer.h"

G_BEGIN_DECLS

void   saban_mercator_to_lonlat       (double            x,
                                       double            y,
                                       double           *lon,
                                       double           *lat);
void   saban_lonlat_to_mercator       (double            lon,
                                       double            lat,
                                       double           *x,
                                       double           *y);
double saban_measure_length           (const double     *xy,
                                       guint32           n_points);
double saban_measure_ring_area        (const double     *xy,
                                       guint32           n_points);
void   saban_measure_feature          (SabanVectorLayer *layer,
                                       guint32           feature,
                                       double           *area_m2,
                                       double           *length_m);
double saban_measure_distance         (double            lon1,
                                       double            lat1,
                                       double            lon2,
                                       double            lat2);
void   saban_measure_destination      (double            lon,
                                       double            lat,
                                       double            azimuth,
                                       double            distance,
                                       double           *lon2,
                                       double           *lat2);
void   saban_measure_circle           (double            lon,
                                       double            lat,
                                       double            radius,
                                       guint             n_vertices,
                                       double           *lonlat);
double saban_measure_ring_sign        (const SabanFeatureArrays *a,
                                       guint32           feature,
                                       guint32           part);
double saban_measure_local_ring_area  (const double     *xy,
                                       guint32           n_points);
double saban_measure_feature_local_area (SabanVectorLayer *layer,
                                         guint32           feature);

G_END_DECLS
