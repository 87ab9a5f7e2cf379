/* The control room's alarms (issue 15), in Vietnamese, against the real
 * saban-server --demo and a real mosquitto:
 *
 * - the alarm centre lists a gauge gone over its level III with the level,
 *   the full name, the reading, the commune and the age; it sorts and
 *   filters (accents optional); the banner across the window shows the
 *   level III alarm until it is acknowledged (from the banner), then goes;
 *   the acknowledgement reaches the server. Pictures at 1366×768 and
 *   1920×1080 are left in the build directory.
 * - acknowledgements are shared and survive restarts: acknowledged on
 *   workstation A (a session in this process), a second session B started
 *   afterwards shows it acknowledged (who, note); A restarted still does;
 *   an acknowledgement made on A while B runs reaches B live.
 * - the sound: level III sounds when its setting is on, level I not until
 *   its own is; the tones are a well-formed WAV.
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "app-test.h"
#include "saban-alarm-banner.h"
#include "saban-alarm-centre.h"
#include "saban-alarm-sound.h"
#include "saban-application.h"
#include "saban-format.h"
#include "saban-layer-row.h"
#include "saban-resources.h"
#include "saban-text.h"
#include "saban-window.h"

#define NOTE "Đã báo Ban Chỉ huy PCTT xã"

static AppTestBackend *backend;

/* the water gauges of @store, in the store's order */
static guint
nth_gauge (SabanSensorStore *store, guint n)
{
  for (guint i = 0; i < saban_sensor_store_get_n_sensors (store); i++)
    if (saban_sensor_store_get_sensor (store, i)->kind == SABAN_SENSOR_KIND_WATER_LEVEL && n-- == 0)
      return i;
  g_assert_not_reached ();
}

/* @sensor reads @above its top level (III), a little ahead of the clock so
 * that the simulator's own readings, seeded up to now, are not newer */
static void
push_level_3 (SabanSensorStore *store, guint sensor, double above)
{
  const SabanSensor *s = saban_sensor_store_get_sensor (store, sensor);
  g_autofree char *token = test_login (backend->server, "trucban");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) ahead = g_date_time_add_minutes (now, 4);
  g_autofree char *when = g_date_time_format_iso8601 (ahead);

  g_assert_false (isnan (s->level_2));
  test_observation_post (backend->server, token, s->datastream_id, s->danger_level + above, when);
}

/* the alarm the banner should show: the newest level III still waiting */
static SabanAlarm *
newest_waiting_level_3 (SabanSession *session)
{
  GListModel *alarms = G_LIST_MODEL (saban_session_get_alarms (session));

  for (guint i = 0; i < g_list_model_get_n_items (alarms); i++)
    {
      g_autoptr(SabanAlarm) a = g_list_model_get_item (alarms, i);

      if (saban_alarm_get_grade (a) == SABAN_ALARM_GRADE_III && !saban_alarm_get_acknowledged (a))
        return a;
    }
  return NULL;
}

static gboolean
session_ready (SabanSession *session)
{
  SabanCommandClient *client = saban_session_get_command_client (session);

  return saban_command_client_get_loaded (client) && saban_command_client_get_state (client) == SABAN_FEED_STATE_LIVE &&
         saban_sensor_store_get_n_sensors (saban_session_get_sensor_store (session)) > 0 &&
         saban_sensor_feed_get_state (saban_session_get_sensor_feed (session)) == SABAN_FEED_STATE_LIVE;
}

/* a workstation's session, signed in as @account */
static SabanSession *
start_session (const char *account)
{
  SabanSession *session;

  app_test_backend_setenv (backend, TRUE, account);
  session = saban_session_new ();
  TEST_WAIT_UNTIL (session_ready (session), 30);
  return session;
}

/* the alarm of @sensor the session lists last (the newest) */
static SabanAlarm *
alarm_of (SabanSession *session, guint sensor)
{
  GListModel *alarms = G_LIST_MODEL (saban_session_get_alarms (session));

  for (guint i = 0; i < g_list_model_get_n_items (alarms); i++)
    {
      g_autoptr(SabanAlarm) a = g_list_model_get_item (alarms, i);

      if (saban_alarm_get_cap_identifier (a) == NULL && saban_alarm_get_sensor (a) == sensor)
        return a;
    }
  return NULL;
}

