/* saban-window.c: the main window: the layout (sidebar with the layers,
 * the live sensors; the map; the panels beside it; the alarm centre under
 * it; the level III alarm banner; the status bar) and its wiring to the session — the live picture or a
 * replay, and points other windows ask for.
 *
 * Its layers are saban-window-layers.c's, its actions
 * saban-window-actions.c's; what they share is saban-window-private.h.
 */
#include "saban-window-private.h"

#include <glib/gi18n.h>
#include <math.h>

#include "saban-alarm-banner.h"
#include "saban-alarm-centre.h"
#include "saban-api.h"
#include "saban-measure.h"
#include "saban-profile-chart.h"
#include "saban-search.h"
#include "saban-tile-cache.h"
#include "saban-sensor-status.h"

/* Frames with nothing left to draw before the map counts as drawn. */
#define SETTLED_FRAMES 12

enum { PROP_0, PROP_SESSION, N_PROPS };

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SabanWindow, saban_window, ADW_TYPE_APPLICATION_WINDOW)

/* A question with an extra widget: Cancel, or @accept (suggested, the default). */
void
saban_window_ask (AdwMessageDialog *dialog,
                  GtkWidget        *extra,
                  const char       *accept,
                  const char       *accept_label,
                  GCallback         on_response,
                  gpointer          data)
{
  adw_message_dialog_set_extra_child (dialog, extra);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), accept, accept_label, NULL);
  adw_message_dialog_set_response_appearance (dialog, accept, ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, accept);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", on_response, data, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
saban_window_toast (SabanWindow *self,
                    const char  *message)
{
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_timeout (t, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* FALSE when the window drew nothing yet (seen under load on Xvfb): the
 * caller tries again at a later frame rather than rendering no node. The
 * window's paintable spans its bounds, a few pixels wider than the window
 * (the frame's margin); it is drawn at that size and the window cut out of
 * it, so the image is not scaled (scaled, tiles drawn with cairo would show
 * their seams). */
static gboolean
capture (SabanWindow *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (self));
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_file_get_path (self->screenshot_file);
  graphene_rect_t bounds;

  if (!gtk_widget_compute_bounds (GTK_WIDGET (self), GTK_WIDGET (self), &bounds))
    graphene_rect_init (&bounds, 0, 0, width, height);
  gdk_paintable_snapshot (paintable, snapshot, bounds.size.width, bounds.size.height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return FALSE;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (self)), node,
                                         &GRAPHENE_RECT_INIT (-bounds.origin.x, -bounds.origin.y, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_warning ("Could not save the %d×%d screenshot to %s", width, height, path);
  else
    g_message ("Screenshot saved to %s", path);
  g_clear_object (&self->screenshot_file);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static gboolean
screenshot_tick (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  SabanWindow *self = SABAN_WINDOW (widget);

  if (saban_window_get_loading (self) || saban_map_view_get_busy (self->map_view) ||
      saban_session_get_sensors_busy (self->session) ||
      (self->sensor_panel != NULL && saban_sensor_panel_get_busy (self->sensor_panel)) ||
      gtk_widget_get_width (GTK_WIDGET (self->map_view)) <= 1)
    {
      self->settled_frames = 0;
      return G_SOURCE_CONTINUE;
    }
  if (++self->settled_frames < SETTLED_FRAMES)
    return G_SOURCE_CONTINUE;
  if (!capture (self))
    {
      self->settled_frames = 0;
      return G_SOURCE_CONTINUE;
    }
  return G_SOURCE_REMOVE;
}

/**
 * saban_window_save_screenshot_when_drawn:
 *
 * Once every file is loaded and every visible tile drawn, saves the window
 * as a PNG to @file and closes. For tests and documentation.
 */
void
saban_window_save_screenshot_when_drawn (SabanWindow *self,
                                         GFile       *file)
{
  g_return_if_fail (SABAN_IS_WINDOW (self));

  g_set_object (&self->screenshot_file, file);
  self->settled_frames = 0;
  gtk_widget_add_tick_callback (GTK_WIDGET (self), screenshot_tick, NULL, NULL);
}

static void
pixel_sampled (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) click = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree double *values = saban_raster_layer_sample_finish (SABAN_RASTER_LAYER (object), result, &error);
  SabanWindow *self;
  SabanLayer *layer = g_task_get_task_data (click);
  const double *at = g_object_get_data (G_OBJECT (click), "at");

  if (g_task_return_error_if_cancelled (click))
    return;
  self = g_task_get_source_object (click);
  g_task_return_boolean (click, TRUE);
  if (values == NULL)
    return;
  saban_inspector_show_pixel (self->inspector, SABAN_RASTER_LAYER (object), saban_layer_get_title (layer),
                              at[0], at[1], values);
  gtk_revealer_set_reveal_child (self->sensor_revealer, FALSE);
  gtk_revealer_set_reveal_child (self->inspector_revealer, TRUE);
}

static void
info_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  SabanLayer *layer = data;
  const double *at = g_object_get_data (G_OBJECT (task), "at");
  GError *error = NULL;
  char *text = saban_tile_fetcher_identify (saban_layer_get_service (layer), at[0], at[1], at[2], cancellable, &error);

  if (text == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, text, g_free);
}

static void
info_read (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_task_propagate_pointer (G_TASK (result), &error);
  SabanWindow *self;
  SabanLayer *layer = g_task_get_task_data (G_TASK (result));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_WINDOW (object);
  if (text == NULL)
    {
      g_autofree char *why = saban_api_describe_error (error);

      g_debug ("GetFeatureInfo: %s", error->message);
      saban_window_toast (self, why);
      return;
    }
  saban_inspector_show_info (self->inspector, saban_layer_get_title (layer), text);
  gtk_revealer_set_reveal_child (self->sensor_revealer, FALSE);
  gtk_revealer_set_reveal_child (self->inspector_revealer, TRUE);
}

/* a WMS layer clicked where no feature is: what its server says is there */
static void
identify_service (SabanWindow *self,
                  SabanLayer  *layer,
                  double       x,
                  double       y)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, info_read, NULL);
  double zoom = shumate_viewport_get_zoom_level (saban_map_view_get_viewport (self->map_view));
  /* a screen pixel in Web Mercator metres: the world is 256 px at zoom 0 */
  double pixel = 2 * G_PI * 6378137.0 / 256 / pow (2, zoom);

  g_task_set_task_data (task, g_object_ref (layer), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "at", g_memdup2 ((double[3]) { x, y, pixel }, 3 * sizeof (double)), g_free);
  g_task_run_in_thread (task, info_thread);
}

