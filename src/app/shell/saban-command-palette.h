#pragma once

#include <adwaita.h>

#include "saban-assistant.h"
#include "saban-session.h"

G_BEGIN_DECLS

#define SABAN_TYPE_COMMAND_PALETTE (saban_command_palette_get_type ())
G_DECLARE_FINAL_TYPE (SabanCommandPalette, saban_command_palette, SABAN, COMMAND_PALETTE, AdwWindow)

GtkWidget  *saban_command_palette_new         (GtkWindow           *parent,
                                               SabanSession        *session);
void        saban_command_palette_set_text    (SabanCommandPalette *self,
                                               const char          *text);
GListModel *saban_command_palette_get_results (SabanCommandPalette *self);

G_END_DECLS
