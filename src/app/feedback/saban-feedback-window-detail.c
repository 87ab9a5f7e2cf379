/* saban-feedback-window-detail.c: the report chosen, and what an operator
 * does with it — its photo (only from the IOC server itself), what and
 * where, its due time, the public reply; the reporter masked, shown only
 * for a purpose the user states (the server records it, Law 91/2025) and
 * only while the report stays chosen; assign to an agency, reply, close
 * with a reply, reopen; merge its likely duplicates into it; launch a
 * scenario from it on the operations map.
 *
 * Handling and unmasking are offered to the roles the server lets do them
 * (operator, coordinator, admin); the server checks every write anyway.
 */
#include "saban-feedback-window-private.h"

#include <glib/gi18n.h>
#include <math.h>

#include "saban-command-labels.h"
#include "saban-feedback-client.h"
#include "saban-feedback-row.h"
#include "saban-format.h"
#include "saban-measure.h"
#include "saban-permission.h"

static const char *const handler_roles[] = { "operator", "coordinator", "admin", NULL };

static gboolean
may_handle (SabanFeedbackWindow *self)
{
  /* a role not known yet is offered everything: the server decides */
  return self->role == NULL || g_strv_contains (handler_roles, self->role);
}

static const SabanFeedbackRequest *
chosen (SabanFeedbackWindow *self)
{
  return self->store != NULL && self->selected >= 0 ? saban_feedback_store_get_request (self->store, self->selected)
                                                     : NULL;
}

/**
 * saban_feedback_window_update_actions:
 *
 * What may be done with the report chosen, by whom.
 */
void
saban_feedback_window_update_actions (SabanFeedbackWindow *self)
{
  const SabanFeedbackRequest *r = chosen (self);
  gboolean handler = may_handle (self) && r != NULL && r->duplicate_of == 0 && self->writes == 0;
  GtkWidget *widget = GTK_WIDGET (self);
  g_autofree char *no_launch = NULL;
  /* launching makes a scenario: the command schema's writers of scenarios only */
  gboolean may_launch = saban_command_label_permission (self->role, "scenarios", NULL, NULL, &no_launch);

  gtk_widget_set_visible (GTK_WIDGET (self->handling_group), may_handle (self));
  gtk_widget_set_visible (self->unmask_button, may_handle (self));
  gtk_widget_action_set_enabled (widget, "feedback.assign", handler && !r->closed);
  gtk_widget_action_set_enabled (widget, "feedback.reply", handler && !r->closed);
  gtk_widget_action_set_enabled (widget, "feedback.close", handler && !r->closed);
  gtk_widget_action_set_enabled (widget, "feedback.reopen", handler && r->closed);
  gtk_widget_action_set_enabled (widget, "feedback.merge", handler);
  gtk_widget_action_set_enabled (widget, "feedback.unmask", may_handle (self) && r != NULL && self->writes == 0);
  gtk_widget_action_set_enabled (widget, "feedback.launch", may_launch && r != NULL && !isnan (r->lat));
  saban_permission_apply (self->launch_button, may_launch, no_launch);
  gtk_widget_set_visible (self->close_button, r != NULL && !r->closed);
  gtk_widget_set_visible (self->reopen_button, r != NULL && r->closed);
}

/* ---- showing -------------------------------------------------------------------------- */

static void
set_row (AdwActionRow *row, const char *text)
{
  adw_action_row_set_subtitle (row, text != NULL && *text != '\0' ? text : "–");
}

static void
set_reporter (SabanFeedbackWindow *self, const char *first, const char *last, const char *phone, const char *email)
{
  g_autofree char *name = g_strjoin (" ", last != NULL ? last : "", first != NULL ? first : "", NULL);

  set_row (self->name_row, g_strstrip (name));
  set_row (self->phone_row, phone);
  set_row (self->email_row, email);
}

