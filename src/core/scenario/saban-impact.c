/* saban-impact.c: what an area holds, before a scenario is activated.
 *
 * Just over a thousand lines: one analysis whose parts (candidates, the
 * boundary grid, clipping, the sums and their JSON) share its state.
 *
 * Candidates come from each layer's R-tree over the area's bounds; the area's
 * grid (SabanImpactArea) then says which are wholly inside, wholly outside or
 * near the boundary. A parcel wholly inside adds its whole area, measured by
 * saban_measure_feature_local_area(); only parcels near the boundary are
 * clipped. Layers are immutable, so the work runs in any thread; the sensors
 * and reports are copied when given, on the caller's thread.
 */
#include "saban-impact.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "saban-error.h"
#include "saban-landuse.h"
#include "saban-measure.h"

#define N_NEAREST_SHELTERS 3
#define MAX_FIELDS 3

/* The layers, as the demo GeoPackage names them, and the fields read. */
static const struct
{
  const char        *name;
  SabanGeometryKind  kind;
  const char        *fields[MAX_FIELDS];
} layer_table[SABAN_IMPACT_N_LAYERS] = {
  [SABAN_IMPACT_COMMUNES] = { "communes", SABAN_GEOMETRY_POLYGON, { "code", "name", "population" } },
  /* the land-use field is found by its values (saban-landuse.c) */
  [SABAN_IMPACT_PARCELS] = { "parcels", SABAN_GEOMETRY_POLYGON, { NULL } },
  [SABAN_IMPACT_SHELTERS] = { "shelters", SABAN_GEOMETRY_POINT, { "name", "capacity" } },
  [SABAN_IMPACT_HEALTH_FACILITIES] = { "health_facilities", SABAN_GEOMETRY_POINT, { "name" } },
  [SABAN_IMPACT_SCHOOLS] = { "schools", SABAN_GEOMETRY_POINT, { "name" } },
  [SABAN_IMPACT_POLICE_STATIONS] = { "police_stations", SABAN_GEOMETRY_POINT, { "name" } },
  [SABAN_IMPACT_FIRE_STATIONS] = { "fire_stations", SABAN_GEOMETRY_POINT, { "name" } },
};

struct _SabanImpact
{
  GObject parent_instance;

  SabanImpactArea *area;
  GPtrArray *layers;
  char *names[SABAN_IMPACT_N_LAYERS];       /* set by the caller; else the default */
  char *landuse_field;                      /* set by the caller; else found */
  GArray *sensors_in_alarm;                 /* SabanImpactSensor, all of the store's */
  GArray *all_reports;                      /* SabanImpactReport */

  /* Results */
  SabanVectorLayer *found[SABAN_IMPACT_N_LAYERS];
  GArray *communes;
  GArray *places[SABAN_IMPACT_N_LAYERS];
  GArray *nearest_shelters;
  GArray *landuse;
  GArray *sensors;
  GArray *reports;
  double population_affected;
  gint64 shelter_capacity;
  guint n_parcels;
};

G_DEFINE_FINAL_TYPE (SabanImpact, saban_impact, G_TYPE_OBJECT)

static void
commune_clear (gpointer data)
{
  SabanImpactCommune *c = data;

  g_free (c->code);
  g_free (c->name);
}

static void
place_clear (gpointer data)
{
  g_free (((SabanImpactPlace *) data)->name);
}

static void
landuse_clear (gpointer data)
{
  g_free (((SabanImpactLanduse *) data)->code);
}

static void
sensor_clear (gpointer data)
{
  SabanImpactSensor *s = data;

  g_free (s->name);
  g_free (s->unit);
}

static void
report_clear (gpointer data)
{
  SabanImpactReport *r = data;

  g_free (r->id);
  g_free (r->title);
}

static GArray *
array_new (gsize          size,
           GDestroyNotify clear)
{
  GArray *a = g_array_new (FALSE, TRUE, size);

  g_array_set_clear_func (a, clear);
  return a;
}

