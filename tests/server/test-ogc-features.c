/* OGC API – Features Part 1 against the real saban-server: the assertions of
 * OGC's ets-ogcapi-features10 (core, oas30, geojson), GDAL's own OAPIF client,
 * and hostile parameters. */
#include "server-fixture.h"

#include <gdal.h>
#include <glib/gstdio.h>
#include <math.h>
#include <ogr_api.h>

#include "saban-transform.h"

static TestServer *server;

static Resp *
get (const char *path)
{
  return test_request (server, "GET", path, NULL, NULL, NULL, NULL);
}

static JsonObject *
find_link (JsonObject *doc, const char *rel)
{
  JsonArray *links = json_object_get_array_member (doc, "links");

  g_assert_nonnull (links);
  for (guint i = 0; i < json_array_get_length (links); i++)
    {
      JsonObject *l = json_array_get_object_element (links, i);
      g_assert_true (json_object_has_member (l, "href"));
      g_assert_true (json_object_has_member (l, "rel"));
      if (g_str_equal (json_object_get_string_member (l, "rel"), rel))
        return l;
    }
  return NULL;
}

static void
assert_content_type (Resp *r, const char *want)
{
  const char *ct = soup_message_headers_get_content_type (r->headers, NULL);
  g_assert_cmpstr (ct, ==, want);
}

/* /conf/core/root-op, /conf/core/root-success */
static void
test_landing (void)
{
  g_autoptr(Resp) r = get ("/");
  JsonObject *doc, *l;

  g_assert_cmpuint (r->status, ==, 200);
  assert_content_type (r, "application/json");
  doc = resp_object (r);
  l = find_link (doc, "service-desc");
  g_assert_nonnull (l);
  g_assert_cmpstr (json_object_get_string_member (l, "type"), ==, "application/vnd.oai.openapi+json;version=3.0");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (l, "href"), "http://"));
  g_assert_nonnull (find_link (doc, "conformance"));
  g_assert_nonnull (find_link (doc, "data"));
  /* the other APIs and the token endpoint are linked too */
  g_assert_nonnull (strstr (r->body, "/v1.1\""));
  g_assert_nonnull (strstr (r->body, "/open311/v2/\""));
  g_assert_nonnull (strstr (r->body, "/auth/token\""));
}

/* /conf/oas30/oas-definition-1, -2: the API definition is OpenAPI 3.0 JSON and
 * documents every path we serve */
static void
test_api (void)
{
  g_autoptr(Resp) r = get ("/api");
  JsonObject *doc, *paths;
  const char *served[] = { "/", "/api", "/conformance", "/collections", "/collections/{collectionId}",
                           "/collections/{collectionId}/items", "/collections/{collectionId}/items/{featureId}",
                           "/auth/token", "/health" };

  g_assert_cmpuint (r->status, ==, 200);
  assert_content_type (r, "application/vnd.oai.openapi+json");
  doc = resp_object (r);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (doc, "openapi"), "3.0"));
  paths = json_object_get_object_member (doc, "paths");
  for (guint i = 0; i < G_N_ELEMENTS (served); i++)
    g_assert_true (json_object_has_member (paths, served[i]));
}

/* /conf/core/conformance-op, -success */
static void
test_conformance (void)
{
  g_autoptr(Resp) r = get ("/conformance");
  JsonArray *c;
  gboolean core = FALSE, oas = FALSE, geojson = FALSE;

  g_assert_cmpuint (r->status, ==, 200);
  c = json_object_get_array_member (resp_object (r), "conformsTo");
  for (guint i = 0; i < json_array_get_length (c); i++)
    {
      const char *s = json_array_get_string_element (c, i);
      core |= g_str_equal (s, "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core");
      oas |= g_str_equal (s, "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30");
      geojson |= g_str_equal (s, "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson");
    }
  g_assert_true (core && oas && geojson);
}

