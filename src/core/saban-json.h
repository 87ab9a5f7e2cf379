#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonNode *saban_json_deep_copy   (JsonNode   *node);
void      saban_json_merge_patch (JsonObject *target,
                                  JsonObject *patch);

G_END_DECLS
