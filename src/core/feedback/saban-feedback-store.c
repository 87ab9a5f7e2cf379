/* saban-feedback-store.c: citizens' reports (Open311 GeoReport v2, with
 * saban-server's extensions) as the client holds them: the services with
 * their time limits, the reports as compact rows (strings in one chunk, so
 * 50 000 reports cost a few megabytes), each report's commune, where it
 * stands against its limit, its likely duplicates, filters and counts by
 * commune. Everything read from a server is checked: a report that is not
 * what the standard says is left out with a `saban-feedback` message.
 *
 * Built in a worker thread by the reader, then used on the main thread.
 */
#include "saban-feedback-store.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "saban-error.h"
#include "saban-json.h"
#include "saban-measure.h"

#define LOG_DOMAIN "saban-feedback"

/* a text field longer than this is not a citizen's report (the server takes 4 000 bytes) */
#define MAX_TEXT 8192
/* likely duplicates are looked for in cells this many degrees wide: with the
 * eight around it, a cell covers 50 m in every direction below 60° of latitude */
#define CELL_DEGREES 0.001

struct _SabanFeedbackStore
{
  GObject       parent_instance;

  GStringChunk *strings;
  GArray       *services;   /* SabanFeedbackService */
  GArray       *requests;   /* SabanFeedbackRequest */
  GHashTable   *by_id;      /* id → index + 1 */
  GPtrArray    *commune_codes;
  GPtrArray    *commune_names;
  GHashTable   *cells;      /* "service cx cy" → GArray of indices; NULL until asked */
};

G_DEFINE_FINAL_TYPE (SabanFeedbackStore, saban_feedback_store, G_TYPE_OBJECT)

static void
saban_feedback_store_finalize (GObject *object)
{
  SabanFeedbackStore *self = SABAN_FEEDBACK_STORE (object);

  g_string_chunk_free (self->strings);
  g_array_unref (self->services);
  g_array_unref (self->requests);
  g_hash_table_unref (self->by_id);
  g_ptr_array_unref (self->commune_codes);
  g_ptr_array_unref (self->commune_names);
  g_clear_pointer (&self->cells, g_hash_table_unref);
  G_OBJECT_CLASS (saban_feedback_store_parent_class)->finalize (object);
}

static void
saban_feedback_store_class_init (SabanFeedbackStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_feedback_store_finalize;
}

static void
saban_feedback_store_init (SabanFeedbackStore *self)
{
  self->strings = g_string_chunk_new (64 * 1024);
  self->services = g_array_new (FALSE, TRUE, sizeof (SabanFeedbackService));
  self->requests = g_array_new (FALSE, TRUE, sizeof (SabanFeedbackRequest));
  self->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->commune_codes = g_ptr_array_new ();
  self->commune_names = g_ptr_array_new ();
}

/**
 * saban_feedback_store_new:
 *
 * Returns: (transfer full): an empty store
 */
SabanFeedbackStore *
saban_feedback_store_new (void)
{
  return g_object_new (SABAN_TYPE_FEEDBACK_STORE, NULL);
}

/* a string member, kept in the store; NULL when absent, null or not text */
static const char *
keep_string (SabanFeedbackStore *self, JsonObject *o, const char *name, gboolean *too_long)
{
  const char *v = saban_json_get_string (o, name, G_MAXSIZE);

  if (v == NULL)
    return NULL;
  if (strlen (v) > MAX_TEXT)
    {
      *too_long = TRUE;
      return NULL;
    }
  return g_string_chunk_insert_const (self->strings, v);
}

static void
clear_cells (SabanFeedbackStore *self)
{
  g_clear_pointer (&self->cells, g_hash_table_unref);
}

/**
 * saban_feedback_store_set_services:
 * @services: services.json's answer
 *
 * Returns: %FALSE with @error set (translated) when it is not a list of services
 */
