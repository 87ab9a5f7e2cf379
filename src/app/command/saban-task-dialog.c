/* saban-task-dialog.c: dispatching a task to a scenario — an item of its
 * playbook's checklist, or a task written by hand (title, instructions,
 * kind, priority, due time, place, assignee) — and, for a task without
 * one, choosing who does it before it is assigned.
 *
 * Dispatching means giving to someone: a checklist item's "Dispatch" asks
 * who (its own agency first), and the task is created and assigned at once
 * (it lands in "Assigned", not "Waiting"); a task written by hand with an
 * assignee too. Items of the checklist already dispatched for the scenario
 * say so and are not offered again.
 *
 * Assignees offered: the scenario's lead agency and agencies, the agencies
 * of its playbook's checklist, and the responder units on duty (the live
 * units of SensorThings: assigned as {type "unit", id its code or Thing id,
 * name}), nearest first, with their distance from the task's place or the
 * scenario's area; any other unit can be typed. The place is typed, or
 * picked on the map of the session's main window: the dialog steps aside
 * until it is picked or given up.
 */
#include "saban-task-dialog.h"

#include <glib/gi18n.h>
#include <math.h>

#include "saban-command-labels.h"
#include "saban-coordinate.h"
#include "saban-format.h"
#include "saban-scenario-area.h"

struct _SabanTaskDialog
{
  AdwWindow parent_instance;

  GtkWidget       *submit_button;
  GtkLabel        *error_label;
  AdwPreferencesGroup *checklist_group;
  GtkWidget       *manual_group;
  AdwEntryRow     *title_row;
  AdwEntryRow     *instructions_row;
  AdwComboRow     *kind_row;
  GtkSpinButton   *priority_spin;
  GtkSpinButton   *due_spin;
  AdwEntryRow     *place_row;
  GtkWidget       *pick_button;
  GtkComboBoxText *assignee_combo;
  AdwPreferencesGroup *assignee_group;

  SabanSession       *session;
  SabanCommandClient *client;
  SabanCommandItem   *scenario;
  SabanCommandItem   *playbook;   /* nullable */
  SabanCommandItem   *task;       /* assigning an existing task */
  GHashTable         *agencies;   /* names offered as agencies */
  GHashTable         *units;      /* text offered → Unit */
  GPtrArray          *offered;    /* every text offered, in order: agencies, then units nearest first */
  GPtrArray          *checklist_buttons;
  GCancellable       *cancellable;
};

typedef struct
{
  char   *id;         /* its code, else its Thing id */
  char   *name;
  char   *text;       /* as offered */
  double  distance;   /* m from the task or the scenario, NAN if unknown */
} Unit;

static void
unit_free (gpointer data)
{
  Unit *unit = data;

  g_free (unit->id);
  g_free (unit->name);
  g_free (unit->text);
  g_free (unit);
}

enum { PROP_0, PROP_SESSION, N_PROPS };

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SabanTaskDialog, saban_task_dialog, ADW_TYPE_WINDOW)

