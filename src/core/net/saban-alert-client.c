/* saban-alert-client.c: the IOC server's CAP alerts, as alarms.
 *
 * The server publishes its CAP 1.2 alerts also as the OGC API – Features
 * collection `alerts` (GeoJSON, CRS84: the area as a Polygon, the CAP fields
 * as properties). Each alert not yet expired, cancelled or seen becomes an
 * alarm in the SabanAlarmList (level from its severity), so it is listed,
 * notified and drawn with its area until an operator acknowledges it.
 *
 * The server also publishes each new alert on MQTT
 * (`ioc/v1/collections/alerts/items/{id}`, without its area): listening on
 * the live channel, such a message makes the client read the collection at
 * once, and the channel's catch-ups (after a broker outage, and polling
 * during one) read it too.
 *
 * The network is hostile: each Feature is checked for types and sizes, and
 * a bad one is dropped with a logged reason while its siblings load.
 */
#include "saban-alert-client.h"
#include "saban-json.h"


#include <math.h>
#include <string.h>

#define LOG_DOMAIN "saban-iot"
#define MAX_BODY (16 * 1024 * 1024)
#define MAX_TEXT 4096
#define MAX_POINTS 4096
#define WINDOW_US ((gint64) 24 * 3600 * G_USEC_PER_SEC)

struct _SabanAlertClient
{
  GObject              parent_instance;
  SabanApi            *api;
  SabanAlarmList      *alarms;
  SabanLiveChannel    *channel;  /* the server's nudge for a new alert; NULL until listening */
  GCancellable        *cancellable;
};

static void saban_alert_client_stream_init (SabanLiveStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SabanAlertClient, saban_alert_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SABAN_TYPE_LIVE_STREAM, saban_alert_client_stream_init))

static void
saban_alert_client_finalize (GObject *object)
{
  SabanAlertClient *self = SABAN_ALERT_CLIENT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->channel != NULL)
    saban_live_channel_remove_stream (self->channel, SABAN_LIVE_STREAM (self));
  g_clear_object (&self->channel);
  g_clear_object (&self->api);
  g_clear_object (&self->alarms);
  G_OBJECT_CLASS (saban_alert_client_parent_class)->finalize (object);
}

static void
saban_alert_client_class_init (SabanAlertClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_alert_client_finalize;
}

static void
saban_alert_client_init (SabanAlertClient *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * saban_alert_client_new:
 * @api: the IOC server, whose `alerts` collection is read
 * @alarms: where the alerts go
 *
 * Returns: (transfer full): a client
 */
SabanAlertClient *
saban_alert_client_new (SabanApi *api, SabanAlarmList *alarms)
{
  SabanAlertClient *self = g_object_new (SABAN_TYPE_ALERT_CLIENT, NULL);

  self->api = g_object_ref (api);
  self->alarms = g_object_ref (alarms);
  return self;
}

static const char *
text (JsonObject *o, const char *name)
{
  JsonNode *n = o != NULL && json_object_has_member (o, name) ? json_object_get_member (o, name) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING ||
      strlen (json_node_get_string (n)) > MAX_TEXT)
    return NULL;
  return json_node_get_string (n);
}

static gint64
time_us (const char *iso)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) t = iso != NULL ? g_date_time_new_from_iso8601 (iso, utc) : NULL;

  return t != NULL ? g_date_time_to_unix (t) * G_USEC_PER_SEC + g_date_time_get_microsecond (t) : 0;
}

