#pragma once

#include <gio/gio.h>

#include "saban-command-item.h"

G_BEGIN_DECLS

#define SABAN_TYPE_COMMAND_LIST (saban_command_list_get_type ())
G_DECLARE_FINAL_TYPE (SabanCommandList, saban_command_list, SABAN, COMMAND_LIST, GObject)

typedef gboolean (*SabanCommandListFilter) (SabanCommandItem *item,
                                            gpointer          data);

SabanCommandList *saban_command_list_new     (SabanCommandCollection  collection,
                                              SabanCommandListFilter  filter,
                                              gpointer                data,
                                              GDestroyNotify          destroy,
                                              GCompareFunc            sort);
void              saban_command_list_update  (SabanCommandList       *self,
                                              SabanCommandItem       *item);
void              saban_command_list_remove  (SabanCommandList       *self,
                                              SabanCommandItem       *item);
SabanCommandCollection saban_command_list_get_collection (SabanCommandList *self);
void              saban_command_list_refilter (SabanCommandList      *self,
                                               GHashTable            *items);

G_END_DECLS
