#pragma once

#include "saban-store.h"

G_BEGIN_DECLS

SabanStore  *saban_store_open             (const char  *location,
                                           GError     **error);
SabanStore  *saban_store_connect          (const char  *location,
                                           GError     **error);
int          saban_store_get_latest_version (void);
gboolean     saban_store_migrate          (SabanStore  *self,
                                           GError     **error);

G_END_DECLS
