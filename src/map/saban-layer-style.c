/* saban-layer-style.c: how one layer is drawn.
 *
 * A style never changes once made: tiles are drawn from it in worker threads,
 * and libshumate caches tiles by source id, so a changed look is a new style
 * with a new id. The demo province's layers get the styles below by name;
 * any other layer gets a plain style for its geometry.
 */
#include "saban-layer-style.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

struct _SabanLayerStyle
{
  GObject parent_instance;

  char *id;
  char *title;
  int z_order;
  double min_zoom;
  double stroke_width;
  double point_radius;
  GdkRGBA stroke;
  GdkRGBA fill;
  char *category_field;
  GHashTable *category_fills;   /* category → GdkRGBA */
  GHashTable *category_labels;  /* category → what it means, where known */
  GdkRGBA legend;               /* the first category's colour */
  gboolean has_legend;

  /* Per feature, the index of its colour in feature_palette, or G_MAXUINT16;
   * built once, by whichever thread first draws. */
  GOnce classes_once;
  guint16 *classes;
  GPtrArray *feature_palette;   /* GdkRGBA, borrowed from category_fills */
};

G_DEFINE_FINAL_TYPE (SabanLayerStyle, saban_layer_style, G_TYPE_OBJECT)

typedef struct
{
  const char *category;
  const char *color;
} CategoryColor;

typedef struct
{
  const char *layer;
  const char *title;
  const char *category_field;
  int z_order;
  double min_zoom;
  const char *stroke;
  const char *fill;
  double stroke_width;
  double point_radius;
  gboolean landuse_palette;
  const CategoryColor *categories;
} DemoStyle;

static const CategoryColor road_classes[] = {
  { "expressway", "#c64600" },
  { "national", "#e5a50a" },
  { "provincial", "#986a44" },
  { NULL, NULL }
};

static const CategoryColor sensor_kinds[] = {
  { "water_level", "#1c71d8" },
  { "rain", "#2190a4" },
  { "air_quality", "#9141ac" },
  { "camera", "#3d3846" },
  { NULL, NULL }
};

/* Drawn bottom to top by z_order. Dense point layers wait for closer zooms so
 * the province overview stays readable. */
static const DemoStyle demo_styles[] = {
  { "zoning", N_("Land-use zoning"), "landuse", 10, 0, "#00000000", "#deddda", 0, 0, TRUE, NULL },
  { "parcels", N_("Land parcels"), "landuse", 20, 13, "#5e5c64b0", "#deddda", 0.6, 0, TRUE, NULL },
  { "communes", N_("Communes and wards"), NULL, 30, 0, "#5e5c64", "#00000000", 0.9, 0, FALSE, NULL },
  { "province", N_("Province boundary"), NULL, 40, 0, "#241f31", "#00000000", 2.6, 0, FALSE, NULL },
  { "rivers", N_("Rivers and streams"), NULL, 50, 0, "#1a5fb4", NULL, 2.2, 0, FALSE, NULL },
  { "roads", N_("Roads"), "class", 60, 0, "#986a44", NULL, 1.8, 0, FALSE, road_classes },
  { "shelters", N_("Evacuation shelters"), NULL, 70, 11, "#ffffff", "#26a269", 1, 4, FALSE, NULL },
  { "schools", N_("Schools"), NULL, 71, 12, "#ffffff", "#813d9c", 1, 3.5, FALSE, NULL },
  { "health_facilities", N_("Health facilities"), NULL, 72, 10, "#ffffff", "#e01b24", 1, 4, FALSE, NULL },
  { "police_stations", N_("Police stations"), NULL, 73, 11, "#ffffff", "#1c71d8", 1, 3.5, FALSE, NULL },
  { "fire_stations", N_("Fire and rescue stations"), NULL, 74, 8, "#ffffff", "#ff7800", 1, 4.5, FALSE, NULL },
  { "sensor_sites", N_("IoT monitoring sites"), "kind", 80, 0, "#ffffff", "#1c71d8", 1.2, 5, FALSE, sensor_kinds },
};

