/* saban-feature-item.c: one row of a layer's attribute table, as a list item.
 * Made only for the rows a list view shows, so a million-row layer costs
 * nothing until it is scrolled. */
#include "saban-feature-item.h"

struct _SabanFeatureItem
{
  GObject parent_instance;
  guint32 row;
};

G_DEFINE_FINAL_TYPE (SabanFeatureItem, saban_feature_item, G_TYPE_OBJECT)

static void
saban_feature_item_class_init (SabanFeatureItemClass *klass)
{
}

static void
saban_feature_item_init (SabanFeatureItem *self)
{
}

SabanFeatureItem *
saban_feature_item_new (guint32 row)
{
  SabanFeatureItem *self = g_object_new (SABAN_TYPE_FEATURE_ITEM, NULL);

  self->row = row;
  return self;
}

guint32
saban_feature_item_get_row (SabanFeatureItem *self)
{
  return self->row;
}
