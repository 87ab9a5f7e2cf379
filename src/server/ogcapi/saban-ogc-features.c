/* saban-ogc-features.c: OGC API – Features Part 1 (Core, GeoJSON, OAS 3.0).
 *
 * Owns the landing page, /api, /conformance and every /collections route.
 * Collections come from providers (the demo GeoPackage here, the Command API
 * in saban-command-api.c); GeoPackage and PostGIS reads run in GTask
 * threads, each thread with its own GDAL datasets and PROJ transforms, kept
 * from one request to the next, so the main loop never waits on GDAL and a
 * request pays for neither an open (a PostgreSQL connection) nor a PROJ
 * set-up.
 *
 * Over a thousand lines: the collections, items, queryables and paging
 * share the per-thread GDAL datasets and PROJ transforms they read through.
 */
#include "saban-ogc-features.h"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <math.h>
#include <cpl_conv.h>
#include <cpl_error.h>

#include "saban-ogr-reader.h"
#include "saban-transform.h"

extern const char saban_openapi_json[];

static const char *const common_params[] = { "limit", "offset", "bbox", "datetime", "f", NULL };

/* ---- shared parameter handling ---------------------------------------- */

static gboolean
parse_uint (const char *text, guint64 *out)
{
  char *end = NULL;

  if (text == NULL || *text == '\0' || strlen (text) > 12)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  *out = g_ascii_strtoull (text, &end, 10);
  return end != NULL && *end == '\0';
}

gboolean
saban_parse_fid (const char *text, gint64 *fid)
{
  guint64 v;

  if (!parse_uint (text, &v) || v == 0)
    return FALSE;
  *fid = (gint64) v;
  return TRUE;
}

/**
 * saban_normalise_time:
 * RFC 3339 date-time (or a bare date) → "YYYY-MM-DDTHH:MM:SS.mmmZ" in UTC, the
 * form the store writes, so times compare as text. %NULL if not a time.
 */
char *
saban_normalise_time (const char *text, gboolean end_of_day)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL, u = NULL;
  g_autofree char *base = NULL;

  if (text == NULL || strlen (text) > 64)
    return NULL;
  if (strlen (text) == 10 && text[4] == '-' && text[7] == '-')
    {
      int y, m, d;

      if (sscanf (text, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return NULL;
      dt = end_of_day ? g_date_time_new (utc, y, m, d, 23, 59, 59.999) : g_date_time_new (utc, y, m, d, 0, 0, 0);
    }
  else if (strchr (text, 'T') != NULL || strchr (text, 't') != NULL)
    dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    return NULL;
  u = g_date_time_to_utc (dt);
  base = g_date_time_format (u, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (u) / 1000);
}

static gboolean
bad (SabanRequest *req, const char *fmt, const char *what)
{
  saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid-parameter", fmt, what);
  return FALSE;
}

/**
 * saban_items_query_parse:
 * Validates limit, offset, bbox, datetime and rejects any parameter not in
 * the common set or @extra_params (OGC API – Features /req/core/query-param-unknown).
 * Replies 400 itself and returns %FALSE on bad input.
 */
gboolean
saban_items_query_parse (SabanRequest *req, const char *const *extra_params, SabanItemsQuery *q)
{
  GHashTableIter iter;
  gpointer key, value;
  const char *v;
  guint64 n;

  memset (q, 0, sizeof *q);
  q->limit = SABAN_LIMIT_DEFAULT;

  g_hash_table_iter_init (&iter, req->query);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_strv_contains (common_params, key) && (extra_params == NULL || !g_strv_contains (extra_params, key)))
      return bad (req, "unknown query parameter: %s", key);

  if ((v = g_hash_table_lookup (req->query, "f")) != NULL &&
      !g_str_equal (v, "json") && !g_str_equal (v, "geojson"))
    return bad (req, "unsupported format f=%s (json only)", v);

  if ((v = g_hash_table_lookup (req->query, "limit")) != NULL)
    {
      if (!parse_uint (v, &n) || n < 1)
        {
          /* "limit=unlimited" is a 400 too: a client must page */
          if (!(strlen (v) > 12 && strspn (v, "0123456789") == strlen (v)))
            return bad (req, "limit must be an integer from 1 (got %s)", v);
          n = SABAN_LIMIT_MAX;
        }
      q->limit = (guint) MIN (n, SABAN_LIMIT_MAX);
    }
  if ((v = g_hash_table_lookup (req->query, "offset")) != NULL)
    {
      if (!parse_uint (v, &n) || n > G_MAXINT)
        return bad (req, "offset must be a non-negative integer (got %s)", v);
      q->offset = (guint) n;
    }
  if ((v = g_hash_table_lookup (req->query, "bbox")) != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (v, ",", -1);
      guint len = g_strv_length (parts);
      double c[6];

      if (len != 4 && len != 6)
        return bad (req, "bbox needs 4 (or 6) numbers, got %s", v);
      for (guint i = 0; i < len; i++)
        {
          char *end = NULL;

          c[i] = g_ascii_strtod (parts[i], &end);
          if (end == parts[i] || *end != '\0' || !isfinite (c[i]))
            return bad (req, "bbox is not a list of numbers: %s", v);
        }
      q->bbox[0] = c[0];
      q->bbox[1] = c[1];
      q->bbox[2] = c[len == 4 ? 2 : 3];
      q->bbox[3] = c[len == 4 ? 3 : 4];
      if (q->bbox[1] > q->bbox[3] || q->bbox[1] < -90 || q->bbox[3] > 90 ||
          q->bbox[0] < -180 || q->bbox[2] > 180 || q->bbox[0] > q->bbox[2])
        return bad (req, "bbox is not minLon,minLat,maxLon,maxLat in CRS84: %s", v);
      q->has_bbox = TRUE;
    }
  if ((v = g_hash_table_lookup (req->query, "datetime")) != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (v, "/", -1);
      guint len = g_strv_length (parts);

      if (len == 1)
        {
          q->start = saban_normalise_time (parts[0], FALSE);
          q->end = saban_normalise_time (parts[0], TRUE);
          if (q->start == NULL)
            {
              saban_items_query_clear (q);
              return bad (req, "datetime is not an RFC 3339 date-time or interval: %s", v);
            }
          if (strlen (parts[0]) != 10)
            {
              g_free (q->end);
              q->end = g_strdup (q->start);
            }
        }
      else if (len == 2)
        {
          gboolean open_start = parts[0][0] == '\0' || g_str_equal (parts[0], "..");
          gboolean open_end = parts[1][0] == '\0' || g_str_equal (parts[1], "..");

          if (!open_start && (q->start = saban_normalise_time (parts[0], FALSE)) == NULL)
            return bad (req, "datetime is not an RFC 3339 date-time or interval: %s", v);
          if (!open_end && (q->end = saban_normalise_time (parts[1], TRUE)) == NULL)
            {
              saban_items_query_clear (q);
              return bad (req, "datetime is not an RFC 3339 date-time or interval: %s", v);
            }
          if ((open_start && open_end) || (q->start && q->end && strcmp (q->start, q->end) > 0))
            {
              saban_items_query_clear (q);
              return bad (req, "datetime is not a valid interval: %s", v);
            }
        }
      else
        return bad (req, "datetime is not an RFC 3339 date-time or interval: %s", v);
      q->has_datetime = TRUE;
    }
  return TRUE;
}

