/* saban-cap.c: CAP 1.2 alerts — an Atom feed at /cap/alerts.xml, each alert
 * at /cap/alerts/{id}.xml, creation by POST (JSON or CAP XML, coordinator
 * role), and the same alerts as the OGC API – Features collection `alerts`.
 *
 * CAP writes coordinates as "lat,lon" pairs (the reverse of GeoJSON), and its
 * dateTime has an explicit offset and no fraction or "Z": both are easy to
 * get wrong, so they are produced in one place each.
 */
#include "saban-cap.h"
#include "saban-ogc-features.h"

#include <math.h>

#define SENDER "ioc@laocai.saban.invalid"
#define SENDER_NAME "Trung tâm Giám sát, Điều hành thông minh tỉnh Lào Cai"

static const char *const statuses[] = { "Actual", "Exercise", "System", "Test", "Draft", NULL };
static const char *const msg_types[] = { "Alert", "Update", "Cancel", "Ack", "Error", NULL };
static const char *const categories[] = { "Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env",
                                          "Transport", "Infra", "CBRNE", "Other", NULL };
static const char *const urgencies[] = { "Immediate", "Expected", "Future", "Past", "Unknown", NULL };
static const char *const severities[] = { "Extreme", "Severe", "Moderate", "Minor", "Unknown", NULL };
static const char *const certainties[] = { "Observed", "Likely", "Possible", "Unlikely", "Unknown", NULL };

/**
 * saban_cap_circle:
 * A closed 16-gon of @radius_m around a point, as lon/lat pairs
 * (SABAN_CAP_CIRCLE_POINTS of them): CAP's <circle> is little supported,
 * a polygon is read by everyone.
 */
void
saban_cap_circle (double *lonlat, double lon, double lat, double radius_m)
{
  double dlat = radius_m / 111320.0;
  double dlon = radius_m / (111320.0 * cos (lat * G_PI / 180.0));

  for (int i = 0; i < SABAN_CAP_CIRCLE_POINTS - 1; i++)
    {
      double a = 2 * G_PI * i / (SABAN_CAP_CIRCLE_POINTS - 1);

      lonlat[2 * i] = round ((lon + dlon * cos (a)) * 1e5) / 1e5;
      lonlat[2 * i + 1] = round ((lat + dlat * sin (a)) * 1e5) / 1e5;
    }
  lonlat[2 * (SABAN_CAP_CIRCLE_POINTS - 1)] = lonlat[0];
  lonlat[2 * (SABAN_CAP_CIRCLE_POINTS - 1) + 1] = lonlat[1];
}

/* Stored UTC text → CAP's "2025-07-01T08:30:00+07:00" (Indochina Time). */
static char *
cap_time (const char *stored)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) ict = g_time_zone_new_offset (7 * 3600);
  g_autoptr(GDateTime) t = stored ? g_date_time_new_from_iso8601 (stored, utc) : NULL;
  g_autoptr(GDateTime) local = t ? g_date_time_to_timezone (t, ict) : NULL;

  return local ? g_date_time_format (local, "%Y-%m-%dT%H:%M:%S+07:00") : NULL;
}

static gboolean
check_enum (const char *value, const char *const *allowed, const char *name, GError **error)
{
  if (value != NULL && g_strv_contains (allowed, value))
    return TRUE;
  {
    g_autofree char *list = g_strjoinv (", ", (char **) allowed);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s must be one of %s", name, list);
  }
  return FALSE;
}

static gboolean
check_text (const char *value, gboolean required, const char *name, GError **error)
{
  if (value == NULL && !required)
    return TRUE;
  if (value == NULL || *value == '\0' || strlen (value) > 4000 || !g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s must be text of 1 to 4000 bytes", name);
      return FALSE;
    }
  /* XML 1.0 has no control characters but tab and line ends: one would make
   * the whole feed unreadable */
  for (const char *p = value; *p; p++)
    if ((guchar) *p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s holds a control character", name);
        return FALSE;
      }
  return TRUE;
}

