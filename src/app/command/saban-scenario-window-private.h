#pragma once

/* saban-scenario-window-private.h: what the scenario window's files share —
 * its fields and the functions one part calls in another. The window (the
 * scenario list, the board, the actions) is saban-scenario-window.c; the
 * replay (the slider, the history of sensors and units, every map following
 * it) saban-scenario-window-replay.c; the log's and the sitreps' rows
 * saban-scenario-window-log.c. */

#include "saban-scenario-window.h"

#include "saban-command-replay.h"
#include "saban-scenario-history.h"

G_BEGIN_DECLS

#define N_COLUMNS 8
#define OVERDUE_INTERVAL 60

typedef struct
{
  const char *status;
  GtkLabel   *title;
  GtkListBox *list;
  GListModel *live;     /* the store's list of the scenario's tasks in status */
  GListStore *replay;   /* the tasks in status at the replay's time */
  GListModel *shown;    /* one of the two (not owned) */
} Column;

struct _SabanScenarioWindow
{
  AdwWindow parent_instance;

  AdwWindowTitle  *window_title;
  GtkBox          *scenario_actions;
  GtkWidget       *dispatch_button;
  GtkWidget       *sitrep_button;
  AdwToastOverlay *toast_overlay;
  AdwFlap         *flap;
  AdwFlap         *side_flap;
  GtkListBox      *scenario_list;
  GtkStack        *content_stack;
  GtkLabel        *summary_label;
  GtkRevealer     *replay_revealer;
  GtkScale        *replay_scale;
  GtkAdjustment   *replay_adjustment;
  GtkLabel        *replay_label;
  GtkBox          *board_box;
  GtkListBox      *log_list;
  GtkListBox      *sitrep_list;

  SabanSession       *session;
  SabanCommandClient *client;
  SabanCommandStore  *store;
  SabanUnitStore     *units;       /* nullable */
  SabanCommandItem   *scenario;
  GListModel         *scenarios;   /* sorted by status */
  Column              columns[N_COLUMNS];
  GListModel         *log;         /* the scenario's log, in time order */
  GtkFilter          *log_filter;  /* up to the replay's time */
  GListModel         *sitreps;
  GHashTable         *overdue;     /* task ids */
  GHashTable         *changed_by;  /* task id → who else moved it last */
  guint               overdue_timer;
  char               *awaited_status;   /* a move of the scenario asked here, until the server has it */

  SabanCommandReplay *replay;
  gint64              replay_start, replay_end;  /* µs */
  gint64              replay_time;
  gboolean            replaying;
  SabanScenarioHistory *history;        /* the sensors and units of the replay, NULL without */
  GCancellable         *history_cancellable;
  SabanReplayView      *replay_view;    /* what the maps show of the replay, NULL when not replaying */
};

void saban_scenario_window_stop_history (SabanScenarioWindow *self);
void saban_scenario_window_start_replay (SabanScenarioWindow *self);
void saban_scenario_window_stop_replay (SabanScenarioWindow *self);
void saban_scenario_window_on_replay_moved (SabanScenarioWindow *self);
int saban_scenario_window_newest_first (gconstpointer a, gconstpointer b, gpointer field);
gboolean saban_scenario_window_log_visible (gpointer item, gpointer data);
GtkWidget * saban_scenario_window_create_log_row (gpointer item, gpointer data);
GtkWidget * saban_scenario_window_create_sitrep_row (gpointer item, gpointer data);
void saban_scenario_window_bind_column (SabanScenarioWindow *self, Column *column, GListModel *model);

G_END_DECLS
