/* saban-print-layout.c: the map on paper, at a scale: title, the map, its
 * scale bar, north arrow, legend, coordinate system, sources and date, as a
 * PDF (vector) or a PNG.
 *
 * The map is drawn by the tiles' own renderer (saban_tile_source_draw) from
 * the layers the model shows when the layout is made: a layout is a
 * snapshot, made again when the model changes, and writes from any thread.
 *
 * Scale: the layers are in Web Mercator, which on the WGS 84 ellipsoid
 * stretches east–west and north–south by different factors (0.6 % apart at
 * 22° N). The map is scaled by each at the map's centre, so that the print
 * is true to scale there in both directions, and within a few tenths of a
 * per cent across an A0 sheet at 1:25 000.
 */
#include "saban-print-layout.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "saban-cairo-text.h"
#include "saban-error.h"
#include "saban-format.h"
#include "saban-measure.h"
#include "saban-ogr-export.h"
#include "saban-ogr-reader.h"

#define WEB_MERCATOR_HALF 20037508.342789244
#define WGS84_E2 0.00669437999014
#define MM_PER_INCH 25.4
/* The renderer's pixel: a screen's (96 a inch), so lines and labels on
 * paper look as they do on the map. */
#define PIXEL_MM (MM_PER_INCH / 96.0)
#define MARGIN_MM 10.0
#define HEADER_MM 17.0
#define FOOTER_MM 13.0
#define MAX_PNG_PIXELS 120000000.0
#define MAX_LEGEND_ITEMS 12

typedef struct
{
  char *title;
  SabanLayerStyle *style;
  SabanGeometryKind kind;
} LegendEntry;

struct _SabanPrintLayout
{
  GObject parent_instance;

  SabanTileSource *source;   /* the visible layers, bottom to top */
  GPtrArray *legend;         /* LegendEntry, top first */
  GPtrArray *sources;        /* char *: the data's sources, as shown */
  GPtrArray *crs_names;      /* char *: the data's CRSs */
  char *title;
  double scale;
  double cx, cy;
  SabanPaperSize paper;
  gboolean landscape;
  double dpi;
  GDateTime *time;
};

G_DEFINE_FINAL_TYPE (SabanPrintLayout, saban_print_layout, G_TYPE_OBJECT)

static void
legend_entry_free (gpointer data)
{
  LegendEntry *e = data;

  g_free (e->title);
  g_object_unref (e->style);
  g_free (e);
}

static void
saban_print_layout_finalize (GObject *object)
{
  SabanPrintLayout *self = SABAN_PRINT_LAYOUT (object);

  g_clear_object (&self->source);
  g_ptr_array_unref (self->legend);
  g_ptr_array_unref (self->sources);
  g_ptr_array_unref (self->crs_names);
  g_free (self->title);
  g_clear_pointer (&self->time, g_date_time_unref);
  G_OBJECT_CLASS (saban_print_layout_parent_class)->finalize (object);
}

static void
saban_print_layout_class_init (SabanPrintLayoutClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_print_layout_finalize;
}

static void
saban_print_layout_init (SabanPrintLayout *self)
{
  self->legend = g_ptr_array_new_with_free_func (legend_entry_free);
  self->sources = g_ptr_array_new_with_free_func (g_free);
  self->crs_names = g_ptr_array_new_with_free_func (g_free);
  self->scale = 25000;
  self->paper = SABAN_PAPER_A4;
  self->landscape = TRUE;
  self->dpi = 150;
  self->time = g_date_time_new_now_local ();
}

static void
add_unique (GPtrArray  *list,
            const char *text)
{
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (g_ptr_array_index (list, i), text))
      return;
  g_ptr_array_add (list, g_strdup (text));
}

/**
 * saban_print_layout_new:
 * @layers: the layers as the map shows them; their state now is printed
 *
 * Call it on the thread that owns @layers; the layout then writes from any.
 *
 * Returns: (transfer full): a layout at 1:25 000 on A4 landscape, centred on 0, 0
 */
