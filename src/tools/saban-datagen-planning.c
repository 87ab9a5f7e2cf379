/* saban-datagen-planning.c — the demo's planning decisions, dossiers and drawing
 *
 * What a provincial planning office holds beside its zoning: the decisions
 * that approved each plan (number, date, authority, level, period, status),
 * each decision's documents (the signed decision and the explanatory report
 * as PDFs) and a plan's drawing (a georeferenced raster with its world file).
 * All synthetic and labelled so. The zoning written by saban-datagen.c names
 * its decision in `decision`; here come
 *
 *   planning_decisions  one row per decision;
 *   planning_documents  each document of a dossier: kind, title, file name,
 *                       media type, the bytes themselves (so the dossier
 *                       travels with the GeoPackage), and for a drawing its
 *                       world file and CRS;
 *   zoning_2012         the superseded general plan of the two wards the
 *                       1/2000 zoning plan now covers, to compare with it.
 *
 * The PDFs are drawn with cairo and Pango, the drawing with cairo; every
 * byte depends only on the zoning, so the GeoPackage stays byte-identical
 * for a seed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "saban-datagen-planning.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <cpl_error.h>
#include <gio/gio.h>
#include <math.h>
#include <ogr_api.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "saban-cairo-text.h"
#include "saban-landuse.h"

#define NOTE "Dữ liệu minh họa tổng hợp — không phải văn bản chính thức"
#define PDF_DATE "2025-07-01T00:00:00"
/* A4 in points */
#define PAGE_W 595.28
#define PAGE_H 841.89
#define DRAWING_W 1600
#define DRAWING_H 1200

typedef struct
{
  const char *id;
  const char *number;
  const char *date;        /* yyyy-mm-dd */
  const char *authority;
  const char *level;       /* provincial, general, zoning (1/2000), detailed (1/500) */
  const char *period;
  const char *status;      /* in-force, superseded, under-revision */
  const char *title;
  const char *layer;       /* the zoning layer its zones are in */
} Decision;

enum { PROVINCIAL, GENERAL_2012, ZONING_2024, N_DECISIONS };

static const Decision decisions[N_DECISIONS] = {
  [PROVINCIAL] = { "QH-TINH-2023", "9001/QĐ-TTg", "2023-12-08", "Thủ tướng Chính phủ", "provincial",
                   "2021–2030, tầm nhìn đến năm 2050", "in-force",
                   "Phê duyệt Quy hoạch tỉnh Lào Cai thời kỳ 2021–2030, tầm nhìn đến năm 2050", "zoning" },
  [GENERAL_2012] = { "QHC-LAOCAI-2012", "9002/QĐ-UBND", "2012-05-15", "Ủy ban nhân dân tỉnh Lào Cai", "general",
                     "2012–2030", "superseded",
                     "Phê duyệt Quy hoạch chung xây dựng thành phố Lào Cai đến năm 2030", "zoning_2012" },
  [ZONING_2024] = { "QHPK-LAOCAI-2024", "9003/QĐ-UBND", "2024-09-20", "Ủy ban nhân dân tỉnh Lào Cai", "zoning",
                    "2024–2040", "under-revision",
                    "Phê duyệt Quy hoạch phân khu tỷ lệ 1/2000 phường Lào Cai và phường Cam Đường", "zoning" },
};

/* The two wards of the old city, which the 1/2000 zoning plan covers. */
static const char * const zoning_wards[] = { "02602", "02605", NULL };

/**
 * saban_datagen_planning_decision_for:
 *
 * Returns: the decision that approved the zoning of commune @commune_code
 */
const char *
saban_datagen_planning_decision_for (const char *commune_code)
{
  return g_strv_contains (zoning_wards, commune_code) ? decisions[ZONING_2024].id : decisions[PROVINCIAL].id;
}

