/* saban-layer-row.c: one layer in the sidebar: visibility, name, size,
 * opacity, legend.
 *
 * A view of one SabanLayer of the layer model: the switch and the opacity
 * slider are bound to the layer's properties both ways, the title and the
 * legend follow it. The row holds no layer state of its own; what the user
 * asks of the layer (zoom to it, its table, its style…) is the "action"
 * signal, for the window to do. */
#include "saban-layer-row.h"

#include <glib/gi18n.h>
#include <string.h>

#include "saban-format.h"
#include "saban-ogr-reader.h"

struct _SabanLayerRow
{
  AdwActionRow parent_instance;

  GtkCheckButton *visible_check;
  GtkDrawingArea *swatch;
  GtkMenuButton *menu_button;
  GtkScale *opacity_scale;
  GPtrArray *legend_rows;

  SabanLayer *layer;
  char *count_text;
  gboolean out_of_range;
};

G_DEFINE_FINAL_TYPE (SabanLayerRow, saban_layer_row, ADW_TYPE_EXPANDER_ROW)

enum {
  ACTION,
  DROPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_color (cairo_t       *cr,
           const GdkRGBA *rgba)
{
  cairo_set_source_rgba (cr, rgba->red, rgba->green, rgba->blue, rgba->alpha);
}

static void
draw_legend_swatch (GtkDrawingArea *area,
                    cairo_t        *cr,
                    int             width,
                    int             height,
                    gpointer        user_data)
{
  const GdkRGBA *color = g_object_get_data (G_OBJECT (area), "color");

  cairo_rectangle (cr, 0.5, 0.5, width - 1, height - 1);
  set_color (cr, color);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.3);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

/* A legend swatch: the layer's symbol as the map draws it. */
static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  SabanLayerRow *self = user_data;
  SabanLayerStyle *style = saban_layer_get_style (self->layer);
  const GdkRGBA *stroke = saban_layer_style_get_stroke (style);
  const GdkRGBA *fill = saban_layer_style_get_fill (style);
  const GdkRGBA *category = saban_layer_style_get_legend_color (style);

  if (saban_layer_get_vector (self->layer) == NULL)
    {
      /* a raster or a map service: a patch of relief-like tints */
      cairo_pattern_t *ramp = cairo_pattern_create_linear (0, height, width, 0);

      cairo_pattern_add_color_stop_rgb (ramp, 0, 0.35, 0.62, 0.35);
      cairo_pattern_add_color_stop_rgb (ramp, 0.5, 0.91, 0.85, 0.55);
      cairo_pattern_add_color_stop_rgb (ramp, 1, 0.6, 0.42, 0.28);
      cairo_rectangle (cr, 1.5, 1.5, width - 3, height - 3);
      cairo_set_source (cr, ramp);
      cairo_fill (cr);
      cairo_pattern_destroy (ramp);
      return;
    }
  if (category != NULL)
    fill = category;
  switch (saban_vector_layer_get_kind (saban_layer_get_vector (self->layer)))
    {
    case SABAN_GEOMETRY_POINT:
      cairo_arc (cr, width / 2.0, height / 2.0, MIN (width, height) / 2.0 - 2, 0, 2 * G_PI);
      set_color (cr, fill);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, 0, 0, 0, 0.35);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
      break;
    case SABAN_GEOMETRY_LINE:
      cairo_move_to (cr, 1, height - 3);
      cairo_curve_to (cr, width / 2.0, height - 3, width / 2.0, 3, width - 1, 3);
      set_color (cr, category != NULL ? category : stroke);
      cairo_set_line_width (cr, 2.5);
      cairo_stroke (cr);
      break;
    case SABAN_GEOMETRY_POLYGON:
    default:
      cairo_rectangle (cr, 1.5, 1.5, width - 3, height - 3);
      set_color (cr, fill);
      cairo_fill_preserve (cr);
      set_color (cr, stroke->alpha > 0 ? stroke : &(GdkRGBA) { 0, 0, 0, 0.35 });
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
      break;
    }
}

