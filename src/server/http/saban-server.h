#pragma once

#include "saban-mqtt.h"
#include "saban-router.h"
#include "saban-store.h"

G_BEGIN_DECLS

typedef struct _SabanCollection SabanCollection;

/* A Features collection served under /collections/{id}. The OGC API module
 * owns the routes and hands each request to the collection that has the id,
 * so the GeoPackage layers, the Command API and later CAP alerts all appear
 * in one /collections list. A NULL function answers 405. */
struct _SabanCollection
{
  char     *id;
  char     *title;
  char     *description;
  gboolean  has_extent;
  double    extent[4];      /* CRS84 minx, miny, maxx, maxy */
  gboolean  needs_token;    /* reads need a bearer token */
  void    (*items)  (SabanRequest *req, SabanCollection *c);
  void    (*item)   (SabanRequest *req, SabanCollection *c, gint64 fid);
  void    (*create) (SabanRequest *req, SabanCollection *c);
  void    (*patch)  (SabanRequest *req, SabanCollection *c, gint64 fid);
  gpointer  data;
  GDestroyNotify free_data;  /* frees @data with the collection, or NULL */
};

/* Who the bearer @token belongs to; the auth module provides it, so the
 * HTTP layer knows nothing of how tokens are kept. */
typedef gboolean (*SabanTokenLookup) (SabanStore  *store,
                                      const char  *token,
                                      char       **username,
                                      char       **role);

#define SABAN_TYPE_SERVER (saban_server_get_type ())
G_DECLARE_FINAL_TYPE (SabanServer, saban_server, SABAN, SERVER, GObject)

SabanServer     *saban_server_new              (SabanStore   *store,
                                                SabanMqtt    *mqtt);
void             saban_server_set_limits       (SabanServer  *self,
                                                gsize         max_body,
                                                guint         rate_per_second);
gboolean         saban_server_listen           (SabanServer  *self,
                                                const char   *host,
                                                guint         port,
                                                GError      **error);
void             saban_server_set_token_lookup (SabanServer  *self,
                                                SabanTokenLookup lookup);
void             saban_server_disconnect       (SabanServer  *self);
const char      *saban_server_get_base_url     (SabanServer  *self);
SabanStore      *saban_server_get_store        (SabanServer  *self);
SabanRouter     *saban_server_get_router       (SabanServer  *self);
void             saban_server_add_collection   (SabanServer  *self,
                                                SabanCollection *collection);
SabanCollection *saban_server_find_collection  (SabanServer  *self,
                                                const char   *id);
GPtrArray       *saban_server_get_collections  (SabanServer  *self);
void             saban_server_publish          (SabanServer  *self,
                                                const char   *topic,
                                                JsonNode     *payload);

G_END_DECLS
