/* saban-feedback-window.c: the citizen-feedback workspace (Phản ánh hiện
 * trường) — every report of the last 90 days in a list that makes only the
 * rows on screen (a GtkListView over core's SabanFeedbackList, so 50 000
 * scroll at frame rate), filters by status, service, commune, age, overdue
 * and likely duplicates, and a map: the reports shown as points coloured by
 * where they stand against their time limit, over the communes coloured by
 * how many reports each received or how many it handled on time. The
 * report chosen is shown and handled beside the map
 * (saban-feedback-window-detail.c).
 *
 * Reports, services, time limits, duplicates and counts are core's
 * (core/feedback), read through core/net (saban_feedback_load_async) in a
 * worker.
 */
#include "saban-feedback-window-private.h"

#include <glib/gi18n.h>
#include <math.h>

#include "saban-classify.h"
#include "saban-feedback-client.h"
#include "saban-feedback-row.h"
#include "saban-format.h"

#define DAYS 90

enum { PROP_0, PROP_SESSION, PROP_READY, N_PROPS };

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SabanFeedbackWindow, saban_feedback_window, ADW_TYPE_APPLICATION_WINDOW)

/* a point's colour by SabanFeedbackTiming: open, overdue, closed on time, closed late */
static const char *const timing_colors[] = { "#1c71d8", "#e01b24", "#2ec27e", "#9141ac" };