/* a raster clicked where no feature is: its pixel values, read off the
 * main thread; a WMS layer: its GetFeatureInfo */
static void
on_raster_activated (SabanWindow *self,
                     SabanLayer  *layer,
                     double       x,
                     double       y)
{
  GTask *click;

  if (saban_layer_get_service (layer) != NULL)
    {
      identify_service (self, layer, x, y);
      return;
    }
  click = g_task_new (self, self->cancellable, NULL, NULL);

  g_task_set_task_data (click, g_object_ref (layer), g_object_unref);
  g_object_set_data_full (G_OBJECT (click), "at", g_memdup2 ((double[2]) { x, y }, 2 * sizeof (double)), g_free);
  saban_raster_layer_sample_async (saban_layer_get_raster (layer), x, y, self->cancellable, pixel_sampled, click);
}

static void
on_feature_activated (SabanWindow      *self,
                      SabanVectorLayer *layer,
                      gint64            feature)
{
  SabanLayer *item = layer != NULL ? saban_layer_model_find (self->layers, layer) : NULL;

  if (item == NULL || feature < 0)
    {
      gtk_revealer_set_reveal_child (self->inspector_revealer, FALSE);
      return;
    }
  saban_inspector_show_feature (self->inspector, layer, saban_layer_get_style (item), feature);
  gtk_revealer_set_reveal_child (self->sensor_revealer, FALSE);
  gtk_revealer_set_reveal_child (self->inspector_revealer, TRUE);
}

/* A sensor opens in the inspector's place: one panel on the right at a time. */
static void
on_sensor_activated (SabanWindow *self,
                     guint        index)
{
  if (self->sensor_panel == NULL)
    return;
  saban_sensor_panel_show_sensor (self->sensor_panel, index);
  gtk_revealer_set_reveal_child (self->inspector_revealer, FALSE);
  gtk_revealer_set_reveal_child (self->sensor_revealer, TRUE);
}

/* An alarm opens its sensor and brings it into view, close enough to see
 * its value beside it. */