static void
photo_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = saban_feedback_photo_finish (result, &error);
  g_autoptr(GdkTexture) texture = NULL;
  SabanFeedbackWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_FEEDBACK_WINDOW (user_data);
  if (bytes == NULL || (texture = gdk_texture_new_from_bytes (bytes, &error)) == NULL)
    {
      g_message ("a report's photo is not shown: %s", error->message);
      return;
    }
  gtk_picture_set_paintable (self->detail_photo, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->detail_photo), TRUE);
}

static void
load_photo (SabanFeedbackWindow *self, const SabanFeedbackRequest *r)
{
  SabanApi *api = saban_session_get_api (self->session);

  g_cancellable_cancel (self->photo_cancellable);
  g_clear_object (&self->photo_cancellable);
  gtk_picture_set_paintable (self->detail_photo, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_photo), FALSE);
  /* a link off the server is never followed: the token stays on it */
  if (r->media_url == NULL || api == NULL || !saban_api_owns_url (api, r->media_url))
    return;
  self->photo_cancellable = g_cancellable_new ();
  saban_feedback_photo_async (api, r->media_url, self->photo_cancellable, photo_read, self);
}

static GtkWidget *
duplicate_row (SabanFeedbackWindow *self, const SabanFeedbackRequest *r, const SabanFeedbackRequest *dup)
{
  GtkWidget *row = adw_action_row_new ();
  double metres = saban_measure_distance (r->lon, r->lat, dup->lon, dup->lat);
  double hours = (dup->requested_us - r->requested_us) / 3.6e9;
  g_autofree char *distance = saban_format_number (metres, 0);
  g_autofree char *gap = saban_format_number (fabs (hours), 1);
  g_autofree char *title = g_strdup_printf ("#%" G_GINT64_FORMAT, dup->id);
  g_autofree char *subtitle = g_strdup_printf (hours >= 0 ? _("%s m away, %s h later") : _("%s m away, %s h earlier"),
                                               distance, gap);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static void
show_duplicates (SabanFeedbackWindow *self, const SabanFeedbackRequest *r)
{
  g_autoptr(GArray) dups = saban_feedback_store_get_duplicates (self->store, self->selected);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->duplicates_list))) != NULL)
    gtk_list_box_remove (self->duplicates_list, child);
  for (guint i = 0; i < dups->len; i++)
    gtk_list_box_append (self->duplicates_list,
                         duplicate_row (self, r, saban_feedback_store_get_request (self->store,
                                                                                  g_array_index (dups, guint, i))));
  gtk_widget_set_visible (GTK_WIDGET (self->duplicates_group), dups->len > 0);
}

/* the report's point marked on the map */
static void
select_point (SabanFeedbackWindow *self)
{
  SabanVectorLayer *points = self->points != NULL ? saban_layer_get_vector (self->points) : NULL;
  const SabanFeatureArrays *a = points != NULL ? saban_vector_layer_get_arrays (points) : NULL;

  for (guint32 f = 0; a != NULL && f < a->n_features; f++)
    if (a->fids[f] == self->selected)
      {
        saban_map_view_select (self->map_view, points, f);
        return;
      }
  saban_map_view_select (self->map_view, NULL, -1);
}

/**
 * saban_feedback_window_show_detail:
 *
 * The report chosen, masked; or the prompt to choose one.
 */
