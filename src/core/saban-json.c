/* saban-json.c: what json-glib lacks — a deep copy and RFC 7396 merge
 * patches, shared by the client's model and saban-server. */
#include "saban-json.h"

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
