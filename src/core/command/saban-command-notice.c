/* saban-command-notice.c: the Command API's MQTT notices (see the header). */
#include "saban-command-notice.h"
#include "saban-json.h"

#include <string.h>

/* names and times are short; anything longer is not a notice */
#define MAX_TEXT 64

/**
 * saban_command_notice_to_json:
 * @version: the item's version, 0 for none (log entries)
 * @updated: (nullable): when it changed
 * @scenario_id: its scenario, 0 for none
 * @changed: (nullable): the properties this write changed; NULL to leave the member out
 *
 * Returns: (transfer full): the notice of a change, to publish
 */
JsonNode *
saban_command_notice_to_json (const char *collection, gint64 id, gint64 version, const char *updated,
                              gint64 scenario_id, const char *const *changed)
{
  JsonObject *o = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (o, "collection", collection);
  json_object_set_int_member (o, "id", id);
  if (version > 0)
    {
      g_autofree char *v = g_strdup_printf ("v%" G_GINT64_FORMAT, version);

      json_object_set_string_member (o, "version", v);
    }
  if (updated != NULL)
    json_object_set_string_member (o, "updated", updated);
  if (scenario_id > 0)
    json_object_set_int_member (o, "scenarioId", scenario_id);
  if (changed != NULL)
    {
      JsonArray *a = json_array_new ();

      for (guint i = 0; changed[i] != NULL; i++)
        json_array_add_string_element (a, changed[i]);
      json_object_set_array_member (o, "changed", a);
    }
  json_node_take_object (node, o);
  return node;
}

/* a positive decimal id, all of @text */
static gint64
parse_id (const char *text)
{
  char *end = NULL;
  gint64 id;

  if (text == NULL || !g_ascii_isdigit (text[0]))
    return 0;
  id = g_ascii_strtoll (text, &end, 10);
  return *end == '\0' && id > 0 && id < G_MAXINT64 ? id : 0;
}

/* what the topic names: the item (id > 0) or a scenario's log (scenario > 0) */
static gboolean
parse_topic (const char *topic, SabanCommandCollection *collection, gint64 *id, gint64 *scenario, GError **error)
{
  g_auto(GStrv) parts = g_strsplit (topic, "/", 7);
  guint n = g_strv_length (parts);

  *id = *scenario = 0;
  if (n == 6 && g_str_equal (parts[0], "ioc") && g_str_equal (parts[1], "v1") &&
      g_str_equal (parts[2], "collections") && g_str_equal (parts[4], "items") &&
      saban_command_collection_from_string (parts[3], collection))
    *id = parse_id (parts[5]);
  else if (n == 5 && g_str_equal (parts[0], "ioc") && g_str_equal (parts[1], "v1") &&
           g_str_equal (parts[2], "scenarios") && g_str_equal (parts[4], "log"))
    {
      *collection = SABAN_COMMAND_LOG;
      *scenario = parse_id (parts[3]);
    }
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not a Command API topic");
      return FALSE;
    }
  if (*id == 0 && *scenario == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the topic names no item");
      return FALSE;
    }
  return TRUE;
}

/**
 * saban_command_notice_is_topic:
 *
 * Returns: %TRUE if messages on @topic are to be read as notices (even one
 *   that will not parse): an item's topic in a collection the client keeps,
 *   or a scenario's log
 */
gboolean
saban_command_notice_is_topic (const char *topic)
{
  g_autoptr(GError) error = NULL;
  SabanCommandCollection collection;
  gint64 id, scenario;

  return parse_topic (topic, &collection, &id, &scenario, &error) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

/* an integer member > 0, or 0 if absent; -1 if it is anything else */
static gint64
positive_member (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL)
    return 0;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64 || json_node_get_int (n) <= 0)
    return -1;
  return json_node_get_int (n);
}

/* "vN", as the ETag says it; 0 if absent, -1 if malformed */
static gint64
version_member (JsonObject *o)
{
  const char *text = saban_json_get_string (o, "version", MAX_TEXT);

  if (!json_object_has_member (o, "version"))
    return 0;
  return text != NULL && text[0] == 'v' && parse_id (text + 1) > 0 ? parse_id (text + 1) : -1;
}

static gboolean
check_changed (JsonObject *o)
{
  JsonNode *n = json_object_get_member (o, "changed");
  JsonArray *a;

  if (n == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (n))
    return FALSE;
  a = json_node_get_array (n);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING ||
          strlen (json_node_get_string (e)) > MAX_TEXT)
        return FALSE;
    }
  return TRUE;
}

static gboolean
invalid (GError **error, const char *why)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s", why);
  return FALSE;
}

/**
 * saban_command_notice_parse:
 * @notice: (out caller-allocates): the notice, when it is one
 * @payload: the message's JSON
 *
 * Reads a notice and checks it against its topic (see the header).
 *
 * Returns: %TRUE if @notice is a Command API notice for the item its topic names
 */
gboolean
saban_command_notice_parse (SabanCommandNotice *notice, const char *topic, JsonNode *payload, GError **error)
{
  SabanCommandCollection topic_collection;
  gint64 topic_id, topic_scenario;
  JsonObject *o;
  const char *name;

  g_return_val_if_fail (notice != NULL && topic != NULL, FALSE);

  memset (notice, 0, sizeof *notice);
  if (!parse_topic (topic, &topic_collection, &topic_id, &topic_scenario, error))
    return FALSE;
  if (payload == NULL || !JSON_NODE_HOLDS_OBJECT (payload))
    return invalid (error, "not a notice");
  o = json_node_get_object (payload);
  name = saban_json_get_string (o, "collection", MAX_TEXT);
  if (name == NULL || !saban_command_collection_from_string (name, &notice->collection))
    return invalid (error, "an unknown collection");
  if (notice->collection != topic_collection)
    return invalid (error, "another collection than its topic's");
  notice->id = positive_member (o, "id");
  notice->version = version_member (o);
  notice->scenario_id = positive_member (o, "scenarioId");
  if (notice->id <= 0 || notice->version < 0 || notice->scenario_id < 0)
    return invalid (error, "a malformed id, version or scenarioId");
  if ((topic_id > 0 && notice->id != topic_id) || (topic_scenario > 0 && notice->scenario_id != topic_scenario))
    return invalid (error, "not the item the topic names");
  if ((json_object_has_member (o, "updated") && saban_json_get_string (o, "updated", MAX_TEXT) == NULL) ||
      !check_changed (o))
    return invalid (error, "a malformed updated or changed");
  return TRUE;
}