static void
on_alarm_activated (SabanWindow *self,
                    guint        index)
{
  const SabanSensor *s = saban_sensor_store_get_sensor (saban_session_get_sensor_store (self->session), index);
  double zoom = shumate_viewport_get_zoom_level (saban_map_view_get_viewport (self->map_view));

  saban_map_view_center_on (self->map_view, s->lat, s->lon, MAX (zoom, 12));
  on_sensor_activated (self, index);
}

static void
on_sensor_panel_closed (SabanWindow *self)
{
  gtk_revealer_set_reveal_child (self->sensor_revealer, FALSE);
}

void
saban_window_hide_inspector (SabanWindow *self)
{
  gtk_revealer_set_reveal_child (self->inspector_revealer, FALSE);
  saban_map_view_select (self->map_view, NULL, -1);
}

/* Shows the feature: centred, zoomed so it fills most of the view
 * (points to street scale), highlighted and inspected. */
void
saban_window_show_feature (SabanWindow      *self,
              SabanVectorLayer *layer,
              guint32           feature)
{
  const double *box = saban_vector_layer_get_arrays (layer)->boxes + 4 * (gsize) feature;
  double cx = (box[0] + box[2]) / 2, cy = (box[1] + box[3]) / 2;
  double half = MAX (MAX (box[2] - box[0], box[3] - box[1]) * 0.65, 400);

  saban_map_view_zoom_to_extent (self->map_view, cx - half, cy - half, cx + half, cy + half);
  saban_map_view_select (self->map_view, layer, feature);
  on_feature_activated (self, layer, feature);
}

static void
search_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SabanWindow *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = saban_search_finish (result, &error);
  GtkWidget *child;

  if (hits == NULL)
    return;
  self = SABAN_WINDOW (user_data);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->result_list))) != NULL)
    gtk_list_box_remove (self->result_list, child);
  g_clear_pointer (&self->hits, g_ptr_array_unref);
  self->hits = g_ptr_array_ref (hits);

  for (guint i = 0; i < hits->len; i++)
    {
      SabanSearchHit *hit = g_ptr_array_index (hits, i);
      SabanLayer *layer = saban_layer_model_find (self->layers, hit->layer);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), hit->text);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), layer != NULL ? saban_layer_get_title (layer)
                                                                        : saban_vector_layer_get_name (hit->layer));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_list_box_append (self->result_list, row);
    }
}

static void
on_search_changed (SabanWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GPtrArray) layers = NULL;

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  if (*text == '\0')
    {
      gtk_stack_set_visible_child_name (self->sidebar_stack, "layers");
      return;
    }
  self->search_cancellable = g_cancellable_new ();
  layers = saban_layer_model_dup_vectors (self->layers);
  gtk_stack_set_visible_child_name (self->sidebar_stack, "results");
  saban_search_async (layers, text, 200, self->search_cancellable, search_done, self);
}

static void
on_result_activated (SabanWindow   *self,
                     GtkListBoxRow *row)
{
  int index = gtk_list_box_row_get_index (row);
  SabanSearchHit *hit;

  if (self->hits == NULL || index < 0 || (guint) index >= self->hits->len)
    return;
  hit = g_ptr_array_index (self->hits, index);
  saban_window_show_feature (self, hit->layer, hit->feature);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         SabanWindow   *self)
{
  GSList *files = g_value_get_boxed (value);

  for (GSList *l = files; l != NULL; l = l->next)
    saban_window_open_file (self, l->data);
  return files != NULL;
}

/* the topmost DEM shown, if any */
static SabanRasterLayer *
shown_elevation (SabanWindow *self)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->layers)); i++)
    {
      g_autoptr(SabanLayer) layer = g_list_model_get_item (G_LIST_MODEL (self->layers), i);
      SabanRasterLayer *raster = saban_layer_get_raster (layer);

      if (raster != NULL && saban_layer_get_visible (layer) &&
          saban_raster_layer_get_kind (raster) == SABAN_RASTER_KIND_ELEVATION)
        return raster;
    }
  return NULL;
}

static void sample_elevation (SabanWindow *self);

static void
elevation_sampled (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree double *values = saban_raster_layer_sample_finish (SABAN_RASTER_LAYER (object), result, &error);
  SabanWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_WINDOW (user_data);
  self->sampling = FALSE;
  saban_status_bar_set_elevation (self->status_bar, values != NULL ? values[0] : NAN);
  if (self->sample_again)
    sample_elevation (self);
}

/* One read at a time, off the main thread; a pointer faster than GDAL gets
 * the latest position read next. */
