/* saban-command-palette.c: Ctrl+K — one entry that finds the application's
 * commands, the map's layers, places, stations, scenarios, tasks and
 * indicators, and answers simple questions from the IOC's data. A thin
 * view: SabanAssistant (core/assistant) understands and answers; this shows
 * its rows (an answer with its figure, source and time first) and says
 * which one the user chose ("result-activated"), for the window to run it,
 * show it or go to it on the map.
 */
#include "saban-command-palette.h"

#include <glib/gi18n.h>
#include <math.h>

#include "saban-command-labels.h"

/* rows shown at most: more is noise */
#define MAX_ROWS 40

struct _SabanCommandPalette
{
  AdwWindow parent_instance;

  GtkSearchEntry *search_entry;
  GtkListBox *result_list;

  SabanSession *session;
  SabanAssistant *assistant;
  GListModel *results;
};

enum { PROP_0, PROP_SESSION, N_PROPS };
enum { SIGNAL_RESULT_ACTIVATED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanCommandPalette, saban_command_palette, ADW_TYPE_WINDOW)

/* the application's actions by the names users know them by; the
 * keywords are other words they are looked for with */
static const struct
{
  const char *name;
  const char *action;
  const char *keywords;
} commands[] = {
  { N_("Add a layer from a file"), "win.open", N_("open GeoPackage Shapefile GeoJSON KML CSV") },
  { N_("Add a layer from a server"), "win.add-server", N_("WFS OGC API PostGIS database") },
  { N_("Search names and codes"), "win.find", NULL },
  { N_("Go to a coordinate"), "win.go-to", N_("latitude longitude VN-2000") },
  { N_("Zoom to the province"), "win.zoom-home", N_("whole province home view") },
  { N_("Zoom in"), "win.zoom-in", NULL },
  { N_("Zoom out"), "win.zoom-out", NULL },
  { N_("Measure distance"), "win.tool('length')", N_("length ruler") },
  { N_("Measure area"), "win.tool('area')", N_("hectares surface") },
  { N_("Select and inspect features"), "win.tool('select')", NULL },
  { N_("Show or hide the layer list"), "win.toggle-sidebar", N_("sidebar") },
  { N_("Launch a scenario"), "win.launch-scenario", N_("new scenario activate playbook") },
  { N_("Scenario board"), "app.scenarios", N_("tasks dispatch situation report") },
  { N_("Wall mode"), "win.wall-mode", N_("full screen dark large video wall") },
  { N_("Open the map in its own window"), "app.detach('map')", N_("second monitor screen wall") },
  { N_("Open the alarms in their own window"), "app.detach('alarms')", N_("second monitor screen") },
  { N_("Open the scenario board in its own window"), "app.detach('board')", N_("second monitor screen") },
  { N_("Preferences"), "app.preferences", N_("settings server account") },
  { N_("Keyboard shortcuts"), "win.show-help-overlay", N_("keys") },
  { N_("Switch account"), "app.switch-account", N_("sign in user") },
  { N_("Sign out"), "app.sign-out", N_("log out") },
  { N_("Quit"), "app.quit", N_("exit close") },
};

static const char *
kind_icon (SabanAssistantKind kind)
{
  switch (kind)
    {
    case SABAN_ASSISTANT_ANSWER: return "dialog-information-symbolic";
    case SABAN_ASSISTANT_COMMAND: return "system-run-symbolic";
    case SABAN_ASSISTANT_PLACE: return "mark-location-symbolic";
    case SABAN_ASSISTANT_SENSOR: return "network-wireless-symbolic";
    case SABAN_ASSISTANT_SCENARIO: return "view-list-symbolic";
    case SABAN_ASSISTANT_TASK: return "object-select-symbolic";
    case SABAN_ASSISTANT_INDICATOR: return "x-office-spreadsheet-symbolic";
    case SABAN_ASSISTANT_LAYER:
    default: return "view-paged-symbolic";
    }
}

/* an answer: the sentence with its figure, what it counts, and its source
 * and time — what a leader needs to trust it */
