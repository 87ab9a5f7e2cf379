#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SABAN_TYPE_FEATURE_LIST (saban_feature_list_get_type ())

G_DECLARE_FINAL_TYPE (SabanFeatureList, saban_feature_list, SABAN, FEATURE_LIST, GObject)

SabanFeatureList *saban_feature_list_new      (void);
void              saban_feature_list_set_rows (SabanFeatureList *self,
                                               GArray           *rows);
GArray           *saban_feature_list_dup_rows (SabanFeatureList *self);

G_END_DECLS
