#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A real Secret Service for the test: gnome-keyring-daemon on a session bus
 * of the test's own, its "login" keyring made and unlocked in a temporary
 * folder (tests/support/test-keyring.c). */
typedef struct _TestKeyring TestKeyring;

TestKeyring *test_keyring_start        (void);
void         test_keyring_stop         (TestKeyring *keyring);
gboolean     test_keyring_wait_account (const char  *server,
                                        const char  *account,
                                        const char  *expected,
                                        guint        seconds);

G_END_DECLS
