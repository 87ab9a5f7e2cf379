/* saban-open311.c: Open311 GeoReport v2 (JSON) under /open311/v2/ — citizen
 * feedback ("phản ánh hiện trường").
 *
 * Citizens post anonymously (form-encoded, as the standard has it), limited
 * per client address. Reporter name, phone and e-mail are personal data
 * (Law 91/2025/QH15): every list and read shows them masked, to every role;
 * an operator, coordinator or admin sees one request's reporter only by
 * stating a purpose (requests/{id}/personal.json), which the read's audit
 * row keeps. Each service has a time limit, which makes a request's
 * expected_datetime. Operators assign, reply and close through an extension,
 * POST requests/{id}/notes.json, which keeps an append-only note trail, and
 * merge likely duplicates (requests/{id}/merge.json).
 *
 * Over a thousand lines: the standard's endpoints and the IOC's extensions
 * read and write the same table and share its row shape, masking and
 * errors; the extensions' SQL stands apart at the end, in a few functions.
 */
#include "saban-open311.h"
#include "saban-json.h"
#include "saban-ogc-features.h"

#include <gdal.h>
#include <glib/gstdio.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "saban-feedback.h"
#include "saban-transform.h"

/* sla_hours: the time limit for a report of the service, on the clock; a
 * report is due that long after it was made (its expected_datetime). */
typedef struct
{
  const char *code, *name, *group, *keywords, *agency;
  double sla_hours;
} Service;

static const Service services[] = {
  { "ngap-ung", "Ngập úng", "Hạ tầng", "ngập, úng, thoát nước, mưa lớn", "UBND xã/phường", 24 },
  { "sat-lo", "Sạt lở đất, đá", "Thiên tai", "sạt lở, taluy, đất đá, lũ quét", "Ban Chỉ huy PCTT và TKCN tỉnh", 12 },
  { "cay-do", "Cây đổ, cây gãy", "Hạ tầng", "cây xanh, cây đổ, cành gãy", "Công ty Môi trường đô thị", 12 },
  { "den-chieu-sang", "Đèn chiếu sáng hỏng", "Hạ tầng", "đèn đường, chiếu sáng công cộng", "Công ty Môi trường đô thị", 72 },
  { "rac-thai", "Rác thải, vệ sinh môi trường", "Môi trường", "rác, vệ sinh, bãi rác tự phát", "UBND xã/phường", 48 },
  { "lan-chiem-via-he", "Lấn chiếm vỉa hè, lòng đường", "Trật tự đô thị", "vỉa hè, lòng đường, buôn bán",
    "Đội Quản lý trật tự đô thị", 72 },
  { "o-nhiem", "Ô nhiễm môi trường", "Môi trường", "khói, bụi, tiếng ồn, nước thải, mùi",
    "Sở Nông nghiệp và Môi trường", 120 },
  { "hu-hong-duong", "Hư hỏng đường, cầu", "Giao thông", "ổ gà, sụt lún, cầu hỏng", "Sở Xây dựng", 168 },
  { "an-ninh-trat-tu", "An ninh trật tự", "An ninh", "gây rối, trộm cắp, tụ tập", "Công an xã/phường", 24 },
  { "khac", "Phản ánh khác", "Khác", "khác", "Trung tâm Giám sát, Điều hành thông minh", 120 },
};

static const Service *
find_service (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    if (g_strcmp0 (services[i].code, code) == 0)
      return &services[i];
  return NULL;
}

/* ---- errors and masking ----------------------------------------------------- */

/* Open311's error shape: [{"code": <HTTP status>, "description": "…"}] */
static void
o311_error (SabanRequest *req, guint status, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static void
o311_error (SabanRequest *req, guint status, const char *fmt, ...)
{
  g_autoptr(JsonArray) arr = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  JsonObject *o = json_object_new ();
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, fmt);
  text = g_strdup_vprintf (fmt, args);
  va_end (args);
  json_object_set_int_member (o, "code", status);
  json_object_set_string_member (o, "description", text);
  json_array_add_object_element (arr, o);
  json_node_set_array (node, arr);
  saban_request_reply_json (req, status, NULL, node);
}

/* A failed database step in Open311's own error shape: 503 while the
 * database is away (a failover: try again), else 500; details to the log. */
static void
o311_storage_error (SabanRequest *req, const GError *error)
{
  g_printerr ("saban-server: storage error: %s\n", error != NULL ? error->message : "unknown");
  if (g_error_matches (error, SABAN_STORE_ERROR, SABAN_STORE_ERROR_UNAVAILABLE))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Retry-After", "1");
      o311_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE, "the database is unavailable for a moment; try again");
    }
  else
    o311_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "the request could not be stored");
}

/**
 * saban_open311_mask_name:
 * "Nguyễn" → "Ng***", "Văn An" (@given_name) → "V*** A": enough to tell two
 * reporters apart on a call, not enough to identify one.
 */
char *
saban_open311_mask_name (const char *name, gboolean given_name)
{
  g_auto(GStrv) words = g_strsplit (name, " ", -1);
  GString *out = g_string_new (NULL);
  guint n = g_strv_length (words);

  for (guint i = 0; i < n; i++)
    {
      glong len = g_utf8_strlen (words[i], -1);
      const char *end;

      if (len == 0)
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      if (given_name && i == n - 1)
        {
          end = g_utf8_offset_to_pointer (words[i], 1);
          g_string_append_len (out, words[i], end - words[i]);
          continue;
        }
      end = g_utf8_offset_to_pointer (words[i], len >= 5 ? 2 : 1);
      g_string_append_len (out, words[i], end - words[i]);
      g_string_append (out, "***");
    }
  return g_string_free (out, FALSE);
}

/* "0912345123" → "*******123": at most the last three digits show, and
 * nothing else of the number (not its network prefix, not its length
 * beyond what the stars say). */
char *
saban_open311_mask_phone (const char *phone)
{
  gsize len = strlen (phone);
  GString *out;

  if (len < 6)
    return g_strdup ("***");
  out = g_string_new (NULL);
  for (gsize i = 0; i < len - 3; i++)
    g_string_append_c (out, '*');
  for (const char *p = phone + len - 3; *p; p++)
    g_string_append_c (out, g_ascii_isdigit (*p) ? *p : '*');
  return g_string_free (out, FALSE);
}

/* "an.nguyen@example.vn" → "a***@example.vn" */
char *
saban_open311_mask_email (const char *email)
{
  const char *at = strchr (email, '@');

  if (at == NULL || at == email)
    return g_strdup ("***");
  return g_strdup_printf ("%.*s***%s", (int) (g_utf8_next_char (email) - email), email, at);
}

static gboolean
sees_personal_data (const char *role)
{
  return role != NULL && (g_str_equal (role, "operator") || g_str_equal (role, "coordinator") ||
                          g_str_equal (role, "admin"));
}

/* ---- reading ------------------------------------------------------------------- */

#define REQUEST_COLUMNS "id, service_code, status, status_notes, description, agency_responsible, service_notice, " \
                        "requested, updated, expected, address, lat, lon, media_url, first_name, last_name, phone, " \
                        "email, demo, duplicate_of"

enum { R_ID, R_CODE, R_STATUS, R_NOTES, R_DESC, R_AGENCY, R_NOTICE, R_REQUESTED, R_UPDATED, R_EXPECTED, R_ADDRESS,
       R_LAT, R_LON, R_MEDIA, R_FIRST, R_LAST, R_PHONE, R_EMAIL, R_DEMO, R_DUPLICATE_OF };

