/* saban-scenario-launch.c: the side panel that launches a scenario — a
 * playbook, a title and severity, the affected area (drawn on the map,
 * communes picked, a circle around an alarming sensor, or a CAP alert's
 * own area), what the area
 * holds (SabanImpact, computed in a worker), then a draft or an active
 * scenario with the playbook's checklist tasks.
 *
 * It sits beside the map and hides while the user draws, so the map is
 * never covered. Every write goes through the Command API client, whose
 * outbox keeps it while the server is away.
 */
#include "saban-scenario-launch-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "saban-citizen-reports.h"
#include "saban-command-labels.h"
#include "saban-format.h"
#include "saban-scenario-area.h"
#include "saban-text.h"

G_DEFINE_FINAL_TYPE (SabanScenarioLaunch, saban_scenario_launch, GTK_TYPE_BOX)

enum { PROP_0, PROP_SESSION, PROP_MAP, PROP_DRAWING, PROP_HINT, PROP_BUSY, N_PROPS };
enum { CLOSED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void saban_scenario_launch_constructed (GObject *object);

void
saban_scenario_launch_show_message (SabanScenarioLaunch *self,
              const char          *text,
              gboolean             error)
{
  gtk_label_set_text (self->message_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), text != NULL);
  if (error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "success");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "success");
    }
}

void
saban_scenario_launch_set_hint (SabanScenarioLaunch *self,
          const char          *hint)
{
  if (g_strcmp0 (self->hint, hint) == 0)
    return;
  g_free (self->hint);
  self->hint = g_strdup (hint);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HINT]);
}

void
saban_scenario_launch_set_drawing (SabanScenarioLaunch *self,
             gboolean             drawing)
{
  if (self->drawing == drawing)
    return;
  self->drawing = drawing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DRAWING]);
}

/* "Xã Bát Xát" reads "xã Bát Xát" inside a title. */
static char *
place_name (const char *name)
{
  static const char * const kinds[] = { "Xã ", "Phường ", "Thị trấn " };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_has_prefix (name, kinds[i]))
      {
        g_autofree char *first = g_utf8_strdown (name, g_utf8_next_char (name) - name);
        return g_strconcat (first, g_utf8_next_char (name), NULL);
      }
  return g_strdup (name);
}

/* One, two, or the first and how many more. */
char *
saban_scenario_launch_places_text (const char * const *names,
             guint               n)
{
  g_autofree char *first = n > 0 ? place_name (names[0]) : NULL;

  if (n == 0)
    return NULL;
  if (n == 1)
    return g_steal_pointer (&first);
  if (n == 2)
    {
      g_autofree char *second = place_name (names[1]);
      return g_strdup_printf ("%s, %s", first, second);
    }
  return g_strdup_printf (ngettext ("%s and %u other commune", "%s and %u other communes", n - 1), first, n - 1);
}

static SabanCommandItem *
chosen_playbook (SabanScenarioLaunch *self)
{
  if (self->playbook == NULL)
    return NULL;
  return saban_command_store_find_playbook (saban_command_client_get_store (self->client), self->playbook);
}

void
saban_scenario_launch_update_title (SabanScenarioLaunch *self)
{
  SabanCommandItem *playbook = chosen_playbook (self);
  g_autofree char *title = NULL;

  if (self->title_edited || playbook == NULL)
    return;
  title = self->place != NULL ? g_strdup_printf ("%s — %s", saban_command_item_get_title (playbook), self->place)
                              : g_strdup (saban_command_item_get_title (playbook));
  self->setting_title = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), title);
  self->setting_title = FALSE;
}

static void
on_title_changed (SabanScenarioLaunch *self)
{
  if (!self->setting_title)
    self->title_edited = TRUE;
}

static void
update_buttons (SabanScenarioLaunch *self)
{
  gboolean draft = self->scenario != NULL && g_strcmp0 (saban_command_item_get_status (self->scenario), "draft") == 0;

  gtk_widget_set_sensitive (self->create_button, self->scenario == NULL);
  gtk_widget_set_sensitive (self->activate_button, self->scenario == NULL || draft);
}

/* Playbooks */