/* the outer ring of a Polygon in lon/lat, or NULL */
static GArray *
outer_ring (JsonObject *geometry)
{
  JsonNode *coords = geometry != NULL && json_object_has_member (geometry, "coordinates")
                       ? json_object_get_member (geometry, "coordinates") : NULL;
  g_autoptr(GArray) ring = g_array_new (FALSE, FALSE, sizeof (double));
  JsonArray *points;

  if (g_strcmp0 (text (geometry, "type"), "Polygon") != 0 || coords == NULL || !JSON_NODE_HOLDS_ARRAY (coords) ||
      json_array_get_length (json_node_get_array (coords)) == 0 ||
      !JSON_NODE_HOLDS_ARRAY (json_array_get_element (json_node_get_array (coords), 0)))
    return NULL;
  points = json_array_get_array_element (json_node_get_array (coords), 0);
  if (json_array_get_length (points) < 4 || json_array_get_length (points) > MAX_POINTS)
    return NULL;
  for (guint i = 0; i < json_array_get_length (points); i++)
    {
      JsonNode *p = json_array_get_element (points, i);
      JsonArray *xy = JSON_NODE_HOLDS_ARRAY (p) ? json_node_get_array (p) : NULL;
      double v[2];

      if (xy == NULL || json_array_get_length (xy) < 2)
        return NULL;
      for (int k = 0; k < 2; k++)
        {
          JsonNode *c = json_array_get_element (xy, k);
          GType type = JSON_NODE_HOLDS_VALUE (c) ? json_node_get_value_type (c) : G_TYPE_INVALID;

          if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
            return NULL;
          v[k] = json_node_get_double (c);
        }
      if (!isfinite (v[0]) || !isfinite (v[1]) || fabs (v[0]) > 180 || fabs (v[1]) > 90)
        return NULL;
      g_array_append_vals (ring, v, 2);
    }
  return g_steal_pointer (&ring);
}

static gboolean
apply_feature (SabanAlertClient *self, JsonNode *node, gint64 now_us)
{
  JsonObject *f = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode *pn = f != NULL && json_object_has_member (f, "properties") ? json_object_get_member (f, "properties") : NULL;
  JsonNode *gn = f != NULL && json_object_has_member (f, "geometry") ? json_object_get_member (f, "geometry") : NULL;
  JsonObject *p = pn != NULL && JSON_NODE_HOLDS_OBJECT (pn) ? json_node_get_object (pn) : NULL;
  const char *identifier = text (p, "identifier"), *severity = text (p, "severity"), *msg_type = text (p, "msgType");
  const char *headline = text (p, "headline") ? text (p, "headline") : text (p, "event");
  gint64 sent = time_us (text (p, "sent")), expires = time_us (text (p, "expires"));
  g_autoptr(GArray) ring = gn != NULL && JSON_NODE_HOLDS_OBJECT (gn) ? outer_ring (json_node_get_object (gn)) : NULL;
  g_autoptr(SabanAlarm) alarm = NULL;
  SabanAlarmGrade grade;
  gboolean danger;

  if (p == NULL || identifier == NULL || headline == NULL || sent == 0)
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "CAP alert rejected: no identifier, headline or valid sent time");
      return FALSE;
    }
  if (ring == NULL)
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "CAP alert %s rejected: its area is not a valid Polygon", identifier);
      return FALSE;
    }
  /* only what still calls for action */
  if ((msg_type != NULL && !g_str_equal (msg_type, "Alert") && !g_str_equal (msg_type, "Update")) ||
      (expires != 0 && expires < now_us) || sent < now_us - WINDOW_US)
    return FALSE;
  danger = g_strcmp0 (severity, "Extreme") == 0 || g_strcmp0 (severity, "Severe") == 0;
  /* the provincial levels: extreme III, severe II, the rest I */
  grade = g_strcmp0 (severity, "Extreme") == 0 ? SABAN_ALARM_GRADE_III
          : danger ? SABAN_ALARM_GRADE_II : SABAN_ALARM_GRADE_I;
  alarm = saban_alarm_new_cap (identifier, headline, text (p, "event"), text (p, "areaDesc"),
                               danger ? SABAN_SENSOR_STATE_DANGER : SABAN_SENSOR_STATE_ALERT, grade, sent,
                               (const double *) ring->data, ring->len / 2);
  return saban_alarm_list_add_cap (self->alarms, alarm);
}

/**
 * saban_alert_client_apply:
 * @self: a client
 * @feature_collection: a page of the `alerts` collection
 * @now_us: the time to judge expiry by
 *
 * Raises an alarm for each alert in it that is new, not expired, sent in
 * the last 24 hours and an Alert or Update. Bad Features are logged and
 * skipped.
 *
 * Returns: how many alarms it raised
 */
