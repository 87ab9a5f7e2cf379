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
#include "saban-scenario-launch.h"

#include <glib/gi18n.h>
#include <string.h>

#include "saban-citizen-reports.h"
#include "saban-format.h"
#include "saban-scenario-area.h"
#include "saban-text.h"

#define SENSOR_RADIUS_M 5000.0
/* a commune only grazed by the area (its boundary shared, to rounding) is not affected */
#define MIN_COMMUNE_FRACTION 0.0005
/* margin around an area the map is fitted to */
#define ZOOM_MARGIN 0.15

static const char * const severities[] = { "Extreme", "Severe", "Moderate", "Minor", "Unknown" };

struct _SabanScenarioLaunch
{
  GtkBox parent_instance;

  AdwExpanderRow *playbook_expander;
  GtkListBox *playbook_list;
  AdwEntryRow *title_row;
  AdwComboRow *severity_row;
  GtkToggleButton *communes_button;
  GtkListBox *commune_list;
  GtkSearchEntry *commune_search;
  GtkLabel *area_label;
  GtkSpinner *impact_spinner;
  GtkScrolledWindow *scroller;
  AdwPreferencesGroup *impact_group;
  GtkListBox *impact_list;
  GtkSwitch *checklist_switch;
  GtkLabel *message_label;
  GtkWidget *create_button;
  GtkWidget *activate_button;

  SabanSession *session;
  SabanCommandClient *client;
  SabanMapView *map;
  SabanSensorStore *sensors;    /* nullable */
  GListModel *playbooks;
  GPtrArray *layers;
  SabanVectorLayer *communes;

  char *playbook;               /* the chosen playbook's code */
  JsonNode *area;
  char *area_text;              /* how the area was made */
  char *place;                  /* where, for the title: "xã Bát Xát" */
  gboolean place_given;         /* from the communes or the sensor, not guessed */
  gboolean title_edited;
  gboolean setting_title;
  gboolean drawing;
  SabanMapToolKind draw_tool;
  char *hint;

  SabanImpact *impact;          /* of the current area, once computed */
  GCancellable *impact_cancellable;
  GArray *reports;              /* SabanImpactReport; NULL until fetched */
  GCancellable *reports_cancellable;
  GCancellable *union_cancellable;   /* the chosen communes' union, in a worker */
  gint64 compute_started;

  SabanCommandItem *scenario;   /* the one launched from here */
};

G_DEFINE_FINAL_TYPE (SabanScenarioLaunch, saban_scenario_launch, GTK_TYPE_BOX)

enum { PROP_0, PROP_SESSION, PROP_MAP, PROP_DRAWING, PROP_HINT, PROP_BUSY, N_PROPS };
enum { CLOSED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void compute_impact (SabanScenarioLaunch *self);

static void
show_message (SabanScenarioLaunch *self,
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

static void
set_hint (SabanScenarioLaunch *self,
          const char          *hint)
{
  if (g_strcmp0 (self->hint, hint) == 0)
    return;
  g_free (self->hint);
  self->hint = g_strdup (hint);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HINT]);
}

static void
set_drawing (SabanScenarioLaunch *self,
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
static char *
places_text (const char * const *names,
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

static void
update_title (SabanScenarioLaunch *self)
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

static void
remove_rows (GtkListBox *list)
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

  remove_rows (self->playbook_list);
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
  update_title (self);
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
  update_title (self);
}

/* The area */

static void
fit_map (SabanScenarioLaunch *self,
         JsonNode            *area)
{
  g_autoptr(GArray) xy = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (guint32));
  double box[4] = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE }, mx, my;

  if (!saban_scenario_area_to_mercator (area, xy, starts) || xy->len == 0)
    return;
  for (guint i = 0; i < xy->len / 2; i++)
    {
      box[0] = MIN (box[0], g_array_index (xy, double, 2 * i));
      box[1] = MIN (box[1], g_array_index (xy, double, 2 * i + 1));
      box[2] = MAX (box[2], g_array_index (xy, double, 2 * i));
      box[3] = MAX (box[3], g_array_index (xy, double, 2 * i + 1));
    }
  mx = (box[2] - box[0]) * ZOOM_MARGIN;
  my = (box[3] - box[1]) * ZOOM_MARGIN;
  saban_map_view_zoom_to_extent (self->map, box[0] - mx, box[1] - my, box[2] + mx, box[3] + my);
}