/**
 * saban_cap_create:
 * Validates and stores an alert in its own transaction (with its audit
 * row and its MQTT message). Returns its id, 0 on error.
 */
gint64
saban_cap_create (SabanServer *server, const SabanCapAlert *a, const char *actor, char **identifier, GError **error)
{
  SabanStore *store = saban_server_get_store (server);
  g_autoptr(SabanStmt) st = NULL;
  g_autoptr(GString) poly = g_string_new (NULL);
  g_autofree char *now = saban_store_now ();
  g_autofree char *ident = NULL, *expires = NULL, *target = NULL;
  g_autoptr(GDateTime) dt = g_date_time_new_now_utc ();
  double minx = 180, miny = 90, maxx = -180, maxy = -90;
  gint64 id;

  if (!check_enum (a->status ? a->status : "Actual", statuses, "status", error) ||
      !check_enum (a->msg_type ? a->msg_type : "Alert", msg_types, "msgType", error) ||
      !check_enum (a->category, categories, "category", error) ||
      !check_enum (a->urgency, urgencies, "urgency", error) ||
      !check_enum (a->severity, severities, "severity", error) ||
      !check_enum (a->certainty, certainties, "certainty", error) ||
      !check_text (a->event, TRUE, "event", error) || !check_text (a->area_desc, TRUE, "areaDesc", error) ||
      !check_text (a->headline, FALSE, "headline", error) || !check_text (a->description, FALSE, "description", error) ||
      !check_text (a->instruction, FALSE, "instruction", error))
    return 0;
  if (a->n_points < 4 || a->n_points > SABAN_CAP_MAX_POINTS ||
      a->polygon[0] != a->polygon[2 * (a->n_points - 1)] || a->polygon[1] != a->polygon[2 * (a->n_points - 1) + 1])
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "the area polygon needs 4 to %d points, the first repeated last", SABAN_CAP_MAX_POINTS);
      return 0;
    }
  for (guint i = 0; i < a->n_points; i++)
    {
      double lon = a->polygon[2 * i], lat = a->polygon[2 * i + 1];
      char la[G_ASCII_DTOSTR_BUF_SIZE], lo[G_ASCII_DTOSTR_BUF_SIZE];

      if (!isfinite (lon) || !isfinite (lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "a polygon point is not WGS 84 lat/lon");
          return 0;
        }
      minx = MIN (minx, lon), maxx = MAX (maxx, lon), miny = MIN (miny, lat), maxy = MAX (maxy, lat);
      /* CAP order: latitude first */
      g_string_append_printf (poly, "%s%s,%s", i ? " " : "", g_ascii_formatd (la, sizeof la, "%.5f", lat),
                              g_ascii_formatd (lo, sizeof lo, "%.5f", lon));
    }
  if (a->expires != NULL && (expires = saban_normalise_time (a->expires, FALSE)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "expires must be an RFC 3339 date-time");
      return 0;
    }

  if (!saban_store_begin (store, error))
    return 0;
  st = saban_store_prepare (store, "INSERT INTO cap_alerts (identifier, sender, sent, status, msg_type, scope, "
                            "category, event, urgency, severity, certainty, headline, description, instruction, "
                            "area_desc, polygon, expires, created_by, minx, miny, maxx, maxy) VALUES "
                            "(?, ?, ?, ?, ?, 'Public', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", error);
  if (st == NULL)
    goto fail;
  /* unique without a counter: the time to the microsecond and a random tail */
  {
    g_autofree char *stamp = g_date_time_format (dt, "%Y%m%d%H%M%S");
    ident = g_strdup_printf ("vn-laocai-ioc-%s-%06d-%08x", stamp, g_date_time_get_microsecond (dt), g_random_int ());
  }
  {
    const char *vals[] = { ident, SENDER, now, a->status ? a->status : "Actual", a->msg_type ? a->msg_type : "Alert",
                           a->category, a->event, a->urgency, a->severity, a->certainty, a->headline,
                           a->description, a->instruction, a->area_desc, poly->str, expires, actor };
    for (guint i = 0; i < G_N_ELEMENTS (vals); i++)
      saban_stmt_bind_text (st, (int) i + 1, vals[i]);
    saban_stmt_bind_double (st, 18, minx);
    saban_stmt_bind_double (st, 19, miny);
    saban_stmt_bind_double (st, 20, maxx);
    saban_stmt_bind_double (st, 21, maxy);
  }
  if ((id = saban_stmt_insert (st, error)) == 0)
    goto fail;
  target = g_strdup_printf ("cap/alerts/%" G_GINT64_FORMAT, id);
  if (!saban_store_audit (store, actor, "create", target, ident, error))
    goto fail;
  {
    g_autoptr(JsonObject) msg = json_object_new ();
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
    g_autofree char *url = g_strdup_printf ("%s/cap/alerts/%" G_GINT64_FORMAT ".xml",
                                            saban_server_get_base_url (server), id);
    g_autofree char *topic = g_strdup_printf ("ioc/v1/collections/alerts/items/%" G_GINT64_FORMAT, id);

    json_object_set_int_member (msg, "id", id);
    json_object_set_string_member (msg, "identifier", ident);
    json_object_set_string_member (msg, "event", a->event);
    json_object_set_string_member (msg, "severity", a->severity);
    json_object_set_string_member (msg, "headline", a->headline ? a->headline : a->event);
    json_object_set_string_member (msg, "capUrl", url);
    json_node_set_object (node, msg);
    saban_server_publish (server, topic, node);
  }
  if (!saban_store_commit (store, error))
    goto fail;
  if (identifier != NULL)
    *identifier = g_steal_pointer (&ident);
  return id;
