/* saban-landuse-conflict.c: where the land is used otherwise than planned —
 * the planner's first question.
 *
 * Each zone of the plan is read again from its source (its exact rings, not
 * the map's flattened arrays), made a SabanImpactArea, and asked what the
 * current layer's features of another land-use code hold inside it: a
 * feature wholly inside adds its whole area, one across the zone's edge is
 * clipped (SabanImpactArea's grid and clipping, the impact analysis's). The
 * sums go by pair of codes (current, planned). The current layer may be
 * parcels (plan against land use) or another plan (two versions).
 *
 * Areas are on the WGS 84 ellipsoid, as everywhere in Sa Bàn.
 */
#include "saban-landuse-conflict.h"

#include <glib/gi18n-lib.h>
#include <ogr_api.h>

#include "saban-error.h"
#include "saban-impact-area.h"
#include "saban-landuse.h"
#include "saban-measure.h"
#include "saban-ogr-reader.h"
#include "saban-transform.h"

/* A piece thinner on average than this along the feature's boundary is
 * where two layers' shared edges differ by a rounding (a few centimetres
 * between two surveys, or the map's reprojection), not a conflict. */
#define SLIVER_WIDTH_M 0.05

struct _SabanLanduseConflict
{
  GObject parent_instance;

  SabanVectorLayer *plan;
  SabanVectorLayer *current;
  char *plan_field;
  char *current_field;

  GArray *pairs;      /* SabanLanduseConflictPair, largest first */
  GArray *parcels;    /* guint32: the current layer's features in conflict, in order */
  double area_ha;
  double checked_ha;
  guint n_skipped;
};

G_DEFINE_FINAL_TYPE (SabanLanduseConflict, saban_landuse_conflict, G_TYPE_OBJECT)

static void
pair_clear (gpointer data)
{
  SabanLanduseConflictPair *pair = data;

  g_free (pair->current);
  g_free (pair->planned);
}

static void
saban_landuse_conflict_finalize (GObject *object)
{
  SabanLanduseConflict *self = SABAN_LANDUSE_CONFLICT (object);

  g_clear_object (&self->plan);
  g_clear_object (&self->current);
  g_free (self->plan_field);
  g_free (self->current_field);
  g_array_unref (self->pairs);
  g_array_unref (self->parcels);
  G_OBJECT_CLASS (saban_landuse_conflict_parent_class)->finalize (object);
}

static void
saban_landuse_conflict_class_init (SabanLanduseConflictClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_landuse_conflict_finalize;
}

static void
saban_landuse_conflict_init (SabanLanduseConflict *self)
{
  self->pairs = g_array_new (FALSE, TRUE, sizeof (SabanLanduseConflictPair));
  g_array_set_clear_func (self->pairs, pair_clear);
  self->parcels = g_array_new (FALSE, FALSE, sizeof (guint32));
}

/**
 * saban_landuse_conflict_new:
 * @plan: the plan: polygons with a planned land-use code each
 * @plan_field: (nullable): its land-use field; %NULL to find it
 * @current: what is there now: parcels, or another version of the plan
 * @current_field: (nullable): its land-use field; %NULL to find it
 *
 * Nothing is computed until saban_landuse_conflict_compute(); @plan must
 * have a source GDAL can open again (its zones are read from it).
 *
 * Returns: (transfer full): a new check
 */
SabanLanduseConflict *
saban_landuse_conflict_new (SabanVectorLayer *plan,
                            const char       *plan_field,
                            SabanVectorLayer *current,
                            const char       *current_field)
{
  SabanLanduseConflict *self = g_object_new (SABAN_TYPE_LANDUSE_CONFLICT, NULL);

  self->plan = g_object_ref (plan);
  self->current = g_object_ref (current);
  self->plan_field = g_strdup (plan_field);
  self->current_field = g_strdup (current_field);
  return self;
}

static int
resolve_field (SabanVectorLayer  *layer,
               const char        *name,
               GError           **error)
{
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (layer);
  int field = name != NULL ? saban_attribute_table_find_field (t, name) : saban_landuse_find_field (t, NULL);

  if (field >= 0)
    return field;
  if (name != NULL)
    g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("Layer “%s” has no field “%s”"),
                 saban_vector_layer_get_name (layer), name);
  else
    g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID,
                 _("No field of layer “%s” holds land-use codes of Circular 08/2024: choose the field"),
                 saban_vector_layer_get_name (layer));
  return -1;
}

