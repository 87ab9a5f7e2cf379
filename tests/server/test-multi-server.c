/* Two saban-server processes on one PostgreSQL database, as behind a load
 * balancer (issue 16): a write through one is read through the other and
 * published on MQTT once, by whichever server reaches the broker; an
 * Idempotency-Key used on one is honoured on the other, even when the same
 * write reaches both at once; an If-Match made stale through one is refused
 * by the other; sign-in failures spread over both lock the account.
 * PostgreSQL only (suite server-pg): a SQLite file has one server.
 */
#include <string.h>

#include "server-fixture.h"

#define LOCKOUT "4"

static char *
scenario_body (const char *title)
{
  return g_strdup_printf ("{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"title\":\"%s\"}}", title);
}

/* Messages for @topic within @ms, and for a second after the first (a
 * change must come once: a second server draining it too would repeat it
 * within milliseconds). */
static guint
count_messages (TestSubscriber *sub, const char *topic, guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  guint n = 0;

  while (g_get_monotonic_time () < end)
    {
      g_autofree char *m = test_subscriber_pop (sub, 50);

      if (m != NULL && g_str_has_prefix (m, topic) && m[strlen (topic)] == '\n' && n++ == 0)
        end = g_get_monotonic_time () + G_USEC_PER_SEC;
    }
  return n;
}

static gint64
titles (TestServer *s, const char *title)
{
  return test_db_query_int (s->location, "SELECT COUNT(*) FROM items WHERE collection = 'scenarios' "
                            "AND properties LIKE '%' || ? || '%'", title);
}

typedef struct
{
  guint  pending;
  guint  status[2];
  gint64 id[2];
  gboolean replayed[2];
} Race;

static void
race_done (GObject *source, GAsyncResult *result, gpointer data)
{
  SoupMessage *msg = g_object_get_data (G_OBJECT (source), "saban-msg");
  Race *race = data;
  int i = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (source), "saban-index"));
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  g_autoptr(JsonNode) node = bytes ? json_from_string (g_bytes_get_data (bytes, NULL), NULL) : NULL;

  race->status[i] = soup_message_get_status (msg);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    race->id[i] = json_object_get_int_member_with_default (json_node_get_object (node), "id", 0);
  race->replayed[i] = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                    "Idempotent-Replayed") != NULL;
  race->pending--;
}

/* The same POST with the same key, sent to both servers at once. */
static void
post_race (TestServer *a, TestServer *b, const char *token, const char *key, const char *body, Race *race)
{
  TestServer *servers[] = { a, b };

  race->pending = 2;
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *url = g_strconcat (servers[i]->base, "/collections/scenarios/items", NULL);
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      SoupSession *session = soup_session_new ();
      SoupMessage *msg = soup_message_new ("POST", url);
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);
      soup_message_set_request_body_from_bytes (msg, "application/geo+json", bytes);
      g_object_set_data_full (G_OBJECT (session), "saban-msg", msg, g_object_unref);
      g_object_set_data (G_OBJECT (session), "saban-index", GINT_TO_POINTER (i));
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, race_done, race);
      g_object_unref (session);  /* the pending request keeps it */
    }
  TEST_WAIT_UNTIL (race->pending == 0, 30);
}