static void
layer_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_signal_emit (widget, signals[ACTION], 0, action_name + strlen ("layer."));
}

/* One line per class under the layer: the layer's legend. */
static void
fill_legend (SabanLayerRow *self)
{
  SabanLayerStyle *style = saban_layer_get_style (self->layer);
  guint n = saban_layer_style_get_n_legend_items (style);

  for (guint i = 0; i < self->legend_rows->len; i++)
    adw_expander_row_remove (ADW_EXPANDER_ROW (self), g_ptr_array_index (self->legend_rows, i));
  g_ptr_array_set_size (self->legend_rows, 0);

  for (guint i = 0; i < n; i++)
    {
      GdkRGBA color;
      g_autofree char *text = saban_layer_style_dup_legend_item (style, i, &color);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *swatch = gtk_drawing_area_new ();
      GtkWidget *label = gtk_label_new (text);
      GdkRGBA *stored = gdk_rgba_copy (&color);
      GtkWidget *row;

      g_object_set_data_full (G_OBJECT (swatch), "color", stored, (GDestroyNotify) gdk_rgba_free);
      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 14);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 14);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_legend_swatch, NULL, NULL);
      gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "caption");
      gtk_box_append (GTK_BOX (box), swatch);
      gtk_box_append (GTK_BOX (box), label);
      gtk_widget_set_margin_start (box, 44);
      gtk_widget_set_margin_top (box, 2);
      gtk_widget_set_margin_bottom (box, 2);
      /* a row of our own: the list box would wrap a bare box in one, and
       * then removing the box is "removing a non-child" */
      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
      g_ptr_array_add (self->legend_rows, row);
    }
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (self), n > 0);
}

static void
saban_layer_row_dispose (GObject *object)
{
  SabanLayerRow *self = (SabanLayerRow *) object;

  if (self->layer != NULL)
    g_signal_handlers_disconnect_by_data (self->layer, self);
  g_clear_object (&self->layer);
  g_clear_pointer (&self->count_text, g_free);
  g_clear_pointer (&self->legend_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_LAYER_ROW);

  G_OBJECT_CLASS (saban_layer_row_parent_class)->dispose (object);
}

