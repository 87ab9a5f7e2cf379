#pragma once

#include "saban-server.h"

G_BEGIN_DECLS

/* Anonymous citizens may create this many requests per client address per window. */
#define SABAN_OPEN311_ANON_LIMIT    10
#define SABAN_OPEN311_ANON_WINDOW_S 600
/* requests.json answers at most this many (our `limit`/`offset` extension pages) */
#define SABAN_OPEN311_PAGE_MAX      1000

void      saban_open311_register   (SabanServer *server);
gboolean  saban_open311_seed_demo  (SabanStore  *store,
                                    const char  *gpkg_path,
                                    GError     **error);
char     *saban_open311_mask_name  (const char  *name,
                                    gboolean     given_name);
char     *saban_open311_mask_phone (const char  *phone);
char     *saban_open311_mask_email (const char  *email);

G_END_DECLS
