#pragma once

#include "saban-store.h"

G_BEGIN_DECLS

#define SABAN_TYPE_PG_STORE (saban_pg_store_get_type ())
G_DECLARE_FINAL_TYPE (SabanPgStore, saban_pg_store, SABAN, PG_STORE, SabanStore)

SabanStore *saban_pg_store_open    (const char   *uri,
                                    GError      **error);
const char *saban_pg_store_get_uri (SabanPgStore *self);
char       *saban_pg_store_uri_for (SabanPgStore *self,
                                    const char   *dbname);
char       *saban_pg_program       (const char   *name);
char       *saban_pg_sql           (const char   *sql,
                                    int          *n_params);

G_END_DECLS