static void
saban_layer_row_class_init (SabanLayerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = saban_layer_row_dispose;

  /**
   * SabanLayerRow::action:
   * @name: "zoom", "attributes", "style", "rename", "refresh", "remove";
   *   for a raster "render-image", "render-hillshade", "render-hypsometric"
   *   (a DEM's) or "overviews"
   *
   * The user asked for something done to the layer.
   */
  signals[ACTION] = g_signal_new ("action", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * SabanLayerRow::dropped:
   * @dragged: the row dropped on this one
   *
   * The user dragged @dragged here: it should go just above this row.
   */
  signals[DROPPED] = g_signal_new ("dropped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, SABAN_TYPE_LAYER_ROW);
  gtk_widget_class_install_action (widget_class, "layer.zoom", NULL, layer_action);
  gtk_widget_class_install_action (widget_class, "layer.attributes", NULL, layer_action);
  gtk_widget_class_install_action (widget_class, "layer.remove", NULL, layer_action);
  gtk_widget_class_install_action (widget_class, "layer.style", NULL, layer_action);
  gtk_widget_class_install_action (widget_class, "layer.rename", NULL, layer_action);
  gtk_widget_class_install_action (widget_class, "layer.refresh", NULL, layer_action);
  gtk_widget_class_install_action (widget_class, "layer.render-image", NULL, layer_action);
  gtk_widget_class_install_action (widget_class, "layer.render-hillshade", NULL, layer_action);
  gtk_widget_class_install_action (widget_class, "layer.render-hypsometric", NULL, layer_action);
  gtk_widget_class_install_action (widget_class, "layer.overviews", NULL, layer_action);
  gtk_widget_class_install_action (widget_class, "layer.export", NULL, layer_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-layer-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanLayerRow, visible_check);
  gtk_widget_class_bind_template_child (widget_class, SabanLayerRow, swatch);
  gtk_widget_class_bind_template_child (widget_class, SabanLayerRow, menu_button);
}

static GdkContentProvider *
on_drag_prepare (GtkDragSource *source,
                 double         x,
                 double         y,
                 SabanLayerRow *self)
{
  return gdk_content_provider_new_typed (SABAN_TYPE_LAYER_ROW, self);
}

static void
on_drag_begin (GtkDragSource *source,
               GdkDrag       *drag,
               SabanLayerRow *self)
{
  g_autoptr(GdkPaintable) icon = gtk_widget_paintable_new (GTK_WIDGET (self));

  gtk_drag_source_set_icon (source, icon, 0, 0);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         SabanLayerRow *self)
{
  SabanLayerRow *dragged = g_value_get_object (value);

  if (dragged == NULL || dragged == self)
    return FALSE;
  g_signal_emit (self, signals[DROPPED], 0, dragged);
  return TRUE;
}

static void
saban_layer_row_init (SabanLayerRow *self)
{
  GtkPopover *popover;
  GtkDragSource *drag = gtk_drag_source_new ();
  GtkDropTarget *drop = gtk_drop_target_new (SABAN_TYPE_LAYER_ROW, GDK_ACTION_MOVE);

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Rows are reordered by dragging one onto another. */
  gtk_drag_source_set_actions (drag, GDK_ACTION_MOVE);
  g_signal_connect (drag, "prepare", G_CALLBACK (on_drag_prepare), self);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  self->legend_rows = g_ptr_array_new ();

  self->opacity_scale = GTK_SCALE (gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 1, 0.05));
  gtk_widget_set_size_request (GTK_WIDGET (self->opacity_scale), 180, -1);
  popover = gtk_menu_button_get_popover (self->menu_button);
  gtk_popover_menu_add_child (GTK_POPOVER_MENU (popover), GTK_WIDGET (self->opacity_scale), "opacity");
}

/* a new style: a new swatch and legend, maybe another zoom range */
static void
on_style_changed (SabanLayerRow *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self->swatch));
  fill_legend (self);
}

/**
 * saban_layer_row_new:
 * @layer: the layer of the model it shows
 *
 * Returns: (transfer floating): a row showing @layer, bound to it
 */
/* "12 345 features · fetched 09:31" */
static char *
describe_vector (SabanVectorLayer *vector)
{
  guint32 n = saban_vector_layer_get_n_features (vector);
  g_autofree char *count = saban_format_number (n, 0);
  /* TRANSLATORS: the number of features in a layer */
  char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s feature", "%s features", n), count);

  if (saban_vector_layer_is_remote (vector))
    {
      g_autofree char *at = g_date_time_format (saban_vector_layer_get_loaded_at (vector), "%H:%M");
      g_autofree char *plain = text;

      /* TRANSLATORS: "20,000 features · fetched 09:31": when a server layer was read */
      text = g_strdup_printf (_("%s · fetched %s"), plain, at);
    }
  return text;
}

/* "20 000 × 20 000 px · VN-2000 / TM-3 104-45" */
static char *
describe_raster (SabanRasterLayer *raster)
{
  g_autofree char *w = saban_format_number (saban_raster_layer_get_width (raster), 0);
  g_autofree char *h = saban_format_number (saban_raster_layer_get_height (raster), 0);

  /* TRANSLATORS: a raster's size in pixels and its coordinate system */
  return g_strdup_printf (_("%s × %s px · %s"), w, h, saban_raster_layer_get_source_crs_name (raster));
}

