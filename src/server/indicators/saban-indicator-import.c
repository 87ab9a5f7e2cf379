/* saban-indicator-import.c: departments' indicator files into the store.
 *
 * Two tables, CSV or XLSX, read through GDAL: the definitions
 * (code,name,unit,sector,agency,period,aggregate,higher_is_better,target,source
 * [,warning][,due_days]) and the values (code,commune_code,period,value[,unit]).
 * Every row is checked before anything is written; a file with one bad row
 * is refused whole with every problem listed — row, column, what is wrong,
 * what to do — in the user's language. An accepted import is one
 * transaction: the definitions upserted, each (indicator, period) in the file
 * replaced whole, and the audit trail told what replaced what.
 *
 * The same code serves `saban-server import-indicators` and the data
 * stewards' upload (its bytes in /vsimem/).
 *
 * Over a thousand lines: definitions and values are checked row by
 * row against each other and the communes, with one report of every bad row;
 * CSV and XLSX go through the same GDAL reader.
 */
#include "saban-indicator-import.h"

#include <cpl_conv.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <ogr_api.h>
#include <string.h>

#include "saban-indicator.h"

#define MAX_CODE  32
#define MAX_NAME  256
#define MAX_TEXT  1024

typedef struct
{
  char            *code;
  char            *unit;
  SabanPeriodKind  kind;
  gint64           n_values;   /* held in the store */
  gboolean         in_store;
} Known;

typedef struct
{
  const Known *indicator;
  char        *place;
  char        *period;     /* canonical text */
  char        *start;      /* its first day, YYYY-MM-DD */
  double       value;
} Value;

typedef struct
{
  SabanStore        *store;
  SabanImportReport *report;
  const char        *file;        /* "definitions" or "values" */
  gboolean           xlsx;
  GHashTable        *places;      /* admin unit code → itself */
  GHashTable        *known;       /* indicator code → Known */
  GPtrArray         *definitions; /* SabanIndicator *, accepted rows */
  GArray            *values;      /* Value */
  GHashTable        *seen;        /* a key of the file's rows → row number, for duplicates */
} Import;

typedef struct
{
  const char *name;
  gboolean    required;
} Column;

enum { D_CODE, D_NAME, D_UNIT, D_SECTOR, D_AGENCY, D_PERIOD, D_AGGREGATE, D_HIGHER, D_TARGET, D_SOURCE, D_WARNING,
       D_DUE_DAYS };
static const Column definition_columns[] = {
  { "code", TRUE }, { "name", TRUE }, { "unit", TRUE }, { "sector", TRUE }, { "agency", TRUE }, { "period", TRUE },
  { "aggregate", TRUE }, { "higher_is_better", TRUE }, { "target", TRUE }, { "source", TRUE },
  { "warning", FALSE }, { "due_days", FALSE }, { NULL, FALSE },
};

enum { V_CODE, V_PLACE, V_PERIOD, V_VALUE, V_UNIT };
static const Column value_columns[] = {
  { "code", TRUE }, { "commune_code", TRUE }, { "period", TRUE }, { "value", TRUE }, { "unit", FALSE },
  { NULL, FALSE },
};

typedef void (*RowFunc) (Import *im, guint row, char **fields);

/* ---- the report ------------------------------------------------------------- */

static void
problem_free (gpointer data)
{
  SabanImportProblem *p = data;

  g_free (p->file);
  g_free (p->column);
  g_free (p->code);
  g_free (p->message);
  g_free (p->action);
  g_free (p);
}

void
saban_import_report_init (SabanImportReport *report)
{
  memset (report, 0, sizeof *report);
  report->problems = g_ptr_array_new_with_free_func (problem_free);
}

void
saban_import_report_clear (SabanImportReport *report)
{
  g_clear_pointer (&report->problems, g_ptr_array_unref);
}

static void
problem (Import     *im,
         guint       row,
         const char *column,
         const char *code,
         const char *action,
         const char *format,
         ...) G_GNUC_PRINTF (6, 7);

static void
problem (Import     *im,
         guint       row,
         const char *column,
         const char *code,
         const char *action,
         const char *format,
         ...)
{
  SabanImportProblem *p;
  va_list args;

  /* the rows' problems are kept up to a bound; the whole file's always */
  if (im->report->n_problems++ >= SABAN_IMPORT_MAX_PROBLEMS && row > 0)
    return;
  p = g_new0 (SabanImportProblem, 1);
  p->file = g_strdup (im->file);
  p->row = row;
  p->column = g_strdup (column);
  p->code = g_strdup (code);
  va_start (args, format);
  p->message = g_strdup_vprintf (format, args);
  va_end (args);
  p->action = g_strdup (action);
  g_ptr_array_add (im->report->problems, p);
}

/**
 * saban_import_report_to_json:
 *
 * Returns: (transfer full): what was imported, or the problems row by row
 */
