/* saban-simulator.c: the IoT simulator behind `--demo`.
 *
 * Every series is a pure function of (seed, site, simulated time): river
 * levels are a base, a small daily swing and gamma-shaped pulses from the
 * rain events of their basin; rain gauges see the same events an hour or two
 * earlier; PM2.5 follows a morning and an evening peak; responder units
 * circle their base. So a restart, a faster clock or a test sees the same
 * province. One GLib timeout on the server's main loop writes whatever
 * simulated slots have come due since the last tick, in one transaction,
 * and announces them on MQTT with its transaction like every other write.
 *
 * The simulated clock starts at the real start time and runs `speed` times
 * faster; observations carry simulated times. One flood is scripted: the
 * first river gauge crosses its danger level about an hour (simulated) after
 * the start, so a demo or a test at a high --sim-speed always sees an alert.
 */
#include "saban-simulator.h"
#include "saban-sensorthings.h"

#include <cairo.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "saban-transform.h"

typedef enum { S_WATER, S_RAIN, S_AIR, S_CAMERA, S_UNIT } SiteKind;

typedef struct
{
  gint64 datastream;   /* 0 for cameras and units */
  gint64 thing;
  SiteKind kind;
  guint  index;        /* among its kind */
  guint  basin;
  double lon, lat;
  double base, alert, danger;
  double interval;     /* simulated seconds between observations */
  double last;         /* simulated time of the last one written */
} Site;

typedef struct
{
  guint  site;
  double t, amp, tau;
} Surge;

struct _SabanSimulator
{
  GObject      parent_instance;
  SabanServer *server;      /* not owned: the server owns us through main() */
  guint32      seed;
  double       speed;
  gint64       real0;       /* monotonic µs at start */
  double       t0;          /* simulated Unix time at start */
  GArray      *sites;       /* of Site */
  GArray      *surges;      /* of Surge */
  guint        timer;
};

G_DEFINE_FINAL_TYPE (SabanSimulator, saban_simulator, G_TYPE_OBJECT)

#define N_BASINS 4
#define EVENT_SLOT (12 * 3600.0)

/* ---- the deterministic model -------------------------------------------- */

