/* saban-layer.c: one layer of the map as the user arranged it — its data,
 * style, visibility, opacity, name and place in the stack.
 *
 * An item of the SabanLayerModel: the layer list, the map, the legend and
 * the workspace file all observe it (notify), and whatever changes it —
 * a row's switch, the style dialog, a workspace being restored — changes
 * only it. Its data is vector (SabanVectorLayer, drawn with its style),
 * raster (SabanRasterLayer, drawn as its raster-render says) or a map
 * service's tiles (a SabanTileFetcher: XYZ, TMS, WMS, WMS-T); for the last
 * two the style only names and places it. Choropleth layers are to be
 * items of the same model.
 */
#include "saban-layer.h"

#include "saban-gis-enums.h"
#include "saban-map-enums.h"

struct _SabanLayer
{
  GObject           parent_instance;
  SabanVectorLayer *vector;
  SabanRasterLayer *raster;
  SabanRasterRender raster_render;
  SabanTileFetcher *service;
  SabanLayerStyle  *style;
  gboolean          visible;
  double            opacity;
  char             *custom_title;
  char             *landuse_field;
  int               z_order;
};

enum
{
  PROP_0,
  PROP_VECTOR,
  PROP_RASTER,
  PROP_RASTER_RENDER,
  PROP_SERVICE,
  PROP_STYLE,
  PROP_VISIBLE,
  PROP_OPACITY,
  PROP_CUSTOM_TITLE,
  PROP_TITLE,
  PROP_Z_ORDER,
  PROP_GROUP,
  PROP_LANDUSE_FIELD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SabanLayer, saban_layer, G_TYPE_OBJECT)

static void
saban_layer_finalize (GObject *object)
{
  SabanLayer *self = SABAN_LAYER (object);

  g_clear_object (&self->vector);
  g_clear_object (&self->raster);
  g_clear_object (&self->service);
  g_clear_object (&self->style);
  g_free (self->custom_title);
  g_free (self->landuse_field);
  G_OBJECT_CLASS (saban_layer_parent_class)->finalize (object);
}

