#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Called on the thread-default main context of the caller. */
typedef void (*SabanProgressFunc) (double fraction, const char *what, gpointer user_data);

/* Where a worker reports its progress: the caller's function, called on the
 * caller's main context (NULL: at once, on the worker's thread). */
typedef struct
{
  SabanProgressFunc func;
  gpointer data;
  GMainContext *context;
} SabanProgress;

void saban_progress_report (const SabanProgress *progress,
                            double               fraction,
                            const char          *what);

G_END_DECLS
