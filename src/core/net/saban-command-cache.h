#pragma once

#include <gio/gio.h>

#include "saban-command-item.h"

G_BEGIN_DECLS

/* SabanCommandCache: the last server state of the Command API's items
 * (playbooks, scenarios, tasks, sitreps, the log), kept on disk so that a
 * client started while the server is away still shows them.
 *
 * One SQLite file (WAL), its own: it holds nothing that is not on the
 * server, so a damaged or foreign file is simply thrown away and made anew
 * (the reason logged in the `saban-command` domain), which the outbox,
 * holding the user's unsent writes, could not afford. The cache belongs to
 * one server: kept for another, it is ignored.
 *
 * With each collection it keeps the `updatedSince` of the next catch-up:
 * the newest time the client had seen when it last read that collection
 * to the end, so nothing older than it can be missing from the cache.
 *
 * Blocking (SQLite): use it from one worker thread. */

#define SABAN_TYPE_COMMAND_CACHE (saban_command_cache_get_type ())
G_DECLARE_FINAL_TYPE (SabanCommandCache, saban_command_cache, SABAN, COMMAND_CACHE, GObject)

/* One item as the server last sent it. */
typedef struct
{
  SabanCommandCollection collection;
  gint64                 id;
  gint64                 version;
  char                  *feature;   /* the GeoJSON Feature, as text */
} SabanCachedItem;

void saban_cached_item_free (SabanCachedItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SabanCachedItem, saban_cached_item_free)

SabanCommandCache *saban_command_cache_new  (const char         *path);
GPtrArray         *saban_command_cache_load (SabanCommandCache  *self,
                                             const char         *server,
                                             char              **watermarks,
                                             GDateTime         **synced_at);
gboolean           saban_command_cache_save (SabanCommandCache  *self,
                                             const char         *server,
                                             GPtrArray          *items,
                                             const char *const  *watermarks,
                                             GDateTime          *synced_at,
                                             gboolean            whole,
                                             gboolean           *emptied,
                                             GError            **error);

G_END_DECLS
