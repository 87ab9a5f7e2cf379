/* saban-alarm-list.c: alarms raised by threshold crossings, newest first, as
 * a GListModel the UI binds to.
 *
 * A sensor raises an alarm when its state rises to ALERT or DANGER from a
 * lower state (a sensor first seen already in danger raises one too: the
 * operator has not seen it yet). Falling back to normal does not clear an
 * alarm — only an acknowledgement does — and a further rise before that
 * escalates the same alarm. STALE raises nothing here: the map and the
 * status show it. Acknowledged alarms stay in the list as the shift's record.
 *
 * The store announces changes in batches; its "rise" says whether a sensor
 * rose into a state during the batch even if it fell back before the end.
 *
 * Thousands of gauges can rise in one batch (a flood): the alarms are kept
 * oldest first, so a new one is appended (the model's position p is the
 * array's len - 1 - p), a sensor's waiting alarm is found through an index
 * by sensor and a CAP alert's through one by identifier, and a batch's new
 * alarms are announced with one ::items-changed before their ::alarm-raised.
 */
#include "saban-alarm-list.h"

struct _SabanAlarmList
{
  GObject           parent_instance;
  SabanSensorStore *store;
  GPtrArray        *alarms;   /* of SabanAlarm, oldest first */
  GPtrArray        *active;   /* by sensor: its unacknowledged alarm, or NULL (borrowed) */
  GHashTable       *caps;     /* the CAP identifiers listed (borrowed from their alarms) */
  GPtrArray        *raised;   /* alarms raised in this batch, to announce */
  guint             n_new;    /* of which new, appended to @alarms */
  guint             n_active;
};

enum { ALARM_RAISED, ALARM_ACKNOWLEDGED, N_SIGNALS };

static guint signals[N_SIGNALS];

static void list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SabanAlarmList, saban_alarm_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_init))

static GType
get_item_type (GListModel *model)
{
  return SABAN_TYPE_ALARM;
}

static guint
get_n_items (GListModel *model)
{
  return SABAN_ALARM_LIST (model)->alarms->len;
}

static gpointer
get_item (GListModel *model, guint position)
{
  SabanAlarmList *self = SABAN_ALARM_LIST (model);

  if (position >= self->alarms->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->alarms, self->alarms->len - 1 - position));
}

static void
list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static gboolean
is_alarm_state (SabanSensorState s)
{
  return s == SABAN_SENSOR_STATE_ALERT || s == SABAN_SENSOR_STATE_DANGER;
}

/**
 * saban_alarm_list_find_active:
 * @self: a list
 * @sensor: a sensor's index
 *
 * Returns: (transfer none) (nullable): its unacknowledged alarm
 */
SabanAlarm *
saban_alarm_list_find_active (SabanAlarmList *self, guint sensor)
{
  SabanAlarm *a;

  g_return_val_if_fail (SABAN_IS_ALARM_LIST (self), NULL);

  if (sensor >= self->active->len)
    return NULL;
  a = g_ptr_array_index (self->active, sensor);
  return a != NULL && !saban_alarm_get_acknowledged (a) ? a : NULL;
}

/* The reading that reached @level: the latest, unless the sensor fell back
 * since; then the last one in its history at that level. */
static SabanObservation
reading_at (const SabanSensor *s, SabanSensorState level)
{
  double threshold = level == SABAN_SENSOR_STATE_DANGER ? s->danger_level : s->alert_level;

  if (s->state < level && s->history != NULL)
    for (guint i = s->history->len; i > 0; i--)
      if (s->history->obs[i - 1].value >= threshold)
        return s->history->obs[i - 1];
  return (SabanObservation) { 0, s->time_us, s->value };
}

/* Appends a new alarm (@alarm's reference is taken) to be announced. */
static void
append_alarm (SabanAlarmList *self, SabanAlarm *alarm)
{
  g_ptr_array_add (self->alarms, alarm);
  self->n_active++;
  self->n_new++;
  g_ptr_array_add (self->raised, alarm);
}

/* @level: the highest state @index rose into; only a rise into ALERT or
 * DANGER counts (STALE in between — a dead feed that returns in danger —
 * counts as coming from below). Announced by announce(). */
static void
raise_alarm (SabanAlarmList *self, guint index, SabanSensorState level)
{
  const SabanSensor *s = saban_sensor_store_get_sensor (self->store, index);
  SabanObservation o;
  SabanAlarm *active, *alarm;

  if (!is_alarm_state (level))
    return;
  o = reading_at (s, level);
  active = saban_alarm_list_find_active (self, index);
  if (active != NULL)
    {
      saban_alarm_escalate (active, level, o.value, o.time_us);
      g_ptr_array_add (self->raised, active);
      return;
    }
  alarm = saban_alarm_new (index, s, level, o.value, o.time_us);
  if (index >= self->active->len)
    g_ptr_array_set_size (self->active, saban_sensor_store_get_n_sensors (self->store));
  g_ptr_array_index (self->active, index) = alarm;
  append_alarm (self, alarm);
}

/* The new alarms at the top of the model, then each raised one, in order. */
static void
announce (SabanAlarmList *self)
{
  g_autoptr(GPtrArray) raised = NULL;
  guint n_new = self->n_new;

  if (self->raised->len == 0)
    return;
  /* a handler may raise more: those are the next announcement's */
  raised = g_steal_pointer (&self->raised);
  self->raised = g_ptr_array_new ();
  self->n_new = 0;
  if (n_new > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, n_new);
  for (guint k = 0; k < raised->len; k++)
    g_signal_emit (self, signals[ALARM_RAISED], 0, g_ptr_array_index (raised, k));
}