void
saban_feedback_window_toast (SabanFeedbackWindow *self, const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ---- the map ------------------------------------------------------------------------ */

static char *
format_count (double value, gpointer percent)
{
  g_autofree char *number = saban_format_number (percent != NULL ? 100 * value : value, 0);

  return percent != NULL ? g_strdup_printf ("%s %%", number) : g_steal_pointer (&number);
}

/* The communes filled by their reports (the store's communes are the
 * layer's features, in order): how many were received, or the share handled
 * on time of those due. */
static void
style_communes (SabanFeedbackWindow *self)
{
  gboolean rate = gtk_drop_down_get_selected (self->map_dropdown) == 1;
  SabanVectorLayer *vector;
  g_autoptr(GArray) counts = NULL, breaks = NULL;
  g_autofree double *values = NULL;
  g_autofree guint8 *classes = NULL;
  const GdkRGBA *ramp;
  guint n_colors;
  guint32 n;

  if (self->communes == NULL || self->store == NULL ||
      saban_feedback_store_get_n_communes (self->store) != saban_vector_layer_get_n_features (
                                                             saban_layer_get_vector (self->communes)))
    return;
  vector = saban_layer_get_vector (self->communes);
  n = saban_vector_layer_get_n_features (vector);
  counts = saban_feedback_store_count_by_commune (self->store, g_get_real_time ());
  values = g_new (double, MAX (n, 1));
  classes = g_new (guint8, MAX (n, 1));
  for (guint32 f = 0; f < n; f++)
    {
      const SabanFeedbackCounts *c = &g_array_index (counts, SabanFeedbackCounts, f);

      values[f] = rate ? c->on_time_rate : c->received;
    }
  ramp = saban_map_legend_get_ramp (&n_colors);
  breaks = saban_classify (values, n, n_colors, SABAN_CLASSIFY_QUANTILE);
  for (guint32 f = 0; f < n; f++)
    classes[f] = isnan (values[f]) || breaks->len == 0 ? SABAN_STYLE_NO_CLASS
                                                        : (guint8) saban_classify_class_of (breaks, values[f]);
  saban_map_view_set_choropleth (self->map_view, vector, classes, ramp, breaks->len);
  saban_map_legend_set_classes (self->legend, rate ? _("Handled on time") : _("Reports received"), breaks, ramp,
                                format_count, rate ? GINT_TO_POINTER (1) : NULL);
}

/* what the points' colours say, in their colours */
static void
set_points_key (SabanFeedbackWindow *self)
{
  const char *words[] = { _("being handled"), _("overdue"), _("handled on time"), _("handled late") };
  g_autoptr(GString) markup = g_string_new (NULL);

  for (guint c = 0; c < G_N_ELEMENTS (timing_colors); c++)
    {
      g_autofree char *part = g_markup_printf_escaped ("%s<span foreground=\"%s\">●</span> %s", c ? "   " : "",
                                                       timing_colors[c], words[c]);

      g_string_append (markup, part);
    }
  gtk_label_set_markup (self->points_key, markup->str);
}

/* the reports shown, as points over the communes */
static void
show_points (SabanFeedbackWindow *self)
{
  gint64 now = g_get_real_time ();
  g_autoptr(SabanVectorLayer) vector = saban_feedback_store_new_layer (self->store,
                                                                       saban_feedback_list_get_indices (self->list), now);
  const SabanAttributeTable *table = saban_vector_layer_get_attributes (vector);
  int timing = saban_attribute_table_find_field (table, "timing");
  guint32 n = saban_vector_layer_get_n_features (vector);
  g_autofree guint8 *classes = g_new (guint8, MAX (n, 1));
  g_autoptr(GArray) none = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(SabanLayerStyle) base = saban_layer_style_new_for_layer (vector);
  g_autoptr(SabanLayerStyle) style = NULL;
  GdkRGBA colors[G_N_ELEMENTS (timing_colors)];

  for (guint c = 0; c < G_N_ELEMENTS (timing_colors); c++)
    gdk_rgba_parse (&colors[c], timing_colors[c]);
  for (guint32 f = 0; f < n; f++)
    classes[f] = (guint8) saban_attribute_table_get_integer (table, timing, f);
  style = saban_layer_style_new_classed (base, vector, classes, n, none, colors, G_N_ELEMENTS (colors));
  if (self->points != NULL)
    saban_layer_model_remove (self->layers, self->points);
  g_clear_object (&self->points);
  self->points = saban_layer_new (vector, style);
  saban_layer_model_add (self->layers, self->points);
}

/* The session's communes once it has them: the counts' map, and each
 * report's commune for the filter. */
static void
attach_communes (SabanFeedbackWindow *self)
{
  g_autoptr(GPtrArray) vectors = NULL;
  double e[4];

  if (self->communes != NULL)
    return;
  vectors = saban_layer_model_dup_vectors (saban_session_get_layers (self->session));
  for (guint i = 0; i < vectors->len && self->communes == NULL; i++)
    {
      SabanVectorLayer *vector = g_ptr_array_index (vectors, i);
      g_autoptr(SabanLayerStyle) style = NULL;

      if (!g_str_equal (saban_vector_layer_get_name (vector), "communes"))
        continue;
      style = saban_layer_style_new_for_layer (vector);
      self->communes = saban_layer_new (vector, style);
      saban_layer_model_add (self->layers, self->communes);
      if (saban_vector_layer_get_extent (vector, &e[0], &e[1], &e[2], &e[3]))
        saban_map_view_zoom_to_extent (self->map_view, e[0], e[1], e[2], e[3]);
    }
}

/* ---- filters ------------------------------------------------------------------------ */

static GtkStringList *
string_list (const char *first)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, first);
  return list;
}

/* the service and commune dropdowns, and the agencies one may assign to */
static void
fill_choices (SabanFeedbackWindow *self)
{
  g_autoptr(GtkStringList) services = string_list (_("Every service"));
  g_autoptr(GtkStringList) communes = string_list (_("Every commune"));
  g_autoptr(GHashTable) agencies = g_hash_table_new (g_str_hash, g_str_equal);

  g_ptr_array_set_size (self->service_codes, 0);
  g_ptr_array_add (self->service_codes, NULL);
  g_clear_object (&self->agencies);
  self->agencies = gtk_string_list_new (NULL);
  for (guint i = 0; i < saban_feedback_store_get_n_services (self->store); i++)
    {
      const SabanFeedbackService *s = saban_feedback_store_get_service (self->store, i);

      gtk_string_list_append (services, s->name);
      g_ptr_array_add (self->service_codes, (gpointer) s->code);
      if (s->agency != NULL && g_hash_table_add (agencies, (gpointer) s->agency))
        gtk_string_list_append (self->agencies, s->agency);
    }
  for (guint c = 0; c < saban_feedback_store_get_n_communes (self->store); c++)
    gtk_string_list_append (communes, saban_feedback_store_get_commune_name (self->store, c));
  self->filling = TRUE;
  gtk_drop_down_set_model (self->service_dropdown, G_LIST_MODEL (services));
  gtk_drop_down_set_model (self->commune_dropdown, G_LIST_MODEL (communes));
  adw_combo_row_set_model (self->agency_row, G_LIST_MODEL (self->agencies));
  self->filling = FALSE;
}