SabanPrintLayout *
saban_print_layout_new (SabanLayerModel *layers)
{
  SabanPrintLayout *self = g_object_new (SABAN_TYPE_PRINT_LAYOUT, NULL);

  self->source = saban_layer_model_new_composite (layers, NULL);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (layers)); i++)
    {
      g_autoptr(SabanLayer) layer = g_list_model_get_item (G_LIST_MODEL (layers), i);
      SabanVectorLayer *vector = saban_layer_get_vector (layer);
      LegendEntry *entry;
      g_autofree char *shown = NULL;
      g_autofree char *base = NULL;

      if (!saban_layer_get_visible (layer) || saban_layer_get_opacity (layer) <= 0)
        continue;
      shown = saban_ogr_redact (saban_layer_get_source (layer));
      base = g_path_get_basename (shown);
      add_unique (self->sources, base);
      /* a raster or a map service is its own legend; a raster has its CRS */
      if (saban_layer_get_raster (layer) != NULL)
        add_unique (self->crs_names, saban_raster_layer_get_source_crs_name (saban_layer_get_raster (layer)));
      if (vector == NULL)
        continue;
      entry = g_new0 (LegendEntry, 1);
      entry->title = g_strdup (saban_layer_get_title (layer));
      entry->style = g_object_ref (saban_layer_get_style (layer));
      entry->kind = saban_vector_layer_get_kind (vector);
      g_ptr_array_add (self->legend, entry);
      add_unique (self->crs_names, saban_vector_layer_get_source_crs_name (vector));
    }
  return self;
}

void
saban_print_layout_set_title (SabanPrintLayout *self,
                              const char       *title)
{
  g_free (self->title);
  self->title = g_strdup (title);
}

/**
 * saban_print_layout_set_scale:
 * @denominator: 25000 for 1:25 000
 */
void
saban_print_layout_set_scale (SabanPrintLayout *self,
                              double            denominator)
{
  g_return_if_fail (denominator >= 1);
  self->scale = denominator;
}

double
saban_print_layout_get_scale (SabanPrintLayout *self)
{
  return self->scale;
}

/**
 * saban_print_layout_set_center:
 *
 * The map's centre, in Web Mercator metres.
 */
void
saban_print_layout_set_center (SabanPrintLayout *self,
                               double            x,
                               double            y)
{
  self->cx = x;
  self->cy = y;
}

void
saban_print_layout_set_paper (SabanPrintLayout *self,
                              SabanPaperSize    paper,
                              gboolean          landscape)
{
  g_return_if_fail (paper <= SABAN_PAPER_A0);
  self->paper = paper;
  self->landscape = landscape;
}

/**
 * saban_print_layout_set_dpi:
 *
 * The resolution of a PNG (a PDF is vector).
 */
void
saban_print_layout_set_dpi (SabanPrintLayout *self,
                            double            dpi)
{
  g_return_if_fail (dpi >= 30 && dpi <= 1200);
  self->dpi = dpi;
}

/**
 * saban_print_layout_set_time:
 *
 * The date the print says it was made (now, unless told).
 */
void
saban_print_layout_set_time (SabanPrintLayout *self,
                             GDateTime        *time)
{
  g_clear_pointer (&self->time, g_date_time_unref);
  self->time = g_date_time_ref (time);
}

/**
 * saban_print_layout_get_page_mm:
 *
 * The page's size in millimetres, as it is printed.
 */
void
saban_print_layout_get_page_mm (SabanPrintLayout *self,
                                double           *width,
                                double           *height)
{
  /* A0 is 841 × 1189 mm; each size after it is the one before halved */
  double long_side = 1189, short_side = 841;

  for (guint i = SABAN_PAPER_A0; i > self->paper; i--)
    {
      double half = floor (long_side / 2);

      long_side = short_side;
      short_side = half;
    }
  *width = self->landscape ? long_side : short_side;
  *height = self->landscape ? short_side : long_side;
}

static double
side_panel_mm (double page_width)
{
  return MAX (58, page_width * 0.2);
}

