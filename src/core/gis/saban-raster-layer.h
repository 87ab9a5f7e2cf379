#pragma once

#include <gio/gio.h>

#include "saban-ogr-reader.h"

G_BEGIN_DECLS

/* What the pixels are, as found when the raster is opened. */
typedef enum
{
  SABAN_RASTER_KIND_RGB,        /* three or four bands of colour: an orthophoto, a scan */
  SABAN_RASTER_KIND_PALETTE,    /* one band of indices into a colour table */
  SABAN_RASTER_KIND_GRAY,       /* one band of 8-bit grey */
  SABAN_RASTER_KIND_ELEVATION,  /* one band of numbers: a DEM, or any measured grid */
} SabanRasterKind;

/* How the pixels are drawn. */
typedef enum
{
  SABAN_RASTER_RENDER_IMAGE,        /* as they are; a grid of numbers stretched to grey */
  SABAN_RASTER_RENDER_HILLSHADE,    /* the relief, grey (gdaldem hillshade) */
  SABAN_RASTER_RENDER_HYPSOMETRIC,  /* elevation tints under the relief */
} SabanRasterRender;

typedef struct
{
  char *name;        /* the band's description, else its colour's name */
  char *unit;        /* "m", "" when unknown */
  gboolean has_nodata;
  double nodata;
  double min, max;   /* approximate, from overviews or a sample */
} SabanRasterBand;

/* A point of a profile: its distance from the start along the line, on the
 * ground, and the value there (NAN off the raster or on nodata). */
typedef struct
{
  double distance;
  double value;
} SabanProfilePoint;

#define SABAN_TYPE_RASTER_LAYER (saban_raster_layer_get_type ())

G_DECLARE_FINAL_TYPE (SabanRasterLayer, saban_raster_layer, SABAN, RASTER_LAYER, GObject)

gboolean          saban_raster_layer_probe            (const char          *source);
SabanRasterLayer *saban_raster_layer_open             (const char          *source,
                                                       const char          *default_crs,
                                                       GError             **error);
void              saban_raster_layer_open_async       (const char          *source,
                                                       const char          *default_crs,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
SabanRasterLayer *saban_raster_layer_open_finish      (GAsyncResult        *result,
                                                       GError             **error);

const char       *saban_raster_layer_get_source       (SabanRasterLayer    *self);
const char       *saban_raster_layer_get_name         (SabanRasterLayer    *self);
const char       *saban_raster_layer_get_source_crs   (SabanRasterLayer    *self);
const char       *saban_raster_layer_get_source_crs_name (SabanRasterLayer *self);
SabanRasterKind   saban_raster_layer_get_kind         (SabanRasterLayer    *self);
guint             saban_raster_layer_get_width        (SabanRasterLayer    *self);
guint             saban_raster_layer_get_height       (SabanRasterLayer    *self);
guint             saban_raster_layer_get_n_bands      (SabanRasterLayer    *self);
const SabanRasterBand *saban_raster_layer_get_band    (SabanRasterLayer    *self,
                                                       guint                band);
guint             saban_raster_layer_get_n_overviews  (SabanRasterLayer    *self);
gboolean          saban_raster_layer_needs_overviews  (SabanRasterLayer    *self);
gboolean          saban_raster_layer_get_extent       (SabanRasterLayer    *self,
                                                       double              *min_x,
                                                       double              *min_y,
                                                       double              *max_x,
                                                       double              *max_y);

gboolean          saban_raster_layer_render           (SabanRasterLayer    *self,
                                                       SabanRasterRender    render,
                                                       double               min_x,
                                                       double               max_y,
                                                       double               extent,
                                                       guint                size,
                                                       guint8              *data,
                                                       gsize                stride);
gboolean          saban_raster_layer_sample           (SabanRasterLayer    *self,
                                                       double               x,
                                                       double               y,
                                                       double              *values);
void              saban_raster_layer_sample_async     (SabanRasterLayer    *self,
                                                       double               x,
                                                       double               y,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
double           *saban_raster_layer_sample_finish    (SabanRasterLayer    *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
GArray           *saban_raster_layer_profile          (SabanRasterLayer    *self,
                                                       const double        *xy,
                                                       guint                n_points,
                                                       guint                n_samples);
void              saban_raster_layer_profile_async    (SabanRasterLayer    *self,
                                                       const double        *xy,
                                                       guint                n_points,
                                                       guint                n_samples,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GArray           *saban_raster_layer_profile_finish   (SabanRasterLayer    *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void              saban_raster_layer_build_overviews_async  (SabanRasterLayer    *self,
                                                             GCancellable        *cancellable,
                                                             SabanProgressFunc    progress,
                                                             gpointer             progress_data,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean          saban_raster_layer_build_overviews_finish (SabanRasterLayer    *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

G_END_DECLS
