#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A responder unit (rescue team, fire engine, police patrol): a
 * SensorThings Thing of kind "responder" whose Location moves. Owned by
 * the store; read-only for everyone else. */
typedef struct
{
  gint64  thing_id;
  char   *name;
  char   *code;       /* properties.code, e.g. "DV-001", or NULL */
  double  lon, lat;
  gint64  time_us;    /* when the position was received or read */
  GArray *track;      /* double lon, lat pairs, oldest first, ≤ SABAN_UNIT_TRACK_MAX */
} SabanUnit;

#define SABAN_UNIT_TRACK_MAX 240

/* where a unit was at a time: one of its HistoricalLocations */
typedef struct
{
  gint64 time_us;
  double lon, lat;
} SabanUnitFix;

#define SABAN_TYPE_UNIT_STORE (saban_unit_store_get_type ())
G_DECLARE_FINAL_TYPE (SabanUnitStore, saban_unit_store, SABAN, UNIT_STORE, GObject)

SabanUnitStore  *saban_unit_store_new          (void);
guint            saban_unit_store_get_n_units  (SabanUnitStore *self);
const SabanUnit *saban_unit_store_get_unit     (SabanUnitStore *self,
                                                guint           index);
gboolean         saban_unit_store_lookup       (SabanUnitStore *self,
                                                gint64          thing_id,
                                                guint          *index);
gboolean         saban_unit_store_find         (SabanUnitStore *self,
                                                const char     *id,
                                                guint          *index);
double           saban_unit_store_distance_to  (SabanUnitStore *self,
                                                const char     *id,
                                                double          lon,
                                                double          lat);
guint            saban_unit_store_add          (SabanUnitStore *self,
                                                gint64          thing_id,
                                                const char     *name,
                                                const char     *code,
                                                double          lon,
                                                double          lat,
                                                gint64          time_us);
gboolean         saban_unit_store_move_json    (SabanUnitStore *self,
                                                gint64          thing_id,
                                                JsonNode       *location,
                                                gint64          time_us,
                                                GError        **error);
void             saban_unit_store_set_track    (SabanUnitStore *self,
                                                guint           index,
                                                const SabanUnitFix *fixes,
                                                guint           n_fixes);

G_END_DECLS