/**
 * saban_print_layout_get_map_frame:
 *
 * Where the map is on the page: its top-left corner and size, in
 * millimetres from the page's top-left corner.
 */
void
saban_print_layout_get_map_frame (SabanPrintLayout *self,
                                  double           *x,
                                  double           *y,
                                  double           *width,
                                  double           *height)
{
  double page_w, page_h;

  saban_print_layout_get_page_mm (self, &page_w, &page_h);
  *x = MARGIN_MM;
  *y = MARGIN_MM + HEADER_MM;
  *width = page_w - 2 * MARGIN_MM - side_panel_mm (page_w) - 5;
  *height = page_h - 2 * MARGIN_MM - HEADER_MM - FOOTER_MM;
}

/* Web Mercator's stretch at the map's centre, east–west and north–south,
 * against distances on the WGS 84 ellipsoid. */
static void
mercator_scale (SabanPrintLayout *self,
                double           *k_ew,
                double           *k_ns)
{
  double lon, lat, phi, w;

  saban_mercator_to_lonlat (self->cx, self->cy, &lon, &lat);
  phi = lat * G_PI / 180;
  w = 1 - WGS84_E2 * sin (phi) * sin (phi);
  *k_ew = sqrt (w) / cos (phi);
  *k_ns = pow (w, 1.5) / ((1 - WGS84_E2) * cos (phi));
}

/**
 * saban_print_layout_fit_scale:
 *
 * Returns: the scale (a round one: 1, 2 or 5 times a power of ten) at which
 *   the map frame shows the Web Mercator box given; the centre is set to
 *   the box's centre
 */
double
saban_print_layout_fit_scale (SabanPrintLayout *self,
                              double            min_x,
                              double            min_y,
                              double            max_x,
                              double            max_y)
{
  double fx, fy, fw, fh, k_ew, k_ns, need, step;

  saban_print_layout_set_center (self, (min_x + max_x) / 2, (min_y + max_y) / 2);
  saban_print_layout_get_map_frame (self, &fx, &fy, &fw, &fh);
  mercator_scale (self, &k_ew, &k_ns);
  /* ground metres a paper millimetre must hold, then the next round scale */
  need = MAX ((max_x - min_x) / k_ew / fw, (max_y - min_y) / k_ns / fh) * 1000;
  step = pow (10, floor (log10 (MAX (need, 1))));
  for (double m = 1; m <= 10; m = m == 1 ? 2 : m == 2 ? 5 : 10)
    if (m * step >= need)
      return m * step;
  return 10 * step;
}

/* user units are millimetres */
static double
show_text (cairo_t        *cr,
           double          x,
           double          y,
           double          width,
           const char     *font,
           PangoAlignment  align,
           const char     *text)
{
  return saban_cairo_show_text (cr, x, y, width, font, align, MM_PER_INCH, text);
}

/* @coarse gets the map services drawn at a lower resolution than the
 * scale asks */
