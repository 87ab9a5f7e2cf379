/* saban-report-activity.c: what happened in the period — the emergencies
 * (scenarios, their tasks, outcomes and the people affected), the CAP
 * alerts, and the citizens' reports (received, resolved, on time, by sector
 * and by commune) — with what of it needs the leaders.
 */
#include "saban-report-document-private.h"

#include <math.h>
#include <string.h>

static const double scenario_widths[] = { 0.05, 0.33, 0.13, 0.13, 0.12, 0.09, 0.15 };
static const double alert_widths[] = { 0.05, 0.17, 0.33, 0.30, 0.15 };
static const double feedback_widths[] = { 0.06, 0.38, 0.14, 0.14, 0.14, 0.14 };

static const char *const severities[] = { "Extreme", "Severe", "Moderate", "Minor", "Unknown", NULL };

static char *
count_text (guint n)
{
  return g_strdup_printf ("%u", n);
}

/* A status or severity as the template names it ("status.active"), else as given. */
static const char *
label (SabanReportBuilder *b,
       const char         *section,
       const char         *prefix,
       const char         *value)
{
  g_autofree char *key = g_strconcat (prefix, ".", value != NULL ? value : "Unknown", NULL);

  if (saban_report_template_has (b->tpl, section, key))
    return saban_report_template_get (b->tpl, section, key);
  return value != NULL ? value : "–";
}

/* ---- emergencies ----------------------------------------------------------------- */

typedef struct
{
  guint  total, done, open, overdue;
  double affected;      /* the latest situation report's */
  gint64 affected_at;
} ScenarioFigures;

static gboolean
task_finished (const SabanReportTask *t)
{
  return g_strcmp0 (t->status, "completed") == 0 || g_strcmp0 (t->status, "failed") == 0 ||
         g_strcmp0 (t->status, "cancelled") == 0;
}

/* Late: past its deadline unfinished now, or finished after it. */
static gboolean
task_overdue (const SabanReportTask *t,
              gint64                 now_us)
{
  if (t->due_us == 0)
    return FALSE;
  return task_finished (t) ? t->finished_us > t->due_us : now_us > t->due_us;
}

static ScenarioFigures
scenario_figures (SabanReportBuilder        *b,
                  const SabanReportScenario *s)
{
  GArray *tasks = saban_report_data_get_tasks (b->data), *sitreps = saban_report_data_get_sitreps (b->data);
  ScenarioFigures f = { .affected = NAN };

  for (guint i = 0; i < tasks->len; i++)
    {
      const SabanReportTask *t = &g_array_index (tasks, SabanReportTask, i);

      if (t->scenario_id != s->id || g_strcmp0 (t->status, "cancelled") == 0)
        continue;
      f.total++;
      f.done += g_strcmp0 (t->status, "completed") == 0;
      f.open += !task_finished (t);
      f.overdue += task_overdue (t, b->now_us);
    }
  for (guint i = 0; i < sitreps->len; i++)
    {
      const SabanReportSitrep *r = &g_array_index (sitreps, SabanReportSitrep, i);

      if (r->scenario_id == s->id && !isnan (r->affected) && r->created_us >= f.affected_at)
        {
          f.affected = r->affected;
          f.affected_at = r->created_us;
        }
    }
  return f;
}

/* Activated before the period ended, and not closed before it began. */
static gboolean
in_period (SabanReportBuilder        *b,
           const SabanReportScenario *s)
{
  return s->activated_us != 0 && s->activated_us <= b->to_us && (s->closed_us == 0 || s->closed_us >= b->from_us);
}

