/* saban-indicators.c: the socio-economic indicators API.
 *
 *   GET  /indicators                  the catalogue, the province and its communes
 *   GET  /indicators/values           values by indicator and period, one row per period
 *   POST /indicators/import           multipart upload of the definitions and/or values
 *
 * A small JSON API rather than Features collections: the desk reads 30
 * indicators × 24 months × 99 communes at sign-in, which is ~0.6 MB as rows
 * of numbers and ~15 MB as GeoJSON Features, and it has one second.
 * The communes and their populations are those of the served GeoPackage,
 * copied into the store at start (saban_indicators_sync_units), so the
 * command-line importer checks codes against the same list.
 */
#include "saban-indicators.h"

#include <cpl_vsi.h>
#include <gdal.h>
#include <gio/gio.h>
#include <math.h>
#include <ogr_api.h>

#include "saban-auth.h"
#include "saban-indicator-import.h"
#include "saban-indicator.h"

#define MAX_LIST 1000

/* ---- the communes from the GeoPackage ------------------------------------------- */

/* The first field named like one of @names (any case); else, for a number, any
 * field whose name contains one of them. */
static int
find_field (OGRFeatureDefnH     defn,
            const char *const  *names,
            gboolean            numeric)
{
  for (int pass = 0; pass < 2; pass++)
    for (guint n = 0; names[n] != NULL; n++)
      for (int f = 0; f < OGR_FD_GetFieldCount (defn); f++)
        {
          OGRFieldDefnH fd = OGR_FD_GetFieldDefn (defn, f);
          g_autofree char *lower = g_ascii_strdown (OGR_Fld_GetNameRef (fd), -1);
          OGRFieldType type = OGR_Fld_GetType (fd);

          if (numeric && type != OFTInteger && type != OFTInteger64 && type != OFTReal)
            continue;
          if (pass == 0 ? g_str_equal (lower, names[n]) : (numeric && strstr (lower, names[n]) != NULL))
            return f;
        }
  return -1;
}

static const char *const code_names[] = { "code", "ma", "ma_xa", "commune_code", "ma_dvhc", "madvhc", "ma_tinh", NULL };
static const char *const name_names[] = { "name", "ten", "ten_xa", "ten_dvhc", "ten_tinh", NULL };
static const char *const population_names[] = { "population", "dan_so", "danso", "so_dan", "nhan_khau", "pop", NULL };

static gboolean
insert_unit (SabanStore  *store,
             const char  *code,
             const char  *name,
             const char  *kind,
             double       population,
             const char  *now,
             GError     **error)
{
  g_autoptr(SabanStmt) s = saban_store_prepare (store, "INSERT INTO admin_units "
                                                   "(code, name, kind, population, updated) VALUES (?, ?, ?, ?, ?) "
                                                   "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
                                                   "kind = excluded.kind, population = excluded.population, "
                                                   "updated = excluded.updated",
                                                   error);

  if (s == NULL)
    return FALSE;
  saban_stmt_bind_text (s, 1, code);
  saban_stmt_bind_text (s, 2, name);
  saban_stmt_bind_text (s, 3, kind);
  if (isnan (population))
    saban_stmt_bind_null (s, 4);
  else
    saban_stmt_bind_double (s, 4, population);
  saban_stmt_bind_text (s, 5, now);
  return saban_stmt_run (s, error);
}

/* Every feature of @layer as an admin unit of @kind; adds the populations to *total. */
static gboolean
copy_units (SabanStore  *store,
            OGRLayerH    layer,
            const char  *kind,
            const char  *now,
            double      *total,
            GError     **error)
{
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn (layer);
  int code = find_field (defn, code_names, FALSE), name = find_field (defn, name_names, FALSE);
  int population = find_field (defn, population_names, TRUE);
  OGRFeatureH f;
  gboolean ok = TRUE;

  if (code < 0)
    return TRUE;
  OGR_L_SetIgnoredFields (layer, (const char *[]) { "OGR_GEOMETRY", NULL });
  OGR_L_ResetReading (layer);
  while (ok && (f = OGR_L_GetNextFeature (layer)) != NULL)
    {
      const char *c = OGR_F_GetFieldAsString (f, code);
      double p = population >= 0 && OGR_F_IsFieldSetAndNotNull (f, population)
                   ? OGR_F_GetFieldAsDouble (f, population) : NAN;

      if (*c != '\0' && g_utf8_validate (c, -1, NULL))
        {
          ok = insert_unit (store, c, name >= 0 ? OGR_F_GetFieldAsString (f, name) : c, kind, p, now, error);
          *total += isnan (p) ? 0 : p;
        }
      OGR_F_Destroy (f);
    }
  return ok;
}

