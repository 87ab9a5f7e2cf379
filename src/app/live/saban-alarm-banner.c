/* saban-alarm-banner.c: a band across the window while an alarm of level
 * III waits for acknowledgement — the newest such alarm (its station, the
 * reading, the commune, the time) and how many others wait — with a
 * button to show the station and one to acknowledge it. It stays until
 * someone acknowledges, on this workstation or another, and slides away
 * when none is left.
 *
 * The alarms are the session's; the banner only shows them, so any window
 * can show one with a few lines.
 */
#include "saban-alarm-banner.h"

#include <glib/gi18n.h>

#include "saban-format.h"

struct _SabanAlarmBanner
{
  GtkWidget       parent_instance;
  GtkRevealer    *revealer;
  GtkLabel       *title;
  GtkLabel       *detail;
  GtkWidget      *show_button;

  SabanSession   *session;
  SabanAlarmList *alarms;
  SabanAlarm     *alarm;   /* the newest waiting level III, or NULL */
  guint           update_idle;
};

enum { PROP_0, PROP_SESSION, N_PROPS };
enum { SENSOR_ACTIVATED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanAlarmBanner, saban_alarm_banner, GTK_TYPE_WIDGET)

static gboolean
is_waiting_top (SabanAlarm *alarm)
{
  return saban_alarm_get_grade (alarm) == SABAN_ALARM_GRADE_III && !saban_alarm_get_acknowledged (alarm);
}

static char *
describe (SabanAlarm *alarm, guint others)
{
  const char *commune = saban_alarm_get_commune (alarm);
  g_autofree char *when = saban_format_local_time (saban_alarm_get_time (alarm), "%H:%M %d/%m/%Y");
  g_autofree char *what = saban_alarm_get_cap_identifier (alarm) != NULL
                            ? g_strdup (saban_alarm_get_event (alarm) ? saban_alarm_get_event (alarm) : "")
                            : saban_format_reading (saban_alarm_get_value (alarm), saban_alarm_get_unit (alarm));
  GString *text = g_string_new (what);

  if (commune != NULL)
    g_string_append_printf (text, " · %s", commune);
  g_string_append_printf (text, " · %s", when);
  if (others > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, g_dngettext (NULL, "%u more alarm of level III waiting",
                                                 "%u more alarms of level III waiting", others), others);
    }
  return g_string_free (text, FALSE);
}

/* the newest waiting level III alarm (the list is newest first) */
static void
update (SabanAlarmBanner *self)
{
  GListModel *model = G_LIST_MODEL (self->alarms);
  g_autoptr(SabanAlarm) newest = NULL;
  g_autofree char *title = NULL, *detail = NULL;
  guint waiting = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SabanAlarm) a = g_list_model_get_item (model, i);

      if (!is_waiting_top (a))
        continue;
      if (waiting++ == 0)
        newest = g_steal_pointer (&a);
    }
  g_set_object (&self->alarm, newest);
  gtk_revealer_set_reveal_child (self->revealer, newest != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self), newest != NULL);
  if (newest == NULL)
    return;
  title = g_strdup_printf ("%s: %s", saban_alarm_grade_label (SABAN_ALARM_GRADE_III),
                           saban_alarm_get_sensor_name (newest));
  detail = describe (newest, waiting - 1);
  gtk_label_set_label (self->title, title);
  gtk_label_set_label (self->detail, detail);
  /* a CAP alert has no station to show */
  gtk_widget_set_visible (self->show_button, saban_alarm_get_cap_identifier (newest) == NULL);
}

/**
 * saban_alarm_banner_get_alarm:
 *
 * Returns: (transfer none) (nullable): the alarm the banner shows: the
 *   newest level III alarm waiting, or %NULL (the banner is hidden)
 */
SabanAlarm *
saban_alarm_banner_get_alarm (SabanAlarmBanner *self)
{
  g_return_val_if_fail (SABAN_IS_ALARM_BANNER (self), NULL);
  return self->alarm;
}