/* What the 2012 general plan gave the land the 2024 plan made urban. */
static const char *
code_in_2012 (const char *code)
{
  static const char * const from[] = { "ODT", "TMD", "SKK", "ONT", NULL };
  static const char * const to[] = { "ONT", "HNK", "CLN", "LUC", NULL };

  for (guint i = 0; from[i] != NULL; i++)
    if (g_str_equal (code, from[i]))
      return to[i];
  return code;
}

/* ---------------------------------------------------------------- zones */

typedef struct
{
  char *landuse;
  char *name;
  int decision;
  OGRGeometryH geometry;
} Zone;

static void
zone_clear (gpointer data)
{
  Zone *z = data;

  g_free (z->landuse);
  g_free (z->name);
  OGR_G_DestroyGeometry (z->geometry);
}

static int
decision_index (const char *id)
{
  for (int i = 0; i < N_DECISIONS; i++)
    if (g_strcmp0 (decisions[i].id, id) == 0)
      return i;
  return -1;
}

static GArray *
read_zones (GDALDatasetH   ds,
            GError       **error)
{
  OGRLayerH layer = GDALDatasetGetLayerByName (ds, "zoning");
  GArray *zones = g_array_new (FALSE, TRUE, sizeof (Zone));
  OGRFeatureH f;

  g_array_set_clear_func (zones, zone_clear);
  if (layer == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "the zoning must be written before the dossiers");
      g_array_unref (zones);
      return NULL;
    }
  OGR_L_ResetReading (layer);
  while ((f = OGR_L_GetNextFeature (layer)) != NULL)
    {
      Zone z = {
        g_strdup (OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "landuse"))),
        g_strdup (OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "name"))),
        decision_index (OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "decision"))),
        OGR_G_Clone (OGR_F_GetGeometryRef (f)),
      };

      g_array_append_val (zones, z);
      OGR_F_Destroy (f);
    }
  return zones;
}

/* The 2012 plan: the 2024 zones of the two wards with the uses it gave them. */
static GArray *
zones_of_2012 (GArray *zones)
{
  GArray *old = g_array_new (FALSE, TRUE, sizeof (Zone));

  g_array_set_clear_func (old, zone_clear);
  for (guint i = 0; i < zones->len; i++)
    {
      const Zone *z = &g_array_index (zones, Zone, i);
      Zone copy;

      if (z->decision != ZONING_2024)
        continue;
      copy.landuse = g_strdup (code_in_2012 (z->landuse));
      copy.name = g_strdup (z->name);
      copy.decision = GENERAL_2012;
      copy.geometry = OGR_G_Clone (z->geometry);
      g_array_append_val (old, copy);
    }
  return old;
}

static gboolean
write_zones_2012 (GDALDatasetH           ds,
                  OGRSpatialReferenceH   srs,
                  GArray                *zones,
                  GError               **error)
{
  const char *names[] = { "landuse", "name", "decision" };
  char *options[] = { (char *) "DESCRIPTION=" SABAN_DATAGEN_SYNTHETIC_NOTE, (char *) "SPATIAL_INDEX=YES", NULL };
  OGRLayerH layer = GDALDatasetCreateLayer (ds, "zoning_2012", srs, wkbMultiPolygon, options);
  OGRFeatureH f;
  gboolean ok = layer != NULL;

  for (guint i = 0; ok && i < G_N_ELEMENTS (names); i++)
    {
      OGRFieldDefnH fd = OGR_Fld_Create (names[i], OFTString);

      ok = OGR_L_CreateField (layer, fd, TRUE) == OGRERR_NONE;
      OGR_Fld_Destroy (fd);
    }
  ok = ok && GDALDatasetStartTransaction (ds, FALSE) == OGRERR_NONE;
  f = ok ? OGR_F_Create (OGR_L_GetLayerDefn (layer)) : NULL;
  for (guint i = 0; ok && i < zones->len; i++)
    {
      const Zone *z = &g_array_index (zones, Zone, i);

      OGR_F_SetFieldString (f, 0, z->landuse);
      OGR_F_SetFieldString (f, 1, z->name);
      OGR_F_SetFieldString (f, 2, decisions[z->decision].id);
      OGR_F_SetGeometry (f, z->geometry);
      OGR_F_SetFID (f, OGRNullFID);
      ok = OGR_L_CreateFeature (layer, f) == OGRERR_NONE;
    }
  if (f != NULL)
    OGR_F_Destroy (f);
  ok = ok && GDALDatasetCommitTransaction (ds) == OGRERR_NONE;
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write zoning_2012: %s", CPLGetLastErrorMsg ());
  else
    g_print ("%-18s %9u %s\n", "zoning_2012", zones->len, "MultiPolygon");
  return ok;
}

