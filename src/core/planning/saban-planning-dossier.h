#pragma once

#include <gio/gio.h>

#include "saban-attribute-table.h"

G_BEGIN_DECLS

typedef enum
{
  SABAN_PLANNING_LEVEL_UNKNOWN,
  SABAN_PLANNING_LEVEL_PROVINCIAL,   /* quy hoạch tỉnh */
  SABAN_PLANNING_LEVEL_GENERAL,      /* quy hoạch chung */
  SABAN_PLANNING_LEVEL_ZONING,       /* quy hoạch phân khu, 1/2000 */
  SABAN_PLANNING_LEVEL_DETAILED,     /* quy hoạch chi tiết, 1/500 */
} SabanPlanningLevel;

typedef enum
{
  SABAN_PLANNING_STATUS_UNKNOWN,
  SABAN_PLANNING_STATUS_IN_FORCE,
  SABAN_PLANNING_STATUS_SUPERSEDED,
  SABAN_PLANNING_STATUS_UNDER_REVISION,
} SabanPlanningStatus;

typedef enum
{
  SABAN_PLANNING_DOCUMENT_OTHER,
  SABAN_PLANNING_DOCUMENT_DECISION,      /* the signed decision (a scan) */
  SABAN_PLANNING_DOCUMENT_EXPLANATION,   /* the explanatory report */
  SABAN_PLANNING_DOCUMENT_DRAWING,       /* a georeferenced drawing */
} SabanPlanningDocumentKind;

/* One document of a dossier, as listed; its bytes stay in the source until
 * saban_planning_dossier_open_document_async() writes them out. */
typedef struct
{
  SabanPlanningDocumentKind kind;
  char *title;
  char *file_name;
  char *media_type;
  char *href;          /* a URL, or a path relative to the source; NULL when the bytes are in the source */
  char *world_file;    /* drawings: the six lines of their world file */
  char *crs;           /* drawings: the CRS of the world file ("EPSG:9208") */
  gint64 fid;          /* the row in planning_documents */
  gint64 size;         /* bytes held in the source; 0 for a link */
} SabanPlanningDocument;

#define SABAN_TYPE_PLANNING_DOSSIER (saban_planning_dossier_get_type ())

G_DECLARE_FINAL_TYPE (SabanPlanningDossier, saban_planning_dossier, SABAN, PLANNING_DOSSIER, GObject)

int                          saban_planning_dossier_find_field     (const SabanAttributeTable *table);

void                         saban_planning_dossier_read_async     (const char           *source,
                                                                    const char           *decision,
                                                                    GCancellable         *cancellable,
                                                                    GAsyncReadyCallback   callback,
                                                                    gpointer              user_data);
SabanPlanningDossier        *saban_planning_dossier_read_finish    (GAsyncResult         *result,
                                                                    GError              **error);
SabanPlanningDossier        *saban_planning_dossier_read           (const char           *source,
                                                                    const char           *decision,
                                                                    GError              **error);

const char                  *saban_planning_dossier_get_id         (SabanPlanningDossier *self);
const char                  *saban_planning_dossier_get_number     (SabanPlanningDossier *self);
GDate                       *saban_planning_dossier_get_date       (SabanPlanningDossier *self);
const char                  *saban_planning_dossier_get_authority  (SabanPlanningDossier *self);
SabanPlanningLevel           saban_planning_dossier_get_level      (SabanPlanningDossier *self);
const char                  *saban_planning_dossier_get_period     (SabanPlanningDossier *self);
SabanPlanningStatus          saban_planning_dossier_get_status     (SabanPlanningDossier *self);
const char                  *saban_planning_dossier_get_title      (SabanPlanningDossier *self);
const char                  *saban_planning_dossier_get_note       (SabanPlanningDossier *self);
const char                  *saban_planning_dossier_get_layer      (SabanPlanningDossier *self);
guint                        saban_planning_dossier_get_n_documents (SabanPlanningDossier *self);
const SabanPlanningDocument *saban_planning_dossier_get_document   (SabanPlanningDossier *self,
                                                                    guint                 index);

void                         saban_planning_dossier_open_document_async  (SabanPlanningDossier *self,
                                                                          guint                 index,
                                                                          const char           *directory,
                                                                          GCancellable         *cancellable,
                                                                          GAsyncReadyCallback   callback,
                                                                          gpointer              user_data);
char                        *saban_planning_dossier_open_document_finish (SabanPlanningDossier *self,
                                                                          GAsyncResult         *result,
                                                                          GError              **error);
char                        *saban_planning_dossier_open_document        (SabanPlanningDossier *self,
                                                                          guint                 index,
                                                                          const char           *directory,
                                                                          GError              **error);

const char                  *saban_planning_level_describe         (SabanPlanningLevel    level);
const char                  *saban_planning_status_describe        (SabanPlanningStatus   status);
const char                  *saban_planning_document_kind_describe (SabanPlanningDocumentKind kind);

G_END_DECLS
