#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *saban_credentials_strip  (const char *source,
                                char      **password);
char *saban_credentials_attach (const char *source);
void  saban_credentials_keep   (const char *source);
void  saban_credentials_store  (const char *key,
                                const char *password);
char *saban_credentials_lookup (const char *key);
void  saban_credentials_keep_account   (const char *server,
                                        const char *account,
                                        const char *password);
char *saban_credentials_lookup_account (const char *server,
                                        const char *account);

G_END_DECLS