/**
 * saban_indicators_sync_units:
 * @gpkg_path: the served GeoPackage: its `communes` layer (and `province`)
 *
 * Copies the communes — code, name and population, each found by the names
 * such fields go by — into the store, replacing what was there. The
 * province's population is its own field's or the communes' sum.
 */
gboolean
saban_indicators_sync_units (SabanStore  *store,
                             const char  *gpkg_path,
                             GError     **error)
{
  GDALDatasetH ds = GDALOpenEx (gpkg_path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  OGRLayerH communes = ds != NULL ? GDALDatasetGetLayerByName (ds, "communes") : NULL;
  OGRLayerH province = ds != NULL ? GDALDatasetGetLayerByName (ds, "province") : NULL;
  g_autofree char *now = saban_store_now ();
  double total = 0, province_total = 0;
  gboolean ok;

  if (communes == NULL)
    {
      if (ds != NULL)
        GDALClose (ds);
      return TRUE;  /* no communes: the store keeps what it knew */
    }
  ok = saban_store_begin (store, error) && saban_store_exec (store, "DELETE FROM admin_units", error) &&
       copy_units (store, communes, "commune", now, &total, error) &&
       (province == NULL || copy_units (store, province, "province", now, &province_total, error));
  if (ok && province != NULL && province_total == 0)
    ok = saban_store_exec (store, "UPDATE admin_units SET population = (SELECT SUM(population) FROM admin_units "
                           "WHERE kind = 'commune') WHERE kind = 'province'", error);
  GDALClose (ds);
  if (!ok)
    {
      saban_store_rollback (store);
      return FALSE;
    }
  return saban_store_commit (store, error);
}

/* ---- GET /indicators -------------------------------------------------------------- */

static void
add_string_or_null (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_number_or_null (JsonBuilder *b,
                    const char  *name,
                    double       value)
{
  json_builder_set_member_name (b, name);
  if (isnan (value))
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, value);
}

static double
column_number (SabanStmt *s,
               int           column)
{
  return saban_stmt_column_is_null (s, column) ? NAN : saban_stmt_column_double (s, column);
}

static void
add_unit (JsonBuilder  *b,
          SabanStmt *s)
{
  json_builder_begin_object (b);
  add_string_or_null (b, "code", saban_stmt_column_text (s, 0));
  add_string_or_null (b, "name", saban_stmt_column_text (s, 1));
  add_number_or_null (b, "population", column_number (s, 3));
  json_builder_end_object (b);
}

static void
add_units (JsonBuilder *b,
           SabanStore  *store)
{
  g_autoptr(SabanStmt) s = saban_store_prepare (store, "SELECT code, name, kind, population FROM admin_units "
                                                   "ORDER BY kind = 'province' DESC, code", NULL);
  gboolean in_communes = FALSE;

  json_builder_set_member_name (b, "province");
  while (s != NULL && saban_stmt_step (s, NULL))
    {
      if (g_str_equal (saban_stmt_column_text (s, 2), "province"))
        {
          if (!in_communes)
            add_unit (b, s);
          continue;
        }
      if (!in_communes)
        {
          in_communes = TRUE;
          json_builder_set_member_name (b, "communes");
          json_builder_begin_array (b);
        }
      add_unit (b, s);
    }
  if (!in_communes)
    {
      json_builder_set_member_name (b, "communes");
      json_builder_begin_array (b);
    }
  json_builder_end_array (b);
}

/* Vietnam's calendar day now (UTC+7, no summer time). */
static void
today_in_vietnam (GDate *today)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) local = g_date_time_add_hours (now, 7);

  g_date_clear (today, 1);
  g_date_set_dmy (today, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
}

