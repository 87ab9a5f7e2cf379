#pragma once

#include <adwaita.h>

#include "saban-session.h"

G_BEGIN_DECLS

#define SABAN_TYPE_SIGN_IN_DIALOG (saban_sign_in_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SabanSignInDialog, saban_sign_in_dialog, SABAN, SIGN_IN_DIALOG, AdwMessageDialog)

GtkWidget *saban_sign_in_dialog_new (GtkWindow    *parent,
                                     SabanSession *session,
                                     gboolean      switching);

G_END_DECLS