/* Stored UTC → "2025-07-01T08:30:00+07:00" */
static char *
o311_time (const char *stored)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) ict = g_time_zone_new_offset (7 * 3600);
  g_autoptr(GDateTime) t = stored ? g_date_time_new_from_iso8601 (stored, utc) : NULL;
  g_autoptr(GDateTime) local = t ? g_date_time_to_timezone (t, ict) : NULL;

  return local ? g_date_time_format (local, "%Y-%m-%dT%H:%M:%S+07:00") : NULL;
}

static void
set_text_or_null (JsonObject *o, const char *name, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (o, name, value);
  else
    json_object_set_null_member (o, name);
}

/* The standard's expected_datetime: the one stored, else the service's
 * time limit after the report was made (saban_feedback_due_us, which the
 * client applies too). */
static char *
expected_time (SabanStmt *st, const Service *svc)
{
  gint64 due_us;
  g_autoptr(GDateTime) due = NULL;
  g_autofree char *stored = NULL;

  if (!saban_stmt_column_is_null (st, R_EXPECTED) || svc == NULL)
    return o311_time (saban_stmt_column_text (st, R_EXPECTED));
  due_us = saban_feedback_due_us (saban_json_parse_time (saban_stmt_column_text (st, R_REQUESTED)),
                                  svc->sla_hours);
  if (due_us == 0 || (due = g_date_time_new_from_unix_utc (due_us / G_USEC_PER_SEC)) == NULL)
    return NULL;
  stored = g_date_time_format_iso8601 (due);
  return o311_time (stored);
}

/* An extension: the report this one was merged into, as a duplicate. */
static void
set_duplicate_of (JsonObject *o, SabanStmt *st)
{
  g_autofree char *id = NULL;

  if (saban_stmt_column_is_null (st, R_DUPLICATE_OF))
    return;
  id = g_strdup_printf ("%" G_GINT64_FORMAT, saban_stmt_column_int64 (st, R_DUPLICATE_OF));
  json_object_set_string_member (o, "duplicate_of", id);
}

/* Photos this server keeps are stored by path: the link goes out whole. */
static void
absolute_media_url (SabanRequest *req, JsonObject *o)
{
  const char *media = json_object_get_string_member_with_default (o, "media_url", NULL);
  g_autofree char *base = NULL, *url = NULL;

  if (media == NULL || media[0] != '/')
    return;
  base = saban_request_base_url (req);
  url = g_strconcat (base, media, NULL);
  json_object_set_string_member (o, "media_url", url);
}

/* One request as JSON; *revealed says whether personal data went out unmasked. */
static JsonObject *
request_json (SabanStmt *st, gboolean full, gboolean *revealed)
{
  JsonObject *o = json_object_new ();
  const Service *svc = find_service (saban_stmt_column_text (st, R_CODE));
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, saban_stmt_column_int64 (st, R_ID));
  g_autofree char *requested = o311_time (saban_stmt_column_text (st, R_REQUESTED));
  g_autofree char *updated = o311_time (saban_stmt_column_text (st, R_UPDATED));
  g_autofree char *expected = expected_time (st, svc);
  static const struct { int col; const char *name; } personal[] = {
    { R_FIRST, "first_name" }, { R_LAST, "last_name" }, { R_PHONE, "phone" }, { R_EMAIL, "email" },
  };

  *revealed = FALSE;
  json_object_set_string_member (o, "service_request_id", id);
  json_object_set_string_member (o, "status", saban_stmt_column_text (st, R_STATUS));
  set_text_or_null (o, "status_notes", saban_stmt_column_text (st, R_NOTES));
  set_text_or_null (o, "service_name", svc ? svc->name : NULL);
  json_object_set_string_member (o, "service_code", saban_stmt_column_text (st, R_CODE));
  set_text_or_null (o, "description", saban_stmt_column_text (st, R_DESC));
  set_text_or_null (o, "agency_responsible", saban_stmt_column_text (st, R_AGENCY));
  set_text_or_null (o, "service_notice", saban_stmt_column_text (st, R_NOTICE));
  json_object_set_string_member (o, "requested_datetime", requested);
  set_text_or_null (o, "updated_datetime", updated);
  set_text_or_null (o, "expected_datetime", expected);
  set_text_or_null (o, "address", saban_stmt_column_text (st, R_ADDRESS));
  json_object_set_null_member (o, "address_id");
  json_object_set_null_member (o, "zipcode");
  if (!saban_stmt_column_is_null (st, R_LAT))
    {
      json_object_set_double_member (o, "lat", saban_stmt_column_double (st, R_LAT));
      json_object_set_double_member (o, "long", saban_stmt_column_double (st, R_LON));
    }
  else
    {
      json_object_set_null_member (o, "lat");
      json_object_set_null_member (o, "long");
    }
  set_text_or_null (o, "media_url", saban_stmt_column_text (st, R_MEDIA));
  /* extensions: the reporter, masked unless the role needs them */
  for (guint i = 0; i < G_N_ELEMENTS (personal); i++)
    {
      const char *v = saban_stmt_column_text (st, personal[i].col);
      g_autofree char *masked = NULL;

      if (v == NULL || *v == '\0')
        continue;
      if (full)
        {
          json_object_set_string_member (o, personal[i].name, v);
          *revealed = TRUE;
          continue;
        }
      switch (personal[i].col)
        {
        case R_FIRST:
          masked = saban_open311_mask_name (v, TRUE);
          break;
        case R_LAST:
          masked = saban_open311_mask_name (v, FALSE);
          break;
        case R_PHONE:
          masked = saban_open311_mask_phone (v);
          break;
        default:
          masked = saban_open311_mask_email (v);
          break;
        }
      json_object_set_string_member (o, personal[i].name, masked);
    }
  json_object_set_string_member (o, "personal_data", full ? "full" : "masked");
  if (saban_stmt_column_int64 (st, R_DEMO))
    json_object_set_boolean_member (o, "demo", TRUE);
  set_duplicate_of (o, st);
  return o;
}

/* Runs @st (REQUEST_COLUMNS rows) and replies with the array: the reporters
 * masked, unless a @purpose for seeing them is given, which each unmasked
 * read's audit row records. */
static void
reply_requests (SabanRequest *req, SabanStmt *st, gboolean not_found_if_empty, const char *purpose)
{
  SabanStore *store = saban_server_get_store (req->server);
  gboolean full = purpose != NULL;
  g_autoptr(JsonArray) arr = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(GError) error = NULL;
  gboolean in_tx = FALSE;

  while (saban_stmt_step (st, NULL))
    {
      gboolean revealed;
      JsonObject *o = request_json (st, full, &revealed);

      absolute_media_url (req, o);

      if (revealed)
        {
          /* no cache on the way (a proxy, the client's disk) may keep it */
          soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Cache-Control",
                                        "no-store");
          g_autofree char *target = g_strdup_printf ("open311/requests/%" G_GINT64_FORMAT,
                                                     saban_stmt_column_int64 (st, R_ID));

          /* the data leaves only once its read is on record */
          if ((!in_tx && !(in_tx = saban_store_begin (store, &error))) ||
              !saban_store_audit (store, req->user, "read-personal-data", target, purpose, &error))
            {
              json_object_unref (o);
              goto fail;
            }
        }
      json_array_add_object_element (arr, o);
    }
  if (in_tx && !saban_store_commit (store, &error))
    goto fail;
  if (not_found_if_empty && json_array_get_length (arr) == 0)
    {
      o311_error (req, SOUP_STATUS_NOT_FOUND, "no such service request");
      return;
    }
  json_node_take_array (node, g_steal_pointer (&arr));
  saban_request_reply_json (req, SOUP_STATUS_OK, NULL, node);
  return;
