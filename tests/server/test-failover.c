/* Continuity (issue 16): saban-server on a PostgreSQL primary with a hot
 * standby (streaming replication, synchronous: a write is acknowledged
 * once the standby has it), the primary killed while writes are in flight,
 * the standby promoted. The server finds the new primary by itself (two
 * hosts in its URI, target_session_attrs=read-write); every write it
 * acknowledged is on the new primary; writes made meanwhile through the
 * Command API client wait in its outbox (the server answered 503) and are
 * delivered, each once, after the promotion. Its layers come from PostGIS
 * on the same hosts: the datasets each worker thread keeps answer 503
 * while no primary is there, and reconnect to the new one.
 */
#include <math.h>
#include <string.h>

#include "saban-command-client.h"
#include "server-fixture.h"
#include "test-pg.h"

#define N_IN_FLIGHT   60
#define CRASH_AFTER   20
#define N_OUTBOX      10

typedef struct
{
  SoupSession *session;
  guint       pending;
  guint       acked;
  guint       unavailable;
  guint       other;
  GArray     *ids;       /* of acknowledged writes */
  TestPg     *primary;
} Flight;

static void
post_done (GObject *source, GAsyncResult *result, gpointer data)
{
  SoupMessage *msg = data;
  Flight *f = g_object_get_data (G_OBJECT (msg), "saban-flight");
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  guint status = soup_message_get_status (msg);

  if (status == 201)
    {
      g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (bytes, NULL), NULL);
      gint64 id = json_object_get_int_member (json_node_get_object (node), "id");

      g_array_append_val (f->ids, id);
      f->acked++;
      /* the primary dies with writes still in flight */
      if (f->acked == CRASH_AFTER)
        {
          g_test_message ("killing the primary with %u writes in flight", f->pending - 1);
          test_pg_crash (f->primary);
        }
    }
  else if (status == 503)
    f->unavailable++;
  else
    {
      g_test_message ("unexpected answer %u: %.*s", status, (int) (bytes ? g_bytes_get_size (bytes) : 0),
                      bytes ? (const char *) g_bytes_get_data (bytes, NULL) : "");
      f->other++;
    }
  f->pending--;
  g_object_unref (msg);
}

static void
post_task (TestServer *s, const char *token, gint64 scenario, int i, Flight *f)
{
  g_autofree char *url = g_strconcat (s->base, "/collections/tasks/items", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autofree char *body = g_strdup_printf ("{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"scenarioId\":%"
                                           G_GINT64_FORMAT ",\"title\":\"Tuần tra đê %02d\",\"kind\":\"patrol\"}}",
                                           scenario, i);
  SoupMessage *msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/geo+json", bytes);
  g_object_set_data (G_OBJECT (msg), "saban-flight", f);
  f->pending++;
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, post_done, msg);
}

static gint64
on_new_primary (TestPg *pg, const char *sql, const char *arg)
{
  return test_pg_query_int (pg, "saban", sql, arg);
}

/* A page of the communes collection, served from PostGIS: its HTTP status,
 * and its numberMatched when 200. Asked @times times, every answer alike:
 * the worker threads that kept a dataset before serve with it again. */
static guint
communes_page (TestServer *s, guint times, gint64 *matched)
{
  guint status = 0;

  for (guint i = 0; i < times; i++)
    {
      g_autoptr(Resp) r = test_request (s, "GET", "/collections/communes/items?limit=3", NULL, NULL, NULL, NULL);

      if (i > 0 && r->status != status)
        g_error ("communes page %u answered %u after %u", i, r->status, status);
      status = r->status;
      if (status == 200)
        {
          JsonObject *fc = resp_object (r);

          g_assert_cmpuint (json_array_get_length (json_object_get_array_member (fc, "features")), ==, 3);
          g_assert_true (i == 0 || json_object_get_int_member (fc, "numberMatched") == *matched);
          *matched = json_object_get_int_member (fc, "numberMatched");
        }
      else
        g_assert_nonnull (soup_message_headers_get_one (r->headers, "Retry-After"));
    }
  return status;
}

