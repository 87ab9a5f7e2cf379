/* The indicator model on hand-made catalogues whose answers are worked out
 * by hand: periods, aggregation, changes, states, freshness, classes,
 * rankings, and hostile JSON left out piece by piece. */
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "saban-format.h"
#include "saban-indicator-figures.h"
#include "saban-indicator-set.h"
#include "saban-error.h"
#include "saban-json.h"

static void
test_period_parse (void)
{
  static const struct { const char *text; SabanPeriodKind kind; const char *canonical, *label; } good[] = {
    { "2026", SABAN_PERIOD_YEAR, "2026", "year 2026" },
    { "2026-Q3", SABAN_PERIOD_QUARTER, "2026-Q3", "quarter III/2026" },
    { "2026-q1", SABAN_PERIOD_QUARTER, "2026-Q1", "quarter I/2026" },
    { "2026-11", SABAN_PERIOD_MONTH, "2026-11", "month 11/2026" },
    { "2026-11-06", SABAN_PERIOD_DAY, "2026-11-06", "06/11/2026" },
    { "2024-02-29", SABAN_PERIOD_DAY, "2024-02-29", "29/02/2024" },
  };
  static const char *const bad[] = { "", "26", "2026-13", "2026-00", "2026-Q0", "2026-Q5", "2026-1", "2026-02-30",
                                     "2025-02-29", " 2026", "2026 ", "2026/11", "1899", "2201-01", "２０２６",
                                     "2026-11-06T00:00", "2026-11-6" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      SabanPeriod p;
      g_autofree char *text = NULL, *label = NULL;

      g_assert_true (saban_period_parse (good[i].text, &p));
      g_assert_cmpint (p.kind, ==, good[i].kind);
      text = saban_period_to_string (&p);
      label = saban_period_format (&p);
      g_assert_cmpstr (text, ==, good[i].canonical);
      g_assert_cmpstr (label, ==, good[i].label);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      SabanPeriod p;

      g_assert_false (saban_period_parse (bad[i], &p));
    }
}

static void
test_period_arithmetic (void)
{
  static const struct { const char *text, *next, *prev, *year_ago, *start, *end; } cases[] = {
    { "2026-12", "2027-01", "2026-11", "2025-12", "2026-12-01", "2026-12-31" },
    { "2026-Q1", "2026-Q2", "2025-Q4", "2025-Q1", "2026-01-01", "2026-03-31" },
    { "2024", "2025", "2023", "2023", "2024-01-01", "2024-12-31" },
    { "2024-02-29", "2024-03-01", "2024-02-28", "2023-02-28", "2024-02-29", "2024-02-29" },
    { "2024-02", "2024-03", "2024-01", "2023-02", "2024-02-01", "2024-02-29" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SabanPeriod p, next, prev, year;
      GDate start, end;
      g_autofree char *n = NULL, *b = NULL, *y = NULL, *s = NULL, *e = NULL;

      g_assert_true (saban_period_parse (cases[i].text, &p));
      next = saban_period_offset (&p, 1);
      prev = saban_period_offset (&p, -1);
      year = saban_period_year_before (&p);
      n = saban_period_to_string (&next);
      b = saban_period_to_string (&prev);
      y = saban_period_to_string (&year);
      g_assert_cmpstr (n, ==, cases[i].next);
      g_assert_cmpstr (b, ==, cases[i].prev);
      g_assert_cmpstr (y, ==, cases[i].year_ago);
      saban_period_get_start (&p, &start);
      saban_period_get_end (&p, &end);
      s = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&start), g_date_get_month (&start),
                           g_date_get_day (&start));
      e = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&end), g_date_get_month (&end), g_date_get_day (&end));
      g_assert_cmpstr (s, ==, cases[i].start);
      g_assert_cmpstr (e, ==, cases[i].end);
      {
        SabanPeriod back = saban_period_containing (p.kind, &end);

        g_assert_cmpint (back.ordinal, ==, p.ordinal);
      }
    }
}

