/* saban-alarm-panel.c: the sidebar's alarm list — time, sensor, value and
 * level of each threshold crossing, newest first, with a button to
 * acknowledge it. The list is the application's SabanAlarmList; this only
 * shows it and passes the operator's clicks on (a click on the alarm itself
 * asks for its sensor: ::sensor-activated).
 */
#include "saban-alarm-panel.h"

#include <glib/gi18n.h>

#include "saban-format.h"

struct _SabanAlarmPanel
{
  GtkWidget       parent_instance;
  GtkWidget      *box;   /* the template's root, unparented on dispose */
  GtkLabel       *heading;
  GtkListBox     *list;
  SabanAlarmList *alarms;
  char           *account;
};

enum { SENSOR_ACTIVATED, N_SIGNALS };

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanAlarmPanel, saban_alarm_panel, GTK_TYPE_WIDGET)

static char *
format_time (gint64 time_us)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  /* Vietnamese order: time, then dd/MM/yyyy */
  return local ? g_date_time_format (local, "%H:%M %d/%m/%Y") : g_strdup ("?");
}

static void
on_acknowledge (GtkWidget *widget, SabanAlarmPanel *self)
{
  SabanAlarm *alarm = g_object_get_data (G_OBJECT (widget), "alarm");
  GtkEditable *note = g_object_get_data (G_OBJECT (widget), "note");
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (note)));

  saban_alarm_list_acknowledge (self->alarms, alarm, self->account, *text != '\0' ? text : NULL);
}

/* "Acknowledge" opens a small form: an optional note, then confirm */
static GtkWidget *
acknowledge_button (SabanAlarmPanel *self, SabanAlarm *alarm)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *note = gtk_entry_new ();
  GtkWidget *confirm = gtk_button_new_with_label (_("Acknowledge"));

  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), _("Acknowledge"));
  gtk_entry_set_placeholder_text (GTK_ENTRY (note), _("Note (optional)"));
  gtk_entry_set_activates_default (GTK_ENTRY (note), TRUE);
  gtk_widget_set_size_request (note, 240, -1);
  gtk_widget_add_css_class (confirm, "suggested-action");
  gtk_box_append (GTK_BOX (box), note);
  gtk_box_append (GTK_BOX (box), confirm);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_popover_set_default_widget (GTK_POPOVER (popover), confirm);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data_full (G_OBJECT (confirm), "alarm", g_object_ref (alarm), g_object_unref);
  g_object_set_data (G_OBJECT (confirm), "note", note);
  g_signal_connect_object (confirm, "clicked", G_CALLBACK (on_acknowledge), self, 0);
  return button;
}

/* A scenario for the alarm's area, prefilled from its sensor or from its
 * CAP alert (the window's actions). */
