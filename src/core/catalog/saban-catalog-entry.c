/* saban-catalog-entry.c: one row of the data catalogue (Danh mục dữ liệu):
 * a layer or a server collection, what its keeper says of it, and whether
 * it is "đúng, đủ, sạch, sống" (correct, complete, clean, live).
 *
 * The keeper's word is the source's `saban_catalog` table (layer, title,
 * owner, update_frequency as an ISO 8601 duration, last_update, lineage,
 * required_fields, id_fields, domains), else what the source says of itself
 * (a GeoPackage's last change and description, a file's time). The checks:
 *
 *   completeness   the required fields filled (default: the identifier, the
 *                  land-use code and the name, where the layer has them);
 *   geometry       none empty, none invalid (GEOS, on the source's own
 *                  geometries, read again: the map's arrays drop empty ones);
 *   extent         none wholly outside the province;
 *   identifiers    no two features with one identifier;
 *   domains        land-use codes of Circular 08/2024, commune codes of the
 *                  province's communes (Decision 19/2025);
 *   freshness      updated within the promised interval (amber up to twice).
 *
 * A check that finds nothing is green; offending features up to 1 % of the
 * layer are amber, more are red; the entry takes its worst check's state.
 *
 * Over a thousand lines: the entry and its seven quality checks read one
 * source in one pass and share its field lookups; a check per file would
 * open the source again for each.
 */
#include "saban-catalog-entry.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <ogr_api.h>
#include <string.h>

#include "saban-error.h"
#include "saban-impact-area.h"
#include "saban-landuse.h"
#include "saban-ogr-reader.h"

#define AMBER_SHARE 0.01
#define MAX_TEXT 4096

struct _SabanCatalogEntry
{
  GObject parent_instance;

  SabanVectorLayer *layer;     /* NULL for a collection not loaded */
  char *id;
  char *title;
  SabanCatalogMetadata metadata;
  gint64 n_features;
  gboolean checked;
  SabanQualityState state;
  GArray *findings;            /* SabanQualityFinding */
};

G_DEFINE_FINAL_TYPE (SabanCatalogEntry, saban_catalog_entry, G_TYPE_OBJECT)

static void
finding_clear (gpointer data)
{
  SabanQualityFinding *f = data;

  g_free (f->field);
  g_clear_pointer (&f->features, g_array_unref);
  g_free (f->summary);
}

static void
metadata_clear (SabanCatalogMetadata *m)
{
  g_clear_pointer (&m->title, g_free);
  g_clear_pointer (&m->owner, g_free);
  g_clear_pointer (&m->update_frequency, g_free);
  g_clear_pointer (&m->last_update, g_date_time_unref);
  g_clear_pointer (&m->lineage, g_free);
  g_clear_pointer (&m->required_fields, g_strfreev);
  g_clear_pointer (&m->id_fields, g_strfreev);
  g_clear_pointer (&m->domains, g_strfreev);
}

static void
saban_catalog_entry_finalize (GObject *object)
{
  SabanCatalogEntry *self = SABAN_CATALOG_ENTRY (object);

  g_clear_object (&self->layer);
  g_free (self->id);
  g_free (self->title);
  metadata_clear (&self->metadata);
  g_array_unref (self->findings);
  G_OBJECT_CLASS (saban_catalog_entry_parent_class)->finalize (object);
}

static void
saban_catalog_entry_class_init (SabanCatalogEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_catalog_entry_finalize;
}

static void
saban_catalog_entry_init (SabanCatalogEntry *self)
{
  self->findings = g_array_new (FALSE, TRUE, sizeof (SabanQualityFinding));
  g_array_set_clear_func (self->findings, finding_clear);
  self->n_features = -1;
}

/**
 * saban_catalog_entry_new_for_layer:
 * @title: the name users know the layer by
 *
 * Returns: (transfer full): an entry for a loaded layer, not checked yet
 */
SabanCatalogEntry *
saban_catalog_entry_new_for_layer (SabanVectorLayer *layer,
                                   const char       *title)
{
  SabanCatalogEntry *self = g_object_new (SABAN_TYPE_CATALOG_ENTRY, NULL);

  self->layer = g_object_ref (layer);
  self->id = g_strdup (saban_vector_layer_get_name (layer));
  self->title = g_strdup (title != NULL ? title : self->id);
  self->n_features = saban_vector_layer_get_n_features (layer);
  return self;
}

/**
 * saban_catalog_entry_new_for_collection:
 *
 * Returns: (transfer full): an entry for a server's collection that is not
 *   loaded: listed, not checked
 */
