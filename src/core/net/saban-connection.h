#pragma once

#include <gio/gio.h>

#include "saban-api.h"

G_BEGIN_DECLS

#define SABAN_TYPE_CONNECTION (saban_connection_get_type ())
G_DECLARE_FINAL_TYPE (SabanConnection, saban_connection, SABAN, CONNECTION, GObject)

SabanConnection *saban_connection_new           (SabanApi        *api,
                                                 guint            interval_seconds);
SabanApi        *saban_connection_get_api       (SabanConnection *self);
void             saban_connection_set_server_url (SabanConnection *self,
                                                 const char      *server_url);
const char      *saban_connection_get_server_url (SabanConnection *self);
void             saban_connection_set_account   (SabanConnection *self,
                                                 const char      *account,
                                                 const char      *password);
const char      *saban_connection_get_account   (SabanConnection *self);
gboolean         saban_connection_get_connected (SabanConnection *self);
gboolean         saban_connection_get_checked   (SabanConnection *self);
gboolean         saban_connection_get_signed_in (SabanConnection *self);
const char      *saban_connection_get_error     (SabanConnection *self);
const char      *saban_connection_get_token     (SabanConnection *self);
const char      *saban_connection_get_user      (SabanConnection *self);
const char      *saban_connection_get_role      (SabanConnection *self);
gboolean         saban_connection_get_needs_sign_in (SabanConnection *self);
char            *saban_connection_describe_error (SabanConnection *self);
void             saban_connection_sign_out_async (SabanConnection     *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean         saban_connection_sign_out_finish (SabanConnection *self,
                                                 GAsyncResult    *result,
                                                 GError         **error);
void             saban_connection_check_now     (SabanConnection *self);
char            *saban_connection_sign_in_sync  (const char      *server_url,
                                                 const char      *account,
                                                 const char      *password,
                                                 guint            seconds,
                                                 GError         **error);

G_END_DECLS
