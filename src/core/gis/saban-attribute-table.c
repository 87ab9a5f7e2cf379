/* saban-attribute-table.c: a layer's attributes, column by column.
 *
 * Columns are typed arrays (strings packed into one buffer each), so a
 * million parcels cost a few tens of bytes per row and a column scans fast
 * for styling, sorting and search. Rows are appended by the reader, then the
 * table is only read, from any thread.
 */
#include "saban-attribute-table.h"

#include "saban-format.h"
#include "saban-text.h"

#include <string.h>

typedef struct
{
  char *name;
  SabanFieldType type;
  GArray *values;       /* gint64, double, or guint32 offsets into text */
  GByteArray *text;     /* NUL-terminated strings, for SABAN_FIELD_STRING */
  GArray *nulls;        /* guint8 per row */
} Column;

struct _SabanAttributeTable
{
  GPtrArray *columns;
};

static void
column_free (gpointer data)
{
  Column *column = data;

  g_free (column->name);
  g_array_unref (column->values);
  if (column->text != NULL)
    g_byte_array_unref (column->text);
  g_array_unref (column->nulls);
  g_free (column);
}

/**
 * saban_attribute_table_new:
 *
 * Returns: (transfer full): an empty table
 */
SabanAttributeTable *
saban_attribute_table_new (void)
{
  SabanAttributeTable *self = g_new0 (SabanAttributeTable, 1);

  self->columns = g_ptr_array_new_with_free_func (column_free);
  return self;
}

void
saban_attribute_table_free (SabanAttributeTable *self)
{
  g_ptr_array_unref (self->columns);
  g_free (self);
}

/**
 * saban_attribute_table_add_field:
 *
 * Returns: the new field's index
 */
guint
saban_attribute_table_add_field (SabanAttributeTable *self,
                                 const char          *name,
                                 SabanFieldType       type)
{
  Column *column = g_new0 (Column, 1);

  column->name = g_strdup (name);
  column->type = type;
  switch (type)
    {
    case SABAN_FIELD_STRING:
      column->values = g_array_new (FALSE, FALSE, sizeof (guint32));
      column->text = g_byte_array_new ();
      break;
    case SABAN_FIELD_INTEGER:
      column->values = g_array_new (FALSE, FALSE, sizeof (gint64));
      break;
    case SABAN_FIELD_REAL:
    default:
      column->values = g_array_new (FALSE, FALSE, sizeof (double));
      break;
    }
  column->nulls = g_array_new (FALSE, FALSE, sizeof (guint8));
  g_ptr_array_add (self->columns, column);
  return self->columns->len - 1;
}

static Column *
column_at (const SabanAttributeTable *self,
           guint                      field)
{
  g_return_val_if_fail (field < self->columns->len, NULL);
  return g_ptr_array_index (self->columns, field);
}

static void
append_flag (Column *column,
             guint8  is_null)
{
  g_array_append_val (column->nulls, is_null);
}

void
saban_attribute_table_append_null (SabanAttributeTable *self,
                                   guint                field)
{
  Column *column = column_at (self, field);

  switch (column->type)
    {
    case SABAN_FIELD_STRING:
      saban_attribute_table_append_string (self, field, "", 0);
      break;
    case SABAN_FIELD_INTEGER:
      saban_attribute_table_append_integer (self, field, 0);
      break;
    case SABAN_FIELD_REAL:
    default:
      saban_attribute_table_append_real (self, field, 0);
      break;
    }
  g_array_index (column->nulls, guint8, column->nulls->len - 1) = 1;
}

void
saban_attribute_table_append_string (SabanAttributeTable *self,
                                     guint                field,
                                     const char          *value,
                                     gsize                len)
{
  Column *column = column_at (self, field);
  guint32 offset = column->text->len;
  const guint8 nul = 0;

  g_return_if_fail (column->type == SABAN_FIELD_STRING);
  g_byte_array_append (column->text, (const guint8 *) value, len);
  g_byte_array_append (column->text, &nul, 1);
  g_array_append_val (column->values, offset);
  append_flag (column, 0);
}