fail:
  saban_store_rollback (store);
  return 0;
}

/* ---- reading ---------------------------------------------------------------- */

#define ALERT_COLUMNS "id, identifier, sender, sent, status, msg_type, scope, category, event, urgency, severity, " \
                      "certainty, headline, description, instruction, area_desc, polygon, expires"

enum { C_ID, C_IDENT, C_SENDER, C_SENT, C_STATUS, C_MSGTYPE, C_SCOPE, C_CATEGORY, C_EVENT, C_URGENCY, C_SEVERITY,
       C_CERTAINTY, C_HEADLINE, C_DESCRIPTION, C_INSTRUCTION, C_AREA, C_POLYGON, C_EXPIRES };

static const char *
col (SabanStmt *st, int i)
{
  return saban_stmt_column_text (st, i);
}

static void
element (GString *out, const char *indent, const char *name, const char *value)
{
  g_autofree char *esc = NULL;

  if (value == NULL)
    return;
  esc = g_markup_escape_text (value, -1);
  g_string_append_printf (out, "%s<%s>%s</%s>\n", indent, name, esc, name);
}

static void
append_alert_xml (GString *out, SabanStmt *st, gboolean with_ns_decl)
{
  g_autofree char *sent = cap_time (col (st, C_SENT));
  g_autofree char *expires = col (st, C_EXPIRES) ? cap_time (col (st, C_EXPIRES)) : NULL;

  g_string_append_printf (out, "<alert xmlns=\"%s\">\n", SABAN_CAP_NS);
  element (out, "  ", "identifier", col (st, C_IDENT));
  element (out, "  ", "sender", col (st, C_SENDER));
  element (out, "  ", "sent", sent);
  element (out, "  ", "status", col (st, C_STATUS));
  element (out, "  ", "msgType", col (st, C_MSGTYPE));
  element (out, "  ", "source", "saban-server");
  element (out, "  ", "scope", col (st, C_SCOPE));
  if (g_strcmp0 (col (st, C_STATUS), "Exercise") == 0)
    element (out, "  ", "note", "Cảnh báo diễn tập từ dữ liệu minh họa — không phải cảnh báo thật.");
  g_string_append (out, "  <info>\n");
  element (out, "    ", "language", "vi-VN");
  element (out, "    ", "category", col (st, C_CATEGORY));
  element (out, "    ", "event", col (st, C_EVENT));
  element (out, "    ", "urgency", col (st, C_URGENCY));
  element (out, "    ", "severity", col (st, C_SEVERITY));
  element (out, "    ", "certainty", col (st, C_CERTAINTY));
  element (out, "    ", "expires", expires);
  element (out, "    ", "senderName", SENDER_NAME);
  element (out, "    ", "headline", col (st, C_HEADLINE));
  element (out, "    ", "description", col (st, C_DESCRIPTION));
  element (out, "    ", "instruction", col (st, C_INSTRUCTION));
  g_string_append (out, "    <area>\n");
  element (out, "      ", "areaDesc", col (st, C_AREA));
  element (out, "      ", "polygon", col (st, C_POLYGON));
  g_string_append (out, "    </area>\n  </info>\n</alert>\n");
}

