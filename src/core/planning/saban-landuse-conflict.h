#pragma once

#include <gio/gio.h>

#include "saban-progress.h"
#include "saban-vector-layer.h"

G_BEGIN_DECLS

/* Land whose current use is one code where the plan gives another. */
typedef struct
{
  char   *current;     /* the code on the ground (the parcels') */
  char   *planned;     /* the code of the plan */
  double  area_ha;     /* of the parcels' area inside zones of the other use */
  guint   n_parcels;   /* parcels with some area in this pair */
} SabanLanduseConflictPair;

#define SABAN_TYPE_LANDUSE_CONFLICT (saban_landuse_conflict_get_type ())

G_DECLARE_FINAL_TYPE (SabanLanduseConflict, saban_landuse_conflict, SABAN, LANDUSE_CONFLICT, GObject)

SabanLanduseConflict           *saban_landuse_conflict_new            (SabanVectorLayer     *plan,
                                                                       const char           *plan_field,
                                                                       SabanVectorLayer     *current,
                                                                       const char           *current_field);
gboolean                        saban_landuse_conflict_compute        (SabanLanduseConflict *self,
                                                                       GCancellable         *cancellable,
                                                                       SabanProgressFunc     progress,
                                                                       gpointer              progress_data,
                                                                       GError              **error);
void                            saban_landuse_conflict_compute_async  (SabanLanduseConflict *self,
                                                                       GCancellable         *cancellable,
                                                                       SabanProgressFunc     progress,
                                                                       gpointer              progress_data,
                                                                       GDestroyNotify        progress_destroy,
                                                                       GAsyncReadyCallback   callback,
                                                                       gpointer              user_data);
gboolean                        saban_landuse_conflict_compute_finish (SabanLanduseConflict *self,
                                                                       GAsyncResult         *result,
                                                                       GError              **error);

SabanVectorLayer               *saban_landuse_conflict_get_plan       (SabanLanduseConflict *self);
SabanVectorLayer               *saban_landuse_conflict_get_current    (SabanLanduseConflict *self);
const SabanLanduseConflictPair *saban_landuse_conflict_get_pairs      (SabanLanduseConflict *self,
                                                                       guint                *n_pairs);
double                          saban_landuse_conflict_get_area_ha    (SabanLanduseConflict *self);
double                          saban_landuse_conflict_get_checked_ha (SabanLanduseConflict *self);
GArray                         *saban_landuse_conflict_get_parcels    (SabanLanduseConflict *self);
guint                           saban_landuse_conflict_get_n_skipped  (SabanLanduseConflict *self);

G_END_DECLS
