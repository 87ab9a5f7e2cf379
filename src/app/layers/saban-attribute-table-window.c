/* saban-attribute-table-window.c: a layer's attribute table, sortable and
 * filterable. Sorting and filtering run in a worker thread over the layer's
 * columns; the view only ever holds the rows on screen. */
#include "saban-attribute-table-window.h"

#include <glib/gi18n.h>

#include "saban-export-dialog.h"
#include "saban-feature-item.h"
#include "saban-feature-list.h"
#include "saban-format.h"
#include "saban-inspector.h"
#include "saban-ogr-reader.h"

struct _SabanAttributeTableWindow
{
  AdwWindow parent_instance;

  AdwWindowTitle *window_title;
  GtkSearchEntry *filter_entry;
  GtkDropDown *sort_field;
  GtkToggleButton *descending_button;
  GtkLabel *count_label;
  GtkColumnView *column_view;

  SabanVectorLayer *layer;
  SabanLayerStyle *style;
  SabanFeatureList *rows;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (SabanAttributeTableWindow, saban_attribute_table_window, ADW_TYPE_WINDOW)

enum {
  FEATURE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char *query;
  int field;            /* -1: source order */
  gboolean descending;
} Order;

static void
order_free (gpointer data)
{
  Order *order = data;

  g_free (order->query);
  g_free (order);
}

static void
order_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SabanVectorLayer *layer = source_object;
  const SabanAttributeTable *table = saban_vector_layer_get_attributes (layer);
  Order *order = task_data;
  GArray *rows = saban_attribute_table_filter_rows (table, order->query);

  if (order->field >= 0)
    saban_attribute_table_sort_rows (table, order->field, order->descending,
                                     (guint32 *) rows->data, rows->len);
  g_task_return_pointer (task, rows, (GDestroyNotify) g_array_unref);
}

static void
update_count (SabanAttributeTableWindow *self,
              guint                      shown)
{
  g_autofree char *n = saban_format_number (shown, 0);
  g_autofree char *total = saban_format_number (saban_vector_layer_get_n_features (self->layer), 0);
  /* TRANSLATORS: rows shown of all rows */
  g_autofree char *text = g_strdup_printf (_("%s of %s rows"), n, total);

  gtk_label_set_label (self->count_label, text);
}

static void
order_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  SabanAttributeTableWindow *self;
  g_autoptr(GArray) rows = g_task_propagate_pointer (G_TASK (result), NULL);

  if (rows == NULL)
    return;
  self = SABAN_ATTRIBUTE_TABLE_WINDOW (user_data);
  saban_feature_list_set_rows (self->rows, rows);
  update_count (self, rows->len);
}

static void
reorder (SabanAttributeTableWindow *self)
{
  g_autoptr(GTask) task = NULL;
  Order *order = g_new0 (Order, 1);
  guint selected = gtk_drop_down_get_selected (self->sort_field);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  order->query = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->filter_entry)));
  /* Item 0 of the drop-down is the source order. */
  order->field = selected == GTK_INVALID_LIST_POSITION || selected == 0 ? -1 : (int) selected - 1;
  order->descending = gtk_toggle_button_get_active (self->descending_button);

  task = g_task_new (self->layer, self->cancellable, order_done, self);
  g_task_set_task_data (task, order, order_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, order_thread);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  SabanAttributeTableWindow *self = g_object_get_data (G_OBJECT (factory), "window");
  guint field = GPOINTER_TO_UINT (user_data);
  guint32 row = saban_feature_item_get_row (gtk_list_item_get_item (item));
  g_autofree char *text = saban_attribute_table_format (saban_vector_layer_get_attributes (self->layer), field, row);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
on_activate (SabanAttributeTableWindow *self,
             guint                      position)
{
  GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (self->column_view));
  g_autoptr(SabanFeatureItem) item = g_list_model_get_item (model, position);

  if (item != NULL)
    g_signal_emit (self, signals[FEATURE_ACTIVATED], 0, self->layer, (gint64) saban_feature_item_get_row (item));
}