static guint64
mix (guint64 x)
{
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

static double
uniform (guint32 seed, guint64 a, guint64 b, guint64 c)
{
  return (mix (mix (mix (seed) ^ a) ^ (b * 0x100000001b3ULL) ^ (c << 17)) >> 11) * (1.0 / 9007199254740992.0);
}

/* A rain event of a basin in a 12-hour slot: when it peaks, and how big. */
static gboolean
basin_event (SabanSimulator *self, guint basin, gint64 slot, double *t, double *amp)
{
  if (uniform (self->seed, 1, basin, (guint64) slot) > 0.35)
    return FALSE;
  *t = slot * EVENT_SLOT + uniform (self->seed, 2, basin, (guint64) slot) * EVENT_SLOT;
  *amp = 0.3 + 1.5 * uniform (self->seed, 3, basin, (guint64) slot);
  return TRUE;
}

/* Gamma-shaped response: 0 before, peak 1 at tau, a long tail. */
static double
pulse (double dt, double tau)
{
  return dt <= 0 ? 0 : (dt / tau) * exp (1 - dt / tau);
}

static double
water_level (SabanSimulator *self, const Site *s, double t)
{
  double rise = 0;
  gint64 slot = (gint64) floor (t / EVENT_SLOT);

  for (gint64 k = slot - 4; k <= slot; k++)
    {
      double te, amp;

      if (basin_event (self, s->basin, k, &te, &amp))
        rise += amp * pulse (t - te, 3 * 3600.0);
    }
  /* ordinary rain stays below the danger level: danger is scripted or forced */
  rise = MIN (rise, (s->danger - s->base) * 0.9);
  if (s->index == 0)
    rise += 5.0 * pulse (t - (self->t0 + 1800), 3600.0);
  for (guint i = 0; i < self->surges->len; i++)
    {
      Surge *g = &g_array_index (self->surges, Surge, i);
      if (g->site == (guint) (s - (Site *) self->sites->data))
        rise += g->amp * pulse (t - g->t, g->tau);
    }
  return s->base + 0.12 * sin (2 * G_PI * t / 86400.0 + s->index) + rise +
         0.02 * (uniform (self->seed, 4, s->index, (guint64) (t / 60)) - 0.5);
}

static double
rainfall (SabanSimulator *self, const Site *s, double t)
{
  double mm = 0;
  gint64 slot = (gint64) floor (t / EVENT_SLOT);

  for (gint64 k = slot - 1; k <= slot + 1; k++)
    {
      double te, amp, x;

      /* the rain falls in the two hours before the river responds */
      if (basin_event (self, s->basin, k, &te, &amp) && (x = (t - (te - 2.5 * 3600)) / 7200.0) > 0 && x < 1)
        mm += amp * 6 * sin (G_PI * x) * (0.6 + 0.8 * uniform (self->seed, 5, s->index, (guint64) (t / 600)));
    }
  if (s->index == 0)
    {
      double x = (t - (self->t0 - 1800)) / 5400.0;
      if (x > 0 && x < 1)
        mm += 12 * sin (G_PI * x);
    }
  return round (mm * 10) / 10;
}

static double
pm25 (SabanSimulator *self, const Site *s, double t)
{
  double h = fmod (t / 3600.0 + 7, 24);  /* Indochina Time */
  double v = 18 + 4 * s->index % 9 + 22 * exp (-pow (h - 7.5, 2) / 3) + 30 * exp (-pow (h - 19.5, 2) / 5) +
             8 * uniform (self->seed, 6, s->index, (guint64) (t / 900));

  return round (v * 10) / 10;
}

static void
unit_position (SabanSimulator *self, const Site *s, double t, double *lon, double *lat)
{
  double a = 2 * G_PI * t / (2 * 3600.0) + s->index * 1.7;
  double r = 0.02 + 0.01 * s->index;

  *lon = s->lon + r * cos (a);
  *lat = s->lat + 0.8 * r * sin (a);
}

static double
value_at (SabanSimulator *self, const Site *s, double t)
{
  switch (s->kind)
    {
    case S_WATER:
      return round (water_level (self, s, t) * 100) / 100;
    case S_RAIN:
      return rainfall (self, s, t);
    case S_AIR:
      return pm25 (self, s, t);
    default:
      return 0;
    }
}

static char *
sim_time_text (double t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc ((gint64) floor (t));
  g_autofree char *base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, (int) ((t - floor (t)) * 1000));
}

static double
sim_now (SabanSimulator *self)
{
  return self->t0 + (g_get_monotonic_time () - self->real0) / (double) G_USEC_PER_SEC * self->speed;
}

/* ---- seeding ------------------------------------------------------------------ */

static gint64
exec_insert (SabanStore *store, const char *sql, const char *const *texts, const double *nums, guint n_nums,
             GError **error)
{
  g_autofree char *returning = g_strconcat (sql, " RETURNING id", NULL);
  g_autoptr(SabanStmt) st = saban_store_prepare (store, returning, error);
  int i = 1;

  if (st == NULL)
    return 0;
  for (; texts != NULL && texts[i - 1] != NULL; i++)
    saban_stmt_bind_text (st, i, texts[i - 1]);
  for (guint k = 0; k < n_nums; k++, i++)
    saban_stmt_bind_double (st, i, nums[k]);
  return saban_stmt_insert (st, error);
}

static gint64
add_location (SabanStore *store, gint64 thing, const char *name, double lon, double lat, const char *time,
              GError **error)
{
  const char *texts[] = { name, "Vị trí (dữ liệu minh họa)", NULL };
  double nums[] = { lon, lat };
  gint64 loc = exec_insert (store, "INSERT INTO sta_locations (name, description, lon, lat) VALUES (?, ?, ?, ?)",
                            texts, nums, 2, error);
  g_autoptr(SabanStmt) del = NULL, link = NULL, hist = NULL;

  if (loc == 0)
    return 0;
  /* a Thing has one current Location; the old ones live on in its history */
  del = saban_store_prepare (store, "DELETE FROM sta_thing_locations WHERE thing_id = ?", error);
  link = saban_store_prepare (store, "INSERT INTO sta_thing_locations (thing_id, location_id) VALUES (?, ?)", error);
  hist = saban_store_prepare (store, "INSERT INTO sta_historical_locations (thing_id, location_id, time) "
                              "VALUES (?, ?, ?)", error);
  if (del == NULL || link == NULL || hist == NULL)
    return 0;
  saban_stmt_bind_int64 (del, 1, thing);
  saban_stmt_bind_int64 (link, 1, thing);
  saban_stmt_bind_int64 (link, 2, loc);
  saban_stmt_bind_int64 (hist, 1, thing);
  saban_stmt_bind_int64 (hist, 2, loc);
  saban_stmt_bind_text (hist, 3, time);
  if (!saban_stmt_run (del, error) || !saban_stmt_run (link, error) || !saban_stmt_run (hist, error))
    return 0;
  return loc;
}

