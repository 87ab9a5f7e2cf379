#pragma once

#include <glib-object.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define SABAN_TYPE_STORE (saban_store_get_type ())
G_DECLARE_FINAL_TYPE (SabanStore, saban_store, SABAN, STORE, GObject)

SabanStore *saban_store_open        (const char  *path,
                                     GError     **error);
sqlite3    *saban_store_get_db      (SabanStore  *self);
int         saban_store_get_schema_version (SabanStore *self);
gboolean    saban_store_begin       (SabanStore  *self,
                                     GError     **error);
gboolean    saban_store_commit      (SabanStore  *self,
                                     GError     **error);
void        saban_store_rollback    (SabanStore  *self);
sqlite3_stmt *saban_store_prepare   (SabanStore  *self,
                                     const char  *sql,
                                     GError     **error);
gboolean    saban_store_exec        (SabanStore  *self,
                                     const char  *sql,
                                     GError     **error);
gboolean    saban_store_audit       (SabanStore  *self,
                                     const char  *actor,
                                     const char  *action,
                                     const char  *target,
                                     const char  *detail,
                                     GError     **error);
gboolean    saban_store_backup      (const char  *db_path,
                                     const char  *out_path,
                                     GError     **error);
char       *saban_store_now         (void);
void        saban_store_add_function (SabanStore *self,
                                     const char  *name,
                                     int          n_args,
                                     void       (*func) (sqlite3_context *, int, sqlite3_value **));
SabanStore *saban_store_acquire_reader (SabanStore *self,
                                     GError     **error);
void        saban_store_release_reader (SabanStore *self,
                                     SabanStore  *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
