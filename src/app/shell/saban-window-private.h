#pragma once

/* saban-window-private.h: what the main window's files share — its fields,
 * and the few functions one part calls in another. saban-window.c lays the
 * window out and wires it to its session; saban-window-layers.c opens
 * sources and keeps the layer list; saban-window-actions.c holds the
 * window's actions (win.*). */

#include "saban-window.h"

#include "saban-inspector.h"
#include "saban-scenario-launch.h"
#include "saban-sensor-panel.h"
#include "saban-status-bar.h"

G_BEGIN_DECLS

struct _SabanWindow
{
  AdwApplicationWindow parent_instance;

  AdwWindowTitle *window_title;
  AdwToastOverlay *toast_overlay;
  AdwFlap *flap;
  GtkListBox *layer_list;
  GtkBox *layers_page;
  GtkSearchEntry *search_entry;
  GtkStack *sidebar_stack;
  GtkListBox *result_list;
  GtkProgressBar *progress_bar;
  GtkWidget *progress_box;
  GtkStack *content_stack;
  SabanMapView *map_view;
  SabanStatusBar *status_bar;
  GtkRevealer *inspector_revealer;
  SabanInspector *inspector;
  GtkRevealer *sensor_revealer;
  GtkBox *sensor_box;
  SabanSensorPanel *sensor_panel;   /* NULL without the application's sensors */
  GtkLabel *measure_label;
  GtkLabel *replay_label;
  GtkBox *banner_box;                /* the level III alarm banner */
  GtkBox *alarm_box;                 /* the alarm centre, under the map */

  SabanSession *session;
  SabanLayerModel *layers;           /* the session's */
  SabanReplayView *replay;           /* the session's replay this window shows, or NULL */
  GSettings *settings;
  GCancellable *cancellable;         /* the window's life */
  GCancellable *load_cancellable;    /* reads the user may stop */
  GCancellable *search_cancellable;
  GPtrArray *hits;            /* SabanSearchHit shown in result_list */
  guint loading;
  guint building;              /* overviews being built */
  guint restyling;   /* styles being made in workers */
  gboolean has_extent;
  double home_extent[4];
  char *demo_base_map;         /* "GPKG:…:basemap" of the demo, or NULL */
  SabanLayer *offline_base;    /* the offline base map, once opened */
  gboolean sampling;            /* an elevation under the pointer being read */
  gboolean sample_again;        /* the pointer moved meanwhile: read at sample_at next */
  double sample_at[2];
  gboolean fit_pending;        /* files given on the command line: the view fits them once loaded */
  double fit_extent[4];
  gboolean home_from_province;

  SabanWorkspace *restoring;   /* the workspace being opened, until loaded */
  gboolean keep_view;          /* restoring a refreshed source: the view stays */
  guint refresh_id;

  GFile *screenshot_file;
  guint settled_frames;

  GtkRevealer *launch_revealer;     /* the scenario launch panel, beside the map */
  GtkBox *launch_box;
  SabanScenarioLaunch *launch;      /* NULL until first opened */
  GTask *pick;                      /* a point asked for by another window, until picked or given up */
};

/* saban-window.c */
void     saban_window_ask                  (AdwMessageDialog *dialog,
                                            GtkWidget        *extra,
                                            const char       *accept,
                                            const char       *accept_label,
                                            GCallback         on_response,
                                            gpointer          data);
void     saban_window_toast                (SabanWindow      *self,
                                            const char       *message);
void     saban_window_show_feature         (SabanWindow      *self,
                                            SabanVectorLayer *layer,
                                            guint32           feature);
void     saban_window_hide_inspector       (SabanWindow      *self);

/* saban-window-layers.c */
void     saban_window_bind_layers          (SabanWindow      *self);
void     saban_window_zoom_home            (SabanWindow      *self);
void     saban_window_update_refresh_timer (SabanWindow      *self);
void     saban_window_offer_overviews      (SabanWindow      *self,
                                            SabanLayer       *layer);
void     saban_window_build_overviews      (SabanWindow      *self,
                                            SabanLayer       *layer);
void     saban_window_remove_layer         (SabanWindow      *self,
                                            SabanLayer       *layer);

/* saban-window-actions.c */
void     saban_window_class_init_actions   (GtkWidgetClass   *widget_class);
void     saban_window_init_actions         (SabanWindow      *self);

G_END_DECLS
