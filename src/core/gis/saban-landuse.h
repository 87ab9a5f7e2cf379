#pragma once

#include "saban-attribute-table.h"

G_BEGIN_DECLS

/* The smallest share of a field's values that must be land-use codes for
 * the field to be taken as a layer's land-use field. */
#define SABAN_LANDUSE_MIN_SHARE 0.6

gboolean     saban_landuse_is_code      (const char                *code);
const char  *saban_landuse_describe     (const char                *code);
const char  *saban_landuse_get_color    (const char                *code);
const char * const *saban_landuse_get_codes (guint                 *n_codes);
int          saban_landuse_find_field   (const SabanAttributeTable *table,
                                         double                    *share);
char        *saban_landuse_code_of      (const SabanAttributeTable *table,
                                         guint                      field,
                                         guint32                    row);

G_END_DECLS