static gboolean
acknowledged_by (SabanSession *session, guint sensor, const char *who)
{
  SabanAlarm *a = alarm_of (session, sensor);

  return a != NULL && saban_alarm_get_acknowledged (a) && g_strcmp0 (saban_alarm_get_ack_by (a), who) == 0;
}

static guint
acknowledgements_on_server (gint64 datastream)
{
  g_autofree char *token = test_login (backend->server, "trucban");
  g_autoptr(Resp) r = test_request (backend->server, "GET", "/collections/acknowledgements/items?limit=1000", token,
                                    NULL, NULL, NULL);
  JsonArray *features;
  guint n = 0;

  g_assert_cmpuint (r->status, ==, 200);
  features = json_object_get_array_member (resp_object (r), "features");
  for (guint i = 0; i < json_array_get_length (features); i++)
    {
      JsonObject *p = json_object_get_object_member (json_array_get_object_element (features, i), "properties");

      n += json_object_get_int_member_with_default (p, "datastreamId", 0) == datastream;
    }
  return n;
}

static void
on_sensor_activated (GtkWidget *widget, guint sensor, gpointer data)
{
  *(guint *) data = sensor;
}

/* the main window at one size with the demo province, its picture left
 * in the build directory */
static SabanWindow *
open_window (SabanApplication *app, int width, int height, const char *png)
{
  SabanWindow *window = saban_window_new (GTK_APPLICATION (app), saban_application_get_session (app));
  g_autoptr(GFile) demo = g_file_new_for_path (g_getenv ("SABAN_DEMO_DATA"));

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  /* the layers are the session's: opened once, shown by every window */
  if (g_list_model_get_n_items (G_LIST_MODEL (saban_session_get_layers (saban_application_get_session (app)))) == 0)
    saban_window_open_demo (window, demo);
  gtk_window_present (GTK_WINDOW (window));
  TEST_WAIT_UNTIL (!saban_window_get_loading (window) &&
                   !saban_map_view_get_busy (saban_window_get_map_view (window)), 60);
  app_test_save_png (GTK_WIDGET (window), png);
  return window;
}