/* Three communes of 100, 300 and 600 people. */
static const char catalogue_json[] =
  "{\"generated\":\"2026-12-06T03:00:00.000Z\","
  " \"province\":{\"code\":\"15\",\"name\":\"Lào Cai\",\"population\":1000},"
  " \"communes\":[{\"code\":\"A\",\"name\":\"Xã A\",\"population\":100},"
  "               {\"code\":\"B\",\"name\":\"Xã B\",\"population\":300},"
  "               {\"code\":\"C\",\"name\":\"Phường C\",\"population\":600},"
  "               {\"code\":\"A\",\"name\":\"again\"}, {\"name\":\"no code\"}],"
  " \"indicators\":["
  "  {\"code\":\"RICE\",\"name\":\"Sản lượng lúa\",\"unit\":\"tấn\",\"period\":\"month\",\"aggregate\":\"sum\","
  "   \"higherIsBetter\":true,\"target\":55,\"dueDays\":12,\"sector\":\"Nông nghiệp\"},"
  "  {\"code\":\"RATE\",\"name\":\"Tỷ lệ đúng hạn\",\"unit\":\"%\",\"period\":\"month\",\"aggregate\":\"mean\","
  "   \"higherIsBetter\":true,\"target\":20,\"warning\":15},"
  "  {\"code\":\"POOR\",\"name\":\"Tỷ lệ hộ nghèo\",\"unit\":\"%\",\"period\":\"month\",\"aggregate\":\"weighted\","
  "   \"higherIsBetter\":false,\"target\":20,\"warning\":24},"
  "  {\"code\":\"BAD1\",\"name\":\"x\",\"unit\":\"x\",\"period\":\"fortnight\",\"aggregate\":\"sum\",\"higherIsBetter\":true},"
  "  {\"code\":\"BAD2\",\"name\":\"x\",\"unit\":\"x\",\"period\":\"month\",\"aggregate\":\"sum\",\"higherIsBetter\":\"yes\"},"
  "  {\"code\":\"RICE\",\"name\":\"twice\",\"unit\":\"t\",\"period\":\"month\",\"aggregate\":\"sum\",\"higherIsBetter\":true},"
  "  {\"code\":\"Q\",\"name\":\"Quý\",\"unit\":\"tỷ đồng\",\"period\":\"quarter\",\"aggregate\":\"sum\",\"higherIsBetter\":true},"
  "  7]}";

/* The columns come in another order than the catalogue's, with one unknown commune. */
static const char values_json[] =
  "{\"generated\":\"2026-12-06T03:00:00.000Z\",\"communes\":[\"C\",\"X\",\"A\",\"B\"],"
  " \"series\":["
  "  {\"indicator\":\"RICE\",\"periods\":[\"2026-11\",\"2025-11\",\"2026-10\"],"
  "   \"values\":[[30,999,10,20],[24,0,8,16],[33,1,9,18]],\"province\":[61,null,null],"
  "   \"uploadedAt\":[\"2026-12-01T02:00:00.000Z\",null,null],\"uploadedBy\":[\"so-nn\",null,null]},"
  "  {\"indicator\":\"RATE\",\"periods\":[\"2026-11\"],\"values\":[[30,0,10,20]]},"
  "  {\"indicator\":\"POOR\",\"periods\":[\"2026-11\",\"2026-10\"],\"values\":[[30,0,10,20],[null,0,10,20]]},"
  "  {\"indicator\":\"Q\",\"periods\":[\"2026-11\"],\"values\":[[1,1,1,1]]},"
  "  {\"indicator\":\"NOPE\",\"periods\":[\"2026-11\"],\"values\":[[1,1,1,1]]},"
  "  {\"indicator\":\"RATE\",\"periods\":[\"2026-10\"],\"values\":[[1,1,1,1]]}"
  " ]}";

static SabanIndicatorSet *
load (const char *catalogue,
      const char *values)
{
  g_autoptr(JsonNode) c = saban_json_parse (catalogue, -1, NULL);
  g_autoptr(JsonNode) v = saban_json_parse (values, -1, NULL);
  g_autoptr(GError) error = NULL;
  SabanIndicatorSet *set;

  g_assert_nonnull (c);
  g_assert_nonnull (v);
  set = saban_indicator_set_new_from_json (c, v, &error);
  g_assert_no_error (error);
  return set;
}

