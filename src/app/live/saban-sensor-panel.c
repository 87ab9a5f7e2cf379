/* saban-sensor-panel.c: one sensor, inspected: its latest reading, state
 * and levels, a chart of the last 6 h / 24 h / 7 days that can be exported
 * as CSV and follows the live feed; for a camera, its latest picture
 * (refreshed every 10 s while shown) and, where the camera has a stream,
 * a player.
 *
 * It shows what the store and the SensorThings client hold; loading,
 * checking and formatting the data are theirs. Whatever fails (the server,
 * its data, a picture, a stream) is said here, in words, and changes
 * nothing else.
 */
#include "saban-sensor-panel.h"

#include <glib/gi18n.h>
#include <math.h>

#include "saban-alarm-level.h"
#include "saban-format.h"
#include "saban-sensor-chart.h"
#include "saban-sensor-csv.h"

#define NO_SENSOR G_MAXUINT
#define SNAPSHOT_SECONDS 10

struct _SabanSensorPanel
{
  GtkWidget                parent_instance;

  GtkWidget               *box;
  GtkLabel                *title_label;
  GtkLabel                *subtitle_label;
  GtkWidget               *reading_box;
  GtkLabel                *value_label;
  GtkLabel                *state_label;
  GtkLabel                *time_label;
  GtkLabel                *levels_label;
  GtkWidget               *series_box;
  SabanSensorChart        *chart;
  GtkLabel                *series_label;
  GtkWidget               *camera_box;
  GtkPicture              *snapshot_picture;
  GtkLabel                *snapshot_label;
  GtkVideo                *video;
  GtkLabel                *video_label;

  SabanSensorThingsClient *client;
  SabanSensorStore        *store;
  guint                    index;
  int                      range_hours;
  GArray                  *series;
  gint64                   from_us, to_us;
  GCancellable            *series_cancellable;
  GCancellable            *snapshot_cancellable;
  GCancellable            *export_cancellable;
  gboolean                 loading_series;
  gboolean                 loading_snapshot;
  guint                    snapshot_timer;
  guint                    exported_rows;
  GtkNativeDialog         *chooser;
};

enum { PROP_0, PROP_RANGE_HOURS, PROP_BUSY, N_PROPS };
enum { CLOSED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanSensorPanel, saban_sensor_panel, GTK_TYPE_WIDGET)

static const SabanSensor *
current (SabanSensorPanel *self)
{
  return self->index != NO_SENSOR ? saban_sensor_store_get_sensor (self->store, self->index) : NULL;
}

static gboolean
is_camera (const SabanSensor *s)
{
  return s->kind == SABAN_SENSOR_KIND_CAMERA;
}

static const char *
kind_name (SabanSensorKind kind)
{
  switch (kind)
    {
    case SABAN_SENSOR_KIND_WATER_LEVEL:
      return _("Water level");
    case SABAN_SENSOR_KIND_RAIN:
      return _("Rainfall");
    case SABAN_SENSOR_KIND_AIR_QUALITY:
      return _("Air quality");
    case SABAN_SENSOR_KIND_CAMERA:
      return _("Camera");
    case SABAN_SENSOR_KIND_OTHER:
    default:
      return _("Sensor");
    }
}

