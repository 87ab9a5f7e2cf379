/* Issue 5's "done when", in the real application against the real
 * saban-server --demo and a real mosquitto: a gauge crosses its danger level,
 * the operator's alarm list shows it, the server dies, the operator
 * acknowledges it with a note from the list's own form — the write waits,
 * shown as pending — and once the server is back on its port the
 * acknowledgement is on the server, once, with who and the note. */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "../server/server-fixture.h"
#include "saban-alarm-panel.h"
#include "saban-application.h"
#include "saban-window.h"

#define NOTE "Đã báo Ban Chỉ huy PCTT xã"

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* the main loop runs until @cond holds, or the test fails after @seconds */
#define WAIT_UNTIL(cond, seconds)                                                 \
  G_STMT_START {                                                                  \
    gint64 end_ = g_get_monotonic_time () + (seconds) * G_USEC_PER_SEC;           \
    guint tick_ = g_timeout_add (20, tick, NULL);                                 \
    while (!(cond) && g_get_monotonic_time () < end_)                             \
      g_main_context_iteration (NULL, TRUE);                                      \
    g_source_remove (tick_);                                                      \
    if (!(cond))                                                                  \
      g_error ("timed out waiting for %s", #cond);                                \
  } G_STMT_END

/* the first widget of @type under @root, depth first */
static GtkWidget *
find (GtkWidget *root, GType type)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type))
        return c;
      if ((found = find (c, type)) != NULL)
        return found;
    }
  return NULL;
}

/* the confirm button of @alarm's form in the alarm list */
static GtkWidget *
find_confirm (GtkWidget *root, SabanAlarm *alarm)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (c) && g_object_get_data (G_OBJECT (c), "alarm") == alarm)
        return c;
      if ((found = find_confirm (c, alarm)) != NULL)
        return found;
    }
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
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "ack.db", NULL);
  g_autofree char *mqtt_arg = NULL, *broker_addr = NULL, *token = NULL, *url = NULL, *body = NULL;
  g_autoptr(GSubprocess) broker = NULL;
  g_autoptr(SabanApplication) app = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) ahead = g_date_time_add_minutes (now, 10);
  g_autofree char *when = g_date_time_format_iso8601 (ahead);
  g_autoptr(JsonArray) acks = NULL;
  SabanAlarm *alarm = NULL;
  const char *server_args[] = { "--rate-limit=0", NULL, NULL };
  SabanCommandClient *client;
  SabanAlarmList *alarms;
  SabanWindow *window;
  GtkWidget *panel, *confirm;
  TestServer *server;
  JsonObject *p;
  guint broker_port, gauge, active;

  broker = test_mosquitto_start (&broker_port);
  if (broker == NULL)
    {
      g_test_skip ("mosquitto is not installed");
      return;
    }
  mqtt_arg = g_strdup_printf ("--mqtt=127.0.0.1:%u", broker_port);
  broker_addr = g_strdup_printf ("127.0.0.1:%u", broker_port);
  server_args[1] = mqtt_arg;
  server = test_server_start (db, (const char *const *) server_args);
  token = test_login (server, "trucban");

  /* the application as an operator's workstation starts it */
  g_setenv ("SABAN_SERVER_URL", server->base, TRUE);
  g_setenv ("SABAN_MQTT_BROKER", broker_addr, TRUE);
  g_setenv ("SABAN_ACCOUNT", "trucban", TRUE);
  g_setenv ("SABAN_PASSWORD", "saban-demo", TRUE);
  app = saban_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  client = saban_application_get_command_client (app);
  alarms = saban_application_get_alarms (app);
  window = saban_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (saban_command_client_get_state (client) == SABAN_FEED_STATE_LIVE &&
              saban_sensor_store_get_n_sensors (saban_application_get_sensor_store (app)) > 0 &&
              saban_mqtt_feed_get_state (saban_application_get_sensor_feed (app)) == SABAN_FEED_STATE_LIVE, 30);

  /* datastream 1, the Lào Cai gauge, far above its danger level */
  url = g_strconcat (server->base, "/v1.1/Observations", NULL);
  body = g_strdup_printf ("{\"result\":9.5,\"phenomenonTime\":\"%s\",\"Datastream\":{\"@iot.id\":1}}", when);
  {
    g_autoptr(Resp) r = test_http ("POST", url, token, "application/json", body, NULL);
    g_assert_cmpuint (r->status, ==, 201);
  }
  g_assert_true (saban_sensor_store_lookup (saban_application_get_sensor_store (app), 1, &gauge));
  WAIT_UNTIL ((alarm = saban_alarm_list_find_active (alarms, gauge)) != NULL, 10);
  g_assert_cmpint (saban_alarm_get_level (alarm), ==, SABAN_SENSOR_STATE_DANGER);
  active = saban_alarm_list_get_n_active (alarms);

  /* the server dies; the operator acknowledges from the list's form */
  test_server_kill (server);
  panel = find (GTK_WIDGET (window), SABAN_TYPE_ALARM_PANEL);
  g_assert_nonnull (panel);
  confirm = find_confirm (panel, alarm);
  g_assert_nonnull (confirm);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (confirm)), ==, _("Acknowledge"));
  gtk_editable_set_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (confirm), "note")), NOTE);
  g_signal_emit_by_name (confirm, "clicked");
  g_assert_true (saban_alarm_get_acknowledged (alarm));
  g_assert_cmpuint (saban_alarm_list_get_n_active (alarms), ==, active - 1);
  WAIT_UNTIL (saban_command_client_get_pending (client) == 1, 10);

  /* back on its port: delivered by itself, once */
  test_server_restart (server, (const char *const *) server_args);
  WAIT_UNTIL (saban_command_client_get_pending (client) == 0, 60);
  WAIT_UNTIL (n_acknowledgements (server, token) == 1, 10);
  acks = acknowledgements (server, token);
  p = json_object_get_object_member (json_array_get_object_element (acks, 0), "properties");
  g_assert_cmpstr (json_object_get_string_member (p, "acknowledgedBy"), ==, "trucban");
  g_assert_cmpstr (json_object_get_string_member (p, "note"), ==, NOTE);
  g_assert_cmpint (json_object_get_int_member (p, "datastreamId"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (p, "level"), ==, "danger");

  gtk_window_destroy (GTK_WINDOW (window));
  test_server_free (server);
  g_subprocess_force_exit (broker);
}

int
main (int argc, char *argv[])
{
  g_autofree char *data_home = test_tmpdir ();
  g_autofree char *config_home = test_tmpdir ();

  /* a fresh outbox and workspace, never the tester's own (GLib reads these once) */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SABAN_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* the danger alarm's desktop notification finds no notification service
   * on the test bus: GIO warns, which is not a failure here */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/app/acknowledge", test_acknowledge);
  return g_test_run ();
}
