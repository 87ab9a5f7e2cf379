/* saban-stmt.c: what every store's statements share — bound parameters
 * kept until the statement runs, stepping, and NULL-safe accessors. The
 * backends (saban-sqlite-store.c, saban-pg-store.c) run them.
 */
#include "saban-stmt-private.h"

G_DEFINE_QUARK (saban-store-error-quark, saban_store_error)

static void
param_clear (gpointer data)
{
  g_free (((SabanParam *) data)->text);
}

void
saban_stmt_init (SabanStmt *self, const SabanStmtClass *klass, int n_params)
{
  self->klass = klass;
  self->params = g_array_sized_new (FALSE, TRUE, sizeof (SabanParam), n_params);
  g_array_set_clear_func (self->params, param_clear);
  g_array_set_size (self->params, n_params);
}

/* The parameter @index (from 1), emptied; NULL when out of range. */
static SabanParam *
param_at (SabanStmt *self, int index)
{
  SabanParam *p;

  if (self == NULL || index < 1 || (guint) index > self->params->len)
    return NULL;
  if (self->executed)
    saban_stmt_reset (self);
  p = &g_array_index (self->params, SabanParam, index - 1);
  g_clear_pointer (&p->text, g_free);
  p->kind = SABAN_VALUE_NULL;
  return p;
}

/**
 * saban_stmt_bind_text:
 * @value: (nullable): NULL binds NULL
 */
void
saban_stmt_bind_text (SabanStmt *self, int index, const char *value)
{
  SabanParam *p = param_at (self, index);

  if (p != NULL && value != NULL)
    {
      p->kind = SABAN_VALUE_TEXT;
      p->text = g_strdup (value);
    }
}

void
saban_stmt_bind_int64 (SabanStmt *self, int index, gint64 value)
{
  SabanParam *p = param_at (self, index);

  if (p != NULL)
    {
      p->kind = SABAN_VALUE_INT;
      p->i = value;
    }
}

void
saban_stmt_bind_double (SabanStmt *self, int index, double value)
{
  SabanParam *p = param_at (self, index);

  if (p != NULL)
    {
      p->kind = SABAN_VALUE_REAL;
      p->d = value;
    }
}

void
saban_stmt_bind_null (SabanStmt *self, int index)
{
  param_at (self, index);
}

/**
 * saban_stmt_step:
 * Runs the statement the first time, then moves to its next row.
 *
 * Returns: %TRUE on a row; %FALSE at the end, or with @error set when it failed
 */
gboolean
saban_stmt_step (SabanStmt *self, GError **error)
{
  if (self == NULL)
    return FALSE;
  if (!self->executed)
    {
      self->executed = TRUE;
      self->on_row = FALSE;
      if (!self->klass->execute (self, error))
        return FALSE;
    }
  self->on_row = self->klass->next (self, error);
  return self->on_row;
}

/**
 * saban_stmt_run:
 * Runs the statement to its end (a write, say); %FALSE with @error set
 * when it failed. saban_stmt_changes() then says how many rows it changed.
 */
gboolean
saban_stmt_run (SabanStmt *self, GError **error)
{
  GError *local = NULL;

  if (self == NULL)
    {
      g_set_error (error, SABAN_STORE_ERROR, SABAN_STORE_ERROR_FAILED, "the statement could not be prepared");
      return FALSE;
    }
  while (saban_stmt_step (self, &local))
    ;
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

/**
 * saban_stmt_insert:
 * Runs an `INSERT … RETURNING id` and gives the id the database chose;
 * 0 with @error set when it failed.
 */
gint64
saban_stmt_insert (SabanStmt *self, GError **error)
{
  GError *local = NULL;
  gint64 id;

  if (!saban_stmt_step (self, &local))
    {
      if (local == NULL)
        g_set_error (&local, SABAN_STORE_ERROR, SABAN_STORE_ERROR_FAILED, "the insert returned no id");
      g_propagate_error (error, local);
      return 0;
    }
  id = saban_stmt_column_int64 (self, 0);
  return saban_stmt_run (self, error) ? id : 0;
}

gint64
saban_stmt_changes (SabanStmt *self)
{
  return self != NULL ? self->changes : 0;
}

/* Makes the statement ready to run again (with its parameters, or new ones). */
void
saban_stmt_reset (SabanStmt *self)
{
  if (self == NULL || !self->executed)
    return;
  self->klass->reset (self);
  self->executed = FALSE;
  self->on_row = FALSE;
}

int
saban_stmt_column_count (SabanStmt *self)
{
  return self != NULL && self->on_row ? self->klass->n_columns (self) : 0;
}

static gboolean
has_column (SabanStmt *self, int column)
{
  return self != NULL && self->on_row && column >= 0 && column < self->klass->n_columns (self);
}

const char *
saban_stmt_column_name (SabanStmt *self, int column)
{
  return has_column (self, column) ? self->klass->column_name (self, column) : NULL;
}

SabanValueKind
saban_stmt_column_kind (SabanStmt *self, int column)
{
  return has_column (self, column) ? self->klass->column_kind (self, column) : SABAN_VALUE_NULL;
}

gboolean
saban_stmt_column_is_null (SabanStmt *self, int column)
{
  return saban_stmt_column_kind (self, column) == SABAN_VALUE_NULL;
}

/* The value as text (numbers in the backend's own form), NULL for NULL;
 * valid until the next step. */
const char *
saban_stmt_column_text (SabanStmt *self, int column)
{
  return saban_stmt_column_is_null (self, column) ? NULL : self->klass->column_text (self, column);
}

gint64
saban_stmt_column_int64 (SabanStmt *self, int column)
{
  return saban_stmt_column_is_null (self, column) ? 0 : self->klass->column_int64 (self, column);
}

double
saban_stmt_column_double (SabanStmt *self, int column)
{
  return saban_stmt_column_is_null (self, column) ? 0.0 : self->klass->column_double (self, column);
}

/* A truth value however the backend writes it: a non-zero number, or
 * "true" (a JSON boolean read as text by PostgreSQL). */
gboolean
saban_stmt_column_boolean (SabanStmt *self, int column)
{
  switch (saban_stmt_column_kind (self, column))
    {
    case SABAN_VALUE_INT:
    case SABAN_VALUE_REAL:
      return saban_stmt_column_double (self, column) != 0.0;
    case SABAN_VALUE_TEXT:
      return g_str_equal (saban_stmt_column_text (self, column), "true") ||
             g_str_equal (saban_stmt_column_text (self, column), "1");
    case SABAN_VALUE_NULL:
    default:
      return FALSE;
    }
}

void
saban_stmt_free (SabanStmt *self)
{
  GArray *params;

  if (self == NULL)
    return;
  params = self->params;
  self->klass->free (self);
  g_array_unref (params);
}