static void
saban_layer_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SabanLayer *self = SABAN_LAYER (object);

  switch (prop_id)
    {
    case PROP_VECTOR:
      g_value_set_object (value, self->vector);
      break;
    case PROP_RASTER:
      g_value_set_object (value, self->raster);
      break;
    case PROP_RASTER_RENDER:
      g_value_set_enum (value, self->raster_render);
      break;
    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;
    case PROP_STYLE:
      g_value_set_object (value, self->style);
      break;
    case PROP_VISIBLE:
      g_value_set_boolean (value, self->visible);
      break;
    case PROP_OPACITY:
      g_value_set_double (value, self->opacity);
      break;
    case PROP_CUSTOM_TITLE:
      g_value_set_string (value, self->custom_title);
      break;
    case PROP_TITLE:
      g_value_set_string (value, saban_layer_get_title (self));
      break;
    case PROP_Z_ORDER:
      g_value_set_int (value, self->z_order);
      break;
    case PROP_GROUP:
      g_value_set_enum (value, saban_layer_get_group (self));
      break;
    case PROP_LANDUSE_FIELD:
      g_value_set_string (value, self->landuse_field);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_layer_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SabanLayer *self = SABAN_LAYER (object);

  switch (prop_id)
    {
    case PROP_VECTOR:
      self->vector = g_value_dup_object (value);
      break;
    case PROP_RASTER:
      self->raster = g_value_dup_object (value);
      break;
    case PROP_RASTER_RENDER:
      saban_layer_set_raster_render (self, g_value_get_enum (value));
      break;
    case PROP_SERVICE:
      self->service = g_value_dup_object (value);
      break;
    case PROP_STYLE:
      saban_layer_set_style (self, g_value_get_object (value));
      break;
    case PROP_VISIBLE:
      saban_layer_set_visible (self, g_value_get_boolean (value));
      break;
    case PROP_OPACITY:
      saban_layer_set_opacity (self, g_value_get_double (value));
      break;
    case PROP_CUSTOM_TITLE:
      saban_layer_set_custom_title (self, g_value_get_string (value));
      break;
    case PROP_Z_ORDER:
      saban_layer_set_z_order (self, g_value_get_int (value));
      break;
    case PROP_LANDUSE_FIELD:
      saban_layer_set_landuse_field (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_layer_class_init (SabanLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = saban_layer_finalize;
  object_class->get_property = saban_layer_get_property;
  object_class->set_property = saban_layer_set_property;

  properties[PROP_VECTOR] = g_param_spec_object ("vector", NULL, NULL, SABAN_TYPE_VECTOR_LAYER,
                                                 G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RASTER] = g_param_spec_object ("raster", NULL, NULL, SABAN_TYPE_RASTER_LAYER,
                                                 G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* how a raster is drawn */
  properties[PROP_RASTER_RENDER] = g_param_spec_enum ("raster-render", NULL, NULL, SABAN_TYPE_RASTER_RENDER,
                                                      SABAN_RASTER_RENDER_IMAGE, rw);
  properties[PROP_SERVICE] = g_param_spec_object ("service", NULL, NULL, SABAN_TYPE_TILE_FETCHER,
                                                  G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STYLE] = g_param_spec_object ("style", NULL, NULL, SABAN_TYPE_LAYER_STYLE, rw);
  properties[PROP_VISIBLE] = g_param_spec_boolean ("visible", NULL, NULL, TRUE, rw);
  properties[PROP_OPACITY] = g_param_spec_double ("opacity", NULL, NULL, 0, 1, 1, rw);
  /* the user's name for the layer, or NULL for its style's */
  properties[PROP_CUSTOM_TITLE] = g_param_spec_string ("custom-title", NULL, NULL, NULL, rw);
  /* the name shown: the user's, else its style's */
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, ro);
  /* its place in its group's stack: higher is drawn above */
  properties[PROP_Z_ORDER] = g_param_spec_int ("z-order", NULL, NULL, G_MININT, G_MAXINT, 0, rw);
  /* the sidebar's group, its style's */
  properties[PROP_GROUP] = g_param_spec_enum ("group", NULL, NULL, SABAN_TYPE_LAYER_GROUP, SABAN_LAYER_GROUP_OTHER, ro);
  /* the field of land-use codes the user chose, or NULL: found by its values */
  properties[PROP_LANDUSE_FIELD] = g_param_spec_string ("landuse-field", NULL, NULL, NULL, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
saban_layer_init (SabanLayer *self)
{
  self->visible = TRUE;
  self->opacity = 1;
}

/**
 * saban_layer_new:
 * @vector: the layer's data
 * @style: how it is drawn; its z-order is the layer's first place
 *
 * Returns: (transfer full): a visible, opaque layer
 */
SabanLayer *
saban_layer_new (SabanVectorLayer *vector, SabanLayerStyle *style)
{
  SabanLayer *self;

  g_return_val_if_fail (SABAN_IS_VECTOR_LAYER (vector), NULL);
  g_return_val_if_fail (SABAN_IS_LAYER_STYLE (style), NULL);

  self = g_object_new (SABAN_TYPE_LAYER, "vector", vector, "style", style, NULL);
  self->z_order = saban_layer_style_get_z_order (style);
  return self;
}

/**
 * saban_layer_new_raster:
 * @raster: the layer's data
 *
 * A DEM is drawn as tinted relief, any other raster as its pixels; the
 * layer sits at the bottom of the "other" group, under vector layers.
 *
 * Returns: (transfer full): a visible, opaque layer
 */
SabanLayer *
saban_layer_new_raster (SabanRasterLayer *raster)
{
  g_autoptr(SabanLayerStyle) style = NULL;
  SabanLayer *self;

  g_return_val_if_fail (SABAN_IS_RASTER_LAYER (raster), NULL);

  style = saban_layer_style_new_for_raster (saban_raster_layer_get_name (raster));
  self = g_object_new (SABAN_TYPE_LAYER, "raster", raster, "style", style, NULL);
  self->z_order = saban_layer_style_get_z_order (style);
  if (saban_raster_layer_get_kind (raster) == SABAN_RASTER_KIND_ELEVATION)
    self->raster_render = SABAN_RASTER_RENDER_HYPSOMETRIC;
  return self;
}

/**
 * saban_layer_new_service:
 * @service: where the layer's tiles come from (core/net's SabanTileCache)
 *
 * Returns: (transfer full): a visible, opaque layer of a map service's
 *   tiles, at the bottom of the "other" group
 */
SabanLayer *
saban_layer_new_service (SabanTileFetcher *service)
{
  g_autoptr(SabanLayerStyle) style = NULL;
  SabanLayer *self;

  g_return_val_if_fail (SABAN_IS_TILE_FETCHER (service), NULL);

  style = saban_layer_style_new_for_raster (saban_map_service_get_title (saban_tile_fetcher_get_service (service)));
  self = g_object_new (SABAN_TYPE_LAYER, "service", service, "style", style, NULL);
  self->z_order = saban_layer_style_get_z_order (style);
  return self;
}

/**
 * saban_layer_get_service:
 * Returns: (transfer none) (nullable): where the layer's tiles come from,
 *   when it is a map service's
 */
SabanTileFetcher *
saban_layer_get_service (SabanLayer *self)
{
  g_return_val_if_fail (SABAN_IS_LAYER (self), NULL);
  return self->service;
}

/**
 * saban_layer_get_vector:
 * Returns: (transfer none) (nullable): the layer's data, when it is vector
 */
SabanVectorLayer *
saban_layer_get_vector (SabanLayer *self)
{
  g_return_val_if_fail (SABAN_IS_LAYER (self), NULL);
  return self->vector;
}

/**
 * saban_layer_get_raster:
 * Returns: (transfer none) (nullable): the layer's data, when it is raster
 */
SabanRasterLayer *
saban_layer_get_raster (SabanLayer *self)
{
  g_return_val_if_fail (SABAN_IS_LAYER (self), NULL);
  return self->raster;
}

SabanRasterRender
saban_layer_get_raster_render (SabanLayer *self)
{
  g_return_val_if_fail (SABAN_IS_LAYER (self), SABAN_RASTER_RENDER_IMAGE);
  return self->raster_render;
}

/**
 * saban_layer_set_raster_render:
 *
 * Draws a raster layer as @render from now on (a relief only for a DEM).
 */
void
saban_layer_set_raster_render (SabanLayer        *self,
                               SabanRasterRender  render)
{
  g_return_if_fail (SABAN_IS_LAYER (self));

  if (self->raster_render == render)
    return;
  self->raster_render = render;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RASTER_RENDER]);
}

/**
 * saban_layer_get_source:
 * Returns: the file or connection the data came from
 */
const char *
saban_layer_get_source (SabanLayer *self)
{
  g_return_val_if_fail (SABAN_IS_LAYER (self), NULL);
  if (self->service != NULL)
    return saban_map_service_get_source (saban_tile_fetcher_get_service (self->service));
  return self->raster != NULL ? saban_raster_layer_get_source (self->raster) : saban_vector_layer_get_source (self->vector);
}

/**
 * saban_layer_get_name:
 * Returns: the data's name within its source
 */
const char *
saban_layer_get_name (SabanLayer *self)
{
  g_return_val_if_fail (SABAN_IS_LAYER (self), NULL);
  if (self->service != NULL)
    return saban_map_service_get_title (saban_tile_fetcher_get_service (self->service));
  return self->raster != NULL ? saban_raster_layer_get_name (self->raster) : saban_vector_layer_get_name (self->vector);
}

/**
 * saban_layer_get_source_crs:
 * Returns: the CRS the data was read in
 */
const char *
saban_layer_get_source_crs (SabanLayer *self)
{
  g_return_val_if_fail (SABAN_IS_LAYER (self), NULL);
  if (self->service != NULL)
    return "EPSG:3857";
  return self->raster != NULL ? saban_raster_layer_get_source_crs (self->raster)
                              : saban_vector_layer_get_source_crs (self->vector);
}

/**
 * saban_layer_get_extent:
 *
 * Returns: whether the data has an extent (Web Mercator metres); a map
 *   service has none (the world)
 */
gboolean
saban_layer_get_extent (SabanLayer *self,
                        double     *min_x,
                        double     *min_y,
                        double     *max_x,
                        double     *max_y)
{
  g_return_val_if_fail (SABAN_IS_LAYER (self), FALSE);
  if (self->service != NULL)
    return FALSE;
  if (self->raster != NULL)
    return saban_raster_layer_get_extent (self->raster, min_x, min_y, max_x, max_y);
  return saban_vector_layer_get_extent (self->vector, min_x, min_y, max_x, max_y);
}

/**
 * saban_layer_get_style:
 * Returns: (transfer none): how the layer is drawn
 */
SabanLayerStyle *
saban_layer_get_style (SabanLayer *self)
{
  g_return_val_if_fail (SABAN_IS_LAYER (self), NULL);
  return self->style;
}

/**
 * saban_layer_set_style:
 *
 * Draws the layer with @style from now on (styles are immutable: a new
 * one is made for each change).
 */
void
saban_layer_set_style (SabanLayer *self, SabanLayerStyle *style)
{
  g_autoptr(SabanLayerStyle) old = NULL;

  g_return_if_fail (SABAN_IS_LAYER (self));
  g_return_if_fail (SABAN_IS_LAYER_STYLE (style));

  if (self->style == style)
    return;
  old = g_steal_pointer (&self->style);
  self->style = g_object_ref (style);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STYLE]);
  if (old == NULL)
    return;
  if (self->custom_title == NULL && g_strcmp0 (saban_layer_style_get_title (old), saban_layer_style_get_title (style)) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  if (saban_layer_style_get_group (old) != saban_layer_style_get_group (style))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GROUP]);
}