static void
test_failover (void)
{
  const char *parent = g_getenv ("SABAN_TEST_PG_DIR");
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *outbox = g_build_filename (dir, "outbox.db", NULL);
  g_autofree char *uri = NULL, *token = NULL, *data_arg = NULL;
  g_autoptr(SabanApi) api = NULL;
  /* no broker here: the client polls */
  g_autoptr(SabanLiveChannel) channel = saban_live_channel_new (NULL, (const char *const[]) { "ioc/v1/#", NULL });
  g_autoptr(SabanConnection) connection = NULL;
  g_autoptr(SabanCommandClient) client = NULL;
  g_autoptr(GError) error = NULL;
  SabanCommandItem *scenario;
  TestPg *primary, *standby;
  TestServer *server;
  Flight f = { 0 };
  gint64 scenario_id;

  gint64 communes = 0, communes_after = 0;

  primary = test_pg_new (parent != NULL ? parent : g_get_tmp_dir (), TEST_PG_DURABLE);
  /* the layers --demo reads, in PostGIS (the standby gets them by replication) */
  {
    g_autofree char *target = test_pg_gdal (primary, "saban");

    test_db_load_layers (target, (const char *const[]) { "province", "communes", "sensor_sites", NULL });
  }
  standby = test_pg_new_standby (primary, "standby");
  uri = g_strdup_printf ("postgresql://postgres@127.0.0.1:%u,127.0.0.1:%u/saban", test_pg_get_port (primary),
                         test_pg_get_port (standby));
  /* the layers too from whichever host is the primary: GDAL's PG driver passes the URI to libpq */
  data_arg = g_strdup_printf ("--data=PG:%s?target_session_attrs=read-write", uri);
  server = test_server_start (uri, (const char *const[]) { "--rate-limit=0", data_arg, NULL });
  /* each worker thread opens its dataset (a connection to the primary) and keeps it */
  g_assert_cmpuint (communes_page (server, 8, &communes), ==, 200);
  g_assert_cmpint (communes, >, 0);
  token = test_login (server, "dieuphoi");
  scenario_id = test_scenario_create (server, token, "Vỡ đê sông Hồng (diễn tập chuyển đổi dự phòng)");
  /* from here synchronous: a commit returns once the standby has flushed it */
  test_pg_sql (primary, "postgres", "ALTER SYSTEM SET synchronous_standby_names = 'standby'");
  test_pg_sql (primary, "postgres", "SELECT pg_reload_conf()");
  {
    gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (test_pg_query_int (primary, "postgres", "SELECT COUNT(*) FROM pg_stat_replication "
                              "WHERE sync_state = 'sync'", NULL) != 1)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, end);
        g_usleep (50 * 1000);
      }
  }

  /* the client, loaded while all is well */
  api = saban_api_new (server->base);
  connection = saban_connection_new (api, 3600);
  saban_connection_set_account (connection, "dieuphoi", "saban-demo");
  saban_connection_check_now (connection);
  client = saban_command_client_new (connection, channel, outbox, &error);
  g_assert_no_error (error);
  saban_command_client_start (client);
  saban_live_channel_start (channel);
  TEST_WAIT_UNTIL (saban_command_client_get_loaded (client), 30);
  scenario = saban_command_store_lookup (saban_command_client_get_store (client), SABAN_COMMAND_SCENARIOS,
                                         scenario_id);
  g_assert_nonnull (scenario);

  /* writes in flight; the primary dies after CRASH_AFTER of them are acknowledged */
  f.ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  f.primary = primary;
  f.session = soup_session_new_with_options ("max-conns", 8, "max-conns-per-host", 8, "timeout", 60, NULL);
  for (int i = 0; i < N_IN_FLIGHT; i++)
    post_task (server, token, scenario_id, i, &f);
  TEST_WAIT_UNTIL (f.pending == 0, 120);
  g_test_message ("%u acknowledged, %u answered 503", f.acked, f.unavailable);
  g_assert_cmpuint (f.acked, >=, CRASH_AFTER);
  g_assert_cmpuint (f.other, ==, 0);

  /* the dispatcher keeps working: the writes wait in the outbox */
  for (int i = 0; i < N_OUTBOX; i++)
    {
      g_autofree char *title = g_strdup_printf ("Sơ tán khu dân cư ven đê %02d", i);
      SabanTaskSpec spec = { .title = title, .kind = "evacuate", .priority = 9, .lon = NAN, .lat = NAN };

      g_assert_nonnull (saban_command_client_create_task (client, scenario, &spec, &error));
      g_assert_no_error (error);
    }
  test_spin_ms (2000);
  g_assert_cmpuint (saban_command_client_get_pending (client), ==, N_OUTBOX);
  {
    g_autoptr(Resp) r = test_request (server, "GET", "/collections/scenarios/items", token, NULL, NULL, NULL);

    g_autoptr(Resp) landing = test_request (server, "GET", "/", NULL, NULL, NULL, NULL);
    g_autoptr(Resp) health = test_request (server, "GET", "/health", NULL, NULL, NULL, NULL);

    g_assert_cmpuint (r->status, ==, 503);
    g_assert_nonnull (soup_message_headers_get_one (r->headers, "Retry-After"));
    /* the layers' pooled connections are dead too: 503, not an empty page */
    g_assert_cmpuint (communes_page (server, 4, &communes_after), ==, 503);
    /* a load balancer's check says so; the landing page needs no database */
    g_assert_cmpuint (health->status, ==, 503);
    g_assert_cmpuint (landing->status, ==, 200);
  }

  /* the standby becomes the primary; the server finds it, and the client's
   * outbox drains to it */
  test_pg_promote (standby);
  TEST_WAIT_UNTIL (saban_command_client_get_pending (client) == 0, 90);

  /* the pooled datasets reconnect to the new primary: the same layer, in every thread */
  g_assert_cmpuint (communes_page (server, 8, &communes_after), ==, 200);
  g_assert_cmpint (communes_after, ==, communes);

  /* every acknowledged write is there, once */
  for (guint i = 0; i < f.ids->len; i++)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, g_array_index (f.ids, gint64, i));

      g_assert_cmpint (on_new_primary (standby, "SELECT COUNT(*) FROM items WHERE collection = 'tasks' "
                                       "AND id = CAST($1 AS BIGINT)", id), ==, 1);
    }
  for (int i = 0; i < N_OUTBOX; i++)
    {
      g_autofree char *title = g_strdup_printf ("%%Sơ tán khu dân cư ven đê %02d%%", i);

      g_assert_cmpint (on_new_primary (standby, "SELECT COUNT(*) FROM items WHERE collection = 'tasks' "
                                       "AND properties LIKE $1", title), ==, 1);
    }
  /* and the server writes to the new primary */
  g_assert_cmpint (test_scenario_create (server, token, "Sau chuyển đổi dự phòng"), >, 0);
  g_assert_cmpint (on_new_primary (standby, "SELECT COUNT(*) FROM items WHERE properties LIKE "
                                   "'%Sau chuyển đổi dự phòng%'", NULL), ==, 1);

  g_clear_object (&client);
  test_server_free (server);
  g_array_unref (f.ids);
  g_object_unref (f.session);
  test_pg_free (standby);
  test_pg_free (primary);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/failover/primary-killed-standby-promoted", test_failover);
  return g_test_run ();
}