/* ------------------------------------------------------------ documents */

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Lays @text out at (@x, @y) in @width points (pixels on the drawing);
 * returns its height. */
static double
draw_text (cairo_t        *cr,
           double          x,
           double          y,
           double          width,
           const char     *font,
           PangoAlignment  align,
           const char     *text)
{
  return saban_cairo_show_text (cr, x, y, width, font, align, 96, text);
}

/* Across the page, light: every page says it is an illustration. */
static void
draw_watermark (cairo_t *cr)
{
  cairo_save (cr);
  cairo_translate (cr, PAGE_W / 2, PAGE_H / 2);
  cairo_rotate (cr, -G_PI / 5);
  cairo_set_source_rgba (cr, 0.75, 0.1, 0.1, 0.18);
  draw_text (cr, -320, -30, 640, "Noto Sans Bold 34", PANGO_ALIGN_CENTER, "DỮ LIỆU MINH HỌA TỔNG HỢP");
  cairo_restore (cr);
}

static char *
date_in_words (const char *iso)
{
  int y, m, d;

  if (sscanf (iso, "%d-%d-%d", &y, &m, &d) != 3)
    return g_strdup (iso);
  return g_strdup_printf ("ngày %02d tháng %02d năm %d", d, m, y);
}

static cairo_t *
begin_pdf (GByteArray *bytes,
           const char *title)
{
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_bytes, bytes, PAGE_W, PAGE_H);
  cairo_t *cr = cairo_create (surface);

  /* a fixed date: the file must not change from run to run */
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, PDF_DATE);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "saban-datagen — " NOTE);
  cairo_surface_destroy (surface);
  return cr;
}

static void
end_pdf (cairo_t *cr)
{
  cairo_show_page (cr);
  cairo_surface_finish (cairo_get_target (cr));
  cairo_destroy (cr);
}

