/* saban-sitrep-dialog.c: writing a situation report (báo cáo tình hình)
 * for a scenario — an editor, not a note: its version, the figures read
 * from the IOC's data now, and the report's text, first written from a
 * template with those figures, which the author then edits.
 *
 * The figures: the people living in the scenario's area (SabanImpact over
 * the session's layers: commune population × the share of its area, in a
 * worker thread), the tasks completed and overdue (the command store), the
 * stations in alarm inside the area (the impact's sensors), the agencies
 * and units its open tasks are given to. Each can be corrected before the
 * text is filled in again; the text is never overwritten once the author
 * has typed in it, except by "Fill In the Report". The figures go with the
 * report (casualties.affected, resourcesCommitted, forTimePeriod).
 */
#include "saban-sitrep-dialog.h"

#include <glib/gi18n.h>

#include "saban-command-labels.h"
#include "saban-format.h"
#include "saban-impact.h"
#include "saban-scenario-area.h"

struct _SabanSitrepDialog
{
  AdwWindow           parent_instance;

  AdwWindowTitle     *window_title;
  GtkWidget          *send_button;
  GtkDropDown        *version;
  GtkSpinner         *spinner;
  GtkSpinButton      *people_spin;
  GtkSpinButton      *done_spin;
  GtkSpinButton      *overdue_spin;
  GtkSpinButton      *alarms_spin;
  AdwEntryRow        *resources_row;
  GtkTextBuffer      *summary;

  SabanSession       *session;
  SabanCommandClient *client;
  SabanCommandItem   *scenario;
  SabanTaskFigures    tasks;
  GCancellable       *cancellable;
  gboolean            filling;   /* the text is being written by the template */
  gboolean            edited;    /* the author typed in it */
};

enum { PROP_0, PROP_BUSY, N_PROPS };

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SabanSitrepDialog, saban_sitrep_dialog, ADW_TYPE_WINDOW)

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

  self->edited |= !self->filling;
  gtk_widget_set_sensitive (self->send_button, *text != '\0');
}

static guint
spin_value (GtkSpinButton *spin)
{
  return (guint) gtk_spin_button_get_value_as_int (spin);
}

/**
 * saban_sitrep_dialog_fill_summary:
 *
 * Writes the report's text from the template with the figures as they
 * stand in the dialog, replacing what was there.
 */
void
saban_sitrep_dialog_fill_summary (SabanSitrepDialog *self)
{
  g_autofree char *now = saban_format_local_time (g_get_real_time (), "%H:%M %d/%m/%Y");
  g_autofree char *people = saban_format_number (spin_value (self->people_spin), 0);
  const char *resources = gtk_editable_get_text (GTK_EDITABLE (self->resources_row));
  GString *text = g_string_new (NULL);

  g_return_if_fail (SABAN_IS_SITREP_DIALOG (self));

  g_string_append_printf (text, _("%s — situation as of %s."), saban_command_item_get_title (self->scenario), now);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("About %s people live in the affected area."), people);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Tasks: %u of %u completed, %u overdue, %u under way."), spin_value (self->done_spin),
                          self->tasks.total, spin_value (self->overdue_spin), self->tasks.open);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Stations in alarm in the area: %u."), spin_value (self->alarms_spin));
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Resources committed: %s."), *resources != '\0' ? resources : _("none yet"));
  g_string_append (text, "\n\n");
  g_string_append (text, _("Assessment and requests: "));
  self->filling = TRUE;
  gtk_text_buffer_set_text (self->summary, text->str, -1);
  self->filling = FALSE;
  self->edited = FALSE;
  g_string_free (text, TRUE);
}

/* the template follows the figures until the author writes */
static void
refill (SabanSitrepDialog *self)
{
  if (!self->edited)
    saban_sitrep_dialog_fill_summary (self);
}