/**
 * saban_alarm_banner_acknowledge:
 *
 * What its button does: acknowledges the alarm shown, as the session's
 * account, for every workstation.
 */
void
saban_alarm_banner_acknowledge (SabanAlarmBanner *self)
{
  g_autoptr(SabanAlarm) alarm = NULL;

  g_return_if_fail (SABAN_IS_ALARM_BANNER (self));

  if (self->alarm == NULL)
    return;
  alarm = g_object_ref (self->alarm);
  saban_session_acknowledge_alarm (self->session, alarm, NULL);
}

static void
on_show_clicked (SabanAlarmBanner *self)
{
  if (self->alarm != NULL)
    g_signal_emit (self, signals[SENSOR_ACTIVATED], 0, saban_alarm_get_sensor (self->alarm));
}

static gboolean
update_cb (gpointer data)
{
  SabanAlarmBanner *self = data;

  self->update_idle = 0;
  update (self);
  return G_SOURCE_REMOVE;
}

/* A flood raises thousands of alarms in one turn, each announced: the
 * list is read once after them, and only for an alarm that would show. */
static void
on_alarm_raised (SabanAlarmBanner *self, SabanAlarm *alarm)
{
  if (is_waiting_top (alarm) && alarm != self->alarm && self->update_idle == 0)
    self->update_idle = g_idle_add (update_cb, self);
}

static void
saban_alarm_banner_constructed (GObject *object)
{
  SabanAlarmBanner *self = SABAN_ALARM_BANNER (object);

  G_OBJECT_CLASS (saban_alarm_banner_parent_class)->constructed (object);

  self->alarms = g_object_ref (saban_session_get_alarms (self->session));
  /* new and acknowledged alarms change the list; an escalation to level
   * III only raises */
  g_signal_connect_object (self->alarms, "items-changed", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->alarms, "alarm-raised", G_CALLBACK (on_alarm_raised), self, G_CONNECT_SWAPPED);
  update (self);
}

static void
saban_alarm_banner_dispose (GObject *object)
{
  SabanAlarmBanner *self = SABAN_ALARM_BANNER (object);

  g_clear_handle_id (&self->update_idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_ALARM_BANNER);
  g_clear_object (&self->alarm);
  g_clear_object (&self->alarms);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (saban_alarm_banner_parent_class)->dispose (object);
}

static void
saban_alarm_banner_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SabanAlarmBanner *self = SABAN_ALARM_BANNER (object);

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
saban_alarm_banner_class_init (SabanAlarmBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = saban_alarm_banner_constructed;
  object_class->dispose = saban_alarm_banner_dispose;
  object_class->set_property = saban_alarm_banner_set_property;

  /* the session whose alarms it watches (it has live sensors) */
  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, SABAN_TYPE_SESSION,
                                                  G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SabanAlarmBanner::sensor-activated:
   * @sensor: the alarm's sensor, an index in the sensor store
   */
  signals[SENSOR_ACTIVATED] = g_signal_new ("sensor-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-alarm-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanAlarmBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, SabanAlarmBanner, title);
  gtk_widget_class_bind_template_child (widget_class, SabanAlarmBanner, detail);
  gtk_widget_class_bind_template_child (widget_class, SabanAlarmBanner, show_button);
  gtk_widget_class_bind_template_callback (widget_class, on_show_clicked);
  gtk_widget_class_bind_template_callback (widget_class, saban_alarm_banner_acknowledge);
}

static void
saban_alarm_banner_init (SabanAlarmBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * saban_alarm_banner_new:
 * @session: a session with live sensors
 *
 * Returns: (transfer floating): the banner, hidden until a level III alarm
 *   waits
 */
GtkWidget *
saban_alarm_banner_new (SabanSession *session)
{
  g_return_val_if_fail (SABAN_IS_SESSION (session), NULL);
  g_return_val_if_fail (saban_session_get_alarms (session) != NULL, NULL);

  return g_object_new (SABAN_TYPE_ALARM_BANNER, "session", session, NULL);
}
