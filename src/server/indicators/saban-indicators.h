#pragma once

#include "saban-server.h"

G_BEGIN_DECLS

gboolean saban_indicators_sync_units (SabanStore  *store,
                                      const char  *gpkg_path,
                                      GError     **error);
void     saban_indicators_register   (SabanServer *server);

G_END_DECLS
