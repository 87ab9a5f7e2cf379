#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "saban-command-item.h"

G_BEGIN_DECLS

/* SabanCommandStore: the client's model of the Command API — playbooks,
 * scenarios, tasks, sitreps and scenario-log entries, each a
 * SabanCommandItem kept by (collection, id) with its version, properties and
 * geometry. Pure model: no I/O.
 *
 * Signals: "item-changed" (SabanCommandItem) when an item appears or changes
 * (including pending marks and a local id becoming the server's);
 * "item-removed" (SabanCommandItem) when a local item the server refused
 * goes away. notify::n-pending.
 *
 * saban_command_store_list() is a live GListModel of SabanCommandItem:
 * one collection, optionally one scenario (scenario_id > 0; for scenarios
 * and playbooks give 0) and a set of statuses (NULL: any), sorted by id;
 * the board's column "tasks of scenario 7 that are in_progress or paused" is
 * list (store, SABAN_COMMAND_TASKS, 7, (const char *[]) { "in_progress",
 * "paused", NULL }). list_log() is the scenario's log in time order.
 * get_overdue_tasks(): tasks whose dueAt is before @now and that are not
 * completed, failed or cancelled (scenario_id 0: every scenario); call it
 * each minute.
 *
 * The pending part (add_local, add_patch, settle, set_conflict) is driven
 * by SabanCommandClient; the UI only reads it through the items. */

#define SABAN_TYPE_COMMAND_STORE (saban_command_store_get_type ())
G_DECLARE_FINAL_TYPE (SabanCommandStore, saban_command_store, SABAN, COMMAND_STORE, GObject)

SabanCommandStore *saban_command_store_new                 (void);

/* what the server says */
gboolean           saban_command_store_apply_feature       (SabanCommandStore      *self,
                                                            SabanCommandCollection  collection,
                                                            JsonNode               *feature,
                                                            GError                **error);
gboolean           saban_command_store_apply_collection    (SabanCommandStore      *self,
                                                            SabanCommandCollection  collection,
                                                            JsonNode               *feature_collection,
                                                            GError                **error);
char              *saban_command_store_get_watermark       (SabanCommandStore      *self,
                                                            SabanCommandCollection  collection);
void               saban_command_store_set_watermark       (SabanCommandStore      *self,
                                                            SabanCommandCollection  collection,
                                                            const char             *since);

/* reading */
SabanCommandItem  *saban_command_store_lookup              (SabanCommandStore      *self,
                                                            SabanCommandCollection  collection,
                                                            gint64                  id);
SabanCommandItem  *saban_command_store_lookup_local        (SabanCommandStore      *self,
                                                            const char             *key);
SabanCommandItem  *saban_command_store_find_playbook       (SabanCommandStore      *self,
                                                            const char             *code);
GListModel        *saban_command_store_list                (SabanCommandStore      *self,
                                                            SabanCommandCollection  collection,
                                                            gint64                  scenario_id,
                                                            const char * const     *statuses);
GListModel        *saban_command_store_list_log            (SabanCommandStore      *self,
                                                            gint64                  scenario_id);
GPtrArray         *saban_command_store_get_overdue_tasks   (SabanCommandStore      *self,
                                                            gint64                  scenario_id,
                                                            GDateTime              *now);

/* A scenario's tasks in figures, for its situation report. */
typedef struct
{
  guint total;       /* not cancelled */
  guint completed;
  guint failed;
  guint open;        /* neither finished nor cancelled */
  guint overdue;     /* open and past their dueAt */
} SabanTaskFigures;

void               saban_command_store_count_tasks         (SabanCommandStore      *self,
                                                            gint64                  scenario_id,
                                                            GDateTime              *now,
                                                            SabanTaskFigures       *figures);
GStrv              saban_command_store_dup_assignees       (SabanCommandStore      *self,
                                                            gint64                  scenario_id);
SabanCommandItem  *saban_command_store_find_task           (SabanCommandStore      *self,
                                                            gint64                  scenario_id,
                                                            const char             *title);
guint              saban_command_store_get_n_items         (SabanCommandStore      *self,
                                                            SabanCommandCollection  collection);

/* the user's writes, shown before the server has them */
SabanCommandItem  *saban_command_store_add_local           (SabanCommandStore      *self,
                                                            SabanCommandCollection  collection,
                                                            const char             *key,
                                                            JsonObject             *properties,
                                                            JsonNode               *geometry);
void               saban_command_store_add_patch           (SabanCommandStore      *self,
                                                            SabanCommandCollection  collection,
                                                            gint64                  id,
                                                            const char             *key,
                                                            gint64                  based_on,
                                                            JsonObject             *properties,
                                                            JsonNode               *geometry);
gint64             saban_command_store_next_version        (SabanCommandStore      *self,
                                                            SabanCommandItem       *item);
void               saban_command_store_settle              (SabanCommandStore      *self,
                                                            const char             *key,
                                                            JsonNode               *feature);
void               saban_command_store_set_conflict        (SabanCommandStore      *self,
                                                            const char             *key,
                                                            gboolean                conflict);
guint              saban_command_store_get_n_pending       (SabanCommandStore      *self);

G_END_DECLS