JsonNode *
saban_import_report_to_json (const SabanImportReport *report)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "definitionsAdded");
  json_builder_add_int_value (b, report->definitions_added);
  json_builder_set_member_name (b, "definitionsChanged");
  json_builder_add_int_value (b, report->definitions_changed);
  json_builder_set_member_name (b, "valuesWritten");
  json_builder_add_int_value (b, report->values_written);
  json_builder_set_member_name (b, "periodsReplaced");
  json_builder_add_int_value (b, report->periods_replaced);
  json_builder_set_member_name (b, "problemCount");
  json_builder_add_int_value (b, report->n_problems);
  json_builder_set_member_name (b, "problems");
  json_builder_begin_array (b);
  for (guint i = 0; i < report->problems->len; i++)
    {
      const SabanImportProblem *p = g_ptr_array_index (report->problems, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, p->file);
      json_builder_set_member_name (b, "row");
      json_builder_add_int_value (b, p->row);
      json_builder_set_member_name (b, "column");
      if (p->column != NULL)
        json_builder_add_string_value (b, p->column);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, p->code);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, p->message);
      json_builder_set_member_name (b, "action");
      json_builder_add_string_value (b, p->action);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * saban_import_report_to_text:
 *
 * Returns: (transfer full): the problems, one line each, for a terminal
 */
char *
saban_import_report_to_text (const SabanImportReport *report)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < report->problems->len; i++)
    {
      const SabanImportProblem *p = g_ptr_array_index (report->problems, i);

      if (p->row > 0 && p->column != NULL)
        /* TRANSLATORS: "values, row 12, column period: what is wrong — what to do" */
        g_string_append_printf (out, _("%s, row %u, column %s: %s — %s\n"), p->file, p->row, p->column,
                                p->message, p->action);
      else if (p->row > 0)
        g_string_append_printf (out, _("%s, row %u: %s — %s\n"), p->file, p->row, p->message, p->action);
      else
        g_string_append_printf (out, "%s: %s — %s\n", p->file, p->message, p->action);
    }
  if (report->n_problems > report->problems->len)
    g_string_append_printf (out, _("… and %u more problems\n"), report->n_problems - report->problems->len);
  return g_string_free (out, FALSE);
}

/* ---- reading a table through GDAL ------------------------------------------- */

static char *
columns_list (const Column *columns)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; columns[i].name != NULL; i++)
    g_string_append_printf (s, "%s%s%s", i ? "," : "", columns[i].name, columns[i].required ? "" : "?");
  return g_string_free (s, FALSE);
}

/* Maps each expected column to the layer's field index (-1: absent); FALSE on a bad header. */
static gboolean
read_header (Import       *im,
             OGRLayerH     layer,
             const Column *columns,
             int          *index)
{
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn (layer);
  g_autofree char *expected = columns_list (columns);
  g_autofree char *action = g_strdup_printf (_("The first row must name the columns %s (? = may be left out)"),
                                             expected);
  guint before = im->report->n_problems;

  for (guint c = 0; columns[c].name != NULL; c++)
    index[c] = -1;
  for (int f = 0; f < OGR_FD_GetFieldCount (defn); f++)
    {
      const char *name = OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, f));
      g_autofree char *lower = g_utf8_validate (name, -1, NULL) ? g_ascii_strdown (name, -1) : NULL;
      guint c;

      if (lower != NULL)
        g_strstrip (lower);
      for (c = 0; columns[c].name != NULL && (lower == NULL || !g_str_equal (lower, columns[c].name)); c++)
        ;
      if (columns[c].name == NULL)
        problem (im, 1, lower != NULL ? lower : "?", "unknown-column", action, _("Column “%s” is not expected"),
                 lower != NULL ? lower : "?");
      else
        index[c] = f;
    }
  for (guint c = 0; columns[c].name != NULL; c++)
    if (columns[c].required && index[c] < 0)
      problem (im, 1, columns[c].name, "missing-column", action, _("Column “%s” is missing"), columns[c].name);
  return im->report->n_problems == before;
}

/* The row's fields in the columns' order, trimmed; NULL (with a problem) on bad UTF-8. */
static char **
read_fields (Import       *im,
             OGRFeatureH   f,
             guint         row,
             const Column *columns,
             const int    *index,
             gboolean     *blank)
{
  guint n = 0;
  g_auto(GStrv) fields = NULL;

  while (columns[n].name != NULL)
    n++;
  fields = g_new0 (char *, n + 1);
  *blank = TRUE;
  for (guint c = 0; c < n; c++)
    {
      const char *text = index[c] >= 0 && OGR_F_IsFieldSetAndNotNull (f, index[c])
                           ? OGR_F_GetFieldAsString (f, index[c]) : "";

      if (!g_utf8_validate (text, -1, NULL))
        {
          problem (im, row, columns[c].name, "bad-utf8", _("Save the file as “CSV UTF-8” (or as XLSX) and send it again"),
                   _("The text is not UTF-8"));
          return NULL;
        }
      if (strlen (text) > MAX_TEXT)
        {
          problem (im, row, columns[c].name, "too-long", _("Shorten the text"),
                   _("The text is longer than %d bytes"), MAX_TEXT);
          return NULL;
        }
      fields[c] = g_strstrip (g_strdup (text));
      *blank = *blank && fields[c][0] == '\0';
    }
  return g_steal_pointer (&fields);
}

