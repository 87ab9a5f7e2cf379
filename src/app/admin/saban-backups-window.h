#pragma once

#include <adwaita.h>

#include "saban-backup-status.h"
#include "saban-session.h"

G_BEGIN_DECLS

#define SABAN_TYPE_BACKUPS_WINDOW (saban_backups_window_get_type ())

G_DECLARE_FINAL_TYPE (SabanBackupsWindow, saban_backups_window, SABAN, BACKUPS_WINDOW, AdwWindow)

SabanBackupsWindow *saban_backups_window_show       (GtkApplication     *application,
                                                     SabanSession       *session);
gboolean            saban_backups_window_get_busy   (SabanBackupsWindow *self);
SabanBackupStatus  *saban_backups_window_get_status (SabanBackupsWindow *self);

G_END_DECLS