static SabanPeriod
period (const char *text)
{
  SabanPeriod p;

  g_assert_true (saban_period_parse (text, &p));
  return p;
}

static guint
indicator (SabanIndicatorSet *set,
           const char        *code)
{
  guint i;

  g_assert_true (saban_indicator_set_find (set, code, &i));
  return i;
}

static void
test_catalogue (void)
{
  g_autoptr(SabanIndicatorSet) set = load (catalogue_json, values_json);
  const SabanIndicator *rice;
  guint c;

  /* the duplicate and nameless communes, the bad and duplicate indicators are left out */
  g_assert_cmpuint (saban_indicator_set_get_n_communes (set), ==, 3);
  g_assert_cmpuint (saban_indicator_set_get_n_indicators (set), ==, 4);
  g_assert_true (saban_indicator_set_find_commune (set, "C", &c));
  g_assert_cmpuint (c, ==, 2);
  g_assert_cmpstr (saban_indicator_set_get_province (set)->name, ==, "Lào Cai");
  rice = saban_indicator_set_get_indicator (set, indicator (set, "RICE"));
  g_assert_cmpstr (rice->name, ==, "Sản lượng lúa");
  g_assert_cmpint (rice->due_days, ==, 12);
  g_assert_true (rice->has_last_period);
  g_assert_cmpint (rice->last_period.ordinal, ==, period ("2026-11").ordinal);
  g_assert_cmpint (saban_indicator_set_get_taken_at (set), ==, G_GINT64_CONSTANT (1796526000) * G_USEC_PER_SEC);
  /* a quarter's default due days */
  g_assert_cmpint (saban_indicator_set_get_indicator (set, indicator (set, "Q"))->due_days, ==, 15);
}

static void
test_aggregation (void)
{
  g_autoptr(SabanIndicatorSet) set = load (catalogue_json, values_json);
  SabanPeriod nov = period ("2026-11"), oct = period ("2026-10");
  double uploaded, aggregate;

  /* sum 10 + 20 + 30; mean; weighted (10·100 + 20·300 + 30·600) / 1000 */
  g_assert_cmpfloat (saban_indicator_set_get_aggregate (set, indicator (set, "RICE"), &nov), ==, 60);
  g_assert_cmpfloat (saban_indicator_set_get_aggregate (set, indicator (set, "RATE"), &nov), ==, 20);
  g_assert_cmpfloat (saban_indicator_set_get_aggregate (set, indicator (set, "POOR"), &nov), ==, 25);
  /* a commune without a value is left out of the weights: (10·100 + 20·300) / 400 */
  g_assert_cmpfloat (saban_indicator_set_get_aggregate (set, indicator (set, "POOR"), &oct), ==, 17.5);
  /* the department's own province figure wins over the aggregate, and the check sees it differ */
  g_assert_cmpfloat (saban_indicator_set_get_value (set, indicator (set, "RICE"), SABAN_PROVINCE, &nov), ==, 61);
  g_assert_true (saban_indicator_set_check_province (set, indicator (set, "RICE"), &nov, 0.005, &uploaded, &aggregate));
  g_assert_cmpfloat (uploaded, ==, 61);
  g_assert_cmpfloat (aggregate, ==, 60);
  g_assert_false (saban_indicator_set_check_province (set, indicator (set, "RICE"), &nov, 0.02, NULL, NULL));
  g_assert_false (saban_indicator_set_check_province (set, indicator (set, "RATE"), &nov, 0.005, NULL, NULL));
  /* the pure function the server shares */
  {
    const double v[] = { 1, NAN, 3 }, w[] = { 1, 1, 3 };

    g_assert_cmpfloat (saban_aggregate_values (SABAN_AGGREGATE_SUM, v, NULL, 3), ==, 4);
    g_assert_cmpfloat (saban_aggregate_values (SABAN_AGGREGATE_MEAN, v, NULL, 3), ==, 2);
    g_assert_cmpfloat (saban_aggregate_values (SABAN_AGGREGATE_POPULATION_WEIGHTED, v, w, 3), ==, 2.5);
    g_assert_true (isnan (saban_aggregate_values (SABAN_AGGREGATE_POPULATION_WEIGHTED, v, NULL, 3)));
    g_assert_true (isnan (saban_aggregate_values (SABAN_AGGREGATE_SUM, v + 1, NULL, 1)));
  }
}

