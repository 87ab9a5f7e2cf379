#pragma once

#include <json-glib/json-glib.h>

#include "saban-sensor-store.h"
#include "saban-vector-layer.h"

G_BEGIN_DECLS

/* A scenario's area: a GeoJSON Polygon or MultiPolygon in WGS 84
 * (longitude, latitude), as the Command API stores it. */

JsonNode   *saban_scenario_area_circle           (double             lon,
                                                  double             lat,
                                                  double             radius_m,
                                                  guint              n_vertices);
JsonNode   *saban_scenario_area_polygon          (const double      *lonlat,
                                                  guint              n_points,
                                                  GError           **error);
JsonNode   *saban_scenario_area_union            (SabanVectorLayer  *layer,
                                                  const guint32     *features,
                                                  guint              n_features,
                                                  GError           **error);
void        saban_scenario_area_union_async     (SabanVectorLayer  *layer,
                                                 const guint32     *features,
                                                 guint              n_features,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
JsonNode   *saban_scenario_area_union_finish    (GAsyncResult      *result,
                                                 GError           **error);
char       *saban_scenario_area_to_wkt           (JsonNode          *area,
                                                  GError           **error);
gboolean    saban_scenario_area_centre           (JsonNode          *area,
                                                  double            *lon,
                                                  double            *lat);
gboolean    saban_scenario_area_to_mercator      (JsonNode          *area,
                                                  GArray            *xy,
                                                  GArray            *ring_starts);
const char *saban_scenario_area_playbook_for_sensor (SabanSensorKind kind);
const char *saban_scenario_area_playbook_for_event  (const char     *event);

const char *saban_scenario_area_playbook_for_service (const char *service);

G_END_DECLS
