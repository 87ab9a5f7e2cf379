/* saban-backups-window.c: Sao lưu dữ liệu — the IOC server's backups as an
 * admin sees them (issue 16): the policy in words, the state in a colour
 * (good, overdue, none yet, off), the history newest first with each
 * attempt's time, kind, size and check, and what it holds table by table
 * on demand; "Back Up Now" and "Check Again", each confirmed first and run
 * on the server while a spinner turns and the header says what is under
 * way (minutes for a large database: the call waits up to an hour, the
 * window stays live), the outcome in a toast.
 *
 * Only an admin's action opens it (app.backups is enabled for that role);
 * the server refuses these routes to any other role all the same, and the
 * window then says so.
 */
#include "saban-backups-window.h"

#include <glib/gi18n.h>

#include "saban-backup-client.h"
#include "saban-format.h"

struct _SabanBackupsWindow
{
  AdwWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkSpinner *spinner;
  GtkLabel *working_label;
  GtkStack *stack;
  AdwStatusPage *error_page;
  GtkLabel *state_label;
  AdwActionRow *last_good_row;
  AdwActionRow *policy_row;
  GtkListBox *history;

  SabanSession *session;
  SabanBackupStatus *status;
  GCancellable *cancellable;
  gboolean reading;    /* the list is being read */
  gboolean working;    /* a backup or a check is being made on the server */
};

G_DEFINE_FINAL_TYPE (SabanBackupsWindow, saban_backups_window, ADW_TYPE_WINDOW)

enum { PROP_0, PROP_SESSION, N_PROPS };

static GParamSpec *properties[N_PROPS];

static char *
describe_error (const GError *error)
{
  return error->domain == SABAN_API_ERROR ? saban_api_describe_error (error) : g_strdup (error->message);
}

static void
update_busy (SabanBackupsWindow *self)
{
  gboolean busy = self->reading || self->working;

  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->working_label), self->working);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backups.refresh", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backups.make", !busy && self->status != NULL &&
                                 saban_backup_status_get_state (self->status) != SABAN_BACKUP_STATE_OFF);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backups.verify", !busy && self->status != NULL);
}

static void
toast (SabanBackupsWindow *self, const char *text)
{
  AdwToast *t = adw_toast_new (text);

  adw_toast_set_timeout (t, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* ---- in words ------------------------------------------------------------------- */

/* "24 giờ", "30 phút": the unit the number is whole in */
static char *
describe_duration (gint64 seconds)
{
  if (seconds > 0 && seconds % 86400 == 0)
    return g_strdup_printf (ngettext ("%d day", "%d days", seconds / 86400), (int) (seconds / 86400));
  if (seconds > 0 && seconds % 3600 == 0)
    return g_strdup_printf (ngettext ("%d hour", "%d hours", seconds / 3600), (int) (seconds / 3600));
  if (seconds > 0 && seconds % 60 == 0)
    return g_strdup_printf (ngettext ("%d minute", "%d minutes", seconds / 60), (int) (seconds / 60));
  return g_strdup_printf (ngettext ("%d second", "%d seconds", seconds), (int) seconds);
}

static char *
describe_size (gint64 bytes)
{
  g_autofree char *number = NULL;

  if (bytes < 0)
    return g_strdup ("?");
  if (bytes < 1024 * 1024)
    {
      number = saban_format_number ((double) bytes / 1024, 0);
      return g_strdup_printf (_("%s KB"), number);
    }
  number = saban_format_number ((double) bytes / (1024 * 1024), 1);
  return g_strdup_printf (_("%s MB"), number);
}

static char *
describe_policy (SabanBackupStatus *status)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *directory = saban_backup_status_get_directory (status);
  gint64 every = saban_backup_status_get_every (status), keep = saban_backup_status_get_keep (status);
  gint64 max_age = saban_backup_status_get_max_age (status);

  if (saban_backup_status_get_state (status) == SABAN_BACKUP_STATE_OFF || directory == NULL)
    return g_strdup (_("Backups are off: the server was started without a backup directory (--backup-dir)."));
  if (every > 0)
    {
      g_autofree char *period = describe_duration (every);

      g_string_append_printf (text, _("A backup every %s, into %s on the server."), period, directory);
    }
  else
    g_string_append_printf (text, _("Backups on request only, into %s on the server."), directory);
  g_string_append_c (text, ' ');
  g_string_append (text, _("Each is restored into a scratch database and checked, table by table."));
  if (keep > 0)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text, ngettext ("The newest %d backup is kept.", "The newest %d backups are kept.", keep),
                              (int) keep);
    }
  if (max_age > 0)
    {
      g_autofree char *age = describe_duration (max_age);

      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("An alarm is raised when the last good backup is older than %s."), age);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