void
saban_feedback_window_show_detail (SabanFeedbackWindow *self)
{
  const SabanFeedbackRequest *r = chosen (self);
  const SabanFeedbackService *service;
  gint64 now = g_get_real_time ();
  g_autofree char *title = NULL, *state = NULL, *received = NULL, *agency = NULL;

  saban_feedback_window_update_actions (self);
  if (r == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      return;
    }
  service = saban_feedback_store_find_service (self->store, r->service_code);
  title = g_strdup_printf ("#%" G_GINT64_FORMAT " · %s", r->id, service != NULL ? service->name : r->service_code);
  state = saban_feedback_describe_timing (r, saban_feedback_store_get_timing (self->store, self->selected, now), now);
  received = saban_format_local_time (r->requested_us, "%H:%M %d/%m/%Y");
  gtk_label_set_text (self->detail_title, title);
  gtk_label_set_text (self->detail_state, state);
  gtk_label_set_text (self->detail_description, r->description != NULL ? r->description : "");
  {
    const char *commune = r->commune >= 0 ? saban_feedback_store_get_commune_name (self->store, r->commune) : NULL;
    g_autofree char *where = g_strdup_printf (_("%s · received %s"), r->address != NULL ? r->address
                                              : commune != NULL ? commune : _("No address"), received);

    set_row (self->address_row, where);
  }
  set_row (self->agency_info_row, r->agency);
  set_row (self->reply_info_row, r->status_notes);
  set_reporter (self, r->first_name, r->last_name, r->phone, r->email);
  adw_preferences_group_set_description (self->reporter_group, _("Personal data, masked (Law 91/2025/QH15)"));
  agency = g_strdup (r->agency);
  for (guint i = 0; agency != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (self->agencies)); i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->agencies, i), agency) == 0)
      adw_combo_row_set_selected (self->agency_row, i);
  show_duplicates (self, r);
  load_photo (self, r);
  select_point (self);
  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
}

/* ---- writes --------------------------------------------------------------------------- */

typedef struct
{
  SabanFeedbackWindow *self;
  char                *done;   /* what to say when it went through */
} Write;

static Write *
write_new (SabanFeedbackWindow *self, const char *done)
{
  Write *w = g_new0 (Write, 1);

  w->self = g_object_ref (self);
  w->done = g_strdup (done);
  self->writes++;
  saban_feedback_window_update_actions (self);
  return w;
}

static void
write_free (Write *w)
{
  w->self->writes--;
  saban_feedback_window_update_actions (w->self);
  g_object_unref (w->self);
  g_free (w->done);
  g_free (w);
}

static void
say_error (SabanFeedbackWindow *self, const GError *error)
{
  g_autofree char *message = error->domain == SABAN_API_ERROR ? saban_api_describe_error (error)
                                                               : g_strdup (error->message);

  saban_feedback_window_toast (self, message);
}

/* the server's answer is the report as it now stands */
static void
written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Write *w = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = saban_feedback_answer_finish (result, &error);
  guint index;

  if (answer == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        say_error (w->self, error);
    }
  else if (w->self->store != NULL && saban_feedback_store_update (w->self->store, answer, &index))
    {
      saban_feedback_window_toast (w->self, w->done);
      saban_feedback_window_report_changed (w->self, index);
    }
  write_free (w);
}

static char *
reply_text (SabanFeedbackWindow *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->reply_view);
  GtkTextIter start, end;
  char *text;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return g_strstrip (text);
}

static void
act (SabanFeedbackWindow *self, SabanFeedbackAction action, const char *done)
{
  const SabanFeedbackRequest *r = chosen (self);
  g_autofree char *note = reply_text (self);
  const char *agency = NULL;

  if (r == NULL)
    return;
  if (action == SABAN_FEEDBACK_ASSIGN)
    {
      guint i = adw_combo_row_get_selected (self->agency_row);

      if (i == GTK_INVALID_LIST_POSITION)
        return;
      agency = gtk_string_list_get_string (self->agencies, i);
    }
  if ((action == SABAN_FEEDBACK_REPLY || action == SABAN_FEEDBACK_CLOSE) && *note == '\0')
    {
      saban_feedback_window_toast (self, _("Write the reply to the citizen first"));
      return;
    }
  saban_feedback_act_async (saban_session_get_api (self->session), r->id, action, *note != '\0' ? note : NULL, agency,
                            self->cancellable, written, write_new (self, done));
  if (action != SABAN_FEEDBACK_ASSIGN)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->reply_view), "", 0);
}

