/* saban-attribute-table.c: a layer's attributes, column by column.
 *
 * Columns are typed arrays (strings packed into one buffer each), so a
 * million parcels cost a few tens of bytes per row and a column scans fast
 * for styling, sorting and search. Rows are appended by the reader, then the
 * table is only read, from any thread.
 *
 * Booleans, dates and times live in the integer array; a list lives in the
 * text buffer, its elements separated by LIST_SEPARATOR (a byte no text
 * field of a GIS source uses), numbers written in the C locale.
 */
#include "saban-attribute-table.h"

#include "saban-format.h"
#include "saban-text.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#define LIST_SEPARATOR '\x1f'
#define MS_PER_DAY G_GINT64_CONSTANT (86400000)

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

/**
 * saban_field_type_is_integer:
 *
 * Returns: whether values of @type are kept as 64-bit integers (integers,
 *   booleans, dates, times)
 */
gboolean
saban_field_type_is_integer (SabanFieldType type)
{
  return type == SABAN_FIELD_INTEGER || type == SABAN_FIELD_BOOLEAN || type == SABAN_FIELD_DATE ||
         type == SABAN_FIELD_TIME || type == SABAN_FIELD_DATETIME;
}

gboolean
saban_field_type_is_list (SabanFieldType type)
{
  return type == SABAN_FIELD_INTEGER_LIST || type == SABAN_FIELD_REAL_LIST || type == SABAN_FIELD_STRING_LIST;
}

static gboolean
is_text (SabanFieldType type)
{
  return type == SABAN_FIELD_STRING || saban_field_type_is_list (type);
}

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
  if (is_text (type))
    {
      column->values = g_array_new (FALSE, FALSE, sizeof (guint32));
      column->text = g_byte_array_new ();
    }
  else if (saban_field_type_is_integer (type))
    column->values = g_array_new (FALSE, FALSE, sizeof (gint64));
  else
    column->values = g_array_new (FALSE, FALSE, sizeof (double));
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

static void
append_text (Column     *column,
             const char *value,
             gsize       len)
{
  guint32 offset = column->text->len;
  const guint8 nul = 0;

  g_byte_array_append (column->text, (const guint8 *) value, len);
  g_byte_array_append (column->text, &nul, 1);
  g_array_append_val (column->values, offset);
  append_flag (column, 0);
}

static const char *
text_at (const Column *column,
         guint32       row)
{
  return (const char *) column->text->data + g_array_index (column->values, guint32, row);
}

void
saban_attribute_table_append_null (SabanAttributeTable *self,
                                   guint                field)
{
  Column *column = column_at (self, field);

  if (is_text (column->type))
    append_text (column, "", 0);
  else if (saban_field_type_is_integer (column->type))
    saban_attribute_table_append_integer (self, field, 0);
  else
    saban_attribute_table_append_real (self, field, 0);
  g_array_index (column->nulls, guint8, column->nulls->len - 1) = 1;
}

void
saban_attribute_table_append_string (SabanAttributeTable *self,
                                     guint                field,
                                     const char          *value,
                                     gsize                len)
{
  Column *column = column_at (self, field);

  g_return_if_fail (column->type == SABAN_FIELD_STRING);
  append_text (column, value, len);
}

/**
 * saban_attribute_table_append_list:
 * @items: (array length=n_items): the elements as text (numbers in the C
 *   locale, as g_ascii_dtostr() writes them)
 *
 * Appends a list to a list field.
 */
void
saban_attribute_table_append_list (SabanAttributeTable *self,
                                   guint                field,
                                   const char * const  *items,
                                   guint                n_items)
{
  Column *column = column_at (self, field);
  g_autoptr(GString) packed = g_string_new (NULL);

  g_return_if_fail (saban_field_type_is_list (column->type));
  for (guint i = 0; i < n_items; i++)
    {
      if (i > 0)
        g_string_append_c (packed, LIST_SEPARATOR);
      /* An element holding the separator would split in two: it becomes a space. */
      for (const char *c = items[i]; *c != '\0'; c++)
        g_string_append_c (packed, *c == LIST_SEPARATOR ? ' ' : *c);
    }
  append_text (column, packed->str, packed->len);
}

/**
 * saban_attribute_table_append_integer:
 *
 * Appends to an integer, boolean, date, time or date-and-time field (see
 * #SabanFieldType for the units).
 */
