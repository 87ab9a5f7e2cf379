#pragma once

#include <gtk/gtk.h>

#include "server-fixture.h"

G_BEGIN_DECLS

/* app-test.c: widgets and their pictures. GTK only, so the map tests use it
 * too; waits and spins are the server fixture's (TEST_WAIT_UNTIL,
 * test_spin_ms). */
void        app_test_collect                (GtkWidget          *root,
                                             GType               type,
                                             const char         *name,
                                             GPtrArray          *out);
gpointer    app_test_find                   (GtkWidget          *root,
                                             GType               type,
                                             const char         *name);
GtkWidget  *app_test_find_toplevel          (GType               type);
gboolean    app_test_has_label              (GtkWidget          *root,
                                             const char         *text);
gboolean    app_test_has_label_containing   (GtkWidget          *root,
                                             const char         *part);
gboolean    app_test_shows_label_containing (GtkWidget          *root,
                                             const char         *part);
GdkTexture *app_test_render                 (GtkWidget          *widget,
                                             const char         *png);
GBytes     *app_test_solid_png              (int                 r,
                                             int                 g,
                                             int                 b);
void        app_test_save_png               (GtkWidget          *widget,
                                             const char         *png);
void        app_test_save_png_at            (GtkWidget          *window,
                                             int                 width,
                                             int                 height,
                                             const char         *png);
guint       app_test_count_colour           (GdkTexture         *texture,
                                             const GdkRectangle *area,
                                             int                 r,
                                             int                 g,
                                             int                 b,
                                             int                 tolerance);

/* app-test-live.c: the application's process, and the live backend it
 * talks to. */
void        app_test_init                   (int                *argc,
                                             char             ***argv);

/* A real mosquitto and a real saban-server --demo publishing to it. */
typedef struct
{
  GSubprocess *broker;
  guint        broker_port;
  char        *broker_addr;     /* 127.0.0.1:PORT, as the application takes it */
  char        *mqtt_arg;
  const char  *server_args[3];  /* to restart the server with */
  TestServer  *server;
} AppTestBackend;

AppTestBackend *app_test_backend_start      (const char         *db_name);
void        app_test_backend_setenv         (AppTestBackend     *backend,
                                             gboolean            sign_in,
                                             const char         *account);
void        app_test_push_gauge             (TestServer         *server,
                                             const char         *token,
                                             double              metres);
void        app_test_backend_free           (AppTestBackend     *backend);
GdkTexture *app_test_run_screenshot         (const char         *png,
                                             AppTestBackend     *backend);

G_END_DECLS