/* Every feature's code, trimmed and upper-cased, interned; NULL for none. */
static const char **
codes_of (SabanVectorLayer *layer,
          int               field)
{
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (layer);
  guint32 n = saban_vector_layer_get_n_features (layer);
  const char **codes = g_new0 (const char *, MAX (n, 1));

  for (guint32 f = 0; f < n; f++)
    {
      g_autofree char *code = saban_landuse_code_of (t, field, f);

      codes[f] = *code != '\0' ? g_intern_string (code) : NULL;
    }
  return codes;
}

typedef struct
{
  SabanLanduseConflict *self;
  const char **current_codes;
  GHashTable *pair_index;     /* "CUR\tPLAN" → position + 1 */
  GHashTable *pair_parcels;   /* (pair << 32 | parcel) seen */
  GHashTable *in_conflict;    /* parcels seen */
} Sums;

static SabanLanduseConflictPair *
pair_for (Sums       *sums,
          const char *current,
          const char *planned,
          guint      *position)
{
  g_autofree char *key = g_strdup_printf ("%s\t%s", current, planned);
  guint at = GPOINTER_TO_UINT (g_hash_table_lookup (sums->pair_index, key));

  if (at == 0)
    {
      SabanLanduseConflictPair fresh = { g_strdup (current), g_strdup (planned), 0, 0 };

      g_array_append_val (sums->self->pairs, fresh);
      at = sums->self->pairs->len;
      g_hash_table_insert (sums->pair_index, g_steal_pointer (&key), GUINT_TO_POINTER (at));
    }
  *position = at - 1;
  return &g_array_index (sums->self->pairs, SabanLanduseConflictPair, at - 1);
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

static double
perimeter_of (SabanVectorLayer *layer,
              guint32           feature)
{
  double area, length;

  saban_measure_feature (layer, feature, &area, &length);
  return length;
}

/* The current layer's features of another code inside @zone. */
static void
check_zone (Sums            *sums,
            SabanImpactArea *zone,
            const char      *planned,
            GCancellable    *cancellable)
{
  SabanVectorLayer *current = sums->self->current;
  const SabanFeatureArrays *a = saban_vector_layer_get_arrays (current);
  Collect c = { g_array_new (FALSE, FALSE, sizeof (guint32)), cancellable };
  double min_x, min_y, max_x, max_y;

  saban_impact_area_get_bounds (zone, &min_x, &min_y, &max_x, &max_y);
  saban_spatial_index_query (saban_vector_layer_get_index (current), min_x, min_y, max_x, max_y, collect_item, &c);
  for (guint i = 0; i < c.items->len; i++)
    {
      guint32 f = g_array_index (c.items, guint32, i);
      const char *code = sums->current_codes[f];
      const double *box = &a->boxes[4 * (gsize) f];
      SabanLanduseConflictPair *pair;
      double area;
      guint position;
      gint64 key;

      if (code == NULL || code == planned)   /* interned: equal codes are one pointer */
        continue;
      switch (saban_impact_area_place_box (zone, box[0], box[1], box[2], box[3]))
        {
        case SABAN_IMPACT_AREA_OUTSIDE:
          continue;
        case SABAN_IMPACT_AREA_INSIDE:
          area = saban_measure_feature_local_area (current, f);
          break;
        case SABAN_IMPACT_AREA_BOUNDARY:
        default:
          area = saban_impact_area_clip_feature (zone, a, f);
          break;
        }
      if (area < SLIVER_WIDTH_M * perimeter_of (current, f))
        continue;
      pair = pair_for (sums, code, planned, &position);
      pair->area_ha += area / 1e4;
      key = ((gint64) position << 32) | f;
      if (!g_hash_table_contains (sums->pair_parcels, &key))
        {
          gint64 *copy = g_memdup2 (&key, sizeof key);

          g_hash_table_add (sums->pair_parcels, copy);
          pair->n_parcels++;
        }
      g_hash_table_add (sums->in_conflict, GUINT_TO_POINTER (f + 1));
      sums->self->area_ha += area / 1e4;
    }
  g_array_unref (c.items);
}

static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  double x = ((const SabanLanduseConflictPair *) a)->area_ha, y = ((const SabanLanduseConflictPair *) b)->area_ha;

  return x > y ? -1 : x < y;
}

