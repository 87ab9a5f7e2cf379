/* saban-sensor-finder.c: filter and find live sensors — by kind, state and
 * commune, only those in alarm, and by name without diacritics — from a
 * popover under the "live monitoring stations" heading. The map shows only
 * what passes ("filter-changed"); the sensors found are listed, and a click
 * on one asks to show it ("sensor-chosen").
 *
 * The matching is SabanSensorFilter's (core); this only builds it.
 */
#include "saban-sensor-finder.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#define MAX_LISTED 50

struct _SabanSensorFinder
{
  GtkPopover         parent_instance;
  SabanSensorStore  *store;
  SabanAlarmList    *alarms;
  SabanSensorFilter *filter;
  GtkEditable       *query;
  GtkFlowBox        *kinds_box;
  GtkFlowBox        *states_box;
  GtkDropDown       *commune;
  GtkStringList     *commune_names;
  GPtrArray         *commune_codes;  /* parallel to commune_names after "all" */
  GtkListBox        *found;
  GtkLabel          *summary;
  guint              n_found;
  guint              idle;
};

enum { FILTER_CHANGED, SENSOR_CHOSEN, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanSensorFinder, saban_sensor_finder, GTK_TYPE_POPOVER)

static const struct { SabanSensorKind kind; const char *label; } kinds[] = {
  { SABAN_SENSOR_KIND_WATER_LEVEL, N_("Water level") },
  { SABAN_SENSOR_KIND_RAIN, N_("Rainfall") },
  { SABAN_SENSOR_KIND_AIR_QUALITY, N_("Air quality") },
  { SABAN_SENSOR_KIND_CAMERA, N_("Camera") },
  { SABAN_SENSOR_KIND_OTHER, N_("Other") },
};

static const struct { SabanSensorState state; const char *label; } states[] = {
  { SABAN_SENSOR_STATE_DANGER, N_("Danger") },
  { SABAN_SENSOR_STATE_ALERT, N_("Alert") },
  { SABAN_SENSOR_STATE_STALE, N_("No recent data") },
  { SABAN_SENSOR_STATE_NORMAL, N_("Normal") },
  { SABAN_SENSOR_STATE_UNKNOWN, N_("No data yet") },
};

static gboolean
in_alarm (SabanSensorFinder *self, guint index)
{
  return saban_alarm_list_find_active (self->alarms, index) != NULL;
}

static void
on_row_activated (GtkListBox *list, GtkListBoxRow *row, SabanSensorFinder *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "sensor"));

  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals[SENSOR_CHOSEN], 0, index);
}

static const char *
commune_label (const SabanSensor *s)
{
  return s->commune_name != NULL ? s->commune_name : s->commune;
}

static int
by_commune (gconstpointer a, gconstpointer b)
{
  return g_utf8_collate (commune_label (*(const SabanSensor **) a), commune_label (*(const SabanSensor **) b));
}

/* the communes the sensors are in, by name, for the drop-down */
static void
update_communes (SabanSensorFinder *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) pairs = g_ptr_array_new ();

  for (guint i = 0; i < saban_sensor_store_get_n_sensors (self->store); i++)
    {
      const SabanSensor *s = saban_sensor_store_get_sensor (self->store, i);

      if (s->commune != NULL && g_hash_table_add (seen, (gpointer) s->commune))
        g_ptr_array_add (pairs, (gpointer) s);
    }
  if (pairs->len == self->commune_codes->len)
    return;
  g_ptr_array_sort (pairs, by_commune);
  g_ptr_array_set_size (self->commune_codes, 0);
  gtk_string_list_splice (self->commune_names, 1, g_list_model_get_n_items (G_LIST_MODEL (self->commune_names)) - 1, NULL);
  for (guint i = 0; i < pairs->len; i++)
    {
      const SabanSensor *s = g_ptr_array_index (pairs, i);

      g_ptr_array_add (self->commune_codes, g_strdup (s->commune));
      gtk_string_list_append (self->commune_names, commune_label (s));
    }
}

static void
update_found (SabanSensorFinder *self)
{
  GtkWidget *child;
  guint listed = 0;
  g_autofree char *summary = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->found))) != NULL)
    gtk_list_box_remove (self->found, child);
  self->n_found = 0;
  for (guint i = 0; i < saban_sensor_store_get_n_sensors (self->store); i++)
    {
      const SabanSensor *s = saban_sensor_store_get_sensor (self->store, i);
      GtkWidget *row;

      if (!saban_sensor_filter_matches (self->filter, s, in_alarm (self, i)))
        continue;
      self->n_found++;
      if (listed++ >= MAX_LISTED)
        continue;
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), s->name);
      if (s->commune_name != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), s->commune_name);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "sensor", GUINT_TO_POINTER (i));
      gtk_list_box_append (self->found, row);
    }
  summary = self->n_found > MAX_LISTED
              ? g_strdup_printf (_("%u stations match; the first %u are listed"), self->n_found, MAX_LISTED)
              : g_strdup_printf (ngettext ("%u station matches", "%u stations match", self->n_found), self->n_found);
  gtk_label_set_text (self->summary, summary);
}

static gboolean
changed_idle (gpointer data)
{
  SabanSensorFinder *self = data;

  self->idle = 0;
  update_found (self);
  g_signal_emit (self, signals[FILTER_CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
queue_changed (SabanSensorFinder *self)
{
  if (self->idle == 0)
    self->idle = g_idle_add (changed_idle, self);
}

static void
on_kind_toggled (GtkCheckButton *check, SabanSensorFinder *self)
{
  saban_sensor_filter_set_kind (self->filter, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "value")),
                                gtk_check_button_get_active (check));
  queue_changed (self);
}

static void
on_state_toggled (GtkCheckButton *check, SabanSensorFinder *self)
{
  saban_sensor_filter_set_state (self->filter, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "value")),
                                 gtk_check_button_get_active (check));
  queue_changed (self);
}

