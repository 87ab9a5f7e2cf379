/* saban-report-data.c: what a meeting report is made from — the indicators,
 * the communes' boundaries, the Command API's scenarios, tasks and situation
 * reports, CAP alerts and Open311 requests — each with the time it was read.
 *
 * Everything is the server's JSON, checked here as anything from outside is:
 * strings bounded and UTF-8, numbers finite, times ISO 8601, sizes bounded;
 * an item that fails is left out with a `saban-report` message.
 */
#include "saban-report-data.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "saban-error.h"
#include "saban-json.h"

#define LOG_DOMAIN "saban-report"
#define MAX_TEXT   4096
#define MAX_ITEMS  100000
#define MAX_POINTS (4 * 1024 * 1024)

struct _SabanReportData
{
  GObject            parent_instance;
  char              *server_url;
  SabanIndicatorSet *indicators;
  GHashTable        *groups;      /* Open311 service code → group */
  GArray            *scenarios, *tasks, *sitreps, *alerts, *requests, *areas;
  gsize              points;
  gint64             taken_at[SABAN_REPORT_N_SOURCES];
};

G_DEFINE_FINAL_TYPE (SabanReportData, saban_report_data, G_TYPE_OBJECT)

static void
scenario_clear (gpointer data)
{
  SabanReportScenario *s = data;

  g_free (s->title);
  g_free (s->playbook);
  g_free (s->status);
  g_free (s->severity);
}

static void
task_clear (gpointer data)
{
  SabanReportTask *t = data;

  g_free (t->title);
  g_free (t->status);
  g_free (t->outcome);
}

static void
alert_clear (gpointer data)
{
  SabanReportAlert *a = data;

  g_free (a->event);
  g_free (a->severity);
  g_free (a->headline);
  g_free (a->area);
}

static void
request_clear (gpointer data)
{
  SabanReportRequest *r = data;

  g_free (r->id);
  g_free (r->service_code);
  g_free (r->service_name);
  g_free (r->group);
  g_free (r->status);
}

static void
area_clear (gpointer data)
{
  SabanReportArea *a = data;

  g_free (a->code);
  g_free (a->name);
  g_clear_pointer (&a->rings, g_ptr_array_unref);
}

static void
saban_report_data_finalize (GObject *object)
{
  SabanReportData *self = SABAN_REPORT_DATA (object);

  g_free (self->server_url);
  g_clear_object (&self->indicators);
  g_clear_pointer (&self->groups, g_hash_table_unref);
  g_clear_pointer (&self->scenarios, g_array_unref);
  g_clear_pointer (&self->tasks, g_array_unref);
  g_clear_pointer (&self->sitreps, g_array_unref);
  g_clear_pointer (&self->alerts, g_array_unref);
  g_clear_pointer (&self->requests, g_array_unref);
  g_clear_pointer (&self->areas, g_array_unref);
  G_OBJECT_CLASS (saban_report_data_parent_class)->finalize (object);
}

static void
saban_report_data_class_init (SabanReportDataClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_report_data_finalize;
}

static GArray *
new_array (gsize          size,
           GDestroyNotify clear)
{
  GArray *a = g_array_new (FALSE, TRUE, (guint) size);

  g_array_set_clear_func (a, clear);
  return a;
}

static void
saban_report_data_init (SabanReportData *self)
{
  self->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->scenarios = new_array (sizeof (SabanReportScenario), scenario_clear);
  self->tasks = new_array (sizeof (SabanReportTask), task_clear);
  self->sitreps = new_array (sizeof (SabanReportSitrep), NULL);
  self->alerts = new_array (sizeof (SabanReportAlert), alert_clear);
  self->requests = new_array (sizeof (SabanReportRequest), request_clear);
  self->areas = new_array (sizeof (SabanReportArea), area_clear);
}

/**
 * saban_report_data_new:
 * @server_url: (nullable): the server the data comes from, named as a source
 *
 * Returns: (transfer full): empty data, to be filled with the read functions
 */
