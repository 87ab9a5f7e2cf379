#pragma once

/* saban-scenario-launch-private.h: what the launch panel's files share —
 * its fields and the functions one part calls in another. The panel (the
 * playbook, the title and severity, the launch) is
 * saban-scenario-launch.c; the area (drawn, a circle, communes picked) is
 * saban-scenario-launch-area.c; what the area holds (the impact, computed
 * in a worker, and its listing) saban-scenario-launch-impact.c. */

#include "saban-scenario-launch.h"

G_BEGIN_DECLS

#define SENSOR_RADIUS_M 5000.0
/* a citizen's report: a street, a hamlet */
#define REPORT_RADIUS_M 500.0
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

void saban_scenario_launch_set_area (SabanScenarioLaunch *self, JsonNode *area, const char *how, const char *place, gboolean fit);
void saban_scenario_launch_on_area_drawn (SabanScenarioLaunch *self, JsonNode *area);
void saban_scenario_launch_on_area_refused (SabanScenarioLaunch *self, const char *message);
void saban_scenario_launch_on_area_cancelled (SabanScenarioLaunch *self);
void saban_scenario_launch_on_draw_polygon (SabanScenarioLaunch *self);
void saban_scenario_launch_on_draw_circle (SabanScenarioLaunch *self);
gboolean saban_scenario_launch_commune_visible (GtkListBoxRow *row, gpointer data);
void saban_scenario_launch_on_commune_search (SabanScenarioLaunch *self);
int saban_scenario_launch_compare_commune_rows (GtkListBoxRow *a, GtkListBoxRow *b, gpointer data);
void saban_scenario_launch_rebuild_communes (SabanScenarioLaunch *self);
void saban_scenario_launch_on_apply_communes (SabanScenarioLaunch *self);
void saban_scenario_launch_compute_impact (SabanScenarioLaunch *self);
void saban_scenario_launch_reports_fetched (GObject *source, GAsyncResult *result, gpointer user_data);
char * saban_scenario_launch_impact_summary (SabanScenarioLaunch *self);
void saban_scenario_launch_show_message (SabanScenarioLaunch *self, const char *text, gboolean error);
void saban_scenario_launch_set_hint (SabanScenarioLaunch *self, const char *hint);
void saban_scenario_launch_set_drawing (SabanScenarioLaunch *self, gboolean drawing);
char * saban_scenario_launch_places_text (const char * const *names, guint n);
void saban_scenario_launch_update_title (SabanScenarioLaunch *self);
void saban_scenario_launch_remove_rows (GtkListBox *list);

G_END_DECLS
