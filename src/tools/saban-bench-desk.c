/* saban-bench-desk.c — issue 13's benchmarks that need the windows, against
 * a saban-server --demo the bench starts (or --server):
 *
 *   desk-ui          the leaders' desk: ready from sign-in to the desk
 *                    drawn with its indicators (30 indicators × 99 communes
 *                    × 24 months), the first indicator chosen once the desk
 *                    is at rest (the ranking, legend and chart laid out for
 *                    the first time) and every later switch of indicator or
 *                    month, each to the first frame drawn after it, the
 *                    meeting report made from the desk
 *   feedback-scroll  the citizen-feedback workspace over --requests reports
 *                    (default 50 000, made by saban-server --demo-requests):
 *                    their load, then frames while the list scrolls briskly
 *
 * Each prints one JSON object, as the other benchmarks do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "saban-bench-desk.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>

#include "saban-desk-window.h"
#include "saban-feedback-window.h"
#include "saban-files.h"
#include "saban-ogr-reader.h"

static int opt_requests = 50000;
static gboolean opt_decorated;

static const GOptionEntry desk_entries[] = {
  { "requests", 0, 0, G_OPTION_ARG_INT, &opt_requests, "Citizen reports the server makes (feedback-scroll)", "N" },
  { "decorated", 0, 0, G_OPTION_ARG_NONE, &opt_decorated, "Windows with their frame and shadow (desk-ui, feedback-scroll)",
    NULL },
  { NULL }
};

/**
 * saban_bench_desk_options:
 *
 * Returns: (transfer full): the options of the desk's benchmarks
 */
GOptionGroup *
saban_bench_desk_options (void)
{
  GOptionGroup *group = g_option_group_new ("desk", "Desk benchmarks:", "Options of desk-ui and feedback-scroll", NULL,
                                            NULL);

  g_option_group_add_entries (group, desk_entries);
  return group;
}