typedef struct
{
  const char *sensor, *sensor_desc, *prop, *prop_def, *prop_desc, *unit_name, *unit_symbol, *unit_def, *ds_name;
  double interval;
} KindInfo;

static const KindInfo kinds[] = {
  [S_WATER] = { "Trạm đo mực nước tự động", "Cảm biến radar đo mực nước sông (minh họa)", "Mực nước",
                "http://vocab.nerc.ac.uk/collection/P01/current/ASLVZZ01/", "Mực nước sông tại trạm thủy văn",
                "metre", "m", "http://qudt.org/vocab/unit/M", "Mực nước", 300 },
  [S_RAIN] = { "Trạm đo mưa tự động", "Vũ kế gầu lật (minh họa)", "Lượng mưa",
               "http://vocab.nerc.ac.uk/collection/P07/current/CFSN0669/", "Lượng mưa trong 10 phút",
               "millimetre", "mm", "http://qudt.org/vocab/unit/MilliM", "Lượng mưa 10 phút", 600 },
  [S_AIR] = { "Trạm quan trắc không khí tự động", "Cảm biến bụi mịn quang học (minh họa)", "Bụi PM2.5",
              "http://vocab.nerc.ac.uk/collection/P01/current/PMC25AIR/", "Nồng độ bụi mịn PM2.5",
              "microgram per cubic metre", "µg/m³", "http://qudt.org/vocab/unit/MicroGM-PER-M3", "PM2.5", 900 },
};

static const char *const kind_names[] = { "water_level", "rain", "air_quality", "camera", "responder" };

/* commune code → name, from the data's communes layer (empty without one) */
static GHashTable *
commune_names_read (GDALDatasetH ds)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  OGRLayerH layer = ds ? GDALDatasetGetLayerByName (ds, "communes") : NULL;
  OGRFeatureH f;
  int code, name;

  if (layer == NULL)
    return names;
  code = OGR_FD_GetFieldIndex (OGR_L_GetLayerDefn (layer), "code");
  name = OGR_FD_GetFieldIndex (OGR_L_GetLayerDefn (layer), "name");
  if (code < 0 || name < 0)
    return names;
  OGR_L_ResetReading (layer);
  while ((f = OGR_L_GetNextFeature (layer)) != NULL)
    {
      g_hash_table_insert (names, g_strdup (OGR_F_GetFieldAsString (f, code)), g_strdup (OGR_F_GetFieldAsString (f, name)));
      OGR_F_Destroy (f);
    }
  return names;
}

/* The provincial alarm levels I, II, III (`alarmLevels`), and the two
 * thresholds of before for clients and rules that know only those: alert at
 * level I, danger — where the server raises a CAP alert — at level III. */
static void
set_levels (JsonObject *properties, double level_1, double level_2, double level_3)
{
  JsonObject *levels = json_object_new ();

  json_object_set_double_member (levels, "I", level_1);
  json_object_set_double_member (levels, "II", level_2);
  json_object_set_double_member (levels, "III", level_3);
  json_object_set_object_member (properties, "alarmLevels", levels);
  json_object_set_double_member (properties, "alertLevel", level_1);
  json_object_set_double_member (properties, "dangerLevel", level_3);
}

