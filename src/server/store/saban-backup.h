#pragma once

#include "saban-manifest.h"

G_BEGIN_DECLS

gboolean saban_backup_make   (const char          *location,
                              const char          *out_path,
                              SabanManifest      **manifest,
                              GError             **error);
gboolean saban_backup_verify (const char          *location,
                              const char          *file,
                              const SabanManifest *expected,
                              GError             **error);
char    *saban_backup_manifest_path (const char   *file);

G_END_DECLS
