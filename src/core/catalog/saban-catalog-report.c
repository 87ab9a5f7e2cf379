/* saban-catalog-report.c: the data catalogue as a report: a CSV or XLSX
 * table (through GDAL), or a PDF (cairo and Pango, A4 landscape), one row
 * per layer or collection with its keeper's words, its state and what each
 * check found. Written beside the file and renamed onto it.
 */
#include "saban-catalog-report.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <cpl_error.h>
#include <gdal.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <ogr_api.h>
#include <pango/pangocairo.h>

#include "saban-cairo-text.h"
#include "saban-error.h"
#include "saban-format.h"
#include "saban-ogr-export.h"

#define PAGE_W 841.89
#define PAGE_H 595.28
#define MARGIN 42.0

/* The report's columns, one per entry's fact, then one per check. */
enum { COL_TITLE, COL_OWNER, COL_FREQUENCY, COL_UPDATED, COL_FEATURES, COL_CRS, COL_LINEAGE, COL_STATE, N_COLS };

static const char *
column_title (guint column)
{
  static const char * const titles[] = {
    [COL_TITLE] = N_("Layer"),
    [COL_OWNER] = N_("Owner agency"),
    [COL_FREQUENCY] = N_("Update frequency"),
    [COL_UPDATED] = N_("Last update"),
    [COL_FEATURES] = N_("Features"),
    [COL_CRS] = N_("Coordinate system"),
    [COL_LINEAGE] = N_("Lineage"),
    [COL_STATE] = N_("State"),
  };

  return _(titles[column]);
}

/* Entry @e's value in @column, as the report writes it. */
static char *
cell (SabanCatalogEntry *e,
      guint              column)
{
  const SabanCatalogMetadata *m = saban_catalog_entry_get_metadata (e);

  switch (column)
    {
    case COL_TITLE:
      return g_strdup (saban_catalog_entry_get_title (e));
    case COL_OWNER:
      return g_strdup (m->owner != NULL ? m->owner : "");
    case COL_FREQUENCY:
      return saban_catalog_describe_frequency (m->update_frequency);
    case COL_UPDATED:
      return m->last_update != NULL ? g_date_time_format (m->last_update, "%d/%m/%Y") : g_strdup ("");
    case COL_FEATURES:
      return saban_catalog_entry_get_n_features (e) >= 0
             ? saban_format_number (saban_catalog_entry_get_n_features (e), 0) : g_strdup ("");
    case COL_CRS:
      return g_strdup (saban_catalog_entry_get_crs_name (e) != NULL ? saban_catalog_entry_get_crs_name (e) : "");
    case COL_LINEAGE:
      return g_strdup (m->lineage != NULL ? m->lineage : "");
    case COL_STATE:
    default:
      return g_strdup (saban_quality_state_describe (saban_catalog_entry_get_state (e)));
    }
}