fail:
  saban_store_rollback (store);
  o311_storage_error (req, error);
}

static void
services_json (SabanRequest *req, gpointer data)
{
  g_autoptr(JsonArray) arr = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      JsonObject *o = json_object_new ();
      g_autofree char *desc = g_strdup_printf ("Phản ánh về: %s. Đơn vị tiếp nhận: %s.", services[i].name,
                                               services[i].agency);

      json_object_set_string_member (o, "service_code", services[i].code);
      json_object_set_string_member (o, "service_name", services[i].name);
      json_object_set_string_member (o, "description", desc);
      json_object_set_boolean_member (o, "metadata", FALSE);
      json_object_set_string_member (o, "type", "realtime");
      json_object_set_string_member (o, "keywords", services[i].keywords);
      json_object_set_string_member (o, "group", services[i].group);
      /* extensions: who handles it, and in how many hours */
      json_object_set_string_member (o, "agency", services[i].agency);
      json_object_set_double_member (o, "sla_hours", services[i].sla_hours);
      json_array_add_object_element (arr, o);
    }
  json_node_take_array (node, g_steal_pointer (&arr));
  saban_request_reply_json (req, SOUP_STATUS_OK, NULL, node);
}

/* "a,b,c" → "(?, ?, ?)" bound in order; at most 100 items of 64 bytes. */
static gboolean
add_list (GString *where, GPtrArray *binds, const char *column, const char *list)
{
  g_auto(GStrv) items = g_strsplit (list, ",", -1);
  guint n = g_strv_length (items);

  if (n == 0 || n > 100)
    return FALSE;
  g_string_append_printf (where, " AND %s IN (", column);
  for (guint i = 0; i < n; i++)
    {
      if (strlen (items[i]) > 64)
        return FALSE;
      g_string_append (where, i ? ", ?" : "?");
      g_ptr_array_add (binds, g_strdup (g_strstrip (items[i])));
    }
  g_string_append_c (where, ')');
  return TRUE;
}

/* An extension for paging: a count parameter of digits only, at most @max
 * (larger is clamped). FALSE for anything else: negative, not a number. */
static gboolean
count_param (SabanRequest *req, const char *name, guint64 min, guint64 max, guint64 *out)
{
  const char *v = g_hash_table_lookup (req->query, name);
  guint64 n;

  if (v == NULL)
    return TRUE;
  if (*v == '\0' || strspn (v, "0123456789") != strlen (v))
    return FALSE;
  n = strlen (v) > 12 ? max : g_ascii_strtoull (v, NULL, 10);
  if (n < min)
    return FALSE;
  *out = MIN (n, max);
  return TRUE;
}

static void
requests_get (SabanRequest *req, gpointer data)
{
  SabanStore *store = saban_server_get_store (req->server);
  g_autoptr(GString) where = g_string_new ("TRUE");
  g_autoptr(GPtrArray) binds = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SabanStmt) st = NULL;
  g_autofree char *sql = NULL, *start = NULL, *end = NULL;
  guint64 limit = SABAN_OPEN311_PAGE_MAX, offset = 0;
  const char *v;
  double bbox[4];

  if (!count_param (req, "limit", 1, SABAN_OPEN311_PAGE_MAX, &limit) ||
      !count_param (req, "offset", 0, G_MAXINT, &offset))
    {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "limit is 1 to %d and offset 0 or more", SABAN_OPEN311_PAGE_MAX);
      return;
    }
  if ((v = g_hash_table_lookup (req->query, "service_request_id")) != NULL &&
      !add_list (where, binds, "CAST(id AS TEXT)", v))
    {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "service_request_id is a comma-separated list of ids");
      return;
    }
  if ((v = g_hash_table_lookup (req->query, "service_code")) != NULL && !add_list (where, binds, "service_code", v))
    {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "service_code is a comma-separated list of codes");
      return;
    }
  if ((v = g_hash_table_lookup (req->query, "status")) != NULL)
    {
      g_auto(GStrv) items = g_strsplit (v, ",", 3);

      for (guint i = 0; items[i] != NULL; i++)
        if (!g_str_equal (items[i], "open") && !g_str_equal (items[i], "closed"))
          {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "status is open, closed or open,closed");
      return;
    }
      add_list (where, binds, "status", v);
    }
  if ((v = g_hash_table_lookup (req->query, "start_date")) != NULL && (start = saban_normalise_time (v, FALSE)) == NULL)
    {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "start_date must be a W3C date-time");
      return;
    }
  if ((v = g_hash_table_lookup (req->query, "end_date")) != NULL && (end = saban_normalise_time (v, TRUE)) == NULL)
    {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "end_date must be a W3C date-time");
      return;
    }
  if (start != NULL && end != NULL && strcmp (start, end) > 0)
    {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "start_date is after end_date");
      return;
    }
  if (start == NULL && end == NULL && g_hash_table_lookup (req->query, "service_request_id") == NULL)
    {
      /* the standard's default window: the last 90 days */
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) from = g_date_time_add_days (now, -90);
      g_autofree char *iso = g_date_time_format_iso8601 (from);
      start = saban_normalise_time (iso, FALSE);
    }
  if (start != NULL)
    {
      g_string_append (where, " AND requested >= ?");
      g_ptr_array_add (binds, g_strdup (start));
    }
  if (end != NULL)
    {
      g_string_append (where, " AND requested <= ?");
      g_ptr_array_add (binds, g_strdup (end));
    }
  if ((v = g_hash_table_lookup (req->query, "bbox")) != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (v, ",", -1);

      if (g_strv_length (parts) != 4)
        {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "bbox is minLon,minLat,maxLon,maxLat");
      return;
    }
      for (int i = 0; i < 4; i++)
        {
          char *e = NULL;

          bbox[i] = g_ascii_strtod (parts[i], &e);
          if (e == parts[i] || *e != '\0' || !isfinite (bbox[i]))
            {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "bbox is minLon,minLat,maxLon,maxLat");
      return;
    }
        }
      if (bbox[0] > bbox[2] || bbox[1] > bbox[3])
        {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "bbox is minLon,minLat,maxLon,maxLat");
      return;
    }
      g_string_append (where, " AND lon >= CAST(? AS DOUBLE PRECISION) AND lat >= CAST(? AS DOUBLE PRECISION) "
                              "AND lon <= CAST(? AS DOUBLE PRECISION) AND lat <= CAST(? AS DOUBLE PRECISION)");
      for (int i = 0; i < 4; i++)
        g_ptr_array_add (binds, g_strdup (parts[i]));
    }
  sql = g_strdup_printf ("SELECT " REQUEST_COLUMNS " FROM o311_requests WHERE %s ORDER BY requested DESC, id DESC "
                         "LIMIT %" G_GUINT64_FORMAT " OFFSET %" G_GUINT64_FORMAT, where->str, limit, offset);
  st = saban_store_prepare (store, sql, NULL);
  for (guint i = 0; i < binds->len; i++)
    saban_stmt_bind_text (st, (int) i + 1, g_ptr_array_index (binds, i));
  reply_requests (req, st, FALSE, NULL);
}

static gboolean
parse_request_id (const char *text, const char *suffix, gint64 *id)
{
  g_autofree char *num = NULL;

  if (!g_str_has_suffix (text, suffix))
    return FALSE;
  num = g_strndup (text, strlen (text) - strlen (suffix));
  return saban_parse_fid (num, id);
}

