/* saban-layer-model.c: the layers of a session's map, as a GListModel of
 * SabanLayer — the one place layer state lives.
 *
 * The order is the sidebar's: by group (IoT first), then the topmost layer
 * first; the map draws it from the end, so the first item is drawn on top.
 * The model keeps itself in that order: an item whose z-order or group
 * changes moves, and observers hear items-changed. The layer list binds
 * rows to it, the map view draws it, and the workspace file is written
 * from it (and its order restored into it).
 */
#include "saban-layer-model.h"

#include "saban-gis-enums.h"

struct _SabanLayerModel
{
  GObject    parent_instance;
  GPtrArray *layers;   /* SabanLayer, in order */
};

static void saban_layer_model_list_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SabanLayerModel, saban_layer_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, saban_layer_model_list_init))

static GType
get_item_type (GListModel *list)
{
  return SABAN_TYPE_LAYER;
}

static guint
get_n_items (GListModel *list)
{
  return SABAN_LAYER_MODEL (list)->layers->len;
}

static gpointer
get_item (GListModel *list, guint position)
{
  SabanLayerModel *self = SABAN_LAYER_MODEL (list);

  return position < self->layers->len ? g_object_ref (g_ptr_array_index (self->layers, position)) : NULL;
}

static void
saban_layer_model_list_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* by group, then the topmost first */
static int
compare (gconstpointer a, gconstpointer b)
{
  SabanLayer *x = *(SabanLayer **) a, *y = *(SabanLayer **) b;

  if (saban_layer_get_group (x) != saban_layer_get_group (y))
    return (int) saban_layer_get_group (x) - (int) saban_layer_get_group (y);
  return saban_layer_get_z_order (y) - saban_layer_get_z_order (x);
}

/* the layers now, to walk while changes move them (the copy holds no
 * references: the model does) */
static GPtrArray *
snapshot (SabanLayerModel *self)
{
  GPtrArray *copy = g_ptr_array_sized_new (self->layers->len);

  for (guint i = 0; i < self->layers->len; i++)
    g_ptr_array_add (copy, g_ptr_array_index (self->layers, i));
  return copy;
}

/* the items that moved, as one change */
static void
resort (SabanLayerModel *self)
{
  g_autoptr(GPtrArray) before = snapshot (self);
  guint first = 0, last;

  g_ptr_array_sort (self->layers, compare);
  while (first < before->len && g_ptr_array_index (before, first) == g_ptr_array_index (self->layers, first))
    first++;
  if (first == before->len)
    return;
  last = before->len;
  while (g_ptr_array_index (before, last - 1) == g_ptr_array_index (self->layers, last - 1))
    last--;
  g_list_model_items_changed (G_LIST_MODEL (self), first, last - first, last - first);
}

static void
on_layer_moved (SabanLayerModel *self)
{
  resort (self);
}

static void
saban_layer_model_dispose (GObject *object)
{
  SabanLayerModel *self = SABAN_LAYER_MODEL (object);

  for (guint i = 0; i < self->layers->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->layers, i), self);
  g_ptr_array_set_size (self->layers, 0);
  G_OBJECT_CLASS (saban_layer_model_parent_class)->dispose (object);
}

static void
saban_layer_model_finalize (GObject *object)
{
  g_ptr_array_unref (SABAN_LAYER_MODEL (object)->layers);
  G_OBJECT_CLASS (saban_layer_model_parent_class)->finalize (object);
}

static void
saban_layer_model_class_init (SabanLayerModelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = saban_layer_model_dispose;
  G_OBJECT_CLASS (klass)->finalize = saban_layer_model_finalize;
}