static void
sample_elevation (SabanWindow *self)
{
  SabanRasterLayer *dem = shown_elevation (self);

  self->sample_again = self->sampling;
  if (self->sampling)
    return;
  if (dem == NULL)
    {
      saban_status_bar_set_elevation (self->status_bar, NAN);
      return;
    }
  self->sampling = TRUE;
  saban_raster_layer_sample_async (dem, self->sample_at[0], self->sample_at[1], self->cancellable,
                                   elevation_sampled, self);
}

static void
profile_read (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) points = saban_raster_layer_profile_finish (SABAN_RASTER_LAYER (object), result, &error);
  g_autofree char *title = NULL;
  SabanWindow *self;
  GtkWidget *window, *box, *chart;

  if (points == NULL || g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  self = SABAN_WINDOW (user_data);
  /* TRANSLATORS: the title of a terrain profile's window: the DEM's name */
  title = g_strdup_printf (_("Terrain Profile — %s"), saban_raster_layer_get_name (SABAN_RASTER_LAYER (object)));
  window = adw_window_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  chart = saban_profile_chart_new ();
  saban_profile_chart_set_profile (SABAN_PROFILE_CHART (chart), points);
  gtk_widget_set_vexpand (chart, TRUE);
  gtk_widget_set_margin_start (chart, 12);
  gtk_widget_set_margin_end (chart, 12);
  gtk_widget_set_margin_bottom (chart, 12);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), chart);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_default_size (GTK_WINDOW (window), 760, 340);
  gtk_window_present (GTK_WINDOW (window));
}

/* the line the profile tool drew, sampled off the main thread */
static void
on_profile_drawn (SabanWindow *self,
                  GArray      *xy)
{
  SabanRasterLayer *dem = shown_elevation (self);

  if (dem == NULL)
    {
      saban_window_toast (self, _("Show an elevation model (DEM) to draw a terrain profile"));
      return;
    }
  saban_raster_layer_profile_async (dem, (const double *) xy->data, xy->len / 2, 400, self->cancellable,
                                    profile_read, self);
}

static void
on_pointer_moved (SabanWindow *self,
                  double       latitude,
                  double       longitude)
{
  saban_status_bar_set_pointer (self->status_bar, latitude, longitude);
  saban_lonlat_to_mercator (longitude, latitude, &self->sample_at[0], &self->sample_at[1]);
  sample_elevation (self);
}

static void
on_pointer_left (SabanWindow *self)
{
  saban_status_bar_clear_pointer (self->status_bar);
}

/* The base map: the offline one (the province's file, or the demo's) and,
 * when turned on, the online one (OpenStreetMap or the province's XYZ
 * server) over it, fetched through core/net's tile cache: where the online
 * one has no tile — no network, nothing kept — the offline one shows. */
static void
compose_base_map (SabanWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "base-map-url");
  g_autofree char *attribution = g_settings_get_string (self->settings, "base-map-attribution");
  g_autoptr(GPtrArray) layers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  gboolean online = g_settings_get_boolean (self->settings, "base-map-enabled");

  if (self->offline_base != NULL)
    g_ptr_array_add (layers, g_object_ref (self->offline_base));
  if (online)
    {
      g_autoptr(SabanMapService) service = saban_map_service_new (SABAN_SERVICE_XYZ, url, NULL, NULL, NULL, NULL, NULL,
                                                                  &error);
      g_autoptr(SabanTileCache) cache = service != NULL ? saban_tile_cache_new (service, NULL) : NULL;

      if (cache != NULL)
        g_ptr_array_add (layers, saban_layer_new_service (SABAN_TILE_FETCHER (cache)));
      else
        g_warning ("No online base map: %s", error->message);
    }
  saban_map_view_set_base (self->map_view, (SabanLayer **) layers->pdata, layers->len, online ? attribution : NULL);
}

static void
offline_base_opened (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanRasterLayer) raster = saban_raster_layer_open_finish (result, &error);
  SabanWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SABAN_WINDOW (user_data);
  if (raster == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The offline base map cannot be opened: %s"), error->message);

      saban_window_toast (self, text);
    }
  g_clear_object (&self->offline_base);
  if (raster != NULL)
    self->offline_base = saban_layer_new_raster (raster);
  compose_base_map (self);
}