void
saban_items_query_clear (SabanItemsQuery *q)
{
  g_clear_pointer (&q->start, g_free);
  g_clear_pointer (&q->end, g_free);
}

static void
add_link (JsonBuilder *b, const char *href, const char *rel, const char *type, const char *title)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "href");
  json_builder_add_string_value (b, href);
  json_builder_set_member_name (b, "rel");
  json_builder_add_string_value (b, rel);
  if (type != NULL)
    {
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, type);
    }
  if (title != NULL)
    {
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, title);
    }
  json_builder_end_object (b);
}

static char *
url_with_query (const char *base, const char *path, GHashTable *query, guint offset, gboolean set_offset)
{
  g_autoptr(GHashTable) q = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *encoded = NULL;
  GHashTableIter iter;
  gpointer k, v;

  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, &k, &v))
    g_hash_table_insert (q, k, g_strdup (v));
  if (set_offset)
    g_hash_table_insert (q, "offset", g_strdup_printf ("%u", offset));
  encoded = g_hash_table_size (q) ? soup_form_encode_hash (q) : NULL;
  return g_strdup_printf ("%s%s%s%s", base, path, encoded ? "?" : "", encoded ? encoded : "");
}

/**
 * saban_items_links_json:
 * The links array of a FeatureCollection page: self, and an absolute `next`
 * when more features match. Thread-safe: takes copies, not the request.
 */
char *
saban_items_links_json (const char *base_url, const char *path, GHashTable *query,
                        const SabanItemsQuery *q, guint returned, gint64 matched)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *self_url = url_with_query (base_url, path, query, 0, FALSE);

  json_builder_begin_array (b);
  add_link (b, self_url, "self", "application/geo+json", "this page");
  if ((gint64) q->offset + returned < matched && returned > 0)
    {
      g_autofree char *next = url_with_query (base_url, path, query, q->offset + returned, TRUE);

      add_link (b, next, "next", "application/geo+json", "next page");
    }
  {
    g_autofree char *collection = g_strndup (path, strlen (path) - strlen ("/items"));
    g_autofree char *href = g_strconcat (base_url, collection, NULL);

    add_link (b, href, "collection", "application/json", "the collection");
  }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* ---- landing, api, conformance, collections ---------------------------- */

