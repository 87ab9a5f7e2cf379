/* saban-inspector.c: everything known about the clicked feature: its
 * attributes under Vietnamese names where the field is a known one, its
 * true area or length, and the CRS its data came in. */
#include "saban-inspector.h"

#include <glib/gi18n.h>

#include "saban-dossier-view.h"
#include "saban-format.h"
#include "saban-measure.h"
#include "saban-ogr-reader.h"

struct _SabanInspector
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkLabel *title_label;
  GtkLabel *subtitle_label;
  GtkGrid *grid;
  guint n_rows;
};

G_DEFINE_FINAL_TYPE (SabanInspector, saban_inspector, GTK_TYPE_WIDGET)

enum {
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Names users read for the fields of the province's data model. */
static const struct
{
  const char *field;
  const char *alias;
} aliases[] = {
  { "name", N_("Name") },
  { "code", N_("Code") },
  { "kind", N_("Type") },
  { "class", N_("Class") },
  { "level", N_("Level") },
  { "population", N_("Population") },
  { "area_km2", N_("Recorded area (km²)") },
  { "area_m2", N_("Recorded area (m²)") },
  { "landuse", N_("Land-use code") },
  { "sheet", N_("Map sheet no.") },
  { "parcel", N_("Parcel no.") },
  { "commune_code", N_("Commune code") },
  { "capacity", N_("Capacity (people)") },
  { "beds", N_("Beds") },
  { "note", N_("Note") },
  { "decision", N_("Approving decision") },
};

/**
 * saban_inspector_field_alias:
 *
 * Returns: the name users read for a field: translated for the fields of
 *   the province's data model, the field's own name otherwise
 */
const char *
saban_inspector_field_alias (const char *field)
{
  for (gsize i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_str_equal (aliases[i].field, field))
      return _(aliases[i].alias);
  return field;
}

static void
add_row (SabanInspector *self,
         const char     *name,
         const char     *value)
{
  GtkWidget *key = gtk_label_new (name);
  GtkWidget *text = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (key), 1);
  gtk_label_set_yalign (GTK_LABEL (key), 0);
  gtk_widget_add_css_class (key, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_grid_attach (self->grid, key, 0, self->n_rows, 1, 1);
  gtk_grid_attach (self->grid, text, 1, self->n_rows, 1, 1);
  self->n_rows++;
}

static void
add_heading (SabanInspector *self,
             const char     *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, self->n_rows > 0 ? 12 : 0);
  gtk_grid_attach (self->grid, label, 0, self->n_rows, 2, 1);
  self->n_rows++;
}

static void
clear (SabanInspector *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grid))) != NULL)
    gtk_grid_remove (self->grid, child);
  self->n_rows = 0;
}

static void
add_measurements (SabanInspector   *self,
                  SabanVectorLayer *layer,
                  guint32           feature)
{
  double area, length;
  g_autofree char *length_text = NULL;

  saban_measure_feature (layer, feature, &area, &length);
  switch (saban_vector_layer_get_kind (layer))
    {
    case SABAN_GEOMETRY_POLYGON:
      {
        g_autofree char *ha = saban_format_number (area / 10000, area < 100000 ? 4 : 2);
        g_autofree char *m2 = saban_format_number (area, 0);
        g_autofree char *text = g_strdup_printf (_("%s ha (%s m²)"), ha, m2);
        g_autofree char *perimeter = saban_format_number (length, 1);
        g_autofree char *perimeter_text = g_strdup_printf (_("%s m"), perimeter);

        add_row (self, _("Area"), text);
        add_row (self, _("Perimeter"), perimeter_text);
      }
      break;
    case SABAN_GEOMETRY_LINE:
      {
        g_autofree char *m = saban_format_number (length, 1);
        length_text = g_strdup_printf (_("%s m"), m);
        add_row (self, _("Length"), length_text);
      }
      break;
    case SABAN_GEOMETRY_POINT:
    default:
      {
        const SabanFeatureArrays *a = saban_vector_layer_get_arrays (layer);
        const double *xy = a->xy + 2 * (gsize) a->point_starts[a->part_starts[feature]];
        double lon, lat;
        g_autofree char *where = NULL;

        saban_mercator_to_lonlat (xy[0], xy[1], &lon, &lat);
        where = saban_format_degrees (lat, lon);
        add_row (self, _("Position"), where);
      }
      break;
    }
}

/* A planning zone: the decision that approved it, read from its source. */
static void
add_dossier (SabanInspector   *self,
             SabanVectorLayer *layer,
             guint32           feature)
{
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (layer);
  int link = saban_planning_dossier_find_field (t);

  if (link < 0 || saban_attribute_table_is_null (t, link, feature) || *saban_attribute_table_get_string (t, link, feature) == '\0')
    return;
  gtk_grid_attach (self->grid, saban_dossier_view_new (saban_vector_layer_get_source (layer),
                                                       saban_attribute_table_get_string (t, link, feature)),
                   0, self->n_rows++, 2, 1);
}

/**
 * saban_inspector_show_feature:
 *
 * Shows @feature of @layer, described with @style's names for its values.
 */
