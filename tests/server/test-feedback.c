/* Citizens' reports handled (issue 13) against the real saban-server --demo:
 * each service's time limit and the due time it gives a report; likely
 * duplicates (the shared rule of core/feedback) merged — the duplicate
 * closed and linked, noted, audited — and every kind of refused merge
 * changing nothing; the reporter unmasked only for a role that handles
 * feedback, only with a stated purpose, which the audit row keeps, never
 * cached; the demo's photos served by plain names only; /auth/me. */
#include "server-fixture.h"


#include "saban-feedback.h"
#include "saban-json.h"

/* the server's SABAN_OPEN311_PURPOSE_MAX: a longer purpose is refused */
#define PURPOSE_MAX 500

static TestServer *server;

static Resp *
req (const char *method, const char *path, const char *token, const char *type, const char *body)
{
  return test_request (server, method, path, token, type, body, NULL);
}

static JsonArray *
array_of (Resp *r)
{
  g_assert_nonnull (r->json);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (r->json));
  return json_node_get_array (r->json);
}

static JsonObject *
first_of (Resp *r)
{
  g_assert_cmpuint (json_array_get_length (array_of (r)), ==, 1);
  return json_array_get_object_element (array_of (r), 0);
}

/* the operator's audit rows of @action: how many, and the last one's detail */
static guint
audit_count (const char *action)
{
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM audit WHERE actor = ? AND action = '%s'", action);

  return (guint) test_db_query_int (server->location, sql, "trucban");
}

static char *
audit_last_detail (const char *action)
{
  g_autofree char *sql = g_strdup_printf ("SELECT detail FROM audit WHERE actor = ? AND action = '%s' "
                                          "ORDER BY id DESC LIMIT 1", action);

  return test_db_query_text (server->location, sql, "trucban");
}

static GHashTable *
sla_by_service (void)
{
  g_autoptr(Resp) r = req ("GET", "/open311/v2/services.json", NULL, NULL, NULL);
  GHashTable *sla = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonArray *a = array_of (r);

  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *s = json_array_get_object_element (a, i);
      double *hours = g_new (double, 1);

      *hours = json_object_get_double_member (s, "sla_hours");
      g_assert_cmpfloat (*hours, >, 0);
      g_assert_nonnull (json_object_get_string_member (s, "agency"));
      g_hash_table_insert (sla, g_strdup (json_object_get_string_member (s, "service_code")), hours);
    }
  return sla;
}

static gint64
time_of (JsonObject *o, const char *member)
{
  gint64 t = saban_json_parse_time (json_object_get_string_member (o, member));

  g_assert_cmpint (t, >, 0);
  return t;
}

/* Every report is due its service's time limit after it was made: the demo's
 * and one posted now. */
static void
test_sla (void)
{
  g_autoptr(GHashTable) sla = sla_by_service ();
  g_autoptr(Resp) all = req ("GET", "/open311/v2/requests.json?status=open,closed", NULL, NULL, NULL);
  g_autoptr(Resp) posted = req ("POST", "/open311/v2/requests.json", NULL, "application/x-www-form-urlencoded",
                                "service_code=sat-lo&lat=22.3366&long=103.8438&description=Taluy+n%E1%BB%A9t");
  JsonArray *a = array_of (all);
  g_autofree char *path = NULL;

  g_assert_cmpuint (json_array_get_length (a), ==, 40);
  g_assert_cmpfloat (*(double *) g_hash_table_lookup (sla, "sat-lo"), ==, 12);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);
      double hours = *(double *) g_hash_table_lookup (sla, json_object_get_string_member (o, "service_code"));

      g_assert_cmpint (time_of (o, "expected_datetime"), ==,
                       saban_feedback_due_us (time_of (o, "requested_datetime"), hours));
    }
  g_assert_cmpuint (posted->status, ==, 200);
  path = g_strdup_printf ("/open311/v2/requests/%s.json",
                          json_object_get_string_member (first_of (posted), "service_request_id"));
  {
    g_autoptr(Resp) one = req ("GET", path, NULL, NULL, NULL);
    JsonObject *o = first_of (one);

    g_assert_cmpint (time_of (o, "expected_datetime") - time_of (o, "requested_datetime"), ==, (gint64) 12 * 3600 * G_USEC_PER_SEC);
    /* a report just made is not late; the same a day later is */
    g_assert_cmpint (saban_feedback_timing (FALSE, time_of (o, "expected_datetime"), 0, g_get_real_time ()), ==,
                     SABAN_FEEDBACK_OPEN);
    g_assert_cmpint (saban_feedback_timing (FALSE, time_of (o, "expected_datetime"), 0,
                                            g_get_real_time () + (gint64) 86400 * G_USEC_PER_SEC), ==, SABAN_FEEDBACK_OVERDUE);
  }
}