static void
request_get (SabanRequest *req, gpointer data)
{
  g_autoptr(SabanStmt) st = NULL;
  gint64 id;

  if (!parse_request_id (req->params[0], ".json", &id))
    {
      o311_error (req, SOUP_STATUS_NOT_FOUND, "requests are at requests/{id}.json");
      return;
    }
  st = saban_store_prepare (saban_server_get_store (req->server),
                            "SELECT " REQUEST_COLUMNS " FROM o311_requests WHERE id = ?", NULL);
  saban_stmt_bind_int64 (st, 1, id);
  reply_requests (req, st, TRUE, NULL);
}

/* ---- writing ------------------------------------------------------------------------ */

/* Form-encoded (the standard) or JSON (convenient for our own client); NULL
 * unless every name and value is UTF-8. */
static GHashTable *
parse_body (SabanRequest *req)
{
  const char *type = saban_request_header (req, "Content-Type");
  gsize len = 0;
  const char *data = req->body ? g_bytes_get_data (req->body, &len) : NULL;
  g_autoptr(JsonNode) parsed = NULL;
  GHashTable *out;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (type == NULL || !g_str_has_prefix (type, "application/json"))
    return saban_request_parse_form (req);
  if (data == NULL || (parsed = saban_json_parse (data, len, NULL)) == NULL || !JSON_NODE_HOLDS_OBJECT (parsed))
    return NULL;
  out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  json_object_iter_init (&iter, json_node_get_object (parsed));
  while (json_object_iter_next (&iter, &name, &value))
    if (JSON_NODE_HOLDS_VALUE (value))
      {
        if (json_node_get_value_type (value) == G_TYPE_STRING)
          g_hash_table_insert (out, g_strdup (name), g_strdup (json_node_get_string (value)));
        else if (json_node_get_value_type (value) == G_TYPE_DOUBLE || json_node_get_value_type (value) == G_TYPE_INT64)
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];
            g_hash_table_insert (out, g_strdup (name), g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (value))));
          }
      }
  return out;
}

/* Whether @req's address may post anonymously now, counting this post.
 * The posts are counted in the database, so several servers behind one load
 * balancer share the limit. */
static gboolean
anonymous_allowed (SabanRequest *req)
{
  SabanStore *store = saban_server_get_store (req->server);
  const char *client = soup_server_message_get_remote_host (req->msg);
  gint64 now = g_get_real_time ();
  g_autoptr(SabanStmt) forget = NULL, count = NULL, add = NULL;

  forget = saban_store_prepare (store, "DELETE FROM anonymous_posts WHERE at_us <= ?", NULL);
  saban_stmt_bind_int64 (forget, 1, now - SABAN_OPEN311_ANON_WINDOW_S * G_USEC_PER_SEC);
  saban_stmt_run (forget, NULL);
  count = saban_store_prepare (store, "SELECT COUNT(*) FROM anonymous_posts WHERE address = ?", NULL);
  saban_stmt_bind_text (count, 1, client != NULL ? client : "");
  if (saban_stmt_step (count, NULL) && saban_stmt_column_int64 (count, 0) >= SABAN_OPEN311_ANON_LIMIT)
    return FALSE;
  add = saban_store_prepare (store, "INSERT INTO anonymous_posts (address, at_us) VALUES (?, ?)", NULL);
  saban_stmt_bind_text (add, 1, client != NULL ? client : "");
  saban_stmt_bind_int64 (add, 2, now);
  saban_stmt_run (add, NULL);
  return TRUE;
}

static gboolean
field_ok (GHashTable *form, const char *name, gsize max)
{
  const char *v = g_hash_table_lookup (form, name);

  return v == NULL || strlen (v) <= max;
}

static void
requests_post (SabanRequest *req, gpointer data)
{
  SabanStore *store = saban_server_get_store (req->server);
  g_autoptr(GHashTable) form = parse_body (req);
  g_autoptr(SabanStmt) st = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = saban_store_now ();
  const Service *svc;
  const char *lat_text, *lon_text, *address, *media;
  double lat = NAN, lon = NAN;
  gint64 id;

  if (form == NULL)
    {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "the body must be form-encoded (or a JSON object) in UTF-8");
      return;
    }
  if ((svc = find_service (g_hash_table_lookup (form, "service_code"))) == NULL)
    {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "service_code is missing or not one of services.json");
      return;
    }
  lat_text = g_hash_table_lookup (form, "lat");
  lon_text = g_hash_table_lookup (form, "long");
  address = g_hash_table_lookup (form, "address_string");
  if ((lat_text == NULL) != (lon_text == NULL))
    {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "lat and long go together");
      return;
    }
  if (lat_text != NULL)
    {
      char *e1 = NULL, *e2 = NULL;

      lat = g_ascii_strtod (lat_text, &e1);
      lon = g_ascii_strtod (lon_text, &e2);
      if (e1 == lat_text || *e1 != '\0' || e2 == lon_text || *e2 != '\0' || !isfinite (lat) || !isfinite (lon) ||
          lat < -90 || lat > 90 || lon < -180 || lon > 180)
        {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "lat and long must be WGS 84 degrees");
      return;
    }
    }
  if (lat_text == NULL && (address == NULL || *address == '\0') && g_hash_table_lookup (form, "address_id") == NULL)
    {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "a location is required: lat and long, address_string or address_id");
      return;
    }
  if (!field_ok (form, "description", 4000) || !field_ok (form, "address_string", 500) ||
      !field_ok (form, "first_name", 100) || !field_ok (form, "last_name", 100) || !field_ok (form, "phone", 30) ||
      !field_ok (form, "email", 254) || !field_ok (form, "media_url", 2000))
    {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "a field is too long");
      return;
    }
  media = g_hash_table_lookup (form, "media_url");
  if (media != NULL && *media != '\0' && !g_str_has_prefix (media, "https://") && !g_str_has_prefix (media, "http://"))
    {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "media_url must be an http(s) URL");
      return;
    }
  if (req->user == NULL && !anonymous_allowed (req))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Retry-After", "600");
      o311_error (req, 429, "too many anonymous requests from this address; try again later");
      return;
    }

  if (!saban_store_begin (store, &error))
    goto fail;
  st = saban_store_prepare (store, "INSERT INTO o311_requests (service_code, description, agency_responsible, "
                            "service_notice, requested, updated, address, lat, lon, media_url, first_name, "
                            "last_name, phone, email) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", &error);
  if (st == NULL)
    goto fail;
  {
    const char *vals[] = { svc->code, g_hash_table_lookup (form, "description"), svc->agency,
                           "Phản ánh đã được tiếp nhận; kết quả xử lý sẽ được cập nhật.", now, now, address };
    const char *personal[] = { media, g_hash_table_lookup (form, "first_name"), g_hash_table_lookup (form, "last_name"),
                               g_hash_table_lookup (form, "phone"), g_hash_table_lookup (form, "email") };

    for (guint i = 0; i < G_N_ELEMENTS (vals); i++)
      saban_stmt_bind_text (st, (int) i + 1, vals[i]);
    if (!isnan (lat))
      {
        saban_stmt_bind_double (st, 8, lat);
        saban_stmt_bind_double (st, 9, lon);
      }
    for (guint i = 0; i < G_N_ELEMENTS (personal); i++)
      if (personal[i] != NULL && *personal[i] != '\0')
        saban_stmt_bind_text (st, 10 + (int) i, personal[i]);
  }
  if ((id = saban_stmt_insert (st, &error)) == 0)
    goto fail;
  {
    g_autofree char *target = g_strdup_printf ("open311/requests/%" G_GINT64_FORMAT, id);
    g_autofree char *sid = g_strdup_printf ("%" G_GINT64_FORMAT, id);
    g_autofree char *topic = g_strdup_printf ("ioc/v1/open311/requests/%" G_GINT64_FORMAT, id);
    g_autoptr(JsonNode) nudge = json_node_new (JSON_NODE_OBJECT);
    g_autoptr(JsonObject) no = json_object_new ();

    if (!saban_store_audit (store, req->user ? req->user : "anonymous", "create", target,
                            soup_server_message_get_remote_host (req->msg), &error))
      goto fail;
    /* no personal data on the broker: just what changed */
    json_object_set_string_member (no, "service_request_id", sid);
    json_object_set_string_member (no, "service_code", svc->code);
    json_object_set_string_member (no, "status", "open");
    json_node_set_object (nudge, no);
    saban_server_publish (req->server, topic, nudge);
    if (!saban_store_commit (store, &error))
      goto fail;
  }
  {
    g_autoptr(JsonArray) arr = json_array_new ();
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
    JsonObject *o = json_object_new ();
    g_autofree char *sid = g_strdup_printf ("%" G_GINT64_FORMAT, id);

    json_object_set_string_member (o, "service_request_id", sid);
    json_object_set_string_member (o, "service_notice", "Phản ánh đã được tiếp nhận; kết quả xử lý sẽ được cập nhật.");
    json_object_set_null_member (o, "account_id");
    json_array_add_object_element (arr, o);
    json_node_take_array (node, g_steal_pointer (&arr));
    saban_request_reply_json (req, SOUP_STATUS_OK, NULL, node);
  }
  return;
