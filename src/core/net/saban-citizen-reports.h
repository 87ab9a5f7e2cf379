#pragma once

#include <gio/gio.h>

#include "saban-api.h"
#include "saban-impact.h"

G_BEGIN_DECLS

void    saban_citizen_reports_fetch_async  (SabanApi            *api,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GArray *saban_citizen_reports_fetch_finish (GAsyncResult        *result,
                                            GError             **error);
GArray *saban_citizen_reports_parse        (GBytes              *body,
                                            GError             **error);

G_END_DECLS