static void
test_summary (void)
{
  g_autoptr(SabanIndicatorSet) set = load (catalogue_json, values_json);
  SabanPeriod nov = period ("2026-11");
  SabanIndicatorSummary s;
  gint64 at;

  /* province: 61 (uploaded) against 60 (October, aggregated) and 48 (a year before) */
  saban_indicator_set_summarise (set, indicator (set, "RICE"), SABAN_PROVINCE, &nov, &s);
  g_assert_cmpfloat (s.value, ==, 61);
  g_assert_cmpfloat (s.previous, ==, 60);
  g_assert_cmpfloat (s.year_ago, ==, 48);
  g_assert_cmpfloat (s.change, ==, 1);
  g_assert_cmpfloat (fabs (s.change_ratio - 1.0 / 60), <, 1e-12);
  g_assert_cmpfloat (s.change_year, ==, 13);
  g_assert_cmpfloat (fabs (s.progress - 61.0 / 55), <, 1e-12);
  g_assert_cmpint (s.state, ==, SABAN_INDICATOR_STATE_GOOD);
  /* a commune of a sum: no state (the target is the province's) */
  saban_indicator_set_summarise (set, indicator (set, "RICE"), 0, &nov, &s);
  g_assert_cmpfloat (s.value, ==, 10);
  g_assert_cmpfloat (s.previous, ==, 9);
  g_assert_cmpint (s.state, ==, SABAN_INDICATOR_STATE_NONE);
  /* a mean: commune A at 10 is under the warning 15; C at 30 meets 20; the province at 20 too */
  saban_indicator_set_summarise (set, indicator (set, "RATE"), 0, &nov, &s);
  g_assert_cmpint (s.state, ==, SABAN_INDICATOR_STATE_BAD);
  g_assert_true (isnan (s.previous));
  g_assert_true (isnan (s.change_ratio));
  saban_indicator_set_summarise (set, indicator (set, "RATE"), 2, &nov, &s);
  g_assert_cmpint (s.state, ==, SABAN_INDICATOR_STATE_GOOD);
  /* lower is better: B at 20 meets the target, C at 30 is past the warning 24, the province at 25 too */
  saban_indicator_set_summarise (set, indicator (set, "POOR"), 1, &nov, &s);
  g_assert_cmpint (s.state, ==, SABAN_INDICATOR_STATE_GOOD);
  saban_indicator_set_summarise (set, indicator (set, "POOR"), SABAN_PROVINCE, &nov, &s);
  g_assert_cmpint (s.state, ==, SABAN_INDICATOR_STATE_BAD);
  /* who and when */
  g_assert_cmpstr (saban_indicator_set_get_upload (set, indicator (set, "RICE"), &nov, &at), ==, "so-nn");
  g_assert_cmpint (at, ==, G_GINT64_CONSTANT (1796090400) * G_USEC_PER_SEC);
}

static void
test_judge (void)
{
  SabanIndicator up = { .higher_is_better = TRUE, .target = 100, .warning = NAN };
  SabanIndicator down = { .higher_is_better = FALSE, .target = 5, .warning = 6 };
  SabanIndicator none = { .higher_is_better = TRUE, .target = NAN, .warning = NAN };

  /* the default warning: 10 % short of the target */
  g_assert_cmpint (saban_indicator_judge (&up, 100), ==, SABAN_INDICATOR_STATE_GOOD);
  g_assert_cmpint (saban_indicator_judge (&up, 90), ==, SABAN_INDICATOR_STATE_WARNING);
  g_assert_cmpint (saban_indicator_judge (&up, 89.9), ==, SABAN_INDICATOR_STATE_BAD);
  g_assert_cmpint (saban_indicator_judge (&down, 5), ==, SABAN_INDICATOR_STATE_GOOD);
  g_assert_cmpint (saban_indicator_judge (&down, 6), ==, SABAN_INDICATOR_STATE_WARNING);
  g_assert_cmpint (saban_indicator_judge (&down, 6.1), ==, SABAN_INDICATOR_STATE_BAD);
  g_assert_cmpint (saban_indicator_judge (&none, 1), ==, SABAN_INDICATOR_STATE_NONE);
  g_assert_cmpint (saban_indicator_judge (&up, NAN), ==, SABAN_INDICATOR_STATE_NONE);
}

