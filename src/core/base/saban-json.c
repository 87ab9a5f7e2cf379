/* saban-json.c: what json-glib lacks — a bounded parse, a deep copy and
 * RFC 7396 merge patches, shared by the client's model and saban-server. */
#include "saban-json.h"

#include <math.h>
#include <string.h>

/* The deepest nesting of @data, counted outside strings, stopping early
 * once it passes @max; json-glib itself reports any other syntax error. */
static guint
nesting_depth (const char *data, gsize len, guint max)
{
  guint depth = 0, deepest = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len && deepest <= max; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          depth++;
          deepest = MAX (deepest, depth);
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return deepest;
}

/**
 * saban_json_parse:
 * @data: the text, from anywhere
 * @len: its length, or -1 when nul-terminated
 *
 * Parses one JSON value from outside: text that is not UTF-8 or nests deeper
 * than %SABAN_JSON_MAX_DEPTH is refused before json-glib sees it, so no
 * input can exhaust the stack of the parser or of the code that walks the tree.
 *
 * Returns: (transfer full): the value, or %NULL with @error set
 */
JsonNode *
saban_json_parse (const char *data, gssize len, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize n;

  if (data == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "no JSON text");
      return NULL;
    }
  n = len < 0 ? strlen (data) : (gsize) len;
  if (!g_utf8_validate_len (data, n, NULL))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "the text is not UTF-8");
      return NULL;
    }
  if (nesting_depth (data, n, SABAN_JSON_MAX_DEPTH) > SABAN_JSON_MAX_DEPTH)
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                   "the JSON nests deeper than %d levels", SABAN_JSON_MAX_DEPTH);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, n, error))
    return NULL;
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "empty JSON text");
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

/**
 * saban_json_deep_copy:
 *
 * json_node_copy() shares objects and arrays; this copies them too, so the
 * copy can be changed without touching @node.
 *
 * Returns: (transfer full): the copy
 */
JsonNode *
saban_json_deep_copy (JsonNode *node)
{
  JsonNode *copy;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_object_new ();
      JsonObjectIter iter;
      const char *name;
      JsonNode *v;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &v))
        json_object_set_member (o, name, saban_json_deep_copy (v));
      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (copy, o);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_array_new ();

      for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
        json_array_add_element (a, saban_json_deep_copy (json_array_get_element (json_node_get_array (node), i)));
      copy = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (copy, a);
    }
  else
    copy = json_node_copy (node);
  return copy;
}

/**
 * saban_json_merge_patch:
 *
 * Applies @patch to @target as RFC 7396 says: null removes a member,
 * objects merge, anything else replaces. Members of @target that are
 * merged into are copied first, so objects @target shares stay as they were.
 */
void
saban_json_merge_patch (JsonObject *target, JsonObject *patch)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *v;

  json_object_iter_init (&iter, patch);
  while (json_object_iter_next (&iter, &name, &v))
    {
      if (JSON_NODE_HOLDS_NULL (v))
        json_object_remove_member (target, name);
      else if (JSON_NODE_HOLDS_OBJECT (v) && json_object_has_member (target, name) &&
               JSON_NODE_HOLDS_OBJECT (json_object_get_member (target, name)))
        {
          g_autoptr(JsonNode) copy = saban_json_deep_copy (json_object_get_member (target, name));

          saban_json_merge_patch (json_node_get_object (copy), json_node_get_object (v));
          json_object_set_member (target, name, g_steal_pointer (&copy));
        }
      else
        json_object_set_member (target, name, saban_json_deep_copy (v));
    }
}

/**
 * saban_json_get_string:
 * @max_len: the longest string accepted, in bytes
 *
 * Returns: (nullable): @object's member @name when it is a UTF-8 string of
 *   at most @max_len bytes, else %NULL
 */
const char *
saban_json_get_string (JsonObject *object,
                       const char *name,
                       gsize       max_len)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *text;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  text = json_node_get_string (node);
  return strlen (text) <= max_len && g_utf8_validate (text, -1, NULL) ? text : NULL;
}

/**
 * saban_json_node_number:
 * @node: (nullable): a JSON value
 *
 * Returns: @node as a finite number, or NAN when it is none (null, a string…)
 */
double
saban_json_node_number (JsonNode *node)
{
  double v;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NAN;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  if (json_node_get_value_type (node) != G_TYPE_DOUBLE)
    return NAN;
  v = json_node_get_double (node);
  return isfinite (v) ? v : NAN;
}

/**
 * saban_json_get_number:
 *
 * Returns: @object's member @name as a finite number, or NAN
 */
double
saban_json_get_number (JsonObject *object,
                       const char *name)
{
  return saban_json_node_number (json_object_get_member (object, name));
}

/**
 * saban_json_parse_time:
 * @text: (nullable): an ISO 8601 / RFC 3339 date-time (UTC when no offset), ≤ 64 bytes
 *
 * Returns: µs since the epoch, or 0 when @text is none
 */
gint64
saban_json_parse_time (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) t = text != NULL && strlen (text) <= 64 ? g_date_time_new_from_iso8601 (text, utc) : NULL;

  return t != NULL ? g_date_time_to_unix (t) * G_USEC_PER_SEC + g_date_time_get_microsecond (t) : 0;
}
