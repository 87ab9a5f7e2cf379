/* saban-report-indicators.c: the report's key indicators — the province's
 * value for the period, its change against the period before and the same
 * period a year before, the target and how it stands — with the indicators
 * whose data is late and the province figures that disagree with their
 * communes'; and the maps of chosen indicators by commune.
 */
#include "saban-report-document-private.h"

#include <math.h>
#include <string.h>

#define MISMATCH_TOLERANCE 0.005

static const double indicator_widths[] = { 0.05, 0.27, 0.08, 0.10, 0.10, 0.10, 0.09, 0.08, 0.13 };

/* The indicator's latest period that has ended by the report's last day. */
static SabanPeriod
period_of (SabanReportBuilder   *b,
           const SabanIndicator *def)
{
  SabanPeriod p = saban_period_containing (def->period_kind, &b->to);
  GDate end;

  saban_period_get_end (&p, &end);
  return g_date_compare (&end, &b->to) > 0 ? saban_period_offset (&p, -1) : p;
}

/* The table's value column says which month; a row of another kind names its own period. */
static void
set_indicator_period (SabanReportBuilder *b)
{
  SabanIndicator month = { .period_kind = SABAN_PERIOD_MONTH };
  SabanPeriod p = period_of (b, &month);
  g_autofree char *m = g_strdup_printf ("%d", p.ordinal % 12 + 1), *y = g_strdup_printf ("%d", p.ordinal / 12);
  g_autofree char *label = saban_report_template_expand (b->tpl, "period", "month_short",
                                                         (const char *const[]) { "month", m, "year", y, NULL });
  g_autofree char *text = saban_report_builder_period (b, &p);

  saban_report_template_set_common (b->tpl, "indicator_period", label);
  saban_report_template_set_common (b->tpl, "indicator_period_text", text);
}

/* "+2,3 %" against the period compared with: points for a rate, a ratio otherwise. */
static char *
change_text (SabanReportBuilder   *b,
             const SabanIndicator *def,
             double                change,
             double                ratio)
{
  gboolean points = saban_indicator_change_in_points (def->unit);
  double v = round ((points ? change : 100 * ratio) * 10) / 10;   /* no sign on what prints as 0,0 */
  g_autofree char *number = NULL;

  if (isnan (v))
    return g_strdup ("–");
  number = saban_report_builder_number (b, fabs (v), 1);
  return saban_report_template_expand (b->tpl, "indicators", points ? "change_points" : "change_ratio",
                                       (const char *const[]) { "sign", v > 0 ? "+" : v < 0 ? "−" : "", "value",
                                                               number, NULL });
}

static char *
target_text (SabanReportBuilder   *b,
             const SabanIndicator *def)
{
  g_autofree char *value = NULL;

  if (isnan (def->target))
    return g_strdup ("–");
  value = saban_report_format_value (b->tpl, def->target, def->unit);
  return saban_report_template_expand (b->tpl, "indicators", def->higher_is_better ? "target_higher" : "target_lower",
                                       (const char *const[]) { "value", value, NULL });
}

static const char *
state_key (SabanIndicatorState state)
{
  static const char *const keys[] = { "none", "good", "warning", "bad" };

  return keys[CLAMP ((int) state, 0, 3)];
}

