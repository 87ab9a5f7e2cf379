#pragma once

#include "saban-server.h"

G_BEGIN_DECLS

/* When backups are made, how many are kept, and when the last good one is
 * too old (the alarm). */
typedef struct
{
  char  *directory;  /* NULL: no scheduled backups */
  guint  every;      /* seconds between backups */
  guint  keep;       /* good backups kept; older ones are deleted */
  guint  max_age;    /* seconds the last good backup may age before the alarm */
} SabanBackupPolicy;

#define SABAN_BACKUP_EVERY_S   (24 * 3600)
#define SABAN_BACKUP_KEEP      7
#define SABAN_BACKUP_MAX_AGE_S (36 * 3600)

#define SABAN_TYPE_BACKUPS (saban_backups_get_type ())
G_DECLARE_FINAL_TYPE (SabanBackups, saban_backups, SABAN, BACKUPS, GObject)

SabanBackups *saban_backups_new      (SabanServer             *server,
                                      const char              *location,
                                      const SabanBackupPolicy *policy);
void          saban_backups_start    (SabanBackups            *self);
const char   *saban_backups_get_state (SabanBackups           *self);

G_END_DECLS