/* Every finding of @check (two domains may be checked), "state: summary". */
static char *
check_cell (SabanCatalogEntry *e,
            SabanQualityCheck  check)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < saban_catalog_entry_get_n_findings (e); i++)
    {
      const SabanQualityFinding *f = saban_catalog_entry_get_finding (e, i);

      if (f->check != check)
        continue;
      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append_printf (text, "%s: %s", saban_quality_state_describe (f->state), f->summary);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ------------------------------------------------------------- CSV, XLSX */

static gboolean
write_table (GPtrArray                 *entries,
             SabanCatalogReportFormat   format,
             const char                *path,
             GError                   **error)
{
  GDALDriverH driver = GDALGetDriverByName (format == SABAN_CATALOG_REPORT_XLSX ? "XLSX" : "CSV");
  const char *csv_options[] = { "WRITE_BOM=YES", NULL };
  GDALDatasetH ds;
  OGRLayerH layer;
  gboolean ok;

  CPLPushErrorHandler (CPLQuietErrorHandler);
  ds = driver != NULL ? GDALCreate (driver, path, 0, 0, 0, GDT_Unknown, NULL) : NULL;
  /* TRANSLATORS: the sheet's name in the data catalogue's spreadsheet */
  layer = ds != NULL ? GDALDatasetCreateLayer (ds, _("Data catalogue"), NULL, wkbNone,
                                               format == SABAN_CATALOG_REPORT_CSV ? (char **) csv_options : NULL)
                     : NULL;
  ok = layer != NULL;
  for (guint c = 0; ok && c < N_COLS + SABAN_QUALITY_CHECK_FRESHNESS + 1; c++)
    {
      OGRFieldDefnH fd = OGR_Fld_Create (c < N_COLS ? column_title (c) : saban_quality_check_describe (c - N_COLS),
                                         c == COL_FEATURES ? OFTInteger64 : OFTString);

      ok = OGR_L_CreateField (layer, fd, TRUE) == OGRERR_NONE;
      OGR_Fld_Destroy (fd);
    }
  for (guint i = 0; ok && i < entries->len; i++)
    {
      SabanCatalogEntry *e = g_ptr_array_index (entries, i);
      OGRFeatureH f = OGR_F_Create (OGR_L_GetLayerDefn (layer));

      for (guint c = 0; c < N_COLS + SABAN_QUALITY_CHECK_FRESHNESS + 1; c++)
        {
          g_autofree char *value = c < N_COLS ? cell (e, c) : check_cell (e, c - N_COLS);

          if (c == COL_FEATURES && saban_catalog_entry_get_n_features (e) >= 0)
            OGR_F_SetFieldInteger64 (f, c, saban_catalog_entry_get_n_features (e));
          else if (c != COL_FEATURES)
            OGR_F_SetFieldString (f, c, value);
        }
      ok = OGR_L_CreateFeature (layer, f) == OGRERR_NONE;
      OGR_F_Destroy (f);
    }
  if (!ok)
    g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("Cannot write the report: %s"), CPLGetLastErrorMsg ());
  if (ds != NULL)
    GDALClose (ds);
  CPLPopErrorHandler ();
  return ok;
}

static double
show (cairo_t    *cr,
      double      x,
      double      y,
      double      width,
      const char *font,
      const char *text)
{
  return saban_cairo_show_text (cr, x, y, width, font, PANGO_ALIGN_LEFT, 96, text);
}

static void
set_state_color (cairo_t           *cr,
                 SabanQualityState  state)
{
  switch (state)
    {
    case SABAN_QUALITY_GREEN: cairo_set_source_rgb (cr, 0.15, 0.64, 0.41); break;
    case SABAN_QUALITY_AMBER: cairo_set_source_rgb (cr, 0.90, 0.65, 0.04); break;
    case SABAN_QUALITY_RED: cairo_set_source_rgb (cr, 0.75, 0.11, 0.16); break;
    case SABAN_QUALITY_UNKNOWN: default: cairo_set_source_rgb (cr, 0.6, 0.6, 0.6); break;
    }
}

static const double widths[N_COLS] = { 150, 110, 70, 62, 52, 110, 120, 84 };

static double
draw_header (cairo_t *cr,
             double   y)
{
  double x = MARGIN, h = 0;

  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint c = 0; c < N_COLS; c++)
    {
      h = MAX (h, show (cr, x, y, widths[c] - 6, "Noto Sans Bold 8", column_title (c)));
      x += widths[c];
    }
  cairo_set_line_width (cr, 0.8);
  cairo_move_to (cr, MARGIN, y + h + 3);
  cairo_line_to (cr, PAGE_W - MARGIN, y + h + 3);
  cairo_stroke (cr);
  return y + h + 8;
}

static double
draw_entry (cairo_t           *cr,
            SabanCatalogEntry *e,
            double             y)
{
  double x = MARGIN, h = 0;

  for (guint c = 0; c < N_COLS; c++)
    {
      g_autofree char *value = cell (e, c);

      if (c == COL_STATE)
        {
          set_state_color (cr, saban_catalog_entry_get_state (e));
          cairo_arc (cr, x + 4, y + 6, 4, 0, 2 * G_PI);
          cairo_fill (cr);
          cairo_set_source_rgb (cr, 0, 0, 0);
          h = MAX (h, show (cr, x + 12, y, widths[c] - 14, "Noto Sans 8", value));
        }
      else
        h = MAX (h, show (cr, x, y, widths[c] - 6, c == COL_TITLE ? "Noto Sans Bold 8" : "Noto Sans 8", value));
      x += widths[c];
    }
  y += h + 2;
  for (guint i = 0; i < saban_catalog_entry_get_n_findings (e); i++)
    {
      const SabanQualityFinding *f = saban_catalog_entry_get_finding (e, i);
      g_autofree char *line = g_strdup_printf ("%s — %s", saban_quality_check_describe (f->check), f->summary);

      set_state_color (cr, f->state);
      cairo_arc (cr, MARGIN + 20, y + 5, 2.5, 0, 2 * G_PI);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.25, 0.25, 0.25);
      y += show (cr, MARGIN + 28, y, PAGE_W - 2 * MARGIN - 28, "Noto Sans 7.5", line) + 1;
    }
  cairo_set_source_rgb (cr, 0.85, 0.85, 0.85);
  cairo_set_line_width (cr, 0.4);
  cairo_move_to (cr, MARGIN, y + 3);
  cairo_line_to (cr, PAGE_W - MARGIN, y + 3);
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  return y + 8;
}