static void
impact_done (GObject *source, GAsyncResult *result, gpointer data)
{
  SabanImpact *impact = SABAN_IMPACT (source);
  g_autoptr(GError) error = NULL;
  SabanSitrepDialog *self;
  guint n_sensors = 0;

  if (!saban_impact_compute_finish (impact, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_SITREP_DIALOG (data);
  gtk_spinner_stop (self->spinner);
  if (error != NULL)
    /* no layers of the province here: the author gives the figure */
    g_message ("situation report figures: %s", error->message);
  else
    {
      saban_impact_get_sensors (impact, &n_sensors);
      gtk_spin_button_set_value (self->people_spin, saban_impact_get_population_affected (impact));
      gtk_spin_button_set_value (self->alarms_spin, n_sensors);
    }
  refill (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* who lives in the area and which stations in it are in alarm: read in a
 * worker thread from the session's layers and sensors */
static void
compute_impact (SabanSitrepDialog *self)
{
  g_autofree char *wkt = saban_scenario_area_to_wkt (saban_command_item_get_geometry (self->scenario), NULL);
  g_autoptr(SabanImpactArea) area = wkt != NULL ? saban_impact_area_new_from_wkt (wkt, NULL) : NULL;
  g_autoptr(GPtrArray) layers = saban_layer_model_dup_vectors (saban_session_get_layers (self->session));
  g_autoptr(SabanImpact) impact = NULL;

  if (area == NULL)
    return;
  impact = saban_impact_new (area, layers);
  if (saban_session_get_sensor_store (self->session) != NULL)
    saban_impact_set_sensors (impact, saban_session_get_sensor_store (self->session));
  gtk_spinner_start (self->spinner);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  saban_impact_compute_async (impact, self->cancellable, impact_done, self);
}

/* what the command store knows at once: the tasks and who they are given to */
static void
read_figures (SabanSitrepDialog *self)
{
  SabanCommandStore *store = saban_command_client_get_store (self->client);
  gint64 id = saban_command_item_get_id (self->scenario);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_auto(GStrv) assignees = saban_command_store_dup_assignees (store, id);
  g_autofree char *resources = g_strjoinv ("; ", assignees);

  saban_command_store_count_tasks (store, id, now, &self->tasks);
  gtk_spin_button_set_value (self->done_spin, self->tasks.completed);
  gtk_spin_button_set_value (self->overdue_spin, self->tasks.overdue);
  gtk_editable_set_text (GTK_EDITABLE (self->resources_row), resources);
}

/* the figures as the report carries them */
static JsonObject *
figures_json (SabanSitrepDialog *self)
{
  JsonObject *extra = json_object_new ();
  JsonObject *casualties = json_object_new ();
  JsonObject *period = json_object_new ();
  JsonArray *resources = json_array_new ();
  g_auto(GStrv) names = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->resources_row)), ";", -1);
  gint64 from = saban_command_item_get_time (self->scenario, "activatedAt");
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc ((from > 0 ? from : saban_command_item_get_time (self->scenario, "created"))
                                                              / G_USEC_PER_SEC);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *start_text = start != NULL ? g_date_time_format_iso8601 (start) : NULL;
  g_autofree char *now_text = g_date_time_format_iso8601 (now);

  json_object_set_int_member (casualties, "affected", spin_value (self->people_spin));
  json_object_set_object_member (extra, "casualties", casualties);
  for (guint i = 0; names[i] != NULL; i++)
    if (*g_strstrip (names[i]) != '\0')
      json_array_add_string_element (resources, names[i]);
  json_object_set_array_member (extra, "resourcesCommitted", resources);
  if (start_text != NULL)
    json_object_set_string_member (period, "from", start_text);
  json_object_set_string_member (period, "to", now_text);
  json_object_set_object_member (extra, "forTimePeriod", period);
  return extra;
}

/**
 * saban_sitrep_dialog_send:
 *
 * What "Send Report" does: queues the report with its figures (pending
 * until the server has it) and closes; a refusal is said in a dialog.
 *
 * Returns: (transfer none) (nullable): the report
 */
SabanCommandItem *
saban_sitrep_dialog_send (SabanSitrepDialog *self)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) extra = NULL;
  g_autoptr(GError) error = NULL;
  SabanCommandItem *sitrep;

  g_return_val_if_fail (SABAN_IS_SITREP_DIALOG (self), NULL);

  text = summary_text (self);
  if (*text == '\0')
    return NULL;
  extra = figures_json (self);
  sitrep = saban_command_client_create_sitrep (self->client, self->scenario, text,
                                               saban_command_report_versions[gtk_drop_down_get_selected (self->version)],
                                               extra, &error);
  if (sitrep == NULL)
    {
      GtkWidget *message = adw_message_dialog_new (GTK_WINDOW (self), _("The report was not sent"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (message), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (message));
      return NULL;
    }
  gtk_window_close (GTK_WINDOW (self));
  return sitrep;
}