static gboolean
seed_entities (SabanSimulator *self, SabanStore *store, const char *gpkg_path, GError **error)
{
  GDALDatasetH ds = GDALOpenEx (gpkg_path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  OGRLayerH layer = ds ? GDALDatasetGetLayerByName (ds, "sensor_sites") : NULL;
  OGRSpatialReferenceH srs;
  const char *code;
  g_autoptr(SabanTransform) t = NULL;
  gint64 sensors[3], props[3];
  OGRFeatureH f;
  guint counts[5] = { 0 };
  g_autofree char *now = sim_time_text (self->t0);
  g_autoptr(GHashTable) commune_names = commune_names_read (ds);
  gboolean ok = FALSE;

  if (layer == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s has no sensor_sites layer", gpkg_path);
      goto out;
    }
  srs = OGR_L_GetSpatialRef (layer);
  code = srs ? OSRGetAuthorityCode (srs, NULL) : NULL;
  t = saban_transform_new_epsg (code ? atoi (code) : SABAN_EPSG_VN2000_TM3_10445, SABAN_EPSG_WGS84, error);
  if (t == NULL)
    goto out;

  for (int k = 0; k < 3; k++)
    {
      const char *st[] = { kinds[k].sensor, kinds[k].sensor_desc, "text/html",
                           "https://saban.invalid/demo/sensors.html", NULL };
      const char *pt[] = { kinds[k].prop, kinds[k].prop_def, kinds[k].prop_desc, NULL };

      if ((sensors[k] = exec_insert (store, "INSERT INTO sta_sensors (name, description, encoding_type, metadata) "
                                     "VALUES (?, ?, ?, ?)", st, NULL, 0, error)) == 0 ||
          (props[k] = exec_insert (store, "INSERT INTO sta_observed_properties (name, definition, description) "
                                   "VALUES (?, ?, ?)", pt, NULL, 0, error)) == 0)
        goto out;
    }

  OGR_L_ResetReading (layer);
  while ((f = OGR_L_GetNextFeature (layer)) != NULL)
    {
      OGRGeometryH g = OGR_F_GetGeometryRef (f);
      const char *site_code = OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "code"));
      const char *name = OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "name"));
      const char *kind = OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "kind"));
      const char *commune = OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "commune_code"));
      double xy[2];
      int k;
      g_autoptr(JsonObject) p = json_object_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *ptext = NULL, *desc = NULL;
      gint64 thing, loc;

      for (k = 0; k < 4 && !g_str_equal (kind_names[k], kind); k++)
        ;
      if (k == 4 || g == NULL)
        {
          OGR_F_Destroy (f);
          continue;
        }
      xy[0] = OGR_G_GetX (g, 0);
      xy[1] = OGR_G_GetY (g, 0);
      saban_transform_points (t, xy, 1);
      json_object_set_string_member (p, "kind", kind);
      json_object_set_string_member (p, "code", site_code);
      json_object_set_string_member (p, "communeCode", commune);
      if (g_hash_table_contains (commune_names, commune))
        json_object_set_string_member (p, "communeName", g_hash_table_lookup (commune_names, commune));
      json_object_set_boolean_member (p, "demo", TRUE);
      json_node_set_object (node, p);
      ptext = json_to_string (node, FALSE);
      desc = g_strdup_printf ("%s — dữ liệu minh họa, không phải số liệu quan trắc thật", name);
      {
        const char *tt[] = { name, desc, ptext, NULL };
        if ((thing = exec_insert (store, "INSERT INTO sta_things (name, description, properties) VALUES (?, ?, ?)",
                                  tt, NULL, 0, error)) == 0 ||
            (loc = add_location (store, thing, name, xy[0], xy[1], now, error)) == 0)
          {
            OGR_F_Destroy (f);
            goto out;
          }
      }
      if (k < 3)
        {
          /* binary fractions, so thresholds print as typed */
          double base = 1.25 + 0.5 * (counts[k] % 4);
          g_autoptr(JsonObject) dp = json_object_new ();
          g_autoptr(JsonObject) unit = json_object_new ();
          g_autoptr(JsonNode) dn = json_node_new (JSON_NODE_OBJECT), un = json_node_new (JSON_NODE_OBJECT);
          g_autofree char *dtext = NULL, *utext = NULL, *dname = g_strdup_printf ("%s — %s", kinds[k].ds_name, name);
          const char *ft[] = { name, "Vị trí quan trắc (dữ liệu minh họa)", NULL };
          double fxy[] = { xy[0], xy[1] };
          gint64 foi = exec_insert (store, "INSERT INTO sta_features (name, description, lon, lat) VALUES (?, ?, ?, ?)",
                                    ft, fxy, 2, error);

          if (foi == 0)
            {
              OGR_F_Destroy (f);
              goto out;
            }
          json_object_set_string_member (dp, "kind", kind);
          json_object_set_string_member (dp, "siteCode", site_code);
          json_object_set_int_member (dp, "intervalSeconds", (gint64) kinds[k].interval);
          json_object_set_boolean_member (dp, "demo", TRUE);
          if (k == S_WATER)
            set_levels (dp, base + 2.5, base + 3.2, base + 4.0);
          else if (k == S_RAIN)
            set_levels (dp, 10, 15, 20);
          else
            set_levels (dp, 55.5, 100.5, 150.5);   /* PM2.5: "unhealthy" to "very unhealthy" */
          json_node_set_object (dn, dp);
          dtext = json_to_string (dn, FALSE);
          json_object_set_string_member (unit, "name", kinds[k].unit_name);
          json_object_set_string_member (unit, "symbol", kinds[k].unit_symbol);
          json_object_set_string_member (unit, "definition", kinds[k].unit_def);
          json_node_set_object (un, unit);
          utext = json_to_string (un, FALSE);
          {
            const char *dt[] = { dname, "Chuỗi quan trắc mô phỏng (dữ liệu minh họa)",
                                 "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
                                 utext, dtext, NULL };
            double ids[] = { (double) thing, (double) sensors[k], (double) props[k], (double) foi };

            if (exec_insert (store, "INSERT INTO sta_datastreams (name, description, observation_type, unit, "
                             "properties, thing_id, sensor_id, observed_property_id, foi_id) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", dt, ids, 4, error) == 0)
              {
                OGR_F_Destroy (f);
                goto out;
              }
          }
        }
      counts[k]++;
      OGR_F_Destroy (f);
    }

  /* four responder units, based at the first four water gauges' towns */
  for (int u = 0; u < 4; u++)
    {
      static const char *const names[] = { "Đội cứu hộ cứu nạn số 1", "Đội cứu hộ cứu nạn số 2",
                                           "Xe cứu thương 115 – Lào Cai", "Xe chữa cháy PCCC số 3" };
      g_autofree char *desc = g_strdup_printf ("%s — đơn vị mô phỏng (dữ liệu minh họa)", names[u]);
      g_autofree char *props_text = g_strdup_printf ("{\"kind\":\"responder\",\"code\":\"DV-%03d\",\"demo\":true}", u + 1);
      const char *tt[] = { names[u], desc, props_text, NULL };

      if (exec_insert (store, "INSERT INTO sta_things (name, description, properties) VALUES (?, ?, ?)",
                       tt, NULL, 0, error) == 0)
        goto out;
    }
  ok = TRUE;