/* Takes @area if the impact analysis can read it; otherwise says why and
 * leaves everything as it was. */
static void
set_area (SabanScenarioLaunch *self,
          JsonNode            *area,
          const char          *how,
          const char          *place,
          gboolean             fit)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wkt = saban_scenario_area_to_wkt (area, &error);
  g_autoptr(SabanImpactArea) check = wkt != NULL ? saban_impact_area_new_from_wkt (wkt, &error) : NULL;
  g_autofree char *km2 = NULL;
  g_autofree char *text = NULL;

  if (check == NULL)
    {
      show_message (self, error->message, TRUE);
      return;
    }
  show_message (self, NULL, FALSE);
  g_clear_pointer (&self->area, json_node_unref);
  self->area = json_node_copy (area);
  g_free (self->area_text);
  self->area_text = g_strdup (how);
  g_free (self->place);
  self->place = g_strdup (place);
  self->place_given = place != NULL;
  km2 = saban_format_number (saban_impact_area_get_area_m2 (check) / 1e6, 1);
  text = g_strdup_printf (_("%s · %s km²"), how, km2);
  gtk_label_set_text (self->area_label, text);
  saban_map_view_show_area (self->map, self->area);
  if (fit)
    fit_map (self, self->area);
  update_title (self);
  compute_impact (self);
}

static void
stop_drawing (SabanScenarioLaunch *self)
{
  set_drawing (self, FALSE);
  set_hint (self, NULL);
}

static void
on_area_drawn (SabanScenarioLaunch *self,
               JsonNode            *area)
{
  gboolean circle = self->draw_tool == SABAN_MAP_TOOL_DRAW_CIRCLE;

  if (!self->drawing)
    return;
  stop_drawing (self);
  saban_map_view_set_tool (self->map, SABAN_MAP_TOOL_SELECT);
  set_area (self, area, circle ? _("Circle drawn on the map") : _("Polygon drawn on the map"), NULL, FALSE);
}

static void
on_area_refused (SabanScenarioLaunch *self,
                 const char          *message)
{
  g_autofree char *hint = NULL;

  if (!self->drawing)
    return;
  hint = g_strdup_printf (_("%s (Backspace removes the last corner, Escape cancels)"), message);
  set_hint (self, hint);
}

static void
on_area_cancelled (SabanScenarioLaunch *self)
{
  if (self->drawing)
    stop_drawing (self);
}

static void
start_drawing (SabanScenarioLaunch *self,
               SabanMapToolKind     tool)
{
  self->draw_tool = tool;
  gtk_toggle_button_set_active (self->communes_button, FALSE);
  show_message (self, NULL, FALSE);
  set_hint (self, tool == SABAN_MAP_TOOL_DRAW_CIRCLE ?
                  _("Press at the centre and drag to the radius, or click the centre then the edge; Escape cancels") :
                  _("Click the corners of the area; double-click or Enter to finish, Backspace removes the last corner, Escape cancels"));
  set_drawing (self, TRUE);
  saban_map_view_set_tool (self->map, tool);
}

static void
on_draw_polygon (SabanScenarioLaunch *self)
{
  start_drawing (self, SABAN_MAP_TOOL_DRAW_POLYGON);
}

static void
on_draw_circle (SabanScenarioLaunch *self)
{
  start_drawing (self, SABAN_MAP_TOOL_DRAW_CIRCLE);
}

/* Communes */

static gboolean
commune_visible (GtkListBoxRow *row,
                 gpointer       data)
{
  SabanScenarioLaunch *self = data;
  g_autofree char *query = saban_text_fold (gtk_editable_get_text (GTK_EDITABLE (self->commune_search)));
  const char *folded = g_object_get_data (G_OBJECT (row), "folded");

  return *query == '\0' || (folded != NULL && strstr (folded, query) != NULL);
}

static void
on_commune_search (SabanScenarioLaunch *self)
{
  gtk_list_box_invalidate_filter (self->commune_list);
}

static int
compare_commune_rows (GtkListBoxRow *a,
                      GtkListBoxRow *b,
                      gpointer       data)
{
  return g_strcmp0 (g_object_get_data (G_OBJECT (a), "key"), g_object_get_data (G_OBJECT (b), "key"));
}