static void
add_scenario_row (SabanReportBuilder        *b,
                  SabanReportTable          *table,
                  const SabanReportScenario *s,
                  const ScenarioFigures     *f,
                  guint                      number)
{
  GPtrArray *row = saban_report_table_add_row (table, FALSE);

  saban_report_row_add_number (row, count_text (number), number);
  saban_report_row_add_text (row, s->title);
  saban_report_row_add_text (row, label (b, "emergencies", "status", s->status));
  saban_report_row_add_text (row, label (b, "emergencies", "severity", s->severity));
  saban_report_row_add_number (row, g_strdup_printf ("%u/%u", f->done, f->total), f->done);
  saban_report_row_add_number (row, count_text (f->overdue), f->overdue);
  saban_report_row_add_number (row, isnan (f->affected) ? g_strdup ("–") : saban_report_builder_number (b, f->affected, 0),
                               f->affected);
  if (f->open > 0 && (g_strcmp0 (s->status, "active") == 0 || g_strcmp0 (s->status, "suspended") == 0))
    {
      g_autofree char *open = count_text (f->open), *overdue = count_text (f->overdue);

      g_ptr_array_add (b->direction,
                       saban_report_template_expand (b->tpl, "direction", "scenario_open",
                                                     (const char *const[]) { "title", s->title, "open", open,
                                                                             "overdue", overdue, NULL }));
    }
}

/* The tasks' outcomes written in the period, newest first up to the template's bound. */
static void
add_outcomes (SabanReportBuilder *b,
              GHashTable         *titles)
{
  GArray *tasks = saban_report_data_get_tasks (b->data);
  int left = saban_report_template_get_int (b->tpl, "emergencies", "outcomes_max", 8);
  gboolean titled = FALSE;

  for (guint i = tasks->len; i-- > 0 && left > 0;)
    {
      const SabanReportTask *t = &g_array_index (tasks, SabanReportTask, i);
      const char *scenario = g_hash_table_lookup (titles, &t->scenario_id);

      if (scenario == NULL || t->outcome == NULL || *t->outcome == '\0')
        continue;
      if (!titled)
        saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_PARAGRAPH, "emergencies", "outcomes_title", NULL);
      titled = TRUE;
      left--;
      saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_ITEM, "emergencies", "outcome",
                                     (const char *const[]) { "scenario", scenario, "task", t->title, "outcome",
                                                             t->outcome, NULL });
    }
}

/**
 * saban_report_build_emergencies:
 *
 * The [emergencies] section: the scenarios active at any time in the
 * period, with their tasks' progress, late tasks and people affected.
 */
void
saban_report_build_emergencies (SabanReportBuilder *b)
{
  GArray *scenarios = saban_report_data_get_scenarios (b->data);
  g_autoptr(GHashTable) titles = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  ScenarioFigures sum = { .affected = 0 };
  g_autofree ScenarioFigures *figures = g_new0 (ScenarioFigures, MAX (scenarios->len, 1));
  SabanReportTable *table;

  saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_HEADING, "emergencies", "title", NULL);
  for (guint i = 0; i < scenarios->len; i++)
    {
      const SabanReportScenario *s = &g_array_index (scenarios, SabanReportScenario, i);

      if (!in_period (b, s))
        continue;
      figures[rows->len] = scenario_figures (b, s);
      sum.total += figures[rows->len].total;
      sum.done += figures[rows->len].done;
      sum.overdue += figures[rows->len].overdue;
      sum.affected += isnan (figures[rows->len].affected) ? 0 : figures[rows->len].affected;
      g_hash_table_insert (titles, (gpointer) &s->id, s->title);
      g_ptr_array_add (rows, (gpointer) s);
    }
  if (rows->len == 0)
    saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_PARAGRAPH, "emergencies", "none", NULL);
  else
    {
      g_autofree char *count = count_text (rows->len), *tasks = count_text (sum.total);
      g_autofree char *done = count_text (sum.done), *overdue = count_text (sum.overdue);
      g_autofree char *affected = saban_report_builder_number (b, sum.affected, 0);

      saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_PARAGRAPH, "emergencies", "intro",
                                     (const char *const[]) { "count", count, "tasks", tasks, "done", done, "overdue",
                                                             overdue, "affected", affected, NULL });
      table = saban_report_builder_add_table (b, "emergencies", "columns", "sheet", scenario_widths);
      for (guint i = 0; i < rows->len; i++)
        add_scenario_row (b, table, g_ptr_array_index (rows, i), &figures[i], i + 1);
      add_outcomes (b, titles);
    }
  saban_report_builder_add_source (b, "emergencies", SABAN_REPORT_SCENARIOS);
}

