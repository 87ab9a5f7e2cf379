/* The scenario workspace in the real application, in Vietnamese, against
 * the real saban-server --demo and a real mosquitto: a flash-flood scenario
 * (playbook lu-quet-sat-lo) is launched through the client core, its board
 * opened; checklist and hand-written tasks are dispatched and moved through
 * their states by the board's own actions; the log grows; a situation
 * report is written; a change a colleague made first (another account, over
 * REST) raises the conflict dialog, and both of its answers work; closing is
 * refused while tasks are open; the closed scenario replays, on the board
 * and on the main window's map. A task's place is picked on the map (and
 * the pick given up with Escape), a live responder unit is assigned, and
 * its card shows how far the unit is. Screenshots of the board, the dialogs
 * and the map are left in the build directory. */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "app-test.h"
#include "saban-application.h"
#include "saban-command-schema.h"
#include "saban-command-notifier.h"
#include "saban-conflict-dialog.h"
#include "saban-coordinate.h"
#include "saban-format.h"
#include "saban-impact.h"
#include "saban-scenario-area.h"
#include "saban-scenario-window.h"
#include "saban-sitrep-dialog.h"
#include "saban-task-card.h"
#include "saban-task-dialog.h"
#include "saban-window.h"

/* what a wait that timed out shows: the writes still on their way */
static char *
pending_note (void)
{
  return g_strdup_printf ("(%u changes pending)",
                          saban_command_client_get_pending (saban_session_get_command_client (
                            saban_application_get_session (SABAN_APPLICATION (g_application_get_default ())))));
}

static guint
column_size (SabanScenarioWindow *board, const char *status)
{
  return g_list_model_get_n_items (saban_scenario_window_get_column (board, status));
}

static JsonObject *
server_task (TestServer *server, const char *token, gint64 id, gint64 *version)
{
  g_autofree char *url = g_strdup_printf ("%s/collections/tasks/items/%" G_GINT64_FORMAT, server->base, id);
  Resp *r = test_http ("GET", url, token, NULL, NULL, NULL);
  JsonObject *props;

  g_assert_cmpuint (r->status, ==, 200);
  props = json_object_ref (resp_props (r));
  if (version != NULL)
    *version = json_object_get_int_member (props, "version");
  resp_free (r);
  return props;
}

/* a colleague (another account) changes a task over REST */
static void
colleague_patch (TestServer *server, const char *token, gint64 id, const char *properties)
{
  g_autofree char *url = g_strdup_printf ("%s/collections/tasks/items/%" G_GINT64_FORMAT, server->base, id);
  g_autofree char *body = g_strdup_printf ("{\"properties\":%s}", properties);
  g_autofree char *if_match = NULL;
  g_autoptr(JsonObject) props = NULL;
  gint64 version;
  g_autoptr(Resp) r = NULL;

  props = server_task (server, token, id, &version);
  if_match = g_strdup_printf ("\"v%" G_GINT64_FORMAT "\"", version);
  r = test_http ("PATCH", url, token, "application/json", body,
                 (const char *const[]) { "If-Match", if_match, NULL });
  g_assert_cmpuint (r->status, ==, 200);
}

static SabanConflictDialog *
wait_conflict_dialog (SabanCommandClient *client)
{
  TEST_WAIT_UNTIL (g_list_model_get_n_items (saban_command_client_get_conflicts (client)) == 1 &&
                   app_test_find_toplevel (SABAN_TYPE_CONFLICT_DIALOG) != NULL, 30);
  return SABAN_CONFLICT_DIALOG (app_test_find_toplevel (SABAN_TYPE_CONFLICT_DIALOG));
}

/* A desktop notification server on the test's session bus, recording the
 * summaries it is asked to show. */
static GPtrArray *notifications;

static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "<arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
  "</interface></node>";

static void
notifications_call (GDBusConnection *connection, const char *sender, const char *path, const char *interface,
                    const char *method, GVariant *parameters, GDBusMethodInvocation *invocation, gpointer data)
{
  if (g_str_equal (method, "Notify"))
    {
      const char *summary;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_ptr_array_add (notifications, g_strdup (summary));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notifications->len));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new_parsed ("(@as [],)"));
  else if (g_str_equal (method, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "test", "saban", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
start_notification_server (void)
{
  static const GDBusInterfaceVTable vtable = { notifications_call };
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GVariant) reply = NULL;

  g_assert_nonnull (bus);
  notifications = g_ptr_array_new_with_free_func (g_free);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0], &vtable, NULL, NULL,
                                     NULL);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "RequestName", g_variant_new ("(su)", "org.freedesktop.Notifications", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  g_assert_nonnull (reply);
}

/* a click on the main window's map, through the view's own gesture */
static void
click_map (SabanWindow *window, double x, double y, double *lat, double *lon)
{
  SabanMapView *view = saban_window_get_map_view (window);
  GtkWidget *map = gtk_widget_get_first_child (GTK_WIDGET (view));
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (map);

  shumate_viewport_widget_coords_to_location (saban_map_view_get_viewport (view), map, x, y, lat, lon);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (c) &&
          g_signal_handler_find (c, G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_DATA, g_signal_lookup ("released", G_OBJECT_TYPE (c)),
                                 0, NULL, NULL, view) != 0)
        {
          g_signal_emit_by_name (c, "released", 1, x, y);
          return;
        }
    }
  g_assert_not_reached ();
}

