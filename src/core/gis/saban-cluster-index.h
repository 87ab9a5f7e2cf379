#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Classes rank points (a sensor's state); a cluster shows the highest class
 * among its visible members. HIDDEN points are neither drawn nor counted. */
#define SABAN_CLUSTER_INDEX_N_CLASSES 8
#define SABAN_CLUSTER_INDEX_HIDDEN 0xFF

typedef struct _SabanClusterIndex SabanClusterIndex;

/* What a viewport query returns: a cluster of visible points, or one point. */
typedef struct
{
  double  x, y;       /* world coordinates: the centroid of the visible members */
  guint32 count;      /* visible members */
  guint32 point;      /* the point when count is 1 */
  guint32 cluster;    /* the cluster's id at the queried zoom; G_MAXUINT32 above max zoom */
  guint8  worst;      /* the highest class among the visible members */
} SabanCluster;

SabanClusterIndex *saban_cluster_index_new          (const double            *xy,
                                                     const guint8            *classes,
                                                     guint32                  n_points,
                                                     int                      min_zoom,
                                                     int                      max_zoom,
                                                     double                   radius);
void               saban_cluster_index_free         (SabanClusterIndex       *self);
guint32            saban_cluster_index_get_n_points (const SabanClusterIndex *self);
void               saban_cluster_index_set_class    (SabanClusterIndex       *self,
                                                     guint32                  point,
                                                     guint8                   klass);
guint8             saban_cluster_index_get_class    (const SabanClusterIndex *self,
                                                     guint32                  point);
guint32            saban_cluster_index_get_cluster  (const SabanClusterIndex *self,
                                                     guint32                  point,
                                                     int                      zoom);
guint32            saban_cluster_index_get_n_clusters (const SabanClusterIndex *self,
                                                     int                      zoom);
void               saban_cluster_index_query        (const SabanClusterIndex *self,
                                                     int                      zoom,
                                                     double                   min_x,
                                                     double                   min_y,
                                                     double                   max_x,
                                                     double                   max_y,
                                                     GArray                  *clusters);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SabanClusterIndex, saban_cluster_index_free)

G_END_DECLS
