/* saban-report-document.c: the meeting report ("Báo cáo giao ban") laid out
 * from IOC data as its template says, before it is printed (PDF) or tabled
 * (XLSX): the provincial document's header, then the sections the template
 * lists, each figure followed by its source and the time it was read.
 *
 * Times are Vietnam's (UTC+7, no summer time): a report is the province's
 * document whatever clock the machine that made it keeps.
 */
#include "saban-report-document-private.h"

#include <math.h>
#include <string.h>

#define VIETNAM_OFFSET_US (G_GINT64_CONSTANT (7) * 3600 * G_USEC_PER_SEC)

static void
cell_free (gpointer data)
{
  SabanReportCell *c = data;

  g_free (c->text);
  g_free (c);
}

static void
table_free (SabanReportTable *t)
{
  g_free (t->sheet);
  g_strfreev (t->headers);
  g_array_unref (t->widths);
  g_ptr_array_unref (t->rows);
  g_array_unref (t->group_rows);
  g_free (t);
}

static void
block_free (gpointer data)
{
  SabanReportBlock *b = data;

  g_free (b->text);
  g_free (b->map.caption);
  if (b->table != NULL)
    table_free (b->table);
  g_free (b);
}

void
saban_report_document_free (SabanReportDocument *doc)
{
  g_free (doc->authority);
  g_free (doc->number);
  g_free (doc->nation);
  g_free (doc->motto);
  g_free (doc->date);
  g_free (doc->title);
  g_free (doc->subtitle);
  g_free (doc->recipients_title);
  g_strfreev (doc->recipients);
  g_free (doc->signer);
  g_free (doc->period);
  g_ptr_array_unref (doc->blocks);
  g_free (doc);
}

/* ---- what the sections build with ---------------------------------------------- */

void
saban_report_builder_add (SabanReportBuilder   *b,
                          SabanReportBlockKind  kind,
                          char                 *text)
{
  SabanReportBlock *block = g_new0 (SabanReportBlock, 1);

  block->kind = kind;
  block->text = text;
  g_ptr_array_add (b->doc->blocks, block);
}

void
saban_report_builder_add_text (SabanReportBuilder   *b,
                               SabanReportBlockKind  kind,
                               const char           *section,
                               const char           *key,
                               const char *const    *vars)
{
  if (saban_report_template_has (b->tpl, section, key))
    saban_report_builder_add (b, kind, saban_report_template_expand (b->tpl, section, key, vars));
}

char *
saban_report_builder_number (SabanReportBuilder *b,
                             double              value,
                             int                 decimals)
{
  return saban_report_template_format_number (b->tpl, value, decimals);
}

/* "85,7 %" of @part in @whole, or "–" for nothing in @whole. */
char *
saban_report_builder_ratio (SabanReportBuilder *b,
                            double              part,
                            double              whole)
{
  g_autofree char *n = NULL;

  if (!(whole > 0))
    return g_strdup ("–");
  n = saban_report_builder_number (b, 100 * part / whole, 1);
  return g_strdup_printf ("%s %%", n);
}

/* A time as the template writes it: "{hour}:{minute} ngày {date}". */
char *
saban_report_builder_time (SabanReportBuilder *b,
                           gint64              time_us)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc ((time_us + VIETNAM_OFFSET_US) / G_USEC_PER_SEC);
  g_autofree char *hour = NULL, *minute = NULL, *date = NULL;

  if (t == NULL || time_us == 0)
    return g_strdup ("–");
  hour = g_date_time_format (t, "%H");
  minute = g_date_time_format (t, "%M");
  date = g_date_time_format (t, "%d/%m/%Y");
  return saban_report_template_expand (b->tpl, "document", "time",
                                       (const char *const[]) { "hour", hour, "minute", minute, "date", date, NULL });
}