static void
read_filter (SabanFeedbackWindow *self, SabanFeedbackFilter *f)
{
  static const int ages[] = { 0, 1, 7, 30 };
  guint status = gtk_drop_down_get_selected (self->status_dropdown);
  guint service = gtk_drop_down_get_selected (self->service_dropdown);
  guint commune = gtk_drop_down_get_selected (self->commune_dropdown);
  guint age = gtk_drop_down_get_selected (self->age_dropdown);

  saban_feedback_filter_init (f);
  f->closed = status == 1 ? 0 : status == 2 ? 1 : -1;
  f->service_code = service > 0 && service < self->service_codes->len ? g_ptr_array_index (self->service_codes, service)
                                                                       : NULL;
  f->commune = commune > 0 && commune != GTK_INVALID_LIST_POSITION ? (int) commune - 1 : -1;
  f->max_age_days = age < G_N_ELEMENTS (ages) ? ages[age] : 0;
  f->overdue_only = gtk_toggle_button_get_active (self->overdue_toggle);
  f->duplicates_only = gtk_toggle_button_get_active (self->duplicates_toggle);
}

/**
 * saban_feedback_window_refilter:
 *
 * The list and the map's points as the filters say; the report shown stays
 * chosen if it still passes.
 */
void
saban_feedback_window_refilter (SabanFeedbackWindow *self)
{
  SabanFeedbackFilter f;
  GArray *indices;
  g_autofree char *count = NULL;
  guint position = GTK_INVALID_LIST_POSITION;

  if (self->store == NULL || self->filling)
    return;
  read_filter (self, &f);
  saban_feedback_list_set_filter (self->list, &f, g_get_real_time ());
  indices = saban_feedback_list_get_indices (self->list);
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u report", "%u reports", indices->len), indices->len);
  gtk_label_set_text (self->count_label, count);
  for (guint p = 0; p < indices->len && self->selected >= 0; p++)
    if ((int) g_array_index (indices, guint, p) == self->selected)
      position = p;
  gtk_single_selection_set_selected (self->selection, position);
  show_points (self);
}

/**
 * saban_feedback_window_apply_preset:
 * @preset: (nullable): "open" (being handled), "overdue", or "" / %NULL for all
 *
 * What the desk's strip jumps to.
 */
void
saban_feedback_window_apply_preset (SabanFeedbackWindow *self, const char *preset)
{
  self->filling = TRUE;
  gtk_drop_down_set_selected (self->status_dropdown, g_strcmp0 (preset, "open") == 0 ? 1 : 0);
  gtk_toggle_button_set_active (self->overdue_toggle, g_strcmp0 (preset, "overdue") == 0);
  if (preset != NULL && *preset != '\0')
    {
      gtk_drop_down_set_selected (self->service_dropdown, 0);
      gtk_drop_down_set_selected (self->commune_dropdown, 0);
      gtk_drop_down_set_selected (self->age_dropdown, 0);
      gtk_toggle_button_set_active (self->duplicates_toggle, FALSE);
    }
  self->filling = FALSE;
  saban_feedback_window_refilter (self);
}

/* ---- the list ----------------------------------------------------------------------- */

static void
setup_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  gtk_list_item_set_child (item, saban_feedback_row_new ());
}

