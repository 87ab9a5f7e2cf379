/* saban-unit-store.c: responder units and where they are.
 *
 * Units come from SensorThings like sensors do — a Thing of kind
 * "responder" with a Location — but they measure nothing: what changes is
 * the Location (MQTT `v1.1/Things(ID)/Locations`). Each unit keeps its
 * recent track for the map. Units are only appended, so an index is a
 * stable id; "unit-changed (index)" says one moved or appeared.
 *
 * A Location from the network is checked (a Point, finite coordinates on
 * the Earth); a bad one is refused with a logged reason and moves nothing.
 */
#include "saban-unit-store.h"

#include <math.h>

#include "saban-error.h"
#include "saban-json.h"
#include "saban-measure.h"

#define LOG_DOMAIN "saban-iot"

struct _SabanUnitStore
{
  GObject     parent_instance;
  GPtrArray  *units;      /* of SabanUnit */
  GHashTable *by_thing;   /* thing id → index + 1 */
};

enum { UNIT_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanUnitStore, saban_unit_store, G_TYPE_OBJECT)

static void
unit_free (gpointer data)
{
  SabanUnit *u = data;

  g_free (u->name);
  g_free (u->code);
  g_array_unref (u->track);
  g_free (u);
}

static void
saban_unit_store_finalize (GObject *object)
{
  SabanUnitStore *self = SABAN_UNIT_STORE (object);

  g_ptr_array_unref (self->units);
  g_hash_table_unref (self->by_thing);
  G_OBJECT_CLASS (saban_unit_store_parent_class)->finalize (object);
}

