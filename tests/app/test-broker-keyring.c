/* The broker's password from the Secret Service (issue 11): the session
 * signs in to an authenticated mosquitto as the mqtt-user setting's account
 * with the password the keyring keeps for that broker — never from the
 * settings or the environment — and a wrong one there keeps the live feed
 * off MQTT, which the sidebar says in Vietnamese: the broker refused the
 * account, not "cannot connect", with when it is tried again (pictures at
 * 1920×1080 and 1366×768 left in the build directory). A real
 * gnome-keyring-daemon (tests/support/test-keyring.c), saban-server and
 * mosquitto. */
#include <adwaita.h>

#include "app-test.h"
#include "saban-credentials.h"
#include "saban-resources.h"
#include "saban-session.h"
#include "saban-window.h"
#include "test-keyring.h"

static AppTestBackend *backend;

/* a session and its window, the broker's password being @password in the keyring */
static SabanSession *
session_with_broker_password (const char *password, SabanWindow **window)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  SabanSession *session;

  g_assert_null (g_getenv ("SABAN_MQTT_USER"));
  g_assert_null (g_getenv ("SABAN_MQTT_PASSWORD"));
  g_settings_set_string (settings, "mqtt-user", TEST_MQTT_CLIENT_USER);
  saban_credentials_keep_account (backend->broker_addr, TEST_MQTT_CLIENT_USER, password);
  g_assert_true (test_keyring_wait_account (backend->broker_addr, TEST_MQTT_CLIENT_USER, password, 10));

  session = saban_session_new ();
  *window = saban_window_new (NULL, session);
  gtk_window_present (GTK_WINDOW (*window));
  return session;
}

static void
test_right_password (void)
{
  SabanWindow *window;
  g_autoptr(SabanSession) session = session_with_broker_password (TEST_MQTT_CLIENT_PASSWORD, &window);
  SabanSensorFeed *feed = saban_session_get_sensor_feed (session);

  TEST_WAIT_UNTIL (saban_sensor_feed_get_state (feed) == SABAN_FEED_STATE_LIVE, 20);
  g_assert_true (saban_live_channel_get_connected (saban_session_get_live_channel (session)));
  TEST_WAIT_UNTIL (app_test_shows_label_containing (GTK_WIDGET (window), "Dữ liệu trực tuyến: MQTT"), 5);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_wrong_password (void)
{
  SabanWindow *window;
  g_autoptr(SabanSession) session = session_with_broker_password ("not-" TEST_MQTT_CLIENT_PASSWORD, &window);
  SabanSensorFeed *feed = saban_session_get_sensor_feed (session);

  /* the broker refuses it: the feed falls back to polling the server, and
   * the sidebar says why (mosquitto answers a wrong password CONNACK 5) */
  TEST_WAIT_UNTIL (saban_sensor_feed_get_state (feed) == SABAN_FEED_STATE_POLLING, 20);
  TEST_WAIT_UNTIL (app_test_shows_label_containing (GTK_WIDGET (window),
                                                    "Máy chủ trung gian MQTT không chấp nhận tài khoản: tên đăng nhập "
                                                    "hoặc mật khẩu không đúng"), 5);
  g_assert_false (app_test_shows_label_containing (GTK_WIDGET (window), "không kết nối được MQTT"));
  g_assert_true (app_test_shows_label_containing (GTK_WIDGET (window), "Dữ liệu trực tuyến: truy vấn định kỳ"));
  /* and stays there: the same refused password is not tried again for minutes */
  test_spin_ms (3000);
  g_assert_cmpint (saban_sensor_feed_get_state (feed), ==, SABAN_FEED_STATE_POLLING);
  g_assert_false (saban_live_channel_get_connected (saban_session_get_live_channel (session)));
  /* the sidebar as an operator sees it, left in the build directory */
  app_test_save_png_at (GTK_WIDGET (window), 1920, 1080, "screenshot-broker-refused.png");
  app_test_save_png_at (GTK_WIDGET (window), 1366, 768, "screenshot-broker-refused-1366.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  TestKeyring *keyring = test_keyring_start ();
  int status;

  app_test_init (&argc, &argv);
  g_resources_register (saban_get_resource ());
  backend = app_test_backend_start ("broker-keyring.db");
  g_assert_nonnull (backend);
  g_setenv ("SABAN_SERVER_URL", backend->server->base, TRUE);
  g_setenv ("SABAN_MQTT_BROKER", backend->broker_addr, TRUE);

  g_test_add_func ("/broker-keyring/right-password", test_right_password);
  g_test_add_func ("/broker-keyring/wrong-password", test_wrong_password);
  status = g_test_run ();
  app_test_backend_free (backend);
  test_keyring_stop (keyring);
  return status;
}
