#pragma once

#include <adwaita.h>

#include "saban-session.h"

G_BEGIN_DECLS

#define SABAN_TYPE_PREFERENCES_WINDOW (saban_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (SabanPreferencesWindow, saban_preferences_window, SABAN, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *saban_preferences_window_new (GtkWindow    *parent,
                                         SabanSession *session);

G_END_DECLS