/* /conf/core/fc-md-op, -success, -links, -items, -extent; /conf/core/sfc-md-* */
static void
test_collections (void)
{
  g_autoptr(Resp) r = get ("/collections");
  JsonArray *cs;
  gboolean parcels = FALSE, tasks = FALSE;

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_nonnull (find_link (resp_object (r), "self"));
  cs = json_object_get_array_member (resp_object (r), "collections");
  g_assert_cmpuint (json_array_get_length (cs), >=, 12);
  for (guint i = 0; i < json_array_get_length (cs); i++)
    {
      JsonObject *c = json_array_get_object_element (cs, i);
      const char *id = json_object_get_string_member (c, "id");
      JsonObject *items = find_link (c, "items");
      g_autofree char *path = g_strconcat ("/collections/", id, NULL);
      g_autoptr(Resp) one = get (path);

      g_assert_nonnull (items);
      g_assert_cmpstr (json_object_get_string_member (items, "type"), ==, "application/geo+json");
      if (json_object_has_member (c, "extent"))
        {
          JsonArray *bbox = json_array_get_array_element (
            json_object_get_array_member (json_object_get_object_member (json_object_get_object_member (c, "extent"),
                                                                         "spatial"), "bbox"), 0);
          g_assert_cmpuint (json_array_get_length (bbox), ==, 4);
          /* the province is around 103.5–105 °E, 21.5–22.9 °N */
          g_assert_cmpfloat (json_array_get_double_element (bbox, 0), >, 102.5);
          g_assert_cmpfloat (json_array_get_double_element (bbox, 2), <, 106);
          g_assert_cmpfloat (json_array_get_double_element (bbox, 1), >, 20.5);
          g_assert_cmpfloat (json_array_get_double_element (bbox, 3), <, 23.5);
        }
      /* /collections/{id} describes the same collection */
      g_assert_cmpuint (one->status, ==, 200);
      g_assert_cmpstr (json_object_get_string_member (resp_object (one), "id"), ==, id);
      parcels |= g_str_equal (id, "parcels");
      tasks |= g_str_equal (id, "tasks");
    }
  g_assert_true (parcels && tasks);
}

static JsonObject *
assert_feature_collection (Resp *r)
{
  JsonObject *fc;
  JsonArray *features;

  g_assert_cmpuint (r->status, ==, 200);
  assert_content_type (r, "application/geo+json");
  fc = resp_object (r);
  g_assert_cmpstr (json_object_get_string_member (fc, "type"), ==, "FeatureCollection");
  features = json_object_get_array_member (fc, "features");
  g_assert_nonnull (features);
  g_assert_nonnull (find_link (fc, "self"));
  g_assert_true (json_object_has_member (fc, "timeStamp"));
  /* /req/core/fc-numberReturned */
  g_assert_cmpint (json_object_get_int_member (fc, "numberReturned"), ==, json_array_get_length (features));
  g_assert_cmpint (json_object_get_int_member (fc, "numberMatched"), >=, json_array_get_length (features));
  return fc;
}

/* /conf/core/fc-op, fc-limit-*, fc-links, fc-numberMatched via paging */
static void
test_items_paging (void)
{
  g_autoptr(Resp) first = get ("/collections/communes/items");
  JsonObject *fc = assert_feature_collection (first);
  gint64 matched = json_object_get_int_member (fc, "numberMatched");
  g_autofree char *next = NULL;
  guint pages = 0, total = 0;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  static gint64 ids[200];

  g_assert_cmpint (matched, ==, 99);
  g_assert_cmpint (json_object_get_int_member (fc, "numberReturned"), ==, 10);  /* the default limit */

  next = g_strconcat (server->base, "/collections/communes/items?limit=25", NULL);
  while (next != NULL)
    {
      g_autoptr(Resp) r = test_http ("GET", next, NULL, NULL, NULL, NULL);
      JsonObject *page = assert_feature_collection (r);
      JsonArray *features = json_object_get_array_member (page, "features");
      JsonObject *l = find_link (page, "next");

      g_assert_cmpuint (json_array_get_length (features), <=, 25);
      for (guint i = 0; i < json_array_get_length (features); i++)
        {
          JsonObject *f = json_array_get_object_element (features, i);
          g_assert_cmpstr (json_object_get_string_member (f, "type"), ==, "Feature");
          ids[total] = json_object_get_int_member (f, "id");
          g_assert_false (g_hash_table_contains (seen, &ids[total]));
          g_hash_table_add (seen, &ids[total]);
          total++;
        }
      g_free (next);
      next = l ? g_strdup (json_object_get_string_member (l, "href")) : NULL;
      /* GDAL 3.6 needs absolute next links */
      g_assert_true (next == NULL || g_str_has_prefix (next, "http://127.0.0.1:"));
      pages++;
    }
  g_assert_cmpuint (pages, ==, 4);
  g_assert_cmpuint (total, ==, 99);
}

