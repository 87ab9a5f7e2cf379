/* saban-export-dialog.c: a layer, a selection or the rows an attribute
 * table shows, written to GeoPackage, GeoJSON, CSV, Shapefile, KML or XLSX
 * in a chosen coordinate system. The writing is core's
 * (saban_ogr_export_async, in a worker, with progress). */
#include "saban-export-dialog.h"

#include <glib/gi18n.h>

#include "saban-crs-catalog.h"
#include "saban-format.h"
#include "saban-ogr-export.h"

struct _SabanExportDialog
{
  AdwWindow parent_instance;

  AdwActionRow *what_row;
  AdwComboRow *format_row;
  AdwComboRow *crs_row;
  GtkWidget *export_button;
  GtkProgressBar *progress_bar;
  GtkLabel *message_label;

  SabanVectorLayer *layer;
  char *title;
  GArray *features;            /* guint32, or NULL for the whole layer */
  GCancellable *cancellable;
  GtkNativeDialog *chooser;
};

G_DEFINE_FINAL_TYPE (SabanExportDialog, saban_export_dialog, ADW_TYPE_WINDOW)

/* The combo's order: the layer's own CRS first, then the catalogue's. */
static char *
chosen_crs (SabanExportDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->crs_row);
  guint n;
  const SabanCrsEntry *entries = saban_crs_catalog_get (&n);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > n)
    return NULL;
  return g_strdup_printf ("EPSG:%d", entries[selected - 1].epsg);
}

static SabanExportFormat
chosen_format (SabanExportDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->format_row);

  return selected == GTK_INVALID_LIST_POSITION ? SABAN_EXPORT_GEOPACKAGE : (SabanExportFormat) selected;
}

static void
on_format_changed (SabanExportDialog *self)
{
  /* KML is WGS 84 by definition */
  gtk_widget_set_sensitive (GTK_WIDGET (self->crs_row), saban_export_format_has_crs (chosen_format (self)));
}

static void
on_progress (double      fraction,
             const char *what,
             gpointer    user_data)
{
  SabanExportDialog *self = user_data;

  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}

static void
set_busy (SabanExportDialog *self,
          gboolean           busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), busy);
  gtk_widget_set_sensitive (self->export_button, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->format_row), !busy);
}

static void
export_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SabanExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkWindow *parent;

  if (!saban_ogr_export_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      gtk_label_set_label (self->message_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->message_label), TRUE);
      return;
    }
  {
    g_autofree char *message = g_strdup_printf (_("“%s” exported"), self->title);

    /* the main window says so, whichever window asked (the attribute table…) */
    for (parent = gtk_window_get_transient_for (GTK_WINDOW (self)); parent != NULL;
         parent = gtk_window_get_transient_for (parent))
      if (gtk_widget_activate_action (GTK_WIDGET (parent), "win.toast", "s", message))
        break;
  }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_file_chosen (GtkNativeDialog   *chooser,
                int                response,
                SabanExportDialog *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *crs = NULL;
  SabanExportFormat format = chosen_format (self);
  const char *extension = saban_export_format_get_extension (format);

  if (response != GTK_RESPONSE_ACCEPT)
    return;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  path = g_file_get_path (file);
  /* the drivers go by the extension */
  if (!g_str_has_suffix (path, extension) || path[strlen (path) - strlen (extension) - 1] != '.')
    {
      char *named = g_strconcat (path, ".", extension, NULL);

      g_free (path);
      path = named;
    }
  crs = chosen_crs (self);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), FALSE);
  set_busy (self, TRUE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  saban_ogr_export_async (self->layer, self->features, format, crs, path, self->cancellable,
                          on_progress, self, NULL, export_done, g_object_ref (self));
}

static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SabanExportDialog *self = SABAN_EXPORT_DIALOG (widget);
  SabanExportFormat format = chosen_format (self);
  g_autofree char *name = g_strdup_printf ("%s.%s", saban_vector_layer_get_name (self->layer),
                                           saban_export_format_get_extension (format));

  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Export To"), GTK_WINDOW (self),
                                                                  GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_file_chosen), self);
  gtk_native_dialog_show (self->chooser);
}

static void
saban_export_dialog_dispose (GObject *object)
{
  SabanExportDialog *self = SABAN_EXPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    g_signal_handlers_disconnect_by_data (self->chooser, self);
  g_clear_object (&self->chooser);
  g_clear_object (&self->layer);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->features, g_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_EXPORT_DIALOG);
  G_OBJECT_CLASS (saban_export_dialog_parent_class)->dispose (object);
}

static void
saban_export_dialog_class_init (SabanExportDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = saban_export_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanExportDialog, what_row);
  gtk_widget_class_bind_template_child (widget_class, SabanExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, SabanExportDialog, crs_row);
  gtk_widget_class_bind_template_child (widget_class, SabanExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, SabanExportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SabanExportDialog, message_label);
  gtk_widget_class_install_action (widget_class, "export.choose-file", NULL, choose_file_action);
}

static void
saban_export_dialog_init (SabanExportDialog *self)
{
  g_autoptr(GtkStringList) formats = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  for (SabanExportFormat f = SABAN_EXPORT_GEOPACKAGE; f <= SABAN_EXPORT_XLSX; f++)
    gtk_string_list_append (formats, saban_export_format_get_name (f));
  adw_combo_row_set_model (self->format_row, G_LIST_MODEL (formats));
  g_signal_connect_swapped (self->format_row, "notify::selected", G_CALLBACK (on_format_changed), self);
}

/**
 * saban_export_dialog_new:
 * @title: the layer's name as users know it
 * @features: (element-type guint32) (nullable): the features to export, by
 *   index; %NULL for the whole layer
 *
 * Returns: (transfer floating): the dialog
 */
GtkWidget *
saban_export_dialog_new (GtkWindow        *parent,
                         SabanVectorLayer *layer,
                         const char       *title,
                         GArray           *features)
{
  SabanExportDialog *self = g_object_new (SABAN_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  g_autoptr(GtkStringList) systems = gtk_string_list_new (NULL);
  g_autofree char *own = g_strdup_printf (_("As the data (%s)"), saban_vector_layer_get_source_crs_name (layer));
  guint n = features != NULL ? features->len : saban_vector_layer_get_n_features (layer);
  g_autofree char *count = saban_format_number (n, 0);
  g_autofree char *subtitle = NULL;
  guint n_entries;
  const SabanCrsEntry *entries = saban_crs_catalog_get (&n_entries);

  self->layer = g_object_ref (layer);
  self->title = g_strdup (title);
  self->features = features != NULL ? g_array_ref (features) : NULL;
  /* TRANSLATORS: the layer's name · how many features go */
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %s feature", "%s · %s features", n), title, count);
  adw_action_row_set_subtitle (self->what_row, subtitle);
  gtk_string_list_append (systems, own);
  for (guint i = 0; i < n_entries; i++)
    {
      g_autofree char *label = g_strdup_printf ("%s (EPSG:%d)", entries[i].name, entries[i].epsg);

      gtk_string_list_append (systems, label);
    }
  adw_combo_row_set_model (self->crs_row, G_LIST_MODEL (systems));
  return GTK_WIDGET (self);
}