static void
read_rows (Import       *im,
           OGRLayerH     layer,
           const Column *columns,
           const int    *index,
           RowFunc       func)
{
  OGRFeatureH f;
  guint count = 0;

  OGR_L_ResetReading (layer);
  while ((f = OGR_L_GetNextFeature (layer)) != NULL)
    {
      /* an XLSX feature's id is its sheet row; a CSV's counts records after the header */
      guint row = (guint) CLAMP (OGR_F_GetFID (f) + (im->xlsx ? 0 : 1), 0, G_MAXUINT);
      gboolean blank;
      g_auto(GStrv) fields = NULL;

      if (++count > SABAN_IMPORT_MAX_ROWS)
        {
          problem (im, 0, NULL, "too-many-rows", _("Split the file into several smaller files"),
                   _("The file has more than %d rows"), SABAN_IMPORT_MAX_ROWS);
          OGR_F_Destroy (f);
          return;
        }
      fields = read_fields (im, f, row, columns, index, &blank);
      OGR_F_Destroy (f);
      if (fields != NULL && !blank)
        func (im, row, fields);
    }
}

static gboolean
looks_like_xlsx (const char *path)
{
  VSILFILE *fp = VSIFOpenL (path, "rb");
  char magic[4] = { 0 };
  gboolean zip;

  if (fp == NULL)
    return FALSE;
  zip = VSIFReadL (magic, 1, 4, fp) == 4 && memcmp (magic, "PK\3\4", 4) == 0;
  VSIFCloseL (fp);
  return zip;
}

static GDALDatasetH
open_table (Import     *im,
            const char *path)
{
  static const char *const csv_driver[] = { "CSV", NULL };
  static const char *const xlsx_driver[] = { "XLSX", NULL };
  static const char *const csv_options[] = { "AUTODETECT_TYPE=NO", "EMPTY_STRING_AS_NULL=NO", NULL };
  g_autofree char *csv_path = NULL;

  im->xlsx = looks_like_xlsx (path);
  if (im->xlsx)
    return GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, xlsx_driver, NULL, NULL);
  /* the CSV driver knows a file by its .csv name, or by this prefix */
  csv_path = g_str_has_suffix (path, ".csv") || g_str_has_suffix (path, ".CSV")
               ? g_strdup (path) : g_strconcat ("CSV:", path, NULL);
  return GDALOpenEx (csv_path, GDAL_OF_VECTOR | GDAL_OF_READONLY, csv_driver, csv_options, NULL);
}

static void
read_table (Import       *im,
            const char   *path,
            const Column *columns,
            RowFunc       func)
{
  VSIStatBufL st;
  GDALDatasetH ds;
  OGRLayerH layer;
  int index[16];

  if (VSIStatL (path, &st) != 0)
    {
      problem (im, 0, NULL, "not-found", _("Check the file’s name and send it again"), _("The file cannot be read"));
      return;
    }
  if (st.st_size > SABAN_IMPORT_MAX_BYTES)
    {
      problem (im, 0, NULL, "too-large", _("Split the file into several smaller files"),
               _("The file is larger than %d MB"), SABAN_IMPORT_MAX_BYTES / (1024 * 1024));
      return;
    }
  /* XLSX: every cell as text, the first row always the header. The driver
   * takes these as configuration, read when a sheet is first parsed: they
   * stay set (for this thread) until the file is closed. */
  CPLSetThreadLocalConfigOption ("OGR_XLSX_HEADERS", "FORCE");
  CPLSetThreadLocalConfigOption ("OGR_XLSX_FIELD_TYPES", "STRING");
  CPLPushErrorHandler (CPLQuietErrorHandler);
  ds = open_table (im, path);
  layer = ds != NULL && GDALDatasetGetLayerCount (ds) > 0 ? GDALDatasetGetLayer (ds, 0) : NULL;
  if (layer == NULL)
    problem (im, 0, NULL, "not-a-table", _("Save the table as CSV (UTF-8) or XLSX"),
             _("The file is not a CSV or XLSX table"));
  else if (read_header (im, layer, columns, index))
    read_rows (im, layer, columns, index, func);
  if (ds != NULL)
    GDALClose (ds);
  CPLPopErrorHandler ();
  CPLSetThreadLocalConfigOption ("OGR_XLSX_HEADERS", NULL);
  CPLSetThreadLocalConfigOption ("OGR_XLSX_FIELD_TYPES", NULL);
}

