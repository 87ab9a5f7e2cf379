#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Errors of either store. CONSTRAINT: a unique or other constraint refused
 * the row; UNAVAILABLE: the database cannot be reached (or is a standby
 * that takes no writes) — worth trying again shortly. */
#define SABAN_STORE_ERROR (saban_store_error_quark ())
typedef enum
{
  SABAN_STORE_ERROR_FAILED,
  SABAN_STORE_ERROR_CONSTRAINT,
  SABAN_STORE_ERROR_UNAVAILABLE,
} SabanStoreError;

GQuark saban_store_error_quark (void);

/* What a column of the current row holds. */
typedef enum
{
  SABAN_VALUE_NULL,
  SABAN_VALUE_INT,
  SABAN_VALUE_REAL,
  SABAN_VALUE_TEXT,
} SabanValueKind;

/* A prepared statement of a SabanStore: parameters are `?`, numbered from
 * 1; unbound ones are NULL. Every function takes a NULL statement (one that
 * failed to prepare) and does nothing, so a caller checks once, at the end. */
typedef struct _SabanStmt SabanStmt;

void           saban_stmt_bind_text      (SabanStmt   *self,
                                          int          index,
                                          const char  *value);
void           saban_stmt_bind_int64     (SabanStmt   *self,
                                          int          index,
                                          gint64       value);
void           saban_stmt_bind_double    (SabanStmt   *self,
                                          int          index,
                                          double       value);
void           saban_stmt_bind_null      (SabanStmt   *self,
                                          int          index);
gboolean       saban_stmt_step           (SabanStmt   *self,
                                          GError     **error);
gboolean       saban_stmt_run            (SabanStmt   *self,
                                          GError     **error);
gint64         saban_stmt_insert         (SabanStmt   *self,
                                          GError     **error);
gint64         saban_stmt_changes        (SabanStmt   *self);
void           saban_stmt_reset          (SabanStmt   *self);
int            saban_stmt_column_count   (SabanStmt   *self);
const char    *saban_stmt_column_name    (SabanStmt   *self,
                                          int          column);
SabanValueKind saban_stmt_column_kind    (SabanStmt   *self,
                                          int          column);
gboolean       saban_stmt_column_is_null (SabanStmt   *self,
                                          int          column);
const char    *saban_stmt_column_text    (SabanStmt   *self,
                                          int          column);
gint64         saban_stmt_column_int64   (SabanStmt   *self,
                                          int          column);
double         saban_stmt_column_double  (SabanStmt   *self,
                                          int          column);
gboolean       saban_stmt_column_boolean (SabanStmt   *self,
                                          int          column);
void           saban_stmt_free           (SabanStmt   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SabanStmt, saban_stmt_free)

G_END_DECLS
