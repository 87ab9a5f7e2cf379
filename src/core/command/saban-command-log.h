#pragma once

#include "saban-command-store.h"

G_BEGIN_DECLS

/* Readings of the scenario log (the store's SABAN_COMMAND_LOG items) that
 * the UI needs and the store does not give directly. */

SabanCommandItem *saban_command_log_last_change (SabanCommandStore *store,
                                                 SabanCommandItem  *item);
gboolean          saban_command_log_is_move_by_other (SabanCommandItem *entry,
                                                      const char       *account);
gint64            saban_command_log_get_created  (SabanCommandItem       *entry,
                                                  SabanCommandCollection *collection);

G_END_DECLS
