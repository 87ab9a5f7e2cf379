/* saban-desk-window.c: the leaders' desk (Bàn lãnh đạo) — the province's
 * indicators as tiles grouped by sector for a chosen month, what is
 * happening now in a strip above them, and, beside them, the chosen
 * indicator by commune on a map with a ranking and a chart
 * (saban-desk-window-map.c); one click makes the meeting report
 * (saban-desk-window-report.c).
 *
 * A window of its own, taking the session like every other: a leader's
 * first screen (the application opens it when a leader signs in), and any
 * role's through app.desk. Its map is its own (a layer model holding the
 * session's communes layer under the desk's style), so the operations
 * map keeps its look.
 *
 * The figures are core's: SabanIndicatorSet and SabanIndicatorFigures for
 * the tiles, SabanSituation for the strip. The indicators are read once the
 * session signs in (two years of months, ~0.3 MB), the citizens' reports
 * for the strip in a worker beside them.
 */
#include "saban-desk-window-private.h"

#include <glib/gi18n.h>

#include "saban-desk-tile.h"
#include "saban-feedback-client.h"
#include "saban-indicator-figures.h"
#include "saban-indicator-reader.h"

/* the months offered, and the sparkline's length */
#define N_MONTHS 24
#define SPARK_PERIODS 12
#define SITUATION_INTERVAL_S 30
#define REPORT_DAYS 90

enum { PROP_0, PROP_SESSION, PROP_READY, N_PROPS };

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SabanDeskWindow, saban_desk_window, ADW_TYPE_APPLICATION_WINDOW)

void
saban_desk_window_toast (SabanDeskWindow *self, const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Today in Vietnam (UTC+7): what "overdue" counts from. */
void
saban_desk_window_today (GDate *today)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) vn = g_date_time_add_hours (now, 7);

  g_date_clear (today, 1);
  g_date_set_dmy (today, g_date_time_get_day_of_month (vn), g_date_time_get_month (vn), g_date_time_get_year (vn));
}

/* ---- the situation strip ------------------------------------------------------ */

static gboolean
count_situation (gpointer data)
{
  SabanDeskWindow *self = data;
  SabanCommandClient *client = saban_session_get_command_client (self->session);
  SabanSituation situation;

  self->situation_idle = 0;
  saban_situation_count (&situation, client != NULL ? saban_command_client_get_store (client) : NULL,
                         saban_session_get_alarms (self->session), saban_session_get_sensor_store (self->session),
                         self->reports, g_get_real_time ());
  saban_situation_strip_set (self->strip, &situation);
  return G_SOURCE_REMOVE;
}

/* coalesced: a burst of readings or of task moves counts once */
static void
queue_situation (SabanDeskWindow *self)
{
  if (self->situation_idle == 0)
    self->situation_idle = g_timeout_add (250, count_situation, self);
}

static gboolean
situation_tick (gpointer data)
{
  queue_situation (data);
  return G_SOURCE_CONTINUE;
}

static void
reports_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanFeedbackStore) reports = saban_feedback_load_finish (result, &error);
  SabanDeskWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_DESK_WINDOW (user_data);
  if (reports == NULL)
    {
      g_message ("citizen reports not read for the desk: %s", error->message);
      return;
    }
  g_set_object (&self->reports, reports);
  queue_situation (self);
}

/* ---- tiles ------------------------------------------------------------------------ */

static void
mark_selected_tile (SabanDeskWindow *self)
{
  for (guint i = 0; i < self->tiles->len; i++)
    if ((int) i == self->indicator)
      gtk_widget_add_css_class (g_ptr_array_index (self->tiles, i), "selected");
    else
      gtk_widget_remove_css_class (g_ptr_array_index (self->tiles, i), "selected");
}

static void
update_tiles (SabanDeskWindow *self)
{
  GDate month, today;

  saban_period_get_start (&self->month, &month);
  saban_desk_window_today (&today);
  for (guint i = 0; i < self->tiles->len; i++)
    {
      SabanDeskTile *tile = g_ptr_array_index (self->tiles, i);
      g_autoptr(SabanIndicatorFigures) f = saban_indicator_figures_new (self->indicators, i, SABAN_PROVINCE, &month,
                                                                        SPARK_PERIODS, &today);

      saban_desk_tile_set_figures (tile, saban_indicator_set_get_indicator (self->indicators, i), f);
    }
  mark_selected_tile (self);
}

