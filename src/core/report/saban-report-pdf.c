/* saban-report-pdf.c: the meeting report printed to an A4 PDF with cairo
 * and Pango — no GTK, so it runs headless. The layout follows the form of
 * administrative documents (Decree 30/2020/NĐ-CP): margins 20 mm top and
 * bottom, 30 mm left, 15 mm right; the authority and the national motto
 * side by side; the page number at the top from page 2. cairo embeds the
 * fonts it uses (subsets), so the file prints the same anywhere.
 */
#include "saban-report-document-private.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "saban-error.h"

#define PAGE_W 595.276
#define PAGE_H 841.890
#define MM     (72.0 / 25.4)
#define PAD    3.0
#define MAP_H  260.0

typedef struct
{
  cairo_surface_t     *surface;
  cairo_t             *cr;
  SabanReportTemplate *tpl;
  SabanReportData     *data;
  const char          *font;
  double               size;
  double               table_size;
  double               left, width, top, bottom;
  double               y;
  int                  page;
} Pdf;

static PangoLayout *
make_layout (Pdf            *pdf,
             const char     *text,
             double          size,
             PangoWeight     weight,
             PangoStyle      style,
             double          width,
             PangoAlignment  align)
{
  PangoLayout *layout = pango_cairo_create_layout (pdf->cr);
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (pdf->font);

  /* one Pango point is one PDF point */
  pango_cairo_context_set_resolution (pango_layout_get_context (layout), 72);
  pango_layout_context_changed (layout);
  pango_font_description_set_size (desc, (int) (size * PANGO_SCALE));
  pango_font_description_set_weight (desc, weight);
  pango_font_description_set_style (desc, style);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
height_of (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

static double
width_of (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  return w;
}

static void
show (Pdf         *pdf,
      PangoLayout *layout,
      double       x,
      double       y)
{
  cairo_move_to (pdf->cr, x, y);
  pango_cairo_show_layout (pdf->cr, layout);
}

static void
next_page (Pdf *pdf)
{
  g_autofree char *number = NULL;
  g_autoptr(PangoLayout) layout = NULL;

  cairo_show_page (pdf->cr);
  pdf->page++;
  pdf->y = pdf->top;
  number = g_strdup_printf ("%d", pdf->page);
  layout = make_layout (pdf, number, pdf->size - 1, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL, pdf->width,
                        PANGO_ALIGN_CENTER);
  show (pdf, layout, pdf->left, pdf->top - 12 * MM + 10);
}

/* Room for @height below, or a new page. */
static void
ensure (Pdf    *pdf,
        double  height)
{
  if (pdf->y + height > PAGE_H - pdf->bottom && pdf->y > pdf->top)
    next_page (pdf);
}

/* ---- the header of the document ---------------------------------------------------- */

/* Centred lines in a column, the last one (the authority itself) bold; returns the bottom. */
static double
header_column (Pdf        *pdf,
               const char *text,
               double      x,
               double      width,
               double      y,
               gboolean    all_bold,
               gboolean    underline_last)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);

  for (guint i = 0; i < n; i++)
    {
      gboolean bold = all_bold || i + 1 == n;
      g_autoptr(PangoLayout) l = make_layout (pdf, lines[i], pdf->size, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL,
                                              PANGO_STYLE_NORMAL, width, PANGO_ALIGN_CENTER);

      show (pdf, l, x, y);
      y += height_of (l);
      if (underline_last && i + 1 == n)
        {
          double w = MIN (width_of (l), width) * 0.6;

          cairo_set_line_width (pdf->cr, 0.6);
          cairo_move_to (pdf->cr, x + (width - w) / 2, y + 1);
          cairo_line_to (pdf->cr, x + (width + w) / 2, y + 1);
          cairo_stroke (pdf->cr);
          y += 4;
        }
    }
  return y;
}

