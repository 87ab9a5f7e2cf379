/* Typed columns, nulls, and the reader's undo. */
#include <string.h>

#include "saban-attribute-table.h"

static void
test_columns (void)
{
  g_autoptr(SabanAttributeTable) t = saban_attribute_table_new ();
  guint name = saban_attribute_table_add_field (t, "name", SABAN_FIELD_STRING);
  guint pop = saban_attribute_table_add_field (t, "population", SABAN_FIELD_INTEGER);
  guint area = saban_attribute_table_add_field (t, "area_km2", SABAN_FIELD_REAL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  saban_attribute_table_append_string (t, name, "Phường Lào Cai", strlen ("Phường Lào Cai"));
  saban_attribute_table_append_integer (t, pop, 61234);
  saban_attribute_table_append_real (t, area, 12.5);
  saban_attribute_table_append_null (t, name);
  saban_attribute_table_append_null (t, pop);
  saban_attribute_table_append_real (t, area, 3.0);

  g_assert_cmpuint (saban_attribute_table_get_n_rows (t), ==, 2);
  g_assert_cmpint (saban_attribute_table_find_field (t, "population"), ==, (int) pop);
  g_assert_cmpint (saban_attribute_table_find_field (t, "missing"), ==, -1);
  g_assert_cmpstr (saban_attribute_table_get_string (t, name, 0), ==, "Phường Lào Cai");
  g_assert_true (saban_attribute_table_is_null (t, name, 1));
  g_assert_false (saban_attribute_table_is_null (t, area, 1));
  g_assert_cmpstr (saban_attribute_table_get_string (t, name, 1), ==, "");
  g_assert_cmpfloat (saban_attribute_table_get_real (t, pop, 0), ==, 61234);

  a = saban_attribute_table_format (t, area, 0);
  b = saban_attribute_table_format (t, area, 1);
  c = saban_attribute_table_format (t, pop, 1);
  g_assert_cmpstr (a, ==, "12.5");
  g_assert_cmpstr (b, ==, "3");
  g_assert_cmpstr (c, ==, "");
}

static void
test_sort_filter (void)
{
  g_autoptr(SabanAttributeTable) t = saban_attribute_table_new ();
  guint name = saban_attribute_table_add_field (t, "name", SABAN_FIELD_STRING);
  guint pop = saban_attribute_table_add_field (t, "population", SABAN_FIELD_INTEGER);
  const char *names[] = { "Xã Y Tý", "Phường Lào Cai", "Xã Bát Xát", "Phường Sa Pa" };
  const gint64 pops[] = { 5200, 61000, 12000, -1 };
  guint32 rows[4] = { 0, 1, 2, 3 };
  g_autoptr(GArray) xa = NULL;
  g_autoptr(GArray) all = NULL;

  for (int i = 0; i < 4; i++)
    {
      saban_attribute_table_append_string (t, name, names[i], strlen (names[i]));
      if (pops[i] < 0)
        saban_attribute_table_append_null (t, pop);
      else
        saban_attribute_table_append_integer (t, pop, pops[i]);
    }

  saban_attribute_table_sort_rows (t, pop, FALSE, rows, 4);
  g_assert_cmpuint (rows[0], ==, 0);
  g_assert_cmpuint (rows[1], ==, 2);
  g_assert_cmpuint (rows[2], ==, 1);
  g_assert_cmpuint (rows[3], ==, 3);   /* no value: last */
  saban_attribute_table_sort_rows (t, pop, TRUE, rows, 4);
  g_assert_cmpuint (rows[0], ==, 1);
  g_assert_cmpuint (rows[3], ==, 3);

  xa = saban_attribute_table_filter_rows (t, "xa ");
  g_assert_cmpuint (xa->len, ==, 2);
  g_assert_cmpuint (g_array_index (xa, guint32, 0), ==, 0);
  g_assert_cmpuint (g_array_index (xa, guint32, 1), ==, 2);
  all = saban_attribute_table_filter_rows (t, "");
  g_assert_cmpuint (all->len, ==, 4);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/attribute-table/columns", test_columns);
  g_test_add_func ("/attribute-table/sort-filter", test_sort_filter);
  return g_test_run ();
}