static void
rebuild_communes (SabanScenarioLaunch *self)
{
  const SabanAttributeTable *table;
  int name_field, code_field;

  remove_rows (self->commune_list);
  if (self->communes == NULL)
    return;
  table = saban_vector_layer_get_attributes (self->communes);
  name_field = saban_attribute_table_find_field (table, "name");
  code_field = saban_attribute_table_find_field (table, "code");
  if (name_field < 0)
    return;
  for (guint32 f = 0; f < saban_vector_layer_get_n_features (self->communes); f++)
    {
      const char *name = saban_attribute_table_get_string (table, name_field, f);
      const char *code = code_field >= 0 ? saban_attribute_table_get_string (table, code_field, f) : NULL;
      GtkWidget *check = gtk_check_button_new_with_label (name);
      GtkWidget *row = gtk_list_box_row_new ();
      g_autofree char *id = g_strdup_printf ("commune-%s", code != NULL ? code : name);

      if (name == NULL)
        continue;
      gtk_widget_set_margin_start (check, 6);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), check);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_set_name (row, id);
      g_object_set_data (G_OBJECT (row), "feature", GUINT_TO_POINTER (f));
      g_object_set_data (G_OBJECT (row), "check", check);
      g_object_set_data_full (G_OBJECT (row), "folded", saban_text_fold (name), g_free);
      g_object_set_data_full (G_OBJECT (row), "key", g_utf8_collate_key (name, -1), g_free);
      gtk_list_box_append (self->commune_list, row);
    }
}

typedef struct
{
  SabanScenarioLaunch *self;   /* valid unless cancelled */
  char                *how;
  char                *place;
} UnionDone;

static void
union_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  UnionDone *done = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) area = saban_scenario_area_union_finish (result, &error);
  SabanScenarioLaunch *self = done->self;

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_object (&self->union_cancellable);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      if (area == NULL)
        show_message (self, error->message, TRUE);
      else
        {
          gtk_toggle_button_set_active (self->communes_button, FALSE);
          set_area (self, area, done->how, done->place, TRUE);
        }
    }
  g_free (done->how);
  g_free (done->place);
  g_free (done);
}

static void
on_apply_communes (SabanScenarioLaunch *self)
{
  g_autoptr(GArray) features = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  UnionDone *done;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->commune_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkCheckButton *check = g_object_get_data (G_OBJECT (row), "check");
      guint32 f;

      if (check == NULL || !gtk_check_button_get_active (check))
        continue;
      f = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "feature"));
      g_array_append_val (features, f);
      g_ptr_array_add (names, (gpointer) gtk_check_button_get_label (check));
    }
  if (self->communes == NULL)
    {
      show_message (self, _("The communes layer is not loaded"), TRUE);
      return;
    }
  /* GEOS's union of detailed communes is no work for the main thread */
  if (self->union_cancellable != NULL)
    g_cancellable_cancel (self->union_cancellable);
  g_clear_object (&self->union_cancellable);
  self->union_cancellable = g_cancellable_new ();
  done = g_new0 (UnionDone, 1);
  done->self = self;
  done->place = places_text ((const char * const *) names->pdata, names->len);
  done->how = g_strdup_printf (ngettext ("%u commune chosen", "%u communes chosen", features->len), features->len);
  saban_scenario_area_union_async (self->communes, (const guint32 *) features->data, features->len,
                                   self->union_cancellable, union_done, done);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* The impact panel */

static guint
n_affected_communes (SabanImpact *impact)
{
  guint n, affected = 0;
  const SabanImpactCommune *communes = saban_impact_get_communes (impact, &n);

  for (guint i = 0; i < n; i++)
    affected += communes[i].fraction >= MIN_COMMUNE_FRACTION;
  return affected;
}

static GtkWidget *
value_row (const char *name,
           const char *title,
           const char *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_set_name (label, "value");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  if (name != NULL)
    gtk_widget_set_name (row, name);
  return row;
}

static GtkWidget *
list_row (const char *name,
          const char *title,
          const char *subtitle,
          gboolean    expanded)
{
  GtkWidget *row = adw_expander_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), expanded);
  gtk_widget_set_name (row, name);
  return row;
}

static void
add_child (GtkWidget  *expander,
           const char *title,
           const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
}

