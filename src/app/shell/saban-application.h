#pragma once

#include <adwaita.h>

#include "saban-command-notifier.h"
#include "saban-session.h"

G_BEGIN_DECLS

#define SABAN_TYPE_APPLICATION (saban_application_get_type ())

G_DECLARE_FINAL_TYPE (SabanApplication, saban_application, SABAN, APPLICATION, AdwApplication)

SabanApplication     *saban_application_new                  (void);
SabanSession         *saban_application_get_session          (SabanApplication *self);
const char           *saban_application_get_role             (SabanApplication *self);
SabanCommandNotifier *saban_application_get_command_notifier (SabanApplication *self);
GFile                *saban_application_find_demo_data       (void);

G_END_DECLS
