/* saban-print-dialog.c: the map as shown, on paper: title, scale (the
 * map's own, rounded, to start with), paper A4–A0, orientation, PDF or PNG.
 * The page is SabanPrintLayout's, made from the layer model when the user
 * prints and written in a worker. */
#include "saban-print-dialog.h"

#include <glib/gi18n.h>
#include <math.h>

#include "saban-measure.h"
#include "saban-print-layout.h"

#define WEB_MERCATOR_HALF 20037508.342789244

struct _SabanPrintDialog
{
  AdwWindow parent_instance;

  AdwEntryRow *title_row;
  AdwEntryRow *scale_row;
  AdwComboRow *paper_row;
  AdwComboRow *orientation_row;
  AdwComboRow *format_row;
  GtkSpinButton *dpi_spin;
  GtkWidget *print_button;
  GtkLabel *message_label;

  SabanLayerModel *layers;
  SabanMapView *view;
  GtkNativeDialog *chooser;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (SabanPrintDialog, saban_print_dialog, ADW_TYPE_WINDOW)

/* The scale the screen shows (a 96 dpi pixel), rounded to 1, 2, 2.5 or 5 × 10ⁿ. */
static double
screen_scale (SabanMapView *view)
{
  ShumateViewport *viewport = saban_map_view_get_viewport (view);
  double lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double ground_per_pixel = 2 * WEB_MERCATOR_HALF / (256 * exp2 (zoom)) * cos (lat * G_PI / 180);
  double scale = ground_per_pixel / (25.4 / 96) * 1000, step = pow (10, floor (log10 (MAX (scale, 100))));
  const double nice[] = { 1, 2, 2.5, 5, 10 };

  for (guint i = 0; i < G_N_ELEMENTS (nice); i++)
    if (nice[i] * step >= scale * 0.8)
      return nice[i] * step;
  return 10 * step;
}

static void
show_message (SabanPrintDialog *self,
              const char       *message)
{
  gtk_label_set_label (self->message_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

static void
print_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) coarse = NULL;
  g_autofree char *done = NULL;
  SabanPrintDialog *self;
  GtkWindow *parent;

  if (!saban_print_layout_write_finish (SABAN_PRINT_LAYOUT (object), result, &coarse, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_PRINT_DIALOG (user_data);
  gtk_widget_set_sensitive (self->print_button, TRUE);
  if (error != NULL)
    {
      show_message (self, error->message);
      return;
    }
  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  if (coarse[0] != NULL)
    {
      g_autofree char *titles = g_strjoinv (", ", coarse);

      /* as the page says it: no layer printed blurred without a word */
      done = g_strdup_printf (_("The map was printed; at a lower resolution than the scale needs: %s"), titles);
    }
  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.toast", "s", done != NULL ? done : _("The map was printed"));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_file_chosen (GtkNativeDialog  *chooser,
                int               response,
                SabanPrintDialog *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(SabanPrintLayout) layout = NULL;
  ShumateViewport *viewport = saban_map_view_get_viewport (self->view);
  gboolean png = adw_combo_row_get_selected (self->format_row) == 1;
  double scale = 0, x, y;
  SabanPaperSize paper = (SabanPaperSize) adw_combo_row_get_selected (self->paper_row);

  if (response != GTK_RESPONSE_ACCEPT)
    return;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  path = g_file_get_path (file);
  if (!g_str_has_suffix (path, png ? ".png" : ".pdf"))
    {
      char *named = g_strconcat (path, png ? ".png" : ".pdf", NULL);

      g_free (path);
      path = named;
    }
  if (!saban_print_scale_parse (gtk_editable_get_text (GTK_EDITABLE (self->scale_row)), &scale))
    {
      show_message (self, _("The scale must be between 1:100 and 1:10.000.000, such as 1:25.000"));
      return;
    }
  layout = saban_print_layout_new (self->layers);
  saban_print_layout_set_title (layout, gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
  saban_print_layout_set_scale (layout, scale);
  saban_print_layout_set_paper (layout, paper, adw_combo_row_get_selected (self->orientation_row) == 0);
  saban_print_layout_set_dpi (layout, gtk_spin_button_get_value (self->dpi_spin));
  saban_lonlat_to_mercator (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                            shumate_location_get_latitude (SHUMATE_LOCATION (viewport)), &x, &y);
  saban_print_layout_set_center (layout, x, y);
  show_message (self, NULL);
  gtk_widget_set_sensitive (self->print_button, FALSE);
  saban_print_layout_write_async (layout, path, self->cancellable, print_done, self);
}

static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SabanPrintDialog *self = SABAN_PRINT_DIALOG (widget);
  gboolean png = adw_combo_row_get_selected (self->format_row) == 1;

  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Print To"), GTK_WINDOW (self),
                                                                  GTK_FILE_CHOOSER_ACTION_SAVE, _("_Print"), NULL));
  /* TRANSLATORS: the print's suggested file name */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), png ? _("map.png") : _("map.pdf"));
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_file_chosen), self);
  gtk_native_dialog_show (self->chooser);
}

static void
saban_print_dialog_dispose (GObject *object)
{
  SabanPrintDialog *self = SABAN_PRINT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    g_signal_handlers_disconnect_by_data (self->chooser, self);
  g_clear_object (&self->chooser);
  g_clear_object (&self->layers);
  g_clear_object (&self->view);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_PRINT_DIALOG);
  G_OBJECT_CLASS (saban_print_dialog_parent_class)->dispose (object);
}

static void
saban_print_dialog_class_init (SabanPrintDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = saban_print_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-print-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanPrintDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPrintDialog, scale_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPrintDialog, paper_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPrintDialog, orientation_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPrintDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, SabanPrintDialog, dpi_spin);
  gtk_widget_class_bind_template_child (widget_class, SabanPrintDialog, print_button);
  gtk_widget_class_bind_template_child (widget_class, SabanPrintDialog, message_label);
  gtk_widget_class_install_action (widget_class, "print.choose-file", NULL, choose_file_action);
}

static void
saban_print_dialog_init (SabanPrintDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * saban_print_dialog_new:
 * @layers: the layers printed, as the map shows them
 * @view: the map: its centre and scale are the print's to start with
 *
 * Returns: (transfer floating): the dialog
 */
GtkWidget *
saban_print_dialog_new (GtkWindow       *parent,
                        SabanLayerModel *layers,
                        SabanMapView    *view)
{
  SabanPrintDialog *self = g_object_new (SABAN_TYPE_PRINT_DIALOG, "transient-for", parent, NULL);
  g_autofree char *scale = g_strdup_printf ("1:%.0f", screen_scale (view));

  self->layers = g_object_ref (layers);
  self->view = g_object_ref (view);
  gtk_editable_set_text (GTK_EDITABLE (self->scale_row), scale);
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), _("Map"));
  return GTK_WIDGET (self);
}
