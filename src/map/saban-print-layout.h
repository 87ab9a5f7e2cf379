#pragma once

#include <gio/gio.h>

#include "saban-layer-model.h"

G_BEGIN_DECLS

typedef enum
{
  SABAN_PAPER_A4,
  SABAN_PAPER_A3,
  SABAN_PAPER_A2,
  SABAN_PAPER_A1,
  SABAN_PAPER_A0,
} SabanPaperSize;

#define SABAN_TYPE_PRINT_LAYOUT (saban_print_layout_get_type ())

G_DECLARE_FINAL_TYPE (SabanPrintLayout, saban_print_layout, SABAN, PRINT_LAYOUT, GObject)

SabanPrintLayout *saban_print_layout_new           (SabanLayerModel   *layers);
void              saban_print_layout_set_title     (SabanPrintLayout  *self,
                                                    const char        *title);
void              saban_print_layout_set_scale     (SabanPrintLayout  *self,
                                                    double             denominator);
double            saban_print_layout_get_scale     (SabanPrintLayout  *self);
void              saban_print_layout_set_center    (SabanPrintLayout  *self,
                                                    double             x,
                                                    double             y);
void              saban_print_layout_set_paper     (SabanPrintLayout  *self,
                                                    SabanPaperSize     paper,
                                                    gboolean           landscape);
void              saban_print_layout_set_dpi       (SabanPrintLayout  *self,
                                                    double             dpi);
void              saban_print_layout_set_time      (SabanPrintLayout  *self,
                                                    GDateTime         *time);
void              saban_print_layout_get_page_mm   (SabanPrintLayout  *self,
                                                    double            *width,
                                                    double            *height);
void              saban_print_layout_get_map_frame (SabanPrintLayout  *self,
                                                    double            *x,
                                                    double            *y,
                                                    double            *width,
                                                    double            *height);
double            saban_print_layout_fit_scale     (SabanPrintLayout  *self,
                                                    double             min_x,
                                                    double             min_y,
                                                    double             max_x,
                                                    double             max_y);

gboolean          saban_print_layout_write         (SabanPrintLayout  *self,
                                                    const char        *path,
                                                    GStrv             *coarse,
                                                    GError           **error);
void              saban_print_layout_write_async   (SabanPrintLayout  *self,
                                                    const char        *path,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
gboolean          saban_print_layout_write_finish  (SabanPrintLayout  *self,
                                                    GAsyncResult      *result,
                                                    GStrv             *coarse,
                                                    GError           **error);

gboolean          saban_paper_size_parse           (const char        *text,
                                                    SabanPaperSize    *paper);
gboolean          saban_print_scale_parse          (const char        *text,
                                                    double            *denominator);

G_END_DECLS