static void
set_message (GtkLabel *label, const char *text, const char *css)
{
  static const char *const classes[] = { "error", "warning", "success", "dim-label" };

  for (gsize i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (label), classes[i]);
  if (css != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (label), css);
  gtk_label_set_text (label, text);
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
set_busy (SabanSensorPanel *self, gboolean *flag, gboolean busy)
{
  gboolean before = saban_sensor_panel_get_busy (self);

  *flag = busy;
  if (before != saban_sensor_panel_get_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
update_reading (SabanSensorPanel *self)
{
  const SabanSensor *s = current (self);
  g_autofree char *value = NULL, *when = NULL, *at = NULL, *state = NULL;
  g_autoptr(GString) levels = g_string_new (NULL);
  const char *css = NULL;

  value = isnan (s->value) ? g_strdup ("—") : saban_format_reading (s->value, s->unit);
  gtk_label_set_text (self->value_label, value);
  switch (s->state)
    {
    case SABAN_SENSOR_STATE_DANGER:
      state = g_strdup (_("Danger"));
      css = "error";
      break;
    case SABAN_SENSOR_STATE_ALERT:
      state = g_strdup (_("Alert"));
      css = "warning";
      break;
    case SABAN_SENSOR_STATE_STALE:
      {
        g_autofree char *age = saban_format_age (s->age_s);
        /* TRANSLATORS: a sensor that stopped reporting; %s is e.g. "25 min ago" */
        state = g_strdup_printf (_("No signal · last reading %s"), age);
        css = "dim-label";
      }
      break;
    case SABAN_SENSOR_STATE_NORMAL:
      state = g_strdup (_("Normal"));
      css = "success";
      break;
    case SABAN_SENSOR_STATE_UNKNOWN:
    case SABAN_SENSOR_N_STATES:
    default:
      state = g_strdup (_("No readings yet"));
      css = "dim-label";
      break;
    }
  set_message (self->state_label, state, css);
  if (s->time_us > 0)
    {
      when = saban_format_local_time (s->time_us, "%H:%M %d/%m/%Y");
      /* TRANSLATORS: when the latest reading was measured */
      at = g_strdup_printf (_("Measured at %s"), when);
    }
  set_message (self->time_label, at, "dim-label");

  /* the provincial levels: "Báo động I: 80,50 m · Báo động II: …" */
  for (SabanAlarmGrade g = SABAN_ALARM_GRADE_I; g <= SABAN_ALARM_GRADE_III; g++)
    {
      double threshold = g == SABAN_ALARM_GRADE_I ? s->alert_level
                         : g == SABAN_ALARM_GRADE_II ? (isnan (s->level_2) ? s->danger_level : s->level_2)
                         : (isnan (s->level_2) ? NAN : s->danger_level);
      g_autofree char *reading = isnan (threshold) ? NULL : saban_format_reading (threshold, s->unit);

      if (reading == NULL)
        continue;
      if (levels->len > 0)
        g_string_append (levels, " · ");
      g_string_append_printf (levels, "%s: %s", saban_alarm_grade_label (g), reading);
    }
  set_message (self->levels_label, levels->str, NULL);
}

static void
show_series (SabanSensorPanel *self)
{
  g_autofree char *from = saban_format_local_time (self->from_us, "%H:%M %d/%m");
  g_autofree char *to = saban_format_local_time (self->to_us, "%H:%M %d/%m");
  g_autofree char *text = NULL;

  saban_sensor_chart_set_series (self->chart, self->series, self->from_us, self->to_us);
  /* TRANSLATORS: %u readings, from a time to a time */
  text = g_strdup_printf (ngettext ("%u reading, %s – %s", "%u readings, %s – %s", self->series->len),
                          self->series->len, from, to);
  set_message (self->series_label, text, "dim-label");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sensor-panel.export", self->series->len > 0);
}

/* The live feed extends the chart: a reading newer than the series joins
 * it, and the window slides to end at it. */
static gboolean
follow_live (SabanSensorPanel *self)
{
  const SabanSensor *s = current (self);
  gint64 span = self->to_us - self->from_us;
  SabanObservation o;
  guint old = 0;

  if (self->series == NULL || s->time_us == 0 || isnan (s->value) ||
      (self->series->len > 0 && g_array_index (self->series, SabanObservation, self->series->len - 1).time_us >= s->time_us))
    return FALSE;
  o = (SabanObservation) { 0, s->time_us, s->value };
  g_array_append_val (self->series, o);
  self->to_us = MAX (self->to_us, s->time_us);
  self->from_us = self->to_us - span;
  while (old < self->series->len && g_array_index (self->series, SabanObservation, old).time_us < self->from_us)
    old++;
  g_array_remove_range (self->series, 0, old);
  return TRUE;
}

static void
series_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) series = saban_sensor_things_client_fetch_range_finish (SABAN_SENSOR_THINGS_CLIENT (source),
                                                                             result, &error);
  SabanSensorPanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  set_busy (self, &self->loading_series, FALSE);
  if (series == NULL)
    {
      g_autofree char *why = saban_api_describe_error (error);
      /* TRANSLATORS: %s says why, and what to do */
      g_autofree char *text = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA)
                              ? g_strdup (_("The server sent readings that could not be read. The chart is not shown."))
                              : g_strdup_printf (_("Could not load the readings. %s"), why);

      g_message ("sensor readings not loaded: %s", error->message);
      saban_sensor_chart_set_empty_text (self->chart, _("No chart"));
      set_message (self->series_label, text, "error");
      return;
    }
  self->series = g_steal_pointer (&series);
  saban_sensor_chart_set_empty_text (self->chart, _("No readings in this period"));
  follow_live (self);
  show_series (self);
}