static void
bind_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  saban_feedback_row_bind (SABAN_FEEDBACK_ROW (gtk_list_item_get_child (item)),
                           SABAN_FEEDBACK_ITEM (gtk_list_item_get_item (item)), g_get_real_time ());
}

static void
on_selection_changed (SabanFeedbackWindow *self)
{
  SabanFeedbackItem *item = gtk_single_selection_get_selected_item (self->selection);
  int selected = item != NULL ? (int) saban_feedback_item_get_index (item) : -1;

  if (selected == self->selected)
    return;
  self->selected = selected;
  saban_feedback_window_show_detail (self);
}

/**
 * saban_feedback_window_report_changed:
 * @index: a report a write changed (the store holds its new state)
 *
 * Its row, the map and the counts follow.
 */
void
saban_feedback_window_report_changed (SabanFeedbackWindow *self, guint index)
{
  guint position = gtk_single_selection_get_selected (self->selection);

  /* a row made again loses its selection: the report shown stays chosen */
  saban_feedback_list_changed (self->list, index);
  gtk_single_selection_set_selected (self->selection, position);
  style_communes (self);
  show_points (self);
  if ((int) index == self->selected)
    saban_feedback_window_show_detail (self);
}

/* a point clicked on the map: its report */
static void
on_feature_activated (SabanFeedbackWindow *self, SabanVectorLayer *layer, gint64 feature)
{
  if (self->points == NULL || layer != saban_layer_get_vector (self->points) || feature < 0)
    return;
  saban_feedback_window_select (self, (int) saban_vector_layer_get_arrays (layer)->fids[feature]);
}

/* ---- reading ------------------------------------------------------------------------ */

static void
loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanFeedbackStore) store = saban_feedback_load_finish (result, &error);
  SabanFeedbackWindow *self;
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_FEEDBACK_WINDOW (user_data);
  self->loading = FALSE;
  if (store == NULL)
    {
      message = error->domain == SABAN_API_ERROR ? saban_api_describe_error (error) : g_strdup (error->message);
      adw_status_page_set_description (self->error_page, message);
      gtk_stack_set_visible_child_name (self->list_stack, "error");
      return;
    }
  g_set_object (&self->store, store);
  saban_feedback_list_set_store (self->list, store);
  fill_choices (self);
  self->selected = -1;
  saban_feedback_window_refilter (self);
  style_communes (self);
  saban_feedback_window_show_detail (self);
  gtk_stack_set_visible_child_name (self->list_stack, "list");
  self->ready = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

/**
 * saban_feedback_window_reload:
 *
 * Reads the reports again (the last 90 days).
 */
void
saban_feedback_window_reload (SabanFeedbackWindow *self)
{
  SabanApi *api = saban_session_get_api (self->session);

  if (self->loading || api == NULL || !saban_connection_get_signed_in (saban_session_get_connection (self->session)))
    return;
  self->loading = TRUE;
  attach_communes (self);
  saban_feedback_load_async (api, self->communes != NULL ? saban_layer_get_vector (self->communes) : NULL, DAYS,
                             self->cancellable, loaded, self);
}

static void
refresh_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  saban_feedback_window_reload (SABAN_FEEDBACK_WINDOW (widget));
}

static void
on_layers_changed (SabanFeedbackWindow *self)
{
  gboolean had = self->communes != NULL;

  attach_communes (self);
  /* reports read before the communes were: read again to find their communes */
  if (!had && self->communes != NULL && self->store != NULL)
    {
      self->ready = FALSE;
      saban_feedback_window_reload (self);
    }
}

/* ---- life --------------------------------------------------------------------------- */