/* ---- checking fields -------------------------------------------------------------- */

/* A plain decimal: digits, an optional sign, one '.' or one ',' as the decimal mark, an
 * optional exponent; no thousands separators (is "1.234" a thousand or one?). */
static gboolean
parse_number (const char *text,
              double     *value)
{
  g_autofree char *copy = g_strdup (text);
  guint marks = 0;
  char *end = NULL;

  if (*copy == '\0')
    return FALSE;
  for (char *p = copy; *p; p++)
    {
      if (*p == ',' || *p == '.')
        {
          marks++;
          *p = '.';
        }
      else if (!g_ascii_isdigit (*p) && !strchr ("+-eE", *p))
        return FALSE;
    }
  if (marks > 1)
    return FALSE;
  *value = g_ascii_strtod (copy, &end);
  return end != copy && *end == '\0' && isfinite (*value);
}

static gboolean
parse_boolean (const char *text,
               gboolean   *value)
{
  static const char *const yes[] = { "true", "1", "yes", "có", "x", NULL };
  static const char *const no[] = { "false", "0", "no", "không", NULL };
  g_autofree char *lower = g_utf8_strdown (text, -1);

  if (g_strv_contains (yes, lower))
    return (*value = TRUE), TRUE;
  if (g_strv_contains (no, lower))
    return (*value = FALSE), TRUE;
  return FALSE;
}

static gboolean
valid_code (const char *text)
{
  gsize len = strlen (text);

  if (len == 0 || len > MAX_CODE)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && !strchr ("_.-", *p))
      return FALSE;
  return TRUE;
}

static const char *
kind_label (SabanPeriodKind kind)
{
  switch (kind)
    {
    case SABAN_PERIOD_DAY:
      return C_("period kind", "day");
    case SABAN_PERIOD_MONTH:
      return C_("period kind", "month");
    case SABAN_PERIOD_QUARTER:
      return C_("period kind", "quarter");
    case SABAN_PERIOD_YEAR:
    default:
      return C_("period kind", "year");
    }
}

static const char *
kind_example (SabanPeriodKind kind)
{
  static const char *const examples[] = { "2026-11-06", "2026-11", "2026-Q3", "2026" };

  return examples[CLAMP ((int) kind, 0, 3)];
}

/* Required text, not empty and not too long; FALSE with a problem otherwise. */
static gboolean
check_text (Import     *im,
            guint       row,
            const char *column,
            const char *text,
            gsize       max)
{
  if (*text == '\0')
    {
      problem (im, row, column, "empty", _("Fill in the cell"), _("The cell is empty"));
      return FALSE;
    }
  if (strlen (text) > max)
    {
      problem (im, row, column, "too-long", _("Shorten the text"), _("The text is longer than %d bytes"), (int) max);
      return FALSE;
    }
  return TRUE;
}

/* An optional number: empty is NAN; FALSE with a problem when it is not one. */
static gboolean
check_optional_number (Import     *im,
                       guint       row,
                       const char *column,
                       const char *text,
                       double     *value)
{
  *value = NAN;
  if (text == NULL || *text == '\0' || parse_number (text, value))
    return TRUE;
  problem (im, row, column, "not-a-number", _("Write a number without thousands separators, e.g. 1234.5"),
           _("“%s” is not a number"), text);
  return FALSE;
}

/* ---- definitions ------------------------------------------------------------------ */

static void
known_free (gpointer data)
{
  Known *k = data;

  g_free (k->code);
  g_free (k->unit);
  g_free (k);
}

static gboolean
check_definition_code (Import     *im,
                       guint       row,
                       const char *code)
{
  g_autofree char *key = g_strconcat ("d\x1f", code, NULL);
  gpointer first = g_hash_table_lookup (im->seen, key);

  if (!valid_code (code))
    {
      problem (im, row, "code", "bad-code", _("Use letters, digits, “_”, “-” or “.”, at most 32 characters"),
               _("“%s” is not a valid indicator code"), code);
      return FALSE;
    }
  if (first != NULL)
    {
      problem (im, row, "code", "duplicate", _("Keep one row for each indicator"),
               _("The indicator is already defined in row %u"), GPOINTER_TO_UINT (first));
      return FALSE;
    }
  g_hash_table_insert (im->seen, g_steal_pointer (&key), GUINT_TO_POINTER (row));
  return TRUE;
}

