#pragma once

#include "saban-store.h"
#include "saban-router.h"

G_BEGIN_DECLS

#define SABAN_PBKDF2_ITERATIONS 120000
#define SABAN_TOKEN_LIFETIME_S  (8 * 3600)

extern const char *const saban_auth_can_import_indicators[];

char     *saban_auth_hash_password   (const char  *password,
                                      guint        iterations);
gboolean  saban_auth_verify_password (const char  *stored,
                                      const char  *password);
gboolean  saban_auth_ensure_user     (SabanStore  *store,
                                      const char  *username,
                                      const char  *role,
                                      const char  *password,
                                      GError     **error);
gboolean  saban_auth_lookup_token    (SabanStore  *store,
                                      const char  *token,
                                      char       **username,
                                      char       **role);
gboolean  saban_auth_is_role         (const char  *role);
void      saban_auth_register        (SabanServer *server,
                                      guint        token_lifetime,
                                      guint        lockout);

G_END_DECLS
