/* saban-alarm-centre.c: the operator's alarm centre — every alarm of the
 * session in a table (level I/II/III, the station's full name, its reading
 * now and the trend, the commune, how long ago, who acknowledged it),
 * sortable by any column and filtered by a search, a lowest level and
 * "waiting only"; an alarm is acknowledged from its row with an optional
 * note, and a double click (or Enter) shows its sensor.
 *
 * It is a self-contained widget on the session, so it lives in the main
 * window's pane or in a window of its own. The table binds only the rows
 * in view; what changes with time or with readings (the age, the reading,
 * the trend) is refreshed every 30 s and a second after readings arrive,
 * and only while the centre is on screen.
 */
#include "saban-alarm-centre.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "saban-command-labels.h"
#include "saban-format.h"
#include "saban-permission.h"
#include "saban-text.h"

#define TICK_SECONDS 30
#define READINGS_DELAY_MS 1000

struct _SabanAlarmCentre
{
  GtkWidget           parent_instance;
  GtkWidget          *box;   /* the template's root */
  GtkLabel           *heading;
  GtkLabel           *counts;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *grade_drop;
  GtkToggleButton    *waiting_toggle;
  GtkColumnView      *view;
  GtkStack           *stack;

  SabanSession       *session;
  SabanAlarmList     *alarms;
  SabanSensorStore   *store;
  GtkFilter          *filter;
  GtkFilterListModel *filtered;
  GtkSortListModel   *sorted;
  char               *query;          /* folded; NULL: none */
  SabanAlarmGrade     min_grade;
  gboolean            waiting_only;
  GHashTable         *live_cells;     /* GtkListItem → its CellUpdate, for cells that age */
  GHashTable         *ack_cells;      /* the acknowledgement column's GtkListItems: they follow the role */
  guint               tick;
  guint               readings_timeout;
};

enum { PROP_0, PROP_SESSION, N_PROPS };
enum { SENSOR_ACTIVATED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanAlarmCentre, saban_alarm_centre, GTK_TYPE_WIDGET)

typedef void (*CellUpdate) (SabanAlarmCentre *self, GtkWidget *cell, SabanAlarm *alarm);

/* ---- what a cell shows ------------------------------------------------------ */

static const SabanSensor *
alarm_sensor (SabanAlarmCentre *self, SabanAlarm *alarm)
{
  guint index = saban_alarm_get_sensor (alarm);

  return index < saban_sensor_store_get_n_sensors (self->store) ? saban_sensor_store_get_sensor (self->store, index)
                                                                 : NULL;
}

static void
update_grade (SabanAlarmCentre *self, GtkWidget *cell, SabanAlarm *alarm)
{
  static const char *const classes[] = { NULL, "grade-1", "grade-2", "grade-3" };

  for (guint g = SABAN_ALARM_GRADE_I; g <= SABAN_ALARM_GRADE_III; g++)
    gtk_widget_remove_css_class (cell, classes[g]);
  gtk_widget_add_css_class (cell, classes[saban_alarm_get_grade (alarm)]);
  gtk_label_set_label (GTK_LABEL (cell), saban_alarm_grade_label (saban_alarm_get_grade (alarm)));
  if (saban_alarm_get_acknowledged (alarm))
    gtk_widget_add_css_class (cell, "acknowledged");
  else
    gtk_widget_remove_css_class (cell, "acknowledged");
}

static void
update_station (SabanAlarmCentre *self, GtkWidget *cell, SabanAlarm *alarm)
{
  gtk_label_set_label (GTK_LABEL (cell), saban_alarm_get_sensor_name (alarm));
}

/* the reading now (what the operator acts on); the one that crossed in
 * the tooltip */
static void
update_value (SabanAlarmCentre *self, GtkWidget *cell, SabanAlarm *alarm)
{
  const SabanSensor *s = alarm_sensor (self, alarm);
  g_autofree char *now = s != NULL ? saban_format_reading (s->value, s->unit) : NULL;
  g_autofree char *crossed = saban_format_reading (saban_alarm_get_value (alarm), saban_alarm_get_unit (alarm));
  g_autofree char *when = saban_format_local_time (saban_alarm_get_time (alarm), "%H:%M %d/%m/%Y");
  g_autofree char *tip = NULL;

  if (s == NULL)
    {
      gtk_label_set_label (GTK_LABEL (cell), "—");
      gtk_widget_set_tooltip_text (cell, _("A CAP alert: it has no reading"));
      return;
    }
  tip = g_strdup_printf (_("Reading that raised the alarm: %s at %s"), crossed, when);
  gtk_label_set_label (GTK_LABEL (cell), now);
  gtk_widget_set_tooltip_text (cell, tip);
}