static void
on_tile_activated (SabanDeskWindow *self, GtkFlowBoxChild *child)
{
  saban_desk_window_select_indicator (self, (int) saban_desk_tile_get_indicator (
                                                SABAN_DESK_TILE (gtk_flow_box_child_get_child (child))));
}

static GtkFlowBox *
new_sector (SabanDeskWindow *self, const char *sector)
{
  GtkWidget *heading = gtk_label_new (sector);
  GtkWidget *flow = gtk_flow_box_new ();

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "title-4");
  gtk_widget_set_margin_top (heading, 6);
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 4);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_flow_box_set_activate_on_single_click (GTK_FLOW_BOX (flow), TRUE);
  g_signal_connect_object (flow, "child-activated", G_CALLBACK (on_tile_activated), self, G_CONNECT_SWAPPED);
  gtk_box_append (self->tiles_box, heading);
  gtk_box_append (self->tiles_box, flow);
  return GTK_FLOW_BOX (flow);
}

/* a flow box per sector, in the catalogue's order */
static void
make_tiles (SabanDeskWindow *self)
{
  g_autoptr(GHashTable) sectors = g_hash_table_new (g_str_hash, g_str_equal);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tiles_box))) != NULL)
    gtk_box_remove (self->tiles_box, child);
  g_ptr_array_set_size (self->tiles, 0);
  for (guint i = 0; i < saban_indicator_set_get_n_indicators (self->indicators); i++)
    {
      const SabanIndicator *def = saban_indicator_set_get_indicator (self->indicators, i);
      GtkFlowBox *flow = g_hash_table_lookup (sectors, def->sector);
      SabanDeskTile *tile = saban_desk_tile_new (i);

      if (flow == NULL)
        g_hash_table_insert (sectors, def->sector, (flow = new_sector (self, def->sector)));
      gtk_flow_box_append (flow, GTK_WIDGET (tile));
      g_ptr_array_add (self->tiles, tile);
    }
}

/* ---- months ----------------------------------------------------------------------- */

/* The months offered: two years up to the latest month any monthly
 * indicator holds (this month's figures come in next month). */
static void
make_months (SabanDeskWindow *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  SabanPeriod last = { SABAN_PERIOD_MONTH, 0 };
  GDate today;

  saban_desk_window_today (&today);
  for (guint i = 0; i < saban_indicator_set_get_n_indicators (self->indicators); i++)
    {
      const SabanIndicator *def = saban_indicator_set_get_indicator (self->indicators, i);

      if (def->has_last_period && def->period_kind == SABAN_PERIOD_MONTH)
        last.ordinal = MAX (last.ordinal, def->last_period.ordinal);
    }
  if (last.ordinal == 0)
    last = saban_period_containing (SABAN_PERIOD_MONTH, &today);
  g_array_set_size (self->months, 0);
  for (int k = N_MONTHS - 1; k >= 0; k--)
    {
      SabanPeriod p = saban_period_offset (&last, -k);
      g_autofree char *name = saban_period_format (&p);

      g_array_append_val (self->months, p);
      gtk_string_list_append (names, name);
    }
  self->syncing = TRUE;
  gtk_drop_down_set_model (self->month_dropdown, G_LIST_MODEL (names));
  gtk_adjustment_configure (self->period_adjustment, N_MONTHS - 1, 0, N_MONTHS - 1, 1, 1, 0);
  self->syncing = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->month_dropdown), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->period_scale), TRUE);
}

static int
month_position (SabanDeskWindow *self, const SabanPeriod *month)
{
  for (guint i = 0; i < self->months->len; i++)
    if (g_array_index (self->months, SabanPeriod, i).ordinal == month->ordinal)
      return (int) i;
  return -1;
}

/**
 * saban_desk_window_set_month:
 * @month: one of the months the desk offers (a month period)
 *
 * Shows every tile, the map, the ranking and the chart for @month.
 */