gboolean
saban_feedback_store_set_services (SabanFeedbackStore *self, JsonNode *services, GError **error)
{
  JsonArray *a;

  if (services == NULL || !JSON_NODE_HOLDS_ARRAY (services) ||
      json_array_get_length (a = json_node_get_array (services)) > 1000)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("The server's list of feedback services is unreadable."));
      return FALSE;
    }
  g_array_set_size (self->services, 0);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *n = json_array_get_element (a, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
      gboolean too_long = FALSE;
      SabanFeedbackService s = { 0 };
      double sla = o != NULL ? saban_json_get_number (o, "sla_hours") : NAN;

      if (o == NULL || (s.code = keep_string (self, o, "service_code", &too_long)) == NULL ||
          (s.name = keep_string (self, o, "service_name", &too_long)) == NULL || too_long)
        {
          g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "service %u left out: no code or name", i);
          continue;
        }
      s.group = keep_string (self, o, "group", &too_long);
      s.agency = keep_string (self, o, "agency", &too_long);
      s.sla_hours = isfinite (sla) && sla > 0 && sla <= 24 * 366 ? sla : 0;
      g_array_append_val (self->services, s);
    }
  return TRUE;
}

guint
saban_feedback_store_get_n_services (SabanFeedbackStore *self)
{
  return self->services->len;
}

const SabanFeedbackService *
saban_feedback_store_get_service (SabanFeedbackStore *self, guint index)
{
  g_return_val_if_fail (index < self->services->len, NULL);
  return &g_array_index (self->services, SabanFeedbackService, index);
}

/**
 * saban_feedback_store_find_service:
 *
 * Returns: (nullable): the service of @code
 */
const SabanFeedbackService *
saban_feedback_store_find_service (SabanFeedbackStore *self, const char *code)
{
  for (guint i = 0; code != NULL && i < self->services->len; i++)
    if (g_str_equal (g_array_index (self->services, SabanFeedbackService, i).code, code))
      return &g_array_index (self->services, SabanFeedbackService, i);
  return NULL;
}

static gboolean
read_place (JsonObject *o, SabanFeedbackRequest *r)
{
  JsonNode *lat = json_object_get_member (o, "lat"), *lon = json_object_get_member (o, "long");

  r->lat = r->lon = NAN;
  if ((lat == NULL || JSON_NODE_HOLDS_NULL (lat)) && (lon == NULL || JSON_NODE_HOLDS_NULL (lon)))
    return TRUE;
  r->lat = saban_json_node_number (lat);
  r->lon = saban_json_node_number (lon);
  return isfinite (r->lat) && isfinite (r->lon) && fabs (r->lat) <= 90 && fabs (r->lon) <= 180;
}

static gint64
read_id (JsonObject *o, const char *name)
{
  const char *text = saban_json_get_string (o, name, 32);
  guint64 id;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &id, NULL))
    return 0;
  return (gint64) id;
}

/* One report of a page into @r; FALSE, with why, when it is not one. */
static gboolean
read_request (SabanFeedbackStore *self, JsonNode *node, SabanFeedbackRequest *r, const char **why)
{
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const SabanFeedbackService *svc;
  const char *status;
  gboolean too_long = FALSE;

  *why = "not an object";
  if (o == NULL)
    return FALSE;
  memset (r, 0, sizeof *r);
  r->commune = -1;
  *why = "no service_request_id";
  if ((r->id = read_id (o, "service_request_id")) == 0)
    return FALSE;
  *why = "no service_code";
  if ((r->service_code = keep_string (self, o, "service_code", &too_long)) == NULL)
    return FALSE;
  *why = "status is neither open nor closed";
  status = saban_json_get_string (o, "status", 16);
  if (g_strcmp0 (status, "open") != 0 && g_strcmp0 (status, "closed") != 0)
    return FALSE;
  r->closed = g_str_equal (status, "closed");
  *why = "no requested_datetime";
  if ((r->requested_us = saban_json_parse_time (saban_json_get_string (o, "requested_datetime", 64))) == 0)
    return FALSE;
  *why = "lat and long are not WGS 84 degrees";
  if (!read_place (o, r))
    return FALSE;
  r->updated_us = saban_json_parse_time (saban_json_get_string (o, "updated_datetime", 64));
  r->due_us = saban_json_parse_time (saban_json_get_string (o, "expected_datetime", 64));
  svc = saban_feedback_store_find_service (self, r->service_code);
  if (r->due_us == 0 && svc != NULL)
    r->due_us = saban_feedback_due_us (r->requested_us, svc->sla_hours);
  r->duplicate_of = read_id (o, "duplicate_of");
  r->status_notes = keep_string (self, o, "status_notes", &too_long);
  r->description = keep_string (self, o, "description", &too_long);
  r->agency = keep_string (self, o, "agency_responsible", &too_long);
  r->address = keep_string (self, o, "address", &too_long);
  r->media_url = keep_string (self, o, "media_url", &too_long);
  r->first_name = keep_string (self, o, "first_name", &too_long);
  r->last_name = keep_string (self, o, "last_name", &too_long);
  r->phone = keep_string (self, o, "phone", &too_long);
  r->email = keep_string (self, o, "email", &too_long);
  *why = "a text is too long";
  return !too_long;
}

