#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "saban-command-conflict.h"
#include "saban-command-store.h"
#include "saban-connection.h"
#include "saban-live-channel.h"

G_BEGIN_DECLS

/* SabanCommandClient: the Command API (scenarios, tasks, sitreps, the log)
 * kept live in a SabanCommandStore.
 *
 * - start(): loads every collection (following `next` links), and joins
 *   the live channel (MQTT `ioc/v1/#`); after any disconnection it catches
 *   up with `updatedSince` (the newest time seen), and polls so while MQTT
 *   is down. Properties: "state" (SabanFeedState, the channel's for it), "loaded" (the first load is done), "pending" (writes
 *   not yet acknowledged by the server).
 * - The server's items are cached on disk beside the outbox: a client
 *   started while the server is away shows them at once, "from-cache"
 *   (with "cached-at", when that was last heard from the server) until
 *   every collection has been read from the server again.
 * - Writes return at once: the item shows the change as pending (the store
 *   marks the item and its changed fields); the outbox (SQLite, idempotency
 *   keys) delivers them in order from a worker thread, retrying with backoff
 *   while the server is away. A created item has a negative id until the
 *   server gives it one (the same SabanCommandItem object then carries the
 *   server id: notify::id). Writes to an item not yet on the server are
 *   allowed; they follow its creation.
 * - A change of status the command schema does not allow from where the
 *   user sees the item is refused at once (the GError names the state it
 *   is in). A change refused by the server (409 illegal transition, 422,
 *   403, 400) is undone locally and reported by the "write-refused" signal
 *   (item-or-NULL, message): the message is for the user, in their
 *   language, and names the state the item is in when that was the reason;
 *   the server's own words go to the log. The model is then read again.
 * - A 412 (someone changed the item since) becomes a SabanCommandConflict in
 *   get_conflicts() (a GListModel), with mine (the patch and the version it
 *   was based on) and theirs (the server's current Feature); resolve with
 *   keep_mine() (send mine again over their version) or take_theirs() (drop
 *   mine). Nothing is overwritten silently.
 *
 * Everything is called on the thread that made the client (its main
 * context); nothing here blocks it. */

#define SABAN_TYPE_COMMAND_CLIENT (saban_command_client_get_type ())
G_DECLARE_FINAL_TYPE (SabanCommandClient, saban_command_client, SABAN, COMMAND_CLIENT, GObject)

/* What a new task says; NULL / 0 / NAN members are left out. */
typedef struct
{
  const char *title;           /* required */
  const char *instructions;
  const char *kind;            /* evacuate, shelter, rescue, inspect, repair, patrol, supply, other */
  int         priority;        /* 0–10; -1 for none */
  const char *assignee_type;   /* e.g. "unit", "agency", "person" */
  const char *assignee_id;
  const char *assignee_name;
  GDateTime  *due_at;
  double      lon, lat;        /* a point, or NAN */
} SabanTaskSpec;

SabanCommandClient *saban_command_client_new               (SabanConnection      *connection,
                                                            SabanLiveChannel     *channel,
                                                            const char           *outbox_path,
                                                            GError              **error);
void                saban_command_client_start             (SabanCommandClient   *self);
SabanCommandStore  *saban_command_client_get_store         (SabanCommandClient   *self);
SabanConnection    *saban_command_client_get_connection    (SabanCommandClient   *self);
SabanFeedState      saban_command_client_get_state         (SabanCommandClient   *self);
gboolean            saban_command_client_get_loaded        (SabanCommandClient   *self);
gboolean            saban_command_client_get_from_cache    (SabanCommandClient   *self);
GDateTime          *saban_command_client_get_cached_at     (SabanCommandClient   *self);
guint               saban_command_client_get_pending       (SabanCommandClient   *self);
GListModel         *saban_command_client_get_conflicts     (SabanCommandClient   *self);
void                saban_command_client_flush_async       (SabanCommandClient   *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean            saban_command_client_flush_finish      (SabanCommandClient   *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* writes: shown at once as pending, delivered through the outbox */
SabanCommandItem   *saban_command_client_create_scenario   (SabanCommandClient   *self,
                                                            SabanCommandItem     *playbook,
                                                            const char           *title,
                                                            JsonNode             *area,
                                                            JsonObject           *extra,
                                                            GError              **error);
gboolean            saban_command_client_set_status        (SabanCommandClient   *self,
                                                            SabanCommandItem     *item,
                                                            const char           *status,
                                                            GError              **error);
SabanCommandItem   *saban_command_client_create_task       (SabanCommandClient   *self,
                                                            SabanCommandItem     *scenario,
                                                            const SabanTaskSpec  *spec,
                                                            GError              **error);
SabanCommandItem   *saban_command_client_create_checklist_task (SabanCommandClient *self,
                                                            SabanCommandItem     *scenario,
                                                            SabanCommandItem     *playbook,
                                                            guint                 index,
                                                            GError              **error);
gboolean            saban_command_client_assign_task       (SabanCommandClient   *self,
                                                            SabanCommandItem     *task,
                                                            const char           *type,
                                                            const char           *id,
                                                            const char           *name,
                                                            GError              **error);
gboolean            saban_command_client_set_progress      (SabanCommandClient   *self,
                                                            SabanCommandItem     *task,
                                                            int                   progress,
                                                            GError              **error);
gboolean            saban_command_client_update            (SabanCommandClient   *self,
                                                            SabanCommandItem     *item,
                                                            JsonObject           *properties,
                                                            JsonNode             *geometry,
                                                            GError              **error);
SabanCommandItem   *saban_command_client_create_sitrep     (SabanCommandClient   *self,
                                                            SabanCommandItem     *scenario,
                                                            const char           *summary,
                                                            const char           *report_version,
                                                            JsonObject           *extra,
                                                            GError              **error);

void                saban_command_client_post_record       (SabanCommandClient   *self,
                                                            const char           *collection,
                                                            JsonNode             *feature);

/* conflicts (412): both versions, two ways out */
void                saban_command_client_keep_mine         (SabanCommandClient   *self,
                                                            SabanCommandConflict *conflict);
void                saban_command_client_take_theirs       (SabanCommandClient   *self,
                                                            SabanCommandConflict *conflict);

G_END_DECLS