/* the button of the toast that says @text */
static GtkButton *
toast_button (SabanWindow *window, const char *text, const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  if (!app_test_has_label_containing (GTK_WIDGET (window), text))
    return NULL;
  app_test_collect (GTK_WIDGET (window), GTK_TYPE_BUTTON, NULL, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      return g_ptr_array_index (buttons, i);
  return NULL;
}

/* A layer removed goes at once, a toast names it, and its Undo puts it
 * back where it was. */
static void
remove_and_undo (SabanWindow *window)
{
  GListModel *layers = G_LIST_MODEL (saban_session_get_layers (saban_window_get_session (window)));
  guint n = g_list_model_get_n_items (layers);
  g_autoptr(SabanLayer) layer = g_list_model_get_item (layers, 1);
  g_autofree char *said = g_strdup_printf ("Đã gỡ lớp “%s” khỏi bản đồ", saban_layer_get_title (layer));
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkButton *undo = NULL;

  app_test_collect (GTK_WIDGET (window), SABAN_TYPE_LAYER_ROW, NULL, rows);
  for (guint i = 0; i < rows->len; i++)
    if (saban_layer_row_get_layer (g_ptr_array_index (rows, i)) == layer)
      gtk_widget_activate_action (g_ptr_array_index (rows, i), "layer.remove", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (layers), ==, n - 1);
  TEST_WAIT_UNTIL ((undo = toast_button (window, said, "_Hoàn tác")) != NULL, 10);
  g_signal_emit_by_name (undo, "clicked");
  g_assert_cmpuint (g_list_model_get_n_items (layers), ==, n);
  {
    g_autoptr(SabanLayer) back = g_list_model_get_item (layers, 1);
    g_assert_true (back == layer);
  }
}

static void
test_alarm_centre (void)
{
  g_autoptr(SabanApplication) app = NULL;
  SabanSession *session;
  SabanSensorStore *store;
  SabanWindow *window;
  SabanAlarmCentre *centre;
  SabanAlarmBanner *banner;
  SabanAlarm *alarm;
  GListModel *shown;
  g_autofree char *folded_name = NULL;
  const SabanSensor *s;
  guint gauge, asked = G_MAXUINT;

  app_test_backend_setenv (backend, TRUE, "trucban");
  app = saban_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  session = saban_application_get_session (app);
  TEST_WAIT_UNTIL (session_ready (session), 30);
  store = saban_session_get_sensor_store (session);
  gauge = nth_gauge (store, 0);
  s = saban_sensor_store_get_sensor (store, gauge);

  push_level_3 (store, gauge, 0.8);
  TEST_WAIT_UNTIL ((alarm = saban_alarm_list_find_active (saban_session_get_alarms (session), gauge)) != NULL &&
                   saban_alarm_get_grade (alarm) == SABAN_ALARM_GRADE_III, 15);

  window = open_window (app, 1366, 768, "screenshot-alarm-centre-1366.png");
  centre = app_test_find (GTK_WIDGET (window), SABAN_TYPE_ALARM_CENTRE, NULL);
  banner = app_test_find (GTK_WIDGET (window), SABAN_TYPE_ALARM_BANNER, NULL);
  g_assert_nonnull (centre);
  g_assert_nonnull (banner);

  /* the banner: the level III alarm, across the window */
  g_assert_true (saban_alarm_banner_get_alarm (banner) == alarm);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (banner)));
  g_assert_true (app_test_shows_label_containing (GTK_WIDGET (banner), "Báo động III"));
  g_assert_true (app_test_shows_label_containing (GTK_WIDGET (banner), s->name));

  /* the centre: level, full name, reading, commune, age; highest level on top */
  shown = saban_alarm_centre_get_shown (centre);
  {
    g_autoptr(SabanAlarm) top = g_list_model_get_item (shown, 0);
    g_autofree char *reading = saban_format_reading (s->value, s->unit);

    g_assert_true (top == alarm);
    g_assert_true (app_test_shows_label_containing (GTK_WIDGET (centre), s->name));
    g_assert_true (app_test_shows_label_containing (GTK_WIDGET (centre), reading));
    g_assert_true (app_test_shows_label_containing (GTK_WIDGET (centre), s->commune_name));
    /* the age: the reading was pushed a little ahead of the clock */
    g_assert_true (app_test_shows_label_containing (GTK_WIDGET (centre), "vừa xong") ||
                   app_test_shows_label_containing (GTK_WIDGET (centre), "phút trước"));
    g_assert_true (app_test_shows_label_containing (GTK_WIDGET (centre), "chờ xác nhận"));
  }

  /* filtered by a name typed without accents, by level, by nothing found */
  folded_name = saban_text_fold (s->name);
  saban_alarm_centre_set_search (centre, folded_name);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  saban_alarm_centre_set_search (centre, "không có trạm nào tên này");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 0);
  g_assert_true (app_test_shows_label_containing (GTK_WIDGET (centre), "phù hợp với bộ lọc"));
  saban_alarm_centre_set_search (centre, NULL);
  saban_alarm_centre_set_min_grade (centre, SABAN_ALARM_GRADE_III);
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(SabanAlarm) a = g_list_model_get_item (shown, i);
      g_assert_cmpint (saban_alarm_get_grade (a), ==, SABAN_ALARM_GRADE_III);
    }
  saban_alarm_centre_set_min_grade (centre, SABAN_ALARM_GRADE_NONE);
  /* sorted by station, A to Z */
  saban_alarm_centre_sort_by (centre, "station", GTK_SORT_ASCENDING);
  for (guint i = 1; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(SabanAlarm) a = g_list_model_get_item (shown, i - 1);
      g_autoptr(SabanAlarm) b = g_list_model_get_item (shown, i);
      g_assert_cmpint (g_utf8_collate (saban_alarm_get_sensor_name (a), saban_alarm_get_sensor_name (b)), <=, 0);
    }
  saban_alarm_centre_sort_by (centre, "grade", GTK_SORT_DESCENDING);

  /* a row asks for its sensor */
  g_signal_connect (centre, "sensor-activated", G_CALLBACK (on_sensor_activated), &asked);
  g_signal_emit_by_name (app_test_find (GTK_WIDGET (centre), GTK_TYPE_COLUMN_VIEW, NULL), "activate", 0);
  g_assert_cmpuint (asked, ==, gauge);
  gtk_window_destroy (GTK_WINDOW (window));

  /* the same at 1920×1080, for the README */
  window = open_window (app, 1920, 1080, "screenshot-alarm-centre.png");
  banner = app_test_find (GTK_WIDGET (window), SABAN_TYPE_ALARM_BANNER, NULL);
  g_assert_true (saban_alarm_banner_get_alarm (banner) == alarm);

  /* acknowledged from the banner: it goes, the server has it */
  saban_alarm_banner_acknowledge (banner);
  g_assert_true (saban_alarm_get_acknowledged (alarm));
  g_assert_cmpstr (saban_alarm_get_ack_by (alarm), ==, "trucban");
  /* the demo feed may have raised another level III meanwhile: then the
   * banner shows that one, else it hides */
  g_assert_true (saban_alarm_banner_get_alarm (banner) == newest_waiting_level_3 (session));
  g_assert_true (saban_alarm_banner_get_alarm (banner) != alarm);
  g_assert_cmpint (gtk_widget_get_visible (GTK_WIDGET (banner)), ==, saban_alarm_banner_get_alarm (banner) != NULL);
  TEST_WAIT_UNTIL (acknowledgements_on_server (s->datastream_id) == 1, 30);

  remove_and_undo (window);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A acknowledges; B, started afterwards, shows it; A restarted shows it;
 * A acknowledges another while B runs: B sees it at once. */