static SabanTaskCard *
find_card (SabanScenarioWindow *board, SabanCommandItem *task)
{
  g_autoptr(GPtrArray) cards = g_ptr_array_new ();

  app_test_collect (GTK_WIDGET (board), SABAN_TYPE_TASK_CARD, NULL, cards);
  for (guint i = 0; i < cards->len; i++)
    if (saban_task_card_get_task (g_ptr_array_index (cards, i)) == task)
      return g_ptr_array_index (cards, i);
  return NULL;
}

static void
assert_same_moves (GPtrArray *offered, const char *const *allowed)
{
  g_assert_nonnull (allowed);
  g_assert_cmpuint (offered->len, ==, g_strv_length ((char **) allowed));
  for (guint i = 0; i < offered->len; i++)
    g_assert_true (g_strv_contains (allowed, g_ptr_array_index (offered, i)));
}

/* The board offers the scenario and each task exactly the moves the
 * command schema — the server's rules — allows from where it stands. */
static void
assert_offers_schema (SabanScenarioWindow *board, SabanCommandItem *scenario)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GPtrArray) cards = g_ptr_array_new ();
  g_autoptr(GPtrArray) offered = g_ptr_array_new_with_free_func (g_free);

  app_test_collect (GTK_WIDGET (board), GTK_TYPE_BUTTON, NULL, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_object_get_data (g_ptr_array_index (buttons, i), "status") != NULL)
      g_ptr_array_add (offered, g_strdup (g_object_get_data (g_ptr_array_index (buttons, i), "status")));
  assert_same_moves (offered, saban_command_schema_get_next_states ("scenarios",
                                                                    saban_command_item_get_status (scenario)));

  app_test_collect (GTK_WIDGET (board), SABAN_TYPE_TASK_CARD, NULL, cards);
  g_assert_cmpuint (cards->len, >, 0);
  for (guint c = 0; c < cards->len; c++)
    {
      SabanCommandItem *task = saban_task_card_get_task (g_ptr_array_index (cards, c));

      g_ptr_array_set_size (offered, 0);
      g_ptr_array_set_size (buttons, 0);
      app_test_collect (g_ptr_array_index (cards, c), GTK_TYPE_BUTTON, NULL, buttons);
      for (guint i = 0; i < buttons->len; i++)
        {
          GtkActionable *button = g_ptr_array_index (buttons, i);
          const char *to;

          if (g_strcmp0 (gtk_actionable_get_action_name (button), "board.task-transition") != 0)
            continue;
          g_variant_get (gtk_actionable_get_action_target_value (button), "(x&s)", NULL, &to);
          g_ptr_array_add (offered, g_strdup (to));
        }
      assert_same_moves (offered, saban_command_schema_get_next_states ("tasks", saban_command_item_get_status (task)));
    }
}

/* a move the board asks about first: asked, then confirmed */
static void
confirm_move (SabanScenarioWindow *board, SabanCommandItem *task, const char *status)
{
  GtkWidget *dialog;

  g_assert_false (saban_scenario_window_move_task (board, task, status));
  TEST_WAIT_UNTIL ((dialog = app_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL, 10);
  g_assert_true (app_test_has_label_containing (dialog, saban_command_item_get_title (task)));
  /* answered, it closes itself */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "confirm");
}

/* the text the dialog offers for @unit: its name and code, then how far */
static const char *
offered_unit (SabanTaskDialog *dialog, const char *unit_text)
{
  GPtrArray *offered = saban_task_dialog_get_assignees (dialog);

  for (guint i = 0; i < offered->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (offered, i), unit_text))
      return g_ptr_array_index (offered, i);
  return NULL;
}

static guint
tasks_on_map (SabanWindow *window, guint *areas)
{
  SabanScenarioLayer *layer = saban_map_view_get_scenario_layer (saban_window_get_map_view (window));
  guint n_tasks = 0;

  gtk_widget_queue_draw (GTK_WIDGET (layer));
  test_spin_ms (150);
  *areas = saban_scenario_layer_get_n_drawn (layer, &n_tasks);
  return n_tasks;
}

static gboolean
notified (const char *text)
{
  for (guint i = 0; i < notifications->len; i++)
    if (strstr (g_ptr_array_index (notifications, i), text) != NULL)
      return TRUE;
  return FALSE;
}