/* the province's own offline base map, else the demo's */
static void
open_offline_base_map (SabanWindow *self)
{
  g_autofree char *file = g_settings_get_string (self->settings, "base-map-file");

  if (*file != '\0' || self->demo_base_map != NULL)
    saban_raster_layer_open_async (*file != '\0' ? file : self->demo_base_map, NULL, self->cancellable,
                                   offline_base_opened, self);
  else
    compose_base_map (self);
}

/**
 * saban_window_set_demo_base_map:
 * @path: (nullable): the demo GeoPackage, whose "basemap" table is the
 *   offline base map when the province gives none
 */
void
saban_window_set_demo_base_map (SabanWindow *self,
                                const char  *path)
{
  g_return_if_fail (SABAN_IS_WINDOW (self));

  g_free (self->demo_base_map);
  self->demo_base_map = path != NULL ? g_strdup_printf ("GPKG:%s:basemap", path) : NULL;
  open_offline_base_map (self);
}

/* @leave_tool: the map is still in the point tool (not when the user left
 * it for another) */
static void
finish_pick (SabanWindow  *self,
             const double *point,
             gboolean      leave_tool)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->pick);

  if (task == NULL)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->measure_label), FALSE);
  if (leave_tool)
    saban_map_view_set_tool (self->map_view, SABAN_MAP_TOOL_SELECT);
  if (point == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("No place was picked"));
      return;
    }
  g_task_return_pointer (task, g_memdup2 (point, 2 * sizeof (double)), g_free);
}

static void
on_point_picked (SabanWindow *self,
                 double       latitude,
                 double       longitude)
{
  finish_pick (self, (const double[]) { latitude, longitude }, TRUE);
}

static void
on_pick_cancelled (SabanWindow *self)
{
  finish_pick (self, NULL, FALSE);
}

/* the session asks for a point on behalf of another window (a task's
 * place): this window comes forward with its map waiting for one click;
 * Escape gives up. A new request gives up the one before. */
static gboolean
on_pick_point (SabanWindow *self,
               GTask       *task,
               const char  *hint)
{
  finish_pick (self, NULL, TRUE);
  self->pick = g_object_ref (task);
  gtk_label_set_label (self->measure_label, hint);
  gtk_widget_set_visible (GTK_WIDGET (self->measure_label), TRUE);
  gtk_window_present (GTK_WINDOW (self));
  saban_map_view_set_tool (self->map_view, SABAN_MAP_TOOL_PICK_POINT);
  return TRUE;
}

/**
 * saban_window_get_map_view:
 * Returns: (transfer none): the window's map
 */
SabanMapView *
saban_window_get_map_view (SabanWindow *self)
{
  g_return_val_if_fail (SABAN_IS_WINDOW (self), NULL);
  return self->map_view;
}

/* The session's replay, or the live picture: the scenario as it stood at
 * the replay's time, and the sensors and units of then once their history
 * is loaded. The live alarms pulse only over the live sensors: they are
 * about the live store's readings. */
static void
show_replay (SabanWindow *self)
{
  SabanReplayView *replay = self->replay;
  GDateTime *time = replay != NULL ? saban_replay_view_get_time (replay) : NULL;
  SabanSensorStore *sensors = time != NULL ? saban_replay_view_get_sensors (replay) : NULL;
  SabanSensorStore *live = saban_session_get_sensor_store (self->session);
  const char *label = sensors != NULL ? saban_replay_view_get_label (replay) : NULL;
  SabanScenarioLayer *scenarios = saban_map_view_get_scenario_layer (self->map_view);

  /* no scenario layer without a command store (a local session) */
  if (scenarios != NULL)
    saban_scenario_layer_show_replay (scenarios, time != NULL ? saban_replay_view_get_scenario (replay) : NULL,
                                      time != NULL ? saban_replay_view_get_replay (replay) : NULL, time);
  gtk_widget_set_visible (GTK_WIDGET (self->replay_label), label != NULL);
  if (label != NULL)
    gtk_label_set_label (self->replay_label, label);
  if (live == NULL ||
      saban_sensor_layer_get_store (saban_map_view_get_sensor_layer (self->map_view)) == (sensors != NULL ? sensors : live))
    return;
  saban_map_view_set_sensor_store (self->map_view, sensors != NULL ? sensors : live);
  saban_map_view_set_unit_store (self->map_view, sensors != NULL ? saban_replay_view_get_units (replay)
                                                                  : saban_session_get_units (self->session));
  saban_sensor_layer_set_alarms (saban_map_view_get_sensor_layer (self->map_view),
                                 sensors != NULL ? NULL : saban_session_get_alarms (self->session));
}

