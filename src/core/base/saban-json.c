/* saban-json.c: what json-glib lacks — a bounded parse, a deep copy and
 * RFC 7396 merge patches, shared by the client's model and saban-server. */
#include "saban-json.h"

#include <math.h>
#include <string.h>

/* The length of the escape at @p (a backslash), or 0 when it is malformed:
 * an unknown letter, \u without four hex digits, or a UTF-16 surrogate
 * that is not a high one followed by a low one. */
static gsize
escape_length (const char *p, gsize len)
{
  int unit = 0, low = 0;

  if (len >= 2 && p[1] != '\0' && strchr ("\"\\/bfnrt", p[1]) != NULL)
    return 2;
  if (len < 6 || p[1] != 'u')
    return 0;
  for (int k = 2; k < 6; k++)
    {
      if (!g_ascii_isxdigit (p[k]))
        return 0;
      unit = unit * 16 + g_ascii_xdigit_value (p[k]);
    }
  if (unit < 0xd800 || unit > 0xdfff)
    return 6;
  if (unit > 0xdbff || len < 12 || p[6] != '\\' || p[7] != 'u')
    return 0;
  for (int k = 8; k < 12; k++)
    {
      if (!g_ascii_isxdigit (p[k]))
        return 0;
      low = low * 16 + g_ascii_xdigit_value (p[k]);
    }
  return low >= 0xdc00 && low <= 0xdfff ? 12 : 0;
}

static gsize
skip_space (const char *p, gsize i, gsize len)
{
  while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
    i++;
  return i;
}

static gsize
skip_digits (const char *p, gsize i, gsize len)
{
  while (i < len && g_ascii_isdigit (p[i]))
    i++;
  return i;
}

/* The end of the string starting at @i (a quote), or 0 when it is broken:
 * unterminated, a control character, a malformed escape. */
static gsize
string_end (const char *p, gsize i, gsize len)
{
  for (i++; i < len; i++)
    {
      gsize n = 1;

      if (p[i] == '"')
        return i + 1;
      if ((guchar) p[i] < 0x20 || (p[i] == '\\' && (n = escape_length (p + i, len - i)) == 0))
        return 0;
      i += n - 1;
    }
  return 0;
}

/* The end of the number, true, false or null at @i, or 0 */
static gsize
scalar_end (const char *p, gsize i, gsize len)
{
  static const char *const words[] = { "true", "false", "null" };
  gsize start;

  for (guint k = 0; k < G_N_ELEMENTS (words); k++)
    if (len - i >= strlen (words[k]) && strncmp (p + i, words[k], strlen (words[k])) == 0)
      return i + strlen (words[k]);
  if (i < len && p[i] == '-')
    i++;
  if (i < len && p[i] == '0')
    i++;
  else if (i < len && g_ascii_isdigit (p[i]))
    i = skip_digits (p, i, len);
  else
    return 0;
  if (i < len && p[i] == '.')
    {
      start = ++i;
      if ((i = skip_digits (p, i, len)) == start)
        return 0;
    }
  if (i < len && (p[i] == 'e' || p[i] == 'E'))
    {
      if (++i < len && (p[i] == '+' || p[i] == '-'))
        i++;
      start = i;
      if ((i = skip_digits (p, i, len)) == start)
        return 0;
    }
  return i;
}

/* Why @data is not one JSON value as RFC 8259 writes it, or NULL. json-glib
 * 1.6 must only ever see valid JSON: it parses by recursion (so nesting is
 * bounded by %SABAN_JSON_MAX_DEPTH here, without recursion), and on several
 * syntax errors (a bad surrogate escape, text after a scalar, a bad token
 * inside nested arrays) it leaks what it had built — memory a caller could
 * take request by request. */
static const char *
syntax_error (const char *p, gsize len)
{
  char stack[SABAN_JSON_MAX_DEPTH];  /* the open containers, '[' or '{' */
  guint depth = 0;
  gsize i = skip_space (p, 0, len);

  for (;;)
    {
      /* a value */
      if (i < len && (p[i] == '[' || p[i] == '{'))
        {
          if (depth == SABAN_JSON_MAX_DEPTH)
            return "the JSON nests deeper than " G_STRINGIFY (SABAN_JSON_MAX_DEPTH) " levels";
          stack[depth++] = p[i];
          i = skip_space (p, i + 1, len);
          if (i < len && p[i] == (stack[depth - 1] == '[' ? ']' : '}'))
            {
              depth--;
              i++;
            }
          else if (stack[depth - 1] == '[')
            continue;
          else if (i >= len || p[i] != '"')
            return "a JSON object member has no name";
          else
            goto member;
        }
      else if (i < len && p[i] == '"')
        {
          if ((i = string_end (p, i, len)) == 0)
            return "a string in the JSON is unterminated, or has a control character or a malformed escape";
        }
      else if ((i = scalar_end (p, i, len)) == 0)
        return "the JSON has a malformed value";

      /* after a value: the next element or member, or the ends of containers */
      for (;;)
        {
          i = skip_space (p, i, len);
          if (depth == 0)
            return i == len ? NULL : "text follows the JSON value";
          if (i < len && p[i] == ',')
            break;
          if (i >= len || p[i] != (stack[depth - 1] == '[' ? ']' : '}'))
            return "the JSON has a missing comma or bracket";
          depth--;
          i++;
        }
      i = skip_space (p, i + 1, len);
      if (stack[depth - 1] == '[')
        continue;
    member:
      if (i >= len || p[i] != '"' || (i = string_end (p, i, len)) == 0)
        return "a JSON object member has no valid name";
      i = skip_space (p, i, len);
      if (i >= len || p[i] != ':')
        return "a JSON object member has no colon";
      i = skip_space (p, i + 1, len);
    }
}

/**
 * saban_json_parse:
 * @data: the text, from anywhere
 * @len: its length, or -1 when nul-terminated
 *
 * Parses one JSON value from outside: text that is not UTF-8, not valid JSON
 * (RFC 8259) or nests deeper than %SABAN_JSON_MAX_DEPTH is refused before
 * json-glib sees it, so no input can exhaust the stack of the parser or of
 * the code that walks the tree, nor make json-glib leak.
 *
 * Returns: (transfer full): the value, or %NULL with @error set
 */
JsonNode *
saban_json_parse (const char *data, gssize len, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *refused;
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
  if ((refused = syntax_error (data, n)) != NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, refused);
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
 * json_object_get_string_member_with_default() emits a critical when the
 * member is an object or an array, which JSON from outside may well hold.
 *
 * Returns: (nullable): @object's member @name when it is a UTF-8 string of
 *   at most @max_len bytes, else %NULL (also for a %NULL @object)
 */
const char *
saban_json_get_string (JsonObject *object,
                       const char *name,
                       gsize       max_len)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
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