static void
show_error (SabanTaskDialog *self, const char *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
offer_agency (SabanTaskDialog *self, const char *name)
{
  if (name == NULL || *name == '\0' || g_hash_table_contains (self->agencies, name))
    return;
  g_hash_table_add (self->agencies, g_strdup (name));
  gtk_combo_box_text_append_text (self->assignee_combo, name);
  g_ptr_array_add (self->offered, g_strdup (name));
}

static int
nearest_first (gconstpointer a, gconstpointer b)
{
  const Unit *x = *(Unit *const *) a, *y = *(Unit *const *) b;

  if (isnan (x->distance) || isnan (y->distance))
    return isnan (x->distance) - isnan (y->distance);
  return x->distance < y->distance ? -1 : x->distance > y->distance;
}

/* the live responder units, nearest to (@lon, @lat) first, as "name
 * (code) · 1,5 km" */
static void
offer_units (SabanTaskDialog *self, SabanUnitStore *store, double lon, double lat)
{
  g_autoptr(GPtrArray) units = g_ptr_array_new ();

  for (guint i = 0; store != NULL && i < saban_unit_store_get_n_units (store); i++)
    {
      const SabanUnit *u = saban_unit_store_get_unit (store, i);
      Unit *unit = g_new0 (Unit, 1);

      unit->id = u->code != NULL ? g_strdup (u->code) : g_strdup_printf ("%" G_GINT64_FORMAT, u->thing_id);
      unit->name = g_strdup (u->name != NULL ? u->name : unit->id);
      unit->distance = isnan (lon) ? NAN : saban_unit_store_distance_to (store, unit->id, lon, lat);
      g_ptr_array_add (units, unit);
    }
  g_ptr_array_sort (units, nearest_first);
  for (guint i = 0; i < units->len; i++)
    {
      Unit *unit = g_ptr_array_index (units, i);
      g_autofree char *named = g_strcmp0 (unit->id, unit->name) != 0 ? g_strdup_printf ("%s (%s)", unit->name, unit->id)
                                                                      : g_strdup (unit->name);
      g_autofree char *distance = isnan (unit->distance) ? NULL : saban_format_length (unit->distance);

      unit->text = distance != NULL ? g_strdup_printf ("%s · %s", named, distance) : g_steal_pointer (&named);
      if (g_hash_table_contains (self->agencies, unit->text) || g_hash_table_contains (self->units, unit->text))
        {
          unit_free (unit);
          continue;
        }
      gtk_combo_box_text_append_text (self->assignee_combo, unit->text);
      g_ptr_array_add (self->offered, g_strdup (unit->text));
      g_hash_table_insert (self->units, g_strdup (unit->text), unit);
    }
}

static JsonArray *
checklist (SabanTaskDialog *self)
{
  JsonNode *tasks;

  if (self->playbook == NULL)
    return NULL;
  tasks = json_object_get_member (saban_command_item_get_properties (self->playbook), "tasks");
  return tasks != NULL && JSON_NODE_HOLDS_ARRAY (tasks) ? json_node_get_array (tasks) : NULL;
}

static void
offer_agencies (SabanTaskDialog *self)
{
  JsonObject *props = saban_command_item_get_properties (self->scenario);
  JsonNode *agencies = json_object_get_member (props, "agencies");
  JsonArray *items = checklist (self);

  offer_agency (self, json_object_get_string_member_with_default (props, "leadAgency", NULL));
  if (agencies != NULL && JSON_NODE_HOLDS_ARRAY (agencies))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (agencies)); i++)
      {
        JsonNode *a = json_array_get_element (json_node_get_array (agencies), i);
        if (JSON_NODE_HOLDS_VALUE (a) && json_node_get_value_type (a) == G_TYPE_STRING)
          offer_agency (self, json_node_get_string (a));
      }
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *entry = json_array_get_element (items, i);
      if (JSON_NODE_HOLDS_OBJECT (entry))
        offer_agency (self, json_object_get_string_member_with_default (json_node_get_object (entry), "agency", NULL));
    }
}

static void resolve_assignee (SabanTaskDialog *self, const char *text, const char **type, const char **id,
                              const char **name);

static void
mark_dispatched (SabanTaskDialog *self, guint index)
{
  GtkButton *button = index < self->checklist_buttons->len ? g_ptr_array_index (self->checklist_buttons, index) : NULL;

  if (button == NULL)
    return;
  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), _("Dispatched"));
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
}

/**
 * saban_task_dialog_dispatch_checklist:
 * @index: which item of the playbook's checklist
 * @assignee: who does it: an agency or a unit as offered, or a unit's name
 *
 * Creates the item's task and gives it to @assignee: it is assigned at
 * once.
 *
 * Returns: (transfer none) (nullable): the new task (pending until the
 *   server has it), or NULL with the reason shown in the dialog
 */
SabanCommandItem *
saban_task_dialog_dispatch_checklist (SabanTaskDialog *self, guint index, const char *assignee)
{
  g_autoptr(GError) error = NULL;
  const char *type, *id, *name;
  SabanCommandItem *task;

  g_return_val_if_fail (SABAN_IS_TASK_DIALOG (self), NULL);
  g_return_val_if_fail (self->playbook != NULL, NULL);

  if (assignee == NULL || *assignee == '\0')
    {
      show_error (self, _("Choose or type who does the task"));
      return NULL;
    }
  task = saban_command_client_create_checklist_task (self->client, self->scenario, self->playbook, index, &error);
  resolve_assignee (self, assignee, &type, &id, &name);
  if (task == NULL || !saban_command_client_assign_task (self->client, task, type, id, name, &error))
    {
      show_error (self, error->message);
      return task;
    }
  mark_dispatched (self, index);
  return task;
}

/**
 * saban_task_dialog_get_assignees:
 *
 * Returns: (transfer none) (element-type utf8): who the dialog offers, in
 *   its order: the agencies, then the units on duty nearest first
 */
GPtrArray *
saban_task_dialog_get_assignees (SabanTaskDialog *self)
{
  g_return_val_if_fail (SABAN_IS_TASK_DIALOG (self), NULL);
  return self->offered;
}