SabanCatalogEntry *
saban_catalog_entry_new_for_collection (const char *id,
                                        const char *title,
                                        const char *description)
{
  SabanCatalogEntry *self = g_object_new (SABAN_TYPE_CATALOG_ENTRY, NULL);

  self->id = g_strdup (id);
  self->title = g_strdup (title != NULL ? title : id);
  self->metadata.lineage = g_strdup (description);
  return self;
}

/* ---------------------------------------------------------------- metadata */

static char *
text_of (OGRFeatureH  f,
         const char  *name)
{
  int i = OGR_F_GetFieldIndex (f, name);
  const char *value;

  if (i < 0 || !OGR_F_IsFieldSetAndNotNull (f, i))
    return NULL;
  value = OGR_F_GetFieldAsString (f, i);
  if (*value == '\0' || !g_utf8_validate (value, -1, NULL))
    return NULL;
  return g_utf8_make_valid (value, MIN (strlen (value), MAX_TEXT));
}

static char **
list_of (OGRFeatureH  f,
         const char  *name,
         const char  *separator)
{
  g_autofree char *text = text_of (f, name);
  char **items;

  if (text == NULL)
    return NULL;
  items = g_strsplit (text, separator, 64);
  for (guint i = 0; items[i] != NULL; i++)
    g_strstrip (items[i]);
  return items;
}

static GDateTime *
date_of (OGRFeatureH  f,
         const char  *name)
{
  int i = OGR_F_GetFieldIndex (f, name);
  int y, m, d, h, mi, tz;
  float s;

  if (i < 0 || !OGR_F_IsFieldSetAndNotNull (f, i) ||
      !OGR_F_GetFieldAsDateTimeEx (f, i, &y, &m, &d, &h, &mi, &s, &tz) || y < 1900)
    return NULL;
  return g_date_time_new_utc (y, m, d, h, mi, s);
}

