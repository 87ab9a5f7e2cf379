#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* SabanCommandReplay: a scenario's history, from its scenario-log entries
 * (a GListModel of SabanCommandItem, e.g. saban_command_store_list_log()),
 * for a time slider. get_range() gives the first and last entry's times;
 * *_status_at (t) the status after every entry at or before t (NULL if the
 * item did not exist yet); tasks_at() a table task id (gint64 *) → status
 * (const char *); count_at() how many tasks had @status at t. The replay is
 * a snapshot: make a new one when the log grows. */

#define SABAN_TYPE_COMMAND_REPLAY (saban_command_replay_get_type ())
G_DECLARE_FINAL_TYPE (SabanCommandReplay, saban_command_replay, SABAN, COMMAND_REPLAY, GObject)

SabanCommandReplay *saban_command_replay_new                 (GListModel         *log);
gboolean            saban_command_replay_get_range           (SabanCommandReplay *self,
                                                              GDateTime         **start,
                                                              GDateTime         **end);
const char         *saban_command_replay_scenario_status_at  (SabanCommandReplay *self,
                                                              GDateTime          *t);
const char         *saban_command_replay_task_status_at      (SabanCommandReplay *self,
                                                              gint64              task_id,
                                                              GDateTime          *t);
GHashTable         *saban_command_replay_tasks_at            (SabanCommandReplay *self,
                                                              GDateTime          *t);
guint               saban_command_replay_count_at            (SabanCommandReplay *self,
                                                              GDateTime          *t,
                                                              const char         *status);
GArray             *saban_command_replay_get_task_ids        (SabanCommandReplay *self);
guint               saban_command_replay_get_n_entries_at    (SabanCommandReplay *self,
                                                              GDateTime          *t);

G_END_DECLS
