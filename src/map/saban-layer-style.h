#pragma once

#include <gdk/gdk.h>

#include "saban-classify.h"
#include "saban-vector-layer.h"
#include "saban-workspace.h"

G_BEGIN_DECLS

typedef enum
{
  SABAN_STYLE_SINGLE,
  SABAN_STYLE_CATEGORIZED,
  SABAN_STYLE_GRADUATED,
} SabanStyleKind;

/* The sidebar's groups, top to bottom. */
typedef enum
{
  SABAN_LAYER_GROUP_FINDINGS,   /* features picked out: a selection, a check's findings */
  SABAN_LAYER_GROUP_IOT,
  SABAN_LAYER_GROUP_INFRASTRUCTURE,
  SABAN_LAYER_GROUP_POPULATION,
  SABAN_LAYER_GROUP_LAND,
  SABAN_LAYER_GROUP_PLANNING,
  SABAN_LAYER_GROUP_OTHER,
} SabanLayerGroup;

const char *saban_layer_group_get_title (SabanLayerGroup group);

/* What a user chooses in the style dialog; a style is made from it. */
typedef struct
{
  SabanStyleKind kind;
  char *field;                 /* classifying field; NULL for single */
  SabanClassifyMethod method;  /* graduated */
  guint n_classes;             /* graduated */
  GdkRGBA fill;                /* single; first colour of the graduated ramp */
  GdkRGBA ramp_end;            /* graduated */
  char *label_field;           /* NULL: no labels */
} SabanStyleChoice;

void saban_style_choice_clear (SabanStyleChoice *choice);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SabanStyleChoice, saban_style_choice_clear)

void saban_style_choice_to_workspace   (const SabanStyleChoice    *choice,
                                        SabanWorkspaceStyle       *out);
void saban_style_choice_from_workspace (const SabanWorkspaceStyle *saved,
                                        SabanStyleChoice          *choice);

#define SABAN_TYPE_LAYER_STYLE (saban_layer_style_get_type ())

G_DECLARE_FINAL_TYPE (SabanLayerStyle, saban_layer_style, SABAN, LAYER_STYLE, GObject)

SabanLayerStyle *saban_layer_style_new_for_layer      (SabanVectorLayer       *layer);
SabanLayerStyle *saban_layer_style_new_for_raster     (const char             *title);
SabanLayerStyle *saban_layer_style_new_highlight      (SabanVectorLayer       *layer,
                                                       const char             *title);

/* a feature drawn in no class of saban_layer_style_new_classed() */
#define SABAN_STYLE_NO_CLASS 255

SabanLayerStyle *saban_layer_style_new_classed        (SabanLayerStyle        *base,
                                                       SabanVectorLayer       *layer,
                                                       const guint8           *classes,
                                                       guint32                 n_features,
                                                       GArray                 *breaks,
                                                       const GdkRGBA          *colors,
                                                       guint                   n_classes);
SabanLayerStyle *saban_layer_style_new_from_choice    (SabanLayerStyle        *base,
                                                       SabanVectorLayer       *layer,
                                                       const SabanStyleChoice *choice);
void             saban_layer_style_get_choice         (SabanLayerStyle        *self,
                                                       SabanStyleChoice       *choice);
const char      *saban_layer_style_get_id             (SabanLayerStyle        *self);
const char      *saban_layer_style_get_title          (SabanLayerStyle        *self);
SabanStyleKind   saban_layer_style_get_kind           (SabanLayerStyle        *self);
int              saban_layer_style_get_z_order        (SabanLayerStyle        *self);
double           saban_layer_style_get_min_zoom       (SabanLayerStyle        *self);
double           saban_layer_style_get_stroke_width   (SabanLayerStyle        *self);
double           saban_layer_style_get_point_radius   (SabanLayerStyle        *self);
const GdkRGBA   *saban_layer_style_get_stroke         (SabanLayerStyle        *self);
const GdkRGBA   *saban_layer_style_get_fill           (SabanLayerStyle        *self);
const GdkRGBA   *saban_layer_style_get_feature_color  (SabanLayerStyle        *self,
                                                       SabanVectorLayer       *layer,
                                                       guint32                 f);
const GdkRGBA   *saban_layer_style_get_legend_color   (SabanLayerStyle        *self);
guint            saban_layer_style_get_n_legend_items (SabanLayerStyle        *self);
char            *saban_layer_style_dup_legend_item    (SabanLayerStyle        *self,
                                                       guint                   index,
                                                       GdkRGBA                *color);
const char      *saban_layer_style_get_category_field (SabanLayerStyle        *self);
const char      *saban_layer_style_describe_category  (SabanLayerStyle        *self,
                                                       const char             *value);
const char      *saban_layer_style_describe_landuse   (const char             *code);
const char      *saban_layer_style_get_label_field    (SabanLayerStyle        *self);
SabanLayerGroup  saban_layer_style_get_group          (SabanLayerStyle        *self);
gboolean         saban_layer_style_is_custom          (SabanLayerStyle        *self);

G_END_DECLS
