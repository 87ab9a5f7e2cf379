#pragma once

#include "saban-manifest.h"

G_BEGIN_DECLS

gboolean saban_store_find_data   (SabanStore     *store,
                                  char          **table,
                                  GError        **error);
gboolean saban_store_drop_schema (SabanStore     *store,
                                  GError        **error);
gboolean saban_store_copy        (SabanStore     *from,
                                  SabanStore     *to,
                                  SabanManifest **manifest,
                                  GError        **error);
gboolean saban_store_compare     (SabanStore     *from,
                                  SabanStore     *to,
                                  SabanManifest **manifest,
                                  GError        **error);

G_END_DECLS