void
saban_inspector_show_feature (SabanInspector   *self,
                              SabanVectorLayer *layer,
                              SabanLayerStyle  *style,
                              guint32           feature)
{
  const SabanAttributeTable *t = saban_vector_layer_get_attributes (layer);
  int name_field = saban_attribute_table_find_field (t, "name");
  g_autofree char *subtitle = NULL;
  g_autofree char *crs = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *fid = g_strdup_printf ("%" G_GINT64_FORMAT, saban_vector_layer_get_arrays (layer)->fids[feature]);

  g_return_if_fail (SABAN_IS_INSPECTOR (self));

  clear (self);
  if (name_field >= 0 && !saban_attribute_table_is_null (t, name_field, feature))
    gtk_label_set_label (self->title_label, saban_attribute_table_get_string (t, name_field, feature));
  else
    gtk_label_set_label (self->title_label, saban_layer_style_get_title (style));
  /* TRANSLATORS: layer title · feature identifier */
  subtitle = g_strdup_printf (_("%s · feature %s"), saban_layer_style_get_title (style), fid);
  gtk_label_set_label (self->subtitle_label, subtitle);

  add_heading (self, _("Attributes"));
  for (guint i = 0; i < saban_attribute_table_get_n_fields (t); i++)
    {
      const char *field = saban_attribute_table_get_field_name (t, i);
      g_autofree char *value = saban_attribute_table_format (t, i, feature);
      const char *meaning = g_strcmp0 (field, saban_layer_style_get_category_field (style)) == 0
                            ? saban_layer_style_describe_category (style, value) : NULL;
      g_autofree char *shown = meaning != NULL ? g_strdup_printf ("%s — %s", value, meaning) : NULL;

      add_row (self, saban_inspector_field_alias (field), shown != NULL ? shown : value);
    }

  add_heading (self, _("Measurements (WGS 84 ellipsoid)"));
  add_measurements (self, layer, feature);

  add_heading (self, _("Source"));
  shown = saban_ogr_redact (saban_vector_layer_get_source (layer));
  add_row (self, _("Data source"), shown);
  add_row (self, _("Layer"), saban_vector_layer_get_name (layer));
  crs = g_strdup_printf ("%s (%s)", saban_vector_layer_get_source_crs_name (layer),
                         g_str_has_prefix (saban_vector_layer_get_source_crs (layer), "EPSG:")
                         ? saban_vector_layer_get_source_crs (layer) : _("custom definition"));
  add_row (self, _("Coordinate system of the data"), crs);
  add_dossier (self, layer, feature);
}

/**
 * saban_inspector_show_pixel:
 * @title: the layer's name
 * @x: where, Web Mercator metres
 * @y: likewise
 * @values: (array): one value per band of @raster, as sampled there
 *
 * Shows a raster's pixel: each band's value with its unit.
 */
void
saban_inspector_show_pixel (SabanInspector   *self,
                            SabanRasterLayer *raster,
                            const char       *title,
                            double            x,
                            double            y,
                            const double     *values)
{
  g_autofree char *shown = saban_ogr_redact (saban_raster_layer_get_source (raster));
  g_autofree char *where = NULL;
  double lon, lat;

  g_return_if_fail (SABAN_IS_INSPECTOR (self));

  clear (self);
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->subtitle_label, _("Raster pixel"));
  add_heading (self, _("Pixel values"));
  for (guint b = 0; b < saban_raster_layer_get_n_bands (raster); b++)
    {
      const SabanRasterBand *band = saban_raster_layer_get_band (raster, b);
      g_autofree char *number = saban_format_number (values[b], values[b] == floor (values[b]) ? 0 : 2);
      g_autofree char *text = *band->unit != '\0' ? g_strdup_printf ("%s %s", number, band->unit) : g_strdup (number);

      add_row (self, band->name, text);
    }
  add_heading (self, _("Source"));
  saban_mercator_to_lonlat (x, y, &lon, &lat);
  where = saban_format_degrees (lat, lon);
  add_row (self, _("Position"), where);
  add_row (self, _("Data source"), shown);
  add_row (self, _("Coordinate system of the data"), saban_raster_layer_get_source_crs_name (raster));
}

/**
 * saban_inspector_show_info:
 * @title: the layer's name
 * @text: what a map service said about the point clicked (WMS
 *   GetFeatureInfo, plain text)
 */
void
saban_inspector_show_info (SabanInspector *self,
                           const char     *title,
                           const char     *text)
{
  GtkWidget *label = gtk_label_new (text);

  g_return_if_fail (SABAN_IS_INSPECTOR (self));

  clear (self);
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->subtitle_label, _("Map service"));
  add_heading (self, _("What the service says is here"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "monospace");
  gtk_grid_attach (self->grid, label, 0, self->n_rows++, 2, 1);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_signal_emit (widget, signals[CLOSED], 0);
}

static void
saban_inspector_dispose (GObject *object)
{
  SabanInspector *self = (SabanInspector *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_INSPECTOR);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (saban_inspector_parent_class)->dispose (object);
}

static void
saban_inspector_class_init (SabanInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = saban_inspector_dispose;

  /**
   * SabanInspector::closed:
   *
   * The user closed the inspector.
   */
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanInspector, box);
  gtk_widget_class_bind_template_child (widget_class, SabanInspector, title_label);
  gtk_widget_class_bind_template_child (widget_class, SabanInspector, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, SabanInspector, grid);
  gtk_widget_class_install_action (widget_class, "inspector.close", NULL, close_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
saban_inspector_init (SabanInspector *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