static void
assign_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  act (SABAN_FEEDBACK_WINDOW (widget), SABAN_FEEDBACK_ASSIGN, _("The report is assigned"));
}

static void
reply_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  act (SABAN_FEEDBACK_WINDOW (widget), SABAN_FEEDBACK_REPLY, _("The reply is sent to the citizen"));
}

static void
close_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  act (SABAN_FEEDBACK_WINDOW (widget), SABAN_FEEDBACK_CLOSE, _("The report is closed with the reply"));
}

static void
reopen_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  act (SABAN_FEEDBACK_WINDOW (widget), SABAN_FEEDBACK_REOPEN, _("The report is open again"));
}

/* the merged duplicates as the server now holds them (closed, linked) */
static void
duplicates_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Write *w = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) page = saban_feedback_answer_finish (result, &error);
  GArray *ids = g_object_get_data (G_OBJECT (w->self), "merging");

  if (page == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        say_error (w->self, error);
    }
  else if (w->self->store != NULL && saban_feedback_store_add_page (w->self->store, page, NULL) > 0)
    for (guint i = 0; ids != NULL && i < ids->len; i++)
      {
        guint index;

        if (saban_feedback_store_find (w->self->store, g_array_index (ids, gint64, i), &index))
          saban_feedback_window_report_changed (w->self, index);
      }
  write_free (w);
}

static void
merged (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Write *w = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = saban_feedback_answer_finish (result, &error);
  GArray *ids = g_object_get_data (G_OBJECT (w->self), "merging");
  guint index;

  if (answer == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        say_error (w->self, error);
      write_free (w);
      return;
    }
  if (w->self->store != NULL && saban_feedback_store_update (w->self->store, answer, &index))
    {
      saban_feedback_window_toast (w->self, w->done);
      saban_feedback_window_report_changed (w->self, index);
    }
  saban_feedback_read_async (saban_session_get_api (w->self->session), ids, w->self->cancellable, duplicates_read, w);
}

/* The likely duplicates merged into the report shown: each closed and
 * linked by the server, then read again. */
static void
merge_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  SabanFeedbackWindow *self = SABAN_FEEDBACK_WINDOW (widget);
  const SabanFeedbackRequest *r = chosen (self);
  g_autoptr(GArray) dups = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (r == NULL)
    return;
  dups = saban_feedback_store_get_duplicates (self->store, self->selected);
  for (guint i = 0; i < dups->len; i++)
    g_array_append_val (ids, saban_feedback_store_get_request (self->store, g_array_index (dups, guint, i))->id);
  if (ids->len == 0)
    return;
  g_object_set_data_full (G_OBJECT (self), "merging", g_array_ref (ids), (GDestroyNotify) g_array_unref);
  saban_feedback_merge_async (saban_session_get_api (self->session), r->id, ids, self->cancellable, merged,
                              write_new (self, _("The duplicates are merged into this report")));
}

/* ---- the reporter, for a stated purpose ------------------------------------------------ */

typedef struct
{
  SabanFeedbackWindow *self;
  gint64               id;
} Unmask;

static void
unmasked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Unmask *u = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = saban_feedback_answer_finish (result, &error);
  const SabanFeedbackRequest *r = chosen (u->self);
  JsonObject *o;

  if (answer == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        say_error (u->self, error);
    }
  /* shown only if the same report is still chosen, and kept nowhere else */
  else if (r != NULL && r->id == u->id && JSON_NODE_HOLDS_ARRAY (answer) &&
           json_array_get_length (json_node_get_array (answer)) == 1 &&
           JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (answer), 0)))
    {
      o = json_array_get_object_element (json_node_get_array (answer), 0);
      set_reporter (u->self, json_object_get_string_member_with_default (o, "first_name", NULL),
                    json_object_get_string_member_with_default (o, "last_name", NULL),
                    json_object_get_string_member_with_default (o, "phone", NULL),
                    json_object_get_string_member_with_default (o, "email", NULL));
      adw_preferences_group_set_description (u->self->reporter_group,
                                             _("Shown for the purpose you stated; your access is recorded"));
    }
  u->self->writes--;
  saban_feedback_window_update_actions (u->self);
  g_object_unref (u->self);
  g_free (u);
}