static void
on_sensors_changed (SabanAlarmList *self)
{
  guint n;
  const guint *changed = saban_sensor_store_get_changed (self->store, &n);

  for (guint k = 0; k < n; k++)
    raise_alarm (self, changed[k], saban_sensor_store_get_rise (self->store, changed[k]));
  announce (self);
}

static void
saban_alarm_list_dispose (GObject *object)
{
  SabanAlarmList *self = SABAN_ALARM_LIST (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (saban_alarm_list_parent_class)->dispose (object);
}

static void
saban_alarm_list_finalize (GObject *object)
{
  SabanAlarmList *self = SABAN_ALARM_LIST (object);

  g_clear_pointer (&self->alarms, g_ptr_array_unref);
  g_clear_pointer (&self->active, g_ptr_array_unref);
  g_clear_pointer (&self->caps, g_hash_table_unref);
  g_clear_pointer (&self->raised, g_ptr_array_unref);
  G_OBJECT_CLASS (saban_alarm_list_parent_class)->finalize (object);
}

static void
saban_alarm_list_class_init (SabanAlarmListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = saban_alarm_list_dispose;
  object_class->finalize = saban_alarm_list_finalize;

  /**
   * SabanAlarmList::alarm-raised:
   * @alarm: the new or escalated alarm
   *
   * For the desktop notification.
   */
  signals[ALARM_RAISED] = g_signal_new ("alarm-raised", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, SABAN_TYPE_ALARM);
  /* an operator acknowledged it here: the application writes it to the server */
  signals[ALARM_ACKNOWLEDGED] = g_signal_new ("alarm-acknowledged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                              0, NULL, NULL, NULL, G_TYPE_NONE, 1, SABAN_TYPE_ALARM);
}

static void
saban_alarm_list_init (SabanAlarmList *self)
{
  self->alarms = g_ptr_array_new_with_free_func (g_object_unref);
  self->active = g_ptr_array_new ();
  self->caps = g_hash_table_new (g_str_hash, g_str_equal);
  self->raised = g_ptr_array_new ();
}

/**
 * saban_alarm_list_new:
 * @store: the sensors to watch
 *
 * Returns: (transfer full): a list raising alarms from @store's changes,
 *   including those of sensors already in alarm
 */
SabanAlarmList *
saban_alarm_list_new (SabanSensorStore *store)
{
  SabanAlarmList *self;

  g_return_val_if_fail (SABAN_IS_SENSOR_STORE (store), NULL);

  self = g_object_new (SABAN_TYPE_ALARM_LIST, NULL);
  self->store = g_object_ref (store);
  /* what is pending is in the states below: not raised twice */
  saban_sensor_store_flush (store);
  g_signal_connect_object (store, "sensors-changed", G_CALLBACK (on_sensors_changed), self, G_CONNECT_SWAPPED);
  for (guint i = 0; i < saban_sensor_store_get_n_sensors (store); i++)
    raise_alarm (self, i, saban_sensor_store_get_sensor (store, i)->state);
  announce (self);
  return self;
}

/**
 * saban_alarm_list_get_n_active:
 * @self: a list
 *
 * Returns: how many alarms wait for an acknowledgement
 */
guint
saban_alarm_list_get_n_active (SabanAlarmList *self)
{
  g_return_val_if_fail (SABAN_IS_ALARM_LIST (self), 0);
  return self->n_active;
}

/**
 * saban_alarm_list_add_cap:
 * @self: a list
 * @alarm: an alarm made with saban_alarm_new_cap()
 *
 * Adds a CAP alert's alarm, once: an alert already in the list (by its
 * identifier) is not raised again.
 *
 * Returns: whether it was new
 */
gboolean
saban_alarm_list_add_cap (SabanAlarmList *self, SabanAlarm *alarm)
{
  const char *identifier;

  g_return_val_if_fail (SABAN_IS_ALARM_LIST (self), FALSE);
  identifier = saban_alarm_get_cap_identifier (alarm);
  g_return_val_if_fail (identifier != NULL, FALSE);

  if (g_hash_table_contains (self->caps, identifier))
    return FALSE;
  g_hash_table_add (self->caps, (gpointer) identifier);
  append_alarm (self, g_object_ref (alarm));
  announce (self);
  return TRUE;
}

/**
 * saban_alarm_list_acknowledge:
 * @self: a list
 * @alarm: one of its alarms
 * @who: the operator's account
 * @note: (nullable): their note
 *
 * Acknowledges locally and emits "alarm-acknowledged"; writing it to the
 * server (through the outbox, see saban_alarm_new_acknowledgement()) is the
 * application's job.
 *
 * Returns: whether it was waiting for one
 */
gboolean
saban_alarm_list_acknowledge (SabanAlarmList *self, SabanAlarm *alarm, const char *who, const char *note)
{
  guint pos;

  g_return_val_if_fail (SABAN_IS_ALARM_LIST (self), FALSE);
  g_return_val_if_fail (SABAN_IS_ALARM (alarm), FALSE);

  if (saban_alarm_get_acknowledged (alarm) || !g_ptr_array_find (self->alarms, alarm, &pos))
    return FALSE;
  saban_alarm_acknowledge (alarm, who, note, g_get_real_time ());
  self->n_active--;
  /* the row shows the acknowledgement */
  g_list_model_items_changed (G_LIST_MODEL (self), self->alarms->len - 1 - pos, 1, 1);
  g_signal_emit (self, signals[ALARM_ACKNOWLEDGED], 0, alarm);
  return TRUE;
}