/* ---- alarms ------------------------------------------------------------------------ */

static int
compare_sent_desc (gconstpointer a,
                   gconstpointer b)
{
  const SabanReportAlert *x = *(const SabanReportAlert *const *) a, *y = *(const SabanReportAlert *const *) b;

  return (x->sent_us < y->sent_us) - (x->sent_us > y->sent_us);
}

/* CAP's severity, "Unknown" for anything else */
static const char *
severity_of (const SabanReportAlert *a)
{
  return a->severity != NULL && g_strv_contains (severities, a->severity) ? a->severity : "Unknown";
}

/* "2 bản tin mức Nghiêm trọng, 1 bản tin mức Trung bình" */
static char *
by_severity (SabanReportBuilder *b,
             GPtrArray          *alerts)
{
  GString *out = g_string_new (NULL);

  for (guint k = 0; severities[k] != NULL; k++)
    {
      guint n = 0;
      g_autofree char *count = NULL, *item = NULL;

      for (guint i = 0; i < alerts->len; i++)
        n += g_str_equal (severity_of (g_ptr_array_index (alerts, i)), severities[k]);
      if (n == 0)
        continue;
      count = count_text (n);
      item = saban_report_template_expand (b->tpl, "alarms", "severity_item",
                                           (const char *const[]) { "count", count, "severity",
                                                                   label (b, "emergencies", "severity", severities[k]),
                                                                   NULL });
      g_string_append_printf (out, "%s%s", out->len ? ", " : "", item);
    }
  return g_string_free (out, FALSE);
}

/**
 * saban_report_build_alarms:
 *
 * The [alarms] section: the CAP alerts sent in the period, counted by
 * severity, the newest listed.
 */
void
saban_report_build_alarms (SabanReportBuilder *b)
{
  GArray *all = saban_report_data_get_alerts (b->data);
  g_autoptr(GPtrArray) alerts = g_ptr_array_new ();
  int max = saban_report_template_get_int (b->tpl, "alarms", "rows_max", 15);
  SabanReportTable *table;

  saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_HEADING, "alarms", "title", NULL);
  for (guint i = 0; i < all->len; i++)
    {
      SabanReportAlert *a = &g_array_index (all, SabanReportAlert, i);

      if (a->sent_us >= b->from_us && a->sent_us <= b->to_us)
        g_ptr_array_add (alerts, a);
    }
  g_ptr_array_sort (alerts, compare_sent_desc);
  if (alerts->len == 0)
    saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_PARAGRAPH, "alarms", "none", NULL);
  else
    {
      g_autofree char *count = count_text (alerts->len), *severity = by_severity (b, alerts);

      saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_PARAGRAPH, "alarms", "intro",
                                     (const char *const[]) { "count", count, "by_severity", severity, NULL });
      table = saban_report_builder_add_table (b, "alarms", "columns", "sheet", alert_widths);
      for (guint i = 0; i < alerts->len && (int) i < max; i++)
        {
          const SabanReportAlert *a = g_ptr_array_index (alerts, i);
          GPtrArray *row = saban_report_table_add_row (table, FALSE);

          saban_report_row_add_number (row, count_text (i + 1), i + 1);
          saban_report_row_add_text (row, saban_report_builder_time (b, a->sent_us));
          saban_report_row_add_text (row, a->headline != NULL ? a->headline : a->event);
          saban_report_row_add_text (row, a->area);
          saban_report_row_add_text (row, label (b, "emergencies", "severity", severity_of (a)));
        }
    }
  saban_report_builder_add_source (b, "alarms", SABAN_REPORT_ALERTS);
}

/* ---- citizens' reports ----------------------------------------------------------------- */

typedef struct
{
  char  *name;
  guint  received, resolved, on_time, overdue;
} Tally;

