/* saban-feedback-list.c: the reports of a store that pass a filter, as a
 * GListModel of SabanFeedbackItem: a view shows 50 000 reports by making
 * only the rows on screen (GtkListView), and items are made when first
 * asked for and kept, so a row keeps its item while it is shown. */
#include "saban-feedback-list.h"

struct _SabanFeedbackList
{
  GObject             parent_instance;
  SabanFeedbackStore *store;
  GArray             *indices;   /* store indices that pass */
  GPtrArray          *items;     /* SabanFeedbackItem or NULL, per position */
};

static void saban_feedback_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SabanFeedbackList, saban_feedback_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, saban_feedback_list_model_init))

static GType
get_item_type (GListModel *model)
{
  return SABAN_TYPE_FEEDBACK_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  return SABAN_FEEDBACK_LIST (model)->indices->len;
}

static gpointer
get_item (GListModel *model, guint position)
{
  SabanFeedbackList *self = SABAN_FEEDBACK_LIST (model);

  if (position >= self->indices->len)
    return NULL;
  if (g_ptr_array_index (self->items, position) == NULL)
    g_ptr_array_index (self->items, position) =
      saban_feedback_item_new (self->store, g_array_index (self->indices, guint, position));
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
saban_feedback_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
saban_feedback_list_finalize (GObject *object)
{
  SabanFeedbackList *self = SABAN_FEEDBACK_LIST (object);

  g_clear_object (&self->store);
  g_array_unref (self->indices);
  g_ptr_array_unref (self->items);
  G_OBJECT_CLASS (saban_feedback_list_parent_class)->finalize (object);
}

static void
saban_feedback_list_class_init (SabanFeedbackListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_feedback_list_finalize;
}

/* positions no view asked for hold no item */
static void
unref_item (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
}

static void
saban_feedback_list_init (SabanFeedbackList *self)
{
  self->indices = g_array_new (FALSE, FALSE, sizeof (guint));
  self->items = g_ptr_array_new_with_free_func (unref_item);
}

/**
 * saban_feedback_list_new:
 *
 * Returns: (transfer full): an empty list, until a store is set
 */
SabanFeedbackList *
saban_feedback_list_new (void)
{
  return g_object_new (SABAN_TYPE_FEEDBACK_LIST, NULL);
}

static void
replace (SabanFeedbackList *self, GArray *indices)
{
  guint removed = self->indices->len;

  g_array_unref (self->indices);
  self->indices = indices;
  g_ptr_array_set_size (self->items, 0);
  g_ptr_array_set_size (self->items, indices->len);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, indices->len);
}

/**
 * saban_feedback_list_set_store:
 *
 * Shows every report of @store (a new store replaces the list's rows).
 */
void
saban_feedback_list_set_store (SabanFeedbackList *self, SabanFeedbackStore *store)
{
  SabanFeedbackFilter all;

  g_set_object (&self->store, store);
  saban_feedback_filter_init (&all);
  saban_feedback_list_set_filter (self, &all, g_get_real_time ());
}

/**
 * saban_feedback_list_get_store:
 *
 * Returns: (transfer none) (nullable): the store shown
 */
SabanFeedbackStore *
saban_feedback_list_get_store (SabanFeedbackList *self)
{
  return self->store;
}

/**
 * saban_feedback_list_set_filter:
 *
 * Shows the reports that pass @filter at @now_us.
 */
void
saban_feedback_list_set_filter (SabanFeedbackList *self, const SabanFeedbackFilter *filter, gint64 now_us)
{
  replace (self, self->store != NULL ? saban_feedback_store_filter (self->store, filter, now_us)
                                     : g_array_new (FALSE, FALSE, sizeof (guint)));
}

/**
 * saban_feedback_list_get_indices:
 *
 * Returns: (transfer none): the store indices shown, in order
 */
GArray *
saban_feedback_list_get_indices (SabanFeedbackList *self)
{
  return self->indices;
}

/**
 * saban_feedback_list_changed:
 * @index: a report of the store that changed (after a write)
 *
 * Its row, if shown, is made again.
 */
void
saban_feedback_list_changed (SabanFeedbackList *self, guint index)
{
  for (guint p = 0; p < self->indices->len; p++)
    if (g_array_index (self->indices, guint, p) == index)
      {
        g_clear_object (&g_ptr_array_index (self->items, p));
        g_list_model_items_changed (G_LIST_MODEL (self), p, 1, 1);
        return;
      }
}