static void
test_freshness (void)
{
  SabanIndicator ind = { .period_kind = SABAN_PERIOD_MONTH, .due_days = 12, .has_last_period = TRUE,
                         .last_period = period ("2026-09") };
  SabanIndicator quarterly = { .period_kind = SABAN_PERIOD_QUARTER, .due_days = 15, .has_last_period = TRUE,
                               .last_period = period ("2026-Q3") };
  SabanIndicator empty = { .period_kind = SABAN_PERIOD_MONTH, .due_days = 12 };
  GDate today, due;
  g_autofree char *late = NULL, *fine = NULL, *nothing = NULL;

  /* October's value was due 12/11/2026: on 24/11 it is 12 days late */
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 24, 11, 2026);
  g_assert_true (saban_indicator_next_due (&ind, &due));
  g_assert_cmpint (g_date_get_day (&due), ==, 12);
  g_assert_cmpint (g_date_get_month (&due), ==, 11);
  g_assert_cmpint (saban_indicator_overdue_days (&ind, &today), ==, 12);
  late = saban_indicator_format_freshness (&ind, &today);
  g_assert_cmpstr (late, ==, "update overdue by 12 days");
  /* Q4's value is due 15/01/2027 */
  g_assert_cmpint (saban_indicator_overdue_days (&quarterly, &today), ==, 0);
  fine = saban_indicator_format_freshness (&quarterly, &today);
  g_assert_cmpstr (fine, ==, "next update due 15/01/2027");
  g_assert_false (saban_indicator_next_due (&empty, &due));
  g_assert_cmpint (saban_indicator_overdue_days (&empty, &today), ==, 0);
  nothing = saban_indicator_format_freshness (&empty, &today);
  g_assert_cmpstr (nothing, ==, "no data yet");

  if (setlocale (LC_ALL, "vi_VN.UTF-8") == NULL)
    return;
  g_setenv ("LANGUAGE", "vi", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SABAN_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  {
    g_autofree char *vi = saban_indicator_format_freshness (&ind, &today);
    g_autofree char *label = NULL;
    SabanPeriod q = period ("2026-Q3");

    label = saban_period_format (&q);
    g_assert_cmpstr (vi, ==, "quá hạn cập nhật 12 ngày");
    g_assert_cmpstr (label, ==, "quý III/2026");
  }
  setlocale (LC_ALL, "C");
  g_unsetenv ("LANGUAGE");
}

static void
test_classes_and_rank (void)
{
  g_autoptr(SabanIndicatorSet) set = load (catalogue_json, values_json);
  SabanPeriod nov = period ("2026-11"), sep = period ("2026-09");
  guint8 classes[3];
  g_autoptr(GArray) breaks = saban_indicator_set_classify (set, indicator (set, "RICE"), &nov, 3,
                                                           SABAN_CLASSIFY_QUANTILE, classes);
  g_autoptr(GArray) none = saban_indicator_set_classify (set, indicator (set, "RICE"), &sep, 3,
                                                         SABAN_CLASSIFY_QUANTILE, classes);
  g_autoptr(GArray) best = saban_indicator_set_rank (set, indicator (set, "RICE"), &nov);
  g_autoptr(GArray) least_poor = saban_indicator_set_rank (set, indicator (set, "POOR"), &nov);
  guint8 again[3];
  g_autoptr(GArray) b2 = saban_indicator_set_classify (set, indicator (set, "RICE"), &nov, 3,
                                                       SABAN_CLASSIFY_QUANTILE, again);

  g_assert_cmpuint (breaks->len, ==, 3);
  g_assert_cmpfloat (g_array_index (breaks, double, 2), ==, 30);
  g_assert_cmpuint (again[0], ==, 0);
  g_assert_cmpuint (again[1], ==, 1);
  g_assert_cmpuint (again[2], ==, 2);
  /* a period with nothing held: no breaks, every commune unclassed */
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (classes[0], ==, SABAN_NO_CLASS);
  /* most rice first; least poverty first */
  g_assert_cmpuint (best->len, ==, 3);
  g_assert_cmpuint (g_array_index (best, guint, 0), ==, 2);
  g_assert_cmpuint (g_array_index (best, guint, 2), ==, 0);
  g_assert_cmpuint (g_array_index (least_poor, guint, 0), ==, 0);
}

