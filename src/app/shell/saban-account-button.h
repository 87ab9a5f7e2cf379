#pragma once

#include <gtk/gtk.h>

#include "saban-session.h"

G_BEGIN_DECLS

#define SABAN_TYPE_ACCOUNT_BUTTON (saban_account_button_get_type ())
G_DECLARE_FINAL_TYPE (SabanAccountButton, saban_account_button, SABAN, ACCOUNT_BUTTON, GtkWidget)

void saban_account_button_set_session (SabanAccountButton *self,
                                       SabanSession       *session);

G_END_DECLS
