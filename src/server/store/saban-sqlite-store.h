#pragma once

#include <sqlite3.h>

#include "saban-store.h"

G_BEGIN_DECLS

#define SABAN_TYPE_SQLITE_STORE (saban_sqlite_store_get_type ())
G_DECLARE_FINAL_TYPE (SabanSqliteStore, saban_sqlite_store, SABAN, SQLITE_STORE, SabanStore)

SabanStore *saban_sqlite_store_open         (const char       *path,
                                             GError          **error);
void        saban_sqlite_store_add_function (SabanSqliteStore *self,
                                             const char       *name,
                                             int               n_args,
                                             void            (*func) (sqlite3_context *, int, sqlite3_value **));
const char *saban_sqlite_store_get_path     (SabanSqliteStore *self);
gboolean    saban_sqlite_store_backup       (SabanSqliteStore *self,
                                             const char       *out_path,
                                             GError          **error);

G_END_DECLS
