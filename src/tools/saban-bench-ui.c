/* saban-bench-ui.c: issue 15's "quiet CPU" and "input never freezes" as
 * numbers, on the real application's windows and session against a real
 * saban-server --demo and mosquitto this bench starts on loopback.
 *
 *   ui-idle     the main window on the demo province with the live feed and
 *               no input: the frames the window paints and the process's
 *               CPU (% of one core) over --seconds, in phases — nothing
 *               changing; the feed at 1 observation a second; the same with
 *               the board open; with a sensor's chart open instead; ten
 *               alarms raised, while their rings pulse, then standing. The
 *               at-rest phases start once the window has painted nothing for
 *               a second (what the phase before set moving has landed)
 *   ui-session  a scripted session — pan, zoom, open the board, open a
 *               sensor's chart, switch layers — timing every main-loop
 *               iteration (its dispatch, without the time it waited in
 *               poll): the worst, the 99th percentile, how many over 50 ms;
 *               in wall-clock time, and in the main thread's CPU time,
 *               which other processes on a shared machine do not inflate
 *
 * Run under a display (Xvfb) with the build's schemas, e.g.
 *   meson devenv -C build xvfb-run -a -s "-screen 0 1920x1080x24" \
 *     src/tools/saban-bench ui-idle --seconds 30
 * Each prints one JSON line. The user's own settings, outbox and cache are
 * never touched: settings in memory, XDG folders in a temporary one.
 */
#include "saban-bench-ui.h"

#include <adwaita.h>
#include <math.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "saban-files.h"
#include "saban-local-server.h"
#include "saban-resources.h"
#include "saban-scenario-window.h"
#include "saban-sensor-panel.h"
#include "saban-session.h"
#include "saban-window.h"

typedef struct
{
  char        *dir;
  GSubprocess *broker;
  GSubprocess *server;
  SabanSession *session;
  SabanWindow *window;
  GdkFrameClock *clock;   /* the window's */
  guint        frames;    /* the window painted, counted from the clock */
} Bench;

/* ---- the backend ------------------------------------------------------------ */

