/* saban-conflict-dialog.c: someone changed an item after the user's change
 * was based on it (412). Both versions side by side, field by field — the
 * user's and the server's, with who changed it last and when if the log
 * says — and two ways out: keep mine (sent again over their version) or
 * take theirs (mine is dropped). "Later" leaves the conflict listed (the
 * status bar offers it again); nothing is decided without the user.
 */
#include "saban-conflict-dialog.h"

#include <glib/gi18n.h>

#include "saban-command-labels.h"
#include "saban-command-log.h"

struct _SabanConflictDialog
{
  AdwMessageDialog parent_instance;

  GtkGrid              *table;
  SabanCommandClient   *client;
  SabanCommandConflict *conflict;
  gboolean              answered;
};

G_DEFINE_FINAL_TYPE (SabanConflictDialog, saban_conflict_dialog, ADW_TYPE_MESSAGE_DIALOG)

static const char *
field_label (const char *name)
{
  static const struct { const char *name; const char *label; } fields[] = {
    { "title", N_("Title") },
    { "status", N_("Status") },
    { "assignee", N_("Assignee") },
    { "priority", N_("Priority") },
    { "dueAt", N_("Due") },
    { "instructions", N_("Instructions") },
    { "kind", N_("Kind") },
    { "progress", N_("Progress") },
    { "outcome", N_("Outcome") },
    { "description", N_("Description") },
    { "severity", N_("Severity") },
    { "commander", N_("Commander") },
    { "geometry", N_("Place") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (fields[i].name, name))
      return _(fields[i].label);
  return name;
}

/* a property's value as the user reads it */
static char *
value_text (SabanCommandCollection collection, const char *name, JsonNode *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return g_strdup ("—");
  if (JSON_NODE_HOLDS_OBJECT (value))
    {
      JsonObject *o = json_node_get_object (value);
      const char *label = json_object_get_string_member_with_default (o, "name", NULL);
      const char *type = json_object_get_string_member_with_default (o, "type", NULL);

      if (label != NULL)
        return g_strdup (label);
      if (type != NULL)
        return g_strdup (type);
      return json_to_string (value, FALSE);
    }
  if (JSON_NODE_HOLDS_ARRAY (value))
    return json_to_string (value, FALSE);
  if (json_node_get_value_type (value) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (value);

      if (g_str_equal (name, "status"))
        return g_strdup (saban_command_label_status (collection, text));
      if (g_str_equal (name, "kind"))
        return g_strdup (saban_command_label_kind (text));
      if (g_str_equal (name, "severity"))
        return g_strdup (saban_command_label_severity (text));
      if (g_str_has_suffix (name, "At"))
        {
          g_autoptr(GDateTime) t = g_date_time_new_from_iso8601 (text, NULL);
          if (t != NULL)
            return saban_command_label_time (g_date_time_to_unix (t) * G_USEC_PER_SEC);
        }
      return g_strdup (text);
    }
  if (json_node_get_value_type (value) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
  return json_to_string (value, FALSE);
}

static JsonObject *
properties_of (JsonNode *feature)
{
  JsonNode *p;

  if (feature == NULL || !JSON_NODE_HOLDS_OBJECT (feature))
    return NULL;
  p = json_object_get_member (json_node_get_object (feature), "properties");
  return p != NULL && JSON_NODE_HOLDS_OBJECT (p) ? json_node_get_object (p) : NULL;
}

static GtkWidget *
cell (const char *text, const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/* one row per field the user changed: name, mine, theirs */
static void
fill_table (SabanConflictDialog *self)
{
  SabanCommandCollection collection = saban_command_conflict_get_collection (self->conflict);
  JsonNode *mine = saban_command_conflict_get_mine (self->conflict);
  JsonNode *theirs = saban_command_conflict_get_theirs (self->conflict);
  JsonObject *my_props = properties_of (mine), *their_props = properties_of (theirs);
  GtkGrid *grid = self->table;
  int row = 1;

  if (my_props != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, my_props);
      while (json_object_iter_next (&iter, &name, &value))
        {
          JsonNode *other = their_props != NULL ? json_object_get_member (their_props, name) : NULL;
          g_autofree char *a = value_text (collection, name, value);
          g_autofree char *b = value_text (collection, name, other);
          const char *differs = g_strcmp0 (a, b) != 0 ? "warning" : NULL;

          gtk_grid_attach (grid, cell (field_label (name), "dim-label"), 0, row, 1, 1);
          gtk_grid_attach (grid, cell (a, NULL), 1, row, 1, 1);
          gtk_grid_attach (grid, cell (b, differs), 2, row, 1, 1);
          row++;
        }
    }
  if (mine != NULL && JSON_NODE_HOLDS_OBJECT (mine) &&
      json_object_has_member (json_node_get_object (mine), "geometry"))
    {
      gtk_grid_attach (grid, cell (field_label ("geometry"), "dim-label"), 0, row, 1, 1);
      gtk_grid_attach (grid, cell (_("changed"), NULL), 1, row, 1, 1);
      gtk_grid_attach (grid, cell (_("as on the server"), NULL), 2, row, 1, 1);
    }
}

static void
describe (SabanConflictDialog *self)
{
  SabanCommandStore *store = saban_command_client_get_store (self->client);
  SabanCommandItem *item = saban_command_store_lookup (store, saban_command_conflict_get_collection (self->conflict),
                                                       saban_command_conflict_get_id (self->conflict));
  JsonObject *their_props = properties_of (saban_command_conflict_get_theirs (self->conflict));
  const char *title = item != NULL ? saban_command_item_get_title (item)
                      : their_props != NULL ? json_object_get_string_member_with_default (their_props, "title", "")
                      : "";
  SabanCommandItem *last = item != NULL ? saban_command_log_last_change (store, item) : NULL;
  g_autofree char *mine_v = g_strdup_printf ("%" G_GINT64_FORMAT, saban_command_conflict_get_mine_version (self->conflict));
  g_autofree char *theirs_v = g_strdup_printf ("%" G_GINT64_FORMAT,
                                               saban_command_conflict_get_theirs_version (self->conflict));
  g_autofree char *body = NULL;

  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (self), _("“%s” was changed by someone else"), title);
  if (last != NULL && saban_command_item_get_string (last, "actor") != NULL)
    {
      g_autofree char *when = saban_command_label_time (saban_command_item_get_time (last, "at"));
      body = g_strdup_printf (_("Your change was made on version %s. The server now has version %s, last changed "
                                "by %s at %s. Choose which to keep."),
                              mine_v, theirs_v, saban_command_item_get_string (last, "actor"), when);
    }
  else
    body = g_strdup_printf (_("Your change was made on version %s. The server now has version %s. Choose which to "
                              "keep."), mine_v, theirs_v);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
}

static void
on_response (SabanConflictDialog *self, const char *response)
{
  self->answered = TRUE;
  if (g_strcmp0 (response, "mine") == 0)
    saban_command_client_keep_mine (self->client, self->conflict);
  else if (g_strcmp0 (response, "theirs") == 0)
    saban_command_client_take_theirs (self->client, self->conflict);
}

/* who changed it last comes from the log, whose entries are fetched after
 * their notices: one arriving after the 412 completes the sentence */
static void
on_item_changed (SabanConflictDialog *self, SabanCommandItem *item)
{
  if (saban_command_item_get_collection (item) == SABAN_COMMAND_LOG)
    describe (self);
}

/* resolved elsewhere (another dialog, another window): nothing left to ask */
static void
on_conflicts_changed (SabanConflictDialog *self)
{
  if (!self->answered &&
      !g_list_store_find (G_LIST_STORE (saban_command_client_get_conflicts (self->client)), self->conflict, NULL))
    gtk_window_close (GTK_WINDOW (self));
}

static void
saban_conflict_dialog_dispose (GObject *object)
{
  SabanConflictDialog *self = SABAN_CONFLICT_DIALOG (object);

  g_clear_object (&self->client);
  g_clear_object (&self->conflict);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_CONFLICT_DIALOG);
  G_OBJECT_CLASS (saban_conflict_dialog_parent_class)->dispose (object);
}