void
saban_attribute_table_append_integer (SabanAttributeTable *self,
                                      guint                field,
                                      gint64               value)
{
  Column *column = column_at (self, field);

  g_return_if_fail (column->type == SABAN_FIELD_INTEGER);
  g_array_append_val (column->values, value);
  append_flag (column, 0);
}

void
saban_attribute_table_append_real (SabanAttributeTable *self,
                                   guint                field,
                                   double               value)
{
  Column *column = column_at (self, field);

  g_return_if_fail (column->type == SABAN_FIELD_REAL);
  g_array_append_val (column->values, value);
  append_flag (column, 0);
}

guint
saban_attribute_table_get_n_fields (const SabanAttributeTable *self)
{
  return self->columns->len;
}

guint32
saban_attribute_table_get_n_rows (const SabanAttributeTable *self)
{
  if (self->columns->len == 0)
    return 0;
  return ((Column *) g_ptr_array_index (self->columns, 0))->nulls->len;
}

/**
 * saban_attribute_table_find_field:
 *
 * Returns: the index of the field called @name, or -1
 */
int
saban_attribute_table_find_field (const SabanAttributeTable *self,
                                  const char                *name)
{
  for (guint i = 0; i < self->columns->len; i++)
    if (g_strcmp0 (((Column *) g_ptr_array_index (self->columns, i))->name, name) == 0)
      return (int) i;
  return -1;
}

const char *
saban_attribute_table_get_field_name (const SabanAttributeTable *self,
                                      guint                      field)
{
  return column_at (self, field)->name;
}

SabanFieldType
saban_attribute_table_get_field_type (const SabanAttributeTable *self,
                                      guint                      field)
{
  return column_at (self, field)->type;
}

gboolean
saban_attribute_table_is_null (const SabanAttributeTable *self,
                               guint                      field,
                               guint32                    row)
{
  return g_array_index (column_at (self, field)->nulls, guint8, row) != 0;
}

/**
 * saban_attribute_table_get_string:
 *
 * Returns: the text of a string field, "" when null
 */
const char *
saban_attribute_table_get_string (const SabanAttributeTable *self,
                                  guint                      field,
                                  guint32                    row)
{
  Column *column = column_at (self, field);

  g_return_val_if_fail (column->type == SABAN_FIELD_STRING, NULL);
  return (const char *) column->text->data + g_array_index (column->values, guint32, row);
}

gint64
saban_attribute_table_get_integer (const SabanAttributeTable *self,
                                   guint                      field,
                                   guint32                    row)
{
  Column *column = column_at (self, field);

  g_return_val_if_fail (column->type == SABAN_FIELD_INTEGER, 0);
  return g_array_index (column->values, gint64, row);
}

/**
 * saban_attribute_table_get_real:
 *
 * Returns: a numeric field's value as a double (integers too)
 */
double
saban_attribute_table_get_real (const SabanAttributeTable *self,
                                guint                      field,
                                guint32                    row)
{
  Column *column = column_at (self, field);

  switch (column->type)
    {
    case SABAN_FIELD_INTEGER:
      return (double) g_array_index (column->values, gint64, row);
    case SABAN_FIELD_REAL:
      return g_array_index (column->values, double, row);
    case SABAN_FIELD_STRING:
    default:
      return g_ascii_strtod (saban_attribute_table_get_string (self, field, row), NULL);
    }
}

/**
 * saban_attribute_table_format:
 *
 * Returns: (transfer full): the value as users read it ("" for null)
 */
