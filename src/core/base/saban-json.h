#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deeper JSON than this is refused before a tree is built: json-glib
 * parses by recursion, and so do our copies and patches. */
#define SABAN_JSON_MAX_DEPTH 64

JsonNode *saban_json_parse       (const char *data,
                                  gssize      len,
                                  GError    **error);
JsonNode *saban_json_deep_copy   (JsonNode   *node);
void      saban_json_merge_patch (JsonObject *target,
                                  JsonObject *patch);
const char *saban_json_object_get_string (JsonObject *object,
                                          const char *name);

G_END_DECLS