static int
by_value (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
seconds_now (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* @q of the way through @samples, sorted (0.5: the median) */
static double
quantile (GArray *samples, double q)
{
  g_autoptr(GArray) sorted = NULL;

  if (samples->len == 0)
    return NAN;
  sorted = g_array_copy (samples);
  g_array_sort (sorted, by_value);
  return g_array_index (sorted, double, MIN ((guint) (q * sorted->len), sorted->len - 1));
}

static void
member (JsonBuilder *b, const char *key, double value)
{
  json_builder_set_member_name (b, key);
  if (isfinite (value))
    json_builder_add_double_value (b, round (value * 1000) / 1000);
  else
    json_builder_add_null_value (b);
}

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* runs the loop until *@flag, or @seconds pass; whether it came */
static gboolean
spin_until (gboolean (*cond) (gpointer), gpointer data, double seconds)
{
  double end = seconds_now () + seconds;
  guint tick = g_timeout_add (10, wake, NULL);

  while (!cond (data) && seconds_now () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  return cond (data);
}

/* ---- the session, as the application makes it ------------------------------------------ */

typedef struct
{
  GSubprocess  *server;
  char         *url;
  char         *dir;
  SabanSession *session;
  double        signed_in_at;
} Backend;

static void
backend_clear (Backend *b)
{
  g_clear_object (&b->session);
  if (b->server != NULL)
    {
      g_subprocess_force_exit (b->server);
      /* gone before its files are: it writes its WAL to the last */
      g_subprocess_wait (b->server, NULL, NULL);
    }
  g_clear_object (&b->server);
  saban_remove_tree (b->dir, NULL);
  g_clear_pointer (&b->dir, g_free);
  g_clear_pointer (&b->url, g_free);
}

static void
on_signed_in (Backend *b)
{
  if (b->signed_in_at == 0 && saban_connection_get_signed_in (saban_session_get_connection (b->session)))
    b->signed_in_at = seconds_now ();
}

static gboolean
is_signed_in (gpointer data)
{
  return ((Backend *) data)->signed_in_at > 0;
}

typedef struct
{
  GPtrArray *layers;
  GError    *error;
  gboolean   done;
} Read;

static void
communes_read (GObject *source, GAsyncResult *result, gpointer data)
{
  Read *r = data;

  r->layers = saban_ogr_read_finish (result, &r->error);
  r->done = TRUE;
}

static gboolean
read_done (gpointer data)
{
  return ((Read *) data)->done;
}

/* The communes, as the operations map would have loaded them by now. */
static gboolean
add_communes (SabanSession *session, GError **error)
{
  const char *demo = g_getenv ("SABAN_DEMO_DATA");
  const char *only[] = { "communes", NULL };
  Read r = { 0 };

  if (demo == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "set SABAN_DEMO_DATA to the demo GeoPackage");
      return FALSE;
    }
  saban_ogr_read_async (demo, only, NULL, NULL, NULL, NULL, NULL, communes_read, &r);
  spin_until (read_done, &r, 60);
  if (r.layers == NULL || r.layers->len == 0)
    {
      if (r.error != NULL)
        g_propagate_error (error, r.error);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no communes in %s", demo);
      return FALSE;
    }
  {
    g_autoptr(SabanLayerStyle) style = saban_layer_style_new_for_layer (g_ptr_array_index (r.layers, 0));
    g_autoptr(SabanLayer) layer = saban_layer_new (g_ptr_array_index (r.layers, 0), style);

    saban_layer_model_add (saban_session_get_layers (session), layer);
  }
  g_ptr_array_unref (r.layers);
  return TRUE;
}

/* The server (started with @extra, or --server), and a session signed in as @account. */
static gboolean
backend_start (Backend *b, const char *server_url, const char *account, const char *const *extra, GError **error)
{
  if (!gtk_init_check ())
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the desk's benchmarks need a display: run them under xvfb-run");
      return FALSE;
    }
  adw_init ();
  b->url = g_strdup (server_url);
  if (b->url == NULL &&
      ((b->dir = g_dir_make_tmp ("saban-bench-desk-XXXXXX", error)) == NULL ||
       (b->server = saban_bench_start_server (b->dir, extra, &b->url, error)) == NULL))
    return FALSE;
  g_setenv ("SABAN_SERVER_URL", b->url, TRUE);
  g_setenv ("SABAN_ACCOUNT", account, TRUE);
  if (g_getenv ("SABAN_PASSWORD") == NULL)
    g_setenv ("SABAN_PASSWORD", "saban-demo", TRUE);
  b->session = saban_session_new ();
  g_signal_connect_swapped (saban_session_get_connection (b->session), "notify::signed-in", G_CALLBACK (on_signed_in),
                            b);
  return add_communes (b->session, error);
}

/* As a workstation or a wall shows it: the whole screen, no frame. Xvfb
 * runs no window manager, so a decorated window keeps its client-side
 * shadow, which the software renderer (llvmpipe) draws again with every
 * frame at ~0.4 s on this machine: a cost of the test machine, not of the
 * window, which `--decorated` measures. */
static void
show_maximized (GtkWindow *window)
{
  gtk_window_set_decorated (window, opt_decorated);
  gtk_window_set_default_size (window, 1920, 1080);
  gtk_window_maximize (window);
  gtk_window_present (window);
}

/* ---- desk-ui ------------------------------------------------------------------------------ */

static gboolean
desk_ready (gpointer desk)
{
  return saban_desk_window_get_ready (desk);
}

typedef struct
{
  SabanMapView *view;
  guint         paints;
} Frames;

static void
on_paint (GdkFrameClock *clock, Frames *f)
{
  f->paints++;
}

static gboolean
painted (gpointer frames)
{
  return ((Frames *) frames)->paints > 0;
}

typedef struct
{
  Frames *frames;
  guint   paints_at_idle;
  gboolean idle_seen;
} Redraw;

/* the view settled (every visible tile of the new style drawn), then a frame painted */
static gboolean
redrawn (gpointer data)
{
  Redraw *r = data;

  if (saban_map_view_get_busy (r->frames->view))
    {
      r->idle_seen = FALSE;
      return FALSE;
    }
  if (!r->idle_seen)
    {
      r->idle_seen = TRUE;
      r->paints_at_idle = r->frames->paints;
      gtk_widget_queue_draw (GTK_WIDGET (r->frames->view));
    }
  return r->frames->paints > r->paints_at_idle;
}

/* ms from @switch_it to the first frame drawn after the choropleth is */
static double
time_switch (Frames *frames, void (*switch_it) (SabanDeskWindow *, int), SabanDeskWindow *desk, int value)
{
  Redraw r = { frames, 0, FALSE };
  double t0 = seconds_now ();

  switch_it (desk, value);
  if (!spin_until (redrawn, &r, 30))
    return NAN;
  return 1000 * (seconds_now () - t0);
}

static void
set_month_index (SabanDeskWindow *desk, int offset)
{
  SabanPeriod month = saban_period_offset (saban_desk_window_get_month (desk), offset);

  saban_desk_window_set_month (desk, &month);
}

static gboolean
report_done (gpointer desk)
{
  return !saban_desk_window_get_report_busy (desk);
}

static gboolean
map_settled (gpointer view)
{
  return !saban_map_view_get_busy (view);
}

static void
print_desk (double ready_s, double first_ms, GArray *indicator_ms, GArray *month_ms, double report_s, SabanIndicatorSet *set)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "bench");
  json_builder_add_string_value (b, "desk-ui");
  json_builder_set_member_name (b, "indicators");
  json_builder_add_int_value (b, saban_indicator_set_get_n_indicators (set));
  json_builder_set_member_name (b, "communes");
  json_builder_add_int_value (b, saban_indicator_set_get_n_communes (set));
  member (b, "ready_from_sign_in_s", ready_s);
  member (b, "first_indicator_ms", first_ms);
  member (b, "switch_indicator_p50_ms", quantile (indicator_ms, 0.5));
  member (b, "switch_indicator_max_ms", quantile (indicator_ms, 1));
  member (b, "switch_month_p50_ms", quantile (month_ms, 0.5));
  member (b, "switch_month_max_ms", quantile (month_ms, 1));
  member (b, "report_s", report_s);
  json_builder_set_member_name (b, "ready_met");
  json_builder_add_boolean_value (b, ready_s <= 1);
  json_builder_set_member_name (b, "switch_met");
  json_builder_add_boolean_value (b, first_ms <= 100 && quantile (indicator_ms, 1) <= 100 &&
                                       quantile (month_ms, 1) <= 100);
  json_builder_set_member_name (b, "report_met");
  json_builder_add_boolean_value (b, report_s <= 5);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  puts (text);
}