static void
saban_conflict_dialog_class_init (SabanConflictDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = saban_conflict_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-conflict-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanConflictDialog, table);
  gtk_widget_class_bind_template_callback (widget_class, on_response);
}

static void
saban_conflict_dialog_init (SabanConflictDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * saban_conflict_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @conflict: the conflict to resolve
 *
 * Returns: (transfer floating): the dialog
 */
GtkWidget *
saban_conflict_dialog_new (GtkWindow *parent, SabanCommandClient *client, SabanCommandConflict *conflict)
{
  SabanConflictDialog *self = g_object_new (SABAN_TYPE_CONFLICT_DIALOG, "transient-for", parent, NULL);

  self->client = g_object_ref (client);
  self->conflict = g_object_ref (conflict);
  describe (self);
  fill_table (self);
  g_signal_connect_object (saban_command_client_get_conflicts (client), "items-changed",
                           G_CALLBACK (on_conflicts_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (saban_command_client_get_store (client), "item-changed",
                           G_CALLBACK (on_item_changed), self, G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}

/**
 * saban_conflict_dialog_get_conflict:
 * Returns: (transfer none): the conflict shown
 */
SabanCommandConflict *
saban_conflict_dialog_get_conflict (SabanConflictDialog *self)
{
  g_return_val_if_fail (SABAN_IS_CONFLICT_DIALOG (self), NULL);
  return self->conflict;
}