/* A bad series is left out, its indicator kept with no values; a bad answer is an error. */
static void
test_hostile (void)
{
  g_autoptr(SabanIndicatorSet) set = NULL;
  g_autoptr(JsonNode) list = saban_json_parse ("[1,2]", -1, NULL);
  g_autoptr(JsonNode) c = saban_json_parse (catalogue_json, -1, NULL);
  g_autoptr(GError) error = NULL;
  SabanPeriod nov = period ("2026-11"), first;
  guint n;
  static const char bad_values[] =
    "{\"communes\":[\"A\",\"B\",\"C\"],\"series\":["
    " {\"indicator\":\"RICE\",\"periods\":[\"2026-Q4\"],\"values\":[[1,2,3]]},"
    " {\"indicator\":\"RATE\",\"periods\":[\"2026-11\"],\"values\":[[1,2]]},"
    " {\"indicator\":\"POOR\",\"periods\":[\"2026-11\",\"1900-01\"],\"values\":[[1,2,3],[1,2,3]]},"
    " {\"indicator\":\"Q\",\"periods\":[\"2026-Q4\"],\"values\":[[1,\"2\",1e999]]},"
    " \"x\"]}";

  g_assert_null (saban_indicator_set_new_from_json (list, list, &error));
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_null (saban_indicator_set_new_from_json (c, list, &error));
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_PARSE);

  set = load (catalogue_json, bad_values);
  g_assert_false (saban_indicator_set_get_span (set, indicator (set, "RICE"), &first, &n));
  g_assert_false (saban_indicator_set_get_span (set, indicator (set, "RATE"), &first, &n));
  g_assert_true (isnan (saban_indicator_set_get_value (set, indicator (set, "RATE"), 0, &nov)));
  /* 1900-01 to 2026-11 is 1 523 months × 4 columns: within bounds, so kept */
  g_assert_true (saban_indicator_set_get_span (set, indicator (set, "POOR"), &first, &n));
  g_assert_cmpuint (n, ==, 2026 * 12 + 10 - 1900 * 12 + 1);
  /* a string and an overflowing number are no values */
  {
    SabanPeriod q4 = period ("2026-Q4");

    g_assert_cmpfloat (saban_indicator_set_get_value (set, indicator (set, "Q"), 0, &q4), ==, 1);
    g_assert_true (isnan (saban_indicator_set_get_value (set, indicator (set, "Q"), 1, &q4)));
    g_assert_true (isnan (saban_indicator_set_get_value (set, indicator (set, "Q"), 2, &q4)));
  }
}

