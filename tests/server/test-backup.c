/* Backups known to restore (issue 16), on SQLite and on PostgreSQL: the
 * server backs up on its schedule and on an admin's request, each backup
 * restored into a scratch database and checked table by table; a restored
 * backup serves what the server held; old ones are pruned; a backup damaged
 * on disk is found when it is checked again (and by `saban-server backup
 * --verify`); a last good backup older than the policy raises a CAP alert,
 * once.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "server-fixture.h"

static char *admin_token;

static Resp *
admin (TestServer *s, const char *method, const char *path)
{
  return test_request (s, method, path, admin_token, NULL, NULL, NULL);
}

static JsonArray *
history (TestServer *s, JsonObject **state)
{
  Resp *r = admin (s, "GET", "/admin/backups");
  JsonArray *list;

  g_assert_cmpuint (r->status, ==, 200);
  list = json_array_ref (json_object_get_array_member (resp_object (r), "backups"));
  if (state != NULL)
    *state = json_object_ref (resp_object (r));
  resp_free (r);
  return list;
}

static guint
n_backups (TestServer *s)
{
  g_autoptr(JsonArray) list = history (s, NULL);

  return json_array_get_length (list);
}

/* Damages the middle of @file, as a failing disk would. */
static void
damage (const char *file)
{
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (file, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 200000);
  memset (contents + len / 2, 0x5a, 65536);
  g_assert_true (g_file_set_contents (file, contents, (gssize) len, NULL));
}

static guint
alarms (TestServer *s)
{
  g_autoptr(Resp) r = test_request (s, "GET", "/collections/alerts/items?limit=100", NULL, NULL, NULL, NULL);
  JsonArray *features = json_object_get_array_member (resp_object (r), "features");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (features); i++)
    {
      JsonObject *p = json_object_get_object_member (json_array_get_object_element (features, i), "properties");

      if (g_strcmp0 (json_object_get_string_member_with_default (p, "event", ""), "Sao lưu dữ liệu quá hạn") == 0)
        n++;
    }
  return n;
}

/* Seconds since the last good backup; -1 for none. */
static gint64
good_age (TestServer *s)
{
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(JsonArray) list = history (s, &state);

  return json_object_get_null_member (state, "lastGoodAgeSeconds") ? -1
         : json_object_get_int_member (state, "lastGoodAgeSeconds");
}