out:
  if (ds != NULL)
    GDALClose (ds);
  return ok;
}

/* The sites as they are in the store (after a seed, or from an earlier run). */
static gboolean
load_sites (SabanSimulator *self, SabanStore *store, GError **error)
{
  g_autoptr(SabanStmt) st = saban_store_prepare (store,
      "SELECT t.id, (t.properties ->> 'kind'), d.id, l.lon, l.lat, "
      "  (d.properties ->> 'alertLevel'), (d.properties ->> 'dangerLevel'), "
      "  (SELECT MAX(phenomenon_time) FROM sta_observations o WHERE o.datastream_id = d.id), "
      "  (t.properties ->> 'demo') "
      "FROM sta_things t LEFT JOIN sta_datastreams d ON d.thing_id = t.id "
      "LEFT JOIN sta_thing_locations tl ON tl.thing_id = t.id LEFT JOIN sta_locations l ON l.id = tl.location_id "
      "ORDER BY t.id", error);
  guint counts[5] = { 0 };
  GArray *water = g_array_new (FALSE, FALSE, sizeof (double));

  if (st == NULL)
    return FALSE;
  while (saban_stmt_step (st, NULL))
    {
      const char *kind = saban_stmt_column_text (st, 1);
      Site s = { 0 };
      int k;

      for (k = 0; k < 5 && g_strcmp0 (kind_names[k], kind) != 0; k++)
        ;
      if (k == 5 || !saban_stmt_column_boolean (st, 8))
        continue;
      s.kind = k;
      s.thing = saban_stmt_column_int64 (st, 0);
      s.datastream = saban_stmt_column_int64 (st, 2);
      s.index = counts[k]++;
      s.basin = s.index % N_BASINS;
      s.lon = saban_stmt_column_double (st, 3);
      s.lat = saban_stmt_column_double (st, 4);
      if (k < 3)
        {
          s.alert = saban_stmt_column_double (st, 5);
          s.danger = saban_stmt_column_double (st, 6);
          s.base = s.danger - 4.0;
          s.interval = kinds[k].interval;
          if (k == S_WATER)
            g_array_append_val (water, s.lon), g_array_append_val (water, s.lat);
        }
      else if (k == S_UNIT)
        s.interval = 60;
      else
        s.interval = 0;
      if (!saban_stmt_column_is_null (st, 7))
        {
          g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
          g_autoptr(GDateTime) last = g_date_time_new_from_iso8601 (saban_stmt_column_text (st, 7), utc);
          s.last = last ? g_date_time_to_unix (last) : self->t0;
        }
      else
        s.last = 0;
      g_array_append_val (self->sites, s);
    }
  /* responders are based at the river towns */
  for (guint i = 0; i < self->sites->len; i++)
    {
      Site *s = &g_array_index (self->sites, Site, i);

      if (s->kind == S_UNIT && water->len >= 2)
        {
          guint w = (s->index % (water->len / 2)) * 2;
          s->lon = g_array_index (water, double, w);
          s->lat = g_array_index (water, double, w + 1);
          s->last = 0;
        }
    }
  g_array_unref (water);
  return TRUE;
}