static void
feed (SabanRequest *req, gpointer data)
{
  SabanStore *store = saban_server_get_store (req->server);
  g_autoptr(SabanStmt) st = saban_store_prepare (store, "SELECT " ALERT_COLUMNS " FROM cap_alerts "
                                                    "ORDER BY sent DESC, id DESC LIMIT 100", NULL);
  g_autoptr(GString) out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  g_autofree char *url = saban_request_base_url (req);
  g_autofree char *base = g_markup_escape_text (url, -1);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *updated = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

  g_string_append_printf (out, "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
                          "<id>%s/cap/alerts.xml</id>\n<title>Cảnh báo (CAP 1.2) — %s</title>\n"
                          "<updated>%s</updated>\n<author><name>%s</name></author>\n"
                          "<link rel=\"self\" href=\"%s/cap/alerts.xml\"/>\n",
                          base, SENDER_NAME, updated, SENDER_NAME, base);
  while (st != NULL && saban_stmt_step (st, NULL))
    {
      g_autofree char *title = g_markup_escape_text (col (st, C_HEADLINE) ? col (st, C_HEADLINE) : col (st, C_EVENT), -1);
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autoptr(GDateTime) sent = g_date_time_new_from_iso8601 (col (st, C_SENT), utc);
      g_autofree char *sent_text = g_date_time_format (sent, "%Y-%m-%dT%H:%M:%SZ");

      g_string_append_printf (out, "<entry>\n<id>urn:cap:%s</id>\n<title>%s</title>\n<updated>%s</updated>\n"
                              "<link rel=\"alternate\" type=\"application/cap+xml\" href=\"%s/cap/alerts/%"
                              G_GINT64_FORMAT ".xml\"/>\n<content type=\"application/cap+xml\">\n",
                              col (st, C_IDENT), title, sent_text, base, saban_stmt_column_int64 (st, C_ID));
      append_alert_xml (out, st, TRUE);
      g_string_append (out, "</content>\n</entry>\n");
    }
  g_string_append (out, "</feed>\n");
  saban_request_reply_bytes (req, SOUP_STATUS_OK, "application/atom+xml; charset=utf-8", out->str, out->len);
}

static void
one_alert (SabanRequest *req, gpointer data)
{
  SabanStore *store = saban_server_get_store (req->server);
  g_autoptr(SabanStmt) st = NULL;
  g_autoptr(GString) out = NULL;
  g_autofree char *num = NULL;
  gint64 id;

  if (!g_str_has_suffix (req->params[0], ".xml") ||
      !saban_parse_fid ((num = g_strndup (req->params[0], strlen (req->params[0]) - 4)), &id))
    {
      saban_request_error (req, SOUP_STATUS_NOT_FOUND, "not-found", "alerts are at /cap/alerts/{id}.xml");
      return;
    }
  st = saban_store_prepare (store, "SELECT " ALERT_COLUMNS " FROM cap_alerts WHERE id = ?", NULL);
  saban_stmt_bind_int64 (st, 1, id);
  if (!saban_stmt_step (st, NULL))
    {
      saban_request_error (req, SOUP_STATUS_NOT_FOUND, "not-found", "no such alert");
      return;
    }
  out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  append_alert_xml (out, st, TRUE);
  saban_request_reply_bytes (req, SOUP_STATUS_OK, "application/cap+xml; charset=utf-8", out->str, out->len);
}