enum { C_CODE, C_NAME, C_UNIT, C_SECTOR, C_AGENCY, C_PERIOD, C_AGGREGATE, C_HIGHER, C_TARGET, C_WARNING, C_DUE,
       C_SOURCE, C_FIRST, C_LAST, C_UPLOADED, C_UPLOADED_BY, C_COUNT };

static void
add_freshness (JsonBuilder  *b,
               SabanStmt *s,
               const GDate  *today)
{
  SabanIndicator def = { 0 };
  GDate due;
  char text[16];

  saban_period_kind_parse (saban_stmt_column_text (s, C_PERIOD), &def.period_kind);
  def.due_days = saban_stmt_column_int64 (s, C_DUE);
  def.has_last_period = !saban_stmt_column_is_null (s, C_LAST) &&
                        saban_period_parse (saban_stmt_column_text (s, C_LAST), &def.last_period);
  json_builder_set_member_name (b, "nextDue");
  if (saban_indicator_next_due (&def, &due))
    {
      g_snprintf (text, sizeof text, "%04d-%02d-%02d", g_date_get_year (&due), g_date_get_month (&due),
                  g_date_get_day (&due));
      json_builder_add_string_value (b, text);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "overdueDays");
  json_builder_add_int_value (b, saban_indicator_overdue_days (&def, today));
}

static void
add_definition (JsonBuilder  *b,
                SabanStmt *s,
                const GDate  *today)
{
  static const char *const texts[] = { "code", "name", "unit", "sector", "agency", "period", "aggregate" };
  gboolean higher = saban_stmt_column_int64 (s, C_HIGHER) != 0;
  double target = column_number (s, C_TARGET), warning = column_number (s, C_WARNING);

  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    add_string_or_null (b, texts[i], saban_stmt_column_text (s, (int) i));
  json_builder_set_member_name (b, "higherIsBetter");
  json_builder_add_boolean_value (b, higher);
  add_number_or_null (b, "target", target);
  add_number_or_null (b, "warning", isnan (warning) ? saban_indicator_default_warning (higher, target) : warning);
  json_builder_set_member_name (b, "dueDays");
  json_builder_add_int_value (b, saban_stmt_column_int64 (s, C_DUE));
  add_string_or_null (b, "source", saban_stmt_column_text (s, C_SOURCE));
  add_string_or_null (b, "firstPeriod", saban_stmt_column_text (s, C_FIRST));
  add_string_or_null (b, "lastPeriod", saban_stmt_column_text (s, C_LAST));
  add_string_or_null (b, "lastUpdate", saban_stmt_column_text (s, C_UPLOADED));
  add_string_or_null (b, "updatedBy", saban_stmt_column_text (s, C_UPLOADED_BY));
  add_freshness (b, s, today);
  json_builder_set_member_name (b, "values");
  json_builder_add_int_value (b, saban_stmt_column_int64 (s, C_COUNT));
  json_builder_end_object (b);
}

static void
catalogue_get (SabanRequest *req,
               gpointer      data)
{
  SabanStore *store = saban_server_get_store (req->server);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SabanStmt) s = NULL;
  g_autofree char *now = saban_store_now ();
  GDate today;

  if (!saban_request_require_user (req))
    return;
  today_in_vietnam (&today);
  s = saban_store_prepare (store,
      "SELECT i.code, i.name, i.unit, i.sector, i.agency, i.period, i.aggregate, i.higher_is_better, i.target, "
      "i.warning, i.due_days, i.source, "
      "(SELECT period FROM indicator_values v WHERE v.indicator = i.code ORDER BY period_start LIMIT 1), "
      "(SELECT period FROM indicator_values v WHERE v.indicator = i.code ORDER BY period_start DESC LIMIT 1), "
      "(SELECT MAX(uploaded) FROM indicator_values v WHERE v.indicator = i.code), "
      "(SELECT uploaded_by FROM indicator_values v WHERE v.indicator = i.code ORDER BY uploaded DESC LIMIT 1), "
      "(SELECT COUNT(*) FROM indicator_values v WHERE v.indicator = i.code) "
      "FROM indicators i ORDER BY i.sector, i.code", NULL);
  json_builder_begin_object (b);
  add_string_or_null (b, "generated", now);
  add_units (b, store);
  json_builder_set_member_name (b, "indicators");
  json_builder_begin_array (b);
  while (s != NULL && saban_stmt_step (s, NULL))
    add_definition (b, s, &today);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  saban_request_reply_json (req, SOUP_STATUS_OK, NULL, root);
}