static char *
quoted (const char *value)
{
  g_autoptr(GString) out = g_string_new ("'");

  for (const char *c = value; *c != '\0'; c++)
    {
      if (*c == '\'')
        g_string_append_c (out, '\'');
      g_string_append_c (out, *c);
    }
  g_string_append_c (out, '\'');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The keeper's row in `saban_catalog`. */
static void
read_catalog_table (SabanCatalogEntry *self,
                    GDALDatasetH       ds)
{
  OGRLayerH table = GDALDatasetGetLayerByName (ds, "saban_catalog");
  g_autofree char *name = quoted (self->id);
  g_autofree char *filter = g_strdup_printf ("layer = %s", name);
  OGRFeatureH f;

  if (table == NULL || OGR_L_SetAttributeFilter (table, filter) != OGRERR_NONE)
    return;
  OGR_L_ResetReading (table);
  if ((f = OGR_L_GetNextFeature (table)) == NULL)
    return;
  self->metadata.title = text_of (f, "title");
  self->metadata.owner = text_of (f, "owner");
  self->metadata.update_frequency = text_of (f, "update_frequency");
  self->metadata.last_update = date_of (f, "last_update");
  self->metadata.lineage = text_of (f, "lineage");
  self->metadata.required_fields = list_of (f, "required_fields", ",");
  self->metadata.id_fields = list_of (f, "id_fields", ",");
  self->metadata.domains = list_of (f, "domains", ";");
  OGR_F_Destroy (f);
  OGR_L_SetAttributeFilter (table, NULL);
}

/* What the source says of itself: a GeoPackage's last change and
 * description, or a file's time. */
static void
read_source_dates (SabanCatalogEntry *self,
                   GDALDatasetH       ds)
{
  const char *driver = GDALGetDriverShortName (GDALGetDatasetDriver (ds));
  const char *source = saban_vector_layer_get_source (self->layer);

  if (g_str_equal (driver, "GPKG"))
    {
      g_autofree char *name = quoted (self->id);
      g_autofree char *sql = g_strdup_printf ("SELECT last_change, description FROM gpkg_contents WHERE table_name = %s",
                                              name);
      OGRLayerH result = GDALDatasetExecuteSQL (ds, sql, NULL, "SQLite");
      OGRFeatureH f = result != NULL ? OGR_L_GetNextFeature (result) : NULL;

      if (f != NULL)
        {
          g_autofree char *changed = text_of (f, "last_change");

          if (self->metadata.last_update == NULL && changed != NULL)
            self->metadata.last_update = g_date_time_new_from_iso8601 (changed, NULL);
          if (self->metadata.lineage == NULL)
            self->metadata.lineage = text_of (f, "description");
          OGR_F_Destroy (f);
        }
      if (result != NULL)
        GDALDatasetReleaseResultSet (ds, result);
    }
  if (self->metadata.last_update == NULL && g_file_test (source, G_FILE_TEST_IS_REGULAR))
    {
      GStatBuf st;

      if (g_stat (source, &st) == 0)
        self->metadata.last_update = g_date_time_new_from_unix_utc (st.st_mtime);
    }
}

/* ------------------------------------------------------------------ checks */

static SabanQualityState
state_of (guint offending,
          guint checked)
{
  if (offending == 0)
    return SABAN_QUALITY_GREEN;
  return offending <= AMBER_SHARE * checked ? SABAN_QUALITY_AMBER : SABAN_QUALITY_RED;
}

static SabanQualityFinding *
add_finding (SabanCatalogEntry *self,
             SabanQualityCheck  check,
             const char        *field)
{
  SabanQualityFinding f = { check, SABAN_QUALITY_UNKNOWN, g_strdup (field), 0,
                            g_array_new (FALSE, FALSE, sizeof (guint32)), 0, NULL };

  g_array_append_val (self->findings, f);
  return &g_array_index (self->findings, SabanQualityFinding, self->findings->len - 1);
}

static int
field_named (const SabanAttributeTable *t,
             const char * const        *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    for (guint f = 0; f < saban_attribute_table_get_n_fields (t); f++)
      if (g_ascii_strcasecmp (saban_attribute_table_get_field_name (t, f), names[i]) == 0)
        return (int) f;
  return -1;
}

/* The layer's identifier: the keeper's, else a field or pair of fields
 * provinces use for one (map sheet and parcel number for parcels). */
static GArray *
id_fields (SabanCatalogEntry *self)
{
  static const char * const single[] = { "id", "code", "ma", "ma_dinh_danh", "madinhdanh", NULL };
  static const char * const sheets[] = { "sheet", "so_to", "soto", "to_bando", NULL };
  static const char * const parcels[] = { "parcel", "so_thua", "sothua", "thua", NULL };
  static const char * const commune_fields[] = { "commune_code", "ma_xa", "maxa", NULL };
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (self->layer);
  GArray *fields = g_array_new (FALSE, FALSE, sizeof (int));
  int f, g;

  if (self->metadata.id_fields != NULL)
    {
      for (guint i = 0; self->metadata.id_fields[i] != NULL; i++)
        if ((f = saban_attribute_table_find_field (t, self->metadata.id_fields[i])) >= 0)
          g_array_append_val (fields, f);
      return fields;
    }
  /* map sheets are numbered within a commune: the commune is part of the key */
  if ((f = field_named (t, sheets)) >= 0 && (g = field_named (t, parcels)) >= 0)
    {
      int commune = field_named (t, commune_fields);

      if (commune >= 0)
        g_array_append_val (fields, commune);
      g_array_append_val (fields, f);
      g_array_append_val (fields, g);
    }
  else if ((f = field_named (t, single)) >= 0)
    g_array_append_val (fields, f);
  return fields;
}

static char *
names_of (const SabanAttributeTable *t,
          GArray                    *fields)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  for (guint i = 0; i < fields->len; i++)
    g_strv_builder_add (names, saban_attribute_table_get_field_name (t, g_array_index (fields, int, i)));
  list = g_strv_builder_end (names);
  return g_strjoinv (", ", list);
}

static void
check_completeness (SabanCatalogEntry *self)
{
  static const char * const names[] = { "name", "ten", NULL };
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (self->layer);
  guint32 n = saban_vector_layer_get_n_features (self->layer);
  g_autoptr(GArray) fields = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree char *listed = NULL;
  SabanQualityFinding *finding;
  int f;

  if (self->metadata.required_fields != NULL)
    {
      for (guint i = 0; self->metadata.required_fields[i] != NULL; i++)
        if ((f = saban_attribute_table_find_field (t, self->metadata.required_fields[i])) >= 0)
          g_array_append_val (fields, f);
    }
  else
    {
      g_autoptr(GArray) ids = id_fields (self);

      g_array_append_vals (fields, ids->data, ids->len);
      if ((f = saban_landuse_find_field (t, NULL)) >= 0)
        g_array_append_val (fields, f);
      if ((f = field_named (t, names)) >= 0)
        g_array_append_val (fields, f);
    }
  if (fields->len == 0)
    return;
  listed = names_of (t, fields);
  finding = add_finding (self, SABAN_QUALITY_CHECK_COMPLETENESS, listed);
  for (guint32 row = 0; row < n; row++)
    for (guint i = 0; i < fields->len; i++)
      {
        int field = g_array_index (fields, int, i);
        g_autofree char *value = NULL;

        if (saban_attribute_table_is_null (t, field, row) ||
            *g_strstrip ((value = saban_attribute_table_format (t, field, row))) == '\0')
          {
            g_array_append_val (finding->features, row);
            break;
          }
      }
  finding->n_checked = n;
  finding->state = state_of (finding->features->len, n);
  finding->summary = finding->features->len == 0
    ? g_strdup_printf (_("Every feature has %s"), listed)
    : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u features lacks %s", "%u of %u features lack %s",
                                    finding->features->len), finding->features->len, n, listed);
}