/**
 * saban_feedback_store_add_page:
 * @page: an answer of requests.json (an array of reports)
 *
 * Adds the page's reports after those held (a report held already is
 * replaced). Read the services first: a report without its own
 * expected_datetime is due by its service's limit.
 *
 * Returns: how many reports the page held; 0 with @error set when it is not
 *   a list of reports, or the store is full
 */
guint
saban_feedback_store_add_page (SabanFeedbackStore *self, JsonNode *page, GError **error)
{
  JsonArray *a;
  guint n;

  if (page == NULL || !JSON_NODE_HOLDS_ARRAY (page))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("The server's list of citizens' reports is unreadable."));
      return 0;
    }
  a = json_node_get_array (page);
  n = json_array_get_length (a);
  if (self->requests->len + n > SABAN_FEEDBACK_MAX_REQUESTS)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("More than %d citizens' reports: the list is cut there."),
                   SABAN_FEEDBACK_MAX_REQUESTS);
      return 0;
    }
  clear_cells (self);
  for (guint i = 0; i < n; i++)
    {
      SabanFeedbackRequest r;
      const char *why;
      gpointer held;

      if (!read_request (self, json_array_get_element (a, i), &r, &why))
        {
          g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "report %u of a page left out: %s", i, why);
          continue;
        }
      if ((held = g_hash_table_lookup (self->by_id, &r.id)) != NULL)
        {
          r.commune = g_array_index (self->requests, SabanFeedbackRequest, GPOINTER_TO_UINT (held) - 1).commune;
          g_array_index (self->requests, SabanFeedbackRequest, GPOINTER_TO_UINT (held) - 1) = r;
          continue;
        }
      g_array_append_val (self->requests, r);
      g_hash_table_insert (self->by_id, g_memdup2 (&r.id, sizeof r.id), GUINT_TO_POINTER (self->requests->len));
    }
  return n;
}

/**
 * saban_feedback_store_update:
 * @answer: a write's answer: an array of the one report, as it now stands
 * @index: (out) (optional): where the report is held
 *
 * Returns: whether the answer was a report the store holds, now replaced
 */
gboolean
saban_feedback_store_update (SabanFeedbackStore *self, JsonNode *answer, guint *index)
{
  JsonArray *a = answer != NULL && JSON_NODE_HOLDS_ARRAY (answer) ? json_node_get_array (answer) : NULL;
  SabanFeedbackRequest r;
  const char *why;
  guint i;

  if (a == NULL || json_array_get_length (a) != 1 || !read_request (self, json_array_get_element (a, 0), &r, &why) ||
      !saban_feedback_store_find (self, r.id, &i))
    return FALSE;
  r.commune = g_array_index (self->requests, SabanFeedbackRequest, i).commune;
  g_array_index (self->requests, SabanFeedbackRequest, i) = r;
  clear_cells (self);
  if (index != NULL)
    *index = i;
  return TRUE;
}

/**
 * saban_feedback_store_set_communes:
 * @communes: the communes' polygons (any layer, in Web Mercator)
 *
 * Finds each report's commune by point in polygon; call it from a worker
 * for many reports (~10 µs each).
 */