static void
landing (SabanRequest *req, gpointer data)
{
  g_autofree char *base = saban_request_base_url (req);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  struct { const char *path, *rel, *type, *title; } links[] = {
    { "/", "self", "application/json", "this document" },
    { "/api", "service-desc", "application/vnd.oai.openapi+json;version=3.0", "the API definition" },
    { "/conformance", "conformance", "application/json", "conformance classes implemented" },
    { "/collections", "data", "application/json", "feature collections (demo layers and the Command API)" },
    { "/v1.1", "related", "application/json", "OGC SensorThings API 1.1" },
    { "/open311/v2/", "related", "application/json", "Open311 GeoReport v2" },
    { "/cap/alerts.xml", "alternate", "application/atom+xml", "CAP 1.2 alerts (Atom feed)" },
    { "/auth/token", "related", "application/json", "bearer token endpoint (POST username, password)" },
    { "/health", "status", "application/json", "service health" },
  };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, "Sa Bàn IOC server");
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, "saban-server: OGC API – Features over the province's layers, the "
                                    "Command API (scenarios, tasks, situation reports), SensorThings API 1.1, "
                                    "Open311 GeoReport v2 and CAP 1.2 alerts");
  json_builder_set_member_name (b, "links");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      g_autofree char *href = g_strconcat (base, links[i].path, NULL);

      add_link (b, href, links[i].rel, links[i].type, links[i].title);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  saban_request_reply_json (req, SOUP_STATUS_OK, "application/json", root);
}

static void
api (SabanRequest *req, gpointer data)
{
  saban_request_reply_bytes (req, SOUP_STATUS_OK, "application/vnd.oai.openapi+json;version=3.0",
                             saban_openapi_json, strlen (saban_openapi_json));
}

static void
conformance (SabanRequest *req, gpointer data)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "conformsTo");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core");
  json_builder_add_string_value (b, "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30");
  json_builder_add_string_value (b, "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson");
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  saban_request_reply_json (req, SOUP_STATUS_OK, "application/json", root);
}

static void
describe_collection (JsonBuilder *b, const char *base, SabanCollection *c)
{
  g_autofree char *self_href = g_strdup_printf ("%s/collections/%s", base, c->id);
  g_autofree char *items_href = g_strdup_printf ("%s/collections/%s/items", base, c->id);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, c->id);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, c->title ? c->title : c->id);
  if (c->description != NULL)
    {
      json_builder_set_member_name (b, "description");
      json_builder_add_string_value (b, c->description);
    }
  json_builder_set_member_name (b, "itemType");
  json_builder_add_string_value (b, "feature");
  json_builder_set_member_name (b, "crs");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, SABAN_CRS84);
  json_builder_end_array (b);
  if (c->has_extent)
    {
      json_builder_set_member_name (b, "extent");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "spatial");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "bbox");
      json_builder_begin_array (b);
      json_builder_begin_array (b);
      for (int i = 0; i < 4; i++)
        json_builder_add_double_value (b, c->extent[i]);
      json_builder_end_array (b);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "crs");
      json_builder_add_string_value (b, SABAN_CRS84);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "links");
  json_builder_begin_array (b);
  add_link (b, self_href, "self", "application/json", "this collection");
  add_link (b, items_href, "items", "application/geo+json", "its features");
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
collections (SabanRequest *req, gpointer data)
{
  g_autofree char *base = saban_request_base_url (req);
  g_autofree char *self_href = g_strconcat (base, "/collections", NULL);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  GPtrArray *all = saban_server_get_collections (req->server);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "links");
  json_builder_begin_array (b);
  add_link (b, self_href, "self", "application/json", "this document");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "collections");
  json_builder_begin_array (b);
  for (guint i = 0; i < all->len; i++)
    describe_collection (b, base, g_ptr_array_index (all, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  saban_request_reply_json (req, SOUP_STATUS_OK, "application/json", root);
}

static SabanCollection *
find_or_404 (SabanRequest *req)
{
  SabanCollection *c = saban_server_find_collection (req->server, req->params[0]);

  if (c == NULL)
    saban_request_error (req, SOUP_STATUS_NOT_FOUND, "not-found", "no such collection");
  return c;
}

static void
collection (SabanRequest *req, gpointer data)
{
  SabanCollection *c = find_or_404 (req);
  g_autofree char *base = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (c == NULL)
    return;
  base = saban_request_base_url (req);
  b = json_builder_new ();
  describe_collection (b, base, c);
  root = json_builder_get_root (b);
  saban_request_reply_json (req, SOUP_STATUS_OK, "application/json", root);
}

static void
not_allowed (SabanRequest *req, const char *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Allow", allow);
  saban_request_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
                       "this collection is read-only here; allowed: %s", allow);
}

static void
items_get (SabanRequest *req, gpointer data)
{
  SabanCollection *c = find_or_404 (req);

  if (c == NULL || (c->needs_token && !saban_request_require_user (req)))
    return;
  c->items (req, c);
}

static void
items_post (SabanRequest *req, gpointer data)
{
  SabanCollection *c = find_or_404 (req);

  if (c == NULL)
    return;
  if (c->create == NULL)
    not_allowed (req, "GET");
  else
    c->create (req, c);
}

static gboolean
fid_or_404 (SabanRequest *req, gint64 *fid)
{
  if (saban_parse_fid (req->params[1], fid))
    return TRUE;
  saban_request_error (req, SOUP_STATUS_NOT_FOUND, "not-found", "feature ids are positive integers");
  return FALSE;
}