static void
test_backup_restore_prune_damage (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "live.db", NULL);
  g_autofree char *restored_db = g_build_filename (dir, "restored.db", NULL);
  g_autofree char *backups = g_build_filename (dir, "backups", NULL);
  g_autofree char *dir_arg = g_strconcat ("--backup-dir=", backups, NULL);
  g_autofree char *token = NULL, *first_file = NULL, *newest_file = NULL, *path = NULL;
  TestServer *s, *restored;
  gint64 newest_id, first_id;

  s = test_server_start (db, (const char *const[]) { "--rate-limit=0", dir_arg, "--backup-keep=2", NULL });
  admin_token = test_login (s, "quantri");
  token = test_login (s, "dieuphoi");

  /* the schedule: none yet, so one at start */
  TEST_WAIT_UNTIL (n_backups (s) == 1, 60);
  {
    g_autoptr(JsonObject) state = NULL;
    g_autoptr(JsonArray) list = history (s, &state);
    JsonObject *b = json_array_get_object_element (list, 0);

    g_assert_true (json_object_get_boolean_member (b, "ok"));
    g_assert_cmpstr (json_object_get_string_member (state, "state"), ==, "ok");
    first_id = json_object_get_int_member (b, "id");
    first_file = g_strdup (json_object_get_string_member (b, "file"));
    g_assert_true (g_file_test (first_file, G_FILE_TEST_IS_REGULAR));
  }
  /* only for admins */
  {
    g_autoptr(Resp) r = test_request (s, "GET", "/admin/backups", token, NULL, NULL, NULL);
    g_autoptr(Resp) p = test_request (s, "POST", "/admin/backups", token, NULL, NULL, NULL);

    g_assert_cmpuint (r->status, ==, 403);
    g_assert_cmpuint (p->status, ==, 403);
  }

  /* one on request, after a change: it holds the change, and says what it holds */
  test_scenario_create (s, token, "Kịch bản trước khi sao lưu");
  {
    g_autoptr(Resp) r = admin (s, "POST", "/admin/backups");
    JsonObject *b = resp_object (r);
    JsonObject *tables;

    g_assert_cmpuint (r->status, ==, 201);
    g_assert_true (json_object_get_boolean_member (b, "ok"));
    g_assert_nonnull (json_object_get_string_member (b, "verified"));
    newest_id = json_object_get_int_member (b, "id");
    newest_file = g_strdup (json_object_get_string_member (b, "file"));
    tables = json_object_get_object_member (b, "tables");
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (tables, "items"), "rows"), ==,
                     test_db_query_int (s->location, "SELECT COUNT(*) FROM items", NULL));
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (tables, "users"), "rows"), ==, 6);
    g_assert_cmpint (test_db_query_int (s->location, "SELECT COUNT(*) FROM audit WHERE action = 'backup'", NULL),
                     ==, 2);
  }

  /* restored, it serves what the server held */
  test_db_restore (newest_file, restored_db);
  restored = test_server_start_plain (restored_db, (const char *const[]) { "--rate-limit=0", NULL });
  {
    g_autoptr(Resp) r = test_request (restored, "GET", "/collections/scenarios/items?limit=100", token, NULL, NULL,
                                      NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_nonnull (strstr (r->body, "Kịch bản trước khi sao lưu"));
  }
  test_server_free (restored);

  /* a third: the first goes (two are kept) */
  {
    g_autoptr(Resp) r = admin (s, "POST", "/admin/backups");
    g_autoptr(Resp) first = NULL, again = NULL;

    g_assert_cmpuint (r->status, ==, 201);
    path = g_strdup_printf ("/admin/backups/%" G_GINT64_FORMAT, first_id);
    first = admin (s, "GET", path);
    g_assert_cmpuint (first->status, ==, 200);
    g_assert_false (json_object_get_null_member (resp_object (first), "pruned"));
    g_assert_false (g_file_test (first_file, G_FILE_TEST_EXISTS));
    g_free (path);
    path = g_strdup_printf ("/admin/backups/%" G_GINT64_FORMAT "/verify", first_id);
    again = admin (s, "POST", path);
    g_assert_cmpuint (again->status, ==, 410);
  }

  /* damaged on disk: checking it again finds it, and so does the command line */
  damage (newest_file);
  {
    g_autoptr(Resp) r = NULL;
    g_autofree char *err = NULL;
    int status;
    const char *argv[] = { test_program ("SABAN_SERVER", "saban-server"), "backup", "--db", s->location,
                           "--verify", newest_file, NULL };

    g_free (path);
    path = g_strdup_printf ("/admin/backups/%" G_GINT64_FORMAT "/verify", newest_id);
    r = admin (s, "POST", path);
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_false (json_object_get_boolean_member (resp_object (r), "ok"));
    g_test_message ("damaged backup: %s", json_object_get_string_member (resp_object (r), "detail"));
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                                 &status, NULL));
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (err, newest_file));
    g_assert_cmpint (test_db_query_int (s->location, "SELECT COUNT(*) FROM audit WHERE action = 'backup-verify'",
                                        NULL), ==, 1);
  }
  test_server_free (s);
}

static void
test_alarm (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "alarm.db", NULL);
  g_autofree char *backups = g_build_filename (dir, "backups", NULL);
  g_autofree char *dir_arg = g_strconcat ("--backup-dir=", backups, NULL);
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(JsonArray) list = NULL;
  guint raised;
  TestServer *s;

  /* backups daily, but the last good one may be only 10 s old */
  s = test_server_start (db, (const char *const[]) { "--rate-limit=0", dir_arg, "--backup-max-age=10", NULL });
  admin_token = test_login (s, "quantri");
  TEST_WAIT_UNTIL (n_backups (s) == 1, 60);
  /* past the policy, and past a tick (2 s): this lapse has its alarm (a slow first
   * backup may have had one already: before it, the lapse counts from the start) */
  TEST_WAIT_UNTIL (good_age (s) >= 13, 40);
  raised = alarms (s);
  g_assert_cmpuint (raised, >=, 1);
  list = history (s, &state);
  g_assert_cmpstr (json_object_get_string_member (state, "state"), ==, "overdue");
  g_assert_cmpint (json_object_get_int_member (state, "lastGoodAgeSeconds"), >=, 10);
  /* once per lapse */
  test_spin_ms (3000);
  g_assert_cmpuint (alarms (s), ==, raised);
  /* a good backup ends the lapse: the next one alarms again */
  {
    g_autoptr(Resp) r = admin (s, "POST", "/admin/backups");

    g_assert_cmpuint (r->status, ==, 201);
  }
  TEST_WAIT_UNTIL (alarms (s) == raised + 1, 30);
  test_server_free (s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/backup/restore-prune-damage", test_backup_restore_prune_damage);
  g_test_add_func ("/backup/alarm", test_alarm);
  return g_test_run ();
}