/* The signed decision, as a scan would show it (A4, Decree 30/2020 layout). */
static GBytes *
decision_pdf (const Decision *d)
{
  GByteArray *bytes = g_byte_array_new ();
  g_autofree char *when = date_in_words (d->date);
  g_autofree char *place_date = g_strdup_printf ("Lào Cai, %s", when);
  g_autofree char *number = g_strdup_printf ("Số: %s", d->number);
  g_autofree char *body = g_strdup_printf (
    "Điều 1. %s, thời kỳ %s, với các nội dung chủ yếu nêu trong hồ sơ kèm theo "
    "(thuyết minh tổng hợp và bản vẽ).\n\n"
    "Điều 2. Giao các sở, ngành và Ủy ban nhân dân các xã, phường liên quan tổ chức công bố, "
    "quản lý và thực hiện quy hoạch theo quy định.\n\n"
    "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.\n\n"
    "(%s)", d->title, d->period, NOTE);
  cairo_t *cr = begin_pdf (bytes, d->title);
  double y = 57;
  gboolean government = g_str_has_suffix (d->number, "TTg");

  cairo_set_source_rgb (cr, 0, 0, 0);
  draw_text (cr, 85, y, 200, "Noto Serif Bold 11", PANGO_ALIGN_CENTER,
             government ? "THỦ TƯỚNG CHÍNH PHỦ" : "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI");
  draw_text (cr, 265, y, 300, "Noto Serif Bold 10.5", PANGO_ALIGN_CENTER,
             "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc");
  y += 48;
  draw_text (cr, 85, y, 200, "Noto Serif 11", PANGO_ALIGN_CENTER, number);
  draw_text (cr, 265, y, 300, "Noto Serif Italic 11", PANGO_ALIGN_CENTER, place_date);
  y += 50;
  y += draw_text (cr, 85, y, 470, "Noto Serif Bold 13", PANGO_ALIGN_CENTER, "QUYẾT ĐỊNH");
  y += draw_text (cr, 85, y, 470, "Noto Serif Bold 11", PANGO_ALIGN_CENTER, d->title) + 24;
  y += draw_text (cr, 85, y, 470, "Noto Serif Bold 11", PANGO_ALIGN_CENTER,
                  government ? "THỦ TƯỚNG CHÍNH PHỦ" : "ỦY BAN NHÂN DÂN TỈNH LÀO CAI") + 12;
  y += draw_text (cr, 85, y, 470, "Noto Serif 11", PANGO_ALIGN_LEFT,
                  "Căn cứ Luật Quy hoạch; Luật Đất đai; Luật Xây dựng và các văn bản hướng dẫn thi hành;") + 16;
  y += draw_text (cr, 85, y, 470, "Noto Serif Bold 11", PANGO_ALIGN_CENTER, "QUYẾT ĐỊNH:") + 12;
  y += draw_text (cr, 85, y, 470, "Noto Serif 11", PANGO_ALIGN_LEFT, body) + 40;
  draw_text (cr, 330, y, 225, "Noto Serif Bold 11", PANGO_ALIGN_CENTER,
             government ? "THỦ TƯỚNG\n\n(đã ký)" : "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\n(đã ký)");
  draw_watermark (cr);
  end_pdf (cr);
  return g_byte_array_free_to_bytes (bytes);
}

typedef struct
{
  const char *code;
  double ha;
} CodeArea;

static int
compare_code_areas (gconstpointer a,
                    gconstpointer b)
{
  double x = ((const CodeArea *) a)->ha, y = ((const CodeArea *) b)->ha;

  return x > y ? -1 : x < y;
}

/* Hectares by land-use code of the zones a decision approved. */
static GArray *
areas_by_code (GArray *zones,
               int     decision)
{
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  GArray *areas = g_array_new (FALSE, FALSE, sizeof (CodeArea));

  for (guint i = 0; i < zones->len; i++)
    {
      const Zone *z = &g_array_index (zones, Zone, i);
      gpointer at;

      if (z->decision != decision)
        continue;
      if (!g_hash_table_lookup_extended (index, z->landuse, NULL, &at))
        {
          CodeArea fresh = { z->landuse, 0 };

          at = GUINT_TO_POINTER (areas->len);
          g_array_append_val (areas, fresh);
          g_hash_table_insert (index, z->landuse, at);
        }
      g_array_index (areas, CodeArea, GPOINTER_TO_UINT (at)).ha += OGR_G_Area (z->geometry) / 1e4;
    }
  g_array_sort (areas, compare_code_areas);
  return areas;
}

