#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The Command API collections the client keeps. */
typedef enum
{
  SABAN_COMMAND_PLAYBOOKS,
  SABAN_COMMAND_SCENARIOS,
  SABAN_COMMAND_TASKS,
  SABAN_COMMAND_SITREPS,
  SABAN_COMMAND_LOG,          /* "scenario-log" */
  SABAN_COMMAND_ACKNOWLEDGEMENTS, /* alarms acknowledged, on any workstation */
  SABAN_COMMAND_N_COLLECTIONS
} SabanCommandCollection;

const char *saban_command_collection_to_string   (SabanCommandCollection  collection);
gboolean    saban_command_collection_from_string (const char             *name,
                                                  SabanCommandCollection *collection);

/* SabanCommandItem: one Feature of the Command API as the client sees it.
 * get_properties() is the server's properties with the user's pending
 * changes merged in; get_server_properties() the server's alone.
 * get_id() is negative while the item exists only locally (then
 * get_local_key() is the idempotency key of its creation). get_pending():
 * a write of the user is not yet on the server; is_field_pending(): that
 * property is one it changes; get_conflict(): one of them met a newer
 * version (see SabanCommandClient's conflicts). get_time() parses an RFC 3339
 * property to µs since the epoch (0 if absent or malformed). Signal
 * "changed" and notify::id/version/pending/conflict when anything changes. */

#define SABAN_TYPE_COMMAND_ITEM (saban_command_item_get_type ())
G_DECLARE_FINAL_TYPE (SabanCommandItem, saban_command_item, SABAN, COMMAND_ITEM, GObject)

SabanCommandCollection saban_command_item_get_collection   (SabanCommandItem *self);
gint64                 saban_command_item_get_id           (SabanCommandItem *self);
const char            *saban_command_item_get_local_key    (SabanCommandItem *self);
gint64                 saban_command_item_get_version      (SabanCommandItem *self);
JsonObject            *saban_command_item_get_properties   (SabanCommandItem *self);
JsonNode              *saban_command_item_get_geometry     (SabanCommandItem *self);
JsonObject            *saban_command_item_get_server_properties (SabanCommandItem *self);
char                  *saban_command_item_to_server_feature (SabanCommandItem *self);
gboolean               saban_command_item_get_pending      (SabanCommandItem *self);
gboolean               saban_command_item_is_field_pending (SabanCommandItem *self,
                                                            const char       *name);
gboolean               saban_command_item_get_conflict     (SabanCommandItem *self);

const char            *saban_command_item_get_string       (SabanCommandItem *self,
                                                            const char       *name);
gint64                 saban_command_item_get_int          (SabanCommandItem *self,
                                                            const char       *name,
                                                            gint64            fallback);
gint64                 saban_command_item_get_time         (SabanCommandItem *self,
                                                            const char       *name);
const char            *saban_command_item_get_status       (SabanCommandItem *self);
const char            *saban_command_item_get_title        (SabanCommandItem *self);
gint64                 saban_command_item_get_scenario_id  (SabanCommandItem *self);
gboolean               saban_command_item_get_point        (SabanCommandItem *self,
                                                            double           *lon,
                                                            double           *lat);

G_END_DECLS