static void
add_places (SabanScenarioLaunch *self,
            SabanImpactLayer     layer,
            const char          *name,
            const char          *title)
{
  guint n;
  const SabanImpactPlace *places;
  g_autofree char *count = NULL;
  GtkWidget *row;

  if (!saban_impact_has_layer (self->impact, layer))
    return;
  places = saban_impact_get_places (self->impact, layer, &n);
  count = g_strdup_printf (ngettext ("%u inside the area", "%u inside the area", n), n);
  row = list_row (name, title, count, FALSE);
  for (guint i = 0; i < n; i++)
    add_child (row, places[i].name != NULL ? places[i].name : "—", NULL);
  gtk_list_box_append (self->impact_list, row);
}

static const char *
sensor_state_name (SabanSensorState state)
{
  return state == SABAN_SENSOR_STATE_DANGER ? _("Danger") : _("Alert");
}

static void
show_impact (SabanScenarioLaunch *self)
{
  guint n_communes, n_shelters, n_nearest, n_landuse, n_sensors, n_reports;
  const SabanImpactCommune *communes = saban_impact_get_communes (self->impact, &n_communes);
  const SabanImpactPlace *shelters = saban_impact_get_places (self->impact, SABAN_IMPACT_SHELTERS, &n_shelters);
  const SabanImpactPlace *nearest = saban_impact_get_nearest_shelters (self->impact, &n_nearest);
  const SabanImpactLanduse *landuse = saban_impact_get_landuse (self->impact, &n_landuse);
  const SabanImpactSensor *sensors = saban_impact_get_sensors (self->impact, &n_sensors);
  const SabanImpactReport *reports = saban_impact_get_reports (self->impact, &n_reports);
  g_autofree char *population = saban_format_number (saban_impact_get_population_affected (self->impact), 0);
  g_autofree char *people = g_strdup_printf (_("%s people"), population);
  g_autofree char *capacity = saban_format_number (saban_impact_get_shelter_capacity (self->impact), 0);
  g_autofree char *subtitle = NULL;
  double total_ha = 0;
  guint n_affected = n_affected_communes (self->impact);
  GtkWidget *row;

  remove_rows (self->impact_list);
  gtk_list_box_append (self->impact_list, value_row ("impact-population", _("Population affected (estimate)"), people));

  subtitle = g_strdup_printf (ngettext ("%u commune or ward", "%u communes and wards", n_affected), n_affected);
  row = list_row ("impact-communes", _("Communes and wards"), subtitle, FALSE);
  for (guint i = 0; i < n_communes; i++)
    {
      g_autofree char *affected = saban_format_number (communes[i].population_affected, 0);
      g_autofree char *total = saban_format_number (communes[i].population, 0);
      g_autofree char *share = saban_format_number (100 * communes[i].fraction, 1);
      g_autofree char *text = g_strdup_printf (_("%s of %s people · %s%% of its area"), affected, total, share);

      if (communes[i].fraction < MIN_COMMUNE_FRACTION)
        continue;
      add_child (row, communes[i].name != NULL ? communes[i].name : communes[i].code, text);
    }
  gtk_list_box_append (self->impact_list, row);

  add_places (self, SABAN_IMPACT_HEALTH_FACILITIES, "impact-health", _("Health facilities"));
  add_places (self, SABAN_IMPACT_SCHOOLS, "impact-schools", _("Schools"));
  add_places (self, SABAN_IMPACT_POLICE_STATIONS, "impact-police", _("Police stations"));
  add_places (self, SABAN_IMPACT_FIRE_STATIONS, "impact-fire", _("Fire stations"));

  if (saban_impact_has_layer (self->impact, SABAN_IMPACT_SHELTERS))
    {
      g_clear_pointer (&subtitle, g_free);
      subtitle = g_strdup_printf (ngettext ("%u inside · capacity %s people", "%u inside · capacity %s people", n_shelters),
                                  n_shelters, capacity);
      row = list_row ("impact-shelters", _("Shelters in the area"), subtitle, FALSE);
      for (guint i = 0; i < n_shelters; i++)
        {
          g_autofree char *cap = saban_format_number (shelters[i].capacity, 0);
          g_autofree char *text = g_strdup_printf (_("capacity %s people"), cap);
          add_child (row, shelters[i].name, text);
        }
      gtk_list_box_append (self->impact_list, row);

      g_clear_pointer (&subtitle, g_free);
      subtitle = g_strdup_printf (ngettext ("%u nearest", "%u nearest", n_nearest), n_nearest);
      row = list_row ("impact-nearest-shelters", _("Nearest shelters outside"), subtitle, TRUE);
      for (guint i = 0; i < n_nearest; i++)
        {
          g_autofree char *km = saban_format_number (nearest[i].distance_m / 1000, 1);
          g_autofree char *cap = saban_format_number (nearest[i].capacity, 0);
          g_autofree char *text = g_strdup_printf (_("%s km away · capacity %s people"), km, cap);
          add_child (row, nearest[i].name, text);
        }
      gtk_list_box_append (self->impact_list, row);
    }

  if (saban_impact_has_layer (self->impact, SABAN_IMPACT_PARCELS))
    {
      g_autofree char *ha = NULL;

      for (guint i = 0; i < n_landuse; i++)
        total_ha += landuse[i].area_ha;
      ha = saban_format_number (total_ha, 1);
      g_clear_pointer (&subtitle, g_free);
      subtitle = g_strdup_printf (ngettext ("%s ha in %u parcel", "%s ha in %u parcels", saban_impact_get_n_parcels (self->impact)),
                                  ha, saban_impact_get_n_parcels (self->impact));
      row = list_row ("impact-landuse", _("Land use"), subtitle, FALSE);
      for (guint i = 0; i < n_landuse; i++)
        {
          const char *label = saban_layer_style_describe_landuse (landuse[i].code);
          g_autofree char *title = g_strdup_printf ("%s — %s", landuse[i].code, label != NULL ? label : _("unknown code"));
          g_autofree char *area = saban_format_number (landuse[i].area_ha, 1);
          g_autofree char *text = g_strdup_printf (_("%s ha"), area);
          add_child (row, title, text);
        }
      gtk_list_box_append (self->impact_list, row);
    }

  g_clear_pointer (&subtitle, g_free);
  subtitle = g_strdup_printf (ngettext ("%u sensor", "%u sensors", n_sensors), n_sensors);
  row = list_row ("impact-sensors", _("Sensors in alarm"), subtitle, n_sensors > 0);
  for (guint i = 0; i < n_sensors; i++)
    {
      g_autofree char *value = saban_format_number (sensors[i].value, 2);
      g_autofree char *text = g_strdup_printf ("%s · %s %s", sensor_state_name (sensors[i].state), value,
                                               sensors[i].unit != NULL ? sensors[i].unit : "");
      add_child (row, sensors[i].name, text);
    }
  gtk_list_box_append (self->impact_list, row);

  g_clear_pointer (&subtitle, g_free);
  subtitle = self->reports == NULL ? g_strdup (_("not fetched: the IOC server did not answer")) :
             g_strdup_printf (ngettext ("%u open report", "%u open reports", n_reports), n_reports);
  row = list_row ("impact-reports", _("Open citizen reports"), subtitle, FALSE);
  for (guint i = 0; i < n_reports; i++)
    add_child (row, reports[i].title, reports[i].id);
  gtk_list_box_append (self->impact_list, row);
}

