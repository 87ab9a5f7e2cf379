#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

void      saban_http_get_json_async  (SoupSession         *session,
                                      const char          *url,
                                      const char          *token,
                                      gsize                max_bytes,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
JsonNode *saban_http_get_json_finish (GAsyncResult        *result,
                                      GError             **error);

G_END_DECLS
