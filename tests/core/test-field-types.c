/* Every field type GDAL reports, read, shown, sorted, filtered, and written
 * back with its type. */
#include <gdal.h>
#include <glib/gstdio.h>
#include <ogr_api.h>
#include <string.h>

#include "saban-ogr-export.h"
#include "saban-ogr-reader.h"

/* Four features with a field of each type; GeoJSON is the one format GDAL
 * reads every type from (dates, times, lists of three kinds). */
static const char geojson[] =
  "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::4326\"}},"
  "\"features\":["
  "{\"type\":\"Feature\",\"properties\":{\"name\":\"Xã Y Tý\",\"d\":\"2024-03-15\",\"t\":\"12:34:56\","
  "\"dt\":\"2024-03-15T12:34:56\",\"il\":[10,2],\"rl\":[1.5,2.25],\"sl\":[\"ONT\",\"CLN\"],\"big\":12345678901234,"
  "\"ok\":true,\"area\":1234.5},\"geometry\":{\"type\":\"Point\",\"coordinates\":[103.9,22.6]}},"
  "{\"type\":\"Feature\",\"properties\":{\"name\":\"Phường Lào Cai\",\"d\":\"2023-12-31\",\"t\":\"01:02:03\","
  "\"dt\":\"2023-12-31T23:59:59\",\"il\":[9],\"rl\":[3.0],\"sl\":[\"LUC\"],\"big\":-5,\"ok\":false,\"area\":0.25},"
  "\"geometry\":{\"type\":\"Point\",\"coordinates\":[103.97,22.48]}},"
  "{\"type\":\"Feature\",\"properties\":{\"name\":\"Xã Bát Xát\",\"d\":\"1969-07-20\",\"t\":\"23:00:00\","
  "\"dt\":\"1969-07-20T20:17:40\",\"il\":[10,1,5],\"rl\":[],\"sl\":[\"ODT\"],\"big\":7,\"ok\":true,\"area\":-3},"
  "\"geometry\":{\"type\":\"Point\",\"coordinates\":[103.8,22.5]}},"
  "{\"type\":\"Feature\",\"properties\":{\"name\":\"Xã Sa Pả\",\"d\":null,\"t\":null,\"dt\":null,\"il\":null,"
  "\"rl\":null,\"sl\":null,\"big\":null,\"ok\":null,\"area\":null},"
  "\"geometry\":{\"type\":\"Point\",\"coordinates\":[103.84,22.34]}}"
  "]}";

static char *
write_sample (const char *dir)
{
  char *path = g_build_filename (dir, "types.geojson", NULL);

  g_assert_true (g_file_set_contents (path, geojson, -1, NULL));
  return path;
}

static SabanVectorLayer *
read_one (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) layers = saban_ogr_read (path, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (layers->len, ==, 1);
  return g_object_ref (g_ptr_array_index (layers, 0));
}

static int
field (const SabanAttributeTable *t,
       const char                *name)
{
  int i = saban_attribute_table_find_field (t, name);

  g_assert_cmpint (i, >=, 0);
  return i;
}

static void
assert_formatted (const SabanAttributeTable *t,
                  const char                *name,
                  guint32                    row,
                  const char                *expected)
{
  g_autofree char *value = saban_attribute_table_format (t, field (t, name), row);

  g_assert_cmpstr (value, ==, expected);
}

/* Every type read, none dropped, and shown as Vietnamese reads them (the
 * separators are the C locale's here: the interface language's are tested
 * in core/format). */
static void
check_types (SabanVectorLayer *layer)
{
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (layer);

  g_assert_cmpint (saban_attribute_table_get_field_type (t, field (t, "d")), ==, SABAN_FIELD_DATE);
  g_assert_cmpint (saban_attribute_table_get_field_type (t, field (t, "dt")), ==, SABAN_FIELD_DATETIME);
  g_assert_cmpint (saban_attribute_table_get_field_type (t, field (t, "big")), ==, SABAN_FIELD_INTEGER);
  g_assert_cmpint (saban_attribute_table_get_field_type (t, field (t, "ok")), ==, SABAN_FIELD_BOOLEAN);
  g_assert_cmpint (saban_attribute_table_get_field_type (t, field (t, "area")), ==, SABAN_FIELD_REAL);

  assert_formatted (t, "d", 0, "15/03/2024");
  assert_formatted (t, "d", 2, "20/07/1969");
  assert_formatted (t, "d", 3, "");
  assert_formatted (t, "dt", 0, "15/03/2024 12:34:56");
  assert_formatted (t, "dt", 2, "20/07/1969 20:17:40");
  assert_formatted (t, "big", 0, "12345678901234");
  assert_formatted (t, "ok", 0, "Yes");
  assert_formatted (t, "ok", 1, "No");
  assert_formatted (t, "area", 0, "1,234.5");
  g_assert_cmpint (saban_attribute_table_get_integer (t, field (t, "big"), 0), ==, G_GINT64_CONSTANT (12345678901234));
  g_assert_true (saban_attribute_table_is_null (t, field (t, "big"), 3));
}

static void
check_lists_and_times (SabanVectorLayer *layer)
{
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (layer);
  g_auto(GStrv) items = NULL;

  g_assert_cmpint (saban_attribute_table_get_field_type (t, field (t, "t")), ==, SABAN_FIELD_TIME);
  g_assert_cmpint (saban_attribute_table_get_field_type (t, field (t, "il")), ==, SABAN_FIELD_INTEGER_LIST);
  g_assert_cmpint (saban_attribute_table_get_field_type (t, field (t, "rl")), ==, SABAN_FIELD_REAL_LIST);
  g_assert_cmpint (saban_attribute_table_get_field_type (t, field (t, "sl")), ==, SABAN_FIELD_STRING_LIST);
  assert_formatted (t, "t", 0, "12:34:56");
  assert_formatted (t, "t", 1, "01:02:03");
  assert_formatted (t, "il", 2, "10; 1; 5");
  assert_formatted (t, "rl", 0, "1.5; 2.25");
  assert_formatted (t, "sl", 0, "ONT; CLN");
  items = saban_attribute_table_dup_list (t, field (t, "sl"), 0);
  g_assert_cmpuint (g_strv_length (items), ==, 2);
  g_assert_cmpstr (items[1], ==, "CLN");
}