void
saban_attribute_table_append_integer (SabanAttributeTable *self,
                                      guint                field,
                                      gint64               value)
{
  Column *column = column_at (self, field);

  g_return_if_fail (saban_field_type_is_integer (column->type));
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
  return text_at (column, row);
}

/**
 * saban_attribute_table_get_integer:
 *
 * Returns: the value of an integer, boolean, date, time or date-and-time
 *   field, in the units of #SabanFieldType
 */
gint64
saban_attribute_table_get_integer (const SabanAttributeTable *self,
                                   guint                      field,
                                   guint32                    row)
{
  Column *column = column_at (self, field);

  g_return_val_if_fail (saban_field_type_is_integer (column->type), 0);
  return g_array_index (column->values, gint64, row);
}

/**
 * saban_attribute_table_dup_list:
 *
 * Returns: (transfer full): the elements of a list field's value as text
 *   (numbers in the C locale); empty for null
 */
char **
saban_attribute_table_dup_list (const SabanAttributeTable *self,
                                guint                      field,
                                guint32                    row)
{
  Column *column = column_at (self, field);
  const char separator[] = { LIST_SEPARATOR, '\0' };

  g_return_val_if_fail (saban_field_type_is_list (column->type), NULL);
  if (saban_attribute_table_is_null (self, field, row) || *text_at (column, row) == '\0')
    return g_new0 (char *, 1);
  return g_strsplit (text_at (column, row), separator, -1);
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

  if (saban_field_type_is_integer (column->type))
    return (double) g_array_index (column->values, gint64, row);
  if (column->type == SABAN_FIELD_REAL)
    return g_array_index (column->values, double, row);
  /* A list's first element */
  return g_ascii_strtod (text_at (column, row), NULL);
}

/* Up to 3 decimals, trailing zeros dropped. */
static char *
format_real (double v)
{
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

/* Dates and times as Vietnamese writes them: dd/MM/yyyy, HH:mm:ss. */
static char *
format_time_of_day (gint64 ms)
{
  gint64 s = ms / 1000;

  return g_strdup_printf ("%02d:%02d:%02d", (int) (s / 3600), (int) (s / 60 % 60), (int) (s % 60));
}

static char *
format_date (gint64 days)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (days * 86400);

  return t != NULL ? g_date_time_format (t, "%d/%m/%Y") : g_strdup ("");
}

static char *
format_datetime (gint64 ms)
{
  gint64 days = ms >= 0 ? ms / MS_PER_DAY : -((-ms + MS_PER_DAY - 1) / MS_PER_DAY);
  g_autofree char *date = format_date (days);
  g_autofree char *time = format_time_of_day (ms - days * MS_PER_DAY);

  return g_strdup_printf ("%s %s", date, time);
}