/* Reads every geometry again from the source: GEOS judges them there. */
static gboolean
check_geometry (SabanCatalogEntry *self,
                GDALDatasetH       ds,
                GCancellable      *cancellable,
                GError           **error)
{
  const SabanFeatureArrays *a = saban_vector_layer_get_arrays (self->layer);
  OGRLayerH layer = GDALDatasetGetLayerByName (ds, self->id);
  g_autoptr(GHashTable) by_fid = g_hash_table_new (g_int64_hash, g_int64_equal);
  SabanQualityFinding *finding = add_finding (self, SABAN_QUALITY_CHECK_GEOMETRY, NULL);
  guint empty = 0, invalid = 0, seen = 0;
  OGRFeatureH f;

  if (layer == NULL)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_NO_DATA, _("The source no longer holds the layer “%s”"), self->id);
      return FALSE;
    }
  for (guint32 i = 0; i < a->n_features; i++)
    g_hash_table_insert (by_fid, &a->fids[i], GUINT_TO_POINTER (i + 1));
  OGR_L_SetSpatialFilter (layer, NULL);
  OGR_L_SetAttributeFilter (layer, NULL);
  OGR_L_ResetReading (layer);
  while ((f = OGR_L_GetNextFeature (layer)) != NULL)
    {
      OGRGeometryH g = OGR_F_GetGeometryRef (f);
      gint64 fid = OGR_F_GetFID (f);
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (by_fid, &fid));

      seen++;
      if (g == NULL || OGR_G_IsEmpty (g))
        {
          empty++;
          if (index == 0)
            finding->n_not_drawn++;
          else
            g_array_append_vals (finding->features, &(guint32) { index - 1 }, 1);
        }
      else if (!OGR_G_IsValid (g))
        {
          invalid++;
          if (index > 0)
            g_array_append_vals (finding->features, &(guint32) { index - 1 }, 1);
          else
            finding->n_not_drawn++;
        }
      OGR_F_Destroy (f);
      if ((seen & 1023) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  finding->n_checked = seen;
  self->n_features = seen;
  finding->state = state_of (empty + invalid, seen);
  if (empty + invalid > 0 && finding->state == SABAN_QUALITY_GREEN)
    finding->state = SABAN_QUALITY_AMBER;
  finding->summary = empty + invalid == 0
    ? g_strdup_printf (_("All %u geometries are valid"), seen)
    : g_strdup_printf (_("%u empty and %u invalid geometries among %u"), empty, invalid, seen);
  return TRUE;
}

/* The province's outline, read again from its source. */
static SabanImpactArea *
boundary_area (SabanVectorLayer  *boundary,
               GError           **error)
{
  g_autoptr(SabanOgrSource) source = saban_ogr_source_open (saban_vector_layer_get_source (boundary), error);
  g_autoptr(SabanTransform) to_wgs84 = NULL;
  OGRLayerH layer;
  OGRGeometryH all;
  OGRFeatureH f;
  SabanImpactArea *area;

  if (source == NULL ||
      (to_wgs84 = saban_transform_new (saban_vector_layer_get_source_crs (boundary), "EPSG:4326", error)) == NULL)
    return NULL;
  layer = GDALDatasetGetLayerByName (saban_ogr_source_get_dataset (source), saban_vector_layer_get_name (boundary));
  if (layer == NULL)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_NO_DATA, _("The source no longer holds the layer “%s”"),
                   saban_vector_layer_get_name (boundary));
      return NULL;
    }
  all = OGR_G_CreateGeometry (wkbMultiPolygon);
  OGR_L_ResetReading (layer);
  while ((f = OGR_L_GetNextFeature (layer)) != NULL)
    {
      OGRGeometryH g = OGR_F_GetGeometryRef (f);
      OGRwkbGeometryType type = g != NULL ? wkbFlatten (OGR_G_GetGeometryType (g)) : wkbUnknown;

      for (int i = 0; type == wkbMultiPolygon && i < OGR_G_GetGeometryCount (g); i++)
        OGR_G_AddGeometry (all, OGR_G_GetGeometryRef (g, i));
      if (type == wkbPolygon)
        OGR_G_AddGeometry (all, g);
      OGR_F_Destroy (f);
    }
  area = saban_impact_area_new_from_geometry (all, to_wgs84, error);
  OGR_G_DestroyGeometry (all);
  return area;
}