/* A definition may not change the unit or period of values already held. */
static gboolean
check_against_store (Import               *im,
                     guint                 row,
                     const SabanIndicator *def)
{
  const Known *k = g_hash_table_lookup (im->known, def->code);

  if (k == NULL || k->n_values == 0)
    return TRUE;
  if (g_strcmp0 (k->unit, def->unit) != 0)
    {
      problem (im, row, "unit", "unit-mismatch", _("Keep the unit, or define a new indicator with its own code"),
               _("The indicator already holds %d values in “%s”, not “%s”"), (int) MIN (k->n_values, G_MAXINT),
               k->unit, def->unit);
      return FALSE;
    }
  if (k->kind != def->period_kind)
    {
      problem (im, row, "period", "wrong-period-kind", _("Keep the period, or define a new indicator with its own code"),
               _("The indicator already holds values by %s"), kind_label (k->kind));
      return FALSE;
    }
  return TRUE;
}

/* The numbers of a definition; the warning's side only when @kinds_ok (the
 * direction is known). */
static gboolean
check_thresholds (Import         *im,
                  guint           row,
                  char          **f,
                  SabanIndicator *def,
                  gboolean        kinds_ok)
{
  double due;
  gboolean ok = check_optional_number (im, row, "target", f[D_TARGET], &def->target);

  ok = check_optional_number (im, row, "warning", f[D_WARNING], &def->warning) && ok;
  ok = check_optional_number (im, row, "due_days", f[D_DUE_DAYS], &due) && ok;
  if (!ok || !kinds_ok)
    return FALSE;
  if (!isnan (def->warning) && (isnan (def->target) ||
                                (def->higher_is_better ? def->warning > def->target : def->warning < def->target)))
    {
      problem (im, row, "warning", "warning-wrong-side",
               _("Give a target, and a warning threshold on the worse side of it"),
               _("The warning threshold is not on the worse side of the target"));
      return FALSE;
    }
  if (!isnan (due) && (due != floor (due) || due < 0 || due > 366))
    {
      problem (im, row, "due_days", "bad-due-days", _("Write a whole number of days from 0 to 366"),
               _("“%s” is not a number of days"), f[D_DUE_DAYS]);
      return FALSE;
    }
  def->due_days = isnan (due) ? saban_indicator_default_due_days (def->period_kind) : (int) due;
  return TRUE;
}

static gboolean
check_kinds (Import         *im,
             guint           row,
             char          **f,
             SabanIndicator *def)
{
  gboolean ok = TRUE;

  if (!saban_period_kind_parse (f[D_PERIOD], &def->period_kind))
    ok = (problem (im, row, "period", "bad-period-kind", _("Write day, month, quarter or year"),
                   _("“%s” is not a kind of period"), f[D_PERIOD]), FALSE);
  if (!saban_aggregate_parse (f[D_AGGREGATE], &def->aggregate))
    ok = (problem (im, row, "aggregate", "bad-aggregate", _("Write sum, mean or weighted (by population)"),
                   _("“%s” is not a way to add communes up"), f[D_AGGREGATE]), FALSE);
  if (!parse_boolean (f[D_HIGHER], &def->higher_is_better))
    ok = (problem (im, row, "higher_is_better", "bad-boolean", _("Write true or false"),
                   _("“%s” is neither true nor false"), f[D_HIGHER]), FALSE);
  return ok;
}

static void
definition_row (Import  *im,
                guint    row,
                char   **f)
{
  g_autofree SabanIndicator *def = g_new0 (SabanIndicator, 1);
  gboolean ok = check_definition_code (im, row, f[D_CODE]), kinds_ok;

  ok = check_text (im, row, "name", f[D_NAME], MAX_NAME) && ok;
  ok = check_text (im, row, "unit", f[D_UNIT], MAX_CODE) && ok;
  ok = check_text (im, row, "sector", f[D_SECTOR], MAX_NAME) && ok;
  ok = check_text (im, row, "agency", f[D_AGENCY], MAX_NAME) && ok;
  ok = check_text (im, row, "source", f[D_SOURCE], MAX_TEXT) && ok;
  kinds_ok = check_kinds (im, row, f, def);
  if (!check_thresholds (im, row, f, def, kinds_ok) || !ok)
    return;
  def->code = g_strdup (f[D_CODE]);
  def->name = g_strdup (f[D_NAME]);
  def->unit = g_strdup (f[D_UNIT]);
  def->sector = g_strdup (f[D_SECTOR]);
  def->agency = g_strdup (f[D_AGENCY]);
  def->source = g_strdup (f[D_SOURCE]);
  if (!check_against_store (im, row, def))
    {
      saban_indicator_clear (def);
      return;
    }
  g_ptr_array_add (im->definitions, g_steal_pointer (&def));
}

/* The file's definitions become what the values are checked against. */
static void
know_definitions (Import *im)
{
  for (guint i = 0; i < im->definitions->len; i++)
    {
      const SabanIndicator *def = g_ptr_array_index (im->definitions, i);
      Known *k = g_hash_table_lookup (im->known, def->code);

      if (k == NULL)
        {
          k = g_new0 (Known, 1);
          k->code = g_strdup (def->code);
          g_hash_table_insert (im->known, k->code, k);
        }
      g_free (k->unit);
      k->unit = g_strdup (def->unit);
      k->kind = def->period_kind;
    }
}

