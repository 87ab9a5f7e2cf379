/* Sao lưu dữ liệu in the real application, in Vietnamese, against the real
 * saban-server --demo --backup-dir and a real mosquitto (issue 16): signed
 * in as the demo's admin (quantri) the action is enabled and the window
 * shows every backup the server lists, its state and policy; "Back Up Now",
 * confirmed, makes one that the server then lists and the window shows,
 * with the outcome in a toast. Signed in as the operator (trucban) the
 * action stays disabled (the menu hides it) and no window opens. Each role
 * runs in a process of its own: one application per process. Screenshots
 * at 1366×768 and 1920×1080 are left in the build directory
 * (screenshot-backups*.png). */
#include <adwaita.h>
#include <glib/gi18n.h>

#include "app-test.h"
#include "saban-application.h"
#include "saban-backups-window.h"
#include "saban-format.h"
#include "saban-json.h"

static AppTestBackend *
backend_with_backups (void)
{
  AppTestBackend *backend = app_test_backend_start ("backups.db");
  g_autofree char *dir = NULL, *backups = NULL, *arg = NULL;

  if (backend == NULL)
    return NULL;
  dir = g_path_get_dirname (backend->server->db);
  backups = g_build_filename (dir, "backups", NULL);
  arg = g_strconcat ("--backup-dir=", backups, NULL);
  test_server_stop (backend->server);
  test_server_restart (backend->server, (const char *const[]) { "--rate-limit=0", backend->mqtt_arg, arg, NULL });
  return backend;
}

static SabanApplication *
start_app (AppTestBackend *backend, const char *account)
{
  SabanApplication *app;

  app_test_backend_setenv (backend, TRUE, account);
  app = saban_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_activate (G_APPLICATION (app));
  TEST_WAIT_UNTIL (saban_session_get_role (saban_application_get_session (app)) != NULL, 60);
  return app;
}

static void
close_all (SabanApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL;
       l = gtk_application_get_windows (GTK_APPLICATION (app)))
    gtk_window_destroy (l->data);
}

/* the server's own list, as an admin reads it */
static JsonArray *
server_backups (TestServer *server, const char *token)
{
  g_autoptr(Resp) r = test_request (server, "GET", "/admin/backups", token, NULL, NULL, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return json_array_ref (json_object_get_array_member (resp_object (r), "backups"));
}

/* Every backup the server lists is in the window, by the time it began. */
static void
check_shows (SabanBackupsWindow *window, JsonArray *list)
{
  g_assert_cmpuint (json_array_get_length (list), >, 0);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *b = json_array_get_object_element (list, i);
      g_autofree char *started = saban_format_local_time (
        saban_json_parse_time (json_object_get_string_member (b, "started")), "%d/%m/%Y %H:%M:%S");
      g_autofree char *number = g_strdup_printf ("Số %" G_GINT64_FORMAT " · SQLite", json_object_get_int_member (b, "id"));

      g_assert_true (app_test_has_label (GTK_WIDGET (window), started));
      g_assert_true (app_test_has_label_containing (GTK_WIDGET (window), number));
    }
}

static guint
n_server_backups (TestServer *server, const char *token)
{
  g_autoptr(JsonArray) list = server_backups (server, token);

  return json_array_get_length (list);
}