static void
draw_header (Pdf                 *pdf,
             SabanReportDocument *doc)
{
  double left_w = pdf->width * 0.40, right_w = pdf->width * 0.60, right_x = pdf->left + left_w;
  g_autofree char *nation = g_strdup_printf ("%s\n%s", doc->nation, doc->motto);
  double l, r;
  g_autoptr(PangoLayout) number = NULL, date = NULL, title = NULL, subtitle = NULL;

  l = header_column (pdf, doc->authority, pdf->left, left_w, pdf->y, FALSE, TRUE);
  r = header_column (pdf, nation, right_x, right_w, pdf->y, TRUE, TRUE);
  number = make_layout (pdf, doc->number, pdf->size, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL, left_w,
                        PANGO_ALIGN_CENTER);
  date = make_layout (pdf, doc->date, pdf->size, PANGO_WEIGHT_NORMAL, PANGO_STYLE_ITALIC, right_w, PANGO_ALIGN_CENTER);
  show (pdf, number, pdf->left, l + 4);
  show (pdf, date, right_x, r + 4);
  pdf->y = MAX (l + height_of (number), r + height_of (date)) + 24;
  title = make_layout (pdf, doc->title, pdf->size + 2, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL, pdf->width,
                       PANGO_ALIGN_CENTER);
  subtitle = make_layout (pdf, doc->subtitle, pdf->size, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL, pdf->width,
                          PANGO_ALIGN_CENTER);
  show (pdf, title, pdf->left, pdf->y);
  pdf->y += height_of (title) + 2;
  show (pdf, subtitle, pdf->left, pdf->y);
  pdf->y += height_of (subtitle) + 16;
}

/* ---- text ---------------------------------------------------------------------------- */

/* How much of a block must follow its heading on the same page. */
static double
keep_height (const Pdf              *pdf,
             const SabanReportBlock *next)
{
  if (next == NULL)
    return 0;
  if (next->kind == SABAN_REPORT_BLOCK_MAP)
    return MAP_H + 4 * pdf->size;
  if (next->kind == SABAN_REPORT_BLOCK_TABLE)
    return 8 * pdf->table_size;
  return 4 * pdf->size;
}

static void
draw_text (Pdf                 *pdf,
           SabanReportBlockKind kind,
           const char          *text,
           double               keep)
{
  g_autoptr(PangoLayout) l = NULL;
  double before = 0, after = 4, h;

  switch (kind)
    {
    case SABAN_REPORT_BLOCK_HEADING:
      l = make_layout (pdf, text, pdf->size, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL, pdf->width, PANGO_ALIGN_LEFT);
      before = 8;
      break;
    case SABAN_REPORT_BLOCK_NOTE:
      l = make_layout (pdf, text, pdf->size - 2, PANGO_WEIGHT_NORMAL, PANGO_STYLE_ITALIC, pdf->width,
                       PANGO_ALIGN_LEFT);
      after = 8;
      break;
    case SABAN_REPORT_BLOCK_ITEM:
      l = make_layout (pdf, text, pdf->size, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL, pdf->width - 14 * MM / 2,
                       PANGO_ALIGN_LEFT);
      pango_layout_set_justify (l, TRUE);
      break;
    default:
      l = make_layout (pdf, text, pdf->size, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL, pdf->width, PANGO_ALIGN_LEFT);
      pango_layout_set_indent (l, (int) (10 * MM * PANGO_SCALE));
      pango_layout_set_justify (l, TRUE);
      break;
    }
  h = height_of (l);
  /* a heading and a paragraph introducing a table keep the start of what follows with them */
  ensure (pdf, before + h + (kind == SABAN_REPORT_BLOCK_NOTE ? 0 : keep));
  pdf->y += before;
  show (pdf, l, pdf->left + (kind == SABAN_REPORT_BLOCK_ITEM ? 7 * MM / 2 : 0), pdf->y);
  pdf->y += h + after;
}

/* ---- tables --------------------------------------------------------------------------- */

static double
column_x (const SabanReportTable *t,
          Pdf                    *pdf,
          guint                   column,
          double                 *width)
{
  double sum = 0, before = 0;

  for (guint i = 0; i < t->widths->len; i++)
    {
      double w = g_array_index (t->widths, double, i);

      sum += w;
      if (i < column)
        before += w;
    }
  *width = pdf->width * g_array_index (t->widths, double, column) / sum;
  return pdf->left + pdf->width * before / sum;
}