/* ---- creating ------------------------------------------------------------------ */

/* "lat,lon lat,lon …" → lon/lat pairs */
static gboolean
parse_cap_polygon (const char *text, SabanCapAlert *a)
{
  g_auto(GStrv) pairs = g_strsplit_set (text, " \t\n\r", -1);

  a->n_points = 0;
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *end;
      double lat, lon;

      if (*pairs[i] == '\0')
        continue;
      if (a->n_points >= SABAN_CAP_MAX_POINTS)
        return FALSE;
      lat = g_ascii_strtod (pairs[i], &end);
      if (end == pairs[i] || *end != ',')
        return FALSE;
      lon = g_ascii_strtod (end + 1, &end);
      if (*end != '\0')
        return FALSE;
      a->polygon[2 * a->n_points] = lon;
      a->polygon[2 * a->n_points + 1] = lat;
      a->n_points++;
    }
  return TRUE;
}

typedef struct
{
  GHashTable *values;  /* element name → first text */
  GString    *text;
  gboolean    is_cap;
  int         depth;
} XmlRead;

static void
xml_start (GMarkupParseContext *ctx, const char *name, const char **attr_names, const char **attr_values,
           gpointer data, GError **error)
{
  XmlRead *x = data;

  if (++x->depth > 16)
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "nested too deeply");
      return;
    }
  if (x->depth == 1)
    {
      for (guint i = 0; attr_names[i] != NULL; i++)
        if (g_str_equal (attr_names[i], "xmlns") && g_str_equal (attr_values[i], SABAN_CAP_NS))
          x->is_cap = g_str_equal (name, "alert");
    }
  g_string_truncate (x->text, 0);
}

static void
xml_end (GMarkupParseContext *ctx, const char *name, gpointer data, GError **error)
{
  XmlRead *x = data;

  x->depth--;
  if (!g_hash_table_contains (x->values, name))
    g_hash_table_insert (x->values, g_strdup (name), g_strdup (g_strstrip (x->text->str)));
  g_string_truncate (x->text, 0);
}

static void
xml_text (GMarkupParseContext *ctx, const char *text, gsize len, gpointer data, GError **error)
{
  XmlRead *x = data;

  if (x->text->len + len > 16384)
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "element text too long");
      return;
    }
  g_string_append_len (x->text, text, len);
}

