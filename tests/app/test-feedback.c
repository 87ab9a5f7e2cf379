/* The citizen-feedback workspace in the real application, in Vietnamese,
 * against the real saban-server --demo and mosquitto, signed in as the
 * demo's operator (trucban; no desk opens for an operator): every report
 * listed; each filter agrees with the server's own answer (status, service,
 * overdue by the server's expected_datetime); the reporter masked until a
 * purpose is given, then shown; a report assigned, answered and closed as
 * the server then holds it; likely duplicates merged (the server links
 * them); a report's photo shown; a scenario launched from a report with the
 * playbook its service calls for; a leader is offered no handling.
 * Screenshots at 1920×1080 and 1366×768 are left in the build directory
 * (screenshot-feedback*.png). */
#include <adwaita.h>
#include <string.h>

#include "app-test.h"
#include "saban-application.h"
#include "saban-desk-window.h"
#include "saban-feedback-window.h"
#include "saban-json.h"
#include "saban-scenario-area.h"
#include "saban-scenario-launch.h"
#include "saban-window.h"

static TestServer *server;

static JsonArray *
server_requests (const char *query)
{
  g_autofree char *path = g_strdup_printf ("/open311/v2/requests.json?%s", query);
  g_autoptr(Resp) r = test_request (server, "GET", path, NULL, NULL, NULL, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return json_array_ref (json_node_get_array (r->json));
}

static JsonObject *
server_request (gint64 id)
{
  g_autofree char *path = g_strdup_printf ("/open311/v2/requests/%" G_GINT64_FORMAT ".json", id);
  g_autoptr(Resp) r = test_request (server, "GET", path, NULL, NULL, NULL, NULL);

  return json_object_ref (json_array_get_object_element (json_node_get_array (r->json), 0));
}

static guint
listed (SabanFeedbackWindow *w)
{
  return g_list_model_get_n_items (G_LIST_MODEL (saban_feedback_window_get_list (w)));
}

/* the server's reports late at now: open past their expected_datetime, or closed after it */
static guint
server_late (JsonArray *all)
{
  gint64 now = g_get_real_time ();
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *o = json_array_get_object_element (all, i);
      gint64 due = saban_json_parse_time (json_object_get_string_member (o, "expected_datetime"));
      gint64 updated = saban_json_parse_time (json_object_get_string_member (o, "updated_datetime"));

      if (g_str_equal (json_object_get_string_member (o, "status"), "open") ? now > due : updated > due)
        n++;
    }
  return n;
}

static void
check_filters (SabanFeedbackWindow *w)
{
  g_autoptr(JsonArray) all = server_requests ("status=open,closed");
  g_autoptr(JsonArray) open = server_requests ("status=open");
  GtkDropDown *status = app_test_find (GTK_WIDGET (w), GTK_TYPE_DROP_DOWN, NULL);
  g_autoptr(GPtrArray) toggles = g_ptr_array_new ();
  g_autoptr(GPtrArray) drops = g_ptr_array_new ();
  const char *code = json_object_get_string_member (json_array_get_object_element (all, 0), "service_code");
  g_autofree char *query = g_strdup_printf ("status=open,closed&service_code=%s", code);
  g_autoptr(JsonArray) of_service = server_requests (query);
  SabanFeedbackStore *store = saban_feedback_window_get_store (w);
  GtkDropDown *service_drop = NULL;

  g_assert_cmpuint (listed (w), ==, json_array_get_length (all));
  app_test_collect (GTK_WIDGET (w), GTK_TYPE_DROP_DOWN, NULL, drops);
  /* the header's map choice, then status, service, commune, age */
  status = g_ptr_array_index (drops, 1);
  service_drop = g_ptr_array_index (drops, 2);
  gtk_drop_down_set_selected (status, 1);
  g_assert_cmpuint (listed (w), ==, json_array_get_length (open));
  gtk_drop_down_set_selected (status, 0);
  for (guint i = 0; i < saban_feedback_store_get_n_services (store); i++)
    if (g_str_equal (saban_feedback_store_get_service (store, i)->code, code))
      gtk_drop_down_set_selected (service_drop, i + 1);
  g_assert_cmpuint (listed (w), ==, json_array_get_length (of_service));
  gtk_drop_down_set_selected (service_drop, 0);
  app_test_collect (GTK_WIDGET (w), GTK_TYPE_TOGGLE_BUTTON, NULL, toggles);
  for (guint i = 0; i < toggles->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (toggles, i)), "Quá hạn") == 0)
      {
        gtk_toggle_button_set_active (g_ptr_array_index (toggles, i), TRUE);
        g_assert_cmpuint (listed (w), ==, server_late (all));
        g_assert_cmpuint (listed (w), >, 0);
        gtk_toggle_button_set_active (g_ptr_array_index (toggles, i), FALSE);
      }
  g_assert_cmpuint (listed (w), ==, json_array_get_length (all));
}

