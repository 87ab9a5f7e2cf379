#pragma once

#include <adwaita.h>

#include "saban-command-client.h"

G_BEGIN_DECLS

#define SABAN_TYPE_CONFLICT_DIALOG (saban_conflict_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SabanConflictDialog, saban_conflict_dialog, SABAN, CONFLICT_DIALOG, AdwMessageDialog)

GtkWidget            *saban_conflict_dialog_new          (GtkWindow            *parent,
                                                          SabanCommandClient   *client,
                                                          SabanCommandConflict *conflict);
SabanCommandConflict *saban_conflict_dialog_get_conflict (SabanConflictDialog  *self);

G_END_DECLS