void
saban_feedback_store_set_communes (SabanFeedbackStore *self, SabanVectorLayer *communes,
                                   const char *code_field, const char *name_field)
{
  const SabanAttributeTable *table = saban_vector_layer_get_attributes (communes);
  int code = saban_attribute_table_find_field (table, code_field);
  int name = saban_attribute_table_find_field (table, name_field);
  guint32 n = saban_vector_layer_get_n_features (communes);

  g_ptr_array_set_size (self->commune_codes, 0);
  g_ptr_array_set_size (self->commune_names, 0);
  for (guint32 f = 0; f < n; f++)
    {
      g_autofree char *c = code >= 0 ? saban_attribute_table_format (table, code, f) : g_strdup_printf ("%u", f);
      g_autofree char *m = name >= 0 ? saban_attribute_table_format (table, name, f) : g_strdup (c);

      g_ptr_array_add (self->commune_codes, g_string_chunk_insert_const (self->strings, c));
      g_ptr_array_add (self->commune_names, g_string_chunk_insert_const (self->strings, m));
    }
  for (guint i = 0; i < self->requests->len; i++)
    {
      SabanFeedbackRequest *r = &g_array_index (self->requests, SabanFeedbackRequest, i);
      double x, y;

      r->commune = -1;
      if (isnan (r->lat))
        continue;
      saban_lonlat_to_mercator (r->lon, r->lat, &x, &y);
      r->commune = (int) saban_vector_layer_hit_test (communes, x, y, 0);
    }
}

guint
saban_feedback_store_get_n_communes (SabanFeedbackStore *self)
{
  return self->commune_codes->len;
}

const char *
saban_feedback_store_get_commune_code (SabanFeedbackStore *self, guint commune)
{
  g_return_val_if_fail (commune < self->commune_codes->len, NULL);
  return g_ptr_array_index (self->commune_codes, commune);
}

const char *
saban_feedback_store_get_commune_name (SabanFeedbackStore *self, guint commune)
{
  g_return_val_if_fail (commune < self->commune_names->len, NULL);
  return g_ptr_array_index (self->commune_names, commune);
}

guint
saban_feedback_store_get_n_requests (SabanFeedbackStore *self)
{
  return self->requests->len;
}

const SabanFeedbackRequest *
saban_feedback_store_get_request (SabanFeedbackStore *self, guint index)
{
  g_return_val_if_fail (index < self->requests->len, NULL);
  return &g_array_index (self->requests, SabanFeedbackRequest, index);
}

/**
 * saban_feedback_store_find:
 * @index: (out) (optional): where the report of @id is held
 *
 * Returns: whether a report of @id is held
 */
gboolean
saban_feedback_store_find (SabanFeedbackStore *self, gint64 id, guint *index)
{
  gpointer held = g_hash_table_lookup (self->by_id, &id);

  if (held == NULL)
    return FALSE;
  if (index != NULL)
    *index = GPOINTER_TO_UINT (held) - 1;
  return TRUE;
}

/**
 * saban_feedback_store_get_timing:
 *
 * Returns: where report @index stands against its due time at @now_us
 *   (closed: by its last update)
 */
SabanFeedbackTiming
saban_feedback_store_get_timing (SabanFeedbackStore *self, guint index, gint64 now_us)
{
  const SabanFeedbackRequest *r = saban_feedback_store_get_request (self, index);

  return saban_feedback_timing (r->closed, r->due_us, r->updated_us, now_us);
}

static char *
cell_key (const char *service, double lat, double lon, int dlat, int dlon)
{
  return g_strdup_printf ("%s %ld %ld", service, lround (floor (lat / CELL_DEGREES)) + dlat,
                          lround (floor (lon / CELL_DEGREES)) + dlon);
}

/* the placed reports not merged yet, by service and cell */
static GHashTable *
build_cells (SabanFeedbackStore *self)
{
  GHashTable *cells = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);

  for (guint i = 0; i < self->requests->len; i++)
    {
      const SabanFeedbackRequest *r = &g_array_index (self->requests, SabanFeedbackRequest, i);
      char *key;
      GArray *members;

      if (isnan (r->lat) || r->duplicate_of != 0)
        continue;
      key = cell_key (r->service_code, r->lat, r->lon, 0, 0);
      if ((members = g_hash_table_lookup (cells, key)) == NULL)
        {
          members = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (cells, key, members);
        }
      else
        g_free (key);
      g_array_append_val (members, i);
    }
  return cells;
}