static void
update_trend (SabanAlarmCentre *self, GtkWidget *cell, SabanAlarm *alarm)
{
  static const char *const arrows[] = { "", "→ ", "↑ ", "↓ " };
  const SabanSensor *s = alarm_sensor (self, alarm);
  SabanSensorTrend trend = s != NULL ? saban_sensor_trend (s) : SABAN_SENSOR_TREND_UNKNOWN;
  g_autofree char *text = g_strconcat (arrows[trend], saban_sensor_trend_label (trend), NULL);

  gtk_label_set_label (GTK_LABEL (cell), text);
  gtk_widget_remove_css_class (cell, "error");
  if (trend == SABAN_SENSOR_TREND_RISING)
    gtk_widget_add_css_class (cell, "error");
}

static void
update_commune (SabanAlarmCentre *self, GtkWidget *cell, SabanAlarm *alarm)
{
  const char *commune = saban_alarm_get_commune (alarm);

  gtk_label_set_label (GTK_LABEL (cell), commune != NULL ? commune : "—");
}

static void
update_age (SabanAlarmCentre *self, GtkWidget *cell, SabanAlarm *alarm)
{
  gint64 age_s = MAX (0, (g_get_real_time () - saban_alarm_get_time (alarm)) / G_USEC_PER_SEC);
  g_autofree char *age = saban_format_age (age_s);
  g_autofree char *when = saban_format_local_time (saban_alarm_get_time (alarm), "%H:%M %d/%m/%Y");

  gtk_label_set_label (GTK_LABEL (cell), age);
  gtk_widget_set_tooltip_text (cell, when);
}

static void
on_acknowledge (GtkWidget *confirm, SabanAlarmCentre *self)
{
  SabanAlarm *alarm = g_object_get_data (G_OBJECT (confirm), "alarm");
  GtkEditable *note = g_object_get_data (G_OBJECT (confirm), "note");
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (note)));

  saban_session_acknowledge_alarm (self->session, alarm, text);
}

/* "Acknowledge…" opens a small form: an optional note, then confirm */
static GtkWidget *
acknowledge_button (SabanAlarmCentre *self, SabanAlarm *alarm)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *note = gtk_entry_new ();
  GtkWidget *confirm = gtk_button_new_with_label (_("Acknowledge"));

  g_autofree char *refused = NULL;
  /* acknowledging writes an acknowledgement: the command schema's writers only */
  gboolean may = saban_command_label_permission (saban_session_get_role (self->session), "acknowledgements", NULL,
                                                 NULL, &refused);

  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), _("Acknowledge…"));
  gtk_widget_set_sensitive (button, may);
  saban_permission_apply (button, may, refused);
  gtk_entry_set_placeholder_text (GTK_ENTRY (note), _("Note (optional)"));
  gtk_entry_set_activates_default (GTK_ENTRY (note), TRUE);
  gtk_widget_set_size_request (note, 260, -1);
  gtk_widget_add_css_class (confirm, "suggested-action");
  gtk_box_append (GTK_BOX (box), note);
  gtk_box_append (GTK_BOX (box), confirm);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_popover_set_default_widget (GTK_POPOVER (popover), confirm);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data_full (G_OBJECT (confirm), "alarm", g_object_ref (alarm), g_object_unref);
  g_object_set_data (G_OBJECT (confirm), "note", note);
  g_signal_connect_object (confirm, "clicked", G_CALLBACK (on_acknowledge), self, 0);
  return button;
}