/* A day of history for a fresh database, so charts have something to show. */
static gboolean
seed_history (SabanSimulator *self, SabanStore *store, GError **error)
{
  for (guint i = 0; i < self->sites->len; i++)
    {
      Site *s = &g_array_index (self->sites, Site, i);

      if (s->datastream == 0 || s->last > 0)
        continue;
      for (double t = floor ((self->t0 - 86400) / s->interval) * s->interval; t <= self->t0; t += s->interval)
        {
          g_autofree char *when = sim_time_text (t);
          SabanStaCrossing crossing;
          gint64 id;

          if (!saban_sta_insert_observation (store, s->datastream, when, value_at (self, s, t), &id, &crossing, error))
            return FALSE;
          s->last = t;
        }
    }
  return TRUE;
}

/* ---- running ------------------------------------------------------------------- */

typedef struct
{
  gint64 id;
  SabanStaCrossing crossing;
} Written;

static gboolean
tick (gpointer data)
{
  SabanSimulator *self = data;
  SabanStore *store = saban_server_get_store (self->server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) written = g_array_new (FALSE, FALSE, sizeof (Written));
  g_autoptr(GArray) moved = g_array_new (FALSE, FALSE, sizeof (gint64) * 2);
  double now = sim_now (self);

  if (!saban_store_begin (store, &error))
    {
      g_warning ("simulator: %s", error->message);
      return G_SOURCE_CONTINUE;
    }
  for (guint i = 0; i < self->sites->len; i++)
    {
      Site *s = &g_array_index (self->sites, Site, i);
      double t;
      int n = 0;

      if (s->interval <= 0)
        continue;
      t = floor (now / s->interval) * s->interval;
      if (t <= s->last)
        continue;
      /* a long pause (or a fast clock) writes the latest few slots, not every one */
      if (s->last <= 0 || (t - s->last) / s->interval > 8)
        s->last = t - 8 * s->interval;
      for (double u = s->last + s->interval; u <= t && n < 8; u += s->interval, n++)
        {
          g_autofree char *when = sim_time_text (u);

          if (s->kind == S_UNIT)
            {
              double lon, lat;
              gint64 loc;
              g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc ((gint64) u);
              g_autofree char *name = g_date_time_format (dt, "Vị trí lúc %H:%M %d/%m/%Y (giờ UTC)");

              unit_position (self, s, u, &lon, &lat);
              if ((loc = add_location (store, s->thing, name, lon, lat, when, &error)) == 0)
                goto fail;
              if (u + s->interval > t)
                {
                  gint64 pair[2] = { s->thing, loc };
                  g_array_append_val (moved, pair);
                }
            }
          else
            {
              Written w;

              if (!saban_sta_insert_observation (store, s->datastream, when, value_at (self, s, u), &w.id,
                                                 &w.crossing, &error))
                goto fail;
              g_array_append_val (written, w);
            }
        }
      s->last = t;
    }
  for (guint i = 0; i < written->len; i++)
    saban_sta_observation_announce (self->server, g_array_index (written, Written, i).id);
  for (guint i = 0; i < moved->len; i++)
    {
      gint64 *pair = &g_array_index (moved, gint64, 2 * i);
      g_autofree char *topic = g_strdup_printf ("v1.1/Things(%" G_GINT64_FORMAT ")/Locations", pair[0]);

      saban_sta_publish_entity (self->server, "Locations", pair[1], topic);
    }
  if (!saban_store_commit (store, &error))
    goto fail;
  for (guint i = 0; i < written->len; i++)
    saban_sta_observation_committed (self->server, g_array_index (written, Written, i).id,
                                     g_array_index (written, Written, i).crossing);
  return G_SOURCE_CONTINUE;
fail:
  saban_store_rollback (store);
  g_warning ("simulator: %s", error->message);
  return G_SOURCE_CONTINUE;
}

