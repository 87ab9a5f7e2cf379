#pragma once

/* What a backend implements for its statements (store/ only). */

#include "saban-stmt.h"

G_BEGIN_DECLS

typedef struct
{
  SabanValueKind kind;
  gint64         i;
  double         d;
  char          *text;
} SabanParam;

typedef struct
{
  /* runs the statement with self->params; rows, if any, follow */
  gboolean       (*execute)     (SabanStmt *self,
                                 GError   **error);
  /* moves to the next row: FALSE at the end (error unset) or on failure */
  gboolean       (*next)        (SabanStmt *self,
                                 GError   **error);
  int            (*n_columns)   (SabanStmt *self);
  const char    *(*column_name) (SabanStmt *self,
                                 int        column);
  SabanValueKind (*column_kind) (SabanStmt *self,
                                 int        column);
  const char    *(*column_text) (SabanStmt *self,
                                 int        column);
  gint64         (*column_int64) (SabanStmt *self,
                                 int        column);
  double         (*column_double) (SabanStmt *self,
                                 int        column);
  /* back to before execute; the parameters stay bound */
  void           (*reset)       (SabanStmt *self);
  void           (*free)        (SabanStmt *self);
} SabanStmtClass;

struct _SabanStmt
{
  const SabanStmtClass *klass;
  GArray               *params;    /* of SabanParam; [0] is ?1 */
  gboolean              executed;
  gboolean              on_row;
  gint64                changes;   /* rows a write changed, once it ran */
};

void saban_stmt_init (SabanStmt            *self,
                      const SabanStmtClass *klass,
                      int                   n_params);

G_END_DECLS