/* the first open report with a place, a photo if @photo */
static int
find_report (SabanFeedbackWindow *w, gboolean photo, gboolean with_duplicates)
{
  SabanFeedbackStore *store = saban_feedback_window_get_store (w);

  for (guint i = 0; i < saban_feedback_store_get_n_requests (store); i++)
    {
      const SabanFeedbackRequest *r = saban_feedback_store_get_request (store, i);
      g_autoptr(GArray) dups = saban_feedback_store_get_duplicates (store, i);

      if (!r->closed && (!photo || r->media_url != NULL) && (!with_duplicates || dups->len > 0) && r->duplicate_of == 0)
        return (int) i;
    }
  g_error ("no report for the test");
}

static GtkPicture *
photo_of (SabanFeedbackWindow *w)
{
  return app_test_find (GTK_WIDGET (w), GTK_TYPE_PICTURE, NULL);
}

static void
check_reporter (SabanFeedbackWindow *w, int index)
{
  const SabanFeedbackRequest *r = saban_feedback_store_get_request (saban_feedback_window_get_store (w), index);

  saban_feedback_window_select (w, index);
  g_assert_true (g_regex_match_simple ("^\\*+[0-9]{3}$", r->phone, 0, 0));
  g_assert_true (app_test_has_label (GTK_WIDGET (w), r->phone));
  saban_feedback_window_unmask (w, "Gọi lại người dân để xác minh vị trí trước khi cử đội xử lý");
  TEST_WAIT_UNTIL (!saban_feedback_window_get_busy (w), 30);
  {
    g_autoptr(JsonObject) o = server_request (r->id);
    g_autofree char *last_digits = g_strdup (r->phone + strlen (r->phone) - 3);
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();
    gboolean unmasked = FALSE;

    app_test_collect (GTK_WIDGET (w), GTK_TYPE_LABEL, NULL, labels);
    for (guint i = 0; i < labels->len; i++)
      {
        const char *text = gtk_label_get_text (g_ptr_array_index (labels, i));

        unmasked |= g_regex_match_simple ("^09[0-9]{8}$", text, 0, 0) && g_str_has_suffix (text, last_digits);
      }
    g_assert_true (unmasked);
    g_assert_true (app_test_has_label_containing (GTK_WIDGET (w), "mục đích"));
    /* the server still lists it masked */
    g_assert_cmpstr (json_object_get_string_member (o, "personal_data"), ==, "masked");
  }
}