/* The report's day in Vietnam. */
void
saban_report_builder_today (SabanReportBuilder *b,
                            GDate              *today)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc ((b->now_us + VIETNAM_OFFSET_US) / G_USEC_PER_SEC);

  g_date_clear (today, 1);
  g_date_set_dmy (today, g_date_time_get_day_of_month (t), g_date_time_get_month (t), g_date_time_get_year (t));
}

/* A month as the template writes it ("tháng 9 năm 2026"); other periods as they are written in files. */
char *
saban_report_builder_period (SabanReportBuilder *b,
                             const SabanPeriod  *period)
{
  g_autofree char *month = NULL, *year = NULL;

  if (period->kind != SABAN_PERIOD_MONTH)
    return saban_period_to_string (period);
  month = g_strdup_printf ("%d", period->ordinal % 12 + 1);
  year = g_strdup_printf ("%d", period->ordinal / 12);
  return saban_report_template_expand (b->tpl, "period", "month",
                                       (const char *const[]) { "month", month, "year", year, NULL });
}

/* "Nguồn: …; số liệu lấy lúc …" under a section's figures. */
void
saban_report_builder_add_source (SabanReportBuilder *b,
                                 const char         *section,
                                 SabanReportSource   source)
{
  const char *url = saban_report_data_get_server_url (b->data);
  g_autofree char *what = g_strdup_printf ("%s%s%s%s", saban_report_template_get (b->tpl, section, "source"),
                                           *url ? " (" : "", url, *url ? ")" : "");
  g_autofree char *time = saban_report_builder_time (b, saban_report_data_get_taken_at (b->data, source));

  saban_report_builder_add (b, SABAN_REPORT_BLOCK_NOTE,
                            saban_report_template_expand (b->tpl, "document", "source",
                                                          (const char *const[]) { "source", what, "time", time, NULL }));
}

/**
 * saban_report_builder_add_table:
 * @widths: (array): the columns' relative widths, as many as the template's columns
 *
 * Returns: (transfer none): a table with the template's header, added to the document
 */
SabanReportTable *
saban_report_builder_add_table (SabanReportBuilder *b,
                                const char         *section,
                                const char         *columns_key,
                                const char         *sheet_key,
                                const double       *widths)
{
  SabanReportBlock *block = g_new0 (SabanReportBlock, 1);
  SabanReportTable *t = g_new0 (SabanReportTable, 1);
  g_autofree char *columns = saban_report_template_expand (b->tpl, section, columns_key, NULL);

  t->sheet = g_strdup (saban_report_template_get (b->tpl, section, sheet_key));
  t->headers = g_strsplit (columns, ";", -1);
  t->widths = g_array_new (FALSE, FALSE, sizeof (double));
  g_array_append_vals (t->widths, widths, g_strv_length (t->headers));
  t->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  t->group_rows = g_array_new (FALSE, FALSE, sizeof (gboolean));
  block->kind = SABAN_REPORT_BLOCK_TABLE;
  block->table = t;
  g_ptr_array_add (b->doc->blocks, block);
  return t;
}

/**
 * saban_report_table_add_row:
 * @group: a heading row (a sector's name), printed bold
 *
 * Returns: (transfer none): the row, to add cells to
 */
GPtrArray *
saban_report_table_add_row (SabanReportTable *table,
                            gboolean          group)
{
  GPtrArray *row = g_ptr_array_new_with_free_func (cell_free);

  g_ptr_array_add (table->rows, row);
  g_array_append_val (table->group_rows, group);
  return row;
}

void
saban_report_row_add_text (GPtrArray  *row,
                           const char *text)
{
  SabanReportCell *c = g_new0 (SabanReportCell, 1);

  c->text = g_strdup (text != NULL ? text : "");
  c->number = NAN;
  g_ptr_array_add (row, c);
}

/* A figure: @text as printed (taken), @number for the spreadsheet. */
void
saban_report_row_add_number (GPtrArray *row,
                             char      *text,
                             double     number)
{
  SabanReportCell *c = g_new0 (SabanReportCell, 1);

  c->text = text;
  c->number = number;
  g_ptr_array_add (row, c);
}

