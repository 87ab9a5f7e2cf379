/* saban-vector-layer.c: one loaded layer, immutable once made.
 *
 * Geometry is kept as compact arrays already projected to Web Mercator, so
 * drawing a tile is array walking with no per-feature objects; the spatial
 * index is built once, here, off the main thread by whoever loads the layer.
 */
#include "saban-vector-layer.h"

#include <math.h>
#include <string.h>

struct _SabanVectorLayer
{
  GObject parent_instance;

  char *name;
  char *source;
  char *source_crs;
  char *source_crs_name;
  SabanGeometryKind kind;
  SabanFeatureArrays arrays;
  SabanSpatialIndex *index;
  double extent[4];
  GDateTime *loaded_at;
  gboolean subset;
};

G_DEFINE_FINAL_TYPE (SabanVectorLayer, saban_vector_layer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_SOURCE,
  PROP_N_FEATURES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
saban_feature_arrays_clear (SabanFeatureArrays *arrays)
{
  g_clear_pointer (&arrays->part_starts, g_free);
  g_clear_pointer (&arrays->point_starts, g_free);
  g_clear_pointer (&arrays->xy, g_free);
  g_clear_pointer (&arrays->boxes, g_free);
  g_clear_pointer (&arrays->fids, g_free);
  g_clear_pointer (&arrays->attributes, saban_attribute_table_free);
  arrays->n_features = arrays->n_parts = arrays->n_points = 0;
}

static void
saban_vector_layer_finalize (GObject *object)
{
  SabanVectorLayer *self = (SabanVectorLayer *) object;

  g_free (self->name);
  g_free (self->source);
  g_free (self->source_crs);
  g_free (self->source_crs_name);
  saban_feature_arrays_clear (&self->arrays);
  g_clear_pointer (&self->index, saban_spatial_index_free);
  g_clear_pointer (&self->loaded_at, g_date_time_unref);

  G_OBJECT_CLASS (saban_vector_layer_parent_class)->finalize (object);
}

static void
saban_vector_layer_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SabanVectorLayer *self = SABAN_VECTOR_LAYER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;
    case PROP_N_FEATURES:
      g_value_set_uint (value, self->arrays.n_features);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_vector_layer_class_init (SabanVectorLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = saban_vector_layer_finalize;
  object_class->get_property = saban_vector_layer_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
    g_param_spec_string ("source", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_FEATURES] =
    g_param_spec_uint ("n-features", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
saban_vector_layer_init (SabanVectorLayer *self)
{
}

/**
 * saban_vector_layer_new:
 * @name: the layer's name in its source
 * @source: the file or connection it came from
 * @source_crs: the definition of the CRS the data came in ("EPSG:9208", WKT)
 * @source_crs_name: that CRS's name
 * @arrays: (transfer full): the features and their attributes; emptied by this call
 *
 * Builds the spatial index too: call it from a worker thread.
 *
 * Returns: (transfer full): a new layer
 */
SabanVectorLayer *
saban_vector_layer_new (const char         *name,
                        const char         *source,
                        const char         *source_crs,
                        const char         *source_crs_name,
                        SabanGeometryKind   kind,
                        SabanFeatureArrays *arrays)
{
  SabanVectorLayer *self = g_object_new (SABAN_TYPE_VECTOR_LAYER, NULL);

  self->name = g_strdup (name);
  self->source = g_strdup (source);
  self->source_crs = g_strdup (source_crs);
  self->source_crs_name = g_strdup (source_crs_name);
  self->kind = kind;
  self->arrays = *arrays;
  memset (arrays, 0, sizeof *arrays);
  if (self->arrays.attributes == NULL)
    self->arrays.attributes = saban_attribute_table_new ();

  self->extent[0] = self->extent[1] = INFINITY;
  self->extent[2] = self->extent[3] = -INFINITY;
  for (guint32 f = 0; f < self->arrays.n_features; f++)
    {
      const double *b = self->arrays.boxes + 4 * (gsize) f;
      self->extent[0] = MIN (self->extent[0], b[0]);
      self->extent[1] = MIN (self->extent[1], b[1]);
      self->extent[2] = MAX (self->extent[2], b[2]);
      self->extent[3] = MAX (self->extent[3], b[3]);
    }
  self->index = saban_spatial_index_new (self->arrays.boxes, self->arrays.n_features);
  self->loaded_at = g_date_time_new_now_local ();
  return self;
}

/**
 * saban_vector_layer_new_subset:
 * @features: (array length=n_features): features of @self, in the order wanted
 *
 * A layer of some of @self's features (a selection, the features a check
 * found): the same source, name, CRS, feature ids and attributes, so that
 * exporting it reads those features from the source again. Builds an index:
 * call it from a worker thread for many features.
 *
 * Returns: (transfer full): the new layer
 */
SabanVectorLayer *
saban_vector_layer_new_subset (SabanVectorLayer *self,
                               const guint32    *features,
                               guint32           n_features)
{
  const SabanFeatureArrays *from = &self->arrays;
  SabanFeatureArrays to = { 0 };
  g_autoptr(GArray) part_starts = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) point_starts = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) xy = g_array_new (FALSE, FALSE, sizeof (double));
  SabanVectorLayer *subset;
  guint32 end;

  g_return_val_if_fail (SABAN_IS_VECTOR_LAYER (self), NULL);

  to.n_features = n_features;
  to.boxes = g_new (double, 4 * (gsize) MAX (n_features, 1));
  to.fids = g_new (gint64, MAX (n_features, 1));
  to.attributes = saban_attribute_table_new_like (from->attributes);
  for (guint32 i = 0; i < n_features; i++)
    {
      guint32 f = features[i];

      g_return_val_if_fail (f < from->n_features, NULL);
      g_array_append_val (part_starts, point_starts->len);
      for (guint32 part = from->part_starts[f]; part < from->part_starts[f + 1]; part++)
        {
          guint32 start = xy->len / 2, first = from->point_starts[part], last = from->point_starts[part + 1];

          g_array_append_val (point_starts, start);
          g_array_append_vals (xy, from->xy + 2 * (gsize) first, 2 * (last - first));
        }
      memcpy (to.boxes + 4 * (gsize) i, from->boxes + 4 * (gsize) f, 4 * sizeof (double));
      to.fids[i] = from->fids[f];
      saban_attribute_table_append_row (to.attributes, from->attributes, f);
    }
  end = point_starts->len;
  g_array_append_val (part_starts, end);
  end = xy->len / 2;
  g_array_append_val (point_starts, end);
  to.n_parts = point_starts->len - 1;
  to.n_points = xy->len / 2;
  to.part_starts = (guint32 *) g_array_free (g_steal_pointer (&part_starts), FALSE);
  to.point_starts = (guint32 *) g_array_free (g_steal_pointer (&point_starts), FALSE);
  to.xy = (double *) g_array_free (g_steal_pointer (&xy), FALSE);

  subset = saban_vector_layer_new (self->name, self->source, self->source_crs, self->source_crs_name, self->kind, &to);
  subset->subset = TRUE;
  return subset;
}

/**
 * saban_vector_layer_is_subset:
 *
 * Returns: whether the layer holds only some of its source layer's features
 *   (saban_vector_layer_new_subset()): a workspace does not keep it
 */
gboolean
saban_vector_layer_is_subset (SabanVectorLayer *self)
{
  g_return_val_if_fail (SABAN_IS_VECTOR_LAYER (self), FALSE);
  return self->subset;
}

const char *
saban_vector_layer_get_name (SabanVectorLayer *self)
{
  g_return_val_if_fail (SABAN_IS_VECTOR_LAYER (self), NULL);
  return self->name;
}

const char *
saban_vector_layer_get_source (SabanVectorLayer *self)
{
  g_return_val_if_fail (SABAN_IS_VECTOR_LAYER (self), NULL);
  return self->source;
}

const char *
saban_vector_layer_get_source_crs_name (SabanVectorLayer *self)
{
  g_return_val_if_fail (SABAN_IS_VECTOR_LAYER (self), NULL);
  return self->source_crs_name;
}

SabanGeometryKind
saban_vector_layer_get_kind (SabanVectorLayer *self)
{
  g_return_val_if_fail (SABAN_IS_VECTOR_LAYER (self), SABAN_GEOMETRY_POINT);
  return self->kind;
}

/**
 * saban_vector_layer_get_source_crs:
 *
 * Returns: the definition of the CRS the data came in, as PROJ takes it
 */
const char *
saban_vector_layer_get_source_crs (SabanVectorLayer *self)
{
  g_return_val_if_fail (SABAN_IS_VECTOR_LAYER (self), NULL);
  return self->source_crs;
}

/**
 * saban_vector_layer_get_attributes:
 *
 * Returns: (transfer none): one row per feature, in feature order
 */
const SabanAttributeTable *
saban_vector_layer_get_attributes (SabanVectorLayer *self)
{
  g_return_val_if_fail (SABAN_IS_VECTOR_LAYER (self), NULL);
  return self->arrays.attributes;
}

/**
 * saban_vector_layer_get_arrays:
 *
 * Returns: (transfer none): the features; never changes, safe to read from any thread
 */
const SabanFeatureArrays *
saban_vector_layer_get_arrays (SabanVectorLayer *self)
{
  g_return_val_if_fail (SABAN_IS_VECTOR_LAYER (self), NULL);
  return &self->arrays;
}

/**
 * saban_vector_layer_get_index:
 *
 * Returns: (transfer none): the spatial index over the features' boxes
 */
const SabanSpatialIndex *
saban_vector_layer_get_index (SabanVectorLayer *self)
{
  g_return_val_if_fail (SABAN_IS_VECTOR_LAYER (self), NULL);
  return self->index;
}

guint32
saban_vector_layer_get_n_features (SabanVectorLayer *self)
{
  g_return_val_if_fail (SABAN_IS_VECTOR_LAYER (self), 0);
  return self->arrays.n_features;
}

/**
 * saban_vector_layer_get_extent:
 *
 * Returns: %FALSE if the layer has no features
 */
gboolean
saban_vector_layer_get_extent (SabanVectorLayer *self,
                               double           *min_x,
                               double           *min_y,
                               double           *max_x,
                               double           *max_y)
{
  g_return_val_if_fail (SABAN_IS_VECTOR_LAYER (self), FALSE);

  if (self->arrays.n_features == 0)
    return FALSE;
  *min_x = self->extent[0];
  *min_y = self->extent[1];
  *max_x = self->extent[2];
  *max_y = self->extent[3];
  return TRUE;
}

typedef struct
{
  SabanVectorLayer *self;
  double x, y, tolerance;
  gint64 found;
  double best;
} HitData;

static double
segment_distance (double px, double py,
                  double ax, double ay,
                  double bx, double by)
{
  double dx = bx - ax, dy = by - ay;
  double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;

  t = CLAMP (t, 0, 1);
  return hypot (px - (ax + t * dx), py - (ay + t * dy));
}

/* Even-odd rule over all the feature's rings, so holes are not hits. */
static gboolean
polygon_contains (const SabanFeatureArrays *a,
                  guint32                   f,
                  double                    x,
                  double                    y)
{
  gboolean inside = FALSE;

  for (guint32 part = a->part_starts[f]; part < a->part_starts[f + 1]; part++)
    {
      guint32 first = a->point_starts[part], last = a->point_starts[part + 1];

      for (guint32 i = first, j = last - 1; i < last; j = i++)
        {
          double xi = a->xy[2 * i], yi = a->xy[2 * i + 1];
          double xj = a->xy[2 * j], yj = a->xy[2 * j + 1];

          if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
            inside = !inside;
        }
    }
  return inside;
}

static double
feature_distance (const SabanFeatureArrays *a,
                  SabanGeometryKind         kind,
                  guint32                   f,
                  double                    x,
                  double                    y)
{
  double best = INFINITY;

  if (kind == SABAN_GEOMETRY_POLYGON && polygon_contains (a, f, x, y))
    return 0;
  for (guint32 part = a->part_starts[f]; part < a->part_starts[f + 1]; part++)
    {
      guint32 first = a->point_starts[part], last = a->point_starts[part + 1];

      if (last - first == 1)
        best = MIN (best, hypot (x - a->xy[2 * first], y - a->xy[2 * first + 1]));
      for (guint32 i = first; i + 1 < last; i++)
        best = MIN (best, segment_distance (x, y, a->xy[2 * i], a->xy[2 * i + 1],
                                            a->xy[2 * i + 2], a->xy[2 * i + 3]));
    }
  return best;
}

static gboolean
hit_candidate (guint32  f,
               gpointer user_data)
{
  HitData *hit = user_data;
  double d = feature_distance (&hit->self->arrays, hit->self->kind, f, hit->x, hit->y);

  /* Ties (nested polygons) go to the smaller feature: the one users aim at. */
  if (d <= hit->tolerance && (d < hit->best ||
      (d == hit->best && hit->found >= 0 &&
       (hit->self->arrays.boxes[4 * f + 2] - hit->self->arrays.boxes[4 * f]) <
       (hit->self->arrays.boxes[4 * hit->found + 2] - hit->self->arrays.boxes[4 * hit->found]))))
    {
      hit->best = d;
      hit->found = f;
    }
  return TRUE;
}

/**
 * saban_vector_layer_hit_test:
 * @x: Web Mercator x
 * @y: Web Mercator y
 * @tolerance: how far, in Mercator metres, a line or point may be and still be hit
 *
 * Returns: the feature under (@x, @y) — inside a polygon, or within
 *   @tolerance of a line or point — or -1
 */
gint64
saban_vector_layer_hit_test (SabanVectorLayer *self,
                             double            x,
                             double            y,
                             double            tolerance)
{
  HitData hit = { self, x, y, tolerance, -1, INFINITY };

  g_return_val_if_fail (SABAN_IS_VECTOR_LAYER (self), -1);

  saban_spatial_index_query (self->index, x - tolerance, y - tolerance, x + tolerance, y + tolerance,
                             hit_candidate, &hit);
  return hit.found;
}

/**
 * saban_vector_layer_get_loaded_at:
 *
 * Returns: (transfer none): when the features were read from the source
 */
GDateTime *
saban_vector_layer_get_loaded_at (SabanVectorLayer *self)
{
  g_return_val_if_fail (SABAN_IS_VECTOR_LAYER (self), NULL);
  return self->loaded_at;
}

/**
 * saban_vector_layer_is_remote:
 *
 * Returns: whether the layer came from a server (PostGIS, WFS, OGC API –
 *   Features) rather than a file, and so can go stale
 */
gboolean
saban_vector_layer_is_remote (SabanVectorLayer *self)
{
  g_return_val_if_fail (SABAN_IS_VECTOR_LAYER (self), FALSE);
  return g_str_has_prefix (self->source, "PG:") || g_str_has_prefix (self->source, "OAPIF:") ||
         g_str_has_prefix (self->source, "WFS:") || g_str_has_prefix (self->source, "http");
}
