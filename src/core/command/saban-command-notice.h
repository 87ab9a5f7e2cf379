#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "saban-command-item.h"

G_BEGIN_DECLS

/* SabanCommandNotice: what saban-server says on MQTT when a Command API item
 * changes — which item, its version, when, and the names of the properties
 * the write changed; never a value (every account of the broker reads
 * `ioc/v1/#`, so personal data stays behind HTTPS and the role's masking).
 * The client fetches the item itself.
 *
 *   ioc/v1/collections/{c}/items/{id}   {"collection": c, "id": id, "version": n, "updated": t,
 *   ioc/v1/scenarios/{s}/tasks           "scenarioId": s, "changed": ["status", …]}
 *   ioc/v1/scenarios/{s}/log            {"collection": "scenario-log", "id": entry, "updated": t, "scenarioId": s}
 *
 * saban_command_notice_to_json() is the server's half; parse() the
 * client's, as strict as the rest of what comes from outside. A message on
 * a topic that is not the Command API's (another stream's, or the tasks
 * topic that repeats an item's notice: is_topic() says) is to be ignored;
 * parse() refuses one that does not parse, names another item than its
 * topic or an unknown collection (G_IO_ERROR_INVALID_DATA). */

typedef struct
{
  SabanCommandCollection collection;
  gint64                 id;
  gint64                 version;      /* 0: none (log entries) */
  gint64                 scenario_id;  /* 0: none */
} SabanCommandNotice;

JsonNode *saban_command_notice_to_json (const char          *collection,
                                        gint64               id,
                                        gint64               version,
                                        const char          *updated,
                                        gint64               scenario_id,
                                        const char * const  *changed);
gboolean  saban_command_notice_is_topic (const char         *topic);
gboolean  saban_command_notice_parse   (SabanCommandNotice  *notice,
                                        const char          *topic,
                                        JsonNode            *payload,
                                        GError             **error);

G_END_DECLS
