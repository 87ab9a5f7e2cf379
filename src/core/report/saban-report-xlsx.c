/* saban-report-xlsx.c: the report's tables as a spreadsheet, through GDAL's
 * XLSX driver: a first sheet with what the report is and where each figure
 * comes from, then a sheet per table, its figures kept as numbers.
 */
#include "saban-report-document-private.h"

#include <cpl_error.h>
#include <gdal.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <ogr_api.h>
#include <unistd.h>

#include "saban-error.h"

/* A sheet name Excel accepts: at most 31 characters, none of []:*?/\, unique. */
static char *
sheet_name (const char *wanted,
            GHashTable *taken)
{
  g_autofree char *clean = g_strdup (*wanted ? wanted : "Bang");
  char *name;

  g_strdelimit (clean, "[]:*?/\\", '-');
  if (g_utf8_strlen (clean, -1) > 28)
    *g_utf8_offset_to_pointer (clean, 28) = '\0';
  name = g_strdup (clean);
  for (int n = 2; g_hash_table_contains (taken, name); n++)
    {
      g_free (name);
      name = g_strdup_printf ("%s %d", clean, n);
    }
  g_hash_table_add (taken, name);
  return g_strdup (name);
}

/* A column of figures (the table's non-heading rows all numbers or blank) is numeric. */
static gboolean
numeric_column (const SabanReportTable *t,
                guint                   column)
{
  gboolean any = FALSE;

  for (guint r = 0; r < t->rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (t->rows, r);
      const SabanReportCell *c = column < row->len ? g_ptr_array_index (row, column) : NULL;

      if (g_array_index (t->group_rows, gboolean, r) || c == NULL || (isnan (c->number) && *c->text == '\0'))
        continue;
      if (isnan (c->number))
        return FALSE;
      any = TRUE;
    }
  return any;
}

static gboolean
write_table (GDALDatasetH            ds,
             const SabanReportTable *t,
             GHashTable             *taken)
{
  g_autofree char *name = sheet_name (t->sheet, taken);
  OGRLayerH layer = GDALDatasetCreateLayer (ds, name, NULL, wkbNone, NULL);
  guint n = g_strv_length (t->headers);
  g_autofree gboolean *numeric = g_new0 (gboolean, MAX (n, 1));

  if (layer == NULL)
    return FALSE;
  for (guint c = 0; c < n; c++)
    {
      OGRFieldDefnH fd = OGR_Fld_Create (t->headers[c], (numeric[c] = numeric_column (t, c)) ? OFTReal : OFTString);

      OGR_L_CreateField (layer, fd, TRUE);
      OGR_Fld_Destroy (fd);
    }
  for (guint r = 0; r < t->rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (t->rows, r);
      OGRFeatureH f = OGR_F_Create (OGR_L_GetLayerDefn (layer));
      gboolean ok;

      for (guint c = 0; c < n && c < row->len; c++)
        {
          const SabanReportCell *cell = g_ptr_array_index (row, c);

          if (numeric[c] && !isnan (cell->number))
            OGR_F_SetFieldDouble (f, (int) c, cell->number);
          else if (!numeric[c] && *cell->text != '\0')
            OGR_F_SetFieldString (f, (int) c, cell->text);
        }
      ok = OGR_L_CreateFeature (layer, f) == OGRERR_NONE;
      OGR_F_Destroy (f);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_info (OGRLayerH   layer,
          const char *what,
          const char *text)
{
  OGRFeatureH f = OGR_F_Create (OGR_L_GetLayerDefn (layer));
  gboolean ok;

  if (*what != '\0')
    OGR_F_SetFieldString (f, 0, what);
  if (*text != '\0')
    OGR_F_SetFieldString (f, 1, text);
  ok = OGR_L_CreateFeature (layer, f) == OGRERR_NONE;
  OGR_F_Destroy (f);
  return ok;
}

/* The first sheet: the report's title, period and date, then every source note. */
static gboolean
write_info (GDALDatasetH         ds,
            SabanReportDocument *doc,
            GHashTable          *taken)
{
  g_autofree char *name = sheet_name ("Bao cao", taken);
  OGRLayerH layer = GDALDatasetCreateLayer (ds, name, NULL, wkbNone, NULL);
  OGRFieldDefnH a = OGR_Fld_Create ("Mục", OFTString), b = OGR_Fld_Create ("Nội dung", OFTString);
  gboolean ok = layer != NULL && OGR_L_CreateField (layer, a, TRUE) == OGRERR_NONE &&
                OGR_L_CreateField (layer, b, TRUE) == OGRERR_NONE && add_info (layer, doc->title, doc->subtitle) &&
                add_info (layer, doc->period, doc->date);

  OGR_Fld_Destroy (a);
  OGR_Fld_Destroy (b);
  for (guint i = 0; ok && i < doc->blocks->len; i++)
    {
      const SabanReportBlock *block = g_ptr_array_index (doc->blocks, i);

      if (block->kind == SABAN_REPORT_BLOCK_HEADING)
        ok = add_info (layer, block->text, "");
      else if (block->kind == SABAN_REPORT_BLOCK_NOTE)
        ok = add_info (layer, "", block->text);
    }
  return ok;
}

/**
 * saban_report_document_write_xlsx:
 *
 * Writes @doc's tables to @path (through a side file renamed onto it).
 *
 * Returns: %FALSE with @error set (translated) when it cannot be written
 */
gboolean
saban_report_document_write_xlsx (SabanReportDocument  *doc,
                                  const char           *path,
                                  GError              **error)
{
  GDALDriverH driver = GDALGetDriverByName ("XLSX") != NULL ? GDALGetDriverByName ("XLSX")
                                                            : (GDALAllRegister (), GDALGetDriverByName ("XLSX"));
  /* GDAL writes the zip through /vsizip/PATH/…, which takes the first ".xlsx"
   * in PATH as the archive's end: the side file's name has just one */
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *name = g_strdup_printf ("saban-report-%d-part.xlsx", (int) getpid ());
  g_autofree char *part = g_build_filename (dir, name, NULL);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GDALDatasetH ds = driver != NULL ? GDALCreate (driver, part, 0, 0, 0, GDT_Unknown, NULL) : NULL;
  gboolean ok = ds != NULL && write_info (ds, doc, taken);

  for (guint i = 0; ok && i < doc->blocks->len; i++)
    {
      const SabanReportBlock *b = g_ptr_array_index (doc->blocks, i);

      if (b->kind == SABAN_REPORT_BLOCK_TABLE)
        ok = write_table (ds, b->table, taken);
    }
  CPLErrorReset ();
  if (ds != NULL)
    GDALClose (ds);
  /* the driver writes the file when it is closed, and says so only as an error */
  ok = ok && CPLGetLastErrorType () < CE_Failure;
  if (!ok || g_rename (part, path) != 0)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_OPEN, _("The report’s tables cannot be written to %s"), path);
      g_unlink (part);
      return FALSE;
    }
  return TRUE;
}