static void
item_get (SabanRequest *req, gpointer data)
{
  SabanCollection *c = find_or_404 (req);
  gint64 fid;

  if (c == NULL || !fid_or_404 (req, &fid) || (c->needs_token && !saban_request_require_user (req)))
    return;
  c->item (req, c, fid);
}

static void
item_patch (SabanRequest *req, gpointer data)
{
  SabanCollection *c = find_or_404 (req);
  gint64 fid;

  if (c == NULL || !fid_or_404 (req, &fid))
    return;
  if (c->patch == NULL)
    not_allowed (req, "GET");
  else
    c->patch (req, c, fid);
}

/* ---- the GeoPackage provider ------------------------------------------- */

typedef struct
{
  char *path;
  char *layer;
  int   epsg;
} GpkgLayer;

static void
gpkg_layer_free (gpointer data)
{
  GpkgLayer *gl = data;

  g_free (gl->path);
  g_free (gl->layer);
  g_free (gl);
}

typedef struct
{
  GpkgLayer       *layer;
  SabanItemsQuery  q;
  gint64           fid;       /* > 0: one feature */
  char            *base;
  char            *path;
  GHashTable      *query;
  char            *collection;
  gsize            max_response;
  /* out */
  guint            status;
  GString         *body;
} GpkgRead;

static void
gpkg_read_free (gpointer data)
{
  GpkgRead *r = data;

  saban_items_query_clear (&r->q);
  g_free (r->base);
  g_free (r->path);
  g_free (r->collection);
  g_clear_pointer (&r->query, g_hash_table_unref);
  if (r->body)
    g_string_free (r->body, TRUE);
  g_free (r);
}

/* A coordinate in degrees to 7 decimals (about a centimetre), trailing
 * zeros dropped: integer arithmetic, where printf's %f costs more than the
 * rest of a feature's answer. */
static void
append_coordinate (GString *out, double v)
{
  gint64 scaled;
  char text[32];
  int at = sizeof text, end;

  if (!isfinite (v) || fabs (v) > 1e9)
    {
      g_string_append (out, "null");
      return;
    }
  /* Written backwards: seven decimals, the point, the whole degrees. */
  scaled = (gint64) llround (fabs (v) * 1e7);
  for (int i = 0; i < 7; i++, scaled /= 10)
    text[--at] = (char) ('0' + scaled % 10);
  text[--at] = '.';
  do
    text[--at] = (char) ('0' + scaled % 10);
  while ((scaled /= 10) > 0);
  if (v < 0 && llround (fabs (v) * 1e7) != 0)
    text[--at] = '-';
  end = sizeof text;
  while (text[end - 1] == '0' && text[end - 2] != '.')
    end--;
  g_string_append_len (out, text + at, end - at);
}

/* A curve's points, reprojected, as a GeoJSON position array. */
static void
append_positions (GString *out, OGRGeometryH g, SabanTransform *t, gboolean single)
{
  int n = OGR_G_GetPointCount (g);
  g_autofree double *xy = g_new (double, 2 * (gsize) MAX (n, 1));

  OGR_G_GetPoints (g, xy, 2 * sizeof (double), xy + 1, 2 * sizeof (double), NULL, 0);
  if (!saban_transform_points (t, xy, n))
    for (int i = 0; i < 2 * n; i++)
      xy[i] = NAN;
  if (!single)
    g_string_append_c (out, '[');
  for (int i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '[');
      append_coordinate (out, xy[2 * i]);
      g_string_append_c (out, ',');
      append_coordinate (out, xy[2 * i + 1]);
      g_string_append_c (out, ']');
    }
  if (!single)
    g_string_append_c (out, ']');
}

/* The coordinates member of @g: nested arrays of its parts' positions. */
static void
append_coordinates (GString *out, OGRGeometryH g, SabanTransform *t)
{
  OGRwkbGeometryType type = wkbFlatten (OGR_G_GetGeometryType (g));

  if (type == wkbPoint)
    {
      append_positions (out, g, t, TRUE);
      return;
    }
  if (type == wkbLineString || type == wkbLinearRing)
    {
      append_positions (out, g, t, FALSE);
      return;
    }
  g_string_append_c (out, '[');
  for (int i = 0; i < OGR_G_GetGeometryCount (g); i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_coordinates (out, OGR_G_GetGeometryRef (g, i), t);
    }
  g_string_append_c (out, ']');
}

/* @g in CRS84 as a GeoJSON geometry, read straight from OGR's geometry (no
 * copy, no OGR exporter: the one GDAL 3.6 has formats each number through a
 * C++ stream and builds a json-c tree, most of a request's CPU). 2D only. */
