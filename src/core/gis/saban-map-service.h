#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  SABAN_SERVICE_XYZ,    /* a URL template with {z}, {x}, {y}, rows from the top */
  SABAN_SERVICE_TMS,    /* the same, rows from the bottom */
  SABAN_SERVICE_WMS,    /* OGC WMS 1.1.1 or 1.3.0: GetMap per tile in EPSG:3857 */
  SABAN_SERVICE_WMTS,   /* OGC WMTS 1.0.0, a Web Mercator matrix set at the map's scales, KVP or REST */
} SabanServiceKind;

/* the deepest zoom a service is asked for */
#define SABAN_SERVICE_MAX_ZOOM 24

#define SABAN_TYPE_MAP_SERVICE (saban_map_service_get_type ())

G_DECLARE_FINAL_TYPE (SabanMapService, saban_map_service, SABAN, MAP_SERVICE, GObject)

gboolean          saban_map_service_is_source       (const char       *source);
SabanMapService  *saban_map_service_new_from_source (const char       *source,
                                                     GError          **error);
SabanMapService  *saban_map_service_new             (SabanServiceKind  kind,
                                                     const char       *url,
                                                     const char       *layer,
                                                     const char       *style,
                                                     const char       *format,
                                                     const char       *version,
                                                     const char       *matrix_set,
                                                     GError          **error);
SabanMapService  *saban_map_service_new_wmts        (const char        *url,
                                                     const char        *layer,
                                                     const char        *style,
                                                     const char        *format,
                                                     const char        *matrix_set,
                                                     const char * const *matrices,
                                                     GError           **error);
SabanServiceKind  saban_map_service_get_kind        (SabanMapService  *self);
const char       *saban_map_service_get_source      (SabanMapService  *self);
const char       *saban_map_service_get_url         (SabanMapService  *self);
const char       *saban_map_service_get_layer       (SabanMapService  *self);
const char       *saban_map_service_get_title       (SabanMapService  *self);
int               saban_map_service_offered_zoom    (SabanMapService  *self,
                                                     guint             zoom);
char             *saban_map_service_tile_url        (SabanMapService  *self,
                                                     guint             zoom,
                                                     guint             x,
                                                     guint             y);
char             *saban_map_service_feature_info_url (SabanMapService *self,
                                                      double           x,
                                                      double           y,
                                                      double           pixel);
char             *saban_map_service_capabilities_url (SabanMapService *self);

G_END_DECLS
