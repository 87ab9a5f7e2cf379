/* saban-sitrep-dialog.c: writing a situation report (báo cáo tình hình)
 * for a scenario: its version (initial, update, final) and its summary.
 * "Send" is enabled once there is a summary; the report is queued in the
 * outbox and listed at once as pending.
 */
#include "saban-sitrep-dialog.h"

#include <glib/gi18n.h>

#include "saban-command-labels.h"

struct _SabanSitrepDialog
{
  AdwMessageDialog parent_instance;

  GtkDropDown        *version;
  GtkTextBuffer      *summary;
  SabanCommandClient *client;
  SabanCommandItem   *scenario;
};

G_DEFINE_FINAL_TYPE (SabanSitrepDialog, saban_sitrep_dialog, ADW_TYPE_MESSAGE_DIALOG)

static char *
summary_text (SabanSitrepDialog *self)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (self->summary, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (self->summary, &start, &end, FALSE));
}

static void
on_summary_changed (SabanSitrepDialog *self)
{
  g_autofree char *text = summary_text (self);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "send", *text != '\0');
}

static void
on_response (SabanSitrepDialog *self, const char *response)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  const char *version;

  if (g_strcmp0 (response, "send") != 0)
    return;
  text = summary_text (self);
  version = saban_command_report_versions[gtk_drop_down_get_selected (self->version)];
  if (saban_command_client_create_sitrep (self->client, self->scenario, text, version, NULL, &error) == NULL)
    {
      GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
      GtkWidget *message = adw_message_dialog_new (parent, _("The report was not sent"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (message), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (message));
    }
}

/**
 * saban_sitrep_dialog_set_summary:
 *
 * Fills in the summary (as typing it would).
 */
void
saban_sitrep_dialog_set_summary (SabanSitrepDialog *self, const char *summary)
{
  g_return_if_fail (SABAN_IS_SITREP_DIALOG (self));
  gtk_text_buffer_set_text (self->summary, summary, -1);
}

/**
 * saban_sitrep_dialog_set_version:
 * @report_version: "initial", "update" or "final"
 */
void
saban_sitrep_dialog_set_version (SabanSitrepDialog *self, const char *report_version)
{
  g_return_if_fail (SABAN_IS_SITREP_DIALOG (self));

  for (guint i = 0; saban_command_report_versions[i] != NULL; i++)
    if (g_strcmp0 (saban_command_report_versions[i], report_version) == 0)
      gtk_drop_down_set_selected (self->version, i);
}

static void
saban_sitrep_dialog_dispose (GObject *object)
{
  SabanSitrepDialog *self = SABAN_SITREP_DIALOG (object);

  g_clear_object (&self->client);
  g_clear_object (&self->scenario);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_SITREP_DIALOG);
  G_OBJECT_CLASS (saban_sitrep_dialog_parent_class)->dispose (object);
}

static void
saban_sitrep_dialog_class_init (SabanSitrepDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = saban_sitrep_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-sitrep-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanSitrepDialog, version);
  gtk_widget_class_bind_template_child (widget_class, SabanSitrepDialog, summary);
  gtk_widget_class_bind_template_callback (widget_class, on_summary_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_response);
}

static void
saban_sitrep_dialog_init (SabanSitrepDialog *self)
{
  g_autoptr(GtkStringList) versions = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; saban_command_report_versions[i] != NULL; i++)
    gtk_string_list_append (versions, saban_command_label_report_version (saban_command_report_versions[i]));
  gtk_drop_down_set_model (self->version, G_LIST_MODEL (versions));
}

/**
 * saban_sitrep_dialog_new:
 * @scenario: the scenario reported on
 *
 * Returns: (transfer floating): the dialog
 */
GtkWidget *
saban_sitrep_dialog_new (GtkWindow *parent, SabanCommandClient *client, SabanCommandItem *scenario)
{
  SabanSitrepDialog *self = g_object_new (SABAN_TYPE_SITREP_DIALOG, "transient-for", parent, NULL);

  self->client = g_object_ref (client);
  self->scenario = g_object_ref (scenario);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), saban_command_item_get_title (scenario));
  return GTK_WIDGET (self);
}