/* What the area holds is what the user waits for: brought into view once
 * its new rows are laid out (a frame after they were added). */
static gboolean
scroll_to_impact (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       data)
{
  SabanScenarioLaunch *self = SABAN_SCENARIO_LAUNCH (widget);
  GtkWidget *content = gtk_scrolled_window_get_child (self->scroller);
  guint *frames = data;
  double x, y;

  if ((*frames)++ == 0)
    return G_SOURCE_CONTINUE;
  if (gtk_widget_translate_coordinates (GTK_WIDGET (self->impact_group), content, 0, 0, &x, &y))
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), y);
  return G_SOURCE_REMOVE;
}

/* The communes most affected name the place when the user gave none. */
static void
guess_place (SabanScenarioLaunch *self)
{
  guint n;
  const SabanImpactCommune *communes = saban_impact_get_communes (self->impact, &n);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree guint *order = g_new (guint, MAX (n, 1));

  if (self->place_given)
    return;
  for (guint i = 0; i < n; i++)
    order[i] = i;
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && communes[order[j]].population_affected > communes[order[j - 1]].population_affected; j--)
      {
        guint t = order[j];
        order[j] = order[j - 1];
        order[j - 1] = t;
      }
  for (guint i = 0; i < n; i++)
    if (communes[order[i]].name != NULL && communes[order[i]].fraction >= MIN_COMMUNE_FRACTION)
      g_ptr_array_add (names, communes[order[i]].name);
  g_free (self->place);
  self->place = places_text ((const char * const *) names->pdata, names->len);
  update_title (self);
}