static int
compare_indices (gconstpointer a,
                 gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return (x > y) - (x < y);
}

static void
clear_results (SabanLanduseConflict *self)
{
  g_array_set_size (self->pairs, 0);
  g_array_set_size (self->parcels, 0);
  self->area_ha = self->checked_ha = 0;
  self->n_skipped = 0;
}

/* Reads the plan's zones from its source and checks each as it comes. */
static gboolean
check_zones (SabanLanduseConflict *self,
             Sums                 *sums,
             const char          **planned_codes,
             GCancellable         *cancellable,
             const SabanProgress  *progress,
             GError              **error)
{
  const SabanFeatureArrays *plan = saban_vector_layer_get_arrays (self->plan);
  g_autoptr(SabanOgrSource) source = saban_ogr_source_open (saban_vector_layer_get_source (self->plan), error);
  g_autoptr(SabanTransform) to_wgs84 = NULL;
  g_autoptr(GHashTable) by_fid = g_hash_table_new (g_int64_hash, g_int64_equal);
  OGRLayerH layer;
  OGRFeatureH f;
  guint done = 0;

  if (source == NULL ||
      (to_wgs84 = saban_transform_new (saban_vector_layer_get_source_crs (self->plan), "EPSG:4326", error)) == NULL)
    return FALSE;
  layer = GDALDatasetGetLayerByName (saban_ogr_source_get_dataset (source), saban_vector_layer_get_name (self->plan));
  if (layer == NULL)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_NO_DATA, _("“%s” no longer holds the layer “%s”"),
                   saban_ogr_source_get_shown (source), saban_vector_layer_get_name (self->plan));
      return FALSE;
    }
  for (guint32 i = 0; i < plan->n_features; i++)
    if (planned_codes[i] != NULL)
      g_hash_table_insert (by_fid, &plan->fids[i], GUINT_TO_POINTER (i + 1));
  OGR_L_ResetReading (layer);
  while ((f = OGR_L_GetNextFeature (layer)) != NULL)
    {
      gint64 fid = OGR_F_GetFID (f);
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (by_fid, &fid));
      OGRGeometryH geometry = OGR_F_GetGeometryRef (f);

      if (index > 0 && geometry != NULL)
        {
          g_autoptr(SabanImpactArea) zone = saban_impact_area_new_from_geometry (geometry, to_wgs84, NULL);

          if (zone == NULL)
            self->n_skipped++;
          else
            {
              check_zone (sums, zone, planned_codes[index - 1], cancellable);
              self->checked_ha += saban_impact_area_get_area_m2 (zone) / 1e4;
            }
          saban_progress_report (progress, (double) ++done / g_hash_table_size (by_fid),
                                 saban_vector_layer_get_name (self->plan));
        }
      OGR_F_Destroy (f);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
compute (SabanLanduseConflict *self,
         GCancellable         *cancellable,
         const SabanProgress  *progress,
         GError              **error)
{
  int plan_field, current_field;
  g_autofree const char **planned_codes = NULL;
  g_autofree const char **current_codes = NULL;
  g_autoptr(GHashTable) pair_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) pair_parcels = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) in_conflict = g_hash_table_new (g_direct_hash, g_direct_equal);
  Sums sums;
  GHashTableIter iter;
  gpointer key;

  clear_results (self);
  if (saban_vector_layer_get_kind (self->plan) != SABAN_GEOMETRY_POLYGON ||
      saban_vector_layer_get_kind (self->current) != SABAN_GEOMETRY_POLYGON)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("Both layers must hold polygons"));
      return FALSE;
    }
  if ((plan_field = resolve_field (self->plan, self->plan_field, error)) < 0 ||
      (current_field = resolve_field (self->current, self->current_field, error)) < 0)
    return FALSE;
  planned_codes = codes_of (self->plan, plan_field);
  current_codes = codes_of (self->current, current_field);
  sums = (Sums) { self, current_codes, pair_index, pair_parcels, in_conflict };
  if (!check_zones (self, &sums, planned_codes, cancellable, progress, error))
    {
      clear_results (self);
      return FALSE;
    }
  g_array_sort (self->pairs, compare_pairs);
  g_hash_table_iter_init (&iter, in_conflict);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint32 f = GPOINTER_TO_UINT (key) - 1;

      g_array_append_val (self->parcels, f);
    }
  g_array_sort (self->parcels, compare_indices);
  return TRUE;
}