static gboolean
any_point_inside (const SabanImpactArea    *area,
                  const SabanFeatureArrays *a,
                  guint32                   f)
{
  for (guint32 i = a->point_starts[a->part_starts[f]]; i < a->point_starts[a->part_starts[f + 1]]; i++)
    if (saban_impact_area_contains (area, a->xy[2 * i], a->xy[2 * i + 1]))
      return TRUE;
  return FALSE;
}

static gboolean
check_extent (SabanCatalogEntry   *self,
              SabanVectorLayer    *boundary,
              GError             **error)
{
  const SabanFeatureArrays *a = saban_vector_layer_get_arrays (self->layer);
  g_autoptr(SabanImpactArea) area = NULL;
  SabanQualityFinding *finding;

  if (boundary == NULL || boundary == self->layer ||
      g_strcmp0 (saban_vector_layer_get_name (boundary), self->id) == 0)
    return TRUE;
  if ((area = boundary_area (boundary, error)) == NULL)
    return FALSE;
  finding = add_finding (self, SABAN_QUALITY_CHECK_EXTENT, NULL);
  for (guint32 f = 0; f < a->n_features; f++)
    {
      const double *box = a->boxes + 4 * (gsize) f;
      SabanImpactAreaPlace place = saban_impact_area_place_box (area, box[0], box[1], box[2], box[3]);

      if (place == SABAN_IMPACT_AREA_OUTSIDE || (place == SABAN_IMPACT_AREA_BOUNDARY && !any_point_inside (area, a, f)))
        g_array_append_val (finding->features, f);
    }
  finding->n_checked = a->n_features;
  finding->state = state_of (finding->features->len, a->n_features);
  finding->summary = finding->features->len == 0
    ? g_strdup (_("Every feature lies in the province"))
    : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u feature lies wholly outside the province",
                                    "%u features lie wholly outside the province", finding->features->len),
                       finding->features->len);
  return TRUE;
}

static void
check_duplicates (SabanCatalogEntry *self)
{
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (self->layer);
  guint32 n = saban_vector_layer_get_n_features (self->layer);
  g_autoptr(GArray) fields = id_fields (self);
  g_autoptr(GHashTable) first = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) flagged = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autofree char *listed = NULL;
  SabanQualityFinding *finding;

  if (fields->len == 0)
    return;
  listed = names_of (t, fields);
  finding = add_finding (self, SABAN_QUALITY_CHECK_DUPLICATE_IDS, listed);
  for (guint32 row = 0; row < n; row++)
    {
      g_autoptr(GString) key = g_string_new (NULL);
      gpointer other;
      gboolean empty = TRUE;

      for (guint i = 0; i < fields->len; i++)
        {
          g_autofree char *value = saban_attribute_table_format (t, g_array_index (fields, int, i), row);

          empty = empty && *value == '\0';
          g_string_append (key, value);
          g_string_append_c (key, '\x1f');
        }
      if (empty)
        continue;   /* a missing identifier is the completeness check's */
      if (!g_hash_table_lookup_extended (first, key->str, NULL, &other))
        {
          g_hash_table_insert (first, g_string_free (g_steal_pointer (&key), FALSE), GUINT_TO_POINTER (row + 1));
          continue;
        }
      /* both the first holder and this one */
      g_hash_table_add (flagged, other);
      g_hash_table_add (flagged, GUINT_TO_POINTER (row + 1));
    }
  for (guint32 row = 0; row < n; row++)
    if (g_hash_table_contains (flagged, GUINT_TO_POINTER (row + 1)))
      g_array_append_val (finding->features, row);
  finding->n_checked = n;
  finding->state = state_of (finding->features->len, n);
  finding->summary = finding->features->len == 0
    ? g_strdup_printf (_("Every identifier (%s) is unique"), listed)
    : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u feature shares its identifier (%s) with another",
                                    "%u features share their identifier (%s) with another", finding->features->len),
                       finding->features->len, listed);
}

/* The communes' codes, from the communes layer's `code` (or `ma_xa`). */
static GHashTable *
commune_codes (SabanVectorLayer *communes)
{
  static const char * const names[] = { "code", "ma_xa", "maxa", "ma", NULL };
  const SabanAttributeTable *t;
  GHashTable *codes;
  int field;

  if (communes == NULL)
    return NULL;
  t = saban_vector_layer_get_attributes (communes);
  if ((field = field_named (t, names)) < 0)
    return NULL;
  codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint32 row = 0; row < saban_vector_layer_get_n_features (communes); row++)
    g_hash_table_add (codes, saban_attribute_table_format (t, field, row));
  return codes;
}

