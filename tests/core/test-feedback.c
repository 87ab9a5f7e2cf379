/* core/feedback on figures worked out by hand: a service's time limit and
 * where a report stands against it; the likely-duplicate rule at its edges
 * (50 m, 24 h, the service, no place); the store from Open311 pages, hostile
 * ones included; its duplicates, filters, counts and on-time rate by
 * commune (two square communes); the list model and the map layer. */
#include <math.h>
#include <string.h>

#include "saban-feedback-list.h"
#include "saban-feedback-store.h"
#include "saban-json.h"
#include "saban-measure.h"

#define HOUR ((gint64) 3600 * G_USEC_PER_SEC)

static void
test_sla_and_timing (void)
{
  gint64 t0 = (gint64) 1780000000 * G_USEC_PER_SEC;
  gint64 due = saban_feedback_due_us (t0, 24);

  g_assert_cmpint (due, ==, t0 + 24 * HOUR);
  g_assert_cmpint (saban_feedback_due_us (t0, 1.5), ==, t0 + (gint64) 90 * 60 * G_USEC_PER_SEC);
  g_assert_cmpint (saban_feedback_due_us (t0, 0), ==, 0);
  g_assert_cmpint (saban_feedback_due_us (t0, NAN), ==, 0);
  /* open: within its time up to the due second itself, overdue after */
  g_assert_cmpint (saban_feedback_timing (FALSE, due, 0, due), ==, SABAN_FEEDBACK_OPEN);
  g_assert_cmpint (saban_feedback_timing (FALSE, due, 0, due + 1), ==, SABAN_FEEDBACK_OVERDUE);
  /* closed: judged by when, whatever the time now */
  g_assert_cmpint (saban_feedback_timing (TRUE, due, due, due + 100 * HOUR), ==, SABAN_FEEDBACK_CLOSED_ON_TIME);
  g_assert_cmpint (saban_feedback_timing (TRUE, due, due + 1, due), ==, SABAN_FEEDBACK_CLOSED_LATE);
  /* no limit: never late */
  g_assert_cmpint (saban_feedback_timing (FALSE, 0, 0, due + 1000 * HOUR), ==, SABAN_FEEDBACK_OPEN);
  g_assert_true (saban_feedback_timing_is_late (SABAN_FEEDBACK_OVERDUE));
  g_assert_true (saban_feedback_timing_is_late (SABAN_FEEDBACK_CLOSED_LATE));
  g_assert_false (saban_feedback_timing_is_late (SABAN_FEEDBACK_OPEN));
  g_assert_false (saban_feedback_timing_is_late (SABAN_FEEDBACK_CLOSED_ON_TIME));
}

/* a point @metres due north (azimuth 0) or east (90) of @p */
static SabanFeedbackPlace
moved (SabanFeedbackPlace p, double azimuth, double metres, gint64 later_us)
{
  saban_measure_destination (p.lon, p.lat, azimuth, metres, &p.lon, &p.lat);
  p.requested_us += later_us;
  return p;
}

static void
test_duplicate_rule (void)
{
  SabanFeedbackPlace a = { "ngap-ung", 22.4856, 103.9707, (gint64) 1780000000 * G_USEC_PER_SEC };
  SabanFeedbackPlace b;

  b = moved (a, 0, 49.5, 0);
  g_assert_true (saban_feedback_likely_duplicate (&a, &b));
  b = moved (a, 90, 49.5, 23 * HOUR);
  g_assert_true (saban_feedback_likely_duplicate (&a, &b));
  g_assert_true (saban_feedback_likely_duplicate (&b, &a));
  b = moved (a, 45, 50.5, 0);
  g_assert_false (saban_feedback_likely_duplicate (&a, &b));
  b = moved (a, 0, 10, 24 * HOUR + G_USEC_PER_SEC);
  g_assert_false (saban_feedback_likely_duplicate (&a, &b));
  b = moved (a, 0, 10, -24 * HOUR);
  g_assert_true (saban_feedback_likely_duplicate (&a, &b));
  b = moved (a, 0, 10, 0);
  b.service_code = "rac-thai";
  g_assert_false (saban_feedback_likely_duplicate (&a, &b));
  b = a;
  b.lat = NAN;
  g_assert_false (saban_feedback_likely_duplicate (&a, &b));
}

static const char services_json[] =
  "[{\"service_code\":\"ngap-ung\",\"service_name\":\"Ngập úng\",\"group\":\"Hạ tầng\",\"sla_hours\":24},"
  " {\"service_code\":\"rac-thai\",\"service_name\":\"Rác thải\",\"group\":\"Môi trường\",\"sla_hours\":48},"
  " {\"service_code\":\"khac\",\"service_name\":\"Khác\"},"
  " {\"service_name\":\"no code\"}, 42]";

