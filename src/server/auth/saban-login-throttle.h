#pragma once

#include "saban-store.h"

G_BEGIN_DECLS

/* Failures of one account or one address allowed before each further try
 * must wait (2, 4, 8 … s, at most SABAN_LOGIN_MAX_DELAY_S), and failures of
 * one account before it is locked until an admin unlocks it. */
#define SABAN_LOGIN_FREE_FAILURES 3
#define SABAN_LOGIN_MAX_DELAY_S   60
#define SABAN_LOGIN_LOCKOUT       10

#define SABAN_TYPE_LOGIN_THROTTLE (saban_login_throttle_get_type ())
G_DECLARE_FINAL_TYPE (SabanLoginThrottle, saban_login_throttle, SABAN, LOGIN_THROTTLE, GObject)

SabanLoginThrottle *saban_login_throttle_new       (SabanStore         *store,
                                                    guint               lockout);
guint               saban_login_throttle_wait      (SabanLoginThrottle *self,
                                                    const char         *username,
                                                    const char         *address);
gboolean            saban_login_throttle_failed    (SabanLoginThrottle *self,
                                                    const char         *username,
                                                    const char         *address);
gboolean            saban_login_throttle_is_locked (SabanLoginThrottle *self,
                                                    const char         *username);
void                saban_login_throttle_clear     (SabanLoginThrottle *self,
                                                    const char         *username);

G_END_DECLS