SabanReportData *
saban_report_data_new (const char *server_url)
{
  SabanReportData *self = g_object_new (SABAN_TYPE_REPORT_DATA, NULL);

  self->server_url = g_strdup (server_url != NULL ? server_url : "");
  return self;
}

const char *
saban_report_data_get_server_url (SabanReportData *self)
{
  return self->server_url;
}

/**
 * saban_report_data_set_indicators:
 *
 * Also sets when the indicators were read (their set says).
 */
void
saban_report_data_set_indicators (SabanReportData   *self,
                                  SabanIndicatorSet *indicators)
{
  g_set_object (&self->indicators, indicators);
  self->taken_at[SABAN_REPORT_INDICATORS] = indicators != NULL ? saban_indicator_set_get_taken_at (indicators) : 0;
}

/**
 * saban_report_data_get_indicators:
 *
 * Returns: (transfer none) (nullable): the indicators
 */
SabanIndicatorSet *
saban_report_data_get_indicators (SabanReportData *self)
{
  return self->indicators;
}

/* ---- reading items ---------------------------------------------------------------- */

static char *
text (JsonObject *o,
      const char *name)
{
  return g_strdup (saban_json_get_string (o, name, MAX_TEXT));
}

static gint64
time_of (JsonObject *o,
         const char *name)
{
  return saban_json_parse_time (saban_json_get_string (o, name, 64));
}

static gint64
integer (JsonObject *o,
         const char *name)
{
  double v = saban_json_get_number (o, name);

  return isnan (v) || v != floor (v) || fabs (v) > 1e15 ? 0 : (gint64) v;
}

static gboolean
read_scenario (SabanReportData *self,
               JsonObject      *props,
               gint64           id)
{
  SabanReportScenario s = { .id = id };

  if ((s.title = text (props, "title")) == NULL || (s.status = text (props, "status")) == NULL)
    {
      scenario_clear (&s);
      return FALSE;
    }
  s.playbook = text (props, "playbook");
  s.severity = text (props, "severity");
  s.created_us = time_of (props, "created");
  s.activated_us = time_of (props, "activatedAt");
  s.closed_us = time_of (props, "closedAt");
  g_array_append_val (self->scenarios, s);
  return TRUE;
}

static gboolean
read_task (SabanReportData *self,
           JsonObject      *props,
           gint64           id)
{
  SabanReportTask t = { .id = id, .scenario_id = integer (props, "scenarioId") };

  if (t.scenario_id <= 0 || (t.title = text (props, "title")) == NULL || (t.status = text (props, "status")) == NULL)
    {
      task_clear (&t);
      return FALSE;
    }
  t.outcome = text (props, "outcome");
  t.due_us = time_of (props, "dueAt");
  t.finished_us = time_of (props, "finishedAt");
  g_array_append_val (self->tasks, t);
  return TRUE;
}

/* casualties: a number of people, or an object with "affected" */
static gboolean
read_sitrep (SabanReportData *self,
             JsonObject      *props,
             gint64           id)
{
  SabanReportSitrep r = { .scenario_id = integer (props, "scenarioId"), .created_us = time_of (props, "created") };
  JsonNode *casualties = json_object_get_member (props, "casualties");

  if (r.scenario_id <= 0)
    return FALSE;
  r.affected = casualties != NULL && JSON_NODE_HOLDS_OBJECT (casualties)
                 ? saban_json_get_number (json_node_get_object (casualties), "affected")
                 : saban_json_node_number (casualties);
  if (!isnan (r.affected) && r.affected < 0)
    r.affected = NAN;
  g_array_append_val (self->sitreps, r);
  return TRUE;
}