static void
on_choice_activated (GtkListBox *list, GtkListBoxRow *row, SabanTaskDialog *self)
{
  GtkWidget *button = g_object_get_data (G_OBJECT (list), "button");

  saban_task_dialog_dispatch_checklist (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index")),
                                        g_object_get_data (G_OBJECT (row), "assignee"));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
}

static GtkWidget *
choice_row (const char *text)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_end (label, 6);
  gtk_widget_set_margin_top (label, 4);
  gtk_widget_set_margin_bottom (label, 4);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  g_object_set_data_full (G_OBJECT (row), "assignee", g_strdup (text), g_free);
  return row;
}

/* "Dispatch" on a checklist item asks who: its own agency first, then
 * everyone offered */
static GtkWidget *
assignee_popover (SabanTaskDialog *self, GtkWidget *button, const char *agency)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (_("Dispatch to"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();

  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (list, "boxed-list");
  if (agency != NULL && *agency != '\0')
    gtk_list_box_append (GTK_LIST_BOX (list), choice_row (agency));
  for (guint i = 0; i < self->offered->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->offered, i), agency) != 0)
      gtk_list_box_append (GTK_LIST_BOX (list), choice_row (g_ptr_array_index (self->offered, i)));
  g_object_set_data (G_OBJECT (list), "button", button);
  g_signal_connect (list, "row-activated", G_CALLBACK (on_choice_activated), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_widget_set_size_request (scrolled, 360, -1);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  return popover;
}

static void
fill_checklist (SabanTaskDialog *self)
{
  JsonArray *items = checklist (self);

  if (items == NULL || json_array_get_length (items) == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->checklist_group), FALSE);
      return;
    }
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *entry = json_array_get_element (items, i);
      JsonObject *o;
      GtkWidget *row, *button;
      g_autofree char *subtitle = NULL;
      gint64 minutes;
      const char *agency;

      if (!JSON_NODE_HOLDS_OBJECT (entry))
        {
          /* indexes stay those of the checklist */
          g_ptr_array_add (self->checklist_buttons, NULL);
          continue;
        }
      o = json_node_get_object (entry);
      agency = json_object_get_string_member_with_default (o, "agency", "");
      button = gtk_menu_button_new ();
      gtk_menu_button_set_label (GTK_MENU_BUTTON (button), _("Dispatch…"));
      gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), assignee_popover (self, button, agency));
      g_ptr_array_add (self->checklist_buttons, button);
      minutes = json_object_get_int_member_with_default (o, "targetMinutes", 0);
      subtitle = minutes > 0 ? g_strdup_printf (g_dngettext (NULL, "%s · within %d minute", "%s · within %d minutes",
                                                             minutes), agency, (int) minutes)
                             : g_strdup (agency);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     json_object_get_string_member_with_default (o, "title", ""));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (button), "index", GUINT_TO_POINTER (i));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (self->checklist_group, row);
      /* the launch may have dispatched the checklist already: not twice */
      if (saban_command_store_find_task (saban_command_client_get_store (self->client),
                                         saban_command_item_get_id (self->scenario),
                                         json_object_get_string_member_with_default (o, "title", "")) != NULL)
        mark_dispatched (self, i);
    }
}

static char *
assignee_text (SabanTaskDialog *self)
{
  g_autofree char *text = gtk_combo_box_text_get_active_text (self->assignee_combo);

  return text != NULL ? g_strstrip (g_steal_pointer (&text)) : NULL;
}

/* who the text chosen or typed names: an agency offered, a live unit
 * offered, or a unit typed by name */
static void
resolve_assignee (SabanTaskDialog *self, const char *text, const char **type, const char **id, const char **name)
{
  Unit *unit = g_hash_table_lookup (self->units, text);

  *type = g_hash_table_contains (self->agencies, text) ? "agency" : "unit";
  *id = unit != NULL ? unit->id : text;
  *name = unit != NULL ? unit->name : text;
}