void
saban_desk_window_set_month (SabanDeskWindow *self, const SabanPeriod *month)
{
  int position = month_position (self, month);
  g_autofree char *name = NULL;

  g_return_if_fail (SABAN_IS_DESK_WINDOW (self));
  if (position < 0 || self->indicators == NULL)
    return;
  self->month = *month;
  name = saban_period_format (month);
  gtk_label_set_text (self->period_label, name);
  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->month_dropdown, position);
  gtk_adjustment_set_value (self->period_adjustment, position);
  self->syncing = FALSE;
  update_tiles (self);
  saban_desk_window_update_map (self);
  saban_desk_window_update_commune (self);
}

/**
 * saban_desk_window_get_month:
 *
 * Returns: the month shown
 */
const SabanPeriod *
saban_desk_window_get_month (SabanDeskWindow *self)
{
  return &self->month;
}

static void
on_month_chosen (SabanDeskWindow *self)
{
  guint position = gtk_drop_down_get_selected (self->month_dropdown);

  if (!self->syncing && position < self->months->len)
    saban_desk_window_set_month (self, &g_array_index (self->months, SabanPeriod, position));
}

static void
on_slider_moved (SabanDeskWindow *self)
{
  guint position = (guint) (gtk_adjustment_get_value (self->period_adjustment) + 0.5);

  if (!self->syncing && position < self->months->len &&
      g_array_index (self->months, SabanPeriod, position).ordinal != self->month.ordinal)
    saban_desk_window_set_month (self, &g_array_index (self->months, SabanPeriod, position));
}

/* ---- reading ---------------------------------------------------------------------- */

static void
indicators_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanIndicatorSet) set = saban_indicator_reader_fetch_finish (result, &error);
  SabanDeskWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_DESK_WINDOW (user_data);
  self->loading = FALSE;
  if (set == NULL)
    {
      g_autofree char *message = error->domain == SABAN_API_ERROR ? saban_api_describe_error (error)
                                                                  : g_strdup (error->message);

      adw_status_page_set_description (self->error_page, message);
      gtk_stack_set_visible_child_name (self->tiles_stack, "error");
      return;
    }
  g_set_object (&self->indicators, set);
  make_tiles (self);
  make_months (self);
  saban_desk_window_attach_communes (self);
  saban_desk_window_set_month (self, &g_array_index (self->months, SabanPeriod, self->months->len - 1));
  gtk_stack_set_visible_child_name (self->tiles_stack, "tiles");
  self->ready = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

/* Signed in: the indicators of the last two years (a month more for the
 * change against the month before), and the citizens' reports. */
static void
load (SabanDeskWindow *self)
{
  SabanApi *api = saban_session_get_api (self->session);
  SabanPeriod to, from;
  GDate today;

  if (self->loading || self->ready || api == NULL ||
      !saban_connection_get_signed_in (saban_session_get_connection (self->session)))
    return;
  self->loading = TRUE;
  saban_desk_window_today (&today);
  to = saban_period_containing (SABAN_PERIOD_MONTH, &today);
  from = saban_period_offset (&to, -N_MONTHS - 12);
  saban_indicator_reader_fetch_async (api, &from, &to, self->cancellable, indicators_read, self);
  saban_feedback_load_async (api, NULL, REPORT_DAYS, self->cancellable, reports_loaded, self);
}

/* ---- the role ---------------------------------------------------------------------- */

static const char *
role_label (const char *role)
{
  static const struct { const char *role, *label; } labels[] = {
    { "leader", N_("Leader") }, { "planner", N_("Planner") }, { "coordinator", N_("Coordinator") },
    { "operator", N_("Operator") }, { "data_steward", N_("Data steward") }, { "admin", N_("Administrator") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].role, role) == 0)
      return _(labels[i].label);
  return role;
}