/* One indicator's row; a bad state becomes a matter for direction. */
static void
add_row (SabanReportBuilder *b,
         SabanReportTable   *table,
         guint               index,
         guint               number)
{
  SabanIndicatorSet *set = saban_report_data_get_indicators (b->data);
  const SabanIndicator *def = saban_indicator_set_get_indicator (set, index);
  SabanPeriod p = period_of (b, def);
  SabanIndicatorSummary s;
  GPtrArray *row = saban_report_table_add_row (table, FALSE);

  saban_indicator_set_summarise (set, index, SABAN_PROVINCE, &p, &s);
  saban_report_row_add_number (row, g_strdup_printf ("%u", number), number);
  if (def->period_kind == SABAN_PERIOD_MONTH)
    saban_report_row_add_text (row, def->name);
  else
    {
      g_autofree char *label = saban_report_builder_period (b, &p);
      g_autofree char *name = g_strdup_printf ("%s (%s)", def->name, label);

      saban_report_row_add_text (row, name);
    }
  saban_report_row_add_text (row, def->unit);
  saban_report_row_add_number (row, isnan (s.value) ? g_strdup (saban_report_template_get (b->tpl, "indicators",
                                                                                            "no_value"))
                                                    : saban_report_format_value (b->tpl, s.value, def->unit),
                               s.value);
  saban_report_row_add_number (row, change_text (b, def, s.change, s.change_ratio), s.change);
  saban_report_row_add_number (row, change_text (b, def, s.change_year, s.change_year_ratio), s.change_year);
  saban_report_row_add_number (row, target_text (b, def), def->target);
  saban_report_row_add_text (row, saban_report_template_get (b->tpl, "indicators", state_key (s.state)));
  saban_report_row_add_text (row, def->agency);
  if (s.state == SABAN_INDICATOR_STATE_BAD)
    {
      g_autofree char *value = saban_report_format_value (b->tpl, s.value, def->unit);
      g_autofree char *target = saban_report_format_value (b->tpl, def->target, def->unit);

      g_ptr_array_add (b->direction,
                       saban_report_template_expand (b->tpl, "direction", "indicator_bad",
                                                     (const char *const[]) { "name", def->name, "agency", def->agency,
                                                                             "value", value, "target", target, "unit",
                                                                             def->unit, NULL }));
    }
}

/* The indicators the template names, or all of them with a heading row per sector. */
static void
fill_table (SabanReportBuilder *b,
            SabanReportTable   *table,
            GArray             *chosen)
{
  g_auto(GStrv) codes = saban_report_template_get_list (b->tpl, "indicators", "indicators");
  SabanIndicatorSet *set = saban_report_data_get_indicators (b->data);
  const char *sector = NULL;
  guint index;

  for (guint i = 0; codes[i] != NULL; i++)
    if (saban_indicator_set_find (set, codes[i], &index))
      g_array_append_val (chosen, index);
  for (guint i = 0; codes[0] == NULL && i < saban_indicator_set_get_n_indicators (set); i++)
    g_array_append_val (chosen, i);
  for (guint i = 0; i < chosen->len; i++)
    {
      const SabanIndicator *def = saban_indicator_set_get_indicator (set, g_array_index (chosen, guint, i));

      if (codes[0] == NULL && g_strcmp0 (sector, def->sector) != 0)
        {
          GPtrArray *row = saban_report_table_add_row (table, TRUE);

          sector = def->sector;
          saban_report_row_add_text (row, "");
          saban_report_row_add_text (row, sector);
          for (guint k = 2; k < table->widths->len; k++)
            saban_report_row_add_text (row, "");
        }
      add_row (b, table, g_array_index (chosen, guint, i), i + 1);
    }
}

/* The late ones: a note each, and a matter for direction. */
static void
add_late (SabanReportBuilder *b,
          GArray             *chosen)
{
  SabanIndicatorSet *set = saban_report_data_get_indicators (b->data);
  gboolean titled = FALSE;
  GDate today;

  saban_report_builder_today (b, &today);
  for (guint i = 0; i < chosen->len; i++)
    {
      const SabanIndicator *def = saban_indicator_set_get_indicator (set, g_array_index (chosen, guint, i));
      int late = saban_indicator_overdue_days (def, &today);
      g_autofree char *days = g_strdup_printf ("%d", late);
      g_autofree char *last = NULL;

      if (late <= 0)
        continue;
      if (!titled)
        saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_PARAGRAPH, "indicators", "late_title", NULL);
      titled = TRUE;
      last = saban_report_builder_period (b, &def->last_period);
      {
        const char *const vars[] = { "name", def->name, "agency", def->agency, "days", days, "last", last, NULL };

        saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_ITEM, "indicators", "late", vars);
        g_ptr_array_add (b->direction, saban_report_template_expand (b->tpl, "direction", "late", vars));
      }
    }
}