static char *
format_ha (double ha)
{
  g_autofree char *plain = g_strdup_printf ("%.1f", ha);
  g_autoptr(GString) out = g_string_new (NULL);
  const char *dot = strchr (plain, '.');
  gsize n = dot - plain;

  /* 1.234,5 as Vietnamese documents write it */
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (out, '.');
      g_string_append_c (out, plain[i]);
    }
  g_string_append_printf (out, ",%s", dot + 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The explanatory report: what the plan is, and its land by use. */
static GBytes *
explanation_pdf (const Decision *d,
                 GArray         *areas)
{
  GByteArray *bytes = g_byte_array_new ();
  g_autofree char *heading = g_strdup_printf ("THUYẾT MINH TỔNG HỢP\n%s", d->title);
  g_autofree char *intro = g_strdup_printf (
    "Hồ sơ kèm theo Quyết định số %s của %s. Thời kỳ quy hoạch: %s. "
    "Bảng dưới đây tổng hợp diện tích các khu chức năng theo mã loại đất của "
    "Thông tư 08/2024/TT-BTNMT, tính từ lớp quy hoạch của hồ sơ (hệ tọa độ VN-2000, "
    "kinh tuyến trục 104°45′, múi chiếu 3°).", d->number, d->authority, d->period);
  cairo_t *cr = begin_pdf (bytes, heading);
  double y = 57, total = 0;

  cairo_set_source_rgb (cr, 0, 0, 0);
  y += draw_text (cr, 85, y, 470, "Noto Serif Bold 13", PANGO_ALIGN_CENTER, heading) + 20;
  y += draw_text (cr, 85, y, 470, "Noto Serif 11", PANGO_ALIGN_LEFT, intro) + 16;
  draw_text (cr, 85, y, 60, "Noto Serif Bold 10", PANGO_ALIGN_LEFT, "Mã");
  draw_text (cr, 145, y, 300, "Noto Serif Bold 10", PANGO_ALIGN_LEFT, "Loại đất");
  y += draw_text (cr, 445, y, 110, "Noto Serif Bold 10", PANGO_ALIGN_RIGHT, "Diện tích (ha)") + 6;
  for (guint i = 0; i < areas->len && y < PAGE_H - 120; i++)
    {
      const CodeArea *a = &g_array_index (areas, CodeArea, i);
      g_autofree char *ha = format_ha (a->ha);
      const char *label = saban_landuse_describe (a->code);

      draw_text (cr, 85, y, 60, "Noto Serif 10", PANGO_ALIGN_LEFT, a->code);
      draw_text (cr, 145, y, 300, "Noto Serif 10", PANGO_ALIGN_LEFT, label != NULL ? label : "");
      y += draw_text (cr, 445, y, 110, "Noto Serif 10", PANGO_ALIGN_RIGHT, ha) + 3;
      total += a->ha;
    }
  {
    g_autofree char *ha = format_ha (total);

    draw_text (cr, 145, y + 4, 300, "Noto Serif Bold 10", PANGO_ALIGN_LEFT, "Tổng cộng");
    y += draw_text (cr, 445, y + 4, 110, "Noto Serif Bold 10", PANGO_ALIGN_RIGHT, ha) + 24;
  }
  draw_text (cr, 85, y, 470, "Noto Serif Italic 10", PANGO_ALIGN_LEFT, NOTE);
  draw_watermark (cr);
  end_pdf (cr);
  return g_byte_array_free_to_bytes (bytes);
}

/* -------------------------------------------------------------- drawing */

typedef struct
{
  double min_x, max_y, pixel;   /* the image's top-left corner (TM-3 metres) and metres per pixel */
} Frame;

static void
trace_ring (cairo_t      *cr,
            const Frame  *frame,
            OGRGeometryH  ring)
{
  for (int i = 0; i < OGR_G_GetPointCount (ring); i++)
    {
      double x = (OGR_G_GetX (ring, i) - frame->min_x) / frame->pixel;
      double y = (frame->max_y - OGR_G_GetY (ring, i)) / frame->pixel;

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_close_path (cr);
}

static void
trace_geometry (cairo_t      *cr,
                const Frame  *frame,
                OGRGeometryH  g)
{
  OGRwkbGeometryType type = wkbFlatten (OGR_G_GetGeometryType (g));

  if (type == wkbLinearRing || type == wkbLineString)
    trace_ring (cr, frame, g);
  else
    for (int i = 0; i < OGR_G_GetGeometryCount (g); i++)
      trace_geometry (cr, frame, OGR_G_GetGeometryRef (g, i));
}

static void
set_code_color (cairo_t    *cr,
                const char *code)
{
  const char *color = saban_landuse_get_color (code);
  unsigned r = 0xde, g = 0xdd, b = 0xda;

  if (color != NULL)
    sscanf (color, "#%02x%02x%02x", &r, &g, &b);
  cairo_set_source_rgb (cr, r / 255.0, g / 255.0, b / 255.0);
}

static void
draw_zone (cairo_t     *cr,
           const Frame *frame,
           const Zone  *z)
{
  cairo_new_path (cr);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  trace_geometry (cr, frame, z->geometry);
  set_code_color (cr, z->landuse);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.35, 0.2, 0.2);
  cairo_set_line_width (cr, 1.2);
  cairo_stroke (cr);
}

static void
label_zone (cairo_t     *cr,
            const Frame *frame,
            const Zone  *z)
{
  OGREnvelope e;
  OGRGeometryH at;

  OGR_G_GetEnvelope (z->geometry, &e);
  if ((e.MaxX - e.MinX) / frame->pixel < 40 || (e.MaxY - e.MinY) / frame->pixel < 20)
    return;
  at = OGR_G_PointOnSurface (z->geometry);
  if (at == NULL)
    return;
  cairo_set_source_rgb (cr, 0.15, 0.1, 0.1);
  draw_text (cr, (OGR_G_GetX (at, 0) - frame->min_x) / frame->pixel - 30,
             (frame->max_y - OGR_G_GetY (at, 0)) / frame->pixel - 9, 60, "Noto Sans Bold 11",
             PANGO_ALIGN_CENTER, z->landuse);
  OGR_G_DestroyGeometry (at);
}

static void
draw_title_block (cairo_t        *cr,
                  const Decision *d)
{
  g_autofree char *when = date_in_words (d->date);
  g_autofree char *text = g_strdup_printf ("BẢN VẼ QUY HOẠCH SỬ DỤNG ĐẤT — TỶ LỆ 1/2000\n%s\nKèm theo Quyết định số %s "
                                           "%s\nDỮ LIỆU MINH HỌA TỔNG HỢP — KHÔNG PHẢI BẢN VẼ CHÍNH THỨC",
                                           d->title, d->number, when);

  cairo_set_source_rgba (cr, 1, 1, 1, 0.92);
  cairo_rectangle (cr, DRAWING_W - 620, DRAWING_H - 130, 600, 110);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_set_line_width (cr, 2);
  cairo_stroke (cr);
  draw_text (cr, DRAWING_W - 610, DRAWING_H - 122, 580, "Noto Sans 11", PANGO_ALIGN_LEFT, text);
}

static cairo_status_t
append_png (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  return append_bytes (closure, data, length);
}

/* The 1/2000 plan's drawing, a PNG north up, and its world file (GDAL reads
 * the pair as a georeferenced raster in the CRS the dossier names). */
static GBytes *
drawing_png (GArray          *zones,
             const Decision  *d,
             int              decision,
             char           **world_file)
{
  OGREnvelope all = { INFINITY, -INFINITY, INFINITY, -INFINITY };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, DRAWING_W, DRAWING_H);
  cairo_t *cr = cairo_create (surface);
  GByteArray *bytes = g_byte_array_new ();
  Frame frame;
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE], c[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint i = 0; i < zones->len; i++)
    {
      const Zone *z = &g_array_index (zones, Zone, i);
      OGREnvelope e;

      if (z->decision != decision)
        continue;
      OGR_G_GetEnvelope (z->geometry, &e);
      all.MinX = MIN (all.MinX, e.MinX);
      all.MaxX = MAX (all.MaxX, e.MaxX);
      all.MinY = MIN (all.MinY, e.MinY);
      all.MaxY = MAX (all.MaxY, e.MaxY);
    }
  /* whole metres a pixel, 5 % margins */
  frame.pixel = ceil (MAX ((all.MaxX - all.MinX) / (DRAWING_W * 0.9), (all.MaxY - all.MinY) / (DRAWING_H * 0.9)));
  frame.min_x = floor ((all.MinX + all.MaxX) / 2 - frame.pixel * DRAWING_W / 2);
  frame.max_y = floor ((all.MinY + all.MaxY) / 2 + frame.pixel * DRAWING_H / 2);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  for (guint i = 0; i < zones->len; i++)
    if (g_array_index (zones, Zone, i).decision == decision)
      draw_zone (cr, &frame, &g_array_index (zones, Zone, i));
  for (guint i = 0; i < zones->len; i++)
    if (g_array_index (zones, Zone, i).decision == decision)
      label_zone (cr, &frame, &g_array_index (zones, Zone, i));
  draw_title_block (cr, d);
  cairo_destroy (cr);
  cairo_surface_write_to_png_stream (surface, append_png, bytes);
  cairo_surface_destroy (surface);

  /* pixel size, rotations, the centre of the top-left pixel */
  g_ascii_dtostr (a, sizeof a, frame.pixel);
  g_ascii_dtostr (b, sizeof b, frame.min_x + frame.pixel / 2);
  g_ascii_dtostr (c, sizeof c, frame.max_y - frame.pixel / 2);
  *world_file = g_strdup_printf ("%s\n0\n0\n-%s\n%s\n%s\n", a, a, b, c);
  return g_byte_array_free_to_bytes (bytes);
}