static SabanFeedbackPlace
place_of (JsonObject *o)
{
  SabanFeedbackPlace p = {
    json_object_get_string_member (o, "service_code"),
    json_object_get_double_member (o, "lat"),
    json_object_get_double_member (o, "long"),
    time_of (o, "requested_datetime"),
  };
  return p;
}

static const char *
id_of_borrowed (JsonObject *o)
{
  return json_object_get_string_member (o, "service_request_id");
}

static char *
id_of (JsonObject *o)
{
  return g_strdup (id_of_borrowed (o));
}

static Resp *
merge (const char *token, const char *kept, const char *duplicates)
{
  g_autofree char *path = g_strdup_printf ("/open311/v2/requests/%s/merge.json", kept);
  g_autofree char *body = g_strdup_printf ("{\"duplicates\":\"%s\"}", duplicates);

  return req ("POST", path, token, "application/json", body);
}

static JsonObject *
fetch (const char *id)
{
  g_autofree char *path = g_strdup_printf ("/open311/v2/requests/%s.json", id);
  g_autoptr(Resp) r = req ("GET", path, NULL, NULL, NULL);

  return json_object_ref (first_of (r));
}

/* The demo's likely duplicates, by the shared rule; one merged, and every
 * kind of refusal leaves the reports as they were. */
static void
test_duplicates_and_merge (void)
{
  g_autofree char *op = test_login (server, "trucban");
  g_autofree char *leader = test_login (server, "lanhdao");
  g_autoptr(Resp) all = req ("GET", "/open311/v2/requests.json?status=open,closed", NULL, NULL, NULL);
  JsonArray *a = array_of (all);
  g_autofree char *kept = NULL, *dup = NULL, *far = NULL, *dup_twice = NULL;
  guint before = audit_count ("merge");
  guint pairs = 0;

  for (guint i = 0; i < json_array_get_length (a); i++)
    for (guint j = i + 1; j < json_array_get_length (a); j++)
      {
        SabanFeedbackPlace p = place_of (json_array_get_object_element (a, i));
        SabanFeedbackPlace q = place_of (json_array_get_object_element (a, j));

        if (!saban_feedback_likely_duplicate (&p, &q))
          continue;
        pairs++;
        if (kept == NULL)
          {
            kept = id_of (json_array_get_object_element (a, j));
            dup = id_of (json_array_get_object_element (a, i));
          }
      }
  /* the demo makes every thirteenth report a second citizen's */
  g_assert_cmpuint (pairs, >=, 3);
  {
    g_autoptr(JsonObject) kept_o = fetch (kept);
    SabanFeedbackPlace k = place_of (kept_o);

    for (guint i = 0; i < json_array_get_length (a) && far == NULL; i++)
      {
        JsonObject *o = json_array_get_object_element (a, i);
        SabanFeedbackPlace p = place_of (o);

        if (!saban_feedback_likely_duplicate (&k, &p) && g_strcmp0 (id_of_borrowed (o), kept) != 0)
          far = id_of (o);
      }
  }
  g_assert_nonnull (far);

  /* refused: who may not, what is not a duplicate, what is no list */
  {
    g_autoptr(Resp) anon = merge (NULL, kept, dup);
    g_autoptr(Resp) denied = merge (leader, kept, dup);
    g_autoptr(Resp) not_dup = merge (op, kept, far);
    g_autoptr(Resp) self = merge (op, kept, kept);
    g_autoptr(Resp) junk = merge (op, kept, "12;DROP");
    g_autoptr(Resp) missing = merge (op, kept, "999999");
    g_autoptr(Resp) twice = merge (op, kept, (dup_twice = g_strjoin (",", dup, dup, NULL)));
    g_autoptr(JsonObject) d = fetch (dup);
    g_autoptr(JsonObject) f = fetch (far);

    g_assert_cmpuint (anon->status, ==, 401);
    g_assert_cmpuint (denied->status, ==, 403);
    g_assert_cmpuint (not_dup->status, ==, 422);
    g_assert_cmpuint (self->status, ==, 400);
    g_assert_cmpuint (junk->status, ==, 400);
    g_assert_cmpuint (missing->status, ==, 404);
    g_assert_cmpuint (twice->status, ==, 400);
    g_assert_false (json_object_has_member (d, "duplicate_of"));
    g_assert_false (json_object_has_member (f, "duplicate_of"));
    guint after = audit_count ("merge");

    g_assert_cmpuint (after, ==, before);
  }
  /* merged: the duplicate closed, linked, answered; a note on each; one audit row */
  {
    g_autoptr(Resp) r = merge (op, kept, dup);
    g_autoptr(JsonObject) d = fetch (dup);
    guint after = audit_count ("merge");
    g_autofree char *last = audit_last_detail ("merge");
    g_autofree char *notes = g_strdup_printf ("/open311/v2/requests/%s/notes.json", dup);
    g_autoptr(Resp) n = req ("GET", notes, op, NULL, NULL);
    JsonArray *na = array_of (n);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (first_of (r), "service_request_id"), ==, kept);
    g_assert_cmpstr (json_object_get_string_member (d, "status"), ==, "closed");
    g_assert_cmpstr (json_object_get_string_member (d, "duplicate_of"), ==, kept);
    g_assert_nonnull (strstr (json_object_get_string_member (d, "status_notes"), kept));
    g_assert_cmpuint (after, ==, before + 1);
    g_assert_cmpstr (last, ==, dup);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (na, json_array_get_length (na) - 1),
                                                    "action"), ==, "merge");
  }
  /* a merged report is merged once, and nothing is merged into it */
  {
    g_autoptr(Resp) again = merge (op, kept, dup);
    g_autoptr(Resp) into = merge (op, dup, kept);

    g_assert_cmpuint (again->status, ==, 409);
    g_assert_cmpuint (into->status, ==, 409);
  }
}