static char *
format_list (const Column *column,
             guint32       row)
{
  const char separator[] = { LIST_SEPARATOR, '\0' };
  g_auto(GStrv) items = *text_at (column, row) != '\0' ? g_strsplit (text_at (column, row), separator, -1)
                                                       : g_new0 (char *, 1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; items[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (out, "; ");
      if (column->type == SABAN_FIELD_REAL_LIST)
        {
          g_autofree char *number = format_real (g_ascii_strtod (items[i], NULL));
          g_string_append (out, number);
        }
      else
        g_string_append (out, items[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * saban_attribute_table_format:
 *
 * Booleans read "Có"/"Không", dates dd/MM/yyyy, times HH:mm:ss, real numbers
 * with the interface's separators (1.234,5), lists their elements with "; ".
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
      return g_strdup (text_at (column, row));
    case SABAN_FIELD_INTEGER:
      return g_strdup_printf ("%" G_GINT64_FORMAT, saban_attribute_table_get_integer (self, field, row));
    case SABAN_FIELD_BOOLEAN:
      return g_strdup (saban_attribute_table_get_integer (self, field, row) != 0 ? _("Yes") : _("No"));
    case SABAN_FIELD_DATE:
      return format_date (saban_attribute_table_get_integer (self, field, row));
    case SABAN_FIELD_TIME:
      return format_time_of_day (saban_attribute_table_get_integer (self, field, row));
    case SABAN_FIELD_DATETIME:
      return format_datetime (saban_attribute_table_get_integer (self, field, row));
    case SABAN_FIELD_INTEGER_LIST:
    case SABAN_FIELD_REAL_LIST:
    case SABAN_FIELD_STRING_LIST:
      return format_list (column, row);
    case SABAN_FIELD_REAL:
    default:
      return format_real (saban_attribute_table_get_real (self, field, row));
    }
}

typedef struct
{
  const SabanAttributeTable *table;
  guint field;
  gboolean descending;
} SortData;

static int
compare_elements (SabanFieldType  type,
                  const char     *a,
                  gsize           a_len,
                  const char     *b,
                  gsize           b_len)
{
  if (type == SABAN_FIELD_STRING_LIST)
    {
      g_autofree char *x = g_strndup (a, a_len);
      g_autofree char *y = g_strndup (b, b_len);

      return g_utf8_collate (x, y);
    }
  else
    {
      double x = g_ascii_strtod (a, NULL), y = g_ascii_strtod (b, NULL);

      return (x > y) - (x < y);
    }
}

/* Element by element; a list that is the start of another comes first. */
static int
compare_lists (SabanFieldType  type,
               const char     *a,
               const char     *b)
{
  while (*a != '\0' && *b != '\0')
    {
      const char *a_end = strchrnul (a, LIST_SEPARATOR), *b_end = strchrnul (b, LIST_SEPARATOR);
      int result = compare_elements (type, a, a_end - a, b, b_end - b);

      if (result != 0)
        return result;
      a = *a_end != '\0' ? a_end + 1 : a_end;
      b = *b_end != '\0' ? b_end + 1 : b_end;
    }
  return (*a != '\0') - (*b != '\0');
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const SortData *d = user_data;
  guint32 ra = *(const guint32 *) a, rb = *(const guint32 *) b;
  gboolean na = saban_attribute_table_is_null (d->table, d->field, ra);
  gboolean nb = saban_attribute_table_is_null (d->table, d->field, rb);
  const Column *column = column_at (d->table, d->field);
  int result;

  /* Empty values last, whichever the direction. */
  if (na || nb)
    return na == nb ? (ra > rb) - (ra < rb) : (na ? 1 : -1);
  if (column->type == SABAN_FIELD_STRING)
    result = g_utf8_collate (text_at (column, ra), text_at (column, rb));
  else if (saban_field_type_is_list (column->type))
    result = compare_lists (column->type, text_at (column, ra), text_at (column, rb));
  else if (saban_field_type_is_integer (column->type))
    {
      gint64 x = g_array_index (column->values, gint64, ra);
      gint64 y = g_array_index (column->values, gint64, rb);
      result = (x > y) - (x < y);
    }
  else
    {
      double x = g_array_index (column->values, double, ra);
      double y = g_array_index (column->values, double, rb);
      result = (x > y) - (x < y);
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

/**
 * saban_attribute_table_new_like:
 *
 * Returns: (transfer full): an empty table with the fields of @self
 */
SabanAttributeTable *
saban_attribute_table_new_like (const SabanAttributeTable *self)
{
  SabanAttributeTable *copy = saban_attribute_table_new ();

  for (guint i = 0; i < self->columns->len; i++)
    {
      const Column *column = g_ptr_array_index (self->columns, i);

      saban_attribute_table_add_field (copy, column->name, column->type);
    }
  return copy;
}

/**
 * saban_attribute_table_append_row:
 * @from: a table with the same fields (saban_attribute_table_new_like())
 *
 * Appends a copy of @from's @row.
 */
void
saban_attribute_table_append_row (SabanAttributeTable       *self,
                                  const SabanAttributeTable *from,
                                  guint32                    row)
{
  g_return_if_fail (self->columns->len == from->columns->len);
  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *column = g_ptr_array_index (self->columns, i);
      const Column *source = g_ptr_array_index (from->columns, i);

      g_return_if_fail (column->type == source->type);
      if (is_text (column->type))
        append_text (column, text_at (source, row), strlen (text_at (source, row)));
      else if (saban_field_type_is_integer (column->type))
        {
          g_array_append_val (column->values, g_array_index (source->values, gint64, row));
          append_flag (column, 0);
        }
      else
        {
          g_array_append_val (column->values, g_array_index (source->values, double, row));
          append_flag (column, 0);
        }
      g_array_index (column->nulls, guint8, column->nulls->len - 1) = g_array_index (source->nulls, guint8, row);
    }
}
