#pragma once

#include "saban-store.h"

G_BEGIN_DECLS

#define SABAN_DEMO_PASSWORD "saban-demo"
/* the last of the photos saban-datagen --photos draws */
#define SABAN_DEMO_LAST_PHOTO "hu-hong-duong-2.png"

char     *saban_demo_find_data (const char  *self_exe,
                                GError     **error);
char     *saban_demo_find_photos (const char  *self_exe,
                                  GError     **error);
gboolean  saban_demo_seed      (SabanStore  *store,
                                GError     **error);
gboolean  saban_demo_seed_indicators (SabanStore *store,
                                      const char *self_exe,
                                      GError    **error);

G_END_DECLS
