#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "saban-alarm-list.h"
#include "saban-api.h"
#include "saban-live-channel.h"

G_BEGIN_DECLS

#define SABAN_TYPE_ALERT_CLIENT (saban_alert_client_get_type ())

G_DECLARE_FINAL_TYPE (SabanAlertClient, saban_alert_client, SABAN, ALERT_CLIENT, GObject)

SabanAlertClient *saban_alert_client_new         (SabanApi          *api,
                                                  SabanAlarmList    *alarms);
guint             saban_alert_client_apply       (SabanAlertClient  *self,
                                                  JsonNode          *feature_collection,
                                                  gint64             now_us);
void              saban_alert_client_load_async  (SabanAlertClient  *self,
                                                  GCancellable      *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer           user_data);
void              saban_alert_client_listen      (SabanAlertClient  *self,
                                                  SabanLiveChannel  *channel);
gboolean          saban_alert_client_get_listening (SabanAlertClient *self);
gboolean          saban_alert_client_load_finish (SabanAlertClient  *self,
                                                  GAsyncResult      *result,
                                                  GError           **error);

G_END_DECLS