static gboolean
geometry_touches (JsonNode *n, const double b[4], double slack)
{
  JsonArray *a = json_node_get_array (n);

  if (JSON_NODE_HOLDS_VALUE (json_array_get_element (a, 0)))
    {
      double x = json_array_get_double_element (a, 0), y = json_array_get_double_element (a, 1);
      return x >= b[0] - slack && x <= b[2] + slack && y >= b[1] - slack && y <= b[3] + slack;
    }
  for (guint i = 0; i < json_array_get_length (a); i++)
    if (geometry_touches (json_array_get_element (a, i), b, slack))
      return TRUE;
  return FALSE;
}

/* /conf/core/fc-bbox-definition, fc-bbox-response */
static void
test_items_bbox (void)
{
  const double b[4] = { 103.95, 22.45, 104.05, 22.55 };  /* around Lào Cai city */
  g_autoptr(Resp) r = get ("/collections/schools/items?bbox=103.95,22.45,104.05,22.55&limit=1000");
  g_autoptr(Resp) all = get ("/collections/schools/items?limit=1");
  JsonObject *fc = assert_feature_collection (r);
  JsonArray *features = json_object_get_array_member (fc, "features");

  g_assert_cmpint (json_object_get_int_member (fc, "numberMatched"), <,
                   json_object_get_int_member (resp_object (all), "numberMatched"));
  for (guint i = 0; i < json_array_get_length (features); i++)
    {
      JsonObject *g = json_object_get_object_member (json_array_get_object_element (features, i), "geometry");
      g_assert_true (geometry_touches (json_object_get_member (g, "coordinates"), b, 1e-6));
    }
  {
    /* 6 numbers (3D) are accepted; a bbox far away matches nothing */
    g_autoptr(Resp) r3 = get ("/collections/schools/items?bbox=103.95,22.45,0,104.05,22.55,100");
    g_autoptr(Resp) far = get ("/collections/schools/items?bbox=0,0,1,1");
    g_assert_cmpuint (r3->status, ==, 200);
    g_assert_cmpint (json_object_get_int_member (assert_feature_collection (far), "numberMatched"), ==, 0);
  }
}

/* /conf/core/fc-time-definition, fc-time-response */
static void
test_items_datetime (void)
{
  const char *good[] = { "2025-07-01T00:00:00Z", "2025-07-01", "2025-07-01T00:00:00Z/2025-08-01T00:00:00Z",
                         "../2025-08-01T00:00:00Z", "2025-07-01T00:00:00Z/..", "2025-07-01/" };
  const char *bad[] = { "yesterday", "2025-13-01", "2025-07-01T00:00:00Z/2025-06-01T00:00:00Z", "../..", "a/b/c" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *path = g_strdup_printf ("/collections/roads/items?datetime=%s", good[i]);
      g_autoptr(Resp) r = get (path);
      g_assert_cmpuint (r->status, ==, 200);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_strdup_printf ("/collections/roads/items?datetime=%s", bad[i]);
      g_autoptr(Resp) r = get (path);
      g_assert_cmpuint (r->status, ==, 400);
    }
}