static void
append_geometry (GString *out, OGRGeometryH g, SabanTransform *t)
{
  static const struct { OGRwkbGeometryType type; const char *name; } names[] = {
    { wkbPoint, "Point" }, { wkbLineString, "LineString" }, { wkbPolygon, "Polygon" },
    { wkbMultiPoint, "MultiPoint" }, { wkbMultiLineString, "MultiLineString" },
    { wkbMultiPolygon, "MultiPolygon" }, { wkbGeometryCollection, "GeometryCollection" },
  };
  OGRwkbGeometryType type = wkbFlatten (OGR_G_GetGeometryType (g));
  const char *name = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (names[i].type == type)
      name = names[i].name;
  if (name == NULL || OGR_G_IsEmpty (g))
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_printf (out, "{\"type\":\"%s\",", name);
  if (type == wkbGeometryCollection)
    {
      g_string_append (out, "\"geometries\":[");
      for (int i = 0; i < OGR_G_GetGeometryCount (g); i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          append_geometry (out, OGR_G_GetGeometryRef (g, i), t);
        }
      g_string_append (out, "]}");
      return;
    }
  g_string_append (out, "\"coordinates\":");
  append_coordinates (out, g, t);
  g_string_append_c (out, '}');
}

static void
append_feature (GString *out, OGRFeatureH f, OGRFeatureDefnH defn, SabanTransform *t,
                const char *base, const char *collection)
{
  OGRGeometryH g = OGR_F_GetGeometryRef (f);
  g_autoptr(JsonObject) props = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *props_text = NULL;
  GIntBig fid = OGR_F_GetFID (f);

  g_string_append_printf (out, "{\"type\":\"Feature\",\"id\":%" G_GINT64_FORMAT ",\"geometry\":", (gint64) fid);
  if (g != NULL)
    append_geometry (out, g, t);
  else
    g_string_append (out, "null");
  for (int i = 0; i < OGR_FD_GetFieldCount (defn); i++)
    {
      OGRFieldDefnH fd = OGR_FD_GetFieldDefn (defn, i);
      const char *name = OGR_Fld_GetNameRef (fd);

      if (!OGR_F_IsFieldSetAndNotNull (f, i))
        {
          json_object_set_null_member (props, name);
          continue;
        }
      switch (OGR_Fld_GetType (fd))
        {
        case OFTInteger:
        case OFTInteger64:
          json_object_set_int_member (props, name, OGR_F_GetFieldAsInteger64 (f, i));
          break;
        case OFTReal:
          json_object_set_double_member (props, name, OGR_F_GetFieldAsDouble (f, i));
          break;
        default:
          json_object_set_string_member (props, name, OGR_F_GetFieldAsString (f, i));
          break;
        }
    }
  json_node_set_object (node, props);
  props_text = json_to_string (node, FALSE);
  g_string_append_printf (out, ",\"properties\":%s", props_text);
  if (base != NULL)
    g_string_append_printf (out, ",\"links\":[{\"href\":\"%s/collections/%s/items/%" G_GINT64_FORMAT "\","
                            "\"rel\":\"self\",\"type\":\"application/geo+json\"},"
                            "{\"href\":\"%s/collections/%s\",\"rel\":\"collection\",\"type\":\"application/json\"}]",
                            base, collection, (gint64) fid, base, collection);
  g_string_append_c (out, '}');
}

/* ---- per-thread datasets and transforms -------------------------------- */

/* Opening the GeoPackage (SQLite reads its schema, GDAL its tables), or a
 * PostGIS database (a PostgreSQL connection and GDAL's catalogue queries),
 * and building a PROJ transformation (PROJ queries its database) cost most
 * of a request, so every worker thread keeps what it has opened. A GDAL
 * dataset must not be used by two threads at once and a PROJ object belongs
 * to the thread of its context: one set per thread, which the thread's end
 * closes (GLib's GTask pool keeps a few threads and retires idle ones), or
 * the server's (saban_ogc_close_datasets). A dataset whose read fails (the
 * PostgreSQL connection lost when the primary died and a standby was
 * promoted, the file replaced) is closed and opened again, once. */
typedef struct
{
  GMutex      lock;        /* held by the thread while it reads, by the shutdown while it closes */
  GHashTable *datasets;    /* path → GDALDatasetH */
  GHashTable *transforms;  /* "source>target" → SabanTransform */
} WorkerCache;

static GMutex     caches_lock;
static GPtrArray *caches;   /* every thread's WorkerCache */
static gint        closed;   /* (atomic) the server is stopping: nothing is opened again */

static void
worker_cache_free (gpointer data)
{
  WorkerCache *cache = data;

  g_mutex_lock (&caches_lock);
  g_ptr_array_remove_fast (caches, cache);
  g_mutex_unlock (&caches_lock);
  g_hash_table_unref (cache->datasets);
  g_hash_table_unref (cache->transforms);
  g_mutex_clear (&cache->lock);
  g_free (cache);
}

static GPrivate worker_cache_key = G_PRIVATE_INIT (worker_cache_free);

static WorkerCache *
worker_cache (void)
{
  WorkerCache *cache = g_private_get (&worker_cache_key);

  if (cache == NULL)
    {
      cache = g_new0 (WorkerCache, 1);
      g_mutex_init (&cache->lock);
      cache->datasets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) GDALClose);
      cache->transforms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) saban_transform_free);
      g_mutex_lock (&caches_lock);
      if (caches == NULL)
        caches = g_ptr_array_new ();
      g_ptr_array_add (caches, cache);
      g_mutex_unlock (&caches_lock);
      g_private_set (&worker_cache_key, cache);
    }
  return cache;
}