/* a report as requests.json has it; @hours_ago before NOW */
static char *
report (int id, const char *service, const char *status, double lat, double lon, int hours_ago, int closed_after_hours,
        const char *extra)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (1780000000);
  g_autoptr(GDateTime) requested = g_date_time_add_hours (now, -hours_ago);
  g_autoptr(GDateTime) updated = g_date_time_add_hours (requested, closed_after_hours);
  g_autofree char *req = g_date_time_format_iso8601 (requested);
  g_autofree char *upd = g_date_time_format_iso8601 (updated);
  char lat_s[G_ASCII_DTOSTR_BUF_SIZE], lon_s[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup_printf ("{\"service_request_id\":\"%d\",\"service_code\":\"%s\",\"status\":\"%s\","
                          "\"requested_datetime\":\"%s\",\"updated_datetime\":\"%s\",\"lat\":%s,\"long\":%s,"
                          "\"phone\":\"*******123\"%s}",
                          id, service, status, req, upd, g_ascii_dtostr (lat_s, sizeof lat_s, lat),
                          g_ascii_dtostr (lon_s, sizeof lon_s, lon), extra ? extra : "");
}

#define NOW ((gint64) 1780000000 * G_USEC_PER_SEC)

/* Two communes, squares of 0.1° side west (A) and east (B) of 104° E at 22° N. */
static SabanVectorLayer *
two_communes (void)
{
  SabanFeatureArrays a = { 0 };
  const double lon0[2] = { 103.9, 104.0 };
  guint code, name;

  a.n_features = a.n_parts = 2;
  a.n_points = 10;
  a.part_starts = g_new (guint32, 3);
  a.point_starts = g_new (guint32, 3);
  a.xy = g_new (double, 20);
  a.boxes = g_new (double, 8);
  a.fids = g_new (gint64, 2);
  a.attributes = saban_attribute_table_new ();
  code = saban_attribute_table_add_field (a.attributes, "code", SABAN_FIELD_STRING);
  name = saban_attribute_table_add_field (a.attributes, "name", SABAN_FIELD_STRING);
  for (guint f = 0; f < 2; f++)
    {
      const double corners[5][2] = { { 0, 0 }, { 0.1, 0 }, { 0.1, 0.1 }, { 0, 0.1 }, { 0, 0 } };

      a.part_starts[f] = f;
      a.point_starts[f] = 5 * f;
      a.fids[f] = f;
      for (guint k = 0; k < 5; k++)
        saban_lonlat_to_mercator (lon0[f] + corners[k][0], 22.0 + corners[k][1], &a.xy[10 * f + 2 * k],
                                  &a.xy[10 * f + 2 * k + 1]);
      a.boxes[4 * f] = a.xy[10 * f];
      a.boxes[4 * f + 1] = a.xy[10 * f + 1];
      a.boxes[4 * f + 2] = a.xy[10 * f + 4];
      a.boxes[4 * f + 3] = a.xy[10 * f + 5];
      saban_attribute_table_append_string (a.attributes, code, f ? "B" : "A", 1);
      saban_attribute_table_append_string (a.attributes, name, f ? "Xã B" : "Xã A", strlen ("Xã A"));
    }
  a.part_starts[2] = 2;
  a.point_starts[2] = 10;
  return saban_vector_layer_new ("communes", "test", "EPSG:4326", "WGS 84", SABAN_GEOMETRY_POLYGON, &a);
}

