#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SABAN_TYPE_FEATURE_ITEM (saban_feature_item_get_type ())

G_DECLARE_FINAL_TYPE (SabanFeatureItem, saban_feature_item, SABAN, FEATURE_ITEM, GObject)

SabanFeatureItem *saban_feature_item_new         (guint32           row);
guint32           saban_feature_item_get_row     (SabanFeatureItem *self);

G_END_DECLS
