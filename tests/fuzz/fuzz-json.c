/* fuzz-json.c: saban_json_parse, the bound every JSON body, response and
 * MQTT payload passes, then the deep copy and merge patch that saban-server
 * and the client's model apply to what it returns. */
#include "fuzz-support.h"
#include "saban-json.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_quiet_logs ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr(JsonNode) node = saban_json_parse ((const char *) data, (gssize) size, NULL);
  g_autoptr(JsonNode) copy = NULL;

  if (node == NULL)
    return 0;
  copy = saban_json_deep_copy (node);
  g_assert_true (json_node_equal (node, copy));
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      /* a patch with itself: what nulls remove and objects merge is all walked */
      saban_json_merge_patch (json_node_get_object (copy), json_node_get_object (node));
      g_free (json_to_string (copy, FALSE));
    }
  return 0;
}
