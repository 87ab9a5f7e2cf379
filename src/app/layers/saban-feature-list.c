/* saban-feature-list.c: a GListModel over row numbers in a chosen order.
 * Sorting and filtering happen in core on plain arrays; this only presents
 * the result to GTK's list widgets. */
#include "saban-feature-list.h"

#include "saban-feature-item.h"

struct _SabanFeatureList
{
  GObject parent_instance;
  GArray *rows;   /* guint32 */
};

static void list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SabanFeatureList, saban_feature_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_init))

static GType
get_item_type (GListModel *model)
{
  return SABAN_TYPE_FEATURE_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  return SABAN_FEATURE_LIST (model)->rows->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  SabanFeatureList *self = SABAN_FEATURE_LIST (model);

  if (position >= self->rows->len)
    return NULL;
  return saban_feature_item_new (g_array_index (self->rows, guint32, position));
}

static void
list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
saban_feature_list_finalize (GObject *object)
{
  g_array_unref (SABAN_FEATURE_LIST (object)->rows);
  G_OBJECT_CLASS (saban_feature_list_parent_class)->finalize (object);
}

static void
saban_feature_list_class_init (SabanFeatureListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_feature_list_finalize;
}

static void
saban_feature_list_init (SabanFeatureList *self)
{
  self->rows = g_array_new (FALSE, FALSE, sizeof (guint32));
}

SabanFeatureList *
saban_feature_list_new (void)
{
  return g_object_new (SABAN_TYPE_FEATURE_LIST, NULL);
}

/**
 * saban_feature_list_set_rows:
 * @rows: (element-type guint32): the rows to show, in order; kept
 */
void
saban_feature_list_set_rows (SabanFeatureList *self,
                             GArray           *rows)
{
  guint removed = self->rows->len;

  g_array_unref (self->rows);
  self->rows = g_array_ref (rows);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, rows->len);
}

/**
 * saban_feature_list_dup_rows:
 *
 * Returns: (transfer full) (element-type guint32): the rows, in their order
 */
GArray *
saban_feature_list_dup_rows (SabanFeatureList *self)
{
  GArray *rows = g_array_sized_new (FALSE, FALSE, sizeof (guint32), self->rows->len);

  g_array_append_vals (rows, self->rows->data, self->rows->len);
  return rows;
}