/* who acknowledged, when, with what note; or the button to do it */
static void
update_acknowledgement (SabanAlarmCentre *self, GtkWidget *cell, SabanAlarm *alarm)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (cell)) != NULL)
    gtk_box_remove (GTK_BOX (cell), child);
  if (saban_alarm_get_acknowledged (alarm))
    {
      g_autofree char *at = saban_format_local_time (saban_alarm_get_ack_time (alarm), "%H:%M %d/%m/%Y");
      const char *note = saban_alarm_get_ack_note (alarm);
      g_autofree char *by = g_strdup_printf (_("Acknowledged by %s at %s"), saban_alarm_get_ack_by (alarm), at);
      g_autofree char *text = note != NULL ? g_strdup_printf ("%s: “%s”", by, note) : g_steal_pointer (&by);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (cell), label);
      return;
    }
  gtk_box_append (GTK_BOX (cell), acknowledge_button (self, alarm));
}

/* a scenario for the alarm's area, prefilled from its sensor or its CAP
 * alert (the main window's actions) */
static void
update_launch (SabanAlarmCentre *self, GtkWidget *cell, SabanAlarm *alarm)
{
  const char *identifier = saban_alarm_get_cap_identifier (alarm);

  /* the target first: a recycled button's action must never meet the wrong type */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cell), NULL);
  if (identifier != NULL)
    {
      gtk_widget_set_tooltip_text (cell, _("Launch a scenario for this alert's area"));
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (cell), g_variant_new_string (identifier));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (cell), "win.launch-scenario-for-alert");
      return;
    }
  gtk_widget_set_tooltip_text (cell, _("Launch a scenario around this sensor"));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (cell), g_variant_new_uint32 (saban_alarm_get_sensor (alarm)));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cell), "win.launch-scenario-for-sensor");
}

/* ---- sorting ---------------------------------------------------------------- */

static int
compare_time (SabanAlarm *a, SabanAlarm *b)
{
  gint64 ta = saban_alarm_get_time (a), tb = saban_alarm_get_time (b);

  return ta < tb ? GTK_ORDERING_SMALLER : ta > tb ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

/* by level, then waiting before acknowledged, then the newest: what calls
 * for action first when sorted descending */
static int
compare_grade (gconstpointer a, gconstpointer b, gpointer data)
{
  SabanAlarm *x = (SabanAlarm *) a, *y = (SabanAlarm *) b;
  int gx = saban_alarm_get_grade (x), gy = saban_alarm_get_grade (y);
  gboolean wx = !saban_alarm_get_acknowledged (x), wy = !saban_alarm_get_acknowledged (y);

  if (gx != gy)
    return gx < gy ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
  if (wx != wy)
    return wx ? GTK_ORDERING_LARGER : GTK_ORDERING_SMALLER;
  return compare_time (x, y);
}

static int
compare_text (const char *x, const char *y)
{
  int c = g_utf8_collate (x != NULL ? x : "", y != NULL ? y : "");

  return c < 0 ? GTK_ORDERING_SMALLER : c > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static int
compare_station (gconstpointer a, gconstpointer b, gpointer data)
{
  return compare_text (saban_alarm_get_sensor_name ((SabanAlarm *) a), saban_alarm_get_sensor_name ((SabanAlarm *) b));
}

static int
compare_commune (gconstpointer a, gconstpointer b, gpointer data)
{
  return compare_text (saban_alarm_get_commune ((SabanAlarm *) a), saban_alarm_get_commune ((SabanAlarm *) b));
}

static int
compare_age (gconstpointer a, gconstpointer b, gpointer data)
{
  /* older first when ascending: the longest age */
  return compare_time ((SabanAlarm *) b, (SabanAlarm *) a);
}

static int
compare_acknowledgement (gconstpointer a, gconstpointer b, gpointer data)
{
  gboolean x = saban_alarm_get_acknowledged ((SabanAlarm *) a), y = saban_alarm_get_acknowledged ((SabanAlarm *) b);

  return x == y ? compare_time ((SabanAlarm *) a, (SabanAlarm *) b) : x ? GTK_ORDERING_LARGER : GTK_ORDERING_SMALLER;
}

/* ---- the columns ------------------------------------------------------------- */

typedef struct
{
  const char      *id;
  const char      *title;
  CellUpdate       update;
  GCompareDataFunc compare;
  gboolean         ages;      /* changes with time or readings */
  gboolean         expand;
  int              width;
} ColumnSpec;

static const ColumnSpec column_specs[] = {
  { "grade", N_("Alarm level"), update_grade, compare_grade, TRUE, FALSE, 120 },
  { "station", N_("Station"), update_station, compare_station, FALSE, TRUE, 220 },
  { "value", N_("Reading"), update_value, NULL, TRUE, FALSE, 110 },
  { "trend", N_("Trend"), update_trend, NULL, TRUE, FALSE, 110 },
  { "commune", N_("Commune"), update_commune, compare_commune, FALSE, FALSE, 150 },
  { "age", N_("Since"), update_age, compare_age, TRUE, FALSE, 110 },
  { "acknowledgement", N_("Acknowledgement"), update_acknowledgement, compare_acknowledgement, FALSE, TRUE, 200 },
  { "launch", NULL, update_launch, NULL, FALSE, FALSE, 40 },
};

static GtkWidget *
make_cell (const ColumnSpec *spec)
{
  GtkWidget *cell;

  if (spec->update == update_acknowledgement)
    return gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  if (spec->update == update_launch)
    {
      cell = gtk_button_new_from_icon_name ("media-playback-start-symbolic");
      gtk_widget_add_css_class (cell, "flat");
      gtk_widget_set_halign (cell, GTK_ALIGN_CENTER);
      return cell;
    }
  cell = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (cell), 0);
  gtk_label_set_wrap (GTK_LABEL (cell), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (cell), PANGO_WRAP_WORD_CHAR);
  if (spec->update == update_grade)
    gtk_widget_add_css_class (cell, "alarm-grade");
  if (spec->update == update_value || spec->update == update_age)
    gtk_widget_add_css_class (cell, "numeric");
  return cell;
}

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, const ColumnSpec *spec)
{
  gtk_list_item_set_child (item, make_cell (spec));
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, const ColumnSpec *spec)
{
  SabanAlarmCentre *self = g_object_get_data (G_OBJECT (factory), "centre");

  spec->update (self, gtk_list_item_get_child (item), gtk_list_item_get_item (item));
  if (spec->ages)
    g_hash_table_insert (self->live_cells, item, spec->update);
  else if (spec->update == update_acknowledgement)
    g_hash_table_add (self->ack_cells, item);
}