/* ---- values ---------------------------------------------------------------------- */

/* An XLSX date cell reads "2026/11/06" (with a time of 00:00:00 at most). */
static char *
normalise_period (Import     *im,
                  const char *text)
{
  g_autofree char *copy = g_strdup (text);

  if (im->xlsx && strlen (copy) >= 10 && copy[4] == '/' && copy[7] == '/' &&
      (copy[10] == '\0' || g_str_equal (copy + 10, " 00:00:00")))
    {
      copy[4] = copy[7] = '-';
      copy[10] = '\0';
    }
  return g_steal_pointer (&copy);
}

static gboolean
check_period (Import      *im,
              guint        row,
              const Known *k,
              const char  *text,
              SabanPeriod *period)
{
  g_autofree char *normal = normalise_period (im, text);
  g_autofree char *action = NULL;

  if (!saban_period_parse (normal, period))
    {
      problem (im, row, "period", "bad-period",
               _("Write 2026-11 (a month), 2026-Q3 (a quarter), 2026 (a year) or 2026-11-06 (a day)"),
               _("“%s” is not a period"), text);
      return FALSE;
    }
  if (k != NULL && period->kind != k->kind)
    {
      /* TRANSLATORS: "Write the period as a month, e.g. 2026-11 (in a spreadsheet, as text)" */
      action = g_strdup_printf (_("Write the period as a %s, e.g. %s (in a spreadsheet, format the cell as text)"),
                                kind_label (k->kind), kind_example (k->kind));
      problem (im, row, "period", "wrong-period-kind", action, _("“%s” is a %s, but %s is reported by %s"), text,
               kind_label (period->kind), k->code, kind_label (k->kind));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_unit (Import      *im,
            guint        row,
            const Known *k,
            const char  *unit)
{
  g_autofree char *a = NULL, *b = NULL, *action = NULL;

  if (k == NULL || unit == NULL || *unit == '\0')
    return TRUE;
  a = g_utf8_casefold (unit, -1);
  b = g_utf8_casefold (k->unit, -1);
  if (g_str_equal (a, b))
    return TRUE;
  action = g_strdup_printf (_("Convert the values to “%s”, or correct the unit"), k->unit);
  problem (im, row, "unit", "unit-mismatch", action, _("The unit “%s” is not the indicator’s unit “%s”"), unit,
           k->unit);
  return FALSE;
}

static gboolean
check_duplicate (Import     *im,
                 guint       row,
                 const char *code,
                 const char *place,
                 const char *period)
{
  g_autofree char *key = g_strjoin ("\x1f", "v", code, place, period, NULL);
  gpointer first = g_hash_table_lookup (im->seen, key);

  if (first != NULL)
    {
      problem (im, row, NULL, "duplicate", _("Keep one row for each indicator, commune and period"),
               _("Row %u already gives this indicator, commune and period"), GPOINTER_TO_UINT (first));
      return FALSE;
    }
  g_hash_table_insert (im->seen, g_steal_pointer (&key), GUINT_TO_POINTER (row));
  return TRUE;
}

static void
value_row (Import  *im,
           guint    row,
           char   **f)
{
  const Known *k = g_hash_table_lookup (im->known, f[V_CODE]);
  SabanPeriod period;
  Value v = { 0 };
  gboolean ok = TRUE;
  GDate start;

  if (k == NULL)
    ok = (problem (im, row, "code", "unknown-indicator", _("Add it to the definitions file, or correct the code"),
                   _("The indicator “%s” is not in the catalogue"), f[V_CODE]), FALSE);
  if (!g_hash_table_contains (im->places, f[V_PLACE]))
    ok = (problem (im, row, "commune_code", "unknown-commune",
                   _("Use the commune’s code as in the communes layer (Decision 19/2025/QĐ-TTg), or the province’s"),
                   _("“%s” is not the code of a commune of the province"), f[V_PLACE]), FALSE);
  ok = check_period (im, row, k, f[V_PERIOD], &period) && ok;
  if (*f[V_VALUE] == '\0')
    ok = (problem (im, row, "value", "empty", _("Fill in the value; leave the row out if there is none"),
                   _("The value is missing")), FALSE);
  else if (!check_optional_number (im, row, "value", f[V_VALUE], &v.value))
    ok = FALSE;
  ok = check_unit (im, row, k, f[V_UNIT]) && ok;
  if (!ok)
    return;
  v.period = saban_period_to_string (&period);
  if (!check_duplicate (im, row, f[V_CODE], f[V_PLACE], v.period))
    {
      g_free (v.period);
      return;
    }
  saban_period_get_start (&period, &start);
  v.indicator = k;
  v.place = g_strdup (f[V_PLACE]);
  v.start = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&start), g_date_get_month (&start),
                             g_date_get_day (&start));
  g_array_append_val (im->values, v);
}

