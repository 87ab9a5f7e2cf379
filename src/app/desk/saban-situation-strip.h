#pragma once

#include <gtk/gtk.h>

#include "saban-situation.h"

G_BEGIN_DECLS

#define SABAN_TYPE_SITUATION_STRIP (saban_situation_strip_get_type ())
G_DECLARE_FINAL_TYPE (SabanSituationStrip, saban_situation_strip, SABAN, SITUATION_STRIP, GtkBox)

GtkWidget *saban_situation_strip_new (void);
void       saban_situation_strip_set (SabanSituationStrip  *self,
                                      const SabanSituation *situation);

G_END_DECLS
