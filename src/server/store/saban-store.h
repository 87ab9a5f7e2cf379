#pragma once

#include <glib-object.h>

#include "saban-stmt.h"

G_BEGIN_DECLS

/* The SQL a store speaks where SQLite and PostgreSQL differ; most SQL is
 * written once for both (see docs/architecture.md, "The store"). */
typedef enum
{
  SABAN_DIALECT_SQLITE,
  SABAN_DIALECT_POSTGRES,
} SabanDialect;

#define SABAN_TYPE_STORE (saban_store_get_type ())
G_DECLARE_DERIVABLE_TYPE (SabanStore, saban_store, SABAN, STORE, GObject)

struct _SabanStoreClass
{
  GObjectClass parent_class;

  SabanDialect dialect;
  SabanStmt  *(*prepare)      (SabanStore  *self,
                               const char  *sql,
                               GError     **error);
  gboolean    (*exec)         (SabanStore  *self,
                               const char  *sql,
                               GError     **error);
  gboolean    (*in_transaction) (SabanStore *self);
  SabanStore *(*open_reader)  (SabanStore  *self,
                               GError     **error);
  gboolean    (*is_usable)    (SabanStore  *self);
};

/* One migration: the same schema version in either dialect. */
typedef struct
{
  const char *sqlite;
  const char *postgres;
} SabanMigration;

gboolean     saban_store_is_postgres_uri  (const char  *location);
char        *saban_store_describe         (const char  *location);
SabanDialect saban_store_get_dialect      (SabanStore  *self);
int          saban_store_get_schema_version (SabanStore *self);
SabanStmt   *saban_store_prepare          (SabanStore  *self,
                                           const char  *sql,
                                           GError     **error);
gboolean     saban_store_exec             (SabanStore  *self,
                                           const char  *sql,
                                           GError     **error);
gboolean     saban_store_begin            (SabanStore  *self,
                                           GError     **error);
gboolean     saban_store_commit           (SabanStore  *self,
                                           GError     **error);
void         saban_store_rollback         (SabanStore  *self);
gboolean     saban_store_audit            (SabanStore  *self,
                                           const char  *actor,
                                           const char  *action,
                                           const char  *target,
                                           const char  *detail,
                                           GError     **error);
gboolean     saban_store_in_transaction   (SabanStore  *self);
gboolean     saban_store_is_available     (SabanStore  *self);
guint        saban_store_get_unavailable_count (SabanStore *self);
char        *saban_store_now              (void);
char        *saban_store_format_time      (GDateTime   *time);
SabanStore  *saban_store_acquire_reader   (SabanStore  *self,
                                           GError     **error);
void         saban_store_release_reader   (SabanStore  *self,
                                           SabanStore  *reader);

/* for the backends */
void         saban_store_set_schema_version (SabanStore *self,
                                           int          version);
void         saban_store_note_unavailable (SabanStore  *self);

G_END_DECLS