static void
clear_results (SabanImpact *self)
{
  for (guint l = 0; l < SABAN_IMPACT_N_LAYERS; l++)
    {
      self->found[l] = NULL;
      g_array_set_size (self->places[l], 0);
    }
  g_array_set_size (self->communes, 0);
  g_array_set_size (self->nearest_shelters, 0);
  g_array_set_size (self->landuse, 0);
  g_array_set_size (self->sensors, 0);
  g_array_set_size (self->reports, 0);
  self->population_affected = 0;
  self->shelter_capacity = 0;
  self->n_parcels = 0;
}

static void
saban_impact_finalize (GObject *object)
{
  SabanImpact *self = SABAN_IMPACT (object);

  g_clear_pointer (&self->area, saban_impact_area_unref);
  g_clear_pointer (&self->layers, g_ptr_array_unref);
  for (guint l = 0; l < SABAN_IMPACT_N_LAYERS; l++)
    {
      g_free (self->names[l]);
      g_array_unref (self->places[l]);
    }
  g_free (self->landuse_field);
  g_array_unref (self->sensors_in_alarm);
  g_array_unref (self->all_reports);
  g_array_unref (self->communes);
  g_array_unref (self->nearest_shelters);
  g_array_unref (self->landuse);
  g_array_unref (self->sensors);
  g_array_unref (self->reports);
  G_OBJECT_CLASS (saban_impact_parent_class)->finalize (object);
}

static void
saban_impact_class_init (SabanImpactClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_impact_finalize;
}

static void
saban_impact_init (SabanImpact *self)
{
  for (guint l = 0; l < SABAN_IMPACT_N_LAYERS; l++)
    self->places[l] = array_new (sizeof (SabanImpactPlace), place_clear);
  self->sensors_in_alarm = array_new (sizeof (SabanImpactSensor), sensor_clear);
  self->all_reports = array_new (sizeof (SabanImpactReport), report_clear);
  self->communes = array_new (sizeof (SabanImpactCommune), commune_clear);
  self->nearest_shelters = array_new (sizeof (SabanImpactPlace), place_clear);
  self->landuse = array_new (sizeof (SabanImpactLanduse), landuse_clear);
  self->sensors = array_new (sizeof (SabanImpactSensor), sensor_clear);
  self->reports = array_new (sizeof (SabanImpactReport), report_clear);
}

/**
 * saban_impact_new:
 * @area: the area
 * @layers: (element-type SabanVectorLayer): the loaded layers, found by name
 *
 * Nothing is computed until saban_impact_compute(); the object must not be
 * used by two threads at once.
 *
 * Returns: (transfer full): a new analysis
 */
SabanImpact *
saban_impact_new (SabanImpactArea *area,
                  GPtrArray       *layers)
{
  SabanImpact *self = g_object_new (SABAN_TYPE_IMPACT, NULL);

  self->area = saban_impact_area_ref (area);
  self->layers = g_ptr_array_ref (layers);
  return self;
}

/**
 * saban_impact_set_layer_name:
 *
 * Reads @layer from the layer named @name rather than its default name; a
 * layer named so must then exist (a layer left at its default name may be
 * missing, except the parcels).
 */
void
saban_impact_set_layer_name (SabanImpact      *self,
                             SabanImpactLayer  layer,
                             const char       *name)
{
  g_return_if_fail (layer < SABAN_IMPACT_N_LAYERS);
  g_free (self->names[layer]);
  self->names[layer] = g_strdup (name);
}

/**
 * saban_impact_set_landuse_field:
 * @field: (nullable): the parcels' field holding land-use codes; %NULL to
 *   find it (the field whose values are mostly codes of Circular 08/2024)
 */
void
saban_impact_set_landuse_field (SabanImpact *self,
                                const char  *field)
{
  g_free (self->landuse_field);
  self->landuse_field = g_strdup (field);
}

/**
 * saban_impact_set_sensors:
 *
 * Copies the sensors of @store in ALERT or DANGER now: call it on the
 * thread that owns @store.
 */
void
saban_impact_set_sensors (SabanImpact      *self,
                          SabanSensorStore *store)
{
  g_array_set_size (self->sensors_in_alarm, 0);
  for (guint i = 0; i < saban_sensor_store_get_n_sensors (store); i++)
    {
      const SabanSensor *s = saban_sensor_store_get_sensor (store, i);
      SabanImpactSensor copy = { g_strdup (s->name), s->state, s->value, g_strdup (s->unit), s->lon, s->lat };

      if (s->state == SABAN_SENSOR_STATE_ALERT || s->state == SABAN_SENSOR_STATE_DANGER)
        g_array_append_val (self->sensors_in_alarm, copy);
      else
        sensor_clear (&copy);
    }
}

