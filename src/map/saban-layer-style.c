/* saban-layer-style.c: how one layer is drawn: a single symbol, colours by
 * category, or colours by class of a numeric field (graduated), and labels.
 *
 * A style never changes once made: tiles are drawn from it in worker threads,
 * and libshumate caches tiles by source id, so a changed look is a new style
 * with a new id. The demo province's layers get the styles below by name;
 * any other layer gets a plain style for its geometry.
 *
 * Over a thousand lines: one style type with its five kinds (single, categorized,
 * graduated, classed, highlight), its dark variant and the demo's styles by
 * name; the demo's table could move to a file of its own.
 */
#include "saban-layer-style.h"
#include "saban-json.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "saban-format.h"
#include "saban-landuse.h"
#include "saban-workspace.h"

/* Distinct colours for categories with no palette of their own. */
static const char * const qualitative[] = {
  "#1c71d8", "#e66100", "#2ec27e", "#c01c28", "#9141ac", "#f5c211", "#865e3c",
  "#26a269", "#e01b24", "#62a0ea", "#ff7800", "#613583", "#98c1d9", "#a51d2d",
};

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
  SabanStyleKind kind;
  char *category_field;
  GHashTable *category_fills;   /* category → GdkRGBA */
  GHashTable *category_labels;  /* category → what it means, where known */
  GPtrArray *category_order;    /* categories in legend order */
  GArray *breaks;               /* graduated: class upper bounds */
  GArray *break_colors;         /* graduated: GdkRGBA per class */
  SabanClassifyMethod method;
  GdkRGBA ramp_end;
  char *label_field;
  SabanLayerGroup group;
  gboolean custom;              /* made from a user's choice */

  /* Per feature, the index of its colour in feature_palette, or G_MAXUINT16;
   * built once, by whichever thread first draws. */
  GOnce classes_once;
  guint16 *classes;
  GPtrArray *feature_palette;   /* GdkRGBA, borrowed from category_fills or break_colors */
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
  const char *label_field;
  SabanLayerGroup group;
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
  { "zoning", N_("Land-use zoning"), "landuse", 10, 0, "#00000000", "#deddda", 0, 0, TRUE, NULL, NULL, SABAN_LAYER_GROUP_PLANNING },
  /* the superseded plan under the one in force, to compare with it */
  { "zoning_2012", N_("Land-use zoning 2012 (superseded)"), "landuse", 9, 0, "#00000000", "#deddda", 0, 0, TRUE, NULL, NULL, SABAN_LAYER_GROUP_PLANNING },
  { "parcels", N_("Land parcels"), "landuse", 20, 13, "#5e5c64b0", "#deddda", 0.6, 0, TRUE, NULL, NULL, SABAN_LAYER_GROUP_LAND },
  { "communes", N_("Communes and wards"), NULL, 30, 0, "#5e5c64", "#00000000", 0.9, 0, FALSE, NULL, "name", SABAN_LAYER_GROUP_POPULATION },
  { "province", N_("Province boundary"), NULL, 40, 0, "#241f31", "#00000000", 2.6, 0, FALSE, NULL, NULL, SABAN_LAYER_GROUP_POPULATION },
  { "rivers", N_("Rivers and streams"), NULL, 50, 0, "#1a5fb4", NULL, 2.2, 0, FALSE, NULL, "name", SABAN_LAYER_GROUP_INFRASTRUCTURE },
  { "roads", N_("Roads"), "class", 60, 0, "#986a44", NULL, 1.8, 0, FALSE, road_classes, NULL, SABAN_LAYER_GROUP_INFRASTRUCTURE },
  { "shelters", N_("Evacuation shelters"), NULL, 70, 11, "#ffffff", "#26a269", 1, 4, FALSE, NULL, NULL, SABAN_LAYER_GROUP_INFRASTRUCTURE },
  { "schools", N_("Schools"), NULL, 71, 12, "#ffffff", "#813d9c", 1, 3.5, FALSE, NULL, NULL, SABAN_LAYER_GROUP_INFRASTRUCTURE },
  { "health_facilities", N_("Health facilities"), NULL, 72, 10, "#ffffff", "#e01b24", 1, 4, FALSE, NULL, NULL, SABAN_LAYER_GROUP_INFRASTRUCTURE },
  { "police_stations", N_("Police stations"), NULL, 73, 11, "#ffffff", "#1c71d8", 1, 3.5, FALSE, NULL, NULL, SABAN_LAYER_GROUP_INFRASTRUCTURE },
  { "fire_stations", N_("Fire and rescue stations"), NULL, 74, 8, "#ffffff", "#ff7800", 1, 4.5, FALSE, NULL, NULL, SABAN_LAYER_GROUP_INFRASTRUCTURE },
  { "sensor_sites", N_("IoT monitoring sites"), "kind", 80, 0, "#ffffff", "#1c71d8", 1.2, 5, FALSE, sensor_kinds, NULL, SABAN_LAYER_GROUP_IOT },
  /* citizens' reports (core/feedback's point layer), over the communes they are counted by */
  { "feedback", N_("Citizen reports"), NULL, 85, 0, "#ffffff", "#c01c28", 1, 4.5, FALSE, NULL, NULL, SABAN_LAYER_GROUP_POPULATION },
};