static void
load_series (SabanSensorPanel *self)
{
  const SabanSensor *s = current (self);

  g_cancellable_cancel (self->series_cancellable);
  g_clear_object (&self->series_cancellable);
  g_clear_pointer (&self->series, g_array_unref);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sensor-panel.export", FALSE);
  if (s == NULL || s->datastream_id == 0)
    return;
  self->series_cancellable = g_cancellable_new ();
  self->to_us = g_get_real_time ();
  self->from_us = self->to_us - (gint64) self->range_hours * 3600 * G_USEC_PER_SEC;
  saban_sensor_chart_set_levels (self->chart, s);
  saban_sensor_chart_set_empty_text (self->chart, _("Loading the readings…"));
  saban_sensor_chart_set_series (self->chart, NULL, self->from_us, self->to_us);
  set_message (self->series_label, NULL, NULL);
  set_busy (self, &self->loading_series, TRUE);
  saban_sensor_things_client_fetch_range_async (self->client, s->datastream_id, self->from_us, self->to_us,
                                                self->series_cancellable, series_loaded, self);
}

static void
snapshot_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = saban_sensor_things_client_fetch_snapshot_finish (SABAN_SENSOR_THINGS_CLIENT (source),
                                                                               result, &error);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *now = NULL, *text = NULL;
  SabanSensorPanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  set_busy (self, &self->loading_snapshot, FALSE);
  if (bytes != NULL)
    texture = gdk_texture_new_from_bytes (bytes, &error);
  if (texture == NULL)
    {
      g_autofree char *why = saban_api_describe_error (error);
      /* TRANSLATORS: %s says why, and what to do */
      g_autofree char *message = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA) || bytes != NULL
                                 ? g_strdup (_("The camera sent something that is not a picture. The picture shown, if any, is older."))
                                 : g_strdup_printf (_("Could not load the camera's picture; the one shown, if any, is older. %s"), why);

      /* the last good picture stays; the message says it is not current */
      g_message ("camera snapshot not shown: %s", error->message);
      set_message (self->snapshot_label, message, "error");
      return;
    }
  gtk_picture_set_paintable (self->snapshot_picture, GDK_PAINTABLE (texture));
  now = saban_format_local_time (g_get_real_time (), "%H:%M:%S %d/%m/%Y");
  /* TRANSLATORS: when the camera's picture was received */
  text = g_strdup_printf (_("Picture received at %s; refreshed every %d seconds"), now, SNAPSHOT_SECONDS);
  set_message (self->snapshot_label, text, "dim-label");
}

static void
load_snapshot (SabanSensorPanel *self)
{
  const SabanSensor *s = current (self);

  if (s == NULL || !is_camera (s) || self->loading_snapshot)
    return;
  g_clear_object (&self->snapshot_cancellable);
  self->snapshot_cancellable = g_cancellable_new ();
  set_busy (self, &self->loading_snapshot, TRUE);
  saban_sensor_things_client_fetch_snapshot_async (self->client, s->thing_id, self->snapshot_cancellable,
                                                   snapshot_loaded, self);
}

static gboolean
snapshot_tick (gpointer data)
{
  load_snapshot (data);
  return G_SOURCE_CONTINUE;
}

static void
stop_snapshots (SabanSensorPanel *self)
{
  g_clear_handle_id (&self->snapshot_timer, g_source_remove);
  g_cancellable_cancel (self->snapshot_cancellable);
  set_busy (self, &self->loading_snapshot, FALSE);
}

/* refreshed only while someone can see it */
static void
start_snapshots (SabanSensorPanel *self)
{
  const SabanSensor *s = current (self);

  if (s == NULL || !is_camera (s) || self->snapshot_timer != 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  load_snapshot (self);
  self->snapshot_timer = g_timeout_add_seconds (SNAPSHOT_SECONDS, snapshot_tick, self);
}

static void
on_stream_error (GtkMediaStream *stream, GParamSpec *pspec, SabanSensorPanel *self)
{
  const GError *error = gtk_media_stream_get_error (stream);
  const SabanSensor *s = current (self);
  g_autofree char *text = NULL;

  if (error == NULL || s == NULL)
    return;
  g_message ("camera stream %s not played: %s", s->stream_url, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->video), FALSE);
  /* TRANSLATORS: %s is the stream's address (rtsp://… or an HLS URL) */
  text = g_strdup_printf (_("The camera's video stream cannot be played on this computer (GStreamer for GTK is missing, "
                            "or the stream did not open). Stream address: %s"), s->stream_url);
  set_message (self->video_label, text, "warning");
}