static gboolean
is_emergency (SabanCommandItem *playbook)
{
  return g_strcmp0 (saban_command_item_get_string (playbook, "kind"), "emergency") == 0;
}

static int
compare_playbook_rows (GtkListBoxRow *a,
                       GtkListBoxRow *b,
                       gpointer       data)
{
  gboolean ea = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (a), "emergency"));
  gboolean eb = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (b), "emergency"));
  int ia = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (a), "position"));
  int ib = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (b), "position"));

  if (ea != eb)
    return ea ? -1 : 1;
  return ia - ib;
}

static void
playbook_headers (GtkListBoxRow *row,
                  GtkListBoxRow *before,
                  gpointer       data)
{
  gboolean emergency = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "emergency"));
  GtkWidget *label;

  if (before != NULL && GPOINTER_TO_INT (g_object_get_data (G_OBJECT (before), "emergency")) == emergency)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  label = gtk_label_new (emergency ? _("Emergency response") : _("Thematic operations"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_top (label, 8);
  gtk_widget_set_margin_bottom (label, 4);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_list_box_row_set_header (row, label);
}

static void
select_playbook_row (SabanScenarioLaunch *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->playbook_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && g_strcmp0 (gtk_widget_get_name (row), self->playbook) == 0)
      {
        gtk_list_box_select_row (self->playbook_list, GTK_LIST_BOX_ROW (row));
        return;
      }
}

void
saban_scenario_launch_remove_rows (GtkListBox *list)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static void
rebuild_playbooks (SabanScenarioLaunch *self)
{
  g_autofree char *keep = g_strdup (self->playbook);
  guint n = g_list_model_get_n_items (self->playbooks);

  saban_scenario_launch_remove_rows (self->playbook_list);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SabanCommandItem) playbook = g_list_model_get_item (self->playbooks, i);
      JsonNode *tasks = json_object_get_member (saban_command_item_get_properties (playbook), "tasks");
      guint n_tasks = tasks != NULL && JSON_NODE_HOLDS_ARRAY (tasks) ? json_array_get_length (json_node_get_array (tasks)) : 0;
      g_autofree char *subtitle = g_strdup_printf (ngettext ("%u task in its checklist", "%u tasks in its checklist", n_tasks), n_tasks);
      GtkWidget *row = adw_action_row_new ();
      const char *code = saban_command_item_get_string (playbook, "code");

      if (code == NULL)
        continue;
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), saban_command_item_get_title (playbook));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_name (row, code);
      g_object_set_data (G_OBJECT (row), "emergency", GINT_TO_POINTER (is_emergency (playbook)));
      g_object_set_data (G_OBJECT (row), "position", GINT_TO_POINTER (i));
      gtk_list_box_append (self->playbook_list, row);
    }
  g_free (self->playbook);
  self->playbook = g_steal_pointer (&keep);
  if (self->playbook != NULL)
    select_playbook_row (self);
}

static void
on_playbook_selected (SabanScenarioLaunch *self,
                      GtkListBoxRow       *row)
{
  SabanCommandItem *playbook;

  if (row == NULL)
    return;
  g_free (self->playbook);
  self->playbook = g_strdup (gtk_widget_get_name (GTK_WIDGET (row)));
  playbook = chosen_playbook (self);
  /* chosen: folded away, named in the row, so the impact has the room */
  if (playbook != NULL)
    {
      adw_expander_row_set_subtitle (self->playbook_expander, saban_command_item_get_title (playbook));
      adw_expander_row_set_expanded (self->playbook_expander, FALSE);
    }
  if (playbook != NULL && adw_combo_row_get_selected (self->severity_row) == G_N_ELEMENTS (severities) - 1)
    adw_combo_row_set_selected (self->severity_row, is_emergency (playbook) ? 1 : 2);
  saban_scenario_launch_update_title (self);
}

/* Choosing a playbook by its code (an alarm's guess); NULL: none, the
 * list open for the user to choose. */
static void
choose_playbook (SabanScenarioLaunch *self,
                 const char          *code)
{
  g_free (self->playbook);
  self->playbook = g_strdup (code);
  if (code == NULL)
    {
      gtk_list_box_unselect_all (self->playbook_list);
      adw_expander_row_set_subtitle (self->playbook_expander, "");
      adw_expander_row_set_expanded (self->playbook_expander, TRUE);
      return;
    }
  select_playbook_row (self);
  saban_scenario_launch_update_title (self);
}