static void
build (SabanAttributeTableWindow *self)
{
  const SabanAttributeTable *table = saban_vector_layer_get_attributes (self->layer);
  g_autoptr(GtkStringList) fields = gtk_string_list_new (NULL);
  g_autoptr(GtkSingleSelection) selection = NULL;
  g_autofree char *shown = NULL;

  adw_window_title_set_title (self->window_title, saban_layer_style_get_title (self->style));
  shown = saban_ogr_redact (saban_vector_layer_get_source (self->layer));
  adw_window_title_set_subtitle (self->window_title, shown);

  gtk_string_list_append (fields, _("Source order"));
  for (guint i = 0; i < saban_attribute_table_get_n_fields (table); i++)
    {
      const char *name = saban_attribute_table_get_field_name (table, i);
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "window", self);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GUINT_TO_POINTER (i));
      column = gtk_column_view_column_new (saban_inspector_field_alias (name), g_object_ref (factory));
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, saban_attribute_table_get_field_type (table, i) == SABAN_FIELD_STRING);
      gtk_column_view_append_column (self->column_view, column);
      gtk_string_list_append (fields, saban_inspector_field_alias (name));
    }
  gtk_drop_down_set_model (self->sort_field, G_LIST_MODEL (fields));

  selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
}

static void
saban_attribute_table_window_dispose (GObject *object)
{
  SabanAttributeTableWindow *self = (SabanAttributeTableWindow *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->layer);
  g_clear_object (&self->style);
  g_clear_object (&self->rows);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_ATTRIBUTE_TABLE_WINDOW);

  G_OBJECT_CLASS (saban_attribute_table_window_parent_class)->dispose (object);
}

/* the rows the filter left, as sorted */
static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SabanAttributeTableWindow *self = SABAN_ATTRIBUTE_TABLE_WINDOW (widget);
  g_autoptr(GArray) rows = saban_feature_list_dup_rows (self->rows);

  gtk_window_present (GTK_WINDOW (saban_export_dialog_new (GTK_WINDOW (self), self->layer,
                                                           saban_layer_style_get_title (self->style), rows)));
}

static void
saban_attribute_table_window_class_init (SabanAttributeTableWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = saban_attribute_table_window_dispose;

  /**
   * SabanAttributeTableWindow::feature-activated:
   * @layer: the table's layer
   * @feature: the activated row's feature
   */
  signals[FEATURE_ACTIVATED] =
    g_signal_new ("feature-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, SABAN_TYPE_VECTOR_LAYER, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-attribute-table-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanAttributeTableWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SabanAttributeTableWindow, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, SabanAttributeTableWindow, sort_field);
  gtk_widget_class_bind_template_child (widget_class, SabanAttributeTableWindow, descending_button);
  gtk_widget_class_bind_template_child (widget_class, SabanAttributeTableWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, SabanAttributeTableWindow, column_view);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_install_action (widget_class, "table.export", NULL, export_action);
}

static void
saban_attribute_table_window_init (SabanAttributeTableWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = saban_feature_list_new ();
  g_signal_connect_swapped (self->filter_entry, "search-changed", G_CALLBACK (reorder), self);
  g_signal_connect_swapped (self->sort_field, "notify::selected", G_CALLBACK (reorder), self);
  g_signal_connect_swapped (self->descending_button, "toggled", G_CALLBACK (reorder), self);
  g_signal_connect_swapped (self->column_view, "activate", G_CALLBACK (on_activate), self);
}

/**
 * saban_attribute_table_window_new:
 *
 * Returns: (transfer floating): a window listing every feature of @layer
 */
GtkWidget *
saban_attribute_table_window_new (GtkWindow        *parent,
                                  SabanVectorLayer *layer,
                                  SabanLayerStyle  *style)
{
  SabanAttributeTableWindow *self = g_object_new (SABAN_TYPE_ATTRIBUTE_TABLE_WINDOW,
                                                  "transient-for", parent, NULL);

  self->layer = g_object_ref (layer);
  self->style = g_object_ref (style);
  build (self);
  reorder (self);
  return GTK_WIDGET (self);
}
