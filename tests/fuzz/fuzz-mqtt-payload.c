/* fuzz-mqtt-payload.c: what Sa Bàn does with an MQTT message (core/net).
 *
 * An input is a topic, a newline, and the payload. It goes to the sensor
 * feed as the live channel delivers a message (SabanLiveStream's message:
 * the topic decides a SensorThings Observation for a gauge with thresholds,
 * the SabanSensorStore and the alarms it raises, or a responder unit's
 * Location, the SabanUnitStore), and its payload through saban_json_parse to
 * the Command API's notice parser with its topic (what SabanCommandClient
 * reads on `ioc/v1/#`, SabanCommandNotice) and to the Command API model (an
 * item of each collection and a page of them, as the fetches and reads bring
 * them: SabanCommandStore). Each model is made anew for each input, so a
 * crash replays from its input alone. */
#include <math.h>

#include "fuzz-support.h"
#include "saban-alarm-list.h"
#include "saban-command-notice.h"
#include "saban-command-store.h"
#include "saban-json.h"
#include "saban-sensor-feed.h"
#include "saban-sensor-store.h"
#include "saban-unit-store.h"

#define DATASTREAM 7
#define THING      3

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_quiet_logs ();
  return 0;
}

/* a gauge with thresholds and a responder unit, fed the message twice: the
 * second is a repeat, or a reading after the first */
static void
feed (const char *topic, GBytes *payload)
{
  g_autoptr(SabanApi) api = saban_api_new ("http://127.0.0.1:9");
  g_autoptr(SabanSensorStore) sensors = saban_sensor_store_new ();
  g_autoptr(SabanAlarmList) alarms = saban_alarm_list_new (sensors);
  g_autoptr(SabanUnitStore) units = saban_unit_store_new ();
  g_autoptr(SabanSensorThingsClient) client = saban_sensor_things_client_new (api, "/v1.1", sensors);
  g_autoptr(SabanLiveChannel) channel = saban_live_channel_new (NULL, (const char *const[]) { "v1.1/#", NULL });
  g_autoptr(SabanSensorFeed) feed = saban_sensor_feed_new (channel, client);
  SabanSensor gauge = {
    .datastream_id = DATASTREAM, .thing_id = THING, .name = "MN-001", .unit = "m",
    .lon = 103.97, .lat = 22.48, .alert_level = 80.5, .danger_level = 81.5,
    .interval_s = 300, .value = NAN, .kind = SABAN_SENSOR_KIND_WATER_LEVEL,
  };

  saban_sensor_store_add (sensors, &gauge);
  saban_unit_store_add (units, THING, "Đội cứu hộ 1", "CH-01", 103.97, 22.48, g_get_real_time ());
  saban_sensor_things_client_set_units (client, units);
  saban_live_stream_message (SABAN_LIVE_STREAM (feed), topic, payload);
  saban_live_stream_message (SABAN_LIVE_STREAM (feed), topic, payload);
  saban_sensor_store_flush (sensors);
  saban_sensor_store_refresh (sensors, g_get_real_time ());
  /* the alarms followed the store */
  g_assert (saban_alarm_list_get_n_active (alarms) <= 1);
}

/* a notice the parser takes names an item of a kept collection, as its topic does */
static void
read_notice (const char *topic, JsonNode *payload)
{
  SabanCommandNotice notice;

  if (!saban_command_notice_is_topic (topic))
    return;
  if (saban_command_notice_parse (&notice, topic, payload, NULL))
    g_assert (notice.collection < SABAN_COMMAND_N_COLLECTIONS && notice.id > 0 && notice.version >= 0 &&
              notice.scenario_id >= 0);
}

static void
apply_items (JsonNode *payload)
{
  g_autoptr(SabanCommandStore) store = saban_command_store_new ();

  for (SabanCommandCollection c = 0; c < SABAN_COMMAND_N_COLLECTIONS; c++)
    {
      /* twice: an equal version is a repeat the store must ignore */
      saban_command_store_apply_feature (store, c, payload, NULL);
      saban_command_store_apply_feature (store, c, payload, NULL);
      saban_command_store_apply_collection (store, c, payload, NULL);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  const char *nl = memchr (data, '\n', size);
  g_autofree char *topic = g_strndup ((const char *) data, nl ? (gsize) (nl - (const char *) data) : size);
  const char *payload = nl ? nl + 1 : (const char *) data + size;
  gsize payload_size = (const char *) data + size - payload;
  g_autoptr(GBytes) bytes = g_bytes_new (payload, payload_size);
  g_autoptr(JsonNode) parsed = NULL;

  feed (topic, bytes);
  parsed = saban_json_parse (payload, payload_size, NULL);
  if (parsed != NULL)
    {
      read_notice (topic, parsed);
      apply_items (parsed);
    }
  return 0;
}