fail:
  saban_store_rollback (store);
  o311_storage_error (req, error);
}

/* POST requests/{id}/notes.json: action = assign | reply | close | reopen. */
static void
notes_post (SabanRequest *req, gpointer data)
{
  static const char *const roles[] = { "operator", "coordinator", NULL };
  SabanStore *store = saban_server_get_store (req->server);
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanStmt) up = NULL, ins = NULL, get = NULL;
  g_autofree char *now = saban_store_now ();
  const char *action, *note, *agency;
  gint64 id;

  if (!saban_parse_fid (req->params[0], &id))
    {
      o311_error (req, SOUP_STATUS_NOT_FOUND, "no such service request");
      return;
    }
  if (req->user == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "WWW-Authenticate",
                                    "Bearer realm=\"saban\"");
      {
      o311_error (req, SOUP_STATUS_UNAUTHORIZED, "a bearer token from POST /auth/token is required");
      return;
    }
    }
  if (!g_str_equal (req->role, "admin") && !g_strv_contains (roles, req->role))
    {
      o311_error (req, SOUP_STATUS_FORBIDDEN, "the role %s may not handle citizen feedback", req->role);
      return;
    }
  if ((form = parse_body (req)) == NULL)
    {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "the body must be form-encoded (or a JSON object) in UTF-8");
      return;
    }
  action = g_hash_table_lookup (form, "action");
  note = g_hash_table_lookup (form, "note");
  agency = g_hash_table_lookup (form, "agency");
  if (action == NULL || !(g_str_equal (action, "assign") || g_str_equal (action, "reply") ||
                          g_str_equal (action, "close") || g_str_equal (action, "reopen")))
    {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "action is assign, reply, close or reopen");
      return;
    }
  if (!field_ok (form, "note", 4000) || !field_ok (form, "agency", 200))
    {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "a field is too long");
      return;
    }
  if (g_str_equal (action, "assign") && (agency == NULL || *agency == '\0'))
    {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "assign needs an agency");
      return;
    }
  if ((g_str_equal (action, "reply") || g_str_equal (action, "close")) && (note == NULL || *note == '\0'))
    {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "%s needs a note for the citizen", action);
      return;
    }

  if (!saban_store_begin (store, &error))
    goto fail;
  up = saban_store_prepare (store, "UPDATE o311_requests SET updated = ?, "
                            "status = CASE ? WHEN 'close' THEN 'closed' WHEN 'reopen' THEN 'open' ELSE status END, "
                            "agency_responsible = COALESCE(?, agency_responsible), "
                            "status_notes = COALESCE(?, status_notes) WHERE id = ?", &error);
  ins = saban_store_prepare (store, "INSERT INTO o311_notes (request_id, at, actor, action, note) VALUES (?, ?, ?, ?, ?)",
                             &error);
  if (up == NULL || ins == NULL)
    goto fail;
  saban_stmt_bind_text (up, 1, now);
  saban_stmt_bind_text (up, 2, action);
  if (g_str_equal (action, "assign"))
    saban_stmt_bind_text (up, 3, agency);
  if (note != NULL && *note != '\0')
    saban_stmt_bind_text (up, 4, note);
  saban_stmt_bind_int64 (up, 5, id);
  if (!saban_stmt_run (up, &error))
    goto fail;
  if (saban_stmt_changes (up) == 0)
    {
      saban_store_rollback (store);
      {
      o311_error (req, SOUP_STATUS_NOT_FOUND, "no such service request");
      return;
    }
    }
  saban_stmt_bind_int64 (ins, 1, id);
  saban_stmt_bind_text (ins, 2, now);
  saban_stmt_bind_text (ins, 3, req->user);
  saban_stmt_bind_text (ins, 4, action);
  saban_stmt_bind_text (ins, 5, g_str_equal (action, "assign") && (note == NULL || !*note) ? agency : note);
  if (!saban_stmt_run (ins, &error))
    goto fail;
  {
    g_autofree char *target = g_strdup_printf ("open311/requests/%" G_GINT64_FORMAT, id);
    if (!saban_store_audit (store, req->user, action, target, note, &error) || !saban_store_commit (store, &error))
      goto fail;
  }
  get = saban_store_prepare (store, "SELECT " REQUEST_COLUMNS " FROM o311_requests WHERE id = ?", NULL);
  saban_stmt_bind_int64 (get, 1, id);
  reply_requests (req, get, TRUE, NULL);
  return;
fail:
  saban_store_rollback (store);
  o311_storage_error (req, error);
}

static void
notes_get (SabanRequest *req, gpointer data)
{
  SabanStore *store = saban_server_get_store (req->server);
  g_autoptr(SabanStmt) st = NULL;
  g_autoptr(JsonArray) arr = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  gint64 id;

  if (!saban_parse_fid (req->params[0], &id))
    {
      o311_error (req, SOUP_STATUS_NOT_FOUND, "no such service request");
      return;
    }
  if (req->user == NULL)
    {
      o311_error (req, SOUP_STATUS_UNAUTHORIZED, "a bearer token from POST /auth/token is required");
      return;
    }
  st = saban_store_prepare (store, "SELECT id, at, actor, action, note FROM o311_notes WHERE request_id = ? ORDER BY id",
                            NULL);
  saban_stmt_bind_int64 (st, 1, id);
  while (saban_stmt_step (st, NULL))
    {
      JsonObject *o = json_object_new ();
      g_autofree char *at = o311_time (saban_stmt_column_text (st, 1));

      json_object_set_int_member (o, "id", saban_stmt_column_int64 (st, 0));
      json_object_set_string_member (o, "datetime", at);
      json_object_set_string_member (o, "actor", saban_stmt_column_text (st, 2));
      json_object_set_string_member (o, "action", saban_stmt_column_text (st, 3));
      set_text_or_null (o, "note", saban_stmt_column_text (st, 4));
      json_array_add_object_element (arr, o);
    }
  json_node_take_array (node, g_steal_pointer (&arr));
  saban_request_reply_json (req, SOUP_STATUS_OK, NULL, node);
}

