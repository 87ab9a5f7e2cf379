#pragma once

#include <gio/gio.h>

#include "saban-api.h"

G_BEGIN_DECLS

#define SABAN_TYPE_OUTBOX (saban_outbox_get_type ())

G_DECLARE_FINAL_TYPE (SabanOutbox, saban_outbox, SABAN, OUTBOX, GObject)

typedef struct
{
  guint delivered;
  guint conflicts;   /* 412: the server holds a newer version; kept for the user */
  guint refused;     /* other 4xx: kept with the server's answer */
  gboolean offline;  /* the server could not be reached: the rest waits */
} SabanOutboxReport;

/* One queued write, as saban_outbox_list() and the flush's callback see it. */
typedef struct
{
  gint64  seq;
  char   *key;
  char   *method;
  char   *path;
  char   *body;
  char   *if_match;
  char   *status;     /* "pending", "conflict" or "refused" */
  char   *answer;     /* the server's answer for a conflict or a refusal */
} SabanOutboxEntry;

void saban_outbox_entry_free (SabanOutboxEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SabanOutboxEntry, saban_outbox_entry_free)

/* Called from the flushing thread once an entry is settled: delivered (2xx,
 * @answer the body), conflict (412) or refused (other 4xx). */
typedef void (*SabanOutboxSettledFunc) (const SabanOutboxEntry *entry,
                                        guint                   http_status,
                                        const char             *answer,
                                        gpointer                user_data);

SabanOutbox *saban_outbox_new          (const char          *path,
                                        GError             **error);
char        *saban_outbox_enqueue      (SabanOutbox         *self,
                                        const char          *method,
                                        const char          *path,
                                        const char          *body,
                                        const char          *if_match,
                                        GError             **error);
char        *saban_outbox_enqueue_with_key (SabanOutbox     *self,
                                        const char          *key,
                                        const char          *method,
                                        const char          *path,
                                        const char          *body,
                                        const char          *if_match,
                                        GError             **error);
char        *saban_outbox_reference    (const char          *key);
GPtrArray   *saban_outbox_list         (SabanOutbox         *self,
                                        const char          *status);
gboolean     saban_outbox_retry        (SabanOutbox         *self,
                                        const char          *key,
                                        const char          *if_match,
                                        GError             **error);
gboolean     saban_outbox_drop         (SabanOutbox         *self,
                                        const char          *key,
                                        GError             **error);
gboolean     saban_outbox_flush_full   (SabanOutbox         *self,
                                        SabanApi            *api,
                                        GCancellable        *cancellable,
                                        SabanOutboxSettledFunc settled,
                                        gpointer             user_data,
                                        SabanOutboxReport   *report,
                                        GError             **error);
guint        saban_outbox_count        (SabanOutbox         *self,
                                        const char          *status);
gboolean     saban_outbox_flush        (SabanOutbox         *self,
                                        SabanApi            *api,
                                        GCancellable        *cancellable,
                                        SabanOutboxReport   *report,
                                        GError             **error);

G_END_DECLS