static void
draw_map (SabanPrintLayout *self,
          cairo_t          *cr,
          GPtrArray        *coarse)
{
  double fx, fy, fw, fh, k_ew, k_ns, p, sy, w_px, h_px, min_x, max_y, zoom;
  guint size;

  saban_print_layout_get_map_frame (self, &fx, &fy, &fw, &fh);
  mercator_scale (self, &k_ew, &k_ns);
  /* Mercator metres a renderer's pixel holds east–west; north–south the
   * page is stretched by k_ew / k_ns so both are true to scale */
  p = k_ew * (self->scale / 1000) * PIXEL_MM;
  sy = PIXEL_MM * k_ew / k_ns;
  w_px = fw / PIXEL_MM;
  h_px = fh / sy;
  min_x = self->cx - p * w_px / 2;
  max_y = self->cy + p * h_px / 2;
  size = (guint) ceil (MAX (w_px, h_px)) + 2;
  zoom = CLAMP (floor (log2 (2 * WEB_MERCATOR_HALF / (256 * p))), 0, 22);

  cairo_save (cr);
  cairo_rectangle (cr, fx, fy, fw, fh);
  cairo_clip (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_translate (cr, fx, fy);
  cairo_scale (cr, PIXEL_MM, sy);
  saban_tile_source_draw (self->source, cr, min_x, max_y, p * size, (guint) zoom, size, coarse);
  cairo_restore (cr);

  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_set_line_width (cr, 0.3);
  cairo_rectangle (cr, fx, fy, fw, fh);
  cairo_stroke (cr);
}

/* The largest 1, 2 or 5 × 10ⁿ metres not over @most. */
static double
round_length (double most)
{
  double step = pow (10, floor (log10 (most)));

  return most >= 5 * step ? 5 * step : most >= 2 * step ? 2 * step : step;
}

static char *
format_length (double metres)
{
  g_autofree char *number = saban_format_number (metres >= 1000 ? metres / 1000 : metres,
                                                 metres >= 1000 && fmod (metres, 1000) != 0 ? 1 : 0);

  return g_strdup_printf (metres >= 1000 ? _("%s km") : _("%s m"), number);
}

static void
draw_scale_bar (SabanPrintLayout *self,
                cairo_t          *cr)
{
  double fx, fy, fw, fh, ground_per_mm = self->scale / 1000, length, bar, x, y;
  g_autofree char *scale_text = NULL;
  g_autofree char *end = NULL;
  g_autofree char *half = NULL;
  g_autofree char *denominator = saban_format_number (self->scale, 0);

  saban_print_layout_get_map_frame (self, &fx, &fy, &fw, &fh);
  /* ground metres on paper at the scale: true at the centre (see the top) */
  length = round_length (0.3 * fw * ground_per_mm);
  bar = length / ground_per_mm;
  x = fx;
  y = fy + fh + 4;
  for (guint i = 0; i < 4; i++)
    {
      cairo_rectangle (cr, x + i * bar / 4, y, bar / 4, 1.6);
      cairo_set_source_rgb (cr, i % 2 == 0 ? 0.1 : 1, i % 2 == 0 ? 0.1 : 1, i % 2 == 0 ? 0.1 : 1);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      cairo_set_line_width (cr, 0.2);
      cairo_stroke (cr);
    }
  end = format_length (length);
  half = format_length (length / 2);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  show_text (cr, x - 10, y + 2, 20, "Noto Sans 7", PANGO_ALIGN_CENTER, "0");
  show_text (cr, x + bar / 2 - 10, y + 2, 20, "Noto Sans 7", PANGO_ALIGN_CENTER, half);
  show_text (cr, x + bar - 10, y + 2, 20, "Noto Sans 7", PANGO_ALIGN_CENTER, end);
  scale_text = g_strdup_printf (_("Scale 1:%s"), denominator);
  show_text (cr, x + bar + 14, y - 1, 60, "Noto Sans Bold 9", PANGO_ALIGN_LEFT, scale_text);
}

static void
draw_north_arrow (cairo_t *cr,
                  double   x,
                  double   y)
{
  /* north is up: Web Mercator's grid north is true north */
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x + 4, y + 11);
  cairo_line_to (cr, x, y + 8.5);
  cairo_close_path (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_fill (cr);
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x - 4, y + 11);
  cairo_line_to (cr, x, y + 8.5);
  cairo_close_path (cr);
  cairo_set_line_width (cr, 0.3);
  cairo_stroke (cr);
  /* TRANSLATORS: the north arrow's letter (Bắc) */
  show_text (cr, x - 5, y + 11.5, 10, "Noto Sans Bold 9", PANGO_ALIGN_CENTER, C_("north arrow", "N"));
}

static void
set_rgba (cairo_t       *cr,
          const GdkRGBA *c)
{
  cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha);
}

