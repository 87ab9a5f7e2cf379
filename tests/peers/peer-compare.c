/* Compares a layer that went through a peer with the same layer read from
 * the GeoPackage: counts, every attribute, the category the reader keeps,
 * and every vertex in Web Mercator.
 *
 * Geometry comes from our reader (saban_ogr_read), which is what the app
 * draws; attributes come from OGR directly on both sides, because the reader
 * keeps only the category field. The two are joined through the FID, which
 * the reader and OGR agree on for one source.
 */
#include "peer-compare.h"

#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <cpl_error.h>

typedef struct
{
  gint64 fid;
  GHashTable *values;  /* field name → value as OGR prints it */
} Row;

/* The layer's land-use code for feature @f through our reader, or NULL. */
static char *
landuse_of (SabanVectorLayer *layer,
            guint32           f)
{
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (layer);
  int field = saban_attribute_table_find_field (t, "landuse");

  return field >= 0 ? saban_attribute_table_format (t, field, f) : NULL;
}

static void
row_free (gpointer data)
{
  Row *row = data;

  g_hash_table_unref (row->values);
  g_free (row);
}

SabanVectorLayer *
peer_find_layer (GPtrArray  *layers,
                 const char *name)
{
  for (guint i = 0; i < layers->len; i++)
    if (g_str_equal (saban_vector_layer_get_name (g_ptr_array_index (layers, i)), name))
      return g_ptr_array_index (layers, i);
  return NULL;
}

/* key → Row for every feature of one layer, through OGR's feature API. */
static GHashTable *
read_rows (const char         *path,
           const char         *layer_name,
           const char         *filter,
           const char * const *key_fields)
{
  GHashTable *rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, row_free);
  GDALDatasetH ds;
  OGRLayerH layer;
  OGRFeatureH feature;

  ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  if (ds == NULL)
    g_error ("OGR cannot open %s: %s", path, CPLGetLastErrorMsg ());
  layer = GDALDatasetGetLayerByName (ds, layer_name);
  if (layer == NULL)
    g_error ("%s has no layer %s", path, layer_name);
  if (filter != NULL)
    g_assert_cmpint (OGR_L_SetAttributeFilter (layer, filter), ==, OGRERR_NONE);
  OGR_L_ResetReading (layer);

  while ((feature = OGR_L_GetNextFeature (layer)) != NULL)
    {
      OGRFeatureDefnH defn = OGR_F_GetDefnRef (feature);
      Row *row = g_new0 (Row, 1);
      g_autoptr(GString) key = g_string_new (NULL);

      row->fid = OGR_F_GetFID (feature);
      row->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (int i = 0; i < OGR_FD_GetFieldCount (defn); i++)
        if (OGR_F_IsFieldSetAndNotNull (feature, i))
          g_hash_table_insert (row->values,
                               g_strdup (OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, i))),
                               g_strdup (OGR_F_GetFieldAsString (feature, i)));

      if (key_fields == NULL)
        g_string_printf (key, "%" G_GINT64_FORMAT, row->fid);
      else
        for (const char * const *k = key_fields; *k != NULL; k++)
          {
            const char *value = g_hash_table_lookup (row->values, *k);

            if (value == NULL)
              g_error ("%s/%s: feature %" G_GINT64_FORMAT " has no %s", path, layer_name, row->fid, *k);
            g_string_append_printf (key, "%s%s", key->len > 0 ? "/" : "", value);
          }
      if (g_hash_table_contains (rows, key->str))
        g_error ("%s/%s: key %s is not unique", path, layer_name, key->str);
      g_hash_table_insert (rows, g_string_free (g_steal_pointer (&key), FALSE), row);
      OGR_F_Destroy (feature);
    }
  GDALClose (ds);
  return rows;
}

/* Equal as text, or as numbers: a server may print 577.7 as "577.70". */
static gboolean
values_equal (const char *a,
              const char *b)
{
  char *end_a, *end_b;
  double x, y;

  if (g_str_equal (a, b))
    return TRUE;
  x = g_ascii_strtod (a, &end_a);
  y = g_ascii_strtod (b, &end_b);
  if (end_a == a || *end_a != '\0' || end_b == b || *end_b != '\0')
    return FALSE;
  return fabs (x - y) <= 1e-9 * MAX (1.0, fabs (x));
}

/* fid → feature index + 1 in the reader's arrays. */
static GHashTable *
index_fids (SabanVectorLayer *layer)
{
  const SabanFeatureArrays *arrays = saban_vector_layer_get_arrays (layer);
  GHashTable *index = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint32 f = 0; f < arrays->n_features; f++)
    g_hash_table_insert (index, &arrays->fids[f], GUINT_TO_POINTER (f + 1));
  return index;
}

static guint32
feature_index (GHashTable *index,
               gint64      fid,
               const char *side)
{
  guint32 f = GPOINTER_TO_UINT (g_hash_table_lookup (index, &fid));

  if (f == 0)
    g_error ("the reader dropped feature %" G_GINT64_FORMAT " of the %s", fid, side);
  return f - 1;
}

/* Largest per-coordinate difference between two features, or +inf when
 * their parts or vertex counts differ. */
