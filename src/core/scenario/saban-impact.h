#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "saban-impact-area.h"
#include "saban-sensor-store.h"
#include "saban-vector-layer.h"

G_BEGIN_DECLS

/* The layers an impact analysis reads; each has a default name (the demo
 * GeoPackage's) that saban_impact_set_layer_name() may change. */
typedef enum
{
  SABAN_IMPACT_COMMUNES,
  SABAN_IMPACT_PARCELS,
  SABAN_IMPACT_SHELTERS,
  SABAN_IMPACT_HEALTH_FACILITIES,
  SABAN_IMPACT_SCHOOLS,
  SABAN_IMPACT_POLICE_STATIONS,
  SABAN_IMPACT_FIRE_STATIONS,
  SABAN_IMPACT_N_LAYERS,
} SabanImpactLayer;

typedef struct
{
  char   *code;
  char   *name;
  gint64  population;
  double  fraction;              /* of the commune's area inside the area */
  double  population_affected;   /* population × fraction */
} SabanImpactCommune;

/* A facility or a shelter. */
typedef struct
{
  char   *name;
  gint64  capacity;      /* shelters; 0 for others */
  double  lon, lat;
  double  distance_m;    /* nearest shelters outside: from the area's boundary */
} SabanImpactPlace;

typedef struct
{
  char   *code;
  double  area_ha;
  guint   n_parcels;
} SabanImpactLanduse;

typedef struct
{
  char             *name;
  SabanSensorState  state;
  double            value;
  char             *unit;
  double            lon, lat;
} SabanImpactSensor;

/* A citizen report (an Open311 request), fetched by the caller. */
typedef struct
{
  char   *id;
  char   *title;
  double  lon, lat;
} SabanImpactReport;

#define SABAN_TYPE_IMPACT (saban_impact_get_type ())

G_DECLARE_FINAL_TYPE (SabanImpact, saban_impact, SABAN, IMPACT, GObject)

SabanImpact              *saban_impact_new                     (SabanImpactArea      *area,
                                                                GPtrArray            *layers);
void                      saban_impact_set_layer_name          (SabanImpact          *self,
                                                                SabanImpactLayer      layer,
                                                                const char           *name);
void                      saban_impact_set_landuse_field       (SabanImpact          *self,
                                                                const char           *field);
void                      saban_impact_set_sensors             (SabanImpact          *self,
                                                                SabanSensorStore     *store);
void                      saban_impact_set_reports             (SabanImpact          *self,
                                                                const SabanImpactReport *reports,
                                                                guint                 n_reports);

gboolean                  saban_impact_compute                 (SabanImpact          *self,
                                                                GCancellable         *cancellable,
                                                                GError              **error);
void                      saban_impact_compute_async           (SabanImpact          *self,
                                                                GCancellable         *cancellable,
                                                                GAsyncReadyCallback   callback,
                                                                gpointer              user_data);
gboolean                  saban_impact_compute_finish          (SabanImpact          *self,
                                                                GAsyncResult         *result,
                                                                GError              **error);

const char               *saban_impact_layer_default_name      (SabanImpactLayer      layer);
SabanImpactArea          *saban_impact_get_area                (SabanImpact          *self);
gboolean                  saban_impact_has_layer               (SabanImpact          *self,
                                                                SabanImpactLayer      layer);
const SabanImpactCommune *saban_impact_get_communes            (SabanImpact          *self,
                                                                guint                *n_communes);
double                    saban_impact_get_population_affected (SabanImpact          *self);
const SabanImpactPlace   *saban_impact_get_places              (SabanImpact          *self,
                                                                SabanImpactLayer      layer,
                                                                guint                *n_places);
gint64                    saban_impact_get_shelter_capacity    (SabanImpact          *self);
const SabanImpactPlace   *saban_impact_get_nearest_shelters    (SabanImpact          *self,
                                                                guint                *n_shelters);
const SabanImpactLanduse *saban_impact_get_landuse             (SabanImpact          *self,
                                                                guint                *n_codes);
guint                     saban_impact_get_n_parcels           (SabanImpact          *self);
const SabanImpactSensor  *saban_impact_get_sensors             (SabanImpact          *self,
                                                                guint                *n_sensors);
const SabanImpactReport  *saban_impact_get_reports             (SabanImpact          *self,
                                                                guint                *n_reports);
JsonNode                 *saban_impact_to_json                 (SabanImpact          *self);

G_END_DECLS
