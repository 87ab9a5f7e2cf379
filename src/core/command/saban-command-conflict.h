#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "saban-command-item.h"

G_BEGIN_DECLS

#define SABAN_TYPE_COMMAND_CONFLICT (saban_command_conflict_get_type ())
G_DECLARE_FINAL_TYPE (SabanCommandConflict, saban_command_conflict, SABAN, COMMAND_CONFLICT, GObject)

SabanCommandConflict  *saban_command_conflict_new            (const char             *key,
                                                              SabanCommandCollection  collection,
                                                              gint64                  id,
                                                              JsonNode               *mine,
                                                              gint64                  mine_version,
                                                              JsonNode               *theirs,
                                                              gint64                  theirs_version);
const char            *saban_command_conflict_get_key        (SabanCommandConflict   *self);
SabanCommandCollection saban_command_conflict_get_collection (SabanCommandConflict   *self);
gint64                 saban_command_conflict_get_id         (SabanCommandConflict   *self);
JsonNode              *saban_command_conflict_get_mine       (SabanCommandConflict   *self);
gint64                 saban_command_conflict_get_mine_version (SabanCommandConflict *self);
JsonNode              *saban_command_conflict_get_theirs     (SabanCommandConflict   *self);
gint64                 saban_command_conflict_get_theirs_version (SabanCommandConflict *self);

G_END_DECLS