/**
 * saban_landuse_conflict_compute:
 * @progress: (nullable) (scope call): called with the share of zones checked
 *
 * Blocking; any thread, one at a time per object.
 *
 * Returns: %FALSE with @error set (translated) when a layer is unsuitable,
 *   the plan's source cannot be read again, or when cancelled
 */
gboolean
saban_landuse_conflict_compute (SabanLanduseConflict *self,
                                GCancellable         *cancellable,
                                SabanProgressFunc     progress,
                                gpointer              progress_data,
                                GError              **error)
{
  SabanProgress proto = { progress, progress_data, NULL };

  return compute (self, cancellable, &proto, error);
}

typedef struct
{
  SabanProgressFunc progress;
  gpointer progress_data;
  GDestroyNotify progress_destroy;
} ComputeData;

static void
compute_data_free (gpointer user_data)
{
  ComputeData *data = user_data;

  if (data->progress_destroy != NULL)
    data->progress_destroy (data->progress_data);
  g_free (data);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ComputeData *data = task_data;
  SabanProgress proto = { data->progress, data->progress_data, g_task_get_context (task) };
  GError *error = NULL;

  if (compute (source_object, cancellable, &proto, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * saban_landuse_conflict_compute_async:
 * @progress: (nullable): called on the caller's main context
 *
 * saban_landuse_conflict_compute() in a worker thread; leave @self alone
 * until @callback runs.
 */
void
saban_landuse_conflict_compute_async (SabanLanduseConflict *self,
                                      GCancellable         *cancellable,
                                      SabanProgressFunc     progress,
                                      gpointer              progress_data,
                                      GDestroyNotify        progress_destroy,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ComputeData *data = g_new0 (ComputeData, 1);

  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_destroy = progress_destroy;
  g_task_set_source_tag (task, saban_landuse_conflict_compute_async);
  g_task_set_task_data (task, data, compute_data_free);
  g_task_run_in_thread (task, compute_thread);
}

gboolean
saban_landuse_conflict_compute_finish (SabanLanduseConflict *self,
                                       GAsyncResult         *result,
                                       GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * saban_landuse_conflict_get_plan:
 *
 * Returns: (transfer none): the plan
 */
SabanVectorLayer *
saban_landuse_conflict_get_plan (SabanLanduseConflict *self)
{
  return self->plan;
}

/**
 * saban_landuse_conflict_get_current:
 *
 * Returns: (transfer none): the layer compared with the plan
 */
SabanVectorLayer *
saban_landuse_conflict_get_current (SabanLanduseConflict *self)
{
  return self->current;
}

/**
 * saban_landuse_conflict_get_pairs:
 *
 * Returns: (array length=n_pairs): the pairs of codes that differ, most
 *   area first
 */
const SabanLanduseConflictPair *
saban_landuse_conflict_get_pairs (SabanLanduseConflict *self,
                                  guint                *n_pairs)
{
  *n_pairs = self->pairs->len;
  return (const SabanLanduseConflictPair *) self->pairs->data;
}

/**
 * saban_landuse_conflict_get_area_ha:
 *
 * Returns: the area, in hectares, used otherwise than planned
 */
double
saban_landuse_conflict_get_area_ha (SabanLanduseConflict *self)
{
  return self->area_ha;
}

/**
 * saban_landuse_conflict_get_checked_ha:
 *
 * Returns: the area of the plan's zones checked, in hectares
 */
double
saban_landuse_conflict_get_checked_ha (SabanLanduseConflict *self)
{
  return self->checked_ha;
}

/**
 * saban_landuse_conflict_get_parcels:
 *
 * Returns: (transfer none) (element-type guint32): the current layer's
 *   features with some area in conflict, by index, in order
 */
GArray *
saban_landuse_conflict_get_parcels (SabanLanduseConflict *self)
{
  return self->parcels;
}

/**
 * saban_landuse_conflict_get_n_skipped:
 *
 * Returns: zones that could not be checked (a geometry GEOS cannot mend)
 */
guint
saban_landuse_conflict_get_n_skipped (SabanLanduseConflict *self)
{
  return self->n_skipped;
}