static void
saban_layer_model_init (SabanLayerModel *self)
{
  self->layers = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * saban_layer_model_new:
 *
 * Returns: (transfer full): an empty model
 */
SabanLayerModel *
saban_layer_model_new (void)
{
  return g_object_new (SABAN_TYPE_LAYER_MODEL, NULL);
}

/**
 * saban_layer_model_add:
 *
 * Adds @layer in its place: in its group, by its z-order.
 */
void
saban_layer_model_add (SabanLayerModel *self, SabanLayer *layer)
{
  guint position = 0;

  g_return_if_fail (SABAN_IS_LAYER_MODEL (self));
  g_return_if_fail (SABAN_IS_LAYER (layer));
  g_return_if_fail (!g_ptr_array_find (self->layers, layer, NULL));

  while (position < self->layers->len && compare (&g_ptr_array_index (self->layers, position), &layer) <= 0)
    position++;
  g_ptr_array_insert (self->layers, (int) position, g_object_ref (layer));
  g_signal_connect_object (layer, "notify::z-order", G_CALLBACK (on_layer_moved), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (layer, "notify::group", G_CALLBACK (on_layer_moved), self, G_CONNECT_SWAPPED);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
}

/**
 * saban_layer_model_remove:
 */
void
saban_layer_model_remove (SabanLayerModel *self, SabanLayer *layer)
{
  guint position;

  g_return_if_fail (SABAN_IS_LAYER_MODEL (self));

  if (!g_ptr_array_find (self->layers, layer, &position))
    return;
  g_signal_handlers_disconnect_by_data (layer, self);
  g_ptr_array_remove_index (self->layers, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

/**
 * saban_layer_model_find:
 * Returns: (transfer none) (nullable): the layer showing @vector
 */
SabanLayer *
saban_layer_model_find (SabanLayerModel *self, SabanVectorLayer *vector)
{
  g_return_val_if_fail (SABAN_IS_LAYER_MODEL (self), NULL);

  for (guint i = 0; i < self->layers->len; i++)
    if (saban_layer_get_vector (g_ptr_array_index (self->layers, i)) == vector)
      return g_ptr_array_index (self->layers, i);
  return NULL;
}

/**
 * saban_layer_model_find_raster:
 * Returns: (transfer none) (nullable): the layer showing @raster
 */
SabanLayer *
saban_layer_model_find_raster (SabanLayerModel *self, SabanRasterLayer *raster)
{
  g_return_val_if_fail (SABAN_IS_LAYER_MODEL (self), NULL);

  for (guint i = 0; i < self->layers->len; i++)
    if (saban_layer_get_raster (g_ptr_array_index (self->layers, i)) == raster)
      return g_ptr_array_index (self->layers, i);
  return NULL;
}

/**
 * saban_layer_model_move_above:
 * @layer: the layer the user dragged
 * @target: the layer it was dropped on
 *
 * Puts @layer just above @target, if both are in the same group: the
 * layers are numbered again, top to bottom, as the list then reads.
 *
 * Returns: whether it moved
 */
gboolean
saban_layer_model_move_above (SabanLayerModel *self, SabanLayer *layer, SabanLayer *target)
{
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  int z;

  g_return_val_if_fail (SABAN_IS_LAYER_MODEL (self), FALSE);

  if (layer == target || saban_layer_get_group (layer) != saban_layer_get_group (target) ||
      !g_ptr_array_find (self->layers, layer, NULL) || !g_ptr_array_find (self->layers, target, NULL))
    return FALSE;
  for (guint i = 0; i < self->layers->len; i++)
    {
      SabanLayer *l = g_ptr_array_index (self->layers, i);

      if (l == layer)
        continue;
      if (l == target)
        g_ptr_array_add (order, layer);
      g_ptr_array_add (order, l);
    }
  /* top of the list is drawn on top: the highest z; each change resorts,
   * so the numbers are given bottom first and the order never goes through
   * a state that is not the final one's prefix */
  z = 0;
  for (guint i = order->len; i > 0; i--)
    saban_layer_set_z_order (g_ptr_array_index (order, i - 1), ++z);
  return TRUE;
}

/**
 * saban_layer_model_dup_vectors:
 *
 * Returns: (transfer full) (element-type SabanVectorLayer): the vector
 *   layers' data, in the model's order (for a search, an impact analysis),
 *   but subsets (a selection shown, a check's findings)
 */
GPtrArray *
saban_layer_model_dup_vectors (SabanLayerModel *self)
{
  GPtrArray *vectors = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (SABAN_IS_LAYER_MODEL (self), vectors);

  /* a selection's features are its source layer's: searched and counted once */
  for (guint i = 0; i < self->layers->len; i++)
    {
      SabanVectorLayer *vector = saban_layer_get_vector (g_ptr_array_index (self->layers, i));

      if (vector != NULL && !saban_vector_layer_is_subset (vector))
        g_ptr_array_add (vectors, g_object_ref (vector));
    }
  return vectors;
}

/**
 * saban_layer_model_new_composite:
 *
 * The visible layers, bottom to top with their styles and opacities, as one
 * source: what the map shows now, for the map and for a print.
 *
 * Returns: (transfer full): a new composite source
 */
SabanTileSource *
saban_layer_model_new_composite (SabanLayerModel *self)
{
  g_autoptr(GPtrArray) layers = g_ptr_array_new ();

  /* bottom to top: the model's end first */
  for (guint i = self->layers->len; i > 0; i--)
    {
      SabanLayer *item = g_ptr_array_index (self->layers, i - 1);

      if (saban_layer_get_visible (item) && saban_layer_get_opacity (item) > 0)
        g_ptr_array_add (layers, item);
    }
  return saban_tile_source_new_composite ((SabanLayer **) layers->pdata, layers->len);
}

/**
 * saban_layer_model_order_as:
 * @workspace: a workspace listing layers bottom to top
 *
 * Stacks the layers @workspace lists as it lists them; the others keep
 * their z-order.
 */
void
saban_layer_model_order_as (SabanLayerModel *self, SabanWorkspace *workspace)
{
  g_autoptr(GPtrArray) layers = NULL;

  g_return_if_fail (SABAN_IS_LAYER_MODEL (self));

  /* each change moves items */
  layers = snapshot (self);
  for (guint i = 0; i < layers->len; i++)
    {
      SabanLayer *layer = g_ptr_array_index (layers, i);

      for (guint k = 0; k < saban_workspace_get_n_layers (workspace); k++)
        {
          const SabanWorkspaceLayer *entry = saban_workspace_get_layer (workspace, k);

          if (g_str_equal (entry->source, saban_layer_get_source (layer)) &&
              g_str_equal (entry->layer, saban_layer_get_name (layer)))
            saban_layer_set_z_order (g_ptr_array_index (layers, i), (int) k);
        }
    }
}

/**
 * saban_layer_model_dup_workspace:
 *
 * Returns: (transfer full): the layers as a workspace records them, bottom
 *   to top: source, name, visibility, opacity, the user's name, the CRS
 *   assumed, the user's style or how a raster is drawn; no view
 */
SabanWorkspace *
saban_layer_model_dup_workspace (SabanLayerModel *self)
{
  SabanWorkspace *workspace = saban_workspace_new ();

  g_return_val_if_fail (SABAN_IS_LAYER_MODEL (self), workspace);

  for (guint i = self->layers->len; i > 0; i--)
    {
      SabanLayer *layer = g_ptr_array_index (self->layers, i - 1);
      SabanVectorLayer *vector = saban_layer_get_vector (layer);

      /* a selection or a check's findings: made again, not reopened */
      if (vector != NULL && saban_vector_layer_is_subset (vector))
        continue;
      saban_workspace_add_layer (workspace, saban_layer_get_source (layer), saban_layer_get_name (layer),
                                 saban_layer_get_visible (layer), saban_layer_get_opacity (layer));
      if (saban_layer_get_custom_title (layer) != NULL)
        saban_workspace_set_last_title (workspace, saban_layer_get_custom_title (layer));
      saban_workspace_set_last_crs (workspace, saban_layer_get_source_crs (layer));
      if (saban_layer_get_landuse_field (layer) != NULL)
        saban_workspace_set_last_landuse_field (workspace, saban_layer_get_landuse_field (layer));
      if (saban_layer_get_raster (layer) != NULL || saban_layer_get_service (layer) != NULL)
        {
          g_autoptr(GEnumClass) renders = g_type_class_ref (SABAN_TYPE_RASTER_RENDER);

          saban_workspace_set_last_raster (workspace,
                                           g_enum_get_value (renders, saban_layer_get_raster_render (layer))->value_nick);
        }
      if (saban_layer_style_is_custom (saban_layer_get_style (layer)))
        {
          g_auto(SabanStyleChoice) choice = { 0 };
          g_auto(SabanWorkspaceStyle) saved = { 0 };

          saban_layer_style_get_choice (saban_layer_get_style (layer), &choice);
          saban_style_choice_to_workspace (&choice, &saved);
          saban_workspace_set_last_style (workspace, &saved);
        }
    }
  return workspace;
}
