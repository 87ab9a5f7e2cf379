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
 * database (so a restart does not lift it) and an admin lifts it.
 */
#include "saban-login-throttle.h"

#define FREE_FAILURES_PER_ADDRESS 10
#define FORGET_AFTER_US           (15 * 60 * G_USEC_PER_SEC)
#define MAX_ENTRIES               10000

typedef struct
{
  guint  failures;
  gint64 last;  /* monotonic µs of the last failure */
  gint64 next;  /* no try before this */
} Entry;

struct _SabanLoginThrottle
{
  GObject     parent_instance;
  GHashTable *accounts;   /* username → Entry */
  GHashTable *addresses;  /* address text → Entry */
  guint       lockout;
};

G_DEFINE_FINAL_TYPE (SabanLoginThrottle, saban_login_throttle, G_TYPE_OBJECT)

static void
saban_login_throttle_finalize (GObject *object)
{
  SabanLoginThrottle *self = SABAN_LOGIN_THROTTLE (object);

  g_hash_table_unref (self->accounts);
  g_hash_table_unref (self->addresses);
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
  self->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->addresses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * saban_login_throttle_new:
 * @lockout: failures in a row that lock an account
 */
SabanLoginThrottle *
saban_login_throttle_new (guint lockout)
{
  SabanLoginThrottle *self = g_object_new (SABAN_TYPE_LOGIN_THROTTLE, NULL);

  self->lockout = lockout;
  return self;
}

static gboolean
is_stale (gpointer key, gpointer value, gpointer now)
{
  return ((Entry *) value)->last < *(gint64 *) now - FORGET_AFTER_US;
}

/* @key's entry; a stale one counts as none */
static Entry *
lookup (GHashTable *table, const char *key, gint64 now)
{
  Entry *e = g_hash_table_lookup (table, key);

  if (e != NULL && e->last < now - FORGET_AFTER_US)
    {
      g_hash_table_remove (table, key);
      e = NULL;
    }
  return e;
}

static void
add_failure (GHashTable *table, const char *key, guint free_failures, gint64 now)
{
  Entry *e = lookup (table, key, now);
  guint over;

  if (e == NULL)
    {
      if (g_hash_table_size (table) >= MAX_ENTRIES)
        g_hash_table_foreach_remove (table, is_stale, &now);
      e = g_new0 (Entry, 1);
      g_hash_table_insert (table, g_strdup (key), e);
    }
  e->failures++;
  e->last = now;
  over = e->failures > free_failures ? e->failures - free_failures : 0;
  e->next = over == 0 ? now : now + MIN ((gint64) 1 << MIN (over, 6), SABAN_LOGIN_MAX_DELAY_S) * G_USEC_PER_SEC;
}

static gint64
wait_for (GHashTable *table, const char *key, gint64 now)
{
  Entry *e = lookup (table, key, now);

  return e != NULL && e->next > now ? e->next - now : 0;
}

/**
 * saban_login_throttle_wait:
 * Seconds @username from @address must wait before its next try; 0: now.
 */
guint
saban_login_throttle_wait (SabanLoginThrottle *self, const char *username, const char *address)
{
  gint64 now = g_get_monotonic_time ();
  gint64 us = MAX (wait_for (self->accounts, username, now), wait_for (self->addresses, address, now));

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
  gint64 now = g_get_monotonic_time ();
  Entry *e;

  add_failure (self->accounts, username, SABAN_LOGIN_FREE_FAILURES, now);
  add_failure (self->addresses, address, FREE_FAILURES_PER_ADDRESS, now);
  e = g_hash_table_lookup (self->accounts, username);
  return e->failures == self->lockout;
}

/**
 * saban_login_throttle_is_locked:
 * Whether @username failed often enough in a row to be locked (accounts
 * that do not exist lock too, so a lock tells nothing of which exist).
 */
gboolean
saban_login_throttle_is_locked (SabanLoginThrottle *self, const char *username)
{
  Entry *e = lookup (self->accounts, username, g_get_monotonic_time ());

  return e != NULL && e->failures >= self->lockout;
}

/**
 * saban_login_throttle_clear:
 * Forgets @username's failures: it signed in, or an admin unlocked it. Its
 * address keeps its own count.
 */
void
saban_login_throttle_clear (SabanLoginThrottle *self, const char *username)
{
  g_hash_table_remove (self->accounts, username);
}
