#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Every field type GDAL reports. Booleans, dates and times are kept as
 * integers: a date as days since 1970-01-01, a time as milliseconds since
 * midnight, a date and time as milliseconds since 1970-01-01 00:00 of the
 * clock it was recorded on (GDAL 3.6 hands over that wall time). Lists are
 * kept as their elements' text. */
typedef enum
{
  SABAN_FIELD_STRING,
  SABAN_FIELD_INTEGER,
  SABAN_FIELD_REAL,
  SABAN_FIELD_BOOLEAN,
  SABAN_FIELD_DATE,
  SABAN_FIELD_TIME,
  SABAN_FIELD_DATETIME,
  SABAN_FIELD_INTEGER_LIST,
  SABAN_FIELD_REAL_LIST,
  SABAN_FIELD_STRING_LIST,
} SabanFieldType;

typedef struct _SabanAttributeTable SabanAttributeTable;

SabanAttributeTable *saban_attribute_table_new            (void);
void                 saban_attribute_table_free           (SabanAttributeTable *self);
guint                saban_attribute_table_add_field      (SabanAttributeTable *self,
                                                           const char          *name,
                                                           SabanFieldType       type);
void                 saban_attribute_table_append_null    (SabanAttributeTable *self,
                                                           guint                field);
void                 saban_attribute_table_append_string  (SabanAttributeTable *self,
                                                           guint                field,
                                                           const char          *value,
                                                           gsize                len);
void                 saban_attribute_table_append_integer (SabanAttributeTable *self,
                                                           guint                field,
                                                           gint64               value);
void                 saban_attribute_table_append_real    (SabanAttributeTable *self,
                                                           guint                field,
                                                           double               value);
void                 saban_attribute_table_append_list    (SabanAttributeTable *self,
                                                           guint                field,
                                                           const char * const  *items,
                                                           guint                n_items);
void                 saban_attribute_table_append_row     (SabanAttributeTable *self,
                                                           const SabanAttributeTable *from,
                                                           guint32              row);
SabanAttributeTable *saban_attribute_table_new_like       (const SabanAttributeTable *self);

guint                saban_attribute_table_get_n_fields   (const SabanAttributeTable *self);
guint32              saban_attribute_table_get_n_rows     (const SabanAttributeTable *self);
int                  saban_attribute_table_find_field     (const SabanAttributeTable *self,
                                                           const char          *name);
const char          *saban_attribute_table_get_field_name (const SabanAttributeTable *self,
                                                           guint                field);
SabanFieldType       saban_attribute_table_get_field_type (const SabanAttributeTable *self,
                                                           guint                field);
gboolean             saban_attribute_table_is_null        (const SabanAttributeTable *self,
                                                           guint                field,
                                                           guint32              row);
const char          *saban_attribute_table_get_string     (const SabanAttributeTable *self,
                                                           guint                field,
                                                           guint32              row);
gint64               saban_attribute_table_get_integer    (const SabanAttributeTable *self,
                                                           guint                field,
                                                           guint32              row);
double               saban_attribute_table_get_real       (const SabanAttributeTable *self,
                                                           guint                field,
                                                           guint32              row);
char               **saban_attribute_table_dup_list       (const SabanAttributeTable *self,
                                                           guint                field,
                                                           guint32              row);
gboolean             saban_field_type_is_integer          (SabanFieldType       type);
gboolean             saban_field_type_is_list             (SabanFieldType       type);
char                *saban_attribute_table_format         (const SabanAttributeTable *self,
                                                           guint                field,
                                                           guint32              row);

void                 saban_attribute_table_sort_rows      (const SabanAttributeTable *self,
                                                           guint                field,
                                                           gboolean             descending,
                                                           guint32             *rows,
                                                           guint32              n_rows);
GArray              *saban_attribute_table_filter_rows    (const SabanAttributeTable *self,
                                                           const char          *query);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SabanAttributeTable, saban_attribute_table_free)

G_END_DECLS