static void
show_stream (SabanSensorPanel *self)
{
  const SabanSensor *s = current (self);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GtkMediaStream) stream = NULL;

  gtk_video_set_media_stream (self->video, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->video), FALSE);
  set_message (self->video_label, NULL, NULL);
  if (s == NULL || s->stream_url == NULL)
    return;
  file = g_file_new_for_uri (s->stream_url);
  stream = gtk_media_file_new_for_file (file);
  gtk_widget_set_visible (GTK_WIDGET (self->video), TRUE);
  gtk_video_set_media_stream (self->video, stream);
  g_signal_connect_object (stream, "notify::error", G_CALLBACK (on_stream_error), self, 0);
  /* with no media backend the stream fails as it is made */
  on_stream_error (stream, NULL, self);
}

static void
on_sensors_changed (SabanSensorPanel *self)
{
  guint n;
  const guint *changed = saban_sensor_store_get_changed (self->store, &n);
  gboolean mine = FALSE;

  for (guint i = 0; i < n && !mine; i++)
    mine = changed[i] == self->index;
  if (!mine)
    return;
  update_reading (self);
  if (follow_live (self))
    show_series (self);
}

/**
 * saban_sensor_panel_show_sensor:
 * @self: a panel
 * @index: the sensor's index in the store
 *
 * Shows a sensor: its reading, and its chart for the chosen period or, for
 * a camera, its picture and stream.
 */
void
saban_sensor_panel_show_sensor (SabanSensorPanel *self, guint index)
{
  const SabanSensor *s;
  g_autofree char *subtitle = NULL;

  g_return_if_fail (SABAN_IS_SENSOR_PANEL (self));
  g_return_if_fail (index < saban_sensor_store_get_n_sensors (self->store));

  stop_snapshots (self);
  self->index = index;
  s = current (self);
  gtk_label_set_text (self->title_label, s->name);
  if (s->commune_name != NULL)
    subtitle = g_strdup_printf ("%s · %s", kind_name (s->kind), s->commune_name);
  else if (s->commune != NULL)
    subtitle = g_strdup_printf (_("%s · commune code %s"), kind_name (s->kind), s->commune);
  else
    subtitle = g_strdup (kind_name (s->kind));
  gtk_label_set_text (self->subtitle_label, subtitle);

  gtk_widget_set_visible (self->reading_box, s->datastream_id != 0);
  gtk_widget_set_visible (self->series_box, s->datastream_id != 0);
  gtk_widget_set_visible (self->camera_box, is_camera (s));
  if (s->datastream_id != 0)
    update_reading (self);
  else
    set_message (self->levels_label, NULL, NULL);
  load_series (self);

  gtk_picture_set_paintable (self->snapshot_picture, NULL);
  set_message (self->snapshot_label, is_camera (s) ? _("Loading the camera's picture…") : NULL, "dim-label");
  show_stream (self);
  start_snapshots (self);
}

/**
 * saban_sensor_panel_get_busy:
 * @self: a panel
 *
 * Returns: whether readings or a picture are being loaded
 */
gboolean
saban_sensor_panel_get_busy (SabanSensorPanel *self)
{
  g_return_val_if_fail (SABAN_IS_SENSOR_PANEL (self), FALSE);
  return self->loading_series || self->loading_snapshot;
}

static void
export_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (G_FILE (source));
  g_autofree char *text = NULL;
  SabanSensorPanel *self;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (error != NULL)
    {
      text = g_strdup_printf (_("Could not write %s: %s"), name, error->message);
      set_message (self->series_label, text, "error");
      return;
    }
  text = g_strdup_printf (ngettext ("Exported %u reading to %s", "Exported %u readings to %s", self->exported_rows),
                          self->exported_rows, name);
  set_message (self->series_label, text, "success");
}

/**
 * saban_sensor_panel_export_csv:
 * @self: a panel
 * @file: where to write
 *
 * Writes the chart's readings as CSV (see saban_sensor_csv_format()), in
 * the background; the panel says when it is done, or why it failed.
 */
void
saban_sensor_panel_export_csv (SabanSensorPanel *self, GFile *file)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (SABAN_IS_SENSOR_PANEL (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->series == NULL)
    return;
  g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->export_cancellable);
  self->export_cancellable = g_cancellable_new ();
  bytes = saban_sensor_csv_format (self->series, current (self)->unit);
  self->exported_rows = self->series->len;
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->export_cancellable, export_done, self);
}

static void
on_chooser_response (GtkNativeDialog *chooser, int response, SabanSensorPanel *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      saban_sensor_panel_export_csv (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SabanSensorPanel *self = SABAN_SENSOR_PANEL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *day = saban_format_local_time (self->to_us, "%Y-%m-%d");
  g_autofree char *name = NULL;

  if (self->series == NULL || self->chooser != NULL)
    return;
  /* a name a file system takes: no path separators from the sensor's name */
  name = g_strdup_printf ("%s %s.csv", current (self)->name, day);
  g_strdelimit (name, "/\\:", '-');
  self->chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Export the Readings"),
                                                                  GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                                  GTK_FILE_CHOOSER_ACTION_SAVE,
                                                                  _("_Export"), _("_Cancel")));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_native_dialog_set_modal (self->chooser, TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
  gtk_native_dialog_show (self->chooser);
}