/* ---- handling: the reporter for a stated purpose, merging duplicates, photos (issue 13) -------- */

/* The SQL of this part is in the three functions below, so a store of
 * another kind replaces them alone. */

/* @id's service, place, time and whether it was merged; FALSE when there is no such report. */
static gboolean
load_place (SabanStore *store, gint64 id, SabanFeedbackPlace *place, char **service, gboolean *merged)
{
  g_autoptr(SabanStmt) st = saban_store_prepare (store, "SELECT service_code, lat, lon, requested, duplicate_of "
                                                    "FROM o311_requests WHERE id = ?", NULL);

  if (st == NULL)
    return FALSE;
  saban_stmt_bind_int64 (st, 1, id);
  if (!saban_stmt_step (st, NULL))
    return FALSE;
  *service = g_strdup (saban_stmt_column_text (st, 0));
  place->service_code = *service;
  place->lat = saban_stmt_column_is_null (st, 1) ? NAN : saban_stmt_column_double (st, 1);
  place->lon = saban_stmt_column_is_null (st, 2) ? NAN : saban_stmt_column_double (st, 2);
  place->requested_us = saban_json_parse_time (saban_stmt_column_text (st, 3));
  *merged = !saban_stmt_column_is_null (st, 4);
  return TRUE;
}

static gboolean
add_note (SabanStore *store, gint64 id, const char *now, const char *actor, const char *action, const char *note,
          GError **error)
{
  g_autoptr(SabanStmt) st = saban_store_prepare (store, "INSERT INTO o311_notes (request_id, at, actor, action, "
                                                    "note) VALUES (?, ?, ?, ?, ?)", error);

  if (st == NULL)
    return FALSE;
  saban_stmt_bind_int64 (st, 1, id);
  saban_stmt_bind_text (st, 2, now);
  saban_stmt_bind_text (st, 3, actor);
  saban_stmt_bind_text (st, 4, action);
  saban_stmt_bind_text (st, 5, note);
  if (!saban_stmt_run (st, error))
      return FALSE;
  return TRUE;
}

/* @dup closed as a duplicate of @kept, with the answer the citizen reads. */
static gboolean
mark_duplicate (SabanStore *store, gint64 dup, gint64 kept, const char *now, const char *actor, GError **error)
{
  g_autoptr(SabanStmt) st = saban_store_prepare (store, "UPDATE o311_requests SET status = 'closed', "
                                                    "duplicate_of = ?, status_notes = ?, updated = ? WHERE id = ?",
                                                    error);
  g_autofree char *answer = g_strdup_printf ("Phản ánh trùng với phản ánh số %" G_GINT64_FORMAT
                                             "; được xử lý cùng phản ánh đó.", kept);

  if (st == NULL)
    return FALSE;
  saban_stmt_bind_int64 (st, 1, kept);
  saban_stmt_bind_text (st, 2, answer);
  saban_stmt_bind_text (st, 3, now);
  saban_stmt_bind_int64 (st, 4, dup);
  if (!saban_stmt_run (st, error))
      return FALSE;
  return add_note (store, dup, now, actor, "merge", answer, error);
}

/* A signed-in account of a role that handles feedback; replies itself otherwise. */
static gboolean
handler_allowed (SabanRequest *req, const char *what)
{
  if (req->user == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "WWW-Authenticate",
                                    "Bearer realm=\"saban\"");
      o311_error (req, SOUP_STATUS_UNAUTHORIZED, "a bearer token from POST /auth/token is required");
      return FALSE;
    }
  if (!sees_personal_data (req->role))
    {
      o311_error (req, SOUP_STATUS_FORBIDDEN, "the role %s may not %s", req->role, what);
      return FALSE;
    }
  return TRUE;
}

/* POST requests/{id}/personal.json, purpose=…: the report with its reporter
 * unmasked, for a role that handles feedback, once the purpose is on record
 * (Law 91/2025/QH15: personal data is read for a stated purpose, and the
 * read is logged). Never cached. */
static void
personal_post (SabanRequest *req, gpointer data)
{
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(SabanStmt) get = NULL;
  g_autofree char *purpose = NULL;
  const char *given;
  gint64 id;

  if (!saban_parse_fid (req->params[0], &id))
    {
      o311_error (req, SOUP_STATUS_NOT_FOUND, "no such service request");
      return;
    }
  if (!handler_allowed (req, "see reporters' personal data"))
    return;
  if ((form = parse_body (req)) == NULL)
    {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "the body must be form-encoded (or a JSON object) in UTF-8");
      return;
    }
  given = g_hash_table_lookup (form, "purpose");
  purpose = given != NULL ? g_strstrip (g_strdup (given)) : NULL;
  if (purpose == NULL || g_utf8_strlen (purpose, -1) < SABAN_OPEN311_PURPOSE_MIN ||
      g_utf8_strlen (purpose, -1) > SABAN_OPEN311_PURPOSE_MAX)
    {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "purpose: say why the reporter's data is needed, in %d to %d characters",
                  SABAN_OPEN311_PURPOSE_MIN, SABAN_OPEN311_PURPOSE_MAX);
      return;
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Cache-Control", "no-store");
  get = saban_store_prepare (saban_server_get_store (req->server),
                             "SELECT " REQUEST_COLUMNS " FROM o311_requests WHERE id = ?", NULL);
  saban_stmt_bind_int64 (get, 1, id);
  reply_requests (req, get, TRUE, purpose);
}

/* The ids of "12,15" into @ids; FALSE unless 1 to 100 of them, none @kept. */
static gboolean
parse_duplicates (const char *text, gint64 kept, GArray *ids)
{
  g_auto(GStrv) parts = text != NULL ? g_strsplit (text, ",", -1) : NULL;

  if (parts == NULL || g_strv_length (parts) == 0 || g_strv_length (parts) > 100)
    return FALSE;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gint64 id;

      if (!saban_parse_fid (g_strstrip (parts[i]), &id) || id == kept)
        return FALSE;
      for (guint j = 0; j < ids->len; j++)
        if (g_array_index (ids, gint64, j) == id)
          return FALSE;
      g_array_append_val (ids, id);
    }
  return TRUE;
}

/* Refuses (and replies) unless every one of @ids is a likely duplicate of @kept, not merged yet. */
static gboolean
check_duplicates (SabanRequest *req, SabanStore *store, gint64 kept, GArray *ids)
{
  SabanFeedbackPlace kept_place;
  g_autofree char *kept_service = NULL;
  gboolean merged;

  if (!load_place (store, kept, &kept_place, &kept_service, &merged))
    {
      o311_error (req, SOUP_STATUS_NOT_FOUND, "no such service request");
      return FALSE;
    }
  if (merged)
    {
      o311_error (req, SOUP_STATUS_CONFLICT, "request %" G_GINT64_FORMAT " was itself merged into another", kept);
      return FALSE;
    }
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      SabanFeedbackPlace place;
      g_autofree char *service = NULL;

      if (!load_place (store, id, &place, &service, &merged))
        {
          o311_error (req, SOUP_STATUS_NOT_FOUND, "no service request %" G_GINT64_FORMAT, id);
          return FALSE;
        }
      if (merged)
        {
          o311_error (req, SOUP_STATUS_CONFLICT, "request %" G_GINT64_FORMAT " is already merged", id);
          return FALSE;
        }
      if (!saban_feedback_likely_duplicate (&kept_place, &place))
        {
          o311_error (req, SOUP_STATUS_UNPROCESSABLE_ENTITY, "request %" G_GINT64_FORMAT " is not a likely duplicate: "
                      "the same service within %.0f m and %d h is", id, SABAN_FEEDBACK_DUPLICATE_RADIUS_M,
                      SABAN_FEEDBACK_DUPLICATE_WINDOW_S / 3600);
          return FALSE;
        }
    }
  return TRUE;
}