static void
impact_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SabanImpact *impact = SABAN_IMPACT (source);
  g_autoptr(GError) error = NULL;
  SabanScenarioLaunch *self;

  if (!saban_impact_compute_finish (impact, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_SCENARIO_LAUNCH (user_data);
  g_clear_object (&self->impact_cancellable);
  gtk_spinner_stop (self->impact_spinner);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  if (error != NULL)
    {
      show_message (self, error->message, TRUE);
      return;
    }
  g_debug ("impact computed in %.0f ms", (g_get_monotonic_time () - self->compute_started) / 1000.0);
  g_set_object (&self->impact, impact);
  show_impact (self);
  guess_place (self);
  gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_impact, g_new0 (guint, 1), g_free);
}

static void
compute_impact (SabanScenarioLaunch *self)
{
  g_autofree char *wkt = NULL;
  g_autoptr(SabanImpactArea) area = NULL;
  g_autoptr(SabanImpact) impact = NULL;

  if (self->area == NULL || self->layers == NULL)
    return;
  wkt = saban_scenario_area_to_wkt (self->area, NULL);
  area = wkt != NULL ? saban_impact_area_new_from_wkt (wkt, NULL) : NULL;
  if (area == NULL)
    return;
  if (self->impact_cancellable != NULL)
    g_cancellable_cancel (self->impact_cancellable);
  g_clear_object (&self->impact_cancellable);
  g_clear_object (&self->impact);
  self->impact_cancellable = g_cancellable_new ();
  impact = saban_impact_new (area, self->layers);
  if (self->sensors != NULL)
    saban_impact_set_sensors (impact, self->sensors);
  if (self->reports != NULL)
    saban_impact_set_reports (impact, (const SabanImpactReport *) self->reports->data, self->reports->len);
  self->compute_started = g_get_monotonic_time ();
  gtk_spinner_start (self->impact_spinner);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  saban_impact_compute_async (impact, self->impact_cancellable, impact_done, self);
}

