/* saban-cairo-text.c: a paragraph of text on a cairo page (a report, a
 * print, a document the demo makes), wrapped to a width. */
#include "saban-cairo-text.h"

/**
 * saban_cairo_show_text:
 * @x: the top-left corner, in @cr's user units
 * @width: the width to wrap to
 * @font: a Pango font description ("Noto Sans Bold 9": sizes in points)
 * @units_per_inch: @cr's user units to an inch: 72 for points, 25.4 for
 *   millimetres, 96 for a screen's pixels
 *
 * Glyphs are placed unhinted and unrounded: on a page whose unit is large
 * (a millimetre) rounding to whole units would misplace them.
 *
 * Returns: the height of the text, in user units
 */
double
saban_cairo_show_text (cairo_t        *cr,
                       double          x,
                       double          y,
                       double          width,
                       const char     *font,
                       PangoAlignment  align,
                       double          units_per_inch,
                       const char     *text)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoContext *context = pango_layout_get_context (layout);
  PangoFontDescription *description = pango_font_description_from_string (font);
  cairo_font_options_t *options = cairo_font_options_create ();
  int w, h;

  pango_cairo_context_set_resolution (context, units_per_inch);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  pango_context_set_round_glyph_positions (context, FALSE);
  cairo_font_options_destroy (options);
  pango_layout_context_changed (layout);
  pango_layout_set_font_description (layout, description);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, &w, &h);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (description);
  g_object_unref (layout);
  return (double) h / PANGO_SCALE;
}
