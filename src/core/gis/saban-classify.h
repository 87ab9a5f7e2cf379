#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SABAN_CLASSIFY_EQUAL_INTERVAL,
  SABAN_CLASSIFY_QUANTILE,
  SABAN_CLASSIFY_NATURAL_BREAKS,
} SabanClassifyMethod;

GArray *saban_classify (const double        *values,
                        gsize                n_values,
                        guint                n_classes,
                        SabanClassifyMethod  method);

guint   saban_classify_class_of (GArray              *breaks,
                                 double               value);

G_END_DECLS