/* A symbol as the layer is drawn: a box, a line or a dot. */
static void
draw_swatch (cairo_t           *cr,
             double             x,
             double             y,
             SabanGeometryKind  kind,
             const GdkRGBA     *fill,
             const GdkRGBA     *stroke)
{
  switch (kind)
    {
    case SABAN_GEOMETRY_POINT:
      cairo_arc (cr, x + 3, y + 1.8, 1.3, 0, 2 * G_PI);
      set_rgba (cr, fill);
      cairo_fill_preserve (cr);
      set_rgba (cr, stroke);
      cairo_set_line_width (cr, 0.25);
      cairo_stroke (cr);
      break;
    case SABAN_GEOMETRY_LINE:
      cairo_move_to (cr, x, y + 1.8);
      cairo_line_to (cr, x + 6, y + 1.8);
      set_rgba (cr, fill->alpha > 0 ? fill : stroke);
      cairo_set_line_width (cr, 0.6);
      cairo_stroke (cr);
      break;
    case SABAN_GEOMETRY_POLYGON:
    default:
      cairo_rectangle (cr, x, y, 6, 3.6);
      set_rgba (cr, fill);
      cairo_fill_preserve (cr);
      set_rgba (cr, stroke->alpha > 0 ? stroke : &(GdkRGBA) { 0.4, 0.4, 0.4, 1 });
      cairo_set_line_width (cr, 0.2);
      cairo_stroke (cr);
      break;
    }
}

/* Returns where the next entry starts; stops its items above @bottom. */
static double
draw_legend_entry (cairo_t           *cr,
                   const LegendEntry *e,
                   double             x,
                   double             y,
                   double             width,
                   double             bottom)
{
  guint n = saban_layer_style_get_n_legend_items (e->style), shown = 0;

  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  if (n == 0)
    {
      draw_swatch (cr, x, y + 0.3, e->kind, saban_layer_style_get_fill (e->style), saban_layer_style_get_stroke (e->style));
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      return y + show_text (cr, x + 8, y, width - 8, "Noto Sans 7.5", PANGO_ALIGN_LEFT, e->title) + 1.2;
    }
  y += show_text (cr, x, y, width, "Noto Sans Bold 7.5", PANGO_ALIGN_LEFT, e->title) + 0.6;
  for (; shown < MIN (n, MAX_LEGEND_ITEMS) && y < bottom; shown++)
    {
      GdkRGBA color;
      g_autofree char *label = saban_layer_style_dup_legend_item (e->style, shown, &color);

      draw_swatch (cr, x + 2, y + 0.2, e->kind, &color, saban_layer_style_get_stroke (e->style));
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      y += show_text (cr, x + 10, y, width - 10, "Noto Sans 6.5", PANGO_ALIGN_LEFT, label) + 0.5;
    }
  if (n > shown)
    {
      g_autofree char *more = g_strdup_printf (_("… and %u more"), n - shown);

      y += show_text (cr, x + 10, y, width - 10, "Noto Sans Italic 6.5", PANGO_ALIGN_LEFT, more) + 0.5;
    }
  return y + 1.2;
}