static void
saban_unit_store_class_init (SabanUnitStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_unit_store_finalize;

  /**
   * SabanUnitStore::unit-changed:
   * @index: the unit that appeared or moved
   */
  signals[UNIT_CHANGED] = g_signal_new ("unit-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                        NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
saban_unit_store_init (SabanUnitStore *self)
{
  self->units = g_ptr_array_new_with_free_func (unit_free);
  self->by_thing = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

SabanUnitStore *
saban_unit_store_new (void)
{
  return g_object_new (SABAN_TYPE_UNIT_STORE, NULL);
}

guint
saban_unit_store_get_n_units (SabanUnitStore *self)
{
  g_return_val_if_fail (SABAN_IS_UNIT_STORE (self), 0);
  return self->units->len;
}

/**
 * saban_unit_store_get_unit:
 * @self: a store
 * @index: a unit's index
 *
 * Returns: (transfer none): the unit
 */
const SabanUnit *
saban_unit_store_get_unit (SabanUnitStore *self, guint index)
{
  g_return_val_if_fail (SABAN_IS_UNIT_STORE (self), NULL);
  g_return_val_if_fail (index < self->units->len, NULL);
  return g_ptr_array_index (self->units, index);
}

/**
 * saban_unit_store_lookup:
 * @self: a store
 * @thing_id: a Thing's @iot.id
 * @index: (out): its unit's index
 *
 * Returns: whether the Thing is a unit here
 */
gboolean
saban_unit_store_lookup (SabanUnitStore *self, gint64 thing_id, guint *index)
{
  gpointer v = g_hash_table_lookup (self->by_thing, &thing_id);

  if (v == NULL)
    return FALSE;
  *index = GPOINTER_TO_UINT (v) - 1;
  return TRUE;
}

/**
 * saban_unit_store_find:
 * @id: what a task's assignee of type "unit" names it by: the unit's code,
 *   or its Thing's id in decimal
 * @index: (out): its index
 *
 * Returns: whether such a unit is here
 */
gboolean
saban_unit_store_find (SabanUnitStore *self, const char *id, guint *index)
{
  guint64 thing_id;

  g_return_val_if_fail (SABAN_IS_UNIT_STORE (self), FALSE);

  if (id == NULL || *id == '\0')
    return FALSE;
  for (guint i = 0; i < self->units->len; i++)
    {
      const SabanUnit *u = g_ptr_array_index (self->units, i);

      if (g_strcmp0 (u->code, id) == 0)
        {
          *index = i;
          return TRUE;
        }
    }
  return g_ascii_string_to_unsigned (id, 10, 1, G_MAXINT64, &thing_id, NULL) &&
         saban_unit_store_lookup (self, (gint64) thing_id, index);
}

/**
 * saban_unit_store_distance_to:
 * @id: the unit's code or Thing id (see saban_unit_store_find())
 *
 * Returns: how far the unit is now from (@lon, @lat), geodesic metres;
 *   NAN if no such unit or it has no position
 */
double
saban_unit_store_distance_to (SabanUnitStore *self, const char *id, double lon, double lat)
{
  const SabanUnit *u;
  guint index;

  g_return_val_if_fail (SABAN_IS_UNIT_STORE (self), NAN);

  if (!saban_unit_store_find (self, id, &index))
    return NAN;
  u = g_ptr_array_index (self->units, index);
  if (!isfinite (u->lon) || !isfinite (u->lat) || !isfinite (lon) || !isfinite (lat))
    return NAN;
  return saban_measure_distance (u->lon, u->lat, lon, lat);
}

static void
move (SabanUnitStore *self, guint index, double lon, double lat, gint64 time_us)
{
  SabanUnit *u = g_ptr_array_index (self->units, index);
  double p[2] = { lon, lat };

  u->lon = lon;
  u->lat = lat;
  u->time_us = time_us;
  if (u->track->len >= 2 * SABAN_UNIT_TRACK_MAX)
    g_array_remove_range (u->track, 0, 2);
  g_array_append_vals (u->track, p, 2);
  g_signal_emit (self, signals[UNIT_CHANGED], 0, index);
}

/**
 * saban_unit_store_add:
 * @self: a store
 * @thing_id: the Thing's @iot.id
 * @name: its name
 * @code: (nullable): its code
 * @lon: where it is
 * @lat: idem
 * @time_us: when that was read
 *
 * Adds a unit, or renames and moves the one of the same Thing (a reload).
 *
 * Returns: its index
 */
guint
saban_unit_store_add (SabanUnitStore *self, gint64 thing_id, const char *name, const char *code, double lon,
                      double lat, gint64 time_us)
{
  SabanUnit *u;
  guint index;

  g_return_val_if_fail (SABAN_IS_UNIT_STORE (self), 0);

  if (!saban_unit_store_lookup (self, thing_id, &index))
    {
      u = g_new0 (SabanUnit, 1);
      u->thing_id = thing_id;
      u->track = g_array_new (FALSE, FALSE, sizeof (double));
      index = self->units->len;
      g_ptr_array_add (self->units, u);
      g_hash_table_insert (self->by_thing, g_memdup2 (&thing_id, sizeof thing_id), GUINT_TO_POINTER (index + 1));
    }
  u = g_ptr_array_index (self->units, index);
  g_free (u->name);
  u->name = g_strdup (name);
  g_free (u->code);
  u->code = g_strdup (code);
  move (self, index, lon, lat, time_us);
  return index;
}

/**
 * saban_unit_store_move_json:
 * @self: a store
 * @thing_id: the Thing the Location was published for
 * @location: a SensorThings Location entity
 * @time_us: when it was received
 * @error: why it was refused
 *
 * Returns: whether the unit moved (FALSE for an unknown Thing or a bad
 *   Location, logged)
 */
gboolean
saban_unit_store_move_json (SabanUnitStore *self, gint64 thing_id, JsonNode *location, gint64 time_us,
                            GError **error)
{
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (location) ? json_node_get_object (location) : NULL;
  JsonNode *geo = o != NULL && json_object_has_member (o, "location") ? json_object_get_member (o, "location") : NULL;
  JsonObject *g = geo != NULL && JSON_NODE_HOLDS_OBJECT (geo) ? json_node_get_object (geo) : NULL;
  JsonNode *coords = g != NULL && json_object_has_member (g, "coordinates") ? json_object_get_member (g, "coordinates") : NULL;
  JsonArray *c = coords != NULL && JSON_NODE_HOLDS_ARRAY (coords) ? json_node_get_array (coords) : NULL;
  double xy[2];
  guint index;

  g_return_val_if_fail (SABAN_IS_UNIT_STORE (self), FALSE);

  if (!saban_unit_store_lookup (self, thing_id, &index))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, "Thing %" G_GINT64_FORMAT " is no known unit", thing_id);
      return FALSE;
    }
  if (g == NULL || g_strcmp0 (saban_json_get_string (g, "type", 64), "Point") != 0 ||
      c == NULL || json_array_get_length (c) < 2)
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "Location of Thing %" G_GINT64_FORMAT " rejected: not a GeoJSON Point",
             thing_id);
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, "not a GeoJSON Point");
      return FALSE;
    }
  for (int k = 0; k < 2; k++)
    {
      JsonNode *n = json_array_get_element (c, k);
      GType t = JSON_NODE_HOLDS_VALUE (n) ? json_node_get_value_type (n) : G_TYPE_INVALID;

      xy[k] = t == G_TYPE_DOUBLE || t == G_TYPE_INT64 ? json_node_get_double (n) : NAN;
    }
  if (!isfinite (xy[0]) || !isfinite (xy[1]) || fabs (xy[0]) > 180 || fabs (xy[1]) > 85.06)
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "Location of Thing %" G_GINT64_FORMAT " rejected: coordinates not on Earth",
             thing_id);
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, "coordinates not on Earth");
      return FALSE;
    }
  move (self, index, xy[0], xy[1], time_us);
  return TRUE;
}

/**
 * saban_unit_store_set_track:
 * @self: a store
 * @index: a unit's index
 * @fixes: (array length=n_fixes): where it was, oldest first (a replay's
 *   history up to its time); at least one
 * @n_fixes: how many
 *
 * Puts the unit at its last fix, with the fixes before it (the last
 * SABAN_UNIT_TRACK_MAX) as its track: a replay moving back and forth in
 * time replaces the track rather than growing it.
 */
void
saban_unit_store_set_track (SabanUnitStore *self, guint index, const SabanUnitFix *fixes, guint n_fixes)
{
  SabanUnit *u;
  guint first = n_fixes > SABAN_UNIT_TRACK_MAX ? n_fixes - SABAN_UNIT_TRACK_MAX : 0;

  g_return_if_fail (SABAN_IS_UNIT_STORE (self));
  g_return_if_fail (index < self->units->len);
  g_return_if_fail (n_fixes > 0);

  u = g_ptr_array_index (self->units, index);
  g_array_set_size (u->track, 0);
  for (guint i = first; i < n_fixes; i++)
    {
      double p[2] = { fixes[i].lon, fixes[i].lat };

      g_array_append_vals (u->track, p, 2);
    }
  u->lon = fixes[n_fixes - 1].lon;
  u->lat = fixes[n_fixes - 1].lat;
  u->time_us = fixes[n_fixes - 1].time_us;
  g_signal_emit (self, signals[UNIT_CHANGED], 0, index);
}