gboolean
saban_layer_get_visible (SabanLayer *self)
{
  g_return_val_if_fail (SABAN_IS_LAYER (self), FALSE);
  return self->visible;
}

void
saban_layer_set_visible (SabanLayer *self, gboolean visible)
{
  g_return_if_fail (SABAN_IS_LAYER (self));

  visible = !!visible;
  if (self->visible == visible)
    return;
  self->visible = visible;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE]);
}

double
saban_layer_get_opacity (SabanLayer *self)
{
  g_return_val_if_fail (SABAN_IS_LAYER (self), 1);
  return self->opacity;
}

/**
 * saban_layer_set_opacity:
 * @opacity: 0 (invisible) to 1 (opaque)
 */
void
saban_layer_set_opacity (SabanLayer *self, double opacity)
{
  g_return_if_fail (SABAN_IS_LAYER (self));

  opacity = CLAMP (opacity, 0, 1);
  if (self->opacity == opacity)
    return;
  self->opacity = opacity;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPACITY]);
}

/**
 * saban_layer_get_custom_title:
 * Returns: (nullable): the name the user gave the layer
 */
const char *
saban_layer_get_custom_title (SabanLayer *self)
{
  g_return_val_if_fail (SABAN_IS_LAYER (self), NULL);
  return self->custom_title;
}

