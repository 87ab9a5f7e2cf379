#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "saban-backup-record.h"

G_BEGIN_DECLS

/* the server's word for its backups (GET /admin/backups "state") */
typedef enum
{
  SABAN_BACKUP_STATE_OFF,      /* no backup directory: the server makes none */
  SABAN_BACKUP_STATE_NONE,     /* on, and no good backup yet */
  SABAN_BACKUP_STATE_OK,       /* the last good backup is within the policy */
  SABAN_BACKUP_STATE_OVERDUE,  /* the last good backup is older than the policy */
} SabanBackupState;

#define SABAN_TYPE_BACKUP_STATUS (saban_backup_status_get_type ())
G_DECLARE_FINAL_TYPE (SabanBackupStatus, saban_backup_status, SABAN, BACKUP_STATUS, GObject)

SabanBackupStatus *saban_backup_status_new_from_json       (JsonNode          *node,
                                                            GError           **error);
SabanBackupState   saban_backup_status_get_state           (SabanBackupStatus *self);
gboolean           saban_backup_status_get_running         (SabanBackupStatus *self);
const char        *saban_backup_status_get_directory       (SabanBackupStatus *self);
gint64             saban_backup_status_get_every           (SabanBackupStatus *self);
gint64             saban_backup_status_get_keep            (SabanBackupStatus *self);
gint64             saban_backup_status_get_max_age         (SabanBackupStatus *self);
gint64             saban_backup_status_get_last_good       (SabanBackupStatus *self);
gint64             saban_backup_status_get_last_good_age   (SabanBackupStatus *self);
GListModel        *saban_backup_status_get_backups         (SabanBackupStatus *self);

G_END_DECLS
