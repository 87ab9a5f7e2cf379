#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A real saban-server (and optionally a real mosquitto) on free loopback ports. */
typedef struct
{
  GSubprocess *proc;
  guint        port;
  char        *base;   /* http://127.0.0.1:PORT */
  char        *db;
} TestServer;

typedef struct
{
  guint               status;
  char               *body;
  JsonNode           *json;     /* NULL unless the body parsed */
  SoupMessageHeaders *headers;
} Resp;

guint       test_free_port        (void);
char       *test_tmpdir           (void);
TestServer *test_server_start     (const char         *db,
                                   const char *const  *extra_args);
void        test_server_stop      (TestServer         *s);
void        test_server_kill      (TestServer         *s);
void        test_server_restart   (TestServer         *s,
                                   const char *const  *extra_args);
void        test_server_free      (TestServer         *s);
GSubprocess *test_mosquitto_start (guint              *port);
GSubprocess *test_mosquitto_start_on (guint           port);
void        test_mosquitto_kill   (GSubprocess       **proc);
gboolean    test_wait_port        (guint               port,
                                   int                 timeout_ms);
gboolean    test_wait_for         (gboolean          (*cond) (gpointer),
                                   gpointer            data,
                                   guint               timeout_ms);

SoupSession *test_session         (void);
Resp       *test_http             (const char         *method,
                                   const char         *url,
                                   const char         *token,
                                   const char         *content_type,
                                   const char         *body,
                                   const char *const  *headers);
void        resp_free             (Resp               *r);
JsonObject *resp_object           (Resp               *r);
JsonObject *resp_props            (Resp               *r);
char       *test_login            (TestServer         *s,
                                   const char         *user);
gint64      test_scenario_create  (TestServer         *s,
                                   const char         *token,
                                   const char         *title);
const char *test_program          (const char         *env,
                                   const char         *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Resp, resp_free)

G_END_DECLS