/* ---- what the store holds -------------------------------------------------------- */

static gboolean
load_store (Import  *im,
            GError **error)
{
  g_autoptr(SabanStmt) units = saban_store_prepare (im->store, "SELECT code FROM admin_units", error);
  g_autoptr(SabanStmt) known = NULL;

  if (units == NULL)
    return FALSE;
  while (saban_stmt_step (units, NULL))
    {
      char *code = g_strdup (saban_stmt_column_text (units, 0));

      g_hash_table_insert (im->places, code, code);
    }
  known = saban_store_prepare (im->store, "SELECT i.code, i.unit, i.period, "
                               "(SELECT COUNT(*) FROM indicator_values v WHERE v.indicator = i.code) "
                               "FROM indicators i", error);
  if (known == NULL)
    return FALSE;
  while (saban_stmt_step (known, NULL))
    {
      Known *k = g_new0 (Known, 1);

      k->code = g_strdup (saban_stmt_column_text (known, 0));
      k->unit = g_strdup (saban_stmt_column_text (known, 1));
      saban_period_kind_parse (saban_stmt_column_text (known, 2), &k->kind);
      k->n_values = saban_stmt_column_int64 (known, 3);
      k->in_store = TRUE;
      g_hash_table_insert (im->known, k->code, k);
    }
  return TRUE;
}

/* ---- writing ------------------------------------------------------------------------- */

static void
bind_number (SabanStmt *s,
             int           column,
             double        value)
{
  if (isnan (value))
    saban_stmt_bind_null (s, column);
  else
    saban_stmt_bind_double (s, column, value);
}

static gboolean
write_definitions (Import     *im,
                   const char *actor,
                   const char *now,
                   GError    **error)
{
  g_autoptr(SabanStmt) s = saban_store_prepare (im->store,
      "INSERT INTO indicators (code, name, unit, sector, agency, period, aggregate, higher_is_better, target, "
      "warning, due_days, source, updated, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (code) DO UPDATE SET name = excluded.name, unit = excluded.unit, sector = excluded.sector, "
      "agency = excluded.agency, period = excluded.period, aggregate = excluded.aggregate, "
      "higher_is_better = excluded.higher_is_better, target = excluded.target, warning = excluded.warning, "
      "due_days = excluded.due_days, source = excluded.source, updated = excluded.updated, "
      "updated_by = excluded.updated_by", error);

  if (s == NULL)
    return FALSE;
  for (guint i = 0; i < im->definitions->len; i++)
    {
      const SabanIndicator *d = g_ptr_array_index (im->definitions, i);
      const Known *k = g_hash_table_lookup (im->known, d->code);

      saban_stmt_reset (s);
      saban_stmt_bind_text (s, 1, d->code);
      saban_stmt_bind_text (s, 2, d->name);
      saban_stmt_bind_text (s, 3, d->unit);
      saban_stmt_bind_text (s, 4, d->sector);
      saban_stmt_bind_text (s, 5, d->agency);
      saban_stmt_bind_text (s, 6, saban_period_kind_to_string (d->period_kind));
      saban_stmt_bind_text (s, 7, saban_aggregate_to_string (d->aggregate));
      saban_stmt_bind_int64 (s, 8, d->higher_is_better);
      bind_number (s, 9, d->target);
      bind_number (s, 10, d->warning);
      saban_stmt_bind_int64 (s, 11, d->due_days);
      saban_stmt_bind_text (s, 12, d->source);
      saban_stmt_bind_text (s, 13, now);
      saban_stmt_bind_text (s, 14, actor);
      if (!saban_stmt_run (s, error))
        return FALSE;
      if (k != NULL && k->in_store)
        im->report->definitions_changed++;
      else
        im->report->definitions_added++;
    }
  return TRUE;
}

static int
compare_values (gconstpointer a,
                gconstpointer b)
{
  const Value *x = a, *y = b;
  int c = strcmp (x->indicator->code, y->indicator->code);

  return c != 0 ? c : strcmp (x->period, y->period);
}

/* Empties one (indicator, period) before its new values; a replacement is audited. */
static gboolean
replace_period (Import      *im,
                const Value *first,
                guint        n_new,
                const char  *actor,
                GError     **error)
{
  g_autoptr(SabanStmt) del = NULL;
  g_autofree char *target = NULL, *detail = NULL;
  int removed;

  if (first->indicator->n_values == 0)
    return TRUE;  /* nothing held yet: nothing to replace */
  if ((del = saban_store_prepare (im->store, "DELETE FROM indicator_values WHERE indicator = ? AND period = ?",
                                  error)) == NULL)
    return FALSE;
  saban_stmt_bind_text (del, 1, first->indicator->code);
  saban_stmt_bind_text (del, 2, first->period);
  if (!saban_stmt_run (del, error))
    return FALSE;
  removed = (int) saban_stmt_changes (del);
  if (removed == 0)
    return TRUE;
  im->report->periods_replaced++;
  target = g_strdup_printf ("indicators/%s/%s", first->indicator->code, first->period);
  detail = g_strdup_printf ("%d values replaced by %u", removed, n_new);
  return saban_store_audit (im->store, actor, "replace-indicator-values", target, detail, error);
}

