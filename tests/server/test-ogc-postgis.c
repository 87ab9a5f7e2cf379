/* OGC API – Features collections served from PostGIS tables (issue 16):
 * the demo GeoPackage loaded into the server's own PostgreSQL database with
 * ogr2ogr, served with `--data PG:…`, answers as the GeoPackage does —
 * the same collections, counts, Features (properties and geometry, by
 * FID), bbox results — and GDAL's OAPIF driver reads it; its connections
 * cut, the worker threads' pooled datasets reconnect. PostgreSQL only.
 */
#include <math.h>
#include <string.h>

#include "server-fixture.h"

static JsonObject *
get_object (TestServer *s, const char *path, Resp **keep)
{
  *keep = test_request (s, "GET", path, NULL, NULL, NULL, NULL);
  g_assert_cmpuint ((*keep)->status, ==, 200);
  return resp_object (*keep);
}

static gboolean
same_coordinates (JsonNode *a, JsonNode *b)
{
  if (JSON_NODE_HOLDS_ARRAY (a) != JSON_NODE_HOLDS_ARRAY (b))
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (a))
    return fabs (json_node_get_double (a) - json_node_get_double (b)) < 1e-9;
  if (json_array_get_length (json_node_get_array (a)) != json_array_get_length (json_node_get_array (b)))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (a)); i++)
    if (!same_coordinates (json_array_get_element (json_node_get_array (a), i),
                           json_array_get_element (json_node_get_array (b), i)))
      return FALSE;
  return TRUE;
}

/* Same id, same properties, same geometry (to 1e-9°) */
static void
assert_same_feature (JsonObject *a, JsonObject *b)
{
  JsonObject *ga = json_object_get_object_member (a, "geometry");
  JsonObject *gb = json_object_get_object_member (b, "geometry");

  g_assert_cmpint (json_object_get_int_member (a, "id"), ==, json_object_get_int_member (b, "id"));
  g_assert_true (json_node_equal (json_object_get_member (a, "properties"), json_object_get_member (b, "properties")));
  g_assert_cmpstr (json_object_get_string_member (ga, "type"), ==, json_object_get_string_member (gb, "type"));
  g_assert_true (same_coordinates (json_object_get_member (ga, "coordinates"),
                                   json_object_get_member (gb, "coordinates")));
}

static int
compare_ids (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The ids of a FeatureCollection, sorted: bbox results may come in another order */
static char *
ids_of (JsonObject *fc)
{
  JsonArray *features = json_object_get_array_member (fc, "features");
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (features); i++)
    {
      gint64 id = json_object_get_int_member (json_array_get_object_element (features, i), "id");

      g_array_append_val (ids, id);
    }
  g_array_sort (ids, compare_ids);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (out, "%" G_GINT64_FORMAT ",", g_array_index (ids, gint64, i));
  return g_string_free (out, FALSE);
}