static void
post_alert (SabanRequest *req, gpointer data)
{
  static const char *const roles[] = { "coordinator", NULL };
  const char *type = saban_request_header (req, "Content-Type");
  g_autoptr(GHashTable) v = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *identifier = NULL, *location = NULL, *base = NULL;
  g_autofree SabanCapAlert *a = g_new0 (SabanCapAlert, 1);
  gboolean have_polygon = FALSE;
  gint64 id;

  if (!saban_request_require_role (req, "issue CAP alerts", roles))
    return;
  if (type != NULL && strstr (type, "xml") != NULL)
    {
      static const GMarkupParser parser = { xml_start, xml_end, xml_text, NULL, NULL };
      XmlRead x = { v, g_string_new (NULL), FALSE, 0 };
      g_autoptr(GMarkupParseContext) ctx = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, &x, NULL);
      gsize len = 0;
      const char *body = req->body ? g_bytes_get_data (req->body, &len) : NULL;
      const char *start = body;

      /* GMarkup knows no XML declaration */
      if (body != NULL && len > 5 && strncmp (body, "<?xml", 5) == 0 && (start = memchr (body, '>', len)) != NULL)
        start++;
      if (body == NULL || start == NULL || !g_utf8_validate (body, len, NULL) ||
          !g_markup_parse_context_parse (ctx, start, len - (start - body), &error) ||
          !g_markup_parse_context_end_parse (ctx, &error) || !x.is_cap)
        {
          g_string_free (x.text, TRUE);
          saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-cap", "not a CAP 1.2 <alert>: %s",
                               error ? error->message : "wrong root element or namespace");
          return;
        }
      g_string_free (x.text, TRUE);
      if (g_hash_table_lookup (v, "polygon") != NULL)
        {
          if (!parse_cap_polygon (g_hash_table_lookup (v, "polygon"), a))
            {
              saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-cap", "polygon is not \"lat,lon lat,lon …\"");
              return;
            }
          have_polygon = TRUE;
        }
    }
  else
    {
      g_autoptr(JsonNode) root = saban_request_parse_json (req);
      JsonObject *o;
      static const char *const names[] = { "status", "msgType", "category", "event", "urgency", "severity",
                                           "certainty", "headline", "description", "instruction", "areaDesc",
                                           "expires", NULL };

      if (root == NULL)
        return;
      if (!JSON_NODE_HOLDS_OBJECT (root))
        {
          saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-cap", "an alert is a JSON object");
          return;
        }
      o = json_node_get_object (root);
      for (guint i = 0; names[i] != NULL; i++)
        if (json_object_has_member (o, names[i]))
          {
            JsonNode *n = json_object_get_member (o, names[i]);

            if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
              {
                saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-cap", "%s must be a string", names[i]);
                return;
              }
            g_hash_table_insert (v, g_strdup (names[i]), g_strdup (json_node_get_string (n)));
          }
      if (json_object_has_member (o, "polygon"))
        {
          JsonNode *p = json_object_get_member (o, "polygon");

          /* "lat,lon …" as CAP writes it, or a GeoJSON Polygon's outer ring */
          if (JSON_NODE_HOLDS_VALUE (p) && json_node_get_value_type (p) == G_TYPE_STRING)
            have_polygon = parse_cap_polygon (json_node_get_string (p), a);
          else if (JSON_NODE_HOLDS_OBJECT (p) &&
                   g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (p), "type", ""), "Polygon") == 0)
            {
              JsonNode *coords = json_object_get_member (json_node_get_object (p), "coordinates");
              JsonArray *rings = coords && JSON_NODE_HOLDS_ARRAY (coords) ? json_node_get_array (coords) : NULL;
              JsonNode *ring0 = rings && json_array_get_length (rings) > 0 ? json_array_get_element (rings, 0) : NULL;
              JsonArray *ring = ring0 && JSON_NODE_HOLDS_ARRAY (ring0) ? json_node_get_array (ring0) : NULL;

              have_polygon = ring != NULL && json_array_get_length (ring) <= SABAN_CAP_MAX_POINTS;
              for (guint i = 0; have_polygon && i < json_array_get_length (ring); i++)
                {
                  JsonNode *pt = json_array_get_element (ring, i);
                  JsonArray *xy = JSON_NODE_HOLDS_ARRAY (pt) ? json_node_get_array (pt) : NULL;

                  if (xy == NULL || json_array_get_length (xy) < 2 ||
                      !JSON_NODE_HOLDS_VALUE (json_array_get_element (xy, 0)) ||
                      !JSON_NODE_HOLDS_VALUE (json_array_get_element (xy, 1)))
                    {
                      have_polygon = FALSE;
                      break;
                    }
                  a->polygon[2 * i] = json_array_get_double_element (xy, 0);
                  a->polygon[2 * i + 1] = json_array_get_double_element (xy, 1);
                  a->n_points = i + 1;
                }
            }
          if (!have_polygon)
            {
              saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-cap",
                                   "polygon is \"lat,lon lat,lon …\" or a GeoJSON Polygon");
              return;
            }
        }
    }
  if (!have_polygon)
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-cap", "an alert needs an area polygon");
      return;
    }
  a->status = g_hash_table_lookup (v, "status");
  a->msg_type = g_hash_table_lookup (v, "msgType");
  a->category = g_hash_table_lookup (v, "category");
  a->event = g_hash_table_lookup (v, "event");
  a->urgency = g_hash_table_lookup (v, "urgency");
  a->severity = g_hash_table_lookup (v, "severity");
  a->certainty = g_hash_table_lookup (v, "certainty");
  a->headline = g_hash_table_lookup (v, "headline");
  a->description = g_hash_table_lookup (v, "description");
  a->instruction = g_hash_table_lookup (v, "instruction");
  a->area_desc = g_hash_table_lookup (v, "areaDesc");
  a->expires = g_hash_table_lookup (v, "expires");
  if ((id = saban_cap_create (req->server, a, req->user, &identifier, &error)) == 0)
    {
      saban_request_error (req, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT)
                                ? SOUP_STATUS_BAD_REQUEST : SOUP_STATUS_INTERNAL_SERVER_ERROR,
                           "bad-cap", "%s", error->message);
      return;
    }
  base = saban_request_base_url (req);
  location = g_strdup_printf ("%s/cap/alerts/%" G_GINT64_FORMAT ".xml", base, id);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Location", location);
  {
    g_autoptr(JsonObject) o = json_object_new ();

    json_object_set_int_member (o, "id", id);
    json_object_set_string_member (o, "identifier", identifier);
    json_object_set_string_member (o, "href", location);
    saban_request_reply_object (req, SOUP_STATUS_CREATED, NULL, o);
  }
}