/**
 * saban_bench_desk_ui:
 * @server_url: (nullable): an IOC server, or %NULL to start saban-server --demo
 * @runs: passes over every indicator and month
 *
 * Returns: 0, or 1 with @error set
 */
int
saban_bench_desk_ui (const char *server_url, int runs, GError **error)
{
  Backend b = { 0 };
  SabanDeskWindow *desk = NULL;
  Frames frames = { 0 };
  g_autoptr(GArray) indicator_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) month_ms = g_array_new (FALSE, FALSE, sizeof (double));
  double ready_s, first_ms, report_s, t0;
  int status = 1;

  if (!backend_start (&b, server_url, "lanhdao", NULL, error))
    goto out;
  desk = saban_desk_window_new (NULL, b.session);
  show_maximized (GTK_WINDOW (desk));
  if (!spin_until (desk_ready, desk, 60) || !spin_until (is_signed_in, &b, 1))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "the desk did not become ready");
      goto out;
    }
  frames.view = saban_desk_window_get_map_view (desk);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (frames.view)), "after-paint", G_CALLBACK (on_paint),
                    &frames);
  /* ready: the indicators read and the desk drawn with them */
  if (!spin_until (painted, &frames, 10))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "the desk was not drawn");
      goto out;
    }
  ready_s = seconds_now () - b.signed_in_at;
  /* A leader's first click meets a desk at rest (the map drawn); it lays
   * out the ranking, legend and chart for the first time: timed on its
   * own, so that its frame is not the next switch's. */
  spin_until (map_settled, frames.view, 30);
  first_ms = time_switch (&frames, saban_desk_window_select_indicator, desk, 0);
  for (int r = 0; r < runs; r++)
    {
      guint n = saban_indicator_set_get_n_indicators (saban_desk_window_get_indicators (desk));

      for (guint i = 0; i < n; i++)
        {
          double ms = time_switch (&frames, saban_desk_window_select_indicator, desk, (int) ((i + 1) % n));

          g_array_append_val (indicator_ms, ms);
        }
      for (int m = 0; m < 23; m++)
        {
          double ms = time_switch (&frames, set_month_index, desk, r % 2 == 0 ? -1 : 1);

          g_array_append_val (month_ms, ms);
        }
    }
  {
    g_autofree char *pdf = g_build_filename (g_get_tmp_dir (), "saban-bench-desk-report.pdf", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (pdf);

    t0 = seconds_now ();
    saban_desk_window_make_report (desk, file);
    if (!spin_until (report_done, desk, 60))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "the report was not made");
        goto out;
      }
    report_s = seconds_now () - t0;
    g_unlink (pdf);
  }
  print_desk (ready_s, first_ms, indicator_ms, month_ms, report_s, saban_desk_window_get_indicators (desk));
  status = 0;