/* the server has the scenario as it now stands (moved here, on the board,
 * or by a colleague): say exactly that */
static void
on_scenario_pending (SabanScenarioLaunch *self)
{
  g_autofree char *done = NULL;

  update_buttons (self);
  if (saban_command_item_get_pending (self->scenario))
    return;
  done = saban_command_label_scenario_done (saban_command_item_get_status (self->scenario),
                                            saban_command_item_get_title (self->scenario));
  saban_scenario_launch_show_message (self, done, FALSE);
}

static void
on_write_refused (SabanScenarioLaunch *self,
                  SabanCommandItem    *item,
                  const char          *message)
{
  if (self->scenario == NULL || (item != NULL && item != self->scenario &&
                                 saban_command_item_get_scenario_id (item) != saban_command_item_get_id (self->scenario)))
    return;
  saban_scenario_launch_show_message (self, message, TRUE);
  update_buttons (self);
}

static gboolean
create_checklist (SabanScenarioLaunch *self,
                  SabanCommandItem    *playbook,
                  GError             **error)
{
  JsonNode *tasks = json_object_get_member (saban_command_item_get_properties (playbook), "tasks");
  guint n = tasks != NULL && JSON_NODE_HOLDS_ARRAY (tasks) ? json_array_get_length (json_node_get_array (tasks)) : 0;

  for (guint i = 0; i < n; i++)
    if (saban_command_client_create_checklist_task (self->client, self->scenario, playbook, i, error) == NULL)
      return FALSE;
  return TRUE;
}

static void
launch (SabanScenarioLaunch *self,
        gboolean             activate)
{
  SabanCommandItem *playbook = chosen_playbook (self);
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
  g_autofree char *summary = NULL;
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autoptr(GError) error = NULL;
  gboolean created = FALSE;
  guint severity = adw_combo_row_get_selected (self->severity_row);

  if (self->scenario == NULL)
    {
      if (playbook == NULL)
        {
          saban_scenario_launch_show_message (self, _("Choose a playbook first"), TRUE);
          return;
        }
      if (self->area == NULL)
        {
          saban_scenario_launch_show_message (self, _("Set the affected area first"), TRUE);
          return;
        }
      if (*title == '\0')
        {
          saban_scenario_launch_show_message (self, _("Give the scenario a title"), TRUE);
          return;
        }
      json_object_set_string_member (extra, "severity", severities[MIN (severity, G_N_ELEMENTS (severities) - 1)]);
      json_object_set_string_member (extra, "urgency", activate ? "Immediate" : "Expected");
      json_object_set_string_member (extra, "certainty", "Likely");
      summary = saban_scenario_launch_impact_summary (self);
      if (summary != NULL)
        json_object_set_string_member (extra, "description", summary);
      self->scenario = saban_command_client_create_scenario (self->client, playbook, title, self->area, extra, &error);
      if (self->scenario == NULL)
        {
          saban_scenario_launch_show_message (self, error->message, TRUE);
          return;
        }
      g_object_ref (self->scenario);
      g_signal_connect_object (self->scenario, "notify::pending", G_CALLBACK (on_scenario_pending), self, G_CONNECT_SWAPPED);
      created = TRUE;
    }
  if (activate && !saban_command_client_set_status (self->client, self->scenario, "active", &error))
    {
      saban_scenario_launch_show_message (self, error->message, TRUE);
      update_buttons (self);
      return;
    }
  if (created && gtk_switch_get_active (self->checklist_switch) && !create_checklist (self, playbook, &error))
    {
      saban_scenario_launch_show_message (self, error->message, TRUE);
      update_buttons (self);
      return;
    }
  /* the scenario layer shows it from now on */
  saban_map_view_show_area (self->map, NULL);
  update_buttons (self);
  if (saban_command_client_get_state (self->client) == SABAN_FEED_STATE_OFFLINE ||
      saban_command_item_get_pending (self->scenario))
    saban_scenario_launch_show_message (self, activate ? _("Activated. Waiting for the IOC server to confirm; nothing is lost while it is away.") :
                                   _("Draft created. Waiting for the IOC server to confirm; nothing is lost while it is away."),
                  FALSE);
  else
    on_scenario_pending (self);
}