/* The confirmation @action asks for, answered with @response and closed. */
static void
answer (SabanBackupsWindow *window, const char *action, GVariant *target, const char *response)
{
  g_autoptr(AdwMessageDialog) dialog = NULL;

  gtk_widget_activate_action_variant (GTK_WIDGET (window), action, target);
  TEST_WAIT_UNTIL (app_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL, 10);
  dialog = g_object_ref (ADW_MESSAGE_DIALOG (app_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)));
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
run_admin (void)
{
  g_autoptr(SabanApplication) app = NULL;
  AppTestBackend *backend = backend_with_backups ();
  g_autofree char *token = NULL;
  g_autoptr(JsonArray) before = NULL, after = NULL;
  SabanBackupsWindow *window;

  if (backend == NULL)
    {
      g_test_skip ("mosquitto is not installed");
      return;
    }
  token = test_login (backend->server, "quantri");
  /* the one the schedule makes at start */
  TEST_WAIT_UNTIL (n_server_backups (backend->server, token) >= 1, 60);

  app = start_app (backend, "quantri");
  g_assert_cmpstr (saban_session_get_role (saban_application_get_session (app)), ==, "admin");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "backups"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "backups", NULL);
  window = SABAN_BACKUPS_WINDOW (app_test_find_toplevel (SABAN_TYPE_BACKUPS_WINDOW));
  g_assert_nonnull (window);
  TEST_WAIT_UNTIL (saban_backups_window_get_status (window) != NULL && !saban_backups_window_get_busy (window), 30);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Sao lưu dữ liệu");
  g_assert_cmpint (saban_backup_status_get_state (saban_backups_window_get_status (window)), ==,
                   SABAN_BACKUP_STATE_OK);
  g_assert_true (app_test_has_label (GTK_WIDGET (window), "Tốt"));
  before = server_backups (backend->server, token);
  check_shows (window, before);

  /* Back Up Now: asked first; cancelled, nothing is made */
  answer (window, "backups.make", NULL, "cancel");
  test_spin_ms (200);
  g_assert_false (saban_backups_window_get_busy (window));
  g_assert_cmpuint (n_server_backups (backend->server, token), ==, json_array_get_length (before));

  /* confirmed: made on the server, restored and checked, then listed */
  answer (window, "backups.make", NULL, "go");
  g_assert_true (saban_backups_window_get_busy (window));
  g_assert_true (gtk_spinner_get_spinning (app_test_find (GTK_WIDGET (window), GTK_TYPE_SPINNER, NULL)));
  /* what is under way, in words, while the server works (minutes on a large database) */
  g_assert_true (app_test_shows_label_containing (GTK_WIDGET (window), "Đang sao lưu"));
  TEST_WAIT_UNTIL (!saban_backups_window_get_busy (window), 120);
  g_assert_false (app_test_shows_label_containing (GTK_WIDGET (window), "Đang sao lưu"));
  after = server_backups (backend->server, token);
  g_assert_cmpuint (json_array_get_length (after), ==, json_array_get_length (before) + 1);
  {
    g_autofree char *toast = g_strdup_printf ("Bản sao lưu số %" G_GINT64_FORMAT,
                                              json_object_get_int_member (json_array_get_object_element (after, 0),
                                                                          "id"));

    g_assert_true (json_object_get_boolean_member (json_array_get_object_element (after, 0), "ok"));
    TEST_WAIT_UNTIL (app_test_has_label_containing (GTK_WIDGET (window), toast), 10);
  }
  check_shows (window, after);

  /* the newest opened: what it holds, table by table, as the server says */
  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    JsonObject *tables = json_object_get_object_member (json_array_get_object_element (after, 0), "tables");
    JsonObject *items = json_object_get_object_member (tables, "items");
    g_autofree char *count = saban_format_number (json_object_get_int_member (items, "rows"), 0);
    g_autofree char *text = g_strdup_printf ("%s dòng · mã kiểm tra %s", count,
                                             json_object_get_string_member (items, "checksum"));

    app_test_collect (GTK_WIDGET (window), ADW_TYPE_EXPANDER_ROW, NULL, rows);
    g_assert_cmpuint (rows->len, ==, json_array_get_length (after));
    adw_expander_row_set_expanded (g_ptr_array_index (rows, 0), TRUE);
    TEST_WAIT_UNTIL (app_test_has_label (GTK_WIDGET (window), text), 30);
    g_assert_true (app_test_has_label (GTK_WIDGET (window), "items"));
  }

  /* Check Again on the oldest: confirmed, checked on the server again */
  {
    JsonObject *oldest = json_array_get_object_element (after, json_array_get_length (after) - 1);
    gint64 id = json_object_get_int_member (oldest, "id");
    g_autofree char *toast = g_strdup_printf ("Bản sao lưu số %" G_GINT64_FORMAT " đã được khôi phục", id);
    g_autofree char *path = g_strdup_printf ("/admin/backups/%" G_GINT64_FORMAT, id);
    g_autofree char *verified = g_strdup (json_object_get_string_member (oldest, "verified"));
    g_autoptr(Resp) r = NULL;

    test_spin_ms (1100);  /* the server's times are to the second */
    answer (window, "backups.verify", g_variant_new_int64 (id), "go");
    g_assert_true (saban_backups_window_get_busy (window));
    TEST_WAIT_UNTIL (!saban_backups_window_get_busy (window), 120);
    TEST_WAIT_UNTIL (app_test_has_label_containing (GTK_WIDGET (window), toast), 10);
    r = test_request (backend->server, "GET", path, token, NULL, NULL, NULL);
    g_assert_cmpstr (json_object_get_string_member (resp_object (r), "verified"), !=, verified);
  }

  app_test_save_png_at (GTK_WIDGET (window), 1920, 1080, "screenshot-backups.png");
  app_test_save_png_at (GTK_WIDGET (window), 1366, 768, "screenshot-backups-1366.png");

  close_all (app);
  app_test_backend_free (backend);
}

static void
run_operator (void)
{
  g_autoptr(SabanApplication) app = NULL;
  AppTestBackend *backend = backend_with_backups ();

  if (backend == NULL)
    {
      g_test_skip ("mosquitto is not installed");
      return;
    }
  app = start_app (backend, "trucban");
  g_assert_cmpstr (saban_session_get_role (saban_application_get_session (app)), ==, "operator");
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "backups"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "backups", NULL);
  test_spin_ms (500);
  g_assert_null (app_test_find_toplevel (SABAN_TYPE_BACKUPS_WINDOW));
  close_all (app);
  app_test_backend_free (backend);
}

/* one application a process: each role in a fresh one */
static void
in_subprocess (void (*run) (void))
{
  if (g_test_subprocess ())
    {
      run ();
      return;
    }
  g_test_trap_subprocess (NULL, 240 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDOUT |
                                                      G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_operator (void)
{
  in_subprocess (run_operator);
}

static void
test_admin (void)
{
  in_subprocess (run_admin);
}

int
main (int argc, char *argv[])
{
  app_test_init (&argc, &argv);
  /* the simulator's alarms' desktop notifications find no notification
   * service on the test bus: GIO warns, which is not a failure here */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/app/backups/operator", test_operator);
  g_test_add_func ("/app/backups/admin", test_admin);
  return g_test_run ();
}
