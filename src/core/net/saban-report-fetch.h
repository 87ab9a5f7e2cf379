#pragma once

#include "saban-api.h"

#include "saban-report-data.h"

G_BEGIN_DECLS

void             saban_report_fetch_async        (SabanApi            *api,
                                                  const GDate         *from,
                                                  const GDate         *to,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
SabanReportData *saban_report_fetch_finish       (GAsyncResult        *result,
                                                  GError             **error);
void             saban_report_make_async         (SabanApi            *api,
                                                  const GDate         *from,
                                                  const GDate         *to,
                                                  const char          *pdf,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
char            *saban_report_make_finish        (GAsyncResult        *result,
                                                  GError             **error);
int              saban_report_command_line       (int                  argc,
                                                  char               **argv);
gboolean         saban_report_command_line_wants (int                  argc,
                                                  char               **argv);

G_END_DECLS
