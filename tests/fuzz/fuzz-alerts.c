/* fuzz-alerts.c: the client's reading of CAP alerts (core/net): a page of
 * the `alerts` collection, as Sa Bàn fetches it when the broker announces a
 * new alert, through saban_json_parse and saban_alert_client_apply into an
 * alarm list. */
#include "fuzz-support.h"
#include "saban-alarm-list.h"
#include "saban-alert-client.h"
#include "saban-json.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_quiet_logs ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr(JsonNode) page = saban_json_parse ((const char *) data, (gssize) size, NULL);
  g_autoptr(SabanApi) api = NULL;
  g_autoptr(SabanSensorStore) sensors = NULL;
  g_autoptr(SabanAlarmList) alarms = NULL;
  g_autoptr(SabanAlertClient) client = NULL;
  /* the seeds' alerts are sent on 1 July 2025: judge them as of that day */
  g_autoptr(GDateTime) now = g_date_time_new_utc (2025, 7, 1, 12, 0, 0);

  if (page == NULL)
    return 0;
  sensors = saban_sensor_store_new ();
  alarms = saban_alarm_list_new (sensors);
  api = saban_api_new ("http://127.0.0.1:9");
  client = saban_alert_client_new (api, alarms);
  /* twice: alerts already raised are not raised again */
  saban_alert_client_apply (client, page, g_date_time_to_unix (now) * G_USEC_PER_SEC);
  saban_alert_client_apply (client, page, g_date_time_to_unix (now) * G_USEC_PER_SEC);
  return 0;
}