/* POST /demo/flood?site=CODE: a surge that takes the gauge past danger in
 * about 20 simulated minutes; for demonstrations and tests. */
static void
demo_flood (SabanRequest *req, gpointer data)
{
  static const char *const roles[] = { "operator", "coordinator", NULL };
  SabanSimulator *self = data;
  const char *code = g_hash_table_lookup (req->query, "site");
  SabanStore *store = saban_server_get_store (req->server);
  g_autoptr(SabanStmt) st = NULL;
  gint64 thing = 0;

  if (!saban_request_require_role (req, "force a flood", roles))
    return;
  if (code == NULL)
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid-parameter", "site=CODE (e.g. MN-001) is required");
      return;
    }
  st = saban_store_prepare (store, "SELECT id FROM sta_things WHERE (properties ->> 'code') = ? "
                            "AND (properties ->> 'kind') = 'water_level'", NULL);
  saban_stmt_bind_text (st, 1, code);
  if (saban_stmt_step (st, NULL))
    thing = saban_stmt_column_int64 (st, 0);
  for (guint i = 0; i < self->sites->len; i++)
    {
      Site *s = &g_array_index (self->sites, Site, i);

      if (s->thing == thing && s->kind == S_WATER)
        {
          Surge g = { i, sim_now (self), s->danger - s->base + 1.0, 1200 };
          g_autoptr(JsonObject) o = json_object_new ();
          g_autofree char *at = sim_time_text (g.t);

          g_array_append_val (self->surges, g);
          json_object_set_string_member (o, "site", code);
          json_object_set_int_member (o, "datastream", s->datastream);
          json_object_set_string_member (o, "from", at);
          json_object_set_double_member (o, "dangerLevel", s->danger);
          json_object_set_double_member (o, "peak", s->danger + 1.0);
          saban_request_reply_object (req, SOUP_STATUS_ACCEPTED, NULL, o);
          return;
        }
    }
  saban_request_error (req, SOUP_STATUS_NOT_FOUND, "not-found", "no simulated river gauge %s", code);
}

/* ---- camera snapshots ------------------------------------------------------------ */

static cairo_status_t
write_png (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * saban_simulator_snapshot:
 * Renders a demo camera's "snapshot": a generated picture with the site's
 * name and the time, clearly marked as a simulation. %FALSE if @thing_id is
 * not a camera (the caller answers 404).
 */
gboolean
saban_simulator_snapshot (SabanRequest *req, gint64 thing_id)
{
  SabanStore *store = saban_server_get_store (req->server);
  g_autoptr(SabanStmt) st = saban_store_prepare (store, "SELECT name, (properties ->> 'code') "
                                                    "FROM sta_things WHERE id = ? AND "
                                                    "(properties ->> 'kind') = 'camera'", NULL);
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%d/%m/%Y %H:%M:%S");
  cairo_surface_t *surface;
  cairo_t *cr;
  guint32 h;

  if (st == NULL)
    return FALSE;
  saban_stmt_bind_int64 (st, 1, thing_id);
  if (!saban_stmt_step (st, NULL))
    return FALSE;
  h = g_str_hash (saban_stmt_column_text (st, 0));
  /* 640×360 and a few shapes: a couple of milliseconds, fine on the main loop */
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 640, 360);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 0.55, 0.70, 0.85);
  cairo_paint (cr);
  /* hills, a river, a road: varied per site */
  cairo_set_source_rgb (cr, 0.25 + (h % 7) * 0.02, 0.45, 0.25);
  cairo_move_to (cr, 0, 220);
  for (int x = 0; x <= 640; x += 40)
    cairo_line_to (cr, x, 170 + 40 * sin (x / 90.0 + (h % 13)));
  cairo_line_to (cr, 640, 360);
  cairo_line_to (cr, 0, 360);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.45, 0.40, 0.30);
  cairo_move_to (cr, 0, 300);
  cairo_curve_to (cr, 200, 260 + (h % 30), 400, 330, 640, 280);
  cairo_set_line_width (cr, 26);
  cairo_stroke (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
  cairo_rectangle (cr, 0, 0, 640, 54);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 18);
  cairo_move_to (cr, 12, 24);
  cairo_show_text (cr, saban_stmt_column_text (st, 0));
  cairo_set_font_size (cr, 14);
  cairo_move_to (cr, 12, 45);
  cairo_show_text (cr, stamp);
  cairo_set_source_rgba (cr, 0.8, 0, 0, 0.85);
  cairo_rectangle (cr, 0, 320, 640, 40);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_font_size (cr, 16);
  cairo_move_to (cr, 12, 346);
  cairo_show_text (cr, "ẢNH MÔ PHỎNG — DỮ LIỆU MINH HOẠ (simulated demo image)");
  cairo_destroy (cr);
  cairo_surface_write_to_png_stream (surface, write_png, png);
  cairo_surface_destroy (surface);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Cache-Control", "no-store");
  saban_request_reply_bytes (req, SOUP_STATUS_OK, "image/png", (const char *) png->data, png->len);
  return TRUE;
}

