#pragma once

#include <gio/gio.h>

#include "saban-vector-layer.h"

G_BEGIN_DECLS

/* Red, amber, green, as the guidance's "đúng, đủ, sạch, sống" is judged. */
typedef enum
{
  SABAN_QUALITY_UNKNOWN,
  SABAN_QUALITY_GREEN,
  SABAN_QUALITY_AMBER,
  SABAN_QUALITY_RED,
} SabanQualityState;

typedef enum
{
  SABAN_QUALITY_CHECK_COMPLETENESS,    /* đủ: required fields filled */
  SABAN_QUALITY_CHECK_GEOMETRY,        /* đúng: empty or invalid geometries */
  SABAN_QUALITY_CHECK_EXTENT,          /* đúng: outside the province */
  SABAN_QUALITY_CHECK_DUPLICATE_IDS,   /* sạch: one id, one feature */
  SABAN_QUALITY_CHECK_DOMAIN,          /* sạch: codes outside their domain */
  SABAN_QUALITY_CHECK_FRESHNESS,       /* sống: updated as often as promised */
} SabanQualityCheck;

/* What one check found. */
typedef struct
{
  SabanQualityCheck check;
  SabanQualityState state;
  char *field;              /* the field(s) checked, or NULL */
  guint n_checked;          /* features (or 1 for freshness) */
  GArray *features;         /* guint32: the layer's offending features */
  guint n_not_drawn;        /* offending features the map cannot show (no geometry) */
  char *summary;            /* what was found, for people (translated) */
} SabanQualityFinding;

/* What a data steward says about a layer (the source's `saban_catalog`
 * table), or what the source says of itself. */
typedef struct
{
  char *title;
  char *owner;              /* the agency that keeps it */
  char *update_frequency;   /* ISO 8601 duration: P1D, P1M, P1Y… */
  GDateTime *last_update;
  char *lineage;
  char **required_fields;
  char **id_fields;         /* one key, possibly of several fields */
  char **domains;           /* "field=landuse", "field=commune" */
} SabanCatalogMetadata;

/* What the checks compare with: the province's outline and its communes,
 * from the layers loaded (either may be NULL). */
typedef struct
{
  SabanVectorLayer *boundary;
  SabanVectorLayer *communes;
} SabanCatalogContext;

#define SABAN_TYPE_CATALOG_ENTRY (saban_catalog_entry_get_type ())

G_DECLARE_FINAL_TYPE (SabanCatalogEntry, saban_catalog_entry, SABAN, CATALOG_ENTRY, GObject)

SabanCatalogEntry         *saban_catalog_entry_new_for_layer      (SabanVectorLayer          *layer,
                                                                   const char                *title);
SabanCatalogEntry         *saban_catalog_entry_new_for_collection (const char                *id,
                                                                   const char                *title,
                                                                   const char                *description);
gboolean                   saban_catalog_entry_check              (SabanCatalogEntry         *self,
                                                                   const SabanCatalogContext *context,
                                                                   GDateTime                 *now,
                                                                   GCancellable              *cancellable,
                                                                   GError                   **error);
void                       saban_catalog_entry_check_async        (SabanCatalogEntry         *self,
                                                                   const SabanCatalogContext *context,
                                                                   GDateTime                 *now,
                                                                   GCancellable              *cancellable,
                                                                   GAsyncReadyCallback        callback,
                                                                   gpointer                   user_data);
gboolean                   saban_catalog_entry_check_finish       (SabanCatalogEntry         *self,
                                                                   GAsyncResult              *result,
                                                                   GError                   **error);

SabanVectorLayer          *saban_catalog_entry_get_layer          (SabanCatalogEntry         *self);
const char                *saban_catalog_entry_get_id             (SabanCatalogEntry         *self);
const char                *saban_catalog_entry_get_title          (SabanCatalogEntry         *self);
const SabanCatalogMetadata *saban_catalog_entry_get_metadata      (SabanCatalogEntry         *self);
gint64                     saban_catalog_entry_get_n_features     (SabanCatalogEntry         *self);
const char                *saban_catalog_entry_get_crs_name       (SabanCatalogEntry         *self);
gboolean                   saban_catalog_entry_is_checked         (SabanCatalogEntry         *self);
SabanQualityState          saban_catalog_entry_get_state          (SabanCatalogEntry         *self);
guint                      saban_catalog_entry_get_n_findings     (SabanCatalogEntry         *self);
const SabanQualityFinding *saban_catalog_entry_get_finding        (SabanCatalogEntry         *self,
                                                                   guint                      index);
const SabanQualityFinding *saban_catalog_entry_find_check         (SabanCatalogEntry         *self,
                                                                   SabanQualityCheck          check);

const char                *saban_quality_state_describe           (SabanQualityState          state);
const char                *saban_quality_check_describe           (SabanQualityCheck          check);
char                      *saban_catalog_describe_frequency       (const char                *iso_duration);
double                     saban_catalog_frequency_days           (const char                *iso_duration);

G_END_DECLS