/**
 * saban_layer_set_custom_title:
 * @title: (nullable): the user's name for the layer; NULL or empty for its
 *   style's
 */
void
saban_layer_set_custom_title (SabanLayer *self, const char *title)
{
  g_return_if_fail (SABAN_IS_LAYER (self));

  if (title != NULL && *title == '\0')
    title = NULL;
  if (g_strcmp0 (self->custom_title, title) == 0)
    return;
  g_free (self->custom_title);
  self->custom_title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOM_TITLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

/**
 * saban_layer_get_title:
 * Returns: the name shown: the user's, else the style's
 */
const char *
saban_layer_get_title (SabanLayer *self)
{
  g_return_val_if_fail (SABAN_IS_LAYER (self), NULL);
  return self->custom_title != NULL ? self->custom_title : saban_layer_style_get_title (self->style);
}

/**
 * saban_layer_get_z_order:
 * Returns: the layer's place in its group's stack: higher is drawn above
 */
int
saban_layer_get_z_order (SabanLayer *self)
{
  g_return_val_if_fail (SABAN_IS_LAYER (self), 0);
  return self->z_order;
}

void
saban_layer_set_z_order (SabanLayer *self, int z_order)
{
  g_return_if_fail (SABAN_IS_LAYER (self));

  if (self->z_order == z_order)
    return;
  self->z_order = z_order;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_Z_ORDER]);
}

/**
 * saban_layer_get_group:
 * Returns: the sidebar's group the layer is in (its style's)
 */
SabanLayerGroup
saban_layer_get_group (SabanLayer *self)
{
  g_return_val_if_fail (SABAN_IS_LAYER (self), SABAN_LAYER_GROUP_OTHER);
  return saban_layer_style_get_group (self->style);
}

/**
 * saban_layer_get_landuse_field:
 *
 * Returns: (nullable): the field of land-use codes the user chose for this
 *   layer, or %NULL when the field is found by its values
 */
const char *
saban_layer_get_landuse_field (SabanLayer *self)
{
  g_return_val_if_fail (SABAN_IS_LAYER (self), NULL);
  return self->landuse_field;
}

void
saban_layer_set_landuse_field (SabanLayer *self,
                               const char *field)
{
  g_return_if_fail (SABAN_IS_LAYER (self));
  if (g_strcmp0 (self->landuse_field, field) == 0)
    return;
  g_free (self->landuse_field);
  self->landuse_field = g_strdup (field);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANDUSE_FIELD]);
}