out:
  if (desk != NULL)
    gtk_window_destroy (GTK_WINDOW (desk));
  backend_clear (&b);
  return status;
}

/* ---- feedback-scroll ------------------------------------------------------------------------ */

typedef struct
{
  GtkAdjustment *adjustment;
  GArray        *intervals;   /* ms between frames */
  gint64         last_us;
  int            frames;
  gboolean       done;
} Scroll;

/* a brisk flick: a screenful every ten frames, back up at the end */
static gboolean
scroll_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  Scroll *s = data;
  gint64 t = gdk_frame_clock_get_frame_time (clock);
  double step = gtk_adjustment_get_page_size (s->adjustment) / 10;
  double value = gtk_adjustment_get_value (s->adjustment) + step;

  if (s->last_us > 0)
    {
      double ms = (t - s->last_us) / 1000.0;

      g_array_append_val (s->intervals, ms);
    }
  s->last_us = t;
  if (value >= gtk_adjustment_get_upper (s->adjustment) - gtk_adjustment_get_page_size (s->adjustment))
    value = 0;
  gtk_adjustment_set_value (s->adjustment, value);
  if (--s->frames > 0)
    return G_SOURCE_CONTINUE;
  s->done = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
feedback_ready (gpointer window)
{
  return saban_feedback_window_get_ready (window);
}

static gboolean
scroll_done (gpointer data)
{
  return ((Scroll *) data)->done;
}

/**
 * saban_bench_feedback_scroll:
 * @server_url: (nullable): an IOC server, or %NULL to start saban-server
 *   --demo with --requests reports
 * @frames: frames to scroll
 *
 * Returns: 0, or 1 with @error set
 */
int
saban_bench_feedback_scroll (const char *server_url, int frames, GError **error)
{
  g_autofree char *requests = g_strdup_printf ("--demo-requests=%d", MAX (opt_requests, 0));
  const char *extra[] = { requests, NULL };
  Backend b = { 0 };
  SabanFeedbackWindow *window = NULL;
  Scroll s = { 0 };
  g_autoptr(JsonBuilder) jb = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  double load_s, t0, p50, p95;
  guint n;
  int status = 1;

  if (!backend_start (&b, server_url, "trucban", extra, error) || !spin_until (is_signed_in, &b, 60))
    goto out;
  t0 = seconds_now ();
  window = saban_feedback_window_new (NULL, b.session);
  show_maximized (GTK_WINDOW (window));
  if (!spin_until (feedback_ready, window, 300))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "the reports were not read");
      goto out;
    }
  load_s = seconds_now () - t0;
  n = g_list_model_get_n_items (G_LIST_MODEL (saban_feedback_window_get_list (window)));
  spin_until (map_settled, saban_feedback_window_get_map_view (window), 60);
  s.adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (saban_feedback_window_get_list_view (window)));
  s.intervals = g_array_new (FALSE, FALSE, sizeof (double));
  s.frames = MAX (frames, 2);
  gtk_widget_add_tick_callback (GTK_WIDGET (saban_feedback_window_get_list_view (window)), scroll_tick, &s, NULL);
  spin_until (scroll_done, &s, 120);
  p50 = quantile (s.intervals, 0.5);
  p95 = quantile (s.intervals, 0.95);

  json_builder_begin_object (jb);
  json_builder_set_member_name (jb, "bench");
  json_builder_add_string_value (jb, "feedback-scroll");
  json_builder_set_member_name (jb, "requests");
  json_builder_add_int_value (jb, n);
  member (jb, "load_s", load_s);
  json_builder_set_member_name (jb, "frames");
  json_builder_add_int_value (jb, s.intervals->len);
  member (jb, "p50_frame_ms", p50);
  member (jb, "p95_frame_ms", p95);
  member (jb, "max_frame_ms", quantile (s.intervals, 1));
  member (jb, "fps", 1000 / p50);
  json_builder_set_member_name (jb, "frame_rate_met");
  json_builder_add_boolean_value (jb, p95 <= 1000.0 / 30 && p50 <= 17.5);
  json_builder_end_object (jb);
  root = json_builder_get_root (jb);
  text = json_to_string (root, FALSE);
  puts (text);
  status = 0;
out:
  if (s.intervals != NULL)
    g_array_unref (s.intervals);
  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
  backend_clear (&b);
  return status;
}
