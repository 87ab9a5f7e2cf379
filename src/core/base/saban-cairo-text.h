#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

G_BEGIN_DECLS

double saban_cairo_show_text (cairo_t        *cr,
                              double          x,
                              double          y,
                              double          width,
                              const char     *font,
                              PangoAlignment  align,
                              double          units_per_inch,
                              const char     *text);

G_END_DECLS