/**
 * saban_ogc_close_datasets:
 *
 * Closes every worker thread's datasets (their PostgreSQL connections end
 * cleanly), waiting for a read in progress; a read after this answers 503.
 * For the server's shutdown, once it has stopped taking requests.
 */
void
saban_ogc_close_datasets (void)
{
  g_mutex_lock (&caches_lock);
  g_atomic_int_set (&closed, TRUE);
  for (guint i = 0; caches != NULL && i < caches->len; i++)
    {
      WorkerCache *cache = g_ptr_array_index (caches, i);

      g_mutex_lock (&cache->lock);
      g_hash_table_remove_all (cache->datasets);
      g_mutex_unlock (&cache->lock);
    }
  g_mutex_unlock (&caches_lock);
}

/* This thread's transform from @source to @target (EPSG codes); owned by
 * the thread, NULL if PROJ cannot make it. */
static SabanTransform *
worker_transform (int source, int target)
{
  WorkerCache *cache = worker_cache ();
  g_autofree char *key = g_strdup_printf ("%d>%d", source, target);
  SabanTransform *t = g_hash_table_lookup (cache->transforms, key);

  if (t == NULL && (t = saban_transform_new_epsg (source, target, NULL)) != NULL)
    g_hash_table_insert (cache->transforms, g_steal_pointer (&key), t);
  return t;
}

/* This thread's open dataset for @path, its filters cleared; owned by the
 * thread. A dataset that lost its layer (the file replaced) is opened anew. */
static OGRLayerH
worker_layer (const char *path, const char *name)
{
  WorkerCache *cache = worker_cache ();
  GDALDatasetH ds = g_hash_table_lookup (cache->datasets, path);
  OGRLayerH layer = ds != NULL ? GDALDatasetGetLayerByName (ds, name) : NULL;

  if (layer == NULL)
    {
      g_hash_table_remove (cache->datasets, path);
      ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
      if (ds == NULL)
        return NULL;
      g_hash_table_insert (cache->datasets, g_strdup (path), ds);
      layer = GDALDatasetGetLayerByName (ds, name);
    }
  if (layer != NULL)
    {
      OGR_L_SetSpatialFilter (layer, NULL);
      OGR_L_ResetReading (layer);
    }
  return layer;
}

/* The bbox as a densified ring in the layer's CRS, or NULL when it misses
 * the area the projection is valid for. */
static OGRGeometryH
bbox_filter (const double bbox[4], int epsg, const double extent[4])
{
  double b[4] = { MAX (bbox[0], extent[0]), MAX (bbox[1], extent[1]),
                  MIN (bbox[2], extent[2]), MIN (bbox[3], extent[3]) };
  SabanTransform *t;
  enum { PER_SIDE = 8 };
  double xy[2 * (4 * PER_SIDE + 1)];
  OGRGeometryH ring, poly;
  int k = 0;

  if (b[0] > b[2] || b[1] > b[3])
    return NULL;
  t = worker_transform (SABAN_EPSG_WGS84, epsg);
  if (t == NULL)
    return NULL;
  for (int side = 0; side < 4; side++)
    for (int i = 0; i < PER_SIDE; i++)
      {
        double f = (double) i / PER_SIDE;
        double x = side == 0 ? b[0] + f * (b[2] - b[0]) : side == 1 ? b[2] : side == 2 ? b[2] - f * (b[2] - b[0]) : b[0];
        double y = side == 0 ? b[1] : side == 1 ? b[1] + f * (b[3] - b[1]) : side == 2 ? b[3] : b[3] - f * (b[3] - b[1]);

        xy[k++] = x;
        xy[k++] = y;
      }
  xy[k++] = xy[0];
  xy[k++] = xy[1];
  if (!saban_transform_points (t, xy, k / 2))
    return NULL;
  ring = OGR_G_CreateGeometry (wkbLinearRing);
  for (int i = 0; i < k; i += 2)
    OGR_G_AddPoint_2D (ring, xy[i], xy[i + 1]);
  poly = OGR_G_CreateGeometry (wkbPolygon);
  OGR_G_AddGeometryDirectly (poly, ring);
  return poly;
}

