#pragma once

#include "saban-server.h"

G_BEGIN_DECLS

/* Anonymous citizens may create this many requests per client address per window. */
#define SABAN_OPEN311_ANON_LIMIT    10
#define SABAN_OPEN311_ANON_WINDOW_S 600
/* requests.json answers at most this many (our `limit`/`offset` extension pages) */
#define SABAN_OPEN311_PAGE_MAX      1000
/* a stated purpose for unmasking a reporter, in characters */
#define SABAN_OPEN311_PURPOSE_MIN   10
#define SABAN_OPEN311_PURPOSE_MAX   500
/* the largest photo served, in bytes */
#define SABAN_OPEN311_MEDIA_MAX     (4 * 1024 * 1024)
/* the demo's citizen reports */
#define SABAN_OPEN311_DEMO_REQUESTS 40

void      saban_open311_register   (SabanServer *server);
void      saban_open311_serve_media (SabanServer *server,
                                     const char  *dir);
gboolean  saban_open311_seed_demo  (SabanStore  *store,
                                    const char  *gpkg_path,
                                    guint        n_requests,
                                    GError     **error);
char     *saban_open311_mask_name  (const char  *name,
                                    gboolean     given_name);
char     *saban_open311_mask_phone (const char  *phone);
char     *saban_open311_mask_email (const char  *email);

G_END_DECLS
