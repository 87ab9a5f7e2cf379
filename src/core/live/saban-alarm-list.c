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
 *
 * Levels: an alarm is raised at the provincial level (I, II, III) its
 * reading reaches; a rise to a higher level escalates the waiting alarm,
 * or — once the last one was acknowledged — raises a new one, even within
 * the same state (I → II are both ALERT on a datastream with three levels).
 *
 * Acknowledgements are shared: every workstation reads the server's
 * `acknowledgements` (at start, then live) and gives each here
 * (saban_alarm_list_apply_acknowledgement). The newest one per sensor (or
 * CAP alert) is kept, and it acknowledges that sensor's alarm — waiting
 * now or raised later, as after a restart — when it is the same alarm: the
 * acknowledged level is not lower, it was made within 12 hours of the
 * alarm's reading, and the sensor is not known to have fallen below level I
 * between the reading acknowledged and the alarm's (then it rose again: a
 * new alarm). A CAP alert's acknowledgement names the alert itself.
 */
#include "saban-alarm-list.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "saban-json.h"

/* how long an acknowledgement stands for a sensor that stays in alarm: a
 * shift; after that a restart raises the alarm again, to be safe */
#define ACK_SPAN_US ((gint64) 12 * 3600 * G_USEC_PER_SEC)
#define MAX_ACK_TEXT 4096

/* an acknowledgement read from the server */
typedef struct
{
  char            *by;
  char            *note;
  gint64           at_us;        /* acknowledgedAt */
  gint64           observed_us;  /* the reading of the alarm acknowledged */
  SabanAlarmGrade  grade;        /* the level acknowledged */
} Ack;

static void
ack_free (gpointer data)
{
  Ack *ack = data;

  g_free (ack->by);
  g_free (ack->note);
  g_free (ack);
}

