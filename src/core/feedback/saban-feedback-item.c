/* saban-feedback-item.c: one report of a SabanFeedbackStore as a list's
 * item: the store and the report's index, nothing copied, so a list of
 * 50 000 makes only the items a view asks for. */
#include "saban-feedback-item.h"

struct _SabanFeedbackItem
{
  GObject             parent_instance;
  SabanFeedbackStore *store;
  guint               index;
};

G_DEFINE_FINAL_TYPE (SabanFeedbackItem, saban_feedback_item, G_TYPE_OBJECT)

static void
saban_feedback_item_finalize (GObject *object)
{
  g_clear_object (&SABAN_FEEDBACK_ITEM (object)->store);
  G_OBJECT_CLASS (saban_feedback_item_parent_class)->finalize (object);
}

static void
saban_feedback_item_class_init (SabanFeedbackItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_feedback_item_finalize;
}

static void
saban_feedback_item_init (SabanFeedbackItem *self)
{
}

/**
 * saban_feedback_item_new:
 *
 * Returns: (transfer full): the item of report @index of @store
 */
SabanFeedbackItem *
saban_feedback_item_new (SabanFeedbackStore *store, guint index)
{
  SabanFeedbackItem *self = g_object_new (SABAN_TYPE_FEEDBACK_ITEM, NULL);

  self->store = g_object_ref (store);
  self->index = index;
  return self;
}

SabanFeedbackStore *
saban_feedback_item_get_store (SabanFeedbackItem *self)
{
  return self->store;
}

guint
saban_feedback_item_get_index (SabanFeedbackItem *self)
{
  return self->index;
}

const SabanFeedbackRequest *
saban_feedback_item_get_request (SabanFeedbackItem *self)
{
  return saban_feedback_store_get_request (self->store, self->index);
}
