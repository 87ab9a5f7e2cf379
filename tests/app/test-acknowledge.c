/* Issue 5's "done when", in the real application against the real
 * saban-server --demo and a real mosquitto: a gauge crosses its danger level,
 * the operator's alarm centre shows it, the server dies, the operator
 * acknowledges it with a note from the centre's own form — the write waits,
 * shown as pending — and once the server is back on its port the
 * acknowledgement is on the server, once, with who and the note. */
#include <adwaita.h>
#include <glib/gi18n.h>

#include "app-test.h"
#include "saban-alarm-centre.h"
#include "saban-application.h"
#include "saban-window.h"

#define NOTE "Đã báo Ban Chỉ huy PCTT xã"

/* the confirm button of @alarm's form in the alarm list */
static GtkWidget *
find_confirm (GtkWidget *root, SabanAlarm *alarm)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  app_test_collect (root, GTK_TYPE_BUTTON, NULL, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_object_get_data (g_ptr_array_index (buttons, i), "alarm") == alarm)
      return g_ptr_array_index (buttons, i);
  return NULL;
}

static JsonArray *
acknowledgements (TestServer *server, const char *token)
{
  g_autofree char *url = g_strdup_printf ("%s/collections/acknowledgements/items", server->base);
  g_autoptr(Resp) r = test_http ("GET", url, token, NULL, NULL, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return json_array_ref (json_object_get_array_member (resp_object (r), "features"));
}

static guint
n_acknowledgements (TestServer *server, const char *token)
{
  g_autoptr(JsonArray) a = server->proc != NULL ? acknowledgements (server, token) : NULL;

  return a != NULL ? json_array_get_length (a) : 0;
}

static void
test_acknowledge (void)
{
  g_autofree char *token = NULL;
  g_autoptr(SabanApplication) app = NULL;
  g_autoptr(JsonArray) acks = NULL;
  SabanAlarm *alarm = NULL;
  AppTestBackend *backend;
  SabanCommandClient *client;
  SabanAlarmList *alarms;
  SabanWindow *window;
  GtkWidget *panel, *confirm;
  TestServer *server;
  JsonObject *p;
  guint gauge, active;

  backend = app_test_backend_start ("ack.db");
  if (backend == NULL)
    {
      g_test_skip ("mosquitto is not installed");
      return;
    }
  server = backend->server;
  token = test_login (server, "trucban");

  /* the application as an operator's workstation starts it */
  app_test_backend_setenv (backend, TRUE, "trucban");
  app = saban_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  client = saban_session_get_command_client (saban_application_get_session (app));
  alarms = saban_session_get_alarms (saban_application_get_session (app));
  window = saban_window_new (GTK_APPLICATION (app), saban_application_get_session (app));
  gtk_window_present (GTK_WINDOW (window));
  TEST_WAIT_UNTIL (saban_command_client_get_state (client) == SABAN_FEED_STATE_LIVE &&
                   saban_sensor_store_get_n_sensors (saban_session_get_sensor_store (saban_application_get_session (app))) > 0 &&
                   saban_sensor_feed_get_state (saban_session_get_sensor_feed (saban_application_get_session (app))) == SABAN_FEED_STATE_LIVE, 30);

  /* datastream 1, the Lào Cai gauge, far above its danger level */
  app_test_push_gauge (server, token, 9.5);
  g_assert_true (saban_sensor_store_lookup (saban_session_get_sensor_store (saban_application_get_session (app)), 1, &gauge));
  TEST_WAIT_UNTIL ((alarm = saban_alarm_list_find_active (alarms, gauge)) != NULL, 10);
  g_assert_cmpint (saban_alarm_get_level (alarm), ==, SABAN_SENSOR_STATE_DANGER);
  active = saban_alarm_list_get_n_active (alarms);

  /* the server dies; the operator acknowledges from the list's form */
  test_server_kill (server);
  panel = app_test_find (GTK_WIDGET (window), SABAN_TYPE_ALARM_CENTRE, NULL);
  g_assert_nonnull (panel);
  confirm = find_confirm (panel, alarm);
  g_assert_nonnull (confirm);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (confirm)), ==, _("Acknowledge"));
  gtk_editable_set_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (confirm), "note")), NOTE);
  g_signal_emit_by_name (confirm, "clicked");
  g_assert_true (saban_alarm_get_acknowledged (alarm));
  g_assert_cmpuint (saban_alarm_list_get_n_active (alarms), ==, active - 1);
  TEST_WAIT_UNTIL (saban_command_client_get_pending (client) == 1, 10);

  /* back on its port: delivered by itself, once */
  test_server_restart (server, backend->server_args);
  TEST_WAIT_UNTIL (saban_command_client_get_pending (client) == 0, 60);
  TEST_WAIT_UNTIL (n_acknowledgements (server, token) == 1, 10);
  acks = acknowledgements (server, token);
  p = json_object_get_object_member (json_array_get_object_element (acks, 0), "properties");
  g_assert_cmpstr (json_object_get_string_member (p, "acknowledgedBy"), ==, "trucban");
  g_assert_cmpstr (json_object_get_string_member (p, "note"), ==, NOTE);
  g_assert_cmpint (json_object_get_int_member (p, "datastreamId"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (p, "level"), ==, "danger");

  gtk_window_destroy (GTK_WINDOW (window));
  app_test_backend_free (backend);
}

int
main (int argc, char *argv[])
{
  app_test_init (&argc, &argv);
  /* the danger alarm's desktop notification finds no notification service
   * on the test bus: GIO warns, which is not a failure here */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/app/acknowledge", test_acknowledge);
  return g_test_run ();
}
