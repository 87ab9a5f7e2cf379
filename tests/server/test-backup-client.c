/* The client's view of the server's backups (core/net: SabanBackupStatus,
 * SabanBackupRecord, saban_backup_*_async) against a real saban-server --demo
 * with --backup-dir: what the client reads is what the server answers; a
 * backup asked for is made, checked and then listed; a check again answers
 * for that backup; an operator is refused; a server with backups off says
 * so in words; and answers that are not what the API says are refused or
 * bounded, never trusted.
 */
#include <math.h>
#include <string.h>

#include "saban-backup-client.h"
#include "saban-error.h"
#include "saban-json.h"
#include "server-fixture.h"

typedef struct
{
  gboolean  done;
  gpointer  result;
  GError   *error;
} Wait;

static void
status_read (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;

  w->result = saban_backups_read_finish (result, &w->error);
  w->done = TRUE;
}

static void
backup_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;

  w->result = saban_backup_finish (result, &w->error);
  w->done = TRUE;
}

static SabanBackupStatus *
read_status (SabanApi *api, GError **error)
{
  Wait w = { 0 };

  saban_backups_read_async (api, NULL, status_read, &w);
  TEST_WAIT_UNTIL (w.done, 30);
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return w.result;
}

static SabanBackupRecord *
wait_backup (Wait *w, GError **error)
{
  TEST_WAIT_UNTIL (w->done, 120);
  if (w->error != NULL)
    g_propagate_error (error, w->error);
  return w->result;
}

static SabanApi *
api_as (TestServer *s, const char *user)
{
  g_autofree char *token = test_login (s, user);
  SabanApi *api = saban_api_new (s->base);

  saban_api_set_token (api, token);
  return api;
}

static guint
n_listed (SabanApi *api)
{
  g_autoptr(SabanBackupStatus) status = read_status (api, NULL);

  return status != NULL ? g_list_model_get_n_items (saban_backup_status_get_backups (status)) : 0;
}

/* The client's reading of one attempt is the server's, field by field. */
static void
check_same (SabanBackupRecord *b, JsonObject *o)
{
  JsonObject *tables = json_object_get_object_member (o, "tables");

  g_assert_cmpint (saban_backup_record_get_id (b), ==, json_object_get_int_member (o, "id"));
  g_assert_cmpint (saban_backup_record_get_bytes (b), ==, json_object_get_int_member (o, "bytes"));
  g_assert_cmpint (saban_backup_record_get_ok (b), ==, json_object_get_boolean_member (o, "ok"));
  g_assert_cmpstr (saban_backup_record_get_file (b), ==, json_object_get_string_member (o, "file"));
  g_assert_cmpstr (saban_backup_record_get_kind (b), ==, json_object_get_string_member (o, "kind"));
  g_assert_cmpstr (saban_backup_record_get_detail (b), ==, json_object_get_string_member (o, "detail"));
  g_assert_cmpint (saban_backup_record_get_started (b), ==,
                   saban_json_parse_time (json_object_get_string_member (o, "started")));
  g_assert_cmpint (saban_backup_record_get_verified (b), ==,
                   saban_json_parse_time (json_object_get_string_member (o, "verified")));
  g_assert_cmpuint (saban_backup_record_get_n_tables (b), ==, json_object_get_size (tables));
  g_assert_cmpuint (saban_backup_record_get_n_tables (b), >, 5);
  for (guint i = 0; i < saban_backup_record_get_n_tables (b); i++)
    {
      const SabanBackupTable *t = saban_backup_record_get_table (b, i);
      JsonObject *held = json_object_get_object_member (tables, t->name);

      g_assert_nonnull (held);
      g_assert_cmpint (t->rows, ==, json_object_get_int_member (held, "rows"));
      g_assert_cmpstr (t->checksum, ==, json_object_get_string_member (held, "checksum"));
      g_assert_cmpuint (strlen (t->checksum), ==, 32);
      if (i > 0)
        g_assert_cmpint (strcmp (saban_backup_record_get_table (b, i - 1)->name, t->name), <, 0);
    }
}

