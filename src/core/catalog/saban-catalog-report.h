#pragma once

#include <gio/gio.h>

#include "saban-catalog-entry.h"

G_BEGIN_DECLS

typedef enum
{
  SABAN_CATALOG_REPORT_CSV,
  SABAN_CATALOG_REPORT_XLSX,
  SABAN_CATALOG_REPORT_PDF,
} SabanCatalogReportFormat;

gboolean saban_catalog_report_write        (GPtrArray                 *entries,
                                            SabanCatalogReportFormat   format,
                                            GDateTime                 *now,
                                            const char                *path,
                                            GError                   **error);
void     saban_catalog_report_write_async  (GPtrArray                 *entries,
                                            SabanCatalogReportFormat   format,
                                            GDateTime                 *now,
                                            const char                *path,
                                            GCancellable              *cancellable,
                                            GAsyncReadyCallback        callback,
                                            gpointer                   user_data);
gboolean saban_catalog_report_write_finish (GAsyncResult              *result,
                                            GError                   **error);

G_END_DECLS