static void
unbind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, const ColumnSpec *spec)
{
  SabanAlarmCentre *self = g_object_get_data (G_OBJECT (factory), "centre");

  g_hash_table_remove (self->live_cells, item);
  g_hash_table_remove (self->ack_cells, item);
}

/* another account signed in: who may acknowledge changes */
static void
on_role_changed (SabanAlarmCentre *self)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, self->ack_cells);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    update_acknowledgement (self, gtk_list_item_get_child (item), gtk_list_item_get_item (item));
}

static void
add_columns (SabanAlarmCentre *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (column_specs); i++)
    {
      const ColumnSpec *spec = &column_specs[i];
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "centre", self);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), (gpointer) spec);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), (gpointer) spec);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), (gpointer) spec);
      column = gtk_column_view_column_new (spec->title != NULL ? _(spec->title) : NULL, factory);
      /* gtk_column_view_column_set_id is GTK 4.10 */
      g_object_set_data (G_OBJECT (column), "saban-id", (gpointer) spec->id);
      gtk_column_view_column_set_expand (column, spec->expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_fixed_width (column, spec->width);
      if (spec->compare != NULL)
        {
          g_autoptr(GtkCustomSorter) sorter = gtk_custom_sorter_new (spec->compare, NULL, NULL);

          gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
        }
      gtk_column_view_append_column (self->view, column);
    }
}

/* ---- filtering and counts ------------------------------------------------------ */

static void on_search_changed (SabanAlarmCentre *self);

static gboolean
alarm_visible (gpointer item, gpointer data)
{
  SabanAlarmCentre *self = data;
  SabanAlarm *alarm = item;
  g_autofree char *text = NULL, *folded = NULL;

  if (saban_alarm_get_grade (alarm) < self->min_grade ||
      (self->waiting_only && saban_alarm_get_acknowledged (alarm)))
    return FALSE;
  if (self->query == NULL)
    return TRUE;
  text = g_strconcat (saban_alarm_get_sensor_name (alarm), " ",
                      saban_alarm_get_commune (alarm) != NULL ? saban_alarm_get_commune (alarm) : "", NULL);
  folded = saban_text_fold (text);
  return strstr (folded, self->query) != NULL;
}