static void
saban_layer_style_finalize (GObject *object)
{
  SabanLayerStyle *self = (SabanLayerStyle *) object;

  g_free (self->id);
  g_free (self->title);
  g_free (self->category_field);
  g_free (self->label_field);
  g_free (self->classes);
  g_clear_pointer (&self->category_order, g_ptr_array_unref);
  g_clear_pointer (&self->breaks, g_array_unref);
  g_clear_pointer (&self->break_colors, g_array_unref);
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
  self->category_order = g_ptr_array_new_with_free_func (g_free);
  self->breaks = g_array_new (FALSE, FALSE, sizeof (double));
  self->break_colors = g_array_new (FALSE, FALSE, sizeof (GdkRGBA));
}

static void
add_category (SabanLayerStyle *self,
              const char      *category,
              const char      *color)
{
  GdkRGBA rgba;

  if (!gdk_rgba_parse (&rgba, color))
    return;
  self->kind = SABAN_STYLE_CATEGORIZED;
  g_ptr_array_add (self->category_order, g_strdup (category));
  g_hash_table_insert (self->category_fills, g_strdup (category), gdk_rgba_copy (&rgba));
}

/* The land-use palette of Circular 08/2024 (resource palettes/landuse.json):
 * its codes in order, and each code's colour and meaning; read once. */
typedef struct
{
  GPtrArray  *codes;
  GHashTable *colors;
  GHashTable *labels;
} LandusePalette;

static gpointer
read_landuse_palette (gpointer data)
{
  LandusePalette *palette = g_new0 (LandusePalette, 1);
  g_autoptr(GBytes) bytes = g_resources_lookup_data ("/io/github/saban/SaBan/palettes/landuse.json", 0, NULL);
  g_autoptr(JsonNode) parsed = NULL;
  JsonObject *codes;
  g_autoptr(GList) members = NULL;

  palette->codes = g_ptr_array_new_with_free_func (g_free);
  palette->colors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  palette->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_return_val_if_fail (bytes != NULL, palette);
  if ((parsed = saban_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL)) == NULL)
    g_return_val_if_reached (palette);
  codes = json_object_get_object_member (json_node_get_object (parsed), "codes");
  members = json_object_get_members (codes);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonObject *entry = json_object_get_object_member (codes, l->data);

      g_ptr_array_add (palette->codes, g_strdup (l->data));
      g_hash_table_insert (palette->colors, g_strdup (l->data), g_strdup (json_object_get_string_member (entry, "color")));
      g_hash_table_insert (palette->labels, g_strdup (l->data), g_strdup (json_object_get_string_member (entry, "label")));
    }
  return palette;
}

