#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char *saban_credentials_strip  (const char *source,
                                char      **password);
char *saban_credentials_attach (const char *source);
void  saban_credentials_keep   (const char *source);
void  saban_credentials_store  (const char *key,
                                const char *password);
char *saban_credentials_lookup (const char *key);

void  saban_credentials_keep_account          (const char          *server,
                                               const char          *account,
                                               const char          *password);
void  saban_credentials_forget_account        (const char          *server,
                                               const char          *account);
void  saban_credentials_lookup_account_async  (const char          *server,
                                               const char          *account,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
char *saban_credentials_lookup_account_finish (GAsyncResult        *result,
                                               GError             **error);
char *saban_credentials_lookup_account        (const char          *server,
                                               const char          *account);

G_END_DECLS