static void
test_against_server (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "client.db", NULL);
  g_autofree char *backups = g_build_filename (dir, "backups", NULL);
  g_autofree char *dir_arg = g_strconcat ("--backup-dir=", backups, NULL);
  g_autofree char *admin_token = NULL;
  g_autoptr(SabanApi) admin = NULL, operator = NULL;
  g_autoptr(SabanBackupStatus) status = NULL;
  g_autoptr(SabanBackupRecord) made = NULL, again = NULL, one = NULL;
  g_autoptr(GError) error = NULL;
  TestServer *s;

  s = test_server_start (db, (const char *const[]) { "--rate-limit=0", dir_arg, "--backup-keep=3",
                                                     "--backup-max-age=7200", NULL });
  admin = api_as (s, "quantri");
  operator = api_as (s, "trucban");
  admin_token = test_login (s, "quantri");

  /* the one made at start, as the server lists it */
  TEST_WAIT_UNTIL (n_listed (admin) == 1, 60);
  status = read_status (admin, &error);
  g_assert_no_error (error);
  {
    g_autoptr(Resp) r = test_request (s, "GET", "/admin/backups", admin_token, NULL, NULL, NULL);
    JsonObject *o = resp_object (r), *policy = json_object_get_object_member (o, "policy");
    g_autoptr(SabanBackupRecord) first = g_list_model_get_item (saban_backup_status_get_backups (status), 0);

    g_assert_cmpint (saban_backup_status_get_state (status), ==, SABAN_BACKUP_STATE_OK);
    g_assert_cmpstr (saban_backup_status_get_directory (status), ==, backups);
    g_assert_cmpint (saban_backup_status_get_every (status), ==, json_object_get_int_member (policy, "everySeconds"));
    g_assert_cmpint (saban_backup_status_get_keep (status), ==, 3);
    g_assert_cmpint (saban_backup_status_get_max_age (status), ==, 7200);
    g_assert_cmpint (saban_backup_status_get_last_good (status), ==,
                     saban_json_parse_time (json_object_get_string_member (o, "lastGood")));
    g_assert_cmpint (saban_backup_status_get_last_good_age (status), >=, 0);
    g_assert_true (saban_backup_record_get_ok (first));
    check_same (first, json_array_get_object_element (json_object_get_array_member (o, "backups"), 0));
  }

  /* one now: made, restored, checked, and then listed first */
  {
    Wait w = { 0 };

    saban_backup_make_async (admin, NULL, backup_done, &w);
    made = wait_backup (&w, &error);
    g_assert_no_error (error);
    g_assert_true (saban_backup_record_get_ok (made));
    g_assert_cmpint (saban_backup_record_get_verified (made), >, 0);
  }
  g_clear_object (&status);
  status = read_status (admin, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (saban_backup_status_get_backups (status)), ==, 2);
  {
    g_autoptr(SabanBackupRecord) newest = g_list_model_get_item (saban_backup_status_get_backups (status), 0);
    g_autofree char *path = g_strdup_printf ("/admin/backups/%" G_GINT64_FORMAT, saban_backup_record_get_id (made));
    g_autoptr(Resp) r = test_request (s, "GET", path, admin_token, NULL, NULL, NULL);

    g_assert_cmpint (saban_backup_record_get_id (newest), ==, saban_backup_record_get_id (made));
    check_same (made, resp_object (r));
  }

  /* one attempt on demand, and checked again */
  {
    Wait w = { 0 }, v = { 0 };

    saban_backup_read_async (admin, saban_backup_record_get_id (made), NULL, backup_done, &w);
    one = wait_backup (&w, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (saban_backup_record_get_n_tables (one), ==, saban_backup_record_get_n_tables (made));
    saban_backup_verify_async (admin, saban_backup_record_get_id (made), NULL, backup_done, &v);
    again = wait_backup (&v, &error);
    g_assert_no_error (error);
    g_assert_cmpint (saban_backup_record_get_id (again), ==, saban_backup_record_get_id (made));
    g_assert_true (saban_backup_record_get_ok (again));
    g_assert_cmpint (saban_backup_record_get_verified (again), >=, saban_backup_record_get_verified (made));
  }

  /* an operator: refused, and nothing made */
  {
    Wait w = { 0 };
    g_autoptr(SabanBackupRecord) none = NULL;
    g_autoptr(SabanBackupStatus) refused = read_status (operator, &error);

    g_assert_null (refused);
    g_assert_error (error, SABAN_API_ERROR, SABAN_API_ERROR_FORBIDDEN);
    g_clear_error (&error);
    saban_backup_make_async (operator, NULL, backup_done, &w);
    none = wait_backup (&w, &error);
    g_assert_null (none);
    g_assert_error (error, SABAN_API_ERROR, SABAN_API_ERROR_FORBIDDEN);
    g_clear_error (&error);
    g_assert_cmpuint (n_listed (admin), ==, 2);
  }
  test_server_free (s);
}