char *
saban_attribute_table_format (const SabanAttributeTable *self,
                              guint                      field,
                              guint32                    row)
{
  Column *column = column_at (self, field);

  if (saban_attribute_table_is_null (self, field, row))
    return g_strdup ("");
  switch (column->type)
    {
    case SABAN_FIELD_STRING:
      return g_strdup (saban_attribute_table_get_string (self, field, row));
    case SABAN_FIELD_INTEGER:
      return g_strdup_printf ("%" G_GINT64_FORMAT, saban_attribute_table_get_integer (self, field, row));
    case SABAN_FIELD_REAL:
    default:
      {
        double v = saban_attribute_table_get_real (self, field, row);
        /* Up to 3 decimals, trailing zeros dropped. */
        g_autofree char *text = saban_format_number (v, 3);
        char *end = text + strlen (text);
        const char *sep = saban_format_decimal_separator ();

        if (strstr (text, sep) != NULL)
          {
            while (end > text && end[-1] == '0')
              *--end = '\0';
            if (end - text >= (gssize) strlen (sep) && g_str_has_suffix (text, sep))
              text[strlen (text) - strlen (sep)] = '\0';
          }
        return g_steal_pointer (&text);
      }
    }
}

typedef struct
{
  const SabanAttributeTable *table;
  guint field;
  gboolean descending;
} SortData;

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const SortData *d = user_data;
  guint32 ra = *(const guint32 *) a, rb = *(const guint32 *) b;
  gboolean na = saban_attribute_table_is_null (d->table, d->field, ra);
  gboolean nb = saban_attribute_table_is_null (d->table, d->field, rb);
  int result;

  /* Empty values last, whichever the direction. */
  if (na || nb)
    return na == nb ? (ra > rb) - (ra < rb) : (na ? 1 : -1);
  switch (saban_attribute_table_get_field_type (d->table, d->field))
    {
    case SABAN_FIELD_STRING:
      result = g_utf8_collate (saban_attribute_table_get_string (d->table, d->field, ra),
                               saban_attribute_table_get_string (d->table, d->field, rb));
      break;
    case SABAN_FIELD_INTEGER:
      {
        gint64 x = saban_attribute_table_get_integer (d->table, d->field, ra);
        gint64 y = saban_attribute_table_get_integer (d->table, d->field, rb);
        result = (x > y) - (x < y);
      }
      break;
    case SABAN_FIELD_REAL:
    default:
      {
        double x = saban_attribute_table_get_real (d->table, d->field, ra);
        double y = saban_attribute_table_get_real (d->table, d->field, rb);
        result = (x > y) - (x < y);
      }
      break;
    }
  if (result == 0)
    result = (ra > rb) - (ra < rb);
  else if (d->descending)
    result = -result;
  return result;
}

/**
 * saban_attribute_table_sort_rows:
 * @rows: (inout) (array length=n_rows): row numbers, sorted in place
 *
 * Sorts by @field (strings in the collation order of the locale); rows with
 * no value go last. Stable: equal values keep row order.
 */
void
saban_attribute_table_sort_rows (const SabanAttributeTable *self,
                                 guint                      field,
                                 gboolean                   descending,
                                 guint32                   *rows,
                                 guint32                    n_rows)
{
  SortData data = { self, field, descending };

  g_qsort_with_data (rows, n_rows, sizeof (guint32), compare_rows, &data);
}

/**
 * saban_attribute_table_filter_rows:
 * @query: text to find in any field, ignoring diacritics and case
 *
 * Returns: (transfer full) (element-type guint32): the rows matching, in order
 */
GArray *
saban_attribute_table_filter_rows (const SabanAttributeTable *self,
                                   const char                *query)
{
  g_autofree char *needle = saban_text_fold (query);
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint32 n = saban_attribute_table_get_n_rows (self);

  g_strstrip (needle);
  for (guint32 r = 0; r < n; r++)
    {
      gboolean match = *needle == '\0';

      for (guint field = 0; !match && field < saban_attribute_table_get_n_fields (self); field++)
        {
          g_autofree char *value = saban_attribute_table_format (self, field, r);
          g_autofree char *folded = saban_text_fold (value);

          match = strstr (folded, needle) != NULL;
        }
      if (match)
        g_array_append_val (rows, r);
    }
  return rows;
}