static void
check_handling (SabanFeedbackWindow *w, int index)
{
  gint64 id = saban_feedback_store_get_request (saban_feedback_window_get_store (w), index)->id;
  GtkTextView *reply = app_test_find (GTK_WIDGET (w), GTK_TYPE_TEXT_VIEW, NULL);

  saban_feedback_window_select (w, index);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "feedback.assign", NULL));
  g_assert_true (saban_feedback_window_get_busy (w));
  TEST_WAIT_UNTIL (!saban_feedback_window_get_busy (w), 30);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (reply), "Đã xử lý, thông thoáng trở lại.", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "feedback.close", NULL));
  g_assert_true (saban_feedback_window_get_busy (w));
  TEST_WAIT_UNTIL (!saban_feedback_window_get_busy (w), 30);
  {
    g_autoptr(JsonObject) o = server_request (id);
    g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "closed");
    g_assert_cmpstr (json_object_get_string_member (o, "status_notes"), ==, "Đã xử lý, thông thoáng trở lại.");
    g_assert_true (saban_feedback_store_get_request (saban_feedback_window_get_store (w), index)->closed);
    g_assert_true (app_test_has_label (GTK_WIDGET (w), "Đã xử lý, thông thoáng trở lại."));
  }
}

static void
check_merge (SabanFeedbackWindow *w)
{
  SabanFeedbackStore *store = saban_feedback_window_get_store (w);
  int index = find_report (w, FALSE, TRUE);
  g_autoptr(GArray) dups = saban_feedback_store_get_duplicates (store, index);
  gint64 kept = saban_feedback_store_get_request (store, index)->id;
  gint64 dup = saban_feedback_store_get_request (store, g_array_index (dups, guint, 0))->id;

  saban_feedback_window_select (w, index);
  gtk_widget_activate_action (GTK_WIDGET (w), "feedback.merge", NULL);
  TEST_WAIT_UNTIL (!saban_feedback_window_get_busy (w), 30);
  {
    g_autoptr(JsonObject) o = server_request (dup);
    g_autofree char *kept_text = g_strdup_printf ("%" G_GINT64_FORMAT, kept);
    guint d;

    g_assert_cmpstr (json_object_get_string_member (o, "duplicate_of"), ==, kept_text);
    g_assert_true (saban_feedback_store_find (store, dup, &d));
    g_assert_cmpint (saban_feedback_store_get_request (store, d)->duplicate_of, ==, kept);
  }
}

/* the button that launches a scenario from the chosen report (bound to
 * feedback.launch, or unbound from it while the role may not) */
static GtkWidget *
launch_button (SabanFeedbackWindow *w)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  app_test_collect (GTK_WIDGET (w), GTK_TYPE_BUTTON, NULL, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *b = g_ptr_array_index (buttons, i);

      if (g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (b)), "feedback.launch") == 0 ||
          g_strcmp0 (g_object_get_data (G_OBJECT (b), "saban-action"), "feedback.launch") == 0)
        return b;
    }
  return NULL;
}

static void
check_launch (SabanFeedbackWindow *w, int index)
{
  const SabanFeedbackRequest *r = saban_feedback_store_get_request (saban_feedback_window_get_store (w), index);
  const char *playbook = saban_scenario_area_playbook_for_service (r->service_code);
  SabanScenarioLaunch *launch;

  saban_feedback_window_select (w, index);
  gtk_widget_activate_action (GTK_WIDGET (w), "feedback.launch", NULL);
  launch = app_test_find (app_test_find_toplevel (SABAN_TYPE_WINDOW), SABAN_TYPE_SCENARIO_LAUNCH, NULL);
  g_assert_nonnull (launch);
  g_assert_nonnull (saban_scenario_launch_get_area (launch));
  g_assert_cmpstr (saban_scenario_launch_get_playbook (launch), ==, playbook);
}