static gboolean
read_alert (SabanReportData *self,
            JsonObject      *props,
            gint64           id)
{
  SabanReportAlert a = { .sent_us = time_of (props, "sent") };

  if (a.sent_us == 0 || (a.event = text (props, "event")) == NULL)
    {
      alert_clear (&a);
      return FALSE;
    }
  a.severity = text (props, "severity");
  a.headline = text (props, "headline");
  a.area = text (props, "areaDesc");
  g_array_append_val (self->alerts, a);
  return TRUE;
}

/* One (lon, lat) ring; FALSE when a position is not one. */
static GArray *
read_ring (JsonArray *positions,
           double    *bbox)
{
  g_autoptr(GArray) ring = g_array_sized_new (FALSE, FALSE, sizeof (double), 2 * json_array_get_length (positions));

  for (guint i = 0; i < json_array_get_length (positions); i++)
    {
      JsonNode *p = json_array_get_element (positions, i);
      double xy[2];

      if (!JSON_NODE_HOLDS_ARRAY (p) || json_array_get_length (json_node_get_array (p)) < 2)
        return NULL;
      xy[0] = saban_json_node_number (json_array_get_element (json_node_get_array (p), 0));
      xy[1] = saban_json_node_number (json_array_get_element (json_node_get_array (p), 1));
      if (!(fabs (xy[0]) <= 180 && fabs (xy[1]) <= 90))
        return NULL;
      bbox[0] = MIN (bbox[0], xy[0]);
      bbox[1] = MIN (bbox[1], xy[1]);
      bbox[2] = MAX (bbox[2], xy[0]);
      bbox[3] = MAX (bbox[3], xy[1]);
      g_array_append_vals (ring, xy, 2);
    }
  return g_steal_pointer (&ring);
}

/* A Polygon's rings, or a MultiPolygon's polygons' rings, into @area. */
static gboolean
read_rings (SabanReportData *self,
            JsonObject      *geometry,
            SabanReportArea *area)
{
  const char *type = saban_json_get_string (geometry, "type", 32);
  JsonNode *coords = json_object_get_member (geometry, "coordinates");
  gboolean multi = g_strcmp0 (type, "MultiPolygon") == 0;
  JsonArray *list;

  if ((!multi && g_strcmp0 (type, "Polygon") != 0) || coords == NULL || !JSON_NODE_HOLDS_ARRAY (coords))
    return FALSE;
  list = json_node_get_array (coords);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *n = json_array_get_element (list, i);
      JsonArray *rings;

      if (!JSON_NODE_HOLDS_ARRAY (n))
        return FALSE;
      rings = multi ? json_node_get_array (n) : list;
      for (guint r = 0; r < json_array_get_length (rings); r++)
        {
          JsonNode *ring = json_array_get_element (rings, r);
          GArray *xy = JSON_NODE_HOLDS_ARRAY (ring) ? read_ring (json_node_get_array (ring), area->bbox) : NULL;

          if (xy == NULL || (self->points += xy->len / 2) > MAX_POINTS)
            {
              g_clear_pointer (&xy, g_array_unref);
              return FALSE;
            }
          g_ptr_array_add (area->rings, xy);
        }
      if (!multi)
        break;
    }
  return area->rings->len > 0;
}

static gboolean
read_area (SabanReportData *self,
           JsonObject      *feature,
           JsonObject      *props)
{
  JsonNode *geometry = json_object_get_member (feature, "geometry");
  SabanReportArea a = { .bbox = { INFINITY, INFINITY, -INFINITY, -INFINITY } };

  a.code = text (props, "code");
  a.name = text (props, "name");
  a.rings = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  if (a.code == NULL || geometry == NULL || !JSON_NODE_HOLDS_OBJECT (geometry) ||
      !read_rings (self, json_node_get_object (geometry), &a))
    {
      area_clear (&a);
      return FALSE;
    }
  if (a.name == NULL)
    a.name = g_strdup (a.code);
  g_array_append_val (self->areas, a);
  return TRUE;
}

