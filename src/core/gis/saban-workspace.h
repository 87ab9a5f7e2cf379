#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A layer's style as the user chose it; kind NULL: the default style. */
typedef struct
{
  char *kind;          /* "single", "categorized", "graduated" */
  char *field;
  char *method;        /* "equal-interval", "quantile", "natural-breaks" */
  guint n_classes;
  char *fill;          /* colours as CSS strings */
  char *ramp_end;
  char *label_field;
} SabanWorkspaceStyle;

void saban_workspace_style_clear (SabanWorkspaceStyle *style);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SabanWorkspaceStyle, saban_workspace_style_clear)

typedef struct
{
  char *source;     /* file name or connection string */
  char *layer;      /* layer name within the source */
  gboolean visible;
  double opacity;
  char *title;      /* the user's name for it, or NULL */
  char *crs;        /* the CRS it was read in ("EPSG:9208"): assumed again for a source without one */
  char *landuse_field;  /* the field of land-use codes the user chose, or NULL (found by its values) */
  SabanWorkspaceStyle style;
  char *raster;     /* a raster: how it is drawn ("image", "hillshade", "hypsometric"); NULL: vector */
} SabanWorkspaceLayer;

#define SABAN_TYPE_WORKSPACE (saban_workspace_get_type ())

G_DECLARE_FINAL_TYPE (SabanWorkspace, saban_workspace, SABAN, WORKSPACE, GObject)

SabanWorkspace            *saban_workspace_new              (void);
SabanWorkspace            *saban_workspace_load             (GFile           *file,
                                                             GError         **error);
gboolean                   saban_workspace_save             (SabanWorkspace  *self,
                                                             GFile           *file,
                                                             GError         **error);
void                       saban_workspace_add_layer        (SabanWorkspace  *self,
                                                             const char      *source,
                                                             const char      *layer,
                                                             gboolean         visible,
                                                             double           opacity);
void                       saban_workspace_set_last_title   (SabanWorkspace  *self,
                                                             const char      *title);
void                       saban_workspace_set_last_crs     (SabanWorkspace  *self,
                                                             const char      *crs);
void                       saban_workspace_set_last_raster  (SabanWorkspace  *self,
                                                             const char      *render);
void                       saban_workspace_set_last_landuse_field (SabanWorkspace *self,
                                                             const char      *field);
const char                *saban_workspace_get_source_crs   (SabanWorkspace  *self,
                                                             const char      *source);
void                       saban_workspace_set_last_style   (SabanWorkspace            *self,
                                                             const SabanWorkspaceStyle *style);
guint                      saban_workspace_get_n_layers     (SabanWorkspace  *self);
const SabanWorkspaceLayer *saban_workspace_get_layer        (SabanWorkspace  *self,
                                                             guint            index);
const SabanWorkspaceLayer *saban_workspace_find_layer       (SabanWorkspace  *self,
                                                             const char      *source,
                                                             const char      *layer);
gboolean                   saban_workspace_has_source       (SabanWorkspace  *self,
                                                             const char      *source);
char                     **saban_workspace_dup_sources      (SabanWorkspace  *self);
void                       saban_workspace_set_view         (SabanWorkspace  *self,
                                                             double           latitude,
                                                             double           longitude,
                                                             double           zoom);
gboolean                   saban_workspace_get_view         (SabanWorkspace  *self,
                                                             double          *latitude,
                                                             double          *longitude,
                                                             double          *zoom);

G_END_DECLS
