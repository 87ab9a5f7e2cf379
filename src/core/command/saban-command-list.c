/* saban-command-list.c: a live, filtered and sorted view of one collection of
 * a SabanCommandStore, as a GListModel (core has no GtkFilterListModel).
 *
 * The store hands every changed item to each of its lists; the list works
 * out whether it enters, leaves, moves or only changes, and says so with
 * items-changed (a changed item is "removed and added" in place, so a
 * GtkListView rebinds its row).
 */
#include "saban-command-list.h"

struct _SabanCommandList
{
  GObject                 parent_instance;
  SabanCommandCollection  collection;
  SabanCommandListFilter  filter;
  gpointer                data;
  GDestroyNotify          destroy;
  GCompareFunc            sort;
  GPtrArray              *items;
};

static GType
list_get_item_type (GListModel *model)
{
  return SABAN_TYPE_COMMAND_ITEM;
}

static guint
list_get_n_items (GListModel *model)
{
  return SABAN_COMMAND_LIST (model)->items->len;
}

static gpointer
list_get_item (GListModel *model, guint position)
{
  SabanCommandList *self = SABAN_COMMAND_LIST (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
saban_command_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (SabanCommandList, saban_command_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, saban_command_list_model_init))

static void
saban_command_list_finalize (GObject *object)
{
  SabanCommandList *self = SABAN_COMMAND_LIST (object);

  if (self->destroy != NULL)
    self->destroy (self->data);
  g_ptr_array_unref (self->items);
  G_OBJECT_CLASS (saban_command_list_parent_class)->finalize (object);
}

static void
saban_command_list_class_init (SabanCommandListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_command_list_finalize;
}

static void
saban_command_list_init (SabanCommandList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * saban_command_list_new:
 * @filter: (nullable): which items of @collection belong; NULL for all
 * @sort: orders two SabanCommandItem
 *
 * Returns: (transfer full): an empty list; the store fills it
 */
SabanCommandList *
saban_command_list_new (SabanCommandCollection collection, SabanCommandListFilter filter, gpointer data,
                        GDestroyNotify destroy, GCompareFunc sort)
{
  SabanCommandList *self = g_object_new (SABAN_TYPE_COMMAND_LIST, NULL);

  self->collection = collection;
  self->filter = filter;
  self->data = data;
  self->destroy = destroy;
  self->sort = sort;
  return self;
}

static guint
insertion_point (SabanCommandList *self, SabanCommandItem *item)
{
  guint lo = 0, hi = self->items->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (self->sort (g_ptr_array_index (self->items, mid), item) <= 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static gboolean
in_place (SabanCommandList *self, guint i)
{
  gpointer item = g_ptr_array_index (self->items, i);

  return (i == 0 || self->sort (g_ptr_array_index (self->items, i - 1), item) <= 0) &&
         (i + 1 >= self->items->len || self->sort (item, g_ptr_array_index (self->items, i + 1)) <= 0);
}

/**
 * saban_command_list_update:
 * @item: an item that appeared or changed
 */
void
saban_command_list_update (SabanCommandList *self, SabanCommandItem *item)
{
  gboolean belongs;
  guint i, pos;

  g_return_if_fail (SABAN_IS_COMMAND_LIST (self));

  if (saban_command_item_get_collection (item) != self->collection)
    return;
  belongs = self->filter == NULL || self->filter (item, self->data);
  if (g_ptr_array_find (self->items, item, &i))
    {
      if (belongs && in_place (self, i))
        {
          g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 1);
          return;
        }
      g_ptr_array_remove_index (self->items, i);
      g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 0);
    }
  if (!belongs)
    return;
  pos = insertion_point (self, item);
  g_ptr_array_insert (self->items, pos, g_object_ref (item));
  g_list_model_items_changed (G_LIST_MODEL (self), pos, 0, 1);
}

/**
 * saban_command_list_get_collection:
 * Returns: the collection the list shows
 */
SabanCommandCollection
saban_command_list_get_collection (SabanCommandList *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_LIST (self), SABAN_COMMAND_N_COLLECTIONS);
  return self->collection;
}

/**
 * saban_command_list_refilter:
 * @items: (element-type gint64 SabanCommandItem): every item of the list's
 *   collection
 *
 * The filter's data changed (a local scenario got its server id): items
 * that no longer belong leave, items of @items that now do join.
 */
void
saban_command_list_refilter (SabanCommandList *self, GHashTable *items)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (SABAN_IS_COMMAND_LIST (self));

  for (guint i = self->items->len; i-- > 0;)
    if (self->filter != NULL && !self->filter (g_ptr_array_index (self->items, i), self->data))
      {
        g_ptr_array_remove_index (self->items, i);
        g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 0);
      }
  g_hash_table_iter_init (&iter, items);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if ((self->filter == NULL || self->filter (value, self->data)) && !g_ptr_array_find (self->items, value, NULL))
      {
        guint pos = insertion_point (self, value);

        g_ptr_array_insert (self->items, pos, g_object_ref (value));
        g_list_model_items_changed (G_LIST_MODEL (self), pos, 0, 1);
      }
}

/**
 * saban_command_list_remove:
 * @item: an item that is gone
 */
void
saban_command_list_remove (SabanCommandList *self, SabanCommandItem *item)
{
  guint i;

  g_return_if_fail (SABAN_IS_COMMAND_LIST (self));

  if (!g_ptr_array_find (self->items, item, &i))
    return;
  g_ptr_array_remove_index (self->items, i);
  g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 0);
}