/**
 * saban_sitrep_dialog_get_summary:
 *
 * Returns: (transfer full): the report's text as it stands
 */
char *
saban_sitrep_dialog_get_summary (SabanSitrepDialog *self)
{
  g_return_val_if_fail (SABAN_IS_SITREP_DIALOG (self), NULL);
  return summary_text (self);
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

/**
 * saban_sitrep_dialog_get_busy:
 *
 * Returns: whether the figures of the area are still being read
 */
gboolean
saban_sitrep_dialog_get_busy (SabanSitrepDialog *self)
{
  g_return_val_if_fail (SABAN_IS_SITREP_DIALOG (self), FALSE);

  return gtk_spinner_get_spinning (self->spinner);
}

static void
saban_sitrep_dialog_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, saban_sitrep_dialog_get_busy (SABAN_SITREP_DIALOG (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_sitrep_dialog_dispose (GObject *object)
{
  SabanSitrepDialog *self = SABAN_SITREP_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->session);
  g_clear_object (&self->scenario);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_SITREP_DIALOG);
  G_OBJECT_CLASS (saban_sitrep_dialog_parent_class)->dispose (object);
}

static void
saban_sitrep_dialog_class_init (SabanSitrepDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = saban_sitrep_dialog_dispose;
  object_class->get_property = saban_sitrep_dialog_get_property;

  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-sitrep-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanSitrepDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SabanSitrepDialog, send_button);
  gtk_widget_class_bind_template_child (widget_class, SabanSitrepDialog, version);
  gtk_widget_class_bind_template_child (widget_class, SabanSitrepDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, SabanSitrepDialog, people_spin);
  gtk_widget_class_bind_template_child (widget_class, SabanSitrepDialog, done_spin);
  gtk_widget_class_bind_template_child (widget_class, SabanSitrepDialog, overdue_spin);
  gtk_widget_class_bind_template_child (widget_class, SabanSitrepDialog, alarms_spin);
  gtk_widget_class_bind_template_child (widget_class, SabanSitrepDialog, resources_row);
  gtk_widget_class_bind_template_child (widget_class, SabanSitrepDialog, summary);
  gtk_widget_class_bind_template_callback (widget_class, on_summary_changed);
  gtk_widget_class_bind_template_callback (widget_class, saban_sitrep_dialog_send);
  gtk_widget_class_bind_template_callback (widget_class, saban_sitrep_dialog_fill_summary);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
saban_sitrep_dialog_init (SabanSitrepDialog *self)
{
  g_autoptr(GtkStringList) versions = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  for (guint i = 0; saban_command_report_versions[i] != NULL; i++)
    gtk_string_list_append (versions, saban_command_label_report_version (saban_command_report_versions[i]));
  gtk_drop_down_set_model (self->version, G_LIST_MODEL (versions));
}

/**
 * saban_sitrep_dialog_new:
 * @session: the session (its command client, layers and sensors)
 * @scenario: the scenario reported on
 *
 * Returns: (transfer floating): the editor, its figures read and its text
 *   written from them (the area's figures a moment later)
 */
GtkWidget *
saban_sitrep_dialog_new (GtkWindow *parent, SabanSession *session, SabanCommandItem *scenario)
{
  SabanSitrepDialog *self;

  g_return_val_if_fail (saban_session_get_command_client (session) != NULL, NULL);

  self = g_object_new (SABAN_TYPE_SITREP_DIALOG, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  self->client = g_object_ref (saban_session_get_command_client (session));
  self->scenario = g_object_ref (scenario);
  adw_window_title_set_subtitle (self->window_title, saban_command_item_get_title (scenario));
  read_figures (self);
  saban_sitrep_dialog_fill_summary (self);
  compute_impact (self);
  return GTK_WIDGET (self);
}