/* POST requests/{id}/merge.json, duplicates=12,15: the likely duplicates
 * closed and linked to {id}, which is kept; one note on each, one audit row. */
static void
merge_post (SabanRequest *req, gpointer data)
{
  SabanStore *store = saban_server_get_store (req->server);
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) list = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanStmt) get = NULL;
  g_autofree char *now = saban_store_now ();
  g_autofree char *target = NULL, *note = NULL;
  gint64 kept;

  if (!saban_parse_fid (req->params[0], &kept))
    {
      o311_error (req, SOUP_STATUS_NOT_FOUND, "no such service request");
      return;
    }
  if (!handler_allowed (req, "merge citizen feedback"))
    return;
  if ((form = parse_body (req)) == NULL || !parse_duplicates (g_hash_table_lookup (form, "duplicates"), kept, ids))
    {
      o311_error (req, SOUP_STATUS_BAD_REQUEST, "duplicates is a comma-separated list of 1 to 100 other request ids");
      return;
    }
  if (!saban_store_begin (store, &error))
    goto fail;
  if (!check_duplicates (req, store, kept, ids))
    {
      saban_store_rollback (store);
      return;
    }
  for (guint i = 0; i < ids->len; i++)
    {
      g_string_append_printf (list, "%s%" G_GINT64_FORMAT, i ? "," : "", g_array_index (ids, gint64, i));
      if (!mark_duplicate (store, g_array_index (ids, gint64, i), kept, now, req->user, &error))
        goto fail;
    }
  note = g_strdup_printf ("Gộp các phản ánh trùng số %s vào phản ánh này.", list->str);
  target = g_strdup_printf ("open311/requests/%" G_GINT64_FORMAT, kept);
  if (!add_note (store, kept, now, req->user, "merge", note, &error) ||
      !saban_store_audit (store, req->user, "merge", target, list->str, &error) || !saban_store_commit (store, &error))
    goto fail;
  get = saban_store_prepare (store, "SELECT " REQUEST_COLUMNS " FROM o311_requests WHERE id = ?", NULL);
  saban_stmt_bind_int64 (get, 1, kept);
  reply_requests (req, get, TRUE, NULL);
  return;
fail:
  saban_store_rollback (store);
  o311_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "%s", error ? error->message : "store error");
}

/* GET media/{file}: a photo this server keeps (the demo's, made by
 * saban-datagen --photos), from the one folder given, by a plain name. */
static void
media_get (SabanRequest *req, gpointer data)
{
  const char *dir = data;
  const char *name = req->params[0];
  g_autofree char *path = NULL, *bytes = NULL;
  gsize length;
  GStatBuf st;

  if (!g_regex_match_simple ("^[a-z0-9][a-z0-9-]{0,62}\\.png$", name, 0, 0) ||
      (path = g_build_filename (dir, name, NULL)) == NULL || g_stat (path, &st) != 0 || !S_ISREG (st.st_mode) ||
      st.st_size > SABAN_OPEN311_MEDIA_MAX || !g_file_get_contents (path, &bytes, &length, NULL))
    {
      o311_error (req, SOUP_STATUS_NOT_FOUND, "no such photo");
      return;
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Cache-Control",
                                "private, max-age=3600");
  saban_request_reply_bytes (req, SOUP_STATUS_OK, "image/png", bytes, length);
}

/**
 * saban_open311_serve_media:
 * @dir: the folder of the photos reports link to as /open311/v2/media/{file}
 */
void
saban_open311_serve_media (SabanServer *server, const char *dir)
{
  char *owned = g_strdup (dir);

  g_object_set_data_full (G_OBJECT (server), "open311-media-dir", owned, g_free);
  saban_router_add (saban_server_get_router (server), "GET", "/open311/v2/media/{file}", media_get, owned);
}

static void
index_page (SabanRequest *req, gpointer data)
{
  g_autofree char *base = saban_request_base_url (req);
  g_autoptr(JsonObject) o = json_object_new ();
  g_autofree char *s = g_strconcat (base, "/open311/v2/services.json", NULL);
  g_autofree char *r = g_strconcat (base, "/open311/v2/requests.json", NULL);

  json_object_set_string_member (o, "title", "Open311 GeoReport v2 — phản ánh hiện trường");
  json_object_set_string_member (o, "services", s);
  json_object_set_string_member (o, "requests", r);
  saban_request_reply_object (req, SOUP_STATUS_OK, NULL, o);
}

/**
 * saban_open311_register:
 * /open311/v2/services.json, requests.json (GET, POST), requests/{id}.json,
 * and the operators' extensions: requests/{id}/notes.json (GET, POST),
 * requests/{id}/personal.json and requests/{id}/merge.json (POST).
 */
void
saban_open311_register (SabanServer *server)
{
  SabanRouter *router = saban_server_get_router (server);

  saban_router_add (router, "GET", "/open311/v2", index_page, NULL);
  saban_router_add (router, "GET", "/open311/v2/services.json", services_json, NULL);
  saban_router_add (router, "GET", "/open311/v2/requests.json", requests_get, NULL);
  saban_router_add (router, "POST", "/open311/v2/requests.json", requests_post, NULL);
  saban_router_add (router, "GET", "/open311/v2/requests/{id}/notes.json", notes_get, NULL);
  saban_router_add (router, "POST", "/open311/v2/requests/{id}/notes.json", notes_post, NULL);
  saban_router_add (router, "POST", "/open311/v2/requests/{id}/personal.json", personal_post, NULL);
  saban_router_add (router, "POST", "/open311/v2/requests/{id}/merge.json", merge_post, NULL);
  saban_router_add (router, "GET", "/open311/v2/requests/{file}", request_get, NULL);
}

/* ---- demo seed ---------------------------------------------------------------------- */

/* The demo's photo for a report of @service, by path on this server; NULL
 * for services saban-datagen draws none of, and for every third report. */
static char *
demo_photo (const char *service, guint i)
{
  static const char *const drawn[] = { "ngap-ung", "sat-lo", "cay-do", "rac-thai", "hu-hong-duong", NULL };

  if (i % 3 == 2 || !g_strv_contains (drawn, service))
    return NULL;
  return g_strdup_printf ("/open311/v2/media/%s-%u.png", service, 1 + i % 2);
}

/**
 * saban_open311_seed_demo:
 * @n_requests: how many (the demo's forty; the benchmark's 50 000)
 *
 * Invented requests in Vietnamese around the communes, once per database,
 * in one transaction; every one is flagged demo and says so in its
 * description. Some carry a photo of the demo's (saban-datagen --photos,
 * served by saban_open311_serve_media), and every thirteenth is a likely
 * duplicate of the one before.
 */