static void
test_two_servers (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "shared.db", NULL);
  g_autofree char *dead_broker = g_strdup_printf ("--mqtt=127.0.0.1:%u", test_free_port ());
  g_autofree char *live_broker = NULL, *token = NULL, *body = NULL, *path = NULL, *topic = NULL;
  g_autoptr(GSubprocess) broker = NULL;
  TestSubscriber *sub;
  TestServer *a, *b;
  guint port;
  gint64 id;

  broker = test_mosquitto_start (&port);
  g_assert_nonnull (broker);
  live_broker = g_strdup_printf ("--mqtt=127.0.0.1:%u", port);
  sub = test_mqtt_subscribe (port, "saban-test-multi", "ioc/v1/#");
  /* a: the demo server, cut off from the broker; b: a second server on its database */
  a = test_server_start (db, (const char *const[]) { "--rate-limit=0", "--login-lockout=" LOCKOUT, dead_broker,
                                                    NULL });
  b = test_server_start_plain (db, (const char *const[]) { "--rate-limit=0", "--login-lockout=" LOCKOUT,
                                                          live_broker, NULL });
  test_server_wait_mqtt (b, 10);

  /* a token from one is good on the other */
  token = test_login (a, "dieuphoi");
  body = scenario_body ("Sạt lở Bát Xát — qua máy chủ A");
  {
    const char *const key[] = { "Idempotency-Key", "multi-0001", NULL };
    g_autoptr(Resp) created = test_request (a, "POST", "/collections/scenarios/items", token, "application/geo+json",
                                            body, key);
    g_autoptr(Resp) read = NULL, replay = NULL, other = NULL;

    g_assert_cmpuint (created->status, ==, 201);
    id = json_object_get_int_member (resp_object (created), "id");
    path = g_strdup_printf ("/collections/scenarios/items/%" G_GINT64_FORMAT, id);
    topic = g_strdup_printf ("ioc/v1/collections/scenarios/items/%" G_GINT64_FORMAT, id);

    /* read through the other */
    read = test_request (b, "GET", path, token, NULL, NULL, NULL);
    g_assert_cmpuint (read->status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_one (read->headers, "ETag"), ==, "\"v1\"");
    g_assert_cmpstr (json_object_get_string_member (resp_props (read), "title"), ==, "Sạt lở Bát Xát — qua máy chủ A");

    /* published once, by b: a has no broker */
    g_assert_cmpuint (count_messages (sub, topic, 5000), ==, 1);

    /* the key is honoured on the other server, and bound to its body there too */
    replay = test_request (b, "POST", "/collections/scenarios/items", token, "application/geo+json", body, key);
    g_assert_cmpuint (replay->status, ==, 201);
    g_assert_cmpstr (soup_message_headers_get_one (replay->headers, "Idempotent-Replayed"), ==, "true");
    g_assert_cmpint (json_object_get_int_member (resp_object (replay), "id"), ==, id);
    other = test_request (b, "POST", "/collections/scenarios/items", token, "application/geo+json",
                          "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"title\":\"khác\"}}", key);
    g_assert_cmpuint (other->status, ==, 422);
    g_assert_cmpint (titles (a, "qua máy chủ A"), ==, 1);
    g_assert_cmpuint (count_messages (sub, topic, 1000), ==, 0);
  }

  /* a change through b makes a's If-Match stale */
  {
    const char *const v1[] = { "If-Match", "\"v1\"", NULL };
    g_autoptr(Resp) on_b = test_request (b, "PATCH", path, token, "application/json",
                                         "{\"properties\":{\"status\":\"active\"}}", v1);
    g_autoptr(Resp) on_a = test_request (a, "PATCH", path, token, "application/json",
                                         "{\"properties\":{\"severity\":\"Severe\"}}", v1);

    g_assert_cmpuint (on_b->status, ==, 200);
    g_assert_cmpuint (on_a->status, ==, 412);
    g_assert_cmpuint (count_messages (sub, topic, 5000), ==, 1);
  }

  /* the same write at both servers at once: one is made, the other answered with it */
  {
    g_autofree char *race_body = scenario_body ("Cháy rừng Sa Pa — hai máy chủ cùng lúc");
    Race race = { 0 };

    post_race (a, b, token, "multi-race-0001", race_body, &race);
    g_assert_cmpuint (race.status[0], ==, 201);
    g_assert_cmpuint (race.status[1], ==, 201);
    g_assert_cmpint (race.id[0], ==, race.id[1]);
    g_assert_true (race.replayed[0] != race.replayed[1]);
    g_assert_cmpint (titles (a, "hai máy chủ cùng lúc"), ==, 1);
  }

  /* sign-in failures counted across both: the lockout comes after LOCKOUT in all */
  for (int i = 0; i < atoi (LOCKOUT); i++)
    {
      g_autoptr(Resp) r = test_request (i % 2 ? b : a, "POST", "/auth/token", NULL, "application/json",
                                        "{\"username\":\"lanhdao\",\"password\":\"sai\"}", NULL);

      /* the third and later failures must wait; waiting is not what this checks */
      g_assert_true (r->status == 401 || r->status == 429);
      if (r->status == 429)
        {
          g_assert_nonnull (soup_message_headers_get_one (r->headers, "Retry-After"));
          g_usleep (G_USEC_PER_SEC * atoi (soup_message_headers_get_one (r->headers, "Retry-After")));
          i--;
        }
    }
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(Resp) r = test_request (i ? b : a, "POST", "/auth/token", NULL, "application/json",
                                        "{\"username\":\"lanhdao\",\"password\":\"saban-demo\"}", NULL);

      g_assert_cmpuint (r->status, ==, 403);
      g_assert_cmpstr (json_object_get_string_member (resp_object (r), "code"), ==, "account-locked");
    }

  /* both on the broker: each change still published once, whoever drains it */
  test_server_stop (a);
  test_server_restart (a, (const char *const[]) { "--rate-limit=0", live_broker, NULL });
  test_server_wait_mqtt (a, 10);
  {
    g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    guint missing = 20;
    gint64 end;

    for (int i = 0; i < 20; i++)
      {
        g_autofree char *title = g_strdup_printf ("Nhiệm vụ luân phiên %d", i);
        g_autofree char *item_body = scenario_body (title);
        g_autoptr(Resp) r = test_request (i % 2 ? b : a, "POST", "/collections/scenarios/items", token,
                                          "application/geo+json", item_body, NULL);

        g_assert_cmpuint (r->status, ==, 201);
        g_hash_table_insert (seen, g_strdup_printf ("ioc/v1/collections/scenarios/items/%" G_GINT64_FORMAT,
                                                    json_object_get_int_member (resp_object (r), "id")),
                             GUINT_TO_POINTER (0));
      }
    /* every message, and then more than a sweep of either server (2 s) for repeats */
    end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (g_get_monotonic_time () < end)
      {
        g_autofree char *m = test_subscriber_pop (sub, 50);
        char *newline = m != NULL ? strchr (m, '\n') : NULL;
        gpointer count;

        if (newline == NULL)
          continue;
        *newline = '\0';
        if (!g_hash_table_lookup_extended (seen, m, NULL, &count))
          continue;
        /* whichever server drains it, a notice: no title, no value */
        g_assert_true (g_str_has_prefix (newline + 1, "{\"collection\":\"scenarios\",\"id\":"));
        g_assert_null (strstr (newline + 1, "luân phiên"));
        g_hash_table_insert (seen, g_strdup (m), GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
        if (GPOINTER_TO_UINT (count) == 0 && --missing == 0)
          end = MIN (end, g_get_monotonic_time () + 3 * G_USEC_PER_SEC);
      }
    {
      GHashTableIter iter;
      gpointer topic_key, count;

      g_hash_table_iter_init (&iter, seen);
      while (g_hash_table_iter_next (&iter, &topic_key, &count))
        g_assert_cmpuint (GPOINTER_TO_UINT (count), ==, 1);
    }
  }
  g_assert_cmpint (test_db_query_int (a->location, "SELECT COUNT(*) FROM mqtt_outbox", NULL), ==, 0);

  test_subscriber_free (sub);
  test_server_free (b);
  test_server_free (a);
  test_mosquitto_kill (&broker);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* registered in suite server-pg only */
  g_assert_true (test_db_is_postgres ());
  g_test_add_func ("/multi-server/two-servers-one-database", test_two_servers);
  return g_test_run ();
}
