#pragma once

#include <glib-object.h>

#include "saban-attribute-table.h"
#include "saban-spatial-index.h"

G_BEGIN_DECLS

typedef enum
{
  SABAN_GEOMETRY_POINT,
  SABAN_GEOMETRY_LINE,
  SABAN_GEOMETRY_POLYGON,
} SabanGeometryKind;

/* Features as flat arrays in Web Mercator metres: feature f owns parts
 * part_starts[f] … part_starts[f + 1] - 1; part p owns points
 * point_starts[p] … point_starts[p + 1] - 1 of xy (x, y interleaved).
 * A polygon's parts are its rings, exterior first. */
typedef struct
{
  guint32 n_features;
  guint32 n_parts;
  guint32 n_points;
  guint32 *part_starts;    /* n_features + 1 */
  guint32 *point_starts;   /* n_parts + 1 */
  double *xy;              /* 2 × n_points */
  double *boxes;           /* 4 × n_features: min_x, min_y, max_x, max_y */
  gint64 *fids;            /* n_features */
  SabanAttributeTable *attributes;  /* one row per feature */
} SabanFeatureArrays;

#define SABAN_TYPE_VECTOR_LAYER (saban_vector_layer_get_type ())

G_DECLARE_FINAL_TYPE (SabanVectorLayer, saban_vector_layer, SABAN, VECTOR_LAYER, GObject)

SabanVectorLayer         *saban_vector_layer_new                 (const char          *name,
                                                                  const char          *source,
                                                                  const char          *source_crs,
                                                                  const char          *source_crs_name,
                                                                  SabanGeometryKind    kind,
                                                                  SabanFeatureArrays  *arrays);
SabanVectorLayer         *saban_vector_layer_new_subset          (SabanVectorLayer    *self,
                                                                  const guint32       *features,
                                                                  guint32              n_features);
gboolean                  saban_vector_layer_is_subset           (SabanVectorLayer    *self);
const char               *saban_vector_layer_get_name            (SabanVectorLayer    *self);
const char               *saban_vector_layer_get_source          (SabanVectorLayer    *self);
const char               *saban_vector_layer_get_source_crs_name (SabanVectorLayer    *self);
SabanGeometryKind         saban_vector_layer_get_kind            (SabanVectorLayer    *self);
const char               *saban_vector_layer_get_source_crs      (SabanVectorLayer    *self);
const SabanAttributeTable *saban_vector_layer_get_attributes     (SabanVectorLayer    *self);
const SabanFeatureArrays *saban_vector_layer_get_arrays          (SabanVectorLayer    *self);
const SabanSpatialIndex  *saban_vector_layer_get_index           (SabanVectorLayer    *self);
guint32                   saban_vector_layer_get_n_features      (SabanVectorLayer    *self);
gboolean                  saban_vector_layer_get_extent          (SabanVectorLayer    *self,
                                                                  double              *min_x,
                                                                  double              *min_y,
                                                                  double              *max_x,
                                                                  double              *max_y);

GDateTime                *saban_vector_layer_get_loaded_at       (SabanVectorLayer    *self);
gboolean                  saban_vector_layer_is_remote           (SabanVectorLayer    *self);
gint64                    saban_vector_layer_hit_test            (SabanVectorLayer    *self,
                                                                  double               x,
                                                                  double               y,
                                                                  double               tolerance);

void                      saban_feature_arrays_clear             (SabanFeatureArrays  *arrays);

G_END_DECLS
