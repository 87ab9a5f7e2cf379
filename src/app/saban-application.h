#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SABAN_TYPE_APPLICATION (saban_application_get_type ())

G_DECLARE_FINAL_TYPE (SabanApplication, saban_application, SABAN, APPLICATION, AdwApplication)

SabanApplication *saban_application_new (void);

G_END_DECLS