static void
assert_order (const SabanAttributeTable *t,
              const char                *name,
              gboolean                   descending,
              const guint32             *expected)
{
  guint32 rows[4] = { 0, 1, 2, 3 };

  saban_attribute_table_sort_rows (t, field (t, name), descending, rows, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (rows[i], ==, expected[i]);
}

/* Sorted by value, not by the text shown: 20/07/1969 before 31/12/2023
 * before 15/03/2024, though "15…" < "20…" < "31…" as text; empty last. */
static void
test_read_sort_filter (void)
{
  g_autofree char *dir = g_dir_make_tmp ("saban-types-XXXXXX", NULL);
  g_autofree char *path = write_sample (dir);
  g_autoptr(SabanVectorLayer) layer = read_one (path);
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (layer);
  g_autoptr(GArray) by_date = NULL;
  g_autoptr(GArray) by_yes = NULL;

  check_types (layer);
  check_lists_and_times (layer);

  assert_order (t, "d", FALSE, (const guint32[]) { 2, 1, 0, 3 });
  assert_order (t, "d", TRUE, (const guint32[]) { 0, 1, 2, 3 });
  assert_order (t, "dt", FALSE, (const guint32[]) { 2, 1, 0, 3 });
  assert_order (t, "t", FALSE, (const guint32[]) { 1, 0, 2, 3 });
  assert_order (t, "big", FALSE, (const guint32[]) { 1, 2, 0, 3 });
  assert_order (t, "area", FALSE, (const guint32[]) { 2, 1, 0, 3 });
  assert_order (t, "ok", FALSE, (const guint32[]) { 1, 0, 2, 3 });
  /* lists element by element, numerically: [9] < [10, 1, 5] < [10, 2] */
  assert_order (t, "il", FALSE, (const guint32[]) { 1, 2, 0, 3 });

  /* Found as shown: a date as dd/MM/yyyy, a boolean as its word. */
  by_date = saban_attribute_table_filter_rows (t, "31/12/2023");
  g_assert_cmpuint (by_date->len, ==, 1);
  g_assert_cmpuint (g_array_index (by_date, guint32, 0), ==, 1);
  by_yes = saban_attribute_table_filter_rows (t, "yes");
  g_assert_cmpuint (by_yes->len, ==, 2);

  g_unlink (path);
  g_rmdir (dir);
}

/* Exported, then read again: the same types and values. GeoJSON keeps every
 * type; a GeoPackage every one but lists (JSON text there) and times. */
static void
test_round_trip (void)
{
  g_autofree char *dir = g_dir_make_tmp ("saban-types-XXXXXX", NULL);
  g_autofree char *path = write_sample (dir);
  g_autofree char *json_out = g_build_filename (dir, "again.geojson", NULL);
  g_autofree char *gpkg_out = g_build_filename (dir, "again.gpkg", NULL);
  g_autoptr(SabanVectorLayer) layer = read_one (path);
  g_autoptr(SabanVectorLayer) from_json = NULL;
  g_autoptr(SabanVectorLayer) from_gpkg = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (saban_ogr_export (layer, NULL, 0, SABAN_EXPORT_GEOJSON, NULL, json_out, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  from_json = read_one (json_out);
  check_types (from_json);
  check_lists_and_times (from_json);

  g_assert_true (saban_ogr_export (layer, NULL, 0, SABAN_EXPORT_GEOPACKAGE, NULL, gpkg_out, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  from_gpkg = read_one (gpkg_out);
  check_types (from_gpkg);

  g_unlink (path);
  g_unlink (json_out);
  g_unlink (gpkg_out);
  g_rmdir (dir);
}

static void
test_table_copy (void)
{
  g_autoptr(SabanAttributeTable) t = saban_attribute_table_new ();
  g_autoptr(SabanAttributeTable) copy = NULL;
  guint d = saban_attribute_table_add_field (t, "d", SABAN_FIELD_DATE);
  guint l = saban_attribute_table_add_field (t, "l", SABAN_FIELD_STRING_LIST);
  const char *items[] = { "a;b", "c" };
  g_autofree char *date = NULL;
  g_autofree char *list = NULL;

  saban_attribute_table_append_integer (t, d, 19797);
  saban_attribute_table_append_list (t, l, items, 2);
  saban_attribute_table_append_null (t, d);
  saban_attribute_table_append_list (t, l, items, 0);
  copy = saban_attribute_table_new_like (t);
  saban_attribute_table_append_row (copy, t, 1);
  saban_attribute_table_append_row (copy, t, 0);
  g_assert_cmpuint (saban_attribute_table_get_n_rows (copy), ==, 2);
  g_assert_true (saban_attribute_table_is_null (copy, d, 0));
  date = saban_attribute_table_format (copy, d, 1);
  list = saban_attribute_table_format (copy, l, 1);
  g_assert_cmpstr (date, ==, "15/03/2024");
  g_assert_cmpstr (list, ==, "a;b; c");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/field-types/read-sort-filter", test_read_sort_filter);
  g_test_add_func ("/field-types/round-trip", test_round_trip);
  g_test_add_func ("/field-types/table-copy", test_table_copy);
  return g_test_run ();
}