/* Province figures that disagree with their communes' by more than half a percent. */
static void
add_mismatches (SabanReportBuilder *b,
                GArray             *chosen)
{
  SabanIndicatorSet *set = saban_report_data_get_indicators (b->data);
  gboolean titled = FALSE;

  for (guint i = 0; i < chosen->len; i++)
    {
      guint index = g_array_index (chosen, guint, i);
      const SabanIndicator *def = saban_indicator_set_get_indicator (set, index);
      SabanPeriod p = period_of (b, def);
      double uploaded, aggregate;
      g_autofree char *u = NULL, *a = NULL;

      if (!saban_indicator_set_check_province (set, index, &p, MISMATCH_TOLERANCE, &uploaded, &aggregate))
        continue;
      if (!titled)
        saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_PARAGRAPH, "indicators", "mismatch_title", NULL);
      titled = TRUE;
      u = saban_report_format_value (b->tpl, uploaded, def->unit);
      a = saban_report_format_value (b->tpl, aggregate, def->unit);
      saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_ITEM, "indicators", "mismatch",
                                     (const char *const[]) { "name", def->name, "agency", def->agency, "uploaded", u,
                                                             "aggregate", a, "unit", def->unit, NULL });
    }
}

/**
 * saban_report_build_indicators:
 *
 * The [indicators] section: the table, then the late and disagreeing ones.
 */
void
saban_report_build_indicators (SabanReportBuilder *b)
{
  g_autoptr(GArray) chosen = g_array_new (FALSE, FALSE, sizeof (guint));
  SabanReportTable *table;

  saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_HEADING, "indicators", "title", NULL);
  if (saban_report_data_get_indicators (b->data) == NULL)
    {
      saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_PARAGRAPH, "indicators", "no_value", NULL);
      return;
    }
  set_indicator_period (b);
  saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_PARAGRAPH, "indicators", "intro", NULL);
  table = saban_report_builder_add_table (b, "indicators", "columns", "sheet", indicator_widths);
  fill_table (b, table, chosen);
  saban_report_builder_add_source (b, "indicators", SABAN_REPORT_INDICATORS);
  add_late (b, chosen);
  add_mismatches (b, chosen);
}

/**
 * saban_report_build_maps:
 *
 * The [maps] section: a choropleth per indicator the template names, for
 * the indicator's latest period ended by the report's last day.
 */
void
saban_report_build_maps (SabanReportBuilder *b)
{
  SabanIndicatorSet *set = saban_report_data_get_indicators (b->data);
  g_auto(GStrv) codes = saban_report_template_get_list (b->tpl, "maps", "indicators");
  gboolean jenks = g_str_equal (saban_report_template_get (b->tpl, "maps", "method"), "jenks");
  guint n = 0, index;

  if (set == NULL || codes[0] == NULL || saban_report_data_get_areas (b->data)->len == 0)
    return;
  saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_HEADING, "maps", "title", NULL);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      const SabanIndicator *def;
      SabanReportBlock *block;
      g_autofree char *number = NULL;
      SabanPeriod p;

      if (!saban_indicator_set_find (set, codes[i], &index))
        continue;
      def = saban_indicator_set_get_indicator (set, index);
      p = period_of (b, def);
      number = g_strdup_printf ("%u", ++n);
      block = g_new0 (SabanReportBlock, 1);
      block->kind = SABAN_REPORT_BLOCK_MAP;
      block->map.indicator = index;
      block->map.period = p;
      block->map.n_classes = (guint) CLAMP (saban_report_template_get_int (b->tpl, "maps", "classes", 5), 2, 9);
      block->map.method = jenks ? SABAN_CLASSIFY_NATURAL_BREAKS : SABAN_CLASSIFY_QUANTILE;
      block->map.caption = saban_report_template_expand (b->tpl, "maps", "caption",
                                                         (const char *const[]) { "n", number, "name", def->name,
                                                                                 "unit", def->unit, NULL });
      g_ptr_array_add (b->doc->blocks, block);
    }
  saban_report_builder_add_source (b, "maps", SABAN_REPORT_COMMUNES);
}
