#pragma once

#include <libsoup/soup.h>

#include "saban-indicator-set.h"

G_BEGIN_DECLS

void               saban_indicator_reader_fetch_async  (SoupSession         *session,
                                                        const char          *base_url,
                                                        const char          *token,
                                                        const SabanPeriod   *from,
                                                        const SabanPeriod   *to,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
SabanIndicatorSet *saban_indicator_reader_fetch_finish (GAsyncResult        *result,
                                                        GError             **error);

G_END_DECLS