static gboolean
is_commune_code (GHashTable *codes,
                 const char *value)
{
  if (codes != NULL)
    return g_hash_table_contains (codes, value);
  /* without the communes: the five digits of Decision 19/2025 */
  if (strlen (value) != 5)
    return FALSE;
  for (const char *c = value; *c != '\0'; c++)
    if (!g_ascii_isdigit (*c))
      return FALSE;
  return TRUE;
}

static void
check_domain (SabanCatalogEntry *self,
              int                field,
              gboolean           landuse,
              GHashTable        *communes)
{
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (self->layer);
  guint32 n = saban_vector_layer_get_n_features (self->layer), filled = 0;
  const char *name = saban_attribute_table_get_field_name (t, field);
  SabanQualityFinding *finding = add_finding (self, SABAN_QUALITY_CHECK_DOMAIN, name);

  for (guint32 row = 0; row < n; row++)
    {
      g_autofree char *value = saban_attribute_table_format (t, field, row);

      g_strstrip (value);
      if (*value == '\0')
        continue;   /* empty: the completeness check's */
      filled++;
      if (landuse ? !saban_landuse_is_code (value) : !is_commune_code (communes, value))
        g_array_append_val (finding->features, row);
    }
  finding->n_checked = filled;
  finding->state = state_of (finding->features->len, filled);
  if (finding->features->len == 0)
    finding->summary = g_strdup_printf (landuse ? _("Every value of %s is a land-use code of Circular 08/2024")
                                                : _("Every value of %s is a commune code of the province"), name);
  else
    finding->summary = g_strdup_printf (landuse ? _("%u values of %s are not land-use codes of Circular 08/2024")
                                                : _("%u values of %s are not commune codes of the province"),
                                        finding->features->len, name);
}

static void
check_domains (SabanCatalogEntry         *self,
               const SabanCatalogContext *context)
{
  static const char * const commune_fields[] = { "commune_code", "ma_xa", "maxa", "ma_dvhc", NULL };
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (self->layer);
  g_autoptr(GHashTable) codes = NULL;
  int field;

  /* the communes layer itself is where commune codes come from */
  if (context->communes != self->layer)
    codes = commune_codes (context->communes);
  if (self->metadata.domains != NULL)
    {
      for (guint i = 0; self->metadata.domains[i] != NULL; i++)
        {
          g_auto(GStrv) pair = g_strsplit (self->metadata.domains[i], "=", 2);

          if (pair[0] == NULL || pair[1] == NULL || (field = saban_attribute_table_find_field (t, g_strstrip (pair[0]))) < 0)
            continue;
          g_strstrip (pair[1]);
          if (g_str_equal (pair[1], "landuse") || g_str_equal (pair[1], "commune"))
            check_domain (self, field, g_str_equal (pair[1], "landuse"), codes);
        }
      return;
    }
  if ((field = saban_landuse_find_field (t, NULL)) >= 0)
    check_domain (self, field, TRUE, NULL);
  if (context->communes != self->layer && (field = field_named (t, commune_fields)) >= 0)
    check_domain (self, field, FALSE, codes);
}

static void
check_freshness (SabanCatalogEntry *self,
                 GDateTime         *now)
{
  SabanQualityFinding *finding;
  double days = saban_catalog_frequency_days (self->metadata.update_frequency);
  g_autofree char *promised = NULL;
  g_autofree char *when = NULL;
  double age;

  if (self->metadata.last_update == NULL)
    return;
  finding = add_finding (self, SABAN_QUALITY_CHECK_FRESHNESS, NULL);
  finding->n_checked = 1;
  age = g_date_time_difference (now, self->metadata.last_update) / (double) G_TIME_SPAN_DAY;
  when = g_date_time_format (self->metadata.last_update, "%d/%m/%Y");
  if (days <= 0)
    {
      finding->state = SABAN_QUALITY_UNKNOWN;
      finding->summary = g_strdup_printf (_("Updated %s; no update frequency promised"), when);
      return;
    }
  promised = saban_catalog_describe_frequency (self->metadata.update_frequency);
  finding->state = age <= days ? SABAN_QUALITY_GREEN : age <= 2 * days ? SABAN_QUALITY_AMBER : SABAN_QUALITY_RED;
  finding->summary = g_strdup_printf (_("Updated %s, %d days ago; promised %s"), when, (int) MAX (age, 0), promised);
}

static void
clear_results (SabanCatalogEntry *self)
{
  g_array_set_size (self->findings, 0);
  metadata_clear (&self->metadata);
  self->checked = FALSE;
  self->state = SABAN_QUALITY_UNKNOWN;
}

