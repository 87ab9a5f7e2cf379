#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* what one backup holds of one table, as its manifest says */
typedef struct
{
  char   *name;
  gint64  rows;
  char   *checksum;   /* 32 hex digits */
} SabanBackupTable;

#define SABAN_TYPE_BACKUP (saban_backup_get_type ())
G_DECLARE_FINAL_TYPE (SabanBackup, saban_backup, SABAN, BACKUP, GObject)

SabanBackup            *saban_backup_new_from_json   (JsonObject   *object,
                                                      GError      **error);
gint64                  saban_backup_get_id          (SabanBackup  *self);
gint64                  saban_backup_get_started     (SabanBackup  *self);
gint64                  saban_backup_get_finished    (SabanBackup  *self);
gint64                  saban_backup_get_verified    (SabanBackup  *self);
gint64                  saban_backup_get_pruned      (SabanBackup  *self);
const char             *saban_backup_get_kind        (SabanBackup  *self);
const char             *saban_backup_get_file        (SabanBackup  *self);
gint64                  saban_backup_get_bytes       (SabanBackup  *self);
gboolean                saban_backup_get_ok          (SabanBackup  *self);
const char             *saban_backup_get_detail      (SabanBackup  *self);
guint                   saban_backup_get_n_tables    (SabanBackup  *self);
const SabanBackupTable *saban_backup_get_table       (SabanBackup  *self,
                                                      guint         index);

G_END_DECLS