static void
saban_feedback_window_constructed (GObject *object)
{
  SabanFeedbackWindow *self = SABAN_FEEDBACK_WINDOW (object);
  SabanConnection *connection = saban_session_get_connection (self->session);

  G_OBJECT_CLASS (saban_feedback_window_parent_class)->constructed (object);
  self->layers = saban_layer_model_new ();
  saban_map_view_set_layers (self->map_view, self->layers);
  g_signal_connect_object (self->map_view, "feature-activated", G_CALLBACK (on_feature_activated), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (saban_session_get_layers (self->session), "items-changed", G_CALLBACK (on_layers_changed),
                           self, G_CONNECT_SWAPPED);
  if (connection != NULL)
    g_signal_connect_object (connection, "notify::signed-in", G_CALLBACK (saban_feedback_window_reload), self,
                             G_CONNECT_SWAPPED);
  saban_feedback_window_reload (self);
  if (!self->loading)
    {
      adw_status_page_set_description (self->error_page, _("Sign in to an IOC server to read the citizen reports."));
      gtk_stack_set_visible_child_name (self->list_stack, "error");
    }
  saban_feedback_window_update_actions (self);
}

static void
saban_feedback_window_dispose (GObject *object)
{
  SabanFeedbackWindow *self = SABAN_FEEDBACK_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->photo_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->photo_cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  g_clear_object (&self->agencies);
  g_clear_object (&self->points);
  g_clear_object (&self->communes);
  g_clear_object (&self->layers);
  g_clear_object (&self->session);
  g_clear_pointer (&self->service_codes, g_ptr_array_unref);
  g_clear_pointer (&self->role, g_free);
  G_OBJECT_CLASS (saban_feedback_window_parent_class)->dispose (object);
}

static void
saban_feedback_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, SABAN_FEEDBACK_WINDOW (object)->ready);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_feedback_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SESSION:
      SABAN_FEEDBACK_WINDOW (object)->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_feedback_window_class_init (SabanFeedbackWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = saban_feedback_window_constructed;
  object_class->dispose = saban_feedback_window_dispose;
  object_class->get_property = saban_feedback_window_get_property;
  object_class->set_property = saban_feedback_window_set_property;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, SABAN_TYPE_SESSION,
                                                  G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SabanFeedbackWindow:ready:
   *
   * Whether the reports are read and listed.
   */
  properties[PROP_READY] = g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                                                 G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SABAN_TYPE_MAP_VIEW);
  g_type_ensure (SABAN_TYPE_MAP_LEGEND);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-feedback-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, map_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, service_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, commune_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, age_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, overdue_toggle);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, duplicates_toggle);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, map_view);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, legend);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, points_key);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, detail_title);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, detail_state);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, detail_photo);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, detail_description);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, address_row);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, agency_info_row);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, reply_info_row);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, reporter_group);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, unmask_button);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, phone_row);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, email_row);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, handling_group);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, agency_row);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, reply_view);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, close_button);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, reopen_button);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, launch_button);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, duplicates_group);
  gtk_widget_class_bind_template_child (widget_class, SabanFeedbackWindow, duplicates_list);
  gtk_widget_class_install_action (widget_class, "feedback.refresh", NULL, refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "feedback.refresh", NULL);
  saban_feedback_window_class_init_detail (widget_class);
}

static void
saban_feedback_window_init (SabanFeedbackWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->service_codes = g_ptr_array_new ();
  self->selected = -1;
  self->list = saban_feedback_list_new ();
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->list)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->status_dropdown, "notify::selected", G_CALLBACK (saban_feedback_window_refilter), self);
  g_signal_connect_swapped (self->service_dropdown, "notify::selected", G_CALLBACK (saban_feedback_window_refilter), self);
  g_signal_connect_swapped (self->commune_dropdown, "notify::selected", G_CALLBACK (saban_feedback_window_refilter), self);
  g_signal_connect_swapped (self->age_dropdown, "notify::selected", G_CALLBACK (saban_feedback_window_refilter), self);
  g_signal_connect_swapped (self->overdue_toggle, "toggled", G_CALLBACK (saban_feedback_window_refilter), self);
  g_signal_connect_swapped (self->duplicates_toggle, "toggled", G_CALLBACK (saban_feedback_window_refilter), self);
  g_signal_connect_swapped (self->map_dropdown, "notify::selected", G_CALLBACK (style_communes), self);
  set_points_key (self);
}