/* A backup slower than the 20 s any other call waits (the server made slow
 * by its test-only SABAN_TEST_BACKUP_DELAY_S, as a province's database is
 * by its size) still comes back made and checked: the call has its own
 * deadline. */
static void
test_slow (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "slow.db", NULL);
  g_autofree char *backups = g_build_filename (dir, "backups", NULL);
  g_autofree char *dir_arg = g_strconcat ("--backup-dir=", backups, NULL);
  g_autoptr(SabanApi) admin = NULL;
  g_autoptr(SabanBackupRecord) made = NULL;
  g_autoptr(GError) error = NULL;
  Wait w = { 0 };
  TestServer *s;
  gint64 start;

  /* the deadline is the client's, the same whichever store: the suite's
   * time is spent once */
  if (test_db_is_postgres ())
    {
      g_test_skip ("the client's deadline, tested on the SQLite store");
      return;
    }
  g_setenv ("SABAN_TEST_BACKUP_DELAY_S", "22", TRUE);
  s = test_server_start (db, (const char *const[]) { "--rate-limit=0", dir_arg, NULL });
  g_unsetenv ("SABAN_TEST_BACKUP_DELAY_S");
  admin = api_as (s, "quantri");
  /* the one due at start, out of the way (a second while it runs is refused) */
  TEST_WAIT_UNTIL (n_listed (admin) == 1, 90);
  start = g_get_monotonic_time ();
  saban_backup_make_async (admin, NULL, backup_done, &w);
  made = wait_backup (&w, &error);
  g_assert_no_error (error);
  g_assert_true (saban_backup_record_get_ok (made));
  g_assert_cmpint (g_get_monotonic_time () - start, >, 21 * G_USEC_PER_SEC);
  /* the session's ordinary calls go on as before */
  g_assert_cmpuint (n_listed (admin), ==, 2);
  test_server_free (s);
}

/* Backups off: the state says so, and a backup asked for is refused in words. */
static void
test_off (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "off.db", NULL);
  TestServer *s = test_server_start (db, (const char *const[]) { "--rate-limit=0", NULL });
  g_autoptr(SabanApi) admin = api_as (s, "quantri");
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanBackupStatus) status = read_status (admin, &error);
  g_autoptr(SabanBackupRecord) none = NULL;
  Wait w = { 0 };

  g_assert_no_error (error);
  g_assert_cmpint (saban_backup_status_get_state (status), ==, SABAN_BACKUP_STATE_OFF);
  g_assert_null (saban_backup_status_get_directory (status));
  g_assert_cmpuint (g_list_model_get_n_items (saban_backup_status_get_backups (status)), ==, 0);
  saban_backup_make_async (admin, NULL, backup_done, &w);
  none = wait_backup (&w, &error);
  g_assert_null (none);
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "--backup-dir"));
  test_server_free (s);
}

static SabanBackupStatus *
parse (const char *text, GError **error)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  g_assert_nonnull (node);
  return saban_backup_status_new_from_json (node, error);
}