/**
 * saban_catalog_entry_check:
 * @context: the province's outline and communes, for the extent and domain checks
 * @now: the time freshness is judged at
 *
 * Reads what the source says of the layer and runs every check (see the
 * file's comment). Blocks (it reads the source again): a worker thread.
 * An entry without a layer is not checked.
 *
 * Returns: %FALSE with @error set (translated) when the source cannot be
 *   read again, or when cancelled
 */
gboolean
saban_catalog_entry_check (SabanCatalogEntry         *self,
                           const SabanCatalogContext *context,
                           GDateTime                 *now,
                           GCancellable              *cancellable,
                           GError                   **error)
{
  g_autoptr(SabanOgrSource) source = NULL;
  GDALDatasetH ds;

  g_return_val_if_fail (SABAN_IS_CATALOG_ENTRY (self), FALSE);
  if (self->layer == NULL)
    return TRUE;
  clear_results (self);
  if ((source = saban_ogr_source_open (saban_vector_layer_get_source (self->layer), error)) == NULL)
    return FALSE;
  ds = saban_ogr_source_get_dataset (source);
  read_catalog_table (self, ds);
  read_source_dates (self, ds);
  check_completeness (self);
  if (!check_geometry (self, ds, cancellable, error) || !check_extent (self, context->boundary, error))
    {
      clear_results (self);
      return FALSE;
    }
  check_duplicates (self);
  check_domains (self, context);
  check_freshness (self, now);
  for (guint i = 0; i < self->findings->len; i++)
    self->state = MAX (self->state, g_array_index (self->findings, SabanQualityFinding, i).state);
  self->checked = TRUE;
  return TRUE;
}

typedef struct
{
  SabanCatalogContext context;
  GDateTime *now;
} CheckData;