show_state (SabanBackupsWindow *self)
{
  static const char *const classes[] = { "dim-label", "warning", "success", "error" };
  const char *words[] = { C_("backups", "Off"), C_("backups", "None yet"), C_("backups", "Good"),
                          C_("backups", "Overdue") };
  SabanBackupState state = saban_backup_status_get_state (self->status);
  gint64 last_good = saban_backup_status_get_last_good (self->status);
  g_autofree char *policy = describe_policy (self->status);
  g_autofree char *good = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label), classes[state]);
  if (saban_backup_status_get_running (self->status))
    {
      g_autofree char *text = g_strdup_printf (_("%s · a backup is being made"), words[state]);

      gtk_label_set_text (self->state_label, text);
    }
  else
    gtk_label_set_text (self->state_label, words[state]);
  if (last_good != 0)
    {
      g_autofree char *when = saban_format_local_time (last_good, "%d/%m/%Y %H:%M");
      g_autofree char *age = saban_format_age (MAX (saban_backup_status_get_last_good_age (self->status), 0));

      good = g_strdup_printf ("%s (%s)", when, age);
    }
  adw_action_row_set_subtitle (self->last_good_row, good != NULL ? good : _("No backup has been checked good yet"));
  adw_action_row_set_subtitle (self->policy_row, policy);
}

/* ---- the history ---------------------------------------------------------------- */

static char *
describe_check (SabanBackupRecord *b)
{
  g_autofree char *when = NULL;

  if (saban_backup_record_get_pruned (b) != 0)
    return g_strdup (_("deleted under the retention policy"));
  if (saban_backup_record_get_finished (b) == 0)
    return g_strdup (_("being made"));
  when = saban_format_local_time (saban_backup_record_get_verified (b) != 0 ? saban_backup_record_get_verified (b)
                                                                        : saban_backup_record_get_finished (b),
                                  "%d/%m/%Y %H:%M");
  return saban_backup_record_get_ok (b) ? g_strdup_printf (_("restored and checked %s: good"), when)
                                 : g_strdup_printf (_("checked %s: FAILED"), when);
}

static void
add_detail_row (AdwExpanderRow *row, const char *title, const char *subtitle)
{
  GtkWidget *r = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (r), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (r), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (r), 0);
  adw_expander_row_add_row (row, r);
}

/* what one attempt holds, as the server answered when asked */
static void
fill_tables (AdwExpanderRow *row, SabanBackupRecord *b)
{
  g_autofree char *result = NULL;

  if (saban_backup_record_get_ok (b))
    result = g_strdup (_("Restored into a scratch database: every table’s rows and checksum are as when it was made."));
  else
    result = g_strdup_printf (_("The check found a difference (the server says: %s)."),
                              saban_backup_record_get_detail (b) != NULL ? saban_backup_record_get_detail (b) : "?");
  add_detail_row (row, _("Check result"), result);
  add_detail_row (row, _("File on the server"), saban_backup_record_get_file (b) != NULL ? saban_backup_record_get_file (b) : "?");
  for (guint i = 0; i < saban_backup_record_get_n_tables (b); i++)
    {
      const SabanBackupTable *t = saban_backup_record_get_table (b, i);
      g_autofree char *rows = saban_format_number ((double) t->rows, 0);
      g_autofree char *text = g_strdup_printf (_("%s rows · checksum %s"), t->rows >= 0 ? rows : "?", t->checksum);

      add_detail_row (row, t->name, text);
    }
}

static void
tables_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(AdwExpanderRow) row = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanBackupRecord) b = saban_backup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (b == NULL)
    {
      g_autofree char *message = describe_error (error);

      add_detail_row (row, _("What it holds could not be read"), message);
      g_object_set_data (G_OBJECT (row), "filled", NULL);
      return;
    }
  fill_tables (row, b);
}

/* opened the first time: what the attempt holds, read from the server then */
static void
on_expanded (AdwExpanderRow *row, GParamSpec *pspec, SabanBackupsWindow *self)
{
  SabanApi *api = saban_session_get_api (self->session);

  if (!adw_expander_row_get_expanded (row) || g_object_get_data (G_OBJECT (row), "filled") != NULL || api == NULL)
    return;
  g_object_set_data (G_OBJECT (row), "filled", GINT_TO_POINTER (TRUE));
  saban_backup_read_async (api, GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "id")), self->cancellable,
                           tables_read, g_object_ref (row));
}

