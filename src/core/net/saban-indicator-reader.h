#pragma once

#include "saban-api.h"

#include "saban-indicator-set.h"

G_BEGIN_DECLS

void               saban_indicator_reader_fetch_async  (SabanApi            *api,
                                                        const SabanPeriod   *from,
                                                        const SabanPeriod   *to,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
SabanIndicatorSet *saban_indicator_reader_fetch_finish (GAsyncResult        *result,
                                                        GError             **error);

G_END_DECLS
