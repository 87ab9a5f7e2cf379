/* Issue 15: the UI follows the signed-in role. In the real application, in
 * Vietnamese, against the real saban-server --demo and mosquitto: a leader,
 * an operator and a coordinator sign in in turn (the header names each);
 * what each may not do — launch a scenario, move the scenario, dispatch,
 * report, move a task — stays in sight, disabled, with who may in its
 * tooltip; what each may do is enabled, exactly as the command schema says.
 * Signing out ends the token on the server, forgets it here, and asks for
 * a sign-in. */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "app-test.h"
#include "saban-account-button.h"
#include "saban-application.h"
#include "saban-command-labels.h"
#include "saban-preferences-window.h"
#include "saban-scenario-window.h"
#include "saban-sign-in-dialog.h"
#include "saban-task-card.h"
#include "saban-window.h"

/* the first button under @root whose action is @action (or was, before a
 * refusal unbound it), or whose "status" (a board's scenario move) is
 * @status */
static GtkWidget *
find_button (GtkWidget *root, const char *action, const char *status)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  app_test_collect (root, GTK_TYPE_BUTTON, NULL, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *b = g_ptr_array_index (buttons, i);

      const char *bound = gtk_actionable_get_action_name (GTK_ACTIONABLE (b));

      if (bound == NULL)
        bound = g_object_get_data (G_OBJECT (b), "saban-action");
      if ((action != NULL && g_strcmp0 (bound, action) == 0) ||
          (status != NULL && g_strcmp0 (g_object_get_data (G_OBJECT (b), "status"), status) == 0))
        return b;
    }
  return NULL;
}

/* enabled exactly when @may; a refusal names the roles that may (in
 * Vietnamese) and the user's own */
static void
assert_offered (GtkWidget *button, gboolean may, const char *role)
{
  const char *tooltip = gtk_widget_get_tooltip_text (button);

  g_assert_nonnull (button);
  g_test_message ("%s “%s” for %s: %s, “%s”", G_OBJECT_TYPE_NAME (button),
                  GTK_IS_BUTTON (button) ? gtk_button_get_label (GTK_BUTTON (button)) : "", role,
                  gtk_widget_is_sensitive (button) ? "enabled" : "disabled", tooltip ? tooltip : "");
  g_assert_cmpint (gtk_widget_is_sensitive (button), ==, may);
  if (may)
    {
      g_assert_true (tooltip == NULL || strstr (tooltip, "bạn đang đăng nhập") == NULL);
      return;
    }
  g_assert_nonnull (tooltip);
  g_assert_nonnull (strstr (tooltip, saban_command_label_role (role)));
  g_assert_nonnull (strstr (tooltip, "Điều phối viên"));
}

/* what @role is offered on the main window and the board, from the schema */
static void
check_role (SabanWindow *window, SabanScenarioWindow *board, gint64 task_id, const char *role)
{
  GtkWidget *launch = find_button (GTK_WIDGET (window), "win.launch-scenario", NULL);
  g_autoptr(GPtrArray) cards = g_ptr_array_new ();
  SabanTaskCard *card = NULL;

  assert_offered (launch, saban_command_schema_may_write ("scenarios", SABAN_COMMAND_POST, role), role);
  assert_offered (find_button (GTK_WIDGET (board), NULL, "suspended"),
                  saban_command_schema_may_transition ("scenarios", "active", "suspended", role), role);
  assert_offered (find_button (GTK_WIDGET (board), "board.dispatch", NULL),
                  saban_command_schema_may_write ("tasks", SABAN_COMMAND_POST, role), role);
  assert_offered (find_button (GTK_WIDGET (board), "board.sitrep", NULL),
                  saban_command_schema_may_write ("sitreps", SABAN_COMMAND_POST, role), role);

  app_test_collect (GTK_WIDGET (board), SABAN_TYPE_TASK_CARD, NULL, cards);
  for (guint i = 0; i < cards->len; i++)
    if (saban_command_item_get_id (saban_task_card_get_task (g_ptr_array_index (cards, i))) == task_id)
      card = g_ptr_array_index (cards, i);
  g_assert_nonnull (card);
  assert_offered (find_button (GTK_WIDGET (card), "board.task-transition", NULL),
                  saban_command_schema_may_transition ("tasks", "pending", "assigned", role), role);
}

static void
sign_in_as (SabanSession *session, const char *account, const char *role)
{
  SabanConnection *c = saban_session_get_connection (session);

  saban_session_sign_in (session, account, "saban-demo", FALSE);
  TEST_WAIT_UNTIL (saban_connection_get_signed_in (c) && g_strcmp0 (saban_session_get_role (session), role) == 0, 30);
}

static gint64
post_task (TestServer *server, const char *token, gint64 scenario)
{
  g_autofree char *body = g_strdup_printf ("{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"scenarioId\":%"
                                           G_GINT64_FORMAT ",\"title\":\"Kiểm tra đê bao\"}}", scenario);
  g_autoptr(Resp) r = test_request (server, "POST", "/collections/tasks/items", token, "application/json", body, NULL);

  g_assert_cmpuint (r->status, ==, 201);
  return json_object_get_int_member (resp_object (r), "id");
}