/**
 * saban_feedback_window_unmask:
 * @purpose: why the reporter's data is needed
 *
 * Asks the server for the chosen report's reporter, for @purpose.
 */
void
saban_feedback_window_unmask (SabanFeedbackWindow *self, const char *purpose)
{
  const SabanFeedbackRequest *r = chosen (self);
  Unmask *u;

  if (r == NULL)
    return;
  u = g_new0 (Unmask, 1);
  u->self = g_object_ref (self);
  u->id = r->id;
  self->writes++;
  saban_feedback_window_update_actions (self);
  saban_feedback_unmask_async (saban_session_get_api (self->session), r->id, purpose, self->cancellable, unmasked, u);
}

static void
on_purpose (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  SabanFeedbackWindow *self = SABAN_FEEDBACK_WINDOW (user_data);
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autofree char *purpose = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (g_str_equal (response, "show"))
    saban_feedback_window_unmask (self, purpose);
}

static void
on_purpose_changed (GtkEditable *entry, AdwMessageDialog *dialog)
{
  g_autofree char *purpose = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  /* the server's bounds: 10 to 500 characters */
  adw_message_dialog_set_response_enabled (dialog, "show", g_utf8_strlen (purpose, -1) >= 10 &&
                                                           g_utf8_strlen (purpose, -1) <= 500);
}

/* feedback.unmask: asks why, first */
static void
unmask_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  SabanFeedbackWindow *self = SABAN_FEEDBACK_WINDOW (widget);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Why do you need the reporter’s data?"),
                                              _("The reporter’s name, phone and e-mail are personal data (Law "
                                                "91/2025/QH15). They are shown only for a purpose you state, "
                                                "which is recorded with your account."));
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("e.g. calling the citizen back to locate the flooding"));
  gtk_entry_set_max_length (GTK_ENTRY (entry), 500);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "show", _("_Show"), NULL);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "show", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "show");
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect (entry, "changed", G_CALLBACK (on_purpose_changed), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (on_purpose), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* feedback.launch: the operations map's launch panel, prefilled */
static void
launch_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  SabanFeedbackWindow *self = SABAN_FEEDBACK_WINDOW (widget);
  const SabanFeedbackRequest *r = chosen (self);
  const SabanFeedbackService *service;
  g_autofree char *title = NULL, *id = NULL;

  if (r == NULL || isnan (r->lat))
    return;
  service = saban_feedback_store_find_service (self->store, r->service_code);
  id = g_strdup_printf ("%" G_GINT64_FORMAT, r->id);
  /* TRANSLATORS: a scenario's title: the service, and the report's number */
  title = g_strdup_printf (_("%s — citizen report #%s"), service != NULL ? service->name : r->service_code, id);
  gtk_widget_activate_action (widget, "app.launch-for-report", "(ddss)", r->lat, r->lon, r->service_code, title);
}

/**
 * saban_feedback_window_class_init_detail:
 *
 * The workspace's feedback.* actions for the report chosen.
 */
void
saban_feedback_window_class_init_detail (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "feedback.assign", NULL, assign_action);
  gtk_widget_class_install_action (widget_class, "feedback.reply", NULL, reply_action);
  gtk_widget_class_install_action (widget_class, "feedback.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "feedback.reopen", NULL, reopen_action);
  gtk_widget_class_install_action (widget_class, "feedback.merge", NULL, merge_action);
  gtk_widget_class_install_action (widget_class, "feedback.unmask", NULL, unmask_action);
  gtk_widget_class_install_action (widget_class, "feedback.launch", NULL, launch_action);
}