/**
 * saban_report_format_value:
 * @unit: (nullable): the indicator's unit
 *
 * How the report writes an indicator's value (saban_indicator_value_decimals).
 *
 * Returns: (transfer full): "1.234,5", or "–" for no value
 */
char *
saban_report_format_value (SabanReportTemplate *tpl,
                           double               value,
                           const char          *unit)
{
  if (isnan (value))
    return g_strdup ("–");
  return saban_report_template_format_number (tpl, value, saban_indicator_value_decimals (value, unit));
}

/* ---- the document ------------------------------------------------------------------- */

static char *
date_text (const GDate *d)
{
  return g_strdup_printf ("%02d/%02d/%04d", g_date_get_day (d), g_date_get_month (d), g_date_get_year (d));
}

/* µs of @d's midnight in Vietnam. */
static gint64
day_start_us (const GDate *d)
{
  g_autoptr(GDateTime) t = g_date_time_new_utc (g_date_get_year (d), g_date_get_month (d), g_date_get_day (d), 0, 0,
                                                0);

  return g_date_time_to_unix (t) * G_USEC_PER_SEC - VIETNAM_OFFSET_US;
}

/* "tháng 11 năm 2026" for a whole calendar month, else "từ ngày … đến ngày …". */
static void
set_period (SabanReportBuilder *b)
{
  GDate end = b->from;
  g_autofree char *from = date_text (&b->from), *to = date_text (&b->to);
  g_autofree char *month = g_strdup_printf ("%d", g_date_get_month (&b->from));
  g_autofree char *year = g_strdup_printf ("%d", g_date_get_year (&b->from));
  gboolean whole_month;
  const char *const vars[] = { "month", month, "year", year, "from", from, "to", to, NULL };
  g_autofree char *period = NULL, *short_period = NULL;

  g_date_add_months (&end, 1);
  g_date_subtract_days (&end, 1);
  whole_month = g_date_get_day (&b->from) == 1 && g_date_compare (&end, &b->to) == 0;
  period = saban_report_template_expand (b->tpl, "period", whole_month ? "month" : "range", vars);
  short_period = saban_report_template_expand (b->tpl, "period", whole_month ? "month_short" : "range_short", vars);
  saban_report_template_set_common (b->tpl, "from", from);
  saban_report_template_set_common (b->tpl, "to", to);
  saban_report_template_set_common (b->tpl, "period", period);
  saban_report_template_set_common (b->tpl, "period_short", short_period);
  b->doc->period = g_steal_pointer (&period);
}

/* The day the report is made, written as documents write it (Decree
 * 30/2020/NĐ-CP): days below 10, January and February with a leading zero. */
static void
set_date (SabanReportBuilder *b)
{
  GDate today;
  g_autofree char *day = NULL, *month = NULL, *year = NULL;

  saban_report_builder_today (b, &today);
  day = g_strdup_printf ("%02d", g_date_get_day (&today));
  month = g_strdup_printf (g_date_get_month (&today) <= 2 ? "%02d" : "%d", g_date_get_month (&today));
  year = g_strdup_printf ("%d", g_date_get_year (&today));
  saban_report_template_set_common (b->tpl, "place", saban_report_template_get (b->tpl, "document", "place"));
  saban_report_template_set_common (b->tpl, "day", day);
  saban_report_template_set_common (b->tpl, "month", month);
  saban_report_template_set_common (b->tpl, "year", year);
}

static void
set_header (SabanReportBuilder *b)
{
  SabanReportDocument *doc = b->doc;

  doc->authority = saban_report_template_expand (b->tpl, "document", "authority", NULL);
  doc->number = saban_report_template_expand (b->tpl, "document", "number", NULL);
  doc->nation = saban_report_template_expand (b->tpl, "document", "nation", NULL);
  doc->motto = saban_report_template_expand (b->tpl, "document", "motto", NULL);
  doc->date = saban_report_template_expand (b->tpl, "document", "date", NULL);
  doc->title = saban_report_template_expand (b->tpl, "document", "title", NULL);
  doc->subtitle = saban_report_template_expand (b->tpl, "document", "subtitle", NULL);
  doc->recipients_title = saban_report_template_expand (b->tpl, "document", "recipients_title", NULL);
  doc->recipients = saban_report_template_get_list (b->tpl, "document", "recipients");
  doc->signer = saban_report_template_expand (b->tpl, "document", "signer", NULL);
}