/**
 * saban_impact_set_reports:
 * @reports: (array length=n_reports): open citizen reports; copied
 */
void
saban_impact_set_reports (SabanImpact             *self,
                          const SabanImpactReport *reports,
                          guint                    n_reports)
{
  g_array_set_size (self->all_reports, 0);
  for (guint i = 0; i < n_reports; i++)
    {
      SabanImpactReport copy = { g_strdup (reports[i].id), g_strdup (reports[i].title), reports[i].lon, reports[i].lat };

      g_array_append_val (self->all_reports, copy);
    }
}

/**
 * saban_impact_layer_default_name:
 *
 * Returns: the name @layer is looked for by, unless told otherwise
 */
const char *
saban_impact_layer_default_name (SabanImpactLayer layer)
{
  g_return_val_if_fail (layer < SABAN_IMPACT_N_LAYERS, NULL);
  return layer_table[layer].name;
}

static gboolean
find_layers (SabanImpact  *self,
             int           fields[SABAN_IMPACT_N_LAYERS][MAX_FIELDS],
             GError      **error)
{
  for (guint l = 0; l < SABAN_IMPACT_N_LAYERS; l++)
    {
      const char *name = self->names[l] != NULL ? self->names[l] : layer_table[l].name;
      SabanVectorLayer *found = NULL;
      const SabanAttributeTable *t;

      for (guint i = 0; i < self->layers->len && found == NULL; i++)
        if (g_strcmp0 (saban_vector_layer_get_name (g_ptr_array_index (self->layers, i)), name) == 0)
          found = g_ptr_array_index (self->layers, i);
      if (found == NULL)
        {
          if (self->names[l] == NULL && l != SABAN_IMPACT_PARCELS)
            continue;
          g_set_error (error, SABAN_ERROR, SABAN_ERROR_NO_DATA,
                       _("The impact analysis needs the layer “%s”, which is not loaded"), name);
          return FALSE;
        }
      if (saban_vector_layer_get_kind (found) != layer_table[l].kind)
        {
          g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID,
                       layer_table[l].kind == SABAN_GEOMETRY_POLYGON ? _("Layer “%s” does not hold polygons")
                                                                     : _("Layer “%s” does not hold points"),
                       name);
          return FALSE;
        }
      t = saban_vector_layer_get_attributes (found);
      for (guint f = 0; f < MAX_FIELDS; f++)
        {
          if (layer_table[l].fields[f] == NULL)
            continue;
          fields[l][f] = saban_attribute_table_find_field (t, layer_table[l].fields[f]);
          if (fields[l][f] < 0)
            {
              g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID,
                           _("Layer “%s” has no field “%s”"), name, layer_table[l].fields[f]);
              return FALSE;
            }
        }
      self->found[l] = found;
    }
  return TRUE;
}

/* The field given, else the one holding land-use codes, whatever its name. */
static int
find_landuse_field (SabanImpact  *self,
                    GError      **error)
{
  SabanVectorLayer *parcels = self->found[SABAN_IMPACT_PARCELS];
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (parcels);
  int field;

  if (self->landuse_field != NULL)
    {
      field = saban_attribute_table_find_field (t, self->landuse_field);
      if (field < 0)
        g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("Layer “%s” has no field “%s”"),
                     saban_vector_layer_get_name (parcels), self->landuse_field);
      return field;
    }
  field = saban_landuse_find_field (t, NULL);
  if (field < 0)
    g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID,
                 _("No field of layer “%s” holds land-use codes of Circular 08/2024: choose the field"),
                 saban_vector_layer_get_name (parcels));
  return field;
}

static char *
field_string (SabanVectorLayer *layer,
              int               field,
              guint32           row)
{
  return saban_attribute_table_format (saban_vector_layer_get_attributes (layer), field, row);
}

