#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  int epsg;
  const char *name;   /* the EPSG name */
} SabanCrsEntry;

const SabanCrsEntry *saban_crs_catalog_get   (guint *n_entries);
int                  saban_crs_catalog_index (int    epsg);

G_END_DECLS