/* ---- the Features collection ------------------------------------------------------ */

static JsonObject *
alert_feature (SabanStmt *st, const char *base)
{
  JsonObject *f = json_object_new ();
  JsonObject *props = json_object_new ();
  JsonObject *geom = json_object_new ();
  JsonArray *rings = json_array_new (), *ring = json_array_new ();
  g_autofree SabanCapAlert *a = g_new0 (SabanCapAlert, 1);
  gint64 id = saban_stmt_column_int64 (st, C_ID);
  static const struct { int col; const char *name; } map[] = {
    { C_IDENT, "identifier" }, { C_SENDER, "sender" }, { C_SENT, "sent" }, { C_STATUS, "status" },
    { C_MSGTYPE, "msgType" }, { C_SCOPE, "scope" }, { C_CATEGORY, "category" }, { C_EVENT, "event" },
    { C_URGENCY, "urgency" }, { C_SEVERITY, "severity" }, { C_CERTAINTY, "certainty" },
    { C_HEADLINE, "headline" }, { C_DESCRIPTION, "description" }, { C_INSTRUCTION, "instruction" },
    { C_AREA, "areaDesc" }, { C_EXPIRES, "expires" },
  };

  parse_cap_polygon (col (st, C_POLYGON), a);
  for (guint i = 0; i < a->n_points; i++)
    {
      JsonArray *xy = json_array_new ();

      json_array_add_double_element (xy, a->polygon[2 * i]);
      json_array_add_double_element (xy, a->polygon[2 * i + 1]);
      json_array_add_array_element (ring, xy);
    }
  json_array_add_array_element (rings, ring);
  json_object_set_string_member (geom, "type", "Polygon");
  json_object_set_array_member (geom, "coordinates", rings);
  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (col (st, map[i].col) != NULL)
      json_object_set_string_member (props, map[i].name, col (st, map[i].col));
  {
    g_autofree char *url = g_strdup_printf ("%s/cap/alerts/%" G_GINT64_FORMAT ".xml", base, id);
    json_object_set_string_member (props, "capUrl", url);
  }
  json_object_set_string_member (f, "type", "Feature");
  json_object_set_int_member (f, "id", id);
  json_object_set_object_member (f, "geometry", geom);
  json_object_set_object_member (f, "properties", props);
  return f;
}