static char *
joined (GPtrArray *list)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < list->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "; " : "", (const char *) g_ptr_array_index (list, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
draw_side_panel (SabanPrintLayout *self,
                 cairo_t          *cr,
                 GPtrArray        *coarse)
{
  double page_w, page_h, fx, fy, fw, fh, x, y, width, bottom;
  g_autofree char *crs = joined (self->crs_names);
  g_autofree char *blurred = joined (coarse);
  g_autofree char *sources = joined (self->sources);
  g_autofree char *when = g_date_time_format (self->time, "%H:%M %d/%m/%Y");
  g_autofree char *crs_text = g_strdup_printf (_("Map projection: Web Mercator (EPSG:3857), true to scale at the "
                                                 "map’s centre. Data: %s"), crs);
  g_autofree char *sources_text = g_strdup_printf (_("Sources: %s"), sources);
  g_autofree char *made = g_strdup_printf (_("Printed from Sa Bàn at %s"), when);

  saban_print_layout_get_page_mm (self, &page_w, &page_h);
  saban_print_layout_get_map_frame (self, &fx, &fy, &fw, &fh);
  x = fx + fw + 5;
  width = page_w - MARGIN_MM - x;
  y = fy;
  draw_north_arrow (cr, x + width / 2, y);
  y += 20;
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  y += show_text (cr, x, y, width, "Noto Sans Bold 9", PANGO_ALIGN_LEFT, _("Legend")) + 1.5;
  /* room for the notes, and the lower-resolution one when there is one */
  bottom = fy + fh - (coarse->len > 0 ? 50 : 36);
  for (guint i = 0; i < self->legend->len && y < bottom; i++)
    y = draw_legend_entry (cr, g_ptr_array_index (self->legend, i), x, y, width, bottom);

  y = fy + fh - 30;
  if (coarse->len > 0)
    {
      g_autofree char *note = g_strdup_printf (_("Drawn at a lower resolution than this scale needs (too many of the "
                                                 "map service’s tiles for one print): %s"), blurred);

      /* above the usual notes, in red: no blur goes unexplained */
      cairo_set_source_rgb (cr, 0.75, 0.11, 0.16);
      show_text (cr, x, y - 13, width, "Noto Sans Bold 6.5", PANGO_ALIGN_LEFT, note);
    }
  cairo_set_source_rgb (cr, 0.25, 0.25, 0.25);
  y += show_text (cr, x, y, width, "Noto Sans 6.5", PANGO_ALIGN_LEFT, crs_text) + 1;
  y += show_text (cr, x, y, width, "Noto Sans 6.5", PANGO_ALIGN_LEFT, sources_text) + 1;
  show_text (cr, x, y, width, "Noto Sans 6.5", PANGO_ALIGN_LEFT, made);
}

/* @coarse gets the map services drawn at a lower resolution */
static void
draw_page (SabanPrintLayout *self,
           cairo_t          *cr,
           GPtrArray        *coarse)
{
  double page_w, page_h;
  g_autofree char *denominator = saban_format_number (self->scale, 0);
  g_autofree char *subtitle = g_strdup_printf (_("Scale 1:%s"), denominator);

  saban_print_layout_get_page_mm (self, &page_w, &page_h);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.05, 0.05, 0.05);
  show_text (cr, MARGIN_MM, MARGIN_MM, page_w - 2 * MARGIN_MM, "Noto Sans Bold 16", PANGO_ALIGN_LEFT,
             self->title != NULL ? self->title : _("Map"));
  show_text (cr, MARGIN_MM, MARGIN_MM + 8, page_w - 2 * MARGIN_MM, "Noto Sans 9", PANGO_ALIGN_LEFT, subtitle);
  draw_map (self, cr, coarse);
  draw_scale_bar (self, cr);
  draw_side_panel (self, cr, coarse);
}