/* "WMS · gis.example.vn" */
static char *
describe_service (SabanTileFetcher *fetcher)
{
  static const char * const kinds[] = { "XYZ", "TMS", "WMS", "WMTS" };
  SabanMapService *service = saban_tile_fetcher_get_service (fetcher);
  g_autoptr(GUri) uri = g_uri_parse (saban_map_service_get_url (service), G_URI_FLAGS_PARSE_RELAXED, NULL);

  /* TRANSLATORS: a map service layer's subtitle: its kind and its server */
  return g_strdup_printf (_("Map service %s · %s"), kinds[saban_map_service_get_kind (service)],
                          uri != NULL ? g_uri_get_host (uri) : "");
}

/* Raster layers have no table or style; only a DEM has a relief. */
static void
enable_actions (SabanLayerRow *self)
{
  SabanRasterLayer *raster = saban_layer_get_raster (self->layer);
  gboolean dem = raster != NULL && saban_raster_layer_get_kind (raster) == SABAN_RASTER_KIND_ELEVATION;
  gboolean vector = saban_layer_get_vector (self->layer) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "layer.attributes", vector);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "layer.style", vector);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "layer.export", vector);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "layer.zoom", saban_layer_get_service (self->layer) == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "layer.render-image", dem);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "layer.render-hillshade", dem);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "layer.render-hypsometric", dem);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "layer.overviews",
                                 raster != NULL && saban_raster_layer_needs_overviews (raster));
}

/**
 * saban_layer_row_new:
 * @layer: the layer of the model it shows
 *
 * Returns: (transfer floating): a row showing @layer, bound to it
 */
GtkWidget *
saban_layer_row_new (SabanLayer *layer)
{
  SabanLayerRow *self = g_object_new (SABAN_TYPE_LAYER_ROW, NULL);
  g_autofree char *shown = NULL;

  self->layer = g_object_ref (layer);
  if (saban_layer_get_service (layer) != NULL)
    self->count_text = describe_service (saban_layer_get_service (layer));
  else if (saban_layer_get_raster (layer) != NULL)
    self->count_text = describe_raster (saban_layer_get_raster (layer));
  else
    self->count_text = describe_vector (saban_layer_get_vector (layer));
  enable_actions (self);
  g_object_bind_property (layer, "visible", self->visible_check, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (layer, "opacity", gtk_range_get_adjustment (GTK_RANGE (self->opacity_scale)), "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (layer, "title", self, "title", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (layer, "notify::style", G_CALLBACK (on_style_changed), self, G_CONNECT_SWAPPED);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), self->count_text);
  gtk_drawing_area_set_draw_func (self->swatch, draw_swatch, self, NULL);
  fill_legend (self);
  shown = saban_ogr_redact (saban_layer_get_source (layer));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), shown);
  return GTK_WIDGET (self);
}

/**
 * saban_layer_row_get_layer:
 *
 * Returns: (transfer none): the layer the row shows
 */
SabanLayer *
saban_layer_row_get_layer (SabanLayerRow *self)
{
  g_return_val_if_fail (SABAN_IS_LAYER_ROW (self), NULL);
  return self->layer;
}

/**
 * saban_layer_row_set_zoom:
 *
 * Dims the row, and says from which zoom the layer shows, while the map is
 * zoomed out beyond the layer's range.
 */
void
saban_layer_row_set_zoom (SabanLayerRow *self,
                          double         zoom)
{
  double min_zoom = saban_layer_style_get_min_zoom (saban_layer_get_style (self->layer));
  gboolean out_of_range = zoom < min_zoom;
  g_autofree char *subtitle = NULL;

  g_return_if_fail (SABAN_IS_LAYER_ROW (self));

  if (out_of_range == self->out_of_range)
    return;
  self->out_of_range = out_of_range;
  if (out_of_range)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "out-of-range");
      /* TRANSLATORS: "20,000 features · shown from zoom 13" */
      subtitle = g_strdup_printf (_("%s · shown from zoom %d"), self->count_text, (int) min_zoom);
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "out-of-range");
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle != NULL ? subtitle : self->count_text);
}