gboolean
saban_open311_seed_demo (SabanStore *store, const char *gpkg_path, guint n_requests, GError **error)
{
  static const char *const families[] = { "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ",
                                          "Lò", "Giàng", "Sùng", "Hà", "Lương" };
  static const char *const middles[] = { "Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "A", "Seo" };
  static const char *const givens[] = { "An", "Bình", "Chung", "Dũng", "Hoa", "Lan", "Mai", "Nam", "Phong",
                                        "Quyết", "Sơn", "Tuấn", "Vân", "Xuân", "Páo", "Chứ" };
  static const char *const texts[] = {
    "Nước ngập sâu khoảng 40 cm sau mưa lớn, xe máy không đi qua được.",
    "Taluy dương có vết nứt, đất đá sạt xuống một nửa mặt đường.",
    "Cây to bật gốc đổ chắn ngang đường, chưa có người xử lý.",
    "Cả dãy đèn đường tắt từ ba hôm nay, đi lại buổi tối rất nguy hiểm.",
    "Rác thải sinh hoạt đổ tràn ra lòng đường, bốc mùi hôi.",
    "Hàng quán bày bán chiếm hết vỉa hè, người đi bộ phải xuống lòng đường.",
    "Khói bụi từ xưởng gần khu dân cư vào buổi tối, mùi khét.",
    "Mặt đường có nhiều ổ gà lớn, đã có người ngã xe.",
    "Nhóm thanh niên tụ tập gây ồn ào sau 23 giờ.",
    "Đề nghị bổ sung biển báo tại khúc cua nguy hiểm.",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (311);
  g_autoptr(SabanStmt) probe = saban_store_prepare (store, "SELECT 1 FROM o311_requests WHERE demo = 1 LIMIT 1", error);
  g_autoptr(GArray) centres = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SabanTransform) t = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDALDatasetH ds;
  OGRLayerH layer;
  OGRFeatureH f;
  guint prev_s = 0, prev_c = 0;
  double prev_age = 0, prev_lat = 0, prev_lon = 0;

  if (probe == NULL)
    return FALSE;
  if (saban_stmt_step (probe, NULL))
    return TRUE;
  ds = gpkg_path ? GDALOpenEx (gpkg_path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL) : NULL;
  layer = ds ? GDALDatasetGetLayerByName (ds, "communes") : NULL;
  if (layer != NULL)
    {
      OGRSpatialReferenceH srs = OGR_L_GetSpatialRef (layer);
      const char *code = srs ? OSRGetAuthorityCode (srs, NULL) : NULL;

      t = saban_transform_new_epsg (code ? atoi (code) : SABAN_EPSG_VN2000_TM3_10445, SABAN_EPSG_WGS84, NULL);
      while (t != NULL && (f = OGR_L_GetNextFeature (layer)) != NULL)
        {
          OGRGeometryH g = OGR_F_GetGeometryRef (f);
          OGRGeometryH c = g ? OGR_G_CreateGeometry (wkbPoint) : NULL;

          if (c != NULL && OGR_G_Centroid (g, c) == OGRERR_NONE)
            {
              double xy[2] = { OGR_G_GetX (c, 0), OGR_G_GetY (c, 0) };

              if (saban_transform_points (t, xy, 1))
                {
                  g_array_append_vals (centres, xy, 2);
                  g_ptr_array_add (names, g_strdup (OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "name"))));
                }
            }
          if (c != NULL)
            OGR_G_DestroyGeometry (c);
          OGR_F_Destroy (f);
        }
    }
  if (ds != NULL)
    GDALClose (ds);
  if (names->len == 0)
    {
      double lao_cai[2] = { 103.97, 22.48 };
      g_array_append_vals (centres, lao_cai, 2);
      g_ptr_array_add (names, g_strdup ("Phường Lào Cai"));
    }

  if (!saban_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < n_requests; i++)
    {
      g_autoptr(SabanStmt) st = saban_store_prepare (store,
          "INSERT INTO o311_requests (service_code, status, status_notes, description, agency_responsible, "
          "service_notice, requested, updated, address, lat, lon, first_name, last_name, phone, email, media_url, demo) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", error);
      /* every thirteenth report is a second citizen's of the one before: the
       * same service a few metres and hours away (a likely duplicate) */
      gboolean again = i % 13 == 12;
      guint s = again ? prev_s : (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (services) - 1);
      guint c = again ? prev_c : (guint) g_rand_int_range (rand, 0, (gint32) names->len);
      gboolean closed = g_rand_double (rand) < 0.4;
      double age = again ? prev_age - g_rand_double_range (rand, 1800, 6 * 3600.0)
                         : g_rand_double_range (rand, 3600, 30 * 86400.0);
      g_autoptr(GDateTime) req_at = g_date_time_add_seconds (now, -MAX (age, 600));
      g_autoptr(GDateTime) upd_at = g_date_time_add_seconds (req_at, closed ? g_rand_double_range (rand, 3600, 3 * 86400.0) : 0);
      g_autofree char *req_iso = g_date_time_format_iso8601 (req_at);
      g_autofree char *upd_iso = g_date_time_format_iso8601 (upd_at);
      g_autofree char *requested = saban_normalise_time (req_iso, FALSE);
      g_autofree char *updated = saban_normalise_time (upd_iso, FALSE);
      g_autofree char *desc = g_strdup_printf ("%s (Dữ liệu minh họa — phản ánh giả định.)", texts[s]);
      g_autofree char *address = g_strdup_printf ("Tổ %d, %s, tỉnh Lào Cai", g_rand_int_range (rand, 1, 25),
                                                  (const char *) g_ptr_array_index (names, c));
      g_autofree char *given = g_strdup_printf ("%s %s", middles[g_rand_int_range (rand, 0, G_N_ELEMENTS (middles))],
                                                givens[g_rand_int_range (rand, 0, G_N_ELEMENTS (givens))]);
      g_autofree char *phone = g_strdup_printf ("09%08d", g_rand_int_range (rand, 0, 99999999));
      g_autofree char *email = g_strdup_printf ("nguoidan%02u@example.vn", i + 1);
      /* a duplicate stands within 25 m of the first report */
      double spread = again ? 0.0002 : 0.01;
      double lat = (again ? prev_lat : g_array_index (centres, double, 2 * c + 1)) + g_rand_double_range (rand, -spread, spread);
      double lon = (again ? prev_lon : g_array_index (centres, double, 2 * c)) + g_rand_double_range (rand, -spread, spread);
      g_autofree char *photo = demo_photo (services[s].code, i);

      if (st == NULL)
        goto fail;
      saban_stmt_bind_text (st, 1, services[s].code);
      saban_stmt_bind_text (st, 2, closed ? "closed" : "open");
      saban_stmt_bind_text (st, 3, closed ? "Đã xử lý xong, đã trả lời người dân (minh họa)." : NULL);
      saban_stmt_bind_text (st, 4, desc);
      saban_stmt_bind_text (st, 5, services[s].agency);
      saban_stmt_bind_text (st, 6, "Phản ánh đã được tiếp nhận.");
      saban_stmt_bind_text (st, 7, requested);
      saban_stmt_bind_text (st, 8, updated);
      saban_stmt_bind_text (st, 9, address);
      saban_stmt_bind_double (st, 10, round (lat * 1e6) / 1e6);
      saban_stmt_bind_double (st, 11, round (lon * 1e6) / 1e6);
      saban_stmt_bind_text (st, 12, given);
      saban_stmt_bind_text (st, 13, families[g_rand_int_range (rand, 0, G_N_ELEMENTS (families))]);
      saban_stmt_bind_text (st, 14, phone);
      saban_stmt_bind_text (st, 15, email);
      saban_stmt_bind_text (st, 16, photo);
      if (!saban_stmt_run (st, error))
        goto fail;
      prev_s = s;
      prev_c = c;
      prev_age = age;
      prev_lat = lat;
      prev_lon = lon;
    }
  return saban_store_commit (store, error);
fail:
  saban_store_rollback (store);
  return FALSE;
}