static GtkWidget *
answer_row (SabanAssistantResult *r)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *title = gtk_label_new (saban_assistant_result_get_title (r));
  g_autofree char *when = saban_command_label_time (saban_assistant_result_get_time (r));
  g_autofree char *source = g_strdup_printf (_("Source: %s · at %s"), saban_assistant_result_get_source (r), when);
  GtkWidget *source_label = gtk_label_new (source);
  double extent[4];

  gtk_widget_add_css_class (box, "palette-answer");
  gtk_widget_add_css_class (title, "title-4");
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (box), title);
  if (saban_assistant_result_get_subtitle (r) != NULL)
    {
      GtkWidget *subtitle = gtk_label_new (saban_assistant_result_get_subtitle (r));

      gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
      gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
      gtk_box_append (GTK_BOX (box), subtitle);
    }
  gtk_label_set_wrap (GTK_LABEL (source_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (source_label), 0);
  gtk_widget_add_css_class (source_label, "caption");
  gtk_widget_add_css_class (source_label, "dim-label");
  gtk_box_append (GTK_BOX (box), source_label);
  if (saban_assistant_result_get_extent (r, extent) || saban_assistant_result_get_layer (r) != NULL)
    {
      GtkWidget *jump = gtk_label_new (_("Enter: show it on the map"));

      gtk_label_set_xalign (GTK_LABEL (jump), 0);
      gtk_widget_add_css_class (jump, "caption");
      gtk_widget_add_css_class (jump, "accent");
      gtk_box_append (GTK_BOX (box), jump);
    }
  return box;
}

static GtkWidget *
create_row (gpointer item, gpointer data)
{
  SabanAssistantResult *r = item;
  GtkWidget *row;

  if (saban_assistant_result_get_kind (r) == SABAN_ASSISTANT_ANSWER)
    {
      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), answer_row (r));
    }
  else
    {
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), saban_assistant_result_get_title (r));
      if (saban_assistant_result_get_subtitle (r) != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), saban_assistant_result_get_subtitle (r));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name (kind_icon (saban_assistant_result_get_kind (r))));
    }
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

/* the map's layers as the layer list names them, at each query: the user
 * adds and removes layers while the palette is closed */
static void
update_layers (SabanCommandPalette *self)
{
  GListModel *model = G_LIST_MODEL (saban_session_get_layers (self->session));
  g_autoptr(GPtrArray) vectors = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SabanLayer) layer = g_list_model_get_item (model, i);

      g_ptr_array_add (vectors, g_object_ref (saban_layer_get_vector (layer)));
      g_ptr_array_add (titles, (gpointer) saban_layer_get_title (layer));
    }
  g_ptr_array_add (titles, NULL);
  saban_assistant_set_layers (self->assistant, vectors, (const char *const *) titles->pdata);
}

static void
on_search_changed (SabanCommandPalette *self)
{
  GtkListBoxRow *first;

  update_layers (self);
  saban_assistant_set_indicators (self->assistant, saban_session_get_indicators (self->session));
  g_clear_object (&self->results);
  self->results = saban_assistant_query (self->assistant, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                         MAX_ROWS);
  gtk_list_box_bind_model (self->result_list, self->results, create_row, self, NULL);
  if ((first = gtk_list_box_get_row_at_index (self->result_list, 0)) != NULL)
    gtk_list_box_select_row (self->result_list, first);
}

static void
activate_result (SabanCommandPalette *self, SabanAssistantResult *r)
{
  g_autoptr(SabanAssistantResult) keep = g_object_ref (r);

  gtk_window_close (GTK_WINDOW (self));
  g_signal_emit (self, signals[SIGNAL_RESULT_ACTIVATED], 0, keep);
}

static void
on_row_activated (SabanCommandPalette *self, GtkListBoxRow *row)
{
  g_autoptr(SabanAssistantResult) r = g_list_model_get_item (self->results, gtk_list_box_row_get_index (row));

  if (r != NULL)
    activate_result (self, r);
}

/* Enter in the entry: the row selected (the first, unless the user moved) */
static void
on_activate (SabanCommandPalette *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->result_list);

  if (row != NULL)
    on_row_activated (self, row);
}