/* How the desk words figures: decimals, changes in points or as ratios. */
static void
test_wording (void)
{
  g_autofree char *ratio = saban_indicator_format_change (1, 1.0 / 60, "tấn");
  g_autofree char *points = saban_indicator_format_change (-2, -0.1, "%");
  g_autofree char *zero = saban_indicator_format_change (0.0001, 0.000001, "tấn");
  g_autofree char *none = saban_indicator_format_change (NAN, NAN, "tấn");
  g_autofree char *one_seven = saban_format_number (1.7, 1);
  g_autofree char *two = saban_format_number (2, 1);
  g_autofree char *nought = saban_format_number (0, 1);
  g_autofree char *expect_ratio = g_strdup_printf ("+%s %%", one_seven);
  g_autofree char *expect_zero = g_strdup_printf ("%s %%", nought);
  g_autofree char *value = saban_indicator_format_value (4503.9999999999, "tỷ đồng");
  g_autofree char *whole = saban_format_number (4504, 0);
  g_autofree char *expect_value = g_strdup_printf ("%s tỷ đồng", whole);

  g_assert_cmpint (saban_indicator_value_decimals (12.34, "%"), ==, 1);
  g_assert_cmpint (saban_indicator_value_decimals (12.5, "tấn"), ==, 1);
  g_assert_cmpint (saban_indicator_value_decimals (0.25, NULL), ==, 2);
  g_assert_cmpint (saban_indicator_value_decimals (15000.3, NULL), ==, 0);
  /* a sum of 99 communes is whole but for its rounding error */
  g_assert_cmpint (saban_indicator_value_decimals (4503.9999999999, "tỷ đồng"), ==, 0);
  g_assert_cmpint (saban_indicator_value_decimals (4503.9, "tỷ đồng"), ==, 1);
  g_assert_cmpstr (value, ==, expect_value);
  g_assert_cmpstr (ratio, ==, expect_ratio);
  g_assert_true (g_str_has_prefix (points, "−"));
  g_assert_nonnull (strstr (points, two));
  g_assert_cmpstr (zero, ==, expect_zero);
  g_assert_cmpstr (none, ==, "–");
}

/* A tile's figures: the period shown, its value, progress and sparkline. */
static void
test_figures (void)
{
  g_autoptr(SabanIndicatorSet) set = load (catalogue_json, values_json);
  GDate november, december, today;
  g_autoptr(SabanIndicatorFigures) rice = NULL, later = NULL, poor = NULL;

  g_date_clear (&november, 1);
  g_date_set_dmy (&november, 15, 11, 2026);
  g_date_clear (&december, 1);
  g_date_set_dmy (&december, 1, 12, 2026);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 6, 12, 2026);
  rice = saban_indicator_figures_new (set, indicator (set, "RICE"), SABAN_PROVINCE, &november, 3, &today);
  g_assert_false (rice->latest_earlier);
  g_assert_cmpfloat (rice->summary.value, ==, 61);
  /* September holds nothing, October aggregates 60, November is the department's 61 */
  g_assert_cmpuint (rice->series->len, ==, 3);
  g_assert_true (isnan (g_array_index (rice->series, double, 0)));
  g_assert_cmpfloat (g_array_index (rice->series, double, 1), ==, 60);
  g_assert_cmpfloat (g_array_index (rice->series, double, 2), ==, 61);
  /* past its target: a full bar */
  g_assert_cmpfloat (rice->progress, ==, 1);
  g_assert_cmpint (rice->overdue_days, ==, 0);
  /* December holds no value yet: November's is shown, and said so */
  later = saban_indicator_figures_new (set, indicator (set, "RICE"), SABAN_PROVINCE, &december, 3, &today);
  g_assert_true (later->latest_earlier);
  g_assert_cmpint (later->period.ordinal, ==, rice->period.ordinal);
  /* lower is better: 25 against a target of 20 fills three quarters */
  poor = saban_indicator_figures_new (set, indicator (set, "POOR"), SABAN_PROVINCE, &november, 2, &today);
  g_assert_cmpfloat (fabs (poor->progress - 0.75), <, 1e-12);
  g_assert_nonnull (poor->target_text);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/indicators/period/parse", test_period_parse);
  g_test_add_func ("/indicators/period/arithmetic", test_period_arithmetic);
  g_test_add_func ("/indicators/catalogue", test_catalogue);
  g_test_add_func ("/indicators/aggregation", test_aggregation);
  g_test_add_func ("/indicators/summary", test_summary);
  g_test_add_func ("/indicators/judge", test_judge);
  g_test_add_func ("/indicators/freshness", test_freshness);
  g_test_add_func ("/indicators/classes-and-rank", test_classes_and_rank);
  g_test_add_func ("/indicators/hostile", test_hostile);
  g_test_add_func ("/indicators/wording", test_wording);
  g_test_add_func ("/indicators/figures", test_figures);
  return g_test_run ();
}