/* ---- GET /indicators/values --------------------------------------------------------- */

static const char *const value_params[] = { "indicator", "commune", "from", "to", NULL };

typedef struct
{
  GPtrArray  *codes;        /* commune codes, the response's columns */
  GHashTable *column;       /* code → column + 1 */
  double     *populations;
  char       *province;     /* the province's code, or NULL */
} Columns;

static void
columns_clear (Columns *c)
{
  g_clear_pointer (&c->codes, g_ptr_array_unref);
  g_clear_pointer (&c->column, g_hash_table_unref);
  g_clear_pointer (&c->populations, g_free);
  g_clear_pointer (&c->province, g_free);
}

/* The communes asked for (all without @filter), in code order. */
static gboolean
load_columns (SabanStore *store,
              const char *filter,
              Columns    *c)
{
  g_auto(GStrv) wanted = filter != NULL ? g_strsplit (filter, ",", MAX_LIST + 1) : NULL;
  g_autoptr(SabanStmt) s = saban_store_prepare (store, "SELECT code, kind, population FROM admin_units "
                                                   "ORDER BY code", NULL);
  g_autoptr(GArray) pops = g_array_new (FALSE, FALSE, sizeof (double));

  if (wanted != NULL && g_strv_length (wanted) > MAX_LIST)
    return FALSE;
  c->codes = g_ptr_array_new_with_free_func (g_free);
  c->column = g_hash_table_new (g_str_hash, g_str_equal);
  while (s != NULL && saban_stmt_step (s, NULL))
    {
      const char *code = saban_stmt_column_text (s, 0);
      double p = column_number (s, 2);

      if (g_str_equal (saban_stmt_column_text (s, 1), "province"))
        {
          g_free (c->province);
          c->province = g_strdup (code);
          continue;
        }
      if (wanted != NULL && !g_strv_contains ((const char *const *) wanted, code))
        continue;
      g_ptr_array_add (c->codes, g_strdup (code));
      g_hash_table_insert (c->column, g_ptr_array_index (c->codes, c->codes->len - 1),
                           GUINT_TO_POINTER (c->codes->len));
      g_array_append_val (pops, p);
    }
  c->populations = (double *) g_array_free (g_steal_pointer (&pops), FALSE);
  return TRUE;
}

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *quoted = NULL;

  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  json_node_set_string (node, text);
  quoted = json_to_string (node, FALSE);
  g_string_append (out, quoted);
}

static void
append_number (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    g_string_append (out, "null");
  else
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.15g", value));
}

/* One (indicator, period) row being gathered. */
typedef struct
{
  char   *period;
  double *cells;       /* province uploaded, then the columns */
  char   *uploaded;
  char   *uploaded_by;
} Row;

static void
row_clear (gpointer data)
{
  Row *r = data;

  g_free (r->period);
  g_free (r->cells);
  g_free (r->uploaded);
  g_free (r->uploaded_by);
}