static double
geometry_difference (const SabanFeatureArrays *a,
                     guint32                   fa,
                     const SabanFeatureArrays *b,
                     guint32                   fb)
{
  guint32 n_parts = a->part_starts[fa + 1] - a->part_starts[fa];
  double worst = 0;

  if (b->part_starts[fb + 1] - b->part_starts[fb] != n_parts)
    return INFINITY;
  for (guint32 p = 0; p < n_parts; p++)
    {
      guint32 pa = a->part_starts[fa] + p, pb = b->part_starts[fb] + p;
      guint32 first_a = a->point_starts[pa], first_b = b->point_starts[pb];
      guint32 n = a->point_starts[pa + 1] - first_a;

      if (b->point_starts[pb + 1] - first_b != n)
        return INFINITY;
      for (guint32 i = 0; i < 2 * n; i++)
        worst = MAX (worst, fabs (a->xy[2 * first_a + i] - b->xy[2 * first_b + i]));
    }
  return worst;
}

/**
 * peer_compare_layer:
 *
 * Asserts that @check's layer, as @peer_layers holds it, has the features
 * of the GeoPackage layer (those @check's filter selects), with the same
 * attributes, categories and vertices within @check's tolerance.
 *
 * Returns: the largest coordinate difference seen, in metres
 */
double
peer_compare_layer (GPtrArray            *gpkg_layers,
                    const char           *gpkg_path,
                    GPtrArray            *peer_layers,
                    const char           *peer_path,
                    const PeerLayerCheck *check)
{
  SabanVectorLayer *ours = peer_find_layer (gpkg_layers, check->gpkg_layer);
  SabanVectorLayer *theirs = peer_find_layer (peer_layers, check->peer_layer);
  const SabanFeatureArrays *a, *b;
  g_autoptr(GHashTable) gpkg_rows = NULL;
  g_autoptr(GHashTable) peer_rows = NULL;
  g_autoptr(GHashTable) gpkg_index = NULL;
  g_autoptr(GHashTable) peer_index = NULL;
  GHashTableIter iter;
  gpointer key, value;
  double worst = 0;

  g_assert_nonnull (ours);
  if (theirs == NULL)
    g_error ("the reader found no layer %s in %s", check->peer_layer, peer_path);

  gpkg_rows = read_rows (gpkg_path, check->gpkg_layer, check->gpkg_filter, check->key_fields);
  peer_rows = read_rows (peer_path, check->peer_layer, NULL, check->key_fields);

  /* Counts: the peer serves exactly the selected features, and the reader
   * keeps every one of them. */
  g_assert_cmpuint (g_hash_table_size (gpkg_rows), >, 0);
  g_assert_cmpuint (g_hash_table_size (peer_rows), ==, g_hash_table_size (gpkg_rows));
  g_assert_cmpuint (saban_vector_layer_get_n_features (theirs), ==, g_hash_table_size (peer_rows));
  if (check->gpkg_filter == NULL)
    g_assert_cmpuint (saban_vector_layer_get_n_features (ours), ==, g_hash_table_size (gpkg_rows));

  g_assert_cmpint (saban_vector_layer_get_kind (theirs), ==, saban_vector_layer_get_kind (ours));
  g_assert_cmpint (saban_attribute_table_find_field (saban_vector_layer_get_attributes (theirs), "landuse") >= 0, ==,
                   saban_attribute_table_find_field (saban_vector_layer_get_attributes (ours), "landuse") >= 0);

  a = saban_vector_layer_get_arrays (ours);
  b = saban_vector_layer_get_arrays (theirs);
  gpkg_index = index_fids (ours);
  peer_index = index_fids (theirs);

  g_hash_table_iter_init (&iter, gpkg_rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const Row *row = value;
      const Row *peer_row = g_hash_table_lookup (peer_rows, key);
      GHashTableIter fields;
      gpointer field, field_value;
      guint32 fa, fb;
      double difference;

      if (peer_row == NULL)
        g_error ("%s: feature %s is missing from %s", check->peer_layer, (const char *) key, peer_path);

      g_hash_table_iter_init (&fields, row->values);
      while (g_hash_table_iter_next (&fields, &field, &field_value))
        {
          const char *theirs_value = g_hash_table_lookup (peer_row->values, field);

          if (theirs_value == NULL || !values_equal (field_value, theirs_value))
            g_error ("%s feature %s: %s is “%s” in the GeoPackage, “%s” in %s", check->peer_layer,
                     (const char *) key, (const char *) field, (const char *) field_value,
                     theirs_value != NULL ? theirs_value : "(missing)", peer_path);
        }

      fa = feature_index (gpkg_index, row->fid, "GeoPackage");
      fb = feature_index (peer_index, peer_row->fid, "peer");
      {
        g_autofree char *theirs_landuse = landuse_of (theirs, fb);
        g_autofree char *ours_landuse = landuse_of (ours, fa);

        /* What styles colour by, as our reader read it from each side. */
        g_assert_cmpstr (theirs_landuse, ==, ours_landuse);
      }

      difference = geometry_difference (a, fa, b, fb);
      if (difference > check->tolerance_m)
        g_error ("%s feature %s: vertices differ by %g m (tolerance %g m)", check->peer_layer,
                 (const char *) key, difference, check->tolerance_m);
      worst = MAX (worst, difference);
    }

  g_test_message ("%s: %u features, attributes equal, vertices within %.3g m", check->peer_layer,
                  g_hash_table_size (peer_rows), worst);
  return worst;
}
