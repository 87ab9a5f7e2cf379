#pragma once

#include "saban-listener.h"
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

/* What one request, one caller and the server as a whole may take; every
 * one is an option of saban-server (docs/security.md lists them). */
typedef struct
{
  gsize max_body;         /* bytes of a request body, counted as it arrives */
  gsize max_response;     /* bytes of one response body */
  guint rate;             /* requests a second per address; 0: no limit */
  guint max_connections;  /* open connections in all */
  guint max_per_address;  /* open connections from one address */
  guint idle_timeout;     /* seconds a connection may stay silent */
} SabanServerLimits;

#define SABAN_MAX_BODY     (1024 * 1024)
#define SABAN_MAX_RESPONSE (16 * 1024 * 1024)
#define SABAN_RATE_LIMIT   200

#define SABAN_TYPE_SERVER (saban_server_get_type ())
G_DECLARE_FINAL_TYPE (SabanServer, saban_server, SABAN, SERVER, GObject)

SabanServer     *saban_server_new              (SabanStore   *store,
                                                SabanMqtt    *mqtt);
void             saban_server_limits_init      (SabanServerLimits *limits);
void             saban_server_set_limits       (SabanServer  *self,
                                                const SabanServerLimits *limits);
const SabanServerLimits *saban_server_get_limits (SabanServer *self);
gboolean         saban_server_set_public_url   (SabanServer  *self,
                                                const char   *url,
                                                GError      **error);
void             saban_server_set_tls_certificate (SabanServer    *self,
                                                GTlsCertificate *cert);
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
