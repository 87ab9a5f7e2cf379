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
  char        *base;      /* http://127.0.0.1:PORT */
  char        *db;        /* the SQLite file the test named */
  char        *location;  /* what --db says: that file, or a PostgreSQL database made for it */
  gboolean     demo;      /* started with --demo */
} TestServer;

typedef struct
{
  guint               status;
  char               *body;
  JsonNode           *json;     /* NULL unless the body parsed */
  SoupMessageHeaders *headers;
} Resp;

/* A throw-away certificate authority and what it signed (PEM files). */
typedef struct
{
  char *ca;        /* the authority that signed cert */
  char *wrong_ca;  /* one that signed nothing here */
  char *cert;      /* the server's, for 127.0.0.1, localhost (and an extra address) */
  char *key;
} TestTls;

TestTls    *test_tls_new          (const char         *extra_ip);
void        test_tls_free         (TestTls            *tls);
void        test_session_trust    (const char         *ca_file);
guint       test_free_port        (void);
gboolean    test_db_is_postgres   (void);
char       *test_db_location      (const char         *path);
char       *test_db_query_text    (const char         *location,
                                   const char         *sql,
                                   const char         *arg);
gint64      test_db_query_int     (const char         *location,
                                   const char         *sql,
                                   const char         *arg);
gboolean    test_db_try_sql       (const char         *location,
                                   const char         *sql);
void        test_db_restore       (const char         *backup,
                                   const char         *path);
void        test_db_load_layers   (const char         *target,
                                   const char *const  *layers);
char       *test_tmpdir           (void);
TestServer *test_server_start     (const char         *db,
                                   const char *const  *extra_args);
TestServer *test_server_start_plain (const char       *db,
                                   const char *const  *extra_args);
void        test_server_stop      (TestServer         *s);
void        test_server_kill      (TestServer         *s);
void        test_server_restart   (TestServer         *s,
                                   const char *const  *extra_args);
void        test_server_free      (TestServer         *s);
/* The broker's accounts (tests/support/server-fixture.c writes its password
 * file and ACL): the server's publishes, the client's only reads. */
#define TEST_MQTT_SERVER_USER     "saban-server"
#define TEST_MQTT_SERVER_PASSWORD "server-secret-7f3a"
#define TEST_MQTT_CLIENT_USER     "saban-client"
#define TEST_MQTT_CLIENT_PASSWORD "client-secret-91c2"

const char  *test_mqtt_server_password_file (void);
GSubprocess *test_mosquitto_start (guint              *port);
GSubprocess *test_mosquitto_start_on (guint           port);
GSubprocess *test_mosquitto_start_tls (guint         *port,
                                   const TestTls      *tls);
GSubprocess *test_mosquitto_start_cert_accounts (guint *port,
                                   const TestTls      *tls);
void        test_mosquitto_kill   (GSubprocess       **proc);
guint       test_mosquitto_count_log (guint            port,
                                   const char         *text);
gboolean    test_wait_port        (guint               port,
                                   int                 timeout_ms);
gboolean    test_wait_for         (gboolean          (*cond) (gpointer),
                                   gpointer            data,
                                   guint               timeout_ms);
void        test_spin_ms          (guint               ms);
gboolean    test_tick             (gpointer            data);
void        test_timed_out        (const char         *what) G_GNUC_NORETURN;
void        test_set_timeout_note (char             *(*note) (void));

/* Runs the main loop until @cond holds, and fails the test if it does not
 * within @seconds. The loop wakes every 20 ms meanwhile, so a condition no
 * event announces (time passing, another thread's work) is seen too. */
#define TEST_WAIT_UNTIL(cond, seconds)                                                \
  G_STMT_START {                                                                      \
    gint64 end_ = g_get_monotonic_time () + (gint64) (seconds) * G_USEC_PER_SEC;      \
    guint tick_ = g_timeout_add (20, test_tick, NULL);                                \
    while (!(cond) && g_get_monotonic_time () < end_)                                 \
      g_main_context_iteration (NULL, TRUE);                                          \
    g_source_remove (tick_);                                                          \
    if (!(cond))                                                                      \
      test_timed_out (#cond);                                                         \
  } G_STMT_END

void        test_server_wait_mqtt (TestServer         *s,
                                   guint               seconds);

/* A real MQTT subscriber, its messages queued as "topic\npayload". */
typedef struct _TestSubscriber TestSubscriber;

TestSubscriber *test_mqtt_subscribe (guint           port,
                                   const char         *client_id,
                                   const char         *filter);
char       *test_subscriber_pop   (TestSubscriber     *sub,
                                   guint               timeout_ms);
char       *test_subscriber_wait  (TestSubscriber     *sub,
                                   const char         *topic,
                                   guint               seconds);
void        test_subscriber_free  (TestSubscriber     *sub);
int         test_mqtt_publish_as  (guint               port,
                                   const char         *user,
                                   const char         *password,
                                   const char         *topic,
                                   const char         *payload,
                                   gssize              len);
void        test_mqtt_publish     (guint               port,
                                   const char         *topic,
                                   const char         *payload,
                                   gssize              len);

SoupSession *test_session         (void);
Resp       *test_http             (const char         *method,
                                   const char         *url,
                                   const char         *token,
                                   const char         *content_type,
                                   const char         *body,
                                   const char *const  *headers);
Resp       *test_http_on          (SoupSession        *session,
                                   const char         *method,
                                   const char         *url,
                                   const char         *token,
                                   const char         *content_type,
                                   const char         *body,
                                   const char *const  *headers);
Resp       *test_request          (TestServer         *s,
                                   const char         *method,
                                   const char         *path,
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
gint64      test_observation_post (TestServer         *s,
                                   const char         *token,
                                   gint64              datastream,
                                   double              result,
                                   const char         *time);
JsonArray  *test_scenario_tasks   (TestServer         *s,
                                   const char         *token,
                                   gint64              scenario);
const char *test_program          (const char         *env,
                                   const char         *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Resp, resp_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestTls, test_tls_free)

G_END_DECLS