static const LandusePalette *
landuse_palette (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, read_landuse_palette, NULL);
}

static void
load_landuse_palette (SabanLayerStyle *self)
{
  const LandusePalette *palette = landuse_palette ();

  for (guint i = 0; i < palette->codes->len; i++)
    {
      const char *code = g_ptr_array_index (palette->codes, i);

      add_category (self, code, g_hash_table_lookup (palette->colors, code));
      g_hash_table_insert (self->category_labels, g_strdup (code), g_strdup (g_hash_table_lookup (palette->labels, code)));
    }
}

/**
 * saban_layer_style_describe_landuse:
 * @code: a land-use code of Circular 08/2024/TT-BTNMT ("LUC")
 *
 * Returns: (nullable): its meaning ("Đất chuyên trồng lúa")
 */
const char *
saban_layer_style_describe_landuse (const char *code)
{
  return code != NULL ? g_hash_table_lookup (landuse_palette ()->labels, code) : NULL;
}

static void
parse_color (GdkRGBA    *rgba,
             const char *spec)
{
  if (spec == NULL || !gdk_rgba_parse (rgba, spec))
    *rgba = (GdkRGBA) { 0, 0, 0, 0 };
}

/* Any other province's parcels or zoning, whatever their land-use field is called. */
static const DemoStyle landuse_style =
  { NULL, NULL, NULL, 20, 0, "#5e5c64b0", "#deddda", 0.6, 0, TRUE, NULL, NULL, SABAN_LAYER_GROUP_LAND };

/* The field holding land-use codes: the one named so in the demo's layers,
 * else the one whose values are mostly codes of Circular 08/2024. */
static const char *
landuse_field_of (SabanVectorLayer *layer)
{
  const SabanAttributeTable *table = saban_vector_layer_get_attributes (layer);
  int field = saban_attribute_table_find_field (table, "landuse");

  if (field < 0)
    field = saban_landuse_find_field (table, NULL);
  return field >= 0 ? saban_attribute_table_get_field_name (table, field) : NULL;
}

/**
 * saban_layer_style_new_for_layer:
 *
 * Returns: (transfer full): the demo style for a known layer name, the
 *   land-use palette for any polygon layer with a field of land-use codes,
 *   or a plain one
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
  self->method = SABAN_CLASSIFY_NATURAL_BREAKS;
  if (demo == NULL && saban_vector_layer_get_kind (layer) == SABAN_GEOMETRY_POLYGON &&
      landuse_field_of (layer) != NULL)
    demo = &landuse_style;
  if (demo != NULL)
    {
      self->title = g_strdup (demo == &landuse_style ? name : _(demo->title));
      self->category_field = g_strdup (demo->landuse_palette ? landuse_field_of (layer) : demo->category_field);
      self->label_field = g_strdup (demo->label_field);
      self->group = demo->group;
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
  self->group = SABAN_LAYER_GROUP_OTHER;
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

/**
 * saban_layer_style_new_for_raster:
 * @title: the layer's name
 *
 * A raster's pixels are their own style: this one names the layer and
 * puts it under every vector layer of the "other" group.
 *
 * Returns: (transfer full): the style
 */
SabanLayerStyle *
saban_layer_style_new_for_raster (const char *title)
{
  static gint serial;
  SabanLayerStyle *self = g_object_new (SABAN_TYPE_LAYER_STYLE, NULL);

  self->id = g_strdup_printf ("saban-raster-%d", g_atomic_int_add (&serial, 1));
  self->title = g_strdup (title);
  self->group = SABAN_LAYER_GROUP_OTHER;
  self->z_order = 10;
  return self;
}

/**
 * saban_layer_style_new_highlight:
 * @layer: features picked out of a layer (a selection, a check's findings)
 * @title: what they are ("Thửa đất sai mục đích quy hoạch")
 *
 * Red, above the data, at every zoom: features to look at.
 *
 * Returns: (transfer full): a new style
 */
