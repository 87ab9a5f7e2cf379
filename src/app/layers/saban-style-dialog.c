/* saban-style-dialog.c: how a layer is drawn: one colour, a colour per
 * category, or colours by value range with a classification, and labels.
 * It only gathers the choice; the window makes the style from it. */
#include "saban-style-dialog.h"

#include <glib/gi18n.h>

#include "saban-inspector.h"

struct _SabanStyleDialog
{
  AdwWindow parent_instance;

  AdwWindowTitle *window_title;
  AdwComboRow *kind_row;
  AdwComboRow *field_row;
  AdwComboRow *method_row;
  AdwActionRow *classes_row;
  GtkSpinButton *classes_spin;
  AdwActionRow *color_row;
  GtkColorButton *fill_button;
  GtkColorButton *ramp_end_button;
  AdwComboRow *label_row;

  GPtrArray *fields;        /* field names, as in field_row */
  GPtrArray *label_fields;  /* NULL, then field names, as in label_row */
};

G_DEFINE_FINAL_TYPE (SabanStyleDialog, saban_style_dialog, ADW_TYPE_WINDOW)

enum {
  APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Rows that make sense for the kind chosen. */
static void
update_rows (SabanStyleDialog *self)
{
  SabanStyleKind kind = adw_combo_row_get_selected (self->kind_row);

  gtk_widget_set_visible (GTK_WIDGET (self->field_row), kind != SABAN_STYLE_SINGLE);
  gtk_widget_set_visible (GTK_WIDGET (self->method_row), kind == SABAN_STYLE_GRADUATED);
  gtk_widget_set_visible (GTK_WIDGET (self->classes_row), kind == SABAN_STYLE_GRADUATED);
  gtk_widget_set_visible (GTK_WIDGET (self->color_row), kind != SABAN_STYLE_CATEGORIZED);
  gtk_widget_set_visible (GTK_WIDGET (self->ramp_end_button), kind == SABAN_STYLE_GRADUATED);
}

/**
 * saban_style_dialog_get_choice:
 * @choice: (out caller-allocates): clear with saban_style_choice_clear()
 */
void
saban_style_dialog_get_choice (SabanStyleDialog *self,
                               SabanStyleChoice *choice)
{
  guint field = adw_combo_row_get_selected (self->field_row);
  guint label = adw_combo_row_get_selected (self->label_row);

  choice->kind = adw_combo_row_get_selected (self->kind_row);
  choice->field = field < self->fields->len ? g_strdup (g_ptr_array_index (self->fields, field)) : NULL;
  choice->method = adw_combo_row_get_selected (self->method_row);
  choice->n_classes = gtk_spin_button_get_value_as_int (self->classes_spin);
  gtk_color_chooser_get_rgba (GTK_COLOR_CHOOSER (self->fill_button), &choice->fill);
  gtk_color_chooser_get_rgba (GTK_COLOR_CHOOSER (self->ramp_end_button), &choice->ramp_end);
  choice->label_field = label > 0 && label < self->label_fields->len
                        ? g_strdup (g_ptr_array_index (self->label_fields, label)) : NULL;
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_signal_emit (widget, signals[APPLIED], 0);
  gtk_window_close (GTK_WINDOW (widget));
}

static void
saban_style_dialog_dispose (GObject *object)
{
  SabanStyleDialog *self = (SabanStyleDialog *) object;

  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->label_fields, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_STYLE_DIALOG);

  G_OBJECT_CLASS (saban_style_dialog_parent_class)->dispose (object);
}

static void
saban_style_dialog_class_init (SabanStyleDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = saban_style_dialog_dispose;

  /**
   * SabanStyleDialog::applied:
   *
   * The user applied the choice; read it with saban_style_dialog_get_choice().
   */
  signals[APPLIED] = g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-style-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanStyleDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SabanStyleDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, SabanStyleDialog, field_row);
  gtk_widget_class_bind_template_child (widget_class, SabanStyleDialog, method_row);
  gtk_widget_class_bind_template_child (widget_class, SabanStyleDialog, classes_row);
  gtk_widget_class_bind_template_child (widget_class, SabanStyleDialog, classes_spin);
  gtk_widget_class_bind_template_child (widget_class, SabanStyleDialog, color_row);
  gtk_widget_class_bind_template_child (widget_class, SabanStyleDialog, fill_button);
  gtk_widget_class_bind_template_child (widget_class, SabanStyleDialog, ramp_end_button);
  gtk_widget_class_bind_template_child (widget_class, SabanStyleDialog, label_row);
  gtk_widget_class_install_action (widget_class, "style.apply", NULL, apply_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
saban_style_dialog_init (SabanStyleDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->fields = g_ptr_array_new_with_free_func (g_free);
  self->label_fields = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (update_rows), self);
}

static guint
index_of (GPtrArray  *names,
          const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (names, i), name) == 0)
      return i;
  return 0;
}

/**
 * saban_style_dialog_new:
 *
 * Returns: (transfer floating): a dialog showing @style's choice for @layer
 */
GtkWidget *
saban_style_dialog_new (GtkWindow        *parent,
                        SabanVectorLayer *layer,
                        SabanLayerStyle  *style)
{
  SabanStyleDialog *self = g_object_new (SABAN_TYPE_STYLE_DIALOG, "transient-for", parent, NULL);
  const SabanAttributeTable *table = saban_vector_layer_get_attributes (layer);
  g_autoptr(GtkStringList) fields = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_auto(SabanStyleChoice) choice = { 0 };

  adw_window_title_set_subtitle (self->window_title, saban_layer_style_get_title (style));
  g_ptr_array_add (self->label_fields, NULL);
  gtk_string_list_append (labels, _("No labels"));
  for (guint i = 0; i < saban_attribute_table_get_n_fields (table); i++)
    {
      const char *name = saban_attribute_table_get_field_name (table, i);

      g_ptr_array_add (self->fields, g_strdup (name));
      g_ptr_array_add (self->label_fields, g_strdup (name));
      gtk_string_list_append (fields, saban_inspector_field_alias (name));
      gtk_string_list_append (labels, saban_inspector_field_alias (name));
    }
  adw_combo_row_set_model (self->field_row, G_LIST_MODEL (fields));
  adw_combo_row_set_model (self->label_row, G_LIST_MODEL (labels));

  saban_layer_style_get_choice (style, &choice);
  adw_combo_row_set_selected (self->kind_row, choice.kind);
  adw_combo_row_set_selected (self->field_row, index_of (self->fields, choice.field));
  adw_combo_row_set_selected (self->method_row, choice.method);
  gtk_spin_button_set_value (self->classes_spin, choice.n_classes);
  gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (self->fill_button), &choice.fill);
  gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (self->ramp_end_button), &choice.ramp_end);
  adw_combo_row_set_selected (self->label_row, choice.label_field != NULL ? index_of (self->label_fields, choice.label_field) : 0);
  update_rows (self);
  return GTK_WIDGET (self);
}
