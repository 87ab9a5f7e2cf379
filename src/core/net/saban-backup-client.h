#pragma once

#include "saban-api.h"
#include "saban-backup-status.h"

G_BEGIN_DECLS

void               saban_backups_read_async    (SabanApi            *api,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
SabanBackupStatus *saban_backups_read_finish   (GAsyncResult        *result,
                                                GError             **error);
void               saban_backup_read_async     (SabanApi            *api,
                                                gint64               id,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
void               saban_backup_make_async     (SabanApi            *api,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
void               saban_backup_verify_async   (SabanApi            *api,
                                                gint64               id,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
SabanBackupRecord *saban_backup_finish         (GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