static void
check_data_free (gpointer user_data)
{
  CheckData *data = user_data;

  g_clear_object (&data->context.boundary);
  g_clear_object (&data->context.communes);
  g_date_time_unref (data->now);
  g_free (data);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckData *data = task_data;
  GError *error = NULL;

  if (saban_catalog_entry_check (source_object, &data->context, data->now, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * saban_catalog_entry_check_async:
 *
 * saban_catalog_entry_check() in a worker thread; leave @self alone until
 * @callback runs.
 */
void
saban_catalog_entry_check_async (SabanCatalogEntry         *self,
                                 const SabanCatalogContext *context,
                                 GDateTime                 *now,
                                 GCancellable              *cancellable,
                                 GAsyncReadyCallback        callback,
                                 gpointer                   user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  CheckData *data = g_new0 (CheckData, 1);

  data->context.boundary = context->boundary != NULL ? g_object_ref (context->boundary) : NULL;
  data->context.communes = context->communes != NULL ? g_object_ref (context->communes) : NULL;
  data->now = g_date_time_ref (now);
  g_task_set_source_tag (task, saban_catalog_entry_check_async);
  g_task_set_task_data (task, data, check_data_free);
  g_task_run_in_thread (task, check_thread);
}

gboolean
saban_catalog_entry_check_finish (SabanCatalogEntry  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ----------------------------------------------------------------- getters */

/**
 * saban_catalog_entry_get_layer:
 *
 * Returns: (transfer none) (nullable): the layer, or %NULL for a collection not loaded
 */
SabanVectorLayer *
saban_catalog_entry_get_layer (SabanCatalogEntry *self)
{
  return self->layer;
}

const char *
saban_catalog_entry_get_id (SabanCatalogEntry *self)
{
  return self->id;
}

/**
 * saban_catalog_entry_get_title:
 *
 * Returns: the keeper's title for it, else the name users know it by
 */
const char *
saban_catalog_entry_get_title (SabanCatalogEntry *self)
{
  return self->metadata.title != NULL ? self->metadata.title : self->title;
}

const SabanCatalogMetadata *
saban_catalog_entry_get_metadata (SabanCatalogEntry *self)
{
  return &self->metadata;
}

/**
 * saban_catalog_entry_get_n_features:
 *
 * Returns: the features in the source (counted when checked; those loaded
 *   before), or -1 when unknown
 */
gint64
saban_catalog_entry_get_n_features (SabanCatalogEntry *self)
{
  return self->n_features;
}

/**
 * saban_catalog_entry_get_crs_name:
 *
 * Returns: (nullable): the name of the CRS the data is in
 */
const char *
saban_catalog_entry_get_crs_name (SabanCatalogEntry *self)
{
  return self->layer != NULL ? saban_vector_layer_get_source_crs_name (self->layer) : NULL;
}

gboolean
saban_catalog_entry_is_checked (SabanCatalogEntry *self)
{
  return self->checked;
}

SabanQualityState
saban_catalog_entry_get_state (SabanCatalogEntry *self)
{
  return self->state;
}

guint
saban_catalog_entry_get_n_findings (SabanCatalogEntry *self)
{
  return self->findings->len;
}

const SabanQualityFinding *
saban_catalog_entry_get_finding (SabanCatalogEntry *self,
                                 guint              index)
{
  return index < self->findings->len ? &g_array_index (self->findings, SabanQualityFinding, index) : NULL;
}

/**
 * saban_catalog_entry_find_check:
 *
 * Returns: (nullable): the first finding of @check, or %NULL if it did not run
 */
const SabanQualityFinding *
saban_catalog_entry_find_check (SabanCatalogEntry *self,
                                SabanQualityCheck  check)
{
  for (guint i = 0; i < self->findings->len; i++)
    if (g_array_index (self->findings, SabanQualityFinding, i).check == check)
      return &g_array_index (self->findings, SabanQualityFinding, i);
  return NULL;
}

const char *
saban_quality_state_describe (SabanQualityState state)
{
  static const char * const names[] = {
    [SABAN_QUALITY_UNKNOWN] = N_("Not checked"),
    [SABAN_QUALITY_GREEN] = N_("Good"),
    [SABAN_QUALITY_AMBER] = N_("Needs attention"),
    [SABAN_QUALITY_RED] = N_("Poor"),
  };

  return _(names[MIN (state, SABAN_QUALITY_RED)]);
}

const char *
saban_quality_check_describe (SabanQualityCheck check)
{
  static const char * const names[] = {
    [SABAN_QUALITY_CHECK_COMPLETENESS] = N_("Completeness"),
    [SABAN_QUALITY_CHECK_GEOMETRY] = N_("Geometry"),
    [SABAN_QUALITY_CHECK_EXTENT] = N_("Within the province"),
    [SABAN_QUALITY_CHECK_DUPLICATE_IDS] = N_("Unique identifiers"),
    [SABAN_QUALITY_CHECK_DOMAIN] = N_("Valid codes"),
    [SABAN_QUALITY_CHECK_FRESHNESS] = N_("Freshness"),
  };

  return _(names[MIN (check, SABAN_QUALITY_CHECK_FRESHNESS)]);
}

/* "P1M" → 1 and 'M'; FALSE for what is not one ISO 8601 unit. */
static gboolean
parse_duration (const char *iso,
                guint64    *count,
                char       *unit)
{
  char *end = NULL;
  gboolean time;

  if (iso == NULL || iso[0] != 'P')
    return FALSE;
  time = iso[1] == 'T';
  *count = g_ascii_strtoull (iso + (time ? 2 : 1), &end, 10);
  if (end == NULL || *count == 0 || *count > 100000 || end[0] == '\0' || end[1] != '\0')
    return FALSE;
  *unit = time ? g_ascii_tolower (end[0]) : end[0];
  return strchr (time ? "h" : "DWMY", *unit) != NULL;
}

/**
 * saban_catalog_frequency_days:
 * @iso_duration: (nullable): "P1D", "P1W", "P1M", "P3M", "P1Y", "PT6H"
 *
 * Returns: the interval in days (a month 30, a year 365), or 0 when unknown
 */
double
saban_catalog_frequency_days (const char *iso_duration)
{
  guint64 n;
  char unit;

  if (!parse_duration (iso_duration, &n, &unit))
    return 0;
  switch (unit)
    {
    case 'h': return n / 24.0;
    case 'D': return n;
    case 'W': return 7.0 * n;
    case 'M': return 30.0 * n;
    case 'Y': default: return 365.0 * n;
    }
}

/**
 * saban_catalog_describe_frequency:
 *
 * Returns: (transfer full): the interval as users read it ("every month"),
 *   or "not stated"
 */
char *
saban_catalog_describe_frequency (const char *iso_duration)
{
  guint64 n;
  char unit;

  if (!parse_duration (iso_duration, &n, &unit))
    return g_strdup (_("not stated"));
  if (n == 1)
    switch (unit)
      {
      case 'h': return g_strdup (_("every hour"));
      case 'D': return g_strdup (_("every day"));
      case 'W': return g_strdup (_("every week"));
      case 'M': return g_strdup (_("every month"));
      case 'Y': default: return g_strdup (_("every year"));
      }
  switch (unit)
    {
    case 'h': return g_strdup_printf (_("every %u hours"), (guint) n);
    case 'D': return g_strdup_printf (_("every %u days"), (guint) n);
    case 'W': return g_strdup_printf (_("every %u weeks"), (guint) n);
    case 'M': return g_strdup_printf (_("every %u months"), (guint) n);
    case 'Y': default: return g_strdup_printf (_("every %u years"), (guint) n);
    }
}