static gboolean
assign (SabanTaskDialog *self)
{
  g_autofree char *text = assignee_text (self);
  g_autoptr(GError) error = NULL;
  const char *type, *id, *name;

  if (text == NULL || *text == '\0')
    {
      show_error (self, _("Choose or type who does the task"));
      return FALSE;
    }
  resolve_assignee (self, text, &type, &id, &name);
  if (!saban_command_client_assign_task (self->client, self->task, type, id, name, &error))
    {
      show_error (self, error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
create (SabanTaskDialog *self)
{
  g_autofree char *text = assignee_text (self);
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
  g_autofree char *instructions = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->instructions_row))));
  const char *place = gtk_editable_get_text (GTK_EDITABLE (self->place_row));
  int minutes = gtk_spin_button_get_value_as_int (self->due_spin);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) due = minutes > 0 ? g_date_time_add_minutes (now, minutes) : NULL;
  g_autoptr(GError) error = NULL;
  SabanCommandItem *task;
  SabanTaskSpec spec = {
    .title = title,
    .instructions = *instructions != '\0' ? instructions : NULL,
    .kind = saban_command_task_kinds[adw_combo_row_get_selected (self->kind_row)],
    .priority = gtk_spin_button_get_value_as_int (self->priority_spin),
    .due_at = due,
    .lon = NAN,
    .lat = NAN,
  };

  if (*title == '\0')
    {
      show_error (self, _("A task needs a title"));
      return FALSE;
    }
  if (place != NULL && *place != '\0' && !saban_coordinate_parse (place, &spec.lat, &spec.lon, &error))
    {
      show_error (self, error->message);
      return FALSE;
    }
  if (text != NULL && *text != '\0')
    resolve_assignee (self, text, &spec.assignee_type, &spec.assignee_id, &spec.assignee_name);
  task = saban_command_client_create_task (self->client, self->scenario, &spec, &error);
  /* given to someone: dispatched, so assigned at once */
  if (task == NULL || (spec.assignee_id != NULL && !saban_command_client_set_status (self->client, task, "assigned",
                                                                                      &error)))
    {
      show_error (self, error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * saban_task_dialog_submit:
 *
 * What the dialog's main button does: creates the task written by hand (or
 * assigns the task being assigned) and closes; on a mistake, says why and
 * stays open.
 *
 * Returns: whether the task was created or assigned
 */
gboolean
saban_task_dialog_submit (SabanTaskDialog *self)
{
  gboolean ok;

  g_return_val_if_fail (SABAN_IS_TASK_DIALOG (self), FALSE);

  ok = self->task != NULL ? assign (self) : create (self);
  if (ok)
    gtk_window_close (GTK_WINDOW (self));
  return ok;
}

static void
on_submit (SabanTaskDialog *self)
{
  saban_task_dialog_submit (self);
}

static void
on_place_picked (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(SabanTaskDialog) self = data;
  g_autoptr(GError) error = NULL;
  double lat, lon;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (saban_session_pick_point_finish (SABAN_SESSION (source), result, &lat, &lon, &error))
    {
      g_autofree char *text = saban_coordinate_format (lat, lon);

      gtk_editable_set_text (GTK_EDITABLE (self->place_row), text);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    show_error (self, _("No map window is open: type the place instead"));
  gtk_window_present (GTK_WINDOW (self));
}

/**
 * saban_task_dialog_pick_place:
 *
 * What "Pick on Map" does: the dialog steps aside and the main window's
 * map waits for a click, which becomes the task's place; Escape gives up
 * and the place stays as it was.
 *
 * When no window shows a map, the dialog comes back and says so.
 */
void
saban_task_dialog_pick_place (SabanTaskDialog *self)
{
  g_return_if_fail (SABAN_IS_TASK_DIALOG (self));

  /* hidden first: the map's window comes forward over it */
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  saban_session_pick_point_async (self->session, _("Click the task's place on the map · Esc cancels"),
                                  self->cancellable, on_place_picked, g_object_ref (self));
}

static void
on_pick (SabanTaskDialog *self)
{
  saban_task_dialog_pick_place (self);
}

static void
saban_task_dialog_dispose (GObject *object)
{
  SabanTaskDialog *self = SABAN_TASK_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->session);
  g_clear_object (&self->scenario);
  g_clear_object (&self->playbook);
  g_clear_object (&self->task);
  g_clear_pointer (&self->agencies, g_hash_table_unref);
  g_clear_pointer (&self->units, g_hash_table_unref);
  g_clear_pointer (&self->offered, g_ptr_array_unref);
  g_clear_pointer (&self->checklist_buttons, g_ptr_array_unref);
  G_OBJECT_CLASS (saban_task_dialog_parent_class)->dispose (object);
}

static void
saban_task_dialog_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SabanTaskDialog *self = SABAN_TASK_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      self->client = g_object_ref (saban_session_get_command_client (self->session));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_task_dialog_class_init (SabanTaskDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = saban_task_dialog_dispose;
  G_OBJECT_CLASS (klass)->set_property = saban_task_dialog_set_property;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, SABAN_TYPE_SESSION,
                                                  G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (G_OBJECT_CLASS (klass), N_PROPS, properties);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-task-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanTaskDialog, submit_button);
  gtk_widget_class_bind_template_child (widget_class, SabanTaskDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SabanTaskDialog, checklist_group);
  gtk_widget_class_bind_template_child (widget_class, SabanTaskDialog, manual_group);
  gtk_widget_class_bind_template_child (widget_class, SabanTaskDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, SabanTaskDialog, instructions_row);
  gtk_widget_class_bind_template_child (widget_class, SabanTaskDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, SabanTaskDialog, priority_spin);
  gtk_widget_class_bind_template_child (widget_class, SabanTaskDialog, due_spin);
  gtk_widget_class_bind_template_child (widget_class, SabanTaskDialog, place_row);
  gtk_widget_class_bind_template_child (widget_class, SabanTaskDialog, pick_button);
  gtk_widget_class_bind_template_child (widget_class, SabanTaskDialog, assignee_combo);
  gtk_widget_class_bind_template_child (widget_class, SabanTaskDialog, assignee_group);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
saban_task_dialog_init (SabanTaskDialog *self)
{
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->agencies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->units = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unit_free);
  self->offered = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  self->checklist_buttons = g_ptr_array_new ();
  for (guint i = 0; saban_command_task_kinds[i] != NULL; i++)
    gtk_string_list_append (kinds, saban_command_label_kind (saban_command_task_kinds[i]));
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kinds));
  g_signal_connect_swapped (self->submit_button, "clicked", G_CALLBACK (on_submit), self);
  g_signal_connect_swapped (self->pick_button, "clicked", G_CALLBACK (on_pick), self);
}