static void
test_postgis_collections (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *db_gpkg = g_build_filename (dir, "gpkg.db", NULL);
  g_autofree char *db_pg = g_build_filename (dir, "postgis.db", NULL);
  g_autofree char *location = test_db_location (db_pg);
  g_autofree char *pg_data = NULL, *data_arg = NULL;
  static const char *const layers[] = { "province", "communes", "rivers", "roads", "zoning", "parcels",
                                        "health_facilities", "schools", "shelters", "police_stations",
                                        "fire_stations", "sensor_sites" };
  TestServer *gpkg, *postgis;
  g_autoptr(Resp) a = NULL, b = NULL;

  /* the layers in the server's own database, FIDs kept */
  pg_data = g_strdup_printf ("PG:%s", location);
  test_db_load_layers (pg_data, NULL);
  data_arg = g_strconcat ("--data=", pg_data, NULL);
  gpkg = test_server_start (db_gpkg, (const char *const[]) { "--rate-limit=0", NULL });
  postgis = test_server_start (db_pg, (const char *const[]) { "--rate-limit=0", data_arg, NULL });

  for (guint i = 0; i < G_N_ELEMENTS (layers); i++)
    {
      g_autofree char *items = g_strdup_printf ("/collections/%s/items?limit=50", layers[i]);
      g_autofree char *coll = g_strdup_printf ("/collections/%s", layers[i]);
      g_autoptr(Resp) ca = NULL, cb = NULL, ia = NULL, ib = NULL;
      JsonObject *fa, *fb;
      JsonArray *xa, *xb;

      get_object (gpkg, coll, &ca);
      get_object (postgis, coll, &cb);
      fa = get_object (gpkg, items, &ia);
      fb = get_object (postgis, items, &ib);
      g_assert_cmpint (json_object_get_int_member (fa, "numberMatched"), ==,
                       json_object_get_int_member (fb, "numberMatched"));
      xa = json_object_get_array_member (fa, "features");
      xb = json_object_get_array_member (fb, "features");
      g_assert_cmpuint (json_array_get_length (xa), ==, json_array_get_length (xb));
      for (guint k = 0; k < json_array_get_length (xa); k++)
        assert_same_feature (json_array_get_object_element (xa, k), json_array_get_object_element (xb, k));
    }
  /* one Feature by its FID; a bbox, as sets (PostgreSQL may order them by its index) */
  {
    g_autoptr(Resp) pa = NULL, pb = NULL, ba = NULL, bb = NULL;
    const char *bbox = "/collections/parcels/items?bbox=103.96,22.48,103.99,22.51&limit=1000";
    g_autofree char *ids_a = NULL, *ids_b = NULL;

    assert_same_feature (get_object (gpkg, "/collections/parcels/items/4321", &pa),
                         get_object (postgis, "/collections/parcels/items/4321", &pb));
    ids_a = ids_of (get_object (gpkg, bbox, &ba));
    ids_b = ids_of (get_object (postgis, bbox, &bb));
    g_assert_cmpuint (strlen (ids_a), >, 10);
    g_assert_cmpstr (ids_a, ==, ids_b);
  }
  /* GDAL's own client reads it */
  {
    g_autofree char *oapif = g_strdup_printf ("OAPIF:%s", postgis->base);
    g_autofree char *out = NULL;
    const char *argv[] = { "ogrinfo", "-ro", "-so", "-oo", "PAGE_SIZE=1000", oapif, "communes", NULL };
    g_autoptr(GError) error = NULL;
    int status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status,
                                 &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (out, "Feature Count: 99"));
  }
  /* The worker threads keep their datasets, connections included. Cut
   * those connections (the store's are named saban-server…, GDAL's not), as
   * a restarted or failed-over database would: the next requests, served by
   * the same threads, reconnect and answer as before, never a 503 or an
   * empty page. */
  {
    g_autoptr(Resp) before = test_request (postgis, "GET", "/collections/communes/items?limit=5", NULL, NULL, NULL,
                                           NULL);
    gint64 matched = json_object_get_int_member (resp_object (before), "numberMatched");

    g_assert_true (test_db_try_sql (location, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                                    "AND backend_type = 'client backend' "
                                    "AND application_name NOT LIKE 'saban-server%'"));
    for (int i = 0; i < 6; i++)
      {
        g_autoptr(Resp) r = test_request (postgis, "GET", "/collections/communes/items?limit=5", NULL, NULL, NULL,
                                          NULL);

        g_assert_cmpuint (r->status, ==, 200);
        g_assert_cmpint (json_object_get_int_member (resp_object (r), "numberMatched"), ==, matched);
        g_assert_cmpuint (json_array_get_length (json_object_get_array_member (resp_object (r), "features")), ==, 5);
      }
  }
  test_server_free (postgis);
  test_server_free (gpkg);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* registered in suite server-pg only */
  g_assert_true (test_db_is_postgres ());
  g_test_add_func ("/ogc-postgis/collections-from-postgis", test_postgis_collections);
  return g_test_run ();
}