static gint64
field_integer (SabanVectorLayer *layer,
               int               field,
               guint32           row)
{
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (layer);

  SabanFieldType type;

  if (saban_attribute_table_is_null (t, field, row))
    return 0;
  type = saban_attribute_table_get_field_type (t, field);
  if (saban_field_type_is_integer (type))
    return saban_attribute_table_get_integer (t, field, row);
  if (type == SABAN_FIELD_STRING)
    return g_ascii_strtoll (saban_attribute_table_get_string (t, field, row), NULL, 10);
  return (gint64) llround (saban_attribute_table_get_real (t, field, row));
}

typedef struct
{
  GArray *items;
  GCancellable *cancellable;
} Collect;

static gboolean
collect_item (guint32  item,
              gpointer user_data)
{
  Collect *c = user_data;

  g_array_append_val (c->items, item);
  return (c->items->len & 4095) != 0 || !g_cancellable_is_cancelled (c->cancellable);
}

/* The features whose boxes meet the area's bounds. */
static GArray *
candidates (SabanImpact      *self,
            SabanVectorLayer *layer,
            GCancellable     *cancellable)
{
  Collect c = { g_array_new (FALSE, FALSE, sizeof (guint32)), cancellable };
  double min_x, min_y, max_x, max_y;

  saban_impact_area_get_bounds (self->area, &min_x, &min_y, &max_x, &max_y);
  saban_spatial_index_query (saban_vector_layer_get_index (layer), min_x, min_y, max_x, max_y,
                             collect_item, &c);
  return c.items;
}

static void
point_of (SabanVectorLayer *layer,
          guint32           feature,
          double           *x,
          double           *y)
{
  const SabanFeatureArrays *a = saban_vector_layer_get_arrays (layer);
  const double *xy = a->xy + 2 * (gsize) a->point_starts[a->part_starts[feature]];

  *x = xy[0];
  *y = xy[1];
}

static int
compare_landuse (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (((const SabanImpactLanduse *) a)->code, ((const SabanImpactLanduse *) b)->code);
}

static gboolean
is_plain_code (const char *code)
{
  for (const char *c = code; *c != '\0'; c++)
    if (g_ascii_islower (*c) || *c == ' ')
      return FALSE;
  return TRUE;
}

static void
compute_land (SabanImpact  *self,
              int           landuse_field,
              GCancellable *cancellable)
{
  SabanVectorLayer *layer = self->found[SABAN_IMPACT_PARCELS];
  const SabanFeatureArrays *a = saban_vector_layer_get_arrays (layer);
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (layer);
  g_autoptr(GArray) items = candidates (self, layer, cancellable);
  /* Code (the table's own string) → position in self->landuse. */
  g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < items->len; i++)
    {
      guint32 f = g_array_index (items, guint32, i);
      const double *box = &a->boxes[4 * (gsize) f];
      const char *code;
      gpointer position;
      SabanImpactLanduse *entry;
      double area;

      if ((i & 4095) == 0 && g_cancellable_is_cancelled (cancellable))
        return;
      switch (saban_impact_area_place_box (self->area, box[0], box[1], box[2], box[3]))
        {
        case SABAN_IMPACT_AREA_OUTSIDE:
          continue;
        case SABAN_IMPACT_AREA_INSIDE:
          area = saban_measure_feature_local_area (layer, f);
          break;
        case SABAN_IMPACT_AREA_BOUNDARY:
        default:
          area = saban_impact_area_clip_feature (self->area, a, f);
          break;
        }
      if (area <= 0)
        continue;
      code = saban_attribute_table_is_null (t, landuse_field, f) ? ""
             : saban_attribute_table_get_field_type (t, landuse_field) == SABAN_FIELD_STRING
               ? saban_attribute_table_get_string (t, landuse_field, f) : NULL;
      /* "ont", " ONT" and "ONT" are one code */
      if (code == NULL || !is_plain_code (code))
        {
          g_autofree char *text = saban_landuse_code_of (t, landuse_field, f);

          code = g_intern_string (text);
        }
      if (!g_hash_table_lookup_extended (codes, code, NULL, &position))
        {
          SabanImpactLanduse fresh = { g_strdup (code), 0, 0 };

          position = GUINT_TO_POINTER (self->landuse->len);
          g_array_append_val (self->landuse, fresh);
          g_hash_table_insert (codes, (gpointer) code, position);
        }
      entry = &g_array_index (self->landuse, SabanImpactLanduse, GPOINTER_TO_UINT (position));
      entry->area_ha += area / 1e4;
      entry->n_parcels++;
      self->n_parcels++;
    }
  g_array_sort (self->landuse, compare_landuse);
}