static void
tally_free (gpointer data)
{
  Tally *t = data;

  g_free (t->name);
  g_free (t);
}

static Tally *
tally_for (GHashTable *tallies,
           const char *name)
{
  Tally *t = g_hash_table_lookup (tallies, name);

  if (t == NULL)
    {
      t = g_new0 (Tally, 1);
      t->name = g_strdup (name);
      g_hash_table_insert (tallies, t->name, t);
    }
  return t;
}

/* A request's deadline: its own, or the template's time limit for its service. */
static gint64
due_of (SabanReportBuilder       *b,
        const SabanReportRequest *r)
{
  g_autofree char *key = g_strconcat ("sla.", r->service_code, NULL);
  int hours = saban_report_template_get_int (b->tpl, "feedback", key,
                                             saban_report_template_get_int (b->tpl, "feedback", "sla_hours", 72));

  return r->expected_us != 0 ? r->expected_us : r->requested_us + (gint64) hours * 3600 * G_USEC_PER_SEC;
}

static void
count_request (SabanReportBuilder       *b,
               const SabanReportRequest *r,
               Tally                   **into,
               guint                     n_into)
{
  gint64 due = due_of (b, r);
  gboolean resolved = g_strcmp0 (r->status, "closed") == 0;

  for (guint i = 0; i < n_into; i++)
    {
      into[i]->received++;
      into[i]->resolved += resolved;
      into[i]->on_time += resolved && r->updated_us <= due;
      into[i]->overdue += !resolved && b->now_us > due;
    }
}

/* The table's tallies in a list to sort (GLib 2.74 has no get_values_as_ptr_array). */
static GPtrArray *
tallies_of (GHashTable *tallies)
{
  GPtrArray *list = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, tallies);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (list, value);
  return list;
}

static int
compare_received (gconstpointer a,
                  gconstpointer b)
{
  const Tally *x = *(const Tally *const *) a, *y = *(const Tally *const *) b;

  if (x->received != y->received)
    return x->received > y->received ? -1 : 1;
  return g_strcmp0 (x->name, y->name);
}

static int
compare_overdue (gconstpointer a,
                 gconstpointer b)
{
  const Tally *x = *(const Tally *const *) a, *y = *(const Tally *const *) b;

  if (x->overdue != y->overdue)
    return x->overdue > y->overdue ? -1 : 1;
  return g_strcmp0 (x->name, y->name);
}

static void
add_tally_row (SabanReportBuilder *b,
               SabanReportTable   *table,
               const Tally        *t,
               guint               number)
{
  GPtrArray *row = saban_report_table_add_row (table, number == 0);

  saban_report_row_add_number (row, number > 0 ? count_text (number) : g_strdup (""), number > 0 ? number : NAN);
  saban_report_row_add_text (row, t->name);
  saban_report_row_add_number (row, count_text (t->received), t->received);
  saban_report_row_add_number (row, count_text (t->resolved), t->resolved);
  saban_report_row_add_number (row, count_text (t->on_time), t->on_time);
  saban_report_row_add_number (row, saban_report_builder_ratio (b, t->on_time, t->resolved),
                               t->resolved > 0 ? 100.0 * t->on_time / t->resolved : NAN);
}

/* One table of tallies, largest first, at most @max rows, and the total (when given) last. */
static void
add_tallies (SabanReportBuilder *b,
             GHashTable         *tallies,
             const char         *title_key,
             const char         *columns_key,
             const char         *sheet_key,
             int                 max,
             const Tally        *total)
{
  g_autoptr(GPtrArray) list = tallies_of (tallies);
  SabanReportTable *table;

  g_ptr_array_sort (list, compare_received);
  saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_PARAGRAPH, "feedback", title_key, NULL);
  table = saban_report_builder_add_table (b, "feedback", columns_key, sheet_key, feedback_widths);
  for (guint i = 0; i < list->len && (max < 0 || (int) i < max); i++)
    add_tally_row (b, table, g_ptr_array_index (list, i), i + 1);
  if (total != NULL)
    add_tally_row (b, table, total, 0);
}