/* the arrows move through the rows while the entry keeps the typing */
static gboolean
on_entry_key (GtkEventControllerKey *controller, guint keyval, guint keycode, GdkModifierType state,
              SabanCommandPalette *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->result_list);
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;
  GtkListBoxRow *next;

  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_Up)
    return FALSE;
  next = gtk_list_box_get_row_at_index (self->result_list, keyval == GDK_KEY_Down ? index + 1 : MAX (index - 1, 0));
  if (next != NULL)
    {
      gtk_list_box_select_row (self->result_list, next);
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
    }
  return TRUE;
}

static void
saban_command_palette_constructed (GObject *object)
{
  SabanCommandPalette *self = SABAN_COMMAND_PALETTE (object);
  SabanCommandClient *client = saban_session_get_command_client (self->session);
  SabanConnection *connection = saban_session_get_connection (self->session);

  G_OBJECT_CLASS (saban_command_palette_parent_class)->constructed (object);

  self->assistant = saban_assistant_new ();
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    saban_assistant_add_command (self->assistant, _(commands[i].name), commands[i].action,
                                 commands[i].keywords != NULL ? _(commands[i].keywords) : NULL);
  saban_assistant_set_sensors (self->assistant, saban_session_get_sensor_store (self->session));
  saban_assistant_set_commands (self->assistant, client != NULL ? saban_command_client_get_store (client) : NULL);
  saban_assistant_set_server (self->assistant, connection != NULL ? saban_connection_get_server_url (connection)
                                                                  : NULL);
  on_search_changed (self);
}

static void
saban_command_palette_dispose (GObject *object)
{
  SabanCommandPalette *self = SABAN_COMMAND_PALETTE (object);

  g_clear_object (&self->results);
  g_clear_object (&self->assistant);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_COMMAND_PALETTE);
  G_OBJECT_CLASS (saban_command_palette_parent_class)->dispose (object);
}

static void
saban_command_palette_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SabanCommandPalette *self = SABAN_COMMAND_PALETTE (object);

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
saban_command_palette_class_init (SabanCommandPaletteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = saban_command_palette_constructed;
  object_class->dispose = saban_command_palette_dispose;
  object_class->set_property = saban_command_palette_set_property;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, SABAN_TYPE_SESSION,
                                                  G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SabanCommandPalette::result-activated:
   * @result: the row chosen; the palette has closed
   */
  signals[SIGNAL_RESULT_ACTIVATED] = g_signal_new ("result-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                                   SABAN_TYPE_ASSISTANT_RESULT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-command-palette.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanCommandPalette, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SabanCommandPalette, result_list);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
saban_command_palette_init (SabanCommandPalette *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (on_activate), self);
  g_signal_connect_swapped (self->search_entry, "stop-search", G_CALLBACK (gtk_window_close), self);
  g_signal_connect_swapped (self->result_list, "row-activated", G_CALLBACK (on_row_activated), self);
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_entry_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);
}

/**
 * saban_command_palette_new:
 * @parent: the window it opens over (whose map it goes to)
 * @session: what it searches and answers from
 *
 * Returns: (transfer floating): the palette; present it
 */
GtkWidget *
saban_command_palette_new (GtkWindow *parent, SabanSession *session)
{
  g_return_val_if_fail (SABAN_IS_SESSION (session), NULL);

  return g_object_new (SABAN_TYPE_COMMAND_PALETTE, "transient-for", parent, "session", session, NULL);
}

/**
 * saban_command_palette_set_text:
 *
 * Types @text into the entry (the rows follow at once).
 */
void
saban_command_palette_set_text (SabanCommandPalette *self, const char *text)
{
  g_return_if_fail (SABAN_IS_COMMAND_PALETTE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  on_search_changed (self);
}

/**
 * saban_command_palette_get_results:
 *
 * Returns: (transfer none): the rows shown (#SabanAssistantResult)
 */
GListModel *
saban_command_palette_get_results (SabanCommandPalette *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_PALETTE (self), NULL);
  return self->results;
}
