#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *saban_credentials_strip  (const char *source,
                                char      **password);
char *saban_credentials_attach (const char *source);
void  saban_credentials_keep   (const char *source);

char    *saban_credentials_lookup_broker (const char *broker,
                                          const char *user);
gboolean saban_credentials_keep_broker   (const char *broker,
                                          const char *user,
                                          const char *password);

G_END_DECLS
