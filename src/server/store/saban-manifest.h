#pragma once

#include <json-glib/json-glib.h>

#include "saban-store.h"

G_BEGIN_DECLS

/* What a copy of the server's data must hold, table by table: the number of
 * rows and a checksum of their values. The checksum does not depend on the
 * order rows come in nor on the database (SQLite or PostgreSQL), so a
 * backup restored elsewhere, or a pilot moved to production, is checked
 * against the original. */
typedef struct _SabanManifest SabanManifest;

SabanManifest *saban_manifest_compute    (SabanStore          *store,
                                          GError             **error);
SabanManifest *saban_manifest_from_json  (JsonNode            *node,
                                          GError             **error);
JsonNode      *saban_manifest_to_json    (const SabanManifest *self);
char          *saban_manifest_compare    (const SabanManifest *expected,
                                          const SabanManifest *actual);
gint64         saban_manifest_get_rows   (const SabanManifest *self,
                                          const char          *table);
char          *saban_manifest_get_checksum (const SabanManifest *self,
                                          const char          *table);
void           saban_manifest_free       (SabanManifest       *self);

typedef gboolean (*SabanRowFunc) (SabanStmt *row,
                                  gpointer   data,
                                  GError   **error);

gboolean       saban_store_for_each_row  (SabanStore          *store,
                                          const char          *table,
                                          SabanRowFunc         func,
                                          gpointer             data,
                                          GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SabanManifest, saban_manifest_free)

G_END_DECLS