/* /conf/core/f-op, f-success; 404s */
static void
test_feature (void)
{
  g_autoptr(Resp) r = get ("/collections/fire_stations/items/1");
  JsonObject *f;
  JsonArray *coords;

  g_assert_cmpuint (r->status, ==, 200);
  assert_content_type (r, "application/geo+json");
  f = resp_object (r);
  g_assert_cmpstr (json_object_get_string_member (f, "type"), ==, "Feature");
  g_assert_cmpint (json_object_get_int_member (f, "id"), ==, 1);
  g_assert_nonnull (find_link (f, "self"));
  g_assert_nonnull (find_link (f, "collection"));
  /* CRS84: longitude first, in the province */
  coords = json_object_get_array_member (json_object_get_object_member (f, "geometry"), "coordinates");
  g_assert_cmpfloat (json_array_get_double_element (coords, 0), >, 103);
  g_assert_cmpfloat (json_array_get_double_element (coords, 0), <, 105.5);
  g_assert_cmpfloat (json_array_get_double_element (coords, 1), >, 21);
  g_assert_cmpfloat (json_array_get_double_element (coords, 1), <, 23.5);

  {
    const char *missing[] = { "/collections/fire_stations/items/999999", "/collections/fire_stations/items/abc",
                              "/collections/fire_stations/items/-1", "/collections/nope", "/collections/nope/items",
                              "/nothing-here" };
    for (guint i = 0; i < G_N_ELEMENTS (missing); i++)
      {
        g_autoptr(Resp) m = get (missing[i]);
        g_assert_cmpuint (m->status, ==, 404);
        g_assert_true (json_object_has_member (resp_object (m), "code"));
      }
  }
}

/* unknown parameters, limit=unlimited, bad limits, huge limits, traversal */
static void
test_hostile_params (void)
{
  const char *bad[] = { "/collections/parcels/items?limit=unlimited", "/collections/parcels/items?limit=0",
                        "/collections/parcels/items?limit=-5", "/collections/parcels/items?foo=bar",
                        "/collections/parcels/items?bbox=1,2,3", "/collections/parcels/items?bbox=a,b,c,d",
                        "/collections/parcels/items?bbox=104,23,105,22", "/collections/parcels/items?offset=x",
                        "/collections/parcels/items?limit=10%27%3B%20DROP%20TABLE%20items%3B--",
                        "/collections/parcels/items?f=xml" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(Resp) r = get (bad[i]);
      g_assert_cmpuint (r->status, ==, 400);
      g_assert_cmpstr (json_object_get_string_member (resp_object (r), "code"), ==, "invalid-parameter");
    }
  {
    /* a huge limit is clamped to 10 000, not an error and not unbounded */
    g_autoptr(Resp) r = get ("/collections/parcels/items?limit=99999999999999999999");
    JsonObject *fc = assert_feature_collection (r);
    g_assert_cmpint (json_object_get_int_member (fc, "numberReturned"), ==, 10000);
    g_assert_nonnull (find_link (fc, "next"));
  }
  {
    const char *traversal[] = { "/collections/..%2f..%2fetc/items", "/collections/..%2F..%2Fetc%2Fpasswd",
                                "/collections/%2e%2e/items", "/collections/parcels%00/items",
                                "/collections/parcels'%20OR%201=1--/items" };
    for (guint i = 0; i < G_N_ELEMENTS (traversal); i++)
      {
        g_autoptr(Resp) r = get (traversal[i]);
        /* libsoup itself refuses some of these with 400; none may reach a file */
        g_assert_true (r->status == 404 || r->status == 400);
        g_assert_null (strstr (r->body, "root:"));
      }
  }
  {
    g_autoptr(Resp) r = get ("/collections/parcels/items?limit=1");
    g_assert_cmpuint (r->status, ==, 200);  /* and the server is still fine */
  }
}

