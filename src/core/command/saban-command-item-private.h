#pragma once

/* What SabanCommandStore does to its items; not for the UI. */

#include "saban-command-item.h"

G_BEGIN_DECLS

SabanCommandItem *saban_command_item_new              (SabanCommandCollection  collection,
                                                       gint64                  id,
                                                       const char             *local_key);
void              saban_command_item_set_server       (SabanCommandItem       *self,
                                                       gint64                  version,
                                                       JsonObject             *properties,
                                                       JsonNode               *geometry);
void              saban_command_item_set_id           (SabanCommandItem       *self,
                                                       gint64                  id);
void              saban_command_item_set_scenario_id  (SabanCommandItem       *self,
                                                       gint64                  scenario_id);
void              saban_command_item_add_patch        (SabanCommandItem       *self,
                                                       const char             *key,
                                                       gint64                  based_on,
                                                       JsonObject             *properties,
                                                       JsonNode               *geometry);
gboolean          saban_command_item_remove_patch     (SabanCommandItem       *self,
                                                       const char             *key);
gboolean          saban_command_item_set_patch_conflict (SabanCommandItem     *self,
                                                       const char             *key,
                                                       gboolean                conflict);
GPtrArray        *saban_command_item_steal_patches    (SabanCommandItem       *self);
void              saban_command_item_take_patches     (SabanCommandItem       *self,
                                                       GPtrArray              *patches);
JsonNode         *saban_command_item_get_server_geometry (SabanCommandItem     *self);
gint64            saban_command_item_next_version     (SabanCommandItem       *self);

G_END_DECLS