/* ---- the object ----------------------------------------------------------------- */

static void
saban_simulator_finalize (GObject *object)
{
  SabanSimulator *self = SABAN_SIMULATOR (object);

  saban_simulator_stop (self);
  g_array_unref (self->sites);
  g_array_unref (self->surges);
  G_OBJECT_CLASS (saban_simulator_parent_class)->finalize (object);
}

static void
saban_simulator_class_init (SabanSimulatorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_simulator_finalize;
}

static void
saban_simulator_init (SabanSimulator *self)
{
  self->sites = g_array_new (FALSE, TRUE, sizeof (Site));
  self->surges = g_array_new (FALSE, TRUE, sizeof (Surge));
}

/**
 * saban_simulator_new:
 * Seeds the SensorThings entities from @gpkg_path's sensor_sites (once per
 * database) and a day of history, and registers POST /demo/flood.
 * @speed: simulated seconds per real second
 */
SabanSimulator *
saban_simulator_new (SabanServer *server, const char *gpkg_path, guint32 seed, double speed, GError **error)
{
  g_autoptr(SabanSimulator) self = g_object_new (SABAN_TYPE_SIMULATOR, NULL);
  SabanStore *store = saban_server_get_store (server);
  g_autoptr(SabanStmt) st = NULL;
  gboolean empty = TRUE;

  self->server = server;
  self->seed = seed;
  self->speed = speed;
  self->real0 = g_get_monotonic_time ();
  self->t0 = floor (g_get_real_time () / (double) G_USEC_PER_SEC);

  st = saban_store_prepare (store, "SELECT 1 FROM sta_things LIMIT 1", error);
  if (st == NULL)
    return NULL;
  empty = !saban_stmt_step (st, NULL);
  if (!saban_store_begin (store, error))
    return NULL;
  if ((empty && !seed_entities (self, store, gpkg_path, error)) || !load_sites (self, store, error) ||
      !seed_history (self, store, error) || !saban_store_commit (store, error))
    {
      saban_store_rollback (store);
      return NULL;
    }
  saban_router_add (saban_server_get_router (server), "POST", "/demo/flood", demo_flood, self);
  return g_steal_pointer (&self);
}

void
saban_simulator_start (SabanSimulator *self)
{
  /* a tick each simulated minute, but no faster than 10 a second nor slower than every 5 s */
  guint ms = (guint) CLAMP (60000.0 / self->speed, 100, 5000);

  /* low priority: requests are served first when a fast clock makes ticks heavy;
   * one tick at once, so units have a position and gauges a reading from the start */
  if (self->timer == 0)
    {
      /* the simulated clock runs from here, not from saban_simulator_new():
       * seeding that took seconds (a sanitizer build, a slow disk, PostgreSQL)
       * at --sim-speed=3600 skipped hours, the scripted flood among them */
      self->real0 = g_get_monotonic_time ();
      tick (self);
      self->timer = g_timeout_add_full (G_PRIORITY_LOW, ms, tick, self, NULL);
    }
}

void
saban_simulator_stop (SabanSimulator *self)
{
  g_clear_handle_id (&self->timer, g_source_remove);
}