static SabanFeedbackPlace
place_of (const SabanFeedbackRequest *r)
{
  SabanFeedbackPlace p = { r->service_code, r->lat, r->lon, r->requested_us };
  return p;
}

/**
 * saban_feedback_store_get_duplicates:
 *
 * Returns: (transfer full): the indices of the reports, not merged yet, that
 *   are likely duplicates of report @index (saban_feedback_likely_duplicate),
 *   oldest first; empty for a merged report
 */
GArray *
saban_feedback_store_get_duplicates (SabanFeedbackStore *self, guint index)
{
  const SabanFeedbackRequest *r = saban_feedback_store_get_request (self, index);
  SabanFeedbackPlace p = place_of (r);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint));

  if (isnan (r->lat) || r->duplicate_of != 0)
    return out;
  if (self->cells == NULL)
    self->cells = build_cells (self);
  for (int dlat = -1; dlat <= 1; dlat++)
    for (int dlon = -1; dlon <= 1; dlon++)
      {
        g_autofree char *key = cell_key (r->service_code, r->lat, r->lon, dlat, dlon);
        GArray *members = g_hash_table_lookup (self->cells, key);

        for (guint k = 0; members != NULL && k < members->len; k++)
          {
            guint j = g_array_index (members, guint, k);
            SabanFeedbackPlace q = place_of (saban_feedback_store_get_request (self, j));

            if (j != index && saban_feedback_likely_duplicate (&p, &q))
              g_array_append_val (out, j);
          }
      }
  /* the server sends the newest first: the oldest is the highest index */
  for (guint a = 0, b = out->len; a + 1 < b; a++, b--)
    {
      guint t = g_array_index (out, guint, a);
      g_array_index (out, guint, a) = g_array_index (out, guint, b - 1);
      g_array_index (out, guint, b - 1) = t;
    }
  return out;
}

/**
 * saban_feedback_filter_init:
 *
 * Sets @filter to let every report pass.
 */
void
saban_feedback_filter_init (SabanFeedbackFilter *filter)
{
  memset (filter, 0, sizeof *filter);
  filter->closed = -1;
  filter->commune = -1;
}

static gboolean
passes (SabanFeedbackStore *self, guint i, const SabanFeedbackFilter *f, gint64 now_us)
{
  const SabanFeedbackRequest *r = saban_feedback_store_get_request (self, i);

  if (f->closed >= 0 && r->closed != (f->closed == 1))
    return FALSE;
  if (f->service_code != NULL && g_strcmp0 (f->service_code, r->service_code) != 0)
    return FALSE;
  if (f->commune >= 0 && r->commune != f->commune)
    return FALSE;
  if (f->max_age_days > 0 && now_us - r->requested_us > (gint64) f->max_age_days * 86400 * G_USEC_PER_SEC)
    return FALSE;
  if (f->overdue_only && !saban_feedback_timing_is_late (saban_feedback_store_get_timing (self, i, now_us)))
    return FALSE;
  if (f->duplicates_only)
    {
      g_autoptr(GArray) dups = r->closed ? NULL : saban_feedback_store_get_duplicates (self, i);

      if (dups == NULL || dups->len == 0)
        return FALSE;
    }
  return TRUE;
}

/**
 * saban_feedback_store_filter:
 *
 * Returns: (transfer full): the indices of the reports that pass @filter,
 *   in the store's order (newest first, as the server sends them)
 */
GArray *
saban_feedback_store_filter (SabanFeedbackStore *self, const SabanFeedbackFilter *filter, gint64 now_us)
{
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (guint), self->requests->len);

  for (guint i = 0; i < self->requests->len; i++)
    if (passes (self, i, filter, now_us))
      g_array_append_val (out, i);
  return out;
}

static void
count_one (SabanFeedbackCounts *c, SabanFeedbackTiming timing)
{
  c->received++;
  switch (timing)
    {
    case SABAN_FEEDBACK_OPEN:
      c->open++;
      break;
    case SABAN_FEEDBACK_OVERDUE:
      c->open++;
      c->overdue++;
      break;
    case SABAN_FEEDBACK_CLOSED_ON_TIME:
      c->closed++;
      c->closed_on_time++;
      break;
    case SABAN_FEEDBACK_CLOSED_LATE:
    default:
      c->closed++;
      break;
    }
}