/* One row's cells laid out; returns its height. */
static double
layout_row (Pdf                    *pdf,
            const SabanReportTable *t,
            GPtrArray              *texts,
            GPtrArray              *cells,
            gboolean                bold,
            gboolean                header,
            PangoLayout           **out)
{
  double height = 0;

  for (guint c = 0; c < t->widths->len; c++)
    {
      SabanReportCell *cell = cells != NULL && c < cells->len ? g_ptr_array_index (cells, c) : NULL;
      const char *text = texts != NULL ? g_ptr_array_index (texts, c) : cell != NULL ? cell->text : "";
      gboolean number = cell != NULL && !isnan (cell->number);
      double w;

      column_x (t, pdf, c, &w);
      out[c] = make_layout (pdf, text, pdf->table_size, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL,
                            PANGO_STYLE_NORMAL, w - 2 * PAD,
                            header || c == 0 ? PANGO_ALIGN_CENTER : number ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
      height = MAX (height, height_of (out[c]) + 2 * PAD);
    }
  return height;
}

static void
draw_row (Pdf                    *pdf,
          const SabanReportTable *t,
          PangoLayout           **layouts,
          double                  height,
          gboolean                shaded)
{
  for (guint c = 0; c < t->widths->len; c++)
    {
      double w, x = column_x (t, pdf, c, &w);

      if (shaded)
        {
          cairo_set_source_rgb (pdf->cr, 0.92, 0.92, 0.92);
          cairo_rectangle (pdf->cr, x, pdf->y, w, height);
          cairo_fill (pdf->cr);
          cairo_set_source_rgb (pdf->cr, 0, 0, 0);
        }
      cairo_set_line_width (pdf->cr, 0.5);
      cairo_rectangle (pdf->cr, x, pdf->y, w, height);
      cairo_stroke (pdf->cr);
      show (pdf, layouts[c], x + PAD, pdf->y + PAD);
      g_clear_object (&layouts[c]);
    }
  pdf->y += height;
}

static void
draw_table_header (Pdf                    *pdf,
                   const SabanReportTable *t,
                   PangoLayout           **layouts)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  double h;

  for (guint c = 0; c < t->widths->len; c++)
    g_ptr_array_add (texts, t->headers[c] != NULL ? t->headers[c] : "");
  h = layout_row (pdf, t, texts, NULL, TRUE, TRUE, layouts);
  draw_row (pdf, t, layouts, h, TRUE);
}

/* Rows that do not fit go to the next page, under the header again. */
static void
draw_table (Pdf                    *pdf,
            const SabanReportTable *t)
{
  g_autofree PangoLayout **layouts = g_new0 (PangoLayout *, t->widths->len);

  ensure (pdf, 4 * pdf->table_size * 2);
  draw_table_header (pdf, t, layouts);
  for (guint r = 0; r < t->rows->len; r++)
    {
      gboolean group = g_array_index (t->group_rows, gboolean, r);
      double h = layout_row (pdf, t, NULL, g_ptr_array_index (t->rows, r), group, FALSE, layouts);

      if (pdf->y + h > PAGE_H - pdf->bottom)
        {
          next_page (pdf);
          for (guint c = 0; c < t->widths->len; c++)
            g_clear_object (&layouts[c]);
          draw_table_header (pdf, t, layouts);
          layout_row (pdf, t, NULL, g_ptr_array_index (t->rows, r), group, FALSE, layouts);
        }
      draw_row (pdf, t, layouts, h, FALSE);
    }
  pdf->y += 4;
}

/* ---- maps ----------------------------------------------------------------------------- */

/* A light-to-dark blue ramp: class @k of @n. */
static void
class_colour (cairo_t *cr,
              guint    k,
              guint    n)
{
  double t = n > 1 ? (double) k / (n - 1) : 1;

  cairo_set_source_rgb (cr, 0.87 + t * (0.03 - 0.87), 0.92 + t * (0.19 - 0.92), 0.97 + t * (0.42 - 0.97));
}

typedef struct
{
  double x0, y0, scale, lon0, lat0, k;   /* lon/lat → page: equirectangular at the mid latitude */
} Projection;

static void
fit (GArray                *areas,
     double                 x,
     double                 y,
     double                 w,
     double                 h,
     Projection            *p)
{
  double b[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };

  for (guint i = 0; i < areas->len; i++)
    {
      const SabanReportArea *a = &g_array_index (areas, SabanReportArea, i);

      b[0] = MIN (b[0], a->bbox[0]);
      b[1] = MIN (b[1], a->bbox[1]);
      b[2] = MAX (b[2], a->bbox[2]);
      b[3] = MAX (b[3], a->bbox[3]);
    }
  p->k = cos ((b[1] + b[3]) / 2 * G_PI / 180);
  p->lon0 = b[0];
  p->lat0 = b[3];
  p->scale = MIN (w / MAX ((b[2] - b[0]) * p->k, 1e-9), h / MAX (b[3] - b[1], 1e-9));
  p->x0 = x + (w - (b[2] - b[0]) * p->k * p->scale) / 2;
  p->y0 = y + (h - (b[3] - b[1]) * p->scale) / 2;
}