static void
alerts_items (SabanRequest *req, SabanCollection *c)
{
  SabanItemsQuery q;
  SabanStore *store = saban_server_get_store (req->server);
  g_autoptr(SabanStmt) st = NULL, cnt = NULL;
  g_autofree char *base = saban_request_base_url (req);
  g_autofree char *links = NULL, *features_text = NULL, *body = NULL;
  g_autoptr(JsonArray) features = json_array_new ();
  g_autoptr(JsonNode) fnode = json_node_new (JSON_NODE_ARRAY);
  const char *where = "(? = 0 OR (maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?)) "
                      "AND (CAST(? AS TEXT) IS NULL OR sent >= ?) AND (CAST(? AS TEXT) IS NULL OR sent <= ?)";
  g_autofree char *sql = g_strdup_printf ("SELECT " ALERT_COLUMNS " FROM cap_alerts WHERE %s "
                                          "ORDER BY id LIMIT ? OFFSET ?", where);
  g_autofree char *csql = g_strdup_printf ("SELECT COUNT(*) FROM cap_alerts WHERE %s", where);
  gint64 matched = 0;
  guint returned = 0;

  if (!saban_items_query_parse (req, NULL, &q))
    return;
  st = saban_store_prepare (store, sql, NULL);
  cnt = saban_store_prepare (store, csql, NULL);
  for (int k = 0; k < 2; k++)
    {
      SabanStmt *s = k ? cnt : st;

      saban_stmt_bind_int64 (s, 1, q.has_bbox);
      saban_stmt_bind_double (s, 2, q.bbox[0]);
      saban_stmt_bind_double (s, 3, q.bbox[2]);
      saban_stmt_bind_double (s, 4, q.bbox[1]);
      saban_stmt_bind_double (s, 5, q.bbox[3]);
      saban_stmt_bind_text (s, 6, q.start);
      saban_stmt_bind_text (s, 7, q.start);
      saban_stmt_bind_text (s, 8, q.end);
      saban_stmt_bind_text (s, 9, q.end);
    }
  saban_stmt_bind_int64 (st, 10, (int) q.limit);
  saban_stmt_bind_int64 (st, 11, (int) q.offset);
  if (saban_stmt_step (cnt, NULL))
    matched = saban_stmt_column_int64 (cnt, 0);
  while (saban_stmt_step (st, NULL))
    {
      json_array_add_object_element (features, alert_feature (st, base));
      returned++;
    }
  links = saban_items_links_json (base, req->path, req->query, &q, returned, matched);
  json_node_set_array (fnode, features);
  features_text = json_to_string (fnode, FALSE);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

    body = g_strdup_printf ("{\"type\":\"FeatureCollection\",\"timeStamp\":\"%s\",\"numberMatched\":%" G_GINT64_FORMAT
                            ",\"numberReturned\":%u,\"links\":%s,\"features\":%s}",
                            stamp, matched, returned, links, features_text);
  }
  saban_items_query_clear (&q);
  saban_request_reply_bytes (req, SOUP_STATUS_OK, "application/geo+json", body, strlen (body));
}

static void
alerts_item (SabanRequest *req, SabanCollection *c, gint64 fid)
{
  SabanStore *store = saban_server_get_store (req->server);
  g_autoptr(SabanStmt) st = saban_store_prepare (store, "SELECT " ALERT_COLUMNS " FROM cap_alerts WHERE id = ?", NULL);
  g_autofree char *base = saban_request_base_url (req);

  saban_stmt_bind_int64 (st, 1, fid);
  if (!saban_stmt_step (st, NULL))
    {
      saban_request_error (req, SOUP_STATUS_NOT_FOUND, "not-found", "no such alert");
      return;
    }
  {
    g_autoptr(JsonObject) f = alert_feature (st, base);
    saban_request_reply_object (req, SOUP_STATUS_OK, "application/geo+json", f);
  }
}

/**
 * saban_cap_register:
 * /cap/alerts.xml, /cap/alerts/{id}.xml, POST /cap/alerts, and the `alerts` collection.
 */
void
saban_cap_register (SabanServer *server)
{
  SabanRouter *router = saban_server_get_router (server);
  SabanCollection *c = g_new0 (SabanCollection, 1);

  saban_router_add (router, "GET", "/cap/alerts.xml", feed, NULL);
  saban_router_add (router, "POST", "/cap/alerts", post_alert, NULL);
  saban_router_add (router, "GET", "/cap/alerts/{file}", one_alert, NULL);
  c->id = g_strdup ("alerts");
  c->title = g_strdup ("Cảnh báo (CAP 1.2)");
  c->description = g_strdup ("CAP 1.2 alerts issued by the IOC; each links to its CAP XML (capUrl)");
  c->items = alerts_items;
  c->item = alerts_item;
  saban_server_add_collection (server, c);
}