static int
compare_communes (gconstpointer a,
                  gconstpointer b)
{
  double x = ((const SabanImpactCommune *) a)->population_affected;
  double y = ((const SabanImpactCommune *) b)->population_affected;

  return x > y ? -1 : x < y;
}

static void
compute_communes (SabanImpact  *self,
                  const int    *fields,
                  GCancellable *cancellable)
{
  SabanVectorLayer *layer = self->found[SABAN_IMPACT_COMMUNES];
  const SabanFeatureArrays *a = saban_vector_layer_get_arrays (layer);
  g_autoptr(GArray) items = candidates (self, layer, cancellable);

  for (guint i = 0; i < items->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      guint32 f = g_array_index (items, guint32, i);
      const double *box = &a->boxes[4 * (gsize) f];
      SabanImpactCommune c;
      double fraction;

      switch (saban_impact_area_place_box (self->area, box[0], box[1], box[2], box[3]))
        {
        case SABAN_IMPACT_AREA_OUTSIDE:
          continue;
        case SABAN_IMPACT_AREA_INSIDE:
          fraction = 1;
          break;
        case SABAN_IMPACT_AREA_BOUNDARY:
        default:
          fraction = saban_impact_area_clip_feature (self->area, a, f) / saban_measure_feature_local_area (layer, f);
          break;
        }
      if (!(fraction > 0))
        continue;
      c.code = field_string (layer, fields[0], f);
      c.name = field_string (layer, fields[1], f);
      c.population = field_integer (layer, fields[2], f);
      c.fraction = MIN (fraction, 1);
      c.population_affected = c.population * c.fraction;
      self->population_affected += c.population_affected;
      g_array_append_val (self->communes, c);
    }
  g_array_sort (self->communes, compare_communes);
}

static int
compare_places (gconstpointer a,
                gconstpointer b)
{
  const SabanImpactPlace *x = a, *y = b;

  if (x->distance_m != y->distance_m)
    return x->distance_m < y->distance_m ? -1 : 1;
  return g_strcmp0 (x->name, y->name);
}

static SabanImpactPlace
make_place (SabanVectorLayer *layer,
            const int        *fields,
            gboolean          capacity,
            guint32           feature)
{
  SabanImpactPlace p = { field_string (layer, fields[0], feature), 0, 0, 0, 0 };
  double x, y;

  if (capacity)
    p.capacity = field_integer (layer, fields[1], feature);
  point_of (layer, feature, &x, &y);
  saban_mercator_to_lonlat (x, y, &p.lon, &p.lat);
  return p;
}

static void
compute_places (SabanImpact      *self,
                SabanImpactLayer  l,
                const int        *fields,
                GCancellable     *cancellable)
{
  SabanVectorLayer *layer = self->found[l];
  g_autoptr(GArray) items = candidates (self, layer, cancellable);

  for (guint i = 0; i < items->len; i++)
    {
      guint32 f = g_array_index (items, guint32, i);
      SabanImpactPlace p;
      double x, y;

      point_of (layer, f, &x, &y);
      if (!saban_impact_area_contains (self->area, x, y))
        continue;
      p = make_place (layer, fields, l == SABAN_IMPACT_SHELTERS, f);
      if (l == SABAN_IMPACT_SHELTERS)
        self->shelter_capacity += p.capacity;
      g_array_append_val (self->places[l], p);
    }
  g_array_sort (self->places[l], compare_places);
}