static void
test_shared_acknowledgement (void)
{
  g_autoptr(SabanSession) a = start_session ("trucban");
  g_autoptr(SabanSession) b = NULL;
  SabanSensorStore *store = saban_session_get_sensor_store (a);
  guint first = nth_gauge (store, 1), second = nth_gauge (store, 2);
  SabanAlarm *alarm;
  GtkWidget *window, *centre;

  push_level_3 (store, first, 0.6);
  TEST_WAIT_UNTIL ((alarm = saban_alarm_list_find_active (saban_session_get_alarms (a), first)) != NULL, 15);
  g_assert_true (saban_session_acknowledge_alarm (a, alarm, NOTE));
  TEST_WAIT_UNTIL (saban_command_client_get_pending (saban_session_get_command_client (a)) == 0, 30);

  /* workstation B, as the coordinator, after the fact */
  b = start_session ("dieuphoi");
  TEST_WAIT_UNTIL (acknowledged_by (b, first, "trucban"), 30);
  g_assert_cmpstr (saban_alarm_get_ack_note (alarm_of (b, first)), ==, NOTE);
  g_assert_cmpuint (saban_alarm_list_find_active (saban_session_get_alarms (b), first) == NULL, ==, TRUE);
  /* B's alarm centre says who and the note */
  window = gtk_window_new ();
  centre = saban_alarm_centre_new (b);
  gtk_window_set_child (GTK_WINDOW (window), centre);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 500);
  gtk_window_present (GTK_WINDOW (window));
  saban_alarm_centre_set_search (SABAN_ALARM_CENTRE (centre), saban_sensor_store_get_sensor (store, first)->name);
  TEST_WAIT_UNTIL (app_test_shows_label_containing (centre, "trucban đã xác nhận"), 10);
  g_assert_true (app_test_shows_label_containing (centre, NOTE));
  app_test_save_png (window, "screenshot-alarm-centre-shared.png");

  /* A restarts: still acknowledged, nothing raised again */
  g_clear_object (&a);
  a = start_session ("trucban");
  store = saban_session_get_sensor_store (a);
  TEST_WAIT_UNTIL (acknowledged_by (a, first, "trucban"), 30);
  g_assert_null (saban_alarm_list_find_active (saban_session_get_alarms (a), first));

  /* live: A acknowledges another while B runs */
  push_level_3 (store, second, 0.7);
  TEST_WAIT_UNTIL ((alarm = saban_alarm_list_find_active (saban_session_get_alarms (a), second)) != NULL &&
                   saban_alarm_list_find_active (saban_session_get_alarms (b), second) != NULL, 15);
  g_assert_true (saban_session_acknowledge_alarm (a, alarm, NULL));
  TEST_WAIT_UNTIL (acknowledged_by (b, second, "trucban"), 30);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