static void
update_counts (SabanAlarmCentre *self)
{
  guint waiting = saban_alarm_list_get_n_active (self->alarms);
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint all = g_list_model_get_n_items (G_LIST_MODEL (self->alarms));
  g_autofree char *waiting_text = g_strdup_printf (g_dngettext (NULL, "%u waiting for acknowledgement",
                                                                "%u waiting for acknowledgement", waiting), waiting);
  g_autofree char *text = shown == all ? g_steal_pointer (&waiting_text)
                                       : g_strdup_printf (_("%s · %u of %u shown"), waiting_text, shown, all);

  gtk_label_set_label (self->counts, text);
  gtk_stack_set_visible_child_name (self->stack, shown > 0 ? "table" : all > 0 ? "filtered" : "empty");
}

static void
refilter (SabanAlarmCentre *self)
{
  gtk_filter_changed (self->filter, GTK_FILTER_CHANGE_DIFFERENT);
  update_counts (self);
}

/**
 * saban_alarm_centre_set_search:
 * @text: (nullable): words of a station's or a commune's name, accents
 *   optional ("bao ha" finds "Bảo Hà")
 */
void
saban_alarm_centre_set_search (SabanAlarmCentre *self, const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));

  g_return_if_fail (SABAN_IS_ALARM_CENTRE (self));

  g_free (self->query);
  self->query = *stripped != '\0' ? saban_text_fold (stripped) : NULL;
  /* setting the text empties it first, which the entry announces at once */
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), text != NULL ? text : "") != 0)
    {
      g_signal_handlers_block_by_func (self->search_entry, on_search_changed, self);
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
      g_signal_handlers_unblock_by_func (self->search_entry, on_search_changed, self);
    }
  refilter (self);
}

/**
 * saban_alarm_centre_set_min_grade:
 * @grade: the lowest alarm level shown (NONE or I: all)
 */
void
saban_alarm_centre_set_min_grade (SabanAlarmCentre *self, SabanAlarmGrade grade)
{
  g_return_if_fail (SABAN_IS_ALARM_CENTRE (self));

  self->min_grade = grade;
  /* the drop-down lists all, II and above, III */
  gtk_drop_down_set_selected (self->grade_drop, grade <= SABAN_ALARM_GRADE_I ? 0 : grade - 1);
  refilter (self);
}

/**
 * saban_alarm_centre_set_waiting_only:
 * @waiting_only: whether to hide acknowledged alarms
 */
void
saban_alarm_centre_set_waiting_only (SabanAlarmCentre *self, gboolean waiting_only)
{
  g_return_if_fail (SABAN_IS_ALARM_CENTRE (self));

  self->waiting_only = waiting_only;
  gtk_toggle_button_set_active (self->waiting_toggle, waiting_only);
  refilter (self);
}

static void
on_search_changed (SabanAlarmCentre *self)
{
  saban_alarm_centre_set_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_grade_selected (SabanAlarmCentre *self)
{
  guint selected = gtk_drop_down_get_selected (self->grade_drop);
  SabanAlarmGrade grade = selected == 0 ? SABAN_ALARM_GRADE_NONE : selected + 1;

  if (grade != self->min_grade)
    saban_alarm_centre_set_min_grade (self, grade);
}

static void
on_waiting_toggled (SabanAlarmCentre *self)
{
  if (gtk_toggle_button_get_active (self->waiting_toggle) != self->waiting_only)
    saban_alarm_centre_set_waiting_only (self, gtk_toggle_button_get_active (self->waiting_toggle));
}

/**
 * saban_alarm_centre_sort_by:
 * @column: a column's id: "grade", "station", "commune", "age" or
 *   "acknowledgement"
 * @order: which way
 */
void
saban_alarm_centre_sort_by (SabanAlarmCentre *self, const char *column, GtkSortType order)
{
  GListModel *columns;

  g_return_if_fail (SABAN_IS_ALARM_CENTRE (self));

  columns = gtk_column_view_get_columns (self->view);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) c = g_list_model_get_item (columns, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (c), "saban-id"), column) == 0)
        gtk_column_view_sort_by_column (self->view, c, order);
    }
}