static char *
run (const char *const *argv, int *status)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                NULL, status, &error);
  g_assert_no_error (error);
  return out;
}

/* Compares a GeoJSON coordinates member with @g reprojected exactly;
 * returns the largest difference in degrees. */
static double
coordinates_differ (JsonNode *coords, OGRGeometryH g)
{
  OGRwkbGeometryType type = wkbFlatten (OGR_G_GetGeometryType (g));
  JsonArray *a = json_node_get_array (coords);
  double worst = 0;

  if (type == wkbPoint)
    return MAX (fabs (json_array_get_double_element (a, 0) - OGR_G_GetX (g, 0)),
                fabs (json_array_get_double_element (a, 1) - OGR_G_GetY (g, 0)));
  if (type == wkbLineString || type == wkbLinearRing)
    {
      g_assert_cmpuint (json_array_get_length (a), ==, OGR_G_GetPointCount (g));
      for (int i = 0; i < OGR_G_GetPointCount (g); i++)
        {
          JsonArray *p = json_array_get_array_element (a, i);

          g_assert_cmpuint (json_array_get_length (p), ==, 2);
          worst = MAX (worst, fabs (json_array_get_double_element (p, 0) - OGR_G_GetX (g, i)));
          worst = MAX (worst, fabs (json_array_get_double_element (p, 1) - OGR_G_GetY (g, i)));
        }
      return worst;
    }
  g_assert_cmpuint (json_array_get_length (a), ==, OGR_G_GetGeometryCount (g));
  for (int i = 0; i < OGR_G_GetGeometryCount (g); i++)
    worst = MAX (worst, coordinates_differ (json_array_get_element (a, i), OGR_G_GetGeometryRef (g, i)));
  return worst;
}

/* The server writes GeoJSON geometries itself: each type, every part and
 * point as the GeoPackage holds it, reprojected exactly to CRS84, to the
 * 7 decimals it promises. */