on_played (SabanAlarmSound *sound, guint grade, gpointer data)
{
  g_array_append_val ((GArray *) data, grade);
}

static void
test_sound (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(SabanSensorStore) store = saban_sensor_store_new ();
  g_autoptr(SabanAlarmList) alarms = saban_alarm_list_new (store);
  g_autoptr(SabanAlarmSound) sound = saban_alarm_sound_new (alarms, settings);
  g_autoptr(GArray) played = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GBytes) wav = saban_alarm_sound_make_wav (SABAN_ALARM_GRADE_III);
  const guint8 *data = g_bytes_get_data (wav, NULL);
  SabanSensor meta = { .datastream_id = 1, .thing_id = 1, .name = (char *) "Trạm Bảo Hà",
                       .kind = SABAN_SENSOR_KIND_WATER_LEVEL, .unit = (char *) "m", .alert_level = 2.5,
                       .level_2 = 3.0, .danger_level = 3.5, .interval_s = 300 };
  gint64 now = g_get_real_time ();

  /* three tones and two gaps of 16-bit samples at 22 050 Hz */
  g_assert_cmpmem (data, 4, "RIFF", 4);
  g_assert_cmpmem (data + 8, 8, "WAVEfmt ", 8);
  g_assert_cmpuint (g_bytes_get_size (wav), ==, 44 + 2 * (3 * (22050 * 220 / 1000) + 2 * (22050 * 110 / 1000)));

  g_assert_false (g_settings_get_boolean (settings, "alarm-sound-level-1"));
  g_assert_true (g_settings_get_boolean (settings, "alarm-sound-level-3"));
  g_signal_connect (sound, "played", G_CALLBACK (on_played), played);
  saban_sensor_store_add (store, &meta);
  meta.datastream_id = meta.thing_id = 2;
  saban_sensor_store_add (store, &meta);
  /* level I, its sound off: silence; level III: three tones */
  saban_sensor_store_observe (store, 1, 1, now - 60 * G_USEC_PER_SEC, 2.7, NULL);
  saban_sensor_store_flush (store);
  g_assert_cmpuint (played->len, ==, 0);
  saban_sensor_store_observe (store, 2, 2, now - 50 * G_USEC_PER_SEC, 3.9, NULL);
  saban_sensor_store_flush (store);
  g_assert_cmpuint (played->len, ==, 1);
  g_assert_cmpuint (g_array_index (played, guint, 0), ==, SABAN_ALARM_GRADE_III);
  /* level I's sound on: the next level I alarm sounds */
  g_settings_set_boolean (settings, "alarm-sound-level-1", TRUE);
  meta.datastream_id = meta.thing_id = 3;
  saban_sensor_store_add (store, &meta);
  saban_sensor_store_observe (store, 3, 3, now - 40 * G_USEC_PER_SEC, 2.6, NULL);
  saban_sensor_store_flush (store);
  g_assert_cmpuint (played->len, ==, 2);
  g_assert_cmpuint (g_array_index (played, guint, 1), ==, SABAN_ALARM_GRADE_I);
  g_test_message ("sound through %s", saban_alarm_sound_get_beeps (sound) ? "the display's bell" : "GtkMediaFile");
}

int
main (int argc, char *argv[])
{
  int ret;

  app_test_init (&argc, &argv);
  g_resources_register (saban_get_resource ());
  /* the danger alarm's desktop notification finds no notification service
   * on the test bus: GIO warns, which is not a failure here */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  backend = app_test_backend_start ("control-room.db");
  if (backend == NULL)
    {
      g_printerr ("mosquitto is not installed\n");
      return 77;
    }
  g_test_add_func ("/control-room/sound", test_sound);
  g_test_add_func ("/control-room/alarm-centre", test_alarm_centre);
  g_test_add_func ("/control-room/shared-acknowledgement", test_shared_acknowledgement);
  ret = g_test_run ();
  app_test_backend_free (backend);
  return ret;
}