static void
on_create_clicked (SabanScenarioLaunch *self)
{
  launch (self, FALSE);
}

static void
on_activate_clicked (SabanScenarioLaunch *self)
{
  launch (self, TRUE);
}

static void
on_close_clicked (SabanScenarioLaunch *self)
{
  if (self->drawing)
    saban_map_view_set_tool (self->map, SABAN_MAP_TOOL_SELECT);
  saban_map_view_show_area (self->map, NULL);
  g_signal_emit (self, signals[CLOSED], 0);
}

/* GObject */

static void
saban_scenario_launch_dispose (GObject *object)
{
  SabanScenarioLaunch *self = SABAN_SCENARIO_LAUNCH (object);

  if (self->impact_cancellable != NULL)
    g_cancellable_cancel (self->impact_cancellable);
  if (self->reports_cancellable != NULL)
    g_cancellable_cancel (self->reports_cancellable);
  if (self->union_cancellable != NULL)
    g_cancellable_cancel (self->union_cancellable);
  g_clear_object (&self->impact_cancellable);
  g_clear_object (&self->reports_cancellable);
  g_clear_object (&self->union_cancellable);
  g_clear_object (&self->impact);
  g_clear_object (&self->scenario);
  g_clear_object (&self->playbooks);
  g_clear_object (&self->client);
  g_clear_object (&self->session);
  g_clear_object (&self->map);
  g_clear_object (&self->sensors);
  g_clear_object (&self->communes);
  g_clear_pointer (&self->layers, g_ptr_array_unref);
  g_clear_pointer (&self->reports, g_array_unref);
  g_clear_pointer (&self->area, json_node_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_SCENARIO_LAUNCH);
  G_OBJECT_CLASS (saban_scenario_launch_parent_class)->dispose (object);
}

static void
saban_scenario_launch_finalize (GObject *object)
{
  SabanScenarioLaunch *self = SABAN_SCENARIO_LAUNCH (object);

  g_free (self->playbook);
  g_free (self->area_text);
  g_free (self->place);
  g_free (self->hint);
  G_OBJECT_CLASS (saban_scenario_launch_parent_class)->finalize (object);
}

static void
saban_scenario_launch_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SabanScenarioLaunch *self = SABAN_SCENARIO_LAUNCH (object);

  switch (prop_id)
    {
    case PROP_DRAWING:
      g_value_set_boolean (value, self->drawing);
      break;
    case PROP_HINT:
      g_value_set_string (value, self->hint);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, saban_scenario_launch_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_scenario_launch_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SabanScenarioLaunch *self = SABAN_SCENARIO_LAUNCH (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_MAP:
      self->map = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_scenario_launch_class_init (SabanScenarioLaunchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = saban_scenario_launch_constructed;
  object_class->dispose = saban_scenario_launch_dispose;
  object_class->finalize = saban_scenario_launch_finalize;
  object_class->get_property = saban_scenario_launch_get_property;
  object_class->set_property = saban_scenario_launch_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SABAN_TYPE_SESSION,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* the window's map: the area is drawn and shown there */
  properties[PROP_MAP] =
    g_param_spec_object ("map", NULL, NULL, SABAN_TYPE_MAP_VIEW,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * SabanScenarioLaunch:drawing:
   *
   * The user is drawing the area on the map: the panel should step aside.
   */
  properties[PROP_DRAWING] =
    g_param_spec_boolean ("drawing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * SabanScenarioLaunch:hint:
   *
   * What to tell the user over the map while drawing, or %NULL.
   */
  properties[PROP_HINT] =
    g_param_spec_string ("hint", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * SabanScenarioLaunch:busy:
   *
   * The impact or the citizen reports are being worked out.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-scenario-launch.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioLaunch, playbook_expander);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioLaunch, playbook_list);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioLaunch, title_row);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioLaunch, severity_row);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioLaunch, communes_button);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioLaunch, commune_list);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioLaunch, commune_search);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioLaunch, area_label);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioLaunch, impact_spinner);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioLaunch, scroller);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioLaunch, impact_group);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioLaunch, impact_list);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioLaunch, checklist_switch);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioLaunch, message_label);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioLaunch, create_button);
  gtk_widget_class_bind_template_child (widget_class, SabanScenarioLaunch, activate_button);
  gtk_widget_class_bind_template_callback (widget_class, on_close_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_playbook_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_title_changed);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_draw_polygon", G_CALLBACK (saban_scenario_launch_on_draw_polygon));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_draw_circle", G_CALLBACK (saban_scenario_launch_on_draw_circle));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_commune_search", G_CALLBACK (saban_scenario_launch_on_commune_search));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_apply_communes", G_CALLBACK (saban_scenario_launch_on_apply_communes));
  gtk_widget_class_bind_template_callback (widget_class, on_create_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_activate_clicked);
}