static void
append_series (GString              *out,
               const char            *indicator,
               SabanAggregate         aggregate,
               GArray                *rows,
               const Columns         *c)
{
  guint n = c->codes->len;

  g_string_append (out, out->str[out->len - 1] == '[' ? "{\"indicator\":" : ",{\"indicator\":");
  append_json_string (out, indicator);
  g_string_append (out, ",\"rule\":");
  append_json_string (out, saban_aggregate_to_string (aggregate));
  g_string_append (out, ",\"periods\":[");
  for (guint p = 0; p < rows->len; p++)
    {
      g_string_append (out, p ? "," : "");
      append_json_string (out, g_array_index (rows, Row, p).period);
    }
  g_string_append (out, "],\"values\":[");
  for (guint p = 0; p < rows->len; p++)
    {
      const Row *r = &g_array_index (rows, Row, p);

      g_string_append (out, p ? ",[" : "[");
      for (guint k = 0; k < n; k++)
        {
          g_string_append (out, k ? "," : "");
          append_number (out, r->cells[1 + k]);
        }
      g_string_append_c (out, ']');
    }
  g_string_append (out, "],\"province\":[");
  for (guint p = 0; p < rows->len; p++)
    {
      g_string_append (out, p ? "," : "");
      append_number (out, g_array_index (rows, Row, p).cells[0]);
    }
  g_string_append (out, "],\"aggregate\":[");
  for (guint p = 0; p < rows->len; p++)
    {
      g_string_append (out, p ? "," : "");
      append_number (out, saban_aggregate_values (aggregate, g_array_index (rows, Row, p).cells + 1,
                                                  c->populations, n));
    }
  g_string_append (out, "],\"uploadedAt\":[");
  for (guint p = 0; p < rows->len; p++)
    {
      g_string_append (out, p ? "," : "");
      append_json_string (out, g_array_index (rows, Row, p).uploaded);
    }
  g_string_append (out, "],\"uploadedBy\":[");
  for (guint p = 0; p < rows->len; p++)
    {
      g_string_append (out, p ? "," : "");
      append_json_string (out, g_array_index (rows, Row, p).uploaded_by);
    }
  g_string_append (out, "]}");
}

static Row *
row_for (GArray     *rows,
         const char *period,
         guint       n_columns)
{
  Row r = { 0 };

  if (rows->len > 0 && g_str_equal (g_array_index (rows, Row, rows->len - 1).period, period))
    return &g_array_index (rows, Row, rows->len - 1);
  r.period = g_strdup (period);
  r.cells = g_new (double, n_columns + 1);
  for (guint k = 0; k <= n_columns; k++)
    r.cells[k] = NAN;
  g_array_append_val (rows, r);
  return &g_array_index (rows, Row, rows->len - 1);
}

/* The latest upload of a period names it. */
static void
note_upload (Row          *r,
             SabanStmt *s)
{
  const char *at = saban_stmt_column_text (s, 5);

  if (at == NULL || (r->uploaded != NULL && strcmp (r->uploaded, at) >= 0))
    return;
  g_free (r->uploaded);
  g_free (r->uploaded_by);
  r->uploaded = g_strdup (at);
  r->uploaded_by = g_strdup (saban_stmt_column_text (s, 6));
}

enum { VQ_INDICATOR, VQ_AGGREGATE, VQ_PLACE, VQ_PERIOD, VQ_VALUE };

/* Streams the query's rows (by indicator, then period) into series. */
static void
write_series (GString       *out,
              SabanStmt *s,
              const Columns *c)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (Row));
  g_autofree char *indicator = NULL;
  SabanAggregate aggregate = SABAN_AGGREGATE_SUM;

  g_array_set_clear_func (rows, row_clear);
  while (saban_stmt_step (s, NULL))
    {
      const char *code = saban_stmt_column_text (s, VQ_INDICATOR);
      const char *place = saban_stmt_column_text (s, VQ_PLACE);
      guint column = GPOINTER_TO_UINT (g_hash_table_lookup (c->column, place));
      Row *r;

      if (indicator == NULL || !g_str_equal (indicator, code))
        {
          if (indicator != NULL)
            append_series (out, indicator, aggregate, rows, c);
          g_array_set_size (rows, 0);
          g_free (indicator);
          indicator = g_strdup (code);
          saban_aggregate_parse (saban_stmt_column_text (s, VQ_AGGREGATE), &aggregate);
        }
      if (column == 0 && g_strcmp0 (place, c->province) != 0)
        continue;
      r = row_for (rows, saban_stmt_column_text (s, VQ_PERIOD), c->codes->len);
      r->cells[column] = saban_stmt_column_double (s, VQ_VALUE);
      note_upload (r, s);
    }
  if (indicator != NULL)
    append_series (out, indicator, aggregate, rows, c);
}

