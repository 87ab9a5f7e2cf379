/* saban-datagen-places.h — the hand-drawn geography behind saban-datagen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Every position here is WGS 84 lon/lat, so that it can be checked against any
 * web map by eye; the generator projects it to EPSG:9208. Arrays of points end
 * with a { 0, 0 } sentinel. */
typedef struct
{
  double lon;
  double lat;
} SabanLonLat;

/* The province's code in the lists of Decision 19/2025/QĐ-TTg. */
#define SABAN_PLACE_PROVINCE_CODE "15"

typedef struct
{
  const char *code;  /* 5-digit commune code */
  const char *name;  /* full name, "Xã …" or "Phường …" */
  gboolean    ward;  /* phường rather than xã */
  double      lon;
  double      lat;
} SabanPlaceCommune;

typedef struct
{
  const char        *name;
  const char        *klass;      /* roads only: expressway, national, provincial */
  double             half_width; /* rivers only: metres of riverbed kept free of parcels */
  const SabanLonLat *points;
} SabanPlaceLine;

typedef struct
{
  const char *name;
  const char *kind;
  int         size;  /* beds, or 0 */
  double      lon;
  double      lat;
} SabanPlacePoint;

extern const SabanPlaceCommune saban_place_communes[];
extern const guint             saban_place_n_communes;

extern const SabanLonLat       saban_place_province_outline[];
extern const SabanLonLat       saban_place_thac_ba_lake[];

extern const SabanPlaceLine    saban_place_rivers[];
extern const SabanPlaceLine    saban_place_roads[];

extern const SabanPlacePoint   saban_place_hospitals[];
extern const SabanPlacePoint   saban_place_fire_stations[];
extern const SabanPlacePoint   saban_place_water_gauges[];
extern const SabanPlacePoint   saban_place_air_stations[];
extern const SabanPlacePoint   saban_place_cameras[];
extern const char * const      saban_place_rain_communes[];
extern const char * const      saban_place_thpt_communes[];

/* Centres of protected forest (rừng đặc dụng) and high massifs, with radii in km. */
typedef struct
{
  double lon;
  double lat;
  double radius_km;
} SabanPlaceZone;

extern const SabanPlaceZone    saban_place_special_use_forest[];
extern const SabanPlaceZone    saban_place_highlands[];
extern const SabanPlacePoint   saban_place_industrial[];
extern const SabanPlacePoint   saban_place_commercial[];

G_END_DECLS
