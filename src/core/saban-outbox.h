#pragma once

#include <gio/gio.h>

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

SabanOutbox *saban_outbox_new          (const char          *path,
                                        GError             **error);
char        *saban_outbox_enqueue      (SabanOutbox         *self,
                                        const char          *method,
                                        const char          *path,
                                        const char          *body,
                                        const char          *if_match,
                                        GError             **error);
guint        saban_outbox_count        (SabanOutbox         *self,
                                        const char          *status);
gboolean     saban_outbox_flush        (SabanOutbox         *self,
                                        const char          *base_url,
                                        const char          *token,
                                        GCancellable        *cancellable,
                                        SabanOutboxReport   *report,
                                        GError             **error);

G_END_DECLS