static const char *
status_on_server (TestServer *server, const char *token, gint64 id)
{
  g_autofree char *path = g_strdup_printf ("/collections/scenarios/items/%" G_GINT64_FORMAT, id);
  g_autoptr(Resp) r = test_request (server, "GET", path, token, NULL, NULL, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return g_intern_string (json_object_get_string_member (resp_props (r), "status"));
}

/* the right edge of the board's last column, in the window */
static double
columns_right_edge (SabanScenarioWindow *board)
{
  g_autoptr(GPtrArray) boxes = g_ptr_array_new ();
  double right = 0;

  app_test_collect (GTK_WIDGET (board), GTK_TYPE_BOX, NULL, boxes);
  for (guint i = 0; i < boxes->len; i++)
    {
      graphene_rect_t r;

      if (gtk_widget_has_css_class (g_ptr_array_index (boxes, i), "board-column-box") &&
          gtk_widget_compute_bounds (g_ptr_array_index (boxes, i), GTK_WIDGET (board), &r))
        right = MAX (right, r.origin.x + r.size.width);
    }
  return right;
}

/* The control room's board (issue 15): a scenario launched with its
 * checklist (dispatched to the items' agencies, as the launch panel does)
 * and activated; the board opened from the header at 1366×768 shows it
 * (the most recent active one) with every column on screen and no
 * checklist item twice, on the board or offered again in the dispatch
 * dialog; cancelling it asks first, naming it, and sends nothing until
 * confirmed; then the toast says what happened. */
static void
control_room_board (SabanApplication *app, SabanCommandClient *client, SabanCommandItem *playbook,
                    const SabanUnit *unit, TestServer *server, const char *token)
{
  SabanSession *session = saban_application_get_session (app);
  g_autoptr(JsonNode) area = saban_scenario_area_circle (unit->lon + 0.05, unit->lat + 0.03, 2500, 64);
  g_autoptr(JsonObject) extra = json_object_new ();
  JsonArray *checklist = json_object_get_array_member (saban_command_item_get_properties (playbook), "tasks");
  g_autoptr(GHashTable) titles = g_hash_table_new (g_str_hash, g_str_equal);
  SabanCommandItem *flood;
  SabanScenarioWindow *board;
  SabanTaskDialog *dialog;
  GListModel *waiting;
  GtkWidget *ask;

  json_object_set_string_member (extra, "severity", "Extreme");
  flood = saban_command_client_create_scenario (client, playbook, "Sạt lở đất thôn Nậm Sài", area, extra, NULL);
  g_assert_nonnull (flood);
  for (guint i = 0; i < json_array_get_length (checklist); i++)
    g_assert_nonnull (saban_command_client_create_checklist_task (client, flood, playbook, i, NULL));
  g_assert_true (saban_command_client_set_status (client, flood, "active", NULL));
  TEST_WAIT_UNTIL (saban_command_client_get_pending (client) == 0 &&
                   g_strcmp0 (saban_command_item_get_status (flood), "active") == 0, 30);

  /* from the header's button: no scenario named */
  board = saban_scenario_window_show (GTK_APPLICATION (app), session, NULL);
  gtk_window_set_default_size (GTK_WINDOW (board), 1366, 768);
  TEST_WAIT_UNTIL (saban_scenario_window_get_scenario (board) == flood, 10);
  app_test_save_png (GTK_WIDGET (board), "screenshot-board-1366.png");
  g_test_message ("1366 px: the last column ends at %.0f px", columns_right_edge (board));
  g_assert_cmpfloat (columns_right_edge (board), <=, gtk_widget_get_width (GTK_WIDGET (board)));
  g_assert_cmpfloat (columns_right_edge (board), >, 1000);
  /* nothing lies over the columns: a side pane folded is hidden, one
   * beside them starts where they end */
  {
    g_autoptr(GPtrArray) flaps = g_ptr_array_new ();

    app_test_collect (GTK_WIDGET (board), ADW_TYPE_FLAP, NULL, flaps);
    g_assert_cmpuint (flaps->len, ==, 2);
    for (guint i = 0; i < flaps->len; i++)
      {
        AdwFlap *flap = g_ptr_array_index (flaps, i);
        graphene_rect_t r;

        g_assert_false (adw_flap_get_folded (flap) && adw_flap_get_reveal_flap (flap));
        if (adw_flap_get_reveal_flap (flap) && adw_flap_get_flap_position (flap) == GTK_PACK_END &&
            gtk_widget_compute_bounds (adw_flap_get_flap (flap), GTK_WIDGET (board), &r))
          g_assert_cmpfloat (columns_right_edge (board), <=, r.origin.x);
      }
  }

  /* each checklist item once on the board, and not offered again */
  waiting = saban_scenario_window_get_column (board, "pending");
  TEST_WAIT_UNTIL (g_list_model_get_n_items (waiting) == json_array_get_length (checklist), 10);
  for (guint i = 0; i < g_list_model_get_n_items (waiting); i++)
    {
      g_autoptr(SabanCommandItem) t = g_list_model_get_item (waiting, i);
      g_assert_true (g_hash_table_add (titles, (gpointer) saban_command_item_get_title (t)));
    }
  dialog = SABAN_TASK_DIALOG (saban_task_dialog_new (GTK_WINDOW (board), session, flood));
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
    guint marked = 0;

    app_test_collect (GTK_WIDGET (dialog), GTK_TYPE_MENU_BUTTON, NULL, buttons);
    /* one "Dispatch…" per item, each shown as dispatched */
    g_assert_cmpuint (buttons->len, ==, json_array_get_length (checklist));
    for (guint i = 0; i < buttons->len; i++)
      marked += !gtk_widget_get_sensitive (g_ptr_array_index (buttons, i));
    g_assert_cmpuint (marked, ==, json_array_get_length (checklist));
  }
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* cancel: asked first; "do nothing" sends nothing */
  g_assert_false (saban_scenario_window_move_scenario (board, "cancelled"));
  TEST_WAIT_UNTIL ((ask = app_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL, 10);
  g_assert_true (app_test_has_label_containing (ask, "Hủy kịch bản “Sạt lở đất thôn Nậm Sài”?"));
  g_assert_true (app_test_has_label_containing (ask, "không thể hoàn tác"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (ask), "keep");
  test_spin_ms (200);
  g_assert_cmpuint (saban_command_client_get_pending (client), ==, 0);
  g_assert_cmpstr (saban_command_item_get_status (flood), ==, "active");
  g_assert_cmpstr (status_on_server (server, token, saban_command_item_get_id (flood)), ==, "active");
  /* confirmed: cancelled on the server, and said so */
  g_assert_false (saban_scenario_window_move_scenario (board, "cancelled"));
  TEST_WAIT_UNTIL ((ask = app_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL, 10);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (ask), "confirm");
  TEST_WAIT_UNTIL (g_strcmp0 (status_on_server (server, token, saban_command_item_get_id (flood)), "cancelled") == 0 &&
                   !saban_command_item_get_pending (flood), 30);
  TEST_WAIT_UNTIL (app_test_has_label_containing (GTK_WIDGET (board), "Đã hủy kịch bản “Sạt lở đất thôn Nậm Sài”"), 10);
  gtk_window_destroy (GTK_WINDOW (board));
}

static void
test_scenario_board (void)
{
  g_autofree char *other = NULL;
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(SabanApplication) app = NULL;
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autoptr(GFile) demo = g_file_new_for_path (g_getenv ("SABAN_DEMO_DATA"));
  g_autoptr(JsonObject) final = NULL;
  SabanCommandClient *client;
  SabanCommandStore *store;
  SabanCommandItem *playbook, *scenario, *t_warn, *t_block, *t_rescue, *t_manual, *t_picked = NULL;
  SabanUnitStore *units;
  const SabanUnit *unit;
  g_autofree char *unit_text = NULL;
  g_autoptr(JsonNode) area = NULL;
  double picked_lat, picked_lon;
  guint areas;
  SabanScenarioWindow *board;
  SabanTaskDialog *dialog;
  SabanSitrepDialog *sitrep;
  SabanConflictDialog *conflict;
  SabanWindow *main_window;
  GtkAdjustment *adjustment;
  AppTestBackend *backend;
  TestServer *server;
  guint log_rows;
  gint64 version;

  backend = app_test_backend_start ("board.db");
  if (backend == NULL)
    {
      g_test_skip ("mosquitto is not installed");
      return;
    }
  server = backend->server;
  other = test_login (server, "trucban");

  /* the application as `sa-ban run` starts it, signed in as the coordinator */
  app_test_backend_setenv (backend, TRUE, NULL);
  g_settings_set_string (settings, "account", "dieuphoi");
  app = saban_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  client = saban_session_get_command_client (saban_application_get_session (app));
  g_assert_nonnull (client);
  store = saban_command_client_get_store (client);
  TEST_WAIT_UNTIL (saban_command_client_get_loaded (client) &&
                   saban_command_client_get_state (client) == SABAN_FEED_STATE_LIVE, 30);

  /* the map stays in the main window */
  main_window = saban_window_new (GTK_APPLICATION (app), saban_application_get_session (app));
  saban_window_open_demo (main_window, demo);
  gtk_window_present (GTK_WINDOW (main_window));
  TEST_WAIT_UNTIL (!saban_window_get_loading (main_window), 30);
  /* the responder units on duty, live from SensorThings */
  units = saban_session_get_units (saban_application_get_session (app));
  TEST_WAIT_UNTIL (saban_unit_store_get_n_units (units) > 0, 30);
  unit = saban_unit_store_get_unit (units, 0);
  g_assert_nonnull (unit->code);
  unit_text = g_strdup_printf ("%s (%s)", unit->name, unit->code);

  /* the flash-flood scenario, launched through the client core, around the
   * first unit's base */
  playbook = saban_command_store_find_playbook (store, "lu-quet-sat-lo");
  g_assert_nonnull (playbook);
  json_object_set_string_member (extra, "severity", "Severe");
  json_object_set_string_member (extra, "description",
                                 "Mưa lớn kéo dài, nguy cơ lũ quét và sạt lở đất tại các xã vùng cao phía tây tỉnh.");
  area = saban_scenario_area_circle (unit->lon, unit->lat, 3000, 64);
  scenario = saban_command_client_create_scenario (client, playbook, "Lũ quét, sạt lở đất xã Bản Xèo", area, extra,
                                                   NULL);
  g_assert_nonnull (scenario);
  board = saban_scenario_window_show (GTK_APPLICATION (app), saban_application_get_session (app), scenario);
  gtk_window_set_default_size (GTK_WINDOW (board), 1900, 1000);
  TEST_WAIT_UNTIL (saban_command_item_get_id (scenario) > 0 && !saban_command_item_get_pending (scenario), 30);
  g_assert_true (saban_scenario_window_move_scenario (board, "active"));
  TEST_WAIT_UNTIL (g_strcmp0 (saban_command_item_get_status (scenario), "active") == 0 &&
                   !saban_command_item_get_pending (scenario), 30);

  /* dispatch: three checklist items, each given to someone (an agency, a
   * unit), and one written by hand; the units on duty are offered nearest
   * to the scenario first, with their distance */
  dialog = SABAN_TASK_DIALOG (saban_task_dialog_new (GTK_WINDOW (board), saban_application_get_session (app), scenario));
  gtk_window_present (GTK_WINDOW (dialog));
  {
    GPtrArray *offered = saban_task_dialog_get_assignees (dialog);
    const char *nearest = offered_unit (dialog, unit_text);

    g_test_message ("nearest unit offered: %s", nearest);
    g_assert_nonnull (nearest);
    /* with its distance ("· 350 m", "· 1,2 km") */
    g_assert_nonnull (strstr (nearest, " · "));
    /* the area is around the first unit's base: it comes first of the units */
    for (guint i = 0; i < offered->len && g_ptr_array_index (offered, i) != nearest; i++)
      g_assert_null (strstr (g_ptr_array_index (offered, i), " · "));
    t_warn = saban_task_dialog_dispatch_checklist (dialog, 0, "UBND xã");
    t_block = saban_task_dialog_dispatch_checklist (dialog, 1, "Công an tỉnh");
    t_rescue = saban_task_dialog_dispatch_checklist (dialog, 3, nearest);
  }
  g_assert_nonnull (t_warn);
  g_assert_nonnull (t_block);
  g_assert_nonnull (t_rescue);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     saban_command_item_get_properties (t_rescue), "assignee"), "id"), ==, unit->code);
  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    g_autoptr(GPtrArray) combos = g_ptr_array_new ();
    g_autofree char *place = saban_coordinate_format (unit->lat + 0.005, unit->lon - 0.012);

    app_test_collect (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, NULL, rows);
    gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, 0)), "Kiểm tra hồ đập thủy điện Ngòi Hút");
    gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, 1)), "Báo cáo mực nước và tình trạng đập mỗi giờ");
    gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, 2)), place);
    app_test_collect (GTK_WIDGET (dialog), GTK_TYPE_COMBO_BOX_TEXT, NULL, combos);
    gtk_editable_set_text (GTK_EDITABLE (gtk_combo_box_get_child (g_ptr_array_index (combos, 0))),
                           "Đội cứu hộ DV-002");
  }
  app_test_save_png (GTK_WIDGET (dialog), "screenshot-task-dialog.png");
  g_assert_true (saban_task_dialog_submit (dialog));
  TEST_WAIT_UNTIL (saban_command_client_get_pending (client) == 0, 30);
  /* dispatched is given: every one in "Đã giao", none left waiting */
  TEST_WAIT_UNTIL (column_size (board, "assigned") == 4, 30);
  g_assert_cmpuint (column_size (board, "pending"), ==, 0);
  t_manual = NULL;
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(SabanCommandItem) t = g_list_model_get_item (saban_scenario_window_get_column (board, "assigned"), i);
      if (g_strcmp0 (saban_command_item_get_title (t), "Kiểm tra hồ đập thủy điện Ngòi Hút") == 0)
        t_manual = t;
    }
  g_assert_nonnull (t_manual);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     saban_command_item_get_properties (t_manual), "assignee"), "name"), ==, "Đội cứu hộ DV-002");
  g_assert_nonnull (saban_command_item_get_geometry (t_manual));

  /* a place picked on the main window's map: the dialog steps aside;
   * Escape gives the pick up and the place stays empty */
  saban_map_view_center_on (saban_window_get_map_view (main_window), unit->lat + 0.012, unit->lon + 0.006, 14);
  dialog = SABAN_TASK_DIALOG (saban_task_dialog_new (GTK_WINDOW (board), saban_application_get_session (app), scenario));
  gtk_window_present (GTK_WINDOW (dialog));
  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();

    app_test_collect (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, NULL, rows);
    gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, 0)), "Trinh sát điểm sạt lở taluy dương");
    saban_task_dialog_pick_place (dialog);
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
    g_assert_true (app_test_has_label_containing (GTK_WIDGET (main_window), "Esc"));
    g_action_group_activate_action (G_ACTION_GROUP (main_window), "tool", g_variant_new_string ("select"));
    TEST_WAIT_UNTIL (gtk_widget_get_visible (GTK_WIDGET (dialog)), 30);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (g_ptr_array_index (rows, 2))), ==, "");

    saban_task_dialog_pick_place (dialog);
    test_spin_ms (200);
    click_map (main_window, gtk_widget_get_width (GTK_WIDGET (saban_window_get_map_view (main_window))) / 2.0,
               gtk_widget_get_height (GTK_WIDGET (saban_window_get_map_view (main_window))) / 2.0,
               &picked_lat, &picked_lon);
    TEST_WAIT_UNTIL (gtk_widget_get_visible (GTK_WIDGET (dialog)), 30);
    {
      g_autofree char *expected = saban_coordinate_format (picked_lat, picked_lon);
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (g_ptr_array_index (rows, 2))), ==, expected);
    }
    {
      g_autoptr(GPtrArray) scrolled = g_ptr_array_new ();
      GtkAdjustment *v;

      app_test_collect (GTK_WIDGET (dialog), GTK_TYPE_SCROLLED_WINDOW, NULL, scrolled);
      v = gtk_scrolled_window_get_vadjustment (g_ptr_array_index (scrolled, 0));
      test_spin_ms (100);
      gtk_adjustment_set_value (v, gtk_adjustment_get_upper (v));
      app_test_save_png (GTK_WIDGET (dialog), "screenshot-task-place.png");
    }
  }
  g_assert_true (saban_task_dialog_submit (dialog));
  TEST_WAIT_UNTIL (saban_command_client_get_pending (client) == 0 && column_size (board, "pending") == 1, 30);
  for (guint i = 0; i < 1; i++)
    {
      g_autoptr(SabanCommandItem) t = g_list_model_get_item (saban_scenario_window_get_column (board, "pending"), i);
      if (g_strcmp0 (saban_command_item_get_title (t), "Trinh sát điểm sạt lở taluy dương") == 0)
        t_picked = t;
    }
  g_assert_nonnull (t_picked);
  {
    double lon, lat;

    g_assert_true (saban_command_item_get_point (t_picked, &lon, &lat));
    g_assert_cmpfloat_with_epsilon (lat, picked_lat, 1e-6);
    g_assert_cmpfloat_with_epsilon (lon, picked_lon, 1e-6);
  }
  /* both placed tasks show on the map, the typed one and the picked one */
  g_assert_cmpuint (tasks_on_map (main_window, &areas), ==, 2);
  g_assert_cmpuint (areas, ==, 1);

  /* nobody does it yet: "Giao" opens the assign dialog, which offers the
   * live units; the unit chosen is stored as a unit, by its code */
  g_assert_false (saban_scenario_window_move_task (board, t_picked, "assigned"));
  TEST_WAIT_UNTIL (app_test_find_toplevel (SABAN_TYPE_TASK_DIALOG) != NULL, 30);
  dialog = SABAN_TASK_DIALOG (app_test_find_toplevel (SABAN_TYPE_TASK_DIALOG));
  {
    g_autoptr(GPtrArray) combos = g_ptr_array_new ();
    GtkTreeModel *offered;
    GtkTreeIter iter;
    gboolean found = FALSE;

    app_test_collect (GTK_WIDGET (dialog), GTK_TYPE_COMBO_BOX_TEXT, NULL, combos);
    offered = gtk_combo_box_get_model (g_ptr_array_index (combos, 0));
    for (gboolean ok = gtk_tree_model_get_iter_first (offered, &iter); ok; ok = gtk_tree_model_iter_next (offered, &iter))
      {
        g_autofree char *text = NULL;
        gtk_tree_model_get (offered, &iter, 0, &text, -1);
        found |= g_strcmp0 (text, offered_unit (dialog, unit_text)) == 0;
      }
    g_assert_true (found);
    gtk_editable_set_text (GTK_EDITABLE (gtk_combo_box_get_child (g_ptr_array_index (combos, 0))),
                           offered_unit (dialog, unit_text));
  }
  app_test_save_png (GTK_WIDGET (dialog), "screenshot-assign-unit.png");
  g_assert_true (saban_task_dialog_submit (dialog));
  TEST_WAIT_UNTIL (saban_command_client_get_pending (client) == 0 && column_size (board, "assigned") == 5, 30);
  {
    JsonObject *assignee = json_object_get_object_member (saban_command_item_get_properties (t_picked), "assignee");
    SabanTaskCard *card;
    double metres = saban_unit_store_distance_to (units, unit->code, picked_lon, picked_lat);
    g_autofree char *km = g_strdup_printf ("%.1f", metres / 1000);

    g_assert_cmpstr (json_object_get_string_member (assignee, "type"), ==, "unit");
    g_assert_cmpstr (json_object_get_string_member (assignee, "id"), ==, unit->code);
    g_assert_cmpstr (json_object_get_string_member (assignee, "name"), ==, unit->name);
    TEST_WAIT_UNTIL ((card = find_card (board, t_picked)) != NULL, 30);
    g_test_message ("distance shown: %s", saban_task_card_get_distance_text (card));
    g_assert_nonnull (saban_task_card_get_distance_text (card));
    g_assert_nonnull (strstr (saban_task_card_get_distance_text (card), "km"));
    g_assert_nonnull (strstr (saban_task_card_get_distance_text (card), "Cách"));
    g_assert_cmpfloat (metres, >, 500);
    g_assert_cmpfloat (metres, <, 5000);
    *strchr (km, '.') = ',';
    g_assert_nonnull (strstr (saban_task_card_get_distance_text (card), km));
  }

  /* through the board's own actions: the buttons' action, then the handler */
  log_rows = saban_scenario_window_get_n_log_rows (board);
  gtk_widget_activate_action (GTK_WIDGET (board), "board.task-transition", "(xs)",
                              saban_command_item_get_id (t_warn), "accepted");
  TEST_WAIT_UNTIL (g_strcmp0 (saban_command_item_get_status (t_warn), "accepted") == 0 &&
                   !saban_command_item_get_pending (t_warn), 30);
  g_assert_true (saban_scenario_window_move_task (board, t_warn, "in_progress"));
  TEST_WAIT_UNTIL (saban_command_client_get_pending (client) == 0 && column_size (board, "in_progress") == 1 &&
                   column_size (board, "assigned") == 4, 30);
  g_assert_true (saban_scenario_window_move_task (board, t_manual, "accepted"));
  g_assert_true (saban_scenario_window_move_task (board, t_manual, "in_progress"));
  g_assert_true (saban_scenario_window_move_task (board, t_manual, "paused"));
  TEST_WAIT_UNTIL (saban_command_client_get_pending (client) == 0 && column_size (board, "paused") == 1, 30);
  /* the log, newest at the top, grew by each move */
  g_test_message ("log rows %u then %u", log_rows, saban_scenario_window_get_n_log_rows (board));
  TEST_WAIT_UNTIL (saban_scenario_window_get_n_log_rows (board) >= log_rows + 5, 30);
  /* each entry is fetched after its notice: an earlier one may have been among the five */
  TEST_WAIT_UNTIL (app_test_has_label_containing (GTK_WIDGET (board), "đang thực hiện → tạm dừng"), 30);
  g_assert_true (app_test_has_label_containing (GTK_WIDGET (board), "chờ → đã giao"));
  g_assert_true (app_test_has_label_containing (GTK_WIDGET (board), "Kịch bản được tạo (dự thảo)"));
  g_assert_true (app_test_has_label_containing (GTK_WIDGET (board), "Kịch bản: dự thảo → đang triển khai"));
  g_assert_true (app_test_has_label_containing (GTK_WIDGET (board), "đang thực hiện → tạm dừng"));
  assert_offers_schema (board, scenario);

  /* overdue: the colleague brings the warning task's due time forward */
  colleague_patch (server, other, saban_command_item_get_id (t_warn), "{\"dueAt\":\"2020-01-01T00:00:00Z\"}");
  TEST_WAIT_UNTIL (saban_command_item_get_time (t_warn, "dueAt") < g_get_real_time (), 30);
  saban_scenario_window_refresh_overdue (board);
  g_assert_true (app_test_has_label_containing (GTK_WIDGET (board), "quá hạn"));
  saban_command_notifier_check_overdue (saban_application_get_command_notifier (app));
  TEST_WAIT_UNTIL (notified ("Nhiệm vụ quá hạn: Cảnh báo và sơ tán"), 30);

  /* a situation report, its template filled in from the figures: the
   * people in the area and the stations in alarm there as the impact
   * analysis reads them, the tasks (none completed of 5, 1 overdue, 5
   * under way), the four agencies and units the open tasks are given to */
  sitrep = SABAN_SITREP_DIALOG (saban_sitrep_dialog_new (GTK_WINDOW (board), saban_application_get_session (app),
                                                         scenario));
  gtk_window_present (GTK_WINDOW (sitrep));
  TEST_WAIT_UNTIL (!saban_sitrep_dialog_get_busy (sitrep), 60);
  {
    g_autofree char *wkt = saban_scenario_area_to_wkt (saban_command_item_get_geometry (scenario), NULL);
    g_autoptr(SabanImpactArea) impact_area = saban_impact_area_new_from_wkt (wkt, NULL);
    g_autoptr(GPtrArray) layers = saban_layer_model_dup_vectors (saban_session_get_layers (saban_application_get_session (app)));
    g_autoptr(SabanImpact) impact = saban_impact_new (impact_area, layers);
    g_autofree char *summary = NULL, *people = NULL, *stations = NULL, *sent_summary = NULL, *population = NULL;
    guint n_sensors;

    saban_impact_set_sensors (impact, saban_session_get_sensor_store (saban_application_get_session (app)));
    g_assert_true (saban_impact_compute (impact, NULL, NULL));
    saban_impact_get_sensors (impact, &n_sensors);
    g_assert_cmpfloat (saban_impact_get_population_affected (impact), >, 0);
    population = saban_format_number (saban_impact_get_population_affected (impact), 0);
    people = g_strdup_printf ("Khoảng %s người", population);
    stations = g_strdup_printf ("Trạm quan trắc đang báo động trong vùng: %u.", n_sensors);
    summary = saban_sitrep_dialog_get_summary (sitrep);
    g_test_message ("situation report as filled in:\n%s", summary);
    g_assert_nonnull (strstr (summary, "Lũ quét, sạt lở đất xã Bản Xèo"));
    g_assert_nonnull (strstr (summary, people));
    g_assert_nonnull (strstr (summary, "Nhiệm vụ: đã hoàn thành 0/5, quá hạn 1, đang thực hiện 5."));
    g_assert_nonnull (strstr (summary, stations));
    g_assert_nonnull (strstr (summary, "Lực lượng đã huy động: "));
    g_assert_nonnull (strstr (summary, "Công an tỉnh; "));
    g_assert_nonnull (strstr (summary, "Đội cứu hộ DV-002"));
    g_assert_nonnull (strstr (summary, unit->name));
    g_assert_nonnull (strstr (summary, "UBND xã"));
    app_test_save_png (GTK_WIDGET (sitrep), "screenshot-sitrep.png");

    /* the author writes the assessment, then sends */
    saban_sitrep_dialog_set_version (sitrep, "initial");
    sent_summary = g_strconcat (summary, "Mưa 180 mm/24 giờ; sạt lở taluy dương Km 12 tỉnh lộ 152, "
                                "đã sơ tán 35 hộ dân thôn Bản Xèo đến điểm tập trung.", NULL);
    saban_sitrep_dialog_set_summary (sitrep, sent_summary);
    g_assert_nonnull (saban_sitrep_dialog_send (sitrep));
    TEST_WAIT_UNTIL (saban_command_client_get_pending (client) == 0 &&
                     saban_command_store_get_n_items (store, SABAN_COMMAND_SITREPS) == 1, 30);
    {
      g_autoptr(GListModel) sitreps = saban_command_store_list (store, SABAN_COMMAND_SITREPS,
                                                                saban_command_item_get_id (scenario), NULL);
      g_autoptr(SabanCommandItem) sent = g_list_model_get_item (sitreps, 0);
      JsonObject *p = saban_command_item_get_properties (sent);

      g_assert_cmpstr (json_object_get_string_member (p, "summary"), ==, sent_summary);
      g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (p, "casualties"), "affected"), ==,
                       (gint64) round (saban_impact_get_population_affected (impact)));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (p, "resourcesCommitted")), ==, 4);
    }
  }
  g_assert_true (app_test_has_label_containing (GTK_WIDGET (board), "Báo cáo số 1"));

  app_test_save_png (GTK_WIDGET (board), "screenshot-board.png");
  app_test_save_png (GTK_WIDGET (main_window), "screenshot-board-map.png");

  /* conflict 1: the colleague accepts the blocking task while we return it;
   * ours is based on the version before theirs → 412 → we take theirs */
  colleague_patch (server, other, saban_command_item_get_id (t_block), "{\"status\":\"accepted\"}");
  confirm_move (board, t_block, "pending");
  conflict = wait_conflict_dialog (client);
  g_assert_true (app_test_has_label_containing (GTK_WIDGET (conflict), "Trên máy chủ"));
  /* who, from the log entry fetched after its notice (the dialog follows it) */
  TEST_WAIT_UNTIL (app_test_has_label_containing (GTK_WIDGET (conflict), "trucban"), 10);
  app_test_save_png (GTK_WIDGET (conflict), "screenshot-conflict.png");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (conflict), "theirs");
  TEST_WAIT_UNTIL (g_list_model_get_n_items (saban_command_client_get_conflicts (client)) == 0 &&
                   g_strcmp0 (saban_command_item_get_status (t_block), "accepted") == 0 &&
                   !saban_command_item_get_pending (t_block), 30);
  g_assert_cmpstr (json_object_get_string_member (server_task (server, other, saban_command_item_get_id (t_block),
                                                               NULL), "status"), ==, "accepted");

  /* the colleague starts it: told by a notification, marked on the board */
  colleague_patch (server, other, saban_command_item_get_id (t_block), "{\"status\":\"in_progress\"}");
  TEST_WAIT_UNTIL (notified ("đã nhận → đang thực hiện"), 30);
  TEST_WAIT_UNTIL (app_test_has_label_containing (GTK_WIDGET (board), "Vừa được trucban cập nhật"), 30);

  /* conflict 2: the colleague starts the rescue, we cancel it → keep mine */
  colleague_patch (server, other, saban_command_item_get_id (t_rescue), "{\"status\":\"accepted\"}");
  confirm_move (board, t_rescue, "cancelled");
  conflict = wait_conflict_dialog (client);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (conflict), "mine");
  TEST_WAIT_UNTIL (g_list_model_get_n_items (saban_command_client_get_conflicts (client)) == 0 &&
                   saban_command_client_get_pending (client) == 0 &&
                   g_strcmp0 (saban_command_item_get_status (t_rescue), "cancelled") == 0, 30);
  final = server_task (server, other, saban_command_item_get_id (t_rescue), &version);
  g_assert_cmpstr (json_object_get_string_member (final, "status"), ==, "cancelled");
  assert_offers_schema (board, scenario);

  /* closing is refused while tasks are open, with the reason in Vietnamese */
  g_assert_false (saban_scenario_window_move_scenario (board, "closed"));
  TEST_WAIT_UNTIL (app_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL, 30);
  g_assert_true (app_test_has_label_containing (app_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG), "chưa kết thúc"));
  gtk_window_destroy (GTK_WINDOW (app_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)));

  g_assert_true (saban_scenario_window_move_task (board, t_warn, "completed"));
  g_assert_true (saban_scenario_window_move_task (board, t_manual, "failed"));
  TEST_WAIT_UNTIL (saban_command_client_get_pending (client) == 0 && column_size (board, "in_progress") == 1, 30);
  g_assert_true (saban_scenario_window_move_task (board, t_block, "completed"));
  confirm_move (board, t_picked, "cancelled");
  TEST_WAIT_UNTIL (saban_command_client_get_pending (client) == 0 && column_size (board, "completed") == 2, 30);
  /* closing cannot be undone: asked first, naming the scenario */
  g_assert_false (saban_scenario_window_move_scenario (board, "closed"));
  {
    GtkWidget *ask;

    TEST_WAIT_UNTIL ((ask = app_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL, 10);
    g_assert_true (app_test_has_label_containing (ask, "Đóng kịch bản “Lũ quét, sạt lở đất xã Bản Xèo”"));
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (ask), "confirm");
  }
  TEST_WAIT_UNTIL (g_strcmp0 (saban_command_item_get_status (scenario), "closed") == 0 &&
                   !saban_command_item_get_pending (scenario) && saban_scenario_window_get_replaying (board), 30);

  /* replay: at the end, the board as it was left; at the start, empty; and
   * in between the tasks as they stood then */
  adjustment = saban_scenario_window_get_replay_adjustment (board);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  /* the last log entries can come after the closing status (each is fetched
   * after its notice): the replay is made again with them, at its end */
  TEST_WAIT_UNTIL (column_size (board, "completed") == 2 && column_size (board, "cancelled") == 2, 10);
  g_assert_cmpuint (column_size (board, "failed"), ==, 1);
  g_assert_cmpuint (column_size (board, "cancelled"), ==, 2);
  /* the main map shows the closed scenario as it was left: its area, the
   * placed tasks (one failed, one cancelled) */
  g_assert_cmpuint (tasks_on_map (main_window, &areas), ==, 2);
  g_assert_cmpuint (areas, ==, 1);
  log_rows = saban_scenario_window_get_n_log_rows (board);
  gtk_adjustment_set_value (adjustment, 0);
  test_spin_ms (100);
  /* at its start: a draft area, no task yet */
  g_assert_cmpuint (tasks_on_map (main_window, &areas), ==, 0);
  g_assert_cmpuint (areas, ==, 1);
  g_assert_cmpuint (column_size (board, "completed") + column_size (board, "pending") + column_size (board, "assigned"),
                    ==, 0);
  g_assert_cmpuint (saban_scenario_window_get_n_log_rows (board), <, log_rows);
  {
    gboolean seen_pending = FALSE;
    double upper = gtk_adjustment_get_upper (adjustment);

    for (int step = 1; step < 400 && !seen_pending; step++)
      {
        gtk_adjustment_set_value (adjustment, upper * step / 400);
        seen_pending = column_size (board, "pending") > 0 && column_size (board, "completed") == 0;
      }
    g_assert_true (seen_pending);
    app_test_save_png (GTK_WIDGET (board), "screenshot-board-replay.png");
  }
  /* the board closed, the map shows the scenarios as they are: the closed
   * one no more */
  gtk_window_destroy (GTK_WINDOW (board));
  g_assert_cmpuint (tasks_on_map (main_window, &areas), ==, 0);
  g_assert_cmpuint (areas, ==, 0);

  control_room_board (app, client, playbook, unit, server, other);
  gtk_window_destroy (GTK_WINDOW (main_window));
  app_test_backend_free (backend);
}

int
main (int argc, char *argv[])
{
  /* the notifications go to this test's server, even while another test
   * on the same session bus owns GTK's notification name */
  g_setenv ("GNOTIFICATION_BACKEND", "freedesktop", TRUE);
  app_test_init (&argc, &argv);
  test_set_timeout_note (pending_note);
  start_notification_server ();
  g_test_add_func ("/app/scenario-board", test_scenario_board);
  return g_test_run ();
}