static GtkWidget *
backup_row (SabanBackupsWindow *self, SabanBackupRecord *b)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (saban_backup_record_get_ok (b) ? "emblem-ok-symbolic"
                                                                          : "dialog-warning-symbolic");
  g_autofree char *title = saban_format_local_time (saban_backup_record_get_started (b), "%d/%m/%Y %H:%M:%S");
  g_autofree char *size = describe_size (saban_backup_record_get_bytes (b));
  g_autofree char *check = describe_check (b);
  g_autofree char *subtitle = NULL;
  const char *kind = g_strcmp0 (saban_backup_record_get_kind (b), "postgresql") == 0 ? "PostgreSQL"
                     : g_strcmp0 (saban_backup_record_get_kind (b), "sqlite") == 0 ? "SQLite" : "?";

  /* TRANSLATORS: a backup: its number, the database kind, its size and its check */
  subtitle = g_strdup_printf (_("No. %d · %s · %s · %s"), (int) saban_backup_record_get_id (b), kind, size, check);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  gtk_widget_add_css_class (icon, saban_backup_record_get_pruned (b) != 0 ? "dim-label"
                                  : saban_backup_record_get_ok (b) ? "success" : "error");
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), icon);
  if (saban_backup_record_get_pruned (b) == 0 && saban_backup_record_get_finished (b) != 0)
    {
      GtkWidget *verify = gtk_button_new_with_mnemonic (_("Check _Again"));

      gtk_widget_set_valign (verify, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (verify, _("Restore this backup into a scratch database again and check it"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (verify), "backups.verify");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (verify), "x", saban_backup_record_get_id (b));
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row), verify);
    }
  g_object_set_data (G_OBJECT (row), "id", GSIZE_TO_POINTER ((gsize) saban_backup_record_get_id (b)));
  g_signal_connect_object (row, "notify::expanded", G_CALLBACK (on_expanded), self, 0);
  return row;
}

/* The list made again from the server's answer; the attempts the admin
 * had opened stay open (and are read again). */
static void
show_history (SabanBackupsWindow *self)
{
  GListModel *backups = saban_backup_status_get_backups (self->status);
  g_autoptr(GHashTable) opened = g_hash_table_new (NULL, NULL);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history))) != NULL)
    {
      if (ADW_IS_EXPANDER_ROW (child) && adw_expander_row_get_expanded (ADW_EXPANDER_ROW (child)))
        g_hash_table_add (opened, g_object_get_data (G_OBJECT (child), "id"));
      gtk_list_box_remove (self->history, child);
    }
  for (guint i = 0; i < g_list_model_get_n_items (backups); i++)
    {
      g_autoptr(SabanBackupRecord) b = g_list_model_get_item (backups, i);
      GtkWidget *row = backup_row (self, b);

      gtk_list_box_append (self->history, row);
      if (g_hash_table_contains (opened, GSIZE_TO_POINTER ((gsize) saban_backup_record_get_id (b))))
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
    }
}

/* ---- reading and asking ------------------------------------------------------------ */

static void
status_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanBackupStatus) status = saban_backups_read_finish (result, &error);
  SabanBackupsWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_BACKUPS_WINDOW (user_data);
  self->reading = FALSE;
  if (status == NULL)
    {
      g_autofree char *message = describe_error (error);

      g_message ("backups: %s", error->message);
      adw_status_page_set_description (self->error_page, message);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else
    {
      g_set_object (&self->status, status);
      show_state (self);
      show_history (self);
      gtk_stack_set_visible_child_name (self->stack, "backups");
    }
  update_busy (self);
}

static void
read_backups (SabanBackupsWindow *self)
{
  SabanApi *api = saban_session_get_api (self->session);

  if (self->reading || api == NULL)
    return;
  self->reading = TRUE;
  update_busy (self);
  saban_backups_read_async (api, self->cancellable, status_read, self);
}

static void
refresh_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  read_backups (SABAN_BACKUPS_WINDOW (widget));
}

/* a backup made or checked again: the outcome in a toast, the list read again */
static void
backup_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanBackupRecord) b = saban_backup_finish (result, &error);
  SabanBackupsWindow *self;
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_BACKUPS_WINDOW (user_data);
  self->working = FALSE;
  if (b == NULL)
    text = describe_error (error);
  else if (saban_backup_record_get_ok (b))
    text = g_strdup_printf (_("Backup no. %d restored and checked: good"), (int) saban_backup_record_get_id (b));
  else
    text = g_strdup_printf (_("Backup no. %d FAILED its check: %s"), (int) saban_backup_record_get_id (b),
                            saban_backup_record_get_detail (b) != NULL ? saban_backup_record_get_detail (b) : "?");
  toast (self, text);
  update_busy (self);
  read_backups (self);
}