static void
saban_scenario_launch_constructed (GObject *object)
{
  SabanScenarioLaunch *self = SABAN_SCENARIO_LAUNCH (object);

  G_OBJECT_CLASS (saban_scenario_launch_parent_class)->constructed (object);

  self->client = g_object_ref (saban_session_get_command_client (self->session));
  g_set_object (&self->sensors, saban_session_get_sensor_store (self->session));
  self->playbooks = saban_command_store_list (saban_command_client_get_store (self->client), SABAN_COMMAND_PLAYBOOKS,
                                              0, NULL);
  g_signal_connect_object (self->playbooks, "items-changed", G_CALLBACK (rebuild_playbooks), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "write-refused", G_CALLBACK (on_write_refused), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map, "area-drawn", G_CALLBACK (saban_scenario_launch_on_area_drawn), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map, "area-refused", G_CALLBACK (saban_scenario_launch_on_area_refused), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map, "area-cancelled", G_CALLBACK (saban_scenario_launch_on_area_cancelled), self, G_CONNECT_SWAPPED);
  rebuild_playbooks (self);
}

static void
saban_scenario_launch_init (SabanScenarioLaunch *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_sort_func (self->playbook_list, compare_playbook_rows, NULL, NULL);
  gtk_list_box_set_header_func (self->playbook_list, playbook_headers, NULL, NULL);
  gtk_list_box_set_sort_func (self->commune_list, saban_scenario_launch_compare_commune_rows, NULL, NULL);
  gtk_list_box_set_filter_func (self->commune_list, saban_scenario_launch_commune_visible, self, NULL);
  adw_combo_row_set_selected (self->severity_row, G_N_ELEMENTS (severities) - 1);
}

/**
 * saban_scenario_launch_new:
 * @session: the session: its Command API client writes the scenario, its
 *   live sensors count in the impact, its server has the citizen reports
 * @map: the window's map: drawing happens there, the area is shown there
 *
 * Returns: (transfer floating): the panel; call saban_scenario_launch_reset()
 */
GtkWidget *
saban_scenario_launch_new (SabanSession *session,
                           SabanMapView *map)
{
  g_return_val_if_fail (SABAN_IS_SESSION (session), NULL);
  g_return_val_if_fail (saban_session_get_command_client (session) != NULL, NULL);
  g_return_val_if_fail (SABAN_IS_MAP_VIEW (map), NULL);

  return g_object_new (SABAN_TYPE_SCENARIO_LAUNCH, "session", session, "map", map, NULL);
}

/**
 * saban_scenario_launch_reset:
 * @layers: (element-type SabanVectorLayer): the layers loaded now, read by
 *   the impact analysis and for the communes
 *
 * Starts a new launch: no area, no scenario, the open citizen reports
 * fetched again.
 */