static gboolean
write_pdf (SabanPrintLayout *self,
           const char       *path,
           GPtrArray        *coarse,
           GError          **error)
{
  double page_w, page_h;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;

  saban_print_layout_get_page_mm (self, &page_w, &page_h);
  surface = cairo_pdf_surface_create (path, page_w * 72 / MM_PER_INCH, page_h * 72 / MM_PER_INCH);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, self->title != NULL ? self->title : "");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Sa Bàn");
  cr = cairo_create (surface);
  cairo_scale (cr, 72 / MM_PER_INCH, 72 / MM_PER_INCH);
  draw_page (self, cr, coarse);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("Cannot write the print: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_png (SabanPrintLayout *self,
           const char       *path,
           GPtrArray        *coarse,
           GError          **error)
{
  double page_w, page_h, px_per_mm = self->dpi / MM_PER_INCH;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  int w, h;

  saban_print_layout_get_page_mm (self, &page_w, &page_h);
  w = (int) ceil (page_w * px_per_mm);
  h = (int) ceil (page_h * px_per_mm);
  if ((double) w * h > MAX_PNG_PIXELS)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID,
                   _("An image of this paper size at %.0f dpi would be too large: choose a lower resolution or a PDF"),
                   self->dpi);
      return FALSE;
    }
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cr = cairo_create (surface);
  cairo_scale (cr, px_per_mm, px_per_mm);
  draw_page (self, cr, coarse);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("Cannot write the print: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/**
 * saban_print_layout_write:
 * @path: a file ending in .pdf or .png
 * @coarse: (out) (optional) (transfer full): the titles of the map services
 *   drawn at a lower resolution than the scale needs (the page says so
 *   too); empty when none
 *
 * Writes the print beside @path and renames it into place. Blocks; any thread.
 *
 * Returns: %FALSE with @error set (translated)
 */
gboolean
saban_print_layout_write (SabanPrintLayout  *self,
                          const char        *path,
                          GStrv             *coarse,
                          GError           **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  gboolean pdf = g_str_has_suffix (lower, ".pdf");
  g_autofree char *partial = NULL;
  g_autoptr(GPtrArray) blurred = g_ptr_array_new_with_free_func (g_free);
  gboolean ok;

  if (!pdf && !g_str_has_suffix (lower, ".png"))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("A print is a PDF or a PNG: name the file .pdf or .png"));
      return FALSE;
    }
  partial = saban_ogr_partial_path (path, pdf ? "pdf" : "png");
  ok = pdf ? write_pdf (self, partial, blurred, error) : write_png (self, partial, blurred, error);
  if (ok && g_rename (partial, path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), _("Cannot write “%s”: %s"), path,
                   g_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (partial);
  if (ok && coarse != NULL)
    {
      g_ptr_array_add (blurred, NULL);
      *coarse = (GStrv) g_ptr_array_steal (blurred, NULL);
    }
  return ok;
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  GStrv coarse = NULL;

  if (saban_print_layout_write (source_object, task_data, &coarse, &error))
    g_task_return_pointer (task, coarse, (GDestroyNotify) g_strfreev);
  else
    g_task_return_error (task, error);
}

/**
 * saban_print_layout_write_async:
 *
 * saban_print_layout_write() in a worker thread.
 */
void
saban_print_layout_write_async (SabanPrintLayout    *self,
                                const char          *path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, saban_print_layout_write_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, write_thread);
}

/**
 * saban_print_layout_write_finish:
 * @coarse: (out) (optional) (transfer full): as saban_print_layout_write()
 */
gboolean
saban_print_layout_write_finish (SabanPrintLayout  *self,
                                 GAsyncResult      *result,
                                 GStrv             *coarse,
                                 GError           **error)
{
  GStrv written;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  written = g_task_propagate_pointer (G_TASK (result), error);
  if (written == NULL)
    return FALSE;
  if (coarse != NULL)
    *coarse = written;
  else
    g_strfreev (written);
  return TRUE;
}

/**
 * saban_paper_size_parse:
 *
 * Returns: whether @text names a paper size A4–A0 ("A3", "a3")
 */
gboolean
saban_paper_size_parse (const char     *text,
                        SabanPaperSize *paper)
{
  if (text == NULL || g_ascii_toupper (text[0]) != 'A' || text[1] < '0' || text[1] > '4' || text[2] != '\0')
    return FALSE;
  *paper = (SabanPaperSize) ('4' - text[1]);
  return TRUE;
}

/**
 * saban_print_scale_parse:
 *
 * Returns: whether @text is a scale, "1:25000", "1:25.000" or "25000",
 *   between 1:100 and 1:10 000 000
 */
gboolean
saban_print_scale_parse (const char *text,
                         double     *denominator)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  const char *c = text;
  guint64 value;

  if (text == NULL)
    return FALSE;
  if (g_str_has_prefix (c, "1:"))
    c += 2;
  for (; *c != '\0'; c++)
    {
      if (g_ascii_isdigit (*c))
        g_string_append_c (digits, *c);
      else if (*c != '.' && *c != ',' && *c != ' ')
        return FALSE;
    }
  if (digits->len == 0 || digits->len > 9)
    return FALSE;
  value = g_ascii_strtoull (digits->str, NULL, 10);
  if (value < 100 || value > 10000000)
    return FALSE;
  *denominator = value;
  return TRUE;
}
