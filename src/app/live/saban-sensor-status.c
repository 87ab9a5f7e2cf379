/* saban-sensor-status.c: the sidebar's "live monitoring stations" block:
 * how many sensors are in each state, and how the feed reaches us (MQTT,
 * polling, or not at all), so an operator is never fooled by a dead feed;
 * and, when the broker refused the sign-in, that it did, so the account gets
 * put right rather than the network searched.
 *
 * It only counts and shows; the store and the feed hold the logic. A burst
 * of sensor changes recounts once, in an idle.
 */
#include "saban-sensor-status.h"

#include <glib/gi18n.h>

struct _SabanSensorStatus
{
  GtkWidget         parent_instance;
  GtkWidget        *box;   /* the template's root, unparented on dispose */
  GtkLabel         *counts;
  GtkLabel         *feed_label;
  GtkMenuButton    *find_button;
  SabanSensorStore *store;
  SabanSensorFeed  *feed;
  guint             idle;
};

G_DEFINE_FINAL_TYPE (SabanSensorStatus, saban_sensor_status, GTK_TYPE_WIDGET)

static void
update_counts (SabanSensorStatus *self)
{
  guint c[SABAN_SENSOR_N_STATES] = { 0 }, cameras = 0;
  g_autoptr(GString) text = g_string_new (NULL);

  /* cameras measure nothing: counted apart, not as "without data" */
  for (guint i = 0; i < saban_sensor_store_get_n_sensors (self->store); i++)
    {
      const SabanSensor *s = saban_sensor_store_get_sensor (self->store, i);
      if (s->kind == SABAN_SENSOR_KIND_CAMERA && s->datastream_id == 0)
        cameras++;
      else
        c[s->state]++;
    }
  if (saban_sensor_store_get_n_sensors (self->store) == 0)
    g_string_append (text, _("No stations yet"));
  else
    {
      /* each part only when non-zero, so the line stays short */
      const struct { SabanSensorState state; const char *css; } parts[] = {
        { SABAN_SENSOR_STATE_DANGER, "error" }, { SABAN_SENSOR_STATE_ALERT, "warning" },
        { SABAN_SENSOR_STATE_STALE, "dim-label" }, { SABAN_SENSOR_STATE_NORMAL, "success" },
        { SABAN_SENSOR_STATE_UNKNOWN, NULL },
      };
      for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
        {
          guint n = c[parts[i].state];
          g_autofree char *part = NULL;

          if (n == 0)
            continue;
          switch (parts[i].state)
            {
            case SABAN_SENSOR_STATE_DANGER:
              part = g_strdup_printf (ngettext ("%u danger", "%u danger", n), n);
              break;
            case SABAN_SENSOR_STATE_ALERT:
              part = g_strdup_printf (ngettext ("%u alert", "%u alert", n), n);
              break;
            case SABAN_SENSOR_STATE_STALE:
              part = g_strdup_printf (ngettext ("%u stale", "%u stale", n), n);
              break;
            case SABAN_SENSOR_STATE_NORMAL:
              part = g_strdup_printf (ngettext ("%u normal", "%u normal", n), n);
              break;
            case SABAN_SENSOR_STATE_UNKNOWN:
            case SABAN_SENSOR_N_STATES:
            default:
              part = g_strdup_printf (ngettext ("%u without data", "%u without data", n), n);
              break;
            }
          if (text->len > 0)
            g_string_append (text, " · ");
          g_string_append (text, part);
        }
      if (cameras > 0)
        {
          g_autofree char *part = g_strdup_printf (ngettext ("%u camera", "%u cameras", cameras), cameras);
          if (text->len > 0)
            g_string_append (text, " · ");
          g_string_append (text, part);
        }
    }
  gtk_label_set_text (self->counts, text->str);
}

static gboolean
update_idle (gpointer data)
{
  SabanSensorStatus *self = data;

  self->idle = 0;
  update_counts (self);
  return G_SOURCE_REMOVE;
}

static void
on_sensors_changed (SabanSensorStatus *self)
{
  if (self->idle == 0)
    self->idle = g_idle_add_full (G_PRIORITY_LOW, update_idle, self, NULL);
}