static guint
free_port (void)
{
  g_autoptr(GSocket) s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;

  if (s == NULL || !g_socket_bind (s, any, TRUE, NULL) || (bound = g_socket_get_local_address (s, NULL)) == NULL)
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* a program beside this one in the build tree, else on PATH */
static char *
find_program (const char *relative, const char *name)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self != NULL ? g_path_get_dirname (self) : NULL;
  g_autofree char *built = dir != NULL ? g_build_filename (dir, relative, name, NULL) : NULL;
  g_autofree char *sbin = g_build_filename ("/usr/sbin", name, NULL);
  char *found;

  if (built != NULL && g_file_test (built, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&built);
  /* Debian puts mosquitto in /usr/sbin, often not on a user's PATH */
  if ((found = g_find_program_in_path (name)) != NULL)
    return found;
  return g_file_test (sbin, G_FILE_TEST_IS_EXECUTABLE) ? g_steal_pointer (&sbin) : NULL;
}

static gboolean
wait_for (gboolean (*done) (Bench *), Bench *b, int seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  while (!done (b) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (2000), TRUE);
  return done (b);
}

static gboolean
set_flag (gpointer flag)
{
  *(gboolean *) flag = TRUE;
  return G_SOURCE_REMOVE;
}

/* the main loop for @seconds, sleeping in poll as the app does: a loop
 * that polled by itself would be the CPU it measures */
static void
spin (double seconds)
{
  gboolean done = FALSE;

  g_timeout_add ((guint) (seconds * 1000), set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* mosquitto and saban-server --demo on free loopback ports; the simulator
 * slowed right down, so that only what the bench sends changes. Both die
 * with the bench, however it ends. */
static gboolean
start_backend (Bench *b, GError **error)
{
  g_autofree char *mosquitto = find_program (".", "mosquitto");
  g_autofree char *server = find_program ("../server", "saban-server");
  g_autofree char *db = g_build_filename (b->dir, "demo.db", NULL);
  g_autofree char *db_arg = g_strdup_printf ("--db=%s", db), *listen = NULL, *mqtt = NULL, *port_arg = NULL;
  guint http = free_port (), broker = free_port ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", http);
  g_autofree char *health = g_strconcat (url, "/health", NULL);
  g_autofree char *broker_addr = g_strdup_printf ("127.0.0.1:%u", broker);
  g_autoptr(GSubprocessLauncher) launcher = saban_child_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_SILENCE);

  if (mosquitto == NULL || server == NULL || http == 0 || broker == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "ui benches need mosquitto and saban-server");
      return FALSE;
    }
  port_arg = g_strdup_printf ("%u", broker);
  b->broker = g_subprocess_launcher_spawn (launcher, error, mosquitto, "-p", port_arg, NULL);
  listen = g_strdup_printf ("--listen=127.0.0.1:%u", http);
  mqtt = g_strdup_printf ("--mqtt=%s", broker_addr);
  if (b->broker == NULL ||
      (b->server = saban_local_server_start ((const char *const[]) { server, "--demo", db_arg, listen, mqtt,
                                                                     "--rate-limit=0", "--sim-speed=0.01", NULL },
                                             G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                             health, NULL, 120, error)) == NULL)
    return FALSE;
  /* the session reads them as the README's run command sets them */
  g_setenv ("SABAN_SERVER_URL", url, TRUE);
  g_setenv ("SABAN_MQTT_BROKER", broker_addr, TRUE);
  g_setenv ("SABAN_ACCOUNT", "dieuphoi", TRUE);
  g_setenv ("SABAN_PASSWORD", "saban-demo", TRUE);
  return TRUE;
}

static gboolean
ready (Bench *b)
{
  SabanConnection *c = saban_session_get_connection (b->session);

  return !saban_window_get_loading (b->window) && saban_connection_get_signed_in (c) &&
         saban_sensor_store_get_n_sensors (saban_session_get_sensor_store (b->session)) > 0 &&
         saban_sensor_feed_get_state (saban_session_get_sensor_feed (b->session)) == SABAN_FEED_STATE_LIVE &&
         !saban_map_view_get_busy (saban_window_get_map_view (b->window));
}

static void
count_paint (GdkFrameClock *clock, Bench *b)
{
  b->frames++;
}

/* the application's windows on its own session: the demo province, the
 * live feed, signed in as the demo's coordinator */
static gboolean
bench_start (Bench *b, GError **error)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  g_autoptr(GFile) demo = NULL;
  const char *demo_path = g_getenv ("SABAN_DEMO_DATA");

  b->dir = g_dir_make_tmp ("saban-bench-ui-XXXXXX", error);
  if (b->dir == NULL)
    return FALSE;
  for (const char *const *v = (const char *const[]) { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", NULL };
       *v != NULL; v++)
    {
      g_autofree char *sub = g_build_filename (b->dir, *v, NULL);

      g_mkdir_with_parents (sub, 0700);
      g_setenv (*v, sub, TRUE);
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (demo_path == NULL || !start_backend (b, error))
    {
      if (demo_path == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "set SABAN_DEMO_DATA (meson devenv does)");
      return FALSE;
    }
  gtk_init ();
  adw_init ();
  g_resources_register (saban_get_resource ());
  gtk_css_provider_load_from_resource (css, "/io/github/saban/SaBan/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  b->session = saban_session_new ();
  b->window = g_object_ref_sink (saban_window_new (NULL, b->session));
  gtk_window_set_default_size (GTK_WINDOW (b->window), 1920, 1080);
  demo = g_file_new_for_path (demo_path);
  saban_window_open_demo (b->window, demo);
  gtk_window_present (GTK_WINDOW (b->window));
  if (!wait_for (ready, b, 120))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "the window did not load the demo and the live feed");
      return FALSE;
    }
  /* what start-up set moving (the first frames, catch-ups) settles */
  spin (5);
  b->clock = g_object_ref (gtk_widget_get_frame_clock (GTK_WIDGET (b->window)));
  g_signal_connect (b->clock, "paint", G_CALLBACK (count_paint), b);
  return TRUE;
}

static void
bench_stop (Bench *b)
{
  if (b->clock != NULL)
    g_signal_handlers_disconnect_by_data (b->clock, b);
  g_clear_object (&b->clock);
  for (GList *l = gtk_window_list_toplevels (); l != NULL; l = g_list_delete_link (l, l))
    gtk_window_destroy (l->data);
  g_clear_object (&b->window);
  g_clear_object (&b->session);
  if (b->server != NULL)
    g_subprocess_force_exit (b->server);
  if (b->broker != NULL)
    g_subprocess_force_exit (b->broker);
  g_clear_object (&b->server);
  g_clear_object (&b->broker);
  if (b->dir != NULL)
    saban_remove_tree (b->dir, NULL);
  g_free (b->dir);
}

/* ---- what the app does meanwhile -------------------------------------------- */

static double
cpu_seconds (void)
{
  struct rusage u;

  getrusage (RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

typedef struct
{
  Bench *bench;
  guint  sent;
  double value;
} Feed;

/* one observation of datastream 1 (a gauge), within its normal range */
static gboolean
feed_one (gpointer data)
{
  Feed *f = data;
  SabanApi *api = saban_session_get_api (f->bench->session);
  g_autoptr(GDateTime) at = g_date_time_new_now_utc ();
  g_autofree char *when = g_date_time_format_iso8601 (at);
  g_autofree char *body = g_strdup_printf ("{\"result\":%.3f,\"phenomenonTime\":\"%s\",\"Datastream\":{\"@iot.id\":1}}",
                                           f->value, when);
  g_autoptr(SoupMessage) msg = saban_api_new_message (api, "POST", "/v1.1/Observations", NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  saban_api_send_async (api, msg, 65536, NULL, NULL, NULL);
  f->value = f->value > 1.5 ? 1.2 : f->value + 0.05;
  f->sent++;
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  double cpu;     /* the process's, % of one core */
  guint  frames;  /* the window painted */
} Phase;

/* @seconds of the main loop: what the window painted, and the process's CPU */
static Phase
measure (Bench *b, int seconds, gboolean feed, guint *sent)
{
  Feed f = { b, 0, 1.2 };
  guint timer = feed ? g_timeout_add_seconds (1, feed_one, &f) : 0;
  double cpu0 = cpu_seconds (), t0 = g_get_monotonic_time () / 1e6;
  guint frames0 = b->frames;
  Phase p;

  spin (seconds);
  if (timer != 0)
    g_source_remove (timer);
  if (sent != NULL)
    *sent = f.sent;
  p.frames = b->frames - frames0;
  p.cpu = 100 * (cpu_seconds () - cpu0) / (g_get_monotonic_time () / 1e6 - t0);
  return p;
}

/* until the window has painted nothing for a second — what was set moving
 * before (a phase's last observations, their catch-ups) has landed — or
 * @limit seconds: a window that never stops painting is what the at-rest
 * phase is there to show */
static void
settle (Bench *b, int limit)
{
  gint64 end = g_get_monotonic_time () + (gint64) limit * G_USEC_PER_SEC;
  guint frames;

  do
    {
      frames = b->frames;
      spin (1);
    }
  while (b->frames != frames && g_get_monotonic_time () < end);
}

static void
add_phase (GString *line, const char *name, Phase p)
{
  g_string_append_printf (line, ",\"%s_cpu_percent\":%.1f,\"%s_frames\":%u", name, p.cpu, name, p.frames);
}

static GtkWidget *
find_widget (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_widget (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* the first gauge's chart, as a click on it opens it */
static SabanSensorPanel *
open_chart (Bench *b)
{
  SabanSensorStore *store = saban_session_get_sensor_store (b->session);
  guint gauge = 0;

  saban_sensor_store_lookup (store, 1, &gauge);
  g_signal_emit_by_name (saban_window_get_map_view (b->window), "sensor-activated", gauge);
  return SABAN_SENSOR_PANEL (find_widget (GTK_WIDGET (b->window), SABAN_TYPE_SENSOR_PANEL));
}

/* @n sensors with a danger level, far over it: alarms */
static guint
raise_alarms (Bench *b, guint n)
{
  SabanSensorStore *store = saban_session_get_sensor_store (b->session);
  SabanApi *api = saban_session_get_api (b->session);
  g_autoptr(GDateTime) at = g_date_time_new_now_utc ();
  g_autofree char *when = g_date_time_format_iso8601 (at);
  guint raised = 0;

  for (guint i = 0; i < saban_sensor_store_get_n_sensors (store) && raised < n; i++)
    {
      const SabanSensor *s = saban_sensor_store_get_sensor (store, i);
      g_autofree char *body = NULL;
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) bytes = NULL;

      if (isnan (s->danger_level) || s->datastream_id <= 0)
        continue;
      body = g_strdup_printf ("{\"result\":%.3f,\"phenomenonTime\":\"%s\",\"Datastream\":{\"@iot.id\":%" G_GINT64_FORMAT
                              "}}", s->danger_level * 2 + 1, when, s->datastream_id);
      msg = saban_api_new_message (api, "POST", "/v1.1/Observations", NULL);
      bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      saban_api_send_async (api, msg, 65536, NULL, NULL, NULL);
      raised++;
    }
  return raised;
}

/* one JSON line: figures with one decimal, what the measures tell apart */
static void
add_figure (GString *line, const char *name, double value)
{
  g_string_append_printf (line, ",\"%s\":%.1f", name, value);
}

static void
add_count (GString *line, const char *name, guint value)
{
  g_string_append_printf (line, ",\"%s\":%u", name, value);
}

/* ends and prints the line, with the load that inflates wall-clock figures
 * on a shared machine and the renderer it was drawn with (saban-bench
 * chooses it as the application does) */
static void
print_line (GString *line)
{
  const char *renderer = g_getenv ("GSK_RENDERER");
  double load[3];

  if (getloadavg (load, 3) == 3)
    add_figure (line, "load_average", load[0]);
  g_string_append_printf (line, ",\"renderer\":\"%s\"", renderer != NULL ? renderer : "gtk-default");
  g_print ("%s}\n", line->str);
}

/**
 * saban_bench_ui_idle:
 * @seconds: how long each phase is measured
 *
 * Returns: 0 when measured, printed as one JSON line
 */
int
saban_bench_ui_idle (int seconds, GError **error)
{
  Bench b = { 0 };
  g_autoptr(GString) line = g_string_new (NULL);
  SabanScenarioWindow *board;
  SabanSensorPanel *chart;
  Phase idle, feed, with_board, with_chart, pulsing, standing;
  guint sent, alarms;
  SabanSensorLayer *rings;

  if (!bench_start (&b, error))
    {
      bench_stop (&b);
      return 1;
    }
  /* the demo's history may start with alarms: their rings move for two
   * minutes after start; measured apart, below, they stand meanwhile */
  rings = saban_map_view_get_sensor_layer (saban_window_get_map_view (b.window));
  saban_sensor_layer_set_pulse_seconds (rings, 0);
  settle (&b, 15);
  idle = measure (&b, seconds, FALSE, NULL);
  feed = measure (&b, seconds, TRUE, &sent);
  board = saban_scenario_window_show (NULL, b.session, NULL);
  spin (3);
  with_board = measure (&b, seconds, TRUE, NULL);
  gtk_window_destroy (GTK_WINDOW (board));
  chart = open_chart (&b);
  spin (3);
  with_chart = measure (&b, seconds, TRUE, NULL);
  /* new alarms move their rings for the layer's two minutes, then stand
   * (the pulse time shortened here to see both) */
  saban_sensor_layer_set_pulse_seconds (rings, 120);
  alarms = raise_alarms (&b, 10);
  spin (2);
  pulsing = measure (&b, seconds, FALSE, NULL);
  saban_sensor_layer_set_pulse_seconds (rings, 0);
  settle (&b, 15);
  standing = measure (&b, seconds, FALSE, NULL);

  g_string_append_printf (line, "{\"bench\":\"ui-idle\",\"seconds\":%d", seconds);
  add_phase (line, "idle", idle);
  add_phase (line, "feed", feed);
  add_count (line, "feed_observations", sent);
  add_phase (line, "feed_board", with_board);
  add_phase (line, "feed_chart", with_chart);
  add_count (line, "chart_open", chart != NULL);
  add_count (line, "alarms_raised", alarms);
  add_phase (line, "alarms_pulsing", pulsing);
  add_phase (line, "alarms_standing", standing);
  print_line (line);
  bench_stop (&b);
  return 0;
}

/* ---- the scripted session ------------------------------------------------------- */

static GPollFunc real_poll;
static gint64 polled_us;   /* time the current iteration waited in poll */

static gint
timed_poll (GPollFD *fds, guint n, gint timeout)
{
  gint64 t0 = g_get_monotonic_time ();
  gint r = real_poll (fds, n, timeout);

  polled_us += g_get_monotonic_time () - t0;
  return r;
}

typedef struct
{
  GArray *all;      /* double: every iteration's work, wall-clock ms */
  GArray *cpu;      /* double: the main thread's CPU in it, ms */
  double  worst;    /* of the step being run: the main thread's CPU, ms */
} Iterations;

static double
thread_cpu_ms (void)
{
  struct timespec t;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* runs the main loop for @min seconds, then until @done (or @max seconds),
 * timing each iteration's work */
static void
run_step (Iterations *it, gboolean (*done) (Bench *), Bench *b, double min, double max)
{
  gint64 start = g_get_monotonic_time ();
  gint64 least = start + (gint64) (min * G_USEC_PER_SEC), end = start + (gint64) (max * G_USEC_PER_SEC);
  guint tick = g_timeout_add (20, wake, NULL);

  it->worst = 0;
  while (g_get_monotonic_time () < end && (g_get_monotonic_time () < least || (done != NULL && !done (b))))
    {
      gint64 t0 = g_get_monotonic_time ();
      double c0 = thread_cpu_ms (), ms, cpu;

      polled_us = 0;
      g_main_context_iteration (NULL, TRUE);
      ms = (g_get_monotonic_time () - t0 - polled_us) / 1000.0;
      cpu = thread_cpu_ms () - c0;
      g_array_append_val (it->all, ms);
      g_array_append_val (it->cpu, cpu);
      it->worst = MAX (it->worst, cpu);
    }
  g_source_remove (tick);
}

static gboolean
map_idle (Bench *b)
{
  return !saban_map_view_get_busy (saban_window_get_map_view (b->window));
}

static gboolean
chart_loaded (Bench *b)
{
  SabanSensorPanel *p = SABAN_SENSOR_PANEL (find_widget (GTK_WIDGET (b->window), SABAN_TYPE_SENSOR_PANEL));

  return p != NULL && !saban_sensor_panel_get_busy (p);
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/**
 * saban_bench_ui_session:
 *
 * Returns: 0 when measured, printed as one JSON line
 */
int
saban_bench_ui_session (GError **error)
{
  Bench b = { 0 };
  g_autoptr(GString) line = g_string_new (NULL);
  Iterations it = { g_array_new (FALSE, FALSE, sizeof (double)), g_array_new (FALSE, FALSE, sizeof (double)), 0 };
  ShumateViewport *viewport;
  SabanMapView *map;
  GListModel *layers;
  SabanScenarioWindow *board;
  double pan = 0, zoom = 0, board_ms, chart_ms, layers_ms = 0, p99, cpu_p99;
  guint over = 0, cpu_over = 0;

  if (!bench_start (&b, error))
    {
      bench_stop (&b);
      return 1;
    }
  real_poll = g_main_context_get_poll_func (NULL);
  g_main_context_set_poll_func (NULL, timed_poll);
  map = saban_window_get_map_view (b.window);
  viewport = saban_map_view_get_viewport (map);

  /* pan: 40 steps of a quarter view, as the arrows do, each given its frame */
  for (int i = 0; i < 40; i++)
    {
      double lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
      double lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));

      saban_map_view_center_on (map, lat + (i % 20 < 10 ? 0.03 : -0.03), lon + (i < 20 ? 0.05 : -0.05),
                                shumate_viewport_get_zoom_level (viewport));
      run_step (&it, NULL, &b, 0.05, 0.05);
      pan = MAX (pan, it.worst);
    }
  run_step (&it, map_idle, &b, 0.3, 30);
  pan = MAX (pan, it.worst);
  /* zoom in and out, a level at a time, the tiles drawn each time */
  for (int z = 10; z <= 14; z++)
    {
      shumate_viewport_set_zoom_level (viewport, z);
      run_step (&it, map_idle, &b, 0.6, 30);
      zoom = MAX (zoom, it.worst);
    }
  shumate_viewport_set_zoom_level (viewport, 9);
  run_step (&it, map_idle, &b, 0.6, 30);
  zoom = MAX (zoom, it.worst);
  /* the board */
  board = saban_scenario_window_show (NULL, b.session, NULL);
  run_step (&it, NULL, &b, 2, 2);
  board_ms = it.worst;
  gtk_window_destroy (GTK_WINDOW (board));
  /* a sensor's chart */
  open_chart (&b);
  run_step (&it, chart_loaded, &b, 1, 30);
  chart_ms = it.worst;
  /* switch layers: each off, then on again */
  layers = G_LIST_MODEL (saban_session_get_layers (b.session));
  for (guint i = 0; i < g_list_model_get_n_items (layers); i++)
    for (int on = 0; on < 2; on++)
      {
        g_autoptr(SabanLayer) layer = g_list_model_get_item (layers, i);

        saban_layer_set_visible (layer, on);
        run_step (&it, map_idle, &b, 0.3, 30);
        layers_ms = MAX (layers_ms, it.worst);
      }
  g_main_context_set_poll_func (NULL, real_poll);

  for (guint i = 0; i < it.all->len; i++)
    {
      over += g_array_index (it.all, double, i) > 50;
      cpu_over += g_array_index (it.cpu, double, i) > 50;
    }
  g_array_sort (it.all, compare_doubles);
  g_array_sort (it.cpu, compare_doubles);
  p99 = g_array_index (it.all, double, (guint) (it.all->len * 0.99));
  cpu_p99 = g_array_index (it.cpu, double, (guint) (it.cpu->len * 0.99));
  g_string_append_printf (line, "{\"bench\":\"ui-session\",\"iterations\":%u", it.all->len);
  add_figure (line, "worst_ms", g_array_index (it.all, double, it.all->len - 1));
  add_figure (line, "p99_ms", p99);
  add_count (line, "over_50ms", over);
  add_figure (line, "cpu_worst_ms", g_array_index (it.cpu, double, it.cpu->len - 1));
  add_figure (line, "cpu_p99_ms", cpu_p99);
  add_count (line, "cpu_over_50ms", cpu_over);
  add_figure (line, "pan_cpu_worst_ms", pan);
  add_figure (line, "zoom_cpu_worst_ms", zoom);
  add_figure (line, "board_cpu_worst_ms", board_ms);
  add_figure (line, "chart_cpu_worst_ms", chart_ms);
  add_figure (line, "layers_cpu_worst_ms", layers_ms);
  print_line (line);
  g_array_unref (it.all);
  g_array_unref (it.cpu);
  bench_stop (&b);
  return 0;
}