static void
saban_layer_style_finalize (GObject *object)
{
  SabanLayerStyle *self = (SabanLayerStyle *) object;

  g_free (self->id);
  g_free (self->title);
  g_free (self->category_field);
  g_free (self->classes);
  g_clear_pointer (&self->feature_palette, g_ptr_array_unref);
  g_clear_pointer (&self->category_fills, g_hash_table_unref);
  g_clear_pointer (&self->category_labels, g_hash_table_unref);

  G_OBJECT_CLASS (saban_layer_style_parent_class)->finalize (object);
}

static void
saban_layer_style_class_init (SabanLayerStyleClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_layer_style_finalize;
}

static void
saban_layer_style_init (SabanLayerStyle *self)
{
  self->category_fills = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) gdk_rgba_free);
  self->category_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
add_category (SabanLayerStyle *self,
              const char      *category,
              const char      *color)
{
  GdkRGBA rgba;

  if (!gdk_rgba_parse (&rgba, color))
    return;
  if (!self->has_legend)
    {
      self->legend = rgba;
      self->has_legend = TRUE;
    }
  g_hash_table_insert (self->category_fills, g_strdup (category), gdk_rgba_copy (&rgba));
}

static void
load_landuse_palette (SabanLayerStyle *self)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *codes;
  g_autoptr(GList) members = NULL;

  bytes = g_resources_lookup_data ("/io/github/saban/SaBan/palettes/landuse.json", 0, NULL);
  g_return_if_fail (bytes != NULL);
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL))
    g_return_if_reached ();

  codes = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "codes");
  members = json_object_get_members (codes);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonObject *entry = json_object_get_object_member (codes, l->data);
      add_category (self, l->data, json_object_get_string_member (entry, "color"));
      g_hash_table_insert (self->category_labels, g_strdup (l->data),
                           g_strdup (json_object_get_string_member (entry, "label")));
    }
}

static void
parse_color (GdkRGBA    *rgba,
             const char *spec)
{
  if (spec == NULL || !gdk_rgba_parse (rgba, spec))
    *rgba = (GdkRGBA) { 0, 0, 0, 0 };
}

/**
 * saban_layer_style_new_for_layer:
 *
 * Returns: (transfer full): the demo style for a known layer name, or a plain one
 */
SabanLayerStyle *
saban_layer_style_new_for_layer (SabanVectorLayer *layer)
{
  static gint serial;
  SabanLayerStyle *self = g_object_new (SABAN_TYPE_LAYER_STYLE, NULL);
  const char *name = saban_vector_layer_get_name (layer);
  const DemoStyle *demo = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (demo_styles); i++)
    if (g_str_equal (demo_styles[i].layer, name))
      demo = &demo_styles[i];

  self->id = g_strdup_printf ("saban-%s-%d", name, g_atomic_int_add (&serial, 1));
  if (demo != NULL)
    {
      self->title = g_strdup (_(demo->title));
      self->category_field = g_strdup (demo->category_field);
      self->z_order = demo->z_order;
      self->min_zoom = demo->min_zoom;
      self->stroke_width = demo->stroke_width;
      self->point_radius = demo->point_radius;
      parse_color (&self->stroke, demo->stroke);
      parse_color (&self->fill, demo->fill);
      if (demo->landuse_palette)
        load_landuse_palette (self);
      for (const CategoryColor *c = demo->categories; c != NULL && c->category != NULL; c++)
        add_category (self, c->category, c->color);
      return self;
    }

  self->title = g_strdup (name);
  switch (saban_vector_layer_get_kind (layer))
    {
    case SABAN_GEOMETRY_POINT:
      self->z_order = 100;
      self->point_radius = 4;
      self->stroke_width = 1;
      parse_color (&self->stroke, "#ffffff");
      parse_color (&self->fill, "#c01c28");
      break;
    case SABAN_GEOMETRY_LINE:
      self->z_order = 90;
      self->stroke_width = 1.5;
      parse_color (&self->stroke, "#c01c28");
      break;
    case SABAN_GEOMETRY_POLYGON:
    default:
      self->z_order = 85;
      self->stroke_width = 1;
      parse_color (&self->stroke, "#a51d2d");
      parse_color (&self->fill, "#f6615166");
      break;
    }
  return self;
}

const char *
saban_layer_style_get_id (SabanLayerStyle *self)
{
  return self->id;
}

/**
 * saban_layer_style_get_title:
 *
 * Returns: the layer's name as users read it, translated for demo layers
 */
