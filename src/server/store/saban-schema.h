#pragma once

#include "saban-store.h"

G_BEGIN_DECLS

typedef struct
{
  const char *name;
  gboolean    has_id;  /* an `id` the database numbers (AUTOINCREMENT, identity) */
} SabanSchemaTable;

extern const SabanMigration   saban_schema_migrations[];
extern const guint            saban_schema_n_migrations;
extern const SabanSchemaTable saban_schema_tables[];
extern const char *const      saban_schema_state_tables[];

G_END_DECLS
