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
  G_OBJECT_CLASS (saban_sitrep_dialog_parent_class)->dispose (object);
}

static void
saban_sitrep_dialog_class_init (SabanSitrepDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = saban_sitrep_dialog_dispose;
}

static void
saban_sitrep_dialog_init (SabanSitrepDialog *self)
{
  g_autoptr(GtkStringList) versions = gtk_string_list_new (NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (_("Report version"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  for (guint i = 0; saban_command_report_versions[i] != NULL; i++)
    gtk_string_list_append (versions, saban_command_label_report_version (saban_command_report_versions[i]));
  self->version = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&versions)), NULL));
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->version));
  gtk_box_append (GTK_BOX (box), row);

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_widget_set_tooltip_text (view, _("What has happened, what is being done, what is needed"));
  self->summary = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  g_signal_connect_swapped (self->summary, "changed", G_CALLBACK (on_summary_changed), self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 160);
  gtk_widget_add_css_class (scrolled, "card");
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), box);

  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), _("Situation Report"));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self), "cancel", _("_Cancel"), "send", _("_Send Report"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "send", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "send", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "send");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");
  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);
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