static void
on_replay_changed (SabanWindow *self)
{
  if (self->replay != NULL)
    g_signal_handlers_disconnect_by_data (self->replay, self);
  g_set_object (&self->replay, saban_session_get_replay (self->session));
  if (self->replay != NULL)
    g_signal_connect_object (self->replay, "changed", G_CALLBACK (show_replay), self, G_CONNECT_SWAPPED);
  show_replay (self);
}

static void
saban_window_dispose (GObject *object)
{
  SabanWindow *self = (SabanWindow *) object;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  finish_pick (self, NULL, TRUE);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_pointer (&self->hits, g_ptr_array_unref);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->demo_base_map, g_free);
  g_clear_object (&self->offline_base);
  g_clear_object (&self->restoring);
  g_clear_object (&self->screenshot_file);
  if (self->replay != NULL)
    g_signal_handlers_disconnect_by_data (self->replay, self);
  g_clear_object (&self->replay);
  g_clear_object (&self->layers);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_WINDOW);

  G_OBJECT_CLASS (saban_window_parent_class)->dispose (object);
}

static void
on_sensor_filter_changed (SabanWindow *self, SabanSensorFinder *finder)
{
  saban_sensor_layer_set_filter (saban_map_view_get_sensor_layer (self->map_view),
                                 saban_sensor_finder_get_filter (finder));
}

/* a sensor found by name: close to it, and shown as if clicked on the map */
static void
on_sensor_chosen (SabanWindow *self, guint index)
{
  SabanSensorStore *store = saban_sensor_layer_get_store (saban_map_view_get_sensor_layer (self->map_view));
  const SabanSensor *s = saban_sensor_store_get_sensor (store, index);

  saban_map_view_center_on (self->map_view, s->lat, s->lon, 14);
  g_signal_emit_by_name (self->map_view, "sensor-activated", index);
}

/* the alarm centre's pane opens with the first alarm: until then the map
 * has the height */
static void
on_alarms_changed (SabanWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->alarm_box),
                          g_list_model_get_n_items (G_LIST_MODEL (saban_session_get_alarms (self->session))) > 0);
}

/* The live picture every window of the session shares: one sensor store,
 * one feed, one command store. A local session (widget tests) has none. */
static void
show_live (SabanWindow *self)
{
  SabanSession *session = self->session;
  GtkWidget *alarm_centre, *banner, *status;
  SabanSensorFinder *finder;

  saban_session_show_on_map (session, self->map_view);
  if (saban_session_get_sensor_store (session) == NULL)
    return;

  alarm_centre = saban_alarm_centre_new (session);
  gtk_box_append (self->alarm_box, alarm_centre);
  g_signal_connect_object (alarm_centre, "sensor-activated", G_CALLBACK (on_alarm_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (saban_session_get_alarms (session), "items-changed", G_CALLBACK (on_alarms_changed), self,
                           G_CONNECT_SWAPPED);
  on_alarms_changed (self);
  banner = saban_alarm_banner_new (session);
  gtk_box_append (self->banner_box, banner);
  g_signal_connect_object (banner, "sensor-activated", G_CALLBACK (on_alarm_activated), self, G_CONNECT_SWAPPED);

  status = saban_sensor_status_new (saban_session_get_sensor_store (session), saban_session_get_sensor_feed (session),
                                    saban_session_get_alarms (session));
  finder = saban_sensor_status_get_finder (SABAN_SENSOR_STATUS (status));
  gtk_box_append (self->layers_page, status);
  g_signal_connect_object (finder, "filter-changed", G_CALLBACK (on_sensor_filter_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (finder, "sensor-chosen", G_CALLBACK (on_sensor_chosen), self, G_CONNECT_SWAPPED);

  self->sensor_panel = SABAN_SENSOR_PANEL (saban_sensor_panel_new (saban_session_get_sensor_client (session)));
  gtk_widget_set_hexpand (GTK_WIDGET (self->sensor_panel), FALSE);
  gtk_box_append (self->sensor_box, GTK_WIDGET (self->sensor_panel));
  g_signal_connect_object (self->sensor_panel, "closed", G_CALLBACK (on_sensor_panel_closed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map_view, "sensor-activated", G_CALLBACK (on_sensor_activated), self, G_CONNECT_SWAPPED);
}

static void
saban_window_constructed (GObject *object)
{
  SabanWindow *self = SABAN_WINDOW (object);

  G_OBJECT_CLASS (saban_window_parent_class)->constructed (object);

  if (self->session == NULL)
    self->session = saban_session_new_local ();
  self->layers = g_object_ref (saban_session_get_layers (self->session));
  saban_window_bind_layers (self);
  saban_status_bar_set_session (self->status_bar, self->session);
  saban_account_button_set_session (self->account_button, self->session);
  saban_window_follow_role (self);
  /* a dark scheme (wall mode) draws a dark map */
  g_object_bind_property (adw_style_manager_get_default (), "dark", self->map_view, "dark", G_BINDING_SYNC_CREATE);
  show_live (self);
  g_signal_connect_object (self->session, "notify::replay", G_CALLBACK (on_replay_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "pick-point", G_CALLBACK (on_pick_point), self, G_CONNECT_SWAPPED);
  on_replay_changed (self);
}

static void
saban_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SabanWindow *self = SABAN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SabanWindow *self = SABAN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_window_class_init (SabanWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = saban_window_constructed;
  object_class->dispose = saban_window_dispose;
  object_class->get_property = saban_window_get_property;
  object_class->set_property = saban_window_set_property;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, SABAN_TYPE_SESSION,
                                                  G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SABAN_TYPE_MAP_VIEW);
  g_type_ensure (SABAN_TYPE_STATUS_BAR);
  g_type_ensure (SABAN_TYPE_INSPECTOR);
  g_type_ensure (SABAN_TYPE_ACCOUNT_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, account_button);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, launch_button);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, layer_list);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, layers_page);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, result_list);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, progress_box);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, map_view);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, status_bar);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, banner_box);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, alarm_box);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, inspector_revealer);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, inspector);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, sensor_revealer);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, sensor_box);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, measure_label);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, replay_label);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, launch_revealer);
  gtk_widget_class_bind_template_child (widget_class, SabanWindow, launch_box);

  saban_window_class_init_actions (widget_class);
}

