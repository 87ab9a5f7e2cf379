#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  SABAN_SENSOR_KIND_OTHER,
  SABAN_SENSOR_KIND_WATER_LEVEL,
  SABAN_SENSOR_KIND_RAIN,
  SABAN_SENSOR_KIND_AIR_QUALITY,
  SABAN_SENSOR_KIND_CAMERA,
} SabanSensorKind;

/* Ordered by severity: a cluster shows its members' maximum. */
typedef enum
{
  SABAN_SENSOR_STATE_UNKNOWN,   /* no observation yet */
  SABAN_SENSOR_STATE_NORMAL,
  SABAN_SENSOR_STATE_STALE,
  SABAN_SENSOR_STATE_ALERT,
  SABAN_SENSOR_STATE_DANGER,
  SABAN_SENSOR_N_STATES,
} SabanSensorState;

typedef struct
{
  gint64 id;          /* observation @iot.id */
  gint64 time_us;     /* phenomenonTime, µs since the epoch */
  double value;
} SabanObservation;

/* A sensor's recent observations, oldest first: @len of them, room for
 * @size. Owned by the store; read-only for everyone else. */
typedef struct
{
  guint32          len;
  guint32          size;
  SabanObservation obs[];
} SabanHistory;

/* One sensor: a Datastream (or a Thing without one, e.g. a camera). Owned by
 * the store; read-only for everyone else. Its strings are the store's (unit
 * and commune shared between sensors). */
typedef struct
{
  gint64           datastream_id;   /* 0 for a Thing without a Datastream */
  gint64           thing_id;
  const char      *name;
  const char      *commune;         /* the Thing's properties.communeCode, or NULL */
  const char      *commune_name;    /* its properties.communeName, or NULL */
  const char      *stream_url;      /* a camera's properties.streamUrl (rtsp, HLS), or NULL */
  const char      *unit;
  double           lon, lat;
  double           alert_level;     /* alarm level I (state ALERT); NAN when the datastream has none */
  double           danger_level;    /* its top level (state DANGER): III, or II with two levels */
  double           level_2;         /* level II of a datastream with three (saban-alarm-level.h); NAN
                                     * with two, and for anything not between the other two */
  gint64           interval_s;      /* expected interval; 0 = unknown */
  double           value;           /* NAN until an observation arrives */
  gint64           time_us;         /* of the latest observation; 0 = none */
  gint64           age_s;           /* when STALE: seconds since time_us */
  SabanHistory    *history;         /* NULL until the first observation */
  SabanSensorKind  kind;
  SabanSensorState state;
} SabanSensor;

#define SABAN_TYPE_SENSOR_STORE (saban_sensor_store_get_type ())
G_DECLARE_FINAL_TYPE (SabanSensorStore, saban_sensor_store, SABAN, SENSOR_STORE, GObject)

SabanSensorStore  *saban_sensor_store_new            (void);
guint              saban_sensor_store_get_n_sensors  (SabanSensorStore   *self);
const SabanSensor *saban_sensor_store_get_sensor     (SabanSensorStore   *self,
                                                      guint               index);
gboolean           saban_sensor_store_lookup         (SabanSensorStore   *self,
                                                      gint64              datastream_id,
                                                      guint              *index);
guint              saban_sensor_store_add            (SabanSensorStore   *self,
                                                      const SabanSensor  *meta);
gboolean           saban_sensor_store_observe        (SabanSensorStore   *self,
                                                      gint64              datastream_id,
                                                      gint64              observation_id,
                                                      gint64              time_us,
                                                      double              value,
                                                      GError            **error);
gboolean           saban_sensor_store_observe_json   (SabanSensorStore   *self,
                                                      gint64              datastream_id,
                                                      JsonNode           *observation,
                                                      GError            **error);
void               saban_sensor_store_refresh        (SabanSensorStore   *self,
                                                      gint64              now_us);
gint64             saban_sensor_store_get_latest_time (SabanSensorStore  *self);
SabanSensorState   saban_sensor_store_get_rise       (SabanSensorStore   *self,
                                                      guint               index);
const guint       *saban_sensor_store_get_changed    (SabanSensorStore   *self,
                                                      guint              *n);
void               saban_sensor_store_flush          (SabanSensorStore   *self);
void               saban_sensor_store_count_states   (SabanSensorStore   *self,
                                                      guint               counts[SABAN_SENSOR_N_STATES]);
guint              saban_sensor_store_get_rejected   (SabanSensorStore   *self);
void               saban_sensor_store_set_reading    (SabanSensorStore   *self,
                                                      guint               index,
                                                      gint64              time_us,
                                                      double              value,
                                                      gint64              now_us);

gboolean           saban_observation_parse           (JsonNode           *observation,
                                                      SabanObservation   *out,
                                                      GError            **error);
SabanSensorKind    saban_sensor_kind_from_string     (const char         *kind);
SabanSensorState   saban_sensor_state_compute        (const SabanSensor  *sensor,
                                                      gint64              now_us,
                                                      gint64             *age_s);

G_END_DECLS