/* "from"/"to" periods as the first and last day they cover; FALSE with a 400 sent. */
static gboolean
parse_range (SabanRequest *req,
             char        **from,
             char        **to)
{
  static const char *const names[] = { "from", "to" };

  for (guint i = 0; i < 2; i++)
    {
      const char *v = g_hash_table_lookup (req->query, names[i]);
      SabanPeriod p;
      GDate d;

      if (v == NULL)
        continue;
      if (!saban_period_parse (v, &p))
        {
          saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid-parameter",
                               "%s must be a period: 2026-11, 2026-Q3, 2026 or 2026-11-06", names[i]);
          return FALSE;
        }
      if (i == 0)
        saban_period_get_start (&p, &d);
      else
        saban_period_get_end (&p, &d);
      *(i == 0 ? from : to) = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&d), g_date_get_month (&d),
                                               g_date_get_day (&d));
    }
  return TRUE;
}

static gboolean
check_params (SabanRequest *req)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, req->query);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_strv_contains (value_params, key))
      {
        saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid-parameter", "unknown query parameter: %s",
                             (const char *) key);
        return FALSE;
      }
  return TRUE;
}

static SabanStmt *
values_query (SabanStore *store,
              const char *indicators,
              const char *from,
              const char *to)
{
  g_auto(GStrv) codes = indicators != NULL ? g_strsplit (indicators, ",", MAX_LIST + 1) : NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT v.indicator, i.aggregate, v.unit_code, v.period, v.value, "
                                         "v.uploaded, v.uploaded_by FROM indicator_values v "
                                         "JOIN indicators i ON i.code = v.indicator WHERE TRUE");
  SabanStmt *s;
  int n = 1;

  if (codes != NULL && g_strv_length (codes) > MAX_LIST)
    return NULL;
  if (codes != NULL)
    {
      g_string_append (sql, " AND v.indicator IN (");
      for (guint i = 0; codes[i] != NULL; i++)
        g_string_append (sql, i ? ", ?" : "?");
      g_string_append_c (sql, ')');
    }
  if (from != NULL)
    g_string_append (sql, " AND v.period_start >= ?");
  if (to != NULL)
    g_string_append (sql, " AND v.period_start <= ?");
  g_string_append (sql, " ORDER BY v.indicator, v.period_start");
  if ((s = saban_store_prepare (store, sql->str, NULL)) == NULL)
    return NULL;
  for (guint i = 0; codes != NULL && codes[i] != NULL; i++)
    saban_stmt_bind_text (s, n++, codes[i]);
  if (from != NULL)
    saban_stmt_bind_text (s, n++, from);
  if (to != NULL)
    saban_stmt_bind_text (s, n++, to);
  return s;
}

static void
values_get (SabanRequest *req,
            gpointer      data)
{
  SabanStore *store = saban_server_get_store (req->server);
  g_autofree char *from = NULL, *to = NULL, *now = saban_store_now ();
  g_autoptr(SabanStmt) s = NULL;
  g_autoptr(GString) out = g_string_sized_new (64 * 1024);
  Columns c = { 0 };

  if (!saban_request_require_user (req) || !check_params (req) || !parse_range (req, &from, &to))
    return;
  if (!load_columns (store, g_hash_table_lookup (req->query, "commune"), &c) ||
      (s = values_query (store, g_hash_table_lookup (req->query, "indicator"), from, to)) == NULL)
    {
      columns_clear (&c);
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid-parameter",
                           "indicator and commune are comma-separated lists of at most %d codes", MAX_LIST);
      return;
    }
  g_string_append (out, "{\"generated\":");
  append_json_string (out, now);
  g_string_append (out, ",\"communes\":[");
  for (guint k = 0; k < c.codes->len; k++)
    {
      g_string_append (out, k ? "," : "");
      append_json_string (out, g_ptr_array_index (c.codes, k));
    }
  g_string_append (out, "],\"series\":[");
  write_series (out, s, &c);
  g_string_append (out, "]}");
  columns_clear (&c);
  saban_request_reply_bytes (req, SOUP_STATUS_OK, "application/json", out->str, out->len);
}