/**
 * saban_feedback_window_new:
 * @application: (nullable): the application, if any
 * @session: the session whose server's reports it shows
 */
SabanFeedbackWindow *
saban_feedback_window_new (GtkApplication *application, SabanSession *session)
{
  g_return_val_if_fail (SABAN_IS_SESSION (session), NULL);

  return g_object_new (SABAN_TYPE_FEEDBACK_WINDOW, "application", application, "session", session, NULL);
}

/**
 * saban_feedback_window_show:
 * @preset: (nullable): see saban_feedback_window_apply_preset()
 *
 * Presents the application's workspace for @session (made the first time).
 *
 * Returns: (transfer none): the workspace
 */
SabanFeedbackWindow *
saban_feedback_window_show (GtkApplication *application, SabanSession *session, const char *preset)
{
  SabanFeedbackWindow *self = NULL;

  for (GList *l = application != NULL ? gtk_application_get_windows (application) : NULL; l != NULL; l = l->next)
    if (SABAN_IS_FEEDBACK_WINDOW (l->data) && SABAN_FEEDBACK_WINDOW (l->data)->session == session)
      self = l->data;
  if (self == NULL)
    self = saban_feedback_window_new (application, session);
  if (preset != NULL && *preset != '\0')
    saban_feedback_window_apply_preset (self, preset);
  gtk_window_present (GTK_WINDOW (self));
  return self;
}

/**
 * saban_feedback_window_set_role:
 * @role: (nullable): the signed-in account's role
 *
 * Who may handle reports and see reporters (operators, coordinators,
 * administrators: the server's rule) is offered the means to.
 */
void
saban_feedback_window_set_role (SabanFeedbackWindow *self, const char *role)
{
  g_free (self->role);
  self->role = g_strdup (role);
  saban_feedback_window_update_actions (self);
}

gboolean
saban_feedback_window_get_ready (SabanFeedbackWindow *self)
{
  return self->ready;
}

/**
 * saban_feedback_window_get_busy:
 *
 * Returns: whether a write is on its way to the server
 */
gboolean
saban_feedback_window_get_busy (SabanFeedbackWindow *self)
{
  return self->writes > 0;
}

/**
 * saban_feedback_window_get_store:
 *
 * Returns: (transfer none) (nullable): the reports read
 */
SabanFeedbackStore *
saban_feedback_window_get_store (SabanFeedbackWindow *self)
{
  return self->store;
}

/**
 * saban_feedback_window_get_list:
 *
 * Returns: (transfer none): the reports listed (filtered)
 */
SabanFeedbackList *
saban_feedback_window_get_list (SabanFeedbackWindow *self)
{
  return self->list;
}

/**
 * saban_feedback_window_get_list_view:
 *
 * Returns: (transfer none): the list's view
 */
GtkListView *
saban_feedback_window_get_list_view (SabanFeedbackWindow *self)
{
  return self->list_view;
}

/**
 * saban_feedback_window_get_map_view:
 *
 * Returns: (transfer none): the workspace's map
 */
SabanMapView *
saban_feedback_window_get_map_view (SabanFeedbackWindow *self)
{
  return self->map_view;
}

/**
 * saban_feedback_window_select:
 * @index: a report of the store, or -1
 *
 * Shows report @index (listed again with every report if the filters hid it).
 */
void
saban_feedback_window_select (SabanFeedbackWindow *self, int index)
{
  GArray *indices = saban_feedback_list_get_indices (self->list);

  if (self->store == NULL || index >= (int) saban_feedback_store_get_n_requests (self->store))
    return;
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint p = 0; p < indices->len; p++)
        if ((int) g_array_index (indices, guint, p) == index)
          {
            gtk_single_selection_set_selected (self->selection, p);
            gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", p);
            return;
          }
      if (index < 0)
        break;
      saban_feedback_window_apply_preset (self, "all");
      indices = saban_feedback_list_get_indices (self->list);
    }
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

int
saban_feedback_window_get_selected (SabanFeedbackWindow *self)
{
  return self->selected;
}