void
saban_scenario_launch_reset (SabanScenarioLaunch *self,
                             GPtrArray           *layers)
{
  g_return_if_fail (SABAN_IS_SCENARIO_LAUNCH (self));

  g_clear_pointer (&self->layers, g_ptr_array_unref);
  self->layers = g_ptr_array_ref (layers);
  g_clear_object (&self->communes);
  for (guint i = 0; i < layers->len; i++)
    if (g_strcmp0 (saban_vector_layer_get_name (g_ptr_array_index (layers, i)),
                   saban_impact_layer_default_name (SABAN_IMPACT_COMMUNES)) == 0)
      self->communes = g_object_ref (g_ptr_array_index (layers, i));
  saban_scenario_launch_rebuild_communes (self);

  if (self->scenario != NULL)
    g_signal_handlers_disconnect_by_data (self->scenario, self);
  g_clear_object (&self->scenario);
  if (self->impact_cancellable != NULL)
    g_cancellable_cancel (self->impact_cancellable);
  g_clear_object (&self->impact_cancellable);
  g_clear_object (&self->impact);
  g_clear_pointer (&self->area, json_node_unref);
  g_clear_pointer (&self->place, g_free);
  self->place_given = FALSE;
  self->title_edited = FALSE;
  saban_scenario_launch_remove_rows (self->impact_list);
  gtk_label_set_text (self->area_label, _("No area yet: draw it on the map, pick communes, or start from an alarm."));
  saban_scenario_launch_show_message (self, NULL, FALSE);
  saban_scenario_launch_update_title (self);
  update_buttons (self);

  if (self->reports_cancellable != NULL)
    g_cancellable_cancel (self->reports_cancellable);
  g_clear_object (&self->reports_cancellable);
  self->reports_cancellable = g_cancellable_new ();
  saban_citizen_reports_fetch_async (saban_session_get_api (self->session), self->reports_cancellable,
                                     saban_scenario_launch_reports_fetched, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/**
 * saban_scenario_launch_prefill_sensor:
 * @sensor: a sensor of the store given at creation (an alarm's)
 *
 * A circle of 5 km around the sensor, the playbook its kind calls for
 * (a water level or rain gauge: flash floods and landslides), a severity
 * from its state and its commune in the title.
 */
void
saban_scenario_launch_prefill_sensor (SabanScenarioLaunch *self,
                                      guint                sensor)
{
  const SabanSensor *s;
  const char *code;
  g_autoptr(JsonNode) area = NULL;
  g_autofree char *how = NULL;
  g_autofree char *place = NULL;

  g_return_if_fail (SABAN_IS_SCENARIO_LAUNCH (self));
  if (self->sensors == NULL || sensor >= saban_sensor_store_get_n_sensors (self->sensors))
    return;
  s = saban_sensor_store_get_sensor (self->sensors, sensor);
  code = saban_scenario_area_playbook_for_sensor (s->kind);
  if (code != NULL)
    choose_playbook (self, code);
  adw_combo_row_set_selected (self->severity_row, s->state == SABAN_SENSOR_STATE_DANGER ? 1 : 2);
  area = saban_scenario_area_circle (s->lon, s->lat, SENSOR_RADIUS_M, 64);
  how = g_strdup_printf (_("Circle of 5 km around %s"), s->name);
  place = s->commune_name != NULL ? place_name (s->commune_name) : NULL;
  saban_scenario_launch_set_area (self, area, how, place, TRUE);
}

/**
 * saban_scenario_launch_prefill_alert:
 * @alarm: a CAP alert's alarm
 *
 * The alert's own area (its polygon), the playbook its event calls for
 * (none chosen when it calls for none we have), a severity from its level
 * and its headline as the title.
 */
void
saban_scenario_launch_prefill_alert (SabanScenarioLaunch *self,
                                     SabanAlarm          *alarm)
{
  const double *ring;
  guint n = 0;
  g_autoptr(JsonNode) area = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *how = NULL;
  const char *headline = saban_alarm_get_sensor_name (alarm);
  const char *where = saban_alarm_get_commune (alarm);

  g_return_if_fail (SABAN_IS_SCENARIO_LAUNCH (self));
  g_return_if_fail (saban_alarm_get_cap_identifier (alarm) != NULL);

  ring = saban_alarm_get_area (alarm, &n);
  area = ring != NULL ? saban_scenario_area_polygon (ring, n, &error) : NULL;
  if (area == NULL)
    {
      saban_scenario_launch_show_message (self, error != NULL ? error->message : _("The alert has no area"), TRUE);
      return;
    }
  choose_playbook (self, saban_scenario_area_playbook_for_event (saban_alarm_get_event (alarm)));
  adw_combo_row_set_selected (self->severity_row, saban_alarm_get_level (alarm) == SABAN_SENSOR_STATE_DANGER ? 1 : 2);
  how = where != NULL && *where != '\0' ? g_strdup_printf (_("Area of the CAP alert: %s"), where)
                                        : g_strdup (_("Area of the CAP alert"));
  saban_scenario_launch_set_area (self, area, how, NULL, TRUE);
  if (self->area != NULL && headline != NULL && *headline != '\0')
    {
      self->setting_title = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->title_row), headline);
      self->setting_title = FALSE;
      self->title_edited = TRUE;
    }
}

