#pragma once

#include "saban-server.h"

G_BEGIN_DECLS

void      saban_command_api_register   (SabanServer *server);
gboolean  saban_command_api_insert_seed (SabanStore  *store,
                                         const char  *collection,
                                         JsonObject  *properties,
                                         const char  *time,
                                         GError     **error);
gboolean  saban_command_api_has_items   (SabanStore  *store,
                                         const char  *collection);

G_END_DECLS
