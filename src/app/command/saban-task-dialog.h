#pragma once

#include <adwaita.h>

#include "saban-session.h"

G_BEGIN_DECLS

#define SABAN_TYPE_TASK_DIALOG (saban_task_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SabanTaskDialog, saban_task_dialog, SABAN, TASK_DIALOG, AdwWindow)

GtkWidget        *saban_task_dialog_new                (GtkWindow          *parent,
                                                        SabanSession       *session,
                                                        SabanCommandItem   *scenario);
GtkWidget        *saban_task_dialog_new_assign         (GtkWindow          *parent,
                                                        SabanSession       *session,
                                                        SabanCommandItem   *task);
SabanCommandItem *saban_task_dialog_dispatch_checklist (SabanTaskDialog    *self,
                                                       guint               index,
                                                       const char         *assignee);
GPtrArray        *saban_task_dialog_get_assignees      (SabanTaskDialog    *self);
gboolean          saban_task_dialog_submit             (SabanTaskDialog    *self);
void              saban_task_dialog_pick_place         (SabanTaskDialog    *self);

G_END_DECLS