/* ---- POST /indicators/import ----------------------------------------------------------- */

/* A part's bytes as a /vsimem/ file GDAL can open; the bytes must outlive it. */
static char *
part_to_vsimem (GBytes *bytes)
{
  static gint counter;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  char *path = g_strdup_printf ("/vsimem/saban-import-%d.csv", g_atomic_int_add (&counter, 1));

  VSIFCloseL (VSIFileFromMemBuffer (path, (GByte *) data, (vsi_l_offset) len, FALSE));
  return path;
}

/* The "definitions" and "values" parts of a multipart/form-data body; FALSE with a reply sent. */
static gboolean
read_parts (SabanRequest *req,
            GBytes      **parts)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  static const char *const names[] = { "definitions", "values" };
  g_autoptr(SoupMultipart) multipart = NULL;

  if (req->body == NULL || (multipart = soup_multipart_new_from_message (headers, req->body)) == NULL)
    {
      saban_request_error (req, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                           "send multipart/form-data with a part named definitions and/or values (CSV or XLSX)");
      return FALSE;
    }
  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *h = NULL;
      GBytes *body = NULL;
      g_autoptr(GHashTable) params = NULL;
      g_autofree char *disposition = NULL;
      const char *name;

      if (!soup_multipart_get_part (multipart, i, &h, &body) ||
          !soup_message_headers_get_content_disposition (h, &disposition, &params) ||
          (name = g_hash_table_lookup (params, "name")) == NULL)
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (names); k++)
        if (g_str_equal (name, names[k]) && parts[k] == NULL)
          parts[k] = g_bytes_ref (body);
    }
  if (parts[0] == NULL && parts[1] == NULL)
    {
      saban_request_error (req, SOUP_STATUS_BAD_REQUEST, "bad-request",
                           "the form has no part named definitions or values");
      return FALSE;
    }
  return TRUE;
}

static void
import_post (SabanRequest *req,
             gpointer      data)
{
  GBytes *parts[2] = { NULL, NULL };
  char *paths[2] = { NULL, NULL };
  SabanImportReport report;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  gboolean ok;

  if (!saban_request_require_role (req, "import indicators", saban_auth_can_import_indicators) ||
      !read_parts (req, parts))
    goto out;
  for (guint k = 0; k < 2; k++)
    paths[k] = parts[k] != NULL ? part_to_vsimem (parts[k]) : NULL;
  saban_import_report_init (&report);
  ok = saban_indicator_import (saban_server_get_store (req->server), paths[0], paths[1], req->user, &report,
                               &error);
  body = saban_import_report_to_json (&report);
  if (ok)
    saban_request_reply_json (req, SOUP_STATUS_OK, NULL, body);
  else if (report.n_problems > 0)
    {
      g_autofree char *description = g_strdup_printf ("the upload has %u problems; nothing was imported",
                                                      report.n_problems);

      saban_message_error (req->msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "import-refused", description,
                           json_node_get_object (body));
    }
  else
    saban_request_storage_error (req, error);
  saban_import_report_clear (&report);
out:
  for (guint k = 0; k < 2; k++)
    {
      if (paths[k] != NULL)
        VSIUnlink (paths[k]);
      g_free (paths[k]);
      g_clear_pointer (&parts[k], g_bytes_unref);
    }
}

/**
 * saban_indicators_register:
 * Adds the indicator routes to @server's router.
 */
void
saban_indicators_register (SabanServer *server)
{
  SabanRouter *router = saban_server_get_router (server);

  saban_router_add (router, "GET", "/indicators", catalogue_get, NULL);
  saban_router_add (router, "GET", "/indicators/values", values_get, NULL);
  saban_router_add (router, "POST", "/indicators/import", import_post, NULL);
}