static void
reports_fetched (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GArray *reports = saban_citizen_reports_fetch_finish (result, &error);
  SabanScenarioLaunch *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_SCENARIO_LAUNCH (user_data);
  g_clear_object (&self->reports_cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  if (reports == NULL)
    {
      g_message ("%s", error->message);
      return;
    }
  g_clear_pointer (&self->reports, g_array_unref);
  self->reports = reports;
  compute_impact (self);
}

/* Launching */

static char *
impact_summary (SabanScenarioLaunch *self)
{
  guint n_shelters;
  g_autofree char *population = NULL;
  g_autofree char *capacity = NULL;

  if (self->impact == NULL)
    return NULL;
  saban_impact_get_places (self->impact, SABAN_IMPACT_SHELTERS, &n_shelters);
  population = saban_format_number (saban_impact_get_population_affected (self->impact), 0);
  capacity = saban_format_number (saban_impact_get_shelter_capacity (self->impact), 0);
  return g_strdup_printf (_("%s. About %s people affected in %u communes and wards; %u shelters inside the area (capacity %s people)."),
                          self->area_text, population, n_affected_communes (self->impact), n_shelters, capacity);
}

static void
on_scenario_pending (SabanScenarioLaunch *self)
{
  const char *status = saban_command_item_get_status (self->scenario);

  update_buttons (self);
  if (saban_command_item_get_pending (self->scenario))
    return;
  show_message (self, g_strcmp0 (status, "active") == 0 ? _("The scenario is active on the IOC server.") :
                                                         _("The draft scenario is on the IOC server."), FALSE);
}

static void
on_write_refused (SabanScenarioLaunch *self,
                  SabanCommandItem    *item,
                  const char          *message)
{
  g_autofree char *text = NULL;

  if (self->scenario == NULL || (item != NULL && item != self->scenario &&
                                 saban_command_item_get_scenario_id (item) != saban_command_item_get_id (self->scenario)))
    return;
  text = g_strdup_printf (_("The IOC server refused a change: %s"), message);
  show_message (self, text, TRUE);
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
          show_message (self, _("Choose a playbook first"), TRUE);
          return;
        }
      if (self->area == NULL)
        {
          show_message (self, _("Set the affected area first"), TRUE);
          return;
        }
      if (*title == '\0')
        {
          show_message (self, _("Give the scenario a title"), TRUE);
          return;
        }
      json_object_set_string_member (extra, "severity", severities[MIN (severity, G_N_ELEMENTS (severities) - 1)]);
      json_object_set_string_member (extra, "urgency", activate ? "Immediate" : "Expected");
      json_object_set_string_member (extra, "certainty", "Likely");
      summary = impact_summary (self);
      if (summary != NULL)
        json_object_set_string_member (extra, "description", summary);
      self->scenario = saban_command_client_create_scenario (self->client, playbook, title, self->area, extra, &error);
      if (self->scenario == NULL)
        {
          show_message (self, error->message, TRUE);
          return;
        }
      g_object_ref (self->scenario);
      g_signal_connect_object (self->scenario, "notify::pending", G_CALLBACK (on_scenario_pending), self, G_CONNECT_SWAPPED);
      created = TRUE;
    }
  if (activate && !saban_command_client_set_status (self->client, self->scenario, "active", &error))
    {
      show_message (self, error->message, TRUE);
      update_buttons (self);
      return;
    }
  if (created && gtk_switch_get_active (self->checklist_switch) && !create_checklist (self, playbook, &error))
    {
      show_message (self, error->message, TRUE);
      update_buttons (self);
      return;
    }
  /* the scenario layer shows it from now on */
  saban_map_view_show_area (self->map, NULL);
  update_buttons (self);
  if (saban_command_client_get_state (self->client) == SABAN_FEED_STATE_OFFLINE ||
      saban_command_item_get_pending (self->scenario))
    show_message (self, activate ? _("Activated. Waiting for the IOC server to confirm; nothing is lost while it is away.") :
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

static void saban_scenario_launch_constructed (GObject *object);

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
  gtk_widget_class_bind_template_callback (widget_class, on_draw_polygon);
  gtk_widget_class_bind_template_callback (widget_class, on_draw_circle);
  gtk_widget_class_bind_template_callback (widget_class, on_commune_search);
  gtk_widget_class_bind_template_callback (widget_class, on_apply_communes);
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
  g_signal_connect_object (self->map, "area-drawn", G_CALLBACK (on_area_drawn), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map, "area-refused", G_CALLBACK (on_area_refused), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map, "area-cancelled", G_CALLBACK (on_area_cancelled), self, G_CONNECT_SWAPPED);
  rebuild_playbooks (self);
}

static void
saban_scenario_launch_init (SabanScenarioLaunch *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_sort_func (self->playbook_list, compare_playbook_rows, NULL, NULL);
  gtk_list_box_set_header_func (self->playbook_list, playbook_headers, NULL, NULL);
  gtk_list_box_set_sort_func (self->commune_list, compare_commune_rows, NULL, NULL);
  gtk_list_box_set_filter_func (self->commune_list, commune_visible, self, NULL);
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
  rebuild_communes (self);

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
  remove_rows (self->impact_list);
  gtk_label_set_text (self->area_label, _("No area yet: draw it on the map, pick communes, or start from an alarm."));
  show_message (self, NULL, FALSE);
  update_title (self);
  update_buttons (self);

  if (self->reports_cancellable != NULL)
    g_cancellable_cancel (self->reports_cancellable);
  g_clear_object (&self->reports_cancellable);
  self->reports_cancellable = g_cancellable_new ();
  saban_citizen_reports_fetch_async (saban_session_get_api (self->session), self->reports_cancellable,
                                     reports_fetched, self);
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
  set_area (self, area, how, place, TRUE);
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
      show_message (self, error != NULL ? error->message : _("The alert has no area"), TRUE);
      return;
    }
  choose_playbook (self, saban_scenario_area_playbook_for_event (saban_alarm_get_event (alarm)));
  adw_combo_row_set_selected (self->severity_row, saban_alarm_get_level (alarm) == SABAN_SENSOR_STATE_DANGER ? 1 : 2);
  how = where != NULL && *where != '\0' ? g_strdup_printf (_("Area of the CAP alert: %s"), where)
                                        : g_strdup (_("Area of the CAP alert"));
  set_area (self, area, how, NULL, TRUE);
  if (self->area != NULL && headline != NULL && *headline != '\0')
    {
      self->setting_title = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->title_row), headline);
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
