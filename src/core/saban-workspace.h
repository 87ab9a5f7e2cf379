#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char *source;     /* file name or connection string */
  char *layer;      /* layer name within the source */
  gboolean visible;
  double opacity;
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
