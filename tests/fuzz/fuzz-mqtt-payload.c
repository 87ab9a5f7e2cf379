/* fuzz-mqtt-payload.c: what Sa Bàn does with an MQTT message (core/net).
 *
 * An input is a topic, a newline, and the payload. The topic goes through
 * saban_mqtt_parse_topic; the payload through saban_json_parse, as the feeds
 * do, and then to every model a message can reach: a SensorThings
 * Observation for a gauge with thresholds (SabanSensorStore and the alarms
 * it raises), a responder unit's Location (SabanUnitStore), a Command API
 * item of each collection and a page of them (SabanCommandStore). Each model
 * is made anew for each input, so a crash replays from its input alone. */
#include <math.h>

#include "fuzz-support.h"
#include "saban-alarm-list.h"
#include "saban-command-store.h"
#include "saban-json.h"
#include "saban-mqtt-feed.h"
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

static void
observe (JsonNode *payload)
{
  g_autoptr(SabanSensorStore) sensors = saban_sensor_store_new ();
  g_autoptr(SabanAlarmList) alarms = saban_alarm_list_new (sensors);
  SabanSensor gauge = {
    .datastream_id = DATASTREAM, .thing_id = THING, .name = "MN-001", .unit = "m",
    .lon = 103.97, .lat = 22.48, .alert_level = 80.5, .danger_level = 81.5,
    .interval_s = 300, .value = NAN, .kind = SABAN_SENSOR_KIND_WATER_LEVEL,
  };

  saban_sensor_store_add (sensors, &gauge);
  /* twice: the second is a repeat, or a reading after the first */
  saban_sensor_store_observe_json (sensors, DATASTREAM, payload, NULL);
  saban_sensor_store_observe_json (sensors, DATASTREAM, payload, NULL);
  saban_sensor_store_flush (sensors);
  saban_sensor_store_refresh (sensors, g_get_real_time ());
}

static void
move (JsonNode *payload)
{
  g_autoptr(SabanUnitStore) units = saban_unit_store_new ();

  saban_unit_store_add (units, THING, "Đội cứu hộ 1", "CH-01", 103.97, 22.48, g_get_real_time ());
  saban_unit_store_move_json (units, THING, payload, g_get_real_time (), NULL);
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
  g_autoptr(JsonNode) parsed = NULL;
  gint64 ds;

  saban_mqtt_parse_topic (topic, &ds);
  parsed = saban_json_parse (payload, (const char *) data + size - payload, NULL);
  if (parsed == NULL)
    return 0;
  observe (parsed);
  move (parsed);
  apply_items (parsed);
  return 0;
}