/* One read of the request into r->body; GDAL's error state says whether it failed. */
static void
read_features (GpkgRead *r, SabanCollection *c)
{
  OGRLayerH layer;
  OGRFeatureDefnH defn;
  SabanTransform *t;
  OGRFeatureH f;

  g_string_truncate (r->body, 0);
  layer = worker_layer (r->layer->path, r->layer->layer);
  t = worker_transform (r->layer->epsg, SABAN_EPSG_WGS84);
  if (layer == NULL || t == NULL)
    {
      r->status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
      g_string_assign (r->body, "{\"code\":\"data-unavailable\",\"description\":\"the layer cannot be read\"}");
      return;
    }
  defn = OGR_L_GetLayerDefn (layer);

  if (r->fid > 0)
    {
      f = OGR_L_GetFeature (layer, r->fid);
      if (f == NULL)
        {
          r->status = SOUP_STATUS_NOT_FOUND;
          g_string_assign (r->body, "{\"code\":\"not-found\",\"description\":\"no such feature\"}");
          return;
        }
      append_feature (r->body, f, defn, t, r->base, r->collection);
      OGR_F_Destroy (f);
      r->status = SOUP_STATUS_OK;
      return;
    }

  {
    g_autoptr(GString) features = g_string_new ("[");
    g_autofree char *links = NULL;
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
    GIntBig matched = 0;
    guint returned = 0;
    gboolean empty = FALSE;

    if (r->q.has_bbox)
      {
        OGRGeometryH filter = bbox_filter (r->q.bbox, r->layer->epsg, c->extent);

        if (filter == NULL)
          empty = TRUE;
        else
          {
            OGR_L_SetSpatialFilter (layer, filter);
            OGR_G_DestroyGeometry (filter);
          }
      }
    if (!empty && r->q.has_bbox)
      /* Counting a spatial filter's matches reads and tests every one of
       * them: one pass counts and keeps the page, instead of a count, then a
       * skip, then a second read of the page. A page ends early rather than
       * outgrow the response limit (at half of it, so the feature that
       * crosses the half still fits); `next` goes on from there. */
      while ((f = OGR_L_GetNextFeature (layer)) != NULL)
        {
          if (matched >= r->q.offset && returned < r->q.limit && features->len < r->max_response / 2)
            {
              if (returned > 0)
                g_string_append_c (features, ',');
              append_feature (features, f, defn, t, NULL, NULL);
              returned++;
            }
          OGR_F_Destroy (f);
          matched++;
        }
    else if (!empty)
      {
        /* Without a filter the GeoPackage knows its count and skips by SQL. */
        matched = OGR_L_GetFeatureCount (layer, TRUE);
        if (r->q.offset > 0 && OGR_L_SetNextByIndex (layer, r->q.offset) != OGRERR_NONE)
          empty = TRUE;
        while (!empty && returned < r->q.limit && (gint64) r->q.offset < matched &&
               features->len < r->max_response / 2 && (f = OGR_L_GetNextFeature (layer)) != NULL)
          {
            if (returned > 0)
              g_string_append_c (features, ',');
            append_feature (features, f, defn, t, NULL, NULL);
            OGR_F_Destroy (f);
            returned++;
          }
      }
    g_string_append_c (features, ']');
    links = saban_items_links_json (r->base, r->path, r->query, &r->q, returned, matched);
    g_string_append_printf (r->body, "{\"type\":\"FeatureCollection\",\"timeStamp\":\"%s\","
                            "\"numberMatched\":%" G_GINT64_FORMAT ",\"numberReturned\":%u,\"links\":%s,\"features\":%s}",
                            stamp, (gint64) matched, returned, links, features->str);
    r->status = SOUP_STATUS_OK;
  }
}

static gboolean
gdal_failed (void)
{
  return CPLGetLastErrorType () == CE_Failure || CPLGetLastErrorType () == CE_Fatal;
}

static void
gpkg_read_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GpkgRead *r = data;
  SabanCollection *c = g_object_get_data (G_OBJECT (task), "collection");
  WorkerCache *cache = worker_cache ();

  r->body = g_string_new (NULL);
  g_mutex_lock (&cache->lock);
  CPLErrorReset ();
  if (!g_atomic_int_get (&closed))
    read_features (r, c);
  if (!g_atomic_int_get (&closed) && gdal_failed ())
    {
      /* a connection lost (a failover) or a file replaced: this thread's dataset opened again, once */
      g_message ("collection %s: %s; opening its data again", c->id, CPLGetLastErrorMsg ());
      g_hash_table_remove (cache->datasets, r->layer->path);
      CPLErrorReset ();
      read_features (r, c);
    }
  if (g_atomic_int_get (&closed) || gdal_failed ())
    {
      r->status = SOUP_STATUS_SERVICE_UNAVAILABLE;
      g_string_assign (r->body, "{\"code\":\"data-unavailable\",\"description\":\"the layer's data cannot be "
                       "reached now; try again\"}");
    }
  g_mutex_unlock (&cache->lock);
  g_task_return_boolean (task, TRUE);
}

static void
gpkg_read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SoupServerMessage) msg = user_data;
  GpkgRead *r = g_task_get_task_data (G_TASK (result));
  gsize len = r->body->len;

  if (r->status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "5");
  saban_message_set_body (msg, r->max_response, r->status,
                          r->status == SOUP_STATUS_OK ? "application/geo+json" : "application/json",
                          g_string_free (g_steal_pointer (&r->body), FALSE), len);
  soup_server_message_unpause (msg);
}