static GtkWidget *
scenario_button (SabanAlarm *alarm)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("media-playback-start-symbolic");
  const char *identifier = saban_alarm_get_cap_identifier (alarm);

  if (identifier != NULL)
    {
      gtk_widget_set_tooltip_text (button, _("Launch a scenario for this alert's area"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.launch-scenario-for-alert");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (identifier));
    }
  else
    {
      gtk_widget_set_tooltip_text (button, _("Launch a scenario around this sensor"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.launch-scenario-for-sensor");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                              g_variant_new_uint32 (saban_alarm_get_sensor (alarm)));
    }
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

static GtkWidget *
create_row (gpointer item, gpointer user_data)
{
  SabanAlarmPanel *self = user_data;
  SabanAlarm *alarm = item;
  gboolean danger = saban_alarm_get_level (alarm) == SABAN_SENSOR_STATE_DANGER;
  g_autofree char *when = format_time (saban_alarm_get_time (alarm));
  g_autofree char *value = saban_format_number (saban_alarm_get_value (alarm), 2);
  const char *commune = saban_alarm_get_commune (alarm);
  /* a CAP alert has an event and an area rather than a value */
  g_autofree char *measure = saban_alarm_get_cap_identifier (alarm) != NULL
                               ? g_strdup_printf (_("CAP alert: %s"), saban_alarm_get_event (alarm) ? saban_alarm_get_event (alarm) : "")
                               : g_strdup_printf ("%s %s", value, saban_alarm_get_unit (alarm) ? saban_alarm_get_unit (alarm) : "");
  g_autofree char *detail = g_strdup_printf ("%s · %s · %s%s%s", danger ? _("Danger") : _("Alert"), measure, when,
                                             commune ? " · " : "", commune ? commune : "");
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *name = gtk_label_new (saban_alarm_get_sensor_name (alarm));
  GtkWidget *sub = gtk_label_new (detail);

  gtk_widget_set_margin_top (row, 4);
  gtk_widget_set_margin_bottom (row, 4);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_label_set_lines (GTK_LABEL (name), 2);
  gtk_label_set_xalign (GTK_LABEL (sub), 0);
  gtk_label_set_wrap (GTK_LABEL (sub), TRUE);
  gtk_widget_add_css_class (sub, "caption");
  gtk_widget_add_css_class (sub, danger ? "error" : "warning");
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (text), name);
  gtk_box_append (GTK_BOX (text), sub);
  gtk_box_append (GTK_BOX (row), text);

  if (saban_alarm_get_acknowledged (alarm))
    {
      g_autofree char *at = format_time (saban_alarm_get_ack_time (alarm));
      const char *note = saban_alarm_get_ack_note (alarm);
      g_autofree char *by = g_strdup_printf (_("Acknowledged by %s at %s"), saban_alarm_get_ack_by (alarm), at);
      g_autofree char *ack = note ? g_strdup_printf ("%s: “%s”", by, note) : g_steal_pointer (&by);
      GtkWidget *ack_label = gtk_label_new (ack);

      gtk_label_set_xalign (GTK_LABEL (ack_label), 0);
      gtk_label_set_wrap (GTK_LABEL (ack_label), TRUE);
      gtk_widget_add_css_class (ack_label, "caption");
      gtk_widget_add_css_class (ack_label, "dim-label");
      gtk_box_append (GTK_BOX (text), ack_label);
      gtk_widget_add_css_class (name, "dim-label");
    }
  else
    {
      gtk_box_append (GTK_BOX (row), acknowledge_button (self, alarm));
    }
  gtk_box_append (GTK_BOX (row), scenario_button (alarm));
  return row;
}

static void
on_row_activated (GtkListBox *list, GtkListBoxRow *row, SabanAlarmPanel *self)
{
  g_autoptr(SabanAlarm) alarm = g_list_model_get_item (G_LIST_MODEL (self->alarms), gtk_list_box_row_get_index (row));

  /* a CAP alert has no sensor to show */
  if (alarm != NULL && saban_alarm_get_cap_identifier (alarm) == NULL)
    g_signal_emit (self, signals[SENSOR_ACTIVATED], 0, saban_alarm_get_sensor (alarm));
}

static void
update_heading (SabanAlarmPanel *self)
{
  guint n = saban_alarm_list_get_n_active (self->alarms);
  g_autofree char *text = n == 0 ? g_strdup (_("Alarms")) :
                          g_strdup_printf (ngettext ("Alarms (%u to acknowledge)", "Alarms (%u to acknowledge)", n), n);

  gtk_label_set_text (self->heading, text);
}

static void
saban_alarm_panel_dispose (GObject *object)
{
  SabanAlarmPanel *self = SABAN_ALARM_PANEL (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_ALARM_PANEL);
  g_clear_object (&self->alarms);
  g_clear_pointer (&self->account, g_free);
  G_OBJECT_CLASS (saban_alarm_panel_parent_class)->dispose (object);
}

static void
saban_alarm_panel_class_init (SabanAlarmPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = saban_alarm_panel_dispose;

  /**
   * SabanAlarmPanel::sensor-activated:
   * @sensor: the alarm's sensor, an index in the sensor store
   *
   * The operator clicked an alarm.
   */
  signals[SENSOR_ACTIVATED] = g_signal_new ("sensor-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-alarm-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanAlarmPanel, box);
  gtk_widget_class_bind_template_child (widget_class, SabanAlarmPanel, heading);
  gtk_widget_class_bind_template_child (widget_class, SabanAlarmPanel, list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
}

static void
saban_alarm_panel_init (SabanAlarmPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * saban_alarm_panel_new:
 * @alarms: the alarms to show
 * @account: (nullable): who acknowledges from this window
 *
 * Returns: (transfer floating): the panel
 */
GtkWidget *
saban_alarm_panel_new (SabanAlarmList *alarms, const char *account)
{
  SabanAlarmPanel *self = g_object_new (SABAN_TYPE_ALARM_PANEL, NULL);

  self->alarms = g_object_ref (alarms);
  /* an acknowledgement must name someone even before sign-in is set up */
  self->account = g_strdup (account && *account ? account : "operator");
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (alarms), create_row, self, NULL);
  g_signal_connect_object (alarms, "items-changed", G_CALLBACK (update_heading), self, G_CONNECT_SWAPPED);
  update_heading (self);
  return GTK_WIDGET (self);
}
