/* saban-layer.c: one layer of the map as the user arranged it — its data,
 * style, visibility, opacity, name and place in the stack.
 *
 * An item of the SabanLayerModel: the layer list, the map, the legend and
 * the workspace file all observe it (notify), and whatever changes it —
 * a row's switch, the style dialog, a workspace being restored — changes
 * only it. Today every layer is vector data (SabanVectorLayer); raster,
 * WMS and choropleth layers are to be items of the same model.
 */
#include "saban-layer.h"

#include "saban-map-enums.h"

struct _SabanLayer
{
  GObject           parent_instance;
  SabanVectorLayer *vector;
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
 * saban_layer_get_vector:
 * Returns: (transfer none): the layer's data
 */
SabanVectorLayer *
saban_layer_get_vector (SabanLayer *self)
{
  g_return_val_if_fail (SABAN_IS_LAYER (self), NULL);
  return self->vector;
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