guint
saban_alert_client_apply (SabanAlertClient *self, JsonNode *feature_collection, gint64 now_us)
{
  JsonObject *root = JSON_NODE_HOLDS_OBJECT (feature_collection) ? json_node_get_object (feature_collection) : NULL;
  JsonNode *features = root != NULL && json_object_has_member (root, "features")
                         ? json_object_get_member (root, "features") : NULL;
  guint n = 0;

  g_return_val_if_fail (SABAN_IS_ALERT_CLIENT (self), 0);

  if (features == NULL || !JSON_NODE_HOLDS_ARRAY (features))
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "CAP alerts rejected: not a FeatureCollection");
      return 0;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (features)); i++)
    n += apply_feature (self, json_array_get_element (json_node_get_array (features), i), now_us);
  return n;
}

static void
load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = saban_api_get_finish (SABAN_API (source), result, NULL, &error);
  g_autoptr(JsonNode) parsed = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if ((parsed = saban_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error)) == NULL)
    {
      g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "CAP alerts rejected: %s", error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  saban_alert_client_apply (g_task_get_source_object (task), parsed, g_get_real_time ());
  g_task_return_boolean (task, TRUE);
}

/**
 * saban_alert_client_load_async:
 * @self: a client
 * @cancellable: (nullable): cancels the load
 * @callback: called when done
 * @user_data: for @callback
 *
 * Reads the alerts sent in the last 24 hours and raises alarms for the new
 * ones. Call it again to catch up (after a reconnection, or on a nudge).
 */
void
saban_alert_client_load_async (SabanAlertClient *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) since = g_date_time_add (now, -WINDOW_US);
  g_autofree char *since_text = g_date_time_format (since, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *path = g_strdup_printf ("/collections/alerts/items?limit=1000&datetime=%s/..", since_text);

  g_task_set_source_tag (task, saban_alert_client_load_async);
  saban_api_get_async (self->api, path, "application/geo+json", SABAN_API_READ, MAX_BODY, cancellable, load_done,
                       task);
}

gboolean
saban_alert_client_load_finish (SabanAlertClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
nudged (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!saban_alert_client_load_finish (SABAN_ALERT_CLIENT (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_log (LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "CAP alerts not read after a nudge: %s", error->message);
}

static void
alerts_message (SabanLiveStream *stream, const char *topic, GBytes *payload)
{
  SabanAlertClient *self = SABAN_ALERT_CLIENT (stream);

  saban_alert_client_load_async (self, self->cancellable, nudged, NULL);
}

static void
alerts_catch_up_async (SabanLiveStream *stream, SabanLiveCatchUp reason, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  saban_alert_client_load_async (SABAN_ALERT_CLIENT (stream), cancellable, callback, user_data);
}

static gboolean
alerts_catch_up_finish (SabanLiveStream *stream, GAsyncResult *result, GError **error)
{
  return saban_alert_client_load_finish (SABAN_ALERT_CLIENT (stream), result, error);
}

static void
saban_alert_client_stream_init (SabanLiveStreamInterface *iface)
{
  iface->message = alerts_message;
  iface->catch_up_async = alerts_catch_up_async;
  iface->catch_up_finish = alerts_catch_up_finish;
}

/**
 * saban_alert_client_listen:
 * @self: a client
 * @channel: the IOC's live channel (topic `ioc/v1/#`)
 *
 * Reads the alerts again whenever the server announces a new one, and
 * whenever the channel catches up.
 */
void
saban_alert_client_listen (SabanAlertClient *self, SabanLiveChannel *channel)
{
  g_return_if_fail (SABAN_IS_ALERT_CLIENT (self));
  g_return_if_fail (self->channel == NULL);

  self->channel = g_object_ref (channel);
  /* the message carries no area: it only says to read the collection */
  saban_live_channel_add_stream (channel, SABAN_LIVE_STREAM (self), "ioc/v1/collections/alerts/items/+", 64 * 1024);
}

/**
 * saban_alert_client_get_listening:
 * @self: a client
 *
 * Returns: whether the server's announcements reach it now (subscribed)
 */
gboolean
saban_alert_client_get_listening (SabanAlertClient *self)
{
  g_return_val_if_fail (SABAN_IS_ALERT_CLIENT (self), FALSE);
  return self->channel != NULL && saban_live_channel_get_connected (self->channel);
}