static void
on_only_alarms (GtkSwitch *sw, GParamSpec *pspec, SabanSensorFinder *self)
{
  saban_sensor_filter_set_only_alarms (self->filter, gtk_switch_get_active (sw));
  queue_changed (self);
}

static void
on_query_changed (GtkEditable *editable, SabanSensorFinder *self)
{
  saban_sensor_filter_set_query (self->filter, gtk_editable_get_text (editable));
  queue_changed (self);
}

static void
on_commune_selected (GtkDropDown *dropdown, GParamSpec *pspec, SabanSensorFinder *self)
{
  guint k = gtk_drop_down_get_selected (dropdown);

  saban_sensor_filter_set_commune (self->filter, k >= 1 && k - 1 < self->commune_codes->len
                                                   ? g_ptr_array_index (self->commune_codes, k - 1) : NULL);
  queue_changed (self);
}

static void
on_show (SabanSensorFinder *self)
{
  update_communes (self);
  update_found (self);
}

/* a check button per value, all on */
static void
fill_checks (SabanSensorFinder *self, GtkFlowBox *box, guint n, const guint *values, const char *const *labels,
             GCallback on_toggled)
{
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (_(labels[i]));

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      g_object_set_data (G_OBJECT (check), "value", GUINT_TO_POINTER (values[i]));
      g_signal_connect_object (check, "toggled", on_toggled, self, 0);
      gtk_flow_box_append (box, check);
    }
}

static void
saban_sensor_finder_dispose (GObject *object)
{
  SabanSensorFinder *self = SABAN_SENSOR_FINDER (object);

  g_clear_handle_id (&self->idle, g_source_remove);
  g_clear_object (&self->store);
  g_clear_object (&self->alarms);
  g_clear_pointer (&self->filter, saban_sensor_filter_free);
  g_clear_pointer (&self->commune_codes, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_SENSOR_FINDER);
  g_clear_object (&self->commune_names);
  G_OBJECT_CLASS (saban_sensor_finder_parent_class)->dispose (object);
}

static void
saban_sensor_finder_class_init (SabanSensorFinderClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = saban_sensor_finder_dispose;

  /**
   * SabanSensorFinder::filter-changed:
   *
   * The filter changed; get it with saban_sensor_finder_get_filter().
   */
  signals[FILTER_CHANGED] = g_signal_new ("filter-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * SabanSensorFinder::sensor-chosen:
   * @sensor: the chosen sensor's index in the store
   */
  signals[SENSOR_CHOSEN] = g_signal_new ("sensor-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-sensor-finder.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanSensorFinder, query);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorFinder, kinds_box);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorFinder, states_box);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorFinder, commune);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorFinder, summary);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorFinder, found);
  gtk_widget_class_bind_template_callback (widget_class, on_show);
  gtk_widget_class_bind_template_callback (widget_class, on_query_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_commune_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_only_alarms);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
}

static void
saban_sensor_finder_init (SabanSensorFinder *self)
{
  guint kind_values[G_N_ELEMENTS (kinds)], state_values[G_N_ELEMENTS (states)];
  const char *kind_labels[G_N_ELEMENTS (kinds)], *state_labels[G_N_ELEMENTS (states)];

  gtk_widget_init_template (GTK_WIDGET (self));
  self->filter = saban_sensor_filter_new ();
  self->commune_codes = g_ptr_array_new_with_free_func (g_free);
  self->commune_names = gtk_string_list_new ((const char *[]) { _("All communes and wards"), NULL });
  gtk_drop_down_set_model (self->commune, G_LIST_MODEL (self->commune_names));
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      kind_values[i] = kinds[i].kind;
      kind_labels[i] = kinds[i].label;
    }
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      state_values[i] = states[i].state;
      state_labels[i] = states[i].label;
    }
  fill_checks (self, self->kinds_box, G_N_ELEMENTS (kinds), kind_values, kind_labels, G_CALLBACK (on_kind_toggled));
  fill_checks (self, self->states_box, G_N_ELEMENTS (states), state_values, state_labels,
               G_CALLBACK (on_state_toggled));
}

/**
 * saban_sensor_finder_new:
 * @store: the live sensors
 * @alarms: their alarms ("only sensors in alarm")
 *
 * Returns: (transfer floating): the popover
 */
GtkWidget *
saban_sensor_finder_new (SabanSensorStore *store, SabanAlarmList *alarms)
{
  SabanSensorFinder *self = g_object_new (SABAN_TYPE_SENSOR_FINDER, NULL);

  self->store = g_object_ref (store);
  self->alarms = g_object_ref (alarms);
  return GTK_WIDGET (self);
}

/**
 * saban_sensor_finder_get_filter:
 * @self: a finder
 *
 * Returns: (transfer none): the filter as the operator set it
 */
const SabanSensorFilter *
saban_sensor_finder_get_filter (SabanSensorFinder *self)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_FINDER (self), NULL);
  return self->filter;
}

/**
 * saban_sensor_finder_set_query:
 * @self: a finder
 * @query: a name to look for, as typed in its entry
 */
void
saban_sensor_finder_set_query (SabanSensorFinder *self, const char *query)
{
  g_return_if_fail (SABAN_IS_SENSOR_FINDER (self));
  gtk_editable_set_text (self->query, query);
}

/**
 * saban_sensor_finder_get_n_found:
 * @self: a finder
 *
 * Returns: how many sensors passed the filter when last listed
 */
guint
saban_sensor_finder_get_n_found (SabanSensorFinder *self)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_FINDER (self), 0);
  return self->n_found;
}
