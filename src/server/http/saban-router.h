#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "saban-stmt.h"

G_BEGIN_DECLS

typedef struct _SabanServer SabanServer;

/* One HTTP request as the route handlers see it. Handlers reply through the
 * saban_request_* helpers; an asynchronous handler pauses @msg, keeps a ref on
 * it and copies what it needs, because the request itself lives only for the
 * duration of the handler call. */
typedef struct
{
  SabanServer       *server;
  SoupServerMessage *msg;
  const char        *method;
  const char        *path;    /* as received, percent-encoded */
  char             **params;  /* the decoded {} segments of the pattern, in order */
  GHashTable        *query;   /* decoded name → value; never NULL */
  const char        *user;    /* the authenticated account, or NULL */
  const char        *role;    /* its role: leader, planner, coordinator, operator, admin */
  GBytes            *body;
  const char        *base_url;      /* the server's public URL, for links */
  gsize              max_response;  /* the largest body a reply may have */
} SabanRequest;

typedef void (*SabanRouteFunc) (SabanRequest *req,
                                gpointer      user_data);

#define SABAN_TYPE_ROUTER (saban_router_get_type ())
G_DECLARE_FINAL_TYPE (SabanRouter, saban_router, SABAN, ROUTER, GObject)

SabanRouter   *saban_router_new     (void);
void           saban_router_add     (SabanRouter     *self,
                                     const char      *method,
                                     const char      *pattern,
                                     SabanRouteFunc   func,
                                     gpointer         user_data);
SabanRouteFunc saban_router_lookup  (SabanRouter     *self,
                                     const char      *method,
                                     const char      *path,
                                     char          ***params,
                                     gpointer        *user_data,
                                     char           **allow);

void     saban_request_reply_bytes  (SabanRequest    *req,
                                     guint            status,
                                     const char      *content_type,
                                     const char      *data,
                                     gsize            length);
void     saban_request_reply_json   (SabanRequest    *req,
                                     guint            status,
                                     const char      *content_type,
                                     JsonNode        *node);
void     saban_request_reply_object (SabanRequest    *req,
                                     guint            status,
                                     const char      *content_type,
                                     JsonObject      *object);
void     saban_request_error        (SabanRequest    *req,
                                     guint            status,
                                     const char      *code,
                                     const char      *format,
                                     ...) G_GNUC_PRINTF (4, 5);
void     saban_message_set_body     (SoupServerMessage *msg,
                                     gsize            max_response,
                                     guint            status,
                                     const char      *content_type,
                                     char            *data,
                                     gsize            length);
void     saban_message_reply_private (SoupServerMessage *msg,
                                     guint            status,
                                     JsonObject      *object);
void     saban_request_storage_error (SabanRequest  *req,
                                     const GError    *error);
void     saban_message_storage_error (SoupServerMessage *msg,
                                     const GError    *error);
char    *saban_error_json           (const char      *code,
                                     const char      *description,
                                     JsonObject      *extra);
void     saban_message_error        (SoupServerMessage *msg,
                                     guint            status,
                                     const char      *code,
                                     const char      *description,
                                     JsonObject      *extra);
char    *saban_request_base_url     (SabanRequest    *req);
gboolean saban_request_require_user (SabanRequest    *req);
gboolean saban_request_require_role (SabanRequest    *req,
                                     const char      *action,
                                     const char *const *roles);
JsonNode *saban_request_parse_json  (SabanRequest    *req);
const char *saban_request_header    (SabanRequest    *req,
                                     const char      *name);
GHashTable *saban_request_parse_form (SabanRequest   *req);
GHashTable *saban_request_copy_query (SabanRequest   *req);

G_END_DECLS