struct _SabanAlarmList
{
  GObject           parent_instance;
  SabanSensorStore *store;
  GPtrArray        *alarms;   /* of SabanAlarm, oldest first */
  GPtrArray        *active;   /* by sensor: its unacknowledged alarm, or NULL (borrowed) */
  GHashTable       *caps;     /* CAP identifier → its alarm (both borrowed from the alarm) */
  GHashTable       *acks;     /* "ds/ID" or "cap/IDENTIFIER" → the newest Ack */
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

static char *
sensor_key (gint64 datastream)
{
  return g_strdup_printf ("ds/%" G_GINT64_FORMAT, datastream);
}

static char *
alarm_key (SabanAlarm *alarm)
{
  const char *cap = saban_alarm_get_cap_identifier (alarm);

  return cap != NULL ? g_strconcat ("cap/", cap, NULL) : sensor_key (saban_alarm_get_datastream (alarm));
}

/* whether @ack acknowledged @alarm (the module's comment says when) */
static gboolean
covers (SabanAlarmList *self, const Ack *ack, SabanAlarm *alarm)
{
  const SabanSensor *s;
  gint64 time_us = saban_alarm_get_time (alarm);

  if (ack->grade < saban_alarm_get_grade (alarm))
    return FALSE;
  if (saban_alarm_get_cap_identifier (alarm) != NULL)
    return TRUE;
  if (time_us - ack->at_us > ACK_SPAN_US)
    return FALSE;
  s = saban_sensor_store_get_sensor (self->store, saban_alarm_get_sensor (alarm));
  for (guint i = 0; s->history != NULL && i < s->history->len; i++)
    {
      const SabanObservation *o = &s->history->obs[i];

      if (o->time_us > ack->observed_us && o->time_us < time_us && o->value < s->alert_level)
        return FALSE;
    }
  return TRUE;
}

/* Acknowledges @alarm as another workstation (or this one, before a
 * restart) did, if that was the same alarm; nothing is sent. */
static gboolean
take_acknowledgement (SabanAlarmList *self, SabanAlarm *alarm)
{
  g_autofree char *key = alarm_key (alarm);
  const Ack *ack = g_hash_table_lookup (self->acks, key);

  if (ack == NULL || saban_alarm_get_acknowledged (alarm) || !covers (self, ack, alarm))
    return FALSE;
  saban_alarm_acknowledge (alarm, ack->by, ack->note, ack->at_us);
  return TRUE;
}

/* Appends a new alarm (@alarm's reference is taken) to be announced; one
 * acknowledged already is listed but not announced. */
static void
append_alarm (SabanAlarmList *self, SabanAlarm *alarm)
{
  g_ptr_array_add (self->alarms, alarm);
  self->n_new++;
  if (take_acknowledgement (self, alarm))
    return;
  self->n_active++;
  g_ptr_array_add (self->raised, alarm);
}

/* @level: the highest state @index rose into; a rise into ALERT or DANGER
 * (STALE in between — a dead feed that returns in danger — counts as
 * coming from below), or a higher alarm level within them, raises or
 * escalates. Announced by announce(). */
static void
raise_alarm (SabanAlarmList *self, guint index, SabanSensorState level)
{
  const SabanSensor *s = saban_sensor_store_get_sensor (self->store, index);
  SabanAlarm *last = index < self->active->len ? g_ptr_array_index (self->active, index) : NULL;
  SabanAlarm *alarm;
  gboolean rose = is_alarm_state (level);
  SabanObservation o;
  SabanAlarmGrade grade;

  if (rose)
    o = reading_at (s, level);
  else if (is_alarm_state (s->state) && last != NULL)
    {
      /* no new state: only a higher level than the last alarm's counts */
      level = s->state;
      o = (SabanObservation) { 0, s->time_us, s->value };
      if (saban_sensor_grade (s, o.value) <= saban_alarm_get_grade (last))
        return;
    }
  else
    return;
  grade = MAX (saban_sensor_grade (s, o.value), SABAN_ALARM_GRADE_I);
  if (last != NULL && !saban_alarm_get_acknowledged (last))
    {
      if (saban_alarm_escalate (last, level, grade, o.value, o.time_us) || rose)
        g_ptr_array_add (self->raised, last);
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
  g_clear_pointer (&self->acks, g_hash_table_unref);
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
  self->acks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, ack_free);
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
  g_hash_table_insert (self->caps, (gpointer) identifier, alarm);
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

static const char *
ack_text (JsonObject *o, const char *name)
{
  return saban_json_get_string (o, name, MAX_ACK_TEXT);
}

static gint64
ack_time (JsonObject *o, const char *name)
{
  return saban_json_parse_time (ack_text (o, name));
}

/* a positive integer id, or 0 */
static gint64
ack_id (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64
           ? MAX (json_node_get_int (n), 0) : 0;
}

/* the alarm an acknowledgement under @key would be for, if it waits now */
static SabanAlarm *
waiting_alarm (SabanAlarmList *self, gint64 datastream, const char *cap)
{
  guint index;

  if (cap != NULL)
    return g_hash_table_lookup (self->caps, cap);
  if (!saban_sensor_store_lookup (self->store, datastream, &index))
    return NULL;
  return saban_alarm_list_find_active (self, index);
}

/**
 * saban_alarm_list_apply_acknowledgement:
 * @self: a list
 * @properties: an `acknowledgements` Feature's properties, as the server
 *   serves them (docs/openapi.yaml, Acknowledgement)
 * @error: why it was refused
 *
 * Takes an acknowledgement made on any workstation: kept as the newest for
 * its sensor or CAP alert, and the alarm it acknowledged — waiting now, or
 * raised later — is marked acknowledged with its who, when and note.
 * Nothing is sent back ("alarm-acknowledged" is not emitted).
 *
 * Returns: whether it was well formed
 */
gboolean
saban_alarm_list_apply_acknowledgement (SabanAlarmList *self, JsonObject *properties, GError **error)
{
  g_autofree char *key = NULL;
  const char *cap = ack_text (properties, "capIdentifier");
  gint64 datastream = ack_id (properties, "datastreamId");
  const char *level = ack_text (properties, "level");
  Ack *ack, *known;
  SabanAlarm *alarm;

  g_return_val_if_fail (SABAN_IS_ALARM_LIST (self), FALSE);
  g_return_val_if_fail (properties != NULL, FALSE);

  if ((cap == NULL) == (datastream <= 0) || ack_text (properties, "acknowledgedBy") == NULL ||
      ack_time (properties, "acknowledgedAt") == 0 || ack_time (properties, "observedAt") == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "an acknowledgement names one datastreamId or capIdentifier, who and two valid times");
      return FALSE;
    }
  ack = g_new0 (Ack, 1);
  ack->by = g_strdup (ack_text (properties, "acknowledgedBy"));
  ack->note = g_strdup (ack_text (properties, "note"));
  ack->at_us = ack_time (properties, "acknowledgedAt");
  ack->observed_us = ack_time (properties, "observedAt");
  ack->grade = saban_alarm_grade_from_string (ack_text (properties, "alarmLevel"));
  /* from a client that knew only the two states: danger was the top */
  if (ack->grade == SABAN_ALARM_GRADE_NONE)
    ack->grade = g_strcmp0 (level, "danger") == 0 ? SABAN_ALARM_GRADE_III : SABAN_ALARM_GRADE_I;
  key = cap != NULL ? g_strconcat ("cap/", cap, NULL) : sensor_key (datastream);
  known = g_hash_table_lookup (self->acks, key);
  if (known != NULL && known->at_us > ack->at_us)
    {
      ack_free (ack);
      return TRUE;
    }
  g_hash_table_replace (self->acks, g_steal_pointer (&key), ack);
  alarm = waiting_alarm (self, datastream, cap);
  if (alarm != NULL && take_acknowledgement (self, alarm))
    {
      guint pos;

      self->n_active--;
      if (g_ptr_array_find (self->alarms, alarm, &pos))
        g_list_model_items_changed (G_LIST_MODEL (self), self->alarms->len - 1 - pos, 1, 1);
    }
  return TRUE;
}