/* "Xã A (3), Xã B (2)": the communes with most overdue requests. */
static void
add_overdue_direction (SabanReportBuilder *b,
                       GHashTable         *communes,
                       const Tally        *total)
{
  g_autoptr(GPtrArray) list = tallies_of (communes);
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *overdue = count_text (total->overdue);

  if (total->overdue == 0)
    return;
  g_ptr_array_sort (list, compare_overdue);
  for (guint i = 0; i < list->len && i < 3; i++)
    {
      const Tally *t = g_ptr_array_index (list, i);

      if (t->overdue > 0)
        g_string_append_printf (names, "%s%s (%u)", names->len ? ", " : "", t->name, t->overdue);
    }
  g_ptr_array_add (b->direction,
                   saban_report_template_expand (b->tpl, "direction", "feedback_overdue",
                                                 (const char *const[]) { "overdue", overdue, "communes", names->str,
                                                                         NULL }));
}

static void
add_feedback_intro (SabanReportBuilder *b,
                    const Tally        *total)
{
  g_autofree char *received = count_text (total->received), *resolved = count_text (total->resolved);
  g_autofree char *on_time = count_text (total->on_time), *open = count_text (total->received - total->resolved);
  g_autofree char *overdue = count_text (total->overdue);
  g_autofree char *resolved_ratio = saban_report_builder_ratio (b, total->resolved, total->received);
  g_autofree char *on_time_ratio = saban_report_builder_ratio (b, total->on_time, total->resolved);

  saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_PARAGRAPH, "feedback", "intro",
                                 (const char *const[]) { "received", received, "resolved", resolved, "resolved_ratio",
                                                         resolved_ratio, "on_time", on_time, "on_time_ratio",
                                                         on_time_ratio, "open", open, "overdue", overdue, NULL });
}

/**
 * saban_report_build_feedback:
 *
 * The [feedback] section: the requests received in the period — resolved,
 * on time (closed by their deadline: their own, or the template's time
 * limit), still open and overdue — by sector (the service's group) and by
 * commune (the one holding the request's place).
 */
void
saban_report_build_feedback (SabanReportBuilder *b)
{
  GArray *requests = saban_report_data_get_requests (b->data), *areas = saban_report_data_get_areas (b->data);
  g_autoptr(GHashTable) sectors = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, tally_free);
  g_autoptr(GHashTable) communes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, tally_free);
  Tally total = { .name = (char *) saban_report_template_get (b->tpl, "feedback", "total") };

  saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_HEADING, "feedback", "title", NULL);
  for (guint i = 0; i < requests->len; i++)
    {
      const SabanReportRequest *r = &g_array_index (requests, SabanReportRequest, i);
      int area = saban_report_data_area_at (b->data, r->lon, r->lat);
      Tally *into[3];

      if (r->requested_us < b->from_us || r->requested_us > b->to_us)
        continue;
      into[0] = &total;
      into[1] = tally_for (sectors, r->group != NULL ? r->group : r->service_name != NULL ? r->service_name
                                                                                           : r->service_code);
      into[2] = tally_for (communes, area >= 0 ? g_array_index (areas, SabanReportArea, area).name
                                               : saban_report_template_get (b->tpl, "feedback", "unknown_commune"));
      count_request (b, r, into, 3);
    }
  if (total.received == 0)
    saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_PARAGRAPH, "feedback", "none", NULL);
  else
    {
      add_feedback_intro (b, &total);
      add_tallies (b, sectors, "sector_title", "columns_sector", "sheet_sector", -1, &total);
      add_tallies (b, communes, "commune_title", "columns_commune", "sheet_commune",
                   saban_report_template_get_int (b->tpl, "feedback", "communes_max", 10), NULL);
      add_overdue_direction (b, communes, &total);
    }
  saban_report_builder_add_source (b, "feedback", SABAN_REPORT_REQUESTS);
}
