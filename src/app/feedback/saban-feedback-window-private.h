#pragma once

/* saban-feedback-window-private.h: what the workspace's files share.
 * saban-feedback-window.c reads the reports and keeps the list, the
 * filters and the map; saban-feedback-window-detail.c shows the report
 * chosen and does what an operator does with it. */

#include "saban-feedback-window.h"

#include "saban-layer-model.h"
#include "saban-map-legend.h"

G_BEGIN_DECLS

struct _SabanFeedbackWindow
{
  AdwApplicationWindow parent_instance;

  AdwWindowTitle      *window_title;
  GtkDropDown         *map_dropdown;
  GtkDropDown         *status_dropdown;
  GtkDropDown         *service_dropdown;
  GtkDropDown         *commune_dropdown;
  GtkDropDown         *age_dropdown;
  GtkToggleButton     *overdue_toggle;
  GtkToggleButton     *duplicates_toggle;
  GtkLabel            *count_label;
  AdwToastOverlay     *toast_overlay;
  GtkStack            *list_stack;
  AdwStatusPage       *error_page;
  GtkListView         *list_view;
  SabanMapView        *map_view;
  SabanMapLegend      *legend;
  GtkLabel            *points_key;
  GtkStack            *detail_stack;
  GtkLabel            *detail_title;
  GtkLabel            *detail_state;
  GtkPicture          *detail_photo;
  GtkLabel            *detail_description;
  AdwActionRow        *address_row;
  AdwActionRow        *agency_info_row;
  AdwActionRow        *reply_info_row;
  AdwPreferencesGroup *reporter_group;
  GtkWidget           *unmask_button;
  AdwActionRow        *name_row;
  AdwActionRow        *phone_row;
  AdwActionRow        *email_row;
  AdwPreferencesGroup *handling_group;
  AdwComboRow         *agency_row;
  GtkTextView         *reply_view;
  GtkWidget           *close_button;
  GtkWidget           *reopen_button;
  GtkWidget           *launch_button;
  AdwPreferencesGroup *duplicates_group;
  GtkListBox          *duplicates_list;

  SabanSession        *session;
  GCancellable        *cancellable;
  GCancellable        *photo_cancellable;
  char                *role;
  SabanFeedbackStore  *store;        /* NULL until read */
  SabanFeedbackList   *list;
  GtkSingleSelection  *selection;
  GPtrArray           *service_codes;   /* the service dropdown's codes; [0] is NULL: any */
  GtkStringList       *agencies;
  int                  selected;        /* the report shown, or -1 */
  gboolean             loading;
  gboolean             ready;
  gboolean             filling;         /* the dropdowns are being filled: no filtering yet */
  guint                writes;          /* writes on their way */

  SabanLayerModel     *layers;
  SabanLayer          *communes;        /* the session's communes, styled by the counts */
  SabanLayer          *points;          /* the reports shown */
};

/* saban-feedback-window.c */
void saban_feedback_window_toast          (SabanFeedbackWindow *self,
                                           const char          *message);
void saban_feedback_window_refilter       (SabanFeedbackWindow *self);
void saban_feedback_window_report_changed (SabanFeedbackWindow *self,
                                           guint                index);

/* saban-feedback-window-detail.c */
void saban_feedback_window_show_detail       (SabanFeedbackWindow *self);
void saban_feedback_window_class_init_detail (GtkWidgetClass      *widget_class);
void saban_feedback_window_update_actions    (SabanFeedbackWindow *self);

G_END_DECLS
