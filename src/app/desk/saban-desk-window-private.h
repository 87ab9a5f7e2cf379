#pragma once

/* saban-desk-window-private.h: what the desk's files share. saban-desk-
 * window.c lays the desk out, reads the indicators and keeps the tiles and
 * the situation strip; saban-desk-window-map.c draws the chosen indicator
 * by commune (choropleth, legend, the months' slider, ranking, chart, a
 * commune's indicators); saban-desk-window-report.c makes the meeting
 * report. */

#include "saban-desk-window.h"

#include "saban-feedback-store.h"
#include "saban-layer-model.h"
#include "saban-map-legend.h"
#include "saban-series-chart.h"
#include "saban-situation-strip.h"

G_BEGIN_DECLS

struct _SabanDeskWindow
{
  AdwApplicationWindow parent_instance;

  AdwWindowTitle      *window_title;
  GtkDropDown         *month_dropdown;
  GtkWidget           *report_button;
  SabanSituationStrip *strip;
  AdwToastOverlay     *toast_overlay;
  GtkStack            *tiles_stack;
  AdwStatusPage       *error_page;
  GtkBox              *tiles_box;
  SabanMapView        *map_view;
  GtkLabel            *map_title;
  SabanMapLegend      *legend;
  GtkLabel            *period_label;
  GtkScale            *period_scale;
  GtkAdjustment       *period_adjustment;
  GtkLabel            *ranking_title;
  GtkListView         *ranking_view;
  GtkStack            *ranking_stack;   /* a placeholder until an indicator is chosen */
  GtkStringList       *ranking;        /* the positions shown: "1.", "2.", … */
  GArray              *ranking_order;  /* guint: the communes, best first */
  GPtrArray           *ranking_rows;   /* the GtkListItems bound, refilled by a switch */
  GtkSingleSelection  *ranking_selection;
  SabanPeriod          ranking_period;
  SabanSeriesChart    *chart;
  GtkWidget           *commune_box;
  GtkLabel            *commune_title;
  GtkListBox          *commune_list;

  SabanSession        *session;
  GCancellable        *cancellable;
  char                *role;
  SabanIndicatorSet   *indicators;     /* NULL until read */
  SabanFeedbackStore  *reports;        /* NULL until read */
  GPtrArray           *tiles;          /* SabanDeskTile per indicator */
  GArray              *months;         /* SabanPeriod: the months offered, oldest first */
  SabanPeriod          month;          /* the month shown */
  int                  indicator;      /* chosen, or -1 */
  int                  commune;        /* chosen, or -1 */
  gboolean             ready;
  gboolean             syncing;        /* the dropdown and the slider follow each other */
  gboolean             loading;
  guint                situation_idle;
  guint                situation_timer;

  /* the map: the session's communes, drawn by the desk's own style */
  SabanLayerModel     *layers;
  SabanLayer          *communes;       /* NULL until the session has the layer */
  GArray              *feature_commune;  /* int per feature: its commune in @indicators, or -1 */

  gboolean             report_busy;
  AdwToast            *report_toast;   /* "making the report…", until it is made */
};

/* saban-desk-window.c */
void saban_desk_window_toast          (SabanDeskWindow *self,
                                       const char      *message);
void saban_desk_window_today          (GDate           *today);

/* saban-desk-window-map.c */
void saban_desk_window_init_map       (SabanDeskWindow *self);
void saban_desk_window_attach_communes (SabanDeskWindow *self);
void saban_desk_window_update_map     (SabanDeskWindow *self);
void saban_desk_window_update_commune (SabanDeskWindow *self);

/* saban-desk-window-report.c */
void saban_desk_window_class_init_report (GtkWidgetClass *widget_class);

G_END_DECLS