static gboolean
read_feature (SabanReportData   *self,
              SabanReportSource  source,
              JsonNode          *node)
{
  JsonObject *f, *props;
  JsonNode *p;
  gint64 id;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  f = json_node_get_object (node);
  p = json_object_get_member (f, "properties");
  if (p == NULL || !JSON_NODE_HOLDS_OBJECT (p))
    return FALSE;
  props = json_node_get_object (p);
  id = integer (f, "id");
  switch (source)
    {
    case SABAN_REPORT_COMMUNES:
      return read_area (self, f, props);
    case SABAN_REPORT_SCENARIOS:
      return id > 0 && read_scenario (self, props, id);
    case SABAN_REPORT_TASKS:
      return id > 0 && read_task (self, props, id);
    case SABAN_REPORT_SITREPS:
      return read_sitrep (self, props, id);
    case SABAN_REPORT_ALERTS:
      return read_alert (self, props, id);
    default:
      return FALSE;
    }
}

static gboolean
read_request (SabanReportData *self,
              JsonNode        *node)
{
  SabanReportRequest r = { .lon = NAN, .lat = NAN };
  JsonObject *o;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  o = json_node_get_object (node);
  r.id = text (o, "service_request_id");
  r.service_code = text (o, "service_code");
  r.status = text (o, "status");
  r.requested_us = time_of (o, "requested_datetime");
  if (r.id == NULL || r.service_code == NULL || r.status == NULL || r.requested_us == 0)
    {
      request_clear (&r);
      return FALSE;
    }
  r.service_name = text (o, "service_name");
  r.group = g_strdup (g_hash_table_lookup (self->groups, r.service_code));
  r.updated_us = time_of (o, "updated_datetime");
  r.expected_us = time_of (o, "expected_datetime");
  r.lon = saban_json_get_number (o, "long");
  r.lat = saban_json_get_number (o, "lat");
  g_array_append_val (self->requests, r);
  return TRUE;
}

/* A FeatureCollection's features, or (Open311) a plain array. */
static JsonArray *
items_of (SabanReportSource  source,
          JsonNode          *answer)
{
  JsonNode *features;

  if (source == SABAN_REPORT_REQUESTS)
    return answer != NULL && JSON_NODE_HOLDS_ARRAY (answer) ? json_node_get_array (answer) : NULL;
  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    return NULL;
  features = json_object_get_member (json_node_get_object (answer), "features");
  return features != NULL && JSON_NODE_HOLDS_ARRAY (features) ? json_node_get_array (features) : NULL;
}

/**
 * saban_report_data_read:
 * @source: which of the server's answers @answer is (not the indicators)
 * @answer: a FeatureCollection (Open311: the requests array)
 *
 * Items that are malformed are left out with a `saban-report` message.
 *
 * Returns: %FALSE with @error set (translated) when @answer is not the
 *   shape it should be
 */
gboolean
saban_report_data_read (SabanReportData   *self,
                        SabanReportSource  source,
                        JsonNode          *answer,
                        GError           **error)
{
  JsonArray *items = items_of (source, answer);
  guint left_out = 0;

  if (items == NULL || source == SABAN_REPORT_INDICATORS)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("The server’s answer for the report is not readable"));
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (items) && i < MAX_ITEMS; i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      gboolean ok = source == SABAN_REPORT_REQUESTS ? read_request (self, node) : read_feature (self, source, node);

      left_out += !ok;
    }
  if (left_out > 0)
    g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "report: %u items of source %d left out: malformed", left_out, source);
  return TRUE;
}

/**
 * saban_report_data_read_services:
 * @services: Open311's services.json
 *
 * Each service's group is the sector its requests are counted under. Read
 * it before the requests.
 */
gboolean
saban_report_data_read_services (SabanReportData  *self,
                                 JsonNode         *services,
                                 GError          **error)
{
  JsonArray *list;

  if (services == NULL || !JSON_NODE_HOLDS_ARRAY (services))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_PARSE, _("The server’s answer for the report is not readable"));
      return FALSE;
    }
  list = json_node_get_array (services);
  for (guint i = 0; i < json_array_get_length (list) && i < MAX_ITEMS; i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      const char *code, *group;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      code = saban_json_get_string (json_node_get_object (node), "service_code", 256);
      group = saban_json_get_string (json_node_get_object (node), "group", 256);
      if (code != NULL && group != NULL)
        g_hash_table_insert (self->groups, g_strdup (code), g_strdup (group));
    }
  return TRUE;
}