static void
update_subtitle (SabanDeskWindow *self)
{
  const char *account = saban_session_get_connection (self->session) != NULL
                          ? saban_connection_get_account (saban_session_get_connection (self->session)) : NULL;
  g_autofree char *subtitle = NULL;

  if (account == NULL || *account == '\0')
    subtitle = g_strdup (_("Not signed in"));
  else if (self->role != NULL)
    subtitle = g_strdup_printf ("%s · %s", account, role_label (self->role));
  else
    subtitle = g_strdup (account);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

/**
 * saban_desk_window_set_role:
 * @role: (nullable): the signed-in account's role, as the server names it
 *
 * Shown with the account in the header bar.
 */
void
saban_desk_window_set_role (SabanDeskWindow *self, const char *role)
{
  g_return_if_fail (SABAN_IS_DESK_WINDOW (self));

  g_free (self->role);
  self->role = g_strdup (role);
  update_subtitle (self);
}

static void
on_signed_in (SabanDeskWindow *self)
{
  update_subtitle (self);
  load (self);
}

/* ---- life -------------------------------------------------------------------------- */

static void
watch_session (SabanDeskWindow *self)
{
  SabanCommandClient *client = saban_session_get_command_client (self->session);
  SabanConnection *connection = saban_session_get_connection (self->session);

  if (connection != NULL)
    g_signal_connect_object (connection, "notify::signed-in", G_CALLBACK (on_signed_in), self, G_CONNECT_SWAPPED);
  if (client != NULL)
    g_signal_connect_object (saban_command_client_get_store (client), "item-changed", G_CALLBACK (queue_situation),
                             self, G_CONNECT_SWAPPED);
  if (saban_session_get_alarms (self->session) != NULL)
    g_signal_connect_object (saban_session_get_alarms (self->session), "items-changed",
                             G_CALLBACK (queue_situation), self, G_CONNECT_SWAPPED);
  if (saban_session_get_sensor_store (self->session) != NULL)
    g_signal_connect_object (saban_session_get_sensor_store (self->session), "sensors-changed",
                             G_CALLBACK (queue_situation), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (saban_session_get_layers (self->session), "items-changed",
                           G_CALLBACK (saban_desk_window_attach_communes), self, G_CONNECT_SWAPPED);
}

static void
saban_desk_window_constructed (GObject *object)
{
  SabanDeskWindow *self = SABAN_DESK_WINDOW (object);

  G_OBJECT_CLASS (saban_desk_window_parent_class)->constructed (object);
  saban_desk_window_init_map (self);
  watch_session (self);
  update_subtitle (self);
  queue_situation (self);
  self->situation_timer = g_timeout_add_seconds (SITUATION_INTERVAL_S, situation_tick, self);
  load (self);
  if (!self->loading && saban_session_get_api (self->session) == NULL)
    {
      adw_status_page_set_description (self->error_page, _("This session has no IOC server."));
      gtk_stack_set_visible_child_name (self->tiles_stack, "error");
    }
}

static void
saban_desk_window_dispose (GObject *object)
{
  SabanDeskWindow *self = SABAN_DESK_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->situation_idle, g_source_remove);
  g_clear_handle_id (&self->situation_timer, g_source_remove);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->indicators);
  g_clear_object (&self->reports);
  g_clear_object (&self->report_toast);
  g_clear_object (&self->communes);
  g_clear_object (&self->layers);
  g_clear_object (&self->ranking_selection);
  g_clear_object (&self->session);
  g_clear_pointer (&self->tiles, g_ptr_array_unref);
  g_clear_pointer (&self->months, g_array_unref);
  g_clear_pointer (&self->feature_commune, g_array_unref);
  g_clear_pointer (&self->ranking_order, g_array_unref);
  g_clear_pointer (&self->ranking_rows, g_ptr_array_unref);
  g_clear_pointer (&self->role, g_free);
  G_OBJECT_CLASS (saban_desk_window_parent_class)->dispose (object);
}

static void
saban_desk_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, SABAN_DESK_WINDOW (object)->ready);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_desk_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SESSION:
      SABAN_DESK_WINDOW (object)->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_desk_window_class_init (SabanDeskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = saban_desk_window_constructed;
  object_class->dispose = saban_desk_window_dispose;
  object_class->get_property = saban_desk_window_get_property;
  object_class->set_property = saban_desk_window_set_property;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, SABAN_TYPE_SESSION,
                                                  G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SabanDeskWindow:ready:
   *
   * Whether the tiles show the indicators (what "desk ready" is measured to).
   */
  properties[PROP_READY] = g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                                                 G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SABAN_TYPE_SITUATION_STRIP);
  g_type_ensure (SABAN_TYPE_SERIES_CHART);
  g_type_ensure (SABAN_TYPE_MAP_VIEW);
  g_type_ensure (SABAN_TYPE_MAP_LEGEND);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-desk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanDeskWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskWindow, month_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskWindow, report_button);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskWindow, strip);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskWindow, tiles_stack);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskWindow, tiles_box);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskWindow, map_view);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskWindow, map_title);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskWindow, legend);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskWindow, period_label);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskWindow, period_scale);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskWindow, period_adjustment);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskWindow, ranking_title);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskWindow, ranking_stack);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskWindow, ranking_view);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskWindow, chart);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskWindow, commune_box);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskWindow, commune_title);
  gtk_widget_class_bind_template_child (widget_class, SabanDeskWindow, commune_list);
  saban_desk_window_class_init_report (widget_class);
}