static Resp *
unmask (const char *token, const char *id, const char *purpose)
{
  g_autofree char *path = g_strdup_printf ("/open311/v2/requests/%s/personal.json", id);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  if (purpose != NULL)
    json_object_set_string_member (body, "purpose", purpose);
  json_node_set_object (node, body);
  text = json_to_string (node, FALSE);
  return req ("POST", path, token, "application/json", text);
}

/* The reporter, only for a role that handles feedback, only for a stated
 * purpose that the audit row keeps; never cached. */
static void
test_unmask_with_purpose (void)
{
  const char *purpose = "Gọi lại người dân để xác minh vị trí ngập trước khi cử đội xử lý";
  g_autofree char *op = test_login (server, "trucban");
  g_autoptr(Resp) posted = req ("POST", "/open311/v2/requests.json", NULL, "application/x-www-form-urlencoded",
                                "service_code=ngap-ung&lat=22.4856&long=103.9707&first_name=V%C4%83n+An"
                                "&last_name=Nguy%E1%BB%85n&phone=0912345123&email=an%40example.vn");
  g_autofree char *id = id_of (first_of (posted));
  guint before = audit_count ("read-personal-data");

  {
    static const char *const roles_refused[] = { "lanhdao", "quyhoach", "dulieu" };

    for (guint i = 0; i < G_N_ELEMENTS (roles_refused); i++)
      {
        g_autofree char *token = test_login (server, roles_refused[i]);
        g_autoptr(Resp) r = unmask (token, id, purpose);

        g_assert_cmpuint (r->status, ==, 403);
      }
  }
  {
    g_autoptr(Resp) anon = unmask (NULL, id, purpose);
    g_autoptr(Resp) none = unmask (op, id, NULL);
    g_autoptr(Resp) short_one = unmask (op, id, "  xem  ");
    g_autofree char *long_text = g_strnfill (PURPOSE_MAX + 1, 'a');
    g_autoptr(Resp) long_one = unmask (op, id, long_text);
    g_autoptr(Resp) missing = unmask (op, "999999", purpose);

    g_assert_cmpuint (anon->status, ==, 401);
    g_assert_cmpuint (none->status, ==, 400);
    g_assert_cmpuint (short_one->status, ==, 400);
    g_assert_cmpuint (long_one->status, ==, 400);
    g_assert_cmpuint (missing->status, ==, 404);
    g_assert_null (strstr (anon->body, "0912345123"));
    g_assert_null (strstr (none->body, "0912345123"));
    guint after = audit_count ("read-personal-data");

    g_assert_cmpuint (after, ==, before);
  }
  {
    g_autoptr(Resp) r = unmask (op, id, purpose);
    JsonObject *o = first_of (r);
    guint after = audit_count ("read-personal-data");
    g_autofree char *last = audit_last_detail ("read-personal-data");

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (o, "personal_data"), ==, "full");
    g_assert_cmpstr (json_object_get_string_member (o, "phone"), ==, "0912345123");
    g_assert_cmpstr (json_object_get_string_member (o, "last_name"), ==, "Nguyễn");
    g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Cache-Control"), ==, "no-store");
    g_assert_cmpuint (after, ==, before + 1);
    g_assert_cmpstr (last, ==, purpose);
  }
  /* the list stays masked for the same operator */
  {
    g_autofree char *path = g_strdup_printf ("/open311/v2/requests/%s.json", id);
    g_autoptr(Resp) r = req ("GET", path, op, NULL, NULL);

    g_assert_cmpstr (json_object_get_string_member (first_of (r), "phone"), ==, "*******123");
  }
}