/* what the broker said to the sign-in, in the user's words; NULL if nothing */
static const char *
describe_refusal (SabanMqttRefusal refusal)
{
  switch (refusal)
    {
    case SABAN_MQTT_REFUSAL_BAD_LOGIN:
      return _("The MQTT broker refused the account name or password.");
    case SABAN_MQTT_REFUSAL_NOT_AUTHORISED:
      /* mosquitto answers a wrong password so too */
      return _("The MQTT broker did not let the account in: the account name or password is wrong, or the account "
               "may not receive live data.");
    case SABAN_MQTT_REFUSAL_NONE:
    default:
      return NULL;
    }
}

static void
update_feed (SabanSensorStatus *self)
{
  SabanLiveChannel *channel = saban_sensor_feed_get_channel (self->feed);
  const char *refusal = describe_refusal (saban_live_channel_get_mqtt_refusal (channel));
  const char *text = _("Live feed: offline");
  const char *css = "error";
  g_autofree char *shown = NULL;

  switch (saban_sensor_feed_get_state (self->feed))
    {
    case SABAN_FEED_STATE_LIVE:
      text = _("Live feed: MQTT");
      css = "success";
      refusal = NULL;
      break;
    case SABAN_FEED_STATE_POLLING:
      text = refusal != NULL ? _("Live feed: polling") : _("Live feed: polling (MQTT unreachable)");
      css = "warning";
      break;
    case SABAN_FEED_STATE_CONNECTING:
      text = _("Live feed: connecting…");
      css = "dim-label";
      break;
    case SABAN_FEED_STATE_OFFLINE:
    default:
      break;
    }
  shown = refusal != NULL ? g_strconcat (text, "\n", refusal, NULL) : g_strdup (text);
  gtk_label_set_text (self->feed_label, shown);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->feed_label),
                               refusal != NULL ? _("Sa Bàn signs in to the broker again every five minutes. The broker "
                                                   "account is set in Preferences and read at start.")
                                               : NULL);
  gtk_widget_set_css_classes (GTK_WIDGET (self->feed_label), (const char *[]) { "caption", css, NULL });
}

static void
saban_sensor_status_dispose (GObject *object)
{
  SabanSensorStatus *self = SABAN_SENSOR_STATUS (object);

  g_clear_handle_id (&self->idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_SENSOR_STATUS);
  g_clear_object (&self->store);
  g_clear_object (&self->feed);
  G_OBJECT_CLASS (saban_sensor_status_parent_class)->dispose (object);
}

static void
saban_sensor_status_class_init (SabanSensorStatusClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = saban_sensor_status_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-sensor-status.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanSensorStatus, box);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorStatus, counts);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorStatus, feed_label);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorStatus, find_button);
}

static void
saban_sensor_status_init (SabanSensorStatus *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * saban_sensor_status_new:
 * @store: the sensors to count
 * @feed: the feed whose state to show
 * @alarms: their alarms
 *
 * Returns: (transfer floating): the status block, with a finder for the sensors
 */
GtkWidget *
saban_sensor_status_new (SabanSensorStore *store, SabanSensorFeed *feed, SabanAlarmList *alarms)
{
  SabanSensorStatus *self = g_object_new (SABAN_TYPE_SENSOR_STATUS, NULL);

  gtk_menu_button_set_popover (self->find_button, saban_sensor_finder_new (store, alarms));
  self->store = g_object_ref (store);
  self->feed = g_object_ref (feed);
  g_signal_connect_object (store, "sensors-changed", G_CALLBACK (on_sensors_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (feed, "notify::state", G_CALLBACK (update_feed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (saban_sensor_feed_get_channel (feed), "notify::mqtt-refusal", G_CALLBACK (update_feed),
                           self, G_CONNECT_SWAPPED);
  update_counts (self);
  update_feed (self);
  return GTK_WIDGET (self);
}

/**
 * saban_sensor_status_get_text:
 * @self: the status block
 *
 * Returns: the counts line as shown (for tests)
 */
const char *
saban_sensor_status_get_text (SabanSensorStatus *self)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_STATUS (self), NULL);
  return gtk_label_get_text (self->counts);
}

/**
 * saban_sensor_status_get_finder:
 * @self: a status block
 *
 * Returns: (transfer none): its sensor finder
 */
SabanSensorFinder *
saban_sensor_status_get_finder (SabanSensorStatus *self)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_STATUS (self), NULL);
  return SABAN_SENSOR_FINDER (gtk_menu_button_get_popover (self->find_button));
}
