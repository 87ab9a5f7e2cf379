/* saban-login-throttle.c: how often an account, or an address, may fail to
 * sign in.
 *
 * Each failure after the first few makes the next try of the same account,
 * and of the same address, wait twice as long (at most a minute); the wait
 * is checked before any password is hashed, so guessing costs the guesser
 * time and the server nothing. An address gets more free failures than an
 * account: a control room signs in from behind one address. A failure
 * quiet for a quarter of an hour is forgotten. An account that fails
 * SABAN_LOGIN_LOCKOUT times in a row is locked; auth records the lock in the
 * users table and an admin lifts it.
 *
 * The counts live in the database (login_failures), not in the process:
 * several servers behind one load balancer share them, so a guesser gains
 * nothing by spreading tries over the servers, and a restart forgets
 * nothing. Times are the wall clock's, which every server shares.
 */
#include "saban-login-throttle.h"

#define FREE_FAILURES_PER_ADDRESS 10
#define FORGET_AFTER_US           (15 * 60 * G_USEC_PER_SEC)

struct _SabanLoginThrottle
{
  GObject     parent_instance;
  SabanStore *store;
  guint       lockout;
};

G_DEFINE_FINAL_TYPE (SabanLoginThrottle, saban_login_throttle, G_TYPE_OBJECT)

static void
saban_login_throttle_finalize (GObject *object)
{
  SabanLoginThrottle *self = SABAN_LOGIN_THROTTLE (object);

  g_object_unref (self->store);
  G_OBJECT_CLASS (saban_login_throttle_parent_class)->finalize (object);
}

static void
saban_login_throttle_class_init (SabanLoginThrottleClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_login_throttle_finalize;
}

static void
saban_login_throttle_init (SabanLoginThrottle *self)
{
}

/**
 * saban_login_throttle_new:
 * @store: where the failures are counted (the main thread's store)
 * @lockout: failures in a row that lock an account
 */
SabanLoginThrottle *
saban_login_throttle_new (SabanStore *store, guint lockout)
{
  SabanLoginThrottle *self = g_object_new (SABAN_TYPE_LOGIN_THROTTLE, NULL);

  self->store = g_object_ref (store);
  self->lockout = lockout;
  return self;
}

/* @key's failures and when its next try may come; FALSE for none (or
 * forgotten: quiet for a quarter of an hour). */
static gboolean
lookup (SabanLoginThrottle *self, const char *scope, const char *key, gint64 now, guint *failures, gint64 *next)
{
  g_autoptr(SabanStmt) st = saban_store_prepare (self->store, "SELECT failures, next_us FROM login_failures "
                                                 "WHERE scope = ? AND key = ? AND last_us >= ?", NULL);

  saban_stmt_bind_text (st, 1, scope);
  saban_stmt_bind_text (st, 2, key);
  saban_stmt_bind_int64 (st, 3, now - FORGET_AFTER_US);
  if (!saban_stmt_step (st, NULL))
    return FALSE;
  *failures = (guint) saban_stmt_column_int64 (st, 0);
  *next = saban_stmt_column_int64 (st, 1);
  return TRUE;
}

/* Counts one failure of @key; its count after it. */
static guint
add_failure (SabanLoginThrottle *self, const char *scope, const char *key, guint free_failures, gint64 now)
{
  g_autoptr(SabanStmt) up = NULL, next = NULL;
  guint failures, over;

  /* a forgotten count starts again from one */
  up = saban_store_prepare (self->store,
                            "INSERT INTO login_failures (scope, key, failures, last_us, next_us) VALUES (?, ?, 1, ?, ?) "
                            "ON CONFLICT (scope, key) DO UPDATE SET failures = CASE WHEN login_failures.last_us < ? "
                            "THEN 1 ELSE login_failures.failures + 1 END, last_us = excluded.last_us "
                            "RETURNING failures", NULL);
  saban_stmt_bind_text (up, 1, scope);
  saban_stmt_bind_text (up, 2, key);
  saban_stmt_bind_int64 (up, 3, now);
  saban_stmt_bind_int64 (up, 4, now);
  saban_stmt_bind_int64 (up, 5, now - FORGET_AFTER_US);
  if (!saban_stmt_step (up, NULL))
    return 0;
  failures = (guint) saban_stmt_column_int64 (up, 0);
  saban_stmt_run (up, NULL);
  over = failures > free_failures ? failures - free_failures : 0;
  next = saban_store_prepare (self->store, "UPDATE login_failures SET next_us = ? WHERE scope = ? AND key = ?", NULL);
  saban_stmt_bind_int64 (next, 1, over == 0 ? now
                         : now + MIN ((gint64) 1 << MIN (over, 6), SABAN_LOGIN_MAX_DELAY_S) * G_USEC_PER_SEC);
  saban_stmt_bind_text (next, 2, scope);
  saban_stmt_bind_text (next, 3, key);
  saban_stmt_run (next, NULL);
  return failures;
}

static gint64
wait_for (SabanLoginThrottle *self, const char *scope, const char *key, gint64 now)
{
  guint failures;
  gint64 next;

  return lookup (self, scope, key, now, &failures, &next) && next > now ? next - now : 0;
}

/**
 * saban_login_throttle_wait:
 * Seconds @username from @address must wait before its next try; 0: now.
 */
guint
saban_login_throttle_wait (SabanLoginThrottle *self, const char *username, const char *address)
{
  gint64 now = g_get_real_time ();
  gint64 us = MAX (wait_for (self, "account", username, now), wait_for (self, "address", address, now));

  return (guint) ((us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

/**
 * saban_login_throttle_failed:
 * Counts a failed sign-in. Returns %TRUE when this failure locks the
 * account (once: the failure that reaches the lockout).
 */
gboolean
saban_login_throttle_failed (SabanLoginThrottle *self, const char *username, const char *address)
{
  gint64 now = g_get_real_time ();
  g_autoptr(SabanStmt) forget = saban_store_prepare (self->store, "DELETE FROM login_failures WHERE last_us < ?",
                                                     NULL);
  guint failures;

  /* what is forgotten goes, so the table holds a quarter of an hour at most */
  saban_stmt_bind_int64 (forget, 1, now - FORGET_AFTER_US);
  saban_stmt_run (forget, NULL);
  failures = add_failure (self, "account", username, SABAN_LOGIN_FREE_FAILURES, now);
  add_failure (self, "address", address, FREE_FAILURES_PER_ADDRESS, now);
  return failures == self->lockout;
}

/**
 * saban_login_throttle_is_locked:
 * Whether @username failed often enough in a row to be locked (accounts
 * that do not exist lock too, so a lock tells nothing of which exist).
 */
gboolean
saban_login_throttle_is_locked (SabanLoginThrottle *self, const char *username)
{
  guint failures;
  gint64 next;

  return lookup (self, "account", username, g_get_real_time (), &failures, &next) && failures >= self->lockout;
}

/**
 * saban_login_throttle_clear:
 * Forgets @username's failures: it signed in, or an admin unlocked it. Its
 * address keeps its own count.
 */
void
saban_login_throttle_clear (SabanLoginThrottle *self, const char *username)
{
  g_autoptr(SabanStmt) st = saban_store_prepare (self->store, "DELETE FROM login_failures WHERE scope = 'account' "
                                                 "AND key = ?", NULL);

  saban_stmt_bind_text (st, 1, username);
  saban_stmt_run (st, NULL);
}
