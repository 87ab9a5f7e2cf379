#pragma once

#include "saban-map-service.h"

G_BEGIN_DECLS

/* A layer a WMS or WMS-T server offers, as far as the map can draw it. */
typedef struct
{
  char *name;         /* WMS Name, WMS-T Identifier */
  char *title;
  GStrv styles;       /* the first is the default; may be empty */
  GStrv formats;      /* WMS-T; WMS: the server's GetMap formats */
  char *matrix_set;   /* WMS-T: the set the map draws from, or NULL */
  GStrv matrices;     /* WMS-T: that set's matrix identifier per zoom, "" for none */
  char *tile_template;/* WMS-T REST ResourceURL, or NULL */
  char *refusal;      /* why the map cannot draw it (not EPSG:3857, no set at its scales), or NULL */
} SabanServiceLayer;

void       saban_service_layer_free         (SabanServiceLayer *layer);

GPtrArray *saban_service_capabilities_parse (SabanServiceKind   kind,
                                             const char        *xml,
                                             gsize              length,
                                             char             **version,
                                             GError           **error);

G_END_DECLS