/* Every shelter outside, by distance from the boundary; the first few kept. */
static void
compute_nearest_shelters (SabanImpact *self,
                          const int   *fields)
{
  SabanVectorLayer *layer = self->found[SABAN_IMPACT_SHELTERS];
  g_autoptr(GArray) outside = array_new (sizeof (SabanImpactPlace), place_clear);

  for (guint32 f = 0; f < saban_vector_layer_get_n_features (layer); f++)
    {
      SabanImpactPlace p;
      double x, y;

      point_of (layer, f, &x, &y);
      if (saban_impact_area_contains (self->area, x, y))
        continue;
      p = make_place (layer, fields, TRUE, f);
      p.distance_m = saban_impact_area_distance (self->area, x, y);
      g_array_append_val (outside, p);
    }
  g_array_sort (outside, compare_places);
  for (guint i = 0; i < MIN (outside->len, N_NEAREST_SHELTERS); i++)
    {
      SabanImpactPlace *p = &g_array_index (outside, SabanImpactPlace, i);
      SabanImpactPlace copy = *p;

      copy.name = g_strdup (p->name);
      g_array_append_val (self->nearest_shelters, copy);
    }
}

static void
compute_points (SabanImpact *self)
{
  for (guint i = 0; i < self->sensors_in_alarm->len; i++)
    {
      const SabanImpactSensor *s = &g_array_index (self->sensors_in_alarm, SabanImpactSensor, i);
      SabanImpactSensor copy = *s;
      double x, y;

      saban_lonlat_to_mercator (s->lon, s->lat, &x, &y);
      if (!saban_impact_area_contains (self->area, x, y))
        continue;
      copy.name = g_strdup (s->name);
      copy.unit = g_strdup (s->unit);
      g_array_append_val (self->sensors, copy);
    }
  for (guint i = 0; i < self->all_reports->len; i++)
    {
      const SabanImpactReport *r = &g_array_index (self->all_reports, SabanImpactReport, i);
      SabanImpactReport copy = *r;
      double x, y;

      saban_lonlat_to_mercator (r->lon, r->lat, &x, &y);
      if (!saban_impact_area_contains (self->area, x, y))
        continue;
      copy.id = g_strdup (r->id);
      copy.title = g_strdup (r->title);
      g_array_append_val (self->reports, copy);
    }
}

/**
 * saban_impact_compute:
 *
 * Computes everything the area holds (blocking; any thread, but one at a
 * time per object):
 *
 * - communes touched, each with its population and the population affected,
 *   estimated as population × the fraction of the commune's area inside the
 *   area (people are assumed spread evenly over the commune);
 * - facilities (health, schools, police, fire) and shelters inside, with the
 *   shelters' total capacity, and the three shelters outside nearest to the
 *   area's boundary (geodesic distance);
 * - land by land-use code: hectares of parcels clipped to the area (on the
 *   WGS 84 ellipsoid) and the parcels with some area inside;
 * - the sensors given in ALERT or DANGER, and the reports given, inside.
 *
 * Returns: %FALSE with @error set (translated) when a needed layer is
 *   missing or unsuitable, or when @cancellable was cancelled
 */
