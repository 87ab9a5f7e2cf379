/* saban-landuse.c: the land-use codes of Circular 08/2024/TT-BTNMT, and
 * which field of a layer holds them.
 *
 * The codes and their names come from resources/palettes/landuse.json, the
 * file the map's palette is read from too ("codes" have a colour of their
 * own, "others" are the rest of the Circular's list), compiled into this
 * library so that core needs no application resources.
 *
 * Provinces name the field as they like ("landuse", "ma_loai", "loaidat",
 * "MDSD"): the field is the one whose values are mostly codes.
 */
#include "saban-landuse.h"

#include <string.h>

#include "saban-gis-resources.h"
#include "saban-json.h"

/* Rows looked at to find the land-use field: enough to tell, bounded. */
#define SAMPLE_ROWS 20000

typedef struct
{
  GPtrArray *codes;     /* in the file's order */
  GHashTable *labels;   /* code → name */
  GHashTable *colors;   /* code → "#rrggbb", for the codes drawn in a colour of their own */
} Domain;

static void
add_members (Domain     *domain,
             JsonObject *object)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *entry = json_object_get_member (object, l->data);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (entry) ? json_node_get_object (entry) : NULL;
      const char *label = o != NULL ? json_object_get_string_member_with_default (o, "label", "") : "";
      const char *color = o != NULL ? json_object_get_string_member_with_default (o, "color", NULL) : NULL;

      g_ptr_array_add (domain->codes, g_strdup (l->data));
      g_hash_table_insert (domain->labels, g_strdup (l->data), g_strdup (label));
      if (color != NULL)
        g_hash_table_insert (domain->colors, g_strdup (l->data), g_strdup (color));
    }
}

static gpointer
read_domain (gpointer data)
{
  Domain *domain = g_new0 (Domain, 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  JsonObject *root;

  saban_gis_register_resource ();
  bytes = g_resource_lookup_data (saban_gis_get_resource (), "/io/github/saban/SaBan/core/palettes/landuse.json", 0, NULL);
  domain->codes = g_ptr_array_new_with_free_func (g_free);
  domain->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  domain->colors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_return_val_if_fail (bytes != NULL, domain);
  parsed = saban_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL);
  g_return_val_if_fail (parsed != NULL && JSON_NODE_HOLDS_OBJECT (parsed), domain);
  root = json_node_get_object (parsed);
  for (guint i = 0; i < 2; i++)
    {
      const char *member = i == 0 ? "codes" : "others";

      if (json_object_has_member (root, member) && JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, member)))
        add_members (domain, json_object_get_object_member (root, member));
    }
  g_ptr_array_add (domain->codes, NULL);
  return domain;
}

static const Domain *
domain (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, read_domain, NULL);
}

/**
 * saban_landuse_is_code:
 * @code: a value as written ("ONT"; surrounding spaces and case ignored)
 *
 * Returns: whether @code is a land-use code of Circular 08/2024/TT-BTNMT
 */
gboolean
saban_landuse_is_code (const char *code)
{
  char upper[8];
  gsize len;

  if (code == NULL)
    return FALSE;
  while (*code == ' ')
    code++;
  len = strlen (code);
  while (len > 0 && code[len - 1] == ' ')
    len--;
  if (len == 0 || len >= sizeof upper)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    upper[i] = g_ascii_toupper (code[i]);
  upper[len] = '\0';
  return g_hash_table_contains (domain ()->labels, upper);
}

/**
 * saban_landuse_describe:
 *
 * Returns: (nullable): the name of @code ("ONT" → "Đất ở tại nông thôn")
 */
const char *
saban_landuse_describe (const char *code)
{
  return code != NULL ? g_hash_table_lookup (domain ()->labels, code) : NULL;
}

/**
 * saban_landuse_get_color:
 *
 * Returns: (nullable): the colour @code is drawn in ("#f5b4d2"), for the
 *   codes the map draws in a colour of their own
 */
const char *
saban_landuse_get_color (const char *code)
{
  return code != NULL ? g_hash_table_lookup (domain ()->colors, code) : NULL;
}

/**
 * saban_landuse_get_codes:
 * @n_codes: (out) (optional)
 *
 * Returns: (array zero-terminated=1): every code, those drawn with a colour
 *   of their own first
 */
const char * const *
saban_landuse_get_codes (guint *n_codes)
{
  const Domain *d = domain ();

  if (n_codes != NULL)
    *n_codes = d->codes->len - 1;
  return (const char * const *) d->codes->pdata;
}

/**
 * saban_landuse_code_of:
 *
 * Returns: (transfer full): the value of @field at @row as a code: trimmed
 *   and upper-cased ("" for null)
 */
char *
saban_landuse_code_of (const SabanAttributeTable *table,
                       guint                      field,
                       guint32                    row)
{
  g_autofree char *value = saban_attribute_table_format (table, field, row);

  return g_ascii_strup (g_strstrip (value), -1);
}

/**
 * saban_landuse_find_field:
 * @share: (out) (optional): the share of the field's non-empty values that
 *   are codes
 *
 * Finds the field whose values are mostly (at least
 * %SABAN_LANDUSE_MIN_SHARE of the non-empty ones, among the first rows)
 * land-use codes of Circular 08/2024, whatever its name.
 *
 * Returns: the field, or -1 when no field qualifies
 */
int
saban_landuse_find_field (const SabanAttributeTable *table,
                          double                    *share)
{
  guint32 n = MIN (saban_attribute_table_get_n_rows (table), SAMPLE_ROWS);
  int best = -1;
  double best_share = 0;

  for (guint field = 0; field < saban_attribute_table_get_n_fields (table); field++)
    {
      guint32 filled = 0, codes = 0;
      double s;

      if (saban_attribute_table_get_field_type (table, field) != SABAN_FIELD_STRING)
        continue;
      for (guint32 row = 0; row < n; row++)
        {
          const char *value = saban_attribute_table_get_string (table, field, row);

          if (saban_attribute_table_is_null (table, field, row) || *value == '\0')
            continue;
          filled++;
          codes += saban_landuse_is_code (value);
        }
      s = filled > 0 ? (double) codes / filled : 0;
      if (s >= SABAN_LANDUSE_MIN_SHARE && s > best_share)
        {
          best = (int) field;
          best_share = s;
        }
    }
  if (share != NULL)
    *share = best_share;
  return best;
}