static void
close_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[CLOSED], 0);
}

static void
saban_sensor_panel_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (saban_sensor_panel_parent_class)->map (widget);
  start_snapshots (SABAN_SENSOR_PANEL (widget));
}

static void
saban_sensor_panel_unmap (GtkWidget *widget)
{
  SabanSensorPanel *self = SABAN_SENSOR_PANEL (widget);

  stop_snapshots (self);
  if (gtk_video_get_media_stream (self->video) != NULL)
    gtk_media_stream_pause (gtk_video_get_media_stream (self->video));
  GTK_WIDGET_CLASS (saban_sensor_panel_parent_class)->unmap (widget);
}

static void
saban_sensor_panel_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SabanSensorPanel *self = SABAN_SENSOR_PANEL (object);

  switch (prop_id)
    {
    case PROP_RANGE_HOURS:
      g_value_set_int (value, self->range_hours);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, saban_sensor_panel_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_sensor_panel_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SabanSensorPanel *self = SABAN_SENSOR_PANEL (object);

  switch (prop_id)
    {
    case PROP_RANGE_HOURS:
      if (self->range_hours == g_value_get_int (value))
        return;
      self->range_hours = g_value_get_int (value);
      g_object_notify_by_pspec (object, pspec);
      load_series (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
saban_sensor_panel_dispose (GObject *object)
{
  SabanSensorPanel *self = SABAN_SENSOR_PANEL (object);

  g_clear_handle_id (&self->snapshot_timer, g_source_remove);
  g_cancellable_cancel (self->series_cancellable);
  g_cancellable_cancel (self->snapshot_cancellable);
  g_cancellable_cancel (self->export_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), SABAN_TYPE_SENSOR_PANEL);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->series_cancellable);
  g_clear_object (&self->snapshot_cancellable);
  g_clear_object (&self->export_cancellable);
  g_clear_pointer (&self->series, g_array_unref);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (saban_sensor_panel_parent_class)->dispose (object);
}

static void
saban_sensor_panel_class_init (SabanSensorPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = saban_sensor_panel_dispose;
  object_class->get_property = saban_sensor_panel_get_property;
  object_class->set_property = saban_sensor_panel_set_property;
  widget_class->map = saban_sensor_panel_map;
  widget_class->unmap = saban_sensor_panel_unmap;

  /**
   * SabanSensorPanel:range-hours:
   *
   * How far back the chart goes: 6, 24 or 168 hours.
   */
  properties[PROP_RANGE_HOURS] =
    g_param_spec_int ("range-hours", NULL, NULL, 1, 24 * 31, 24,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * SabanSensorPanel:busy:
   *
   * Whether readings or a picture are being loaded.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SabanSensorPanel::closed:
   *
   * The user closed the panel.
   */
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (SABAN_TYPE_SENSOR_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/saban/SaBan/ui/saban-sensor-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, SabanSensorPanel, box);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorPanel, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorPanel, reading_box);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorPanel, value_label);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorPanel, state_label);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorPanel, time_label);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorPanel, levels_label);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorPanel, series_box);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorPanel, chart);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorPanel, series_label);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorPanel, camera_box);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorPanel, snapshot_picture);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorPanel, snapshot_label);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorPanel, video);
  gtk_widget_class_bind_template_child (widget_class, SabanSensorPanel, video_label);
  gtk_widget_class_install_property_action (widget_class, "sensor-panel.range-hours", "range-hours");
  gtk_widget_class_install_action (widget_class, "sensor-panel.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "sensor-panel.close", NULL, close_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
saban_sensor_panel_init (SabanSensorPanel *self)
{
  self->index = NO_SENSOR;
  self->range_hours = 24;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sensor-panel.export", FALSE);
}

/**
 * saban_sensor_panel_new:
 * @client: where the sensors, their readings and pictures come from
 *
 * Returns: (transfer floating): a panel showing no sensor yet
 */
GtkWidget *
saban_sensor_panel_new (SabanSensorThingsClient *client)
{
  SabanSensorPanel *self = g_object_new (SABAN_TYPE_SENSOR_PANEL, NULL);

  self->client = g_object_ref (client);
  self->store = g_object_ref (saban_sensor_things_client_get_store (client));
  g_signal_connect_object (self->store, "sensors-changed", G_CALLBACK (on_sensors_changed), self, G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}