static void
area_path (cairo_t               *cr,
           const SabanReportArea *a,
           const Projection      *p)
{
  for (guint r = 0; r < a->rings->len; r++)
    {
      GArray *ring = g_ptr_array_index (a->rings, r);

      for (guint i = 0; i < ring->len / 2; i++)
        {
          double lon = g_array_index (ring, double, 2 * i), lat = g_array_index (ring, double, 2 * i + 1);
          double x = p->x0 + (lon - p->lon0) * p->k * p->scale, y = p->y0 + (p->lat0 - lat) * p->scale;

          if (i == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      cairo_close_path (cr);
    }
}

/* Each commune filled with its class (found by its code among the indicator set's communes). */
static void
draw_areas (Pdf                  *pdf,
            const SabanReportMap *m,
            const guint8         *classes,
            guint                 n_classes,
            const Projection     *p)
{
  SabanIndicatorSet *set = saban_report_data_get_indicators (pdf->data);
  GArray *areas = saban_report_data_get_areas (pdf->data);

  cairo_set_fill_rule (pdf->cr, CAIRO_FILL_RULE_EVEN_ODD);
  for (guint i = 0; i < areas->len; i++)
    {
      const SabanReportArea *a = &g_array_index (areas, SabanReportArea, i);
      guint c;

      area_path (pdf->cr, a, p);
      if (saban_indicator_set_find_commune (set, a->code, &c) && classes[c] != SABAN_NO_CLASS)
        class_colour (pdf->cr, classes[c], n_classes);
      else
        cairo_set_source_rgb (pdf->cr, 0.85, 0.85, 0.85);
      cairo_fill_preserve (pdf->cr);
      cairo_set_source_rgb (pdf->cr, 1, 1, 1);
      cairo_set_line_width (pdf->cr, 0.3);
      cairo_stroke (pdf->cr);
    }
  cairo_set_source_rgb (pdf->cr, 0, 0, 0);
}

static void
legend_entry (Pdf        *pdf,
              double      x,
              double     *y,
              const char *text)
{
  g_autoptr(PangoLayout) l = make_layout (pdf, text, pdf->table_size, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL,
                                          pdf->width * 0.22, PANGO_ALIGN_LEFT);

  cairo_rectangle (pdf->cr, x, *y + 1, 14, 9);
  cairo_fill_preserve (pdf->cr);
  cairo_set_source_rgb (pdf->cr, 0.4, 0.4, 0.4);
  cairo_set_line_width (pdf->cr, 0.4);
  cairo_stroke (pdf->cr);
  cairo_set_source_rgb (pdf->cr, 0, 0, 0);
  show (pdf, l, x + 20, *y);
  *y += MAX (height_of (l), 12) + 3;
}

/* The classes' ranges, "1,5 – 4,2", lowest first; then "no data". */
static void
draw_legend (Pdf                  *pdf,
             const SabanReportMap *m,
             GArray               *breaks,
             double                low,
             double                x,
             double                y)
{
  const SabanIndicator *def = saban_indicator_set_get_indicator (saban_report_data_get_indicators (pdf->data),
                                                                 m->indicator);

  for (guint k = 0; k < breaks->len; k++)
    {
      g_autofree char *a = saban_report_format_value (pdf->tpl, k == 0 ? low : g_array_index (breaks, double, k - 1),
                                                      def->unit);
      g_autofree char *b = saban_report_format_value (pdf->tpl, g_array_index (breaks, double, k), def->unit);
      g_autofree char *text = g_strdup_printf ("%s – %s", a, b);

      class_colour (pdf->cr, k, breaks->len);
      legend_entry (pdf, x, &y, text);
    }
  cairo_set_source_rgb (pdf->cr, 0.85, 0.85, 0.85);
  legend_entry (pdf, x, &y, saban_report_template_get (pdf->tpl, "maps", "no_value"));
}

static double
lowest (SabanIndicatorSet    *set,
        const SabanReportMap *m)
{
  double low = INFINITY;

  for (guint c = 0; c < saban_indicator_set_get_n_communes (set); c++)
    {
      double v = saban_indicator_set_get_value (set, m->indicator, (int) c, &m->period);

      if (!isnan (v))
        low = MIN (low, v);
    }
  return low;
}

static void
draw_map (Pdf                  *pdf,
          const SabanReportMap *m)
{
  SabanIndicatorSet *set = saban_report_data_get_indicators (pdf->data);
  g_autofree guint8 *classes = g_new (guint8, MAX (saban_indicator_set_get_n_communes (set), 1));
  g_autoptr(GArray) breaks = saban_indicator_set_classify (set, m->indicator, &m->period, m->n_classes, m->method,
                                                           classes);
  g_autoptr(PangoLayout) caption = make_layout (pdf, m->caption, pdf->size - 1, PANGO_WEIGHT_NORMAL,
                                                PANGO_STYLE_ITALIC, pdf->width, PANGO_ALIGN_CENTER);
  Projection p;

  ensure (pdf, MAP_H + height_of (caption) + 8);
  fit (saban_report_data_get_areas (pdf->data), pdf->left, pdf->y, pdf->width * 0.70, MAP_H, &p);
  draw_areas (pdf, m, classes, breaks->len, &p);
  draw_legend (pdf, m, breaks, lowest (set, m), pdf->left + pdf->width * 0.74, pdf->y + MAP_H * 0.3);
  pdf->y += MAP_H + 4;
  show (pdf, caption, pdf->left, pdf->y);
  pdf->y += height_of (caption) + 8;
}

/* ---- the end: recipients and signature ------------------------------------------------- */

static void
draw_ending (Pdf                 *pdf,
             SabanReportDocument *doc)
{
  g_autoptr(GString) to = g_string_new (NULL);
  g_autoptr(PangoLayout) title = NULL, list = NULL, signer = NULL;
  double w = pdf->width * 0.5;

  for (guint i = 0; doc->recipients != NULL && doc->recipients[i] != NULL; i++)
    g_string_append_printf (to, "%s– %s", to->len ? "\n" : "", doc->recipients[i]);
  title = make_layout (pdf, doc->recipients_title, pdf->size - 1, PANGO_WEIGHT_BOLD, PANGO_STYLE_ITALIC, w,
                       PANGO_ALIGN_LEFT);
  list = make_layout (pdf, to->str, pdf->size - 3, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL, w, PANGO_ALIGN_LEFT);
  signer = make_layout (pdf, doc->signer, pdf->size, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL, w, PANGO_ALIGN_CENTER);
  ensure (pdf, 12 + height_of (title) + height_of (list));
  pdf->y += 12;
  show (pdf, title, pdf->left, pdf->y);
  show (pdf, list, pdf->left, pdf->y + height_of (title));
  show (pdf, signer, pdf->left + w, pdf->y);
  pdf->y += height_of (title) + height_of (list);
}

/**
 * saban_report_document_write_pdf:
 * @data: what the document was built from (the maps draw from it)
 *
 * Prints @doc on A4 with the template's font, to a file beside @path
 * renamed onto it once complete.
 *
 * Returns: %FALSE with @error set (translated) when the file cannot be written
 */
gboolean
saban_report_document_write_pdf (SabanReportDocument  *doc,
                                 SabanReportData      *data,
                                 SabanReportTemplate  *tpl,
                                 const char           *path,
                                 GError              **error)
{
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  g_autofree char *font = g_strdup (saban_report_template_get (tpl, "document", "font"));
  Pdf pdf = { .tpl = tpl, .data = data, .font = *font ? font : "Serif", .left = 30 * MM, .top = 20 * MM,
              .bottom = 20 * MM, .page = 1 };
  cairo_status_t status;

  pdf.size = saban_report_template_get_int (tpl, "document", "font_size", 12);
  pdf.table_size = saban_report_template_get_int (tpl, "document", "table_font_size", 9);
  pdf.width = PAGE_W - pdf.left - 15 * MM;
  pdf.y = pdf.top;
  pdf.surface = cairo_pdf_surface_create (part, PAGE_W, PAGE_H);
  cairo_pdf_surface_set_metadata (pdf.surface, CAIRO_PDF_METADATA_TITLE, doc->title);
  cairo_pdf_surface_set_metadata (pdf.surface, CAIRO_PDF_METADATA_CREATOR, "Sa Bàn");
  pdf.cr = cairo_create (pdf.surface);
  draw_header (&pdf, doc);
  for (guint i = 0; i < doc->blocks->len; i++)
    {
      const SabanReportBlock *b = g_ptr_array_index (doc->blocks, i);

      if (b->kind == SABAN_REPORT_BLOCK_TABLE)
        draw_table (&pdf, b->table);
      else if (b->kind == SABAN_REPORT_BLOCK_MAP)
        draw_map (&pdf, &b->map);
      else
        draw_text (&pdf, b->kind, b->text,
                   keep_height (&pdf, i + 1 < doc->blocks->len ? g_ptr_array_index (doc->blocks, i + 1) : NULL));
    }
  draw_ending (&pdf, doc);
  cairo_destroy (pdf.cr);
  cairo_surface_finish (pdf.surface);
  status = cairo_surface_status (pdf.surface);
  cairo_surface_destroy (pdf.surface);
  if (status != CAIRO_STATUS_SUCCESS || g_rename (part, path) != 0)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_OPEN, _("The report cannot be written to %s: %s"), path,
                   status != CAIRO_STATUS_SUCCESS ? cairo_status_to_string (status) : g_strerror (errno));
      g_unlink (part);
      return FALSE;
    }
  return TRUE;
}