static void
saban_window_init (SabanWindow *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->load_cancellable = g_cancellable_new ();
  self->settings = g_settings_new (SCHEMA_ID);
  saban_window_init_actions (self);

  /* the size the user leaves, for the next start */
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  saban_status_bar_set_viewport (self->status_bar, saban_map_view_get_viewport (self->map_view));
  g_signal_connect_object (self->map_view, "pointer-moved", G_CALLBACK (on_pointer_moved), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map_view, "pointer-left", G_CALLBACK (on_pointer_left), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map_view, "feature-activated", G_CALLBACK (on_feature_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map_view, "raster-activated", G_CALLBACK (on_raster_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map_view, "profile-drawn", G_CALLBACK (on_profile_drawn), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map_view, "point-picked", G_CALLBACK (on_point_picked), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map_view, "pick-cancelled", G_CALLBACK (on_pick_cancelled), self, G_CONNECT_SWAPPED);
  /* Files dropped anywhere on the map open as layers. */
  g_signal_connect_object (drop, "drop", G_CALLBACK (on_drop), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->map_view), GTK_EVENT_CONTROLLER (drop));
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->result_list, "row-activated", G_CALLBACK (on_result_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->inspector, "closed", G_CALLBACK (saban_window_hide_inspector), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->settings, "changed::base-map-enabled", G_CALLBACK (compose_base_map), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::base-map-url", G_CALLBACK (compose_base_map), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::base-map-file", G_CALLBACK (open_offline_base_map), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::refresh-minutes", G_CALLBACK (saban_window_update_refresh_timer), self, G_CONNECT_SWAPPED);
  saban_window_update_refresh_timer (self);
  open_offline_base_map (self);
}

/**
 * saban_window_new:
 * @application: (nullable): the application
 * @session: (nullable): the session it shows; NULL for a local one (no
 *   server: widget tests)
 *
 * Returns: (transfer floating): a main window
 */
SabanWindow *
saban_window_new (GtkApplication *application,
                  SabanSession   *session)
{
  return g_object_new (SABAN_TYPE_WINDOW, "application", application, "session", session, NULL);
}

/**
 * saban_window_get_session:
 * Returns: (transfer none): the session the window shows
 */
SabanSession *
saban_window_get_session (SabanWindow *self)
{
  g_return_val_if_fail (SABAN_IS_WINDOW (self), NULL);
  return self->session;
}