static gboolean
write_values (Import     *im,
              const char *actor,
              const char *now,
              GError    **error)
{
  g_autoptr(SabanStmt) ins = saban_store_prepare (im->store,
      "INSERT INTO indicator_values (indicator, unit_code, period, period_start, value, uploaded, uploaded_by) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)", error);

  if (ins == NULL)
    return FALSE;
  g_array_sort (im->values, compare_values);
  for (guint i = 0; i < im->values->len; i++)
    {
      const Value *v = &g_array_index (im->values, Value, i);

      if (i == 0 || compare_values (v, v - 1) != 0)
        {
          guint n = 1;

          while (i + n < im->values->len && compare_values (v, v + n) == 0)
            n++;
          if (!replace_period (im, v, n, actor, error))
            return FALSE;
        }
      saban_stmt_reset (ins);
      saban_stmt_bind_text (ins, 1, v->indicator->code);
      saban_stmt_bind_text (ins, 2, v->place);
      saban_stmt_bind_text (ins, 3, v->period);
      saban_stmt_bind_text (ins, 4, v->start);
      saban_stmt_bind_double (ins, 5, v->value);
      saban_stmt_bind_text (ins, 6, now);
      saban_stmt_bind_text (ins, 7, actor);
      if (!saban_stmt_run (ins, error))
        return FALSE;
      im->report->values_written++;
    }
  return TRUE;
}

static gboolean
write_all (Import     *im,
           const char *actor,
           GError    **error)
{
  g_autofree char *now = saban_store_now ();
  g_autofree char *detail = NULL;

  if (!saban_store_begin (im->store, error))
    return FALSE;
  if (!write_definitions (im, actor, now, error) || !write_values (im, actor, now, error))
    goto fail;
  detail = g_strdup_printf ("%u definitions added, %u changed; %u values written, %u periods replaced",
                            im->report->definitions_added, im->report->definitions_changed,
                            im->report->values_written, im->report->periods_replaced);
  if (!saban_store_audit (im->store, actor, "import-indicators", "indicators", detail, error))
    goto fail;
  return saban_store_commit (im->store, error);
fail:
  saban_store_rollback (im->store);
  return FALSE;
}

static void
value_clear (gpointer data)
{
  Value *v = data;

  g_free (v->place);
  g_free (v->period);
  g_free (v->start);
}

static void
definition_free (gpointer data)
{
  saban_indicator_clear (data);
  g_free (data);
}

/**
 * saban_indicator_import:
 * @definitions_path: (nullable): a GDAL path (a file, or /vsimem/) of the definitions table
 * @values_path: (nullable): the values table
 * @actor: who imports, for the values' uploader and the audit trail
 * @report: (out caller-allocates): initialised with saban_import_report_init()
 *
 * Checks every row of both tables, then writes all of them in one
 * transaction, or nothing.
 *
 * Returns: %TRUE when imported; %FALSE with @error set when refused (the
 *   problems in @report, %G_IO_ERROR_INVALID_DATA) or when the store failed
 */
gboolean
saban_indicator_import (SabanStore        *store,
                        const char        *definitions_path,
                        const char        *values_path,
                        const char        *actor,
                        SabanImportReport *report,
                        GError           **error)
{
  Import im = { .store = store, .report = report };
  gboolean ok = FALSE;

  im.places = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.known = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, known_free);
  im.definitions = g_ptr_array_new_with_free_func (definition_free);
  im.values = g_array_new (FALSE, FALSE, sizeof (Value));
  g_array_set_clear_func (im.values, value_clear);
  im.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!load_store (&im, error))
    goto out;
  if (g_hash_table_size (im.places) == 0)
    {
      im.file = "values";
      problem (&im, 0, NULL, "no-communes", _("Start the server with the province’s GeoPackage (--data), which has a "
                                              "communes layer"), _("The server knows no communes yet"));
    }
  im.file = "definitions";
  if (definitions_path != NULL)
    read_table (&im, definitions_path, definition_columns, definition_row);
  know_definitions (&im);
  im.file = "values";
  if (values_path != NULL)
    read_table (&im, values_path, value_columns, value_row);
  if (report->n_problems > 0)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "refused: %u problems, nothing imported",
                 report->n_problems);
  else
    ok = write_all (&im, actor, error);
out:
  g_hash_table_unref (im.places);
  g_hash_table_unref (im.known);
  g_ptr_array_unref (im.definitions);
  g_array_unref (im.values);
  g_hash_table_unref (im.seen);
  return ok;
}