/**
 * saban_scenario_launch_prefill_report:
 * @latitude: the report's place
 * @service: its Open311 service code
 * @title: (nullable): what it reports, for the scenario's title
 *
 * A circle of 500 m around a citizen's report and the playbook its service
 * calls for (saban_scenario_area_playbook_for_service).
 */
void
saban_scenario_launch_prefill_report (SabanScenarioLaunch *self, double latitude, double longitude,
                                      const char *service, const char *title)
{
  const char *code = saban_scenario_area_playbook_for_service (service);
  g_autoptr(JsonNode) area = saban_scenario_area_circle (longitude, latitude, REPORT_RADIUS_M, 64);

  g_return_if_fail (SABAN_IS_SCENARIO_LAUNCH (self));
  if (code != NULL)
    choose_playbook (self, code);
  saban_scenario_launch_set_area (self, area, _("Circle of 500 m around the citizen’s report"), NULL, TRUE);
  if (self->area != NULL && title != NULL && *title != '\0')
    {
      self->setting_title = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->title_row), title);
      self->setting_title = FALSE;
      self->title_edited = TRUE;
    }
}

/**
 * saban_scenario_launch_get_playbook:
 *
 * Returns: (nullable): the code of the playbook chosen
 */
const char *
saban_scenario_launch_get_playbook (SabanScenarioLaunch *self)
{
  g_return_val_if_fail (SABAN_IS_SCENARIO_LAUNCH (self), NULL);
  return self->playbook;
}

gboolean
saban_scenario_launch_get_drawing (SabanScenarioLaunch *self)
{
  g_return_val_if_fail (SABAN_IS_SCENARIO_LAUNCH (self), FALSE);
  return self->drawing;
}

const char *
saban_scenario_launch_get_hint (SabanScenarioLaunch *self)
{
  g_return_val_if_fail (SABAN_IS_SCENARIO_LAUNCH (self), NULL);
  return self->hint;
}

/**
 * saban_scenario_launch_get_busy:
 *
 * Returns: whether the impact or the citizen reports are still being worked out
 */
gboolean
saban_scenario_launch_get_busy (SabanScenarioLaunch *self)
{
  g_return_val_if_fail (SABAN_IS_SCENARIO_LAUNCH (self), FALSE);
  return self->impact_cancellable != NULL || self->reports_cancellable != NULL || self->union_cancellable != NULL;
}

/**
 * saban_scenario_launch_get_area:
 *
 * Returns: (transfer none) (nullable): the area chosen, GeoJSON in WGS 84
 */
JsonNode *
saban_scenario_launch_get_area (SabanScenarioLaunch *self)
{
  g_return_val_if_fail (SABAN_IS_SCENARIO_LAUNCH (self), NULL);
  return self->area;
}

/**
 * saban_scenario_launch_get_impact:
 *
 * Returns: (transfer none) (nullable): what the area holds, once computed
 */
SabanImpact *
saban_scenario_launch_get_impact (SabanScenarioLaunch *self)
{
  g_return_val_if_fail (SABAN_IS_SCENARIO_LAUNCH (self), NULL);
  return self->impact;
}

/**
 * saban_scenario_launch_get_scenario:
 *
 * Returns: (transfer none) (nullable): the scenario launched from the panel
 */
SabanCommandItem *
saban_scenario_launch_get_scenario (SabanScenarioLaunch *self)
{
  g_return_val_if_fail (SABAN_IS_SCENARIO_LAUNCH (self), NULL);
  return self->scenario;
}
