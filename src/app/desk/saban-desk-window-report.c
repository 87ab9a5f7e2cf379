/* saban-desk-window-report.c: the meeting report in one click — the month
 * the desk shows, saved where the user chooses, made by core's report
 * engine (the office's template, read from the server, laid out and
 * written in a worker), then opened with the desktop's viewer.
 */
#include "saban-desk-window-private.h"

#include <glib/gi18n.h>

#include "saban-report-fetch.h"

typedef struct
{
  SabanDeskWindow *self;
  GFile           *pdf;
} Report;

static void
report_free (Report *r)
{
  g_object_unref (r->self);
  g_object_unref (r->pdf);
  g_free (r);
}

static void
set_busy (SabanDeskWindow *self, gboolean busy)
{
  self->report_busy = busy;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "desk.report", !busy);
}

static void
viewer_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_message ("the report could not be opened: %s", error->message);
}

static void
report_made (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Report *r = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *period = saban_report_make_finish (result, &error);
  g_autofree char *message = NULL, *uri = NULL, *name = NULL;

  set_busy (r->self, FALSE);
  /* its "making…" gives way at once: toasts are shown one at a time */
  if (r->self->report_toast != NULL)
    adw_toast_dismiss (r->self->report_toast);
  g_clear_object (&r->self->report_toast);
  if (period == NULL)
    {
      message = error->domain == SABAN_API_ERROR ? saban_api_describe_error (error)
                                                  : g_strdup (error->message);
      saban_desk_window_toast (r->self, message);
    }
  else
    {
      name = g_file_get_basename (r->pdf);
      message = g_strdup_printf (_("The meeting report for %s is saved: %s"), period, name);
      saban_desk_window_toast (r->self, message);
      uri = g_file_get_uri (r->pdf);
      g_app_info_launch_default_for_uri_async (uri, NULL, NULL, viewer_done, NULL);
    }
  report_free (r);
}

/**
 * saban_desk_window_make_report:
 * @pdf: where to write it (replaced)
 *
 * Makes the meeting report for the month the desk shows and opens it.
 */
void
saban_desk_window_make_report (SabanDeskWindow *self, GFile *pdf)
{
  SabanApi *api = saban_session_get_api (self->session);
  g_autofree char *path = g_file_get_path (pdf);
  Report *r;
  GDate from, to;

  g_return_if_fail (SABAN_IS_DESK_WINDOW (self));
  if (api == NULL || path == NULL || self->report_busy || self->indicators == NULL)
    return;
  saban_period_get_start (&self->month, &from);
  saban_period_get_end (&self->month, &to);
  r = g_new0 (Report, 1);
  r->self = g_object_ref (self);
  r->pdf = g_object_ref (pdf);
  set_busy (self, TRUE);
  self->report_toast = adw_toast_new (_("Making the meeting report…"));
  adw_toast_set_timeout (self->report_toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (self->report_toast));
  saban_report_make_async (api, &from, &to, path, self->cancellable, report_made, r);
}

gboolean
saban_desk_window_get_report_busy (SabanDeskWindow *self)
{
  return self->report_busy;
}

static void
on_chosen (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  SabanDeskWindow *self = SABAN_DESK_WINDOW (user_data);
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    saban_desk_window_make_report (self, file);
  g_object_unref (chooser);
}

/* desk.report: where to save it, then make it */
static void
report_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SabanDeskWindow *self = SABAN_DESK_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *month = saban_period_to_string (&self->month);
  g_autofree char *name = g_strdup_printf ("bao-cao-giao-ban-%s.pdf", month);

  if (self->indicators == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Save the Meeting Report"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/**
 * saban_desk_window_class_init_report:
 *
 * desk.report (Ctrl+P).
 */
void
saban_desk_window_class_init_report (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "desk.report", NULL, report_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "desk.report", NULL);
}
