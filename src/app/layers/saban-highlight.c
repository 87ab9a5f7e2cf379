/* saban-highlight.c: features picked out — a check's findings, a conflict's
 * parcels — shown on the map as a layer of their own, red, above the data,
 * and the map taken to them. The layer is a subset of its source layer
 * (saban_vector_layer_new_subset): exported, it writes those features; the
 * workspace does not keep it. */
#include "saban-highlight.h"

/**
 * saban_highlight_features:
 * @view: (nullable): the map to take to the features
 * @features: (element-type guint32): the features, by index in @layer
 * @title: what they are; a highlight of the same title is replaced
 *
 * Returns: (transfer none) (nullable): the layer shown, or %NULL for no features
 */
SabanLayer *
saban_highlight_features (SabanLayerModel  *model,
                          SabanMapView     *view,
                          SabanVectorLayer *layer,
                          GArray           *features,
                          const char       *title)
{
  g_autoptr(SabanVectorLayer) subset = NULL;
  g_autoptr(SabanLayerStyle) style = NULL;
  g_autoptr(SabanLayer) shown = NULL;
  double e[4];

  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (model)); i > 0; i--)
    {
      g_autoptr(SabanLayer) old = g_list_model_get_item (G_LIST_MODEL (model), i - 1);

      if (saban_layer_get_vector (old) != NULL && saban_vector_layer_is_subset (saban_layer_get_vector (old)) &&
          g_strcmp0 (saban_layer_get_custom_title (old), title) == 0)
        saban_layer_model_remove (model, old);
    }
  if (features->len == 0)
    return NULL;
  subset = saban_vector_layer_new_subset (layer, (const guint32 *) features->data, features->len);
  style = saban_layer_style_new_highlight (subset, title);
  shown = saban_layer_new (subset, style);
  saban_layer_set_custom_title (shown, title);
  saban_layer_model_add (model, shown);
  if (view != NULL && saban_vector_layer_get_extent (subset, &e[0], &e[1], &e[2], &e[3]))
    {
      /* a single point or parcel: some ground around it */
      double pad = MAX (MAX (e[2] - e[0], e[3] - e[1]) * 0.1, 150);

      saban_map_view_zoom_to_extent (view, e[0] - pad, e[1] - pad, e[2] + pad, e[3] + pad);
    }
  return shown;
}