static void
gpkg_start (SabanRequest *req, SabanCollection *c, GpkgRead *r)
{
  GTask *task;

  r->layer = c->data;
  r->max_response = saban_server_get_limits (req->server)->max_response;
  r->base = saban_request_base_url (req);
  r->path = g_strdup (req->path);
  r->collection = g_strdup (c->id);
  r->query = saban_request_copy_query (req);

  soup_server_message_pause (req->msg);
  task = g_task_new (req->server, NULL, gpkg_read_done, g_object_ref (req->msg));
  g_object_set_data (G_OBJECT (task), "collection", c);
  g_task_set_task_data (task, r, gpkg_read_free);
  g_task_run_in_thread (task, gpkg_read_thread);
  g_object_unref (task);
}

static void
gpkg_items (SabanRequest *req, SabanCollection *c)
{
  GpkgRead *r = g_new0 (GpkgRead, 1);

  if (!saban_items_query_parse (req, NULL, &r->q))
    {
      gpkg_read_free (r);
      return;
    }
  gpkg_start (req, c, r);
}

static void
gpkg_item (SabanRequest *req, SabanCollection *c, gint64 fid)
{
  GpkgRead *r = g_new0 (GpkgRead, 1);

  r->fid = fid;
  gpkg_start (req, c, r);
}

static gboolean
add_gpkg_collections (SabanServer *server, const char *path, GError **error)
{
  GDALDatasetH ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);

  if (ds == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot open %s: %s", path, CPLGetLastErrorMsg ());
      return FALSE;
    }
  for (int i = 0; i < GDALDatasetGetLayerCount (ds); i++)
    {
      OGRLayerH layer = GDALDatasetGetLayer (ds, i);
      OGRSpatialReferenceH srs = OGR_L_GetSpatialRef (layer);
      const char *code = srs ? OSRGetAuthorityCode (srs, NULL) : NULL;
      const char *desc = GDALGetMetadataItem ((GDALMajorObjectH) layer, "DESCRIPTION", NULL);
      SabanCollection *c = g_new0 (SabanCollection, 1);
      GpkgLayer *gl = g_new0 (GpkgLayer, 1);
      OGREnvelope env;

      gl->path = g_strdup (path);
      gl->layer = g_strdup (OGR_L_GetName (layer));
      /* The province's data is VN-2000 / TM-3 104°45′ when it says nothing. */
      gl->epsg = code ? atoi (code) : SABAN_EPSG_VN2000_TM3_10445;
      c->id = g_strdup (gl->layer);
      c->title = g_strdup (gl->layer);
      c->description = g_strdup (desc);
      c->items = gpkg_items;
      c->item = gpkg_item;
      c->data = gl;
      c->free_data = gpkg_layer_free;
      if (OGR_L_GetExtent (layer, &env, TRUE) == OGRERR_NONE)
        {
          g_autoptr(SabanTransform) t = saban_transform_new_epsg (gl->epsg, SABAN_EPSG_WGS84, NULL);
          double xy[16];
          int k = 0;

          for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
              if (a != 1 || b != 1)
                {
                  xy[k++] = env.MinX + a * (env.MaxX - env.MinX) / 2;
                  xy[k++] = env.MinY + b * (env.MaxY - env.MinY) / 2;
                }
          if (t != NULL && saban_transform_points (t, xy, 8))
            {
              c->has_extent = TRUE;
              c->extent[0] = c->extent[2] = xy[0];
              c->extent[1] = c->extent[3] = xy[1];
              for (int p = 1; p < 8; p++)
                {
                  c->extent[0] = MIN (c->extent[0], xy[2 * p]);
                  c->extent[2] = MAX (c->extent[2], xy[2 * p]);
                  c->extent[1] = MIN (c->extent[1], xy[2 * p + 1]);
                  c->extent[3] = MAX (c->extent[3], xy[2 * p + 1]);
                }
              /* a little slack: the projected edges bow outwards */
              c->extent[0] -= 0.01;
              c->extent[1] -= 0.01;
              c->extent[2] += 0.01;
              c->extent[3] += 0.01;
            }
        }
      saban_server_add_collection (server, c);
    }
  GDALClose (ds);
  return TRUE;
}

/**
 * saban_ogc_register:
 * @gpkg_path: (nullable): a GeoPackage whose layers become collections
 */
gboolean
saban_ogc_register (SabanServer *server, const char *gpkg_path, GError **error)
{
  SabanRouter *router = saban_server_get_router (server);

  saban_ogr_register ();
  saban_router_add (router, "GET", "/", landing, NULL);
  saban_router_add (router, "GET", "/api", api, NULL);
  saban_router_add (router, "GET", "/conformance", conformance, NULL);
  saban_router_add (router, "GET", "/collections", collections, NULL);
  saban_router_add (router, "GET", "/collections/{id}", collection, NULL);
  saban_router_add (router, "GET", "/collections/{id}/items", items_get, NULL);
  saban_router_add (router, "POST", "/collections/{id}/items", items_post, NULL);
  saban_router_add (router, "GET", "/collections/{id}/items/{fid}", item_get, NULL);
  saban_router_add (router, "PATCH", "/collections/{id}/items/{fid}", item_patch, NULL);
  if (gpkg_path != NULL && !add_gpkg_collections (server, gpkg_path, error))
    return FALSE;
  return TRUE;
}