static gboolean
write_pdf (GPtrArray  *entries,
           GDateTime  *now,
           const char *path,
           GError    **error)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, PAGE_W, PAGE_H);
  cairo_t *cr = cairo_create (surface);
  g_autofree char *when = g_date_time_format (now, "%H:%M %d/%m/%Y");
  g_autofree char *made = g_strdup_printf (_("Made at %s from the layers and collections in Sa Bàn; checks per the "
                                             "guidance's “đúng, đủ, sạch, sống”"), when);
  cairo_status_t status;
  double y = MARGIN;

  cairo_set_source_rgb (cr, 0, 0, 0);
  y += show (cr, MARGIN, y, PAGE_W - 2 * MARGIN, "Noto Sans Bold 14", _("Data catalogue")) + 2;
  y += show (cr, MARGIN, y, PAGE_W - 2 * MARGIN, "Noto Sans 8", made) + 10;
  y = draw_header (cr, y);
  for (guint i = 0; i < entries->len; i++)
    {
      /* a row does not start at the foot of a page */
      if (y > PAGE_H - MARGIN - 60)
        {
          cairo_show_page (cr);
          y = draw_header (cr, MARGIN);
        }
      y = draw_entry (cr, g_ptr_array_index (entries, i), y);
    }
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("Cannot write the report: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/**
 * saban_catalog_report_write:
 * @entries: (element-type SabanCatalogEntry): the catalogue's rows, in order
 * @now: the time the report says it was made
 *
 * Blocks: call it from a worker thread.
 *
 * Returns: %FALSE with @error set (translated) when the file cannot be written
 */
gboolean
saban_catalog_report_write (GPtrArray                 *entries,
                            SabanCatalogReportFormat   format,
                            GDateTime                 *now,
                            const char                *path,
                            GError                   **error)
{
  static const char * const extensions[] = { "csv", "xlsx", "pdf" };
  g_autofree char *partial = saban_ogr_partial_path (path, extensions[format]);
  gboolean ok;

  g_unlink (partial);
  ok = format == SABAN_CATALOG_REPORT_PDF ? write_pdf (entries, now, partial, error)
                                          : write_table (entries, format, partial, error);
  if (ok && g_rename (partial, path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), _("Cannot write “%s”: %s"), path,
                   g_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (partial);
  return ok;
}

typedef struct
{
  GPtrArray *entries;
  SabanCatalogReportFormat format;
  GDateTime *now;
  char *path;
} WriteData;

static void
write_data_free (gpointer user_data)
{
  WriteData *data = user_data;

  g_ptr_array_unref (data->entries);
  g_date_time_unref (data->now);
  g_free (data->path);
  g_free (data);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *data = task_data;
  GError *error = NULL;

  if (saban_catalog_report_write (data->entries, data->format, data->now, data->path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * saban_catalog_report_write_async:
 * @entries: (element-type SabanCatalogEntry): checked entries, not changed meanwhile
 *
 * saban_catalog_report_write() in a worker thread.
 */
void
saban_catalog_report_write_async (GPtrArray                 *entries,
                                  SabanCatalogReportFormat   format,
                                  GDateTime                 *now,
                                  const char                *path,
                                  GCancellable              *cancellable,
                                  GAsyncReadyCallback        callback,
                                  gpointer                   user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  WriteData *data = g_new0 (WriteData, 1);

  data->entries = g_ptr_array_ref (entries);
  data->format = format;
  data->now = g_date_time_ref (now);
  data->path = g_strdup (path);
  g_task_set_source_tag (task, saban_catalog_report_write_async);
  g_task_set_task_data (task, data, write_data_free);
  g_task_run_in_thread (task, write_thread);
}

gboolean
saban_catalog_report_write_finish (GAsyncResult  *result,
                                   GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
