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

#define SABAN_TYPE_BACKUP_RECORD (saban_backup_record_get_type ())
G_DECLARE_FINAL_TYPE (SabanBackupRecord, saban_backup_record, SABAN, BACKUP_RECORD, GObject)

SabanBackupRecord      *saban_backup_record_new_from_json  (JsonObject         *object,
                                                            GError            **error);
gint64                  saban_backup_record_get_id         (SabanBackupRecord  *self);
gint64                  saban_backup_record_get_started    (SabanBackupRecord  *self);
gint64                  saban_backup_record_get_finished   (SabanBackupRecord  *self);
gint64                  saban_backup_record_get_verified   (SabanBackupRecord  *self);
gint64                  saban_backup_record_get_pruned     (SabanBackupRecord  *self);
const char             *saban_backup_record_get_kind       (SabanBackupRecord  *self);
const char             *saban_backup_record_get_file       (SabanBackupRecord  *self);
gint64                  saban_backup_record_get_bytes      (SabanBackupRecord  *self);
gboolean                saban_backup_record_get_ok         (SabanBackupRecord  *self);
const char             *saban_backup_record_get_detail     (SabanBackupRecord  *self);
guint                   saban_backup_record_get_n_tables   (SabanBackupRecord  *self);
const SabanBackupTable *saban_backup_record_get_table      (SabanBackupRecord  *self,
                                                            guint               index);

G_END_DECLS