void
saban_report_data_set_taken_at (SabanReportData   *self,
                                SabanReportSource  source,
                                gint64             time_us)
{
  g_return_if_fail (source < SABAN_REPORT_N_SOURCES);
  self->taken_at[source] = time_us;
}

/**
 * saban_report_data_get_taken_at:
 *
 * Returns: when @source was read from the server, µs since the epoch (0 = not read)
 */
gint64
saban_report_data_get_taken_at (SabanReportData   *self,
                                SabanReportSource  source)
{
  g_return_val_if_fail (source < SABAN_REPORT_N_SOURCES, 0);
  return self->taken_at[source];
}

/**
 * saban_report_data_get_scenarios:
 *
 * Returns: (transfer none) (element-type SabanReportScenario): the scenarios
 */
GArray *
saban_report_data_get_scenarios (SabanReportData *self)
{
  return self->scenarios;
}

/**
 * saban_report_data_get_tasks:
 *
 * Returns: (transfer none) (element-type SabanReportTask): the tasks
 */
GArray *
saban_report_data_get_tasks (SabanReportData *self)
{
  return self->tasks;
}

/**
 * saban_report_data_get_sitreps:
 *
 * Returns: (transfer none) (element-type SabanReportSitrep): the situation reports
 */
GArray *
saban_report_data_get_sitreps (SabanReportData *self)
{
  return self->sitreps;
}

/**
 * saban_report_data_get_alerts:
 *
 * Returns: (transfer none) (element-type SabanReportAlert): the CAP alerts
 */
GArray *
saban_report_data_get_alerts (SabanReportData *self)
{
  return self->alerts;
}

/**
 * saban_report_data_get_requests:
 *
 * Returns: (transfer none) (element-type SabanReportRequest): the citizen requests
 */
GArray *
saban_report_data_get_requests (SabanReportData *self)
{
  return self->requests;
}

/**
 * saban_report_data_get_areas:
 *
 * Returns: (transfer none) (element-type SabanReportArea): the communes' boundaries
 */
GArray *
saban_report_data_get_areas (SabanReportData *self)
{
  return self->areas;
}

static gboolean
in_rings (const SabanReportArea *a,
          double                 lon,
          double                 lat)
{
  gboolean inside = FALSE;

  for (guint r = 0; r < a->rings->len; r++)
    {
      GArray *ring = g_ptr_array_index (a->rings, r);
      const double *p = (const double *) ring->data;
      guint n = ring->len / 2;

      for (guint i = 0, j = n - 1; i < n; j = i++)
        if ((p[2 * i + 1] > lat) != (p[2 * j + 1] > lat) &&
            lon < (p[2 * j] - p[2 * i]) * (lat - p[2 * i + 1]) / (p[2 * j + 1] - p[2 * i + 1]) + p[2 * i])
          inside = !inside;
    }
  return inside;
}

/**
 * saban_report_data_area_at:
 *
 * Returns: the index of the commune holding (@lon, @lat) (even-odd over
 *   its rings), or -1
 */
int
saban_report_data_area_at (SabanReportData *self,
                           double           lon,
                           double           lat)
{
  if (isnan (lon) || isnan (lat))
    return -1;
  for (guint i = 0; i < self->areas->len; i++)
    {
      const SabanReportArea *a = &g_array_index (self->areas, SabanReportArea, i);

      if (lon >= a->bbox[0] && lon <= a->bbox[2] && lat >= a->bbox[1] && lat <= a->bbox[3] && in_rings (a, lon, lat))
        return (int) i;
    }
  return -1;
}