/* What the API does not say is refused; what it says too much of is bounded. */
static void
test_hostile (void)
{
  static const char *const refused[] = {
    "[]",
    "{\"state\":\"fine\",\"backups\":[]}",
    "{\"state\":1,\"backups\":[]}",
    "{\"state\":\"ok\"}",
    "{\"state\":\"ok\",\"backups\":{}}",
    "{\"state\":\"ok\",\"backups\":[1]}",
    "{\"state\":\"ok\",\"backups\":[{\"started\":\"2026-12-01T00:00:00Z\"}]}",
    "{\"state\":\"ok\",\"backups\":[{\"id\":-3,\"started\":\"2026-12-01T00:00:00Z\"}]}",
    "{\"state\":\"ok\",\"backups\":[{\"id\":1.5,\"started\":\"2026-12-01T00:00:00Z\"}]}",
    "{\"state\":\"ok\",\"backups\":[{\"id\":1,\"started\":\"yesterday\"}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SabanBackupStatus) status = parse (refused[i], &error);

      g_test_message ("%s", refused[i]);
      g_assert_null (status);
      g_assert_error (error, SABAN_ERROR, SABAN_ERROR_PARSE);
    }

  /* wrong types and sizes: not trusted, not fatal */
  {
    g_autoptr(GString) text = g_string_new ("{\"state\":\"overdue\",\"running\":\"yes\",\"policy\":{\"keep\":-1,"
                                            "\"everySeconds\":\"86400\",\"maxAgeSeconds\":1e300},"
                                            "\"lastGood\":\"2026-12-01T00:00:00Z\",\"lastGoodAgeSeconds\":-5,"
                                            "\"backups\":[");
    g_autofree char *long_file = g_strnfill (5000, 'x');
    g_autoptr(GError) error = NULL;
    g_autoptr(SabanBackupStatus) status = NULL;
    g_autoptr(SabanBackupRecord) first = NULL;

    for (guint i = 0; i < 600; i++)
      g_string_append_printf (text, "%s{\"id\":%u,\"started\":\"2026-12-01T00:00:00Z\",\"bytes\":-1,\"ok\":\"true\","
                              "\"file\":\"%s\",\"tables\":{\"items\":{\"rows\":\"9\",\"checksum\":[]},"
                              "\"audit\":{\"rows\":4,\"checksum\":\"00112233445566778899aabbccddeeff\"},"
                              "\"x\":7}}", i ? "," : "", i + 1, long_file);
    g_string_append (text, "]}");
    status = parse (text->str, &error);
    g_assert_no_error (error);
    g_assert_cmpint (saban_backup_status_get_state (status), ==, SABAN_BACKUP_STATE_OVERDUE);
    g_assert_false (saban_backup_status_get_running (status));
    g_assert_cmpint (saban_backup_status_get_keep (status), ==, -1);
    g_assert_cmpint (saban_backup_status_get_every (status), ==, -1);
    g_assert_cmpint (saban_backup_status_get_max_age (status), ==, -1);
    g_assert_cmpint (saban_backup_status_get_last_good_age (status), ==, -1);
    g_assert_cmpuint (g_list_model_get_n_items (saban_backup_status_get_backups (status)), ==, 500);
    first = g_list_model_get_item (saban_backup_status_get_backups (status), 0);
    g_assert_false (saban_backup_record_get_ok (first));
    g_assert_null (saban_backup_record_get_file (first));
    g_assert_cmpint (saban_backup_record_get_bytes (first), ==, -1);
    g_assert_cmpuint (saban_backup_record_get_n_tables (first), ==, 2);
    g_assert_cmpstr (saban_backup_record_get_table (first, 0)->name, ==, "audit");
    g_assert_cmpint (saban_backup_record_get_table (first, 0)->rows, ==, 4);
    g_assert_cmpstr (saban_backup_record_get_table (first, 1)->name, ==, "items");
    g_assert_cmpint (saban_backup_record_get_table (first, 1)->rows, ==, -1);
    g_assert_cmpstr (saban_backup_record_get_table (first, 1)->checksum, ==, "");
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/backup-client/hostile", test_hostile);
  g_test_add_func ("/backup-client/against-server", test_against_server);
  g_test_add_func ("/backup-client/off", test_off);
  g_test_add_func ("/backup-client/slow", test_slow);
  return g_test_run ();
}