/* The store a workspace holds: newest first, as the server sends them. */
static SabanFeedbackStore *
make_store (void)
{
  SabanFeedbackStore *store = saban_feedback_store_new ();
  g_autoptr(JsonNode) services = saban_json_parse (services_json, -1, NULL);
  g_autofree char *r1 = report (11, "ngap-ung", "open", 22.05, 103.95, 2, 0, NULL);            /* A: open */
  g_autofree char *r2 = report (12, "ngap-ung", "open", 22.0502, 103.9501, 5, 0, NULL);        /* A: duplicate of 11 */
  g_autofree char *r3 = report (13, "rac-thai", "open", 22.05, 104.05, 60, 0, NULL);           /* B: overdue (48 h) */
  g_autofree char *r4 = report (14, "rac-thai", "closed", 22.05, 104.06, 100, 10, NULL);       /* B: on time */
  g_autofree char *r5 = report (15, "ngap-ung", "closed", 22.06, 103.96, 200, 30, NULL);       /* A: late */
  g_autofree char *r6 = report (16, "ngap-ung", "closed", 22.0501, 103.9501, 6, 1, ",\"duplicate_of\":\"11\""); /* merged */
  g_autofree char *r7 = report (17, "khac", "open", 25.0, 110.0, 1000, 0, NULL);               /* no commune, no limit */
  g_autofree char *page = g_strdup_printf ("[%s,%s,%s,%s,%s,%s,%s,"
                                           "{\"service_request_id\":\"x\"},"
                                           "{\"service_request_id\":\"18\",\"service_code\":\"khac\",\"status\":\"pending\"},"
                                           "{\"service_request_id\":\"19\",\"service_code\":\"khac\",\"status\":\"open\","
                                           "\"requested_datetime\":\"2026-01-01T00:00:00Z\",\"lat\":95,\"long\":1},"
                                           "[1,2], null]", r1, r2, r3, r4, r5, r6, r7);
  g_autoptr(JsonNode) node = saban_json_parse (page, -1, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (saban_feedback_store_set_services (store, services, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (saban_feedback_store_add_page (store, node, &error), ==, 12);
  g_assert_no_error (error);
  return store;
}

static void
test_store (void)
{
  g_autoptr(SabanFeedbackStore) store = make_store ();
  const SabanFeedbackRequest *r;
  guint i;

  /* the two services without a code and the five bad reports are left out */
  g_assert_cmpuint (saban_feedback_store_get_n_services (store), ==, 3);
  g_assert_cmpfloat (saban_feedback_store_find_service (store, "rac-thai")->sla_hours, ==, 48);
  g_assert_cmpfloat (saban_feedback_store_find_service (store, "khac")->sla_hours, ==, 0);
  g_assert_cmpuint (saban_feedback_store_get_n_requests (store), ==, 7);
  g_assert_true (saban_feedback_store_find (store, 13, &i));
  r = saban_feedback_store_get_request (store, i);
  g_assert_cmpint (r->due_us, ==, NOW - 60 * HOUR + 48 * HOUR);
  g_assert_cmpstr (r->phone, ==, "*******123");
  g_assert_cmpint (saban_feedback_store_get_timing (store, i, NOW), ==, SABAN_FEEDBACK_OVERDUE);
  g_assert_true (saban_feedback_store_find (store, 14, &i));
  g_assert_cmpint (saban_feedback_store_get_timing (store, i, NOW), ==, SABAN_FEEDBACK_CLOSED_ON_TIME);
  g_assert_true (saban_feedback_store_find (store, 15, &i));
  g_assert_cmpint (saban_feedback_store_get_timing (store, i, NOW), ==, SABAN_FEEDBACK_CLOSED_LATE);
  g_assert_true (saban_feedback_store_find (store, 17, &i));
  g_assert_cmpint (saban_feedback_store_get_request (store, i)->due_us, ==, 0);
  g_assert_cmpint (saban_feedback_store_get_timing (store, i, NOW), ==, SABAN_FEEDBACK_OPEN);
  g_assert_false (saban_feedback_store_find (store, 18, NULL));
  g_assert_false (saban_feedback_store_find (store, 19, NULL));
  /* a write's answer replaces the report */
  {
    g_autofree char *closed = report (13, "rac-thai", "closed", 22.05, 104.05, 60, 50, NULL);
    g_autofree char *answer = g_strdup_printf ("[%s]", closed);
    g_autoptr(JsonNode) node = saban_json_parse (answer, -1, NULL);
    g_autoptr(JsonNode) stranger = saban_json_parse ("[{\"service_request_id\":\"99\"}]", -1, NULL);

    g_assert_true (saban_feedback_store_update (store, node, &i));
    g_assert_cmpint (saban_feedback_store_get_timing (store, i, NOW), ==, SABAN_FEEDBACK_CLOSED_LATE);
    g_assert_false (saban_feedback_store_update (store, stranger, NULL));
  }
}

static void
test_duplicates (void)
{
  g_autoptr(SabanFeedbackStore) store = make_store ();
  guint i11, i12, i16, i13;

  g_assert_true (saban_feedback_store_find (store, 11, &i11));
  g_assert_true (saban_feedback_store_find (store, 12, &i12));
  g_assert_true (saban_feedback_store_find (store, 13, &i13));
  g_assert_true (saban_feedback_store_find (store, 16, &i16));
  {
    g_autoptr(GArray) d = saban_feedback_store_get_duplicates (store, i11);
    g_autoptr(GArray) merged = saban_feedback_store_get_duplicates (store, i16);
    g_autoptr(GArray) none = saban_feedback_store_get_duplicates (store, i13);

    /* 12 is 25 m and 3 h from 11; 16 was merged already */
    g_assert_cmpuint (d->len, ==, 1);
    g_assert_cmpuint (g_array_index (d, guint, 0), ==, i12);
    g_assert_cmpuint (merged->len, ==, 0);
    g_assert_cmpuint (none->len, ==, 0);
  }
}

static void
test_filters_and_counts (void)
{
  g_autoptr(SabanFeedbackStore) store = make_store ();
  g_autoptr(SabanVectorLayer) communes = two_communes ();
  SabanFeedbackFilter f;
  SabanFeedbackCounts all;

  saban_feedback_store_set_communes (store, communes, "code", "name");
  g_assert_cmpuint (saban_feedback_store_get_n_communes (store), ==, 2);
  g_assert_cmpstr (saban_feedback_store_get_commune_code (store, 1), ==, "B");
  g_assert_cmpstr (saban_feedback_store_get_commune_name (store, 0), ==, "Xã A");

#define COUNT(...) G_STMT_START { g_autoptr(GArray) got_ = saban_feedback_store_filter (store, &f, NOW); \
                                  g_assert_cmpuint (got_->len, ==, __VA_ARGS__); } G_STMT_END
  saban_feedback_filter_init (&f);
  COUNT (7);
  f.closed = 0;
  COUNT (4);
  f.service_code = "ngap-ung";
  COUNT (2);
  saban_feedback_filter_init (&f);
  f.commune = 1;
  COUNT (2);
  saban_feedback_filter_init (&f);
  f.overdue_only = TRUE;
  COUNT (2);   /* 13 open past 48 h, 15 closed late */
  saban_feedback_filter_init (&f);
  f.max_age_days = 1;
  COUNT (3);   /* 11, 12, 16: hours old; 13 is 60 h */
  saban_feedback_filter_init (&f);
  f.duplicates_only = TRUE;
  COUNT (2);   /* 11 and 12, each the other's */
#undef COUNT

  {
    g_autoptr(GArray) by = saban_feedback_store_count_by_commune (store, NOW);
    const SabanFeedbackCounts *a = &g_array_index (by, SabanFeedbackCounts, 0);
    const SabanFeedbackCounts *b = &g_array_index (by, SabanFeedbackCounts, 1);

    /* A: 11, 12 open in time, 15 closed late (16 merged: not counted) → 0 of 1 due */
    g_assert_cmpuint (a->received, ==, 3);
    g_assert_cmpuint (a->open, ==, 2);
    g_assert_cmpuint (a->overdue, ==, 0);
    g_assert_cmpuint (a->closed, ==, 1);
    g_assert_cmpfloat (a->on_time_rate, ==, 0);
    /* B: 13 overdue, 14 closed on time → 1 of 2 */
    g_assert_cmpuint (b->received, ==, 2);
    g_assert_cmpuint (b->overdue, ==, 1);
    g_assert_cmpuint (b->closed_on_time, ==, 1);
    g_assert_cmpfloat (b->on_time_rate, ==, 0.5);
  }
  saban_feedback_store_count (store, NOW, &all);
  g_assert_cmpuint (all.received, ==, 6);
  g_assert_cmpuint (all.open, ==, 4);
  g_assert_cmpuint (all.overdue, ==, 1);
  g_assert_cmpfloat (all.on_time_rate, ==, 1.0 / 3);
}

static void
test_list_and_layer (void)
{
  g_autoptr(SabanFeedbackStore) store = make_store ();
  g_autoptr(SabanFeedbackList) list = saban_feedback_list_new ();
  g_autoptr(SabanFeedbackItem) first = NULL, again = NULL;
  g_autoptr(SabanVectorLayer) layer = NULL;
  SabanFeedbackFilter f;

  saban_feedback_list_set_store (list, store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 7);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  again = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_true (first == again);
  g_assert_cmpint (saban_feedback_item_get_request (first)->id, ==, 11);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 7));
  saban_feedback_filter_init (&f);
  f.closed = 1;
  saban_feedback_list_set_filter (list, &f, NOW);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);

  layer = saban_feedback_store_new_layer (store, saban_feedback_list_get_indices (list), NOW);
  g_assert_cmpuint (saban_vector_layer_get_n_features (layer), ==, 3);
  {
    const SabanFeatureArrays *a = saban_vector_layer_get_arrays (layer);
    int timing = saban_attribute_table_find_field (a->attributes, "timing");
    const SabanFeedbackRequest *r = saban_feedback_store_get_request (store, (guint) a->fids[0]);

    g_assert_cmpint (r->id, ==, 14);
    g_assert_cmpint (saban_attribute_table_get_integer (a->attributes, timing, 0), ==, SABAN_FEEDBACK_CLOSED_ON_TIME);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/feedback/sla-and-timing", test_sla_and_timing);
  g_test_add_func ("/feedback/duplicate-rule", test_duplicate_rule);
  g_test_add_func ("/feedback/store", test_store);
  g_test_add_func ("/feedback/duplicates", test_duplicates);
  g_test_add_func ("/feedback/filters-and-counts", test_filters_and_counts);
  g_test_add_func ("/feedback/list-and-layer", test_list_and_layer);
  return g_test_run ();
}