static guint
me_status (TestServer *server, const char *token)
{
  g_autoptr(Resp) r = test_request (server, "GET", "/auth/me", token, NULL, NULL, NULL);

  return r->status;
}

/* the button labelled @label under @root can be pressed */
static gboolean
button_enabled (GtkWidget *root, const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  app_test_collect (root, GTK_TYPE_BUTTON, NULL, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      return gtk_widget_is_sensitive (g_ptr_array_index (buttons, i));
  g_assert_not_reached ();
}

static void
test_roles (void)
{
  g_autoptr(SabanApplication) app = NULL;
  g_autofree char *coordinator = NULL, *token = NULL;
  AppTestBackend *backend;
  SabanSession *session;
  SabanCommandClient *client;
  SabanCommandItem *scenario;
  SabanScenarioWindow *board;
  SabanWindow *window;
  GtkWidget *header;
  gint64 scenario_id, task_id;

  backend = app_test_backend_start ("roles.db");
  if (backend == NULL)
    {
      g_test_skip ("mosquitto is not installed");
      return;
    }
  coordinator = test_login (backend->server, "dieuphoi");
  scenario_id = test_scenario_create (backend->server, coordinator, "Lũ quét xã Bảo Yên");
  task_id = post_task (backend->server, coordinator, scenario_id);

  /* a leader's workstation */
  app_test_backend_setenv (backend, TRUE, "lanhdao");
  app = saban_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  session = saban_application_get_session (app);
  client = saban_session_get_command_client (session);
  window = saban_window_new (GTK_APPLICATION (app), session);
  gtk_window_present (GTK_WINDOW (window));
  TEST_WAIT_UNTIL (g_strcmp0 (saban_session_get_role (session), "leader") == 0 &&
                   saban_command_client_get_state (client) == SABAN_FEED_STATE_LIVE &&
                   saban_command_store_lookup (saban_command_client_get_store (client), SABAN_COMMAND_TASKS,
                                               task_id) != NULL, 30);
  header = app_test_find (GTK_WIDGET (window), SABAN_TYPE_ACCOUNT_BUTTON, NULL);
  g_assert_nonnull (header);
  g_assert_true (app_test_has_label (header, "lanhdao"));
  g_assert_true (app_test_has_label (header, "Lãnh đạo"));

  scenario = saban_command_store_lookup (saban_command_client_get_store (client), SABAN_COMMAND_SCENARIOS, scenario_id);
  board = saban_scenario_window_show (GTK_APPLICATION (app), session, scenario);
  check_role (window, board, task_id, "leader");
  app_test_save_png (GTK_WIDGET (board), "roles-leader-board.png");

  /* the operator who takes over the desk */
  sign_in_as (session, "trucban", "operator");
  g_assert_true (app_test_has_label (header, "trucban"));
  g_assert_true (app_test_has_label (header, "Cán bộ trực ban"));
  check_role (window, board, task_id, "operator");

  /* the coordinator: everything the board has */
  sign_in_as (session, "dieuphoi", "coordinator");
  check_role (window, board, task_id, "coordinator");

  /* Preferences' sign-out is the application's action: it works there too */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  TEST_WAIT_UNTIL (app_test_find_toplevel (SABAN_TYPE_PREFERENCES_WINDOW) != NULL, 10);
  g_assert_true (button_enabled (app_test_find_toplevel (SABAN_TYPE_PREFERENCES_WINDOW), "Đăng _xuất"));
  gtk_window_destroy (GTK_WINDOW (app_test_find_toplevel (SABAN_TYPE_PREFERENCES_WINDOW)));

  /* signing out: the server ends the token, the client forgets it and asks */
  token = g_strdup (saban_connection_get_token (saban_session_get_connection (session)));
  g_assert_nonnull (token);
  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-out", NULL);
  g_assert_null (saban_connection_get_token (saban_session_get_connection (session)));
  g_assert_null (saban_api_get_token (saban_session_get_api (session)));
  g_assert_null (saban_session_get_role (session));
  TEST_WAIT_UNTIL (app_test_find_toplevel (SABAN_TYPE_SIGN_IN_DIALOG) != NULL, 10);
  g_assert_true (app_test_has_label (header, "Chưa đăng nhập"));
  g_assert_true (app_test_has_label (header, "Đăng nhập"));
  TEST_WAIT_UNTIL (me_status (backend->server, token) == 401, 10);
  /* with no role known, nothing is refused here: the server decides */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sign-out"));

  gtk_window_destroy (GTK_WINDOW (app_test_find_toplevel (SABAN_TYPE_SIGN_IN_DIALOG)));
  gtk_window_destroy (GTK_WINDOW (board));
  gtk_window_destroy (GTK_WINDOW (window));
  app_test_backend_free (backend);
}

int
main (int argc, char *argv[])
{
  app_test_init (&argc, &argv);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/app/roles", test_roles);
  return g_test_run ();
}