static void
build_direction (SabanReportBuilder *b)
{
  saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_HEADING, "direction", "title", NULL);
  if (b->direction->len == 0)
    saban_report_builder_add_text (b, SABAN_REPORT_BLOCK_ITEM, "direction", "none", NULL);
  for (guint i = 0; i < b->direction->len; i++)
    saban_report_builder_add (b, SABAN_REPORT_BLOCK_ITEM, g_strdup (g_ptr_array_index (b->direction, i)));
}

static const struct
{
  const char *name;
  void      (*build) (SabanReportBuilder *b);
} sections[] = {
  { "indicators", saban_report_build_indicators },
  { "maps", saban_report_build_maps },
  { "emergencies", saban_report_build_emergencies },
  { "alarms", saban_report_build_alarms },
  { "feedback", saban_report_build_feedback },
  { "direction", build_direction },
};

/**
 * saban_report_document_build:
 * @from: @to: the days the report covers, both included
 * @now_us: when it is made (its date), µs since the epoch
 *
 * Lays the report out: the header, then each section the template's
 * `sections` lists, in its order. "direction" gathers what the sections
 * before it found for the leaders, so it comes last.
 *
 * Returns: (transfer full): the document
 */
SabanReportDocument *
saban_report_document_build (SabanReportData     *data,
                             SabanReportTemplate *tpl,
                             const GDate         *from,
                             const GDate         *to,
                             gint64               now_us)
{
  SabanReportBuilder b = { .data = data, .tpl = tpl, .from = *from, .to = *to, .now_us = now_us };
  g_auto(GStrv) names = saban_report_template_get_list (tpl, "document", "sections");
  GDate after = *to;

  b.doc = g_new0 (SabanReportDocument, 1);
  b.doc->blocks = g_ptr_array_new_with_free_func (block_free);
  b.direction = g_ptr_array_new_with_free_func (g_free);
  g_date_add_days (&after, 1);
  b.from_us = day_start_us (from);
  b.to_us = day_start_us (&after) - 1;
  set_date (&b);
  set_period (&b);
  set_header (&b);
  saban_report_builder_add_text (&b, SABAN_REPORT_BLOCK_PARAGRAPH, "document", "intro", NULL);
  for (guint i = 0; names[i] != NULL; i++)
    for (guint k = 0; k < G_N_ELEMENTS (sections); k++)
      if (g_str_equal (names[i], sections[k].name))
        sections[k].build (&b);
  g_ptr_array_unref (b.direction);
  return b.doc;
}

/**
 * saban_report_write_files:
 * @pdf: (nullable): the PDF to write
 * @xlsx: (nullable): the spreadsheet of its tables to write
 * @period: (out) (optional) (transfer full): the period as the report names it
 *
 * Lays the report out from @data and writes it: what the command line and
 * the desk's button both do.
 *
 * Returns: %FALSE with @error set (translated) when a file cannot be written
 */
gboolean
saban_report_write_files (SabanReportData *data, SabanReportTemplate *tpl, const GDate *from, const GDate *to,
                          const char *pdf, const char *xlsx, char **period, GError **error)
{
  g_autoptr(SabanReportDocument) doc = saban_report_document_build (data, tpl, from, to, g_get_real_time ());

  if ((pdf != NULL && !saban_report_document_write_pdf (doc, data, tpl, pdf, error)) ||
      (xlsx != NULL && !saban_report_document_write_xlsx (doc, xlsx, error)))
    return FALSE;
  if (period != NULL)
    *period = g_strdup (doc->period);
  return TRUE;
}