SabanLayerStyle *
saban_layer_style_new_highlight (SabanVectorLayer *layer,
                                 const char       *title)
{
  static gint serial;
  SabanLayerStyle *self = g_object_new (SABAN_TYPE_LAYER_STYLE, NULL);

  self->id = g_strdup_printf ("saban-highlight-%d", g_atomic_int_add (&serial, 1));
  self->title = g_strdup (title);
  self->group = SABAN_LAYER_GROUP_FINDINGS;
  self->z_order = 95;
  self->stroke_width = saban_vector_layer_get_kind (layer) == SABAN_GEOMETRY_LINE ? 3 : 1.8;
  self->point_radius = 5;
  parse_color (&self->stroke, saban_vector_layer_get_kind (layer) == SABAN_GEOMETRY_POINT ? "#ffffff" : "#e01b24");
  parse_color (&self->fill, saban_vector_layer_get_kind (layer) == SABAN_GEOMETRY_POINT ? "#e01b24" : "#e01b2459");
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
  gboolean text;

  if (field < 0 || self->kind == SABAN_STYLE_SINGLE)
    return NULL;
  text = saban_attribute_table_get_field_type (table, field) == SABAN_FIELD_STRING;
  self->feature_palette = g_ptr_array_new ();
  self->classes = g_new (guint16, MAX (n, 1));

  if (self->kind == SABAN_STYLE_GRADUATED)
    {
      for (guint c = 0; c < self->break_colors->len; c++)
        g_ptr_array_add (self->feature_palette, &g_array_index (self->break_colors, GdkRGBA, c));
      for (guint32 f = 0; f < n; f++)
        {
          double v = saban_attribute_table_get_real (table, field, f);

          self->classes[f] = G_MAXUINT16;
          if (saban_attribute_table_is_null (table, field, f) || isnan (v))
            continue;
          self->classes[f] = saban_classify_class_of (self->breaks, v);
        }
      return NULL;
    }

  for (guint32 f = 0; f < n; f++)
    {
      /* Text fields are read in place: a copy of each of a million values
       * was most of the first draw's wait. */
      g_autofree char *formatted = text ? NULL : saban_attribute_table_format (table, field, f);
      const char *value = text ? saban_attribute_table_get_string (table, field, f) : formatted;
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
  if (self->kind == SABAN_STYLE_GRADUATED && self->break_colors->len > 0)
    return &g_array_index (self->break_colors, GdkRGBA, self->break_colors->len - 1);
  if (self->kind == SABAN_STYLE_CATEGORIZED && self->category_order->len > 0)
    return g_hash_table_lookup (self->category_fills, g_ptr_array_index (self->category_order, 0));
  return NULL;
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

void
saban_style_choice_clear (SabanStyleChoice *choice)
{
  g_clear_pointer (&choice->field, g_free);
  g_clear_pointer (&choice->label_field, g_free);
}

SabanStyleKind
saban_layer_style_get_kind (SabanLayerStyle *self)
{
  return self->kind;
}

/**
 * saban_layer_style_get_label_field:
 *
 * Returns: (nullable): the attribute written beside features
 */
const char *
saban_layer_style_get_label_field (SabanLayerStyle *self)
{
  return self->label_field;
}

/**
 * saban_layer_style_get_choice:
 * @choice: (out caller-allocates): filled; clear with saban_style_choice_clear()
 *
 * What a dialog should show as the current choice.
 */
void
saban_layer_style_get_choice (SabanLayerStyle  *self,
                              SabanStyleChoice *choice)
{
  choice->kind = self->kind;
  choice->field = g_strdup (self->category_field);
  choice->method = self->method;
  choice->n_classes = self->breaks->len > 0 ? self->breaks->len : 5;
  choice->fill = self->kind == SABAN_STYLE_GRADUATED && self->break_colors->len > 0
                 ? g_array_index (self->break_colors, GdkRGBA, 0) : self->fill;
  choice->ramp_end = self->ramp_end;
  if (choice->fill.alpha == 0)
    choice->fill = (GdkRGBA) { 0.96, 0.90, 0.67, 1 };
  if (choice->ramp_end.alpha == 0)
    choice->ramp_end = (GdkRGBA) { 0.65, 0.11, 0.18, 1 };
  choice->label_field = g_strdup (self->label_field);
}

static SabanLayerStyle *
copy_base (SabanLayerStyle *base,
           SabanVectorLayer *layer)
{
  static gint serial;
  SabanLayerStyle *self = g_object_new (SABAN_TYPE_LAYER_STYLE, NULL);

  self->id = g_strdup_printf ("saban-%s-custom-%d", saban_vector_layer_get_name (layer),
                              g_atomic_int_add (&serial, 1));
  self->custom = TRUE;
  self->group = base->group;
  self->title = g_strdup (base->title);
  self->z_order = base->z_order;
  self->min_zoom = base->min_zoom;
  self->stroke_width = base->stroke_width;
  self->point_radius = base->point_radius;
  self->stroke = base->stroke;
  self->fill = base->fill;
  return self;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

static void
categorize (SabanLayerStyle        *self,
            SabanLayerStyle        *base,
            SabanVectorLayer       *layer,
            int                     field)
{
  const SabanAttributeTable *table = saban_vector_layer_get_attributes (layer);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  guint next = 0;

  for (guint32 f = 0; f < saban_vector_layer_get_n_features (layer) && g_hash_table_size (seen) < 64; f++)
    {
      char *value = saban_attribute_table_format (table, field, f);

      /* g_hash_table_add() keeps the new key and frees the old one, which
       * @values holds: ask first, add only what is new */
      if (*value != '\0' && !g_hash_table_contains (seen, value))
        {
          g_hash_table_add (seen, value);
          g_ptr_array_add (values, value);
        }
      else
        g_free (value);
    }
  g_ptr_array_sort (values, compare_strings);
  for (guint i = 0; i < values->len; i++)
    {
      const char *value = g_ptr_array_index (values, i);
      /* Values the base style knew (land-use codes) keep their colours. */
      const GdkRGBA *known = g_hash_table_lookup (base->category_fills, value);
      const char *label = g_hash_table_lookup (base->category_labels, value);
      g_autofree char *color = known != NULL ? gdk_rgba_to_string (known) : g_strdup (qualitative[next++ % G_N_ELEMENTS (qualitative)]);

      add_category (self, value, color);
      if (label != NULL)
        g_hash_table_insert (self->category_labels, g_strdup (value), g_strdup (label));
    }
}

static void
graduate (SabanLayerStyle        *self,
          SabanVectorLayer       *layer,
          int                     field,
          const SabanStyleChoice *choice)
{
  const SabanAttributeTable *table = saban_vector_layer_get_attributes (layer);
  guint32 n = saban_vector_layer_get_n_features (layer);
  g_autofree double *values = g_new (double, MAX (n, 1));

  for (guint32 f = 0; f < n; f++)
    values[f] = saban_attribute_table_is_null (table, field, f) ? NAN : saban_attribute_table_get_real (table, field, f);
  g_array_unref (self->breaks);
  self->breaks = saban_classify (values, n, choice->n_classes, choice->method);
  for (guint c = 0; c < self->breaks->len; c++)
    {
      double t = self->breaks->len > 1 ? (double) c / (self->breaks->len - 1) : 0;
      GdkRGBA rgba = {
        choice->fill.red + t * (choice->ramp_end.red - choice->fill.red),
        choice->fill.green + t * (choice->ramp_end.green - choice->fill.green),
        choice->fill.blue + t * (choice->ramp_end.blue - choice->fill.blue),
        1,
      };
      g_array_append_val (self->break_colors, rgba);
    }
}

/* ---- the dark map (wall mode, a dark scheme) ------------------------------ */

static double
luma (const GdkRGBA *c)
{
  return 0.2126 * c->red + 0.7152 * c->green + 0.0722 * c->blue;
}

/* an area's fill, darkened with its hue kept: land use still reads by colour */
static GdkRGBA
darken (const GdkRGBA *c)
{
  return (GdkRGBA) { 0.04 + 0.42 * c->red, 0.04 + 0.42 * c->green, 0.05 + 0.42 * c->blue, c->alpha };
}

/* a line or a boundary, lightened when it was dark: readable on dark fills */
static GdkRGBA
lighten (const GdkRGBA *c)
{
  double t = luma (c) < 0.6 ? 0.55 : 0;

  return (GdkRGBA) { c->red + (1 - c->red) * t, c->green + (1 - c->green) * t, c->blue + (1 - c->blue) * t,
                     c->alpha };
}

/**
 * saban_layer_style_dup_dark:
 *
 * The same style for a dark map: areas darkened (land use keeps its hues),
 * lines and boundaries lightened, point symbols as they are (their colours
 * stand out on dark). Its own id: tiles of both are cached apart.
 *
 * Returns: (transfer full): a new style
 */
SabanLayerStyle *
saban_layer_style_dup_dark (SabanLayerStyle *self)
{
  SabanLayerStyle *dark = g_object_new (SABAN_TYPE_LAYER_STYLE, NULL);
  gboolean points = self->point_radius > 0;
  /* categories colour an area's fill, or a line (roads) when there is no fill */
  gboolean areas = !points && self->fill.alpha > 0;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (SABAN_IS_LAYER_STYLE (self), NULL);

  dark->id = g_strconcat (self->id, "-dark", NULL);
  dark->title = g_strdup (self->title);
  dark->z_order = self->z_order;
  dark->min_zoom = self->min_zoom;
  dark->stroke_width = self->stroke_width;
  dark->point_radius = self->point_radius;
  dark->stroke = points ? self->stroke : lighten (&self->stroke);
  dark->fill = points ? self->fill : darken (&self->fill);
  dark->kind = self->kind;
  dark->category_field = g_strdup (self->category_field);
  for (guint i = 0; i < self->category_order->len; i++)
    g_ptr_array_add (dark->category_order, g_strdup (g_ptr_array_index (self->category_order, i)));
  g_hash_table_iter_init (&iter, self->category_fills);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GdkRGBA c = points ? *(GdkRGBA *) value : areas ? darken (value) : lighten (value);

      g_hash_table_insert (dark->category_fills, g_strdup (key), gdk_rgba_copy (&c));
    }
  g_hash_table_iter_init (&iter, self->category_labels);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (dark->category_labels, g_strdup (key), g_strdup (value));
  g_array_append_vals (dark->breaks, self->breaks->data, self->breaks->len);
  for (guint i = 0; i < self->break_colors->len; i++)
    {
      GdkRGBA c = darken (&g_array_index (self->break_colors, GdkRGBA, i));

      g_array_append_val (dark->break_colors, c);
    }
  dark->method = self->method;
  dark->ramp_end = self->ramp_end;
  dark->label_field = g_strdup (self->label_field);
  dark->group = self->group;
  dark->custom = self->custom;
  return dark;
}

/**
 * saban_layer_style_new_from_choice:
 * @base: the style it replaces: title, stroke, sizes and zoom range carry over
 * @layer: the layer it is for (categories and classes come from its values)
 *
 * Scans the layer's values: call it from a worker thread for big layers.
 *
 * Returns: (transfer full): a new style, with a new id
 */
SabanLayerStyle *
saban_layer_style_new_from_choice (SabanLayerStyle        *base,
                                   SabanVectorLayer       *layer,
                                   const SabanStyleChoice *choice)
{
  SabanLayerStyle *self = copy_base (base, layer);
  const SabanAttributeTable *table = saban_vector_layer_get_attributes (layer);
  int field = choice->field != NULL ? saban_attribute_table_find_field (table, choice->field) : -1;

  self->label_field = g_strdup (choice->label_field);
  self->method = choice->method;
  self->ramp_end = choice->ramp_end;
  if (choice->kind == SABAN_STYLE_SINGLE || field < 0)
    {
      self->kind = SABAN_STYLE_SINGLE;
      self->fill = choice->fill;
      return self;
    }
  self->category_field = g_strdup (choice->field);
  if (choice->kind == SABAN_STYLE_CATEGORIZED)
    categorize (self, base, layer, field);
  else
    {
      self->kind = SABAN_STYLE_GRADUATED;
      graduate (self, layer, field, choice);
    }
  return self;
}

static gpointer
classes_given (gpointer data)
{
  return NULL;
}

/**
 * saban_layer_style_new_classed:
 * @base: the layer's style: title, stroke, sizes and zoom range carry over
 * @layer: the layer it is for
 * @classes: (array length=n_features): each feature's class, or
 *   %SABAN_STYLE_NO_CLASS (drawn with @base's fill)
 * @breaks: (element-type double): the classes' upper bounds, for the legend
 * @colors: (array length=n_classes): each class's colour
 *
 * A graduated style whose classes the caller worked out (a choropleth of
 * figures the layer does not hold: an indicator by commune, reports by
 * state). Quick to make: switching what a map shows makes one per switch.
 *
 * Returns: (transfer full): a new style, with a new id
 */
SabanLayerStyle *
saban_layer_style_new_classed (SabanLayerStyle  *base,
                               SabanVectorLayer *layer,
                               const guint8     *classes,
                               guint32           n_features,
                               GArray           *breaks,
                               const GdkRGBA    *colors,
                               guint             n_classes)
{
  SabanLayerStyle *self = copy_base (base, layer);
  guint32 n = saban_vector_layer_get_n_features (layer);

  g_return_val_if_fail (n_features == n, self);
  self->custom = FALSE;
  self->kind = SABAN_STYLE_GRADUATED;
  g_array_append_vals (self->breaks, breaks->data, MIN (breaks->len, n_classes));
  g_array_append_vals (self->break_colors, colors, n_classes);
  self->feature_palette = g_ptr_array_new ();
  for (guint c = 0; c < n_classes; c++)
    g_ptr_array_add (self->feature_palette, &g_array_index (self->break_colors, GdkRGBA, c));
  self->classes = g_new (guint16, MAX (n, 1));
  for (guint32 f = 0; f < n; f++)
    self->classes[f] = classes[f] < n_classes ? classes[f] : G_MAXUINT16;
  /* the classes are here already: the first draw has nothing to work out */
  g_once (&self->classes_once, classes_given, NULL);
  return self;
}

guint
saban_layer_style_get_n_legend_items (SabanLayerStyle *self)
{
  switch (self->kind)
    {
    case SABAN_STYLE_CATEGORIZED:
      return self->category_order->len;
    case SABAN_STYLE_GRADUATED:
      return self->breaks->len;
    case SABAN_STYLE_SINGLE:
    default:
      return 0;
    }
}

/**
 * saban_layer_style_dup_legend_item:
 * @color: (out): the class's colour
 *
 * Returns: (transfer full): the class's label: the category and what it
 *   means, or a range of values
 */
char *
saban_layer_style_dup_legend_item (SabanLayerStyle *self,
                                   guint            index,
                                   GdkRGBA         *color)
{
  char *text = NULL;

  if (self->kind == SABAN_STYLE_CATEGORIZED)
    {
      const char *value = g_ptr_array_index (self->category_order, index);
      const char *meaning = g_hash_table_lookup (self->category_labels, value);

      *color = *(const GdkRGBA *) g_hash_table_lookup (self->category_fills, value);
      text = meaning != NULL ? g_strdup_printf ("%s — %s", value, meaning) : g_strdup (value);
    }
  else
    {
      double upper = g_array_index (self->breaks, double, index);
      double lower = index > 0 ? g_array_index (self->breaks, double, index - 1) : upper;
      /* Counts and codes read as whole numbers. */
      int decimals = upper == floor (upper) && lower == floor (lower) ? 0 : 2;
      g_autofree char *from = NULL;
      g_autofree char *to = saban_format_number (upper, decimals);

      *color = g_array_index (self->break_colors, GdkRGBA, index);
      if (index == 0)
        text = g_strdup_printf ("≤ %s", to);
      else
        {
          from = saban_format_number (lower, decimals);
          text = g_strdup_printf ("%s – %s", from, to);
        }
    }
  return text;
}

/**
 * saban_layer_style_is_custom:
 *
 * Returns: whether the style was made from a user's choice, and so is worth saving
 */
gboolean
saban_layer_style_is_custom (SabanLayerStyle *self)
{
  return self->custom;
}

static const char * const kind_names[] = { "single", "categorized", "graduated" };
static const char * const method_names[] = { "equal-interval", "quantile", "natural-breaks" };

static guint
name_index (const char * const *names,
            gsize               n,
            const char         *name)
{
  for (gsize i = 0; i < n; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return i;
  return 0;
}

/**
 * saban_style_choice_to_workspace:
 * @out: (out caller-allocates): its strings are owned by the caller, freed with g_free()
 */
void
saban_style_choice_to_workspace (const SabanStyleChoice *choice,
                                 SabanWorkspaceStyle    *out)
{
  out->kind = g_strdup (kind_names[choice->kind]);
  out->field = g_strdup (choice->field);
  out->method = g_strdup (method_names[choice->method]);
  out->n_classes = choice->n_classes;
  out->fill = gdk_rgba_to_string (&choice->fill);
  out->ramp_end = gdk_rgba_to_string (&choice->ramp_end);
  out->label_field = g_strdup (choice->label_field);
}

/**
 * saban_style_choice_from_workspace:
 * @choice: (out caller-allocates): clear with saban_style_choice_clear()
 */
void
saban_style_choice_from_workspace (const SabanWorkspaceStyle *saved,
                                   SabanStyleChoice          *choice)
{
  choice->kind = name_index (kind_names, G_N_ELEMENTS (kind_names), saved->kind);
  choice->field = g_strdup (saved->field);
  choice->method = name_index (method_names, G_N_ELEMENTS (method_names), saved->method);
  choice->n_classes = saved->n_classes;
  if (saved->fill == NULL || !gdk_rgba_parse (&choice->fill, saved->fill))
    choice->fill = (GdkRGBA) { 0.96, 0.90, 0.67, 1 };
  if (saved->ramp_end == NULL || !gdk_rgba_parse (&choice->ramp_end, saved->ramp_end))
    choice->ramp_end = (GdkRGBA) { 0.65, 0.11, 0.18, 1 };
  choice->label_field = g_strdup (saved->label_field);
}

SabanLayerGroup
saban_layer_style_get_group (SabanLayerStyle *self)
{
  return self->group;
}

/**
 * saban_layer_group_get_title:
 *
 * Returns: the group's name as the sidebar shows it, translated
 */
const char *
saban_layer_group_get_title (SabanLayerGroup group)
{
  static const char * const titles[] = {
    [SABAN_LAYER_GROUP_FINDINGS] = N_("Selections and findings"),
    [SABAN_LAYER_GROUP_IOT] = N_("IoT"),
    [SABAN_LAYER_GROUP_INFRASTRUCTURE] = N_("Infrastructure"),
    [SABAN_LAYER_GROUP_POPULATION] = N_("Population and administration"),
    [SABAN_LAYER_GROUP_LAND] = N_("Land"),
    [SABAN_LAYER_GROUP_PLANNING] = N_("Planning"),
    [SABAN_LAYER_GROUP_OTHER] = N_("Other layers"),
  };

  return _(titles[group]);
}