const char *
saban_layer_style_get_title (SabanLayerStyle *self)
{
  return self->title;
}

int
saban_layer_style_get_z_order (SabanLayerStyle *self)
{
  return self->z_order;
}

/**
 * saban_layer_style_get_min_zoom:
 *
 * Returns: the zoom level below which the layer is not drawn (too dense to read)
 */
double
saban_layer_style_get_min_zoom (SabanLayerStyle *self)
{
  return self->min_zoom;
}

double
saban_layer_style_get_stroke_width (SabanLayerStyle *self)
{
  return self->stroke_width;
}

double
saban_layer_style_get_point_radius (SabanLayerStyle *self)
{
  return self->point_radius;
}

const GdkRGBA *
saban_layer_style_get_stroke (SabanLayerStyle *self)
{
  return &self->stroke;
}

const GdkRGBA *
saban_layer_style_get_fill (SabanLayerStyle *self)
{
  return &self->fill;
}

typedef struct
{
  SabanLayerStyle *style;
  SabanVectorLayer *layer;
} ClassifyData;

static gpointer
classify (gpointer user_data)
{
  ClassifyData *data = user_data;
  SabanLayerStyle *self = data->style;
  const SabanAttributeTable *table = saban_vector_layer_get_attributes (data->layer);
  guint32 n = saban_vector_layer_get_n_features (data->layer);
  int field = self->category_field != NULL ? saban_attribute_table_find_field (table, self->category_field) : -1;
  g_autoptr(GHashTable) indices = g_hash_table_new (g_direct_hash, g_direct_equal);

  if (field < 0 || g_hash_table_size (self->category_fills) == 0)
    return NULL;
  self->feature_palette = g_ptr_array_new ();
  self->classes = g_new (guint16, MAX (n, 1));
  for (guint32 f = 0; f < n; f++)
    {
      g_autofree char *value = saban_attribute_table_format (table, field, f);
      const GdkRGBA *rgba = g_hash_table_lookup (self->category_fills, value);
      gpointer index;

      if (rgba == NULL)
        {
          self->classes[f] = G_MAXUINT16;
          continue;
        }
      if (!g_hash_table_lookup_extended (indices, rgba, NULL, &index))
        {
          index = GUINT_TO_POINTER (self->feature_palette->len);
          g_ptr_array_add (self->feature_palette, (gpointer) rgba);
          g_hash_table_insert (indices, (gpointer) rgba, index);
        }
      self->classes[f] = GPOINTER_TO_UINT (index);
    }
  return NULL;
}

/**
 * saban_layer_style_get_feature_color:
 * @layer: the layer this style was made for
 *
 * Colours the fill of polygons and points and the stroke of lines. Safe from
 * any thread; the first call classifies every feature.
 *
 * Returns: (nullable): the category colour of feature @f, if it has one
 */
const GdkRGBA *
saban_layer_style_get_feature_color (SabanLayerStyle  *self,
                                     SabanVectorLayer *layer,
                                     guint32           f)
{
  ClassifyData data = { self, layer };

  g_once (&self->classes_once, classify, &data);
  if (self->classes == NULL || self->classes[f] == G_MAXUINT16)
    return NULL;
  return g_ptr_array_index (self->feature_palette, self->classes[f]);
}

/**
 * saban_layer_style_get_legend_color:
 *
 * Returns: (nullable): the colour that stands for a categorized layer in a
 *   one-symbol legend, or %NULL for a single-symbol style
 */
const GdkRGBA *
saban_layer_style_get_legend_color (SabanLayerStyle *self)
{
  return self->has_legend ? &self->legend : NULL;
}

/**
 * saban_layer_style_get_category_field:
 *
 * Returns: (nullable): the attribute the style colours by
 */
const char *
saban_layer_style_get_category_field (SabanLayerStyle *self)
{
  return self->category_field;
}

/**
 * saban_layer_style_describe_category:
 *
 * Returns: (nullable): what a category value means ("LUC" → "Đất chuyên
 *   trồng lúa"), for the land-use codes of Circular 08/2024/TT-BTNMT
 */
const char *
saban_layer_style_describe_category (SabanLayerStyle *self,
                                     const char      *value)
{
  return value != NULL ? g_hash_table_lookup (self->category_labels, value) : NULL;
}