/* A report open within its time is not judged yet: the rate is of those
 * closed, and of those open past their time. */
static void
finish_counts (SabanFeedbackCounts *c)
{
  guint due = c->closed + c->overdue;

  c->on_time_rate = due > 0 ? (double) c->closed_on_time / due : NAN;
}

/**
 * saban_feedback_store_count:
 * @counts: (out caller-allocates): every report held, merged ones left out
 *   (they were one matter with the report they joined)
 */
void
saban_feedback_store_count (SabanFeedbackStore *self, gint64 now_us, SabanFeedbackCounts *counts)
{
  memset (counts, 0, sizeof *counts);
  for (guint i = 0; i < self->requests->len; i++)
    if (saban_feedback_store_get_request (self, i)->duplicate_of == 0)
      count_one (counts, saban_feedback_store_get_timing (self, i, now_us));
  finish_counts (counts);
}

/**
 * saban_feedback_store_count_by_commune:
 *
 * Returns: (transfer full): a SabanFeedbackCounts per commune, in the
 *   communes' order; merged reports left out
 */
GArray *
saban_feedback_store_count_by_commune (SabanFeedbackStore *self, gint64 now_us)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (SabanFeedbackCounts));

  g_array_set_size (out, self->commune_codes->len);
  for (guint i = 0; i < self->requests->len; i++)
    {
      const SabanFeedbackRequest *r = saban_feedback_store_get_request (self, i);

      if (r->commune >= 0 && (guint) r->commune < out->len && r->duplicate_of == 0)
        count_one (&g_array_index (out, SabanFeedbackCounts, r->commune),
                   saban_feedback_store_get_timing (self, i, now_us));
    }
  for (guint c = 0; c < out->len; c++)
    finish_counts (&g_array_index (out, SabanFeedbackCounts, c));
  return out;
}

/**
 * saban_feedback_store_new_layer:
 * @indices: the reports to draw (those without a place are left out)
 *
 * The reports as points for a map: each feature's fid is the report's
 * index in the store; attribute `timing` is its SabanFeedbackTiming.
 *
 * Returns: (transfer full): a point layer named "feedback"
 */
SabanVectorLayer *
saban_feedback_store_new_layer (SabanFeedbackStore *self, GArray *indices, gint64 now_us)
{
  SabanFeatureArrays a = { 0 };
  guint field;
  guint32 n = 0;

  a.part_starts = g_new (guint32, indices->len + 1);
  a.point_starts = g_new (guint32, indices->len + 1);
  a.xy = g_new (double, 2 * (gsize) MAX (indices->len, 1));
  a.boxes = g_new (double, 4 * (gsize) MAX (indices->len, 1));
  a.fids = g_new (gint64, MAX (indices->len, 1));
  a.attributes = saban_attribute_table_new ();
  field = saban_attribute_table_add_field (a.attributes, "timing", SABAN_FIELD_INTEGER);
  for (guint k = 0; k < indices->len; k++)
    {
      guint i = g_array_index (indices, guint, k);
      const SabanFeedbackRequest *r = saban_feedback_store_get_request (self, i);
      double *xy = a.xy + 2 * (gsize) n;

      if (isnan (r->lat))
        continue;
      saban_lonlat_to_mercator (r->lon, r->lat, &xy[0], &xy[1]);
      a.part_starts[n] = n;
      a.point_starts[n] = n;
      a.boxes[4 * n] = a.boxes[4 * n + 2] = xy[0];
      a.boxes[4 * n + 1] = a.boxes[4 * n + 3] = xy[1];
      a.fids[n] = i;
      saban_attribute_table_append_integer (a.attributes, field, saban_feedback_store_get_timing (self, i, now_us));
      n++;
    }
  a.part_starts[n] = n;
  a.point_starts[n] = n;
  a.n_features = a.n_parts = a.n_points = n;
  return saban_vector_layer_new ("feedback", "open311", "EPSG:4326", "WGS 84", SABAN_GEOMETRY_POINT, &a);
}