/**
 * saban_alarm_centre_get_shown:
 *
 * Returns: (transfer none): the alarms as the table lists them: filtered
 *   and sorted
 */
GListModel *
saban_alarm_centre_get_shown (SabanAlarmCentre *self)
{
  g_return_val_if_fail (SABAN_IS_ALARM_CENTRE (self), NULL);
  return G_LIST_MODEL (self->sorted);
}

/* ---- keeping the ages and readings current --------------------------------------- */

/**
 * saban_alarm_centre_refresh:
 *
 * Redraws what changes with time and readings in the rows in view (done
 * every 30 s, and a second after readings arrive, while on screen).
 */
void
saban_alarm_centre_refresh (SabanAlarmCentre *self)
{
  GHashTableIter iter;
  gpointer item, update;

  g_return_if_fail (SABAN_IS_ALARM_CENTRE (self));

  g_hash_table_iter_init (&iter, self->live_cells);
  while (g_hash_table_iter_next (&iter, &item, &update))
    ((CellUpdate) update) (self, gtk_list_item_get_child (item), gtk_list_item_get_item (item));
}

static gboolean
tick_cb (gpointer data)
{
  saban_alarm_centre_refresh (data);
  return G_SOURCE_CONTINUE;
}

static gboolean
readings_cb (gpointer data)
{
  SabanAlarmCentre *self = data;

  self->readings_timeout = 0;
  saban_alarm_centre_refresh (self);
  return G_SOURCE_REMOVE;
}

/* readings come every second in a flood: one refresh a second at most,
 * none while hidden */
static void
on_sensors_changed (SabanAlarmCentre *self)
{
  if (self->readings_timeout == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->readings_timeout = g_timeout_add (READINGS_DELAY_MS, readings_cb, self);
}

static void
saban_alarm_centre_map (GtkWidget *widget)
{
  SabanAlarmCentre *self = SABAN_ALARM_CENTRE (widget);

  GTK_WIDGET_CLASS (saban_alarm_centre_parent_class)->map (widget);
  saban_alarm_centre_refresh (self);
  if (self->tick == 0)
    self->tick = g_timeout_add_seconds (TICK_SECONDS, tick_cb, self);
}

static void
saban_alarm_centre_unmap (GtkWidget *widget)
{
  SabanAlarmCentre *self = SABAN_ALARM_CENTRE (widget);

  g_clear_handle_id (&self->tick, g_source_remove);
  g_clear_handle_id (&self->readings_timeout, g_source_remove);
  GTK_WIDGET_CLASS (saban_alarm_centre_parent_class)->unmap (widget);
}

/* ---- activation ---------------------------------------------------------------- */

static void
on_activate (SabanAlarmCentre *self, guint position)
{
  g_autoptr(SabanAlarm) alarm = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);

  /* a CAP alert has no sensor to show */
  if (alarm != NULL && saban_alarm_get_cap_identifier (alarm) == NULL)
    g_signal_emit (self, signals[SENSOR_ACTIVATED], 0, saban_alarm_get_sensor (alarm));
}

/* ---- life ------------------------------------------------------------------------ */

/* the sound of each level, on or off (GSettings) */
static void
add_sound_actions (SabanAlarmCentre *self)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();

  for (guint g = 1; g <= 3; g++)
    {
      g_autofree char *key = g_strdup_printf ("alarm-sound-level-%u", g);
      g_autoptr(GAction) action = g_settings_create_action (settings, key);

      g_action_map_add_action (G_ACTION_MAP (group), action);
    }
  gtk_widget_insert_action_group (GTK_WIDGET (self), "alarms", G_ACTION_GROUP (group));
}