gboolean
saban_impact_compute (SabanImpact   *self,
                      GCancellable  *cancellable,
                      GError       **error)
{
  int fields[SABAN_IMPACT_N_LAYERS][MAX_FIELDS] = { { 0 } };
  int landuse;

  clear_results (self);
  if (!find_layers (self, fields, error) || (landuse = find_landuse_field (self, error)) < 0)
    {
      clear_results (self);
      return FALSE;
    }
  compute_land (self, landuse, cancellable);
  if (self->found[SABAN_IMPACT_COMMUNES] != NULL)
    compute_communes (self, fields[SABAN_IMPACT_COMMUNES], cancellable);
  for (guint l = SABAN_IMPACT_SHELTERS; l < SABAN_IMPACT_N_LAYERS; l++)
    if (self->found[l] != NULL)
      compute_places (self, l, fields[l], cancellable);
  if (self->found[SABAN_IMPACT_SHELTERS] != NULL)
    compute_nearest_shelters (self, fields[SABAN_IMPACT_SHELTERS]);
  compute_points (self);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      clear_results (self);
      return FALSE;
    }
  return TRUE;
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;

  if (saban_impact_compute (source_object, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * saban_impact_compute_async:
 *
 * saban_impact_compute() in a worker thread. Leave @self alone until
 * @callback runs.
 */
void
saban_impact_compute_async (SabanImpact         *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, saban_impact_compute_async);
  g_task_run_in_thread (task, compute_thread);
}

gboolean
saban_impact_compute_finish (SabanImpact   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

SabanImpactArea *
saban_impact_get_area (SabanImpact *self)
{
  return self->area;
}

/**
 * saban_impact_has_layer:
 *
 * Returns: whether the last computation found @layer (the parcels always,
 *   when it succeeded)
 */
gboolean
saban_impact_has_layer (SabanImpact      *self,
                        SabanImpactLayer  layer)
{
  g_return_val_if_fail (layer < SABAN_IMPACT_N_LAYERS, FALSE);
  return self->found[layer] != NULL;
}

/**
 * saban_impact_get_communes:
 *
 * Returns: (array length=n_communes): the communes touched, most people
 *   affected first
 */
const SabanImpactCommune *
saban_impact_get_communes (SabanImpact *self,
                           guint       *n_communes)
{
  *n_communes = self->communes->len;
  return (const SabanImpactCommune *) self->communes->data;
}

double
saban_impact_get_population_affected (SabanImpact *self)
{
  return self->population_affected;
}

/**
 * saban_impact_get_places:
 * @layer: %SABAN_IMPACT_SHELTERS or a facility layer
 *
 * Returns: (array length=n_places): the layer's points inside, by name
 */
const SabanImpactPlace *
saban_impact_get_places (SabanImpact      *self,
                         SabanImpactLayer  layer,
                         guint            *n_places)
{
  g_return_val_if_fail (layer < SABAN_IMPACT_N_LAYERS, NULL);
  *n_places = self->places[layer]->len;
  return (const SabanImpactPlace *) self->places[layer]->data;
}

gint64
saban_impact_get_shelter_capacity (SabanImpact *self)
{
  return self->shelter_capacity;
}

/**
 * saban_impact_get_nearest_shelters:
 *
 * Returns: (array length=n_shelters): up to three shelters outside the area,
 *   nearest to its boundary first, with distance_m set
 */
const SabanImpactPlace *
saban_impact_get_nearest_shelters (SabanImpact *self,
                                   guint       *n_shelters)
{
  *n_shelters = self->nearest_shelters->len;
  return (const SabanImpactPlace *) self->nearest_shelters->data;
}

/**
 * saban_impact_get_landuse:
 *
 * Returns: (array length=n_codes): land inside by land-use code, by code
 */
const SabanImpactLanduse *
saban_impact_get_landuse (SabanImpact *self,
                          guint       *n_codes)
{
  *n_codes = self->landuse->len;
  return (const SabanImpactLanduse *) self->landuse->data;
}

guint
saban_impact_get_n_parcels (SabanImpact *self)
{
  return self->n_parcels;
}

/**
 * saban_impact_get_sensors:
 *
 * Returns: (array length=n_sensors): the sensors in alarm inside
 */
const SabanImpactSensor *
saban_impact_get_sensors (SabanImpact *self,
                          guint       *n_sensors)
{
  *n_sensors = self->sensors->len;
  return (const SabanImpactSensor *) self->sensors->data;
}

/**
 * saban_impact_get_reports:
 *
 * Returns: (array length=n_reports): the reports inside
 */
const SabanImpactReport *
saban_impact_get_reports (SabanImpact *self,
                          guint       *n_reports)
{
  *n_reports = self->reports->len;
  return (const SabanImpactReport *) self->reports->data;
}

static void
add_double (JsonBuilder *b,
            const char  *key,
            double       value,
            double       scale)
{
  json_builder_set_member_name (b, key);
  json_builder_add_double_value (b, round (value * scale) / scale);
}

static void
add_string (JsonBuilder *b,
            const char  *key,
            const char  *value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_string_value (b, value);
}

static void
add_int (JsonBuilder *b,
         const char  *key,
         gint64       value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_int_value (b, value);
}

static void
add_places (JsonBuilder *b,
            GArray      *places,
            gboolean     shelters)
{
  json_builder_begin_array (b);
  for (guint i = 0; i < places->len; i++)
    {
      const SabanImpactPlace *p = &g_array_index (places, SabanImpactPlace, i);

      json_builder_begin_object (b);
      add_string (b, "name", p->name);
      if (shelters)
        add_int (b, "capacity", p->capacity);
      if (p->distance_m > 0)
        add_double (b, "distance_m", p->distance_m, 10);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/**
 * saban_impact_to_json:
 *
 * The results as one JSON object: `area_ha`, `communes` (with
 * `population_affected`), `facilities` (per layer: `count`, `names`; null
 * for a layer not loaded), `shelters` (`count`, `capacity`, `inside`,
 * `nearest_outside`), `land` (`parcels`, `area_ha`, `area_ha_by_code`,
 * `parcels_by_code`), `sensors_in_alarm`, `reports`.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
saban_impact_to_json (SabanImpact *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  double land_ha = 0;

  json_builder_begin_object (b);
  add_double (b, "area_ha", saban_impact_area_get_area_m2 (self->area) / 1e4, 1e4);

  json_builder_set_member_name (b, "communes");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->communes->len; i++)
    {
      const SabanImpactCommune *c = &g_array_index (self->communes, SabanImpactCommune, i);

      json_builder_begin_object (b);
      add_string (b, "code", c->code);
      add_string (b, "name", c->name);
      add_int (b, "population", c->population);
      add_double (b, "fraction", c->fraction, 1e6);
      add_double (b, "population_affected", c->population_affected, 1);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_double (b, "population_affected", self->population_affected, 1);

  json_builder_set_member_name (b, "facilities");
  json_builder_begin_object (b);
  for (guint l = SABAN_IMPACT_HEALTH_FACILITIES; l < SABAN_IMPACT_N_LAYERS; l++)
    {
      json_builder_set_member_name (b, layer_table[l].name);
      if (self->found[l] == NULL)
        {
          json_builder_add_null_value (b);
          continue;
        }
      json_builder_begin_object (b);
      add_int (b, "count", self->places[l]->len);
      json_builder_set_member_name (b, "names");
      json_builder_begin_array (b);
      for (guint i = 0; i < self->places[l]->len; i++)
        json_builder_add_string_value (b, g_array_index (self->places[l], SabanImpactPlace, i).name);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "shelters");
  if (self->found[SABAN_IMPACT_SHELTERS] == NULL)
    json_builder_add_null_value (b);
  else
    {
      json_builder_begin_object (b);
      add_int (b, "count", self->places[SABAN_IMPACT_SHELTERS]->len);
      add_int (b, "capacity", self->shelter_capacity);
      json_builder_set_member_name (b, "inside");
      add_places (b, self->places[SABAN_IMPACT_SHELTERS], TRUE);
      json_builder_set_member_name (b, "nearest_outside");
      add_places (b, self->nearest_shelters, TRUE);
      json_builder_end_object (b);
    }

  json_builder_set_member_name (b, "land");
  json_builder_begin_object (b);
  add_int (b, "parcels", self->n_parcels);
  json_builder_set_member_name (b, "area_ha_by_code");
  json_builder_begin_object (b);
  for (guint i = 0; i < self->landuse->len; i++)
    {
      const SabanImpactLanduse *u = &g_array_index (self->landuse, SabanImpactLanduse, i);

      add_double (b, u->code, u->area_ha, 1e4);
      land_ha += u->area_ha;
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "parcels_by_code");
  json_builder_begin_object (b);
  for (guint i = 0; i < self->landuse->len; i++)
    add_int (b, g_array_index (self->landuse, SabanImpactLanduse, i).code,
             g_array_index (self->landuse, SabanImpactLanduse, i).n_parcels);
  json_builder_end_object (b);
  add_double (b, "area_ha", land_ha, 1e4);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "sensors_in_alarm");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->sensors->len; i++)
    {
      const SabanImpactSensor *s = &g_array_index (self->sensors, SabanImpactSensor, i);

      json_builder_begin_object (b);
      add_string (b, "name", s->name);
      add_string (b, "state", s->state == SABAN_SENSOR_STATE_DANGER ? "danger" : "alert");
      json_builder_set_member_name (b, "value");
      if (isfinite (s->value))
        json_builder_add_double_value (b, s->value);
      else
        json_builder_add_null_value (b);
      add_string (b, "unit", s->unit);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "reports");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->reports->len; i++)
    {
      const SabanImpactReport *r = &g_array_index (self->reports, SabanImpactReport, i);

      json_builder_begin_object (b);
      add_string (b, "id", r->id);
      add_string (b, "title", r->title);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