/* the units are offered nearest to (@lon, @lat) first: the task's place,
 * else the scenario's area */
static SabanTaskDialog *
dialog_new (GtkWindow *parent, SabanSession *session, SabanCommandItem *scenario, SabanCommandItem *task)
{
  double lon = NAN, lat = NAN;
  SabanTaskDialog *self = g_object_new (SABAN_TYPE_TASK_DIALOG, "transient-for", parent, "session", session, NULL);
  const char *code = saban_command_item_get_string (scenario, "playbook");
  SabanCommandItem *playbook = code != NULL
                               ? saban_command_store_find_playbook (saban_command_client_get_store (self->client), code)
                               : NULL;

  self->scenario = g_object_ref (scenario);
  self->playbook = playbook != NULL ? g_object_ref (playbook) : NULL;
  if (task == NULL || !saban_command_item_get_point (task, &lon, &lat))
    saban_scenario_area_centre (saban_command_item_get_geometry (scenario), &lon, &lat);
  offer_agencies (self);
  offer_units (self, saban_session_get_units (session), lon, lat);
  return self;
}

/**
 * saban_task_dialog_new:
 * @scenario: the scenario the tasks are for
 *
 * Returns: (transfer floating): the dispatch dialog
 */
GtkWidget *
saban_task_dialog_new (GtkWindow *parent, SabanSession *session, SabanCommandItem *scenario)
{
  SabanTaskDialog *self = dialog_new (parent, session, scenario, NULL);

  fill_checklist (self);
  return GTK_WIDGET (self);
}

/**
 * saban_task_dialog_new_assign:
 * @task: a task nobody has been assigned yet
 *
 * Returns: (transfer floating): a dialog that chooses the assignee and
 *   assigns the task
 */
GtkWidget *
saban_task_dialog_new_assign (GtkWindow *parent, SabanSession *session, SabanCommandItem *task)
{
  SabanCommandStore *store = saban_command_client_get_store (saban_session_get_command_client (session));
  SabanCommandItem *scenario = saban_command_store_lookup (store, SABAN_COMMAND_SCENARIOS,
                                                           saban_command_item_get_scenario_id (task));
  SabanTaskDialog *self;
  g_autofree char *description = NULL;

  g_return_val_if_fail (scenario != NULL, NULL);

  self = dialog_new (parent, session, scenario, task);
  self->task = g_object_ref (task);
  gtk_window_set_title (GTK_WINDOW (self), _("Assign Task"));
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 320);
  gtk_button_set_label (GTK_BUTTON (self->submit_button), _("_Assign"));
  gtk_widget_set_visible (GTK_WIDGET (self->checklist_group), FALSE);
  gtk_widget_set_visible (self->manual_group, FALSE);
  description = g_strdup_printf (_("Who does “%s”: an agency of the scenario, a responder unit on duty, or type the "
                                   "name of another unit."),
                                 saban_command_item_get_title (task));
  adw_preferences_group_set_description (self->assignee_group, description);
  return GTK_WIDGET (self);
}