static void
saban_alarm_centre_constructed (GObject *object)
{
  SabanAlarmCentre *self = SABAN_ALARM_CENTRE (object);
  g_autoptr(GtkNoSelection) selection = NULL;

  G_OBJECT_CLASS (saban_alarm_centre_parent_class)->constructed (object);

  self->alarms = g_object_ref (saban_session_get_alarms (self->session));
  self->store = g_object_ref (saban_session_get_sensor_store (self->session));
  self->filter = GTK_FILTER (gtk_custom_filter_new (alarm_visible, self, NULL));
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->alarms)), g_object_ref (self->filter));
  add_columns (self);
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filtered)),
                                          g_object_ref (gtk_column_view_get_sorter (self->view)));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (selection));
  saban_alarm_centre_sort_by (self, "grade", GTK_SORT_DESCENDING);
  g_signal_connect_object (self->alarms, "items-changed", G_CALLBACK (update_counts), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "sensors-changed", G_CALLBACK (on_sensors_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::role", G_CALLBACK (on_role_changed), self, G_CONNECT_SWAPPED);
  add_sound_actions (self);
  update_counts (self);
}

static void
saban_alarm_centre_dispose (GObject *object)
{
  SabanAlarmCentre *self = SABAN_ALARM_CENTRE (object);

  g_clear_handle_id (&self->tick, g_source_remove);
  g_clear_handle_id (&self->readings_timeout, g_source_remove);
  if (self->view != NULL)
    gtk_column_view_set_model (self->view, NULL);
  g_hash_table_remove_all (self->live_cells);
  g_hash_table_remove_all (self->ack_cells);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_ALARM_CENTRE);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->alarms);
  g_clear_object (&self->store);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (saban_alarm_centre_parent_class)->dispose (object);
}

static void
saban_alarm_centre_finalize (GObject *object)
{
  SabanAlarmCentre *self = SABAN_ALARM_CENTRE (object);

  g_free (self->query);
  g_hash_table_unref (self->live_cells);
  g_hash_table_unref (self->ack_cells);
  G_OBJECT_CLASS (saban_alarm_centre_parent_class)->finalize (object);
}

static void
saban_alarm_centre_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SabanAlarmCentre *self = SABAN_ALARM_CENTRE (object);

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
saban_alarm_centre_class_init (SabanAlarmCentreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = saban_alarm_centre_constructed;
  object_class->dispose = saban_alarm_centre_dispose;
  object_class->finalize = saban_alarm_centre_finalize;
  object_class->set_property = saban_alarm_centre_set_property;
  widget_class->map = saban_alarm_centre_map;
  widget_class->unmap = saban_alarm_centre_unmap;

  /* the session whose alarms it shows (it has live sensors) */
  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, SABAN_TYPE_SESSION,
                                                  G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SabanAlarmCentre::sensor-activated:
   * @sensor: the alarm's sensor, an index in the sensor store
   *
   * The operator asked to see an alarm's sensor.
   */
  signals[SENSOR_ACTIVATED] = g_signal_new ("sensor-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "saban-alarm-centre");
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-alarm-centre.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanAlarmCentre, box);
  gtk_widget_class_bind_template_child (widget_class, SabanAlarmCentre, heading);
  gtk_widget_class_bind_template_child (widget_class, SabanAlarmCentre, counts);
  gtk_widget_class_bind_template_child (widget_class, SabanAlarmCentre, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SabanAlarmCentre, grade_drop);
  gtk_widget_class_bind_template_child (widget_class, SabanAlarmCentre, waiting_toggle);
  gtk_widget_class_bind_template_child (widget_class, SabanAlarmCentre, view);
  gtk_widget_class_bind_template_child (widget_class, SabanAlarmCentre, stack);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_grade_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_waiting_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
}

static void
saban_alarm_centre_init (SabanAlarmCentre *self)
{
  self->live_cells = g_hash_table_new (NULL, NULL);
  self->ack_cells = g_hash_table_new (NULL, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * saban_alarm_centre_new:
 * @session: a session with live sensors (saban_session_get_alarms() is
 *   not %NULL)
 *
 * Returns: (transfer floating): the alarm centre
 */
GtkWidget *
saban_alarm_centre_new (SabanSession *session)
{
  g_return_val_if_fail (SABAN_IS_SESSION (session), NULL);
  g_return_val_if_fail (saban_session_get_alarms (session) != NULL, NULL);

  return g_object_new (SABAN_TYPE_ALARM_CENTRE, "session", session, NULL);
}