static void
test_geometry_exact (void)
{
  const struct { const char *collection, *type; } cases[] = {
    { "communes", "MultiPolygon" }, { "parcels", "Polygon" }, { "roads", "LineString" },
    { "fire_stations", "Point" },
  };
  g_autoptr(SabanTransform) t = saban_transform_new_epsg (SABAN_EPSG_VN2000_TM3_10445, SABAN_EPSG_WGS84, NULL);
  GDALDatasetH ds;

  GDALAllRegister ();
  ds = GDALOpenEx (g_getenv ("SABAN_DEMO_DATA"), GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  g_assert_nonnull (ds);
  g_assert_nonnull (t);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    for (gint64 fid = 1; fid <= 3; fid++)
      {
        g_autofree char *path = g_strdup_printf ("/collections/%s/items/%" G_GINT64_FORMAT, cases[c].collection, fid);
        g_autoptr(Resp) r = get (path);
        OGRFeatureH f = OGR_L_GetFeature (GDALDatasetGetLayerByName (ds, cases[c].collection), fid);
        JsonObject *geometry;
        OGRGeometryH g;

        g_assert_cmpuint (r->status, ==, 200);
        g_assert_nonnull (f);
        geometry = json_object_get_object_member (resp_object (r), "geometry");
        g_assert_cmpstr (json_object_get_string_member (geometry, "type"), ==, cases[c].type);
        g = OGR_G_Clone (OGR_F_GetGeometryRef (f));
        g_assert_true (saban_transform_geometry (t, g));
        g_assert_cmpfloat (coordinates_differ (json_object_get_member (geometry, "coordinates"), g), <=, 0.51e-7);
        OGR_G_DestroyGeometry (g);
        OGR_F_Destroy (f);
      }
  GDALClose (ds);
}

/* A bbox's pages, read in one pass each: together exactly numberMatched
 * features, none twice, the count the same on every page. */
static void
test_items_bbox_pages (void)
{
  const char *query = "/collections/parcels/items?bbox=103.90,22.38,104.10,22.56&limit=70";
  g_autoptr(Resp) first = get (query);
  gint64 matched = json_object_get_int_member (assert_feature_collection (first), "numberMatched");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  g_assert_cmpint (matched, >, 150);
  for (gint64 offset = 0; offset < matched + 70; offset += 70)
    {
      g_autofree char *path = g_strdup_printf ("%s&offset=%" G_GINT64_FORMAT, query, offset);
      g_autoptr(Resp) r = get (path);
      JsonObject *page = assert_feature_collection (r);
      JsonArray *features = json_object_get_array_member (page, "features");

      g_assert_cmpint (json_object_get_int_member (page, "numberMatched"), ==, matched);
      g_assert_cmpint (json_array_get_length (features), ==, CLAMP (matched - offset, 0, 70));
      g_assert_true ((find_link (page, "next") != NULL) == (offset + 70 < matched));
      for (guint i = 0; i < json_array_get_length (features); i++)
        {
          gint64 *id = g_new (gint64, 1);

          *id = json_object_get_int_member (json_array_get_object_element (features, i), "id");
          g_assert_false (g_hash_table_contains (seen, id));
          g_hash_table_add (seen, id);
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, matched);
}

/* GDAL's own OAPIF client reads the server: a client we did not write */
static void
test_gdal_client (void)
{
  g_autofree char *dsn = g_strconcat ("OAPIF:", server->base, NULL);
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *out = g_build_filename (dir, "communes.geojson", NULL);
  g_autofree char *text = NULL, *info = NULL;
  int status = 0;

  if (g_find_program_in_path ("ogrinfo") == NULL)
    {
      g_test_skip ("ogrinfo (gdal-bin) is not installed");
      return;
    }
  {
    const char *argv[] = { "ogrinfo", "-ro", "-so", "-oo", "PAGE_SIZE=50", dsn, NULL };
    info = run (argv, &status);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (info, "communes"));
    g_assert_nonnull (strstr (info, "parcels"));
    g_assert_nonnull (strstr (info, "fire_stations"));
  }
  {
    const char *argv[] = { "ogr2ogr", "-f", "GeoJSON", out, dsn, "communes", "-oo", "PAGE_SIZE=20", NULL };
    g_autofree char *o = run (argv, &status);
    g_autoptr(JsonParser) p = json_parser_new ();
    JsonArray *features;

    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_true (json_parser_load_from_file (p, out, NULL));
    features = json_object_get_array_member (json_node_get_object (json_parser_get_root (p)), "features");
    /* 99 communes over 5 pages of 20, each once */
    g_assert_cmpuint (json_array_get_length (features), ==, 99);
    g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (json_array_get_object_element (features, 0), "properties"),
                       "name"), !=, NULL);
  }
  g_unlink (out);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL, *db = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  dir = test_tmpdir ();
  db = g_build_filename (dir, "server.db", NULL);
  server = test_server_start (db, (const char *const[]) { "--rate-limit=0", NULL });

  g_test_add_func ("/ogc/landing", test_landing);
  g_test_add_func ("/ogc/api", test_api);
  g_test_add_func ("/ogc/conformance", test_conformance);
  g_test_add_func ("/ogc/collections", test_collections);
  g_test_add_func ("/ogc/items-paging", test_items_paging);
  g_test_add_func ("/ogc/items-bbox", test_items_bbox);
  g_test_add_func ("/ogc/items-bbox-pages", test_items_bbox_pages);
  g_test_add_func ("/ogc/geometry-exact", test_geometry_exact);
  g_test_add_func ("/ogc/items-datetime", test_items_datetime);
  g_test_add_func ("/ogc/feature", test_feature);
  g_test_add_func ("/ogc/hostile-params", test_hostile_params);
  g_test_add_func ("/ogc/gdal-client", test_gdal_client);
  rc = g_test_run ();

  test_server_free (server);
  return rc;
}
