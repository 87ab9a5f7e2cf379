/* saban-replay-view.c: what a scenario's replay shows on every map.
 *
 * The board that replays a scenario owns it and hands it to the session;
 * each map window follows the session's replay view: the scenario's area
 * and tasks as they stood at the replay's time, and — once the history of
 * that time is loaded — the sensors and units of then in place of the live
 * ones. A model rather than calls into a window: the board need not know
 * which windows show a map (the main window, later the video wall's).
 */
#include "saban-replay-view.h"

struct _SabanReplayView
{
  GObject             parent_instance;
  SabanCommandItem   *scenario;
  SabanCommandReplay *replay;
  GDateTime          *time;
  SabanSensorStore   *sensors;
  SabanUnitStore     *units;
  char               *label;
};

enum { SIGNAL_CHANGED, N_SIGNALS };

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanReplayView, saban_replay_view, G_TYPE_OBJECT)

static void
saban_replay_view_finalize (GObject *object)
{
  SabanReplayView *self = SABAN_REPLAY_VIEW (object);

  g_clear_object (&self->scenario);
  g_clear_object (&self->replay);
  g_clear_pointer (&self->time, g_date_time_unref);
  g_clear_object (&self->sensors);
  g_clear_object (&self->units);
  g_free (self->label);
  G_OBJECT_CLASS (saban_replay_view_parent_class)->finalize (object);
}

static void
saban_replay_view_class_init (SabanReplayViewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_replay_view_finalize;

  /* the time, the stores or the label moved: every map shows them again */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
saban_replay_view_init (SabanReplayView *self)
{
}

/**
 * saban_replay_view_new:
 * @scenario: the scenario replayed
 * @replay: its history
 *
 * Returns: (transfer full): a view showing nothing yet: call
 *   saban_replay_view_show_at()
 */
SabanReplayView *
saban_replay_view_new (SabanCommandItem *scenario, SabanCommandReplay *replay)
{
  SabanReplayView *self;

  g_return_val_if_fail (SABAN_IS_COMMAND_ITEM (scenario), NULL);
  g_return_val_if_fail (SABAN_IS_COMMAND_REPLAY (replay), NULL);

  self = g_object_new (SABAN_TYPE_REPLAY_VIEW, NULL);
  self->scenario = g_object_ref (scenario);
  self->replay = g_object_ref (replay);
  return self;
}

/**
 * saban_replay_view_show_at:
 * @time: the time shown
 * @sensors: (nullable): the sensors as they were then, NULL while their
 *   history is not loaded (the maps show the live ones meanwhile)
 * @units: (nullable): the units as they were then, with @sensors
 * @label: (nullable): what the maps say over themselves, with @sensors
 *
 * Moves the replay and tells every map.
 */
void
saban_replay_view_show_at (SabanReplayView  *self,
                           GDateTime        *time,
                           SabanSensorStore *sensors,
                           SabanUnitStore   *units,
                           const char       *label)
{
  g_return_if_fail (SABAN_IS_REPLAY_VIEW (self));
  g_return_if_fail (time != NULL);

  g_clear_pointer (&self->time, g_date_time_unref);
  self->time = g_date_time_ref (time);
  g_set_object (&self->sensors, sensors);
  g_set_object (&self->units, units);
  g_free (self->label);
  self->label = g_strdup (label);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/**
 * saban_replay_view_get_scenario:
 * Returns: (transfer none): the scenario replayed
 */
SabanCommandItem *
saban_replay_view_get_scenario (SabanReplayView *self)
{
  g_return_val_if_fail (SABAN_IS_REPLAY_VIEW (self), NULL);
  return self->scenario;
}

/**
 * saban_replay_view_get_replay:
 * Returns: (transfer none): the scenario's history
 */
SabanCommandReplay *
saban_replay_view_get_replay (SabanReplayView *self)
{
  g_return_val_if_fail (SABAN_IS_REPLAY_VIEW (self), NULL);
  return self->replay;
}

/**
 * saban_replay_view_get_time:
 * Returns: (transfer none) (nullable): the time shown, NULL before the first
 *   saban_replay_view_show_at()
 */
GDateTime *
saban_replay_view_get_time (SabanReplayView *self)
{
  g_return_val_if_fail (SABAN_IS_REPLAY_VIEW (self), NULL);
  return self->time;
}

/**
 * saban_replay_view_get_sensors:
 * Returns: (transfer none) (nullable): the sensors as at the time shown
 */
SabanSensorStore *
saban_replay_view_get_sensors (SabanReplayView *self)
{
  g_return_val_if_fail (SABAN_IS_REPLAY_VIEW (self), NULL);
  return self->sensors;
}

/**
 * saban_replay_view_get_units:
 * Returns: (transfer none) (nullable): the units as at the time shown
 */
SabanUnitStore *
saban_replay_view_get_units (SabanReplayView *self)
{
  g_return_val_if_fail (SABAN_IS_REPLAY_VIEW (self), NULL);
  return self->units;
}

/**
 * saban_replay_view_get_label:
 * Returns: (nullable): what the maps say over themselves
 */
const char *
saban_replay_view_get_label (SabanReplayView *self)
{
  g_return_val_if_fail (SABAN_IS_REPLAY_VIEW (self), NULL);
  return self->label;
}