static void
saban_desk_window_init (SabanDeskWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->tiles = g_ptr_array_new ();
  self->months = g_array_new (FALSE, FALSE, sizeof (SabanPeriod));
  self->indicator = -1;
  self->commune = -1;
  g_signal_connect_swapped (self->month_dropdown, "notify::selected", G_CALLBACK (on_month_chosen), self);
  g_signal_connect_swapped (self->period_adjustment, "value-changed", G_CALLBACK (on_slider_moved), self);
}

/**
 * saban_desk_window_new:
 * @application: (nullable): the application, if any
 * @session: the session whose indicators and situation it shows
 */
SabanDeskWindow *
saban_desk_window_new (GtkApplication *application, SabanSession *session)
{
  g_return_val_if_fail (SABAN_IS_SESSION (session), NULL);

  return g_object_new (SABAN_TYPE_DESK_WINDOW, "application", application, "session", session, NULL);
}

/**
 * saban_desk_window_show:
 *
 * Presents the application's desk for @session (made the first time).
 *
 * Returns: (transfer none): the desk
 */
SabanDeskWindow *
saban_desk_window_show (GtkApplication *application, SabanSession *session)
{
  SabanDeskWindow *self = NULL;

  for (GList *l = application != NULL ? gtk_application_get_windows (application) : NULL; l != NULL; l = l->next)
    if (SABAN_IS_DESK_WINDOW (l->data) && SABAN_DESK_WINDOW (l->data)->session == session)
      self = l->data;
  if (self == NULL)
    self = saban_desk_window_new (application, session);
  gtk_window_present (GTK_WINDOW (self));
  return self;
}

gboolean
saban_desk_window_get_ready (SabanDeskWindow *self)
{
  return self->ready;
}

/**
 * saban_desk_window_get_indicators:
 *
 * Returns: (transfer none) (nullable): the indicators the desk shows
 */
SabanIndicatorSet *
saban_desk_window_get_indicators (SabanDeskWindow *self)
{
  return self->indicators;
}

/**
 * saban_desk_window_get_map_view:
 *
 * Returns: (transfer none): the desk's map
 */
SabanMapView *
saban_desk_window_get_map_view (SabanDeskWindow *self)
{
  return self->map_view;
}

/**
 * saban_desk_window_select_indicator:
 * @indicator: an indicator of the desk's set, or -1 for none
 *
 * What a click on a tile does: the map becomes a choropleth of @indicator
 * by commune, beside it its ranking and chart.
 */
void
saban_desk_window_select_indicator (SabanDeskWindow *self, int indicator)
{
  g_return_if_fail (SABAN_IS_DESK_WINDOW (self));
  if (self->indicators == NULL || indicator >= (int) saban_indicator_set_get_n_indicators (self->indicators))
    return;
  self->indicator = indicator;
  mark_selected_tile (self);
  saban_desk_window_update_map (self);
}

int
saban_desk_window_get_indicator (SabanDeskWindow *self)
{
  return self->indicator;
}

/**
 * saban_desk_window_select_commune:
 * @commune: a commune of the desk's set, or -1 for none
 *
 * What a click on a commune (on the map or in the ranking) does: every
 * indicator of @commune, and its line on the chart.
 */
void
saban_desk_window_select_commune (SabanDeskWindow *self, int commune)
{
  g_return_if_fail (SABAN_IS_DESK_WINDOW (self));
  if (self->indicators == NULL || commune >= (int) saban_indicator_set_get_n_communes (self->indicators))
    return;
  self->commune = commune;
  saban_desk_window_update_commune (self);
}