static void
on_confirmed (AdwMessageDialog *dialog, const char *response, SabanBackupsWindow *self)
{
  SabanApi *api = saban_session_get_api (self->session);
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "id"));

  if (g_strcmp0 (response, "go") != 0 || self->working || api == NULL)
    return;
  self->working = TRUE;
  gtk_label_set_text (self->working_label, id == 0 ? _("Backing up…") : _("Checking the backup…"));
  update_busy (self);
  if (id == 0)
    saban_backup_make_async (api, self->cancellable, backup_done, self);
  else
    saban_backup_verify_async (api, id, self->cancellable, backup_done, self);
}

static void
confirm (SabanBackupsWindow *self, gint64 id, const char *heading, const char *body, const char *go)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "go", go, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "go", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "go");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "id", GSIZE_TO_POINTER ((gsize) id));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
make_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  confirm (SABAN_BACKUPS_WINDOW (widget), 0, _("Back up now?"),
           _("The server copies its database now, restores the copy into a scratch database and checks every "
             "table. The control room keeps working meanwhile; a large database takes a few minutes."),
           _("_Back Up Now"));
}

static void
verify_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  gint64 id = g_variant_get_int64 (parameter);
  g_autofree char *heading = g_strdup_printf (_("Check backup no. %d again?"), (int) id);

  if (id <= 0)
    return;
  confirm (SABAN_BACKUPS_WINDOW (widget), id, heading,
           _("The server restores this backup into a scratch database again and compares every table with what it "
             "held when it was made: a file damaged on disk since is found."),
           _("Check _Again"));
}

/* ---- the type --------------------------------------------------------------------- */

static void
saban_backups_window_constructed (GObject *object)
{
  SabanBackupsWindow *self = SABAN_BACKUPS_WINDOW (object);

  G_OBJECT_CLASS (saban_backups_window_parent_class)->constructed (object);
  update_busy (self);
  read_backups (self);
}

static void
saban_backups_window_dispose (GObject *object)
{
  SabanBackupsWindow *self = SABAN_BACKUPS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_BACKUPS_WINDOW);
  G_OBJECT_CLASS (saban_backups_window_parent_class)->dispose (object);
}

static void
saban_backups_window_finalize (GObject *object)
{
  SabanBackupsWindow *self = SABAN_BACKUPS_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->status);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (saban_backups_window_parent_class)->finalize (object);
}

static void
saban_backups_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SabanBackupsWindow *self = SABAN_BACKUPS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_backups_window_class_init (SabanBackupsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = saban_backups_window_constructed;
  object_class->dispose = saban_backups_window_dispose;
  object_class->finalize = saban_backups_window_finalize;
  object_class->set_property = saban_backups_window_set_property;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, SABAN_TYPE_SESSION,
                                                  G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-backups-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanBackupsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SabanBackupsWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, SabanBackupsWindow, working_label);
  gtk_widget_class_bind_template_child (widget_class, SabanBackupsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SabanBackupsWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, SabanBackupsWindow, state_label);
  gtk_widget_class_bind_template_child (widget_class, SabanBackupsWindow, last_good_row);
  gtk_widget_class_bind_template_child (widget_class, SabanBackupsWindow, policy_row);
  gtk_widget_class_bind_template_child (widget_class, SabanBackupsWindow, history);

  gtk_widget_class_install_action (widget_class, "backups.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "backups.make", NULL, make_action);
  gtk_widget_class_install_action (widget_class, "backups.verify", "x", verify_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "backups.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
saban_backups_window_init (SabanBackupsWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * saban_backups_window_show:
 * @session: the signed-in admin's session
 *
 * Presents the application's backups window for @session (made the first
 * time; read again when presented again).
 *
 * Returns: (transfer none): the window
 */
SabanBackupsWindow *
saban_backups_window_show (GtkApplication *application, SabanSession *session)
{
  SabanBackupsWindow *self = NULL;

  for (GList *l = application != NULL ? gtk_application_get_windows (application) : NULL; l != NULL; l = l->next)
    if (SABAN_IS_BACKUPS_WINDOW (l->data) && SABAN_BACKUPS_WINDOW (l->data)->session == session)
      self = l->data;
  if (self == NULL)
    self = g_object_new (SABAN_TYPE_BACKUPS_WINDOW, "application", application, "session", session, NULL);
  else
    read_backups (self);
  gtk_window_present (GTK_WINDOW (self));
  return self;
}

/**
 * saban_backups_window_get_busy:
 *
 * Returns: whether the list is being read or a backup or a check is being
 *   made on the server
 */
gboolean
saban_backups_window_get_busy (SabanBackupsWindow *self)
{
  return self->reading || self->working;
}

/**
 * saban_backups_window_get_status:
 *
 * Returns: (transfer none) (nullable): the backups as last read
 */
SabanBackupStatus *
saban_backups_window_get_status (SabanBackupsWindow *self)
{
  return self->status;
}
