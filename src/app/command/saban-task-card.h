#pragma once

#include <gtk/gtk.h>

#include "saban-command-item.h"

G_BEGIN_DECLS

#define SABAN_TYPE_TASK_CARD (saban_task_card_get_type ())
G_DECLARE_FINAL_TYPE (SabanTaskCard, saban_task_card, SABAN, TASK_CARD, GtkWidget)

GtkWidget        *saban_task_card_new            (SabanCommandItem *task,
                                                  gboolean          with_actions);
SabanCommandItem *saban_task_card_get_task       (SabanTaskCard    *self);
void              saban_task_card_set_overdue    (SabanTaskCard    *self,
                                                  gboolean          overdue);
gboolean          saban_task_card_get_overdue    (SabanTaskCard    *self);
void              saban_task_card_set_distance   (SabanTaskCard    *self,
                                                  double            metres);
const char       *saban_task_card_get_distance_text (SabanTaskCard *self);
void              saban_task_card_set_changed_by (SabanTaskCard    *self,
                                                  const char       *actor);
void              saban_task_card_set_role       (SabanTaskCard    *self,
                                                  const char       *role);

G_END_DECLS