/* --------------------------------------------------------------- tables */

static OGRLayerH
create_table (GDALDatasetH       ds,
              const char        *name,
              const char * const *fields,
              const OGRFieldType *types,
              GError           **error)
{
  char *options[] = { (char *) "DESCRIPTION=" SABAN_DATAGEN_SYNTHETIC_NOTE, NULL };
  OGRLayerH layer = GDALDatasetCreateLayer (ds, name, NULL, wkbNone, options);

  for (guint i = 0; layer != NULL && fields[i] != NULL; i++)
    {
      OGRFieldDefnH fd = OGR_Fld_Create (fields[i], types[i]);

      if (OGR_L_CreateField (layer, fd, TRUE) != OGRERR_NONE)
        layer = NULL;
      OGR_Fld_Destroy (fd);
    }
  if (layer == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot create %s: %s", name, CPLGetLastErrorMsg ());
  return layer;
}

static gboolean
write_decisions (GDALDatasetH   ds,
                 GError       **error)
{
  static const char * const fields[] = { "id", "number", "date", "authority", "level", "period", "status",
                                         "title", "layer", "note", NULL };
  static const OGRFieldType types[] = { OFTString, OFTString, OFTDate, OFTString, OFTString, OFTString,
                                        OFTString, OFTString, OFTString, OFTString };
  OGRLayerH layer = create_table (ds, "planning_decisions", fields, types, error);
  gboolean ok = layer != NULL;

  for (int i = 0; ok && i < N_DECISIONS; i++)
    {
      const Decision *d = &decisions[i];
      OGRFeatureH f = OGR_F_Create (OGR_L_GetLayerDefn (layer));
      const char *values[] = { d->id, d->number, d->date, d->authority, d->level, d->period, d->status,
                               d->title, d->layer, NOTE };

      for (guint k = 0; k < G_N_ELEMENTS (values); k++)
        OGR_F_SetFieldString (f, (int) k, values[k]);
      ok = OGR_L_CreateFeature (layer, f) == OGRERR_NONE;
      OGR_F_Destroy (f);
    }
  if (!ok && error != NULL && *error == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write planning_decisions: %s", CPLGetLastErrorMsg ());
  return ok;
}

typedef struct
{
  int decision;
  const char *kind;           /* decision, explanation, drawing */
  const char *title;
  char *file_name;
  const char *media_type;
  GBytes *content;
  char *world_file;
  const char *crs;
} Document;

static void
document_clear (gpointer data)
{
  Document *doc = data;

  g_free (doc->file_name);
  g_bytes_unref (doc->content);
  g_free (doc->world_file);
}

static gboolean
write_documents (GDALDatasetH   ds,
                 GArray        *documents,
                 GError       **error)
{
  static const char * const fields[] = { "decision", "kind", "title", "file_name", "media_type", "content",
                                         "href", "world_file", "crs", NULL };
  static const OGRFieldType types[] = { OFTString, OFTString, OFTString, OFTString, OFTString, OFTBinary,
                                        OFTString, OFTString, OFTString };
  OGRLayerH layer = create_table (ds, "planning_documents", fields, types, error);
  gboolean ok = layer != NULL;

  for (guint i = 0; ok && i < documents->len; i++)
    {
      const Document *doc = &g_array_index (documents, Document, i);
      OGRFeatureH f = OGR_F_Create (OGR_L_GetLayerDefn (layer));
      gsize size;
      gconstpointer data = g_bytes_get_data (doc->content, &size);

      OGR_F_SetFieldString (f, 0, decisions[doc->decision].id);
      OGR_F_SetFieldString (f, 1, doc->kind);
      OGR_F_SetFieldString (f, 2, doc->title);
      OGR_F_SetFieldString (f, 3, doc->file_name);
      OGR_F_SetFieldString (f, 4, doc->media_type);
      OGR_F_SetFieldBinary (f, 5, (int) size, (const void *) data);
      if (doc->world_file != NULL)
        {
          OGR_F_SetFieldString (f, 7, doc->world_file);
          OGR_F_SetFieldString (f, 8, doc->crs);
        }
      ok = OGR_L_CreateFeature (layer, f) == OGRERR_NONE;
      OGR_F_Destroy (f);
    }
  if (!ok && error != NULL && *error == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write planning_documents: %s", CPLGetLastErrorMsg ());
  return ok;
}

static void
add_document (GArray     *documents,
              int         decision,
              const char *kind,
              const char *title,
              const char *suffix,
              const char *media_type,
              GBytes     *content)
{
  g_autofree char *stem = g_ascii_strdown (decisions[decision].id, -1);
  Document doc = { decision, kind, title, g_strdup_printf ("%s-%s", stem, suffix), media_type, content, NULL, NULL };

  g_array_append_val (documents, doc);
}

/**
 * saban_datagen_planning:
 * @ds: the GeoPackage being written, its `zoning` already in it
 *
 * Writes the planning decisions, their dossiers and the 2012 plan.
 */
gboolean
saban_datagen_planning (GDALDatasetH           ds,
                        OGRSpatialReferenceH   srs,
                        GError               **error)
{
  g_autoptr(GArray) zones = read_zones (ds, error);
  g_autoptr(GArray) old = NULL;
  g_autoptr(GArray) documents = g_array_new (FALSE, TRUE, sizeof (Document));
  gboolean ok;

  if (zones == NULL)
    return FALSE;
  old = zones_of_2012 (zones);
  if (!write_zones_2012 (ds, srs, old, error))
    return FALSE;

  g_array_set_clear_func (documents, document_clear);
  for (int i = 0; i < N_DECISIONS; i++)
    {
      g_autoptr(GArray) areas = areas_by_code (i == GENERAL_2012 ? old : zones, i);

      add_document (documents, i, "decision", "Quyết định phê duyệt (bản chụp)", "quyet-dinh.pdf", "application/pdf",
                    decision_pdf (&decisions[i]));
      add_document (documents, i, "explanation", "Thuyết minh tổng hợp", "thuyet-minh.pdf", "application/pdf",
                    explanation_pdf (&decisions[i], areas));
    }
  {
    char *world_file = NULL;
    GBytes *png = drawing_png (zones, &decisions[ZONING_2024], ZONING_2024, &world_file);
    Document *drawing;

    add_document (documents, ZONING_2024, "drawing", "Bản vẽ quy hoạch sử dụng đất tỷ lệ 1/2000", "ban-ve.png",
                  "image/png", png);
    drawing = &g_array_index (documents, Document, documents->len - 1);
    drawing->world_file = world_file;
    drawing->crs = "EPSG:9208";
  }

  ok = write_decisions (ds, error) && write_documents (ds, documents, error);
  if (ok)
    g_print ("%-18s %9d %s\n%-18s %9u %s\n", "planning_decisions", N_DECISIONS, "table",
             "planning_documents", documents->len, "table (PDF, PNG + world file)");
  return ok;
}