static void
test_feedback (void)
{
  g_autoptr(SabanApplication) app = NULL;
  AppTestBackend *backend = app_test_backend_start ("feedback.db");
  SabanFeedbackWindow *w;

  if (backend == NULL)
    {
      g_test_skip ("mosquitto is not installed");
      return;
    }
  server = backend->server;
  app_test_backend_setenv (backend, TRUE, "trucban");
  app = saban_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_activate (G_APPLICATION (app));
  TEST_WAIT_UNTIL (saban_connection_get_signed_in (saban_session_get_connection (saban_application_get_session (app))),
                   30);
  g_action_group_activate_action (G_ACTION_GROUP (app), "feedback", g_variant_new_string (""));
  TEST_WAIT_UNTIL (app_test_find_toplevel (SABAN_TYPE_FEEDBACK_WINDOW) != NULL, 30);
  w = SABAN_FEEDBACK_WINDOW (app_test_find_toplevel (SABAN_TYPE_FEEDBACK_WINDOW));
  TEST_WAIT_UNTIL (saban_feedback_window_get_ready (w) &&
                   saban_feedback_store_get_n_communes (saban_feedback_window_get_store (w)) > 0, 60);
  /* an operator's first screen is the operations map, not the desk */
  g_assert_null (app_test_find_toplevel (SABAN_TYPE_DESK_WINDOW));

  check_filters (w);
  /* the reports over the communes: the map's top layer */
  {
    SabanLayerModel *layers = saban_map_view_get_layers (saban_feedback_window_get_map_view (w));
    g_autoptr(SabanLayer) top = g_list_model_get_item (G_LIST_MODEL (layers), 0);

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (layers)), ==, 2);
    g_assert_cmpstr (saban_vector_layer_get_name (saban_layer_get_vector (top)), ==, "feedback");
    g_assert_cmpuint (saban_vector_layer_get_n_features (saban_layer_get_vector (top)), ==, listed (w));
  }
  /* a photo, from the server */
  saban_feedback_window_select (w, find_report (w, TRUE, FALSE));
  TEST_WAIT_UNTIL (gtk_picture_get_paintable (photo_of (w)) != NULL, 30);
  gtk_window_set_default_size (GTK_WINDOW (w), 1920, 1080);
  TEST_WAIT_UNTIL (!saban_map_view_get_busy (saban_feedback_window_get_map_view (w)), 30);
  app_test_save_png (GTK_WIDGET (w), "screenshot-feedback.png");
  gtk_window_set_default_size (GTK_WINDOW (w), 1366, 768);
  test_spin_ms (300);
  TEST_WAIT_UNTIL (!saban_map_view_get_busy (saban_feedback_window_get_map_view (w)), 30);
  app_test_save_png (GTK_WIDGET (w), "screenshot-feedback-1366.png");

  check_reporter (w, find_report (w, FALSE, FALSE));
  check_merge (w);
  check_handling (w, find_report (w, FALSE, FALSE));
  /* launching a scenario is a coordinator's (the command schema), not an
   * operator's: offered disabled, the tooltip naming who may; the
   * coordinator signs in at this workstation to launch one */
  saban_feedback_window_select (w, find_report (w, TRUE, FALSE));
  g_assert_nonnull (launch_button (w));
  g_assert_false (gtk_widget_is_sensitive (launch_button (w)));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (launch_button (w)), "Điều phối viên"));
  saban_session_sign_in (saban_application_get_session (app), "dieuphoi", "saban-demo", FALSE);
  TEST_WAIT_UNTIL (g_strcmp0 (saban_session_get_role (saban_application_get_session (app)), "coordinator") == 0, 30);
  check_launch (w, find_report (w, TRUE, FALSE));
  g_assert_true (gtk_widget_is_sensitive (launch_button (w)));

  /* a leader sees the reports, masked, and is offered no handling */
  saban_feedback_window_set_role (w, "leader");
  g_assert_false (gtk_widget_is_visible (app_test_find (GTK_WIDGET (w), ADW_TYPE_COMBO_ROW, NULL)));
  g_assert_false (gtk_widget_is_sensitive (launch_button (w)));

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL;
       l = gtk_application_get_windows (GTK_APPLICATION (app)))
    gtk_window_destroy (l->data);
  app_test_backend_free (backend);
}

int
main (int argc, char *argv[])
{
  app_test_init (&argc, &argv);
  /* the simulator's alarms' desktop notifications find no notification
   * service on the test bus: GIO warns, which is not a failure here */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/app/feedback", test_feedback);
  return g_test_run ();
}