/* The demo's photos, linked whole, served as PNG by plain names only. */
static void
test_photos (void)
{
  g_autoptr(Resp) all = req ("GET", "/open311/v2/requests.json?status=open,closed", NULL, NULL, NULL);
  JsonArray *a = array_of (all);
  const char *url = NULL;
  static const char *const refused[] = { "/open311/v2/media/..%2F..%2Fetc%2Fpasswd", "/open311/v2/media/x.jpg",
                                         "/open311/v2/media/Sat-lo-1.png", "/open311/v2/media/nope.png", NULL };

  for (guint i = 0; i < json_array_get_length (a) && url == NULL; i++)
    url = json_object_get_string_member_with_default (json_array_get_object_element (a, i), "media_url", NULL);
  g_assert_nonnull (url);
  g_assert_true (g_str_has_prefix (url, server->base));
  {
    g_autoptr(Resp) photo = test_http ("GET", url, NULL, NULL, NULL, NULL);

    g_assert_cmpuint (photo->status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_content_type (photo->headers, NULL), ==, "image/png");
    g_assert_true (g_str_has_prefix (photo->body, "\x89PNG"));
  }
  for (guint i = 0; refused[i] != NULL; i++)
    {
      g_autoptr(Resp) r = req ("GET", refused[i], NULL, NULL, NULL);

      /* an encoded slash is refused before the route (400), the rest by it */
      if (r->status != 404 && r->status != 400)
        g_error ("GET %s: %u", refused[i], r->status);
      g_assert_false (g_str_has_prefix (r->body, "\x89PNG"));
    }
}

static void
test_me (void)
{
  g_autofree char *leader = test_login (server, "lanhdao");
  g_autoptr(Resp) me = req ("GET", "/auth/me", leader, NULL, NULL);
  g_autoptr(Resp) anon = req ("GET", "/auth/me", NULL, NULL, NULL);

  g_assert_cmpuint (me->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (resp_object (me), "username"), ==, "lanhdao");
  g_assert_cmpstr (json_object_get_string_member (resp_object (me), "role"), ==, "leader");
  g_assert_cmpuint (anon->status, ==, 401);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL, *db = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  dir = test_tmpdir ();
  db = g_build_filename (dir, "feedback.db", NULL);
  server = test_server_start (db, (const char *const[]) { "--rate-limit=0", NULL });

  g_test_add_func ("/feedback/sla", test_sla);
  g_test_add_func ("/feedback/duplicates-and-merge", test_duplicates_and_merge);
  g_test_add_func ("/feedback/unmask-with-purpose", test_unmask_with_purpose);
  g_test_add_func ("/feedback/photos", test_photos);
  g_test_add_func ("/feedback/me", test_me);
  rc = g_test_run ();
  test_server_free (server);
  return rc;
}
